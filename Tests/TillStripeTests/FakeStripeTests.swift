import AsyncHTTPClient
import Foundation
import Testing
import TillCore
import TillFakeStripe
@testable import TillStripe

@Suite("The fake itself: control endpoint, ids, records")
struct FakeStripeTests {
    @Test func faultsCanBeSwitchedOverHTTPAndTheStateRead() throws {
        let rig = try StripeTestRig()
        let client = rig.terminal.client
        var faults = StripeForm()
        faults.add("reader_busy", "true")
        faults.add("auto_present", "approve")
        let set = try client.post("/_fake/faults", faults, idempotencyKey: "control-1")
        #expect(set.status == 200)
        #expect(rig.fake.faults.readerBusy && rig.fake.faults.autoPresent == .init(.approve))
        #expect(rig.failure { try rig.terminal.collect(StripeTestRig.request(), journal: .none, cancellation: nil, progress: .silent) }
                == .readerBusy(reader: "tmr_fake_1"))

        var off = StripeForm()
        off.add("reader_busy", "false")
        off.add("slow[retrieve_reader]", "10")
        off.add("drop[cancel_action]", "2")
        _ = try client.post("/_fake/faults", off, idempotencyKey: "control-2")
        #expect(rig.fake.faults.dropAnswerAfterCommit[.cancelReaderAction] == 2)
        #expect(rig.fake.faults.slowAnswers[.retrieveReader] == .init(milliseconds: 10))
        let payment = try rig.terminal.collect(StripeTestRig.request(321), journal: .none, cancellation: nil, progress: .silent)
        #expect(payment.status == .captured)

        let state = try client.get("/_fake/state")
        let text = String(decoding: state.body, as: UTF8.self)
        #expect(text.contains("\"captured_total\":321"))
        #expect(text.contains("\"reader_busy\":false"))

        var bad = StripeForm()
        bad.add("slow[no_such_endpoint]", "5")
        #expect(try client.post("/_fake/faults", bad, idempotencyKey: "control-3").status == 400)
    }

    @Test func thePresentTestHelperPlaysTheCustomer() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(640)
        let cancellation = CancellationFlag()
        let client = rig.terminal.client
        let progress = ProgressReporter { text in
            guard text.hasPrefix("Card: present card") else { return }
            var form = StripeForm()
            form.add("type", "card_present")
            form.add("outcome", "decline:insufficient_funds")
            _ = try? client.post("/v1/test_helpers/terminal/readers/tmr_fake_1/present_payment_method", form,
                                 idempotencyKey: "present-1")
        }
        let error = rig.failure { try rig.collect(request, outcome: nil, cancellation: cancellation, progress: progress) }
        #expect(error == .declined(code: "insufficient_funds"))
    }

    @Test func idsLookLikeStripesAndNothingLooksLikeACardNumber() throws {
        let rig = try StripeTestRig()
        for _ in 0..<5 {
            let payment = try rig.collect(StripeTestRig.request())
            #expect(payment.id.wholeMatch(of: /pi_[A-Za-z]{24}/) != nil)
        }
        let client = rig.terminal.client
        var bodies: [String] = [String(decoding: try client.get("/_fake/state").body, as: UTF8.self)]
        for charge in rig.fake.allCharges {
            bodies.append(String(decoding: try client.get("/v1/payment_intents/\(charge.paymentIntentID)").body, as: UTF8.self))
        }
        for body in bodies { #expect(body.firstMatch(of: /[0-9]{13,}/) == nil, "a long digit run in \(body)") }
    }

    @Test func aRequestWithoutTheKeyIsUnauthorized() throws {
        let fake = try FakeStripe.start(apiKey: "sk_test_fakeKeyForAuth")
        defer { fake.stop() }
        let client = StripeClient(configuration: StripeConfiguration(apiKey: "sk_test_other", baseURL: fake.baseURL,
                                                                     requestTimeout: .milliseconds(500)))
        let answer = try client.get("/v1/charges")
        #expect(answer.status == 401)
        #expect(!String(decoding: answer.body, as: UTF8.self).contains("sk_test"))
    }
}
