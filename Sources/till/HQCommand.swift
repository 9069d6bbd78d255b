import ArgumentParser
import Foundation
import TillCore
import TillHQ

/// `--postgres URL`, else `TILL_HQ_URL`: head office's database, as its administrator.
struct HQOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Head office's PostgreSQL (or TILL_HQ_URL), e.g. postgresql://admin:…@host/till_hq?sslmode=require.",
                                            valueName: "url"))
    var postgres: String?

    func url() throws -> PostgresURL { try Self.url(postgres) }

    static func url(_ postgres: String?) throws -> PostgresURL {
        let environment = ProcessInfo.processInfo.environment
        guard let text = postgres ?? environment["TILL_HQ_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw HQError.invalid("say which head office: --postgres postgresql://USER:PASSWORD@HOST/DATABASE, or set TILL_HQ_URL")
        }
        return try PostgresURL(text)
    }

    /// Connects to an HQ that `till hq init` has set up; anything else is refused by name.
    func connect() throws -> HQConnection {
        let url = try url()
        let connection = try HQConnection.connect(url)
        let ready = try connection.query("SELECT to_regclass('hq.migration') IS NOT NULL AND to_regclass('hq.store') IS NOT NULL AS ready")
        guard ready.first?["ready"] == "t" else {
            connection.close()
            throw HQError.invalid("\(url.database) at \(url.endpoint) has no HQ yet: run `till hq init` first")
        }
        return connection
    }

    /// A business day as typed (YYYY-MM-DD), checked before it reaches PostgreSQL.
    static func day(_ text: String?, option: String) throws -> String? {
        guard let text else { return nil }
        guard (try? BusinessDay(text)) != nil else {
            throw HQError.invalid("\(option) \"\(text)\" is not a day: write it as YYYY-MM-DD, such as 2026-12-01")
        }
        return text
    }
}

