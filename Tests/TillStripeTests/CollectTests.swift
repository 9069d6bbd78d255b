import Foundation
import Synchronization
import Testing
import TillCore
import TillFakeStripe
@testable import TillStripe

@Suite("StripeTerminal.collect against the fake")
struct CollectTests {
    @Test func anApprovedCardIsCapturedOnceWithWhatTheReceiptNeeds() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(1250)
        let journaled = JournalLog()
        let journal = CardAttemptJournal { id in journaled.add(id, processRequestsSoFar: rig.requests(to: .processPaymentIntent).count) }
        let progress = ProgressLog()
        let payment = try rig.collect(request, journal: journal, progress: progress.reporter)

        #expect(payment.status == .captured)
        #expect(payment.amount == 1250 && payment.amountCaptured == 1250 && payment.amountRefunded == 0)
        #expect(payment.currency == "EUR")
        #expect(payment.attemptKey == request.attemptKey)
        let card = try #require(payment.card)
        #expect(card.brand == "visa" && card.last4 == "4242" && card.entryMode == .contactless)
        #expect(card.applicationName == "VISA CREDIT" && card.applicationID == "A0000000031010")
        #expect(card.authorizationCode?.count == 6)
        // The id is written down before the reader is asked to take the card.
        #expect(journaled.entries.map(\.id) == [payment.id])
        #expect(journaled.entries.first?.processRequestsSoFar == 0)
        #expect(progress.all.contains("Card: present card on reader tmr_fake_1 — Esc cancels"))
        #expect(progress.all.contains("Card: processing…"))

