import Foundation
import GRDB

/// Loads the demo shop from `sample-data/csv`: settings, tax classes, locations, staff, catalog, customers,
/// opening stock, and a month of sales history. The history's `day_offset`s are placed relative to the day the
/// store is created, and every historical sale goes through the same checkout as a live one, so its stock
/// movements are in the ledger like any sale.
struct DemoStoreLoader {
    let directory: URL
    let options: StoreSetupOptions

    private func file(_ name: String) throws -> CSVFile {
        try CSVFile.read(path: directory.appendingPathComponent(name).path)
    }

    func load(_ db: Database) throws {
        let now = options.now
        var settingValues: [String: String] = [:]
        for record in try file("store.csv").records { settingValues[record["setting"]] = record["value"] }
        let currency = try Currency.forNewStore(options.currency ?? settingValues["currency"] ?? "EUR")
        guard currency.exponent >= 2 else {
            throw TillError.invalid("the demo prices have cents, so the demo store needs a currency with 2 or more decimals; \(currency.code) has \(currency.exponent) (use --empty for a \(currency.code) store)")
        }
        var settings = StoreSettings(name: options.name ?? settingValues["name"] ?? "Demo Store", currency: currency,
                                     taxInclusive: options.taxInclusive ?? (settingValues["tax_inclusive"] == "true"),
                                     createdAt: now)
        if let mode = settingValues["gs1_variable_measure"] {
            guard let parsed = VariableMeasureBarcode.Mode(rawValue: mode) else {
                throw TillError.invalid("store.csv: gs1_variable_measure: expected off, weight or price, got \(mode)")
            }
            settings.variableMeasure = parsed
        }
        settings.miscSKU = settingValues["misc_sku"].flatMap { $0.isEmpty ? nil : $0 }
        try settings.save(db)

        for record in try file("tax_classes.csv").records {
            var taxClass = TaxClass(code: record["code"], name: record["name"],
                                    ratePPM: try TaxClass.parseRate(record["rate"]))
            try taxClass.insert(db)
        }
        for record in try file("locations.csv").records {
            try db.execute(sql: "INSERT OR IGNORE INTO location(code, name) VALUES (?, ?)",
                           arguments: [record["code"], record["name"]])
        }
        var staffIDs: [String: Int64] = [:]
        for record in try file("staff.csv").records {
            guard let role = StaffRole(rawValue: record["role"]) else {
                throw TillError.invalid("staff.csv:\(record.line): role: unknown role \"\(record["role"])\"")
            }
            var member = StaffMember(username: record["username"], name: record["name"], role: role,
                                     pinHash: try options.pinHasher.hash(record["pin"]))
            try member.insert(db)
            staffIDs[member.username] = member.id
        }

        let products = try file("products.csv")
        let parsed = NativeProductCSV.rows(from: products, currency: currency)
        _ = try ProductImporter.apply(db, rows: parsed.rows, file: products.name, earlierIssues: parsed.issues,
                                      dryRun: false, reference: "demo", progress: nil)

        try loadPromotions(db, currency: currency, now: now)

        var customerIDs: [String: Int64] = [:]
        for record in try file("customers.csv").records {
            var customer = Customer(name: record["name"], email: record["email"], phone: record["phone"],
                                    notes: record["notes"])
            try customer.insert(db)
            if let email = customer.email { customerIDs[email.lowercased()] = customer.id }
        }

        let calendar = Calendar.current
        let today = calendar.startOfDay(for: now)
        let openingDay = calendar.date(byAdding: .day, value: -31, to: today) ?? today
        _ = try StockImporter.apply(db, file: try file("stock.csv"), dryRun: false, reason: .initial,
                                    reference: "opening stock", staffID: nil, at: openingDay, progress: nil)
        try replayHistory(db, today: today, now: now, staffIDs: staffIDs, customerIDs: customerIDs)
    }

