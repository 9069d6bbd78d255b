import Foundation

/// HQ's versioned migrations, like a store's: each runs once, in its own transaction, under an advisory lock
/// so two `till hq init` at once do not race; `hq.migration` records what ran.
public enum HQSchema {
    static let migrations: [(name: String, sql: String)] = [
        ("hq-v1-foundation", """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_database() || '_stores') THEN
                    EXECUTE format('CREATE ROLE %I NOLOGIN', current_database() || '_stores');
                END IF;
            END
            $$;
            \(HQSchemaFoundation.sql)
            """),
        ("hq-v2-ingest", HQSchemaIngest.sql),
        ("hq-v3-credit", HQSchemaCredit.sql),
        ("hq-v4-transfers", HQSchemaTransfers.sql),
        ("hq-v5-customers", HQSchemaCustomers.sql),
        ("hq-v6-z-check", HQSchemaZCheck.sql),
        ("hq-v7-price-schedule", HQSchemaPrices.sql),
        ("hq-v8-returns", HQSchemaReturns.sql),
        ("hq-v9-points", HQSchemaPoints.sql),
        ("hq-v10-journal", HQSchemaJournal.sql),
    ]

    public static var latestVersion: String { migrations.last?.name ?? "none" }

    /// Creates or migrates HQ's schema; returns the migrations it applied (none when up to date). The
    /// chain's currency is set the first time and checked after.
    @discardableResult
    public static func migrate(_ hq: HQConnection, currency: String, taxInclusive: Bool = true) throws -> [String] {
        try hq.simple("""
            BEGIN;
            SELECT pg_advisory_xact_lock(746769);
            CREATE SCHEMA IF NOT EXISTS hq;
            CREATE TABLE IF NOT EXISTS hq.migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
            COMMIT;
            """)
        var applied: [String] = []
        for migration in migrations {
            let done = try hq.query("SELECT 1 FROM hq.migration WHERE name = $1", [migration.name])
            guard done.isEmpty else { continue }
            try hq.simple("""
                BEGIN;
                SELECT pg_advisory_xact_lock(746769);
                \(migration.sql);
                INSERT INTO hq.migration(name) VALUES ('\(migration.name)') ON CONFLICT DO NOTHING;
                COMMIT;
                """, timeout: .seconds(120))
            applied.append(migration.name)
        }
        try hq.query("""
            INSERT INTO hq.settings(id, currency, tax_inclusive) VALUES (1, $1, $2::boolean) ON CONFLICT (id) DO NOTHING
            """, [currency, taxInclusive ? "true" : "false"])
        let chain = try hq.query("SELECT currency FROM hq.settings WHERE id = 1")
        if let existing = chain.first?["currency"], existing != currency {
            throw HQError.invalid("this HQ keeps its books in \(existing), not \(currency)")
        }
        // Events a newer Till sent before this HQ learned their schema.
        _ = try hq.query("SELECT hq.apply_held()")
        return applied
    }

    public static func appliedMigrations(_ hq: HQConnection) throws -> [String] {
        try hq.query("SELECT name FROM hq.migration ORDER BY applied_at, name").compactMap { $0["name"] }
    }
}
