/// A discount on a line or a whole order: a percentage (in hundredths of a percent, so 12.5 % is 1250) or a fixed
/// amount in minor units.
public enum Discount: Equatable, Sendable, CustomStringConvertible {
    case percent(basisPoints: Int64)
    case amount(Int64)

    /// `10%`, `12.5%`, `12,25 %`, or an amount such as `2.50` in the store currency. Refuses, naming the input,
    /// what Till cannot keep exactly (`12.345%`), nothing off (`0`), less than nothing and more than everything.
    public static func parse(_ text: String, currency: Currency) throws -> Discount {
        func fail(_ reason: String) -> TillError { .invalid("invalid discount \"\(text)\": \(reason)") }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw fail("empty; give a percentage such as 10% or an amount such as 2.50") }
        if trimmed.hasSuffix("%") {
            let basisPoints = try percent(String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces), fail: fail)
            return .percent(basisPoints: basisPoints)
        }
        let money: Money
        do {
            money = try MoneyParser(currency: currency).parse(trimmed)
        } catch let TillError.invalidAmount(_, reason) {
            throw fail(reason)
        }
        guard !money.isNegative else { throw fail("a discount cannot be negative") }
        guard !money.isZero else { throw fail("a discount of 0 takes nothing off (leave it empty for no discount)") }
        return .amount(money.minorUnits)
    }

    /// A percentage in basis points, exactly: Till keeps percent discounts to hundredths of a percent, so a third
    /// decimal is refused rather than cut off (12.345 % would silently be 12.34 %).
    private static func percent(_ number: String, fail: (String) -> TillError) throws -> Int64 {
        if number.hasPrefix("-") || number.hasPrefix("−") { throw fail("a discount cannot be negative") }
        let parts = number.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }), !parts[0].isEmpty,
              parts.count == 1 || !parts[1].isEmpty else {
            throw fail("expected a percentage such as 10% or 12.5%")
        }
        let whole = parts[0].drop(while: { $0 == "0" })
        let fraction = parts.count == 2 ? parts[1] : ""
        let extra = fraction.dropFirst(2).contains(where: { $0 != "0" })  // digits past hundredths
        let hundredths = fraction.prefix(2) + String(repeating: "0", count: 2 - min(fraction.count, 2))
        let basisPoints = whole.count > 3 ? 100_000 : (Int64(whole) ?? 0) * 100 + (Int64(hundredths) ?? 0)
        guard basisPoints < 10_000 || (basisPoints == 10_000 && !extra) else {
            throw fail("a discount cannot be more than 100%")
        }
        if extra {
            let nearest = [basisPoints, basisPoints + 1].filter { $0 > 0 }.map(formatPercent).joined(separator: " or ")
            throw fail("Till keeps percent discounts to 2 decimals; give \(nearest)")
        }
        guard basisPoints > 0 else { throw fail("a discount of 0% takes nothing off (leave it empty for no discount)") }
        return basisPoints
    }

    /// `1250` → `12.5%`, the shortest exact form.
    static func formatPercent(_ basisPoints: Int64) -> String {
        TaxClass.formatRate(basisPoints * 100) + "%"
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
        case let .percent(basisPoints): return Discount.formatPercent(basisPoints)
        case let .amount(units): return "\(units) minor units"
        }
    }
}
