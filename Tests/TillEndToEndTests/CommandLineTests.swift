import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport

/// The CLI is a contract: these drive the real binary the way scripts do.
@Suite(.serialized) struct CommandLineTests {
    let db = TestStores.temporaryPath()

    @Test func initDoctorAndRefusalToOverwrite() throws {
        let created = try TillProcess.run(["init", "--db", db])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created the demo store"))
        let doctor = try TillProcess.run(["doctor", "--db", db])
        #expect(doctor.status == 0, "\(doctor.stdout)\(doctor.stderr)")
        #expect(doctor.stdout.contains("ok   ledger == on-hand"))
        #expect(doctor.stdout.contains("schema: \(StoreDatabase.latestSchemaVersion)"))
        let again = try TillProcess.run(["init", "--db", db])
        #expect(again.status != 0)
        #expect(again.stderr == "till: a store already exists at \(db) (use --force to replace it)\n")
        let forced = try TillProcess.run(["init", "--db", db, "--force", "--empty", "--currency", "USD"])
        #expect(forced.status == 0)
        #expect(forced.stdout.contains("USD, prices exclude tax, 0 SKUs"))
    }

    @Test func theEnvironmentVariableNamesTheStore() throws {
        #expect(try TillProcess.run(["init", "--empty"], environment: ["TILL_DB": db]).status == 0)
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(try TillProcess.run(["doctor"], environment: ["TILL_DB": db]).status == 0)
    }

