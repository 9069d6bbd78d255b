import Foundation
import GRDB
import Testing
import TillCore
import TillFakeStripe
import TillTestSupport
@testable import TillStripe

/// The register's card tender (TillCore's `Checkout.payCard`) against the fake Stripe, one fault switch at a time.
/// Every test proves the same three things: the card is charged at most once, the order and the processor agree
/// on what was taken, and the cart is usable afterwards (paid off by the card, or by cash when the card failed).
@Suite(.serialized) struct CheckoutFaultTests {
    let rig: StripeTestRig
    let store: StoreDatabase
    let checkout: Checkout
    let ctx: TillContext

    init() throws {
        rig = try StripeTestRig(requestTimeout: .milliseconds(400), collectTimeout: .seconds(4))
        store = try TestStores.demoStore()
        checkout = Checkout(store: store)
        var ctx = try TestStores.openTill(store, register: "r")
        ctx.terminal = rig.terminal
        self.ctx = ctx
    }

    func cart() throws -> Cart {
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        return try Carts(store: store).add(variantID: coffee.variantID, quantity: .units(2), ctx)
    }

    /// Succeeded charges at the fake for every attempt Till made on the cart.
    func charges(_ cartID: Int64) throws -> [FakeStripeChargeRecord] {
        let keys = try store.read { db in
            try String.fetchAll(db, sql: "SELECT attempt_key FROM card_attempt WHERE order_id = ?", arguments: [cartID])
        }
        return keys.flatMap { rig.fake.charges(forAttempt: $0) }.filter { $0.status == "succeeded" }
    }

    /// At most one charge; Till's card payments equal what the processor kept; the cart finishes (by cash when
    /// the card did not pay it) and the doctor passes.
    func expectConsistent(_ cartID: Int64, charged expected: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let taken = try charges(cartID)
        #expect(taken.count == expected, "charges: \(taken)", sourceLocation: sourceLocation)
        let cart = try store.read { db in try Row.fetchAll(db, sql: "SELECT amount FROM payment WHERE order_id = ? AND method = 'card' AND status = 'captured'",
                                                           arguments: [cartID]).map { $0["amount"] as Int64 } }
        #expect(cart.reduce(0, +) == taken.reduce(0) { $0 + $1.amountCaptured - $1.amountRefunded }, sourceLocation: sourceLocation)
        let status = try store.read { db in try String.fetchOne(db, sql: "SELECT status FROM orders WHERE id = ?", arguments: [cartID]) }
        if status == "open" {
            guard case .completed = try checkout.payCash(cartID: cartID, ctx) else {
                Issue.record("cash did not finish the cart", sourceLocation: sourceLocation)
                return
            }
        }
        #expect(try StoreDoctor(store: store).examine().passed, sourceLocation: sourceLocation)
        rig.expectCleanRequests(sourceLocation: sourceLocation)
    }

    /// A context whose reader is approved by the customer the moment it has the payment, after which every
    /// answer from Stripe is lost (the line drops between "charged" and "answer received").
    func losingAnswersOnceTheReaderHasIt() -> TillContext {
        rig.fake.updateFaults { $0.autoPresent = .init(.approve, afterMilliseconds: 50) }
        var ctx = self.ctx
        let fake = rig.fake
        ctx.progress = ProgressReporter { text in
            guard text.contains("present card") else { return }
            fake.updateFaults {
                $0.dropAnswerAfterCommit[.retrievePaymentIntent] = 10_000
                $0.dropAnswerAfterCommit[.retrieveReader] = 10_000
                $0.dropAnswerAfterCommit[.cancelReaderAction] = 10_000
                $0.dropAnswerAfterCommit[.cancelPaymentIntent] = 10_000
            }
        }
        return ctx
    }

    /// Waits (up to 3 s) for the fake's customer to have tapped: the charge exists whatever Till heard.
    func waitForTheCustomer(_ cartID: Int64) throws {
        for _ in 0..<300 where try charges(cartID).isEmpty { Thread.sleep(forTimeInterval: 0.01) }
    }

    func failure(_ body: () throws -> TenderOutcome) -> CardTerminalError? {
        do {
            _ = try body()
            Issue.record("expected the card to fail")
            return nil
        } catch let failure as CardTenderFailure {
            return failure.reason
        } catch {
            Issue.record("expected a CardTenderFailure, got \(error)")
            return nil
        }
    }

