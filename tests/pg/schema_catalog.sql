-- Every object of the brotr schema in the current schema, one line each (a
-- function's line carries its whole definition), sorted: the fingerprint
-- that tests/pg/expected/<variant>.catalog holds and test_pg_schema_snapshot
-- compares. Objects that belong to an extension (pgcrypto's digest,
-- btree_gin's operator classes) are left out: they come with the
-- extension's own version, not with brotr's files. The definitions are
-- printed by the server, hence the major version on the first line.
WITH ns AS (
    SELECT current_schema()::regnamespace AS oid
),
extension_member AS (
    SELECT objid FROM pg_depend WHERE deptype = 'e'
),
relation AS (
    SELECT c.oid, c.relname, c.relkind, c.relpersistence
    FROM pg_class c, ns
    WHERE c.relnamespace = ns.oid
      AND c.oid NOT IN (SELECT objid FROM extension_member)
),
line AS (
    SELECT 0 AS section, '' AS sort_key,
           'server ' || (current_setting('server_version_num')::INTEGER / 10000) AS text
    UNION ALL
    SELECT 1, extname, 'extension ' || extname
    FROM pg_extension WHERE extname <> 'plpgsql'
    UNION ALL
    SELECT 2, relname, 'relation ' || relname || ' kind ' || relkind::TEXT || ' persistence ' || relpersistence::TEXT
    FROM relation
    UNION ALL
    SELECT 3, r.relname || to_char(a.attnum, 'FM0000'),
           'column ' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
           || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
           || CASE WHEN a.attgenerated = 's' THEN ' generated ' ELSE '' END
           || CASE WHEN d.adbin IS NULL THEN ''
                   WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid)
                   ELSE ' default ' || pg_get_expr(d.adbin, d.adrelid) END
    FROM relation r
    JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE r.relkind IN ('r', 'p', 'v', 'm', 'f')
    UNION ALL
    SELECT 4, r.relname || ' ' || con.conname,
           'constraint ' || r.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
    FROM pg_constraint con JOIN relation r ON r.oid = con.conrelid
    UNION ALL
    SELECT 5, r.relname, 'index ' || pg_get_indexdef(r.oid)
    FROM relation r WHERE r.relkind IN ('i', 'I')
    UNION ALL
    SELECT 6, r.relname, 'view ' || r.relname || E'\n' || pg_get_viewdef(r.oid, TRUE)
    FROM relation r WHERE r.relkind IN ('v', 'm')
    UNION ALL
    SELECT 7, t.tgname, 'trigger ' || pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN relation r ON r.oid = t.tgrelid WHERE NOT t.tgisinternal
    UNION ALL
    SELECT 8, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
           'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
           || E'\n' || pg_get_functiondef(p.oid)
    FROM pg_proc p, ns
    WHERE p.pronamespace = ns.oid AND p.oid NOT IN (SELECT objid FROM extension_member)
    UNION ALL
    SELECT 9, t.typname, 'type ' || t.typname || ' ' || t.typtype::TEXT
    FROM pg_type t, ns
    WHERE t.typnamespace = ns.oid AND t.typrelid = 0 AND t.typcategory <> 'A'
      AND t.oid NOT IN (SELECT objid FROM extension_member)
)
SELECT text FROM line ORDER BY section, sort_key COLLATE "C", text COLLATE "C";
