import TillCore

enum OrdersReducer {
    static func reload(_ state: inout AppState) -> [Effect] {
        let load = state.orders.list.reset(visible: Layout.listRows(state.size))
        return [.loadOrders(text: state.orders.search, load)]
    }

    static func resized(_ state: inout AppState) -> [Effect] {
        let visible = Layout.listRows(state.size)
        state.orders.list.fit(visible: visible)
        return state.orders.list.loadIfNeeded(visible: visible).map { [.loadOrders(text: state.orders.search, $0)] } ?? []
    }

    static func key(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if state.orders.detail != nil {
            if command == .back || command == .open { state.orders.detail = nil }
            return []
        }
        let visible = Layout.listRows(state.size)
        let moved = ListKeys.move(&state.orders.list, command, visible: visible)
        if moved.handled { return moved.load.map { [.loadOrders(text: state.orders.search, $0)] } ?? [] }
        switch command {
        case .open:
            guard let order = state.orders.list.selectedRow else { return [] }
            return [.loadOrderDetail(id: order.id)]
        default:
            let outcome = SearchField.handle(&state.orders.search, focused: &state.orders.searchFocused, key: key,
                                             command: command)
            return outcome == .textChanged ? reload(&state) : []
        }
        return []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case let .ordersLoaded(rows, load):
            state.orders.list.apply(rows, offset: load.offset, limit: load.limit, generation: load.generation)
        case let .orderDetailLoaded(detail):
            state.orders.detail = detail
        default:
            break
        }
        return []
    }
}