/// `till hq`: head office on PostgreSQL — its schema, its stores, the chain's catalog, and reports across stores.
struct HQCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hq", abstract: "Head office: set up HQ on PostgreSQL, register stores, publish the catalog, read the chain.",
        discussion: """
            With no subcommand, opens the full-screen HQ app: orders from every store (read-only) and stock across \
            stores. Every command takes --postgres URL or TILL_HQ_URL (HQ's administrator). Stores never use that URL: each \
            gets its own from `till hq store add` and may only send its own events.
            """,
        subcommands: [HQAppCommand.self, Init.self, StoreGroup.self, Import.self, Catalog.self, Tax.self, StaffGroup.self, Report.self,
                      Orders.self, Stock.self, Exceptions.self, Customers.self, Loyalty.self, Returns.self, Journal.self],
        defaultSubcommand: HQAppCommand.self)

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create or migrate HQ's schema in a PostgreSQL database.")
        @OptionGroup var hq: HQOptions
        @Option(help: "The chain's currency (ISO 4217), set once.") var currency = "EUR"
        @Flag(inversion: .prefixedNo, help: "HQ's prices include tax (EU/UK) or not (US); set once, and every store must match.")
        var taxInclusive = true
        func run() throws {
            let currency = try Currency.named(self.currency.uppercased())
            let connection = try HQConnection.connect(try hq.url())
            defer { connection.close() }
            let applied = try HQSchema.migrate(connection, currency: currency.code, taxInclusive: taxInclusive)
            print(applied.isEmpty ? "HQ at \(connection.url) is up to date (\(HQSchema.latestVersion))"
                                  : "HQ at \(connection.url): applied \(applied.joined(separator: ", "))")
        }
    }

    struct StoreGroup: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "store", abstract: "Register stores and see how each is syncing.",
                                                        subcommands: [Add.self, List.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Register a store; the last line printed is its own URL for `till chain join --hq URL --store CODE`.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The store's code, e.g. S012.") var code: String
            @Argument(help: "Its name.") var name: String
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let url = try HQStores.add(connection, code: code, name: name)
                FileHandle.standardError.write(Data("till: registered \(self.code.uppercased()) \"\(name)\"; its URL below holds its password, shown only now: keep it for `till chain join`\n".utf8))
                print(url.string)
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Each store: its last event, lag, chain version and open exceptions.")
            @OptionGroup var hq: HQOptions
            @Option(help: "table or json.") var format: ReportFormat = .table
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let stores = try HQStores.list(connection)
                if format == .json { return try printJSON(stores.map(StoreJSON.init)) }
                var table = TextTable(header: ["store", "name", "events", "last event (till's clock)", "last contact", "version", "exceptions", "held"],
                                      numeric: [2, 6, 7])
                for store in stores {
                    table.rows.append([store.code, store.name, String(store.lastSeq),
                                       store.lastEventAt.map { $0.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "") } ?? "never",
                                       store.contactSecondsAgo.map { HQCommand.span($0) + " ago" } ?? "never",
                                       "\(store.referenceVersion)/\(store.chainVersion)", String(store.openExceptions), String(store.heldEvents)])
                }
                table.lines.forEach { print($0) }
                if stores.isEmpty { print("no stores yet: `till hq store add CODE \"NAME\"`") } else {
                    print("version: the chain version each store has applied / HQ's latest; events: all HQ holds of it")
                }
            }
        }

        struct StoreJSON: Encodable {
            var code, name: String
            var lastSeq: Int64
            var lastEventAt, lastContactAt, tillVersion: String?
            var contactSecondsAgo: Int64?
            var referenceVersion, chainVersion, openExceptions, heldEvents: Int64
            init(_ s: HQStoreStatus) {
                code = s.code; name = s.name; lastSeq = s.lastSeq; lastEventAt = s.lastEventAt; lastContactAt = s.lastContactAt
                tillVersion = s.tillVersion; contactSecondsAgo = s.contactSecondsAgo; referenceVersion = s.referenceVersion
                chainVersion = s.chainVersion; openExceptions = s.openExceptions; heldEvents = s.heldEvents
            }
        }
    }

    static func span(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h" }
        return "\(s / 86_400) d"
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import into HQ's catalog.", subcommands: [Products.self])

        struct Products: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A product CSV (Till's own columns, or a Shopify export) into HQ's catalog, published to every store as one version.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The CSV file.") var file: String
            @Option(help: "native or shopify.") var format: ProductFileFormat = .native
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let result = try HQCatalog.importProducts(connection, path: file, format: format)
                if result.products == 0 {
                    print("nothing changed: \(result.unchanged) products already as in \(file) (chain version \(result.version))")
                } else {
                    print("published chain version \(result.version): \(result.products) products changed, \(result.unchanged) unchanged; stores take it at their next sync")
                }
            }
        }
    }

    struct Catalog: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change or look at one product in HQ's catalog.",
                                                        subcommands: [Show.self, Price.self, Schedule.self, Archive.self, Activate.self])

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A SKU as HQ publishes it.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The SKU.") var sku: String
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let product = try HQCatalog.product(connection, sku: sku)
                let currency = try HQCatalog.currency(connection)
                let data = product.data
                print("\(product.key)  \(data.name ?? "")\(data.option.map { $0.isEmpty ? "" : " (\($0))" } ?? "")")
                print("  price \(Money(minorUnits: data.price ?? 0, currency: currency).formatted())  tax \(data.taxClass ?? "?")  category \(data.category ?? "—")  \(data.active == false ? "archived" : "active")")
                if let barcodes = data.barcodes, !barcodes.isEmpty { print("  barcodes \(barcodes.map(Barcode.display).joined(separator: ", "))") }
                for schedule in try HQCatalog.priceSchedules(connection) where schedule.sku.lowercased() == product.key.lowercased() {
                    print("  scheduled \(Money(minorUnits: schedule.newPrice, currency: currency).formatted()) from \(schedule.effectiveFrom.replacingOccurrences(of: "T", with: " ")) on each store's clock (\(schedule.phase().rawValue); the catalog price above is what stores sell at before it)")
                }
            }
        }

        struct Price: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A new price for a SKU in every store (carts already holding it keep theirs).")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The SKU.") var sku: String
            @Argument(help: "The price, e.g. 4.20.") var price: String
            @Option(help: ArgumentHelp("From when, on each store's own clock: \"2026-12-07 06:00\". Without it, as soon as stores sync.",
                                       valueName: "YYYY-MM-DD HH:MM"))
            var from: String?
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let version = try HQCatalog.setPrice(connection, sku: sku, price: price, effectiveFrom: from)
                if let from {
                    print("published chain version \(version): \(sku) at \(price) from \(from) in each store; until then the shelf price stays")
                } else {
                    print("published chain version \(version): \(sku) at \(price)")
                }
            }
        }

        struct Schedule: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Prices published with a time (`catalog price --from`), and which stores have a shelf label to change.")
            @OptionGroup var hq: HQOptions
            @Option(help: "Only SKUs this store has stock of: its labels to change.") var store: String?
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let currency = try HQCatalog.currency(connection)
                let schedules = try HQCatalog.priceSchedules(connection, store: store)
                guard !schedules.isEmpty else {
                    return print(store.map { "no scheduled prices for SKUs \($0.uppercased()) stocks" } ?? "no scheduled prices: `till hq catalog price SKU PRICE --from \"YYYY-MM-DD HH:MM\"`")
                }
                var table = TextTable(header: ["from", "sku", "name", "before", "new", "", "version", "stores"], numeric: [3, 4, 6])
                for s in schedules {
                    table.rows.append([s.effectiveFrom.replacingOccurrences(of: "T", with: " "), s.sku, s.name,
                                       Money(minorUnits: s.currentPrice, currency: currency).formatted(),
                                       Money(minorUnits: s.newPrice, currency: currency).formatted(), s.phase().rawValue, String(s.version),
                                       s.stores.isEmpty ? "none stock it yet" : s.stores.joined(separator: " ")])
                }
                table.lines.forEach { print($0) }
                print("from: each store's own clock; before: HQ's catalog price, which a store sells at until then")
            }
        }

        struct Archive: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Stop selling a SKU in every store.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The SKU.") var sku: String
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                print("published chain version \(try HQCatalog.setActive(connection, sku: sku, active: false)): \(sku) archived")
            }
        }

        struct Activate: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Sell an archived SKU again in every store.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The SKU.") var sku: String
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                print("published chain version \(try HQCatalog.setActive(connection, sku: sku, active: true)): \(sku) active")
            }
        }
    }

    struct Tax: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The chain's tax classes.", subcommands: [Set.self])

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a tax class or change its rate for every store, e.g. `till hq tax set standard 20 --name \"Standard rate\"`.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The class code products name.") var code: String
            @Argument(help: "The rate in percent.") var rate: String
            @Option(help: "Its name.") var name: String?
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let version = try HQCatalog.setTaxClass(connection, code: code, name: name, rate: rate)
                print("published chain version \(version): tax class \(code) at \(rate)%")
            }
        }
    }

    struct StaffGroup: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "staff", abstract: "Staff who work in every store.",
                                                        subcommands: [Set.self])

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add or change a staff member for every store; the PIN comes from NEW_PIN or a prompt and travels only as a hash.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "User name.") var username: String
            @Argument(help: "Full name.") var name: String
            @Option(help: "cashier, support, manager or admin.") var role: StaffRole = .cashier
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let pin = try StaffCommand.newPIN(for: username, environment: ProcessInfo.processInfo.environment)
                let version = try HQCatalog.setStaff(connection, username: username, name: name, role: role, pin: pin)
                print("published chain version \(version): \(username) (\(role.rawValue))")
            }
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reports across the chain.", subcommands: [Sales.self, StockValue.self, Z.self])

        struct StockValue: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "stock-value",
                                                            abstract: "Each store's stock at the cost in HQ's catalog.")
            @OptionGroup var hq: HQOptions
            @Option(help: "table or json.") var format: ReportFormat = .table
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let currency = try HQCatalog.currency(connection)
                let rows = try HQReports.stockValue(connection)
                if format == .json { return try printJSON(rows) }
                func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
                var table = TextTable(header: ["store", "SKUs on hand", "value at cost", "without a cost"], numeric: [1, 2, 3])
                for row in rows { table.rows.append([row.store, String(row.skus), money(row.value), String(row.withoutCost)]) }
                table.rows.append(["all", String(rows.reduce(0) { $0 + $1.skus }), money(rows.reduce(0) { $0 + $1.value }),
                                   String(rows.reduce(0) { $0 + $1.withoutCost })])
                table.lines.forEach { print($0) }
                print("from each store's ledger as HQ has it; stock in transit between stores is in neither (till transfer list)")
            }
        }

        struct Z: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Each store's Z reports as received, next to the same figures recomputed at HQ from its events.")
            @OptionGroup var hq: HQOptions
            @Option(help: "First business day (YYYY-MM-DD).") var from: String?
            @Option(help: "Last business day, included (YYYY-MM-DD).") var to: String?
            @Option(help: "Only this store.") var store: String?
            @Option(help: "table or json.") var format: ReportFormat = .table
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let currency = try HQCatalog.currency(connection)
                let rows = try HQReports.zChecks(connection, from: try HQOptions.day(from, option: "--from"),
                                                 to: try HQOptions.day(to, option: "--to"), store: try HQReports.requireStore(connection, store))
                if format == .json { return try printJSON(rows) }
                guard !rows.isEmpty else { return print("no Z reports at HQ yet") }
                func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
                func pair(_ a: Int64, _ b: Int64, _ text: (Int64) -> String) -> String { a == b ? text(a) : "\(text(a)) ≠ \(text(b))" }
                var table = TextTable(header: ["store", "Z", "day", "sales", "total", "refunds", ""], numeric: [1, 3, 4, 5])
                for row in rows {
                    table.rows.append([row.store, String(row.number), row.businessDay, pair(row.storeSales, row.hqSales) { String($0) },
                                       pair(row.storeTotal, row.hqTotal, money), pair(row.storeRefunds, row.hqRefunds, money),
                                       row.matches ? "✓" : "✗ mismatch"])
                }
                table.lines.forEach { print($0) }
                let bad = rows.filter { !$0.matches }.count
                print(bad == 0 ? "every Z matches its store's events at HQ" : "\(bad) Z report(s) differ from HQ's count (store ≠ HQ); each is an exception: till hq exceptions")
            }
        }

        struct Sales: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Sales by store, business day or category: voided sales out, refunds on their own day, as the stores' Z reports count them.")
            @OptionGroup var hq: HQOptions
            @Option(help: "store, day, category or staff.") var by: Grouping = .store
            @Option(help: "First business day (YYYY-MM-DD).") var from: String?
            @Option(help: "Last business day, included (YYYY-MM-DD).") var to: String?
            @Option(help: "Only this store.") var store: String?
            @Option(help: "table, csv or json.") var format: ReportFormat = .table
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let currency = try HQCatalog.currency(connection)
                let rows = try HQReports.sales(connection, by: by.grouping, from: try HQOptions.day(from, option: "--from"),
                                               to: try HQOptions.day(to, option: "--to"), store: try HQReports.requireStore(connection, store))
                func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
                switch format {
                case .json: try printJSON(rows)
                case .csv:
                    var text = CSVText(header: [by.rawValue, "orders", "total", "refunds", "net_sales"])
                    for row in rows { text.append([row.key, String(row.orders), money(row.total), money(row.refunds), money(row.netSales)]) }
                    print(text.text, terminator: "")
                case .table:
                    var table = TextTable(header: [by.rawValue, "orders", "total", "refunds", "net sales"], numeric: [1, 2, 3, 4])
                    for row in rows { table.rows.append([row.key, String(row.orders), money(row.total), money(row.refunds), money(row.netSales)]) }
                    let total = rows.reduce(into: (0 as Int64, 0 as Int64, 0 as Int64)) { $0.0 += $1.total; $0.1 += $1.refunds; $0.2 += $1.netSales }
                    if by != .category {
                        table.rows.append(["all", String(rows.reduce(0) { $0 + $1.orders }), money(total.0), money(total.1), money(total.2)])
                    }
                    table.lines.forEach { print($0) }
                    print("as each store's Z report counts them: total of the sales (voided ones out), refunds on their own business day, net sales = total − refunds; tax included as the prices are")
                }
            }
        }

        enum Grouping: String, ExpressibleByArgument, CaseIterable {
            case store, day, category, staff
            var grouping: HQSalesGrouping { HQSalesGrouping(rawValue: rawValue) ?? .store }
        }
    }

    struct Orders: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find orders across the chain, and show one.",
                                                        subcommands: [Search.self, Show.self])

        struct Search: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Orders at HQ, newest first.",
                discussion: "Words are read as in the HQ app's Orders pane (S012-1001, S012, card:4242, sku:, staff:, 12.50, 2026-12-01, or what was bought); options narrow them.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "Search words, as typed in the HQ app.") var words: [String] = []
            @Option(help: "Only this store.") var store: String?
            @Option(help: "Order number (per store).") var number: Int64?
            @Option(help: "SKU or product name on a line.") var sku: String?
            @Option(help: "Staff username.") var staff: String?
            @Option(help: "Exact total.") var amount: String?
            @Option(help: "Total at least.") var min: String?
            @Option(help: "Total at most.") var max: String?
            @Option(help: "Card's last four digits.") var last4: String?
            @Option(help: "From this business day (YYYY-MM-DD).") var from: String?
            @Option(help: "To this business day, inclusive.") var to: String?
            @Option(help: "How many at most.") var limit = 50
            @Option(help: "table, csv or json.") var format: ReportFormat = .table
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let currency = try HQCatalog.currency(connection)
                let parser = MoneyParser(currency: currency)
                var filter = try HQOrderFilter(parsing: words.joined(separator: " "), currency: currency)
                if store != nil || filter.store != nil { filter.store = try HQReports.requireStore(connection, store ?? filter.store) }
                filter.number = number ?? filter.number
                filter.sku = sku ?? filter.sku
                filter.staff = staff ?? filter.staff
                filter.from = try HQOptions.day(from, option: "--from") ?? filter.from
                filter.to = try HQOptions.day(to, option: "--to") ?? filter.to
                filter.total = try amount.map { try parser.parse($0).minorUnits } ?? filter.total
                filter.minTotal = try min.map { try parser.parse($0).minorUnits } ?? filter.minTotal
                filter.maxTotal = try max.map { try parser.parse($0).minorUnits } ?? filter.maxTotal
                if let last4, last4.count != 4 || !last4.allSatisfy(\.isNumber) {
                    throw HQError.invalid("--last4 takes the card's last four digits, such as 4242")
                }
                filter.last4 = last4 ?? filter.last4
                filter.limit = limit
                let orders = try HQReports.orders(connection, filter)
                func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
                switch format {
                case .json: try printJSON(orders)
                case .csv:
                    var text = CSVText(header: ["order", "store", "completed_at", "business_day", "register", "staff", "total", "voided"])
                    for o in orders {
                        text.append([o.chainNumber, o.store, o.completedAt, o.businessDay ?? "", o.register, o.staff ?? "", money(o.total), o.voided ? "yes" : ""])
                    }
                    print(text.text, terminator: "")
                case .table:
                    var table = TextTable(header: ["order", "completed", "register", "staff", "total", ""], numeric: [4])
                    for o in orders {
                        table.rows.append([o.chainNumber, String(o.completedAt.prefix(16)).replacingOccurrences(of: "T", with: " "),
                                           o.register, o.staff ?? "", money(o.total), o.voided ? "voided" : ""])
                    }
                    table.lines.forEach { print($0) }
                    if orders.isEmpty { print("no orders at HQ match") }
                }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "One order by its chain number, e.g. S012-1001.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "STORE-NUMBER.") var order: String
            @Flag(help: "As JSON.") var json = false
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let order = try HQReports.order(connection, chainNumber: order)
                if json { return try printJSON(order) }
                let currency = try Currency.named(order.currency)
                func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
                print("\(order.chainNumber)  \(order.completedAt)  register \(order.register)  \(order.staff ?? "")\(order.voided ? "  VOIDED" : "")")
                for line in order.lines ?? [] {
                    let quantity = "\(Quantity(milli: line.quantityMilli)) × \(money(line.unitPrice))"
                    print("  \(line.sku.padding(toLength: 14, withPad: " ", startingAt: 0)) \(line.name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(quantity.leftPadded(16)) \(money(line.total).leftPadded(12))")
                    if line.discount != 0 { print("  " + String(repeating: " ", count: 45) + "discount \(money(-line.discount))") }
                }
                for payment in order.payments ?? [] {
                    let card = [payment.cardBrand, payment.cardLast4.map { "ending \($0)" }].compactMap { $0 }.joined(separator: " ")
                    print("  paid \(payment.method)\(card.isEmpty ? "" : " (\(card))") \(money(payment.amount))")
                }
                print("  total \(money(order.total))")
            }
        }
    }

    struct Stock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A SKU's stock in every store and location, as each store's ledger reached HQ (with the event it is as of).")
        @OptionGroup var hq: HQOptions
        @Argument(help: "The SKU.") var sku: String
        @Option(help: "table or json.") var format: ReportFormat = .table
        func run() throws {
            let connection = try hq.connect()
            defer { connection.close() }
            let rows = try HQReports.stock(connection, sku: sku)
            if format == .json { return try printJSON(rows) }
            guard !rows.isEmpty else {
                if (try? HQCatalog.product(connection, sku: sku)) == nil {
                    throw HQError.invalid("SKU \(sku) is not in HQ's catalog, and no store has reported stock of it")
                }
                return print("no store has reported stock of \(sku) yet")
            }
            var table = TextTable(header: ["store", "location", "on hand", "as of"], numeric: [2])
            for row in rows {
                table.rows.append([row.store, row.location, Quantity(milli: row.onHandMilli).description,
                                   "event #\(row.asOfSeq)\(row.asOf.map { ", \($0)" } ?? "")"])
            }
            let total = rows.reduce(0) { $0 + $1.onHandMilli }
            table.rows.append(["chain", "", Quantity(milli: total).description, ""])
            table.lines.forEach { print($0) }
        }
    }

    struct Exceptions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What HQ took but a person should look at: unknown SKUs, other prices, negative stock, malformed events, clock skew.",
            subcommands: [List.self, Resolve.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Open exceptions (or --all).")
            @OptionGroup var hq: HQOptions
            @Option(help: "Only this store.") var store: String?
            @Flag(help: "Resolved ones too.") var all = false
            @Option(help: "table or json.") var format: ReportFormat = .table
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let rows = try HQReports.exceptions(connection, store: try HQReports.requireStore(connection, store), includeResolved: all)
                if format == .json { return try printJSON(rows) }
                guard !rows.isEmpty else { return print(all ? "no exceptions" : "no open exceptions") }
                for row in rows {
                    let state = row.resolvedAt.map { "resolved \($0)" + (row.resolvedBy.map { " by \($0)" } ?? "") } ?? "open"
                    print("exception \(row.id)  \(row.createdAt)  \(row.store ?? "—")  \(row.kind)  [\(state)]  \(row.detail)")
                }
                var kinds: [String: Int] = [:]
                for row in rows { kinds[row.kind, default: 0] += 1 }
                print("\(rows.count) \(all ? "" : "open ")exception\(rows.count == 1 ? "" : "s"): " + kinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                      + (all ? "" : "; `till hq exceptions resolve ID` when looked at"))
            }
        }

        struct Resolve: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Mark an exception looked at.")
            @OptionGroup var hq: HQOptions
            @Argument(help: "Its number (as listed: exception 12).") var id: String
            func run() throws {
                guard let id = Int64(id.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) else {
                    throw HQError.invalid("\"\(self.id)\" is not an exception number (see `till hq exceptions`)")
                }
                let connection = try hq.connect()
                defer { connection.close() }
                try HQReports.resolve(connection, id: id)
                print("resolved #\(id)")
            }
        }
    }
}

