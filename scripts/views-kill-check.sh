#!/usr/bin/env bash
# View counts (查看) across a kill -9: a thread's and an article's views are
# counted in memory and written every [forum] view_flush_ms; this checks the
# promise in docs/design-forum.md on a seeded demo database (SQLite or
# PostgreSQL):
#   1. after a flush the database holds every read, exactly;
#   2. a server killed with kill -9 loses at most the reads of its last flush
#      interval: reads made several intervals before the kill are all there, and
#      nothing is counted that was not read;
#   3. a server stopped with SIGTERM writes every read before it exits.
#   scripts/views-kill-check.sh DB_URL      (sqlite:PATH or postgresql://…)
# Exits non-zero, naming the broken promise, if any fails. Uses bash's
# /dev/tcp for the reads and sqlite3 or psql for the counts.
set -euo pipefail
DB=$1
case $DB in sqlite:/*) ;; sqlite:*) DB="sqlite:$(pwd)/${DB#sqlite:}" ;; esac
cd "$(dirname "$0")/.."
BIN=$(realpath "${CARECITY_BIN:-./build/carecity}")
FLUSH_MS=300
WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

sql() {
  case $DB in
    sqlite:*) sqlite3 "${DB#sqlite:}" "$1" ;;
    *) psql "$DB" -tAqc "$1" ;;
  esac
}

cat >"$WORK/c.toml" <<TOML
[server]
listen = "127.0.0.1:0"
[forum]
view_flush_ms = $FLUSH_MS
[log]
access = "off"
level = "error"
TOML

PORT=""
start() {
  : >"$WORK/out"
  # From $WORK: on PostgreSQL the audit checkpoint files go to the working directory.
  (cd "$WORK" && CARECITY_RATE_LIMITS=off exec "$BIN" serve --config "$WORK/c.toml" --db "$DB" >"$WORK/out" 2>>"$WORK/err") &
  PID=$!
  for _ in $(seq 200); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
  PORT=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/out" | head -n1 | sed 's/.*://' || true)
  [ -n "$PORT" ] || { echo "views-kill-check: the server did not start"; cat "$WORK/err"; exit 1; }
}

# read PATH N: N sequential guest reads, each answered 200.
read_n() {
  local path=$1 n=$2 status
  for _ in $(seq "$n"); do
    exec 3<>"/dev/tcp/127.0.0.1/$PORT"
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
    status=$(head -n1 <&3 | cut -d' ' -f2)
    exec 3<&-
    [ "$status" = 200 ] || { echo "views-kill-check: GET $path answered $status"; exit 1; }
  done
}

fail() { echo "views-kill-check: FAIL: $*"; exit 1; }
nap() { sleep "$(awk "BEGIN { print $1 * $FLUSH_MS / 1000 }")"; }

THREAD=$(sql "SELECT id FROM forum_threads WHERE status = 'visible' ORDER BY id LIMIT 1")
ARTICLE=$(sql "SELECT public_id FROM news_articles WHERE status = 'published' ORDER BY id LIMIT 1")
[ -n "$THREAD" ] && [ -n "$ARTICLE" ] || fail "the database has no visible thread or published article (seed the demo first)"
views() {
  echo "$(sql "SELECT views FROM forum_threads WHERE id = $THREAD") $(sql "SELECT views FROM news_articles WHERE public_id = '$ARTICLE'")"
}
read_both() {
  read_n "/api/v1/forum/threads/$THREAD" "$1"
  read_n "/api/v1/news/articles/$ARTICLE" "$1"
}

read -r t0 a0 <<<"$(views)"
start
read_both 40
nap 6
read -r t1 a1 <<<"$(views)"
[ "$t1" -eq $((t0 + 40)) ] && [ "$a1" -eq $((a0 + 40)) ] ||
  fail "after a flush: thread $t0 → $t1, article $a0 → $a1, each should be +40"
echo "flushed: 40 reads each, thread $t0 → $t1, article $a0 → $a1"

read_both 30 # flushed before the kill: six intervals pass
nap 6
read_both 25 # the last interval's reads: may be lost
kill -9 "$PID"
wait "$PID" 2>/dev/null || true
PID=""
read -r t2 a2 <<<"$(views)"
for pair in "thread $t1 $t2" "article $a1 $a2"; do
  set -- $pair
  [ "$3" -ge $(($2 + 30)) ] || fail "kill -9: $1 lost reads older than one flush interval ($2 → $3, at least +30 expected)"
  [ "$3" -le $(($2 + 55)) ] || fail "kill -9: $1 counted views nobody made ($2 → $3, at most +55)"
  echo "kill -9: $1 $2 → $3 (55 reads; $((55 - $3 + $2)) of the last interval's 25 lost)"
done

start
read_both 20
kill -TERM "$PID"
wait "$PID" 2>/dev/null || true
PID=""
read -r t3 a3 <<<"$(views)"
[ "$t3" -eq $((t2 + 20)) ] && [ "$a3" -eq $((a2 + 20)) ] ||
  fail "stopped with SIGTERM: thread $t2 → $t3, article $a2 → $a3, each should be +20"
echo "SIGTERM: every read written (thread $t2 → $t3, article $a2 → $a3)"
echo "views-kill-check: PASS"
