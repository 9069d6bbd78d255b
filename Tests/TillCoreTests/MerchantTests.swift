import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct StockOperationTests {
    let store: StoreDatabase
    let ops: StockOperations
    let inventory: Inventory
    /// The store's owner at a shell, at the main till, now.
    let ctx = TillContext()

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
        try ops.receive(reference: "DN-1001", lines: [.init(sku: "COF-001", quantity: .units(24), cost: 120)], ctx)
        try ops.receive(reference: "DN-1001", lines: [.init(sku: "cof-001", quantity: .units(6))], again: true, ctx)  // a partial delivery's rest
        try ops.transfer(sku: "COF-001", quantity: .units(6), from: "floor", to: "back", ctx)
        try ops.adjust(sku: "COF-001", delta: .units(-2), reason: .damaged, note: "dropped", ctx)
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
        try ops.receive(reference: "PO-7", lines: [.init(sku: "COF-001", quantity: .units(24), cost: 120)], ctx)
        let expected = (oldCost * onHand + 120 * 24 + (onHand + 24) / 2) / (onHand + 24)
        #expect(try Catalog(store: store).lookup(code: "COF-001")?.cost == expected)
    }

    @Test func badRequestsAreRefusedAndChangeNothing() throws {
        let before = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stock_movement") }
        #expect(throws: TillError.invalid("sale is not an adjustment reason (use received, damaged, shrinkage, count, return_to_vendor, other)")) { try ops.adjust(sku: "COF-001", delta: .units(1), reason: .sale, ctx) }
        #expect(throws: TillError.invalid("an adjustment for reason other needs a note saying why")) { try ops.adjust(sku: "COF-001", delta: .units(1), reason: .other, ctx) }
        #expect(throws: TillError.invalidQuantity("0.5", reason: "COF-001 is counted in whole units")) { try ops.adjust(sku: "COF-001", delta: Quantity(milli: 500), reason: .damaged, ctx) }
        #expect(throws: TillError.notFound("SKU NOPE")) { try ops.adjust(sku: "NOPE", delta: .units(1), reason: .damaged, ctx) }
        #expect(throws: TillError.invalid("a transfer goes between two different locations")) { try ops.transfer(sku: "COF-001", quantity: .units(1), from: "floor", to: "floor", ctx) }
        #expect(throws: TillError.notFound("location \"attic\" (known: floor, back)")) { try ops.transfer(sku: "COF-001", quantity: .units(1), from: "floor", to: "attic", ctx) }
        #expect(throws: TillError.notFound("SKU NOPE")) {
            // One bad line: the whole delivery is refused.
            try ops.receive(reference: "DN-2", lines: [.init(sku: "COF-001", quantity: .units(5)), .init(sku: "NOPE", quantity: .units(1))], ctx)
        }
        #expect(throws: TillError.invalid("a delivery needs a reference (delivery note or purchase order)")) { try ops.receive(reference: " ", lines: [.init(sku: "COF-001", quantity: .units(5))], ctx) }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stock_movement") } == before)
    }

    @Test func receiptLinesParse() throws {
        #expect(try StockOperations.ReceiptLine.parse("COF-001=24@1.20", currency: .EUR) == .init(sku: "COF-001", quantity: .units(24), cost: 120))
        #expect(try StockOperations.ReceiptLine.parse("PRO-001=2.5", currency: .EUR) == .init(sku: "PRO-001", quantity: Quantity(milli: 2500)))
        #expect(throws: TillError.invalid("expected SKU=QTY or SKU=QTY@COST, got \"COF-001\"")) { try StockOperations.ReceiptLine.parse("COF-001", currency: .EUR) }
        #expect(throws: TillError.invalidQuantity("x", reason: "expected a number such as 3 or 0.450")) { try StockOperations.ReceiptLine.parse("COF-001=x", currency: .EUR) }
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
        #expect(throws: TillError.invalid("not enough COF-002 at floor (Shop floor): on hand -5, this sale takes 1; this store does not sell below zero")) {
            try Checkout(store: store).completeSale(SaleRequest(lines: [SaleLineRequest(variantID: coffee, quantity: .one)],
                                                                tenders: [Tender(method: .cash)]), ctx)
        }
    }

    func refuseNegativeSales() throws {
        try store.write { db in
            var settings = try StoreSettings.load(db)
            settings.allowNegativeStock = false
            try settings.save(db)
        }
    }

    /// Two lines of one SKU (one discounted, so they are not merged) each fit what is on the shelf; together they
    /// do not, and the sale is refused with nothing written.
    @Test func noNegativeStockIsCheckedOverTheWholeSale() throws {
        let coffee = try id("COF-002")
        try ops.adjust(sku: "COF-002", delta: .units(3), reason: .received, ctx)
        let onHand = try inventory.onHand(variantID: coffee, location: "floor")
        try #require(onHand >= .units(3))
        try refuseNegativeSales()
        let before = try TestStores.saleTableCounts(store)
        let lines = [SaleLineRequest(variantID: coffee, quantity: onHand),
                     SaleLineRequest(variantID: coffee, quantity: .one, discount: .percent(basisPoints: 500))]
        #expect(throws: TillError.invalid("not enough COF-002 at floor (Shop floor): on hand \(onHand), this sale takes \(onHand + .one); this store does not sell below zero")) {
            try Checkout(store: store).completeSale(SaleRequest(lines: lines, tenders: [Tender(method: .cash)]), try TestStores.openTill(store))
        }
        #expect(try TestStores.saleTableCounts(store) == before)
        #expect(try inventory.onHand(variantID: coffee, location: "floor") == onHand)
        // The same two lines summing to exactly what is there sell, and the floor ends at zero.
        let exact = [SaleLineRequest(variantID: coffee, quantity: onHand - .one),
                     SaleLineRequest(variantID: coffee, quantity: .one, discount: .percent(basisPoints: 500))]
        let sale = try Checkout(store: store).completeSale(SaleRequest(lines: exact, tenders: [Tender(method: .cash)]), try TestStores.openTill(store))
        #expect(sale.lines.count == 2)
        #expect(try inventory.onHand(variantID: coffee, location: "floor") == .zero)
    }

    /// Even where sales may go below zero (the default), a person removing or moving stock by hand cannot.
    @Test func adjustmentsAndTransfersNeverTakeALocationBelowZero() throws {
        let coffee = try id("COF-001")
        let floor = try inventory.onHand(variantID: coffee, location: "floor")
        let back = try inventory.onHand(variantID: coffee, location: "back")
        try #require(floor > .zero)
        #expect(try store.read { db in try StoreSettings.load(db).allowNegativeStock })
        let movements = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stock_movement") }
        #expect(throws: TillError.invalid("not enough COF-001 at floor (Shop floor): on hand \(floor), an adjustment would take \(floor + .one); stock at a location never goes below zero this way")) {
            try ops.adjust(sku: "COF-001", delta: -(floor + .one), reason: .damaged, ctx)
        }
        #expect(throws: TillError.invalid("not enough COF-001 at back (Back room): on hand \(back), a transfer would take \(back + .one); stock at a location never goes below zero this way")) {
            try ops.transfer(sku: "COF-001", quantity: back + .one, from: "back", to: "floor", ctx)
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stock_movement") } == movements)
        // Down to exactly zero is allowed; a count correction sets a counted figure and is not limited.
        try ops.transfer(sku: "COF-001", quantity: floor, from: "floor", to: "back", ctx)
        #expect(try inventory.onHand(variantID: coffee, location: "floor") == .zero)
        try ops.adjust(sku: "COF-001", delta: -(back + floor), reason: .shrinkage, location: "back", ctx)
        #expect(try inventory.onHand(variantID: coffee, location: "back") == .zero)
        // Adding to a location already below zero (a sale took it there) is not taking it below zero.
        _ = try Checkout(store: store).completeSale(SaleRequest(lines: [SaleLineRequest(variantID: coffee, quantity: .units(2))],
                                                                tenders: [Tender(method: .cash)]), try TestStores.openTill(store))
        #expect(try ops.adjust(sku: "COF-001", delta: .one, reason: .received, ctx) == -.one)
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func aDeliveryReferenceIsReceivedOncePerSupplierUnlessAgain() throws {
        let coffee = try id("COF-001")
        let start = try inventory.onHand(variantID: coffee, location: "floor")
        let line = StockOperations.ReceiptLine(sku: "COF-001", quantity: .units(10))
        try ops.receive(reference: "DN-1001", supplier: "Roastery", lines: [line], ctx)
        #expect(throws: TillError.invalid("delivery dn-1001 from roastery was already received; to receive it again (the rest of a split delivery), add --again")) {
            try ops.receive(reference: "dn-1001", supplier: "roastery", lines: [line], ctx)  // case does not make it another note
        }
        #expect(try inventory.onHand(variantID: coffee, location: "floor") == start + .units(10))
        // Another supplier's note may carry the same number; no supplier counts as a supplier of its own.
        try ops.receive(reference: "DN-1001", supplier: "Dairy", lines: [line], ctx)
        try ops.receive(reference: "DN-1001", lines: [line], ctx)
        #expect(throws: TillError.invalid("delivery DN-1001 (no supplier) was already received; to receive it again (the rest of a split delivery), add --again")) {
            try ops.receive(reference: "DN-1001", supplier: "  ", lines: [line], ctx)
        }
        try ops.receive(reference: "DN-1001", supplier: "Roastery", lines: [line], again: true, ctx)
        #expect(throws: TillError.invalid("delivery DN-1001 from Roastery was already received 2 times; to receive it again (the rest of a split delivery), add --again")) {
            try ops.receive(reference: "DN-1001", supplier: "Roastery", lines: [line], ctx)
        }
        #expect(try inventory.onHand(variantID: coffee, location: "floor") == start + .units(40))
        let receipts = try store.read { db in try StockReceipt.order(Column("id")).fetchAll(db) }
        #expect(receipts.map(\.reference) == ["DN-1001", "DN-1001", "DN-1001", "DN-1001"])
        #expect(receipts.map(\.supplier) == ["Roastery", "Dairy", nil, "Roastery"])
        #expect(receipts.map(\.again) == [false, false, false, true])
        #expect(try StoreDoctor(store: store).examine().passed)
    }
}

