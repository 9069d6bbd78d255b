import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct ImportExportTests {
    func export(_ store: StoreDatabase, _ kind: (Exporter) -> ((ExportFormat, (String) throws -> Void) throws -> Void),
                format: ExportFormat = .csv) throws -> String {
        var text = ""
        try kind(Exporter(store: store))(format) { text += $0 }
        return text
    }

    func productsCSV(_ store: StoreDatabase) throws -> String {
        var text = ""
        try Exporter(store: store).products(format: .csv) { text += $0 }
        return text
    }

    @Test func badRowsAreAllReportedWithLinesAndNothingIsImported() throws {
        let store = try TestStores.emptyStore()
        let path = try TestStores.file("products.csv", """
            sku,name,barcode,price,category,tax_class
            OK-1,Good row,4006381333931,1.00,Misc,standard
            BAD-1,Bad price,,12.999,Misc,standard
            BAD-2,"Name with ""quotes"" and
            a newline",4006381333933,2.00,Misc,standard
            ,No SKU,,1.00,Misc,nope
            OK-1,Duplicate SKU,,1.00,Misc,standard

            """)
        do {
            _ = try ProductImporter(store: store).importFile(path: path)
            Issue.record("expected the import to fail")
        } catch let TillError.importFailed(issues) {
            let lines = issues.map(\.description)
            #expect(lines.contains("products.csv:3: price: invalid amount \"12.999\": EUR has 2 decimals at most"))
            #expect(lines.contains("products.csv:4: barcode: 4006381333933: check digit is wrong (expected 1)"))
            #expect(lines.contains("products.csv:6: sku: empty"))
            #expect(lines.contains { $0.hasPrefix("products.csv:6: tax_class: unknown tax class \"nope\"") })
            #expect(lines.contains("products.csv:7: sku: OK-1 appears twice (first on line 2)"))
        }
        #expect(try Catalog(store: store).count() == 0)
    }

    @Test func missingRequiredColumnsAreNamed() throws {
        let store = try TestStores.emptyStore()
        let path = try TestStores.file("p.csv", "sku,name\nA,B\n")
        #expect(throws: TillError.importFailed([
            ImportIssue(file: "p.csv", line: 1, column: "barcode", reason: "required column is missing from the header"),
            ImportIssue(file: "p.csv", line: 1, column: "category", reason: "required column is missing from the header"),
            ImportIssue(file: "p.csv", line: 1, column: "price", reason: "required column is missing from the header"),
            ImportIssue(file: "p.csv", line: 1, column: "tax_class", reason: "required column is missing from the header"),
        ])) { try ProductImporter(store: store).importFile(path: path) }
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let store = try TestStores.emptyStore()
        var data = Data("sku,name,barcode,price,category,tax_class\nA,Fine,,1.00,X,standard\nB,".utf8)
        data.append(contentsOf: [0xFF, 0xFE])
        data.append(Data(",,1.00,X,standard\n".utf8))
        let path = TestStores.temporaryDirectory().appendingPathComponent("latin1.csv").path
        try data.write(to: URL(fileURLWithPath: path))
        #expect(throws: TillError.importFailed([ImportIssue(file: "latin1.csv", line: 3, column: "-",
                                                            reason: "not valid UTF-8 text (save the file as UTF-8)")])) {
            try ProductImporter(store: store).importFile(path: path)
        }
    }

    @Test func exportThenImportRoundTripsTheCatalog() throws {
        let demo = try TestStores.demoStore()
        let exported = try productsCSV(demo)
        let sample = try String(contentsOf: TestStores.repositoryRoot.appendingPathComponent("sample-data/csv/products.csv"),
                                encoding: .utf8)
        #expect(Set(exported.split(separator: "\n")) == Set(sample.split(separator: "\n")))

        let empty = try TestStores.emptyStore()
        try empty.write { db in
            try db.execute(sql: "INSERT INTO tax_class(code, name, rate_ppm) VALUES ('reduced', 'Reduced', 70000)")
        }
        let path = try TestStores.file("products.csv", exported)
        let dry = try ProductImporter(store: empty).importFile(path: path, dryRun: true)
        #expect(dry.created == 314 && dry.dryRun)
        #expect(try Catalog(store: empty).count() == 0)
        let summary = try ProductImporter(store: empty).importFile(path: path)
        #expect(summary.created == 314)
        #expect(try productsCSV(empty) == exported)
        let again = try ProductImporter(store: empty).importFile(path: path)
        #expect(again.unchanged == 314 && again.created == 0 && again.updated == 0)
    }

    @Test func stockImportSetsOnHandThroughTheLedger() throws {
        let store = try TestStores.demoStore()
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-001"))
        let path = try TestStores.file("stock.csv", "sku,location,on_hand\nCOF-001,floor,7\ncof-001,back,0\n")
        let summary = try StockImporter(store: store).importFile(path: path, TillContext())
        #expect(summary.rows == 2)
        #expect(try Inventory(store: store).onHand(variantID: coffee.variantID, location: "floor") == .units(7))
        #expect(try Inventory(store: store).onHand(variantID: coffee.variantID, location: "back") == .zero)
        #expect(try Inventory(store: store).movements(variantID: coffee.variantID, limit: 2).allSatisfy { $0.reason == .import })
        #expect(try StoreDoctor(store: store).examine().passed)

        let bad = try TestStores.file("stock.csv", "sku,location,on_hand\nNOPE,floor,1\nCOF-001,attic,1\nCOF-001,floor,x\n")
        #expect(throws: TillError.importFailed([
            ImportIssue(file: "stock.csv", line: 2, column: "sku", reason: "unknown SKU NOPE"),
            ImportIssue(file: "stock.csv", line: 3, column: "location", reason: "unknown location \"attic\" (known: back, floor)"),
            ImportIssue(file: "stock.csv", line: 4, column: "on_hand", reason: "invalid quantity \"x\": expected a number such as 3 or 0.450"),
        ])) { try StockImporter(store: store).importFile(path: bad, TillContext()) }
    }

    @Test func customersRoundTripAndUpdateByEmail() throws {
        let demo = try TestStores.demoStore()
        var exported = ""
        try Exporter(store: demo).customers(format: .csv) { exported += $0 }
        let empty = try TestStores.emptyStore()
        let path = try TestStores.file("customers.csv", exported)
        #expect(try CustomerImporter(store: empty).importFile(path: path).created == 50)
        var again = ""
        try Exporter(store: empty).customers(format: .csv) { again += $0 }
        #expect(again == exported)
        let edit = try TestStores.file("c.csv", "name,email,phone,notes\nAnna L.,ANNA.LOPEZ@example.com,,vip\n")
        let summary = try CustomerImporter(store: empty).importFile(path: edit)
        #expect(summary.updated == 1 && summary.created == 0)
        let bad = try TestStores.file("c.csv", "name,email\n,x@example.com\nBob,not-an-email\n")
        #expect(throws: TillError.self) { try CustomerImporter(store: empty).importFile(path: bad) }
    }

    @Test func longExportsReportProgress() throws {
        let store = try TestStores.demoStore()
        let calls = ProgressLog()
        var text = ""
        try Exporter(store: store, progress: { done, total in calls.add(done, total) }).products(format: .csv) { text += $0 }
        #expect(calls.entries.last.map { $0.0 == $0.1 && $0.1 == 314 } == true)
        let imported = ProgressLog()
        let empty = try TestStores.emptyStore()
        try empty.write { db in try db.execute(sql: "INSERT INTO tax_class(code, name, rate_ppm) VALUES ('reduced', 'Reduced', 70000)") }
        _ = try ProductImporter(store: empty).importFile(path: try TestStores.file("p.csv", text), progress: { imported.add($0, $1) })
        #expect(imported.entries.last.map { $0.0 == 314 && $0.1 == 314 } == true)
    }

    @Test func ordersExportAsJSON() throws {
        let store = try TestStores.demoStore()
        var text = ""
        try Exporter(store: store).orders(format: .json) { text += $0 }
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(objects.count == (try Orders(store: store).count()))
        let first = try #require(objects.first)
        #expect(first["number"] as? Int == 1001)
        #expect(first["status"] as? String == "completed")
        #expect((first["lines"] as? [[String: Any]])?.isEmpty == false)
        #expect((first["payments"] as? [[String: Any]])?.isEmpty == false)
        #expect(first["total"] is String)
        var open = ""
        try Exporter(store: store).orders(format: .json, statuses: [.open]) { open += $0 }
        #expect(open == "[]\n")
    }

    @Test func csvParsingHandlesQuotesNewlinesCRLFAndBOM() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("a,b\r\n\"x, y\",\"line1\r\nline2\"\r\n\"q\"\"uote\",z\r\n".utf8))
        let file = try CSVFile.parse(data: data, name: "t.csv")
        #expect(file.header == ["a", "b"])
        #expect(file.records.map(\.line) == [2, 4])
        #expect(file.records[0]["a"] == "x, y")
        #expect(file.records[0]["b"] == "line1\r\nline2")
        #expect(file.records[1]["a"] == "q\"uote")
    }
}

