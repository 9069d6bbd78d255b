/// One line as the pricing needs it: what it is, how many, at what shelf price, taxed how.
public struct PricingLine: Equatable, Sendable {
    public var variantID: Int64
    public var sku: String
    public var name: String
    public var quantity: Quantity
    public var unitPrice: Int64
    public var taxClassCode: String
    public var taxRatePPM: Int64
    public var discount: Discount?
    /// Taken off by an automatic promotion before any manual discount.
    public var promotionDiscount: Int64 = 0
    public var promotionName: String?

    public init(variantID: Int64, sku: String, name: String, quantity: Quantity, unitPrice: Int64,
                taxClassCode: String, taxRatePPM: Int64, discount: Discount? = nil) {
        self.variantID = variantID
        self.sku = sku
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.taxClassCode = taxClassCode
        self.taxRatePPM = taxRatePPM
        self.discount = discount
    }

    public init(item: CatalogItem, quantity: Quantity, discount: Discount? = nil) {
        self.init(variantID: item.variantID, sku: item.sku, name: item.displayName, quantity: quantity,
                  unitPrice: item.price, taxClassCode: item.taxClassCode, taxRatePPM: item.taxRatePPM,
                  discount: discount)
    }
}

public struct PricedLine: Equatable, Sendable {
    public var line: PricingLine
    /// unit price × quantity, before any discount.
    public var gross: Int64
    /// The line's own discount plus its share of the order discount.
    public var discount: Int64
    /// What the customer pays for this line, in the store's price convention (tax included when inclusive).
    public var total: Int64
    /// This line's share of its tax class's tax.
    public var tax: Int64
}

public struct TaxBreakdown: Equatable, Sendable {
    public var taxClassCode: String
    public var ratePPM: Int64
    /// The amount the tax is charged on (net of tax).
    public var net: Int64
    public var tax: Int64
}

/// A sale's money, worked out. Invariants (tested): `total == Σ line.total + (inclusive ? 0 : taxTotal)`,
/// `taxTotal == Σ breakdown.tax == Σ line.tax`, `discountTotal == Σ line.discount`.
public struct PricedSale: Equatable, Sendable {
    public var currency: Currency
    public var taxInclusive: Bool
    public var lines: [PricedLine]
    public var subtotal: Int64
    public var discountTotal: Int64
    public var taxTotal: Int64
    public var total: Int64
    public var taxes: [TaxBreakdown]
}

/// The till's arithmetic, in one place.
///
/// Rounding rule (documented in the README, checked against hand-worked examples in the tests):
/// 1. A line's gross is unit price × quantity, rounded half away from zero to the minor unit (weighed goods).
/// 2. An automatic promotion comes off a line first (never more than the line); a manual line discount then
///    applies to what is left, a percentage rounded the same way; an order discount is then shared over the lines in
///    proportion to their amounts, largest remainder first, so the shares add up to it exactly.
/// 3. Tax is computed ONCE PER TAX CLASS on the sum of that class's line amounts, rounded half away from zero:
///    exclusive prices: tax = base × rate; inclusive prices: tax = base × rate ÷ (1 + rate).
///    Each class's tax is then shared over its lines (largest remainder) for per-line reporting.
/// Rounding per class rather than per line is what EU VAT invoices and US sales-tax receipts show, and it
/// stops a basket of many cheap lines from drifting by a cent per line.
public enum SalePricing {
    /// Rule 3's tax on one amount: exclusive prices base × rate; inclusive prices base × rate ÷ (1 + rate),
    /// rounded half away from zero. Also how a margin takes the tax out of a shelf price.
    public static func tax(on base: Int64, ratePPM: Int64, taxInclusive: Bool) throws -> Int64 {
        taxInclusive
            ? try scaleRoundingHalfAwayFromZero(base, times: ratePPM, over: 1_000_000 + ratePPM)
            : try scaleRoundingHalfAwayFromZero(base, times: ratePPM, over: 1_000_000)
    }

    public static func price(_ lines: [PricingLine], orderDiscount: Discount? = nil, taxInclusive: Bool,
                             currency: Currency) throws -> PricedSale {
        var grosses: [Int64] = []
        var afterLineDiscount: [Int64] = []
        var lineDiscounts: [Int64] = []
        for line in lines {
            guard line.quantity.milli > 0 else {
                throw TillError.invalidQuantity(line.quantity.description, reason: "\(line.sku): quantity must be above 0")
            }
            guard line.unitPrice >= 0 else { throw TillError.invalid("\(line.sku): negative price") }
            let gross = try scaleRoundingHalfAwayFromZero(line.unitPrice, times: line.quantity.milli, over: Quantity.scale)
            // A promotion comes off first; a manual discount then applies to what is left.
            let promoted = gross - min(max(0, line.promotionDiscount), gross)
            let off = (gross - promoted) + (try line.discount?.amountOff(promoted) ?? 0)
            grosses.append(gross)
            lineDiscounts.append(off)
            afterLineDiscount.append(gross - off)
        }
        let beforeOrderDiscount = try afterLineDiscount.reduce(Int64(0)) { try checkedAdd($0, $1, "sale total") }
        let orderOff = try orderDiscount?.amountOff(beforeOrderDiscount) ?? 0
        let orderShares = try allocate(orderOff, byWeights: afterLineDiscount)
        let totals = zip(afterLineDiscount, orderShares).map { $0 - $1 }

        // Tax per class, in the order classes first appear.
        var classOrder: [String] = []
        var classLines: [String: [Int]] = [:]
        for (index, line) in lines.enumerated() {
            let key = "\(line.taxClassCode)\u{0}\(line.taxRatePPM)"
            if classLines[key] == nil { classOrder.append(key) }
            classLines[key, default: []].append(index)
        }
        var lineTax = [Int64](repeating: 0, count: lines.count)
        var taxes: [TaxBreakdown] = []
        for key in classOrder {
            let indexes = classLines[key] ?? []
            let first = lines[indexes[0]]
            let base = indexes.reduce(Int64(0)) { $0 + totals[$1] }
            let tax = try tax(on: base, ratePPM: first.taxRatePPM, taxInclusive: taxInclusive)
            let shares = try allocate(tax, byWeights: indexes.map { totals[$0] })
            for (index, share) in zip(indexes, shares) { lineTax[index] = share }
            taxes.append(TaxBreakdown(taxClassCode: first.taxClassCode, ratePPM: first.taxRatePPM,
                                      net: taxInclusive ? base - tax : base, tax: tax))
        }

        let priced = lines.indices.map { index in
            PricedLine(line: lines[index], gross: grosses[index], discount: lineDiscounts[index] + orderShares[index],
                       total: totals[index], tax: lineTax[index])
        }
        let subtotal = try grosses.reduce(Int64(0)) { try checkedAdd($0, $1, "subtotal") }
        let taxTotal = taxes.reduce(Int64(0)) { $0 + $1.tax }
        let lineSum = totals.reduce(Int64(0), +)
        let total = taxInclusive ? lineSum : try checkedAdd(lineSum, taxTotal, "total")
        return PricedSale(currency: currency, taxInclusive: taxInclusive, lines: priced, subtotal: subtotal,
                          discountTotal: lineDiscounts.reduce(0, +) + orderOff, taxTotal: taxTotal, total: total,
                          taxes: taxes)
    }
}
