/// Everything the fake Stripe account holds, and the rules that change it. Not thread-safe by itself: `FakeStripe`
/// keeps it behind a lock and calls it one request at a time.
///
/// The fee on a charge is 1.4 % + 25 minor units (rounded half up), Stripe's European card-present rate; refunds
/// carry no fee. The fee is taken when money is captured.
struct FakeStripeLedger {
    struct Answer {
        var status: Int
        var body: FakeJSON
        /// A reader that just got a payment: the fake plays the customer on it when `autoPresent` is set.
        var readerToAutoPresent: String?
    }

    var readers: [String: FakeReader] = [:]
    var paymentIntents: [String: FakePaymentIntent] = [:]
    var charges: [String: FakeCharge] = [:]
    var refunds: [FakeRefund] = []
    var balanceTransactions: [FakeBalanceTransaction] = []
    var faults = FakeStripeFaults()
    /// Seconds added to the wall clock, so a test can make payments "yesterday".
    var clockOffset: Int64 = 0
    private var nextSequence = 0

    static func fee(on amount: Int64) -> Int64 { (amount * 14 + 500) / 1000 + 25 }

    private mutating func sequence() -> Int {
        nextSequence += 1
        return nextSequence
    }

    // MARK: endpoints

    mutating func answer(_ endpoint: FakeStripeEndpoint, id: String?, params: FakeStripeFormBody, now: Int64) -> Answer {
        switch endpoint {
        case .createPaymentIntent: return createPaymentIntent(params, now: now)
        case .retrievePaymentIntent: return withPaymentIntent(id, params) { _, intent in Answer(status: 200, body: intent) }
        case .capturePaymentIntent: return capture(id, params, now: now)
        case .cancelPaymentIntent: return cancelPaymentIntent(id, params, now: now)
        case .processPaymentIntent: return process(readerID: id ?? "", params)
        case .cancelReaderAction: return cancelAction(readerID: id ?? "")
        case .retrieveReader:
            guard let reader = readers[id ?? ""] else { return missing("terminal.reader", id ?? "") }
            return Answer(status: 200, body: reader.json())
        case .presentPaymentMethod: return presentFromHTTP(readerID: id ?? "", params, now: now)
        case .createRefund: return createRefund(params, now: now)
        case .listCharges: return listCharges(params)
        case .listBalanceTransactions: return listBalanceTransactions(params)
        }
    }

    private func missing(_ kind: String, _ id: String) -> Answer {
        Answer(status: 404, body: fakeErrorJSON(type: "invalid_request_error", code: "resource_missing",
                                                message: "No such \(kind): '\(id)'"))
    }

    private func invalid(_ message: String, code: String? = nil, status: Int = 400) -> Answer {
        Answer(status: status, body: fakeErrorJSON(type: "invalid_request_error", code: code, message: message))
    }

    private func unexpectedState(_ intent: FakePaymentIntent, doing what: String) -> Answer {
        Answer(status: 400, body: fakeErrorJSON(
            type: "invalid_request_error", code: "payment_intent_unexpected_state",
            message: "You cannot \(what) this PaymentIntent because it has a status of \(intent.status).",
            paymentIntent: json(intent, expand: false)))
    }

    func json(_ intent: FakePaymentIntent, expand: Bool) -> FakeJSON {
        let charge = expand ? intent.latestChargeID.flatMap { charges[$0] }.map { $0.json(paymentIntent: nil) } : nil
        return intent.json(latestCharge: charge)
    }

    private func expands(_ params: FakeStripeFormBody, _ field: String) -> Bool {
        params.values("expand[]").contains(field)
    }

    private func withPaymentIntent(_ id: String?, _ params: FakeStripeFormBody,
                                   _ body: (FakePaymentIntent, FakeJSON) -> Answer) -> Answer {
        guard let intent = paymentIntents[id ?? ""] else { return missing("payment_intent", id ?? "") }
        return body(intent, json(intent, expand: expands(params, "latest_charge")))
    }

