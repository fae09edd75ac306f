#!/usr/bin/env bash
# Make sure the store tests can run a throwaway PostgreSQL + PostGIS server:
#  * Debian's postgresql (server binaries under /usr/lib/postgresql/<major>/bin);
#  * postgresql-<major>-postgis-3 for that major (postgresql-15-postgis-3 on Debian 12).
# No server is started here: tests/store/conftest.py runs initdb and pg_ctl itself, in a
# temporary folder, on a free localhost port, as the `postgres` system user when run as
# root, and stops it at the end of the session.
# Installs only what is missing (apt-get update first; sudo when not root).
set -euo pipefail

pg_major() {
  ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null \
    | sed -E 's#^/usr/lib/postgresql/([0-9]+)/bin/initdb$#\1#' | sort -n | tail -n1
}
has_postgis() {
  local major
  major=$(pg_major)
  [ -n "$major" ] && [ -e "/usr/share/postgresql/$major/extension/postgis.control" ]
}

if [ -z "$(pg_major)" ] || ! has_postgis; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: PostgreSQL + PostGIS are missing and apt-get is not available;" \
      "install postgresql and postgresql-<major>-postgis-3 by hand" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # Lock::Timeout: wait for (rather than fail on) an apt/dpkg run already under way.
  apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900)
  "${apt[@]}" update
  if [ -z "$(pg_major)" ]; then
    echo "==> installing postgresql"
    "${apt[@]}" install -y --no-install-recommends postgresql
  fi
  major=$(pg_major)
  if [ -z "$major" ]; then
    echo "error: postgresql installed but no /usr/lib/postgresql/*/bin/initdb" >&2
    exit 1
  fi
  if ! has_postgis; then
    echo "==> installing postgresql-$major-postgis-3"
    "${apt[@]}" install -y --no-install-recommends "postgresql-$major-postgis-3"
  fi
fi
major=$(pg_major)
echo "==> PostgreSQL $major with PostGIS: /usr/lib/postgresql/$major/bin"
