import Foundation
import GRDB

/// Customers and loyalty points across a chain (migration `v17-chain-customers`).
///
/// Every customer gets a global id when created — at any store, online or offline — so HQ can tell the same
/// person apart from a namesake and put their purchases from every store together; HQ suggests duplicates by
/// phone or email and a person merges them there. New and changed customers and each sale's customer reach HQ
/// through the outbox.
///
/// Loyalty points (when HQ publishes a scheme) are earned on what a sale's customer paid other than with a
/// gift card or store credit, written in the sale's own transaction (`loyalty_entry`), taken back by a refund
/// in proportion, and held at HQ like gift cards: the ledger of every store's entries is the balance.
public enum ChainCustomers {
    /// A random (version 4) UUID in SQL, for customers created by any path (import, the demo, the app).
    static let uuidSQL = """
        lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
        || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))
        """

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE customer ADD COLUMN global_id TEXT;
            UPDATE customer SET global_id = \(uuidSQL);
            CREATE UNIQUE INDEX customer_global ON customer(global_id);
            CREATE TRIGGER customer_global_id AFTER INSERT ON customer WHEN NEW.global_id IS NULL
            BEGIN UPDATE customer SET global_id = \(uuidSQL) WHERE id = NEW.id; END;

            CREATE TABLE loyalty_entry (
                id INTEGER PRIMARY KEY,
                customer_id INTEGER NOT NULL REFERENCES customer(id) ON DELETE RESTRICT,
                points INTEGER NOT NULL CHECK (points <> 0),
                reason TEXT NOT NULL CHECK (reason IN ('earn', 'refund', 'adjust')),
                order_id INTEGER REFERENCES orders(id) ON DELETE RESTRICT,
                refund_id INTEGER REFERENCES refund(id) ON DELETE RESTRICT,
                created_at DATETIME NOT NULL
            );
            CREATE INDEX loyalty_entry_customer ON loyalty_entry(customer_id);
            CREATE INDEX loyalty_entry_order ON loyalty_entry(order_id) WHERE order_id IS NOT NULL;
            CREATE TRIGGER loyalty_entry_no_update BEFORE UPDATE ON loyalty_entry
            BEGIN SELECT RAISE(ABORT, 'loyalty_entry is append-only'); END;
            CREATE TRIGGER loyalty_entry_no_delete BEFORE DELETE ON loyalty_entry
            BEGIN SELECT RAISE(ABORT, 'loyalty_entry is append-only'); END;
            -- HQ's balance for a customer as last heard, and how far HQ had this store's events then.
            CREATE TABLE loyalty_balance (
                customer_id INTEGER PRIMARY KEY REFERENCES customer(id) ON DELETE CASCADE,
                points INTEGER NOT NULL,
                as_of_seq INTEGER NOT NULL,
                looked_up_at DATETIME NOT NULL
            );

