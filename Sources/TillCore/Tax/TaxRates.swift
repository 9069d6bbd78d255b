import Foundation
import GRDB

/// A rate and the moment it takes effect.
public struct DatedTaxRate: Equatable, Sendable {
    public var ratePPM: Int64
    public var effectiveFrom: Date

    public init(ratePPM: Int64, effectiveFrom: Date) {
        self.ratePPM = ratePPM
        self.effectiveFrom = effectiveFrom
    }

    /// Whether this is the class's opening rate (in force from the beginning, not from a chosen date).
    public var isOpening: Bool { effectiveFrom <= TaxRates.openingDate }
}

/// A tax class as the settings show it: the rate in force now, the changes scheduled after now, and how many
/// products use it.
public struct TaxClassRates: Equatable, Sendable {
    public var code: String
    public var name: String
    public var active: Bool
    public var current: DatedTaxRate
    /// Later rates, soonest first.
    public var scheduled: [DatedTaxRate]
    public var productCount: Int
}

/// Tax classes and their dated rates, managed by an admin (`manage_store`), every change audited.
///
/// The rule for dates: a rate is in force from its `effectiveFrom` until the class's next dated rate. A change
/// without a date is in force from now; a future date schedules it. A past date is accepted only when nothing in
/// the class was sold since then — sold lines keep the rate they were sold at, and a receipt that was printed
/// must never disagree with the books — so a correction can only be back-dated over a period with no sales.
/// An open cart is priced with the rate in force when it is priced (each scan, and at checkout).
public struct TaxRates: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// From when a class's opening rate is in force (the migration's `openingRateFrom`).
    public static let openingDate = Date(timeIntervalSince1970: 0)

    /// Every class, archived ones last, with its rate now and the changes to come. Settings work: a signed-in
    /// member needs `manage_store` (the TUI's settings are an admin's); the owner at a shell may always look.
    public func list(_ ctx: TillContext) throws -> [TaxClassRates] {
        try store.read { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            return try TaxRates.list(db, at: ctx.now)
        }
    }

    /// A new class with its opening rate (in force from the beginning: nothing was sold in it before).
    @discardableResult
    public func add(_ ctx: TillContext, code: String, name: String, rate: String) throws -> TaxClassRates {
        let code = code.trimmingCharacters(in: .whitespaces)
        let name = name.trimmingCharacters(in: .whitespaces)
        try CardNumberGuard.check(code, field: "the tax class code")
        try CardNumberGuard.check(name, field: "the tax class name")
        guard !code.isEmpty, code.count <= 32,
              code.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }) else {
            throw TillError.invalid("invalid tax class code \"\(code)\": use up to 32 letters, digits, - or _")
        }
        guard !name.isEmpty else { throw TillError.invalid("tax class \(code) needs a name") }
        let ratePPM = try TaxClass.parseRate(rate)
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            try ChainStore.refuseLocalEdit(db, of: "tax classes and rates")
            if let existing = try TaxRates.taxClass(db, code: code, includingArchived: true) {
                throw TillError.duplicate("tax class \"\(existing.code)\"\(existing.active ? "" : " (archived)")")
            }
            var taxClass = TaxClass(code: code, name: name, ratePPM: ratePPM)
            try taxClass.insert(db)
            try AuditLog.record(db, action: "tax.add", entity: "tax_class", entityID: taxClass.id, before: nil,
                                after: ["code": code, "name": name, "rate": TaxClass.formatRate(ratePPM)],
                                staffID: ctx.staffID, at: ctx.now)
            return try TaxRates.summary(db, taxClass, at: ctx.now)
        }
    }

    /// A new rate for a class, from `from` (nil: from now). See the type's rule for past dates. A second change
    /// on the same moment replaces the first.
    @discardableResult
    public func set(_ ctx: TillContext, code: String, rate: String, from: Date? = nil) throws -> TaxClassRates {
        let ratePPM = try TaxClass.parseRate(rate)
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            try ChainStore.refuseLocalEdit(db, of: "tax classes and rates")
            let now = ctx.now
            let taxClass = try TaxRates.requireClass(db, code: code)
            guard taxClass.active else { throw TillError.invalid("tax class \(taxClass.code) is archived; its rate cannot change") }
            // "From now" is from the start of this second: the store keeps milliseconds, and a moment that
            // rounds up on the way in would read back as not yet in force.
            let effective = from ?? Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            guard effective > TaxRates.openingDate else {
                throw TillError.invalid("a rate must take effect after \(TaxRates.day(TaxRates.openingDate))")
            }
            if let from, from < now {
                let sales = try Int.fetchOne(db, sql: """
                    SELECT COUNT(DISTINCT o.id) FROM order_line l JOIN orders o ON o.id = l.order_id
                    WHERE o.number IS NOT NULL AND l.tax_class = ? COLLATE NOCASE AND o.completed_at >= ?
                    """, arguments: [taxClass.code, effective]) ?? 0
                guard sales == 0 else {
                    throw TillError.invalid("cannot change \(taxClass.code) from \(TaxRates.day(effective)): \(sales) sale\(sales == 1 ? "" : "s") in the class since then kept the rate \(sales == 1 ? "it was" : "they were") sold at; set it from now or a later date")
                }
            }
            let before = try TaxRates.rate(db, classID: taxClass.id ?? 0, at: effective)
            try db.execute(sql: """
                INSERT INTO tax_rate(tax_class_id, rate_ppm, effective_from) VALUES (?, ?, ?)
                ON CONFLICT(tax_class_id, effective_from) DO UPDATE SET rate_ppm = excluded.rate_ppm
                """, arguments: [taxClass.id, ratePPM, effective])
            try AuditLog.record(db, action: "tax.rate", entity: "tax_class", entityID: taxClass.id,
                                before: ["code": taxClass.code, "rate": before.map(TaxClass.formatRate) ?? ""],
                                after: ["code": taxClass.code, "rate": TaxClass.formatRate(ratePPM),
                                        "from": effective.ISO8601Format()],
                                staffID: ctx.staffID, at: now)
            return try TaxRates.summary(db, taxClass, at: now)
        }
    }

    /// Archives a class no product uses; refused, naming how many, while products still do.
    public func archive(_ ctx: TillContext, code: String) throws {
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            try ChainStore.refuseLocalEdit(db, of: "tax classes and rates")
            let taxClass = try TaxRates.requireClass(db, code: code)
            guard taxClass.active else { throw TillError.invalid("tax class \(taxClass.code) is already archived") }
            let products = try TaxRates.productCount(db, classID: taxClass.id ?? 0)
            guard products == 0 else {
                throw TillError.invalid("tax class \(taxClass.code) is used by \(products) product\(products == 1 ? "" : "s"); move \(products == 1 ? "it" : "them") to another class before archiving it")
            }
            try db.execute(sql: "UPDATE tax_class SET active = 0 WHERE id = ?", arguments: [taxClass.id])
            try AuditLog.record(db, action: "tax.archive", entity: "tax_class", entityID: taxClass.id,
                                before: ["code": taxClass.code, "active": "true"], after: ["code": taxClass.code, "active": "false"],
                                staffID: ctx.staffID, at: ctx.now)
        }
    }

    // MARK: - The lookup (each runs inside the caller's transaction)

    /// The rate of the class with this code in force at `date`, or nil for an unknown class. Runs on every
    /// scan, so the statement is prepared once per connection.
    static func rate(_ db: Database, classCode: String, at date: Date) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT r.rate_ppm FROM tax_rate r JOIN tax_class t ON t.id = r.tax_class_id
            WHERE t.code = ? AND r.effective_from <= ? ORDER BY r.effective_from DESC LIMIT 1
            """), arguments: [classCode, date])
    }

    static func rate(_ db: Database, classID: Int64, at date: Date) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT rate_ppm FROM tax_rate WHERE tax_class_id = ? AND effective_from <= ?
            ORDER BY effective_from DESC LIMIT 1
            """), arguments: [classID, date])
    }

    /// The same lookup as SQL, for queries that read many items at once (the catalog): the rate of class
    /// `classID` (an SQL expression) at the wall clock's now, in the format GRDB stores dates in.
    static func rateNowSQL(classID: String) -> String {
        """
        (SELECT r.rate_ppm FROM tax_rate r WHERE r.tax_class_id = \(classID)
         AND r.effective_from <= strftime('%Y-%m-%d %H:%M:%f', 'now') ORDER BY r.effective_from DESC LIMIT 1)
        """
    }

    static func list(_ db: Database, at date: Date) throws -> [TaxClassRates] {
        try TaxClass.order(sql: "active DESC, code").fetchAll(db).map { try summary(db, $0, at: date) }
    }

    static func summary(_ db: Database, _ taxClass: TaxClass, at date: Date) throws -> TaxClassRates {
        let rows = try Row.fetchAll(db, sql: "SELECT rate_ppm, effective_from FROM tax_rate WHERE tax_class_id = ? ORDER BY effective_from",
                                    arguments: [taxClass.id]).map {
            DatedTaxRate(ratePPM: $0["rate_ppm"], effectiveFrom: $0["effective_from"])
        }
        let current = rows.last { $0.effectiveFrom <= date }
            ?? DatedTaxRate(ratePPM: taxClass.ratePPM, effectiveFrom: openingDate)
        return TaxClassRates(code: taxClass.code, name: taxClass.name, active: taxClass.active, current: current,
                             scheduled: rows.filter { $0.effectiveFrom > date },
                             productCount: try productCount(db, classID: taxClass.id ?? 0))
    }

    static func taxClass(_ db: Database, code: String, includingArchived: Bool) throws -> TaxClass? {
        try TaxClass.filter(sql: "code = ? COLLATE NOCASE\(includingArchived ? "" : " AND active")", arguments: [code]).fetchOne(db)
    }

    static func requireClass(_ db: Database, code: String) throws -> TaxClass {
        if let found = try taxClass(db, code: code, includingArchived: true) { return found }
        throw TillError.notFound("tax class \"\(code)\" (known: \(try knownCodes(db)))")
    }

    /// The codes a product may use, for messages.
    static func knownCodes(_ db: Database) throws -> String {
        try String.fetchAll(db, sql: "SELECT code FROM tax_class WHERE active ORDER BY code").joined(separator: ", ")
    }

    static func productCount(_ db: Database, classID: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM product WHERE tax_class_id = ?", arguments: [classID]) ?? 0
    }

    /// `2027-01-01`, or `2026-12-01 19:58` for a change made at a moment rather than from a day: how the CLI
    /// and the TUI show when a rate applies from.
    public static func moment(_ date: Date, calendar: Calendar = .current) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        guard parts.hour != 0 || parts.minute != 0 else { return day(date, calendar: calendar) }
        return day(date, calendar: calendar) + String(format: " %02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// `2026-12-01`, in the till's time zone, as the commands take dates.
    static func day(_ date: Date, calendar: Calendar = .current) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// A `--from` day (`YYYY-MM-DD`): its first moment in the till's time zone.
    public static func parseDay(_ text: String, calendar: Calendar = .current) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let dayNumber = Int(parts[2]),
              let start = calendar.date(from: DateComponents(year: year, month: month, day: dayNumber)),
              calendar.component(.day, from: start) == dayNumber, calendar.component(.month, from: start) == month else {
            throw TillError.invalid("invalid date \"\(text)\": expected a day as YYYY-MM-DD")
        }
        return start
    }
}
