import ArgumentParser
import Foundation
import Synchronization
import TillCore
import TillTUI

/// Set from a signal handler; the key loop checks it and restores the terminal on its way out.
let stopRequested = Atomic<Bool>(false)

/// SIGTERM, SIGHUP and SIGINT ask the full-screen loop to stop, so it restores the terminal on its way out. A
/// parent may have started us with them blocked; a till that cannot be stopped cleanly is worse.
func installStopSignals() {
    var stopSignals = sigset_t()
    sigemptyset(&stopSignals)
    for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
        signal(signalNumber) { _ in stopRequested.store(true, ordering: .relaxed) }
        sigaddset(&stopSignals, signalNumber)
    }
    pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
}

/// `till` with no subcommand: the full-screen app.
struct OpenApp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "app", abstract: "Open the full-screen app (the default).", shouldDisplay: false)

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Colour theme: default, light, high-contrast, mono, or a .toml file (or TILL_THEME; NO_COLOR gives mono).", valueName: "name"))
    var theme: String?

    @Option(help: ArgumentHelp("Send receipts as ESC/POS to this printer (a device, a file, or tcp://HOST:9100) instead of the register's (till printer set).", valueName: "address"))
    var printer: String?

    @Option(help: "Receipt width: 42 or 48 columns.")
    var receiptWidth: Int = 42

    func validate() throws {
        guard Receipt.widths.contains(receiptWidth) else { throw ValidationError("--receipt-width is 42 or 48") }
        if let printer {
            do { _ = try PrinterAddress(parsing: printer) } catch { throw ValidationError("--printer: \(error)") }
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let theme = try Theme.load(Theme.choose(flag: self.theme, environment: environment), environment: environment)
        let database = try store.open(createDemoIfMissing: true)
        let settings = try database.read { db in try StoreSettings.load(db) }
        // Promotions that began or ended while no till was looking: their shelf labels wait in `till labels queue`.
        _ = try? LabelQueue(store: database).catchUp(now: try store.clock().now())
        let staff = try store.actingStaff(in: database)
        let register = store.registerName
        var info = StoreInfo(name: settings.name, currency: settings.currency, taxInclusive: settings.taxInclusive,
                             staff: staff.map { "\($0.username) (\($0.role.rawValue))" }, staffID: staff?.id,
                             register: register)
        info.idleLockMinutes = settings.idleLockMinutes
        info.timeZone = settings.timeZone
        let reader = try CardTerminalWiring.terminal(register: register, store: database, environment: environment, interactive: true)
        if let reader {
            let label = (try? CardReaders(store: database).pairing(for: register)?.label) ?? nil
            info.cardReader = (label.map { $0.isEmpty ? "" : "\($0) — " } ?? "") + "\(reader.terminal.readerID) (\(reader.terminal.kind.rawValue))"
            info.cashierPlaysCardCustomer = reader.customer?.waitsForChoice ?? false
        }
        // The register's counter scale, opened on the first weighing (a scale switched off does not stop the till).
        let scaleSetup = try RegisterScales(store: database).scale(for: register)
        info.scale = scaleSetup?.label

        let terminal = try NCursesTerminal(environment: environment)
        defer { terminal.stop() }
        installStopSignals()
        var state = AppState(store: info, size: terminal.size)
        if staff == nil { state.signIn = SignInState(reason: "Sign in with your user name and PIN.") }
        let driver = AppDriver(state: state, theme: theme,
                               runner: EffectRunner(store: database, register: register, staffID: staff?.id,
                                                    terminal: reader?.terminal, simulatedCustomer: reader?.customer,
                                                    processors: CardTerminalWiring.processors(store: database, environment: environment),
                                                    receipts: ReceiptOutput(store: database, width: receiptWidth,
                                                                            printerPath: printer),
                                                    headOffice: try HeadOfficeWiring.headOffice(for: database),
                                                    scale: scaleSetup.map { Scale($0) }))
        let checkpoints = try? database.startBackgroundCheckpoints()
        RunLoop.run(driver: driver, terminal: terminal) { stopRequested.load(ordering: .relaxed) }
        withExtendedLifetime(checkpoints) {}
    }
}
