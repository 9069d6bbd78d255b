import Foundation
import TillCore

/// One `collect` after its PaymentIntent exists: hand it to the reader, wait for the customer, and turn what the
/// reader and the PaymentIntent say into a payment or a `CardTerminalError`.
///
/// The PaymentIntent is the truth about money: whatever the reader says, an approved PaymentIntent
/// (`succeeded`, `requires_capture`) is returned, never cancelled — even after Esc, when the card was taken before
/// the cancel landed.
struct StripeCollection {
    let terminal: StripeTerminal
    let keys: StripeAttemptKeys
    let intentID: String
    let cancellation: CancellationFlag?
    let progress: ProgressReporter
    let deadline: ContinuousClock.Instant
    /// Reads in a row that got no answer before the payment counts as lost.
    private let lostReadsAllowed = 3

    init(terminal: StripeTerminal, keys: StripeAttemptKeys, intentID: String, cancellation: CancellationFlag?,
         progress: ProgressReporter) {
        self.terminal = terminal
        self.keys = keys
        self.intentID = intentID
        self.cancellation = cancellation
        self.progress = progress
        self.deadline = ContinuousClock.now + terminal.configuration.collectTimeout
    }

    private var client: StripeClient { terminal.client }
    private var readerID: String { terminal.readerID }

    func run() throws -> CardPayment {
        // Read afresh: when the create was a replay (a retry after a lost answer), its answer is the PaymentIntent
        // as it was then, not as it is now.
        let intent = try terminal.retrieve(intentID)
        if let payment = try settled(intent) { return payment }
        if intent.status == "processing" { return try awaitApproval() }
        let reader = try terminal.readReader()
        if let action = reader.action(for: intentID) {
            // A retry: the reader already has this payment from the first try.
            switch action.status {
            case "in_progress": return try awaitCustomer()
            case "failed": return try finish(failed: action)
            default: return try awaitApproval()
            }
        }
        try startProcessing()
        return try awaitCustomer()
    }

    /// An approved PaymentIntent as the payment; a cancelled one as nothing taken; nil while it is still open.
    private func settled(_ intent: StripePaymentIntent) throws -> CardPayment? {
        if intent.isApproved { return StripePaymentMapping.payment(intent) }
        if intent.status == "canceled" { throw CardTerminalError.cancelled(byCustomer: false) }
        return nil
    }

    // MARK: handing the payment to the reader

    private func process(key: String) throws {
        var form = StripeForm()
        form.add("payment_intent", intentID)
        form.add("process_config[enable_customer_cancellation]", "true")
        _ = try client.post(StripeReader.self, terminal.readerPath("process_payment_intent"), form, idempotencyKey: key)
    }

    private func startProcessing() throws {
        do {
            try process(key: keys.process)
        } catch let error as StripeClientError {
            switch error {
            case .api where error.code == "terminal_reader_timeout":
                // Stripe warns this may be a false negative: the reader may have the action after all.
                if try readerHasThisPayment() { return }
                do {
                    try process(key: keys.processRetry)
                } catch let retryError as StripeClientError {
                    if try readerHasThisPayment() { return }
                    throw try refusal(retryError, retrying: false)
                }
            case .noAnswer:
                if try readerHasThisPayment() { return }
                // Sent but unanswered: the same key again is safe, and gets Stripe's answer if there was one.
                do {
                    try process(key: keys.process)
                } catch let retryError as StripeClientError {
                    if try readerHasThisPayment() { return }
                    throw try refusal(retryError, retrying: false)
                }
            default:
                throw try refusal(error, retrying: true)
            }
        }
    }

    /// Why the reader did not take the payment, with the PaymentIntent cancelled when nothing can come of it.
    private func refusal(_ error: StripeClientError, retrying: Bool) throws -> CardTerminalError {
        switch error {
        case .api where error.code == "terminal_reader_offline":
            cancelIntentQuietly()
            return .readerOffline(reader: readerID)
        case .api where error.code == "terminal_reader_busy":
            cancelIntentQuietly()
            return .readerBusy(reader: readerID)
        case .api where error.code == "terminal_reader_timeout":
            return .noAnswer("reader \(readerID) did not answer Stripe twice")
        case .api:
            let intent = try terminal.retrieve(intentID)
            if intent.isApproved { throw CardTerminalError.noAnswer("unexpected: payment \(intentID) is \(intent.status)") }
            cancelIntentQuietly()
            return terminal.mapped(error, paymentID: intentID)
        case .unreachable:
            // Nothing reached Stripe, so the reader has nothing; the PaymentIntent stays open for `abandon`.
            return .noAnswer("\(error) — payment \(intentID) was created and waits for a card; nothing was taken")
        case .noAnswer, .undecodable:
            return terminal.mapped(error)
        }
    }

    private func readerHasThisPayment() throws -> Bool {
        try terminal.readReader().action(for: intentID) != nil
    }

    private func cancelIntentQuietly() {
        // A PaymentIntent left open takes no money without a reader action; `abandon` settles it later.
        try? terminal.cancelIntent(intentID, key: keys.cancel)
    }

