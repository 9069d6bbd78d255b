import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import Synchronization
import TillTestSupport

/// Returns anywhere against the real PostgreSQL and three store files: the refunding store posts the refund
/// (its drawer, its stock), the selling store is not touched, and the chain never takes back more than it sold —
/// not from two stores at once, and not from the selling store afterwards; offline the selling store's double
/// refund is an HQ exception.
@Suite(.serialized) struct ChainReturnTests {
    static func online(_ store: ChainTestStore, _ username: String = "sam") throws -> TillContext {
        var ctx = try store.ctx(username)
        ctx.headOffice = HQHeadOffice(url: store.url)
        return ctx
    }

    static func onHand(_ s: ChainTestStore, _ sku: String = "COF-002") throws -> Int64 {
        try s.store.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(m.delta_milli), 0) FROM stock_movement m JOIN variant v ON v.id = m.variant_id WHERE v.sku = ?",
                               arguments: [sku]) ?? 0
        }
    }

    @Test func theRefundingStorePostsItAndTheChainNeverTakesBackMoreThanItSold() throws {
        let rig = try ChainRig()
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard rate", rate: "19")
        try HQCatalog.setTaxClass(rig.hq, code: "reduced", name: "Reduced rate", rate: "7")
        try HQCatalog.setTaxClass(rig.hq, code: "zero", name: "Zero rate", rate: "0")
        _ = try HQCatalog.importProducts(rig.hq, path: TestStores.repositoryRoot.appendingPathComponent("sample-data/csv/products.csv").path)
        let a = try rig.join("RTA"), b = try rig.join("RTB"), c = try rig.join("RTC")
        for s in [a, b, c] {
            try s.sync()
            _ = try Shifts(store: s.store).open(float: 5000, try s.ctx())
        }
        // Sold at A: three at 10% off.
        let sale = try Checkout(store: a.store).sell(
            lines: [SaleLineRequest(variantID: try a.item("COF-002").variantID, quantity: .units(3), discount: .percent(basisPoints: 1000))],
            orderDiscount: nil, customerID: nil, tenders: [ScriptedTender(method: .cash)], try a.ctx())
        try a.sync()
        let chainNumber = "RTA-\(sale.number)"
        let paidEach = sale.order.total / 3

        // Until HQ allows it, each store sends the customer to the one that sold.
        #expect(throws: TillError.self) { try ChainReturns.lookup(chainNumber: chainNumber, store: b.store, try Self.online(b)) }
        try HQStores.setReturnsAnywhere(rig.hq, true)
        for s in [a, b, c] { try s.sync() }
        #expect(try HQStores.returnsAnywhere(rig.hq))

        // B sees what is left, and takes one back as cash: its refund, its drawer, its stock; A untouched.
        let seen = try ChainReturns.lookup(chainNumber: chainNumber, store: b.store, try Self.online(b))
        #expect(seen.lines.map(\.sku) == ["COF-002"])
        #expect(seen.lines.first?.left == .units(3))
        #expect(seen.lines.first.map { abs($0.unitAmount - paidEach) <= 1 } == true)
        let aStockBefore = try Self.onHand(a), bStockBefore = try Self.onHand(b)
        let refund = try ChainReturns.take(chainNumber: chainNumber, items: [TransferItem(sku: "COF-002", quantity: .units(1))],
                                           destination: .cash, store: b.store, try Self.online(b))
        #expect(abs(refund.refund.amount - paidEach) <= 1)
        #expect(refund.refund.orderID == nil)
        #expect(refund.refund.reason.contains("sold at RTA as \(chainNumber)"))
        #expect(try Self.onHand(b) == bStockBefore + 1000)
        #expect(try Self.onHand(a) == aStockBefore)
        #expect(try a.local("SELECT count(*) FROM refund WHERE order_id = (SELECT id FROM orders WHERE number = \(sale.number))") == 0)
        #expect(refund.tenders.map(\.method) == [.cash])

        // A card refund is the selling store's; a sale of this store is refunded from its order; nonsense is named.
        #expect(throws: TillError.self) {
            try ChainReturns.take(chainNumber: chainNumber, items: [TransferItem(sku: "COF-002", quantity: .units(1))],
                                  destination: .original, store: b.store, try Self.online(b))
        }
        #expect(throws: TillError.self) { try ChainReturns.lookup(chainNumber: chainNumber, store: a.store, try Self.online(a)) }
        #expect(throws: TillError.self) { try ChainReturns.lookup(chainNumber: "RTA-99999", store: b.store, try Self.online(b)) }
        #expect(throws: TillError.self) { try ChainReturns.lookup(chainNumber: "receipt 12", store: b.store, try Self.online(b)) }

        // Two left; B and C each try to take both at the same moment: exactly one gets them.
        let outcomes = Mutex<[String: String]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let s = index == 0 ? b : c
            do {
                _ = try ChainReturns.take(chainNumber: chainNumber, items: [TransferItem(sku: "COF-002", quantity: .units(2))],
                                          destination: .storeCredit, store: s.store, try Self.online(s))
                outcomes.withLock { $0[s.code] = "granted" }
            } catch {
                outcomes.withLock { $0[s.code] = "\(error)" }
            }
        }
        let answers = outcomes.withLock { $0 }
        #expect(answers.values.filter { $0 == "granted" }.count == 1, "\(answers)")
        #expect(answers.values.contains { $0.contains("left to return") }, "\(answers)")
        #expect(try rig.int("SELECT COALESCE(sum(l.quantity_milli), 0) FROM hq.return_claim c JOIN hq.return_claim_line l USING (claim_id) WHERE c.status <> 'released'") == 3000)

        // The refund events capture their claims at HQ.
        for s in [b, c] { try s.sync() }
        #expect(try rig.int("SELECT count(*) FROM hq.return_claim WHERE status = 'captured'") == 2)
        #expect(try rig.int("SELECT count(*) FROM hq.return_claim WHERE status = 'held'") == 0)

        // The selling store, online, cannot refund what others took back…
        #expect(throws: TillError.self) {
            try Refunds(store: a.store).refund(RefundRequest(orderNumber: sale.number, restockLocation: Location.floorCode,
                                                             destination: .original, reason: "changed mind"), try Self.online(a))
        }
        // …offline it can (nobody can tell it otherwise), and HQ flags the double return when it hears.
        _ = try Refunds(store: a.store).refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 1, quantity: .units(1))],
                                                             restockLocation: Location.floorCode, destination: .original,
                                                             reason: "changed mind"), try a.ctx("sam"))
        try a.sync()
        let flagged = try HQReports.exceptions(rig.hq).filter { $0.kind == "return_exceeds_sale" }
        let all = try HQReports.exceptions(rig.hq)
        #expect(flagged.count == 1, "\(all)")
        #expect(flagged.first?.detail.contains("4") == true)
    }

    @Test func aClaimWhoseRefundWasNeverWrittenIsReleased() throws {
        let rig = try ChainRig()
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard rate", rate: "19")
        try HQCatalog.setTaxClass(rig.hq, code: "reduced", name: "Reduced rate", rate: "7")
        try HQCatalog.setTaxClass(rig.hq, code: "zero", name: "Zero rate", rate: "0")
        _ = try HQCatalog.importProducts(rig.hq, path: TestStores.repositoryRoot.appendingPathComponent("sample-data/csv/products.csv").path)
        try HQStores.setReturnsAnywhere(rig.hq, true)
        let a = try rig.join("RLA"), b = try rig.join("RLB")
        try a.sync()
        try b.sync()
        _ = try Shifts(store: a.store).open(float: 0, try a.ctx())
        let sale = try a.sell(try a.ctx(), units: 1)
        try a.sync()
        // The till stopped between HQ's answer and the refund: the claim is asked here, held there.
        let claim = UUID().uuidString.lowercased()
        try b.store.write { db in
            try db.execute(sql: "INSERT INTO chain_return(claim_id, origin, created_at) VALUES (?, ?, ?)",
                           arguments: [claim, "RLA-\(sale.number)", Date().addingTimeInterval(-300)])
        }
        let answer = try HQHeadOffice(url: b.url).claimReturn(claimID: claim, chainNumber: "RLA-\(sale.number)",
                                                              items: [TransferItem(sku: "COF-002", quantity: .units(1))])
        guard case .granted = answer else { Issue.record("\(answer)"); return }
        #expect(try rig.int("SELECT count(*) FROM hq.return_claim WHERE status = 'held'") == 1)
        // Nothing left to return while it is held…
        #expect(throws: TillError.self) {
            try ChainReturns.take(chainNumber: "RLA-\(sale.number)", items: [TransferItem(sku: "COF-002", quantity: .units(1))],
                                  destination: .storeCredit, store: b.store, try Self.online(b))
        }
        // …until the sync agent gives it back.
        let report = try b.sync()
        #expect(report.holdsReleased == 1)
        #expect(try rig.int("SELECT count(*) FROM hq.return_claim WHERE status = 'released'") >= 1)
        #expect(try rig.int("SELECT count(*) FROM hq.return_claim WHERE status = 'held'") == 0)
        _ = try ChainReturns.take(chainNumber: "RLA-\(sale.number)", items: [TransferItem(sku: "COF-002", quantity: .units(1))],
                                  destination: .storeCredit, store: b.store, try Self.online(b))
    }
}
