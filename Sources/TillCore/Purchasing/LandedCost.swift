import Foundation

/// Freight (or duty, or any charge on a whole delivery) shared out over its lines, so each unit's cost is what
/// it cost to get it onto the shelf. The shares add up to the freight exactly: each line gets its share rounded
/// down, and the minor units left over go one each to the lines with the largest remainders (ties to the
/// earlier line), so no cent is lost or invented.
public enum LandedCost {
    public enum Basis: String, Sendable, CaseIterable {
        /// By each line's value (units × cost): dear goods carry more of the freight.
        case value
        /// By units: every unit carries the same.
        case quantity
    }

    /// `freight` in minor units over lines of `unitsMilli` at `unitCost` each; one share per line.
    public static func shares(freight: Int64, lines: [(unitsMilli: Int64, unitCost: Int64)], basis: Basis) throws -> [Int64] {
        guard freight >= 0 else { throw TillError.invalid("freight cannot be negative") }
        guard !lines.isEmpty else { return [] }
        var weights = try lines.map { line -> Int64 in
            basis == .value ? try checkedMultiply(line.unitsMilli, line.unitCost, "delivery value") : line.unitsMilli
        }
        // Nothing has a value (free goods): share by units instead of dividing by zero.
        if weights.allSatisfy({ $0 == 0 }) { weights = lines.map(\.unitsMilli) }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw TillError.invalid("freight needs at least one line with units to carry it") }
        var shares: [Int64] = []
        var remainders: [(index: Int, remainder: Int64)] = []
        for (index, weight) in weights.enumerated() {
            let (product, overflow) = freight.multipliedReportingOverflow(by: weight)
            guard !overflow else { throw TillError.overflow("freight share") }
            shares.append(product / total)
            remainders.append((index, product % total))
        }
        var left = freight - shares.reduce(0, +)
        for entry in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }) where left > 0 {
            shares[entry.index] += 1
            left -= 1
        }
        return shares
    }

    /// A unit's cost once its line's share is added: (units × cost + share) / units, half away from zero.
    public static func unitCost(_ cost: Int64, unitsMilli: Int64, share: Int64) throws -> Int64 {
        guard unitsMilli > 0 else { return cost }
        let value = try checkedAdd(try checkedMultiply(cost, unitsMilli, "delivery value"),
                                   try checkedMultiply(share, Quantity.scale, "freight share"), "delivery value")
        return divideRoundingHalfAwayFromZero(value, by: unitsMilli)
    }
}
