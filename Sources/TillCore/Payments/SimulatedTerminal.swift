import Foundation
import GRDB
import Synchronization

/// What the customer does at the simulated reader.
public enum SimulatedCustomerAction: Equatable, Sendable {
    /// Taps the card; the issuer approves.
    case approve
    /// Taps the card; the issuer declines with this processor code (`insufficient_funds`, `generic_decline` …).
    case decline(code: String)
    /// Presses cancel on the reader.
    case cancel
    /// The card is charged but the answer never reaches Till (a network drop on the way back).
    case loseAnswer

    /// `approve`, `decline[:CODE]`, `insufficient_funds`, `cancel`, `timeout` — as `TILL_SIM_CUSTOMER` takes them.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first ?? "" {
        case "approve": self = .approve
        case "decline": self = .decline(code: parts.count == 2 ? parts[1] : "generic_decline")
        case "insufficient_funds": self = .decline(code: "insufficient_funds")
        case "cancel": self = .cancel
        case "timeout", "lose_answer": self = .loseAnswer
        default: return nil
        }
    }

    /// The reader's choices in the order the app offers them (keys 1–5).
    public static let menu: [(key: Character, action: SimulatedCustomerAction, label: String)] = [
        ("1", .approve, "approve"), ("2", .decline(code: "generic_decline"), "decline"),
        ("3", .decline(code: "insufficient_funds"), "insufficient funds"), ("4", .cancel, "customer cancels"),
        ("5", .loseAnswer, "answer lost"),
    ]
}

/// The person at the simulated reader. In the app the cashier plays the customer (keys 1–5 while the reader
/// waits); scripts and tests set what every customer does (`TILL_SIM_CUSTOMER`), after `presentationDelay`.
public final class SimulatedCustomer: Sendable {
    private let chosen = Mutex<SimulatedCustomerAction?>(nil)
    /// What a customer does when nobody chooses; nil waits for a choice (the app).
    public let automatic: SimulatedCustomerAction?
    public let presentationDelay: Duration

    public init(automatic: SimulatedCustomerAction? = .approve, presentationDelay: Duration = .zero) {
        self.automatic = automatic
        self.presentationDelay = presentationDelay
    }

    /// The cashier picks what the customer does at the waiting reader.
    public func choose(_ action: SimulatedCustomerAction) { chosen.withLock { $0 = action } }

    /// Whether the reader waits for someone to choose (the app shows the choices).
    public var waitsForChoice: Bool { automatic == nil }

