import Foundation
import GRDB

/// Why a shelf label waits to be printed.
public enum LabelReason: String, Codable, Sendable, CaseIterable {
    /// The shelf price changed (by hand, a bulk change, an import, head office, a scheduled price).
    case price
    /// A promotion began: its items show the promotion's price or deal.
    case promotionStart = "promotion_start"
    /// A promotion ended (or was changed or removed): its items are back at their own price.
    case promotionEnd = "promotion_end"
    /// The first delivery of an item that never had stock: it needs a label on its new shelf.
    case newItem = "new_item"
    /// Asked for by hand (`till labels add`).
    case manual
}

/// One label waiting: the label as it would print now, why, and since when.
public struct QueuedLabel: Equatable, Sendable {
    public var label: ShelfLabel
    public var reason: LabelReason
    public var queuedAt: Date
    /// Goes up each time the variant is queued again: printing clears only the entry it printed.
    public var revision: Int64
}

/// The "labels to print" queue (schema `v19-labels`): one row per SKU waiting, so a price change is never left
/// without its shelf label. The database fills it, whoever changes the data:
///
/// - a trigger on `variant.price` queues every price change, from every path that makes one (the catalog editor,
///   the bulk change, imports, head office's catalog and its scheduled prices);
/// - a trigger on the stock ledger queues the first delivery of an item that never had stock (`received`, with
///   no earlier incoming movement);
/// - a promotion's start and end are moments in time, so `catchUp` (run by `till labels`, and when the app opens)
///   queues the items of every promotion that began or ended since it was last looked at. Each promotion keeps
///   its own marks (`start_labels_at`, `end_labels_at`), so a promotion added with a start in the past is never
///   missed, and a trigger on `promotion` re-examines one that is changed or removed, queueing its old items
///   while it was showing on the shelves.
///
/// Queueing an SKU that waits already updates its reason and time.
public struct LabelQueue: Sendable {
    public let store: StoreDatabase

    public init(store: StoreDatabase) { self.store = store }

    static let reasons = LabelReason.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// The variants a promotion row `row` (NEW or OLD in a trigger) covers on the shelves: its SKU, or every active
    /// SKU of its category.
    static func coveredSQL(_ row: String) -> String {
        """
        SELECT v.id FROM variant v JOIN product p ON p.id = v.product_id
        WHERE v.active AND p.active AND (v.id = \(row).variant_id OR (\(row).category_id IS NOT NULL AND p.category_id = \(row).category_id))
        """
    }

    static let upsert = "ON CONFLICT(variant_id) DO UPDATE SET reason = excluded.reason, queued_at = excluded.queued_at, revision = revision + 1"
    static let nowSQL = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

