import GRDB

public struct Category: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "category"
    public var id: Int64?
    public var name: String

    public init(id: Int64? = nil, name: String) {
        self.id = id
        self.name = name
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The category with this name (any case), created when missing.
    public static func findOrCreate(_ db: Database, name: String) throws -> Category {
        if let existing = try Category.filter(sql: "name = ? COLLATE NOCASE", arguments: [name]).fetchOne(db) {
            return existing
        }
        var category = Category(name: name)
        try category.insert(db)
        return category
    }
}
