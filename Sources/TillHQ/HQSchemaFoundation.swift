/// HQ's tables, in the `hq` schema. The store facts are kept twice: raw, as the event each store sent
/// (`hq.event`, the exactly-once record: unique per store by sequence and by event id), and projected into
/// tables reports read. Reference data (catalog, tax, staff) is versioned: `hq.chain_version` numbers each
/// publication, `hq.chain_change` holds what it changed, `hq.reference` what is current.
enum HQSchemaFoundation {
    static let sql = """
        CREATE TABLE hq.settings (
            id int PRIMARY KEY CHECK (id = 1),
            currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
            -- Whether HQ's prices include tax: every store of the chain must read them the same way.
            tax_inclusive boolean NOT NULL DEFAULT true,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE hq.store (
            code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}$'),
            name text NOT NULL CHECK (length(name) > 0),
            role_name text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now(),
            -- Every event up to here is at HQ exactly once (applied, held or failed, never missing).
            last_seq bigint NOT NULL DEFAULT 0,
            last_contact_at timestamptz,
            last_recorded_at timestamptz,
            till_version text,
            event_schema int,
            reference_version bigint NOT NULL DEFAULT 0
        );
        CREATE TABLE hq.event_schema (version int PRIMARY KEY);
        INSERT INTO hq.event_schema VALUES (1), (2);
        CREATE TABLE hq.event (
            store text NOT NULL REFERENCES hq.store(code),
            seq bigint NOT NULL CHECK (seq > 0),
            event_id uuid NOT NULL,
            kind text NOT NULL,
            schema_version int NOT NULL,
            recorded_at timestamptz,
            received_at timestamptz NOT NULL DEFAULT now(),
            payload jsonb NOT NULL,
            -- applied: in the projections; held: a schema version this HQ does not know yet, applied after an
            -- upgrade; failed: could not be applied (an exception row says why), kept for a person to look at.
            status text NOT NULL CHECK (status IN ('applied', 'held', 'failed')),
            PRIMARY KEY (store, seq),
            UNIQUE (store, event_id)
        );
        CREATE INDEX event_held ON hq.event(store, seq) WHERE status = 'held';
        CREATE TABLE hq.exception (
            id bigserial PRIMARY KEY,
            store text REFERENCES hq.store(code),
            seq bigint,
            kind text NOT NULL,
            -- What it is about (a SKU, a sequence number): one open exception per store, kind and subject.
            subject text NOT NULL DEFAULT '',
            detail text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            resolved_at timestamptz
        );
        CREATE INDEX exception_open ON hq.exception(store, kind) WHERE resolved_at IS NULL;

        CREATE TABLE hq.sale (
            store text NOT NULL REFERENCES hq.store(code),
            number bigint NOT NULL,
            seq bigint NOT NULL,
            register text NOT NULL,
            currency text NOT NULL,
            subtotal bigint NOT NULL,
            discount_total bigint NOT NULL,
            tax_total bigint NOT NULL,
            total bigint NOT NULL,
            cash_rounding bigint NOT NULL DEFAULT 0,
            completed_at timestamptz NOT NULL,
            business_day date,
            staff text,
            reference_version bigint,
            voided boolean NOT NULL DEFAULT false,
            PRIMARY KEY (store, number)
        );
        CREATE INDEX sale_day ON hq.sale(business_day, store);
        CREATE INDEX sale_completed ON hq.sale(completed_at);
        CREATE TABLE hq.sale_line (
            store text NOT NULL,
            number bigint NOT NULL,
            position int NOT NULL,
            sku text NOT NULL,
            name text NOT NULL,
            category text,
            quantity_milli bigint NOT NULL,
            unit_price bigint NOT NULL,
            discount bigint NOT NULL,
            tax bigint NOT NULL,
            total bigint NOT NULL,
            unit_cost bigint,
            PRIMARY KEY (store, number, position),
            FOREIGN KEY (store, number) REFERENCES hq.sale(store, number)
        );
        CREATE INDEX sale_line_sku ON hq.sale_line(sku);
        CREATE TABLE hq.sale_payment (
            store text NOT NULL,
            number bigint NOT NULL,
            position int NOT NULL,
            method text NOT NULL,
            amount bigint NOT NULL,
            status text,
            card_brand text,
            -- The last four digits only (what the receipt shows), for support to find "the card ending 4242".
            card_last4 text CHECK (card_last4 IS NULL OR card_last4 ~ '^[0-9]{4}$'),
            PRIMARY KEY (store, number, position),
            FOREIGN KEY (store, number) REFERENCES hq.sale(store, number)
        );
        CREATE TABLE hq.refund (
            store text NOT NULL REFERENCES hq.store(code),
            refund_id bigint NOT NULL,
            seq bigint NOT NULL,
            kind text NOT NULL,
            order_number bigint,
            register text,
            destination text,
            amount bigint NOT NULL,
            tax bigint NOT NULL,
            reason text,
            completed_at timestamptz NOT NULL,
            business_day date,
            staff text,
            PRIMARY KEY (store, refund_id)
        );
        CREATE INDEX refund_day ON hq.refund(business_day, store);
        CREATE TABLE hq.refund_line (
            store text NOT NULL,
            refund_id bigint NOT NULL,
            position int NOT NULL,
            sku text NOT NULL,
            name text,
            category text,
            quantity_milli bigint NOT NULL,
            amount bigint NOT NULL,
            tax bigint NOT NULL,
            restocked boolean,
            PRIMARY KEY (store, refund_id, position),
            FOREIGN KEY (store, refund_id) REFERENCES hq.refund(store, refund_id)
        );
        CREATE TABLE hq.stock_movement (
            store text NOT NULL REFERENCES hq.store(code),
            movement_id bigint NOT NULL,
            seq bigint NOT NULL,
            sku text NOT NULL,
            location text NOT NULL,
            delta_milli bigint NOT NULL,
            reason text NOT NULL,
            reference text,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (store, movement_id)
        );
        -- Per store and location, the store's ledger as received: "as of" the event that last moved it.
        CREATE TABLE hq.stock_level (
            store text NOT NULL REFERENCES hq.store(code),
            location text NOT NULL,
            sku text NOT NULL,
            on_hand_milli bigint NOT NULL,
            as_of_seq bigint NOT NULL,
            PRIMARY KEY (sku, store, location)
        );
        CREATE TABLE hq.cash_movement (
            store text NOT NULL REFERENCES hq.store(code),
            movement_id bigint NOT NULL,
            register text, kind text NOT NULL, amount bigint NOT NULL, reason text, business_day date, staff text,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (store, movement_id)
        );
        CREATE TABLE hq.shift (
            store text NOT NULL REFERENCES hq.store(code),
            shift_id bigint NOT NULL,
            register text, business_day date, opened_at timestamptz, closed_at timestamptz,
            opening_float bigint, expected_cash bigint, counted_cash bigint, opened_by text, closed_by text,
            PRIMARY KEY (store, shift_id)
        );
        CREATE TABLE hq.z_report (
            store text NOT NULL REFERENCES hq.store(code),
            number bigint NOT NULL,
            business_day date NOT NULL,
            closed_at timestamptz NOT NULL,
            closed_by text,
            figures jsonb NOT NULL,
            PRIMARY KEY (store, number)
        );
        CREATE TABLE hq.audit (
            store text NOT NULL REFERENCES hq.store(code),
            audit_id bigint NOT NULL,
            at timestamptz NOT NULL, action text NOT NULL, entity text, entity_id bigint, before text, after text,
            note text, staff text,
            PRIMARY KEY (store, audit_id)
        );
        CREATE TABLE hq.credit_entry (
            store text NOT NULL REFERENCES hq.store(code),
            entry_id bigint NOT NULL,
            account text NOT NULL, currency text, delta bigint NOT NULL, reason text, order_number bigint,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (store, entry_id)
        );

        -- Reference data. A version is published in one transaction that holds an exclusive lock on
        -- chain_version, so versions commit in number order and a store reading "since N" never skips one.
        CREATE TABLE hq.chain_version (
            version bigint PRIMARY KEY,
            published_at timestamptz NOT NULL DEFAULT now(),
            published_by text NOT NULL DEFAULT current_user,
            min_store_schema int NOT NULL DEFAULT 1,
            note text NOT NULL DEFAULT ''
        );
        CREATE TABLE hq.chain_change (
            version bigint NOT NULL REFERENCES hq.chain_version(version),
            position int NOT NULL,
            kind text NOT NULL CHECK (kind IN ('tax_class', 'category', 'product', 'staff')),
            key text NOT NULL,
            data jsonb NOT NULL,
            PRIMARY KEY (version, position)
        );
        CREATE INDEX chain_change_key ON hq.chain_change(kind, key, version);
        CREATE TABLE hq.reference (
            kind text NOT NULL,
            key text NOT NULL,
            data jsonb NOT NULL,
            version bigint NOT NULL REFERENCES hq.chain_version(version),
            PRIMARY KEY (kind, key)
        );
        """
}
