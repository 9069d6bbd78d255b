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
