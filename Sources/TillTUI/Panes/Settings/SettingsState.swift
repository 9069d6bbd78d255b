import TillCore

/// The settings overlay (Ctrl-O; an admin's): the tax classes with their rates now and to come. nil in
/// `AppState.settings` when closed.
public struct SettingsState: Equatable, Sendable {
    public var classes: [TaxClassRates] = []
    public var selected = 0
    /// Why nothing is shown (not allowed, say).
    public var problem: String?
    public var prompt: SettingsPrompt?
    public var input = ""
    /// Until the first answer comes back.
    public var loading = true

    public init() {}

    public var selectedClass: TaxClassRates? { classes.indices.contains(selected) ? classes[selected] : nil }
}

/// What the one-line prompt at the foot of the overlay is asking.
public enum SettingsPrompt: Equatable, Sendable {
    case addClass
    case setRate(code: String)
    case confirmArchive(code: String)

    var label: String {
        switch self {
        case .addClass: return "New class — CODE RATE NAME (e.g. books 7 Books and papers): "
        case let .setRate(code): return "\(code) — RATE [FROM YYYY-MM-DD] (no date: from now): "
        case let .confirmArchive(code): return "Archive \(code)? Enter archives, Esc keeps it "
        }
    }
}

/// The settings work the effect runner does against TillCore.
public enum SettingsEffect: Equatable, Sendable {
    case load
    case addClass(code: String, name: String, rate: String)
    /// `from` as typed (`YYYY-MM-DD`), nil for now; TillCore reads it.
    case setRate(code: String, rate: String, from: String?)
    case archive(code: String)
}
