#!/usr/bin/env bash
# Foundation benchmark: req/s and latency percentiles for GET /healthz,
# POST /api/v1/auth/login and GET /api/v1/me, plus the server's idle and
# loaded RSS. Uses wrk on loopback against a fresh demo database (SQLite,
# synchronous=FULL) with rate limits off, as load tests must.
#   bench/run.sh [DURATION_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
BIN=./build/carecity
command -v wrk >/dev/null || { echo "wrk missing: make deps" >&2; exit 1; }
WORK=$(mktemp -d)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

cat >"$WORK/bench.toml" <<TOML
[server]
listen = "127.0.0.1:0"
[database]
sqlite_synchronous = "FULL"
[log]
access = "$WORK/access.log"
level = "warn"
TOML
DB="sqlite:$WORK/bench.db"
$BIN seed-demo --config "$WORK/bench.toml" --db "$DB" >/dev/null 2>&1
CARECITY_RATE_LIMITS=off $BIN serve --config "$WORK/bench.toml" --db "$DB" --web web/dist >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 100); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
URL=$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -n1)
sleep 0.5
rss() { awk '/VmRSS/ {print $2/1024 " MiB"}' "/proc/$PID/status"; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "server:  $URL (SQLite WAL synchronous=FULL, access log to a file, rate limits off)"
echo "idle RSS after start: $(rss)"

TOKEN=$(curl -s -i -X POST "$URL/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"login":"13800000001","password":"guicheng2012"}' | grep -o 'cc_session=[^;]*' | cut -d= -f2)
[ -n "$TOKEN" ] || { echo "login failed" >&2; exit 1; }

cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"login":"13800000001","password":"guicheng2012"}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f req/s  p50 %.2f ms  p99 %.2f ms  (%d requests, %d errors)\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
LUA
cat "$WORK/report.lua" >>"$WORK/login.lua"

run() {  # LABEL CONNECTIONS ARGS...
  local label=$1 conns=$2
  shift 2
  printf '%-34s c=%-3s ' "$label" "$conns"
  wrk -t2 -c"$conns" -d"${DUR}s" "$@" | grep '^RESULT' | sed 's/^RESULT //'
}
run "GET /healthz" 64 -s "$WORK/report.lua" "$URL/healthz"
run "GET /api/v1/me (session lookup)" 64 -s "$WORK/report.lua" -H "Cookie: cc_session=$TOKEN" "$URL/api/v1/me"
run "POST /api/v1/auth/login (argon2id)" 16 -s "$WORK/login.lua" "$URL/api/v1/auth/login"
echo "RSS after load: $(rss)"
sleep 2
echo "RSS 2 s later: $(rss)"
