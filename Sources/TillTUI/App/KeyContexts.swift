import TillCore

/// Which screen's keys are in force. One per kind of screen the user can be on; `KeyContexts.context(for:)`
/// returns one for every state.
public enum KeyContextID: String, CaseIterable, Sendable {
    case quitConfirm, help, tooSmall, signIn, approval, working
    case settings, settingsPrompt, settingsConfirm
    case register, registerPrompt, registerConfirmVoid, weightPrompt, parked, tender, creditCode
    case catalog, productDetail, productForm, priceChangePrompt, categoryRenamePrompt, pricePreview, archiveConfirm
    case inventory, inventoryPrompt, stockHistory, inventoryPanel, reorderList, counting, countConfirm, transferList, purchasing, purchaseDelivery
    case orders, orderDetail, orderTimeline, refundPrompt, notePrompt, orderConfirmVoid, voidApproval
    case reports, reportPanel, drawerPrompt, zConfirm

    /// Contexts whose box scrolls with PgUp/PgDn (and ↑/↓ in help), handled once in `AppReducer`.
    var scrollsOverlay: Bool {
        switch self {
        case .help, .reportPanel: return true  // see ScrollableOverlay.extent (the price preview and stock lists scroll themselves)
        default: return false
        }
    }
}

/// The keys of one screen, lazygit-style: its own bindings, the global ones that still work there, and whether
/// printable characters are typed into a field — the one generic exception to the tables, declared here.
public struct KeyContext: RandomAccessCollection, Sendable {
    public var id: KeyContextID
    /// The heading of the help overlay's first section.
    public var title: String
    public var own: [KeyBinding]
    public var shared: [KeyBinding]
    /// What typing does here (printable characters, and Backspace to delete), or nil when characters are keys.
    public var typing: String?
    /// What an unlisted key says here instead of the generic hint (long work: "wait for it").
    public var unlisted: String?

    public init(_ id: KeyContextID, _ title: String, own: [KeyBinding], shared: [KeyBinding], typing: String? = nil) {
        self.id = id
        self.title = title
        self.own = own
        self.shared = shared
        self.typing = typing
    }

    public var bindings: [KeyBinding] { own + shared }
    public var startIndex: Int { 0 }
    public var endIndex: Int { own.count + shared.count }
    public subscript(position: Int) -> KeyBinding { position < own.count ? own[position] : shared[position - own.count] }

    /// The binding `key` runs here: the context's own first, then the shared ones.
    public func binding(for key: Key) -> KeyBinding? {
        own.first { $0.keys.contains(key) } ?? shared.first { $0.keys.contains(key) }
    }

    /// Whether `key`, bound to nothing here, is text for the field being typed into.
    public func isTyping(_ key: Key) -> Bool {
        guard typing != nil else { return false }
        switch key {
        case .backspace: return true
        case let .character(c): return !c.isNewline && c.unicodeScalars.allSatisfy { $0.value >= 0x20 }
        default: return false
        }
    }

    /// What an unlisted key says: where to find the keys that do work.
    public func noSuchKey(_ key: Key) -> String {
        if let unlisted { return unlisted }
        if shared.contains(where: { $0.command == .help }) { return "\(key) is not a key here: ? lists this screen's keys." }
        let hints = bindings.filter(\.inStatusBar).map { "\($0.keyLabel) \($0.shortHelp)" }
        return "\(key) is not a key here: \(hints.joined(separator: ", "))."
    }
}

