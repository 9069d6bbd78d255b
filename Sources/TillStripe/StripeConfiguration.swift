import Foundation
import TillCore

/// How Till talks to Stripe: the secret key, where the API is, and how long to wait. The key is kept out of every
/// description, error and log line: printing a configuration shows `sk_test_…` and nothing more.
public struct StripeConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var apiKey: String
    public var baseURL: String
    /// The reader to drive (`tmr_…`), when the configuration names one (`TILL_STRIPE_READER`, `reader = "tmr_…"`).
    public var readerID: String?
    /// How long one HTTP request may take before its answer counts as lost.
    public var requestTimeout: Duration
    /// How often the reader and the PaymentIntent are read while the customer pays.
    public var pollInterval: Duration
    /// How long `collect` waits for the customer before calling the payment off.
    public var collectTimeout: Duration
    /// Page size when listing charges and balance transactions (Stripe allows 1-100).
    public var listPageSize: Int
    /// Sent as `Stripe-Version` when set; otherwise the account's default API version answers.
    public var apiVersion: String?

    public static let defaultBaseURL = "https://api.stripe.com"

    public init(apiKey: String, baseURL: String = StripeConfiguration.defaultBaseURL, readerID: String? = nil,
                requestTimeout: Duration = .seconds(15), pollInterval: Duration = .milliseconds(750),
                collectTimeout: Duration = .seconds(180), listPageSize: Int = 100, apiVersion: String? = nil) {
        self.apiKey = apiKey
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.readerID = readerID
        self.requestTimeout = requestTimeout
        self.pollInterval = pollInterval
        self.collectTimeout = collectTimeout
        self.listPageSize = min(max(listPageSize, 1), 100)
        self.apiVersion = apiVersion
    }

    /// The key from `TILL_STRIPE_SECRET_KEY`, else from the config file (`configFile`, else
    /// `$XDG_CONFIG_HOME/till/stripe.toml`, else `~/.config/till/stripe.toml`): a `secret_key = "sk_…"` line, in a
    /// file only its owner can read (0600 or 0400). `TILL_STRIPE_API_BASE` points Till at another API (a fake).
    public static func fromEnvironment(_ env: [String: String], configFile: String? = nil) throws -> StripeConfiguration {
        let path = configFile ?? defaultConfigPath(env)
        var file: StripeConfigFile?
        if FileManager.default.fileExists(atPath: path) {
            file = try StripeConfigFile.read(path)
        } else if configFile != nil {
            throw CardTerminalError.notConfigured("no Stripe config file at \(path)")
        }
        let key: String
        if let fromEnvironment = env["TILL_STRIPE_SECRET_KEY"], !fromEnvironment.isEmpty {
            key = fromEnvironment
        } else if let fromFile = file?.values["secret_key"], !fromFile.isEmpty {
            key = fromFile
        } else {
            throw CardTerminalError.notConfigured(
                "no Stripe secret key: set TILL_STRIPE_SECRET_KEY, or put a line secret_key = \"sk_…\" in \(path) (owner-only: chmod 600 \(path))")
        }
        guard key.hasPrefix("sk_") || key.hasPrefix("rk_") else {
            throw CardTerminalError.notConfigured(
                "the Stripe secret key must start with sk_ (or rk_ for a restricted key); the one given does not — a publishable key (pk_…) cannot take payments")
        }
        let base = env["TILL_STRIPE_API_BASE"].flatMap { $0.isEmpty ? nil : $0 } ?? file?.values["api_base"] ?? defaultBaseURL
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw CardTerminalError.notConfigured("TILL_STRIPE_API_BASE must be an http(s) URL such as \(defaultBaseURL), not \(base)")
        }
        let reader = env["TILL_STRIPE_READER"].flatMap { $0.isEmpty ? nil : $0 } ?? file?.values["reader"]
        return StripeConfiguration(apiKey: key, baseURL: base, readerID: reader)
    }

    public static func defaultConfigPath(_ env: [String: String]) -> String {
        if let xdg = env["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/till/stripe.toml" }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/till/stripe.toml"
    }

    /// `sk_test_…`, `sk_live_…`, `rk_live_…`: which kind of key, never any of the key itself.
    public var redactedKey: String {
        for prefix in ["sk_test_", "sk_live_", "rk_test_", "rk_live_", "sk_", "rk_"] where apiKey.hasPrefix(prefix) {
            return prefix + "…"
        }
        return "…"
    }

    public var isTestMode: Bool { apiKey.hasPrefix("sk_test_") || apiKey.hasPrefix("rk_test_") }

    public var description: String {
        "Stripe at \(baseURL) with key \(redactedKey)" + (readerID.map { ", reader \($0)" } ?? "")
    }

    public var debugDescription: String { description }

    /// `dump` and debuggers read the mirror: it shows the redacted key only.
    public var customMirror: Mirror {
        Mirror(self, children: ["apiKey": redactedKey, "baseURL": baseURL, "readerID": readerID as Any,
                                "requestTimeout": requestTimeout, "pollInterval": pollInterval,
                                "collectTimeout": collectTimeout, "listPageSize": listPageSize])
    }
}

/// `~/.config/till/stripe.toml`: `name = "value"` lines (`secret_key`, `api_base`, `reader`), `#` comments.
struct StripeConfigFile {
    var values: [String: String]

    static func read(_ path: String) throws -> StripeConfigFile {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? 0
        guard mode & 0o077 == 0 else {
            throw CardTerminalError.notConfigured(
                "\(path) can be read by others (mode \(String(format: "%04o", mode & 0o7777))) and holds the Stripe secret key: make it owner-only with `chmod 600 \(path)`")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CardTerminalError.notConfigured("cannot read \(path)")
        }
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("[") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw CardTerminalError.notConfigured("\(path) line \(number + 1): expected name = \"value\"")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = String(value.dropFirst().dropLast())
            } else if value.count >= 2, value.first == "'", value.last == "'" {
                value = String(value.dropFirst().dropLast())
            } else {
                // The line is not repeated: it may hold the key.
                throw CardTerminalError.notConfigured("\(path) line \(number + 1): the value of \(name) must be in double quotes")
            }
            values[name] = value
        }
        return StripeConfigFile(values: values)
    }
}
