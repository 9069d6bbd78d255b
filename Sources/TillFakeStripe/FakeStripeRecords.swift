/// The objects the fake keeps, with only the fields Till reads, rendered the way Stripe's API renders them.

struct FakeReader {
    var id: String
    var label: String
    var online: Bool
    var action: FakeReaderAction?

    func json() -> FakeJSON {
        .object([
            ("id", .string(id)),
            ("object", .string("terminal.reader")),
            ("action", action?.json() ?? .null),
            ("device_type", .string("simulated_wisepos_e")),
            ("label", .string(label)),
            ("livemode", .bool(false)),
            ("status", .string(online ? "online" : "offline")),
        ])
    }
}

struct FakeReaderAction {
    var paymentIntentID: String
    /// in_progress, succeeded, failed.
    var status: String
    var failureCode: String?
    var failureMessage: String?

    func json() -> FakeJSON {
        .object([
            ("failure_code", .optional(failureCode)),
            ("failure_message", .optional(failureMessage)),
            ("process_payment_intent", .object([("payment_intent", .string(paymentIntentID))])),
            ("status", .string(status)),
            ("type", .string("process_payment_intent")),
        ])
    }
}

struct FakeCardError {
    var code: String
    var declineCode: String?
    var message: String

    func json(paymentIntent: FakeJSON? = nil) -> FakeJSON {
        var fields: [(String, FakeJSON)] = [
            ("type", .string("card_error")),
            ("code", .string(code)),
            ("decline_code", .optional(declineCode)),
            ("message", .string(message)),
        ]
        if let paymentIntent { fields.append(("payment_intent", paymentIntent)) }
        return .object(fields)
    }
}

struct FakePaymentIntent {
    var id: String
    var sequence: Int
    var amount: Int64
    var currency: String
    var captureMethod: String
    var description: String?
    var metadata: [String: String]
    /// requires_payment_method, requires_capture, succeeded, canceled.
    var status: String
    var created: Int64
    var lastPaymentError: FakeCardError?
    var latestChargeID: String?
    var amountReceived: Int64 = 0
    var amountCapturable: Int64 = 0
    var cancellationReason: String?
    var canceledAt: Int64?

    func json(latestCharge: FakeJSON?) -> FakeJSON {
        .object([
            ("id", .string(id)),
            ("object", .string("payment_intent")),
            ("amount", .int(amount)),
            ("amount_capturable", .int(amountCapturable)),
            ("amount_received", .int(amountReceived)),
            ("canceled_at", canceledAt.map { .int($0) } ?? .null),
            ("cancellation_reason", .optional(cancellationReason)),
            ("capture_method", .string(captureMethod)),
            ("created", .int(created)),
            ("currency", .string(currency)),
            ("description", .optional(description)),
            ("last_payment_error", lastPaymentError?.json() ?? .null),
            ("latest_charge", latestCharge ?? .optional(latestChargeID)),
            ("livemode", .bool(false)),
            ("metadata", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("payment_method_types", .array([.string("card_present")])),
            ("status", .string(status)),
        ])
    }
}

struct FakeCharge {
    var id: String
    var sequence: Int
    var paymentIntentID: String
    var amount: Int64
    var amountCaptured: Int64
    var amountRefunded: Int64
    var captured: Bool
    /// succeeded or failed.
    var status: String
    var currency: String
    var created: Int64
    var authorizationCode: String?
    var failureCode: String?
    var balanceTransactionID: String?
    var metadata: [String: String]

    var refunded: Bool { amountRefunded >= amount && status == "succeeded" }

    func json(paymentIntent: FakeJSON?) -> FakeJSON {
        let receipt: FakeJSON = .object([
            ("application_preferred_name", .string("VISA CREDIT")),
            ("authorization_code", .optional(authorizationCode)),
            ("dedicated_file_name", .string("A0000000031010")),
        ])
        let cardPresent: FakeJSON = .object([
            ("brand", .string("visa")),
            ("exp_month", .int(12)),
            ("exp_year", .int(2030)),
            ("funding", .string("credit")),
            ("last4", .string("4242")),
            ("read_method", .string("contactless_emv")),
            ("receipt", receipt),
        ])
        return .object([
            ("id", .string(id)),
            ("object", .string("charge")),
            ("amount", .int(amount)),
            ("amount_captured", .int(amountCaptured)),
            ("amount_refunded", .int(amountRefunded)),
            ("balance_transaction", .optional(balanceTransactionID)),
            ("captured", .bool(captured)),
            ("created", .int(created)),
            ("currency", .string(currency)),
            ("failure_code", .optional(failureCode)),
            ("livemode", .bool(false)),
            ("metadata", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("paid", .bool(status == "succeeded")),
            ("payment_intent", paymentIntent ?? .string(paymentIntentID)),
            ("payment_method_details", .object([("card_present", cardPresent), ("type", .string("card_present"))])),
            ("refunded", .bool(refunded)),
            ("status", .string(status)),
        ])
    }
}

struct FakeRefund {
    var id: String
    var chargeID: String
    var paymentIntentID: String
    var amount: Int64
    var currency: String
    var created: Int64
    var balanceTransactionID: String

    func json() -> FakeJSON {
        .object([
            ("id", .string(id)),
            ("object", .string("refund")),
            ("amount", .int(amount)),
            ("balance_transaction", .string(balanceTransactionID)),
            ("charge", .string(chargeID)),
            ("created", .int(created)),
            ("currency", .string(currency)),
            ("payment_intent", .string(paymentIntentID)),
            ("status", .string("succeeded")),
        ])
    }
}

struct FakeBalanceTransaction {
    var id: String
    var sequence: Int
    var amount: Int64
    var fee: Int64
    var currency: String
    var created: Int64
    /// charge or refund.
    var type: String
    var sourceID: String

    var net: Int64 { amount - fee }

    func json() -> FakeJSON {
        .object([
            ("id", .string(id)),
            ("object", .string("balance_transaction")),
            ("amount", .int(amount)),
            ("available_on", .int(created + 2 * 86_400)),
            ("created", .int(created)),
            ("currency", .string(currency)),
            ("fee", .int(fee)),
            ("net", .int(net)),
            ("reporting_category", .string(type)),
            ("source", .string(sourceID)),
            ("status", .string("pending")),
            ("type", .string(type)),
        ])
    }
}

/// Stripe's error envelope.
func fakeErrorJSON(type: String, code: String?, message: String, declineCode: String? = nil,
                   paymentIntent: FakeJSON? = nil) -> FakeJSON {
    var fields: [(String, FakeJSON)] = [("type", .string(type))]
    if let code { fields.append(("code", .string(code))) }
    if let declineCode { fields.append(("decline_code", .string(declineCode))) }
    fields.append(("message", .string(message)))
    if let paymentIntent { fields.append(("payment_intent", paymentIntent)) }
    return .object([("error", .object(fields))])
}
