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

    /// The start of "the last 30 days" as the Reports pane shows them: midnight, 29 days before today.
    public static func monthStart(endingAt now: Date, calendar: Calendar) -> Date {
        let today = calendar.startOfDay(for: now)
        return calendar.date(byAdding: .day, value: -29, to: today) ?? today
    }

    public func summary(from: Date, to: Date, _ ctx: TillContext) throws -> SalesSummary {
        // The pane's month keeps the product window at its start (a small write once a day; see SalesAggregates).
        let calendar = try store.read { db in try StoreSettings.load(db).calendar }
        if from == SalesReports.monthStart(endingAt: ctx.now, calendar: calendar) {
            try store.write { db in
                try Permissions.require(db, .viewReports, staffID: ctx.staffID)
                try SalesAggregates.moveWindow(db, to: SalesAggregates.slotName(from))
            }
        }
        return try store.read { db in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try SalesReports.summary(db, from: from, to: to, calendar: try StoreSettings.load(db).calendar)
        }
    }

    /// The summary from `SalesFigures.read`: whole quarter hours from the pre-aggregated slots, the rest from
    /// the orders — the same figures as `unaggregatedSummary`, at a month of a big store in milliseconds.
    static func summary(_ db: Database, from: Date, to: Date, calendar: Calendar) throws -> SalesSummary {
        let offset = calendar.timeZone.secondsFromGMT(for: from)
        return try summary(db, from: from, to: to, figures: SalesFigures.read(db, from: from, to: to, offset: offset), customers: """
            SELECT c.name, s.orders, s.lifetime FROM customer_sales s JOIN customer c ON c.id = s.customer_id
            ORDER BY s.lifetime DESC, s.customer_id LIMIT 5
            """)
    }

    /// The summary read from the orders alone: what the aggregated one must equal.
    static func unaggregatedSummary(_ db: Database, from: Date, to: Date, calendar: Calendar) throws -> SalesSummary {
        let offset = calendar.timeZone.secondsFromGMT(for: from)
        return try summary(db, from: from, to: to, figures: SalesFigures.unaggregated(db, from: from, to: to, offset: offset),
                           customers: """
            SELECT c.name, COUNT(*) AS orders, SUM(o.total) AS lifetime FROM orders o JOIN customer c ON c.id = o.customer_id
            WHERE \(SalesAggregates.counted("o")) GROUP BY c.id ORDER BY lifetime DESC, c.id LIMIT 5
            """)
    }

    /// `customers` lists the five best customers of all time (name, orders, lifetime).
    private static func summary(_ db: Database, from: Date, to: Date, figures: SalesFigures, customers customersSQL: String) throws -> SalesSummary {
        let inclusive = try StoreSettings.load(db).taxInclusive
        let refunds = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(amount), 0) FROM refund WHERE status = 'completed' AND kind <> 'void'
            AND completed_at >= ? AND completed_at < ?
            """, arguments: [from, to]) ?? 0
        // Byte order, as SQLite's BINARY collation sorts keys.
        func bytes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        func ranked(_ sums: [String: SalesFigures.Sums]) -> [SalesRow] {
            sums.map { $0.value.row($0.key, inclusive: inclusive) }
                .sorted { $0.sales != $1.sales ? $0.sales > $1.sales : bytes($0.key, $1.key) }
        }
        let byProduct = ranked(figures.byProduct)
        let orders = figures.orders
        let total = figures.total
        let items = ItemCount(pieces: Quantity(milli: figures.pieces), weight: Quantity(milli: figures.weight))
        // Over every line sold (the product lists may hold only the best and worst sellers).
        let cost = figures.lines.cost
        let net = figures.lines.row("", inclusive: inclusive).net
        var byHour = [Int64](repeating: 0, count: 24)
        for (key, sums) in figures.byHour {
            if let hour = Int(key), byHour.indices.contains(hour) { byHour[hour] = sums.row(key, inclusive: inclusive).sales }
        }
        let customers = try Row.fetchAll(db, sql: customersSQL).map { CustomerValue(name: $0["name"], orders: $0["orders"], lifetime: $0["lifetime"]) }
        return SalesSummary(
            from: from, to: to, orders: orders, grossSales: figures.gross, discounts: figures.discounts, sales: total,
            refunds: refunds, netSales: total - refunds, tax: figures.tax, averageOrder: orders > 0 ? total / Int64(orders) : 0,
            itemsPerSaleMilli: items.perSale(orders).pieces.milli, weightPerSaleMilli: items.perSale(orders).weight.milli, cost: cost,
            grossMargin: Margin(net: net, cost: cost).amount, grossMarginPermille: Margin(net: net, cost: cost).permille,
            topProducts: Array(byProduct.prefix(SalesFigures.ranked)),
            bottomProducts: Array(byProduct.suffix(SalesFigures.ranked).reversed()),
            byHour: byHour,
            byDay: figures.byDay.map { $0.value.row($0.key, inclusive: inclusive) }.sorted { bytes($0.key, $1.key) },
            topCategories: Array(ranked(figures.byCategory).prefix(8)),
            returningCustomerPermille: figures.withCustomer > 0 ? figures.returning * 1000 / figures.withCustomer : 0,
            topCustomers: customers)
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
