import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct ContentSizeTests {
    @Test func contentsAreReadExactlyInThousandthsOfTheirBaseUnit() throws {
        let cases: [(String, Int64, ContentSize.Unit, String)] = [
            ("0.75l", 750, .l, "750 ml"), ("750 ml", 750, .l, "750 ml"), ("75cl", 750, .l, "750 ml"), ("1,5 L", 1500, .l, "1.5 l"),
            ("500g", 500, .kg, "500 g"), ("1kg", 1000, .kg, "1 kg"), ("0.125 kg", 125, .kg, "125 g"), ("2.5m", 2500, .m, "2.5 m"),
            ("50 cm", 500, .m, "500 mm"), ("3 mm", 3, .m, "3 mm"),
        ]
        for (text, milli, unit, shown) in cases {
            let content = try ContentSize.parse(text)
            #expect(content == ContentSize(milli: milli, unit: unit), "\(text)")
            #expect(content.description == shown, "\(text)")
            #expect(try ContentSize.parse(content.storageValue) == content, "\(text) round-trips")
        }
        let refusals: [(String, String)] = [
            ("0.5g", "content \"0.5g\": finer than 1 g cannot be stated"),
            ("0l", "content \"0l\": must be more than zero"),
            ("3", "content \"3\": give its unit (kg, g, l, cl, ml, m, cm or mm), e.g. 0.75l or 500g"),
            ("3 oz", "content \"3 oz\": unknown unit \"oz\" (kg, g, l, cl, ml, m, cm or mm)"),
            ("kg", "content \"kg\": expected a number and a unit, e.g. 0.75l or 500g"),
            ("-1l", "content \"-1l\": must be more than zero"),
            ("1.2345l", "content \"1.2345l\": expected a number and a unit, e.g. 0.75l or 500g"),
            ("200000kg", "content \"200000kg\": too large"),
        ]
        for (bad, message) in refusals {
            #expect(throws: TillError.invalid(message), "\(bad)") { try ContentSize.parse(bad) }
        }
    }

    @Test func unitPricesArePriceTimesAThousandOverTheContentRoundedHalfAwayFromZero() throws {
        // price (minor units), content → price per 1 kg / 1 l, worked by hand.
        let cases: [(Int64, String, Int64)] = [
            (249, "0.75l", 332),    // 249 000 / 750 = 332
            (89, "330ml", 270),     // 89 000 / 330 = 269.69…
            (199, "500g", 398),     // 199 000 / 500 = 398
            (299, "750g", 399),     // 299 000 / 750 = 398.67
            (5, "2l", 3),           // 2.5 → 3: half away from zero
            (1, "2l", 1),           // 0.5 → 1
            (1, "3kg", 0),          // 0.33 → 0
            (1_099, "1.5kg", 733),  // 732.67
            (2_500, "25cm", 10_000),
        ]
        for (price, content, expected) in cases {
            #expect(try ContentSize.parse(content).unitPrice(of: price) == expected, "\(price) for \(content)")
        }
    }
}

@Suite struct LabelQueueTests {
    let store: StoreDatabase
    let queue: LabelQueue
    let ctx: TillContext
    let t0: Date

    init() throws {
        store = try TestStores.demoStore()
        queue = LabelQueue(store: store)
        t0 = TestStores.demoCreatedAt.addingTimeInterval(3_600)
        ctx = TillContext().at(t0)
    }

    func waiting(at date: Date? = nil) throws -> [String: LabelReason] {
        Dictionary(uniqueKeysWithValues: try queue.pending(date.map { ctx.at($0) } ?? ctx).map { ($0.label.sku, $0.reason) })
    }

    func staffID(_ username: String) throws -> Int64 {
        try #require(try Staff(store: store).all().first { $0.username == username }?.id)
    }

    @Test func aNewDemoStoreHasNothingWaiting() throws {
        #expect(try waiting().isEmpty)
    }

