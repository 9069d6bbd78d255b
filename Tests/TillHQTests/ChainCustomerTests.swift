import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

/// Customers and loyalty across stores against the real PostgreSQL: global ids, duplicates merged at HQ,
/// purchases from every store, points earned, taken back, and the balance over every store.
@Suite(.serialized) struct ChainCustomerTests {
    static func sell(_ store: ChainTestStore, customerID: Int64?, units: Int64 = 2, tenders: [ScriptedTender] = [ScriptedTender(method: .cash)],
                     _ ctx: TillContext) throws -> CompletedSale {
        try Checkout(store: store.store).sell(lines: [SaleLineRequest(variantID: try store.item().variantID, quantity: .units(units))],
                                              orderDiscount: nil, customerID: customerID, tenders: tenders, ctx)
    }

    @Test func oneCustomerAtTwoStoresIsMergedAtHQAndSeesEveryPurchaseAndPoint() throws {
        let rig = try ChainRig()
        let a = try rig.join("CA1"), b = try rig.join("CB1")
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard", rate: "19")
        let file = try TestStores.file("products.csv", """
            handle,sku,name,option,barcode,price,cost,category,tax_class,unit,reorder_point,active,case_barcodes
            coffee,COF-002,Coffee,,,10.00,,Coffee,standard,each,0,true,

            """)
        _ = try HQCatalog.importProducts(rig.hq, path: file)
        try HQCustomers.setLoyalty(rig.hq, earnPerUnit: 2, pointValue: 1)
        try a.sync()
        try b.sync()
        #expect(try a.store.read { db in try StoreSettings.load(db).loyaltyEarnPerUnit } == 2)

        // The same person signs up at both stores, B offline: each gets its own global id.
        let owner = TillContext()
        let atA = try ChainCustomers.add(a.store, name: "Mia Berg", email: "mia@example.com", phone: "+49 30 1234567", owner)
        let atB = try ChainCustomers.add(b.store, name: "Mia Berg", email: nil, phone: "030 1234567", owner)
        let idA = try #require(try a.store.read { db in try String.fetchOne(db, sql: "SELECT global_id FROM customer WHERE id = ?", arguments: [atA.id]) })
        let idB = try #require(try b.store.read { db in try String.fetchOne(db, sql: "SELECT global_id FROM customer WHERE id = ?", arguments: [atB.id]) })
        #expect(idA != idB)
        #expect(UUID(uuidString: idA) != nil, "a real UUID: \(idA)")

        let ctxA = try TestStores.openTill(a.store), ctxB = try TestStores.openTill(b.store)
        let saleA = try Self.sell(a, customerID: atA.id, units: 3, ctxA)  // 30.00: 60 points
        #expect(try a.store.read { db in try ChainLoyalty.earned(db, orderID: saleA.order.id ?? 0) } == 60)
        let saleB = try Self.sell(b, customerID: atB.id, units: 1, ctxB)  // 10.00: 20 points
        try a.sync()
        try b.sync()
        #expect(try rig.int("SELECT count(*) FROM hq.customer WHERE name = 'Mia Berg'") == 2)
        #expect(try rig.value("SELECT customer::text FROM hq.sale WHERE store = 'CA1' AND number = $1::bigint", [String(saleA.number)]) == idA)

        // HQ suggests them by phone; a person merges them.
        // (The two demo stores share their customers too: those pairs are suggested as well.)
        let pairs = try HQCustomers.duplicates(rig.hq).filter { $0.keep.name == "Mia Berg" }
        #expect(pairs.count == 1)
        #expect(pairs.first?.why.contains("phone") == true)
        _ = try HQCustomers.merge(rig.hq, keep: String(idA.prefix(8)), other: idB)
        #expect(try HQCustomers.duplicates(rig.hq).filter { $0.keep.name == "Mia Berg" }.isEmpty)
        #expect(throws: HQError.self) { try HQCustomers.merge(rig.hq, keep: idA, other: idB) }

        // At B, online: the purchases of both stores, and the points of both.
        var online = try ChainCreditTests.online(b)
        online.headOffice = HQHeadOffice(url: b.url)
        let purchases = try #require(online.headOffice).purchases(customer: idB, limit: 10)
        #expect(Set(purchases.map { "\($0.store)-\($0.number)" }) == ["CA1-\(saleA.number)", "CB1-\(saleB.number)"])
        #expect(try ChainLoyalty.refresh(b.store, customerID: atB.id ?? 0, online) == 80)

        // Paid with a gift card: no points; a refund of part of A's sale takes back its share.
        try ChainCreditTests.issue(a, code: "GIFT-7001", amount: 5_000)
        try a.sync()
        let byCard = try Self.sell(a, customerID: atA.id, units: 1, tenders: [ScriptedTender(method: .credit, creditCode: "GIFT-7001")],
                                   try ChainCreditTests.online(a))
        #expect(try a.store.read { db in try ChainLoyalty.earned(db, orderID: byCard.order.id ?? 0) } == 0)
        _ = try Refunds(store: a.store).refund(RefundRequest(orderNumber: saleA.number, lines: [RefundLineRequest(line: 1, quantity: .one)],
                                                              reason: "one too many"), try a.ctx("max"))
        #expect(try a.local("SELECT SUM(points) FROM loyalty_entry WHERE reason = 'refund'") == -20)
        try a.sync()
        #expect(try HQCustomers.points(rig.hq, customer: idA) == 60)

        // The receipt of the next sale shows what it earned and the balance HQ gave plus it.
        ChainLoyalty.refreshForSale(a.store, customerID: atA.id, try ChainCreditTests.online(a))
        let next = try Self.sell(a, customerID: atA.id, units: 1, ctxA)
        let detail = try Orders(store: a.store).detail(id: next.order.id ?? 0)
        let receipt = Receipt().text(for: detail, storeName: "A")
        #expect(receipt.contains("Points earned"), "\(receipt)")
        #expect(receipt.contains("+20"))
        #expect(receipt.contains("Points balance") && receipt.contains("80"), "\(receipt)")
    }

    @Test func theRebuiltOutboxStaysAppendOnlyAndGapFree() throws {
        let rig = try ChainRig()
        let a = try rig.join("CA2")
        let before = try a.local("SELECT MAX(seq) FROM chain_outbox")
        _ = try ChainCustomers.add(a.store, name: "New Person", email: nil, phone: nil, TillContext())
        #expect(try a.local("SELECT MAX(seq) FROM chain_outbox") == before + 2)  // the customer and its audit entry
        #expect(try a.local("SELECT COUNT(*) FROM chain_outbox WHERE kind = 'customer' AND payload LIKE '%New Person%'") == 1)
        #expect(throws: (any Error).self) { try a.store.write { db in try db.execute(sql: "DELETE FROM chain_outbox") } }
        #expect(throws: (any Error).self) {
            try a.store.write { db in try db.execute(sql: "UPDATE chain_outbox SET payload = 'x' WHERE seq = 1") }
        }
        let report = try a.sync()
        #expect(report.acknowledged == before + 2)
        #expect(try rig.int("SELECT count(*) FROM hq.customer WHERE name = 'New Person'") == 1)
    }
}
