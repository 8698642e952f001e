#!/usr/bin/env bash
# A throwaway PostgreSQL server for the PgStore tests, separate from any system cluster.
#   scripts/postgres.sh [start]   install postgresql if missing (root), start the server, print its URL
#   scripts/postgres.sh stop      stop it
#   scripts/postgres.sh url       print the URL only
# Idempotent: starting a server that already runs does nothing. Override with TRANSLIVE_PG_DIR / TRANSLIVE_PG_PORT.
set -euo pipefail
action="${1:-start}"
base="${TRANSLIVE_PG_DIR:-/tmp/translive-pg}"
port="${TRANSLIVE_PG_PORT:-55432}"
data="$base/data"
url="postgresql://translive:translive@127.0.0.1:$port/translive"

# Debian puts initdb and pg_ctl under a versioned directory that is not on PATH; take the newest.
pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && echo "$dir"
}

# initdb and the server refuse to run as root, so everything runs as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  local bin
  bin="$(pg_bin)" || return 1
  [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

install_if_missing() {
  pg_bin >/dev/null && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "ERROR: PostgreSQL is not installed. Run as root, or: sudo apt-get install postgresql" >&2
    exit 1
  fi
  echo "Installing postgresql with apt-get..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
}

start() {
  install_if_missing
  local bin
  bin="$(pg_bin)"
  if running; then
    echo "$url"
    return 0
  fi
  mkdir -p "$base"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$base"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$base/initdb.log" 2>&1 \
      || { cat "$base/initdb.log" >&2; exit 1; }
    # The superuser gets a password only so host connections work at all; tests use the translive role.
    echo "host all all 127.0.0.1/32 scram-sha-256" >"$data/pg_hba.conf"
    echo "local all all trust" >>"$data/pg_hba.conf"
  fi
  # fsync off: this server holds test data only, and durability costs the tests seconds per run.
  # The socket (trusted, superuser) is for this script alone; everyone else goes through TCP with a password.
  as_owner "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 30 \
    -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c unix_socket_permissions=0700 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { tail -n 20 "$base/server.log" >&2; exit 1; }
  local psql=("$bin/psql" -h "$base" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$(as_owner "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname='translive'")" != "1" ]; then
    as_owner "${psql[@]}" -d postgres -c "CREATE ROLE translive LOGIN PASSWORD 'translive'"
  fi
  if [ "$(as_owner "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='translive'")" != "1" ]; then
    as_owner "${psql[@]}" -d postgres -c "CREATE DATABASE translive OWNER translive"
  fi
  echo "$url"
}

stop() {
  local bin
  bin="$(pg_bin)" || exit 0
  if running; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

case "$action" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  *) echo "usage: $0 [start|stop|url]" >&2; exit 2 ;;
esac
