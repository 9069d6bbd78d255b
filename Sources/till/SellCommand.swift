import ArgumentParser
import Foundation
import TillCore

struct SellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sell",
        abstract: "Ring up and complete a sale without the TUI.",
        discussion: """
            Example: till sell --item 4083086271492*2 --item PRO-001*0.450 --discount 10% --pay card:5 --pay cash:20
            A --pay without an amount takes what is still due; cash over the amount due is given back as change.
            On a declined card or bad input nothing is written.
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("item"), help: ArgumentHelp("A barcode or SKU, optionally *QTY (2, or 0.450 for kg items).", valueName: "code[*qty]"))
    var items: [String] = []

    @Option(help: ArgumentHelp("Order discount: 10% or an amount.", valueName: "10%|amount"))
    var discount: String?

    @Option(help: ArgumentHelp("Attach the customer matching this name, email or phone.", valueName: "text"))
    var customer: String?

    @Option(name: .customLong("pay"), help: ArgumentHelp("cash, card, credit:CODE or points (the --customer's loyalty points, in a chain store), optionally :AMOUNT; card is taken on the register's paired reader (Till never takes a card number).", valueName: "method[:amount]"))
    var payments: [String] = []

    @Option(help: ArgumentHelp("Ring the same sale up this many times (load tests); prints a count instead of receipts.", valueName: "n"))
    var `repeat`: Int = 1

    @Flag(help: "Print the order as JSON instead of the receipt.")
    var json = false

    @Option(help: ArgumentHelp("Send the receipt as ESC/POS to this printer (a device, a file, or tcp://HOST:9100) instead of the register's (till printer set).", valueName: "address"))
    var printer: String?

    @Option(help: "Receipt width: 42 or 48 columns.")
    var receiptWidth: Int = 42

    func validate() throws {
        guard !items.isEmpty else { throw ValidationError("give at least one --item") }
        guard !payments.isEmpty else { throw ValidationError("give at least one --pay (cash, card, card:12.50 …)") }
        guard Receipt.widths.contains(receiptWidth) else { throw ValidationError("--receipt-width is 42 or 48") }
        if let printer {
            do { _ = try PrinterAddress(parsing: printer) } catch { throw ValidationError("--printer: \(error)") }
        }
    }

    func run() throws {
        let database = try store.open()
        let ctx = try store.context(in: database, printerPath: printer, receiptWidth: receiptWidth)
        let settings = try database.read { db in try StoreSettings.load(db) }
        let lines = try SellCommand.items(items, in: database).map { SaleLineRequest(variantID: $0.variantID, quantity: $0.quantity) }
        let orderDiscount = try discount.map { try Discount.parse($0, currency: settings.currency) }
        let customerID = try customer.map { try SellCommand.customerID(matching: $0, in: database) }
        let tenders = try payments.map { try ScriptedTender.parse($0, currency: settings.currency) }
        if `repeat` > 1 {
            let checkout = Checkout(store: database)
            for _ in 0..<`repeat` {
                _ = try checkout.sell(lines: lines, orderDiscount: orderDiscount, customerID: customerID,
                                      tenders: tenders, ctx)
            }
            print("sold \(`repeat`)")
            return
        }
        ChainLoyalty.refreshForSale(database, customerID: customerID, ctx)  // the receipt's points balance
        let sale = try Checkout(store: database).sell(
            lines: lines, orderDiscount: orderDiscount, customerID: customerID, tenders: tenders, ctx)
        // The sale is saved; its receipt is queued, then printed — a printer that cannot print leaves it queued
        // and says so on standard error, never failing the sale.
        let output = ReceiptOutput(store: database, width: receiptWidth, printerPath: printer)
        let issued = try output.issueQueued(orderNumber: sale.number, register: ctx.register, at: ctx.now)
        let receipt = issued.text
        if let job = issued.job {
            let printed = try ReceiptPrintQueue(output: output).print(jobID: job.id)
            if printed.status != .printed {
                FileHandle.standardError.write(Data("till: receipt #\(sale.number) not printed — printer \(printed.printer ?? "") \(printed.lastError ?? ""); it is queued: till printer retry \(ctx.register)\n".utf8))
            } else if let warning = printed.lastError {
                FileHandle.standardError.write(Data("till: warning: printer \(printed.printer ?? "") \(warning): change the roll soon\n".utf8))
            }
        }
        if json {
            var text = ""
            try Exporter(store: database).order(number: sale.number) { text += $0 }
            print(text, terminator: "")
        } else {
            print("order #\(sale.number) completed")
            print(receipt, terminator: "")
        }
    }

    /// The one customer whose name, email or phone matches; an error naming the problem otherwise.
    static func customerID(matching text: String, in database: StoreDatabase) throws -> Int64 {
        let matches = try Customers(store: database).find(text, limit: 5)
        guard matches.count == 1, let match = matches.first else {
            throw TillError.invalid(matches.isEmpty ? "no customer matches \"\(text)\""
                                    : "\(matches.count == 5 ? "5 or more" : String(matches.count)) customers match \"\(text)\"; be more specific")
        }
        return match.id ?? 0
    }

    /// `CODE[*QTY]` arguments as items: a barcode (scale labels carry their weight) or SKU, and a quantity
    /// (default one piece; a weighed item without a label or `*QTY` is refused by TillCore).
    static func items(_ arguments: [String], in database: StoreDatabase) throws -> [(variantID: Int64, quantity: Quantity)] {
        let catalog = Catalog(store: database)
        return try arguments.map { entry in
            let parts = entry.split(separator: "*", maxSplits: 1).map(String.init)
            let code = parts.first ?? ""
            guard let scanned = try catalog.resolveScan(code) else { throw TillError.notFound("barcode or SKU \"\(code)\"") }
            let typed = try parts.count == 2 ? Quantity.parse(parts[1]) : nil
            // A weighed item needs its weight; a scale label carries it; a case code its pack, times a typed *QTY.
            return (scanned.item.variantID, scanned.needsWeight ? try scanned.item.saleQuantity(typed) : try scanned.units(typed: typed))
        }
    }
}
