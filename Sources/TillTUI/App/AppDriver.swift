/// The app without a terminal: state, the reducer, the effect runner and the renderer wired together. The real
/// terminal loop and the headless tests both drive this, so what a test sees is what a person sees.
public final class AppDriver {
    public private(set) var state: AppState
    public let theme: Theme
    let runner: EffectRunner

    public init(state: AppState, theme: Theme, runner: EffectRunner) {
        self.state = state
        self.theme = theme
        self.runner = runner
    }

    /// Starts the app: loads what the first screens show.
    public func start() { handle([.started]) }

    /// Applies a burst of actions, then runs their effects. Searches of the same kind replace each other, so
    /// typing ten letters fast costs one query, not ten.
    public func handle(_ actions: [Action]) {
        var pending: [Effect] = []
        func enqueue(_ effects: [Effect]) {
            for effect in effects {
                if let slot = effect.slot { pending.removeAll { $0.slot == slot } }
                pending.append(effect)
            }
        }
        for action in actions { enqueue(AppReducer.reduce(&state, action)) }
        var rounds = 0
        while !pending.isEmpty && rounds < 100 {
            let effect = pending.removeFirst()
            enqueue(AppReducer.reduce(&state, runner.run(effect)))
            rounds += 1
        }
    }

    public func press(_ keys: Key...) { handle(keys.map { .key($0) }) }

    /// Types text one character at a time, as a keyboard or a barcode scanner does, in one burst.
    public func type(_ text: String) { handle(text.map { .key(.character($0)) }) }

    public func resize(width: Int, height: Int) { handle([.resized(ScreenSize(width: width, height: height))]) }

    public var frame: CellGrid { AppView.render(state, theme: theme) }

    /// The screen as text, as a test or a person reading it sees it.
    public var screen: String { frame.text }
}
