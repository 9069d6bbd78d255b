import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

/// Chain reports against the real PostgreSQL: sales by staff, stock value by store, and each Z as received
/// next to HQ's own count of the same day — a mismatch is an exception.
@Suite(.serialized) struct ChainReportTests {
    /// A day of sales by two cashiers, closed with its Z.
    static func day(_ s: ChainTestStore, day: Int, sales: Int) throws {
        _ = try Shifts(store: s.store).open(float: 0, try s.ctx("ana", at: ChainTestStore.at(day, 8)))
        for index in 0..<sales {
            _ = try s.sell(try s.ctx(index % 2 == 0 ? "ana" : "max", at: ChainTestStore.at(day, 9).addingTimeInterval(Double(index) * 60)))
        }
        _ = try Shifts(store: s.store).close(count: try CashCount.parse("1x0", currency: .EUR),
                                             try s.ctx("ana", at: ChainTestStore.at(day, 20)))
    }

    @Test func salesByStaffAndStockValueByStoreAndEveryZChecked() throws {
        let rig = try ChainRig()
        try HQCatalog.setTaxClass(rig.hq, code: "standard", name: "Standard rate", rate: "19")
        try HQCatalog.setTaxClass(rig.hq, code: "reduced", name: "Reduced rate", rate: "7")
        try HQCatalog.setTaxClass(rig.hq, code: "zero", name: "Zero rate", rate: "0")
        _ = try HQCatalog.importProducts(rig.hq, path: TestStores.repositoryRoot.appendingPathComponent("sample-data/csv/products.csv").path)
        let a = try rig.join("RA1"), b = try rig.join("RB1")
        try a.sync()
        try b.sync()
        try Self.day(a, day: 1, sales: 6)
        _ = try DayReports(store: a.store).z(try a.ctx("max", at: ChainTestStore.at(1, 21)))
        try a.sync()

        // By staff: ana rang 3, max 3 of the day's sales (plus the demo history's own staff).
        let byStaff = try HQReports.sales(rig.hq, by: .staff, from: try ChainTestStore.dayKey(1), to: try ChainTestStore.dayKey(1), store: "RA1")
        #expect(byStaff.first { $0.key == "ana" }?.orders == 3)
        #expect(byStaff.first { $0.key == "max" }?.orders == 3)

        // Stock value: each store's ledger × HQ's cost, the same figure the store's own files give.
        let costs = Dictionary(uniqueKeysWithValues: try rig.hq.query("SELECT key, data->>'cost' AS cost FROM hq.reference WHERE kind = 'product'")
            .compactMap { row -> (String, Int64)? in
                guard let key = row["key"], let cost = row["cost"].flatMap({ Int64($0) }) else { return nil }
                return (key, cost)
            })
        let expected = try a.store.read { db in
            try Row.fetchAll(db, sql: "SELECT v.sku, SUM(m.delta_milli) AS milli FROM stock_movement m JOIN variant v ON v.id = m.variant_id GROUP BY v.sku")
                .reduce(into: Int64(0)) { total, row in
                    let milli: Int64 = row["milli"]
                    if milli > 0, let cost = costs[row["sku"] as String] { total += Int64((Double(milli) * Double(cost) / 1000).rounded()) }
                }
        }
        let values = try HQReports.stockValue(rig.hq)
        #expect(values.map(\.store) == ["RA1", "RB1"])
        let atHQ = values.first?.value ?? 0
        #expect(abs(atHQ - expected) <= Int64(costs.count), "HQ \(atHQ) vs store \(expected)")

        // Every Z matches the store's events at HQ…
        let checks = try HQReports.zChecks(rig.hq, from: nil, to: nil, store: "RA1")
        #expect(!checks.isEmpty)
        let mismatched = checks.filter { !$0.matches }
        #expect(mismatched.isEmpty, "\(mismatched)")
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE kind = 'z_mismatch'") == 0)

        // …until HQ lacks a sale the store counted (an event lost to a bad restore at HQ, say): flagged.
        try Self.day(b, day: 1, sales: 2)
        try b.sync()
        try rig.hq.query("DELETE FROM hq.sale_payment WHERE store = 'RB1' AND number = (SELECT max(number) FROM hq.sale WHERE store = 'RB1')")
        try rig.hq.query("DELETE FROM hq.sale_line WHERE store = 'RB1' AND number = (SELECT max(number) FROM hq.sale WHERE store = 'RB1')")
        try rig.hq.query("DELETE FROM hq.sale WHERE store = 'RB1' AND number = (SELECT max(number) FROM hq.sale WHERE store = 'RB1')")
        _ = try DayReports(store: b.store).z(try b.ctx("max", at: ChainTestStore.at(1, 21)))
        try b.sync()
        let flagged = try HQReports.exceptions(rig.hq).filter { $0.kind == "z_mismatch" }
        #expect(flagged.count == 1)
        #expect(flagged.first?.store == "RB1")
        let bad = try HQReports.zChecks(rig.hq, from: try ChainTestStore.dayKey(1), to: nil, store: "RB1")
        #expect(bad.count == 1 && bad.first?.matches == false)
        #expect(bad.first.map { $0.storeSales - $0.hqSales } == 1)
    }
}
