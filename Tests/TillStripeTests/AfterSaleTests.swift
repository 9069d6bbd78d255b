import Foundation
import Testing
import TillCore
import TillFakeStripe
@testable import TillStripe

@Suite("Capture, void and refund against the fake")
struct AfterSaleTests {
    @Test func aManualPaymentIsAuthorizedThenCapturedForLess() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(1000, manual: true)
        let authorized = try rig.collect(request)
        #expect(authorized.status == .authorized && authorized.amountCaptured == 0)
        #expect(rig.fake.capturedTotal == 0)
        let create = try #require(rig.requests(to: .createPaymentIntent).first)
        #expect(create.body.contains("capture_method=manual"))

        let captured = try rig.terminal.capture(paymentID: authorized.id, amount: 800, idempotencyKey: "\(request.attemptKey)-capture")
        #expect(captured.status == .captured && captured.amountCaptured == 800 && captured.amountRefunded == 0)
        #expect(captured.card?.last4 == "4242")
        // The same key again is the same capture.
        let again = try rig.terminal.capture(paymentID: authorized.id, amount: 800, idempotencyKey: "\(request.attemptKey)-capture")
        #expect(again.amountCaptured == 800)
        #expect(rig.fake.capturedTotal == 800)
        #expect(rig.approvedCharges(request).map(\.amountCaptured) == [800])

