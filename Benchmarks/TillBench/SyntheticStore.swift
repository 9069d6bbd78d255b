import Foundation
import TillCore

/// A made-up chain store of any size: products with EAN-13 barcodes and stock, customers with phones, and a
/// year of orders (three lines each, cash or card) ending with a busy yesterday. Bulk-loaded through the C API
/// in one transaction with the search-index triggers off, then the index is built in one statement — firing
/// the FTS triggers per row would cost ten times as much.
public struct SyntheticStore {
    public var products: Int
    public var orders: Int

    public init(products: Int, orders: Int) {
        self.products = products
        self.orders = orders
    }

    static let adjectives = ["Alpine", "Bright", "Classic", "Daily", "Early", "Fresh", "Golden", "Harvest", "Island", "Jolly",
                             "Kind", "Local", "Morning", "Natural", "Organic", "Pure", "Quiet", "Rustic", "Sunny", "Tasty",
                             "Urban", "Vintage", "Wild", "Young", "Zesty"]
    static let nouns = ["Apples", "Beans", "Cocoa", "Dates", "Espresso", "Flour", "Granola", "Honey", "Ink", "Jam", "Kale",
                        "Lentils", "Muesli", "Noodles", "Oats", "Pasta", "Quinoa", "Rice", "Soap", "Tea", "Umbrella",
                        "Vinegar", "Wafers", "Yoghurt", "Zucchini", "Socks", "Candle", "Notebook", "Battery", "Towel"]
    static let categories = ["Bakery", "Coffee & Tea", "Pantry", "Produce", "Dairy", "Drinks", "Snacks", "Household",
                             "Personal Care", "Apparel", "Stationery", "Electronics", "Garden", "Toys", "Frozen", "Deli"]

    /// The barcode of product `index` (1-based): EAN-13 with a valid check digit.
    public static func barcode(_ index: Int) -> String {
        let body = "20" + String(format: "%010d", index)
        var sum = 0
        for (position, character) in body.enumerated() {
            let digit = character.wholeNumberValue ?? 0
            sum += position % 2 == 0 ? digit : digit * 3
        }
        return body + String((10 - sum % 10) % 10)
    }

    public static func phone(_ index: Int) -> String { "+49 30 \(String(format: "%07d", index))" }

    /// Builds the store at `path`; `progress(done, total)` is called now and then.
    public func generate(at path: String, now: Date = Date(), progress: (String, Int, Int) -> Void) throws {
        _ = try StoreSetup.create(at: path, options: StoreSetupOptions(demoData: nil, force: true, currency: "EUR", taxInclusive: true,
                                                                       name: "Bench Chain Store", pinHasher: PinHasher(rounds: 1_000)))
        // The synthetic year is laid out in UTC days: the store's business days are UTC days starting at 00:00.
        let settingsStore = try StoreDatabase.open(path: path)
        try settingsStore.write { db in
            var settings = try StoreSettings.load(db)
            settings.timeZoneIdentifier = "UTC"
            settings.businessDayStartHour = 0
            try settings.save(db)
        }
        try settingsStore.pool.close()
        let raw = try RawConnection(path: path)
        // A bulk load into a new file needs no WAL: one rollback-journalled transaction, then back to WAL.
        try raw.execute("PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192; PRAGMA foreign_keys = OFF")
        var triggers: [String] = []
        // The journal's fact triggers too: the synthetic year is journaled after the load, entry by entry.
        let journalTriggers = Journal.factTriggers.map { "'\($0)'" }.joined(separator: ", ")
        let saved = try raw.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'variant_search%' OR name LIKE 'sales_agg_%' OR name IN (\(journalTriggers)))")
        saved.bind()
        var names: [String] = []
        while try saved.step() {
            names.append(saved.text(0))
            triggers.append(saved.text(1))
        }
        for name in names { try raw.execute("DROP TRIGGER \(name)") }

