import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// Issue 14 on the Inventory and Catalog panes: every prompt names what it acts on, the selection stays on the
/// row acted on, counting takes scans and confirms its variance, and all of it fits at 80×24.
@Suite struct StockPaneTests {
    static let longName = "Extra Virgin Cold-Pressed Organic Arbequina Olive Oil from the Hills of Catalonia, Limited Harvest Edition 750 ml"

    func onHand(_ app: AppDriver, _ sku: String, _ location: String) throws -> Quantity {
        let item = try #require(try Catalog(store: app.store).lookup(code: sku))
        return try Inventory(store: app.store).onHand(variantID: item.variantID, location: location)
    }

    /// Every line of the screen is 80 columns at most and no word of `text` is split across two lines.
    func expectWhole(_ app: AppDriver, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = app.screen.components(separatedBy: "\n")
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= app.state.size.width }, sourceLocation: sourceLocation)
        // The box's text, line by line without its borders, read as one run of words.
        let words = lines.map { line in
            line.replacingOccurrences(of: "│", with: " ").split(separator: " ").joined(separator: " ")
        }.joined(separator: " ")
        #expect(words.contains(text.split(separator: " ").joined(separator: " ")), "\(text) is not whole on screen",
                sourceLocation: sourceLocation)
    }

    func stockApp(_ width: Int = 80, _ height: Int = 24) throws -> AppDriver {
        try TestApp.demo(width: width, height: height, staff: "max (manager)", signedIn: "max",
                         prepare: ScreenTests.addAwkwardProducts)
    }

    @Test func transferAdjustAndReceiveNameTheSKUTheLocationAndTheFigure() throws {
        let app = try stockApp()
        app.press(.function(3))
        app.type("COF-002")
        app.press(.right)  // floor only
        let floor = try onHand(app, "COF-002", "floor")
        app.press(.control("t"))
        expectWhole(app, "Transfer COF-002 Espresso Roast 250 g from floor (\(floor) on hand) to back:")
        TestApp.expectScreen(app, "inventory-transfer-80x24")
        app.type("?")  // typed, not help; Tab is not the next pane: the box has its own keys
        app.press(.tab)
        #expect(app.state.inventory.input == "?" && app.state.pane == .inventory && !app.state.showingHelp)
        app.press(.backspace)
        app.press(.escape)
        #expect(app.state.inventory.prompt == nil)

        app.press(.control("a"))
        expectWhole(app, "Adjust COF-002 Espresso Roast 250 g at floor (\(floor) on hand) by:")
        TestApp.expectScreen(app, "inventory-adjust-80x24")
        // A line TillCore cannot read stays in the box to be corrected.
        app.type("-2")
        app.press(.enter)
        #expect(app.state.message == .error("type a quantity and a reason, e.g. -2 damaged"))
        #expect(app.state.inventory.prompt == .adjust && app.state.inventory.input == "-2")
        app.type(" damaged")
        app.press(.enter)
        #expect(app.state.message == .info("COF-002 at floor: -2 (damaged), on hand \(floor - .units(2))."))
        app.press(.control("a"))
        app.type("-1 damaged dropped by a customer")
        app.press(.enter)
        app.press(.enter)  // the movement history of the row still selected, with the note
        #expect(app.state.inventory.history?.row.sku == "COF-002")
        #expect(app.screen.contains("dropped by a customer"))
        TestApp.expectScreen(app, "inventory-history-note-80x24")
        app.press(.escape)
        app.press(.control("a"))
        app.type("+1 other found it, not broken")
        app.press(.enter)

        app.press(.control("r"))
        expectWhole(app, "Receive into floor, for COF-002 Espresso Roast 250 g (\(floor - .units(2)) on hand): delivery note or reference:")
        TestApp.expectScreen(app, "inventory-receive-80x24")
        app.type("DN-1001")
        app.press(.enter)
        #expect(app.state.inventory.prompt == .receiveLines(reference: "DN-1001", again: false))
        expectWhole(app, "Receive DN-1001 into floor: COF-002 Espresso Roast 250 g (\(floor - .units(2)) on hand), how many[@cost]:")
        TestApp.expectScreen(app, "inventory-receive-lines-80x24")
        let costBefore = try #require(try Catalog(store: app.store).lookup(code: "COF-002")?.cost)
        app.type("24@10.00")
        app.press(.enter)
        let cost = try #require(try Catalog(store: app.store).lookup(code: "COF-002")?.cost)
        #expect(cost < costBefore)  // €10.00 a unit brings the average down
        #expect(app.state.message == .info("Received DN-1001: COF-002 \(floor + .units(22)) at floor, avg. cost \(app.state.money(cost))."))
        #expect(try onHand(app, "COF-002", "floor") == floor + .units(22))
    }

    @Test func aLongNameWrapsInTheBoxAndIsNeverCut() throws {
        let app = try stockApp()
        app.press(.function(3))
        app.type("arbequina")
        app.press(.right)
        #expect(app.state.inventory.list.selectedRow?.sku == "AAA-LONG")
        app.press(.control("t"))
        expectWhole(app, "Transfer AAA-LONG \(Self.longName) from floor (0 on hand) to back:")
        TestApp.expectScreen(app, "inventory-transfer-long-name-80x24")
        app.press(.escape, .control("a"))
        expectWhole(app, "Adjust AAA-LONG \(Self.longName) at floor (0 on hand) by:")
        app.press(.escape)
        app.press(.function(2))
        app.type("arbequina")
        app.press(.control("b"))
        expectWhole(app, "Change the price of AAA-LONG \(Self.longName) (now €24.99) by:")
        TestApp.expectScreen(app, "catalog-price-one-long-name-80x24")
    }

    @Test func aTransferOnTheFifthRowStaysOnThatRowWithItsNewFigure() throws {
        let app = try stockApp()
        app.press(.function(3))
        for _ in 0..<4 { app.press(.down) }
        let row = try #require(app.state.inventory.list.selectedRow)
        #expect(app.state.inventory.list.selected == 4)
        #expect(row.locationCode == "floor")
        app.press(.control("t"))
        app.type("2")
        app.press(.enter)
        #expect(app.state.message == .info("Moved 2 \(row.sku) from floor to back."))
        let after = try #require(app.state.inventory.list.selectedRow)
        #expect(after.sku == row.sku && after.locationCode == "floor")
        #expect(after.onHand == row.onHand - .units(2))
        #expect(app.state.inventory.list.selected == 4)
        // The next Ctrl-T acts on the same SKU again.
        app.press(.control("t"))
        app.type("1")
        app.press(.enter)
        #expect(app.state.message == .info("Moved 1 \(row.sku) from floor to back."))
        #expect(app.state.inventory.list.selectedRow?.onHand == row.onHand - .units(3))
        // An adjustment too.
        app.press(.control("a"))
        app.type("-1 damaged")
        app.press(.enter)
        #expect(app.state.inventory.list.selectedRow?.sku == row.sku)
        #expect(app.state.inventory.list.selectedRow?.onHand == row.onHand - .units(4))
    }

    @Test func theCatalogStaysOnTheProductEditedOrArchived() throws {
        let app = try stockApp()
        app.press(.function(2))
        for _ in 0..<4 { app.press(.down) }
        let item = try #require(app.state.catalog.list.selectedRow)
        app.press(.control("e"))
        let priceField = try #require(ProductDraftText.fields.firstIndex { $0.key == "price" })
        for _ in 0..<priceField { app.press(.tab) }
        for _ in 0..<(app.state.catalog.form?.text["price"].count ?? 0) { app.press(.backspace) }
        app.type("9.99")
        app.press(.control("s"))
        #expect(app.state.message == .info("Saved \(item.sku)."))
        #expect(app.state.catalog.list.selectedRow?.sku == item.sku)
        #expect(app.state.catalog.list.selectedRow?.price == 999)
        #expect(app.state.catalog.list.selected == 4)
        // Archiving asks first, naming the product; Esc keeps it on sale.
        app.press(.control("x"))
        expectWhole(app, "Archive \(item.sku) \(item.displayName)? The till stops selling it; its stock, history and past orders stay.")
        TestApp.expectScreen(app, "catalog-archive-80x24")
        app.press(.escape)
        #expect(app.state.message == .info("\(item.sku) unchanged: still on sale."))
        #expect(try Catalog(store: app.store).lookup(code: item.sku)?.active == true)
        app.press(.control("x"), .enter)
        #expect(try Catalog(store: app.store).lookup(code: item.sku)?.active == false)
        #expect(app.state.catalog.list.selectedRow?.sku == item.sku)
        #expect(app.state.catalog.list.selectedRow?.active == false)
    }

    @Test func catalogPromptsNameTheCategoryOrTheProduct() throws {
        let app = try stockApp()
        app.press(.function(2), .right)
        let category = try #require(app.state.catalog.categoryName)
        app.press(.control("b"))
        expectWhole(app, "Change the price of every SKU in the category \(category) by:")
        TestApp.expectScreen(app, "catalog-price-category-80x24")
        app.type("5%")
        app.press(.enter)
        TestApp.expectScreen(app, "catalog-price-preview-80x24")
        let preview = try #require(app.state.catalog.pricePreview)
        let last = try #require(preview.rows.last)
        try #require(preview.rows.count > CatalogView.previewRows(app.state.size))
        #expect(!app.screen.contains(last.sku))
        // The preview scrolls to its last row instead of stopping at the screen's height.
        app.press(.pageDown, .pageDown, .pageDown)
        #expect(app.screen.contains(last.sku))
        #expect(app.screen.contains("of \(preview.rows.count), ↑↓ PgUp PgDn"))
        #expect(app.state.catalog.pricePreview != nil)
        app.press(.escape)
        #expect(app.state.message == .info("Prices unchanged."))
        app.press(.control("g"))
        expectWhole(app, "Rename the category \(category) (its products move with it) to:")
        TestApp.expectScreen(app, "catalog-rename-80x24")
    }

    @Test func theProductFormSaysEveryProblemWholeAt80Columns() throws {
        let app = try stockApp()
        app.press(.function(2), .control("n"))
        let values = ["COF-001", "Cold Brew Can", "", "4006381333933", "", "-3"]
        for (index, value) in values.enumerated() {
            let key = ProductDraftText.fields[index].key
            for _ in 0..<(app.state.catalog.form?.text[key].count ?? 0) { app.press(.backspace) }
            app.type(value)
            if index < values.count - 1 { app.press(.tab) }
        }
        app.press(.control("s"))
        let issues = try #require(app.state.catalog.form?.issues)
        #expect(!issues.isEmpty)
        for issue in issues where !issue.isWarning { expectWhole(app, issue.message) }
        #expect(app.state.message == .error("Not saved: 3 problems, shown in the form."))
        // The focused field says what goes in it (Price is focused), and every field has a hint that fits.
        #expect(app.screen.contains("the shelf price, per item or per kg, e.g. 12.50"))
        for _ in 0..<5 { app.press(.tab) }  // Product key
        #expect(app.screen.contains("the same key on several SKUs makes them variants of one product"))
        #expect(Set(CatalogView.fieldHints.keys) == Set(ProductDraftText.fields.map(\.key)))
        #expect(CatalogView.fieldHints.values.allSatisfy { DisplayWidth.of($0) <= 72 })
    }

    @Test func countingByScanListsWhatIsLeftAndConfirmsTheVariance() throws {
        let app = try stockApp()
        let store = app.store
        app.press(.function(3))
        app.type("COF-002")
        app.press(.right)  // floor only: the count is of the floor
        let books = try onHand(app, "COF-002", "floor")
        app.press(.escape)  // clear the search: the list stays on the floor
        app.press(.function(9))
        guard case let .count(empty) = app.state.inventory.panel else {
            Issue.record("expected the count view")
            return
        }
        #expect(empty.lines.isEmpty && empty.remaining > 0)
        app.type("4000949291343")  // COF-002's barcode, scanned twice
        app.press(.enter)
        app.type("4000949291343")
        app.press(.enter)
        guard case let .count(sheet) = app.state.inventory.panel else {
            Issue.record("expected the count view")
            return
        }
        #expect(sheet.lines.map(\.sku) == ["COF-002"] && sheet.lines[0].counted == .units(2))
        #expect(sheet.remaining == empty.remaining - 1)
        #expect(app.screen.contains("Still to count: \(sheet.remaining) SKUs with stock on the books"))
        // A bare quantity sets the SKU just scanned.
        app.type("\(books - .units(3))")
        app.press(.enter)
        app.type("COF-001 \(try onHand(app, "COF-001", "floor"))")
        app.press(.enter)
        TestApp.expectScreen(app, "inventory-count-80x24")
        // F10 shows the corrections; Esc goes back and writes nothing.
        app.press(.function(10))
        #expect(app.state.inventory.confirmingCount)
        let cost = try #require(try Catalog(store: store).lookup(code: "COF-002")?.cost)
        #expect(app.screen.contains("Net -3 units, \(app.state.money(-3 * cost)) at cost, from 1 correction to the stock ledger."))
        #expect(app.screen.contains("1 counted SKU matches the books"))
        TestApp.expectScreen(app, "inventory-count-confirm-80x24")
        app.press(.escape)
        #expect(!app.state.inventory.confirmingCount)
        #expect(app.state.message == .info("Not applied: count #\(sheet.id) is still open."))
        #expect(try onHand(app, "COF-002", "floor") == books)
        app.press(.function(10), .enter)
        #expect(app.state.message == .info("Count #\(sheet.id) applied: 1 correction."))
        #expect(try onHand(app, "COF-002", "floor") == books - .units(3))
    }

    @Test func theReorderListLeadsToTheSKUsStock() throws {
        let app = try stockApp()
        // Three coffees whose reorder point is above what the store holds.
        try app.store.write { db in
            try db.execute(sql: "UPDATE variant SET reorder_point_milli = 500000 WHERE sku IN ('COF-002', 'COF-003', 'COF-004')")
        }
        app.press(.function(3), .function(7))
        guard case let .reorder(rows) = app.state.inventory.panel else {
            Issue.record("expected the reorder list")
            return
        }
        try #require(rows.count > 1)
        TestApp.expectScreen(app, "inventory-reorder-80x24")
        app.press(.down, .enter)
        #expect(app.state.inventory.panel == nil)
        #expect(app.state.inventory.search == rows[1].sku)
        #expect(app.state.inventory.list.selectedRow?.sku == rows[1].sku)
        #expect(app.state.inventory.list.selectedRow?.locationCode == "floor")
        app.press(.function(8))
        TestApp.expectScreen(app, "inventory-valuation-80x24")
    }
}
