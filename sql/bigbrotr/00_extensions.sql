-- brotr PostgreSQL schema (bigbrotr variant): extensions.
-- pgcrypto provides digest() for the content hashes of nip11/nip66 rows;
-- btree_gin lets GIN indexes mix scalar columns with the tag-value array.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS btree_gin;
