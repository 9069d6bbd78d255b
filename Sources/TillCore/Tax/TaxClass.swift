import GRDB

/// A named tax rate (standard, reduced, zero …). Rates are parts per million so 8.875 % is exact.
///
/// `ratePPM` is the class's OPENING rate, in force from the beginning until its first dated change; the rate in
/// force at a moment comes from `TaxRates` (the `tax_rate` table), never from this field.
public struct TaxClass: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "tax_class"
    public var id: Int64?
    public var code: String
    public var name: String
    public var ratePPM: Int64
    /// Archived classes stay for the record (sold lines name them) but cannot be chosen for products.
    public var active: Bool

    enum CodingKeys: String, CodingKey {
        case id, code, name, active
        case ratePPM = "rate_ppm"
    }

    public init(id: Int64? = nil, code: String, name: String, ratePPM: Int64, active: Bool = true) {
        self.id = id
        self.code = code
        self.name = name
        self.ratePPM = ratePPM
        self.active = active
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// `19`, `8.875`, `7%` → parts per million. Up to four decimals, 0–100 %.
    public static func parseRate(_ text: String) throws -> Int64 {
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.hasSuffix("%") { body.removeLast() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.count <= 2, let whole = Int64(parts[0]), whole >= 0,
              parts.count == 1 || (parts[1].count <= 4 && parts[1].allSatisfy(\.isASCIIDigit) && !parts[1].isEmpty)
        else {
            throw TillError.invalid("invalid tax rate \"\(text)\": expected a percentage such as 19 or 8.875")
        }
        let fractionDigits = parts.count == 2 ? String(parts[1]) : ""
        let fraction = Int64(fractionDigits + String(repeating: "0", count: 4 - fractionDigits.count)) ?? 0
        guard whole <= 100 else { throw TillError.invalid("invalid tax rate \"\(text)\": above 100 %") }
        let ppm = whole * 10_000 + fraction
        guard ppm <= 1_000_000 else { throw TillError.invalid("invalid tax rate \"\(text)\": above 100 %") }
        return ppm
    }

    /// `19`, `8.875` — the percentage in its shortest exact form.
    public static func formatRate(_ ppm: Int64) -> String {
        let whole = ppm / 10_000
        var fraction = String(ppm % 10_000)
        guard fraction != "0" else { return String(whole) }
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}
