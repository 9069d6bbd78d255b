/// A Terminal Reader (`tmr_…`) and what it is doing.
public struct StripeReader: Decodable, Sendable, Equatable {
    public var id: String
    public var label: String?
    /// online or offline.
    public var status: String?
    public var action: Action?

    public struct Action: Decodable, Sendable, Equatable {
        /// process_payment_intent, set_reader_display, …
        public var type: String
        /// in_progress, succeeded, failed.
        public var status: String
        public var failureCode: String?
        public var failureMessage: String?
        public var processPaymentIntent: ProcessPaymentIntent?

        public struct ProcessPaymentIntent: Decodable, Sendable, Equatable {
            public var paymentIntent: String?
            enum CodingKeys: String, CodingKey { case paymentIntent = "payment_intent" }
        }

        enum CodingKeys: String, CodingKey {
            case type, status
            case failureCode = "failure_code"
            case failureMessage = "failure_message"
            case processPaymentIntent = "process_payment_intent"
        }

        /// The PaymentIntent this action is processing, if it is processing one.
        public var paymentIntentID: String? { processPaymentIntent?.paymentIntent }
    }

    public var isOnline: Bool { status == "online" }

    /// The reader's action when it concerns `paymentIntentID`.
    public func action(for paymentIntentID: String) -> Action? {
        guard let action, action.type == "process_payment_intent", action.paymentIntentID == paymentIntentID else { return nil }
        return action
    }
}