/// Picks the context in force and attaches the reasons a key cannot act now.
public enum KeyContexts {
    public static func context(for state: AppState) -> KeyContext {
        if state.confirmingQuit {
            return KeyContext(.quitConfirm, "Quit with a sale in progress?", own: KeyBindings.quitConfirm, shared: [])
        }
        if state.showingHelp {
            return KeyContext(.help, "Help", own: KeyBindings.helpOverlay.map { $0.withReason(scrollReason($0.command)) },
                              shared: quitOnly)
        }
        if state.size.isTooSmall { return KeyContext(.tooSmall, "Terminal too small", own: [], shared: quitOnly) }
        if let signIn = state.signIn {
            return KeyContext(.signIn, "Sign in", own: credentials(KeyBindings.signIn, signIn.username, signIn.pin, signIn.onPIN,
                                                                    mayCancel: false),
                              shared: quitOnly, typing: signIn.onPIN ? "the PIN (digits)" : "the user name")
        }
        if let approval = state.approval {
            return KeyContext(.approval, "Manager approval",
                              own: credentials(KeyBindings.approval, approval.username, approval.pin, approval.onPIN, mayCancel: true),
                              shared: [], typing: approval.onPIN ? "the manager's PIN (digits)" : "the manager's user name")
        }
        if let work = state.running.last {
            let playsCustomer = work.collectsCard && state.store.cashierPlaysCardCustomer
            var context = KeyContext(.working, work.progress,
                                     own: (playsCustomer ? KeyBindings.simulatedCustomer : []) + KeyBindings.working,
                                     shared: KeyBindings.global.filter { $0.command == .help || $0.command == .quit })
            let what = work.progress.components(separatedBy: " — ").first ?? work.progress
            context.unlisted = "\(what) — wait for it\(work.cancellable ? ", or Esc to cancel" : "")."
            return context
        }
        if let settings = state.settings { return settingsContext(settings) }
        switch state.pane {
        case .register: return registerContext(state)
        case .catalog: return catalogContext(state)
        case .inventory: return inventoryContext(state)
        case .orders: return ordersContext(state)
        case .reports: return reportsContext(state)
        }
    }

    static let quitOnly = KeyBindings.global.filter { $0.command == .quit }
    /// Free-text prompts keep `?` as a character (a note may ask a question): only quit and lock stay.
    static let quitAndLock = KeyBindings.global.filter { $0.command == .quit || $0.command == .lock }

    private static func settingsContext(_ settings: SettingsState) -> KeyContext {
        switch settings.prompt {
        case .confirmArchive?:
            return KeyContext(.settingsConfirm, settings.prompt?.label ?? "", own: KeyBindings.settingsPrompt,
                              shared: KeyBindings.modalGlobal)
        case .setRate?:
            return KeyContext(.settingsPrompt, settings.prompt?.label ?? "", own: KeyBindings.settingsPrompt,
                              shared: KeyBindings.modalGlobal, typing: "the rate, and a day it applies from if not now")
        case let prompt?:
            // A class's name is free text: `?` is typed, not help.
            return KeyContext(.settingsPrompt, prompt.label, own: KeyBindings.settingsPrompt, shared: quitAndLock,
                              typing: "the code, the rate and the name")
        case nil:
            let own = KeyBindings.settings.map { binding -> KeyBinding in
                binding.withReason({ () -> DisabledReason? in
                    switch binding.command {
                    case .moveUp: return { _ in settings.selected == 0 ? "already on the first class" : nil }
                    case .moveDown:
                        return { _ in settings.selected >= settings.classes.count - 1 ? "already on the last class" : nil }
                    case .setTaxRate, .archiveTaxClass: return { _ in settings.selectedClass == nil ? "no tax class to act on" : nil }
                    case .addTaxClass:
                        return { _ in settings.problem ?? (settings.loading ? "the tax classes are still loading" : nil) }
                    default: return nil
                    }
                }())
            }
            return KeyContext(.settings, "Settings", own: own, shared: KeyBindings.modalGlobal)
        }
    }

    // MARK: Register

