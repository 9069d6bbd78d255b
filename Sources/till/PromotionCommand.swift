import ArgumentParser
import Foundation
import TillCore

/// `till promotion`: automatic promotions and their time windows.
struct PromotionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promotion", abstract: "Automatic promotions: list, add (from a time, until a time), end.",
        subcommands: [List.self, Add.self, End.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every promotion, what it does and when it runs.")
        @OptionGroup var store: StoreOptions

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let settings = try database.read { db in try StoreSettings.load(db) }
            let entries = try Promotions(store: database).list(ctx)
            guard !entries.isEmpty else { return print("no promotions") }
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: settings.currency).formatted() }
            let rows = entries.map { entry -> [String] in
                let rule: String
                switch entry.rule {
                case let .categoryPercent(_, basisPoints): rule = "\(TaxClass.formatRate(basisPoints * 100))% off"
                case let .buyXGetY(_, buy, free): rule = "buy \(buy) get \(free) free"
                case let .multiBuy(_, quantity, price): rule = "\(quantity) for \(money(price))"
                }
                return [String(entry.id), entry.name, rule, entry.target,
                        entry.startsAt.map { LocalTime.format($0, timeZone: settings.timeZone) } ?? "",
                        entry.endsAt.map { LocalTime.format($0, timeZone: settings.timeZone) } ?? "",
                        entry.status(at: ctx.now).rawValue]
            }
            TextTable(header: ["id", "name", "deal", "on", "from", "until", "status"], rows: rows, numeric: [0]).lines.forEach { print($0) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a promotion: --category C --percent P, --sku S --buy X --free Y, or --sku S --bundle N --for PRICE.",
            discussion: "Times are the store's clock (till settings set time_zone …). Its items' shelf labels are queued when it begins and when it ends.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Its name, as the receipt and the label show it (\"Bakery 10% off\").") var name: String
        @Option(help: "Percent off everything in this category (with --percent).") var category: String?
        @Option(parsing: .unconditional, help: "Percent off, e.g. 10 or 12.5.") var percent: String?
        @Option(help: "The SKU (or barcode) of a buy-X-get-Y or multi-buy.") var sku: String?
        @Option(help: "Buy this many …") var buy: Int64?
        @Option(help: "… get this many more free.") var free: Int64?
        @Option(help: "This many …") var bundle: Int64?
        @Option(name: .customLong("for"), parsing: .unconditional, help: "… for this price.") var bundlePrice: String?
        @Option(help: ArgumentHelp("Starts at this time (YYYY-MM-DD HH:MM, or a day); default now.", valueName: "time")) var from: String?
        @Option(help: ArgumentHelp("Ends at this time (YYYY-MM-DD HH:MM, or a day: its midnight).", valueName: "time")) var until: String?

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let settings = try database.read { db in try StoreSettings.load(db) }
            let draft: Promotions.Draft
            if let category, let percent {
                draft = .categoryPercent(category: category, basisPoints: try TaxClass.parseRate(percent) / 100)
            } else if let sku, let buy, let free {
                draft = .buyXGetY(sku: sku, buy: buy, free: free)
            } else if let sku, let bundle, let bundlePrice {
                draft = .multiBuy(sku: sku, quantity: bundle, price: try MoneyParser(currency: settings.currency).parse(bundlePrice).minorUnits)
            } else {
                throw ValidationError("give --category C --percent P, --sku S --buy X --free Y, or --sku S --bundle N --for PRICE")
            }
            let entry = try Promotions(store: database).add(
                name: name, draft, from: try from.map { try Promotions.parseTime($0, in: settings.timeZone) },
                until: try until.map { try Promotions.parseTime($0, in: settings.timeZone) }, ctx)
            print("added promotion \(entry.id) \(entry.name) (\(entry.status(at: ctx.now).rawValue))")
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a promotion now (its items' labels are queued).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The promotion's id (till promotion list).") var id: Int64

        func run() throws {
            let database = try store.open()
            try Promotions(store: database).end(id: id, try store.context(in: database))
            print("ended promotion \(id)")
        }
    }
}
