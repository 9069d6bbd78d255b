import ArgumentParser
import Foundation
import TillCore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export products, customers, stock or orders as CSV or JSON.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case products, customers, stock, orders
    }

    @OptionGroup var store: StoreOptions

    @Argument(help: "products, customers, stock or orders.")
    var kind: Kind

    @Option(help: "csv or json.")
    var format: ExportFormat = .csv

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var out: String?

    @Flag(help: "CSV: write cells exactly, without the ' that keeps a spreadsheet from running =, +, -, @ as a formula.")
    var raw = false

    @Option(help: ArgumentHelp("Orders only: export open carts or parked sales instead of completed orders.", valueName: "open|parked"))
    var status: OrderStatus?

    func validate() throws {
        if let status, kind != .orders || ![.open, .parked].contains(status) {
            throw ValidationError("--status takes open or parked, and only with `export orders`")
        }
    }

    func run() throws {
        let database = try store.open()
        // A progress bar only when writing to a file (standard output may be the terminal itself).
        let exporter = Exporter(store: database, progress: out == nil ? nil : ProgressBar.handler(label: "exporting \(kind.rawValue)"),
                                guardsFormulas: !raw)
        let output = try ExportOutput(path: out)
        do {
            switch kind {
            case .products: try exporter.products(format: format, to: output.write)
            case .customers: try exporter.customers(format: format, to: output.write)
            case .stock: try exporter.stock(format: format, to: output.write)
            case .orders: try exporter.orders(format: format, statuses: status.map { [$0] }, to: output.write)
            }
            try output.finish()
        } catch {
            output.abandon()
            throw error
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}
extension OrderStatus: ExpressibleByArgument {}

/// Standard output, or a file written under a temporary name and moved into place only when complete.
final class ExportOutput {
    private let path: String?
    private let partial: String?
    private let handle: FileHandle

    init(path: String?) throws {
        self.path = path
        guard let path else {
            partial = nil
            handle = FileHandle.standardOutput
            return
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw TillError.invalid("cannot write \(path): folder missing or no permission")
        }
        self.partial = partial
        self.handle = handle
    }

    func write(_ text: String) throws {
        do { try handle.write(contentsOf: Data(text.utf8)) } catch {
            throw TillError.invalid("cannot write \(path ?? "standard output"): \(error.localizedDescription)")
        }
    }

    func finish() throws {
        guard let path, let partial else { return }
        try handle.close()
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
    }

    func abandon() {
        guard let partial else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partial)
    }
}
