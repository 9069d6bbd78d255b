import Foundation
import TillCore

/// A store as HQ sees it: how far its events have come, how current its reference data is, and what waits
/// for a person.
public struct HQStoreStatus: Sendable, Equatable {
    public var code: String
    public var name: String
    public var lastSeq: Int64
    public var lastContactAt: String?
    /// The till clock time of the newest event received.
    public var lastEventAt: String?
    /// Seconds since the store's agent last reached HQ, by HQ's clock: how long it may have been offline.
    public var contactSecondsAgo: Int64?
    public var tillVersion: String?
    public var referenceVersion: Int64
    public var chainVersion: Int64
    public var openExceptions: Int64
    public var heldEvents: Int64
}

/// Registering stores at HQ. Each store gets its own PostgreSQL role, a member of `<database>_stores`, which
/// may only call the ingest and download functions — and the ingest function writes only that role's store.
public enum HQStores {
    /// Registers `code` and returns the store's own connection URL (its role and a new random password) for
    /// `till chain join`. Shown once: HQ keeps only PostgreSQL's SCRAM verifier of the password.
    public static func add(_ hq: HQConnection, code: String, name: String) throws -> PostgresURL {
        let code = try ChainStore.validate(code: code)
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw HQError.invalid("store \(code) needs a name") }
        try CardNumberGuard.check(name, field: "the store name")
        let database = hq.url.database
        let role = "\(database)_store_\(code.lowercased())"
        guard role.utf8.count <= 63 else {
            throw HQError.invalid("the role name \(role) is longer than PostgreSQL allows (63 bytes): use a shorter store code or database name")
        }
        if try !hq.query("SELECT 1 FROM hq.store WHERE code = $1", [code]).isEmpty {
            throw HQError.invalid("store \(code) is already registered at this HQ (see `till hq store list`)")
        }
        // Roles belong to the PostgreSQL cluster, not to a database: one left by a dropped HQ of the same name
        // would be taken over here with a new password, so it is refused by name instead.
        if try !hq.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]).isEmpty {
            throw HQError.invalid("PostgreSQL already has a role \(role) (left by an earlier HQ database named \(database)?): drop it first (DROP ROLE \(role);) or give this HQ another database name")
        }
        let password = randomPassword()
        try hq.simple("""
            BEGIN;
            CREATE ROLE \(quoteIdentifier(role)) LOGIN PASSWORD '\(password)' IN ROLE \(quoteIdentifier(database + "_stores"));
            INSERT INTO hq.store(code, name, role_name) VALUES (\(quoteLiteral(code)), \(quoteLiteral(name)), \(quoteLiteral(role)));
            COMMIT;
            """)
        return hq.url.with(user: role, password: password)
    }

    public static func list(_ hq: HQConnection) throws -> [HQStoreStatus] {
        try hq.query("""
            SELECT s.code, s.name, s.last_seq::text AS last_seq,
                   to_char(s.last_contact_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_contact_at,
                   to_char(s.last_recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_recorded_at,
                   extract(epoch FROM now() - s.last_contact_at)::bigint::text AS contact_ago, s.till_version,
                   s.reference_version::text, COALESCE((SELECT max(version) FROM hq.chain_version), 0)::text AS chain_version,
                   (SELECT count(*) FROM hq.exception x WHERE x.store = s.code AND x.resolved_at IS NULL)::text AS exceptions,
                   (SELECT count(*) FROM hq.event e WHERE e.store = s.code AND e.status = 'held')::text AS held
            FROM hq.store s ORDER BY s.code
            """).map { row in
            HQStoreStatus(code: row["code"] ?? "", name: row["name"] ?? "", lastSeq: Int64(row["last_seq"] ?? "") ?? 0,
                          lastContactAt: row["last_contact_at"], lastEventAt: row["last_recorded_at"],
                          contactSecondsAgo: row["contact_ago"].flatMap { Int64($0) }, tillVersion: row["till_version"],
                          referenceVersion: Int64(row["reference_version"] ?? "") ?? 0,
                          chainVersion: Int64(row["chain_version"] ?? "") ?? 0,
                          openExceptions: Int64(row["exceptions"] ?? "") ?? 0, heldEvents: Int64(row["held"] ?? "") ?? 0)
        }
    }

    static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<28).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    static func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    static func quoteLiteral(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}

extension HQStores {
    /// Whether the chain takes returns at any store (`ChainReturns`), as HQ has it.
    public static func returnsAnywhere(_ hq: HQConnection) throws -> Bool {
        try hq.query("SELECT returns_anywhere::text AS r FROM hq.settings WHERE id = 1").first?["r"] == "true"
    }

    /// Lets customers return anywhere in the chain, or only at the store that sold; every store takes it at its
    /// next sync. Returns the chain version.
    @discardableResult
    public static func setReturnsAnywhere(_ hq: HQConnection, _ anywhere: Bool) throws -> Int64 {
        try hq.query("UPDATE hq.settings SET returns_anywhere = $1::boolean WHERE id = 1", [anywhere ? "true" : "false"])
        var data = ReferenceData()
        data.active = anywhere
        return try HQCatalog.publish(hq, [ReferenceChange(kind: "setting", key: "returns", data: data)],
                                     note: anywhere ? "returns anywhere" : "returns at the selling store", minStoreSchema: 3)
    }
}
