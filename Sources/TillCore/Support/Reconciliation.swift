import Foundation
import GRDB

/// A difference between what the card gateway did and what Till recorded.
public struct ReconciliationIssue: Equatable, Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// Money taken at the gateway with no payment in Till (e.g. the till died between charge and save).
        case capturedWithoutOrder = "captured_without_order"
        /// Till says a card paid, but the gateway has no live capture for it.
        case paidButNotCaptured = "paid_but_not_captured"
        /// The gateway refunded money that Till has no refund for.
        case refundWithoutRecord = "refund_without_record"
        /// Till voided the payment, but the gateway still holds the money.
        case voidedButCaptured = "voided_but_captured"
        /// Both sides know the payment but disagree on the amount.
        case amountDiffers = "amount_differs"
    }

    public var kind: Kind
    public var token: String
    public var orderNumber: Int64?
    /// What Till recorded and what the gateway holds, in minor units.
    public var tillAmount: Int64?
    public var gatewayAmount: Int64?

    enum CodingKeys: String, CodingKey {
        case kind, token
        case orderNumber = "order_number"
        case tillAmount = "till_amount"
        case gatewayAmount = "gateway_amount"
    }
}

/// Matches a day's gateway settlement against the card payments Till recorded.
public struct Reconciliation: Sendable {
    public let store: StoreDatabase
    public let gateway: PaymentGateway

    public init(store: StoreDatabase, gateway: PaymentGateway) {
        self.store = store
        self.gateway = gateway
    }

    /// A report: `view_reports`. The day is a calendar day in the store's time zone (the processor settles by
    /// the clock, not by Till's business days).
    public func run(day: Date, _ ctx: TillContext) throws -> [ReconciliationIssue] {
        let calendar = try store.read { db -> Calendar in
            try Permissions.require(db, .viewReports, staffID: ctx.staffID)
            return try StoreSettings.load(db).calendar
        }
        let start = calendar.startOfDay(for: day)
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start
        let charges = try gateway.charges(from: start, to: end)
        let payments = try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.gateway_token, p.amount, p.status, o.number,
                       (SELECT COALESCE(SUM(t.amount), 0) FROM refund_tender t
                        JOIN refund r ON r.id = t.refund_id
                        WHERE t.payment_id = p.id AND t.status = 'refunded' AND r.kind = 'refund') AS refunded
                FROM payment p JOIN orders o ON o.id = p.order_id
                WHERE p.method = 'card' AND p.gateway_token IS NOT NULL
                  AND ((p.created_at >= ? AND p.created_at < ?) OR p.gateway_token IN (SELECT token FROM sim_gateway_charge WHERE created_at >= ? AND created_at < ?))
                """, arguments: [start, end, start, end])
        }
        var issues: [ReconciliationIssue] = []
        var byToken: [String: Row] = [:]
        for payment in payments { byToken[payment["gateway_token"]] = payment }
        let chargeTokens = Set(charges.map(\.token))
        for charge in charges {
            guard let payment = byToken[charge.token] else {
                if charge.status == .captured || charge.status == .refunded {
                    issues.append(ReconciliationIssue(kind: .capturedWithoutOrder, token: charge.token, orderNumber: nil,
                                                      tillAmount: nil, gatewayAmount: charge.amount))
                }
                continue
            }
            let status = PaymentStatus(rawValue: payment["status"]) ?? .pending
            let amount: Int64 = payment["amount"]
            let tillRefunded: Int64 = payment["refunded"]
            if status == .voided && charge.status != .voided {
                issues.append(ReconciliationIssue(kind: .voidedButCaptured, token: charge.token, orderNumber: payment["number"],
                                                  tillAmount: 0, gatewayAmount: charge.amount))
            } else if status == .voided {
                continue
            } else if (status == .captured || status == .refunded) && charge.status != .captured && charge.status != .refunded {
                issues.append(ReconciliationIssue(kind: .paidButNotCaptured, token: charge.token, orderNumber: payment["number"],
                                                  tillAmount: amount, gatewayAmount: charge.amount))
            } else if charge.refunded > tillRefunded {
                issues.append(ReconciliationIssue(kind: .refundWithoutRecord, token: charge.token, orderNumber: payment["number"],
                                                  tillAmount: tillRefunded, gatewayAmount: charge.refunded))
            } else if amount != charge.amount {
                issues.append(ReconciliationIssue(kind: .amountDiffers, token: charge.token, orderNumber: payment["number"],
                                                  tillAmount: amount, gatewayAmount: charge.amount))
            }
        }
        for payment in payments where !chargeTokens.contains(payment["gateway_token"]) {
            let status = PaymentStatus(rawValue: payment["status"]) ?? .pending
            guard status == .captured else { continue }
            let token: String = payment["gateway_token"]
            // Not in today's settlement: either the gateway never had it or it was made another day.
            if (try? gateway.charge(token: token)) == nil {
                issues.append(ReconciliationIssue(kind: .paidButNotCaptured, token: token, orderNumber: payment["number"],
                                                  tillAmount: payment["amount"], gatewayAmount: nil))
            }
        }
        return issues
    }
}
