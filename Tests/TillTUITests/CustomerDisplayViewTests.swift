import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// The customer display's screens, drawn headless from the read model at a small monitor's 40×12 and at 80×24.
@Suite struct CustomerDisplayViewTests {
    static let sizes = [ScreenSize(width: 40, height: 12), ScreenSize(width: 80, height: 24)]

    func expect(_ display: CustomerDisplay?, problem: String? = nil, _ name: String, sizes: [ScreenSize] = Self.sizes,
                sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let theme = try Theme.load("default")
        return sizes.map { size in
            let grid = CustomerDisplayView.render(display, problem: problem, size: size, theme: theme)
            let screen = grid.text
            if let difference = GoldenFile.check(screen, styles: StyleLayer.render(grid, theme: theme), legend: StyleLayer.legend,
                                                 name: "display-\(name)-\(size.width)x\(size.height)", directory: TestApp.goldenDirectory) {
                Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
            }
            return screen
        }
    }

    static func store() throws -> StoreDatabase { try TestStores.demoStore() }

    @Test func theSaleInProgress() throws {
        let store = try Self.store()
        let ctx = try TestStores.openTill(store, at: TestApp.clock)
        let carts = Carts(store: store)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002")).variantID
        let bananas = try #require(try Catalog(store: store).lookup(code: "PRO-001")).variantID
        _ = try carts.add(variantID: coffee, quantity: .units(2), ctx)
        let cart = try carts.add(variantID: bananas, quantity: Quantity(milli: 450), ctx)
        _ = try carts.setLineDiscount(cartID: cart.id, position: 1, discount: .percent(basisPoints: 1000), reason: "dented", ctx)
        let display = try store.read { db in try CustomerDisplays.read(db, register: "main", now: TestApp.clock) }
        let screens = try expect(display, "sale")
        for screen in screens {
            #expect(screen.contains("Corner Store Demo") && screen.contains("Bananas") && screen.contains("0.450 kg"))
            #expect(screen.contains("TOTAL"))
            #expect(!screen.contains(" ana "))  // never the cashier
        }
    }

    @Test func changeDueAndThankYou() throws {
        let store = try Self.store()
        let ctx = try TestStores.openTill(store, at: TestApp.clock)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002")).variantID
        _ = try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: coffee, quantity: .one)], orderDiscount: nil,
                                            customerID: nil, tenders: [ScriptedTender(method: .cash, amount: 2000)], ctx)
        let display = try store.read { db in try CustomerDisplays.read(db, register: "main", now: TestApp.clock) }
        for screen in try expect(display, "thanks") {
            #expect(screen.contains("Change due") && screen.contains("Thank you!"))
        }
    }

    @Test func welcomeTooSmallAndAProblem() throws {
        let display = CustomerDisplay(storeName: "Corner Store Demo", register: "main", currency: .EUR, screen: .welcome)
        _ = try expect(display, "welcome")
        let small = try expect(display, "too-small", sizes: [ScreenSize(width: 30, height: 8)])
        #expect(small[0].contains("screen too small") && small[0].contains("for the customer display"))
        _ = try expect(display, problem: "The till's store cannot be read just now (disk I/O error). Retrying…", "problem",
                       sizes: [ScreenSize(width: 40, height: 12)])
    }
}
