import Foundation
import GRDB

/// One change of HQ's reference data, as HQ publishes it and a store applies it.
public struct ReferenceChange: Codable, Equatable, Sendable {
    /// `tax_class`, `category`, `product` or `staff`.
    public var kind: String
    /// The SKU, tax class code, category name or user name.
    public var key: String
    public var data: ReferenceData

    public init(kind: String, key: String, data: ReferenceData) {
        self.kind = kind
        self.key = key
        self.data = data
    }
}

/// The fields of a change; which are set depends on its kind. Money in minor units of the chain's currency.
public struct ReferenceData: Codable, Equatable, Sendable {
    public var name: String?
    public var handle: String?
    public var option: String?
    public var barcodes: [String]?
    public var caseBarcodes: [CaseBarcode]?
    public var price: Int64?
    public var cost: Int64?
    public var category: String?
    public var taxClass: String?
    public var unit: String?
    public var reorderPointMilli: Int64?
    public var active: Bool?
    public var ratePPM: Int64?
    public var role: String?
    public var pinHash: String?
    /// The chain's loyalty scheme (kind `setting`, key `loyalty`): points per whole currency unit spent (0: off),
    /// and what one point is worth in minor units.
    public var earnPerUnit: Int64?
    public var pointValue: Int64?
    /// A price schedule's moment (kind `price_schedule`): HQ's wall-clock time, `2026-12-07T06:00`, which each
    /// store reads in its own time zone.
    public var effectiveFrom: String?

    enum CodingKeys: String, CodingKey {
        case name, handle, option, barcodes, price, cost, category, unit, active, role
        case caseBarcodes = "case_barcodes", taxClass = "tax_class", reorderPointMilli = "reorder_point_milli"
        case ratePPM = "rate_ppm", pinHash = "pin_hash", earnPerUnit = "earn_per_unit", pointValue = "point_value"
        case effectiveFrom = "effective_from"
    }

    public init() {}
}

/// One chain version: every change HQ published together, applied by a store in one transaction.
public struct ReferenceVersion: Codable, Equatable, Sendable {
    public var version: Int64
    public var publishedAt: String
    /// The reference schema a store needs to apply this version.
    public var minStoreSchema: Int
    public var changes: [ReferenceChange]

    enum CodingKeys: String, CodingKey {
        case version, changes
        case publishedAt = "published_at", minStoreSchema = "min_store_schema"
    }
}

/// Applying HQ's reference data at a store.
public enum ReferenceChanges {
    /// The reference-data schema this Till understands.
    public static let schemaVersion = 3
    public static let kinds = ["tax_class", "category", "product", "staff", "setting", "price_schedule"]

    public enum Outcome: Equatable, Sendable {
        case applied
        /// HQ sent something this Till is too old for; the store keeps what it has and keeps selling.
        case updateNeeded(String)
    }

    /// A product row as HQ publishes it.
    public static func change(product row: ProductRow) -> ReferenceChange {
        var data = ReferenceData()
        data.name = row.name
        data.handle = row.handle
        data.option = row.option
        data.barcodes = row.barcodes
        data.caseBarcodes = row.caseBarcodes.isEmpty ? nil : row.caseBarcodes
        data.price = row.price
        data.cost = row.cost
        data.category = row.category
        data.taxClass = row.taxClass
        data.unit = row.unit.rawValue
        data.reorderPointMilli = row.reorderPoint.milli
        data.active = row.active
        return ReferenceChange(kind: "product", key: row.sku, data: data)
    }

    /// Applies `version` atomically, between sales: a cart keeps the prices it was rung at (its lines carry
    /// them); the next item scanned takes the new ones.
    public static func apply(_ store: StoreDatabase, _ version: ReferenceVersion) throws -> Outcome {
        try store.write { db in
            guard let membership = try ChainStore.membership(db) else {
                throw TillError.invalid("this store is not in a chain: join one with `till chain join`")
            }
            guard version.version > membership.referenceVersion else { return .applied }
            guard version.minStoreSchema <= schemaVersion, version.changes.allSatisfy({ kinds.contains($0.kind) }) else {
                let message = "HQ's chain version \(version.version) needs a newer Till (reference schema \(version.minStoreSchema); this Till reads \(schemaVersion))"
                try ChainStore.setUpdateNeeded(db, message)
                return .updateNeeded(message)
            }
            try apply(db, version)
            try db.execute(sql: "UPDATE chain_store SET reference_version = ?, update_needed = NULL WHERE id = 1",
                           arguments: [version.version])
            return .applied
        }
    }

