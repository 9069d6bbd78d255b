import Foundation
import Testing
import TillTestSupport
@testable import TillCore

/// The status bytes as Epson's ESC/POS reference lays them out ("DLE EOT n — Transmit real-time status", TM-U220
/// manual): bits 1 and 4 fixed on, bit 3 of n=1 offline, bits 2/3/5/6 of n=2 cover open / FEED button / paper-end
/// stop / error, bits 2–3 and 5–6 of n=4 near end and end.
@Suite struct PrinterStatusTests {
    @Test func nothingToReportIsReady() throws {
        let status = try #require(PrinterStatus(printer: 0x12, offlineCause: 0x12, paper: 0x12))
        #expect(status.problems.isEmpty)
        #expect(!status.refusesPrinting)
        #expect(status.summary == "ready")
    }

    @Test func paperEndIsPaperOut() throws {
        // Offline (bit 3), stopped by paper end (bit 5 of n=2), the roll sensor's near end and end (0x0C | 0x60).
        let status = try #require(PrinterStatus(printer: 0x1A, offlineCause: 0x32, paper: 0x7E))
        #expect(status.offline && status.paperOut)
        #expect(status.problems == ["paper out"])
        #expect(status.refusesPrinting)
        // The roll sensor alone says it too (some printers do not stop until the next job).
        #expect(PrinterStatus(printer: 0x12, offlineCause: 0x12, paper: 0x72)?.paperOut == true)
        #expect(PrinterStatus(printer: 0x12, offlineCause: 0x12, paper: 0x32)?.paperOut == true)
    }

    @Test func coverOpenErrorAndOffline() throws {
        let cover = try #require(PrinterStatus(printer: 0x1A, offlineCause: 0x16, paper: 0x12))
        #expect(cover.problems == ["cover open"])
        #expect(cover.refusesPrinting)
        let error = try #require(PrinterStatus(printer: 0x1A, offlineCause: 0x52, paper: 0x12))
        #expect(error.error && error.refusesPrinting)
        #expect(error.problems == ["printer error (cutter jammed or head too hot)"])
        let offline = try #require(PrinterStatus(printer: 0x1A, offlineCause: 0x12, paper: 0x12))
        #expect(offline.problems == ["offline"])
        #expect(offline.refusesPrinting)
        // Offline while the FEED button is held: it prints once the button is let go.
        let feeding = try #require(PrinterStatus(printer: 0x1A, offlineCause: 0x1A, paper: 0x12))
        #expect(feeding.feedButton && !feeding.refusesPrinting)
    }

    @Test func nearEndIsPaperLowAndStillPrints() throws {
        let low = try #require(PrinterStatus(printer: 0x12, offlineCause: 0x12, paper: 0x1E))
        #expect(low.paperLow && !low.paperOut)
        #expect(!low.refusesPrinting)
        #expect(low.summary == "ready — paper low")
        // Either of the two near-end bits.
        #expect(PrinterStatus(printer: 0x12, offlineCause: 0x12, paper: 0x16)?.paperLow == true)
        #expect(PrinterStatus(printer: 0x12, offlineCause: 0x12, paper: 0x1A)?.paperLow == true)
    }

    @Test func theDrawerPinIsReadButIsNoProblem() throws {
        let status = try #require(PrinterStatus(printer: 0x16, offlineCause: 0x12, paper: 0x12))
        #expect(status.drawerPin3High && status.problems.isEmpty)
    }

    @Test func bytesWithoutTheFixedBitsAreNoAnswer() {
        #expect(PrinterStatus(printer: 0x00, offlineCause: 0x12, paper: 0x12) == nil)
        #expect(PrinterStatus(printer: 0x12, offlineCause: 0x13, paper: 0x12) == nil)
        #expect(PrinterStatus(printer: 0x12, offlineCause: 0x12, paper: 0x92) == nil)
        #expect(PrinterStatus.unknown.summary.hasPrefix("status unknown"))
        #expect(!PrinterStatus.unknown.refusesPrinting)
    }
}

