/// What the shop keeps over cost, always on the NET (tax-exclusive) amount: the tax in a tax-inclusive shelf
/// price is owed to the tax office, so counting it as margin overstates it (a 10.00 shelf price with 19 % tax
/// included and a 5.00 cost is a 40.5 % margin, not 50 %). margin = (net − cost) ÷ net.
///
/// Every margin Till shows — the catalog's product screen, the sales reports' rows and gross margin — comes
/// from here.
public struct Margin: Equatable, Sendable {
    /// Revenue without tax.
    public var net: Int64
    public var cost: Int64

    public init(net: Int64, cost: Int64) {
        self.net = net
        self.cost = cost
    }

    /// The margin of one item at its shelf price, in a store whose shelf prices include tax or not.
    public static func ofShelfPrice(_ price: Int64, cost: Int64, taxRatePPM: Int64, taxInclusive: Bool) throws -> Margin {
        let tax = taxInclusive ? try SalePricing.tax(on: price, ratePPM: taxRatePPM, taxInclusive: true) : 0
        return Margin(net: price - tax, cost: cost)
    }

    /// net − cost, in minor units.
    public var amount: Int64 { net - cost }

    /// The margin as a share of the net, in tenths of a percent (405 = 40.5 %), rounded half away from zero;
    /// nil when there is no net to divide by.
    public var permille: Int64? {
        guard net > 0 else { return nil }
        return try? scaleRoundingHalfAwayFromZero(amount, times: 1_000, over: net)
    }

    /// `40.5%`, `-12%`, or nil without a net.
    public var percentText: String? { permille.map { Margin.percentText(permille: $0) } }

    /// Tenths of a percent as `40.5%`.
    public static func percentText(permille: Int64) -> String {
        let sign = permille < 0 ? "-" : ""
        let magnitude = permille.magnitude
        return "\(sign)\(magnitude / 10)\(magnitude % 10 == 0 ? "" : ".\(magnitude % 10)")%"
    }
}