    private static func registerContext(_ state: AppState) -> KeyContext {
        let register = state.register
        if let tender = register.tender {
            if tender.readingCredit {
                let own = KeyBindings.creditCode.map {
                    $0.withReason(reason($0.command == .confirm && tender.creditCode.isEmpty, "type or scan the code first"))
                }
                return KeyContext(.creditCode, "Store credit or gift card", own: own, shared: KeyBindings.modalGlobal,
                                  typing: "the slip or gift card code")
            }
            let quick = TenderReducer.quickAmounts(due: register.cart?.due ?? 0, currency: state.store.currency)
            let own = KeyBindings.tender.map { binding -> KeyBinding in
                let index = [Command.quickCash1, .quickCash2, .quickCash3].firstIndex(of: binding.command)
                guard let index else { return binding }
                guard quick.indices.contains(index) else { return binding.withReason({ _ in "no quick amount \(index + 1) for this total" }) }
                // A typed amount is what was handed over: a quick key must not silently take another.
                return binding.withReason({ state in
                    let typed = state.register.tender?.amount ?? ""
                    return typed.isEmpty ? nil : "you typed \(typed): Enter takes it as cash, or Backspace it away for a quick amount"
                })
            }
            return KeyContext(.tender, "Paying", own: own, shared: KeyBindings.modalGlobal, typing: "the amount handed over")
        }
        if let prompt = register.prompt {
            switch prompt {
            case .confirmVoid:
                return KeyContext(.registerConfirmVoid, "Void this sale?", own: KeyBindings.yesNoPrompt, shared: KeyBindings.modalGlobal)
            case .weight:
                return KeyContext(.weightPrompt, prompt.label(), own: KeyBindings.weightPrompt, shared: KeyBindings.modalGlobal,
                                  typing: "the weight in kg, e.g. 0.450")
            case .customer:
                return KeyContext(.registerPrompt, prompt.label(), own: KeyBindings.textPrompt, shared: quitAndLock,
                                  typing: "a name, email or phone to look up (nothing: detach the customer)")
            case .quantity:
                return KeyContext(.registerPrompt, prompt.label(), own: KeyBindings.textPrompt, shared: KeyBindings.modalGlobal,
                                  typing: "the quantity, e.g. 2 or 0.5")
            case .price:
                return KeyContext(.registerPrompt, prompt.label(), own: KeyBindings.textPrompt, shared: KeyBindings.modalGlobal,
                                  typing: "the new unit price, e.g. 2.50")
            case .openPriceDescription:
                return KeyContext(.registerPrompt, prompt.label(), own: KeyBindings.textPrompt, shared: quitAndLock,
                                  typing: "what the item is, e.g. Gift wrap (printed on the receipt)")
            case .parkLabel:
                return KeyContext(.registerPrompt, prompt.label(), own: KeyBindings.textPrompt, shared: quitAndLock,
                                  typing: "a label for the parked sale, e.g. red coat (nothing: no label)")
            case .lineDiscount, .orderDiscount:
                return KeyContext(.registerPrompt, prompt.label(), own: KeyBindings.textPrompt, shared: KeyBindings.modalGlobal,
                                  typing: "10% or an amount (nothing: remove the discount)")
            }
        }
        if let parked = register.parked {
            let selected = register.parkedSelected
            let own = KeyBindings.parkedList.map { binding -> KeyBinding in
                switch binding.command {
                case .moveUp: return binding.withReason({ _ in selected == 0 ? "already on the first parked sale" : nil })
                case .moveDown: return binding.withReason({ _ in selected >= parked.count - 1 ? "already on the last parked sale" : nil })
                default: return binding
                }
            }
            return KeyContext(.parked, "Parked sales", own: own, shared: KeyBindings.modalGlobal)
        }
        return KeyContext(.register, "Register keys", own: KeyBindings.pane(.register).map { $0.withReason(registerReason($0.command)) },
                          shared: paneGlobal(state), typing: "a barcode, a SKU, N*code, or words to search")
    }

