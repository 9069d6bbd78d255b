import Foundation
import Testing
import TillTestSupport
@testable import TillCore

/// The customer display's read model: what a register's customer sees, read from the store the till writes.
@Suite struct CustomerDisplayTests {
    let now = TestStores.demoCreatedAt.addingTimeInterval(3600)

    func display(_ store: StoreDatabase, register: String = "main", at date: Date? = nil) throws -> CustomerDisplay {
        try store.read { db in try CustomerDisplays.read(db, register: register, now: date ?? now) }
    }

    func item(_ store: StoreDatabase, _ sku: String) throws -> Int64 {
        try #require(try Catalog(store: store).lookup(code: sku)).variantID
    }

    @Test func betweenCustomersItWelcomes() throws {
        let store = try TestStores.demoStore()
        let shown = try display(store)
        #expect(shown.screen == .welcome)
        #expect(shown.storeName == "Corner Store Demo")
    }

    @Test func theCartInProgressAsItIsScanned() throws {
        let store = try TestStores.demoStore()
        let ctx = try TestStores.openTill(store, at: now)
        let carts = Carts(store: store)
        _ = try carts.add(variantID: try item(store, "COF-002"), quantity: .units(2), ctx)
        var cart = try carts.add(variantID: try item(store, "PRO-001"), quantity: Quantity(milli: 450), ctx)
        cart = try carts.setLineDiscount(cartID: cart.id, position: 1, discount: .percent(basisPoints: 1000), reason: "dented", ctx)
        guard case let .sale(sale) = try display(store).screen else {
            Issue.record("the cart in progress is not shown")
            return
        }
        #expect(sale.lines.map(\.name) == ["Espresso Roast 250 g", "Bananas"])
        #expect(sale.lines.map(\.quantityText) == ["2", "0.450 kg"])
        #expect(sale.lines[0].unitPrice == 1509 && sale.lines[0].discount == cart.lines[0].discount && sale.lines[0].discount > 0)
        #expect(sale.lines[1].weighed && sale.lines[1].total == cart.lines[1].total)
        #expect(sale.total == cart.order.total && sale.discountTotal == cart.order.discountTotal && sale.paid == 0)
        #expect(sale.items.description == "2 items, 0.450 kg")
        // Another register's cart is not this one's.
        #expect(try display(store, register: "back").screen == .welcome)
    }

    @Test func afterTheSaleTheChangeAndThanksThenWelcomeAgain() throws {
        let store = try TestStores.demoStore()
        let ctx = try TestStores.openTill(store, at: now)
        let sale = try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: try item(store, "COF-002"), quantity: .one)],
                                                   orderDiscount: nil, customerID: nil,
                                                   tenders: [ScriptedTender(method: .cash, amount: 2000)], ctx)
        #expect(sale.change == 2000 - sale.order.total)
        let shown = try display(store, at: now.addingTimeInterval(5))
        guard case let .thanks(thanks) = shown.screen else {
            Issue.record("no thank-you after the sale: \(shown.screen)")
            return
        }
        #expect(thanks.number == sale.number && thanks.total == sale.order.total && thanks.change == sale.change)
        #expect(thanks.tenders == [CustomerDisplay.Tender(method: .cash, amount: 2000)])  // as handed over
        #expect(shown.changesAt == now.addingTimeInterval(CustomerDisplays.thanksSeconds))
        #expect(try display(store, at: now.addingTimeInterval(CustomerDisplays.thanksSeconds + 1)).screen == .welcome)
        #expect(try display(store, register: "back", at: now.addingTimeInterval(5)).screen == .welcome)
        // The next customer's first scan takes over from the thank-you.
        let next = try Carts(store: store).add(variantID: try item(store, "COF-002"), quantity: .one, ctx)
        guard case .sale = try display(store, at: now.addingTimeInterval(6)).screen else {
            Issue.record("the next sale does not show")
            return
        }
        // Parked (they forgot their wallet): the welcome, not the last customer's thank-you again.
        try Carts(store: store).park(cartID: next.id, ctx.at(now.addingTimeInterval(7)))
        #expect(try display(store, at: now.addingTimeInterval(8)).screen == .welcome)
    }

    @Test func theWatcherReadsAgainOnlyWhenTheStoreChanged() throws {
        let store = try TestStores.demoStore()
        let watcher = try CustomerDisplayWatcher(path: store.path, register: "main")
        #expect(try watcher.poll(now: now)?.screen == .welcome)
        #expect(try watcher.poll(now: now) == nil)
        let ctx = try TestStores.openTill(store, at: now)
        #expect(try watcher.poll(now: now) == nil)  // a shift opened: written, but the screen is the same
        _ = try Carts(store: store).add(variantID: try item(store, "COF-002"), quantity: .one, ctx)
        guard case .sale = try watcher.poll(now: now)?.screen else {
            Issue.record("the watcher missed the scan")
            return
        }
        #expect(try watcher.poll(now: now) == nil)
    }

    @Test func registersAreTheStoresOwn() throws {
        let store = try TestStores.demoStore()
        let known = try store.read { db in
            (try CustomerDisplays.registerExists(db, register: "main"), try CustomerDisplays.registerExists(db, register: "frnt"))
        }
        #expect(known.0 && !known.1)
        _ = try TestStores.openTill(store, register: "back", at: now)
        let registers = try store.read { db in try CustomerDisplays.registers(db) }
        #expect(registers.contains("back") && registers.contains("main"))
    }
}
