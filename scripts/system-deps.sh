#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Diming needs, only those missing (apt; sudo when not root).
set -euo pipefail

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

pg_major() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1)
  if [ -z "$v" ]; then
    v=$(apt-cache policy postgresql 2>/dev/null | awk '/Candidate:/ {print $2}' | sed -E 's/^([0-9]+).*/\1/')
  fi
  echo "${v:-15}"
}

wanted=(python3-venv python3-dev gdal-bin gettext nodejs npm chromium fonts-noto-cjk postgresql postgresql-contrib)
missing=()
for p in "${wanted[@]}"; do have_pkg "$p" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ] || ! ls /usr/lib/postgresql/*/lib/postgis-3.so >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  echo "Installing system packages: ${missing[*]} postgis"
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" postgresql-common
  major=$(pg_major)
  $SUDO apt-get install -y -q --no-install-recommends "postgresql-$major-postgis-3"
  # Debian's postgresql package starts a system cluster; Diming runs its own under var/postgres.
fi