    private static func registerReason(_ command: Command) -> DisabledReason? {
        switch command {
        case .pay: return { $0.register.isSaleInProgress ? nil : "the sale is empty" }
        case .printAgain: return { $0.register.unprinted == nil ? "no receipt is waiting for the printer" : nil }
        // F9 is left to the reducer: a customer may be attached before the first item (issue 14).
        case .voidSale, .orderDiscount: return { $0.register.isSaleInProgress ? nil : "there is no sale in progress" }
        case .removeLine, .setQuantity, .lineDiscount, .priceOverride:
            return { $0.register.lines.isEmpty ? "the sale has no lines" : nil }
        case .addItem:
            return { state in
                state.register.input.trimmingCharacters(in: .whitespaces).isEmpty ? "type or scan a code first" : nil
            }
        case .moveUp:
            return { state in
                let register = state.register
                if !register.suggestions.isEmpty { return register.suggestionSelected == 0 ? "already on the first match" : nil }
                if register.lines.isEmpty { return "the sale has no lines" }
                return register.selected == 0 ? "already on the first line" : nil
            }
        case .moveDown:
            return { state in
                let register = state.register
                if !register.suggestions.isEmpty {
                    return register.suggestionSelected >= register.suggestions.count - 1 ? "already on the last match" : nil
                }
                if register.lines.isEmpty { return "the sale has no lines" }
                return register.selected >= register.lines.count - 1 ? "already on the last line" : nil
            }
        default: return nil
        }
    }

    // MARK: Catalog

    private static func catalogContext(_ state: AppState) -> KeyContext {
        let catalog = state.catalog
        if catalog.form != nil {
            return KeyContext(.productForm, catalog.form?.editing.map { "Edit \($0)" } ?? "New product",
                              own: KeyBindings.productForm, shared: quitAndLock, typing: "the focused field's value")
        }
        if catalog.pricePreview != nil {
            let rows = catalog.pricePreview?.rows.count ?? 0
            let last = max(0, rows - CatalogView.previewRows(state.size))
            let top = catalog.previewTop
            let own = KeyBindings.pricePreview.map { binding -> KeyBinding in
                switch binding.command {
                case .moveUp, .pageUp: return binding.withReason({ _ in top <= 0 ? "already at the first price" : nil })
                case .moveDown, .pageDown: return binding.withReason({ _ in top >= last ? "already at the last price" : nil })
                default: return binding
                }
            }
            return KeyContext(.pricePreview, "Price change preview", own: own, shared: quitOnly)
        }
        if catalog.archiveConfirm != nil {
            return KeyContext(.archiveConfirm, "Archive or bring back?", own: KeyBindings.merchantPrompt, shared: quitOnly)
        }
        if catalog.priceChangeInput != nil {
            return KeyContext(.priceChangePrompt, "Change prices", own: KeyBindings.textPrompt, shared: quitOnly,
                              typing: "the change: 5%, -10%, 0.20 or -0.50")
        }
        if catalog.categoryRenameInput != nil {
            return KeyContext(.categoryRenamePrompt, "Rename category", own: KeyBindings.textPrompt, shared: quitAndLock,
                              typing: "the category's new name")
        }
        if catalog.detail != nil {
            return KeyContext(.productDetail, "Product details", own: KeyBindings.detailView, shared: KeyBindings.modalGlobal)
        }
        let own = KeyBindings.pane(.catalog).map { binding -> KeyBinding in
            binding.withReason({ () -> DisabledReason? in
                let chain = KeyBindings.headOfficeOwnsCatalog
                switch binding.command {
                case .newProduct: return chain
                case .editProduct, .archiveProduct:
                    return { chain($0) ?? ($0.catalog.list.selectedRow == nil ? "select a product first" : nil) }
                case .bulkPrice:
                    return { chain($0) ?? ($0.catalog.categoryName == nil && $0.catalog.list.selectedRow == nil
                        ? "choose a category (←/→) or select a product first" : nil) }
                case .renameCategory: return { chain($0) ?? ($0.catalog.categoryName == nil ? "choose a category with ←/→ first" : nil) }
                case .previousCategory, .nextCategory: return { $0.catalog.categories.isEmpty ? "there are no categories" : nil }
                case .focusSearch: return { $0.catalog.searchFocused ? "the search is already focused" : nil }
                default: return listReason(binding.command, catalog.list)
                }
            }())
        }
        return KeyContext(.catalog, "Catalog keys", own: own, shared: paneGlobal(state), typing: "words to search for")
    }

