import Foundation

/// How much a pack holds, for the unit price on its shelf label (EU Directive 98/6/EC, Germany's PAngV § 4: the
/// price per 1 kg, 1 l or 1 m next to the selling price). Kept exactly, in thousandths of the base unit: 0.750 l
/// is 750 (millilitres), 500 g is 500 (grams of a kilogram), 2.5 m is 2500 (millimetres).
///
/// Goods sold by weight (unit `kg`) need none: their price already is the price per kilogram.
public struct ContentSize: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Unit: String, Sendable, CaseIterable {
        case kg, l, m

        /// The small unit a content below one base unit is written in.
        var small: String {
            switch self {
            case .kg: return "g"
            case .l: return "ml"
            case .m: return "mm"
            }
        }
    }

    /// Thousandths of `unit`: grams, millilitres or millimetres.
    public var milli: Int64
    public var unit: Unit

    /// The largest content a pack may state: 100,000 kg, l or m (keeps every unit price far from overflow).
    public static let maximumMilli: Int64 = 100_000_000

    public init(milli: Int64, unit: Unit) {
        self.milli = milli
        self.unit = unit
    }

    /// `0.75l`, `750 ml`, `75cl`, `500g`, `1kg`, `1,5 kg`, `2.5m`, `50 cm` as people write a pack size. The number
    /// is exact (no rounding): a content finer than 1 g, 1 ml or 1 mm is refused, as is zero.
    public static func parse(_ text: String) throws -> ContentSize {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let letters = trimmed.reversed().prefix { $0.isLetter }
        let unitText = String(letters.reversed()).lowercased()
        let number = String(trimmed.dropLast(letters.count)).trimmingCharacters(in: .whitespaces)
        let known = "kg, g, l, cl, ml, m, cm or mm"
        guard !unitText.isEmpty else {
            throw TillError.invalid("content \"\(text)\": give its unit (\(known)), e.g. 0.75l or 500g")
        }
        let quantity: Quantity
        do { quantity = try Quantity.parse(number) } catch {
            throw TillError.invalid("content \"\(text)\": expected a number and a unit, e.g. 0.75l or 500g")
        }
        guard quantity.milli > 0 else { throw TillError.invalid("content \"\(text)\": must be more than zero") }
        // Thousandths of the number, as thousandths of the base unit: ×1 for kg/l/m, ÷10 for cl/cm, ÷1000 for g/ml/mm.
        let base: (unit: Unit, divisor: Int64)
        switch unitText {
        case "kg": base = (.kg, 1)
        case "g": base = (.kg, 1000)
        case "l": base = (.l, 1)
        case "cl": base = (.l, 100)
        case "ml": base = (.l, 1000)
        case "m": base = (.m, 1)
        case "cm": base = (.m, 100)
        case "mm": base = (.m, 1000)
        default: throw TillError.invalid("content \"\(text)\": unknown unit \"\(unitText)\" (\(known))")
        }
        guard quantity.milli % base.divisor == 0 else {
            throw TillError.invalid("content \"\(text)\": finer than 1 \(base.unit.small) cannot be stated")
        }
        let milli = quantity.milli / base.divisor
        guard milli <= maximumMilli else { throw TillError.invalid("content \"\(text)\": too large") }
        return ContentSize(milli: milli, unit: base.unit)
    }

    /// `750 ml`, `500 g`, `1 kg`, `1.5 l`, `2.5 m`: below one base unit in its small unit, else in the base unit.
    public var description: String {
        if milli < Quantity.scale { return "\(milli) \(unit.small)" }
        return "\(Quantity(milli: milli)) \(unit.rawValue)"
    }

    /// The form the catalog and its files keep: `0.75l`, `0.5kg`, `2.5m` (what `parse` reads back exactly).
    public var storageValue: String { "\(Quantity(milli: milli))\(unit.rawValue)" }

    /// The price of one base unit (1 kg, 1 l, 1 m) of a pack of this content selling at `price`, rounded half away
    /// from zero to the minor unit: price × 1000 ÷ content in thousandths.
    public func unitPrice(of price: Int64) throws -> Int64 {
        try scaleRoundingHalfAwayFromZero(price, times: Quantity.scale, over: milli)
    }
}

/// A price per base unit, as a shelf label shows it: `1 l = €3.32`, or `€2.49 / kg` for goods sold by weight.
public struct UnitPrice: Equatable, Sendable {
    public var amount: Int64
    public var unit: ContentSize.Unit

    public init(amount: Int64, unit: ContentSize.Unit) {
        self.amount = amount
        self.unit = unit
    }
}
