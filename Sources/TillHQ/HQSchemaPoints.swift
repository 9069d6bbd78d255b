/// Loyalty points as a tender, HQ's part (migration `hq-v9-points`): the same hold/capture rule as gift cards.
/// A store asks for a hold on a customer's points (under the lock of the customer the family was merged into,
/// so every till spending that person's points waits for the one before it); the store's `redeem` entry
/// captures it when its event arrives; a hold never used is released. A balance is the ledger of every store's
/// entries less what is held; one below zero after a merge of events is an exception, never silent.
enum HQSchemaPoints {
    static let sql = #"""
        CREATE TABLE hq.loyalty_hold (
            hold_id uuid PRIMARY KEY,
            customer uuid NOT NULL,
            store text NOT NULL REFERENCES hq.store(code),
            points bigint NOT NULL CHECK (points > 0),
            status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'captured', 'released')),
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            settled_at timestamptz
        );
        CREATE INDEX loyalty_hold_open ON hq.loyalty_hold(customer) WHERE status = 'held';

        CREATE FUNCTION hq.points_of(p_customer uuid, OUT points bigint, OUT held bigint)
        LANGUAGE sql STABLE AS $$
            SELECT (SELECT COALESCE(sum(points), 0) FROM hq.loyalty_entry WHERE customer IN (SELECT hq.customer_family(p_customer)))::bigint,
                   (SELECT COALESCE(sum(points), 0) FROM hq.loyalty_hold
                    WHERE status = 'held' AND customer IN (SELECT hq.customer_family(p_customer)))::bigint;
        $$;

        CREATE OR REPLACE FUNCTION hq.loyalty_balance(p_customer uuid) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            b record;
        BEGIN
            SELECT * INTO b FROM hq.points_of(p_customer);
            RETURN jsonb_build_object('points', b.points, 'held', b.held,
                                      'acknowledged', (SELECT last_seq FROM hq.store WHERE code = me));
        END
        $$;

        CREATE FUNCTION hq.hold_points(p_hold uuid, p_customer uuid, p_points bigint) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            root uuid;
            h hq.loyalty_hold;
            b record;
        BEGIN
            IF p_points IS NULL OR p_points <= 0 THEN
                RAISE EXCEPTION 'a hold is for points above zero, not %', p_points USING ERRCODE = '22023';
            END IF;
            root := hq.customer_root(p_customer);
            -- Every hold on this person's points, from any store, waits here for the one before it.
            PERFORM 1 FROM hq.customer WHERE global_id = root FOR UPDATE;
            IF NOT FOUND THEN RETURN jsonb_build_object('answer', 'unknown'); END IF;
            SELECT * INTO h FROM hq.loyalty_hold WHERE hold_id = p_hold;
            IF FOUND THEN
                IF h.store <> me OR h.points <> p_points THEN
                    RAISE EXCEPTION 'points hold % was asked for with another store or amount', p_hold USING ERRCODE = '22023';
                END IF;
                SELECT * INTO b FROM hq.points_of(root);
                RETURN jsonb_build_object('answer', CASE WHEN h.status = 'released' THEN 'refused' ELSE 'granted' END,
                                          'available', b.points - b.held);
            END IF;
            SELECT * INTO b FROM hq.points_of(root);
            IF b.points - b.held < p_points THEN
                RETURN jsonb_build_object('answer', 'refused', 'available', b.points - b.held);
            END IF;
            INSERT INTO hq.loyalty_hold(hold_id, customer, store, points) VALUES (p_hold, root, me, p_points);
            RETURN jsonb_build_object('answer', 'granted', 'available', b.points - b.held - p_points);
        END
        $$;

        CREATE FUNCTION hq.release_points(p_hold uuid) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            n int;
        BEGIN
            UPDATE hq.loyalty_hold SET status = 'released', settled_at = clock_timestamp()
            WHERE hold_id = p_hold AND store = me AND status = 'held';
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN jsonb_build_object('released', n > 0);
        END
        $$;

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v8;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            b record;
        BEGIN
            PERFORM hq.apply_event_v8(p_store, p_seq, p_kind, p);
            IF p_kind = 'loyalty' AND p->>'reason' = 'redeem' THEN
                IF NULLIF(p->>'hold_id', '') IS NOT NULL THEN
                    UPDATE hq.loyalty_hold SET status = 'captured', settled_at = clock_timestamp()
                    WHERE hold_id = (p->>'hold_id')::uuid AND store = p_store AND status <> 'captured';
                END IF;
                SELECT * INTO b FROM hq.points_of((p->>'customer')::uuid);
                IF b.points < 0 THEN
                    PERFORM hq.flag(p_store, p_seq, 'points_overdraft', p->>'customer',
                        format('customer %s has %s points after %s spent %s at order %s', p->>'customer', b.points,
                               p_store, -(p->>'points')::bigint, p->>'order_number'));
                END IF;
            END IF;
        END
        $$;

        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        DO $$
        BEGIN
            EXECUTE format('GRANT EXECUTE ON FUNCTION hq.hold_points(uuid, uuid, bigint), hq.release_points(uuid) TO %I',
                           current_database() || '_stores');
        END
        $$;
        """#
}
