import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct StockOperationTests {
    let store: StoreDatabase
    let ops: StockOperations
    let inventory: Inventory

    init() throws {
        store = try TestStores.demoStore()
        ops = StockOperations(store: store)
        inventory = Inventory(store: store)
    }

    func id(_ sku: String) throws -> Int64 { try #require(try Catalog(store: store).lookup(code: sku)).variantID }

    @Test func receiveTransferAdjustAreLedgerMovementsAndAudited() throws {
        let coffee = try id("COF-001")
        let floor = try inventory.onHand(variantID: coffee, location: "floor")
        let back = try inventory.onHand(variantID: coffee, location: "back")
        try ops.receive(reference: "DN-1001", lines: [.init(sku: "COF-001", quantity: .units(24), cost: 120)])
        try ops.receive(reference: "DN-1001", lines: [.init(sku: "cof-001", quantity: .units(6))])  // a partial delivery's rest
        try ops.transfer(sku: "COF-001", quantity: .units(6), from: "floor", to: "back")
        try ops.adjust(sku: "COF-001", delta: .units(-2), reason: .damaged, note: "dropped")
        #expect(try inventory.onHand(variantID: coffee, location: "floor") == floor + .units(24 + 6 - 6 - 2))
        #expect(try inventory.onHand(variantID: coffee, location: "back") == back + .units(6))
        let reasons = try inventory.movements(variantID: coffee, limit: 5).map(\.reason)
        #expect(reasons == [.damaged, .transfer, .transfer, .received, .received])
        let audit = try AuditLog.entries(store)
        #expect(audit.map(\.action).prefix(4) == ["stock.adjust", "stock.transfer", "stock.receive", "stock.receive"])
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func receivingWithACostKeepsAWeightedAverage() throws {
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-001"))
        let onHand = coffee.onHand.milli / 1000
        let oldCost = try #require(coffee.cost)
        try ops.receive(reference: "PO-7", lines: [.init(sku: "COF-001", quantity: .units(24), cost: 120)])
        let expected = (oldCost * onHand + 120 * 24 + (onHand + 24) / 2) / (onHand + 24)
        #expect(try Catalog(store: store).lookup(code: "COF-001")?.cost == expected)
    }

    @Test func badRequestsAreRefusedAndChangeNothing() throws {
        let before = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stock_movement") }
        #expect(throws: TillError.self) { try ops.adjust(sku: "COF-001", delta: .units(1), reason: .sale) }
        #expect(throws: TillError.self) { try ops.adjust(sku: "COF-001", delta: .units(1), reason: .other) }
        #expect(throws: TillError.self) { try ops.adjust(sku: "COF-001", delta: Quantity(milli: 500), reason: .damaged) }
        #expect(throws: TillError.self) { try ops.adjust(sku: "NOPE", delta: .units(1), reason: .damaged) }
        #expect(throws: TillError.self) { try ops.transfer(sku: "COF-001", quantity: .units(1), from: "floor", to: "floor") }
        #expect(throws: TillError.self) { try ops.transfer(sku: "COF-001", quantity: .units(1), from: "floor", to: "attic") }
        #expect(throws: TillError.self) {
            // One bad line: the whole delivery is refused.
            try ops.receive(reference: "DN-2", lines: [.init(sku: "COF-001", quantity: .units(5)), .init(sku: "NOPE", quantity: .units(1))])
        }
        #expect(throws: TillError.self) { try ops.receive(reference: " ", lines: [.init(sku: "COF-001", quantity: .units(5))]) }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stock_movement") } == before)
    }

    @Test func receiptLinesParse() throws {
        #expect(try StockOperations.ReceiptLine.parse("COF-001=24@1.20", currency: .EUR) == .init(sku: "COF-001", quantity: .units(24), cost: 120))
        #expect(try StockOperations.ReceiptLine.parse("PRO-001=2.5", currency: .EUR) == .init(sku: "PRO-001", quantity: Quantity(milli: 2500)))
        #expect(throws: TillError.self) { try StockOperations.ReceiptLine.parse("COF-001", currency: .EUR) }
        #expect(throws: TillError.self) { try StockOperations.ReceiptLine.parse("COF-001=x", currency: .EUR) }
    }

    @Test func negativeStockIsAllowedByDefaultAndCanBeRefused() throws {
        let coffee = try id("COF-002")
        let onHand = try inventory.onHand(variantID: coffee, location: "floor")
        let big = onHand + .units(5)
        let ctx = try TestStores.openTill(store)
        let sale = try Checkout(store: store).completeSale(SaleRequest(lines: [SaleLineRequest(variantID: coffee, quantity: big)],
                                                                       tenders: [Tender(method: .cash)]), ctx)
        #expect(try inventory.onHand(variantID: coffee, location: "floor") == .units(-5))
        #expect(sale.number > 0)
        try store.write { db in
            var settings = try StoreSettings.load(db)
            settings.allowNegativeStock = false
            try settings.save(db)
        }
        #expect(throws: TillError.self) {
            try Checkout(store: store).completeSale(SaleRequest(lines: [SaleLineRequest(variantID: coffee, quantity: .one)],
                                                                tenders: [Tender(method: .cash)]), ctx)
        }
    }
}

