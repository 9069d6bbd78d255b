/// What the run loop needs from a terminal: its size, drawing a frame, and reading input.
public protocol Terminal: AnyObject {
    var size: ScreenSize { get }
    /// Draws `grid`, sending only what changed since `previous`.
    func draw(_ grid: CellGrid, previous: CellGrid?)
    /// Waits up to `timeoutMilliseconds` for input, then returns everything already typed (a scanner's burst
    /// arrives together).
    func readEvents(timeoutMilliseconds: Int) -> [TerminalEvent]
    /// Restores the terminal. Safe to call more than once.
    func stop()
}

public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resized(ScreenSize)
}

/// The full-screen loop: read a burst of input, update, redraw what changed; until quit or a stop signal.
public enum RunLoop {
    public static func run(driver: AppDriver, terminal: Terminal, shouldStop: () -> Bool) {
        driver.handle([.resized(terminal.size), .started])
        var previous: CellGrid?
        var frame = driver.frame
        terminal.draw(frame, previous: nil)
        previous = frame
        var lastInput = ContinuousClock.now
        while !driver.state.shouldQuit && !shouldStop() {
            var events = terminal.readEvents(timeoutMilliseconds: 250).map { event -> Action in
                switch event {
                case let .key(key): return .key(key)
                case let .resized(size): return .resized(size)
                }
            }
            if events.contains(where: { if case .key = $0 { return true } else { return false } }) {
                lastInput = .now
            } else if driver.state.store.idleLockMinutes > 0, driver.state.signIn == nil, driver.state.store.staffID != nil,
                      ContinuousClock.now - lastInput >= .seconds(driver.state.store.idleLockMinutes * 60) {
                events.append(.idle)
            }
            guard !events.isEmpty else { continue }
            driver.handle(events)
            frame = driver.frame
            let resized = previous.map { $0.width != frame.width || $0.height != frame.height } ?? true
            terminal.draw(frame, previous: resized ? nil : previous)
            previous = frame
        }
    }
}
