import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct PermissionTests {
    let store: StoreDatabase
    let ana: StaffMember
    let sam: StaffMember
    let max: StaffMember
    let ada: StaffMember

    init() throws {
        store = try TestStores.demoStore()
        let staff = Staff(store: store)
        ana = try staff.member(username: "ana")
        sam = try staff.member(username: "sam")
        max = try staff.member(username: "max")
        ada = try staff.member(username: "ada")
    }

    func item(_ sku: String) throws -> CatalogItem { try #require(try Catalog(store: store).lookup(code: sku)) }

    func ctx(_ member: StaffMember, approvedBy approver: StaffMember? = nil, register: String = TillContext.defaultRegister) -> TillContext {
        TestStores.context(store, staffID: member.id, approvedBy: approver?.id, register: register)
    }

    @Test func aCashierIsRefusedFiftyPercentUntilAManagerApproves() throws {
        let carts = Carts(store: store)
        let cart = try carts.add(variantID: try item("COF-002").variantID, ctx(ana))
        _ = try carts.setLineDiscount(cartID: cart.id, position: 1, discount: .percent(basisPoints: 1000), ctx(ana))  // 10 %: fine alone
        #expect(throws: TillError.permissionDenied("ana (cashier) may give up to 20% off; 50% needs a manager's approval")) {
            _ = try carts.setOrderDiscount(cartID: cart.id, discount: .percent(basisPoints: 5000), ctx(ana))
        }
        #expect(throws: TillError.permissionDenied("ana (cashier) may not give a discount above the store's limit; a manager must approve")) {
            _ = try carts.setOrderDiscount(cartID: cart.id, discount: .percent(basisPoints: 5000), ctx(ana, approvedBy: sam))
        }
        let approved = try carts.setOrderDiscount(cartID: cart.id, discount: .percent(basisPoints: 5000), ctx(ana, approvedBy: max))
        #expect(approved.order.discountTotal > 0)
        let approvedBy = try store.read { db in try Int64.fetchOne(db, sql: "SELECT discount_approved_by FROM orders WHERE id = ?", arguments: [cart.id]) }
        #expect(approvedBy == max.id)
        let audit = try #require(try AuditLog.entries(store, entity: "order", entityID: cart.id).first)
        #expect(audit.action == "discount.approved" && audit.staff == "ana" && audit.note == "approved by max")
        // An amount above the limit counts too; a manager needs nobody.
        let other = try carts.add(variantID: try item("COF-002").variantID, ctx(max, register: "r2"))
        _ = try carts.setOrderDiscount(cartID: other.id, discount: .amount(1000), ctx(max, register: "r2"))
    }

    @Test func everyRestrictedActionIsRefusedToACashierInTheCore() throws {
        // Each action by ana, the cashier (no approver), refused with the core's own reason, and nothing changed.
        let editor = CatalogEditor(store: store)
        let coffee = try item("COF-002")
        let onHand = try Inventory(store: store).onHand(variantID: coffee.variantID, location: "floor")
        #expect(throws: TillError.permissionDenied("ana (cashier) may not edit products and prices; a manager must approve")) { try editor.setActive(sku: "COF-002", false, ctx(ana)) }
        #expect(try Catalog(store: store).lookup(code: "COF-002")?.active == true)
        #expect(throws: TillError.permissionDenied("ana (cashier) may not adjust, receive and count stock; a manager must approve")) {
            _ = try StockOperations(store: store).adjust(sku: "COF-002", delta: .one, reason: .damaged, ctx(ana))
        }
        #expect(try Inventory(store: store).onHand(variantID: coffee.variantID, location: "floor") == onHand)
        #expect(throws: TillError.permissionDenied("ana (cashier) may not change store settings; only an admin may")) { try StoreSettingsEditor(store: store).set("name", to: "X", TillContext(staffID: ana.id)) }
        #expect(throws: TillError.permissionDenied("ana (cashier) may not view reports; a manager must approve")) { _ = try SalesReports(store: store).summary(from: .distantPast, to: .distantFuture, ctx(ana)) }
        #expect(throws: TillError.permissionDenied("ana (cashier) may not close the day (Z report); a manager must approve")) { _ = try DayReports(store: store).z(ctx(ana)) }
        #expect(throws: TillError.permissionDenied("ana (cashier) may not add and disable staff, reset PINs; only an admin may")) {
            _ = try Staff(store: store).add(username: "eve", name: "Eve", role: .cashier, pin: "9999", hasher: TestStores.testHasher, TillContext(staffID: ana.id))
        }
        let cart = try Carts(store: store).add(variantID: coffee.variantID, ctx(ana))
        #expect(throws: TillError.permissionDenied("ana (cashier) may not change a price at the till; a manager must approve")) { _ = try Carts(store: store).overridePrice(cartID: cart.id, position: 1, price: 1, ctx(ana)) }
        #expect(try Carts(store: store).cart(id: cart.id).lines.first?.unitPrice == coffee.price)
        // The same actions go through for the roles allowed them, so the refusals above are about the role.
        _ = try Carts(store: store).overridePrice(cartID: cart.id, position: 1, price: 1, ctx(ana, approvedBy: max))
        try editor.setActive(sku: "COF-002", false, ctx(max))
        _ = try Staff(store: store).add(username: "eve", name: "Eve", role: .cashier, pin: "9999", hasher: TestStores.testHasher, TillContext(staffID: ada.id))
    }

    @Test func aManagerIsRefusedWhatOnlyAnAdminMayDo() throws {
        #expect(throws: TillError.permissionDenied("max (manager) may not change store settings; only an admin may")) { try StoreSettingsEditor(store: store).set("name", to: "X", TillContext(staffID: max.id)) }
        #expect(throws: TillError.permissionDenied("max (manager) may not add and disable staff, reset PINs; only an admin may")) {
            _ = try Staff(store: store).add(username: "eve", name: "Eve", role: .admin, pin: "9999", hasher: TestStores.testHasher, TillContext(staffID: max.id))
        }
        #expect(throws: TillError.permissionDenied("sam (support) may not close the day (Z report); a manager must approve")) { _ = try DayReports(store: store).z(ctx(sam)) }
        #expect(try Staff(store: store).all().map(\.username).contains("eve") == false)
    }

    @Test func wrongPINsLockTheNameForLongerEachTimeAndAreLogged() throws {
        let staff = Staff(store: store)
        let start = Date()
        for attempt in 1...3 {
            #expect(throws: TillError.permissionDenied("wrong user name or PIN for \"ana\"")) {
                _ = try staff.authenticate(username: "ana", pin: "0000", at: start.addingTimeInterval(Double(attempt)))
            }
        }
        // Locked now, even with the right PIN.
        #expect(throws: TillError.self) { _ = try staff.authenticate(username: "ana", pin: "1111", at: start.addingTimeInterval(10)) }
        // After the first lockout (30 s) one more miss locks for 60 s.
        #expect(throws: TillError.permissionDenied("wrong user name or PIN for \"ana\"")) { _ = try staff.authenticate(username: "ana", pin: "0000", at: start.addingTimeInterval(40)) }
        #expect(throws: TillError.self) { _ = try staff.authenticate(username: "ana", pin: "1111", at: start.addingTimeInterval(90)) }
        #expect(try staff.authenticate(username: "ana", pin: "1111", at: start.addingTimeInterval(101)).username == "ana")
        let actions = try AuditLog.entries(store, entity: "staff").map(\.action)
        #expect(actions.filter { $0 == "staff.locked" }.count == 2)
        #expect(actions.filter { $0 == "staff.pin_failed" }.count == 2)
        #expect(try AuditLog.entries(store, entity: "staff").allSatisfy { !($0.after ?? "").contains("0000") && !($0.note ?? "").contains("0000") })
        // The counter starts again after a success.
        #expect(throws: TillError.permissionDenied("wrong user name or PIN for \"ana\"")) { _ = try staff.authenticate(username: "ana", pin: "0000", at: start.addingTimeInterval(102)) }
        #expect(try staff.authenticate(username: "ana", pin: "1111", at: start.addingTimeInterval(103)).username == "ana")
    }

    @Test func adminsManageStaff() throws {
        let staff = Staff(store: store)
        _ = try staff.add(username: "eve", name: "Eve Example", role: .cashier, pin: "2468", hasher: TestStores.testHasher, TillContext(staffID: ada.id))
        #expect(try staff.authenticate(username: "eve", pin: "2468").role == .cashier)
        try staff.setActive(username: "eve", false, TillContext(staffID: ada.id))
        #expect(throws: TillError.permissionDenied("wrong user name or PIN for \"eve\"")) { _ = try staff.authenticate(username: "eve", pin: "2468") }
        try staff.setActive(username: "eve", true, TillContext(staffID: ada.id))
        try staff.resetPIN(username: "eve", to: "1357", hasher: TestStores.testHasher, TillContext(staffID: ada.id))
        #expect(try staff.authenticate(username: "eve", pin: "1357").username == "eve")
        #expect(throws: TillError.invalid("a PIN is 4 to 8 digits")) { try staff.resetPIN(username: "eve", to: "12", TillContext(staffID: ada.id)) }
        #expect(throws: TillError.duplicate("staff member \"EVE\"")) {
            _ = try staff.add(username: "EVE", name: "E", role: .cashier, pin: "2468", hasher: TestStores.testHasher, TillContext(staffID: ada.id))
        }
    }
}

