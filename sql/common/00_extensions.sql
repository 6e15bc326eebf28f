-- brotr PostgreSQL schema, both variants: extensions.
-- pgcrypto provides digest() for the content hashes of nip11/nip66 rows;
-- btree_gin lets GIN indexes mix scalar columns with bigbrotr's tag-value
-- array. Both variants install both, so they have the same extensions.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS btree_gin;