    /// A store file that cannot be written (chmod; as root, which ignores modes, the immutable flag) is named
    /// in one line, exit 3, and nothing is half-written.
    @Test func aReadOnlyStoreIsOneLineAndExitThree() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        // Everything a cash sale needs but a writable file: a signed-in cashier and an open shift.
        try TillProcess.openShift(db: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: db)
        let asRoot = getuid() == 0
        if asRoot { _ = try TillProcess.runTool("/usr/bin/chattr", ["+i", db]) }
        defer {
            if asRoot { _ = try? TillProcess.runTool("/usr/bin/chattr", ["-i", db]) }
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: db)
        }
        try #require(FileHandle(forWritingAtPath: db) == nil, "could not make \(db) read-only on this machine")
        let result = try TillProcess.run(["sell", "--db", db, "--item", "COF-002", "--pay", "cash"], environment: TillProcess.demoCashier)
        #expect(result.status == 3)
        #expect(result.stderr == "till: \(db) is read-only: Till needs to write to it\n")
    }

    @Test func aFolderThatIsAFileIsOneLineAndExitThree() throws {
        let blocker = try TestStores.file("notadir", "x")
        let result = try TillProcess.run(["init", "--db", blocker + "/store.sqlite"])
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("till: cannot create folder \(blocker):"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func aMissingNamedStoreIsAnErrorNotANewShop() throws {
        let result = try TillProcess.run(["doctor", "--db", db])
        #expect(result.status == 3)
        #expect(result.stderr == "till: no store at \(db) (create one with `till init`)\n")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func badImportExitsNonZeroWithFileLineColumnReason() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let file = try TestStores.file("bad.csv", "sku,name,barcode,price,category,tax_class\nZ-1,Widget,123,1.00,Misc,standard\n")
        let result = try TillProcess.run(["import", "products", file, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.csv:2: barcode: 123: 3 digits is not an EAN-8, UPC-A, EAN-13 or GTIN-14 length (8, 12, 13 or 14)"))
        #expect(!result.stderr.contains("Fatal error"))
        let search = try TillProcess.run(["export", "products", "--db", db])
        #expect(!search.stdout.contains("Z-1"))
    }

    @Test func exportImportRoundTripThroughFiles() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let out = TestStores.temporaryPath("products.csv")
        let exported = try TillProcess.run(["export", "products", "--db", db, "--out", out])
        #expect(exported.status == 0, "\(exported.stderr)")
        let second = TestStores.temporaryPath()
        #expect(try TillProcess.run(["init", "--db", second]).status == 0)
        let dry = try TillProcess.run(["import", "products", out, "--db", second, "--dry-run"])
        #expect(dry.stdout.contains("314 unchanged"))
        let json = try TillProcess.run(["export", "orders", "--format", "json", "--db", db])
        let orders = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect((orders?.count ?? 0) > 300)
        let parked = try TillProcess.run(["export", "orders", "--status", "parked", "--db", db])
        #expect(parked.status == 0)
        #expect(parked.stdout.split(separator: "\n").count == 1)  // header only
        let wrong = try TillProcess.run(["export", "products", "--status", "open", "--db", db])
        #expect(wrong.status != 0)
    }

    /// A semicolon file from a decimal-comma spreadsheet imports; the export guards formula cells, `--raw` not,
    /// and the guarded export imports back to the same customers.
    @Test func semicolonImportFormulaGuardAndRawExport() throws {
        #expect(try TillProcess.run(["init", "--empty", "--db", db]).status == 0)
        let file = try TestStores.file("kunden.csv", "name;email;phone;notes\n=SUM(A1);a@example.com;+49 30 1;\"zeile 1\r\nzeile 2\"\n")
        let imported = try TillProcess.run(["import", "customers", file, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let guarded = try TillProcess.run(["export", "customers", "--db", db])
        #expect(guarded.stdout == "name,email,phone,notes\n'=SUM(A1),a@example.com,'+49 30 1,\"zeile 1\r\nzeile 2\"\n")
        let raw = try TillProcess.run(["export", "customers", "--raw", "--db", db])
        #expect(raw.stdout == "name,email,phone,notes\n=SUM(A1),a@example.com,+49 30 1,\"zeile 1\r\nzeile 2\"\n")
        let again = try TillProcess.run(["import", "customers", try TestStores.file("back.csv", guarded.stdout), "--db", db])
        #expect(again.stdout.contains("0 new, 0 updated, 1 unchanged"), "\(again.stdout)\(again.stderr)")
    }

    @Test func aCorruptStoreGetsOneClearLine() throws {
        let garbage = try TestStores.file("garbage.sqlite", String(repeating: "garbage", count: 1000))
        let result = try TillProcess.run(["doctor", "--db", garbage])
        #expect(result.status == 3)
        #expect(result.stderr == "till: \(garbage) is not a readable Till store (file is corrupt or not a database)\n")
    }

    @Test func firstRunOnTheDefaultPathCreatesTheDemoStore() throws {
        let home = TestStores.temporaryDirectory().path
        let result = try TillProcess.run(["doctor"], environment: ["HOME": home])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/till/store.sqlite"))
        let xdg = TestStores.temporaryDirectory().path
        #expect(try TillProcess.run(["doctor"], environment: ["XDG_DATA_HOME": xdg]).status == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/till/store.sqlite"))
    }
}

/// `till sell`: the whole sale from a script, the same core path as the Register.
@Suite(.serialized) struct SellCommandTests {
    let db = TestStores.temporaryPath()

    @Test func aSplitSalePrintsTheReceiptAndMovesStock() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let store = try StoreDatabase.open(path: db)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-001"))
        let before = try Inventory(store: store).onHand(variantID: coffee.variantID, location: "floor")
        try TillProcess.openShift(db: db)
        let printer = TestStores.temporaryPath("printer.bin")
        let result = try TillProcess.run(["sell", "--db", db, "--item", "4083086271492*2", "--item", "PRO-001*0.450",
                                          "--discount", "10%", "--pay", "card:5", "--pay", "cash:20",
                                          "--printer", printer, "--user", "ana"], environment: ["TILL_PIN": "1111"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("completed"))
        #expect(result.stdout.contains("Card visa ••4242"))
        #expect(result.stdout.contains("Change"))
        #expect(result.stdout.contains("Served by Ana Cashier"))
        #expect(try Inventory(store: store).onHand(variantID: coffee.variantID, location: "floor") == before - .units(2))
        let bytes = try #require(FileManager.default.contents(atPath: printer))
        #expect(Array(bytes.suffix(5)) == [0x1B, 0x70, 0, 25, 250])  // cash taken: the drawer opens
        let number = try #require(result.stdout.split(separator: " ").first { $0.hasPrefix("#") }.flatMap { Int64($0.dropFirst()) })
        #expect(FileManager.default.fileExists(atPath: db + "-receipts/\(number).txt"))
        let json = try TillProcess.run(["sell", "--db", db, "--item", "COF-002", "--pay", "cash", "--json"], environment: TillProcess.demoCashier)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "completed")
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func declinesAndBadInputLeaveNoOrder() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        let store = try StoreDatabase.open(path: db)
        let before = try TestStores.saleTableCounts(store)
        let cashier = TillProcess.demoCashier
        var declining = cashier
        declining["TILL_SIM_CUSTOMER"] = "insufficient_funds"
        let declined = try TillProcess.run(["sell", "--db", db, "--item", "COF-001", "--pay", "card"], environment: declining)
        #expect(declined.status == 1)
        #expect(declined.stderr == "till: card declined: insufficient funds — ask for another card or tender; nothing was taken\n")
        let unknown = try TillProcess.run(["sell", "--db", db, "--item", "NOPE", "--pay", "cash"], environment: cashier)
        #expect(unknown.stderr == "till: barcode or SKU \"NOPE\" not found\n")
        let short = try TillProcess.run(["sell", "--db", db, "--item", "COF-002", "--pay", "cash:1"], environment: cashier)
        #expect(short.status == 1)
        #expect(short.stderr.contains("short of"))
        let badAmount = try TillProcess.run(["sell", "--db", db, "--item", "COF-002", "--pay", "cash:1.999"], environment: cashier)
        #expect(badAmount.stderr.contains("EUR has 2 decimals at most"))
        #expect(try TestStores.saleTableCounts(store) == before)
    }

    @Test func aWeighedItemNeedsAWeightAndEachLabelIsALine() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let store = try StoreDatabase.open(path: db)
        let before = try TestStores.saleTableCounts(store)
        for code in ["PRO-001", "2100001000004"] {  // its SKU, its own barcode: no weight either way
            let refused = try TillProcess.run(["sell", "--db", db, "--item", code, "--pay", "cash"])
            #expect(refused.status == 1)
            #expect(refused.stderr == "till: weighed item PRO-001 needs a weight: PRO-001*0.450\n")
        }
        #expect(try TestStores.saleTableCounts(store) == before)
        let labels = try ["2100001004507", #require(VariableMeasureBarcode.encode(baseCode: "2100001000004", value: 1215))]
        let sold = try TillProcess.run(["sell", "--db", db, "--item", labels[0], "--item", labels[1], "--item", "PRO-001*0.3",
                                        "--pay", "card", "--json"], environment: TillProcess.demoCashier)
        #expect(sold.status == 0, "\(sold.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(sold.stdout.utf8)) as? [String: Any])
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect(lines.count == 3)
    }
}

/// The merchant's day from the command line: the same core calls as the panes.
@Suite(.serialized) struct MerchantCommandTests {
    let db = TestStores.temporaryPath()

    func till(_ arguments: String...) throws -> TillProcess.Output {
        try TillProcess.run(arguments + ["--db", db])
    }

    @Test func addReceiveTransferCountAndValue() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        var result = try till("product", "add", "MUG-S", "--name", "Enamel Mug", "--option", "Small", "--barcode", "4006381333931",
                              "--category", "Kitchen", "--price", "12.50", "--cost", "4.00", "--handle", "enamel-mug")
        #expect(result.status == 0, "\(result.stderr)")
        result = try till("stock", "receive", "--ref", "DN-2026-118", "--supplier", "Enamelware Co", "--register", "back-office",
                          "MUG-S=24@4.00")
        #expect(result.status == 0, "\(result.stderr)")
        // The same note from the same supplier again is refused; --again receives it (here: nothing, then put back).
        result = try till("stock", "receive", "--ref", "DN-2026-118", "--supplier", "Enamelware Co", "MUG-S=24@4.00")
        #expect(result.status == 1)
        #expect(result.stderr == "till: delivery DN-2026-118 from Enamelware Co was already received; to receive it again (the rest of a split delivery), add --again\n")
        result = try till("stock", "receive", "--ref", "DN-2026-118", "--supplier", "Enamelware Co", "--again", "MUG-S=2")
        #expect(result.stdout == "received 1 line against DN-2026-118 (again)\n", "\(result.stderr)")
        result = try till("stock", "adjust", "MUG-S", "--delta", "-2", "--reason", "return_to_vendor")
        #expect(result.status == 0, "\(result.stderr)")
        // A transfer of more than the floor holds is refused, naming SKU, location and on-hand.
        result = try till("stock", "transfer", "MUG-S", "--qty", "25", "--from", "floor", "--to", "back")
        #expect(result.stderr == "till: not enough MUG-S at floor (Shop floor): on hand 24, a transfer would take 25; stock at a location never goes below zero this way\n")
        result = try till("stock", "transfer", "MUG-S", "--qty", "6", "--from", "floor", "--to", "back")
        #expect(result.status == 0, "\(result.stderr)")
        result = try till("count", "start", "--location", "floor", "--category", "Kitchen")
        let count = try #require(result.stdout.split(separator: " ").dropFirst().first.map(String.init))
        #expect(try till("count", "set", count, "MUG-S", "17").status == 0)
        result = try till("count", "apply", count)
        #expect(result.stdout.contains("MUG-S"))
        #expect(result.stdout.contains("-1"))
        result = try till("stock", "adjust", "MUG-S", "--delta", "-1", "--reason", "damaged", "--note", "chipped")
        #expect(result.stdout == "MUG-S at floor: on hand 16\n")
        result = try till("report", "valuation", "--by", "location", "--format", "csv")
        #expect(result.stdout.hasPrefix("location,units,value,skus_without_cost\n"))
        result = try till("reorder", "--format", "json")
        #expect((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) != nil)
        result = try till("stock", "adjust", "MUG-S", "--delta", "1", "--reason", "sale")
        #expect(result.status == 1 && result.stderr.hasPrefix("till: sale is not an adjustment reason"))
        #expect(try till("doctor").status == 0)
        let store = try StoreDatabase.open(path: db)
        let mug = try #require(try Catalog(store: store).lookup(code: "MUG-S"))
        #expect(try Inventory(store: store).onHand(variantID: mug.variantID, location: "floor") == .units(16))
        #expect(try Inventory(store: store).onHand(variantID: mug.variantID, location: "back") == .units(6))
        #expect(try Inventory(store: store).movements(variantID: mug.variantID).map(\.reason)
                == [.damaged, .count, .transfer, .transfer, .returnToVendor, .received, .received])
    }
}

/// Issue 13 from the command line: any GTIN form, case codes at add, receive and sale, the phone country code.
@Suite(.serialized) struct BarcodeCommandTests {
    let db = TestStores.temporaryPath()

    func till(_ arguments: String...) throws -> TillProcess.Output {
        try TillProcess.run(arguments + ["--db", db])
    }

    @Test func caseCodesAndGTINFormsFromTheCommandLine() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        var result = try till("product", "add", "SOUP", "--name", "Tomato Soup", "--barcode", "036-000 291452",
                              "--case-barcode", "10036000291459=12", "--price", "1.99")
        #expect(result.status == 0, "\(result.stderr)")
        result = try till("product", "add", "SOUP-2", "--name", "Other Soup", "--barcode", "0036000291452", "--price", "1.99")
        #expect(result.status == 1)
        #expect(result.stderr == "till: barcode: 0036000291452 already belongs to SOUP\n")
        result = try till("product", "add", "SOUP-3", "--name", "Bad Soup", "--barcode", "03600029145X", "--price", "1.99")
        #expect(result.stderr == "till: barcode: 03600029145X: \"X\" (U+0058) is not a digit (a barcode has digits only; spaces and hyphens are ignored)\n")
        result = try till("stock", "receive", "--ref", "DN-1", "10036000291459=2", "00036000291452=1")
        #expect(result.status == 0, "\(result.stderr)")
        try TillProcess.openShift(db: db)
        result = try TillProcess.run(["sell", "--item", "10036000291459", "--pay", "cash", "--db", db], environment: TillProcess.demoCashier)
        #expect(result.status == 0, "\(result.stderr)")
        result = try till("product", "edit", "SOUP", "--case-barcode", "20036000291456=6")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try till("settings", "set", "phone_country_code", "49").status == 0)
        let store = try StoreDatabase.open(path: db)
        let soup = try #require(try Catalog(store: store).lookup(code: "0036000291452"))
        #expect(try Inventory(store: store).onHand(variantID: soup.variantID, location: "floor") == .units(24 + 1 - 12))
        #expect(try CatalogEditor(store: store).draft(sku: "SOUP").caseBarcodes == [CaseBarcode(code: "20036000291456", quantity: 6)])
        #expect(try store.read { db in try StoreSettings.load(db).phoneCountryCode } == "49")
    }
}

