/// HQ's ingest, in PostgreSQL itself: a store's role may call `hq.ingest`, `hq.changes_since` and `hq.whoami`
/// and nothing else — no table is granted to it. `hq.ingest` runs as HQ's owner (SECURITY DEFINER) and checks
/// that the batch is the calling role's own store, so a store cannot write as another even with a modified Till.
///
/// Exactly once comes from the keys: an event is stored at (store, seq) and (store, event id), both unique,
/// with `ON CONFLICT DO NOTHING`; the store's row is locked for the batch, so two agents of one store (a
/// killed one whose transaction is still running, and its restart) apply one after the other. A completed
/// sale is never refused: an event that cannot be applied is kept (`failed`) with an exception for a person,
/// and the events after it go on; an event of a schema this HQ does not know is kept raw (`held`).
enum HQSchemaIngest {
    static let sql = #"""
        CREATE FUNCTION hq.flag(p_store text, p_seq bigint, p_kind text, p_subject text, p_detail text) RETURNS void
        LANGUAGE sql AS $$
            INSERT INTO hq.exception(store, seq, kind, subject, detail)
            SELECT p_store, p_seq, p_kind, p_subject, p_detail
            WHERE NOT EXISTS (SELECT 1 FROM hq.exception
                              WHERE store = p_store AND kind = p_kind AND subject = p_subject AND resolved_at IS NULL);
        $$;

        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            line jsonb;
            ref jsonb;
            level bigint;
            has_catalog boolean;
        BEGIN
            IF jsonb_typeof(p) IS DISTINCT FROM 'object' THEN
                RAISE EXCEPTION 'the % event has no fact (payload is %)', p_kind, COALESCE(jsonb_typeof(p), 'missing');
            END IF;
            CASE p_kind
            WHEN 'sale' THEN
                INSERT INTO hq.sale(store, number, seq, register, currency, subtotal, discount_total, tax_total, total,
                                    cash_rounding, completed_at, business_day, staff, reference_version)
                VALUES (p_store, (p->>'number')::bigint, p_seq, COALESCE(p->>'register', 'main'), p->>'currency',
                        (p->>'subtotal')::bigint, COALESCE((p->>'discount_total')::bigint, 0), (p->>'tax_total')::bigint,
                        (p->>'total')::bigint, COALESCE((p->>'cash_rounding')::bigint, 0), (p->>'completed_at')::timestamptz,
                        (p->>'business_day')::date, p->>'staff', (p->>'reference_version')::bigint);
                -- Schema 1 lines carry no category: HQ's own catalog gives it.
                INSERT INTO hq.sale_line(store, number, position, sku, name, category, quantity_milli, unit_price,
                                         discount, tax, total, unit_cost)
                SELECT p_store, (p->>'number')::bigint, o::int, l->>'sku', l->>'name',
                       COALESCE(l->>'category', (SELECT r.data->>'category' FROM hq.reference r
                                                 WHERE r.kind = 'product' AND r.key = l->>'sku')),
                       (l->>'quantity_milli')::bigint, (l->>'unit_price')::bigint, COALESCE((l->>'discount')::bigint, 0),
                       (l->>'tax')::bigint, (l->>'total')::bigint, (l->>'unit_cost')::bigint
                FROM jsonb_array_elements(COALESCE(p->'lines', '[]'::jsonb)) WITH ORDINALITY AS t(l, o);
                INSERT INTO hq.sale_payment(store, number, position, method, amount, status, card_brand, card_last4)
                SELECT p_store, (p->>'number')::bigint, o::int, x->>'method', (x->>'amount')::bigint, x->>'status', x->>'card_brand',
                       x->>'card_last4'
                FROM jsonb_array_elements(COALESCE(p->'payments', '[]'::jsonb)) WITH ORDINALITY AS t(x, o);
                has_catalog := EXISTS (SELECT 1 FROM hq.reference WHERE kind = 'product');
                IF has_catalog THEN
                    FOR line IN SELECT value FROM jsonb_array_elements(COALESCE(p->'lines', '[]'::jsonb)) LOOP
                        SELECT data INTO ref FROM hq.reference WHERE kind = 'product' AND key = line->>'sku';
                        IF NOT FOUND THEN
                            PERFORM hq.flag(p_store, p_seq, 'unknown_sku', line->>'sku',
                                format('%s-%s sold %s (%s), which is not in HQ''s catalog', p_store, p->>'number',
                                       line->>'sku', line->>'name'));
                            CONTINUE;
                        END IF;
                        IF (ref->>'active')::boolean IS FALSE THEN
                            PERFORM hq.flag(p_store, p_seq, 'archived_sku', line->>'sku',
                                format('%s-%s sold %s, which HQ has archived', p_store, p->>'number', line->>'sku'));
                        END IF;
                        -- The price HQ had published in the version the store was on when it rang the sale.
                        SELECT c.data INTO ref FROM hq.chain_change c
                        WHERE c.kind = 'product' AND c.key = line->>'sku'
                          AND c.version <= COALESCE((line->>'reference_version')::bigint, (p->>'reference_version')::bigint, 0)
                        ORDER BY c.version DESC LIMIT 1;
                        IF FOUND AND (ref->>'price')::bigint IS DISTINCT FROM (line->>'unit_price')::bigint THEN
                            PERFORM hq.flag(p_store, p_seq, 'price_differs', line->>'sku',
                                format('%s-%s sold %s at %s; HQ''s price was %s (minor units)', p_store, p->>'number',
                                       line->>'sku', line->>'unit_price', ref->>'price'));
                        END IF;
                    END LOOP;
                END IF;
            WHEN 'refund' THEN
                INSERT INTO hq.refund(store, refund_id, seq, kind, order_number, register, destination, amount, tax,
                                      reason, completed_at, business_day, staff)
                VALUES (p_store, (p->>'refund_id')::bigint, p_seq, p->>'kind', (p->>'order_number')::bigint, p->>'register',
                        p->>'destination', (p->>'amount')::bigint, (p->>'tax')::bigint, p->>'reason',
                        (p->>'completed_at')::timestamptz, (p->>'business_day')::date, p->>'staff');
                INSERT INTO hq.refund_line(store, refund_id, position, sku, name, category, quantity_milli, amount, tax, restocked)
                SELECT p_store, (p->>'refund_id')::bigint, o::int, l->>'sku', l->>'name', l->>'category',
                       (l->>'quantity_milli')::bigint, (l->>'amount')::bigint, (l->>'tax')::bigint, (l->>'restocked')::int = 1
                FROM jsonb_array_elements(COALESCE(p->'lines', '[]'::jsonb)) WITH ORDINALITY AS t(l, o);
                IF p->>'kind' = 'void' THEN
                    UPDATE hq.sale SET voided = true WHERE store = p_store AND number = (p->>'order_number')::bigint;
                END IF;
            WHEN 'stock' THEN
                INSERT INTO hq.stock_movement(store, movement_id, seq, sku, location, delta_milli, reason, reference, created_at)
                VALUES (p_store, (p->>'movement_id')::bigint, p_seq, p->>'sku', p->>'location', (p->>'delta_milli')::bigint,
                        p->>'reason', p->>'reference', (p->>'created_at')::timestamptz);
                INSERT INTO hq.stock_level AS s(store, location, sku, on_hand_milli, as_of_seq)
                VALUES (p_store, p->>'location', p->>'sku', (p->>'delta_milli')::bigint, p_seq)
                ON CONFLICT (sku, store, location)
                DO UPDATE SET on_hand_milli = s.on_hand_milli + excluded.on_hand_milli, as_of_seq = excluded.as_of_seq
                RETURNING on_hand_milli INTO level;
                IF level < 0 THEN
                    PERFORM hq.flag(p_store, p_seq, 'negative_stock', (p->>'sku') || '@' || (p->>'location'),
                        format('%s at %s/%s went below zero (%s) with event #%s', p->>'sku', p_store,
                               p->>'location', trim_scale(level / 1000.0), p_seq));
                END IF;
            WHEN 'cash' THEN
                INSERT INTO hq.cash_movement(store, movement_id, register, kind, amount, reason, business_day, staff, created_at)
                VALUES (p_store, (p->>'movement_id')::bigint, p->>'register', p->>'kind', (p->>'amount')::bigint,
                        p->>'reason', (p->>'business_day')::date, p->>'staff', (p->>'created_at')::timestamptz);
            WHEN 'shift' THEN
                INSERT INTO hq.shift(store, shift_id, register, business_day, opened_at, closed_at, opening_float,
                                     expected_cash, counted_cash, opened_by, closed_by)
                VALUES (p_store, (p->>'shift_id')::bigint, p->>'register', (p->>'business_day')::date,
                        (p->>'opened_at')::timestamptz, (p->>'closed_at')::timestamptz, (p->>'opening_float')::bigint,
                        (p->>'expected_cash')::bigint, (p->>'counted_cash')::bigint, p->>'opened_by', p->>'closed_by');
            WHEN 'z_report' THEN
                INSERT INTO hq.z_report(store, number, business_day, closed_at, closed_by, figures)
                VALUES (p_store, (p->>'number')::bigint, (p->>'business_day')::date, (p->>'closed_at')::timestamptz,
                        p->>'closed_by', p->'figures');
            WHEN 'audit' THEN
                INSERT INTO hq.audit(store, audit_id, at, action, entity, entity_id, before, after, note, staff)
                VALUES (p_store, (p->>'audit_id')::bigint, (p->>'at')::timestamptz, p->>'action', p->>'entity',
                        (p->>'entity_id')::bigint, p->>'before', p->>'after', p->>'note', p->>'staff');
            WHEN 'credit' THEN
                INSERT INTO hq.credit_entry(store, entry_id, account, currency, delta, reason, order_number, created_at)
                VALUES (p_store, (p->>'entry_id')::bigint, p->>'account', p->>'currency', (p->>'delta')::bigint,
                        p->>'reason', (p->>'order_number')::bigint, (p->>'created_at')::timestamptz);
            ELSE
                RAISE EXCEPTION 'unknown event kind "%"', p_kind;
            END CASE;
        END
        $$;

