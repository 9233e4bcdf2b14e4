#!/usr/bin/env bash
# Hot lot over HTTP: BIDDERS signed-in bidders, one keep-alive connection
# each, bid on one lot for SECONDS (POST /api/v1/auction/lots/{id}/bids with
# an Idempotency-Key) against a running server; each bids the minimum it
# last heard of plus 0..SPREAD-1 fen, increments of 1 fen. Prints decided
# (accepted + refused) and accepted bids/s and latency percentiles
# (bench/flash_crowd_client.cc), then checks the lot's bid count against the
# accepted bids stored. bench/hot_lot_bench.cc is the same load without HTTP.
#   bench/hot_lot_http.sh [postgresql://ADMIN_URL] [BIDDERS] [SECONDS] [SPREAD]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh  # takes a leading postgresql:// argument into PG
BIDDERS=${1:-200}
SECONDS_=${2:-30}
SPREAD=${3:-1000}
bench_start hot_lot "$PG" '[auction]
increments = "0:1"'

# The lot, made by one fund admin and approved by the other (maker-checker).
bench_login 13800000004
bench_login 13800000008
NOW=$(($(date +%s) * 1000))
LOT=$(bench_post 13800000004 /api/v1/auction/lots "{\"title\":\"热门拍品：桂城书法\",\"donor_name\":\"基准测试\",
  \"starts_at_ms\":$NOW,\"ends_at_ms\":$((NOW + 3600000)),\"start_price_fen\":1}" | grep -o '"lot":{"id":"[^"]*' |
  grep -o '[^"]*$')
[ -n "$LOT" ] || { echo "could not create the lot" >&2; exit 1; }
bench_post 13800000008 "/api/v1/auction/lots/$LOT/approve" '{}' | grep -q '"lot"' || { echo "could not approve the lot" >&2; exit 1; }

bench_machine
echo "hot lot: $BIDDERS bidders for $SECONDS_ s, spread $SPREAD fen"
rc=0
./build/carecity_flash_crowd 127.0.0.1 "$PORT" bid "$LOT" "$BIDDERS" "$SECONDS_" "$SPREAD" || rc=$?
bench_stop

LOT_ROW="(SELECT id FROM auction_lots WHERE public_id = '$LOT')"
COUNT=$(bench_sql "SELECT bid_count FROM auction_lots WHERE id = $LOT_ROW")
ACCEPTED=$(bench_sql "SELECT COUNT(*) FROM auction_bids WHERE lot_id = $LOT_ROW AND accepted = 1")
REFUSED=$(bench_sql "SELECT COUNT(*) FROM auction_bids WHERE lot_id = $LOT_ROW AND accepted = 0")
PRICE=$(bench_sql "SELECT price_fen FROM auction_lots WHERE id = $LOT_ROW")
echo "books:  bid_count $COUNT, $ACCEPTED accepted and $REFUSED refused bids stored, price $PRICE fen"
[ "$rc" -eq 0 ] && [ "$COUNT" -eq "$ACCEPTED" ] || { echo "FAIL: client errors or bid_count ≠ accepted bids" >&2; exit 1; }
echo "PASS: bid_count equals the accepted bids stored"
