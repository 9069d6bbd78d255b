import Foundation
import GRDB

/// Why stock changed. Stored as the raw value; the list is fixed by a CHECK in the schema.
public enum StockReason: String, Codable, Sendable, CaseIterable {
    case initial
    case sale
    case refund
    case void
    case received
    case damaged
    case shrinkage
    case count
    case transfer
    case returnToVendor = "return_to_vendor"
    case `import`
    case other
}

/// One row of the append-only stock ledger. On-hand at a location is the sum of its deltas.
public struct StockMovement: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "stock_movement"
    public var id: Int64?
    public var variantID: Int64
    public var locationID: Int64
    public var delta: Quantity
    public var reason: StockReason
    public var staffID: Int64?
    /// What caused it: `order:1042`, a delivery note, an import file.
    public var reference: String?
    public var note: String?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, reason, reference, note
        case variantID = "variant_id"
        case locationID = "location_id"
        case deltaMilli = "delta_milli"
        case staffID = "staff_id"
        case createdAt = "created_at"
    }

    public init(id: Int64? = nil, variantID: Int64, locationID: Int64, delta: Quantity, reason: StockReason,
                staffID: Int64? = nil, reference: String? = nil, note: String? = nil, createdAt: Date) {
        self.id = id
        self.variantID = variantID
        self.locationID = locationID
        self.delta = delta
        self.reason = reason
        self.staffID = staffID
        self.reference = reference
        self.note = note
        self.createdAt = createdAt
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int64.self, forKey: .id)
        variantID = try container.decode(Int64.self, forKey: .variantID)
        locationID = try container.decode(Int64.self, forKey: .locationID)
        delta = Quantity(milli: try container.decode(Int64.self, forKey: .deltaMilli))
        reason = try container.decode(StockReason.self, forKey: .reason)
        staffID = try container.decodeIfPresent(Int64.self, forKey: .staffID)
        reference = try container.decodeIfPresent(String.self, forKey: .reference)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(variantID, forKey: .variantID)
        try container.encode(locationID, forKey: .locationID)
        try container.encode(delta.milli, forKey: .deltaMilli)
        try container.encode(reason, forKey: .reason)
        try container.encodeIfPresent(staffID, forKey: .staffID)
        try container.encodeIfPresent(reference, forKey: .reference)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encode(createdAt, forKey: .createdAt)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
