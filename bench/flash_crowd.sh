#!/usr/bin/env bash
# Flash crowd: SIGNUPS sign-up attempts from distinct accounts for SEATS
# seats, over CONNS connections, against SQLite with synchronous=FULL.
# Prints sign-ups/s and latency percentiles (bench/flash_crowd_client.cc), checks that exactly SEATS are
# confirmed and the rest waitlisted in arrival order, and prints what the
# group-commit writer alone does with the same sign-up transaction
# (carecity_signup_writer_bench) for comparison.
#   bench/flash_crowd.sh [SIGNUPS] [SEATS] [CONNS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
SEATS=${2:-500}
CONNS=${3:-256}
BIN=./build/carecity
command -v wrk >/dev/null || { echo "wrk missing: make deps" >&2; exit 1; }
WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

# Cheap password hashing: 20,000 accounts must log in first, and login cost
# is measured elsewhere (bench/run.sh).
cat >"$WORK/bench.toml" <<TOML
[server]
listen = "127.0.0.1:0"
[database]
sqlite_synchronous = "FULL"
write_queue_limit = 50000
[security]
argon2_opslimit = 1
argon2_memlimit_kib = 8
argon2_allow_test_cost = true
[payments]
sandbox = true
[log]
access = "off"
level = "warn"
TOML
DB="sqlite:$WORK/crowd.db"
$BIN seed-demo --config "$WORK/bench.toml" --db "$DB" >/dev/null 2>&1
CARECITY_RATE_LIMITS=off $BIN serve --config "$WORK/bench.toml" --db "$DB" >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -n1)

# The event, published by 博睿社工's demo staff member.
curl -s -c "$WORK/staff.jar" -H 'Content-Type: application/json' \
  -d '{"login":"13800000002","password":"guicheng2012"}' "$URL/api/v1/auth/login" >/dev/null
NOW=$(($(date +%s) * 1000))
EVENT=$(curl -s -b "$WORK/staff.jar" -H 'Content-Type: application/json' -d "{\"org_id\":1,\"title\":\"关爱桂城新春游园会\",
  \"type\":\"culture\",\"venue_id\":1,\"starts_at_ms\":$((NOW + 86400000)),\"ends_at_ms\":$((NOW + 90000000)),
  \"signup_opens_at_ms\":$((NOW - 60000)),\"signup_closes_at_ms\":$((NOW + 80000000)),\"capacity\":$SEATS}" \
  "$URL/api/v1/events" | grep -o '"event":{"id":[0-9]*' | grep -o '[0-9]*$')
[ -n "$EVENT" ] || { echo "could not create the event" >&2; exit 1; }

# N accounts register (and so log in), then all sign up at once: see
# bench/flash_crowd_client.cc.
echo "machine: $(nproc) cores, $(uname -sr); SQLite WAL synchronous=FULL, access log off; $N accounts, $SEATS seats, $CONNS connections"
PORT=${URL##*:}
./build/carecity_flash_crowd 127.0.0.1 "$PORT" "$EVENT" "$N" "$CONNS"
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""

Q() { sqlite3 "$WORK/crowd.db" "$1"; }
CONFIRMED=$(Q "SELECT COUNT(*) FROM event_registrations WHERE event_id = $EVENT AND status = 'confirmed'")
WAITING=$(Q "SELECT COUNT(*) FROM event_registrations WHERE event_id = $EVENT AND status = 'waitlisted'")
SEATS_HELD=$(Q "SELECT confirmed_seats FROM events WHERE id = $EVENT")
LAST_CONFIRMED=$(Q "SELECT MAX(seq) FROM event_registrations WHERE event_id = $EVENT AND status = 'confirmed'")
FIRST_WAITING=$(Q "SELECT MIN(seq) FROM event_registrations WHERE event_id = $EVENT AND status = 'waitlisted'")
DUPLICATES=$(Q "SELECT COUNT(*) FROM (SELECT user_id FROM event_registrations WHERE event_id = $EVENT GROUP BY user_id HAVING COUNT(*) > 1)")
echo "books:  $CONFIRMED confirmed (counter $SEATS_HELD), $WAITING waitlisted; last confirmed arrival #$LAST_CONFIRMED, first waiting #$FIRST_WAITING; $DUPLICATES people twice"
./build/carecity_signup_writer_bench "$N" "$SEATS" 2>/dev/null | grep "^writer:"
[ "$CONFIRMED" -eq "$SEATS" ] && [ "$SEATS_HELD" -eq "$SEATS" ] && [ "$WAITING" -eq $((N - SEATS)) ] &&
  [ "$LAST_CONFIRMED" -eq "$SEATS" ] && [ "$FIRST_WAITING" -eq $((SEATS + 1)) ] && [ "$DUPLICATES" -eq 0 ]
echo "PASS: exactly $SEATS confirmed, the rest waitlisted in arrival order"
