import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Issue 15: every use case that keeps text a person typed refuses a card number — inside the core, so the
/// command line and the app get the same answer — and writes nothing.
@Suite struct CardNumberRefusalTests {
    static let card = "4242 4242 4242 4242"

    /// Row counts of every table, to show a refusal left the store as it was.
    static func rowCounts(_ store: StoreDatabase) throws -> [String: Int] {
        try store.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%VIRTUAL%'
                """)
            var counts: [String: Int] = [:]
            for table in tables { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0 }
            return counts
        }
    }

    func expectRefused(_ store: StoreDatabase, _ field: String, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () throws -> Void) throws {
        let before = try Self.rowCounts(store)
        #expect(throws: TillError.invalid(CardNumberGuard.refusal(field: field)), sourceLocation: sourceLocation) { try body() }
        #expect(try Self.rowCounts(store) == before, "a refusal wrote something", sourceLocation: sourceLocation)
    }

    @Test func registerTextRefusesACardNumber() throws {
        let store = try TestStores.demoStore()
        let ana = try TestStores.cashierID(store)
        let manager = try #require(try Staff(store: store).member(username: "max").id)
        let ctx = try TestStores.openTill(store, staffID: ana)
        let carts = Carts(store: store)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let cart = try carts.add(variantID: coffee.variantID, ctx)
        let approved = ctx.acting(as: ana, approvedBy: manager)
        try expectRefused(store, "the parked sale's label") { try carts.park(cartID: cart.id, label: "card \(Self.card)", ctx) }
        try expectRefused(store, "the discount reason") {
            _ = try carts.setOrderDiscount(cartID: cart.id, discount: .percent(basisPoints: 500), reason: Self.card, approved)
        }
        try expectRefused(store, "the discount reason") {
            _ = try carts.setLineDiscount(cartID: cart.id, position: 1, discount: .percent(basisPoints: 500), reason: Self.card, approved)
        }
        try expectRefused(store, "the open-price item's description") {
            _ = try carts.addOpenPrice(price: 450, description: "4242424242424242", approved)
        }
        try expectRefused(store, "the reason") { try Shifts(store: store).moveCash(.noSale, amount: 0, reason: Self.card, approved) }
        // The same calls with ordinary text go through: the refusals above are the guard, not something else.
        try carts.park(cartID: cart.id, label: "red coat", ctx)
        try Shifts(store: store).moveCash(.noSale, amount: 0, reason: "change for 4242", approved)
    }

    @Test func supportAndStockTextRefusesACardNumber() throws {
        let store = try TestStores.demoStore()
        let ctx = TestStores.context(store, staffID: nil)
        let number = try #require(try store.read { db in try Int64.fetchOne(db, sql: "SELECT MIN(number) FROM orders") })
        try expectRefused(store, "the note") { _ = try OrderNotes(store: store).add(orderNumber: number, text: "paid \(Self.card)", ctx) }
        let stock = StockOperations(store: store)
        try expectRefused(store, "the note") {
            _ = try stock.adjust(sku: "COF-002", delta: .one, reason: .other, note: "4242-4242-4242-4242", ctx)
        }
        let line = StockOperations.ReceiptLine(sku: "COF-002", quantity: .one)
        try expectRefused(store, "the delivery reference") { try stock.receive(reference: Self.card, lines: [line], ctx) }
        try expectRefused(store, "the supplier") { try stock.receive(reference: "DN-1", supplier: Self.card, lines: [line], ctx) }
        _ = try OrderNotes(store: store).add(orderNumber: number, text: "customer called", ctx)
    }

    @Test func catalogAndStoreTextRefusesACardNumber() throws {
        let store = try TestStores.demoStore()
        let ctx = TestStores.context(store, staffID: nil)
        let editor = CatalogEditor(store: store)
        let reason = CardNumberGuard.reason
        try expectRefused(store, "the category name") { try editor.addCategory(Self.card, ctx) }
        try expectRefused(store, "the category name") { try editor.renameCategory("Coffee", to: Self.card, ctx) }
        try expectRefused(store, "the category name") { try editor.moveToCategory(skus: ["COF-002"], category: Self.card, ctx) }
        for (field, draft) in [
            ("name", ProductDraft(sku: "NEW-1", name: Self.card, price: 100)),
            ("option", ProductDraft(sku: "NEW-1", name: "Mug", option: Self.card, price: 100)),
            ("sku", ProductDraft(sku: "4242424242424242", name: "Mug", price: 100)),
            ("barcode", ProductDraft(sku: "NEW-1", name: "Mug", barcodes: ["4242424242424242"], price: 100)),
            ("category", ProductDraft(sku: "NEW-1", name: "Mug", category: Self.card, price: 100)),
        ] {
            let before = try Self.rowCounts(store)
            // The field's only message is the refusal: no other message about it repeats the digits.
            #expect(throws: TillError.invalid("\(field): \(reason)")) { try editor.add(draft, ctx) }
            #expect(try Self.rowCounts(store) == before)
        }
        try expectRefused(store, "the tax class name") { _ = try TaxRates(store: store).add(ctx, code: "lux", name: Self.card, rate: "25") }
        try expectRefused(store, "the value for name") { try StoreSettingsEditor(store: store).set("name", to: Self.card, ctx) }
        try expectRefused(store, "the staff member's name") {
            _ = try Staff(store: store).add(username: "bob", name: Self.card, role: .cashier, pin: "2468", hasher: TestStores.testHasher,
                                            TestStores.context(store, staffID: try Staff(store: store).member(username: "ada").id))
        }
        #expect(throws: TillError.invalid(CardNumberGuard.refusal(field: "the barcode"))) { try Barcode.gtin14("4242424242424242") }
        #expect(throws: TillError.invalid(CardNumberGuard.refusal(field: "the shop's name"))) {
            try StoreSetup.create(at: TestStores.temporaryPath(), options: StoreSetupOptions(demoData: nil, name: Self.card,
                                                                                           pinHasher: TestStores.testHasher))
        }
        // A GS1 barcode is still a barcode.
        #expect(try Barcode.gtin14("4006381333931") == "04006381333931")
    }

    @Test func anImportWithACardNumberInAnyCellNamesRowAndColumnAndImportsNothing() throws {
        let store = try TestStores.demoStore()
        let customers = try TestStores.file("customers.csv", """
            name,email,phone,notes
            Ana Lima,ana@example.com,,regular
            Bo Berg,bo@example.com,,"paid with 4242 4242 4242 4242"
            Cy,cy@example.com,5555555555554444,
            """)
        let before = try Self.rowCounts(store)
        #expect(throws: TillError.importFailed([
            ImportIssue(file: "customers.csv", line: 3, column: "notes", reason: CardNumberGuard.reason),
            ImportIssue(file: "customers.csv", line: 4, column: "phone", reason: CardNumberGuard.reason),
        ])) { try CustomerImporter(store: store).importFile(path: customers) }
        let products = try TestStores.file("products.csv", """
            sku,name,barcode,price,category,tax_class
            Z-1,Widget 4242424242424242,4006381333931,1.00,Misc,standard
            """)
        #expect(throws: TillError.importFailed([
            ImportIssue(file: "products.csv", line: 2, column: "name", reason: CardNumberGuard.reason),
        ])) { try ProductImporter(store: store).importFile(path: products) }
        #expect(try Self.rowCounts(store) == before)
        let parsed = try CSVFile.parse(data: try Data(contentsOf: URL(fileURLWithPath: customers)), name: "customers.csv")
        let message = TillError.importFailed(parsed.cardNumberIssues()).description
        #expect(CardNumberScan.findings(in: message, named: "the import error").isEmpty)
    }
}
