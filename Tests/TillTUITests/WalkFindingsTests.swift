import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// What newcomers tripped on walking the support and manager journeys at 80×24, held.
@Suite struct WalkFindingsTests {
    @Test func aBareProductWordFindsTheOrdersThatSoldIt() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam")
        // A word from a line of a completed demo order that names no customer.
        let (number, word) = try app.store.read { db -> (Int64, String) in
            let row = try #require(try Row.fetchOne(db, sql: """
                SELECT o.number, l.name FROM orders o JOIN order_line l ON l.order_id = o.id
                WHERE o.status = 'completed' AND l.name LIKE 'Espresso%' ORDER BY o.number DESC LIMIT 1
                """))
            return (row["number"], String((row["name"] as String).split(separator: " ")[0]))
        }
        app.press(.function(4))
        app.type(word.lowercased())
        #expect(app.state.orders.searchProblem == nil)
        #expect(app.state.orders.list.rows.contains { $0.number == number }, "\(word) did not find #\(number)")
    }

    @Test func aNoteOrRefundAskedFromTheTimelineIsShownOverTheLines() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam")
        app.press(.function(4), .enter, .character("t"))
        #expect(app.state.orders.showingTimeline)
        app.press(.control("n"))
        #expect(!app.state.orders.showingTimeline)
        app.type("called back")
        #expect(app.screen.contains("called back"))
        app.press(.escape, .character("t"), .control("r"))
        #expect(!app.state.orders.showingTimeline)
        if case .refund? = app.state.orders.prompt {} else { Issue.record("no refund prompt: \(String(describing: app.state.orders.prompt))") }
    }

    @Test func anEmptyReasonKeepsTheNoSaleQuestionOpen() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max", shiftOpen: true)
        app.press(.function(5), .character("n"))
        #expect(app.state.reports.prompt == .noSale)
        app.press(.enter)
        #expect(app.state.reports.prompt == .noSale)
        #expect(app.state.message?.isError == true)
        // What is typed next is the reason, not the pane's keys (o would open a shift).
        app.type("float check")
        #expect(app.state.reports.prompt == .noSale)
        #expect(app.state.reports.input == "float check")
    }
}

/// The cashier's walk at 100×30: parking the next sale while the last receipt stood beside it crashed the till.
@Suite struct ParkBesideTheReceiptTests {
    @Test func parkingTheNextSaleBesideTheLastReceiptAsksForALabel() throws {
        let app = try TestApp.demo(width: 100, height: 30, shiftOpen: true)
        app.type("COF-002")
        app.press(.enter, .function(12), .enter)
        #expect(app.state.register.receipt != nil)
        app.type("COF-001")
        app.press(.enter)
        #expect(app.state.register.cart?.lines.map(\.sku) == ["COF-001"])
        app.press(.function(10))
        #expect(app.state.register.prompt == .parkLabel)
        _ = app.screen
        app.press(.enter)
        #expect(app.state.register.cart == nil)
        _ = app.screen
    }
}

/// The cashier's walk: ana began a sale, locked the till for a break, max signed in and took the money.
@Suite struct SaleFinishedByAnotherMemberTests {
    @Test func theSaleIsRecordedUnderTheMemberWhoTakesTheMoney() throws {
        let app = try TestApp.demo(shiftOpen: true)
        app.type("COF-002")
        app.press(.enter, .control("l"))
        app.type("max")
        app.press(.enter)
        app.type("2222")
        app.press(.enter)
        #expect(app.state.store.staff == "max (manager)")
        app.press(.function(12), .enter)
        let receipt = try #require(app.state.register.receipt)
        #expect(receipt.contains("Served by Max"), "\(receipt)")
        let staff = try app.store.read { db in
            try String.fetchOne(db, sql: """
                SELECT s.username FROM orders o JOIN staff s ON s.id = o.staff_id
                WHERE o.status = 'completed' ORDER BY o.id DESC LIMIT 1
                """)
        }
        #expect(staff == "max")
    }
}

/// The cashier's walk: F5 refused the figures and hid that the drawer keys still work there.
@Suite struct CashierOnTheReportsPaneTests {
    @Test func theRefusalWrapsAndSaysTheDrawerKeysStillWork() throws {
        let app = try TestApp.demo()
        app.press(.function(5))
        #expect(app.screen.contains("o opens your shift"))
        TestApp.expectScreen(app, "reports-cashier-refused-80x24")
        app.press(.character("o"))
        #expect(app.state.reports.prompt == .openShift)
    }
}

/// The manager's walk: Ctrl-V on a sale voided already asked "Void?" again, only to be refused.
@Suite struct VoidedOrderKeysTests {
    @Test func aVoidedSaleSaysSoWhenVoidOrRefundIsPressed() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max", shiftOpen: true)
        app.type("COF-002")
        app.press(.enter, .function(12), .enter, .enter)
        let number = try #require(try app.store.read { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(number) FROM orders WHERE status = 'completed'")
        })
        app.press(.function(4))
        app.type("#\(number)")
        app.press(.enter, .control("v"), .enter)
        #expect(app.state.orders.detail?.order.status == .voided, "\(String(describing: app.state.message))")
        app.press(.control("v"))
        #expect(app.state.orders.prompt == nil)
        #expect(app.state.message == .error("Ctrl-V void the sale: this sale was voided already"))
        app.press(.control("r"))
        #expect(app.state.message == .error("Ctrl-R refund the selected line: this sale was voided: nothing is left to refund"))
    }
}

/// The cashier's walk: a typed 50 was dropped for a quick amount, and a card sale showed "CHANGE DUE €0.00".
@Suite struct TenderWalkTests {
    @Test func aQuickKeyDoesNotDropTheAmountTyped() throws {
        let app = try TestApp.demo(shiftOpen: true)
        app.type("COF-002")
        app.press(.enter, .function(12))
        app.type("50")
        app.press(.function(3))
        #expect(app.state.message == .error("F3 cash: you typed 50: Enter takes it as cash, or Backspace it away for a quick amount"))
        #expect(app.state.register.cart?.paid == 0)
        #expect(app.state.register.tender?.amount == "50")
    }

    @Test func aCardSaleShowsNoChangeDue() throws {
        let app = try TestApp.demo(shiftOpen: true)
        app.type("COF-002")
        app.press(.enter, .function(12), .function(2), .enter)
        #expect(app.state.register.receipt != nil)
        #expect(app.state.register.changeDue == nil)
        #expect(!app.screen.contains("CHANGE DUE"))
    }
}

/// A mistyped SKU is unknown, even when a search match for it is on screen ("TEA-001" must not add COF-001).
@Suite struct MistypedCodeTests {
    @Test func aCodeThatMatchesNoSKUIsUnknownNotTheNearestMatch() throws {
        let app = try TestApp.demo()
        app.type("TEA-001")
        app.press(.enter)
        #expect(app.state.register.cart?.lines.isEmpty ?? true, "nothing was added")
        #expect(app.state.message?.text.contains("TEA-001") == true, "\(String(describing: app.state.message))")
        // A name still takes the highlighted match.
        app.type("espresso")
        app.press(.enter)
        #expect(app.state.register.cart?.lines.count == 1)
    }
}
