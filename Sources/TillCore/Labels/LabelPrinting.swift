import Foundation
import GRDB

/// What to print and how.
public struct LabelPrintJob: Equatable, Sendable {
    public var format: LabelFormat
    public var kind: LabelKind
    public var copies: Int
    /// These SKUs (or barcodes) whether queued or not; empty prints the queue.
    public var skus: [String]
    public var escpos: LabelEscPos.Options
    public var zpl: LabelZPL.Options

    public init(format: LabelFormat = .escpos, kind: LabelKind = .shelf, copies: Int = 1, skus: [String] = [],
                escpos: LabelEscPos.Options = .init(), zpl: LabelZPL.Options = .init()) {
        self.format = format
        self.kind = kind
        self.copies = copies
        self.skus = skus
        self.escpos = escpos
        self.zpl = zpl
    }

    /// The printer's bytes for these labels.
    public func bytes(for labels: [ShelfLabel]) -> [UInt8] {
        switch format {
        case .escpos: return LabelEscPos.encode(labels, kind: kind, copies: copies, options: escpos)
        case .zpl: return Array(LabelZPL.encode(labels, kind: kind, copies: copies, options: zpl).utf8)
        }
    }
}

public struct LabelPrintResult: Equatable, Sendable {
    public var labels: [ShelfLabel]
    /// Queue entries the printing took off (an entry queued again while printing stays).
    public var cleared: Int
    public var byteCount: Int
}

extension LabelQueue {
    /// Prints the queue (or `job.skus`) through `write` — standard output, a device, a file or a network printer —
    /// and only once `write` has returned takes the printed entries off the queue: a printer that fails leaves
    /// every label waiting. An entry queued again meanwhile (the price changed while printing) stays. Audited.
    @discardableResult
    public func print(_ job: LabelPrintJob, destination: String, _ ctx: TillContext,
                      write: ([UInt8]) throws -> Void) throws -> LabelPrintResult {
        guard job.copies >= 1 && job.copies <= 1000 else { throw TillError.invalid("copies are 1 to 1000") }
        let staffID = ctx.staffID, now = ctx.now
        try store.read { db in try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID) }
        try catchUp(now: now)
        let (labels, entries) = try store.read { db -> ([ShelfLabel], [QueuedLabel]) in
            if job.skus.isEmpty {
                let entries = try LabelQueue.pending(db, variantIDs: nil, at: now)
                return (entries.map(\.label), entries)
            }
            let ids = try LabelQueue.resolve(db, job.skus).map(\.variantID)
            return (try ShelfLabel.build(db, variantIDs: ids, at: now), try LabelQueue.pending(db, variantIDs: ids, at: now))
        }
        guard !labels.isEmpty else { return LabelPrintResult(labels: [], cleared: 0, byteCount: 0) }
        let bytes = job.bytes(for: labels)
        try write(bytes)
        let cleared = try store.write { db -> Int in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            var cleared = 0
            for entry in entries {
                try db.execute(sql: "DELETE FROM label_queue WHERE variant_id = ? AND revision = ?",
                               arguments: [entry.label.variantID, entry.revision])
                cleared += db.changesCount
            }
            try AuditLog.record(db, action: "labels.print", entity: "label_queue", entityID: nil, before: nil,
                                after: PrintAudit(skus: labels.map(\.sku), format: job.format.rawValue, kind: job.kind.rawValue,
                                                  copies: job.copies, destination: destination, cleared: cleared),
                                staffID: staffID, at: now)
            return cleared
        }
        return LabelPrintResult(labels: labels, cleared: cleared, byteCount: bytes.count)
    }

    /// Labels for these SKUs as they would print now, queued or not (a preview; nothing changes).
    public func labels(skus: [String], _ ctx: TillContext) throws -> [ShelfLabel] {
        let now = ctx.now
        return try store.read { db in try ShelfLabel.build(db, variantIDs: try LabelQueue.resolve(db, skus).map(\.variantID), at: now) }
    }
}

private struct PrintAudit: Encodable {
    var skus: [String]
    var format, kind: String
    var copies: Int
    var destination: String
    var cleared: Int
}