    static func create(_ db: Database) throws {
        try db.execute(sql: """
            -- How much a pack holds, for the unit price on its label: thousandths of a kg, l or m.
            ALTER TABLE variant ADD COLUMN content_milli INTEGER CHECK (content_milli > 0);
            ALTER TABLE variant ADD COLUMN content_unit TEXT CHECK (content_unit IN ('kg', 'l', 'm'));

            -- A promotion's time window (none: while it is active), and when its labels were queued for its start
            -- and its end.
            ALTER TABLE promotion ADD COLUMN starts_at DATETIME;
            ALTER TABLE promotion ADD COLUMN ends_at DATETIME;
            ALTER TABLE promotion ADD COLUMN start_labels_at DATETIME;
            ALTER TABLE promotion ADD COLUMN end_labels_at DATETIME;
            -- Promotions running before labels were kept are on the shelves already.
            UPDATE promotion SET start_labels_at = \(nowSQL), end_labels_at = CASE WHEN active THEN NULL ELSE \(nowSQL) END;

            CREATE TABLE label_queue (
                variant_id INTEGER PRIMARY KEY REFERENCES variant(id) ON DELETE CASCADE,
                reason TEXT NOT NULL CHECK (reason IN (\(reasons))),
                queued_at DATETIME NOT NULL,
                revision INTEGER NOT NULL DEFAULT 1
            );

            CREATE TRIGGER label_queue_price AFTER UPDATE OF price ON variant WHEN NEW.price <> OLD.price
            BEGIN
                INSERT INTO label_queue(variant_id, reason, queued_at) VALUES (NEW.id, 'price', \(nowSQL)) \(upsert);
            END;

            CREATE TRIGGER label_queue_new_item AFTER INSERT ON stock_movement
            WHEN NEW.reason = 'received' AND NEW.delta_milli > 0 AND NOT EXISTS (
                SELECT 1 FROM stock_movement WHERE variant_id = NEW.variant_id AND id <> NEW.id AND delta_milli > 0)
            BEGIN
                INSERT INTO label_queue(variant_id, reason, queued_at) VALUES (NEW.variant_id, 'new_item', NEW.created_at) \(upsert);
            END;

            -- A promotion changed while it was on the shelves: its items get their labels back (the next catch-up
            -- queues the new state), and it is looked at afresh.
            CREATE TRIGGER label_queue_promotion_change AFTER UPDATE ON promotion
            WHEN OLD.active IS NOT NEW.active OR OLD.starts_at IS NOT NEW.starts_at OR OLD.ends_at IS NOT NEW.ends_at
              OR OLD.kind IS NOT NEW.kind OR OLD.category_id IS NOT NEW.category_id OR OLD.variant_id IS NOT NEW.variant_id
              OR OLD.percent_bp IS NOT NEW.percent_bp OR OLD.buy_quantity IS NOT NEW.buy_quantity
              OR OLD.free_quantity IS NOT NEW.free_quantity OR OLD.bundle_quantity IS NOT NEW.bundle_quantity
              OR OLD.bundle_price IS NOT NEW.bundle_price OR OLD.name IS NOT NEW.name
            BEGIN
                INSERT INTO label_queue(variant_id, reason, queued_at)
                SELECT id, 'promotion_end', \(nowSQL) FROM (\(coveredSQL("OLD")))
                WHERE OLD.start_labels_at IS NOT NULL AND OLD.end_labels_at IS NULL \(upsert);
                UPDATE promotion SET start_labels_at = NULL, end_labels_at = NULL WHERE id = NEW.id;
            END;

            CREATE TRIGGER label_queue_promotion_delete AFTER DELETE ON promotion
            WHEN OLD.start_labels_at IS NOT NULL AND OLD.end_labels_at IS NULL
            BEGIN
                INSERT INTO label_queue(variant_id, reason, queued_at)
                SELECT id, 'promotion_end', \(nowSQL) FROM (\(coveredSQL("OLD"))) WHERE true \(upsert);
            END;
            """)
    }

    // MARK: - Promotions

    /// Queues the items of every promotion that began or ended by `now` and was not looked at since; returns how
    /// many labels it queued. Cheap when nothing is due: a few passes over the (small) promotion table.
    @discardableResult
    public func catchUp(now: Date) throws -> Int {
        try store.write { db in try LabelQueue.catchUp(db, now: now) }
    }

    static func catchUp(_ db: Database, now: Date) throws -> Int {
        // A promotion row `x` (a table alias, or "" for the table itself) in force at :now, or over by then.
        func inForce(_ x: String) -> String {
            "\(x)active AND (\(x)starts_at IS NULL OR \(x)starts_at <= :now) AND (\(x)ends_at IS NULL OR \(x)ends_at > :now)"
        }
        func ended(_ x: String) -> String { "(NOT \(x)active OR (\(x)ends_at IS NOT NULL AND \(x)ends_at <= :now))" }
        let arguments: StatementArguments = ["now": now]
        var queued = 0
        func queue(_ condition: String, _ reason: LabelReason) throws {
            try db.execute(sql: """
                INSERT INTO label_queue(variant_id, reason, queued_at)
                SELECT DISTINCT v.id, '\(reason.rawValue)', :now FROM promotion x
                JOIN variant v JOIN product p ON p.id = v.product_id
                WHERE \(condition) AND v.active AND p.active
                  AND (v.id = x.variant_id OR (x.category_id IS NOT NULL AND p.category_id = x.category_id))
                \(upsert)
                """, arguments: arguments)
            queued += db.changesCount
        }
        // On the shelves and now over; then begun and not yet on the shelves (an item whose one promotion ends as
        // another begins is queued for the one beginning).
        try queue("x.start_labels_at IS NOT NULL AND x.end_labels_at IS NULL AND \(ended("x."))", .promotionEnd)
        try queue("x.start_labels_at IS NULL AND \(inForce("x."))", .promotionStart)
        try db.execute(sql: "UPDATE promotion SET end_labels_at = :now WHERE start_labels_at IS NOT NULL AND end_labels_at IS NULL AND \(ended(""))",
                       arguments: arguments)
        try db.execute(sql: "UPDATE promotion SET start_labels_at = :now WHERE start_labels_at IS NULL AND \(inForce(""))",
                       arguments: arguments)
        // Begun and over between two looks (or made already over): never on the shelves, nothing to change.
        try db.execute(sql: "UPDATE promotion SET start_labels_at = :now, end_labels_at = :now WHERE start_labels_at IS NULL AND \(ended(""))",
                       arguments: arguments)
        return queued
    }

