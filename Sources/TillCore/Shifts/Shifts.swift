import Foundation
import GRDB

public struct Shift: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord, Identifiable {
    public static let databaseTableName = "shift"
    public var id: Int64?
    public var register: String
    public var openedBy: Int64?
    public var openedAt: Date
    public var openingFloat: Int64
    public var closedBy: Int64?
    public var closedAt: Date?
    public var expectedCash: Int64?
    public var countedCash: Int64?
    /// The closing count as `denomination x count` pairs, e.g. `50.00x2,0.20x3`.
    public var countDetail: String?

    enum CodingKeys: String, CodingKey {
        case id, register
        case openedBy = "opened_by"
        case openedAt = "opened_at"
        case openingFloat = "opening_float"
        case closedBy = "closed_by"
        case closedAt = "closed_at"
        case expectedCash = "expected_cash"
        case countedCash = "counted_cash"
        case countDetail = "count_detail"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public enum CashMovementKind: String, Codable, Sendable {
    case payIn = "pay_in"
    case payOut = "pay_out"
    case noSale = "no_sale"
}

/// Where the drawer stands: what should be in it, and at close what was counted.
public struct ShiftSummary: Equatable, Sendable, Encodable {
    public var shift: Shift
    public var cashSales: Int64
    public var cashRefunds: Int64
    public var payIns: Int64
    public var payOuts: Int64
    public var noSales: Int
    public var sales: Int
    /// Float + cash sales − cash refunds + pay-ins − pay-outs.
    public var expectedCash: Int64
    public var countedCash: Int64?
    public var variance: Int64? { countedCash.map { $0 - expectedCash } }
    public var openedBy: String?
    public var closedBy: String?
    /// Blind close: the drawer is still to be counted by someone who may not see what it should hold. Screens
    /// and the CLI show "counted at close" instead of the figures; the variance appears once the count is saved.
    public var expectedHidden = false
}

/// A register's shifts and the cash drawer: float in, pay-ins and pay-outs, no-sale openings, and the count
/// at close. Every drawer movement is an append-only row.
///
/// Cash belongs to a drawer: cash taken, cash refunded and cash given back by a void go to the open shift of
/// the register where they happen (`orders.shift_id`, `refund.shift_id`), and with `cash_requires_shift` on
/// (the default) cash at a register with no open shift is refused.
public struct Shifts: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// Opens a shift on the context's register with the float counted in.
    public func open(float: Int64, _ ctx: TillContext) throws -> Shift {
        guard float >= 0 else { throw TillError.invalidAmount(String(float), reason: "a float cannot be negative") }
        let date = ctx.now
        return try store.write { db in
            let member = try Permissions.require(db, .sell, staffID: ctx.staffID)
            if let open = try Shifts.current(db, register: ctx.register) {
                let settings = try StoreSettings.load(db)
                throw TillError.invalid("register \(ctx.register) already has a shift open since \(LocalTime.format(open.openedAt, settings: settings)); close it first")
            }
            let day = try BusinessDay.current(db, at: date)
            var shift = Shift(register: ctx.register, openedBy: member.id, openedAt: date, openingFloat: float)
            try shift.insert(db)
            try db.execute(sql: "UPDATE shift SET business_day = ? WHERE id = ?", arguments: [day.key, shift.id])
            try AuditLog.record(db, action: "shift.open", entity: "shift", entityID: shift.id, before: nil,
                                after: ["register": ctx.register, "float": String(float)], staffID: member.id, at: date)
            return shift
        }
    }

    public func current(register: String) throws -> Shift? {
        try store.read { db in try Shifts.current(db, register: register) }
    }

