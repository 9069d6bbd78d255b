import Foundation
import GRDB

public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case open
    case parked
    case completed
    case voided
    case partiallyRefunded = "partially_refunded"
    case refunded
}

public struct Order: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord, Identifiable {
    public static let databaseTableName = "orders"
    public var id: Int64?
    /// Human-friendly, sequential per store, given when the sale completes (open and parked carts have none).
    public var number: Int64?
    public var status: OrderStatus
    public var customerID: Int64?
    public var staffID: Int64?
    public var currency: String
    public var taxInclusive: Bool
    public var subtotal: Int64
    public var discountTotal: Int64
    public var taxTotal: Int64
    public var total: Int64
    public var createdAt: Date
    public var completedAt: Date?
    public var note: String
    /// Which till the cart belongs to (several tills may share one store file).
    public var register: String = "main"
    /// The order discount as the cashier entered it (`Discount.storageValue`), so repricing keeps it.
    public var discountSpec: String?
    public var discountReason: String?
    public var updatedAt: Date?
    /// The idempotency key of a card payment that may have reached the gateway; reused on retry.
    public var paymentAttemptKey: String?
    /// Cash rounding: paid above (+) or below (−) `total` when cash settled it; payments = total + this.
    public var cashRounding: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case id, number, status, currency, subtotal, total, note, register
        case discountSpec = "discount_spec"
        case discountReason = "discount_reason"
        case updatedAt = "updated_at"
        case paymentAttemptKey = "payment_attempt_key"
        case cashRounding = "cash_rounding"
        case customerID = "customer_id"
        case staffID = "staff_id"
        case taxInclusive = "tax_inclusive"
        case discountTotal = "discount_total"
        case taxTotal = "tax_total"
        case createdAt = "created_at"
        case completedAt = "completed_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The completed order with this number, or a "not found" naming it.
    static func numbered(_ db: Database, _ number: Int64) throws -> Order {
        guard let order = try Order.fetchOne(db.cachedStatement(sql: "SELECT * FROM orders WHERE number = ?"), arguments: [number]) else {
            throw TillError.notFound("order #\(number)")
        }
        return order
    }
}

public struct OrderLine: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "order_line"
    public var id: Int64?
    public var orderID: Int64
    public var position: Int
    public var variantID: Int64
    /// SKU and name as they were when sold, so later catalog edits do not rewrite history.
    public var sku: String
    public var name: String
    public var quantity: Quantity
    public var unitPrice: Int64
    public var discount: Int64
    public var taxClass: String
    public var taxRatePPM: Int64
    public var tax: Int64
    public var total: Int64
    /// The line discount as entered (`Discount.storageValue`) and why.
    public var discountSpec: String?
    public var discountReason: String?
    /// The automatic promotion on this line, and how much of `discount` it gave.
    public var promotion: String?
    public var promotionDiscount: Int64 = 0
    /// Set when the price was changed at the till: the shelf price and the staff member who allowed it.
    public var originalPrice: Int64?
    public var priceOverrideBy: Int64?
    /// The item's category and cost when it was sold.
    public var categoryID: Int64?
    public var unitCost: Int64?

    enum CodingKeys: String, CodingKey {
        case id, position, sku, name, discount, tax, total, promotion
        case promotionDiscount = "promotion_discount"
        case originalPrice = "original_price"
        case priceOverrideBy = "price_override_by"
        case categoryID = "category_id"
        case unitCost = "unit_cost"
        case discountSpec = "discount_spec"
        case discountReason = "discount_reason"
        case orderID = "order_id"
        case variantID = "variant_id"
        case quantityMilli = "quantity_milli"
        case unitPrice = "unit_price"
        case taxClass = "tax_class"
        case taxRatePPM = "tax_rate_ppm"
    }

    public init(id: Int64? = nil, orderID: Int64, position: Int, variantID: Int64, sku: String, name: String,
                quantity: Quantity, unitPrice: Int64, discount: Int64, taxClass: String, taxRatePPM: Int64,
                tax: Int64, total: Int64) {
        self.id = id
        self.orderID = orderID
        self.position = position
        self.variantID = variantID
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.discount = discount
        self.taxClass = taxClass
        self.taxRatePPM = taxRatePPM
        self.tax = tax
        self.total = total
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Int64.self, forKey: .id)
        orderID = try c.decode(Int64.self, forKey: .orderID)
        position = try c.decode(Int.self, forKey: .position)
        variantID = try c.decode(Int64.self, forKey: .variantID)
        sku = try c.decode(String.self, forKey: .sku)
        name = try c.decode(String.self, forKey: .name)
        quantity = Quantity(milli: try c.decode(Int64.self, forKey: .quantityMilli))
        unitPrice = try c.decode(Int64.self, forKey: .unitPrice)
        discount = try c.decode(Int64.self, forKey: .discount)
        taxClass = try c.decode(String.self, forKey: .taxClass)
        taxRatePPM = try c.decode(Int64.self, forKey: .taxRatePPM)
        tax = try c.decode(Int64.self, forKey: .tax)
        total = try c.decode(Int64.self, forKey: .total)
        discountSpec = try c.decodeIfPresent(String.self, forKey: .discountSpec)
        discountReason = try c.decodeIfPresent(String.self, forKey: .discountReason)
        promotion = try c.decodeIfPresent(String.self, forKey: .promotion)
        promotionDiscount = try c.decodeIfPresent(Int64.self, forKey: .promotionDiscount) ?? 0
        originalPrice = try c.decodeIfPresent(Int64.self, forKey: .originalPrice)
        priceOverrideBy = try c.decodeIfPresent(Int64.self, forKey: .priceOverrideBy)
        categoryID = try c.decodeIfPresent(Int64.self, forKey: .categoryID)
        unitCost = try c.decodeIfPresent(Int64.self, forKey: .unitCost)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(orderID, forKey: .orderID)
        try c.encode(position, forKey: .position)
        try c.encode(variantID, forKey: .variantID)
        try c.encode(sku, forKey: .sku)
        try c.encode(name, forKey: .name)
        try c.encode(quantity.milli, forKey: .quantityMilli)
        try c.encode(unitPrice, forKey: .unitPrice)
        try c.encode(discount, forKey: .discount)
        try c.encode(taxClass, forKey: .taxClass)
        try c.encode(taxRatePPM, forKey: .taxRatePPM)
        try c.encode(tax, forKey: .tax)
        try c.encode(total, forKey: .total)
        try c.encodeIfPresent(discountSpec, forKey: .discountSpec)
        try c.encodeIfPresent(discountReason, forKey: .discountReason)
        try c.encodeIfPresent(promotion, forKey: .promotion)
        try c.encode(promotionDiscount, forKey: .promotionDiscount)
        try c.encodeIfPresent(originalPrice, forKey: .originalPrice)
        try c.encodeIfPresent(priceOverrideBy, forKey: .priceOverrideBy)
        try c.encodeIfPresent(categoryID, forKey: .categoryID)
        try c.encodeIfPresent(unitCost, forKey: .unitCost)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