@Suite struct StockCountTests {
    @Test func aCountWithASaleDuringItCorrectsOnlyTheRealVariance() throws {
        let store = try TestStores.demoStore()
        let counts = StockCounts(store: store)
        let inventory = Inventory(store: store)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-001"))
        let start = try inventory.onHand(variantID: coffee.variantID, location: "floor")
        let count = try counts.start(location: "floor", category: "Coffee & Tea")
        // Counted one fewer than the books say.
        try counts.set(countID: count, sku: "COF-001", counted: start - .one)
        // A sale happens after the shelf was counted, before the count is applied.
        _ = try Checkout(store: store).completeSale(SaleRequest(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(2))],
                                                                tenders: [Tender(method: .cash)]), try TestStores.openTill(store))
        let report = try counts.variances(countID: count)
        #expect(report.map(\.variance) == [-.one])
        #expect(report[0].value == -(coffee.cost ?? 0))
        try counts.apply(countID: count)
        // Books: start − 2 sold − 1 missing.
        #expect(try inventory.onHand(variantID: coffee.variantID, location: "floor") == start - .units(3))
        #expect(throws: TillError.self) { try counts.apply(countID: count) }
        #expect(throws: TillError.self) { try counts.set(countID: count, sku: "COF-002", counted: .one) }
        let other = try counts.start(location: "floor", category: "Bakery")
        #expect(throws: TillError.self) { try counts.set(countID: other, sku: "COF-001", counted: .one) }
        try counts.cancel(countID: other)
        #expect(try StoreDoctor(store: store).examine().passed)
    }
}

@Suite struct StockReportTests {
    @Test func reorderAndValuation() throws {
        let store = try TestStores.demoStore()
        try StockOperations(store: store).adjust(sku: "COF-001", delta: -(try #require(try Catalog(store: store).lookup(code: "COF-001")).onHand),
                                                 reason: .shrinkage)
        let rows = try StockReports(store: store).reorder(TestStores.context(store, staffID: nil, at: TestStores.demoCreatedAt))
        let coffee = try #require(rows.first { $0.sku == "COF-001" })
        #expect(coffee.onHand == "0")
        #expect((Int(coffee.suggested) ?? 0) >= Int(coffee.reorderPoint) ?? 0)
        let byCategory = try StockReports(store: store).valuation(by: .category, TestStores.context(store, staffID: nil))
        let byLocation = try StockReports(store: store).valuation(by: .location, TestStores.context(store, staffID: nil))
        #expect(byCategory.count == 12)
        #expect(byLocation.map(\.group) == ["back", "floor"])
        #expect(byCategory.reduce(0) { $0 + $1.value } == byLocation.reduce(0) { $0 + $1.value })
    }

    @Test func theAuditLogIsAppendOnly() throws {
        let store = try TestStores.demoStore()
        try StockOperations(store: store).adjust(sku: "COF-001", delta: .one, reason: .received)
        #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: "UPDATE audit_log SET action = 'x'") } }
        #expect(throws: (any Error).self) { try store.write { db in try db.execute(sql: "DELETE FROM audit_log") } }
    }
}

@Suite struct CatalogEditorTests {
    let store: StoreDatabase
    let editor: CatalogEditor

    init() throws {
        store = try TestStores.demoStore()
        editor = CatalogEditor(store: store)
    }

    @Test func validationNamesEveryBadFieldAndWarnsBelowCost() throws {
        let draft = ProductDraft(sku: "COF-001", name: " ", barcodes: ["4006381333932", "4083086271492"], price: -5,
                                 cost: 100, taxClass: "luxury", reorderPoint: Quantity(milli: 500))
        let issues = try editor.validate(draft)
        let fields = Set(issues.filter { !$0.isWarning }.map(\.field))
        #expect(fields == ["sku", "name", "price", "tax_class", "barcode", "reorder_point"])
        let stolen = ProductDraft(sku: "NEW-2", name: "Thief", barcodes: ["4083086271492"], price: 100)
        #expect(try editor.validate(stolen).map(\.message) == ["4083086271492 already belongs to COF-001"])
        let cheap = ProductDraft(sku: "NEW-1", name: "Cheap", price: 50, cost: 100)
        #expect(try editor.validate(cheap) == [FieldIssue(field: "price", message: "below cost", isWarning: true)])
        #expect(throws: TillError.self) { try editor.add(draft) }
        #expect(try Catalog(store: store).lookup(code: "NEW-1") == nil)
    }

