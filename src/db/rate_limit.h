// Fixed-window rate limits kept in the database, so they hold across several
// app servers. Runs inside the caller's write transaction.
#pragma once

#include <cstdint>
#include <vector>
#include <utility>
#include <string>

#include "core/config.h"
#include "db/tx.h"

namespace carecity::db {

struct RateDecision {
  bool allowed = true;
  int64_t retry_after_s = 0;
};

// Counts one event for `bucket` and says whether it is within `limit`.
// A disabled limit (max <= 0) always allows. The count is written even when
// the event is refused, so the caller must commit, not roll back.
RateDecision HitRateLimit(Tx& tx, const std::string& bucket, const RateLimit& limit, int64_t now_ms);

// Counts the event in every bucket; refuses (the longest wait) if any is
// over its limit. Allows everything when `cfg.enabled` is off.
RateDecision HitRateLimits(Tx& tx, const RateLimitConfig& cfg,
                           const std::vector<std::pair<std::string, RateLimit>>& buckets, int64_t now_ms);

// Deletes at most `limit` windows that started before `before_ms` (oldest
// first) and returns how many it deleted. Windows are at most a day long
// (kRateLimitRetentionS), so the maintenance job passes now minus a day:
// no live window is ever dropped. Bounded so one transaction stays short
// however large the table has grown; call again while it returns `limit`.
int64_t PruneRateLimits(Tx& tx, int64_t before_ms, int64_t limit);

}  // namespace carecity::db
