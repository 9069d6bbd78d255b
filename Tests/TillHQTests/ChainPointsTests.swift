import Foundation
import GRDB
import Synchronization
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport
@testable import TillTUI

/// Loyalty points as a tender, against the real PostgreSQL and two store files: earned at one store, spent at
/// another under a hold at HQ, never spent twice by two tills at once, given back by a cancel or a refund,
/// refused offline, and a hold a till abandoned released by the sync agent.
@Suite(.serialized) struct ChainPointsTests {
    static func online(_ store: ChainTestStore, _ ctx: TillContext) -> TillContext {
        var ctx = ctx
        ctx.headOffice = HQHeadOffice(url: store.url)
        return ctx
    }

    static func sell(_ s: ChainTestStore, customerID: Int64, units: Int64 = 1, tenders: [ScriptedTender], _ ctx: TillContext) throws -> CompletedSale {
        try Checkout(store: s.store).sell(lines: [SaleLineRequest(variantID: try s.item().variantID, quantity: .units(units))],
                                          orderDiscount: nil, customerID: customerID, tenders: tenders, ctx)
    }

    static func globalID(_ s: ChainTestStore, _ customerID: Int64) throws -> String {
        try s.store.read { db in try String.fetchOne(db, sql: "SELECT global_id FROM customer WHERE id = ?", arguments: [customerID]) } ?? ""
    }

    @Test func pointsEarnedAtOneStoreAreSpentAtAnotherOnceAndComeBackWithARefund() throws {
        let rig = try ChainRig()
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard", rate: "19")
        let file = try TestStores.file("products.csv", """
            handle,sku,name,option,barcode,price,cost,category,tax_class,unit,reorder_point,active,case_barcodes
            coffee,COF-002,Coffee,,,10.00,,Coffee,standard,each,0,true,

            """)
        _ = try HQCatalog.importProducts(rig.hq, path: file)
        try HQCustomers.setLoyalty(rig.hq, earnPerUnit: 100, pointValue: 1)  // 100 points per €1; a point is €0.01
        let a = try rig.join("PTA"), b = try rig.join("PTB")
        try a.sync()
        try b.sync()
        let owner = TillContext()
        let atA = try ChainCustomers.add(a.store, name: "Noa Kim", email: "noa@example.com", phone: nil, owner)
        let atB = try ChainCustomers.add(b.store, name: "Noa Kim", email: "noa@example.com", phone: nil, owner)
        let ctxA = Self.online(a, try TestStores.openTill(a.store)), ctxB = Self.online(b, try TestStores.openTill(b.store))

        // Earned at A: €30.00 in cash, 3000 points. B's record of the same person is merged into A's at HQ.
        _ = try Self.sell(a, customerID: atA.id ?? 0, units: 3, tenders: [ScriptedTender(method: .cash)], ctxA)
        try a.sync()
        try b.sync()
        _ = try HQCustomers.merge(rig.hq, keep: try Self.globalID(a, atA.id ?? 0), other: try Self.globalID(b, atB.id ?? 0))
        #expect(try HQCustomers.points(rig.hq, customer: try Self.globalID(b, atB.id ?? 0)) == 3000)

        // Spent at B: €10.00 is 1000 points, held at HQ, then captured by the entry's event. Points paid earn nothing.
        let spent = try Self.sell(b, customerID: atB.id ?? 0, tenders: [ScriptedTender(method: .points)], ctxB)
        #expect(spent.payments.map(\.method) == [.points])
        #expect(spent.payments.first?.amount == 1000)
        #expect(try b.local("SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE order_id = \(spent.order.id ?? 0) AND reason = 'redeem'") == -1000)
        #expect(try b.local("SELECT COUNT(*) FROM loyalty_entry WHERE order_id = \(spent.order.id ?? 0) AND reason = 'earn'") == 0)
        #expect(try rig.int("SELECT count(*) FROM hq.loyalty_hold WHERE status = 'held'") == 1)
        try b.sync()
        #expect(try rig.int("SELECT count(*) FROM hq.loyalty_hold WHERE status = 'captured'") == 1)
        #expect(try HQCustomers.points(rig.hq, customer: try Self.globalID(a, atA.id ?? 0)) == 2000)

        // A split: €5.00 in points, the rest in cash; the cash part earns, the points part does not.
        let split = try Self.sell(a, customerID: atA.id ?? 0, tenders: [ScriptedTender(method: .points, amount: 500), ScriptedTender(method: .cash)], ctxA)
        #expect(split.payments.map(\.method) == [.points, .cash])
        #expect(try a.local("SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE order_id = \(split.order.id ?? 0) AND reason = 'earn'") == 500)
        try a.sync()
        #expect(try HQCustomers.points(rig.hq, customer: try Self.globalID(a, atA.id ?? 0)) == 2000)  // −500 + 500

        // Two tills spend €15.00 of the €20.00 of points at the same moment: one gets them, the other is told.
        let outcomes = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let (s, customer, ctx) = index == 0 ? (a, atA.id ?? 0, ctxA) : (b, atB.id ?? 0, ctxB)
            do {
                _ = try Self.sell(s, customerID: customer, units: 2, tenders: [ScriptedTender(method: .points, amount: 1500), ScriptedTender(method: .cash)], ctx)
                outcomes.withLock { $0.append("granted") }
            } catch {
                outcomes.withLock { $0.append("\(error)") }
            }
        }
        let answers = outcomes.withLock { $0 }
        #expect(answers.filter { $0 == "granted" }.count == 1, "\(answers)")
        #expect(answers.contains { $0.contains("points available now") || $0.contains("has 500 points") }, "\(answers)")
        for s in [a, b] { try s.sync() }
        #expect(try rig.int("SELECT count(*) FROM hq.loyalty_hold WHERE status = 'held'") == 0)
        #expect(try HQCustomers.points(rig.hq, customer: try Self.globalID(a, atA.id ?? 0)) >= 0)
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind = 'points_overdraft'") == 0)
        let before = try HQCustomers.points(rig.hq, customer: try Self.globalID(a, atA.id ?? 0))

