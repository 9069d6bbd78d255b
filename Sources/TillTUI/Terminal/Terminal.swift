/// What the run loop needs from a terminal: its size, drawing a frame, and reading input.
public protocol Terminal: AnyObject {
    var size: ScreenSize { get }
    /// Draws `grid`, sending only what changed since `previous`.
    func draw(_ grid: CellGrid, previous: CellGrid?)
    /// Waits up to `timeoutMilliseconds` for input — or until `wake` (a pipe an effect writes to when it
    /// answers) is readable — then returns everything already typed (a scanner's burst arrives together).
    func readEvents(timeoutMilliseconds: Int, wake: Int32) -> [TerminalEvent]
    /// Restores the terminal. Safe to call more than once.
    func stop()
}

public enum TerminalEvent: Equatable, Sendable {
    case key(Key)
    case resized(ScreenSize)
}

/// The full-screen loop: wait for a key or an effect's answer, update, redraw what changed; until quit or a stop
/// signal. Effects run off this loop (see `AppDriver`), so the screen is drawn while a card waits for the
/// customer and Esc reaches the charge while it runs.
public enum RunLoop {
    /// How long quick effects (a scan, a search) get before the frame is drawn, so it shows their answer, not
    /// the moment before it. Long work is drawn with its progress once this has passed.
    static let quickEffectWait: Duration = .milliseconds(30)
    /// How often the status bar's link to head office is read again.
    static let chainLookInterval: Duration = .seconds(5)

    public static func run(driver: AppDriver, terminal: Terminal, shouldStop: () -> Bool) {
        driver.send([.resized(terminal.size), .started])
        driver.settle(timeout: quickEffectWait)
        var previous: CellGrid?
        var frame = driver.frame
        terminal.draw(frame, previous: nil)
        previous = frame
        var lastInput = ContinuousClock.now
        var lastChainLook = ContinuousClock.now
        while !driver.state.shouldQuit && !shouldStop() {
            var events = terminal.readEvents(timeoutMilliseconds: 250, wake: driver.wakeDescriptor).map { event -> Action in
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
            // A chain store's "HQ ✓ 2 min ago" ages, and the sync agent changes it from another process.
            if ContinuousClock.now - lastChainLook >= chainLookInterval {
                lastChainLook = .now
                events.append(.chainTick)
            }
            driver.send(events)
            let answered = driver.drain()
            if driver.isBusy { driver.settle(timeout: quickEffectWait) }
            // A quiet tick (no key, no answer) changes nothing on screen.
            guard !events.isEmpty || answered || driver.isBusy else { continue }
            frame = driver.frame
            guard frame != previous else { continue }
            let resized = previous.map { $0.width != frame.width || $0.height != frame.height } ?? true
            terminal.draw(frame, previous: resized ? nil : previous)
            previous = frame
        }
    }
}
