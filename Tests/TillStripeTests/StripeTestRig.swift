import Foundation
import Synchronization
import Testing
import TillCore
import TillFakeStripe
@testable import TillStripe

/// A fake Stripe with one reader, and a terminal pointed at it with short timeouts so faults show in milliseconds.
final class StripeTestRig: Sendable {
    static let apiKey = "sk_test_TillRigSecretKeyDoNotLeak"
    let fake: FakeStripe
    let terminal: StripeTerminal
    let configuration: StripeConfiguration

    init(requestTimeout: Duration = .milliseconds(400), collectTimeout: Duration = .seconds(4), listPageSize: Int = 100) throws {
        fake = try FakeStripe.start(apiKey: StripeTestRig.apiKey)
        fake.addReader(id: "tmr_fake_1", label: "Front till")
        configuration = StripeConfiguration(apiKey: StripeTestRig.apiKey, baseURL: fake.baseURL, readerID: "tmr_fake_1",
                                            requestTimeout: requestTimeout, pollInterval: .milliseconds(10),
                                            collectTimeout: collectTimeout, listPageSize: listPageSize)
        terminal = try StripeTerminal(configuration: configuration)
    }

    deinit { fake.stop() }

    static func request(_ amount: Int64 = 1250, key: String = "att-" + UUID().uuidString.lowercased(), manual: Bool = false) -> CardCollectRequest {
        CardCollectRequest(amount: amount, currency: .EUR, attemptKey: key, captureManually: manual,
                           description: "Till sale at register main", metadata: ["order": "57", "register": "main"])
    }

    static func record(_ request: CardCollectRequest, paymentID: String? = nil) -> CardAttemptRecord {
        CardAttemptRecord(attemptKey: request.attemptKey, amount: request.amount, currency: request.currency,
                          captureManually: request.captureManually, description: request.description,
                          metadata: request.metadata, processorPaymentID: paymentID)
    }

    /// Collects with the fake playing `outcome` as soon as the reader has the payment.
    func collect(_ request: CardCollectRequest, outcome: FakeCardOutcome? = .approve, journal: CardAttemptJournal = .none,
                 cancellation: CancellationFlag? = nil, progress: ProgressReporter = .silent) throws -> CardPayment {
        if let outcome { fake.updateFaults { $0.autoPresent = .init(outcome) } }
        return try terminal.collect(request, journal: journal, cancellation: cancellation, progress: progress)
    }

    /// The error `body` throws, as a `CardTerminalError` (a test fails when it throws none or another kind).
    func failure(_ body: () throws -> CardPayment) -> CardTerminalError? {
        do {
            let payment = try body()
            Issue.record("expected a CardTerminalError, got payment \(payment.id) \(payment.status)")
            return nil
        } catch let error as CardTerminalError {
            return error
        } catch {
            Issue.record("expected a CardTerminalError, got \(error)")
            return nil
        }
    }

    /// What every test checks of the fake's records: each POST had an idempotency key, and the API key was sent in
    /// the Authorization header only.
    func expectCleanRequests(sourceLocation: SourceLocation = #_sourceLocation) {
        for request in fake.requests where !request.path.hasPrefix("/_fake/") {
            if request.method == "POST" {
                #expect(request.idempotencyKey?.isEmpty == false, "POST \(request.path) without Idempotency-Key",
                        sourceLocation: sourceLocation)
            }
            #expect(!request.path.contains(StripeTestRig.apiKey) && !request.query.contains(StripeTestRig.apiKey)
                    && !request.body.contains(StripeTestRig.apiKey), sourceLocation: sourceLocation)
            for header in request.headers where header.name.lowercased() != "authorization" {
                #expect(!header.value.contains(StripeTestRig.apiKey), "key in header \(header.name)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Succeeded charges of an attempt: a payment is taken at most once.
    func approvedCharges(_ request: CardCollectRequest) -> [FakeStripeChargeRecord] {
        fake.charges(forAttempt: request.attemptKey).filter { $0.status == "succeeded" }
    }

    func requests(to endpoint: FakeStripeEndpoint) -> [FakeStripeRecordedRequest] {
        fake.requests.filter { $0.endpoint == endpoint }
    }
}

/// Progress texts, gathered across threads.
final class ProgressLog: Sendable {
    private let lines = Mutex<[String]>([])
    var reporter: ProgressReporter { ProgressReporter { text in self.lines.withLock { $0.append(text) } } }
    var all: [String] { lines.withLock { $0 } }
}
