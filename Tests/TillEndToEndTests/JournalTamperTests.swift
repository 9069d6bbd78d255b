import Foundation
import Testing
import TillCore
import TillTestSupport

/// The journal against someone with the sqlite3 shell: drop the triggers, change the books, and `till journal
/// verify` (and `till doctor`) must name the entry. Each test uses Debian's sqlite3 program itself.
@Suite(.serialized) struct JournalTamperTests {
    let db = TestStores.temporaryPath()
    static let dropTriggers = """
        DROP TRIGGER journal_entry_no_delete; DROP TRIGGER journal_entry_fill_once; DROP TRIGGER z_report_no_update;
        DROP TRIGGER z_report_no_delete; DROP TRIGGER journal_key_no_update; DROP TRIGGER journal_key_no_delete;
        """

    static var sqlite3: String {
        get throws {
            for path in ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"] where FileManager.default.isExecutableFile(atPath: path) { return path }
            throw TillTestError("the sqlite3 program is missing: apt-get install sqlite3 (the tamper tests use the shell itself)")
        }
    }

    func shell(_ sql: String) throws {
        let result = try TillProcess.runTool(try Self.sqlite3, [db, Self.dropTriggers + sql])
        try #require(result.status == 0, "sqlite3: \(result.stderr)")
    }

    func query(_ sql: String) throws -> String {
        let result = try TillProcess.runTool(try Self.sqlite3, [db, sql])
        try #require(result.status == 0, "sqlite3: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func till(_ arguments: [String], as who: [String: String] = TillProcess.demoCashier) throws -> TillProcess.Output {
        try TillProcess.run(arguments + ["--db", db], environment: who)
    }

    /// A day at the counter: three sales, a refund, a pay-out, the drawer closed and the day's Z.
    func aDayOfTrading() throws -> [Int64] {
        try #require(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db, float: "100")
        var numbers: [Int64] = []
        for item in ["COF-002", "COF-002*2", "PRO-001*0.450"] {
            let sold = try till(["sell", "--item", item, "--pay", "cash"])
            try #require(sold.status == 0, "\(sold.stderr)")
            numbers.append(Int64(try query("SELECT MAX(number) FROM orders")) ?? 0)
        }
        let manager = ["TILL_USER": "max", "TILL_PIN": "2222"]
        try #require(try till(["refund", String(numbers[1]), "--line", "1", "--qty", "1"], as: manager).status == 0)
        try #require(try till(["shift", "pay-out", "--amount", "5", "--reason", "window cleaner"], as: manager).status == 0)
        let closed = try till(["shift", "close", "--count", "100x1"])
        try #require(closed.status == 0, "\(closed.stderr)")
        let z = try till(["report", "z"], as: manager)
        try #require(z.status == 0, "\(z.stderr)")
        let verified = try till(["journal", "verify"])
        try #require(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.hasPrefix("journal ok: "))
        return numbers
    }

    func seq(_ kind: String, ref: String) throws -> String {
        try query("SELECT seq FROM journal_entry WHERE kind = '\(kind)' AND ref = \(ref)")
    }

    func orderID(_ number: Int64) throws -> String { try query("SELECT id FROM orders WHERE number = \(number)") }

