import Foundation
import GRDB

/// How a sales report is grouped.
public enum SalesGrouping: String, Codable, Sendable, CaseIterable {
    case day, hour, category, product, staff, payment
}

/// One row of a sales report. `sales` includes tax; `net` excludes it; `cost` is quantity × the item's cost
/// when it was sold.
public struct SalesRow: Equatable, Sendable, Encodable {
    public var key: String
    public var orders: Int
    public var quantity: String
    public var sales: Int64
    public var net: Int64
    public var tax: Int64
    public var cost: Int64
    /// On the net, as every margin is (`Margin`).
    public var margin: Int64 { Margin(net: net, cost: cost).amount }

    enum CodingKeys: String, CodingKey { case key, orders, quantity, sales, net, tax, cost, margin }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key, forKey: .key)
        try c.encode(orders, forKey: .orders)
        try c.encode(quantity, forKey: .quantity)
        try c.encode(sales, forKey: .sales)
        try c.encode(net, forKey: .net)
        try c.encode(tax, forKey: .tax)
        try c.encode(cost, forKey: .cost)
        try c.encode(margin, forKey: .margin)
    }
}

/// The owner's nightly figures for a period.
public struct SalesSummary: Equatable, Sendable, Encodable {
    public var from: Date
    public var to: Date
    public var orders: Int
    public var grossSales: Int64
    public var discounts: Int64
    public var sales: Int64
    public var refunds: Int64
    public var netSales: Int64
    public var tax: Int64
    public var averageOrder: Int64
    /// Pieces (items sold each) per sale, in thousandths; weighed goods are in `weightPerSaleMilli`.
    public var itemsPerSaleMilli: Int64
    /// Kilograms of weighed goods per sale, in thousandths.
    public var weightPerSaleMilli: Int64
    public var cost: Int64
    /// Net sales (without tax) less their cost, by `Margin`.
    public var grossMargin: Int64
    /// The gross margin as a share of net sales, in tenths of a percent; nil with no sales.
    public var grossMarginPermille: Int64?
    public var topProducts: [SalesRow]
    public var bottomProducts: [SalesRow]
    /// Sales (incl. tax) per hour of the day, 0–23.
    public var byHour: [Int64]
    /// Sales per day, oldest first.
    public var byDay: [SalesRow]
    public var topCategories: [SalesRow]
    /// Of the orders with a customer, the share (per mille) whose customer had bought before.
    public var returningCustomerPermille: Int64
    public var topCustomers: [CustomerValue]

    /// Pieces and weight per sale, as printed: "4.517 items, 0.214 kg".
    public var itemsPerSale: ItemCount {
        ItemCount(pieces: Quantity(milli: itemsPerSaleMilli), weight: Quantity(milli: weightPerSaleMilli))
    }
}

public struct CustomerValue: Equatable, Sendable, Encodable {
    public var name: String
    public var orders: Int
    public var lifetime: Int64
}

/// Exceptions an owner reads for patterns, per staff member and day.
public struct ExceptionRow: Equatable, Sendable, Encodable {
    public var day: String
    public var staff: String
    public var voids: Int
    public var voidAmount: Int64
    public var noSales: Int
    public var noReceiptReturns: Int
    public var noReceiptAmount: Int64
    public var approvedDiscounts: Int
    public var priceOverrides: Int
    public var cashVariance: Int64
}

