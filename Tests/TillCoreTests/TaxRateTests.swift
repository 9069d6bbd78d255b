import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Tax classes and dated rates: managed by an admin, audited, and never changing a completed sale.
@Suite struct TaxRateTests {
    let store: StoreDatabase
    let rates: TaxRates
    let carts: Carts
    /// An hour after the demo history's last day, so the history counts as sold "before now".
    let now = TestStores.demoCreatedAt.addingTimeInterval(3600)
    var ctx: TillContext { TillContext().at(now) }

    init() throws {
        store = try TestStores.demoStore()
        rates = TaxRates(store: store)
        carts = Carts(store: store)
    }

    func variant(_ sku: String) throws -> Int64 { try #require(try Catalog(store: store).lookup(code: sku)).variantID }

    func staffID(_ username: String) throws -> Int64 {
        try #require(try store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM staff WHERE username = ?", arguments: [username]) })
    }

    func entry(_ code: String, at date: Date) throws -> TaxClassRates {
        try #require(try rates.list(TillContext().at(date)).first { $0.code == code })
    }

    /// Lines and totals of an order as stored.
    func stored(_ orderID: Int64) throws -> [Row] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT tax_class, tax_rate_ppm, tax, total FROM order_line WHERE order_id = ? ORDER BY position",
                             arguments: [orderID])
                + Row.fetchAll(db, sql: "SELECT subtotal, tax_total, total FROM orders WHERE id = ?", arguments: [orderID])
        }
    }

    @Test func aRateChangeReachesAnOpenCartWhenItIsPricedAndNeverACompletedSale() throws {
        let coffee = try variant("COF-001")  // reduced, 7 % included, 2.69
        let sale = try Checkout(store: store).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: coffee, quantity: .units(2))], tenders: [Tender(method: .cash, amount: 10_000)]), try TestStores.openTill(store, at: now))
        let soldAsStored = try stored(try #require(sale.order.id))
        #expect(sale.lines[0].taxRatePPM == 70_000 && sale.lines[0].tax == 35)  // 5.38 × 7/107 = 0.352
        var cart = try carts.add(variantID: coffee, quantity: .units(2), TestStores.context(store, staffID: nil, register: "r", at: now))
        #expect(cart.lines[0].taxRatePPM == 70_000 && cart.order.taxTotal == 35)

        try rates.set(ctx.at(now.addingTimeInterval(60)), code: "reduced", rate: "10")

        cart = try carts.setQuantity(cartID: cart.id, position: 1, quantity: .units(2), TestStores.context(store, staffID: nil, at: now.addingTimeInterval(120)))
        #expect(cart.lines[0].taxRatePPM == 100_000)
        #expect(cart.order.taxTotal == 49 && cart.order.total == 538)  // 5.38 × 10/110 = 0.489
        #expect(try carts.cart(id: cart.id).lines[0].taxRatePPM == 100_000)  // stored, not just shown
        #expect(try stored(try #require(sale.order.id)) == soldAsStored)
        #expect(try Orders(store: store).detail(number: sale.number).taxes.map { $0.ratePPM } == [70_000])
    }

    /// The store keeps dates to the millisecond: a rate set "now" at 0.9996 s must not read back as scheduled.
    @Test func aRateSetNowIsInForceAtOnce() throws {
        let moment = TillContext().at(now.addingTimeInterval(0.9996))
        let changed = try rates.set(moment, code: "standard", rate: "21")
        #expect(changed.current == DatedTaxRate(ratePPM: 210_000, effectiveFrom: now) && changed.scheduled.isEmpty)
        #expect(try entry("standard", at: now.addingTimeInterval(0.9996)).current.ratePPM == 210_000)
    }

    @Test func aFutureDateSchedulesTheRateAndItTakesEffectThatDay() throws {
        let shirt = try variant("APP-001-01")  // standard, 19 % included
        let calendar = Calendar.current
        let day = calendar.startOfDay(for: now.addingTimeInterval(3 * 86_400))
        let dayText = TaxRates.day(day)
        try rates.set(ctx, code: "standard", rate: "21", from: try TaxRates.parseDay(dayText))

        let before = try entry("standard", at: now)
        #expect(before.current == DatedTaxRate(ratePPM: 190_000, effectiveFrom: TaxRates.openingDate))
        #expect(before.scheduled == [DatedTaxRate(ratePPM: 210_000, effectiveFrom: day)])
        var cart = try carts.add(variantID: shirt, TestStores.context(store, staffID: nil, register: "r", at: day.addingTimeInterval(-60)))
        #expect(cart.lines[0].taxRatePPM == 190_000)
        cart = try carts.add(variantID: shirt, TestStores.context(store, staffID: nil, register: "r", at: day.addingTimeInterval(60)))
        #expect(cart.lines[0].taxRatePPM == 210_000 && cart.lines[0].quantity == .units(2))
        let after = try entry("standard", at: day.addingTimeInterval(60))
        #expect(after.current == DatedTaxRate(ratePPM: 210_000, effectiveFrom: day) && after.scheduled.isEmpty)
    }

    @Test func aPastDateIsRefusedOnceTheClassHasSoldSinceAndAcceptedWhenNot() throws {
        let from = try TaxRates.parseDay("2026-11-01")
        let sales = try #require(try store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(DISTINCT o.id) FROM orders o JOIN order_line l ON l.order_id = o.id
                WHERE o.number IS NOT NULL AND l.tax_class = 'standard' AND o.completed_at >= ?
                """, arguments: [from])
        })
        #expect(sales > 0)
        #expect(throws: TillError.invalid("cannot change standard from 2026-11-01: \(sales) sales in the class since then kept the rate they were sold at; set it from now or a later date")) {
            try rates.set(ctx, code: "standard", rate: "21", from: from)
        }
        #expect(try entry("standard", at: now).scheduled.isEmpty && entry("standard", at: now).current.ratePPM == 190_000)

        try rates.add(ctx, code: "books", name: "Books", rate: "5")
        try rates.set(ctx, code: "books", rate: "6", from: from)
        #expect(try entry("books", at: now).current == DatedTaxRate(ratePPM: 60_000, effectiveFrom: from))
    }

    @Test func archivingRefusesAClassInUseAndAnArchivedClassCannotBeChosen() throws {
        let reducedProducts = try #require(try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM product p JOIN tax_class t ON t.id = p.tax_class_id WHERE t.code = 'reduced'")
        })
        #expect(reducedProducts > 1)
        #expect(throws: TillError.invalid("tax class reduced is used by \(reducedProducts) products; move them to another class before archiving it")) {
            try rates.archive(ctx, code: "reduced")
        }
        try rates.add(ctx, code: "temp", name: "Temporary", rate: "3")
        try rates.archive(ctx, code: "temp")
        let listed = try rates.list(ctx)
        #expect(listed.last?.code == "temp" && listed.last?.active == false)
        #expect(listed.filter(\.active).map(\.code) == ["reduced", "standard", "zero"])

        #expect(throws: TillError.invalid("tax_class: archived tax class \"temp\" (known: reduced, standard, zero)")) {
            try CatalogEditor(store: store).add(ProductDraft(sku: "T-1", name: "Thing", price: 100, taxClass: "temp"), TillContext())
        }
        let file = try TestStores.file("p.csv", "sku,name,barcode,price,category,tax_class\nT-2,Thing,,1.00,Misc,temp\n")
        #expect(throws: TillError.importFailed([ImportIssue(file: "p.csv", line: 2, column: "tax_class",
                                                            reason: "archived tax class \"temp\" (known: reduced, standard, zero)")])) {
            try ProductImporter(store: store).importFile(path: file)
        }
        #expect(throws: TillError.invalid("tax class temp is archived; its rate cannot change")) {
            try rates.set(ctx, code: "temp", rate: "4")
        }
        #expect(throws: TillError.invalid("tax class temp is already archived")) { try rates.archive(ctx, code: "temp") }
        #expect(throws: TillError.duplicate("tax class \"temp\" (archived)")) {
            try rates.add(ctx, code: "TEMP", name: "Again", rate: "3")
        }
    }

    @Test func onlyAnAdminChangesTaxAndEveryChangeIsAudited() throws {
        let manager = ctx.acting(as: try staffID("max"))
        #expect(throws: TillError.permissionDenied("max (manager) may not change store settings; only an admin may")) {
            try rates.set(manager, code: "standard", rate: "21")
        }
        #expect(throws: TillError.permissionDenied("max (manager) may not change store settings; only an admin may")) {
            try rates.add(manager, code: "books", name: "Books", rate: "5")
        }
        let admin = ctx.acting(as: try staffID("ada"))
        try rates.add(admin, code: "books", name: "Books", rate: "5")
        try rates.set(admin, code: "books", rate: "6")
        try rates.archive(admin, code: "books")
        let audit = try AuditLog.entries(store, entity: "tax_class")
        #expect(audit.map(\.action) == ["tax.archive", "tax.rate", "tax.add"])
        #expect(audit.allSatisfy { $0.staff == "ada" && $0.at == now })
        #expect(audit[1].before == #"{"code":"books","rate":"5"}"#)
        #expect(audit[1].after == #"{"code":"books","from":"\#(now.ISO8601Format())","rate":"6"}"#)
    }

    @Test func badInputIsNamed() throws {
        #expect(throws: TillError.invalid("invalid date \"2026-02-30\": expected a day as YYYY-MM-DD")) { try TaxRates.parseDay("2026-02-30") }
        #expect(throws: TillError.invalid("invalid date \"next week\": expected a day as YYYY-MM-DD")) { try TaxRates.parseDay("next week") }
        #expect(throws: TillError.invalid("invalid tax class code \"a b\": use up to 32 letters, digits, - or _")) {
            try rates.add(ctx, code: "a b", name: "Spaced", rate: "5")
        }
        #expect(throws: TillError.invalid("tax class books needs a name")) { try rates.add(ctx, code: "books", name: " ", rate: "5") }
        #expect(throws: TillError.invalid("invalid tax rate \"lots\": expected a percentage such as 19 or 8.875")) {
            try rates.set(ctx, code: "standard", rate: "lots")
        }
        #expect(throws: TillError.notFound("tax class \"vat\" (known: reduced, standard, zero)")) {
            try rates.set(ctx, code: "vat", rate: "20")
        }
        #expect(try AuditLog.entries(store, entity: "tax_class").isEmpty)
    }

    /// `till init --empty` makes two 0 % classes; the new use cases make the store one that charges tax.
    @Test func anEmptyStoreIsMadeUsable() throws {
        let empty = try StoreSetup.create(at: TestStores.temporaryPath(), options: StoreSetupOptions(
            demoData: nil, pinHasher: TestStores.testHasher, now: now))
        let emptyRates = TaxRates(store: empty)
        #expect(try emptyRates.list(ctx).map { "\($0.code) \($0.current.ratePPM)" } == ["standard 0", "zero 0"])
        try emptyRates.set(ctx, code: "standard", rate: "19")
        try emptyRates.add(ctx, code: "reduced", name: "Reduced rate", rate: "7")
        let item = try CatalogEditor(store: empty).add(ProductDraft(sku: "B-1", name: "Book", price: 1000, taxClass: "reduced"), TillContext())
        let tea = try CatalogEditor(store: empty).add(ProductDraft(sku: "W-1", name: "Wine", price: 1000, taxClass: "standard"), TillContext())
        let sale = try Checkout(store: empty).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: item.variantID, quantity: .one), SaleLineRequest(variantID: tea.variantID, quantity: .one)],
            tenders: [Tender(method: .cash, amount: 5_000)]), try TestStores.openTill(empty, at: now.addingTimeInterval(60)))
        #expect(sale.order.taxTotal == 70 + 190 && sale.order.total == 2260)  // prices exclude tax in an empty store
    }

    /// A store made before dated rates keeps its classes' rates, now as opening rates.
    @Test func theMigrationCarriesExistingRatesOver() throws {
        let queue = try DatabaseQueue()
        try StoreMigrations.migrator.migrate(queue, upTo: "v8-line-snapshots")
        try queue.write { db in try db.execute(sql: "INSERT INTO tax_class(code, name, rate_ppm) VALUES ('std', 'Standard', 190000)") }
        try StoreMigrations.migrator.migrate(queue)
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT rate_ppm, effective_from FROM tax_rate")
            #expect(rows.count == 1)
            #expect(rows.first?["rate_ppm"] == 190_000 as Int64)
            #expect(rows.first?["effective_from"] == TaxRates.openingDate)
            #expect(try TaxRates.rate(db, classCode: "std", at: TestStores.demoCreatedAt) == 190_000)
            #expect(try TaxClass.fetchOne(db)?.active == true)
        }
    }
}
