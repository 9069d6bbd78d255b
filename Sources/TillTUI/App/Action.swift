import TillCore

/// Everything that can happen to the app: a key, a resize, or the answer to an effect.
public enum Action: Equatable, Sendable {
    case key(Key)
    case resized(ScreenSize)
    /// The app has just started: load what the first screen needs.
    case started
    case catalogLoaded([CatalogItem], ListLoad)
    case categoriesLoaded([String])
    /// Time to look at the link to head office again (the run loop's tick).
    case chainTick
    case chainLinkLoaded(String?)
    /// Head office's answer about other stores' stock of `sku`.
    case stockElsewhereLoaded(sku: String, StockElsewhereAnswer)
    case productDetailLoaded(ProductDetail)
    case stockLoaded([StockLevelRow], ListLoad)
    case stockHistoryLoaded(StockHistory)
    case ordersLoaded([OrderSummary], ListLoad)
    case orderDetailLoaded(OrderDetail)
    case reportsLoaded(ReportsData)
    case reportsRefused(String)
    /// A report to show over the charts (X report, a closed shift), and what to say.
    case reportPanel([String], StatusMessage)
    /// A refund, void, note or reprint was done: the order as it stands now, and what to tell the user.
    case orderChanged(OrderDetail, StatusMessage)
    /// Voiding order `number` needs a manager: ask for their name and PIN in the Orders pane.
    case voidApprovalNeeded(number: Int64, reason: String)
    /// The manager's name or PIN was wrong, or they may not void either (`retry`: keep the box), or the void was
    /// refused for another reason (the day is closed, …).
    case voidApprovalFailed(String, retry: Bool)
    /// The cart as stored now; `select` is the position of the line just changed.
    case cartLoaded(Cart?, message: StatusMessage?, select: Int?)
    case suggestionsLoaded(query: String, items: [CatalogItem])
    case customersFound([Customer])
    case parkedLoaded([OrderSummary])
    /// The item scanned or chosen is sold by weight and came without one: ask for it.
    case weightNeeded(CatalogItem)
    /// What the scale said for weighing `weighing` of `sku` (its `attempt`-th look).
    case scaleRead(sku: String, weighing: Int, attempt: Int, ScaleReading)
    /// `change`: what to hand back, in minor units (0 when none).
    /// `printJob`: the receipt's print job, when the register has a printer (printed next, off the key loop).
    case saleCompleted(number: Int64, receipt: String, change: Int64, printJob: Int64? = nil)
    /// A receipt's print job after a try: printed, or still waiting and why.
    case receiptPrinted(PrintJob)
    case productFormLoaded(ProductForm)
    case stockChanged(StatusMessage)
    /// A transfer was shipped or received: the list as HQ has it now, and what to say.
    case transfersChanged(TransferList, StatusMessage)
    case purchasingChanged(PurchasingPanel, StatusMessage?)
    case countClosed(StatusMessage)
    case inventoryPanelLoaded(InventoryPanel)
    case productFormIssues([FieldIssue])
    case pricePreviewLoaded(PricePreview)
    case pricesChanged(Int)
    case categoryRenamed(String)
    case productSaved(sku: String, warnings: [FieldIssue])
    case failed(String)
    /// What start-up found of card payments whose answer had been lost (one line each; empty: none).
    case cardsSettled([String])
    /// The signed-in staff member may not do this alone: ask for a manager's PIN, then retry `change`.
    case approvalNeeded(reason: String, change: CartChange)
    case approvalFailed(String)
    /// A manager approved: the approval box closes on the cart as changed.
    case approvalGranted(Cart?, message: StatusMessage, select: Int?)
    case signedIn(staffID: Int64, label: String)
    case signInFailed(String)
    /// No key for the store's idle time: lock the till.
    case idle
    /// The settings overlay's tax classes as they stand now, and what to tell the user.
    case taxClassesLoaded([TaxClassRates], StatusMessage?)
    case settingsRefused(String)
    /// Long work has started off the key loop (a card charge): show its progress.
    case effectStarted(RunningEffect)
    /// Long work says how far it has come.
    case effectProgress(id: Int, String)
    /// Long work has answered (its answer follows as its own action).
    case effectFinished(id: Int)
}

