import Foundation
import Testing
import TillCore
import TillFakeStripe
@testable import TillStripe

@Suite("StripeConfiguration: where the key comes from, and that it never shows")
struct ConfigurationTests {
    static let key = "sk_test_ConfigSecretThatMustNeverShow"

    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("till-stripe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func writeConfig(_ text: String, mode: Int, in directory: URL) throws -> String {
        let folder = directory.appendingPathComponent("till")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("stripe.toml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    @Test func theKeyComesFromTheEnvironmentFirst() throws {
        let home = try directory()
        let configuration = try StripeConfiguration.fromEnvironment(
            ["TILL_STRIPE_SECRET_KEY": Self.key, "TILL_STRIPE_API_BASE": "http://127.0.0.1:12111", "HOME": home.path])
        #expect(configuration.apiKey == Self.key)
        #expect(configuration.baseURL == "http://127.0.0.1:12111")
        #expect(configuration.isTestMode)
    }

    @Test func theKeyComesFromAnOwnerOnlyFileUnderXDGConfigHome() throws {
        let xdg = try directory()
        let path = try writeConfig("# Till's Stripe account\nsecret_key = \"\(Self.key)\"\nreader = \"tmr_front\"\n", mode: 0o600, in: xdg)
        let configuration = try StripeConfiguration.fromEnvironment(["XDG_CONFIG_HOME": xdg.path])
        #expect(configuration.apiKey == Self.key)
        #expect(configuration.readerID == "tmr_front")
        #expect(configuration.baseURL == StripeConfiguration.defaultBaseURL)
        #expect(StripeConfiguration.defaultConfigPath(["XDG_CONFIG_HOME": xdg.path]) == path)
        #expect(StripeConfiguration.defaultConfigPath(["HOME": "/home/ana"]) == "/home/ana/.config/till/stripe.toml")
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        #expect(try StripeConfiguration.fromEnvironment([:], configFile: path).apiKey == Self.key)
    }

    @Test func aFileOthersCanReadIsRefusedWithTheFix() throws {
        let xdg = try directory()
        let path = try writeConfig("secret_key = \"\(Self.key)\"\n", mode: 0o644, in: xdg)
        let error = expectNotConfigured { try StripeConfiguration.fromEnvironment(["XDG_CONFIG_HOME": xdg.path]) }
        #expect(error?.contains(path) == true)
        #expect(error?.contains("chmod 600 \(path)") == true)
        #expect(error?.contains("0644") == true)
        #expect(error?.contains(Self.key) == false)
    }

    @Test func aMissingKeyNamesBothPlacesToPutIt() throws {
        let home = try directory()
        let error = expectNotConfigured { try StripeConfiguration.fromEnvironment(["HOME": home.path]) }
        #expect(error?.contains("TILL_STRIPE_SECRET_KEY") == true)
        #expect(error?.contains(home.path + "/.config/till/stripe.toml") == true)
    }

    @Test func aBadLineOrAPublishableKeyIsRefusedWithoutRepeatingIt() throws {
        let xdg = try directory()
        let path = try writeConfig("secret_key = \(Self.key)\n", mode: 0o600, in: xdg)
        let unquoted = expectNotConfigured { try StripeConfiguration.fromEnvironment([:], configFile: path) }
        #expect(unquoted?.contains("line 1") == true && unquoted?.contains(Self.key) == false)
        let publishable = "pk_test_PublishableKeyNotToShow"
        let wrongKind = expectNotConfigured { try StripeConfiguration.fromEnvironment(["TILL_STRIPE_SECRET_KEY": publishable]) }
        #expect(wrongKind?.contains("sk_") == true && wrongKind?.contains(publishable) == false)
    }

    @Test func theKeyIsInNoDescriptionDumpOrError() throws {
        let configuration = StripeConfiguration(apiKey: Self.key, baseURL: "http://127.0.0.1:1", readerID: "tmr_fake_1",
                                                requestTimeout: .milliseconds(300))
        var dumped = ""
        dump(configuration, to: &dumped)
        let texts = [String(describing: configuration), String(reflecting: configuration), "\(configuration)", dumped]
        for text in texts { #expect(!text.contains(Self.key) && !text.contains("ConfigSecret")) }
        #expect(String(describing: configuration).contains("sk_test_…"))

        // The errors Till can show: unreachable, refused key, decline, unknown payment, reader problems.
        let rig = try StripeTestRig()
        var errors: [String] = []
        let unreachable = try StripeTerminal(configuration: configuration)
        do { _ = try unreachable.status() } catch { errors.append(String(describing: error)) }
        let wrongKey = try StripeTerminal(configuration: StripeConfiguration(apiKey: Self.key, baseURL: rig.fake.baseURL,
                                                                             readerID: "tmr_fake_1"))
        do { _ = try wrongKey.payment(id: "pi_x") } catch { errors.append(String(describing: error)) }
        do { _ = try wrongKey.collect(StripeTestRig.request(), journal: .none, cancellation: nil, progress: .silent) } catch {
            errors.append(String(describing: error))
        }
        #expect(errors.count == 3)
        for text in errors { #expect(!text.contains(Self.key) && !text.contains("ConfigSecret")) }
        // The fake saw the wrong key only where it belongs.
        for request in rig.fake.requests {
            for header in request.headers where header.name.lowercased() != "authorization" { #expect(!header.value.contains(Self.key)) }
            #expect(!request.body.contains(Self.key) && !request.query.contains(Self.key))
        }
    }

    private func expectNotConfigured(_ body: () throws -> StripeConfiguration) -> String? {
        do {
            let configuration = try body()
            Issue.record("expected notConfigured, got \(configuration)")
        } catch let CardTerminalError.notConfigured(message) {
            return message
        } catch {
            Issue.record("expected notConfigured, got \(error)")
        }
        return nil
    }
}
