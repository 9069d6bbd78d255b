import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A stand-in for Stripe's API on 127.0.0.1: Terminal readers, PaymentIntents with their real states, charges,
/// refunds, balance transactions and Stripe's idempotency rules — and faults switched on by tests: a reader offline
/// or busy, answers late or lost after the change was made, a reader timeout that was not one.
///
/// It never sees or returns a card number: an approved card is a Visa ending 4242, read contactless.
///
///     let fake = try FakeStripe.start(apiKey: "sk_test_fake")
///     fake.addReader(id: "tmr_fake_1", label: "Front till")
///     fake.faults.autoPresent = .init(.approve)           // nobody at the counter: the card is tapped at once
///     // … point a StripeTerminal at fake.baseURL …
///     fake.stop()
public final class FakeStripe: Sendable {
    public let apiKey: String
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: Channel
    private let state: Mutex<State>

    struct State {
        var ledger = FakeStripeLedger()
        /// Idempotency-Key → what the first request with it was, and what it was answered.
        var savedAnswers: [String: SavedAnswer] = [:]
        var requests: [FakeStripeRecordedRequest] = []
    }

    struct SavedAnswer {
        var fingerprint: String
        var status: Int
        var body: String
    }

    /// How the fake answers one HTTP request.
    struct Reply: Sendable {
        var status: Int
        var body: String
        var headers: [FakeStripeHeader] = []
        var delayMilliseconds = 0
        /// Close the connection without answering (after the change was made).
        var drop = false
    }

    private init(apiKey: String, port: Int, group: MultiThreadedEventLoopGroup, serverChannel: Channel) {
        self.apiKey = apiKey
        self.port = port
        self.group = group
        self.serverChannel = serverChannel
        self.state = Mutex(State())
    }

