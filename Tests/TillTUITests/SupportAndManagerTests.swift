import Foundation
import GRDB
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// The support desk at 80×24: finding an order from what the customer knows, its timeline, a void a manager
/// approves inline.
@Suite struct OrdersPaneSupportTests {
    /// The newest demo order paid by card, with its last four.
    static func cardOrder(_ store: StoreDatabase) throws -> (number: Int64, last4: String) {
        let orders = Orders(store: store)
        let detail = try #require(try orders.search(limit: 10_000).lazy.map { try orders.detail(id: $0.id) }.first { detail in
            detail.payments.contains { $0.cardLast4 != nil }
        })
        return (try #require(detail.order.number), try #require(detail.payments.first { $0.cardLast4 != nil }?.cardLast4))
    }

    @Test func searchesByTheCardsLastFourAndSaysWhatAFieldTakes() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam")
        let order = try Self.cardOrder(app.store)
        app.press(.function(4))
        app.type("card:\(order.last4)")
        let rows = app.state.orders.list.rows
        #expect(rows.contains { $0.number == order.number })
        #expect(try rows.allSatisfy { summary in
            try Orders(store: app.store).detail(id: summary.id).payments.contains { $0.cardLast4 == order.last4 }
        })
        // The four digits alone find it too.
        app.press(.escape)
        app.type(order.last4)
        #expect(app.state.orders.list.rows.contains { $0.number == order.number })

        app.press(.escape)
        app.type("card:42")
        #expect(app.state.orders.searchProblem == "card: takes the card's last four digits, e.g. card:4242 (got \"42\")")
        #expect(app.state.orders.list.rows.isEmpty)
        TestApp.expectScreen(app, "orders-search-problem-80x24")
        app.press(.escape)
        app.type("nobody-by-this-name")
        #expect(app.state.orders.searchProblem == nil)
        #expect(app.screen.contains("card:4242"))
        TestApp.expectScreen(app, "orders-no-match-80x24")
    }

    @Test func theSearchLineSaysWhatCanBeTyped() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam")
        app.press(.function(4))
        #expect(app.screen.contains("Search: \(OrderSearchSyntax.hint)"))
    }

    @Test func theTimelineAndNotesAreATabAt80x24() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam", shiftOpen: true)
        app.press(.function(4), .enter)
        let number = try #require(app.state.orders.detail?.order.number)
        let line = try #require(app.state.orders.detail?.lines.first)
        app.press(.control("r"))
        app.press(.enter)
        app.press(.control("n"))
        app.type("customer called: wants the receipt by email, says the milk was sour and asks for a refund to the card")
        app.press(.enter)
        app.press(.character("t"))
        #expect(app.state.orders.showingTimeline)
        let screen = app.screen
        #expect(screen.contains("completed as #\(number)"))
        #expect(screen.contains("note: customer called"))
        #expect(screen.contains("refund to the card"), "the note wraps whole")
        // Where the money went, in the order's money.
        #expect(screen.contains("refunded \(app.state.money(line.total)) (\(line.sku) × 1) to cash"), "\(screen)")
        TestApp.expectScreen(app, "orders-timeline-80x24")
        app.press(.character("t"))
        #expect(!app.state.orders.showingTimeline)
        #expect(app.screen.contains("t timeline"))
    }

    @Test func theTimelineScrollsWhenItIsLong() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam")
        app.press(.function(4), .enter)
        for index in 1...20 {
            app.press(.control("n"))
            app.type("call \(index)")
            app.press(.enter)
        }
        app.press(.character("t"))
        // Opens on the newest events; the start is above.
        #expect(app.screen.contains("note: call 20"))
        #expect(!app.screen.contains("sale started"))
        let bottom = app.state.orders.timelineTop
        #expect(bottom > 0)
        app.press(.pageUp, .pageUp, .pageUp)
        #expect(app.state.orders.timelineTop == 0)
        #expect(app.screen.contains("sale started"))
        TestApp.expectScreen(app, "orders-timeline-top-80x24")
        app.press(.pageDown, .pageDown, .pageDown)
        #expect(app.state.orders.timelineTop == bottom)
    }

    @Test func sevenDigitOrderNumbersShowWhole() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam") { store in
            try store.write { db in try db.execute(sql: "UPDATE orders SET number = number + 1000000 WHERE number IS NOT NULL") }
        }
        app.press(.function(4))
        let number = try #require(app.state.orders.list.rows.first?.number)
        #expect(number > 1_000_000)
        #expect(app.screen.contains("#\(number) "))
        TestApp.expectScreen(app, "orders-big-numbers-80x24")
    }

    @Test func aCashiersVoidIsApprovedByAManagerInline() throws {
        let app = try TestApp.demo(signedIn: "ana", shiftOpen: true)
        app.press(.function(4), .enter)
        let number = try #require(app.state.orders.detail?.order.number)
        app.press(.control("v"), .enter)
        guard case let .approveVoid(form)? = app.state.orders.prompt else {
            Issue.record("no approval box: \(String(describing: app.state.orders.prompt)) \(String(describing: app.state.message))")
            return
        }
        #expect(form.reason == "Void order #\(number): ana (cashier) may not void alone.")
        TestApp.expectScreen(app, "orders-void-approval-80x24")
        // A wrong PIN keeps the box, with the name typed and why.
        app.type("max")
        app.press(.enter)
        app.type("9999")
        app.press(.enter)
        guard case let .approveVoid(again)? = app.state.orders.prompt else {
            Issue.record("the box closed after a wrong PIN")
            return
        }
        #expect(again.username == "max" && again.pin.isEmpty && again.onPIN)
        #expect(app.state.message == .error("not allowed: wrong user name or PIN for \"max\""))
        #expect(try Orders(store: app.store).detail(number: number).order.status == .completed)
        TestApp.expectScreen(app, "orders-void-approval-wrong-pin-80x24")
        app.type("2222")
        app.press(.enter)
        let voided = try Orders(store: app.store).detail(number: number)
        #expect(voided.order.status == .voided, "\(String(describing: app.state.message))")
        let max = try Staff(store: app.store).member(username: "max")
        #expect(voided.refunds.first?.refund.approvedBy == max.id)
        #expect(app.state.orders.prompt == nil)
        #expect(app.state.message == .info("Voided #\(number) (max approved): payments and stock back."))
    }

    @Test func anApproverWhoMayNotVoidIsRefusedInTheBox() throws {
        let app = try TestApp.demo(signedIn: "ana", shiftOpen: true)
        app.press(.function(4), .enter)
        app.press(.control("v"), .enter)
        app.type("sam")
        app.press(.enter)
        app.type("3333")
        app.press(.enter)
        guard case .approveVoid? = app.state.orders.prompt else {
            Issue.record("the box closed")
            return
        }
        #expect(app.state.message == .error("not allowed: sam (support) may not approve a void either; a manager must"))
        app.press(.escape, .escape)
        #expect(app.state.orders.prompt == nil)
        #expect(app.state.message?.text.hasPrefix("Not approved") == true)
    }
}

