import Foundation
import GRDB
import Testing
import TillCore
import TillFakeStripe
import TillTestSupport

/// Issue 15, through the real binary: a card number typed as an argument is refused before anything runs, and
/// after a day of sales no file beside the store (the store, its WAL, backups, receipts, exports) and no
/// output holds one. The scan is shown to find a card planted in a copy, so it cannot pass by finding nothing.
@Suite(.serialized) struct CardNumberScanTests {
    let folder = TestStores.temporaryDirectory()
    var db: String { folder.appendingPathComponent("store.sqlite").path }
    let pins = ["ana": "1111", "sam": "3333", "max": "2222", "ada": "4444"]
    /// Card sales go through a Stripe reader, served by the fake Stripe (every customer taps and is approved).
    let fake: FakeStripe
    static let stripeKey = "sk_test_CardScanDayKey"

    init() throws {
        fake = try FakeStripe.start(apiKey: Self.stripeKey)
        fake.addReader(id: "tmr_fake_1", label: "Front till")
        fake.updateFaults { $0.autoPresent = .init(.approve, afterMilliseconds: 20) }
    }

    /// `till ARGS` as `user`; every command of the day must succeed, or the scan would prove little.
    func till(_ user: String?, _ arguments: [String], outputs: inout [TillProcess.Output],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> TillProcess.Output {
        var environment = ["TILL_DB": db, "TILL_STRIPE_SECRET_KEY": Self.stripeKey, "TILL_STRIPE_API_BASE": fake.baseURL]
        if let user {
            environment["TILL_USER"] = user
            environment["TILL_PIN"] = pins[user]
        }
        let result = try TillProcess.run(arguments, environment: environment)
        #expect(result.status == 0, "till \(arguments.joined(separator: " ")) as \(user ?? "-"): \(result.stderr)",
                sourceLocation: sourceLocation)
        outputs.append(result)
        return result
    }

