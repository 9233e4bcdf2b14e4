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
source bench/lib.sh
bench_start crowd

# The event, published by 博睿社工's demo staff member.
bench_login 13800000002
NOW=$(($(date +%s) * 1000))
EVENT=$(bench_post 13800000002 /api/v1/events "{\"org_id\":1,\"title\":\"关爱桂城新春游园会\",
  \"type\":\"culture\",\"venue_id\":1,\"starts_at_ms\":$((NOW + 86400000)),\"ends_at_ms\":$((NOW + 90000000)),
  \"signup_opens_at_ms\":$((NOW - 60000)),\"signup_closes_at_ms\":$((NOW + 80000000)),\"capacity\":$SEATS}" |
  grep -o '"event":{"id":[0-9]*' | grep -o '[0-9]*$')
[ -n "$EVENT" ] || { echo "could not create the event" >&2; exit 1; }

# N accounts register (and so log in), then all sign up at once: see
# bench/flash_crowd_client.cc.
bench_machine
echo "flash crowd: $N accounts, $SEATS seats, $CONNS connections"
./build/carecity_flash_crowd 127.0.0.1 "$PORT" signup "$EVENT" "$N" "$CONNS"
bench_stop

Q() { bench_sql "$1"; }
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
