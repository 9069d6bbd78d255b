import Foundation

/// A card charge as the gateway reports it. Never holds the card number.
public struct GatewayCharge: Equatable, Sendable {
    public var token: String
    public var amount: Int64
    public var brand: String
    public var last4: String
    public var status: PaymentStatus
    /// Refunded so far (partial refunds leave the status `captured`).
    public var refunded: Int64 = 0
    public var createdAt: Date?
}

public enum GatewayError: Error, Equatable, CustomStringConvertible {
    case declined(reason: String)
    /// No answer in time. The charge may or may not exist: retry with the same idempotency key.
    case timedOut
    case invalidCard(String)
    case unknownCharge(String)
    case notAllowed(String)
    /// The person at the till cancelled before the card was charged: nothing was taken.
    case cancelled

    public var description: String {
        switch self {
        case let .declined(reason): return "card declined: \(reason)"
        case .timedOut: return "the card gateway did not answer in time; the sale is still open — retry the card (it will not be charged twice)"
        case let .invalidCard(why): return "card not read: \(why)"
        case let .unknownCharge(token): return "the gateway has no charge \(token)"
        case let .notAllowed(why): return why
        case .cancelled: return "card payment cancelled before the card was charged; nothing was taken"
        }
    }
}

/// Talks to a card processor. Every call that moves money takes an idempotency key: calling again with the
/// same key returns the first answer instead of charging again.
public protocol PaymentGateway: Sendable {
    /// Authorizes and captures `amount` on the card. The PAN goes to the gateway only; Till keeps the token,
    /// brand and last four.
    func charge(amount: Int64, currency: Currency, cardNumber: String, idempotencyKey: String) throws -> GatewayCharge
    /// The same charge while the customer presents the card: says how far it has come, and stops (throwing
    /// `.cancelled`) when asked to before the card is charged.
    func charge(amount: Int64, currency: Currency, cardNumber: String, idempotencyKey: String,
                cancellation: CancellationFlag?, progress: ProgressReporter) throws -> GatewayCharge
    /// Cancels a captured charge (same day) or refunds it in full.
    func void(token: String) throws -> GatewayCharge
    /// Refunds part or all of a captured charge; never more than was captured.
    func refund(token: String, amount: Int64, idempotencyKey: String) throws -> GatewayCharge
    /// What the gateway holds for a charge.
    func charge(token: String) throws -> GatewayCharge
    /// Every charge the gateway made in a time range (its settlement report), declines excluded.
    func charges(from: Date, to: Date) throws -> [GatewayCharge]
}

extension PaymentGateway {
    /// A gateway that answers at once has nothing to report and no moment to stop in.
    public func charge(amount: Int64, currency: Currency, cardNumber: String, idempotencyKey: String,
                       cancellation: CancellationFlag?, progress: ProgressReporter) throws -> GatewayCharge {
        if cancellation?.isCancelled == true { throw GatewayError.cancelled }
        return try charge(amount: amount, currency: currency, cardNumber: cardNumber, idempotencyKey: idempotencyKey)
    }
}

/// Card numbers as a reader hands them over: digits, Luhn-valid, brand from the leading digits.
public enum CardNumber {
    public static func validate(_ raw: String) throws -> (digits: String, brand: String, last4: String) {
        let digits = raw.filter { !$0.isWhitespace && $0 != "-" }
        guard digits.allSatisfy(\.isASCIIDigit), (12...19).contains(digits.count) else {
            throw GatewayError.invalidCard("a card number has 12 to 19 digits")
        }
        guard luhnValid(digits) else { throw GatewayError.invalidCard("the card number's check digit is wrong") }
        return (digits, brand(digits), String(digits.suffix(4)))
    }

    static func luhnValid(_ digits: String) -> Bool {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            var digit = character.wholeNumberValue ?? 0
            if index % 2 == 1 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return sum % 10 == 0
    }

    static func brand(_ digits: String) -> String {
        if digits.hasPrefix("4") { return "visa" }
        if let two = Int(digits.prefix(2)), (51...55).contains(two) { return "mastercard" }
        if let four = Int(digits.prefix(4)), (2221...2720).contains(four) { return "mastercard" }
        if digits.hasPrefix("34") || digits.hasPrefix("37") { return "amex" }
        if digits.hasPrefix("6011") || digits.hasPrefix("65") { return "discover" }
        return "card"
    }
}
