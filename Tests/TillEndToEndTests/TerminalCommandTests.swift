import Foundation
import Testing
import TillCore
import TillFakeStripe
import TillTestSupport

/// `till terminal` through the real binary: a reader drives one register, a Stripe reader is checked with Stripe
/// before it is paired, `test` says whether it is there, and the API key never shows in any output.
@Suite(.serialized) struct TerminalCommandTests {
    let db = TestStores.temporaryPath()
    static let key = "sk_test_TerminalCommandKey"

    @Test func pairingTestingAndUnpairingReaders() throws {
        let fake = try FakeStripe.start(apiKey: Self.key)
        defer { fake.stop() }
        fake.addReader(id: "tmr_fake_1", label: "Front till")
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let admin = ["TILL_DB": db, "TILL_USER": "ada", "TILL_PIN": "4444", "TILL_STRIPE_SECRET_KEY": Self.key,
                     "TILL_STRIPE_API_BASE": fake.baseURL]
        var outputs: [TillProcess.Output] = []
        func till(_ arguments: [String], _ environment: [String: String] = admin) throws -> TillProcess.Output {
            let output = try TillProcess.run(arguments, environment: environment)
            outputs.append(output)
            return output
        }
        let listed = try till(["terminal", "list"])
        #expect(listed.stdout.contains("main") && listed.stdout.contains("simulated sim-main"))
        // A reader Stripe does not have is refused; a reader already driving another register is refused.
        let typo = try till(["terminal", "pair", "main", "tmr_nope", "--stripe"])
        #expect(typo.status == 1 && typo.stderr.contains("not paired: the card processor has no reader tmr_nope"), "\(typo.stderr)")
        #expect(try till(["terminal", "pair", "back", "sim-main", "--simulated"]).stderr.contains("already paired with register main"))
        let paired = try till(["terminal", "pair", "main", "tmr_fake_1", "--stripe", "--label", "front counter"])
        #expect(paired.status == 0 && paired.stdout == "register main now takes cards on stripe reader tmr_fake_1\n", "\(paired.stderr)")
        let online = try till(["terminal", "test", "main"])
        #expect(online.status == 0 && online.stdout.contains("online"), "\(online.stderr)")
        fake.setReader("tmr_fake_1", online: false)
        let offline = try till(["terminal", "test", "main"])
        #expect(offline.status == 1 && offline.stdout.contains("OFFLINE"))
        // A cashier may not pair; without a key, a card is refused with where the key goes, and cash still sells.
        let cashier = ["TILL_DB": db, "TILL_USER": "ana", "TILL_PIN": "1111"]
        #expect(try till(["terminal", "unpair", "main"], cashier).stderr.contains("may not change store settings"))
        let noKey = try till(["sell", "--item", "COF-002", "--pay", "card"], cashier)
        #expect(noKey.status == 1 && noKey.stderr.contains("TILL_STRIPE_SECRET_KEY"), "\(noKey.stderr)")
        #expect(try till(["terminal", "unpair", "main"]).status == 0)
        let none = try till(["sell", "--item", "COF-002", "--pay", "card"], cashier)
        #expect(none.stderr.contains("register main has no card reader paired"))
        let json = try till(["terminal", "list", "--json"])
        #expect(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || json.stdout.contains("[]"), "\(json.stdout)")
        for output in outputs {
            #expect(!output.stdout.contains(Self.key) && !output.stderr.contains(Self.key))
        }
        let store = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(store.range(of: Data(Self.key.utf8)) == nil)
    }
}
