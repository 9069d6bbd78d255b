/// GTIN check-digit rules for the barcodes tills meet: EAN-13, EAN-8 and UPC-A (GTIN-12).
public enum Barcode {
    public enum Kind: String, Sendable {
        case ean13 = "EAN-13"
        case ean8 = "EAN-8"
        case upcA = "UPC-A"
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case notDigits
        case wrongLength(Int)
        case badCheckDigit(expected: Character)

        public var description: String {
            switch self {
            case .notDigits: return "a barcode has digits only"
            case let .wrongLength(count): return "\(count) digits is not an EAN-13, EAN-8 or UPC-A length (13, 8 or 12)"
            case let .badCheckDigit(expected): return "check digit is wrong (expected \(expected))"
            }
        }
    }

    /// The kind of a valid code, or why it is not one.
    public static func validate(_ code: String) -> Result<Kind, Problem> {
        guard !code.isEmpty, code.allSatisfy(\.isASCIIDigit) else { return .failure(.notDigits) }
        let kind: Kind
        switch code.count {
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
