import ArgumentParser
import Foundation
import TillCore

/// `till printer`: which receipt printer each register prints on, and the receipts waiting for one. Setting a
/// printer is a store setting (manage_store), like pairing a card reader.
struct PrinterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer", abstract: "Receipt printers: list, set a register's printer, remove, test; the print queue and retry.",
        discussion: """
            A printer is a device path (/dev/usb/lp0) or a network printer at tcp://HOST[:PORT] (raw ESC/POS, port 9100).
            Examples: till printer set main tcp://192.168.1.50:9100
                      till printer set back /dev/usb/lp0 --width 48
                      till printer retry main
            A sale is never lost or held up by its printer: the receipt is queued and printed again with retry.
            --printer on till, till sell and till orders reprint overrides the register's printer.
            """,
        subcommands: [List.self, SetPrinter.self, Remove.self, Test.self, Queue.self, Retry.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each register and the printer it prints receipts on.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "As JSON.") var json = false

        func run() throws {
            let database = try store.open()
            let printers = try RegisterPrinters(store: database).list()
            if json {
                try printJSON(printers)
                return
            }
            guard !printers.isEmpty else {
                print("no register has a receipt printer (set one: till printer set REGISTER tcp://HOST:9100, or a device path)")
                return
            }
            let zone = LocalTime.timeZone(of: database)
            for printer in printers {
                print(printer.register.padding(toLength: 12, withPad: " ", startingAt: 0) + "  "
                      + printer.address.description.padding(toLength: 32, withPad: " ", startingAt: 0)
                      + "  \(printer.width) columns, QR \(printer.qrStyle.rawValue)  set " + LocalTime.format(printer.configuredAt, timeZone: zone))
            }
        }
    }

    struct SetPrinter: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a register's receipt printer (replacing the one it had).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register (e.g. main).") var register: String
        @Argument(help: "tcp://HOST[:PORT] (port 9100 unless given) or a device path such as /dev/usb/lp0.") var address: String
        @Option(help: "Paper width: 42 or 48 columns.") var width: Int = 42
        @Option(help: "QR code: native (GS ( k) or raster, for printers without the QR command.") var qr: String = "native"

        func run() throws {
            let database = try store.open()
            guard let style = ReceiptOutput.CodeStyle(rawValue: qr) else { throw TillError.invalid("--qr is native or raster, not \"\(qr)\"") }
            let printer = try RegisterPrinters(store: database).set(register: register, address: address, width: width, qrStyle: style,
                                                                    try store.context(in: database))
            print("register \(printer.register) now prints receipts on \(printer.address) (\(printer.width) columns)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take the printer off a register (its receipts are saved as text only).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register.") var register: String

        func run() throws {
            let database = try store.open()
            try RegisterPrinters(store: database).remove(register: register, try store.context(in: database))
            print("register \(register) has no receipt printer now")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask a register's printer for its status and print a short test page; exits 1 when it cannot print.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register.") var register: String

        func run() throws {
            let database = try store.open()
            guard let printer = try RegisterPrinters(store: database).printer(for: register) else {
                throw TillError.invalid("register \(register) has no receipt printer (till printer set \(register) tcp://HOST:9100)")
            }
            let connection = PrinterConnection(address: printer.address)
            defer { connection.close() }
            do {
                let status = try connection.status()
                print("register \(register): printer \(printer.address) — \(status.summary)")
                if status.refusesPrinting { throw TillError.invalid("printer \(printer.address) cannot print: \(status.problems.joined(separator: ", "))") }
                let name = try database.read { db in try StoreSettings.load(db).name }
                let page = "\(name)\nTill printer test\nregister \(register)\n\(printer.address)\n"
                    + LocalTime.format(Date(), timeZone: LocalTime.timeZone(of: database)) + "\n" + String(repeating: "-", count: printer.width) + "\n"
                try connection.send(EscPos.encode(page, openDrawer: false, width: printer.width))
                let after = try connection.status()
                if after.refusesPrinting { throw TillError.invalid("printer \(printer.address): \(after.problems.joined(separator: ", ")) while printing the test page") }
                print("test page printed")
            } catch let error as PrinterError {
                throw TillError.invalid(error.description)
            }
        }
    }

    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Receipts waiting for their printer (queued, or failed part way).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Only this register's.") var register: String?
        @Flag(help: "As JSON.") var json = false

        func run() throws {
            let database = try store.open()
            let jobs = try ReceiptPrintQueue(output: ReceiptOutput(store: database)).waiting(register: register)
            if json {
                try printJSON(jobs)
                return
            }
            guard !jobs.isEmpty else {
                print("no receipts waiting to print")
                return
            }
            let zone = LocalTime.timeZone(of: database)
            for job in jobs {
                print("\(job.register.padding(toLength: 12, withPad: " ", startingAt: 0))  #\(job.orderNumber) \(job.kind.rawValue)"
                      + "  \(job.status.rawValue), \(job.attempts) tr\(job.attempts == 1 ? "y" : "ies")  since "
                      + LocalTime.format(job.createdAt, timeZone: zone) + (job.lastError.map { "  — \($0)" } ?? ""))
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the receipts waiting for a register's printer (every register's when none is named); exits 1 when some still wait.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The register.") var register: String?
        @Option(help: ArgumentHelp("Print them on this printer instead (tcp://HOST:PORT or a device path).", valueName: "address"))
        var printer: String?

        func run() throws {
            let database = try store.open()
            let queue = ReceiptPrintQueue(output: ReceiptOutput(store: database, printerPath: printer))
            let done = try queue.retry(register: register)
            guard !done.isEmpty else {
                print("no receipts waiting to print")
                return
            }
            for job in done {
                if job.status == .printed {
                    print("receipt #\(job.orderNumber)\(job.kind == .copy ? " (copy)" : "") printed on \(job.printer ?? "the printer")")
                } else {
                    print("receipt #\(job.orderNumber) not printed — printer \(job.printer ?? "") \(job.lastError ?? ""); still queued")
                }
            }
            let left = try queue.waiting(register: register).count
            if left > 0 { throw TillError.invalid("\(left) receipt\(left == 1 ? "" : "s") still waiting to print (till printer queue)") }
        }
    }
}
