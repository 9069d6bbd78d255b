/// A discount on a line or a whole order: a percentage (in hundredths of a percent, so 12.5 % is 1250) or a fixed
/// amount in minor units.
public enum Discount: Equatable, Sendable, CustomStringConvertible {
    case percent(basisPoints: Int64)
    case amount(Int64)

    /// `10%`, `12.5%`, or an amount such as `2.50` in the store currency.
    public static func parse(_ text: String, currency: Currency) throws -> Discount {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            let ppm = try TaxClass.parseRate(String(trimmed.dropLast()))
            return .percent(basisPoints: ppm / 100)
        }
        let money = try MoneyParser(currency: currency).parse(trimmed)
        guard !money.isNegative else { throw TillError.invalidAmount(text, reason: "a discount cannot be negative") }
        return .amount(money.minorUnits)
    }

    /// How much comes off `base` (never more than `base`; more is an error, not a silent cap).
    func amountOff(_ base: Int64) throws -> Int64 {
        switch self {
        case let .percent(basisPoints):
            guard (0...10_000).contains(basisPoints) else { throw TillError.invalid("a discount is 0–100 %") }
            return try scaleRoundingHalfAwayFromZero(base, times: basisPoints, over: 10_000)
        case let .amount(units):
            guard units >= 0 else { throw TillError.invalid("a discount cannot be negative") }
            guard units <= base else { throw TillError.invalid("discount is more than the amount it applies to") }
            return units
        }
    }

    /// How a discount is kept in the database: `%1250` (basis points) or `=250` (minor units).
    public var storageValue: String {
        switch self {
        case let .percent(basisPoints): return "%\(basisPoints)"
        case let .amount(units): return "=\(units)"
        }
    }

    public init?(storageValue: String?) {
        guard let storageValue, let number = Int64(storageValue.dropFirst()) else { return nil }
        switch storageValue.first {
        case "%": self = .percent(basisPoints: number)
        case "=": self = .amount(number)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case let .percent(basisPoints): return TaxClass.formatRate(basisPoints * 100) + "%"
        case let .amount(units): return "\(units) minor units"
        }
    }
}
