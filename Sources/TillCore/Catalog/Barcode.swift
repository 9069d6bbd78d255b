/// GTIN rules for the barcodes tills meet: EAN-13, EAN-8, UPC-A (GTIN-12) and GTIN-14 (case codes).
///
/// A GTIN is one number however it is printed: UPC-A `036000291452`, EAN-13 `0036000291452` and GTIN-14
/// `00036000291452` are the same code (leading zeros pad it to 14 digits). The store keeps every barcode in its
/// GTIN-14 form (`gtin14`), so a lookup or a uniqueness check by any form meets the same row; people are shown
/// the natural short form (`display`).
public enum Barcode {
    public enum Kind: String, Sendable {
        case ean13 = "EAN-13"
        case ean8 = "EAN-8"
        case upcA = "UPC-A"
        case gtin14 = "GTIN-14"
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case notDigit(Character)
        case wrongLength(Int)
        case badCheckDigit(expected: Character)

        public var description: String {
            switch self {
            case .empty: return "a barcode needs digits"
            case let .notDigit(character):
                // Invisible characters are named by code point, so the message shows what is really there.
                let scalars = character.unicodeScalars.map { scalar -> String in
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }
                let visible = character.unicodeScalars.allSatisfy { $0.properties.isGraphemeBase && !$0.properties.isWhitespace }
                let shown = visible ? "\"\(character)\" (\(scalars.joined(separator: " ")))" : scalars.joined(separator: " ")
                return "\(shown) is not a digit (a barcode has digits only; spaces and hyphens are ignored)"
            case let .wrongLength(count): return "\(count) digits is not an EAN-8, UPC-A, EAN-13 or GTIN-14 length (8, 12, 13 or 14)"
            case let .badCheckDigit(expected): return "check digit is wrong (expected \(expected))"
            }
        }
    }

    /// The kind of a valid code, or why it is not one. `code` must already be digits only (see `canonical`).
    public static func validate(_ code: String) -> Result<Kind, Problem> {
        guard !code.isEmpty else { return .failure(.empty) }
        if let stray = code.first(where: { !$0.isASCIIDigit }) { return .failure(.notDigit(stray)) }
        let kind: Kind
        switch code.count {
        case 14: kind = .gtin14
        case 13: kind = .ean13
        case 12: kind = .upcA
        case 8: kind = .ean8
        default: return .failure(.wrongLength(code.count))
        }
        let expected = checkDigit(forBody: code.dropLast())
        return code.last == expected ? .success(kind) : .failure(.badCheckDigit(expected: expected))
    }

    public static func isValid(_ code: String) -> Bool {
        if case .success = validate(code) { return true }
        return false
    }

    /// What a scanner, a keyboard or a spreadsheet adds around the digits and nobody means: spaces (any kind,
    /// NBSP included), hyphens (`4-006381-333931` as printed under the bars) and invisible format characters
    /// (zero-width space, BOM, soft hyphen). Every path that takes a barcode removes exactly these, so a code
    /// that imports also adds, scans and receives.
    public static func cleaned(_ input: String) -> String {
        String(String.UnicodeScalarView(input.unicodeScalars.filter { scalar in
            !(scalar.properties.isWhitespace || scalar == "-" || scalar == "\u{2010}" || scalar == "\u{2011}"
              || scalar.properties.generalCategory == .format)
        }))
    }

    /// The GTIN-14 form of a typed, scanned or imported code (cleaned, then validated), or why it is not one.
    public static func canonical(_ input: String) -> Result<String, Problem> {
        let code = cleaned(input)
        switch validate(code) {
        case .success: return .success(String(repeating: "0", count: 14 - code.count) + code)
        case let .failure(problem): return .failure(problem)
        }
    }

    /// The GTIN-14 form, or an error naming the input and what is wrong with it.
    public static func gtin14(_ input: String) throws -> String {
        // A card number is never a barcode; saying why must not repeat it.
        try CardNumberGuard.check(input, field: "the barcode")
        switch canonical(input) {
        case let .success(code): return code
        case let .failure(problem): throw TillError.invalid("barcode \"\(input)\": \(problem)")
        }
    }

    /// The natural short form of a stored GTIN-14, as the code is printed on the pack: EAN-8 when it has six
    /// leading zeros, UPC-A (12) with two, EAN-13 with one, else the GTIN-14 itself. A code not in GTIN-14 form
    /// (none should be) is shown as it is.
    public static func display(_ code: String) -> String {
        guard code.count == 14, code.allSatisfy(\.isASCIIDigit) else { return code }
        if code.hasPrefix("000000") { return String(code.dropFirst(6)) }
        if code.hasPrefix("00") { return String(code.dropFirst(2)) }
        if code.hasPrefix("0") { return String(code.dropFirst(1)) }
        return code
    }

    /// The GTIN check digit: weights 3,1,3,1… from the rightmost body digit, then ten's complement.
    public static func checkDigit<S: StringProtocol>(forBody body: S) -> Character {
        var sum = 0
        for (offset, character) in body.reversed().enumerated() {
            let digit = character.wholeNumberValue ?? 0
            sum += offset % 2 == 0 ? digit * 3 : digit
        }
        let check = (10 - sum % 10) % 10
        return Character(String(check))
    }
}

/// A case (or inner pack) code: a GTIN printed on the outer carton that stands for `quantity` units of the item.
/// Scanning it at the till adds `quantity` units; receiving `CODE=2` receives `2 × quantity`.
public struct CaseBarcode: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The GTIN-14 form once read through `parse` or `init(code:quantity:)` with a checked code.
    public var code: String
    public var quantity: Int64

    public init(code: String, quantity: Int64) {
        self.code = code
        self.quantity = quantity
    }

    /// `CODE=12` as typed: the code in its short form, the units it stands for.
    public var description: String { "\(Barcode.display(code))=\(quantity)" }

    /// The biggest pack a case code may stand for (a pallet layer of a small item, not a typo of 120000).
    public static let maximumQuantity: Int64 = 10_000

    /// Reads `CODE=12` (spaces and hyphens in the code ignored): the code canonical, the quantity 2…10,000.
    public static func parse(_ text: String) throws -> CaseBarcode {
        try CardNumberGuard.check(text, field: "the case barcode")
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            throw TillError.invalid("case barcode \"\(text)\": expected CODE=QUANTITY, e.g. 10036000291459=12")
        }
        let code = try Barcode.gtin14(parts[0])
        let quantityText = parts[1].trimmingCharacters(in: .whitespaces)
        guard let quantity = Int64(quantityText), quantity >= 2, quantity <= maximumQuantity else {
            throw TillError.invalid("case barcode \"\(text)\": the pack quantity is a whole number of units from 2 to \(maximumQuantity), not \"\(quantityText)\"")
        }
        return CaseBarcode(code: code, quantity: quantity)
    }

    /// `CODE=12;CODE2=6` (also `,`-separated), as the product CSV and the edit form hold them.
    public static func parseList(_ text: String) throws -> [CaseBarcode] {
        try text.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" })
            .map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .map(parse)
    }

    public static func listText(_ codes: [CaseBarcode]) -> String {
        codes.map(\.description).joined(separator: ";")
    }
}
