import Foundation
import GRDB

/// Something the shop sells that is not in the catalog (a gift wrap, a repair, a one-off), rung up at a price
/// typed at the till: `*4.50 Gift wrap`. It is a line of the store's "misc" SKU (the setting `misc_sku`), named
/// by what it is. Typing a price is a price override, so it needs `price_override` — the cashier's own or a
/// manager's approval inline — and the description is kept on the line and in the audit log as its reason.
public enum OpenPriceEntry {
    /// An SQL condition on `variant v`: not the store's open-price item, which carries no stock.
    static let notMiscSKU = "v.sku IS NOT (SELECT value FROM store_setting WHERE key = 'misc_sku')"

    /// The longest description a line takes (it is printed on the receipt).
    public static let descriptionLimit = 40

    /// `*PRICE [description]` read: nil when `text` is not an open-price entry (it does not start with `*`).
    public static func parse(_ text: String, currency: Currency) throws -> (price: Int64, description: String?)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("*") else { return nil }
        let rest = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
        let amount = rest.prefix { !$0.isWhitespace }
        guard !amount.isEmpty else {
            throw TillError.invalid("an open-price item is *PRICE and what it is, e.g. *4.50 Gift wrap")
        }
        let price = try MoneyParser(currency: currency).parse(String(amount)).minorUnits
        guard price > 0 else { throw TillError.invalidAmount(String(amount), reason: "an open-price item costs more than nothing") }
        let description = rest.dropFirst(amount.count).trimmingCharacters(in: .whitespaces)
        return (price, description.isEmpty ? nil : description)
    }
}

extension Carts {
    /// Adds an open-price line (see `OpenPriceEntry`) to the till's cart, creating the cart when there is none.
    public func addOpenPrice(price: Int64, description: String, _ ctx: TillContext) throws -> Cart {
        let date = ctx.now, staffID = ctx.staffID, approvedBy = ctx.approverID
        let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw TillError.invalid("say what the open-price item is (it is printed on the receipt)") }
        try CardNumberGuard.check(description, field: "the open-price item's description")
        guard description.count <= OpenPriceEntry.descriptionLimit else {
            throw TillError.invalid("an open-price item's description takes at most \(OpenPriceEntry.descriptionLimit) characters (this one has \(description.count))")
        }
        guard price > 0 else { throw TillError.invalid("an open-price item costs more than nothing") }
        return try store.write { db in
            let settings = try StoreSettings.load(db)
            guard let sku = settings.miscSKU else {
                throw TillError.invalid("this store has no open-price item: name its SKU with `till settings set misc_sku SKU`")
            }
            guard let item = try CatalogItem.fetchOne(db, sql: CatalogItem.selectSQL + " WHERE v.sku = ?", arguments: [sku]) else {
                throw TillError.notFound("the open-price item \(sku) (store setting misc_sku)")
            }
            guard let staffID, let member = try StaffMember.fetchOne(db, key: staffID), member.active else {
                throw TillError.permissionDenied("an open-price item needs a signed-in member who may change prices")
            }
            let authorizer = try Permissions.require(db, .priceOverride, staffID: staffID, approvedBy: approvedBy)
            let order = try Carts.openOrder(db, register: ctx.register, staffID: staffID, at: date)
            let orderID = order.id ?? 0
            let position = (try Int.fetchOne(db, sql: "SELECT MAX(position) FROM order_line WHERE order_id = ?",
                                             arguments: [orderID]) ?? 0) + 1
            var line = OrderLine(orderID: orderID, position: position, variantID: item.variantID, sku: item.sku,
                                 name: description, quantity: .one, unitPrice: price, discount: 0,
                                 taxClass: item.taxClassCode, taxRatePPM: item.taxRatePPM, tax: 0, total: 0)
            // Recorded as a price set at the till, by whom: it shows with the price overrides in the reports.
            line.originalPrice = item.price
            line.priceOverrideBy = authorizer.id
            line.categoryID = item.categoryID
            line.unitCost = item.cost
            try line.insert(db)
            try AuditLog.record(db, action: "line.open_price", entity: "order", entityID: orderID, before: nil,
                                after: ["sku": item.sku, "price": String(price), "description": description],
                                staffID: staffID,
                                note: authorizer.id == member.id ? description : "\(description); approved by \(authorizer.username)",
                                at: date)
            return try Carts.reprice(db, orderID: orderID, at: date)
        }
    }
}
