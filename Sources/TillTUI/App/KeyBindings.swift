/// What a key does, by name. Handlers switch on these; the help overlay and the status bar are generated from
/// the same tables, so they can never disagree with what the keys really do.
public enum Command: String, Equatable, Sendable {
    case showRegister, showCatalog, showInventory, showOrders, showReports, nextPane, previousPane, refresh
    case help, quit, back, lock, cancelWork
    /// The simulated reader's customer, played by the cashier while it waits (demo, training).
    case customerApproves, customerDeclines, customerHasNoFunds, customerCancels, readerAnswerLost
    case focusSearch, moveUp, moveDown, pageUp, pageDown, home, open
    case previousCategory, nextCategory
    case previousLocation, nextLocation, toggleLowStock
    case addItem, removeLine, priceOverride, setQuantity, lineDiscount, orderDiscount, customer, parkOrRecall, voidSale, pay
    /// The weight prompt: read this register's scale again.
    case weighAgain
    case dismissReceipt, printAgain
    case tenderCash, tenderCard, tenderCredit, tenderPoints, quickCash1, quickCash2, quickCash3
    case newProduct, editProduct, archiveProduct, saveForm, nextField, previousField, bulkPrice, renameCategory
    case adjustStock, transferStock, receiveStock, showReorder, showValuation, countStock, applyCount, cancelCount, showTransfers
    case showPurchasing, draftPurchaseOrders, sendPurchaseOrder, receivePurchaseOrder, bookDelivery, keepNotOrdered
    case openShift, closeShift, noSale, xReport
    case refundLine, refundAll, voidOrder, addNote, reprint, toggleRestock, toggleStoreCredit, confirm
    case showSettings, addTaxClass, setTaxRate, archiveTaxClass
    case toggleTimeline
    case toggleReceiptCode
    case payIn, payOut, zReport, exceptionsReport
}

/// Why a command cannot run in the state given, or nil when it can (lazygit's `GetDisabledReason`).
public typealias DisabledReason = @Sendable (AppState) -> String?

/// One key of a context: the keys, the command they run, what help says, and when it is disabled and why. A
/// disabled key still answers when pressed (with its reason) and shows greyed in the help overlay.
public struct KeyBinding: Equatable, Sendable {
    public var keys: [Key]
    public var command: Command
    public var help: String
    /// Shown in the status bar's short list (the overlay shows all).
    public var inStatusBar: Bool
    public var disabled: DisabledReason?

    public init(_ keys: [Key], _ command: Command, _ help: String, inStatusBar: Bool = false,
                disabled: DisabledReason? = nil) {
        self.keys = keys
        self.command = command
        self.help = help
        self.inStatusBar = inStatusBar
        self.disabled = disabled
    }

    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }

    /// The help text up to its first parenthesis: what the status bar and a disabled key's message say.
    public var shortHelp: String { help.components(separatedBy: " (").first ?? help }

    public func disabledReason(_ state: AppState) -> String? { disabled?(state) }

    /// The same binding, disabled by `reason` when the table line itself says nothing.
    func withReason(_ reason: DisabledReason?) -> KeyBinding {
        guard disabled == nil, let reason else { return self }
        var copy = self
        copy.disabled = reason
        return copy
    }

    /// Closures cannot be compared: two bindings are the same when they bind the same keys to the same command.
    public static func == (a: KeyBinding, b: KeyBinding) -> Bool {
        a.keys == b.keys && a.command == b.command && a.help == b.help && a.inStatusBar == b.inStatusBar
    }
}

