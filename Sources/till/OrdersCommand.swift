import ArgumentParser
import Foundation
import TillCore

struct OrdersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders", abstract: "Find orders and show one.", subcommands: [Search.self, Show.self, Note.self, Reprint.self])

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find orders; filters combine. Newest first.",
            discussion: "The search words are read as the Orders pane reads them: \(OrderSearchSyntax.examples). Options add to them.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "What the customer knows, as typed in the Orders pane (e.g. card:4242 2026-11-20, or 12.50).")
        var words: [String] = []
        @Option(help: "Order number.") var number: Int64?
        @Option(help: "Customer name, email or phone.") var customer: String?
        @Option(help: "Customer phone (digits).") var phone: String?
        @Option(help: "Card last four digits.") var last4: String?
        @Option(help: "SKU or product name on a line.") var sku: String?
        @Option(help: "Exact total.") var amount: String?
        @Option(help: "Total at least.") var min: String?
        @Option(help: "Total at most.") var max: String?
        @Option(help: "completed, voided, partially_refunded, refunded, open or parked.") var status: OrderStatus?
        @Option(help: "Staff username.") var staff: String?
        @Option(help: "From this day (YYYY-MM-DD).") var from: String?
        @Option(help: "To this day, inclusive (YYYY-MM-DD).") var to: String?
        @Option(help: "How many at most.") var limit = 50
        @Option(help: "table, csv or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            let zone = LocalTime.timeZone(of: database)
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let parser = MoneyParser(currency: currency)
            let calendar = try database.read { db in try StoreSettings.load(db).calendar }
            var query = try OrderQuery(parsing: words.joined(separator: " "), currency: currency, calendar: calendar)
            if let number { query.number = number }
            if let customer { query.customer = customer }
            if let phone { query.phone = phone }
            if let last4 { query.last4 = last4 }
            if let sku { query.sku = sku }
            if let staff { query.staff = staff }
            if let status { query.statuses = [status] }
            if let amount {
                let exact = try parser.parse(amount).minorUnits
                query.minTotal = exact
                query.maxTotal = exact
            }
            if let min { query.minTotal = try parser.parse(min).minorUnits }
            if let max { query.maxTotal = try parser.parse(max).minorUnits }
            if let from { query.from = try Search.day(from, calendar: calendar) }
            if let to { query.to = calendar.date(byAdding: .day, value: 1, to: try Search.day(to, calendar: calendar)) }
            let orders = try Orders(store: database).search(query, limit: limit)
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
            switch format {
            case .json:
                try printJSON(orders.map { order in
                    ["number": order.number.map(String.init) ?? "", "status": order.status.rawValue,
                     "completed_at": LocalTime.iso(order.completedAt ?? order.createdAt, timeZone: zone),
                     "customer": order.customerName ?? "", "staff": order.staffUsername ?? "",
                     "lines": String(order.lineCount), "total": money(order.total)]
                })
            case .csv:
                var text = CSVText(header: ["number", "status", "completed_at", "customer", "staff", "lines", "total"])
                for order in orders {
                    text.append([order.number.map(String.init) ?? "", order.status.rawValue,
                                 LocalTime.iso(order.completedAt ?? order.createdAt, timeZone: zone), order.customerName ?? "",
                                 order.staffUsername ?? "", String(order.lineCount), money(order.total)])
                }
                print(text.text, terminator: "")
            case .table:
                for order in orders {
                    // Whole, however many digits (padding(toLength:) would cut #10111234 to #1011123).
                    let tag = "#\(order.number.map(String.init) ?? "—")"
                    let when: String = LocalTime.format(order.completedAt ?? order.createdAt, timeZone: zone)
                    let status: String = order.status.rawValue
                    let total: String = Money(minorUnits: order.total, currency: currency).formatted().leftPadded(11)
                    let label: String = order.parkLabel.map { "  “\($0)”" } ?? ""
                    var line = tag + String(repeating: " ", count: Swift.max(1, 8 - tag.count)) + when + "  "
                    line += status + String(repeating: " ", count: Swift.max(1, 10 - status.count)) + total + "  "
                    line += (order.customerName ?? "walk-in") + label
                    print(line)
                }
                if orders.isEmpty { print("no orders match") }
            }
        }

        static func day(_ text: String, calendar: Calendar = .current) throws -> Date {
            guard let day = OrderQuery.day(text, calendar: calendar) else { throw TillError.invalid("expected a day as YYYY-MM-DD, got \"\(text)\"") }
            return day
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One order: lines, taxes, payments — its receipt, or JSON.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order number.") var number: Int64
        @Flag(help: "As JSON.") var json = false
        @Option(help: "Receipt width: 42 or 48.") var receiptWidth = 42

        func run() throws {
            let database = try store.open()
            let zone = LocalTime.timeZone(of: database)
            if json {
                try Exporter(store: database).order(number: number) { print($0, terminator: "") }
            } else {
                let detail = try Orders(store: database).detail(number: number)
                let name = try database.read { db in try StoreSettings.load(db).name }
                if let problem = detail.journalProblem {
                    print("WARNING: sale #\(number) is not as journaled: \(problem) (till journal verify)\n")
                }
                print(Receipt(width: receiptWidth).text(for: detail, storeName: name), terminator: "")
                if let code = detail.receiptCode { print(""); ReceiptCodeText.lines(code).forEach { print($0) } }
                print("\nLines (for till refund --line):")
                let refunded = detail.quantityRefunded
                for (index, line) in detail.lines.enumerated() {
                    let back = refunded[line.id ?? 0].map { ", \($0) refunded" } ?? ""
                    print("  \(index + 1). \(line.sku) × \(line.quantity)\(back)  \(line.name)")
                }
                if !detail.notes.isEmpty {
                    print("\nNotes:")
                    for note in detail.notes {
                        print("  \(LocalTime.format(note.createdAt, timeZone: zone))  \(note.staff ?? "—")  \(note.text)")
                    }
                }
                print("\nTimeline:")
                for event in detail.timeline {
                    print("  \(LocalTime.format(event.at, timeZone: zone))  \((event.staff ?? "—").padding(toLength: 8, withPad: " ", startingAt: 0))  \(event.what)")
                }
            }
        }
    }

    struct Note: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note to an order (kept, never edited).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order number.") var number: Int64
        @Argument(help: "The note.") var text: String

        func run() throws {
            let database = try store.open()
            let note = try OrderNotes(store: database).add(orderNumber: number, text: text, try store.context(in: database))
            print("note added to order #\(number) at \(LocalTime.format(note.createdAt, timeZone: LocalTime.timeZone(of: database)))")
        }
    }

    struct Reprint: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a copy of an order's receipt, refunds included.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order number.") var number: Int64
        @Option(help: ArgumentHelp("Send it as ESC/POS to this printer (a device or file) instead of the register's (till printer set).", valueName: "path")) var printer: String?
        @Option(help: "Receipt width: 42 or 48.") var receiptWidth = 42

        func validate() throws {
            guard Receipt.widths.contains(receiptWidth) else { throw ValidationError("--receipt-width is 42 or 48") }
        }

        func run() throws {
            let database = try store.open()
            let text = try ReceiptOutput(store: database, width: receiptWidth, printerPath: printer)
                .reprint(orderNumber: number, try store.context(in: database, printerPath: printer, receiptWidth: receiptWidth))
            print(text, terminator: "")
        }
    }
}
