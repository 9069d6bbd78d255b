import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Text that breaks naive CSV: line ends of every kind, quotes, commas, tabs, emoji, right-to-left scripts, and
/// the cells a spreadsheet would run as a formula.
let hostileTexts = [
    "Line\rbreak", "Line\nbreak", "Windows\r\nbreak", "Say \"hi\"", "a, b", "tab\tinside", "\tleading tab",
    "Café ☕️ 🇩🇪 👩‍👩‍👧", "שלום עולם", "مرحبا بالعالم", "=SUM(A1)", "-5% sale", "+1 offer", "@home", "'=already guarded",
    "''double", "'s-Hertogenbosch", "\rCR first", "ends with space ", " starts with space", "-1.00", "trailing CRLF\r\n",
]

@Suite struct CSVRoundTripTests {
    func customersCSV(_ store: StoreDatabase, guardsFormulas: Bool = true) throws -> String {
        var text = ""
        try Exporter(store: store, guardsFormulas: guardsFormulas).customers(format: .csv) { text += $0 }
        return text
    }

    func productsCSV(_ store: StoreDatabase) throws -> String {
        var text = ""
        try Exporter(store: store).products(format: .csv) { text += $0 }
        return text
    }

    func customers(_ store: StoreDatabase) throws -> [[String?]] {
        try store.read { db in
            try Customer.order(Column("id")).fetchAll(db).map { [$0.name, $0.email, $0.phone, $0.notes] }
        }
    }

    /// A store whose customers carry every hostile text in their name and notes.
    func hostileCustomerStore() throws -> StoreDatabase {
        let store = try TestStores.emptyStore()
        try store.write { db in
            for (index, text) in hostileTexts.enumerated() {
                var customer = Customer(name: text, email: "c\(index)@example.com", phone: index % 2 == 0 ? "+49 30 \(index)" : nil,
                                        notes: "note\r\n" + text)
                try customer.insert(db)
            }
        }
        return store
    }

    @Test func fieldsWithCommaQuoteCRorLFAreQuoted() {
        #expect(CSVText.field("Windows\r\nbreak") == "\"Windows\r\nbreak\"")
        #expect(CSVText.field("Line\rbreak") == "\"Line\rbreak\"")
        #expect(CSVText.field("Line\nbreak") == "\"Line\nbreak\"")
        #expect(CSVText.field("Say \"hi\"") == "\"Say \"\"hi\"\"\"")
        #expect(CSVText.field("a, b") == "\"a, b\"")
        #expect(CSVText.field("plain") == "plain")
        #expect(CSVText.field("tab\tinside") == "tab\tinside")
        #expect(CSVText.field("ends with tab\t") == "\"ends with tab\t\"")
        // A quote followed by a combining mark is one Character: it must still be doubled.
        #expect(CSVText.field("\"\u{301}x") == "\"\"\"\u{301}x\"")
    }

    @Test func customerExportHasOneRecordPerCustomerAndImportsBackExactly() throws {
        let store = try hostileCustomerStore()
        let exported = try customersCSV(store)
        let file = try CSVFile.parse(data: Data(exported.utf8), name: "customers.csv")
        #expect(file.records.count == hostileTexts.count)
        #expect(!file.records.contains { $0["name"] == "note" })

        let empty = try TestStores.emptyStore()
        let summary = try CustomerImporter(store: empty).importFile(path: try TestStores.file("customers.csv", exported))
        #expect(summary.created == hostileTexts.count)
        #expect(try customers(empty) == customers(store))
        #expect(try customersCSV(empty) == exported)
    }

