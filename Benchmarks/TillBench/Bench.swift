import Foundation
import GRDB
import TillCore
import TillTUI

/// `till bench`: builds a synthetic store, then times the paths a till lives on — each through the same TillCore
/// API the app uses and, for the database paths, through the bare SQLite C API with the same SQL in the same
/// run. The Till ÷ raw ratio is the figure that counts; absolute times drift on shared machines.
public struct Bench {
    public struct Options: Sendable {
        public var products: Int
        public var orders: Int
        public var runs: Int
        public var keepPath: String?
        /// The `till` binary, for the cold-start runs.
        public var executable: String

        public init(products: Int, orders: Int, runs: Int, keepPath: String?, executable: String) {
            self.products = products
            self.orders = orders
            self.runs = runs
            self.keepPath = keepPath
            self.executable = executable
        }
    }

    public struct Report: Encodable, Sendable {
        public var products: Int
        public var orders: Int
        public var generateSeconds: Double
        public var results: [BenchResult]
        public var salesPerSecond: Double
        public var rawSalesPerSecond: Double
        public var peakRSSMegabytes: Double
        /// The app's (`till pane-tour`) after visiting every pane and scanning.
        public var appPeakRSSMegabytes: Double
        public var journal: JournalFigures
        public var machine: String
        public var date: String
    }

    let options: Options
    let log: (String) -> Void

    public init(options: Options, log: @escaping (String) -> Void) {
        self.options = options
        self.log = log
    }

