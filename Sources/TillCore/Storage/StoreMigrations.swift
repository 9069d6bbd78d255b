import Foundation
import GRDB

/// The schema, as named migrations applied in order. A migration, once shipped, never changes: a later one
/// alters what an earlier one made. `till doctor` prints the newest applied name as the schema version.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation", migrate: createFoundation)
        migrator.registerMigration("v2-register", migrate: createRegister)
        migrator.registerMigration("v3-promotions", migrate: createPromotions)
        migrator.registerMigration("v4-merchant", migrate: createMerchant)
        migrator.registerMigration("v5-support", migrate: createSupport)
        migrator.registerMigration("v6-staff-shifts", migrate: createShifts)
        migrator.registerMigration("v7-lookups", migrate: createLookupIndexes)
        migrator.registerMigration("v8-line-snapshots", migrate: createLineSnapshots)
        migrator.registerMigration("v9-business-days", migrate: createBusinessDays)
        migrator.registerMigration("v10-stock-receipts", migrate: createStockReceipts)
        migrator.registerMigration("v11-barcodes-gtin14", migrate: canonicalizeBarcodes)
        migrator.registerMigration("v12-tax-dated-rates", migrate: createDatedTaxRates)
        migrator.registerMigration("v13-till-park-label", migrate: addParkLabel)
        migrator.registerMigration("v13-perf-sales-slots", migrate: SalesAggregates.create)
        migrator.registerMigration("v15-card-terminals", migrate: createCardTerminals)
        migrator.registerMigration("v16-chain", migrate: ChainOutbox.create)
        migrator.registerMigration("v17-chain-credit", migrate: ChainCredit.create)
        migrator.registerMigration("v17-chain-transfers", migrate: ChainTransfers.create)
        migrator.registerMigration("v17-chain-customers", migrate: ChainCustomers.create)
        migrator.registerMigration("v17-chain-prices", migrate: ChainPrices.create)
        migrator.registerMigration("v17-chain-returns", migrate: ChainReturns.create)
        migrator.registerMigration("v17-chain-points", migrate: ChainPoints.create)
        migrator.registerMigration("v18-journal", migrate: Journal.create)
        migrator.registerMigration("v19-suppliers", migrate: PurchasingSchema.create)
        migrator.registerMigration("v19-printers", migrate: RegisterPrinters.create)
        migrator.registerMigration("v19-scales", migrate: RegisterScales.create)
        migrator.registerMigration("v19-labels", migrate: LabelQueue.create)
        return migrator
    }

    static var latestVersion: String { migrator.migrations.last ?? "none" }

    private static func createFoundation(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE store_setting (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE tax_class (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) > 0),
                name TEXT NOT NULL,
                rate_ppm INTEGER NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000)
            );

            CREATE TABLE category (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0)
            );

            CREATE TABLE product (
                id INTEGER PRIMARY KEY,
                handle TEXT NOT NULL UNIQUE CHECK (length(handle) > 0),
                name TEXT NOT NULL CHECK (length(name) > 0),
                category_id INTEGER REFERENCES category(id) ON DELETE RESTRICT,
                tax_class_id INTEGER NOT NULL REFERENCES tax_class(id) ON DELETE RESTRICT,
                unit TEXT NOT NULL DEFAULT 'each' CHECK (unit IN ('each', 'kg')),
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
            );
            CREATE INDEX product_category ON product(category_id);

            CREATE TABLE variant (
                id INTEGER PRIMARY KEY,
                product_id INTEGER NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
                sku TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(sku) > 0),
                option TEXT NOT NULL DEFAULT '',
                price INTEGER NOT NULL CHECK (price >= 0),
                cost INTEGER CHECK (cost >= 0),
                reorder_point_milli INTEGER NOT NULL DEFAULT 0 CHECK (reorder_point_milli >= 0),
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                position INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX variant_product ON variant(product_id, position);

            CREATE TABLE barcode (
                code TEXT PRIMARY KEY NOT NULL CHECK (length(code) > 0),
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE CASCADE
            );
            CREATE INDEX barcode_variant ON barcode(variant_id);

            CREATE TABLE location (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) > 0),
                name TEXT NOT NULL
            );

            CREATE TABLE staff (
                id INTEGER PRIMARY KEY,
                username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) > 0),
                name TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('cashier', 'support', 'manager', 'admin')),
                pin_hash TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
            );

            CREATE TABLE customer (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL CHECK (length(name) > 0),
                email TEXT,
                phone TEXT,
                phone_digits TEXT,
                notes TEXT NOT NULL DEFAULT ''
            );
            CREATE UNIQUE INDEX customer_email ON customer(email COLLATE NOCASE) WHERE email IS NOT NULL;
            CREATE INDEX customer_phone ON customer(phone_digits);
            CREATE INDEX customer_name ON customer(name COLLATE NOCASE);

            -- The stock ledger: every change of stock is one row here, never edited or removed.
            CREATE TABLE stock_movement (
                id INTEGER PRIMARY KEY,
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
                location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE RESTRICT,
                delta_milli INTEGER NOT NULL CHECK (delta_milli <> 0),
                reason TEXT NOT NULL CHECK (reason IN ('initial', 'sale', 'refund', 'void', 'received', 'damaged',
                    'shrinkage', 'count', 'transfer', 'return_to_vendor', 'import', 'other')),
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                reference TEXT,
                note TEXT,
                created_at DATETIME NOT NULL
            );
            CREATE INDEX stock_movement_variant ON stock_movement(variant_id, created_at);
            CREATE INDEX stock_movement_reference ON stock_movement(reference) WHERE reference IS NOT NULL;
            CREATE TRIGGER stock_movement_no_update BEFORE UPDATE ON stock_movement
            BEGIN SELECT RAISE(ABORT, 'stock_movement is append-only: record a correcting movement instead'); END;
            CREATE TRIGGER stock_movement_no_delete BEFORE DELETE ON stock_movement
            BEGIN SELECT RAISE(ABORT, 'stock_movement is append-only: record a correcting movement instead'); END;

            -- On-hand per SKU and location, kept by the ledger's trigger so reads never sum the ledger;
            -- `till doctor` checks that it still equals the ledger's sums.
            CREATE TABLE stock_level (
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
                location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE RESTRICT,
                on_hand_milli INTEGER NOT NULL,
                PRIMARY KEY (variant_id, location_id)
            ) WITHOUT ROWID;
            CREATE TRIGGER stock_movement_to_level AFTER INSERT ON stock_movement
            BEGIN
                INSERT INTO stock_level(variant_id, location_id, on_hand_milli)
                VALUES (NEW.variant_id, NEW.location_id, NEW.delta_milli)
                ON CONFLICT(variant_id, location_id) DO UPDATE SET on_hand_milli = on_hand_milli + NEW.delta_milli;
            END;

            CREATE TABLE orders (
                id INTEGER PRIMARY KEY,
                number INTEGER UNIQUE,
                status TEXT NOT NULL CHECK (status IN ('open', 'parked', 'completed', 'voided',
                    'partially_refunded', 'refunded')),
                customer_id INTEGER REFERENCES customer(id) ON DELETE RESTRICT,
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                currency TEXT NOT NULL,
                tax_inclusive INTEGER NOT NULL CHECK (tax_inclusive IN (0, 1)),
                subtotal INTEGER NOT NULL,
                discount_total INTEGER NOT NULL DEFAULT 0,
                tax_total INTEGER NOT NULL,
                total INTEGER NOT NULL,
                created_at DATETIME NOT NULL,
                completed_at DATETIME,
                note TEXT NOT NULL DEFAULT '',
                -- Carts in progress have no number yet; every sale that completed keeps its number for good.
                CHECK (number IS NOT NULL OR status IN ('open', 'parked', 'voided')),
                CHECK (number IS NULL OR status NOT IN ('open', 'parked'))
            );
            CREATE INDEX orders_completed ON orders(completed_at);
            CREATE INDEX orders_customer ON orders(customer_id, completed_at);
            CREATE INDEX orders_status ON orders(status) WHERE status IN ('open', 'parked');

            CREATE TABLE order_line (
                id INTEGER PRIMARY KEY,
                order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity_milli INTEGER NOT NULL CHECK (quantity_milli <> 0),
                unit_price INTEGER NOT NULL,
                discount INTEGER NOT NULL DEFAULT 0,
                tax_class TEXT NOT NULL,
                tax_rate_ppm INTEGER NOT NULL,
                tax INTEGER NOT NULL,
                total INTEGER NOT NULL,
                UNIQUE (order_id, position)
            );
            CREATE INDEX order_line_variant ON order_line(variant_id);

            CREATE TABLE payment (
                id INTEGER PRIMARY KEY,
                order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'credit')),
                amount INTEGER NOT NULL,
                tendered INTEGER,
                change INTEGER,
                status TEXT NOT NULL CHECK (status IN ('pending', 'authorized', 'captured', 'voided', 'refunded')),
                gateway_token TEXT,
                card_brand TEXT,
                card_last4 TEXT CHECK (card_last4 IS NULL OR (length(card_last4) = 4 AND card_last4 GLOB '[0-9][0-9][0-9][0-9]')),
                idempotency_key TEXT UNIQUE,
                created_at DATETIME NOT NULL
            );
            CREATE INDEX payment_order ON payment(order_id);
            CREATE INDEX payment_last4 ON payment(card_last4) WHERE card_last4 IS NOT NULL;
            """)
        try createCatalogSearch(db)
    }

    /// The persisted cart, discounts as entered, and the simulated card gateway's own records.
    private static func createRegister(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE orders ADD COLUMN register TEXT NOT NULL DEFAULT 'main';
            ALTER TABLE orders ADD COLUMN discount_spec TEXT;
            ALTER TABLE orders ADD COLUMN discount_reason TEXT;
            ALTER TABLE orders ADD COLUMN updated_at DATETIME;
            ALTER TABLE orders ADD COLUMN payment_attempt_key TEXT;
            ALTER TABLE order_line ADD COLUMN discount_spec TEXT;
            ALTER TABLE order_line ADD COLUMN discount_reason TEXT;
            CREATE INDEX orders_register_open ON orders(register, status) WHERE status IN ('open', 'parked');

            -- What the (simulated) card gateway itself remembers: a stand-in for the processor's records, kept
            -- apart from orders so reconciliation can compare the two sides.
            CREATE TABLE sim_gateway_charge (
                id INTEGER PRIMARY KEY,
                token TEXT NOT NULL UNIQUE,
                idempotency_key TEXT NOT NULL UNIQUE,
                amount INTEGER NOT NULL CHECK (amount > 0),
                currency TEXT NOT NULL,
                brand TEXT NOT NULL,
                last4 TEXT NOT NULL CHECK (length(last4) = 4),
                status TEXT NOT NULL CHECK (status IN ('authorized', 'captured', 'voided', 'refunded', 'declined')),
                decline_reason TEXT,
                refunded INTEGER NOT NULL DEFAULT 0,
                created_at DATETIME NOT NULL,
                updated_at DATETIME NOT NULL
            );
            """)
    }

    /// Automatic promotions, and the share of each line's discount that came from one.
    private static func createPromotions(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE promotion (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL CHECK (length(name) > 0),
                kind TEXT NOT NULL CHECK (kind IN ('category_percent', 'buy_x_get_y', 'multi_buy')),
                category_id INTEGER REFERENCES category(id) ON DELETE CASCADE,
                variant_id INTEGER REFERENCES variant(id) ON DELETE CASCADE,
                percent_bp INTEGER CHECK (percent_bp BETWEEN 1 AND 10000),
                buy_quantity INTEGER CHECK (buy_quantity > 0),
                free_quantity INTEGER CHECK (free_quantity > 0),
                bundle_quantity INTEGER CHECK (bundle_quantity > 1),
                bundle_price INTEGER CHECK (bundle_price >= 0),
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                CHECK (kind <> 'category_percent' OR (category_id IS NOT NULL AND percent_bp IS NOT NULL)),
                CHECK (kind <> 'buy_x_get_y' OR (variant_id IS NOT NULL AND buy_quantity IS NOT NULL AND free_quantity IS NOT NULL)),
                CHECK (kind <> 'multi_buy' OR (variant_id IS NOT NULL AND bundle_quantity IS NOT NULL AND bundle_price IS NOT NULL))
            );
            ALTER TABLE order_line ADD COLUMN promotion TEXT;
            ALTER TABLE order_line ADD COLUMN promotion_discount INTEGER NOT NULL DEFAULT 0;
            -- A price changed at the till: the shelf price it replaced and who allowed it.
            ALTER TABLE order_line ADD COLUMN original_price INTEGER;
            ALTER TABLE order_line ADD COLUMN price_override_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT;
            -- Cash rounding (to 0.05, say): what the customer paid above (+) or below (−) the total.
            ALTER TABLE orders ADD COLUMN cash_rounding INTEGER NOT NULL DEFAULT 0;
            """)
    }

    /// The audit log, stock counts, and what receiving needs (average cost).
    private static func createMerchant(_ db: Database) throws {
        try db.execute(sql: """
            -- Who changed what, when: before and after as JSON. Never edited, never removed.
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at DATETIME NOT NULL,
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id INTEGER,
                before TEXT,
                after TEXT,
                note TEXT
            );
            CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, at);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

            CREATE TABLE stock_count (
                id INTEGER PRIMARY KEY,
                status TEXT NOT NULL CHECK (status IN ('open', 'applied', 'cancelled')),
                location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE RESTRICT,
                category_id INTEGER REFERENCES category(id) ON DELETE RESTRICT,
                started_at DATETIME NOT NULL,
                finished_at DATETIME,
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT
            );
            -- A counted quantity, with on-hand as it stood at the moment of counting: the variance is
            -- counted − on_hand_at_count, so sales rung up while the count is open are not miscounted.
            CREATE TABLE stock_count_line (
                count_id INTEGER NOT NULL REFERENCES stock_count(id) ON DELETE CASCADE,
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
                counted_milli INTEGER NOT NULL CHECK (counted_milli >= 0),
                on_hand_at_count_milli INTEGER NOT NULL,
                counted_at DATETIME NOT NULL,
                PRIMARY KEY (count_id, variant_id)
            ) WITHOUT ROWID;
            """)
    }

    /// Refunds, voids of completed sales, store credit, order notes, and the gateway's refund records.
    private static func createSupport(_ db: Database) throws {
        try db.execute(sql: """
            -- Store credit and gift cards: an account per slip or card, its balance the sum of its ledger.
            CREATE TABLE credit_account (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(code) BETWEEN 4 AND 32),
                customer_id INTEGER REFERENCES customer(id) ON DELETE RESTRICT,
                currency TEXT NOT NULL,
                created_at DATETIME NOT NULL
            );
            CREATE INDEX credit_account_customer ON credit_account(customer_id) WHERE customer_id IS NOT NULL;

            -- A refund (or the void of a completed sale, or a return without a receipt). 'pending' reserves
            -- its amounts while the gateway is asked, so a second refund of the same line cannot pass.
            CREATE TABLE refund (
                id INTEGER PRIMARY KEY,
                order_id INTEGER REFERENCES orders(id) ON DELETE RESTRICT,
                kind TEXT NOT NULL CHECK (kind IN ('refund', 'void', 'no_receipt')),
                status TEXT NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
                destination TEXT NOT NULL CHECK (destination IN ('original', 'store_credit', 'cash')),
                restock_location_id INTEGER REFERENCES location(id) ON DELETE RESTRICT,
                amount INTEGER NOT NULL CHECK (amount >= 0),
                tax INTEGER NOT NULL,
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                approved_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                customer_id INTEGER REFERENCES customer(id) ON DELETE RESTRICT,
                reason TEXT NOT NULL DEFAULT '',
                failure TEXT,
                created_at DATETIME NOT NULL,
                completed_at DATETIME,
                CHECK ((order_id IS NULL) = (kind = 'no_receipt'))
            );
            CREATE INDEX refund_order ON refund(order_id);
            CREATE INDEX refund_completed ON refund(completed_at);

            CREATE TABLE refund_line (
                id INTEGER PRIMARY KEY,
                refund_id INTEGER NOT NULL REFERENCES refund(id) ON DELETE RESTRICT,
                order_line_id INTEGER REFERENCES order_line(id) ON DELETE RESTRICT,
                variant_id INTEGER NOT NULL REFERENCES variant(id) ON DELETE RESTRICT,
                sku TEXT NOT NULL,
                name TEXT NOT NULL,
                quantity_milli INTEGER NOT NULL CHECK (quantity_milli > 0),
                amount INTEGER NOT NULL CHECK (amount >= 0),
                tax INTEGER NOT NULL,
                restocked INTEGER NOT NULL CHECK (restocked IN (0, 1))
            );
            CREATE INDEX refund_line_refund ON refund_line(refund_id);
            CREATE INDEX refund_line_order_line ON refund_line(order_line_id) WHERE order_line_id IS NOT NULL;

            -- Where a refund's money went: back to one of the order's tenders, or onto a store-credit account.
            CREATE TABLE refund_tender (
                id INTEGER PRIMARY KEY,
                refund_id INTEGER NOT NULL REFERENCES refund(id) ON DELETE RESTRICT,
                payment_id INTEGER REFERENCES payment(id) ON DELETE RESTRICT,
                method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'credit')),
                amount INTEGER NOT NULL CHECK (amount > 0),
                status TEXT NOT NULL CHECK (status IN ('pending', 'refunded', 'failed')),
                credit_account_id INTEGER REFERENCES credit_account(id) ON DELETE RESTRICT,
                gateway_token TEXT,
                card_last4 TEXT,
                idempotency_key TEXT UNIQUE
            );
            CREATE INDEX refund_tender_refund ON refund_tender(refund_id);
            CREATE INDEX refund_tender_payment ON refund_tender(payment_id) WHERE payment_id IS NOT NULL;

            CREATE TABLE credit_entry (
                id INTEGER PRIMARY KEY,
                account_id INTEGER NOT NULL REFERENCES credit_account(id) ON DELETE RESTRICT,
                delta INTEGER NOT NULL CHECK (delta <> 0),
                reason TEXT NOT NULL CHECK (reason IN ('issue', 'refund', 'redeem', 'reversal', 'adjust')),
                order_id INTEGER REFERENCES orders(id) ON DELETE RESTRICT,
                refund_id INTEGER REFERENCES refund(id) ON DELETE RESTRICT,
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                note TEXT NOT NULL DEFAULT '',
                created_at DATETIME NOT NULL
            );
            CREATE INDEX credit_entry_account ON credit_entry(account_id);
            CREATE TRIGGER credit_entry_no_update BEFORE UPDATE ON credit_entry
            BEGIN SELECT RAISE(ABORT, 'credit_entry is append-only'); END;
            CREATE TRIGGER credit_entry_no_delete BEFORE DELETE ON credit_entry
            BEGIN SELECT RAISE(ABORT, 'credit_entry is append-only'); END;
            CREATE TRIGGER credit_entry_not_below_zero BEFORE INSERT ON credit_entry
            WHEN (SELECT COALESCE(SUM(delta), 0) FROM credit_entry WHERE account_id = NEW.account_id) + NEW.delta < 0
            BEGIN SELECT RAISE(ABORT, 'store credit balance cannot go below zero'); END;

            ALTER TABLE payment ADD COLUMN credit_account_id INTEGER REFERENCES credit_account(id) ON DELETE RESTRICT;

            CREATE TABLE order_note (
                id INTEGER PRIMARY KEY,
                order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE RESTRICT,
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                text TEXT NOT NULL CHECK (length(trim(text)) > 0),
                created_at DATETIME NOT NULL
            );
            CREATE INDEX order_note_order ON order_note(order_id);
            CREATE TRIGGER order_note_no_update BEFORE UPDATE ON order_note
            BEGIN SELECT RAISE(ABORT, 'order_note is append-only'); END;
            CREATE TRIGGER order_note_no_delete BEFORE DELETE ON order_note
            BEGIN SELECT RAISE(ABORT, 'order_note is append-only'); END;

            -- The simulated gateway's refunds, keyed by idempotency key so a retried refund is not paid twice.
            CREATE TABLE sim_gateway_refund (
                idempotency_key TEXT PRIMARY KEY,
                token TEXT NOT NULL REFERENCES sim_gateway_charge(token),
                amount INTEGER NOT NULL CHECK (amount > 0),
                created_at DATETIME NOT NULL
            );
            """)
    }

    /// PIN lockout, approved discounts, register shifts with their cash movements, and numbered Z reports.
    private static func createShifts(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE staff ADD COLUMN failed_pins INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE staff ADD COLUMN locked_until DATETIME;
            ALTER TABLE orders ADD COLUMN discount_approved_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT;
            ALTER TABLE order_line ADD COLUMN discount_approved_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT;

            -- A register's shift: the float counted in, and at close the cash counted by denomination.
            CREATE TABLE shift (
                id INTEGER PRIMARY KEY,
                register TEXT NOT NULL,
                opened_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                opened_at DATETIME NOT NULL,
                opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
                closed_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                closed_at DATETIME,
                expected_cash INTEGER,
                counted_cash INTEGER,
                count_detail TEXT,
                CHECK ((closed_at IS NULL) = (counted_cash IS NULL))
            );
            CREATE UNIQUE INDEX shift_one_open_per_register ON shift(register) WHERE closed_at IS NULL;
            CREATE INDEX shift_opened ON shift(opened_at);

            -- Cash in or out of the drawer that is not a sale: pay-ins, pay-outs, and no-sale openings (amount 0).
            CREATE TABLE cash_movement (
                id INTEGER PRIMARY KEY,
                shift_id INTEGER NOT NULL REFERENCES shift(id) ON DELETE RESTRICT,
                kind TEXT NOT NULL CHECK (kind IN ('pay_in', 'pay_out', 'no_sale')),
                amount INTEGER NOT NULL CHECK (amount >= 0),
                reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                approved_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                created_at DATETIME NOT NULL
            );
            CREATE INDEX cash_movement_shift ON cash_movement(shift_id);
            CREATE INDEX cash_movement_created ON cash_movement(created_at);
            CREATE TRIGGER cash_movement_no_update BEFORE UPDATE ON cash_movement
            BEGIN SELECT RAISE(ABORT, 'cash_movement is append-only'); END;
            CREATE TRIGGER cash_movement_no_delete BEFORE DELETE ON cash_movement
            BEGIN SELECT RAISE(ABORT, 'cash_movement is append-only'); END;

            -- End of day: numbered, one per business day, its figures frozen as JSON.
            CREATE TABLE z_report (
                number INTEGER PRIMARY KEY,
                business_day TEXT NOT NULL UNIQUE,
                closed_by INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                closed_at DATETIME NOT NULL,
                figures TEXT NOT NULL
            );
            CREATE TRIGGER z_report_no_update BEFORE UPDATE ON z_report
            BEGIN SELECT RAISE(ABORT, 'z_report is append-only'); END;
            CREATE TRIGGER z_report_no_delete BEFORE DELETE ON z_report
            BEGIN SELECT RAISE(ABORT, 'z_report is append-only'); END;

            ALTER TABLE refund ADD COLUMN register TEXT NOT NULL DEFAULT 'main';
            CREATE INDEX payment_created ON payment(created_at);
            CREATE INDEX orders_staff ON orders(staff_id, completed_at);
            """)
    }

    /// Indexes the support lookups need at chain-store scale (measured by `till bench`).
    private static func createLookupIndexes(_ db: Database) throws {
        try db.execute(sql: """
            -- A phone is looked up by its last seven digits (the local number), whatever prefix was typed.
            CREATE INDEX customer_phone_tail ON customer(substr(phone_digits, -7));
            """)
    }

    /// Each line keeps its category and cost as they were when sold (reports need no catalog joins, and margins
    /// use the cost of the day), with a covering index for reports over many days; the catalog's default list
    /// is ordered by an index rather than a sort of every product.
    private static func createLineSnapshots(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE order_line ADD COLUMN category_id INTEGER REFERENCES category(id) ON DELETE SET NULL;
            ALTER TABLE order_line ADD COLUMN unit_cost INTEGER;
            UPDATE order_line SET
                category_id = (SELECT p.category_id FROM variant v JOIN product p ON p.id = v.product_id WHERE v.id = order_line.variant_id),
                unit_cost = (SELECT cost FROM variant WHERE id = order_line.variant_id);
            CREATE INDEX order_line_report ON order_line(order_id, category_id, quantity_milli, total, tax, unit_cost);
            CREATE INDEX product_name_nocase ON product(name COLLATE NOCASE);
            """)
    }

    /// Full-text search over SKU, name, option, barcodes and category. A view assembles each variant's text and
    /// triggers keep the FTS5 table in step with every table that feeds it, so no write path can forget it.
    private static func createCatalogSearch(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIEW variant_search_source AS
            SELECT v.id AS id, v.sku AS sku, p.name AS name, v.option AS option,
                   COALESCE((SELECT group_concat(b.code, ' ') FROM barcode b WHERE b.variant_id = v.id), '') AS barcodes,
                   COALESCE(c.name, '') AS category
            FROM variant v JOIN product p ON p.id = v.product_id LEFT JOIN category c ON c.id = p.category_id;

            CREATE VIRTUAL TABLE variant_search USING fts5(
                sku, name, option, barcodes, category,
                tokenize = 'unicode61 remove_diacritics 2',
                prefix = '1 2 3'
            );

            CREATE TRIGGER variant_search_insert AFTER INSERT ON variant BEGIN
                INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
                SELECT id, sku, name, option, barcodes, category FROM variant_search_source WHERE id = NEW.id;
            END;
            CREATE TRIGGER variant_search_update AFTER UPDATE OF sku, option, product_id ON variant BEGIN
                DELETE FROM variant_search WHERE rowid = OLD.id;
                INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
                SELECT id, sku, name, option, barcodes, category FROM variant_search_source WHERE id = NEW.id;
            END;
            CREATE TRIGGER variant_search_delete AFTER DELETE ON variant BEGIN
                DELETE FROM variant_search WHERE rowid = OLD.id;
            END;
            CREATE TRIGGER variant_search_product AFTER UPDATE OF name, category_id ON product BEGIN
                DELETE FROM variant_search WHERE rowid IN (SELECT id FROM variant WHERE product_id = NEW.id);
                INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
                SELECT id, sku, name, option, barcodes, category FROM variant_search_source
                WHERE id IN (SELECT id FROM variant WHERE product_id = NEW.id);
            END;
            CREATE TRIGGER variant_search_category AFTER UPDATE OF name ON category BEGIN
                DELETE FROM variant_search WHERE rowid IN
                    (SELECT v.id FROM variant v JOIN product p ON p.id = v.product_id WHERE p.category_id = NEW.id);
                INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
                SELECT id, sku, name, option, barcodes, category FROM variant_search_source WHERE id IN
                    (SELECT v.id FROM variant v JOIN product p ON p.id = v.product_id WHERE p.category_id = NEW.id);
            END;
            CREATE TRIGGER variant_search_barcode_insert AFTER INSERT ON barcode BEGIN
                DELETE FROM variant_search WHERE rowid = NEW.variant_id;
                INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
                SELECT id, sku, name, option, barcodes, category FROM variant_search_source WHERE id = NEW.variant_id;
            END;
            CREATE TRIGGER variant_search_barcode_delete AFTER DELETE ON barcode BEGIN
                DELETE FROM variant_search WHERE rowid = OLD.variant_id;
                INSERT INTO variant_search(rowid, sku, name, option, barcodes, category)
                SELECT id, sku, name, option, barcodes, category FROM variant_search_source WHERE id = OLD.variant_id;
            END;
            """)
    }

    /// Every completed order, refund and cash movement is stamped with its business day (and orders and refunds
    /// with the shift whose drawer their cash went through). A row can never be stamped with a day that already
    /// has its Z report: the database refuses it, whoever writes.
    private static func createBusinessDays(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE orders ADD COLUMN business_day TEXT;
            ALTER TABLE orders ADD COLUMN shift_id INTEGER REFERENCES shift(id) ON DELETE RESTRICT;
            ALTER TABLE refund ADD COLUMN business_day TEXT;
            ALTER TABLE refund ADD COLUMN shift_id INTEGER REFERENCES shift(id) ON DELETE RESTRICT;
            ALTER TABLE shift ADD COLUMN business_day TEXT;
            DROP TRIGGER cash_movement_no_update;
            ALTER TABLE cash_movement ADD COLUMN business_day TEXT;
            """)
        // Rows from before this migration: the clock's business day, and the shift of their register open then.
        if let settings = try? StoreSettings.load(db) {
            func day(_ date: Date?) -> String? { date.map { BusinessDay.byClock($0, settings: settings).key } }
            // Orders and refunds alike: the day they completed in, and the drawer of their register open then.
            for table in ["orders", "refund"] {
                for row in try Row.fetchAll(db, sql: "SELECT id, completed_at, register FROM \(table) WHERE completed_at IS NOT NULL") {
                    let completed: Date? = row["completed_at"]
                    try db.execute(sql: """
                        UPDATE \(table) SET business_day = ?, shift_id = (SELECT id FROM shift s WHERE s.register = ?
                            AND s.opened_at <= ? AND (s.closed_at IS NULL OR s.closed_at >= ?) ORDER BY s.id DESC LIMIT 1)
                        WHERE id = ?
                        """, arguments: [day(completed), row["register"] as String?, completed, completed, row["id"] as Int64])
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, created_at FROM cash_movement") {
                try db.execute(sql: "UPDATE cash_movement SET business_day = ? WHERE id = ?",
                               arguments: [day(row["created_at"]), row["id"] as Int64])
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, opened_at FROM shift") {
                try db.execute(sql: "UPDATE shift SET business_day = ? WHERE id = ?", arguments: [day(row["opened_at"]), row["id"] as Int64])
            }
        }
        try db.execute(sql: """
            CREATE TRIGGER cash_movement_no_update BEFORE UPDATE ON cash_movement
            BEGIN SELECT RAISE(ABORT, 'cash_movement is append-only'); END;
            CREATE INDEX orders_business_day ON orders(business_day) WHERE number IS NOT NULL;
            CREATE INDEX orders_shift ON orders(shift_id) WHERE shift_id IS NOT NULL;
            CREATE INDEX refund_business_day ON refund(business_day);
            CREATE INDEX refund_shift ON refund(shift_id) WHERE shift_id IS NOT NULL;
            CREATE INDEX cash_movement_business_day ON cash_movement(business_day);

            CREATE TRIGGER orders_day_closed BEFORE UPDATE OF business_day ON orders
            WHEN NEW.business_day IS NOT NULL AND NEW.business_day IS NOT OLD.business_day
                 AND EXISTS (SELECT 1 FROM z_report WHERE business_day = NEW.business_day)
            BEGIN SELECT RAISE(ABORT, 'that business day is closed by its Z report'); END;
            CREATE TRIGGER refund_day_closed BEFORE UPDATE OF business_day ON refund
            WHEN NEW.business_day IS NOT NULL AND NEW.business_day IS NOT OLD.business_day
                 AND EXISTS (SELECT 1 FROM z_report WHERE business_day = NEW.business_day)
            BEGIN SELECT RAISE(ABORT, 'that business day is closed by its Z report'); END;
            CREATE TRIGGER orders_day_closed_insert BEFORE INSERT ON orders
            WHEN NEW.business_day IS NOT NULL AND EXISTS (SELECT 1 FROM z_report WHERE business_day = NEW.business_day)
            BEGIN SELECT RAISE(ABORT, 'that business day is closed by its Z report'); END;
            CREATE TRIGGER refund_day_closed_insert BEFORE INSERT ON refund
            WHEN NEW.business_day IS NOT NULL AND EXISTS (SELECT 1 FROM z_report WHERE business_day = NEW.business_day)
            BEGIN SELECT RAISE(ABORT, 'that business day is closed by its Z report'); END;
            CREATE TRIGGER cash_movement_day_closed BEFORE INSERT ON cash_movement
            WHEN NEW.business_day IS NULL OR EXISTS (SELECT 1 FROM z_report WHERE business_day = NEW.business_day)
            BEGIN SELECT RAISE(ABORT, 'a cash movement needs an open business day'); END;
            """)
    }

    /// Deliveries as records of their own, so a reference received twice from one supplier can be refused.
    /// Deliveries booked before this have no supplier; each reference they used becomes one receipt row.
    private static func createStockReceipts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE stock_receipt (
                id INTEGER PRIMARY KEY,
                reference TEXT NOT NULL CHECK (length(reference) > 0),
                supplier TEXT CHECK (supplier IS NULL OR length(supplier) > 0),
                location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE RESTRICT,
                staff_id INTEGER REFERENCES staff(id) ON DELETE RESTRICT,
                again INTEGER NOT NULL DEFAULT 0 CHECK (again IN (0, 1)),
                received_at DATETIME NOT NULL
            );
            CREATE INDEX stock_receipt_reference ON stock_receipt(reference COLLATE NOCASE, supplier COLLATE NOCASE);
            INSERT INTO stock_receipt(reference, supplier, location_id, staff_id, again, received_at)
            SELECT substr(reference, 9), NULL, MIN(location_id), MIN(staff_id), 0, MIN(created_at)
            FROM stock_movement WHERE reason = 'received' AND reference LIKE 'receive:_%'
            GROUP BY substr(reference, 9) COLLATE NOCASE;
            """)
    }
}

