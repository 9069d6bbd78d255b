import ArgumentParser
import Foundation
import TillCore

struct StockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Adjust, receive and transfer stock (every change is a ledger movement).",
        subcommands: [Adjust.self, Receive.self, Transfer.self, Elsewhere.self])

    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or remove stock with a reason.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The SKU.") var sku: String
        @Option(parsing: .unconditional, help: ArgumentHelp("Units to add (negative to remove), e.g. -2 or 1.5 for kg items.", valueName: "n"))
        var delta: String
        @Option(help: ArgumentHelp("received, damaged, shrinkage, count, return_to_vendor or other.", valueName: "code"))
        var reason: String
        @Option(help: "floor or back.") var location = Location.floorCode
        @Option(help: "Why (required for other).") var note: String?

        func run() throws {
            let database = try store.open()
            guard let code = StockReason(rawValue: reason) else {
                throw TillError.invalid("unknown reason \"\(reason)\" (use \(StockOperations.adjustmentReasons.map(\.rawValue).joined(separator: ", ")))")
            }
            let onHand = try StockOperations(store: database).adjust(sku: sku, delta: try Quantity.parse(delta), reason: code,
                                                                     location: location, note: note,
                                                                     try store.context(in: database))
            print("\(sku.uppercased()) at \(location): on hand \(onHand)")
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Receive a delivery: SKU=QTY or SKU=QTY@COST per line.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Delivery note or purchase-order number.", valueName: "ref")) var ref: String
        @Option(help: ArgumentHelp("Who delivered it (stored with the receipt).", valueName: "name")) var supplier: String?
        @Option(help: "Where it goes: floor or back.") var location = Location.floorCode
        @Flag(help: "Receive a reference already received from the same supplier (the rest of a split delivery).")
        var again = false
        @Argument(help: "Lines: SKU=QTY or SKU=QTY@COST.") var lines: [String]

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let parsed = try lines.map { try StockOperations.ReceiptLine.parse($0, currency: currency) }
            try StockOperations(store: database).receive(reference: ref, supplier: supplier, lines: parsed, location: location,
                                                         again: again, try store.context(in: database))
            print("received \(parsed.count) line\(parsed.count == 1 ? "" : "s") against \(ref)\(again ? " (again)" : "")")
        }
    }

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move stock between locations.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The SKU.") var sku: String
        @Option(help: "How many.") var qty: String
        @Option(help: "From: floor or back.") var from: String
        @Option(help: "To: floor or back.") var to: String

        func run() throws {
            let database = try store.open()
            let quantity = try Quantity.parse(qty)
            try StockOperations(store: database).transfer(sku: sku, quantity: quantity, from: from, to: to,
                                                          try store.context(in: database))
            print("moved \(quantity) \(sku.uppercased()) from \(from) to \(to)")
        }
    }
}

extension StockCommand {
    struct Elsewhere: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A SKU's on-hand at the chain's other stores, from head office.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The SKU.") var sku: String

        func run() throws {
            let database = try store.open()
            let zone = LocalTime.timeZone(of: database)
            let levels: [StoreStock]
            do {
                levels = try ChainStock.elsewhere(sku: sku, store: database, try store.context(in: database))
            } catch let error as HeadOfficeUnreachable {
                throw TillError.invalid("head office cannot be reached (\(error.reason)): other stores' stock is not known offline")
            }
            guard !levels.isEmpty else {
                print("\(sku.uppercased()): no other store has recorded any")
                return
            }
            print("\(sku.uppercased()) at other stores (head office's figures):")
            let rows = levels.map { level in
                [level.store, level.storeName, level.onHand.description,
                 level.asOf.map { "as of " + LocalTime.format($0, timeZone: zone) } ?? ""]
            }
            TextTable(header: ["store", "name", "on hand", ""], rows: rows, numeric: [2]).lines.forEach { print("  " + $0) }
        }
    }
}

