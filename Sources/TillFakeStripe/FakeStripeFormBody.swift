/// `application/x-www-form-urlencoded` as Stripe takes it: `key=value` pairs, bracketed keys for arrays and hashes
/// (`metadata[order]=57`, `expand[]=latest_charge`), in the order sent.
struct FakeStripeFormBody: Sendable {
    var pairs: [(String, String)]

    init(pairs: [(String, String)]) { self.pairs = pairs }

    init(parsing text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { field in
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = FakeStripeFormBody.decode(String(parts[0]))
            let value = parts.count > 1 ? FakeStripeFormBody.decode(String(parts[1])) : ""
            return (key, value)
        }
    }

    subscript(key: String) -> String? { pairs.first { $0.0 == key }?.1 }

    func values(_ key: String) -> [String] { pairs.filter { $0.0 == key }.map(\.1) }

    /// `metadata[order]=57` → ["order": "57"].
    func hash(_ name: String) -> [String: String] {
        var result: [String: String] = [:]
        let prefix = name + "["
        for (key, value) in pairs where key.hasPrefix(prefix) && key.hasSuffix("]") {
            let inner = key.dropFirst(prefix.count).dropLast()
            if !inner.isEmpty { result[String(inner)] = value }
        }
        return result
    }

    /// The same parameters in any order are the same request: Stripe compares parameters, not bytes.
    var fingerprint: String {
        pairs.map { "\($0.0)=\($0.1)" }.sorted().joined(separator: "&")
    }

    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
