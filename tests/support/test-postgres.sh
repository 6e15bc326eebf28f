#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL server for the tests.
#   test-postgres.sh start STATE_DIR   -> writes STATE_DIR/env (PGHOST, PGPORT, PGUSER)
#   test-postgres.sh stop  STATE_DIR
# PostgreSQL refuses to run as root, so when we are root the server runs as
# the unprivileged 'postgres' account that Debian's package creates.
set -euo pipefail
action=$1
state=$2
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL server binaries not found (apt package postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_server() {
  if [ -f "$state/datadir" ]; then
    local data; data=$(cat "$state/datadir")
    as_owner "$pgbin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$(dirname "$data")"
  fi
  rm -f "$state/datadir" "$state/env"
}

case "$action" in
start)
  mkdir -p "$state"
  stop_server
  root=$(mktemp -d /tmp/brotr-test-pg.XXXXXX)
  chmod 755 "$root"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$root"
  data=$root/data
  as_owner "$pgbin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
    || { cat "$root/initdb.log" >&2; exit 1; }
  echo "$data" >"$state/datadir"
  # A free port: let the kernel pick one, then hand it to the server.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
         || echo $((20000 + RANDOM % 20000)))
  as_owner "$pgbin/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 \
    -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$root/server.log" >&2; exit 1; }
  cat >"$state/env" <<ENV
PGHOST=127.0.0.1
PGPORT=$port
PGUSER=postgres
PGDATA_DIR=$data
PGBIN=$pgbin
PGSOCKET_DIR=$root
ENV
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
  ;;
stop)
  stop_server
  ;;
*)
  echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
