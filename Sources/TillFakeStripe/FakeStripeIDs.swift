/// Ids shaped like Stripe's (`pi_` and 24 characters). Letters only: Till's tests scan files for runs of 13 or more
/// digits that could be card numbers, and an id must never look like one.
enum FakeStripeIDs {
    private static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    private static let codeCharacters = Array("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")

    static func make(_ prefix: String, length: Int = 24) -> String {
        var id = prefix + "_"
        for _ in 0..<length { id.append(letters.randomElement()!) }
        return id
    }

    /// The issuer's authorisation code a receipt prints: six characters, mostly letters.
    static func authorizationCode() -> String {
        var code = ""
        for _ in 0..<6 { code.append(codeCharacters.randomElement()!) }
        return code
    }
}