@Suite(.serialized) struct OrdersCommandTests {
    let db = TestStores.temporaryPath()

    @Test func searchAndShow() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let sale = try TillProcess.run(["sell", "--db", db, "--item", "COF-002", "--customer", "anna.lopez", "--pay", "card"],
                                        environment: TillProcess.demoCashier)
        #expect(sale.status == 0, "\(sale.stderr)")
        let found = try TillProcess.run(["orders", "search", "--db", db, "--last4", "4242", "--customer", "Anna", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[String: String]]
        let number = try #require(rows?.first?["number"])
        #expect(rows?.count == 1)
        // The words the Orders pane takes, through the same parser.
        let typed = try TillProcess.run(["orders", "search", "card:4242", "Anna", "--db", db, "--format", "json"])
        #expect((try JSONSerialization.jsonObject(with: Data(typed.stdout.utf8)) as? [[String: String]])?.map { $0["number"] } == [number],
                "\(typed.stdout)\(typed.stderr)")
        let wrong = try TillProcess.run(["orders", "search", "card:42", "--db", db])
        #expect(wrong.status == 1 && wrong.stderr == "till: card: takes the card's last four digits, e.g. card:4242 (got \"42\")\n")
        let shown = try TillProcess.run(["orders", "show", number, "--db", db])
        #expect(shown.stdout.contains("Customer: Anna López"))
        #expect(shown.stdout.contains("Card visa ••4242"))
        let reconcile = try TillProcess.run(["report", "reconcile", "--db", db], environment: ["TILL_USER": "max", "TILL_PIN": "2222"])
        #expect(reconcile.status == 0 && reconcile.stdout.hasSuffix("no mismatches\n"), "\(reconcile.stdout)\(reconcile.stderr)")
        let missing = try TillProcess.run(["orders", "show", "999999", "--db", db])
        #expect(missing.status == 1 && missing.stderr == "till: order #999999 not found\n")
        // A big store's order numbers print whole in the table.
        try StoreDatabase.open(path: db).write { db in try db.execute(sql: "UPDATE orders SET number = number + 10000000 WHERE number IS NOT NULL") }
        let big = try TillProcess.run(["orders", "search", "#\(10_000_000 + (Int(number) ?? 0))", "--db", db])
        #expect(big.stdout.hasPrefix("#\(10_000_000 + (Int(number) ?? 0)) 20"), "\(big.stdout)\(big.stderr)")
    }
}

