import Foundation
import GRDB
import TillCore
import TillSampleData

/// Fresh stores for tests, each in its own temporary folder — never the user's default database.
public enum TestStores {
    /// A cheap PIN cost for tests; the hash records its own cost, so verification is the real code path.
    public static let testHasher = PinHasher(rounds: 1_000)

    /// A fixed "now" so the demo history and dates in assertions do not depend on the clock.
    public static let demoCreatedAt: Date = {
        var components = DateComponents()
        components.year = 2026
        components.month = 11
        components.day = 25
        components.hour = 18
        components.timeZone = TimeZone.current
        return Calendar.current.date(from: components) ?? Date(timeIntervalSince1970: 1_795_000_000)
    }()

    /// A new folder under the system's temporary directory.
    /// Letters only: a UUID's digit groups can pass for a card number (Luhn and all), and the command line
    /// refuses an argument that looks like one — a test's temporary path must never.
    static func randomLetters(_ count: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
    }

    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("till-tests-\(ProcessInfo.processInfo.processIdentifier)")
            .appendingPathComponent(randomLetters(20))
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func temporaryPath(_ name: String = "store.sqlite") -> String {
        temporaryDirectory().appendingPathComponent(name).path
    }

    /// The demo store, built once per test process and copied for each test (building it takes a second).
    private static let demoTemplate: Result<String, Error> = {
        let path = temporaryPath("demo-template.sqlite")
        do {
            let store = try StoreSetup.create(at: path, options: StoreSetupOptions(
                demoData: SampleDataFiles.directory, pinHasher: testHasher, now: demoCreatedAt))
            try store.pool.close()
            return .success(path)
        } catch {
            return .failure(error)
        }
    }()

    public static func demoStore() throws -> StoreDatabase {
        let template = try demoTemplate.get()
        let path = temporaryPath()
        for suffix in ["", "-wal", ".journal-key"] where FileManager.default.fileExists(atPath: template + suffix) {
            try FileManager.default.copyItem(atPath: template + suffix, toPath: path + suffix)
        }
        return try StoreDatabase.open(path: path)
    }

    /// An empty store with the given currency and tax convention, plus a `standard` tax class at `standardRate`.
    public static func emptyStore(currency: String = "EUR", taxInclusive: Bool = false,
                                  standardRate: String = "20") throws -> StoreDatabase {
        let store = try StoreSetup.create(at: temporaryPath(), options: StoreSetupOptions(
            demoData: nil, currency: currency, taxInclusive: taxInclusive, pinHasher: testHasher, now: demoCreatedAt))
        try store.write { db in
            try db.execute(sql: "UPDATE tax_class SET rate_ppm = ? WHERE code = 'standard'",
                           arguments: [try TaxClass.parseRate(standardRate)])
        }
        return store
    }

    /// Writes `text` to a new temporary file and returns its path.
    public static func file(_ name: String, _ text: String) throws -> String {
        let path = temporaryDirectory().appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Row counts of the tables a sale writes, to show that nothing was half-written.
    public static let saleTables = ["orders", "order_line", "payment", "stock_movement", "refund", "refund_line",
                                    "refund_tender", "credit_account", "credit_entry", "cash_movement"]

    public static func saleTableCounts(_ store: StoreDatabase) throws -> [String: Int] {
        try store.read { db in
            var counts: [String: Int] = [:]
            // Every table a sale, a refund or a store-credit payment writes: a refused one must leave all unchanged.
            for table in TestStores.saleTables {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    /// The shared folder beside the repo (`../shared`), where real-world files for import tests live.
    public static var sharedDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    }

    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}

/// Call contexts for tests: who acts, at which register, when — with the store's simulated card reader (every
/// customer approves unless `customer` says otherwise), as the CLI builds them.
extension TestStores {
    /// A context acting as `staffID` (nil: the store file's owner at a shell), approved by `approvedBy`, at
    /// `register`, on the system clock unless `at` pins it.
    public static func context(_ store: StoreDatabase, staffID: Int64?, approvedBy: Int64? = nil,
                               register: String = TillContext.defaultRegister, at date: Date? = nil,
                               customer: SimulatedCustomer = SimulatedCustomer()) -> TillContext {
        TillContext(staffID: staffID, approverID: approvedBy, register: register,
                    clock: date.map(TillClock.fixed) ?? .system,
                    terminal: SimulatedTerminal(store: store, readerID: "sim-\(register)", customer: customer))
    }

    /// A member who may only sell: the demo store's cashier `ana`, or a cashier added to a store without one.
    public static func cashierID(_ store: StoreDatabase) throws -> Int64 {
        let staff = Staff(store: store)
        if let existing = try staff.all().first(where: { $0.username == "ana" || $0.username == "test-cashier" }),
           let id = existing.id {
            return id
        }
        let added = try staff.add(username: "test-cashier", name: "Test Cashier", role: .cashier, pin: "2468",
                                  hasher: testHasher, TillContext().at(demoCreatedAt))
        guard let id = added.id else { throw TillError.invalid("the test cashier was saved without an id") }
        return id
    }

    /// A till ready to take cash, for tests about something other than the drawer: a cashier (or `staffID`)
    /// signed in at `register`, with a shift opened there on a zero float unless one is already open.
    public static func openTill(_ store: StoreDatabase, staffID: Int64? = nil,
                                register: String = TillContext.defaultRegister, at date: Date? = nil) throws -> TillContext {
        let ctx = context(store, staffID: try staffID ?? cashierID(store), register: register, at: date)
        if try Shifts(store: store).current(register: register) == nil {
            _ = try Shifts(store: store).open(float: 0, ctx)
        }
        return ctx
    }
}
