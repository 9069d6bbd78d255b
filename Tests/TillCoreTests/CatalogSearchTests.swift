import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct CatalogSearchTests {
    let store: StoreDatabase
    let catalog: Catalog

    init() throws {
        store = try TestStores.demoStore()
        catalog = Catalog(store: store)
    }

    @Test func prefixesFindAccentedNames() throws {
        let names = try catalog.search("caf").map(\.productName)
        #expect(names.contains("Café Crème Beans 500 g"))
        #expect(try catalog.search("creme").map(\.productName).contains("Café Crème Beans 500 g"))
        #expect(try catalog.search("jalap").map(\.productName) == ["Jalapeño Peppers"])
        #expect(try catalog.search("bäck").map(\.productName).contains("Bäckerei-Brot Sourdough"))
    }

    @Test func everyWordMustMatch() throws {
        let results = try catalog.search("cott t-sh navy")
        #expect(!results.isEmpty)
        #expect(results.allSatisfy { $0.productName == "Organic Cotton T-Shirt" && $0.option.contains("Navy") })
    }

    @Test func searchesSKUsBarcodesAndCategories() throws {
        #expect(try catalog.search("COF-001").first?.sku == "COF-001")
        let coffee = try #require(try catalog.lookup(code: "COF-002"))
        let barcode = try #require(try catalog.barcodes(variantID: coffee.variantID).first)
        #expect(try catalog.search(String(barcode.prefix(9))).map(\.sku).contains("COF-002"))
        #expect(try catalog.search("stationery").count == 21)  // 20 items and the open-price item MISC
    }

    /// Issue 13: a barcode is indexed in every printed form of its GTIN, so the start of any of them finds it.
    @Test func searchFindsABarcodeByTheStartOfAnyOfItsForms() throws {
        try CatalogEditor(store: store).add(ProductDraft(sku: "SOUP", name: "Tomato Soup", barcodes: ["0036000291452"], price: 199,
                                                         caseBarcodes: [CaseBarcode(code: "10036000291459", quantity: 12)]),
                                            TillContext())
        for prefix in ["036000", "0036000", "00036000", "00036000291452", "1003600"] {
            #expect(try catalog.search(prefix).map(\.sku) == ["SOUP"], "\(prefix)")
        }
        #expect(try catalog.barcodes(variantID: try #require(try catalog.lookup(code: "SOUP")).variantID) == ["036000291452"])
    }

    @Test(arguments: ["\"", "*", "NEAR(", "-", "a OR", "AND", "NOT tea", "'); DROP TABLE variant; --", "^", "\"\"\"",
                      "(", ")", ":", "sku:COF", "caf*", "{", "🙂", "中文", "\u{0}", String(repeating: "x", count: 10_000),
                      "NEAR(caf crème, 2)", "tea -green", "+", "\\"])
    func anyTextIsSafe(text: String) throws {
        let variants = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM variant") ?? 0 }
        _ = try catalog.search(text)
        _ = try Inventory(store: store).levels(search: text)
        // Searching is read-only whatever the text says: the catalogue is whole, and a plain search still works.
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM variant") ?? 0 } == variants)
        #expect(variants > 0)
        #expect(try catalog.search("COF-002").first?.sku == "COF-002")
    }

    @Test func emptySearchListsInNameOrderAndPages() throws {
        let first = try catalog.search("", limit: 10)
        let second = try catalog.search("", limit: 10, offset: 10)
        #expect(first.count == 10 && second.count == 10)
        #expect(Set(first.map(\.sku)).isDisjoint(with: second.map(\.sku)))
        let names = first.map { $0.productName.lowercased() }
        #expect(names == names.sorted())
    }

    @Test func categoryFilter() throws {
        let bakery = try catalog.search("", category: "bakery", limit: 500)
        #expect(bakery.count == 25)
        #expect(bakery.allSatisfy { $0.category == "Bakery" })
        #expect(try catalog.search("bread", category: "Drinks").isEmpty)
    }

    @Test func lookupByBarcodeOrSKU() throws {
        let bySKU = try #require(try catalog.lookup(code: "cof-001"))
        #expect(bySKU.productName == "Café Crème Beans 500 g")
        let code = try #require(try catalog.barcodes(variantID: bySKU.variantID).first)
        #expect(try catalog.lookup(code: code)?.variantID == bySKU.variantID)
        #expect(try catalog.lookup(code: "0000000000000") == nil)
        #expect(try catalog.lookup(code: "") == nil)
    }

    @Test func variantsAreTheirOwnSKUs() throws {
        let shirt = try #require(try catalog.search("organic cotton").first)
        let variants = try catalog.variants(productID: shirt.productID)
        #expect(variants.count == 12)
        #expect(Set(variants.map(\.sku)).count == 12)
        #expect(variants.allSatisfy { !$0.option.isEmpty })
        #expect(variants.first?.displayName.hasPrefix("Organic Cotton T-Shirt — ") == true)
    }

    @Test func indexFollowsRenames() throws {
        try store.write { db in
            try db.execute(sql: "UPDATE product SET name = 'Zanzibar Spice' WHERE handle = 'cafe-creme-beans-500-g'")
            try db.execute(sql: "UPDATE category SET name = 'Hot Drinks' WHERE name = 'Coffee & Tea'")
        }
        #expect(try catalog.search("zanzib").map(\.sku) == ["COF-001"])
        #expect(try catalog.search("café crème").isEmpty)
        #expect(try catalog.search("hot drinks", limit: 100).count == 26)
        #expect(try StoreDoctor(store: store).examine().passed)
    }
}
