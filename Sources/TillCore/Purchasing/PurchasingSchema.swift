import GRDB

/// Suppliers, what each supplies, and purchase orders with their lines. Stock still only arrives through the
/// ledger (`receive:` movements written by `StockOperations.book`); a PO line counts what was ordered and what
/// has been received against it, so back-orders are what is left.
enum PurchasingSchema {
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE supplier (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) > 0 AND code NOT GLOB '*[ ]*'),
                name TEXT NOT NULL CHECK (length(name) > 0),
                contact TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                lead_time_days INTEGER NOT NULL DEFAULT 7 CHECK (lead_time_days BETWEEN 0 AND 365),
                terms TEXT NOT NULL DEFAULT '',
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                created_at DATETIME NOT NULL
            );

            -- What a supplier sells us of one SKU: their code for it, the case it comes in, what it last cost.
            CREATE TABLE supplier_item (
                supplier_id INTEGER NOT NULL REFERENCES supplier(id) ON DELETE CASCADE,
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE CASCADE,
                item_code TEXT NOT NULL DEFAULT '',
                case_size_milli INTEGER NOT NULL DEFAULT 1000 CHECK (case_size_milli > 0),
                last_cost INTEGER CHECK (last_cost >= 0),
                PRIMARY KEY (supplier_id, variant_id)
            ) WITHOUT ROWID;
            CREATE INDEX supplier_item_variant ON supplier_item(variant_id);

            CREATE TABLE purchase_order (
                id INTEGER PRIMARY KEY,
                number INTEGER NOT NULL UNIQUE CHECK (number > 0),
                supplier_id INTEGER NOT NULL REFERENCES supplier(id) ON DELETE RESTRICT,
                location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE RESTRICT,
                status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'partial', 'received', 'closed')),
                note TEXT NOT NULL DEFAULT '',
                created_at DATETIME NOT NULL,
                created_by INTEGER REFERENCES staff(id),
                sent_at DATETIME,
                expected_on TEXT,
                closed_at DATETIME,
                closed_by INTEGER REFERENCES staff(id)
            );
            CREATE INDEX purchase_order_supplier ON purchase_order(supplier_id, status);

            -- `added_reason` is set on a line that was not ordered but arrived and was accepted, with why.
            CREATE TABLE purchase_order_line (
                id INTEGER PRIMARY KEY,
                purchase_order_id INTEGER NOT NULL REFERENCES purchase_order(id) ON DELETE CASCADE,
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
                ordered_milli INTEGER NOT NULL CHECK (ordered_milli >= 0),
                received_milli INTEGER NOT NULL DEFAULT 0 CHECK (received_milli >= 0),
                unit_cost INTEGER CHECK (unit_cost >= 0),
                case_size_milli INTEGER NOT NULL DEFAULT 1000 CHECK (case_size_milli > 0),
                added_reason TEXT CHECK (added_reason IS NULL OR length(added_reason) > 0),
                UNIQUE (purchase_order_id, variant_id)
            );
            CREATE INDEX purchase_order_line_variant ON purchase_order_line(variant_id);
            """)
    }
}
