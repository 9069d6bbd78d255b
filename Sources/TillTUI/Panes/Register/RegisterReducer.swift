import TillCore

enum RegisterReducer {
    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        var register = state.register
        defer { state.register = register }
        switch command {
        case .addItem:
            let code = register.input.trimmingCharacters(in: .whitespaces)
            register.input = ""
            guard !code.isEmpty else { return [] }
            register.submitted = code
            register.scans += 1
            return [.lookupCode(code, scan: register.scans)]
        case .moveUp:
            register.selected = max(0, register.selected - 1)
        case .moveDown:
            register.selected = min(max(0, register.lines.count - 1), register.selected + 1)
        case .removeLine:
            guard register.lines.indices.contains(register.selected) else { return [] }
            let removed = register.lines.remove(at: register.selected)
            register.selected = min(register.selected, max(0, register.lines.count - 1))
            state.message = .info("Removed \(removed.item.displayName).")
            reprice(&register, store: state.store, message: &state.message)
        case .back:
            register.input = ""
            register.suggestions = []
            register.suggestionsFor = ""
        default:
            guard let text = SearchField.edit(register.input, with: key) else { return [] }
            register.input = text
            // Letters mean a name search; digits alone are a scan in progress and need no search.
            if text.contains(where: \.isLetter) {
                return [.loadSuggestions(text)]
            }
            register.suggestions = []
            register.suggestionsFor = ""
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .codeLookedUp(code, item):
            if let item {
                add(item, to: &state)
            } else if state.register.suggestionsFor == code, let first = state.register.suggestions.first {
                // Typed a name rather than a code: take the best match, as search-as-you-type showed it.
                add(first, to: &state)
            } else {
                state.message = .error("Unknown barcode or SKU: \(code.clipped(toWidth: 40))")
            }
            state.register.suggestions = []
            state.register.suggestionsFor = ""
        case let .suggestionsLoaded(query, items):
            // A late answer still counts for the text just submitted with Enter.
            guard query == state.register.input || query == state.register.submitted else { return [] }
            state.register.suggestions = items
            state.register.suggestionsFor = query
        default:
            break
        }
        return []
    }

    private static func add(_ item: CatalogItem, to state: inout AppState) {
        guard item.active else {
            state.message = .error("\(item.sku) \(item.displayName) is archived and cannot be sold")
            return
        }
        if let index = state.register.lines.firstIndex(where: { $0.item.variantID == item.variantID }) {
            state.register.lines[index].quantity = state.register.lines[index].quantity + .one
            state.register.selected = index
        } else {
            state.register.lines.append(CartLine(item: item, quantity: .one))
            state.register.selected = state.register.lines.count - 1
        }
        state.message = .info("Added \(item.displayName).")
        reprice(&state.register, store: state.store, message: &state.message)
    }

    /// Totals come from the core's pricing, the same code the checkout uses.
    static func reprice(_ register: inout RegisterState, store: StoreInfo, message: inout StatusMessage?) {
        guard !register.lines.isEmpty else {
            register.pricing = nil
            return
        }
        do {
            register.pricing = try SalePricing.price(register.lines.map { PricingLine(item: $0.item, quantity: $0.quantity) },
                                                     taxInclusive: store.taxInclusive, currency: store.currency)
        } catch {
            message = .error("\(error)")
        }
    }
}
