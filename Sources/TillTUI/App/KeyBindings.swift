/// What a key does, by name. Handlers switch on these; the help overlay and the status bar are generated from
/// the same tables, so they can never disagree with what the keys really do.
public enum Command: String, Equatable, Sendable {
    case showRegister, showCatalog, showInventory, showOrders, showReports, nextPane, previousPane, refresh
    case help, quit, back, lock
    case focusSearch, moveUp, moveDown, pageUp, pageDown, home, open
    case previousCategory, nextCategory
    case previousLocation, nextLocation, toggleLowStock
    case addItem, removeLine, priceOverride, setQuantity, lineDiscount, orderDiscount, customer, parkOrRecall, voidSale, pay
    case tenderCash, tenderCard, tenderCredit, quickCash1, quickCash2, quickCash3
    case newProduct, editProduct, archiveProduct, saveForm, nextField, previousField, bulkPrice, renameCategory
    case adjustStock, transferStock, receiveStock, showReorder, showValuation, countStock, applyCount, cancelCount
    case openShift, closeShift, noSale, xReport
    case refundLine, refundAll, voidOrder, addNote, reprint, toggleRestock, toggleStoreCredit, confirm
    case showSettings, addTaxClass, setTaxRate, archiveTaxClass
    case toggleTimeline
    case payIn, payOut, zReport, exceptionsReport
}

public struct KeyBinding: Equatable, Sendable {
    public var keys: [Key]
    public var command: Command
    public var help: String
    /// Shown in the status bar's short list (the overlay shows all).
    public var inStatusBar: Bool

    public init(_ keys: [Key], _ command: Command, _ help: String, inStatusBar: Bool = false) {
        self.keys = keys
        self.command = command
        self.help = help
        self.inStatusBar = inStatusBar
    }

    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}

public enum KeyBindings {
    /// Keys that work in every pane. A contract: docs and scripts rely on them.
    public static let global: [KeyBinding] = [
        KeyBinding([.function(1)], .showRegister, "Register"),
        KeyBinding([.function(2)], .showCatalog, "Catalog"),
        KeyBinding([.function(3)], .showInventory, "Inventory"),
        KeyBinding([.function(4)], .showOrders, "Orders"),
        KeyBinding([.function(5)], .showReports, "Reports"),
        KeyBinding([.tab], .nextPane, "next pane"),
        KeyBinding([.backTab], .previousPane, "previous pane"),
        KeyBinding([.character("?")], .help, "help (this list)", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel / close / back"),
        KeyBinding([.control("q")], .quit, "quit", inStatusBar: true),
        KeyBinding([.control("l")], .lock, "lock the till / switch user"),
        KeyBinding([.control("o")], .showSettings, "settings: tax classes and rates (admin)"),
    ]

    static let listMovement: [KeyBinding] = [
        KeyBinding([.up], .moveUp, "previous row"),
        KeyBinding([.down], .moveDown, "next row"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.pageDown], .pageDown, "page down"),
        KeyBinding([.home], .home, "first row"),
    ]