extension StoreMigrations {
    /// The moment a class's opening rate is in force from: before any sale could have been made.
    static let openingRateFrom = "1970-01-01 00:00:00.000"

    /// Tax rates change on a date: one row per class and date it takes effect. A class's opening rate (what it
    /// was made with, `tax_class.rate_ppm`) is in force from the beginning; the rate at a moment is the row with
    /// the latest `effective_from` not after it. Sold lines keep the rate they were sold at (`order_line`), so
    /// no row here ever changes a completed sale. Classes can be archived (`active = 0`) instead of deleted.
    static func createDatedTaxRates(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE tax_rate (
                id INTEGER PRIMARY KEY,
                tax_class_id INTEGER NOT NULL REFERENCES tax_class(id) ON DELETE RESTRICT,
                rate_ppm INTEGER NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000),
                effective_from DATETIME NOT NULL,
                UNIQUE (tax_class_id, effective_from)
            );
            INSERT INTO tax_rate(tax_class_id, rate_ppm, effective_from)
                SELECT id, rate_ppm, '\(openingRateFrom)' FROM tax_class;
            ALTER TABLE tax_class ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

            -- However a class is made (till tax add, the demo loader, an import, a test), its opening rate is
            -- a dated row, and changing the opening rate changes that row: the lookup reads tax_rate only.
            CREATE TRIGGER tax_class_opening_rate AFTER INSERT ON tax_class BEGIN
                INSERT INTO tax_rate(tax_class_id, rate_ppm, effective_from) VALUES (NEW.id, NEW.rate_ppm, '\(openingRateFrom)');
            END;
            CREATE TRIGGER tax_class_opening_rate_update AFTER UPDATE OF rate_ppm ON tax_class BEGIN
                UPDATE tax_rate SET rate_ppm = NEW.rate_ppm
                WHERE tax_class_id = NEW.id AND effective_from = '\(openingRateFrom)';
            END;
            """)
    }

    /// A parked sale can carry what the cashier called it ("red coat lady"), shown when recalling.
    static func addParkLabel(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE orders ADD COLUMN park_label TEXT CHECK (park_label IS NULL OR length(park_label) BETWEEN 1 AND 40)")
    }

    /// Card readers paired with registers, each card attempt written down before the reader is asked, what a
    /// card receipt prints, and the simulated reader's own records (the processor's side for the demo).
    static func createCardTerminals(_ db: Database) throws {
        try db.execute(sql: """
            -- One reader per register and one register per reader: two tills never drive the same reader.
            CREATE TABLE card_reader (
                register TEXT PRIMARY KEY NOT NULL CHECK (length(register) > 0),
                kind TEXT NOT NULL CHECK (kind IN ('simulated', 'stripe')),
                reader_id TEXT NOT NULL CHECK (length(reader_id) > 0),
                label TEXT NOT NULL DEFAULT '',
                paired_at DATETIME NOT NULL,
                paired_by INTEGER REFERENCES staff(id),
                UNIQUE (kind, reader_id)
            );

