import Foundation
import Testing
import TillCore
import TillTestSupport

/// `till scale` and the weighed-item prompt through the real binary, against the fake MT-SICS scale on a pty.
@Suite(.serialized) struct ScaleCommandTests {
    let db = TestStores.temporaryPath()
    let admin: [String: String]

    init() { admin = ["TILL_DB": db, "TILL_USER": "ada", "TILL_PIN": "4444"] }

    @Test func settingReadingAndRemovingARegistersScale() throws {
        let fake = try FakeScale(.stable(milligrams: 450_000))
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let none = try TillProcess.run(["scale", "read", "main"], environment: admin)
        #expect(none.status == 1 && none.stderr == "till: register main has no scale (till scale set main /dev/ttyUSB0)\n", "\(none.stderr)")
        let set = try TillProcess.run(["scale", "set", "main", fake.path], environment: admin)
        #expect(set.status == 0 && set.stdout == "register main now weighs on \(fake.path) (MT-SICS 9600 8N1)\n", "\(set.stderr)")
        let cashier = ["TILL_DB": db, "TILL_USER": "ana", "TILL_PIN": "1111"]
        #expect(try TillProcess.run(["scale", "set", "back", "/dev/ttyUSB9"], environment: cashier).stderr.contains("may not change store settings"))

        let read = try TillProcess.run(["scale", "read", "main"], environment: admin)
        #expect(read.status == 0 && read.stdout == "0.450 kg\n", "\(read.stderr)")
        #expect(fake.received.suffix(2) == ["SI", "S"])

        // Each refusal, as the cashier would read it, and exit 1.
        fake.state = .overload
        let over = try TillProcess.run(["scale", "read", "main"], environment: admin)
        #expect(over.status == 1 && over.stderr == "till: register main's scale: the item is over the scale's capacity: weigh it in parts, or on a bigger scale\n", "\(over.stderr)")
        fake.state = .underload
        #expect(try TillProcess.run(["scale", "read", "main"], environment: admin).stderr.contains("below zero — zero the scale"))
        fake.state = .moving(milligrams: 450_000)
        let moving = try TillProcess.run(["scale", "read", "main", "--timeout", "0.5"], environment: admin)
        #expect(moving.status == 1 && moving.stderr.contains("the scale is still moving"), "\(moving.stderr)")
        fake.state = .silent
        #expect(try TillProcess.run(["scale", "read", "main", "--timeout", "0.5"], environment: admin).stderr.contains("does not answer"))

        // A container's tare comes off.
        fake.state = .stable(milligrams: 465_000)
        #expect(try TillProcess.run(["scale", "tare", "PRO-001", "0.015"], environment: admin).status == 0)
        let net = try TillProcess.run(["scale", "read", "main", "--item", "PRO-001"], environment: admin)
        #expect(net.stdout == "0.450 kg (0.465 kg less the 0.015 kg container)\n", "\(net.stderr)")
        let listed = try TillProcess.run(["scale", "list"], environment: admin)
        #expect(listed.stdout.contains("main") && listed.stdout.contains("MT-SICS 9600 8N1") && listed.stdout.contains("PRO-001"))

        #expect(try TillProcess.run(["scale", "remove", "main"], environment: admin).status == 0)
        #expect(try TillProcess.run(["scale", "list"], environment: admin).stdout.contains("no register has a scale"))
    }

    @Test(.tmux) func ringingUpAWeighedItemOffTheScale() throws {
        try TmuxSession.requireAvailable()
        let fake = try FakeScale(.moving(milligrams: 452_000))
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        #expect(try TillProcess.run(["scale", "set", "main", fake.path], environment: admin).status == 0)
        let binary = try #require(TillProcess.binary).path
        let session = try TmuxSession(command: "'\(binary)'", width: 100, height: 30,
                                      environment: ["TILL_DB": db, "TERM": "xterm-256color", "TILL_USER": "ana", "TILL_PIN": "1111"])
        try session.waitFor("Scan or type")
        try session.type("PRO-001")
        try session.press("Enter")
        try session.waitFor("Weighing… (steady the item)")
        fake.state = .stable(milligrams: 452_000)
        try session.waitFor("Scale: 0.452 kg — Enter adds it")
        try session.press("Enter")
        try session.waitFor("0.452 kg")
        let screen = try session.screen()
        #expect(screen.contains("Bananas"))
        try session.press("C-q")
        try session.waitFor("y/n")
        try session.type("y")
        try session.waitFor("EXIT=0")
    }
}