        // After a partial capture, a refund counts only what was refunded, not the part never taken.
        let refunded = try rig.terminal.refund(paymentID: authorized.id, amount: 300, idempotencyKey: "refund-1")
        #expect(refunded.amountCaptured == 800 && refunded.amountRefunded == 300)
        #expect(rig.fake.capturedTotal == 500)
        rig.expectCleanRequests()
    }

    @Test func capturingMoreThanWasAuthorizedIsRefused() throws {
        let rig = try StripeTestRig()
        let authorized = try rig.collect(StripeTestRig.request(1000, manual: true))
        let error = rig.failure { try rig.terminal.capture(paymentID: authorized.id, amount: 1001, idempotencyKey: "cap-too-much") }
        guard case .refused = try #require(error) else { Issue.record("got \(String(describing: error))"); return }
        #expect(rig.fake.capturedTotal == 0)
    }

    @Test func aCaptureWhoseAnswerIsLostIsRetriedUnderTheSameKey() throws {
        let rig = try StripeTestRig()
        let authorized = try rig.collect(StripeTestRig.request(1000, manual: true))
        rig.fake.updateFaults { $0.dropAnswerAfterCommit[.capturePaymentIntent] = 1 }
        let error = rig.failure { try rig.terminal.capture(paymentID: authorized.id, amount: 1000, idempotencyKey: "cap-1") }
        #expect(error?.isDefinite == false)
        #expect(rig.fake.capturedTotal == 1000)
        let captured = try rig.terminal.capture(paymentID: authorized.id, amount: 1000, idempotencyKey: "cap-1")
        #expect(captured.status == .captured && captured.amountCaptured == 1000)
        #expect(rig.fake.capturedTotal == 1000)
    }

    @Test func voidingAnAuthorizedPaymentReleasesTheHold() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(1800, manual: true)
        let authorized = try rig.collect(request)
        let voided = try rig.terminal.void(paymentID: authorized.id, idempotencyKey: "void-1")
        #expect(voided.status == .cancelled && voided.amountCaptured == 0 && voided.amountRefunded == 0)
        #expect(try rig.terminal.void(paymentID: authorized.id, idempotencyKey: "void-1").status == .cancelled)
        #expect(rig.fake.capturedTotal == 0)
        #expect(rig.fake.refundCount == 0)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
    }

    @Test func voidingACapturedPaymentRefundsAllOfItOnce() throws {
        let rig = try StripeTestRig()
        let captured = try rig.collect(StripeTestRig.request(1800))
        let voided = try rig.terminal.void(paymentID: captured.id, idempotencyKey: "void-1")
        #expect(voided.status == .captured && voided.amountCaptured == 1800 && voided.amountRefunded == 1800)
        let again = try rig.terminal.void(paymentID: captured.id, idempotencyKey: "void-1")
        #expect(again.amountRefunded == 1800)
        #expect(rig.fake.refundCount == 1 && rig.fake.refundTotal == 1800)
        #expect(rig.fake.capturedTotal == 0)
    }

    @Test func partialRefundsAddUpAndNoMoreThanIsLeftIsRefunded() throws {
        let rig = try StripeTestRig()
        let payment = try rig.collect(StripeTestRig.request(1000))
        #expect(try rig.terminal.refund(paymentID: payment.id, amount: 300, idempotencyKey: "r1").amountRefunded == 300)
        #expect(try rig.terminal.refund(paymentID: payment.id, amount: 200, idempotencyKey: "r2").amountRefunded == 500)

        let tooMuch = rig.failure { try rig.terminal.refund(paymentID: payment.id, amount: 600, idempotencyKey: "r3") }
        guard case let .refused(why) = try #require(tooMuch) else { Issue.record("got \(String(describing: tooMuch))"); return }
        #expect(why.contains("greater than unrefunded amount"))
        #expect(tooMuch?.isDefinite == true)

        // Asking again with a key already used is the first refund, not a new one.
        #expect(try rig.terminal.refund(paymentID: payment.id, amount: 300, idempotencyKey: "r1").amountRefunded == 500)
        #expect(rig.fake.refundCount == 2 && rig.fake.refundTotal == 500)
        #expect(rig.fake.capturedTotal == 500)
        #expect(try rig.terminal.refund(paymentID: payment.id, amount: 500, idempotencyKey: "r4").amountRefunded == 1000)
        #expect(rig.fake.capturedTotal == 0)
    }

    @Test func aKeyReusedForAnotherAmountIsAnIdempotencyError() throws {
        let rig = try StripeTestRig()
        let payment = try rig.collect(StripeTestRig.request(1000))
        _ = try rig.terminal.refund(paymentID: payment.id, amount: 300, idempotencyKey: "r1")
        let error = rig.failure { try rig.terminal.refund(paymentID: payment.id, amount: 250, idempotencyKey: "r1") }
        guard case let .refused(why) = try #require(error) else { Issue.record("got \(String(describing: error))"); return }
        #expect(why.contains("idempotency"))
        #expect(rig.fake.refundTotal == 300)
    }

    @Test func anUnknownPaymentIsSaidSo() throws {
        let rig = try StripeTestRig()
        #expect(rig.failure { try rig.terminal.payment(id: "pi_NoSuchPaymentIntentHere") } == .unknownPayment("pi_NoSuchPaymentIntentHere"))
        #expect(rig.failure { try rig.terminal.refund(paymentID: "pi_NoSuchPaymentIntentHere", amount: 1, idempotencyKey: "x") }
                == .unknownPayment("pi_NoSuchPaymentIntentHere"))
    }

    @Test func theSameKeyAndParametersReplayTheSavedAnswerByteForByte() throws {
        let rig = try StripeTestRig()
        let client = rig.terminal.client
        let form = rig.terminal.createForm(StripeTestRig.request(555, key: "replay-test"))
        let first = try client.post("/v1/payment_intents", form, idempotencyKey: "replay-test-create")
        let second = try client.post("/v1/payment_intents", form, idempotencyKey: "replay-test-create")
        #expect(first.status == 200 && !first.replayed)
        #expect(second.replayed && second.status == first.status && second.body == first.body)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: "replay-test").count == 1)

        let other = rig.terminal.createForm(StripeTestRig.request(556, key: "replay-test"))
        do {
            _ = try client.post(StripePaymentIntent.self, "/v1/payment_intents", other, idempotencyKey: "replay-test-create")
            Issue.record("other parameters under a used key were accepted")
        } catch let StripeClientError.api(status, error) {
            #expect(status == 400 && error.type == "idempotency_error")
        }
        // An error is saved and replayed too.
        var capture = StripeForm()
        capture.add("amount_to_capture", 1)
        let refusedOnce = try client.post("/v1/payment_intents/pi_NoSuchOne/capture", capture, idempotencyKey: "cap-missing")
        let refusedTwice = try client.post("/v1/payment_intents/pi_NoSuchOne/capture", capture, idempotencyKey: "cap-missing")
        #expect(refusedOnce.status == 404 && refusedTwice.status == 404 && refusedTwice.body == refusedOnce.body && refusedTwice.replayed)
    }
}
