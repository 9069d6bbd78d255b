import Foundation
import GRDB

public struct OrderNote: Equatable, Sendable, FetchableRecord {
    public var id: Int64
    public var text: String
    public var staff: String?
    public var createdAt: Date

    public init(row: Row) {
        id = row["id"]
        text = row["text"]
        staff = row["username"]
        createdAt = row["created_at"]
    }
}

/// Notes support staff leave on an order ("customer called about refund"). Append-only, like the audit log.
public struct OrderNotes: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func add(orderNumber: Int64, text: String, _ ctx: TillContext) throws -> OrderNote {
        let date = ctx.now, staffID = ctx.staffID
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw TillError.invalid("a note needs some text") }
        try CardNumberGuard.check(trimmed, field: "the note")
        guard trimmed.count <= 2000 else { throw TillError.invalid("a note is at most 2000 characters (this one has \(trimmed.count))") }
        return try store.write { db in
            guard let orderID = try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE number = ?", arguments: [orderNumber]) else {
                throw TillError.notFound("order #\(orderNumber)")
            }
            try db.execute(sql: "INSERT INTO order_note(order_id, staff_id, text, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [orderID, staffID, trimmed, date])
            let id = db.lastInsertedRowID
            try AuditLog.record(db, action: "order.note", entity: "order", entityID: orderID, before: nil, after: nil,
                                staffID: staffID, note: trimmed, at: date)
            return try OrderNotes.all(db, orderID: orderID).first { $0.id == id }!
        }
    }

    static func all(_ db: Database, orderID: Int64) throws -> [OrderNote] {
        try OrderNote.fetchAll(db, sql: """
            SELECT n.*, s.username FROM order_note n LEFT JOIN staff s ON s.id = n.staff_id WHERE n.order_id = ? ORDER BY n.id
            """, arguments: [orderID])
    }
}

/// One thing that happened to an order, for the support timeline.
public struct OrderEvent: Equatable, Sendable {
    public var at: Date
    public var staff: String?
    public var what: String
}
