import Foundation
import Synchronization
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// A scale that says what it is told to, in order (the last answer repeats): for the weighing states that pass
/// too quickly to catch on a real port.
final class ScriptedScale: WeighingScale, Sendable {
    let label = "/dev/ttyTEST (MT-SICS 9600 8N1)"
    private let answers: Mutex<[ScaleReading]>
    private let asked = Atomic<Int>(0)

    init(_ answers: ScaleReading...) { self.answers = Mutex(answers) }

    var reads: Int { asked.load(ordering: .relaxed) }

    func read() -> ScaleReading {
        asked.add(1, ordering: .relaxed)
        return answers.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] }
    }
}

/// A scale that does not answer until told to: the key loop must go on meanwhile.
final class StuckScale: WeighingScale, Sendable {
    let label = "/dev/ttySTUCK (MT-SICS 9600 8N1)"
    let release = DispatchSemaphore(value: 0)

    func read() -> ScaleReading {
        release.wait()
        return .stable(Quantity(milli: 700))
    }
}

/// The weight prompt reading the register's scale: the weight filled in when stable, "Weighing…" while it
/// moves, a refusal in plain words, and typing the weight by hand always possible.
@Suite struct WeighingTests {
    static func app(scale: WeighingScale?, prepare: (StoreDatabase) throws -> Void = { _ in }) throws -> AppDriver {
        let store = try TestStores.demoStore()
        try prepare(store)
        let staffID = try Staff(store: store).member(username: "ana").id
        let settings = try store.read { db in try StoreSettings.load(db) }
        var info = StoreInfo(name: settings.name, currency: settings.currency, taxInclusive: settings.taxInclusive,
                             staff: "ana (cashier)", staffID: staffID)
        info.scale = scale?.label
        let driver = AppDriver(state: AppState(store: info, size: ScreenSize(width: 80, height: 24)), theme: try Theme.load("default"),
                               runner: EffectRunner(store: store, staffID: staffID, scale: scale, scalePause: .zero,
                                                    clock: { TestApp.clock }))
        driver.start()
        return driver
    }

    @Test func aStableWeightIsFilledInAndEnterAddsIt() throws {
        let app = try Self.app(scale: ScriptedScale(.stable(Quantity(milli: 450))))
        app.type("PRO-001")
        app.press(.enter)
        #expect(app.state.register.prompt == .weight(sku: "PRO-001", name: "Bananas"))
        #expect(app.state.register.input == "0.450")
        #expect(app.state.register.weighing?.status == .weighed(Quantity(milli: 450)))
        TestApp.expectScreen(app, "weighing-stable-80x24", styles: true)
        app.press(.enter)
        #expect(app.state.register.prompt == nil)
        #expect(app.state.register.lines.map(\.quantity) == [Quantity(milli: 450)])
        #expect(app.state.register.weighing == nil)
    }

    @Test func aMovingLoadIsAskedAboutUntilItSettles() throws {
        let scale = ScriptedScale(.moving, .moving, .refused(.empty), .stable(Quantity(milli: 452)))
        let app = try Self.app(scale: scale)
        app.type("PRO-001")
        app.press(.enter)
        #expect(app.state.register.input == "0.452")
        #expect(scale.reads == 4)
        // The moment in between, as drawn: the prompt waits, saying why.
        var moving = app.state
        moving.register.input = ""
        moving.register.weighing?.status = .moving
        moving.message = nil
        let screen = AppView.render(moving, theme: app.theme).text
        #expect(screen.contains("Weighing… (steady the item)"))
        if let difference = GoldenFile.check(screen, name: "weighing-moving-80x24", directory: TestApp.goldenDirectory) {
            Issue.record(Comment(rawValue: difference))
        }
    }

    @Test func aLoadThatNeverSettlesIsSaidToBeMovingAndTypingStillWorks() throws {
        let scale = ScriptedScale(.moving)
        let app = try Self.app(scale: scale)
        app.type("PRO-001")
        app.press(.enter)
        #expect(scale.reads == Weighing.maxAttempts)
        #expect(app.state.register.weighing?.status == .refused(ScaleRefusal.stillMoving.summary))
        #expect(app.state.message?.isError == true)
        #expect(app.screen.contains("Scale: the scale is still moving"))
        app.type("0.455")
        #expect(app.state.register.weighing == nil)
        app.press(.enter)
        #expect(app.state.register.lines.map(\.quantity) == [Quantity(milli: 455)])
    }

