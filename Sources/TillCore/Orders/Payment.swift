import Foundation
import GRDB

public enum PaymentMethod: String, Codable, Sendable, CaseIterable {
    case cash
    case card
    /// Store credit or a gift card balance.
    case credit
    /// A chain customer's loyalty points, at the chain's value per point (`ChainPoints`).
    case points
}

public enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case authorized
    case captured
    case voided
    case refunded
}

/// What a card read leaves us: never the number itself (PCI DSS), only the processor's payment id, the brand,
/// the last four digits and what a card receipt prints (entry mode, chip application, authorisation code).
public struct CardDetails: Equatable, Sendable {
    public var token: String
    public var brand: String
    public var last4: String
    public var entryMode: CardEntryMode?
    public var applicationName: String?
    public var applicationID: String?
    public var authorizationCode: String?
    /// `kind:reader` of the reader that took it (`stripe:tmr_…`).
    public var reader: String?
    /// What the card approved, when more than was captured.
    public var authorizedAmount: Int64?

    public init(token: String, brand: String, last4: String, entryMode: CardEntryMode? = nil, applicationName: String? = nil,
                applicationID: String? = nil, authorizationCode: String? = nil, reader: String? = nil,
                authorizedAmount: Int64? = nil) throws {
        self.entryMode = entryMode
        self.applicationName = applicationName
        self.applicationID = applicationID
        self.authorizationCode = authorizationCode
        self.reader = reader
        self.authorizedAmount = authorizedAmount
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
    /// For a card: how it was read, the chip application and the issuer's code (what the receipt prints), the
    /// reader (`stripe:tmr_…`), and what was authorized when that differs from what was captured.
    public var cardEntryMode: String? = nil
    public var cardApplicationName: String? = nil
    public var cardApplicationID: String? = nil
    public var cardAuthorizationCode: String? = nil
    public var cardReader: String? = nil
    public var authorizedAmount: Int64? = nil

    enum CodingKeys: String, CodingKey {
        case id, method, amount, tendered, change, status
        case orderID = "order_id"
        case gatewayToken = "gateway_token"
        case cardBrand = "card_brand"
        case cardLast4 = "card_last4"
        case idempotencyKey = "idempotency_key"
        case createdAt = "created_at"
        case creditAccountID = "credit_account_id"
        case cardEntryMode = "card_entry_mode"
        case cardApplicationName = "card_application_name"
        case cardApplicationID = "card_application_id"
        case cardAuthorizationCode = "card_authorization_code"
        case cardReader = "card_reader"
        case authorizedAmount = "authorized_amount"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
