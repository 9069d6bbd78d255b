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
            let database = try store.open()
            let code = try ChainStore.validate(code: self.code)
            if let existing = try ChainStore.membership(database), existing.code != code {
                throw TillError.invalid("this store is already \(existing.code) in a chain")
            }
            if !offline {
                // Before anything is changed: the credentials must work and be this code's.
                let connection = try HQConnection.connect(url)
                defer { connection.close() }
                let probe = SyncAgent(store: database, url: url)
                _ = probe
                guard let answer = try connection.query("SELECT hq.whoami()::text AS me").first?["me"] ?? nil,
                      let me = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any],
                      let known = me["store"] as? String else {
                    throw HQError.invalid("head office at \(url.endpoint) does not know \(url.user) as a store")
                }
                guard known == code else {
                    throw HQError.invalid("these credentials are store \(known)'s at head office, not \(code)'s")
                }
                let currency = try database.read { db in try StoreSettings.load(db).currency.code }
                if let chain = me["currency"] as? String, chain != currency {
                    throw HQError.invalid("head office keeps its books in \(chain); this store sells in \(currency)")
                }
            }
            try ChainConfig.write(url, forStore: database.path)
            let queued = try ChainStore.join(database, code: code, try store.context(in: database))
            print("joined the chain as \(code); \(queued) events of this store's history queued for HQ; HQ's URL is in \(ChainConfig.path(forStore: database.path)) (0600)")
            print("next: `till sync` (once) or `till sync --watch` (as a service)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "This store's link to HQ: last sync, events to send, chain version.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "As JSON.") var json = false
        func run() throws {
            let database = try store.open()
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
                return try printJSON(StatusJSON(store: m.code, summary: state.summary(now: Date()), toSend: state.toSend,
                                                acknowledged: m.acknowledgedSeq, referenceVersion: m.referenceVersion,
                                                lastSyncAt: m.lastSyncAt, lastError: m.lastError, updateNeeded: m.updateNeeded,
                                                heldAtHQ: m.heldAtHQ))
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
        let database = try store.open()
        let agent = SyncAgent(store: database, url: try ChainConfig.read(forStore: database.path), batchSize: batch)
        if watch {
            SyncSignals.install()
            FileHandle.standardError.write(Data("till: syncing \(database.path) with HQ at \(agent.url) every \(Int(interval)) s\n".utf8))
            agent.watch(interval: max(1, interval), log: { line in
                FileHandle.standardError.write(Data("till: \(line)\n".utf8))
            }, stop: { SyncSignals.stopRequested })
            return
        }
        let report = try agent.runRound()
        var line = "sent \(report.uploaded) events in \(report.batches) batch\(report.batches == 1 ? "" : "es"); HQ has everything up to #\(report.acknowledged); \(report.toSend) to send"
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
