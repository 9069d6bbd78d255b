import Dispatch
import Foundation
import TillCore

/// Runs what the HQ app's reducer asks of head office, off the key loop, and answers with an action.
public struct HQEffectRunner: Sendable {
    public let browser: any HeadOfficeBrowser

    public init(browser: any HeadOfficeBrowser) { self.browser = browser }

    public func run(_ effect: HQEffect) -> HQAction {
        switch effect {
        case .loadCurrency:
            return .currencyLoaded(answer { try browser.currency })
        case let .searchOrders(filter, generation):
            return .ordersLoaded(generation: generation, answer { try browser.orders(filter) })
        case let .loadOrder(chainNumber):
            return .orderLoaded(chainNumber: chainNumber, answer { try browser.order(chainNumber: chainNumber) })
        case let .findProducts(text, generation):
            return .productsLoaded(generation: generation, answer {
                try browser.products(matching: text, limit: 200).map { HQProductMatch(sku: $0.sku, name: $0.name) }
            })
        case let .loadStock(sku, generation):
            return .stockLoaded(generation: generation, sku: sku, answer { try browser.stock(sku: sku) })
        }
    }

    private func answer<Value>(_ body: () throws -> Value) -> HQAnswer<Value> {
        do {
            return .value(try body())
        } catch let error as HeadOfficeUnreachable {
            return .unreachable(error.reason)
        } catch {
            return .refused("\(error)")
        }
    }
}

/// The HQ app without a terminal, as `AppDriver` is for a store: state, reducer, runner and renderer wired
/// together; the run loop and the headless tests both drive it. Every effect is a read, so they run side by
/// side and a stale answer is dropped by the reducer (each search carries its number).
public final class HQAppDriver {
    public private(set) var state: HQAppState
    public let theme: Theme
    let runner: HQEffectRunner
    private let inbox = EffectInbox<HQAction>()
    private let queue = DispatchQueue(label: "till.hq.reads", attributes: .concurrent)
    private var inFlight = 0

    public init(state: HQAppState, theme: Theme, runner: HQEffectRunner) {
        self.state = state
        self.theme = theme
        self.runner = runner
    }

    public var wakeDescriptor: Int32 { inbox.pipe.read }
    public var isBusy: Bool { inFlight > 0 }

    public func send(_ actions: [HQAction]) {
        for action in actions { reduce(action) }
    }

    @discardableResult
    public func drain() -> Bool {
        let messages = inbox.takeAll()
        for message in messages {
            if case let .finished(_, action) = message {
                inFlight -= 1
                if let action { reduce(action) }
            }
        }
        return !messages.isEmpty
    }

    /// Waits until every question to HQ has been answered and applied, or `timeout` has passed.
    @discardableResult
    public func settle(timeout: Duration = .seconds(30)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        drain()
        while isBusy {
            guard ContinuousClock.now < deadline else { return false }
            inbox.wait(milliseconds: 100)
            drain()
        }
        return true
    }

    public func handle(_ actions: [HQAction]) {
        send(actions)
        settle()
    }

    public func start() { handle([.started]) }
    public func press(_ keys: Key...) { handle(keys.map { .key($0) }) }
    public func type(_ text: String) { handle(text.map { .key(.character($0)) }) }
    public func resize(width: Int, height: Int) { handle([.resized(ScreenSize(width: width, height: height))]) }

    public var frame: CellGrid { HQAppView.render(state, theme: theme) }
    public var screen: String { frame.text }

    private func reduce(_ action: HQAction) {
        for effect in HQAppReducer.reduce(&state, action) {
            inFlight += 1
            let runner = self.runner, inbox = self.inbox
            queue.async { inbox.post(.finished(id: 0, runner.run(effect))) }
        }
    }
}

/// The HQ app's full-screen loop: a key or HQ's answer, update, redraw what changed; until Ctrl-Q or a signal.
public enum HQRunLoop {
    public static func run(driver: HQAppDriver, terminal: Terminal, shouldStop: () -> Bool) {
        driver.send([.resized(terminal.size), .started])
        driver.settle(timeout: .milliseconds(200))
        var previous = driver.frame
        terminal.draw(previous, previous: nil)
        while !driver.state.shouldQuit && !shouldStop() {
            let events = terminal.readEvents(timeoutMilliseconds: 250, wake: driver.wakeDescriptor).map { event -> HQAction in
                switch event {
                case let .key(key): return .key(key)
                case let .resized(size): return .resized(size)
                }
            }
            driver.send(events)
            let answered = driver.drain()
            if driver.isBusy { driver.settle(timeout: .milliseconds(30)) }
            guard !events.isEmpty || answered else { continue }
            let frame = driver.frame
            guard frame != previous else { continue }
            let resized = previous.width != frame.width || previous.height != frame.height
            terminal.draw(frame, previous: resized ? nil : previous)
            previous = frame
        }
    }
}
