import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

/// A head office on the test process's private PostgreSQL (a fresh database per rig) and stores that join it.
final class ChainRig: @unchecked Sendable {
    let cluster: PostgresCluster
    let url: PostgresURL
    let hq: HQConnection

    init(currency: String = "EUR") throws {
        cluster = try PostgresCluster.shared()
        url = try PostgresURL(try cluster.database("hq"))
        hq = try HQConnection.connect(url)
        try HQSchema.migrate(hq, currency: currency)
    }

    deinit { hq.close() }

    /// The demo store (or `store`), registered at HQ as `code` and joined, with its URL in its `.hq.toml`.
    func join(_ code: String, store: StoreDatabase? = nil) throws -> ChainTestStore {
        let store = try store ?? TestStores.demoStore()
        try StoreSettingsEditor(store: store).set("time_zone", to: "UTC", TillContext())
        let storeURL = try HQStores.add(hq, code: code, name: "Store \(code)")
        try ChainStore.join(store, code: code, TillContext())
        try ChainConfig.write(storeURL, forStore: store.path)
        return ChainTestStore(code: code, store: store, url: storeURL)
    }

    /// One value from HQ, as text.
    func value(_ sql: String, _ binds: [String?] = []) throws -> String? {
        try hq.query(sql, binds).first?[0]
    }

    func int(_ sql: String, _ binds: [String?] = []) throws -> Int64 {
        Int64(try value(sql, binds) ?? "") ?? -1
    }
}

struct ChainTestStore: @unchecked Sendable {
    let code: String
    let store: StoreDatabase
    let url: PostgresURL

    var agent: SyncAgent { SyncAgent(store: store, url: url) }

    @discardableResult
    func sync() throws -> SyncReport { try agent.runRound() }

    /// A round as if run at `date` (the clock scheduled prices are due by).
    @discardableResult
    func sync(at date: Date) throws -> SyncReport { try SyncAgent(store: store, url: url, now: { date }).runRound() }

    func staff(_ username: String) throws -> StaffMember { try Staff(store: store).member(username: username) }

    func item(_ code: String = "COF-002") throws -> CatalogItem {
        guard let item = try Catalog(store: store).lookup(code: code) else { throw TillError.notFound(code) }
        return item
    }

    func ctx(_ username: String = "ana", register: String = "main", at date: Date? = nil) throws -> TillContext {
        let ctx = TestStores.context(store, staffID: try staff(username).id, register: register, at: date)
        return ctx
    }

    @discardableResult
    func sell(_ ctx: TillContext, code: String = "COF-002", units: Int64 = 1) throws -> CompletedSale {
        try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: try item(code).variantID, quantity: .units(units))],
                                        orderDiscount: nil, customerID: nil, tenders: [ScriptedTender(method: .cash)], ctx)
    }

    func outboxCount() throws -> Int64 { try ChainOutbox.count(store) }

    func local(_ sql: String) throws -> Int64 {
        try store.read { db in try Int64.fetchOne(db, sql: sql) ?? -1 }
    }

    /// `day` days after the demo's creation day, at `hour` UTC.
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.startOfDay(for: TestStores.demoCreatedAt)
        return start.addingTimeInterval(Double(day * 86_400 + hour * 3600 + minute * 60))
    }

    /// `day` days after the demo's creation day as a business day key (the stores run on UTC).
    static func dayKey(_ day: Int) throws -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: at(day, 12))
    }
}
