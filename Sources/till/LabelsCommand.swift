import ArgumentParser
import Foundation
import TillCore

extension LabelFormat: ExpressibleByArgument {}
extension LabelKind: ExpressibleByArgument {}

/// `till labels`: the shelf labels waiting to be printed, and printing them.
struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels", abstract: "Shelf-edge and item labels: the queue of labels to print, and printing them.",
        discussion: """
            Price changes (by hand, bulk, import, head office), promotions starting and ending, and the first delivery \
            of a new item queue their SKUs' labels; printing takes them off the queue once the printer has the bytes.
            """,
        subcommands: [Queue.self, Add.self, Clear.self, Print.self])

    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The labels waiting: SKU, name, price now, why, since when.")
        @OptionGroup var store: StoreOptions
        @Option(help: "table or json.") var format: ReportFormat = .table

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            let zone = try database.read { db in try StoreSettings.load(db).timeZone }
            let waiting = try LabelQueue(store: database).pending(ctx)
            if format == .json {
                return try printJSON(waiting.map { entry in
                    QueuedJSON(sku: entry.label.sku, name: entry.label.displayName,
                               price: Money(minorUnits: entry.label.priceNow, currency: entry.label.currency).decimalString,
                               regularPrice: Money(minorUnits: entry.label.price, currency: entry.label.currency).decimalString,
                               promotion: entry.label.promotion, unitPrice: entry.label.unitPriceText,
                               barcode: entry.label.barcode.map { "\($0.symbology.rawValue) \($0.value)" },
                               reason: entry.reason.rawValue, queuedAt: LocalTime.format(entry.queuedAt, timeZone: zone))
                })
            }
            guard !waiting.isEmpty else { return print("no labels to print") }
            let rows = waiting.map { entry in
                [entry.label.sku, entry.label.displayName, entry.label.priceText + (entry.label.promotionPrice != nil ? " *" : ""),
                 entry.reason.rawValue, LocalTime.format(entry.queuedAt, timeZone: zone)]
            }
            TextTable(header: ["sku", "name", "price", "reason", "queued"], rows: rows, numeric: [2]).lines.forEach { print($0) }
            print("\(waiting.count) label\(waiting.count == 1 ? "" : "s") to print" + (waiting.contains { $0.label.promotionPrice != nil } ? " (* promotion price)" : ""))
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue labels by hand (a torn label, a new shelf).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "SKUs or barcodes.") var skus: [String]

        func run() throws {
            let database = try store.open()
            let added = try LabelQueue(store: database).add(skus: skus, try store.context(in: database))
            print("queued \(added.joined(separator: ", "))")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take labels off the queue without printing (all, or these SKUs); audited.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "SKUs or barcodes (none: the whole queue).") var skus: [String] = []

        func run() throws {
            let database = try store.open()
            let cleared = try LabelQueue(store: database).clear(skus: skus, try store.context(in: database))
            print("cleared \(cleared) label\(cleared == 1 ? "" : "s")")
        }
    }

    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the queue (or --sku SKUs) as ESC/POS or ZPL, to standard output or a printer.",
            discussion: """
                Without --printer the bytes go to standard output (redirect them to a file or a device). With --printer \
                they are appended to that device or file, or sent to tcp://HOST:PORT (a network printer's raw port, \
                9100 when no port is given). The printed labels leave the queue only once every byte was written.
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: "escpos (receipt-style printers) or zpl (Zebra label printers).") var format: LabelFormat = .escpos
        @Option(help: ArgumentHelp("A device or file, or tcp://HOST:PORT; standard output when not given.", valueName: "path"))
        var printer: String?
        @Option(help: "shelf (name, price, unit price, barcode, SKU) or item (a small label for the item itself).") var kind: LabelKind = .shelf
        @Option(help: "Copies of each label.") var copies: Int = 1
        @Option(name: .customLong("sku"), help: "Print this SKU or barcode (repeat), queued or not, instead of the queue.") var skus: [String] = []
        @Option(help: "ESC/POS: paper width in columns, 32 (58 mm), 42 or 48 (80 mm).") var width: Int = 42
        @Flag(help: "ESC/POS: draw the bars as a raster image (GS v 0), for printers without the GS k barcode command.") var raster = false
        @Option(help: ArgumentHelp("ZPL: label size in dots, WIDTHxHEIGHT (default 58 x 38 mm shelf, 50 x 30 mm item, at --dpi).", valueName: "WxH"))
        var size: String?
        @Option(help: "ZPL: the printer's resolution, 203, 300 or 600 dpi.") var dpi: Int = 203
        @Option(help: "Seconds to wait for a network printer.") var timeout: Int = 5

        func validate() throws {
            guard (1...1000).contains(copies) else { throw ValidationError("--copies is 1 to 1000") }
            guard LabelEscPos.Options.widths.contains(width) else { throw ValidationError("--width is 32, 42 or 48") }
            guard LabelZPL.Options.resolutions.contains(dpi) else { throw ValidationError("--dpi is 203, 300 or 600") }
            guard (1...120).contains(timeout) else { throw ValidationError("--timeout is 1 to 120 seconds") }
            _ = try labelSize()
        }

        func labelSize() throws -> (Int, Int)? {
            guard let size else { return nil }
            let parts = size.lowercased().split(separator: "x").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let width = parts[0], let height = parts[1], (100...4000).contains(width), (100...4000).contains(height) else {
                throw ValidationError("--size is WIDTHxHEIGHT in dots, each 100 to 4000 (e.g. 463x303)")
            }
            return (width, height)
        }

        func run() throws {
            let database = try store.open()
            let ctx = try store.context(in: database)
            if let printer { _ = try LabelPrinterOutput.destination(printer) }
            // ESC/POS is bytes for a printer: on a terminal it would be garbage, and the labels would leave the queue.
            if printer == nil && format == .escpos && isatty(STDOUT_FILENO) == 1 {
                throw TillError.invalid("ESC/POS labels are printer bytes: send them to a printer (--printer PATH or tcp://HOST:PORT) or redirect standard output to one (> /dev/usb/lp0)")
            }
            let dots = try labelSize()
            let job = LabelPrintJob(format: format, kind: kind, copies: copies, skus: skus,
                                    escpos: LabelEscPos.Options(columns: width, raster: raster),
                                    zpl: LabelZPL.Options(width: dots?.0, height: dots?.1, dpi: dpi))
            let result = try LabelQueue(store: database).print(job, destination: printer ?? "standard output", ctx) { bytes in
                if let printer {
                    try LabelPrinterOutput.send(bytes, to: printer, asksStatus: format == .escpos, timeout: TimeInterval(timeout))
                } else {
                    do { try FileHandle.standardOutput.write(contentsOf: Data(bytes)) } catch {
                        throw TillError.invalid("writing the labels to standard output failed: \(error.localizedDescription)")
                    }
                }
            }
            let what = result.labels.isEmpty ? "no labels to print"
                : "printed \(result.labels.count) label\(result.labels.count == 1 ? "" : "s")"
                  + (copies > 1 ? " × \(copies)" : "") + " (\(format.rawValue))"
                  + (skus.isEmpty || result.cleared > 0 ? ", \(result.cleared) off the queue" : "")
            // The bytes may be on standard output: what happened goes to standard error.
            FileHandle.standardError.write(Data("till: \(what)\n".utf8))
        }
    }

    struct QueuedJSON: Encodable {
        var sku, name, price, regularPrice: String
        var promotion, unitPrice, barcode: String?
        var reason, queuedAt: String
    }
}
