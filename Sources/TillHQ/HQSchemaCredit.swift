/// Gift cards and store credit held at HQ (migration `hq-v3-credit`), and the live calls a store makes while it
/// sells: look up a card, hold an amount on it, release a hold, see other stores' stock.
///
/// A card's balance is the sum of its ledger (`hq.credit_entry`, every store's issues, redemptions, refunds as
/// their events arrive); what may be spent is that minus the open holds. `hq.hold_credit` takes the card's row
/// lock, so holds on one card from any number of stores are decided one after another and never together
/// exceed the balance. A redemption's event captures its hold, a cancelled payment's reversal releases it; the
/// store's agent releases holds its till asked for but never used. A redemption that takes a card below zero
/// (an offline allowance, spent at two stores) is kept and flagged `overdraft` with the balance.
///
/// Event application for credit moves here: the v2 `hq.apply_event` is kept as `hq.apply_event_v2` for every
/// other kind.
enum HQSchemaCredit {
    static let sql = #"""
        INSERT INTO hq.event_schema VALUES (3) ON CONFLICT DO NOTHING;
        ALTER TABLE hq.credit_entry ADD COLUMN hold_id uuid, ADD COLUMN offline boolean NOT NULL DEFAULT false;
        -- One card, one code, whatever case a till typed it in.
        UPDATE hq.credit_entry SET account = upper(btrim(account)) WHERE account IS DISTINCT FROM upper(btrim(account));
        CREATE INDEX credit_entry_account ON hq.credit_entry(account);
        CREATE TABLE hq.credit_account (
            code text PRIMARY KEY,
            currency text NOT NULL,
            first_store text REFERENCES hq.store(code),
            created_at timestamptz NOT NULL DEFAULT now()
        );
        INSERT INTO hq.credit_account(code, currency, first_store, created_at)
        SELECT DISTINCT ON (account) account, COALESCE(currency, (SELECT currency FROM hq.settings WHERE id = 1)), store, created_at
        FROM hq.credit_entry ORDER BY account, created_at;
        CREATE TABLE hq.credit_hold (
            hold_id uuid PRIMARY KEY,
            account text NOT NULL REFERENCES hq.credit_account(code),
            store text NOT NULL REFERENCES hq.store(code),
            amount bigint NOT NULL CHECK (amount > 0),
            status text NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'captured', 'released')),
            order_number bigint,
            created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            settled_at timestamptz
        );
        CREATE INDEX credit_hold_open ON hq.credit_hold(account) WHERE status = 'held';

        CREATE FUNCTION hq.credit_balance(p_code text) RETURNS bigint
        LANGUAGE sql STABLE AS $$ SELECT COALESCE(sum(delta), 0)::bigint FROM hq.credit_entry WHERE account = p_code $$;
        CREATE FUNCTION hq.credit_held(p_code text) RETURNS bigint
        LANGUAGE sql STABLE AS $$ SELECT COALESCE(sum(amount), 0)::bigint FROM hq.credit_hold WHERE account = p_code AND status = 'held' $$;

        -- The store whose role is calling; a live call from anyone else is refused as ingest refuses it.
        CREATE FUNCTION hq.calling_store() RETURNS text
        LANGUAGE plpgsql STABLE AS $$
        DECLARE me text;
        BEGIN
            SELECT code INTO me FROM hq.store WHERE role_name = session_user;
            IF me IS NULL THEN
                RAISE EXCEPTION 'role % is not a store of this chain', session_user USING ERRCODE = '42501';
            END IF;
            RETURN me;
        END
        $$;

        CREATE FUNCTION hq.lookup_credit(p_code text) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            a hq.credit_account;
        BEGIN
            PERFORM hq.calling_store();
            SELECT * INTO a FROM hq.credit_account WHERE code = upper(btrim(p_code));
            IF NOT FOUND THEN RETURN NULL; END IF;
            RETURN jsonb_build_object('code', a.code, 'currency', a.currency,
                                      'balance', hq.credit_balance(a.code), 'held', hq.credit_held(a.code));
        END
        $$;

        CREATE FUNCTION hq.hold_credit(p_hold uuid, p_code text, p_amount bigint) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            v_code text := upper(btrim(p_code));
            h hq.credit_hold;
            available bigint;
        BEGIN
            IF p_amount IS NULL OR p_amount <= 0 THEN
                RAISE EXCEPTION 'a hold is for an amount above zero, not %', p_amount USING ERRCODE = '22023';
            END IF;
            -- Every hold on this card, from any store, waits here for the one before it.
            PERFORM 1 FROM hq.credit_account WHERE code = v_code FOR UPDATE;
            IF NOT FOUND THEN RETURN jsonb_build_object('answer', 'unknown'); END IF;
            SELECT * INTO h FROM hq.credit_hold WHERE hold_id = p_hold;
            IF FOUND THEN
                IF h.store <> me OR h.account <> v_code OR h.amount <> p_amount THEN
                    RAISE EXCEPTION 'hold % was asked for with another store, card or amount', p_hold USING ERRCODE = '22023';
                END IF;
                RETURN jsonb_build_object('answer', CASE WHEN h.status = 'released' THEN 'refused' ELSE 'granted' END,
                                          'available', hq.credit_balance(v_code) - hq.credit_held(v_code));
            END IF;
            available := hq.credit_balance(v_code) - hq.credit_held(v_code);
            IF available < p_amount THEN
                RETURN jsonb_build_object('answer', 'refused', 'available', available);
            END IF;
            INSERT INTO hq.credit_hold(hold_id, account, store, amount) VALUES (p_hold, v_code, me, p_amount);
            RETURN jsonb_build_object('answer', 'granted', 'available', available - p_amount);
        END
        $$;

        CREATE FUNCTION hq.release_credit(p_hold uuid) RETURNS jsonb
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
            n int;
        BEGIN
            UPDATE hq.credit_hold SET status = 'released', settled_at = clock_timestamp()
            WHERE hold_id = p_hold AND store = me AND status = 'held';
            GET DIAGNOSTICS n = ROW_COUNT;
            RETURN jsonb_build_object('released', n > 0);
        END
        $$;

        -- On-hand of a SKU at every other store, per store, as of the event that last moved it there.
        CREATE FUNCTION hq.stock_elsewhere(p_sku text) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            me text := hq.calling_store();
        BEGIN
            RETURN (SELECT COALESCE(jsonb_agg(jsonb_build_object(
                        'store', s.code, 'name', s.name, 'location', l.location, 'on_hand_milli', l.on_hand_milli,
                        'as_of', to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                        ORDER BY s.code, l.location), '[]'::jsonb)
                    FROM hq.stock_level l JOIN hq.store s ON s.code = l.store
                    LEFT JOIN hq.event e ON e.store = l.store AND e.seq = l.as_of_seq
                    WHERE l.sku = p_sku AND l.store <> me);
        END
        $$;

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v2;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            v_code text;
            v_hold uuid;
            v_delta bigint;
            v_balance bigint;
            n int;
        BEGIN
            IF p_kind <> 'credit' THEN
                PERFORM hq.apply_event_v2(p_store, p_seq, p_kind, p);
                RETURN;
            END IF;
            IF jsonb_typeof(p) IS DISTINCT FROM 'object' THEN
                RAISE EXCEPTION 'the credit event has no fact (payload is %)', COALESCE(jsonb_typeof(p), 'missing');
            END IF;
            v_code := upper(btrim(p->>'account'));
            v_delta := (p->>'delta')::bigint;
            v_hold := NULLIF(p->>'hold_id', '')::uuid;
            INSERT INTO hq.credit_account(code, currency, first_store, created_at)
            VALUES (v_code, COALESCE(p->>'currency', (SELECT currency FROM hq.settings WHERE id = 1)), p_store,
                    COALESCE((p->>'created_at')::timestamptz, now()))
            ON CONFLICT DO NOTHING;
            PERFORM 1 FROM hq.credit_account WHERE code = v_code FOR UPDATE;
            INSERT INTO hq.credit_entry(store, entry_id, account, currency, delta, reason, order_number, created_at, hold_id, offline)
            VALUES (p_store, (p->>'entry_id')::bigint, v_code, p->>'currency', v_delta, p->>'reason',
                    (p->>'order_number')::bigint, (p->>'created_at')::timestamptz, v_hold, COALESCE((p->>'offline')::int, 0) = 1);
            IF v_hold IS NOT NULL THEN
                IF v_delta < 0 THEN
                    -- The money was spent at the store: captured, even if the hold had been given back meanwhile.
                    UPDATE hq.credit_hold SET status = 'captured', order_number = (p->>'order_number')::bigint,
                           settled_at = clock_timestamp()
                    WHERE hold_id = v_hold AND store = p_store AND status IN ('held', 'released');
                    GET DIAGNOSTICS n = ROW_COUNT;
                    IF n = 0 AND NOT EXISTS (SELECT 1 FROM hq.credit_hold WHERE hold_id = v_hold AND status = 'captured') THEN
                        PERFORM hq.flag(p_store, p_seq, 'unknown_hold', v_code,
                            format('%s redeemed %s from %s under hold %s, which HQ never granted', p_store, -v_delta, v_code, v_hold));
                    END IF;
                ELSE
                    -- A payment cancelled before its sale completed.
                    UPDATE hq.credit_hold SET status = 'released', settled_at = clock_timestamp()
                    WHERE hold_id = v_hold AND store = p_store AND status IN ('held', 'captured');
                END IF;
            END IF;
            IF v_delta < 0 THEN
                v_balance := hq.credit_balance(v_code);
                IF v_balance < 0 THEN
                    PERFORM hq.flag(p_store, p_seq, 'overdraft', v_code,
                        format('gift card %s is at %s (minor units) after %s%s took %s%s', v_code, v_balance, p_store,
                               COALESCE('-' || (p->>'order_number'), ''), -v_delta,
                               CASE WHEN COALESCE((p->>'offline')::int, 0) = 1 THEN ' offline' ELSE '' END));
                END IF;
            END IF;
        END
        $$;

        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        DO $$
        BEGIN
            EXECUTE format('GRANT EXECUTE ON FUNCTION hq.lookup_credit(text), hq.hold_credit(uuid, text, bigint), hq.release_credit(uuid), hq.stock_elsewhere(text) TO %I',
                           current_database() || '_stores');
        END
        $$;
        """#
}
