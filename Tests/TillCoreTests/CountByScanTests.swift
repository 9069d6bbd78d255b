import Foundation
import Testing
import TillCore
import TillTestSupport

/// Issue 14: counting by scanning (a barcode, a case code, a SKU), the sheet of what is still to count, and the
/// variance in units and at cost that a manager confirms.
@Suite struct CountByScanTests {
    let store: StoreDatabase
    let counts: StockCounts
    let ctx = TillContext()

    init() throws {
        store = try TestStores.demoStore()
        counts = StockCounts(store: store)
        // A soup sold each and by the case of 12 (a GTIN-14 case code); on the floor: 30, cost €1.10.
        try CatalogEditor(store: store).add(ProductDraft(sku: "SOUP", name: "Tomato Soup", barcodes: ["036000291452"],
                                                         category: "Pantry", price: 199, cost: 110,
                                                         caseBarcodes: [try CaseBarcode.parse("10036000291459=12")]), ctx)
        _ = try StockOperations(store: store).adjust(sku: "SOUP", delta: .units(30), reason: .received, location: "floor",
                                                 note: nil, ctx)
    }

    func onHand(_ sku: String, _ location: String = "floor") throws -> Quantity {
        let item = try #require(try Catalog(store: store).lookup(code: sku))
        return try Inventory(store: store).onHand(variantID: item.variantID, location: location)
    }

