import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct CheckoutTests {
    let store: StoreDatabase
    let catalog: Catalog
    let inventory: Inventory
    /// A cashier at a till with its shift open: these tests are about the sale, not the drawer.
    let ctx: TillContext

    init() throws {
        store = try TestStores.demoStore()
        catalog = Catalog(store: store)
        inventory = Inventory(store: store)
        ctx = try TestStores.openTill(store)
    }

    func item(_ sku: String) throws -> CatalogItem { try #require(try catalog.lookup(code: sku)) }

    @Test func aSaleWritesEverythingAndStockGoesDownByExactlyTheQuantities() throws {
        let coffee = try item("COF-001")
        let bananas = try item("PRO-001")
        let coffeeBefore = try inventory.onHand(variantID: coffee.variantID, location: "floor")
        let bananasBefore = try inventory.onHand(variantID: bananas.variantID, location: "floor")
        let backBefore = try inventory.onHand(variantID: coffee.variantID, location: "back")
        let sale = try Checkout(store: store).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(2)),
                    SaleLineRequest(variantID: bananas.variantID, quantity: Quantity(milli: 450))],
            tenders: [Tender(method: .cash, amount: 10_000)]), ctx)
        let expectedTotal = coffee.price * 2 + (bananas.price * 450 + 500) / 1000
        #expect(sale.order.total == expectedTotal)
        #expect(sale.change == 10_000 - expectedTotal)
        #expect(try inventory.onHand(variantID: coffee.variantID, location: "floor") == coffeeBefore - .units(2))
        #expect(try inventory.onHand(variantID: bananas.variantID, location: "floor") == bananasBefore - Quantity(milli: 450))
        #expect(try inventory.onHand(variantID: coffee.variantID, location: "back") == backBefore)

        let detail = try Orders(store: store).detail(number: sale.number)
        #expect(detail.lines.count == 2)
        #expect(detail.payments.map(\.amount) == [expectedTotal])
        #expect(detail.payments.first?.tendered == 10_000)
        let movements = try inventory.movements(variantID: coffee.variantID, limit: 1)
        #expect(movements.first?.reference == "order:\(sale.number)")
        #expect(movements.first?.reason == .sale)
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func orderNumbersAreSequential() throws {
        let coffee = try item("COF-001")
        let request = SaleRequest(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)],
                                  tenders: [Tender(method: .cash)])
        let first = try Checkout(store: store).completeSale(request, ctx)
        let second = try Checkout(store: store).completeSale(request, ctx)
        #expect(second.number == first.number + 1)
        let fresh = try TestStores.emptyStore()
        #expect(try Orders(store: fresh).count() == 0)
    }

    @Test func aFailureHalfwayLeavesNothingBehind() throws {
        let coffee = try item("COF-001")
        let before = try TestStores.saleTableCounts(store)
        let stockBefore = try inventory.onHand(variantID: coffee.variantID, location: "floor")
        // The payment row is written after the order, its lines and the stock movements: make it fail.
        try store.pool.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER fail_payment BEFORE INSERT ON payment
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)
        }
        #expect(throws: (any Error).self) {
            try Checkout(store: store).completeSale(SaleRequest(
                lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(3))],
                tenders: [Tender(method: .cash)]), ctx)
        }
        #expect(try TestStores.saleTableCounts(store) == before)
        #expect(try inventory.onHand(variantID: coffee.variantID, location: "floor") == stockBefore)
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func paymentsMustCoverTheTotalExactly() throws {
        let coffee = try item("COF-001")
        let before = try TestStores.saleTableCounts(store)
        let lines = [SaleLineRequest(variantID: coffee.variantID, quantity: .one)]
        #expect(throws: TillError.invalid("payments are €2.68 short of the €2.69 due")) {
            try Checkout(store: store).completeSale(SaleRequest(lines: lines, tenders: [Tender(method: .cash, amount: 1)]), ctx)
        }
        #expect(throws: TillError.invalid("a card payment needs the card's token, brand and last four")) {
            try Checkout(store: store).completeSale(SaleRequest(lines: lines, tenders: [Tender(method: .card)]), ctx)
        }
        let card = try CardDetails(token: "tok_123", brand: "visa", last4: "4242")
        #expect(throws: TillError.invalid("card payment of €2.70 is more than the €2.69 due")) {
            try Checkout(store: store).completeSale(SaleRequest(
                lines: lines, tenders: [Tender(method: .card, amount: coffee.price + 1, card: card)]), ctx)
        }
        #expect(throws: TillError.invalid("a sale needs at least one item")) {
            try Checkout(store: store).completeSale(SaleRequest(lines: [], tenders: [Tender(method: .cash)]), ctx)
        }
        #expect(try TestStores.saleTableCounts(store) == before)
    }

    @Test func splitTenderAndCardDetails() throws {
        let coffee = try item("COF-002")
        let card = try CardDetails(token: "tok_abc", brand: "visa", last4: "4242")
        let sale = try Checkout(store: store).completeSale(SaleRequest(
            lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(1))],
            tenders: [Tender(method: .card, amount: 500, card: card), Tender(method: .cash, amount: 5000)]), ctx)
        #expect(sale.payments.map(\.method) == [.card, .cash])
        #expect(sale.payments[0].cardLast4 == "4242")
        #expect(sale.payments[1].amount == coffee.price - 500)
        #expect(sale.payments[1].change == 5000 - (coffee.price - 500))
    }

    @Test func aCardNumberIsNeverAcceptedAsAToken() {
        #expect(throws: TillError.invalid("card token must be the gateway's token, not a card number")) { try CardDetails(token: "4242424242424242", brand: "visa", last4: "4242") }
        #expect(throws: TillError.invalid("card last four must be 4 digits, got \"42a2\"")) { try CardDetails(token: "tok", brand: "visa", last4: "42a2") }
    }

    @Test func archivedItemsAndFractionalEachItemsAreRefused() throws {
        let coffee = try item("COF-001")
        #expect(throws: TillError.invalidQuantity("0.5", reason: "COF-001 is sold in whole units")) {
            try Checkout(store: store).completeSale(SaleRequest(
                lines: [SaleLineRequest(variantID: coffee.variantID, quantity: Quantity(milli: 500))],
                tenders: [Tender(method: .cash)]), ctx)
        }
        let archived = try #require(try catalog.search("", limit: 500).first { !$0.active })
        #expect(throws: TillError.invalid("COF-008 (English Breakfast 80 bags) is archived and cannot be sold")) {
            try Checkout(store: store).completeSale(SaleRequest(
                lines: [SaleLineRequest(variantID: archived.variantID, quantity: .one)], tenders: [Tender(method: .cash)]), ctx)
        }
    }
}

