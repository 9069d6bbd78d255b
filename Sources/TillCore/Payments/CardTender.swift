import Foundation
import GRDB

/// Why a card tender did not pay, for the app to say in its own words: the terminal's answer, and whether the
/// attempt is over (a new one starts next time) or left open until the processor's records settle it.
public struct CardTenderFailure: Error, Equatable, CustomStringConvertible {
    public var reason: CardTerminalError
    public var cartID: Int64

    public var description: String { reason.description }
}

/// An attempt to take a card for part or all of an open sale, written before the reader is asked (with the key
/// every request for it is made idempotent by) and settled from the processor's records when its answer was
/// lost: the sale stays open and the card is never charged a second time.
struct CardAttempt: Equatable {
    enum State: String {
        /// The reader was asked; no answer recorded yet (if the till dies here, start-up settles it).
        case asking
        /// The answer was lost (timeout, dropped connection): the processor's records will say.
        case unanswered
        /// Approved, captured and recorded as a payment of the sale.
        case paid
        case declined
        case cancelled
        /// The processor refused the request or never created the payment: nothing was taken.
        case failed
        /// Taken, but the sale could not take it (it was closed or changed meanwhile): given back.
        case returned
    }

    var id: Int64
    var orderID: Int64
    var register: String
    var kind: String
    var readerID: String
    var record: CardAttemptRecord
    var state: State

    static func load(_ row: Row) -> CardAttempt {
        CardAttempt(id: row["id"], orderID: row["order_id"], register: row["register"], kind: row["kind"], readerID: row["reader_id"],
                    record: CardAttemptRecord(attemptKey: row["attempt_key"], amount: row["amount"],
                                              currency: (try? Currency.named(row["currency"])) ?? .EUR,
                                              captureManually: row["capture_manually"], description: row["description"],
                                              metadata: metadata(orderID: row["order_id"], register: row["register"], key: row["attempt_key"]),
                                              processorPaymentID: row["processor_payment_id"]),
                    state: State(rawValue: row["state"]) ?? .unanswered)
    }

    /// What the processor keeps with the payment. The same every time it is asked for an attempt: a replayed
    /// request must carry exactly the parameters of the first, or the processor refuses the key.
    static func metadata(orderID: Int64, register: String, key: String) -> [String: String] {
        ["till_order": String(orderID), "till_register": register, "till_attempt": key]
    }

    /// Attempts on a sale that have no answer yet.
    static func unanswered(_ db: Database, orderID: Int64) throws -> [CardAttempt] {
        try Row.fetchAll(db, sql: "SELECT * FROM card_attempt WHERE order_id = ? AND state IN ('asking', 'unanswered') ORDER BY id",
                         arguments: [orderID]).map(load)
    }

    /// Refuses to let a sale be paid or closed another way while a card on it may have been charged.
    static func requireSettled(_ db: Database, orderID: Int64, doing: String) throws {
        guard try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM card_attempt WHERE order_id = ? AND state IN ('asking', 'unanswered')"),
                               arguments: [orderID]) ?? 0 > 0 else { return }
        throw TillError.invalid("this sale has a card payment whose answer was lost; take the card again to settle it from the processor — it will not be charged twice — then \(doing)")
    }

    static func set(_ db: Database, id: Int64, _ state: State, outcome: String? = nil) throws {
        try db.execute(sql: "UPDATE card_attempt SET state = ?, outcome = COALESCE(?, outcome), updated_at = ? WHERE id = ?",
                       arguments: [state.rawValue, outcome, Date(), id])
    }
}

