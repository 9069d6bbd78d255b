import ArgumentParser
import Foundation
import TillCore

struct RefundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refund",
        abstract: "Refund an order, in full or by line and quantity.",
        discussion: """
            Examples: till refund 1042                      (everything left, back to the original payments)
                      till refund 1042 --line 2 --qty 1 --no-restock
                      till refund 1042 --line 1 --line 3 --to store-credit
            --qty pairs with --line in order; without --qty each line is refunded in full. Money goes back to
            the order's cards first, then store credit, then cash. Needs a signed-in user (--user / TILL_USER).
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The order number.") var number: Int64?
    @Option(help: ArgumentHelp("A line number as `till orders show` lists them.", valueName: "n")) var line: [Int] = []
    @Option(help: ArgumentHelp("How many of the matching --line.", valueName: "qty")) var qty: [String] = []
    @Option(help: ArgumentHelp("Put returned goods back at this location (default floor).", valueName: "location"))
    var restock: String?
    @Flag(help: "Do not put the goods back into stock (damaged).") var noRestock = false
    @Option(help: "original or store-credit.") var to: RefundTarget = .original
    @Option(help: ArgumentHelp("Store credit onto this slip or gift card instead of a new slip.", valueName: "code"))
    var creditCode: String?
    @Option(help: "Why (kept with the refund).") var reason = ""
    @Option(help: ArgumentHelp("Finish a refund left on hold because the card processor did not answer.", valueName: "refund-id"))
    var resume: Int64?

    func validate() throws {
        if resume == nil && number == nil { throw ValidationError("give the order number") }
        if !qty.isEmpty && qty.count != line.count { throw ValidationError("give --qty once per --line, or not at all") }
        if noRestock && restock != nil { throw ValidationError("--restock and --no-restock contradict each other") }
    }

    func run() throws {
        let database = try store.open()
        let ctx = try store.context(in: database)
        let refunds = Refunds(store: database)
        let detail: RefundDetail
        if let resume {
            detail = try refunds.resume(refundID: resume, ctx)
        } else {
            let lines = try RefundCommand.lines(line, qty)
            detail = try refunds.refund(RefundRequest(
                orderNumber: number ?? 0, lines: lines, restockLocation: noRestock ? nil : (restock ?? Location.floorCode),
                destination: to.destination, creditCode: creditCode, reason: reason), ctx)
        }
        try printOutcome(detail, database: database)
    }
}

extension RefundCommand {
    /// `--line` numbers paired with `--qty` values (none: each line in full).
    static func lines(_ numbers: [Int], _ quantities: [String]) throws -> [RefundLineRequest] {
        try numbers.enumerated().map { index, number in
            RefundLineRequest(line: number, quantity: try quantities.isEmpty ? nil : Quantity.parse(quantities[index]))
        }
    }
}

struct ExchangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Take lines of an order back and sell other items in one go.",
        discussion: """
            Example: till exchange 1042 --line 2 --item APP-005-02 --pay cash
            The returned lines go onto a store-credit slip that pays the new sale first; --pay covers any
            balance, and anything over stays on the slip (its code is printed).
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The order the goods come back from.") var number: Int64
    @Option(help: ArgumentHelp("A line coming back, as `till orders show` numbers them.", valueName: "n")) var line: [Int] = []
    @Option(help: ArgumentHelp("How many of the matching --line.", valueName: "qty")) var qty: [String] = []
    @Option(name: .customLong("item"), help: ArgumentHelp("A new item: barcode or SKU, optionally *QTY.", valueName: "code[*qty]"))
    var items: [String] = []
    @Option(name: .customLong("pay"), help: ArgumentHelp("Pays any balance: cash, card or credit:CODE, optionally :AMOUNT.", valueName: "method[:amount]"))
    var payments: [String] = []
    @Flag(help: "Do not put the returned goods back into stock.") var noRestock = false

    func validate() throws {
        guard !line.isEmpty else { throw ValidationError("give at least one --line coming back") }
        guard !items.isEmpty else { throw ValidationError("give at least one new --item") }
        if !qty.isEmpty && qty.count != line.count { throw ValidationError("give --qty once per --line, or not at all") }
    }

    func run() throws {
        let database = try store.open()
        let ctx = try store.context(in: database)
        let currency = try database.read { db in try StoreSettings.load(db).currency }
        let newLines = try SellCommand.items(items, in: database).map { SaleLineRequest(variantID: $0.variantID, quantity: $0.quantity) }
        let tenders = try payments.map { try ScriptedTender.parse($0, currency: currency) }
        let exchange = try Refunds(store: database).exchange(
            orderNumber: number, returning: try RefundCommand.lines(line, qty), restockLocation: noRestock ? nil : Location.floorCode,
            newLines: newLines, tenders: tenders, ctx)
        for text in exchange.refund.summary(currency: currency, orderNumber: number) { print(text) }
        print("new order #\(exchange.sale.number): \(Money(minorUnits: exchange.sale.order.total, currency: currency).formatted())")
        if exchange.creditLeft > 0, let code = exchange.refund.creditCode {
            print("left on store credit \(code): \(Money(minorUnits: exchange.creditLeft, currency: currency).formatted())")
        }
    }
}

