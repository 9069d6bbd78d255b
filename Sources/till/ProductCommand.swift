import ArgumentParser
import Foundation
import TillCore

/// The fields `till product add|edit` take; on edit, only the ones given change.
struct ProductFields: ParsableArguments {
    @Option(help: "Product name.") var name: String?
    @Option(help: "Variant option, e.g. \"M / Navy\".") var option: String?
    @Option(name: .customLong("barcode"), help: "A barcode: EAN-8, UPC-A, EAN-13 or GTIN-14, spaces and hyphens ignored (repeat for several; replaces the list on edit; '' clears it).") var barcodes: [String] = []
    @Option(name: .customLong("case-barcode"), help: ArgumentHelp("A case code and the units it holds, e.g. 10036000291459=12 (repeat; replaces the list on edit; '' clears it).", valueName: "code=qty")) var caseBarcodes: [String] = []
    @Option(help: "Category (created when new).") var category: String?
    @Option(parsing: .unconditional, help: "Shelf price, e.g. 2.49.") var price: String?
    @Option(parsing: .unconditional, help: "Unit cost.") var cost: String?
    @Option(help: "Tax class code.") var taxClass: String?
    @Option(help: "each or kg.") var unit: String?
    @Option(help: "Reorder point.") var reorderPoint: String?
    @Option(help: "Groups variants into one product.") var handle: String?
    @Option(help: ArgumentHelp("What the pack holds, for the unit price on its shelf label: 0.75l, 500g, 1kg, 75cl, 2.5m ('' clears it).", valueName: "size")) var content: String?

    func apply(to draft: inout ProductDraft, currency: Currency) throws {
        let parser = MoneyParser(currency: currency)
        if let name { draft.name = name }
        if let option { draft.option = option }
        if !barcodes.isEmpty { draft.barcodes = barcodes.filter { !$0.isEmpty } }
        if !caseBarcodes.isEmpty { draft.caseBarcodes = try caseBarcodes.filter { !$0.isEmpty }.map(CaseBarcode.parse) }
        if let category { draft.category = category.isEmpty ? nil : category }
        if let price { draft.price = try parser.parse(price).minorUnits }
        if let cost { draft.cost = cost.isEmpty ? nil : try parser.parse(cost).minorUnits }
        if let taxClass { draft.taxClass = taxClass }
        if let unit {
            guard let parsed = SaleUnit(rawValue: unit) else { throw TillError.invalid("unit is each or kg, not \(unit)") }
            draft.unit = parsed
        }
        if let reorderPoint { draft.reorderPoint = try Quantity.parse(reorderPoint) }
        if let handle { draft.handle = handle }
        if let content { draft.content = content.isEmpty ? nil : try ContentSize.parse(content) }
    }
}

struct ProductCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product", abstract: "Add, edit, archive products and change prices (all audited).",
        subcommands: [Add.self, Edit.self, Archive.self, Unarchive.self, Price.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a product (or a variant: give an existing --handle).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The new SKU.") var sku: String
        @OptionGroup var fields: ProductFields

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            guard fields.name != nil, fields.price != nil else { throw TillError.invalid("a new product needs --name and --price") }
            var draft = ProductDraft(sku: sku, name: "", price: 0)
            try fields.apply(to: &draft, currency: currency)
            let editor = CatalogEditor(store: database)
            for warning in try editor.validate(draft).filter(\.isWarning) {
                FileHandle.standardError.write(Data("till: warning: \(warning)\n".utf8))
            }
            let item = try editor.add(draft, try store.context(in: database))
            print("added \(item.sku) \(item.displayName) at \(Money(minorUnits: item.price, currency: currency))")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a product's fields (only those given).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The SKU.") var sku: String
        @Option(help: "A new SKU.") var newSku: String?
        @OptionGroup var fields: ProductFields

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let editor = CatalogEditor(store: database)
            var draft = try editor.draft(sku: sku)
            try fields.apply(to: &draft, currency: currency)
            if let newSku { draft.sku = newSku }
            for warning in try editor.validate(draft, editing: sku).filter(\.isWarning) {
                FileHandle.standardError.write(Data("till: warning: \(warning)\n".utf8))
            }
            let item = try editor.edit(sku: sku, draft, try store.context(in: database))
            print("saved \(item.sku) \(item.displayName)")
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop selling a SKU (its history stays).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The SKU.") var sku: String
        func run() throws {
            let database = try store.open()
            try CatalogEditor(store: database).setActive(sku: sku, false, try store.context(in: database))
            print("archived \(sku)")
        }
    }

    struct Unarchive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sell an archived SKU again.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The SKU.") var sku: String
        func run() throws {
            let database = try store.open()
            try CatalogEditor(store: database).setActive(sku: sku, true, try store.context(in: database))
            print("unarchived \(sku)")
        }
    }

    struct Price: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change prices in bulk: a preview, written only with --apply.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Every SKU in this category.") var category: String?
        @Option(name: .customLong("sku"), help: "A SKU (repeat).") var skus: [String] = []
        @Option(parsing: .unconditional, help: "Percent change, e.g. 5 or -10.") var percent: String?
        @Option(parsing: .unconditional, help: "Amount change, e.g. 0.20 or -0.50.") var amount: String?
        @Flag(help: "Write the new prices.") var apply = false

        func validate() throws {
            guard (percent == nil) != (amount == nil) else { throw ValidationError("give --percent or --amount") }
        }

        func run() throws {
            let database = try store.open()
            let currency = try database.read { db in try StoreSettings.load(db).currency }
            let change = try BulkPriceChange.parse(percent.map { $0 + "%" } ?? amount ?? "", currency: currency)
            let rows = try CatalogEditor(store: database).changePrices(
                skus: skus, category: category, change: change, apply: apply, try store.context(in: database))
            for row in rows {
                print(row.sku.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + Money(minorUnits: row.oldPrice, currency: currency).formatted().leftPadded(10) + " → "
                      + Money(minorUnits: row.newPrice, currency: currency).formatted().leftPadded(10) + "  " + row.name)
            }
            print(apply ? "changed \(rows.count) prices" : "preview only: add --apply to change \(rows.count) prices")
        }
    }
}

struct CategoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "category", abstract: "Add and rename categories, move products between them.",
        subcommands: [Add.self, Rename.self, Move.self])

    struct Add: ParsableCommand {
        @OptionGroup var store: StoreOptions
        @Argument(help: "The new category.") var name: String
        func run() throws {
            let database = try store.open()
            try CatalogEditor(store: database).addCategory(name, try store.context(in: database))
        }
    }

    struct Rename: ParsableCommand {
        @OptionGroup var store: StoreOptions
        @Argument(help: "The category.") var name: String
        @Argument(help: "Its new name.") var newName: String
        func run() throws {
            let database = try store.open()
            try CatalogEditor(store: database).renameCategory(name, to: newName, try store.context(in: database))
        }
    }

    struct Move: ParsableCommand {
        @OptionGroup var store: StoreOptions
        @Option(help: "The category to move to.") var to: String
        @Argument(help: "SKUs whose products move.") var skus: [String]
        func run() throws {
            let database = try store.open()
            try CatalogEditor(store: database).moveToCategory(skus: skus, category: to, try store.context(in: database))
        }
    }
}