/// Work a reducer asks for; the effect runner does it against TillCore and answers with an `Action`.
public enum Effect: Equatable, Sendable {
    case loadCatalog(text: String, category: String?, ListLoad)
    case loadCategories
    /// A chain store's sync state, for the status bar.
    case loadChainLink
    case loadStockElsewhere(sku: String)
    case loadProductDetail(variantID: Int64)
    case loadStock(text: String, location: String?, lowOnly: Bool, ListLoad)
    case loadStockHistory(StockLevelRow)
    case loadOrders(text: String, ListLoad)
    case loadOrderDetail(id: Int64)
    case loadSuggestions(String)
    /// `scan` numbers each Enter, so scanning the same code twice in a burst adds it twice. `quantity` nil: none
    /// typed (one piece; a weighed item's weight is asked for).
    case scan(String, quantity: Quantity?, scan: Int)
    /// One look at this register's scale for the weight prompt of `sku` (net of the item's container tare);
    /// after the first, it waits a moment first, so a moving load is asked about a few times a second.
    case readScale(sku: String, weighing: Int, attempt: Int)
    case loadCart
    /// Settles this register's card attempts whose answer was lost (start-up).
    case settleCards
    case changeCart(CartChange, scan: Int)
    case findCustomers(String)
    case loadParked
    case payCash(cartID: Int64, handed: Int64?)
    case payCard(cartID: Int64, amount: Int64?)
    case payCredit(cartID: Int64, code: String, amount: Int64?)
    /// The sale's customer's loyalty points (a chain store: held at head office first).
    case payPoints(cartID: Int64, amount: Int64?)
    case cancelPayments(cartID: Int64)
    case loadProductForm(sku: String)
    case adjustStock(sku: String, location: String, delta: Quantity, reason: StockReason, note: String?)
    case transferStock(sku: String, quantity: Quantity, from: String, to: String)
    /// `again`: the reference was already received and the user said to receive it once more (`--again`).
    case receiveStock(reference: String, lines: [StockOperations.ReceiptLine], location: String, again: Bool)
    case loadReorder
    case loadValuation
    case loadTransfers
    /// Suppliers and purchase orders; with `number`, that order's lines too.
    case loadPurchasing(number: Int64?)
    case draftPurchaseOrders
    /// Marks the order sent and writes its documents beside the store.
    case sendPurchaseOrder(number: Int64)
    /// A delivery against the order: the codes as scanned or typed (`CODE`, `CODE=QTY`, `CODE=QTY@COST`).
    case receivePurchaseOrder(number: Int64, entries: [String], addReason: String? = nil)
    case shipTransfer(id: String)
    case receiveTransfer(id: String)
    case startCount(location: String)
    /// One count entry: a scanned barcode or typed SKU (`quantity` nil: one scan), or QTY of it.
    case setCount(countID: Int64, code: String, quantity: Quantity?)
    case applyCount(countID: Int64)
    case cancelCount(countID: Int64)
    case saveProduct(ProductForm)
    case setProductActive(sku: String, active: Bool)
    case previewPrices(category: String?, skus: [String], change: BulkPriceChange)
    case applyPrices(PricePreview)
    case renameCategory(from: String, to: String)
    case loadReports
    case loadXReport
    case drawer(DrawerPrompt, String)
    /// The Z report: close the business day open now.
    case closeDay
    /// The exceptions report of the last 30 days, as a panel.
    case loadExceptions
    case signIn(username: String, pin: String)
    case approveChange(CartChange, username: String, pin: String)
    case refundOrder(RefundRequest)
    case voidOrder(number: Int64)
    /// The void again, approved by the manager who typed this name and PIN.
    case approveVoid(number: Int64, username: String, pin: String)
    case addOrderNote(number: Int64, text: String)
    case reprintReceipt(number: Int64)
    /// Sends a queued receipt to the register's printer; runs beside the key loop, never holding a scan.
    /// `andWaiting`: once it prints, the register's other receipts still waiting go too (Ctrl-R: the cashier
    /// reloaded the paper; an earlier sale's receipt must not stay behind).
    case printReceipt(jobID: Int64, andWaiting: Bool = false)
    case settings(SettingsEffect)
    /// Asks the running effect `id` to stop (Esc during a card charge); the driver handles it, not the runner.
    case cancelRunning(id: Int)
    /// What the simulated reader's customer does (the cashier plays them); the driver hands it over at once.
    case presentToReader(SimulatedCustomerAction)