    private mutating func createPaymentIntent(_ params: FakeStripeFormBody, now: Int64) -> Answer {
        guard let amountText = params["amount"], let amount = Int64(amountText), amount > 0 else {
            return invalid("amount must be a positive integer in the currency's minor unit", code: "parameter_invalid_integer")
        }
        guard let currency = params["currency"], currency.count == 3 else {
            return invalid("Missing required param: currency.", code: "parameter_missing")
        }
        guard params.values("payment_method_types[]").contains("card_present") else {
            return invalid("payment_method_types must include card_present for a Terminal payment", code: "parameter_invalid_empty")
        }
        let captureMethod = params["capture_method"] ?? "automatic"
        guard ["automatic", "manual"].contains(captureMethod) else {
            return invalid("Invalid capture_method: \(captureMethod)", code: "parameter_invalid_string")
        }
        let intent = FakePaymentIntent(
            id: FakeStripeIDs.make("pi"), sequence: sequence(), amount: amount, currency: currency.lowercased(),
            captureMethod: captureMethod, description: params["description"], metadata: params.hash("metadata"),
            status: "requires_payment_method", created: now)
        paymentIntents[intent.id] = intent
        return Answer(status: 200, body: json(intent, expand: expands(params, "latest_charge")))
    }

    private mutating func process(readerID: String, _ params: FakeStripeFormBody) -> Answer {
        guard var reader = readers[readerID] else { return missing("terminal.reader", readerID) }
        guard let intentID = params["payment_intent"], let intent = paymentIntents[intentID] else {
            return missing("payment_intent", params["payment_intent"] ?? "")
        }
        if faults.readerTimeouts > 0 {
            faults.readerTimeouts -= 1
            return readerTimeout(readerID)
        }
        guard reader.online else {
            return invalid("Reader \(readerID) is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request.",
                           code: "terminal_reader_offline")
        }
        let busyWithOther = reader.action.map { $0.status == "in_progress" && $0.paymentIntentID != intentID } ?? false
        if faults.readerBusy || busyWithOther {
            return invalid("Reader is currently busy processing another request. Please retry in a few seconds or cancel the current action.",
                           code: "terminal_reader_busy")
        }
        guard intent.status == "requires_payment_method" else { return unexpectedState(intent, doing: "process") }
        reader.action = FakeReaderAction(paymentIntentID: intentID, status: "in_progress")
        readers[readerID] = reader
        if faults.falseNegativeTimeouts > 0 {
            faults.falseNegativeTimeouts -= 1
            return Answer(status: 400, body: readerTimeout(readerID).body, readerToAutoPresent: readerID)
        }
        return Answer(status: 200, body: reader.json(), readerToAutoPresent: readerID)
    }

    private func readerTimeout(_ readerID: String) -> Answer {
        invalid("Reader \(readerID) did not respond in time. The reader may still have received the request: retrieve the reader to see its current action before retrying.",
                code: "terminal_reader_timeout")
    }

    private mutating func cancelAction(readerID: String) -> Answer {
        guard var reader = readers[readerID] else { return missing("terminal.reader", readerID) }
        guard reader.online else {
            return invalid("Reader \(readerID) is currently offline.", code: "terminal_reader_offline")
        }
        // Once the card is taken the action has finished and there is nothing left to call off.
        if reader.action?.status == "in_progress" { reader.action = nil }
        readers[readerID] = reader
        return Answer(status: 200, body: reader.json())
    }

    /// The customer at the reader. Nil when the reader has no payment in progress.
    mutating func present(readerID: String, outcome: FakeCardOutcome, now: Int64) -> FakeStripeError? {
        guard var reader = readers[readerID] else { return FakeStripeError("no reader \(readerID)") }
        guard var action = reader.action, action.status == "in_progress",
              var intent = paymentIntents[action.paymentIntentID] else {
            return FakeStripeError("reader \(readerID) has no payment waiting for a card")
        }
        switch outcome {
        case .customerCancels:
            action.status = "failed"
            action.failureCode = "customer_canceled"
            action.failureMessage = "This action could not be completed because the customer canceled it on the reader."
        case let .decline(code):
            var charge = newCharge(for: intent, now: now)
            charge.status = "failed"
            charge.failureCode = "card_declined"
            charges[charge.id] = charge
            intent.latestChargeID = charge.id
            intent.lastPaymentError = FakeCardError(code: "card_declined", declineCode: code, message: "Your card was declined.")
            action.status = "failed"
            action.failureCode = "card_declined"
            action.failureMessage = "Your card was declined."
        case .approve:
            var charge = newCharge(for: intent, now: now)
            intent.latestChargeID = charge.id
            intent.lastPaymentError = nil
            if intent.captureMethod == "manual" {
                intent.status = "requires_capture"
                intent.amountCapturable = intent.amount
            } else {
                charge.captured = true
                charge.amountCaptured = intent.amount
                charge.balanceTransactionID = addBalanceTransaction(amount: intent.amount, fee: FakeStripeLedger.fee(on: intent.amount),
                                                                    currency: intent.currency, type: "charge", source: charge.id, now: now)
                intent.status = "succeeded"
                intent.amountReceived = intent.amount
            }
            charges[charge.id] = charge
            action.status = "succeeded"
        }
        paymentIntents[intent.id] = intent
        reader.action = action
        readers[readerID] = reader
        return nil
    }