@Suite struct PrinterAddressTests {
    @Test func networkPrintersAndDevicePaths() throws {
        #expect(try PrinterAddress(parsing: "tcp://192.168.1.50:9100") == .network(host: "192.168.1.50", port: 9100))
        #expect(try PrinterAddress(parsing: "tcp://192.168.1.50") == .network(host: "192.168.1.50", port: 9100))
        #expect(try PrinterAddress(parsing: "TCP://printer.shop.lan:9101/") == .network(host: "printer.shop.lan", port: 9101))
        #expect(try PrinterAddress(parsing: "tcp://[fd00::5]:9100") == .network(host: "fd00::5", port: 9100))
        #expect(try PrinterAddress(parsing: "tcp://fd00::5") == .network(host: "fd00::5", port: 9100))
        #expect(try PrinterAddress(parsing: "tcp://[fd00::5]").description == "tcp://[fd00::5]:9100")
        #expect(try PrinterAddress(parsing: " /dev/usb/lp0 ") == .device(path: "/dev/usb/lp0"))
        #expect(try PrinterAddress(parsing: "receipts.bin") == .device(path: "receipts.bin"))
        // A network address typed wrong is not taken for a file of that name (found on a walk).
        for typo in ["tcp:/127.0.0.1", "127.0.0.1:19100", "printer.lan:9100"] {
            #expect(throws: TillError.invalid("\"\(typo)\" is neither a network printer nor a device path: write tcp://HOST:PORT (e.g. tcp://192.168.1.50:9100) or a path such as /dev/usb/lp0")) {
                try PrinterAddress(parsing: typo)
            }
        }
    }

    @Test func badAddressesSayWhatIsWrong() {
        #expect(throws: TillError.invalid("\"tcp://\" names no host: write tcp://HOST:9100, e.g. tcp://192.168.1.50:9100")) {
            try PrinterAddress(parsing: "tcp://")
        }
        #expect(throws: TillError.invalid("\"tcp://:9100\" names no host: write tcp://HOST:9100, e.g. tcp://192.168.1.50:9100")) {
            try PrinterAddress(parsing: "tcp://:9100")
        }
        for port in ["0", "65536", "91x0", ""] {
            #expect(throws: TillError.invalid("\"tcp://10.0.0.5:\(port)\": bad port \"\(port)\" — a port is a number from 1 to 65535 (receipt printers listen on 9100)")) {
                try PrinterAddress(parsing: "tcp://10.0.0.5:\(port)")
            }
        }
        #expect(throws: TillError.invalid("\"http://10.0.0.5\" is not a printer address: a receipt printer takes raw ESC/POS, not http — use tcp://HOST:9100, or a device path such as /dev/usb/lp0")) {
            try PrinterAddress(parsing: "http://10.0.0.5")
        }
        #expect(throws: TillError.invalid("\"tcp://[fd00::5\": an IPv6 address in brackets needs its closing ]")) {
            try PrinterAddress(parsing: "tcp://[fd00::5")
        }
        #expect(throws: TillError.invalid("\"tcp://shop printer\": \"shop printer\" is not a host name or IP address")) {
            try PrinterAddress(parsing: "tcp://shop printer")
        }
    }
}

/// A real TCP conversation with the fake printer in each of its states and misbehaviours.
@Suite struct PrinterConnectionTests {
    func connection(_ printer: FakeReceiptPrinter, timeout: Duration = .seconds(2)) throws -> PrinterConnection {
        PrinterConnection(address: try PrinterAddress(parsing: printer.address), timeout: timeout)
    }

    @Test func aReadyPrinterAnswersAndPrints() throws {
        let printer = try FakeReceiptPrinter()
        let connection = try connection(printer)
        #expect(try connection.status().summary == "ready")
        #expect(printer.statusQueries == [1, 2, 4])
        try connection.send(EscPos.encode("HELLO PRINTER\n", openDrawer: false))
        #expect(try connection.status().summary == "ready")
        #expect(printer.receivedText.contains("HELLO PRINTER"))
        #expect(printer.connections == 1, "status and data go over one connection")
    }