    @Test func productExportImportsBackExactly() throws {
        let store = try TestStores.emptyStore()
        let rows = hostileTexts.enumerated().map { index, text in
            ProductRow(line: index + 2, handle: "h\(index)", name: text, sku: "S-\(index)", option: text, barcodes: [],
                       price: Int64(100 + index), cost: index % 2 == 0 ? Int64(50 + index) : nil,
                       category: "Cat " + text, taxClass: "standard", unit: .each, reorderPoint: .units(Int64(index)),
                       active: true, floorStock: nil)
        }
        _ = try ProductImporter(store: store).write(rows, file: "test", dryRun: false, reference: "test")
        let exported = try productsCSV(store)
        let file = try CSVFile.parse(data: Data(exported.utf8), name: "products.csv")
        #expect(file.records.count == hostileTexts.count)
        #expect(file.records.map { $0["name"] } == hostileTexts)
        #expect(file.records.map { $0["option"] } == hostileTexts)
        #expect(file.records.map { $0["category"] } == hostileTexts.map { "Cat " + $0 })

        let empty = try TestStores.emptyStore()
        let summary = try ProductImporter(store: empty).importFile(path: try TestStores.file("products.csv", exported))
        #expect(summary.created == hostileTexts.count)
        #expect(try productsCSV(empty) == exported)
        let names = try empty.read { db in try String.fetchAll(db, sql: "SELECT name FROM product ORDER BY id") }
        #expect(names == hostileTexts)
    }

