import AsyncHTTPClient
import Foundation
import TillCore

/// A Stripe Terminal reader (`tmr_…`) driven server-side: Till creates a PaymentIntent, hands it to the reader with
/// `process_payment_intent`, and reads the reader and the PaymentIntent until the customer has paid, been declined
/// or cancelled. Every POST's idempotency key derives from the attempt key (`StripeAttemptKeys`), so asking again
/// after a lost answer never takes the money twice.
///
/// All calls block; run them off the key loop (the core's effect runner does).
public struct StripeTerminal: CardTerminal {
    public let kind = CardTerminalKind.stripe
    public let readerID: String
    public let client: StripeClient

    public var configuration: StripeConfiguration { client.configuration }

    /// The terminal for `readerID`, or the reader the configuration names.
    public init(configuration: StripeConfiguration, readerID: String? = nil, http: HTTPClient = .shared) throws {
        guard let reader = readerID ?? configuration.readerID, !reader.isEmpty else {
            throw CardTerminalError.notConfigured("no Stripe reader chosen: set TILL_STRIPE_READER=tmr_… or reader = \"tmr_…\" in stripe.toml")
        }
        guard reader.hasPrefix("tmr_") else {
            throw CardTerminalError.notConfigured("a Stripe Terminal reader id starts with tmr_, not \(reader)")
        }
        self.readerID = reader
        self.client = StripeClient(configuration: configuration, http: http)
    }

    // MARK: collect and recover

    public func collect(_ request: CardCollectRequest, journal: CardAttemptJournal, cancellation: CancellationFlag?,
                        progress: ProgressReporter) throws -> CardPayment {
        guard request.amount > 0 else { throw CardTerminalError.refused("a card payment must be above zero") }
        let keys = StripeAttemptKeys(request.attemptKey)
        let created: StripePaymentIntent
        do {
            created = try client.post(StripePaymentIntent.self, "/v1/payment_intents", createForm(request),
                                      idempotencyKey: keys.create)
        } catch {
            throw mapped(error)
        }
        // Written down before the reader is asked: from here on a lost answer can be looked up by id.
        try journal.paymentCreated(created.id)
        let collection = StripeCollection(terminal: self, keys: keys, intentID: created.id, cancellation: cancellation,
                                          progress: progress)
        return try collection.run()
    }

    public func recover(_ attempt: CardAttemptRecord) throws -> CardPayment? {
        let keys = StripeAttemptKeys(attempt.attemptKey)
        let id: String
        if let known = attempt.processorPaymentID {
            id = known
        } else {
            // The same key and parameters: Stripe answers with the PaymentIntent the first request made. Had that
            // request never arrived, this makes one now — awaiting a card, for the caller to abandon.
            do {
                id = try client.post(StripePaymentIntent.self, "/v1/payment_intents", createForm(attempt.request),
                                     idempotencyKey: keys.create).id
            } catch {
                throw mapped(error)
            }
        }
        var payment = StripePaymentMapping.payment(try retrieve(id))
        if payment.status == .awaitingCard, let reader = try? readReader(),
           reader.action(for: id)?.status == "in_progress" {
            payment.status = .processing
        }
        return payment
    }

    public func abandon(_ attempt: CardAttemptRecord, paymentID: String) throws {
        let keys = StripeAttemptKeys(attempt.attemptKey)
        if let reader = try? readReader(), reader.action(for: paymentID)?.status == "in_progress" {
            do {
                _ = try client.post(StripeReader.self, readerPath("cancel_action"), StripeForm(),
                                    idempotencyKey: keys.abandonCancelAction)
            } catch {
                throw mapped(error, paymentID: paymentID)
            }
        }
        let intent = try retrieve(paymentID)
        switch intent.status {
        case "canceled": return
        case "succeeded", "requires_capture":
            throw CardTerminalError.refused("payment \(paymentID) was approved (\(intent.status)): void or refund it instead of abandoning it")
        default: try cancelIntent(paymentID, key: keys.cancel)
        }
    }

    // MARK: after the sale