    /// Effects in the same slot replace each other: only the newest search of a burst of keys runs.
    /// nil: never replaced (every stock change typed must happen).
    public var slot: String? {
        switch self {
        case .loadCatalog: return "catalog"
        case .loadCategories: return "categories"
        case .loadChainLink: return "chain"
        case .loadStockElsewhere: return "elsewhere"
        case .loadProductDetail: return "product"
        case .loadStock: return "stock"
        case .loadStockHistory: return "history"
        case .loadOrders: return "orders"
        case .loadOrderDetail: return "order"
        case .loadSuggestions: return "suggestions"
        case let .scan(_, _, scan): return "scan:\(scan)"
        case .readScale: return "scale"
        case .loadCart: return "cart"
        case .settleCards: return nil
        case let .changeCart(_, scan): return "change:\(scan)"
        case .findCustomers: return "customers"
        case .loadParked: return "parked"
        case .payCash, .payCard, .payCredit, .payPoints, .cancelPayments: return "tender"
        case .loadProductForm, .saveProduct, .setProductActive, .previewPrices, .applyPrices, .renameCategory: return "product-edit"
        case .adjustStock, .transferStock, .receiveStock, .setCount: return nil
        case .refundOrder, .voidOrder, .approveVoid, .addOrderNote, .reprintReceipt, .printReceipt: return nil
        case .loadReports: return "reports"
        case .signIn, .approveChange, .drawer: return nil
        case .loadXReport: return "x-report"
        case .closeDay: return nil
        case .loadExceptions: return "exceptions"
        case .settings(.load): return "settings"
        case .settings: return nil
        case .loadReorder, .loadValuation, .startCount, .applyCount, .cancelCount, .loadTransfers: return "inventory-panel"
        case .shipTransfer, .receiveTransfer: return nil
        case .loadPurchasing: return "purchasing"
        case .draftPurchaseOrders, .sendPurchaseOrder, .receivePurchaseOrder: return nil
        case .cancelRunning, .presentToReader: return nil
        }
    }
}

extension CartChange {
    /// Changes a manager can approve inline when the cashier may not make them alone.
    var mayBeApproved: Bool {
        switch self {
        case .lineDiscount, .orderDiscount, .overridePrice, .openPrice: return true
        default: return false
        }
    }
}

/// A change to the cart in progress, applied by TillCore.
public enum CartChange: Equatable, Sendable {
    case setQuantity(cartID: Int64, position: Int, Quantity)
    case overridePrice(cartID: Int64, position: Int, price: Int64)
    case lineDiscount(cartID: Int64, position: Int, Discount?)
    case orderDiscount(cartID: Int64, Discount?)
    case attachCustomer(cartID: Int64, customerID: Int64?)
    /// F9 on an empty till: the sale starts with its customer.
    case startSale(customerID: Int64)
    /// `label`: what the cashier calls it ("red coat lady"), shown when recalling.
    case park(cartID: Int64, label: String?)
    /// Something not in the catalog at a typed price (`*4.50 Gift wrap`), as the store's misc SKU.
    case openPrice(price: Int64, description: String)
    case recall(orderID: Int64)
    case discard(cartID: Int64)
}