extension Checkout {
    /// Takes `amount` (nil: all that is due) on the register's card reader, then records it; completes the sale
    /// when that pays it off. The attempt and its key are saved before the reader is asked; a lost answer leaves
    /// the sale open, and the next try (or `settleUnansweredCards` at start-up) asks the processor what happened
    /// instead of charging again. A decline or cancel leaves the sale open and usable, with nothing taken.
    public func payCard(cartID: Int64, amount: Int64? = nil, _ ctx: TillContext) throws -> TenderOutcome {
        try store.requireJournal()
        let terminal = try ctx.requireTerminal()
        // An earlier attempt whose answer was lost is settled first: it may have paid (part of) the sale.
        // If it did, that was this payment: it is recorded, and the card is not asked again.
        if let settled = try settle(cartID: cartID, terminal: terminal, ctx) { return settled }
        let date = ctx.now
        let attempt = try store.write { db -> CardAttempt in
            try Permissions.require(db, .sell, staffID: ctx.staffID)
            try Checkout.takeOver(db, cartID: cartID, staffID: ctx.staffID)
            let cart = try Carts.reprice(db, orderID: cartID, at: date)
            guard !cart.isEmpty else { throw TillError.invalid("the sale has no items") }
            let settings = try StoreSettings.load(db)
            let charge = amount ?? cart.due
            guard charge > 0 else { throw TillError.invalid("a card payment must be above zero") }
            guard charge <= cart.due else {
                throw TillError.invalid("card payment of \(Money(minorUnits: charge, currency: settings.currency)) is more than the \(Money(minorUnits: cart.due, currency: settings.currency)) due")
            }
            let key = "card_\(cartID)_\(UUID().uuidString.lowercased())"
            let description = "Till sale #\(cartID) at register \(cart.order.register)"
            try db.execute(sql: """
                INSERT INTO card_attempt(order_id, register, kind, reader_id, attempt_key, amount, currency, capture_manually,
                                         description, state, staff_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'asking', ?, ?, ?)
                """, arguments: [cartID, cart.order.register, terminal.kind.rawValue, terminal.readerID, key, charge,
                                 settings.currency.code, settings.cardCaptureManually, description, ctx.staffID, date, date])
            return CardAttempt(id: db.lastInsertedRowID, orderID: cartID, register: cart.order.register, kind: terminal.kind.rawValue,
                               readerID: terminal.readerID,
                               record: CardAttemptRecord(attemptKey: key, amount: charge, currency: settings.currency,
                                                         captureManually: settings.cardCaptureManually, description: description,
                                                         metadata: CardAttempt.metadata(orderID: cartID, register: cart.order.register, key: key),
                                                         processorPaymentID: nil),
                               state: .asking)
        }
        let store = self.store
        let journal = CardAttemptJournal { paymentID in
            try store.write { db in
                try db.execute(sql: "UPDATE card_attempt SET processor_payment_id = ?, updated_at = ? WHERE id = ?",
                               arguments: [paymentID, Date(), attempt.id])
            }
        }
        let request = attempt.record.request
        let payment: CardPayment
        do {
            payment = try terminal.collect(request, journal: journal, cancellation: ctx.cancellation, progress: ctx.progress)
        } catch let error as CardTerminalError {
            try store.write { db in
                let state: CardAttempt.State
                switch error {
                case .declined: state = .declined
                case .cancelled: state = .cancelled
                case .noAnswer: state = .unanswered
                default: state = .failed
                }
                try CardAttempt.set(db, id: attempt.id, state, outcome: String(describing: error))
            }
            throw CardTenderFailure(reason: error, cartID: cartID)
        }
        return try take(payment, for: attempt, terminal: terminal, ctx)
    }

    /// Settles the cart's card attempts whose answer was lost, without asking the reader for a new card: the
    /// outcome when one of them had paid, nil when none had (then a new attempt is the caller's to make).
    public func settleLostCard(cartID: Int64, _ ctx: TillContext) throws -> TenderOutcome? {
        try settle(cartID: cartID, terminal: try ctx.requireTerminal(), ctx)
    }

    /// Settles every card attempt on this register whose answer was lost — what the app does at start-up.
    /// Returns one line per attempt saying what became of it.
    public func settleUnansweredCards(_ ctx: TillContext) throws -> [String] {
        guard let terminal = ctx.terminal else { return [] }
        let carts = try store.read { db in
            try Int64.fetchAll(db, sql: """
                SELECT DISTINCT order_id FROM card_attempt WHERE register = ? AND state IN ('asking', 'unanswered') ORDER BY order_id
                """, arguments: [ctx.register])
        }
        var said: [String] = []
        for cartID in carts {
            do {
                let before = try store.read { db in try Carts.load(db, id: cartID).paid }
                let outcome = try settle(cartID: cartID, terminal: terminal, ctx)
                switch outcome {
                case let .completed(sale)?:
                    said.append("the card payment whose answer was lost went through — the sale is completed as order #\(sale.number)")
                case let .partlyPaid(cart)? where cart.paid > before:
                    let currency = (try? Currency.named(cart.order.currency)) ?? .EUR
                    said.append("the card payment whose answer was lost went through — recorded on the open sale; \(Money(minorUnits: cart.due, currency: currency)) still due")
                default:
                    said.append("the card payment whose answer was lost was not taken; the sale is open")
                }
            } catch {
                said.append("the card payment whose answer was lost could not be settled yet: \(error)")
            }
        }
        return said
    }

