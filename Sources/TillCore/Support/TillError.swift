import Foundation

/// Every failure a user or a script can cause. `description` is the one line Till prints: it names what went
/// wrong and where, with no stack trace.
public enum TillError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case invalidAmount(String, reason: String)
    case invalidQuantity(String, reason: String)
    case overflow(String)
    case currencyMismatch(String, String)
    case unknownCurrency(String)
    case notFound(String)
    case duplicate(String)
    case invalid(String)
    case importFailed([ImportIssue])
    case storeExists(String)
    case storeMissing(String)
    case storage(String)
    case permissionDenied(String)

    public var description: String {
        switch self {
        case let .invalidAmount(text, reason): return "invalid amount \"\(text)\": \(reason)"
        case let .invalidQuantity(text, reason): return "invalid quantity \"\(text)\": \(reason)"
        case let .overflow(what): return "amount too large: \(what)"
        case let .currencyMismatch(a, b): return "cannot combine amounts in \(a) and \(b)"
        case let .unknownCurrency(code): return "unknown currency code \"\(code)\" (use an ISO-4217 code such as EUR, USD, JPY)"
        case let .notFound(what): return "\(what) not found"
        case let .duplicate(what): return "\(what) already exists"
        case let .invalid(what): return what
        case let .importFailed(issues):
            let shown = issues.prefix(50).map(\.description).joined(separator: "\n")
            let more = issues.count > 50 ? "\n… and \(issues.count - 50) more" : ""
            return "import failed, nothing was imported (\(issues.count) bad row\(issues.count == 1 ? "" : "s")):\n\(shown)\(more)"
        case let .storeExists(path): return "a store already exists at \(path) (use --force to replace it)"
        case let .storeMissing(path): return "no store at \(path) (create one with `till init`)"
        case let .storage(what): return what
        case let .permissionDenied(what): return "not allowed: \(what)"
        }
    }

    public var errorDescription: String? { description }
}

/// One bad row of an import, reported as `file:line: column: reason`.
public struct ImportIssue: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: String
    public var reason: String

    public init(file: String, line: Int, column: String, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(file):\(line): \(column): \(reason)" }
}
