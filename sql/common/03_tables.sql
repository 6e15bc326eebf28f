-- brotr PostgreSQL schema, both variants: every table but events, which
-- differs between them and comes first (<variant>/02_events.sql) because
-- events_relays refers to it.

-- Registry of known relays.
CREATE TABLE IF NOT EXISTS relays (
    url          TEXT    PRIMARY KEY,  -- normalized WebSocket URL
    network      TEXT    NOT NULL,     -- 'clearnet' or 'tor'
    inserted_at  BIGINT  NOT NULL      -- unix seconds of first discovery
);

-- Which relay served which event, and when it was first seen there.
CREATE TABLE IF NOT EXISTS events_relays (
    event_id   BYTEA   NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    relay_url  TEXT    NOT NULL REFERENCES relays (url) ON DELETE CASCADE,
    seen_at    BIGINT  NOT NULL,
    PRIMARY KEY (event_id, relay_url)
);

-- NIP-11 documents, deduplicated by compute_nip11_hash.
CREATE TABLE IF NOT EXISTS nip11 (
    id                BYTEA  PRIMARY KEY,
    name              TEXT,
    description       TEXT,
    banner            TEXT,
    icon              TEXT,
    pubkey            TEXT,
    contact           TEXT,
    supported_nips    JSONB,
    software          TEXT,
    version           TEXT,
    privacy_policy    TEXT,
    terms_of_service  TEXT,
    limitation        JSONB,
    extra_fields      JSONB
);

-- NIP-66 liveness results, deduplicated by compute_nip66_hash.
CREATE TABLE IF NOT EXISTS nip66 (
    id         BYTEA    PRIMARY KEY,
    openable   BOOLEAN  NOT NULL,
    readable   BOOLEAN  NOT NULL,
    writable   BOOLEAN  NOT NULL,
    rtt_open   INTEGER,  -- milliseconds
    rtt_read   INTEGER,
    rtt_write  INTEGER
);

-- Time series of relay checks, pointing at the documents they produced.
CREATE TABLE IF NOT EXISTS relay_metadata (
    relay_url     TEXT    NOT NULL REFERENCES relays (url) ON DELETE CASCADE,
    generated_at  BIGINT  NOT NULL,
    nip11_id      BYTEA   REFERENCES nip11 (id) ON DELETE SET NULL,
    nip66_id      BYTEA   REFERENCES nip66 (id) ON DELETE SET NULL,
    PRIMARY KEY (relay_url, generated_at)
);

-- Persistent state of each service.
CREATE TABLE IF NOT EXISTS service_state (
    service_name  TEXT    PRIMARY KEY,
    state         JSONB   NOT NULL DEFAULT '{}',
    updated_at    BIGINT  NOT NULL
);
