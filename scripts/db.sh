#!/usr/bin/env bash
# The private PostgreSQL + PostGIS clusters under var/, for `make run`/`make dev` and for tests.
#   scripts/db.sh start [dev|test]   initialise when missing, start, create the database
#   scripts/db.sh stop [dev|test|all]
#   scripts/db.sh url [dev|test]     print the DATABASE_URL of the running cluster
#   scripts/db.sh status [dev|test]
#   scripts/db.sh keep [dev|test]    start it again whenever it is found stopped (`make run` keeps its cluster so)
# dev (var/postgres) keeps data: fsync and full-page writes on, as PostgreSQL ships. test (var/postgres-test) holds
# only throwaway databases (the test suite's, the benchmarks'), so it trades durability for speed.
# DIMING_PG_HOME puts a cluster elsewhere (the fault tests start throwaway ones).
# A cluster listens on no TCP port: only on its Unix socket, in its run/ directory, which only the cluster's owner
# (and root) may enter. Its authentication is `trust`, so that directory is what keeps other users of the machine
# out of the data. The URL names the socket directory as its host (percent-encoded); the port names the socket.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (runuser); when that user
# cannot reach this checkout (a clone in a mode-700 directory), the cluster lives under /var/tmp and var/ links to it,
# and the server is only ever given that real path.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ACTION=${1:-}
CLUSTER=${2:-dev}
case "$CLUSTER" in
  dev) PGHOME=${DIMING_PG_HOME:-$ROOT/var/postgres} ;;
  test) PGHOME=${DIMING_PG_HOME:-$ROOT/var/postgres-test} ;;
  all) ;;
  *) echo "usage: $0 start|stop|keep|url|status [dev|test]" >&2; exit 2 ;;
esac
DB_NAME=diming
DB_USER=diming
SOCKET_OPTIONS="-c listen_addresses='' -c unix_socket_permissions=0700"
# The kept cluster writes its server log into data/log/ itself, a file a weekday, each emptied when its day comes
# round again: a week of it, never more (the file pg_ctl -l names holds only what comes before the server starts).
LOG_OPTIONS="-c logging_collector=on -c log_directory=log -c log_filename=postgresql-%a.log -c log_truncate_on_rotation=on -c log_rotation_age=1d -c log_rotation_size=0"
DEV_OPTIONS="$SOCKET_OPTIONS -c shared_buffers=512MB -c max_connections=200 $LOG_OPTIONS"
TEST_OPTIONS="$SOCKET_OPTIONS -c shared_buffers=256MB -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"