    @Test func eachStateIsReadBackInWords() throws {
        let printer = try FakeReceiptPrinter()
        let expected: [(FakeReceiptPrinter.State, String)] = [(.paperOut, "paper out"), (.coverOpen, "cover open"), (.paperNearEnd, "ready — paper low")]
        for (state, words) in expected {
            printer.state = state
            #expect(try connection(printer).status().summary == words)
        }
    }

    @Test func aPrinterThatNeverAnswersTimesOut() throws {
        let printer = try FakeReceiptPrinter()
        printer.state = .silent
        let started = ContinuousClock.now
        #expect(throws: PrinterError(printer: printer.address, .notAnswering)) { try connection(printer, timeout: .milliseconds(300)).status() }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aRefusedConnectionSaysSo() throws {
        let printer = try FakeReceiptPrinter()
        printer.refuseConnections()
        #expect(throws: PrinterError(printer: printer.address, .refused)) { try connection(printer).status() }
        try printer.acceptConnections()
        #expect(try connection(printer).status().summary == "ready")
    }

    @Test func aDroppedConnectionMidJobSaysSo() throws {
        let printer = try FakeReceiptPrinter()
        printer.dropConnection(afterBytes: 100)
        let connection = try connection(printer)
        #expect(try connection.status().summary == "ready")
        // The drop may show on the write or on the status after it; either way it is "connection dropped".
        #expect(throws: PrinterError(printer: printer.address, .dropped)) {
            try connection.send([UInt8](repeating: 0x41, count: 200_000))
            _ = try connection.status()
        }
        #expect(printer.received.count == 100)
    }

    @Test func aDevicePathIsWrittenWithStatusUnknown() throws {
        let path = TestStores.temporaryPath("lp0")
        let connection = PrinterConnection(address: .device(path: path))
        #expect(try connection.status() == .unknown)
        try connection.send([0x41, 0x42])
        try connection.send([0x43])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == [0x41, 0x42, 0x43])
        #expect(throws: PrinterError(printer: "/nonexistent/lp0", .device("cannot be opened (No such file or directory)"))) {
            try PrinterConnection(address: .device(path: "/nonexistent/lp0")).send([0x41])
        }
    }
}

/// A sale is saved whatever its printer does; the receipt waits in the queue and prints once it can.
@Suite struct ReceiptPrintQueueTests {
    let store: StoreDatabase
    let ctx: TillContext
    let printer: FakeReceiptPrinter

    init() throws {
        store = try TestStores.demoStore()
        ctx = try TestStores.openTill(store)
        printer = try FakeReceiptPrinter()
        // The store file's owner at a shell may change settings; the cashier may not.
        try RegisterPrinters(store: store).set(register: "main", address: printer.address, ctx.acting(as: nil))
    }

    func sale() throws -> (number: Int64, job: PrintJob) {
        let coffee = try #require(try Catalog(store: store).lookup(code: "COF-002"))
        let sale = try Checkout(store: store).sell(lines: [SaleLineRequest(variantID: coffee.variantID, quantity: .one)],
                                                   orderDiscount: nil, customerID: nil, tenders: [ScriptedTender(method: .cash)], ctx)
        let issued = try ReceiptOutput(store: store).issueQueued(orderNumber: sale.number, register: "main", at: ctx.now)
        let job = try #require(issued.job)
        return (sale.number, job)
    }

    var queue: ReceiptPrintQueue { ReceiptPrintQueue(output: ReceiptOutput(store: store), timeout: .milliseconds(500)) }

    @Test func aReadyPrinterPrintsTheReceiptAndOpensTheDrawer() throws {
        let (number, job) = try sale()
        #expect(job.status == .queued)
        let printed = try queue.print(jobID: job.id)
        #expect(printed.status == .printed && printed.attempts == 1 && printed.printedAt != nil)
        #expect(printer.receivedText.contains("#\(number)"))
        #expect(printer.received.suffix(5) == [0x1B, 0x70, 0, 25, 250], "a cash sale kicks the drawer")
        #expect(printer.statusQueries == [1, 2, 4, 1, 2, 4], "status before and after")
        #expect(try queue.waiting().isEmpty)
    }