@Suite struct StockCountTests {
    @Test func aCountWithASaleDuringItCorrectsOnlyTheRealVariance() throws {
        let store = try TestStores.demoStore()
        let counts = StockCounts(store: store)
        let inventory = Inventory(store: store)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-001"))
        let start = try inventory.onHand(variantID: coffee.variantID, location: "floor")
        let ctx = TillContext()
        let count = try counts.start(location: "floor", category: "Coffee & Tea", ctx)
        // Counted one fewer than the books say.
        try counts.set(countID: count, sku: "COF-001", counted: start - .one, ctx)
        // A sale happens after the shelf was counted, before the count is applied.
        _ = try Checkout(store: store).completeSale(SaleRequest(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(2))],
                                                                tenders: [Tender(method: .cash)]), try TestStores.openTill(store))
        let report = try counts.variances(countID: count)
        #expect(report.map(\.variance) == [-.one])
        #expect(report[0].value == -(coffee.cost ?? 0))
        try counts.apply(countID: count, ctx)
        // Books: start − 2 sold − 1 missing.
        #expect(try inventory.onHand(variantID: coffee.variantID, location: "floor") == start - .units(3))
        #expect(throws: TillError.invalid("count #1 is applied, not open")) { try counts.apply(countID: count, ctx) }
        #expect(throws: TillError.invalid("count #1 is applied, not open")) { try counts.set(countID: count, sku: "COF-002", counted: .one, ctx) }
        let other = try counts.start(location: "floor", category: "Bakery", ctx)
        #expect(throws: TillError.invalid("COF-001 is not in this count's category")) { try counts.set(countID: other, sku: "COF-001", counted: .one, ctx) }
        try counts.cancel(countID: other, ctx)
        #expect(try StoreDoctor(store: store).examine().passed)
    }
}

