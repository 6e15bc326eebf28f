-- brotr PostgreSQL schema, both variants: cleanup of unreferenced rows.
-- Each returns the number of rows it deleted.

-- Events no relay link points to any more.
CREATE OR REPLACE FUNCTION delete_orphan_events()
RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
    v_deleted INTEGER;
BEGIN
    DELETE FROM events e
    WHERE NOT EXISTS (SELECT 1 FROM events_relays er WHERE er.event_id = e.id);
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

-- NIP-11 documents no relay_metadata row points to.
CREATE OR REPLACE FUNCTION delete_orphan_nip11()
RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
    v_deleted INTEGER;
BEGIN
    DELETE FROM nip11 n
    WHERE NOT EXISTS (SELECT 1 FROM relay_metadata rm WHERE rm.nip11_id = n.id);
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

-- NIP-66 results no relay_metadata row points to.
CREATE OR REPLACE FUNCTION delete_orphan_nip66()
RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
    v_deleted INTEGER;
BEGIN
    DELETE FROM nip66 n
    WHERE NOT EXISTS (SELECT 1 FROM relay_metadata rm WHERE rm.nip66_id = n.id);
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;
