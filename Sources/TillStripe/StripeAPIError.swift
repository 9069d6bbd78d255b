/// Stripe's error envelope, `{"error": {"type", "code", "decline_code", "message", "payment_intent"}}`.
public struct StripeAPIError: Decodable, Sendable, Equatable {
    /// api_error, card_error, idempotency_error, invalid_request_error.
    public var type: String
    /// terminal_reader_offline, terminal_reader_busy, terminal_reader_timeout, card_declined, resource_missing, …
    public var code: String?
    public var declineCode: String?
    public var message: String?
    /// The PaymentIntent as it stood, on errors about one (its id and status are all Till reads of it here).
    public var paymentIntent: PaymentIntentState?

    public struct PaymentIntentState: Decodable, Sendable, Equatable {
        public var id: String
        public var status: String
    }

    enum CodingKeys: String, CodingKey {
        case type, code, message
        case declineCode = "decline_code"
        case paymentIntent = "payment_intent"
    }

    struct Envelope: Decodable { var error: StripeAPIError }
}

/// Why a request to Stripe gave no usable answer.
public enum StripeClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stripe answered with an error (`status` 4xx/5xx and its envelope).
    case api(status: Int, error: StripeAPIError)
    /// The request never left: no connection to `url`. Nothing can have happened at Stripe.
    case unreachable(url: String, reason: String)
    /// The request was sent and no answer came back in time, or the connection dropped: it may have been applied.
    case noAnswer(String)
    /// Stripe answered something Till could not read.
    case undecodable(String)

    public var description: String {
        switch self {
        case let .api(status, error):
            return "Stripe answered \(status)" + (error.code.map { " \($0)" } ?? "") + (error.message.map { ": \($0)" } ?? "")
        case let .unreachable(url, reason): return "cannot reach Stripe at \(url) (\(reason)); nothing was sent"
        case let .noAnswer(why): return why
        case let .undecodable(why): return "unreadable answer from Stripe: \(why)"
        }
    }

    /// Stripe's error code, when Stripe answered with one.
    public var code: String? {
        if case let .api(_, error) = self { return error.code }
        return nil
    }
}