@Suite(.serialized) struct RefundCommandTests {
    let db = TestStores.temporaryPath()
    let support = ["TILL_USER": "sam", "TILL_PIN": "3333"]

    func till(_ arguments: String..., environment: [String: String] = [:]) throws -> TillProcess.Output {
        try TillProcess.run(arguments + ["--db", db], environment: environment)
    }

    @Test func refundVoidCreditAndReprintFromTheCommandLine() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let sale = try till("sell", "--item", "COF-002*3", "--customer", "anna.lopez", "--pay", "card", "--json",
                            environment: ["TILL_USER": "ana", "TILL_PIN": "1111"])
        let number = try #require((try JSONSerialization.jsonObject(with: Data(sale.stdout.utf8)) as? [String: Any])?["number"] as? Int)
        let refused = try till("refund", String(number), "--line", "1", "--qty", "1",
                               environment: ["TILL_USER": "ana", "TILL_PIN": "1111"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "till: not allowed: ana (cashier) may not refund an order; a manager must approve\n")
        let refund = try till("refund", String(number), "--line", "1", "--qty", "1", "--no-restock", "--reason", "dented",
                              environment: support)
        #expect(refund.status == 0, "\(refund.stderr)")
        #expect(refund.stdout.contains("to card ••4242"))
        #expect(refund.stdout.contains("not restocked"))
        #expect(refund.stdout.contains("order #\(number) is now partially refunded"))
        let credit = try till("refund", String(number), "--to", "store-credit", environment: support)
        #expect(credit.status == 0, "\(credit.stderr)")
        let code = try #require(credit.stdout.split(separator: "\n").last?.split(separator: " ").dropFirst(2).first.map(String.init))
        let balance = try till("credit", "balance", code)
        #expect(balance.stdout.hasPrefix("\(code): €"), "\(balance.stdout)")
        let shown = try till("orders", "show", String(number))
        #expect(shown.stdout.contains("*** REFUNDED ***"))
        #expect(shown.stdout.contains("1. COF-002 × 3, 3 refunded"))
        #expect(shown.stdout.contains("sam       refunded"))
        let note = try till("orders", "note", String(number), "called about the refund", environment: support)
        #expect(note.status == 0)
        let reprint = try till("orders", "reprint", String(number), environment: support)
        #expect(reprint.stdout.contains("*** COPY ***"))
        let void = try till("void", String(number), environment: ["TILL_USER": "max", "TILL_PIN": "2222"])
        #expect(void.status == 1 && void.stderr.contains("refund it instead"))
        #expect(try till("report", "reconcile", environment: support).stdout.hasSuffix("no mismatches\n"))
        #expect(try till("doctor").status == 0)
    }

