import Foundation
import TillCore

/// One store's journal as head office holds it.
public struct HQJournalStatus: Sendable, Equatable, Codable {
    public var store: String
    public var fingerprint: String?
    public var entries: Int64
    public var lastSeq: Int64?
    public var lastHash: String?
    public var grandSales: Int64?
    public var grandRefunds: Int64?
    /// Checked by this run.
    public var checkedNow: Int
    public var invalid: Int64
    public var unchecked: Int64
    /// Open journal exceptions (broken links, rewritten entries, a changed key, bad signatures).
    public var openExceptions: Int64
}

/// Checks the signatures of the journal entries stores sent, against each store's registered key, and keeps
/// the result per entry: PostgreSQL checked each entry's hash and link as it arrived; this adds what only the
/// key can tell. A bad signature opens a `journal_signature_invalid` exception.
public enum HQJournal {
    public static func verify(_ hq: HQConnection, store: String? = nil, batch: Int = 5_000) throws -> [HQJournalStatus] {
        let stores = try hq.query("SELECT code FROM hq.store WHERE $1::text IS NULL OR code = $1 ORDER BY code", [store]).compactMap { $0["code"] }
        var statuses: [HQJournalStatus] = []
        for code in stores {
            let key = try hq.query("SELECT public_key FROM hq.journal_key WHERE store = $1", [code]).first?["public_key"]
            var checked = 0
            if let key {
                while true {
                    let rows = try hq.query("""
                        SELECT seq, bytes, signature FROM hq.journal_entry WHERE store = $1 AND signature_valid IS NULL ORDER BY seq LIMIT $2::int
                        """, [code, String(batch)])
                    if rows.isEmpty { break }
                    var good: [String] = [], bad: [String] = []
                    for row in rows {
                        guard let seq = row["seq"], let bytes = row["bytes"], let signature = row["signature"] else { continue }
                        if JournalSignature.isValid(bytes: bytes, signature: signature, publicKey: key) { good.append(seq) } else { bad.append(seq) }
                    }
                    try hq.query("UPDATE hq.journal_entry SET signature_valid = true WHERE store = $1 AND seq = ANY($2::bigint[])",
                                 [code, "{" + good.joined(separator: ",") + "}"])
                    try hq.query("UPDATE hq.journal_entry SET signature_valid = false WHERE store = $1 AND seq = ANY($2::bigint[])",
                                 [code, "{" + bad.joined(separator: ",") + "}"])
                    for seq in bad {
                        try hq.query("""
                            SELECT hq.flag($1::text, NULL, 'journal_signature_invalid', 'entry:' || $2::text,
                                format('journal entry %s from %s is not signed by the key %s registered', $2::text, $1::text, $1::text))
                            """, [code, seq])
                    }
                    checked += rows.count
                    if rows.count < batch { break }
                }
            }
            guard let row = try hq.query("""
                SELECT count(*) AS entries, max(seq) AS last_seq,
                       count(*) FILTER (WHERE signature_valid = false) AS invalid,
                       count(*) FILTER (WHERE signature_valid IS NULL) AS unchecked,
                       (SELECT hash FROM hq.journal_entry WHERE store = $1 ORDER BY seq DESC LIMIT 1) AS last_hash,
                       (SELECT gt_sales FROM hq.journal_entry WHERE store = $1 ORDER BY seq DESC LIMIT 1) AS gt_sales,
                       (SELECT gt_refunds FROM hq.journal_entry WHERE store = $1 ORDER BY seq DESC LIMIT 1) AS gt_refunds,
                       (SELECT count(*) FROM hq.exception WHERE store = $1 AND kind LIKE 'journal%' AND resolved_at IS NULL) AS open
                FROM hq.journal_entry WHERE store = $1
                """, [code]).first else { continue }
            statuses.append(HQJournalStatus(
                store: code, fingerprint: key.flatMap { JournalSignature.fingerprint(publicKey: $0) },
                entries: Int64(row["entries"] ?? "") ?? 0, lastSeq: row["last_seq"].flatMap { Int64($0) }, lastHash: row["last_hash"],
                grandSales: row["gt_sales"].flatMap { Int64($0) }, grandRefunds: row["gt_refunds"].flatMap { Int64($0) },
                checkedNow: checked, invalid: Int64(row["invalid"] ?? "") ?? 0, unchecked: Int64(row["unchecked"] ?? "") ?? 0,
                openExceptions: Int64(row["open"] ?? "") ?? 0))
        }
        return statuses
    }
}
