import Foundation
import GRDB

/// One check `till doctor` runs, with what it found.
public struct DoctorCheck: Equatable, Sendable {
    public var name: String
    public var passed: Bool
    public var detail: String
}

public struct DoctorReport: Equatable, Sendable {
    public var schemaVersion: String
    public var checks: [DoctorCheck]
    public var passed: Bool { checks.allSatisfy(\.passed) }
}

/// Health checks for a store: SQLite's own integrity, foreign keys, the stock ledger against on-hand, orders
/// that balance, the search index, and the schema version.
public struct StoreDoctor: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func examine() throws -> DoctorReport {
        var report = try examineStorage()
        let schemaAt = report.checks.firstIndex { $0.name == "schema version" } ?? report.checks.endIndex
        report.checks.insert(try CSVRoundTripCheck.run(store), at: schemaAt)
        report.checks.insert(try journalCheck(), at: schemaAt)
        return report
    }

    /// The signed journal, recomputed whole (`till journal verify`).
    private func journalCheck() throws -> DoctorCheck {
        let result = try JournalVerifier(store: store).verify(maxProblems: 5)
        guard result.passed else {
            return DoctorCheck(name: "sales journal", passed: false,
                               detail: result.problems.map(\.description).joined(separator: "; "))
        }
        return DoctorCheck(name: "sales journal", passed: true,
                           detail: "ok (\(result.entries) entries signed by \(result.fingerprint), last \(result.lastHash.prefix(16)))")
    }

    private func examineStorage() throws -> DoctorReport {
        try store.read { db in
            var checks: [DoctorCheck] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            checks.append(DoctorCheck(name: "integrity_check", passed: integrity == ["ok"],
                                      detail: integrity.prefix(5).joined(separator: "; ")))

            let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            checks.append(DoctorCheck(
                name: "foreign_key_check", passed: foreignKeys.isEmpty,
                detail: foreignKeys.isEmpty ? "ok" : foreignKeys.prefix(5).map { row in
                    "\(row["table"] as String? ?? "?") row \(row["rowid"] as Int64? ?? 0) → \(row["parent"] as String? ?? "?")"
                }.joined(separator: "; ") + (foreignKeys.count > 5 ? " … (\(foreignKeys.count) in all)" : "")))

            let ledgerMismatches = try Row.fetchAll(db, sql: """
                WITH ledger AS (
                    SELECT variant_id, location_id, SUM(delta_milli) AS total FROM stock_movement
                    GROUP BY variant_id, location_id
                )
                SELECT v.sku, loc.code, COALESCE(ledger.total, 0) AS ledger, COALESCE(l.on_hand_milli, 0) AS on_hand
                FROM (SELECT variant_id, location_id FROM ledger UNION SELECT variant_id, location_id FROM stock_level) k
                LEFT JOIN ledger ON ledger.variant_id = k.variant_id AND ledger.location_id = k.location_id
                LEFT JOIN stock_level l ON l.variant_id = k.variant_id AND l.location_id = k.location_id
                JOIN variant v ON v.id = k.variant_id JOIN location loc ON loc.id = k.location_id
                WHERE COALESCE(ledger.total, 0) <> COALESCE(l.on_hand_milli, 0)
                LIMIT 20
                """)
            checks.append(DoctorCheck(
                name: "ledger == on-hand", passed: ledgerMismatches.isEmpty,
                detail: ledgerMismatches.isEmpty ? "ok" : ledgerMismatches.map { row in
                    "\(row["sku"] as String) at \(row["code"] as String): ledger \(Quantity(milli: row["ledger"])), on-hand \(Quantity(milli: row["on_hand"]))"
                }.joined(separator: "; ")))

            let unbalanced = try Int64.fetchAll(db, sql: """
                SELECT o.number FROM orders o
                WHERE o.status <> 'open' AND o.status <> 'parked' AND (
                    o.total <> (SELECT COALESCE(SUM(total), 0) FROM order_line WHERE order_id = o.id)
                               + CASE WHEN o.tax_inclusive THEN 0 ELSE o.tax_total END
                    OR o.tax_total <> (SELECT COALESCE(SUM(tax), 0) FROM order_line WHERE order_id = o.id)
                    OR (o.status = 'completed' AND o.total + o.cash_rounding <> (SELECT COALESCE(SUM(amount), 0) FROM payment
                        WHERE order_id = o.id AND status IN ('captured', 'authorized'))))
                ORDER BY o.number LIMIT 20
                """)
            checks.append(DoctorCheck(name: "orders balance", passed: unbalanced.isEmpty,
                                      detail: unbalanced.isEmpty ? "ok" : "orders not adding up: " +
                                        unbalanced.map { "#\($0)" }.joined(separator: ", ")))

            let variants = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM variant") ?? 0
            let indexed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM variant_search") ?? 0
            checks.append(DoctorCheck(name: "search index", passed: variants == indexed,
                                      detail: variants == indexed ? "ok (\(indexed) SKUs)"
                                        : "\(indexed) indexed of \(variants) SKUs"))

            checks += try BooksChecks.all(db)

            let version = try StoreMigrations.migrator.appliedMigrations(db).last ?? "none"
            let latest = StoreMigrations.latestVersion
            checks.append(DoctorCheck(name: "schema version", passed: version == latest,
                                      detail: version == latest ? version : "\(version), expected \(latest)"))
            return DoctorReport(schemaVersion: version, checks: checks)
        }
    }
}
