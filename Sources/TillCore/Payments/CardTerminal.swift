import Foundation

/// Which kind of reader a register drives. The register and the core never look past this: a new processor
/// (Adyen's Terminal API, a ZVT terminal) is a new case and a new `CardTerminal`, nothing else.
public enum CardTerminalKind: String, Codable, Sendable, CaseIterable {
    /// The reader without a network, for the demo store, training and tests: the cashier plays the customer.
    case simulated
    /// A Stripe Terminal reader (`tmr_…`), driven server-side over Stripe's REST API.
    case stripe
}

/// How the card reached the reader, as a card receipt prints it.
public enum CardEntryMode: String, Codable, Sendable {
    case contactless
    case chip
    case swipe
    case manual
    case unknown

    /// Stripe's `read_method` (contactless_emv, contact_emv, magnetic_stripe_track2, …) as an entry mode.
    public init(processorReadMethod raw: String?) {
        switch raw ?? "" {
        case "contactless_emv", "contactless_magstripe_mode": self = .contactless
        case "contact_emv": self = .chip
        case "magnetic_stripe_track2", "magnetic_stripe_fallback": self = .swipe
        case "manual_entry": self = .manual
        default: self = .unknown
        }
    }
}

/// What the reader hands back about the card — never its number. Enough for the receipt a card payment must
/// have: brand, last four, how it was read, the chip application (name and AID) and the issuer's
/// authorisation code.
public struct PresentedCard: Equatable, Sendable, Codable {
    public var brand: String
    public var last4: String
    public var entryMode: CardEntryMode
    public var applicationName: String?
    /// The chip application identifier (AID), e.g. A0000000031010.
    public var applicationID: String?
    public var authorizationCode: String?

    public init(brand: String, last4: String, entryMode: CardEntryMode, applicationName: String? = nil,
                applicationID: String? = nil, authorizationCode: String? = nil) {
        self.brand = brand
        self.last4 = last4
        self.entryMode = entryMode
        self.applicationName = applicationName
        self.applicationID = applicationID
        self.authorizationCode = authorizationCode
    }
}

/// Where a payment is at the processor.
public enum CardPaymentStatus: String, Codable, Sendable {
    /// Created, no card taken yet (or the last card was declined): nothing has moved.
    case awaitingCard = "awaiting_card"
    /// The reader or the processor is still working on it: the answer is not known yet.
    case processing
    /// The card was approved and the money is held, not yet taken (manual capture).
    case authorized
    /// The money was taken (refunds do not change this; see `amountRefunded`).
    case captured
    /// Called off before capture: nothing was taken, or the hold was released.
    case cancelled
}

/// A payment as the processor holds it.
public struct CardPayment: Equatable, Sendable, Codable {
    /// The processor's id for the payment (Stripe's PaymentIntent `pi_…`). Till keeps it as the payment's token.
    public var id: String
    public var status: CardPaymentStatus
    /// What was asked for, and what was approved and taken.
    public var amount: Int64
    public var amountCaptured: Int64
    public var amountRefunded: Int64
    /// ISO 4217 code, upper case.
    public var currency: String
    public var card: PresentedCard?
    /// The processor's code for the last decline on this payment (`insufficient_funds`), if any.
    public var declineCode: String?
    /// Till's attempt key, as the payment's metadata carries it (how a lost answer is found again).
    public var attemptKey: String?
    public var createdAt: Date

    public init(id: String, status: CardPaymentStatus, amount: Int64, amountCaptured: Int64 = 0, amountRefunded: Int64 = 0,
                currency: String, card: PresentedCard? = nil, declineCode: String? = nil, attemptKey: String? = nil,
                createdAt: Date) {
        self.id = id
        self.status = status
        self.amount = amount
        self.amountCaptured = amountCaptured
        self.amountRefunded = amountRefunded
        self.currency = currency
        self.card = card
        self.declineCode = declineCode
        self.attemptKey = attemptKey
        self.createdAt = createdAt
    }
}

