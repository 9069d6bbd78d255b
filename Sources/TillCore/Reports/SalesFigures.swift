import Foundation
import GRDB

/// The sums a sales summary is made of, for one stretch of time, read either from the orders themselves or
/// from `SalesAggregates`' slots. Two stretches that do not overlap add up (`+`), because each order lies in
/// exactly one: a line key's order count is then still the count of distinct orders.
struct SalesFigures {
    struct Sums {
        var orders = 0
        var quantity: Int64 = 0
        var lineTotal: Int64 = 0
        var lineTax: Int64 = 0
        var cost: Int64 = 0

        static func + (a: Sums, b: Sums) -> Sums {
            Sums(orders: a.orders + b.orders, quantity: a.quantity + b.quantity, lineTotal: a.lineTotal + b.lineTotal,
                 lineTax: a.lineTax + b.lineTax, cost: a.cost + b.cost)
        }

        init(orders: Int = 0, quantity: Int64 = 0, lineTotal: Int64 = 0, lineTax: Int64 = 0, cost: Int64 = 0) {
            self.orders = orders
            self.quantity = quantity
            self.lineTotal = lineTotal
            self.lineTax = lineTax
            self.cost = cost
        }

        init(row: Row) {
            self.init(orders: row["orders"], quantity: row["quantity"] ?? 0, lineTotal: row["line_total"] ?? 0,
                      lineTax: row["line_tax"] ?? 0, cost: row["cost"] ?? 0)
        }

        func row(_ key: String, inclusive: Bool) -> SalesRow {
            SalesRow(key: key, orders: orders, quantity: Quantity(milli: quantity).description,
                     sales: inclusive ? lineTotal : lineTotal + lineTax, net: inclusive ? lineTotal - lineTax : lineTotal,
                     tax: lineTax, cost: cost)
        }
    }

    var orders = 0
    var gross: Int64 = 0
    var discounts: Int64 = 0
    var total: Int64 = 0
    var tax: Int64 = 0
    var withCustomer: Int64 = 0
    var returning: Int64 = 0
    var pieces: Int64 = 0
    var weight: Int64 = 0
    /// Every line's figures together: what net sales and cost are summed from.
    var lines = Sums()
    var byHour: [String: Sums] = [:]
    var byDay: [String: Sums] = [:]
    var byCategory: [String: Sums] = [:]
    var byProduct: [String: Sums] = [:]

    static func + (a: SalesFigures, b: SalesFigures) -> SalesFigures {
        func merge(_ x: [String: Sums], _ y: [String: Sums]) -> [String: Sums] { x.merging(y, uniquingKeysWith: +) }
        var sum = SalesFigures()
        sum.orders = a.orders + b.orders
        sum.gross = a.gross + b.gross
        sum.discounts = a.discounts + b.discounts
        sum.total = a.total + b.total
        sum.tax = a.tax + b.tax
        sum.withCustomer = a.withCustomer + b.withCustomer
        sum.returning = a.returning + b.returning
        sum.pieces = a.pieces + b.pieces
        sum.weight = a.weight + b.weight
        sum.lines = a.lines + b.lines
        sum.byHour = merge(a.byHour, b.byHour)
        sum.byDay = merge(a.byDay, b.byDay)
        sum.byCategory = merge(a.byCategory, b.byCategory)
        sum.byProduct = merge(a.byProduct, b.byProduct)
        return sum
    }

    /// `datetime(column)` moved by `offset` seconds: local time as the whole report reads it.
    static func local(_ column: String, _ offset: Int) -> String {
        "datetime(\(column), '\(offset >= 0 ? "+" : "")\(offset) seconds')"
    }

