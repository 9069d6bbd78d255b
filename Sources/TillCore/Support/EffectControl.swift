import Synchronization

/// A request to stop long work (a card charge waiting for the customer, a long import), set by whoever asked for
/// the work — the app's Esc, a signal — and checked by the work at the points where stopping leaves nothing
/// half-done. Setting it is a request, not a guarantee: work past its point of no return (the card was charged)
/// finishes and says so.
public final class CancellationFlag: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    public func cancel() { requested.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { requested.load(ordering: .relaxed) }
}

/// Where long work says how far it has come ("Card: present card on the reader", "Importing 12,000 rows 40 %").
/// The app shows the latest text while the work runs; the CLI may print it.
public struct ProgressReporter: Sendable {
    private let send: @Sendable (String) -> Void

    public init(_ send: @escaping @Sendable (String) -> Void) { self.send = send }

    public func report(_ text: String) { send(text) }

    public static let silent = ProgressReporter { _ in }
}
