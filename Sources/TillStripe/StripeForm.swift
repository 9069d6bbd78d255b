/// Request parameters as Stripe takes them: `application/x-www-form-urlencoded`, hashes and arrays in bracket
/// notation (`metadata[order]=57`, `payment_method_types[]=card_present`). Order is kept as built, and metadata is
/// sorted by key, so the same request always encodes the same way — an idempotent retry must send the same
/// parameters as the first try.
public struct StripeForm: Sendable, Equatable {
    public private(set) var pairs: [StripeFormPair] = []

    public init() {}

    public mutating func add(_ key: String, _ value: String) { pairs.append(StripeFormPair(key: key, value: value)) }

    public mutating func add(_ key: String, _ value: Int64) { add(key, String(value)) }

    public mutating func addHash(_ name: String, _ values: [String: String]) {
        for key in values.keys.sorted() { add("\(name)[\(key)]", values[key]!) }
    }

    public var encoded: String {
        pairs.map { StripeForm.escape($0.key, keepingBrackets: true) + "=" + StripeForm.escape($0.value, keepingBrackets: false) }
            .joined(separator: "&")
    }

    /// Percent-encodes all but RFC 3986's unreserved characters (and, in keys, the brackets Stripe's notation uses).
    static func escape(_ text: String, keepingBrackets: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "["), UInt8(ascii: "]") where keepingBrackets:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}

public struct StripeFormPair: Sendable, Equatable {
    public var key: String
    public var value: String
}
