import Foundation
import GRDB

/// One audited change: who, when, what, and the record before and after (JSON).
public struct AuditEntry: Equatable, Sendable, FetchableRecord {
    public var id: Int64
    public var at: Date
    public var staff: String?
    public var action: String
    public var entity: String
    public var entityID: Int64?
    public var before: String?
    public var after: String?
    public var note: String?

    public init(row: Row) {
        id = row["id"]
        at = row["at"]
        staff = row["username"]
        action = row["action"]
        entity = row["entity"]
        entityID = row["entity_id"]
        before = row["before"]
        after = row["after"]
        note = row["note"]
    }
}

/// The append-only audit log. Writes happen inside the same transaction as the change they describe.
public enum AuditLog {
    static func record(_ db: Database, action: String, entity: String, entityID: Int64?, before: (any Encodable)?,
                       after: (any Encodable)?, staffID: Int64?, note: String? = nil, at date: Date) throws {
        try db.execute(sql: """
            INSERT INTO audit_log(at, staff_id, action, entity, entity_id, before, after, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [date, staffID, action, entity, entityID, try json(before), try json(after), note])
    }

    private static func json(_ value: (any Encodable)?) throws -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func entries(_ store: StoreDatabase, entity: String? = nil, entityID: Int64? = nil,
                               limit: Int = 100) throws -> [AuditEntry] {
        try store.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let entity { conditions.append("a.entity = ?"); arguments += [entity] }
            if let entityID { conditions.append("a.entity_id = ?"); arguments += [entityID] }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try AuditEntry.fetchAll(db, sql: """
                SELECT a.*, s.username FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id
                \(filter) ORDER BY a.id DESC LIMIT ?
                """, arguments: arguments + [limit])
        }
    }
}
