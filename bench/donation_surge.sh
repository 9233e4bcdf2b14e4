#!/usr/bin/env bash
# Donation surge: many concurrent donors create donations and pay through the
# sandbox provider over HTTP (create -> pay -> signed notify -> ledger entry
# + receipt), against SQLite with synchronous=FULL. Prints confirmed
# donations/s and request latency, then checks the books with `fund verify`
# and that every acknowledged payment is a confirmed donation. Last, the
# same donations through the services with no HTTP
# (carecity_donation_writer_bench, 256 donors): the writer's own ceiling.
#   bench/donation_surge.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-15}
CONNS=${2:-64}
BIN=./build/carecity
WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cat >"$WORK/bench.toml" <<TOML
[server]
listen = "127.0.0.1:0"
[database]
sqlite_synchronous = "FULL"
[payments]
sandbox = true
[log]
access = "off"
level = "warn"
TOML
DB="sqlite:$WORK/surge.db"
$BIN migrate --config "$WORK/bench.toml" --db "$DB" >/dev/null 2>&1
CARECITY_RATE_LIMITS=off $BIN serve --config "$WORK/bench.toml" --db "$DB" >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -n1)

cat >"$WORK/surge.lua" <<'LUA'
-- Each response to a donation queues its payment; the next request on this
-- thread pays the oldest queued payment, else starts a new donation.
local counter = 0
local pending = {}
paid = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  if #pending > 0 then
    local p = table.remove(pending, 1)
    return wrk.format("POST", p, nil, "{}")
  end
  counter = counter + 1
  local body = '{"amount_fen":' .. (1000 + counter % 50000) .. ',"anonymous":' .. (counter % 3 == 0 and "true" or "false") .. '}'
  return wrk.format("POST", "/api/v1/fund/donations", {["Content-Type"] = "application/json", ["Idempotency-Key"] = "surge-" .. id .. "-" .. counter}, body)
end
function response(status, headers, body)
  if status == 201 then
    -- A guest's pay link carries the payment's public id and access token.
    local p, t = body:match('"pay_url":"/pay/sandbox/([a-z2-7]+)%?token=([0-9a-f]+)"')
    if p then table.insert(pending, "/api/v1/payments/sandbox/" .. p .. "/pay?token=" .. t) end
  elseif status == 200 and body:find('"status":"paid"', 1, true) then
    paid = paid + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("paid") end
  local secs = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f confirmed donations/s (%d in %.1f s); %.0f HTTP req/s; request p50 %.2f ms p99 %.2f ms; %d errors\n",
    total / secs, total, secs, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
  io.write("PAID " .. total .. "\n")
end
LUA
echo "machine: $(nproc) cores, $(uname -sr); SQLite WAL synchronous=FULL, access log off, $CONNS connections, ${DUR}s"
wrk -t2 -c"$CONNS" -d"${DUR}s" -s "$WORK/surge.lua" "$URL" >"$WORK/wrk.txt"
grep '^RESULT' "$WORK/wrk.txt" | sed 's/^RESULT //'
PAID=$(grep '^PAID' "$WORK/wrk.txt" | awk '{print $2}')
sleep 1
curl -s "$URL/metrics" | grep -E '^carecity_db_commit_batch_size_(sum|count)' | tr '\n' ' ' | \
  awk '{printf "group commit: %.1f jobs per transaction on average\n", $2/$4}'
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
CONFIRMED=$(sqlite3 "$WORK/surge.db" "SELECT COUNT(*) FROM fund_donations WHERE status = 'confirmed'")
ENTRIES=$(sqlite3 "$WORK/surge.db" "SELECT COUNT(*) FROM fund_entries WHERE kind = 'donation'")
echo "acknowledged paid: $PAID; confirmed donations in the books: $CONFIRMED; donation entries: $ENTRIES"
$BIN fund verify --db "$DB"
[ "$CONFIRMED" -ge "$PAID" ] && [ "$CONFIRMED" -eq "$ENTRIES" ]
./build/carecity_donation_writer_bench 20000 256 2>/dev/null | grep "^writer:"
