import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Things not in the catalog sold at a typed price, a customer before the first item, and parked sales with a
/// label: the rules the register keys rely on.
@Suite struct OpenPriceAndParkingTests {
    @Test func anOpenPriceEntryReadsAsPriceAndDescription() throws {
        #expect(try OpenPriceEntry.parse("COF-002", currency: .EUR) == nil)
        #expect(try OpenPriceEntry.parse("3*COF-002", currency: .EUR) == nil)
        let wrap = try #require(try OpenPriceEntry.parse("*4.50 Gift wrap", currency: .EUR))
        #expect(wrap.price == 450 && wrap.description == "Gift wrap")
        let bare = try #require(try OpenPriceEntry.parse(" * 12 ", currency: .EUR))
        #expect(bare.price == 1200 && bare.description == nil)
        #expect(throws: TillError.invalid("an open-price item is *PRICE and what it is, e.g. *4.50 Gift wrap")) {
            try OpenPriceEntry.parse("*", currency: .EUR)
        }
        #expect(throws: TillError.invalidAmount("0", reason: "an open-price item costs more than nothing")) {
            try OpenPriceEntry.parse("*0 nothing", currency: .EUR)
        }
    }

    @Test func aCashierNeedsAManagerAndTheLineKeepsItsReasonButTakesNoStock() throws {
        let store = try TestStores.demoStore()
        let staff = Staff(store: store)
        let ana = try #require(try staff.member(username: "ana").id)
        let max = try #require(try staff.member(username: "max").id)
        let cashier = try TestStores.openTill(store, staffID: ana)
        let carts = Carts(store: store)
        #expect(throws: TillError.permissionDenied("ana (cashier) may not change a price at the till; a manager must approve")) {
            try carts.addOpenPrice(price: 450, description: "Gift wrap", cashier)
        }
        let cart = try carts.addOpenPrice(price: 450, description: "  Gift wrap ", cashier.acting(as: ana, approvedBy: max))
        let line = try #require(cart.lines.first)
        #expect(line.sku == "MISC" && line.name == "Gift wrap" && line.unitPrice == 450 && line.total == 450)
        #expect(line.priceOverrideBy == max)
        let audit = try #require(try AuditLog.entries(store, entity: "order", entityID: cart.id).first)
        #expect(audit.action == "line.open_price" && audit.staff == "ana" && audit.note == "Gift wrap; approved by max")
        let floorBefore = try Inventory(store: store).onHand(variantID: line.variantID, location: "floor")
        let outcome = try Checkout(store: store).payCash(cartID: cart.id, cashier)
        #expect({ if case .completed = outcome { return true } else { return false } }(), "\(outcome)")
        // No shelf holds "things not in the catalog": the sale moves no stock of the misc SKU.
        #expect(try Inventory(store: store).onHand(variantID: line.variantID, location: "floor") == floorBefore)
    }

    @Test func theMiscSKUIsNotSoldAtItsCatalogPrice() throws {
        let store = try TestStores.demoStore()
        let misc = try #require(try Catalog(store: store).lookup(code: "MISC"))
        #expect(throws: TillError.invalid("MISC is the open-price item: sell it at a typed price with what it is (*4.50 Gift wrap at the till)")) {
            try Carts(store: store).add(variantID: misc.variantID, TestStores.context(store, staffID: try TestStores.cashierID(store)))
        }
        // It has no stock to count or list.
        #expect(try Inventory(store: store).levels(search: "open price").isEmpty)
    }

    @Test func withoutAMiscSKUTheStoreSaysHowToSetOne() throws {
        let store = try TestStores.demoStore()
        let admin = try #require(try Staff(store: store).member(username: "ada").id)
        try StoreSettingsEditor(store: store).set("misc_sku", to: "", TestStores.context(store, staffID: admin))
        #expect(throws: TillError.invalid("this store has no open-price item: name its SKU with `till settings set misc_sku SKU`")) {
            try Carts(store: store).addOpenPrice(price: 450, description: "Gift wrap", TestStores.context(store, staffID: admin))
        }
        #expect(throws: TillError.notFound("SKU NOPE-1 (misc_sku names a product in the catalog)")) {
            try StoreSettingsEditor(store: store).set("misc_sku", to: "NOPE-1", TestStores.context(store, staffID: admin))
        }
    }

    @Test func aSaleCanStartWithItsCustomer() throws {
        let store = try TestStores.demoStore()
        let ctx = TestStores.context(store, staffID: try TestStores.cashierID(store))
        let customer = try #require(try Customers(store: store).find("anna.lopez", limit: 1).first?.id)
        let cart = try Carts(store: store).startSale(customerID: customer, ctx)
        #expect(cart.isEmpty && cart.customer?.name == "Anna López")
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let added = try Carts(store: store).add(variantID: coffee.variantID, ctx)
        #expect(added.id == cart.id && added.customer?.name == "Anna López")
    }

    @Test func aParkedSaleKeepsItsLabel() throws {
        let store = try TestStores.demoStore()
        let ctx = TestStores.context(store, staffID: try TestStores.cashierID(store))
        let carts = Carts(store: store)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let cart = try carts.add(variantID: coffee.variantID, ctx)
        #expect(throws: TillError.invalid("a parked sale's label takes at most 40 characters (this one has 41)")) {
            try carts.park(cartID: cart.id, label: String(repeating: "x", count: 41), ctx)
        }
        try carts.park(cartID: cart.id, label: "  red coat lady ", ctx)
        #expect(try carts.parked().map(\.parkLabel) == ["red coat lady"])
    }
}