    private mutating func newCharge(for intent: FakePaymentIntent, now: Int64) -> FakeCharge {
        FakeCharge(id: FakeStripeIDs.make("ch"), sequence: sequence(), paymentIntentID: intent.id, amount: intent.amount,
                   amountCaptured: 0, amountRefunded: 0, captured: false, status: "succeeded", currency: intent.currency,
                   created: now, authorizationCode: FakeStripeIDs.authorizationCode(), metadata: intent.metadata)
    }

    private mutating func addBalanceTransaction(amount: Int64, fee: Int64, currency: String, type: String, source: String,
                                                now: Int64) -> String {
        let transaction = FakeBalanceTransaction(id: FakeStripeIDs.make("txn"), sequence: sequence(), amount: amount,
                                                 fee: fee, currency: currency, created: now, type: type, sourceID: source)
        balanceTransactions.append(transaction)
        return transaction.id
    }

    private mutating func presentFromHTTP(readerID: String, _ params: FakeStripeFormBody, now: Int64) -> Answer {
        guard readers[readerID] != nil else { return missing("terminal.reader", readerID) }
        // `outcome` is the fake's own parameter; Stripe's test helper decides by test card and amount instead.
        let outcome = params["outcome"].flatMap(FakeCardOutcome.init(argument:)) ?? .approve
        if let error = present(readerID: readerID, outcome: outcome, now: now) {
            return invalid(error.description, code: "terminal_reader_invalid_location_for_activation")
        }
        return Answer(status: 200, body: readers[readerID]!.json())
    }

    private mutating func capture(_ id: String?, _ params: FakeStripeFormBody, now: Int64) -> Answer {
        guard var intent = paymentIntents[id ?? ""] else { return missing("payment_intent", id ?? "") }
        guard intent.status == "requires_capture", let chargeID = intent.latestChargeID, var charge = charges[chargeID] else {
            return unexpectedState(intent, doing: "capture")
        }
        let amount = params["amount_to_capture"].flatMap { Int64($0) } ?? intent.amountCapturable
        guard amount > 0 else { return invalid("amount_to_capture must be positive", code: "parameter_invalid_integer") }
        guard amount <= intent.amountCapturable else {
            return invalid("The amount to capture (\(amount)) is greater than the amount capturable (\(intent.amountCapturable)).",
                           code: "amount_too_large")
        }
        charge.captured = true
        charge.amountCaptured = amount
        // As at Stripe, the part of a partial capture that is not taken is released and shows as refunded.
        charge.amountRefunded = charge.amount - amount
        charge.balanceTransactionID = addBalanceTransaction(amount: amount, fee: FakeStripeLedger.fee(on: amount),
                                                            currency: intent.currency, type: "charge", source: charge.id, now: now)
        charges[chargeID] = charge
        intent.status = "succeeded"
        intent.amountReceived = amount
        intent.amountCapturable = 0
        paymentIntents[intent.id] = intent
        return Answer(status: 200, body: json(intent, expand: expands(params, "latest_charge")))
    }

