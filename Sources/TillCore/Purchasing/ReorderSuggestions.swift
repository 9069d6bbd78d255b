import Foundation
import GRDB

/// How much of each SKU on the reorder list to order, and from whom.
///
/// A SKU is on the list when what the store has plus what is already on order (open purchase orders' back-orders)
/// is at or below its reorder point: an order in the post is not ordered twice. The quantity covers the
/// supplier's lead time plus `StockReports.coverDays` at the sales rate over the window, and brings stock back up
/// to the reorder point; it is rounded up to whole cases of the supplier's case size (at least one case).
/// A SKU several suppliers supply goes to the one whose last cost is lowest (one with no cost last, then by code).
public enum ReorderSuggestions {
    public static let defaultWindowDays = 30

    /// What is on order of variant `v.id`: open orders' lines still to come (drafts too: they are about to go).
    static let onOrderSQL = """
        COALESCE((SELECT SUM(MAX(0, l.ordered_milli - l.received_milli)) FROM purchase_order_line l
                  JOIN purchase_order o ON o.id = l.purchase_order_id
                  WHERE l.variant_id = v.id AND o.status IN ('draft', 'sent', 'partial', 'received')), 0)
        """

    public struct Suggestion: Equatable, Sendable {
        public var variantID: Int64
        public var sku: String
        public var name: String
        public var onHand: Quantity
        public var onOrder: Quantity
        public var reorderPoint: Quantity
        public var soldInWindow: Quantity
        /// nil: nobody is recorded as supplying it.
        public var supplierID: Int64?
        public var supplierCode: String?
        public var leadTimeDays: Int
        public var caseSize: Quantity
        public var unitCost: Int64?
        public var quantity: Quantity
    }

    static func compute(_ db: Database, windowDays: Int, supplierID: Int64?, now: Date) throws -> [Suggestion] {
        guard (1...366).contains(windowDays) else { throw TillError.invalid("a sales window of \(windowDays) days: give 1 to 366") }
        let since = now.addingTimeInterval(-Double(windowDays) * 86_400)
        return try Row.fetchAll(db, sql: """
            WITH listed AS (
                SELECT v.id, v.sku, v.cost, v.reorder_point_milli AS point,
                       p.name || CASE WHEN v.option <> '' THEN ' — ' || v.option ELSE '' END AS name,
                       COALESCE((SELECT SUM(on_hand_milli) FROM stock_level WHERE variant_id = v.id), 0) AS on_hand,
                       \(onOrderSQL) AS on_order
                FROM variant v JOIN product p ON p.id = v.product_id
                WHERE v.active AND p.active AND v.reorder_point_milli > 0
            )
            SELECT listed.*,
                   COALESCE((SELECT -SUM(delta_milli) FROM stock_movement
                             WHERE variant_id = listed.id AND reason = 'sale' AND created_at >= ?), 0) AS sold,
                   best.supplier_id, best.code, best.lead_time_days, best.case_size_milli, best.last_cost
            FROM listed
            LEFT JOIN (
                SELECT si.variant_id, si.supplier_id, s.code, s.lead_time_days, si.case_size_milli, si.last_cost,
                       ROW_NUMBER() OVER (PARTITION BY si.variant_id
                                          ORDER BY si.last_cost IS NULL, si.last_cost, s.code COLLATE NOCASE) AS rank
                FROM supplier_item si JOIN supplier s ON s.id = si.supplier_id
                WHERE s.active AND (? IS NULL OR si.supplier_id = ?)
            ) best ON best.variant_id = listed.id AND best.rank = 1
            WHERE listed.on_hand + listed.on_order <= listed.point AND (? IS NULL OR best.supplier_id IS NOT NULL)
            ORDER BY listed.sku
            """, arguments: [since, supplierID, supplierID, supplierID]).map { row in
            let onHand: Int64 = row["on_hand"], onOrder: Int64 = row["on_order"], point: Int64 = row["point"]
            let sold: Int64 = row["sold"]
            let lead: Int = row["lead_time_days"] ?? 0
            let caseSize: Int64 = row["case_size_milli"] ?? Quantity.scale
            // Sales over the lead time and the cover, at the window's rate, plus back up to the reorder point.
            let covering = divideRoundingHalfAwayFromZero(try checkedMultiply(sold, Int64(lead) + StockReports.coverDays, "sales"),
                                                          by: Int64(windowDays))
            let need = max(1, covering + point - onHand - onOrder)
            return Suggestion(variantID: row["id"], sku: row["sku"], name: row["name"], onHand: Quantity(milli: onHand),
                              onOrder: Quantity(milli: onOrder), reorderPoint: Quantity(milli: point),
                              soldInWindow: Quantity(milli: sold), supplierID: row["supplier_id"], supplierCode: row["code"],
                              leadTimeDays: lead, caseSize: Quantity(milli: caseSize),
                              unitCost: row["last_cost"] ?? row["cost"],
                              quantity: Quantity(milli: roundUp(need, toMultipleOf: caseSize)))
        }
    }

    /// `value` rounded up to a whole number of `step`s (at least one).
    static func roundUp(_ value: Int64, toMultipleOf step: Int64) -> Int64 {
        guard step > 0 else { return value }
        return max(1, (value + step - 1) / step) * step
    }
}