    /// An independent reader: Python's csv module must see the same rows and fields. Fails (does not skip)
    /// when python3 is missing.
    @Test func pythonsCSVModuleReadsTheSameRows() throws {
        let store = try hostileCustomerStore()
        let path = try TestStores.file("customers.csv", try customersCSV(store))
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                print(json.dumps(list(csv.reader(f))))
            """
        let result = try TillProcess.runTool("/usr/bin/env", ["python3", "-c", script, path])
        #expect(result.status == 0, "python3 is needed for this test: \(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String]])
        #expect(rows.first == ["name", "email", "phone", "notes"])
        #expect(rows.count == hostileTexts.count + 1)
        #expect(rows.dropFirst().map { CSVFormulaGuard.remove($0[0]) } == hostileTexts)
        #expect(rows.dropFirst().map { CSVFormulaGuard.remove($0[3]) } == hostileTexts.map { "note\r\n" + $0 })
    }

    @Test func formulaCellsAreGuardedAndNumbersAreNot() {
        #expect(CSVText.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSVText.field("-5% sale") == "'-5% sale")
        #expect(CSVText.field("+1 offer") == "'+1 offer")
        #expect(CSVText.field("@home") == "'@home")
        #expect(CSVText.field("\tleading tab") == "'\tleading tab")
        #expect(CSVText.field("\rCR first") == "\"'\rCR first\"")
        #expect(CSVText.field("-1+2") == "'-1+2")
        #expect(CSVText.field("'=already guarded") == "''=already guarded")
        #expect(CSVText.field("'s-Hertogenbosch") == "'s-Hertogenbosch")
        // Numbers in numeric columns (prices, margins, stock) stay numbers.
        #expect(CSVText.field("-1.00") == "-1.00")
        #expect(CSVText.field("-0.450") == "-0.450")
        #expect(CSVText.field("+3") == "+3")
        #expect(CSVText.field("=SUM(A1)", guardsFormulas: false) == "=SUM(A1)")
        for text in hostileTexts { #expect(CSVFormulaGuard.remove(CSVFormulaGuard.apply(text)) == text) }
    }

    @Test func exportsGuardFormulasUnlessRaw() throws {
        let store = try hostileCustomerStore()
        let guarded = try customersCSV(store)
        #expect(guarded.contains("\n'=SUM(A1),c10@example.com,"))
        #expect(guarded.contains("\n'-5% sale,c11@example.com,"))
        #expect(!guarded.contains("\n=SUM(A1),"))
        let raw = try customersCSV(store, guardsFormulas: false)
        #expect(raw.contains("\n=SUM(A1),c10@example.com,"))
        #expect(raw.contains("\n-5% sale,c11@example.com,"))
    }

    @Test func negativeStockExportsAsANumber() throws {
        let store = try TestStores.demoStore()
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-001"))
        try store.write { db in
            try Inventory.setOnHand(db, variantID: coffee.variantID, locationID: try Location.named(db, code: "floor").id ?? 0,
                                    to: Quantity(milli: -2_500), reason: .import, staffID: nil, reference: "t", at: Date())
        }
        var text = ""
        try Exporter(store: store).stock(format: .csv) { text += $0 }
        #expect(text.contains("\nCOF-001,floor,-2.5\n"))
    }

    @Test func semicolonFilesWithDecimalCommasImport() throws {
        let store = try TestStores.emptyStore()
        let path = try TestStores.file("produkte.csv", """
            sku;name;barcode;price;cost;category;tax_class;reorder_point
            K-1;Käse, alt;4006381333931;12,50;7,25;Feinkost;standard;1,5
            K-2;"Brot; dunkel";;3;;Backwaren;standard;

            """)
        let summary = try ProductImporter(store: store).importFile(path: path)
        #expect(summary.created == 2)
        let cheese = try #require(try Catalog(store: store).lookup(code: "K-1"))
        #expect(cheese.productName == "Käse, alt" && cheese.price == 1250 && cheese.cost == 725)
        let bread = try #require(try Catalog(store: store).lookup(code: "K-2"))
        #expect(bread.productName == "Brot; dunkel" && bread.price == 300 && bread.cost == nil)

        let points = try TestStores.file("points.csv", "sku;name;barcode;price;category;tax_class\nK-3;X;;12.50;Y;standard\n")
        #expect(throws: TillError.importFailed([ImportIssue(file: "points.csv", line: 2, column: "price",
                                                            reason: "invalid amount \"12.50\": expected a decimal number such as 12,50")])) {
            try ProductImporter(store: store).importFile(path: points)
        }
    }

    @Test func tabSeparatedFilesImport() throws {
        let store = try TestStores.emptyStore()
        let path = try TestStores.file("products.tsv",
                                       "sku\tname\tbarcode\tprice\tcategory\ttax_class\nT-1\tTea, green\t\t4.20\tDrinks\tstandard\n")
        #expect(try ProductImporter(store: store).importFile(path: path).created == 1)
        let tea = try #require(try Catalog(store: store).lookup(code: "T-1"))
        #expect(tea.productName == "Tea, green" && tea.price == 420)

        let customers = try TestStores.file("kunden.csv", "name;email;phone;notes\nJosé;jose@example.com;+34 600;\"a; b\"\n")
        #expect(try CustomerImporter(store: store).importFile(path: customers).created == 1)
        let imported = try store.read { db in try Customer.fetchOne(db) }
        #expect(imported?.name == "José" && imported?.notes == "a; b")
    }

    @Test func excelsSepLineNamesTheSeparator() throws {
        let file = try CSVFile.parse(data: Data("sep=;\r\nname;notes\r\nAna;x,y\r\n".utf8), name: "s.csv")
        #expect(file.delimiter == ";" && file.header == ["name", "notes"])
        #expect(file.records.map(\.line) == [3])
        #expect(file.records.first?["notes"] == "x,y")
    }

    @Test func theDelimiterComesFromTheHeaderLine() {
        #expect(CSVFile.detectDelimiter("a,b,c\n1;2;3;4;5\n") == ",")
        #expect(CSVFile.detectDelimiter("a;b;c\n1,2\n") == ";")
        #expect(CSVFile.detectDelimiter("a\tb\n") == "\t")
        #expect(CSVFile.detectDelimiter("\"x;y;z\",b\n") == ",")
        #expect(CSVFile.detectDelimiter("name\nBob\n") == ",")
    }

    @Test func anUnclosedQuoteIsAnErrorWithItsLine() throws {
        let data = Data("name,notes\nA,fine\nB,\"never closed\nC,x\n".utf8)
        #expect(throws: TillError.importFailed([ImportIssue(file: "c.csv", line: 3, column: "-",
                                                            reason: "a quoted field opened on this line is never closed (a missing \")")])) {
            try CSVFile.parse(data: data, name: "c.csv")
        }
        let stray = Data("name,notes\n\"A\"x,fine\n".utf8)
        #expect(throws: TillError.importFailed([ImportIssue(file: "s.csv", line: 2, column: "-",
                                                            reason: "text after the closing quote of a field (a quote inside a field is written \"\")")])) {
            try CSVFile.parse(data: stray, name: "s.csv")
        }
    }
}