    // MARK: Inventory

    private static func inventoryContext(_ state: AppState) -> KeyContext {
        let inventory = state.inventory
        if inventory.prompt != nil {
            // The box's question names the SKU, the location and the figure; `?` and Tab are typed there.
            return KeyContext(.inventoryPrompt, "Stock question", own: KeyBindings.merchantPrompt, shared: quitOnly,
                              typing: "what the box asks for")
        }
        switch inventory.panel {
        case .count?:
            if inventory.confirmingCount {
                return KeyContext(.countConfirm, "Apply the count?", own: KeyBindings.countConfirm, shared: quitOnly)
            }
            return KeyContext(.counting, "Cycle count", own: KeyBindings.counting, shared: KeyBindings.modalGlobal,
                              typing: "a scanned barcode or SKU, QTY for the SKU counted last, or SKU QTY")
        case .reorder?:
            let count: Int
            if case let .reorder(rows)? = inventory.panel { count = rows.count } else { count = 0 }
            let selected = inventory.reorderSelected
            let own = KeyBindings.reorderList.map { binding -> KeyBinding in
                switch binding.command {
                case .moveUp: return binding.withReason({ _ in selected <= 0 ? "already on the first SKU" : nil })
                case .moveDown: return binding.withReason({ _ in selected >= count - 1 ? "already on the last SKU" : nil })
                case .open: return binding.withReason({ _ in count == 0 ? "nothing needs reordering" : nil })
                default: return binding
                }
            }
            return KeyContext(.reorderList, "Reorder list", own: own, shared: KeyBindings.modalGlobal)
        case .purchasing? where inventory.delivery != nil && inventory.typingDeliveryReason:
            return KeyContext(.purchaseDelivery, "Why keep them", own: KeyBindings.deliveryReason, shared: quitOnly,
                              typing: "why items not on the order are kept")
        case .purchasing? where inventory.delivery != nil:
            let own = KeyBindings.purchaseDelivery.map { binding -> KeyBinding in
                switch binding.command {
                case .bookDelivery, .cancelCount:
                    return binding.withReason({ $0.inventory.delivery?.isEmpty != false ? "nothing scanned yet" : nil })
                default: return binding
                }
            }
            return KeyContext(.purchaseDelivery, "Delivery", own: own, shared: quitOnly,
                              typing: "a scanned barcode or case code, a SKU, or CODE=QTY[@COST]")
        case let .purchasing(panel)? where panel.detail != nil:
            return KeyContext(.purchasing, panel.detail.map { $0.order.label } ?? "", own: KeyBindings.detailView, shared: KeyBindings.modalGlobal)
        case let .purchasing(panel)?:
            let selected = inventory.purchaseSelected
            let count = panel.orders.count
            let own = KeyBindings.purchasingList.map { binding -> KeyBinding in
                switch binding.command {
                case .moveUp: return binding.withReason({ _ in selected <= 0 ? "already on the first order" : nil })
                case .moveDown: return binding.withReason({ _ in selected >= count - 1 ? "already on the last order" : nil })
                case .open: return binding.withReason({ _ in count == 0 ? "no purchase orders yet: d drafts them from the reorder list" : nil })
                case .sendPurchaseOrder, .receivePurchaseOrder:
                    let order = panel.orders.indices.contains(selected) ? panel.orders[selected] : nil
                    return binding.withReason({ _ in
                        guard let order else { return "no purchase orders yet: d drafts them from the reorder list" }
                        if order.status == .closed { return "\(PurchaseOrder.label(order.number)) is closed" }
                        if binding.command == .receivePurchaseOrder && order.status == .draft { return "\(PurchaseOrder.label(order.number)) is a draft: s sends it first" }
                        return nil
                    })
                default: return binding
                }
            }
            return KeyContext(.purchasing, "Suppliers and purchase orders", own: own,
                              shared: KeyBindings.modalGlobal)
        case .valuation?:
            return KeyContext(.inventoryPanel, "Valuation", own: KeyBindings.stockView, shared: KeyBindings.modalGlobal)
        case let .transfers(list)?:
            let selected = inventory.transferSelected
            let own = KeyBindings.transferList.map { binding -> KeyBinding in
                switch binding.command {
                case .moveUp: return binding.withReason({ _ in selected <= 0 ? "already on the first transfer" : nil })
                case .moveDown: return binding.withReason({ _ in selected >= list.transfers.count - 1 ? "already on the last transfer" : nil })
                case .confirm: return binding.withReason({ _ in list.action(at: selected) == nil ? list.noActionReason(at: selected) : nil })
                default: return binding
                }
            }
            return KeyContext(.transferList, "Transfers", own: own, shared: KeyBindings.modalGlobal)
        case nil:
            break
        }
        if inventory.history != nil {
            return KeyContext(.stockHistory, "Movement history", own: KeyBindings.stockView, shared: KeyBindings.modalGlobal)
        }
        let own = KeyBindings.pane(.inventory).map { binding -> KeyBinding in
            binding.withReason({ () -> DisabledReason? in
                switch binding.command {
                case .adjustStock, .transferStock, .receiveStock:
                    return { $0.inventory.list.selectedRow == nil ? "select a stock row first" : nil }
                case .focusSearch: return { $0.inventory.searchFocused ? "the search is already focused" : nil }
                default: return listReason(binding.command, inventory.list)
                }
            }())
        }
        return KeyContext(.inventory, "Inventory keys", own: own, shared: paneGlobal(state), typing: "a SKU or words to search for")
    }

