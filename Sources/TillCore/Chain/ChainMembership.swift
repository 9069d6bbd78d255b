import Foundation
import GRDB

/// This store's place in a chain: its code at head office, how far HQ has acknowledged its events, and which
/// version of HQ's reference data (catalog, prices, tax, staff) it holds. One row, or none for a shop on its own.
/// The HQ address and its credentials are not here: they live in the 0600 `*.hq.toml` beside the store file.
public struct ChainMembership: Equatable, Sendable {
    public var code: String
    public var joinedAt: Date
    /// The highest sequence HQ said it applied, gap-free: every event up to here is at HQ exactly once.
    public var acknowledgedSeq: Int64
    public var referenceVersion: Int64
    public var lastSyncAt: Date?
    public var lastAttemptAt: Date?
    public var lastError: String?
    /// Set when HQ sends reference data this Till is too old to apply: the store keeps selling on what it has.
    public var updateNeeded: String?
    /// Events HQ stored raw but could not apply yet (sent by a Till newer than HQ).
    public var heldAtHQ: Int64

    /// An order number as the chain shows it: `S012-1001`.
    public func chainNumber(_ number: Int64) -> String { "\(code)-\(number)" }

    init(row: Row) {
        code = row["code"]
        joinedAt = row["joined_at"]
        acknowledgedSeq = row["acknowledged_seq"]
        referenceVersion = row["reference_version"]
        lastSyncAt = row["last_sync_at"]
        lastAttemptAt = row["last_attempt_at"]
        lastError = row["last_error"]
        updateNeeded = row["update_needed"]
        heldAtHQ = row["held_at_hq"]
    }
}

/// What the status bar and `till chain status` say about the link to HQ.
public struct ChainSyncState: Equatable, Sendable {
    public var membership: ChainMembership
    /// Events not yet acknowledged by HQ.
    public var toSend: Int64

    /// "HQ ✓ 2 min ago", "offline 3 h, 412 to send", with "update needed" when HQ sent what this Till cannot apply.
    public func summary(now: Date) -> String {
        var text: String
        let failing = membership.lastError != nil
        if let synced = membership.lastSyncAt, !failing, now.timeIntervalSince(synced) <= ChainSyncState.fresh {
            text = "HQ ✓ \(ChainSyncState.ago(now.timeIntervalSince(synced)))"
            if toSend > 0 { text += ", \(toSend) to send" }
        } else if let synced = membership.lastSyncAt, !failing {
            // No agent has tried since: HQ may be up or down, and the bar must not claim it is reached.
            text = "HQ: last sync \(ChainSyncState.ago(now.timeIntervalSince(synced))), \(toSend) to send"
        } else if membership.lastAttemptAt == nil && membership.lastSyncAt == nil {
            text = "HQ: not synced yet, \(toSend) to send"
        } else {
            let since = membership.lastSyncAt ?? membership.joinedAt
            text = "offline \(ChainSyncState.span(now.timeIntervalSince(since))), \(toSend) to send"
        }
        if membership.updateNeeded != nil { text += " · update needed" }
        return text
    }

    /// How long a successful sync counts as the link being up: the agent's rounds come every 30 s by default.
    static let fresh: TimeInterval = 5 * 60

    static func ago(_ seconds: TimeInterval) -> String {
        seconds < 60 ? "just now" : "\(span(seconds)) ago"
    }

    static func span(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86_400 * 2 { return "\(s / 3600) h" }
        return "\(s / 86_400) d"
    }
}

/// Joining a chain, and the state the sync agent keeps.
public enum ChainStore {
    /// A store's code at HQ: a letter, then letters or digits (`S012`, `BERLIN2`).
    public static func validate(code: String) throws -> String {
        let upper = code.uppercased()
        let allowed = upper.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        guard (2...16).contains(upper.count), allowed, let first = upper.unicodeScalars.first, ("A"..."Z").contains(first) else {
            throw TillError.invalid("store code \"\(code)\" must be 2-16 letters or digits, starting with a letter (such as S012)")
        }
        return upper
    }

