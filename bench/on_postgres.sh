#!/usr/bin/env bash
# Runs a benchmark script on a throwaway PostgreSQL cluster with durable
# commits (fsync and synchronous_commit on, unlike the test cluster), passing
# its admin URL as the script's first argument; the cluster goes afterwards.
#   bench/on_postgres.sh bench/shop_flash_sale.sh [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=$(mktemp -d)
trap 'scripts/pg-test-cluster.sh stop "$BASE/pg"; rm -rf "$BASE"' EXIT
URL=$(PG_TEST_DURABLE=1 scripts/pg-test-cluster.sh start "$BASE/pg")
script=$1
shift
"$script" "$URL" "$@"
