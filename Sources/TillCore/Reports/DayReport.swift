import Foundation
import GRDB

/// A business day's figures, as the X report (a snapshot, any time) and the Z report (end of day, numbered and
/// frozen) print them. Money is in minor units.
public struct DayFigures: Codable, Equatable, Sendable {
    public struct TaxLine: Codable, Equatable, Sendable {
        public var code: String
        public var ratePPM: Int64
        public var tax: Int64
    }

    public struct TenderLine: Codable, Equatable, Sendable {
        public var method: String
        public var taken: Int64
        public var refunded: Int64
    }

    public struct StaffLine: Codable, Equatable, Sendable {
        public var username: String
        public var sales: Int
        public var total: Int64
        public var refunds: Int64
        public var voids: Int
        public var noSales: Int
    }

    public var day: String
    public var currency: String
    /// Completed sales of the day (voided ones excluded, counted under voids).
    public var salesCount: Int
    /// Pieces and weight apart, as printed: "12 items, 3.450 kg".
    public var itemsSold: String
    /// Before discounts; `discounts` off it gives `total`.
    public var grossSales: Int64
    public var discounts: Int64
    public var total: Int64
    public var tax: Int64
    public var taxByClass: [TaxLine]
    public var cashRounding: Int64
    public var refundsCount: Int
    public var refunds: Int64
    public var voidsCount: Int
    public var voids: Int64
    /// `total` less refunds.
    public var netSales: Int64
    public var tenders: [TenderLine]
    public var payIns: Int64
    public var payOuts: Int64
    public var noSales: Int
    /// Summed over the registers' shifts of the day.
    public var cashExpected: Int64
    public var byStaff: [StaffLine]
}

public struct ZReport: Equatable, Sendable {
    public var number: Int64
    public var closedAt: Date
    public var closedBy: String?
    public var figures: DayFigures
    /// Said when the Z closed a past day that was never closed (allowed for a manager, and worth knowing).
    public var note: String?
}

