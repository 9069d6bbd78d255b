import Testing
@testable import TillCore

@Suite struct BarcodeTests {
    @Test(arguments: [("4006381333931", Barcode.Kind.ean13), ("73513537", .ean8), ("036000291452", .upcA),
                      ("5901234123457", .ean13), ("96385074", .ean8)])
    func validCodes(code: String, kind: Barcode.Kind) throws {
        #expect(try Barcode.validate(code).get() == kind)
    }

    @Test func wrongCheckDigitNamesTheRightOne() {
        #expect(Barcode.validate("4006381333933") == .failure(.badCheckDigit(expected: "1")))
        #expect(Barcode.validate("036000291453") == .failure(.badCheckDigit(expected: "2")))
    }

    @Test(arguments: ["", "12345", "40063813339310", "4006381333a31", "3.65275E+11", " 4006381333931"])
    func notBarcodes(code: String) {
        #expect(!Barcode.isValid(code))
    }

    @Test func everyDemoBarcodeIsValid() throws {
        let store = try TestStores.demoStore()
        let codes = try store.read { db in try String.fetchAll(db, sql: "SELECT code FROM barcode") }
        #expect(codes.count > 250)
        let allValid = codes.allSatisfy { Barcode.isValid($0) }
        #expect(allValid)
    }
}

import GRDB
import TillTestSupport

@Suite struct VariableMeasureTests {
    @Test func decodesTheBaseCodeAndValue() throws {
        let label = try #require(VariableMeasureBarcode.encode(baseCode: "2100001000004", value: 450))
        #expect(label == "2100001004507")
        #expect(Barcode.isValid(label))
        #expect(VariableMeasureBarcode.decode(label) == .init(baseCode: "2100001000004", value: 450))
        #expect(VariableMeasureBarcode.decode("4006381333931") == nil)  // not a 2x prefix
        #expect(VariableMeasureBarcode.decode("2100001004508") == nil)  // bad check digit
    }

    @Test func weightLabelsSellTheWeighedQuantity() throws {
        let store = try TestStores.demoStore()
        let catalog = Catalog(store: store)
        let result = try #require(try catalog.resolveScan("2100001004507"))
        #expect(result.item.sku == "PRO-001")
        #expect(result.quantity == Quantity(milli: 450))
    }

    @Test func priceLabelsBecomeAWeightAtThePricePerKg() throws {
        let store = try TestStores.demoStore()
        try store.write { db in try db.execute(sql: "UPDATE store_setting SET value = 'price' WHERE key = 'gs1_variable_measure'") }
        let bananas = try #require(try Catalog(store: store).lookup(code: "PRO-001"))
        // A label price of 2.86 at 6.35/kg is 0.450 kg (2.86 / 6.35 = 0.45039 → 450 g); 0.450 × 6.35 = 2.8575 → 2.86.
        let label = try #require(VariableMeasureBarcode.encode(baseCode: "2100001000004", value: 286))
        let result = try #require(try Catalog(store: store).resolveScan(label))
        #expect(bananas.price == 635)
        #expect(result.quantity == Quantity(milli: 450))
        try store.write { db in try db.execute(sql: "UPDATE store_setting SET value = 'off' WHERE key = 'gs1_variable_measure'") }
        #expect(try Catalog(store: store).resolveScan(label) == nil)
    }
}

/// Issue 13: a GTIN is one code in every printed form, stored once as GTIN-14.
@Suite struct GTINFormTests {
    @Test func everyFormIsTheSameGTIN14() throws {
        #expect(Barcode.canonical("036000291452") == .success("00036000291452"))
        #expect(Barcode.canonical("0036000291452") == .success("00036000291452"))
        #expect(Barcode.canonical("00036000291452") == .success("00036000291452"))
        #expect(Barcode.canonical("96385074") == .success("00000096385074"))
        #expect(Barcode.canonical("10036000291459") == .success("10036000291459"))
        // Check digits are checked for every length, GTIN-14 included.
        #expect(Barcode.canonical("00036000291453") == .failure(.badCheckDigit(expected: "2")))
        #expect(Barcode.canonical("10036000291458") == .failure(.badCheckDigit(expected: "9")))
        #expect(Barcode.canonical("96385075") == .failure(.badCheckDigit(expected: "4")))
        #expect(Barcode.display("00036000291452") == "036000291452")
        #expect(Barcode.display("00000096385074") == "96385074")
        #expect(Barcode.display("04006381333931") == "4006381333931")
        #expect(Barcode.display("10036000291459") == "10036000291459")
    }

