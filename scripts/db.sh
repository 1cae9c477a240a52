#!/usr/bin/env bash
# The private PostgreSQL + PostGIS cluster under var/postgres, for development and tests.
#   scripts/db.sh start   initialise when missing, start on a free loopback port, create the database
#   scripts/db.sh stop    stop it
#   scripts/db.sh url     print the DATABASE_URL of the running cluster
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (runuser).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGHOME="$ROOT/var/postgres"
PGDATA="$PGHOME/data"
PGRUN="$PGHOME/run"
DB_NAME=diming
DB_USER=diming

pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  command -v pg_ctl >/dev/null && dirname "$(command -v pg_ctl)" && return
  echo "PostgreSQL server binaries not found (run: make deps)" >&2; exit 1
}
BIN=$(pg_bin)

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'PY'
import socket
for port in range(55432, 55532):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(port)
        break
PY
}

prepare_dirs() {
  mkdir -p "$ROOT/var"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$ROOT/var" 2>/dev/null; then
    # The postgres user cannot reach this checkout (a home directory with mode 700): keep the cluster in a
    # directory it can reach and link it here.
    local alt="/var/tmp/diming-pg-$(echo "$ROOT" | md5sum | cut -c1-12)"
    mkdir -p "$alt"
    [ -L "$PGHOME" ] || { rm -rf "$PGHOME"; ln -s "$alt" "$PGHOME"; }
  fi
  mkdir -p "$PGHOME" "$PGRUN"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$(readlink -f "$PGHOME")"; fi
}

running() {
  [ -f "$PGDATA/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

psql_admin() {
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$PGHOME/port")" -U "$DB_USER" "$@"
}

start() {
  prepare_dirs
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    echo "Initialising a private PostgreSQL cluster in $PGDATA"
    as_owner "$BIN/initdb" -D "$PGDATA" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! running; then
    local port; port=$(free_port)
    echo "$port" > "$PGHOME/port"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGHOME/port"
    as_owner "$BIN/pg_ctl" -D "$PGDATA" -l "$PGHOME/server.log" -w -t 60 start \
      -o "-p $port -k $PGRUN -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB -c max_connections=200" >/dev/null
    echo "PostgreSQL $(basename "$(dirname "$BIN")") running on 127.0.0.1:$port (data in var/postgres)"
  fi
  if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    psql_admin -d postgres -c "CREATE DATABASE $DB_NAME"
  fi
  psql_admin -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;"
}

stop() {
  if running; then as_owner "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && echo "PostgreSQL stopped"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "postgis://$DB_USER@127.0.0.1:$(cat "$PGHOME/port")/$DB_NAME" ;;
  status) running && echo "running on port $(cat "$PGHOME/port")" || { echo "stopped"; exit 3; } ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
