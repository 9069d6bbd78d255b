import TillCore

/// Applies an action to the state and returns the effects to run. Pure: no database, no terminal.
public enum AppReducer {
    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .started:
            return [.loadCart, .loadCategories] + CatalogReducer.reload(&state) + InventoryReducer.reload(&state)
                + OrdersReducer.reload(&state)
        case let .resized(size):
            state.size = size
            return CatalogReducer.resized(&state) + InventoryReducer.resized(&state) + OrdersReducer.resized(&state)
        case let .failed(message):
            state.message = .error(message)
            return []
        case .catalogLoaded, .categoriesLoaded, .productDetailLoaded, .productFormLoaded, .productFormIssues, .productSaved,
             .pricePreviewLoaded, .pricesChanged, .categoryRenamed:
            return CatalogReducer.reduce(&state, action)
        case .stockLoaded, .stockHistoryLoaded, .stockChanged, .countClosed, .inventoryPanelLoaded:
            return InventoryReducer.reduce(&state, action)
        case .reportsLoaded, .reportsRefused, .reportPanel:
            return ReportsReducer.reduce(&state, action)
        case .ordersLoaded, .orderDetailLoaded, .orderChanged, .voidApprovalNeeded, .voidApprovalFailed:
            return OrdersReducer.reduce(&state, action)
        case .cartLoaded, .suggestionsLoaded, .customersFound, .parkedLoaded, .saleCompleted, .weightNeeded:
            return RegisterReducer.reduce(&state, action)
        case .idle:
            state.settings = nil  // whoever signs in next must not find an admin's screen open
            return SessionReducer.reduce(&state, action)
        case .approvalNeeded, .approvalFailed, .signedIn, .signInFailed:
            return SessionReducer.reduce(&state, action)
        case .taxClassesLoaded, .settingsRefused:
            return SettingsReducer.reduce(&state, action)
        case let .key(key):
            return reduceKey(&state, key)
        }
    }

    private static func reduceKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if state.confirmingQuit {
            switch key {
            case .character("y"), .character("Y"): state.shouldQuit = true
            default:
                state.confirmingQuit = false
                state.message = .info("Carry on: the sale is still open.")
            }
            return []
        }
        if state.showingHelp {
            // Any key closes the overlay; only Ctrl-Q also acts.
            state.showingHelp = false
            if key != .control("q") { return [] }
        }
        if state.size.isTooSmall && key != .control("q") { return [] }
        state.message = nil
        if state.signIn != nil { return SessionReducer.signInKey(&state, key) }
        if state.approval != nil { return SessionReducer.approvalKey(&state, key) }
        if key == .control("l") {
            state.settings = nil
            state.signIn = SignInState(reason: "Switch user: sign in (the sale in progress stays).")
            return []
        }
        if key == .control("c") {
            // In raw mode Ctrl-C is only a key; say how to leave rather than quitting mid-sale.
            state.message = .info("Ctrl-Q quits.")
            return []
        }
        let command = KeyBindings.command(for: key, in: state)
        let before = state.pane
        let effects = reduceCommand(&state, key, command: command)
        return state.pane == .reports && before != .reports ? effects + ReportsReducer.reload(&state) : effects
    }

    private static func reduceCommand(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        switch command {
        case .showRegister: state.pane = .register
        case .showCatalog: state.pane = .catalog
        case .showInventory: state.pane = .inventory
        case .showOrders: state.pane = .orders
        case .showReports: state.pane = .reports
        case .nextPane: state.pane = PaneID(rawValue: (state.pane.rawValue + 1) % PaneID.allCases.count) ?? .register
        case .previousPane:
            state.pane = PaneID(rawValue: (state.pane.rawValue + PaneID.allCases.count - 1) % PaneID.allCases.count) ?? .register
        case .help: state.showingHelp = true
        case .showSettings: return SettingsReducer.open(&state)
        case .quit:
            if state.register.isSaleInProgress {
                state.confirmingQuit = true
            } else {
                state.shouldQuit = true
            }
        default:
            return reducePaneKey(&state, key, command: command)
        }
        return []
    }

    private static func reducePaneKey(_ state: inout AppState, _ key: Key, command: Command?) -> [Effect] {
        if state.settings != nil { return SettingsReducer.key(&state, key, command: command) }
        switch state.pane {
        case .register: return RegisterReducer.key(&state, key, command: command)
        case .catalog: return CatalogReducer.key(&state, key, command: command)
        case .inventory: return InventoryReducer.key(&state, key, command: command)
        case .orders: return OrdersReducer.key(&state, key, command: command)
        case .reports: return ReportsReducer.key(&state, key, command: command)
        }
    }
}

/// Typing into a search field: printable characters append, Backspace deletes, Esc clears, `/` focuses.
enum SearchField {
    enum Outcome { case textChanged, handled, ignored }

    /// The search keys every list pane shares. `.textChanged` means the list must be reloaded.
    static func handle(_ text: inout String, focused: inout Bool, key: Key, command: Command?) -> Outcome {
        switch command {
        case .focusSearch:
            focused = true
            return .handled
        case .back:
            guard !text.isEmpty || focused else { return .ignored }
            let hadText = !text.isEmpty
            text = ""
            focused = false
            return hadText ? .textChanged : .handled
        default:
            guard let edited = edit(text, with: key) else { return .ignored }
            text = edited
            focused = true
            return .textChanged
        }
    }

    /// The new text, or nil when the key is not text editing.
    static func edit(_ text: String, with key: Key) -> String? {
        switch key {
        case let .character(c) where !c.isNewline && c.unicodeScalars.allSatisfy({ $0.value >= 0x20 }):
            return text + String(c)
        case .backspace:
            return text.isEmpty ? nil : String(text.dropLast())
        default:
            return nil
        }
    }
}
