/// Shares `total` out in proportion to `weights` so the shares add up to `total` exactly: each gets the floor
/// of its exact share, and the units left over go to the largest remainders (earlier lines win ties).
/// Used to spread an order discount over lines and a tax class's tax over its lines.
public func allocate(_ total: Int64, byWeights weights: [Int64]) throws -> [Int64] {
    guard !weights.isEmpty else { return [] }
    guard weights.allSatisfy({ $0 >= 0 }) else { throw TillError.invalid("cannot share an amount by negative weights") }
    let weightSum = try weights.reduce(Int64(0)) { try checkedAdd($0, $1, "allocation weights") }
    guard weightSum > 0 else {
        var shares = [Int64](repeating: 0, count: weights.count)
        shares[0] = total
        return shares
    }
    var shares: [Int64] = []
    var remainders: [(index: Int, remainder: UInt64)] = []
    let sign: Int64 = total < 0 ? -1 : 1
    let magnitude = total.magnitude
    for (index, weight) in weights.enumerated() {
        let product = magnitude.multipliedFullWidth(by: UInt64(weight))
        let (quotient, remainder) = UInt64(weightSum).dividingFullWidth(product)
        shares.append(Int64(quotient))
        remainders.append((index, remainder))
    }
    var left = Int64(magnitude) - shares.reduce(0, +)
    for entry in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }) {
        guard left > 0 else { break }
        shares[entry.index] += 1
        left -= 1
    }
    return shares.map { $0 * sign }
}
