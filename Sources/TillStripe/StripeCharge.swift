/// A Charge, with the fields Till reads: amounts, and what the reader said about the card.
public struct StripeCharge: Decodable, Sendable, Equatable {
    public var id: String
    public var amount: Int64
    public var amountCaptured: Int64
    /// Refunds, and — after a partial capture — the part released, which Stripe also counts as refunded.
    public var amountRefunded: Int64
    public var captured: Bool
    public var refunded: Bool
    /// succeeded, pending, failed.
    public var status: String
    public var currency: String
    public var created: Int64
    /// The PaymentIntent's id, or the PaymentIntent when listed with `expand[]=data.payment_intent`.
    public var paymentIntentID: String?
    public var paymentIntent: StripePaymentIntentSummary?
    public var paymentMethodDetails: PaymentMethodDetails?
    public var balanceTransaction: String?

    public struct PaymentMethodDetails: Decodable, Sendable, Equatable {
        public var type: String?
        public var cardPresent: CardPresent?
        enum CodingKeys: String, CodingKey {
            case type
            case cardPresent = "card_present"
        }
    }

    public struct CardPresent: Decodable, Sendable, Equatable {
        public var brand: String?
        public var last4: String?
        public var readMethod: String?
        public var receipt: Receipt?
        enum CodingKeys: String, CodingKey {
            case brand, last4, receipt
            case readMethod = "read_method"
        }
    }

    public struct Receipt: Decodable, Sendable, Equatable {
        public var applicationPreferredName: String?
        public var dedicatedFileName: String?
        public var authorizationCode: String?
        enum CodingKeys: String, CodingKey {
            case applicationPreferredName = "application_preferred_name"
            case dedicatedFileName = "dedicated_file_name"
            case authorizationCode = "authorization_code"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, amount, captured, refunded, status, currency, created
        case amountCaptured = "amount_captured"
        case amountRefunded = "amount_refunded"
        case paymentIntent = "payment_intent"
        case paymentMethodDetails = "payment_method_details"
        case balanceTransaction = "balance_transaction"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        amount = try container.decode(Int64.self, forKey: .amount)
        amountCaptured = try container.decodeIfPresent(Int64.self, forKey: .amountCaptured) ?? 0
        amountRefunded = try container.decodeIfPresent(Int64.self, forKey: .amountRefunded) ?? 0
        captured = try container.decodeIfPresent(Bool.self, forKey: .captured) ?? false
        refunded = try container.decodeIfPresent(Bool.self, forKey: .refunded) ?? false
        status = try container.decode(String.self, forKey: .status)
        currency = try container.decode(String.self, forKey: .currency)
        created = try container.decodeIfPresent(Int64.self, forKey: .created) ?? 0
        paymentMethodDetails = try container.decodeIfPresent(PaymentMethodDetails.self, forKey: .paymentMethodDetails)
        balanceTransaction = try? container.decodeIfPresent(String.self, forKey: .balanceTransaction)
        if let intent = try? container.decodeIfPresent(StripePaymentIntentSummary.self, forKey: .paymentIntent) {
            paymentIntent = intent
            paymentIntentID = intent.id
        } else {
            paymentIntent = nil
            paymentIntentID = try container.decodeIfPresent(String.self, forKey: .paymentIntent)
        }
    }

    /// What was taken and then given back by refunds — not counting the part of a partial capture that was
    /// never taken, which Stripe also counts in `amount_refunded`.
    public var refundedOfCaptured: Int64 {
        guard captured else { return 0 }
        return max(0, amountRefunded - (amount - amountCaptured))
    }
}

/// A PaymentIntent as a listed Charge carries it when expanded (its `latest_charge` is then only an id).
public struct StripePaymentIntentSummary: Decodable, Sendable, Equatable {
    public var id: String
    public var status: String
    public var amount: Int64
    public var amountReceived: Int64
    public var metadata: [String: String]
    public var created: Int64
    public var lastPaymentError: StripeAPIError?

    enum CodingKeys: String, CodingKey {
        case id, status, amount, metadata, created
        case amountReceived = "amount_received"
        case lastPaymentError = "last_payment_error"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        status = try container.decode(String.self, forKey: .status)
        amount = try container.decode(Int64.self, forKey: .amount)
        amountReceived = try container.decodeIfPresent(Int64.self, forKey: .amountReceived) ?? 0
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        created = try container.decodeIfPresent(Int64.self, forKey: .created) ?? 0
        lastPaymentError = try container.decodeIfPresent(StripeAPIError.self, forKey: .lastPaymentError)
    }
}
