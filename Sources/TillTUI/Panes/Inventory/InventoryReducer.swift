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

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
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