        try raw.execute("BEGIN")
        try raw.execute("""
            UPDATE tax_class SET rate_ppm = 190000 WHERE code = 'standard';
            INSERT OR IGNORE INTO tax_class(code, name, rate_ppm) VALUES ('reduced', 'Reduced rate', 70000);
            """)
        let hasher = PinHasher(rounds: 1_000)
        let staff = try raw.prepare("INSERT INTO staff(username, name, role, pin_hash) VALUES (?, ?, ?, ?)")
        for (user, role, pin) in [("ana", "cashier", "1111"), ("max", "manager", "2222"), ("sam", "support", "3333"), ("ada", "admin", "4444")] {
            try staff.bind(user, user.capitalized, role, try hasher.hash(pin)).run()
        }
        let category = try raw.prepare("INSERT INTO category(name) VALUES (?)")
        for name in SyntheticStore.categories { try category.bind(name).run() }
        let taxStandard = try raw.prepare("SELECT id FROM tax_class WHERE code = 'standard'")
        _ = try taxStandard.bind().step()
        let standardID = taxStandard.int(0)
        taxStandard.reset()
        let taxReduced = try raw.prepare("SELECT id FROM tax_class WHERE code = 'reduced'")
        _ = try taxReduced.bind().step()
        let reducedID = taxReduced.int(0)
        taxReduced.reset()

        let product = try raw.prepare("INSERT INTO product(id, handle, name, category_id, tax_class_id) VALUES (?, ?, ?, ?, ?)")
        let variant = try raw.prepare("INSERT INTO variant(id, product_id, sku, price, cost, reorder_point_milli) VALUES (?, ?, ?, ?, ?, ?)")
        let barcode = try raw.prepare("INSERT INTO barcode(code, variant_id) VALUES (?, ?)")
        let movement = try raw.prepare("""
            INSERT INTO stock_movement(variant_id, location_id, delta_milli, reason, reference, created_at) VALUES (?, 1, ?, ?, ?, ?)
            """)
        var random = SplitMix(seed: 2026)
        let start = StoredDate.text(Int64(now.timeIntervalSince1970) - 400 * 86_400)
        var prices = [Int64](repeating: 0, count: products + 1)
        var categories = [Int64](repeating: 0, count: products + 1)
        for index in 1...max(1, products) where products > 0 {
            let name = "\(SyntheticStore.adjectives[Int(random.next() % 25)]) \(SyntheticStore.nouns[Int(random.next() % 30)]) \(index)"
            let price = Int64(99 + random.next() % 4900)
            prices[index] = price
            let reduced = index % 3 == 0
            categories[index] = Int64(random.next() % 16) + 1
            try product.bind(index, "p\(index)", name, categories[index], reduced ? reducedID : standardID).run()
            try variant.bind(index, index, "SKU-\(index)", price, price * 6 / 10, 5_000).run()
            // Stored as the till stores every barcode: GTIN-14 (the EAN-13 with one leading zero).
            try barcode.bind("0" + SyntheticStore.barcode(index), index).run()
            try movement.bind(index, 1_000_000, "initial", nil, start).run()
            if index % 50_000 == 0 { progress("products", index, products) }
        }
        progress("products", products, products)

        let customers = max(1, min(200_000, orders / 5))
        let customer = try raw.prepare("INSERT INTO customer(id, name, email, phone, phone_digits) VALUES (?, ?, ?, ?, ?)")
        for index in 1...customers {
            let phone = SyntheticStore.phone(index)
            try customer.bind(index, "Customer \(index)", "c\(index)@example.com", phone, phone.filter(\.isNumber)).run()
        }

