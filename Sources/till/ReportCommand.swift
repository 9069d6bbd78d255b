import ArgumentParser
import Foundation
import TillCore

extension SalesGrouping: ExpressibleByArgument {}

/// A period on the command line: `--from` and `--to` are days, both included; default the last 30 days.
struct PeriodOptions: ParsableArguments {
    @Option(help: "First day (YYYY-MM-DD); default 29 days before --to.") var from: String?
    @Option(help: "Last day, included (YYYY-MM-DD); default today.") var to: String?

    func range(calendar: Calendar = .current) throws -> (from: Date, to: Date) {
        let last = try to.map { try OrdersCommand.Search.day($0, calendar: calendar) } ?? calendar.startOfDay(for: Date())
        let end = calendar.date(byAdding: .day, value: 1, to: last) ?? last
        let start = try from.map { try OrdersCommand.Search.day($0, calendar: calendar) } ?? calendar.date(byAdding: .day, value: -29, to: last) ?? last
        guard start < end else { throw TillError.invalid("--from is after --to") }
        return (start, end)
    }
}

extension ReportCommand {
    struct Sales: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sales for a period, grouped (voided sales excluded; refunds are in the summary line).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var period: PeriodOptions
        @Option(help: "day, hour, category, product, staff or payment.") var by: SalesGrouping = .day
        @Option(help: "table, csv or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let settings = try database.read { db in try StoreSettings.load(db) }
            let currency = settings.currency
            let (from, to) = try period.range(calendar: settings.calendar)
            let reports = SalesReports(store: database)
            let rows = try reports.sales(from: from, to: to, by: by, ctx)
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
            switch format {
            case .json:
                try printJSON(rows)
            case .csv:
                var text = CSVText(header: [by.rawValue, "orders", "quantity", "sales", "net", "tax", "cost", "margin"])
                for row in rows {
                    text.append([row.key, String(row.orders), row.quantity, money(row.sales), money(row.net), money(row.tax),
                                 money(row.cost), money(row.margin)])
                }
                print(text.text, terminator: "")
            case .table:
                let summary = try reports.summary(from: from, to: to, ctx)
                print("\(summary.orders) sales · total \(money(summary.sales)) · refunds \(money(summary.refunds)) · net \(money(summary.netSales)) · average \(money(summary.averageOrder)) · \(summary.itemsPerSale) per sale · margin \(money(summary.grossMargin))\(summary.grossMarginPermille.map { " (\(Margin.percentText(permille: $0)) of net)" } ?? "")")
                print(by.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0) + "orders".leftPadded(7) + "sales".leftPadded(12)
                      + "net".leftPadded(12) + "tax".leftPadded(10) + "margin".leftPadded(12))
                for row in rows {
                    print(String(row.key.prefix(33)).padding(toLength: 34, withPad: " ", startingAt: 0) + String(row.orders).leftPadded(7)
                          + money(row.sales).leftPadded(12) + money(row.net).leftPadded(12) + money(row.tax).leftPadded(10)
                          + money(row.margin).leftPadded(12))
                }
            }
        }
    }

    struct X: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "X report: the day so far (changes nothing).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The day (YYYY-MM-DD); default today.") var date: String?
        @Option(help: "table or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            let figures = try DayReports(store: database).x(day: try date.map(BusinessDay.init), try store.context(in: database))
            if format == .json { try printJSON(figures) } else { figures.text(title: "X REPORT (not closed)").forEach { print($0) } }
        }
    }

    struct Z: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Z report: close the day and number it (manager); --show prints a closed day again.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The business day (YYYY-MM-DD); default the one open now.") var date: String?
        @Flag(help: "Print the Z report already made for the day.") var show = false
        @Option(help: "table or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let reports = DayReports(store: database)
            let report: ZReport
            if show {
                report = try reports.savedZ(day: try date.map(BusinessDay.init) ?? BusinessDay.current(in: database, at: ctx.now), ctx)
            } else {
                report = try reports.z(day: try date.map(BusinessDay.init), ctx)
            }
            if let note = report.note { FileHandle.standardError.write(Data("till: \(note)\n".utf8)) }
            if format == .json {
                try printJSON(report.figures)
            } else {
                let closed = LocalTime.format(report.closedAt, timeZone: LocalTime.timeZone(of: database))
                report.figures.text(title: "Z REPORT #\(report.number) — closed \(closed) by \(report.closedBy ?? "—")")
                    .forEach { print($0) }
            }
        }
    }

    struct Exceptions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Loss prevention: voids, no-sales, returns without receipt, approved discounts, price overrides, cash variances — per staff and day.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var period: PeriodOptions
        @Option(help: "table, csv or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let settings = try database.read { db in try StoreSettings.load(db) }
            let currency = settings.currency
            let (from, to) = try period.range(calendar: settings.calendar)
            let rows = try SalesReports(store: database).exceptions(from: from, to: to, ctx)
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
            let header = ["day", "staff", "voids", "void_amount", "no_sales", "no_receipt_returns", "no_receipt_amount",
                          "approved_discounts", "price_overrides", "cash_variance"]
            let values = rows.map { [$0.day, $0.staff, String($0.voids), money($0.voidAmount), String($0.noSales), String($0.noReceiptReturns),
                                     money($0.noReceiptAmount), String($0.approvedDiscounts), String($0.priceOverrides), money($0.cashVariance)] }
            switch format {
            case .json: try printJSON(rows)
            case .csv:
                var text = CSVText(header: header)
                values.forEach { text.append($0) }
                print(text.text, terminator: "")
            case .table:
                if rows.isEmpty { print("no exceptions"); return }
                TextTable(header: header, rows: values, numeric: Set(2..<header.count)).lines.forEach { print($0) }
            }
        }
    }

    struct Shifts: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "shifts", abstract: "Recent shifts: expected vs counted cash.")
        @OptionGroup var store: StoreOptions

        func run() throws {
            let database = try store.open()
            let settings = try database.read { db in try StoreSettings.load(db) }
            for summary in try TillCore.Shifts(store: database).history(try store.context(in: database)) {
                print(ShiftReport.lines(summary, currency: settings.currency, timeZone: settings.timeZone).joined(separator: "\n") + "\n")
            }
        }
    }
}