    /// Listens on 127.0.0.1 (`port` 0: a free port the system picks) and answers requests bearing `apiKey`.
    public static func start(apiKey: String = "sk_test_fake_till", port: Int = 0) throws -> FakeStripe {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = FakeStripeBox()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(FakeStripeHTTPHandler(box: box))
                }
            }
            .childChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
        let channel: Channel
        do {
            channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        let fake = FakeStripe(apiKey: apiKey, port: channel.localAddress?.port ?? port, group: group,
                              serverChannel: channel)
        box.set(fake)
        return fake
    }

    public func stop() {
        try? serverChannel.close().wait()
        try? group.syncShutdownGracefully()
    }

    // MARK: the account, from Swift

    /// A reader paired to the account, online unless told otherwise.
    public func addReader(id: String = "tmr_fake_1", label: String = "Till reader", online: Bool = true) {
        state.withLock { $0.ledger.readers[id] = FakeReader(id: id, label: label, online: online, action: nil) }
    }

    public func setReader(_ id: String, online: Bool) {
        state.withLock { $0.ledger.readers[id]?.online = online }
    }

    /// The faults in force; set them all at once or change one (`fake.faults.readerBusy = true`).
    public var faults: FakeStripeFaults {
        get { state.withLock { $0.ledger.faults } }
        set { state.withLock { $0.ledger.faults = newValue } }
    }

    public func updateFaults(_ change: (inout FakeStripeFaults) -> Void) {
        state.withLock { change(&$0.ledger.faults) }
    }

    /// Moves the fake's clock (what `created` says) by `seconds`, so payments can be made on another day.
    public func moveClock(bySeconds seconds: Int64) {
        state.withLock { $0.ledger.clockOffset += seconds }
    }

    /// Plays the customer at `reader`: taps an approved card, has it declined, or presses cancel.
    public func present(reader: String = "tmr_fake_1", outcome: FakeCardOutcome) throws {
        let now = self.now()
        if let error = state.withLock({ $0.ledger.present(readerID: reader, outcome: outcome, now: now + $0.ledger.clockOffset) }) {
            throw error
        }
    }

    // MARK: inspection

    /// Every request received, oldest first.
    public var requests: [FakeStripeRecordedRequest] { state.withLock { $0.requests } }

    /// Every charge of the PaymentIntents whose metadata names `attemptKey` (`till_attempt`), declines included.
    public func charges(forAttempt attemptKey: String) -> [FakeStripeChargeRecord] {
        state.withLock { state in
            state.ledger.charges.values.sorted { $0.sequence < $1.sequence }.compactMap { charge in
                let key = state.ledger.paymentIntents[charge.paymentIntentID]?.metadata["till_attempt"]
                guard key == attemptKey else { return nil }
                return FakeStripe.record(charge, attemptKey: key)
            }
        }
    }

    /// Every charge on the account, oldest first.
    public var allCharges: [FakeStripeChargeRecord] {
        state.withLock { state in
            state.ledger.charges.values.sorted { $0.sequence < $1.sequence }.map {
                FakeStripe.record($0, attemptKey: state.ledger.paymentIntents[$0.paymentIntentID]?.metadata["till_attempt"])
            }
        }
    }

    /// Money taken and kept: captured, less refunds and released holds.
    public var capturedTotal: Int64 {
        state.withLock { state in
            state.ledger.charges.values.filter { $0.captured }.reduce(0) { $0 + $1.amount - $1.amountRefunded }
        }
    }

    /// How many PaymentIntents name `attemptKey`, and their statuses.
    public func paymentIntentStatuses(forAttempt attemptKey: String) -> [String] {
        state.withLock { state in
            state.ledger.paymentIntents.values.filter { $0.metadata["till_attempt"] == attemptKey }
                .sorted { $0.sequence < $1.sequence }.map(\.status)
        }
    }

    public func paymentIntentStatus(_ id: String) -> String? {
        state.withLock { $0.ledger.paymentIntents[id]?.status }
    }

    /// What the reader is doing: nil when idle, else the action's status and PaymentIntent.
    public func readerAction(_ reader: String = "tmr_fake_1") -> (status: String, paymentIntent: String)? {
        state.withLock { state in
            state.ledger.readers[reader]?.action.map { ($0.status, $0.paymentIntentID) }
        }
    }

    public var refundTotal: Int64 { state.withLock { $0.ledger.refunds.reduce(0) { $0 + $1.amount } } }

    public var refundCount: Int { state.withLock { $0.ledger.refunds.count } }

    private static func record(_ charge: FakeCharge, attemptKey: String?) -> FakeStripeChargeRecord {
        FakeStripeChargeRecord(id: charge.id, paymentIntentID: charge.paymentIntentID, attemptKey: attemptKey,
                               status: charge.status, amount: charge.amount, amountCaptured: charge.amountCaptured,
                               amountRefunded: charge.amountRefunded, captured: charge.captured)
    }

    private func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    // MARK: HTTP

    func handle(method: String, uri: String, headers: [FakeStripeHeader], body: String) -> Reply {
        let (path, query) = FakeStripe.split(uri)
        let params = FakeStripeFormBody(parsing: method == "GET" ? query : body)
        let route = FakeStripeEndpoint.route(method: method, path: path)
        let recorded = FakeStripeRecordedRequest(method: method, path: path, query: query, headers: headers, body: body,
                                                 endpoint: route?.0)
        let now = self.now()
        let (reply, autoPresent) = state.withLock { state -> (Reply, (String, FakeStripeFaults.AutoPresent)?) in
            state.requests.append(recorded)
            // A fake left running by hand should not grow without end; tests never come near this.
            if state.requests.count > 20_000 { state.requests.removeFirst(10_000) }
            if path.hasPrefix("/_fake/") { return (control(method: method, path: path, params: params, state: &state), nil) }
            guard authorized(recorded.header("Authorization")) else {
                // Unlike Stripe, which echoes a masked key, the fake names no key at all.
                return (Reply(status: 401, body: fakeErrorJSON(type: "invalid_request_error", code: nil,
                                                               message: "Invalid API Key provided.").rendered()), nil)
            }
            guard let (endpoint, id) = route else {
                return (Reply(status: 404, body: fakeErrorJSON(type: "invalid_request_error", code: nil,
                                                               message: "Unrecognized request URL (\(method): \(path)).").rendered()), nil)
            }
            if let limited = state.ledger.faults.rateLimited[endpoint], limited > 0 {
                state.ledger.faults.rateLimited[endpoint] = limited > 1 ? limited - 1 : nil
                return (Reply(status: 429, body: fakeErrorJSON(type: "invalid_request_error", code: "rate_limit",
                                                               message: "Too many requests hit the API too quickly.").rendered()), nil)
            }
            var reply: Reply
            var autoPresent: (String, FakeStripeFaults.AutoPresent)?
            let key = method == "POST" ? recorded.idempotencyKey : nil
            let fingerprint = "\(method) \(path) \(params.fingerprint)"
            if let key, let saved = state.savedAnswers[key] {
                if saved.fingerprint == fingerprint {
                    reply = Reply(status: saved.status, body: saved.body,
                                  headers: [FakeStripeHeader(name: "Idempotent-Replayed", value: "true")])
                } else {
                    reply = Reply(status: 400, body: fakeErrorJSON(
                        type: "idempotency_error", code: "idempotency_key_in_use",
                        message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '\(key)' if you meant to execute a different request.").rendered())
                }
            } else {
                let answer = state.ledger.answer(endpoint, id: id, params: params, now: now + state.ledger.clockOffset)
                reply = Reply(status: answer.status, body: answer.body.rendered())
                if let key { state.savedAnswers[key] = SavedAnswer(fingerprint: fingerprint, status: answer.status, body: reply.body) }
                if let reader = answer.readerToAutoPresent, let auto = state.ledger.faults.autoPresent { autoPresent = (reader, auto) }
            }
            if let slow = state.ledger.faults.slowAnswers[endpoint], slow.count > 0 {
                reply.delayMilliseconds = slow.milliseconds
                state.ledger.faults.slowAnswers[endpoint] = slow.count > 1 ? .init(milliseconds: slow.milliseconds, count: slow.count - 1) : nil
            }
            if let drops = state.ledger.faults.dropAnswerAfterCommit[endpoint], drops > 0 {
                reply.drop = true
                state.ledger.faults.dropAnswerAfterCommit[endpoint] = drops > 1 ? drops - 1 : nil
            }
            return (reply, autoPresent)
        }
        if let (reader, auto) = autoPresent {
            group.next().scheduleTask(in: .milliseconds(Int64(auto.afterMilliseconds))) {
                try? self.present(reader: reader, outcome: auto.outcome)
            }
        }
        return reply
    }

    /// `Bearer KEY`, as Till sends it, or `Basic base64(KEY:)`, as Stripe's curl examples (`-u KEY:`) send it.
    private func authorized(_ header: String?) -> Bool {
        guard let header else { return false }
        if header == "Bearer \(apiKey)" { return true }
        guard header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst("Basic ".count))) else { return false }
        return String(decoding: data, as: UTF8.self) == "\(apiKey):"
    }

    private static func split(_ uri: String) -> (String, String) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, "") }
        return (String(uri[..<mark]), String(uri[uri.index(after: mark)...]))
    }

    /// `POST /_fake/faults` and `GET /_fake/state`: the fault switches and the records, for a test driving the
    /// `fake-stripe` binary from another process. Local only, so no API key is asked. Form parameters, each
    /// optional: `reset=true` (all faults off first), `reader_busy=true|false`, `reader_online[tmr_…]=true|false`,
    /// `false_negative_timeouts=N`, `reader_timeouts=N`, `slow[ENDPOINT]=MS` (with `slow_count=N`, default 1),
    /// `drop[ENDPOINT]=N`, `rate_limit[ENDPOINT]=N`, `auto_present=approve|decline:CODE|cancel|off` (with
    /// `auto_present_after_ms=MS`). ENDPOINT is a `FakeStripeEndpoint` raw value (`process_payment_intent`, …).
    private func control(method: String, path: String, params: FakeStripeFormBody, state: inout State) -> Reply {
        switch (method, path) {
        case ("POST", "/_fake/faults"):
            var faults = params["reset"] == "true" ? FakeStripeFaults() : state.ledger.faults
            if let busy = params["reader_busy"] { faults.readerBusy = busy == "true" }
            if let count = params["false_negative_timeouts"].flatMap({ Int($0) }) { faults.falseNegativeTimeouts = count }
            if let count = params["reader_timeouts"].flatMap({ Int($0) }) { faults.readerTimeouts = count }
            for (name, value) in params.hash("slow") {
                guard let endpoint = FakeStripeEndpoint(rawValue: name), let ms = Int(value) else { return badControl("slow[\(name)]") }
                faults.slowAnswers[endpoint] = .init(milliseconds: ms, count: params["slow_count"].flatMap { Int($0) } ?? 1)
            }
            for (name, value) in params.hash("rate_limit") {
                guard let endpoint = FakeStripeEndpoint(rawValue: name), let count = Int(value) else { return badControl("rate_limit[\(name)]") }
                faults.rateLimited[endpoint] = count
            }
            for (name, value) in params.hash("drop") {
                guard let endpoint = FakeStripeEndpoint(rawValue: name), let count = Int(value) else { return badControl("drop[\(name)]") }
                faults.dropAnswerAfterCommit[endpoint] = count
            }
            if let auto = params["auto_present"] {
                if auto == "off" {
                    faults.autoPresent = nil
                } else {
                    guard let outcome = FakeCardOutcome(argument: auto) else { return badControl("auto_present=\(auto)") }
                    faults.autoPresent = .init(outcome, afterMilliseconds: params["auto_present_after_ms"].flatMap { Int($0) } ?? 0)
                }
            }
            for (reader, value) in params.hash("reader_online") { state.ledger.readers[reader]?.online = value == "true" }
            state.ledger.faults = faults
            return Reply(status: 200, body: controlState(state).rendered())
        case ("GET", "/_fake/state"):
            return Reply(status: 200, body: controlState(state).rendered())
        default:
            return Reply(status: 404, body: fakeErrorJSON(type: "invalid_request_error", code: nil,
                                                          message: "no fake control \(method) \(path)").rendered())
        }
    }

    private func badControl(_ what: String) -> Reply {
        Reply(status: 400, body: fakeErrorJSON(type: "invalid_request_error", code: nil,
                                               message: "cannot read \(what): endpoints are \(FakeStripeEndpoint.allCases.map(\.rawValue).joined(separator: ", ")); outcomes approve, decline:CODE, cancel").rendered())
    }

    private func controlState(_ state: State) -> FakeJSON {
        let ledger = state.ledger
        let charges = ledger.charges.values.sorted { $0.sequence < $1.sequence }
        return .object([
            ("readers", .array(ledger.readers.values.sorted { $0.id < $1.id }.map { $0.json() })),
            ("payment_intents", .int(Int64(ledger.paymentIntents.count))),
            ("charges", .array(charges.map { charge in
                .object([
                    ("id", .string(charge.id)),
                    ("payment_intent", .string(charge.paymentIntentID)),
                    ("till_attempt", .optional(ledger.paymentIntents[charge.paymentIntentID]?.metadata["till_attempt"])),
                    ("status", .string(charge.status)),
                    ("amount", .int(charge.amount)),
                    ("amount_captured", .int(charge.amountCaptured)),
                    ("amount_refunded", .int(charge.amountRefunded)),
                ])
            })),
            ("captured_total", .int(charges.filter(\.captured).reduce(0) { $0 + $1.amount - $1.amountRefunded })),
            ("requests", .int(Int64(state.requests.count))),
            ("faults", .object([
                ("reader_busy", .bool(ledger.faults.readerBusy)),
                ("false_negative_timeouts", .int(Int64(ledger.faults.falseNegativeTimeouts))),
                ("reader_timeouts", .int(Int64(ledger.faults.readerTimeouts))),
                ("auto_present", .optional(ledger.faults.autoPresent?.outcome.argument)),
            ])),
        ])
    }
}

/// Lets the channel handlers, made before the fake exists, reach it once it does.
final class FakeStripeBox: Sendable {
    private let fake = Mutex<FakeStripe?>(nil)
    func set(_ value: FakeStripe) { fake.withLock { $0 = value } }
    var value: FakeStripe? { fake.withLock { $0 } }
}