        let order = try raw.prepare("""
            INSERT INTO orders(id, number, status, customer_id, staff_id, currency, tax_inclusive, subtotal, discount_total, tax_total,
                               total, created_at, completed_at, register, updated_at, business_day)
            VALUES (?, ?, 'completed', ?, ?, 'EUR', 1, ?, 0, ?, ?, ?, ?, 'main', ?, substr(?, 1, 10))
            """)
        let line = try raw.prepare("""
            INSERT INTO order_line(order_id, position, variant_id, sku, name, quantity_milli, unit_price, discount, tax_class,
                                   tax_rate_ppm, tax, total, category_id, unit_cost)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
            """)
        let payment = try raw.prepare("""
            INSERT INTO payment(order_id, method, amount, tendered, change, status, gateway_token, card_brand, card_last4, created_at)
            VALUES (?, ?, ?, ?, ?, 'captured', ?, ?, ?, ?)
            """)
        // A year of orders, the last full day (yesterday) busier than the rest.
        let end = Int64(now.timeIntervalSince1970)
        let today = end - end % 86_400
        let busy = min(orders, 1_600)
        for index in 1...max(1, orders) where orders > 0 {
            let seconds: Int64
            if index > orders - busy {
                seconds = today - 86_400 + Int64(8 * 3600) + Int64(index - (orders - busy)) * (12 * 3600) / Int64(busy)
            } else {
                seconds = end - 366 * 86_400 + Int64(index) * (365 * 86_400) / Int64(max(1, orders - busy))
            }
            let stamp = StoredDate.text(min(seconds, today - 86_400 + 20 * 3600))
            var total: Int64 = 0
            var tax: Int64 = 0
            var lines: [(Int, Int64, Int64, Int64, Bool)] = []
            for _ in 0..<3 {
                let item = Int(random.next() % UInt64(max(1, products))) + 1
                let quantity = Int64(1 + random.next() % 2)
                let lineTotal = prices[item] * quantity
                let reduced = item % 3 == 0
                let lineTax = (lineTotal * (reduced ? 70_000 : 190_000) + (reduced ? 535_000 : 595_000)) / (reduced ? 1_070_000 : 1_190_000)
                lines.append((item, quantity, lineTotal, lineTax, reduced))
                total += lineTotal
                tax += lineTax
            }
            let customerID: Int64? = random.next() % 10 < 3 ? Int64(1 + random.next() % UInt64(customers)) : nil
            try order.bind(index, Int64(1000 + index), customerID, Int64(1 + random.next() % 4), total, tax, total, stamp, stamp, stamp, stamp).run()
            for (position, entry) in lines.enumerated() {
                try line.bind(index, position + 1, entry.0, "SKU-\(entry.0)", "Item \(entry.0)", entry.1 * 1000, prices[entry.0],
                              entry.4 ? "reduced" : "standard", entry.4 ? 70_000 : 190_000, entry.3, entry.2,
                              categories[entry.0], prices[entry.0] * 6 / 10).run()
                try movement.bind(entry.0, -entry.1 * 1000, "sale", "order:\(1000 + index)", stamp).run()
            }
            if random.next() % 2 == 0 {
                try payment.bind(index, "cash", total, total, 0, nil, nil, nil, stamp).run()
            } else {
                let last4 = String(format: "%04d", Int(random.next() % 10_000))
                try payment.bind(index, "card", total, nil, nil, "ch_bench_\(index)", "visa", last4, stamp).run()
            }
            if index % 50_000 == 0 { progress("orders", index, orders) }
        }
        progress("orders", orders, orders)
        try raw.execute("COMMIT")
        progress("search index", 0, 1)
        try raw.execute("""
            INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
            SELECT id, sku, name, option, barcodes, category FROM variant_search_source;
            INSERT INTO variant_search(variant_search) VALUES ('optimize');
            """)
        progress("sales slots", 0, 1)
        // The sales aggregates, like the search index, are filled in one pass rather than per row.
        // The product window at the Reports pane's month (the store's days are UTC days).
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .current
        let month = Int64(SalesReports.monthStart(endingAt: now, calendar: utc).timeIntervalSince1970)
        try raw.execute("BEGIN; \(SalesAggregates.rebuildSQL) \(SalesAggregates.moveWindowSQL(from: nil, to: String(StoredDate.text(month).prefix(16)))) COMMIT")
        progress("sales slots", 1, 1)
        for trigger in triggers { try raw.execute(trigger) }
        try raw.execute("ANALYZE; PRAGMA journal_mode = WAL")
        // The load ran with synchronous off: put it on disk now, so the timings do not pay for it later.
        FileHandle(forUpdatingAtPath: path)?.synchronizeFile()
        progress("search index", 1, 1)
        // Every sale of the year signed into the journal, through the same code a sale takes.
        let store = try StoreDatabase.open(path: path)
        _ = try Journal.journalBulkLoadedFacts(store) { progress("journal", $0, orders) }
        try store.pool.close()
    }
}

/// A small fast deterministic generator, so two runs build the same store.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
