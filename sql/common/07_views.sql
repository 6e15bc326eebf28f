-- brotr PostgreSQL schema, both variants: views. Plain views compute on
-- every read; on large archives `brotr-dump stats` gives the same figures
-- from counters the store maintains incrementally.

-- The newest snapshot of every relay; relays never checked appear with NULLs.
CREATE OR REPLACE VIEW relay_metadata_latest AS
SELECT
    r.url                 AS relay_url,
    r.network,
    r.inserted_at,
    rm.generated_at,
    rm.nip66_id,
    n66.openable          AS nip66_openable,
    n66.readable          AS nip66_readable,
    n66.writable          AS nip66_writable,
    n66.rtt_open          AS nip66_rtt_open,
    n66.rtt_read          AS nip66_rtt_read,
    n66.rtt_write         AS nip66_rtt_write,
    rm.nip11_id,
    n11.name              AS nip11_name,
    n11.description       AS nip11_description,
    n11.banner            AS nip11_banner,
    n11.icon              AS nip11_icon,
    n11.pubkey            AS nip11_pubkey,
    n11.contact           AS nip11_contact,
    n11.supported_nips    AS nip11_supported_nips,
    n11.software          AS nip11_software,
    n11.version           AS nip11_version,
    n11.privacy_policy    AS nip11_privacy_policy,
    n11.terms_of_service  AS nip11_terms_of_service,
    n11.limitation        AS nip11_limitation,
    n11.extra_fields      AS nip11_extra_fields
FROM relays r
LEFT JOIN LATERAL (
    SELECT m.generated_at, m.nip11_id, m.nip66_id
    FROM relay_metadata m
    WHERE m.relay_url = r.url
    ORDER BY m.generated_at DESC
    LIMIT 1
) rm ON TRUE
LEFT JOIN nip66 n66 ON n66.id = rm.nip66_id
LEFT JOIN nip11 n11 ON n11.id = rm.nip11_id;

-- Global event figures; kind classes as NIP-01 defines them, time windows
-- by created_at relative to now.
CREATE OR REPLACE VIEW events_statistics AS
SELECT
    COUNT(*)                AS total_events,
    COUNT(DISTINCT pubkey)  AS unique_pubkeys,
    COUNT(DISTINCT kind)    AS unique_kinds,
    MIN(created_at)         AS earliest_event_timestamp,
    MAX(created_at)         AS latest_event_timestamp,
    COUNT(*) FILTER (WHERE kind IN (1, 2) OR kind BETWEEN 4 AND 44
                           OR kind BETWEEN 1000 AND 9999)          AS regular_events,
    COUNT(*) FILTER (WHERE kind IN (0, 3) OR kind BETWEEN 10000 AND 19999) AS replaceable_events,
    COUNT(*) FILTER (WHERE kind BETWEEN 20000 AND 29999)           AS ephemeral_events,
    COUNT(*) FILTER (WHERE kind BETWEEN 30000 AND 39999)           AS addressable_events,
    COUNT(*) FILTER (WHERE created_at >= EXTRACT(EPOCH FROM NOW() - INTERVAL '1 hour'))   AS events_last_hour,
    COUNT(*) FILTER (WHERE created_at >= EXTRACT(EPOCH FROM NOW() - INTERVAL '24 hours')) AS events_last_24h,
    COUNT(*) FILTER (WHERE created_at >= EXTRACT(EPOCH FROM NOW() - INTERVAL '7 days'))   AS events_last_7d,
    COUNT(*) FILTER (WHERE created_at >= EXTRACT(EPOCH FROM NOW() - INTERVAL '30 days'))  AS events_last_30d
FROM events;

-- Per relay: its events and the mean round-trip times of its last ten
-- snapshots that carry a NIP-66 result.
CREATE OR REPLACE VIEW relays_statistics AS
WITH relay_events AS (
    SELECT
        er.relay_url,
        COUNT(*)                  AS event_count,
        COUNT(DISTINCT e.pubkey)  AS unique_pubkeys,
        MIN(e.created_at)         AS first_event_timestamp,
        MAX(e.created_at)         AS last_event_timestamp
    FROM events_relays er
    JOIN events e ON e.id = er.event_id
    GROUP BY er.relay_url
),
recent_checks AS (
    SELECT
        rm.relay_url,
        n.rtt_open,
        n.rtt_read,
        n.rtt_write,
        ROW_NUMBER() OVER (PARTITION BY rm.relay_url ORDER BY rm.generated_at DESC) AS recency
    FROM relay_metadata rm
    JOIN nip66 n ON n.id = rm.nip66_id
),
relay_rtt AS (
    SELECT
        relay_url,
        AVG(rtt_open)   AS avg_rtt_open,
        AVG(rtt_read)   AS avg_rtt_read,
        AVG(rtt_write)  AS avg_rtt_write
    FROM recent_checks
    WHERE recency <= 10
    GROUP BY relay_url
)
SELECT
    r.url                                AS relay_url,
    r.network,
    r.inserted_at,
    COALESCE(re.event_count, 0)          AS event_count,
    COALESCE(re.unique_pubkeys, 0)       AS unique_pubkeys,
    re.first_event_timestamp,
    re.last_event_timestamp,
    ROUND(rt.avg_rtt_open::NUMERIC, 2)   AS avg_rtt_open,
    ROUND(rt.avg_rtt_read::NUMERIC, 2)   AS avg_rtt_read,
    ROUND(rt.avg_rtt_write::NUMERIC, 2)  AS avg_rtt_write
FROM relays r
LEFT JOIN relay_events re ON re.relay_url = r.url
LEFT JOIN relay_rtt rt ON rt.relay_url = r.url
ORDER BY r.url;

CREATE OR REPLACE VIEW kind_counts_total AS
SELECT
    kind,
    COUNT(*)                AS event_count,
    COUNT(DISTINCT pubkey)  AS unique_pubkeys
FROM events
GROUP BY kind
ORDER BY event_count DESC, kind;

CREATE OR REPLACE VIEW kind_counts_by_relay AS
SELECT
    e.kind,
    er.relay_url,
    COUNT(*)                  AS event_count,
    COUNT(DISTINCT e.pubkey)  AS unique_pubkeys
FROM events e
JOIN events_relays er ON er.event_id = e.id
GROUP BY e.kind, er.relay_url
ORDER BY e.kind, event_count DESC, er.relay_url;

CREATE OR REPLACE VIEW pubkey_counts_total AS
SELECT
    encode(pubkey, 'hex')  AS pubkey_hex,
    COUNT(*)               AS event_count,
    COUNT(DISTINCT kind)   AS unique_kinds,
    MIN(created_at)        AS first_event_timestamp,
    MAX(created_at)        AS last_event_timestamp
FROM events
GROUP BY pubkey
ORDER BY event_count DESC, pubkey_hex;

CREATE OR REPLACE VIEW pubkey_counts_by_relay AS
SELECT
    encode(e.pubkey, 'hex')                   AS pubkey_hex,
    er.relay_url,
    COUNT(*)                                  AS event_count,
    COUNT(DISTINCT e.kind)                    AS unique_kinds,
    MIN(e.created_at)                         AS first_event_timestamp,
    MAX(e.created_at)                         AS last_event_timestamp,
    ARRAY_AGG(DISTINCT e.kind ORDER BY e.kind) AS kinds_used
FROM events e
JOIN events_relays er ON er.event_id = e.id
GROUP BY e.pubkey, er.relay_url
ORDER BY pubkey_hex, event_count DESC, er.relay_url;