    // MARK: Orders

    private static func ordersContext(_ state: AppState) -> KeyContext {
        let orders = state.orders
        if let detail = orders.detail {
            switch orders.prompt {
            case let .refund(form)?:
                return KeyContext(.refundPrompt, form.line.map { "Refund line \($0)" } ?? "Refund everything left",
                                  own: KeyBindings.refundPrompt, shared: KeyBindings.modalGlobal,
                                  typing: form.line == nil ? nil : "the quantity to refund")
            case let .note(text)?:
                let own = KeyBindings.orderPrompt.map {
                    $0.withReason(reason($0.command == .confirm && text.trimmingCharacters(in: .whitespaces).isEmpty,
                                         "type the note first"))
                }
                return KeyContext(.notePrompt, "Note on the order", own: own, shared: quitAndLock,
                                  typing: "the note (up to 500 characters)")
            case .confirmVoid?:
                return KeyContext(.orderConfirmVoid, "Void the order?", own: KeyBindings.orderPrompt, shared: KeyBindings.modalGlobal)
            case let .approveVoid(approval)?:
                return KeyContext(.voidApproval, "Manager approval for the void",
                                  own: credentials(KeyBindings.voidApproval, approval.username, approval.pin, approval.onPIN,
                                                   mayCancel: true),
                                  shared: quitOnly,
                                  typing: approval.onPIN ? "the manager's PIN (digits)" : "the manager's user name")
            case nil where orders.showingCode:
                // Over the code only its way back: the order's own keys act on lines the screen does not show.
                let own = [KeyBinding([.character("q"), .escape], .toggleReceiptCode, "back to the order", inStatusBar: true)]
                return KeyContext(.orderDetail, "Order #\(detail.order.number.map(String.init) ?? "—") receipt code", own: own,
                                  shared: KeyBindings.global.filter { $0.command != .back }.map { $0.withReason(globalReason($0.command)) })
            case nil where orders.showingTimeline:
                let rows = OrdersView.timelineRows(detail, state: state).count
                let last = max(0, rows - OrdersView.timelineRoom(state.size))
                let top = orders.timelineTop
                let own = KeyBindings.orderDetail.map { binding -> KeyBinding in
                    switch binding.command {
                    case .moveUp, .pageUp: return binding.withReason({ _ in top <= 0 ? "already at the start of the timeline" : nil })
                    case .moveDown, .pageDown: return binding.withReason({ _ in top >= last ? "already at the end of the timeline" : nil })
                    case .refundLine, .refundAll, .voidOrder, .addNote, .reprint:
                        return binding.withReason({ _ in orderReason(binding.command, detail) })
                    default: return binding
                    }
                }
                return KeyContext(.orderTimeline, "Order #\(detail.order.number.map(String.init) ?? "—") timeline", own: own,
                                  shared: KeyBindings.global.filter { $0.command != .back }.map { $0.withReason(globalReason($0.command)) })
            case nil:
                let selected = orders.selectedLine
                let own = KeyBindings.orderDetail.map { binding -> KeyBinding in
                    switch binding.command {
                    case .moveUp: return binding.withReason({ _ in selected == 0 ? "already on the first line" : nil })
                    case .moveDown:
                        return binding.withReason({ _ in selected >= detail.lines.count - 1 ? "already on the last line" : nil })
                    case .refundLine, .refundAll, .voidOrder, .addNote, .reprint:
                        return binding.withReason({ _ in orderReason(binding.command, detail) })
                    case .toggleReceiptCode:
                        return binding.withReason({ _ in detail.receiptCode == nil ? "this order has no receipt code: only a completed sale is signed" : nil })
                    case .pageUp, .pageDown: return binding.withReason({ _ in "only in the timeline: t shows it" })
                    default: return binding
                    }
                }
                return KeyContext(.orderDetail, "Order #\(detail.order.number.map(String.init) ?? "—") keys", own: own,
                                  shared: KeyBindings.global.filter { $0.command != .back }.map { $0.withReason(globalReason($0.command)) })
            }
        }
        let own = KeyBindings.pane(.orders).map { binding -> KeyBinding in
            binding.command == .focusSearch
                ? binding.withReason({ $0.orders.searchFocused ? "the search is already focused" : nil })
                : binding.withReason(listReason(binding.command, orders.list))
        }
        return KeyContext(.orders, "Orders keys", own: own, shared: paneGlobal(state), typing: "a number, a customer or a date to search for")
    }

