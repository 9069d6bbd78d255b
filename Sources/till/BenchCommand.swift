import ArgumentParser
import Foundation
import TillBench
import TillCore
import TillHQ
import TillTUI

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Build a synthetic store and time the hot paths against the bare SQLite C API.",
        discussion: "Defaults: 1,000,000 products and 1,000,000 orders; --quick is 100,000 of each. Figures are printed, not asserted.")

    @Option(help: "Products to generate.") var products: Int?
    @Option(help: "Orders to generate.") var orders: Int?
    @Flag(help: "100,000 products and 100,000 orders.") var quick = false
    @Option(help: "Timed runs per path.") var runs = 1000
    @Option(help: ArgumentHelp("Leave the generated store at this path.", valueName: "path")) var keep: String?
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Flag(help: "Head office's figures instead: ingest against INSERT and COPY, catch-up, 50 stores at once, scans while uploading (needs --postgres or TILL_HQ_URL: a database it may create another database beside).")
    var hq = false
    @Option(help: ArgumentHelp("With --hq: PostgreSQL as an administrator who may create databases and roles.", valueName: "url"))
    var postgres: String?

    func validate() throws {
        guard (products ?? 1) > 0, (orders ?? 1) > 0, runs > 10 else { throw ValidationError("products, orders and runs must be positive (runs > 10)") }
    }

    func run() throws {
        if hq { return try runHQ() }
        let size = quick ? 100_000 : 1_000_000
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let bench = Bench(options: .init(products: products ?? size, orders: orders ?? size, runs: runs, keepPath: keep,
                                         executable: executable)) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        let report = try bench.run { stage, done, total in
            ProgressBar.handler(label: "generating \(stage)".padding(toLength: 24, withPad: " ", startingAt: 0))?(done, total)
        }
        if json {
            try printJSON(report)
        } else {
            print(report.table)
        }
    }
}

extension BenchCommand {
    func runHQ() throws {
        let url = try HQOptions.url(postgres)
        let bench = HQBench(options: .init(adminURL: url, products: products ?? (quick ? 100_000 : 1_000_000),
                                           ingestEvents: quick ? 20_000 : 100_000, catchUpSales: 5_000, stores: 50,
                                           runs: runs)) { line in
            FileHandle.standardError.write(Data(("till: " + line + "\n").utf8))
        }
        let report = try bench.run()
        if json { try printJSON(report) } else { report.lines.forEach { print($0) } }
    }
}

/// Opens the store, renders the first full frame headless and exits: what `till bench` times as cold start.
struct FirstFrameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "first-frame", abstract: "Render the first frame headless and exit (for till bench).",
                                                    shouldDisplay: false)
    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.open()
        let settings = try database.read { db in try StoreSettings.load(db) }
        let driver = AppDriver(state: AppState(store: StoreInfo(name: settings.name, currency: settings.currency, taxInclusive: settings.taxInclusive),
                                               size: ScreenSize(width: 200, height: 60)),
                               theme: try Theme.load("default"), runner: EffectRunner(store: database))
        driver.start()
        driver.press(.function(2))
        let frame = driver.frame
        print(frame.width * frame.height)
    }
}

/// Opens every pane of the app headless on a store and scans at the register, printing the timings and the
/// peak resident memory as JSON: what `till bench` measures of the app, in a process of its own.
struct PaneTourCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pane-tour", abstract: "Time every pane's first frame and scans, headless (for till bench).",
                                                    shouldDisplay: false)
    @OptionGroup var store: StoreOptions
    @Option(help: "Products in the bench store (barcodes 1…N are scanned).") var products = 100_000
    @Option(help: "Scans to time.") var scans = 200

    func run() throws {
        let figures = try PaneTour(path: store.path, products: products, scans: scans).run()
        let encoder = JSONEncoder()
        print(String(decoding: try encoder.encode(figures), as: UTF8.self))
    }
}
