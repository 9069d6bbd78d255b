import Foundation
import GRDB

/// A price change HQ published ahead of time ("from Monday 06:00"), as this store has it: the shelf label to
/// change, before and after it takes effect.
public struct ScheduledPrice: Equatable, Sendable {
    public var sku: String
    public var name: String
    /// The shelf price before the change (the catalog's now, until it is applied).
    public var oldPrice: Int64
    public var newPrice: Int64
    /// When it takes effect: HQ's wall-clock time read in this store's time zone.
    public var effectiveAt: Date
    public var appliedAt: Date?
    public var version: Int64
}

/// Prices pushed by HQ with an effective time (migration `v17-chain-prices`). A chain version carries them as
/// `price_schedule` changes; the store keeps each until its moment and then changes the shelf price in one
/// transaction — the sync agent (every round, even while HQ is unreachable) and the app's five-second tick both
/// look, so a till changes price within seconds of the time. Every change, upcoming or applied, is the store's
/// list of shelf labels to change (`till prices changes`).
public enum ChainPrices {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE scheduled_price (
                id INTEGER PRIMARY KEY,
                sku TEXT NOT NULL,
                price INTEGER NOT NULL CHECK (price >= 0),
                effective_at DATETIME NOT NULL,
                version INTEGER NOT NULL,
                old_price INTEGER,
                -- HQ's catalog price when the schedule arrived: a later product change still carrying it (a rename,
                -- a new barcode) is not a price change, and must not undo the schedule once it is in effect.
                catalog_price INTEGER,
                applied_at DATETIME,
                UNIQUE (version, sku)
            );
            CREATE INDEX scheduled_price_due ON scheduled_price(effective_at) WHERE applied_at IS NULL;
            """)
    }

    /// HQ's wall-clock time (`2026-12-07T06:00`) in the store's zone.
    static func effectiveDate(_ text: String, in zone: TimeZone) throws -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        throw TillError.invalid("HQ's price schedule has a time this Till cannot read: \"\(text)\"")
    }

    /// Keeps a scheduled price of a chain version (inside the version's transaction).
    static func schedule(_ db: Database, _ change: ReferenceChange, version: Int64) throws {
        guard let price = change.data.price, let when = change.data.effectiveFrom else {
            throw TillError.invalid("HQ's chain version \(version): the price schedule for \(change.key) lacks a price or a time")
        }
        let zone = try StoreSettings.load(db).timeZone
        try db.execute(sql: """
            INSERT OR IGNORE INTO scheduled_price(sku, price, effective_at, version, catalog_price)
            VALUES (?, ?, ?, ?, (SELECT price FROM variant WHERE sku = ? COLLATE NOCASE))
            """, arguments: [change.key, price, try effectiveDate(when, in: zone), version, change.key])
    }

    /// The shelf price for a product change of HQ's catalog: its price, unless a schedule already in effect
    /// replaced the very price it still carries (HQ's catalog keeps the old one; the schedule is newer).
    static func shelfPrice(_ db: Database, sku: String, catalogPrice: Int64) throws -> Int64 {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT price, catalog_price FROM scheduled_price
            WHERE sku = ? COLLATE NOCASE AND applied_at IS NOT NULL ORDER BY effective_at DESC, version DESC LIMIT 1
            """, arguments: [sku]) else { return catalogPrice }
        let replaced: Int64? = row["catalog_price"]
        return replaced == catalogPrice ? row["price"] : catalogPrice
    }

    /// Changes the shelf price of everything whose time has come; returns how many. Cheap when nothing is due.
    @discardableResult
    public static func applyDue(_ store: StoreDatabase, now: Date) throws -> Int {
        let due = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scheduled_price WHERE applied_at IS NULL AND effective_at <= ?", arguments: [now]) ?? 0
        }
        guard due > 0 else { return 0 }
        return try store.write { db in
            var applied = 0
            // Oldest first: of two schedules for one SKU, the later one is the price that stays.
            for row in try Row.fetchAll(db, sql: """
                SELECT s.id, s.sku, s.price, v.id AS variant_id, v.price AS old FROM scheduled_price s
                LEFT JOIN variant v ON v.sku = s.sku COLLATE NOCASE
                WHERE s.applied_at IS NULL AND s.effective_at <= ? ORDER BY s.effective_at, s.version
                """, arguments: [now]) {
                let id: Int64 = row["id"]
                guard let variantID = row["variant_id"] as Int64? else {
                    // A SKU this store does not have: nothing to change on its shelves.
                    try db.execute(sql: "UPDATE scheduled_price SET applied_at = ? WHERE id = ?", arguments: [now, id])
                    continue
                }
                let old: Int64 = row["old"], price: Int64 = row["price"]
                try db.execute(sql: "UPDATE variant SET price = ? WHERE id = ?", arguments: [price, variantID])
                try db.execute(sql: "UPDATE scheduled_price SET applied_at = ?, old_price = ? WHERE id = ?", arguments: [now, old, id])
                try AuditLog.record(db, action: "price.scheduled", entity: "variant", entityID: variantID,
                                    before: ["price": String(old)], after: ["price": String(price), "sku": row["sku"] as String],
                                    staffID: nil, note: "HQ's price from its scheduled time", at: now)
                applied += 1
            }
            return applied
        }
    }

    /// The shelf labels to change: every scheduled price, upcoming and applied, newest time first.
    public static func changes(_ store: StoreDatabase, since: Date? = nil) throws -> [ScheduledPrice] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.sku, COALESCE(p.name, s.sku) AS name, COALESCE(s.old_price, v.price, 0) AS old_price, s.price,
                       s.effective_at, s.applied_at, s.version
                FROM scheduled_price s LEFT JOIN variant v ON v.sku = s.sku COLLATE NOCASE LEFT JOIN product p ON p.id = v.product_id
                WHERE ? IS NULL OR s.effective_at >= ?
                ORDER BY s.effective_at DESC, s.sku
                """, arguments: [since, since]).map { row in
                ScheduledPrice(sku: row["sku"], name: row["name"], oldPrice: row["old_price"], newPrice: row["price"],
                               effectiveAt: row["effective_at"], appliedAt: row["applied_at"], version: row["version"])
            }
        }
    }
}
