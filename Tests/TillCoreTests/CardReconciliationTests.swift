import Foundation
import GRDB
import Testing
import TillTestSupport
@testable import TillCore

/// Till's card payments against the processor's own records: its API (the simulated processor's side, kept
/// apart from Till's orders) and a settlement file in Stripe's itemized payout reconciliation format.
@Suite struct CardReconciliationTests {
    let store: StoreDatabase
    let terminal: SimulatedTerminal
    let ctx: TillContext
    let manager: TillContext
    let coffee: CatalogItem

    init() throws {
        store = try TestStores.demoStore()
        terminal = SimulatedTerminal(store: store, readerID: "sim-r")
        var ctx = try TestStores.openTill(store, register: "r")
        ctx.terminal = terminal
        self.ctx = ctx
        var manager = TestStores.context(store, staffID: try Staff(store: store).member(username: "max").id, register: "r")
        manager.terminal = terminal
        self.manager = manager
        coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
    }

    func cardSale() throws -> CompletedSale {
        let cart = try Carts(store: store).add(variantID: coffee.variantID, ctx)
        guard case let .completed(sale) = try Checkout(store: store).payCard(cartID: cart.id, ctx) else {
            throw TillError.invalid("the card did not complete the sale")
        }
        return sale
    }

    var today: (Date, Date) { (Date().addingTimeInterval(-3600), Date().addingTimeInterval(3600)) }