            -- The outbox learns two kinds: SQLite cannot change a CHECK, so the table is rebuilt (its triggers go
            -- with the old table before anything is deleted, so none fires) with every event and number kept.
            CREATE TABLE chain_outbox_new (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'stock', 'cash', 'shift', 'z_report', 'audit', 'credit',
                                                   'customer', 'loyalty')),
                local_id INTEGER NOT NULL,
                recorded_at DATETIME NOT NULL,
                event_id TEXT UNIQUE,
                schema_version INTEGER,
                payload TEXT
            );
            INSERT INTO chain_outbox_new(seq, kind, local_id, recorded_at, event_id, schema_version, payload)
            SELECT seq, kind, local_id, recorded_at, event_id, schema_version, payload FROM chain_outbox ORDER BY seq;
            DROP TABLE chain_outbox;
            -- The fact tables' triggers name chain_outbox: in legacy mode the rename leaves them as they are (they
            -- then write to the new table) instead of refusing while the name is briefly missing.
            PRAGMA legacy_alter_table = ON;
            ALTER TABLE chain_outbox_new RENAME TO chain_outbox;
            PRAGMA legacy_alter_table = OFF;
            CREATE INDEX chain_outbox_pending ON chain_outbox(seq) WHERE payload IS NULL;
            CREATE TRIGGER chain_outbox_no_delete BEFORE DELETE ON chain_outbox
            BEGIN SELECT RAISE(ABORT, 'chain_outbox is append-only'); END;
            CREATE TRIGGER chain_outbox_fill_once BEFORE UPDATE ON chain_outbox WHEN OLD.payload IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'chain_outbox is append-only: an event is never changed once written'); END;

            CREATE TRIGGER chain_customer AFTER INSERT ON customer WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('customer', NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now')); END;
            CREATE TRIGGER chain_customer_changed AFTER UPDATE OF name, email, phone ON customer WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('customer', NEW.id, strftime('%Y-%m-%d %H:%M:%f', 'now')); END;
            CREATE TRIGGER chain_loyalty AFTER INSERT ON loyalty_entry WHEN EXISTS (SELECT 1 FROM chain_store)
            BEGIN INSERT INTO chain_outbox(kind, local_id, recorded_at) VALUES ('loyalty', NEW.id, NEW.created_at); END;

            -- A store already in a chain sends the customers it has, so HQ knows them by their ids from now on.
            INSERT INTO chain_outbox(kind, local_id, recorded_at)
            SELECT 'customer', id, strftime('%Y-%m-%d %H:%M:%f', 'now') FROM customer WHERE EXISTS (SELECT 1 FROM chain_store)
            ORDER BY id;
            """)
        try ChainOutbox.fillPending(db)
    }

    /// Adds a customer (at the counter or the command line); the global id comes with it.
    public static func add(_ store: StoreDatabase, name: String, email: String?, phone: String?, _ ctx: TillContext) throws -> Customer {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TillError.invalid("a customer needs a name") }
        for (field, value) in [("The name", trimmed), ("The email", email ?? ""), ("The phone", phone ?? "")] {
            try CardNumberGuard.check(value, field: field)
        }
        if let email, !email.isEmpty, !email.contains("@") { throw TillError.invalid("\"\(email)\" is not an email address") }
        return try store.write { db in
            // A cashier signs up a customer at the counter; the store's owner at a shell may too.
            try Permissions.requireIfSignedIn(db, .sell, staffID: ctx.staffID)
            if let email, !email.isEmpty,
               try Customer.filter(sql: "email = ? COLLATE NOCASE", arguments: [email]).fetchCount(db) > 0 {
                throw TillError.invalid("a customer with email \(email) exists already")
            }
            var customer = Customer(name: trimmed, email: email, phone: phone)
            try customer.insert(db)
            try AuditLog.record(db, action: "customer.add", entity: "customer", entityID: customer.id, before: nil,
                                after: ["name": trimmed], staffID: ctx.staffID, at: ctx.now)
            return customer
        }
    }

    static func globalID(_ db: Database, customerID: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT global_id FROM customer WHERE id = ?", arguments: [customerID])
    }
}

/// Loyalty points at a chain store: earning and taking back (in the sale's and refund's transactions), and
/// the balance as HQ holds it.
public enum ChainLoyalty {
    /// Points earned on a completed sale, written in its transaction. Only in a chain store with a scheme and a
    /// customer on the sale; paid with gift cards or store credit earns nothing.
    static func earn(_ db: Database, orderID: Int64, at date: Date) throws {
        guard try ChainStore.membership(db) != nil else { return }
        let settings = try StoreSettings.load(db)
        guard settings.loyaltyEarnPerUnit > 0,
              let customerID = try Int64.fetchOne(db, sql: "SELECT customer_id FROM orders WHERE id = ?", arguments: [orderID]) else { return }
        let eligible = try Int64.fetchOne(db, sql: """
            SELECT o.total - COALESCE((SELECT SUM(p.amount) FROM payment p WHERE p.order_id = o.id AND p.method IN ('credit', 'points')
                                       AND p.status = 'captured'), 0)
            FROM orders o WHERE o.id = ?
            """, arguments: [orderID]) ?? 0
        let points = points(for: eligible, settings: settings)
        guard points > 0 else { return }
        try db.execute(sql: "INSERT INTO loyalty_entry(customer_id, points, reason, order_id, created_at) VALUES (?, ?, 'earn', ?, ?)",
                       arguments: [customerID, points, orderID, date])
    }

    /// Whole units of the currency spent × points per unit, rounded down.
    static func points(for minorUnits: Int64, settings: StoreSettings) -> Int64 {
        guard minorUnits > 0 else { return 0 }
        var unit: Int64 = 1
        for _ in 0..<settings.currency.exponent { unit *= 10 }
        return minorUnits / unit * settings.loyaltyEarnPerUnit
    }

    /// A refund takes back the points its share of the sale earned (never more than the sale earned).
    static func takeBack(_ db: Database, refundID: Int64, at date: Date) throws {
        guard try ChainStore.membership(db) != nil else { return }
        guard let row = try Row.fetchOne(db, sql: """
            SELECT r.order_id, r.amount, o.total, o.customer_id FROM refund r JOIN orders o ON o.id = r.order_id WHERE r.id = ?
            """, arguments: [refundID]),
            let orderID = row["order_id"] as Int64?, let customerID = row["customer_id"] as Int64? else { return }
        let earned = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE order_id = ? AND reason = 'earn'",
                                        arguments: [orderID]) ?? 0
        let takenBack = try Int64.fetchOne(db, sql: "SELECT COALESCE(-SUM(points), 0) FROM loyalty_entry WHERE order_id = ? AND reason = 'refund'",
                                           arguments: [orderID]) ?? 0
        let total: Int64 = row["total"], amount: Int64 = row["amount"]
        guard earned > takenBack, total > 0 else { return }
        // The share of the sale refunded, rounded up: a whole refund takes back every point.
        let share = (earned * amount + total - 1) / total
        let back = min(earned - takenBack, share)
        guard back > 0 else { return }
        try db.execute(sql: """
            INSERT INTO loyalty_entry(customer_id, points, reason, order_id, refund_id, created_at) VALUES (?, ?, 'refund', ?, ?, ?)
            """, arguments: [customerID, -back, orderID, refundID, date])
    }

    /// Points a sale earned (for its receipt).
    public static func earned(_ db: Database, orderID: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(points), 0) FROM loyalty_entry WHERE order_id = ? AND reason = 'earn'",
                           arguments: [orderID]) ?? 0
    }

    /// The balance as far as this store knows: HQ's figure when it was last asked, plus this store's entries HQ
    /// had not yet received then. nil: never asked.
    public static func knownBalance(_ db: Database, customerID: Int64) throws -> Int64? {
        guard let row = try Row.fetchOne(db, sql: "SELECT points, as_of_seq FROM loyalty_balance WHERE customer_id = ?",
                                         arguments: [customerID]) else { return nil }
        let after: Int64 = row["as_of_seq"]
        let unsent = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(e.points), 0) FROM loyalty_entry e
            JOIN chain_outbox o ON o.kind = 'loyalty' AND o.local_id = e.id
            WHERE e.customer_id = ? AND o.seq > ?
            """, arguments: [customerID, after]) ?? 0
        return (row["points"] as Int64) + unsent
    }

    /// When a customer is named for a sale in a chain store with a scheme: HQ's balance, remembered so the
    /// receipt can show it. Offline this is skipped — the receipt then shows the points earned only.
    public static func refreshForSale(_ store: StoreDatabase, customerID: Int64?, _ ctx: TillContext) {
        guard let customerID, ctx.headOffice != nil,
              (try? store.read({ db in try StoreSettings.load(db).loyaltyEarnPerUnit })) ?? 0 > 0 else { return }
        _ = try? refresh(store, customerID: customerID, ctx)
    }

    /// Asks HQ for a customer's balance (every store's points) and remembers it for receipts.
    @discardableResult
    public static func refresh(_ store: StoreDatabase, customerID: Int64, _ ctx: TillContext) throws -> Int64 {
        guard let office = ctx.headOffice else { throw HeadOfficeUnreachable("this till has no line to head office") }
        guard let global = try store.read({ db in try ChainCustomers.globalID(db, customerID: customerID) }) else {
            throw TillError.notFound("customer #\(customerID)")
        }
        let balance = try office.loyaltyBalance(customer: global)
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO loyalty_balance(customer_id, points, as_of_seq, looked_up_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(customer_id) DO UPDATE SET points = excluded.points, as_of_seq = excluded.as_of_seq,
                    looked_up_at = excluded.looked_up_at
                """, arguments: [customerID, balance.points, balance.acknowledged, ctx.now])
        }
        return balance.points
    }
}

/// A customer's points at HQ, and how far HQ had this store's events when it answered.
public struct LoyaltyAtHeadOffice: Equatable, Sendable {
    public var points: Int64
    public var acknowledged: Int64
    /// Points being spent at a till right now (held at HQ, not yet captured).
    public var held: Int64
    public init(points: Int64, acknowledged: Int64, held: Int64 = 0) {
        self.points = points
        self.acknowledged = acknowledged
        self.held = held
    }
}

/// One purchase of a customer at any store, as HQ has it.
public struct ChainPurchase: Equatable, Sendable {
    public var store: String
    public var number: Int64
    public var completedAt: Date?
    public var total: Int64
    public var items: Int
    public init(store: String, number: Int64, completedAt: Date?, total: Int64, items: Int) {
        self.store = store
        self.number = number
        self.completedAt = completedAt
        self.total = total
        self.items = items
    }
}
