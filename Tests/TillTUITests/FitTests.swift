import Foundation
import Testing
@testable import TillCore
import TillTestSupport
@testable import TillTUI

/// Text fits the screen: wrapped between words, never cut mid-word; long boxes scroll.
@Suite struct FitTests {
    func state(_ message: StatusMessage?, width: Int = 80, height: Int = 24) -> AppState {
        var state = AppState(store: StoreInfo(name: "Test", currency: .EUR, taxInclusive: true, staff: "ana (cashier)"),
                             size: ScreenSize(width: width, height: height))
        state.message = message
        return state
    }

    @Test func wordWrapBreaksBetweenWordsOnly() {
        #expect(WordWrap.lines("Scan something first: the sale is empty", width: 16)
            == ["Scan something", "first: the sale", "is empty"])
        #expect(WordWrap.lines("a 4006381333932000 b", width: 8) == ["a", "40063813", "33932000", "b"])
        #expect(WordWrap.lines("one\ntwo three", width: 20) == ["one", "two three"])
        #expect(WordWrap.lines("Kaffee ☕☕ Bohnen", width: 9) == ["Kaffee", "☕☕", "Bohnen"])
        #expect(WordWrap.clipped("Void order #1234? Enter voids it", width: 20) == "Void order #1234?…")
        #expect(WordWrap.clipped("short", width: 20) == "short")
    }

    /// The message is read whole: wrapped onto the rows above the status bar, every word intact.
    @Test func aLongMessageWrapsAboveTheStatusBar() throws {
        let text = "Manager approval needed: type the manager's user name and PIN, or Esc. The discount you typed stays."
        let grid = AppView.render(state(.error(text)), theme: try Theme.load("default"))
        let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let bottom = lines.suffix(2)
        #expect(bottom.first?.hasPrefix(String(repeating: " ", count: 18) + "Manager approval needed:") == true, "\(bottom)")
        #expect(bottom.last?.hasPrefix(" ana (cashier) │ ") == true)
        let shown = bottom.map { $0.dropFirst(17).trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(shown == text)
        // Error style across both rows, text and padding alike.
        #expect(grid[17, 22].style == (try Theme.load("default"))[.error])
        #expect(grid[79, 23].style == (try Theme.load("default"))[.error])
    }

    @Test func aVeryLongMessageEndsBetweenWordsWithAnEllipsis() throws {
        let text = Array(repeating: "every word of this sentence stays whole", count: 12).joined(separator: " ")
        let grid = AppView.render(state(.info(text)), theme: try Theme.load("default"))
        let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let area = lines.suffix(AppView.messageRows)
        #expect(area.last?.hasSuffix("…") == true)
        let words = Set(text.split(separator: " ").map(String.init))
        for line in area {
            for word in line.dropFirst(17).replacingOccurrences(of: "…", with: "").split(separator: " ") {
                #expect(words.contains(String(word)), "cut word \(word) in \(line)")
            }
        }
        #expect(!lines[lines.count - AppView.messageRows - 1].contains("every word"))
    }

    @Test func aPromptLabelLongerThanTheLineIsCutBetweenWords() throws {
        var grid = CellGrid(width: 40, height: 3)
        let theme = try Theme.load("default")
        grid.inputLine("Receive: REF QTY[@COST] or REF SKU=QTY[@COST]… [--again] ▸ ", text: "", in: Rect(x: 0, y: 0, width: 40, height: 3),
                       theme: theme)
        #expect(grid.line(1) == "  Receive: REF QTY[@COST] or REF…▏")
    }

    /// The X report at 80×24 is taller than the screen: it scrolls, and says there is more.
    @Test func theReportPanelScrollsInsteadOfCutting() throws {
        var state = state(nil)
        state.pane = .reports
        state.reports.panel = (1...40).map { "report line \($0)" }
        let theme = try Theme.load("default")
        var screen = AppView.render(state, theme: theme).text
        #expect(screen.contains("report line 1\u{20}") || screen.contains("report line 1 "))
        #expect(screen.contains("more ↓ (PgDn)"))
        #expect(!screen.contains("report line 40"))
        _ = AppReducer.reduce(&state, .key(.pageDown))
        _ = AppReducer.reduce(&state, .key(.pageDown))
        _ = AppReducer.reduce(&state, .key(.pageDown))
        screen = AppView.render(state, theme: theme).text
        #expect(screen.contains("report line 40"))
        #expect(screen.contains("↑ more (PgUp)"))
        #expect(!screen.contains("more ↓"))
        #expect(state.overlayScroll == ScrollableOverlay.maxOffset(state))
        _ = AppReducer.reduce(&state, .key(.escape))
        #expect(state.reports.panel == nil)
        #expect(state.overlayScroll == 0)
    }

    @Test func theReorderListScrollsWithItsSelection() throws {
        var state = state(nil)
        state.pane = .inventory
        state.inventory.panel = .reorder((1...30).map {
            ReorderRow(sku: "SKU-\($0)", name: "Item \($0)", onHand: "1", reorderPoint: "5", soldLast30Days: "3", suggested: "9")
        })
        let theme = try Theme.load("default")
        #expect(!AppView.render(state, theme: theme).text.contains("SKU-30 "))
        for _ in 0..<29 { _ = AppReducer.reduce(&state, .key(.down)) }
        #expect(state.inventory.reorderSelected == 29)
        let screen = AppView.render(state, theme: theme).text
        #expect(screen.contains("SKU-30 "))
        #expect(!screen.contains("SKU-1 "))
    }

    /// The style layer of a golden: a selected row, negative stock, money.
    @Test func negativeStockIsStyledInTheGolden() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max", shiftOpen: true)
        app.type("90*COF-001")
        app.press(.enter)
        app.press(.function(12))
        app.press(.enter)
        #expect(app.state.register.receipt != nil, "\(String(describing: app.state.message))")
        app.press(.function(3), .right)  // the shop floor, where the sale took the stock from
        app.type("COF-00")
        let row = try #require(app.state.inventory.list.selectedRow)
        #expect(row.sku == "COF-001" && row.onHand.milli < 0, "\(row)")
        // COF-001 below zero (n) under the selected COF-002 row (s); prices and totals in their roles.
        app.press(.down)
        TestApp.expectScreen(app, "inventory-negative-80x24", styles: true)
    }
}

