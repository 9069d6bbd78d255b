import Foundation
import GRDB

public enum ExportFormat: String, Sendable, CaseIterable {
    case csv
    case json
}

/// Writes catalog, stock, customers and orders out in the same native formats the importers read, so an
/// export imports back to the same rows. Output goes to `sink` in chunks so large stores stream.
public struct Exporter: Sendable {
    public let store: StoreDatabase
    /// Told (done, total) every thousand rows, for a progress bar on long exports.
    public let progress: ProgressHandler?
    /// CSV cells a spreadsheet would run as a formula get the `'` guard (`CSVFormulaGuard`); off for `--raw`.
    public let guardsFormulas: Bool

    public init(store: StoreDatabase, progress: ProgressHandler? = nil, guardsFormulas: Bool = true) {
        self.store = store
        self.progress = progress
        self.guardsFormulas = guardsFormulas
    }

    public func products(format: ExportFormat, to sink: (String) throws -> Void) throws {
        let currency = try store.read { db in try StoreSettings.load(db).currency }
        try store.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.handle, v.sku, p.name, v.option,
                       (SELECT group_concat(code, ';') FROM (SELECT code FROM barcode WHERE variant_id = v.id AND pack_quantity = 1 ORDER BY rowid)) AS barcodes,
                       (SELECT group_concat(code || '=' || pack_quantity, ';') FROM (SELECT code, pack_quantity FROM barcode WHERE variant_id = v.id AND pack_quantity > 1 ORDER BY rowid)) AS case_barcodes,
                       v.price, v.cost, c.name AS category, t.code AS tax_class, p.unit, v.reorder_point_milli,
                       v.active, v.content_milli, v.content_unit
                FROM variant v JOIN product p ON p.id = v.product_id JOIN tax_class t ON t.id = p.tax_class_id
                LEFT JOIN category c ON c.id = p.category_id
                ORDER BY p.id, v.position, v.id
                """)
            func fields(_ row: Row) -> [String] {
                let cost: Int64? = row["cost"]
                // Barcodes in their printed (short) form; an import reads any form back to the same GTIN-14.
                func shortForms(_ list: String?) -> String {
                    (list ?? "").split(separator: ";").map { entry in
                        let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                        return ([Barcode.display(parts[0])] + parts.dropFirst()).joined(separator: "=")
                    }.joined(separator: ";")
                }
                return [row["handle"], row["sku"], row["name"], row["option"], shortForms(row["barcodes"]),
                        Money(minorUnits: row["price"], currency: currency).decimalString,
                        cost.map { Money(minorUnits: $0, currency: currency).decimalString } ?? "",
                        row["category"] ?? "", row["tax_class"], row["unit"],
                        Quantity(milli: row["reorder_point_milli"]).description,
                        (row["active"] as Bool) ? "true" : "false", shortForms(row["case_barcodes"]),
                        ContentSize(milli: row["content_milli"] as Int64?, unit: row["content_unit"] as String?)?.storageValue ?? ""]
            }
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM variant") ?? 0
            try emit(rows, total: total, header: NativeProductCSV.columns, format: format, fields: fields, to: sink)
        }
    }

    public func stock(format: ExportFormat, to sink: (String) throws -> Void) throws {
        try store.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT v.sku, loc.code AS location, l.on_hand_milli
                FROM stock_level l JOIN variant v ON v.id = l.variant_id JOIN location loc ON loc.id = l.location_id
                ORDER BY v.id, loc.id
                """)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stock_level") ?? 0
            try emit(rows, total: total, header: StockImporter.columns, format: format, fields: { row in
                [row["sku"], row["location"], Quantity(milli: row["on_hand_milli"]).description]
            }, to: sink)
        }
    }

    public func customers(format: ExportFormat, to sink: (String) throws -> Void) throws {
        try store.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT name, email, phone, notes FROM customer ORDER BY id")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM customer") ?? 0
            try emit(rows, total: total, header: CustomerImporter.columns, format: format, fields: { row in
                [row["name"], row["email"] ?? "", row["phone"] ?? "", row["notes"]]
            }, to: sink)
        }
    }

    /// Completed orders and their later states (voided, refunded), oldest first; open carts and parked sales
    /// only when `statuses` asks for them.
    public func orders(format: ExportFormat, statuses: [OrderStatus]? = nil, to sink: (String) throws -> Void) throws {
        let zone = LocalTime.timeZone(of: store)  // read before the export's own read: GRDB reads do not nest
        let wanted = statuses ?? [.completed, .voided, .partiallyRefunded, .refunded]
        try store.read { db in
            let currency = try StoreSettings.load(db).currency
            let request = Order.filter(wanted.map(\.rawValue).contains(Column("status")))
            let total = try request.fetchCount(db)
            let orders = try request.order(sql: "COALESCE(completed_at, created_at), id").fetchCursor(db)
            var done = 0
            func tick() {
                done += 1
                if done % 1000 == 0 || done == total { progress?(done, total) }
            }
            switch format {
            case .csv:
                var text = CSVText(header: ["number", "status", "created_at", "completed_at", "customer", "staff",
                                            "currency", "subtotal", "discount_total", "tax_total", "total",
                                            "lines", "payments"], guardsFormulas: guardsFormulas)
                while let order = try orders.next() {
                    tick()
                    let detail = try Orders.detail(db, order: order)
                    let export = OrderExport(detail, currency: currency, timeZone: zone)
                    text.append([export.number.map(String.init) ?? "", export.status, export.createdAt,
                                 export.completedAt ?? "", export.customer?.name ?? "", export.staff ?? "",
                                 export.currency, export.subtotal, export.discountTotal, export.taxTotal, export.total,
                                 String(export.lines.count),
                                 export.payments.map { "\($0.method):\($0.amount)" }.joined(separator: ";")])
                    if text.text.utf8.count > 64 * 1024 { try sink(text.text); text.clear() }
                }
                try sink(text.text)
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                try sink("[")
                var first = true
                while let order = try orders.next() {
                    tick()
                    let detail = try Orders.detail(db, order: order)
                    let data = try encoder.encode(OrderExport(detail, currency: currency, timeZone: zone))
                    try sink((first ? "\n" : ",\n") + String(decoding: data, as: UTF8.self))
                    first = false
                }
                try sink(first ? "]\n" : "\n]\n")
            }
        }
    }

    /// One order as a JSON object (the same shape as `export orders --format json`).
    public func order(number: Int64, to sink: (String) throws -> Void) throws {
        let zone = LocalTime.timeZone(of: store)
        let detail = try Orders(store: store).detail(number: number)
        let currency = try store.read { db in try StoreSettings.load(db).currency }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        try sink(String(decoding: try encoder.encode(OrderExport(detail, currency: currency, timeZone: zone)), as: UTF8.self) + "\n")
    }

    func emit(_ rows: RowCursor, total: Int, header: [String], format: ExportFormat, fields: (Row) -> [String],
              to sink: (String) throws -> Void) throws {
        var done = 0
        func tick() {
            done += 1
            if done % 1000 == 0 || done == total { progress?(done, total) }
        }
        switch format {
        case .csv:
            var text = CSVText(header: header, guardsFormulas: guardsFormulas)
            while let row = try rows.next() {
                tick()
                text.append(fields(row))
                if text.text.utf8.count > 64 * 1024 { try sink(text.text); text.clear() }
            }
            try sink(text.text)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try sink("[")
            var first = true
            while let row = try rows.next() {
                tick()
                let object = Dictionary(uniqueKeysWithValues: zip(header, fields(row)))
                try sink((first ? "\n" : ",\n") + String(decoding: try encoder.encode(object), as: UTF8.self))
                first = false
            }
            try sink(first ? "]\n" : "\n]\n")
        }
    }
}

