import ArgumentParser
import Foundation
import TillCore
import TillSampleData

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a store: the demo shop, or an empty one with --empty.")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Create an empty store instead of the demo shop.")
    var empty = false

    @Flag(help: "Replace an existing store file.")
    var force = false

    @Option(help: ArgumentHelp("ISO-4217 currency code (default EUR).", valueName: "code"))
    var currency: String?

    @Flag(inversion: .prefixedNo, help: "Shelf prices include tax (EU/UK) or not (US).")
    var taxInclusive: Bool?

    @Option(help: ArgumentHelp("The shop's name.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Settle cash to a multiple of this amount, e.g. 0.05.", valueName: "amount"))
    var cashRounding: String?

    @Option(help: ArgumentHelp("GS1 variable-measure labels (EAN-13 20–29): off, weight (grams) or price.", valueName: "mode"))
    var variableMeasure: VariableMeasureBarcode.Mode?

    func run() throws {
        if let currency { _ = try Currency.forNewStore(currency) }
        let options = StoreSetupOptions(demoData: empty ? nil : SampleDataFiles.directory, force: force,
                                        currency: currency, taxInclusive: taxInclusive, name: name)
        var configured = options
        configured.cashRounding = cashRounding
        configured.variableMeasure = variableMeasure
        let created = try StoreSetup.create(at: store.path, options: configured)
        let settings = try created.read { db in try StoreSettings.load(db) }
        let products = try Catalog(store: created).count()
        let orders = try Orders(store: created).count()
        print("created \(empty ? "an empty" : "the demo") store at \(store.path): \(settings.name), \(settings.currency.code), prices \(settings.taxInclusive ? "include" : "exclude") tax, \(products) SKUs, \(orders) orders")
        if empty { print("its tax classes (standard, zero) are at 0 %: set a rate with `till tax set standard 19`, add one with `till tax add`") }
    }
}

extension VariableMeasureBarcode.Mode: ExpressibleByArgument {}
