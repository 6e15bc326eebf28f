-- brotr PostgreSQL schema, lilbrotr only: the functions that write events,
-- which name every stored column (no tags, no content).

-- One event as seen on one relay: the event, the relay and their link.
-- Same signature as bigbrotr's; tags and content are not stored.
CREATE OR REPLACE FUNCTION insert_event(
    p_event_id           BYTEA,
    p_pubkey             BYTEA,
    p_created_at         BIGINT,
    p_kind               INTEGER,
    p_tags               JSONB,
    p_content            TEXT,
    p_sig                BYTEA,
    p_relay_url          TEXT,
    p_relay_network      TEXT,
    p_relay_inserted_at  BIGINT,
    p_seen_at            BIGINT
)
RETURNS VOID
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO events (id, pubkey, created_at, kind, sig)
    VALUES (p_event_id, p_pubkey, p_created_at, p_kind, p_sig)
    ON CONFLICT (id) DO NOTHING;

    INSERT INTO relays (url, network, inserted_at)
    VALUES (p_relay_url, p_relay_network, p_relay_inserted_at)
    ON CONFLICT (url) DO NOTHING;

    INSERT INTO events_relays (event_id, relay_url, seen_at)
    VALUES (p_event_id, p_relay_url, p_seen_at)
    ON CONFLICT (event_id, relay_url) DO NOTHING;
END;
$$;

-- Creates this session's staging tables. They are temporary (private to the
-- session, so several exporters can stage at once) and emptied at every
-- commit. The exporter COPYs a batch into them, then calls
-- brotr_export_merge_staging in the same transaction.
CREATE OR REPLACE FUNCTION brotr_export_prepare_staging()
RETURNS VOID
LANGUAGE plpgsql
AS $$
BEGIN
    IF to_regclass('pg_temp.brotr_stage_relays') IS NULL THEN
        CREATE TEMP TABLE brotr_stage_relays (
            url TEXT, network TEXT, inserted_at BIGINT
        ) ON COMMIT DELETE ROWS;
    END IF;
    IF to_regclass('pg_temp.brotr_stage_events') IS NULL THEN
        CREATE TEMP TABLE brotr_stage_events (
            id BYTEA, pubkey BYTEA, created_at BIGINT, kind INTEGER, sig BYTEA
        ) ON COMMIT DELETE ROWS;
    END IF;
    IF to_regclass('pg_temp.brotr_stage_events_relays') IS NULL THEN
        CREATE TEMP TABLE brotr_stage_events_relays (
            event_id BYTEA, relay_url TEXT, seen_at BIGINT
        ) ON COMMIT DELETE ROWS;
    END IF;
    IF to_regclass('pg_temp.brotr_stage_nip11') IS NULL THEN
        CREATE TEMP TABLE brotr_stage_nip11 (
            id BYTEA, name TEXT, description TEXT, banner TEXT, icon TEXT,
            pubkey TEXT, contact TEXT, supported_nips JSONB, software TEXT,
            version TEXT, privacy_policy TEXT, terms_of_service TEXT,
            limitation JSONB, extra_fields JSONB
        ) ON COMMIT DELETE ROWS;
    END IF;
    IF to_regclass('pg_temp.brotr_stage_nip66') IS NULL THEN
        CREATE TEMP TABLE brotr_stage_nip66 (
            id BYTEA, openable BOOLEAN, readable BOOLEAN, writable BOOLEAN,
            rtt_open INTEGER, rtt_read INTEGER, rtt_write INTEGER
        ) ON COMMIT DELETE ROWS;
    END IF;
    IF to_regclass('pg_temp.brotr_stage_relay_metadata') IS NULL THEN
        CREATE TEMP TABLE brotr_stage_relay_metadata (
            relay_url TEXT, generated_at BIGINT, nip11_id BYTEA, nip66_id BYTEA
        ) ON COMMIT DELETE ROWS;
    END IF;
    IF to_regclass('pg_temp.brotr_stage_service_state') IS NULL THEN
        CREATE TEMP TABLE brotr_stage_service_state (
            service_name TEXT, state JSONB, updated_at BIGINT
        ) ON COMMIT DELETE ROWS;
    END IF;
END;
$$;