    @Test func addAVariantEditArchiveAndAudit() throws {
        let shirt = ProductDraft(sku: "TEE-M", name: "Test Tee", option: "M", barcodes: ["4006381333931"], category: "Apparel",
                                 price: 1999, cost: 700, handle: "test-tee")
        let added = try editor.add(shirt)
        var large = shirt
        large.sku = "TEE-L"
        large.option = "L"
        large.barcodes = []
        let second = try editor.add(large)
        #expect(second.productID == added.productID)
        #expect(try Catalog(store: store).lookup(code: "4006381333931")?.sku == "TEE-M")
        var edited = try editor.draft(sku: "TEE-M")
        edited.price = 2499
        edited.sku = "TEE-MED"
        try editor.edit(sku: "TEE-M", edited)
        #expect(try Catalog(store: store).lookup(code: "TEE-MED")?.price == 2499)
        #expect(try Catalog(store: store).lookup(code: "4006381333931")?.sku == "TEE-MED")
        try editor.setActive(sku: "TEE-L", false)
        #expect(try Catalog(store: store).lookup(code: "TEE-L")?.active == false)
        let audit = try AuditLog.entries(store, entity: "variant")
        #expect(audit.map(\.action).prefix(4) == ["product.archive", "product.edit", "product.add", "product.add"])
        let editEntry = try #require(audit.first { $0.action == "product.edit" })
        #expect(editEntry.before?.contains("\"price\":1999") == true)
        #expect(editEntry.after?.contains("\"price\":2499") == true)
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func bulkPriceChangePreviewsThenApplies() throws {
        let before = try Catalog(store: store).search("", category: "Bakery", limit: 100)
        let preview = try editor.changePrices(category: "Bakery", change: .percent(-1000), apply: false)
        #expect(preview.count == before.count)
        #expect(try Catalog(store: store).search("", category: "Bakery", limit: 100) == before)
        let applied = try editor.changePrices(category: "Bakery", change: .percent(-1000), apply: true)
        #expect(applied == preview)
        let croissant = try #require(applied.first { $0.sku == "BAK-004" })
        #expect(croissant.newPrice == croissant.oldPrice - (croissant.oldPrice * 1000 + 5000) / 10_000)
        #expect(throws: TillError.self) { try editor.changePrices(skus: ["BAK-004"], change: .amount(-1_000_000), apply: true) }
    }

    @Test func categoriesAddRenameMove() throws {
        try editor.addCategory("Seasonal")
        #expect(throws: TillError.duplicate("category \"seasonal\"")) { try editor.addCategory("seasonal") }
        try editor.moveToCategory(skus: ["BAK-018"], category: "Seasonal")
        try editor.renameCategory("Seasonal", to: "Christmas")
        #expect(try Catalog(store: store).lookup(code: "BAK-018")?.category == "Christmas")
        #expect(try Catalog(store: store).search("christmas").map(\.sku) == ["BAK-018"])
    }
}

@Suite struct BulkPriceChangeParsingTests {
    @Test func readsWhatPeopleType() throws {
        #expect(try BulkPriceChange.parse("5%", currency: .EUR) == .percent(500))
        #expect(try BulkPriceChange.parse("-10%", currency: .EUR) == .percent(-1000))
        #expect(try BulkPriceChange.parse("+2.5%", currency: .EUR) == .percent(250))
        #expect(try BulkPriceChange.parse("0.20", currency: .EUR) == .amount(20))
        #expect(try BulkPriceChange.parse("-0.50", currency: .EUR) == .amount(-50))
        #expect(throws: TillError.self) { try BulkPriceChange.parse("ten", currency: .EUR) }
    }
}

@Suite struct StoreSettingsEditorTests {
    @Test func settingsChangeCheckedAndAudited() throws {
        let store = try TestStores.demoStore()
        let editor = StoreSettingsEditor(store: store)
        try editor.set("cash_rounding", to: "0.05")
        try editor.set("allow_negative_stock", to: "false")
        try editor.set("gs1_variable_measure", to: "price")
        let settings = try store.read { db in try StoreSettings.load(db) }
        #expect(settings.cashRoundingIncrement == 5 && !settings.allowNegativeStock && settings.variableMeasure == .price)
        #expect(throws: TillError.self) { try editor.set("currency", to: "USD") }
        #expect(throws: TillError.self) { try editor.set("allow_negative_stock", to: "maybe") }
        #expect(throws: TillError.self) { try editor.set("cash_rounding", to: "0") }
        #expect(throws: TillError.self) { try editor.set("colour", to: "red") }
        let audit = try AuditLog.entries(store, entity: "store_setting")
        #expect(audit.count == 3)
        #expect(audit.first?.before == #"{"gs1_variable_measure":"weight"}"# && audit.first?.after == #"{"gs1_variable_measure":"price"}"#)
        #expect(try editor.show().first { $0.0 == "cash_rounding" }?.1 == "0.05")
    }
}
