import TillCore

enum InventoryReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        let load = state.inventory.list.reset(visible: Layout.listRows(state.size))
        return [effect(state.inventory, load)]
    }

    static func effect(_ inventory: InventoryPaneState, _ load: ListLoad) -> Effect {
        .loadStock(text: inventory.search, location: inventory.location.code, lowOnly: inventory.lowOnly, load)
    }

    static func resized(_ state: inout AppState) -> [Effect] {
        let visible = Layout.listRows(state.size)
        state.inventory.list.fit(visible: visible)
        return state.inventory.list.loadIfNeeded(visible: visible).map { [effect(state.inventory, $0)] } ?? []
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if let prompt = state.inventory.prompt { return promptKey(&state, prompt, key, command: command) }
        if case let .count(id, _, _) = state.inventory.panel { return countKey(&state, id, key, command: command) }
        if state.inventory.panel != nil {
            // Reorder and valuation views: any key goes back to the stock list.
            state.inventory.panel = nil
            return []
        }
        if state.inventory.history != nil {
            if command == .back || command == .open { state.inventory.history = nil }
            return []
        }
        let visible = Layout.listRows(state.size)
        let moved = ListKeys.move(&state.inventory.list, command, visible: visible)
        if moved.handled { return moved.load.map { [effect(state.inventory, $0)] } ?? [] }
        switch command {
        case .open:
            guard let row = state.inventory.list.selectedRow else { return [] }
            return [.loadStockHistory(row)]
        case .adjustStock, .transferStock, .receiveStock:
            guard state.inventory.list.selectedRow != nil else {
                state.message = .error("Select a stock row first.")
                return []
            }
            state.inventory.prompt = command == .adjustStock ? .adjust : command == .transferStock ? .transfer : .receive
            state.inventory.input = ""
        case .showReorder:
            return [.loadReorder]
        case .showValuation:
            return [.loadValuation]
        case .countStock:
            let location = state.inventory.list.selectedRow?.locationCode ?? state.inventory.location.code ?? Location.floorCode
            return [.startCount(location: location)]
        case .toggleLowStock:
            state.inventory.lowOnly.toggle()
            state.message = .info(state.inventory.lowOnly ? "Showing SKUs at or below their reorder point." : "Showing all stock.")
            return reload(&state)
        case .previousLocation, .nextLocation:
            let all = LocationFilter.allCases
            let index = all.firstIndex(of: state.inventory.location) ?? 0
            let step = command == .nextLocation ? 1 : all.count - 1
            state.inventory.location = all[(index + step) % all.count]
            return reload(&state)
        default:
            let outcome = SearchField.handle(&state.inventory.search, focused: &state.inventory.searchFocused, key: key,
                                             command: command)
            return outcome == .textChanged ? reload(&state) : []
        }
        return []
    }

    /// The action line: Enter reads what was typed and asks TillCore to do it; Esc cancels.
    static func promptKey(_ state: inout AppState, _ prompt: InventoryPrompt, _ key: Key, command: Command?) -> [Effect] {
        if command == .back {
            state.inventory.prompt = nil
            state.inventory.input = ""
            return []
        }
        guard command == .confirm else {
            if let text = SearchField.edit(state.inventory.input, with: key) { state.inventory.input = text }
            return []
        }
        let words = state.inventory.input.split(separator: " ").map(String.init)
        state.inventory.input = ""
        if prompt != .count { state.inventory.prompt = nil }
        guard let row = state.inventory.list.selectedRow else { return [] }
        do {
            switch prompt {
            case .adjust:
                guard words.count >= 2 else { throw TillError.invalid("type a quantity and a reason, e.g. -2 damaged") }
                guard let reason = StockReason(rawValue: words[1]) else {
                    throw TillError.invalid("unknown reason \"\(words[1])\" (use \(StockOperations.adjustmentReasons.map(\.rawValue).joined(separator: ", ")))")
                }
                let note = words.count > 2 ? words.dropFirst(2).joined(separator: " ") : nil
                return [.adjustStock(sku: row.sku, location: row.locationCode, delta: try Quantity.parse(words[0]), reason: reason, note: note)]
            case .transfer:
                guard let first = words.first else { return [] }
                let other = row.locationCode == Location.floorCode ? Location.backCode : Location.floorCode
                return [.transferStock(sku: row.sku, quantity: try Quantity.parse(first), from: row.locationCode, to: other)]
            case .receive:
                // `--again` anywhere receives a reference that was already received (TillCore refuses it otherwise).
                let again = words.contains("--again")
                let typed = words.filter { $0 != "--again" }
                guard typed.count >= 2 else { throw TillError.invalid("type a reference and at least one line, e.g. DN-1001 24@1.20") }
                let lines = try typed.dropFirst().map { word in
                    try StockOperations.ReceiptLine.parse(word.contains("=") ? word : "\(row.sku)=\(word)", currency: state.store.currency)
                }
                return [.receiveStock(reference: typed[0], lines: lines, location: row.locationCode, again: again)]
            case .count:
                return []
            }
        } catch {
            state.message = .error("\(error)")
            return []
        }
    }

    /// Counting: QTY (for the selected row) or SKU QTY, Enter records; F10 applies; Ctrl-X cancels; Esc leaves.
    static func countKey(_ state: inout AppState, _ countID: Int64, _ key: Key, command: Command?) -> [Effect] {
        guard case let .count(_, location, _) = state.inventory.panel else { return [] }
        switch command {
        case .back:
            state.inventory.panel = nil
            state.inventory.input = ""
            state.message = .info("Count #\(countID) stays open: F9 on this location comes back to it.")
            return reload(&state)
        case .applyCount:
            return [.applyCount(countID: countID)]
        case .cancelCount:
            return [.cancelCount(countID: countID)]
        case .addItem:
            let words = state.inventory.input.split(separator: " ").map(String.init)
            state.inventory.input = ""
            do {
                if words.count == 1, let row = state.inventory.list.selectedRow {
                    return [.setCount(countID: countID, location: location, sku: row.sku, quantity: try Quantity.parse(words[0]))]
                }
                guard words.count == 2 else { throw TillError.invalid("type QTY for the selected row, or SKU QTY") }
                return [.setCount(countID: countID, location: location, sku: words[0], quantity: try Quantity.parse(words[1]))]
            } catch {
                state.message = .error("\(error)")
                return []
            }
        default:
            if let text = SearchField.edit(state.inventory.input, with: key) { state.inventory.input = text }
            return []
        }
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .stockChanged(message):
            state.message = message
            state.inventory.history = nil
            return reload(&state) + CatalogReducer.reload(&state)
        case let .countClosed(message):
            state.message = message
            state.inventory.panel = nil
            return reload(&state) + CatalogReducer.reload(&state)
        case let .inventoryPanelLoaded(panel):
            state.inventory.panel = panel
        case let .stockLoaded(rows, load):
            state.inventory.list.apply(rows, offset: load.offset, limit: load.limit, generation: load.generation)
        case let .stockHistoryLoaded(history):
            state.inventory.history = history
        default:
            break
        }
        return []
    }
}
