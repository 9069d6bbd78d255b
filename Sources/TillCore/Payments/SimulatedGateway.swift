import Foundation
import GRDB

/// A card gateway with no network, for the demo, tests and training. It keeps its own records (in
/// `sim_gateway_charge`, standing in for the processor's side) and answers the test cards the well-known
/// gateways document:
///
/// | card | result |
/// |---|---|
/// | 4242 4242 4242 4242 (and any other valid number) | approved |
/// | 4000 0000 0000 0002 | declined (generic) |
/// | 4000 0000 0000 9995 | declined: insufficient funds |
/// | 4000 0000 0000 0119 | times out — but the charge was made, as when a reply is lost on the way back |
public struct SimulatedGateway: PaymentGateway {
    public static let approvingCard = "4242424242424242"
    public static let decliningCard = "4000000000000002"
    public static let insufficientFundsCard = "4000000000009995"
    public static let timeoutCard = "4000000000000119"

    let store: StoreDatabase
    /// How long the simulated customer takes to tap or insert the card. Zero for scripts; the app's demo can
    /// set it (`TILL_SIM_CARD_DELAY_MS`) to show the wait, and tests use it to charge while keys keep coming.
    let presentationDelay: Duration

    public init(store: StoreDatabase, presentationDelay: Duration = .zero) {
        self.store = store
        self.presentationDelay = presentationDelay
    }

    public func charge(amount: Int64, currency: Currency, cardNumber: String, idempotencyKey: String,
                       cancellation: CancellationFlag?, progress: ProgressReporter) throws -> GatewayCharge {
        progress.report("Card: present card on the reader — Esc cancels")
        let clock = ContinuousClock()
        let deadline = clock.now + presentationDelay
        // Until the card is presented the charge can still be called off; after that it runs to its answer.
        while clock.now < deadline {
            if cancellation?.isCancelled == true { throw GatewayError.cancelled }
            Thread.sleep(forTimeInterval: 0.02)
        }
        if cancellation?.isCancelled == true { throw GatewayError.cancelled }
        progress.report("Card: processing…")
        return try charge(amount: amount, currency: currency, cardNumber: cardNumber, idempotencyKey: idempotencyKey)
    }

    public func charge(amount: Int64, currency: Currency, cardNumber: String, idempotencyKey: String) throws -> GatewayCharge {
        guard amount > 0 else { throw GatewayError.notAllowed("a card charge must be above zero") }
        let card = try CardNumber.validate(cardNumber)
        let outcome: (status: String, reason: String?, timesOut: Bool)
        switch card.digits {
        case SimulatedGateway.decliningCard: outcome = ("declined", "do not honour", false)
        case SimulatedGateway.insufficientFundsCard: outcome = ("declined", "insufficient funds", false)
        case SimulatedGateway.timeoutCard: outcome = ("captured", nil, true)
        default: outcome = ("captured", nil, false)
        }
        let now = Date()
        let (record, isFirstAttempt) = try store.write { db -> (Row, Bool) in
            if let existing = try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_charge WHERE idempotency_key = ?",
                                               arguments: [idempotencyKey]) {
                let sameRequest: Bool = existing["amount"] == amount && existing["last4"] == card.last4
                guard sameRequest else {
                    throw GatewayError.notAllowed("idempotency key reused for a different charge")
                }
                return (existing, false)
            }
            try db.execute(sql: """
                INSERT INTO sim_gateway_charge(token, idempotency_key, amount, currency, brand, last4, status,
                                               decline_reason, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: ["ch_sim_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""),
                                 idempotencyKey, amount, currency.code, card.brand, card.last4, outcome.status,
                                 outcome.reason, now, now])
            let inserted = try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_charge WHERE idempotency_key = ?",
                                            arguments: [idempotencyKey]) ?? Row()
            return (inserted, true)
        }
        let status: String = record["status"]
        if status == "declined" { throw GatewayError.declined(reason: record["decline_reason"] ?? "declined") }
        // The first attempt with the timeout card "loses" the reply; a retry with the same key gets it.
        if outcome.timesOut && isFirstAttempt { throw GatewayError.timedOut }
        return try SimulatedGateway.charge(from: record)
    }

    public func void(token: String) throws -> GatewayCharge {
        try store.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_charge WHERE token = ?", arguments: [token]) else {
                throw GatewayError.unknownCharge(token)
            }
            let status: String = row["status"]
            guard status == "captured" || status == "authorized" else { return try SimulatedGateway.charge(from: row) }
            try db.execute(sql: "UPDATE sim_gateway_charge SET status = 'voided', updated_at = ? WHERE token = ?",
                           arguments: [Date(), token])
            return try SimulatedGateway.charge(from: try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_charge WHERE token = ?", arguments: [token]) ?? row)
        }
    }

    public func refund(token: String, amount: Int64, idempotencyKey: String) throws -> GatewayCharge {
        try store.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_charge WHERE token = ?", arguments: [token]) else {
                throw GatewayError.unknownCharge(token)
            }
            if let earlier = try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_refund WHERE idempotency_key = ?",
                                              arguments: [idempotencyKey]) {
                guard earlier["token"] == token, earlier["amount"] == amount else {
                    throw GatewayError.notAllowed("idempotency key reused for a different refund")
                }
                return try SimulatedGateway.charge(from: row)  // already refunded: answer as the first time
            }
            let status: String = row["status"]
            guard status == "captured" || status == "refunded" else {
                throw GatewayError.notAllowed("charge \(token) is \(status); only a captured charge can be refunded")
            }
            let captured: Int64 = row["amount"]
            let refunded: Int64 = row["refunded"]
            guard amount > 0, refunded + amount <= captured else {
                throw GatewayError.notAllowed("refund of \(amount) is more than the \(captured - refunded) left on the charge")
            }
            let total = refunded + amount
            try db.execute(sql: "INSERT INTO sim_gateway_refund(idempotency_key, token, amount, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [idempotencyKey, token, amount, Date()])
            try db.execute(sql: "UPDATE sim_gateway_charge SET refunded = ?, status = ?, updated_at = ? WHERE token = ?",
                           arguments: [total, total == captured ? "refunded" : "captured", Date(), token])
            return try SimulatedGateway.charge(from: try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_charge WHERE token = ?", arguments: [token]) ?? row)
        }
    }

    public func charge(token: String) throws -> GatewayCharge {
        try store.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sim_gateway_charge WHERE token = ?", arguments: [token]) else {
                throw GatewayError.unknownCharge(token)
            }
            return try SimulatedGateway.charge(from: row)
        }
    }

    public func charges(from: Date, to: Date) throws -> [GatewayCharge] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM sim_gateway_charge WHERE status <> 'declined' AND created_at >= ? AND created_at < ? ORDER BY id
                """, arguments: [from, to]).map(SimulatedGateway.charge(from:))
        }
    }

    /// Records a charge taken outside Till's own flow (the demo history), as the processor would hold it.
    static func recordCaptured(_ db: Database, token: String, amount: Int64, currency: Currency, brand: String, last4: String,
                               at date: Date) throws {
        try db.execute(sql: """
            INSERT INTO sim_gateway_charge(token, idempotency_key, amount, currency, brand, last4, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 'captured', ?, ?)
            """, arguments: [token, "history_" + token, amount, currency.code, brand, last4, date, date])
    }

    static func charge(from row: Row) throws -> GatewayCharge {
        let status = PaymentStatus(rawValue: row["status"]) ?? .pending
        return GatewayCharge(token: row["token"], amount: row["amount"], brand: row["brand"], last4: row["last4"], status: status,
                             refunded: row["refunded"], createdAt: row["created_at"])
    }
}