/// The X report (the business day so far) and the Z report (closes the business day and numbers it).
/// Figures come from the rows stamped with the day (`business_day`), so a Z holds exactly the day's orders,
/// refunds, voids and cash movements, and anything after it belongs to the next day (see `BusinessDay`).
public struct DayReports: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The X report: a business day's figures (default the one open now), changing nothing.
    public func x(day: BusinessDay? = nil, _ ctx: TillContext) throws -> DayFigures {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try DayReports.figures(db, day: try day ?? BusinessDay.current(db, at: ctx.now))
        }
    }

    /// The Z report: closes the business day (default the one open now) and numbers it. A day is closed once;
    /// a day that has not begun cannot be; a past day never closed can be, and the report says so. Refused
    /// while a shift that began on or before the day is still open: every drawer is counted first.
    public func z(day: BusinessDay? = nil, _ ctx: TillContext) throws -> ZReport {
        try store.requireJournal()
        let date = ctx.now
        return try store.write { db in
            let member = try Permissions.require(db, .closeDay, staffID: ctx.staffID)
            let settings = try StoreSettings.load(db)
            let current = try BusinessDay.current(db, at: date, settings: settings)
            let asked = day
            let day = day ?? current
            if let existing = try DayReports.saved(db, dayKey: day.key) {
                throw TillError.invalid("\(day) was closed already as Z report #\(existing.number) at \(LocalTime.format(existing.closedAt, settings: settings)); `till report z --date \(day) --show` prints it")
            }
            // A day has begun once its start hour has come by the clock: after today's Z, what is sold belongs to
            // tomorrow's business day, which is closed tomorrow — not by a second Z tonight.
            let begins = day.clockInterval(settings: settings).start
            guard day <= current, begins <= date else {
                let clockDay = BusinessDay.byClock(date, settings: settings)
                if asked == nil, let closed = try DayReports.saved(db, dayKey: clockDay.key) {
                    throw TillError.invalid("\(clockDay) was closed already as Z report #\(closed.number) at \(LocalTime.format(closed.closedAt, settings: settings)); what is sold since belongs to business day \(day), which can be closed once it has begun (\(LocalTime.format(begins, settings: settings)))")
                }
                throw TillError.invalid("business day \(day) has not begun (today's is \(clockDay)); a day is closed at its end")
            }
            let open = try Row.fetchAll(db, sql: """
                SELECT register, opened_at FROM shift WHERE closed_at IS NULL AND (business_day IS NULL OR business_day <= ?)
                ORDER BY register
                """, arguments: [day.key])
            if !open.isEmpty {
                let list = open.map { "\($0["register"] as String) (open since \(LocalTime.format($0["opened_at"], settings: settings)))" }
                throw TillError.invalid("close every shift before the Z report: \(list.joined(separator: ", ")) — F5 then c, or `till shift close --count … --register NAME`")
            }
            let figures = try DayReports.figures(db, day: day)
            let number = (try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM z_report") ?? 0) + 1
            let json = String(decoding: try JSONEncoder().encode(figures), as: UTF8.self)
            try db.execute(sql: "INSERT INTO z_report(number, business_day, closed_by, closed_at, figures) VALUES (?, ?, ?, ?, ?)",
                           arguments: [number, day.key, member.id, date, json])
            let note = day < current ? "closing \(day), a past business day that was never closed (today's is \(current))" : nil
            try AuditLog.record(db, action: "day.close", entity: "z_report", entityID: number, before: nil,
                                after: ["day": day.key, "total": String(figures.total)], staffID: member.id, note: note, at: date)
            return ZReport(number: number, closedAt: date, closedBy: member.username, figures: figures, note: note)
        }
    }

    /// A Z report made earlier, as it was then.
    public func savedZ(day: BusinessDay, _ ctx: TillContext) throws -> ZReport {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            guard let saved = try DayReports.saved(db, dayKey: day.key) else { throw TillError.notFound("a Z report for \(day)") }
            return saved
        }
    }

    /// Every Z report, oldest first (for checks that they add up to the orders).
    public func allZ(_ ctx: TillContext) throws -> [ZReport] {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try DayReports.allSaved(db)
        }
    }

    static func allSaved(_ db: Database) throws -> [ZReport] {
        try String.fetchAll(db, sql: "SELECT business_day FROM z_report ORDER BY business_day").compactMap { try saved(db, dayKey: $0) }
    }

    static func saved(_ db: Database, dayKey: String) throws -> ZReport? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT z.*, s.username FROM z_report z LEFT JOIN staff s ON s.id = z.closed_by WHERE z.business_day = ?
            """, arguments: [dayKey]) else { return nil }
        let text: String = row["figures"]
        return ZReport(number: row["number"], closedAt: row["closed_at"], closedBy: row["username"],
                       figures: try JSONDecoder().decode(DayFigures.self, from: Data(text.utf8)))
    }

    static func figures(_ db: Database, day: BusinessDay) throws -> DayFigures {
        let settings = try StoreSettings.load(db)
        let window: StatementArguments = [day.key]
        let sold = "o.number IS NOT NULL AND o.status <> 'voided' AND o.business_day = ?"
        let totals = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, COALESCE(SUM(subtotal), 0) AS gross, COALESCE(SUM(discount_total), 0) AS discounts,
                   COALESCE(SUM(total), 0) AS total, COALESCE(SUM(tax_total), 0) AS tax,
                   COALESCE(SUM(cash_rounding), 0) AS rounding
            FROM orders o WHERE \(sold)
            """, arguments: window) ?? Row()
        let items = ItemCount(row: try Row.fetchOne(db, sql: """
            SELECT \(ItemCount.sumsSQL) FROM orders o CROSS JOIN order_line l ON l.order_id = o.id \(ItemCount.itemUnitJoin)
            WHERE \(sold)
            """, arguments: window))
        let taxes = try Row.fetchAll(db, sql: """
            SELECT l.tax_class AS code, l.tax_rate_ppm AS rate, SUM(l.tax) AS tax FROM orders o CROSS JOIN order_line l ON l.order_id = o.id
            WHERE \(sold) GROUP BY l.tax_class, l.tax_rate_ppm ORDER BY l.tax_class
            """, arguments: window).map { DayFigures.TaxLine(code: $0["code"], ratePPM: $0["rate"], tax: $0["tax"]) }
        let refunds = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS amount FROM refund
            WHERE status = 'completed' AND kind <> 'void' AND business_day = ?
            """, arguments: window) ?? Row()
        let voids = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, COALESCE(SUM(o.total), 0) AS amount FROM orders o
            WHERE o.status = 'voided' AND o.number IS NOT NULL AND o.business_day = ?
            """, arguments: window) ?? Row()
        var tenders: [String: DayFigures.TenderLine] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.method, SUM(p.amount) AS amount FROM orders o CROSS JOIN payment p ON p.order_id = o.id
            WHERE \(sold) AND p.status IN ('captured', 'refunded') GROUP BY p.method
            """, arguments: window) {
            let method: String = row["method"]
            tenders[method] = DayFigures.TenderLine(method: method, taken: row["amount"], refunded: 0)
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT t.method, SUM(t.amount) AS amount FROM refund_tender t JOIN refund r ON r.id = t.refund_id
            WHERE t.status = 'refunded' AND r.kind <> 'void' AND r.business_day = ? GROUP BY t.method
            """, arguments: window) {
            let method: String = row["method"]
            tenders[method, default: DayFigures.TenderLine(method: method, taken: 0, refunded: 0)].refunded = row["amount"]
        }
        var drawer: [String: (Int64, Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT kind, SUM(amount) AS amount, COUNT(*) AS n FROM cash_movement WHERE business_day = ? GROUP BY kind
            """, arguments: window) {
            drawer[row["kind"]] = (row["amount"], row["n"])
        }
        let cashExpected = try DayReports.cashFlows(db, day: day).expected
        var staff: [String: DayFigures.StaffLine] = [:]
        func line(_ name: String) -> DayFigures.StaffLine {
            staff[name] ?? DayFigures.StaffLine(username: name, sales: 0, total: 0, refunds: 0, voids: 0, noSales: 0)
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT COALESCE(s.username, '—') AS who, COUNT(*) AS n, SUM(o.total) AS total FROM orders o
            LEFT JOIN staff s ON s.id = o.staff_id WHERE \(sold) GROUP BY who
            """, arguments: window) {
            var entry = line(row["who"])
            entry.sales = row["n"]
            entry.total = row["total"]
            staff[entry.username] = entry
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT COALESCE(s.username, '—') AS who, r.kind, COUNT(*) AS n, SUM(r.amount) AS amount FROM refund r
            LEFT JOIN staff s ON s.id = r.staff_id
            WHERE r.status = 'completed' AND r.business_day = ? GROUP BY who, r.kind
            """, arguments: window) {
            var entry = line(row["who"])
            if row["kind"] == "void" { entry.voids += row["n"] } else { entry.refunds += row["amount"] }
            staff[entry.username] = entry
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT COALESCE(s.username, '—') AS who, COUNT(*) AS n FROM cash_movement c LEFT JOIN staff s ON s.id = c.staff_id
            WHERE c.kind = 'no_sale' AND c.business_day = ? GROUP BY who
            """, arguments: window) {
            var entry = line(row["who"])
            entry.noSales = row["n"]
            staff[entry.username] = entry
        }
        let total: Int64 = totals["total"]
        let refunded: Int64 = refunds["amount"]
        return DayFigures(
            day: day.key, currency: settings.currency.code, salesCount: totals["n"],
            itemsSold: items.description, grossSales: totals["gross"], discounts: totals["discounts"],
            total: total, tax: totals["tax"], taxByClass: taxes, cashRounding: totals["rounding"], refundsCount: refunds["n"],
            refunds: refunded, voidsCount: voids["n"], voids: voids["amount"], netSales: total - refunded,
            tenders: tenders.values.sorted { $0.method < $1.method }, payIns: drawer["pay_in"]?.0 ?? 0,
            payOuts: drawer["pay_out"]?.0 ?? 0, noSales: drawer["no_sale"]?.1 ?? 0, cashExpected: cashExpected,
            byStaff: staff.values.sorted { $0.username < $1.username })
    }

    /// A business day's cash, from its rows: floats of the shifts opened that day, cash kept from sales, cash
    /// given back (refunds and voids), pay-ins and pay-outs. `expected` is what the day's drawers should hold
    /// together — the sum of its shifts' expected cash when every cash row has its drawer.
    struct CashFlows: Equatable {
        var floats: Int64
        var taken: Int64
        var refunded: Int64
        var payIns: Int64
        var payOuts: Int64
        var expected: Int64 { floats + taken - refunded + payIns - payOuts }
    }

    static func cashFlows(_ db: Database, day: BusinessDay) throws -> CashFlows {
        let floats = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(opening_float), 0) FROM shift WHERE business_day = ?",
                                        arguments: [day.key]) ?? 0
        let taken = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(p.amount), 0) FROM orders o JOIN payment p ON p.order_id = o.id
            WHERE o.business_day = ? AND o.number IS NOT NULL AND p.method = 'cash'
              AND (p.status IN ('captured', 'refunded') OR EXISTS (SELECT 1 FROM refund_tender t WHERE t.payment_id = p.id))
            """, arguments: [day.key]) ?? 0
        let refunded = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(t.amount), 0) FROM refund_tender t JOIN refund r ON r.id = t.refund_id
            WHERE t.method = 'cash' AND t.status = 'refunded' AND r.business_day = ?
            """, arguments: [day.key]) ?? 0
        let payIns = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM cash_movement WHERE kind = 'pay_in' AND business_day = ?",
                                        arguments: [day.key]) ?? 0
        let payOuts = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount), 0) FROM cash_movement WHERE kind = 'pay_out' AND business_day = ?",
                                         arguments: [day.key]) ?? 0
        return CashFlows(floats: floats, taken: taken, refunded: refunded, payIns: payIns, payOuts: payOuts)
    }
}

