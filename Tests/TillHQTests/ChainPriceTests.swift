import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

/// Prices pushed with an effective time, against the real PostgreSQL and two store files in different time
/// zones: each store changes its shelf at the moment on its own clock — offline too — lists the labels to
/// change, and HQ takes sales at either price without a false price difference.
@Suite(.serialized) struct ChainPriceTests {
    static func shelfPrice(_ s: ChainTestStore, _ sku: String = "COF-002") throws -> Int64 {
        try s.store.read { db in try Int64.fetchOne(db, sql: "SELECT price FROM variant WHERE sku = ?", arguments: [sku]) ?? -1 }
    }

    @Test func aScheduledPriceChangesEachShelfAtItsOwnMomentAndHQTakesBothPrices() throws {
        let rig = try ChainRig()
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard rate", rate: "19")
        try HQCatalog.setTaxClass(rig.hq, code: "reduced", name: "Reduced rate", rate: "7")
        try HQCatalog.setTaxClass(rig.hq, code: "zero", name: "Zero rate", rate: "0")
        _ = try HQCatalog.importProducts(rig.hq, path: TestStores.repositoryRoot.appendingPathComponent("sample-data/csv/products.csv").path)
        let a = try rig.join("PA1"), b = try rig.join("PB1")
        try b.store.write { db in
            var settings = try StoreSettings.load(db)
            settings.timeZoneIdentifier = "America/New_York"  // 06:00 there is 11:00 UTC in December
            try settings.save(db)
        }
        try a.sync()
        try b.sync()
        let old = try Self.shelfPrice(a)
        #expect(old > 0 && old != 999)

        // A bad moment is refused, naming the form it wants; nothing is published.
        let before = try rig.int("SELECT count(*) FROM hq.chain_version")
        #expect(throws: HQError.self) { try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: "9.99", effectiveFrom: "Monday 6am", now: ChainTestStore.at(1, 12)) }
        #expect(throws: HQError.self) { try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: "9.99", effectiveFrom: "2026-13-40 06:00", now: ChainTestStore.at(1, 12)) }
        #expect(try rig.int("SELECT count(*) FROM hq.chain_version") == before)

        let moment = try ChainTestStore.dayKey(2) + " 06:00"
        // A moment already past on every clock, or the price the catalog already has, is not a schedule.
        #expect(throws: HQError.self) {
            try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: "9.99", effectiveFrom: moment, now: ChainTestStore.at(3, 19))
        }
        let same = Money(minorUnits: old, currency: .EUR).decimalString
        #expect(throws: HQError.self) {
            try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: same, effectiveFrom: moment, now: ChainTestStore.at(1, 12))
        }
        let version = try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: "9.99", effectiveFrom: moment, now: ChainTestStore.at(1, 12))
        #expect(throws: HQError.self) {  // the same schedule twice
            try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: "9.99", effectiveFrom: moment, now: ChainTestStore.at(1, 12))
        }
        let stored = try HQCatalog.wallClock(moment)
        #expect(HQCatalog.schedulePhase(stored, now: ChainTestStore.at(1, 12)) == .upcoming)
        #expect(HQCatalog.schedulePhase(stored, now: ChainTestStore.at(2, 6)) == .takingEffect)
        #expect(HQCatalog.schedulePhase(stored, now: ChainTestStore.at(2, 19)) == .inEffect)
        #expect(try rig.int("SELECT min_store_schema FROM hq.chain_version WHERE version = \(version)") == 3)
        // HQ's catalog keeps the price stores sell at until then; the schedule lists who has a label to change.
        #expect(try HQCatalog.product(rig.hq, sku: "COF-002").data.price == old)
        try a.sync(at: ChainTestStore.at(1, 12))
        try b.sync(at: ChainTestStore.at(1, 12))
        let scheduled = try HQCatalog.priceSchedules(rig.hq)
        #expect(scheduled.count == 1)
        #expect(scheduled.first?.stores == ["PA1", "PB1"])
        #expect(scheduled.first?.currentPrice == old && scheduled.first?.newPrice == 999)
        #expect(try HQCatalog.priceSchedules(rig.hq, store: "PA1").map(\.sku) == ["COF-002"])
        #expect(try HQCatalog.priceSchedules(rig.hq, store: "NOPE").isEmpty)

        // Before the moment: the old price on the shelf, and the label listed as upcoming.
        #expect(try ChainPrices.applyDue(a.store, now: ChainTestStore.at(2, 5, 59)) == 0)
        #expect(try Self.shelfPrice(a) == old)
        let labels = try ChainPrices.changes(a.store)
        #expect(labels.count == 1)
        #expect(labels.first.map { ($0.sku, $0.oldPrice, $0.newPrice, $0.appliedAt) } ?? ("", 0, 0, nil) == ("COF-002", old, 999, nil))
        _ = try Shifts(store: a.store).open(float: 0, try a.ctx(at: ChainTestStore.at(2, 5)))
        let early = try a.sell(try a.ctx(at: ChainTestStore.at(2, 5, 50)))
        #expect(early.lines.first?.unitPrice == old)

        // At the moment on A's clock (UTC), with HQ unreachable: the sync round fails, the shelf changes anyway.
        let offline = SyncAgent(store: a.store, url: try PostgresURL("postgresql://nobody:x@127.0.0.1:9/none"),
                                now: { ChainTestStore.at(2, 6) })
        #expect(throws: (any Error).self) { try offline.runRound() }
        #expect(try Self.shelfPrice(a) == 999)
        #expect(try ChainPrices.changes(a.store).first?.appliedAt != nil)
        #expect(try a.local("SELECT count(*) FROM audit_log WHERE action = 'price.scheduled'") == 1)
        let late = try a.sell(try a.ctx(at: ChainTestStore.at(2, 6, 1)))
        #expect(late.lines.first?.unitPrice == 999)

        // B's clock is five hours behind: at 06:00 UTC it is 01:00 there, and its shelf waits for its own 06:00.
        #expect(try ChainPrices.applyDue(b.store, now: ChainTestStore.at(2, 6)) == 0)
        #expect(try Self.shelfPrice(b) == old)
        #expect(try ChainPrices.applyDue(b.store, now: ChainTestStore.at(2, 11)) == 1)
        #expect(try Self.shelfPrice(b) == 999)

        // HQ took the sale at the old price and the one at the new without calling either a price difference.
        try a.sync(at: ChainTestStore.at(2, 6, 5))
        #expect(try rig.int("SELECT count(*) FROM hq.sale WHERE store = 'PA1' AND number IN (\(early.number), \(late.number))") == 2)
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind = 'price_differs'") == 0)
        // A price no one set still is one.
        try a.store.write { db in try db.execute(sql: "UPDATE variant SET price = 123 WHERE sku = 'COF-002'") }
        try a.sell(try a.ctx(at: ChainTestStore.at(2, 7)))
        try a.sync()
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind = 'price_differs' AND store = 'PA1'") == 1)
        try a.store.write { db in try db.execute(sql: "UPDATE variant SET price = 999 WHERE sku = 'COF-002'") }

        // A later product change that still carries HQ's old price (archive and back) does not undo the schedule…
        try HQCatalog.setActive(rig.hq, sku: "COF-002", active: false)
        try HQCatalog.setActive(rig.hq, sku: "COF-002", active: true)
        try a.sync()
        #expect(try Self.shelfPrice(a) == 999)
        // …while a new price from HQ is the new price.
        try HQCatalog.setPrice(rig.hq, sku: "COF-002", price: "5.00")
        try a.sync()
        #expect(try Self.shelfPrice(a) == 500)
    }

    @Test func theMomentIsWrittenAsStoresReadIt() throws {
        #expect(try HQCatalog.wallClock("2026-12-07 06:00") == "2026-12-07T06:00")
        #expect(try HQCatalog.wallClock(" 2026-12-07T06:30 ") == "2026-12-07T06:30")
        #expect(throws: HQError.self) { try HQCatalog.wallClock("07.12.2026 06:00") }
        #expect(throws: HQError.self) { try HQCatalog.wallClock("2026-12-07 25:00") }
    }
}