@Suite struct ShopifyImportTests {
    func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
    }

    @Test func scientificNotationBarcodesAreErrorsWithTheirLines() throws {
        let store = try TestStores.emptyStore()
        do {
            _ = try ProductImporter(store: store).importFile(path: try fixture("product_template.csv"), format: .shopify)
            Issue.record("expected the import to fail")
        } catch let TillError.importFailed(issues) {
            #expect(issues.count == 16)
            #expect(issues.allSatisfy { $0.column == "Variant Barcode" && $0.reason.contains("scientific notation") })
            #expect(issues.first?.line == 2)
        }
        #expect(try Catalog(store: store).count() == 0)
    }

    @Test func dropBadBarcodesImportsVariantsWithoutThem() throws {
        let store = try TestStores.emptyStore()
        let summary = try ProductImporter(store: store).importFile(
            path: try fixture("product_template.csv"), format: .shopify, dropBadBarcodes: true)
        #expect(summary.created == 16)
        #expect(summary.warnings.count == 16)
        #expect(summary.warnings.first?.contains("dropped barcode 3.65275E+11 of SRT_COT_111") == true)
        let catalog = Catalog(store: store)
        let shirts = try catalog.search("example t-shirt", limit: 100)
        #expect(shirts.count == 12)
        #expect(shirts.contains { $0.sku == "SRT_COT_111" && $0.option == "Green / S" && $0.price == 2500 })
        let jeans = try #require(try catalog.lookup(code: "PNT_DEN_285"))
        #expect(!jeans.active)  // draft
        #expect(jeans.cost == 5000)
        #expect(try Inventory(store: store).onHand(variantID: jeans.variantID, location: "floor") == .units(20))
        let beanie = try #require(try catalog.lookup(code: "HAT_GRY_275"))
        #expect(beanie.option == "")  // Default Title
        #expect(!beanie.active)  // archived
        #expect(beanie.price == 1799)
        #expect(try catalog.barcodes(variantID: beanie.variantID).isEmpty)
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func aWrittenMultiVariantExportWithStockCostAndImageRows() throws {
        let store = try TestStores.emptyStore()
        try store.write { db in try db.execute(sql: "UPDATE tax_class SET rate_ppm = 0 WHERE code = 'zero'") }
        let summary = try ProductImporter(store: store).importFile(path: try fixture("shopify_written.csv"), format: .shopify)
        #expect(summary.created == 4)
        let catalog = Catalog(store: store)
        let variants = try catalog.search("linen apron", limit: 10)
        #expect(Set(variants.map(\.option)) == ["Natural / Regular", "Natural / Long", "Rust / Regular"])
        #expect(Set(variants.map(\.productID)).count == 1)
        let long = try #require(try catalog.lookup(code: "5901234123457"))
        #expect(long.sku == "APR-NAT-L" && long.price == 3200 && long.cost == 1240 && long.category == "Aprons")
        #expect(try Inventory(store: store).onHand(variantID: long.variantID, location: "floor") == .units(5))
        #expect(try catalog.lookup(code: "036000291452")?.sku == "APR-RUS-R")  // a leading apostrophe is a spreadsheet's text marker
        let gift = try #require(try catalog.lookup(code: "GIFT-25"))
        #expect(!gift.active && gift.taxClassCode == "zero" && gift.option == "")
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func legacyColumnSetWithDoubledQuotesAndNoSKU() throws {
        let store = try TestStores.emptyStore()
        let summary = try ProductImporter(store: store).importFile(
            path: try fixture("product_template_legacy.csv"), format: .shopify)
        #expect(summary.created == 3)
        let items = try Catalog(store: store).search("example", limit: 10)
        #expect(items.contains { $0.option == "Lithograph - Height: 9\" x Width: 12\"" && $0.sku == "example-t-shirt-1" })
        let allActive = items.allSatisfy { $0.active }
        #expect(allActive)
    }
}

/// Collects progress calls from a @Sendable handler.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(Int, Int)] = []

    func add(_ done: Int, _ total: Int) {
        lock.lock()
        calls.append((done, total))
        lock.unlock()
    }

    var entries: [(Int, Int)] {
        lock.lock()
        defer { lock.unlock() }
        return calls
    }
}