struct CountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count", abstract: "Cycle counts: start, set counted quantities, review, apply or cancel.",
        subcommands: [Start.self, Set.self, Show.self, Apply.self, Cancel.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a count of a location (optionally one category).")
        @OptionGroup var store: StoreOptions
        @Option(help: "floor or back.") var location = Location.floorCode
        @Option(help: "Only this category.") var category: String?
        func run() throws {
            let database = try store.open()
            let id = try StockCounts(store: database).start(location: location, category: category,
                                                            try store.context(in: database))
            print("count \(id) started")
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a counted quantity.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The count number.") var count: Int64
        @Argument(help: "The SKU.") var sku: String
        @Argument(help: "The quantity counted.") var quantity: String
        func run() throws {
            let database = try store.open()
            try StockCounts(store: database).set(countID: count, sku: sku, counted: try Quantity.parse(quantity),
                                                 try store.context(in: database))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The variance report so far.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The count number.") var count: Int64
        func run() throws {
            let database = try store.open()
            printVariances(try StockCounts(store: database).variances(countID: count), database: database)
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply every variance as a count-correction movement.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The count number.") var count: Int64
        func run() throws {
            let database = try store.open()
            let applied = try StockCounts(store: database).apply(countID: count, try store.context(in: database))
            printVariances(applied, database: database)
            print("count \(count) applied")
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a count without changing stock.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The count number.") var count: Int64
        func run() throws {
            let database = try store.open()
            try StockCounts(store: database).cancel(countID: count, try store.context(in: database))
            print("count \(count) cancelled")
        }
    }

    static func printVariances(_ lines: [CountVariance], database: StoreDatabase) {
        let currency = (try? database.read { db in try StoreSettings.load(db).currency }) ?? .EUR
        print("SKU          expected  counted  variance        value")
        var total: Int64 = 0
        for line in lines {
            total += line.value
            print(line.sku.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + " " + line.expected.description.leftPadded(8) + " " + line.counted.description.leftPadded(8)
                  + " " + line.variance.description.leftPadded(9)
                  + " " + Money(minorUnits: line.value, currency: currency).formatted().leftPadded(12))
        }
        print("total variance value: \(Money(minorUnits: total, currency: currency).formatted())")
    }
}

struct ReorderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reorder", abstract: "SKUs at or below their reorder point, with a suggested order quantity.")
    @OptionGroup var store: StoreOptions
    @Option(help: "table, csv or json.") var format: ReportFormat = .table

    func run() throws {
        let database = try store.open()
        let rows = try StockReports(store: database).reorder(try store.context(in: database))
        switch format {
        case .json:
            try printJSON(rows)
        case .csv:
            var text = CSVText(header: ["sku", "name", "on_hand", "reorder_point", "sold_last_30_days", "suggested"])
            for row in rows { text.append([row.sku, row.name, row.onHand, row.reorderPoint, row.soldLast30Days, row.suggested]) }
            print(text.text, terminator: "")
        case .table:
            print("SKU          on hand  reorder at  sold 30d  order  name")
            for row in rows {
                print(row.sku.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + row.onHand.leftPadded(7) + " "
                      + row.reorderPoint.leftPadded(11) + " " + row.soldLast30Days.leftPadded(9) + " "
                      + row.suggested.leftPadded(6) + "  " + row.name)
            }
        }
    }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports.",
        subcommands: [Sales.self, X.self, Z.self, Exceptions.self, Shifts.self, Valuation.self, Reconcile.self])

    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Match Till's card payments against the card processor's records; exits 1 when anything differs.",
            discussion: """
                The processor's side comes from its API (the register's paired reader) for a business day or a period,
                or from a settlement file: Stripe's itemized payout reconciliation report (CSV), whose gross, fees and
                net are summed per business day. Each mismatch is named: in Till not at the processor, at the
                processor not in Till, amounts differ, refund differs, captured less than authorized.
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: "One business day (YYYY-MM-DD); default today.") var date: String?
        @Option(help: "The first business day of a period (YYYY-MM-DD).") var from: String?
        @Option(help: "The last business day of a period (YYYY-MM-DD), included.") var to: String?
        @Option(help: ArgumentHelp("A Stripe itemized payout reconciliation CSV to match instead of asking the API.", valueName: "file"))
        var settlement: String?
        @Option(help: "table or json.") var format: ReportFormat = .table

        func validate() throws {
            if format == .csv { throw ValidationError("reconcile prints --format table or json") }
            if date != nil && (from != nil || to != nil) { throw ValidationError("give --date, or --from and --to, not both") }
            if (from == nil) != (to == nil) { throw ValidationError("a period needs both --from and --to") }
        }

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let settings = try database.read { db in try StoreSettings.load(db) }
            let currency = settings.currency
            func bounds(_ text: String) throws -> (start: Date, end: Date) {
                try BusinessDay(text).clockInterval(settings: settings)
            }
            let file = try settlement.map { try SettlementFile.read(path: $0, currency: currency) }
            var period: (Date, Date)
            if let from, let to {
                period = (try bounds(from).start, try bounds(to).end)
            } else if let date {
                period = try bounds(date)
            } else if let file, let first = file.rows.map(\.created).min(), let last = file.rows.map(\.created).max() {
                period = (first, last.addingTimeInterval(1))  // the payout's own charges
            } else {
                period = BusinessDay.byClock(ctx.now, settings: settings).clockInterval(settings: settings)
            }
            let terminal = file == nil ? try ctx.requireTerminal() : ctx.terminal
            let report: ReconciliationReport
            do {
                report = try Reconciliation(store: database, terminal: terminal).run(from: period.0, to: period.1, settlement: file, ctx)
            } catch let error as CardTerminalError {
                throw TillError.invalid("cannot read the card processor's records: \(error)")
            }
            func money(_ units: Int64?) -> String { units.map { Money(minorUnits: $0, currency: currency).formatted() } ?? "—" }
            if format == .json {
                try printJSON(report)
            } else {
                print("Till's \(report.processor) card payments against " + (report.source == "processor"
                    ? "the processor's records (\(terminal?.readerID ?? "")); fees and net come with a settlement file (--settlement)"
                    : "the settlement file \(report.source)"))
                func row(_ label: String, _ charges: Int, _ gross: Int64, _ refunds: Int64, _ fees: Int64?, _ net: Int64?) {
                    print(label.padding(toLength: 11, withPad: " ", startingAt: 0) + String(charges).leftPadded(9)
                          + money(gross).leftPadded(13) + money(refunds).leftPadded(13) + money(fees).leftPadded(13) + money(net).leftPadded(13))
                }
                if report.days.isEmpty {
                    print("no card payments at the processor in this period")
                } else {
                    print("day          charges        gross      refunds         fees          net")
                }
                for day in report.days { row(day.day, day.charges, day.gross, day.refunds, day.fees, day.net) }
                if report.days.count > 1 {
                    let fees = report.days.compactMap(\.fees), nets = report.days.compactMap(\.net)
                    row("total", report.days.map(\.charges).reduce(0, +), report.days.map(\.gross).reduce(0, +),
                        report.days.map(\.refunds).reduce(0, +), fees.isEmpty ? nil : fees.reduce(0, +), nets.isEmpty ? nil : nets.reduce(0, +))
                }
                for (other, amount) in report.otherProcessors.sorted(by: { $0.key < $1.key }) {
                    print("not compared: \(money(amount)) of card payments on the \(other) reader in this period (reconcile them against that processor)")
                }
                if report.issues.isEmpty { print("no mismatches") }
                for issue in report.issues {
                    let words: String
                    switch issue.kind {
                    case .inTillNotAtProcessor: words = "in Till, not at the processor"
                    case .atProcessorNotInTill: words = "at the processor, not in Till"
                    case .amountDiffers: words = "amounts differ"
                    case .refundDiffers: words = "refund differs"
                    case .capturedLessThanAuthorized: words = "captured less than authorized"
                    }
                    print(words.padding(toLength: 31, withPad: " ", startingAt: 0)
                          + (issue.orderNumber.map { "#\($0)" } ?? "—").padding(toLength: 8, withPad: " ", startingAt: 0)
                          + "till " + money(issue.tillAmount).leftPadded(10) + "  processor " + money(issue.processorAmount).leftPadded(10)
                          + "  " + issue.paymentID)
                }
            }
            if !report.issues.isEmpty {
                throw TillError.invalid("\(report.issues.count) mismatch\(report.issues.count == 1 ? "" : "es") between the card processor and Till")
            }
        }
    }

    struct Valuation: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Inventory value (on-hand × cost) by category or location.")
        @OptionGroup var store: StoreOptions
        @Option(help: "category or location.") var by: StockReports.ValuationGrouping = .category
        @Option(help: "table, csv or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let rows = try StockReports(store: database).valuation(by: by, try store.context(in: database))
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
            switch format {
            case .json:
                try printJSON(rows.map { ["group": $0.group, "units": $0.units.description, "value": money($0.value),
                                          "skus_without_cost": String($0.withoutCost)] })
            case .csv:
                var text = CSVText(header: [by.rawValue, "units", "value", "skus_without_cost"])
                for row in rows { text.append([row.group, row.units.description, money(row.value), String(row.withoutCost)]) }
                print(text.text, terminator: "")
            case .table:
                print(by.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + "     units          value")
                for row in rows {
                    print(row.group.padding(toLength: 22, withPad: " ", startingAt: 0) + row.units.description.leftPadded(10)
                          + Money(minorUnits: row.value, currency: currency).formatted().leftPadded(15)
                          + (row.withoutCost > 0 ? "  (\(row.withoutCost) SKUs without cost)" : ""))
                }
                let total = rows.reduce(Int64(0)) { $0 + $1.value }
                print("total".padding(toLength: 32, withPad: " ", startingAt: 0) + Money(minorUnits: total, currency: currency).formatted().leftPadded(15))
            }
        }
    }
}

/// Pretty, stable JSON on standard output, for scripts.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

extension StockReports.ValuationGrouping: ExpressibleByArgument {}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
