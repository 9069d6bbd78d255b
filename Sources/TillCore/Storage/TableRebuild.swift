import GRDB

/// Changing a table's CHECK in SQLite, which `ALTER TABLE` cannot do: the table is built again from its own
/// definition with the constraint replaced, every row copied as it is, and its indexes and triggers made again
/// from theirs. Run inside a migration (foreign keys are checked when it ends, so rows pointing at the table stay
/// valid through the swap). Other tables' triggers and foreign keys name the table, not its rows: with
/// `legacy_alter_table` the rename leaves them naming the new table.
enum TableRebuild {
    static func replace(_ db: Database, table: String, _ old: String, with new: String) throws {
        guard let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                                   arguments: [table]) else {
            throw TillError.storage("table \(table) is missing: this store file is damaged")
        }
        guard definition.contains(old) else {
            throw TillError.storage("table \(table) is not as this Till expects (\(old) not found): this store file is damaged")
        }
        let companions = try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name
            """, arguments: [table])
        let temporary = "\(table)_rebuilt"
        guard let nameRange = definition.range(of: table) else { throw TillError.storage("cannot read table \(table)'s definition") }
        let rebuilt = definition.replacingCharacters(in: nameRange, with: temporary).replacingOccurrences(of: old, with: new)
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO \(temporary) SELECT * FROM \(table)")
        try db.execute(sql: "DROP TABLE \(table)")
        try db.execute(sql: "PRAGMA legacy_alter_table = ON")
        try db.execute(sql: "ALTER TABLE \(temporary) RENAME TO \(table)")
        try db.execute(sql: "PRAGMA legacy_alter_table = OFF")
        for sql in companions { try db.execute(sql: sql) }
    }
}