    @Test func lookupByAnyFormAndOneGTINOneProduct() throws {
        let store = try TestStores.demoStore()
        let editor = CatalogEditor(store: store)
        let catalog = Catalog(store: store)
        try editor.add(ProductDraft(sku: "UPC-1", name: "Soup", barcodes: ["036000291452"], price: 199), TillContext())
        try editor.add(ProductDraft(sku: "EAN8-1", name: "Gum", barcodes: ["96385074"], price: 99), TillContext())
        for form in ["036000291452", "0036000291452", "00036000291452"] {
            #expect(try catalog.lookup(code: form)?.sku == "UPC-1", "\(form)")
        }
        #expect(try catalog.lookup(code: "00000096385074")?.sku == "EAN8-1")
        #expect(try catalog.lookup(code: "96385074")?.sku == "EAN8-1")
        // Stored once, in GTIN-14; shown in the short form.
        let stored = try store.read { db in
            try String.fetchAll(db, sql: "SELECT code FROM barcode WHERE variant_id = (SELECT id FROM variant WHERE sku = 'UPC-1')")
        }
        #expect(stored == ["00036000291452"])
        #expect(try editor.draft(sku: "UPC-1").barcodes == ["036000291452"])

        let thief = ProductDraft(sku: "UPC-2", name: "Other soup", barcodes: ["0036000291452"], price: 199)
        #expect(try editor.validate(thief).map(\.description) == ["barcode: 0036000291452 already belongs to UPC-1"])
        #expect(throws: TillError.invalid("barcode: 0036000291452 already belongs to UPC-1")) {
            try editor.add(thief, TillContext())
        }
        let eightThief = ProductDraft(sku: "EAN8-2", name: "Other gum", barcodes: ["00000096385074"], price: 99)
        #expect(try editor.validate(eightThief).map(\.description) == ["barcode: 00000096385074 already belongs to EAN8-1"])
        let twice = ProductDraft(sku: "TWICE", name: "Twice", barcodes: ["4006381333931", "04006381333931"], price: 99)
        #expect(try editor.validate(twice).map(\.description) == ["barcode: 04006381333931 is listed twice (as 4006381333931 too)"])
        // The importer holds the same rule.
        let file = try TestStores.file("gtin.csv", """
            sku,name,barcode,price,category,tax_class
            UPC-3,Third soup,00036000291452,1.99,Pantry,standard
            """)
        #expect(throws: TillError.importFailed([ImportIssue(file: "gtin.csv", line: 2, column: "barcode",
                                                            reason: "036000291452 already belongs to UPC-1")])) {
            try ProductImporter(store: store).importFile(path: file)
        }
    }

    @Test func variableMeasureLabelsStillFindTheirBaseCode() throws {
        let store = try TestStores.demoStore()
        // The base code is stored as GTIN-14 like every barcode; a label (with its value) still finds it.
        let codes = try store.read { db in try String.fetchAll(db, sql: "SELECT code FROM barcode") }
        #expect(codes.contains("02100001000004"))
        #expect(codes.allSatisfy { $0.count == 14 })
        let result = try #require(try Catalog(store: store).resolveScan("2 100001 004507"))
        #expect(result.item.sku == "PRO-001")
        #expect(result.quantity == Quantity(milli: 450))
    }

    /// A store written before v9 held each code as typed: the migration makes them GTIN-14, keeps the older of two
    /// rows that are one GTIN (auditing the removal), and the search index finds every form.
    @Test func migrationCanonicalizesStoredBarcodes() throws {
        let path = TestStores.temporaryPath()
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator.migrate(queue, upTo: "v8-line-snapshots")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO tax_class(id, code, name, rate_ppm) VALUES (1, 'standard', 'Standard', 200000);
                INSERT INTO product(id, handle, name, tax_class_id) VALUES (1, 'soup', 'Tomato Soup', 1), (2, 'dup', 'Copy Soup', 1);
                INSERT INTO variant(id, product_id, sku, price) VALUES (1, 1, 'SOUP', 199), (2, 2, 'COPY', 199);
                INSERT INTO barcode(code, variant_id) VALUES ('036000291452', 1), ('96385074', 1), ('0036000291452', 2),
                    ('4006381333931', 2);
                """)
        }
        try StoreMigrations.migrator.migrate(queue)
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT code, variant_id, pack_quantity FROM barcode ORDER BY rowid")
            #expect(rows.map { $0["code"] as String } == ["00036000291452", "00000096385074", "04006381333931"])
            #expect(rows.map { $0["variant_id"] as Int64 } == [1, 1, 2])
            #expect(rows.allSatisfy { $0["pack_quantity"] as Int64 == 1 })
            let audit = try Row.fetchAll(db, sql: "SELECT action, before, note FROM audit_log")
            #expect(audit.map { $0["action"] as String } == ["barcode.merge"])
            #expect((audit.first?["note"] as String?) == "0036000291452 is the same GTIN as SOUP's barcode; it stays on SOUP, removed from COPY")
            for prefix in ["0360002", "00360002", "000360002", "9638", "4006381", "04006381"] {
                let hits = try Int64.fetchAll(db, sql: "SELECT rowid FROM variant_search WHERE variant_search MATCH ?",
                                              arguments: [FTS5Pattern(matchingAllPrefixesIn: prefix)])
                #expect(hits == [prefix.contains("4006381") ? 2 : 1], "\(prefix)")
            }
        }
    }
}
