#!/usr/bin/env bash
# `make service`: `make run` as a systemd service, so that the product comes back by itself after a reboot or a power
# cut and is restarted if it stops. The unit runs `make run` in this checkout as the checkout's owner. The variables
# given to `make service` (HOST, PORT, DATABASE_URL, WEB_WORKERS, WEB_THREADS and every DIMING_* and DJANGO_*, e.g.
# DIMING_BACKUP_COPY_DIR=/mnt/nas/diming, or HOST=0.0.0.0 DIMING_PUBLIC_BASE_URL=https://… DIMING_TLS_CERT=… for the
# office's network)
# are kept in var/service.env (mode 600) for the service; run `make service` again to change them. What it prints
# goes to the journal (journalctl -u diming) and to var/log/diming.log.
#   scripts/service.sh                             install, enable and start it (through sudo when not root)
#   DIMING_SERVICE_OUT=DIR scripts/service.sh      only write diming.service and service.env into DIR
# Where systemd is not running (a container), both are written under var/ with what to do with them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
NAME=diming
OWNER=$(stat -c %U "$ROOT")
MAKE_BIN=$(command -v make)
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export HOST PORT

unit() {
  cat <<EOF
[Unit]
Description=Diming place-name system (make run in $ROOT)
After=network.target

[Service]
Type=simple
User=$OWNER
WorkingDirectory=$ROOT
EnvironmentFile=$ROOT/var/service.env
ExecStart=$MAKE_BIN --no-print-directory run
# The private cluster's server is one of the service's processes: it stops with the service.
ExecStopPost=$ROOT/scripts/db.sh stop dev
# Stopping lets the worker finish its job.
TimeoutStopSec=90
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
EOF
}

# KEY="value" lines for systemd's EnvironmentFile, from this environment.
variables() {
  python3 - <<'EOF'
import os
KEPT = ("HOST", "PORT", "DATABASE_URL", "WEB_WORKERS", "WEB_THREADS")
for key in sorted(k for k in os.environ if k in KEPT or k.startswith(("DIMING_", "DJANGO_"))):
    if key == "DIMING_SERVICE_OUT":
        continue
    value = os.environ[key].replace("\\", "\\\\").replace('"', '\\"')
    print(f'{key}="{value}"')
EOF
}

write() {  # DIR: the unit and its variables (the variables may hold a database password: mode 600)
  mkdir -p "$1"
  unit > "$1/$NAME.service"
  (umask 077; variables > "$1/service.env")
}

if [ -n "${DIMING_SERVICE_OUT:-}" ]; then
  write "$DIMING_SERVICE_OUT"
  exit 0
fi
scripts/serving.py "$HOST" "$PORT" >/dev/null  # a certificate that cannot serve: said now, not in a restart loop
if python3 -c "import ssl, urllib.request as u, sys
for s in ('http', 'https'):
    try: u.urlopen(f'{s}://$HOST:$PORT/healthz', timeout=3, context=ssl._create_unverified_context()); sys.exit(0)
    except Exception: pass
sys.exit(1)" 2>/dev/null; then
  echo "Something already serves http://$HOST:$PORT/ (a make run in a terminal?): stop it first, or give another PORT." >&2
  exit 1
fi
write var
chown "$OWNER" var/service.env
if [ ! -d /run/systemd/system ]; then
  echo "systemd is not running on this machine (a container?): the unit is var/$NAME.service, its variables"
  echo "var/service.env. Where systemd runs: copy the unit to /etc/systemd/system/, then: systemctl enable --now $NAME"
  exit 0
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO cp var/$NAME.service /etc/systemd/system/$NAME.service
$SUDO systemctl daemon-reload
$SUDO systemctl enable --now $NAME
echo "Diming now starts with the machine and is restarted if it stops: $(scripts/serving.py "$HOST" "$PORT" 2>/dev/null)"
echo "Its state: systemctl status $NAME   its log: journalctl -u $NAME (and var/log/diming.log)"
echo "Stop it: sudo systemctl stop $NAME; remove it: sudo systemctl disable --now $NAME"
