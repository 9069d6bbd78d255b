import ArgumentParser
import Foundation
import TillCore
import TillSampleData

/// `--db PATH` (or `TILL_DB`), shared by every subcommand.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file.", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Acting staff member (or TILL_USER); the PIN comes from TILL_PIN or a prompt.", valueName: "name"))
    var user: String?

    @Option(name: .customLong("approve-by"), help: ArgumentHelp("A manager approving a restricted action; the PIN comes from TILL_APPROVER_PIN or a prompt.", valueName: "name"))
    var approveBy: String?

    @Option(name: .long, help: ArgumentHelp("The register (till and drawer) this happens at (or TILL_REGISTER; default main).", valueName: "name"))
    var register: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `--register`, else TILL_REGISTER, else `main`.
    var registerName: String {
        if let register, !register.isEmpty { return register }
        return environment["TILL_REGISTER"].flatMap { $0.isEmpty ? nil : $0 } ?? TillContext.defaultRegister
    }

    /// The one context every core call of this command takes: who (checked against the PIN), who approves,
    /// at which register, the system clock, and the register's card reader.
    func context(in store: StoreDatabase, printerPath: String? = nil, receiptWidth: Int = 42) throws -> TillContext {
        var ctx = TillContext(staffID: try actingStaff(in: store)?.id, approverID: try approver(in: store)?.id,
                              register: registerName, clock: try clock(),
                              terminal: try CardTerminalWiring.terminal(register: registerName, store: store, environment: environment,
                                                                        interactive: false)?.terminal,
                              printerPath: printerPath, receiptWidth: receiptWidth)
        ctx.processors = CardTerminalWiring.processors(store: store, environment: environment)
        ctx.headOffice = try HeadOfficeWiring.headOffice(for: store)
        // A script sees how a card payment is going on standard error (the reader is waiting, processing…).
        if isatty(STDERR_FILENO) == 1 {
            ctx.progress = ProgressReporter { FileHandle.standardError.write(Data(("till: " + $0 + "\n").utf8)) }
        }
        return ctx
    }

    /// The system clock, or — for tests and training runs — the moment `TILL_CLOCK` names (ISO 8601, e.g.
    /// `2026-11-26T10:00:00Z`). It moves nothing a shell user could not move by setting the machine's clock.
    func clock() throws -> TillClock {
        guard let text = environment["TILL_CLOCK"], !text.isEmpty else { return .system }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw TillError.invalid("TILL_CLOCK \"\(text)\" is not an ISO 8601 time such as 2026-11-26T10:00:00Z")
        }
        return .fixed(date)
    }

    var path: String {
        if let db, !db.isEmpty { return db }
        return StorePaths.defaultDatabasePath(environment: environment)
    }

    /// Whether the path is Till's own default rather than one the user named.
    var isDefaultPath: Bool {
        (db ?? "").isEmpty && (environment["TILL_DB"] ?? "").isEmpty
    }

    /// Opens the store. A missing default store is created from the demo data (first run); a missing store the
    /// user named is an error, so a typo in `--db` never silently makes a new shop.
    func open(createDemoIfMissing: Bool = false) throws -> StoreDatabase {
        if !FileManager.default.fileExists(atPath: path) && (createDemoIfMissing || isDefaultPath) {
            let created = try StoreSetup.openOrCreateDemo(at: path, demoData: SampleDataFiles.directory)
            if created.created {
                FileHandle.standardError.write(Data("till: created the demo store at \(path)\n".utf8))
            }
            return created.store
        }
        return try StoreDatabase.open(path: path)
    }

    /// The staff member acting, when `--user` / `TILL_USER` names one; checked against the PIN.
    func actingStaff(in store: StoreDatabase) throws -> StaffMember? {
        guard let username = user ?? environment["TILL_USER"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        let pin = try environment["TILL_PIN"].flatMap { $0.isEmpty ? nil : $0 } ?? PinPrompt.read(for: username)
        return try Staff(store: store).authenticate(username: username, pin: pin)
    }

    /// The approving manager named with `--approve-by`, checked against TILL_APPROVER_PIN.
    func approver(in store: StoreDatabase) throws -> StaffMember? {
        guard let approveBy, !approveBy.isEmpty else { return nil }
        let pin = try environment["TILL_APPROVER_PIN"].flatMap { $0.isEmpty ? nil : $0 } ?? PinPrompt.read(for: approveBy)
        return try Staff(store: store).authenticate(username: approveBy, pin: pin)
    }
}

/// Reads a PIN from the terminal without echoing it.
enum PinPrompt {
    static func read(for username: String) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else {
            throw TillError.permissionDenied("no PIN for \(username): set TILL_PIN or run in a terminal")
        }
        FileHandle.standardError.write(Data("PIN for \(username): ".utf8))
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &original)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
