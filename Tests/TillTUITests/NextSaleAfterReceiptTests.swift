import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// The next scan comes straight after the previous receipt: its first digit starts the next sale.
@Suite struct NextSaleAfterReceiptTests {
    @Test func theFirstKeyAfterAReceiptIsTheStartOfTheNextScan() throws {
        let app = try TestApp.demo(shiftOpen: true)
        app.type("COF-002")
        app.press(.enter)
        app.press(.function(12))
        app.press(.enter)
        #expect(app.state.register.receipt != nil)
        // A scanner types the barcode and Enter at once: nothing of it may be used up dismissing the receipt.
        app.type("4000949291343")
        app.press(.enter)
        #expect(app.state.register.receipt == nil)
        let cart = try #require(app.state.register.cart)
        #expect(cart.lines.map(\.sku) == ["COF-002"])
        #expect(app.state.message == .info("Added Espresso Roast 250 g."))
        // Space or Enter only close the receipt.
        app.press(.function(12))
        app.press(.enter)
        app.press(.character(" "))
        #expect(app.state.register.receipt == nil)
        #expect(app.state.register.input == "")
    }

    /// The cashier's Enter (exact cash) and the next customer's scan in one burst of keys, before the payment
    /// has answered: the scan must not be typed into the tender as an amount (it was: a €4,000,949,291,343 cash
    /// payment), and the sale is paid exactly.
    @Test func aScanStraightAfterEnterOnTheTenderGoesToTheNextSale() throws {
        // 100 columns: the receipt stays beside the next sale, to be read here.
        let app = try TestApp.demo(width: 100, height: 30, shiftOpen: true)
        let before = try app.orderCount()
        app.type("COF-001")
        app.press(.enter)
        app.press(.function(12))
        app.handle([.key(.enter)] + "4000949291343".map { .key(.character($0)) } + [.key(.enter)])
        #expect(try app.orderCount() == before + 1)
        let receipt = try #require(app.state.register.receipt)
        #expect(receipt.split(separator: "\n").contains { $0.hasPrefix("Cash ") && $0.hasSuffix(" €2.69") }, "\(receipt)")
        #expect(!receipt.contains("Change"))
        #expect(app.state.register.lines.map(\.sku) == ["COF-002"])
        #expect(app.state.register.heldKeys.isEmpty && app.state.register.tender == nil)
    }
}

/// After a sale the change due stands out in large figures and the receipt stays readable, while the next scan
/// goes straight into the next sale.
@Suite struct ChangeDueAfterSaleTests {
    /// A sale of one Espresso Roast (€15.09) paid with a €20 note: €4.91 change.
    private func saleWithChange(width: Int, height: Int) throws -> AppDriver {
        let app = try TestApp.demo(width: width, height: height, shiftOpen: true)
        app.type("COF-002")
        app.press(.enter)
        app.press(.function(12))
        app.type("20")
        app.press(.enter)
        return app
    }

    @Test func atEightyColumnsTheReceiptAndTheChangeStayUntilTheFirstLineLands() throws {
        let app = try saleWithChange(width: 80, height: 24)
        let due = try #require(app.state.register.changeDue)
        #expect(due.change == 491)
        #expect(app.state.message == .info("Sale #\(due.number) completed, change €4.91. Scan the next item."))
        TestApp.expectScreen(app, "register-change-due-80x24")
        // The next scan is typed straight away: it shows on the input line under the receipt, whole.
        app.type("4000949291343")
        #expect(app.state.register.input == "4000949291343")
        #expect(app.state.register.receipt != nil)
        #expect(app.screen.contains("CHANGE DUE"))
        #expect(app.screen.contains("Scan or type ▸ 4000949291343"))
        TestApp.expectScreen(app, "register-next-scan-under-receipt-80x24")
        app.press(.enter)
        #expect(app.state.register.lines.map(\.sku) == ["COF-002"])
        #expect(app.state.register.receipt == nil)
        #expect(app.state.register.changeDue == nil)
        #expect(!app.screen.contains("CHANGE DUE"))
        #expect(!app.screen.contains("Last receipt"))
    }

    @Test func atOneHundredColumnsTheReceiptStaysBesideTheNextSale() throws {
        let app = try saleWithChange(width: 100, height: 30)
        TestApp.expectScreen(app, "register-change-due-100x30")
        app.type("4000949291343")
        app.press(.enter)
        #expect(app.state.register.lines.map(\.sku) == ["COF-002"])
        // The change is done with once the next sale has a line; the receipt stays in its column until it is paid.
        #expect(app.state.register.changeDue == nil)
        #expect(app.state.register.receipt != nil)
        #expect(app.screen.contains("Last receipt"))
        #expect(!app.screen.contains("CHANGE DUE"))
        TestApp.expectScreen(app, "register-receipt-beside-next-sale-100x30")
        app.press(.function(12))
        #expect(app.state.register.receipt == nil)
    }

    @Test func theChangeIsDrawnInLargeFigures() {
        #expect(BigText.render("€4.91") == [
            "  █ █   █▀█ ▀█ ",
            "€ ▀▀█   ▀▀█  █ ",
            "    ▀ ▀ ▀▀▀ ▀▀▀",
        ])
    }
}

/// The quick-cash keys offer what the customer is likely to hand over for the amount due.
@Suite struct QuickCashTests {
    @Test func theTenderScreenOffersTheNotesACustomerWouldGive() throws {
        let app = try TestApp.demo(shiftOpen: true)
        for code in ["4083086271492", "COF-002", "STA-001"] {
            app.type(code)
            app.press(.enter)
        }
        #expect(app.state.register.cart?.due == 2297)
        app.press(.function(12))
        // €22.97: a 20 and a 5, a 20 and a 10, two 20s — not the next big notes (€50, €100, €200).
        #expect(app.screen.contains("Cash: F3 €25.00   F4 €30.00   F5 €40.00"))
        app.press(.function(4))
        #expect(app.state.register.changeDue?.change == 703)
    }
}
