/// Integer division that rounds half away from zero (12.5 → 13, −12.5 → −13): the rule shop tills and tax
/// authorities expect, unlike Swift's `/`, which truncates toward zero.
@inlinable
public func divideRoundingHalfAwayFromZero(_ numerator: Int64, by denominator: Int64) -> Int64 {
    precondition(denominator != 0, "division by zero")
    let negative = (numerator < 0) != (denominator < 0)
    let n = numerator.magnitude
    let d = denominator.magnitude
    let quotient = n / d
    let remainder = n % d
    let rounded = remainder * 2 >= d ? quotient + 1 : quotient
    return negative ? -Int64(rounded) : Int64(rounded)
}

/// `a * b` that reports overflow as a `TillError` instead of trapping.
@inlinable
public func checkedMultiply(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws -> Int64 {
    let (result, overflow) = a.multipliedReportingOverflow(by: b)
    if overflow { throw TillError.overflow(what()) }
    return result
}

@inlinable
public func checkedAdd(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws -> Int64 {
    let (result, overflow) = a.addingReportingOverflow(b)
    if overflow { throw TillError.overflow(what()) }
    return result
}

/// `value * numerator / denominator` rounded half away from zero, computed in 128 bits so the middle step
/// cannot overflow; only a result outside Int64 is an error.
public func scaleRoundingHalfAwayFromZero(_ value: Int64, times numerator: Int64, over denominator: Int64) throws -> Int64 {
    precondition(denominator != 0, "division by zero")
    let negative = ((value < 0) != (numerator < 0)) != (denominator < 0)
    let product = value.magnitude.multipliedFullWidth(by: numerator.magnitude)
    let d = denominator.magnitude
    guard product.high < d else { throw TillError.overflow("\(value) × \(numerator) ÷ \(denominator)") }
    let (quotient, remainder) = d.dividingFullWidth(product)
    let rounded = remainder >= d - remainder ? quotient + 1 : quotient
    guard rounded <= UInt64(Int64.max) else { throw TillError.overflow("\(value) × \(numerator) ÷ \(denominator)") }
    return negative ? -Int64(rounded) : Int64(rounded)
}