@Suite struct LedgerTests {
    @Test func onHandEqualsTheSumOfTheLedger() throws {
        let store = try TestStores.demoStore()
        let mismatches = try store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM stock_level l
                WHERE l.on_hand_milli <> (SELECT SUM(delta_milli) FROM stock_movement m
                                          WHERE m.variant_id = l.variant_id AND m.location_id = l.location_id)
                """)
        }
        #expect(mismatches == 0)
        let sold = try store.read { db in
            try Int64.fetchOne(db, sql: "SELECT -SUM(delta_milli) FROM stock_movement WHERE reason = 'sale'")
        }
        let lines = try store.read { db in try Int64.fetchOne(db, sql: "SELECT SUM(quantity_milli) FROM order_line") }
        #expect(sold == lines)
    }

    @Test func theLedgerIsAppendOnly() throws {
        let store = try TestStores.demoStore()
        #expect(throws: (any Error).self) {
            try store.write { db in try db.execute(sql: "UPDATE stock_movement SET delta_milli = 1 WHERE id = 1") }
        }
        #expect(throws: (any Error).self) {
            try store.write { db in try db.execute(sql: "DELETE FROM stock_movement WHERE id = 1") }
        }
    }

    @Test func doctorNoticesALevelThatDisagreesWithTheLedger() throws {
        let store = try TestStores.demoStore()
        try store.write { db in try db.execute(sql: "UPDATE stock_level SET on_hand_milli = on_hand_milli + 1000 WHERE variant_id = (SELECT MIN(variant_id) FROM stock_level)") }
        let report = try StoreDoctor(store: store).examine()
        #expect(!report.passed)
        #expect(report.checks.first { $0.name == "ledger == on-hand" }?.passed == false)
    }

    @Test func lowStockAndMovements() throws {
        let store = try TestStores.demoStore()
        let inventory = Inventory(store: store)
        let all = try inventory.levels(limit: 10_000)
        // Every SKU at both locations, but the open-price item (misc_sku), which has no stock.
        #expect(all.count == (try Catalog(store: store).count() - 1) * 2)
        let low = try inventory.levels(lowOnly: true, limit: 10_000)
        let allLow = low.allSatisfy { $0.isLow }
        #expect(allLow)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-001"))
        let history = try inventory.movements(variantID: coffee.variantID, limit: 500)
        #expect(history.contains { $0.reason == .initial })
        #expect(history.map(\.createdAt) == history.map(\.createdAt).sorted(by: >))
    }
}

@Suite struct OrderSearchTests {
    @Test func byNumberCustomerAndDate() throws {
        let store = try TestStores.demoStore()
        let orders = Orders(store: store)
        let newest = try orders.search(limit: 5)
        #expect(newest.count == 5)
        #expect(newest.map { $0.completedAt ?? .distantPast } == newest.map { $0.completedAt ?? .distantPast }.sorted(by: >))
        let number = try #require(newest.first?.number)
        #expect(try orders.search(OrderQuery(text: String(number))).first?.number == number)
        #expect(try orders.search(OrderQuery(text: "#\(number)")).first?.number == number)

        let withCustomer = try #require(try orders.search(limit: 500).first { $0.customerName != nil })
        let name = try #require(withCustomer.customerName)
        let found = try orders.search(OrderQuery(text: name), limit: 500)
        #expect(found.contains { $0.id == withCustomer.id })
        #expect(found.allSatisfy { $0.customerName == name })

        let day = try #require(withCustomer.completedAt)
        let start = Calendar.current.startOfDay(for: day)
        let end = Calendar.current.date(byAdding: .day, value: 1, to: start) ?? day
        let sameDay = try orders.search(OrderQuery(from: start, to: end), limit: 500)
        #expect(sameDay.contains { $0.id == withCustomer.id })
        #expect(sameDay.allSatisfy { ($0.completedAt ?? .distantPast) >= start && ($0.completedAt ?? .distantFuture) < end })

        let detail = try orders.detail(number: number)
        #expect(detail.order.total == detail.payments.map(\.amount).reduce(0, +))
        #expect(throws: TillError.notFound("order #999999")) { try orders.detail(number: 999_999) }
    }
}

@Suite struct OrderFilterTests {
    @Test func everyFilterFindsTheOrderItDescribes() throws {
        let store = try TestStores.demoStore()
        let orders = Orders(store: store)
        let all = try orders.search(limit: 10_000)
        let withCard = try #require(try all.lazy.map { try orders.detail(id: $0.id) }.first { detail in
            detail.customer?.phone != nil && detail.payments.contains { $0.cardLast4 != nil }
        })
        let number = try #require(withCard.order.number)
        let last4 = try #require(withCard.payments.first { $0.cardLast4 != nil }?.cardLast4)
        let phone = try #require(withCard.customer?.phone)
        let line = try #require(withCard.lines.first)
        func found(_ query: OrderQuery) throws -> Bool { try orders.search(query, limit: 10_000).contains { $0.number == number } }
        #expect(try found(OrderQuery(number: number)))
        #expect(try orders.search(OrderQuery(number: number)).count == 1)
        #expect(try found(OrderQuery(phone: String(phone.suffix(7)))))
        #expect(try found(OrderQuery(last4: last4)))
        #expect(try orders.search(OrderQuery(last4: last4), limit: 10_000).allSatisfy { summary in
            (try? orders.detail(id: summary.id).payments.contains { $0.cardLast4 == last4 }) == true
        })
        #expect(try found(OrderQuery(sku: line.sku)))
        #expect(try found(OrderQuery(minTotal: withCard.order.total, maxTotal: withCard.order.total)))
        #expect(try !found(OrderQuery(minTotal: withCard.order.total + 1)))
        #expect(try found(OrderQuery(last4: last4, staff: withCard.staff?.username)))
        #expect(try !found(OrderQuery(last4: last4, staff: "nobody")))
        #expect(throws: TillError.invalid("last four is 4 digits")) { try orders.search(OrderQuery(last4: "12")) }
        #expect(throws: TillError.invalid("a phone search needs at least 4 digits")) { try orders.search(OrderQuery(phone: "1")) }
    }
}