    // MARK: Reports

    private static func reportsContext(_ state: AppState) -> KeyContext {
        if let prompt = state.reports.prompt {
            let label = prompt.label(money: state.money)
            if prompt.question != nil {
                return KeyContext(.zConfirm, label, own: KeyBindings.zPrompt, shared: quitOnly)
            }
            let asksReason = prompt.asksReason
            return KeyContext(.drawerPrompt, label, own: KeyBindings.drawerPrompt,
                              shared: asksReason ? quitAndLock : KeyBindings.modalGlobal,
                              typing: asksReason ? "the reason" : "the amount")
        }
        if state.reports.panel != nil {
            return KeyContext(.reportPanel, "Report", own: KeyBindings.reportPanel.map { $0.withReason(scrollReason($0.command)) }
                                + KeyBindings.pane(.reports),
                              shared: paneGlobal(state).filter { $0.command != .back })
        }
        return KeyContext(.reports, "Reports keys", own: KeyBindings.pane(.reports), shared: paneGlobal(state))
    }

    /// Why a support action cannot be taken on this order now (said when pressed, greyed in help), so Ctrl-V on a
    /// voided sale does not ask "Void?" only to be refused.
    private static func orderReason(_ command: Command, _ detail: OrderDetail) -> String? {
        guard detail.order.number != nil else { return "this order has no number yet (still open)" }
        switch (command, detail.order.status) {
        case (.voidOrder, .voided): return "this sale was voided already"
        case (.voidOrder, let status) where status != .completed:
            return "only a completed sale with nothing refunded can be voided (this one is \(status.rawValue.replacingOccurrences(of: "_", with: " "))) — refund it instead"
        case (.refundLine, .voided), (.refundAll, .voided): return "this sale was voided: nothing is left to refund"
        case (.refundLine, .refunded), (.refundAll, .refunded): return "this sale was refunded in full already"
        default: return nil
        }
    }

