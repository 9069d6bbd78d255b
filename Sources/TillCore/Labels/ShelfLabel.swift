import Foundation
import GRDB

/// What a shelf-edge (or item) label says about one SKU: its name, the price in force now — a promotion's, when
/// one applies, worked out by the register's own promotion code — the unit price per kg, l or m, and its barcode.
public struct ShelfLabel: Equatable, Sendable {
    public var variantID: Int64
    public var sku: String
    public var name: String
    public var option: String
    public var category: String?
    public var currency: Currency
    public var unit: SaleUnit
    /// The catalog's shelf price (per kg for goods sold by weight).
    public var price: Int64
    /// One unit (one kg) under the promotion in force, when that is lower than `price`.
    public var promotionPrice: Int64?
    /// The promotion the label announces: the one in force on a single unit, or a deal on several ("3 for 20.00").
    public var promotion: String?
    public var content: ContentSize?
    public var barcode: LabelBarcode?

    public init(variantID: Int64, sku: String, name: String, option: String = "", category: String? = nil,
                currency: Currency, unit: SaleUnit = .each, price: Int64, promotionPrice: Int64? = nil,
                promotion: String? = nil, content: ContentSize? = nil, barcode: LabelBarcode? = nil) {
        self.variantID = variantID
        self.sku = sku
        self.name = name
        self.option = option
        self.category = category
        self.currency = currency
        self.unit = unit
        self.price = price
        self.promotionPrice = promotionPrice
        self.promotion = promotion
        self.content = content
        self.barcode = barcode
    }

    /// What one unit (one kg) costs now.
    public var priceNow: Int64 { promotionPrice ?? price }

    public var displayName: String { option.isEmpty ? name : "\(name) — \(option)" }

    /// The price per base unit of what is charged now: the price itself for goods sold by weight, else from the
    /// content; nil without a content (or when it would not fit).
    public var unitPrice: UnitPrice? {
        if unit == .kg { return UnitPrice(amount: priceNow, unit: .kg) }
        guard let content, let amount = try? content.unitPrice(of: priceNow) else { return nil }
        return UnitPrice(amount: amount, unit: content.unit)
    }

    func money(_ amount: Int64) -> String { Money(minorUnits: amount, currency: currency).formatted() }

    /// `€2.49`, or `€2.49 / kg` for goods sold by weight.
    public var priceText: String { money(priceNow) + (unit == .kg ? " / kg" : "") }

    /// `was €2.49` under a promotion that lowers the price; nil otherwise.
    public var wasText: String? { promotionPrice.map { _ in "was " + money(price) + (unit == .kg ? " / kg" : "") } }

    /// `750 ml (1 l = €3.32)`; nil for goods sold by weight (their price already is per kg) or without a content.
    public var unitPriceText: String? {
        guard unit != .kg, let content, let unitPrice else { return nil }
        return "\(content) (1 \(unitPrice.unit.rawValue) = \(money(unitPrice.amount)))"
    }

    /// Text as one line of a label: line breaks, tabs and control characters become spaces (a name from a file
    /// may hold them; on a printer they would break the layout or be taken as commands).
    static func oneLine(_ text: String) -> String {
        var out = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let blank = scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
            if blank {
                if !lastWasSpace && !out.isEmpty { out.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        while out.hasSuffix(" ") { out.removeLast() }
        return out
    }
}

extension ShelfLabel {
    /// The labels of these variants as they stand at `date`, in the order asked (unknown ids are left out).
    static func build(_ db: Database, variantIDs: [Int64], at date: Date) throws -> [ShelfLabel] {
        guard !variantIDs.isEmpty else { return [] }
        let currency = try StoreSettings.load(db).currency
        let promotions = try Promotion.active(db, at: date)
        var labels: [ShelfLabel] = []
        for variantID in variantIDs {
            guard let item = try CatalogItem.fetchOne(db.cachedStatement(sql: CatalogItem.selectSQL + " WHERE v.id = ?"),
                                                      arguments: [variantID]) else { continue }
            let extra = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT v.content_milli, v.content_unit,
                       (SELECT code FROM barcode WHERE variant_id = v.id AND pack_quantity = 1 ORDER BY rowid LIMIT 1) AS code
                FROM variant v WHERE v.id = ?
                """), arguments: [variantID])
            let milli: Int64? = extra?["content_milli"], contentUnit: String? = extra?["content_unit"], code: String? = extra?["code"]
            let content = ContentSize(milli: milli, unit: contentUnit)
            var label = ShelfLabel(variantID: item.variantID, sku: item.sku, name: oneLine(item.productName),
                                   option: oneLine(item.option), category: item.category, currency: currency,
                                   unit: item.unit, price: item.price, content: item.unit == .kg ? nil : content,
                                   barcode: LabelBarcode.choose(code.map(Barcode.display) ?? item.sku))
            // The register's rule, on one unit (one kg): the promotion that saves most, if any takes something off.
            let one = PricingLine(item: item, quantity: .one)
            let single = try Promotion.best(for: [one], categories: [item.categoryID], promotions: promotions)[0]
            if single.promotionDiscount > 0 {
                label.promotionPrice = item.price - single.promotionDiscount
                label.promotion = single.promotionName.map(oneLine)
            } else {
                // A deal on several units does not change one unit's price; the label still names it — the one that
                // saves most a unit when bought as it asks (the lower id on a tie, as the register breaks ties).
                var best: (saving: Int64, quantity: Int64, name: String)?
                for promotion in promotions where promotion.dealQuantity > 1
                    && promotion.covers(variantID: item.variantID, categoryID: item.categoryID) {
                    var deal = one
                    deal.quantity = Quantity.units(promotion.dealQuantity)
                    let saving = try Promotion.best(for: [deal], categories: [item.categoryID], promotions: [promotion])[0].promotionDiscount
                    guard saving > 0 else { continue }
                    if let current = best, saving * current.quantity <= current.saving * promotion.dealQuantity { continue }
                    best = (saving, promotion.dealQuantity, promotion.name)
                }
                label.promotion = best.map { oneLine($0.name) }
            }
            labels.append(label)
        }
        return labels
    }
}

extension ContentSize {
    /// A variant's content, as the catalog keeps it.
    static func fetch(_ db: Database, variantID: Int64) throws -> ContentSize? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT content_milli, content_unit FROM variant WHERE id = ?"),
                                         arguments: [variantID]) else { return nil }
        return ContentSize(milli: row["content_milli"] as Int64?, unit: row["content_unit"] as String?)
    }

    /// From the catalog's two columns; nil unless both hold a value this Till knows.
    init?(milli: Int64?, unit: String?) {
        guard let milli, milli > 0, let unit = unit.flatMap(Unit.init(rawValue:)) else { return nil }
        self.init(milli: milli, unit: unit)
    }
}
