import Foundation
import GRDB

/// The protocols a counter scale can speak to the till.
public enum ScaleProtocolKind: String, Equatable, Sendable, Encodable, CaseIterable {
    /// Mettler Toledo Standard Interface Command Set (see `MTSICS`).
    case mtSICS = "mt-sics"

    public var displayName: String {
        switch self {
        case .mtSICS: return "MT-SICS"
        }
    }
}

/// A register's counter scale, as the store settings hold it.
public struct RegisterScale: Equatable, Sendable, Encodable {
    public var register: String
    /// The serial device: `/dev/ttyUSB0`, `/dev/serial/by-id/…`, a pty in tests.
    public var device: String
    public var baud: Int
    public var framing: SerialFraming
    public var scaleProtocol: ScaleProtocolKind
    public var configuredAt: Date
    public var configuredBy: Int64?

    public init(register: String, device: String, baud: Int = 9600, framing: SerialFraming = .standard,
                scaleProtocol: ScaleProtocolKind = .mtSICS, configuredAt: Date, configuredBy: Int64? = nil) {
        self.register = register
        self.device = device
        self.baud = baud
        self.framing = framing
        self.scaleProtocol = scaleProtocol
        self.configuredAt = configuredAt
        self.configuredBy = configuredBy
    }

    /// For people: `/dev/ttyUSB0 (MT-SICS 9600 8N1)`.
    public var label: String { "\(device) (\(scaleProtocol.displayName) \(baud) \(framing))" }

    enum CodingKeys: String, CodingKey {
        case register, device, baud, framing
        case scaleProtocol = "protocol"
        case configuredAt = "configured_at"
        case configuredBy = "configured_by"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(register, forKey: .register)
        try container.encode(device, forKey: .device)
        try container.encode(baud, forKey: .baud)
        try container.encode(framing.description, forKey: .framing)
        try container.encode(scaleProtocol, forKey: .scaleProtocol)
        try container.encode(configuredAt, forKey: .configuredAt)
        try container.encodeIfPresent(configuredBy, forKey: .configuredBy)
    }
}

/// A weighed item's container (a tub, a tray, a bag the shop provides): its weight is taken off what the
/// scale reads, so the customer pays for the goods only.
public struct ContainerTare: Equatable, Sendable, Encodable {
    public var sku: String
    public var name: String
    public var tare: Quantity

    enum CodingKeys: String, CodingKey { case sku, name, tare }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sku, forKey: .sku)
        try container.encode(name, forKey: .name)
        try container.encode(tare.kilograms, forKey: .tare)
    }
}

