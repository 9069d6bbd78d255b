import GRDB

public enum StaffRole: String, Codable, Sendable, CaseIterable {
    case cashier
    case support
    case manager
    case admin

    public var mayOverridePrices: Bool { allows(.priceOverride) }
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

    /// The active staff member with this username and PIN. The same error for an unknown name and a wrong PIN,
    /// so a guesser learns nothing about which names exist.
    public func authenticate(username: String, pin: String) throws -> StaffMember {
        let member = try? store.read { db in try StaffMember.named(db, username: username) }
        guard let member, member.active, PinHasher.verify(pin, against: member.pinHash) else {
            throw TillError.permissionDenied("wrong user name or PIN for \"\(username)\"")
        }
        return member
    }

    public func add(username: String, name: String, role: StaffRole, pin: String,
                    hasher: PinHasher = PinHasher()) throws -> StaffMember {
        var member = StaffMember(username: username, name: name, role: role, pinHash: try hasher.hash(pin))
        try store.write { db in
            if try StaffMember.filter(sql: "username = ? COLLATE NOCASE", arguments: [username]).fetchCount(db) > 0 {
                throw TillError.duplicate("staff member \"\(username)\"")
            }
            try member.insert(db)
        }
        return member
    }
}