    /// Waits for the customer: a choice made, else the automatic one after the delay; nil when cancelled first.
    func act(cancellation: CancellationFlag?) -> SimulatedCustomerAction? {
        chosen.withLock { $0 = nil }
        let clock = ContinuousClock()
        let deadline = clock.now + presentationDelay
        while true {
            if cancellation?.isCancelled == true { return nil }
            if let action = chosen.withLock({ value -> SimulatedCustomerAction? in defer { value = nil }; return value }) {
                return action
            }
            if let automatic, clock.now >= deadline { return automatic }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}

/// A card reader with no network, for the demo store, training and tests. Its processor side lives in the
/// store file (`sim_card_payment`, apart from Till's orders, so reconciliation compares two real sides) and it
/// keeps Stripe's rules: one payment per attempt key, every money-moving request idempotent by its key, a
/// declined or cancelled payment called off, refunds never above what was taken.
public struct SimulatedTerminal: CardTerminal {
    public let kind = CardTerminalKind.simulated
    public let readerID: String
    let store: StoreDatabase
    let customer: SimulatedCustomer

    public init(store: StoreDatabase, readerID: String = "sim-main", customer: SimulatedCustomer = SimulatedCustomer()) {
        self.store = store
        self.readerID = readerID
        self.customer = customer
    }

    public func collect(_ request: CardCollectRequest, journal: CardAttemptJournal, cancellation: CancellationFlag?,
                        progress: ProgressReporter) throws -> CardPayment {
        guard request.amount > 0 else { throw CardTerminalError.refused("a card payment must be above zero") }
        let now = Date()
        let existing = try store.write { db -> CardPayment? in
            if let row = try Row.fetchOne(db, sql: "SELECT * FROM sim_card_payment WHERE attempt_key = ?", arguments: [request.attemptKey]) {
                let payment = SimulatedTerminal.payment(from: row)
                guard payment.amount == request.amount, payment.currency == request.currency.code else {
                    throw CardTerminalError.refused("idempotency key \(request.attemptKey) was used for a different payment")
                }
                return payment
            }
            try db.execute(sql: """
                INSERT INTO sim_card_payment(id, attempt_key, reader_id, amount, currency, status, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'awaiting_card', ?, ?)
                """, arguments: [SimulatedTerminal.newID("sim_pi_"), request.attemptKey, readerID, request.amount,
                                 request.currency.code, now, now])
            return nil
        }
        // The same attempt asked again: its first answer, never a second charge.
        if let existing, existing.status == .captured || existing.status == .authorized { return existing }
        if let existing, existing.status == .cancelled { throw CardTerminalError.refused("payment \(existing.id) was cancelled; start a new attempt") }
        let paymentID = try store.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM sim_card_payment WHERE attempt_key = ?", arguments: [request.attemptKey])
        } ?? ""
        try journal.paymentCreated(paymentID)
        progress.report(customer.waitsForChoice
            ? "Card: simulated reader \(readerID) waits for the customer (\(SimulatedCustomerAction.menu.map { "\($0.key) \($0.label)" }.joined(separator: " · "))) — Esc cancels"
            : "Card: present card on reader \(readerID) — Esc cancels")
        guard let action = customer.act(cancellation: cancellation) else {
            try setStatus(paymentID, "cancelled")
            throw CardTerminalError.cancelled(byCustomer: false)
        }
        switch action {
        case .approve, .loseAnswer:
            progress.report("Card: processing…")
            let status = request.captureManually ? "authorized" : "captured"
            // The issuer's code: numbered, so a training receipt reads the same every time it is made.
            let approved = try store.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sim_card_payment WHERE authorization_code LIKE 'SIM%'") ?? 0
            }
            let card = PresentedCard(brand: "visa", last4: "4242", entryMode: .contactless, applicationName: "VISA CREDIT",
                                     applicationID: "A0000000031010", authorizationCode: "SIM" + String(format: "%03d", (approved + 1) % 1000))
            try store.write { db in
                try db.execute(sql: """
                    UPDATE sim_card_payment SET status = ?, amount_captured = ?, brand = ?, last4 = ?, entry_mode = ?,
                           application_name = ?, application_id = ?, authorization_code = ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [status, request.captureManually ? 0 : request.amount, card.brand, card.last4,
                                     card.entryMode.rawValue, card.applicationName, card.applicationID, card.authorizationCode,
                                     Date(), paymentID])
            }
            if action == .loseAnswer { throw CardTerminalError.noAnswer("the simulated reader's answer was lost on the way back") }
            return try payment(id: paymentID)
        case let .decline(code):
            try store.write { db in
                try db.execute(sql: "UPDATE sim_card_payment SET decline_code = ?, status = 'cancelled', updated_at = ? WHERE id = ?",
                               arguments: [code, Date(), paymentID])
            }
            throw CardTerminalError.declined(code: code)
        case .cancel:
            try setStatus(paymentID, "cancelled")
            throw CardTerminalError.cancelled(byCustomer: true)
        }
    }

    public func recover(_ attempt: CardAttemptRecord) throws -> CardPayment? {
        try store.read { db in
            let row = try attempt.processorPaymentID.flatMap {
                try Row.fetchOne(db, sql: "SELECT * FROM sim_card_payment WHERE id = ?", arguments: [$0])
            } ?? Row.fetchOne(db, sql: "SELECT * FROM sim_card_payment WHERE attempt_key = ?", arguments: [attempt.attemptKey])
            return row.map(SimulatedTerminal.payment(from:))
        }
    }

    public func abandon(_ attempt: CardAttemptRecord, paymentID: String) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE sim_card_payment SET status = 'cancelled', updated_at = ? WHERE id = ? AND status = 'awaiting_card'",
                           arguments: [Date(), paymentID])
        }
    }

    public func capture(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment {
        try request(idempotencyKey, paymentID: paymentID, operation: "capture", amount: amount) { db, payment in
            guard payment.status == .authorized else {
                if payment.status == .captured { return }
                throw CardTerminalError.refused("payment \(paymentID) is \(payment.status.rawValue); only an authorized payment can be captured")
            }
            guard amount > 0, amount <= payment.amount else {
                throw CardTerminalError.refused("capture of \(amount) is more than the \(payment.amount) authorized")
            }
            try db.execute(sql: "UPDATE sim_card_payment SET status = 'captured', amount_captured = ?, updated_at = ? WHERE id = ?",
                           arguments: [amount, Date(), paymentID])
        }
    }

    public func void(paymentID: String, idempotencyKey: String) throws -> CardPayment {
        try request(idempotencyKey, paymentID: paymentID, operation: "void", amount: 0) { db, payment in
            switch payment.status {
            case .authorized, .awaitingCard:
                try db.execute(sql: "UPDATE sim_card_payment SET status = 'cancelled', updated_at = ? WHERE id = ?", arguments: [Date(), paymentID])
            case .captured:
                try db.execute(sql: "UPDATE sim_card_payment SET amount_refunded = amount_captured, updated_at = ? WHERE id = ?",
                               arguments: [Date(), paymentID])
            case .cancelled, .processing:
                break
            }
        }
    }

    public func refund(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment {
        try request(idempotencyKey, paymentID: paymentID, operation: "refund", amount: amount) { db, payment in
            guard payment.status == .captured else {
                throw CardTerminalError.refused("payment \(paymentID) is \(payment.status.rawValue); only a captured payment can be refunded")
            }
            let left = payment.amountCaptured - payment.amountRefunded
            guard amount > 0, amount <= left else {
                throw CardTerminalError.refused("refund of \(amount) is more than the \(left) left on payment \(paymentID)")
            }
            try db.execute(sql: "UPDATE sim_card_payment SET amount_refunded = amount_refunded + ?, updated_at = ? WHERE id = ?",
                           arguments: [amount, Date(), paymentID])
        }
    }

    public func payment(id: String) throws -> CardPayment {
        try store.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sim_card_payment WHERE id = ?", arguments: [id]) else {
                throw CardTerminalError.unknownPayment(id)
            }
            return SimulatedTerminal.payment(from: row)
        }
    }

    public func payments(from: Date, to: Date) throws -> [CardPayment] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM sim_card_payment
                WHERE status IN ('authorized', 'captured') AND created_at >= ? AND created_at < ? ORDER BY created_at, id
                """, arguments: [from, to]).map(SimulatedTerminal.payment(from:))
        }
    }

    public func status() throws -> CardReaderStatus {
        CardReaderStatus(readerID: readerID, label: "simulated reader", online: true,
                         activity: customer.waitsForChoice ? "idle (the cashier plays the customer)" : "idle (customers \(customer.automatic.map(String.init(describing:)) ?? "wait"))")
    }

    /// One money-moving request, idempotent by its key: the same key again answers with the payment as it is,
    /// without doing anything twice; the same key for another payment, operation or amount is refused.
    private func request(_ key: String, paymentID: String, operation: String, amount: Int64,
                         _ body: (Database, CardPayment) throws -> Void) throws -> CardPayment {
        try store.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sim_card_payment WHERE id = ?", arguments: [paymentID]) else {
                throw CardTerminalError.unknownPayment(paymentID)
            }
            if let earlier = try Row.fetchOne(db, sql: "SELECT * FROM sim_card_request WHERE idempotency_key = ?", arguments: [key]) {
                guard earlier["payment_id"] == paymentID, earlier["operation"] == operation, earlier["amount"] == amount else {
                    throw CardTerminalError.refused("idempotency key \(key) was used for a different request")
                }
                return SimulatedTerminal.payment(from: row)
            }
            try body(db, SimulatedTerminal.payment(from: row))
            try db.execute(sql: "INSERT INTO sim_card_request(idempotency_key, payment_id, operation, amount, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [key, paymentID, operation, amount, Date()])
            let after = try Row.fetchOne(db, sql: "SELECT * FROM sim_card_payment WHERE id = ?", arguments: [paymentID]) ?? row
            return SimulatedTerminal.payment(from: after)
        }
    }

