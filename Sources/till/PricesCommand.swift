import ArgumentParser
import Foundation
import TillCore

/// `till prices`: what HQ's scheduled prices mean for this store's shelves.
struct PricesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices", abstract: "Prices HQ scheduled for a set time, and the shelf labels they change.",
        subcommands: [Changes.self])

    struct Changes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The shelf labels to change: every price HQ scheduled, upcoming first, with old and new price.",
            discussion: "A price HQ published with `till hq catalog price SKU PRICE --from TIME` changes here at that time on this store's clock, even offline.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Only those not yet in effect (labels to print ahead).") var upcoming = false
        @Option(help: "table or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            try ChainPrices.applyDue(database, now: Date())
            let (currency, zone) = try database.read { db in
                let settings = try StoreSettings.load(db)
                return (settings.currency, settings.timeZone)
            }
            let changes = try ChainPrices.changes(database).filter { !upcoming || $0.appliedAt == nil }
            func money(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).formatted() }
            if format == .json {
                return try printJSON(changes.map {
                    LabelJSON(sku: $0.sku, name: $0.name, oldPrice: Money(minorUnits: $0.oldPrice, currency: currency).decimalString,
                              newPrice: Money(minorUnits: $0.newPrice, currency: currency).decimalString,
                              effectiveAt: LocalTime.format($0.effectiveAt, timeZone: zone), inEffect: $0.appliedAt != nil,
                              version: $0.version)
                })
            }
            guard !changes.isEmpty else { return print(upcoming ? "no price changes coming" : "no scheduled prices from HQ") }
            let rows = changes.map { change in
                [LocalTime.format(change.effectiveAt, timeZone: zone), change.sku, change.name, money(change.oldPrice), money(change.newPrice),
                 change.appliedAt == nil ? "upcoming" : "in effect"]
            }
            TextTable(header: ["from", "sku", "name", "old", "new", ""], rows: rows, numeric: [3, 4]).lines.forEach { print($0) }
        }
    }

    struct LabelJSON: Encodable {
        var sku, name, oldPrice, newPrice, effectiveAt: String
        var inEffect: Bool
        var version: Int64
    }
}
