import GRDB

/// How an item is counted: one at a time, or weighed.
public enum SaleUnit: String, Codable, Sendable, CaseIterable {
    case each
    case kg
}

/// What the shop sells, as customers name it ("Organic Cotton T-Shirt"). The sellable SKUs are its variants;
/// a product without options has exactly one.
public struct Product: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "product"
    public var id: Int64?
    /// A stable key that groups variants in files (Shopify's "Handle").
    public var handle: String
    public var name: String
    public var categoryID: Int64?
    public var taxClassID: Int64
    public var unit: SaleUnit
    public var active: Bool

    enum CodingKeys: String, CodingKey {
        case id, handle, name, unit, active
        case categoryID = "category_id"
        case taxClassID = "tax_class_id"
    }

    public init(id: Int64? = nil, handle: String, name: String, categoryID: Int64?, taxClassID: Int64,
                unit: SaleUnit = .each, active: Bool = true) {
        self.id = id
        self.handle = handle
        self.name = name
        self.categoryID = categoryID
        self.taxClassID = taxClassID
        self.unit = unit
        self.active = active
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One sellable SKU: its own price, cost, barcodes and stock.
public struct Variant: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "variant"
    public var id: Int64?
    public var productID: Int64
    public var sku: String
    /// "M / Navy"; empty for a product without options.
    public var option: String
    /// Shelf price in minor units of the store currency (tax included in a tax-inclusive store).
    public var price: Int64
    public var cost: Int64?
    public var reorderPointMilli: Int64
    public var active: Bool
    public var position: Int

    enum CodingKeys: String, CodingKey {
        case id, sku, option, price, cost, active, position
        case productID = "product_id"
        case reorderPointMilli = "reorder_point_milli"
    }

    public init(id: Int64? = nil, productID: Int64, sku: String, option: String = "", price: Int64, cost: Int64? = nil,
                reorderPointMilli: Int64 = 0, active: Bool = true, position: Int = 0) {
        self.id = id
        self.productID = productID
        self.sku = sku
        self.option = option
        self.price = price
        self.cost = cost
        self.reorderPointMilli = reorderPointMilli
        self.active = active
        self.position = position
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One GTIN of a variant, kept in its GTIN-14 form (`Barcode.gtin14`), unique across the catalog. A unit's own
/// barcode has a pack quantity of 1; a case code stands for `packQuantity` units.
public struct BarcodeRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "barcode"
    public var code: String
    public var variantID: Int64
    public var packQuantity: Int64

    enum CodingKeys: String, CodingKey {
        case code
        case variantID = "variant_id"
        case packQuantity = "pack_quantity"
    }

    public init(code: String, variantID: Int64, packQuantity: Int64 = 1) {
        self.code = code
        self.variantID = variantID
        self.packQuantity = packQuantity
    }
}
