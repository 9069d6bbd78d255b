import TillCore

enum InventoryReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        let load = state.inventory.list.reset(visible: Layout.listRows(state.size))
        return [effect(state.inventory, load)]
    }

    /// Reloads the list where it is, after a change to a row: the selection returns to `state.inventory.follow`.
    static func refresh(_ state: inout AppState) -> [Effect] {
        let load = state.inventory.list.refresh(visible: Layout.listRows(state.size))
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
        if case let .count(sheet) = state.inventory.panel {
            return state.inventory.confirmingCount ? confirmCountKey(&state, sheet, command: command)
                : countKey(&state, sheet, key, command: command)
        }
        if case let .reorder(rows) = state.inventory.panel { return reorderKey(&state, rows, command: command) }
        if case let .transfers(list) = state.inventory.panel { return transfersKey(&state, list, command: command) }
        if case let .purchasing(panel) = state.inventory.panel { return purchasingKey(&state, panel, key: key, command: command) }
        if state.inventory.panel != nil {
            // The valuation view: any key goes back to the stock list.
            state.inventory.panel = nil
            return []
        }
        if state.inventory.history != nil {
            if command == .back { state.inventory.history = nil }
            return []
        }
        let visible = Layout.listRows(state.size)
        let moved = ListKeys.move(&state.inventory.list, command, visible: visible)
        if moved.handled { return moved.load.map { [effect(state.inventory, $0)] } ?? [] }
        switch command {
        case .open:
            guard let row = state.inventory.list.selectedRow else { return [] }
            return [.loadStockHistory(row)] + StockElsewhereReducer.ask(&state, sku: row.sku)
        case .adjustStock, .transferStock, .receiveStock:
            guard state.inventory.list.selectedRow != nil else {
                state.message = .error("Select a stock row first.")
                return []
            }
            state.inventory.prompt = command == .adjustStock ? .adjust : command == .transferStock ? .transfer : .receive
            state.inventory.input = ""
        case .showReorder:
            state.inventory.reorderSelected = 0
            return [.loadReorder]
        case .showValuation:
            return [.loadValuation]
        case .showTransfers:
            state.inventory.transferSelected = 0
            return [.loadTransfers]
        case .showPurchasing:
            state.inventory.purchaseSelected = 0
            return [.loadPurchasing(number: nil)]
        case .countStock:
            let location = state.inventory.list.selectedRow?.locationCode ?? state.inventory.location.code ?? Location.floorCode
            state.inventory.countSubject = nil
            state.inventory.confirmingCount = false
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
                                             command: command, message: &state.message)
            return outcome == .textChanged ? reload(&state) : []
        }
        return []
    }

    /// The reorder list: ↑/↓ choose a SKU, Enter shows its stock at every location, where Ctrl-R receives the
    /// order when it comes and Ctrl-T brings what the back room holds to the floor; d drafts purchase orders.
    static func reorderKey(_ state: inout AppState, _ rows: [ReorderRow], command: Command?) -> [Effect] {
        switch command {
        case .moveUp: state.inventory.reorderSelected = max(0, state.inventory.reorderSelected - 1)
        case .moveDown: state.inventory.reorderSelected = min(max(0, rows.count - 1), state.inventory.reorderSelected + 1)
        case .open:
            guard rows.indices.contains(state.inventory.reorderSelected) else { return [] }
            let sku = rows[state.inventory.reorderSelected].sku
            state.inventory.panel = nil
            state.inventory.search = sku
            state.inventory.searchFocused = false
            state.inventory.location = .all
            state.inventory.lowOnly = false
            state.inventory.follow = StockRowKey(sku: sku, location: Location.floorCode)
            state.message = .info("\(sku): Ctrl-R receives the order, Ctrl-T moves stock.")
            return reload(&state)
        case .draftPurchaseOrders:
            // The drafts open in the suppliers and purchase orders view.
            state.inventory.purchaseSelected = 0
            return [.draftPurchaseOrders]
        default:
            state.inventory.panel = nil
        }
        return []
    }

    /// Suppliers and purchase orders: ↑/↓ choose an order, Enter shows its lines (Esc back to the list), d drafts
    /// orders from the reorder list, r reads them again. Sending and receiving are `till po send|receive`.
    static func purchasingKey(_ state: inout AppState, _ panel: PurchasingPanel, key: Key, command: Command?) -> [Effect] {
        if let delivery = state.inventory.delivery {
            return deliveryKey(&state, panel.detail?.order, delivery, key: key, command: command)
        }
        if panel.detail != nil {
            guard command == .back || command == .open else { return [] }
            var list = panel
            list.detail = nil
            state.inventory.panel = .purchasing(list)
            return []
        }
        switch command {
        case .moveUp: state.inventory.purchaseSelected = max(0, state.inventory.purchaseSelected - 1)
        case .moveDown: state.inventory.purchaseSelected = min(max(0, panel.orders.count - 1), state.inventory.purchaseSelected + 1)
        case .open:
            guard panel.orders.indices.contains(state.inventory.purchaseSelected) else { return [] }
            return [.loadPurchasing(number: panel.orders[state.inventory.purchaseSelected].number)]
        case .draftPurchaseOrders:
            return [.draftPurchaseOrders]
        case .sendPurchaseOrder:
            guard panel.orders.indices.contains(state.inventory.purchaseSelected) else { return [] }
            return [.sendPurchaseOrder(number: panel.orders[state.inventory.purchaseSelected].number)]
        case .receivePurchaseOrder:
            guard panel.orders.indices.contains(state.inventory.purchaseSelected) else { return [] }
            state.inventory.delivery = []
            state.inventory.deliveryReason = nil
            state.inventory.typingDeliveryReason = false
            state.inventory.input = ""
            return [.loadPurchasing(number: panel.orders[state.inventory.purchaseSelected].number)]
        case .refresh:
            return [.loadPurchasing(number: nil)]
        case .back:
            state.inventory.panel = nil
        default:
            break
        }
        return []
    }

    /// A delivery scanned in against an order: each Enter adds what was scanned or typed (nothing is written),
    /// F10 books it all at once through TillCore, Ctrl-X takes the last entry off, Esc drops it.
    static func deliveryKey(_ state: inout AppState, _ order: PurchaseOrder?, _ delivery: [String], key: Key, command: Command?) -> [Effect] {
        if state.inventory.typingDeliveryReason {
            switch command {
            case .addItem:
                let reason = state.inventory.input.trimmingCharacters(in: .whitespaces)
                state.inventory.deliveryReason = reason.isEmpty ? nil : reason
                state.message = .info(reason.isEmpty ? "Items not on the order will be refused." : "Items not on the order are kept: \(reason).")
                state.inventory.typingDeliveryReason = false
                state.inventory.input = ""
            case .back:
                state.inventory.typingDeliveryReason = false
                state.inventory.input = ""
                state.message = .info("No reason given: items not on the order will be refused.")
            default:
                if let text = ScanBoxGuard.edit(state.inventory.input, with: key, field: "The reason", message: &state.message) {
                    state.inventory.input = text
                }
            }
            return []
        }
        switch command {
        case .keepNotOrdered:
            state.inventory.typingDeliveryReason = true
            state.inventory.input = state.inventory.deliveryReason ?? ""
            state.message = .info("Why keep what is not on the order? Type it, then Enter (Esc: refuse them).")
        case .back:
            state.inventory.delivery = nil
            state.inventory.deliveryReason = nil
            state.inventory.input = ""
            state.message = .info("Nothing booked\(order.map { " against \($0.label)" } ?? "").")
        case .addItem:
            let typed = state.inventory.input.trimmingCharacters(in: .whitespaces)
            state.inventory.input = ""
            if ScanBoxGuard.refusesOnEnter(typed) {
                state.message = SearchField.refusal(field: "The delivery entry")
                return []
            }
            guard !typed.isEmpty else {
                state.message = .info("Scan or type what arrived, then Enter; F10 books the delivery.")
                return []
            }
            // Checked as it is typed (a quantity, a cost), so a bad entry never waits in the list until F10;
            // whether the code is an item on the order is TillCore's to say when the delivery is booked.
            let entries = typed.split(separator: " ").map(String.init)
            do {
                for entry in entries {
                    let line = try StockOperations.ReceiptLine.parse(entry.contains("=") ? entry : "\(entry)=1", currency: state.store.currency)
                    guard line.quantity.milli > 0 else {
                        throw TillError.invalidQuantity(line.quantity.description, reason: "\(line.sku): a received quantity is above zero")
                    }
                }
            } catch {
                state.inventory.input = typed
                state.message = .error("\(error)")
                return []
            }
            state.inventory.delivery = delivery + entries
        case .cancelCount:
            guard !delivery.isEmpty else { return [] }
            state.inventory.delivery = Array(delivery.dropLast())
            state.message = .info("Took \(delivery[delivery.count - 1]) off the delivery.")
        case .bookDelivery:
            guard !delivery.isEmpty else { return [] }
            guard let order else {
                state.message = .error("The order is still being read; F10 again in a moment.")
                return []
            }
            return [.receivePurchaseOrder(number: order.number, entries: delivery, addReason: state.inventory.deliveryReason)]
        default:
            if let text = ScanBoxGuard.edit(state.inventory.input, with: key, field: "The delivery entry", message: &state.message) {
                state.inventory.input = text
            }
        }
        return []
    }

    /// The transfers list: ↑/↓ choose, Enter ships what a request still asks for or receives what is in
    /// transit (into the back room), r asks HQ again, Esc goes back.
    static func transfersKey(_ state: inout AppState, _ list: TransferList, command: Command?) -> [Effect] {
        switch command {
        case .moveUp: state.inventory.transferSelected = max(0, state.inventory.transferSelected - 1)
        case .moveDown: state.inventory.transferSelected = min(max(0, list.transfers.count - 1), state.inventory.transferSelected + 1)
        case .refresh: return [.loadTransfers]
        case .confirm:
            switch list.action(at: state.inventory.transferSelected) {
            case .ship(let id)?: return [.shipTransfer(id: id)]
            case .receive(let id)?: return [.receiveTransfer(id: id)]
            case nil: state.message = .error(list.noActionReason(at: state.inventory.transferSelected))
            }
        case .back, nil:
            state.inventory.panel = nil
        default:
            break
        }
        return []
    }

    /// The action box: Enter reads what was typed and asks TillCore to do it; Esc cancels. The row acted on is
    /// remembered so the selection comes back to it when the list reloads.
    static func promptKey(_ state: inout AppState, _ prompt: InventoryPrompt, _ key: Key, command: Command?) -> [Effect] {
        switch command {
        case .back:
            state.inventory.prompt = nil
            state.inventory.input = ""
            return []
        case .confirm:
            break
        default:
            if let text = ScanBoxGuard.edit(state.inventory.input, with: key, field: "The entry", message: &state.message) {
                state.inventory.input = text
            }
            return []
        }
        if ScanBoxGuard.refusesOnEnter(state.inventory.input) {
            state.inventory.input = ""
            state.message = SearchField.refusal(field: "The entry")
            return []
        }
        let words = state.inventory.input.split(separator: " ").map(String.init)
        guard let row = state.inventory.list.selectedRow else {
            state.inventory.prompt = nil
            return []
        }
        do {
            let effects = try promptEffects(&state, prompt, row, words)
            if !effects.isEmpty { state.inventory.follow = StockRowKey(row) }
            state.inventory.input = ""
            if state.inventory.prompt == prompt { state.inventory.prompt = nil }
            return effects
        } catch {
            // What was typed stays in the box, to be corrected rather than typed again.
            state.message = .error("\(error)")
            return []
        }
    }

    private static func promptEffects(_ state: inout AppState, _ prompt: InventoryPrompt, _ row: StockLevelRow,
                                  _ words: [String]) throws -> [Effect] {
        switch prompt {
        case .adjust:
            guard words.count >= 2 else { throw TillError.invalid("type a quantity and a reason, e.g. -2 damaged") }
            guard let reason = StockReason(rawValue: words[1]) else {
                throw TillError.invalid("unknown reason \"\(words[1])\" (use \(StockOperations.adjustmentReasons.map(\.rawValue).joined(separator: ", ")))")
            }
            let note = words.count > 2 ? words.dropFirst(2).joined(separator: " ") : nil
            return [.adjustStock(sku: row.sku, location: row.locationCode, delta: try Quantity.parse(words[0]), reason: reason, note: note)]
        case .transfer:
            guard let first = words.first else { throw TillError.invalid("type how many \(row.sku) to move to \(row.otherLocation), e.g. 6") }
            return [.transferStock(sku: row.sku, quantity: try Quantity.parse(first), from: row.locationCode, to: row.otherLocation)]
        case .receive:
            // `--again` anywhere receives a reference that was already received (TillCore refuses it otherwise).
            let again = words.contains("--again")
            let typed = words.filter { $0 != "--again" }
            guard let reference = typed.first else { throw TillError.invalid("type the delivery note's reference, e.g. DN-1001") }
            // The whole delivery on one line (`DN-1001 24@1.20`) is received at once; a reference alone asks for its lines.
            guard typed.count >= 2 else {
                state.inventory.prompt = .receiveLines(reference: reference, again: again)
                return []
            }
            return try receive(state, row, reference: reference, words: Array(typed.dropFirst()), again: again)
        case let .receiveLines(reference, again):
            let typed = words.filter { $0 != "--again" }
            guard !typed.isEmpty else {
                throw TillError.invalid("type how many of \(row.sku) came on \(reference), e.g. 24 or 24@4.10")
            }
            return try receive(state, row, reference: reference, words: typed, again: again || words.contains("--again"))
        }
    }

    private static func receive(_ state: AppState, _ row: StockLevelRow, reference: String, words: [String], again: Bool) throws -> [Effect] {
        let lines = try words.map { word in
            try StockOperations.ReceiptLine.parse(word.contains("=") ? word : "\(row.sku)=\(word)", currency: state.store.currency)
        }
        return [.receiveStock(reference: reference, lines: lines, location: row.locationCode, again: again)]
    }

    /// Counting: a scanned barcode or a typed SKU adds one (a case code its pack), `SKU QTY` sets, a bare QTY sets
    /// the SKU being counted; F10 shows the variances to confirm; Ctrl-X cancels; Esc leaves the count open.
    static func countKey(_ state: inout AppState, _ sheet: CountSheet, _ key: Key, command: Command?) -> [Effect] {
        switch command {
        case .back:
            state.inventory.panel = nil
            state.inventory.input = ""
            state.inventory.countSubject = nil
            state.message = .info("Count #\(sheet.id) stays open: F9 on this location comes back to it.")
            return refresh(&state)
        case .applyCount:
            guard !sheet.lines.isEmpty else {
                state.message = .error("Nothing counted yet in count #\(sheet.id): scan or type what is on the shelf first.")
                return []
            }
            state.inventory.confirmingCount = true
            return []
        case .cancelCount:
            return [.cancelCount(countID: sheet.id)]
        case .addItem:
            let typed = state.inventory.input
            state.inventory.input = ""
            if ScanBoxGuard.refusesOnEnter(typed) {
                state.message = SearchField.refusal(field: "The count entry")
                return []
            }
            do {
                switch try CountEntry.parse(typed) {
                case let .quantity(quantity):
                    guard let sku = countSubject(state, sheet) else {
                        throw TillError.invalid("scan or type the SKU first, then its quantity (or SKU QTY on one line)")
                    }
                    return [.setCount(countID: sheet.id, code: sku, quantity: quantity)]
                case let .code(code, quantity):
                    return [.setCount(countID: sheet.id, code: code, quantity: quantity)]
                }
            } catch {
                state.message = .error("\(error)")
                return []
            }
        default:
            if let text = ScanBoxGuard.edit(state.inventory.input, with: key, field: "The count entry", message: &state.message) {
                state.inventory.input = text
            }
            return []
        }
    }

    /// The SKU a bare quantity counts: the one counted last, else the list's selected row when it is at the
    /// count's location.
    static func countSubject(_ state: AppState, _ sheet: CountSheet) -> String? {
        if let sku = state.inventory.countSubject { return sku }
        guard let row = state.inventory.list.selectedRow, row.locationCode.lowercased() == sheet.location.lowercased() else { return nil }
        return row.sku
    }

    /// The variances on screen before they are written: Enter applies, Esc goes back to counting.
    static func confirmCountKey(_ state: inout AppState, _ sheet: CountSheet, command: Command?) -> [Effect] {
        switch command {
        case .confirm:
            state.inventory.confirmingCount = false
            return [.applyCount(countID: sheet.id)]
        case .back:
            state.inventory.confirmingCount = false
            state.message = .info("Not applied: count #\(sheet.id) is still open.")
        default:
            break
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .stockChanged(message):
            state.message = message
            state.inventory.history = nil
            return refresh(&state) + CatalogReducer.refresh(&state)
        case let .countClosed(message):
            state.message = message
            state.inventory.panel = nil
            state.inventory.confirmingCount = false
            state.inventory.countSubject = nil
            return refresh(&state) + CatalogReducer.refresh(&state)
        case let .inventoryPanelLoaded(panel):
            if case let .count(sheet) = panel, case let .count(before) = state.inventory.panel, before.id == sheet.id {
                // The line just recorded is the one whose count changed: a bare quantity next applies to it.
                let changed = sheet.lines.first { line in !before.lines.contains(line) }
                if let changed { state.inventory.countSubject = changed.sku }
            }
            state.inventory.panel = panel
        case let .stockLoaded(rows, load):
            state.inventory.list.apply(rows, offset: load.offset, limit: load.limit, generation: load.generation)
            if load.generation == state.inventory.list.generation, let follow = state.inventory.follow {
                state.inventory.follow = nil
                state.inventory.list.select(where: follow.matches, visible: Layout.listRows(state.size))
            }
        case let .stockHistoryLoaded(history):
            state.inventory.history = history
        case let .purchasingChanged(panel, message):
            if let message { state.message = message }
            // A booked delivery is done; one being scanned keeps going once its order is on screen.
            if message != nil || panel.detail == nil {
                state.inventory.delivery = nil
                state.inventory.deliveryReason = nil
                state.inventory.typingDeliveryReason = false
            }
            state.inventory.panel = .purchasing(panel)
            state.inventory.purchaseSelected = min(state.inventory.purchaseSelected, max(0, panel.orders.count - 1))
        case let .transfersChanged(list, message):
            state.message = message
            state.inventory.panel = .transfers(list)
            return refresh(&state) + CatalogReducer.refresh(&state)
        default:
            break
        }
        return []
    }
}