    /// Asks the processor what became of each unanswered attempt on the cart and records it: a payment that
    /// went through is taken into the sale (or given back if the sale can no longer take it); one that did not
    /// is called off. Nil when there was nothing to settle.
    func settle(cartID: Int64, terminal: CardTerminal, _ ctx: TillContext) throws -> TenderOutcome? {
        let attempts = try store.read { db in try CardAttempt.unanswered(db, orderID: cartID) }
        var outcome: TenderOutcome?
        for attempt in attempts {
            guard attempt.kind == terminal.kind.rawValue else {
                throw TillError.invalid("this sale has a card payment on the \(attempt.kind) reader \(attempt.readerID) whose answer was lost; settle it at a register with that reader")
            }
            ctx.progress.report("Card: asking the processor what became of the last card payment…")
            let found: CardPayment?
            do {
                found = try terminal.recover(attempt.record)
            } catch let error as CardTerminalError {
                throw CardTenderFailure(reason: error, cartID: cartID)
            }
            guard let payment = found else {
                try store.write { db in try CardAttempt.set(db, id: attempt.id, .failed, outcome: "the processor never created the payment") }
                continue
            }
            switch payment.status {
            case .awaitingCard:
                try terminal.abandon(attempt.record, paymentID: payment.id)
                try store.write { db in try CardAttempt.set(db, id: attempt.id, .cancelled, outcome: "not charged; called off") }
            case .cancelled:
                try store.write { db in try CardAttempt.set(db, id: attempt.id, .cancelled, outcome: "not charged") }
            case .processing:
                throw TillError.invalid("the reader \(attempt.readerID) is still working on the card for this sale; let the customer finish, then take the card again")
            case .authorized, .captured:
                outcome = try take(payment, for: attempt, terminal: terminal, ctx)
            }
        }
        return outcome
    }

    /// Records an approved payment into the sale: captured first when it was only authorized. If the sale can
    /// no longer take it (closed, changed to cost less, the file refused the write) the money goes back at once —
    /// never a charge without its sale.
    private func take(_ approved: CardPayment, for attempt: CardAttempt, terminal: CardTerminal, _ ctx: TillContext) throws -> TenderOutcome {
        let key = attempt.record.attemptKey
        var payment = approved
        do {
            if payment.status == .authorized {
                ctx.progress.report("Card: approved — capturing…")
                payment = try terminal.capture(paymentID: payment.id, amount: payment.amount, idempotencyKey: key + "-capture")
            }
        } catch let error as CardTerminalError {
            try store.write { db in
                try CardAttempt.set(db, id: attempt.id, error.isDefinite ? .failed : .unanswered, outcome: String(describing: error))
            }
            if error.isDefinite { _ = try? terminal.void(paymentID: payment.id, idempotencyKey: key + "-void") }
            throw CardTenderFailure(reason: error, cartID: attempt.orderID)
        }
        let date = ctx.now
        let taken = payment.amountCaptured > 0 ? payment.amountCaptured : payment.amount
        do {
            return try store.write { db -> TenderOutcome in
                let cart = try Carts.load(db, id: attempt.orderID)
                if cart.payments.contains(where: { $0.idempotencyKey == key }) {
                    try CardAttempt.set(db, id: attempt.id, .paid)
                    return .partlyPaid(cart)  // recorded by an earlier try
                }
                guard cart.order.status == .open else { throw TillError.invalid("the sale is no longer open") }
                let presented = payment.card
                let card = try CardDetails(token: payment.id, brand: presented?.brand ?? "card", last4: presented?.last4 ?? "0000",
                                           entryMode: presented?.entryMode, applicationName: presented?.applicationName,
                                           applicationID: presented?.applicationID, authorizationCode: presented?.authorizationCode,
                                           reader: "\(attempt.kind):\(attempt.readerID)",
                                           authorizedAmount: payment.amount != taken ? payment.amount : nil)
                let tender = Tender(method: .card, amount: taken, card: card, idempotencyKey: key)
                let currency = try StoreSettings.load(db).currency
                let planned = try Checkout.planPayments([tender], due: cart.due, currency: currency, allowShort: true).payments
                try CardAttempt.set(db, id: attempt.id, .paid)
                return try Checkout.finish(db, cart: Carts.reprice(db, orderID: attempt.orderID, at: date), newPayments: planned, at: date)
            }
        } catch {
            // The money moved but the sale could not take it: give it back rather than keep it unrecorded.
            do {
                _ = try terminal.void(paymentID: payment.id, idempotencyKey: key + "-void")
                try? store.write { db in try CardAttempt.set(db, id: attempt.id, .returned, outcome: "\(error)") }
                throw TillError.invalid("the card was charged but the sale could not be saved (\(error)); the charge was given back to the card")
            } catch let voidError as CardTerminalError {
                // Left unanswered: start-up or the next try settles it (records it, or gives it back).
                try? store.write { db in try CardAttempt.set(db, id: attempt.id, .unanswered, outcome: "\(error); give-back: \(voidError)") }
                throw TillError.invalid("the card was charged but the sale could not be saved (\(error)), and giving it back failed (\(voidError)); the sale stays open — take the card again to settle it (it will not be charged twice)")
            }
        }
    }

