#!/usr/bin/env bash
# Shop flash sale: N checkout attempts (POST /api/v1/shop/orders with an
# Idempotency-Key, one unit each, pickup) from N distinct signed-in buyers
# for one product with STOCK in stock, over CONNS connections. Prints
# orders/s and latency percentiles (bench/flash_crowd_client.cc), then checks
# the books: exactly STOCK orders, all pending_payment, N - STOCK answered
# shop.sold_out, the product's stock 0.
#   bench/shop_flash_sale.sh [postgresql://ADMIN_URL] [N] [STOCK] [CONNS]
# Without a URL: SQLite (WAL, synchronous=FULL) in a temporary directory;
# with one: a fresh database on that cluster, dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh  # takes a leading postgresql:// argument into PG
N=${1:-10000}
STOCK=${2:-300}
CONNS=${3:-256}
bench_start flash_sale "$PG"

# The product, listed by 博睿社工's staff and approved by the fund's admin.
bench_login 13800000002
bench_login 13800000004
PRODUCT=$(bench_post 13800000002 /api/v1/shop/products "{\"org_id\":1,\"title\":\"限量公益纪念徽章\",
  \"description\":\"秒杀基准测试\",\"category\":\"souvenir\",\"price_fen\":2000,\"stock\":$STOCK,
  \"donation\":{\"kind\":\"fixed\",\"value\":1000}}" | grep -o '"product":{"id":"[^"]*' | grep -o '[^"]*$')
[ -n "$PRODUCT" ] || { echo "could not create the product" >&2; exit 1; }
bench_post 13800000004 "/api/v1/shop/products/$PRODUCT/approve" '{}' | grep -q '"approved"' ||
  { echo "could not approve the product" >&2; exit 1; }
VENUE=$(bench_sql "SELECT MIN(id) FROM venues")

bench_machine
echo "shop flash sale: $N buyers, $STOCK in stock, $CONNS connections"
./build/carecity_flash_crowd 127.0.0.1 "$PORT" shop "$PRODUCT" "$N" "$CONNS" "$VENUE" | tee "$WORK/client.out" || true
bench_stop
SOLD_OUT=$(grep -o '[0-9]* shop.sold_out' "$WORK/client.out" | grep -o '^[0-9]*' || echo 0)

PID_ROW="(SELECT id FROM shop_products WHERE public_id = '$PRODUCT')"
ORDERS=$(bench_sql "SELECT COUNT(DISTINCT order_id) FROM shop_order_lines WHERE product_id = $PID_ROW")
PENDING=$(bench_sql "SELECT COUNT(*) FROM shop_orders o WHERE o.status = 'pending_payment' AND EXISTS
  (SELECT 1 FROM shop_order_lines l WHERE l.order_id = o.id AND l.product_id = $PID_ROW)")
LEFT=$(bench_sql "SELECT stock FROM shop_products WHERE id = $PID_ROW")
BUYERS_TWICE=$(bench_sql "SELECT COUNT(*) FROM (SELECT o.buyer_user_id FROM shop_orders o JOIN shop_order_lines l
  ON l.order_id = o.id WHERE l.product_id = $PID_ROW GROUP BY o.buyer_user_id HAVING COUNT(*) > 1) t")
echo "books:  $ORDERS orders ($PENDING pending_payment), stock left $LEFT, $BUYERS_TWICE buyers twice; $SOLD_OUT answered shop.sold_out"
[ "$ORDERS" -eq "$STOCK" ] && [ "$PENDING" -eq "$STOCK" ] && [ "$LEFT" -eq 0 ] && [ "$BUYERS_TWICE" -eq 0 ] &&
  [ "$SOLD_OUT" -eq $((N - STOCK)) ] ||
  { echo "FAIL: expected exactly $STOCK orders, $((N - STOCK)) sold out and stock 0" >&2; exit 1; }
echo "PASS: exactly $STOCK orders (pending_payment), $SOLD_OUT sold out, stock 0"
