import Foundation
import Testing
import TillCore
import TillFakeStripe
@testable import TillStripe

@Suite("Payments, balance and the reader's status")
struct ListingTests {
    @Test func paymentsInAPeriodArePagedThroughAndLeaveDeclinesOut() throws {
        let rig = try StripeTestRig(listPageSize: 3)
        var approved: [String] = []
        for index in 0..<7 { approved.append(try rig.collect(StripeTestRig.request(100 + Int64(index))).id) }
        _ = rig.failure { try rig.collect(StripeTestRig.request(999), outcome: .decline("insufficient_funds")) }
        _ = rig.failure { try rig.collect(StripeTestRig.request(998), outcome: .customerCancels) }
        rig.fake.moveClock(bySeconds: -2 * 86_400)
        let old = try rig.collect(StripeTestRig.request(5000))
        rig.fake.moveClock(bySeconds: 2 * 86_400)

        let now = Date()
        let today = try rig.terminal.payments(from: now.addingTimeInterval(-3600), to: now.addingTimeInterval(3600))
        #expect(Set(today.map(\.id)) == Set(approved))
        #expect(today.count == 7)
        #expect(today.allSatisfy { $0.status == .captured && $0.card?.last4 == "4242" && $0.attemptKey != nil })
        #expect(today.map(\.amount).reduce(0, +) == (100...106).reduce(0, +))
        // The URL may carry the brackets percent-encoded; Stripe reads both.
        let lists = rig.requests(to: .listCharges).map { $0.query.removingPercentEncoding ?? $0.query }
        #expect(lists.count == 3)
        #expect(lists.dropFirst().allSatisfy { $0.contains("starting_after=ch_") })
        #expect(lists.allSatisfy { $0.contains("limit=3") && $0.contains("created[gte]=") && $0.contains("expand[]=data.payment_intent") })

        let earlier = try rig.terminal.payments(from: now.addingTimeInterval(-3 * 86_400), to: now.addingTimeInterval(-86_400))
        #expect(earlier.map(\.id) == [old.id])
    }

    @Test func refundedAndAuthorizedPaymentsAreListedWithWhatIsLeft() throws {
        let rig = try StripeTestRig()
        let refunded = try rig.collect(StripeTestRig.request(1000))
        _ = try rig.terminal.refund(paymentID: refunded.id, amount: 400, idempotencyKey: "r1")
        let held = try rig.collect(StripeTestRig.request(700, manual: true))
        let now = Date()
        let listed = try rig.terminal.payments(from: now.addingTimeInterval(-60), to: now.addingTimeInterval(60))
        let byID = Dictionary(uniqueKeysWithValues: listed.map { ($0.id, $0) })
        #expect(byID[refunded.id]?.amountRefunded == 400 && byID[refunded.id]?.status == .captured)
        #expect(byID[held.id]?.status == .authorized && byID[held.id]?.amountCaptured == 0)
    }

    @Test func balanceTransactionsCarryTheFeeAndTheRefunds() throws {
        let rig = try StripeTestRig(listPageSize: 2)
        let payment = try rig.collect(StripeTestRig.request(1250))
        _ = try rig.collect(StripeTestRig.request(2000))
        _ = try rig.terminal.refund(paymentID: payment.id, amount: 250, idempotencyKey: "r1")
        let now = Date()
        let lines = try rig.terminal.balanceTransactions(from: now.addingTimeInterval(-60), to: now.addingTimeInterval(60))
        #expect(lines.count == 3)
        let charge = try #require(lines.first { $0.amount == 1250 })
        // 1.4 % + 25: 17.5 → 18, plus 25.
        #expect(charge.fee == 43 && charge.net == 1207 && charge.type == "charge" && charge.reportingCategory == "charge")
        #expect(charge.source?.hasPrefix("ch_") == true && charge.currency == "eur")
        let refund = try #require(lines.first { $0.type == "refund" })
        #expect(refund.amount == -250 && refund.fee == 0 && refund.net == -250 && refund.source?.hasPrefix("re_") == true)
        #expect(rig.requests(to: .listBalanceTransactions).count == 2)
    }

    @Test func theReaderStatusSaysOnlineAndIdleOrOffline() throws {
        let rig = try StripeTestRig()
        #expect(try rig.terminal.status() == CardReaderStatus(readerID: "tmr_fake_1", label: "Front till", online: true, activity: "idle"))
        rig.fake.setReader("tmr_fake_1", online: false)
        #expect(try rig.terminal.status().online == false)
        let missing = try StripeTerminal(configuration: rig.configuration, readerID: "tmr_not_paired")
        do {
            _ = try missing.status()
            Issue.record("an unpaired reader had a status")
        } catch let error as CardTerminalError {
            #expect(error == .unknownReader("tmr_not_paired"))
            #expect(error.description.contains("tmr_not_paired"))
        }
    }
}