    /// Cancels every tender taken on the open cart: card parts are voided at the processor, store credit goes
    /// back on its slip, cash is handed back. The sale stays open with nothing paid.
    public func cancelPayments(cartID: Int64, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now
        let cart = try Carts(store: store).cart(id: cartID)
        guard cart.order.status == .open else { throw TillError.invalid("this sale is not open any more") }
        try store.read { db in try CardAttempt.requireSettled(db, orderID: cartID, doing: "cancel the payments") }
        for payment in cart.payments where payment.status == .captured && payment.method == .card {
            guard let token = payment.gatewayToken else { continue }
            let terminal = try ctx.processor(for: payment.cardReader)
            do {
                let voided = try terminal.void(paymentID: token, idempotencyKey: "void_payment_\(payment.id ?? 0)")
                guard voided.status == .cancelled || voided.amountRefunded >= voided.amountCaptured else {
                    throw TillError.invalid("the processor did not void the card payment \(token)")
                }
            } catch let error as CardTerminalError {
                throw TillError.invalid("card payment ••\(payment.cardLast4 ?? "") not voided: \(error); the payments stand — try again")
            }
            // Each card part is marked as soon as it is back, so a failure on the next leaves the books right.
            try store.write { db in
                try db.execute(sql: "UPDATE payment SET status = 'voided' WHERE id = ?", arguments: [payment.id])
            }
        }
        return try store.write { db in
            let payments = try Carts.load(db, id: cartID).payments
            // Points come back as a restore carrying HQ's hold.
            for payment in payments where payment.status == .captured && payment.method == .points {
                try ChainPoints.restore(db, paymentID: payment.id ?? 0, amount: payment.amount, refundID: nil, at: date)
            }
            for payment in payments where payment.status == .captured && payment.method == .credit {
                guard let account = payment.creditAccountID else { continue }
                // In a chain store the reversal carries HQ's hold: HQ releases it when the event arrives.
                let hold = try String.fetchOne(db, sql: "SELECT credit_hold FROM payment WHERE id = ?", arguments: [payment.id])
                let offline = try Bool.fetchOne(db, sql: "SELECT offline = 1 FROM credit_entry WHERE order_id = ? AND account_id = ? AND reason = 'redeem' ORDER BY id DESC LIMIT 1",
                                                arguments: [cartID, account]) ?? false
                try StoreCredit.post(db, accountID: account, delta: payment.amount, reason: .reversal, orderID: cartID,
                                     refundID: nil, staffID: cart.order.staffID, note: "payment cancelled", hold: hold,
                                     offline: offline, at: date)
            }
            try db.execute(sql: "UPDATE payment SET status = 'voided' WHERE order_id = ? AND status = 'captured'",
                           arguments: [cartID])
            try db.execute(sql: "UPDATE orders SET updated_at = ? WHERE id = ?", arguments: [date, cartID])
            return try Carts.load(db, id: cartID)
        }
    }
}