    static func apply(_ db: Database, _ version: ReferenceVersion) throws {
        let effective = parseDate(version.publishedAt) ?? Date()
        for change in version.changes where change.kind == "tax_class" {
            try applyTaxClass(db, change, effective: effective)
        }
        for change in version.changes where change.kind == "category" {
            _ = try Category.findOrCreate(db, name: change.key)
        }
        var rows: [ProductRow] = []
        for (index, change) in version.changes.enumerated() where change.kind == "product" {
            let data = change.data
            guard let name = data.name, let price = data.price, let taxClass = data.taxClass else {
                throw TillError.invalid("HQ's chain version \(version.version): product \(change.key) lacks a name, price or tax class")
            }
            var row = ProductRow(line: index + 1, handle: data.handle ?? change.key.lowercased(), name: name, sku: change.key,
                                 option: data.option ?? "", barcodes: data.barcodes ?? [],
                                 price: try ChainPrices.shelfPrice(db, sku: change.key, catalogPrice: price), cost: data.cost,
                                 category: data.category, taxClass: taxClass, unit: SaleUnit(rawValue: data.unit ?? "each") ?? .each,
                                 reorderPoint: Quantity(milli: data.reorderPointMilli ?? 0), active: data.active ?? true)
            row.caseBarcodes = data.caseBarcodes ?? []
            rows.append(row)
        }
        if !rows.isEmpty {
            _ = try ProductImporter.apply(db, rows: rows, file: "HQ chain version \(version.version)", earlierIssues: [],
                                          dryRun: false, reference: "hq:\(version.version)", progress: nil)
        }
        for change in version.changes where change.kind == "staff" {
            try applyStaff(db, change, version: version.version)
        }
        for change in version.changes where change.kind == "price_schedule" {
            try ChainPrices.schedule(db, change, version: version.version)
        }
        for change in version.changes where change.kind == "setting" && change.key == "loyalty" {
            var settings = try StoreSettings.load(db)
            settings.loyaltyEarnPerUnit = max(0, change.data.earnPerUnit ?? 0)
            settings.loyaltyPointValue = max(0, change.data.pointValue ?? 0)
            try settings.save(db)
        }
        for change in version.changes where change.kind == "setting" && change.key == "returns" {
            var settings = try StoreSettings.load(db)
            settings.returnsAnywhere = change.data.active ?? false
            try settings.save(db)
        }
    }

    static func applyTaxClass(_ db: Database, _ change: ReferenceChange, effective: Date) throws {
        guard let rate = change.data.ratePPM else { throw TillError.invalid("HQ's tax class \(change.key) has no rate") }
        let name = change.data.name ?? change.key
        let active = change.data.active ?? true
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM tax_class WHERE code = ? COLLATE NOCASE", arguments: [change.key]) {
            try db.execute(sql: "UPDATE tax_class SET name = ?, active = ? WHERE id = ?", arguments: [name, active, id])
            let current = try Int64.fetchOne(db, sql: """
                SELECT rate_ppm FROM tax_rate WHERE tax_class_id = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1
                """, arguments: [id, effective])
            if current != rate {
                try db.execute(sql: "INSERT OR REPLACE INTO tax_rate(tax_class_id, rate_ppm, effective_from) VALUES (?, ?, ?)",
                               arguments: [id, rate, effective])
            }
        } else {
            try db.execute(sql: "INSERT INTO tax_class(code, name, rate_ppm, active) VALUES (?, ?, ?, ?)",
                           arguments: [change.key, name, rate, active])
        }
    }

    static func applyStaff(_ db: Database, _ change: ReferenceChange, version: Int64) throws {
        let data = change.data
        guard let role = data.role, StaffRole(rawValue: role) != nil, let pinHash = data.pinHash else {
            throw TillError.invalid("HQ's chain version \(version): staff \(change.key) lacks a valid role or PIN")
        }
        try db.execute(sql: """
            INSERT INTO staff(username, name, role, pin_hash, active) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(username) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
                active = excluded.active
            """, arguments: [change.key, data.name ?? change.key, role, pinHash, data.active ?? true])
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