    @Test func paperOutKeepsTheSaleAndQueuesTheReceiptUntilPaperIsLoaded() throws {
        printer.state = .paperOut
        let (number, job) = try sale()
        let refused = try queue.print(jobID: job.id)
        #expect(try Orders(store: store).detail(number: number).order.status == .completed)
        #expect(refused.status == .queued && refused.lastError == "paper out")
        #expect(refused.notPrintedLine == "Receipt #\(number) not printed — printer paper out")
        #expect(!printer.receivedText.contains("#\(number)"), "nothing is sent into a printer without paper")
        #expect(try queue.waiting(register: "main").map(\.id) == [job.id])
        printer.state = .ready
        let retried = try queue.retry(register: "main")
        #expect(retried.map(\.status) == [.printed])
        #expect(retried.first?.attempts == 2)
        #expect(printer.receivedText.contains("#\(number)"))
        #expect(try queue.waiting().isEmpty)
    }

    @Test func paperLowPrintsAndSaysSo() throws {
        printer.state = .paperNearEnd
        let (number, job) = try sale()
        let printed = try queue.print(jobID: job.id)
        #expect(printed.status == .printed && printed.lastError == "paper low")
        #expect(printer.receivedText.contains("#\(number)"))
    }

    @Test func paperRunningOutWhilePrintingMarksItFailed() throws {
        let (_, job) = try sale()
        printer.runOutOfPaper(afterBytes: 40)
        let failed = try queue.print(jobID: job.id)
        #expect(failed.status == .failed && failed.lastError == "paper out while printing")
        #expect(try queue.waiting().map(\.id) == [job.id])
    }

    @Test func aDroppedOrSilentOrMissingPrinterLeavesItWaitingWithTheReason() throws {
        let (_, first) = try sale()
        printer.dropConnection(afterBytes: 30)
        #expect(try queue.print(jobID: first.id).lastError == "connection dropped while printing")
        printer.state = .silent
        #expect(try queue.print(jobID: first.id).lastError == "not answering")
        printer.state = .ready
        printer.refuseConnections()
        let refused = try queue.print(jobID: first.id)
        #expect(refused.status == .queued && refused.attempts == 3, "the last try sent nothing")
        #expect(refused.lastError == PrinterError(printer: printer.address, .refused).words)
        try printer.acceptConnections()
        #expect(try queue.retry().map(\.status) == [.printed])
    }

    @Test func theFlagOverridesTheRegistersPrinterAndNoPrinterQueuesNothing() throws {
        let path = TestStores.temporaryPath("override.bin")
        let (number, job) = try sale()
        let override = ReceiptPrintQueue(output: ReceiptOutput(store: store, printerPath: path))
        #expect(try override.print(jobID: job.id).status == .printed)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).contains("#\(number)"))
        #expect(printer.received.isEmpty)
        try RegisterPrinters(store: store).remove(register: "main", ctx.acting(as: nil))
        #expect(try ReceiptOutput(store: store).issueQueued(orderNumber: number, register: "main", at: ctx.now).job == nil)
    }

    @Test func settingAPrinterNeedsManageStoreAndIsAudited() throws {
        #expect(throws: TillError.self) { try RegisterPrinters(store: store).set(register: "main", address: "tcp://10.0.0.9", ctx) }
        let admin = try Staff(store: store).member(username: "ada")
        let set = try RegisterPrinters(store: store).set(register: "back", address: "tcp://10.0.0.9", width: 48, ctx.acting(as: admin.id))
        #expect(set.address == .network(host: "10.0.0.9", port: 9100))
        #expect(try RegisterPrinters(store: store).list().map(\.register) == ["back", "main"])
        let actions = try store.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE action LIKE 'printer.%'") }
        #expect(actions == ["printer.set", "printer.set"])
        #expect(throws: TillError.invalid("a receipt is 42 or 48 columns wide, not 40")) {
            try RegisterPrinters(store: store).set(register: "back", address: "tcp://10.0.0.9", width: 40, ctx.acting(as: admin.id))
        }
    }
}
