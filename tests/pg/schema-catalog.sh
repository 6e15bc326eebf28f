#!/usr/bin/env bash
# Prints the catalog fingerprint (schema_catalog.sql) of one schema variant,
# applied with psql in the order brotr pg-init uses, on a throwaway server:
#   tests/pg/schema-catalog.sh VARIANT [SQL_ROOT] > tests/pg/expected/VARIANT.catalog
# SQL_ROOT defaults to this tree's sql/. test_pg_schema_snapshot compares the
# loader's result with the committed file, so regenerate it only for an
# intended schema change, and review the diff.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
variant=${1:?usage: $0 bigbrotr|lilbrotr [SQL_ROOT]}
root=${2:-$here/../../sql}

state=$(mktemp -d /tmp/brotr-schema-catalog.XXXXXX)
trap '"$here/../support/test-postgres.sh" stop "$state" >/dev/null; rm -rf "$state"' EXIT
"$here/../support/test-postgres.sh" start "$state" >&2
# shellcheck disable=SC1091
. "$state/env"
export PGHOST PGPORT PGUSER
"$PGBIN/createdb" brotr_catalog

# The order rule of sql/README.md: common/ and VARIANT/ together, by file name.
shopt -s nullglob
for file in "$root"/common/*.sql "$root/$variant"/*.sql; do
  printf '%s\t%s\n' "$(basename "$file")" "$file"
done | LC_ALL=C sort | cut -f2- | while IFS= read -r file; do
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d brotr_catalog -f "$file" >/dev/null 2>&1 \
    || { echo "psql failed on $file" >&2; exit 1; }
done
"$PGBIN/psql" -X -A -t -v ON_ERROR_STOP=1 -d brotr_catalog -f "$here/schema_catalog.sql"
