import Dispatch
import Foundation
import TillCore

/// The app without a terminal: state, the reducer, the effect runner and the renderer wired together. The real
/// terminal loop and the headless tests both drive this, so what a test sees is what a person sees.
///
/// Effects run off the key loop, as bubbletea runs its commands: the reducer's effects are handed to worker
/// queues and their answers come back as actions through an inbox that `drain` applies on the loop's thread.
/// Look-ups run side by side and a stale one is dropped; changes to the store run one at a time in the order
/// asked; long changes (a card charge) show their progress and can be asked to stop with Esc. State is only
/// ever changed here, on the thread that calls `send`/`drain`.
public final class AppDriver {
    public private(set) var state: AppState
    public let theme: Theme
    let runner: EffectRunner

    private let inbox = EffectInbox<Action>()
    private let generations = SlotGenerations()
    /// Changes to the store, one at a time, in the order the reducer asked for them.
    private let writes = DispatchQueue(label: "till.effects.writes")
    /// Look-ups; the pool's readers let them run beside each other and beside a change.
    private let reads = DispatchQueue(label: "till.effects.reads", attributes: .concurrent)
    /// Receipt printing: one job at a time, so two receipts never interleave on one printer.
    private let background = DispatchQueue(label: "till.effects.background")
    private var nextID = 1
    private var inFlight: [Int: EffectKind] = [:]
    private var cancellations: [Int: CancellationFlag] = [:]
    /// Keys that came while a quick change was running; applied, in order, when it answers.
    private var held: [Action] = []

    public init(state: AppState, theme: Theme, runner: EffectRunner) {
        self.state = state
        self.theme = theme
        self.runner = runner
    }

    /// The pipe the run loop waits on beside the terminal: readable when an effect has answered.
    public var wakeDescriptor: Int32 { inbox.pipe.read }

    /// Whether anything is still running or waiting to be applied.
    public var isBusy: Bool { !inFlight.isEmpty || !held.isEmpty }

    /// Starts the app: loads what the first screens show.
    public func start() { handle([.started]) }

    /// Applies actions and starts their effects without waiting for them (the run loop's way).
    public func send(_ actions: [Action]) {
        for action in actions { apply(action) }
    }

    /// Applies what effects have answered so far, and the keys that were waiting for them; true when anything
    /// arrived.
    @discardableResult
    public func drain() -> Bool {
        let messages = inbox.takeAll()
        for message in messages {
            switch message {
            case let .progress(id, text):
                reduce(.effectProgress(id: id, text))
            case let .finished(id, action):
                let kind = inFlight.removeValue(forKey: id)
                cancellations[id] = nil
                if case .long = kind { reduce(.effectFinished(id: id)) }
                if let action { reduce(action) }
            }
        }
        releaseHeld()
        return !messages.isEmpty
    }

    /// Waits until every effect has answered and been applied, or `timeout` has passed; true when settled.
    /// Tests use it after each key (through `handle`); the run loop gives quick effects a few milliseconds so
    /// a scan is drawn in one frame, not as "before" and then "after".
    @discardableResult
    public func settle(timeout: Duration = .seconds(60)) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        drain()
        while isBusy {
            let left = deadline - clock.now
            guard left > .zero else { return false }
            let milliseconds = max(1, Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            inbox.wait(milliseconds: min(milliseconds, 250))
            drain()
        }
        return true
    }

    /// Applies a burst of actions and waits for everything they start to finish: what a test wants after each
    /// key. The run loop uses `send` and `drain` instead, so the screen is drawn while work runs.
    public func handle(_ actions: [Action]) {
        send(actions)
        settle()
    }

    public func press(_ keys: Key...) { handle(keys.map { .key($0) }) }

    /// Types text one character at a time, as a keyboard or a barcode scanner does, in one burst.
    public func type(_ text: String) { handle(text.map { .key(.character($0)) }) }

    public func resize(width: Int, height: Int) { handle([.resized(ScreenSize(width: width, height: height))]) }

    public var frame: CellGrid { AppView.render(state, theme: theme) }

    /// The screen as text, as a test or a person reading it sees it.
    public var screen: String { frame.text }

    // MARK: - Running effects

    /// A quick change is running: keys must wait for the state it leaves.
    private var isWriting: Bool { inFlight.values.contains(.write) }

    private func apply(_ action: Action) {
        if case .resized = action {
            reduce(action)
        } else if isWriting || !held.isEmpty {
            held.append(action)
        } else {
            reduce(action)
        }
    }

    private func releaseHeld() {
        while !held.isEmpty && !isWriting {
            reduce(held.removeFirst())
        }
    }

    private func reduce(_ action: Action) {
        for effect in AppReducer.reduce(&state, action) { start(effect) }
    }

    private func start(_ effect: Effect) {
        if case let .cancelRunning(id) = effect {
            cancellations[id]?.cancel()
            return
        }
        if case let .presentToReader(action) = effect {
            runner.simulatedCustomer?.choose(action)
            return
        }
        let id = nextID
        nextID += 1
        let kind = effect.kind
        inFlight[id] = kind
        let cancellation = CancellationFlag()
        cancellations[id] = cancellation
        let slot = effect.slot
        if let slot { generations.issue(slot, id: id) }
        if case let .long(progress, cancellable) = kind {
            var collectsCard = false
            if case .payCard = effect { collectsCard = true }
            reduce(.effectStarted(RunningEffect(id: id, progress: progress, cancellable: cancellable, collectsCard: collectsCard)))
        }
        let runner = self.runner
        let inbox = self.inbox
        let generations = self.generations
        let progress = ProgressReporter { text in inbox.post(.progress(id: id, text)) }
        let isRead = kind == .read
        (isRead ? reads : kind == .background ? background : writes).async {
            // A search typed past before it started is not run, and one typed past while it ran is not shown.
            if isRead, let slot, !generations.isLatest(slot, id: id) {
                inbox.post(.finished(id: id, nil))
                return
            }
            let answer = runner.run(effect, cancellation: cancellation, progress: progress)
            let stale = isRead && slot.map { !generations.isLatest($0, id: id) } ?? false
            inbox.post(.finished(id: id, stale ? nil : answer))
        }
    }
}
