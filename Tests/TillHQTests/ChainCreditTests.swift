import Foundation
import GRDB
import Synchronization
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

/// Gift cards and store credit held at HQ: sold at one store, spent at any, holds captured or released, the
/// offline rule, and the four-store race. Every test runs against the private PostgreSQL the tests start.
@Suite(.serialized) struct ChainCreditTests {
    /// The line to HQ a till at `store` has: its own role, as the app and the CLI wire it.
    static func online(_ store: ChainTestStore, _ username: String = "ana") throws -> TillContext {
        var ctx = try store.ctx(username)
        ctx.headOffice = HQHeadOffice(url: store.url)
        return ctx
    }

    /// A till whose HQ is down: nothing listens on port 1.
    static func offline(_ store: ChainTestStore, _ username: String = "ana") throws -> TillContext {
        var ctx = try store.ctx(username)
        ctx.headOffice = HQHeadOffice(url: try PostgresURL("postgresql://nobody:secret@127.0.0.1:1/none"),
                                      connectTimeout: .seconds(2))
        return ctx
    }

    static func payByCard(_ store: ChainTestStore, _ ctx: TillContext, code: String, amount: Int64? = nil,
                          units: Int64 = 1, sku: String = "COF-002") throws -> CompletedSale {
        try Checkout(store: store.store).sell(
            lines: [SaleLineRequest(variantID: try store.item(sku).variantID, quantity: .units(units))], orderDiscount: nil,
            customerID: nil, tenders: [ScriptedTender(method: .credit, amount: amount, creditCode: code)], ctx)
    }

    static func issue(_ store: ChainTestStore, code: String, amount: Int64) throws {
        _ = try StoreCredit(store: store.store).issue(amount: amount, code: code, note: "gift card sold", try store.ctx("max"))
    }

    func balance(_ rig: ChainRig, _ code: String) throws -> Int64 {
        try rig.int("SELECT hq.credit_balance($1)", [code])
    }

    func holds(_ rig: ChainRig, _ status: String) throws -> Int64 {
        try rig.int("SELECT count(*) FROM hq.credit_hold WHERE status = $1", [status])
    }

    @Test func aCardSoldAtOneStoreIsSpentAtAnotherAndHQHoldsTheBalance() throws {
        let rig = try ChainRig()
        let a = try rig.join("A1"), b = try rig.join("B1")
        try Self.issue(a, code: "gift-1001", amount: 10_000)
        try a.sync()
        #expect(try balance(rig, "GIFT-1001") == 10_000)

        let price = try b.item().price
        let sale = try Self.payByCard(b, try Self.online(b), code: "GIFT-1001")
        #expect(sale.payments.map(\.method) == [.credit])
        #expect(try holds(rig, "held") == 1)  // reserved at HQ until the redemption's event arrives
        let lookup = try HQHeadOffice(url: a.url).creditLookup(code: "gift-1001")
        #expect(lookup?.available == 10_000 - price)
        try b.sync()
        #expect(try holds(rig, "held") == 0)
        #expect(try holds(rig, "captured") == 1)
        #expect(try balance(rig, "GIFT-1001") == 10_000 - price)

        // More than the card has: refused with what it has, and nothing is held or spent.
        let tooMuch = #expect(throws: TillError.self) {
            try Self.payByCard(a, try Self.online(a), code: "GIFT-1001", amount: 10_000, units: 100)
        }
        #expect("\(tooMuch!)".contains("available"))
        #expect(try holds(rig, "held") == 0)

        // A part payment the sale never completes (the rest was not paid): the hold is released, the money back.
        #expect(throws: TillError.self) { try Self.payByCard(a, try Self.online(a), code: "GIFT-1001", units: 100) }
        try a.sync()
        #expect(try holds(rig, "held") == 0)
        #expect(try holds(rig, "released") == 1)
        #expect(try balance(rig, "GIFT-1001") == 10_000 - price)
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind IN ('overdraft', 'unknown_hold')") == 0)

        // An unknown code is named as unknown at HQ.
        let unknown = #expect(throws: TillError.self) { try Self.payByCard(b, try Self.online(b), code: "NO-SUCH-CARD") }
        #expect("\(unknown!)".contains("NO-SUCH-CARD"))