    public func capture(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment {
        var form = StripeForm()
        form.add("amount_to_capture", amount)
        form.add("expand[]", "latest_charge")
        do {
            let intent = try client.post(StripePaymentIntent.self, "/v1/payment_intents/\(paymentID)/capture", form,
                                         idempotencyKey: idempotencyKey)
            return StripePaymentMapping.payment(intent)
        } catch {
            throw mapped(error, paymentID: paymentID)
        }
    }

    public func void(paymentID: String, idempotencyKey: String) throws -> CardPayment {
        let intent = try retrieve(paymentID)
        switch intent.status {
        case "canceled":
            return StripePaymentMapping.payment(intent)
        case "succeeded":
            let payment = StripePaymentMapping.payment(intent)
            let left = payment.amountCaptured - payment.amountRefunded
            guard left > 0 else { return payment }
            return try refund(paymentID: paymentID, amount: left, idempotencyKey: idempotencyKey)
        case "processing":
            throw CardTerminalError.refused("payment \(paymentID) is still processing at Stripe: void it once it has settled")
        default:
            // Authorized (the hold is released) or never charged.
            try cancelIntent(paymentID, key: idempotencyKey, reason: "requested_by_customer")
            return StripePaymentMapping.payment(try retrieve(paymentID))
        }
    }

    public func refund(paymentID: String, amount: Int64, idempotencyKey: String) throws -> CardPayment {
        guard amount > 0 else { throw CardTerminalError.refused("a refund must be above zero") }
        var form = StripeForm()
        form.add("payment_intent", paymentID)
        form.add("amount", amount)
        do {
            _ = try client.post(StripeRefund.self, "/v1/refunds", form, idempotencyKey: idempotencyKey)
        } catch {
            throw mapped(error, paymentID: paymentID)
        }
        return StripePaymentMapping.payment(try retrieve(paymentID))
    }

    public func payment(id: String) throws -> CardPayment {
        StripePaymentMapping.payment(try retrieve(id))
    }

    /// Every charge Stripe approved in [from, to) — captured, authorized, refunded or released — as its payment.
    /// Declined charges are left out. Pages through Stripe's list (`configuration.listPageSize` at a time).
    public func payments(from: Date, to: Date) throws -> [CardPayment] {
        var payments: [CardPayment] = []
        var seen = Set<String>()
        try eachPage(StripeCharge.self, "/v1/charges", from: from, to: to, expand: "data.payment_intent") { charge in
            guard charge.status == "succeeded", let intent = charge.paymentIntent, !seen.contains(intent.id) else { return }
            seen.insert(intent.id)
            payments.append(StripePaymentMapping.payment(charge, intent: intent))
        }
        return payments.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// The balance lines (charges in, refunds out, fees) created in [from, to), oldest first: what Stripe will pay
    /// out, for the reconciliation report.
    public func balanceTransactions(from: Date, to: Date) throws -> [StripeBalanceTransaction] {
        var lines: [StripeBalanceTransaction] = []
        try eachPage(StripeBalanceTransaction.self, "/v1/balance_transactions", from: from, to: to, expand: nil) { lines.append($0) }
        return lines.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    public func status() throws -> CardReaderStatus {
        let reader = try readReader()
        let activity: String
        if let action = reader.action, action.status == "in_progress" {
            activity = action.type == "process_payment_intent" ? "collecting a payment" : "busy (\(action.type))"
        } else {
            activity = "idle"
        }
        return CardReaderStatus(readerID: readerID, label: reader.label ?? readerID, online: reader.isOnline, activity: activity)
    }

    // MARK: requests

    /// The create request, built the same way every time from the same attempt: `recover` replays it.
    func createForm(_ request: CardCollectRequest) -> StripeForm {
        var form = StripeForm()
        form.add("amount", request.amount)
        form.add("currency", request.currency.code.lowercased())
        form.add("payment_method_types[]", "card_present")
        form.add("capture_method", request.captureManually ? "manual" : "automatic")
        form.add("description", request.description)
        var metadata = request.metadata
        metadata["till_attempt"] = request.attemptKey
        form.addHash("metadata", metadata)
        return form
    }

    func readerPath(_ action: String? = nil) -> String {
        "/v1/terminal/readers/\(readerID)" + (action.map { "/\($0)" } ?? "")
    }

    func retrieve(_ id: String) throws -> StripePaymentIntent {
        var query = StripeForm()
        query.add("expand[]", "latest_charge")
        do {
            return try client.get(StripePaymentIntent.self, "/v1/payment_intents/\(id)", query: query)
        } catch {
            throw mapped(error, paymentID: id)
        }
    }

    func readReader() throws -> StripeReader {
        do {
            return try client.get(StripeReader.self, readerPath())
        } catch let error as StripeClientError where error.code == "resource_missing" {
            throw CardTerminalError.unknownReader(readerID)
        } catch {
            throw mapped(error)
        }
    }

    /// Cancels a PaymentIntent that was not charged; one already cancelled is fine.
    func cancelIntent(_ id: String, key: String, reason: String = "abandoned") throws {
        var form = StripeForm()
        form.add("cancellation_reason", reason)
        do {
            _ = try client.post(StripePaymentIntent.self, "/v1/payment_intents/\(id)/cancel", form, idempotencyKey: key)
        } catch let error as StripeClientError where error.code == "payment_intent_unexpected_state" {
            let intent = try retrieve(id)
            guard intent.status == "canceled" else {
                throw CardTerminalError.refused("payment \(id) cannot be cancelled: it is \(intent.status)")
            }
        } catch {
            throw mapped(error, paymentID: id)
        }
    }

    private func eachPage<Item: Decodable & Sendable & StripeListed>(_ type: Item.Type, _ path: String, from: Date, to: Date,
                                                                     expand: String?, _ body: (Item) -> Void) throws {
        var startingAfter: String?
        while true {
            var query = StripeForm()
            query.add("created[gte]", Int64(from.timeIntervalSince1970.rounded(.down)))
            query.add("created[lt]", Int64(to.timeIntervalSince1970.rounded(.up)))
            query.add("limit", Int64(configuration.listPageSize))
            if let expand { query.add("expand[]", expand) }
            if let startingAfter { query.add("starting_after", startingAfter) }
            let page: StripeList<Item>
            do {
                page = try client.get(StripeList<Item>.self, path, query: query)
            } catch {
                throw mapped(error)
            }
            page.data.forEach(body)
            guard page.hasMore, let last = page.data.last?.id else { return }
            startingAfter = last
        }
    }

    func mapped(_ error: Error, paymentID: String? = nil) -> CardTerminalError {
        StripeErrorMapping.terminalError(error, readerID: readerID, paymentID: paymentID)
    }
}

/// An object in a Stripe list, paged on by its id (`starting_after`).
protocol StripeListed { var id: String { get } }
extension StripeCharge: StripeListed {}
extension StripeBalanceTransaction: StripeListed {}
