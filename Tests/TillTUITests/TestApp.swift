import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// A headless Till on a fresh copy of the demo store.
enum TestApp {
    /// An hour after the demo store was made: every sale in a test happens "now" at this time.
    static let clock = TestStores.demoCreatedAt.addingTimeInterval(3600)

    static func demo(width: Int = 80, height: Int = 24, theme: String = "default", staff: String? = "ana (cashier)",
                     signedIn username: String? = nil, shiftOpen: Bool = false,
                     cardDelay: Duration = .zero, customer: SimulatedCustomerAction? = .approve,
                     prepare: (StoreDatabase) throws -> Void = { _ in }) throws -> AppDriver {
        let store = try TestStores.demoStore()
        try prepare(store)
        // The member the status bar names is the one signed in (the app never sells with nobody signed in).
        let signedIn = username ?? staff.flatMap { $0.split(separator: " ").first.map(String.init) }
        let staffID = try signedIn.map { try Staff(store: store).member(username: $0).id } ?? nil
        // A till takes cash only into an open shift's drawer: tests that pay cash open one (zero float) first.
        if shiftOpen { _ = try TestStores.openTill(store, staffID: staffID, at: clock) }
        let settings = try store.read { db in try StoreSettings.load(db) }
        var info = StoreInfo(name: settings.name, currency: settings.currency, taxInclusive: settings.taxInclusive,
                             staff: staff, staffID: staffID)
        // The simulated reader: every customer does `customer` after `cardDelay`, or (nil) the cashier plays them.
        let reader = SimulatedCustomer(automatic: customer, presentationDelay: cardDelay)
        info.cardReader = "sim-main (simulated)"
        info.cashierPlaysCardCustomer = reader.waitsForChoice
        let driver = AppDriver(state: AppState(store: info, size: ScreenSize(width: width, height: height)),
                               theme: try Theme.load(theme), runner: EffectRunner(store: store, staffID: staffID,
                                                                                  terminal: SimulatedTerminal(store: store, customer: reader),
                                                                                  simulatedCustomer: reader,
                                                                                  clock: { clock }))
        driver.start()
        return driver
    }

    /// A new app on the same store, as after a restart.
    static func reopen(_ app: AppDriver) throws -> AppDriver {
        let store = try StoreDatabase.open(path: app.store.path)
        let driver = AppDriver(state: AppState(store: app.state.store, size: app.state.size), theme: app.theme,
                               runner: EffectRunner(store: store, staffID: app.state.store.staffID,
                                                    terminal: SimulatedTerminal(store: store), clock: { clock }))
        driver.start()
        return driver
    }

    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// `styles`: the golden also holds the style layer (selected row, errors, negative stock, money, disabled keys).
    static func expectScreen(_ driver: AppDriver, _ name: String, styles: Bool = false,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let layer = styles ? StyleLayer.render(driver.frame, theme: driver.theme) : nil
        if let difference = GoldenFile.check(driver.screen, styles: layer, legend: StyleLayer.legend, name: name,
                                             directory: goldenDirectory) {
            Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
        }
    }
}

extension AppDriver {
    var store: StoreDatabase { runner.carts.store }

    func orderCount() throws -> Int { try Orders(store: store).count() }
}
