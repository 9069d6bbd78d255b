import Foundation

/// Where head office's database is and how to log in, as the libpq URL an administrator already has:
/// `postgresql://user:password@host:port/dbname?sslmode=require`, or `?host=/socket/dir` for a Unix socket.
///
/// The password is in here, so `description` (what logs, errors and string interpolation show) always hides it;
/// only `string` gives it back, for handing the URL on to another program.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// libpq's `sslmode` values. `allow` is read as `prefer`: both end up connected whether or not the server
    /// offers TLS, and NIO has no "try plain text first".
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable
        case prefer
        case require
        /// The certificate chain is checked, the host name is not (libpq's meaning).
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var user: String
    public var password: String?
    /// A host name or IP address (IPv6 without brackets). Unused when `socketDirectory` is set.
    public var host: String
    public var port: Int
    public var database: String
    public var sslmode: SSLMode
    /// The folder holding the server's socket file `.s.PGSQL.<port>` (libpq's `host=/path`).
    public var socketDirectory: String?
    public var applicationName: String?

    public init(user: String, password: String? = nil, host: String = "localhost", port: Int = 5432,
                database: String? = nil, sslmode: SSLMode = .prefer, socketDirectory: String? = nil,
                applicationName: String? = nil) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        // libpq's default too: a database named after the user.
        self.database = database ?? user
        self.sslmode = sslmode
        self.socketDirectory = socketDirectory
        self.applicationName = applicationName
    }

    /// Parses a `postgresql://` or `postgres://` URL. A failure says what is wrong without repeating the URL,
    /// which may hold a password.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = trimmed.range(of: "://"),
              ["postgresql", "postgres"].contains(trimmed[..<schemeEnd.lowerBound].lowercased()) else {
            throw HQError.badURL("it does not start with postgresql://")
        }
        var rest = Substring(trimmed[schemeEnd.upperBound...])

        // Userinfo ends at the last "@": a password pasted without percent-encoding often holds "@", "/" or
        // "?", and a host or database name never holds "@".
        var user: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userinfo.firstIndex(of: ":") {
                user = try Self.decode(userinfo[..<colon], "the user name")
                password = try Self.decode(userinfo[userinfo.index(after: colon)...], "the password")
            } else {
                user = try Self.decode(userinfo, "the user name")
            }
        }

        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var authority = rest
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }

        var host = ""
        var port = 5432
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw HQError.badURL("an IPv6 host lacks its closing ]") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw HQError.badURL("unexpected text after the IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = try Self.decode(authority[..<colon], "the host")
            portText = authority[authority.index(after: colon)...]
        } else {
            host = try Self.decode(authority, "the host")
        }
        if let portText, !portText.isEmpty {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw HQError.badURL("the port is not a number from 1 to 65535")
            }
            port = value
        }

        var database = try Self.decode(path, "the database name")
        var sslmode = SSLMode.prefer
        var socketDirectory: String?
        var applicationName: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try Self.decode(parts[0], "a parameter name")
            let value = parts.count > 1 ? try Self.decode(parts[1], "the \(key) parameter") : ""
            switch key {
            case "sslmode":
                guard let mode = value == "allow" ? .prefer : SSLMode(rawValue: value) else {
                    throw HQError.badURL("sslmode must be one of disable, prefer, require, verify-ca, verify-full")
                }
                sslmode = mode
            case "host":
                if value.hasPrefix("/") { socketDirectory = value } else { host = value }
            case "port":
                guard let value = Int(value), (1...65535).contains(value) else {
                    throw HQError.badURL("the port is not a number from 1 to 65535")
                }
                port = value
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "application_name": applicationName = value
            default:
                // Ignoring one (sslrootcert, say) would quietly connect in a way the administrator did not ask for.
                throw HQError.badURL("the parameter \(key) is not supported")
            }
        }
        // libpq spells a socket folder as a percent-encoded host too: postgresql://%2Fvar%2Frun%2Fpostgresql/db
        if host.hasPrefix("/") {
            socketDirectory = socketDirectory ?? host
            host = ""
        }
        guard let user, !user.isEmpty else { throw HQError.badURL("it names no user (postgresql://USER@host/db)") }
        guard !host.isEmpty || socketDirectory != nil else {
            throw HQError.badURL("it names no host (give one, or ?host=/socket/dir)")
        }
        self.init(user: user, password: password, host: host.isEmpty ? "localhost" : host, port: port,
                  database: database.isEmpty ? nil : database, sslmode: sslmode,
                  socketDirectory: socketDirectory, applicationName: applicationName)
    }

    /// The same server and database as someone else.
    public func with(user: String, password: String?) -> PostgresURL {
        var copy = self
        copy.user = user
        copy.password = password
        return copy
    }

    /// The full URL, password included, percent-encoded so that `PostgresURL(url.string)` gives `url` back.
    public var string: String { render(password: password.map(Self.encode)) }

    public var description: String { render(password: password == nil ? nil : "***") }

    /// Where the server is, for messages: `host:port`, or the socket file.
    public var endpoint: String {
        if let socketDirectory { return socketPath ?? socketDirectory }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The socket file, when connecting over a Unix socket.
    public var socketPath: String? {
        socketDirectory.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.s.PGSQL.\(port)" }
    }

    private func render(password: String?) -> String {
        var text = "postgresql://" + Self.encode(user)
        if let password { text += ":" + password }
        text += "@"
        if socketDirectory == nil {
            text += host.contains(":") ? "[\(host)]" : Self.encode(host)
        }
        text += ":\(port)/" + Self.encode(database) + "?sslmode=" + sslmode.rawValue
        if let socketDirectory { text += "&host=" + Self.encode(socketDirectory, keeping: "/") }
        if let applicationName { text += "&application_name=" + Self.encode(applicationName) }
        return text
    }

    private static func encode(_ text: String) -> String { encode(text, keeping: "") }

    private static func encode(_ text: String, keeping extra: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        allowed.insert(charactersIn: extra)
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private static func decode(_ text: Substring, _ what: String) throws -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw HQError.badURL("\(what) has a % that is not followed by two hex digits (write % as %25)")
        }
        return decoded
    }
}