        -- Applies one stored event inside a savepoint: a failure marks it failed with an exception, never more.
        CREATE FUNCTION hq.apply_stored(p_store text, p_seq bigint) RETURNS text
        LANGUAGE plpgsql AS $$
        DECLARE
            e hq.event;
        BEGIN
            SELECT * INTO e FROM hq.event WHERE store = p_store AND seq = p_seq;
            BEGIN
                PERFORM hq.apply_event(e.store, e.seq, e.kind, e.payload);
                UPDATE hq.event SET status = 'applied' WHERE store = e.store AND seq = e.seq;
                RETURN 'applied';
            EXCEPTION WHEN OTHERS THEN
                UPDATE hq.event SET status = 'failed' WHERE store = e.store AND seq = e.seq;
                PERFORM hq.flag(e.store, e.seq, 'malformed_event', 'seq:' || e.seq,
                    format('event #%s (%s) from %s could not be applied: %s', e.seq, e.kind, e.store, SQLERRM));
                RETURN 'failed';
            END;
        END
        $$;

        CREATE FUNCTION hq.ingest(batch jsonb) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text;
            claimed text := batch->>'store';
            expected bigint;
            latest timestamptz;
            sent_at timestamptz;
            ev jsonb;
            v_seq bigint;
            v_id uuid;
            v_version int;
            v_recorded timestamptz;
            stored_id uuid;
            gap boolean := false;
            conflict bigint;
            inserted int;
            envelope_ok boolean;
        BEGIN
            SELECT code INTO me FROM hq.store WHERE role_name = session_user;
            IF me IS NULL THEN
                RAISE EXCEPTION 'role "%" is not a store of this chain', session_user USING ERRCODE = '42501';
            END IF;
            IF claimed IS DISTINCT FROM me THEN
                RAISE EXCEPTION 'store % cannot send events as store %', me, COALESCE(claimed, '(none)') USING ERRCODE = '42501';
            END IF;
            SELECT last_seq, last_recorded_at INTO expected, latest FROM hq.store WHERE code = me FOR UPDATE;
            BEGIN
                sent_at := (batch->>'sent_at')::timestamptz;
            EXCEPTION WHEN OTHERS THEN
                sent_at := NULL;
            END;
            IF sent_at IS NOT NULL AND abs(extract(epoch FROM sent_at - now())) > 300 THEN
                PERFORM hq.flag(me, NULL, 'clock_skew', 'agent',
                    format('%s''s sync agent sent at %s by its clock, HQ''s clock said %s: the store computer''s clock is wrong',
                           me, sent_at, now()));
            END IF;
            FOR ev IN SELECT value FROM jsonb_array_elements(COALESCE(batch->'events', '[]'::jsonb))
                      ORDER BY (value->>'seq')::bigint LOOP
                v_seq := (ev->>'seq')::bigint;
                IF v_seq IS NULL OR v_seq <= 0 THEN
                    RAISE EXCEPTION 'an event from % has no sequence number', me USING ERRCODE = '22023';
                END IF;
                IF v_seq <= expected THEN
                    SELECT event_id INTO stored_id FROM hq.event WHERE store = me AND seq = v_seq;
                    IF stored_id::text IS DISTINCT FROM lower(ev->>'event_id') THEN
                        -- Another event under a number HQ already holds: this file was restored from a backup, or
                        -- is another file using this store's credentials. Nothing after it is taken, and the
                        -- store is told: its events stay queued, never marked sent.
                        PERFORM hq.flag(me, v_seq, 'sequence_conflict', 'conflict',
                            format('%s sent event %s as #%s, but HQ holds another event (%s) there: the store file was restored from a backup or is a second file using %s''s credentials; its events from #%s stay queued at the store',
                                   me, ev->>'event_id', v_seq, stored_id, me, v_seq));
                        conflict := v_seq;
                        EXIT;
                    END IF;
                    CONTINUE;
                END IF;
                IF v_seq > expected + 1 THEN
                    gap := true;
                    EXIT;
                END IF;
                envelope_ok := true;
                BEGIN
                    v_id := (ev->>'event_id')::uuid;
                    v_version := (ev->>'schema_version')::int;
                    v_recorded := (ev->>'recorded_at')::timestamptz;
                    IF v_id IS NULL OR v_version IS NULL OR ev->>'kind' IS NULL THEN
                        envelope_ok := false;
                    END IF;
                EXCEPTION WHEN OTHERS THEN
                    envelope_ok := false;
                END;
                IF NOT envelope_ok THEN
                    INSERT INTO hq.event(store, seq, event_id, kind, schema_version, recorded_at, payload, status)
                    VALUES (me, v_seq, gen_random_uuid(), COALESCE(ev->>'kind', '?'), COALESCE(v_version, 0), NULL, ev, 'failed');
                    PERFORM hq.flag(me, v_seq, 'malformed_event', 'seq:' || v_seq,
                        format('event #%s from %s has a malformed envelope (event id, schema version, kind or time): %s',
                               v_seq, me, left(ev::text, 200)));
                    expected := v_seq;
                    CONTINUE;
                END IF;
                INSERT INTO hq.event(store, seq, event_id, kind, schema_version, recorded_at, payload, status)
                VALUES (me, v_seq, v_id, ev->>'kind', v_version, v_recorded, COALESCE(ev->'payload', 'null'::jsonb), 'held')
                ON CONFLICT DO NOTHING;
                GET DIAGNOSTICS inserted = ROW_COUNT;
                IF inserted = 0 THEN
                    -- The same event id at another sequence number: kept once, flagged, and not allowed to stall the queue.
                    PERFORM hq.flag(me, v_seq, 'duplicate_event', v_id::text,
                        format('%s sent event %s again as #%s: HQ keeps the first', me, v_id, v_seq));
                    INSERT INTO hq.event(store, seq, event_id, kind, schema_version, recorded_at, payload, status)
                    VALUES (me, v_seq, gen_random_uuid(), ev->>'kind', v_version, v_recorded, ev, 'failed');
                    expected := v_seq;
                    CONTINUE;
                END IF;
                -- Sequence order is the truth; a till's clock is only checked. The store's events commit in order,
                -- so one recorded well before what came earlier, or after the agent sent it, has a wrong clock.
                IF v_recorded IS NOT NULL AND latest IS NOT NULL AND v_recorded < latest - interval '10 minutes' THEN
                    PERFORM hq.flag(me, v_seq, 'clock_skew', 'till',
                        format('%s''s event #%s (%s%s) says %s, after events recorded at %s: a till''s clock is behind; HQ keeps the store''s order',
                               me, v_seq, ev->>'kind', COALESCE(', register ' || (ev->'payload'->>'register'), ''), v_recorded, latest));
                ELSIF v_recorded IS NOT NULL AND sent_at IS NOT NULL AND v_recorded > sent_at + interval '10 minutes' THEN
                    PERFORM hq.flag(me, v_seq, 'clock_skew', 'till',
                        format('%s''s event #%s (%s%s) says %s, later than it was sent (%s): a till''s clock is ahead; HQ keeps the store''s order',
                               me, v_seq, ev->>'kind', COALESCE(', register ' || (ev->'payload'->>'register'), ''), v_recorded, sent_at));
                END IF;
                IF v_recorded IS NOT NULL AND (latest IS NULL OR v_recorded > latest)
                   AND (sent_at IS NULL OR v_recorded <= sent_at + interval '10 minutes') THEN
                    latest := v_recorded;
                END IF;
                IF EXISTS (SELECT 1 FROM hq.event_schema WHERE version = v_version) THEN
                    PERFORM hq.apply_stored(me, v_seq);
                ELSE
                    PERFORM hq.flag(me, v_seq, 'held_events', 'schema:' || v_version,
                        format('%s sends events of schema version %s, which this HQ does not know: they are kept and applied once HQ is upgraded',
                               me, v_version));
                END IF;
                expected := v_seq;
            END LOOP;
            UPDATE hq.store SET last_seq = expected, last_recorded_at = latest, last_contact_at = now(),
                   till_version = COALESCE(batch->>'till_version', till_version),
                   event_schema = COALESCE((batch->>'schema_version')::int, event_schema),
                   reference_version = COALESCE((batch->>'reference_version')::bigint, reference_version)
            WHERE code = me;
            RETURN jsonb_build_object('store', me, 'acknowledged', expected,
                                      'resend_from', CASE WHEN gap AND conflict IS NULL THEN expected + 1 END,
                                      'conflict_at', conflict,
                                      'held', (SELECT count(*) FROM hq.event WHERE store = me AND status = 'held'));
        END
        $$;

