import Foundation
import GRDB
import Testing
import TillCore
@testable import TillHQ
import TillTestSupport

/// Each store's signed journal at head office: the key registered from the first entry, every entry's hash and
/// link checked as it arrives (in PostgreSQL), signatures checked against the registered key by
/// `HQJournal.verify`; a rewritten journal and a bad signature each open an exception.
@Suite("Chain journal")
struct ChainJournalTests {
    @Test func hqHoldsEachStoresChainRegistersItsKeyAndVerifiesEverySignature() throws {
        let rig = try ChainRig()
        let a = try rig.join("S001"), b = try rig.join("S002")
        for store in [a, b] {
            let ctx = try TestStores.openTill(store.store)
            for _ in 0..<3 { try store.sell(ctx) }
            _ = try store.sync()
        }
        for (code, store) in [("S001", a), ("S002", b)] {
            #expect(try rig.int("SELECT count(*) FROM hq.journal_entry WHERE store = $1", [code]) == store.local("SELECT count(*) FROM journal_entry"))
            let key = try store.store.read { db in try Journal.publicKeyPEM(db) }
            let registered = try #require(try rig.value("SELECT public_key FROM hq.journal_key WHERE store = $1", [code]))
            let pem = try #require(key)
            #expect(JournalSignature.fingerprint(publicKey: registered) == JournalKey.fingerprint(try JournalKey.publicKey(pem: pem)))
        }
        let statuses = try HQJournal.verify(rig.hq)
        #expect(statuses.map(\.store) == ["S001", "S002"])
        for status in statuses {
            #expect(status.invalid == 0 && status.unchecked == 0 && status.openExceptions == 0, "\(status)")
            #expect(status.checkedNow == Int(status.entries))
        }
        let last = try a.store.read { db in try Journal.entries(db).last }
        #expect(statuses[0].lastHash == last?.hash)
        #expect(statuses[0].grandSales == last?.grandSales)
        // A second run checks only what is new.
        #expect(try HQJournal.verify(rig.hq, store: "S001").first?.checkedNow == 0)
    }

    @Test func aSignatureThatIsNotTheStoresIsFlagged() throws {
        let rig = try ChainRig()
        let s = try rig.join("S003")
        try s.sell(try TestStores.openTill(s.store))
        _ = try s.sync()
        // Another key's signature on the last entry, as HQ holds it.
        let last = try #require(try rig.value("SELECT max(seq) FROM hq.journal_entry WHERE store = 'S003'"))
        try rig.hq.query("UPDATE hq.journal_entry SET signature = (SELECT signature FROM hq.journal_entry WHERE store = 'S003' AND seq = 1) WHERE store = 'S003' AND seq = $1::bigint", [last])
        let status = try #require(try HQJournal.verify(rig.hq, store: "S003").first)
        #expect(status.invalid == 1)
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE store = 'S003' AND kind = 'journal_signature_invalid' AND subject = 'entry:' || $1::text", [last]) == 1)
    }

    @Test func aStoreThatRewritesItsJournalIsSeenAtHQ() throws {
        let rig = try ChainRig()
        let s = try rig.join("S004")
        let ctx = try TestStores.openTill(s.store)
        try s.sell(ctx)
        _ = try s.sync()
        // An entry HQ already holds arriving again with other contents (a journal rebuilt from scratch, say): HQ
        // keeps the entry it had and says so.
        let seq = try s.local("SELECT max(seq) FROM journal_entry")
        try rig.hq.query("""
            SELECT hq.apply_journal('S004', 0, jsonb_build_object('seq', $1::text::bigint, 'kind', 'sale', 'ref', 1, 'hash', repeat('a', 64),
                'signature', 'AA==', 'bytes', E'till-journal=1\\nseq=' || $1::text || E'\\nprev=' || repeat('0', 64) || E'\\n'))
            """, [String(seq)])
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE store = 'S004' AND kind = 'journal_rewritten'") == 1)
        // An entry that does not follow the one HQ holds.
        try rig.hq.query("""
            SELECT hq.apply_journal('S004', 0, jsonb_build_object('seq', $1::text::bigint + 1, 'kind', 'sale', 'ref', 1, 'hash', repeat('b', 64),
                'signature', 'AA==', 'bytes', E'till-journal=1\\nseq=x\\nprev=' || repeat('c', 64) || E'\\n'))
            """, [String(seq)])
        #expect(try rig.int("SELECT count(*) FROM hq.exception WHERE store = 'S004' AND kind = 'journal_broken'") >= 1)
        #expect(try HQJournal.verify(rig.hq, store: "S004").first?.openExceptions ?? 0 >= 2)
    }
}