/// The manager's end of day from the Reports pane, at 80×24.
@Suite struct ReportsManagerToolsTests {
    @Test func aPayOutWithAReasonAndAPayIn() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max")
        app.press(.function(5), .character("o"))
        app.type("100")
        app.press(.enter, .escape)
        app.press(.character("p"))
        app.type("12.50")
        app.press(.enter)
        #expect(app.state.reports.prompt == .cashReason(.payOut, amount: 1250))
        app.type("window cleaning")
        TestApp.expectScreen(app, "reports-pay-out-reason-80x24")
        app.press(.enter)
        #expect(app.state.message == .info("Paid out €12.50 (window cleaning) — recorded."))
        app.press(.escape, .character("i"))
        app.type("20")
        app.press(.enter)
        app.type("float top-up")
        app.press(.enter)
        let rows = try app.store.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, amount, reason FROM cash_movement ORDER BY id").map {
                "\($0["kind"] as String) \($0["amount"] as Int64) \($0["reason"] as String)"
            }
        }
        #expect(rows == ["pay_out 1250 window cleaning", "pay_in 2000 float top-up"])
        #expect(app.state.reports.panel?.contains { $0.hasPrefix("  pay-outs") && $0.contains("-€12.50") } == true)
        // A typo in the amount is caught before the reason is asked.
        app.press(.escape, .character("p"))
        app.type("12,5x")
        app.press(.enter)
        #expect(app.state.reports.prompt == .payOut)
        #expect(app.state.message?.isError == true)
    }

    @Test func noShiftIsSaidBeforeAReasonIsAsked() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max")
        app.press(.function(5))
        app.press(.character("n"))
        #expect(app.state.reports.prompt == nil)
        #expect(app.state.message == .error("No shift open on register main: press o first to open the drawer."))
        app.press(.character("p"))
        #expect(app.state.reports.prompt == nil)
        TestApp.expectScreen(app, "reports-no-shift-80x24")
    }

    @Test func theZReportClosesTheDayAndScrolls() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max")
        app.press(.function(5))
        app.press(.character("z"))
        let day = try BusinessDay.current(in: app.store, at: TestApp.clock).key
        #expect(app.state.reports.prompt == .confirmZ(day: day))
        TestApp.expectScreen(app, "reports-z-confirm-80x24")
        app.press(.enter)
        let saved = try app.store.read { db in try Row.fetchAll(db, sql: "SELECT number, business_day FROM z_report") }
        #expect(saved.map { "\($0["number"] as Int64) \($0["business_day"] as String)" } == ["1 \(day)"])
        let panel = try #require(app.state.reports.panel)
        #expect(panel.first?.hasPrefix("Z REPORT #1") == true)
        #expect(panel.count > ScrollableOverlay.visibleRows(app.state), "a Z is longer than 80×24 shows at once")
        TestApp.expectScreen(app, "reports-z-80x24")
        app.press(.pageDown)
        #expect(app.state.overlayScroll > 0)
        #expect(app.screen.contains(try #require(panel.last)))
        TestApp.expectScreen(app, "reports-z-scrolled-80x24")
        // Twice: TillCore's rule says why not.
        app.press(.escape, .character("z"), .enter)
        #expect(app.state.message?.text.contains("was closed already as Z report #1") == true)
    }

    @Test func aZWithAShiftOpenIsRefusedWithTheWayOut() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max", shiftOpen: true)
        app.press(.function(5))
        app.press(.character("z"), .enter)
        #expect(app.state.message?.text.hasPrefix("close every shift before the Z report: main") == true)
        #expect(try app.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM z_report") } == 0)
    }

    @Test func theExceptionsReportIsAPanelInColumns() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max", shiftOpen: true)
        app.press(.function(4), .enter)
        let number = try #require(app.state.orders.detail?.order.number)
        app.press(.control("v"), .enter)
        #expect(try Orders(store: app.store).detail(number: number).order.status == .voided)
        app.press(.escape, .function(5))
        app.press(.character("n"))
        app.type("change for the bakery")
        app.press(.enter, .escape)
        app.press(.character("e"))
        let panel = try #require(app.state.reports.panel)
        #expect(panel.first == "EXCEPTIONS — last 30 days")
        let void = try #require(panel.first { $0.contains("voids") })
        #expect(void.hasSuffix("€35.84") && void.contains(" max "), "\(panel)")
        #expect(panel.contains { $0.contains("no-sales") && $0.contains(" max ") })
        #expect(panel.dropFirst().allSatisfy { DisplayWidth.of($0) == 48 }, "\(panel.joined(separator: "\n"))")
        TestApp.expectScreen(app, "reports-exceptions-80x24")
    }

    @Test func theDrawerFiguresFollowTheSales() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max")
        app.press(.function(5), .character("o"))
        app.type("0")
        app.press(.enter)
        #expect(app.state.reports.panel?.contains { $0.contains("(0 sales)") } == true)
        app.press(.function(1))
        app.type("COF-002")
        app.press(.enter)
        app.press(.function(12))
        app.press(.enter)
        #expect(app.state.register.receipt != nil, "\(String(describing: app.state.message))")
        app.press(.function(5))
        #expect(app.state.reports.panel == nil, "the snapshot from before the sale is gone")
        #expect(app.state.reports.data?.shift?.sales == 1)
        #expect(app.screen.contains("· 1 sales ·"))
    }
}

