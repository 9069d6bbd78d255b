import Foundation
import GRDB

/// A receipt waiting for its printer, or printed.
public struct PrintJob: Equatable, Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable { case receipt, copy }
    public enum Status: String, Sendable, Encodable { case queued, printed, failed }

    public var id: Int64
    public var orderNumber: Int64
    public var kind: Kind
    public var register: String
    public var status: Status
    public var attempts: Int
    /// Why it has not printed, in plain words ("paper out", "not answering"); for a printed job, a warning the
    /// printer gave with it ("paper low").
    public var lastError: String?
    /// The printer it last went to (or was refused by), as its address reads.
    public var printer: String?
    public var createdAt: Date
    public var printedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, register, status, attempts, printer
        case orderNumber = "order_number"
        case lastError = "last_error"
        case createdAt = "created_at"
        case printedAt = "printed_at"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(orderNumber, forKey: .orderNumber)
        try container.encode(kind, forKey: .kind)
        try container.encode(register, forKey: .register)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encodeIfPresent(lastError, forKey: .lastError)
        try container.encodeIfPresent(printer, forKey: .printer)
        try container.encode(createdAt.formatted(.iso8601), forKey: .createdAt)
        try container.encodeIfPresent(printedAt?.formatted(.iso8601), forKey: .printedAt)
    }

    /// "Receipt #1002 not printed — printer paper out": what the register and the CLI say of a job that is waiting.
    public var notPrintedLine: String {
        "\(kind == .copy ? "Copy of receipt" : "Receipt") #\(orderNumber) not printed — printer \(lastError ?? "not tried yet")"
    }
}

/// The store's receipt print queue. A sale is saved first; its receipt is queued (a row, no network) and then
/// printed by `print(jobID:)`, which asks the printer's status before (a printer that says paper out or cover
/// open is not sent the receipt: it stays queued with the reason), writes it, and asks again after (an answer
/// that says it could not print, or no answer, marks it failed). Waiting jobs are printed again with
/// `retry(register:)` — `till printer retry`, or one key at the register.
public struct ReceiptPrintQueue: Sendable {
    public let output: ReceiptOutput
    /// How long any one step with a network printer may take: short, because a cashier is waiting.
    public let timeout: Duration

    public init(output: ReceiptOutput, timeout: Duration = .seconds(2)) {
        self.output = output
        self.timeout = timeout
    }

    var store: StoreDatabase { output.store }

    /// Queues a print of order `number`'s receipt at `register`.
    @discardableResult
    public func enqueue(orderNumber number: Int64, kind: PrintJob.Kind = .receipt, register: String, at date: Date) throws -> PrintJob {
        try store.write { db in
            try db.execute(sql: "INSERT INTO print_job(order_number, kind, register, status, created_at) VALUES (?, ?, ?, 'queued', ?)",
                           arguments: [number, kind.rawValue, register, date])
            guard let job = try ReceiptPrintQueue.job(db, id: db.lastInsertedRowID) else { throw TillError.storage("the print job was not saved") }
            return job
        }
    }

    public func job(id: Int64) throws -> PrintJob? {
        try store.read { db in try ReceiptPrintQueue.job(db, id: id) }
    }