    // MARK: waiting

    private func pause() {
        let interval = terminal.configuration.pollInterval.components
        Thread.sleep(forTimeInterval: Double(interval.seconds) + Double(interval.attoseconds) / 1e18)
    }

    private func awaitCustomer() throws -> CardPayment {
        progress.report("Card: present card on reader \(readerID) — Esc cancels")
        var lostReads = 0
        while true {
            if cancellation?.isCancelled == true { return try callOff() }
            if ContinuousClock.now >= deadline { return try callOff() }
            pause()
            let reader: StripeReader
            do {
                reader = try client.get(StripeReader.self, terminal.readerPath())
                lostReads = 0
            } catch {
                // The reader has the payment: whatever went wrong with reading it, the card may be charged.
                let failure = terminal.mapped(error)
                lostReads += 1
                if failure.isDefinite || lostReads >= lostReadsAllowed { throw inDoubt(failure) }
                continue
            }
            guard let action = reader.action(for: intentID) else {
                // The action is gone: called off elsewhere (the Dashboard, another till taking the reader).
                let intent = try retrieveInDoubt()
                if let payment = try settled(intent) { return payment }
                if intent.status == "processing" { return try awaitApproval() }
                cancelIntentQuietly()
                throw CardTerminalError.cancelled(byCustomer: false)
            }
            switch action.status {
            case "in_progress": continue
            case "succeeded": return try awaitApproval()
            default: return try finish(failed: action)
            }
        }
    }

    /// The reader is done with the card; the PaymentIntent says whether it was approved.
    private func awaitApproval() throws -> CardPayment {
        progress.report("Card: processing…")
        var lostReads = 0
        while true {
            let intent: StripePaymentIntent
            do {
                intent = try terminal.retrieve(intentID)
                lostReads = 0
            } catch {
                let failure = terminal.mapped(error)
                lostReads += 1
                if failure.isDefinite || lostReads >= lostReadsAllowed { throw inDoubt(failure) }
                pause()
                continue
            }
            if intent.isApproved { return StripePaymentMapping.payment(intent) }
            if intent.status == "canceled" { throw CardTerminalError.cancelled(byCustomer: false) }
            if intent.status == "requires_payment_method", let error = intent.lastPaymentError {
                cancelIntentQuietly()
                throw CardTerminalError.declined(code: error.declineCode ?? error.code ?? "card_declined")
            }
            if ContinuousClock.now >= deadline {
                throw CardTerminalError.noAnswer("payment \(intentID) still \(intent.status) at Stripe after the reader finished")
            }
            pause()
        }
    }

    private func finish(failed action: StripeReader.Action) throws -> CardPayment {
        if action.failureCode == "customer_canceled" {
            cancelIntentQuietly()
            throw CardTerminalError.cancelled(byCustomer: true)
        }
        let intent = try retrieveInDoubt()
        if intent.isApproved { return StripePaymentMapping.payment(intent) }
        if let error = intent.lastPaymentError {
            cancelIntentQuietly()
            throw CardTerminalError.declined(code: error.declineCode ?? error.code ?? action.failureCode ?? "card_declined")
        }
        if action.failureCode == "card_declined" {
            cancelIntentQuietly()
            throw CardTerminalError.declined(code: "card_declined")
        }
        cancelIntentQuietly()
        throw CardTerminalError.refused("reader \(readerID) could not take the payment: \(action.failureMessage ?? action.failureCode ?? "no reason given")")
    }

    /// Esc, or the customer never came: call the reader off, then believe the PaymentIntent.
    private func callOff() throws -> CardPayment {
        progress.report("Card: cancelling on reader \(readerID)…")
        // If the cancel is lost or refused the PaymentIntent below still says what happened.
        _ = try? client.post(StripeReader.self, terminal.readerPath("cancel_action"), StripeForm(),
                             idempotencyKey: keys.cancelAction)
        let intent = try retrieveInDoubt()
        if let payment = try settled(intent) { return payment }  // charged before the cancel landed
        if intent.status == "processing" { return try awaitApproval() }  // the card is read: too late to stop
        do {
            try terminal.cancelIntent(intentID, key: keys.cancel)
        } catch {
            // The card may have been tapped between the two reads: the PaymentIntent says which.
            let now = try retrieveInDoubt()
            if now.isApproved { return StripePaymentMapping.payment(now) }
            throw inDoubt(terminal.mapped(error))
        }
        throw CardTerminalError.cancelled(byCustomer: false)
    }

    /// Once the reader has the payment, a failure to learn its outcome is never a definite answer.
    private func inDoubt(_ error: CardTerminalError) -> CardTerminalError {
        if error.isDefinite { return .noAnswer("payment \(intentID) may have been taken: \(error)") }
        return error
    }

    private func retrieveInDoubt() throws -> StripePaymentIntent {
        do {
            return try terminal.retrieve(intentID)
        } catch {
            throw inDoubt(terminal.mapped(error))
        }
    }
}
