import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Suppliers and purchase orders on the demo store, from the reorder list to a closed order.
@Suite struct PurchaseOrderTests {
    let store: StoreDatabase
    let suppliers: Suppliers
    let orders: PurchaseOrders
    /// The store's owner at a shell, at the main till, at a fixed moment.
    let ctx: TillContext

    init() throws {
        store = try TestStores.demoStore()
        suppliers = Suppliers(store: store)
        orders = PurchaseOrders(store: store)
        ctx = TillContext().at(Date(timeIntervalSince1970: 1_796_000_000))
    }

    func onHand(_ sku: String) throws -> Quantity {
        try #require(try Catalog(store: store).lookup(code: sku)).onHand
    }

    func cost(_ sku: String) throws -> Int64? { try Catalog(store: store).lookup(code: sku)?.cost }

    /// Sets a SKU's stock (all of it on the floor) and reorder point, so it is on the reorder list.
    func stock(_ sku: String, onHand units: Int64, reorderAt point: Int64) throws {
        try store.write { db in
            let id = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM variant WHERE sku = ?", arguments: [sku]))
            try db.execute(sql: "UPDATE variant SET reorder_point_milli = ? WHERE id = ?", arguments: [point * 1000, id])
            try db.execute(sql: "UPDATE stock_level SET on_hand_milli = CASE WHEN location_id = (SELECT id FROM location WHERE code = 'floor') THEN ? ELSE 0 END WHERE variant_id = ?",
                           arguments: [units * 1000, id])
        }
    }

    /// A sale of `units` of `sku` `daysAgo` days ago, as a ledger row (what the sales rate reads).
    func sold(_ sku: String, units: Int64, daysAgo: Double) throws {
        try store.write { db in
            let id = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM variant WHERE sku = ?", arguments: [sku]))
            try db.execute(sql: """
                INSERT INTO stock_movement(variant_id, location_id, delta_milli, reason, reference, created_at)
                VALUES (?, (SELECT id FROM location WHERE code = 'floor'), ?, 'sale', 'test', ?)
                """, arguments: [id, -units * 1000, ctx.now.addingTimeInterval(-daysAgo * 86_400)])
        }
    }

    func addAcme(lead: Int = 7) throws {
        try suppliers.add(code: "ACME", changes: .init(name: "Acme Coffee Traders", contact: "Jo", email: "orders@acme.example",
                                                       leadTimeDays: lead, terms: "Net 30"), ctx)
    }

