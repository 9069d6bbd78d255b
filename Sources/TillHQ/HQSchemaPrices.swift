/// Prices with an effective time, HQ's part (migration `hq-v7-price-schedule`). A schedule is a chain change of
/// kind `price_schedule` (the SKU, the new price, HQ's wall-clock moment); each store keeps it and changes its
/// shelf at that moment in its own time zone.
///
/// Between a schedule reaching a store and its moment, the store sells at the old price; after, at the new.
/// HQ cannot tell a store's wall clock from its events to the minute, so a sale at either price is HQ's price
/// once the store had the schedule's version: the price check of a sale (`price_differs`) takes back the
/// exception it just raised when the line's price is one HQ scheduled for that SKU in a version the store had.
enum HQSchemaPrices {
    static let sql = #"""
        ALTER TABLE hq.chain_change DROP CONSTRAINT chain_change_kind_check;
        ALTER TABLE hq.chain_change ADD CONSTRAINT chain_change_kind_check
            CHECK (kind IN ('tax_class', 'category', 'product', 'staff', 'setting', 'price_schedule'));

        ALTER FUNCTION hq.apply_event(text, bigint, text, jsonb) RENAME TO apply_event_v6;
        CREATE FUNCTION hq.apply_event(p_store text, p_seq bigint, p_kind text, p jsonb) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            line jsonb;
        BEGIN
            PERFORM hq.apply_event_v6(p_store, p_seq, p_kind, p);
            IF p_kind = 'sale' THEN
                FOR line IN SELECT * FROM jsonb_array_elements(COALESCE(p->'lines', '[]'::jsonb)) LOOP
                    IF EXISTS (SELECT 1 FROM hq.chain_change c
                               WHERE c.kind = 'price_schedule' AND lower(c.key) = lower(line->>'sku')
                                 AND (c.data->>'price')::bigint = (line->>'unit_price')::bigint
                                 AND c.version <= COALESCE((line->>'reference_version')::bigint, (p->>'reference_version')::bigint, 0)) THEN
                        DELETE FROM hq.exception
                        WHERE store = p_store AND seq = p_seq AND kind = 'price_differs' AND subject = line->>'sku'
                          AND resolved_at IS NULL;
                    END IF;
                END LOOP;
            END IF;
        END
        $$;
        REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA hq FROM PUBLIC;
        """#
}
