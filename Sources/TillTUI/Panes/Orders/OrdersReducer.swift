import Foundation
import TillCore

enum OrdersReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        let load = state.orders.list.reset(visible: Layout.listRows(state.size))
        // Read here too (TillCore's one parser, no store needed) so a half-typed `card:12` says what it wants
        // in place of the rows instead of leaving the last search's orders under it.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = state.store.timeZone
        do {
            _ = try OrderQuery(parsing: state.orders.search, currency: state.store.currency, calendar: calendar)
            state.orders.searchProblem = nil
        } catch {
            state.orders.searchProblem = "\(error)"
            state.orders.list.apply([], offset: load.offset, limit: load.limit, generation: load.generation)
            return []
        }
        return [.loadOrders(text: state.orders.search, load)]
    }

    static func resized(_ state: inout AppState) -> [Effect] {
        let visible = Layout.listRows(state.size)
        state.orders.list.fit(visible: visible)
        return state.orders.list.loadIfNeeded(visible: visible).map { [.loadOrders(text: state.orders.search, $0)] } ?? []
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if let detail = state.orders.detail {
            return detailKey(&state, detail: detail, key: key, command: command)
        }
        let visible = Layout.listRows(state.size)
        let moved = ListKeys.move(&state.orders.list, command, visible: visible)
        if moved.handled { return moved.load.map { [.loadOrders(text: state.orders.search, $0)] } ?? [] }
        if command == .open {
            guard let order = state.orders.list.selectedRow else { return [] }
            return [.loadOrderDetail(id: order.id)]
        }
        let outcome = SearchField.handle(&state.orders.search, focused: &state.orders.searchFocused, key: key, command: command,
                                         message: &state.message)
        return outcome == .textChanged ? reload(&state) : []
    }

    private static func detailKey(_ state: inout AppState, detail: OrderDetail, key: Key, command: Command?) -> [Effect] {
        guard let number = detail.order.number else {
            if command == .back || command == .open { state.orders.detail = nil }
            return []
        }
        if let prompt = state.orders.prompt {
            return promptKey(&state, prompt: prompt, number: number, detail: detail, key: key, command: command)
        }
        if state.orders.showingTimeline {
            // ↑↓ PgUp PgDn scroll the timeline; the view keeps the offset within the rows it has.
            let room = OrdersView.timelineRoom(state.size)
            let last = max(0, OrdersView.timelineRows(detail, state: state).count - room)
            let step: Int? = switch command {
            case .moveUp: -1
            case .moveDown: 1
            case .pageUp: -max(1, room - 1)
            case .pageDown: max(1, room - 1)
            default: nil
            }
            if let step {
                state.orders.timelineTop = min(last, max(0, state.orders.timelineTop + step))
                return []
            }
        }
        if state.orders.showingCode, command == .back || command == .open {
            state.orders.showingCode = false
            return []
        }
        switch command {
        case .back, .open:
            state.orders.detail = nil
            state.orders.showingTimeline = false
            return reload(&state)  // statuses may have changed
        case .toggleReceiptCode:
            state.orders.showingCode.toggle()
            state.orders.showingTimeline = false
        case .toggleTimeline:
            state.orders.showingCode = false
            state.orders.showingTimeline.toggle()
            // The newest events are what support asks about: open at the end, scroll up for the start.
            let rows = OrdersView.timelineRows(detail, state: state).count
            state.orders.timelineTop = state.orders.showingTimeline ? max(0, rows - OrdersView.timelineRoom(state.size)) : 0
        case .moveUp:
            state.orders.selectedLine = max(0, state.orders.selectedLine - 1)
        case .moveDown:
            state.orders.selectedLine = min(max(0, detail.lines.count - 1), state.orders.selectedLine + 1)
        case .refundLine:
            // A refund, void or note is asked for over the lines, where the prompt and the line it acts on show.
            state.orders.showingTimeline = false
            guard detail.lines.indices.contains(state.orders.selectedLine) else { return [] }
            let line = detail.lines[state.orders.selectedLine]
            let left = Quantity(milli: line.quantity.milli - (detail.quantityRefunded[line.id ?? 0]?.milli ?? 0))
            guard left > .zero else {
                state.message = .error("Line \(state.orders.selectedLine + 1) (\(line.sku)) has already been refunded in full.")
                return []
            }
            state.orders.prompt = .refund(RefundForm(line: state.orders.selectedLine + 1, quantity: left.description))
        case .refundAll:
            state.orders.showingTimeline = false
            state.orders.prompt = .refund(RefundForm(line: nil, quantity: ""))
        case .voidOrder:
            state.orders.showingTimeline = false
            state.orders.prompt = .confirmVoid
        case .addNote:
            state.orders.showingTimeline = false
            state.orders.prompt = .note("")
        case .reprint:
            state.message = .info("Printing a copy of order #\(number)…")
            return [.reprintReceipt(number: number)]
        default:
            break
        }
        return []
    }

    private static func promptKey(_ state: inout AppState, prompt: OrdersPrompt, number: Int64, detail: OrderDetail, key: Key,
                                  command: Command?) -> [Effect] {
        if case var .approveVoid(form) = prompt {
            guard !form.checking else { return [] }
            switch CredentialsField.handle(key, command: command, username: &form.username, pin: &form.pin, onPIN: &form.onPIN) {
            case .submit:
                let effect = Effect.approveVoid(number: number, username: form.username, pin: form.pin)
                form.pin = ""
                form.checking = true
                state.orders.prompt = .approveVoid(form)
                state.message = .info("Checking \(form.username)'s PIN…")
                return [effect]
            case .cancel:
                state.orders.prompt = nil
                state.message = .info("Not approved; order #\(number) is not voided.")
            case .editing:
                state.orders.prompt = .approveVoid(form)
            case .refused:
                state.orders.prompt = .approveVoid(form)
                state.message = SearchField.refusal(field: "The user name")
            }
            return []
        }
        if command == .back {
            state.orders.prompt = nil
            return []
        }
        switch prompt {
        case .approveVoid:
            break  // handled above, before Esc means "cancel"
        case .confirmVoid:
            state.orders.prompt = nil
            guard command == .confirm else {
                state.message = .info("Not voided.")
                return []
            }
            return [.voidOrder(number: number)]
        case let .note(text):
            if command == .confirm {
                state.orders.prompt = nil
                return [.addOrderNote(number: number, text: text)]
            }
            if let edited = SearchField.edit(text, with: key, field: "The note", message: &state.message) {
                state.orders.prompt = .note(String(edited.prefix(500)))
            }
        case var .refund(form):
            switch command {
            case .toggleRestock: form.restock.toggle()
            case .toggleStoreCredit: form.toStoreCredit.toggle()
            case .confirm:
                var lines: [RefundLineRequest] = []
                if let line = form.line {
                    do {
                        lines = [RefundLineRequest(line: line, quantity: try Quantity.parse(form.quantity))]
                    } catch {
                        state.message = .error("\(error)")
                        return []
                    }
                }
                state.orders.prompt = nil
                state.message = .info("Refunding…")
                return [.refundOrder(RefundRequest(
                    orderNumber: number, lines: lines, restockLocation: form.restock ? Location.floorCode : nil,
                    destination: form.toStoreCredit ? .storeCredit : .original))]
            default:
                if form.line != nil,
                   let edited = SearchField.edit(form.quantity, with: key, field: "The quantity", message: &state.message),
                   edited.allSatisfy({ $0.isNumber || $0 == "." || $0 == "," }) {
                    form.quantity = edited
                }
            }
            state.orders.prompt = .refund(form)
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .ordersLoaded(rows, load):
            state.orders.list.apply(rows, offset: load.offset, limit: load.limit, generation: load.generation)
        case let .orderDetailLoaded(detail):
            if state.orders.detail?.order.id != detail.order.id { state.orders.selectedLine = 0 }
            state.orders.detail = detail
            state.orders.prompt = nil
        case let .orderChanged(detail, message):
            state.orders.detail = detail
            if case .approveVoid? = state.orders.prompt { state.orders.prompt = nil }
            state.message = message
        case let .voidApprovalNeeded(number, _):
            guard state.orders.detail?.order.number == number else { return [] }
            // The box says it in a line that fits at 80 columns (TillCore's longer reason does not).
            state.orders.prompt = .approveVoid(VoidApproval(reason: "Void order #\(number): \(state.store.staff ?? "you") may not void alone."))
            state.message = .error("A manager's name and PIN approve the void; Esc cancels.")
        case let .voidApprovalFailed(message, retry):
            guard case var .approveVoid(form)? = state.orders.prompt else {
                state.message = .error(message)
                return []
            }
            if retry {
                // Keep the box and the name typed; the PIN is typed again.
                form.checking = false
                form.pin = ""
                form.onPIN = !form.username.isEmpty
                state.orders.prompt = .approveVoid(form)
            } else {
                state.orders.prompt = nil
            }
            state.message = .error(message)
        default:
            break
        }
        return []
    }
}
