import GRDB

/// A place stock is kept. `floor` (the shop floor, where sales take stock from) and `back` (the back room) always
/// exist; their codes are part of the CLI contract.
public struct Location: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "location"
    public static let floorCode = "floor"
    public static let backCode = "back"

    public var id: Int64?
    public var code: String
    public var name: String

    public init(id: Int64? = nil, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public static func named(_ db: Database, code: String) throws -> Location {
        guard let location = try Location.fetchOne(db.cachedStatement(sql: "SELECT * FROM location WHERE code = ? COLLATE NOCASE"), arguments: [code]) else {
            let known = try String.fetchAll(db, sql: "SELECT code FROM location ORDER BY id").joined(separator: ", ")
            throw TillError.notFound("location \"\(code)\" (known: \(known))")
        }
        return location
    }

    /// Creates `floor` and `back` when missing.
    static func ensureDefaults(_ db: Database) throws {
        for (code, name) in [(floorCode, "Shop floor"), (backCode, "Back room")] {
            try db.execute(sql: "INSERT OR IGNORE INTO location(code, name) VALUES (?, ?)", arguments: [code, name])
        }
    }
}