struct ShiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift", abstract: "Open and close a register's shift; pay cash in or out; open the drawer without a sale.",
        subcommands: [Open.self, Close.self, Status.self, PayIn.self, PayOut.self, NoSale.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Open a shift with the counted float.")
        @OptionGroup var store: StoreOptions
        @Option(help: "The float counted into the drawer.") var float: String

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let amount = try MoneyParser(currency: currency).parse(float)
            let shift = try TillCore.Shifts(store: database).open(float: amount.minorUnits, try store.context(in: database))
            print("shift \(shift.id ?? 0) open on register \(shift.register) with a float of \(amount.formatted())")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close the shift: count the drawer by denomination, see expected vs counted.",
            discussion: "Example: till shift close --count \"50x2,20x3,10x1,2x4,0.50x6\" (value x how many).")
        @OptionGroup var store: StoreOptions
        @Option(help: "The drawer counted: VALUExCOUNT, comma separated.") var count: String
        @Flag(help: "As JSON.") var json = false

        func run() throws {
            let database = try store.open()
            let settings = try database.read { db in try StoreSettings.load(db) }
            let counted = try CashCount.parse(count, currency: settings.currency)
            let summary = try TillCore.Shifts(store: database).close(count: counted, try store.context(in: database))
            if json { try printJSON(summary) } else {
                ShiftReport.lines(summary, currency: settings.currency, timeZone: settings.timeZone).forEach { print($0) }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The open shift: what the drawer should hold now.")
        @OptionGroup var store: StoreOptions

        func run() throws {
            let database = try store.open()
            let settings = try database.read { db in try StoreSettings.load(db) }
            let summary = try TillCore.Shifts(store: database).summary(try store.context(in: database))
            ShiftReport.lines(summary, currency: settings.currency, timeZone: settings.timeZone).forEach { print($0) }
        }
    }

    /// What a pay-in or pay-out takes besides the store and register.
    struct CashOptions: ParsableArguments {
        @Option(help: "How much.") var amount: String
        @Option(help: "Why (required).") var reason: String
    }

    struct PayIn: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pay-in", abstract: "Cash put into the drawer (manager).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var cash: CashOptions

        func run() throws { try ShiftCommand.move(.payIn, store: store, amount: cash.amount, reason: cash.reason) }
    }

    struct PayOut: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pay-out", abstract: "Cash taken out of the drawer (manager).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var cash: CashOptions

        func run() throws { try ShiftCommand.move(.payOut, store: store, amount: cash.amount, reason: cash.reason) }
    }

    struct NoSale: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "no-sale", abstract: "Open the drawer without a sale (manager; audited).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Why (required).") var reason: String

        func run() throws { try ShiftCommand.move(.noSale, store: store, amount: nil, reason: reason) }
    }

    static func move(_ kind: CashMovementKind, store: StoreOptions, amount: String?, reason: String) throws {
        let database = try store.open()
        let ctx = try store.context(in: database)
        let register = ctx.register
        let currency = try database.read { db in try StoreSettings.load(db).currency }
        let units = try amount.map { try MoneyParser(currency: currency).parse($0).minorUnits } ?? 0
        try TillCore.Shifts(store: database).moveCash(kind, amount: units, reason: reason, ctx)
        print(kind == .noSale ? "drawer opened (no sale) on register \(register)"
              : "\(kind == .payIn ? "paid in" : "paid out") \(Money(minorUnits: units, currency: currency).formatted()) on register \(register)")
    }

}