    // MARK: Reasons shared by several contexts

    /// `text` as the reason when `condition` holds now, when the context is built.
    private static func reason(_ condition: Bool, _ text: String) -> DisabledReason? {
        guard condition else { return nil }
        return { _ in text }
    }

    /// The global keys on a pane, with the reasons they cannot act.
    private static func paneGlobal(_ state: AppState) -> [KeyBinding] {
        KeyBindings.global.map { $0.withReason(globalReason($0.command)) }
    }

    private static func globalReason(_ command: Command) -> DisabledReason? {
        switch command {
        case .showRegister, .showCatalog, .showInventory, .showOrders, .showReports:
            let pane: PaneID = command == .showRegister ? .register : command == .showCatalog ? .catalog
                : command == .showInventory ? .inventory : command == .showOrders ? .orders : .reports
            return { $0.pane == pane ? "already on the \(pane.title) pane" : nil }
        case .back:
            return { state in
                switch state.pane {
                case .register:
                    let register = state.register
                    return register.input.isEmpty && register.suggestions.isEmpty && register.receipt == nil ? "nothing to cancel" : nil
                case .catalog: return state.catalog.search.isEmpty && !state.catalog.searchFocused ? "nothing to cancel" : nil
                case .inventory: return state.inventory.search.isEmpty && !state.inventory.searchFocused ? "nothing to cancel" : nil
                case .orders: return state.orders.search.isEmpty && !state.orders.searchFocused ? "nothing to cancel" : nil
                case .reports: return state.reports.panel == nil ? "nothing to close" : nil
                }
            }
        default: return nil
        }
    }

    /// Moving in a list pane: nothing above the first row, nothing below the last.
    private static func listReason<Row>(_ command: Command, _ list: ListWindow<Row>) -> DisabledReason? {
        let empty = list.isEmpty || (list.hasLoaded && list.selectedRow == nil)
        let last = list.knownCount.map { list.selected >= $0 - 1 } ?? false
        let first = list.selected == 0
        let noRow = list.selectedRow == nil
        switch command {
        case .moveUp, .pageUp, .home:
            return { _ in empty ? "the list is empty" : first ? "already on the first row" : nil }
        case .moveDown, .pageDown:
            return { _ in empty ? "the list is empty" : last ? "already on the last row" : nil }
        case .open:
            return { _ in noRow ? "the list is empty" : nil }
        default: return nil
        }
    }

    /// Scrolling a box: nothing above the top, nothing below the end.
    private static func scrollReason(_ command: Command) -> DisabledReason? {
        switch command {
        case .pageUp, .moveUp, .home: return { $0.overlayScroll == 0 ? "already at the top" : nil }
        case .pageDown, .moveDown: return { $0.overlayScroll >= ScrollableOverlay.maxOffset($0) ? "already at the end" : nil }
        default: return nil
        }
    }

    /// User name then PIN: what Enter, Tab and Esc cannot do yet.
    private static func credentials(_ table: [KeyBinding], _ username: String, _ pin: String, _ onPIN: Bool,
                                    mayCancel: Bool) -> [KeyBinding] {
        table.map { binding in
            switch binding.command {
            case .confirm:
                return binding.withReason({ _ in
                    onPIN ? (pin.isEmpty ? "type the PIN first" : nil) : (username.isEmpty ? "type the user name first" : nil)
                })
            case .nextField:
                return binding.withReason({ _ in onPIN ? "already on the PIN" : username.isEmpty ? "type the user name first" : nil })
            case .previousField:
                return binding.withReason({ _ in onPIN ? nil : "already on the user name" })
            case .back where !mayCancel:
                return binding.withReason({ _ in !onPIN && username.isEmpty ? "nothing typed to clear: sign in to go on" : nil })
            default:
                return binding
            }
        }
    }
}
