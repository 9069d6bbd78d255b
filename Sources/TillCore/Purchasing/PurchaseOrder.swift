import Foundation
import GRDB

/// A purchase order: drafted (from the reorder list or by hand), sent to the supplier, received against in one
/// or more deliveries, closed. `PO-1001` to people; `number` here.
public struct PurchaseOrder: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "purchase_order"

    public enum Status: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
        /// Being put together; nothing is owed.
        case draft
        /// With the supplier; nothing has arrived yet.
        case sent
        /// Some has arrived; what is left is on back-order.
        case partial
        /// Every line has arrived in full (or more); still open for a late invoice correction until closed.
        case received
        /// Done: nothing more is expected, whatever was still on back-order is cancelled.
        case closed

        /// Whether goods may still arrive against it.
        public var isOpen: Bool { self == .sent || self == .partial || self == .received }
    }

    public var id: Int64?
    public var number: Int64
    public var supplierID: Int64
    public var locationID: Int64
    public var status: Status
    public var note: String
    public var createdAt: Date
    public var createdBy: Int64?
    public var sentAt: Date?
    /// The day the goods are due (the day sent plus the supplier's lead time), `YYYY-MM-DD` in the store's zone.
    public var expectedOn: String?
    public var closedAt: Date?
    public var closedBy: Int64?

    enum CodingKeys: String, CodingKey {
        case id, number, status, note
        case supplierID = "supplier_id"
        case locationID = "location_id"
        case createdAt = "created_at"
        case createdBy = "created_by"
        case sentAt = "sent_at"
        case expectedOn = "expected_on"
        case closedAt = "closed_at"
        case closedBy = "closed_by"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var label: String { PurchaseOrder.label(number) }
    public static func label(_ number: Int64) -> String { "PO-\(number)" }

    /// `PO-1001`, `po-1001` or `1001`.
    public static func number(from text: String) throws -> Int64 {
        var digits = text.trimmingCharacters(in: .whitespaces)
        if digits.uppercased().hasPrefix("PO-") { digits.removeFirst(3) }
        guard let number = Int64(digits), number > 0 else {
            throw TillError.invalid("\"\(text)\" is not a purchase-order number (PO-1001 or 1001)")
        }
        return number
    }

    static func numbered(_ db: Database, _ number: Int64) throws -> PurchaseOrder {
        guard let order = try PurchaseOrder.fetchOne(db, sql: "SELECT * FROM purchase_order WHERE number = ?", arguments: [number]) else {
            throw TillError.notFound("purchase order \(label(number)) (till po list shows them)")
        }
        return order
    }
}

public struct PurchaseOrderLine: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "purchase_order_line"

    public var id: Int64?
    public var purchaseOrderID: Int64
    public var variantID: Int64
    public var orderedMilli: Int64
    public var receivedMilli: Int64
    /// Per unit, as ordered (the supplier's last cost when drafted); a delivery may come at another.
    public var unitCost: Int64?
    public var caseSizeMilli: Int64
    /// Why a line that was never ordered was accepted at receiving; nil on ordered lines.
    public var addedReason: String?

    enum CodingKeys: String, CodingKey {
        case id
        case purchaseOrderID = "purchase_order_id"
        case variantID = "variant_id"
        case orderedMilli = "ordered_milli"
        case receivedMilli = "received_milli"
        case unitCost = "unit_cost"
        case caseSizeMilli = "case_size_milli"
        case addedReason = "added_reason"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var ordered: Quantity { Quantity(milli: orderedMilli) }
    public var received: Quantity { Quantity(milli: receivedMilli) }
    /// Still to come: what was ordered and has not arrived (never below zero: an over-delivery owes nothing).
    public var backOrdered: Quantity { Quantity(milli: max(0, orderedMilli - receivedMilli)) }
    /// What arrived beyond the order.
    public var over: Quantity { Quantity(milli: max(0, receivedMilli - orderedMilli)) }
    public var caseSize: Quantity { Quantity(milli: caseSizeMilli) }
}

/// A purchase order with its supplier, location and lines, as shown, sent and received against.
public struct PurchaseOrderDetail: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var line: PurchaseOrderLine
        public var sku: String
        public var name: String
        /// The supplier's code for it, from what the supplier supplies ("" when none is recorded).
        public var itemCode: String
        /// The item's unit barcode in its natural short form, for the supplier to match ("" when none).
        public var barcode: String
    }

    public var order: PurchaseOrder
    public var supplier: Supplier
    public var location: String
    /// The location as people call it ("Back room"), for the document the supplier reads.
    public var locationName: String
    public var lines: [Line]
    public var currency: Currency

    /// Ordered value at the ordered unit costs (lines without a cost count as zero).
    public var orderedValue: Int64 {
        lines.reduce(0) { $0 + divideRoundingHalfAwayFromZero(($1.line.unitCost ?? 0) * $1.line.orderedMilli, by: Quantity.scale) }
    }
    public var isFullyReceived: Bool { lines.allSatisfy { $0.line.backOrdered == .zero } }
}

/// A purchase order as listed.
public struct PurchaseOrderRow: Equatable, Sendable {
    public var number: Int64
    public var supplier: String
    public var status: PurchaseOrder.Status
    public var lines: Int
    /// Lines still owed (none on a draft, nothing being owed yet, nor on a closed order, whose rest was cancelled).
    public var backOrderedLines: Int
    public var value: Int64
    public var createdAt: Date
    public var expectedOn: String?
}
