import Foundation
import GRDB

/// One fact on its way to head office: a completed sale, refund, stock movement, cash movement, closed shift,
/// Z report, audit entry or store-credit entry.
public struct OutboxEvent: Equatable, Sendable {
    /// Gap-free per store: SQLite's AUTOINCREMENT under one writer, and a rolled-back transaction takes its
    /// number back with it.
    public var seq: Int64
    public var eventID: String
    public var kind: String
    public var schemaVersion: Int
    /// The till's clock when the fact happened (ISO 8601, UTC). HQ compares it with its own to flag skew.
    public var recordedAt: String
    /// The complete fact as JSON.
    public var payload: String
}

/// The transactional outbox. Triggers on the fact tables queue a marker in the same transaction that records
/// the fact, so no write path can forget to send; `fillPending`, run at the end of every write transaction
/// (`StoreDatabase.write`), turns each marker into the complete fact — after the whole sale, with its payments,
/// is written. Open carts are never queued: a sale is queued when it gets its number.
public enum ChainOutbox {
    /// The version of the events this Till writes. HQ accepts this one and the one before.
    public static let schemaVersion = 5

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE chain_store (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                code TEXT NOT NULL,
                joined_at DATETIME NOT NULL,
                acknowledged_seq INTEGER NOT NULL DEFAULT 0,
                reference_version INTEGER NOT NULL DEFAULT 0,
                last_sync_at DATETIME,
                last_attempt_at DATETIME,
                last_error TEXT,
                update_needed TEXT,
                held_at_hq INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE chain_outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'stock', 'cash', 'shift', 'z_report', 'audit', 'credit')),
                local_id INTEGER NOT NULL,
                recorded_at DATETIME NOT NULL,
                event_id TEXT UNIQUE,
                schema_version INTEGER,
                payload TEXT
            );
            CREATE INDEX chain_outbox_pending ON chain_outbox(seq) WHERE payload IS NULL;
            -- The chain version a line was rung at: a cart keeps its prices when a new version arrives, and HQ
            -- checks each line against the version it was priced by.
            ALTER TABLE order_line ADD COLUMN reference_version INTEGER;
            CREATE TRIGGER chain_line_version AFTER INSERT ON order_line WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN UPDATE order_line SET reference_version = (SELECT reference_version FROM chain_store WHERE id = 1) WHERE id = NEW.id; END;
            CREATE TRIGGER chain_outbox_no_delete BEFORE DELETE ON chain_outbox
            BEGIN SELECT RAISE(ABORT, 'chain_outbox is append-only'); END;
            CREATE TRIGGER chain_outbox_fill_once BEFORE UPDATE ON chain_outbox WHEN OLD.payload IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'chain_outbox is append-only: an event is never changed once written'); END;

            CREATE TRIGGER chain_sale AFTER UPDATE OF number ON orders
            WHEN OLD.number IS NULL AND NEW.number IS NOT NULL AND EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('sale', NEW.id, COALESCE(NEW.completed_at, NEW.updated_at, NEW.created_at)); END;
            CREATE TRIGGER chain_sale_inserted AFTER INSERT ON orders
            WHEN NEW.number IS NOT NULL AND EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('sale', NEW.id, COALESCE(NEW.completed_at, NEW.created_at)); END;
            CREATE TRIGGER chain_refund AFTER UPDATE OF status ON refund
            WHEN NEW.status = 'completed' AND OLD.status <> 'completed' AND EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('refund', NEW.id, COALESCE(NEW.completed_at, NEW.created_at)); END;
            CREATE TRIGGER chain_refund_inserted AFTER INSERT ON refund
            WHEN NEW.status = 'completed' AND EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('refund', NEW.id, COALESCE(NEW.completed_at, NEW.created_at)); END;
            CREATE TRIGGER chain_stock AFTER INSERT ON stock_movement WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('stock', NEW.id, NEW.created_at); END;
            CREATE TRIGGER chain_cash AFTER INSERT ON cash_movement WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('cash', NEW.id, NEW.created_at); END;
            CREATE TRIGGER chain_shift AFTER UPDATE OF closed_at ON shift
            WHEN OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL AND EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('shift', NEW.id, NEW.closed_at); END;
            CREATE TRIGGER chain_z_report AFTER INSERT ON z_report WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('z_report', NEW.number, NEW.closed_at); END;
            CREATE TRIGGER chain_audit AFTER INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('audit', NEW.id, NEW.at); END;
            CREATE TRIGGER chain_credit AFTER INSERT ON credit_entry WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('credit', NEW.id, NEW.created_at); END;
            """)
    }

    /// Completes every queued marker with its event id and full fact, inside the caller's transaction.
    static func fillPending(_ db: Database) throws {
        let pending = try Row.fetchAll(db.cachedStatement(sql: "SELECT seq, kind, local_id FROM chain_outbox WHERE payload IS NULL ORDER BY seq"))
        guard !pending.isEmpty else { return }
        for row in pending {
            let kind: String = row["kind"]
            let localID: Int64 = row["local_id"]
            let payload: String?
            if kind == "journal" {
                payload = try Journal.eventPayload(db, seq: localID)
            } else {
                payload = try payloadSQL[kind].flatMap { try String.fetchOne(db.cachedStatement(sql: $0), arguments: [localID]) }
            }
            guard let payload else {
                throw TillError.storage("the \(kind) \(localID) queued for head office is missing from the store")
            }
            try db.cachedStatement(sql: "UPDATE chain_outbox SET event_id = ?, schema_version = ?, payload = ? WHERE seq = ?")
                .execute(arguments: [UUIDv7.make(), schemaVersion, payload, row["seq"] as Int64])
        }
    }

    /// Queues what the store recorded before it joined, oldest first, so HQ's history starts with the store's.
    static func queueHistory(_ db: Database) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO chain_outbox(kind, local_id, recorded_at)
            SELECT kind, local_id, recorded_at FROM (
                SELECT 'sale' AS kind, id AS local_id, COALESCE(completed_at, created_at) AS recorded_at, 1 AS rank FROM orders WHERE number IS NOT NULL
                UNION ALL SELECT 'refund', id, COALESCE(completed_at, created_at), 2 FROM refund WHERE status = 'completed'
                UNION ALL SELECT 'stock', id, created_at, 3 FROM stock_movement
                UNION ALL SELECT 'cash', id, created_at, 4 FROM cash_movement
                UNION ALL SELECT 'credit', id, created_at, 5 FROM credit_entry
                UNION ALL SELECT 'shift', id, closed_at, 6 FROM shift WHERE closed_at IS NOT NULL
                UNION ALL SELECT 'z_report', number, closed_at, 7 FROM z_report
                UNION ALL SELECT 'audit', id, at, 8 FROM audit_log
                UNION ALL SELECT 'customer', id, COALESCE((SELECT MIN(created_at) FROM orders), strftime('%Y-%m-%d %H:%M:%f', 'now')), 0 FROM customer
                UNION ALL SELECT 'loyalty', id, created_at, 9 FROM loyalty_entry
            ) ORDER BY recorded_at, rank, local_id
            """)
        var queued = Int64(db.changesCount)
        // The signed journal from its first entry, in its own order: HQ checks each entry follows the one before.
        // Recorded as sent now: the entries' own times are the history's, which HQ would read as a clock behind.
        try db.execute(sql: """
            INSERT INTO chain_outbox(kind, local_id, recorded_at)
            SELECT 'journal', seq, strftime('%Y-%m-%d %H:%M:%f', 'now') FROM journal_entry WHERE hash IS NOT NULL ORDER BY seq
            """)
        queued += Int64(db.changesCount)
        try fillPending(db)
        return queued
    }

    /// Events after `seq`, oldest first, at most `limit`.
    public static func events(_ store: StoreDatabase, after seq: Int64, limit: Int) throws -> [OutboxEvent] {
        try store.read { db in try events(db, after: seq, limit: limit) }
    }

    static func events(_ db: Database, after seq: Int64, limit: Int) throws -> [OutboxEvent] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT seq, event_id, kind, schema_version, recorded_at, payload FROM chain_outbox
            WHERE seq > ? AND payload IS NOT NULL ORDER BY seq LIMIT ?
            """), arguments: [seq, limit]).map { row in
            let recorded: String = row["recorded_at"]
            return OutboxEvent(seq: row["seq"], eventID: row["event_id"], kind: row["kind"], schemaVersion: row["schema_version"],
                               recordedAt: iso(recorded), payload: row["payload"])
        }
    }

    public static func count(_ store: StoreDatabase) throws -> Int64 {
        try store.read { db in try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM chain_outbox") ?? 0 }
    }

    static func unacknowledgedCount(_ db: Database, after seq: Int64) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM chain_outbox WHERE seq > ?"), arguments: [seq]) ?? 0
    }

    /// SQLite's `2026-12-01 09:30:00.000` (UTC) as ISO 8601.
    static func iso(_ stored: String) -> String {
        stored.contains("T") ? stored : stored.replacingOccurrences(of: " ", with: "T") + "Z"
    }

    private static func isoSQL(_ column: String) -> String { "(replace(\(column), ' ', 'T') || 'Z')" }

    /// Each kind's complete fact, built by SQLite's JSON functions: names as HQ stores them, money in minor units.
    static let payloadSQL: [String: String] = [
        "sale": """
            SELECT json_object(
                'order_id', o.id, 'number', o.number, 'register', o.register, 'currency', o.currency,
                'tax_inclusive', o.tax_inclusive, 'subtotal', o.subtotal, 'discount_total', o.discount_total,
                'tax_total', o.tax_total, 'total', o.total, 'cash_rounding', o.cash_rounding,
                'completed_at', \(isoSQL("o.completed_at")), 'business_day', o.business_day,
                'staff', (SELECT username FROM staff WHERE id = o.staff_id), 'customer_id', o.customer_id,
                'customer', (SELECT global_id FROM customer WHERE id = o.customer_id),
                'reference_version', (SELECT reference_version FROM chain_store WHERE id = 1),
                'lines', (SELECT json_group_array(json(line)) FROM (
                    SELECT json_object('position', l.position, 'sku', l.sku, 'name', l.name, 'category', c.name,
                        'quantity_milli', l.quantity_milli, 'unit_price', l.unit_price, 'discount', l.discount,
                        'tax_class', l.tax_class, 'tax_rate_ppm', l.tax_rate_ppm, 'tax', l.tax, 'total', l.total,
                        'unit_cost', l.unit_cost, 'reference_version', l.reference_version) AS line
                    FROM order_line l LEFT JOIN category c ON c.id = l.category_id WHERE l.order_id = o.id ORDER BY l.position)),
                'payments', (SELECT json_group_array(json(p)) FROM (
                    SELECT json_object('method', method, 'amount', amount, 'tendered', tendered, 'change', change,
                        'status', status, 'card_brand', card_brand, 'card_last4', card_last4) AS p
                    FROM payment WHERE order_id = o.id AND status <> 'voided' ORDER BY id)))
            FROM orders o WHERE o.id = ?
            """,
        "refund": """
            SELECT json_object(
                'refund_id', r.id, 'kind', r.kind, 'order_number', (SELECT number FROM orders WHERE id = r.order_id),
                'register', r.register, 'destination', r.destination, 'amount', r.amount, 'tax', r.tax, 'reason', r.reason,
                'completed_at', \(isoSQL("COALESCE(r.completed_at, r.created_at)")), 'business_day', r.business_day,
                'currency', (SELECT value FROM store_setting WHERE key = 'currency'),
                'staff', (SELECT username FROM staff WHERE id = r.staff_id),
                'approved_by', (SELECT username FROM staff WHERE id = r.approved_by),
                'return_claim', (SELECT claim_id FROM chain_return WHERE refund_id = r.id),
                'sold_as', (SELECT origin FROM chain_return WHERE refund_id = r.id),
                'lines', (SELECT json_group_array(json(line)) FROM (
                    SELECT json_object('sku', rl.sku, 'name', rl.name, 'category', c.name, 'quantity_milli', rl.quantity_milli,
                        'amount', rl.amount, 'tax', rl.tax, 'restocked', rl.restocked) AS line
                    FROM refund_line rl JOIN variant v ON v.id = rl.variant_id JOIN product p ON p.id = v.product_id
                    LEFT JOIN category c ON c.id = p.category_id WHERE rl.refund_id = r.id ORDER BY rl.id)),
                'tenders', (SELECT json_group_array(json(t)) FROM (
                    SELECT json_object('method', method, 'amount', amount, 'status', status) AS t
                    FROM refund_tender WHERE refund_id = r.id ORDER BY id)))
            FROM refund r WHERE r.id = ?
            """,
        "stock": """
            SELECT json_object('movement_id', m.id, 'sku', v.sku, 'location', l.code, 'delta_milli', m.delta_milli,
                'reason', m.reason, 'reference', m.reference, 'note', m.note,
                'staff', (SELECT username FROM staff WHERE id = m.staff_id), 'created_at', \(isoSQL("m.created_at")))
            FROM stock_movement m JOIN variant v ON v.id = m.variant_id JOIN location l ON l.id = m.location_id WHERE m.id = ?
            """,
        "cash": """
            SELECT json_object('movement_id', c.id, 'register', s.register, 'shift_id', c.shift_id, 'kind', c.kind,
                'amount', c.amount, 'reason', c.reason, 'business_day', c.business_day,
                'staff', (SELECT username FROM staff WHERE id = c.staff_id),
                'approved_by', (SELECT username FROM staff WHERE id = c.approved_by), 'created_at', \(isoSQL("c.created_at")))
            FROM cash_movement c JOIN shift s ON s.id = c.shift_id WHERE c.id = ?
            """,
        "shift": """
            SELECT json_object('shift_id', id, 'register', register, 'business_day', business_day,
                'opened_at', \(isoSQL("opened_at")), 'closed_at', \(isoSQL("closed_at")), 'opening_float', opening_float,
                'expected_cash', expected_cash, 'counted_cash', counted_cash,
                'opened_by', (SELECT username FROM staff WHERE id = opened_by),
                'closed_by', (SELECT username FROM staff WHERE id = closed_by))
            FROM shift WHERE id = ?
            """,
        "z_report": """
            SELECT json_object('number', number, 'business_day', business_day, 'closed_at', \(isoSQL("closed_at")),
                'closed_by', (SELECT username FROM staff WHERE id = closed_by), 'figures', json(figures))
            FROM z_report WHERE number = ?
            """,
        "audit": """
            SELECT json_object('audit_id', id, 'at', \(isoSQL("at")), 'action', action, 'entity', entity,
                'entity_id', entity_id, 'before', before, 'after', after, 'note', note,
                'staff', (SELECT username FROM staff WHERE id = staff_id))
            FROM audit_log WHERE id = ?
            """,
        "credit": """
            SELECT json_object('entry_id', e.id, 'account', a.code, 'currency', a.currency, 'delta', e.delta, 'reason', e.reason,
                'order_number', (SELECT number FROM orders WHERE id = e.order_id), 'refund_id', e.refund_id,
                'staff', (SELECT username FROM staff WHERE id = e.staff_id), 'created_at', \(isoSQL("e.created_at")),
                'hold_id', e.hq_hold, 'offline', e.offline)
            FROM credit_entry e JOIN credit_account a ON a.id = e.account_id WHERE e.id = ?
            """,
        "customer": """
            SELECT json_object('global_id', global_id, 'name', name, 'email', email, 'phone', phone, 'phone_digits', phone_digits)
            FROM customer WHERE id = ?
            """,
        "loyalty": """
            SELECT json_object('entry_id', e.id, 'customer', c.global_id, 'points', e.points, 'reason', e.reason,
                'order_number', (SELECT number FROM orders WHERE id = e.order_id), 'refund_id', e.refund_id,
                'created_at', \(isoSQL("e.created_at")), 'hold_id', e.hq_hold)
            FROM loyalty_entry e JOIN customer c ON c.id = e.customer_id WHERE e.id = ?
            """,
    ]
}
