import Foundation
import GRDB

public struct StoreSetupOptions: Sendable {
    /// A folder of demo CSV files to load, or nil for an empty store.
    public var demoData: URL?
    public var force: Bool
    /// Overrides the demo's currency, or sets the empty store's (default EUR).
    public var currency: String?
    /// Overrides the demo's setting, or sets the empty store's (default: prices exclude tax).
    public var taxInclusive: Bool?
    public var name: String?
    /// Cash settles to a multiple of this amount (e.g. "0.05"); nil keeps exact cash.
    public var cashRounding: String?
    public var variableMeasure: VariableMeasureBarcode.Mode?
    public var pinHasher: PinHasher
    public var now: Date

    public init(demoData: URL?, force: Bool = false, currency: String? = nil, taxInclusive: Bool? = nil,
                name: String? = nil, pinHasher: PinHasher = PinHasher(), now: Date = Date()) {
        self.demoData = demoData
        self.force = force
        self.currency = currency
        self.taxInclusive = taxInclusive
        self.name = name
        self.pinHasher = pinHasher
        self.now = now
    }
}

/// Creating a store file. The store is built beside the target under a temporary name and moved into place
/// only when complete, so a failure never leaves a half-made store where Till would open it.
public enum StoreSetup {
    @discardableResult
    public static func create(at path: String, options: StoreSetupOptions) throws -> StoreDatabase {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) && !options.force { throw TillError.storeExists(path) }
        try CardNumberGuard.check(options.name, field: "the shop's name")
        let building = path + ".creating"
        removeStoreFiles(building)
        do {
            try build(at: building, options: options)
        } catch {
            removeStoreFiles(building)
            throw error
        }
        removeStoreFiles(path)
        do {
            // The journal key goes with the store it signs for.
            try fileManager.moveItem(atPath: JournalKey.path(forStore: building), toPath: JournalKey.path(forStore: path))
            try fileManager.moveItem(atPath: building, toPath: path)
        } catch {
            removeStoreFiles(building)
            throw TillError.storage("cannot move the new store into \(path): \(error.localizedDescription)")
        }
        return try StoreDatabase.open(path: path)
    }

    /// Opens the store at `path`, creating it from the demo data first when the file does not exist.
    public static func openOrCreateDemo(at path: String, demoData: URL) throws -> (store: StoreDatabase, created: Bool) {
        if FileManager.default.fileExists(atPath: path) { return (try StoreDatabase.open(path: path), false) }
        return (try create(at: path, options: StoreSetupOptions(demoData: demoData)), true)
    }

    private static func build(at path: String, options: StoreSetupOptions) throws {
        let store = try StoreDatabase.open(path: path, create: true)
        try store.write { db in
            try Location.ensureDefaults(db)
            if let demo = options.demoData {
                try DemoStoreLoader(directory: demo, options: options).load(db)
                // The demo takes cards on the simulated reader: no network, the cashier plays the customer.
                try db.execute(sql: "INSERT INTO card_reader(register, kind, reader_id, label, paired_at) VALUES ('main', 'simulated', 'sim-main', '', ?)",
                               arguments: [options.now])
            } else {
                let currency = try Currency.forNewStore(options.currency ?? "EUR")
                try StoreSettings(name: options.name ?? "My Shop", currency: currency,
                                  taxInclusive: options.taxInclusive ?? false, createdAt: options.now).save(db)
                var standard = TaxClass(code: "standard", name: "Standard rate", ratePPM: 0)
                try standard.insert(db)
                var zero = TaxClass(code: "zero", name: "Zero rate", ratePPM: 0)
                try zero.insert(db)
            }
        }
        if options.cashRounding != nil || options.variableMeasure != nil {
            try store.write { db in
                var settings = try StoreSettings.load(db)
                if let text = options.cashRounding {
                    let increment = try MoneyParser(currency: settings.currency).parse(text).minorUnits
                    guard increment >= 1 else { throw TillError.invalidAmount(text, reason: "cash rounding must be above zero") }
                    settings.cashRoundingIncrement = increment
                }
                if let mode = options.variableMeasure { settings.variableMeasure = mode }
                try settings.save(db)
            }
        }
        // Fold the WAL into the main file so the store is one self-contained file when it is moved.
        try store.pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try store.pool.close()
    }

    static func removeStoreFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".journal-key"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
