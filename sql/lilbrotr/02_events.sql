-- brotr PostgreSQL schema, lilbrotr only: the events table in light form.

-- Nostr events, light form: no tags and no content, which make up most of
-- an event's size; ids, keys and signatures stored as bytes.
CREATE TABLE IF NOT EXISTS events (
    id          BYTEA    PRIMARY KEY,
    pubkey      BYTEA    NOT NULL,
    created_at  BIGINT   NOT NULL,
    kind        INTEGER  NOT NULL,
    sig         BYTEA    NOT NULL
);
