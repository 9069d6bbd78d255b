import Foundation
import GRDB

/// A promotion as the merchant sees it: what it does, to what, and when it runs.
public struct PromotionEntry: Equatable, Sendable {
    public enum Status: String, Sendable {
        case scheduled, running, ended, inactive
    }

    public var id: Int64
    public var name: String
    public var rule: Promotion.Rule
    /// The category or the SKU it is on.
    public var target: String
    public var startsAt: Date?
    public var endsAt: Date?
    public var active: Bool

    public func status(at date: Date) -> Status {
        if !active { return .inactive }
        if let endsAt, endsAt <= date { return .ended }
        if let startsAt, startsAt > date { return .scheduled }
        return .running
    }
}

/// Adding, listing and ending automatic promotions (schema `v3-promotions`, with its time window from
/// `v19-labels`). The register applies a promotion only within its window (`Promotion.active(_:at:)`); the label
/// queue gets its items when it begins and ends. Catalog work: `edit_catalog`, audited.
public struct Promotions: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// What a new promotion does: on a category by name, or on a SKU.
    public enum Draft: Equatable, Sendable {
        case categoryPercent(category: String, basisPoints: Int64)
        case buyXGetY(sku: String, buy: Int64, free: Int64)
        case multiBuy(sku: String, quantity: Int64, price: Int64)
    }

    public func list(_ ctx: TillContext) throws -> [PromotionEntry] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT x.*, c.name AS category_name, v.sku FROM promotion x
                LEFT JOIN category c ON c.id = x.category_id LEFT JOIN variant v ON v.id = x.variant_id ORDER BY x.id
                """).compactMap(Promotions.entry)
        }
    }

    static func entry(_ row: Row) -> PromotionEntry? {
        let rule: Promotion.Rule
        switch row["kind"] as String {
        case "category_percent": rule = .categoryPercent(categoryID: row["category_id"], basisPoints: row["percent_bp"])
        case "buy_x_get_y": rule = .buyXGetY(variantID: row["variant_id"], buy: row["buy_quantity"], free: row["free_quantity"])
        case "multi_buy": rule = .multiBuy(variantID: row["variant_id"], quantity: row["bundle_quantity"], price: row["bundle_price"])
        default: return nil
        }
        return PromotionEntry(id: row["id"], name: row["name"], rule: rule,
                              target: (row["category_name"] as String?) ?? (row["sku"] as String?) ?? "",
                              startsAt: row["starts_at"], endsAt: row["ends_at"], active: row["active"])
    }

    /// Adds a promotion running from `from` (nil: now) until `until` (nil: until ended).
    @discardableResult
    public func add(name: String, _ draft: Draft, from: Date? = nil, until: Date? = nil, _ ctx: TillContext) throws -> PromotionEntry {
        let staffID = ctx.staffID, date = ctx.now
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TillError.invalid("a promotion needs a name (it is shown on the receipt and the label)") }
        try CardNumberGuard.check(trimmed, field: "the promotion name")
        if let from, let until, until <= from { throw TillError.invalid("a promotion ends after it starts") }
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            var columns: [String: DatabaseValueConvertible?] = ["name": trimmed, "starts_at": from, "ends_at": until]
            switch draft {
            case let .categoryPercent(category, basisPoints):
                guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE name = ? COLLATE NOCASE", arguments: [category]) else {
                    throw TillError.notFound("category \"\(category)\"")
                }
                guard (1...10_000).contains(basisPoints) else { throw TillError.invalid("a percentage off is above 0 and at most 100") }
                columns["kind"] = "category_percent"; columns["category_id"] = id; columns["percent_bp"] = basisPoints
            case let .buyXGetY(sku, buy, free):
                guard buy > 0, free > 0 else { throw TillError.invalid("buy X get Y free needs X and Y above zero") }
                columns["kind"] = "buy_x_get_y"; columns["variant_id"] = try Promotions.variantID(db, sku)
                columns["buy_quantity"] = buy; columns["free_quantity"] = free
            case let .multiBuy(sku, quantity, price):
                guard quantity > 1 else { throw TillError.invalid("a multi-buy is for 2 or more") }
                guard price >= 0 else { throw TillError.invalid("a multi-buy price cannot be negative") }
                columns["kind"] = "multi_buy"; columns["variant_id"] = try Promotions.variantID(db, sku)
                columns["bundle_quantity"] = quantity; columns["bundle_price"] = price
            }
            let names = columns.keys.sorted()
            try db.execute(sql: "INSERT INTO promotion(\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                           arguments: StatementArguments(names.map { columns[$0] ?? nil }))
            let id = db.lastInsertedRowID
            guard let entry = try Row.fetchOne(db, sql: """
                SELECT x.*, c.name AS category_name, v.sku FROM promotion x
                LEFT JOIN category c ON c.id = x.category_id LEFT JOIN variant v ON v.id = x.variant_id WHERE x.id = ?
                """, arguments: [id]).flatMap(Promotions.entry) else { throw TillError.storage("the promotion was not saved") }
            try AuditLog.record(db, action: "promotion.add", entity: "promotion", entityID: id, before: nil,
                                after: Audit(entry), staffID: staffID, at: date)
            return entry
        }
    }

    /// Ends a promotion now (its end time becomes now; one not yet begun never runs). Its items' labels are queued.
    public func end(id: Int64, _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT x.*, c.name AS category_name, v.sku FROM promotion x
                LEFT JOIN category c ON c.id = x.category_id LEFT JOIN variant v ON v.id = x.variant_id WHERE x.id = ?
                """, arguments: [id]), let entry = Promotions.entry(row) else { throw TillError.notFound("promotion \(id)") }
            guard entry.status(at: date) == .running || entry.status(at: date) == .scheduled else {
                throw TillError.invalid("promotion \(id) (\(entry.name)) is \(entry.status(at: date).rawValue) already")
            }
            try db.execute(sql: "UPDATE promotion SET ends_at = ?, starts_at = CASE WHEN starts_at > ? THEN ? ELSE starts_at END WHERE id = ?",
                           arguments: [date, date, date, id])
            try AuditLog.record(db, action: "promotion.end", entity: "promotion", entityID: id, before: Audit(entry),
                                after: ["ends_at": LocalTime.format(date, timeZone: try StoreSettings.load(db).timeZone)],
                                staffID: staffID, at: date)
        }
    }

    static func variantID(_ db: Database, _ sku: String) throws -> Int64 {
        guard let item = try Catalog.lookup(db, code: sku) else { throw TillError.notFound("SKU \(sku)") }
        return item.variantID
    }

    /// `2026-12-07 06:00` (or `2026-12-07T06:00`, or a day: its midnight) on the store's clock.
    public static func parseTime(_ text: String, in zone: TimeZone) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 10, let midnight = try? ChainPrices.effectiveDate(trimmed + " 00:00", in: zone) { return midnight }
        do { return try ChainPrices.effectiveDate(trimmed, in: zone) } catch {
            throw TillError.invalid("time \"\(text)\": expected YYYY-MM-DD HH:MM (the store's time zone) or YYYY-MM-DD")
        }
    }

    private struct Audit: Encodable {
        var name, kind, target: String
        var startsAt, endsAt: Date?
        init(_ entry: PromotionEntry) {
            name = entry.name
            target = entry.target
            startsAt = entry.startsAt
            endsAt = entry.endsAt
            switch entry.rule {
            case let .categoryPercent(_, basisPoints): kind = "category_percent \(basisPoints)bp"
            case let .buyXGetY(_, buy, free): kind = "buy_x_get_y \(buy)+\(free)"
            case let .multiBuy(_, quantity, price): kind = "multi_buy \(quantity) for \(price)"
            }
        }
    }
}