    private mutating func cancelPaymentIntent(_ id: String?, _ params: FakeStripeFormBody, now: Int64) -> Answer {
        guard var intent = paymentIntents[id ?? ""] else { return missing("payment_intent", id ?? "") }
        guard ["requires_payment_method", "requires_capture", "requires_confirmation", "requires_action"].contains(intent.status) else {
            return unexpectedState(intent, doing: "cancel")
        }
        if intent.status == "requires_capture", let chargeID = intent.latestChargeID, var charge = charges[chargeID] {
            // Releasing the hold: the whole authorisation comes back.
            charge.amountRefunded = charge.amount
            charges[chargeID] = charge
        }
        intent.status = "canceled"
        intent.amountCapturable = 0
        intent.canceledAt = now
        intent.cancellationReason = params["cancellation_reason"] ?? "abandoned"
        paymentIntents[intent.id] = intent
        for (readerID, reader) in readers where reader.action?.paymentIntentID == intent.id && reader.action?.status == "in_progress" {
            readers[readerID]?.action = nil
        }
        return Answer(status: 200, body: json(intent, expand: expands(params, "latest_charge")))
    }

    private mutating func createRefund(_ params: FakeStripeFormBody, now: Int64) -> Answer {
        guard let intentID = params["payment_intent"] else {
            return invalid("Missing required param: payment_intent.", code: "parameter_missing")
        }
        guard let intent = paymentIntents[intentID] else { return missing("payment_intent", intentID) }
        guard let chargeID = intent.latestChargeID, var charge = charges[chargeID], charge.captured, intent.status == "succeeded" else {
            return invalid("This PaymentIntent (\(intentID)) does not have a successful charge to refund.",
                           code: "charge_not_refundable")
        }
        let left = charge.amount - charge.amountRefunded
        guard left > 0 else {
            return invalid("Charge \(chargeID) has already been refunded.", code: "charge_already_refunded")
        }
        let amount = params["amount"].flatMap { Int64($0) } ?? left
        guard amount > 0 else { return invalid("amount must be positive", code: "parameter_invalid_integer") }
        guard amount <= left else {
            return invalid("Refund amount (\(amount)) is greater than unrefunded amount on charge (\(left))",
                           code: "amount_too_large")
        }
        charge.amountRefunded += amount
        charges[chargeID] = charge
        let refundID = FakeStripeIDs.make("re")
        let transactionID = addBalanceTransaction(amount: -amount, fee: 0, currency: intent.currency, type: "refund",
                                                  source: refundID, now: now)
        let refund = FakeRefund(id: refundID, chargeID: chargeID, paymentIntentID: intentID, amount: amount,
                                currency: intent.currency, created: now, balanceTransactionID: transactionID)
        refunds.append(refund)
        return Answer(status: 200, body: refund.json())
    }

    /// Stripe lists newest first; `created[gte]`/`created[lt]` bound the period, `starting_after` pages on.
    private func page<Item>(_ items: [Item], _ params: FakeStripeFormBody, path: String, id: (Item) -> String,
                            created: (Item) -> Int64, sequence: (Item) -> Int, json: (Item) -> FakeJSON) -> Answer {
        let limit = min(max(params["limit"].flatMap { Int($0) } ?? 10, 1), 100)
        var selected = items.sorted { sequence($0) > sequence($1) }
        if let from = params["created[gte]"].flatMap({ Int64($0) }) { selected = selected.filter { created($0) >= from } }
        if let until = params["created[lt]"].flatMap({ Int64($0) }) { selected = selected.filter { created($0) < until } }
        if let after = params["starting_after"] {
            guard let index = selected.firstIndex(where: { id($0) == after }) else {
                return invalid("starting_after \(after) is not in this list", code: "resource_missing", status: 404)
            }
            selected = Array(selected[(index + 1)...])
        }
        let shown = Array(selected.prefix(limit))
        return Answer(status: 200, body: .object([
            ("object", .string("list")),
            ("data", .array(shown.map(json))),
            ("has_more", .bool(selected.count > shown.count)),
            ("url", .string(path)),
        ]))
    }

    private func listCharges(_ params: FakeStripeFormBody) -> Answer {
        let expandIntent = expands(params, "data.payment_intent")
        return page(Array(charges.values), params, path: "/v1/charges", id: \.id, created: \.created, sequence: \.sequence) { charge in
            charge.json(paymentIntent: expandIntent ? paymentIntents[charge.paymentIntentID].map { json($0, expand: false) } : nil)
        }
    }

    private func listBalanceTransactions(_ params: FakeStripeFormBody) -> Answer {
        page(balanceTransactions, params, path: "/v1/balance_transactions", id: \.id, created: \.created,
             sequence: \.sequence) { $0.json() }
    }
}