-- Moves the staged batch into the tables in foreign-key order (new rows
-- only; service state is replaced when the staged one is at least as new),
-- advances the node's cursor and empties the staging tables. Returns how many
-- rows each table gained (service_state: rows inserted or replaced).
CREATE OR REPLACE FUNCTION brotr_export_merge_staging(
    p_node_id     TEXT,
    p_seq         BIGINT,
    p_updated_at  BIGINT
)
RETURNS TABLE (
    inserted_relays          BIGINT,
    inserted_events          BIGINT,
    inserted_events_relays   BIGINT,
    inserted_nip11           BIGINT,
    inserted_nip66           BIGINT,
    inserted_relay_metadata  BIGINT,
    upserted_service_state   BIGINT
)
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM brotr_export_prepare_staging();

    INSERT INTO relays (url, network, inserted_at)
    SELECT s.url, s.network, s.inserted_at FROM brotr_stage_relays s
    ON CONFLICT (url) DO NOTHING;
    GET DIAGNOSTICS inserted_relays = ROW_COUNT;

    INSERT INTO events (id, pubkey, created_at, kind, sig)
    SELECT s.id, s.pubkey, s.created_at, s.kind, s.sig
    FROM brotr_stage_events s
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS inserted_events = ROW_COUNT;

    INSERT INTO events_relays (event_id, relay_url, seen_at)
    SELECT s.event_id, s.relay_url, s.seen_at FROM brotr_stage_events_relays s
    ON CONFLICT (event_id, relay_url) DO NOTHING;
    GET DIAGNOSTICS inserted_events_relays = ROW_COUNT;

    INSERT INTO nip11 (id, name, description, banner, icon, pubkey, contact,
                       supported_nips, software, version, privacy_policy,
                       terms_of_service, limitation, extra_fields)
    SELECT s.id, s.name, s.description, s.banner, s.icon, s.pubkey, s.contact,
           s.supported_nips, s.software, s.version, s.privacy_policy,
           s.terms_of_service, s.limitation, s.extra_fields
    FROM brotr_stage_nip11 s
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS inserted_nip11 = ROW_COUNT;

    INSERT INTO nip66 (id, openable, readable, writable, rtt_open, rtt_read, rtt_write)
    SELECT s.id, s.openable, s.readable, s.writable, s.rtt_open, s.rtt_read, s.rtt_write
    FROM brotr_stage_nip66 s
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS inserted_nip66 = ROW_COUNT;

    INSERT INTO relay_metadata (relay_url, generated_at, nip11_id, nip66_id)
    SELECT s.relay_url, s.generated_at, s.nip11_id, s.nip66_id
    FROM brotr_stage_relay_metadata s
    ON CONFLICT (relay_url, generated_at) DO NOTHING;
    GET DIAGNOSTICS inserted_relay_metadata = ROW_COUNT;

    -- ON CONFLICT DO UPDATE may touch a row once per statement: keep the
    -- newest staged state of each service.
    INSERT INTO service_state AS t (service_name, state, updated_at)
    SELECT DISTINCT ON (s.service_name) s.service_name, s.state, s.updated_at
    FROM brotr_stage_service_state s
    ORDER BY s.service_name, s.updated_at DESC
    ON CONFLICT (service_name) DO UPDATE
        SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
        WHERE t.updated_at <= EXCLUDED.updated_at;
    GET DIAGNOSTICS upserted_service_state = ROW_COUNT;

    INSERT INTO brotr_export_cursor AS c (node_id, seq, updated_at)
    VALUES (p_node_id, p_seq, p_updated_at)
    ON CONFLICT (node_id) DO UPDATE
        SET seq = GREATEST(c.seq, EXCLUDED.seq), updated_at = EXCLUDED.updated_at;

    -- Emptied now too, so that a second merge before commit adds nothing
    -- twice (DELETE, not TRUNCATE: no new relation files per batch).
    DELETE FROM brotr_stage_relays;
    DELETE FROM brotr_stage_events;
    DELETE FROM brotr_stage_events_relays;
    DELETE FROM brotr_stage_nip11;
    DELETE FROM brotr_stage_nip66;
    DELETE FROM brotr_stage_relay_metadata;
    DELETE FROM brotr_stage_service_state;
    RETURN NEXT;
END;
$$;
