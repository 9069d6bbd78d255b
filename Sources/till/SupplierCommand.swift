import ArgumentParser
import Foundation
import TillCore

struct SupplierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supplier", abstract: "Suppliers and what each supplies (their item code, case size, last cost).",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Item.self, RemoveItem.self])

    struct Fields: ParsableArguments {
        @Option(help: "The supplier's name.") var name: String?
        @Option(help: "Who to ask for there.") var contact: String?
        @Option(help: "Where orders go.") var email: String?
        @Option(help: "Their phone number.") var phone: String?
        @Option(name: .customLong("lead-time"), help: ArgumentHelp("Days from sending an order to the goods arriving.", valueName: "days"))
        var leadTime: Int?
        @Option(help: "Payment terms, e.g. \"Net 30\" (printed on purchase orders).") var terms: String?

        func changes(active: Bool? = nil) -> Suppliers.Changes {
            Suppliers.Changes(name: name, contact: contact, email: email, phone: phone, leadTimeDays: leadTime, terms: terms, active: active)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a supplier: a one-word code and --name.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "A short code staff type, e.g. ACME.") var code: String
        @OptionGroup var fields: Fields

        func run() throws {
            let database = try store.open()
            let supplier = try Suppliers(store: database).add(code: code, changes: fields.changes(), try store.context(in: database))
            print("supplier \(supplier.code) added: \(supplier.name), lead time \(supplier.leadTimeDays) days")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suppliers, with how many SKUs each supplies and its open orders.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Include inactive suppliers.") var all = false

        func run() throws {
            let database = try store.open()
            let rows = try Suppliers(store: database).list(includeInactive: all)
            guard !rows.isEmpty else { print("no suppliers yet (till supplier add CODE --name NAME)"); return }
            var table = TextTable(header: ["code", "name", "lead", "terms", "SKUs", "open POs", "contact"], numeric: [2, 4, 5])
            for row in rows {
                let supplier = row.supplier
                table.rows.append([supplier.code + (supplier.active ? "" : " (inactive)"), supplier.name, "\(supplier.leadTimeDays)d",
                                   supplier.terms, String(row.items), String(row.openOrders),
                                   [supplier.contact, supplier.email, supplier.phone].filter { !$0.isEmpty }.joined(separator: " · ")])
            }
            table.lines.forEach { print($0) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One supplier and what it supplies.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The supplier code.") var code: String

        func run() throws {
            let database = try store.open()
            let suppliers = Suppliers(store: database)
            let supplier = try suppliers.supplier(code: code)
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            print("\(supplier.code): \(supplier.name)\(supplier.active ? "" : " (inactive)")")
            for (label, value) in [("contact", supplier.contact), ("email", supplier.email), ("phone", supplier.phone), ("terms", supplier.terms)]
            where !value.isEmpty { print("  \(label): \(value)") }
            print("  lead time: \(supplier.leadTimeDays) days")
            let items = try suppliers.items(code: code)
            guard !items.isEmpty else { print("supplies nothing recorded yet (till supplier item \(supplier.code) SKU --case 12 --cost 1.20)"); return }
            var table = TextTable(header: ["SKU", "their code", "case", "last cost", "name"], numeric: [2, 3])
            for row in items {
                table.rows.append([row.sku, row.item.itemCode, row.item.caseSize.description,
                                   row.item.lastCost.map { Money(minorUnits: $0, currency: currency).formatted() } ?? "—", row.name])
            }
            table.lines.forEach { print($0) }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a supplier's details, or make it inactive.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The supplier code.") var code: String
        @OptionGroup var fields: Fields
        @Flag(inversion: .prefixedNo, help: "Active (--no-active: no new orders to it; its history stays).") var active: Bool?

        func run() throws {
            let database = try store.open()
            let supplier = try Suppliers(store: database).edit(code: code, changes: fields.changes(active: active), try store.context(in: database))
            print("supplier \(supplier.code) updated: \(supplier.name), lead time \(supplier.leadTimeDays) days\(supplier.active ? "" : ", inactive")")
        }
    }

    struct Item: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a supplier supplies a SKU: their code, the case size, the cost.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The supplier code.") var supplier: String
        @Argument(help: "The SKU.") var sku: String
        @Option(name: .customLong("code"), help: "The supplier's own item code.") var itemCode: String?
        @Option(name: .customLong("case"), help: ArgumentHelp("Units in the case it is ordered by.", valueName: "units")) var caseSize: String?
        @Option(help: ArgumentHelp("Cost per unit.", valueName: "amount")) var cost: String?

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            try Suppliers(store: database).setItem(supplier: supplier, sku: sku, itemCode: itemCode,
                                                   caseSize: try caseSize.map(Quantity.parse),
                                                   cost: try cost.map { try MoneyParser(currency: currency).parse($0).minorUnits },
                                                   try store.context(in: database))
            print("\(supplier.uppercased()) supplies \(sku.uppercased())")
        }
    }

    struct RemoveItem: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove-item", abstract: "Record that a supplier no longer supplies a SKU.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The supplier code.") var supplier: String
        @Argument(help: "The SKU.") var sku: String

        func run() throws {
            let database = try store.open()
            try Suppliers(store: database).removeItem(supplier: supplier, sku: sku, try store.context(in: database))
            print("\(supplier.uppercased()) no longer supplies \(sku.uppercased())")
        }
    }
}
