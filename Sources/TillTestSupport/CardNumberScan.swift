import Foundation
import GRDB
import TillCore

/// Scans what Till leaves behind — the store, its WAL and shared memory, backups, receipts, exports, captured
/// output — for card numbers, with the very rule the guard refuses them by (`CardNumberGuard`), so a test can
/// show that no card number got past Till anywhere (issue 15). A finding says where, never what: a failing
/// test must not print the digits either.
///
/// Raw bytes are scanned as they are, except SQLite databases: SQLite writes a row's columns back to back
/// with no separator, so an order number and a date, a product name ending in "10" and its barcode, or a
/// phone and its digits-only copy read as one long digit run, and the raw file is full of false "cards". A
/// database (and the WAL and shared memory beside it, which SQLite folds into what it reads) is therefore
/// scanned value by value, every text and blob in every table, through SQLite itself on a copy.
public enum CardNumberScan {
    public struct Finding: Equatable, Sendable, CustomStringConvertible {
        /// The file's path, or a name for scanned output ("stdout of till sell"); for a database, the path with
        /// the table, column and row.
        public var file: String
        /// Where the card number starts, in bytes from the start of the file, output or value.
        public var offset: Int

        public init(file: String, offset: Int) {
            self.file = file
            self.offset = offset
        }

        public var description: String { "a card number in \(file) at byte \(offset)" }
    }

    /// Every regular file under `directory`, hidden ones and those in subfolders included, in path order.
    public static func findings(inFilesUnder directory: URL) throws -> [Finding] {
        var files: [URL] = []
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw TillTestError("cannot list \(directory.path)")
        }
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files.append(url)
        }
        let paths = Set(files.map(\.path))
        var found: [Finding] = []
        for url in files.sorted(by: { $0.path < $1.path }) {
            let data = try Data(contentsOf: url)
            if isSQLiteDatabase(data) {
                found += try findings(inDatabase: url)
            } else if let database = databaseBeside(url), paths.contains(database) {
                continue  // read with its database
            } else {
                found += findings(in: data).map { Finding(file: url.path, offset: $0) }
            }
        }
        return found
    }

    /// The byte offsets where card numbers start in `data`, read as raw bytes.
    public static func findings(in data: Data) -> [Int] {
        CardNumberGuard.cardNumberRanges(inBytes: data).map(\.lowerBound)
    }

    /// The same for captured text, named for the finding.
    public static func findings(in text: String, named name: String) -> [Finding] {
        findings(in: Data(text.utf8)).map { Finding(file: name, offset: $0) }
    }

    /// Every text and blob value of every table (the schema and search-index tables too), in a copy of the
    /// database with its WAL, so the store itself is left alone. FTS5's own index blobs hold terms packed with
    /// binary lengths, not text anyone typed, and are skipped; its content table is read.
    public static func findings(inDatabase url: URL) throws -> [Finding] {
        let copy = TestStores.temporaryDirectory().appendingPathComponent(url.lastPathComponent)
        try FileManager.default.copyItem(at: url, to: copy)
        let wal = URL(fileURLWithPath: url.path + "-wal")
        if FileManager.default.fileExists(atPath: wal.path) {
            try FileManager.default.copyItem(at: wal, to: URL(fileURLWithPath: copy.path + "-wal"))
        }
        let queue = try DatabaseQueue(path: copy.path)
        defer { try? queue.close() }
        return try queue.read { db in
            var found: [Finding] = []
            let tables = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            let virtual = tables.compactMap { row -> String? in
                let sql: String = row["sql"] ?? ""
                return sql.uppercased().hasPrefix("CREATE VIRTUAL TABLE") ? row["name"] : nil
            }
            let schema = try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master")
            for (index, row) in schema.enumerated() {
                let sql: String = row["sql"] ?? ""
                found += findings(in: Data(sql.utf8)).map { Finding(file: "\(url.path) (schema entry \(index + 1))", offset: $0) }
            }
            for table in tables {
                let name: String = table["name"]
                if virtual.contains(name) { continue }  // its rows live in its shadow tables, read below
                let indexBlobs = virtual.contains { name == "\($0)_data" || name == "\($0)_idx" }
                let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                let rows = try Row.fetchCursor(db, sql: "SELECT * FROM \(quoted)")
                var number = 0
                while let row = try rows.next() {
                    number += 1
                    for (column, value) in row {
                        let bytes: Data
                        switch value.storage {
                        case let .string(text): bytes = Data(text.utf8)
                        case let .blob(blob) where !indexBlobs: bytes = blob
                        default: continue
                        }
                        found += findings(in: bytes).map {
                            Finding(file: "\(url.path) (table \(name), column \(column), row \(number))", offset: $0)
                        }
                    }
                }
            }
            return found
        }
    }

    /// SQLite's file header.
    static func isSQLiteDatabase(_ data: Data) -> Bool {
        data.starts(with: Array("SQLite format 3\u{0}".utf8))
    }

    /// The database a `-wal`, `-shm` or `-journal` file belongs to.
    static func databaseBeside(_ url: URL) -> String? {
        for suffix in ["-wal", "-shm", "-journal"] where url.path.hasSuffix(suffix) {
            return String(url.path.dropLast(suffix.count))
        }
        return nil
    }
}
