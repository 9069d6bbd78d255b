import Crypto
import _CryptoExtras
import Foundation

/// Staff PINs are kept only as salted PBKDF2-SHA256 hashes, stored as `pbkdf2-sha256$ROUNDS$SALT$HASH`
/// (base64), so the cost can rise later without invalidating old hashes.
public struct PinHasher: Sendable {
    /// OWASP's floor for PBKDF2-SHA256; about 80 ms per check on these machines — fine at a login.
    public static let productionRounds = 210_000

    public let rounds: Int

    public init(rounds: Int = PinHasher.productionRounds) {
        self.rounds = rounds
    }

    public func hash(_ pin: String) throws -> String {
        try PinHasher.validate(pin)
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: .min ... .max, using: &generator) }
        let key = try derive(pin: pin, salt: salt, rounds: rounds)
        return "pbkdf2-sha256$\(rounds)$\(Data(salt).base64EncodedString())$\(key.base64EncodedString())"
    }

    /// True when `pin` matches `stored`. The final comparison takes the same time wherever the bytes differ.
    public static func verify(_ pin: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0,
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
              let actual = try? derive(pin: pin, salt: Array(salt), rounds: rounds, byteCount: expected.count)
        else { return false }
        return constantTimeEqual(actual, expected)
    }

    /// A PIN is 4 to 12 digits.
    public static func validate(_ pin: String) throws {
        guard (4...12).contains(pin.count), pin.allSatisfy(\.isASCIIDigit) else {
            throw TillError.invalid("a PIN is 4 to 12 digits")
        }
    }

    private func derive(pin: String, salt: [UInt8], rounds: Int) throws -> Data {
        try PinHasher.derive(pin: pin, salt: salt, rounds: rounds, byteCount: 32)
    }

    private static func derive(pin: String, salt: [UInt8], rounds: Int, byteCount: Int) throws -> Data {
        // unsafeUncheckedRounds lets tests use a cheap cost; production always passes productionRounds.
        let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(pin.utf8), salt: salt, using: .sha256,
                                                    outputByteCount: byteCount, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Data($0) }
    }

    static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