    @Test func everyPathThatChangesAPriceQueuesItsLabel() throws {
        let editor = CatalogEditor(store: store)
        // The journey: a category's prices up by 5 %, then the labels that changed.
        let rows = try editor.changePrices(category: "Coffee & Tea", change: .percent(500), apply: true, ctx)
        let changed = Set(rows.filter { $0.newPrice != $0.oldPrice }.map(\.sku))
        #expect(changed.count > 10)
        #expect(try waiting() == Dictionary(uniqueKeysWithValues: changed.map { ($0, .price) }))
        // A preview changes nothing and queues nothing.
        _ = try editor.changePrices(category: "Bakery", change: .percent(500), apply: false, ctx)
        #expect(try waiting().keys.allSatisfy { changed.contains($0) })
        _ = try queue.clear(ctx)

        // An edit that keeps the price queues nothing; one that changes it does.
        var draft = try editor.draft(sku: "BAK-002")
        draft.name = "Roggenbrot 750 g (neu)"
        try editor.edit(sku: "BAK-002", draft, ctx)
        #expect(try waiting().isEmpty)
        draft.price = 319
        try editor.edit(sku: "BAK-002", draft, ctx)
        #expect(try waiting() == ["BAK-002": .price])

        // An import that changes a price, and one that does not.
        let file = try TestStores.file("prices.csv", """
            sku,name,barcode,price,category,tax_class
            SNK-001,Sea Salt Crisps,4070700253460,3.49,Snacks & Sweets,standard
            DRK-003,Cola 330 ml,4099642477208,7.69,Drinks,standard
            """)
        _ = try ProductImporter(store: store).importFile(path: file)
        #expect(try waiting() == ["BAK-002": .price, "SNK-001": .price])

        // Head office's price from its scheduled time.
        try store.write { db in
            try db.execute(sql: "INSERT INTO scheduled_price(sku, price, effective_at, version) VALUES ('COF-002', 1999, ?, 7)",
                           arguments: [t0])
        }
        #expect(try ChainPrices.applyDue(store, now: t0) == 1)
        #expect(try waiting()["COF-002"] == .price)
    }

    @Test func theFirstDeliveryOfAnItemThatNeverHadStockQueuesItsLabel() throws {
        let editor = CatalogEditor(store: store)
        try editor.add(ProductDraft(sku: "NEW-001", name: "Oat Drink", barcodes: ["4006381333931"], category: "Drinks", price: 219,
                                    content: try ContentSize.parse("1l")), ctx)
        #expect(try waiting().isEmpty, "a product that is not on a shelf yet needs no label")
        let ops = StockOperations(store: store)
        try ops.receive(reference: "DN-9", lines: [.init(sku: "NEW-001", quantity: .units(12), cost: 90)], ctx)
        let entries = try queue.pending(ctx)
        #expect(entries.map(\.label.sku) == ["NEW-001"] && entries.first?.reason == .newItem)
        #expect(entries.first?.queuedAt == t0, "queued at the delivery's time")
        #expect(entries.first?.label.unitPriceText == "1 l (1 l = €2.19)")
        // The rest of the delivery, and a delivery of an item the shop has had: nothing more.
        _ = try queue.clear(ctx)
        try ops.receive(reference: "DN-9", lines: [.init(sku: "NEW-001", quantity: .units(6))], again: true, ctx)
        try ops.receive(reference: "DN-10", lines: [.init(sku: "COF-001", quantity: .units(6))], ctx)
        #expect(try waiting().isEmpty)
    }

