import Foundation
import GRDB

/// A store-credit slip or gift card. Its balance is the sum of its ledger rows (`credit_entry`), which are
/// never changed or removed; the database refuses an entry that would take the balance below zero.
public struct CreditAccount: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord, Identifiable {
    public static let databaseTableName = "credit_account"
    public var id: Int64?
    public var code: String
    public var customerID: Int64?
    public var currency: String
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, code, currency
        case customerID = "customer_id"
        case createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum CreditReason: String, Codable, Sendable {
    case issue, refund, redeem, reversal, adjust
}

public struct CreditEntry: Equatable, Sendable, FetchableRecord {
    public var id: Int64
    public var delta: Int64
    public var reason: CreditReason
    public var orderNumber: Int64?
    public var refundID: Int64?
    public var staff: String?
    public var note: String
    public var createdAt: Date

    public init(row: Row) {
        id = row["id"]
        delta = row["delta"]
        reason = CreditReason(rawValue: row["reason"]) ?? .adjust
        orderNumber = row["order_number"]
        refundID = row["refund_id"]
        staff = row["username"]
        note = row["note"]
        createdAt = row["created_at"]
    }
}

public struct CreditStatement: Equatable, Sendable {
    public var account: CreditAccount
    public var balance: Int64
    public var entries: [CreditEntry]
}

public struct StoreCredit: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The account, its balance and its history, newest first.
    public func statement(code: String) throws -> CreditStatement {
        try store.read { db in
            let account = try StoreCredit.account(db, code: code)
            let entries = try CreditEntry.fetchAll(db, sql: """
                SELECT e.*, o.number AS order_number, s.username FROM credit_entry e
                LEFT JOIN orders o ON o.id = e.order_id LEFT JOIN staff s ON s.id = e.staff_id
                WHERE e.account_id = ? ORDER BY e.id DESC
                """, arguments: [account.id])
            return CreditStatement(account: account, balance: try StoreCredit.balance(db, accountID: account.id ?? 0),
                                   entries: entries)
        }
    }

    /// Every account a customer holds, with balances.
    public func accounts(customerID: Int64) throws -> [(account: CreditAccount, balance: Int64)] {
        try store.read { db in
            try CreditAccount.filter(Column("customer_id") == customerID).order(Column("id")).fetchAll(db).map {
                ($0, try StoreCredit.balance(db, accountID: $0.id ?? 0))
            }
        }
    }

    /// Puts money on an account (a gift card sold, goodwill credit): onto `code` if given (created when new),
    /// else onto a new slip.
    public func issue(amount: Int64, code: String? = nil, customerID: Int64? = nil, note: String,
                      _ ctx: TillContext) throws -> CreditStatement {
        try CardNumberGuard.check(note, field: "The note")
        try CardNumberGuard.check(code, field: "The store credit code")
        let date = ctx.now, staffID = ctx.staffID, approvedBy = ctx.approverID
        guard amount > 0 else { throw TillError.invalid("store credit to issue must be above zero") }
        guard !note.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw TillError.invalid("say why the credit is issued (a note)")
        }
        let account = try store.write { db -> CreditAccount in
            let approver = try Permissions.require(db, .issueCredit, staffID: staffID, approvedBy: approvedBy)
            let account = try StoreCredit.findOrCreate(db, code: code, customerID: customerID, at: date)
            try StoreCredit.post(db, accountID: account.id ?? 0, delta: amount, reason: .issue, orderID: nil, refundID: nil,
                                 staffID: staffID, note: note, at: date)
            try AuditLog.record(db, action: "credit.issue", entity: "credit_account", entityID: account.id, before: nil,
                                after: ["code": account.code, "amount": String(amount)], staffID: staffID,
                                note: approver.id == staffID ? note : "\(note) (approved by \(approver.username))", at: date)
            return account
        }
        return try statement(code: account.code)
    }

    static func account(_ db: Database, code: String) throws -> CreditAccount {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard let account = try CreditAccount.filter(sql: "code = ? COLLATE NOCASE", arguments: [trimmed]).fetchOne(db) else {
            throw TillError.notFound("store credit \"\(trimmed)\"")
        }
        return account
    }

    static func balance(_ db: Database, accountID: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(delta), 0) FROM credit_entry WHERE account_id = ?",
                           arguments: [accountID]) ?? 0
    }

    static func findOrCreate(_ db: Database, code: String?, customerID: Int64?, at date: Date) throws -> CreditAccount {
        if let code, !code.trimmingCharacters(in: .whitespaces).isEmpty {
            if let existing = try? account(db, code: code) { return existing }
            let trimmed = code.trimmingCharacters(in: .whitespaces)
            guard (4...32).contains(trimmed.count), trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw TillError.invalid("a store credit code is 4 to 32 letters, digits or dashes, got \"\(trimmed)\"")
            }
            return try create(db, code: trimmed, customerID: customerID, at: date)
        }
        return try create(db, code: try newCode(db), customerID: customerID, at: date)
    }

    private static func create(_ db: Database, code: String, customerID: Int64?, at date: Date) throws -> CreditAccount {
        var account = CreditAccount(code: code, customerID: customerID,
                                    currency: try StoreSettings.load(db).currency.code, createdAt: date)
        try account.insert(db)
        return account
    }

    /// `SC-` and ten random digits: unguessable enough that a slip's code is its bearer token.
    private static func newCode(_ db: Database) throws -> String {
        while true {
            let digits = (0..<10).map { _ in String(Int.random(in: 0...9)) }.joined()
            let code = "SC-" + digits
            if try CreditAccount.filter(Column("code") == code).fetchCount(db) == 0 { return code }
        }
    }

    /// `hold`: head office's hold a chain store's redemption spends, or a cancelled payment gives back;
    /// `offline`: a chain store's redemption under its offline allowance. Either way HQ, not this file, holds
    /// the balance, so the local one is not checked.
    static func post(_ db: Database, accountID: Int64, delta: Int64, reason: CreditReason, orderID: Int64?,
                     refundID: Int64?, staffID: Int64?, note: String = "", hold: String? = nil, offline: Bool = false,
                     at date: Date) throws {
        if delta < 0 && hold == nil && !offline {
            let balance = try balance(db, accountID: accountID)
            guard balance + delta >= 0 else {
                let currency = try StoreSettings.load(db).currency
                let code = try String.fetchOne(db, sql: "SELECT code FROM credit_account WHERE id = ?", arguments: [accountID]) ?? "?"
                throw TillError.invalid("store credit \(code) has \(Money(minorUnits: balance, currency: currency)) left, not \(Money(minorUnits: -delta, currency: currency))")
            }
        }
        try db.execute(sql: """
            INSERT INTO credit_entry(account_id, delta, reason, order_id, refund_id, staff_id, note, created_at, hq_hold, offline)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [accountID, delta, reason.rawValue, orderID, refundID, staffID, note, date, hold, offline ? 1 : 0])
    }
}
