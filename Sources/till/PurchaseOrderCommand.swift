import ArgumentParser
import Foundation
import TillCore

struct PurchaseOrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "po", abstract: "Purchase orders: draft from the reorder list, edit, send, receive against, close.",
        subcommands: [Draft.self, Suggest.self, List.self, Show.self, Edit.self, Send.self, Receive.self, Close.self])

    static func lines(_ texts: [String], in database: StoreDatabase) throws -> [StockOperations.ReceiptLine] {
        let currency = try database.read { db in try StoreSettings.load(db).currency }
        return try texts.map { try StockOperations.ReceiptLine.parse($0, currency: currency) }
    }

    struct Draft: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft orders from the reorder list (one per supplier), or one by hand with SKU=QTY[@COST] lines.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this supplier's SKUs (required with lines or --empty).", valueName: "code")) var supplier: String?
        @Option(help: ArgumentHelp("Days of sales the order quantity is worked out from.", valueName: "days"))
        var window = ReorderSuggestions.defaultWindowDays
        @Option(help: "Where the goods will go: floor or back.") var location = Location.backCode
        @Flag(help: "An empty draft to add lines to (till po edit).") var empty = false
        @Option(help: "A note printed on the order.") var note: String?
        @Argument(help: "Lines: SKU=QTY or SKU=QTY@COST (cost per unit).") var lines: [String] = []

        func run() throws {
            let database = try store.open()
            let orders = PurchaseOrders(store: database)
            let ctx = try store.context(in: database)
            if empty || !lines.isEmpty {
                guard let supplier else { throw TillError.invalid("a purchase order by hand needs --supplier CODE") }
                let number = try orders.draft(supplier: supplier, lines: try PurchaseOrderCommand.lines(lines, in: database),
                                              location: location, note: note ?? "", ctx)
                for entry in try orders.detail(number: number).lines {
                    print("  \(entry.sku) \(entry.line.ordered)\(entry.line.caseSizeMilli != Quantity.scale ? " (cases of \(entry.line.caseSize))" : "")")
                }
                print("drafted \(PurchaseOrder.label(number)) for \(supplier.uppercased()) (till po show \(number); till po send \(number))")
                return
            }
            let result = try orders.draftFromReorderList(supplier: supplier, windowDays: window, location: location, ctx)
            for number in result.orders {
                let detail = try orders.detail(number: number)
                print("drafted \(detail.order.label) for \(detail.supplier.code): \(detail.lines.count) line\(detail.lines.count == 1 ? "" : "s"), "
                      + Money(minorUnits: detail.orderedValue, currency: detail.currency).formatted())
            }
            if !result.withoutSupplier.isEmpty {
                print("not ordered (no supplier recorded): \(result.withoutSupplier.joined(separator: ", ")) — till supplier item SUPPLIER SKU")
            }
        }
    }

    struct Suggest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What drafting from the reorder list would order, and why (nothing is drafted).")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this supplier's SKUs.", valueName: "code")) var supplier: String?
        @Option(help: ArgumentHelp("Days of sales the quantity is worked out from.", valueName: "days")) var window = ReorderSuggestions.defaultWindowDays

        func run() throws {
            let database = try store.open()
            let rows = try PurchaseOrders(store: database).suggestions(supplier: supplier, windowDays: window, try store.context(in: database))
            guard !rows.isEmpty else { print("nothing is at or below its reorder point (counting what is on order)"); return }
            var table = TextTable(header: ["SKU", "on hand", "on order", "reorder at", "sold \(window)d", "supplier", "lead", "case", "order", "name"],
                                  numeric: [1, 2, 3, 4, 6, 7, 8])
            for row in rows {
                table.rows.append([row.sku, row.onHand.description, row.onOrder.description, row.reorderPoint.description,
                                   row.soldInWindow.description, row.supplierCode ?? "(none)", row.supplierCode == nil ? "" : "\(row.leadTimeDays)d",
                                   row.caseSize.description, row.quantity.description, row.name])
            }
            table.lines.forEach { print($0) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Purchase orders, newest first (open ones unless --all or --status).")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("draft, sent, partial, received or closed.", valueName: "status")) var status: String?
        @Flag(help: "Closed orders too.") var all = false
        @Option(help: ArgumentHelp("Only this supplier's.", valueName: "code")) var supplier: String?

        func run() throws {
            let database = try store.open()
            let statuses: [PurchaseOrder.Status]?
            if let status {
                guard let parsed = PurchaseOrder.Status(rawValue: status.lowercased()) else {
                    throw TillError.invalid("unknown status \"\(status)\" (draft, sent, partial, received, closed)")
                }
                statuses = [parsed]
            } else {
                statuses = all ? nil : [.draft, .sent, .partial, .received]
            }
            let rows = try PurchaseOrders(store: database).list(statuses: statuses, supplier: supplier)
            guard !rows.isEmpty else { print("no purchase orders\(all || status != nil ? "" : " open") (till po draft)"); return }
            let settings = try database.read { db in try StoreSettings.load(db) }
            var table = TextTable(header: ["PO", "supplier", "status", "lines", "back-ordered", "value", "created", "due"], numeric: [3, 4, 5])
            for row in rows {
                table.rows.append([PurchaseOrder.label(row.number), row.supplier, row.status.rawValue, String(row.lines),
                                   String(row.backOrderedLines), Money(minorUnits: row.value, currency: settings.currency).formatted(),
                                   LocalTime.format(row.createdAt, settings: settings), row.expectedOn ?? ""])
            }
            table.lines.forEach { print($0) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One purchase order: lines ordered, received, back-ordered.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order: PO-1001 or 1001.") var number: String

        func run() throws {
            let database = try store.open()
            let detail = try PurchaseOrders(store: database).detail(number: try PurchaseOrder.number(from: number))
            let settings = try database.read { db in try StoreSettings.load(db) }
            let order = detail.order
            print("\(order.label)  \(detail.supplier.code) (\(detail.supplier.name))  \(order.status.rawValue)  to \(detail.location)")
            print("created \(LocalTime.format(order.createdAt, settings: settings))"
                  + (order.sentAt.map { ", sent \(LocalTime.format($0, settings: settings))" } ?? "")
                  + (order.expectedOn.map { ", due \($0)" } ?? "")
                  + (order.closedAt.map { ", closed \(LocalTime.format($0, settings: settings))" } ?? ""))
            if !order.note.isEmpty { print("note: \(order.note)") }
            var table = TextTable(header: ["SKU", "ordered", "case", "received", "back-ordered", "cost", "name"], numeric: [1, 2, 3, 4, 5])
            for entry in detail.lines {
                let line = entry.line
                var received = line.received.description
                if line.over.milli > 0 { received += " (+\(line.over) over)" }
                table.rows.append([entry.sku, line.ordered.description, line.caseSize.description, received,
                                   order.status == .closed && line.backOrdered.milli > 0 ? "\(line.backOrdered) cancelled" : line.backOrdered.description,
                                   line.unitCost.map { Money(minorUnits: $0, currency: detail.currency).formatted() } ?? "—",
                                   entry.name + (line.addedReason.map { "  [not ordered: \($0)]" } ?? "")])
            }
            table.lines.forEach { print($0) }
            print("ordered value \(Money(minorUnits: detail.orderedValue, currency: detail.currency).formatted())")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set lines (SKU=QTY[@COST]; 0 takes one off) or remove SKUs on a draft or sent order.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order: PO-1001 or 1001.") var number: String
        @Argument(help: "Lines: SKU=QTY or SKU=QTY@COST.") var lines: [String] = []
        @Option(help: "Take a SKU off the order (repeatable).") var remove: [String] = []
        @Option(help: "A note printed on the order.") var note: String?

        func run() throws {
            let database = try store.open()
            let po = try PurchaseOrder.number(from: number)
            let rounded = try PurchaseOrders(store: database).edit(number: po, set: try PurchaseOrderCommand.lines(lines, in: database),
                                                                   remove: remove, note: note, try store.context(in: database))
            rounded.forEach { print($0) }
            print("\(PurchaseOrder.label(po)) updated (till po show \(po))")
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send an order: writes PO-N.csv and PO-N.txt for the supplier and marks it sent.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order: PO-1001 or 1001.") var number: String
        @Option(help: ArgumentHelp("Folder for the documents (default: beside the store, STORE-purchase-orders/).", valueName: "dir")) var out: String?

        func run() throws {
            let database = try store.open()
            let sent = try PurchaseOrders(store: database).sendWritingDocuments(number: try PurchaseOrder.number(from: number),
                                                                                to: out.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                                                                try store.context(in: database))
            let supplier = sent.detail.supplier
            print("\(sent.detail.order.label) sent to \(supplier.code)\(supplier.email.isEmpty ? "" : " (\(supplier.email))"), due \(sent.detail.order.expectedOn ?? "—")")
            print(sent.csv.path)
            print(sent.text.path)
        }
    }

    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Receive a delivery against an order: SKU=QTY[@COST], a barcode, or a case code (counts cases).",
            discussion: "With --scan, codes are read from standard input one per line, as a scanner types them: each line is one unit (or one case for a case code), or CODE=QTY.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order: PO-1001 or 1001.") var number: String
        @Argument(help: "Lines: SKU=QTY, SKU=QTY@COST (cost per unit), or a code alone for one.") var lines: [String] = []
        @Flag(help: "Read scanned codes from standard input until end of input.") var scan = false
        @Option(name: .customLong("delivery-note"), help: ArgumentHelp("The supplier's delivery note number.", valueName: "ref")) var deliveryNote: String?
        @Option(name: .customLong("add-reason"), help: ArgumentHelp("Keep items that are not on the order, and why.", valueName: "text")) var addReason: String?
        @Option(help: ArgumentHelp("Freight on this delivery, spread into the landed cost.", valueName: "amount")) var freight: String?
        @Option(help: "How freight is spread: value or quantity.") var spread = "value"
        @Flag(help: "Book a delivery note already received against this order again.") var again = false

        func run() throws {
            let database = try store.open()
            var texts = lines
            if scan {
                while let line = readLine() {
                    let code = line.trimmingCharacters(in: .whitespaces)
                    if !code.isEmpty { texts.append(code) }
                }
            }
            // A code alone is one of it, as a scan is.
            let parsed = try PurchaseOrderCommand.lines(texts.map { $0.contains("=") ? $0 : "\($0)=1" }, in: database)
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            guard let basis = LandedCost.Basis(rawValue: spread) else { throw TillError.invalid("--spread \(spread): use value or quantity") }
            let charge = try freight.map { PurchaseOrders.Freight(amount: try MoneyParser(currency: currency).parse($0).minorUnits, basis: basis) }
            let result = try PurchaseOrders(store: database).receive(number: try PurchaseOrder.number(from: number), lines: parsed,
                                                                     deliveryNote: deliveryNote, addReason: addReason, freight: charge,
                                                                     again: again, try store.context(in: database))
            var table = TextTable(header: ["SKU", "now", "received", "ordered", "back-ordered", "landed cost", ""], numeric: [1, 2, 3, 4, 5])
            for line in result.lines {
                var remark = line.over.milli > 0 ? "\(line.over) over the order" : ""
                if let reason = line.addedReason { remark = "not ordered: \(reason)" }
                table.rows.append([line.sku, line.now.description, line.received.description, line.ordered.description,
                                   line.backOrdered.description, line.landedCost.map { Money(minorUnits: $0, currency: currency).formatted() } ?? "—", remark])
            }
            table.lines.forEach { print($0) }
            print("\(PurchaseOrder.label(result.number)) is \(result.status.rawValue)\(result.status == .partial ? " (the rest stays on back-order)" : "")")
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close an order: nothing more is expected; what is still back-ordered is cancelled.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The order: PO-1001 or 1001.") var number: String

        func run() throws {
            let database = try store.open()
            let po = try PurchaseOrder.number(from: number)
            let cancelled = try PurchaseOrders(store: database).close(number: po, try store.context(in: database))
            print("\(PurchaseOrder.label(po)) closed" + (cancelled.isEmpty ? "" : "; back-orders cancelled: "
                  + cancelled.map { "\($0.sku) \($0.cancelled)" }.joined(separator: ", ")))
        }
    }
}
