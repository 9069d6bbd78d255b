import Foundation
import GRDB

/// One delivery booked in: its reference (delivery note or purchase order), the supplier when one was named,
/// where it went, who and when. The stock itself is in the ledger (`receive:REF` movements); this row is what
/// lets a reference booked twice be recognised.
public struct StockReceipt: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "stock_receipt"

    public var id: Int64?
    public var reference: String
    /// nil: no supplier named (receipts from before suppliers were recorded are nil too).
    public var supplier: String?
    public var locationID: Int64
    public var staffID: Int64?
    /// Received with `--again` although the same reference and supplier were already in.
    public var again: Bool
    public var receivedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, reference, supplier, again
        case locationID = "location_id"
        case staffID = "staff_id"
        case receivedAt = "received_at"
    }

    public init(id: Int64? = nil, reference: String, supplier: String?, locationID: Int64, staffID: Int64?,
                again: Bool, receivedAt: Date) {
        self.id = id
        self.reference = reference
        self.supplier = supplier
        self.locationID = locationID
        self.staffID = staffID
        self.again = again
        self.receivedAt = receivedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// How often this reference was received from this supplier (`IS` matches no supplier with no supplier).
    /// References and supplier names compare without case: `dn-1001` is the note `DN-1001`.
    static func count(_ db: Database, reference: String, supplier: String?) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM stock_receipt WHERE reference = ? COLLATE NOCASE AND supplier IS ? COLLATE NOCASE
            """, arguments: [reference, supplier]) ?? 0
    }
}
