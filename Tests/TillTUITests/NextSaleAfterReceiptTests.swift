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
}