    @Test func suppliersAreAddedEditedListedAndRefuseBadInput() throws {
        try addAcme()
        #expect(throws: TillError.duplicate("supplier ACME (Acme Coffee Traders)")) {
            try suppliers.add(code: "acme", changes: .init(name: "Another"), ctx)
        }
        #expect(throws: TillError.invalid("a supplier code is one word, e.g. ACME (got \"AC ME\")")) {
            try suppliers.add(code: "AC ME", changes: .init(name: "X"), ctx)
        }
        #expect(throws: TillError.invalid("a supplier needs a name (--name)")) { try suppliers.add(code: "B", changes: .init(), ctx) }
        #expect(throws: TillError.invalid("lead time 400 days: give 0 to 365 days")) {
            try suppliers.edit(code: "ACME", changes: .init(leadTimeDays: 400), ctx)
        }
        try suppliers.edit(code: "acme", changes: .init(leadTimeDays: 3, terms: "Net 14"), ctx)
        try suppliers.setItem(supplier: "ACME", sku: "COF-001", itemCode: "AC-9", caseSize: .units(6), cost: 140, ctx)
        let rows = try suppliers.list()
        #expect(rows.map(\.supplier.code) == ["ACME"])
        #expect(rows.first?.items == 1)
        #expect(rows.first?.supplier.leadTimeDays == 3)
        #expect(try suppliers.items(code: "ACME").map { [$0.sku, $0.item.itemCode, $0.item.caseSize.description] } == [["COF-001", "AC-9", "6"]])
        #expect(throws: TillError.notFound("supplier NOPE (till supplier list shows them)")) { try suppliers.supplier(code: "NOPE") }
        #expect(throws: TillError.invalidQuantity("0.5", reason: "COF-001 is counted in whole units")) {
            try suppliers.setItem(supplier: "ACME", sku: "COF-001", caseSize: Quantity(milli: 500), ctx)
        }
        #expect(try AuditLog.entries(store).prefix(3).map(\.action) == ["supplier.item", "supplier.edit", "supplier.add"])
    }

    @Test func aCashierMayNotManageSuppliersOrOrders() throws {
        let cashier = TestStores.context(store, staffID: try TestStores.cashierID(store))
        #expect(throws: TillError.self) { try suppliers.add(code: "ACME", changes: .init(name: "Acme"), cashier) }
        try addAcme()
        #expect(throws: TillError.self) { try orders.draft(supplier: "ACME", cashier) }
    }

    @Test func theDraftCoversLeadTimeAndCoverAtTheSalesRateRoundedUpToCases() throws {
        try addAcme(lead: 7)
        try suppliers.setItem(supplier: "ACME", sku: "COF-001", itemCode: "AC-9", caseSize: .units(12), cost: 140, ctx)
        try sold("COF-001", units: 60, daysAgo: 10)
        try stock("COF-001", onHand: 4, reorderAt: 5)
        let suggestion = try #require(try orders.suggestions(supplier: "ACME", ctx).first)
        let sold = suggestion.soldInWindow.milli
        #expect(sold >= 60_000)
        #expect(suggestion.onHand == .units(4))
        // Sales over lead time + cover at the window's rate, + reorder point 5 − on hand 4, in whole cases of 12:
        // 60 sold in 30 days is 42 over 21 days, so 43 → four cases.
        let need = (sold * 21 + 15_000) / 30 + 5_000 - 4_000
        #expect(suggestion.quantity.milli == (need + 11_999) / 12_000 * 12_000)
        #expect(suggestion.quantity.milli % 12_000 == 0)
        #expect(suggestion.caseSize == .units(12))
        let result = try orders.draftFromReorderList(supplier: "ACME", ctx)
        let number = try #require(result.orders.first)
        #expect(number == PurchaseOrders.firstNumber)
        let detail = try orders.detail(number: number)
        #expect(detail.order.status == .draft)
        #expect(detail.lines.map { [$0.sku, $0.line.ordered.description, $0.itemCode] } == [["COF-001", suggestion.quantity.description, "AC-9"]])
        #expect(detail.lines.first?.line.unitCost == 140)
        // What is on order counts: drafting again finds nothing more to order, and the reorder list agrees.
        #expect(try orders.suggestions(supplier: "ACME", ctx).isEmpty)
        #expect(try StockReports(store: store).reorder(ctx).contains { $0.sku == "COF-001" } == false)
        #expect(throws: TillError.invalid("no purchase order drafted: nothing ACME supplies is at or below its reorder point (counting what is on order)")) {
            try orders.draftFromReorderList(supplier: "ACME", ctx)
        }
    }

    @Test func aSKUSeveralSupplySupplyGoesToTheCheapestAndOneNobodySuppliesIsNamed() throws {
        try addAcme()
        try suppliers.add(code: "BEANS", changes: .init(name: "Beans & Co", leadTimeDays: 2), ctx)
        try suppliers.setItem(supplier: "ACME", sku: "COF-001", cost: 150, ctx)
        try suppliers.setItem(supplier: "BEANS", sku: "COF-001", cost: 130, ctx)
        try suppliers.setItem(supplier: "ACME", sku: "COF-002", cost: 900, ctx)
        try stock("COF-001", onHand: 1, reorderAt: 5)
        try stock("COF-002", onHand: 1, reorderAt: 8)
        try stock("COF-003", onHand: 0, reorderAt: 3)
        let result = try orders.draftFromReorderList(ctx)
        #expect(result.orders.count == 2)
        let bySupplier = Dictionary(uniqueKeysWithValues: try result.orders.map { number in
            let detail = try orders.detail(number: number)
            return (detail.supplier.code, detail.lines.map(\.sku))
        })
        #expect(bySupplier == ["ACME": ["COF-002"], "BEANS": ["COF-001"]])
        #expect(result.withoutSupplier.contains("COF-003"))
    }

    @Test func editingSendingAndTheDocuments() throws {
        try addAcme(lead: 5)
        try suppliers.setItem(supplier: "ACME", sku: "COF-001", itemCode: "AC,9", caseSize: .units(6), cost: 140, ctx)
        let number = try orders.draft(supplier: "ACME", lines: [.init(sku: "COF-001", quantity: .units(10))], note: "Ring at the back door", ctx)
        // 10 is not whole cases of 6: the supplier delivers 12, and an edit says so.
        #expect(try orders.detail(number: number).lines.first?.line.ordered == .units(12))
        #expect(try orders.edit(number: number, set: [.init(sku: "COF-001", quantity: .units(7))], ctx) == ["COF-001: 7 rounded up to 12, cases of 6"])
        // A draft owes nothing yet.
        #expect(try orders.list().first?.backOrderedLines == 0)
        try orders.edit(number: number, set: [.init(sku: "COF-002", quantity: .units(3), cost: 1000)], ctx)
        try orders.edit(number: number, remove: ["COF-002"], ctx)
        #expect(throws: TillError.notFound("COF-002 on PO-1001")) { try orders.edit(number: number, remove: ["COF-002"], ctx) }
        try orders.edit(number: number, set: [.init(sku: "COF-003", quantity: .units(2), cost: 455)], ctx)
        #expect(throws: TillError.invalid("PO-1001 is a draft: send it first (till po send 1001), then receive against it")) {
            try orders.receive(number: number, lines: [.init(sku: "COF-001", quantity: .units(1))], ctx)
        }
        let sent = try orders.send(number: number, ctx)
        #expect(sent.order.status == .sent)
        #expect(sent.order.expectedOn != nil)
        let csv = PurchaseOrderDocument.csv(sent)
        let parsed = try CSVFile.parse(data: Data(csv.utf8), name: "PO-1001.csv")
        #expect(parsed.header == PurchaseOrderDocument.csvHeader)
        #expect(parsed.records.map { [$0["supplier_item_code"], $0["sku"], $0["cases"], $0["quantity"], $0["unit_cost"], $0["line_total"]] }
                == [["AC,9", "COF-001", "2", "12", "1.40", "16.80"], ["", "COF-003", "2", "2", "4.55", "9.10"]])
        let text = PurchaseOrderDocument.text(sent, storeName: "Demo", timeZone: TimeZone(identifier: "UTC")!)
        #expect(text.contains("PURCHASE ORDER PO-1001"))
        #expect(text.contains("Terms: Net 30"))
        #expect(text.contains("Note:  Ring at the back door"))
        #expect(text.contains("Total €25.90"))
        #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 78 })
    }

    @Test func receivingPartlyOverAndNotOrderedWithCaseCodesAndTheAverageCost() throws {
        try addAcme()
        try suppliers.setItem(supplier: "ACME", sku: "COF-001", caseSize: .units(12), cost: 145, ctx)
        // A case code for COF-001: a GTIN-14 holding 12.
        let caseCode = "1408308627149" + String(Barcode.checkDigit(forBody: "1408308627149"))
        try store.write { db in
            try db.execute(sql: "INSERT INTO barcode(code, variant_id, pack_quantity) SELECT ?, id, 12 FROM variant WHERE sku = 'COF-001'",
                           arguments: [caseCode])
        }
        let number = try orders.draft(supplier: "ACME", lines: [.init(sku: "COF-001", quantity: .units(24)),
                                                                .init(sku: "COF-002", quantity: .units(10), cost: 1000)], ctx)
        try orders.send(number: number, ctx)
        let coffee = try onHand("COF-001"), espresso = try onHand("COF-002")
        let oldCost = try #require(try cost("COF-001"))

        // First delivery: one case scanned and two single units (the unit barcode), espresso short.
        let first = try orders.receive(number: number, lines: [.init(sku: caseCode, quantity: .one), .init(sku: "4083086271492", quantity: .one),
                                                               .init(sku: "4083086271492", quantity: .one), .init(sku: "COF-002", quantity: .units(4))],
                                       deliveryNote: "DN-1", ctx)
        #expect(first.status == .partial)
        #expect(first.lines.map { [$0.sku, $0.now.description, $0.backOrdered.description] } == [["COF-001", "14", "10"], ["COF-002", "4", "6"]])
        #expect(try onHand("COF-001") == coffee + .units(14))
        #expect(try onHand("COF-002") == espresso + .units(4))
        let held = max(0, coffee.milli / 1000)
        #expect(try cost("COF-001") == (oldCost * held + 145 * 14 + (held + 14) / 2) / (held + 14))

        // The same delivery note twice is refused; nothing changes.
        #expect(throws: TillError.invalid("delivery note DN-1 against PO-1001 was already received; to book it again, add --again")) {
            try orders.receive(number: number, lines: [.init(sku: "COF-001", quantity: .one)], deliveryNote: "DN-1", ctx)
        }
        // Something not ordered is refused, then kept with a reason.
        #expect(throws: TillError.invalid("COF-003 (COF-003) is not on PO-1001 from ACME: refuse it, or keep it with --add-reason \"why\"")) {
            try orders.receive(number: number, lines: [.init(sku: "COF-001", quantity: .units(10)), .init(sku: "COF-003", quantity: .units(2), cost: 450)], ctx)
        }
        #expect(try onHand("COF-001") == coffee + .units(14))
        let second = try orders.receive(number: number, lines: [.init(sku: "COF-001", quantity: .units(12)), .init(sku: "COF-003", quantity: .units(2), cost: 450)],
                                        deliveryNote: "DN-2", addReason: "sent as a sample", ctx)
        #expect(second.lines.map { [$0.sku, $0.over.description, $0.addedReason ?? ""] } == [["COF-001", "2", ""], ["COF-003", "2", "sent as a sample"]])
        #expect(second.status == .partial)  // espresso is still short
        let cancelled = try orders.close(number: number, ctx)
        #expect(cancelled.map { "\($0.sku) \($0.cancelled)" } == ["COF-002 6"])
        #expect(throws: TillError.invalid("PO-1001 is closed; receive this delivery against a new order, or with till stock receive")) {
            try orders.receive(number: number, lines: [.init(sku: "COF-002", quantity: .units(6))], ctx)
        }
        // Kept, not ordered: that does not make ACME its supplier (the next draft would order it from them).
        #expect(try suppliers.items(code: "ACME").map(\.sku) == ["COF-001", "COF-002"])  // COF-002 was ordered from them
        #expect(try suppliers.items(code: "ACME").first?.item.lastCost == 145)
        // Closed: nothing is owed any more, the rest was cancelled.
        #expect(try orders.list().first?.backOrderedLines == 0)
        #expect(try StoreDoctor(store: store).examine().passed)
        // An order that claims goods the ledger never received is found.
        try store.write { db in
            try db.execute(sql: "UPDATE purchase_order_line SET received_milli = received_milli + 1000 WHERE variant_id = (SELECT id FROM variant WHERE sku = 'COF-002')")
        }
        let check = try #require(try StoreDoctor(store: store).examine().checks.first { $0.name == "purchase orders == deliveries" })
        #expect(!check.passed)
        #expect(check.detail == "PO-1001 COF-002 says 5 received, the ledger 4")
    }

    @Test func freightIsSharedToTheCentAndLandsInTheCost() throws {
        #expect(try LandedCost.shares(freight: 1000, lines: [(3000, 100), (1000, 100), (2000, 100)], basis: .quantity) == [500, 167, 333])
        #expect(try LandedCost.shares(freight: 100, lines: [(1000, 300), (1000, 300), (1000, 300)], basis: .value) == [34, 33, 33])
        #expect(try LandedCost.shares(freight: 999, lines: [(2000, 1000), (1000, 1000)], basis: .value).reduce(0, +) == 999)
        // Free goods: by units instead.
        #expect(try LandedCost.shares(freight: 10, lines: [(1000, 0), (4000, 0)], basis: .value) == [2, 8])
        #expect(try LandedCost.unitCost(100, unitsMilli: 3000, share: 50) == 117)

        try addAcme()
        let number = try orders.draft(supplier: "ACME", lines: [.init(sku: "COF-001", quantity: .units(10), cost: 100),
                                                                .init(sku: "COF-002", quantity: .units(10), cost: 300)], ctx)
        try orders.send(number: number, ctx)
        try store.write { db in try db.execute(sql: "UPDATE stock_level SET on_hand_milli = 0 WHERE variant_id IN (SELECT id FROM variant WHERE sku IN ('COF-001', 'COF-002'))") }
        let result = try orders.receive(number: number, lines: [.init(sku: "COF-001", quantity: .units(10)), .init(sku: "COF-002", quantity: .units(10))],
                                        freight: .init(amount: 800, basis: .value), ctx)
        // 800 by value (1000 : 3000): 200 and 600 over 10 units each.
        #expect(result.lines.map(\.landedCost) == [120, 360])
        #expect(try cost("COF-001") == 120)
        #expect(try cost("COF-002") == 360)
        #expect(result.status == .received)
        // The supplier's own price is kept without the freight.
        #expect(try suppliers.items(code: "ACME").map(\.item.lastCost) == [100, 300])
    }

    @Test func freightNeedsACostOnEveryLine() throws {
        try addAcme()
        try store.write { db in try db.execute(sql: "UPDATE variant SET cost = NULL WHERE sku = 'COF-003'") }
        let number = try orders.draft(supplier: "ACME", lines: [.init(sku: "COF-003", quantity: .units(2))], ctx)
        try orders.send(number: number, ctx)
        #expect(throws: TillError.invalid("freight is spread over the lines' costs, but COF-003 has no cost: give it as SKU=QTY@COST")) {
            try orders.receive(number: number, lines: [.init(sku: "COF-003", quantity: .units(2))], freight: .init(amount: 500, basis: .value), ctx)
        }
    }
}
