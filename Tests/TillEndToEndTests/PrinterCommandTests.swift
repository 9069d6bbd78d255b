import Foundation
import Testing
import TillCore
import TillTestSupport

/// `till printer` and `till sell` through the real binary, with the register's printer at a local TCP server
/// that plays one: a sale prints; a printer out of paper saves the sale and queues its receipt, `queue` lists
/// it, `retry` prints it once paper is loaded; the printer and the reason are named in plain words.
@Suite(.serialized) struct PrinterCommandTests {
    let db = TestStores.temporaryPath()

    @Test func aSaleWhosePrinterIsOutOfPaperIsSavedQueuedAndPrintedByRetry() throws {
        let printer = try FakeReceiptPrinter()
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        let admin = ["TILL_DB": db, "TILL_USER": "ada", "TILL_PIN": "4444"]
        let cashier = ["TILL_DB": db, "TILL_USER": "ana", "TILL_PIN": "1111"]
        try TillProcess.openShift(db: db)

        // Bad addresses are refused with what is wrong; a cashier may not set a printer.
        let http = try TillProcess.run(["printer", "set", "main", "http://10.0.0.5"], environment: admin)
        #expect(http.status == 1 && http.stderr.contains("not a printer address"), "\(http.stderr)")
        let port = try TillProcess.run(["printer", "set", "main", "tcp://10.0.0.5:99999"], environment: admin)
        #expect(port.status == 1 && port.stderr.contains("bad port \"99999\""), "\(port.stderr)")
        #expect(try TillProcess.run(["printer", "set", "main", printer.address], environment: cashier).stderr.contains("may not change store settings"))

        let set = try TillProcess.run(["printer", "set", "main", printer.address], environment: admin)
        #expect(set.status == 0 && set.stdout == "register main now prints receipts on \(printer.address) (42 columns)\n", "\(set.stderr)")
        #expect(try TillProcess.run(["printer", "list"], environment: admin).stdout.contains(printer.address))
        let test = try TillProcess.run(["printer", "test", "main"], environment: admin)
        #expect(test.status == 0 && test.stdout.contains("— ready") && test.stdout.contains("test page printed"), "\(test.stdout)\(test.stderr)")
        #expect(printer.receivedText.contains("Till printer test"))

        // A ready printer: the receipt prints as the sale completes.
        let first = try TillProcess.run(["sell", "--item", "COF-002", "--pay", "cash"], environment: cashier)
        #expect(first.status == 0 && first.stderr.isEmpty, "\(first.stderr)")
        let firstNumber = try #require(first.stdout.split(separator: "\n").first.flatMap { $0.split(separator: "#").last }.flatMap { $0.split(separator: " ").first })
        #expect(printer.receivedText.contains("Order #\(firstNumber)"))

        // Out of paper: the sale is saved (exit 0), the receipt is queued, and it says so.
        printer.state = .paperOut
        let sold = try TillProcess.run(["sell", "--item", "COF-002", "--pay", "cash"], environment: cashier)
        #expect(sold.status == 0, "\(sold.stderr)")
        let number = try #require(sold.stdout.split(separator: "\n").first.flatMap { $0.split(separator: "#").last }.flatMap { $0.split(separator: " ").first })
        #expect(sold.stderr == "till: receipt #\(number) not printed — printer \(printer.address) paper out; it is queued: till printer retry main\n")
        let orders = try TillProcess.run(["orders", "show", String(number)], environment: cashier)
        #expect(orders.status == 0 && orders.stdout.contains("Order #\(number)"), "\(orders.stderr)")
        let queue = try TillProcess.run(["printer", "queue"], environment: cashier)
        #expect(queue.stdout.contains("#\(number) receipt") && queue.stdout.contains("queued, 1 try") && queue.stdout.contains("— paper out"), "\(queue.stdout)")
        let json = try TillProcess.run(["printer", "queue", "--json"], environment: cashier).stdout
        #expect(json.contains("\"last_error\" : \"paper out\"") && json.contains("\"order_number\" : \(number)"), "\(json)")
        #expect(try TillProcess.run(["printer", "test", "main"], environment: admin).stderr.contains("cannot print: paper out"))

        // Still out: retry keeps it and exits 1; paper loaded: it prints and the queue is empty.
        let stillOut = try TillProcess.run(["printer", "retry", "main"], environment: cashier)
        #expect(stillOut.status == 1 && stillOut.stdout.contains("not printed — printer \(printer.address) paper out"), "\(stillOut.stdout)")
        printer.state = .ready
        let retried = try TillProcess.run(["printer", "retry", "main"], environment: cashier)
        #expect(retried.status == 0 && retried.stdout == "receipt #\(number) printed on \(printer.address)\n", "\(retried.stdout)\(retried.stderr)")
        #expect(printer.receivedText.contains("Order #\(number)"))
        #expect(try TillProcess.run(["printer", "queue"], environment: cashier).stdout == "no receipts waiting to print\n")

        // A copy goes to the register's printer too.
        let reprint = try TillProcess.run(["orders", "reprint", String(number)], environment: ["TILL_DB": db, "TILL_USER": "sam", "TILL_PIN": "3333"])
        #expect(reprint.status == 0 && reprint.stdout.contains("*** COPY ***"), "\(reprint.stderr)")
        #expect(printer.receivedText.contains("*** COPY ***"))

        // Gone altogether: the sale is still saved and the reason named.
        printer.refuseConnections()
        let gone = try TillProcess.run(["sell", "--item", "COF-002", "--pay", "cash"], environment: cashier)
        #expect(gone.status == 0 && gone.stderr.contains("not answering (connection refused"), "\(gone.stderr)")

        // --printer overrides the register's printer.
        let file = TestStores.temporaryPath("override.bin")
        let override = try TillProcess.run(["sell", "--item", "COF-002", "--pay", "cash", "--printer", file], environment: cashier)
        #expect(override.status == 0 && override.stderr.isEmpty, "\(override.stderr)")
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(try TillProcess.run(["sell", "--item", "COF-002", "--pay", "cash", "--printer", "tcp://"], environment: cashier).status != 0)

        #expect(try TillProcess.run(["printer", "remove", "main"], environment: admin).stdout == "register main has no receipt printer now\n")
    }
}

