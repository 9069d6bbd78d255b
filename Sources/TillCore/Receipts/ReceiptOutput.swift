import Foundation

/// Where a completed sale's receipt goes: a text copy in the store's own receipts folder beside it
/// (`shop.sqlite-receipts/NUMBER.txt` for `shop.sqlite`), and ESC/POS bytes to a printer device or file when one
/// is configured.
public struct ReceiptOutput: Sendable {
    public let store: StoreDatabase
    public let width: Int
    /// A printer device (`/dev/usb/lp0`) or a file; nil prints nothing.
    public let printerPath: String?

    public init(store: StoreDatabase, width: Int = 42, printerPath: String? = nil) {
        self.store = store
        self.width = width
        self.printerPath = printerPath
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
        let text = try issue(orderNumber: number, copy: true)
        try store.write { db in
            let orderID = try Int64.fetchOne(db, sql: "SELECT id FROM orders WHERE number = ?", arguments: [number])
            try AuditLog.record(db, action: "receipt.reprint", entity: "order", entityID: orderID, before: nil, after: nil,
                                staffID: staffID, note: printerPath.map { "to \($0)" }, at: date)
        }
        return text
    }

    /// Renders, saves and prints the receipt of order `number`; returns its text.
    @discardableResult
    public func issue(orderNumber number: Int64, copy: Bool = false) throws -> String {
        let detail = try Orders(store: store).detail(number: number)
        let settings = try store.read { db in try StoreSettings.load(db) }
        let text = Receipt(width: width).text(for: detail, storeName: settings.name, timeZone: settings.timeZone, copy: copy)
        do {
            // Owner-only: receipts name customers and card endings. Set on an existing folder too, in case it
            // was made by hand or by another umask.
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder.path)
            let file = folder.appendingPathComponent("\(number).txt")
            try Data(text.utf8).write(to: file, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        } catch {
            throw TillError.storage("the sale is saved, but its receipt could not be written to \(folder.path): \(error.localizedDescription)")
        }
        if let printerPath {
            let tookCash = !copy && detail.payments.contains { $0.method == .cash && $0.status == .captured }
            let bytes = EscPos.encode(text, openDrawer: tookCash, width: width)
            guard let handle = FileHandle(forWritingAtPath: printerPath)
                    ?? (FileManager.default.createFile(atPath: printerPath, contents: nil) ? FileHandle(forWritingAtPath: printerPath) : nil) else {
                throw TillError.storage("the sale is saved, but the printer \(printerPath) cannot be opened")
            }
            defer { try? handle.close() }
            do {
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(bytes))
            } catch {
                throw TillError.storage("the sale is saved, but printing to \(printerPath) failed: \(error.localizedDescription)")
            }
        }
        return text
    }
}