    public static func pane(_ pane: PaneID) -> [KeyBinding] {
        switch pane {
        case .register:
            return [
                KeyBinding([.enter], .addItem, "add item (barcode, SKU, N*code, or top match)", inStatusBar: true),
                KeyBinding([.function(12)], .pay, "pay", inStatusBar: true),
                KeyBinding([.up], .moveUp, "previous cart line"),
                KeyBinding([.down], .moveDown, "next cart line"),
                KeyBinding([.delete], .removeLine, "remove line (the selected one)"),
                KeyBinding([.function(6)], .setQuantity, "quantity of the selected line"),
                KeyBinding([.function(7)], .lineDiscount, "discount on the selected line"),
                KeyBinding([.function(8)], .orderDiscount, "discount on the whole sale"),
                KeyBinding([.function(9)], .customer, "attach a customer"),
                KeyBinding([.function(10)], .parkOrRecall, "park the sale / recall a parked one", inStatusBar: true),
                KeyBinding([.function(11)], .voidSale, "void the sale"),
                KeyBinding([.control("p")], .priceOverride, "change the selected line's price (manager)"),
            ]
        case .catalog:
            return [
                KeyBinding([.character("/")], .focusSearch, "search (or just type)", inStatusBar: true),
                KeyBinding([.enter], .open, "product details", inStatusBar: true),
                KeyBinding([.left], .previousCategory, "previous category"),
                KeyBinding([.right], .nextCategory, "next category", inStatusBar: true),
                KeyBinding([.control("n")], .newProduct, "new product"),
                KeyBinding([.control("e")], .editProduct, "edit product"),
                KeyBinding([.control("x")], .archiveProduct, "archive or unarchive"),
                KeyBinding([.control("g")], .renameCategory, "rename the filtered category"),
                KeyBinding([.control("b")], .bulkPrice, "change prices (category filter, or the selected SKU)"),
            ] + listMovement
        case .inventory:
            return [
                KeyBinding([.character("/")], .focusSearch, "search (or just type)", inStatusBar: true),
                KeyBinding([.enter], .open, "movement history", inStatusBar: true),
                KeyBinding([.function(6)], .toggleLowStock, "low stock only", inStatusBar: true),
                KeyBinding([.left], .previousLocation, "previous location"),
                KeyBinding([.right], .nextLocation, "next location"),
                KeyBinding([.control("a")], .adjustStock, "adjust the selected stock (with a reason)"),
                KeyBinding([.control("t")], .transferStock, "transfer to the other location"),
                KeyBinding([.control("r")], .receiveStock, "receive a delivery"),
                KeyBinding([.function(7)], .showReorder, "reorder list"),
                KeyBinding([.function(8)], .showValuation, "valuation by category"),
                KeyBinding([.function(9)], .countStock, "cycle count of this location"),
            ] + listMovement
        case .reports:
            return [
                KeyBinding([.character("r")], .refresh, "refresh the figures", inStatusBar: true),
                KeyBinding([.character("x")], .xReport, "X report: today so far", inStatusBar: true),
                KeyBinding([.character("o")], .openShift, "open a shift (count the float)", inStatusBar: true),
                KeyBinding([.character("c")], .closeShift, "close the shift (count the drawer)", inStatusBar: true),
                KeyBinding([.character("n")], .noSale, "open the drawer, no sale (manager)"),
                KeyBinding([.character("i")], .payIn, "pay cash in, with a reason (manager)"),
                KeyBinding([.character("p")], .payOut, "pay cash out, with a reason (manager)"),
                KeyBinding([.character("z")], .zReport, "Z report: close the business day (manager)"),
                KeyBinding([.character("e")], .exceptionsReport, "exceptions: voids, no-sales, returns (30 days)"),
                KeyBinding([.pageUp], .pageUp, "scroll the report up"),
                KeyBinding([.pageDown], .pageDown, "scroll the report down"),
            ]
        case .orders:
            return [
                // The whole syntax is in the list's empty state (`OrderSearchSyntax.guide`); this line must fit.
                KeyBinding([.character("/")], .focusSearch, "search (or just type)", inStatusBar: true),
                KeyBinding([.enter], .open, "order details", inStatusBar: true),
            ] + listMovement
        }
    }

    /// The tender screen's keys (F12 from the Register). Modal: pane switching is off while paying.
    public static let tender: [KeyBinding] = [
        KeyBinding([.enter], .tenderCash, "cash (the typed amount, or exact when nothing is typed)", inStatusBar: true),
        KeyBinding([.function(2)], .tenderCard, "card (the typed amount, or all that is due)", inStatusBar: true),
        KeyBinding([.function(3)], .quickCash1, "cash (first quick amount)"),
        KeyBinding([.function(4)], .quickCash2, "cash (second quick amount)"),
        KeyBinding([.function(5)], .quickCash3, "cash (third quick amount)"),
        KeyBinding([.function(6)], .tenderCredit, "store credit or gift card (the typed amount, or as much as it covers)"),
        KeyBinding([.escape], .back, "leave (twice: cancel the payments taken)", inStatusBar: true),
    ]

    /// The product form's keys (Ctrl-N / Ctrl-E in the Catalog).
    public static let productForm: [KeyBinding] = [
        KeyBinding([.control("s")], .saveForm, "save", inStatusBar: true),
        KeyBinding([.tab, .down, .enter], .nextField, "next field", inStatusBar: true),
        KeyBinding([.backTab, .up], .previousField, "previous field"),
        KeyBinding([.escape], .back, "cancel", inStatusBar: true),
    ]

    /// Keys during a cycle count (F9 on the Inventory pane).
    public static let counting: [KeyBinding] = [
        KeyBinding([.enter], .addItem, "record the count typed (QTY for the selected row, or SKU QTY)", inStatusBar: true),
        KeyBinding([.function(10)], .applyCount, "apply the count's variances", inStatusBar: true),
        KeyBinding([.control("x")], .cancelCount, "cancel the count"),
        KeyBinding([.escape], .back, "leave (the count stays open)", inStatusBar: true),
    ]

