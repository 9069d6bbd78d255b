import Foundation
import TillCore

/// Does the work reducers ask for, against TillCore, and answers with an action. The only part of the app that
/// touches the store.
public struct EffectRunner: Sendable {
    let store: StoreDatabase
    let catalog: Catalog
    let inventory: Inventory
    let orders: Orders
    let carts: Carts
    let checkout: Checkout
    let customers: Customers
    let editor: CatalogEditor
    let stock: StockOperations
    let counts: StockCounts
    let reports: StockReports
    /// The register's card reader (nil: none paired, card tenders are refused) and, for the simulated one,
    /// the customer the cashier plays.
    let terminal: CardTerminal?
    public let simulatedCustomer: SimulatedCustomer?
    let processors: (@Sendable (CardTerminalKind) -> CardTerminal?)?
    /// A chain store's live line to HQ (gift cards, other stores' stock); nil outside a chain.
    let headOffice: HeadOffice?
    let receipts: ReceiptOutput
    /// This register's counter scale (nil: weights are typed), and how long a repeated look at a moving load
    /// waits first.
    let scale: WeighingScale?
    let scalePause: Duration
    let refunds: Refunds
    let notes: OrderNotes
    let register: String
    /// Who is signed in now; switching user changes it without a new runner.
    let session: StaffSession
    var staffID: Int64? { session.staffID }
    /// Who, where and when for the use cases that take a context.
    var context: TillContext { TillContext(staffID: staffID, register: register, clock: TillClock(now)) }
    /// The clock every write is stamped with (tests fix it so receipts and screens are stable).
    let now: @Sendable () -> Date
    /// Who, where, when and with what: rebuilt on every effect so a switch of user takes effect at once.
    var ctx: TillContext {
        var ctx = TillContext(staffID: staffID, register: register, clock: TillClock(now), terminal: terminal,
                              printerPath: receipts.printerPath, receiptWidth: receipts.width)
        ctx.processors = processors
        ctx.headOffice = headOffice
        ctx.cancellation = cancellation
        ctx.progress = progress
        return ctx
    }
    /// Set for one run: Esc's request to stop, and where long work reports how far it has come.
    private var cancellation: CancellationFlag?
    private var progress: ProgressReporter = .silent

    public init(store: StoreDatabase, register: String = "main", staffID: Int64? = nil,
                terminal: CardTerminal? = nil, simulatedCustomer: SimulatedCustomer? = nil,
                processors: (@Sendable (CardTerminalKind) -> CardTerminal?)? = nil, receipts: ReceiptOutput? = nil,
                headOffice: HeadOffice? = nil, scale: WeighingScale? = nil, scalePause: Duration = .milliseconds(200),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.headOffice = headOffice
        self.scale = scale
        self.scalePause = scalePause
        self.now = clock
        self.store = store
        catalog = Catalog(store: store)
        inventory = Inventory(store: store)
        orders = Orders(store: store)
        carts = Carts(store: store)
        checkout = Checkout(store: store)
        customers = Customers(store: store)
        editor = CatalogEditor(store: store)
        stock = StockOperations(store: store)
        counts = StockCounts(store: store)
        reports = StockReports(store: store)
        self.terminal = terminal
        self.simulatedCustomer = simulatedCustomer
        self.processors = processors
        self.receipts = receipts ?? ReceiptOutput(store: store)
        refunds = Refunds(store: store)
        notes = OrderNotes(store: store)
        self.register = register
        self.session = StaffSession(staffID: staffID)
    }

    /// Open transfers from HQ, or what stops it asking.
    func transferList() throws -> TransferList {
        let code = try ChainStore.membership(store)?.code ?? ""
        do {
            return TransferList(store: code, transfers: try ChainTransfers(store: store).list(ctx))
        } catch let error as HeadOfficeUnreachable {
            return TransferList(store: code, transfers: [], unavailable: "head office cannot be reached (\(error.reason)); shipping and receiving still work with till transfer ship|receive")
        }
    }