        #expect(rig.approvedCharges(request).map(\.amountCaptured) == [1250])
        #expect(rig.fake.capturedTotal == 1250)
        #expect(rig.requests(to: .createPaymentIntent).map(\.idempotencyKey) == ["\(request.attemptKey)-create"])
        #expect(rig.requests(to: .processPaymentIntent).map(\.idempotencyKey) == ["\(request.attemptKey)-process-1"])
        let create = try #require(rig.requests(to: .createPaymentIntent).first)
        #expect(create.body.contains("metadata[till_attempt]=\(request.attemptKey)"))
        #expect(create.body.contains("metadata[order]=57"))
        #expect(create.body.contains("payment_method_types[]=card_present"))
        #expect(create.body.contains("capture_method=automatic"))
        #expect(create.header("Content-Type") == "application/x-www-form-urlencoded")
        rig.expectCleanRequests()
    }

    @Test func anOfflineReaderIsSaidSoAndThePaymentIntentIsCancelled() throws {
        let rig = try StripeTestRig()
        rig.fake.setReader("tmr_fake_1", online: false)
        let request = StripeTestRig.request()
        let error = rig.failure { try rig.collect(request) }
        #expect(error == .readerOffline(reader: "tmr_fake_1"))
        #expect(error?.isDefinite == true)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
        #expect(rig.fake.charges(forAttempt: request.attemptKey).isEmpty)
        rig.expectCleanRequests()
    }

    @Test func aBusyReaderIsSaidSoAndThePaymentIntentIsCancelled() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.readerBusy = true }
        let request = StripeTestRig.request()
        #expect(rig.failure { try rig.collect(request) } == .readerBusy(reader: "tmr_fake_1"))
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
        #expect(rig.fake.charges(forAttempt: request.attemptKey).isEmpty)
    }

    @Test func aSlowAnswerAfterTheChargeIsNoAnswerAndRecoverFindsTheCapturedPayment() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(990)
        let journaled = JournalLog()
        let journal = CardAttemptJournal { id in journaled.add(id, processRequestsSoFar: 0) }
        // Once the reader is done, every read of the PaymentIntent comes back later than the client waits.
        let progress = ProgressReporter { text in
            if text == "Card: processing…" {
                rig.fake.updateFaults { $0.slowAnswers[.retrievePaymentIntent] = .init(milliseconds: 700, count: 3) }
            }
        }
        let error = rig.failure { try rig.collect(request, journal: journal, progress: progress) }
        guard case .noAnswer = try #require(error) else { Issue.record("expected noAnswer, got \(String(describing: error))"); return }
        #expect(error?.isDefinite == false)
        #expect(rig.approvedCharges(request).count == 1)

        let id = try #require(journaled.entries.first?.id)
        let recovered = try #require(try rig.terminal.recover(StripeTestRig.record(request, paymentID: id)))
        #expect(recovered.id == id && recovered.status == .captured && recovered.amountCaptured == 990)
        #expect(rig.approvedCharges(request).count == 1)
        #expect(rig.fake.capturedTotal == 990)
    }

    @Test func aSlowCreateIsNoAnswerAndRecoverReplaysItToFindAPaymentAwaitingACard() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.slowAnswers[.createPaymentIntent] = .init(milliseconds: 700) }
        let request = StripeTestRig.request()
        let journaled = JournalLog()
        let journal = CardAttemptJournal { id in journaled.add(id, processRequestsSoFar: 0) }
        let error = rig.failure { try rig.collect(request, journal: journal) }
        #expect(error?.isDefinite == false)
        #expect(journaled.entries.isEmpty)

        let record = StripeTestRig.record(request)
        let recovered = try #require(try rig.terminal.recover(record))
        #expect(recovered.status == .awaitingCard)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["requires_payment_method"])
        try rig.terminal.abandon(record, paymentID: recovered.id)
        try rig.terminal.abandon(record, paymentID: recovered.id)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
        #expect(rig.fake.charges(forAttempt: request.attemptKey).isEmpty)
    }

    @Test func anAnswerDroppedAfterTheChargeIsRecoveredAndASecondCollectDoesNotChargeAgain() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(4200)
        let progress = ProgressReporter { text in
            if text == "Card: processing…" {
                rig.fake.updateFaults { $0.dropAnswerAfterCommit[.retrievePaymentIntent] = 3 }
            }
        }
        let error = rig.failure { try rig.collect(request, progress: progress) }
        #expect(error?.isDefinite == false)
        #expect(rig.approvedCharges(request).count == 1)

        // Without the id (as if the journal write was lost too): the create is replayed under its key.
        let recovered = try #require(try rig.terminal.recover(StripeTestRig.record(request)))
        #expect(recovered.status == .captured && recovered.amountCaptured == 4200)

        let again = try rig.collect(request)
        #expect(again.id == recovered.id && again.status == .captured)
        #expect(rig.approvedCharges(request).count == 1)
        #expect(rig.fake.capturedTotal == 4200)
        #expect(rig.requests(to: .processPaymentIntent).count == 1)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["succeeded"])
        rig.expectCleanRequests()
    }

    @Test func aDroppedCreateAnswerThenTheSameKeyMakesOnePaymentIntent() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.dropAnswerAfterCommit[.createPaymentIntent] = 1 }
        let request = StripeTestRig.request(700)
        let error = rig.failure { try rig.collect(request) }
        #expect(error?.isDefinite == false)
        let payment = try rig.collect(request)
        #expect(payment.status == .captured)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["succeeded"])
        #expect(rig.approvedCharges(request).count == 1)
        #expect(rig.requests(to: .createPaymentIntent).map(\.idempotencyKey) == Array(repeating: "\(request.attemptKey)-create", count: 2))
    }

    @Test func aDroppedProcessAnswerIsSettledByReadingTheReader() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.dropAnswerAfterCommit[.processPaymentIntent] = 1 }
        let request = StripeTestRig.request()
        let payment = try rig.collect(request)
        #expect(payment.status == .captured)
        #expect(rig.requests(to: .processPaymentIntent).count == 1)
        #expect(rig.approvedCharges(request).count == 1)
    }

    @Test func aFalseNegativeReaderTimeoutIsNotSentAgain() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.falseNegativeTimeouts = 1 }
        let request = StripeTestRig.request()
        let payment = try rig.collect(request)
        #expect(payment.status == .captured)
        #expect(rig.requests(to: .processPaymentIntent).map(\.idempotencyKey) == ["\(request.attemptKey)-process-1"])
        #expect(rig.approvedCharges(request).count == 1)
    }

    @Test func aRealReaderTimeoutIsRetriedOnceUnderItsOwnKey() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.readerTimeouts = 1 }
        let request = StripeTestRig.request()
        let payment = try rig.collect(request)
        #expect(payment.status == .captured)
        #expect(rig.requests(to: .processPaymentIntent).map(\.idempotencyKey)
                == ["\(request.attemptKey)-process-1", "\(request.attemptKey)-process-2"])
        #expect(rig.approvedCharges(request).count == 1)
    }

    @Test func aReaderThatTimesOutTwiceLeavesTheAttemptOpen() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.readerTimeouts = 2 }
        let request = StripeTestRig.request()
        let error = rig.failure { try rig.collect(request) }
        #expect(error?.isDefinite == false)
        #expect(rig.fake.charges(forAttempt: request.attemptKey).isEmpty)
    }

    @Test(arguments: ["insufficient_funds", "expired_card", "incorrect_pin", "do_not_honor", "generic_decline", "lost_card",
                      "stolen_card", "card_velocity_exceeded", "offline_pin_required", "a_code_stripe_adds_later"])
    func aDeclineIsSaidInPlainWordsAndNothingIsTaken(code: String) throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request()
        let error = try #require(rig.failure { try rig.collect(request, outcome: .decline(code)) })
        #expect(error == .declined(code: code))
        #expect(error.description == "card declined: \(CardDeclineCode.plainWords(code)); nothing was taken")
        #expect(!error.description.contains("lost") && !error.description.contains("stolen"))
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
        #expect(rig.fake.charges(forAttempt: request.attemptKey).map(\.status) == ["failed"])
        #expect(rig.fake.capturedTotal == 0)
    }

    @Test func theCustomerCancellingOnTheReaderIsSaidSo() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request()
        #expect(rig.failure { try rig.collect(request, outcome: .customerCancels) } == .cancelled(byCustomer: true))
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
        #expect(rig.fake.charges(forAttempt: request.attemptKey).isEmpty)
    }

    @Test func escBeforeTheCardCallsTheReaderOffAndCancels() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request()
        let cancellation = CancellationFlag()
        let progress = ProgressReporter { text in if text.hasPrefix("Card: present card") { cancellation.cancel() } }
        let error = rig.failure { try rig.collect(request, outcome: nil, cancellation: cancellation, progress: progress) }
        #expect(error == .cancelled(byCustomer: false))
        #expect(rig.requests(to: .cancelReaderAction).map(\.idempotencyKey) == ["\(request.attemptKey)-cancel-action"])
        #expect(rig.fake.readerAction() == nil)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
        #expect(rig.fake.charges(forAttempt: request.attemptKey).isEmpty)
    }

    @Test(arguments: [false, true])
    func escAfterTheCardWasTakenReturnsThePayment(manual: Bool) throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(1500, manual: manual)
        let cancellation = CancellationFlag()
        // The customer taps, and the cashier presses Esc before the till has seen the answer.
        let progress = ProgressReporter { text in
            if text.hasPrefix("Card: present card") {
                try? rig.fake.present(outcome: .approve)
                cancellation.cancel()
            }
        }
        let payment = try rig.collect(request, outcome: nil, cancellation: cancellation, progress: progress)
        #expect(payment.status == (manual ? .authorized : .captured))
        #expect(rig.requests(to: .cancelReaderAction).count == 1)
        #expect(rig.requests(to: .cancelPaymentIntent).isEmpty)
        #expect(rig.approvedCharges(request).count == 1)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == [manual ? "requires_capture" : "succeeded"])
    }

    @Test func nobodyAtTheReaderUntilTheCollectTimeoutCallsThePaymentOff() throws {
        let rig = try StripeTestRig(collectTimeout: .milliseconds(300))
        let request = StripeTestRig.request()
        #expect(rig.failure { try rig.collect(request, outcome: nil) } == .cancelled(byCustomer: false))
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey) == ["canceled"])
        #expect(rig.fake.readerAction() == nil)
    }

    @Test func recoverWhileTheReaderStillWaitsSaysProcessing() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(2000)
        let journaled = JournalLog()
        let journal = CardAttemptJournal { id in journaled.add(id, processRequestsSoFar: 0) }
        let outcome = CollectOutcome()
        let thread = Thread {
            outcome.set(Result { try rig.terminal.collect(request, journal: journal, cancellation: nil, progress: .silent) })
        }
        thread.start()
        let started = ContinuousClock.now
        while rig.fake.readerAction()?.status != "in_progress" && ContinuousClock.now - started < .seconds(3) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let id = try #require(journaled.entries.first?.id)
        let recovered = try #require(try rig.terminal.recover(StripeTestRig.record(request, paymentID: id)))
        #expect(recovered.status == .processing)
        try rig.fake.present(outcome: .approve)
        let payment = try outcome.wait().get()
        #expect(payment.id == id && payment.status == .captured)
        #expect(rig.approvedCharges(request).count == 1)
    }

    @Test func stripeOutOfReachIsADefiniteAnswerNamingTheURL() throws {
        let configuration = StripeConfiguration(apiKey: StripeTestRig.apiKey, baseURL: "http://127.0.0.1:1", readerID: "tmr_fake_1",
                                                requestTimeout: .milliseconds(400))
        let terminal = try StripeTerminal(configuration: configuration)
        do {
            _ = try terminal.collect(StripeTestRig.request(), journal: .none, cancellation: nil, progress: .silent)
            Issue.record("collect against a closed port answered")
        } catch let error as CardTerminalError {
            guard case let .notConfigured(message) = error else { Issue.record("got \(error)"); return }
            #expect(message.hasPrefix("cannot reach Stripe at http://127.0.0.1:1"))
            #expect(message.contains("nothing was sent"))
            #expect(!message.contains(StripeTestRig.apiKey))
        }
    }

    @Test func aWrongKeyIsNotConfiguredWithoutShowingAnyKey() throws {
        let rig = try StripeTestRig()
        let wrongKey = "sk_test_WrongKeyThatMustNotShow"
        let configuration = StripeConfiguration(apiKey: wrongKey, baseURL: rig.fake.baseURL, readerID: "tmr_fake_1",
                                                requestTimeout: .milliseconds(400))
        let terminal = try StripeTerminal(configuration: configuration)
        let error = rig.failure { try terminal.collect(StripeTestRig.request(), journal: .none, cancellation: nil, progress: .silent) }
        guard case let .notConfigured(message) = try #require(error) else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.contains("401"))
        #expect(!message.contains(wrongKey) && !message.contains(StripeTestRig.apiKey))
        #expect(rig.fake.allCharges.isEmpty)
    }
}

