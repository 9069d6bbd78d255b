import Foundation
import Testing
import TillTestSupport
@testable import TillCore

/// The till's scale reader against the fake MT-SICS scale on a pty, in each state a counter scale gets into.
@Suite struct ScaleTests {
    func scale(_ fake: FakeScale, timeout: Duration = .milliseconds(300)) -> Scale {
        Scale(device: fake.path, answerTimeout: timeout)
    }

    @Test func aStableWeightIsRead() throws {
        let fake = try FakeScale(.stable(milligrams: 450_000))
        let scale = scale(fake)
        #expect(scale.read() == .stable(Quantity(milli: 450)))
        #expect(try scale.stableWeight(timeout: .seconds(1)) == Quantity(milli: 450))
        #expect(fake.received.prefix(2) == ["SI", "S"])  // the weight taken is S's, once SI says it is still
        // In grams, to a tenth of a gram: whole grams, half towards zero.
        fake.state = .stable(milligrams: 1_234_500, unit: .g, decimals: 1)
        #expect(scale.read() == .stable(Quantity(milli: 1234)))
    }

    @Test func motionIsAskedAboutUntilItSettlesOrTimeIsUp() throws {
        let fake = try FakeScale(.moving(milligrams: 452_000))
        let scale = scale(fake)
        #expect(scale.read() == .moving)
        #expect(fake.received == ["SI"])  // S would wait on the scale's own stability timer
        #expect(throws: ScaleRefusal.stillMoving) { try scale.stableWeight(timeout: .milliseconds(300), pause: .milliseconds(50)) }
        fake.state = .settling(requests: 3, milligrams: 451_000)
        #expect(try scale.stableWeight(timeout: .seconds(5), pause: .milliseconds(10)) == Quantity(milli: 451))
    }

    @Test func overloadUnderloadAndNothingOnThePanAreRefused() throws {
        let fake = try FakeScale(.overload)
        let scale = scale(fake)
        #expect(scale.read() == .refused(.overCapacity))
        #expect(throws: ScaleRefusal.overCapacity) { try scale.stableWeight() }
        fake.state = .underload
        #expect(scale.read() == .refused(.belowZero))
        fake.state = .stable(milligrams: -12_000)
        #expect(scale.read() == .refused(.belowZero))
        fake.state = .stable(milligrams: 0)
        #expect(scale.read() == .refused(.empty))
        #expect(ScaleRefusal.overCapacity.description == "the item is over the scale's capacity: weigh it in parts, or on a bigger scale")
        #expect(ScaleRefusal.belowZero.description.contains("zero the scale"))
    }

    @Test func silenceNoiseAndPoundsAreRefusedInBoundedTime() throws {
        let fake = try FakeScale(.silent)
        let scale = scale(fake, timeout: .milliseconds(200))
        let started = ContinuousClock.now
        #expect(scale.read() == .refused(.noAnswer(device: fake.path)))
        #expect(ContinuousClock.now - started < .seconds(2))
        fake.state = .garbage
        guard case let .refused(.notUnderstood(what)) = scale.read() else {
            Issue.record("noise was taken for a weight")
            return
        }
        #expect(what.hasPrefix("\"?#??@!x7"))
        fake.state = .pounds(milligrams: 453_592)
        #expect(scale.read() == .refused(.unit("lb")))
    }

    @Test func theScalesTareIsHonoured() throws {
        // A 65 g tub on the pan, tared: what goes in it is weighed net.
        let fake = try FakeScale(.stable(milligrams: 65_000))
        let scale = scale(fake)
        #expect(try scale.tare() == Quantity(milli: 65))
        #expect(fake.tare == 65_000)
        fake.state = .stable(milligrams: 515_000)
        #expect(scale.read() == .stable(Quantity(milli: 450)))
        // Tare refused while moving; zero clears it.
        fake.state = .moving(milligrams: 515_000)
        #expect(throws: ScaleRefusal.stillMoving) { try scale.tare() }
        fake.state = .stable(milligrams: 0)
        try scale.zero()
        #expect(fake.tare == 0)
        #expect(try scale.serialNumber() == fake.serialNumber)
    }

    @Test func aContainersWeightComesOffTheReading() {
        let tub = Quantity(milli: 15)
        #expect(ScaleReading.stable(Quantity(milli: 465)).less(tare: tub) == .stable(Quantity(milli: 450)))
        #expect(ScaleReading.stable(Quantity(milli: 15)).less(tare: tub) == .refused(.belowTare(tare: tub)))
        #expect(ScaleReading.moving.less(tare: tub) == .moving)
        #expect(ScaleReading.stable(Quantity(milli: 465)).less(tare: nil) == .stable(Quantity(milli: 465)))
    }

    @Test func aPortThatIsNotThereIsSaidPlainly() {
        let scale = Scale(device: "/dev/no-such-scale", answerTimeout: .milliseconds(100))
        guard case let .refused(.unavailable(reason)) = scale.read() else {
            Issue.record("a missing port read as something")
            return
        }
        #expect(reason.contains("cannot open the scale's port /dev/no-such-scale"))
    }

    @Test func registersScalesAndContainersAreStoreSettings() throws {
        let store = try TestStores.demoStore()
        let scales = RegisterScales(store: store)
        let admin = TestStores.context(store, staffID: nil)
        let set = try scales.set(register: "main", device: "/dev/ttyUSB0", baud: 4800, framing: try SerialFraming.parse("7E1"), admin)
        #expect(set.label == "/dev/ttyUSB0 (MT-SICS 4800 7E1)")
        #expect(try scales.scale(for: "main")?.framing == SerialFraming(dataBits: 7, parity: .even, stopBits: 1))
        #expect(throws: TillError.invalid("/dev/ttyUSB0 is register main's scale; two tills never read one scale — remove it there first (till scale remove main)")) {
            try scales.set(register: "back", device: "/dev/ttyUSB0", admin)
        }
        #expect(throws: TillError.invalid("\"ttyUSB0\" is not a device path: give the scale's serial port, e.g. /dev/ttyUSB0 or /dev/serial/by-id/…")) {
            try scales.set(register: "back", device: "ttyUSB0", admin)
        }
        #expect(throws: (any Error).self) { try scales.set(register: "back", device: "/dev/ttyUSB1", baud: 9601, admin) }
        // A cashier may not; the owner at a shell may.
        let cashier = TestStores.context(store, staffID: try TestStores.cashierID(store))
        #expect(throws: TillError.self) { try scales.remove(register: "main", cashier) }
        try scales.setTare(sku: "PRO-001", Quantity(milli: 15), admin)
        #expect(try scales.tare(sku: "PRO-001") == Quantity(milli: 15))
        #expect(try scales.tares().map(\.sku) == ["PRO-001"])
        #expect(throws: TillError.self) { try scales.setTare(sku: "COF-002", Quantity(milli: 15), admin) }
        try scales.setTare(sku: "PRO-001", nil, admin)
        #expect(try scales.tare(sku: "PRO-001") == nil)
        try scales.remove(register: "main", admin)
        #expect(try scales.list().isEmpty)
        let audited = try store.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE action LIKE 'scale.%' ORDER BY id") }
        #expect(audited == ["scale.set", "scale.tare.set", "scale.tare.clear", "scale.remove"])
    }
}
