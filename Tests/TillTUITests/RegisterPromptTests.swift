import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// The Register's prompts name the line and the figure they change; a customer can come first; things not in
/// the catalog sell at a typed price; parked sales carry a label.
@Suite struct RegisterPromptTests {
    private func twoLines() throws -> AppDriver {
        let app = try TestApp.demo(signedIn: "ana", shiftOpen: true)
        for code in ["COF-001", "COF-002"] {
            app.type(code)
            app.press(.enter)
        }
        #expect(app.state.register.selected == 1)
        return app
    }

    @Test func quantityDiscountAndPricePromptsNameTheLineAndItsFigure() throws {
        let app = try twoLines()
        app.press(.function(6))
        #expect(app.screen.contains("Quantity of line 2 COF-002 Espresso Roast 250 g (now 1): "))
        TestApp.expectScreen(app, "register-quantity-prompt-80x24")
        app.type("3")
        app.press(.enter)
        #expect(app.state.register.lines.map(\.quantity) == [.one, .units(3)])
        app.press(.up, .function(7))
        #expect(app.screen.contains("Discount on line 1 COF-001 Café Crème Beans 500 g (now none): "))
        #expect(app.state.message == .info("A discount is 10% or an amount (1.50); Enter alone removes it."))
        app.type("10%")
        app.press(.enter)
        app.press(.function(7))
        #expect(app.screen.contains("Discount on line 1 COF-001 Café Crème Beans 500 g (now 10%): "))
        app.press(.escape)
        app.press(.function(8))
        #expect(app.screen.contains("Discount on the whole sale (now none): "))
        app.press(.escape)
        app.press(.control("p"))
        #expect(app.screen.contains("Price of line 1 COF-001 Café Crème Beans 500 g (now €2.69): "))
    }

    @Test func aLongNameIsShortenedSoThePromptStillFits() {
        let line = PromptLine(number: 12, position: 12, sku: "AAA-LONG",
                              name: "Extra Virgin Cold-Pressed Organic Arbequina Olive Oil from the Hills of Catalonia", current: "1")
        let label = RegisterPrompt.quantity(line).label(maxWidth: 76)
        #expect(DisplayWidth.of(label) <= 64)
        #expect(label.hasPrefix("Quantity of line 12 AAA-LONG Extra Virgin"))
        #expect(label.hasSuffix("… (now 1): "))
    }

    @Test func aWeighedItemAsksInKilogramsAndItsLineShowsThePricePerKilogram() throws {
        let app = try TestApp.demo()
        app.type("PRO-001")
        app.press(.enter)
        #expect(app.screen.contains("Weight of PRO-001 Bananas in kg: "))
        app.type("0.450")
        app.press(.enter)
        let line = try #require(app.state.register.lines.first)
        #expect(app.screen.contains("0.450 kg"))
        #expect(app.screen.contains(app.state.money(line.unitPrice) + "/kg"))
    }

    @Test func aCustomerCanComeBeforeTheFirstItem() throws {
        let app = try TestApp.demo(shiftOpen: true)
        #expect(app.state.register.cart == nil)
        app.press(.function(9))
        #expect(app.screen.contains("Customer (name, email or phone): "))
        app.type("anna.lopez")
        app.press(.enter)
        let cart = try #require(app.state.register.cart)
        #expect(cart.isEmpty && cart.customer?.name == "Anna López")
        #expect(app.screen.contains("Sale · Anna López"))
        app.type("COF-002")
        app.press(.enter)
        #expect(app.state.register.cart?.id == cart.id)
        #expect(app.state.register.cart?.customer?.name == "Anna López")
    }

    @Test func anOpenPriceItemNeedsAManagerInlineAndSaysWhatItIs() throws {
        let app = try TestApp.demo(signedIn: "ana", shiftOpen: true)
        app.type("*4.50")
        app.press(.enter)
        #expect(app.screen.contains("What is the €4.50 item (printed on the receipt)? "))
        app.type("Gift wrap")
        app.press(.enter)
        #expect(app.state.approval?.change == .openPrice(price: 450, description: "Gift wrap"))
        #expect(app.state.approval?.reason == "ana (cashier) may not change a price at the till; a manager must approve")
        app.type("max")
        app.press(.enter)
        app.type("2222")
        app.press(.enter)
        #expect(app.state.approval == nil)
        let line = try #require(app.state.register.lines.first)
        #expect(line.sku == "MISC" && line.name == "Gift wrap" && line.unitPrice == 450)
        // In one go, with the description after the price (a manager may alone).
        let manager = try TestApp.demo(signedIn: "max", shiftOpen: true)
        manager.type("*12.00 Key cutting")
        manager.press(.enter)
        #expect(manager.state.register.lines.map(\.name) == ["Key cutting"])
        #expect(manager.state.message == .info("Added Key cutting at €12.00."))
    }

    @Test func aParkedSaleIsAskedForALabelShownWhenRecalling() throws {
        let app = try TestApp.demo()
        app.type("COF-001")
        app.press(.enter)
        app.press(.function(10))
        #expect(app.screen.contains("Label for the parked sale, e.g. red coat (Enter: none): "))
        app.type("red coat lady")
        app.press(.enter)
        #expect(app.state.register.cart == nil)
        #expect(app.state.message == .info("Sale parked as “red coat lady”. F10 on an empty sale recalls it."))
        app.press(.function(10))
        #expect(app.state.register.parked?.map(\.parkLabel) == ["red coat lady"])
        #expect(app.screen.contains("“red coat lady”"))
        TestApp.expectScreen(app, "register-parked-labels-80x24")
    }
}
