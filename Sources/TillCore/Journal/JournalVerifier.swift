@preconcurrency import Crypto
import Dispatch
import Foundation
import GRDB

/// What `till journal verify` found wrong, naming the entry.
public struct JournalProblem: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case edited, deleted, inserted, reordered
        case signatureInvalid = "signature invalid"
        case unsigned = "not signed"
        case totals = "grand totals wrong"
        case key = "key replaced"
        case rewritten
    }
    /// The entry named; nil for a problem of the key file.
    public var seq: Int64?
    public var kind: Kind
    public var detail: String

    public var description: String {
        (seq.map { "entry \($0): " } ?? "") + kind.rawValue + " — " + detail
    }
}

public struct JournalVerification: Sendable {
    public var entries = 0
    public var firstSeq: Int64 = 0
    public var lastSeq: Int64 = 0
    public var lastHash = JournalBytes.genesisPrev
    public var grandSales: Int64 = 0
    public var grandRefunds: Int64 = 0
    public var fingerprint = ""
    public var problems: [JournalProblem] = []
    public var seconds: Double = 0
    public var passed: Bool { problems.isEmpty }
}

/// Recomputes the journal: each entry's link to the one before, its hash, its signature under the key the
/// journal was started with, the grand totals, and its fact against the store's tables now; then that every fact
/// in the tables has its entry. Signatures are checked on every core (they are most of the work).
public struct JournalVerifier: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func verify(from start: Int64 = 1, maxProblems: Int = 20) throws -> JournalVerification {
        let started = Date()
        var result = JournalVerification()
        try store.read { db in
            guard let pem = try Journal.publicKeyPEM(db) else {
                result.problems.append(JournalProblem(seq: nil, kind: .deleted, detail: "the store has no journal key record"))
                return
            }
            let key = try JournalKey.publicKey(pem: pem)
            result.fingerprint = JournalKey.fingerprint(key)
            checkKeyFile(recorded: key, into: &result)
            try checkEntries(db, key: key, from: max(1, start), maxProblems: maxProblems, into: &result)
            if result.problems.count < maxProblems { try checkFactsHaveEntries(db, into: &result, max: maxProblems) }
        }
        result.problems.sort { ($0.seq ?? 0, $0.kind.rawValue) < ($1.seq ?? 0, $1.kind.rawValue) }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    /// The store's journal against an export taken earlier (`till journal export`), kept away from the store:
    /// every exported entry must still be in the journal with the same hash, under the same key. This is what
    /// finds a journal forged whole by someone holding the key file, which a verify alone cannot.
    public func compare(withExport folder: String) throws -> (entries: Int, problems: [JournalProblem]) {
        let entriesPath = (folder as NSString).appendingPathComponent("entries.jsonl")
        let keyPath = (folder as NSString).appendingPathComponent("public-key.pem")
        guard let text = try? String(contentsOfFile: entriesPath, encoding: .utf8) else {
            throw TillError.invalid("\(entriesPath) cannot be read: give the folder `till journal export` wrote")
        }
        var problems: [JournalProblem] = []
        let exportedKey = try? String(contentsOfFile: keyPath, encoding: .utf8)
        let pem = try store.read { db in try Journal.publicKeyPEM(db) }
        if let exportedKey, let pem, (try? JournalKey.publicKey(pem: exportedKey))?.derRepresentation != (try? JournalKey.publicKey(pem: pem))?.derRepresentation {
            problems.append(JournalProblem(seq: nil, kind: .key, detail: "the store's journal key is not the one in \(keyPath): the journal was started again with a new key"))
        }
        var count = 0
        for (number, line) in text.split(separator: "\n").enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = (object["seq"] as? NSNumber)?.int64Value, let hash = object["hash"] as? String else {
                throw TillError.invalid("\(entriesPath):\(number + 1): not a journal entry line")
            }
            count += 1
            let now = try store.read { db in try String.fetchOne(db, sql: "SELECT hash FROM journal_entry WHERE seq = ?", arguments: [seq]) }
            if now == nil {
                problems.append(JournalProblem(seq: seq, kind: .deleted, detail: "entry \(seq) of the export in \(folder) is no longer in the journal"))
            } else if now != hash {
                problems.append(JournalProblem(seq: seq, kind: .rewritten, detail:
                    "entry \(seq) is not the entry exported to \(folder) (hash \(hash.prefix(16)) then, \(now?.prefix(16) ?? "") now): the journal was rewritten since"))
            }
            if problems.count >= 20 { break }
        }
        return (count, problems)
    }

    /// Only the cryptography of every entry (its hash and signature, on every core), nothing read from the fact
    /// tables: the floor `till bench` measures a whole verify against.
    public func checkSignaturesOnly() throws -> (entries: Int, valid: Int) {
        try store.read { db in
            guard let pem = try Journal.publicKeyPEM(db) else { return (0, 0) }
            let key = try JournalKey.publicKey(pem: pem)
            var entries = 0, valid = 0, batch: [JournalEntry] = []
            func flush() {
                let checked = Self.signaturesValid(batch, key: key)
                for (index, entry) in batch.enumerated() where checked[index] && JournalBytes.hash(entry.bytes) == entry.hash { valid += 1 }
                entries += batch.count
                batch.removeAll(keepingCapacity: true)
            }
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Journal.columns) FROM journal_entry ORDER BY seq")
            while let row = try cursor.next() {
                batch.append(Journal.entry(row))
                if batch.count == 2048 { flush() }
            }
            flush()
            return (entries, valid)
        }
    }

    private func checkKeyFile(recorded: P256.Signing.PublicKey, into result: inout JournalVerification) {
        let path = JournalKey.path(forStore: store.path)
        guard FileManager.default.fileExists(atPath: path) else {
            result.problems.append(JournalProblem(seq: nil, kind: .key, detail: "the key file \(path) is missing"))
            return
        }
        do {
            let file = try JournalKey.load(path: path)
            if file.publicKey.derRepresentation != recorded.derRepresentation {
                result.problems.append(JournalProblem(seq: nil, kind: .key, detail:
                    "the key file \(path) (\(JournalKey.fingerprint(file.publicKey))) is not the key this journal was started with (\(JournalKey.fingerprint(recorded)))"))
            }
        } catch {
            result.problems.append(JournalProblem(seq: nil, kind: .key, detail: "\(error)"))
        }
    }

    private struct Link {
        var seq: Int64
        var hash: String
        var sales: Int64
        var refunds: Int64
    }

    private func checkEntries(_ db: Database, key: P256.Signing.PublicKey, from start: Int64, maxProblems: Int,
                              into result: inout JournalVerification) throws {
        var previous = Link(seq: 0, hash: JournalBytes.genesisPrev, sales: 0, refunds: 0)
        if start > 1 {
            guard let before = try Row.fetchOne(db, sql: "SELECT seq, hash, gt_sales, gt_refunds FROM journal_entry WHERE seq < ? AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1",
                                                arguments: [start]) else { return }
            previous = Link(seq: before["seq"], hash: before["hash"], sales: before["gt_sales"], refunds: before["gt_refunds"])
        }
        result.firstSeq = previous.seq + 1
        let recordedKeyDER = key.derRepresentation.base64EncodedString()
        let cursor = try Row.fetchCursor(db, sql: "SELECT \(Journal.columns) FROM journal_entry WHERE seq >= ? ORDER BY seq", arguments: [start])
        var batch: [JournalEntry] = []
        func flush() throws {
            guard !batch.isEmpty else { return }
            // Signatures first, on every core: the rest of the checks walk the batch in order on this thread.
            let valid = Self.signaturesValid(batch, key: key)
            for (index, entry) in batch.enumerated() {
                try check(db, entry, signatureValid: valid[index], recordedKeyDER: recordedKeyDER, previous: &previous, into: &result)
                if result.problems.count >= maxProblems { return }
            }
            batch.removeAll(keepingCapacity: true)
        }
        while let row = try cursor.next() {
            batch.append(Journal.entry(row))
            if batch.count == 2048 {
                try flush()
                if result.problems.count >= maxProblems { return }
            }
        }
        try flush()
    }

    private static func signaturesValid(_ batch: [JournalEntry], key: P256.Signing.PublicKey) -> [Bool] {
        let valid = UnsafeMutableBufferPointer<Bool>.allocate(capacity: batch.count)
        defer { valid.deallocate() }
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = (batch.count + cores - 1) / cores
        nonisolated(unsafe) let out = valid
        nonisolated(unsafe) let key = key
        DispatchQueue.concurrentPerform(iterations: cores) { part in
            let low = part * chunk, high = min(batch.count, low + chunk)
            guard low < high else { return }
            for index in low..<high {
                let entry = batch[index]
                out[index] = !entry.hash.isEmpty && (Data(base64Encoded: entry.signature).map {
                    JournalKey.isValid(signature: $0, of: entry.bytes, by: key)
                } ?? false)
            }
        }
        return Array(valid)
    }

    private func check(_ db: Database, _ entry: JournalEntry, signatureValid: Bool, recordedKeyDER: String,
                       previous: inout Link, into result: inout JournalVerification) throws {
        result.entries += 1
        result.lastSeq = entry.seq
        func problem(_ kind: JournalProblem.Kind, _ detail: String) {
            result.problems.append(JournalProblem(seq: entry.seq, kind: kind, detail: detail))
        }
        if entry.seq != previous.seq + 1 {
            let gap = entry.seq - previous.seq - 1
            result.problems.append(JournalProblem(seq: previous.seq + 1, kind: .deleted, detail: gap == 1
                ? "entry \(previous.seq + 1) is missing: entry \(entry.seq) follows entry \(previous.seq)"
                : "entries \(previous.seq + 1)–\(entry.seq - 1) are missing: entry \(entry.seq) follows entry \(previous.seq)"))
        }
        guard !entry.hash.isEmpty else {
            problem(.unsigned, "\(entry.kind) \(entry.ref) was queued but never signed by Till: the fact was written outside Till")
            previous.seq = entry.seq
            return
        }
        defer {
            previous = Link(seq: entry.seq, hash: entry.hash, sales: entry.grandSales, refunds: entry.grandRefunds)
            result.lastHash = entry.hash
            result.grandSales = entry.grandSales
            result.grandRefunds = entry.grandRefunds
        }
        if entry.prevHash != previous.hash {
            if let other = try Int64.fetchOne(db, sql: "SELECT seq FROM journal_entry WHERE hash = ? AND seq <> ?", arguments: [entry.prevHash, previous.seq]) {
                problem(.reordered, "\(entry.subject) was signed after entry \(other), not after entry \(previous.seq): entries were moved or swapped")
            } else {
                problem(.edited, "its link to the entry before does not match entry \(previous.seq)'s hash")
            }
            return
        }
        if JournalBytes.hash(entry.bytes) != entry.hash {
            problem(.edited, "\(entry.subject): the entry was changed after it was signed (its hash no longer matches its contents)")
            return
        }
        guard signatureValid else {
            problem(.signatureInvalid, "\(entry.subject): the signature does not verify with the journal's key \(result.fingerprint)")
            return
        }
        let contribution = Self.contribution(entry)
        if entry.grandSales != previous.sales + contribution.sales || entry.grandRefunds != previous.refunds + contribution.refunds
            || entry.grandNet != entry.grandSales - entry.grandRefunds {
            problem(.totals, "\(entry.subject): grand totals \(entry.grandSales)/\(entry.grandRefunds) do not follow from entry \(previous.seq)'s")
            return
        }
        try checkFact(db, entry, recordedKeyDER: recordedKeyDER, problem: problem)
    }

    /// Whether a sale still reads as its journal entry says (and the entry as its hash says): what the Orders
    /// pane and `till orders show` warn of, without verifying the whole journal. Nil when it does.
    public static func saleProblem(_ db: Database, orderID: Int64) throws -> String? {
        guard let number = try Int64.fetchOne(db, sql: "SELECT number FROM orders WHERE id = ?", arguments: [orderID]) else { return nil }
        guard let entry = try Journal.entry(db, kind: "sale", ref: orderID) else {
            return "sale #\(number) has no signed journal entry: it was written outside Till"
        }
        guard JournalBytes.hash(entry.bytes) == entry.hash else {
            return "journal entry \(entry.seq) of this sale was changed after it was signed"
        }
        guard let fact = try JournalFacts.sale(db, orderID: orderID) else { return nil }
        let now = JournalBytes.body(fact.lines)
        guard now != entry.body else { return nil }
        let currency = (try? StoreSettings.load(db).currency) ?? .EUR
        return "changed since journal entry \(entry.seq) signed it — "
            + JournalChange.describe(kind: "sale", body: entry.body, now: now, currency: currency)
    }

    private func checkFact(_ db: Database, _ entry: JournalEntry, recordedKeyDER: String,
                           problem: (JournalProblem.Kind, String) -> Void) throws {
        if entry.kind == "journal_start" {
            if entry.field("public_key") != recordedKeyDER {
                problem(.edited, "the journal's public key in the store is not the one its first entry was signed with")
            }
            return
        }
        guard let table = JournalFacts.table[entry.kind] else {
            problem(.inserted, "an entry of unknown kind \(entry.kind)")
            return
        }
        guard let fact = try JournalFacts.fact(db, kind: entry.kind, ref: entry.ref) else {
            problem(.deleted, "\(entry.subject) (\(table) row \(entry.ref)) is no longer in the store")
            return
        }
        let now = JournalBytes.body(fact.lines)
        guard now != entry.body else { return }
        let currency = (try? StoreSettings.load(db).currency) ?? .EUR
        problem(.edited, "\(entry.subject) was changed after it was journaled: "
                + JournalChange.describe(kind: entry.kind, body: entry.body, now: now, currency: currency))
    }


    /// What an entry adds to the grand totals: a sale its total, a refund, void or return its amount.
    static func contribution(_ entry: JournalEntry) -> (sales: Int64, refunds: Int64) {
        switch entry.kind {
        case "sale": return (Int64(entry.field("total") ?? "") ?? 0, 0)
        case "refund", "void", "return": return (0, Int64(entry.field("amount") ?? "") ?? 0)
        default: return (0, 0)
        }
    }

    /// Facts with no entry (added outside Till), and facts with two.
    private func checkFactsHaveEntries(_ db: Database, into result: inout JournalVerification, max: Int) throws {
        let facts: [(kinds: String, label: String, sql: String)] = [
            ("'sale'", "sale #", "SELECT id AS ref, number AS label, completed_at AS at FROM orders WHERE number IS NOT NULL"),
            ("'refund','void','return'", "refund ", "SELECT id AS ref, id AS label, COALESCE(completed_at, created_at) AS at FROM refund WHERE status = 'completed'"),
            ("'pay_in','pay_out','no_sale'", "cash movement ", "SELECT id AS ref, id AS label, created_at AS at FROM cash_movement"),
            ("'shift_close'", "shift close ", "SELECT id AS ref, id AS label, closed_at AS at FROM shift WHERE closed_at IS NOT NULL"),
            ("'z_report'", "Z report ", "SELECT number AS ref, number AS label, closed_at AS at FROM z_report"),
        ]
        for fact in facts {
            let missing = try Row.fetchAll(db, sql: """
                SELECT f.ref, f.label, f.at FROM (\(fact.sql)) f
                WHERE NOT EXISTS (SELECT 1 FROM journal_entry j WHERE j.kind IN (\(fact.kinds)) AND j.ref = f.ref)
                ORDER BY f.at LIMIT ?
                """, arguments: [max])
            for row in missing {
                let at = JournalFacts.iso(row["at"] as String?)
                let after = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM journal_entry WHERE at <= ? AND hash IS NOT NULL", arguments: [at]) ?? 0
                result.problems.append(JournalProblem(seq: after + 1, kind: .inserted, detail:
                    "\(fact.label)\(JournalFacts.text(row["label"] as DatabaseValue)) (\(at)) has no journal entry: it was added outside Till (it would come after entry \(after))"))
            }
            let twice = try Row.fetchAll(db, sql: """
                SELECT ref, MIN(seq) AS first, MAX(seq) AS second FROM journal_entry WHERE kind IN (\(fact.kinds))
                GROUP BY ref HAVING COUNT(*) > 1 LIMIT ?
                """, arguments: [max])
            for row in twice {
                let second: Int64 = row["second"], first: Int64 = row["first"]
                result.problems.append(JournalProblem(seq: second, kind: .inserted, detail: "a second entry for the fact of entry \(first)"))
            }
        }
    }
}