@Suite struct ShiftTests {
    @Test func aShiftCountsTheDrawerAgainstWhatItShouldHold() throws {
        let store = try TestStores.demoStore()
        let staff = Staff(store: store)
        let ana = try staff.member(username: "ana")
        let max = try staff.member(username: "max")
        let shifts = Shifts(store: store)
        let now = Date()
        func ctx(_ member: StaffMember, approvedBy approver: StaffMember? = nil, register: String = "main", at offset: TimeInterval) -> TillContext {
            TestStores.context(store, staffID: member.id, approvedBy: approver?.id, register: register, at: now.addingTimeInterval(offset))
        }
        _ = try shifts.open(float: 15_000, ctx(ana, at: 0))
        #expect(throws: TillError.self) { _ = try shifts.open(float: 0, ctx(ana, at: 0)) }
        // The other register takes cash in its own drawer.
        _ = try shifts.open(float: 0, ctx(ana, register: "second", at: 0))
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let sale = try Checkout(store: store).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(2))],
            tenders: [Tender(method: .cash, amount: 5_000)]), ctx(ana, at: 60))
        // A card sale and another register's cash do not touch this drawer.
        _ = try Checkout(store: store).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)],
            tenders: [Tender(method: .card, card: try CardDetails(token: "tok_a", brand: "visa", last4: "4242"))]),
            ctx(ana, at: 70))
        _ = try Checkout(store: store).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)],
            tenders: [Tender(method: .cash)]), ctx(ana, register: "second", at: 80))
        #expect(throws: TillError.permissionDenied("ana (cashier) may not open the drawer without a sale, or pay cash in or out; a manager must approve")) {
            try shifts.moveCash(.payOut, amount: 1_000, reason: "window cleaner", ctx(ana, at: 90))
        }
        try shifts.moveCash(.payOut, amount: 1_000, reason: "window cleaner", ctx(ana, approvedBy: max, at: 90))
        try shifts.moveCash(.payIn, amount: 2_000, reason: "change from the bank", ctx(max, at: 95))
        try shifts.moveCash(.noSale, amount: 0, reason: "customer needed change", ctx(max, at: 96))
        _ = try Refunds(store: store).refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 1, quantity: .one)]),
                                             ctx(max, at: 100))
        let expected = 15_000 + sale.order.total - sale.order.total / 2 - 1_000 + 2_000
        let closed = try shifts.close(count: CashCount.parse("100x1,50x1,10x2", currency: .EUR), ctx(ana, at: 200))
        #expect(closed.expectedCash == expected)
        #expect(closed.countedCash == 17_000)
        #expect(closed.variance == 17_000 - expected)
        #expect(closed.noSales == 1)
        #expect(throws: TillError.invalid("3 is not a EUR note or coin (500.00, 200.00, 100.00, 50.00, 20.00, 10.00, 5.00, 2.00, 1.00, 0.50, 0.20, 0.10, 0.05, 0.02, 0.01)")) { _ = try CashCount.parse("3x1", currency: .EUR) }
        #expect(throws: TillError.invalid("20 is counted twice")) { _ = try CashCount.parse("20x1,20x2", currency: .EUR) }
        #expect(try shifts.current(register: "main") == nil)
    }
}

