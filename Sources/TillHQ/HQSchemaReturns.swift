/// Returns anywhere (migration `hq-v8-returns`): when the chain allows it, a customer may bring goods bought
/// at one store back to any other. The refunding store asks HQ first, under the sale's lock, to *claim* what is
/// returned — so two stores (or a store and the one that sold) can never take back more than was sold — and
/// HQ answers with what the customer paid per unit. The claim is captured by the refunding store's refund
/// event, or released when the refund is not made. The refund, its money and its restock are the refunding
/// store's own; the selling store's stock is never touched.
enum HQSchemaReturns {
    static let sql = #"""
        ALTER TABLE hq.settings ADD COLUMN returns_anywhere boolean NOT NULL DEFAULT false;

        CREATE TABLE hq.return_claim (
            claim_id uuid PRIMARY KEY,
            order_store text NOT NULL,
            order_number bigint NOT NULL,
            store text NOT NULL REFERENCES hq.store(code),
            status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'captured', 'released')),
            refund_id bigint,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            settled_at timestamptz,
            FOREIGN KEY (order_store, order_number) REFERENCES hq.sale(store, number)
        );
        CREATE INDEX return_claim_order ON hq.return_claim(order_store, order_number);
        CREATE TABLE hq.return_claim_line (
            claim_id uuid NOT NULL REFERENCES hq.return_claim(claim_id),
            sku text NOT NULL,
            quantity_milli bigint NOT NULL CHECK (quantity_milli > 0),
            unit_amount bigint NOT NULL,
            PRIMARY KEY (claim_id, sku)
        );

        -- Per SKU of a sale: sold, what the customer paid per unit, and what is already back — refunded at the
        -- selling store or claimed (held or captured) by another.
        CREATE FUNCTION hq.returnable(p_store text, p_number bigint)
        RETURNS TABLE (sku text, name text, sold_milli bigint, unit_amount bigint, returned_milli bigint)
        LANGUAGE sql STABLE AS $$
            WITH sold AS (
                SELECT l.sku, min(l.name) AS name, sum(l.quantity_milli)::bigint AS milli, sum(l.total)::bigint AS total
                FROM hq.sale_line l WHERE l.store = p_store AND l.number = p_number GROUP BY l.sku
            ), refunded AS (
                SELECT rl.sku, sum(rl.quantity_milli)::bigint AS milli FROM hq.refund r
                JOIN hq.refund_line rl ON rl.store = r.store AND rl.refund_id = r.refund_id
                WHERE r.store = p_store AND r.order_number = p_number AND r.kind <> 'no_receipt' GROUP BY rl.sku
            ), claimed AS (
                SELECT cl.sku, sum(cl.quantity_milli)::bigint AS milli FROM hq.return_claim c
                JOIN hq.return_claim_line cl ON cl.claim_id = c.claim_id
                WHERE c.order_store = p_store AND c.order_number = p_number AND c.status <> 'released' GROUP BY cl.sku
            )
            SELECT s.sku, s.name, s.milli, CASE WHEN s.milli = 0 THEN 0 ELSE round(s.total * 1000.0 / s.milli)::bigint END,
                   COALESCE(r.milli, 0) + COALESCE(c.milli, 0)
            FROM sold s LEFT JOIN refunded r ON r.sku = s.sku LEFT JOIN claimed c ON c.sku = s.sku
            ORDER BY s.sku;
        $$;

        -- A sale as a store that did not sell it sees it for a return; NULL when HQ has no such sale.
        CREATE FUNCTION hq.order_for_return(p_chain_number text) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            v_store text := upper(split_part(p_chain_number, '-', 1));
            v_number bigint;
            s hq.sale;
        BEGIN
            IF split_part(p_chain_number, '-', 2) !~ '^[0-9]+$' THEN RETURN NULL; END IF;
            v_number := split_part(p_chain_number, '-', 2)::bigint;
            SELECT * INTO s FROM hq.sale WHERE store = v_store AND number = v_number;
            IF NOT FOUND THEN RETURN NULL; END IF;
            RETURN jsonb_build_object('store', s.store, 'number', s.number, 'voided', s.voided, 'completed_at', s.completed_at,
                'returns_anywhere', (SELECT returns_anywhere FROM hq.settings WHERE id = 1), 'me', me,
                'lines', COALESCE((SELECT jsonb_agg(jsonb_build_object('sku', r.sku, 'name', r.name, 'sold_milli', r.sold_milli,
                                                                  'unit_amount', r.unit_amount, 'returned_milli', r.returned_milli))
                                   FROM hq.returnable(s.store, s.number) r), '[]'::jsonb));
        END
        $$;

        CREATE FUNCTION hq.claim_return(p_claim uuid, p_chain_number text, p_lines jsonb) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            v_store text := upper(split_part(p_chain_number, '-', 1));
            v_number bigint;
            s hq.sale;
            c hq.return_claim;
            line jsonb;
            r record;
        BEGIN
            IF NOT (SELECT returns_anywhere FROM hq.settings WHERE id = 1) THEN
                RETURN jsonb_build_object('answer', 'refused', 'reason', 'this chain takes returns only at the store that sold');
            END IF;
            IF split_part(p_chain_number, '-', 2) !~ '^[0-9]+$' THEN
                RETURN jsonb_build_object('answer', 'refused', 'reason', format('%s is not a chain order number (STORE-NUMBER)', p_chain_number));
            END IF;
            v_number := split_part(p_chain_number, '-', 2)::bigint;
            -- Every claim on this sale, from any store, waits here for the one before it.
            SELECT * INTO s FROM hq.sale WHERE store = v_store AND number = v_number FOR UPDATE;
            IF NOT FOUND THEN
                RETURN jsonb_build_object('answer', 'refused', 'reason', format('HQ has no sale %s (not sold, or not sent yet)', p_chain_number));
            END IF;
            SELECT * INTO c FROM hq.return_claim WHERE claim_id = p_claim;
            IF FOUND THEN  -- asked again after a lost answer: the same answer
                IF c.store <> me THEN RAISE EXCEPTION 'claim % belongs to another store', p_claim USING ERRCODE = '22023'; END IF;
                IF c.status = 'released' THEN
                    RETURN jsonb_build_object('answer', 'refused', 'reason', 'this return was cancelled');
                END IF;
                RETURN jsonb_build_object('answer', 'granted', 'lines',
                    (SELECT jsonb_agg(jsonb_build_object('sku', sku, 'quantity_milli', quantity_milli, 'unit_amount', unit_amount))
                     FROM hq.return_claim_line WHERE claim_id = p_claim));
            END IF;
            IF s.store = me THEN
                RETURN jsonb_build_object('answer', 'refused', 'reason', format('%s was sold at this store: refund it from the order', p_chain_number));
            END IF;
            IF s.voided THEN
                RETURN jsonb_build_object('answer', 'refused', 'reason', format('%s was voided at %s: nothing to return', p_chain_number, s.store));
            END IF;
            INSERT INTO hq.return_claim(claim_id, order_store, order_number, store) VALUES (p_claim, s.store, s.number, me);
            FOR line IN SELECT * FROM jsonb_array_elements(p_lines) LOOP
                SELECT * INTO r FROM hq.returnable(s.store, s.number) x WHERE lower(x.sku) = lower(line->>'sku');
                IF NOT FOUND THEN
                    RAISE EXCEPTION '% has no %', p_chain_number, line->>'sku' USING ERRCODE = 'P0001';
                END IF;
                IF r.sold_milli - r.returned_milli < (line->>'quantity_milli')::bigint THEN
                    RAISE EXCEPTION '% has % of % left to return (sold %)', p_chain_number,
                        trim_scale(round(greatest(0, r.sold_milli - r.returned_milli) / 1000.0, 3)), r.sku,
                        trim_scale(round(r.sold_milli / 1000.0, 3)) USING ERRCODE = 'P0001';
                END IF;
                INSERT INTO hq.return_claim_line(claim_id, sku, quantity_milli, unit_amount)
                VALUES (p_claim, r.sku, (line->>'quantity_milli')::bigint, r.unit_amount);
            END LOOP;
            RETURN jsonb_build_object('answer', 'granted', 'lines',
                (SELECT jsonb_agg(jsonb_build_object('sku', sku, 'quantity_milli', quantity_milli, 'unit_amount', unit_amount))
                 FROM hq.return_claim_line WHERE claim_id = p_claim));
        EXCEPTION WHEN raise_exception THEN
            RETURN jsonb_build_object('answer', 'refused', 'reason', SQLERRM);
        END
        $$;

        CREATE FUNCTION hq.release_return(p_claim uuid) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            n int;
        BEGIN
            UPDATE hq.return_claim SET status = 'released', settled_at = clock_timestamp()
            WHERE claim_id = p_claim AND store = me AND status = 'held';
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN jsonb_build_object('released', n > 0);
        END
        $$;

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v7;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            r record;
        BEGIN
            PERFORM hq.apply_event_v7(p_store, p_seq, p_kind, p);
            IF p_kind = 'refund' AND NULLIF(p->>'return_claim', '') IS NOT NULL THEN
                UPDATE hq.return_claim SET status = 'captured', refund_id = (p->>'refund_id')::bigint, settled_at = clock_timestamp()
                WHERE claim_id = (p->>'return_claim')::uuid AND store = p_store;
            ELSIF p_kind = 'refund' AND p->>'order_number' IS NOT NULL AND p->>'kind' <> 'void' THEN
                -- The selling store refunded what another store may already have taken back (it was offline, say).
                FOR r IN SELECT * FROM hq.returnable(p_store, (p->>'order_number')::bigint) WHERE returned_milli > sold_milli LOOP
                    PERFORM hq.flag(p_store, p_seq, 'return_exceeds_sale', p_store || '-' || (p->>'order_number') || ' ' || r.sku,
                        format('%s-%s: %s of %s returned across the chain, %s sold', p_store, p->>'order_number',
                               trim_scale(round(r.returned_milli / 1000.0, 3)), r.sku, trim_scale(round(r.sold_milli / 1000.0, 3))));
                END LOOP;
            END IF;
        END
        $$;

        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        DO $$
        BEGIN
            EXECUTE format('GRANT EXECUTE ON FUNCTION hq.order_for_return(text), hq.claim_return(uuid, text, jsonb), hq.release_return(uuid) TO %I',
                           current_database() || '_stores');
        END
        $$;
        """#
}
