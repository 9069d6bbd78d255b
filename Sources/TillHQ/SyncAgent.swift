import Foundation
import TillCore

/// What one sync round did.
public struct SyncReport: Sendable, Equatable {
    public var uploaded = 0
    public var batches = 0
    public var acknowledged: Int64 = 0
    public var toSend: Int64 = 0
    public var heldAtHQ: Int64 = 0
    public var referenceVersion: Int64 = 0
    public var versionsApplied = 0
    public var updateNeeded: String?
    /// Gift-card holds a till asked HQ for and never used (it stopped between HQ's yes and its own commit).
    public var holdsReleased = 0
}

/// The one agent per store file that talks to HQ: uploads the outbox in bounded batches, then downloads the
/// chain versions it lacks. Every batch is one statement — one short transaction at HQ — with no session
/// state kept between them, so a pooler (PgBouncer in transaction mode) can sit in front.
///
/// At-least-once on the wire, exactly once at HQ: the store marks events acknowledged only after HQ's answer,
/// and HQ's unique keys drop what it already has. Killed at any point, the next round resends from the last
/// acknowledgement and loses nothing.
public final class SyncAgent: @unchecked Sendable {
    public let store: StoreDatabase
    public let url: PostgresURL
    public let batchSize: Int
    public let now: @Sendable () -> Date

    public static let defaultBatchSize = 200
    static let acknowledgeEvery: UInt64 = 2_000_000_000
    /// Told how long each upload batch took (nanoseconds) and how many events it carried: `till bench --hq`.
    public var onBatch: (@Sendable (UInt64, Int) -> Void)?

    public init(store: StoreDatabase, url: PostgresURL, batchSize: Int = SyncAgent.defaultBatchSize,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.url = url
        self.batchSize = max(1, min(batchSize, 1000))
        self.now = now
    }

    /// The agent for the chain store at `storePath`, from its `.hq.toml`.
    public static func forStore(_ store: StoreDatabase) throws -> SyncAgent {
        SyncAgent(store: store, url: try ChainConfig.read(forStore: store.path))
    }

    /// One round: upload everything queued, then download and apply new reference data. The outcome is
    /// recorded in the store (the status bar's "HQ ✓ …" / "offline …").
    @discardableResult
    public func runRound() throws -> SyncReport {
        guard let membership = try ChainStore.membership(store) else {
            throw TillError.invalid("\(store.path) is not a chain store: join one first with `till chain join --hq URL --store CODE`")
        }
        // HQ's prices of a set time change the shelf at that time, whether HQ answers this round or not.
        try ChainPrices.applyDue(store, now: now())
        do {
            let hq = try HQConnection.connect(url, timeout: .seconds(10), callTimeout: .seconds(60))
            defer { hq.close() }
            try checkIdentity(hq, membership: membership)
            var report = try upload(hq)
            report.holdsReleased = try releaseAbandonedHolds(hq)
            try download(hq, into: &report)
            try ChainPrices.applyDue(store, now: now())  // a schedule that arrived after its time
            // What the download itself recorded (a scheduled price's audit row, say) goes now, not next round; and
            // HQ's store list shows each store's chain version: a send tells it what was just applied.
            let recorded = try ChainStore.syncState(store)?.toSend ?? 0
            if report.versionsApplied > 0 || recorded > 0 {
                let more = try upload(hq)
                report.uploaded += more.uploaded
                if more.uploaded > 0 { report.batches += more.batches }
                report.acknowledged = max(report.acknowledged, more.acknowledged)
                report.heldAtHQ = more.heldAtHQ
            }
            try ChainStore.recordAttempt(store, at: now(), error: nil)
            report.toSend = try ChainStore.syncState(store)?.toSend ?? 0
            return report
        } catch {
            let message = (error as? HQError)?.description ?? String(describing: error)
            try? ChainStore.recordAttempt(store, at: now(), error: message)
            throw error
        }
    }

    /// Gives back at HQ the holds this store's tills asked for and never used: a till killed between HQ's
    /// grant and its own commit would otherwise keep that money reserved on the card for good.
    func releaseAbandonedHolds(_ hq: HQConnection) throws -> Int {
        let holds = try ChainCredit.unsettledHolds(store, now: now())
        for hold in holds {
            _ = try hq.query("SELECT hq.release_credit($1::uuid)", [hold])
            try ChainCredit.markReleased(store, holdID: hold, at: now())
        }
        // Returns from another store whose refund was never written: the goods may still be returned elsewhere.
        let claims = try ChainReturns.unsettledClaims(store, now: now())
        for claim in claims {
            _ = try hq.query("SELECT hq.release_return($1::uuid)", [claim])
            try ChainReturns.markReleased(store, claimID: claim, at: now())
        }
        // Points held for a payment never written.
        let points = try ChainPoints.unsettledHolds(store, now: now())
        for hold in points {
            _ = try hq.query("SELECT hq.release_points($1::uuid)", [hold])
            try ChainPoints.markReleased(store, holdID: hold, at: now())
        }
        return holds.count + claims.count + points.count
    }

