import Foundation
import GRDB

public enum RefundKind: String, Codable, Sendable {
    case refund
    /// A completed sale undone the same day: card charges voided, stock back on the floor.
    case void
    /// Goods brought back with no order to match them to.
    case noReceipt = "no_receipt"
}

public enum RefundStatus: String, Codable, Sendable {
    /// Written, amounts reserved, the processor not yet done.
    case pending
    case completed
    /// The gateway refused; nothing was refunded and the amounts are free again.
    case failed
}

/// Where the money goes back.
public enum RefundDestination: String, Codable, Sendable, CaseIterable {
    /// To the tenders the order was paid with: cards first, then store credit, then cash.
    case original
    case storeCredit = "store_credit"
    /// Cash from the drawer (returns without a receipt only).
    case cash
}

public struct Refund: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord, Identifiable {
    public static let databaseTableName = "refund"
    public var id: Int64?
    public var orderID: Int64?
    public var kind: RefundKind
    public var status: RefundStatus
    public var destination: RefundDestination
    public var restockLocationID: Int64?
    /// What the customer gets back (tax included).
    public var amount: Int64
    public var tax: Int64
    public var staffID: Int64?
    public var approvedBy: Int64?
    public var customerID: Int64?
    public var reason: String
    public var failure: String?
    public var createdAt: Date
    public var completedAt: Date?
    /// The till whose drawer paid out any cash.
    public var register: String = "main"

    enum CodingKeys: String, CodingKey {
        case id, kind, status, destination, amount, tax, reason, failure, register
        case orderID = "order_id"
        case restockLocationID = "restock_location_id"
        case staffID = "staff_id"
        case approvedBy = "approved_by"
        case customerID = "customer_id"
        case createdAt = "created_at"
        case completedAt = "completed_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct RefundLine: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "refund_line"
    public var id: Int64?
    public var refundID: Int64
    public var orderLineID: Int64?
    public var variantID: Int64
    public var sku: String
    public var name: String
    public var quantityMilli: Int64
    public var amount: Int64
    public var tax: Int64
    public var restocked: Bool

    public var quantity: Quantity { Quantity(milli: quantityMilli) }

    enum CodingKeys: String, CodingKey {
        case id, sku, name, amount, tax, restocked
        case refundID = "refund_id"
        case orderLineID = "order_line_id"
        case variantID = "variant_id"
        case quantityMilli = "quantity_milli"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum RefundTenderStatus: String, Codable, Sendable {
    case pending, refunded, failed
}

public struct RefundTender: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "refund_tender"
    public var id: Int64?
    public var refundID: Int64
    /// The order's tender this gives back to; nil for a new store-credit slip or cash on a no-receipt return.
    public var paymentID: Int64?
    public var method: PaymentMethod
    public var amount: Int64
    public var status: RefundTenderStatus
    public var creditAccountID: Int64?
    public var gatewayToken: String?
    public var cardLast4: String?
    public var idempotencyKey: String?

    enum CodingKeys: String, CodingKey {
        case id, method, amount, status
        case refundID = "refund_id"
        case paymentID = "payment_id"
        case creditAccountID = "credit_account_id"
        case gatewayToken = "gateway_token"
        case cardLast4 = "card_last4"
        case idempotencyKey = "idempotency_key"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A refund with its lines, where its money went, and the store-credit code when it went onto one.
public struct RefundDetail: Equatable, Sendable {
    public var refund: Refund
    public var lines: [RefundLine]
    public var tenders: [RefundTender]
    public var creditCode: String?
    public var staff: String?
    /// A return of another store's sale (`ChainReturns`): its chain number, S001-1370.
    public var soldAs: String? = nil
}

extension RefundDetail {
    /// What happened, for a terminal or a support note: one line per item and per place the money went.
    public func summary(currency: Currency, orderNumber: Int64?) -> [String] {
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        let what: String
        switch refund.kind {
        case .refund: what = "refund \(refund.id ?? 0) of order #\(orderNumber.map(String.init) ?? "?")"
        case .void: what = "void of order #\(orderNumber.map(String.init) ?? "?") (refund \(refund.id ?? 0))"
        case .noReceipt: what = soldAs.map { "return \(refund.id ?? 0) of \($0), sold at another store" } ?? "return \(refund.id ?? 0) without a receipt"
        }
        var text = ["\(what): \(money(refund.amount)) \(refund.status == .completed ? "" : "(\(refund.status.rawValue))")"
            .trimmingCharacters(in: .whitespaces)]
        for line in lines {
            text.append("  \(line.sku) × \(line.quantity) \(line.name)\(line.restocked ? "" : " — not restocked")")
        }
        for tender in tenders {
            switch tender.method {
            case .card: text.append("  to card ••\(tender.cardLast4 ?? "????") \(money(tender.amount))")
            case .cash: text.append("  in cash from the drawer \(money(tender.amount))")
            case .credit: text.append("  to store credit \(creditCode ?? "") \(money(tender.amount))")
            case .points: text.append("  back to the customer's points \(money(tender.amount))")
            }
        }
        return text
    }
}
