import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Random and hostile input: every parser answers with a value or a clear error — never a crash, a hang, or a
/// silently wrong value. Deterministic (seeded); TILL_FUZZ=N tries more.
@Suite struct HostileInputTests {
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["TILL_FUZZ"] ?? "") ?? 3_000 }

    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array("0123456789.,-+ €$£¥%eE*x\u{00A0}'\"\\;:()NEAR AND OR NOT^\t\n\r\u{0}\u{7F}é日本🛒")

    static func text(_ random: inout Seeded, maxLength: Int = 24) -> String {
        let length = Int.random(in: 0...maxLength, using: &random)
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] })
    }

    @Test func moneyQuantityAndDiscountParsingNeverCrash() throws {
        var random = Seeded(state: 1)
        var parsed = 0
        for _ in 0..<Self.rounds {
            let text = Self.text(&random)
            for currency in [Currency.EUR, .JPY, .KWD] {
                if let money = try? MoneyParser(currency: currency).parse(text) {
                    parsed += 1
                    // Whatever parses, prints back to the same amount.
                    #expect(try MoneyParser(currency: currency).parse(money.decimalString) == money, "\(text)")
                }
            }
            _ = try? Quantity.parse(text)
            _ = try? Discount.parse(text, currency: .EUR)
        }
        #expect(parsed > 0)
        // Round trip across the whole range.
        for _ in 0..<Self.rounds {
            let units = Int64.random(in: -999_999_999_999_999...999_999_999_999_999, using: &random)
            let money = Money(minorUnits: units, currency: .EUR)
            #expect(try MoneyParser(currency: .EUR).parse(money.decimalString) == money)
        }
        #expect(throws: TillError.overflow("99999999999999999999999")) { try MoneyParser(currency: .EUR).parse("99999999999999999999999") }
        #expect(throws: TillError.invalidQuantity("9999999999999999999", reason: "too large")) { try Quantity.parse("9999999999999999999") }
        #expect(throws: TillError.self) { try MoneyParser(currency: .EUR).parse(String(repeating: "9", count: 10_000)) }
    }

    @Test func barcodesOfAnyShapeAreDecodedOrRefused() {
        var random = Seeded(state: 2)
        for _ in 0..<Self.rounds {
            let digits = String((0..<Int.random(in: 0...20, using: &random)).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            if case .success = Barcode.validate(digits) {
                #expect([8, 12, 13, 14].contains(digits.count))
            }
            _ = VariableMeasureBarcode.decode(digits)
            _ = Barcode.validate(Self.text(&random))
            _ = VariableMeasureBarcode.decode(Self.text(&random))
        }
        _ = Barcode.validate(String(repeating: "7", count: 10_000))
    }

    @Test func csvWithControlCharactersAndBrokenUTF8IsReportedNotCrashed() throws {
        var random = Seeded(state: 3)
        let header = Data("sku,name,barcode,price,category,tax_class\n".utf8)
        for _ in 0..<(Self.rounds / 10) {
            var body = Data()
            for _ in 0..<Int.random(in: 0...400, using: &random) {
                body.append(UInt8.random(in: 0...255, using: &random))
            }
            if let file = try? CSVFile.parse(data: header + body, name: "fuzz.csv") {
                let result = NativeProductCSV.rows(from: file, currency: .EUR)
                for issue in result.issues { #expect(issue.line >= 1) }
            }
        }
    }

    @Test func searchTextIsOnlyEverText() throws {
        let store = try TestStores.demoStore()
        let catalog = Catalog(store: store)
        var random = Seeded(state: 4)
        for _ in 0..<(Self.rounds / 5) {
            _ = try catalog.search(Self.text(&random, maxLength: 40), limit: 10)
        }
        for hostile in ["\"", "*", "NEAR(", "a OR b", "-", "name:x", "^", "'); DROP TABLE variant; --", String(repeating: "a", count: 10_000)] {
            _ = try catalog.search(hostile, limit: 10)
            #expect(try catalog.lookup(code: hostile) == nil)
            _ = try Orders(store: store).search(OrderQuery(text: hostile), limit: 5)
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM variant") ?? 0 } == 314)
    }

    @Test func sqlInTextFieldsIsStoredLiterally() throws {
        let store = try TestStores.demoStore()
        let name = "Robert'); DROP TABLE product; -- \u{7}"
        var draft = try CatalogEditor(store: store).draft(sku: "COF-002")
        draft.sku = "EVIL-1"
        draft.name = name
        draft.barcodes = []
        draft.handle = "evil"
        _ = try CatalogEditor(store: store).add(draft, TillContext())
        #expect(try Catalog(store: store).lookup(code: "EVIL-1")?.displayName.hasPrefix("Robert'); DROP TABLE") == true)
        _ = try OrderNotes(store: store).add(orderNumber: 1001, text: "'; DELETE FROM orders; --", TestStores.context(store, staffID: nil))
        #expect(try Orders(store: store).count() > 300)
    }

    @Test func hugeQuantitiesAndPricesOverflowIntoAnErrorNotACrash() throws {
        let store = try TestStores.demoStore()
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let ctx = try TestStores.openTill(store)
        // Counted before the refused sales: they must leave every sale table as it was.
        let counts = try TestStores.saleTableCounts(store)
        // The most whole units a quantity holds, of an item over 10.00: price × quantity is past Int64.max (a
        // cheaper item's total still fits, and a fractional quantity is refused as "sold in whole units" instead).
        let pricey = try #require(try Catalog(store: store).search("", limit: 500).first { $0.price > 1000 && $0.unit == .each })
        #expect(throws: TillError.overflow("\(pricey.price) × \(Int64.max / 1000 * 1000) ÷ 1000")) {
            _ = try Checkout(store: store).completeSale(SaleRequest(
                lines: [SaleLineRequest(variantID: pricey.variantID, quantity: Quantity(milli: Int64.max / 1000 * 1000))],
                tenders: [Tender(method: .cash)]), ctx)
        }
        #expect(try TestStores.saleTableCounts(store) == counts)
        #expect(throws: TillError.invalidQuantity("-1", reason: "must be above 0")) {
            _ = try Checkout(store: store).completeSale(SaleRequest(
                lines: [SaleLineRequest(variantID: coffee.variantID, quantity: Quantity(milli: -1000))], tenders: [Tender(method: .cash)]), ctx)
        }
        #expect(try TestStores.saleTableCounts(store) == counts)
        #expect(throws: TillError.overflow("92233720368547758.08")) { _ = try MoneyParser(currency: .EUR).parse("92233720368547758.08") }
    }
}
