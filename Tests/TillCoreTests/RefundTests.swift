import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct RefundTests {
    let store: StoreDatabase
    let gateway: SimulatedTerminal
    let refunds: Refunds
    let inventory: Inventory
    let sam: StaffMember
    let ana: StaffMember
    let max: StaffMember

    init() throws {
        store = try TestStores.demoStore()
        gateway = SimulatedTerminal(store: store)
        refunds = Refunds(store: store)
        inventory = Inventory(store: store)
        let staff = Staff(store: store)
        sam = try staff.member(username: "sam")
        ana = try staff.member(username: "ana")
        max = try staff.member(username: "max")
    }

    /// Acting as `member` at `register` (the main till unless named), with this suite's card gateway unless
    /// another is given, on the system clock unless pinned.
    func ctx(_ member: StaffMember?, approvedBy approver: StaffMember? = nil, register: String = TillContext.defaultRegister,
             gateway other: CardTerminal? = nil, at date: Date? = nil) -> TillContext {
        var ctx = TestStores.context(store, staffID: member?.id, approvedBy: approver?.id, register: register, at: date)
        ctx.terminal = other ?? gateway
        return ctx
    }

    /// Whether the processor has given back all it took on this payment.
    func fullyBack(_ token: String) throws -> Bool {
        let payment = try gateway.payment(id: token)
        return payment.amountCaptured > 0 && payment.amountRefunded == payment.amountCaptured
    }

    func item(_ sku: String) throws -> CatalogItem { try #require(try Catalog(store: store).lookup(code: sku)) }

    /// A card sale through the gateway, as the register makes it.
    func cardSale(_ lines: [(String, Int64)], discount: Discount? = nil) throws -> CompletedSale {
        try Checkout(store: store).sell(
            lines: try lines.map { SaleLineRequest(variantID: try item($0.0).variantID, quantity: .units($0.1)) },
            orderDiscount: discount, customerID: nil,
            tenders: [ScriptedTender(method: .card)], ctx(ana))
    }

    @Test func supportFindsAnOrderByPhoneAndRefundsOneLineToCardWithRestock() throws {
        // A demo customer's card order, found the way support would: by the phone number they give.
        let row = try #require(try store.read { db in
            try Row.fetchOne(db, sql: """
                SELECT o.number, c.phone FROM orders o JOIN customer c ON c.id = o.customer_id
                JOIN payment p ON p.order_id = o.id
                WHERE p.method = 'card' AND c.phone IS NOT NULL AND (SELECT COUNT(*) FROM order_line l WHERE l.order_id = o.id) >= 2
                ORDER BY o.number DESC LIMIT 1
                """)
        })
        let number: Int64 = row["number"]
        let phone: String = row["phone"]
        let found = try Orders(store: store).search(OrderQuery(phone: String(phone.filter(\.isNumber).suffix(7))), limit: 500)
        #expect(found.contains { $0.number == number })

        let before = try Orders(store: store).detail(number: number)
        let line = try #require(before.lines.first)
        let onHandBefore = try inventory.onHand(variantID: line.variantID, location: "floor")
        let payment = try #require(before.payments.first { $0.method == .card })

        let later = TestStores.demoCreatedAt.addingTimeInterval(3600)  // after the demo's history
        let refund = try refunds.refund(RefundRequest(orderNumber: number, lines: [RefundLineRequest(line: 1)],
                                                      reason: "arrived broken"), ctx(sam, at: later))
        #expect(refund.refund.status == .completed)
        #expect(refund.refund.amount == line.total)
        #expect(refund.tenders.map(\.method) == [.card])

        let after = try Orders(store: store).detail(number: number)
        #expect(after.order.status == .partiallyRefunded)
        #expect(after.payments.first { $0.id == payment.id }?.status == .captured)  // part refunded stays captured
        let charge = try gateway.payment(id: try #require(payment.gatewayToken))
        #expect(charge.amountRefunded == line.total)
        #expect(try inventory.onHand(variantID: line.variantID, location: "floor") == onHandBefore + line.quantity)
        let movement = try #require(try inventory.movements(variantID: line.variantID, limit: 1).first)
        #expect(movement.reason == .refund)
        #expect(movement.reference == "order:\(number)")
        let event = try #require(after.timeline.last)
        #expect(event.staff == "sam")
        #expect(event.what.contains("refunded"))
        #expect(event.what.contains("arrived broken"))
        #expect(try Reconciliation(store: store, terminal: gateway).run(day: before.order.completedAt ?? later, ctx(sam)).isEmpty)

        #expect(throws: TillError.invalid("line 1 (\(line.sku)) has already been refunded in full")) {
            _ = try refunds.refund(RefundRequest(orderNumber: number, lines: [RefundLineRequest(line: 1)]), ctx(sam))
        }
        #expect(try gateway.payment(id: try #require(payment.gatewayToken)).amountRefunded == line.total)
    }

    @Test func partialQuantitiesAddUpExactlyToWhatWasPaid() throws {
        // 3 items with 10 % off the order: per-unit amounts do not divide evenly.
        let sale = try cardSale([("COF-002", 3), ("SNK-002", 1)], discount: .percent(basisPoints: 1000))
        let line = try #require(sale.lines.first)
        var refunded: Int64 = 0
        for _ in 0..<3 {
            let refund = try refunds.refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 1, quantity: .one)]), ctx(sam))
            refunded += refund.refund.amount
        }
        #expect(refunded == line.total)
        #expect(try Orders(store: store).detail(number: sale.number).order.status == .partiallyRefunded)
        let rest = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(sam))
        #expect(refunded + rest.refund.amount == sale.order.total)
        let after = try Orders(store: store).detail(number: sale.number)
        #expect(after.order.status == .refunded)
        #expect(after.payments.allSatisfy { $0.status == .refunded })
        let token = try #require(sale.payments.first?.gatewayToken)
        #expect(try fullyBack(token))
        #expect(throws: TillError.invalid("order #\(sale.number) has already been refunded in full")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(sam))
        }
    }

    @Test func moreThanIsLeftIsRefusedWithTheNumbers() throws {
        let sale = try cardSale([("COF-002", 2)])
        #expect(throws: TillError.invalid("line 1 (COF-002): only 2 of 2 left to refund, not 3")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 1, quantity: .units(3))]), ctx(sam))
        }
        #expect(throws: TillError.invalid("order #\(sale.number) has no line 2 (it has 1)")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 2)]), ctx(sam))
        }
        #expect(try refunds.refundable(orderNumber: sale.number).first?.quantityLeft == .units(2))
    }

    @Test func splitTenderRefundsTheCardFirstAndNeverMoreThanEachTenderTook() throws {
        let coffee = try item("COF-002")
        // The cash part is taken into, and given back from, the main till's open drawer.
        _ = try TestStores.openTill(store, staffID: ana.id)
        let sale = try Checkout(store: store).sell(
            lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(2))], orderDiscount: nil, customerID: nil,
            tenders: [ScriptedTender(method: .card, amount: 300), ScriptedTender(method: .cash)], ctx(ana))
        let refund = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(sam))
        #expect(refund.tenders.map(\.method) == [.card, .cash])
        #expect(refund.tenders.map(\.amount) == [300, sale.order.total - 300])
        let token = try #require(sale.payments.first { $0.method == .card }?.gatewayToken)
        #expect(try gateway.payment(id: token).amountRefunded == 300)
    }

    @Test func aCashierNeedsAManagersApprovalToRefund() throws {
        let sale = try cardSale([("COF-002", 1)])
        #expect(throws: TillError.permissionDenied("ana (cashier) may not refund an order; a manager must approve")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(ana))
        }
        #expect(throws: TillError.permissionDenied("sign in to refund an order (--user / TILL_USER with TILL_PIN)")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(nil))
        }
        let approved = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(ana, approvedBy: max))
        #expect(approved.refund.approvedBy == max.id)
        let audit = try #require(try AuditLog.entries(store, entity: "order").first)
        #expect(audit.staff == "ana")
        #expect(audit.note?.contains("approved by max") == true)
    }

    @Test func aManagerVoidsTodaysSaleAndEverythingGoesBack() throws {
        let coffee = try item("COF-002")
        let onHand = try inventory.onHand(variantID: coffee.variantID, location: "floor")
        let sale = try cardSale([("COF-002", 2)])
        #expect(throws: TillError.permissionDenied("ana (cashier) may not void a completed sale (same day); a manager must approve")) {
            _ = try refunds.void(orderNumber: sale.number, ctx(ana))
        }
        let void = try refunds.void(orderNumber: sale.number, reason: "rang up twice", ctx(max))
        #expect(void.refund.kind == .void)
        #expect(void.refund.amount == sale.order.total)
        let detail = try Orders(store: store).detail(number: sale.number)
        #expect(detail.order.status == .voided)
        #expect(detail.payments.map(\.status) == [.voided])
        #expect(try fullyBack(try #require(sale.payments.first?.gatewayToken)))
        #expect(try inventory.onHand(variantID: coffee.variantID, location: "floor") == onHand)
        #expect(try inventory.movements(variantID: coffee.variantID, limit: 100).contains { $0.reason == .void && $0.reference == "order:\(sale.number)" })
        #expect(try Reconciliation(store: store, terminal: gateway).run(day: Date(), ctx(sam)).isEmpty)
        #expect(throws: TillError.invalid("order #\(sale.number) was voided; there is nothing to refund")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(sam))
        }
    }

    @Test func onlyTodaysUnrefundedSalesCanBeVoided() throws {
        let sale = try cardSale([("COF-002", 2)])
        let tomorrow = Date().addingTimeInterval(86_400 + 60)
        let settings = try store.read { db in try StoreSettings.load(db) }
        let soldOn = BusinessDay.byClock(try #require(sale.order.completedAt), settings: settings)
        let today = BusinessDay.byClock(tomorrow, settings: settings)
        #expect(throws: TillError.invalid("order #\(sale.number) was sold on business day \(soldOn), not today's (\(today)); a sale can be voided only on its day — refund it instead")) {
            _ = try refunds.void(orderNumber: sale.number, ctx(max, at: tomorrow))
        }
        _ = try refunds.refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 1, quantity: .one)]), ctx(sam))
        #expect(throws: TillError.invalid("order #\(sale.number) is partially refunded; only a completed sale with nothing refunded can be voided — refund it instead")) {
            _ = try refunds.void(orderNumber: sale.number, ctx(max))
        }
    }

    @Test func storeCreditIsALedgerThatPaysAtTheTillAndNeverGoesNegative() throws {
        let sale = try cardSale([("COF-002", 2)])
        let refund = try refunds.refund(RefundRequest(orderNumber: sale.number, destination: .storeCredit), ctx(sam))
        let code = try #require(refund.creditCode)
        let credit = StoreCredit(store: store)
        #expect(try credit.statement(code: code).balance == sale.order.total)
        #expect(try gateway.payment(id: try #require(sale.payments.first?.gatewayToken)).amountRefunded == 0)

        // Redeem part of it at the register.
        let snack = try item("SNK-002")
        let cart = try Carts(store: store).add(variantID: snack.variantID, ctx(ana, register: "r"))
        guard case let .completed(paid) = try Checkout(store: store).payCredit(cartID: cart.id, code: code.lowercased(), ctx(ana, register: "r")) else {
            Issue.record("the credit should cover one snack")
            return
        }
        #expect(paid.payments.map(\.method) == [.credit])
        let left = sale.order.total - paid.order.total
        #expect(try credit.statement(code: code).balance == left)
        #expect(try credit.statement(code: code).entries.map(\.reason) == [.redeem, .refund])

        // More than the balance: refused by the core, and by the database if anything got past it.
        let big = try Carts(store: store).add(variantID: try item("COF-001").variantID, quantity: .units(20), ctx(ana, register: "r2"))
        #expect(throws: TillError.invalid("store credit \(code) has \(Money(minorUnits: left, currency: .EUR)) left, not €30.00")) {
            _ = try Checkout(store: store).payCredit(cartID: big.id, code: code, amount: 3_000, ctx(ana, register: "r2"))
        }
        let accountID = try #require(try credit.statement(code: code).account.id)
        #expect(throws: TillError.storage("\(store.path): store credit balance cannot go below zero")) {
            try store.write { db in
                try db.execute(sql: "INSERT INTO credit_entry(account_id, delta, reason, created_at) VALUES (?, ?, 'adjust', ?)",
                               arguments: [accountID, -(left + 1), Date()])
            }
        }
        #expect(throws: TillError.storage("\(store.path): credit_entry is append-only")) {
            try store.write { db in try db.execute(sql: "UPDATE credit_entry SET delta = 1") }
        }
        #expect(throws: TillError.storage("\(store.path): credit_entry is append-only")) {
            try store.write { db in try db.execute(sql: "DELETE FROM credit_entry") }
        }
    }

    @Test func aReturnWithoutAReceiptIsPermissionGatedAndGoesToStoreCredit() throws {
        let snack = try item("SNK-002")
        let onHand = try inventory.onHand(variantID: snack.variantID, location: "floor")
        let items = [NoReceiptItem(variantID: snack.variantID, quantity: .units(2))]
        #expect(throws: TillError.permissionDenied("ana (cashier) may not take a return without a receipt; a manager must approve")) {
            _ = try refunds.returnWithoutReceipt(items, reason: "gift", ctx(ana))
        }
        #expect(throws: TillError.invalid("say why the return has no receipt (a reason)")) {
            _ = try refunds.returnWithoutReceipt(items, reason: " ", ctx(sam))
        }
        let back = try refunds.returnWithoutReceipt(items, reason: "gift", ctx(sam))
        #expect(back.refund.kind == .noReceipt)
        #expect(back.refund.amount == snack.price * 2)
        #expect(back.tenders.map(\.method) == [.credit])
        #expect(try StoreCredit(store: store).statement(code: try #require(back.creditCode)).balance == snack.price * 2)
        #expect(try inventory.onHand(variantID: snack.variantID, location: "floor") == onHand + .units(2))
        #expect(try AuditLog.entries(store, entity: "refund").first?.action == "return.no_receipt")
    }

    @Test func aGatewayRefusalRefundsNothingAndFreesTheAmounts() throws {
        let sale = try cardSale([("COF-002", 1)])
        // The charge was voided at the gateway behind Till's back: the refund cannot go through.
        let token = try #require(sale.payments.first?.gatewayToken)
        _ = try gateway.void(paymentID: token, idempotencyKey: "behind-tills-back")
        let counts = try TestStores.saleTableCounts(store)
        #expect(throws: TillError.invalid("refund refused by the card processor, nothing was refunded: the card processor refused the request: refund of 1509 is more than the 0 left on payment \(token)")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(sam))
        }
        // What stays is the truthful record of the refused attempt: one refund (marked failed, below) with its line
        // and its card tender; no sale, payment, stock movement or store credit changed.
        var expected = counts
        for table in ["refund", "refund_line", "refund_tender"] { expected[table, default: 0] += 1 }
        #expect(try TestStores.saleTableCounts(store) == expected)
        #expect(try refunds.refundable(orderNumber: sale.number).first?.quantityLeft == .one)
        #expect(try Orders(store: store).detail(number: sale.number).order.status == .completed)
        #expect(try Orders(store: store).detail(number: sale.number).refunds.map(\.refund.status) == [.failed])
    }

    @Test func aLostGatewayAnswerLeavesTheRefundOnHoldAndResumingRefundsOnce() throws {
        let sale = try cardSale([("COF-002", 2)])
        let flaky = LosesFirstRefundAnswer(inner: gateway)
        #expect(throws: TillError.invalid("the card processor did not answer; refund 1 is on hold — resume it (till refund --resume 1) and the card will not be refunded twice")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(sam, gateway: flaky))
        }
        let held = try #require(try Orders(store: store).detail(number: sale.number).refunds.first)
        #expect(held.refund.status == .pending)
        // While on hold its amounts stay reserved: a second refund cannot take them.
        #expect(throws: TillError.invalid("order #\(sale.number) has already been refunded in full")) {
            _ = try refunds.refund(RefundRequest(orderNumber: sale.number), ctx(sam))
        }
        let resumed = try refunds.resume(refundID: try #require(held.refund.id), ctx(sam, gateway: flaky))
        #expect(resumed.refund.status == .completed)
        #expect(try gateway.payment(id: try #require(sale.payments.first?.gatewayToken)).amountRefunded == sale.order.total)
        #expect(try Orders(store: store).detail(number: sale.number).order.status == .refunded)
    }

    @Test func notesAreKeptInOrderAndNeverEdited() throws {
        let sale = try cardSale([("COF-002", 1)])
        let notes = OrderNotes(store: store)
        _ = try notes.add(orderNumber: sale.number, text: "customer called: charged twice?", ctx(sam))
        _ = try notes.add(orderNumber: sale.number, text: "checked: charged once", ctx(sam))
        #expect(throws: TillError.invalid("a note needs some text")) { _ = try notes.add(orderNumber: sale.number, text: "  ", ctx(sam)) }
        let detail = try Orders(store: store).detail(number: sale.number)
        #expect(detail.notes.map(\.text) == ["customer called: charged twice?", "checked: charged once"])
        #expect(detail.timeline.map(\.what).contains("note: checked: charged once"))
        #expect(throws: TillError.storage("\(store.path): order_note is append-only")) { try store.write { db in try db.execute(sql: "UPDATE order_note SET text = 'x'") } }
        #expect(throws: TillError.storage("\(store.path): order_note is append-only")) { try store.write { db in try db.execute(sql: "DELETE FROM order_note") } }
    }

    @Test func aReprintIsACopyWithTheRefundsAndIsAudited() throws {
        let sale = try cardSale([("COF-002", 2)])
        _ = try refunds.refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 1, quantity: .one)]), ctx(sam))
        let printer = TestStores.temporaryPath("printer.bin")
        let text = try ReceiptOutput(store: store, printerPath: printer).reprint(orderNumber: sale.number, ctx(sam))
        #expect(text.contains("*** COPY ***"))
        #expect(text.contains("*** PARTIALLY REFUNDED ***"))
        #expect(text.contains("REFUNDED "))
        #expect(text.contains("to card ••4242"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: printer))
        #expect(!bytes.isEmpty)
        #expect(try Orders(store: store).detail(number: sale.number).timeline.last?.what == "receipt reprinted — to \(printer)")
    }

    @Test func everyRoleAllowsWhatThePermissionTableSays() {
        #expect(Permission.allCases.filter { StaffRole.cashier.allows($0) } == [.sell])
        #expect(Permission.allCases.filter { StaffRole.support.allows($0) } == [.sell, .refund, .noReceiptReturn, .issueCredit, .viewReports])
        #expect(Permission.allCases.filter { !StaffRole.manager.allows($0) } == [.manageStaff, .manageStore])
        #expect(Permission.allCases.allSatisfy { StaffRole.admin.allows($0) })
    }
}

