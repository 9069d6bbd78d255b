import TillCore

/// Stripe's failures in the terms of `CardTerminalError`. Nothing here repeats a request or the API key.
enum StripeErrorMapping {
    static func terminalError(_ error: Error, readerID: String, paymentID: String? = nil) -> CardTerminalError {
        if let error = error as? CardTerminalError { return error }
        guard let error = error as? StripeClientError else { return .noAnswer("unexpected: \(error)") }
        switch error {
        case let .api(status, apiError):
            if status == 401 {
                return .notConfigured("Stripe refused the secret key (401): check TILL_STRIPE_SECRET_KEY or the secret_key in stripe.toml")
            }
            if status == 403 {
                return .notConfigured("the Stripe key may not do this (403): a restricted key needs Terminal and PaymentIntents write access")
            }
            if status == 429 || status == 409 {
                // Rate-limited, or the same key still in flight: nothing is known yet; asking again later settles it.
                return .noAnswer("Stripe asked Till to slow down (\(status) \(apiError.code ?? apiError.type))")
            }
            switch apiError.code {
            case "terminal_reader_offline": return .readerOffline(reader: readerID)
            case "terminal_reader_busy": return .readerBusy(reader: readerID)
            case "resource_missing" where paymentID != nil: return .unknownPayment(paymentID!)
            case "card_declined": return .declined(code: apiError.declineCode ?? "card_declined")
            default: break
            }
            if status >= 500 {
                // Stripe's own trouble: the request may or may not have been carried out.
                return .noAnswer("Stripe had an error (\(status)) — \(apiError.message ?? "no detail")")
            }
            if apiError.type == "idempotency_error" {
                return .refused("idempotency key reused with other parameters (\(apiError.code ?? "idempotency_error")): \(apiError.message ?? "")")
            }
            let code = apiError.code.map { " (\($0))" } ?? ""
            return .refused((apiError.message ?? "Stripe answered \(status)") + code)
        case let .unreachable(url, reason):
            return .notConfigured("cannot reach Stripe at \(url) (\(reason)): check the network, or TILL_STRIPE_API_BASE; nothing was sent")
        case let .noAnswer(why):
            return .noAnswer(why)
        case let .undecodable(why):
            return .noAnswer("unreadable answer from Stripe: \(why)")
        }
    }
}
