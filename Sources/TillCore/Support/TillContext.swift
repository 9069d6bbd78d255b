import Foundation

/// Where the time comes from. Production reads the system clock; tests pin it (`.fixed`) or step it.
public struct TillClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) { self.read = read }

    public func now() -> Date { read() }

    public static let system = TillClock { Date() }

    public static func fixed(_ date: Date) -> TillClock { TillClock { date } }
}

/// Who is acting, who approves, at which register, when, and with which card terminal and printer: one value
/// built once by the TUI (per signed-in session) and by the CLI (per command), and taken by every TillCore use
/// case that moves money or stock or reads a restricted report — so no caller can forget who, where or when.
///
/// A use case checks its permission against `staffID` (and `approverID` where a manager may approve) inside the
/// transaction that does the work.
public struct TillContext: Sendable {
    /// The signed-in staff member; nil is the store file's owner at a shell (allowed only for catalog, stock and
    /// settings work — see `Permissions.requireIfSignedIn`).
    public var staffID: Int64?
    /// A manager approving what the acting member may not do alone (a discount above the limit, a price change).
    public var approverID: Int64?
    /// The till this happens at: cash goes into (or out of) this register's open shift.
    public var register: String
    public var clock: TillClock
    /// The card reader this register drives; nil where the caller has none (then a card tender is refused).
    public var terminal: CardTerminal?
    /// The card processors this till can reach, by kind, for refunds, voids and look-ups of payments another
    /// register's reader took (a refund goes to the processor that took the money, not to a reader).
    public var processors: (@Sendable (CardTerminalKind) -> CardTerminal?)?
    /// Where receipts go: a printer device or file, and the paper width.
    public var printerPath: String?
    public var receiptWidth: Int
    /// Set when the person who asked for this work wants it stopped (Esc during a card charge).
    public var cancellation: CancellationFlag?
    /// Where long work reports how far it has come; silent unless a caller listens.
    public var progress: ProgressReporter = .silent
    /// A chain store's live line to head office (gift card holds, other stores' stock); nil outside a chain,
    /// or where the caller has none — then the till behaves as if HQ were unreachable.
    public var headOffice: HeadOffice?

    public static let defaultRegister = "main"

    public init(staffID: Int64? = nil, approverID: Int64? = nil, register: String = TillContext.defaultRegister,
                clock: TillClock = .system, terminal: CardTerminal? = nil, printerPath: String? = nil,
                receiptWidth: Int = 42) {
        self.staffID = staffID
        self.approverID = approverID
        self.register = register
        self.clock = clock
        self.terminal = terminal
        self.printerPath = printerPath
        self.receiptWidth = receiptWidth
    }

    public var now: Date { clock.now() }

    /// The same context at a pinned moment (tests, the demo history, a replayed command).
    public func at(_ date: Date) -> TillContext {
        var copy = self
        copy.clock = .fixed(date)
        return copy
    }

    /// The same context with someone else acting (switch user) or approving.
    public func acting(as staffID: Int64?, approvedBy approverID: Int64? = nil) -> TillContext {
        var copy = self
        copy.staffID = staffID
        copy.approverID = approverID
        return copy
    }

    /// Whether the caller has asked for this work to stop.
    public var isCancelled: Bool { cancellation?.isCancelled ?? false }

    /// The processor that took a payment (`reader` as the payment records it, `stripe:tmr_…`; none recorded: the
    /// simulated one, which took every card before readers were paired), or a clear refusal.
    public func processor(for reader: String?) throws -> CardTerminal {
        let kind = reader.flatMap { CardTerminalKind(rawValue: String($0.prefix { $0 != ":" })) } ?? .simulated
        if let terminal, terminal.kind == kind { return terminal }
        if let found = processors?(kind) { return found }
        throw TillError.invalid("this till cannot reach the \(kind.rawValue) card processor that took this payment; do it at a register paired with a \(kind.rawValue) reader")
    }

    /// The reader, or a clear refusal when this register has none.
    public func requireTerminal() throws -> CardTerminal {
        guard let terminal else {
            throw TillError.invalid("register \(register) has no card reader paired (till terminal pair \(register) READER-ID --stripe, or --simulated); take another tender")
        }
        return terminal
    }
}
