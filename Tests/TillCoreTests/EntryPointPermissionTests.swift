import Foundation
import Testing
import TillTestSupport
@testable import TillCore

/// The permission table, enforced: every restricted public TillCore entry point — writes and reads — called straight on the core with a
/// context for a member of each role: allowed exactly where the permission table says, refused with
/// `permissionDenied` everywhere else. A new restricted entry point belongs in this list.
@Suite struct EntryPointPermissionTests {
    @Test(arguments: StaffRole.allCases) func everyRestrictedEntryPointFollowsThePermissionTable(role: StaffRole) throws {
        let store = try TestStores.demoStore()
        let staff = Staff(store: store)
        let max = try staff.member(username: "max")
        let member = try staff.add(username: "tester", name: "Tester", role: role, pin: "2468",
                                   hasher: TestStores.testHasher, TillContext(staffID: try staff.member(username: "ada").id))
        let gateway = SimulatedTerminal(store: store)
        let later = TestStores.demoCreatedAt.addingTimeInterval(3600)
        let manager = TillContext(staffID: max.id, register: "main", terminal: gateway).at(later)
        let ctx = TillContext(staffID: member.id, register: "main", terminal: gateway).at(later)
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        func cardSale() throws -> Int64 {
            try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .units(2))],
                                            orderDiscount: nil, customerID: nil, tenders: [ScriptedTender(method: .card)], manager).number
        }
        let toVoid = try cardSale()
        let toRefund = try cardSale()
        let toExchange = try cardSale()
        let shift = try Shifts(store: store).open(float: 10_000, manager)
        let cart = try Carts(store: store).add(variantID: coffee.variantID, quantity: .one, ctx.acting(as: member.id))
        let count = try StockCounts(store: store).start(location: "back", manager)
        var reference = 0
        let actions: [(Permission, String, () throws -> Void)] = [
            (.sell, "Checkout.completeSale", {
                _ = try Checkout(store: store).completeSale(SaleRequest(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)],
                                                                       tenders: [Tender(method: .cash)]), ctx) }),
            (.sell, "Shifts.open", { _ = try Shifts(store: store).open(float: 0, ctx.acting(as: member.id).withRegister("other")) }),
            (.discountAboveLimit, "Carts.setOrderDiscount", {
                _ = try Carts(store: store).setOrderDiscount(cartID: cart.id, discount: .percent(basisPoints: 5000), ctx) }),
            (.priceOverride, "Carts.overridePrice", { _ = try Carts(store: store).overridePrice(cartID: cart.id, position: 1, price: 100, ctx) }),
            (.voidSale, "Refunds.void", { _ = try Refunds(store: store).void(orderNumber: toVoid, ctx) }),
            (.refund, "Refunds.refund", {
                _ = try Refunds(store: store).refund(RefundRequest(orderNumber: toRefund, lines: [RefundLineRequest(line: 1, quantity: .one)]), ctx) }),
            (.refund, "Refunds.exchange", {
                _ = try Refunds(store: store).exchange(orderNumber: toExchange, returning: [RefundLineRequest(line: 1, quantity: .one)],
                                                       newLines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)],
                                                       tenders: [], ctx) }),
            (.noReceiptReturn, "Refunds.returnWithoutReceipt", {
                _ = try Refunds(store: store).returnWithoutReceipt([NoReceiptItem(variantID: coffee.variantID, quantity: .one)],
                                                                   reason: "test", ctx) }),
            (.issueCredit, "StoreCredit.issue", { _ = try StoreCredit(store: store).issue(amount: 500, note: "goodwill", ctx) }),
            (.openDrawer, "Shifts.moveCash(no-sale)", { try Shifts(store: store).moveCash(.noSale, amount: 0, reason: "test", ctx) }),
            (.openDrawer, "Shifts.moveCash(pay-in)", { try Shifts(store: store).moveCash(.payIn, amount: 100, reason: "test", ctx) }),
            (.openDrawer, "Shifts.moveCash(pay-out)", { try Shifts(store: store).moveCash(.payOut, amount: 100, reason: "test", ctx) }),
            (.adjustStock, "StockOperations.adjust", { _ = try StockOperations(store: store).adjust(sku: "COF-002", delta: .one, reason: .received, ctx) }),
            (.adjustStock, "StockOperations.receive", {
                reference += 1
                try StockOperations(store: store).receive(reference: "PERM-\(reference)", lines: [.init(sku: "COF-002", quantity: .one)], ctx) }),
            (.adjustStock, "StockOperations.transfer", {
                try StockOperations(store: store).transfer(sku: "COF-002", quantity: .one, from: "floor", to: "back", ctx) }),
            (.adjustStock, "StockCounts.start", {
                let id = try StockCounts(store: store).start(location: "floor", ctx)
                try StockCounts(store: store).cancel(countID: id, manager) }),
            (.adjustStock, "StockCounts.set", { try StockCounts(store: store).set(countID: count, sku: "COF-002", counted: .one, ctx) }),
            (.editCatalog, "CatalogEditor.setActive", { try CatalogEditor(store: store).setActive(sku: "SNK-002", false, ctx) }),
            (.editCatalog, "CatalogEditor.addCategory", { try CatalogEditor(store: store).addCategory("Perm \(UUID().uuidString.prefix(6))", ctx) }),
            (.editCatalog, "CatalogEditor.changePrices", {
                _ = try CatalogEditor(store: store).changePrices(skus: ["SNK-002"], change: try BulkPriceChange.parse("5%", currency: .EUR),
                                                                 apply: true, ctx) }),
            (.editCatalog, "LabelQueue.add", { try LabelQueue(store: store).add(skus: ["SNK-002"], ctx) }),
            (.editCatalog, "LabelQueue.clear", { try LabelQueue(store: store).clear(ctx) }),
            (.editCatalog, "LabelQueue.print", {
                try LabelQueue(store: store).print(LabelPrintJob(skus: ["COF-002"]), destination: "test", ctx) { _ in } }),
            (.editCatalog, "Promotions.add", {
                try Promotions(store: store).add(name: "Perm", .buyXGetY(sku: "SNK-002", buy: 2, free: 1), ctx) }),
            (.editCatalog, "Promotions.end", { try Promotions(store: store).end(id: 1, ctx) }),
            (.viewReports, "DayReports.x", { _ = try DayReports(store: store).x(ctx) }),
            (.viewReports, "DayReports.allZ", { _ = try DayReports(store: store).allZ(ctx) }),
            (.viewReports, "SalesReports.summary", { _ = try SalesReports(store: store).summary(from: .distantPast, to: .distantFuture, ctx) }),
            (.viewReports, "SalesReports.sales", { _ = try SalesReports(store: store).sales(from: .distantPast, to: .distantFuture, by: .category, ctx) }),
            (.viewReports, "SalesReports.exceptions", { _ = try SalesReports(store: store).exceptions(from: .distantPast, to: .distantFuture, ctx) }),
            (.viewReports, "StockReports.valuation", { _ = try StockReports(store: store).valuation(by: .category, ctx) }),
            (.viewReports, "StockReports.reorder", { _ = try StockReports(store: store).reorder(ctx) }),
            (.viewReports, "Reconciliation.run", { _ = try Reconciliation(store: store, terminal: gateway).run(day: later, ctx) }),
            (.viewReports, "Shifts.history", { _ = try Shifts(store: store).history(ctx) }),
            (.viewReports, "Shifts.summary(shiftID:)", { _ = try Shifts(store: store).summary(shiftID: shift.id ?? 0, ctx) }),
            (.manageStaff, "Staff.add", { _ = try staff.add(username: "other\(Int.random(in: 0...99999))", name: "Other", role: .cashier,
                                                            pin: "1357", hasher: TestStores.testHasher, ctx) }),
            (.manageStore, "StoreSettingsEditor.set", { try StoreSettingsEditor(store: store).set("name", to: "Renamed", ctx) }),
            (.manageStore, "TaxRates.add", { _ = try TaxRates(store: store).add(ctx, code: "T\(Int.random(in: 0...99999))", name: "Test", rate: "5") }),
            (.manageStore, "TaxRates.set", { _ = try TaxRates(store: store).set(ctx, code: "zero", rate: "0") }),
            (.manageStore, "TaxRates.list", { _ = try TaxRates(store: store).list(ctx) }),
            (.closeDay, "DayReports.z", {
                // Every drawer is counted before the Z (the day's other rules are not what this checks).
                for register in ["main", "other"] where try Shifts(store: store).current(register: register) != nil {
                    _ = try Shifts(store: store).close(count: try CashCount.parse("1x0", currency: .EUR), manager.withRegister(register))
                }
                _ = try DayReports(store: store).z(ctx) }),
        ]
        #expect(Set(actions.map(\.0)) == Set(Permission.allCases))
        for (permission, name, action) in actions {
            do {
                try action()
                #expect(role.allows(permission), "\(role) was allowed \(name) (\(permission.summary))")
            } catch let error as TillError {
                guard case let .permissionDenied(reason) = error else {
                    Issue.record("\(role) / \(name): not a permission answer: \(error)")
                    continue
                }
                #expect(!role.allows(permission), "\(role) was refused \(name): \(reason)")
            }
        }
    }
}

extension TillContext {
    func withRegister(_ register: String) -> TillContext {
        var copy = self
        copy.register = register
        return copy
    }
}
