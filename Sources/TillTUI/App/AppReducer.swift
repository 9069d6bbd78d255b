import TillCore

/// Applies an action to the state and returns the effects to run. Pure: no database, no terminal.
public enum AppReducer {
    public static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        // A box opened or closed: the next one starts at its top.
        let before = KeyBindings.active(state).id
        let effects = reduceAction(&state, action)
        if KeyBindings.active(state).id != before { state.overlayScroll = 0 }
        return effects
    }

    private static func reduceAction(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .started:
            // A card answer lost before the last stop is settled from the processor before the cart is shown.
            return [.settleCards, .loadCart, .loadCategories, .loadChainLink] + CatalogReducer.reload(&state) + InventoryReducer.reload(&state)
                + OrdersReducer.reload(&state)
        case .chainTick:
            return [.loadChainLink]
        case let .chainLinkLoaded(link):
            state.store.chainLink = link
            return []
        case let .stockElsewhereLoaded(sku, answer):
            return StockElsewhereReducer.loaded(&state, sku: sku, answer)
        case let .resized(size):
            state.size = size
            return CatalogReducer.resized(&state) + InventoryReducer.resized(&state) + OrdersReducer.resized(&state)
        case let .cardsSettled(lines):
            if !lines.isEmpty { state.message = .info("Card reader: " + lines.joined(separator: "; ") + ".") }
            return []
        case let .failed(message):
            state.message = .error(message)
            // A payment that failed lets through the keys held while it was on its way.
            return RegisterReducer.settle(&state, keeping: .error(message))
        case .catalogLoaded, .categoriesLoaded, .productDetailLoaded, .productFormLoaded, .productFormIssues, .productSaved,
             .pricePreviewLoaded, .pricesChanged, .categoryRenamed:
            return CatalogReducer.reduce(&state, action)
        case .stockLoaded, .stockHistoryLoaded, .stockChanged, .countClosed, .inventoryPanelLoaded, .transfersChanged, .purchasingChanged:
            return InventoryReducer.reduce(&state, action)
        case .reportsLoaded, .reportsRefused, .reportPanel:
            return ReportsReducer.reduce(&state, action)
        case .ordersLoaded, .orderDetailLoaded, .orderChanged, .voidApprovalNeeded, .voidApprovalFailed:
            return OrdersReducer.reduce(&state, action)
        case .cartLoaded, .suggestionsLoaded, .customersFound, .parkedLoaded, .saleCompleted, .weightNeeded, .receiptPrinted, .scaleRead:
            return RegisterReducer.reduce(&state, action)
        case .idle:
            state.settings = nil  // whoever signs in next must not find an admin's screen open
            return SessionReducer.reduce(&state, action)
        case .approvalNeeded, .approvalFailed, .approvalGranted, .signedIn, .signInFailed:
            return SessionReducer.reduce(&state, action)
        case .taxClassesLoaded, .settingsRefused:
            return SettingsReducer.reduce(&state, action)
        case .effectStarted, .effectProgress, .effectFinished:
            return WorkingReducer.reduce(&state, action)
        case let .key(key):
            var refusal: StatusMessage?
            if state.droppingCardDigits {
                if case let .character(c) = key, ("0"..."9").contains(c) || c == " " || c == "-" { return [] }
                state.droppingCardDigits = false
                refusal = state.message
            }
            let effects = reduceKey(&state, key)
            // The refusal stays in view for the key that follows the number, so a paste or a scanner shows it.
            if let refusal, state.message == nil { state.message = refusal }
            if case let .character(c) = key, ("0"..."9").contains(c), let message = state.message, message.isError,
               message.text.contains(CardNumberGuard.reason) {
                state.droppingCardDigits = true
            }
            return effects
        }
    }

    /// Every key goes through the context in force: a listed key runs its command (or says why it cannot), a
    /// printable character is text where the context types, and any other key only says it is not a key here.
    private static func reduceKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        let context = KeyBindings.active(state)
        if context.id == .working, let work = state.running.last {
            // Long work owns the keys: Esc asks it to stop, help and quit work, anything else is told to wait.
            state.message = nil
            return WorkingReducer.key(&state, key, command: context.binding(for: key)?.command, work: work)
        }
        var command: Command?
        if let binding = context.binding(for: key) {
            if let reason = binding.disabledReason(state) {
                state.message = .error("\(key) \(binding.shortHelp): \(reason)")
                return []
            }
            command = binding.command
        } else if !context.isTyping(key) {
            state.message = .info(context.noSuchKey(key))
            return []
        }
        switch context.id {
        case .quitConfirm:
            if command == .confirm {
                state.shouldQuit = true
            } else {
                state.confirmingQuit = false
                state.message = .info("Carry on: the sale is still open.")
            }
            return []
        case .help:
            if command == .back { state.showingHelp = false }
            if command == .quit {
                state.showingHelp = false
                quit(&state)
            }
            if let command { scroll(&state, command) }
            return []
        case .tooSmall:
            if command == .quit { quit(&state) }
            return []
        default:
            break
        }
        state.message = nil
        if context.id == .signIn { return SessionReducer.signInKey(&state, key, command: command) }
        if context.id == .approval { return SessionReducer.approvalKey(&state, key, command: command) }
        if command == .lock {
            state.settings = nil
            state.signIn = SignInState(reason: "Switch user: sign in (the sale in progress stays).")
            return []
        }
        if context.id.scrollsOverlay, let command, [.pageUp, .pageDown].contains(command) {
            scroll(&state, command)
            return []
        }
        let before = state.pane
        let effects = reduceCommand(&state, key, command: command)
        return state.pane == .reports && before != .reports ? effects + ReportsReducer.reload(&state) : effects
    }

    /// Moves the topmost box by a line or a page, never past its end.
    private static func scroll(_ state: inout AppState, _ command: Command) {
        let page = max(1, ScrollableOverlay.visibleRows(state) - 1)
        let target: Int
        switch command {
        case .moveUp: target = state.overlayScroll - 1
        case .moveDown: target = state.overlayScroll + 1
        case .pageUp: target = state.overlayScroll - page
        case .pageDown: target = state.overlayScroll + page
        case .home: target = 0
        default: return
        }
        state.overlayScroll = min(max(0, target), ScrollableOverlay.maxOffset(state))
    }

    private static func quit(_ state: inout AppState) {
        if state.register.isSaleInProgress { state.confirmingQuit = true } else { state.shouldQuit = true }
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
        case .quit: quit(&state)
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
