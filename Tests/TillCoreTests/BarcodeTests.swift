import Testing
@testable import TillCore

@Suite struct BarcodeTests {
    @Test(arguments: [("4006381333931", Barcode.Kind.ean13), ("73513537", .ean8), ("036000291452", .upcA),
                      ("5901234123457", .ean13), ("96385074", .ean8)])
    func validCodes(code: String, kind: Barcode.Kind) throws {
        #expect(try Barcode.validate(code).get() == kind)
    }

    @Test func wrongCheckDigitNamesTheRightOne() {
        #expect(Barcode.validate("4006381333932") == .failure(.badCheckDigit(expected: "1")))
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