extension DayFigures {
    /// The report as a till prints it.
    public func text(title: String, width: Int = 48) -> [String] {
        let currency = (try? Currency.named(self.currency)) ?? .EUR
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
        func pair(_ left: String, _ right: String) -> String {
            left + String(repeating: " ", count: max(1, width - left.count - right.count)) + right
        }
        let rule = String(repeating: "-", count: width)
        var lines = [title, "Business day \(day)", rule]
        lines.append(pair("Sales", String(salesCount)))
        lines.append(pair("Items sold", itemsSold))
        lines.append(pair("Gross sales", money(grossSales)))
        lines.append(pair("Discounts", "-" + money(discounts)))
        lines.append(pair("Sales total", money(total)))
        lines.append(pair("Refunds (\(refundsCount))", "-" + money(refunds)))
        lines.append(pair("Net sales", money(netSales)))
        lines.append(pair("Voids (\(voidsCount))", money(voids)))
        if cashRounding != 0 { lines.append(pair("Cash rounding", money(cashRounding))) }
        lines.append(rule)
        for line in taxByClass { lines.append(pair("Tax \(line.code) \(TaxClass.formatRate(line.ratePPM))%", money(line.tax))) }
        lines.append(pair("Tax total", money(tax)))
        lines.append(rule)
        for tender in tenders {
            lines.append(pair("\(tender.method.capitalized) taken", money(tender.taken)))
            if tender.refunded > 0 { lines.append(pair("\(tender.method.capitalized) refunded", "-" + money(tender.refunded))) }
        }
        lines.append(pair("Pay-ins", money(payIns)))
        lines.append(pair("Pay-outs", "-" + money(payOuts)))
        lines.append(pair("No-sale openings", String(noSales)))
        lines.append(pair("Cash expected in drawers", money(cashExpected)))
        lines.append(rule)
        // Columns, figures right-aligned, so a short amount does not shift the ones after it.
        func staffRow(_ cells: [String]) -> String {
            let widths = [width - 39, 6, 10, 9, 6, 8]
            return cells.enumerated().map { index, cell in
                index == 0 ? String(cell.prefix(widths[0] - 1)).padded(toWidth: widths[0]) : cell.padded(toWidth: widths[index], alignRight: true)
            }.joined()
        }
        lines.append(staffRow(["By staff", "sales", "total", "refunds", "voids", "no-sale"]))
        for line in byStaff {
            lines.append(staffRow([line.username, String(line.sales), money(line.total), "-" + money(line.refunds),
                                   String(line.voids), String(line.noSales)]))
        }
        return lines
    }
}
