import TillCore

/// What happens in the HQ app: a key, a new size, or head office's answer to something asked.
public enum HQAction: Equatable, Sendable {
    case started
    case key(Key)
    case resized(ScreenSize)
    case currencyLoaded(HQAnswer<Currency>)
    case ordersLoaded(generation: Int, HQAnswer<[HQOrder]>)
    case orderLoaded(chainNumber: String, HQAnswer<HQOrder>)
    case productsLoaded(generation: Int, HQAnswer<[HQProductMatch]>)
    case stockLoaded(generation: Int, sku: String, HQAnswer<[HQStockRow]>)
}

/// HQ's answer, or why there is none: HQ could not be reached (the pane keeps what it showed), or it refused
/// what was asked (a store it does not know).
public enum HQAnswer<Value: Equatable & Sendable>: Equatable, Sendable {
    case value(Value)
    case unreachable(String)
    case refused(String)
}

/// What the reducer asks of head office; `HQEffectRunner` asks it off the key loop.
public enum HQEffect: Equatable, Sendable {
    case loadCurrency
    case searchOrders(HQOrderFilter, generation: Int)
    case loadOrder(chainNumber: String)
    case findProducts(String, generation: Int)
    case loadStock(sku: String, generation: Int)
}

/// State in, action in, state out and effects: pure, so every screen is tested without a terminal or HQ.
public enum HQAppReducer {
    /// How many orders one search shows (newest first).
    static let orderLimit = 200

    public static func reduce(_ state: inout HQAppState, _ action: HQAction) -> [HQEffect] {
        switch action {
        case .started:
            return [.loadCurrency, .findProducts("", generation: state.stock.generation)]
                + searchOrders(&state)
        case let .resized(size):
            state.size = size
            keepVisible(&state)
            return []
        case let .currencyLoaded(answer):
            if case let .value(currency) = answer {
                state.currency = currency
                return searchOrders(&state)  // amounts in the search are read in the chain's currency
            }
            if case let .unreachable(reason) = answer { state.message = .error("head office cannot be reached: \(reason)") }
            return []
        case let .ordersLoaded(generation, answer):
            guard generation == state.orders.generation else { return [] }
            state.orders.loading = false
            switch answer {
            case let .value(rows):
                state.orders.rows = rows
                state.orders.unreachable = nil
                state.orders.selected = min(state.orders.selected, max(0, rows.count - 1))
                if rows.isEmpty { state.orders.selected = 0 }
            case let .unreachable(reason):
                state.orders.unreachable = reason
            case let .refused(reason):
                state.orders.problem = reason
                state.orders.rows = []
            }
            keepVisible(&state)
            return []
        case let .orderLoaded(chainNumber, answer):
            guard state.orders.loadingDetail == chainNumber else { return [] }
            state.orders.loadingDetail = nil
            switch answer {
            case let .value(order): state.orders.detail = order
            case let .unreachable(reason): state.message = .error("head office cannot be reached (\(reason)): \(chainNumber) not opened")
            case let .refused(reason): state.message = .error(reason)
            }
            return []
        case let .productsLoaded(generation, answer):
            guard generation == state.stock.generation else { return [] }
            state.stock.loading = false
            switch answer {
            case let .value(matches):
                state.stock.matches = matches
                state.stock.problem = nil
                state.stock.selected = 0
                state.stock.top = 0
            case let .unreachable(reason):
                state.stock.problem = "head office cannot be reached: \(reason)"
            case let .refused(reason):
                state.stock.problem = reason
            }
            return loadSelectedStock(&state)
        case let .stockLoaded(generation, sku, answer):
            guard generation == state.stock.levelsGeneration else { return [] }
            switch answer {
            case let .value(levels):
                state.stock.levelsFor = sku
                state.stock.levels = levels
            case let .unreachable(reason):
                state.message = .error("head office cannot be reached: \(reason); stock of \(sku) as last shown")
            case let .refused(reason):
                state.message = .error(reason)
            }
            return []
        case let .key(key):
            return self.key(&state, key)
        }
    }

    static func key(_ state: inout HQAppState, _ key: Key) -> [HQEffect] {
        let context = HQKeyBindings.context(state)
        let command = HQKeyBindings.command(for: key, in: context)
        if command != nil || isTyping(key) { state.message = nil }
        switch command {
        case .quit?:
            state.shouldQuit = true
            return []
        case .help?:
            state.showingHelp = true
            return []
        case let .pane(pane)?:
            state.showingHelp = false
            state.pane = pane
            return []
        case .nextPane?:
            state.pane = state.pane == .orders ? .stock : .orders
            return []
        case .refresh?:
            switch state.pane {
            case .orders:
                if let open = state.orders.detail {
                    state.orders.loadingDetail = open.chainNumber
                    return [.loadOrder(chainNumber: open.chainNumber)]
                }
                return searchOrders(&state)
            case .stock:
                return findProducts(&state)
            }
        default:
            break
        }
        if context == .help {
            if command == .close { state.showingHelp = false }
            return []
        }
        switch state.pane {
        case .orders: return ordersKey(&state, key, command: command)
        case .stock: return stockKey(&state, key, command: command)
        }
    }