@Suite struct StockReportTests {
    @Test func reorderAndValuation() throws {
        let store = try TestStores.demoStore()
        // Empty it at every location (an adjustment never takes one below zero).
        let coffeeID = try #require(try Catalog(store: store).lookup(code: "COF-001")).variantID
        for location in ["floor", "back"] {
            let held = try Inventory(store: store).onHand(variantID: coffeeID, location: location)
            if held > .zero {
                try StockOperations(store: store).adjust(sku: "COF-001", delta: -held, reason: .shrinkage, location: location, TillContext())
            }
        }
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
        try StockOperations(store: store).adjust(sku: "COF-001", delta: .one, reason: .received, TillContext())
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
        let draft = ProductDraft(sku: "COF-001", name: " ", barcodes: ["4006381333933", "4083086271492"], price: -5,
                                 cost: 100, taxClass: "luxury", reorderPoint: Quantity(milli: 500))
        let issues = try editor.validate(draft)
        let fields = Set(issues.filter { !$0.isWarning }.map(\.field))
        #expect(fields == ["sku", "name", "price", "tax_class", "barcode", "reorder_point"])
        let stolen = ProductDraft(sku: "NEW-2", name: "Thief", barcodes: ["4083086271492"], price: 100)
        #expect(try editor.validate(stolen).map(\.message) == ["4083086271492 already belongs to COF-001"])
        let cheap = ProductDraft(sku: "NEW-1", name: "Cheap", price: 50, cost: 100)
        #expect(try editor.validate(cheap) == [FieldIssue(field: "price", message: "below cost", isWarning: true)])
        #expect(throws: TillError.invalid("sku: COF-001 already exists; name: required; price: cannot be negative; reorder_point: whole units for items sold each; tax_class: unknown tax class \"luxury\" (known: reduced, standard, zero); barcode: 4006381333933: check digit is wrong (expected 1)")) { try editor.add(draft, TillContext()) }
        #expect(try Catalog(store: store).lookup(code: "NEW-1") == nil)
    }