    @Test func entriesAreReadAsAQuantityOrACode() throws {
        #expect(try CountEntry.parse("17") == .quantity(.units(17)))
        #expect(try CountEntry.parse("1.250") == .quantity(Quantity(milli: 1250)))
        #expect(try CountEntry.parse("COF-002") == .code("COF-002", nil))
        // A GTIN is never a quantity, nor is any run of eight digits or more (a mistyped barcode).
        #expect(try CountEntry.parse("4000949291343") == .code("4000949291343", nil))
        #expect(try CountEntry.parse("4000949291344") == .code("4000949291344", nil))
        #expect(try CountEntry.parse("10036000291459") == .code("10036000291459", nil))
        #expect(try CountEntry.parse("COF-002 12") == .code("COF-002", .units(12)))
        #expect(throws: TillError.invalid("scan a barcode, or type a SKU, SKU QTY, or QTY for the SKU being counted")) {
            try CountEntry.parse("COF-002 12 more")
        }
        #expect(throws: TillError.invalidQuantity("x", reason: "expected a number such as 3 or 0.450")) {
            try CountEntry.parse("COF-002 x")
        }
    }

    @Test func eachScanAddsItsUnitsAndACaseCodeItsPack() throws {
        let id = try counts.start(location: "floor", ctx)
        try counts.record(countID: id, code: "036000291452", ctx)
        try counts.record(countID: id, code: "0036000291452", ctx)  // the same GTIN printed as EAN-13
        #expect(try counts.variances(countID: id).first { $0.sku == "SOUP" }?.counted == .units(2))
        let line = try counts.record(countID: id, code: "10036000291459", ctx)  // a case of 12
        #expect(line.counted == .units(14))
        #expect(line.expected == .units(30))
        #expect(line.variance == -.units(16))
        #expect(line.value == -16 * 110)
        // With a quantity, the count is set: two cases are 24 units; a SKU and a quantity, that many.
        #expect(try counts.record(countID: id, code: "10036000291459", quantity: .units(2), ctx).counted == .units(24))
        #expect(try counts.record(countID: id, code: "soup", quantity: .units(29), ctx).counted == .units(29))
        // The SKU scanned by name counts one more.
        #expect(try counts.record(countID: id, code: "SOUP", ctx).counted == .units(30))
        try counts.apply(countID: id, ctx)
        #expect(try onHand("SOUP") == .units(30))
    }

    @Test func wrongCodesAndWeighedGoodsSayWhatToDo() throws {
        let id = try counts.start(location: "floor", ctx)
        #expect(throws: TillError.invalid("barcode \"4000949291344\": check digit is wrong (expected 3); nothing counted")) {
            try counts.record(countID: id, code: "4000949291344", ctx)
        }
        #expect(throws: TillError.notFound("barcode or SKU \"NOPE-1\"")) { try counts.record(countID: id, code: "NOPE-1", ctx) }
        #expect(throws: TillError.invalid("PRO-001 is sold by weight: type its SKU and the kilos counted, e.g. PRO-001 1.250")) {
            try counts.record(countID: id, code: "2100001000004", ctx)
        }
        #expect(try counts.record(countID: id, code: "PRO-001", quantity: Quantity(milli: 1250), ctx).counted == Quantity(milli: 1250))
        #expect(try counts.variances(countID: id).map(\.sku) == ["PRO-001"])
    }

    @Test func theSheetListsWhatIsStillToCount() throws {
        let id = try counts.start(location: "floor", category: "Pantry", ctx)
        let before = try counts.sheet(countID: id)
        #expect(before.location == "floor" && before.locationName == "Shop floor" && before.category == "Pantry")
        #expect(before.lines.isEmpty)
        #expect(before.pending.contains { $0.sku == "SOUP" && $0.onHand == .units(30) && $0.name == "Tomato Soup" })
        #expect(before.remaining == before.pending.count)
        #expect(before.remaining > 1)
        try counts.record(countID: id, code: "036000291452", ctx)
        let after = try counts.sheet(countID: id)
        #expect(after.remaining == before.remaining - 1)
        #expect(!after.pending.contains { $0.sku == "SOUP" })
        #expect(after.lines.map(\.sku) == ["SOUP"])
        // A short list asked for: the remaining figure is still the whole.
        let short = try counts.sheet(countID: id, pendingLimit: 1)
        #expect(short.pending.count == 1 && short.remaining == after.remaining)
    }

    @Test func totalsAddUnitsAndKilosApartAndValueAtCost() throws {
        let id = try counts.start(location: "floor", ctx)
        let soupBooks = try onHand("SOUP")
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let coffeeBooks = try onHand("COF-002")
        let bananas = try #require(try Catalog(store: store).lookup(code: "PRO-001"))
        let bananaBooks = try onHand("PRO-001")
        try counts.record(countID: id, code: "SOUP", quantity: soupBooks - .units(3), ctx)      // 3 missing
        try counts.record(countID: id, code: "COF-002", quantity: coffeeBooks + .one, ctx)     // 1 found
        try counts.record(countID: id, code: "PRO-001", quantity: bananaBooks - Quantity(milli: 333), ctx)
        try counts.record(countID: id, code: "COF-001", quantity: try onHand("COF-001"), ctx)  // as the books say
        let totals = try counts.sheet(countID: id).totals
        #expect(totals.counted == 4)
        #expect(totals.changed == 3)
        #expect(totals.units == -.units(2))
        #expect(totals.weight == -Quantity(milli: 333))
        // 0.333 kg at the bananas' cost per kg, rounded half away from zero.
        let bananaValue = CountVariance.value(of: -Quantity(milli: 333), cost: try #require(bananas.cost))
        #expect(bananaValue == -((333 * (bananas.cost ?? 0) + 500) / 1000))
        #expect(totals.value == -3 * 110 + (coffee.cost ?? 0) + bananaValue)
        #expect(totals.withoutCost == 0)
    }

    @Test func valueRoundsHalfAwayFromZero() {
        #expect(CountVariance.value(of: Quantity(milli: 500), cost: 3) == 2)   // 1.5 → 2
        #expect(CountVariance.value(of: Quantity(milli: -500), cost: 3) == -2)
        #expect(CountVariance.value(of: Quantity(milli: 333), cost: 1001) == 333)  // 333.333 → 333
        #expect(CountVariance.value(of: .units(-16), cost: 110) == -1760)
    }
}
