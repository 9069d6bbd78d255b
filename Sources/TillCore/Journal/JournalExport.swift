import Foundation
import GRDB

/// The journal for an auditor: the entries of a span of the store's days as JSON lines (each with the exact
/// bytes that were hashed and signed), the public key, the days' Z reports, a README of the format and a
/// `verify.py` — so the export can be checked with openssl or a few lines of Python, without Till.
public enum JournalExport {
    public struct Summary: Equatable, Sendable {
        public var folder: String
        public var entries: Int
        public var firstSeq: Int64?
        public var lastSeq: Int64?
        public var zReports: Int
    }

    struct Line: Encodable {
        var seq: Int64
        var kind: String
        var ref: Int64
        var at: String
        var store: String
        var prev: String
        var hash: String
        var signature: String
        var gt_sales: Int64
        var gt_refunds: Int64
        var gt_net: Int64
        var bytes: String
    }

    /// Entries whose fact happened on the store's days `from`…`to` (YYYY-MM-DD, inclusive) into the new or
    /// empty folder `out`.
    public static func export(_ store: StoreDatabase, from: String, to: String, out: String, _ ctx: TillContext) throws -> Summary {
        let (zone, zReports) = try store.read { db -> (TimeZone, [ZReport]) in
            try Permissions.requireIfSignedIn(db, .viewReports, staffID: ctx.staffID)
            return (try StoreSettings.load(db).timeZone, try DayReports.allSaved(db))
        }
        let start = try dayStart(from, zone: zone, option: "--from")
        let end = try dayStart(to, zone: zone, option: "--to").addingTimeInterval(86_400 * 1.5)
        let endDay = Calendar.utc(zone).startOfDay(for: end)
        guard start < endDay else { throw TillError.invalid("--from \(from) is after --to \(to)") }
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        if fileManager.fileExists(atPath: out, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw TillError.invalid("\(out) is a file; give a new or empty folder") }
            guard (try fileManager.contentsOfDirectory(atPath: out)).isEmpty else {
                throw TillError.invalid("\(out) is not empty; give a new or empty folder, so no older export is mixed in")
            }
        }
        let zFolder = (out as NSString).appendingPathComponent("z-reports")
        do {
            try fileManager.createDirectory(atPath: zFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw TillError.storage("cannot create \(zFolder): \(error.localizedDescription)")
        }
        let entriesPath = (out as NSString).appendingPathComponent("entries.jsonl")
        guard fileManager.createFile(atPath: entriesPath, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: entriesPath) else {
            throw TillError.storage("cannot create \(entriesPath)")
        }
        defer { try? handle.close() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var summary = Summary(folder: out, entries: 0, firstSeq: nil, lastSeq: nil, zReports: 0)
        let pem = try store.read { db -> String in
            // Every entry from the first of the span to its last, so the export is one unbroken piece of the chain.
            // The journal's first entry counts from the first fact after it: a demo store's history is dated
            // before the day its journal began.
            let cursor = try Row.fetchCursor(db, sql: """
                WITH span AS (
                    SELECT MIN(seq) AS first, MAX(seq) AS last FROM journal_entry
                    WHERE at >= ?1 AND at < ?2 AND kind <> 'journal_start' AND hash IS NOT NULL
                )
                SELECT \(Journal.columns) FROM journal_entry, span
                WHERE seq >= CASE WHEN span.first = 2 THEN 1 ELSE span.first END AND seq <= span.last
                ORDER BY seq
                """, arguments: [iso(start), iso(endDay)])
            var buffer = Data()
            while let row = try cursor.next() {
                let entry = Journal.entry(row)
                let line = Line(seq: entry.seq, kind: entry.kind, ref: entry.ref, at: entry.at, store: entry.store, prev: entry.prevHash,
                                hash: entry.hash, signature: entry.signature, gt_sales: entry.grandSales, gt_refunds: entry.grandRefunds,
                                gt_net: entry.grandNet, bytes: String(decoding: entry.bytes, as: UTF8.self))
                buffer += try encoder.encode(line)
                buffer.append(10)
                summary.entries += 1
                summary.firstSeq = summary.firstSeq ?? entry.seq
                summary.lastSeq = entry.seq
                if buffer.count > 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: buffer)
            guard let pem = try Journal.publicKeyPEM(db) else { throw TillError.storage("the store has no journal key") }
            return pem
        }
        try write(pem, to: (out as NSString).appendingPathComponent("public-key.pem"))
        let days = zReports.filter { $0.figures.day >= from && $0.figures.day <= to }
        for z in days {
            let name = "Z\(z.number)-\(z.figures.day)"
            try write(z.figures.text(title: "Z report #\(z.number)").joined(separator: "\n") + "\n",
                      to: (zFolder as NSString).appendingPathComponent(name + ".txt"))
            let json = try store.read { db in try String.fetchOne(db, sql: "SELECT figures FROM z_report WHERE number = ?", arguments: [z.number]) } ?? "{}"
            try write(json + "\n", to: (zFolder as NSString).appendingPathComponent(name + ".json"))
        }
        summary.zReports = days.count
        try write(JournalExportReadme.text(from: from, to: to, summary: summary), to: (out as NSString).appendingPathComponent("README.md"))
        try write(JournalExportReadme.verifyScript, to: (out as NSString).appendingPathComponent("verify.py"))
        return summary
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch {
            throw TillError.storage("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func dayStart(_ day: String, zone: TimeZone, option: String) throws -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        guard day.count == 10, let date = formatter.date(from: day) else {
            throw TillError.invalid("\(option) \(day): give a date as YYYY-MM-DD")
        }
        return date
    }

    /// The form journal entries store their times in, so the range compares as text.
    static func iso(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter.string(from: date)
    }
}

extension Calendar {
    static func utc(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
