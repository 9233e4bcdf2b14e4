#!/usr/bin/env bash
# Runs every test: the C++ suites on SQLite and again on a throwaway
# PostgreSQL cluster, the web unit tests, and the browser end-to-end tests.
# Prints one closing line "N passed, N failed" and exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/test-results"
rm -rf "$OUT"
mkdir -p "$OUT/gtest/sqlite" "$OUT/gtest/postgres"

passed=0
failed=0
problems=()

PGBASE=$(mktemp -d)
cleanup() { scripts/pg-test-cluster.sh stop "$PGBASE/pg"; rm -rf "$PGBASE"; }
trap cleanup EXIT

if PG_URL=$(scripts/pg-test-cluster.sh start "$PGBASE/pg"); then
  export CARECITY_TEST_PG_URL="$PG_URL"
  echo "== PostgreSQL test cluster at $PG_URL"
else
  problems+=("could not start the PostgreSQL test cluster")
  failed=$((failed + 1))
fi

# Sums a directory of GoogleTest XML reports into passed/failed.
count_gtest() {
  local dir=$1 t f e s
  for x in "$dir"/*.xml; do
    [ -f "$x" ] || continue
    t=$(grep -m1 -o '<testsuites tests="[0-9]*"' "$x" | grep -o '[0-9]*')
    f=$(grep -m1 -o '<testsuites [^>]*failures="[0-9]*"' "$x" | grep -o 'failures="[0-9]*"' | grep -o '[0-9]*')
    e=$(grep -m1 -o '<testsuites [^>]*errors="[0-9]*"' "$x" | grep -o 'errors="[0-9]*"' | grep -o '[0-9]*')
    s=$(grep -c '<skipped' "$x" || true)
    passed=$((passed + t - ${f:-0} - ${e:-0} - ${s:-0}))
    failed=$((failed + ${f:-0} + ${e:-0}))
  done
}

run_ctest() {  # NAME LABEL-REGEX
  local name=$1 labels=$2 before=$failed
  echo "== C++ suites on $name"
  GTEST_OUTPUT="xml:$OUT/gtest/$name/" ctest --test-dir build -L "$labels" -j2 --output-on-failure \
    >"$OUT/ctest-$name.log" 2>&1
  local rc=$?
  tail -n 4 "$OUT/ctest-$name.log"
  count_gtest "$OUT/gtest/$name"
  if [ $rc -ne 0 ]; then
    grep -E '^\[  FAILED  \]|\*\*\*|Failure' "$OUT/ctest-$name.log" | head -n 40
    # A crashed binary writes no report: count it so it cannot pass silently.
    [ "$failed" -eq "$before" ] && failed=$((failed + 1))
    problems+=("C++ suites on $name (log: test-results/ctest-$name.log)")
  fi
}

run_ctest sqlite 'unit|db|api'
if [ -n "${CARECITY_TEST_PG_URL:-}" ]; then
  CARECITY_TEST_BACKEND=postgres run_ctest postgres 'db|api'
fi

# The operator's checks on a live demo instance, as an operator runs them:
# the books and the audit chain verify, and reconciliation runs clean.
run_cli_checks() {  # NAME DB_URL
  local name=$1 db=$2 step
  local log="$OUT/cli-$name.log"
  # Throwaway data and checkpoint keys, so no key file lands in the working directory.
  export CARECITY_DATA_KEY=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  export CARECITY_CHECKPOINT_KEY=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
  echo "== command-line checks on the demo data ($name)"
  : >"$log"
  if ! CARECITY_PAYMENTS_SANDBOX=on build/carecity seed-demo --db "$db" >>"$log" 2>&1; then
    failed=$((failed + 1)); problems+=("seed-demo on $name (log: test-results/cli-$name.log)")
    unset CARECITY_DATA_KEY CARECITY_CHECKPOINT_KEY; return
  fi
  for step in "fund verify" "audit verify" "payments reconcile"; do
    # shellcheck disable=SC2086
    if CARECITY_PAYMENTS_SANDBOX=on build/carecity $step --db "$db" >>"$log" 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); problems+=("carecity $step on $name (log: test-results/cli-$name.log)")
    fi
  done
  unset CARECITY_DATA_KEY CARECITY_CHECKPOINT_KEY
}
run_cli_checks sqlite "sqlite:$PGBASE/cli-demo.db"
if [ -n "${CARECITY_TEST_PG_URL:-}" ]; then
  cli_pg="${CARECITY_TEST_PG_URL%/*}/carecity_cli_demo"
  psql "$CARECITY_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS carecity_cli_demo" -c "CREATE DATABASE carecity_cli_demo" \
    >/dev/null 2>&1 && run_cli_checks postgres "$cli_pg"
fi

count_vitest() {  # FILE
  local p f
  p=$(grep -o '"numPassedTests":[0-9]*' "$1" 2>/dev/null | head -n1 | grep -o '[0-9]*$')
  f=$(grep -o '"numFailedTests":[0-9]*' "$1" 2>/dev/null | head -n1 | grep -o '[0-9]*$')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  [ -n "$p" ]
}

echo "== web unit tests"
(cd web && VITEST_UNIT_JSON="$OUT/web-unit.json" npm run --silent test:unit >"$OUT/web-unit.log" 2>&1)
rc=$?
count_vitest "$OUT/web-unit.json" || { failed=$((failed + 1)); }
[ $rc -eq 0 ] || { tail -n 30 "$OUT/web-unit.log"; problems+=("web unit tests (log: test-results/web-unit.log)"); }

echo "== browser end-to-end tests (phone viewport)"
(cd web && CARECITY_REQUIRE_FUND=1 CARECITY_REQUIRE_FEATURES=1 CARECITY_BIN="$ROOT/build/carecity" E2E_OUT="$OUT/e2e" VITEST_E2E_JSON="$OUT/web-e2e.json" \
  npm run --silent test:e2e >"$OUT/web-e2e.log" 2>&1)
rc=$?
count_vitest "$OUT/web-e2e.json" || { failed=$((failed + 1)); }
[ $rc -eq 0 ] || { tail -n 40 "$OUT/web-e2e.log"; problems+=("end-to-end tests (log: test-results/web-e2e.log)"); }
echo "   screenshots: test-results/e2e/"

for p in "${problems[@]}"; do echo "FAILED: $p"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#problems[@]} -eq 0 ]