extension ProductFileFormat: ExpressibleByArgument {}

extension HQCommand {
    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Customers across the chain: duplicates HQ suggests (same email or phone), and merging them.",
            subcommands: [Duplicates.self, Merge.self])

        struct Duplicates: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Pairs of customers that look like one person.")
            @OptionGroup var hq: HQOptions
            @Option(help: "table or json.") var format: ReportFormat = .table
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let pairs = try HQCustomers.duplicates(connection)
                if format == .json { return try printJSON(pairs) }
                guard !pairs.isEmpty else { return print("no duplicates suggested") }
                for pair in pairs {
                    print("\(pair.why):")
                    for side in [pair.keep, pair.other] {
                        print("  \(side.id.prefix(8))  \(side.name)  (\(side.store), \(side.purchases) purchase\(side.purchases == 1 ? "" : "s"))"
                              + [side.email, side.phone].compactMap { $0 }.map { "  " + $0 }.joined())
                    }
                }
                print("merge a pair, once a person has checked it is one customer: till hq customers merge KEEP OTHER")
            }
        }

        struct Merge: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Make OTHER the same customer as KEEP (purchases and points together).")
            @OptionGroup var hq: HQOptions
            @Argument(help: "The customer to keep (id, or its first 8+ characters).") var keep: String
            @Argument(help: "The duplicate.") var other: String
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let merged = try HQCustomers.merge(connection, keep: keep, other: other)
                print("\(merged.other.prefix(8)) is now \(merged.keep.prefix(8)): their purchases and points count together at every store")
            }
        }
    }

    struct Loyalty: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The chain's loyalty scheme.", subcommands: [Set.self])

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Points per whole currency unit spent, and what a point is worth (published to every store).")
            @OptionGroup var hq: HQOptions
            @Option(help: "Points per whole unit spent (0: no earning).") var earnPerUnit: Int64
            @Option(help: "What one point is worth, e.g. 0.01.") var pointValue: String
            func run() throws {
                let connection = try hq.connect()
                defer { connection.close() }
                let currency = try HQCatalog.currency(connection)
                let value = try MoneyParser(currency: currency).parse(pointValue).minorUnits
                let version = try HQCustomers.setLoyalty(connection, earnPerUnit: earnPerUnit, pointValue: value)
                print("published chain version \(version): \(earnPerUnit) points per \(currency.code) 1, a point worth \(Money(minorUnits: value, currency: currency).formatted()); stores take it at their next sync")
            }
        }
    }

    struct Returns: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Where customers may return goods: at any store of the chain, or only at the store that sold them.",
            discussion: "With returns anywhere the refunding store posts the refund and takes the goods into its own stock; the selling store's stock is not touched.")
        enum Rule: String, ExpressibleByArgument, CaseIterable { case anywhere, sellingStore = "selling-store", show }
        @OptionGroup var hq: HQOptions
        @Argument(help: "anywhere, selling-store, or show.") var rule: Rule = .show
        func run() throws {
            let connection = try hq.connect()
            defer { connection.close() }
            switch rule {
            case .show:
                print(try HQStores.returnsAnywhere(connection) ? "returns anywhere: any store of the chain takes back what another sold"
                                                                : "returns at the selling store only")
            case .anywhere, .sellingStore:
                let version = try HQStores.setReturnsAnywhere(connection, rule == .anywhere)
                print("published chain version \(version): returns \(rule == .anywhere ? "anywhere in the chain" : "only at the store that sold"); stores take it at their next sync")
            }
        }
    }
}