    /// An open order on the Orders pane.
    public static let orderDetail: [KeyBinding] = [
        KeyBinding([.up], .moveUp, "previous line"),
        KeyBinding([.down], .moveDown, "next line"),
        KeyBinding([.control("r")], .refundLine, "refund the selected line", inStatusBar: true),
        KeyBinding([.control("a")], .refundAll, "refund everything left"),
        KeyBinding([.control("v")], .voidOrder, "void the sale (manager, same day)"),
        KeyBinding([.control("n")], .addNote, "add a note", inStatusBar: true),
        KeyBinding([.control("p")], .reprint, "reprint the receipt"),
        KeyBinding([.character("t")], .toggleTimeline, "timeline and notes (who did what, when, where the money went) / lines",
                   inStatusBar: true),
        KeyBinding([.pageUp], .pageUp, "timeline: page up"),
        KeyBinding([.pageDown], .pageDown, "timeline: page down"),
        KeyBinding([.escape, .enter], .back, "back to the list", inStatusBar: true),
    ]

    /// Typing an amount, a count or a reason on the Reports pane.
    public static let drawerPrompt: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "next / record it", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel", inStatusBar: true),
    ]

    /// Confirming the Z report.
    public static let zPrompt: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "close the business day (Z report)", inStatusBar: true),
        KeyBinding([.escape], .back, "keep the day open", inStatusBar: true),
    ]

    /// The manager approval box for a void on the Orders pane.
    public static let voidApproval: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "next field / approve the void", inStatusBar: true),
        KeyBinding([.tab, .down], .nextField, "PIN field"),
        KeyBinding([.backTab, .up], .previousField, "user name field"),
        KeyBinding([.escape], .back, "clear; again: cancel the void", inStatusBar: true),
    ]

    /// Setting up a refund on an open order.
    public static let refundPrompt: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "refund", inStatusBar: true),
        KeyBinding([.function(6)], .toggleRestock, "restock to the floor / do not restock (damaged)", inStatusBar: true),
        KeyBinding([.function(7)], .toggleStoreCredit, "to the original payment / to store credit", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel", inStatusBar: true),
    ]

    /// A one-line question or text on an open order (a note, confirming a void).
    public static let orderPrompt: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "confirm", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel", inStatusBar: true),
    ]

    /// The settings overlay (Ctrl-O).
    public static let settings: [KeyBinding] = [
        KeyBinding([.up], .moveUp, "previous class"),
        KeyBinding([.down], .moveDown, "next class"),
        KeyBinding([.character("a")], .addTaxClass, "add a tax class", inStatusBar: true),
        KeyBinding([.character("s")], .setTaxRate, "set the selected class's rate (from now or a date)", inStatusBar: true),
        KeyBinding([.character("x")], .archiveTaxClass, "archive the selected class", inStatusBar: true),
        KeyBinding([.character("r")], .refresh, "refresh"),
        KeyBinding([.escape], .back, "close settings", inStatusBar: true),
    ]

    /// Typing a class, a rate or a confirmation in the settings overlay.
    public static let settingsPrompt: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "confirm", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel", inStatusBar: true),
    ]

    static let modalGlobal: [KeyBinding] = global.filter { $0.command == .help || $0.command == .quit }

    /// The keys in force now: the tender screen's while paying, else the pane's and the global ones.
    public static func active(_ state: AppState) -> [KeyBinding] {
        if let settings = state.settings {
            return settings.prompt == nil ? self.settings + modalGlobal : settingsPrompt + modalGlobal.filter { $0.command == .quit }
        }
        if state.pane == .register && state.register.tender != nil { return tender + modalGlobal }
        if state.pane == .inventory, case .count = state.inventory.panel { return counting + modalGlobal }
        if state.pane == .orders && state.orders.detail != nil {
            switch state.orders.prompt {
            case .refund?: return refundPrompt + modalGlobal
            case .note?, .confirmVoid?: return orderPrompt + modalGlobal.filter { $0.command == .quit }
            case .approveVoid?: return voidApproval + modalGlobal.filter { $0.command == .quit }
            case nil: return orderDetail + global.filter { $0.command != .back }
            }
        }
        if state.pane == .reports, let prompt = state.reports.prompt {
            return (prompt.question == nil ? drawerPrompt : zPrompt) + modalGlobal.filter { $0.command == .quit }
        }
        if state.pane == .catalog && state.catalog.form != nil { return productForm + modalGlobal.filter { $0.command == .quit } }
        return pane(state.pane) + global
    }

    /// The command a key means in `pane`: the pane's own table first, then the global one.
    public static func command(for key: Key, in pane: PaneID) -> Command? {
        for binding in self.pane(pane) + global where binding.keys.contains(key) { return binding.command }
        return nil
    }

    public static func command(for key: Key, in state: AppState) -> Command? {
        for binding in active(state) where binding.keys.contains(key) { return binding.command }
        return nil
    }
}