enum RefundTarget: String, ExpressibleByArgument {
    case original
    case storeCredit = "store-credit"

    var destination: RefundDestination { self == .original ? .original : .storeCredit }
}

/// Prints a refund's summary, the order's new status and, for store credit, the slip's balance.
func printOutcome(_ detail: RefundDetail, database: StoreDatabase) throws {
    let currency = try database.read { db in try StoreSettings.load(db).currency }
    let order = try detail.refund.orderID.map { try Orders(store: database).detail(id: $0).order }
    for line in detail.summary(currency: currency, orderNumber: order?.number) { print(line) }
    if let order, let number = order.number {
        print("order #\(number) is now \(order.status.rawValue.replacingOccurrences(of: "_", with: " "))")
    }
    if let code = detail.creditCode {
        let balance = try StoreCredit(store: database).statement(code: code).balance
        print("store credit \(code) balance \(Money(minorUnits: balance, currency: currency).formatted())")
    }
}

struct ReturnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "return",
        abstract: "Take goods back without a receipt (support or manager; store credit by default), or bought at another store of the chain.",
        discussion: """
            Example: till return --item SNK-001*2 --reason "gift, no receipt" --customer ana@example.com
            In a chain that takes returns anywhere: till return --sold-at S001-1370 --item COF-002 --to cash \
            (head office must be reachable; the customer gets what they paid at S001, and the goods go into this store's stock).
            """)

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("item"), help: ArgumentHelp("A barcode or SKU, optionally *QTY.", valueName: "code[*qty]"))
    var items: [String] = []
    @Option(help: "store-credit or cash.") var to: ReturnTarget = .storeCredit
    @Option(help: ArgumentHelp("Store credit onto this slip or gift card.", valueName: "code")) var creditCode: String?
    @Option(help: ArgumentHelp("The customer (name, email or phone) the credit belongs to.", valueName: "text"))
    var customer: String?
    @Option(help: ArgumentHelp("Put the goods back at this location (default floor).", valueName: "location")) var restock: String?
    @Flag(help: "Do not put the goods back into stock.") var noRestock = false
    @Option(help: "Why there is no receipt (required without --sold-at).") var reason: String?
    @Option(help: ArgumentHelp("Another store's sale, as on its receipt (S001-1370): a return anywhere in the chain.", valueName: "store-number"))
    var soldAt: String?

    func validate() throws {
        guard !items.isEmpty else { throw ValidationError("give at least one --item") }
        if soldAt == nil, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("say why there is no receipt: --reason TEXT (or --sold-at STORE-NUMBER for another store's sale)")
        }
    }

    func run() throws {
        let database = try store.open()
        let ctx = try store.context(in: database)
        if let soldAt {
            let wanted = try SellCommand.items(items, in: database)
            let chainItems = try wanted.map { item -> TransferItem in
                let sku = try database.read { db in
                    try String.fetchOne(db, sql: "SELECT sku FROM variant WHERE id = ?", arguments: [item.variantID])
                } ?? ""
                return TransferItem(sku: sku, quantity: item.quantity)
            }
            let customerID = try customer.map { try SellCommand.customerID(matching: $0, in: database) }
            let detail = try ChainReturns.take(chainNumber: soldAt, items: chainItems, destination: to == .cash ? .cash : .storeCredit,
                                               creditCode: creditCode, customerID: customerID,
                                               restockLocation: noRestock ? nil : (restock ?? Location.floorCode), reason: reason,
                                               store: database, ctx)
            return try printOutcome(detail, database: database)
        }
        let reason = self.reason ?? ""
        let lines = try SellCommand.items(items, in: database).map { NoReceiptItem(variantID: $0.variantID, quantity: $0.quantity) }
        let customerID = try customer.map { try SellCommand.customerID(matching: $0, in: database) }
        let detail = try Refunds(store: database).returnWithoutReceipt(
            lines, destination: to == .cash ? .cash : .storeCredit, creditCode: creditCode, customerID: customerID,
            restockLocation: noRestock ? nil : (restock ?? Location.floorCode), reason: reason, ctx)
        try printOutcome(detail, database: database)
    }
}

enum ReturnTarget: String, ExpressibleByArgument {
    case storeCredit = "store-credit"
    case cash
}

struct VoidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void",
        abstract: "Void a completed sale of today (manager): cards voided, cash back, stock back on the floor.",
        discussion: "A sale from an earlier day, or one already part refunded, is refunded instead (till refund).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "The order number.") var number: Int64
    @Option(help: "Why.") var reason = ""

    func run() throws {
        let database = try store.open()
        let detail = try Refunds(store: database).void(orderNumber: number, reason: reason, try store.context(in: database))
        try printOutcome(detail, database: database)
    }
}