            -- A card attempt is written (with its idempotency key) before the reader is asked to take the card,
            -- and settled from the processor's records when its answer was lost: never charged again.
            CREATE TABLE card_attempt (
                id INTEGER PRIMARY KEY,
                order_id INTEGER NOT NULL REFERENCES orders(id),
                register TEXT NOT NULL,
                kind TEXT NOT NULL,
                reader_id TEXT NOT NULL,
                attempt_key TEXT NOT NULL UNIQUE,
                amount INTEGER NOT NULL CHECK (amount > 0),
                currency TEXT NOT NULL,
                capture_manually INTEGER NOT NULL DEFAULT 0,
                description TEXT NOT NULL,
                processor_payment_id TEXT,
                state TEXT NOT NULL CHECK (state IN ('asking', 'unanswered', 'paid', 'declined', 'cancelled', 'failed', 'returned')),
                outcome TEXT,
                staff_id INTEGER REFERENCES staff(id),
                created_at DATETIME NOT NULL,
                updated_at DATETIME NOT NULL
            );
            CREATE INDEX card_attempt_open ON card_attempt(order_id) WHERE state IN ('asking', 'unanswered');

            ALTER TABLE payment ADD COLUMN card_entry_mode TEXT;
            ALTER TABLE payment ADD COLUMN card_application_name TEXT;
            ALTER TABLE payment ADD COLUMN card_application_id TEXT;
            ALTER TABLE payment ADD COLUMN card_authorization_code TEXT;
            ALTER TABLE payment ADD COLUMN card_reader TEXT;
            ALTER TABLE payment ADD COLUMN authorized_amount INTEGER;

