/// A Refund of (part of) a PaymentIntent's charge.
public struct StripeRefund: Decodable, Sendable, Equatable {
    public var id: String
    public var amount: Int64
    public var status: String?
    public var paymentIntent: String?
    public var charge: String?

    enum CodingKeys: String, CodingKey {
        case id, amount, status, charge
        case paymentIntent = "payment_intent"
    }
}
