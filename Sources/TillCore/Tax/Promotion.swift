import Foundation
import GRDB

/// An automatic promotion. Which lines it covers and how much it takes off is worked out by `best(for:)`.
public struct Promotion: Equatable, Sendable {
    public enum Rule: Equatable, Sendable {
        /// Percent off everything in a category.
        case categoryPercent(categoryID: Int64, basisPoints: Int64)
        /// Buy `buy`, get `free` more of the same item free (buy 2 get 1: every third is free).
        case buyXGetY(variantID: Int64, buy: Int64, free: Int64)
        /// `quantity` of the same item for `price` ("3 for 10.00").
        case multiBuy(variantID: Int64, quantity: Int64, price: Int64)
    }

    public var id: Int64
    public var name: String
    public var rule: Rule

    public init(id: Int64, name: String, rule: Rule) {
        self.id = id
        self.name = name
        self.rule = rule
    }

    /// What this promotion takes off one line, or nil when it does not apply.
    func discount(on line: PricingLine, categoryID: Int64?, gross: Int64) throws -> Int64? {
        switch rule {
        case let .categoryPercent(category, basisPoints):
            guard categoryID == category else { return nil }
            return try scaleRoundingHalfAwayFromZero(gross, times: basisPoints, over: 10_000)
        case let .buyXGetY(variant, buy, free):
            guard line.variantID == variant, line.quantity.isWhole else { return nil }
            let units = line.quantity.milli / Quantity.scale
            let freeUnits = units / (buy + free) * free
            return freeUnits > 0 ? try checkedMultiply(freeUnits, line.unitPrice, "promotion") : nil
        case let .multiBuy(variant, quantity, price):
            guard line.variantID == variant, line.quantity.isWhole else { return nil }
            let bundles = line.quantity.milli / Quantity.scale / quantity
            let saving = try checkedMultiply(quantity, line.unitPrice, "promotion") - price
            return bundles > 0 && saving > 0 ? try checkedMultiply(bundles, saving, "promotion") : nil
        }
    }

    /// The best promotion for each line: promotions never stack on one line, and when several apply the one
    /// that saves the customer most wins (the lower id on a tie), so the result never depends on order.
    public static func best(for lines: [PricingLine], categories: [Int64?], promotions: [Promotion]) throws -> [PricingLine] {
        var result = lines
        for index in lines.indices {
            let line = lines[index]
            let gross = try scaleRoundingHalfAwayFromZero(line.unitPrice, times: line.quantity.milli, over: Quantity.scale)
            var best: (amount: Int64, promotion: Promotion)?
            for promotion in promotions.sorted(by: { $0.id < $1.id }) {
                guard let amount = try promotion.discount(on: line, categoryID: categories[index], gross: gross) else { continue }
                let capped = min(amount, gross)
                if capped > (best?.amount ?? 0) { best = (capped, promotion) }
            }
            result[index].promotionDiscount = best?.amount ?? 0
            result[index].promotionName = best?.promotion.name
        }
        return result
    }

    /// Applies the store's promotions in force at `date` to priced lines.
    static func apply(_ db: Database, to lines: [PricingLine], at date: Date) throws -> [PricingLine] {
        let promotions = try active(db, at: date)
        guard !promotions.isEmpty else { return lines }
        // One query for the whole cart: this runs on every scan.
        let ids = Array(Set(lines.map(\.variantID)))
        var categoryOf: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT v.id, p.category_id FROM variant v JOIN product p ON p.id = v.product_id
            WHERE v.id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments(ids)) {
            if let category: Int64 = row["category_id"] { categoryOf[row["id"]] = category }
        }
        return try best(for: lines, categories: lines.map { categoryOf[$0.variantID] }, promotions: promotions)
    }

    /// The promotions in force at `date`: active, and within their time window when they have one (schema
    /// `v19-labels`; a promotion without times runs while it is active).
    public static func active(_ db: Database, at date: Date) throws -> [Promotion] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM promotion
            WHERE active AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?) ORDER BY id
            """), arguments: [date, date]).compactMap { row in
            let id: Int64 = row["id"]
            let name: String = row["name"]
            switch row["kind"] as String {
            case "category_percent":
                return Promotion(id: id, name: name, rule: .categoryPercent(categoryID: row["category_id"], basisPoints: row["percent_bp"]))
            case "buy_x_get_y":
                return Promotion(id: id, name: name, rule: .buyXGetY(variantID: row["variant_id"], buy: row["buy_quantity"], free: row["free_quantity"]))
            case "multi_buy":
                return Promotion(id: id, name: name, rule: .multiBuy(variantID: row["variant_id"], quantity: row["bundle_quantity"], price: row["bundle_price"]))
            default:
                return nil
            }
        }
    }
}

extension Promotion {
    /// Whether this promotion can apply to a line of this item (its SKU, or its category).
    public func covers(variantID: Int64, categoryID: Int64?) -> Bool {
        switch rule {
        case let .categoryPercent(category, _): return category == categoryID
        case let .buyXGetY(variant, _, _), let .multiBuy(variant, _, _): return variant == variantID
        }
    }

    /// How many units the deal needs before it takes anything off: 1 for a percentage, buy + free for "buy X get
    /// Y", the bundle's quantity for a multi-buy.
    public var dealQuantity: Int64 {
        switch rule {
        case .categoryPercent: return 1
        case let .buyXGetY(_, buy, free): return buy + free
        case let .multiBuy(_, quantity, _): return quantity
        }
    }
}