        -- After an upgrade taught HQ a newer schema: applies what was held, in each store's order.
        CREATE FUNCTION hq.apply_held() RETURNS int
        LANGUAGE plpgsql AS $$
        DECLARE
            e record;
            n int := 0;
        BEGIN
            FOR e IN SELECT store, seq FROM hq.event
                     WHERE status = 'held' AND schema_version IN (SELECT version FROM hq.event_schema)
                     ORDER BY store, seq LOOP
                PERFORM hq.apply_stored(e.store, e.seq);
                n := n + 1;
            END LOOP;
            UPDATE hq.exception x SET resolved_at = now()
            WHERE x.kind = 'held_events' AND x.resolved_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM hq.event ev WHERE ev.store = x.store AND ev.status = 'held');
            RETURN n;
        END
        $$;

        -- What a store's credentials are at this HQ: its code and name, and the chain's currency.
        CREATE FUNCTION hq.whoami() RETURNS jsonb
        LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
            SELECT jsonb_build_object('store', s.code, 'name', s.name, 'currency', (SELECT currency FROM hq.settings),
                                      'tax_inclusive', (SELECT tax_inclusive FROM hq.settings),
                                      'acknowledged', s.last_seq)
            FROM hq.store s WHERE s.role_name = session_user;
        $$;

        CREATE FUNCTION hq.changes_since(since bigint, max_versions int) RETURNS jsonb
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
            SELECT COALESCE(jsonb_agg(v ORDER BY (v->>'version')::bigint), '[]'::jsonb) FROM (
                SELECT jsonb_build_object(
                    'version', cv.version,
                    'published_at', to_char(cv.published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                    'min_store_schema', cv.min_store_schema,
                    'changes', (SELECT COALESCE(jsonb_agg(jsonb_build_object('kind', c.kind, 'key', c.key, 'data', c.data)
                                                          ORDER BY c.position), '[]'::jsonb)
                                FROM hq.chain_change c WHERE c.version = cv.version)) AS v
                FROM hq.chain_version cv WHERE cv.version > since ORDER BY cv.version LIMIT max_versions) AS versions;
        $$;

        -- Publishes reference changes as one new chain version. The exclusive lock makes versions commit in
        -- number order, so a store that has seen version N has seen every version below it.
        CREATE FUNCTION hq.publish(changes jsonb, p_note text, p_min_schema int) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE
            v bigint;
        BEGIN
            IF jsonb_typeof(changes) IS DISTINCT FROM 'array' OR jsonb_array_length(changes) = 0 THEN
                RAISE EXCEPTION 'nothing to publish';
            END IF;
            LOCK TABLE hq.chain_version IN EXCLUSIVE MODE;
            SELECT COALESCE(max(version), 0) + 1 INTO v FROM hq.chain_version;
            INSERT INTO hq.chain_version(version, min_store_schema, note) VALUES (v, p_min_schema, p_note);
            INSERT INTO hq.chain_change(version, position, kind, key, data)
            SELECT v, o::int, c->>'kind', c->>'key', c->'data' FROM jsonb_array_elements(changes) WITH ORDINALITY AS t(c, o);
            INSERT INTO hq.reference(kind, key, data, version)
            SELECT DISTINCT ON (c->>'kind', c->>'key') c->>'kind', c->>'key', c->'data', v
            FROM jsonb_array_elements(changes) WITH ORDINALITY AS t(c, o)
            ORDER BY c->>'kind', c->>'key', o DESC
            ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data, version = excluded.version;
            RETURN v;
        END
        $$;

        REVOKE ALL ON SCHEMA hq FROM PUBLIC;
        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        DO $$
        BEGIN
            EXECUTE format('GRANT USAGE ON SCHEMA hq TO %I', current_database() || '_stores');
            EXECUTE format('GRANT EXECUTE ON FUNCTION hq.ingest(jsonb), hq.whoami(), hq.changes_since(bigint, int) TO %I',
                           current_database() || '_stores');
        END
        $$;
        """#
}
