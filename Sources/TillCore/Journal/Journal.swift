@preconcurrency import Crypto
import Foundation
import GRDB

/// The tamper-evident sales journal. Triggers on the fact tables (completed sales, refunds and voids, cash
/// movements and no-sales, shift closes, Z reports) queue a marker in the transaction that records the fact;
/// `fillPending`, run at the end of every write transaction, encodes each fact (`JournalFacts`), chains it to
/// the entry before by that entry's hash, adds it to the perpetual grand totals and signs it with the store's
/// key — inside the same transaction, so a fact and its entry commit together or not at all.
///
/// A marker that was already waiting when a transaction began was written by something other than Till (the
/// sqlite3 shell, say): it is never signed, and `till journal verify` names it.
public enum Journal {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE journal_key (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                public_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                created_at DATETIME NOT NULL
            );
            CREATE TRIGGER journal_key_no_update BEFORE UPDATE ON journal_key
            BEGIN SELECT RAISE(ABORT, 'journal_key is written once'); END;
            CREATE TRIGGER journal_key_no_delete BEFORE DELETE ON journal_key
            BEGIN SELECT RAISE(ABORT, 'journal_key is written once'); END;
            CREATE TABLE journal_entry (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                ref INTEGER NOT NULL,
                at TEXT,
                store TEXT,
                prev_hash TEXT,
                body TEXT,
                gt_sales INTEGER,
                gt_refunds INTEGER,
                gt_net INTEGER,
                hash TEXT,
                signature TEXT
            );
            CREATE INDEX journal_entry_fact ON journal_entry(kind, ref);
            CREATE INDEX journal_entry_pending ON journal_entry(seq) WHERE hash IS NULL;
            CREATE TRIGGER journal_entry_no_delete BEFORE DELETE ON journal_entry
            BEGIN SELECT RAISE(ABORT, 'journal_entry is append-only'); END;
            CREATE TRIGGER journal_entry_fill_once BEFORE UPDATE ON journal_entry WHEN OLD.hash IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'journal_entry is append-only: an entry is never changed once signed'); END;

            CREATE TRIGGER journal_sale AFTER UPDATE OF number ON orders
            WHEN OLD.number IS NULL AND NEW.number IS NOT NULL
            BEGIN INSERT INTO journal_entry(kind, ref) VALUES ('sale', NEW.id); END;
            CREATE TRIGGER journal_sale_inserted AFTER INSERT ON orders WHEN NEW.number IS NOT NULL
            BEGIN INSERT INTO journal_entry(kind, ref) VALUES ('sale', NEW.id); END;
            CREATE TRIGGER journal_refund AFTER UPDATE OF status ON refund
            WHEN NEW.status = 'completed' AND OLD.status <> 'completed'
            BEGIN INSERT INTO journal_entry(kind, ref)
                VALUES (CASE NEW.kind WHEN 'void' THEN 'void' WHEN 'no_receipt' THEN 'return' ELSE 'refund' END, NEW.id); END;
            CREATE TRIGGER journal_refund_inserted AFTER INSERT ON refund WHEN NEW.status = 'completed'
            BEGIN INSERT INTO journal_entry(kind, ref)
                VALUES (CASE NEW.kind WHEN 'void' THEN 'void' WHEN 'no_receipt' THEN 'return' ELSE 'refund' END, NEW.id); END;
            CREATE TRIGGER journal_cash AFTER INSERT ON cash_movement
            BEGIN INSERT INTO journal_entry(kind, ref) VALUES (NEW.kind, NEW.id); END;
            CREATE TRIGGER journal_shift AFTER UPDATE OF closed_at ON shift
            WHEN OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL
            BEGIN INSERT INTO journal_entry(kind, ref) VALUES ('shift_close', NEW.id); END;
            CREATE TRIGGER journal_z_report AFTER INSERT ON z_report
            BEGIN INSERT INTO journal_entry(kind, ref) VALUES ('z_report', NEW.number); END;
            """)
        // A chain store sends every signed entry to head office, which keeps the chain and checks it.
        try TableRebuild.replace(db, table: "chain_outbox", "'customer', 'loyalty'))", with: "'customer', 'loyalty', 'journal'))")
        try db.execute(sql: """
            CREATE TRIGGER chain_journal AFTER UPDATE OF hash ON journal_entry
            WHEN OLD.hash IS NULL AND NEW.hash IS NOT NULL AND EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at)
                VALUES ('journal', NEW.seq, replace(replace(NEW.at, 'T', ' '), 'Z', '')); END;
            """)
    }

    /// A signed entry as head office receives it: its exact bytes, hash and signature.
    static func eventPayload(_ db: Database, seq: Int64) throws -> String? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM journal_entry WHERE seq = ? AND hash IS NOT NULL"),
                                         arguments: [seq]) else { return nil }
        let entry = entry(row)
        struct Payload: Encodable {
            var seq: Int64, kind: String, ref: Int64, hash: String, signature: String, bytes: String
            var gt_sales: Int64, gt_refunds: Int64
        }
        let payload = Payload(seq: entry.seq, kind: entry.kind, ref: entry.ref, hash: entry.hash, signature: entry.signature,
                              bytes: String(decoding: entry.bytes, as: UTF8.self), gt_sales: entry.grandSales, gt_refunds: entry.grandRefunds)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }

    /// What a store can sign with: its key, or why it cannot (the key file missing or not the journal's).
    public enum Signing: Sendable {
        case ready(JournalKey)
        case unavailable(String)
    }

    /// Loads the store's key beside `storePath`, making it (and the journal's first entry) when the journal has
    /// none yet: a new store, or one made before the journal, whose earlier facts are then journaled in order.
    static func prepare(_ pool: DatabasePool, storePath: String) throws -> Signing {
        let keyPath = JournalKey.path(forStore: storePath)
        // Read through the writer: a reader connection opened here would be the last to close a store being
        // built, and a read-only connection cannot remove the -wal and -shm files it leaves.
        let recorded = try pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "SELECT public_key FROM journal_key WHERE id = 1") }
        let exists = FileManager.default.fileExists(atPath: keyPath)
        if let recorded {
            guard exists else {
                return .unavailable("the journal key \(keyPath) is missing: restore it from the store's backup "
                                    + "(sales, refunds and cash movements cannot be journaled without it)")
            }
            let key: JournalKey
            do { key = try JournalKey.load(path: keyPath) } catch { return .unavailable("\(error)") }
            guard JournalKey.pem(key.publicKey) == recorded else {
                let expected = (try? JournalKey.publicKey(pem: recorded)).map(JournalKey.fingerprint) ?? "?"
                return .unavailable("the journal key \(keyPath) is not this store's (its key is \(JournalKey.fingerprint(key.publicKey)), "
                                    + "the journal was started with \(expected)): restore the store's own key from its backup")
            }
            return .ready(key)
        }
        let signed = try pool.writeWithoutTransaction { db in try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM journal_entry WHERE hash IS NOT NULL") ?? 0 }
        guard signed == 0 else {
            return .unavailable("the journal's key record is missing from \(storePath) while \(signed) entries are signed: "
                                + "the store file was tampered with; restore it from a backup")
        }
        let key = exists ? try JournalKey.load(path: keyPath) : try JournalKey.create(path: keyPath)
        try pool.write { db in
            // Another till may have started the journal meanwhile, with this same key file.
            guard try String.fetchOne(db, sql: "SELECT public_key FROM journal_key WHERE id = 1") == nil else { return }
            try start(db, key: key)
        }
        return try prepare(pool, storePath: storePath)
    }

    /// The journal's first entry (its public key), then the facts the store recorded before it, oldest first.
    static func start(_ db: Database, key: JournalKey, at date: Date = Date()) throws {
        let pem = JournalKey.pem(key.publicKey)
        // A store older than its journal: the journal starts with its first fact, so its entries stay in the
        // order of their times (an export by date is one unbroken piece of the chain).
        let earliest = try Date.fetchOne(db, sql: """
            SELECT MIN(at) FROM (SELECT MIN(completed_at) AS at FROM orders WHERE number IS NOT NULL
                UNION ALL SELECT MIN(COALESCE(completed_at, created_at)) FROM refund WHERE status = 'completed'
                UNION ALL SELECT MIN(created_at) FROM cash_movement UNION ALL SELECT MIN(closed_at) FROM shift
                UNION ALL SELECT MIN(closed_at) FROM z_report)
            """)
        try db.execute(sql: "INSERT INTO journal_key(id, public_key, fingerprint, created_at) VALUES (1, ?, ?, ?)",
                       arguments: [pem, JournalKey.fingerprint(key.publicKey), min(date, earliest ?? date)])
        // Markers the triggers left before the key existed are superseded by the history below.
        try db.execute(sql: "DROP TRIGGER journal_entry_no_delete")
        try db.execute(sql: "DELETE FROM journal_entry WHERE hash IS NULL")
        try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'journal_entry'")
        try db.execute(sql: """
            CREATE TRIGGER journal_entry_no_delete BEFORE DELETE ON journal_entry
            BEGIN SELECT RAISE(ABORT, 'journal_entry is append-only'); END;
            """)
        try db.execute(sql: "INSERT INTO journal_entry(kind, ref) VALUES ('journal_start', 0)")
        try db.execute(sql: """
            INSERT INTO journal_entry(kind, ref)
            SELECT kind, ref FROM (
                SELECT 'sale' AS kind, id AS ref, COALESCE(completed_at, created_at) AS at, 1 AS rank FROM orders WHERE number IS NOT NULL
                UNION ALL SELECT CASE kind WHEN 'void' THEN 'void' WHEN 'no_receipt' THEN 'return' ELSE 'refund' END, id,
                    COALESCE(completed_at, created_at), 2 FROM refund WHERE status = 'completed'
                UNION ALL SELECT kind, id, created_at, 3 FROM cash_movement
                UNION ALL SELECT 'shift_close', id, closed_at, 4 FROM shift WHERE closed_at IS NOT NULL
                UNION ALL SELECT 'z_report', number, closed_at, 5 FROM z_report
            ) ORDER BY at, rank, ref
            """)
        try fillPending(db, signing: .ready(key), after: 0)
    }

    /// The fact triggers, which a bulk load (`till bench`'s synthetic store) drops and puts back around itself.
    public static let factTriggers = ["journal_sale", "journal_sale_inserted", "journal_refund", "journal_refund_inserted",
                                      "journal_cash", "journal_shift", "journal_z_report"]

    /// Journals, oldest first and `batch` to a transaction, every fact that has no entry. Only for a store that
    /// was just bulk-loaded around the use cases (`till bench`'s synthetic year): on a live store a fact with no
    /// entry was written outside Till, and `till journal verify` is there to say so, not this to sign it.
    public static func journalBulkLoadedFacts(_ store: StoreDatabase, batch: Int = 10_000,
                                              progress: (Int) -> Void = { _ in }) throws -> Int {
        // Every marker at once, in the order of the facts' times; then signed `batch` to a transaction.
        let first = try store.pool.write { db -> Int64 in
            let before = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM journal_entry") ?? 0
            try db.execute(sql: """
                INSERT INTO journal_entry(kind, ref)
                SELECT kind, ref FROM (
                    SELECT 'sale' AS kind, id AS ref, completed_at AS at, 1 AS rank FROM orders o WHERE number IS NOT NULL
                        AND NOT EXISTS (SELECT 1 FROM journal_entry j WHERE j.kind = 'sale' AND j.ref = o.id)
                    UNION ALL SELECT CASE kind WHEN 'void' THEN 'void' WHEN 'no_receipt' THEN 'return' ELSE 'refund' END, id,
                        COALESCE(completed_at, created_at), 2 FROM refund r WHERE status = 'completed'
                        AND NOT EXISTS (SELECT 1 FROM journal_entry j WHERE j.kind IN ('refund', 'void', 'return') AND j.ref = r.id)
                    UNION ALL SELECT kind, id, created_at, 3 FROM cash_movement c
                        WHERE NOT EXISTS (SELECT 1 FROM journal_entry j WHERE j.kind = c.kind AND j.ref = c.id)
                ) ORDER BY at, rank, ref
                """)
            return before
        }
        var done = 0
        while true {
            let signed = try store.pool.write { db -> Int in
                try fillPending(db, signing: store.journalSigning, after: first, limit: batch)
            }
            done += signed
            progress(done)
            if signed < batch { return done }
        }
    }

    /// The newest marker already waiting when a write transaction begins: those up to it were not written by
    /// Till and are left unsigned.
    static func pendingBoundary(_ db: Database) throws -> Int64 {
        // Through the partial index of waiting markers, always: the planner would otherwise walk the whole
        // journal backwards by seq looking for one (300 ms a scan at a million entries, measured).
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT seq FROM journal_entry INDEXED BY journal_entry_pending WHERE hash IS NULL ORDER BY seq DESC LIMIT 1
            """)) ?? 0
    }

    /// Signs every marker after `boundary`, in order, inside the caller's transaction.
    @discardableResult
    static func fillPending(_ db: Database, signing: Signing, after boundary: Int64, limit: Int = .max) throws -> Int {
        let pending = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT seq, kind, ref FROM journal_entry INDEXED BY journal_entry_pending WHERE hash IS NULL AND seq > ? ORDER BY seq LIMIT ?
            """),
                                       arguments: [boundary, limit])
        guard !pending.isEmpty else { return 0 }
        guard case let .ready(key) = signing else {
            if case let .unavailable(why) = signing { throw TillError.storage(why) }
            return 0
        }
        // The signed entry before the first waiting one, walking back by seq from it. NOT INDEXED: the planner
        // otherwise reads the whole journal through an index (21,039 rows a sale at 20k orders, measured).
        var previous = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT hash, gt_sales, gt_refunds FROM journal_entry NOT INDEXED WHERE seq < ? AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1
            """), arguments: [pending[0]["seq"] as Int64]).map { (hash: $0["hash"] as String, sales: $0["gt_sales"] as Int64, refunds: $0["gt_refunds"] as Int64) }
            ?? (hash: JournalBytes.genesisPrev, sales: 0, refunds: 0)
        let store = try storeLabel(db)
        for row in pending {
            let seq: Int64 = row["seq"], kind: String = row["kind"], ref: Int64 = row["ref"]
            let fact: JournalFacts.Fact
            if kind == "journal_start" {
                fact = try startFact(db)
            } else {
                guard let found = try JournalFacts.fact(db, kind: kind, ref: ref) else {
                    throw TillError.storage("the \(kind) \(ref) to be journaled is missing from the store")
                }
                fact = found
            }
            let sales = previous.sales + fact.sales, refunds = previous.refunds + fact.refunds
            var entry = JournalEntry(seq: seq, kind: kind, ref: ref, at: fact.at, store: store, prevHash: previous.hash,
                                     body: JournalBytes.body(fact.lines), grandSales: sales, grandRefunds: refunds,
                                     grandNet: sales - refunds, hash: "", signature: "")
            let bytes = entry.bytes
            entry.hash = JournalBytes.hash(bytes)
            entry.signature = try key.sign(bytes).base64EncodedString()
            try db.cachedStatement(sql: """
                UPDATE journal_entry SET at = ?, store = ?, prev_hash = ?, body = ?, gt_sales = ?, gt_refunds = ?, gt_net = ?,
                    hash = ?, signature = ? WHERE seq = ?
                """).execute(arguments: [entry.at, entry.store, entry.prevHash, entry.body, sales, refunds, entry.grandNet,
                                         entry.hash, entry.signature, seq])
            previous = (entry.hash, sales, refunds)
        }
        return pending.count
    }

    /// The journal's first entry names its public key, so the key is covered by the chain it starts.
    static func startFact(_ db: Database) throws -> JournalFacts.Fact {
        guard let pem = try String.fetchOne(db, sql: "SELECT public_key FROM journal_key WHERE id = 1") else {
            throw TillError.storage("the journal has no key")
        }
        let key = try JournalKey.publicKey(pem: pem)
        let at = JournalFacts.iso(try String.fetchOne(db, sql: "SELECT created_at FROM journal_key WHERE id = 1"))
        return JournalFacts.Fact(at: at, lines: [
            JournalFacts.field("public_key", key.derRepresentation.base64EncodedString()),
            JournalFacts.field("fingerprint", JournalKey.fingerprint(key)),
        ])
    }

    /// A chain store's code, else the store's name.
    static func storeLabel(_ db: Database) throws -> String {
        if let code = try String.fetchOne(db.cachedStatement(sql: "SELECT code FROM chain_store WHERE id = 1")) { return code }
        return try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM store_setting WHERE key = 'name'")) ?? "Till"
    }

    // MARK: Reading

    static let columns = "seq, kind, ref, at, store, prev_hash, body, gt_sales, gt_refunds, gt_net, hash, signature"

    static func entry(_ row: Row) -> JournalEntry {
        JournalEntry(seq: row["seq"], kind: row["kind"], ref: row["ref"], at: row["at"] ?? "", store: row["store"] ?? "",
                     prevHash: row["prev_hash"] ?? "", body: row["body"] ?? "", grandSales: row["gt_sales"] ?? 0,
                     grandRefunds: row["gt_refunds"] ?? 0, grandNet: row["gt_net"] ?? 0, hash: row["hash"] ?? "",
                     signature: row["signature"] ?? "")
    }

    public static func entries(_ db: Database, from seq: Int64 = 1, limit: Int = .max) throws -> [JournalEntry] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT \(columns) FROM journal_entry WHERE seq >= ? ORDER BY seq LIMIT ?"),
                         arguments: [seq, limit]).map(entry)
    }

    /// The signed entry of a fact, if it has one.
    public static func entry(_ db: Database, kind: String, ref: Int64) throws -> JournalEntry? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM journal_entry INDEXED BY journal_entry_fact WHERE kind = ? AND ref = ? AND hash IS NOT NULL"),
                         arguments: [kind, ref]).map(entry)
    }

    public static func publicKeyPEM(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT public_key FROM journal_key WHERE id = 1")
    }
}
