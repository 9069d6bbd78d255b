import ArgumentParser
import Foundation
import TillCore

/// `till customer …` and `till loyalty …`: customers at the counter, and in a chain their purchases and
/// points at every store (from head office).
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Add a customer; in a chain, see their purchases at every store.",
        subcommands: [Add.self, History.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a customer (they get a chain-wide id).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Their name.") var name: String
        @Option(help: "Email.") var email: String?
        @Option(help: "Phone.") var phone: String?

        func run() throws {
            let database = try store.open()
            let customer = try ChainCustomers.add(database, name: name, email: email, phone: phone, try store.context(in: database))
            print("added \(customer.name) (#\(customer.id ?? 0))")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A customer's purchases at every store of the chain, from head office.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Their name, email or phone.") var customer: String
        @Option(help: "At most this many.") var limit = 20

        func run() throws {
            let database = try store.open()
            let id = try SellCommand.customerID(matching: customer, in: database)
            let ctx = try store.context(in: database)
            let zone = LocalTime.timeZone(of: database)
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            guard try ChainStore.membership(database) != nil, let office = ctx.headOffice else {
                throw TillError.invalid("this store is not in a chain: its own orders are in `till orders search --customer`")
            }
            let global = try database.read { db in try String.fetchOne(db, sql: "SELECT global_id FROM customer WHERE id = ?", arguments: [id]) } ?? ""
            let purchases: [ChainPurchase]
            do {
                purchases = try office.purchases(customer: global, limit: limit)
            } catch let error as HeadOfficeUnreachable {
                throw TillError.invalid("head office cannot be reached (\(error.reason)): purchases at other stores are not known offline")
            }
            guard !purchases.isEmpty else { return print("no purchases at any store yet") }
            let rows = purchases.map { purchase in
                ["\(purchase.store)-\(purchase.number)", purchase.completedAt.map { LocalTime.format($0, timeZone: zone) } ?? "",
                 "\(purchase.items)", Money(minorUnits: purchase.total, currency: currency).formatted()]
            }
            TextTable(header: ["order", "when", "lines", "total"], rows: rows, numeric: [2, 3]).lines.forEach { print($0) }
        }
    }
}

struct LoyaltyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loyalty", abstract: "Loyalty points (a chain's scheme, held at head office).", subcommands: [Balance.self])

    struct Balance: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A customer's points over every store of the chain.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Their name, email or phone.") var customer: String

        func run() throws {
            let database = try store.open()
            let id = try SellCommand.customerID(matching: customer, in: database)
            let settings = try database.read { db in try StoreSettings.load(db) }
            guard try ChainStore.membership(database) != nil else {
                throw TillError.invalid("loyalty points are a chain's scheme: this store has not joined a chain")
            }
            do {
                let points = try ChainLoyalty.refresh(database, customerID: id, try store.context(in: database))
                let worth = settings.loyaltyPointValue > 0
                    ? " (worth \(Money(minorUnits: points * settings.loyaltyPointValue, currency: settings.currency).formatted()))" : ""
                print("\(customer): \(points) points at head office\(worth)")
            } catch let error as HeadOfficeUnreachable {
                let known = try database.read { db in try ChainLoyalty.knownBalance(db, customerID: id) }
                print("\(customer): head office cannot be reached (\(error.reason)); "
                      + (known.map { "\($0) points as far as this store knows" } ?? "balance not known here"))
            }
        }
    }
}
