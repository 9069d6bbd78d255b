import GRDB

/// Everything the product screen shows about one SKU: its product's other variants, its barcodes, stock per
/// location and its latest stock movements.
public struct ProductDetail: Equatable, Sendable {
    public var item: CatalogItem
    public var variants: [CatalogItem]
    /// Its own barcodes, in their printed (short) form.
    public var barcodes: [String]
    public var stock: [LocationStock]
    public var movements: [MovementRow]
    /// Codes on its cases, each with the units it stands for.
    public var caseBarcodes: [CaseBarcode] = []
}

public struct LocationStock: Equatable, Sendable {
    public var locationCode: String
    public var locationName: String
    public var onHand: Quantity
}

extension Catalog {
    public func detail(variantID: Int64, movementLimit: Int = 10) throws -> ProductDetail {
        let inventory = Inventory(store: store)
        return try store.read { db in
            guard let item = try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.id = ?",
                                                      arguments: [variantID]) else {
                throw TillError.notFound("item #\(variantID)")
            }
            let variants = try CatalogItem.fetchAll(db, sql: CatalogItem.selectSQL + " WHERE p.id = ? ORDER BY v.position, v.id",
                                                    arguments: [item.productID])
            let barcodes = try Catalog.barcodes(db, variantID: variantID)
            let stock = try Row.fetchAll(db, sql: """
                SELECT loc.code, loc.name, COALESCE(l.on_hand_milli, 0) AS on_hand
                FROM location loc LEFT JOIN stock_level l ON l.location_id = loc.id AND l.variant_id = ?
                ORDER BY loc.id
                """, arguments: [variantID]).map {
                LocationStock(locationCode: $0["code"], locationName: $0["name"], onHand: Quantity(milli: $0["on_hand"]))
            }
            let movements = try inventory.movements(db, variantID: variantID, limit: movementLimit)
            return ProductDetail(item: item, variants: variants, barcodes: barcodes.units, stock: stock, movements: movements,
                                 caseBarcodes: barcodes.cases)
        }
    }
}
