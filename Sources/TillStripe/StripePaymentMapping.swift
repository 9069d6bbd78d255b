import Foundation
import TillCore

/// A Stripe PaymentIntent (and its latest charge) as the `CardPayment` the core keeps.
enum StripePaymentMapping {
    static func status(_ stripeStatus: String) -> CardPaymentStatus {
        switch stripeStatus {
        case "requires_capture": return .authorized
        case "succeeded": return .captured
        case "canceled": return .cancelled
        case "processing": return .processing
        default: return .awaitingCard  // requires_payment_method, requires_confirmation, requires_action
        }
    }

    static func payment(_ intent: StripePaymentIntent) -> CardPayment {
        let charge = intent.latestCharge
        return CardPayment(
            id: intent.id, status: status(intent.status), amount: intent.amount, amountCaptured: intent.amountReceived,
            amountRefunded: charge?.refundedOfCaptured ?? 0, currency: intent.currency.uppercased(),
            card: charge.flatMap(card), declineCode: intent.lastPaymentError.flatMap { $0.declineCode ?? $0.code },
            attemptKey: intent.metadata["till_attempt"], createdAt: Date(timeIntervalSince1970: TimeInterval(intent.created)))
    }

    /// A listed charge with its expanded PaymentIntent.
    static func payment(_ charge: StripeCharge, intent: StripePaymentIntentSummary) -> CardPayment {
        CardPayment(
            id: intent.id, status: status(intent.status), amount: intent.amount, amountCaptured: intent.amountReceived,
            amountRefunded: charge.refundedOfCaptured, currency: charge.currency.uppercased(), card: card(charge),
            declineCode: intent.lastPaymentError.flatMap { $0.declineCode ?? $0.code },
            attemptKey: intent.metadata["till_attempt"], createdAt: Date(timeIntervalSince1970: TimeInterval(intent.created)))
    }

    static func card(_ charge: StripeCharge) -> PresentedCard? {
        guard charge.status == "succeeded", let present = charge.paymentMethodDetails?.cardPresent,
              let last4 = present.last4 else { return nil }
        return PresentedCard(brand: present.brand ?? "card", last4: last4,
                             entryMode: CardEntryMode(processorReadMethod: present.readMethod),
                             applicationName: present.receipt?.applicationPreferredName,
                             applicationID: present.receipt?.dedicatedFileName,
                             authorizationCode: present.receipt?.authorizationCode)
    }
}