/// The receipt's signed code on the Orders pane (`q`): drawn whole where the screen holds it — and decoded from
/// the rendered cells by zbarimg, as a phone would read the screen — and where it does not, said so in words.
@Suite struct OrdersPaneReceiptCodeTests {
    @Test func theCodeIsDrawnWholeAndScansFromTheScreen() throws {
        let app = try TestApp.demo(width: 100, height: 40, staff: "sam (support)", signedIn: "sam")
        app.press(.function(4), .enter)
        let detail = try #require(app.state.orders.detail)
        let code = try #require(detail.receiptCode)
        app.press(.character("q"))
        #expect(app.state.orders.showingCode)
        let rows = app.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.joined().contains("Journal entry \(code.seq)"))
        // The symbol's rows, cut out of the box it is drawn in.
        let symbol = rows.compactMap { row -> String? in
            let inside = row.drop { $0 != "█" && $0 != "▀" && $0 != "▄" }
            let trimmed = String(inside.reversed().drop { $0 != "█" && $0 != "▀" && $0 != "▄" }.reversed())
            return trimmed.isEmpty ? nil : trimmed
        }
        #expect(try QRImages.decode(QRImages.pgm(halfBlocks: symbol)).trimmingCharacters(in: .newlines) == code.payload)
        app.press(.escape)
        #expect(!app.state.orders.showingCode)
        #expect(app.state.orders.detail != nil, "Esc leaves the code, not the order")
    }

    @Test func aScreenTooSmallSaysWhatTheCodeNeeds() throws {
        let app = try TestApp.demo(staff: "sam (support)", signedIn: "sam")
        app.press(.function(4), .enter, .character("q"))
        // (No golden screen: the hash on it is new with every store's key.)
        #expect(app.screen.contains("needs a terminal of at least"))
        #expect(app.screen.contains("one is 80×24"))
        #expect(app.screen.contains("reprint the receipt (Ctrl-P)"))
        #expect(!app.screen.contains("▀"), "no cut code that would not scan")
    }
}