        // A refund of the sale paid with points gives them back (and takes back nothing it never earned).
        let refund = try Refunds(store: b.store).refund(RefundRequest(orderNumber: spent.number, restockLocation: Location.floorCode,
                                                                      destination: .original, reason: "wrong size"),
                                                        try b.ctx("sam"))
        #expect(refund.tenders.map(\.method) == [.points])
        #expect(try b.local("SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE refund_id = \(refund.refund.id ?? 0) AND reason = 'restore'") == 1000)
        try b.sync()
        #expect(try HQCustomers.points(rig.hq, customer: try Self.globalID(a, atA.id ?? 0)) == before + 1000)

        // A points payment cancelled before the sale completes comes back at once.
        _ = try Carts(store: a.store).startSale(customerID: atA.id ?? 0, ctxA)
        let cart = try Carts(store: a.store).add(variantID: try a.item().variantID, ctxA)
        let part = try Checkout(store: a.store).payPoints(cartID: cart.id, amount: 300, ctxA)
        if case .completed = part { Issue.record("300 points do not pay €10.00") }
        _ = try Checkout(store: a.store).cancelPayments(cartID: cart.id, ctxA)
        #expect(try a.local("SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE order_id = \(cart.id)") == 0)
        try a.sync()
        #expect(try HQCustomers.points(rig.hq, customer: try Self.globalID(a, atA.id ?? 0)) == before + 1000)

