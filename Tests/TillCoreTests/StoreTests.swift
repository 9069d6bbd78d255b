import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct StoreTests {
    @Test func openingAMissingStoreIsAClearError() {
        let path = TestStores.temporaryPath("missing.sqlite")
        #expect(throws: TillError.storeMissing(path)) { try StoreDatabase.open(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aCorruptFileIsNamedNotCrashedOn() throws {
        let path = try TestStores.file("garbage.sqlite", String(repeating: "not a database ", count: 500))
        do {
            _ = try StoreDatabase.open(path: path)
            Issue.record("expected an error")
        } catch let error as TillError {
            #expect(error.description.contains(path))
            #expect(error.description.contains("corrupt or not a database"))
        }
    }

    @Test func pragmasAreSetForDurability() throws {
        let store = try TestStores.emptyStore()
        let (journal, synchronous, foreignKeys) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try Int.fetchOne(db, sql: "PRAGMA synchronous"),
             try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
        #expect(try store.schemaVersion == StoreDatabase.latestSchemaVersion)
    }

    @Test func storeFilesAreOwnerOnly() throws {
        let store = try TestStores.emptyStore()
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func initRefusesToOverwriteWithoutForce() throws {
        let store = try TestStores.emptyStore(currency: "USD")
        #expect(throws: TillError.storeExists(store.path)) {
            try StoreSetup.create(at: store.path, options: StoreSetupOptions(demoData: nil))
        }
        let replaced = try StoreSetup.create(at: store.path, options: StoreSetupOptions(
            demoData: nil, force: true, currency: "JPY", pinHasher: TestStores.testHasher))
        #expect(try replaced.read { db in try StoreSettings.load(db) }.currency == .JPY)
    }

    @Test func aFailedInitLeavesNoStoreBehind() throws {
        let path = TestStores.temporaryPath()
        let brokenDemo = TestStores.temporaryDirectory()
        #expect(throws: (any Error).self) {
            try StoreSetup.create(at: path, options: StoreSetupOptions(demoData: brokenDemo))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".creating"))
    }

    @Test func defaultPathFollowsXDG() {
        #expect(StorePaths.defaultDatabasePath(environment: ["TILL_DB": "/x/y.sqlite", "HOME": "/h"]) == "/x/y.sqlite")
        #expect(StorePaths.defaultDatabasePath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/h"])
                == "/data/till/store.sqlite")
        #expect(StorePaths.defaultDatabasePath(environment: ["HOME": "/h"]) == "/h/.local/share/till/store.sqlite")
        // A relative XDG_DATA_HOME is invalid per the spec and ignored.
        #expect(StorePaths.defaultDatabasePath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"])
                == "/h/.local/share/till/store.sqlite")
    }

    @Test func theDemoStoreIsHealthy() throws {
        let store = try TestStores.demoStore()
        let report = try StoreDoctor(store: store).examine()
        #expect(report.passed, "\(report.checks.filter { !$0.passed })")
        let settings = try store.read { db in try StoreSettings.load(db) }
        #expect(settings.currency == .EUR)
        #expect(settings.taxInclusive)
        #expect(try Catalog(store: store).count() >= 300)
        #expect(try Catalog(store: store).categories().count == 12)
        #expect(try Customers(store: store).all().count == 50)
        #expect(try Staff(store: store).all().map(\.username) == ["ana", "max", "sam", "ada"])
        #expect(try Orders(store: store).count() > 300)
    }

    @Test func demoHistoryIsPlacedRelativeToCreation() throws {
        let store = try TestStores.demoStore()
        let orders = try Orders(store: store).search(limit: 10_000)
        let created = TestStores.demoCreatedAt
        let oldest = try #require(orders.compactMap(\.completedAt).min())
        let newest = try #require(orders.compactMap(\.completedAt).max())
        #expect(newest <= created)
        #expect(created.timeIntervalSince(oldest) < 31 * 86_400)
        #expect(created.timeIntervalSince(oldest) > 29 * 86_400)
    }
}

@Suite struct StaffTests {
    @Test func pinsAreSaltedSlowHashes() throws {
        let hasher = PinHasher(rounds: 1_000)
        let first = try hasher.hash("1111")
        let second = try hasher.hash("1111")
        #expect(first != second)  // salted
        #expect(first.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(!first.contains("1111"))
        #expect(PinHasher.verify("1111", against: first))
        #expect(!PinHasher.verify("1112", against: first))
        #expect(!PinHasher.verify("1111", against: "garbage"))
        #expect(PinHasher.productionRounds >= 210_000)
    }

    @Test func productionCostHashVerifies() throws {
        let hash = try PinHasher().hash("4444")
        #expect(hash.hasPrefix("pbkdf2-sha256$210000$"))
        #expect(PinHasher.verify("4444", against: hash))
    }

    @Test(arguments: ["", "12", "abcd", "1234567890123", "12 34"])
    func badPinsAreRefused(pin: String) {
        #expect(throws: TillError.invalid("a PIN is 4 to 12 digits")) { try PinHasher(rounds: 1_000).hash(pin) }
    }