struct StaffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "Staff: list, add, disable, enable, reset a PIN (admin).",
        subcommands: [List.self, Add.self, Disable.self, Enable.self, ResetPin.self, Permissions.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every staff member and their role.")
        @OptionGroup var store: StoreOptions

        func run() throws {
            let database = try store.open()
            for member in try Staff(store: database).all() {
                print(member.username.padding(toLength: 12, withPad: " ", startingAt: 0) + member.role.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + (member.active ? "active  " : "disabled") + "  " + member.name)
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a staff member; the PIN comes from NEW_PIN or a prompt.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "User name.") var username: String
        @Option(help: "Full name.") var name: String
        @Option(help: "cashier, support, manager or admin.") var role: StaffRole

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let pin = try StaffCommand.newPIN(for: username, environment: store.environment)
            let member = try Staff(store: database).add(username: username, name: name, role: role, pin: pin, ctx)
            print("added \(member.username) (\(member.role.rawValue))")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a staff member signing in (history stays).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "User name.") var username: String

        func run() throws { try StaffCommand.setActive(username, false, store: store) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a disabled staff member sign in again.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "User name.") var username: String

        func run() throws { try StaffCommand.setActive(username, true, store: store) }
    }

    static func setActive(_ username: String, _ active: Bool, store: StoreOptions) throws {
        let database = try store.open()
        let ctx = try store.context(in: database)
        try Staff(store: database).setActive(username: username, active, ctx)
        print("\(username) \(active ? "enabled" : "disabled")")
    }

    struct ResetPin: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-pin", abstract: "Set a new PIN (NEW_PIN or a prompt) and lift a lockout.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "User name.") var username: String

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let pin = try StaffCommand.newPIN(for: username, environment: store.environment)
            try Staff(store: database).resetPIN(username: username, to: pin, ctx)
            print("PIN reset for \(username)")
        }
    }

    struct Permissions: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The permission table: which role may do what.")

        func run() {
            let roles = StaffRole.allCases
            print("permission".padding(toLength: 22, withPad: " ", startingAt: 0) + roles.map { $0.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) }.joined())
            for permission in Permission.allCases {
                print(permission.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
                      + roles.map { ($0.allows(permission) ? "yes" : "-").padding(toLength: 9, withPad: " ", startingAt: 0) }.joined())
            }
        }
    }

    static func newPIN(for username: String, environment: [String: String]) throws -> String {
        if let pin = environment["NEW_PIN"], !pin.isEmpty { return pin }
        return try PinPrompt.read(for: "\(username) (new)")
    }
}

extension StaffRole: ExpressibleByArgument {}
