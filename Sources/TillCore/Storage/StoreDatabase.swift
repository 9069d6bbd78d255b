import Foundation
import GRDB

/// One shop's SQLite file: a WAL-mode `DatabasePool` with foreign keys on, a busy timeout, and the migrations
/// applied. Every use case in TillCore is a named transaction on this.
public final class StoreDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String
    /// The key this store signs its journal with, or why it cannot.
    public let journalSigning: Journal.Signing

    /// How long a writer waits for another till's transaction before giving up with "database is locked".
    public static let busyTimeout: TimeInterval = 5

    private init(pool: DatabasePool, path: String, journalSigning: Journal.Signing) {
        self.pool = pool
        self.path = path
        self.journalSigning = journalSigning
    }

    /// Opens the store at `path`. With `create`, a missing file is made (owner-only permissions) and migrated;
    /// without it, a missing file is `TillError.storeMissing`.
    public static func open(path: String, create: Bool = false) throws -> StoreDatabase {
        let fileManager = FileManager.default
        let exists = fileManager.fileExists(atPath: path)
        if !exists {
            guard create else { throw TillError.storeMissing(path) }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                do {
                    try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
                } catch {
                    throw TillError.storage("cannot create folder \(directory): \(error.localizedDescription)")
                }
            }
            // SQLite gives the -wal and -shm files the main file's permissions: card tokens and staff hashes
            // live here, so only the owner may read them.
            guard fileManager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw TillError.storage("cannot create store file \(path): permission denied or folder missing")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // FULL in WAL mode syncs the WAL on every commit: a sale the till reported as completed survives a
            // power cut. NORMAL would be faster but may lose the last commits when power fails.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A commit that crosses the auto-checkpoint mark copies the WAL into the database on the committing
            // thread — a sale waiting ~10 ms. The mark is set far out so a running till checkpoints in the
            // background instead (`BackgroundCheckpoints`); a one-shot command checkpoints when it closes.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(StoreDatabase.autoCheckpointPages)")
        }
        let pool: DatabasePool
        let signing: Journal.Signing
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
            signing = try Journal.prepare(pool, storePath: path)
        } catch let error as DatabaseError {
            if !exists { try? fileManager.removeItem(atPath: path) }
            throw StoreDatabase.describe(error, path: path)
        }
        return StoreDatabase(pool: pool, path: path, journalSigning: signing)
    }

    /// Turns SQLite's result codes into the one line a shop owner can act on.
    static func describe(_ error: DatabaseError, path: String) -> TillError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .storage("\(path) is not a readable Till store (file is corrupt or not a database)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .storage("\(path) is locked by another program (waited \(Int(busyTimeout)) s)")
        case .SQLITE_READONLY:
            return .storage("\(path) is read-only: Till needs to write to it")
        case .SQLITE_CANTOPEN:
            return .storage("cannot open \(path): folder missing or no permission")
        case .SQLITE_FULL:
            return .storage("disk full while writing \(path): the last change was not saved")
        default:
            return .storage("\(path): \(error.message ?? error.description)")
        }
    }

    /// Refuses, before any money moves, a use case whose fact could not be journaled (the key file missing or
    /// not this store's): a card is never charged for a sale that would then fail to save.
    public func requireJournal() throws {
        if case let .unavailable(why) = journalSigning { throw TillError.storage(why) }
    }

    /// A write transaction whose SQLite errors come out as `TillError`s naming the store.
    public func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            // A chain store's facts are queued by triggers as they are written and completed here, after the
            // whole use case has written them, inside the same transaction.
            return try pool.write { db in
                let boundary = try Journal.pendingBoundary(db)
                let result = try updates(db)
                try Journal.fillPending(db, signing: journalSigning, after: boundary)
                try ChainOutbox.fillPending(db)
                return result
            }
        } catch let error as DatabaseError {
            throw StoreDatabase.describe(error, path: path)
        }
    }

    public func read<T>(_ value: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(value)
        } catch let error as DatabaseError {
            throw StoreDatabase.describe(error, path: path)
        }
    }

    public var schemaVersion: String {
        get throws {
            try read { db in try StoreMigrations.migrator.appliedMigrations(db).last ?? "none" }
        }
    }

    public static var latestSchemaVersion: String { StoreMigrations.latestVersion }

    /// The safety net: a WAL this many pages long (~40 MB) is checkpointed by the next commit even with no
    /// background checkpointer running.
    static let autoCheckpointPages = 10_000

    /// Starts checkpointing this store's WAL in the background, off the sale path. Keep the result alive.
    public func startBackgroundCheckpoints() throws -> BackgroundCheckpoints {
        try BackgroundCheckpoints(path: path)
    }
}

/// Copies committed WAL frames into the database file from its own connection, in PASSIVE mode (it never
/// waits for, or blocks, a till that is reading or writing) — and only in a quiet moment: the checkpoint's
/// fsync of the database file would make a commit's fsync of the WAL wait on the disk. Quiet means the WAL has
/// not been written for half a second, by this till or any other. Under a steady stream of writes it
/// checkpoints anyway every `busyInterval`.
public final class BackgroundCheckpoints: @unchecked Sendable {
    private let queue: DatabaseQueue
    private let timer: DispatchSourceTimer
    static let quietSeconds: TimeInterval = 0.5
    static let busyInterval: TimeInterval = 30

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(StoreDatabase.busyTimeout)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        let walPath = path + "-wal"
        var checkpointed = Date.distantPast
        var lastSeen = Date.distantPast
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "till.checkpoints", qos: .utility))
        timer.schedule(deadline: .now() + 0.25, repeating: 0.25)
        timer.setEventHandler { [queue] in
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: walPath))?[.modificationDate] as? Date,
                  modified != lastSeen else { return }
            let now = Date()
            guard now.timeIntervalSince(modified) >= BackgroundCheckpoints.quietSeconds
                    || now.timeIntervalSince(checkpointed) >= BackgroundCheckpoints.busyInterval else { return }
            _ = try? queue.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            checkpointed = now
            lastSeen = (try? FileManager.default.attributesOfItem(atPath: walPath))?[.modificationDate] as? Date ?? modified
        }
        timer.resume()
    }

    deinit { timer.cancel() }
}