public struct SalesReports: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    /// Completed sales (voided ones excluded) between `from` and `to`, grouped.
    public func sales(from: Date, to: Date, by grouping: SalesGrouping, _ ctx: TillContext) throws -> [SalesRow] {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try SalesReports.rows(db, from: from, to: to, by: grouping, calendar: try StoreSettings.load(db).calendar)
        }
    }

    static let sold = "o.number IS NOT NULL AND o.status <> 'voided' AND o.completed_at >= ? AND o.completed_at < ?"

    static func rows(_ db: Database, from: Date, to: Date, by grouping: SalesGrouping, calendar: Calendar,
                     limit: Int? = nil, ascending: Bool = false) throws -> [SalesRow] {
        let inclusive = try StoreSettings.load(db).taxInclusive
        // Line money: sales incl. tax, net excl. tax.
        let lineSales = inclusive ? "l.total" : "(l.total + l.tax)"
        let lineNet = inclusive ? "(l.total - l.tax)" : "l.total"
        let offset = calendar.timeZone.secondsFromGMT(for: from)
        let localTime = "datetime(o.completed_at, '\(offset >= 0 ? "+" : "")\(offset) seconds')"
        let key: String
        switch grouping {
        // A day is the business day a sale belongs to: a sale after the Z counts on the next day, as in its Z.
        case .day: key = "COALESCE(o.business_day, strftime('%Y-%m-%d', \(localTime)))"
        case .hour: key = "strftime('%H', \(localTime))"
        case .category: key = "COALESCE(c.name, '(none)')"
        case .product: key = "l.sku || ' ' || l.name"
        case .staff: key = "COALESCE(s.username, '—')"
        case .payment:
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.method AS key, COUNT(DISTINCT o.id) AS orders, SUM(p.amount) AS sales
                FROM orders o CROSS JOIN payment p ON p.order_id = o.id
                WHERE \(sold) AND p.status IN ('captured', 'refunded') GROUP BY p.method ORDER BY sales DESC
                """, arguments: [from, to])
            return rows.map { SalesRow(key: $0["key"], orders: $0["orders"], quantity: "", sales: $0["sales"], net: 0, tax: 0, cost: 0) }
        }
        // Lines carry their category and cost as sold: no catalog join, and the covering index serves it.
        var sql = """
            SELECT \(key) AS key, COUNT(DISTINCT o.id) AS orders, SUM(l.quantity_milli) AS quantity,
                   SUM(\(lineSales)) AS sales, SUM(\(lineNet)) AS net, SUM(l.tax) AS tax,
                   SUM((COALESCE(l.unit_cost, 0) * l.quantity_milli + 500) / 1000) AS cost
            FROM orders o CROSS JOIN order_line l ON l.order_id = o.id
            \(grouping == .category ? "LEFT JOIN category c ON c.id = l.category_id" : "")
            \(grouping == .staff ? "LEFT JOIN staff s ON s.id = o.staff_id" : "")
            WHERE \(sold) GROUP BY key
            """
        switch grouping {
        case .day, .hour: sql += " ORDER BY key"
        default: sql += " ORDER BY sales \(ascending ? "ASC" : "DESC"), key"
        }
        if let limit { sql += " LIMIT \(limit)" }
        return try Row.fetchAll(db, sql: sql, arguments: [from, to]).map {
            SalesRow(key: $0["key"], orders: $0["orders"], quantity: Quantity(milli: $0["quantity"]).description,
                     sales: $0["sales"], net: $0["net"], tax: $0["tax"], cost: $0["cost"] ?? 0)
        }
    }

    public func summary(from: Date, to: Date, _ ctx: TillContext) throws -> SalesSummary {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try SalesReports.summary(db, from: from, to: to, calendar: try StoreSettings.load(db).calendar)
        }
    }

    static func summary(_ db: Database, from: Date, to: Date, calendar: Calendar) throws -> SalesSummary {
        let totals = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, COALESCE(SUM(subtotal), 0) AS gross, COALESCE(SUM(discount_total), 0) AS discounts,
                   COALESCE(SUM(total), 0) AS total, COALESCE(SUM(tax_total), 0) AS tax
            FROM orders o WHERE \(sold)
            """, arguments: [from, to]) ?? Row()
        let refunds = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(amount), 0) FROM refund WHERE status = 'completed' AND kind <> 'void'
            AND completed_at >= ? AND completed_at < ?
            """, arguments: [from, to]) ?? 0
        let byProduct = try rows(db, from: from, to: to, by: .product, calendar: calendar)
        let items = ItemCount(row: try Row.fetchOne(db, sql: """
            SELECT \(ItemCount.sumsSQL) FROM orders o CROSS JOIN order_line l ON l.order_id = o.id \(ItemCount.itemUnitJoin)
            WHERE \(sold)
            """, arguments: [from, to]))
        let orders: Int = totals["n"]
        let total: Int64 = totals["total"]
        let tax: Int64 = totals["tax"]
        let cost = byProduct.reduce(0) { $0 + $1.cost }
        let net = byProduct.reduce(0) { $0 + $1.net }
        var byHour = [Int64](repeating: 0, count: 24)
        for row in try rows(db, from: from, to: to, by: .hour, calendar: calendar) {
            if let hour = Int(row.key), byHour.indices.contains(hour) { byHour[hour] = row.sales }
        }
        let returning = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS withCustomer,
                   SUM(EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.number IS NOT NULL
                               AND e.completed_at < o.completed_at)) AS returning_count
            FROM orders o WHERE \(sold) AND o.customer_id IS NOT NULL
            """, arguments: [from, to]) ?? Row()
        let withCustomer: Int64 = returning["withCustomer"] ?? 0
        let returningCount: Int64 = returning["returning_count"] ?? 0
        let customers = try Row.fetchAll(db, sql: """
            SELECT c.name, COUNT(*) AS orders, SUM(o.total) AS lifetime FROM orders o JOIN customer c ON c.id = o.customer_id
            WHERE o.number IS NOT NULL AND o.status <> 'voided' GROUP BY c.id ORDER BY lifetime DESC LIMIT 5
            """).map { CustomerValue(name: $0["name"], orders: $0["orders"], lifetime: $0["lifetime"]) }
        return SalesSummary(
            from: from, to: to, orders: orders, grossSales: totals["gross"], discounts: totals["discounts"], sales: total,
            refunds: refunds, netSales: total - refunds, tax: tax, averageOrder: orders > 0 ? total / Int64(orders) : 0,
            itemsPerSaleMilli: items.perSale(orders).pieces.milli, weightPerSaleMilli: items.perSale(orders).weight.milli, cost: cost,
            grossMargin: Margin(net: net, cost: cost).amount, grossMarginPermille: Margin(net: net, cost: cost).permille,
            topProducts: Array(byProduct.prefix(5)), bottomProducts: Array(byProduct.suffix(5).reversed()),
            byHour: byHour, byDay: try rows(db, from: from, to: to, by: .day, calendar: calendar),
            topCategories: try rows(db, from: from, to: to, by: .category, calendar: calendar, limit: 8),
            returningCustomerPermille: withCustomer > 0 ? returningCount * 1000 / withCustomer : 0, topCustomers: customers)
    }

    /// Voids, no-sales, returns without a receipt, approved discounts and price overrides, and cash variances,
    /// per staff member and day.
    public func exceptions(from: Date, to: Date, _ ctx: TillContext) throws -> [ExceptionRow] {
        try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            let calendar = try StoreSettings.load(db).calendar
            let offset = calendar.timeZone.secondsFromGMT(for: from)
            func day(_ column: String) -> String { "strftime('%Y-%m-%d', datetime(\(column), '\(offset >= 0 ? "+" : "")\(offset) seconds'))" }
            var rows: [String: ExceptionRow] = [:]
            func update(_ dayKey: String, _ staff: String, _ change: (inout ExceptionRow) -> Void) {
                var row = rows["\(dayKey)|\(staff)"] ?? ExceptionRow(day: dayKey, staff: staff, voids: 0, voidAmount: 0, noSales: 0,
                                                                     noReceiptReturns: 0, noReceiptAmount: 0, approvedDiscounts: 0,
                                                                     priceOverrides: 0, cashVariance: 0)
                change(&row)
                rows["\(dayKey)|\(staff)"] = row
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT \(day("r.completed_at")) AS d, COALESCE(s.username, '—') AS who, r.kind, COUNT(*) AS n, SUM(r.amount) AS amount
                FROM refund r LEFT JOIN staff s ON s.id = r.staff_id
                WHERE r.status = 'completed' AND r.kind IN ('void', 'no_receipt') AND r.completed_at >= ? AND r.completed_at < ?
                GROUP BY d, who, r.kind
                """, arguments: [from, to]) {
                let n: Int = row["n"]
                let amount: Int64 = row["amount"]
                update(row["d"], row["who"]) {
                    if row["kind"] == "void" { $0.voids += n; $0.voidAmount += amount } else { $0.noReceiptReturns += n; $0.noReceiptAmount += amount }
                }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT \(day("c.created_at")) AS d, COALESCE(s.username, '—') AS who, COUNT(*) AS n FROM cash_movement c
                LEFT JOIN staff s ON s.id = c.staff_id WHERE c.kind = 'no_sale' AND c.created_at >= ? AND c.created_at < ? GROUP BY d, who
                """, arguments: [from, to]) {
                let n: Int = row["n"]
                update(row["d"], row["who"]) { $0.noSales += n }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT \(day("a.at")) AS d, COALESCE(s.username, '—') AS who, a.action, COUNT(*) AS n FROM audit_log a
                LEFT JOIN staff s ON s.id = a.staff_id
                WHERE a.action IN ('discount.approved', 'price.approved') AND a.at >= ? AND a.at < ? GROUP BY d, who, a.action
                """, arguments: [from, to]) {
                let n: Int = row["n"]
                update(row["d"], row["who"]) { if row["action"] == "discount.approved" { $0.approvedDiscounts += n } }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT \(day("o.completed_at")) AS d, COALESCE(s.username, '—') AS who, COUNT(*) AS n FROM order_line l
                JOIN orders o ON o.id = l.order_id LEFT JOIN staff s ON s.id = o.staff_id
                WHERE l.original_price IS NOT NULL AND \(SalesReports.sold) GROUP BY d, who
                """, arguments: [from, to]) {
                let n: Int = row["n"]
                update(row["d"], row["who"]) { $0.priceOverrides += n }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT \(day("sh.closed_at")) AS d, COALESCE(s.username, '—') AS who, SUM(sh.counted_cash - sh.expected_cash) AS v
                FROM shift sh LEFT JOIN staff s ON s.id = sh.closed_by
                WHERE sh.closed_at >= ? AND sh.closed_at < ? AND sh.counted_cash <> sh.expected_cash GROUP BY d, who
                """, arguments: [from, to]) {
                let variance: Int64 = row["v"]
                update(row["d"], row["who"]) { $0.cashVariance += variance }
            }
            return rows.values.sorted { ($0.day, $0.staff) < ($1.day, $1.staff) }
        }
    }
}