    @Test func overloadIsRefusedInPlainWordsAndCtrlWWeighsAgain() throws {
        let scale = ScriptedScale(.refused(.overCapacity), .stable(Quantity(milli: 1250)))
        let app = try Self.app(scale: scale)
        app.type("PRO-001")
        app.press(.enter)
        #expect(app.state.register.input == "")
        #expect(app.state.message == .error("Scale: the item is over the scale's capacity. Ctrl-W weighs again, or type the weight."))
        TestApp.expectScreen(app, "weighing-overload-80x24", styles: true)
        app.press(.control("w"))
        #expect(app.state.register.input == "1.250")
        app.press(.enter)
        #expect(app.state.register.lines.map(\.quantity) == [Quantity(milli: 1250)])
    }

    @Test func underloadSaysToZeroTheScale() throws {
        let app = try Self.app(scale: ScriptedScale(.refused(.belowZero)))
        app.type("PRO-001")
        app.press(.enter)
        #expect(app.screen.contains("Scale: the scale reads below zero — zero the scale"))
        TestApp.expectScreen(app, "weighing-underload-80x24")
    }

    @Test func typingOverTheScalesWeightReplacesIt() throws {
        let app = try Self.app(scale: ScriptedScale(.stable(Quantity(milli: 450))))
        app.type("PRO-001")
        app.press(.enter)
        app.type("0.5")
        #expect(app.state.register.input == "0.5")
        #expect(app.state.register.weighing == nil)
        app.press(.enter)
        #expect(app.state.register.lines.map(\.quantity) == [Quantity(milli: 500)])
    }

    @Test func withoutAScaleTheWeightIsTypedAndCtrlWSaysWhy() throws {
        let app = try Self.app(scale: nil)
        app.type("PRO-001")
        app.press(.enter)
        #expect(app.state.register.weighing == nil)
        app.press(.control("w"))
        #expect(app.state.message?.text.contains("no scale is set up for this register") == true)
        app.type("0.3")
        app.press(.enter)
        #expect(app.state.register.lines.map(\.quantity) == [Quantity(milli: 300)])
    }

    @Test func theKeyLoopNeverWaitsForTheScale() throws {
        let scale = StuckScale()
        let app = try Self.app(scale: scale)
        app.send("PRO-001".map { .key(.character($0)) } + [.key(.enter)])
        #expect(!app.settle(timeout: .milliseconds(500)))  // the scale has not answered
        #expect(app.state.register.prompt == .weight(sku: "PRO-001", name: "Bananas"))
        TestApp.expectScreen(app, "weighing-reading-80x24")
        // Typed by hand while the scale says nothing: taken at once, and the late answer is not.
        app.send("0.3".map { .key(.character($0)) })
        app.drain()
        #expect(app.state.register.input == "0.3")
        scale.release.signal()
        #expect(app.settle(timeout: .seconds(5)))
        #expect(app.state.register.input == "0.3")
        app.press(.enter)
        #expect(app.state.register.lines.map(\.quantity) == [Quantity(milli: 300)])
    }

    @Test func theRealScaleOnAPtyWithTheItemsContainerTare() throws {
        let fake = try FakeScale(.stable(milligrams: 465_000))
        let app = try Self.app(scale: Scale(device: fake.path, answerTimeout: .milliseconds(500))) { store in
            try RegisterScales(store: store).setTare(sku: "PRO-001", Quantity(milli: 15), TillContext())
        }
        app.type("PRO-001")
        app.press(.enter)
        #expect(app.state.register.input == "0.450")
        #expect(fake.received.prefix(2) == ["SI", "S"])
        // An answer for an item the cashier has left is never taken for the next.
        fake.state = .overload
        app.press(.escape)
        app.type("PRO-002")
        app.press(.enter)
        #expect(app.state.register.prompt == .weight(sku: "PRO-002", name: "Gala Apples"))
        #expect(app.state.register.weighing?.status == .refused(ScaleRefusal.overCapacity.summary))
        #expect(app.state.register.input == "")
    }
}
