/// A PaymentIntent, with the fields Till reads.
public struct StripePaymentIntent: Decodable, Sendable, Equatable {
    public var id: String
    public var amount: Int64
    public var amountCapturable: Int64
    public var amountReceived: Int64
    public var currency: String
    public var captureMethod: String?
    /// requires_payment_method, requires_confirmation, requires_action, processing, requires_capture, canceled,
    /// succeeded.
    public var status: String
    public var created: Int64
    public var metadata: [String: String]
    public var lastPaymentError: StripeAPIError?
    /// Present when asked for with `expand[]=latest_charge`; otherwise only its id is known.
    public var latestCharge: StripeCharge?
    public var latestChargeID: String?

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, status, created, metadata
        case amountCapturable = "amount_capturable"
        case amountReceived = "amount_received"
        case captureMethod = "capture_method"
        case lastPaymentError = "last_payment_error"
        case latestCharge = "latest_charge"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        amount = try container.decode(Int64.self, forKey: .amount)
        amountCapturable = try container.decodeIfPresent(Int64.self, forKey: .amountCapturable) ?? 0
        amountReceived = try container.decodeIfPresent(Int64.self, forKey: .amountReceived) ?? 0
        currency = try container.decode(String.self, forKey: .currency)
        captureMethod = try container.decodeIfPresent(String.self, forKey: .captureMethod)
        status = try container.decode(String.self, forKey: .status)
        created = try container.decodeIfPresent(Int64.self, forKey: .created) ?? 0
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        lastPaymentError = try container.decodeIfPresent(StripeAPIError.self, forKey: .lastPaymentError)
        // `latest_charge` is an id, or the Charge itself when expanded.
        if let charge = try? container.decodeIfPresent(StripeCharge.self, forKey: .latestCharge) {
            latestCharge = charge
            latestChargeID = charge.id
        } else {
            latestCharge = nil
            latestChargeID = try container.decodeIfPresent(String.self, forKey: .latestCharge)
        }
    }

    /// The card was approved: money is held (`requires_capture`) or taken (`succeeded`).
    public var isApproved: Bool { status == "succeeded" || status == "requires_capture" }
}
