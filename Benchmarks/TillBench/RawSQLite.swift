import Foundation
import GRDBSQLite

/// The SQLite C API with nothing in between: the reference the benchmark compares Till against, and the fast
/// path for generating a synthetic store.
final class RawConnection {
    private(set) var handle: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else {
            throw BenchError("cannot open \(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
        try execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON")
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &error) == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(error)
            throw BenchError("\(message) in: \(sql.prefix(120))")
        }
    }

    func prepare(_ sql: String) throws -> RawStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK else {
            throw BenchError("\(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(120))")
        }
        return RawStatement(statement, connection: self)
    }

    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

final class RawStatement {
    private let statement: OpaquePointer?
    private unowned let connection: RawConnection
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: OpaquePointer?, connection: RawConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    @discardableResult
    func bind(_ values: Any?...) -> RawStatement {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case let value as Int64: sqlite3_bind_int64(statement, index, value)
            case let value as Int: sqlite3_bind_int64(statement, index, Int64(value))
            case let value as String: sqlite3_bind_text(statement, index, value, -1, RawStatement.transient)
            default: sqlite3_bind_null(statement, index)
            }
        }
        return self
    }

    /// Steps once: true when a row is ready.
    func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw BenchError(connection.errorMessage)
        }
    }

    /// Runs to the end, counting rows.
    @discardableResult
    func run() throws -> Int {
        var rows = 0
        while try step() { rows += 1 }
        return rows
    }

    /// Ends a read early, so the statement holds no lock.
    func reset() { sqlite3_reset(statement) }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func text(_ column: Int32) -> String {
        sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Dates as GRDB stores them ("yyyy-MM-dd HH:mm:ss.SSS", UTC), without a formatter per row.
enum StoredDate {
    static func text(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).000"
    }
}
