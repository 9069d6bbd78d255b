import TillCore

/// The card-number check for the boxes a barcode scanner types into: the register's scan box, a stock count's
/// box and the stock prompts (receive, adjust, move).
///
/// A scanner types a code a digit at a time, and the first 13 digits of a GTIN-14 can read as a card number
/// for a keystroke (Luhn-valid, GS1 check wrong) before its last digit makes it a barcode. So in these boxes a
/// card-like run that ends the text and is 14 plain digits or fewer — a barcode that may still be arriving —
/// waits for Enter, where the whole rule applies; any other card-like text is refused at once, as in every
/// other field. A 15-19-digit or grouped (`4242 4242 …`) card is never a barcode in progress.
enum ScanBoxGuard {
    /// Whether the text typed so far must be refused now.
    static func refusesWhileTyping(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return CardNumberGuard.cardNumberRanges(inBytes: bytes).contains { range in
            !(range.upperBound == bytes.count && range.count <= 14 && bytes[range].allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
        }
    }

    /// Whether the text must be refused when it is entered: the whole rule, barcodes (GS1-valid) allowed.
    static func refusesOnEnter(_ text: String) -> Bool {
        CardNumberGuard.containsCardNumber(text)
    }

    /// A key typed into a scan box: the new text (empty, with `message` saying why, when it is refused now), or
    /// nil when the key is not text editing.
    static func edit(_ text: String, with key: Key, field: String, message: inout StatusMessage?) -> String? {
        guard let edited = SearchField.editUnchecked(text, with: key) else { return nil }
        guard !refusesWhileTyping(edited) else {
            message = SearchField.refusal(field: field)
            return ""
        }
        return edited
    }
}
