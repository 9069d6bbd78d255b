import Foundation
import GRDB

extension StoreMigrations {
    /// Barcodes become GTIN-14 (`036000291452` and `0036000291452` were two rows that scanned as two codes; now
    /// they are one), case codes get their pack quantity, and the search index holds every printed form of a
    /// code so typing the start of any of them finds it.
    ///
    /// Two rows that turn out to be the same GTIN on different SKUs cannot both stay (a scan must name one item):
    /// the older row keeps the code, the newer is removed and the removal written to the audit log with both
    /// SKUs, so `till audit` shows what to fix.
    static func canonicalizeBarcodes(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE barcode ADD COLUMN pack_quantity INTEGER NOT NULL DEFAULT 1 CHECK (pack_quantity >= 1);
            """)
        let rows = try Row.fetchAll(db, sql: """
            SELECT b.rowid AS rowid, b.code AS code, b.variant_id AS variant_id, v.sku AS sku
            FROM barcode b JOIN variant v ON v.id = b.variant_id ORDER BY b.rowid
            """)
        var owners: [String: (variantID: Int64, sku: String)] = [:]
        var renames: [(rowid: Int64, code: String)] = []
        for row in rows {
            let code: String = row["code"]
            // A code no write path would accept today is left as it was: lookups still find it by its exact text.
            guard case let .success(canonical) = Barcode.canonical(code) else { continue }
            let variantID: Int64 = row["variant_id"]
            let sku: String = row["sku"]
            if let owner = owners[canonical] {
                try db.execute(sql: "DELETE FROM barcode WHERE rowid = ?", arguments: [row["rowid"] as Int64])
                let sameItem = owner.variantID == variantID
                try AuditLog.record(db, action: "barcode.merge", entity: "variant", entityID: variantID,
                                    before: ["sku": sku, "barcode": code], after: ["sku": owner.sku, "barcode": canonical],
                                    staffID: nil,
                                    note: sameItem ? "\(code) was a second form of a barcode \(sku) already has"
                                        : "\(code) is the same GTIN as \(owner.sku)'s barcode; it stays on \(owner.sku), removed from \(sku)",
                                    at: Date())
                continue
            }
            owners[canonical] = (variantID, sku)
            if canonical != code { renames.append((row["rowid"], canonical)) }
        }
        for rename in renames {
            try db.execute(sql: "UPDATE barcode SET code = ? WHERE rowid = ?", arguments: [rename.code, rename.rowid])
        }
        // Each GTIN-14 is indexed with its shorter printed forms (EAN-13, UPC-A, EAN-8 where its leading zeros
        // allow), so search-as-you-type finds `0360002…`, `00360002…` and the GTIN-14 alike.
        try db.execute(sql: """
            DROP VIEW variant_search_source;
            CREATE VIEW variant_search_source AS
            SELECT v.id AS id, v.sku AS sku, p.name AS name, v.option AS option,
                   COALESCE((SELECT group_concat(
                       b.code
                       || CASE WHEN length(b.code) = 14 AND substr(b.code, 1, 1) = '0' THEN ' ' || substr(b.code, 2) ELSE '' END
                       || CASE WHEN length(b.code) = 14 AND substr(b.code, 1, 2) = '00' THEN ' ' || substr(b.code, 3) ELSE '' END
                       || CASE WHEN length(b.code) = 14 AND substr(b.code, 1, 6) = '000000' THEN ' ' || substr(b.code, 7) ELSE '' END,
                       ' ') FROM barcode b WHERE b.variant_id = v.id), '') AS barcodes,
                   COALESCE(c.name, '') AS category
            FROM variant v JOIN product p ON p.id = v.product_id LEFT JOIN category c ON c.id = p.category_id;

            CREATE TRIGGER variant_search_barcode_update AFTER UPDATE ON barcode BEGIN
                DELETE FROM variant_search WHERE rowid IN (OLD.variant_id, NEW.variant_id);
                INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
                SELECT id, sku, name, option, barcodes, category FROM variant_search_source
                WHERE id IN (OLD.variant_id, NEW.variant_id);
            END;

            DELETE FROM variant_search;
            INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
            SELECT id, sku, name, option, barcodes, category FROM variant_search_source;
            """)
    }
}
