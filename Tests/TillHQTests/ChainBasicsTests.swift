import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

@Suite("Chain basics")
struct ChainBasicsTests {
    @Test func joiningQueuesHistoryAndASaleQueuesItsFactsButNotTheOpenCart() throws {
        let rig = try ChainRig()
        let s = try rig.join("S001")
        let history = try s.outboxCount()
        #expect(history > 0)
        let ctx = try TestStores.openTill(s.store)
        let before = try s.outboxCount()
        _ = try Carts(store: s.store).add(variantID: try s.item().variantID, ctx)
        #expect(try s.outboxCount() == before, "an open cart is not a fact")
        let cart = try #require(try Carts(store: s.store).current(register: ctx.register))
        guard case let .completed(sale) = try Checkout(store: s.store).payCash(cartID: cart.id, ctx) else {
            Issue.record("the cash payment did not complete the sale")
            return
        }
        let events = try ChainOutbox.events(s.store, after: before, limit: 100)
        #expect(events.map(\.kind).contains("sale"))
        #expect(events.map(\.kind).contains("stock"))
        let saleEvent = try #require(events.first { $0.kind == "sale" })
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(saleEvent.payload.utf8)) as? [String: Any])
        #expect((payload["number"] as? NSNumber)?.int64Value == sale.number)
        #expect((payload["lines"] as? [Any])?.count == 1)
        #expect(saleEvent.schemaVersion == ChainOutbox.schemaVersion)
        let seqs = try ChainOutbox.events(s.store, after: 0, limit: 100_000).map(\.seq)
        #expect(seqs == Array(1...Int64(seqs.count)), "gap-free from 1")
    }

    @Test func aSyncRoundPutsEveryEventAtHQOnceAndASecondRoundSendsNothing() throws {
        let rig = try ChainRig()
        let s = try rig.join("S002")
        let ctx = try TestStores.openTill(s.store)
        for _ in 0..<5 { try s.sell(ctx) }
        let total = try s.outboxCount()
        let report = try s.sync()
        #expect(report.acknowledged == total)
        #expect(try rig.int("SELECT count(*) FROM hq.event WHERE store = 'S002'") == total)
        #expect(try rig.int("SELECT count(*) FROM hq.event WHERE store = 'S002' AND status <> 'applied'") == 0)
        #expect(try rig.int("SELECT count(*) FROM hq.sale WHERE store = 'S002'") == s.local("SELECT count(*) FROM orders WHERE number IS NOT NULL"))
        let again = try s.sync()
        #expect(again.uploaded == 0)
        #expect(try rig.int("SELECT count(*) FROM hq.event WHERE store = 'S002'") == total)
        let state = try #require(try ChainStore.syncState(s.store))
        #expect(state.toSend == 0)
        #expect(state.summary(now: Date()).hasPrefix("HQ ✓"))
    }

    /// Offline, then the store file is opened by a newer Till (migrations run): what waited is still there and
    /// goes at the next sync.
    @Test func reopeningTheStoreKeepsItsUnacknowledgedOutbox() throws {
        let rig = try ChainRig()
        let s = try rig.join("S003")
        let ctx = try TestStores.openTill(s.store)
        for _ in 0..<3 { try s.sell(ctx) }
        let waiting = try ChainOutbox.events(s.store, after: 0, limit: 100_000)
        try s.store.pool.close()
        let reopened = try StoreDatabase.open(path: s.store.path)
        #expect(try ChainOutbox.events(reopened, after: 0, limit: 100_000) == waiting)
        let report = try SyncAgent(store: reopened, url: s.url).runRound()
        #expect(report.acknowledged == Int64(waiting.count))
        #expect(try rig.int("SELECT count(*) FROM hq.event WHERE store = 'S003'") == Int64(waiting.count))
    }

    /// A chain store refuses local catalog, tax and staff changes, naming head office.
    @Test func aChainStoreSaysHeadOfficeOwnsTheCatalog() throws {
        let rig = try ChainRig()
        let s = try rig.join("S004")
        var draft = try CatalogEditor(store: s.store).draft(sku: "COF-002")
        draft.price = 100
        #expect {
            _ = try CatalogEditor(store: s.store).edit(sku: "COF-002", draft, TillContext())
        } throws: { error in
            "\(error)".contains("head office owns the catalog")
        }
        #expect {
            _ = try TaxRates(store: s.store).add(TillContext(), code: "lux", name: "Luxury", rate: "25")
        } throws: { error in
            "\(error)".contains("head office owns tax classes")
        }
        #expect {
            _ = try Staff(store: s.store).add(username: "eve", name: "Eve", role: .cashier, pin: "1234", hasher: TestStores.testHasher,
                                              TillContext())
        } throws: { error in
            "\(error)".contains("head office owns staff")
        }
    }

    /// A second file with a store's credentials (or the store restored from an older backup) is stopped loudly:
    /// nothing of it is marked sent, and what HQ holds is untouched.
    @Test func aSecondFileUnderOneStoresNumbersIsStoppedNotLost() throws {
        let rig = try ChainRig()
        let s = try rig.join("S005")
        let ctx = try TestStores.openTill(s.store)
        try s.sell(ctx)
        _ = try s.sync()
        let atHQ = try rig.int("SELECT count(*) FROM hq.event WHERE store = 'S005'")
        let other = try TestStores.demoStore()
        let probe = try HQConnection.connect(s.url)
        defer { probe.close() }
        #expect {
            _ = try SyncAgent.checkIdentity(probe, url: s.url, store: other, code: "S005", joining: true)
        } throws: { error in
            "\(error)".contains("another store file is that store")
        }
        try ChainStore.join(other, code: "S005", TillContext())
        let waiting = try ChainOutbox.count(other)
        #expect {
            _ = try SyncAgent(store: other, url: s.url).runRound()
        } throws: { error in
            "\(error)".contains("already holds other events under this store's numbers from #1")
        }
        #expect(try ChainStore.syncState(other)?.toSend == waiting, "nothing marked sent")
        #expect(try rig.int("SELECT count(*) FROM hq.event WHERE store = 'S005'") == atHQ)
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE store = 'S005' AND kind = 'sequence_conflict'") == 1)
        #expect(try ChainStore.syncState(other)?.summary(now: Date()).hasPrefix("offline") == true)
    }
}