@Suite struct BulkImportTests {
    /// A big file takes the bulk path (search triggers set aside, touched products re-indexed once): the search
    /// index must come out exactly as if every row had been indexed on its own, and the triggers must be back.
    @Test func aBigImportLeavesTheSearchIndexWholeAndItsTriggersBack() throws {
        let store = try TestStores.emptyStore()
        var text = "sku,name,barcode,price,category,tax_class\n"
        for index in 1...2_500 {
            let body = "20" + String(format: "%010d", 7_000_000 + index)
            text += "BULK-\(index),Bulk widget \(index),\(body + String(Barcode.checkDigit(forBody: body))),1.99,Widgets,standard\n"
        }
        let path = try TestStores.file("bulk.csv", text)
        let summary = try ProductImporter(store: store).importFile(path: path)
        #expect(summary.created == 2_500)
        #expect(try StoreDoctor(store: store).examine().passed)
        #expect(try Catalog(store: store).search("widget 2499").first?.sku == "BULK-2499")
        let triggers = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'variant_search%'") ?? 0
        }
        #expect(triggers == 8)  // v9 added variant_search_barcode_update
        _ = try CatalogEditor(store: store).renameCategory("Widgets", to: "Gadgets", TillContext())
        #expect(try Catalog(store: store).search("gadgets", limit: 5).count == 5)
    }
}
