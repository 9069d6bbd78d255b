import TillCore

/// Typing into a text field — a search box, a prompt, a form field: printable characters append, Backspace
/// deletes; in a search box Esc clears and `/` focuses.
///
/// Every field refuses a card number the moment it holds one (issue 15, `CardNumberGuard`): the text is
/// emptied, so the digits are neither kept in the state nor sent in an effect, and the status line says why
/// without repeating them. The register's scan box is the one field that judges later (`ScanBoxGuard`).
enum SearchField {
    enum Outcome { case textChanged, handled, ignored }

    /// The search keys every list pane shares. `.textChanged` means the list must be reloaded.
    static func handle(_ text: inout String, focused: inout Bool, key: Key, command: Command?,
                       message: inout StatusMessage?) -> Outcome {
        switch command {
        case .focusSearch:
            focused = true
            return .handled
        case .back:
            guard !text.isEmpty || focused else { return .ignored }
            let hadText = !text.isEmpty
            text = ""
            focused = false
            return hadText ? .textChanged : .handled
        default:
            guard let edited = edit(text, with: key, field: "The search", message: &message) else { return .ignored }
            text = edited
            focused = true
            return .textChanged
        }
    }

    /// The new text, or nil when the key is not text editing; with the card number taken out (the words around
    /// it kept) and `message` saying why, when the new text holds one. `field` names the field ("The note").
    static func edit(_ text: String, with key: Key, field: String, message: inout StatusMessage?) -> String? {
        guard let edited = editUnchecked(text, with: key) else { return nil }
        guard CardNumberGuard.containsCardNumber(edited) else { return edited }
        message = refusal(field: field)
        var bytes = Array(edited.utf8)
        for range in CardNumberGuard.cardNumberRanges(inBytes: bytes).reversed() { bytes.removeSubrange(range) }
        let kept = String(decoding: bytes, as: UTF8.self)
        // Whatever is left must hold no card number either (the ranges are whole digit runs, so it cannot).
        return CardNumberGuard.containsCardNumber(kept) ? "" : kept
    }

    /// The same without a message to set: a card number still empties the field.
    static func edit(_ text: String, with key: Key) -> String? {
        var ignored: StatusMessage?
        return edit(text, with: key, field: "The text", message: &ignored)
    }

    /// What the status line says when a field is emptied for holding a card number.
    static func refusal(field: String) -> StatusMessage {
        .error(CardNumberGuard.refusal(field: field))
    }

    /// The key applied with no card check: only for the scan box, which checks itself (`ScanBoxGuard`).
    static func editUnchecked(_ text: String, with key: Key) -> String? {
        switch key {
        case let .character(c) where !c.isNewline && c.unicodeScalars.allSatisfy({ $0.value >= 0x20 }):
            return text + String(c)
        case .backspace:
            return text.isEmpty ? nil : String(text.dropLast())
        default:
            return nil
        }
    }
}
