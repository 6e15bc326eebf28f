-- brotr PostgreSQL schema, bigbrotr only: the events table in full form and
-- the index on its tag values.

-- Nostr events; ids, keys and signatures stored as bytes.
CREATE TABLE IF NOT EXISTS events (
    id          BYTEA    PRIMARY KEY,
    pubkey      BYTEA    NOT NULL,
    created_at  BIGINT   NOT NULL,
    kind        INTEGER  NOT NULL,
    tags        JSONB    NOT NULL,
    tagvalues   TEXT[]   GENERATED ALWAYS AS (tags_to_tagvalues(tags)) STORED,
    content     TEXT     NOT NULL,
    sig         BYTEA    NOT NULL
);

-- Its name is part of the contract like those of common/04_indexes.sql.
CREATE INDEX IF NOT EXISTS idx_events_tagvalues ON events USING GIN (tagvalues);