# The server binaries: those of the cluster's own version when it exists (a machine upgraded to a newer PostgreSQL
# keeps the old one's packages, and a cluster runs only with the version that made it), else the newest installed.
pg_bin() {
  local dir made=""
  [ -f "$REAL/data/PG_VERSION" ] && made=$(cat "$REAL/data/PG_VERSION")
  if [ -n "$made" ]; then
    [ -x "/usr/lib/postgresql/$made/bin/pg_ctl" ] && { echo "/usr/lib/postgresql/$made/bin"; return; }
    if command -v pg_ctl >/dev/null && pg_ctl --version | grep -q " $made\."; then dirname "$(command -v pg_ctl)"; return; fi
    echo "${PGHOME#"$ROOT"/} holds a PostgreSQL $made cluster, and this machine has no PostgreSQL $made server." >&2
    echo "Install it beside the newer one (apt install postgresql-$made postgresql-$made-postgis-3), or back the data" >&2
    echo "up with PostgreSQL $made's tools and move it to the new version with pg_upgrade. The data is untouched." >&2
    exit 1
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  command -v pg_ctl >/dev/null && dirname "$(command -v pg_ctl)" && return
  echo "PostgreSQL server binaries not found (run: make deps)" >&2; exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

port_of() { cat "$REAL/port" 2>/dev/null || echo 5432; }  # the socket's name: one cluster per run/ directory

prepare_dirs() {
  mkdir -p "$(dirname "$PGHOME")"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(dirname "$PGHOME")" 2>/dev/null; then
    # The postgres user cannot reach this checkout (a home directory with mode 700): keep the cluster in a
    # directory it can reach and link it here.
    local alt="/var/tmp/diming-pg-$(echo "$PGHOME" | md5sum | cut -c1-12)"
    mkdir -p "$alt"
    chmod 755 "$alt"
    [ -L "$PGHOME" ] || { rm -rf "$PGHOME"; ln -s "$alt" "$PGHOME"; }
  fi
  mkdir -p "$PGHOME"
  REAL=$(readlink -f "$PGHOME")  # every path the server sees: never through a directory it cannot enter
  mkdir -p "$REAL/run"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$REAL"; fi
  chmod 700 "$REAL/run"  # the socket's directory: nobody but the cluster's owner (and root) may connect
}

real_home() { REAL=$(readlink -f "$PGHOME" 2>/dev/null || echo "$PGHOME"); }

running() {
  [ -f "$REAL/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$REAL/data" status >/dev/null 2>&1
}

psql_admin() {
  "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$REAL/run" -p "$(port_of)" -U "$DB_USER" "$@"
}

options() { if [ "$CLUSTER" = test ]; then echo "$TEST_OPTIONS"; else echo "$DEV_OPTIONS"; fi; }

start() {
  prepare_dirs
  if [ ! -f "$REAL/data/PG_VERSION" ]; then
    echo "Initialising a private PostgreSQL cluster ($CLUSTER) in $REAL/data"
    as_owner "$BIN/initdb" -D "$REAL/data" -U "$DB_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if running && [ "$CLUSTER" = dev ] && [ "$(psql_admin -d postgres -tAc 'SHOW fsync')" = off ]; then
    echo "Restarting the $CLUSTER cluster with fsync and full-page writes on (it was started for speed)"
    as_owner "$BIN/pg_ctl" -D "$REAL/data" -m fast -w stop >/dev/null
  fi
  if running && [ "$CLUSTER" = dev ] && [ "$(psql_admin -d postgres -tAc 'SHOW logging_collector')" = off ]; then
    echo "Restarting the $CLUSTER cluster so that it keeps its server log, a week of it, in data/log/"
    as_owner "$BIN/pg_ctl" -D "$REAL/data" -m fast -w stop >/dev/null
  fi
  if running && [ -n "$(psql_admin -d postgres -tAc 'SHOW listen_addresses')" ]; then
    echo "Restarting the $CLUSTER cluster on its Unix socket alone (it listened on TCP too)"
    as_owner "$BIN/pg_ctl" -D "$REAL/data" -m fast -w stop >/dev/null
  fi
  if ! running; then
    local port; port=$(port_of)
    echo "$port" > "$REAL/port"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$REAL/port"
    as_owner "$BIN/pg_ctl" -D "$REAL/data" -l "$REAL/server.log" -w -t 60 start \
      -o "-p $port -k $REAL/run $(options)" >/dev/null
    echo "PostgreSQL $(basename "$(dirname "$BIN")") ($CLUSTER) running on its socket in ${PGHOME#"$ROOT"/}/run (no TCP port)"
  fi
  if ! psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    psql_admin -d postgres -c "CREATE DATABASE $DB_NAME"
  fi
  psql_admin -d "$DB_NAME" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;"
}

# Under `make run` (scripts/supervise.py): a cluster that stopped (killed, or `make stop` from another terminal while
# the product serves) is started again within seconds, with its data; one whose data is gone is never made anew here.
keep() {
  while true; do
    if ! running; then
      if [ -f "$REAL/data/PG_VERSION" ]; then
        echo "PostgreSQL ($CLUSTER) was not running: starting it again"
        start || echo "PostgreSQL ($CLUSTER) did not start; trying again in 5 s" >&2
      else
        echo "PostgreSQL ($CLUSTER) has no data in ${PGHOME#"$ROOT"/}: not starting it (restore a backup)" >&2
      fi
    fi
    sleep 5
  done
}

stop() {
  if running; then as_owner "$BIN/pg_ctl" -D "$REAL/data" -m fast -w stop >/dev/null && echo "PostgreSQL ($CLUSTER) stopped"; fi
}

if [ "$CLUSTER" = all ]; then
  [ "$ACTION" = stop ] || { echo "usage: $0 stop all" >&2; exit 2; }
  "$0" stop dev; "$0" stop test; exit 0
fi
real_home
BIN=$(pg_bin)
case "$ACTION" in
  start) start ;;
  keep) keep ;;
  stop) stop ;;
  url) echo "postgis://$DB_USER@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$REAL/run"):$(port_of)/$DB_NAME" ;;
  status) running && echo "running on its socket in $REAL/run" || { echo "stopped"; exit 3; } ;;
  *) echo "usage: $0 start|stop|keep|url|status [dev|test]" >&2; exit 2 ;;
esac