    /// Suppliers and orders: the open ones first (what is still to come), then the latest closed.
    func purchasingPanel(opening number: Int64?) throws -> PurchasingPanel {
        let orders = PurchaseOrders(store: store)
        let open = try orders.list(statuses: [.draft, .sent, .partial, .received])
        let closed = try orders.list(statuses: [.closed]).prefix(20)
        let currency = try store.read { db in try StoreSettings.load(db).currency }
        return PurchasingPanel(suppliers: try Suppliers(store: store).list(), orders: open + closed,
                               detail: try number.map { try orders.detail(number: $0) }, currency: currency)
    }

    /// Runs `effect` with a way to be asked to stop and to say how far it has come (the driver's way).
    public func run(_ effect: Effect, cancellation: CancellationFlag?, progress: ProgressReporter) -> Action {
        var runner = self
        runner.cancellation = cancellation
        runner.progress = progress
        return runner.run(effect)
    }

    public func run(_ effect: Effect) -> Action {
        do {
            switch effect {
            case let .loadCatalog(text, category, load):
                return .catalogLoaded(try catalog.search(text, category: category, limit: load.limit, offset: load.offset), load)
            case .loadCategories:
                return .categoriesLoaded(try catalog.categories().map(\.name))
            case .loadChainLink:
                guard let state = try ChainStore.syncState(store) else { return .chainLinkLoaded(nil) }
                // A price HQ scheduled for this moment takes effect here even if the sync agent is not running.
                if try ChainPrices.applyDue(store, now: now()) > 0 {
                    return .stockChanged(.info("HQ's new prices of \(Formatting.dateTime(now(), in: .current)) are on the shelves now."))
                }
                return .chainLinkLoaded(state.summary(now: now()))
            case let .loadStockElsewhere(sku):
                do {
                    return .stockElsewhereLoaded(sku: sku, .levels(try ChainStock.elsewhere(sku: sku, store: store, ctx)))
                } catch is HeadOfficeUnreachable {
                    return .stockElsewhereLoaded(sku: sku, .unavailable("head office unreachable: not known offline"))
                } catch {
                    return .stockElsewhereLoaded(sku: sku, .unavailable("\(error)"))
                }
            case let .loadProductDetail(variantID):
                return .productDetailLoaded(try catalog.detail(variantID: variantID, movementLimit: 30))
            case let .loadStock(text, location, lowOnly, load):
                return .stockLoaded(try inventory.levels(location: location, lowOnly: lowOnly, search: text,
                                                         limit: load.limit, offset: load.offset), load)
            case let .loadStockHistory(row):
                return .stockHistoryLoaded(StockHistory(row: row, movements: try inventory.movements(variantID: row.variantID, limit: 100)))
            case let .loadOrders(text, load):
                let settings = try orders.store.read { db in try StoreSettings.load(db) }
                let query = try OrderQuery(parsing: text, currency: settings.currency, calendar: settings.calendar)
                return .ordersLoaded(try orders.search(query, limit: load.limit, offset: load.offset), load)
            case let .loadOrderDetail(id):
                return .orderDetailLoaded(try orders.detail(id: id))
            case .loadReports:
                let reports = SalesReports(store: orders.store)
                let end = now()
                let calendar = try orders.store.read { db in try StoreSettings.load(db).calendar }
                let today = calendar.startOfDay(for: end)
                do {
                    let month = try reports.summary(from: SalesReports.monthStart(endingAt: end, calendar: calendar),
                                                    to: end.addingTimeInterval(1), ctx)
                    let day = try reports.summary(from: today, to: end.addingTimeInterval(1), ctx)
                    let shift = try? Shifts(store: orders.store).summary(ctx)
                    let businessDay = try BusinessDay.current(in: orders.store, at: end).key
                    return .reportsLoaded(ReportsData(month: month, today: day, shift: shift, businessDay: businessDay))
                } catch let error as TillError {
                    if case .permissionDenied = error { return .reportsRefused("Reports: \(error.description)") }
                    throw error
                }
            case .loadXReport:
                let figures = try DayReports(store: orders.store).x(ctx)
                return .reportPanel(figures.text(title: "X REPORT (not closed)"), .info("X report: the day so far. Esc closes it."))
            case let .drawer(prompt, text):
                let shifts = Shifts(store: orders.store)
                let settings = try orders.store.read { db in try StoreSettings.load(db) }
                let currency = settings.currency
                switch prompt {
                case .openShift:
                    let float = try MoneyParser(currency: currency).parse(text)
                    _ = try shifts.open(float: float.minorUnits, ctx)
                    return .reportPanel(ShiftReport.lines(try shifts.summary(ctx), currency: currency, timeZone: settings.timeZone),
                                        .info("Shift open with a float of \(float.formatted())."))
                case .closeShift:
                    let count = try CashCount.parse(text, currency: currency)
                    let summary = try shifts.close(count: count, ctx)
                    let variance = ((summary.variance ?? 0) > 0 ? "+" : "") + Money(minorUnits: summary.variance ?? 0, currency: currency).formatted()
                    // Short enough for the status line at 80 columns; the panel shows expected and counted in full.
                    return .reportPanel(ShiftReport.lines(summary, currency: currency, timeZone: settings.timeZone),
                                        .info("Shift closed: counted \(Money(minorUnits: summary.countedCash ?? 0, currency: currency).formatted()), variance \(variance)\(summary.variance == 0 ? " (balanced)" : "")."))
                case .noSale:
                    try shifts.moveCash(.noSale, amount: 0, reason: text, ctx)
                    return .reportPanel(ShiftReport.lines(try shifts.summary(ctx), currency: currency, timeZone: settings.timeZone),
                                        .info("Drawer opened (no sale) — recorded."))
                case let .cashReason(kind, amount):
                    try shifts.moveCash(kind, amount: amount, reason: text, ctx)
                    let what = "\(kind == .payIn ? "Paid in" : "Paid out") \(Money(minorUnits: amount, currency: currency).formatted()) (\(text))"
                    return .reportPanel(ShiftReport.lines(try shifts.summary(ctx), currency: currency, timeZone: settings.timeZone),
                                        .info("\(what) — recorded."))
                case .payIn, .payOut, .confirmZ:
                    // The reducer turns these into `cashReason` and `closeDay`; reaching here is a wiring mistake.
                    return .failed("nothing to record for \(prompt)")
                }
            case .loadExceptions:
                let settings = try orders.store.read { db in try StoreSettings.load(db) }
                let today = settings.calendar.startOfDay(for: now())
                let from = settings.calendar.date(byAdding: .day, value: -29, to: today) ?? today
                let rows = try SalesReports(store: orders.store).exceptions(from: from, to: now().addingTimeInterval(1), ctx)
                return .reportPanel(ExceptionsReport.lines(rows, title: "EXCEPTIONS — last 30 days", currency: settings.currency),
                                    .info("Exceptions of the last 30 days. Esc closes them."))
            case .closeDay:
                let report = try DayReports(store: orders.store).z(ctx)
                let zone = try orders.store.read { db in try StoreSettings.load(db).timeZone }
                var lines = report.figures.text(title: "Z REPORT #\(report.number) — closed \(LocalTime.format(report.closedAt, timeZone: zone)) by \(report.closedBy ?? "—")")
                if let note = report.note { lines = [note, ""] + lines }
                return .reportPanel(lines, .info("Z #\(report.number) closed \(report.figures.day); new sales go to the next day."))
            case let .refundOrder(request):
                // Who is signed in and this till's register come from the context, not from the screen.
                let refund = try refunds.refund(request, ctx)
                let detail = try orders.detail(number: request.orderNumber)
                let currency = try Currency.named(detail.order.currency)
                // One line that fits the status bar at 80 columns; the detail underneath shows the refund in full.
                let to = refund.tenders.map { tender in
                    tender.method == .card ? "card ••\(tender.cardLast4 ?? "")" : tender.method == .cash ? "cash" : (refund.creditCode ?? "store credit")
                }.joined(separator: " + ")
                let money = Money(minorUnits: refund.refund.amount, currency: currency).formatted()
                let verb = refund.refund.status == .pending ? "Refund of \(money) on hold" : "Refunded \(money)"
                return .orderChanged(detail, .info("\(verb) to \(to); #\(request.orderNumber) is \(Formatting.status(detail.order.status))."))
            case let .voidOrder(number):
                do {
                    _ = try refunds.void(orderNumber: number, ctx)
                } catch let error as TillError {
                    // Refunds.void says who may; a manager can approve it inline, as a discount at the till.
                    guard case let .permissionDenied(reason) = error else { throw error }
                    return .voidApprovalNeeded(number: number, reason: reason)
                }
                return .orderChanged(try orders.detail(number: number), .info("Voided #\(number): payments and stock back."))
            case let .approveVoid(number, username, pin):
                var ctx = self.ctx
                let approver: StaffMember
                do {
                    approver = try Staff(store: orders.store).authenticate(username: username, pin: pin, at: now())
                } catch {
                    return .voidApprovalFailed("\(error)", retry: true)
                }
                ctx.approverID = approver.id
                do {
                    _ = try refunds.void(orderNumber: number, ctx)
                } catch let error as TillError {
                    // The approver was checked by Refunds.void and lacks the right too: say so of them.
                    if case .permissionDenied = error {
                        return .voidApprovalFailed("not allowed: \(approver.username) (\(approver.role.rawValue)) may not approve a void either; a manager must", retry: true)
                    }
                    return .voidApprovalFailed("\(error)", retry: false)
                }
                return .orderChanged(try orders.detail(number: number),
                                     .info("Voided #\(number) (\(approver.username) approved): payments and stock back."))
            case let .addOrderNote(number, text):
                _ = try notes.add(orderNumber: number, text: text, ctx)
                return .orderChanged(try orders.detail(number: number), .info("Note added to order #\(number)."))
            case let .reprintReceipt(number):
                _ = try receipts.reprint(orderNumber: number, ctx)
                return .orderChanged(try orders.detail(number: number), .info("Receipt for order #\(number) printed again (copy)."))
            case let .printReceipt(jobID, andWaiting):
                let queue = ReceiptPrintQueue(output: receipts)
                let job = try queue.print(jobID: jobID, at: now())
                if andWaiting, job.status == .printed { _ = try queue.retry(register: job.register, at: now()) }
                return .receiptPrinted(job)
            case let .loadSuggestions(text):
                return .suggestionsLoaded(query: text, items: try catalog.search(text, includeInactive: false, limit: 20))
            case let .scan(code, quantity, _):
                // An exact barcode or SKU first; typed words take the best search match — a code (a digit, no
                // spaces) never does: "TEA-001" mistyped is unknown, not the nearest "…-001".
                var scanned = try catalog.resolveScan(code)
                let looksLikeCode = !code.contains(" ") && code.contains(where: \.isNumber)
                if scanned == nil, code.contains(where: \.isLetter), !looksLikeCode,
                   let match = try catalog.search(code, includeInactive: false, limit: 1).first {
                    scanned = ScanResult(item: match, quantity: nil)
                }
                guard let scanned else { return .failed("Unknown barcode or SKU: \(code.clipped(toWidth: 40))") }
                let item = scanned.item
                // A weighed item by its own code or name, with no weight typed: the register asks for it.
                if scanned.needsWeight && quantity == nil { return .weightNeeded(item) }
                // A scale label carries its weight; a case code its pack (times a typed N*).
                let cart = try carts.add(variantID: item.variantID, quantity: try scanned.units(typed: quantity), ctx)
                let position = cart.lines.last { $0.variantID == item.variantID }?.position
                return .cartLoaded(cart, message: .info("Added \(item.displayName)."), select: position)
            case let .readScale(sku, weighing, attempt):
                guard let scale else {
                    return .scaleRead(sku: sku, weighing: weighing, attempt: attempt,
                                      .refused(.unavailable("no scale is set up for this register: type the weight")))
                }
                if attempt > 0 { Thread.sleep(forTimeInterval: Double(scalePause.components.seconds) + Double(scalePause.components.attoseconds) / 1e18) }
                let tare = try RegisterScales(store: store).tare(sku: sku)
                return .scaleRead(sku: sku, weighing: weighing, attempt: attempt, scale.read().less(tare: tare))
            case .loadCart:
                return .cartLoaded(try carts.current(register: register), message: nil, select: nil)
            case let .changeCart(change, _):
                return try applyOrAskApproval(change)
            case let .approveChange(change, username, pin):
                let approver: StaffMember
                do {
                    approver = try Staff(store: orders.store).authenticate(username: username, pin: pin, at: now())
                } catch {
                    return .approvalFailed("\(error)")
                }
                // A refusal (not a manager, say) keeps the approval box open for another try.
                let applied: Action
                do {
                    applied = try apply(change, approvedBy: approver.id)
                } catch {
                    return .approvalFailed("\(error)")
                }
                guard case let .cartLoaded(cart, _, select) = applied else { return .approvalFailed("not applied") }
                return .approvalGranted(cart, message: .info("Approved by \(approver.username)."), select: select)
            case let .signIn(username, pin):
                do {
                    let member = try Staff(store: orders.store).authenticate(username: username, pin: pin, at: now())
                    session.set(member.id)
                    return .signedIn(staffID: member.id ?? 0, label: "\(member.username) (\(member.role.rawValue))")
                } catch {
                    return .signInFailed("\(error)")
                }
            case let .findCustomers(text):
                return .customersFound(try customers.find(text, limit: 5))
            case .loadParked:
                return .parkedLoaded(try carts.parked())
            case let .payCash(cartID, handed):
                return try tendered(try checkout.payCash(cartID: cartID, handed: handed, ctx))
            case .settleCards:
                return .cardsSettled(try checkout.settleUnansweredCards(ctx))
            case let .payCard(cartID, amount):
                // A card whose answer was lost is settled first; if it paid, that was this payment — say so.
                if let settled = try checkout.settleLostCard(cartID: cartID, ctx) {
                    if case let .partlyPaid(cart) = settled {
                        let currency = (try? Currency.named(cart.order.currency)) ?? .EUR
                        return .cartLoaded(cart, message: .info("The card payment whose answer was lost went through: \(Money(minorUnits: cart.paid, currency: currency)) paid, not charged again; \(Money(minorUnits: cart.due, currency: currency)) still due."), select: nil)
                    }
                    return try tendered(settled)
                }
                do {
                    return try tendered(try checkout.payCard(cartID: cartID, amount: amount, ctx))
                } catch let failure as CardTenderFailure {
                    // The cart as it now is: a lost answer shows on the tender screen and holds cash and parking back.
                    return .cartLoaded(try carts.cart(id: cartID), message: .error(failure.description), select: nil)
                }
            case let .payCredit(cartID, code, amount):
                return try tendered(try checkout.payCredit(cartID: cartID, code: code, amount: amount, ctx))
            case let .payPoints(cartID, amount):
                return try tendered(try checkout.payPoints(cartID: cartID, amount: amount, ctx))
            case let .loadProductForm(sku):
                let draft = try editor.draft(sku: sku)
                let currency = try editor.store.read { db in try StoreSettings.load(db).currency }
                return .productFormLoaded(ProductForm(editing: sku, text: ProductDraftText(draft, currency: currency),
                                                      active: draft.active))
            case let .saveProduct(form):
                let currency = try editor.store.read { db in try StoreSettings.load(db).currency }
                let read = form.text.draft(currency: currency, active: form.active)
                guard let draft = read.draft else { return .productFormIssues(read.issues) }
                let issues = try editor.validate(draft, editing: form.editing)
                guard !issues.contains(where: { !$0.isWarning }) else { return .productFormIssues(issues) }
                if let original = form.editing {
                    try editor.edit(sku: original, draft, context)
                } else {
                    try editor.add(draft, context)
                }
                return .productSaved(sku: draft.sku, warnings: issues)
            case let .previewPrices(category, skus, change):
                let rows = try editor.changePrices(skus: skus, category: category, change: change, apply: false, context)
                return .pricePreviewLoaded(PricePreview(category: category, skus: skus, change: change, rows: rows))
            case let .applyPrices(preview):
                let rows = try editor.changePrices(skus: preview.skus, category: preview.category, change: preview.change,
                                                   apply: true, context)
                return .pricesChanged(rows.filter { $0.oldPrice != $0.newPrice }.count)
            case let .renameCategory(from, to):
                try editor.renameCategory(from, to: to, context)
                return .categoryRenamed(to)
            case let .setProductActive(sku, active):
                try editor.setActive(sku: sku, active, context)
                return .productSaved(sku: sku, warnings: [])
            case let .adjustStock(sku, location, delta, reason, note):
                let onHand = try stock.adjust(sku: sku, delta: delta, reason: reason, location: location, note: note, ctx)
                return .stockChanged(.info("\(sku) at \(location): \(delta.milli > 0 ? "+" : "")\(delta) (\(reason.rawValue)), on hand \(onHand)."))
            case let .transferStock(sku, quantity, from, to):
                try stock.transfer(sku: sku, quantity: quantity, from: from, to: to, ctx)
                return .stockChanged(.info("Moved \(quantity) \(sku) from \(from) to \(to)."))
            case let .receiveStock(reference, lines, location, again):
                try stock.receive(reference: reference, lines: lines, location: location, again: again, ctx)
                // Short enough for the status line at 80 columns; one SKU says where it stands now, so a cost
                // that moved the average cost is seen.
                var said = "Received \(reference)\(again ? " (again)" : ""): \(lines.count) lines into \(location)"
                if lines.count == 1, let item = try catalog.lookup(code: lines[0].sku) {
                    let onHand = try inventory.onHand(variantID: item.variantID, location: location)
                    let currency = try editor.store.read { db in try StoreSettings.load(db).currency }
                    said = "Received \(reference)\(again ? " (again)" : ""): \(item.sku) \(onHand) at \(location)"
                        + (item.cost.map { ", avg. cost \(Money(minorUnits: $0, currency: currency).formatted())" } ?? "")
                }
                return .stockChanged(.info(said + "."))
            case .loadReorder:
                return .inventoryPanelLoaded(.reorder(try reports.reorder(ctx)))
            case .loadValuation:
                return .inventoryPanelLoaded(.valuation(try reports.valuation(by: .category, ctx)))
            case .loadTransfers:
                return .inventoryPanelLoaded(.transfers(try transferList()))
            case let .loadPurchasing(number):
                return .purchasingChanged(try purchasingPanel(opening: number), nil)
            case let .sendPurchaseOrder(number):
                let sent = try PurchaseOrders(store: store).sendWritingDocuments(number: number, ctx)
                // The folder is beside the store; the status line names the files, short enough for 80 columns.
                return .purchasingChanged(try purchasingPanel(opening: nil), .info("\(sent.detail.order.label) sent: \(sent.csv.lastPathComponent) and .txt written."))
            case let .receivePurchaseOrder(number, entries, addReason):
                let currency = try store.read { db in try StoreSettings.load(db).currency }
                // A code alone is one of it, as a scan is.
                let lines = try entries.map { try StockOperations.ReceiptLine.parse($0.contains("=") ? $0 : "\($0)=1", currency: currency) }
                let result = try PurchaseOrders(store: store).receive(number: number, lines: lines, addReason: addReason, ctx)
                let owed = result.linesStillOwed
                let units = result.lines.reduce(Quantity.zero) { $0 + $1.now }
                return .purchasingChanged(try purchasingPanel(opening: number), .info("\(PurchaseOrder.label(number)): \(units) received on \(result.lines.count) line\(result.lines.count == 1 ? "" : "s"), "
                    + (owed == 0 ? "nothing owed." : "\(owed) line\(owed == 1 ? "" : "s") still owed.")))
            case .draftPurchaseOrders:
                let drafted = try PurchaseOrders(store: store).draftFromReorderList(ctx)
                // Short enough for the status line at 80 columns; the order's view says how to send it.
                let left = drafted.withoutSupplier.isEmpty ? "" : " (\(drafted.withoutSupplier.count) SKU\(drafted.withoutSupplier.count == 1 ? "" : "s") without a supplier)"
                return .purchasingChanged(try purchasingPanel(opening: nil), .info("Drafted " + drafted.orders.map(PurchaseOrder.label).joined(separator: ", ")
                    + left + "."))
            case let .shipTransfer(id):
                let shipped = try ChainTransfers(store: store).ship(id: id, ctx)
                return .transfersChanged(try transferList(), .info("\(shipped.id) shipped to \(shipped.to) from the shop floor: "
                    + shipped.items.map { "\($0.sku) × \($0.quantity)" }.joined(separator: ", ") + "."))
            case let .receiveTransfer(id):
                let received = try ChainTransfers(store: store).receive(id: id, ctx)
                return .transfersChanged(try transferList(), .info("\(received.id) from \(received.from) received into the back room: "
                    + received.items.map { "\($0.sku) × \($0.quantity)" }.joined(separator: ", ") + "."))
            case let .startCount(location):
                let id = try counts.openCount(location: location) ?? counts.start(location: location, ctx)
                return .inventoryPanelLoaded(.count(try counts.sheet(countID: id)))
            case let .setCount(countID, code, quantity):
                try counts.record(countID: countID, code: code, quantity: quantity, ctx)
                return .inventoryPanelLoaded(.count(try counts.sheet(countID: countID)))
            case let .applyCount(countID):
                let applied = try counts.apply(countID: countID, ctx)
                let changed = applied.filter { $0.variance.milli != 0 }.count
                return .countClosed(.info("Count #\(countID) applied: \(changed) correction\(changed == 1 ? "" : "s")."))
            case let .cancelCount(countID):
                try counts.cancel(countID: countID, ctx)
                return .countClosed(.info("Count #\(countID) cancelled; stock unchanged."))
            case let .settings(work):
                return try runSettings(work)
            case .cancelRunning, .presentToReader:
                return .failed("internal: a request for the driver reached the effect runner")
            case let .cancelPayments(cartID):
                return .cartLoaded(try checkout.cancelPayments(cartID: cartID, ctx),
                                   message: .info("Payments cancelled; card parts voided."), select: nil)
            }
        } catch {
            return .failed("\(error)")
        }
    }

