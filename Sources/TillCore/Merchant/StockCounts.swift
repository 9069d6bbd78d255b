import Foundation
import GRDB

/// One counted SKU and what the count found.
public struct CountVariance: Equatable, Sendable, FetchableRecord {
    public var sku: String
    public var name: String
    public var expected: Quantity
    public var counted: Quantity
    public var unit: SaleUnit
    public var variance: Quantity { counted - expected }
    /// Variance × unit cost (minor units; zero when the SKU has no cost).
    public var value: Int64
    /// False when the SKU has no cost, so `value` says nothing about what the variance is worth.
    public var hasCost: Bool

    public init(row: Row) {
        sku = row["sku"]
        name = row["name"]
        expected = Quantity(milli: row["expected"])
        counted = Quantity(milli: row["counted"])
        unit = SaleUnit(rawValue: row["unit"] ?? "") ?? .each
        let cost: Int64? = row["cost"]
        hasCost = cost != nil
        value = CountVariance.value(of: counted - expected, cost: cost ?? 0)
    }

    /// What a variance is worth at cost, in minor units, rounded half away from zero (a third of a kilo at
    /// €10.01/kg is €3.34 short, not €3.33).
    public static func value(of variance: Quantity, cost: Int64) -> Int64 {
        let product = variance.milli * cost
        let half = Quantity.scale / 2
        return product >= 0 ? (product + half) / Quantity.scale : -((-product + half) / Quantity.scale)
    }
}

/// A SKU the count's location holds that has not been counted yet.
public struct CountPending: Equatable, Sendable, FetchableRecord {
    public var sku: String
    public var name: String
    public var onHand: Quantity
    public var unit: SaleUnit

    public init(row: Row) {
        sku = row["sku"]
        name = row["name"]
        onHand = Quantity(milli: row["on_hand_milli"])
        unit = SaleUnit(rawValue: row["unit"] ?? "") ?? .each
    }
}

/// A count's figures added up: what a manager confirms before the corrections are written.
public struct CountTotals: Equatable, Sendable {
    /// SKUs counted, and how many of them differ from the books.
    public var counted: Int
    public var changed: Int
    /// Net variance of the SKUs sold in units, and apart of those sold by weight (units and kilos never add up).
    public var units: Quantity
    public var weight: Quantity
    /// Net variance at cost (minor units), and how many changed SKUs have no cost and so are not in it.
    public var value: Int64
    public var withoutCost: Int

    public init(_ lines: [CountVariance]) {
        let changedLines = lines.filter { $0.variance.milli != 0 }
        counted = lines.count
        changed = changedLines.count
        units = Quantity(milli: changedLines.filter { $0.unit == .each }.reduce(0) { $0 + $1.variance.milli })
        weight = Quantity(milli: changedLines.filter { $0.unit == .kg }.reduce(0) { $0 + $1.variance.milli })
        value = changedLines.reduce(0) { $0 + $1.value }
        withoutCost = changedLines.filter { !$0.hasCost }.count
    }
}

/// An open count as the person counting sees it: what was counted (with variances) and what the location still
/// holds that nobody has counted yet.
public struct CountSheet: Equatable, Sendable {
    public var id: Int64
    public var location: String
    public var locationName: String
    public var category: String?
    public var lines: [CountVariance]
    /// How many SKUs of the location (and category) with stock on the books are not counted yet, and the first
    /// of them in SKU order (`pending.count` can be less than `remaining` in a big store).
    public var remaining: Int
    public var pending: [CountPending]
    public var totals: CountTotals { CountTotals(lines) }
}

/// One line typed or scanned while counting, as the till and the CLI read it.
public enum CountEntry: Equatable, Sendable {
    /// A bare quantity: the count of the SKU being counted (the one last scanned or selected).
    case quantity(Quantity)
    /// A barcode or SKU, alone (one scan: add its units) or with a quantity of its units.
    case code(String, Quantity?)

