import ArgumentParser
import Foundation
import TillCore

/// `till journal`: the tamper-evident sales journal — verify it, export it for an auditor, show its key and a
/// receipt's signed code.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "The signed sales journal: verify, export for an auditor, public key, receipt codes.",
        subcommands: [Verify.self, Key.self, Show.self, Code.self, Export.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the journal: hashes, signatures, grand totals, and every fact against its entry.",
            discussion: "Names the first broken entry and what is wrong: edited, deleted, inserted, reordered, signature invalid.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Start at entry N (the entries before are trusted).") var from: Int64 = 1
        @Option(help: ArgumentHelp("Also check the journal against an export taken earlier and kept away from the store: finds a journal forged whole with the key file.", valueName: "dir"))
        var against: String?

        func run() throws {
            let database = try store.open()
            var result = try JournalVerifier(store: database).verify(from: from)
            if let against {
                let compared = try JournalVerifier(store: database).compare(withExport: against)
                result.problems += compared.problems
                if compared.problems.isEmpty { print("the \(compared.entries) entries exported to \(against) are all still in the journal, unchanged") }
            }
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
            let seconds = String(format: "%.2f", result.seconds)
            guard result.passed else {
                for problem in result.problems { print("FAIL \(problem)") }
                throw TillError.storage("the journal of \(database.path) does not verify: \(result.problems[0])")
            }
            print("journal ok: \(result.entries) entries (\(result.firstSeq)–\(result.lastSeq)) verified in \(seconds) s with key \(result.fingerprint)")
            print("last hash: \(result.lastHash)")
            print("grand totals: sales \(money(result.grandSales)), refunds \(money(result.grandRefunds)), net \(money(result.grandSales - result.grandRefunds))")
        }
    }

    struct Key: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The store's public key (PEM), to check signatures with openssl or register at head office.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print only the key's fingerprint.") var fingerprint = false

        func run() throws {
            let database = try store.open()
            guard let pem = try database.read({ db in try Journal.publicKeyPEM(db) }) else {
                throw TillError.storage("\(database.path) has no journal key")
            }
            if fingerprint { return print(JournalKey.fingerprint(try JournalKey.publicKey(pem: pem))) }
            print(pem, terminator: "")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List journal entries: number, kind, what, when, hash.")
        @OptionGroup var store: StoreOptions
        @Option(help: "From entry N.") var from: Int64 = 1
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print each entry's exact signed bytes.") var bytes = false

        func run() throws {
            let database = try store.open()
            let entries = try database.read { db in try Journal.entries(db, from: from, limit: limit) }
            guard !entries.isEmpty else { return print("no journal entries from \(from)") }
            if bytes {
                for entry in entries {
                    print(String(decoding: entry.bytes, as: UTF8.self), terminator: "")
                    print("hash=\(entry.hash)\nsignature=\(entry.signature)\n")
                }
                return
            }
            let rows = entries.map { entry in
                [String(entry.seq), entry.kind, entry.subject, entry.at, entry.hash.isEmpty ? "(not signed)" : String(entry.hash.prefix(16))]
            }
            TextTable(header: ["#", "kind", "what", "at (UTC)", "hash"], rows: rows, numeric: [0]).lines.forEach { print($0) }
        }
    }

    struct Code: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A sale's receipt code: the QR code printed on its receipt, and what it holds.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order number.") var number: Int64
        @Flag(help: "Print only the code's text (the QR payload).") var payload = false

        func run() throws {
            let database = try store.open()
            guard let code = try ReceiptCode.forSale(database, number: number) else {
                throw TillError.notFound("a journal entry for order #\(number)")
            }
            if payload { return print(code.payload) }
            ReceiptCodeText.lines(code).forEach { print($0) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the journal of some days for an auditor: entries (JSON lines), public key, Z reports, README.")
        @OptionGroup var store: StoreOptions
        @Option(help: "First day, YYYY-MM-DD (the store's time zone).") var from: String
        @Option(help: "Last day, YYYY-MM-DD (inclusive).") var to: String
        @Option(help: "A new or empty folder.") var out: String

        func run() throws {
            let database = try store.open()
            let summary = try JournalExport.export(database, from: from, to: to, out: out, try store.context(in: database))
            let span = summary.firstSeq.map { " (entries \($0)–\(summary.lastSeq ?? $0))" } ?? ""
            print("exported \(summary.entries) journal entries\(span) and \(summary.zReports) Z reports to \(summary.folder)")
            print("check it with: python3 \(summary.folder)/verify.py \(summary.folder)")
        }
    }
}