    // MARK: - The queue

    /// Every label waiting, as it would print now (promotions that began or ended are queued first), in shelf
    /// order: category, name, option, SKU.
    public func pending(_ ctx: TillContext) throws -> [QueuedLabel] {
        let now = ctx.now
        try catchUp(now: now)
        return try store.read { db in try LabelQueue.pending(db, variantIDs: nil, at: now) }
    }

    static func pending(_ db: Database, variantIDs: [Int64]?, at date: Date) throws -> [QueuedLabel] {
        var sql = """
            SELECT q.variant_id, q.reason, q.queued_at, q.revision FROM label_queue q
            JOIN variant v ON v.id = q.variant_id JOIN product p ON p.id = v.product_id
            LEFT JOIN category c ON c.id = p.category_id
            """
        var arguments: StatementArguments = []
        if let variantIDs {
            sql += " WHERE q.variant_id IN (\(variantIDs.map { _ in "?" }.joined(separator: ",")))"
            arguments = StatementArguments(variantIDs)
        }
        sql += " ORDER BY c.name IS NULL, c.name COLLATE NOCASE, p.name COLLATE NOCASE, v.option COLLATE NOCASE, v.sku COLLATE NOCASE"
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        let labels = try ShelfLabel.build(db, variantIDs: rows.map { $0["variant_id"] }, at: date)
        let byID = Dictionary(labels.map { ($0.variantID, $0) }, uniquingKeysWith: { first, _ in first })
        return rows.compactMap { row in
            guard let label = byID[row["variant_id"]] else { return nil }
            return QueuedLabel(label: label, reason: LabelReason(rawValue: row["reason"]) ?? .manual,
                               queuedAt: row["queued_at"], revision: row["revision"])
        }
    }

    /// Queues these SKUs (or barcodes) by hand; returns the SKUs queued.
    @discardableResult
    public func add(skus: [String], _ ctx: TillContext) throws -> [String] {
        let staffID = ctx.staffID, date = ctx.now
        guard !skus.isEmpty else { throw TillError.invalid("name the SKUs whose labels to print") }
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            let items = try LabelQueue.resolve(db, skus)
            for item in items {
                try db.execute(sql: "INSERT INTO label_queue(variant_id, reason, queued_at) VALUES (?, 'manual', ?) \(LabelQueue.upsert)",
                               arguments: [item.variantID, date])
            }
            try AuditLog.record(db, action: "labels.add", entity: "label_queue", entityID: nil, before: nil,
                                after: ["skus": items.map(\.sku)], staffID: staffID, at: date)
            return items.map(\.sku)
        }
    }

    /// Takes SKUs off the queue without printing (all of them when `skus` is empty); returns how many. Audited,
    /// with what was waiting and why, since a label left unprinted is a shelf that shows the wrong price.
    @discardableResult
    public func clear(skus: [String] = [], _ ctx: TillContext) throws -> Int {
        let staffID = ctx.staffID, date = ctx.now
        return try store.write { db in
            try Permissions.requireIfSignedIn(db, .editCatalog, staffID: staffID)
            let ids = skus.isEmpty ? nil : try LabelQueue.resolve(db, skus).map(\.variantID)
            var filter = ""
            var arguments: StatementArguments = []
            if let ids {
                filter = " WHERE variant_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
                arguments = StatementArguments(ids)
            }
            let waiting = try Row.fetchAll(db, sql: """
                SELECT v.sku, q.reason FROM (SELECT * FROM label_queue\(filter)) q JOIN variant v ON v.id = q.variant_id ORDER BY v.sku
                """, arguments: arguments).map { ["sku": $0["sku"] as String, "reason": $0["reason"] as String] }
            try db.execute(sql: "DELETE FROM label_queue" + filter, arguments: arguments)
            if !waiting.isEmpty {
                try AuditLog.record(db, action: "labels.clear", entity: "label_queue", entityID: nil, before: waiting,
                                    after: nil, staffID: staffID, note: "cleared without printing", at: date)
            }
            return waiting.count
        }
    }

    /// The items named by SKU or barcode (the till's lookup rule), each once, in the order given.
    static func resolve(_ db: Database, _ codes: [String]) throws -> [CatalogItem] {
        var items: [CatalogItem] = []
        for code in codes {
            guard let item = try Catalog.lookup(db, code: code) else { throw TillError.notFound("SKU \(code)") }
            if !items.contains(where: { $0.variantID == item.variantID }) { items.append(item) }
        }
        return items
    }
}