    /// `17` is a quantity; `COF-002`, `4006381333931` or `14006381333938` (any GTIN, so never a quantity) is a
    /// code; `COF-002 17` is a code and a quantity.
    public static func parse(_ text: String) throws -> CountEntry {
        let words = text.split(separator: " ").map(String.init)
        switch words.count {
        case 1:
            // Eight digits or more is a barcode (a mistyped one then fails by its check digit), never a count.
            let digits = words[0].allSatisfy(\.isASCIIDigit)
            if case .success = Barcode.canonical(words[0]) { return .code(words[0], nil) }
            if !(digits && words[0].count >= 8), let quantity = try? Quantity.parse(words[0]) { return .quantity(quantity) }
            return .code(words[0], nil)
        case 2:
            return .code(words[0], try Quantity.parse(words[1]))
        default:
            throw TillError.invalid("scan a barcode, or type a SKU, SKU QTY, or QTY for the SKU being counted")
        }
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
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            let variant = try StockOperations.variant(db, sku: sku)
            try StockCounts.setLine(db, countID: countID, variant: variant, counted: counted, at: date)
        }
    }

    static func setLine(_ db: Database, countID: Int64, variant: Variant, counted: Quantity, at date: Date) throws {
        guard counted.milli >= 0 else { throw TillError.invalidQuantity(counted.description, reason: "a count cannot be negative") }
        let (locationID, categoryID) = try StockCounts.openCount(db, countID)
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

    /// What the count found so far: every counted SKU with expected, counted, variance and its value.
    public func variances(countID: Int64) throws -> [CountVariance] {
        try store.read { db in try StockCounts.variances(db, countID: countID) }
    }

    static func variances(_ db: Database, countID: Int64) throws -> [CountVariance] {
        try CountVariance.fetchAll(db, sql: """
            SELECT v.sku, p.name || CASE WHEN v.option <> '' THEN ' — ' || v.option ELSE '' END AS name,
                   l.on_hand_at_count_milli AS expected, l.counted_milli AS counted, v.cost, p.unit
            FROM stock_count_line l JOIN variant v ON v.id = l.variant_id JOIN product p ON p.id = v.product_id
            WHERE l.count_id = ? ORDER BY v.sku
            """, arguments: [countID])
    }

    /// Records one entry of a count as typed or scanned. `code` is whatever names the item — a barcode in any
    /// printed form (a supplier's case code stands for its pack; a scale label for its weight), or a SKU — read
    /// by the catalog's one rule for scans (`Catalog.resolveScan`). Without a quantity the entry is a scan: it adds
    /// what one scan stands for to what was counted so far (the first scan of a SKU starts from zero). With one,
    /// the count of that SKU becomes `quantity` of the code's units (`14006381333938 2` is two cases). A SKU sold
    /// by weight is counted by its weight typed, or by scale labels.
    @discardableResult
    public func record(countID: Int64, code: String, quantity: Quantity? = nil, _ ctx: TillContext) throws -> CountVariance {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TillError.invalid("scan a barcode or type a SKU to count") }
        guard let scan = try Catalog(store: store).resolveScan(trimmed) else {
            if trimmed.allSatisfy(\.isASCIIDigit), case let .failure(problem) = Barcode.canonical(trimmed) {
                throw TillError.invalid("barcode \"\(trimmed)\": \(problem); nothing counted")
            }
            throw TillError.notFound("barcode or SKU \"\(trimmed)\"")
        }
        let item = scan.item
        if item.unit == .kg && scan.quantity == nil && quantity == nil {
            throw TillError.invalid("\(item.sku) is sold by weight: type its SKU and the kilos counted, e.g. \(item.sku) 1.250")
        }
        let date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .adjustStock, staffID: ctx.staffID)
            let variant = try StockOperations.variant(db, sku: item.sku)
            let sofar = try Int64.fetchOne(db, sql: "SELECT counted_milli FROM stock_count_line WHERE count_id = ? AND variant_id = ?",
                                           arguments: [countID, item.variantID]) ?? 0
            let counted: Quantity
            if let quantity {
                counted = scan.quantity == nil ? try scan.units(typed: quantity) : quantity
            } else {
                counted = Quantity(milli: sofar + (try scan.units()).milli)
            }
            try StockCounts.setLine(db, countID: countID, variant: variant, counted: counted, at: date)
            guard let line = try StockCounts.variances(db, countID: countID).first(where: { $0.sku == item.sku }) else {
                throw TillError.notFound("count line for \(item.sku)")
            }
            return line
        }
    }

    /// The open count as a sheet: counted lines with their variances, and the SKUs still to count. `limit` caps
    /// the pending list (the remaining figure is always the whole).
    public func sheet(countID: Int64, pendingLimit limit: Int = 200) throws -> CountSheet {
        try store.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT l.code, l.name, cat.name AS category, c.location_id, c.category_id FROM stock_count c
                JOIN location l ON l.id = c.location_id LEFT JOIN category cat ON cat.id = c.category_id WHERE c.id = ?
                """, arguments: [countID]) else { throw TillError.notFound("count #\(countID)") }
            let pendingFilter = """
                FROM stock_level s JOIN variant v ON v.id = s.variant_id JOIN product p ON p.id = v.product_id
                WHERE s.location_id = ? AND s.on_hand_milli <> 0 AND (? IS NULL OR p.category_id = ?)
                  AND NOT EXISTS (SELECT 1 FROM stock_count_line cl WHERE cl.count_id = ? AND cl.variant_id = v.id)
                """
            let locationID: Int64 = row["location_id"]
            let categoryID: Int64? = row["category_id"]
            let arguments: StatementArguments = [locationID, categoryID, categoryID, countID]
            let remaining = try Int.fetchOne(db, sql: "SELECT COUNT(*) " + pendingFilter, arguments: arguments) ?? 0
            let pending = try CountPending.fetchAll(db, sql: """
                SELECT v.sku, p.name || CASE WHEN v.option <> '' THEN ' — ' || v.option ELSE '' END AS name,
                       s.on_hand_milli, p.unit
                """ + " " + pendingFilter + " ORDER BY v.sku LIMIT ?", arguments: arguments + [limit])
            return CountSheet(id: countID, location: row["code"], locationName: row["name"], category: row["category"],
                              lines: try StockCounts.variances(db, countID: countID), remaining: remaining, pending: pending)
        }
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
