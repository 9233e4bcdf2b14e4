#include "db/rate_limit.h"

#include <algorithm>

namespace carecity::db {

RateDecision HitRateLimit(Tx& tx, const std::string& bucket, const RateLimit& limit, int64_t now_ms) {
  if (limit.max <= 0 || limit.window_s <= 0) {
    return {};
  }
  const int64_t window_ms = limit.window_s * 1000;
  // One statement: start a new window if the old one has passed, else count.
  auto rows = tx.Query(
      "INSERT INTO rate_limits (bucket, window_start_ms, count) VALUES ($1, $2, 1) "
      "ON CONFLICT (bucket) DO UPDATE SET "
      "count = CASE WHEN rate_limits.window_start_ms <= $3 THEN 1 ELSE rate_limits.count + 1 END, "
      "window_start_ms = CASE WHEN rate_limits.window_start_ms <= $3 THEN $2 ELSE rate_limits.window_start_ms END "
      "RETURNING window_start_ms, count",
      {bucket, now_ms, now_ms - window_ms});
  const int64_t start = rows.front().Int(0);
  const int64_t count = rows.front().Int(1);
  if (count <= limit.max) {
    return {};
  }
  const int64_t retry_ms = std::max<int64_t>(start + window_ms - now_ms, 1000);
  return {false, (retry_ms + 999) / 1000};
}

RateDecision HitRateLimits(Tx& tx, const RateLimitConfig& cfg,
                           const std::vector<std::pair<std::string, RateLimit>>& buckets, int64_t now_ms) {
  RateDecision worst;
  if (!cfg.enabled) {
    return worst;
  }
  for (const auto& [bucket, limit] : buckets) {
    const RateDecision d = HitRateLimit(tx, bucket, limit, now_ms);
    if (!d.allowed && (worst.allowed || d.retry_after_s > worst.retry_after_s)) {
      worst = d;
    }
  }
  return worst;
}

int64_t PruneRateLimits(Tx& tx, int64_t before_ms, int64_t limit) {
  // Both dialects: DELETE has no LIMIT on PostgreSQL, a subquery does.
  return tx.Exec(
      "DELETE FROM rate_limits WHERE bucket IN "
      "(SELECT bucket FROM rate_limits WHERE window_start_ms < $1 ORDER BY window_start_ms LIMIT $2)",
      {before_ms, limit});
}

}  // namespace carecity::db