    @Test func addAVariantEditArchiveAndAudit() throws {
        let shirt = ProductDraft(sku: "TEE-M", name: "Test Tee", option: "M", barcodes: ["4006381333931"], category: "Apparel",
                                 price: 1999, cost: 700, handle: "test-tee")
        let added = try editor.add(shirt, TillContext())
        var large = shirt
        large.sku = "TEE-L"
        large.option = "L"
        large.barcodes = []
        let second = try editor.add(large, TillContext())
        #expect(second.productID == added.productID)
        #expect(try Catalog(store: store).lookup(code: "4006381333931")?.sku == "TEE-M")
        var edited = try editor.draft(sku: "TEE-M")
        edited.price = 2499
        edited.sku = "TEE-MED"
        try editor.edit(sku: "TEE-M", edited, TillContext())
        #expect(try Catalog(store: store).lookup(code: "TEE-MED")?.price == 2499)
        #expect(try Catalog(store: store).lookup(code: "4006381333931")?.sku == "TEE-MED")
        try editor.setActive(sku: "TEE-L", false, TillContext())
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
        let preview = try editor.changePrices(category: "Bakery", change: .percent(-1000), apply: false, TillContext())
        #expect(preview.count == before.count)
        #expect(try Catalog(store: store).search("", category: "Bakery", limit: 100) == before)
        let applied = try editor.changePrices(category: "Bakery", change: .percent(-1000), apply: true, TillContext())
        #expect(applied == preview)
        let croissant = try #require(applied.first { $0.sku == "BAK-004" })
        #expect(croissant.newPrice == croissant.oldPrice - (croissant.oldPrice * 1000 + 5000) / 10_000)
        #expect(throws: TillError.invalid("BAK-004 would cost less than nothing")) { try editor.changePrices(skus: ["BAK-004"], change: .amount(-1_000_000), apply: true, TillContext()) }
    }

    @Test func categoriesAddRenameMove() throws {
        try editor.addCategory("Seasonal", TillContext())
        #expect(throws: TillError.duplicate("category \"seasonal\"")) { try editor.addCategory("seasonal", TillContext()) }
        try editor.moveToCategory(skus: ["BAK-018"], category: "Seasonal", TillContext())
        try editor.renameCategory("Seasonal", to: "Christmas", TillContext())
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
        #expect(throws: TillError.invalidAmount("ten", reason: "unexpected character \"t\"")) { try BulkPriceChange.parse("ten", currency: .EUR) }
    }
}

@Suite struct StoreSettingsEditorTests {
    @Test func settingsChangeCheckedAndAudited() throws {
        let store = try TestStores.demoStore()
        let editor = StoreSettingsEditor(store: store)
        try editor.set("cash_rounding", to: "0.05", TillContext())
        try editor.set("allow_negative_stock", to: "false", TillContext())
        try editor.set("gs1_variable_measure", to: "price", TillContext())
        let settings = try store.read { db in try StoreSettings.load(db) }
        #expect(settings.cashRoundingIncrement == 5 && !settings.allowNegativeStock && settings.variableMeasure == .price)
        #expect(throws: TillError.invalid("the currency is fixed once a store exists (every price is in it); make a new store with `till init --currency`")) { try editor.set("currency", to: "USD", TillContext()) }
        #expect(throws: TillError.invalid("allow_negative_stock takes true or false, not \"maybe\"")) { try editor.set("allow_negative_stock", to: "maybe", TillContext()) }
        #expect(throws: TillError.invalidAmount("0", reason: "cash rounding must be above zero")) { try editor.set("cash_rounding", to: "0", TillContext()) }
        #expect(throws: TillError.invalid("unknown setting \"colour\" (settable: name, tax_inclusive, cash_rounding, gs1_variable_measure, allow_negative_stock, discount_limit_percent, idle_lock_minutes, business_day_start_hour, time_zone, cash_requires_shift, blind_close, phone_country_code, misc_sku, card_capture, offline_credit_per_card, offline_credit_per_store)")) { try editor.set("colour", to: "red", TillContext()) }
        let audit = try AuditLog.entries(store, entity: "store_setting")
        #expect(audit.count == 3)
        #expect(audit.first?.before == #"{"gs1_variable_measure":"weight"}"# && audit.first?.after == #"{"gs1_variable_measure":"price"}"#)
        #expect(try editor.show().first { $0.0 == "cash_rounding" }?.1 == "0.05")
    }
}