    public static func membership(_ store: StoreDatabase) throws -> ChainMembership? {
        try store.read { db in try membership(db) }
    }

    static func membership(_ db: Database) throws -> ChainMembership? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM chain_store WHERE id = 1")).map(ChainMembership.init(row:))
    }

    public static func syncState(_ store: StoreDatabase) throws -> ChainSyncState? {
        try store.read { db in
            guard let membership = try membership(db) else { return nil }
            return ChainSyncState(membership: membership, toSend: try ChainOutbox.unacknowledgedCount(db, after: membership.acknowledgedSeq))
        }
    }

    /// Makes this store a chain store with `code`: from now on every fact it records is queued for HQ in the
    /// same transaction, and its existing history is queued too, oldest first. Returns the events queued.
    @discardableResult
    public static func join(_ store: StoreDatabase, code: String, _ ctx: TillContext) throws -> Int64 {
        let code = try validate(code: code)
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            if let existing = try membership(db) {
                guard existing.code == code else {
                    throw TillError.invalid("this store already belongs to a chain as \(existing.code); it cannot join again as \(code)")
                }
                return 0
            }
            try db.execute(sql: "INSERT INTO chain_store(id, code, joined_at) VALUES (1, ?, ?)", arguments: [code, ctx.now])
            let queued = try ChainOutbox.queueHistory(db)
            try AuditLog.record(db, action: "chain.join", entity: "store", entityID: nil, before: nil,
                                after: ["code": code, "history_events": String(queued)], staffID: ctx.staffID, at: ctx.now)
            return queued
        }
    }

    /// Refuses a change to data HQ owns. Called by every catalog, tax and staff write path.
    static func refuseLocalEdit(_ db: Database, of what: String) throws {
        guard let membership = try membership(db) else { return }
        let how: String
        switch what {
        case "staff": how = "`till hq staff set`"
        case "tax classes and rates": how = "`till hq tax set`"
        default: how = "`till hq catalog …` or `till hq import products`"
        }
        throw TillError.invalid("this store is \(membership.code) in a chain: head office owns \(what); change it there (\(how)), and it reaches this store at the next sync")
    }

    /// Records a sync round's outcome: `error` nil means it reached HQ.
    public static func recordAttempt(_ store: StoreDatabase, at date: Date, error: String?) throws {
        try store.write { db in
            if let error {
                try db.execute(sql: "UPDATE chain_store SET last_attempt_at = ?, last_error = ? WHERE id = 1", arguments: [date, error])
            } else {
                try db.execute(sql: "UPDATE chain_store SET last_attempt_at = ?, last_sync_at = ?, last_error = NULL WHERE id = 1",
                               arguments: [date, date])
            }
        }
    }

    /// HQ applied (or stored) every event up to `seq`. Never moves backwards: a late answer to an old batch
    /// cannot un-acknowledge what a newer one confirmed.
    public static func acknowledge(_ store: StoreDatabase, upTo seq: Int64, heldAtHQ: Int64) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE chain_store SET acknowledged_seq = MAX(acknowledged_seq, ?), held_at_hq = ? WHERE id = 1",
                           arguments: [seq, heldAtHQ])
        }
    }

    static func setUpdateNeeded(_ db: Database, _ message: String?) throws {
        try db.execute(sql: "UPDATE chain_store SET update_needed = ? WHERE id = 1", arguments: [message])
    }
}

extension ChainStore {
    /// HQ lacks events this store took as acknowledged (HQ's database restored from a backup): the cursor goes
    /// back to where HQ stands, and the next batches resend from there. HQ's keys drop any it does have.
    public static func rewind(_ store: StoreDatabase, to seq: Int64, heldAtHQ: Int64) throws {
        try store.write { db in
            try db.execute(sql: "UPDATE chain_store SET acknowledged_seq = ?, held_at_hq = ? WHERE id = 1",
                           arguments: [max(0, seq), heldAtHQ])
        }
    }
}

/// The Till release, sent to HQ with each batch so head office can see which stores need an update.
public enum TillVersion {
    public static let current = "0.16.0"
}
