import ArgumentParser
import Foundation
import TillCore
import TillHQ
import TillTUI

/// `till hq` with no subcommand: the full-screen app over head office — the chain's orders (read-only) and
/// stock in every store.
struct HQAppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Open the full-screen HQ app: orders from every store and stock across stores (the default).",
        shouldDisplay: false)

    @OptionGroup var hq: HQOptions

    @Option(help: ArgumentHelp("Colour theme: default, light, high-contrast, mono, or a .toml file (or TILL_THEME; NO_COLOR gives mono).", valueName: "name"))
    var theme: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let theme = try Theme.load(Theme.choose(flag: self.theme, environment: environment), environment: environment)
        // Refused by name before the screen is taken: no HQ there, a wrong password, a server that is down.
        let connection = try hq.connect()
        let returnsAnywhere = try HQStores.returnsAnywhere(connection)
        connection.close()
        let url = try hq.url()
        let terminal = try NCursesTerminal(environment: environment)
        defer { terminal.stop() }
        installStopSignals()
        var state = HQAppState(size: terminal.size, place: url.description)
        state.returnsAnywhere = returnsAnywhere
        let driver = HQAppDriver(state: state, theme: theme, runner: HQEffectRunner(browser: HQBrowser(url: url)))
        HQRunLoop.run(driver: driver, terminal: terminal) { stopRequested.load(ordering: .relaxed) }
    }
}
