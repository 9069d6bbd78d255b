import ArgumentParser
import Foundation
import TillCore

/// Spends gift cards `PREFIX0001…` one after another, each with one sale of `--item` paid by `--amount` of
/// credit: what four of these, started at the same moment at four stores, do to HQ's holds is the gift-card
/// race in the tests and in `till bench --hq`. Each sale goes through the same path as `till sell --pay
/// credit:CODE:AMOUNT`. Prints one JSON line.
struct CreditRaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "credit-race",
                                                    abstract: "Spend a run of gift cards as fast as possible (tests, till bench --hq).",
                                                    shouldDisplay: false)
    @OptionGroup var store: StoreOptions
    @Option(help: "Card codes are this prefix and a four-digit number.") var cards: String
    @Option(help: "The first card's number.") var first = 1
    @Option(help: "How many cards.") var count: Int
    @Option(help: "How much credit each sale takes.") var amount: String
    @Option(help: "The SKU sold (its price should be the amount).") var item: String
    @Option(help: ArgumentHelp("Start at this Unix time (seconds), so several workers begin together.", valueName: "seconds"))
    var startAt: Double?

    func run() throws {
        let database = try store.open()
        let ctx = try store.context(in: database)
        let currency = try database.read { db in try StoreSettings.load(db).currency }
        let value = try MoneyParser(currency: currency).parse(amount).minorUnits
        guard let product = try Catalog(store: database).lookup(code: item) else { throw TillError.notFound("item \(item)") }
        if let startAt {
            let wait = startAt - Date().timeIntervalSince1970
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
        let checkout = Checkout(store: database)
        var report = RaceReport()
        let began = DispatchTime.now().uptimeNanoseconds
        for number in first..<(first + count) {
            let code = cards + String(format: "%04d", number)
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                _ = try checkout.sell(lines: [SaleLineRequest(variantID: product.variantID, quantity: .units(1))], orderDiscount: nil,
                                      customerID: nil, tenders: [ScriptedTender(method: .credit, amount: value, creditCode: code)], ctx)
                report.granted += 1
            } catch {
                let message = String(describing: error)
                if message.contains("available") || message.contains("nothing left") {
                    report.refused += 1
                } else {
                    report.failed += 1
                    if report.failures.count < 5 { report.failures.append("\(code): \(message)") }
                }
            }
            report.latenciesMicros.append(Int((DispatchTime.now().uptimeNanoseconds - start) / 1000))
        }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}

struct RaceReport: Codable {
    var granted = 0
    var refused = 0
    var failed = 0
    var failures: [String] = []
    var seconds = 0.0
    var latenciesMicros: [Int] = []
}