    /// Read from the orders and lines completed in `[from, to)`; hours and days in local time at `offset`.
    static func unaggregated(_ db: Database, from: Date, to: Date, offset: Int) throws -> SalesFigures {
        var figures = SalesFigures()
        guard from < to else { return figures }
        let sold = SalesReports.sold
        let totals = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS n, COALESCE(SUM(subtotal), 0) AS gross, COALESCE(SUM(discount_total), 0) AS discounts,
                   COALESCE(SUM(total), 0) AS total, COALESCE(SUM(tax_total), 0) AS tax
            FROM orders o WHERE \(sold)
            """, arguments: [from, to]) ?? Row()
        figures.orders = totals["n"] ?? 0
        figures.gross = totals["gross"] ?? 0
        figures.discounts = totals["discounts"] ?? 0
        figures.total = totals["total"] ?? 0
        figures.tax = totals["tax"] ?? 0
        let itemRow = try Row.fetchOne(db, sql: """
            SELECT \(ItemCount.sumsSQL), COUNT(DISTINCT o.id) AS orders, SUM(l.quantity_milli) AS quantity, SUM(l.total) AS line_total,
                   SUM(l.tax) AS line_tax, SUM(\(SalesAggregates.lineCost)) AS cost
            FROM orders o CROSS JOIN order_line l ON l.order_id = o.id \(ItemCount.itemUnitJoin)
            WHERE \(sold)
            """, arguments: [from, to])
        let items = ItemCount(row: itemRow)
        figures.pieces = items.pieces.milli
        figures.weight = items.weight.milli
        if let itemRow { figures.lines = Sums(row: itemRow) }
        let returning = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS withCustomer,
                   SUM(EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id AND e.number IS NOT NULL
                               AND e.completed_at < o.completed_at)) AS returning_count
            FROM orders o WHERE \(sold) AND o.customer_id IS NOT NULL
            """, arguments: [from, to]) ?? Row()
        figures.withCustomer = returning["withCustomer"] ?? 0
        figures.returning = returning["returning_count"] ?? 0
        let localTime = local("o.completed_at", offset)
        // A day is the business day a sale belongs to: a sale after the Z counts on the next day, as in its Z.
        let keys: [(WritableKeyPath<SalesFigures, [String: Sums]>, String, String)] = [
            (\.byHour, "strftime('%H', \(localTime))", ""),
            (\.byDay, "COALESCE(o.business_day, strftime('%Y-%m-%d', \(localTime)))", ""),
            (\.byCategory, "COALESCE(c.name, '(none)')", "LEFT JOIN category c ON c.id = l.category_id"),
            (\.byProduct, "l.sku || ' ' || l.name", ""),
        ]
        for (path, key, join) in keys {
            for row in try Row.fetchAll(db, sql: """
                SELECT \(key) AS key, COUNT(DISTINCT o.id) AS orders, SUM(l.quantity_milli) AS quantity, SUM(l.total) AS line_total,
                       SUM(l.tax) AS line_tax, SUM(\(SalesAggregates.lineCost)) AS cost
                FROM orders o CROSS JOIN order_line l ON l.order_id = o.id \(join)
                WHERE \(sold) GROUP BY key
                """, arguments: [from, to]) {
                figures[keyPath: path][row["key"], default: Sums()] = figures[keyPath: path][row["key"], default: Sums()] + Sums(row: row)
            }
        }
        return figures
    }

    /// Read from the slots `[from, to)`, both on slot boundaries.
    /// Products are not read here (a month of a big store sells most of its catalog): see `rankedProducts`.
    static func aggregated(_ db: Database, fromSlot from: Int64, toSlot to: Int64, offset: Int) throws -> SalesFigures {
        var figures = SalesFigures()
        guard from < to else { return figures }
        let range: StatementArguments = [SalesAggregates.slotName(from), SalesAggregates.slotName(to)]
        let totals = try Row.fetchOne(db, sql: """
            SELECT COALESCE(SUM(orders), 0) AS n, COALESCE(SUM(gross), 0) AS gross, COALESCE(SUM(discounts), 0) AS discounts,
                   COALESCE(SUM(total), 0) AS total, COALESCE(SUM(tax), 0) AS tax, COALESCE(SUM(with_customer), 0) AS with_customer,
                   COALESCE(SUM(pieces), 0) AS pieces, COALESCE(SUM(weight), 0) AS weight, COALESCE(SUM(line_orders), 0) AS orders,
                   SUM(quantity) AS quantity, SUM(line_total) AS line_total, SUM(line_tax) AS line_tax, SUM(cost) AS cost
            FROM sales_slot WHERE slot >= ? AND slot < ?
            """, arguments: range) ?? Row()
        figures.orders = totals["n"] ?? 0
        figures.gross = totals["gross"] ?? 0
        figures.discounts = totals["discounts"] ?? 0
        figures.total = totals["total"] ?? 0
        figures.tax = totals["tax"] ?? 0
        figures.withCustomer = totals["with_customer"] ?? 0
        figures.pieces = totals["pieces"] ?? 0
        figures.weight = totals["weight"] ?? 0
        figures.lines = Sums(row: totals)
        // An order is a returning customer's unless it is that customer's first purchase (or one made at the
        // same moment): the customers who first bought in the period, along an index.
        let firsts = try Int64.fetchOne(db, sql: """
            SELECT COALESCE(SUM(first_sold), 0) FROM customer_first WHERE first_at >= ? AND first_at < ?
            """, arguments: [Date(timeIntervalSince1970: TimeInterval(from)), Date(timeIntervalSince1970: TimeInterval(to))]) ?? 0
        figures.returning = figures.withCustomer - firsts
        let localSlot = local("slot || ':00'", offset)
        let lineSums = "SUM(line_orders) AS orders, SUM(quantity) AS quantity, SUM(line_total) AS line_total, SUM(line_tax) AS line_tax, SUM(cost) AS cost"
        for (path, key) in [(\SalesFigures.byHour, "strftime('%H', \(localSlot))"),
                            (\SalesFigures.byDay, "COALESCE(NULLIF(day, ''), strftime('%Y-%m-%d', \(localSlot)))")] {
            for row in try Row.fetchAll(db, sql: """
                SELECT \(key) AS key, \(lineSums) FROM sales_slot WHERE slot >= ? AND slot < ? AND line_orders > 0 GROUP BY key
                """, arguments: range) {
                figures[keyPath: path][row["key"]] = Sums(row: row)
            }
        }
        let sums = "SUM(a.orders) AS orders, SUM(a.quantity) AS quantity, SUM(a.line_total) AS line_total, SUM(a.line_tax) AS line_tax, SUM(a.cost) AS cost"
        for row in try Row.fetchAll(db, sql: """
            SELECT COALESCE(c.name, '(none)') AS key, \(sums) FROM sales_slot_category a LEFT JOIN category c ON c.id = a.category
            WHERE a.slot >= ? AND a.slot < ? GROUP BY key
            """, arguments: range) {
            figures.byCategory[row["key"]] = Sums(row: row)
        }
        return figures
    }

    /// `[from, to)`: whole slots from the aggregates, the minutes at either end from the orders. A zone whose
    /// offset is not a multiple of 15 minutes (none today) is read from the orders alone.
    static func read(_ db: Database, from: Date, to: Date, offset: Int) throws -> SalesFigures {
        let slot = SalesAggregates.slotSeconds
        let start = Int64(from.timeIntervalSince1970.rounded(.up))
        let end = Int64(to.timeIntervalSince1970.rounded(.down))
        let first = (start + slot - 1).floorDiv(slot) * slot
        let last = end.floorDiv(slot) * slot
        guard offset % Int(slot) == 0, first < last else { return try unaggregated(db, from: from, to: to, offset: offset) }
        let firstDate = Date(timeIntervalSince1970: TimeInterval(first))
        let lastDate = Date(timeIntervalSince1970: TimeInterval(last))
        let edges = try unaggregated(db, from: from, to: firstDate, offset: offset) + unaggregated(db, from: lastDate, to: to, offset: offset)
        var figures = try aggregated(db, fromSlot: first, toSlot: last, offset: offset) + edges
        if try SalesAggregates.windowStart(db) == SalesAggregates.slotName(first) {
            figures.byProduct = try windowProducts(db, toSlot: last, keeping: ranked, edges: edges.byProduct)
        } else {
            figures.byProduct = try rankedProducts(db, fromSlot: first, toSlot: last, keeping: ranked, edges: edges.byProduct)
                .merging(edges.byProduct, uniquingKeysWith: +)
        }
        return figures
    }

    /// The products that can be the `count` best or worst sellers, from the product window (which starts at
    /// this period's first slot and runs to the last sale): its slots from `to` on are taken out and the
    /// `edges` added; only products those change can move past the others, so the window's `count` plus that
    /// many at either end, read along its index, hold the answer.
    static func windowProducts(_ db: Database, toSlot to: Int64, keeping count: Int, edges: [String: Sums]) throws -> [String: Sums] {
        let inclusive = try StoreSettings.load(db).taxInclusive
        let columns = "product AS key, orders, quantity, line_total, line_tax, cost"
        var changed = edges
        for row in try Row.fetchAll(db, sql: """
            SELECT product AS key, -SUM(orders) AS orders, -SUM(quantity) AS quantity, -SUM(line_total) AS line_total,
                   -SUM(line_tax) AS line_tax, -SUM(cost) AS cost
            FROM sales_slot_product WHERE slot >= ? GROUP BY product
            """, arguments: [SalesAggregates.slotName(to)]) {
            changed[row["key"], default: Sums()] = changed[row["key"], default: Sums()] + Sums(row: row)
        }
        let sales = inclusive ? "line_total" : "line_total + line_tax"
        var found: [String: Sums] = [:]
        for order in ["\(sales) DESC, product", "\(sales) ASC, product DESC"] {
            for row in try Row.fetchAll(db, sql: "SELECT \(columns) FROM product_window ORDER BY \(order) LIMIT ?",
                                        arguments: [count + changed.count]) {
                found[row["key"]] = Sums(row: row)
            }
        }
        for key in changed.keys where found[key] == nil {
            if let row = try Row.fetchOne(db, sql: "SELECT \(columns) FROM product_window WHERE product = ?", arguments: [key]) {
                found[key] = Sums(row: row)
            }
        }
        for (key, change) in changed { found[key] = (found[key] ?? Sums()) + change }
        return found.filter { $0.value.orders > 0 }
    }

    /// How many products a summary lists at the top and at the bottom.
    static let ranked = 5

    /// The slots' products that can be among the `count` best or worst sellers once the `edges`' sales are
    /// added: the `count + edges.count` best and worst of the slots alone, and the edges' own products. A
    /// product the edges did not sell keeps its slots' figures, so at most `edges.count` others can pass it.
    /// One pass over the grouped slots, keeping only those: a month of a million-product store holds a few
    /// rows in memory, not a quarter of a million.
    static func rankedProducts(_ db: Database, fromSlot from: Int64, toSlot to: Int64, keeping count: Int,
                               edges: [String: Sums]) throws -> [String: Sums] {
        let inclusive = try StoreSettings.load(db).taxInclusive
        let keep = count + edges.count
        typealias Entry = (key: String, sales: Int64, sums: Sums)
        // (sales desc, key in byte order), as the summary sorts; `bottom` holds the reverse.
        func before(_ a: Entry, _ b: Entry) -> Bool { a.sales != b.sales ? a.sales > b.sales : a.key.utf8.lexicographicallyPrecedes(b.key.utf8) }
        var top: [Entry] = []
        var bottom: [Entry] = []
        var found: [String: Sums] = [:]
        func insert(_ entry: Entry, into list: inout [Entry], _ order: (Entry, Entry) -> Bool) {
            if list.count == keep, let last = list.last, !order(entry, last) { return }
            let index = list.firstIndex { order(entry, $0) } ?? list.endIndex
            list.insert(entry, at: index)
            if list.count > keep { list.removeLast() }
        }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT product AS key, SUM(orders) AS orders, SUM(quantity) AS quantity, SUM(line_total) AS line_total,
                   SUM(line_tax) AS line_tax, SUM(cost) AS cost
            FROM sales_slot_product WHERE slot >= ? AND slot < ? GROUP BY product
            """, arguments: [SalesAggregates.slotName(from), SalesAggregates.slotName(to)])
        while let row = try rows.next() {
            let sums = Sums(row: row)
            let key: String = row["key"]
            let entry = (key: key, sales: inclusive ? sums.lineTotal : sums.lineTotal + sums.lineTax, sums: sums)
            if edges[key] != nil { found[key] = sums }
            insert(entry, into: &top, before)
            insert(entry, into: &bottom) { before($1, $0) }
        }
        for entry in top + bottom { found[entry.key] = entry.sums }
        return found
    }
}

extension Int64 {
    /// Division rounding toward minus infinity (times before 1970 too).
    fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
