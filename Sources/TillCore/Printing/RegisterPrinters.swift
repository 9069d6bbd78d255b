import Foundation
import GRDB

/// A register's receipt printer, as store settings configure it.
public struct RegisterPrinter: Equatable, Sendable, Encodable {
    public var register: String
    public var address: PrinterAddress
    /// The paper's width in columns (42 or 48).
    public var width: Int
    /// How it draws the receipt's QR code (`native` GS ( k, or `raster` for printers without it).
    public var qrStyle: ReceiptOutput.CodeStyle
    public var configuredAt: Date

    enum CodingKeys: String, CodingKey {
        case register, address, width
        case qrStyle = "qr_style"
        case configuredAt = "configured_at"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(register, forKey: .register)
        try container.encode(address.description, forKey: .address)
        try container.encode(width, forKey: .width)
        try container.encode(qrStyle.rawValue, forKey: .qrStyle)
        try container.encode(configuredAt.formatted(.iso8601), forKey: .configuredAt)
    }
}

/// Which printer each register prints its receipts on: a store setting, like the card reader it is paired with
/// (`manage_store`, audited). Two registers may share one printer (a printer takes one job after another).
public struct RegisterPrinters: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// `v19-printers`: the per-register printer and the receipt print queue.
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE register_printer (
                register TEXT PRIMARY KEY NOT NULL CHECK (length(register) > 0),
                address TEXT NOT NULL CHECK (length(address) > 0),
                width INTEGER NOT NULL DEFAULT 42 CHECK (width IN (42, 48)),
                qr_style TEXT NOT NULL DEFAULT 'native' CHECK (qr_style IN ('native', 'raster')),
                configured_at DATETIME NOT NULL,
                configured_by INTEGER REFERENCES staff(id)
            );

            -- A receipt is queued when its sale is saved and printed after: a printer that is out of paper or
            -- gone never loses or blocks a sale. 'queued': not sent yet (or refused by the printer before it was
            -- sent); 'failed': sent, but not confirmed printed; both wait for a retry.
            CREATE TABLE print_job (
                id INTEGER PRIMARY KEY,
                order_number INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('receipt', 'copy')),
                register TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'printed', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                last_error TEXT,
                created_at DATETIME NOT NULL,
                printed_at DATETIME
            );
            CREATE INDEX print_job_waiting ON print_job(register, id) WHERE status <> 'printed';
            """)
    }

    public func list() throws -> [RegisterPrinter] {
        try store.read { db in try Row.fetchAll(db, sql: "SELECT * FROM register_printer ORDER BY register").compactMap(RegisterPrinters.decode) }
    }

    public func printer(for register: String) throws -> RegisterPrinter? {
        try store.read { db in try RegisterPrinters.printer(db, register: register) }
    }

    static func printer(_ db: Database, register: String) throws -> RegisterPrinter? {
        try Row.fetchOne(db, sql: "SELECT * FROM register_printer WHERE register = ?", arguments: [register]).flatMap(decode)
    }

    /// Sets `register`'s printer, replacing the one it had.
    @discardableResult
    public func set(register: String, address text: String, width: Int = 42, qrStyle: ReceiptOutput.CodeStyle = .native,
                    _ ctx: TillContext) throws -> RegisterPrinter {
        let register = register.trimmingCharacters(in: .whitespaces)
        guard !register.isEmpty else { throw TillError.invalid("name the register whose printer this is (e.g. main)") }
        let address = try PrinterAddress(parsing: text)
        guard Receipt.widths.contains(width) else { throw TillError.invalid("a receipt is 42 or 48 columns wide, not \(width)") }
        let date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            let before = try RegisterPrinters.printer(db, register: register)
            try db.execute(sql: """
                INSERT INTO register_printer(register, address, width, qr_style, configured_at, configured_by) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(register) DO UPDATE SET address = excluded.address, width = excluded.width, qr_style = excluded.qr_style,
                                                    configured_at = excluded.configured_at, configured_by = excluded.configured_by
                """, arguments: [register, address.description, width, qrStyle.rawValue, date, ctx.staffID])
            try AuditLog.record(db, action: "printer.set", entity: "register_printer", entityID: nil,
                                before: before.map { ["register": $0.register, "printer": $0.address.description] },
                                after: ["register": register, "printer": address.description], staffID: ctx.staffID, at: date)
            return RegisterPrinter(register: register, address: address, width: width, qrStyle: qrStyle, configuredAt: date)
        }
    }

    /// Takes the printer off `register`: its receipts are saved as text only.
    public func remove(register: String, _ ctx: TillContext) throws {
        let date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            guard let before = try RegisterPrinters.printer(db, register: register) else {
                throw TillError.notFound("a receipt printer for register \(register)")
            }
            try db.execute(sql: "DELETE FROM register_printer WHERE register = ?", arguments: [register])
            try AuditLog.record(db, action: "printer.remove", entity: "register_printer", entityID: nil,
                                before: ["register": register, "printer": before.address.description], after: nil,
                                staffID: ctx.staffID, at: date)
        }
    }

    static func decode(_ row: Row) -> RegisterPrinter? {
        guard let address = try? PrinterAddress(parsing: row["address"]) else { return nil }
        return RegisterPrinter(register: row["register"], address: address, width: row["width"],
                               qrStyle: ReceiptOutput.CodeStyle(rawValue: row["qr_style"]) ?? .native, configuredAt: row["configured_at"])
    }
}