    /// Cash put into (pay-in) or taken out of (pay-out, e.g. paying a window cleaner) the drawer of the
    /// context's register, with why. A no-sale opens the drawer and moves nothing.
    public func moveCash(_ kind: CashMovementKind, amount: Int64, reason: String, _ ctx: TillContext) throws {
        try store.requireJournal()
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw TillError.invalid("say why the drawer is opened (a reason)") }
        try CardNumberGuard.check(reason, field: "the reason")
        if kind == .noSale {
            guard amount == 0 else { throw TillError.invalid("a no-sale moves no money") }
        } else {
            guard amount > 0 else { throw TillError.invalidAmount(String(amount), reason: "must be above zero") }
        }
        let date = ctx.now
        try store.write { db in
            try Permissions.require(db, .openDrawer, staffID: ctx.staffID, approvedBy: ctx.approverID)
            guard let shift = try Shifts.current(db, register: ctx.register) else {
                throw TillError.invalid(Shifts.noShiftMessage(register: ctx.register, doing: "open the drawer"))
            }
            if kind == .payOut {
                let expected = try Shifts.summary(db, shift: shift, at: date).expectedCash
                guard amount <= expected else {
                    let currency = try StoreSettings.load(db).currency
                    throw TillError.invalid("a pay-out of \(Money(minorUnits: amount, currency: currency)) is more than the \(Money(minorUnits: expected, currency: currency)) the drawer should hold")
                }
            }
            let (day, _) = try BusinessDay.placing(db, register: ctx.register, at: date, cash: nil)
            try db.execute(sql: """
                INSERT INTO cash_movement(shift_id, kind, amount, reason, staff_id, approved_by, created_at, business_day)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [shift.id, kind.rawValue, amount, reason, ctx.staffID, ctx.approverID, date, day.key])
            try AuditLog.record(db, action: "drawer.\(kind.rawValue)", entity: "shift", entityID: shift.id, before: nil,
                                after: ["amount": String(amount)], staffID: ctx.staffID,
                                note: reason + (ctx.approverID != nil && ctx.approverID != ctx.staffID ? " (approved)" : ""), at: date)
        }
    }

    /// The open shift of the context's register. Under blind close, someone who may not close the day sees
    /// it with the expected figures hidden.
    public func summary(_ ctx: TillContext) throws -> ShiftSummary {
        try store.read { db in
            guard let shift = try Shifts.current(db, register: ctx.register) else {
                throw TillError.invalid("register \(ctx.register) has no open shift")
            }
            var summary = try Shifts.summary(db, shift: shift, at: ctx.now)
            summary.expectedHidden = try Shifts.hidesExpected(db, staffID: ctx.staffID)
            return summary
        }
    }

    /// One shift, open or closed (a report: `view_reports`).
    public func summary(shiftID: Int64, _ ctx: TillContext) throws -> ShiftSummary {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            guard let shift = try Shift.fetchOne(db, key: shiftID) else { throw TillError.notFound("shift \(shiftID)") }
            return try Shifts.summary(db, shift: shift, at: shift.closedAt ?? ctx.now)
        }
    }

    /// Closes the context register's shift with the drawer counted by denomination; returns expected vs
    /// counted (under blind close this is the first time the cashier sees the expected figure).
    public func close(count: CashCount, _ ctx: TillContext) throws -> ShiftSummary {
        try store.requireJournal()
        let date = ctx.now
        return try store.write { db in
            let member = try Permissions.require(db, .sell, staffID: ctx.staffID)
            guard var shift = try Shifts.current(db, register: ctx.register) else {
                throw TillError.invalid("register \(ctx.register) has no open shift to close")
            }
            let summary = try Shifts.summary(db, shift: shift, at: date)
            shift.closedBy = member.id
            shift.closedAt = date
            shift.expectedCash = summary.expectedCash
            shift.countedCash = count.total
            shift.countDetail = count.description
            try shift.update(db)
            try AuditLog.record(db, action: "shift.close", entity: "shift", entityID: shift.id, before: nil,
                                after: ["expected": String(summary.expectedCash), "counted": String(count.total),
                                        "variance": String(count.total - summary.expectedCash)],
                                staffID: member.id, at: date)
            return try Shifts.summary(db, shift: shift, at: date)
        }
    }

    /// Recent shifts with their variances (a report: `view_reports`).
    public func history(limit: Int = 50, _ ctx: TillContext) throws -> [ShiftSummary] {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try Shift.order(Column("id").desc).limit(limit).fetchAll(db).map {
                try Shifts.summary(db, shift: $0, at: $0.closedAt ?? ctx.now)
            }
        }
    }

    static func current(_ db: Database, register: String) throws -> Shift? {
        try Shift.fetchOne(db.cachedStatement(sql: "SELECT * FROM shift WHERE register = ? AND closed_at IS NULL"),
                           arguments: [register])
    }

    static func hidesExpected(_ db: Database, staffID: Int64?) throws -> Bool {
        guard try StoreSettings.load(db).blindClose else { return false }
        guard let staffID, let member = try StaffMember.fetchOne(db, key: staffID) else { return true }
        return !member.role.allows(.closeDay)
    }

    static func noShiftMessage(register: String, doing: String) -> String {
        // The way out first: at 80 columns the status line shows about 60 characters of it.
        "no shift open on register \(register): F5 then o opens one (needed to \(doing); or `till shift open --float AMOUNT --register \(register)`)"
    }

    /// The drawer that cash moving at `register` goes into: its open shift. With `cash_requires_shift` on
    /// (the default), no open shift is a refusal naming how to open one; off, the cash is outside any drawer.
    static func drawer(_ db: Database, register: String, doing: String) throws -> Shift? {
        if let shift = try current(db, register: register) { return shift }
        guard try StoreSettings.load(db).cashRequiresShift else { return nil }
        throw TillError.invalid(noShiftMessage(register: register, doing: doing))
    }

    /// What a shift's drawer should hold, from the rows stamped with it: float + cash kept from its sales −
    /// cash given back by its refunds and voids + pay-ins − pay-outs.
    static func summary(_ db: Database, shift: Shift, at date: Date) throws -> ShiftSummary {
        let cash = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(p.amount), 0) AS amount FROM orders o JOIN payment p ON p.order_id = o.id
            WHERE o.shift_id = ? AND o.number IS NOT NULL AND p.method = 'cash'
              AND (p.status IN ('captured', 'refunded') OR EXISTS (SELECT 1 FROM refund_tender t WHERE t.payment_id = p.id))
            """, arguments: [shift.id])
        let sales = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE shift_id = ? AND number IS NOT NULL",
                                     arguments: [shift.id]) ?? 0
        let refunds = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(t.amount), 0) FROM refund_tender t JOIN refund r ON r.id = t.refund_id
            WHERE t.method = 'cash' AND t.status = 'refunded' AND r.shift_id = ?
            """, arguments: [shift.id]) ?? 0
        var moved: [String: (Int64, Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT kind, SUM(amount) AS amount, COUNT(*) AS n FROM cash_movement WHERE shift_id = ? GROUP BY kind
            """, arguments: [shift.id]) {
            moved[row["kind"]] = (row["amount"], row["n"])
        }
        let cashSales: Int64 = cash?["amount"] ?? 0
        let payIns = moved["pay_in"]?.0 ?? 0
        let payOuts = moved["pay_out"]?.0 ?? 0
        let expected = shift.openingFloat + cashSales - refunds + payIns - payOuts
        let names = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, username FROM staff WHERE id IN (?, ?)",
                                                                        arguments: [shift.openedBy, shift.closedBy])
            .map { (row: Row) -> (Int64, String) in (row["id"], row["username"]) })
        return ShiftSummary(shift: shift, cashSales: cashSales, cashRefunds: refunds, payIns: payIns, payOuts: payOuts,
                            noSales: moved["no_sale"]?.1 ?? 0, sales: sales, expectedCash: shift.expectedCash ?? expected,
                            countedCash: shift.countedCash, openedBy: shift.openedBy.flatMap { names[$0] },
                            closedBy: shift.closedBy.flatMap { names[$0] })
    }
}

