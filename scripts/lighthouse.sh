#!/usr/bin/env bash
# `make lighthouse`: phone speed and accessibility of every public page.
# Seeds the 关爱桂城 demo into a throwaway database, serves it with web/dist
# on its own port, and runs Lighthouse (mobile preset: simulated slow 4G and
# 4× CPU slowdown; categories performance and accessibility) with Debian's
# chromium against each public page, LIGHTHOUSE_RUNS times (default 3, the
# scores vary on a shared 2-core machine). Prints the median of each column
# per page and exits non-zero when a page's median performance is under
# LIGHTHOUSE_MIN_PERF (default 0.95) or its accessibility under
# LIGHTHOUSE_MIN_A11Y (default 1.0). Figures: docs/PERFORMANCE.md.
#
# Lighthouse itself lives in tools/lighthouse (its own package-lock.json), not
# in web/package.json, so CI's `npm ci` in web/ never installs it.
#
#   LIGHTHOUSE_RUNS=1 LIGHTHOUSE_PAGES="home fund" scripts/lighthouse.sh
# Environment: CARECITY_BIN (default build/carecity), LIGHTHOUSE_PORT
# (default 18190), LIGHTHOUSE_OUT (default test-results/lighthouse; the JSON
# reports go there as PAGE.RUN.json), CHROME_PATH (default /usr/bin/chromium),
# LIGHTHOUSE_PAGES (a subset of the page names below).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${CARECITY_BIN:-$ROOT/build/carecity}
PORT=${LIGHTHOUSE_PORT:-18190}
OUT=${LIGHTHOUSE_OUT:-$ROOT/test-results/lighthouse}
RUNS=${LIGHTHOUSE_RUNS:-3}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export LIGHTHOUSE_MIN_PERF=${LIGHTHOUSE_MIN_PERF:-0.95}
export LIGHTHOUSE_MIN_A11Y=${LIGHTHOUSE_MIN_A11Y:-1}
TOOLS=$ROOT/tools/lighthouse

[ -x "$BIN" ] || { echo "lighthouse: $BIN is missing (make build-cpp, or set CARECITY_BIN)" >&2; exit 1; }
[ -x "$CHROME_PATH" ] || { echo "lighthouse: no chromium at $CHROME_PATH (apt-get install chromium)" >&2; exit 1; }

# Lighthouse from its own lock file; installed again only when the lock changed.
if [ ! -f "$TOOLS/node_modules/.package-lock.json" ] || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
  echo "== installing Lighthouse (tools/lighthouse)"
  (cd "$TOOLS" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The web app, built again when anything it is built from is newer than the build.
if [ ! -f web/dist/index.html ] ||
  [ -n "$(find web/src web/public web/index.html web/vite.config.ts web/package-lock.json -newer web/dist/index.html -print -quit)" ]; then
  [ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "== building web/dist"
  (cd web && npm run --silent build >/dev/null)
fi

WORK=$(mktemp -d)
PID=""
cleanup() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The demo as `make run` serves it (scripts/run-demo.sh), on a fresh database
# with keys of its own. Rate limits off: every run loads each page anew, many
# times from one address.
CARECITY_DATA_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
CARECITY_CHECKPOINT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export CARECITY_DATA_KEY CARECITY_CHECKPOINT_KEY
DB="sqlite:$WORK/demo.db"
"$BIN" seed-demo --db "$DB" >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }
CARECITY_PAYMENTS_SANDBOX=on CARECITY_RATE_LIMITS=off \
  "$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --web web/dist >"$WORK/serve.log" 2>&1 &
PID=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 100); do
  curl -sf "$URL/healthz" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.1
done
curl -sf "$URL/healthz" >/dev/null || { echo "lighthouse: the demo server did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }

# The pages, as NAME PATH lines; the ids come from the demo's public API (they
# are random per seed): the newest article, the busiest of the latest threads,
# the first event and the first lot.
node "$TOOLS/pages.mjs" "$URL" >"$WORK/pages"
if [ -n "${LIGHTHOUSE_PAGES:-}" ]; then
  grep -wF -f <(tr ' ' '\n' <<<"$LIGHTHOUSE_PAGES") "$WORK/pages" >"$WORK/pages.chosen" || true
  mv "$WORK/pages.chosen" "$WORK/pages"
fi
[ -s "$WORK/pages" ] || { echo "lighthouse: no pages to measure" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
CHROME_FLAGS="--headless=new --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-quic"
[ "$(id -u)" -eq 0 ] && CHROME_FLAGS="$CHROME_FLAGS --no-sandbox"
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "chromium: $("$CHROME_PATH" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -n1)"
  echo "lighthouse: $(node -p "require('$TOOLS/node_modules/lighthouse/package.json').version")"
} | tee "$OUT/machine.txt"
n=$(wc -l <"$WORK/pages")
for run in $(seq "$RUNS"); do
  while read -r name path; do
    echo "== run $run/$RUNS: $name $path (load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "$run $name $path $(cut -d' ' -f1 /proc/loadavg)" >>"$OUT/runs.txt"
    node "$TOOLS/node_modules/lighthouse/cli/index.js" "$URL$path" \
      --only-categories=performance,accessibility \
      --output=json --output-path="$OUT/$name.$run.json" \
      --chrome-flags="$CHROME_FLAGS" --quiet ||
      echo "lighthouse: the run on $name failed" >&2
  done <"$WORK/pages"
done
echo "== $n pages × $RUNS runs; medians (reports in $OUT)"
node "$TOOLS/summarize.mjs" "$OUT" "$WORK/pages"