    @Test func demoStaffLogInWithTheirPins() throws {
        let store = try TestStores.demoStore()
        let staff = Staff(store: store)
        #expect(try staff.authenticate(username: "ana", pin: "1111").role == .cashier)
        #expect(try staff.authenticate(username: "max", pin: "2222").role == .manager)
        #expect(try staff.authenticate(username: "sam", pin: "3333").role == .support)
        #expect(try staff.authenticate(username: "ADA", pin: "4444").role == .admin)
        #expect(throws: TillError.permissionDenied("wrong user name or PIN for \"ana\"")) { try staff.authenticate(username: "ana", pin: "2222") }
        #expect(throws: TillError.permissionDenied("wrong user name or PIN for \"nobody\"")) { try staff.authenticate(username: "nobody", pin: "1111") }
        let hashes = try store.read { db in try String.fetchAll(db, sql: "SELECT pin_hash FROM staff") }
        #expect(hashes.allSatisfy { !$0.contains("1111") && $0.hasPrefix("pbkdf2-sha256$") })
    }
}

@Suite struct CustomerTests {
    @Test func findByNameEmailOrPhone() throws {
        let store = try TestStores.demoStore()
        let customers = Customers(store: store)
        let anyone = try #require(try customers.all().first)
        #expect(try customers.find(anyone.name).contains(anyone))
        #expect(try customers.find(try #require(anyone.email).uppercased()).contains(anyone))
        let digits = try #require(anyone.phoneDigits)
        #expect(try customers.find(String(digits.suffix(7))).contains(anyone))
        #expect(try customers.find("+" + digits).contains(anyone))
        #expect(try customers.find("%_\\").isEmpty)
        #expect(try customers.find("Zoë").count >= 1)
    }
}

@Suite struct BackupTests {
    /// A backup taken while another thread keeps selling is a consistent store that passes every check.
    @Test func aBackupWhileSellingIsWholeAndOwnerOnly() throws {
        let store = try TestStores.demoStore()
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let before = try Orders(store: store).count()
        let ctx = try TestStores.openTill(store)
        let selling = Task.detached {
            for _ in 0..<40 {
                _ = try Checkout(store: store).completeSale(SaleRequest(
                    lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)], tenders: [Tender(method: .cash)]), ctx)
            }
        }
        let destination = TestStores.temporaryPath("backup.sqlite")
        let summary = try StoreBackup.backup(store, to: destination)
        try await_(selling)
        #expect(summary.orders >= before)
        let attributes = try FileManager.default.attributesOfItem(atPath: destination)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!FileManager.default.fileExists(atPath: destination + "-wal"))
        let copy = try StoreDatabase.open(path: destination)
        #expect(try StoreDoctor(store: copy).examine().passed)
        #expect(throws: TillError.storeExists(destination)) { _ = try StoreBackup.backup(store, to: destination) }
    }

    @Test func aRestoreChecksTheBackupAndNeedsForce() throws {
        let store = try TestStores.demoStore()
        let backup = TestStores.temporaryPath("backup.sqlite")
        _ = try StoreBackup.backup(store, to: backup)
        let target = TestStores.temporaryPath("restored.sqlite")
        _ = try StoreBackup.restore(from: backup, to: target, force: false)
        #expect(try Orders(store: StoreDatabase.open(path: target)).count() == (try Orders(store: store).count()))
        #expect(throws: TillError.self) { _ = try StoreBackup.restore(from: backup, to: target, force: false) }
        let garbage = try TestStores.file("garbage.sqlite", String(repeating: "not a database ", count: 400))
        #expect(throws: TillError.storage("\(garbage) is not a readable Till store (file is corrupt or not a database)")) {
            _ = try StoreBackup.restore(from: garbage, to: target, force: true)
        }
        #expect(try Orders(store: StoreDatabase.open(path: target)).count() > 0)  // untouched by the refused restore
    }
}

/// Waits for a detached task from synchronous test code.
func await_<T: Sendable>(_ task: Task<T, Error>) throws {
    let semaphore = DispatchSemaphore(value: 0)
    let box = ErrorBox()
    Task {
        do { _ = try await task.value } catch { box.error = error }
        semaphore.signal()
    }
    semaphore.wait()
    if let error = box.error { throw error }
}

final class ErrorBox: @unchecked Sendable { var error: Error? }

@Suite struct DiskFullTests {
    /// A full disk (simulated with SQLite's page limit) fails the sale with a clear message; nothing is half-written
    /// and the cart in progress is still there.
    @Test func aFullDiskFailsTheSaleCleanly() throws {
        let store = try TestStores.demoStore()
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let carts = Carts(store: store)
        let cart = try carts.add(variantID: coffee.variantID, quantity: .units(2), TestStores.context(store, staffID: nil))
        // The sales that fill the disk are rung up at another till, as before, with its drawer open.
        let ctx = try TestStores.openTill(store, register: "script")
        let counts = try TestStores.saleTableCounts(store)
        try store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        var failure: TillError?
        do {
            for _ in 0..<200 {
                _ = try Checkout(store: store).completeSale(SaleRequest(
                    lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)], tenders: [Tender(method: .cash)]), ctx)
            }
        } catch let error as TillError {
            failure = error
        }
        let error = try #require(failure)
        #expect(error == .storage("disk full while writing \(store.path): the last change was not saved"))
        try store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        #expect(try StoreDoctor(store: store).examine().passed)
        #expect(try carts.current(register: "main")?.id == cart.id)
        #expect(try carts.current(register: "main")?.lines.first?.quantity == .units(2))
        #expect(try TestStores.saleTableCounts(store)["orders", default: 0] >= counts["orders", default: 0])
    }
}
