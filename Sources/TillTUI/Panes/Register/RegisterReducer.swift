import TillCore

enum RegisterReducer {
    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if state.register.receipt != nil {
            // Any key after a sale clears the receipt: the next sale starts. A typed character — the scanner's
            // first digit, the first letter of a search — is also the start of that sale, never lost.
            state.register.receipt = nil
            guard case let .character(typed) = key, typed != " " else { return [] }
        }
        if state.register.tender != nil { return TenderReducer.key(&state, key, command: command) }
        if let prompt = state.register.prompt { return promptKey(&state, prompt, key, command: command) }
        if state.register.parked != nil { return parkedKey(&state, key, command: command) }
        var register = state.register
        defer { state.register = register }
        let cartID = register.cart?.id
        switch command {
        case .addItem:
            var text = register.input.trimmingCharacters(in: .whitespaces)
            // Matches on screen for exactly this text: Enter adds the highlighted one.
            if register.suggestionsFor == text, register.suggestions.indices.contains(register.suggestionSelected) {
                text = register.suggestions[register.suggestionSelected].sku
            }
            register.input = ""
            register.suggestions = []
            register.suggestionsFor = ""
            guard !text.isEmpty else { return [] }
            // "3*CODE" sells three; "0.450*CODE" a weighed quantity; a bare code one piece (a weighed item asks).
            var quantity: Quantity?
            var code = text
            if let star = text.firstIndex(of: "*") {
                do {
                    quantity = try Quantity.parse(String(text[..<star]))
                } catch {
                    state.message = .error("\(error)")
                    return []
                }
                code = String(text[text.index(after: star)...]).trimmingCharacters(in: .whitespaces)
            }
            register.scans += 1
            return [.scan(code, quantity: quantity, scan: register.scans)]
        case .moveUp where !register.suggestions.isEmpty:
            register.suggestionSelected = max(0, register.suggestionSelected - 1)
        case .moveDown where !register.suggestions.isEmpty:
            register.suggestionSelected = min(register.suggestions.count - 1, register.suggestionSelected + 1)
        case .moveUp:
            register.selected = max(0, register.selected - 1)
        case .moveDown:
            register.selected = min(max(0, register.lines.count - 1), register.selected + 1)
        case .removeLine:
            guard let cartID, register.lines.indices.contains(register.selected) else { return [] }
            register.scans += 1
            return [.changeCart(.setQuantity(cartID: cartID, position: register.lines[register.selected].position, .zero),
                                scan: register.scans)]
        case .setQuantity, .lineDiscount, .priceOverride:
            guard register.lines.indices.contains(register.selected) else {
                state.message = .error("Select a line first.")
                return []
            }
            register.prompt = command == .setQuantity ? .quantity : command == .priceOverride ? .price : .lineDiscount
            register.input = ""
        case .orderDiscount, .customer, .voidSale:
            guard register.isSaleInProgress else {
                state.message = .error("There is no sale in progress.")
                return []
            }
            register.prompt = command == .orderDiscount ? .orderDiscount : command == .customer ? .customer : .confirmVoid
            register.input = ""
            register.customerMatches = []
        case .parkOrRecall:
            if let cartID, register.isSaleInProgress {
                register.scans += 1
                return [.changeCart(.park(cartID: cartID), scan: register.scans)]
            }
            return [.loadParked]
        case .pay:
            guard register.isSaleInProgress else {
                state.message = .error("Scan something first: the sale is empty.")
                return []
            }
            register.tender = TenderState()
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

    private static func promptKey(_ state: inout AppState, _ prompt: RegisterPrompt, _ key: Key, command: Command?) -> [Effect] {
        if case let .weight(sku, name) = prompt { return weightKey(&state, sku: sku, name: name, key, command: command) }
        guard let cart = state.register.cart else {
            state.register.prompt = nil
            return []
        }
        if command == .back {
            state.register.prompt = nil
            state.register.input = ""
            state.register.customerMatches = []
            return []
        }
        if prompt == .confirmVoid {
            state.register.prompt = nil
            guard command == .confirm else { return [] }
            state.register.scans += 1
            return [.changeCart(.discard(cartID: cart.id), scan: state.register.scans)]
        }
        guard command == .confirm else {
            guard let text = SearchField.edit(state.register.input, with: key) else { return [] }
            state.register.input = text
            return prompt == .customer && !text.isEmpty ? [.findCustomers(text)] : []
        }
        let text = state.register.input.trimmingCharacters(in: .whitespaces)
        state.register.prompt = nil
        state.register.input = ""
        state.register.scans += 1
        let scan = state.register.scans
        let position = state.register.lines.indices.contains(state.register.selected)
            ? state.register.lines[state.register.selected].position : 0
        do {
            switch prompt {
            case .quantity:
                return [.changeCart(.setQuantity(cartID: cart.id, position: position, try Quantity.parse(text)), scan: scan)]
            case .price:
                let price = try MoneyParser(currency: state.store.currency).parse(text)
                return [.changeCart(.overridePrice(cartID: cart.id, position: position, price: price.minorUnits), scan: scan)]
            case .lineDiscount:
                let discount = text.isEmpty ? nil : try Discount.parse(text, currency: state.store.currency)
                return [.changeCart(.lineDiscount(cartID: cart.id, position: position, discount), scan: scan)]
            case .orderDiscount:
                let discount = text.isEmpty ? nil : try Discount.parse(text, currency: state.store.currency)
                return [.changeCart(.orderDiscount(cartID: cart.id, discount), scan: scan)]
            case .customer:
                defer { state.register.customerMatches = [] }
                if text.isEmpty { return [.changeCart(.attachCustomer(cartID: cart.id, customerID: nil), scan: scan)] }
                guard let match = state.register.customerMatches.first else {
                    state.message = .error("No customer matches \"\(text)\".")
                    return []
                }
                return [.changeCart(.attachCustomer(cartID: cart.id, customerID: match.id), scan: scan)]
            case .confirmVoid, .weight:
                return []
            }
        } catch {
            state.message = .error("\(error)")
            return []
        }
    }

    /// The weight of a weighed item, typed (or read off the scale's display): Enter adds the line with it, Esc
    /// leaves the item out. A weight that does not read stays asked for.
    private static func weightKey(_ state: inout AppState, sku: String, name: String, _ key: Key, command: Command?) -> [Effect] {
        switch command {
        case .back:
            state.register.prompt = nil
            state.register.input = ""
            state.message = .info("\(name) not added: it is sold by weight.")
            return []
        case .confirm:
            let text = state.register.input.trimmingCharacters(in: .whitespaces)
            state.register.input = ""
            let weight: Quantity
            do {
                weight = try Quantity.parse(text)
            } catch {
                state.message = .error("\(error) — type the weight in kg, e.g. 0.450")
                return []
            }
            state.register.prompt = nil
            state.register.scans += 1
            return [.scan(sku, quantity: weight, scan: state.register.scans)]
        default:
            if let text = SearchField.edit(state.register.input, with: key) { state.register.input = text }
            return []
        }
    }

    private static func parkedKey(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        let parked = state.register.parked ?? []
        switch command {
        case .moveUp: state.register.parkedSelected = max(0, state.register.parkedSelected - 1)
        case .moveDown: state.register.parkedSelected = min(max(0, parked.count - 1), state.register.parkedSelected + 1)
        case .addItem:
            state.register.parked = nil
            guard parked.indices.contains(state.register.parkedSelected) else { return [] }
            state.register.scans += 1
            return [.changeCart(.recall(orderID: parked[state.register.parkedSelected].id), scan: state.register.scans)]
        default:
            state.register.parked = nil
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .cartLoaded(cart, message, select):
            state.register.cart = cart
            let lines = cart?.lines ?? []
            if let select, let index = lines.firstIndex(where: { $0.position == select }) {
                state.register.selected = index
            } else {
                state.register.selected = min(state.register.selected, max(0, lines.count - 1))
            }
            if let message { state.message = message }
            if state.register.tender != nil {
                state.register.tender?.readingCard = false
                state.register.tender?.readingCredit = false
                state.register.tender?.creditCode = ""
                state.register.tender?.amount = ""
                state.register.tender?.confirmingCancel = false
                if cart.map({ $0.order.status != .open }) ?? true { state.register.tender = nil }
            }
        case let .suggestionsLoaded(query, items):
            guard query == state.register.input else { return [] }
            state.register.suggestions = items
            state.register.suggestionsFor = query
            state.register.suggestionSelected = 0
        case let .customersFound(customers):
            state.register.customerMatches = customers
        case let .weightNeeded(item):
            state.register.prompt = .weight(sku: item.sku, name: item.displayName)
            state.register.input = ""
            state.message = .info("\(item.displayName) is sold by weight: type its weight in kg, Enter adds it (Esc: leave it out).")
        case let .parkedLoaded(orders):
            if orders.isEmpty {
                state.message = .info("No parked sales.")
            } else {
                state.register.parked = orders
                state.register.parkedSelected = 0
            }
        case let .saleCompleted(number, receipt):
            state.register.tender = nil
            state.register.cart = nil
            state.register.selected = 0
            state.register.receipt = receipt
            state.message = .info("Sale #\(number) completed. Any key starts the next sale.")
            // The sale changed stock and order history: the other panes' lists are stale.
            return OrdersReducer.reload(&state) + InventoryReducer.reload(&state) + CatalogReducer.reload(&state)
        default:
            break
        }
        return []
    }
}
