import Foundation
import GRDB

/// A register's card reader, as store settings pair them.
public struct CardReaderPairing: Equatable, Sendable, Encodable {
    public var register: String
    public var kind: CardTerminalKind
    public var readerID: String
    public var label: String
    public var pairedAt: Date

    enum CodingKeys: String, CodingKey {
        case register, kind, label
        case readerID = "reader_id"
        case pairedAt = "paired_at"
    }
}

/// Which register drives which card reader. One reader per register and one register per reader, so two tills
/// never send payments to the same reader (the processor would answer "busy", or worse, the wrong till would
/// take the customer's tap). Pairing is a store setting: `manage_store`, audited.
public struct CardReaders: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func list() throws -> [CardReaderPairing] {
        try store.read { db in try Row.fetchAll(db, sql: "SELECT * FROM card_reader ORDER BY register").map(CardReaders.pairing) }
    }

    /// The reader paired with `register`, if any.
    public func pairing(for register: String) throws -> CardReaderPairing? {
        try store.read { db in try CardReaders.pairing(db, register: register) }
    }

    static func pairing(_ db: Database, register: String) throws -> CardReaderPairing? {
        try Row.fetchOne(db, sql: "SELECT * FROM card_reader WHERE register = ?", arguments: [register]).map(pairing)
    }

    /// Pairs `register` with a reader, replacing the reader it had. A reader already paired with another
    /// register is refused: unpair it there first.
    @discardableResult
    public func pair(register: String, kind: CardTerminalKind, readerID: String, label: String = "", _ ctx: TillContext) throws -> CardReaderPairing {
        let register = register.trimmingCharacters(in: .whitespaces)
        let readerID = readerID.trimmingCharacters(in: .whitespaces)
        guard !register.isEmpty else { throw TillError.invalid("name the register to pair (e.g. main)") }
        switch kind {
        case .stripe:
            guard readerID.hasPrefix("tmr_"), readerID.count > 4, readerID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw TillError.invalid("\"\(readerID)\" is not a Stripe reader id (they look like tmr_FDOt2wlRZEdpd7; find yours in the Stripe dashboard under Terminal → Readers)")
            }
        case .simulated:
            guard !readerID.isEmpty, readerID.count <= 40, !readerID.contains(where: \.isWhitespace) else {
                throw TillError.invalid("a simulated reader needs a name without spaces, e.g. sim-\(register)")
            }
        }
        let date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            if let other = try String.fetchOne(db, sql: "SELECT register FROM card_reader WHERE kind = ? AND reader_id = ? AND register <> ?",
                                               arguments: [kind.rawValue, readerID, register]) {
                throw TillError.invalid("reader \(readerID) is already paired with register \(other); two tills never drive one reader — unpair it there first (till terminal unpair \(other))")
            }
            let before = try CardReaders.pairing(db, register: register)
            try db.execute(sql: """
                INSERT INTO card_reader(register, kind, reader_id, label, paired_at, paired_by) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(register) DO UPDATE SET kind = excluded.kind, reader_id = excluded.reader_id, label = excluded.label,
                                                    paired_at = excluded.paired_at, paired_by = excluded.paired_by
                """, arguments: [register, kind.rawValue, readerID, label, date, ctx.staffID])
            try AuditLog.record(db, action: "terminal.pair", entity: "card_reader", entityID: nil,
                                before: before.map { ["register": $0.register, "reader": "\($0.kind.rawValue):\($0.readerID)"] },
                                after: ["register": register, "reader": "\(kind.rawValue):\(readerID)"], staffID: ctx.staffID, at: date)
            return CardReaderPairing(register: register, kind: kind, readerID: readerID, label: label, pairedAt: date)
        }
    }

    /// Takes the reader off `register`; card tenders there are refused until another is paired.
    public func unpair(register: String, _ ctx: TillContext) throws {
        let date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            guard let before = try CardReaders.pairing(db, register: register) else {
                throw TillError.notFound("a card reader paired with register \(register)")
            }
            try db.execute(sql: "DELETE FROM card_reader WHERE register = ?", arguments: [register])
            try AuditLog.record(db, action: "terminal.unpair", entity: "card_reader", entityID: nil,
                                before: ["register": register, "reader": "\(before.kind.rawValue):\(before.readerID)"], after: nil,
                                staffID: ctx.staffID, at: date)
        }
    }

    static func pairing(_ row: Row) -> CardReaderPairing {
        CardReaderPairing(register: row["register"], kind: CardTerminalKind(rawValue: row["kind"]) ?? .simulated,
                          readerID: row["reader_id"], label: row["label"], pairedAt: row["paired_at"])
    }
}