public enum KeyBindings {
    /// A chain store's catalog is head office's: the Catalog's editing keys say so before a form is filled in
    /// (TillCore refuses the change itself either way).
    static let headOfficeOwnsCatalog: DisabledReason = { state in
        state.store.chainLink == nil ? nil : "head office owns the catalog in a chain store: change it there (till hq import products, till hq catalog …)"
    }
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
                KeyBinding([.character(" ")], .dismissReceipt, "close the last receipt (nothing typed; else a space)"),
                KeyBinding([.control("r")], .printAgain, "print again the receipt that did not print (printer out of paper, cover open, not answering)"),
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
                KeyBinding([.function(11)], .showPurchasing, "suppliers and purchase orders"),
                KeyBinding([.function(10)], .showTransfers, "transfers with the chain's other stores",
                           disabled: { $0.store.chainLink == nil ? "this store is not in a chain: there are no other stores" : nil }),
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
        KeyBinding([.function(7)], .tenderPoints, "the customer's loyalty points (the typed amount, or as much as they cover; chain stores)"),
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
        KeyBinding([.enter], .addItem, "record a scan or a count", inStatusBar: true),
        KeyBinding([.function(10)], .applyCount, "review, then apply", inStatusBar: true),
        KeyBinding([.control("x")], .cancelCount, "cancel the count"),
        KeyBinding([.escape], .back, "leave it open", inStatusBar: true),
    ]

    /// Answering a stock or catalog question (adjust, transfer, receive, a price change, a rename, archiving).
    public static let merchantPrompt: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "confirm", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel", inStatusBar: true),
    ]

    /// The reorder list (F7 on the Inventory pane).
    public static let reorderList: [KeyBinding] = [
        KeyBinding([.up], .moveUp, "previous SKU"),
        KeyBinding([.down], .moveDown, "next SKU"),
        KeyBinding([.enter], .open, "this SKU's stock", inStatusBar: true),
        KeyBinding([.character("d")], .draftPurchaseOrders, "draft purchase orders from this list (one per supplier)"),
        KeyBinding([.escape], .back, "back to the stock list", inStatusBar: true),
    ]

    /// Suppliers and purchase orders (F11 on the Inventory pane).
    public static let purchasingList: [KeyBinding] = [
        KeyBinding([.up], .moveUp, "previous order"),
        KeyBinding([.down], .moveDown, "next order"),
        KeyBinding([.enter], .open, "lines", inStatusBar: true),
        KeyBinding([.character("d")], .draftPurchaseOrders, "draft from reorder list", inStatusBar: true),
        KeyBinding([.character("s")], .sendPurchaseOrder, "send the order (writes PO-N.csv and PO-N.txt beside the store)"),
        KeyBinding([.control("r")], .receivePurchaseOrder, "receive a delivery against the order (scan it in)"),
        KeyBinding([.character("r")], .refresh, "read the orders again"),
        KeyBinding([.escape], .back, "back to the stock list", inStatusBar: true),
    ]

    /// A delivery being scanned in against a purchase order (Ctrl-R on an order).
    public static let purchaseDelivery: [KeyBinding] = [
        KeyBinding([.enter], .addItem, "add", inStatusBar: true),
        KeyBinding([.function(10)], .bookDelivery, "book the delivery", inStatusBar: true),
        KeyBinding([.control("x")], .cancelCount, "take the last entry off"),
        KeyBinding([.control("k")], .keepNotOrdered, "keep items that are not on the order, saying why"),
        KeyBinding([.escape], .back, "cancel (nothing booked)", inStatusBar: true),
    ]

    /// Saying why items not on the order are kept (Ctrl-K while scanning a delivery in).
    public static let deliveryReason: [KeyBinding] = [
        KeyBinding([.enter], .addItem, "keep them, for this reason", inStatusBar: true),
        KeyBinding([.escape], .back, "no reason: refuse them", inStatusBar: true),
    ]

    /// Transfers with other stores (F10 on the Inventory pane).
    public static let transferList: [KeyBinding] = [
        KeyBinding([.up], .moveUp, "previous transfer"),
        KeyBinding([.down], .moveDown, "next transfer"),
        KeyBinding([.enter], .confirm, "ship what it asks for / receive what is in transit", inStatusBar: true),
        KeyBinding([.character("r")], .refresh, "ask head office again", inStatusBar: true),
        KeyBinding([.escape], .back, "back to the stock list", inStatusBar: true),
    ]

    /// A SKU's movement history (Enter on the Inventory pane) and the valuation (F8).
    public static let stockView: [KeyBinding] = [
        KeyBinding([.escape, .enter], .back, "back to the stock list", inStatusBar: true),
    ]

    /// The new prices of a bulk change (Ctrl-B, then the change), before they are written.
    public static let pricePreview: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "apply the new prices", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel (prices unchanged)", inStatusBar: true),
        KeyBinding([.down], .moveDown, "scroll down"),
        KeyBinding([.up], .moveUp, "scroll up"),
        KeyBinding([.pageDown], .pageDown, "next page", inStatusBar: true),
        KeyBinding([.pageUp], .pageUp, "previous page"),
    ]

    /// A count's variances on screen before they are written (F10 while counting).
    public static let countConfirm: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "apply the corrections", inStatusBar: true),
        KeyBinding([.escape], .back, "back to counting (nothing written)", inStatusBar: true),
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
        KeyBinding([.character("q")], .toggleReceiptCode, "the receipt's signed QR code / lines"),
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

    /// While long work runs (a card waiting for the customer): only these keys act.
    public static let working: [KeyBinding] = [
        KeyBinding([.escape], .cancelWork, "cancel (a card not yet presented is not charged)", inStatusBar: true),
    ]

    /// While the simulated reader waits: the cashier plays the customer (the demo's stand-in for a real tap).
    public static let simulatedCustomer: [KeyBinding] = [
        KeyBinding([.character("1")], .customerApproves, "approve (the customer taps, the card is approved)", inStatusBar: true),
        KeyBinding([.character("2")], .customerDeclines, "decline (the issuer declines the card)", inStatusBar: true),
        KeyBinding([.character("3")], .customerHasNoFunds, "no funds (declined: insufficient funds)", inStatusBar: true),
        KeyBinding([.character("4")], .customerCancels, "cancels (the customer cancels on the reader)", inStatusBar: true),
        KeyBinding([.character("5")], .readerAnswerLost, "answer lost (charged, but the answer never comes back; the next try settles it)", inStatusBar: true),
    ]

    /// The few keys a modal screen keeps from the global ones.
    static let modalGlobal: [KeyBinding] = global.filter { [.help, .quit, .lock].contains($0.command) }

    /// The keys in force now, as a context: the topmost screen's (quit question, help, sign-in, a prompt, an
    /// overlay, the tender screen, a detail view, else the pane's) and the global keys that still work there.
    public static func active(_ state: AppState) -> KeyContext { KeyContexts.context(for: state) }

    /// The command a key means in `pane`: the pane's own table first, then the global one.
    public static func command(for key: Key, in pane: PaneID) -> Command? {
        for binding in self.pane(pane) + global where binding.keys.contains(key) { return binding.command }
        return nil
    }

    public static func command(for key: Key, in state: AppState) -> Command? {
        active(state).binding(for: key)?.command
    }
}