            -- The simulated reader's processor side: what a real processor would hold, apart from Till's orders.
            CREATE TABLE sim_card_payment (
                id TEXT PRIMARY KEY NOT NULL,
                attempt_key TEXT NOT NULL UNIQUE,
                reader_id TEXT NOT NULL,
                amount INTEGER NOT NULL CHECK (amount > 0),
                amount_captured INTEGER NOT NULL DEFAULT 0,
                amount_refunded INTEGER NOT NULL DEFAULT 0,
                currency TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('awaiting_card', 'processing', 'authorized', 'captured', 'cancelled')),
                decline_code TEXT,
                brand TEXT, last4 TEXT CHECK (last4 IS NULL OR length(last4) = 4),
                entry_mode TEXT, application_name TEXT, application_id TEXT, authorization_code TEXT,
                created_at DATETIME NOT NULL,
                updated_at DATETIME NOT NULL
            );
            CREATE TABLE sim_card_request (
                idempotency_key TEXT PRIMARY KEY NOT NULL,
                payment_id TEXT NOT NULL REFERENCES sim_card_payment(id),
                operation TEXT NOT NULL,
                amount INTEGER NOT NULL,
                created_at DATETIME NOT NULL
            ) WITHOUT ROWID;

            -- Charges the old simulated gateway made stay the simulated processor's records.
            INSERT INTO sim_card_payment(id, attempt_key, reader_id, amount, amount_captured, amount_refunded, currency,
                                         status, decline_code, brand, last4, entry_mode, created_at, updated_at)
            SELECT token, idempotency_key, 'sim-main', amount,
                   CASE WHEN status IN ('captured', 'refunded') THEN amount ELSE 0 END, refunded, currency,
                   CASE status WHEN 'captured' THEN 'captured' WHEN 'refunded' THEN 'captured'
                               WHEN 'authorized' THEN 'authorized' ELSE 'cancelled' END,
                   decline_reason, brand, last4, 'unknown', created_at, updated_at
            FROM sim_gateway_charge;

            -- Every register that sold before pairing existed keeps the simulated reader it used.
            INSERT INTO card_reader(register, kind, reader_id, label, paired_at)
            SELECT DISTINCT register, 'simulated', 'sim-' || register, '', CURRENT_TIMESTAMP
            FROM orders WHERE id IN (SELECT order_id FROM payment WHERE method = 'card');
            """)
    }
}