    @Test func anApprovedCardCompletesTheSaleWithTheReceiptFields() throws {
        rig.fake.updateFaults { $0.autoPresent = .init(.approve) }
        let open = try cart()
        guard case let .completed(sale) = try checkout.payCard(cartID: open.id, ctx) else { Issue.record("open"); return }
        let payment = try #require(sale.payments.first)
        #expect(payment.gatewayToken?.hasPrefix("pi_") == true && payment.cardLast4 == "4242")
        #expect(payment.cardEntryMode == "contactless" && payment.cardApplicationID == "A0000000031010")
        #expect(payment.cardAuthorizationCode?.isEmpty == false && payment.cardReader == "stripe:tmr_fake_1")
        try expectConsistent(open.id, charged: 1)
    }

    @Test func readerOfflineTakesNothing() throws {
        rig.fake.setReader("tmr_fake_1", online: false)
        let open = try cart()
        #expect(failure { try checkout.payCard(cartID: open.id, ctx) } == .readerOffline(reader: "tmr_fake_1"))
        try expectConsistent(open.id, charged: 0)
    }

    @Test func readerBusyTakesNothing() throws {
        rig.fake.updateFaults { $0.readerBusy = true }
        let open = try cart()
        #expect(failure { try checkout.payCard(cartID: open.id, ctx) } == .readerBusy(reader: "tmr_fake_1"))
        try expectConsistent(open.id, charged: 0)
    }

    @Test(arguments: ["insufficient_funds", "expired_card", "generic_decline", "incorrect_pin", "card_velocity_exceeded"])
    func aDeclineIsSaidInPlainWordsAndTheNextTryIsANewAttempt(code: String) throws {
        rig.fake.updateFaults { $0.autoPresent = .init(.decline(code)) }
        let open = try cart()
        let reason = failure { try checkout.payCard(cartID: open.id, ctx) }
        #expect(reason == .declined(code: code))
        #expect(reason?.description.contains(CardDeclineCode.plainWords(code)) == true)
        // Another card: a new attempt with a new key, approved.
        rig.fake.updateFaults { $0.autoPresent = .init(.approve) }
        guard case .completed = try checkout.payCard(cartID: open.id, ctx) else { Issue.record("open"); return }
        let keys = try store.read { db in try String.fetchAll(db, sql: "SELECT attempt_key FROM card_attempt WHERE order_id = ?", arguments: [open.id]) }
        #expect(Set(keys).count == 2)
        try expectConsistent(open.id, charged: 1)
    }

    @Test func theCustomerCancellingOnTheReaderTakesNothing() throws {
        rig.fake.updateFaults { $0.autoPresent = .init(.customerCancels) }
        let open = try cart()
        #expect(failure { try checkout.payCard(cartID: open.id, ctx) } == .cancelled(byCustomer: true))
        try expectConsistent(open.id, charged: 0)
    }

    @Test func escBeforeTheTapTakesNothing() throws {
        let open = try cart()
        var ctx = self.ctx
        let flag = CancellationFlag()
        ctx.cancellation = flag
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { flag.cancel() }
        #expect(failure { try checkout.payCard(cartID: open.id, ctx) } == .cancelled(byCustomer: false))
        try expectConsistent(open.id, charged: 0)
    }

    @Test func anAnswerDroppedAfterTheChargeIsSettledFromThePaymentIntent() throws {
        // The reader gets the payment and the customer taps; from then on no answer comes back.
        let open = try cart()
        let reason = failure { try checkout.payCard(cartID: open.id, losingAnswersOnceTheReaderHasIt()) }
        #expect(reason?.isDefinite == false, "\(String(describing: reason))")
        try waitForTheCustomer(open.id)
        #expect(try charges(open.id).count == 1)
        // Until it is settled the sale cannot be paid another way.
        #expect(throws: TillError.self) { try checkout.payCash(cartID: open.id, ctx) }
        // The line comes back; the next try asks Stripe what happened and records it — no second charge.
        rig.fake.updateFaults { $0.dropAnswerAfterCommit = [:] }
        guard case .completed = try checkout.payCard(cartID: open.id, ctx) else { Issue.record("open"); return }
        try expectConsistent(open.id, charged: 1)
    }

