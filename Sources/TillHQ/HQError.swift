import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// What went wrong talking to head office, in words a till's operator can act on. No case ever carries the
/// password: the texts come from the URL's redacted form, from the server's own message, or from the transport.
public enum HQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL could not be read.
    case badURL(String)
    /// No usable connection: refused, timed out, TLS failed, or the connection dropped. Whatever was sent
    /// last may or may not have been applied.
    case unreachable(String)
    /// The server answered with an error (`sqlState` is its five-character SQLSTATE code).
    case refused(sqlState: String, message: String)
    /// Something the client could not make sense of, or was asked to do wrongly.
    case invalid(String)

    public var description: String {
        switch self {
        case .badURL(let reason): return "not a usable PostgreSQL URL: \(reason)"
        case .unreachable(let reason): return reason
        case .refused(let sqlState, let message): return "head office refused: \(message) (SQLSTATE \(sqlState))"
        case .invalid(let reason): return reason
        }
    }

    /// The role lacks a privilege, or row-level security hid the row (SQLSTATE 42501).
    public var isPermissionDenied: Bool {
        if case .refused(let sqlState, _) = self { return sqlState == "42501" }
        return false
    }

    /// A network or connection failure rather than an answer: worth retrying later, on a new connection.
    public var isTransport: Bool {
        if case .unreachable = self { return true }
        return false
    }

    /// `error`, from postgres-nio or NIO, in Till's terms. `endpoint` is `host:port` or the socket file.
    static func from(_ error: any Error, endpoint: String) -> HQError {
        if let error = error as? HQError { return error }
        if let error = error as? PSQLError { return from(error, endpoint: endpoint) }
        return .unreachable("cannot reach head office at \(endpoint): \(transportReason(error))")
    }

    private static func from(_ error: PSQLError, endpoint: String) -> HQError {
        switch error.code {
        case .server:
            let sqlState = error.serverInfo?[.sqlState] ?? "XX000"
            let message = error.serverInfo?[.message] ?? "an error without a message"
            // Class 08 and the shutdown codes arrive as the server ends the connection: the session is gone,
            // which is what a caller must hear, rather than an ordinary refusal it could retry on the same
            // connection.
            if sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState) {
                return .unreachable("head office at \(endpoint) ended the connection: \(message) (SQLSTATE \(sqlState))")
            }
            return .refused(sqlState: sqlState, message: message)
        case .connectionError:
            return .unreachable("cannot reach head office at \(endpoint): \(transportReason(error.underlying))")
        case .serverClosedConnection, .uncleanShutdown:
            return .unreachable("the connection to head office at \(endpoint) dropped")
        case .clientClosedConnection:
            return .unreachable("the connection to head office at \(endpoint) is closed")
        case .sslUnsupported:
            return .unreachable("head office at \(endpoint) does not offer TLS, and the URL's sslmode requires it")
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return .unreachable("TLS with head office at \(endpoint) failed: \(transportReason(error.underlying))")
        case .authMechanismRequiresPassword:
            return .invalid("head office at \(endpoint) asks for a password and the URL has none")
        case .unsupportedAuthMechanism:
            return .invalid("head office at \(endpoint) asks for a login method Till does not speak")
        case .saslError:
            return .invalid("the SCRAM login with head office at \(endpoint) failed: \(transportReason(error.underlying))")
        case .tooManyParameters:
            return .invalid("a query has more than 65535 parameters")
        case .queryCancelled:
            return .unreachable("a query to head office at \(endpoint) was cancelled")
        default:
            // PSQLError's description is generic on purpose; its code names the kind of failure.
            return .invalid("unexpected answer from head office at \(endpoint) (\(error.code))")
        }
    }

    /// A short cause from NIO's errors. Only codes and fixed texts: an underlying error's full description
    /// could in principle echo what was sent.
    static func transportReason(_ error: (any Error)?) -> String {
        guard let error else { return "no reason given" }
        if let error = error as? PSQLError { return "\(error.code)" }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout(let amount): return "no connection within \(seconds(amount))"
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed: return "the connection was closed"
            default: return "channel error"
            }
        }
        if let error = error as? IOError {
            // IOError's description repeats its context ("connection reset (error set): …"): say the cause.
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused (is PostgreSQL running there?)"
            case ECONNRESET: return "the connection was reset"
            case ETIMEDOUT: return "timed out"
            case EHOSTUNREACH, ENETUNREACH: return "no route to the host (network down?)"
            case ENOENT: return "no such socket"
            default: return String(cString: strerror(error.errnoCode))
            }
        }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return transportReason(first.error) }
            return error.dnsAError != nil || error.dnsAAAAError != nil ? "the host name did not resolve" : "cannot connect"
        }
        if error is NIOSSLError || error is BoringSSLError { return "TLS: \(error)" }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        return String(describing: type(of: error))
    }

    /// "30 s", "0.5 s": timeouts in messages.
    static func seconds(_ amount: TimeAmount) -> String {
        let value = Double(amount.nanoseconds) / 1_000_000_000
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
