import Foundation
import GRDB

/// One counted SKU and what the count found.
public struct CountVariance: Equatable, Sendable, FetchableRecord {
    public var sku: String
    public var name: String
    public var expected: Quantity
    public var counted: Quantity
    public var variance: Quantity { counted - expected }
    /// Variance × unit cost (minor units; zero when the SKU has no cost).
    public var value: Int64

    public init(row: Row) {
        sku = row["sku"]
        name = row["name"]
        expected = Quantity(milli: row["expected"])
        counted = Quantity(milli: row["counted"])
        let cost: Int64 = row["cost"] ?? 0
        value = ((counted.milli - expected.milli) * cost) / Quantity.scale
    }
}

/// Cycle counts. A count covers one location (optionally one category). Each SKU counted records on-hand at
/// that moment, and its correction is counted − that figure; sales rung up while the count is open have
/// already moved on-hand and are not counted twice. Applying writes every correction in one transaction.
public struct StockCounts: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func start(location: String = Location.floorCode, category: String? = nil, _ ctx: TillContext) throws -> Int64 {
        let staffID = ctx.staffID
        let date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: staffID)
            let place = try Location.named(db, code: location)
            var categoryID: Int64?
            if let category {
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE name = ? COLLATE NOCASE",
                                                  arguments: [category]) else {
                    throw TillError.notFound("category \"\(category)\"")
                }
                categoryID = id
            }
            try db.execute(sql: """
                INSERT INTO stock_count(status, location_id, category_id, started_at, staff_id) VALUES ('open', ?, ?, ?, ?)
                """, arguments: [place.id, categoryID, date, staffID])
            let id = db.lastInsertedRowID
            try AuditLog.record(db, action: "count.start", entity: "stock_count", entityID: id, before: nil,
                                after: ["location": place.code, "category": category ?? ""], staffID: staffID, at: date)
            return id
        }
    }

    /// The open count of a location, if one is under way.
    public func openCount(location: String) throws -> Int64? {
        try store.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT c.id FROM stock_count c JOIN location l ON l.id = c.location_id
                WHERE c.status = 'open' AND l.code = ? COLLATE NOCASE ORDER BY c.id DESC LIMIT 1
                """, arguments: [location])
        }
    }

    /// Records a counted quantity (counting the same SKU again replaces it).
    public func set(countID: Int64, sku: String, counted: Quantity, _ ctx: TillContext) throws {
        let date = ctx.now
        guard counted.milli >= 0 else { throw TillError.invalidQuantity(counted.description, reason: "a count cannot be negative") }
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            let (locationID, categoryID) = try StockCounts.openCount(db, countID)
            let variant = try StockOperations.variant(db, sku: sku)
            try StockOperations.requireUnit(db, variant, counted)
            if let categoryID {
                let inCategory = try Int64.fetchOne(db, sql: "SELECT category_id FROM product WHERE id = ?",
                                                    arguments: [variant.productID]) == categoryID
                guard inCategory else { throw TillError.invalid("\(variant.sku) is not in this count's category") }
            }
            let onHand = try StockOperations.onHand(db, variant.id ?? 0, locationID)
            try db.execute(sql: """
                INSERT INTO stock_count_line(count_id, variant_id, counted_milli, on_hand_at_count_milli, counted_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(count_id, variant_id) DO UPDATE SET counted_milli = excluded.counted_milli,
                    on_hand_at_count_milli = excluded.on_hand_at_count_milli, counted_at = excluded.counted_at
                """, arguments: [countID, variant.id, counted.milli, onHand.milli, date])
        }
    }

    /// What the count found so far: every counted SKU with expected, counted, variance and its value.
    public func variances(countID: Int64) throws -> [CountVariance] {
        try store.read { db in try StockCounts.variances(db, countID: countID) }
    }

    static func variances(_ db: Database, countID: Int64) throws -> [CountVariance] {
        try CountVariance.fetchAll(db, sql: """
            SELECT v.sku, p.name || CASE WHEN v.option <> '' THEN ' — ' || v.option ELSE '' END AS name,
                   l.on_hand_at_count_milli AS expected, l.counted_milli AS counted, v.cost
            FROM stock_count_line l JOIN variant v ON v.id = l.variant_id JOIN product p ON p.id = v.product_id
            WHERE l.count_id = ? ORDER BY v.sku
            """, arguments: [countID])
    }

    /// Writes every variance as a `count` movement and closes the count; returns the variances applied.
    @discardableResult
    public func apply(countID: Int64, _ ctx: TillContext) throws -> [CountVariance] {
        let staffID = ctx.staffID
        let date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: staffID)
            let (locationID, _) = try StockCounts.openCount(db, countID)
            let lines = try Row.fetchAll(db, sql: """
                SELECT variant_id, counted_milli - on_hand_at_count_milli AS delta FROM stock_count_line WHERE count_id = ?
                """, arguments: [countID])
            for line in lines where (line["delta"] as Int64) != 0 {
                try Inventory.record(db, variantID: line["variant_id"], locationID: locationID,
                                     delta: Quantity(milli: line["delta"]), reason: .count, staffID: staffID,
                                     reference: "count:\(countID)", at: date)
            }
            try db.execute(sql: "UPDATE stock_count SET status = 'applied', finished_at = ? WHERE id = ?", arguments: [date, countID])
            let applied = try StockCounts.variances(db, countID: countID)
            try AuditLog.record(db, action: "count.apply", entity: "stock_count", entityID: countID, before: nil,
                                after: applied.filter { $0.variance.milli != 0 }.map { ["sku": $0.sku, "variance": $0.variance.description] },
                                staffID: staffID, at: date)
            return applied
        }
    }

    public func cancel(countID: Int64, _ ctx: TillContext) throws {
        let staffID = ctx.staffID
        let date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: staffID)
            _ = try StockCounts.openCount(db, countID)
            try db.execute(sql: "UPDATE stock_count SET status = 'cancelled', finished_at = ? WHERE id = ?", arguments: [date, countID])
            try AuditLog.record(db, action: "count.cancel", entity: "stock_count", entityID: countID, before: nil, after: nil,
                                staffID: staffID, at: date)
        }
    }

    static func openCount(_ db: Database, _ countID: Int64) throws -> (locationID: Int64, categoryID: Int64?) {
        guard let row = try Row.fetchOne(db, sql: "SELECT status, location_id, category_id FROM stock_count WHERE id = ?",
                                         arguments: [countID]) else {
            throw TillError.notFound("count #\(countID)")
        }
        guard (row["status"] as String) == "open" else {
            throw TillError.invalid("count #\(countID) is \(row["status"] as String), not open")
        }
        return (row["location_id"], row["category_id"])
    }
}
