import Foundation
import GRDB

/// Stock per SKU and location, as the ledger says.
public struct StockLevelRow: Equatable, Sendable, FetchableRecord {
    public var variantID: Int64
    public var sku: String
    public var name: String
    public var locationCode: String
    public var onHand: Quantity
    public var reorderPoint: Quantity
    public var unit: SaleUnit

    public var isLow: Bool { onHand <= reorderPoint }

    public init(row: Row) {
        variantID = row["variant_id"]
        sku = row["sku"]
        let product: String = row["product_name"]
        let option: String = row["option"]
        name = option.isEmpty ? product : "\(product) — \(option)"
        locationCode = row["location"]
        onHand = Quantity(milli: row["on_hand_milli"] ?? 0)
        reorderPoint = Quantity(milli: row["reorder_point_milli"])
        unit = SaleUnit(rawValue: row["unit"]) ?? .each
    }
}

/// A ledger row as people read it: when, where, how much, why, who.
public struct MovementRow: Equatable, Sendable, FetchableRecord {
    public var id: Int64
    public var createdAt: Date
    public var locationCode: String
    public var delta: Quantity
    public var reason: StockReason
    public var staff: String?
    public var reference: String?
    public var note: String?

    public init(row: Row) {
        id = row["id"]
        createdAt = row["created_at"]
        locationCode = row["location"]
        delta = Quantity(milli: row["delta_milli"])
        reason = StockReason(rawValue: row["reason"]) ?? .other
        staff = row["staff"]
        reference = row["reference"]
        note = row["note"]
    }
}

public struct Inventory: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// Appends one movement to the ledger (on-hand follows through the ledger's trigger).
    @discardableResult
    static func record(_ db: Database, variantID: Int64, locationID: Int64, delta: Quantity, reason: StockReason,
                       staffID: Int64?, reference: String?, note: String? = nil, at date: Date) throws -> StockMovement {
        var movement = StockMovement(variantID: variantID, locationID: locationID, delta: delta, reason: reason,
                                     staffID: staffID, reference: reference, note: note, createdAt: date)
        try movement.insert(db)
        return movement
    }

    public func onHand(variantID: Int64, location: String) throws -> Quantity {
        try store.read { db in
            let milli = try Int64.fetchOne(db, sql: """
                SELECT l.on_hand_milli FROM stock_level l JOIN location loc ON loc.id = l.location_id
                WHERE l.variant_id = ? AND loc.code = ? COLLATE NOCASE
                """, arguments: [variantID, location])
            return Quantity(milli: milli ?? 0)
        }
    }

    /// Stock levels, one row per SKU and location, in SKU order; optionally only SKUs at or below reorder point.
    public func levels(location: String? = nil, lowOnly: Bool = false, search: String? = nil,
                       limit: Int = 100, offset: Int = 0) throws -> [StockLevelRow] {
        try store.read { db in
            // The open-price item (misc_sku) stands for things not in the catalog: it has no stock to list.
            var conditions = [OpenPriceEntry.notMiscSKU]
            var arguments: StatementArguments = []
            if let location {
                conditions.append("loc.code = ? COLLATE NOCASE")
                arguments += [location]
            }
            if lowOnly { conditions.append("COALESCE(l.on_hand_milli, 0) <= v.reorder_point_milli") }
            if let search, let pattern = FTS5Pattern(matchingAllPrefixesIn: search) {
                conditions.append("v.id IN (SELECT rowid FROM variant_search WHERE variant_search MATCH ?)")
                arguments += [pattern]
            }
            let filter = "WHERE " + conditions.joined(separator: " AND ")
            return try StockLevelRow.fetchAll(db, sql: """
                SELECT v.id AS variant_id, v.sku, p.name AS product_name, v.option, loc.code AS location,
                       l.on_hand_milli, v.reorder_point_milli, p.unit
                FROM variant v
                JOIN product p ON p.id = v.product_id
                CROSS JOIN location loc
                LEFT JOIN stock_level l ON l.variant_id = v.id AND l.location_id = loc.id
                \(filter)
                ORDER BY v.sku, loc.id
                LIMIT ? OFFSET ?
                """, arguments: arguments + [limit, offset])
        }
    }

    /// The ledger of one SKU, newest first.
    public func movements(variantID: Int64, limit: Int = 50) throws -> [MovementRow] {
        try store.read { db in try movements(db, variantID: variantID, limit: limit) }
    }

    func movements(_ db: Database, variantID: Int64, limit: Int) throws -> [MovementRow] {
            try MovementRow.fetchAll(db, sql: """
                SELECT m.id, m.created_at, loc.code AS location, m.delta_milli, m.reason, s.username AS staff,
                       m.reference, m.note
                FROM stock_movement m
                JOIN location loc ON loc.id = m.location_id
                LEFT JOIN staff s ON s.id = m.staff_id
                WHERE m.variant_id = ?
                ORDER BY m.created_at DESC, m.id DESC
                LIMIT ?
                """, arguments: [variantID, limit])
    }

    public func locations() throws -> [Location] {
        try store.read { db in try Location.order(Column("id")).fetchAll(db) }
    }

    /// Sets on-hand at a location to `target` by recording the difference (nothing when already equal).
    static func setOnHand(_ db: Database, variantID: Int64, locationID: Int64, to target: Quantity,
                          reason: StockReason, staffID: Int64?, reference: String?, at date: Date) throws {
        let current = try Int64.fetchOne(db, sql: """
            SELECT on_hand_milli FROM stock_level WHERE variant_id = ? AND location_id = ?
            """, arguments: [variantID, locationID]) ?? 0
        let delta = target.milli - current
        guard delta != 0 else { return }
        try record(db, variantID: variantID, locationID: locationID, delta: Quantity(milli: delta), reason: reason,
                   staffID: staffID, reference: reference, at: date)
    }
}
