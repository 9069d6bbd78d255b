import Foundation
import GRDB

/// Backups and restores of a store file. A backup uses SQLite's online backup API inside a read transaction,
/// so it is a consistent snapshot even while tills are selling; the copy is checked (integrity, foreign keys,
/// ledger against on-hand) before it is given its final name. A restore checks the backup first and replaces
/// the store only with `force`.
public enum StoreBackup {
    public struct Summary: Equatable, Sendable {
        public var path: String
        public var bytes: Int64
        public var orders: Int
        public var schemaVersion: String
    }

    public static func backup(_ store: StoreDatabase, to destination: String, force: Bool = false,
                              progress: ProgressHandler? = nil) throws -> Summary {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: destination) && !force {
            throw TillError.storeExists(destination)
        }
        let partial = destination + ".partial"
        removeFiles(partial)
        do {
            guard fileManager.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw TillError.storage("cannot create \(partial): folder missing or no permission")
            }
            let copy = try DatabaseQueue(path: partial)
            try store.pool.backup(to: copy, pagesPerStep: 1024) { step in
                progress?(Int(step.completedPageCount), max(1, Int(step.totalPageCount)))
            }
            // One self-contained file: no -wal beside it to lose when it is copied elsewhere.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
            let summary = try verify(partial)
            removeFiles(destination)
            try copyJournalKey(from: JournalKey.path(forStore: store.path), to: JournalKey.path(forStore: destination))
            try fileManager.moveItem(atPath: partial, toPath: destination)
            removeFiles(partial)
            try fileManager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination)
            return Summary(path: destination, bytes: summary.bytes, orders: summary.orders, schemaVersion: summary.schemaVersion)
        } catch let error as DatabaseError {
            removeFiles(partial)
            throw StoreDatabase.describe(error, path: destination)
        } catch {
            removeFiles(partial)
            throw error
        }
    }

    /// Replaces the store at `path` with the backup at `source`, after checking the backup. No till may have
    /// the store open while it is restored.
    public static func restore(from source: String, to path: String, force: Bool) throws -> Summary {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: source) else { throw TillError.storeMissing(source) }
        if fileManager.fileExists(atPath: path) && !force {
            throw TillError.invalid("a store already exists at \(path); restoring replaces it — use --force once every till is closed")
        }
        _ = try verify(source)
        try checkJournalKey(backup: source, store: path)
        let partial = path + ".restoring"
        removeFiles(partial)
        do {
            guard fileManager.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw TillError.storage("cannot create \(partial): folder missing or no permission")
            }
            var readOnly = Configuration()
            readOnly.readonly = true
            let from = try DatabaseQueue(path: source, configuration: readOnly)
            let to = try DatabaseQueue(path: partial)
            try from.backup(to: to)
            try to.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try from.close()
            try to.close()
            let summary = try verify(partial)
            removeFiles(path)
            if fileManager.fileExists(atPath: JournalKey.path(forStore: source)) {
                try copyJournalKey(from: JournalKey.path(forStore: source), to: JournalKey.path(forStore: path))
            }
            try fileManager.moveItem(atPath: partial, toPath: path)
            removeFiles(partial)
            return Summary(path: path, bytes: summary.bytes, orders: summary.orders, schemaVersion: summary.schemaVersion)
        } catch let error as DatabaseError {
            removeFiles(partial)
            throw StoreDatabase.describe(error, path: path)
        } catch {
            removeFiles(partial)
            throw error
        }
    }

    /// Opens a copy and checks it the way `till doctor` does; throws naming the first problem.
    static func verify(_ path: String) throws -> Summary {
        do {
            var readOnly = Configuration()
            readOnly.readonly = true
            let copy = try DatabaseQueue(path: path, configuration: readOnly)
            let (integrity, foreignKeys, version, orders) = try copy.read { db -> (String, Int, String?, Int) in
                let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "?"
                let foreignKeys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
                let version = try StoreMigrations.migrator.appliedMigrations(db).last
                let orders = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE number IS NOT NULL") ?? 0
                return (integrity, foreignKeys, version, orders)
            }
            guard integrity == "ok" else { throw TillError.storage("\(path) failed its integrity check: \(integrity)") }
            guard foreignKeys == 0 else { throw TillError.storage("\(path) has \(foreignKeys) rows pointing at missing rows") }
            guard let version else { throw TillError.storage("\(path) is not a Till store (no schema version)") }
            guard StoreMigrations.migrator.migrations.contains(version) else {
                throw TillError.storage("\(path) was made by a newer Till (schema \(version))")
            }
            let ledgerOff = try copy.read { db in
                try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM (SELECT variant_id, location_id, SUM(delta_milli) AS total FROM stock_movement
                                          GROUP BY variant_id, location_id) m
                    LEFT JOIN stock_level l ON l.variant_id = m.variant_id AND l.location_id = m.location_id
                    WHERE COALESCE(l.on_hand_milli, 0) <> m.total
                    """) ?? 0
            }
            guard ledgerOff == 0 else { throw TillError.storage("\(path): on-hand disagrees with the stock ledger for \(ledgerOff) items") }
            try copy.close()
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
            return Summary(path: path, bytes: bytes ?? 0, orders: orders, schemaVersion: version)
        } catch let error as DatabaseError {
            throw StoreDatabase.describe(error, path: path)
        }
    }

    /// The journal key travels with the store (0600): a restored store must sign with its own key.
    static func copyJournalKey(from source: String, to destination: String) throws {
        guard FileManager.default.fileExists(atPath: source) else { return }
        try? FileManager.default.removeItem(atPath: destination)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination)
        } catch {
            throw TillError.storage("cannot copy the journal key to \(destination): \(error.localizedDescription)")
        }
    }

    /// A restore needs the backup's journal key beside it, unless the store's own key file is that key.
    static func checkJournalKey(backup source: String, store path: String) throws {
        let recorded = try DatabaseQueue(path: source, configuration: { var c = Configuration(); c.readonly = true; return c }())
            .read { db in try String.fetchOne(db, sql: "SELECT public_key FROM journal_key WHERE id = 1") }
        guard let recorded else { return }
        for candidate in [JournalKey.path(forStore: source), JournalKey.path(forStore: path)] {
            if let key = try? JournalKey.load(path: candidate), JournalKey.pem(key.publicKey) == recorded { return }
        }
        throw TillError.storage("the backup's journal key \(JournalKey.path(forStore: source)) is missing: put it beside the backup "
                                + "(without it the restored store could not sign its sales)")
    }

    static func removeFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