        // Refunding the sale onto the card adds to it at HQ.
        try b.sync()
        let refund = try Refunds(store: b.store).refund(RefundRequest(orderNumber: sale.number, reason: "changed mind"),
                                                          try b.ctx("max"))
        #expect(refund.refund.status == .completed)
        try b.sync()
        #expect(try balance(rig, "GIFT-1001") == 10_000)
    }

    @Test func offlineACardIsRefusedUnlessTheStoreAllowsAnAmountAndAnOverdraftIsAnHQException() throws {
        let rig = try ChainRig()
        let a = try rig.join("A2"), b = try rig.join("B2")
        try Self.issue(a, code: "GIFT-2001", amount: 5_000)
        try a.sync()
        let price = try b.item().price
        #expect(price <= 5_000)

        let refused = #expect(throws: TillError.self) { try Self.payByCard(b, try Self.offline(b), code: "GIFT-2001") }
        #expect("\(refused!)".contains("head office cannot be reached"))
        #expect("\(refused!)".contains("offline_credit_per_card"))
        #expect(try b.local("SELECT count(*) FROM credit_entry") == 0)

        let settings = StoreSettingsEditor(store: b.store)
        try settings.set("offline_credit_per_card", to: Money(minorUnits: price, currency: .EUR).decimalString, try b.ctx("ada"))
        try settings.set("offline_credit_per_store", to: Money(minorUnits: price, currency: .EUR).decimalString, try b.ctx("ada"))
        _ = try Self.payByCard(b, try Self.offline(b), code: "GIFT-2001")
        let usedUp = #expect(throws: TillError.self) { try Self.payByCard(b, try Self.offline(b), code: "GIFT-2001") }
        #expect("\(usedUp!)".contains("allowance"))

        // Meanwhile store A, online, spends the card down to what HQ knows it has.
        var left = 5_000 as Int64
        while left >= price {
            _ = try Self.payByCard(a, try Self.online(a), code: "GIFT-2001")
            left -= price
        }
        try a.sync()
        // B comes back: its offline redemption lands, and the card is below zero — an exception with the balance.
        try b.sync()
        let balance = try balance(rig, "GIFT-2001")
        #expect(balance == left - price)
        #expect(balance < 0)
        let flagged = try HQReports.exceptions(rig.hq).filter { $0.kind == "overdraft" }
        #expect(flagged.count == 1)
        #expect(flagged.first?.detail.contains("GIFT-2001") == true)
        #expect(flagged.first?.detail.contains("\(balance)") == true)
        #expect(flagged.first?.detail.contains("offline") == true)
        // Once HQ has it, the store's offline allowance is free again.
        #expect(try b.store.read { db in try ChainCredit.offlineUnsent(db, code: nil) } == 0)
    }

    @Test func aHoldATillNeverUsedIsReleasedByTheAgentAndAStoreCannotTouchAnothersHolds() throws {
        let rig = try ChainRig()
        let a = try rig.join("A3"), b = try rig.join("B3")
        try Self.issue(a, code: "GIFT-3001", amount: 5_000)
        try a.sync()
        // A till asked for a hold and was killed before it saved the payment.
        let hold = UUIDv7.make()
        try b.store.write { db in
            try db.execute(sql: "INSERT INTO credit_hold(hold_id, code, amount, state, created_at) VALUES (?, 'GIFT-3001', 2000, 'asked', ?)",
                           arguments: [hold, Date().addingTimeInterval(-600)])
        }
        #expect(try HQHeadOffice(url: b.url).holdCredit(holdID: hold, code: "GIFT-3001", amount: 2_000) == .granted(availableAfter: 3_000))
        // Asking again with the same id is the same hold, not a second one.
        #expect(try HQHeadOffice(url: b.url).holdCredit(holdID: hold, code: "GIFT-3001", amount: 2_000) == .granted(availableAfter: 3_000))
        #expect(try HQHeadOffice(url: a.url).creditLookup(code: "GIFT-3001")?.available == 3_000)

        // Store A's role cannot release B's hold, reuse its id, or read HQ's tables.
        try HQHeadOffice(url: a.url).releaseCredit(holdID: hold)
        #expect(try holds(rig, "held") == 1)
        #expect(throws: TillError.self) { try HQHeadOffice(url: a.url).holdCredit(holdID: hold, code: "GIFT-3001", amount: 2_000) }
        let asA = try HQConnection.connect(a.url)
        defer { asA.close() }
        #expect { try asA.query("SELECT * FROM hq.credit_hold") } throws: { ($0 as? HQError)?.isPermissionDenied == true }
        #expect { try asA.query("SELECT hq.credit_balance('GIFT-3001')") } throws: { ($0 as? HQError)?.isPermissionDenied == true }

        let report = try b.sync()
        #expect(report.holdsReleased == 1)
        #expect(try holds(rig, "held") == 0)
        #expect(try holds(rig, "released") == 1)
        #expect(try b.local("SELECT count(*) FROM credit_hold WHERE state = 'released'") == 1)
        #expect(try HQHeadOffice(url: a.url).creditLookup(code: "GIFT-3001")?.available == 5_000)
    }

    @Test func otherStoresStockComesFromHQWithItsTime() throws {
        let rig = try ChainRig()
        let a = try rig.join("A4"), b = try rig.join("B4")
        try a.sell(try TestStores.openTill(a.store), units: 2)
        try a.sync()
        try b.sync()
        let levels = try ChainStock.elsewhere(sku: "cof-002", store: b.store, try Self.online(b))
        let onHandAtA = try a.store.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT SUM(m.delta_milli) FROM stock_movement m JOIN variant v ON v.id = m.variant_id WHERE v.sku = 'COF-002'
                """) ?? 0
        }
        #expect(levels.map(\.store) == ["A4"])
        #expect(levels.first?.onHand == Quantity(milli: onHandAtA))
        #expect(levels.first?.storeName == "Store A4")
        #expect(levels.first?.asOf != nil)
        #expect(throws: HeadOfficeUnreachable.self) { try ChainStock.elsewhere(sku: "COF-002", store: b.store, try Self.offline(b)) }
        #expect(throws: TillError.self) { try ChainStock.elsewhere(sku: "NOPE-1", store: b.store, try Self.online(b)) }
    }

    /// One card worth 100 redeemed for 40 from four stores at the same moment, over and over: four real `till`
    /// processes, each spending the same run of cards. Whatever the interleaving, exactly two of the four get
    /// each card's 40, HQ never lets more than the balance go, and every hold ends captured or released.
    @Test func fourStoresSpendingOneCardAtOnceNeverTakeMoreThanItHolds() throws {
        let cards = 1_000
        let rig = try ChainRig()
        let stores = try ["R1", "R2", "R3", "R4"].map { try rig.join($0) }
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard rate", rate: "19")
        try HQCatalog.setTaxClass(rig.hq, code: "reduced", name: "Reduced rate", rate: "7")
        try HQCatalog.setTaxClass(rig.hq, code: "zero", name: "Zero rate", rate: "0")
        try HQCatalog.importProducts(rig.hq, path: TestStores.repositoryRoot.appendingPathComponent("sample-data/csv/products.csv").path)
        _ = try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: "40.00")
        for store in stores { try store.sync() }
        #expect(try stores[0].item().price == 4_000)
        let issuer = try stores[0].ctx("max")
        for number in 1...cards {
            _ = try StoreCredit(store: stores[0].store).issue(amount: 10_000, code: String(format: "RACE-%04d", number),
                                                              note: "race", issuer)
        }
        try stores[0].sync()
        #expect(try rig.int("SELECT count(*) FROM hq.credit_account WHERE code LIKE 'RACE-%'") == Int64(cards))

        let start = Date().timeIntervalSince1970 + 2
        let outputs = Mutex<[Int: TillProcess.Output]>([:])
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            let output = try? TillProcess.run(["credit-race", "--db", stores[index].store.path, "--cards", "RACE-",
                                               "--count", String(cards), "--amount", "40.00", "--item", "COF-002",
                                               "--start-at", String(start)],
                                              environment: TillProcess.demoCashier)
            outputs.withLock { $0[index] = output }
        }
        var granted = 0, refused = 0, seconds = 0.0
        var latencies: [Int] = []
        for index in stores.indices {
            let output = try #require(outputs.withLock { $0[index] })
            #expect(output.status == 0, "\(output.stderr)")
            let report = try JSONDecoder().decode(RaceReportJSON.self, from: Data(output.stdout.utf8))
            #expect(report.failed == 0, "\(report.failures)")
            granted += report.granted
            refused += report.refused
            seconds = max(seconds, report.seconds)
            latencies += report.latenciesMicros
        }
        #expect(granted == 2 * cards)
        #expect(refused == 2 * cards)
        // Before any redemption reached HQ through the outbox, the holds alone already stop the third store.
        #expect(try rig.int("SELECT count(*) FROM hq.credit_hold WHERE status = 'held'") == Int64(2 * cards))
        #expect(try rig.int("""
            SELECT count(*) FROM (SELECT account FROM hq.credit_hold GROUP BY account HAVING sum(amount) > 10000) AS over
            """) == 0)
        for store in stores { try store.sync() }
        #expect(try rig.int("SELECT count(*) FROM hq.credit_hold WHERE status = 'held'") == 0)
        #expect(try rig.int("SELECT count(*) FROM hq.credit_hold WHERE status = 'captured'") == Int64(2 * cards))
        #expect(try rig.int("SELECT count(*) FROM hq.credit_account WHERE code LIKE 'RACE-%' AND hq.credit_balance(code) <> 2000") == 0)
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind IN ('overdraft', 'unknown_hold')") == 0)
        latencies.sort()
        let attempts = latencies.count
        print("gift-card race: \(cards) cards × 4 stores, \(attempts) redemptions in \(String(format: "%.1f", seconds)) s "
              + "(\(String(format: "%.0f", Double(attempts) / seconds)) holds asked/s, \(granted) granted), "
              + "sale with hold p50 \(latencies[attempts / 2] / 1000) ms, p99 \(latencies[attempts * 99 / 100] / 1000) ms; overdrafts: 0")
    }
}

private struct RaceReportJSON: Decodable {
    var granted: Int
    var refused: Int
    var failed: Int
    var failures: [String]
    var seconds: Double
    var latenciesMicros: [Int]
}
