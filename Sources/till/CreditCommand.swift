import ArgumentParser
import Foundation
import TillCore

struct CreditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit", abstract: "Store credit and gift cards: balances and issuing.",
        subcommands: [Balance.self, Issue.self])

    struct Balance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A slip's or gift card's balance and history.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The slip or gift card code.") var code: String
        @Flag(help: "As JSON.") var json = false

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let statement: CreditStatement
            do {
                statement = try StoreCredit(store: database).statement(code: code)
            } catch TillError.notFound(let what) {
                // A card another store of the chain sold: only HQ knows it.
                guard let chain = try chainBalance(database) else { throw TillError.notFound(what) }
                print("\(code.uppercased()): never used at this store; " + chain)
                return
            }
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
            if json {
                try printJSON(CreditJSON(code: statement.account.code, balance: money(statement.balance), currency: currency.code,
                                         entries: statement.entries.map {
                                             .init(at: LocalTime.iso($0.createdAt, timeZone: LocalTime.timeZone(of: database)), change: money($0.delta), reason: $0.reason.rawValue,
                                                   order: $0.orderNumber, staff: $0.staff, note: $0.note)
                                         }))
                return
            }
            if let chain = try chainBalance(database) {
                // The chain's balance first: this store's ledger leaves out what other stores took or added.
                print("\(statement.account.code): \(chain)")
                print("  at this store: \(Money(minorUnits: statement.balance, currency: currency).formatted()) net (its entries below; other stores' are at head office)")
            } else {
                print("\(statement.account.code): \(Money(minorUnits: statement.balance, currency: currency).formatted())")
            }
            for entry in statement.entries {
                let change = Money(minorUnits: entry.delta, currency: currency).formatted()
                print("  " + LocalTime.format(entry.createdAt, timeZone: LocalTime.timeZone(of: database)) + "  " + entry.reason.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                      + change.leftPadded(11) + (entry.orderNumber.map { "  order #\($0)" } ?? "")
                      + (entry.staff.map { "  \($0)" } ?? "") + (entry.note.isEmpty ? "" : "  \(entry.note)"))
            }
        }

        /// In a chain store the balance that counts is HQ's (every store's redemptions); this store's own ledger
        /// shows only what happened here.
        func chainBalance(_ database: StoreDatabase) throws -> String? {
            guard try ChainStore.membership(database) != nil else { return nil }
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            do {
                guard let card = try ChainCredit.lookup(code: code, try store.context(in: database)) else {
                    return "head office does not know this card yet"
                }
                let held = card.held > 0 ? ", \(Money(minorUnits: card.held, currency: currency).formatted()) being spent at a till" : ""
                return "\(Money(minorUnits: card.available, currency: currency).formatted()) available chain-wide (head office)\(held)"
            } catch let error as HeadOfficeUnreachable {
                return "head office cannot be reached (\(error.reason)), so the chain-wide balance is not known"
            }
        }
    }

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put money on a slip or gift card (support, manager).")
        @OptionGroup var store: StoreOptions
        @Option(help: "How much.") var amount: String
        @Option(help: ArgumentHelp("Onto this code (created when new); default a new slip.", valueName: "code")) var code: String?
        @Option(help: ArgumentHelp("The customer (name, email or phone) it belongs to.", valueName: "text")) var customer: String?
        @Option(help: "Why (required).") var note: String

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let value = try MoneyParser(currency: currency).parse(amount)
            let customerID = try customer.map { try SellCommand.customerID(matching: $0, in: database) }
            let statement = try StoreCredit(store: database).issue(amount: value.minorUnits, code: code, customerID: customerID,
                                                                   note: note, ctx)
            print("\(statement.account.code): issued \(value.formatted()), balance \(Money(minorUnits: statement.balance, currency: currency).formatted())")
        }
    }
}

private struct CreditJSON: Encodable {
    struct Entry: Encodable {
        var at: String
        var change: String
        var reason: String
        var order: Int64?
        var staff: String?
        var note: String
    }
    var code: String
    var balance: String
    var currency: String
    var entries: [Entry]
}
