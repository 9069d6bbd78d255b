import Foundation

/// An amount of money: integer minor units (cents, pence, yen) in one currency. Never a floating-point value.
public struct Money: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }

    public func adding(_ other: Money) throws -> Money {
        try requireSameCurrency(other)
        return Money(minorUnits: try checkedAdd(minorUnits, other.minorUnits, "\(self) + \(other)"), currency: currency)
    }

    public func subtracting(_ other: Money) throws -> Money {
        try requireSameCurrency(other)
        let (result, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        if overflow { throw TillError.overflow("\(self) − \(other)") }
        return Money(minorUnits: result, currency: currency)
    }

    public func negated() throws -> Money {
        guard minorUnits != .min else { throw TillError.overflow("−\(self)") }
        return Money(minorUnits: -minorUnits, currency: currency)
    }

    /// Multiplies by a whole number (quantity of identical items).
    public func multiplied(by factor: Int64) throws -> Money {
        Money(minorUnits: try checkedMultiply(minorUnits, factor, "\(self) × \(factor)"), currency: currency)
    }

    /// Multiplies by a quantity in thousandths (a weight), rounding half away from zero to the minor unit.
    public func multiplied(by quantity: Quantity) throws -> Money {
        Money(minorUnits: try scaleRoundingHalfAwayFromZero(minorUnits, times: quantity.milli, over: Quantity.scale),
              currency: currency)
    }

    /// This amount's share `numerator / denominator`, rounded half away from zero (percentages, tax rates).
    public func scaled(by numerator: Int64, over denominator: Int64) throws -> Money {
        Money(minorUnits: try scaleRoundingHalfAwayFromZero(minorUnits, times: numerator, over: denominator),
              currency: currency)
    }

    /// Rounds to a multiple of `increment` minor units (cash rounding, e.g. 5 for 0.05), half away from zero.
    public func rounded(toMultipleOf increment: Int64) throws -> Money {
        guard increment > 1 else { return self }
        let units = divideRoundingHalfAwayFromZero(minorUnits, by: increment)
        return Money(minorUnits: try checkedMultiply(units, increment, "rounding \(self)"), currency: currency)
    }

    public static func sum(_ amounts: [Money], currency: Currency) throws -> Money {
        try amounts.reduce(.zero(currency)) { try $0.adding($1) }
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        precondition(lhs.currency == rhs.currency, "comparing \(lhs.currency) with \(rhs.currency)")
        return lhs.minorUnits < rhs.minorUnits
    }

    private func requireSameCurrency(_ other: Money) throws {
        guard currency == other.currency else { throw TillError.currencyMismatch(currency.code, other.currency.code) }
    }

    /// The plain decimal form used in files: `-1299.50`, `500` (JPY), `1.250` (KWD). No symbol, no grouping.
    public var decimalString: String {
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        guard currency.exponent > 0 else { return sign + String(magnitude) }
        let per = UInt64(currency.minorPerMajor)
        let fraction = String(magnitude % per)
        let padded = String(repeating: "0", count: currency.exponent - fraction.count) + fraction
        return "\(sign)\(magnitude / per).\(padded)"
    }

    /// For people: symbol and digit grouping, e.g. `€1,299.50`, `-$3.00`, `¥500`.
    public func formatted(symbol: Bool = true, grouping: Bool = true) -> String {
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let per = UInt64(currency.minorPerMajor)
        var major = String(magnitude / per)
        if grouping && major.count > 3 {
            var grouped: [Character] = []
            for (index, digit) in major.reversed().enumerated() {
                if index > 0 && index % 3 == 0 { grouped.append(",") }
                grouped.append(digit)
            }
            major = String(grouped.reversed())
        }
        var text = major
        if currency.exponent > 0 {
            let fraction = String(magnitude % per)
            text += "." + String(repeating: "0", count: currency.exponent - fraction.count) + fraction
        }
        return sign + (symbol ? currency.symbol : "") + text
    }

    public var description: String { formatted() }
}
