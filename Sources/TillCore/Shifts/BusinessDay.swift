import Foundation
import GRDB

/// The shop's trading day, as `YYYY-MM-DD`. It is not the calendar date:
///
/// - It starts at the store's `business_day_start_hour` (default 04:00 local), so a bar open past midnight
///   trades one day.
/// - **A Z report closes it.** Once day D has its Z, nothing more can land in D: a sale, refund, void or cash
///   movement made after the Z belongs to the next business day, whatever the clock says. The database refuses a
///   row stamped with a closed day (triggers), so no caller can slip one in.
///
/// Every completed order, refund, void and cash movement is stamped with its business day when it is written,
/// so each belongs to exactly one day and at most one Z report.
public struct BusinessDay: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let key: String

    /// Parses `YYYY-MM-DD`; anything else is an error naming the input.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else {
            throw TillError.invalid("\"\(text)\" is not a day; give it as YYYY-MM-DD, e.g. 2026-11-20")
        }
        var components = DateComponents()
        components.year = year
        components.month = month
        components.day = day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day else {
            throw TillError.invalid("\(trimmed) is not a date on the calendar")
        }
        key = trimmed
    }

    private init(unchecked key: String) { self.key = key }

    public var description: String { key }

    public static func < (lhs: BusinessDay, rhs: BusinessDay) -> Bool { lhs.key < rhs.key }

    /// The business day a moment falls in by the clock alone (before any Z is taken into account).
    public static func byClock(_ date: Date, settings: StoreSettings) -> BusinessDay {
        let calendar = settings.calendar
        let shifted = date.addingTimeInterval(-Double(settings.businessDayStartHour) * 3600)
        let parts = calendar.dateComponents([.year, .month, .day], from: shifted)
        return BusinessDay(unchecked: String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0))
    }

    /// The moment this day starts by the clock (its start hour, local) — and when the next one does.
    public func clockInterval(settings: StoreSettings) -> (start: Date, end: Date) {
        let calendar = settings.calendar
        let parts = key.split(separator: "-").compactMap { Int($0) }
        var components = DateComponents()
        components.year = parts[0]
        components.month = parts[1]
        components.day = parts[2]
        components.hour = settings.businessDayStartHour
        let start = calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start
        return (start, end)
    }

    public func adding(days: Int) -> BusinessDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = key.split(separator: "-").compactMap { Int($0) }
        let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)) ?? Date()
        let moved = calendar.date(byAdding: .day, value: days, to: date) ?? date
        let p = calendar.dateComponents([.year, .month, .day], from: moved)
        return BusinessDay(unchecked: String(format: "%04d-%02d-%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0))
    }

    public var next: BusinessDay { adding(days: 1) }

    /// The newest day a Z report has closed.
    static func lastClosed(_ db: Database) throws -> BusinessDay? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT MAX(business_day) FROM z_report")).map(BusinessDay.init(unchecked:))
    }

    static func isClosed(_ db: Database, _ day: BusinessDay) throws -> Bool {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM z_report WHERE business_day = ?"), arguments: [day.key]) != nil
    }

    /// The business day something done at `date` belongs to: the clock's day, or — once that day (or a later
    /// one) has its Z — the day after the last one closed.
    static func current(_ db: Database, at date: Date, settings: StoreSettings? = nil) throws -> BusinessDay {
        let settings = try settings ?? StoreSettings.load(db)
        let clock = byClock(date, settings: settings)
        guard let closed = try lastClosed(db), closed >= clock else { return clock }
        return closed.next
    }

    /// The business day open now, for callers outside a transaction.
    public static func current(in store: StoreDatabase, at date: Date = Date()) throws -> BusinessDay {
        try store.read { db in try current(db, at: date) }
    }

    /// Where a sale, refund or void done at `register` lands: the open shift of that register (its drawer) and
    /// that shift's business day — a shift keeps its day until it is closed, so a night shift past the start
    /// hour is still one day — or, with no shift open, the day open now. `cash` names what needs the drawer
    /// ("take cash"); with `cash_requires_shift` on, cash with no shift open is refused.
    static func placing(_ db: Database, register: String, at date: Date, cash: String?) throws -> (BusinessDay, Shift?) {
        let settings = try StoreSettings.load(db)
        let shift: Shift?
        if let cash {
            shift = try Shifts.drawer(db, register: register, doing: cash)
        } else {
            shift = try Shifts.current(db, register: register)
        }
        if let shift, let key = try String.fetchOne(db.cachedStatement(sql: "SELECT business_day FROM shift WHERE id = ?"),
                                                    arguments: [shift.id]),
           let day = try? BusinessDay(key), !(try isClosed(db, day)) {
            return (day, shift)
        }
        return (try current(db, at: date, settings: settings), shift)
    }
}
