import ArgumentParser
import Foundation
import TillCore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import products, customers or stock from CSV. All or nothing: one bad row imports nothing.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case products, customers, stock
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case native, shopify
    }

    @OptionGroup var store: StoreOptions

    @Argument(help: "What the file holds: products, customers or stock.")
    var kind: Kind

    @Argument(help: "The CSV file (comma-, semicolon- or tab-separated; found from the header line).")
    var file: String

    @Option(help: "native (Till's own columns) or shopify (Shopify's product export).")
    var format: Format = .native

    @Flag(help: "Check the file and report what would change, without writing anything.")
    var dryRun = false

    @Flag(help: "Shopify: import rows whose barcode is unusable (e.g. 3.65E+11) without it, listing each one.")
    var dropBadBarcodes = false

    func validate() throws {
        if format == .shopify && kind != .products {
            throw ValidationError("--format shopify reads product files only")
        }
    }

    func run() throws {
        let database = try store.open()
        let ctx = try store.context(in: database)  // who, checked against the PIN before any file is read
        let progress = ProgressBar.handler(label: "importing \(kind.rawValue)")
        let summary: ImportSummary
        switch kind {
        case .products:
            summary = try ProductImporter(store: database).importFile(
                path: file, format: format == .shopify ? .shopify : .native, dryRun: dryRun,
                dropBadBarcodes: dropBadBarcodes, progress: progress)
        case .customers:
            summary = try CustomerImporter(store: database).importFile(path: file, dryRun: dryRun, progress: progress)
        case .stock:
            summary = try StockImporter(store: database).importFile(path: file, dryRun: dryRun, progress: progress,
                                                                    ctx)
        }
        for warning in summary.warnings { FileHandle.standardError.write(Data("till: \(warning)\n".utf8)) }
        print(summary.description)
    }
}