    /// Four support staff refund the same line at the same moment, from four processes: exactly one wins.
    @Test func concurrentRefundsOfTheSameLineCannotDoubleRefund() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let sale = try till("sell", "--item", "COF-002*2", "--pay", "card", "--json", environment: TillProcess.demoCashier)
        let number = try #require((try JSONSerialization.jsonObject(with: Data(sale.stdout.utf8)) as? [String: Any])?["number"] as? Int)
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let output = try? TillProcess.run(["refund", String(number), "--line", "1", "--db", db], environment: support)
            results.append(output)
        }
        let outputs = results.all.compactMap { $0 }
        #expect(outputs.count == 4)
        #expect(outputs.filter { $0.status == 0 }.count == 1, "\(outputs.map(\.stderr))")
        for loser in outputs where loser.status != 0 {
            #expect(loser.stderr.contains("has already been refunded in full"), "\(loser.stderr)")
        }
        let store = try StoreDatabase.open(path: db)
        let detail = try Orders(store: store).detail(number: Int64(number))
        let token = try #require(detail.payments.first?.gatewayToken)
        #expect(try SimulatedTerminal(store: store).payment(id: token).amountRefunded == detail.order.total)
        #expect(detail.refunds.filter { $0.refund.status == .completed }.count == 1)
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [TillProcess.Output?] = []
    func append(_ item: TillProcess.Output?) { lock.withLock { items.append(item) } }
    var all: [TillProcess.Output?] { lock.withLock { items } }
}