@Suite struct DayReportTests {
    /// The Z report, checked against sums worked out here straight from the order, payment and refund rows.
    @Test func theZReportMatchesTheDaysOrdersToTheCent() throws {
        let store = try TestStores.demoStore()
        let staff = Staff(store: store)
        let max = try staff.member(username: "max")
        let day = TestStores.demoCreatedAt.addingTimeInterval(-86_400)  // a full day of demo history
        // A refund and a void that day as well.
        let calendar = Calendar.current
        let start = calendar.startOfDay(for: day)
        let end = try #require(calendar.date(byAdding: .day, value: 1, to: start))
        let numbers = try store.read { db in
            try Int64.fetchAll(db, sql: "SELECT number FROM orders WHERE completed_at >= ? AND completed_at < ? ORDER BY number", arguments: [start, end])
        }
        #expect(numbers.count > 5)
        func ctx(at offset: TimeInterval) -> TillContext {
            TestStores.context(store, staffID: max.id, at: start.addingTimeInterval(offset))
        }
        // Cash given back comes out of a drawer: a shift that evening on the main till, closed before the Z.
        _ = try Shifts(store: store).open(float: 10_000, ctx(at: 23 * 3600 - 60))
        _ = try Refunds(store: store).refund(RefundRequest(orderNumber: numbers[0], lines: [RefundLineRequest(line: 1)]),
                                             ctx(at: 23 * 3600))
        _ = try Refunds(store: store).void(orderNumber: numbers[1], ctx(at: 23 * 3600 + 60))
        _ = try Shifts(store: store).close(count: CashCount.parse("100x1", currency: .EUR), ctx(at: 23 * 3600 + 120))
        let businessDay = BusinessDay.byClock(day, settings: try store.read { db in try StoreSettings.load(db) })

        let z = try DayReports(store: store).z(day: businessDay, TestStores.context(store, staffID: max.id))
        let independent = try store.read { db -> (count: Int, gross: Int64, discounts: Int64, total: Int64, tax: Int64, cash: Int64, card: Int64, refunds: Int64) in
            let orders = try Row.fetchAll(db, sql: "SELECT * FROM orders WHERE number IS NOT NULL AND completed_at >= ? AND completed_at < ?",
                                          arguments: [start, end]).filter { ($0["status"] as String) != "voided" }
            let ids = Set(orders.map { $0["id"] as Int64 })
            let payments = try Row.fetchAll(db, sql: "SELECT * FROM payment").filter { ids.contains($0["order_id"]) }
            let refunds = try Row.fetchAll(db, sql: "SELECT * FROM refund WHERE status = 'completed' AND kind <> 'void'")
                .filter { ($0["completed_at"] as Date) >= start && ($0["completed_at"] as Date) < end }
            func sum(_ rows: [Row], _ column: String) -> Int64 { rows.reduce(0) { $0 + ($1[column] as Int64) } }
            let kept = payments.filter { ["captured", "refunded"].contains($0["status"] as String) }
            return (orders.count, sum(orders, "subtotal"), sum(orders, "discount_total"), sum(orders, "total"), sum(orders, "tax_total"),
                    sum(kept.filter { ($0["method"] as String) == "cash" }, "amount"),
                    sum(kept.filter { ($0["method"] as String) == "card" }, "amount"), sum(refunds, "amount"))
        }
        #expect(z.number == 1)
        #expect(z.figures.salesCount == independent.count)
        #expect(z.figures.grossSales == independent.gross)
        #expect(z.figures.discounts == independent.discounts)
        #expect(z.figures.total == independent.total)
        #expect(z.figures.tax == independent.tax)
        #expect(z.figures.taxByClass.reduce(0) { $0 + $1.tax } == independent.tax)
        #expect(z.figures.tenders.first { $0.method == "cash" }?.taken ?? 0 == independent.cash)
        #expect(z.figures.tenders.first { $0.method == "card" }?.taken ?? 0 == independent.card)
        #expect(z.figures.refunds == independent.refunds)
        #expect(z.figures.refundsCount == 1)
        #expect(z.figures.voidsCount == 1)
        #expect(z.figures.netSales == independent.total - independent.refunds)
        #expect(z.figures.total == z.figures.grossSales - z.figures.discounts)
        // Closed once; the saved one prints the same figures.
        #expect(throws: TillError.self) { _ = try DayReports(store: store).z(day: businessDay, TestStores.context(store, staffID: max.id)) }
        #expect(try DayReports(store: store).savedZ(day: businessDay, TestStores.context(store, staffID: max.id)).figures == z.figures)
        #expect(throws: TillError.storage("\(store.path): z_report is append-only")) { try store.write { db in try db.execute(sql: "DELETE FROM z_report") } }
    }

