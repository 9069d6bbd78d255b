import Foundation

/// A line of the Stripe balance: money in (a charge), out (a refund), and the fee — for the reconciliation report.
public struct StripeBalanceTransaction: Decodable, Sendable, Equatable {
    public var id: String
    public var created: Int64
    public var currency: String
    /// Gross, in minor units: positive for a charge, negative for a refund.
    public var amount: Int64
    public var fee: Int64
    public var net: Int64
    /// charge, refund, adjustment, payout, … (Stripe's `reporting_category`).
    public var reportingCategory: String?
    public var type: String
    /// The charge or refund (`ch_…`, `re_…`) behind the line.
    public var source: String?

    enum CodingKeys: String, CodingKey {
        case id, created, currency, amount, fee, net, type, source
        case reportingCategory = "reporting_category"
    }

    public var createdAt: Date { Date(timeIntervalSince1970: TimeInterval(created)) }
}
