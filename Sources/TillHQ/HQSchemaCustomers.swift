/// Customers and loyalty across the chain (migration `hq-v5-customers`).
///
/// A customer is known by the global id the store that created them gave (`hq.customer`); a sale names its
/// customer by it, so one person's purchases at every store come together. Duplicates (one person created at
/// two stores) are suggested by phone or email and merged by a person: the merged record points at the one
/// kept (`merged_into`), and history and points follow that pointer — nothing is rewritten.
///
/// Loyalty points are a ledger per customer (`hq.loyalty_entry`, every store's earnings and take-backs as their
/// events arrive): the balance is its sum, over the customer and everyone merged into them.
enum HQSchemaCustomers {
    static let sql = #"""
        INSERT INTO hq.event_schema VALUES (4) ON CONFLICT DO NOTHING;
        ALTER TABLE hq.settings ADD COLUMN loyalty_earn_per_unit bigint NOT NULL DEFAULT 0,
                                ADD COLUMN loyalty_point_value bigint NOT NULL DEFAULT 0;
        ALTER TABLE hq.chain_change DROP CONSTRAINT chain_change_kind_check;
        ALTER TABLE hq.chain_change ADD CONSTRAINT chain_change_kind_check
            CHECK (kind IN ('tax_class', 'category', 'product', 'staff', 'setting'));

        CREATE TABLE hq.customer (
            global_id uuid PRIMARY KEY,
            store text NOT NULL REFERENCES hq.store(code),
            name text NOT NULL,
            email text,
            phone text,
            phone_digits text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now(),
            merged_into uuid REFERENCES hq.customer(global_id),
            merged_by text,
            merged_at timestamptz
        );
        CREATE INDEX customer_email ON hq.customer(lower(email)) WHERE email IS NOT NULL;
        CREATE INDEX customer_phone ON hq.customer(right(phone_digits, 9)) WHERE phone_digits IS NOT NULL;
        ALTER TABLE hq.sale ADD COLUMN customer uuid;
        CREATE INDEX sale_customer ON hq.sale(customer) WHERE customer IS NOT NULL;
        CREATE TABLE hq.loyalty_entry (
            store text NOT NULL REFERENCES hq.store(code),
            entry_id bigint NOT NULL,
            customer uuid NOT NULL,
            points bigint NOT NULL,
            reason text NOT NULL,
            order_number bigint,
            created_at timestamptz NOT NULL,
            PRIMARY KEY (store, entry_id)
        );
        CREATE INDEX loyalty_entry_customer ON hq.loyalty_entry(customer);

        -- The record a customer ended up as after merges.
        CREATE FUNCTION hq.customer_root(p uuid) RETURNS uuid
        LANGUAGE sql STABLE AS $$
            WITH RECURSIVE up(id, next, depth) AS (
                SELECT global_id, merged_into, 0 FROM hq.customer WHERE global_id = p
                UNION ALL SELECT c.global_id, c.merged_into, up.depth + 1 FROM up JOIN hq.customer c ON c.global_id = up.next
                WHERE up.depth < 50)
            SELECT COALESCE((SELECT id FROM up WHERE next IS NULL ORDER BY depth DESC LIMIT 1), p);
        $$;
        -- Everyone who is this customer: the record kept and every record merged into it.
        CREATE FUNCTION hq.customer_family(p uuid) RETURNS SETOF uuid
        LANGUAGE sql STABLE AS $$
            SELECT global_id FROM hq.customer WHERE hq.customer_root(global_id) = hq.customer_root(p)
            UNION SELECT p;
        $$;

        CREATE FUNCTION hq.loyalty_balance(p_customer uuid) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
        BEGIN
            RETURN jsonb_build_object(
                'points', (SELECT COALESCE(sum(points), 0) FROM hq.loyalty_entry
                           WHERE customer IN (SELECT hq.customer_family(p_customer))),
                'acknowledged', (SELECT last_seq FROM hq.store WHERE code = me));
        END
        $$;