    private func setStatus(_ paymentID: String, _ status: String) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE sim_card_payment SET status = ?, updated_at = ? WHERE id = ?", arguments: [status, Date(), paymentID])
        }
    }

    /// Records a payment taken outside Till's own flow (the demo history), as the processor would hold it.
    static func recordCaptured(_ db: Database, id: String, amount: Int64, currency: Currency, brand: String, last4: String,
                               readerID: String, at date: Date) throws {
        try db.execute(sql: """
            INSERT INTO sim_card_payment(id, attempt_key, reader_id, amount, amount_captured, currency, status, brand, last4,
                                         entry_mode, application_name, application_id, authorization_code, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'captured', ?, ?, 'contactless', ?, 'A0000000031010', ?, ?, ?)
            """, arguments: [id, "history_" + id, readerID, amount, amount, currency.code, brand, last4, brand.uppercased() + " CREDIT",
                             newCode(), date, date])
    }

    static func payment(from row: Row) -> CardPayment {
        let card: PresentedCard? = (row["last4"] as String?).map {
            PresentedCard(brand: row["brand"] ?? "card", last4: $0, entryMode: CardEntryMode(rawValue: row["entry_mode"] ?? "") ?? .unknown,
                          applicationName: row["application_name"], applicationID: row["application_id"],
                          authorizationCode: row["authorization_code"])
        }
        return CardPayment(id: row["id"], status: CardPaymentStatus(rawValue: row["status"]) ?? .processing, amount: row["amount"],
                           amountCaptured: row["amount_captured"], amountRefunded: row["amount_refunded"], currency: row["currency"],
                           card: card, declineCode: row["decline_code"], attemptKey: row["attempt_key"], createdAt: row["created_at"])
    }

    /// Ids in the processor's style, of letters only: a run of digits in a store file is what a card-number scan
    /// looks for, and an id must never look like one.
    static func newID(_ prefix: String) -> String {
        let letters = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ")
        return prefix + String((0..<24).map { _ in letters.randomElement() ?? "a" })
    }

    /// A six-character authorisation code, as issuers give them.
    static func newCode() -> String {
        let symbols = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<6).map { _ in symbols.randomElement() ?? "A" })
    }
}