    @Test func promotionsQueueTheirItemsWhenTheyBeginAndWhenTheyEnd() throws {
        let promotions = Promotions(store: store)
        let start = t0.addingTimeInterval(3_600), end = t0.addingTimeInterval(3 * 3_600)
        try promotions.add(name: "Coffee week", .categoryPercent(category: "Coffee & Tea", basisPoints: 2_000), from: start, until: end, ctx)
        let coffee = try store.read { db in
            try String.fetchAll(db, sql: """
                SELECT v.sku FROM variant v JOIN product p ON p.id = v.product_id JOIN category c ON c.id = p.category_id
                WHERE c.name = 'Coffee & Tea' AND v.active AND p.active
                """)
        }
        #expect(try waiting().isEmpty, "not begun yet")
        // The register does not apply it before its time, applies it during, and not after.
        let line = [SaleLineRequest(variantID: try #require(try Catalog(store: store).lookup(code: "COF-001")).variantID, quantity: .one)]
        #expect(try Checkout(store: store).quote(lines: line, orderDiscount: nil, at: t0).discountTotal == 0)
        #expect(try Checkout(store: store).quote(lines: line, orderDiscount: nil, at: start.addingTimeInterval(60)).discountTotal == 54)  // 20 % of 2.69
        #expect(try Checkout(store: store).quote(lines: line, orderDiscount: nil, at: end).discountTotal == 0)

        let during = start.addingTimeInterval(60)
        #expect(Set(try waiting(at: during).keys) == Set(coffee))
        #expect(Set(try waiting(at: during).values) == [.promotionStart])
        let label = try #require(try queue.pending(ctx.at(during)).first { $0.label.sku == "COF-001" }).label
        #expect(label.price == 269 && label.promotionPrice == 215 && label.promotion == "Coffee week")
        #expect(label.priceText == "€2.15" && label.wasText == "was €2.69")
        // Printed; looking again during the promotion queues nothing more.
        let result = try queue.print(LabelPrintJob(format: .zpl), destination: "test", ctx.at(during)) { _ in }
        #expect(result.cleared == coffee.count)
        #expect(try waiting(at: during.addingTimeInterval(60)).isEmpty)
        // Its end passes while nobody looks: the next look queues the items back at their own price.
        let after = end.addingTimeInterval(600)
        #expect(Set(try waiting(at: after).values) == [.promotionEnd])
        let back = try #require(try queue.pending(ctx.at(after)).first { $0.label.sku == "COF-001" }).label
        #expect(back.promotionPrice == nil && back.priceText == "€2.69")
    }

    @Test func aPromotionAddedWithAStartInThePastIsNotMissedAndEndingOneQueuesItsItems() throws {
        let promotions = Promotions(store: store)
        _ = try waiting()  // a look at t0
        let crisps = try promotions.add(name: "Decaf 3 for 2", .buyXGetY(sku: "COF-003", buy: 2, free: 1),
                                        from: t0.addingTimeInterval(-86_400), until: nil, ctx)
        #expect(try waiting() == ["COF-003": .promotionStart])
        let label = try #require(try queue.pending(ctx).first).label
        #expect(label.promotionPrice == nil && label.promotion == "Decaf 3 for 2", "a deal on several units names itself")
        _ = try queue.clear(ctx)
        try promotions.end(id: crisps.id, ctx.at(t0.addingTimeInterval(60)))
        #expect(try waiting(at: t0.addingTimeInterval(120)) == ["COF-003": .promotionEnd])
        // The demo's own running promotions: removing one that is on the shelves queues its items.
        _ = try queue.clear(ctx)
        try store.write { db in try db.execute(sql: "DELETE FROM promotion WHERE kind = 'multi_buy'") }
        #expect(try waiting() == ["DRK-003": .promotionEnd])
    }

    @Test func queueingAgainUpdatesTheEntryAndPrintingClearsOnlyWhatItPrinted() throws {
        let editor = CatalogEditor(store: store)
        _ = try editor.changePrices(skus: ["COF-001", "COF-002"], change: .amount(10), apply: true, ctx)
        try queue.add(skus: ["COF-001"], ctx.at(t0.addingTimeInterval(5)))
        let entries = try queue.pending(ctx)
        #expect(entries.map(\.reason) == [.manual, .price])
        #expect(entries[0].revision == 2 && entries[0].queuedAt == t0.addingTimeInterval(5))

        // A printer that fails leaves every label waiting.
        struct Jammed: Error {}
        #expect(throws: Jammed.self) { try queue.print(LabelPrintJob(), destination: "test", ctx) { _ in throw Jammed() } }
        #expect(try queue.pending(ctx).count == 2)

        // A price changed while the labels are printing: that label waits for the next run.
        let result = try queue.print(LabelPrintJob(), destination: "test", ctx) { bytes in
            #expect(!bytes.isEmpty)
            _ = try editor.changePrices(skus: ["COF-002"], change: .amount(10), apply: true, ctx)
        }
        #expect(result.labels.count == 2 && result.cleared == 1)
        #expect(try waiting() == ["COF-002": .price])
        let audit = try #require(try AuditLog.entries(store).first { $0.action == "labels.print" })
        #expect(audit.after?.contains("\"cleared\":1") == true)
    }

    @Test func printingAndClearingNeedTheCatalogRightAndListingDoesNot() throws {
        _ = try CatalogEditor(store: store).changePrices(skus: ["COF-001"], change: .amount(10), apply: true, ctx)
        let cashier = ctx.acting(as: try staffID("ana"))
        #expect(try queue.pending(cashier).count == 1)
        let refusal = TillError.permissionDenied("ana (cashier) may not edit products and prices; a manager must approve")
        #expect(throws: refusal) { try queue.print(LabelPrintJob(), destination: "test", cashier) { _ in } }
        #expect(throws: refusal) { try queue.clear(cashier) }
        #expect(throws: refusal) { try queue.add(skus: ["COF-002"], cashier) }
        #expect(try queue.pending(cashier).count == 1)
        let manager = ctx.acting(as: try staffID("max"))
        #expect(try queue.print(LabelPrintJob(), destination: "test", manager) { _ in }.cleared == 1)
    }

    @Test func labelsShowThePriceInForceAndTheUnitPrice() throws {
        let editor = CatalogEditor(store: store)
        var bread = try editor.draft(sku: "BAK-002")
        bread.content = try ContentSize.parse("750g")
        try editor.edit(sku: "BAK-002", bread, ctx)
        #expect(try editor.draft(sku: "BAK-002").content == ContentSize(milli: 750, unit: .kg))
        let labels = try queue.labels(skus: ["BAK-002", "PRO-001", "DRK-003"], ctx)
        // Bakery 10 % off (the demo's): 2.99 − 0.30 = 2.69, and 2.69 for 750 g is 3.5867 → 3.59 a kg.
        #expect(labels[0].promotionPrice == 269 && labels[0].promotion == "Bakery 10% off")
        #expect(labels[0].unitPriceText == "750 g (1 kg = €3.59)")
        #expect(labels[0].barcode == LabelBarcode(symbology: .ean13, value: "4065898366917"))
        // Bananas are sold by weight: the price is per kg, and no content is asked for.
        #expect(labels[1].priceText == "€6.35 / kg" && labels[1].unitPrice == UnitPrice(amount: 635, unit: .kg))
        #expect(labels[1].unitPriceText == nil)
        // Cola, 3 for 20.00: one can's price stays; the label names the deal.
        #expect(labels[2].promotionPrice == nil && labels[2].promotion == "Cola: 3 for 20.00")
        var bananas = try editor.draft(sku: "PRO-001")
        bananas.content = try ContentSize.parse("1kg")
        #expect(throws: TillError.invalid("content: goods sold by weight need none: their price is per kg")) {
            try editor.edit(sku: "PRO-001", bananas, ctx)
        }
    }

    @Test func contentRoundTripsThroughTheProductFileAndTheEditForm() throws {
        let editor = CatalogEditor(store: store)
        var cola = try editor.draft(sku: "DRK-003")
        cola.content = try ContentSize.parse("330ml")
        try editor.edit(sku: "DRK-003", cola, ctx)
        var csv = ""
        try Exporter(store: store).products(format: .csv) { csv += $0 }
        let header = try #require(csv.split(separator: "\n").first)
        #expect(header.hasSuffix(",case_barcodes,content"))
        #expect(csv.contains(",0.33l\n"))
        // The edit form does not show it, and keeps it.
        let text = ProductDraftText(try editor.draft(sku: "DRK-003"), currency: try Currency.named("EUR"))
        #expect(text.draft(currency: try Currency.named("EUR")).draft?.content == ContentSize(milli: 330, unit: .l))
        // A file without the column keeps what the store has; one with it sets or clears it.
        _ = try ProductImporter(store: store).importFile(path: try TestStores.file("a.csv", """
            sku,name,barcode,price,category,tax_class
            DRK-003,Cola 330 ml,4099642477208,7.69,Drinks,standard
            """))
        #expect(try editor.draft(sku: "DRK-003").content == ContentSize(milli: 330, unit: .l))
        let summary = try ProductImporter(store: store).importFile(path: try TestStores.file("b.csv", """
            sku,name,barcode,price,category,tax_class,content
            DRK-003,Cola 330 ml,4099642477208,7.69,Drinks,standard,
            """))
        #expect(summary.updated == 1)
        #expect(try editor.draft(sku: "DRK-003").content == nil)
        #expect(throws: TillError.importFailed([ImportIssue(file: "c.csv", line: 2, column: "content",
                                                            reason: "goods sold by weight need none: their price is per kg")])) {
            try ProductImporter(store: store).importFile(path: try TestStores.file("c.csv", """
                sku,name,barcode,price,category,tax_class,content,unit
                PRO-001,Bananas,2100001000004,6.35,Fruit & Vegetables,reduced,1kg,kg
                """))
        }
        #expect(try StoreDoctor(store: store).examine().passed)
    }
}
