import Foundation

/// Times as a shop reads them: in the store's time zone (`time_zone`, default the machine's), never raw UTC.
/// Stored times stay UTC; only what people see — screens, receipts, reports, exports — is converted here.
public enum LocalTime {
    /// `2026-11-25 18:03` in the store's zone.
    public static func format(_ date: Date, settings: StoreSettings) -> String {
        format(date, timeZone: settings.timeZone)
    }

    public static func format(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", p.year ?? 0, p.month ?? 0, p.day ?? 0, p.hour ?? 0, p.minute ?? 0)
    }

    /// ISO 8601 with the store zone's offset (`2026-11-25T18:03:00+01:00`): unambiguous for files and JSON,
    /// and still the shop's own clock time.
    public static func iso(_ date: Date, settings: StoreSettings) -> String {
        iso(date, timeZone: settings.timeZone)
    }

    public static func iso(_ date: Date, timeZone: TimeZone) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: timeZone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted)
        return date.formatted(style)
    }

    /// The store's zone, read once for callers outside a transaction.
    public static func timeZone(of store: StoreDatabase) -> TimeZone {
        (try? store.read { db in try StoreSettings.load(db).timeZone }) ?? .current
    }
}