/// Issue 13: case codes carry a pack quantity; one cleaning rule for every barcode path.
@Suite struct CaseCodeAndCleaningTests {
    let store: StoreDatabase
    let editor: CatalogEditor

    init() throws {
        store = try TestStores.demoStore()
        editor = CatalogEditor(store: store)
        try editor.add(ProductDraft(sku: "SOUP", name: "Tomato Soup", barcodes: ["036000291452"], price: 199,
                                    caseBarcodes: [try CaseBarcode.parse("10036000291459=12")]), TillContext())
    }

    func onHand(_ sku: String) throws -> Quantity {
        let item = try #require(try Catalog(store: store).lookup(code: sku))
        return try Inventory(store: store).onHand(variantID: item.variantID, location: "floor")
    }

    @Test func scanningACaseCodeAddsItsPack() throws {
        let scanned = try #require(try Catalog(store: store).resolveScan("10036000291459"))
        #expect(scanned.item.sku == "SOUP")
        #expect(scanned.pack == 12)
        #expect(try scanned.units() == .units(12))
        #expect(try scanned.units(typed: .units(2)) == .units(24))
        let unit = try #require(try Catalog(store: store).resolveScan("036000291452"))
        #expect(try unit.units(typed: .units(2)) == .units(2))
        let cart = try Carts(store: store).add(variantID: scanned.item.variantID, quantity: try scanned.units(),
                                               TestStores.context(store, staffID: nil, register: "main"))
        #expect(cart.lines.last?.quantity == .units(12))
        #expect(try editor.draft(sku: "SOUP").caseBarcodes == [CaseBarcode(code: "10036000291459", quantity: 12)])
    }

    @Test func receivingCasesReceivesTheirUnits() throws {
        let before = try onHand("SOUP")
        try StockOperations(store: store).receive(reference: "DN-77", lines: [
            try .parse("10036000291459=2@1.10", currency: .EUR),  // two cases of 12 at 1.10 a unit
            try .parse("036-000-291452=3", currency: .EUR),        // three single units, typed with hyphens
        ], TillContext())
        #expect(try onHand("SOUP") == before + .units(27))
        let entry = try #require(try AuditLog.entries(store, entity: "delivery").first)
        #expect(entry.after?.contains(#""case":"10036000291459=2""#) == true)
        #expect(entry.after?.contains(#""quantity":"24""#) == true)
    }

