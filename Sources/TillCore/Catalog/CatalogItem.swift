import GRDB

/// A sellable SKU with everything a till or a list needs about it: product name, price, tax, category and stock.
public struct CatalogItem: Equatable, Sendable, FetchableRecord, Identifiable {
    public var id: Int64 { variantID }
    public var variantID: Int64
    public var productID: Int64
    public var sku: String
    public var productName: String
    public var option: String
    public var price: Int64
    public var cost: Int64?
    public var unit: SaleUnit
    public var category: String?
    public var categoryID: Int64?
    public var taxClassCode: String
    public var taxRatePPM: Int64
    public var reorderPointMilli: Int64
    public var active: Bool
    /// Across every location.
    public var onHand: Quantity

    /// "Organic Cotton T-Shirt — M / Navy", or just the product name when it has no options.
    public var displayName: String { option.isEmpty ? productName : "\(productName) — \(option)" }

    public init(row: Row) {
        variantID = row["variant_id"]
        productID = row["product_id"]
        sku = row["sku"]
        productName = row["product_name"]
        option = row["option"]
        price = row["price"]
        cost = row["cost"]
        unit = SaleUnit(rawValue: row["unit"]) ?? .each
        category = row["category"]
        categoryID = row["category_id"]
        taxClassCode = row["tax_class"]
        taxRatePPM = row["tax_rate_ppm"]
        reorderPointMilli = row["reorder_point_milli"]
        active = row["active"]
        onHand = Quantity(milli: row["on_hand_milli"] ?? 0)
    }

    /// The SELECT list and joins every catalog query shares; callers add WHERE / ORDER BY / LIMIT.
    public static let selectSQL = "SELECT \(columnsSQL) FROM variant v \(joinsSQL)"

    /// `tax_rate_ppm` is the rate in force now (a sale reprices with the rate at the moment it is priced).
    public static let columnsSQL = """
        v.id AS variant_id, p.id AS product_id, v.sku, p.name AS product_name, v.option, v.price, v.cost,
               p.unit, c.name AS category, p.category_id, t.code AS tax_class,
               COALESCE(\(TaxRates.rateNowSQL(classID: "t.id")), t.rate_ppm) AS tax_rate_ppm, v.reorder_point_milli,
               (v.active AND p.active) AS active,
               (SELECT SUM(l.on_hand_milli) FROM stock_level l WHERE l.variant_id = v.id) AS on_hand_milli
        """

    public static let joinsSQL = """
        JOIN product p ON p.id = v.product_id
        JOIN tax_class t ON t.id = p.tax_class_id
        LEFT JOIN category c ON c.id = p.category_id

        """
}
