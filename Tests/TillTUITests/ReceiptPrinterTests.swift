import Foundation
import Testing
import TillCore
import TillTestSupport
@testable import TillTUI

/// After a sale the receipt goes to the register's printer off the key loop: a printer out of paper (or silent)
/// never holds the next scan, the register says in plain words that the receipt did not print, and one key
/// prints it again.
@Suite struct ReceiptPrinterTests {
    let printer: FakeReceiptPrinter

    init() throws { printer = try FakeReceiptPrinter() }

    private func app(width: Int = 80) throws -> AppDriver {
        let address = printer.address
        return try TestApp.demo(width: width, shiftOpen: true) { store in
            try RegisterPrinters(store: store).set(register: "main", address: address, TillContext())
        }
    }

    /// Rings up one coffee and pays it in exact cash.
    private func sell(_ app: AppDriver) {
        app.type("COF-002")
        app.press(.enter, .function(12), .enter)
    }

    @Test func aReceiptThatDidNotPrintIsSaidOnTheRegisterAndOneKeyPrintsItAgain() throws {
        printer.state = .paperOut
        let app = try app()
        sell(app)
        let number = try #require(app.state.register.unprinted?.orderNumber)
        #expect(try Orders(store: app.store).detail(number: number).order.status == .completed, "the sale is saved")
        let line = "Receipt #\(number) not printed — printer paper out. Ctrl-R: print again"
        #expect(app.screen.contains(line))
        #expect(app.state.message == .error(line))
        #expect(!printer.receivedText.contains("#\(number)"))

        // The next customer's scan goes on as usual, and the line stays until the receipt prints.
        app.type("COF-001")
        app.press(.enter)
        #expect(app.state.register.lines.count == 1)
        #expect(app.screen.contains("Receipt #\(number) not printed"))

        // Still no paper: Ctrl-R says so again.
        app.press(.control("r"))
        #expect(app.state.message == .error(line))
        printer.state = .ready
        app.press(.control("r"))
        #expect(app.state.register.unprinted == nil)
        #expect(app.state.message == .info("Receipt #\(number) printed."))
        #expect(!app.screen.contains("not printed"))
        #expect(printer.receivedText.contains("Order #\(number)"))
        #expect(app.state.register.lines.count == 1, "printing again left the sale in progress alone")
    }

    /// Two sales while the cover is open: Ctrl-R, once it is shut, prints the earlier one too (found on a walk:
    /// only the last was printed, and the earlier one waited unseen).
    @Test func theKeyPrintsEveryReceiptOfTheRegisterStillWaiting() throws {
        printer.state = .coverOpen
        let app = try app()
        sell(app)
        let first = try #require(app.state.register.unprinted?.orderNumber)
        sell(app)
        let second = try #require(app.state.register.unprinted?.orderNumber)
        #expect(first != second)
        printer.state = .ready
        app.press(.control("r"))
        #expect(app.state.message == .info("Receipt #\(second) printed."))
        #expect(printer.receivedText.contains("Order #\(first)"))
        #expect(printer.receivedText.contains("Order #\(second)"))
        #expect(try ReceiptPrintQueue(output: ReceiptOutput(store: app.store)).waiting(register: "main").isEmpty)
    }

    @Test func theReprintKeyIsInTheRegistersTableAndSaysWhyWhenNothingWaits() throws {
        let app = try app()
        sell(app)
        #expect(app.state.register.unprinted == nil, "a ready printer printed it")
        #expect(printer.receivedText.contains("Order #"))
        app.press(.control("r"))
        #expect(app.state.message == .error("Ctrl-R print again the receipt that did not print: no receipt is waiting for the printer"))
        #expect(KeyBindings.active(app.state).binding(for: .control("r"))?.command == .printAgain)
        app.press(.character("?"), .pageDown)
        #expect(app.screen.contains("print again the receipt that did not print"))
    }

    @Test func aRollNearItsEndPrintsAndIsSaid() throws {
        printer.state = .paperNearEnd
        let app = try app()
        sell(app)
        #expect(app.state.register.unprinted == nil)
        let printed = printer.receivedText.components(separatedBy: "Order #").last ?? ""
        let number = String(printed.prefix { $0.isNumber })
        #expect(!number.isEmpty)
        #expect(app.state.message == .info("Receipt #\(number) printed — printer paper low: change the roll soon."))
    }

    @Test func aSilentPrinterNeverHoldsTheNextScan() throws {
        printer.state = .silent
        let app = try app()
        app.type("COF-002")
        app.press(.enter, .function(12))
        let clock = ContinuousClock()
        app.send([.key(.enter)])
        // The sale completes (a quick write); the printer is asked after it, beside the key loop.
        for _ in 0..<300 where app.state.register.receipt == nil {
            app.drain()
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(app.state.register.receipt != nil)
        let started = clock.now
        app.send("COF-001".map { .key(.character($0)) } + [.key(.enter)])
        for _ in 0..<300 where app.state.register.lines.isEmpty {
            app.drain()
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(app.state.register.lines.count == 1)
        #expect(clock.now - started < .seconds(1), "the scan waited for the printer")
        #expect(app.isBusy, "the printer is still being waited for")
        #expect(app.settle(timeout: .seconds(15)))
        #expect(app.state.register.unprinted?.lastError == "not answering")
        #expect(app.screen.contains("not printed — printer not answering. Ctrl-R: print again"))
    }
}