    private func loadPromotions(_ db: Database, currency: Currency, now: Date) throws {
        for record in try file("promotions.csv").records {
            func fail(_ column: String, _ reason: String) -> TillError {
                .invalid("promotions.csv:\(record.line): \(column): \(reason)")
            }
            var categoryID: Int64?
            var variantID: Int64?
            if !record["category"].isEmpty {
                categoryID = try Int64.fetchOne(db, sql: "SELECT id FROM category WHERE name = ? COLLATE NOCASE",
                                                arguments: [record["category"]])
                guard categoryID != nil else { throw fail("category", "unknown category \(record["category"])") }
            }
            if !record["sku"].isEmpty {
                variantID = try Int64.fetchOne(db, sql: "SELECT id FROM variant WHERE sku = ?", arguments: [record["sku"]])
                guard variantID != nil else { throw fail("sku", "unknown SKU \(record["sku"])") }
            }
            let percent = record["percent"].isEmpty ? nil : try TaxClass.parseRate(record["percent"]) / 100
            let bundlePrice = record["bundle_price"].isEmpty ? nil
                : try Money.parseDecimal(record["bundle_price"], currency: currency).minorUnits
            try db.execute(sql: """
                INSERT INTO promotion(name, kind, category_id, variant_id, percent_bp, buy_quantity, free_quantity,
                                      bundle_quantity, bundle_price, start_labels_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record["name"], record["kind"], categoryID, variantID, percent, Int64(record["buy"]),
                                 Int64(record["free"]), Int64(record["bundle_quantity"]), bundlePrice,
                                 // The demo shop's promotions are on its shelves already: no labels waiting for them.
                                 now])
        }
    }

    private func replayHistory(_ db: Database, today: Date, now: Date, staffIDs: [String: Int64],
                               customerIDs: [String: Int64]) throws {
        let calendar = Calendar.current
        var linesByRef: [String: [SaleLineRequest]] = [:]
        for record in try file("order_lines.csv").records {
            guard let variantID = try Int64.fetchOne(db, sql: "SELECT id FROM variant WHERE sku = ?",
                                                     arguments: [record["sku"]]) else {
                throw TillError.invalid("order_lines.csv:\(record.line): sku: unknown SKU \(record["sku"])")
            }
            linesByRef[record["ref"], default: []].append(
                SaleLineRequest(variantID: variantID, quantity: try Quantity.parse(record["qty"])))
        }
        // The history's cash went through a drawer like any other: one shift per day on the `history`
        // register, opened at the day's first sale and closed after its last, counted exactly.
        let settings = try StoreSettings.load(db)
        var openShift: (shift: Shift, day: String)?
        func closeShift(at date: Date) throws {
            guard var shift = openShift?.shift else { return }
            let expected = try Shifts.summary(db, shift: shift, at: date).expectedCash
            shift.closedAt = date
            shift.closedBy = shift.openedBy
            shift.expectedCash = expected
            shift.countedCash = expected
            try shift.update(db)
            openShift = nil
        }
        for record in try file("orders.csv").records {
            guard let offset = Int(record["day_offset"]) else {
                throw TillError.invalid("orders.csv:\(record.line): day_offset: not a whole number")
            }
            let clock = record["time"].split(separator: ":").compactMap { Int($0) }
            guard clock.count == 2, let day = calendar.date(byAdding: .day, value: offset, to: today),
                  let placed = calendar.date(bySettingHour: clock[0], minute: clock[1], second: 0, of: day) else {
                throw TillError.invalid("orders.csv:\(record.line): time: expected HH:MM")
            }
            guard placed <= now else { continue }  // today's later sales have not happened yet
            let method = PaymentMethod(rawValue: record["payment"]) ?? .cash
            let card = method == .card
                ? try CardDetails(token: "demo_\(record["ref"].lowercased())", brand: record["card_brand"],
                                  last4: record["card_last4"], entryMode: .contactless, applicationName: "\(record["card_brand"].uppercased()) CREDIT",
                                  authorizationCode: "D" + String(record["ref"].suffix(5)), reader: "simulated:sim-history")
                : nil
            let request = SaleRequest(lines: linesByRef[record["ref"]] ?? [],
                                      customerID: customerIDs[record["customer_email"].lowercased()],
                                      tenders: [Tender(method: method, card: card)])
            let businessDay = BusinessDay.byClock(placed, settings: settings).key
            if openShift?.day != businessDay {
                try closeShift(at: placed.addingTimeInterval(-60))
                var shift = Shift(register: Self.historyRegister, openedBy: staffIDs[record["staff"]],
                                  openedAt: placed.addingTimeInterval(-60), openingFloat: 0)
                try shift.insert(db)
                try db.execute(sql: "UPDATE shift SET business_day = ? WHERE id = ?", arguments: [businessDay, shift.id])
                openShift = (shift, businessDay)
            }
            let ctx = TillContext(staffID: staffIDs[record["staff"]], register: Self.historyRegister).at(placed)
            let sale = try Checkout.completeSale(db, request, ctx: ctx, at: placed)
            // The processor's side of the demo's card payments, so reconciliation of the demo finds nothing amiss.
            for payment in sale.payments where payment.method == .card {
                try SimulatedTerminal.recordCaptured(db, id: payment.gatewayToken ?? "", amount: payment.amount,
                                                     currency: try Currency.named(sale.order.currency), brand: payment.cardBrand ?? "card",
                                                     last4: payment.cardLast4 ?? "", readerID: "sim-history", at: placed)
            }
        }
        try closeShift(at: now)
    }

    /// The register the demo's month of sales was rung up on.
    static let historyRegister = "history"
}
