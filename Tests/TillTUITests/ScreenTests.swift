import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// Every pane rendered headlessly at 80×24 and 132×43, compared with the screens in `Golden/`.
@Suite struct ScreenTests {
    static let sizes = [(80, 24), (132, 43)]

    /// Adds two products whose names test clipping and wide characters.
    static func addAwkwardProducts(_ store: StoreDatabase) throws {
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO product(handle, name, category_id, tax_class_id, unit)
                VALUES ('long', 'Extra Virgin Cold-Pressed Organic Arbequina Olive Oil from the Hills of Catalonia, Limited Harvest Edition 750 ml', 6, 1, 'each'),
                       ('wide', '抹茶ラテ Matcha Latte 🍵 Café', 1, 1, 'each');
                INSERT INTO variant(product_id, sku, price) VALUES ((SELECT id FROM product WHERE handle = 'long'), 'AAA-LONG', 2499),
                       ((SELECT id FROM product WHERE handle = 'wide'), 'AAA-WIDE', 450);
                """)
        }
    }

    @Test(arguments: sizes) func registerWithAScannedSale(width: Int, height: Int) throws {
        let app = try TestApp.demo(width: width, height: height)
        app.type("4083086271492")
        app.press(.enter)
        app.type("4083086271492")
        app.press(.enter)
        app.type("PRO-001")
        app.press(.enter)
        app.type("1")  // bananas are weighed: the register asks for the weight
        app.press(.enter)
        app.type("STA-00")  // a name search in progress
        TestApp.expectScreen(app, "register-\(width)x\(height)")
        #expect(app.state.register.lines.map(\.quantity) == [.units(2), .one])
    }

    @Test(arguments: sizes) func catalogSearch(width: Int, height: Int) throws {
        let app = try TestApp.demo(width: width, height: height, prepare: Self.addAwkwardProducts)
        app.press(.function(2))
        TestApp.expectScreen(app, "catalog-\(width)x\(height)")
        app.type("caf")
        TestApp.expectScreen(app, "catalog-search-caf-\(width)x\(height)")
        app.press(.escape)
        app.type("arbequina")
        TestApp.expectScreen(app, "catalog-long-name-\(width)x\(height)")
        app.press(.escape)
        app.type("matcha")
        TestApp.expectScreen(app, "catalog-wide-characters-\(width)x\(height)")
    }

    @Test func catalogClipsLongNamesAndRendersWideCharacters() throws {
        let app = try TestApp.demo(prepare: Self.addAwkwardProducts)
        app.press(.function(2))
        app.type("arbequina")
        var lines = app.screen.components(separatedBy: "\n")
        let long = try #require(lines.first { $0.contains("AAA-LONG") })
        #expect(long.contains("Extra Virgin Cold-Pressed"))
        #expect(long.contains("…"))
        #expect(DisplayWidth.of(long) == 80)
        app.press(.escape)
        app.type("matcha latte")
        lines = app.screen.components(separatedBy: "\n")
        let wide = try #require(lines.first { $0.contains("AAA-WIDE") })
        #expect(wide.contains("抹茶ラテ Matcha Latte 🍵 Café"))
        #expect(DisplayWidth.of(wide) == 80)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })
    }

    @Test(arguments: sizes) func productDetail(width: Int, height: Int) throws {
        let app = try TestApp.demo(width: width, height: height)
        app.press(.function(2))
        app.type("organic cotton")
        app.press(.down, .enter)
        TestApp.expectScreen(app, "catalog-detail-\(width)x\(height)")
        app.press(.escape)
        #expect(app.state.catalog.detail == nil)
    }

    @Test(arguments: sizes) func inventory(width: Int, height: Int) throws {
        let app = try TestApp.demo(width: width, height: height)
        app.press(.function(3))
        TestApp.expectScreen(app, "inventory-\(width)x\(height)")
        app.press(.function(6), .right)
        TestApp.expectScreen(app, "inventory-low-floor-\(width)x\(height)")
        app.press(.enter)
        TestApp.expectScreen(app, "inventory-history-\(width)x\(height)")
    }

    @Test(arguments: sizes) func orders(width: Int, height: Int) throws {
        let app = try TestApp.demo(width: width, height: height)
        app.press(.function(4))
        TestApp.expectScreen(app, "orders-\(width)x\(height)")
        app.press(.down, .down, .enter)
        TestApp.expectScreen(app, "orders-detail-\(width)x\(height)")
    }

    @Test func helpOverlayListsThePanesKeys() throws {
        let app = try TestApp.demo()
        app.press(.function(2), .character("?"))
        // Disabled keys (F2 on the Catalog, Esc with nothing to cancel) are greyed: the golden holds the styles.
        TestApp.expectScreen(app, "help-catalog-80x24", styles: true)
        // That every key is there, scrolling down, is `KeyTableTests.helpScrollsWhenLongerThanTheScreen`.
    }

    @Test func tooSmallScreenAndRecovery() throws {
        let app = try TestApp.demo(width: 60, height: 20)
        TestApp.expectScreen(app, "too-small-60x20")
        #expect(app.screen.contains("terminal too small (need 80×24, have 60×20)"))
        app.resize(width: 80, height: 24)
        #expect(app.screen.contains("F1 Register"))
        #expect(!app.screen.contains("too small"))
        app.resize(width: 20, height: 5)
        #expect(app.screen.contains("terminal"))
        #expect(app.frame.width == 20 && app.frame.height == 5)
    }

    @Test func everyThemeRendersTheSameText() throws {
        var screens: Set<String> = []
        for theme in Theme.bundledNames {
            let app = try TestApp.demo(theme: theme)
            app.press(.function(2))
            screens.insert(app.screen)
        }
        #expect(screens.count == 1)
    }

    @Test func selectedRowUsesTheThemesRole() throws {
        let app = try TestApp.demo(theme: "mono")
        app.press(.function(2))
        let frame = app.frame
        // The first data row (y = 4) is selected: reverse video in mono.
        #expect(frame[5, 4].style.reverse)
        #expect(!frame[5, 5].style.reverse)
    }
}

@Suite struct OrdersSupportFlowTests {
    @Test func supportRefundsALineAddsANoteAndTheScreenShowsIt() throws {
        // The refund may give cash back: the till's drawer is open.
        let app = try TestApp.demo(width: 132, height: 43, staff: "sam (support)", signedIn: "sam", shiftOpen: true)
        app.press(.function(4), .enter)
        let detail = try #require(app.state.orders.detail)
        let number = try #require(detail.order.number)
        let line = try #require(detail.lines.first)
        app.press(.control("r"))
        #expect(app.state.orders.prompt == .refund(RefundForm(line: 1, quantity: line.quantity.description)))
        app.press(.function(6), .enter)  // not restocked
        let after = try Orders(store: app.store).detail(number: number)
        #expect(after.order.status == .partiallyRefunded)
        #expect(after.refunds.first?.lines.first?.restocked == false)
        #expect(app.state.message == .info("Refunded €4.30 to cash; #\(number) is part-refunded."))
        app.press(.control("n"))
        for character in "called back" { app.press(.character(character)) }
        app.press(.enter)
        #expect(try Orders(store: app.store).detail(number: number).notes.map(\.text) == ["called back"])
        TestApp.expectScreen(app, "orders-refunded-132x43")
        // The same line again: refused before anything is asked.
        app.press(.control("r"))
        #expect(app.state.orders.prompt == nil)
        #expect(app.state.message?.isError == true)
    }

    @Test func aCashierIsRefusedAndAManagerVoids() throws {
        let cashier = try TestApp.demo(width: 132, height: 43, signedIn: "ana")
        cashier.press(.function(4), .enter)
        cashier.press(.control("a"))
        cashier.press(.enter)
        #expect(cashier.state.message == .error("not allowed: ana (cashier) may not refund an order; a manager must approve"))
        let number = try #require(cashier.state.orders.detail?.order.number)
        #expect(try Orders(store: cashier.store).detail(number: number).refunds.isEmpty)

        // The newest demo sale was paid in cash: voiding it gives the cash back from the till's open drawer.
        let manager = try TestApp.demo(width: 132, height: 43, staff: "max (manager)", signedIn: "max", shiftOpen: true)
        manager.press(.function(4), .enter)
        manager.press(.control("v"))
        #expect(manager.state.orders.prompt == .confirmVoid)
        manager.press(.enter)
        let voided = try Orders(store: manager.store).detail(number: number)
        // The demo's newest sale was made on the demo's "today" (the fixed test clock's day).
        #expect(voided.order.status == .voided, "\(String(describing: manager.state.message))")
        TestApp.expectScreen(manager, "orders-voided-132x43")
    }
}

@Suite struct ReportsPaneTests {
    @Test(arguments: [(80, 24), (132, 43)]) func theLastThirtyDaysAsABarChart(width: Int, height: Int) throws {
        let app = try TestApp.demo(width: width, height: height, staff: "max (manager)", signedIn: "max")
        app.press(.function(5))
        let data = try #require(app.state.reports.data)
        #expect(data.month.byDay.count >= 28)
        #expect(app.screen.contains("Sales by day"))
        #expect(app.screen.contains("█"))
        TestApp.expectScreen(app, "reports-\(width)x\(height)")
    }

    @Test func monoDrawsInASCIIAndACashierIsToldWhy() throws {
        let mono = try TestApp.demo(width: 132, height: 43, theme: "mono", staff: "max (manager)", signedIn: "max")
        mono.press(.function(5))
        #expect(mono.screen.contains("#"))
        #expect(!mono.screen.contains("█") && !mono.screen.contains("▁"))
        let cashier = try TestApp.demo(signedIn: "ana")
        cashier.press(.function(5))
        #expect(cashier.state.reports.data == nil)
        #expect(cashier.screen.contains("ana (cashier) may not view reports"))
    }
}

@Suite struct DrawerFromTheReportsPaneTests {
    @Test func openANoSaleAndCloseWithACount() throws {
        let app = try TestApp.demo(width: 132, height: 43, staff: "max (manager)", signedIn: "max")
        app.press(.function(5), .character("o"))
        app.type("100")
        app.press(.enter)
        #expect(app.state.message?.text == "Shift open with a float of €100.00.")
        app.press(.character("n"))
        app.type("change for the bakery")
        app.press(.enter)
        #expect(app.state.reports.panel?.contains { $0.contains("no-sales") && $0.hasSuffix("1") } == true)
        app.press(.character("c"))
        app.type("50x2,0.50x1")
        app.press(.enter)
        #expect(app.state.message?.text == "Shift closed: counted €100.50, variance +€0.50.")
        TestApp.expectScreen(app, "reports-shift-closed-132x43")
        app.press(.escape, .character("x"))
        #expect(app.state.reports.panel?.first == "X REPORT (not closed)")
        #expect(app.state.reports.panel?.contains { $0.hasPrefix("No-sale openings") && $0.hasSuffix("1") } == true)
    }
}
