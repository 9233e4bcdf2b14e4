# Shared by the crowd benchmarks (sourced, from the repository root): a
# throwaway work directory, a seeded demo server on a fresh database — SQLite
# with synchronous=FULL, or a new database on a PostgreSQL cluster whose
# admin URL is given — and its shutdown, logins, and queries on its database.
# Rate limits off, access log off, cheap argon2: thousands of accounts must
# log in first, and login cost is measured in bench/run.sh.
# Source it with the script's arguments in place: a leading postgresql://
# admin URL is taken off them into PG ("" for SQLite).
BIN=${CARECITY_BIN:-./build/carecity}  # CARECITY_BIN: another build, for a before/after
PG=""
if [[ ${1:-} == postgres* ]]; then
  PG=$1
  shift
fi
WORK=$(mktemp -d)
PID=""
PG_ADMIN=""
PG_DB=""
bench_cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  [ -n "$PG_DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap bench_cleanup EXIT

# bench_start NAME [POSTGRES_ADMIN_URL] [EXTRA_TOML]: seeds the demo into a
# fresh database and serves it; sets DB, BACKEND, URL and PORT.
bench_start() {
  local name=$1 pg=${2:-} extra=${3:-}
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
[checkpoints]
log_file = "$WORK/checkpoints.jsonl"
[log]
access = "off"
level = "warn"
$extra
TOML
  if [ -n "$pg" ]; then
    PG_ADMIN=$pg
    PG_DB="carecity_bench_${name}_$$"
    psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null || { echo "could not create $PG_DB" >&2; exit 1; }
    DB="${PG_ADMIN%/*}/$PG_DB"
    BACKEND="PostgreSQL ($(psql "$PG_ADMIN" -tAc 'SHOW server_version'), fsync $(psql "$PG_ADMIN" -tAc 'SHOW fsync'))"
  else
    DB="sqlite:$WORK/$name.db"
    BACKEND="SQLite WAL synchronous=FULL"
  fi
  CARECITY_DATA_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  CARECITY_CHECKPOINT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  export CARECITY_DATA_KEY CARECITY_CHECKPOINT_KEY
  $BIN seed-demo --config "$WORK/bench.toml" --db "$DB" >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }
  CARECITY_RATE_LIMITS=off $BIN serve --config "$WORK/bench.toml" --db "$DB" >"$WORK/out" 2>"$WORK/err" &
  PID=$!
  for _ in $(seq 200); do grep -q "listening on" "$WORK/out" 2>/dev/null && break; sleep 0.05; done
  URL=$(grep -o 'http://[0-9.:]*' "$WORK/out" | head -n1)
  [ -n "$URL" ] || { cat "$WORK/err" >&2; exit 1; }
  PORT=${URL##*:}
}

bench_stop() {
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
}

# bench_login PHONE: logs a demo account in (cookie jar $WORK/PHONE.jar).
bench_login() {
  curl -sf -c "$WORK/$1.jar" -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"guicheng2012\"}" "$URL/api/v1/auth/login" >/dev/null
}

# bench_post PHONE PATH JSON: a POST as a logged-in demo account; prints the body.
bench_post() {
  curl -s -b "$WORK/$1.jar" -H 'Content-Type: application/json' -d "$3" "$URL$2"
}

# bench_sql SQL: one value from the benchmark's database.
bench_sql() {
  if [ -n "$PG_DB" ]; then
    psql "$DB" -tAc "$1"
  else
    sqlite3 "${DB#sqlite:}" "$1"
  fi
}

bench_machine() {
  echo "machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg); $BACKEND, access log off"
}
