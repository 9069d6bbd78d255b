import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

@Suite struct CartTests {
    let store: StoreDatabase
    let carts: Carts

    init() throws {
        store = try TestStores.demoStore()
        carts = Carts(store: store)
    }

    /// Nobody signed in, at `register`: carts need no permission.
    func at(_ register: String) -> TillContext { TestStores.context(store, staffID: nil, register: register) }

    func variant(_ sku: String) throws -> Int64 { try #require(try Catalog(store: store).lookup(code: sku)).variantID }

    @Test func aCartIsStoredAsItChangesAndTouchesNoStock() throws {
        let coffee = try variant("COF-001")
        let stockBefore = try Inventory(store: store).onHand(variantID: coffee, location: "floor")
        _ = try carts.add(variantID: coffee, at("till-1"))
        let cart = try carts.add(variantID: coffee, at("till-1"))
        #expect(cart.lines.count == 1 && cart.lines[0].quantity == .units(2))
        #expect(cart.order.status == .open && cart.order.number == nil)
        #expect(try Inventory(store: store).onHand(variantID: coffee, location: "floor") == stockBefore)
        // Another process sees the same cart.
        let reopened = try Carts(store: try StoreDatabase.open(path: store.path)).current(register: "till-1")
        #expect(reopened?.lines == cart.lines)
        #expect(reopened?.order.total == cart.order.total && reopened?.id == cart.id)
        #expect(try carts.current(register: "till-2") == nil)
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func linesRenumberAfterARemoval() throws {
        var cart = try carts.add(variantID: try variant("COF-001"), at("r"))
        cart = try carts.add(variantID: try variant("COF-002"), at("r"))
        cart = try carts.add(variantID: try variant("COF-003"), at("r"))
        cart = try carts.removeLine(cartID: cart.id, position: 1, at("r"))
        #expect(cart.lines.map(\.position) == [1, 2])
        #expect(cart.lines.map(\.sku) == ["COF-002", "COF-003"])
    }

    @Test func discountsAreRepricedWithTheCoreRules() throws {
        var cart = try carts.add(variantID: try variant("COF-002"), quantity: .units(2), at("r"))
        let gross = cart.order.total
        cart = try carts.setLineDiscount(cartID: cart.id, position: 1, discount: .percent(basisPoints: 1000), reason: "damaged box", at("r"))
        #expect(cart.order.discountTotal == (gross + 5) / 10)
        cart = try carts.setOrderDiscount(cartID: cart.id, discount: .amount(100), at("r"))
        #expect(cart.order.total == gross - (gross + 5) / 10 - 100)
        #expect(cart.lines[0].discountReason == "damaged box")
        #expect(throws: TillError.permissionDenied("a discount above 20% needs a signed-in manager")) { try carts.setOrderDiscount(cartID: cart.id, discount: .amount(1_000_000), at("r")) }
        #expect(throws: TillError.invalidQuantity("0.5", reason: "COF-002 is sold in whole units")) { try carts.setQuantity(cartID: cart.id, position: 1, quantity: Quantity(milli: 500), at("r")) }
    }

    @Test func parkRecallAndDiscard() throws {
        let first = try carts.add(variantID: try variant("COF-001"), at("r"))
        try carts.park(cartID: first.id, at("r"))
        #expect(try carts.current(register: "r") == nil)
        let second = try carts.add(variantID: try variant("COF-002"), at("r"))
        #expect(throws: TillError.invalid("finish or park the current sale before recalling another")) { try carts.recall(orderID: first.id, at("r")) }
        try carts.park(cartID: second.id, at("r"))
        #expect(try carts.parked().count == 2)
        let recalled = try carts.recall(orderID: first.id, at("r"))
        #expect(recalled.lines.map(\.sku) == ["COF-001"])
        try carts.discard(cartID: recalled.id, at("r"))
        #expect(try carts.current(register: "r") == nil)
        #expect(try Orders(store: store).detail(id: recalled.id).order.status == .voided)
        #expect(try StoreDoctor(store: store).examine().passed)
    }
}

@Suite struct PaymentTests {
    let store: StoreDatabase
    let checkout: Checkout
    /// The customer at this suite's simulated reader: approves unless a test says otherwise.
    let customer: SimulatedCustomer
    /// A cashier at till "r" with its drawer open and the simulated reader.
    let ctx: TillContext

    init() throws {
        try self.init(customer: SimulatedCustomer())
    }

    init(customer: SimulatedCustomer) throws {
        store = try TestStores.demoStore()
        checkout = Checkout(store: store)
        self.customer = customer
        var ctx = try TestStores.openTill(store, register: "r")
        ctx.terminal = SimulatedTerminal(store: store, readerID: "sim-r", customer: customer)
        self.ctx = ctx
    }

    func cart(_ sku: String = "COF-002", quantity: Quantity = .units(3)) throws -> Cart {
        let id = try #require(try Catalog(store: store).lookup(code: sku)).variantID
        return try Carts(store: store).add(variantID: id, quantity: quantity, ctx)
    }

    /// Payments the simulated processor took (captured), outside the demo's history.
    func processorCaptures() throws -> [Row] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sim_card_payment WHERE status = 'captured' AND attempt_key NOT LIKE 'history_%'")
        }
    }

