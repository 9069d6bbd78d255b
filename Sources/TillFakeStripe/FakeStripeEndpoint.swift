/// The Stripe endpoints the fake answers, named so a fault can pick one (`slow[retrieve_payment_intent]=1500`).
public enum FakeStripeEndpoint: String, Sendable, CaseIterable, Codable {
    case createPaymentIntent = "create_payment_intent"
    case retrievePaymentIntent = "retrieve_payment_intent"
    case capturePaymentIntent = "capture_payment_intent"
    case cancelPaymentIntent = "cancel_payment_intent"
    case processPaymentIntent = "process_payment_intent"
    case cancelReaderAction = "cancel_action"
    case retrieveReader = "retrieve_reader"
    case presentPaymentMethod = "present_payment_method"
    case createRefund = "create_refund"
    case listCharges = "list_charges"
    case listBalanceTransactions = "list_balance_transactions"

    /// Which endpoint a method and path name, and the id in the path.
    static func route(method: String, path: String) -> (FakeStripeEndpoint, String?)? {
        let parts = path.split(separator: "/").map(String.init)
        switch (method, parts.count) {
        case ("POST", 2) where parts == ["v1", "payment_intents"]: return (.createPaymentIntent, nil)
        case ("GET", 3) where parts[0...1] == ["v1", "payment_intents"]: return (.retrievePaymentIntent, parts[2])
        case ("POST", 4) where parts[0...1] == ["v1", "payment_intents"] && parts[3] == "capture":
            return (.capturePaymentIntent, parts[2])
        case ("POST", 4) where parts[0...1] == ["v1", "payment_intents"] && parts[3] == "cancel":
            return (.cancelPaymentIntent, parts[2])
        case ("POST", 5) where parts[0...2] == ["v1", "terminal", "readers"] && parts[4] == "process_payment_intent":
            return (.processPaymentIntent, parts[3])
        case ("POST", 5) where parts[0...2] == ["v1", "terminal", "readers"] && parts[4] == "cancel_action":
            return (.cancelReaderAction, parts[3])
        case ("GET", 4) where parts[0...2] == ["v1", "terminal", "readers"]: return (.retrieveReader, parts[3])
        case ("POST", 6) where parts[0...3] == ["v1", "test_helpers", "terminal", "readers"]
            && parts[5] == "present_payment_method":
            return (.presentPaymentMethod, parts[4])
        case ("POST", 2) where parts == ["v1", "refunds"]: return (.createRefund, nil)
        case ("GET", 2) where parts == ["v1", "charges"]: return (.listCharges, nil)
        case ("GET", 2) where parts == ["v1", "balance_transactions"]: return (.listBalanceTransactions, nil)
        default: return nil
        }
    }
}

/// What the customer does at the reader.
public enum FakeCardOutcome: Sendable, Equatable {
    /// The card is approved: authorised, and captured unless the PaymentIntent captures manually.
    case approve
    /// The issuer declines with Stripe's `decline_code` (`insufficient_funds`, `expired_card`, …).
    case decline(String)
    /// The customer presses cancel on the reader (the action fails with `customer_canceled`).
    case customerCancels

    /// `approve`, `decline:CODE`, `cancel` — the form the control endpoint and `fake-stripe --auto` take.
    public init?(argument: String) {
        switch argument {
        case "approve": self = .approve
        case "cancel", "customer_cancels": self = .customerCancels
        default:
            guard argument.hasPrefix("decline:"), argument.count > "decline:".count else { return nil }
            self = .decline(String(argument.dropFirst("decline:".count)))
        }
    }

    public var argument: String {
        switch self {
        case .approve: return "approve"
        case let .decline(code): return "decline:\(code)"
        case .customerCancels: return "cancel"
        }
    }
}

/// Ways the fake misbehaves. Counts are how many requests the fault hits before it wears off.
public struct FakeStripeFaults: Sendable, Equatable {
    /// `process_payment_intent` answers `terminal_reader_busy` (another till has the reader).
    public var readerBusy = false
    /// The answer to an endpoint comes this many milliseconds late — after the change was made — for the next
    /// `count` requests to it.
    public var slowAnswers: [FakeStripeEndpoint: SlowAnswer] = [:]
    /// The change is made and saved for idempotency, then the connection is closed without an answer, for the
    /// next N requests to the endpoint.
    public var dropAnswerAfterCommit: [FakeStripeEndpoint: Int] = [:]
    /// The endpoint answers 429 `rate_limit` without doing anything, for the next N requests to it.
    public var rateLimited: [FakeStripeEndpoint: Int] = [:]
    /// `process_payment_intent` answers `terminal_reader_timeout` although the reader did get the action (the
    /// false negative Stripe warns of), this many times.
    public var falseNegativeTimeouts = 0
    /// `process_payment_intent` answers `terminal_reader_timeout` and the reader really did not get the action.
    public var readerTimeouts = 0
    /// The customer's move, this many milliseconds after the reader gets a payment (for tests and demos where
    /// nobody plays the customer). Nil: wait for `present(reader:outcome:)`.
    public var autoPresent: AutoPresent?

    public struct SlowAnswer: Sendable, Equatable {
        public var milliseconds: Int
        public var count: Int
        public init(milliseconds: Int, count: Int = 1) {
            self.milliseconds = milliseconds
            self.count = count
        }
    }

    public struct AutoPresent: Sendable, Equatable {
        public var outcome: FakeCardOutcome
        public var afterMilliseconds: Int
        public init(_ outcome: FakeCardOutcome, afterMilliseconds: Int = 0) {
            self.outcome = outcome
            self.afterMilliseconds = afterMilliseconds
        }
    }

    public init() {}
}

/// One request as the fake received it: for tests that check what a client sends (every POST has an
/// Idempotency-Key; the API key is in the Authorization header and nowhere else).
public struct FakeStripeRecordedRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String
    public var headers: [FakeStripeHeader]
    public var body: String
    public var endpoint: FakeStripeEndpoint?

    public var idempotencyKey: String? { header("Idempotency-Key") }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

public struct FakeStripeHeader: Sendable, Equatable {
    public var name: String
    public var value: String
}

/// A charge as the fake holds it, for tests to count what was really taken.
public struct FakeStripeChargeRecord: Sendable, Equatable {
    public var id: String
    public var paymentIntentID: String
    public var attemptKey: String?
    public var status: String
    public var amount: Int64
    public var amountCaptured: Int64
    /// Given back: refunds, and the part of a partial capture that was released.
    public var amountRefunded: Int64
    public var captured: Bool
}

/// A misuse of the fake's Swift API (no such reader, nothing to present to).
public struct FakeStripeError: Error, CustomStringConvertible, Equatable {
    public var description: String
    init(_ description: String) { self.description = description }
}