    static func isTyping(_ key: Key) -> Bool {
        switch key {
        case .character, .backspace: return true
        default: return false
        }
    }

    // MARK: - Orders

    static func ordersKey(_ state: inout HQAppState, _ key: Key, command: HQCommand?) -> [HQEffect] {
        if state.orders.detail != nil {
            if command == .close { state.orders.detail = nil }
            return []
        }
        if let command, move(&state.orders.selected, command, count: state.orders.rows.count, page: listRows(state)) {
            keepVisible(&state)
            return []
        }
        switch command {
        case .open?:
            guard let order = state.orders.selectedRow else { return [] }
            state.orders.loadingDetail = order.chainNumber
            return [.loadOrder(chainNumber: order.chainNumber)]
        case .close?:
            guard !state.orders.search.isEmpty else { return [] }
            state.orders.search = ""
            return searchOrders(&state)
        default:
            break
        }
        guard edit(&state.orders.search, key) else { return [] }
        return searchOrders(&state)
    }

    /// Reads the search here (TillCore's one parser, no HQ needed), so a half-typed `card:12` says what it
    /// wants in place of the rows; a search that reads is sent to HQ.
    static func searchOrders(_ state: inout HQAppState) -> [HQEffect] {
        state.orders.generation += 1
        guard let currency = state.currency else { return [] }  // asked again when the currency arrives
        do {
            var filter = try HQOrderFilter(parsing: state.orders.search, currency: currency)
            filter.limit = orderLimit
            state.orders.problem = nil
            state.orders.loading = true
            state.orders.selected = 0
            state.orders.top = 0
            return [.searchOrders(filter, generation: state.orders.generation)]
        } catch {
            state.orders.problem = "\(error)"
            state.orders.rows = []
            state.orders.loading = false
            return []
        }
    }

    // MARK: - Stock

    static func stockKey(_ state: inout HQAppState, _ key: Key, command: HQCommand?) -> [HQEffect] {
        if let command, move(&state.stock.selected, command, count: state.stock.matches.count, page: listRows(state)) {
            keepVisible(&state)
            return loadSelectedStock(&state)
        }
        if command == .close {
            guard !state.stock.search.isEmpty else { return [] }
            state.stock.search = ""
            return findProducts(&state)
        }
        guard edit(&state.stock.search, key) else { return [] }
        return findProducts(&state)
    }

    static func findProducts(_ state: inout HQAppState) -> [HQEffect] {
        state.stock.generation += 1
        state.stock.loading = true
        return [.findProducts(state.stock.search, generation: state.stock.generation)]
    }

    static func loadSelectedStock(_ state: inout HQAppState) -> [HQEffect] {
        guard let match = state.stock.selectedMatch else {
            state.stock.levelsFor = nil
            state.stock.levels = []
            return []
        }
        state.stock.levelsGeneration += 1
        return [.loadStock(sku: match.sku, generation: state.stock.levelsGeneration)]
    }

    // MARK: - Shared

    /// Typing into a search: printable characters and Backspace. Card numbers never get into one (issue 15):
    /// a digit that would complete one is refused here, as in every other field.
    static func edit(_ text: inout String, _ key: Key) -> Bool {
        switch key {
        case let .character(character):
            guard !character.isNewline, character.unicodeScalars.allSatisfy({ $0.value >= 0x20 }) else { return false }
            let next = text + String(character)
            guard !CardNumberGuard.containsCardNumber(next) else { return false }
            text = next
            return true
        case .backspace:
            guard !text.isEmpty else { return false }
            text.removeLast()
            return true
        default:
            return false
        }
    }

    static func move(_ selected: inout Int, _ command: HQCommand, count: Int, page: Int) -> Bool {
        let last = max(0, count - 1)
        switch command {
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(last, selected + 1)
        case .pageUp: selected = max(0, selected - max(1, page))
        case .pageDown: selected = min(last, selected + max(1, page))
        case .home: selected = 0
        case .end: selected = last
        default: return false
        }
        return true
    }

    /// Rows of a list pane at this size: the body less its box, the search line, two lines of hint and the header.
    static func listRows(_ state: HQAppState) -> Int { max(1, state.size.height - 2 - 2 - 3 - 1) }

    static func keepVisible(_ state: inout HQAppState) {
        let rows = listRows(state)
        func fit(_ selected: Int, _ top: inout Int) {
            if selected < top { top = selected }
            if selected >= top + rows { top = selected - rows + 1 }
            top = max(0, top)
        }
        fit(state.orders.selected, &state.orders.top)
        fit(state.stock.selected, &state.stock.top)
    }
}