/// A drawer counted by denomination: `50x2,20x3,0.50x4` (value × how many), checked against the notes and coins
/// of the store's currency.
public struct CashCount: Equatable, Sendable, CustomStringConvertible {
    public var entries: [(denomination: Int64, count: Int64)]
    public let currency: Currency

    public var total: Int64 { entries.reduce(0) { $0 + $1.denomination * $1.count } }

    public static func == (lhs: CashCount, rhs: CashCount) -> Bool {
        lhs.currency == rhs.currency && lhs.entries.map(\.denomination) == rhs.entries.map(\.denomination)
            && lhs.entries.map(\.count) == rhs.entries.map(\.count)
    }

    public var description: String {
        entries.map { "\(Money(minorUnits: $0.denomination, currency: currency).decimalString)x\($0.count)" }.joined(separator: ",")
    }

    public init(entries: [(denomination: Int64, count: Int64)], currency: Currency) {
        self.entries = entries
        self.currency = currency
    }

    public static func parse(_ text: String, currency: Currency) throws -> CashCount {
        let allowed = Set(Denominations.of(currency))
        var entries: [(Int64, Int64)] = []
        var seen = Set<Int64>()
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let pieces = part.lowercased().split(separator: "x", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let count = Int64(pieces[1]), count >= 0 else {
                if pieces.count == 1, (try? MoneyParser(currency: currency).parse(part)) != nil {
                    // A total alone ("103.70") is what people type first; the count is kept note by note.
                    throw TillError.invalid("count the drawer note by note and coin by coin, e.g. 50x2,2x1,0.50x1,0.20x1 (not a total: \"\(part)\")")
                }
                throw TillError.invalid("expected DENOMINATIONxCOUNT, e.g. 20x3, got \"\(part)\"")
            }
            let value = try MoneyParser(currency: currency).parse(pieces[0]).minorUnits
            guard allowed.contains(value) else {
                let list = Denominations.of(currency).map { Money(minorUnits: $0, currency: currency).decimalString }.joined(separator: ", ")
                throw TillError.invalid("\(pieces[0]) is not a \(currency.code) note or coin (\(list))")
            }
            guard seen.insert(value).inserted else { throw TillError.invalid("\(pieces[0]) is counted twice") }
            let (_, overflow) = value.multipliedReportingOverflow(by: count)
            guard !overflow, count < 1_000_000 else { throw TillError.overflow("\(count) × \(pieces[0])") }
            entries.append((value, count))
        }
        guard !entries.isEmpty else { throw TillError.invalid("the count is empty; give e.g. 50x2,20x3,0.50x4 (0x… for none)") }
        return CashCount(entries: entries.sorted { $0.0 > $1.0 }, currency: currency)
    }
}
