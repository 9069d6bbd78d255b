import Foundation

/// Where a completed sale's receipt goes: a text copy in the store's own receipts folder beside it
/// (`shop.sqlite-receipts/NUMBER.txt` for `shop.sqlite`), and ESC/POS bytes to a printer device or file when one
/// is configured.
public struct ReceiptOutput: Sendable {
    public let store: StoreDatabase
    public let width: Int
    /// A printer device (`/dev/usb/lp0`) or a file; nil prints nothing.
    public let printerPath: String?
    /// How the printer draws the receipt's QR code: with its own `GS ( k` command, or as a raster image for
    /// printers that lack it (`TILL_PRINTER_QR=raster`).
    public let codeStyle: CodeStyle

    public enum CodeStyle: String, Sendable {
        case native, raster
    }

    public init(store: StoreDatabase, width: Int = 42, printerPath: String? = nil,
                codeStyle: CodeStyle = CodeStyle(rawValue: ProcessInfo.processInfo.environment["TILL_PRINTER_QR"] ?? "") ?? .native) {
        self.store = store
        self.width = width
        self.printerPath = printerPath
        self.codeStyle = codeStyle
    }

    /// The receipt code in printer commands.
    public static func printerCode(_ code: ReceiptCode, style: CodeStyle) -> [UInt8] {
        switch style {
        case .native: return EscPos.qrCode(Array(code.payload.utf8), moduleSize: 4, correction: .medium)
        case .raster:
            guard let symbol = try? QRCode.encode(code.payload, correction: .medium) else { return [] }
            return EscPos.qrRaster(symbol, dotsPerModule: 5)
        }
    }

    /// Named after the whole store file, so two stores in one folder (`a.sqlite`, `b.sqlite`, even `a.db`) never
    /// share or overwrite each other's receipts; it sits beside the store's `-wal` and `-shm` files.
    public var folder: URL {
        let store = URL(fileURLWithPath: store.path)
        return store.deletingLastPathComponent()
            .appendingPathComponent(store.lastPathComponent + "-receipts", isDirectory: true)
    }

    /// A copy of an order's receipt, as it stands now (refunds included), saved and printed again; audited.
    @discardableResult
    public func reprint(orderNumber number: Int64, _ ctx: TillContext) throws -> String {
        let date = ctx.now, staffID = ctx.staffID
        let text: String
        var printedOn = printerPath
        var problem: String?
        if printerPath == nil, let configured = try RegisterPrinters(store: store).printer(for: ctx.register) {
            // The register's own printer, through the queue: a copy it cannot print now waits there.
            let issued = try issueQueued(orderNumber: number, register: ctx.register, copy: true, at: date)
            text = issued.text
            printedOn = configured.address.description
            if let job = issued.job {
                let printed = try ReceiptPrintQueue(output: self).print(jobID: job.id, at: date)
                if printed.status != .printed {
                    problem = "the copy of #\(number) is saved but not printed — printer \(printedOn ?? "") \(printed.lastError ?? ""); it is queued: till printer retry \(ctx.register)"
                }
            }
        } else {
            text = try issue(orderNumber: number, copy: true)
        }
        try store.write { db in
            let orderID = try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE number = ?", arguments: [number])
            try AuditLog.record(db, action: "receipt.reprint", entity: "order", entityID: orderID, before: nil, after: nil,
                                staffID: staffID, note: printedOn.map { "to \($0)" }, at: date)
        }
        if let problem { throw TillError.invalid(problem) }
        return text
    }

    /// Renders, saves and prints the receipt of order `number`; returns its text.
    @discardableResult
    public func issue(orderNumber number: Int64, copy: Bool = false) throws -> String {
        let rendered = try render(orderNumber: number, copy: copy, width: width)
        try save(rendered, number: number, copy: copy)
        if let printerPath {
            let bytes = rendered.printerBytes(openDrawer: !copy && rendered.tookCash, width: width, style: codeStyle)
            do {
                try PrinterConnection(address: .device(path: printerPath)).send(bytes)
            } catch let error as PrinterError {
                throw TillError.storage("the sale is saved, but the printer \(printerPath) \(error.words)")
            }
        }
        return rendered.text
    }

    /// A receipt as text, with what its printed form needs.
    struct Rendered {
        var text: String
        var code: ReceiptCode?
        var tookCash: Bool

        func printerBytes(openDrawer: Bool, width: Int, style: CodeStyle) -> [UInt8] {
            EscPos.encode(text, openDrawer: openDrawer, width: width, code: code.map { ReceiptOutput.printerCode($0, style: style) })
        }
    }

    func render(orderNumber number: Int64, copy: Bool, width: Int) throws -> Rendered {
        let detail = try Orders(store: store).detail(number: number)
        let settings = try store.read { db in try StoreSettings.load(db) }
        let text = Receipt(width: width).text(for: detail, storeName: settings.name, timeZone: settings.timeZone, copy: copy)
        return Rendered(text: text, code: try ReceiptCode.forSale(store, number: number),
                        tookCash: detail.payments.contains { $0.method == .cash && $0.status == .captured })
    }

    func save(_ rendered: Rendered, number: Int64, copy: Bool) throws {
        // The saved copy is the screen receipt: the signed code follows the text, in half blocks.
        let saved = rendered.text + (rendered.code.map { "\n" + ReceiptCodeText.lines($0).joined(separator: "\n") + "\nCode: " + $0.payload + "\n" } ?? "")
        do {
            // Owner-only: receipts name customers and card endings. Set on an existing folder too, in case it
            // was made by hand or by another umask.
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
            // A copy never replaces the receipt the customer was given.
            let file = folder.appendingPathComponent(copy ? "\(number)-copy.txt" : "\(number).txt")
            try Data(saved.utf8).write(to: file, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            throw TillError.storage("the sale is saved, but its receipt could not be written to \(folder.path): \(error.localizedDescription)")
        }
    }
}
