import Foundation
import GRDB

/// The checks that prove the store's books hold together: each sale in one business day, every Z report equal
/// to the orders of its day, every drawer equal to the cash that went through it, and one product per GTIN.
/// `till doctor` runs them with the storage checks.
enum BooksChecks {
    static func all(_ db: Database) throws -> [DoctorCheck] {
        [try oneBusinessDayEach(db), try zReportsMatchOrders(db), try drawersMatchCashFlows(db), try oneProductPerGTIN(db),
         try purchaseOrdersMatchDeliveries(db)]
    }

    /// What each purchase-order line says has arrived is what the ledger received against that order
    /// (`receive:PO-1001` and `receive:PO-1001/NOTE` movements): an order can not claim goods the stock never got.
    static func purchaseOrdersMatchDeliveries(_ db: Database) throws -> DoctorCheck {
        let rows = try Row.fetchAll(db, sql: """
            SELECT o.number, v.sku, l.received_milli,
                   COALESCE((SELECT SUM(m.delta_milli) FROM stock_movement m
                             WHERE m.variant_id = l.variant_id AND m.reason = 'received'
                               AND (m.reference = 'receive:PO-' || o.number OR m.reference LIKE 'receive:PO-' || o.number || '/%')), 0) AS booked
            FROM purchase_order_line l JOIN purchase_order o ON o.id = l.purchase_order_id JOIN variant v ON v.id = l.variant_id
            """)
        let problems = rows.filter { ($0["received_milli"] as Int64) != ($0["booked"] as Int64) }.prefix(20).map { row in
            "PO-\(row["number"] as Int64) \(row["sku"] as String) says \(Quantity(milli: row["received_milli"])) received, the ledger \(Quantity(milli: row["booked"]))"
        }
        return DoctorCheck(name: "purchase orders == deliveries", passed: problems.isEmpty,
                           detail: problems.isEmpty ? "ok" : problems.joined(separator: "; "))
    }

    /// Every completed order, completed refund and cash movement carries exactly one business day.
    static func oneBusinessDayEach(_ db: Database) throws -> DoctorCheck {
        let orders = try Int64.fetchAll(db, sql: "SELECT number FROM orders WHERE number IS NOT NULL AND business_day IS NULL ORDER BY number LIMIT 20")
        let refunds = try Int64.fetchAll(db, sql: "SELECT id FROM refund WHERE status = 'completed' AND business_day IS NULL ORDER BY id LIMIT 20")
        let moves = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cash_movement WHERE business_day IS NULL") ?? 0
        var problems: [String] = []
        if !orders.isEmpty { problems.append("orders with no business day: " + orders.map { "#\($0)" }.joined(separator: ", ")) }
        if !refunds.isEmpty { problems.append("refunds with no business day: " + refunds.map { "\($0)" }.joined(separator: ", ")) }
        if moves > 0 { problems.append("\(moves) cash movements with no business day") }
        return DoctorCheck(name: "each sale in one business day", passed: problems.isEmpty,
                           detail: problems.isEmpty ? "ok" : problems.joined(separator: "; "))
    }