    func checkIdentity(_ hq: HQConnection, membership: ChainMembership) throws {
        _ = try SyncAgent.checkIdentity(hq, url: url, store: store, code: membership.code, joining: false)
    }

    /// The credentials must be this store's, and the store must read HQ's prices as HQ means them: a URL pasted
    /// into the wrong store's config is refused before anything is sent (HQ would refuse the batch anyway).
    /// `joining`: also refused when HQ already holds events of this code — another store file uses it.
    /// Returns HQ's name for the store.
    public static func checkIdentity(_ hq: HQConnection, url: PostgresURL, store: StoreDatabase, code: String,
                                     joining: Bool) throws -> String {
        let answer = try hq.query("SELECT hq.whoami()::text AS me").first?["me"] ?? nil
        guard let answer, let me = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any],
              let known = me["store"] as? String else {
            throw HQError.invalid("head office at \(url.endpoint) does not know the role \(url.user) as a store")
        }
        guard known == code else {
            throw HQError.invalid("these credentials are store \(known)'s at head office, but this store is \(code)")
        }
        let settings = try store.read { db in try StoreSettings.load(db) }
        if let chainCurrency = me["currency"] as? String, chainCurrency != settings.currency.code {
            throw HQError.invalid("head office keeps its books in \(chainCurrency); this store sells in \(settings.currency.code)")
        }
        if let inclusive = me["tax_inclusive"] as? Bool, inclusive != settings.taxInclusive {
            throw HQError.invalid("head office's prices \(inclusive ? "include" : "exclude") tax; this store's \(settings.taxInclusive ? "include" : "exclude") it, so the same price would charge differently: make the store with `till init --\(inclusive ? "" : "no-")tax-inclusive`")
        }
        if joining, let held = (me["acknowledged"] as? NSNumber)?.int64Value, held > 0 {
            throw HQError.invalid("head office already holds \(held) events from \(code): another store file is that store. A second till in the same shop opens the same store file; a new shop needs its own code (`till hq store add`)")
        }
        return me["name"] as? String ?? code
    }

    func upload(_ hq: HQConnection) throws -> SyncReport {
        var report = SyncReport()
        guard var cursor = try ChainStore.membership(store)?.acknowledgedSeq else { return report }
        var rewinds = 0
        var first = true
        // HQ's acknowledgements are written to the store at most every `acknowledgeEvery`, and at the end: each
        // write takes the store's one writer lock (and an fsync) from the tills. An acknowledgement not yet
        // written only means those events are sent again, and HQ's keys drop them.
        var unwritten: (seq: Int64, held: Int64)?
        var lastWritten = DispatchTime.now().uptimeNanoseconds
        defer { if let ack = unwritten { try? ChainStore.acknowledge(store, upTo: ack.seq, heldAtHQ: ack.held) } }
        while true {
            let events = try ChainOutbox.events(store, after: cursor, limit: batchSize)
            // An empty batch still goes once: it tells HQ the store is alive, and what HQ has.
            if events.isEmpty && !first { break }
            first = false
            let started = DispatchTime.now().uptimeNanoseconds
            let answer = try send(hq, events)
            onBatch?(DispatchTime.now().uptimeNanoseconds - started, events.count)
            report.batches += 1
            report.heldAtHQ = answer.held
            if let conflict = answer.conflictAt {
                throw HQError.invalid("head office already holds other events under this store's numbers from #\(conflict): this store file was restored from a backup, or another file uses this store's credentials. Nothing from #\(conflict) on is marked sent; it stays queued here. Head office must sort it out first (`till hq exceptions`)")
            }
            if let resend = answer.resendFrom {
                // HQ lacks events before these (its database was restored, say): start again where it stands.
                rewinds += 1
                guard rewinds <= 3 else { throw HQError.invalid("head office keeps asking for events from #\(resend) again") }
                unwritten = nil
                try ChainStore.rewind(store, to: resend - 1, heldAtHQ: answer.held)
                cursor = resend - 1
                continue
            }
            if answer.acknowledged < cursor && events.isEmpty {
                // HQ knows fewer events than this store thinks it sent: resend from HQ's mark.
                rewinds += 1
                guard rewinds <= 3 else { break }
                unwritten = nil
                try ChainStore.rewind(store, to: answer.acknowledged, heldAtHQ: answer.held)
                cursor = answer.acknowledged
                first = true
                continue
            }
            unwritten = (answer.acknowledged, answer.held)
            if DispatchTime.now().uptimeNanoseconds - lastWritten >= SyncAgent.acknowledgeEvery {
                try ChainStore.acknowledge(store, upTo: answer.acknowledged, heldAtHQ: answer.held)
                unwritten = nil
                lastWritten = DispatchTime.now().uptimeNanoseconds
            }
            report.uploaded += events.filter { $0.seq <= answer.acknowledged }.count
            report.acknowledged = answer.acknowledged
            guard let last = events.last?.seq, answer.acknowledged >= last else { break }
            cursor = answer.acknowledged
            if events.count < batchSize { break }
        }
        return report
    }

    struct Answer {
        var acknowledged: Int64
        var resendFrom: Int64?
        var conflictAt: Int64?
        var held: Int64
    }

    func send(_ hq: HQConnection, _ events: [OutboxEvent]) throws -> Answer {
        let batch = try batchJSON(events)
        guard let text = try hq.query("SELECT hq.ingest($1::jsonb)::text AS answer", [batch]).first?["answer"] ?? nil,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let acknowledged = (object["acknowledged"] as? NSNumber)?.int64Value else {
            throw HQError.invalid("head office gave no acknowledgement for the batch")
        }
        return Answer(acknowledged: acknowledged, resendFrom: (object["resend_from"] as? NSNumber)?.int64Value,
                      conflictAt: (object["conflict_at"] as? NSNumber)?.int64Value,
                      held: (object["held"] as? NSNumber)?.int64Value ?? 0)
    }

    /// A batch as HQ's `hq.ingest` reads it; each event's fact goes as the JSON the outbox holds.
    public func batchJSON(_ events: [OutboxEvent]) throws -> String {
        guard let membership = try ChainStore.membership(store) else { return "{}" }
        var parts: [String] = []
        parts.reserveCapacity(events.count)
        for event in events {
            parts.append("""
                {"seq":\(event.seq),"event_id":\(json(event.eventID)),"kind":\(json(event.kind)),"schema_version":\(event.schemaVersion),"recorded_at":\(json(event.recordedAt)),"payload":\(event.payload)}
                """)
        }
        let sentAt = ISO8601DateFormatter().string(from: now())
        return """
            {"store":\(json(membership.code)),"till_version":\(json(TillVersion.current)),"schema_version":\(ChainOutbox.schemaVersion),"reference_version":\(membership.referenceVersion),"sent_at":\(json(sentAt)),"events":[\(parts.joined(separator: ","))]}
            """
    }

    func download(_ hq: HQConnection, into report: inout SyncReport) throws {
        while true {
            guard let membership = try ChainStore.membership(store) else { return }
            report.referenceVersion = membership.referenceVersion
            let text = try hq.query("SELECT hq.changes_since($1::bigint, 20)::text AS versions",
                                    [String(membership.referenceVersion)]).first?["versions"] ?? nil
            guard let text else { return }
            let versions: [ReferenceVersion]
            do {
                versions = try JSONDecoder().decode([ReferenceVersion].self, from: Data(text.utf8))
            } catch {
                throw HQError.invalid("head office sent reference data this Till cannot read: \(error)")
            }
            guard !versions.isEmpty else { return }
            for version in versions {
                switch try ReferenceChanges.apply(store, version) {
                case .applied:
                    report.versionsApplied += 1
                    report.referenceVersion = version.version
                case .updateNeeded(let message):
                    report.updateNeeded = message
                    return
                }
            }
        }
    }

    /// Runs rounds every `interval` until `stop` says so; a failed round is logged and retried, with the
    /// wait growing to at most five minutes while HQ stays unreachable.
    public func watch(interval: TimeInterval, log: (String) -> Void, stop: () -> Bool) {
        var wait = interval
        while !stop() {
            do {
                let report = try runRound()
                if report.uploaded > 0 || report.versionsApplied > 0 || report.updateNeeded != nil {
                    log("sent \(report.uploaded) events, acknowledged up to #\(report.acknowledged), chain version \(report.referenceVersion)\(report.updateNeeded.map { "; \($0)" } ?? "")")
                }
                wait = interval
            } catch {
                log("sync failed: \((error as? HQError)?.description ?? String(describing: error)); retrying in \(Int(wait)) s")
                wait = min(max(wait * 2, interval), 300)
            }
            let until = Date().addingTimeInterval(wait)
            while Date() < until && !stop() { Thread.sleep(forTimeInterval: min(0.2, wait)) }
        }
    }

    private func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
