import TillCore

enum RegisterReducer {
    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if state.register.tender?.paying == true {
            // A payment is on its way; a scanner does not wait for it. What is typed now is applied when it
            // answers (`settle`): in the next sale once this one completes — never in this one's tender.
            state.register.heldKeys.append(key)
            // Held keys are typed text too: a card number among them is dropped now, not kept until the answer.
            if ScanBoxGuard.refusesWhileTyping(heldText(state.register.heldKeys)) {
                dropLastEntry(&state.register.heldKeys)
                state.message = SearchField.refusal(field: "What was typed")
            }
            return []
        }
        if state.register.receipt != nil || state.register.changeDue != nil {
            // Every key after a sale belongs to the next one — the scanner's first digit, the first letter of a
            // search — and the receipt stays up meanwhile. With nothing typed, Space, Enter or Esc only close it.
            let register = state.register
            if register.input.isEmpty, register.prompt == nil, register.tender == nil, register.parked == nil,
               command == .dismissReceipt || command == .addItem || command == .back {
                state.register.receipt = nil
                state.register.changeDue = nil
                return []
            }
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
            let typed = text
            if ScanBoxGuard.refusesOnEnter(typed) {
                register.input = ""
                register.suggestions = []
                register.suggestionsFor = ""
                state.message = SearchField.refusal(field: "The scan")
                return []
            }
            // Matches on screen for exactly this text: Enter adds the highlighted one — unless the text is a code
            // (no spaces, a digit in it): a mistyped SKU or barcode is unknown, never the nearest match.
            let looksLikeCode = !text.contains(" ") && text.contains(where: \.isNumber)
            if register.suggestionsFor == text, register.suggestions.indices.contains(register.suggestionSelected), !looksLikeCode {
                text = register.suggestions[register.suggestionSelected].sku
            }
            register.input = ""
            register.suggestions = []
            register.suggestionsFor = ""
            guard !text.isEmpty else { return [] }
            // "*4.50 Gift wrap": something not in the catalog at a typed price (TillCore reads it), never a match.
            do {
                if let entry = try OpenPriceEntry.parse(typed, currency: state.store.currency) {
                    guard let description = entry.description else {
                        register.prompt = .openPriceDescription(price: entry.price, shown: state.money(entry.price))
                        return []
                    }
                    register.scans += 1
                    return [.changeCart(.openPrice(price: entry.price, description: description), scan: register.scans)]
                }
            } catch {
                state.message = .error("\(error)")
                return []
            }
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
            let line = register.lines[register.selected]
            func subject(_ current: String) -> PromptLine {
                PromptLine(number: register.selected + 1, position: line.position, sku: line.sku, name: line.name, current: current)
            }
            switch command {
            case .setQuantity:
                let weighed = register.cart?.isWeighed(line) == true
                register.prompt = .quantity(subject(weighed ? "\(line.quantity.kilograms) kg" : line.quantity.description))
            case .priceOverride:
                register.prompt = .price(subject(state.money(line.unitPrice)))
            default:
                let discount = Discount(storageValue: line.discountSpec)
                register.prompt = .lineDiscount(subject(discount.map { "\($0)" } ?? "none"))
                state.message = Self.discountHint
            }
            register.input = ""
        case .customer:
            // Before the first item too: a regular named first has the sale made out to them from the start.
            register.prompt = .customer
            register.input = ""
            register.customerMatches = []
        case .orderDiscount, .voidSale:
            guard register.isSaleInProgress else {
                state.message = .error("There is no sale in progress.")
                return []
            }
            register.prompt = command == .orderDiscount
                ? .orderDiscount(current: register.cart?.orderDiscount.map { "\($0)" } ?? "none") : .confirmVoid
            if command == .orderDiscount { state.message = Self.discountHint }
            register.input = ""
            register.customerMatches = []
        case .parkOrRecall:
            if register.isSaleInProgress, register.cart?.hasUnansweredCard == true {
                state.message = .error("A card payment on this sale has no answer yet: take the card again (F12, F2) to settle it — it will not be charged twice — before parking it.")
                return []
            }
            if register.isSaleInProgress {
                // Asked first: a label ("red coat lady") finds the sale again among the parked ones.
                register.prompt = .parkLabel
                register.input = ""
                return []
            }
            return [.loadParked]
        case .pay:
            guard register.isSaleInProgress else {
                state.message = .error("Scan something first: the sale is empty.")
                return []
            }
            register.tender = TenderState()
            // The previous sale's receipt has done its job once the next one is being paid.
            register.receipt = nil
            register.changeDue = nil
        case .back:
            register.input = ""
            register.suggestions = []
            register.suggestionsFor = ""
        case .printAgain:
            guard let job = register.unprinted else { return [] }
            state.message = .info("Printing receipt #\(job.orderNumber) again…")
            return [.printReceipt(jobID: job.id, andWaiting: true)]
        default:
            // Space (`.dismissReceipt`) with text typed, and every other printable key, is part of the input.
            guard var text = ScanBoxGuard.edit(register.input, with: key, field: "The scan", message: &state.message) else {
                return []
            }
            // A name search is sent as it is typed, so it gets the whole rule at once.
            if text.contains(where: \.isLetter), CardNumberGuard.containsCardNumber(text) {
                text = ""
                state.message = SearchField.refusal(field: "The search")
            }
            register.input = text
            // Letters mean a name search; digits alone are a scan in progress and need no search; an open-price
            // entry ("*4.50 Gift wrap") names no catalog item.
            if text.contains(where: \.isLetter), !text.hasPrefix("*") {
                return [.loadSuggestions(text)]
            }
            register.suggestions = []
            register.suggestionsFor = ""
        }
        return []
    }

    /// "Receipt #1002 not printed — printer paper out. Ctrl-R: print again", the key as the register's table has it.
    static func notPrintedLine(_ job: PrintJob) -> String {
        let key = KeyBindings.pane(.register).first { $0.command == .printAgain }?.keyLabel ?? "?"
        return "\(job.notPrintedLine). \(key): print again"
    }

    /// Said when a discount prompt opens: what it takes.
    static let discountHint = StatusMessage.info("A discount is 10% or an amount (1.50); Enter alone removes it.")

    private static func promptKey(_ state: inout AppState, _ prompt: RegisterPrompt, _ key: Key, command: Command?) -> [Effect] {
        if case let .weight(sku, name) = prompt { return weightKey(&state, sku: sku, name: name, key, command: command) }
        if prompt == .customer, state.register.cart == nil { return customerFirstKey(&state, key) }
        if case let .openPriceDescription(price, _) = prompt { return openPriceKey(&state, price: price, key) }
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
            guard let text = SearchField.edit(state.register.input, with: key, field: prompt.fieldName,
                                              message: &state.message) else { return [] }
            state.register.input = text
            return prompt == .customer && !text.isEmpty ? [.findCustomers(text)] : []
        }
        let text = state.register.input.trimmingCharacters(in: .whitespaces)
        state.register.prompt = nil
        state.register.input = ""
        state.register.scans += 1
        let scan = state.register.scans
        // The line the prompt named when it opened.
        let position = prompt.line?.position ?? 0
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
            case .parkLabel:
                return [.changeCart(.park(cartID: cart.id, label: text.isEmpty ? nil : text), scan: scan)]
            case .confirmVoid, .weight, .openPriceDescription:
                return []
            }
        } catch {
            state.message = .error("\(error)")
            return []
        }
    }

    /// What an open-price item is: Enter adds it with that description, Esc leaves it out.
    private static func openPriceKey(_ state: inout AppState, price: Int64, _ key: Key) -> [Effect] {
        switch key {
        case .escape:
            state.register.prompt = nil
            state.register.input = ""
            state.message = .info("Open-price item not added.")
        case .enter:
            let text = state.register.input.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                state.message = .error("Say what it is, e.g. Gift wrap: it is printed on the receipt (Esc: leave it out).")
                return []
            }
            state.register.prompt = nil
            state.register.input = ""
            state.register.scans += 1
            return [.changeCart(.openPrice(price: price, description: text), scan: state.register.scans)]
        default:
            if let text = SearchField.edit(state.register.input, with: key, field: "The description", message: &state.message) {
                state.register.input = text
            }
        }
        return []
    }

    /// The customer prompt with no sale yet (F9 first): Enter starts the sale for the first match.
    private static func customerFirstKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .escape:
            state.register.prompt = nil
            state.register.input = ""
            state.register.customerMatches = []
        case .enter:
            let text = state.register.input.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else {
                state.register.prompt = nil
                return []
            }
            guard let match = state.register.customerMatches.first?.id else {
                state.message = .error("No customer matches \"\(text)\".")
                return []
            }
            state.register.prompt = nil
            state.register.input = ""
            state.register.customerMatches = []
            state.register.scans += 1
            return [.changeCart(.startSale(customerID: match), scan: state.register.scans)]
        default:
            guard let text = SearchField.edit(state.register.input, with: key, field: "The customer search",
                                              message: &state.message) else { return [] }
            state.register.input = text
            return text.isEmpty ? [] : [.findCustomers(text)]
        }
        return []
    }

    /// The weight of a weighed item, typed (or read off the scale's display): Enter adds the line with it, Esc
    /// leaves the item out. A weight that does not read stays asked for.
    private static func weightKey(_ state: inout AppState, sku: String, name: String, _ key: Key, command: Command?) -> [Effect] {
        switch command {
        case .back:
            state.register.prompt = nil
            state.register.input = ""
            state.register.weighing = nil
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
            state.register.weighing = nil
            state.register.scans += 1
            return [.scan(sku, quantity: weight, scan: state.register.scans)]
        case .weighAgain:
            state.register.input = ""
            return startWeighing(&state, sku: sku, name: name)
        default:
            // Typing takes over from the scale: its answers stop, and a weight it filled in is typed over.
            var input = state.register.input
            if case .weighed = state.register.weighing?.status, case .character = key { input = "" }
            if let text = SearchField.edit(input, with: key, field: "The weight", message: &state.message) {
                state.register.input = text
                state.register.weighing = nil
            }
            return []
        }
    }

    /// Asks this register's scale for the weight of `sku`, as a new weighing (an earlier one's answers are dropped).
    static func startWeighing(_ state: inout AppState, sku: String, name: String) -> [Effect] {
        guard state.store.scale != nil else {
            state.message = .error("No scale is set up for this register (till scale set \(state.store.register) DEVICE): type the weight in kg.")
            return []
        }
        state.register.weighings += 1
        let weighing = Weighing(sku: sku, id: state.register.weighings)
        state.register.weighing = weighing
        state.message = .info("\(name) is sold by weight: weighing on the scale… (or type its weight in kg; Esc: leave it out)")
        return [.readScale(sku: sku, weighing: weighing.id, attempt: 0)]
    }

    /// The scale's answer for the weight prompt: a stable weight is filled in (Enter adds it), a moving load is
    /// asked about again, a refusal is said in plain words. Answers for another item or weighing, or after the
    /// cashier started typing, are dropped.
    static func scaleRead(_ state: inout AppState, sku: String, weighing id: Int, attempt: Int, _ reading: ScaleReading) -> [Effect] {
        guard case let .weight(promptSKU, name) = state.register.prompt, promptSKU == sku,
              var weighing = state.register.weighing, weighing.id == id, weighing.attempt == attempt else { return [] }
        defer { state.register.weighing = weighing }
        let again = attempt + 1 < Weighing.maxAttempts
        switch reading {
        case let .stable(weight):
            weighing.status = .weighed(weight)
            state.register.input = weight.kilograms
            state.message = .info("\(name): \(weight.kilograms) kg on the scale. Enter adds it (or type another weight).")
        case .moving where again, .refused(.empty) where again:
            // Still settling, or the item not on the pan yet: look again in a moment.
            weighing.status = reading == .moving ? .moving : .reading
            weighing.attempt = attempt + 1
            return [.readScale(sku: sku, weighing: id, attempt: attempt + 1)]
        case .moving:
            weighing.status = .refused(ScaleRefusal.stillMoving.summary)
            state.message = .error("Scale: \(ScaleRefusal.stillMoving.summary). Ctrl-W weighs again, or type the weight.")
        case let .refused(refusal):
            weighing.status = .refused(refusal.summary)
            state.message = .error("Scale: \(refusal.summary). Ctrl-W weighs again, or type the weight.")
        }
        return []
    }

    /// Drops the characters of the entry being typed among held keys: those after the last Enter before it.
    /// Earlier entries were checked as their Enter came, so the card can only be in this one.
    static func dropLastEntry(_ keys: inout [Key]) {
        let end = keys.last == .enter ? keys.count - 1 : keys.count
        let start = keys[..<end].lastIndex(of: .enter).map { $0 + 1 } ?? 0
        let entry = keys[start..<end].filter { if case .character = $0 { return false } else { return true } }
        keys.replaceSubrange(start..<end, with: entry)
    }

    /// The characters among held keys, as the scan box will receive them (Enter ends a scan).
    static func heldText(_ keys: [Key]) -> String {
        keys.reduce(into: "") { text, key in
            switch key {
            case let .character(c): text.append(c)
            case .enter: text.append("\n")
            default: break
            }
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

    /// A payment answered (completed, part paid, or failed): the keys held meanwhile are applied now, in order.
    /// A failure's message stays on screen over what the replayed keys would clear.
    static func settle(_ state: inout AppState, keeping message: StatusMessage? = nil) -> [Effect] {
        state.register.tender?.paying = false
        guard !state.register.heldKeys.isEmpty else { return [] }
        let keys = state.register.heldKeys
        state.register.heldKeys = []
        var effects: [Effect] = []
        for key in keys { effects += AppReducer.reduce(&state, .key(key)) }
        if let message { state.message = message }
        return effects
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .cartLoaded(cart, message, select):
            state.register.cart = cart
            let lines = cart?.lines ?? []
            if !lines.isEmpty || cart?.customer != nil {
                // The next sale has started: the change is no longer news, and a narrow screen needs the room.
                state.register.changeDue = nil
                if state.size.width < Layout.receiptBesideWidth { state.register.receipt = nil }
            }
            if let select, let index = lines.firstIndex(where: { $0.position == select }) {
                state.register.selected = index
            } else {
                state.register.selected = min(state.register.selected, max(0, lines.count - 1))
            }
            if let message { state.message = message }
            if state.register.tender != nil {
                state.register.tender?.readingCredit = false
                state.register.tender?.creditCode = ""
                state.register.tender?.amount = ""
                state.register.tender?.confirmingCancel = false
                if cart.map({ $0.order.status != .open }) ?? true { state.register.tender = nil }
            }
            return settle(&state)
        case let .suggestionsLoaded(query, items):
            guard query == state.register.input else { return [] }
            state.register.suggestions = items
            state.register.suggestionsFor = query
            state.register.suggestionSelected = 0
        case let .customersFound(customers):
            state.register.customerMatches = customers
        case let .scaleRead(sku, weighing, attempt, reading):
            return scaleRead(&state, sku: sku, weighing: weighing, attempt: attempt, reading)
        case let .weightNeeded(item):
            state.register.prompt = .weight(sku: item.sku, name: item.displayName)
            state.register.input = ""
            if state.store.scale != nil { return startWeighing(&state, sku: item.sku, name: item.displayName) }
            state.message = .info("\(item.displayName) is sold by weight: type its weight in kg, Enter adds it (Esc: leave it out).")
        case let .parkedLoaded(orders):
            if orders.isEmpty {
                state.message = .info("No parked sales.")
            } else {
                state.register.parked = orders
                state.register.parkedSelected = 0
            }
        case let .saleCompleted(number, receipt, change, printJob):
            state.register.tender = nil
            state.register.cart = nil
            state.register.selected = 0
            state.register.receipt = receipt
            // Only change to hand back is shown big: "CHANGE DUE €0.00" after a card sale reads as "open the drawer".
            state.register.changeDue = change > 0 ? ChangeDue(number: number, change: change) : nil
            state.message = .info(change > 0 ? "Sale #\(number) completed, change \(state.money(change)). Scan the next item."
                                             : "Sale #\(number) completed. Scan the next item.")
            // The sale changed stock and order history: the other panes' lists are stale.
            return OrdersReducer.reload(&state) + InventoryReducer.reload(&state) + CatalogReducer.reload(&state)
                + settle(&state) + (printJob.map { [.printReceipt(jobID: $0)] } ?? [])
        case let .receiptPrinted(job):
            let wasWaiting = state.register.unprinted?.id == job.id
            if job.status == .printed {
                if wasWaiting { state.register.unprinted = nil }
                if let warning = job.lastError {
                    state.message = .info("Receipt #\(job.orderNumber) printed — printer \(warning): change the roll soon.")
                } else if wasWaiting {
                    state.message = .info("Receipt #\(job.orderNumber) printed.")
                }
            } else {
                state.register.unprinted = job
                state.message = .error(notPrintedLine(job))
            }
        default:
            break
        }
        return []
    }
}
