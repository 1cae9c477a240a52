#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Diming needs, only those missing (apt; sudo when not root).
# `system-deps.sh bench` adds what the benchmarks need (wrk, the HTTP load generator).
# Each need is checked by what it provides (a command, a library), so tools installed another way (Node.js from
# NodeSource, Python from pyenv) are used as they are.
set -euo pipefail

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }

missing=()
need() { # need PACKAGE CHECK...
  local pkg=$1; shift
  "$@" || missing+=("$pkg")
}
need python3-venv python3 -c 'import venv, ensurepip'
need gdal-bin have_cmd ogrinfo
need gettext have_cmd msgfmt
need nodejs have_cmd node
need npm have_cmd npm
need chromium eval 'have_cmd chromium || have_cmd chromium-browser'
need fonts-noto-cjk have_pkg fonts-noto-cjk
need libpango-1.0-0 eval 'ldconfig -p | grep -q "libpango-1.0.so.0"'  # WeasyPrint (PDF outputs)
need libpangoft2-1.0-0 eval 'ldconfig -p | grep -q "libpangoft2-1.0.so.0"'
need poppler-utils have_cmd pdftoppm  # tests render the PDFs to look at them
need postgresql eval 'ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1'
need postgresql-contrib eval 'ls /usr/share/postgresql/*/extension/pg_trgm.control >/dev/null 2>&1'
if [ "${1:-}" = bench ]; then
  need wrk have_cmd wrk
fi

postgis_missing=0
ls /usr/lib/postgresql/*/lib/postgis-3.so >/dev/null 2>&1 || postgis_missing=1

if [ ${#missing[@]} -gt 0 ] || [ $postgis_missing = 1 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  echo "Installing system packages: ${missing[*]} $([ $postgis_missing = 1 ] && echo postgis)"
  $SUDO apt-get update -q
  if [ ${#missing[@]} -gt 0 ]; then
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
  if [ $postgis_missing = 1 ]; then
    major=$(ls /usr/lib/postgresql | sort -V | tail -n1)
    $SUDO apt-get install -y -q --no-install-recommends "postgresql-$major-postgis-3"
  fi
fi