/// The JSON shape of one exported order. Amounts are exact decimal strings in the order's currency.
struct OrderExport: Encodable {
    struct CustomerRef: Encodable {
        var name: String
        var email: String?
        var phone: String?
    }
    struct Line: Encodable {
        var position: Int
        var sku: String
        var name: String
        var quantity: String
        var unitPrice: String
        var discount: String
        var taxClass: String
        var taxRate: String
        var tax: String
        var total: String
    }
    struct PaymentExport: Encodable {
        var method: String
        var amount: String
        var status: String
        var tendered: String?
        var change: String?
        var cardBrand: String?
        var cardLast4: String?
    }

    var number: Int64?
    var status: String
    var createdAt: String
    var completedAt: String?
    var currency: String
    var taxInclusive: Bool
    var customer: CustomerRef?
    var staff: String?
    var subtotal: String
    var discountTotal: String
    var taxTotal: String
    var total: String
    var cashRounding: String
    var note: String
    var lines: [Line]
    var payments: [PaymentExport]

    init(_ detail: OrderDetail, currency storeCurrency: Currency, timeZone: TimeZone = .current) {
        let currency = (try? Currency.named(detail.order.currency)) ?? storeCurrency
        func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
        let order = detail.order
        number = order.number
        status = order.status.rawValue
        // The shop's own clock time with its offset: unambiguous, and what the receipt says.
        createdAt = LocalTime.iso(order.createdAt, timeZone: timeZone)
        completedAt = order.completedAt.map { LocalTime.iso($0, timeZone: timeZone) }
        self.currency = currency.code
        taxInclusive = order.taxInclusive
        customer = detail.customer.map { CustomerRef(name: $0.name, email: $0.email, phone: $0.phone) }
        staff = detail.staff?.username
        subtotal = money(order.subtotal)
        discountTotal = money(order.discountTotal)
        taxTotal = money(order.taxTotal)
        total = money(order.total)
        cashRounding = money(order.cashRounding)
        note = order.note
        lines = detail.lines.map {
            Line(position: $0.position, sku: $0.sku, name: $0.name, quantity: $0.quantity.description,
                 unitPrice: money($0.unitPrice), discount: money($0.discount), taxClass: $0.taxClass,
                 taxRate: TaxClass.formatRate($0.taxRatePPM), tax: money($0.tax), total: money($0.total))
        }
        payments = detail.payments.map {
            PaymentExport(method: $0.method.rawValue, amount: money($0.amount), status: $0.status.rawValue,
                          tendered: $0.tendered.map(money), change: $0.change.map(money), cardBrand: $0.cardBrand,
                          cardLast4: $0.cardLast4)
        }
    }

    enum CodingKeys: String, CodingKey {
        case number, status, currency, customer, staff, subtotal, total, note, lines, payments
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case taxInclusive = "tax_inclusive"
        case discountTotal = "discount_total"
        case taxTotal = "tax_total"
        case cashRounding = "cash_rounding"
    }
}

extension OrderExport.Line {
    enum CodingKeys: String, CodingKey {
        case position, sku, name, quantity, discount, tax, total
        case unitPrice = "unit_price"
        case taxClass = "tax_class"
        case taxRate = "tax_rate"
    }
}

extension OrderExport.PaymentExport {
    enum CodingKeys: String, CodingKey {
        case method, amount, status, tendered, change
        case cardBrand = "card_brand"
        case cardLast4 = "card_last4"
    }
}