/// The real app in a real terminal with the register's printer out of paper: the register says the receipt did
/// not print, the next scan goes on, and Ctrl-R prints it once paper is loaded.
@Suite(.serialized) struct ReceiptPrinterTerminalTests {
    let db = TestStores.temporaryPath()

    @Test(.tmux) func ctrlRPrintsTheReceiptThatDidNotPrint() throws {
        try TmuxSession.requireAvailable()
        let printer = try FakeReceiptPrinter()
        printer.state = .paperOut
        #expect(try TillProcess.run(["init", "--db", db]).status == 0)
        try TillProcess.openShift(db: db)
        #expect(try TillProcess.run(["printer", "set", "main", printer.address, "--db", db]).status == 0)
        let binary = try #require(TillProcess.binary).path
        let session = try TmuxSession(command: "'\(binary)'", width: 80, height: 24,
                                      environment: ["TILL_DB": db, "TERM": "xterm-256color", "TILL_USER": "ana", "TILL_PIN": "1111"])
        try session.waitFor("Scan or type")
        try session.type("COF-002")
        try session.press("Enter")
        try session.waitFor("Added Espresso Roast 250 g.")
        try session.press("F12")
        try session.waitFor("Card reader")
        try session.press("Enter")
        let screen = try session.waitFor("not printed — printer paper out. Ctrl-R: print again", timeout: 10)
        #expect(screen.contains("Receipt #"))
        // The next customer is rung up meanwhile.
        try session.type("COF-001")
        try session.press("Enter")
        try session.waitFor("Added ")
        printer.state = .ready
        try session.press("C-r")
        try session.waitFor("printed.", timeout: 10)
        #expect(printer.receivedText.contains("Order #"))
        try session.press("C-q")
        try session.waitFor("Quit anyway")
        try session.type("y")
        try session.waitFor("EXIT=0")
    }
}
