/// The idempotency keys of one card attempt, all derived from Till's attempt key: a retry of any step after a
/// lost answer sends the same key and gets Stripe's first answer instead of a second payment.
public struct StripeAttemptKeys: Sendable, Equatable {
    public let attempt: String

    public init(_ attemptKey: String) { attempt = attemptKey }

    public var create: String { "\(attempt)-create" }
    public var process: String { "\(attempt)-process-1" }
    /// The one retry of process_payment_intent after the reader timed out without getting the action.
    public var processRetry: String { "\(attempt)-process-2" }
    public var cancelAction: String { "\(attempt)-cancel-action" }
    /// `abandon` calls the reader off under its own key: a replay of collect's cancel would not reach the reader.
    public var abandonCancelAction: String { "\(attempt)-abandon-cancel-action" }
    public var capture: String { "\(attempt)-capture" }
    public var cancel: String { "\(attempt)-cancel" }
}
