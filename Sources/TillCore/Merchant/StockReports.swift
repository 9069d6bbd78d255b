import Foundation
import GRDB

/// A SKU to reorder, with a suggested quantity.
public struct ReorderRow: Equatable, Sendable, Encodable {
    public var sku: String
    public var name: String
    public var onHand: String
    public var reorderPoint: String
    public var soldLast30Days: String
    public var suggested: String

    enum CodingKeys: String, CodingKey {
        case sku, name, suggested
        case onHand = "on_hand"
        case reorderPoint = "reorder_point"
        case soldLast30Days = "sold_last_30_days"
    }
}

/// Stock value for one group (a category or a location).
public struct ValuationRow: Equatable, Sendable {
    public var group: String
    public var units: Quantity
    /// Units × cost, in minor units.
    public var value: Int64
    /// SKUs with stock but no cost, which count as zero.
    public var withoutCost: Int
}

public struct StockReports: Sendable {
    public let store: StoreDatabase

    /// Days of sales a reorder should cover beyond the reorder point.
    public static let coverDays: Int64 = 14

    public init(store: StoreDatabase) { self.store = store }

    /// Active SKUs at or below their reorder point (all locations together, counting what is already on order
    /// on open purchase orders, so an order in the post is not ordered twice). Suggested quantity: enough for
    /// `coverDays` at the last 30 days' sales rate, plus back up to the reorder point, less what is on order, in
    /// whole units for items sold each. (A purchase order drafted from this list also covers the supplier's lead
    /// time and rounds to its case: `ReorderSuggestions`.)
    /// A report: `view_reports` (the store file's owner at a shell may run it with nobody signed in).
    public func reorder(_ ctx: TillContext) throws -> [ReorderRow] {
        let since = ctx.now.addingTimeInterval(-30 * 86_400)
        return try store.read { db in
            try Permissions.requireIfSignedIn(db, .viewReports, staffID: ctx.staffID)
            return try Row.fetchAll(db, sql: """
                SELECT v.sku, p.name || CASE WHEN v.option <> '' THEN ' — ' || v.option ELSE '' END AS name, p.unit,
                       COALESCE((SELECT SUM(on_hand_milli) FROM stock_level WHERE variant_id = v.id), 0) AS on_hand,
                       v.reorder_point_milli,
                       COALESCE((SELECT -SUM(delta_milli) FROM stock_movement
                                 WHERE variant_id = v.id AND reason = 'sale' AND created_at >= ?), 0) AS sold,
                       \(ReorderSuggestions.onOrderSQL) AS on_order
                FROM variant v JOIN product p ON p.id = v.product_id
                WHERE v.active AND p.active AND v.reorder_point_milli > 0
                  AND COALESCE((SELECT SUM(on_hand_milli) FROM stock_level WHERE variant_id = v.id), 0) + \(ReorderSuggestions.onOrderSQL) <= v.reorder_point_milli
                ORDER BY v.sku
                """, arguments: [since]).map { row in
                let onHand: Int64 = row["on_hand"]
                let point: Int64 = row["reorder_point_milli"]
                let sold: Int64 = row["sold"]
                let onOrder: Int64 = row["on_order"]
                var suggested = sold * StockReports.coverDays / 30 + point - onHand - onOrder
                if (row["unit"] as String) == SaleUnit.each.rawValue {
                    suggested = (suggested + Quantity.scale - 1) / Quantity.scale * Quantity.scale
                }
                return ReorderRow(sku: row["sku"], name: row["name"], onHand: Quantity(milli: onHand).description,
                                  reorderPoint: Quantity(milli: point).description,
                                  soldLast30Days: Quantity(milli: sold).description,
                                  suggested: Quantity(milli: max(Quantity.scale, suggested)).description)
            }
        }
    }

    public enum ValuationGrouping: String, Sendable, CaseIterable {
        case category, location
    }

    /// On-hand × cost per category or per location; negative stock counts as zero value.
    /// A report: `view_reports` (the store file's owner at a shell may run it with nobody signed in).
    public func valuation(by grouping: ValuationGrouping, _ ctx: TillContext) throws -> [ValuationRow] {
        let group = grouping == .category ? "COALESCE(c.name, '(no category)')" : "loc.code"
        return try store.read { db in
            try Permissions.requireIfSignedIn(db, .viewReports, staffID: ctx.staffID)
            return try Row.fetchAll(db, sql: """
                SELECT \(group) AS grp, SUM(MAX(l.on_hand_milli, 0)) AS units,
                       SUM(MAX(l.on_hand_milli, 0) * COALESCE(v.cost, 0)) AS value_milli,
                       SUM(CASE WHEN v.cost IS NULL AND l.on_hand_milli > 0 THEN 1 ELSE 0 END) AS without_cost
                FROM stock_level l JOIN variant v ON v.id = l.variant_id JOIN product p ON p.id = v.product_id
                JOIN location loc ON loc.id = l.location_id LEFT JOIN category c ON c.id = p.category_id
                GROUP BY grp ORDER BY grp
                """).map { row in
                ValuationRow(group: row["grp"], units: Quantity(milli: row["units"]),
                             value: divideRoundingHalfAwayFromZero(row["value_milli"], by: Quantity.scale),
                             withoutCost: row["without_cost"])
            }
        }
    }
}