/// One request to collect a card payment. `attemptKey` is saved in the store before the terminal is asked;
/// every request the terminal sends for this attempt derives its idempotency key from it, so asking again
/// after a lost answer can never take the money twice.
public struct CardCollectRequest: Equatable, Sendable {
    public var amount: Int64
    public var currency: Currency
    public var attemptKey: String
    /// Authorize only; Till captures once the sale is saved (the store's `card_capture` setting).
    public var captureManually: Bool
    /// What the processor's dashboard shows ("Till sale 57 at register main").
    public var description: String
    /// Kept with the payment at the processor: order, register, store.
    public var metadata: [String: String]

    public init(amount: Int64, currency: Currency, attemptKey: String, captureManually: Bool = false,
                description: String, metadata: [String: String] = [:]) {
        self.amount = amount
        self.currency = currency
        self.attemptKey = attemptKey
        self.captureManually = captureManually
        self.description = description
        self.metadata = metadata
    }
}

/// What Till already knows about an attempt whose answer it is missing.
public struct CardAttemptRecord: Equatable, Sendable {
    public var attemptKey: String
    public var amount: Int64
    public var currency: Currency
    public var captureManually: Bool
    public var description: String
    public var metadata: [String: String]
    /// The processor's payment id, when the terminal reported it before the answer was lost.
    public var processorPaymentID: String?

    public init(attemptKey: String, amount: Int64, currency: Currency, captureManually: Bool, description: String,
                metadata: [String: String] = [:], processorPaymentID: String?) {
        self.attemptKey = attemptKey
        self.amount = amount
        self.currency = currency
        self.captureManually = captureManually
        self.description = description
        self.metadata = metadata
        self.processorPaymentID = processorPaymentID
    }

    public var request: CardCollectRequest {
        CardCollectRequest(amount: amount, currency: currency, attemptKey: attemptKey, captureManually: captureManually,
                           description: description, metadata: metadata)
    }
}

/// Where a terminal writes down, as soon as it knows them, the ids it will need to find a payment again.
/// Called inside `collect`, before the reader is asked to take the card.
public struct CardAttemptJournal: Sendable {
    private let created: @Sendable (String) throws -> Void

    public init(paymentCreated: @escaping @Sendable (String) throws -> Void) { self.created = paymentCreated }

    public func paymentCreated(_ processorPaymentID: String) throws { try created(processorPaymentID) }

    public static let none = CardAttemptJournal { _ in }
}

/// The reader's state, for `till terminal test` and the status line.
public struct CardReaderStatus: Equatable, Sendable {
    public var readerID: String
    public var label: String
    public var online: Bool
    /// What the reader is doing now ("idle", "collecting a payment").
    public var activity: String

    public init(readerID: String, label: String, online: Bool, activity: String) {
        self.readerID = readerID
        self.label = label
        self.online = online
        self.activity = activity
    }
}

/// Why a card terminal call did not give an approved payment.
public enum CardTerminalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The issuer or processor said no. Nothing was taken; the next attempt is a new one.
    case declined(code: String)
    /// Called off before the card was charged: by the cashier (Esc) or by the customer on the reader.
    case cancelled(byCustomer: Bool)
    /// The reader is not connected to the processor.
    case readerOffline(reader: String)
    /// The reader is in the middle of something else (another till, a payment not finished).
    case readerBusy(reader: String)
    /// No answer in time, or the connection dropped: the money may or may not have been taken. The attempt
    /// stays open with its key; the next try (or start-up) settles it from the processor's records.
    case noAnswer(String)
    /// The processor refused the request itself (bad amount, a key mismatch, an expired API key).
    case refused(String)
    /// The register has no usable terminal (not paired, no API key).
    case notConfigured(String)
    case unknownPayment(String)
    /// The processor has no such reader on this account (a typo in the id, or a key for another account).
    case unknownReader(String)

    /// A definite answer: nothing more will happen to this attempt. Only `noAnswer` leaves it in doubt.
    public var isDefinite: Bool {
        if case .noAnswer = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case let .declined(code): return "card declined: \(CardDeclineCode.plainWords(code)); nothing was taken"
        case .cancelled(byCustomer: true): return "the customer cancelled on the reader; nothing was taken"
        case .cancelled(byCustomer: false): return "card payment cancelled before the card was charged; nothing was taken"
        case let .readerOffline(reader): return "card reader \(reader) is offline: check its power and network, or take another tender"
        case let .readerBusy(reader): return "card reader \(reader) is busy with another payment: finish or cancel it on the reader, then try again"
        case let .noAnswer(why): return "no answer from the card processor (\(why)); the sale stays open — take the card again and it will not be charged twice"
        case let .refused(why): return "the card processor refused the request: \(why)"
        case let .notConfigured(why): return why
        case let .unknownPayment(id): return "the card processor has no payment \(id)"
        case let .unknownReader(id): return "the card processor has no reader \(id) on this account: check the reader id (till terminal pair REGISTER tmr_… --stripe) and that the key is for the reader's account"
        }
    }
}