/// Goldens at 80×24 of the screens this work changed: the help of an open order, a prompt's status bar, a long
/// message wrapped over an open box, the X report scrolled to its end.
@Suite struct FitGoldenTests {
    @Test func helpInsideAnOrder() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max")
        app.press(.function(4), .enter)
        app.press(.character("?"))
        TestApp.expectScreen(app, "help-order-detail-80x24", styles: true)
    }

    @Test func aPromptsKeysInTheStatusBar() throws {
        let app = try TestApp.demo()
        app.type("COF-001")
        app.press(.enter)
        app.press(.function(6))
        TestApp.expectScreen(app, "register-quantity-prompt-status-80x24")
    }

    @Test func theApprovalMessageWrapsWhole() throws {
        let app = try TestApp.demo()
        app.type("COF-001")
        app.press(.enter)
        app.press(.function(8))
        app.type("50%")
        app.press(.enter)
        let approval = try #require(app.state.approval)
        #expect(!approval.reason.isEmpty)
        let message = try #require(app.state.message)
        #expect(message.isError && DisplayWidth.of(message.text) > 80 - 18, "\(message.text)")
        TestApp.expectScreen(app, "register-approval-message-80x24", styles: true)
    }

    @Test func theXReportScrollsToItsEnd() throws {
        let app = try TestApp.demo(staff: "max (manager)", signedIn: "max", shiftOpen: true)
        app.type("COF-001")
        app.press(.enter)
        app.press(.function(12))
        app.press(.enter)
        app.press(.function(5))
        app.press(.character("x"))
        let lines = try #require(app.state.reports.panel)
        TestApp.expectScreen(app, "reports-x-report-80x24")
        if lines.count > ScrollableOverlay.visibleRows(app.state) {
            #expect(app.screen.contains("more ↓ (PgDn)"))
            while ScrollableOverlay.maxOffset(app.state) > app.state.overlayScroll { app.press(.pageDown) }
            #expect(app.screen.contains(lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? "?"))
            TestApp.expectScreen(app, "reports-x-report-end-80x24")
        }
    }
}