    /// Applies a cart change; one that needs a manager comes back as a request for approval instead.
    private func applyOrAskApproval(_ change: CartChange) throws -> Action {
        do {
            return try apply(change)
        } catch let error as TillError {
            guard case let .permissionDenied(reason) = error, change.mayBeApproved else { throw error }
            return .approvalNeeded(reason: reason, change: change)
        }
    }

    private func apply(_ change: CartChange, approvedBy: Int64? = nil) throws -> Action {
        var ctx = self.ctx
        ctx.approverID = approvedBy
        switch change {
        case let .setQuantity(cartID, position, quantity):
            let cart = try carts.setQuantity(cartID: cartID, position: position, quantity: quantity, ctx)
            return .cartLoaded(cart, message: .info(quantity.milli == 0 ? "Line removed." : "Quantity set to \(quantity)."),
                               select: quantity.milli == 0 ? nil : position)
        case let .overridePrice(cartID, position, price):
            return .cartLoaded(try carts.overridePrice(cartID: cartID, position: position, price: price, ctx),
                               message: .info("Price changed."), select: position)
        case let .lineDiscount(cartID, position, discount):
            return .cartLoaded(try carts.setLineDiscount(cartID: cartID, position: position, discount: discount, ctx),
                               message: .info(discount == nil ? "Line discount removed." : "Line discount applied."), select: position)
        case let .orderDiscount(cartID, discount):
            return .cartLoaded(try carts.setOrderDiscount(cartID: cartID, discount: discount, ctx),
                               message: .info(discount == nil ? "Order discount removed." : "Order discount applied."), select: nil)
        case let .attachCustomer(cartID, customerID):
            let cart = try carts.attachCustomer(cartID: cartID, customerID: customerID, ctx)
            ChainLoyalty.refreshForSale(store, customerID: customerID, ctx)
            return .cartLoaded(cart, message: .info(cart.customer.map { "Customer: \($0.name)." } ?? "Customer removed."), select: nil)
        case let .startSale(customerID):
            let cart = try carts.startSale(customerID: customerID, ctx)
            ChainLoyalty.refreshForSale(store, customerID: customerID, ctx)
            return .cartLoaded(cart, message: .info("Customer: \(cart.customer?.name ?? "#\(customerID)"). Scan the first item."), select: nil)
        case let .park(cartID, label):
            try carts.park(cartID: cartID, label: label, ctx)
            let named = label.map { " as “\($0.clipped(toWidth: 20))”" } ?? ""
            return .cartLoaded(nil, message: .info("Sale parked\(named). F10 on an empty sale recalls it."), select: nil)
        case let .openPrice(price, description):
            let cart = try carts.addOpenPrice(price: price, description: description, ctx)
            let money = Money(minorUnits: price, currency: (try? Currency.named(cart.order.currency)) ?? .EUR).formatted()
            return .cartLoaded(cart, message: .info("Added \(description.clipped(toWidth: 30)) at \(money)."),
                               select: cart.lines.last?.position)
        case let .recall(orderID):
            return .cartLoaded(try carts.recall(orderID: orderID, ctx), message: .info("Parked sale recalled."), select: nil)
        case let .discard(cartID):
            try carts.discard(cartID: cartID, ctx)
            return .cartLoaded(nil, message: .info("Sale voided."), select: nil)
        }
    }

    private func tendered(_ outcome: TenderOutcome) throws -> Action {
        switch outcome {
        case let .partlyPaid(cart):
            return .cartLoaded(cart, message: .info("Paid so far \(Money(minorUnits: cart.paid, currency: (try? Currency.named(cart.order.currency)) ?? .EUR)); still due \(Money(minorUnits: cart.due, currency: (try? Currency.named(cart.order.currency)) ?? .EUR))."), select: nil)
        case let .completed(sale):
            let issued: IssuedReceipt
            do {
                // Saved and queued only: the printer is asked afterwards, off the key loop (`printReceipt`).
                issued = try receipts.issueQueued(orderNumber: sale.number, register: register, at: now())
            } catch {
                // The sale is complete either way; say so, and why there is no receipt.
                return .saleCompleted(number: sale.number, receipt: "Sale #\(sale.number) completed.\n\n\(error)",
                                      change: sale.change)
            }
            return .saleCompleted(number: sale.number, receipt: issued.text, change: sale.change, printJob: issued.job?.id)
        }
    }
}

/// The signed-in staff member, shared by the runner and changed on sign-in.
final class StaffSession: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64?

    init(staffID: Int64?) { current = staffID }

    var staffID: Int64? { lock.withLock { current } }

    func set(_ staffID: Int64?) { lock.withLock { current = staffID } }
}
