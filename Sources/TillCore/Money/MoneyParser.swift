import Foundation

/// Reads amounts as people type them: `12`, `12.5`, `12.50`, `1,299.00`, `€3`, `-4.20`, and `12,50` where the
/// locale writes a decimal comma. Refuses anything ambiguous or inexact with a reason rather than guessing.
public struct MoneyParser: Sendable {
    public let currency: Currency
    public let decimalSeparator: Character
    public let groupingSeparator: Character

    public init(currency: Currency, decimalSeparator: Character = ".", groupingSeparator: Character = ",") {
        self.currency = currency
        self.decimalSeparator = decimalSeparator
        self.groupingSeparator = groupingSeparator
    }

    public init(currency: Currency, locale: Locale) {
        let decimal = locale.decimalSeparator?.first ?? "."
        var grouping = locale.groupingSeparator?.first ?? (decimal == "," ? "." : ",")
        // Some locales group with a (narrow) no-break space; people type a plain space or nothing.
        if grouping.isWhitespace || grouping == "\u{202F}" || grouping == "\u{00A0}" { grouping = " " }
        self.init(currency: currency, decimalSeparator: decimal, groupingSeparator: grouping)
    }

    public func parse(_ text: String) throws -> Money {
        func fail(_ reason: String) -> TillError { .invalidAmount(text, reason: reason) }

        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw fail("empty") }
        var negative = false
        if body.hasPrefix("-") || body.hasPrefix("−") { negative = true; body.removeFirst() }
        for marker in [currency.code, currency.symbol] where !marker.isEmpty {
            if body.uppercased().hasPrefix(marker.uppercased()) { body.removeFirst(marker.count) }
            if body.uppercased().hasSuffix(marker.uppercased()) { body.removeLast(marker.count) }
        }
        body = body.trimmingCharacters(in: .whitespaces)
        if !negative, body.hasPrefix("-") { negative = true; body.removeFirst() }
        guard !body.isEmpty else { throw fail("no digits") }

        let allowed = Set("0123456789.,' \u{00A0}\u{202F}")
        if let bad = body.first(where: { !allowed.contains($0) }) {
            throw fail("unexpected character \"\(bad)\"")
        }

        let (wholePart, fractionPart) = try split(body, sign: negative ? "-" : "", fail: fail)
        guard !wholePart.isEmpty || !fractionPart.isEmpty else { throw fail("no digits") }
        guard fractionPart.count <= currency.exponent else {
            throw fail(currency.exponent == 0
                ? "\(currency.code) has no minor unit, so no decimals"
                : "\(currency.code) has \(currency.exponent) decimals at most")
        }
        guard wholePart.count <= 18 else { throw TillError.overflow(text) }
        let whole = Int64(wholePart.isEmpty ? "0" : wholePart) ?? 0
        let paddedFraction = fractionPart + String(repeating: "0", count: currency.exponent - fractionPart.count)
        let fraction = Int64(paddedFraction.isEmpty ? "0" : paddedFraction) ?? 0
        let majorInMinor = try checkedMultiply(whole, currency.minorPerMajor, text)
        let units = try checkedAdd(majorInMinor, fraction, text)
        return Money(minorUnits: negative ? -units : units, currency: currency)
    }

    /// Splits into whole digits (grouping removed) and fraction digits, deciding which mark is the decimal one.
    private func split(_ body: String, sign: String, fail: (String) -> TillError) throws -> (String, String) {
        let points = body.filter { $0 == "." || $0 == "," }
        let decimal: Character?
        if Set(points).count == 2 {
            decimal = points.last  // 1,299.00 and 1.299,00: the last mark is the decimal one
        } else if let mark = points.first, points.count == 1 {
            // One mark: the locale's decimal separator is decimal; the grouping one is grouping only when it
            // really groups (1,299) and otherwise decimal (12,5), since a till never gets half-typed thousands.
            if mark == decimalSeparator || digitsAfterLast(mark, in: body) != 3 || !isValidGrouping(body, separator: mark) {
                decimal = mark
            } else if currency.exponent >= 3 {
                // 1,234 in a 3-decimal currency (KWD, BHD, JOD, OMR, TND, IQD, LYD) reads both as 1234 and as the
                // decimal-comma 1.234, a thousandfold apart: refuse rather than guess which the cashier meant.
                let digits = body.filter(\.isASCIIDigit)
                let whole = sign + digits
                let asDecimal = sign + body.split(separator: mark).map(String.init).joined(separator: String(decimalSeparator))
                throw fail("ambiguous in \(currency.code), which has \(currency.exponent) decimals: \"\(mark)\" may group "
                    + "thousands (\(whole)) or be the decimal mark (\(asDecimal)); type \(whole) or \(asDecimal)")
            } else {
                decimal = nil
            }
        } else {
            decimal = nil  // no mark, or the same mark several times: grouping (checked below)
        }

        let pieces = decimal.map { body.split(separator: $0, omittingEmptySubsequences: false).map(String.init) } ?? [body]
        guard pieces.count <= 2 else { throw fail("more than one decimal separator") }
        let wholeText = pieces[0]
        let fraction = pieces.count == 2 ? pieces[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit) else { throw fail("grouping mark after the decimal separator") }
        let groupMarks = Set(wholeText.filter { !$0.isASCIIDigit })
        guard groupMarks.count <= 1 else { throw fail("mixed digit grouping marks") }
        if let mark = groupMarks.first, !isValidGrouping(wholeText, separator: mark) {
            throw fail("digit groups must have 3 digits")
        }
        return (wholeText.filter(\.isASCIIDigit), fraction)
    }

    private func digitsAfterLast(_ mark: Character, in text: String) -> Int {
        guard let index = text.lastIndex(of: mark) else { return 0 }
        return text[text.index(after: index)...].count
    }

    /// `1,299,000`: 1–3 digits, then groups of exactly 3. A leading zero never starts grouped thousands, so
    /// `0,250` is a decimal comma, not 250.
    private func isValidGrouping(_ text: String, separator: Character) -> Bool {
        let groups = text.split(separator: separator, omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count), first.allSatisfy(\.isASCIIDigit),
              groups.count == 1 || first.first != "0" else {
            return false
        }
        return groups.dropFirst().allSatisfy { $0.count == 3 && $0.allSatisfy(\.isASCIIDigit) }
    }
}

extension Money {
    /// Parses a decimal amount as written in files (`12.50`, `-3`): `.` decimal point, no grouping, no symbol;
    /// with `decimalSeparator: ","` the decimal-comma form (`12,50`) of `;`-separated spreadsheet files.
    public static func parseDecimal(_ text: String, currency: Currency, decimalSeparator: Character = ".") throws -> Money {
        try MoneyParser(currency: currency, decimalSeparator: decimalSeparator,
                        groupingSeparator: decimalSeparator == "," ? "." : ",").parseStrictDecimal(text)
    }
}

extension MoneyParser {
    /// The file form only: optional sign, digits, optional `.` and up to `exponent` decimals.
    func parseStrictDecimal(_ text: String) throws -> Money {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let body = trimmed.hasPrefix("-") ? String(trimmed.dropFirst()) : trimmed
        let parts = body.split(separator: decimalSeparator, omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              !(parts.first?.isEmpty ?? true) else {
            throw TillError.invalidAmount(text, reason: "expected a decimal number such as 12\(decimalSeparator)50")
        }
        return try parse(trimmed)
    }
}
