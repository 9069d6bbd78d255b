import Crypto
import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// The signed journal: every fact gets one entry in its own transaction, chained and signed; the verifier
/// finds each kind of tampering and names the entry; the key lives beside the store and travels with backups.
@Suite struct JournalTests {
    let store: StoreDatabase
    let ana: StaffMember
    let max: StaffMember
    let coffee: CatalogItem
    let gateway: SimulatedTerminal

    init() throws {
        store = try TestStores.demoStore()
        let staff = Staff(store: store)
        ana = try staff.member(username: "ana")
        max = try staff.member(username: "max")
        coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        gateway = SimulatedTerminal(store: store)
        _ = try Shifts(store: store).open(float: 10_000, TillContext(staffID: ana.id, register: "main", terminal: gateway))
    }

    func ctx(_ member: StaffMember) -> TillContext { TillContext(staffID: member.id, register: "main", terminal: gateway) }

    func sale(units: Int64 = 1, _ tenders: [ScriptedTender] = [ScriptedTender(method: .cash)]) throws -> CompletedSale {
        try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(units))],
                                        orderDiscount: nil, customerID: nil, tenders: tenders, ctx(ana))
    }

    func verify() throws -> JournalVerification { try JournalVerifier(store: store).verify() }

    func entries() throws -> [JournalEntry] { try store.read { db in try Journal.entries(db) } }

    /// Raw SQL as someone with the sqlite3 shell would run it: the append-only triggers dropped first.
    func tamper(_ sql: String) throws {
        try store.pool.writeWithoutTransaction { db in
            for trigger in ["journal_entry_no_delete", "journal_entry_fill_once", "z_report_no_update", "z_report_no_delete",
                            "journal_key_no_update", "journal_key_no_delete"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger)")
            }
            try db.execute(sql: sql)
        }
    }

    @Test func theDemoStoreJournalStartsWithItsKeyAndHoldsEveryEarlierFact() throws {
        let all = try entries()
        #expect(all.first?.kind == "journal_start")
        #expect(all.map(\.seq) == Array(1...Int64(all.count)))
        let sales = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM orders WHERE number IS NOT NULL") ?? 0 }
        #expect(all.filter { $0.kind == "sale" }.count == sales)
        let result = try verify()
        #expect(result.passed, "\(result.problems)")
        #expect(result.entries == all.count)
        let key = try JournalKey.load(path: JournalKey.path(forStore: store.path))
        #expect(result.fingerprint == JournalKey.fingerprint(key.publicKey))
        let mode = try FileManager.default.attributesOfItem(atPath: JournalKey.path(forStore: store.path))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func eachKindOfFactAppendsOneSignedEntryWithRunningGrandTotals() throws {
        let before = try #require(try entries().last)
        let shifts = Shifts(store: store)
        let first = try sale(units: 2)
        let second = try sale()
        try shifts.moveCash(.payIn, amount: 500, reason: "change float", ctx(max))
        try shifts.moveCash(.noSale, amount: 0, reason: "customer needed change", ctx(max))
        _ = try Refunds(store: store).refund(RefundRequest(orderNumber: first.number, lines: [RefundLineRequest(line: 1, quantity: .one)]), ctx(max))
        _ = try Refunds(store: store).void(orderNumber: second.number, reason: "rang twice", ctx(max))
        _ = try shifts.close(count: try CashCount.parse("100x1", currency: .EUR), ctx(ana))
        _ = try DayReports(store: store).z(ctx(max))
        let added = try entries().filter { $0.seq > before.seq }
        #expect(added.map(\.kind) == ["sale", "sale", "pay_in", "no_sale", "refund", "void", "shift_close", "z_report"])
        let key = try JournalKey.load(path: JournalKey.path(forStore: store.path)).publicKey
        var previous = before
        for entry in added {
            #expect(entry.prevHash == previous.hash)
            #expect(JournalBytes.hash(entry.bytes) == entry.hash)
            #expect(JournalKey.isValid(signature: try #require(Data(base64Encoded: entry.signature)), of: entry.bytes, by: key))
            #expect(entry.grandNet == entry.grandSales - entry.grandRefunds)
            previous = entry
        }
        let totals = try store.read { db in
            (try Int64.fetchOne(db, sql: "SELECT SUM(total) FROM orders WHERE number IS NOT NULL") ?? 0,
             try Int64.fetchOne(db, sql: "SELECT SUM(amount) FROM refund WHERE status = 'completed'") ?? 0)
        }
        #expect(added.last?.grandSales == totals.0)
        #expect(added.last?.grandRefunds == totals.1)
        let saleEntry = try #require(added.first)
        #expect(saleEntry.field("receipt") == String(first.number))
        #expect(saleEntry.body.contains("line=1|COF-002|"))
        #expect(try verify().passed)
    }

    @Test func anEditedLinePriceIsFoundAndTheEntryNamed() throws {
        let sold = try sale()
        let orderID = try #require(try store.read { db in try sold.orderID(db) })
        let entry = try #require(try store.read { db in try Journal.entry(db, kind: "sale", ref: orderID) })
        try tamper("UPDATE order_line SET unit_price = 1 WHERE order_id = (SELECT id FROM orders WHERE number = \(sold.number))")
        let result = try verify()
        let problem = try #require(result.problems.first)
        #expect(problem.seq == entry.seq)
        #expect(problem.kind == .edited)
        #expect(problem.detail.contains("sale #\(sold.number)"))
    }

    @Test func aDeletedOrderIsFound() throws {
        let sold = try sale()
        let orderID = try #require(try store.read { db in try sold.orderID(db) })
        let entry = try #require(try store.read { db in try Journal.entry(db, kind: "sale", ref: orderID) })
        try tamper("""
            PRAGMA foreign_keys = OFF; DELETE FROM payment WHERE order_id = \(orderID); DELETE FROM order_line WHERE order_id = \(orderID);
            DELETE FROM orders WHERE id = \(orderID)
            """)
        let problem = try #require(try verify().problems.first)
        #expect(problem.seq == entry.seq)
        #expect(problem.kind == .deleted)
    }

    @Test func aDeletedEntryIsFoundByTheGapItLeaves() throws {
        _ = try sale()
        let middle = try #require(try entries().last)
        _ = try sale()
        try tamper("DELETE FROM journal_entry WHERE seq = \(middle.seq)")
        let problems = try verify().problems
        #expect(problems.contains { $0.seq == middle.seq && $0.kind == .deleted })
    }

    @Test func aMadeUpOrderWithNoEntryIsFound() throws {
        let last = try #require(try entries().last)
        try tamper("""
            DROP TRIGGER journal_sale_inserted;
            INSERT INTO orders(number, status, currency, tax_inclusive, subtotal, tax_total, total, created_at, completed_at)
            VALUES (99999, 'completed', 'EUR', 1, 500, 0, 500, '2099-01-01 10:00:00.000', '2099-01-01 10:00:00.000')
            """)
        let problem = try #require(try verify().problems.first)
        #expect(problem.kind == .inserted)
        #expect(problem.seq == last.seq + 1)
        #expect(problem.detail.contains("sale #99999"))
    }

    @Test func aFactWrittenOutsideTillIsNeverSignedByTheNextSale() throws {
        // With the triggers intact, the shell's insert queues a marker; Till's next write must not sign it.
        try store.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                INSERT INTO orders(number, status, currency, tax_inclusive, subtotal, tax_total, total, created_at, completed_at)
                VALUES (99998, 'completed', 'EUR', 1, 500, 0, 500, '2099-01-01 10:00:00.000', '2099-01-01 10:00:00.000')
                """)
        }
        let marker = try #require(try entries().last)
        _ = try sale()
        #expect(try entries().first { $0.seq == marker.seq }?.hash == "")
        let problem = try #require(try verify().problems.first)
        #expect(problem.seq == marker.seq)
        #expect(problem.kind == .unsigned)
    }

    @Test func swappedEntriesAreFoundAsReordered() throws {
        _ = try sale()
        _ = try sale()
        let all = try entries()
        let a = all[all.count - 2].seq, b = all[all.count - 1].seq
        try tamper("""
            UPDATE journal_entry SET seq = -1 WHERE seq = \(a); UPDATE journal_entry SET seq = \(a) WHERE seq = \(b);
            UPDATE journal_entry SET seq = \(b) WHERE seq = -1
            """)
        let problem = try #require(try verify().problems.first)
        #expect(problem.seq == a)
        #expect(problem.kind == .reordered)
    }

    @Test func aChangedZTotalIsFound() throws {
        _ = try sale()
        _ = try Shifts(store: store).close(count: try CashCount.parse("100x1", currency: .EUR), ctx(ana))
        let z = try DayReports(store: store).z(ctx(max))
        let entry = try #require(try store.read { db in try Journal.entry(db, kind: "z_report", ref: z.number) })
        try tamper("UPDATE z_report SET figures = replace(figures, '\"total\":\(z.figures.total)', '\"total\":1') WHERE number = \(z.number)")
        let problem = try #require(try verify().problems.first)
        #expect(problem.seq == entry.seq)
        #expect(problem.kind == .edited)
        #expect(problem.detail.contains("Z report \(z.number)"))
    }

    @Test func anEntryEditedToMatchItsEditedFactFailsItsHash() throws {
        let sold = try sale()
        let orderID = try #require(try store.read { db in try sold.orderID(db) })
        let entry = try #require(try store.read { db in try Journal.entry(db, kind: "sale", ref: orderID) })
        try tamper("UPDATE orders SET total = total + 100 WHERE id = \(orderID)")
        let total = try #require(entry.field("total"))
        try tamper("UPDATE journal_entry SET body = replace(body, 'total=\(total)\n', 'total=\((Int64(total) ?? 0) + 100)\n') WHERE seq = \(entry.seq)")
        let problem = try #require(try verify().problems.first)
        #expect(problem.seq == entry.seq)
        #expect(problem.kind == .edited)
        #expect(problem.detail.contains("changed after it was signed"))
    }

    @Test func aReplacedKeyFileIsFoundAndStopsSigning() throws {
        let path = JournalKey.path(forStore: store.path)
        try FileManager.default.removeItem(atPath: path)
        _ = try JournalKey.create(path: path)
        let reopened = try StoreDatabase.open(path: store.path)
        let problems = try JournalVerifier(store: reopened).verify().problems
        #expect(problems.first?.kind == .key)
        #expect(problems.first?.detail.contains("is not the key this journal was started with") == true)
        // Nothing is signed with a key that is not the journal's: the sale is refused, and says why.
        #expect {
            try Checkout(store: reopened).sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)], orderDiscount: nil,
                                               customerID: nil, tenders: [ScriptedTender(method: .cash)], ctx(ana))
        } throws: { "\($0)".contains("is not this store's") }
    }

    @Test func aReplacedKeyInTheStoreBreaksEverySignatureFromTheFirstEntry() throws {
        let forged = P256.Signing.PrivateKey()
        try tamper("UPDATE journal_key SET public_key = '\(forged.publicKey.pemRepresentation)\n'")
        let problems = try verify().problems
        #expect(problems.contains { $0.seq == 2 && $0.kind == .signatureInvalid })
        #expect(problems.contains { $0.kind == .key })
    }

    @Test func aMissingKeyFileRefusesToJournalAndSaysWhereItShouldBe() throws {
        try FileManager.default.removeItem(atPath: JournalKey.path(forStore: store.path))
        let reopened = try StoreDatabase.open(path: store.path)
        #expect {
            try Checkout(store: reopened).sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)], orderDiscount: nil,
                                               customerID: nil, tenders: [ScriptedTender(method: .cash)], ctx(ana))
        } throws: { "\($0)".contains(JournalKey.path(forStore: store.path)) && "\($0)".contains("missing") }
        // The refused sale left nothing behind.
        #expect(try JournalVerifier(store: reopened).verify().problems.allSatisfy { $0.kind == .key })
    }

    @Test func aBackupCarriesItsKeyAndTheRestoredStoreSignsOn() throws {
        _ = try sale()
        let backup = TestStores.temporaryPath("backup.sqlite")
        _ = try StoreBackup.backup(store, to: backup)
        #expect(FileManager.default.fileExists(atPath: JournalKey.path(forStore: backup)))
        let target = TestStores.temporaryPath("restored.sqlite")
        _ = try StoreBackup.restore(from: backup, to: target, force: false)
        let restored = try StoreDatabase.open(path: target)
        _ = try Checkout(store: restored).sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)], orderDiscount: nil,
                                               customerID: nil, tenders: [ScriptedTender(method: .cash)], ctx(ana))
        #expect(try JournalVerifier(store: restored).verify().passed)
        // Without the key beside it, a restore is refused rather than leaving a store that cannot sign.
        try FileManager.default.removeItem(atPath: JournalKey.path(forStore: backup))
        #expect(throws: TillError.self) { try StoreBackup.restore(from: backup, to: TestStores.temporaryPath("again.sqlite"), force: false) }
    }

    @Test func aLineBreakOrBarInANameCannotForgeAField() throws {
        #expect(JournalBytes.escape("Tea|1\ntotal=0") == "Tea\\|1\\ntotal=0")
        #expect(JournalBytes.parts("a\\|b|c\\nd|\\\\") == ["a|b", "c\nd", "\\"])
    }

    @Test func hashesAndSignaturesAreNotMistakenForCardNumbers() throws {
        // 4242424242424242 is Luhn-valid: alone it is refused, inside a 64-digit hex hash it is not.
        #expect(CardNumberGuard.containsCardNumber("card 4242424242424242"))
        let hash = "ab" + "4242424242424242" + String(repeating: "c0", count: 23)
        #expect(!CardNumberGuard.containsCardNumber("prev=\(hash)\n"))
        #expect(CardNumberGuard.containsCardNumber("prev=abc 4242424242424242 def"))
    }
}

extension CompletedSale {
    func orderID(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE number = ?", arguments: [number])
    }
}

/// A store made before the journal existed: opening it with this Till starts the journal and signs its
/// earlier facts in order, so it verifies from the first day.
@Suite struct JournalUpgradeTests {
    @Test func aStoreFromBeforeTheJournalIsJournaledWholeWhenOpened() throws {
        let path = TestStores.temporaryPath()
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v17-chain-points")
        try queue.write { db in
            try StoreSettings(name: "Old Shop", currency: .EUR, taxInclusive: true, createdAt: Date()).save(db)
            try db.execute(sql: """
                INSERT INTO location(code, name) VALUES ('floor', 'Shop floor');
                INSERT INTO tax_class(code, name, rate_ppm) VALUES ('standard', 'Standard', 190000);
                INSERT INTO product(handle, name, tax_class_id) VALUES ('tea', 'Tea', 1);
                INSERT INTO variant(product_id, sku, price) VALUES (1, 'TEA', 350);
                INSERT INTO orders(number, status, currency, tax_inclusive, subtotal, tax_total, total, created_at, completed_at, business_day)
                VALUES (1001, 'completed', 'EUR', 1, 700, 112, 700, '2026-01-05 10:00:00.000', '2026-01-05 10:00:00.000', '2026-01-05');
                INSERT INTO order_line(order_id, position, variant_id, sku, name, quantity_milli, unit_price, tax_class, tax_rate_ppm, tax, total)
                VALUES (1, 1, 1, 'TEA', 'Tea', 2000, 350, 'standard', 190000, 112, 700);
                INSERT INTO payment(order_id, method, amount, tendered, change, status, created_at)
                VALUES (1, 'cash', 700, 1000, 300, 'captured', '2026-01-05 10:00:00.000');
                """)
        }
        try queue.close()
        #expect(!FileManager.default.fileExists(atPath: JournalKey.path(forStore: path)))
        let store = try StoreDatabase.open(path: path)
        #expect(FileManager.default.fileExists(atPath: JournalKey.path(forStore: path)))
        let entries = try store.read { db in try Journal.entries(db) }
        #expect(entries.map(\.kind) == ["journal_start", "sale"])
        #expect(entries.last?.field("receipt") == "1001")
        #expect(entries.last?.grandSales == 700)
        #expect(entries.last?.body.contains("tender=cash|700|1000|300||") == true)
        let result = try JournalVerifier(store: store).verify()
        #expect(result.passed, "\(result.problems)")
    }
}
