import Foundation

/// The reader of a register that is paired but cannot be reached from here (no API key, an unknown kind):
/// every call says why, so a card tender is refused with the fix instead of failing somewhere deeper. Cash and
/// everything else keep working.
public struct UnavailableTerminal: CardTerminal {
    public let kind: CardTerminalKind
    public let readerID: String
    public let reason: String

    public init(kind: CardTerminalKind, readerID: String, reason: String) {
        self.kind = kind
        self.readerID = readerID
        self.reason = reason
    }

    private var error: CardTerminalError { .notConfigured(reason) }

    public func collect(_ request: CardCollectRequest, journal: CardAttemptJournal, cancellation: CancellationFlag?,
                        progress: ProgressReporter) throws -> CardPayment { throw error }
    public func recover(_ attempt: CardAttemptRecord) throws -> CardPayment? { throw error }
    public func abandon(_ attempt: CardAttemptRecord, paymentID: String) throws { throw error }
    public func capture(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment { throw error }
    public func void(paymentID: String, idempotencyKey: String) throws -> CardPayment { throw error }
    public func refund(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment { throw error }
    public func payment(id: String) throws -> CardPayment { throw error }
    public func payments(from: Date, to: Date) throws -> [CardPayment] { throw error }
    public func status() throws -> CardReaderStatus { throw error }
}