    /// Each Z report, recomputed now from the rows of its day, is what was frozen when it was taken — nothing
    /// landed in a closed day afterwards — and the Z reports together add up to their days' orders to the cent.
    static func zReportsMatchOrders(_ db: Database) throws -> DoctorCheck {
        let reports = try DayReports.allSaved(db)
        var problems: [String] = []
        var frozenTotal: Int64 = 0
        for report in reports {
            let now = try DayReports.figures(db, day: try BusinessDay(report.figures.day))
            frozenTotal += report.figures.total
            let frozen = report.figures
            if now.total != frozen.total || now.salesCount != frozen.salesCount || now.refunds != frozen.refunds
                || now.tax != frozen.tax || now.voids != frozen.voids || now.tenders != frozen.tenders
                || now.payIns != frozen.payIns || now.payOuts != frozen.payOuts {
                problems.append("Z #\(report.number) (\(frozen.day)) says \(frozen.salesCount) sales / \(frozen.total), its day's rows now \(now.salesCount) / \(now.total)")
            }
        }
        let days = reports.map(\.figures.day)
        var ordersTotal: Int64 = 0
        for day in days {
            ordersTotal += try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(total), 0) FROM orders WHERE number IS NOT NULL AND status <> 'voided' AND business_day = ?
                """, arguments: [day]) ?? 0
        }
        if ordersTotal != frozenTotal {
            problems.append("the Z reports add up to \(frozenTotal), their days' orders to \(ordersTotal)")
        }
        return DoctorCheck(name: "Z reports == orders", passed: problems.isEmpty,
                           detail: problems.isEmpty ? "ok (\(reports.count) Z report\(reports.count == 1 ? "" : "s"))"
                               : problems.prefix(5).joined(separator: "; "))
    }

    /// Cash went into a drawer: each cash sale and cash refund belongs to a shift of the register it happened
    /// at, each closed shift's expected cash is what its rows add up to, and each business day's shifts hold
    /// floats + cash taken − cash refunded + pay-ins − pay-outs of that day.
    static func drawersMatchCashFlows(_ db: Database) throws -> DoctorCheck {
        var problems: [String] = []
        let settings = try StoreSettings.load(db)
        let wrongRegister = try Int64.fetchAll(db, sql: """
            SELECT o.number FROM orders o JOIN shift s ON s.id = o.shift_id WHERE s.register <> o.register ORDER BY o.number LIMIT 10
            """)
        if !wrongRegister.isEmpty { problems.append("sales counted in another register's drawer: " + wrongRegister.map { "#\($0)" }.joined(separator: ", ")) }
        let wrongRefundRegister = try Int64.fetchAll(db, sql: """
            SELECT r.id FROM refund r JOIN shift s ON s.id = r.shift_id WHERE s.register <> r.register ORDER BY r.id LIMIT 10
            """)
        if !wrongRefundRegister.isEmpty { problems.append("refunds counted in another register's drawer: " + wrongRefundRegister.map(String.init).joined(separator: ", ")) }
        if settings.cashRequiresShift {
            let loose = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT o.number FROM orders o JOIN payment p ON p.order_id = o.id
                WHERE o.number IS NOT NULL AND o.shift_id IS NULL AND p.method = 'cash' AND p.status IN ('captured', 'refunded')
                ORDER BY o.number LIMIT 10
                """)
            if !loose.isEmpty { problems.append("cash sales in no drawer: " + loose.map { "#\($0)" }.joined(separator: ", ")) }
            let looseRefunds = try Int64.fetchAll(db, sql: """
                SELECT DISTINCT r.id FROM refund r JOIN refund_tender t ON t.refund_id = r.id
                WHERE r.status = 'completed' AND r.shift_id IS NULL AND t.method = 'cash' AND t.status = 'refunded' ORDER BY r.id LIMIT 10
                """)
            if !looseRefunds.isEmpty { problems.append("cash refunds from no drawer: " + looseRefunds.map(String.init).joined(separator: ", ")) }
        }
        var byDay: [String: Int64] = [:]
        for shift in try Shift.fetchAll(db, sql: "SELECT * FROM shift ORDER BY id") {
            var open = shift
            open.expectedCash = nil  // recompute from the rows, not the figure stored at close
            let recomputed = try Shifts.summary(db, shift: open, at: shift.closedAt ?? Date()).expectedCash
            if let stored = shift.expectedCash, stored != recomputed {
                problems.append("shift \(shift.id ?? 0) (\(shift.register)) closed expecting \(stored), its rows add up to \(recomputed)")
            }
            if let day = try String.fetchOne(db, sql: "SELECT business_day FROM shift WHERE id = ?", arguments: [shift.id]) {
                byDay[day, default: 0] += recomputed
            }
        }
        for (day, shifts) in byDay.sorted(by: { $0.key < $1.key }) {
            let flows = try DayReports.cashFlows(db, day: try BusinessDay(day)).expected
            if flows != shifts {
                problems.append("business day \(day): its shifts should hold \(shifts), its cash flows say \(flows)")
            }
        }
        return DoctorCheck(name: "drawers == cash flows", passed: problems.isEmpty,
                           detail: problems.isEmpty ? "ok (\(byDay.count) business day\(byDay.count == 1 ? "" : "s") with shifts)"
                               : problems.prefix(5).joined(separator: "; "))
    }

    /// A GTIN is one code whatever its length (UPC-A 12, EAN-13, GTIN-14 with leading zeros; EAN-8 likewise):
    /// no two SKUs may carry the same one.
    static func oneProductPerGTIN(_ db: Database) throws -> DoctorCheck {
        var owners: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT b.code, v.sku FROM barcode b JOIN variant v ON v.id = b.variant_id") {
            let code: String = row["code"]
            guard !code.isEmpty, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber), code.count <= 14 else { continue }
            let gtin14 = String(repeating: "0", count: 14 - code.count) + code
            owners[gtin14, default: []].insert(row["sku"])
        }
        let shared = owners.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
        return DoctorCheck(name: "one product per GTIN", passed: shared.isEmpty,
                           detail: shared.isEmpty ? "ok" : shared.prefix(5).map { "\($0.key) on \($0.value.sorted().joined(separator: ", "))" }
                               .joined(separator: "; "))
    }
}

/// The store's own exports read back exactly: every customer field as stored, and the product export written
/// again from what was read is the same file byte for byte (quoting, the formula guard and its removal agree).
/// Runs outside the doctor's read: the exporter reads on its own.
enum CSVRoundTripCheck {
    static func run(_ store: StoreDatabase) throws -> DoctorCheck {
        var problems: [String] = []
        let exporter = Exporter(store: store)
        var customers = ""
        try exporter.customers(format: .csv) { customers += $0 }
        let readBack = try CSVFile.parse(data: Data(customers.utf8), name: "customers export")
        let stored = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT name, email, phone, notes FROM customer ORDER BY id").map {
                [$0["name"] ?? "", $0["email"] ?? "", $0["phone"] ?? "", $0["notes"] ?? ""] as [String]
            }
        }
        if readBack.records.count != stored.count {
            problems.append("customers: \(stored.count) stored, \(readBack.records.count) read back from the export")
        } else {
            for (record, row) in zip(readBack.records, stored) {
                let fields = ["name", "email", "phone", "notes"].map { record[$0] }
                if fields != row { problems.append("customer \"\(row[0].prefix(30))\" (line \(record.line)) does not read back as stored") }
            }
        }
        var products = ""
        try exporter.products(format: .csv) { products += $0 }
        let parsed = try CSVFile.parse(data: Data(products.utf8), name: "products export")
        var again = CSVText(header: parsed.header)
        for record in parsed.records { again.append(parsed.header.map { record[$0] }) }
        let variants = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM variant") ?? 0 }
        if parsed.records.count != variants { problems.append("products: \(variants) SKUs, \(parsed.records.count) rows read back") }
        if again.text != products { problems.append("the product export written again from what was read differs from it") }
        return DoctorCheck(name: "CSV round-trip", passed: problems.isEmpty,
                           detail: problems.isEmpty ? "ok (\(stored.count) customers, \(parsed.records.count) products)"
                               : problems.prefix(5).joined(separator: "; "))
    }
}
