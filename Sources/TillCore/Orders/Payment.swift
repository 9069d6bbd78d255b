import Foundation
import GRDB

public enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    case cash
    case card
    /// Store credit or a gift card balance.
    case credit
}

public enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case authorized
    case captured
    case voided
    case refunded
}

/// What a card read leaves us: never the number itself (PCI DSS), only the gateway's token, the brand and the
/// last four digits.
public struct CardDetails: Equatable, Sendable {
    public var token: String
    public var brand: String
    public var last4: String

    public init(token: String, brand: String, last4: String) throws {
        guard last4.count == 4, last4.allSatisfy(\.isASCIIDigit) else {
            throw TillError.invalid("card last four must be 4 digits, got \"\(last4)\"")
        }
        guard !token.isEmpty, !token.contains(where: \.isWhitespace), !token.allSatisfy(\.isASCIIDigit) else {
            // A token of bare digits could be a card number passed by mistake: refuse it rather than store it.
            throw TillError.invalid("card token must be the gateway's token, not a card number")
        }
        self.token = token
        self.brand = brand
        self.last4 = last4
    }
}

public struct Payment: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "payment"
    public var id: Int64?
    public var orderID: Int64
    public var method: PaymentMethod
    /// What this tender pays of the order (for cash: what stays in the drawer).
    public var amount: Int64
    /// Cash handed over, and the change given back from it.
    public var tendered: Int64?
    public var change: Int64?
    public var status: PaymentStatus
    public var gatewayToken: String?
    public var cardBrand: String?
    public var cardLast4: String?
    public var idempotencyKey: String?
    public var createdAt: Date
    /// The store-credit account a credit tender drew on.
    public var creditAccountID: Int64?

    enum CodingKeys: String, CodingKey {
        case id, method, amount, tendered, change, status
        case orderID = "order_id"
        case gatewayToken = "gateway_token"
        case cardBrand = "card_brand"
        case cardLast4 = "card_last4"
        case idempotencyKey = "idempotency_key"
        case createdAt = "created_at"
        case creditAccountID = "credit_account_id"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
