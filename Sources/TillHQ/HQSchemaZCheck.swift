/// Chain reports' part of HQ's schema (migration `hq-v6-z-check`): a store's business day recomputed from its
/// events, and each Z report checked against it as it arrives.
enum HQSchemaZCheck {
    static let sql = #"""
        CREATE FUNCTION hq.day_figures(p_store text, p_day date, OUT sales bigint, OUT total bigint, OUT refunds bigint)
        LANGUAGE sql STABLE AS $$
            SELECT (SELECT count(*) FROM hq.sale WHERE store = p_store AND business_day = p_day AND NOT voided),
                   (SELECT COALESCE(sum(total), 0) FROM hq.sale WHERE store = p_store AND business_day = p_day AND NOT voided)::bigint,
                   (SELECT COALESCE(sum(amount), 0) FROM hq.refund WHERE store = p_store AND business_day = p_day AND kind <> 'void')::bigint;
        $$;

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v5;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            c record;
        BEGIN
            PERFORM hq.apply_event_v5(p_store, p_seq, p_kind, p);
            IF p_kind = 'z_report' THEN
                -- The day's sales and refunds came before its Z in the store's sequence: HQ has them all now.
                SELECT * INTO c FROM hq.day_figures(p_store, (p->>'business_day')::date);
                IF c.sales IS DISTINCT FROM COALESCE((p->'figures'->>'salesCount')::bigint, 0)
                   OR c.total IS DISTINCT FROM COALESCE((p->'figures'->>'total')::bigint, 0)
                   OR c.refunds IS DISTINCT FROM COALESCE((p->'figures'->>'refunds')::bigint, 0) THEN
                    PERFORM hq.flag(p_store, p_seq, 'z_mismatch', 'Z' || (p->>'number'),
                        format('%s''s Z #%s for %s counts %s sales, total %s, refunds %s; its events at HQ give %s sales, total %s, refunds %s (minor units)',
                               p_store, p->>'number', p->>'business_day', COALESCE(p->'figures'->>'salesCount', '0'),
                               COALESCE(p->'figures'->>'total', '0'), COALESCE(p->'figures'->>'refunds', '0'),
                               c.sales, c.total, c.refunds));
                END IF;
            END IF;
        END
        $$;
        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        """#
}
