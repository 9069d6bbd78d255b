import Foundation
import GRDB

/// Someone the store buys stock from. `code` is the short handle staff type (`ACME`); lead time is the days
/// from sending a purchase order to the goods arriving, which the suggested order quantity has to cover.
public struct Supplier: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "supplier"

    public var id: Int64?
    public var code: String
    public var name: String
    public var contact: String
    public var email: String
    public var phone: String
    public var leadTimeDays: Int
    /// Payment terms as agreed ("Net 30", "prepaid"): printed on the purchase order.
    public var terms: String
    public var active: Bool
    public var createdAt: Date

    public enum Columns {
        static let code = Column(CodingKeys.code)
    }

    enum CodingKeys: String, CodingKey {
        case id, code, name, contact, email, phone, terms, active
        case leadTimeDays = "lead_time_days"
        case createdAt = "created_at"
    }

    public init(id: Int64? = nil, code: String, name: String, contact: String = "", email: String = "", phone: String = "",
                leadTimeDays: Int = 7, terms: String = "", active: Bool = true, createdAt: Date) {
        self.id = id
        self.code = code
        self.name = name
        self.contact = contact
        self.email = email
        self.phone = phone
        self.leadTimeDays = leadTimeDays
        self.terms = terms
        self.active = active
        self.createdAt = createdAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The supplier with this code (any case), or a not-found error naming it.
    static func named(_ db: Database, code: String) throws -> Supplier {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard let supplier = try Supplier.filter(Columns.code.collating(.nocase) == code).fetchOne(db) else {
            throw TillError.notFound("supplier \(code) (till supplier list shows them)")
        }
        return supplier
    }
}

/// What one supplier sells the store of one SKU.
public struct SupplierItem: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "supplier_item"

    public var supplierID: Int64
    public var variantID: Int64
    /// The supplier's own code for it, which their order form and invoice use.
    public var itemCode: String
    /// Units in the case it is ordered by: order quantities are rounded up to whole cases.
    public var caseSizeMilli: Int64
    /// Per unit, from the last delivery received from this supplier (or as entered).
    public var lastCost: Int64?

    enum CodingKeys: String, CodingKey {
        case supplierID = "supplier_id"
        case variantID = "variant_id"
        case itemCode = "item_code"
        case caseSizeMilli = "case_size_milli"
        case lastCost = "last_cost"
    }

    public init(supplierID: Int64, variantID: Int64, itemCode: String = "", caseSizeMilli: Int64 = Quantity.scale, lastCost: Int64? = nil) {
        self.supplierID = supplierID
        self.variantID = variantID
        self.itemCode = itemCode
        self.caseSizeMilli = caseSizeMilli
        self.lastCost = lastCost
    }

    public var caseSize: Quantity { Quantity(milli: caseSizeMilli) }
}

/// A supplier as listed: with how many SKUs it supplies and its purchase orders still open.
public struct SupplierRow: Equatable, Sendable {
    public var supplier: Supplier
    public var items: Int
    public var openOrders: Int
}

/// One SKU a supplier supplies, as `till supplier show` lists it.
public struct SupplierItemRow: Equatable, Sendable {
    public var sku: String
    public var name: String
    public var item: SupplierItem
}
