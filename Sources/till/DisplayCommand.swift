import ArgumentParser
import Foundation
import TillCore
import TillTUI

/// `till display --register NAME`: the customer's screen, in a terminal of its own (a small monitor on the
/// counter). It reads the register's sale from the store file as the cashier works — on its own connection, a
/// few times a second, and only when the file changed — and never writes.
struct DisplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "display", abstract: "The customer display: a register's sale, total, change due and a thank-you.",
        discussion: """
            Run it in a second terminal at the counter, on the same store file as the till:
                till display --register main
            Ctrl-Q (or q) quits. The store's name, the lines as they are scanned, the total, then "Change due" and
            "Thank you!" for \(Int(CustomerDisplays.thanksSeconds)) s after the sale; a welcome between customers.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Colour theme: default, light, high-contrast, mono, or a .toml file (or TILL_THEME; NO_COLOR gives mono).", valueName: "name"))
    var theme: String?

    /// How often the store file is asked whether anything changed.
    static let pollInterval = 150

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let theme = try Theme.load(Theme.choose(flag: self.theme, environment: environment), environment: environment)
        let register = store.registerName
        let clock = try store.clock()
        // Opened once as the till opens it (a store of an older version is brought up to date, a missing one is an
        // error), then read on a connection of its own.
        let database = try store.open()
        let registers = try database.read { db in try CustomerDisplays.registers(db) }
        guard try database.read({ db in try CustomerDisplays.registerExists(db, register: register) }) else {
            let example = registers.contains(TillContext.defaultRegister) ? TillContext.defaultRegister : registers.first ?? TillContext.defaultRegister
            throw TillError.invalid("this store has no register \"\(register)\" (it has \(registers.joined(separator: ", "))); a new register appears once it has opened a shift or rung up a sale — till display --register \(example)")
        }
        let watcher = try CustomerDisplayWatcher(path: database.path, register: register)

        let terminal = try NCursesTerminal(environment: environment)
        defer { terminal.stop() }
        installStopSignals()
        var size = terminal.size
        var display: CustomerDisplay?
        var problem: String?
        var previous: CellGrid?
        var quit = false
        while !quit && !stopRequested.load(ordering: .relaxed) {
            do {
                if let changed = try watcher.poll(now: clock.now()) { display = changed }
                problem = nil
            } catch {
                // The file away for a moment (a backup being restored, a disk hiccup): say so, keep trying.
                problem = "The till's store cannot be read just now (\(error)). Retrying…"
            }
            let frame = CustomerDisplayView.render(display, problem: problem, size: size, theme: theme)
            if frame != previous {
                let resized = previous.map { $0.width != frame.width || $0.height != frame.height } ?? true
                terminal.draw(frame, previous: resized ? nil : previous)
                previous = frame
            }
            for event in terminal.readEvents(timeoutMilliseconds: DisplayCommand.pollInterval, wake: -1) {
                switch event {
                case let .resized(newSize): size = newSize
                case .key(.control("q")), .key(.character("q")), .key(.character("Q")): quit = true
                case .key: break
                }
            }
        }
    }
}