    @Test func salesByCategoryAddUpToTheSummary() throws {
        let store = try TestStores.demoStore()
        let max = try Staff(store: store).member(username: "max")
        let to = TestStores.demoCreatedAt.addingTimeInterval(3600)
        let from = to.addingTimeInterval(-30 * 86_400)
        let reports = SalesReports(store: store)
        let ctx = TestStores.context(store, staffID: max.id)
        let summary = try reports.summary(from: from, to: to, ctx)
        for grouping in [SalesGrouping.category, .product, .staff, .day, .hour] {
            let rows = try reports.sales(from: from, to: to, by: grouping, ctx)
            #expect(rows.reduce(0) { $0 + $1.sales } == summary.sales, "\(grouping)")
        }
        let payments = try reports.sales(from: from, to: to, by: .payment, ctx)
        #expect(payments.reduce(0) { $0 + $1.sales } == summary.sales + (try store.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(cash_rounding), 0) FROM orders WHERE number IS NOT NULL AND status <> 'voided' AND completed_at >= ? AND completed_at < ?", arguments: [from, to]) ?? 0
        }))
        #expect(summary.orders > 100)
        #expect(summary.byDay.count >= 28)
        #expect(summary.byHour.reduce(0, +) == summary.sales)
        #expect(summary.topProducts.count == 5)
        #expect(summary.averageOrder == summary.sales / Int64(summary.orders))
        #expect(summary.returningCustomerPermille > 0)
        #expect(summary.topCustomers.count == 5)
    }
}