/// The tables of the screens that are not a pane: questions, prompts, overlays, sign-in. `KeyContexts` picks
/// the one in force; every key a reducer handles is in one of these or a table above.
extension KeyBindings {
    /// "A sale is in progress. Quit anyway? y/n".
    public static let quitConfirm: [KeyBinding] = [
        KeyBinding([.character("y"), .character("Y")], .confirm, "quit anyway", inStatusBar: true),
        KeyBinding([.character("n"), .character("N"), .escape], .back, "carry on with the sale", inStatusBar: true),
    ]

    /// Keys that scroll a box taller than the screen (help, reports, previews).
    public static let overlayScroll: [KeyBinding] = [
        KeyBinding([.pageUp], .pageUp, "scroll up a page", inStatusBar: true),
        KeyBinding([.pageDown], .pageDown, "scroll down a page", inStatusBar: true),
    ]

    /// The help overlay (`?`).
    public static let helpOverlay: [KeyBinding] = [
        KeyBinding([.escape, .character("?")], .back, "close the help", inStatusBar: true),
        KeyBinding([.up], .moveUp, "scroll up a line"),
        KeyBinding([.down], .moveDown, "scroll down a line"),
        KeyBinding([.home], .home, "back to the top"),
    ] + overlayScroll

    /// Sign-in and manager approval: a user name, then a PIN.
    public static let signIn: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "next field, then sign in", inStatusBar: true),
        KeyBinding([.tab, .down], .nextField, "to the PIN"),
        KeyBinding([.backTab, .up], .previousField, "back to the user name"),
        KeyBinding([.escape], .back, "clear what is typed", inStatusBar: true),
    ]

    public static let approval: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "next field, then approve", inStatusBar: true),
        KeyBinding([.tab, .down], .nextField, "to the PIN"),
        KeyBinding([.backTab, .up], .previousField, "back to the user name"),
        KeyBinding([.escape], .back, "clear what is typed; with nothing typed, do not approve", inStatusBar: true),
    ]

    /// Any one-line prompt: a quantity, a price, a discount, a note, a drawer count.
    public static let textPrompt: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "confirm", inStatusBar: true),
        KeyBinding([.escape], .back, "cancel", inStatusBar: true),
    ]

    /// The weight of a weighed item: typed, or read off this register's scale.
    public static let weightPrompt: [KeyBinding] = textPrompt + [
        KeyBinding([.control("w")], .weighAgain, "weigh again on the scale", inStatusBar: true,
                   disabled: { state in state.store.scale == nil ? "no scale is set up for this register (till scale set); type the weight" : nil }),
    ]

    /// "Void this sale? y/n" on the Register.
    public static let yesNoPrompt: [KeyBinding] = [
        KeyBinding([.character("y"), .character("Y")], .confirm, "yes", inStatusBar: true),
        KeyBinding([.character("n"), .character("N"), .escape], .back, "no, keep it", inStatusBar: true),
    ]

    /// The parked sales list (F10 with an empty sale).
    public static let parkedList: [KeyBinding] = [
        KeyBinding([.up], .moveUp, "previous parked sale"),
        KeyBinding([.down], .moveDown, "next parked sale"),
        KeyBinding([.enter], .addItem, "recall the selected sale", inStatusBar: true),
        KeyBinding([.escape], .back, "close the list", inStatusBar: true),
    ]

    /// Typing a store-credit slip or gift card code.
    public static let creditCode: [KeyBinding] = [
        KeyBinding([.enter], .confirm, "take the part from the slip or gift card", inStatusBar: true),
        KeyBinding([.escape], .back, "back to the tender screen", inStatusBar: true),
    ]

    /// A detail view over a list (a product, a SKU's movements).
    public static let detailView: [KeyBinding] = [
        KeyBinding([.escape, .enter], .back, "back to the list", inStatusBar: true),
    ]

    /// Reorder list and valuation on the Inventory pane.
    public static let inventoryPanel: [KeyBinding] = [
        KeyBinding([.escape], .back, "back to the stock list", inStatusBar: true),
    ] + overlayScroll

    /// A report (X report, shift report) over the Reports pane.
    public static let reportPanel: [KeyBinding] = [
        KeyBinding([.escape], .back, "close the report", inStatusBar: true),
    ] + overlayScroll

}
