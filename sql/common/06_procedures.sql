-- brotr PostgreSQL schema, both variants: insert functions for writers
-- that insert row by row (the original services). Every insert is
-- idempotent: calling again with the same values changes nothing.
-- insert_event names the event columns, so it is in <variant>/11_event_writers.sql.

CREATE OR REPLACE FUNCTION insert_relay(
    p_url          TEXT,
    p_network      TEXT,
    p_inserted_at  BIGINT
)
RETURNS VOID
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO relays (url, network, inserted_at)
    VALUES (p_url, p_network, p_inserted_at)
    ON CONFLICT (url) DO NOTHING;
END;
$$;

-- One relay check: the relay, the NIP-11 document and NIP-66 result when
-- present (stored once per content hash), and the snapshot row linking them.
CREATE OR REPLACE FUNCTION insert_relay_metadata(
    p_relay_url               TEXT,
    p_relay_network           TEXT,
    p_relay_inserted_at       BIGINT,
    p_generated_at            BIGINT,
    p_nip66_present           BOOLEAN,
    p_nip66_openable          BOOLEAN,
    p_nip66_readable          BOOLEAN,
    p_nip66_writable          BOOLEAN,
    p_nip66_rtt_open          INTEGER,
    p_nip66_rtt_read          INTEGER,
    p_nip66_rtt_write         INTEGER,
    p_nip11_present           BOOLEAN,
    p_nip11_name              TEXT,
    p_nip11_description       TEXT,
    p_nip11_banner            TEXT,
    p_nip11_icon              TEXT,
    p_nip11_pubkey            TEXT,
    p_nip11_contact           TEXT,
    p_nip11_supported_nips    JSONB,
    p_nip11_software          TEXT,
    p_nip11_version           TEXT,
    p_nip11_privacy_policy    TEXT,
    p_nip11_terms_of_service  TEXT,
    p_nip11_limitation        JSONB,
    p_nip11_extra_fields      JSONB
)
RETURNS VOID
LANGUAGE plpgsql
AS $$
DECLARE
    v_nip11_id  BYTEA;
    v_nip66_id  BYTEA;
    v_openable  BOOLEAN := COALESCE(p_nip66_openable, FALSE);
    v_readable  BOOLEAN := COALESCE(p_nip66_readable, FALSE);
    v_writable  BOOLEAN := COALESCE(p_nip66_writable, FALSE);
BEGIN
    INSERT INTO relays (url, network, inserted_at)
    VALUES (p_relay_url, p_relay_network, p_relay_inserted_at)
    ON CONFLICT (url) DO NOTHING;

    IF p_nip11_present THEN
        v_nip11_id := compute_nip11_hash(
            p_nip11_name, p_nip11_description, p_nip11_banner, p_nip11_icon,
            p_nip11_pubkey, p_nip11_contact, p_nip11_supported_nips,
            p_nip11_software, p_nip11_version, p_nip11_privacy_policy,
            p_nip11_terms_of_service, p_nip11_limitation, p_nip11_extra_fields);
        INSERT INTO nip11 (id, name, description, banner, icon, pubkey, contact,
                           supported_nips, software, version, privacy_policy,
                           terms_of_service, limitation, extra_fields)
        VALUES (v_nip11_id, p_nip11_name, p_nip11_description, p_nip11_banner,
                p_nip11_icon, p_nip11_pubkey, p_nip11_contact,
                p_nip11_supported_nips, p_nip11_software, p_nip11_version,
                p_nip11_privacy_policy, p_nip11_terms_of_service,
                p_nip11_limitation, p_nip11_extra_fields)
        ON CONFLICT (id) DO NOTHING;
    END IF;

    IF p_nip66_present THEN
        v_nip66_id := compute_nip66_hash(
            v_openable, v_readable, v_writable,
            p_nip66_rtt_open, p_nip66_rtt_read, p_nip66_rtt_write);
        INSERT INTO nip66 (id, openable, readable, writable, rtt_open, rtt_read, rtt_write)
        VALUES (v_nip66_id, v_openable, v_readable, v_writable,
                p_nip66_rtt_open, p_nip66_rtt_read, p_nip66_rtt_write)
        ON CONFLICT (id) DO NOTHING;
    END IF;

    INSERT INTO relay_metadata (relay_url, generated_at, nip11_id, nip66_id)
    VALUES (p_relay_url, p_generated_at, v_nip11_id, v_nip66_id)
    ON CONFLICT (relay_url, generated_at) DO NOTHING;
END;
$$;