    @Test func splitCardAndCashWithChange() throws {
        let open = try cart()
        guard case let .partlyPaid(afterCard) = try checkout.payCard(cartID: open.id, amount: 1000, ctx) else {
            Issue.record("expected a part payment")
            return
        }
        #expect(afterCard.paid == 1000)
        guard case let .completed(sale) = try checkout.payCash(cartID: open.id, handed: 10_000, ctx) else {
            Issue.record("expected the sale to complete")
            return
        }
        #expect(sale.change == 10_000 - (open.order.total - 1000))
        #expect(sale.payments.map(\.method) == [.card, .cash])
        #expect(sale.payments[0].cardLast4 == "4242" && sale.payments[0].cardBrand == "visa")
        #expect(sale.payments[0].cardEntryMode == "contactless" && sale.payments[0].cardApplicationID == "A0000000031010")
        #expect(sale.payments[0].cardAuthorizationCode?.count == 6 && sale.payments[0].cardReader == "simulated:sim-r")
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test(arguments: [("generic_decline", "declined by the card issuer — ask for another card or tender"),
                      ("insufficient_funds", "insufficient funds — ask for another card or tender"),
                      ("expired_card", "the card has expired")])
    func declinesLeaveTheSaleOpenAndUsable(code: String, words: String) throws {
        let suite = try PaymentTests(customer: SimulatedCustomer(automatic: .decline(code: code)))
        let open = try suite.cart()
        #expect(throws: CardTenderFailure(reason: .declined(code: code), cartID: open.id)) {
            try suite.checkout.payCard(cartID: open.id, suite.ctx)
        }
        #expect(CardTerminalError.declined(code: code).description == "card declined: \(words); nothing was taken")
        let after = try Carts(store: suite.store).cart(id: open.id)
        #expect(after.order.status == .open && after.paid == 0)
        #expect(try suite.processorCaptures().isEmpty)
        // The cart takes cash afterwards: the decline left nothing in the way.
        guard case .completed = try suite.checkout.payCash(cartID: open.id, suite.ctx) else { Issue.record("open"); return }
    }

