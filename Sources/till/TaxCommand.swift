import ArgumentParser
import Foundation
import TillCore

/// `till tax`: tax classes and their dated rates. Changes need `manage_store` when someone is signed in, and
/// are audited; the rules live in `TaxRates`.
struct TaxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tax", abstract: "Tax classes and their rates: list, add, set a rate from a date, archive.",
        discussion: """
            A rate is in force from its date until the class's next one. `set` without --from takes effect now; a \
            future --from schedules it; a past --from is accepted only if nothing in the class was sold since. \
            Completed sales keep the rate they were sold at; an open cart takes the new rate when it is next priced.
            """,
        subcommands: [List.self, Add.self, Set.self, Archive.self], defaultSubcommand: List.self)

    static func context(_ store: StoreOptions, _ database: StoreDatabase) throws -> TillContext {
        try store.context(in: database)
    }

    static func describe(_ entry: TaxClassRates) -> String {
        var text = entry.code.padding(toLength: 12, withPad: " ", startingAt: 0) + " "
            + entry.name.padding(toLength: 28, withPad: " ", startingAt: 0) + " "
            + (TaxClass.formatRate(entry.current.ratePPM) + "%").leftPadded(8)
        text += entry.current.isOpening ? "" : "  since \(TaxRates.moment(entry.current.effectiveFrom))"
        for next in entry.scheduled { text += "  → \(TaxClass.formatRate(next.ratePPM))% from \(TaxRates.moment(next.effectiveFrom))" }
        text += "  \(entry.productCount) product\(entry.productCount == 1 ? "" : "s")"
        if !entry.active { text += "  (archived)" }
        return text
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every class: its rate now, scheduled changes, products using it.")
        @OptionGroup var store: StoreOptions
        func run() throws {
            let database = try store.open()
            for entry in try TaxRates(store: database).list(TillContext()) { print(TaxCommand.describe(entry)) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new tax class with its rate, e.g. `till tax add reduced \"Reduced rate\" 7`.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The class code products name (letters, digits, - or _).") var code: String
        @Argument(help: "Its name.") var name: String
        @Argument(help: "The rate in percent, e.g. 19 or 8.875.") var rate: String
        func run() throws {
            let database = try store.open()
            let added = try TaxRates(store: database).add(try TaxCommand.context(store, database), code: code, name: name, rate: rate)
            print("added " + TaxCommand.describe(added))
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A class's new rate, from now or from --from DATE.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The class code.") var code: String
        @Argument(help: "The rate in percent, e.g. 19 or 8.875.") var rate: String
        @Option(help: ArgumentHelp("The first day it applies (YYYY-MM-DD, from midnight); default now.", valueName: "date"))
        var from: String?
        func run() throws {
            let database = try store.open()
            let start = try from.map { try TaxRates.parseDay($0) }
            let changed = try TaxRates(store: database).set(try TaxCommand.context(store, database), code: code, rate: rate, from: start)
            print(TaxCommand.describe(changed))
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive a class no product uses (it stays on past sales).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The class code.") var code: String
        func run() throws {
            let database = try store.open()
            try TaxRates(store: database).archive(try TaxCommand.context(store, database), code: code)
            print("archived tax class \(code)")
        }
    }
}