/// Which register reads which scale, and the containers' tares. One scale per register and one register per
/// serial device, so two tills never talk over each other on one line. A store setting: `manage_store`,
/// audited, as pairing a card reader is.
public struct RegisterScales: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// The migration `v19-scales`.
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            -- A register's counter scale: one per register, and one register per serial device.
            CREATE TABLE register_scale (
                register TEXT PRIMARY KEY NOT NULL CHECK (length(register) > 0),
                device TEXT NOT NULL UNIQUE CHECK (length(device) > 0),
                baud INTEGER NOT NULL DEFAULT 9600 CHECK (baud > 0),
                framing TEXT NOT NULL DEFAULT '8N1' CHECK (length(framing) = 3),
                protocol TEXT NOT NULL DEFAULT 'mt-sics' CHECK (protocol IN ('mt-sics')),
                configured_at DATETIME NOT NULL,
                configured_by INTEGER REFERENCES staff(id)
            );

            -- The container a weighed item is sold in: its weight comes off what the scale reads.
            CREATE TABLE scale_tare (
                variant_id INTEGER PRIMARY KEY NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
                tare_milli INTEGER NOT NULL CHECK (tare_milli > 0),
                set_at DATETIME NOT NULL,
                set_by INTEGER REFERENCES staff(id)
            );
            """)
    }

    public func list() throws -> [RegisterScale] {
        try store.read { db in try Row.fetchAll(db, sql: "SELECT * FROM register_scale ORDER BY register").map(RegisterScales.scale) }
    }

    /// The scale `register` reads, if any.
    public func scale(for register: String) throws -> RegisterScale? {
        try store.read { db in try RegisterScales.scale(db, register: register) }
    }

    static func scale(_ db: Database, register: String) throws -> RegisterScale? {
        try Row.fetchOne(db, sql: "SELECT * FROM register_scale WHERE register = ?", arguments: [register]).map(scale)
    }

    /// Sets `register`'s scale, replacing the one it had. A device another register reads is refused.
    @discardableResult
    public func set(register: String, device: String, baud: Int = 9600, framing: SerialFraming = .standard,
                    scaleProtocol: ScaleProtocolKind = .mtSICS, _ ctx: TillContext) throws -> RegisterScale {
        let register = register.trimmingCharacters(in: .whitespaces)
        let device = device.trimmingCharacters(in: .whitespaces)
        guard !register.isEmpty else { throw TillError.invalid("name the register the scale is at (e.g. main)") }
        guard device.hasPrefix("/"), !device.contains(where: { $0.isNewline }) else {
            throw TillError.invalid("\"\(device)\" is not a device path: give the scale's serial port, e.g. /dev/ttyUSB0 or /dev/serial/by-id/…")
        }
        guard SerialPort.baudRates.contains(baud) else {
            throw TillError.invalid("\(baud) is not a serial speed a scale uses (\(SerialPort.baudRates.map(String.init).joined(separator: ", ")))")
        }
        let date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            if let other = try String.fetchOne(db, sql: "SELECT register FROM register_scale WHERE device = ? AND register <> ?",
                                               arguments: [device, register]) {
                throw TillError.invalid("\(device) is register \(other)'s scale; two tills never read one scale — remove it there first (till scale remove \(other))")
            }
            let before = try RegisterScales.scale(db, register: register)
            try db.execute(sql: """
                INSERT INTO register_scale(register, device, baud, framing, protocol, configured_at, configured_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(register) DO UPDATE SET device = excluded.device, baud = excluded.baud, framing = excluded.framing,
                                                    protocol = excluded.protocol, configured_at = excluded.configured_at,
                                                    configured_by = excluded.configured_by
                """, arguments: [register, device, baud, framing.description, scaleProtocol.rawValue, date, ctx.staffID])
            let scale = RegisterScale(register: register, device: device, baud: baud, framing: framing,
                                      scaleProtocol: scaleProtocol, configuredAt: date, configuredBy: ctx.staffID)
            try AuditLog.record(db, action: "scale.set", entity: "register_scale", entityID: nil,
                                before: before.map { ["register": $0.register, "scale": $0.label] },
                                after: ["register": register, "scale": scale.label], staffID: ctx.staffID, at: date)
            return scale
        }
    }

    /// Takes the scale off `register`: its weighed items are weighed by hand again (typed at the prompt).
    public func remove(register: String, _ ctx: TillContext) throws {
        let date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            guard let before = try RegisterScales.scale(db, register: register) else {
                throw TillError.notFound("a scale at register \(register)")
            }
            try db.execute(sql: "DELETE FROM register_scale WHERE register = ?", arguments: [register])
            try AuditLog.record(db, action: "scale.remove", entity: "register_scale", entityID: nil,
                                before: ["register": register, "scale": before.label], after: nil,
                                staffID: ctx.staffID, at: date)
        }
    }

    // MARK: - Containers

    /// Every container tare, by SKU.
    public func tares() throws -> [ContainerTare] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.sku, p.name, v.option, t.tare_milli FROM scale_tare t
                JOIN variant v ON v.id = t.variant_id JOIN product p ON p.id = v.product_id ORDER BY v.sku
                """).map { row in
                let option: String = row["option"]
                let name: String = row["name"]
                return ContainerTare(sku: row["sku"], name: option.isEmpty ? name : "\(name) \(option)",
                                     tare: Quantity(milli: row["tare_milli"]))
            }
        }
    }

    /// The container weight taken off `sku`'s scale readings, if it has one.
    public func tare(sku: String) throws -> Quantity? {
        try store.read { db in
            try Int64.fetchOne(db, sql: "SELECT t.tare_milli FROM scale_tare t JOIN variant v ON v.id = t.variant_id WHERE v.sku = ?",
                               arguments: [sku]).map { Quantity(milli: $0) }
        }
    }

    /// Sets (or with nil clears) the container weight of a weighed item.
    public func setTare(sku: String, _ tare: Quantity?, _ ctx: TillContext) throws {
        let date = ctx.now
        try store.write { db in
            try Permissions.requireIfSignedIn(db, .manageStore, staffID: ctx.staffID)
            guard let item = try Catalog.lookup(db, code: sku) else { throw TillError.notFound("item \(sku)") }
            guard item.isWeighed else {
                throw TillError.invalid("\(item.sku) (\(item.displayName)) is sold in pieces, not weighed: a container tare is for items sold by the kg")
            }
            let before = try Int64.fetchOne(db, sql: "SELECT tare_milli FROM scale_tare WHERE variant_id = ?", arguments: [item.variantID])
            if let tare {
                guard tare.milli > 0 else { throw TillError.invalidQuantity(tare.description, reason: "a container weighs more than 0 kg") }
                guard tare.milli < 100_000 else { throw TillError.invalidQuantity(tare.description, reason: "a container of 100 kg or more is not a container") }
                try db.execute(sql: """
                    INSERT INTO scale_tare(variant_id, tare_milli, set_at, set_by) VALUES (?, ?, ?, ?)
                    ON CONFLICT(variant_id) DO UPDATE SET tare_milli = excluded.tare_milli, set_at = excluded.set_at, set_by = excluded.set_by
                    """, arguments: [item.variantID, tare.milli, date, ctx.staffID])
            } else {
                guard before != nil else { throw TillError.notFound("a container tare for \(item.sku)") }
                try db.execute(sql: "DELETE FROM scale_tare WHERE variant_id = ?", arguments: [item.variantID])
            }
            try AuditLog.record(db, action: tare == nil ? "scale.tare.clear" : "scale.tare.set", entity: "variant",
                                entityID: item.variantID,
                                before: before.map { ["sku": item.sku, "tare": Quantity(milli: $0).kilograms] },
                                after: tare.map { ["sku": item.sku, "tare": $0.kilograms] }, staffID: ctx.staffID, at: date)
        }
    }

    static func scale(_ row: Row) -> RegisterScale {
        let framing: String = row["framing"]
        return RegisterScale(register: row["register"], device: row["device"], baud: row["baud"],
                             framing: (try? SerialFraming.parse(framing)) ?? .standard,
                             scaleProtocol: ScaleProtocolKind(rawValue: row["protocol"]) ?? .mtSICS,
                             configuredAt: row["configured_at"], configuredBy: row["configured_by"])
    }
}
