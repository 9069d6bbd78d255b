import Foundation
import Testing
import TillCore
import TillFakeStripe
import TillTestSupport
@testable import TillStripe

/// `fake-stripe` run as its own process, driven over HTTP only — as a person or another program would.
@Suite("The fake-stripe program")
struct FakeStripeBinaryTests {
    static var binary: URL? {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [executable, Bundle.main.bundleURL.deletingLastPathComponent(),
                          TestStores.repositoryRoot.appendingPathComponent(".build/debug")]
        return candidates.map { $0.appendingPathComponent("fake-stripe") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    @Test func itTakesAPaymentAndItsFaultsAreSwitchedOverHTTP() throws {
        let binary = try #require(FakeStripeBinaryTests.binary, "fake-stripe was not built next to the tests: run `swift build`")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", "0", "--key", "sk_test_binaryFake", "--reader", "tmr_bin_1", "--auto", "approve"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer {
            process.terminate()
            let asked = ContinuousClock.now
            while process.isRunning && ContinuousClock.now - asked < .seconds(3) { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        var firstLine = ""
        let started = ContinuousClock.now
        while !firstLine.contains("\n") && ContinuousClock.now - started < .seconds(10) {
            firstLine += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }
        let url = try #require(firstLine.firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:[0-9]+)/)?.1)
        let configuration = StripeConfiguration(apiKey: "sk_test_binaryFake", baseURL: String(url), readerID: "tmr_bin_1",
                                                requestTimeout: .seconds(1), pollInterval: .milliseconds(10),
                                                collectTimeout: .seconds(5))
        let terminal = try StripeTerminal(configuration: configuration)
        let payment = try terminal.collect(StripeTestRig.request(1234), journal: .none, cancellation: nil, progress: .silent)
        #expect(payment.status == .captured && payment.amountCaptured == 1234)

        var offline = StripeForm()
        offline.add("reader_online[tmr_bin_1]", "false")
        #expect(try terminal.client.post("/_fake/faults", offline, idempotencyKey: "control-offline").status == 200)
        do {
            _ = try terminal.collect(StripeTestRig.request(99), journal: .none, cancellation: nil, progress: .silent)
            Issue.record("an offline reader took a payment")
        } catch let error as CardTerminalError {
            #expect(error == .readerOffline(reader: "tmr_bin_1"))
        }
        let state = String(decoding: try terminal.client.get("/_fake/state").body, as: UTF8.self)
        #expect(state.contains("\"captured_total\":1234"))
    }
}