extension HQCommand {
    /// `till hq journal`: each store's signed journal as HQ holds it, its signatures checked against the key the
    /// store registered.
    struct Journal: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "journal",
            abstract: "Check the stores' signed journals at HQ: every new entry's signature against the store's registered key.",
            discussion: "HQ checks each entry's hash and its link to the entry before as it arrives; this checks the signatures (run it from cron, or after a sync). A bad entry opens a journal exception.")
        @OptionGroup var hq: HQOptions
        @Option(help: "Only this store.") var store: String?
        @Option(help: "table or json.") var format: ReportFormat = .table

        func run() throws {
            let connection = try hq.connect()
            defer { connection.close() }
            let statuses = try HQJournal.verify(connection, store: try HQReports.requireStore(connection, store))
            if format == .json { return try printJSON(statuses) }
            guard !statuses.isEmpty else { return print("no stores yet") }
            let rows = statuses.map { status -> [String] in
                let state: String
                if status.entries == 0 { state = "no journal yet" }
                else if status.invalid > 0 || status.openExceptions > 0 { state = "BROKEN: \(status.invalid) bad signatures, \(status.openExceptions) open journal exceptions" }
                else if status.unchecked > 0 { state = "\(status.unchecked) not checked (no key registered)" }
                else { state = "ok" }
                return [status.store, status.fingerprint ?? "—", String(status.entries), status.lastSeq.map(String.init) ?? "—",
                        status.lastHash.map { String($0.prefix(16)) } ?? "—", String(status.checkedNow), state]
            }
            TextTable(header: ["store", "key", "entries", "last", "last hash", "checked now", ""], rows: rows, numeric: [2, 3, 5]).lines.forEach { print($0) }
            if statuses.contains(where: { $0.invalid > 0 || $0.openExceptions > 0 }) {
                throw HQError.invalid("a store's journal does not verify at HQ: see `till hq exceptions`")
            }
        }
    }
}