    /// The first FAIL line of `till journal verify`, which must fail (exit non-zero) and say so on stderr.
    func firstFailure() throws -> String {
        let result = try till(["journal", "verify"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("does not verify"))
        let doctor = try till(["doctor"])
        #expect(doctor.status != 0)
        #expect(doctor.stdout.contains("FAIL sales journal"))
        return result.stdout.split(separator: "\n").first.map(String.init) ?? ""
    }

    @Test func aChangedLinePriceIsNamed() throws {
        let numbers = try aDayOfTrading()
        let entry = try seq("sale", ref: try orderID(numbers[0]))
        try shell("UPDATE order_line SET unit_price = unit_price / 2 WHERE order_id = \(try orderID(numbers[0]));")
        let line = try firstFailure()
        #expect(line.hasPrefix("FAIL entry \(entry): edited"), "\(line)")
        #expect(line.contains("sale #\(numbers[0])"))
    }

    @Test func aDeletedOrderIsNamed() throws {
        let numbers = try aDayOfTrading()
        let id = try orderID(numbers[2])
        let entry = try seq("sale", ref: id)
        try shell("PRAGMA foreign_keys = OFF; DELETE FROM payment WHERE order_id = \(id); DELETE FROM order_line WHERE order_id = \(id); DELETE FROM orders WHERE id = \(id);")
        let line = try firstFailure()
        #expect(line.hasPrefix("FAIL entry \(entry): deleted"), "\(line)")
    }

    @Test func aMadeUpOrderIsNamed() throws {
        _ = try aDayOfTrading()
        let last = Int64(try query("SELECT MAX(seq) FROM journal_entry")) ?? 0
        try shell("""
            DROP TRIGGER journal_sale_inserted;
            INSERT INTO orders(number, status, currency, tax_inclusive, subtotal, tax_total, total, created_at, completed_at, register)
            VALUES (77777, 'completed', 'EUR', 1, 999, 0, 999, strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'), 'main');
            """)
        let line = try firstFailure()
        #expect(line.hasPrefix("FAIL entry \(last + 1): inserted"), "\(line)")
        #expect(line.contains("sale #77777"))
    }

    @Test func swappedEntriesAreNamed() throws {
        let numbers = try aDayOfTrading()
        let a = try seq("sale", ref: try orderID(numbers[0])), b = try seq("sale", ref: try orderID(numbers[1]))
        try shell("UPDATE journal_entry SET seq = -1 WHERE seq = \(a); UPDATE journal_entry SET seq = \(a) WHERE seq = \(b); UPDATE journal_entry SET seq = \(b) WHERE seq = -1;")
        let line = try firstFailure()
        #expect(line.hasPrefix("FAIL entry \(a): reordered"), "\(line)")
    }

    @Test func aChangedZTotalIsNamed() throws {
        _ = try aDayOfTrading()
        let number = try query("SELECT MAX(number) FROM z_report")
        let entry = try seq("z_report", ref: number)
        try shell("UPDATE z_report SET figures = json_set(figures, '$.total', 1) WHERE number = \(number);")
        let line = try firstFailure()
        #expect(line.hasPrefix("FAIL entry \(entry): edited"), "\(line)")
        #expect(line.contains("Z report \(number)"))
    }

    @Test func aReplacedKeyFileIsNamedAndSigningStops() throws {
        _ = try aDayOfTrading()
        let keyPath = JournalKey.path(forStore: db)
        let openssl = try TillProcess.runTool("/usr/bin/openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", keyPath + ".other"])
        try #require(openssl.status == 0, "openssl: \(openssl.stderr)")
        let pkcs8 = try TillProcess.runTool("/usr/bin/openssl", ["pkcs8", "-topk8", "-nocrypt", "-in", keyPath + ".other", "-out", keyPath])
        try #require(pkcs8.status == 0, "openssl: \(pkcs8.stderr)")
        let line = try firstFailure()
        #expect(line.hasPrefix("FAIL key replaced"), "\(line)")
        // Refused before the card is asked: no card is charged for a sale that could not be journaled.
        let sale = try till(["sell", "--item", "COF-002", "--pay", "card"])
        #expect(sale.status != 0)
        #expect(sale.stderr.contains("is not this store's"))
        // And the key swapped inside the store file too: every signature fails, from the journal's first.
        let pub = try TillProcess.runTool("/usr/bin/openssl", ["pkey", "-in", keyPath, "-pubout"])
        try shell("UPDATE journal_key SET public_key = '\(pub.stdout)' WHERE id = 1;")
        let second = try till(["journal", "verify"])
        #expect(second.stdout.split(separator: "\n").first?.hasPrefix("FAIL entry 1: signature invalid") == true, "\(second.stdout)")
    }
}
