import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Stripe's REST API, called from a plain (non-async) worker thread: each call blocks until its answer, or until
/// `configuration.requestTimeout`. Every POST carries an `Idempotency-Key`; the key goes in the Authorization
/// header and nowhere else.
///
/// Uses AsyncHTTPClient's process-wide `HTTPClient.shared` (nothing to shut down). Must not be called on one of
/// its event loops: it waits on them.
public struct StripeClient: Sendable {
    public let configuration: StripeConfiguration
    private let http: HTTPClient

    public init(configuration: StripeConfiguration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    /// The raw answer: status, body, and whether Stripe replayed a saved answer for the idempotency key.
    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        public var replayed: Bool
    }

    public func get(_ path: String, query: StripeForm = StripeForm()) throws -> Response {
        let suffix = query.pairs.isEmpty ? "" : "?" + query.encoded
        return try send(.GET, path + suffix, body: nil, idempotencyKey: nil)
    }

    public func post(_ path: String, _ form: StripeForm, idempotencyKey: String) throws -> Response {
        try send(.POST, path, body: form.encoded, idempotencyKey: idempotencyKey)
    }

    /// GET, decoded; an error envelope becomes `StripeClientError.api`.
    public func get<T: Decodable>(_ type: T.Type, _ path: String, query: StripeForm = StripeForm()) throws -> T {
        try decode(type, try get(path, query: query))
    }

    public func post<T: Decodable>(_ type: T.Type, _ path: String, _ form: StripeForm, idempotencyKey: String) throws -> T {
        try decode(type, try post(path, form, idempotencyKey: idempotencyKey))
    }

    public func decode<T: Decodable>(_ type: T.Type, _ response: Response) throws -> T {
        guard (200..<300).contains(response.status) else {
            if response.status == 401 {
                // Stripe's own 401 text repeats part of the key; Till's says only where to look.
                throw StripeClientError.api(status: 401, error: StripeAPIError(
                    type: "invalid_request_error", code: nil, declineCode: nil,
                    message: "Stripe refused the secret key", paymentIntent: nil))
            }
            if let envelope = try? JSONDecoder().decode(StripeAPIError.Envelope.self, from: response.body) {
                throw StripeClientError.api(status: response.status, error: envelope.error)
            }
            throw StripeClientError.api(status: response.status, error: StripeAPIError(
                type: "api_error", code: nil, declineCode: nil, message: "HTTP \(response.status) without Stripe's error body",
                paymentIntent: nil))
        }
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw StripeClientError.undecodable("\(T.self): \(error)")
        }
    }

    private func send(_ method: HTTPMethod, _ pathAndQuery: String, body: String?, idempotencyKey: String?) throws -> Response {
        let url = configuration.baseURL + pathAndQuery
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer \(configuration.apiKey)")
        headers.add(name: "User-Agent", value: "Till (Stripe Terminal server-driven)")
        headers.add(name: "Accept", value: "application/json")
        if let version = configuration.apiVersion { headers.add(name: "Stripe-Version", value: version) }
        if let idempotencyKey { headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        if body != nil { headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded") }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body.map { .string($0) })
        } catch {
            throw StripeClientError.unreachable(url: configuration.baseURL, reason: "not a usable URL")
        }
        let collector = StripeResponseCollector()
        let timeout = configuration.requestTimeout.components
        let nanoseconds = timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000
        let deadline = NIODeadline.now() + .nanoseconds(nanoseconds)
        do {
            let answer = try http.execute(request: request, delegate: collector, deadline: deadline).wait()
            return Response(status: answer.status, body: answer.body, replayed: answer.replayed)
        } catch {
            // Whether any of the request reached the wire decides if it may have been applied.
            let place = "\(method.rawValue) \(pathAndQuery.split(separator: "?").first.map(String.init) ?? pathAndQuery)"
            guard collector.requestWasSent else {
                throw StripeClientError.unreachable(url: configuration.baseURL, reason: StripeClient.reason(error))
            }
            if StripeClient.isTimeout(error) {
                throw StripeClientError.noAnswer("no answer from Stripe to \(place) within \(configuration.requestTimeout)")
            }
            throw StripeClientError.noAnswer("the connection to Stripe dropped during \(place) (\(StripeClient.reason(error)))")
        }
    }

    static func isTimeout(_ error: Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        return [HTTPClientError.deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout].contains(error)
    }

    /// A short cause without the request (which holds the Authorization header).
    static func reason(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .connectTimeout: return "no connection within the timeout"
            case .remoteConnectionClosed: return "the connection was closed"
            default: return error.shortDescription
            }
        }
        if let error = error as? IOError { return "\(error.description)" }
        let text = String(describing: error)
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        return String(text.prefix(120))
    }
}

/// Gathers Stripe's answer, and notes whether the request head was sent — the line between "certainly not
/// applied" and "in doubt".
final class StripeResponseCollector: HTTPClientResponseDelegate {
    struct Answer: Sendable {
        var status: Int
        var body: Data
        var replayed: Bool
    }

    private struct State {
        var sent = false
        var status = 0
        var replayed = false
        var body = Data()
    }

    private let state = Mutex(State())

    var requestWasSent: Bool { state.withLock { $0.sent } }

    func didSendRequestHead(task: HTTPClient.Task<Answer>, _ head: HTTPRequestHead) {
        state.withLock { $0.sent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<Answer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        state.withLock { state in
            state.sent = true
            state.status = Int(head.status.code)
            state.replayed = head.headers.first(name: "Idempotent-Replayed") == "true"
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Answer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        state.withLock { $0.body.append(contentsOf: buffer.readableBytesView) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Answer>) throws -> Answer {
        state.withLock { Answer(status: $0.status, body: $0.body, replayed: $0.replayed) }
    }
}
