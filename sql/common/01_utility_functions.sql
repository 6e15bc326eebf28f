-- brotr PostgreSQL schema, both variants: utility and hash functions.

-- The second element of every tag whose first element is one character long
-- (the NIP-01 indexable tags), in tag order; NULL when there is none.
-- In bigbrotr it feeds the generated column events.tagvalues and its GIN
-- index, so it must exist before the events table. lilbrotr stores no tags
-- but keeps it for queries and tools shared with bigbrotr.
CREATE OR REPLACE FUNCTION tags_to_tagvalues(p_tags JSONB)
RETURNS TEXT[]
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
AS $$
BEGIN
    RETURN (
        SELECT array_agg(t.tag ->> 1 ORDER BY t.position)
        FROM jsonb_array_elements(p_tags) WITH ORDINALITY AS t(tag, position)
        WHERE length(t.tag ->> 0) = 1
    );
END;
$$;

-- Content address of a NIP-11 document: SHA-256 of the jsonb text of all
-- columns. jsonb prints keys in its own canonical order, so the result does
-- not depend on argument order; brotr computes the same bytes in C++.
CREATE OR REPLACE FUNCTION compute_nip11_hash(
    p_name              TEXT,
    p_description       TEXT,
    p_banner            TEXT,
    p_icon              TEXT,
    p_pubkey            TEXT,
    p_contact           TEXT,
    p_supported_nips    JSONB,
    p_software          TEXT,
    p_version           TEXT,
    p_privacy_policy    TEXT,
    p_terms_of_service  TEXT,
    p_limitation        JSONB,
    p_extra_fields      JSONB
)
RETURNS BYTEA
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
BEGIN
    RETURN digest(
        jsonb_build_object(
            'name', p_name,
            'description', p_description,
            'banner', p_banner,
            'icon', p_icon,
            'pubkey', p_pubkey,
            'contact', p_contact,
            'supported_nips', p_supported_nips,
            'software', p_software,
            'version', p_version,
            'privacy_policy', p_privacy_policy,
            'terms_of_service', p_terms_of_service,
            'limitation', p_limitation,
            'extra_fields', p_extra_fields
        )::TEXT,
        'sha256'
    );
END;
$$;

-- Content address of a NIP-66 test result, computed like compute_nip11_hash.
CREATE OR REPLACE FUNCTION compute_nip66_hash(
    p_openable   BOOLEAN,
    p_readable   BOOLEAN,
    p_writable   BOOLEAN,
    p_rtt_open   INTEGER,
    p_rtt_read   INTEGER,
    p_rtt_write  INTEGER
)
RETURNS BYTEA
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
BEGIN
    RETURN digest(
        jsonb_build_object(
            'openable', p_openable,
            'readable', p_readable,
            'writable', p_writable,
            'rtt_open', p_rtt_open,
            'rtt_read', p_rtt_read,
            'rtt_write', p_rtt_write
        )::TEXT,
        'sha256'
    );
END;
$$;
