#!/usr/bin/env bash
# `make run`: migrate and load the 关爱桂城 demo data into data/carecity.db,
# print the demo logins, and serve http://127.0.0.1:8080 with the web app and
# the sandbox payment provider (off by default: it takes no money).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${CARECITY_DB:-sqlite:data/carecity.db}
LISTEN=${CARECITY_LISTEN:-127.0.0.1:8080}
mkdir -p data
./build/carecity seed-demo --db "$DB"
cat <<'TXT'

  关爱城市 CareCity demo (关爱桂城, 桂城街道) — demo logins, password guicheng2012
    13800000001  居民 resident (陈阿姨)
    13800000002  社工机构 org_staff, 博睿社工
    13800000003  村居 village_staff, 叠滘村
    13800000004  基金管理员 fund_admin
    13800000008  基金管理员 fund_admin (second, for maker-checker)
    13800000005  评审 reviewer
    13800000006  培训 trainer
    13800000007  平台管理员 platform_admin
  Password-recovery codes are not sent anywhere: read them with
    ./build/carecity outbox --db sqlite:data/carecity.db

TXT
CARECITY_PAYMENTS_SANDBOX=on exec ./build/carecity serve --db "$DB" --listen "$LISTEN" --web web/dist