    /// The processor's records as Stripe's itemized payout reconciliation CSV: a charge row per payment, a refund
    /// row per refund, fees 1.4 % + 0.25.
    func settlementCSV(dropping dropped: String? = nil, grossOverride: [String: String] = [:]) throws -> String {
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sim_card_payment WHERE status = 'captured' AND attempt_key NOT LIKE 'history_%' ORDER BY created_at")
        }
        var text = "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description,payment_intent_id,card_brand\n"
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd HH:mm:ss"
        func major(_ units: Int64) -> String { String(format: "%@%d.%02d", units < 0 ? "-" : "", abs(units) / 100, abs(units) % 100) }
        for (index, row) in rows.enumerated() {
            let id: String = row["id"]
            guard id != dropped else { continue }
            let captured: Int64 = row["amount_captured"]
            let refunded: Int64 = row["amount_refunded"]
            let fee = captured * 14 / 1000 + 25
            let when = format.string(from: row["created_at"])
            text += "txn_charge\(index),\(when),\(when),eur,\(grossOverride[id] ?? major(captured)),\(major(fee)),\(major(captured - fee)),charge,ch_x\(index),Till sale,\(id),visa\n"
            if refunded > 0 {
                text += "txn_refund\(index),\(when),\(when),eur,\(major(-refunded)),0.00,\(major(-refunded)),refund,re_x\(index),refund,\(id),visa\n"
            }
        }
        return text
    }

    @Test func aCleanDayMatchesOnTheAPIAndTheSettlementFile() throws {
        _ = try cardSale()
        _ = try cardSale()
        let api = try Reconciliation(store: store, terminal: terminal).run(from: today.0, to: today.1, manager)
        #expect(api.issues.isEmpty, "\(api.issues)")
        #expect(api.days.map(\.charges).reduce(0, +) == 2)
        let path = try TestStores.file("payout.csv", try settlementCSV())
        let file = try SettlementFile.read(path: path, currency: .EUR)
        let report = try Reconciliation(store: store, terminal: nil, kind: .simulated).run(from: today.0, to: today.1, settlement: file, manager)
        #expect(report.issues.isEmpty, "\(report.issues)")
        let day = try #require(report.days.first)
        #expect(day.charges == 2 && day.gross == 2 * coffee.price)
        #expect(day.fees == 2 * (coffee.price * 14 / 1000 + 25) && day.net == day.gross - (day.fees ?? 0))
    }

    @Test func eachMismatchIsNamedFromTheSettlementFile() throws {
        let inTillOnly = try cardSale()
        let amountWrong = try cardSale()
        let refundedAtProcessor = try cardSale()
        // Charged at the processor with no sale in Till (someone used the dashboard, or a lost sale).
        let stray = try terminal.collect(CardCollectRequest(amount: 777, currency: .EUR, attemptKey: "dashboard-1", description: "manual"),
                                         journal: .none, cancellation: nil, progress: .silent)
        _ = try terminal.refund(paymentID: try #require(refundedAtProcessor.payments.first?.gatewayToken), amount: 300,
                                idempotencyKey: "dashboard-refund")
        let csv = try settlementCSV(dropping: inTillOnly.payments.first?.gatewayToken,
                                    grossOverride: [try #require(amountWrong.payments.first?.gatewayToken): "1.00"])
        let file = try SettlementFile.read(path: try TestStores.file("payout.csv", csv), currency: .EUR)
        let report = try Reconciliation(store: store, terminal: nil, kind: .simulated).run(from: today.0, to: today.1, settlement: file, manager)
        let byKind = Dictionary(grouping: report.issues, by: \.kind)
        #expect(byKind[.inTillNotAtProcessor]?.map(\.orderNumber) == [inTillOnly.number])
        #expect(byKind[.amountDiffers]?.first?.processorAmount == 100)
        #expect(byKind[.refundDiffers]?.first?.orderNumber == refundedAtProcessor.number)
        #expect(byKind[.refundDiffers]?.first?.processorAmount == 300)
        #expect(byKind[.atProcessorNotInTill]?.map(\.paymentID) == [stray.id])
        #expect(report.issues.count == 4, "\(report.issues)")
    }

    @Test func capturedLessThanAuthorizedIsFoundOnTheAPI() throws {
        let sale = try cardSale()
        // Authorized for more than was taken: the processor's record says so.
        let held = try terminal.collect(CardCollectRequest(amount: 2000, currency: .EUR, attemptKey: "hold-1", captureManually: true,
                                                           description: "hold"), journal: .none, cancellation: nil, progress: .silent)
        _ = try terminal.capture(paymentID: held.id, amount: 1500, idempotencyKey: "hold-1-capture")
        let report = try Reconciliation(store: store, terminal: terminal).run(from: today.0, to: today.1, manager)
        #expect(report.issues.map(\.kind) == [.atProcessorNotInTill])
        #expect(report.issues.first?.processorAmount == 1500)
        try store.write { db in
            try db.execute(sql: "UPDATE payment SET gateway_token = ?, amount = 1500 WHERE gateway_token = ?",
                           arguments: [held.id, try #require(sale.payments.first?.gatewayToken)])
        }
        let after = try Reconciliation(store: store, terminal: terminal).run(from: today.0, to: today.1, manager)
        #expect(after.issues.map(\.kind).contains(.capturedLessThanAuthorized), "\(after.issues)")
    }

    @Test func aBadSettlementRowIsNamedWithItsLineAndColumn() throws {
        var csv = try { () throws -> String in _ = try cardSale(); return try settlementCSV() }()
        csv += "txn_bad,2026-12-01 10:00:00,2026-12-01 10:00:00,eur,twelve,0.00,0.00,charge,ch_bad,x,pi_bad,visa\n"
        let path = try TestStores.file("payout.csv", csv)
        #expect(throws: TillError.invalid("payout.csv line 3, gross: \"twelve\" is not an amount in EUR")) {
            try SettlementFile.read(path: path, currency: .EUR)
        }
        let wrong = try TestStores.file("other.csv", "id,amount\n1,2\n")
        #expect(throws: TillError.self) { try SettlementFile.read(path: wrong, currency: .EUR) }
    }

    @Test func onlyThoseWhoSeeReportsReconcile() throws {
        let cashier = TestStores.context(store, staffID: try TestStores.cashierID(store), register: "r")
        #expect(throws: TillError.self) { try Reconciliation(store: store, terminal: terminal).run(from: today.0, to: today.1, cashier) }
    }
}