    /// Jobs not printed yet (queued or failed), oldest first; one register's, or every register's.
    public func waiting(register: String? = nil) throws -> [PrintJob] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM print_job WHERE status <> 'printed' AND (? IS NULL OR register = ?) ORDER BY id",
                             arguments: [register, register]).map(ReceiptPrintQueue.decode)
        }
    }

    /// The printer `register` prints on now: the one given on the command line (`--printer`), else the one
    /// store settings configure for it.
    public func printer(for register: String) throws -> (address: PrinterAddress, width: Int, style: ReceiptOutput.CodeStyle)? {
        if let path = output.printerPath { return (try PrinterAddress(parsing: path), output.width, output.codeStyle) }
        return try RegisterPrinters(store: store).printer(for: register).map { ($0.address, $0.width, $0.qrStyle) }
    }

    /// Prints job `id` now and records what happened; a printer's problem is the job's outcome, never an error.
    @discardableResult
    public func print(jobID id: Int64, at date: @autoclosure () -> Date = Date()) throws -> PrintJob {
        guard let job = try job(id: id) else { throw TillError.notFound("print job \(id)") }
        guard job.status != .printed else { return job }
        guard let printer = try printer(for: job.register) else {
            return try record(job, .queued, error: "none set for register \(job.register) (till printer set \(job.register) tcp://HOST:9100)",
                              printer: nil, tried: false, at: date())
        }
        let address = printer.address.description
        let rendered = try output.render(orderNumber: job.orderNumber, copy: job.kind == .copy, width: printer.width)
        // The drawer is wired to the printer: it opens with the first try of a cash sale's receipt only.
        let openDrawer = job.kind == .receipt && job.attempts == 0 && rendered.tookCash
        let connection = PrinterConnection(address: printer.address, timeout: timeout)
        defer { connection.close() }
        let before: PrinterStatus
        do {
            before = try connection.status()
        } catch let error as PrinterError {
            return try record(job, .queued, error: error.words, printer: address, at: date())
        }
        if before.refusesPrinting {
            // Not sent: a receipt sent into a printer without paper is lost. The cash drawer still opens, so
            // the change can be given while the paper is changed.
            if openDrawer { try? connection.send(EscPos.drawerPulse) }
            return try record(job, .queued, error: before.problems.joined(separator: ", "), printer: address, at: date())
        }
        let after: PrinterStatus
        do {
            try connection.send(rendered.printerBytes(openDrawer: openDrawer, width: printer.width, style: printer.style))
            after = try connection.status()
            if after.refusesPrinting {
                // It ran out (or the cover was opened) while printing: the receipt may be cut short.
                return try record(job, .failed, error: after.problems.joined(separator: ", ") + " while printing", printer: address, at: date())
            }
        } catch let error as PrinterError {
            return try record(job, .failed, error: error.words + " while printing", printer: address, at: date())
        }
        // Printed; a roll nearly at its end is said with it, so it is changed before the next receipt is lost.
        return try record(job, .printed, error: after.paperLow || before.paperLow ? "paper low" : nil, printer: address, at: date())
    }

    /// Prints `register`'s waiting jobs (every register's when nil), oldest first. A printer that cannot print
    /// one is not sent the rest of its jobs now: they keep waiting.
    public func retry(register: String? = nil, at date: @autoclosure () -> Date = Date()) throws -> [PrintJob] {
        var done: [PrintJob] = []
        var stuck: Set<String> = []
        for job in try waiting(register: register) where !stuck.contains(job.register) {
            let printed = try print(jobID: job.id, at: date())
            done.append(printed)
            if printed.status != .printed { stuck.insert(job.register) }
        }
        return done
    }

    private func record(_ job: PrintJob, _ status: PrintJob.Status, error: String?, printer: String?, tried: Bool = true,
                        at date: Date) throws -> PrintJob {
        try store.write { db in
            try db.execute(sql: """
                UPDATE print_job SET status = ?, attempts = attempts + ?, last_error = ?,
                                     printed_at = CASE WHEN ? = 'printed' THEN ? ELSE printed_at END
                WHERE id = ?
                """, arguments: [status.rawValue, tried ? 1 : 0, error.map { String($0.prefix(200)) }, status.rawValue, date, job.id])
            guard var saved = try ReceiptPrintQueue.job(db, id: job.id) else { throw TillError.notFound("print job \(job.id)") }
            saved.printer = printer
            return saved
        }
    }

    static func job(_ db: Database, id: Int64) throws -> PrintJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM print_job WHERE id = ?", arguments: [id]).map(decode)
    }

    static func decode(_ row: Row) -> PrintJob {
        PrintJob(id: row["id"], orderNumber: row["order_number"], kind: PrintJob.Kind(rawValue: row["kind"]) ?? .receipt,
                 register: row["register"], status: PrintJob.Status(rawValue: row["status"]) ?? .queued, attempts: row["attempts"],
                 lastError: row["last_error"], printer: nil, createdAt: row["created_at"], printedAt: row["printed_at"])
    }
}

/// A receipt issued after a sale: its text (saved), and its print job when the register has a printer.
public struct IssuedReceipt: Equatable, Sendable {
    public var text: String
    public var job: PrintJob?
}

extension ReceiptOutput {
    /// Saves order `number`'s receipt and, when `register` has a printer (or `printerPath` names one), queues it
    /// — nothing is sent, so the sale waits for no printer. Print it with `ReceiptPrintQueue.print(jobID:)`.
    public func issueQueued(orderNumber number: Int64, register: String, copy: Bool = false, at date: Date) throws -> IssuedReceipt {
        let rendered = try render(orderNumber: number, copy: copy, width: width)
        try save(rendered, number: number, copy: copy)
        let queue = ReceiptPrintQueue(output: self)
        guard try queue.printer(for: register) != nil else { return IssuedReceipt(text: rendered.text, job: nil) }
        return IssuedReceipt(text: rendered.text, job: try queue.enqueue(orderNumber: number, kind: copy ? .copy : .receipt,
                                                                        register: register, at: date))
    }
}