/// A semi-integrated card reader: Till asks it to collect an amount, the customer taps or inserts, and Till
/// gets back the processor's payment id, brand, last four and the result — never the card number.
///
/// Every call that moves money takes an idempotency key (`collect` derives its keys from `attemptKey`):
/// asking again with the same key gets the first answer instead of moving money twice. Calls block until the
/// answer; they run off the app's key loop, report progress, and `collect` stops when `cancellation` is set
/// while the card has not been charged.
public protocol CardTerminal: Sendable {
    var kind: CardTerminalKind { get }
    /// The reader this terminal drives (`tmr_…`, `sim-main`).
    var readerID: String { get }

    /// Asks the reader to take `request.amount`, waits for the customer and the processor, and returns the
    /// payment: captured, or authorized when `captureManually`. Throws `CardTerminalError` otherwise. Writes the
    /// processor's payment id to `journal` as soon as it exists.
    func collect(_ request: CardCollectRequest, journal: CardAttemptJournal, cancellation: CancellationFlag?,
                 progress: ProgressReporter) throws -> CardPayment
    /// What became of an attempt whose answer was lost: the processor's payment for it, or nil when the
    /// processor never created one (nothing was taken). Never asks the reader to take a card.
    func recover(_ attempt: CardAttemptRecord) throws -> CardPayment?
    /// Calls off an attempt that was not charged (a payment awaiting a card), so a reader or hold is not left
    /// waiting. Idempotent.
    func abandon(_ attempt: CardAttemptRecord, paymentID: String) throws
    /// Takes `amount` (at most what was authorized) of an authorized payment.
    func capture(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment
    /// Releases an authorized payment, or refunds a captured one in full (a void on the day).
    func void(paymentID: String, idempotencyKey: String) throws -> CardPayment
    /// Refunds part or all of a captured payment; never more than is left on it.
    func refund(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment
    /// The payment as the processor holds it now.
    func payment(id: String) throws -> CardPayment
    /// Every payment created in a period (the processor's records, for reconciliation), declines excluded.
    func payments(from: Date, to: Date) throws -> [CardPayment]
    /// Whether the reader is there and free (`till terminal test`).
    func status() throws -> CardReaderStatus
}

/// Processor decline codes in words a cashier can say to a customer. Lost or stolen cards read as a plain
/// decline on purpose: the cashier should not accuse the customer at the counter.
public enum CardDeclineCode {
    public static func plainWords(_ code: String) -> String {
        switch code {
        case "insufficient_funds": return "insufficient funds — ask for another card or tender"
        case "expired_card": return "the card has expired"
        case "incorrect_pin", "invalid_pin": return "wrong PIN — the customer may try again"
        case "pin_try_exceeded": return "too many wrong PINs — the card is locked for PIN use"
        case "card_velocity_exceeded", "withdrawal_count_limit_exceeded": return "the card's spending limit is reached"
        case "card_not_supported": return "this card does not support this kind of payment"
        case "currency_not_supported": return "the card cannot pay in this currency"
        case "offline_pin_required", "online_or_offline_pin_required": return "the card needs its PIN — insert it instead of tapping"
        case "processing_error": return "the processor had an error — try again"
        case "try_again_later": return "the issuer asks to try again later"
        case "do_not_honor", "generic_decline", "card_declined", "call_issuer", "lost_card", "stolen_card", "pickup_card",
             "restricted_card", "security_violation", "fraudulent", "merchant_blacklist", "transaction_not_allowed":
            return "declined by the card issuer — ask for another card or tender"
        default: return "declined (\(code)) — ask for another card or tender"
        }
    }
}
