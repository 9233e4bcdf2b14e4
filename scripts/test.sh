#!/usr/bin/env bash
# Runs every test: the C++ suites on SQLite and again on a throwaway
# PostgreSQL cluster, the command-line checks on the demo data, the web unit
# tests, and the browser end-to-end tests. Prints one closing line
# "N passed, N failed" and exits non-zero on failure.
#
# The phases run in two lanes side by side (the PostgreSQL lane mostly waits
# on the database, the other keeps the second core busy): measured on the
# 2-core CI machine in docs/PERFORMANCE.md ("Test run"). CARECITY_TEST_SERIAL=1
# runs them one after another. Each phase keeps its own counts and output
# (test-results/phases/), printed in a fixed order at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/test-results"
rm -rf "$OUT"
mkdir -p "$OUT/gtest/sqlite" "$OUT/gtest/postgres" "$OUT/phases"

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

# Adds one GoogleTest XML report to passed/failed.
count_gtest_file() {
  local x=$1 t f e s
  t=$(grep -m1 -o '<testsuites tests="[0-9]*"' "$x" | grep -o '[0-9]*')
  f=$(grep -m1 -o '<testsuites [^>]*failures="[0-9]*"' "$x" | grep -o 'failures="[0-9]*"' | grep -o '[0-9]*')
  e=$(grep -m1 -o '<testsuites [^>]*errors="[0-9]*"' "$x" | grep -o 'errors="[0-9]*"' | grep -o '[0-9]*')
  s=$(grep -c '<skipped' "$x" || true)
  passed=$((passed + ${t:-0} - ${f:-0} - ${e:-0} - ${s:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
}

run_ctest() {  # NAME LABEL-REGEX
  local name=$1 labels=$2 bad x n
  local log="$OUT/ctest-$name.log"
  echo "== C++ suites on $name"
  GTEST_OUTPUT="xml:$OUT/gtest/$name/" ctest --test-dir build -L "$labels" -j2 --output-on-failure >"$log" 2>&1
  local rc=$?
  tail -n 4 "$log"
  for x in "$OUT/gtest/$name"/*.xml; do
    [ -f "$x" ] && count_gtest_file "$x"
  done
  if [ $rc -ne 0 ]; then
    grep -E '^\[  FAILED  \]|\*\*\*|Failure' "$log" | head -n 40
    # A binary that crashed, timed out or never ran writes no report (or one
    # without failures): count it, so it cannot pass silently.
    for bad in $(sed -nE 's/^.*Test +#[0-9]+: ([A-Za-z0-9_]+) \.*.*(\*\*\*|Not Run).*$/\1/p' "$log" | sort -u); do
      x="$OUT/gtest/$name/$bad.xml"
      n=0
      [ -f "$x" ] && n=$(grep -m1 -o '<testsuites [^>]*failures="[0-9]*"' "$x" | grep -o '[0-9]*$')
      if [ "${n:-0}" -eq 0 ]; then
        failed=$((failed + 1)); problems+=("$bad on $name crashed, timed out or did not run (log: test-results/ctest-$name.log)")
      fi
    done
    problems+=("C++ suites on $name (log: test-results/ctest-$name.log)")
  fi
}

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
  for step in "fund verify" "books verify" "audit verify" "payments reconcile"; do
    # shellcheck disable=SC2086
    if CARECITY_PAYMENTS_SANDBOX=on build/carecity $step --db "$db" >>"$log" 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); problems+=("carecity $step on $name (log: test-results/cli-$name.log)")
    fi
  done
  # Views (查看) across kill -9 and SIGTERM, on the same demo database.
  if scripts/views-kill-check.sh "$db" >>"$log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); problems+=("views-kill-check on $name (log: test-results/cli-$name.log)")
  fi
  unset CARECITY_DATA_KEY CARECITY_CHECKPOINT_KEY
}

run_cli_checks_pg() {
  local db="${CARECITY_TEST_PG_URL%/*}/carecity_cli_demo"
  if psql "$CARECITY_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS carecity_cli_demo" -c "CREATE DATABASE carecity_cli_demo" \
    >/dev/null 2>&1; then
    run_cli_checks postgres "$db"
  else
    failed=$((failed + 1)); problems+=("could not create the PostgreSQL database for the command-line checks")
  fi
}

# failed_vitest FILE: names each failed test of a Vitest JSON report (file, test and first
# line of its message), so a CI log that keeps only the tail still says what failed.
failed_vitest() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    for (const f of r.testResults ?? []) {
      const failed = (f.assertionResults ?? []).filter((a) => a.status === "failed")
      if (f.status === "failed" && failed.length === 0) console.log(`  FAILED FILE ${f.name}: ${(f.message ?? "").split("\n")[0]}`)
      for (const a of failed) console.log(`  FAILED ${f.name.replace(/^.*\/tests\//, "tests/")} > ${a.fullName}: ${(a.failureMessages?.[0] ?? "").split("\n")[0].slice(0, 200)}`)
    }' "$1" 2>/dev/null
}

count_vitest() {  # FILE
  local p f
  p=$(grep -o '"numPassedTests":[0-9]*' "$1" 2>/dev/null | head -n1 | grep -o '[0-9]*$')
  f=$(grep -o '"numFailedTests":[0-9]*' "$1" 2>/dev/null | head -n1 | grep -o '[0-9]*$')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  [ -n "$p" ]
}

run_web_unit() {
  echo "== web unit tests"
  (cd web && VITEST_UNIT_JSON="$OUT/web-unit.json" npm run --silent test:unit >"$OUT/web-unit.log" 2>&1)
  local rc=$?
  count_vitest "$OUT/web-unit.json" || { failed=$((failed + 1)); }
  [ $rc -eq 0 ] || { tail -n 30 "$OUT/web-unit.log"; failed_vitest "$OUT/web-unit.json"; problems+=("web unit tests (log: test-results/web-unit.log)"); }
}

run_e2e() {
  echo "== browser end-to-end tests (phone viewport)"
  (cd web && CARECITY_REQUIRE_FUND=1 CARECITY_REQUIRE_FEATURES=1 CARECITY_BIN="$ROOT/build/carecity" \
    CARECITY_DOUBLES_BIN="$ROOT/build/tests/carecity-doubles" E2E_OUT="$OUT/e2e" \
    VITEST_E2E_JSON="$OUT/web-e2e.json" npm run --silent test:e2e >"$OUT/web-e2e.log" 2>&1)
  local rc=$?
  count_vitest "$OUT/web-e2e.json" || { failed=$((failed + 1)); }
  [ $rc -eq 0 ] || { tail -n 40 "$OUT/web-e2e.log"; failed_vitest "$OUT/web-e2e.json"; problems+=("end-to-end tests (log: test-results/web-e2e.log)"); }
  echo "   screenshots: test-results/e2e/"
}

# phase NAME COMMAND...: runs COMMAND with counters of its own and records
# its output, counts, problems and duration under test-results/phases/.
phase() {
  local name=$1
  shift
  echo "-- $name started"
  (
    passed=0 failed=0 problems=()
    start=$SECONDS
    "$@" >"$OUT/phases/$name.out" 2>&1
    { echo "$passed $failed $((SECONDS - start))"; printf '%s\n' "${problems[@]}"; } >"$OUT/phases/$name.result"
    echo "-- $name finished: $passed passed, $failed failed, $((SECONDS - start)) s"
  )
}

# collect NAME: adds a finished phase's counts and prints its output. A phase
# that left no result (its shell died) counts as one failure.
collect() {
  local name=$1 p f secs line
  cat "$OUT/phases/$name.out" 2>/dev/null
  if [ ! -f "$OUT/phases/$name.result" ]; then
    failed=$((failed + 1)); problems+=("phase $name did not finish")
    return
  fi
  { read -r p f secs; while IFS= read -r line; do [ -n "$line" ] && problems+=("$line"); done; } <"$OUT/phases/$name.result"
  passed=$((passed + p))
  failed=$((failed + f))
  echo "   ($name: ${secs} s)"
}

have_pg() { [ -n "${CARECITY_TEST_PG_URL:-}" ]; }
# The lanes are balanced by measured time (docs/PERFORMANCE.md, "Test run"):
# the browser tests are the longest phase, so the web unit tests run in the
# PostgreSQL lane after its suites.
lane_postgres_and_web_unit() {
  if have_pg; then
    CARECITY_TEST_BACKEND=postgres phase ctest-postgres run_ctest postgres 'db|api'
    phase cli-postgres run_cli_checks_pg
  fi
  phase web-unit run_web_unit
}
lane_sqlite_and_e2e() {
  phase ctest-sqlite run_ctest sqlite 'unit|db|api'
  phase cli-sqlite run_cli_checks sqlite "sqlite:$PGBASE/cli-demo.db"
  phase e2e run_e2e
}

if [ "${CARECITY_TEST_SERIAL:-0}" = 1 ]; then
  lane_sqlite_and_e2e
  lane_postgres_and_web_unit
else
  echo "== running the PostgreSQL + web unit lane and the SQLite + browser lane side by side"
  lane_postgres_and_web_unit &
  pg_lane=$!
  lane_sqlite_and_e2e
  wait "$pg_lane"
fi

for p in ctest-sqlite ctest-postgres cli-sqlite cli-postgres web-unit e2e; do
  case $p in *postgres) have_pg || continue ;; esac
  collect "$p"
done

for p in "${problems[@]}"; do echo "FAILED: $p"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#problems[@]} -eq 0 ]
