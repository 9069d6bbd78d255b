import ArgumentParser
import Foundation
import TillCore

/// `till` with no subcommand: the full-screen app.
struct OpenApp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Open the full-screen app (the default).", shouldDisplay: false)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.open(createDemoIfMissing: true)
        let settings = try database.read { db in try StoreSettings.load(db) }
        print("\(settings.name): the full-screen app is not built yet; use the subcommands (`till --help`).")
    }
}