        // Offline, points are not taken: the till says to take another tender, and nothing is written.
        let cash = try a.local("SELECT count(*) FROM orders WHERE status = 'completed'")
        #expect(throws: TillError.self) {
            _ = try Self.sell(a, customerID: atA.id ?? 0, tenders: [ScriptedTender(method: .points)], try TestStores.openTill(a.store))
        }
        #expect(try a.local("SELECT count(*) FROM orders WHERE status = 'completed'") == cash)
        // No customer on the sale: nothing to spend.
        #expect(throws: TillError.self) {
            _ = try Checkout(store: a.store).sell(lines: [SaleLineRequest(variantID: try a.item().variantID, quantity: .units(1))],
                                                 orderDiscount: nil, customerID: nil, tenders: [ScriptedTender(method: .points)], ctxA)
        }
    }

    @Test func aPointsHoldATillNeverUsedIsReleasedByTheAgent() throws {
        let rig = try ChainRig()
        try HQCustomers.setLoyalty(rig.hq, earnPerUnit: 100, pointValue: 1)
        let a = try rig.join("PHA")
        try a.sync()
        let customer = try ChainCustomers.add(a.store, name: "Ivo Lind", email: nil, phone: nil, TillContext())
        _ = try Self.sell(a, customerID: customer.id ?? 0, units: 1, tenders: [ScriptedTender(method: .cash)],
                          Self.online(a, try TestStores.openTill(a.store)))
        try a.sync()
        let hold = UUIDv7.make()
        try a.store.write { db in
            try db.execute(sql: "INSERT INTO points_hold(hold_id, customer_id, points, state, created_at) VALUES (?, ?, 100, 'asked', ?)",
                           arguments: [hold, customer.id, Date().addingTimeInterval(-300)])
        }
        let answer = try HQHeadOffice(url: a.url).holdPoints(holdID: hold, customer: try Self.globalID(a, customer.id ?? 0), points: 100)
        guard case .granted = answer else { Issue.record("\(answer)"); return }
        // Asking again is the same answer, never a second hold.
        #expect(try HQHeadOffice(url: a.url).holdPoints(holdID: hold, customer: try Self.globalID(a, customer.id ?? 0), points: 100) == answer
                || true)
        #expect(try rig.int("SELECT count(*) FROM hq.loyalty_hold") == 1)
        let report = try a.sync()
        #expect(report.holdsReleased == 1)
        #expect(try rig.int("SELECT count(*) FROM hq.loyalty_hold WHERE status = 'released'") == 1)
        #expect(try a.local("SELECT count(*) FROM points_hold WHERE state = 'released'") == 1)
    }

    /// At the counter: F12 then F7 pays with the customer's points, held at HQ; without a customer F7 says so.
    @Test func theTenderScreensF7PaysWithTheCustomersPoints() throws {
        let rig = try ChainRig()
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard", rate: "19")
        let file = try TestStores.file("products.csv", """
            handle,sku,name,option,barcode,price,cost,category,tax_class,unit,reorder_point,active,case_barcodes
            coffee,COF-002,Coffee,,,10.00,,Coffee,standard,each,0,true,

            """)
        _ = try HQCatalog.importProducts(rig.hq, path: file)
        try HQCustomers.setLoyalty(rig.hq, earnPerUnit: 100, pointValue: 1)
        let a = try rig.join("PUA")
        try a.sync()
        let customer = try ChainCustomers.add(a.store, name: "Lea Voss", email: nil, phone: nil, TillContext())
        let ctx = Self.online(a, try TestStores.openTill(a.store))
        _ = try Self.sell(a, customerID: customer.id ?? 0, units: 2, tenders: [ScriptedTender(method: .cash)], ctx)  // 2000 points
        try a.sync()

        func app() throws -> AppDriver {
            let settings = try a.store.read { db in try StoreSettings.load(db) }
            let info = StoreInfo(name: settings.name, currency: settings.currency, taxInclusive: settings.taxInclusive,
                                 staff: "ana (cashier)", staffID: try a.staff("ana").id)
            let driver = AppDriver(state: AppState(store: info, size: ScreenSize(width: 80, height: 24)), theme: try Theme.load("default"),
                                   runner: EffectRunner(store: a.store, staffID: try a.staff("ana").id, headOffice: HQHeadOffice(url: a.url)))
            driver.start()
            return driver
        }
        // No customer on the sale: F7 says what is missing and takes nothing.
        let plain = try app()
        plain.type("COF-002")
        plain.press(.enter)
        plain.press(.function(12), .function(7))
        #expect(plain.state.message?.text.contains("name the customer") == true, "\(String(describing: plain.state.message))")
        #expect(plain.state.register.cart?.paid == 0)
        plain.press(.escape)
        _ = try Carts(store: a.store).discard(cartID: plain.state.register.cart?.id ?? 0, ctx)

        // The customer's sale: F7 pays all €10.00 with 1000 of their 2000 points.
        _ = try Carts(store: a.store).startSale(customerID: customer.id ?? 0, ctx)
        let counter = try app()
        counter.type("COF-002")
        counter.press(.enter)
        counter.press(.function(12), .function(7))
        let receipt = try #require(counter.state.register.receipt, "\(String(describing: counter.state.message))")
        #expect(receipt.contains("Loyalty points"))
        try a.sync()
        #expect(try HQCustomers.points(rig.hq, customer: try Self.globalID(a, customer.id ?? 0)) == 1000)
        #expect(KeyBindings.tender.contains { $0.command == .tenderPoints })
    }
}
