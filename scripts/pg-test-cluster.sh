#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 cluster on a free loopback port
# for the test suite. Works as root (initdb runs as the postgres user).
#   scripts/pg-test-cluster.sh start DIR   -> prints the admin URL
#   scripts/pg-test-cluster.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
base=${2:?directory}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Below the kernel's ephemeral range (32768-60999): a port up there can be
# held by some client connection's local end, and then the bind fails.
free_port() {
  local p
  for p in $(seq 25432 25532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port" >&2; exit 1
}

case "$cmd" in
  start)
    mkdir -p "$base"
    if [ "$(id -u)" = 0 ]; then
      chmod a+x "$(dirname "$base")"
      chown postgres "$base"
    fi
    as_pg "$PGBIN/initdb" -D "$base/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$base/initdb.log" 2>&1 \
      || { cat "$base/initdb.log" >&2; exit 1; }
    port=$(free_port)
    # fsync off: a test cluster trades durability for speed. PG_TEST_DURABLE=1
    # keeps PostgreSQL's defaults (benchmarks: bench/on_postgres.sh).
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_TEST_DURABLE:-0}" = 1 ] && durability=""
    as_pg "$PGBIN/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 30 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $base $durability -c max_connections=300" \
      start >/dev/null || { cat "$base/server.log" >&2; exit 1; }
    echo "$port" >"$base/port"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$base/data" ] && as_pg "$PGBIN/pg_ctl" -D "$base/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$base"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