/// A reader whose first refund goes through but whose answer is lost, as on a dropped connection.
final class LosesFirstRefundAnswer: CardTerminal, @unchecked Sendable {
    let inner: CardTerminal
    private var lost = false
    private let lock = NSLock()

    init(inner: CardTerminal) { self.inner = inner }

    var kind: CardTerminalKind { inner.kind }
    var readerID: String { inner.readerID }
    func collect(_ request: CardCollectRequest, journal: CardAttemptJournal, cancellation: CancellationFlag?,
                 progress: ProgressReporter) throws -> CardPayment {
        try inner.collect(request, journal: journal, cancellation: cancellation, progress: progress)
    }
    func recover(_ attempt: CardAttemptRecord) throws -> CardPayment? { try inner.recover(attempt) }
    func abandon(_ attempt: CardAttemptRecord, paymentID: String) throws { try inner.abandon(attempt, paymentID: paymentID) }
    func capture(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment {
        try inner.capture(paymentID: paymentID, amount: amount, idempotencyKey: idempotencyKey)
    }
    func void(paymentID: String, idempotencyKey: String) throws -> CardPayment { try inner.void(paymentID: paymentID, idempotencyKey: idempotencyKey) }
    func refund(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment {
        let result = try inner.refund(paymentID: paymentID, amount: amount, idempotencyKey: idempotencyKey)
        let loseIt = lock.withLock { () -> Bool in
            defer { lost = true }
            return !lost
        }
        if loseIt { throw CardTerminalError.noAnswer("the connection dropped") }
        return result
    }
    func payment(id: String) throws -> CardPayment { try inner.payment(id: id) }
    func payments(from: Date, to: Date) throws -> [CardPayment] { try inner.payments(from: from, to: to) }
    func status() throws -> CardReaderStatus { try inner.status() }
}

@Suite struct ExchangeTests {
    @Test func anExchangeReturnsOneItemAndSellsAnotherWithTheBalancePaid() throws {
        let store = try TestStores.demoStore()
        let gateway = SimulatedTerminal(store: store)
        let staff = try Staff(store: store).member(username: "sam")
        let catalog = Catalog(store: store)
        let small = try #require(try catalog.lookup(code: "SNK-002"))
        let big = try #require(try catalog.lookup(code: "COF-001"))
        func ctx(_ member: StaffMember) -> TillContext {
            var ctx = TestStores.context(store, staffID: member.id)
            ctx.terminal = gateway
            return ctx
        }
        // The balance is paid in cash: the till's drawer is open.
        _ = try TestStores.openTill(store, staffID: staff.id)
        let sale = try Checkout(store: store).sell(
            lines: [SaleLineRequest(variantID: small.variantID, quantity: .units(1))], orderDiscount: nil, customerID: nil,
            tenders: [ScriptedTender(method: .card)], ctx(staff))
        let smallOnHand = try Inventory(store: store).onHand(variantID: small.variantID, location: "floor")
        let exchange = try Refunds(store: store).exchange(
            orderNumber: sale.number, returning: [RefundLineRequest(line: 1)],
            newLines: [SaleLineRequest(variantID: big.variantID, quantity: .one)], tenders: [ScriptedTender(method: .cash)], ctx(staff))
        #expect(exchange.refund.refund.amount == sale.order.total)
        #expect(exchange.sale.payments.map(\.method) == [.credit, .cash])
        #expect(exchange.sale.payments.map(\.amount) == [sale.order.total, big.price - sale.order.total])
        #expect(exchange.creditLeft == 0)
        #expect(try Orders(store: store).detail(number: sale.number).order.status == .refunded)
        #expect(try Inventory(store: store).onHand(variantID: small.variantID, location: "floor") == smallOnHand + .one)

        // The other way round: the difference stays on the slip.
        let second = try Checkout(store: store).sell(
            lines: [SaleLineRequest(variantID: big.variantID, quantity: .one)], orderDiscount: nil, customerID: nil,
            tenders: [ScriptedTender(method: .cash)], ctx(staff))
        let down = try Refunds(store: store).exchange(
            orderNumber: second.number, returning: [RefundLineRequest(line: 1)],
            newLines: [SaleLineRequest(variantID: small.variantID, quantity: .one)], tenders: [], ctx(staff))
        #expect(down.creditLeft == big.price - small.price)
        #expect(try StoreCredit(store: store).statement(code: try #require(down.refund.creditCode)).balance == down.creditLeft)
    }
}
