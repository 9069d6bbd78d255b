/// Transfers between stores (migration `hq-v4-transfers`). A transfer is made of facts each store records in
/// its own ledger — the shipping store's stock leaving (a `transfer` movement, negative), the receiving store's
/// arriving (positive) — each referenced `store-transfer:<id>:<from>><to>` and sent through the outbox like
/// any movement, so shipping and receiving work offline. HQ puts them together: per line what was requested,
/// shipped and received, and what is in transit (shipped − received − written off). Stock in transit is in
/// neither store's `stock_level`, so the chain never counts it twice, and it stays in transit until it is
/// received or a manager writes the difference off as lost or damaged — it is never lost silently.
///
/// The request itself is a live call (`hq.request_transfer`): it is a message to another store, which can only
/// reach it through HQ anyway.
enum HQSchemaTransfers {
    static let sql = #"""
        -- Who resolved an exception: a person at HQ (their role) or a store's manager.
        ALTER TABLE hq.exception ADD COLUMN resolved_by text;
        CREATE TABLE hq.transfer (
            id text PRIMARY KEY CHECK (id ~ '^[A-Z][A-Z0-9]{1,15}-T[0-9]+$'),
            from_store text NOT NULL REFERENCES hq.store(code),
            to_store text NOT NULL REFERENCES hq.store(code),
            requested boolean NOT NULL DEFAULT false,
            requested_by text,
            note text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL DEFAULT now(),
            CHECK (from_store <> to_store)
        );
        CREATE TABLE hq.transfer_line (
            transfer_id text NOT NULL REFERENCES hq.transfer(id),
            sku text NOT NULL,
            requested_milli bigint NOT NULL DEFAULT 0,
            shipped_milli bigint NOT NULL DEFAULT 0,
            received_milli bigint NOT NULL DEFAULT 0,
            last_shipped_at timestamptz,
            last_received_at timestamptz,
            PRIMARY KEY (transfer_id, sku)
        );
        CREATE TABLE hq.transfer_resolution (
            id bigserial PRIMARY KEY,
            transfer_id text NOT NULL REFERENCES hq.transfer(id),
            sku text NOT NULL,
            quantity_milli bigint NOT NULL,
            outcome text NOT NULL CHECK (outcome IN ('lost', 'damaged')),
            note text NOT NULL DEFAULT '',
            store text NOT NULL REFERENCES hq.store(code),
            staff text,
            resolved_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE VIEW hq.transfer_position AS
            SELECT l.transfer_id, l.sku, l.requested_milli, l.shipped_milli, l.received_milli,
                   COALESCE((SELECT sum(r.quantity_milli) FROM hq.transfer_resolution r
                             WHERE r.transfer_id = l.transfer_id AND r.sku = l.sku), 0)::bigint AS written_off_milli,
                   l.shipped_milli - l.received_milli
                   - COALESCE((SELECT sum(r.quantity_milli) FROM hq.transfer_resolution r
                               WHERE r.transfer_id = l.transfer_id AND r.sku = l.sku), 0)::bigint AS in_transit_milli
            FROM hq.transfer_line l;

        -- A transfer as one JSON object: its stores, state and lines.
        CREATE FUNCTION hq.transfer_json(p_id text) RETURNS jsonb
        LANGUAGE sql STABLE AS $$
            SELECT jsonb_build_object(
                'id', t.id, 'from', t.from_store, 'from_name', f.name, 'to', t.to_store, 'to_name', d.name,
                'requested', t.requested, 'requested_by', t.requested_by, 'note', t.note,
                'created_at', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'lines', (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                              'sku', p.sku, 'requested_milli', p.requested_milli, 'shipped_milli', p.shipped_milli,
                              'received_milli', p.received_milli, 'written_off_milli', p.written_off_milli,
                              'in_transit_milli', p.in_transit_milli) ORDER BY p.sku), '[]'::jsonb)
                          FROM hq.transfer_position p WHERE p.transfer_id = t.id))
            FROM hq.transfer t JOIN hq.store f ON f.code = t.from_store JOIN hq.store d ON d.code = t.to_store
            WHERE t.id = p_id;
        $$;

        CREATE FUNCTION hq.request_transfer(p_id text, p_from text, p_lines jsonb, p_note text, p_by text) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            v_from text := upper(btrim(p_from));
            existing hq.transfer;
        BEGIN
            IF split_part(p_id, '-T', 1) <> me THEN
                RAISE EXCEPTION 'transfer % is not numbered by %', p_id, me USING ERRCODE = '42501';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM hq.store WHERE code = v_from) THEN
                RAISE EXCEPTION 'there is no store % in this chain (stores: %)', v_from,
                    (SELECT string_agg(code, ', ' ORDER BY code) FROM hq.store) USING ERRCODE = '22023';
            END IF;
            IF v_from = me THEN
                RAISE EXCEPTION 'a store does not request a transfer from itself' USING ERRCODE = '22023';
            END IF;
            IF jsonb_typeof(p_lines) IS DISTINCT FROM 'array' OR jsonb_array_length(p_lines) = 0 THEN
                RAISE EXCEPTION 'a transfer request needs at least one line' USING ERRCODE = '22023';
            END IF;
            SELECT * INTO existing FROM hq.transfer WHERE id = p_id;
            IF FOUND THEN
                -- Asked again (the answer was lost on the way): the same request, not a second one.
                RETURN hq.transfer_json(p_id);
            END IF;
            INSERT INTO hq.transfer(id, from_store, to_store, requested, requested_by, note)
            VALUES (p_id, v_from, me, true, p_by, COALESCE(p_note, ''));
            INSERT INTO hq.transfer_line(transfer_id, sku, requested_milli)
            SELECT p_id, upper(btrim(l->>'sku')), sum((l->>'quantity_milli')::bigint)
            FROM jsonb_array_elements(p_lines) AS t(l) GROUP BY upper(btrim(l->>'sku'));
            RETURN hq.transfer_json(p_id);
        END
        $$;

        CREATE FUNCTION hq.transfers_for_me(p_all boolean) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
        BEGIN
            RETURN (SELECT COALESCE(jsonb_agg(hq.transfer_json(t.id) ORDER BY t.created_at DESC, t.id), '[]'::jsonb)
                    FROM hq.transfer t
                    WHERE (t.from_store = me OR t.to_store = me)
                      AND (p_all OR EXISTS (SELECT 1 FROM hq.transfer_position p WHERE p.transfer_id = t.id
                                            AND (p.in_transit_milli <> 0 OR p.shipped_milli < p.requested_milli))));
        END
        $$;

        CREATE FUNCTION hq.transfer_for_me(p_id text) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
        BEGIN
            RETURN (SELECT hq.transfer_json(id) FROM hq.transfer
                    WHERE id = upper(btrim(p_id)) AND (from_store = me OR to_store = me));
        END
        $$;

        -- What is still in transit on a line, written off as lost or damaged by the receiving store's manager.
        CREATE FUNCTION hq.resolve_transfer(p_id text, p_sku text, p_outcome text, p_note text, p_by text) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            t hq.transfer;
            open_milli bigint;
        BEGIN
            SELECT * INTO t FROM hq.transfer WHERE id = upper(btrim(p_id)) FOR UPDATE;
            IF NOT FOUND OR (t.from_store <> me AND t.to_store <> me) THEN
                RAISE EXCEPTION 'no transfer % involves %', p_id, me USING ERRCODE = '22023';
            END IF;
            SELECT in_transit_milli INTO open_milli FROM hq.transfer_position
            WHERE transfer_id = t.id AND sku = upper(btrim(p_sku));
            IF open_milli IS NULL THEN
                RAISE EXCEPTION 'transfer % has no line %', t.id, upper(btrim(p_sku)) USING ERRCODE = '22023';
            END IF;
            IF open_milli <= 0 THEN
                RAISE EXCEPTION 'nothing of % is in transit on transfer % (shipped and received agree)', upper(btrim(p_sku)), t.id
                    USING ERRCODE = '22023';
            END IF;
            INSERT INTO hq.transfer_resolution(transfer_id, sku, quantity_milli, outcome, note, store, staff)
            VALUES (t.id, upper(btrim(p_sku)), open_milli, p_outcome, COALESCE(p_note, ''), me, p_by);
            UPDATE hq.exception SET resolved_at = now(), resolved_by = COALESCE(p_by, me)
            WHERE kind = 'transfer_short' AND subject = t.id || ':' || upper(btrim(p_sku)) AND resolved_at IS NULL;
            RETURN hq.transfer_json(t.id);
        END
        $$;

        -- A transfer's movement as it arrives in a stock event: the shipping store's stock leaving (negative), the
        -- receiving store's arriving (positive). Either may come first: whichever does creates the transfer.
        CREATE FUNCTION hq.apply_transfer_movement(p_store text, p_seq bigint, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            parts text[] := regexp_match(p->>'reference', '^store-transfer:([A-Z][A-Z0-9]{1,15}-T[0-9]+):([A-Z][A-Z0-9]{1,15})>([A-Z][A-Z0-9]{1,15})$');
            v_id text;
            v_from text;
            v_to text;
            v_delta bigint := (p->>'delta_milli')::bigint;
            v_at timestamptz := (p->>'created_at')::timestamptz;
            line hq.transfer_position;
        BEGIN
            IF parts IS NULL THEN
                PERFORM hq.flag(p_store, p_seq, 'transfer_mismatch', p->>'reference',
                    format('%s moved %s under %s, which is not a transfer reference HQ reads', p_store, p->>'sku', p->>'reference'));
                RETURN;
            END IF;
            v_id := parts[1]; v_from := parts[2]; v_to := parts[3];
            IF (v_delta < 0 AND p_store <> v_from) OR (v_delta > 0 AND p_store <> v_to)
               OR NOT EXISTS (SELECT 1 FROM hq.store WHERE code = v_from) OR NOT EXISTS (SELECT 1 FROM hq.store WHERE code = v_to) THEN
                PERFORM hq.flag(p_store, p_seq, 'transfer_mismatch', v_id,
                    format('%s moved %s %s for transfer %s (%s to %s), which is not its side of that transfer',
                           p_store, p->>'sku', trim_scale(v_delta / 1000.0), v_id, v_from, v_to));
                RETURN;
            END IF;
            INSERT INTO hq.transfer(id, from_store, to_store) VALUES (v_id, v_from, v_to) ON CONFLICT (id) DO NOTHING;
            INSERT INTO hq.transfer_line(transfer_id, sku) VALUES (v_id, p->>'sku') ON CONFLICT DO NOTHING;
            IF v_delta < 0 THEN
                UPDATE hq.transfer_line SET shipped_milli = shipped_milli - v_delta, last_shipped_at = v_at
                WHERE transfer_id = v_id AND sku = p->>'sku';
            ELSE
                UPDATE hq.transfer_line SET received_milli = received_milli + v_delta, last_received_at = v_at
                WHERE transfer_id = v_id AND sku = p->>'sku';
            END IF;
            -- Once both sides are in, a difference is a person's question; it goes away when they agree.
            SELECT * INTO line FROM hq.transfer_position WHERE transfer_id = v_id AND sku = p->>'sku';
            IF line.shipped_milli > 0 AND line.received_milli > 0 AND line.in_transit_milli <> 0 THEN
                PERFORM hq.flag(v_to, p_seq, 'transfer_short', v_id || ':' || (p->>'sku'),
                    format('transfer %s (%s to %s): %s shipped %s, %s received %s — %s %s', v_id, v_from, v_to, p->>'sku',
                           trim_scale(line.shipped_milli / 1000.0), v_to, trim_scale(line.received_milli / 1000.0),
                           trim_scale(abs(line.in_transit_milli) / 1000.0),
                           CASE WHEN line.in_transit_milli > 0 THEN 'still in transit (till transfer resolve when lost or damaged)'
                                ELSE 'received more than was shipped' END));
            ELSIF line.in_transit_milli = 0 THEN
                UPDATE hq.exception SET resolved_at = now(), resolved_by = 'received in full'
                WHERE kind = 'transfer_short' AND subject = v_id || ':' || (p->>'sku') AND resolved_at IS NULL;
            END IF;
        END
        $$;

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v3;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM hq.apply_event_v3(p_store, p_seq, p_kind, p);
            IF p_kind = 'stock' AND p->>'reference' LIKE 'store-transfer:%' THEN
                PERFORM hq.apply_transfer_movement(p_store, p_seq, p);
            END IF;
        END
        $$;

        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        DO $$
        BEGIN
            EXECUTE format('GRANT EXECUTE ON FUNCTION hq.request_transfer(text, text, jsonb, text, text), hq.transfers_for_me(boolean), hq.transfer_for_me(text), hq.resolve_transfer(text, text, text, text, text) TO %I',
                           current_database() || '_stores');
        END
        $$;
        """#
}
