-- brotr PostgreSQL schema, both variants: a summary of what exists. The
-- variant is told by the events table, the one place their tables differ.
-- `brotr pg-check` performs the full check and names anything missing.
DO $$
DECLARE
    v_tables     INTEGER;
    v_functions  INTEGER;
    v_views      INTEGER;
    v_indexes    INTEGER;
    v_variant    TEXT;
BEGIN
    SELECT CASE WHEN EXISTS (SELECT 1 FROM information_schema.columns
                             WHERE table_schema = current_schema()
                               AND table_name = 'events' AND column_name = 'content')
                THEN 'bigbrotr' ELSE 'lilbrotr' END INTO v_variant;
    SELECT COUNT(*) INTO v_tables FROM pg_tables
    WHERE schemaname = current_schema()
      AND tablename IN ('relays', 'events', 'events_relays', 'nip11', 'nip66',
                        'relay_metadata', 'service_state', 'brotr_export_cursor');
    SELECT COUNT(DISTINCT proname) INTO v_functions FROM pg_proc
    WHERE pronamespace = current_schema()::regnamespace
      AND proname IN ('tags_to_tagvalues', 'compute_nip11_hash', 'compute_nip66_hash',
                      'insert_event', 'insert_relay', 'insert_relay_metadata',
                      'delete_orphan_events', 'delete_orphan_nip11', 'delete_orphan_nip66');
    SELECT COUNT(*) INTO v_views FROM pg_views
    WHERE schemaname = current_schema()
      AND viewname IN ('relay_metadata_latest', 'events_statistics', 'relays_statistics',
                       'kind_counts_total', 'kind_counts_by_relay',
                       'pubkey_counts_total', 'pubkey_counts_by_relay');
    SELECT COUNT(*) INTO v_indexes FROM pg_indexes
    WHERE schemaname = current_schema() AND indexname LIKE 'idx\_%';
    RAISE NOTICE 'brotr schema (%): % of 8 tables, % of 9 functions, % of 7 views, % indexes',
        v_variant, v_tables, v_functions, v_views, v_indexes;
END;
$$;
