import GRDB

public struct Customer: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord, Identifiable {
    public static let databaseTableName = "customer"
    public var id: Int64?
    public var name: String
    public var email: String?
    public var phone: String?
    /// The phone's digits only, so "+49 30 123" and "4930123" find the same customer.
    public var phoneDigits: String?
    public var notes: String

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, notes
        case phoneDigits = "phone_digits"
    }

    public init(id: Int64? = nil, name: String, email: String? = nil, phone: String? = nil, notes: String = "") {
        self.id = id
        self.name = name
        self.email = email.flatMap { $0.isEmpty ? nil : $0 }
        self.phone = phone.flatMap { $0.isEmpty ? nil : $0 }
        self.phoneDigits = Customer.digits(of: phone)
        self.notes = notes
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    static func digits(of phone: String?) -> String? {
        guard let phone else { return nil }
        let digits = phone.filter(\.isASCIIDigit)
        return digits.isEmpty ? nil : digits
    }
}

public struct Customers: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// Customers whose name, email or phone contains `text` (phone by digits, ignoring spaces and `+`), or whose
    /// phone is the number `text` in another written form (`030 450 0373` = `+49 30 4500373`, see `PhoneNumber`).
    public func find(_ text: String, limit: Int = 20) throws -> [Customer] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            return try store.read { db in
                try Customer.order(Column("name").collating(.nocase)).limit(limit).fetchAll(db)
            }
        }
        let like = "%" + escapeLike(trimmed) + "%"
        let digits = Customer.digits(of: trimmed)
        return try store.read { db in
            var sql = """
                SELECT * FROM customer
                WHERE name LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\'
                   OR (? IS NOT NULL AND length(?) >= 3 AND phone_digits LIKE '%' || ? || '%')
                """
            var arguments: StatementArguments = [like, like, digits, digits, digits]
            let countryCode = try StoreSettings.load(db).phoneCountryCode
            if let phone = PhoneNumber.condition(column: "phone_digits", text: trimmed, countryCode: countryCode) {
                sql += " OR " + phone.sql
                arguments += phone.arguments
            }
            return try Customer.fetchAll(db, sql: sql + " ORDER BY name COLLATE NOCASE LIMIT ?", arguments: arguments + [limit])
        }
    }

    public func all() throws -> [Customer] {
        try store.read { db in try Customer.order(Column("id")).fetchAll(db) }
    }
}

/// Escapes LIKE's wildcards so user text matches literally.
func escapeLike(_ text: String) -> String {
    var escaped = ""
    for character in text {
        if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
        escaped.append(character)
    }
    return escaped
}