    @Test func theCustomerCancellingOnTheReaderTakesNothing() throws {
        let suite = try PaymentTests(customer: SimulatedCustomer(automatic: .cancel))
        let open = try suite.cart()
        #expect(throws: CardTenderFailure(reason: .cancelled(byCustomer: true), cartID: open.id)) {
            try suite.checkout.payCard(cartID: open.id, suite.ctx)
        }
        #expect(try suite.processorCaptures().isEmpty)
        #expect(try Carts(store: suite.store).cart(id: open.id).paid == 0)
    }

    @Test func aLostAnswerIsSettledFromTheProcessorNeverChargedTwice() throws {
        let suite = try PaymentTests(customer: SimulatedCustomer(automatic: .loseAnswer))
        let open = try suite.cart()
        #expect(throws: CardTenderFailure.self) { try suite.checkout.payCard(cartID: open.id, suite.ctx) }
        #expect(try suite.processorCaptures().count == 1, "the processor took the money")
        let pending = try Carts(store: suite.store).cart(id: open.id)
        #expect(pending.order.status == .open && pending.paid == 0)
        // While the answer is missing, the sale cannot be paid or dropped another way.
        #expect(throws: TillError.self) { try suite.checkout.payCash(cartID: open.id, suite.ctx) }
        #expect(throws: TillError.self) { try Carts(store: suite.store).discard(cartID: open.id, suite.ctx) }
        // Taking the card again settles the first attempt from the processor's records: no second charge.
        guard case let .completed(sale) = try suite.checkout.payCard(cartID: open.id, suite.ctx) else {
            Issue.record("expected the sale to complete")
            return
        }
        #expect(try suite.processorCaptures().count == 1)
        #expect(sale.payments.count == 1 && sale.payments[0].amount == open.order.total)
        #expect(try StoreDoctor(store: suite.store).examine().passed)
    }

    @Test func startUpSettlesALostAnswerOnThisRegister() throws {
        let suite = try PaymentTests(customer: SimulatedCustomer(automatic: .loseAnswer))
        let open = try suite.cart()
        _ = try? suite.checkout.payCard(cartID: open.id, amount: 500, suite.ctx)
        let said = try suite.checkout.settleUnansweredCards(suite.ctx)
        #expect(said.count == 1 && said[0].contains("went through"), "\(said)")
        let after = try Carts(store: suite.store).cart(id: open.id)
        #expect(after.paid == 500 && after.order.status == .open)
        #expect(try suite.checkout.settleUnansweredCards(suite.ctx).isEmpty)
        #expect(try suite.processorCaptures().count == 1)
    }

    @Test func escBeforeTheTapTakesNothing() throws {
        let suite = try PaymentTests(customer: SimulatedCustomer(automatic: nil))
        let open = try suite.cart()
        var ctx = suite.ctx
        let flag = CancellationFlag()
        ctx.cancellation = flag
        flag.cancel()
        #expect(throws: CardTenderFailure(reason: .cancelled(byCustomer: false), cartID: open.id)) {
            try suite.checkout.payCard(cartID: open.id, ctx)
        }
        #expect(try suite.processorCaptures().isEmpty)
    }

    @Test func manualCaptureAuthorizesThenCapturesWhenTheSaleIsSaved() throws {
        try StoreSettingsEditor(store: store).set("card_capture", to: "manual", TestStores.context(store, staffID: nil))
        let open = try cart()
        guard case let .completed(sale) = try checkout.payCard(cartID: open.id, ctx) else { Issue.record("open"); return }
        let captured = try processorCaptures()
        #expect(captured.count == 1 && (captured[0]["amount_captured"] as Int64) == sale.order.total)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sim_card_request WHERE operation = 'capture'") } == 1)
    }

    @Test func aRegisterWithoutAReaderRefusesCardsAndKeepsTheSale() throws {
        var ctx = self.ctx
        ctx.terminal = nil
        let open = try cart()
        #expect(throws: TillError.invalid("register r has no card reader paired (till terminal pair r READER-ID --stripe, or --simulated); take another tender")) {
            try checkout.payCard(cartID: open.id, ctx)
        }
        guard case .completed = try checkout.payCash(cartID: open.id, ctx) else { Issue.record("open"); return }
    }

    @Test func cancellingPaymentsVoidsCardParts() throws {
        let open = try cart()
        _ = try checkout.payCard(cartID: open.id, amount: 500, ctx)
        _ = try checkout.payCash(cartID: open.id, handed: 200, ctx)
        let cancelled = try checkout.cancelPayments(cartID: open.id, ctx)
        #expect(cancelled.paid == 0)
        #expect(cancelled.payments.allSatisfy { $0.status == .voided })
        let token = try #require(cancelled.payments.first { $0.method == .card }?.gatewayToken)
        let held = try SimulatedTerminal(store: store).payment(id: token)
        #expect(held.amountRefunded == held.amountCaptured && held.amountCaptured == 500)
    }

    @Test func scriptedSaleVoidsChargedCardsWhenALaterStepFails() throws {
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let before = try TestStores.saleTableCounts(store)
        #expect(throws: TillError.invalid("payments are €13.09 short of the €15.09 due")) {
            try checkout.sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)], orderDiscount: nil,
                              customerID: nil,
                              tenders: [ScriptedTender(method: .card, amount: 100), ScriptedTender(method: .card, amount: 100)], ctx)
        }
        // No sale completed and no stock moved; what stays is the truthful record of what happened: the cart,
        // voided, with its two card payments voided (the processor's side has the charges and their refunds).
        let after = try TestStores.saleTableCounts(store)
        #expect(after["stock_movement"] == before["stock_movement"])
        #expect(after["orders"] == (before["orders"] ?? 0) + 1)
        #expect(after["payment"] == (before["payment"] ?? 0) + 2)
        let kept = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.status, o.number, p.status AS payment FROM orders o JOIN payment p ON p.order_id = o.id
                WHERE o.id = (SELECT MAX(id) FROM orders)
                """).map { "\($0["status"] as String)/\(($0["number"] as Int64?).map(String.init) ?? "-")/\($0["payment"] as String)" }
        }
        #expect(kept == ["voided/-/voided", "voided/-/voided"])
        let processor = try processorCaptures()
        #expect(processor.count == 2 && processor.allSatisfy { ($0["amount_refunded"] as Int64) == ($0["amount_captured"] as Int64) })
    }
}

@Suite struct ReceiptTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: Receipt.widths) func receiptLayout(width: Int) throws {
        let store = try TestStores.demoStore()
        let checkout = Checkout(store: store)
        let catalog = Catalog(store: store)
        let at = TestStores.demoCreatedAt.addingTimeInterval(600)
        let staff = try Staff(store: store).member(username: "ana")
        let customer = try #require(try Customers(store: store).find("anna.lopez").first)
        let sale = try checkout.sell(
            lines: [SaleLineRequest(variantID: try #require(try catalog.lookup(code: "COF-001")).variantID, quantity: .units(2)),
                    SaleLineRequest(variantID: try #require(try catalog.lookup(code: "PRO-001")).variantID, quantity: Quantity(milli: 450),
                                    discount: .percent(basisPoints: 1000)),
                    SaleLineRequest(variantID: try #require(try catalog.lookup(code: "APP-001-05")).variantID, quantity: .one)],
            orderDiscount: .amount(100), customerID: customer.id,
            tenders: [ScriptedTender(method: .card, amount: 1000), ScriptedTender(method: .cash, amount: 5000)],
            try TestStores.openTill(store, staffID: staff.id, at: at))
        let detail = try Orders(store: store).detail(number: sale.number)
        let text = Receipt(width: width).text(for: detail, storeName: "Corner Store Demo")
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= width })
        if let difference = GoldenFile.check(String(text.dropLast()), name: "receipt-\(width)", directory: Self.goldenDirectory) {
            Issue.record(Comment(rawValue: difference))
        }
        // ESC/POS: initialise, code page 858, the euro sign as 0xD5, cut, and a drawer kick for cash.
        let bytes = EscPos.encode(text, openDrawer: true)
        #expect(Array(bytes.prefix(5)) == [0x1B, 0x40, 0x1B, 0x74, 19])
        #expect(bytes.contains(0xD5))
        #expect(Array(bytes.suffix(9)) == [0x1D, 0x56, 66, 0, 0x1B, 0x70, 0, 25, 250])
        #expect(Array(EscPos.encode(text, openDrawer: false).suffix(4)) == [0x1D, 0x56, 66, 0])
    }
}

@Suite struct CashRoundingAndOverrideTests {
    /// A Swiss-style store: cash settles to 0.05.
    func roundingStore() throws -> (StoreDatabase, Int64) {
        let store = try TestStores.emptyStore(currency: "CHF", taxInclusive: true, standardRate: "8.1")
        try store.write { db in
            try db.execute(sql: "UPDATE store_setting SET value = '5' WHERE key = 'cash_rounding_increment'")
        }
        let path = try TestStores.file("p.csv", "sku,name,barcode,price,category,tax_class\nCHOC,Chocolate,,3.12,Sweets,standard\n")
        _ = try ProductImporter(store: store).importFile(path: path)
        return (store, try #require(try Catalog(store: store).lookup(code: "CHOC")).variantID)
    }

    @Test func cashSettlesToTheSmallestCoinAndCardDoesNot() throws {
        let (store, chocolate) = try roundingStore()
        let ctx = try TestStores.openTill(store, register: "r")
        // 3.12 in cash → 3.10 (rounding −0.02); 2 × 3.12 = 6.24 → 6.25 (+0.01).
        var cart = try Carts(store: store).add(variantID: chocolate, ctx)
        guard case let .completed(first) = try Checkout(store: store).payCash(cartID: cart.id, ctx) else { Issue.record("open"); return }
        #expect(first.order.total == 312 && first.order.cashRounding == -2)
        #expect(first.payments.map(\.amount) == [310])
        cart = try Carts(store: store).add(variantID: chocolate, quantity: .units(2), ctx)
        guard case let .completed(second) = try Checkout(store: store).payCash(cartID: cart.id, handed: 1000, ctx) else { Issue.record("open"); return }
        #expect(second.order.cashRounding == 1 && second.change == 375)
        cart = try Carts(store: store).add(variantID: chocolate, ctx)
        guard case let .completed(third) = try Checkout(store: store).payCard(cartID: cart.id, ctx) else { Issue.record("open"); return }
        #expect(third.order.cashRounding == 0 && third.payments.map(\.amount) == [312])
        let receipt = Receipt().text(for: try Orders(store: store).detail(number: first.number), storeName: "Demo")
        #expect(receipt.contains("Cash rounding") && receipt.contains("TO PAY"))
        #expect(try StoreDoctor(store: store).examine().passed)
    }

    @Test func onlyAManagerMayChangeAPrice() throws {
        let store = try TestStores.demoStore()
        let staff = Staff(store: store)
        let cashier = try staff.member(username: "ana")
        let manager = try staff.member(username: "max")
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        func ctx(_ id: Int64?) -> TillContext { TestStores.context(store, staffID: id, register: "r") }
        let cart = try Carts(store: store).add(variantID: coffee.variantID, ctx(cashier.id))
        #expect(throws: TillError.permissionDenied("ana (cashier) may not change a price at the till; a manager must approve")) {
            try Carts(store: store).overridePrice(cartID: cart.id, position: 1, price: 999, ctx(cashier.id))
        }
        #expect(throws: TillError.permissionDenied("a price override needs a signed-in manager")) {
            try Carts(store: store).overridePrice(cartID: cart.id, position: 1, price: 999, ctx(nil))
        }
        let changed = try Carts(store: store).overridePrice(cartID: cart.id, position: 1, price: 999, ctx(manager.id))
        #expect(changed.order.total == 999)
        #expect(changed.lines[0].originalPrice == coffee.price && changed.lines[0].priceOverrideBy == manager.id)
        // Scanning the item again starts a new line at the shelf price.
        let again = try Carts(store: store).add(variantID: coffee.variantID, ctx(cashier.id))
        #expect(again.lines.map(\.unitPrice) == [999, coffee.price])
    }
}

@Suite struct ReconciliationTests {
    @Test func theDemoStoreReconcilesCleanly() throws {
        let store = try TestStores.demoStore()
        let reconciliation = Reconciliation(store: store, terminal: SimulatedTerminal(store: store))
        let manager = TestStores.context(store, staffID: try Staff(store: store).member(username: "max").id)
        for offset in 0..<31 {
            let day = Calendar.current.date(byAdding: .day, value: -offset, to: TestStores.demoCreatedAt) ?? TestStores.demoCreatedAt
            #expect(try reconciliation.run(day: day, manager).isEmpty, "day -\(offset)")
        }
    }
}

/// Loose goods sold by the kg: always weighed, one line per weighing, counted apart from pieces.
@Suite struct WeighedGoodsTests {
    let store: StoreDatabase
    let carts: Carts
    let catalog: Catalog

    init() throws {
        store = try TestStores.demoStore()
        carts = Carts(store: store)
        catalog = Catalog(store: store)
    }

    func item(_ code: String) throws -> CatalogItem { try #require(try catalog.lookup(code: code)) }

    @Test func aWeighedItemIsNeverSoldWithoutAWeight() throws {
        let bananas = try item("PRO-001")
        #expect(bananas.unit == .kg)
        #expect(throws: TillError.invalid("weighed item PRO-001 needs a weight: PRO-001*0.450")) {
            try carts.add(variantID: bananas.variantID, TestStores.context(store, staffID: nil, register: "w"))
        }
        #expect(try carts.current(register: "w") == nil)  // nothing written, not even an empty cart
        // Found by its own barcode (not a scale label): the scan says a weight is needed.
        let scanned = try #require(try catalog.resolveScan("2100001000004"))
        #expect(scanned.item.sku == "PRO-001" && scanned.needsWeight)
        let label = try #require(try catalog.resolveScan("2100001004507"))
        #expect(!label.needsWeight && label.quantity == Quantity(milli: 450))
        #expect(try #require(try catalog.resolveScan("COF-001")).needsWeight == false)
        // With its weight it is added; a piece still defaults to one.
        _ = try carts.add(variantID: bananas.variantID, quantity: Quantity(milli: 450), TestStores.context(store, staffID: nil, register: "w"))
        let cart = try carts.add(variantID: try item("COF-001").variantID, TestStores.context(store, staffID: nil, register: "w"))
        #expect(cart.lines.map(\.quantity) == [Quantity(milli: 450), .one])
        // The rule `till sell` and the TUI use for a typed quantity: given, one piece, or refused.
        #expect(try bananas.saleQuantity(Quantity(milli: 1200)) == Quantity(milli: 1200))
        #expect(try item("COF-001").saleQuantity(nil) == .one)
        #expect(throws: TillError.invalid("weighed item PRO-001 needs a weight: PRO-001*0.450")) { try bananas.saleQuantity(nil) }
    }

    @Test func eachScaleLabelIsItsOwnLine() throws {
        let first = try #require(VariableMeasureBarcode.encode(baseCode: "2100001000004", value: 450))
        let second = try #require(VariableMeasureBarcode.encode(baseCode: "2100001000004", value: 1215))
        var cart: Cart?
        for code in [first, second] {
            let scanned = try #require(try catalog.resolveScan(code))
            cart = try carts.add(variantID: scanned.item.variantID, quantity: scanned.quantity, TestStores.context(store, staffID: nil, register: "w"))
        }
        let lines = try #require(cart).lines
        // 0.450 × 6.35 = 2.8575 → 2.86; 1.215 × 6.35 = 7.71525 → 7.72: each package keeps its own weight and price.
        #expect(lines.map(\.sku) == ["PRO-001", "PRO-001"])
        #expect(lines.map(\.quantity) == [Quantity(milli: 450), Quantity(milli: 1215)])
        #expect(lines.map(\.total) == [286, 772])
        // Pieces of one item still join one line.
        _ = try carts.add(variantID: try item("COF-001").variantID, TestStores.context(store, staffID: nil, register: "w"))
        let more = try carts.add(variantID: try item("COF-001").variantID, TestStores.context(store, staffID: nil, register: "w"))
        #expect(more.lines.map(\.quantity) == [Quantity(milli: 450), Quantity(milli: 1215), .units(2)])

        // `till sell` with two labels: two lines, and the price quoted before the card is charged is the one sold.
        let bananas = try item("PRO-001").variantID
        let sale = try Checkout(store: store).sell(
            lines: [SaleLineRequest(variantID: bananas, quantity: Quantity(milli: 450)),
                    SaleLineRequest(variantID: bananas, quantity: Quantity(milli: 1215))],
            orderDiscount: nil, customerID: nil, tenders: [ScriptedTender(method: .card)], TestStores.context(store, staffID: try TestStores.cashierID(store)))
        #expect(sale.lines.map(\.quantity) == [Quantity(milli: 450), Quantity(milli: 1215)])
        #expect(sale.order.total == 286 + 772)
    }

    @Test func itemCountsKeepPiecesAndWeightApart() throws {
        #expect(ItemCount(pieces: .units(12), weight: Quantity(milli: 3450)).description == "12 items, 3.450 kg")
        #expect(ItemCount(pieces: .one, weight: .zero).description == "1 item")
        #expect(ItemCount(pieces: .zero, weight: Quantity(milli: 1000)).description == "1.000 kg")
        #expect(ItemCount.zero.description == "0 items")

        // The cart: 2 coffees and 1.000 kg of bananas are 2 items and 1.000 kg (not "3 items").
        _ = try carts.add(variantID: try item("COF-001").variantID, quantity: .units(2), TestStores.context(store, staffID: nil, register: "w"))
        let cart = try carts.add(variantID: try item("PRO-001").variantID, quantity: .one, TestStores.context(store, staffID: nil, register: "w"))
        #expect(cart.items == ItemCount(pieces: .units(2), weight: Quantity(milli: 1000)))
        #expect(cart.items.description == "2 items, 1.000 kg")
    }
}

/// The X report and the sales summary count pieces and weight apart.
@Suite struct ItemCountReportTests {
    @Test func dayReportAndSalesSummaryKeepPiecesAndWeightApart() throws {
        let store = try TestStores.emptyStore()
        let path = try TestStores.file("p.csv", """
            sku,name,barcode,price,category,tax_class,unit
            MUG,Mug,,5.00,Kitchen,standard,each
            LEM,Lemons,,4.00,Produce,standard,kg
            """ + "\n")
        _ = try ProductImporter(store: store).importFile(path: path)
        let catalog = Catalog(store: store)
        let mug = try #require(try catalog.lookup(code: "MUG")).variantID
        let lemons = try #require(try catalog.lookup(code: "LEM")).variantID
        let at = TestStores.demoCreatedAt.addingTimeInterval(3600)
        let checkout = Checkout(store: store)
        _ = try checkout.completeSale(SaleRequest(lines: [SaleLineRequest(variantID: mug, quantity: .units(3)),
                                                          SaleLineRequest(variantID: lemons, quantity: Quantity(milli: 1000))],
                                                  tenders: [Tender(method: .cash)]), try TestStores.openTill(store, at: at))
        _ = try checkout.completeSale(SaleRequest(lines: [SaleLineRequest(variantID: lemons, quantity: Quantity(milli: 450)),
                                                          SaleLineRequest(variantID: lemons, quantity: Quantity(milli: 2000))],
                                                  tenders: [Tender(method: .cash)]), try TestStores.openTill(store, at: at))
        // The figures as X and Z print them, and the summary, without the reports' sign-in (not what is tested here).
        let x = try store.read { db in try DayReports.figures(db, day: BusinessDay.byClock(at, settings: try StoreSettings.load(db))) }
        // Before: 3 + 1 + 0.45 + 2 = "6.45" items — a kilo of lemons counted as one item, 450 g as 0.45.
        #expect(x.itemsSold == "3 items, 3.450 kg")
        #expect(x.text(title: "X").contains { $0.hasPrefix("Items sold") && $0.hasSuffix(" 3 items, 3.450 kg") })
        let summary = try store.read { db in
            try SalesReports.summary(db, from: at.addingTimeInterval(-60), to: at.addingTimeInterval(60), calendar: .current)
        }
        #expect(summary.itemsPerSaleMilli == 1500 && summary.weightPerSaleMilli == 1725)
        #expect(summary.itemsPerSale.description == "1.5 items, 1.725 kg")
    }
}
