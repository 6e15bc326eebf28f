-- brotr PostgreSQL schema, both variants: indexes. Names are part of the
-- contract (dashboards and maintenance scripts refer to them). bigbrotr's
-- index on events.tagvalues is in bigbrotr/02_events.sql.

CREATE INDEX IF NOT EXISTS idx_events_created_at ON events (created_at DESC);
CREATE INDEX IF NOT EXISTS idx_events_kind ON events (kind);
CREATE INDEX IF NOT EXISTS idx_events_kind_created_at ON events (kind, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_events_pubkey_created_at ON events (pubkey, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_events_pubkey_kind_created_at ON events (pubkey, kind, created_at DESC);

CREATE INDEX IF NOT EXISTS idx_events_relays_event_id ON events_relays (event_id);
CREATE INDEX IF NOT EXISTS idx_events_relays_relay_url ON events_relays (relay_url);
CREATE INDEX IF NOT EXISTS idx_events_relays_seen_at ON events_relays (seen_at DESC);
CREATE INDEX IF NOT EXISTS idx_events_relays_relay_seen ON events_relays (relay_url, seen_at DESC);

CREATE INDEX IF NOT EXISTS idx_nip66_openable ON nip66 (openable) WHERE openable = TRUE;
CREATE INDEX IF NOT EXISTS idx_nip66_readable ON nip66 (readable) WHERE readable = TRUE;
CREATE INDEX IF NOT EXISTS idx_nip66_writable ON nip66 (writable) WHERE writable = TRUE;

CREATE INDEX IF NOT EXISTS idx_relay_metadata_generated_at ON relay_metadata (generated_at DESC);
CREATE INDEX IF NOT EXISTS idx_relay_metadata_nip11_id ON relay_metadata (nip11_id);
CREATE INDEX IF NOT EXISTS idx_relay_metadata_nip66_id ON relay_metadata (nip66_id);
CREATE INDEX IF NOT EXISTS idx_relay_metadata_url_generated ON relay_metadata (relay_url, generated_at DESC);
