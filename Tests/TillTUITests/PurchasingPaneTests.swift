import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// The suppliers and purchase orders view (F11 on the Inventory pane): suppliers over the orders, drafting from
/// the reorder list, one order's lines.
@Suite struct PurchasingPaneTests {
    /// Two suppliers; three coffees under their reorder point, two of them supplied.
    static func prepare(_ store: StoreDatabase) throws {
        let ctx = TillContext()
        let suppliers = Suppliers(store: store)
        try suppliers.add(code: "ACME", changes: .init(name: "Acme Coffee Traders", leadTimeDays: 5, terms: "Net 30"), ctx)
        try suppliers.add(code: "BAKERY", changes: .init(name: "Bäckerei Körner", leadTimeDays: 1), ctx)
        try suppliers.setItem(supplier: "ACME", sku: "COF-002", itemCode: "AC-2", caseSize: .units(6), cost: 1011, ctx)
        try suppliers.setItem(supplier: "ACME", sku: "COF-003", caseSize: .units(12), cost: 455, ctx)
        try store.write { db in
            try db.execute(sql: "UPDATE variant SET reorder_point_milli = 500000 WHERE sku IN ('COF-002', 'COF-003', 'COF-004')")
        }
    }

    func app(_ width: Int = 80, _ height: Int = 24, staff: String = "max (manager)") throws -> AppDriver {
        try TestApp.demo(width: width, height: height, staff: staff, prepare: Self.prepare)
    }

    @Test func draftingFromTheReorderListAndReadingAnOrder() throws {
        let app = try app()
        app.press(.function(3), .function(11))
        guard case let .purchasing(panel)? = app.state.inventory.panel else {
            Issue.record("expected the suppliers and purchase orders view")
            return
        }
        #expect(panel.suppliers.map(\.supplier.code) == ["ACME", "BAKERY"])
        #expect(panel.orders.isEmpty)
        TestApp.expectScreen(app, "inventory-purchasing-empty-80x24")
        app.press(.character("d"))
        let message = try #require(app.state.message)
        #expect(!message.isError)
        #expect(message.text.hasPrefix("Drafted PO-1001 ("), "\(message.text)")
        guard case let .purchasing(drafted)? = app.state.inventory.panel else {
            Issue.record("the view should stay after drafting")
            return
        }
        #expect(drafted.orders.map(\.number) == [1001])
        #expect(drafted.orders.first?.status == .draft)
        TestApp.expectScreen(app, "inventory-purchasing-80x24", styles: true)
        app.press(.enter)
        guard case let .purchasing(opened)? = app.state.inventory.panel, let detail = opened.detail else {
            Issue.record("Enter should open the order")
            return
        }
        #expect(detail.lines.map(\.sku) == ["COF-002", "COF-003"])
        // Whole cases: 6s and 12s.
        #expect(detail.lines.allSatisfy { $0.line.orderedMilli % $0.line.caseSizeMilli == 0 })
        TestApp.expectScreen(app, "inventory-purchase-order-80x24")
        app.press(.escape)
        if case let .purchasing(list)? = app.state.inventory.panel { #expect(list.detail == nil) } else { Issue.record("Esc goes back to the orders") }
        app.press(.escape)
        #expect(app.state.inventory.panel == nil)
    }

    @Test func aReceivedOrderShowsWhatIsOwedAt100x30() throws {
        let app = try app(100, 30)
        let ctx = TillContext()
        let orders = PurchaseOrders(store: app.store)
        let number = try orders.draft(supplier: "ACME", lines: [.init(sku: "COF-002", quantity: .units(12)), .init(sku: "COF-003", quantity: .units(12))], ctx)
        try orders.send(number: number, ctx.at(TestApp.clock))
        _ = try orders.receive(number: number, lines: [.init(sku: "COF-002", quantity: .units(12)), .init(sku: "COF-003", quantity: .units(5))], ctx)
        app.press(.function(3), .function(11), .enter)
        TestApp.expectScreen(app, "inventory-purchase-order-partial-100x30")
        #expect(app.screen.contains("Part delivered"))
    }

    @Test func aDeliveryIsScannedInAndBookedAtOnce() throws {
        let app = try app()
        let ctx = TillContext()
        let orders = PurchaseOrders(store: app.store)
        let number = try orders.draft(supplier: "ACME", lines: [.init(sku: "COF-002", quantity: .units(12))], ctx)
        app.press(.function(3), .function(11))
        // A draft cannot be received: s sends it (the documents go beside the store).
        app.press(.control("r"))
        #expect(app.state.inventory.delivery == nil)
        app.press(.character("s"))
        #expect(app.state.message?.text.hasPrefix("PO-\(number) sent: ") == true, "\(String(describing: app.state.message))")
        #expect(FileManager.default.fileExists(atPath: PurchaseOrderDocument.folder(for: app.store).appendingPathComponent("PO-\(number).csv").path))
        let before = try #require(try Catalog(store: app.store).lookup(code: "COF-002")).onHand
        app.press(.control("r"))
        #expect(app.state.inventory.delivery == [])
        // Two scans of the unit barcode and a typed line; nothing is booked until F10.
        app.type("4000949291343")
        app.press(.enter)
        app.type("4000949291343")
        app.press(.enter)
        // A quantity that is not one is refused as it is typed, and stays to be corrected.
        app.type("COF-002=-3")
        app.press(.enter)
        #expect(app.state.message?.isError == true)
        #expect(app.state.inventory.input == "COF-002=-3")
        app.press(.backspace, .backspace, .character("3"))
        #expect(app.state.inventory.input == "COF-002=3")
        app.press(.enter)
        #expect(app.state.inventory.delivery == ["4000949291343", "4000949291343", "COF-002=3"])
        #expect(try Catalog(store: app.store).lookup(code: "COF-002")?.onHand == before)
        TestApp.expectScreen(app, "inventory-purchase-delivery-80x24")
        app.press(.control("x"))
        #expect(app.state.inventory.delivery == ["4000949291343", "4000949291343"])
        app.press(.function(10))
        #expect(app.state.message == .info("PO-\(number): 2 received on 1 line, 1 line still owed."))
        #expect(app.state.inventory.delivery == nil)
        #expect(try Catalog(store: app.store).lookup(code: "COF-002")?.onHand == before + .units(2))
        #expect(try orders.detail(number: number).order.status == .partial)
        // Something not on the order is refused and the scans stay, to be taken off — or kept, saying why.
        app.press(.escape, .control("r"))
        app.type("COF-001")
        app.press(.enter, .function(10))
        #expect(app.state.message?.isError == true)
        #expect(app.state.inventory.delivery == ["COF-001"])
        app.press(.control("k"))
        #expect(app.state.inventory.typingDeliveryReason)
        app.type("sent as a sample")
        app.press(.enter)
        #expect(app.state.inventory.deliveryReason == "sent as a sample")
        #expect(app.screen.contains("Not on the order but kept: sent as a sample"))
        app.press(.function(10))
        #expect(app.state.message?.isError == false, "\(String(describing: app.state.message))")
        let kept = try #require(try orders.detail(number: number).lines.first { $0.sku == "COF-001" })
        #expect(kept.line.addedReason == "sent as a sample")
        #expect(app.state.inventory.delivery == nil)
    }

    @Test func aCashierCannotDraftOrders() throws {
        let app = try app(staff: "ana (cashier)")
        app.press(.function(3), .function(11), .character("d"))
        let message = try #require(app.state.message)
        #expect(message.isError)
        #expect(message.text.contains("adjust"), "\(message.text)")
        #expect(try PurchaseOrders(store: app.store).list().isEmpty)
    }
}