@Suite(.serialized) struct StaffShiftReportCommandTests {
    let db = TestStores.temporaryPath()
    let cashier = ["TILL_USER": "ana", "TILL_PIN": "1111"]
    let manager = ["TILL_USER": "max", "TILL_PIN": "2222"]

    func till(_ arguments: [String], _ environment: [String: String] = [:]) throws -> TillProcess.Output {
        try TillProcess.run(arguments + ["--db", db], environment: environment)
    }

    @Test func aCashiersDayFromFloatToZReport() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        #expect(try till(["shift", "open", "--float", "100"], cashier).status == 0)
        let refused = try till(["sell", "--item", "COF-002", "--discount", "50%", "--pay", "cash"], cashier)
        #expect(refused.status == 1)
        #expect(refused.stderr == "till: not allowed: ana (cashier) may give up to 20% off; 50% needs a manager's approval\n")
        var approved = cashier
        approved["TILL_APPROVER_PIN"] = "2222"
        let sold = try till(["sell", "--item", "COF-002", "--discount", "50%", "--pay", "cash:20", "--approve-by", "max", "--json"], approved)
        #expect(sold.status == 0, "\(sold.stderr)")
        // Blind close: the cashier is not shown what the drawer should hold; the manager is.
        #expect(try till(["shift", "status"], cashier).stdout.contains("expected cash: shown after the drawer is counted (blind close)"))
        let status = try till(["shift", "status"], manager)
        #expect(status.stdout.contains("(1 sales)"), "\(status.stdout)")
        let expected = try #require(status.stdout.split(separator: "\n").first { $0.contains("expected") }?.split(separator: " ").last)
        let close = try till(["shift", "close", "--count", "50x2,5x1,2x1,0.50x1,0.02x1,0.01x1", "--json"], cashier)
        #expect(close.status == 0, "\(close.stderr)")
        let closed = try #require(try JSONSerialization.jsonObject(with: Data(close.stdout.utf8)) as? [String: Any])
        #expect(closed["countedCash"] as? Int == 10_753)
        #expect("€" + String(format: "%.2f", Double(closed["expectedCash"] as? Int ?? 0) / 100) == expected)
        let z = try till(["report", "z", "--format", "json"], manager)
        #expect(z.status == 0, "\(z.stderr)")
        #expect(try till(["report", "z"], manager).stderr.contains("was closed already as Z report #1"))
        #expect(try till(["report", "x"], cashier).status == 1)
        let csv = try till(["report", "sales", "--by", "category", "--format", "csv"], manager)
        #expect(csv.status == 0, "\(csv.stderr)")
        let parsed = try CSVFile.parse(data: Data(csv.stdout.utf8), name: "sales.csv")
        #expect(parsed.header == ["category", "orders", "quantity", "sales", "net", "tax", "cost", "margin"])
        #expect(parsed.records.count > 3)
        #expect(parsed.records.allSatisfy { Double($0["sales"]) != nil })
        let exceptions = try till(["report", "exceptions", "--format", "json"], manager)
        #expect(exceptions.stdout.contains("\"approvedDiscounts\" : 1"), "\(exceptions.stdout)")
        // As a table its columns line up: figures are right-aligned, so every line is as wide as the header.
        let exceptionsTable = try till(["report", "exceptions"], manager).stdout.split(separator: "\n").map(String.init)
        #expect(exceptionsTable.count >= 2 && exceptionsTable[0].hasPrefix("day         staff"), "\(exceptionsTable)")
        #expect(Set(exceptionsTable.map(\.count)).count == 1, "\(exceptionsTable.joined(separator: "\n"))")
        let table = try TillProcess.run(["staff", "permissions"])
        #expect(table.stdout.contains("manage_staff"))
    }

    @Test func staffAreManagedByAnAdmin() throws {
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        #expect(try till(["staff", "add", "eve", "--name", "Eve", "--role", "cashier"], manager.merging(["NEW_PIN": "2468"]) { $1 }).status == 1)
        let added = try till(["staff", "add", "eve", "--name", "Eve", "--role", "cashier"], ["TILL_USER": "ada", "TILL_PIN": "4444", "NEW_PIN": "2468"])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try till(["shift", "status"], ["TILL_USER": "eve", "TILL_PIN": "2468"]).stderr.contains("no open shift"))
        for _ in 0..<3 { _ = try till(["report", "x"], ["TILL_USER": "eve", "TILL_PIN": "0000"]) }
        let locked = try till(["shift", "open", "--float", "0"], ["TILL_USER": "eve", "TILL_PIN": "2468"])
        #expect(locked.stderr.contains("eve is locked after repeated wrong PINs"), "\(locked.stderr)")
        #expect(try till(["staff", "reset-pin", "eve"], ["TILL_USER": "ada", "TILL_PIN": "4444", "NEW_PIN": "1357"]).status == 0)
        #expect(try till(["shift", "open", "--float", "0"], ["TILL_USER": "eve", "TILL_PIN": "1357"]).status == 0)
    }
}
