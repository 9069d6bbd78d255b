import Foundation
import GRDB

public enum StaffRole: String, Codable, Sendable, CaseIterable {
    case cashier
    case support
    case manager
    case admin
}

public struct StaffMember: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord, Identifiable {
    public static let databaseTableName = "staff"
    public var id: Int64?
    public var username: String
    public var name: String
    public var role: StaffRole
    public var pinHash: String
    public var active: Bool

    enum CodingKeys: String, CodingKey {
        case id, username, name, role, active
        case pinHash = "pin_hash"
    }

    public init(id: Int64? = nil, username: String, name: String, role: StaffRole, pinHash: String, active: Bool = true) {
        self.id = id
        self.username = username
        self.name = name
        self.role = role
        self.pinHash = pinHash
        self.active = active
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    static func named(_ db: Database, username: String) throws -> StaffMember {
        guard let member = try StaffMember.filter(sql: "username = ? COLLATE NOCASE", arguments: [username])
            .fetchOne(db) else {
            throw TillError.notFound("staff member \"\(username)\"")
        }
        return member
    }
}

public struct Staff: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    public func member(username: String) throws -> StaffMember {
        try store.read { db in try StaffMember.named(db, username: username) }
    }

    public func all() throws -> [StaffMember] {
        try store.read { db in try StaffMember.order(Column("id")).fetchAll(db) }
    }

    /// Wrong PINs in a row before a lockout, and the first lockout; each further wrong PIN doubles it.
    public static let attemptsBeforeLockout = 3
    public static let firstLockout: TimeInterval = 30
    public static let longestLockout: TimeInterval = 3600

    /// The active staff member with this username and PIN. The same error for an unknown name and a wrong PIN,
    /// so a guesser learns nothing about which names exist. Repeated wrong PINs lock the name for a time that
    /// doubles with each further miss; failures and lockouts go to the audit log (never the PIN).
    public func authenticate(username: String, pin: String, at date: Date = Date()) throws -> StaffMember {
        let member = try? store.read { db in try StaffMember.named(db, username: username) }
        guard let member, let id = member.id else {
            throw TillError.permissionDenied("wrong user name or PIN for \"\(username)\"")
        }
        let lockedUntil = try store.read { db in
            try Date.fetchOne(db, sql: "SELECT locked_until FROM staff WHERE id = ?", arguments: [id])
        }
        if let lockedUntil, lockedUntil > date {
            let seconds = Int(lockedUntil.timeIntervalSince(date).rounded(.up))
            throw TillError.permissionDenied("\(member.username) is locked after repeated wrong PINs; try again in \(seconds) s or ask a manager")
        }
        guard member.active, PinHasher.verify(pin, against: member.pinHash) else {
            try store.write { db in
                let failures = (try Int.fetchOne(db, sql: "SELECT failed_pins FROM staff WHERE id = ?", arguments: [id]) ?? 0) + 1
                var until: Date?
                if failures >= Staff.attemptsBeforeLockout {
                    let doublings = Double(failures - Staff.attemptsBeforeLockout)
                    until = date.addingTimeInterval(min(Staff.longestLockout, Staff.firstLockout * pow(2, doublings)))
                }
                try db.execute(sql: "UPDATE staff SET failed_pins = ?, locked_until = ? WHERE id = ?",
                               arguments: [failures, until, id])
                try AuditLog.record(db, action: until == nil ? "staff.pin_failed" : "staff.locked", entity: "staff", entityID: id,
                                    before: nil, after: ["failures": String(failures)], staffID: nil,
                                    note: until.map { "locked until \($0.ISO8601Format())" }, at: date)
            }
            throw TillError.permissionDenied("wrong user name or PIN for \"\(username)\"")
        }
        try store.write { db in
            try db.execute(sql: "UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = ? AND failed_pins > 0", arguments: [id])
        }
        return member
    }

    /// Adds a staff member. Once the store has an active admin, only a signed-in admin (the context's) may.
    public func add(username: String, name: String, role: StaffRole, pin: String, hasher: PinHasher = PinHasher(),
                    _ ctx: TillContext) throws -> StaffMember {
        let staffID = ctx.staffID, date = ctx.now
        let trimmed = username.trimmingCharacters(in: .whitespaces)
        try CardNumberGuard.check(trimmed, field: "the user name")
        try CardNumberGuard.check(name, field: "the staff member's name")
        guard !trimmed.isEmpty, trimmed.count <= 32, trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" }) else {
            throw TillError.invalid("a user name is 1 to 32 letters, digits, dots, dashes or underscores, got \"\(username)\"")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw TillError.invalid("give the staff member's name") }
        try Staff.checkPIN(pin)
        var member = StaffMember(username: trimmed, name: name, role: role, pinHash: try hasher.hash(pin))
        try store.write { db in
            try Staff.requireAdmin(db, staffID: staffID)
            if try StaffMember.filter(sql: "username = ? COLLATE NOCASE", arguments: [trimmed]).fetchCount(db) > 0 {
                throw TillError.duplicate("staff member \"\(trimmed)\"")
            }
            try member.insert(db)
            try AuditLog.record(db, action: "staff.add", entity: "staff", entityID: member.id, before: nil,
                                after: ["username": trimmed, "role": role.rawValue], staffID: staffID, at: date)
        }
        return member
    }

    /// Disables (or enables again) a member: they can no longer sign in; their history stays.
    public func setActive(username: String, _ active: Bool, _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        try store.write { db in
            try Staff.requireAdmin(db, staffID: staffID)
            let member = try StaffMember.named(db, username: username)
            if !active && member.id == staffID { throw TillError.invalid("you cannot disable yourself") }
            try db.execute(sql: "UPDATE staff SET active = ? WHERE id = ?", arguments: [active, member.id])
            try AuditLog.record(db, action: active ? "staff.enable" : "staff.disable", entity: "staff", entityID: member.id,
                                before: ["active": String(member.active)], after: ["active": String(active)], staffID: staffID, at: date)
        }
    }

    /// Sets a new PIN and lifts any lockout.
    public func resetPIN(username: String, to pin: String, hasher: PinHasher = PinHasher(), _ ctx: TillContext) throws {
        let staffID = ctx.staffID, date = ctx.now
        try Staff.checkPIN(pin)
        let hash = try hasher.hash(pin)
        try store.write { db in
            try Staff.requireAdmin(db, staffID: staffID)
            let member = try StaffMember.named(db, username: username)
            try db.execute(sql: "UPDATE staff SET pin_hash = ?, failed_pins = 0, locked_until = NULL WHERE id = ?",
                           arguments: [hash, member.id])
            try AuditLog.record(db, action: "staff.reset_pin", entity: "staff", entityID: member.id, before: nil, after: nil,
                                staffID: staffID, at: date)
        }
    }

    static func checkPIN(_ pin: String) throws {
        guard (4...8).contains(pin.count), pin.allSatisfy(\.isASCIIDigit) else {
            throw TillError.invalid("a PIN is 4 to 8 digits")
        }
    }

    /// Staff are managed by a signed-in admin — except the very first admin of a store that has none.
    static func requireAdmin(_ db: Database, staffID: Int64?) throws {
        try ChainStore.refuseLocalEdit(db, of: "staff")
        let admins = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM staff WHERE role = 'admin' AND active = 1") ?? 0
        guard admins > 0 else { return }
        try Permissions.require(db, .manageStaff, staffID: staffID)
    }
}