    public func run(progress: (String, Int, Int) -> Void) throws -> Report {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("till-bench-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = options.keepPath ?? folder.appendingPathComponent("bench.sqlite").path
        defer { try? FileManager.default.removeItem(at: folder) }
        let generateStart = Clock.now()
        try SyntheticStore(products: options.products, orders: options.orders).generate(at: path, progress: progress)
        let generateSeconds = Double(Clock.now() - generateStart) / 1e9
        log(String(format: "generated %d products and %d orders in %.1f s", options.products, options.orders, generateSeconds))

        let store = try StoreDatabase.open(path: path)
        let checkpoints = try store.startBackgroundCheckpoints()
        defer { withExtendedLifetime(checkpoints) {} }
        let raw = try RawConnection(path: path)
        try raw.execute("PRAGMA synchronous = FULL")
        let manager = try Staff(store: store).member(username: "max")
        let ctx = TillContext(staffID: manager.id, register: "bench")
        // The bench's cash sales go into a drawer like any till's.
        if try Shifts(store: store).current(register: "bench") == nil { _ = try Shifts(store: store).open(float: 0, ctx) }
        // 0. the signed journal of the whole year, before any timed path writes (the raw C API paths below write
        // orders outside Till, which the journal rightly reports): `till journal verify`, against its cryptography alone (the
        // hash and signature of every entry on every core) measured here, on this machine, in this run.
        let verifyStart = Clock.now()
        let verification = try JournalVerifier(store: store).verify()
        let verifySeconds = Double(Clock.now() - verifyStart) / 1e9
        let cryptoStart = Clock.now()
        let crypto = try JournalVerifier(store: store).checkSignaturesOnly()
        let cryptoSeconds = Double(Clock.now() - cryptoStart) / 1e9
        let journal = JournalFigures(entries: verification.entries, verifySeconds: verifySeconds, cryptoSeconds: cryptoSeconds,
                                     problems: verification.problems.count, signaturesValid: crypto.valid)
        log(String(format: "journal verify: %d entries in %.1f s (hash and signature checks alone %.1f s); problems %d",
                   journal.entries, verifySeconds, cryptoSeconds, journal.problems))

        var results: [BenchResult] = []
        var random = SplitMix(seed: 7)
        let runs = options.runs

        // 1. scan → cart
        let carts = Carts(store: store)
        let catalog = Catalog(store: store)
        var cartID: Int64?
        let scan = try Clock.sample(runs) { run in
            let code = SyntheticStore.barcode(Int(random.next() % UInt64(options.products)) + 1)
            guard let scanned = try catalog.resolveScan(code) else { throw BenchError("barcode \(code) not found") }
            let cart = try carts.add(variantID: scanned.item.variantID, ctx)
            cartID = cart.id
            if run % 5 == 4, let id = cartID { try carts.discard(cartID: id, ctx) }
        }
        try raw.execute("""
            INSERT INTO orders(status, currency, tax_inclusive, subtotal, tax_total, total, created_at, register)
            VALUES ('open', 'EUR', 1, 0, 0, 0, '2026-01-01 00:00:00.000', 'raw')
            """)
        let rawOrder = raw.lastInsertedRowID
        let lookup = try raw.prepare("""
            SELECT v.id, v.sku, p.name, v.price, t.code, t.rate_ppm,
                   (SELECT SUM(l.on_hand_milli) FROM stock_level l WHERE l.variant_id = v.id)
            FROM barcode b JOIN variant v ON v.id = b.variant_id JOIN product p ON p.id = v.product_id
            JOIN tax_class t ON t.id = p.tax_class_id WHERE b.code = ?
            """)
        let addLine = try raw.prepare("""
            INSERT INTO order_line(order_id, position, variant_id, sku, name, quantity_milli, unit_price, discount, tax_class,
                                   tax_rate_ppm, tax, total)
            VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM order_line WHERE order_id = ?), ?, ?, ?, 1000, ?, 0, ?, ?, ?, ?)
            """)
        let totals = try raw.prepare("""
            UPDATE orders SET subtotal = subtotal + ?, tax_total = tax_total + ?, total = total + ?, updated_at = ? WHERE id = ?
            """)
        let clear = try raw.prepare("DELETE FROM order_line WHERE order_id = ?")
        let rawScan = try Clock.sample(runs) { run in
            let code = SyntheticStore.barcode(Int(random.next() % UInt64(options.products)) + 1)
            try raw.execute("BEGIN IMMEDIATE")
            lookup.bind("0" + code)  // the stored GTIN-14 form, as the till looks it up
            guard try lookup.step() else { throw BenchError("raw: barcode \(code) not found") }
            let price = lookup.int(3)
            let rate = lookup.int(5)
            let tax = (price * rate + (1_000_000 + rate) / 2) / (1_000_000 + rate)
            let found = (lookup.int(0), lookup.text(1), lookup.text(2), lookup.text(4))
            lookup.reset()
            try addLine.bind(rawOrder, rawOrder, found.0, found.1, found.2, price, found.3, rate, tax, price).run()
            try totals.bind(price, tax, price, "2026-01-01 00:00:00.000", rawOrder).run()
            try raw.execute("COMMIT")
            if run % 5 == 4 { try clear.bind(rawOrder).run() }
        }
        results.append(result("scan → cart (lookup, price, tax, promotions, persist)", scan, rawScan,
                              target: "p99 < 1 ms and ≤ 3× raw") { till, raw in till.p99 < 1000 && till.p50 <= 3 * raw.p50 })

        // 1b. the same scans with a customer display watching this register: its own read connection polled every
        // 150 ms as `till display` does (a re-read after every scan, since every scan commits). The till must not
        // slow down: compared with the scans just above, in this run.
        // Used by the display thread alone, as `till display` uses it on its own.
        nonisolated(unsafe) let watcher = try CustomerDisplayWatcher(path: path, register: "bench")
        let watching = ManagedAtomicFlag()
        let polls = ManagedCounter()
        let display = Thread {
            while !watching.isSet {
                _ = try? watcher.poll(now: Date())
                polls.increment()
                Thread.sleep(forTimeInterval: 0.15)
            }
        }
        display.start()
        let watched = try Clock.sample(runs) { run in
            let code = SyntheticStore.barcode(Int(random.next() % UInt64(options.products)) + 1)
            guard let scanned = try catalog.resolveScan(code) else { throw BenchError("barcode \(code) not found") }
            let cart = try carts.add(variantID: scanned.item.variantID, ctx)
            cartID = cart.id
            if run % 5 == 4, let id = cartID { try carts.discard(cartID: id, ctx) }
        }
        watching.set()
        log("  customer display: \(polls.value) polls while the scans ran")
        results.append(result("scan → cart with a customer display watching", watched, scan,
                              target: "p99 < 1 ms and p50 ≤ 1.2× without") { till, without in till.p99 < 1000 && till.p50 <= 1.2 * without.p50 })

        // 2. search as you type
        for length in 1...4 {
            let prefixes = (0..<runs).map { _ -> String in
                let word = random.next() % 2 == 0 ? SyntheticStore.adjectives[Int(random.next() % 25)] : SyntheticStore.nouns[Int(random.next() % 30)]
                return String(word.lowercased().prefix(length))
            }
            let till = try Clock.sample(runs) { run in _ = try catalog.search(prefixes[run], limit: 50) }
            let count = try raw.prepare(Catalog.searchCountSQL)
            let ranked = try raw.prepare(Catalog.searchSQL(ranked: true))
            let unranked = try raw.prepare(Catalog.searchSQL(ranked: false))
            let rawSearch = try Clock.sample(runs) { run in
                let pattern = "\"\(prefixes[run])\"*"
                count.bind(pattern, Catalog.rankedHitLimit + 1)
                _ = try count.step()
                let few = count.int(0) <= Int64(Catalog.rankedHitLimit)
                count.reset()
                try (few ? ranked : unranked).bind(pattern, 50, 0).run()
            }
            results.append(result("search \(length)-letter prefix, top 50", till, rawSearch, target: "p99 < 5 ms") { till, _ in till.p99 < 5000 })
        }

        // 3. checkout commit, and sales per second
        let checkout = Checkout(store: store)
        func saleLines() -> [SaleLineRequest] {
            (0..<3).map { _ in SaleLineRequest(variantID: Int64(random.next() % UInt64(options.products)) + 1, quantity: .one) }
        }
        let commit = try Clock.sample(runs) { _ in
            _ = try checkout.completeSale(SaleRequest(lines: saleLines(), tenders: [Tender(method: .cash)]), ctx)
        }
        let rawOrderInsert = try raw.prepare("""
            INSERT INTO orders(number, status, staff_id, currency, tax_inclusive, subtotal, tax_total, total, created_at, completed_at, register)
            VALUES ((SELECT MAX(number) + 1 FROM orders), 'completed', ?, 'EUR', 1, ?, ?, ?, ?, ?, 'raw')
            """)
        let rawLine = try raw.prepare("""
            INSERT INTO order_line(order_id, position, variant_id, sku, name, quantity_milli, unit_price, discount, tax_class,
                                   tax_rate_ppm, tax, total) VALUES (?, ?, ?, ?, ?, 1000, ?, 0, 'standard', 190000, ?, ?)
            """)
        let rawPayment = try raw.prepare("""
            INSERT INTO payment(order_id, method, amount, tendered, change, status, created_at) VALUES (?, 'cash', ?, ?, 0, 'captured', ?)
            """)
        let rawMovement = try raw.prepare("""
            INSERT INTO stock_movement(variant_id, location_id, delta_milli, reason, staff_id, reference, created_at)
            VALUES (?, 1, -1000, 'sale', ?, 'raw', ?)
            """)
        let price = try raw.prepare("SELECT price, sku FROM variant WHERE id = ?")
        func rawSale() throws {
            let stamp = StoredDate.text(Int64(Date().timeIntervalSince1970))
            let items = (0..<3).map { _ in Int64(random.next() % UInt64(options.products)) + 1 }
            try raw.execute("BEGIN IMMEDIATE")
            var lines: [(Int64, String, Int64)] = []
            for item in items {
                price.bind(item)
                _ = try price.step()
                lines.append((item, price.text(1), price.int(0)))
                price.reset()
            }
            let total = lines.reduce(0) { $0 + $1.2 }
            let tax = (total * 190_000 + 595_000) / 1_190_000
            try rawOrderInsert.bind(manager.id, total, tax, total, stamp, stamp).run()
            let order = raw.lastInsertedRowID
            for (position, line) in lines.enumerated() {
                try rawLine.bind(order, position + 1, line.0, line.1, line.1, line.2, (line.2 * 190_000 + 595_000) / 1_190_000, line.2).run()
                try rawMovement.bind(line.0, manager.id, stamp).run()
            }
            try rawPayment.bind(order, total, total, stamp).run()
            try raw.execute("COMMIT")
        }
        let rawCommit = try Clock.sample(runs) { _ in try rawSale() }
        results.append(result("checkout commit (order, 3 lines, payment, 3 movements; synchronous=FULL)", commit, rawCommit,
                              target: "p50 ≤ 1.5× raw, p99 < 3 ms") { till, raw in till.p50 <= 1.5 * raw.p50 && till.p99 < 3000 })
        func perSecond(_ body: () throws -> Void) rethrows -> Double {
            let start = Clock.now()
            var count = 0
            while Clock.now() - start < 2_000_000_000 {
                try body()
                count += 1
            }
            return Double(count) / (Double(Clock.now() - start) / 1e9)
        }
        let salesPerSecond = try perSecond {
            _ = try checkout.completeSale(SaleRequest(lines: saleLines(), tenders: [Tender(method: .cash)]), ctx)
        }
        let rawSalesPerSecond = try perSecond { try rawSale() }

        // 4. order lookups
        let orders = Orders(store: store)
        let firstNumber: Int64 = 1001
        let lastNumber = Int64(1000 + options.orders)
        let customers = Int64(max(1, min(200_000, options.orders / 5)))
        let byNumber = try Clock.sample(runs) { _ in
            _ = try orders.search(OrderQuery(number: firstNumber + Int64(random.next() % UInt64(max(1, lastNumber - firstNumber)))), limit: 20)
        }
        let rawByNumber = try raw.prepare("SELECT id, total FROM orders WHERE number = ?")
        let rawNumber = try Clock.sample(runs) { _ in
            try rawByNumber.bind(firstNumber + Int64(random.next() % UInt64(max(1, lastNumber - firstNumber)))).run()
        }
        results.append(result("order by number", byNumber, rawNumber, target: "p99 < 2 ms") { till, _ in till.p99 < 2000 })
        let byPhone = try Clock.sample(runs) { _ in
            let phone = SyntheticStore.phone(Int(1 + random.next() % UInt64(customers)))
            _ = try orders.search(OrderQuery(phone: phone), limit: 20)
        }
        let rawPhoneStatement = try raw.prepare("""
            SELECT o.id FROM orders o JOIN customer c ON c.id = o.customer_id WHERE substr(c.phone_digits, -7) = ?
            ORDER BY o.completed_at DESC LIMIT 20
            """)
        let rawPhone = try Clock.sample(runs) { _ in
            try rawPhoneStatement.bind(String(SyntheticStore.phone(Int(1 + random.next() % UInt64(customers))).filter(\.isNumber).suffix(7))).run()
        }
        results.append(result("orders by customer phone (latest 20)", byPhone, rawPhone, target: "p99 < 2 ms") { till, _ in till.p99 < 2000 })
        let byLast4 = try Clock.sample(runs) { _ in
            _ = try orders.search(OrderQuery(last4: String(format: "%04d", Int(random.next() % 10_000))), limit: 20)
        }
        let rawLast4Statement = try raw.prepare("""
            SELECT o.id FROM orders o WHERE o.id IN (SELECT order_id FROM payment WHERE card_last4 = ?)
            ORDER BY o.completed_at DESC LIMIT 20
            """)
        let rawLast4 = try Clock.sample(runs) { _ in try rawLast4Statement.bind(String(format: "%04d", Int(random.next() % 10_000))).run() }
        results.append(result("orders by card last four (latest 20)", byLast4, rawLast4, target: "p99 < 2 ms") { till, _ in till.p99 < 2000 })
        let now = Date()
        let byDate = try Clock.sample(runs) { _ in
            let day = now.addingTimeInterval(-Double(1 + random.next() % 360) * 86_400)
            _ = try orders.search(OrderQuery(from: day, to: day.addingTimeInterval(86_400)), limit: 50)
        }
        let rawDateStatement = try raw.prepare("""
            SELECT o.id FROM orders o WHERE o.completed_at >= ? AND o.completed_at < ? ORDER BY o.completed_at DESC LIMIT 50
            """)
        let rawDate = try Clock.sample(runs) { _ in
            let day = Int64(now.timeIntervalSince1970) - Int64(1 + random.next() % 360) * 86_400
            try rawDateStatement.bind(StoredDate.text(day), StoredDate.text(day + 86_400)).run()
        }
        results.append(result("orders in a date range (one day, first 50)", byDate, rawDate, target: "—") { _, _ in true })

        // 5. reports
        let reports = DayReports(store: store)
        let yesterday = now.addingTimeInterval(-86_400)
        let reportRuns = max(5, runs / 20)
        let yesterdayKey = try BusinessDay(String(StoredDate.text(Int64(yesterday.timeIntervalSince1970)).prefix(10)))
        let z = try Clock.sample(reportRuns) { _ in _ = try reports.x(day: yesterdayKey, ctx) }
        let start = Self.utc.startOfDay(for: yesterday)
        let rawZStatement = try raw.prepare("""
            SELECT COUNT(*), SUM(subtotal), SUM(discount_total), SUM(total), SUM(tax_total) FROM orders o
            WHERE o.number IS NOT NULL AND o.status <> 'voided' AND o.completed_at >= ? AND o.completed_at < ?
            """)
        let rawTaxStatement = try raw.prepare("""
            SELECT l.tax_class, SUM(l.tax) FROM orders o CROSS JOIN order_line l ON l.order_id = o.id
            WHERE o.number IS NOT NULL AND o.status <> 'voided' AND o.completed_at >= ? AND o.completed_at < ? GROUP BY l.tax_class
            """)
        let rawTenderStatement = try raw.prepare("""
            SELECT p.method, SUM(p.amount) FROM orders o CROSS JOIN payment p ON p.order_id = o.id
            WHERE o.number IS NOT NULL AND o.status <> 'voided' AND o.completed_at >= ? AND o.completed_at < ? GROUP BY p.method
            """)
        let from = StoredDate.text(Int64(start.timeIntervalSince1970))
        let to = StoredDate.text(Int64(start.timeIntervalSince1970) + 86_400)
        let rawZ = try Clock.sample(reportRuns) { _ in
            try rawZStatement.bind(from, to).run()
            try rawTaxStatement.bind(from, to).run()
            try rawTenderStatement.bind(from, to).run()
        }
        results.append(result("Z report, busy day (\(min(options.orders, 1_600)) orders)", z, rawZ, target: "< 50 ms") { till, _ in till.p99 < 50_000 })
        let sales = SalesReports(store: store)
        let monthStart = now.addingTimeInterval(-30 * 86_400)
        let byCategory = try Clock.sample(reportRuns) { _ in
            _ = try sales.sales(from: monthStart, to: now, by: .category, ctx)
        }
        let rawCategoryStatement = try raw.prepare("""
            SELECT COALESCE(c.name, '(none)') AS key, COUNT(DISTINCT o.id), SUM(l.quantity_milli), SUM(l.total), SUM(l.total - l.tax),
                   SUM(l.tax), SUM((COALESCE(l.unit_cost, 0) * l.quantity_milli + 500) / 1000)
            FROM orders o CROSS JOIN order_line l ON l.order_id = o.id LEFT JOIN category c ON c.id = l.category_id
            WHERE o.number IS NOT NULL AND o.status <> 'voided' AND o.completed_at >= ? AND o.completed_at < ?
            GROUP BY key ORDER BY 4 DESC
            """)
        let rawCategory = try Clock.sample(reportRuns) { _ in
            try rawCategoryStatement.bind(StoredDate.text(Int64(monthStart.timeIntervalSince1970)), StoredDate.text(Int64(now.timeIntervalSince1970))).run()
        }
        results.append(result("sales by category, 30 days", byCategory, rawCategory, target: "< 300 ms") { till, _ in till.p99 < 300_000 })

        // 6. cold start: a fresh process opens the big store and renders its first frame.
        let cold = try Clock.sample(5) { _ in try Self.runChild(options.executable, ["first-frame", "--db", path]) }
        results.append(result("cold start → first frame (new process)", cold, nil, target: "< 150 ms") { till, _ in till.p50 < 150_000 })

        // 6b. the app in a process of its own: every pane's first frame, key → frame for a scan, and its peak
        // resident memory after all of it.
        let tour = try Self.paneTour(options.executable, path: path, products: options.products, scans: max(100, runs / 5))
        for pane in tour.panes {
            results.append(result("first frame, \(pane.name) pane (new process)", [pane.nanoseconds], nil, target: "< 300 ms") { till, _ in
                till.p50 < 300_000
            })
        }
        results.append(result("key → frame for a scan (Enter, effect, render; new process)", tour.scans, nil,
                              target: "p99 < 16 ms, one frame") { till, _ in till.p99 < 16_000 })
        let appRSS = Double(tour.peakResidentKilobytes) / 1024

        // 7. frame render: a full 200×60 Catalog frame, built and diffed.
        let theme = try Theme.load("default")
        var state = AppState(store: StoreInfo(name: "Bench", currency: .EUR, taxInclusive: true, staff: "max (manager)"),
                             size: ScreenSize(width: 200, height: 60))
        let driver = AppDriver(state: state, theme: theme, runner: EffectRunner(store: store, staffID: manager.id))
        driver.start()
        driver.press(.function(2))
        state = driver.state
        driver.press(.down)
        let moved = driver.state
        var previous = AppView.render(state, theme: theme)
        let frame = Clock.sample(runs) { run in
            // The selection moving up and down a row: a full render and a small diff, as at the till.
            let grid = AppView.render(run % 2 == 0 ? moved : state, theme: theme)
            _ = grid.changes(since: previous)
            previous = grid
        }
        results.append(result("frame render + diff, Catalog 200×60", frame, nil, target: "p50 < 1 ms") { till, _ in till.p50 < 1000 })

        // 8. importing a 100k-product CSV into an empty store: `till import` as a child process, timed once.
        let csvPath = folder.appendingPathComponent("import.csv").path
        FileManager.default.createFile(atPath: csvPath, contents: nil)
        let csvFile = try FileHandle(forWritingTo: URL(fileURLWithPath: csvPath))
        try csvFile.write(contentsOf: Data("sku,name,barcode,price,category,tax_class,cost\n".utf8))
        for chunk in stride(from: 1, through: 100_000, by: 1_000) {
            var text = ""
            for index in chunk..<(chunk + 1_000) {
                let price = 99 + index % 4900
                text += "IMP-\(index),Imported item \(index),\(SyntheticStore.barcode(5_000_000 + index)),\(price / 100).\(String(format: "%02d", price % 100)),\(SyntheticStore.categories[index % 16]),standard,1.00\n"
            }
            try csvFile.write(contentsOf: Data(text.utf8))
        }
        try csvFile.close()
        let importStore = folder.appendingPathComponent("import.sqlite").path
        try Self.runChild(options.executable, ["init", "--empty", "--db", importStore])
        let importRun = try Clock.sample(1) { _ in try Self.runChild(options.executable, ["import", "products", csvPath, "--db", importStore]) }
        results.append(result("import a 100,000-product CSV (till import, new process)", importRun, nil, target: "< 10 s") { till, _ in till.p50 < 10_000_000 })

        let rss = peakResidentMegabytes()
        return Report(products: options.products, orders: options.orders, generateSeconds: generateSeconds, results: results,
                      salesPerSecond: salesPerSecond, rawSalesPerSecond: rawSalesPerSecond, peakRSSMegabytes: rss,
                      appPeakRSSMegabytes: appRSS, journal: journal,
                      machine: Self.machine(), date: Date().ISO8601Format())
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()

    private func result(_ name: String, _ till: [UInt64], _ raw: [UInt64]?, target: String,
                        met: (Timing, Timing) -> Bool) -> BenchResult {
        let tillTiming = Timing(samples: till)
        let rawTiming = raw.map(Timing.init(samples:))
        let line = BenchResult(name: name, till: tillTiming, raw: rawTiming, target: target,
                               met: met(tillTiming, rawTiming ?? tillTiming))
        log(String(format: "  %@: p50 %.0f µs, p99 %.0f µs", name, tillTiming.p50, tillTiming.p99))
        return line
    }

    static func runChild(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
    }

    /// Runs `till pane-tour` on the store and reads its JSON.
    static func paneTour(_ executable: String, path: String, products: Int, scans: Int) throws -> PaneTour.Figures {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["pane-tour", "--db", path, "--products", String(products), "--scans", String(scans)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(executable) pane-tour exited \(process.terminationStatus)") }
        return try JSONDecoder().decode(PaneTour.Figures.self, from: data)
    }

    static func machine() -> String {
        let cpus = ProcessInfo.processInfo.activeProcessorCount
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        var model = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let name = line.split(separator: ":", maxSplits: 1).last {
            model = name.trimmingCharacters(in: .whitespaces)
        }
        return String(format: "%d cores, %.1f GB, %@", cpus, memory, model)
    }
}

/// The journal's figures: a whole verify and the floor it is measured against.
public struct JournalFigures: Encodable, Sendable {
    public var entries: Int
    public var verifySeconds: Double
    public var cryptoSeconds: Double
    public var problems: Int
    public var signaturesValid: Int
}

extension Bench.Report {
    /// The table `till bench` prints.
    public var table: String {
        var lines = [String(format: "till bench — %d products, %d orders (generated in %.1f s) — %@", products, orders, generateSeconds, machine),
                     "path".padding(toLength: 66, withPad: " ", startingAt: 0) + "p50 µs".leftAligned(10) + "p99 µs".leftAligned(10)
                        + "max µs".leftAligned(10) + "raw p50".leftAligned(10) + "raw p99".leftAligned(10) + "× raw".leftAligned(8) + "  target"]
        for result in results {
            func number(_ value: Double?) -> String { value.map { String(format: "%.0f", $0) } ?? "—" }
            lines.append(String(result.name.prefix(65)).padding(toLength: 66, withPad: " ", startingAt: 0)
                         + number(result.till.p50).leftAligned(10) + number(result.till.p99).leftAligned(10)
                         + number(result.till.max).leftAligned(10) + number(result.raw?.p50).leftAligned(10)
                         + number(result.raw?.p99).leftAligned(10)
                         + (result.ratio.map { String(format: "%.2f", $0) } ?? "—").leftAligned(8)
                         + "  \(result.target) \(result.met ? "✓" : "✗ MISSED")")
        }
        lines.append(String(format: "sales per second, one till: %.0f (raw %.0f, %.0f%%)", salesPerSecond, rawSalesPerSecond,
                            rawSalesPerSecond > 0 ? salesPerSecond / rawSalesPerSecond * 100 : 0))
        lines.append(String(format: "peak RSS of the app after every pane and the scans (new process): %.1f MB (target < 60 MB) %@",
                            appPeakRSSMegabytes, appPeakRSSMegabytes < 60 ? "✓" : "✗ MISSED"))
        lines.append(String(format: "journal verify, whole chain: %d entries in %.1f s (%.0f entries/s); its hash and signature checks alone: %.1f s (%.2f× that floor); problems: %d %@",
                            journal.entries, journal.verifySeconds, journal.verifySeconds > 0 ? Double(journal.entries) / journal.verifySeconds : 0,
                            journal.cryptoSeconds, journal.cryptoSeconds > 0 ? journal.verifySeconds / journal.cryptoSeconds : 0, journal.problems,
                            journal.problems == 0 && journal.signaturesValid == journal.entries ? "✓" : "✗ FAILED"))
        lines.append(String(format: "peak RSS of the bench process, generation included: %.1f MB", peakRSSMegabytes))
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftAligned(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// A flag one thread sets and another reads (the display thread's stop sign).
final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// A count one thread adds to and another reads.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
