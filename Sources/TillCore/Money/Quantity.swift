/// A quantity in thousandths, so that loose goods sold by weight (0.450 kg) and items sold each (3) share one exact
/// integer type. Each-items always hold whole multiples of 1000.
public struct Quantity: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let scale: Int64 = 1000

    public let milli: Int64

    public init(milli: Int64) { self.milli = milli }

    public static func units(_ count: Int64) -> Quantity { Quantity(milli: count * scale) }

    public static let zero = Quantity(milli: 0)
    public static let one = Quantity(milli: scale)

    public var isWhole: Bool { milli % Quantity.scale == 0 }

    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.milli < rhs.milli }

    public static func + (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(milli: lhs.milli + rhs.milli) }
    public static func - (lhs: Quantity, rhs: Quantity) -> Quantity { Quantity(milli: lhs.milli - rhs.milli) }
    public static prefix func - (value: Quantity) -> Quantity { Quantity(milli: -value.milli) }

    /// `3`, `-2`, `0.45`, `1.005` — shortest exact decimal form.
    public var description: String {
        let sign = milli < 0 ? "-" : ""
        let magnitude = milli.magnitude
        let whole = magnitude / UInt64(Quantity.scale)
        let fraction = magnitude % UInt64(Quantity.scale)
        guard fraction != 0 else { return "\(sign)\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }

    /// Parses `3`, `-2`, `0.450`, `1,5` (comma decimal). At most three decimals; anything else is an error.
    public static func parse(_ text: String) throws -> Quantity {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw TillError.invalidQuantity(text, reason: "empty") }
        var body = Substring(trimmed)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() } else if body.first == "+" { body = body.dropFirst() }
        let parts = body.split(separator: body.contains(",") && !body.contains(".") ? "," : ".",
                               omittingEmptySubsequences: false)
        guard parts.count <= 2, let wholeText = parts.first, !wholeText.isEmpty || parts.count == 2,
              wholeText.allSatisfy(\.isASCIIDigit) else {
            throw TillError.invalidQuantity(text, reason: "expected a number such as 3 or 0.450")
        }
        let fractionText = parts.count == 2 ? parts[1] : ""
        guard fractionText.allSatisfy(\.isASCIIDigit) else {
            throw TillError.invalidQuantity(text, reason: "expected a number such as 3 or 0.450")
        }
        guard fractionText.count <= 3 else { throw TillError.invalidQuantity(text, reason: "at most 3 decimals") }
        guard wholeText.count <= 12 else { throw TillError.invalidQuantity(text, reason: "too large") }
        let whole = Int64(wholeText.isEmpty ? "0" : String(wholeText)) ?? 0
        let fraction = Int64(String(fractionText) + String(repeating: "0", count: 3 - fractionText.count)) ?? 0
        let milli = whole * scale + fraction
        return Quantity(milli: negative ? -milli : milli)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

import Foundation
