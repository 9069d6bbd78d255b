/// Each store's signed journal at head office (migration `hq-v10-journal`, event schema 5). The store's first
/// entry registers its public key, once; every entry that arrives must hash to its hash and follow the entry
/// before it that HQ already holds, or HQ opens an exception — so a store that rewrote its journal (with its
/// own key or a new one) is seen at HQ. Signatures are checked against the registered key by
/// `till hq journal verify` (PostgreSQL has no ECDSA), which records each entry's result.
enum HQSchemaJournal {
    static let sql = #"""
        INSERT INTO hq.event_schema VALUES (5) ON CONFLICT DO NOTHING;

        CREATE TABLE hq.journal_key (
            store text PRIMARY KEY REFERENCES hq.store(code),
            public_key text NOT NULL,
            registered_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE hq.journal_entry (
            store text NOT NULL REFERENCES hq.store(code),
            seq bigint NOT NULL,
            kind text NOT NULL,
            ref bigint NOT NULL,
            hash text NOT NULL,
            prev text NOT NULL,
            signature text NOT NULL,
            bytes text NOT NULL,
            gt_sales bigint,
            gt_refunds bigint,
            received_at timestamptz NOT NULL DEFAULT now(),
            -- NULL until `till hq journal verify` has checked the signature against the registered key.
            signature_valid boolean,
            PRIMARY KEY (store, seq)
        );
        CREATE INDEX journal_entry_unchecked ON hq.journal_entry(store, seq) WHERE signature_valid IS NULL;

        CREATE FUNCTION hq.apply_journal(p_store text, p_seq bigint, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            v_seq bigint := (p->>'seq')::bigint;
            v_bytes text := p->>'bytes';
            v_hash text := p->>'hash';
            v_prev text := substring(v_bytes from E'\nprev=([0-9a-f]{64})\n');
            v_key text;
            held hq.journal_entry;
            before_hash text;
        BEGIN
            IF v_seq IS NULL OR v_bytes IS NULL OR v_hash IS NULL OR v_prev IS NULL THEN
                RAISE EXCEPTION 'journal event #% has no entry number, bytes, hash or link', p_seq;
            END IF;
            SELECT * INTO held FROM hq.journal_entry WHERE store = p_store AND seq = v_seq;
            IF FOUND THEN
                IF held.hash <> v_hash THEN
                    PERFORM hq.flag(p_store, p_seq, 'journal_rewritten', 'entry:' || v_seq,
                        format('%s sent journal entry %s again with another hash (%s, HQ holds %s): the store''s journal was rewritten',
                               p_store, v_seq, left(v_hash, 16), left(held.hash, 16)));
                END IF;
                RETURN;
            END IF;
            IF encode(sha256(convert_to(v_bytes, 'UTF8')), 'hex') <> v_hash THEN
                PERFORM hq.flag(p_store, p_seq, 'journal_broken', 'entry:' || v_seq,
                    format('journal entry %s from %s does not hash to its own hash: it was changed after it was made', v_seq, p_store));
            END IF;
            IF v_seq = 1 THEN
                IF v_prev <> repeat('0', 64) THEN
                    PERFORM hq.flag(p_store, p_seq, 'journal_broken', 'entry:1', format('journal entry 1 from %s links to an entry before it', p_store));
                END IF;
            ELSE
                SELECT hash INTO before_hash FROM hq.journal_entry WHERE store = p_store AND seq = v_seq - 1;
                IF NOT FOUND THEN
                    PERFORM hq.flag(p_store, p_seq, 'journal_broken', 'entry:' || v_seq,
                        format('journal entry %s from %s arrived but HQ has no entry %s: entries are missing', v_seq, p_store, v_seq - 1));
                ELSIF before_hash <> v_prev THEN
                    PERFORM hq.flag(p_store, p_seq, 'journal_broken', 'entry:' || v_seq,
                        format('journal entry %s from %s does not follow entry %s that HQ holds: the journal was changed or rewritten',
                               v_seq, p_store, v_seq - 1));
                END IF;
            END IF;
            IF p->>'kind' = 'journal_start' THEN
                SELECT public_key INTO v_key FROM hq.journal_key WHERE store = p_store;
                IF NOT FOUND THEN
                    INSERT INTO hq.journal_key(store, public_key)
                    VALUES (p_store, substring(v_bytes from E'\npublic_key=([A-Za-z0-9+/=]+)\n'));
                ELSIF v_key IS DISTINCT FROM substring(v_bytes from E'\npublic_key=([A-Za-z0-9+/=]+)\n') THEN
                    PERFORM hq.flag(p_store, p_seq, 'journal_key_changed', 'key',
                        format('%s started a journal with a key that is not the one it registered: a rewritten journal', p_store));
                END IF;
            END IF;
            INSERT INTO hq.journal_entry(store, seq, kind, ref, hash, prev, signature, bytes, gt_sales, gt_refunds)
            VALUES (p_store, v_seq, p->>'kind', (p->>'ref')::bigint, v_hash, v_prev, p->>'signature', v_bytes,
                    (p->>'gt_sales')::bigint, (p->>'gt_refunds')::bigint);
        END
        $$;

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v9;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
            IF p_kind = 'journal' THEN
                PERFORM hq.apply_journal(p_store, p_seq, p);
            ELSE
                PERFORM hq.apply_event_v9(p_store, p_seq, p_kind, p);
            END IF;
        END
        $$;
        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        """#
}