    @Test func aLostAnswerIsSettledAtStartUp() throws {
        let open = try cart()
        _ = failure { try checkout.payCard(cartID: open.id, losingAnswersOnceTheReaderHasIt()) }
        try waitForTheCustomer(open.id)
        rig.fake.updateFaults { $0.dropAnswerAfterCommit = [:] }
        let said = try checkout.settleUnansweredCards(ctx)
        #expect(said.count == 1 && said[0].contains("completed as order #"), "\(said)")
        try expectConsistent(open.id, charged: 1)
    }

    @Test func aSlowAnswerPastTheTimeoutThenTheTruth() throws {
        // The create answers after the client gave up: the PaymentIntent exists, Till does not know its id.
        rig.fake.updateFaults {
            $0.autoPresent = .init(.approve)
            $0.slowAnswers[.createPaymentIntent] = .init(milliseconds: 900, count: 1)
        }
        let open = try cart()
        let reason = failure { try checkout.payCard(cartID: open.id, ctx) }
        #expect(reason?.isDefinite == false || reason != nil)
        // Settled from the processor (the create replayed by its key), then paid once.
        let outcome = try checkout.payCard(cartID: open.id, ctx)
        if case .partlyPaid = outcome { Issue.record("expected the card to pay the sale") }
        try expectConsistent(open.id, charged: 1)
    }

    @Test func aFalseNegativeReaderTimeoutIsCheckedBeforeRetrying() throws {
        rig.fake.updateFaults {
            $0.autoPresent = .init(.approve)
            $0.falseNegativeTimeouts = 1
        }
        let open = try cart()
        guard case .completed = try checkout.payCard(cartID: open.id, ctx) else { Issue.record("open"); return }
        try expectConsistent(open.id, charged: 1)
    }

    @Test func aCaptureWhoseAnswerIsLostIsNotCapturedTwice() throws {
        try StoreSettingsEditor(store: store).set("card_capture", to: "manual", TestStores.context(store, staffID: nil))
        rig.fake.updateFaults {
            $0.autoPresent = .init(.approve)
            $0.dropAnswerAfterCommit[.capturePaymentIntent] = 1
        }
        let open = try cart()
        let reason = failure { try checkout.payCard(cartID: open.id, ctx) }
        #expect(reason?.isDefinite == false, "\(String(describing: reason))")
        guard case .completed = try checkout.payCard(cartID: open.id, ctx) else { Issue.record("open"); return }
        try expectConsistent(open.id, charged: 1)
    }

    @Test func aSplitCardAndCashThenAPartialRefundAndAVoid() throws {
        rig.fake.updateFaults { $0.autoPresent = .init(.approve) }
        let open = try cart()
        guard case .partlyPaid = try checkout.payCard(cartID: open.id, amount: 1000, ctx) else { Issue.record("paid off"); return }
        guard case let .completed(sale) = try checkout.payCash(cartID: open.id, ctx) else { Issue.record("open"); return }
        try expectConsistent(open.id, charged: 1)
        var support = TestStores.context(store, staffID: try Staff(store: store).member(username: "sam").id, register: "r")
        support.terminal = rig.terminal
        let refund = try Refunds(store: store).refund(RefundRequest(orderNumber: sale.number, lines: [RefundLineRequest(line: 1, quantity: .one)]),
                                                      support)
        #expect(refund.refund.status == .completed)
        let onCard = refund.tenders.filter { $0.method == .card }.reduce(0) { $0 + $1.amount }
        #expect(onCard > 0 && rig.fake.refundTotal == onCard)
        // A second sale, voided the same day: the card gets all of it back.
        let second = try cart()
        guard case let .completed(voided) = try checkout.payCard(cartID: second.id, ctx) else { Issue.record("open"); return }
        var manager = TestStores.context(store, staffID: try Staff(store: store).member(username: "max").id, register: "r")
        manager.terminal = rig.terminal
        _ = try Refunds(store: store).void(orderNumber: voided.number, reason: "customer changed mind", manager)
        let back = try charges(second.id)
        #expect(back.count == 1 && back[0].amountRefunded == back[0].amountCaptured)
        // Reconciled against the processor's own records: nothing amiss.
        let report = try Reconciliation(store: store, terminal: rig.terminal).run(from: Date().addingTimeInterval(-3600),
                                                                                 to: Date().addingTimeInterval(3600), manager)
        #expect(report.issues.isEmpty, "\(report.issues)")
        rig.expectCleanRequests()
    }
}