    @Test func caseCodesAreOneGTINWithTheRest() throws {
        // A case code cannot be another item's barcode, and is checked like any barcode.
        let clash = ProductDraft(sku: "OTHER", name: "Other", price: 100,
                                 caseBarcodes: [CaseBarcode(code: "10036000291459", quantity: 6)])
        #expect(try editor.validate(clash).map(\.description) == ["case_barcodes: 10036000291459 already belongs to SOUP"])
        #expect(throws: TillError.invalid("case barcode \"10036000291459=1\": the pack quantity is a whole number of units from 2 to 10000, not \"1\"")) {
            try CaseBarcode.parse("10036000291459=1")
        }
        #expect(throws: TillError.invalid("barcode \"10036000291458\": check digit is wrong (expected 9)")) {
            try CaseBarcode.parse("10036000291458=12")
        }
        let weighed = ProductDraft(sku: "LOOSE", name: "Loose", price: 100, unit: .kg,
                                   caseBarcodes: [CaseBarcode(code: "20036000291456", quantity: 6)])
        #expect(try editor.validate(weighed).map(\.description) == ["case_barcodes: 20036000291456: case codes are for items sold each"])
    }

    @Test func caseCodesRoundTripThroughTheProductCSV() throws {
        var csv = ""
        try Exporter(store: store).products(format: .csv) { csv += $0 }
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix(",active,case_barcodes,content") == true)
        let soup = try #require(lines.first { $0.contains(",SOUP,") })
        #expect(soup.contains(",036000291452,"))
        #expect(soup.hasSuffix(",10036000291459=12,"))
        let file = try TestStores.file("cases.csv", """
            sku,name,barcode,price,category,tax_class,case_barcodes
            SOUP,Tomato Soup,036000291452,1.99,,standard,10036000291459=24;20036000291456=6
            """)
        _ = try ProductImporter(store: store).importFile(path: file)
        #expect(try editor.draft(sku: "SOUP").caseBarcodes == [CaseBarcode(code: "10036000291459", quantity: 24),
                                                                CaseBarcode(code: "20036000291456", quantity: 6)])
        let bad = try TestStores.file("badcases.csv", """
            sku,name,barcode,price,category,tax_class,case_barcodes
            SOUP,Tomato Soup,036000291452,1.99,,standard,10036000291459
            """)
        #expect(throws: TillError.importFailed([ImportIssue(file: "badcases.csv", line: 2, column: "case_barcodes",
            reason: "case barcode \"10036000291459\": expected CODE=QUANTITY, e.g. 10036000291459=12")])) {
            try ProductImporter(store: store).importFile(path: bad)
        }
    }

    @Test func spacesHyphensAndInvisibleCharactersAreIgnoredEverywhere() throws {
        let typed = "\u{FEFF}4006-381\u{00A0}333 931\u{200B}"
        // product add
        try editor.add(ProductDraft(sku: "CLEAN", name: "Clean", barcodes: [typed], price: 100), TillContext())
        #expect(try editor.draft(sku: "CLEAN").barcodes == ["4006381333931"])
        // scan and lookup
        #expect(try Catalog(store: store).resolveScan("4006 381 333931")?.item.sku == "CLEAN")
        #expect(try Catalog(store: store).lookup(code: "4006381333931\u{200B}")?.sku == "CLEAN")
        // the edit form
        let form = ProductDraftText(values: ["sku": "FORM", "name": "Form", "price": "1.00",
                                             "barcodes": "5901-2341-23457, 96385074", "case_barcodes": "1 0036000 291459=12"])
        let read = form.draft(currency: .EUR)
        #expect(read.issues == [])
        #expect(read.draft?.barcodes == ["5901-2341-23457", "96385074"])
        #expect(read.draft?.caseBarcodes == [CaseBarcode(code: "10036000291459", quantity: 12)])
        // native and Shopify import
        let native = try TestStores.file("clean.csv", "sku,name,barcode,price,category,tax_class\nNAT,Native,\u{200B}5901-234 123457,1.00,,standard\n")
        _ = try ProductImporter(store: store).importFile(path: native)
        #expect(try editor.draft(sku: "NAT").barcodes == ["5901234123457"])
        let shopify = try TestStores.file("shopify.csv", """
            Handle,Title,Variant SKU,Variant Price,Variant Barcode
            shop-gum,Gum,SHOP-1,0.99,9638-5074\u{200B}
            """)
        _ = try ProductImporter(store: store).importFile(path: shopify, format: .shopify)
        #expect(try editor.draft(sku: "SHOP-1").barcodes == ["96385074"])
        // anything else that is not a digit is an error naming the input and the character
        let letter = ProductDraft(sku: "BAD", name: "Bad", barcodes: ["036O00291452"], price: 100)
        #expect(try editor.validate(letter).map(\.description)
                == ["barcode: 036O00291452: \"O\" (U+004F) is not a digit (a barcode has digits only; spaces and hyphens are ignored)"])
        let control = ProductDraft(sku: "BAD", name: "Bad", barcodes: ["0360\u{7}00291452"], price: 100)
        #expect(try editor.validate(control).map(\.description)
                == ["barcode: 0360\u{7}00291452: U+0007 is not a digit (a barcode has digits only; spaces and hyphens are ignored)"])
        let badFile = try TestStores.file("bad.csv", "sku,name,barcode,price,category,tax_class\nBAD,Bad,036O00291452,1.00,,standard\n")
        #expect(throws: TillError.importFailed([ImportIssue(file: "bad.csv", line: 2, column: "barcode",
            reason: "036O00291452: \"O\" (U+004F) is not a digit (a barcode has digits only; spaces and hyphens are ignored)")])) {
            try ProductImporter(store: store).importFile(path: badFile)
        }
    }
}