        CREATE FUNCTION hq.customer_purchases(p_customer uuid, p_limit int) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            PERFORM hq.calling_store();
            RETURN (SELECT COALESCE(jsonb_agg(x ORDER BY (x->>'completed_at') DESC), '[]'::jsonb) FROM (
                SELECT jsonb_build_object('store', s.store, 'number', s.number, 'total', s.total,
                           'completed_at', to_char(s.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'items', (SELECT count(*) FROM hq.sale_line l WHERE l.store = s.store AND l.number = s.number)) AS x
                FROM hq.sale s WHERE s.customer IN (SELECT hq.customer_family(p_customer)) AND NOT s.voided
                ORDER BY s.completed_at DESC LIMIT GREATEST(1, LEAST(p_limit, 500))) AS recent);
        END
        $$;

        -- Pairs of customers that look like one person: same email, or the same phone (its last nine digits).
        CREATE VIEW hq.customer_duplicate AS
            SELECT a.global_id AS keep, b.global_id AS other,
                   CASE WHEN lower(a.email) = lower(b.email) THEN 'email ' || lower(a.email)
                        ELSE 'phone …' || right(a.phone_digits, 9) END AS why
            FROM hq.customer a JOIN hq.customer b ON a.global_id < b.global_id
            WHERE a.merged_into IS NULL AND b.merged_into IS NULL
              AND ((a.email IS NOT NULL AND lower(a.email) = lower(b.email))
                   OR (length(a.phone_digits) >= 7 AND right(a.phone_digits, 9) = right(b.phone_digits, 9)));

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v4;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            IF p_kind = 'customer' THEN
                IF jsonb_typeof(p) IS DISTINCT FROM 'object' OR NULLIF(p->>'global_id', '') IS NULL THEN
                    RAISE EXCEPTION 'the customer event has no global id';
                END IF;
                INSERT INTO hq.customer AS c(global_id, store, name, email, phone, phone_digits)
                VALUES ((p->>'global_id')::uuid, p_store, COALESCE(NULLIF(p->>'name', ''), '?'), NULLIF(p->>'email', ''),
                        NULLIF(p->>'phone', ''), NULLIF(p->>'phone_digits', ''))
                ON CONFLICT (global_id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone,
                    phone_digits = excluded.phone_digits, updated_at = now();
                RETURN;
            END IF;
            IF p_kind = 'loyalty' THEN
                IF jsonb_typeof(p) IS DISTINCT FROM 'object' OR NULLIF(p->>'customer', '') IS NULL THEN
                    RAISE EXCEPTION 'the loyalty event names no customer';
                END IF;
                INSERT INTO hq.loyalty_entry(store, entry_id, customer, points, reason, order_number, created_at)
                VALUES (p_store, (p->>'entry_id')::bigint, (p->>'customer')::uuid, (p->>'points')::bigint, p->>'reason',
                        (p->>'order_number')::bigint, (p->>'created_at')::timestamptz);
                IF NOT EXISTS (SELECT 1 FROM hq.customer WHERE global_id = (p->>'customer')::uuid) THEN
                    PERFORM hq.flag(p_store, p_seq, 'unknown_customer', p->>'customer',
                        format('%s gave points to customer %s, whom it never sent', p_store, p->>'customer'));
                END IF;
                RETURN;
            END IF;
            PERFORM hq.apply_event_v4(p_store, p_seq, p_kind, p);
            IF p_kind = 'sale' AND NULLIF(p->>'customer', '') IS NOT NULL THEN
                UPDATE hq.sale SET customer = (p->>'customer')::uuid WHERE store = p_store AND number = (p->>'number')::bigint;
            END IF;
        END
        $$;

        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        DO $$
        BEGIN
            EXECUTE format('GRANT EXECUTE ON FUNCTION hq.loyalty_balance(uuid), hq.customer_purchases(uuid, int) TO %I',
                           current_database() || '_stores');
        END
        $$;
        """#
}