/// What the journal was told, and when.
final class JournalLog: Sendable {
    struct Entry: Sendable { var id: String; var processRequestsSoFar: Int }
    private let log = Mutex<[Entry]>([])
    func add(_ id: String, processRequestsSoFar: Int) { log.withLock { $0.append(Entry(id: id, processRequestsSoFar: processRequestsSoFar)) } }
    var entries: [Entry] { log.withLock { $0 } }
}

/// A collect run on another thread, and its result.
final class CollectOutcome: Sendable {
    private let result = Mutex<Result<CardPayment, Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)
    func set(_ value: Result<CardPayment, Error>) {
        result.withLock { $0 = value }
        done.signal()
    }
    func wait() -> Result<CardPayment, Error> {
        done.wait()
        return result.withLock { $0! }
    }
}

@Suite("Rate limits while a payment runs")
struct RateLimitTests {
    @Test func rateLimitedReadsWhileTheCustomerPaysAreWaitedOut() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(880)
        let progress = ProgressReporter { text in
            if text.hasPrefix("Card: present card") { rig.fake.updateFaults { $0.rateLimited[.retrieveReader] = 2 } }
        }
        let payment = try rig.collect(request, progress: progress)
        #expect(payment.status == .captured)
        #expect(rig.approvedCharges(request).count == 1)
    }

    @Test func aRateLimitedCreateLeavesTheAttemptOpenAndTheSameKeyThenWorks() throws {
        let rig = try StripeTestRig()
        rig.fake.updateFaults { $0.rateLimited[.createPaymentIntent] = 1 }
        let request = StripeTestRig.request(880)
        let error = rig.failure { try rig.collect(request) }
        #expect(error?.isDefinite == false)
        #expect(rig.fake.paymentIntentStatuses(forAttempt: request.attemptKey).isEmpty)
        #expect(try rig.collect(request).status == .captured)
        #expect(rig.approvedCharges(request).count == 1)
    }

    @Test func readsThatKeepFailingAfterTheReaderHasThePaymentAreNoAnswerNotARefusal() throws {
        let rig = try StripeTestRig()
        let request = StripeTestRig.request(880)
        let progress = ProgressReporter { text in
            if text == "Card: processing…" { rig.fake.updateFaults { $0.rateLimited[.retrievePaymentIntent] = 5 } }
        }
        let error = rig.failure { try rig.collect(request, progress: progress) }
        #expect(error?.isDefinite == false)
        #expect(rig.approvedCharges(request).count == 1)
    }
}