    func orderNumber(_ output: TillProcess.Output) throws -> String {
        let line = try #require(output.stdout.split(separator: "\n").first { $0.hasPrefix("order #") })
        return String(line.dropFirst("order #".count).prefix { $0.isNumber })
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @Test func aDayOfSalesLeavesNoCardNumberInAnyFileOrOutput() throws {
        var outputs: [TillProcess.Output] = []
        _ = try till(nil, ["init", "--db", db], outputs: &outputs)
        // A connection held open all day, as a till's is: SQLite keeps the WAL and shared memory beside the store
        // while one is open (the last to close folds the WAL back in and deletes it), so they are there to scan.
        let store = try StoreDatabase.open(path: db)
        defer { try? store.pool.close() }
        let customer = try #require(try Customers(store: store).all().first { $0.email != nil }?.email)
        for folder in ["receipts", "exports", "backups"] {
            try FileManager.default.createDirectory(atPath: path(folder), withIntermediateDirectories: true)
        }
        _ = try till("ana", ["shift", "open", "--float", "100"], outputs: &outputs)
        let first = try orderNumber(try till("ana", ["sell", "--item", "COF-002*2", "--pay", "cash:50",
                                                     "--printer", path("receipts/1.bin")], outputs: &outputs))
        let second = try orderNumber(try till("ana", ["sell", "--item", "SNK-002", "--item", "COF-002", "--customer", customer,
                                                      "--pay", "cash", "--printer", path("receipts/2.bin")], outputs: &outputs))
        _ = try till("ana", ["sell", "--item", "PRO-001*0.450", "--pay", "cash", "--printer", path("receipts/3.bin")], outputs: &outputs)
        // Cards: on the Stripe reader paired with the main till — a card sale, a split card + cash, a partial refund
        // and a void back to the card, an exchange whose balance is paid by card.
        _ = try till("ada", ["terminal", "pair", "main", "tmr_fake_1", "--stripe"], outputs: &outputs)
        let card = try orderNumber(try till("ana", ["sell", "--item", "COF-002*2", "--pay", "card", "--printer", path("receipts/4.bin")],
                                            outputs: &outputs))
        let split = try orderNumber(try till("ana", ["sell", "--item", "COF-001", "--item", "SNK-002", "--pay", "card:5", "--pay", "cash"],
                                             outputs: &outputs))
        let voided = try orderNumber(try till("ana", ["sell", "--item", "SNK-002", "--pay", "card"], outputs: &outputs))
        _ = try till("sam", ["refund", card, "--line", "1", "--qty", "1", "--reason", "one too many"], outputs: &outputs)
        _ = try till("max", ["void", voided, "--reason", "rang up twice"], outputs: &outputs)
        _ = try till("sam", ["exchange", split, "--line", "2", "--item", "COF-002", "--pay", "card"], outputs: &outputs)
        _ = try till("max", ["report", "reconcile"], outputs: &outputs)
        _ = try till("max", ["shift", "pay-in", "--amount", "5", "--reason", "change from the bank"], outputs: &outputs)
        _ = try till("max", ["shift", "no-sale", "--reason", "checked a note"], outputs: &outputs)
        _ = try till("sam", ["orders", "note", first, "customer called about order \(first), card ending 4242"], outputs: &outputs)
        _ = try till("sam", ["refund", first, "--line", "1", "--qty", "1", "--reason", "wrong size"], outputs: &outputs)
        _ = try till("max", ["void", second, "--reason", "customer changed mind"], outputs: &outputs)
        _ = try till("max", ["stock", "adjust", "COF-002", "--delta", "-1", "--reason", "damaged", "--note", "dropped"], outputs: &outputs)
        _ = try till("max", ["stock", "receive", "--ref", "DN-2026-12-02", "--supplier", "Bean Co", "COF-002=6"], outputs: &outputs)
        _ = try till("max", ["credit", "issue", "--amount", "5", "--note", "goodwill"], outputs: &outputs)
        _ = try till("max", ["category", "add", "Seasonal"], outputs: &outputs)
        _ = try till("max", ["product", "add", "MUG-9", "--name", "Gift Mug", "--price", "9.90", "--category", "Seasonal"], outputs: &outputs)
        _ = try till("sam", ["orders", "show", first], outputs: &outputs)
        _ = try till("sam", ["orders", "search", "--last4", "4242"], outputs: &outputs)
        _ = try till("sam", ["orders", "reprint", first, "--printer", path("receipts/reprint.bin")], outputs: &outputs)
        for kind in ["products", "customers", "stock", "orders"] {
            _ = try till("ada", ["export", kind, "--out", path("exports/\(kind).csv")], outputs: &outputs)
        }
        _ = try till("max", ["report", "x"], outputs: &outputs)
        _ = try till("max", ["report", "sales", "--by", "payment"], outputs: &outputs)
        _ = try till("ana", ["shift", "close", "--count", "100x1,50x1"], outputs: &outputs)
        _ = try till("max", ["report", "z"], outputs: &outputs)
        _ = try till("ada", ["backup", path("backups/store-backup.sqlite")], outputs: &outputs)
        _ = try till(nil, ["doctor"], outputs: &outputs)

        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        // What the scan covers: the store, its WAL and shared memory, receipts, exports, the backup.
        for expected in ["store.sqlite", "store.sqlite-wal", "store.sqlite-shm", "receipts/1.bin", "receipts/reprint.bin", "exports/orders.csv",
                         "backups/store-backup.sqlite"] {
            #expect(files.contains(expected), "\(expected) is not there to be scanned (\(files.sorted()))")
        }
        let inFiles = try CardNumberScan.findings(inFilesUnder: folder)
        #expect(inFiles == [], "\(inFiles)")
        let printed = outputs.enumerated().flatMap { index, output in
            CardNumberScan.findings(in: output.stdout, named: "stdout of command \(index + 1)")
                + CardNumberScan.findings(in: output.stderr, named: "stderr of command \(index + 1)")
        }
        #expect(printed == [], "\(printed)")
        #expect(outputs.count == 36)
        // The fake saw card payments, and never a card number either: Till has none to send.
        #expect(fake.allCharges.filter { $0.status == "succeeded" }.count == 4)
        let sent = fake.requests.map { $0.path + $0.query + $0.body }.joined(separator: "\n")
        #expect(CardNumberScan.findings(in: sent, named: "requests to Stripe") == [])
    }

    @Test func theScanFindsACardPlantedInACopyOfTheStoreAndOfAReceipt() throws {
        var outputs: [TillProcess.Output] = []
        _ = try till(nil, ["init", "--db", db], outputs: &outputs)
        _ = try till("ana", ["shift", "open", "--float", "0"], outputs: &outputs)
        _ = try till("ana", ["sell", "--item", "COF-002", "--pay", "cash", "--printer", path("receipt.bin")], outputs: &outputs)
        let before = try CardNumberScan.findings(inFilesUnder: folder)
        #expect(before == [], "\(before)")

        // The store: a note written past the guard, straight into SQLite, as a bug would.
        let copy = TestStores.temporaryDirectory()
        try FileManager.default.copyItem(atPath: db, toPath: copy.appendingPathComponent("store.sqlite").path)
        let planted = try StoreDatabase.open(path: copy.appendingPathComponent("store.sqlite").path)
        try planted.write { db in
            try db.execute(sql: "INSERT INTO order_note(order_id, staff_id, text, created_at) VALUES ((SELECT MIN(id) FROM orders), NULL, ?, ?)",
                           arguments: ["paid with 4242 4242 4242 4242", Date()])
        }
        try planted.pool.close()
        let inStore = try CardNumberScan.findings(inFilesUnder: copy)
        #expect(!inStore.isEmpty)
        #expect(inStore.allSatisfy { $0.file.hasPrefix(copy.path) })
        #expect(inStore.contains { $0.file.contains("(table order_note, column text, row ") }, "\(inStore)")

        // A receipt: the offset is where the digits start.
        var receipt = try Data(contentsOf: URL(fileURLWithPath: path("receipt.bin")))
        let offset = receipt.count
        receipt.append(Data("4000-0566-5566-5556\n".utf8))
        #expect(CardNumberScan.findings(in: receipt) == [offset])
    }

    @Test func aCardNumberArgumentIsRefusedByPositionBeforeTheStoreIsOpened() throws {
        let missing = path("no-such-store.sqlite")
        let reason = CardNumberGuard.reason
        let cases: [([String], String)] = [
            (["orders", "note", "1", "paid 4242 4242 4242 4242", "--db", missing], "argument 4"),
            (["stock", "adjust", "COF-002", "--delta", "1", "--reason", "other", "--note", "4242424242424242", "--db", missing],
             "argument 9 (the value of --note)"),
            (["stock", "adjust", "COF-002", "--note=4242-4242-4242-4242", "--db", missing], "argument 4 (the value of --note)"),
            (["stock", "receive", "--ref", "DN-1", "COF-002=5555555555554444", "--db", missing], "argument 5 (the value of COF-002=)"),
            (["no-such-command", "378282246310005"], "argument 2"),
        ]
        for (arguments, position) in cases {
            let result = try TillProcess.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr == "till: \(position) \(reason)\n")
            #expect(result.stdout == "")
            #expect(CardNumberScan.findings(in: result.stderr, named: "stderr").isEmpty)
        }
        // Not opened, so not created either; and barcodes and ordinary numbers are no card numbers.
        #expect(!FileManager.default.fileExists(atPath: missing))
        let barcode = try TillProcess.run(["stock", "receive", "--ref", "4006381333931", "4006381333931=2", "--db", missing])
        #expect(barcode.status == 3, "\(barcode.stderr)")
        #expect(barcode.stderr == "till: no store at \(missing) (create one with `till init`)\n")
    }
}
