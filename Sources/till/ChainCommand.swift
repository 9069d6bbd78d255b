import ArgumentParser
import Foundation
import TillCore
import TillHQ

/// `till chain`: this store's membership of a chain.
struct ChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain", abstract: "Make this store part of a chain, and see its link to head office.",
        subcommands: [Join.self, Status.self])

    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Join a chain as CODE with the URL `till hq store add` printed; history is queued for HQ, then `till sync` sends it.",
            discussion: """
                The URL (with the store's password) goes into the store file's .hq.toml beside it, owner-only (0600), \
                never into the store file. From now on HQ owns the catalog, tax classes and staff: they arrive with `till sync`.
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("The store's own URL from `till hq store add`.", valueName: "url")) var hq: String
        @Option(name: .customLong("store"), help: ArgumentHelp("The store's code at HQ, e.g. S012.", valueName: "code")) var code: String
        @Flag(help: "Join without checking that HQ answers (offline set-up).") var offline = false

        func run() throws {
            let url = try PostgresURL(hq)
            let database = try StoreDatabase.open(path: store.path)
            let code = try ChainStore.validate(code: self.code)
            if let existing = try ChainStore.membership(database), existing.code != code {
                throw TillError.invalid("this store is already \(existing.code) in a chain")
            }
            var name: String?
            if !offline {
                // Before anything is changed: the credentials must work, be this code's, and be free.
                let connection = try HQConnection.connect(url)
                defer { connection.close() }
                name = try SyncAgent.checkIdentity(connection, url: url, store: database, code: code, joining: true)
            }
            try ChainConfig.write(url, forStore: database.path)
            let ctx = try store.context(in: database)
            try ChainStore.join(database, code: code, ctx)
            // The store goes by the name head office gave it (receipts, the app's header).
            if let name, !name.isEmpty { try StoreSettingsEditor(store: database).set("name", to: name, ctx) }
            let waiting = try ChainOutbox.count(database)
            print("joined the chain as \(code)\(name.map { " (\($0))" } ?? ""); \(waiting) events queued for HQ (the store's history, and the join); HQ's URL is in \(ChainConfig.path(forStore: database.path)) (0600)")
            print("next: `till sync --db \(database.path)` (once) or `till sync --watch --db \(database.path)` (as a service)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "This store's link to HQ: last sync, events to send, chain version.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "As JSON.") var json = false
        func run() throws {
            let database = try StoreDatabase.open(path: store.path)
            guard let state = try ChainStore.syncState(database) else {
                print("this store is not in a chain (`till chain join --hq URL --store CODE`)")
                return
            }
            let m = state.membership
            if json {
                struct StatusJSON: Encodable {
                    var store: String; var summary: String; var toSend: Int64; var acknowledged: Int64
                    var referenceVersion: Int64; var lastSyncAt: Date?; var lastError: String?; var updateNeeded: String?; var heldAtHQ: Int64
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                return print(String(decoding: try encoder.encode(StatusJSON(store: m.code, summary: state.summary(now: Date()), toSend: state.toSend,
                                                acknowledged: m.acknowledgedSeq, referenceVersion: m.referenceVersion,
                                                lastSyncAt: m.lastSyncAt, lastError: m.lastError, updateNeeded: m.updateNeeded,
                                                heldAtHQ: m.heldAtHQ)), as: UTF8.self))
            }
            print("\(m.code): \(state.summary(now: Date()))")
            print("  acknowledged by HQ up to event #\(m.acknowledgedSeq); \(state.toSend) to send")
            print("  chain version \(m.referenceVersion)")
            if let error = m.lastError { print("  last attempt failed: \(error)") }
            if let update = m.updateNeeded { print("  update needed: \(update)") }
            if m.heldAtHQ > 0 { print("  \(m.heldAtHQ) events held at HQ until HQ is upgraded") }
        }
    }
}

/// `till sync`: one round with HQ, or (`--watch`) the store's sync agent as a service.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Send this store's events to HQ and take HQ's catalog changes; --watch keeps doing it.",
        discussion: """
            Run one agent per store file (a systemd unit is in the README). Killed at any moment it loses nothing: \
            events are marked sent only when HQ has acknowledged them, and HQ keeps each exactly once.
            """)
    @OptionGroup var store: StoreOptions
    @Flag(help: "Keep running: a round every --interval seconds, retrying while HQ is unreachable.") var watch = false
    @Option(help: "Seconds between rounds with --watch.") var interval: Double = 30
    @Option(help: "Events per batch (at most 1000).") var batch = SyncAgent.defaultBatchSize

    func run() throws {
        let database = try StoreDatabase.open(path: store.path)
        let agent = SyncAgent(store: database, url: try ChainConfig.read(forStore: database.path), batchSize: batch)
        if watch {
            SyncSignals.install()
            FileHandle.standardError.write(Data("till: syncing \(database.path) with HQ at \(agent.url) every \(Int(interval)) s\n".utf8))
            agent.watch(interval: max(1, interval), log: { line in
                FileHandle.standardError.write(Data("till: \(line)\n".utf8))
            }, stop: { SyncSignals.stopRequested })
            return
        }
        let report: SyncReport
        do {
            report = try agent.runRound()
        } catch let error as HQError where error.isTransport {
            let waiting = try ChainStore.syncState(database)?.toSend ?? 0
            throw HQError.unreachable("\(error.description); the store keeps selling, and its \(waiting) events stay queued for the next sync")
        }
        var line = report.uploaded == 0 ? "nothing new to send" : "sent \(report.uploaded) events in \(report.batches) batch\(report.batches == 1 ? "" : "es")"
        line += "; HQ has everything up to #\(report.acknowledged); \(report.toSend) to send"
        line += "; chain version \(report.referenceVersion)\(report.versionsApplied > 0 ? " (\(report.versionsApplied) applied)" : "")"
        if report.heldAtHQ > 0 { line += "; \(report.heldAtHQ) held at HQ until it is upgraded" }
        print(line)
        if let update = report.updateNeeded { print("update needed: \(update)") }
    }
}

/// SIGTERM and SIGINT end `till sync --watch` between rounds (systemd stops it with SIGTERM).
enum SyncSignals {
    nonisolated(unsafe) static var stopRequested = false
    static func install() {
        signal(SIGTERM) { _ in SyncSignals.stopRequested = true }
        signal(SIGINT) { _ in SyncSignals.stopRequested = true }
    }
}
