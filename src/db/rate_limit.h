// Fixed-window rate limits kept in the database, so they hold across several
// app servers. Runs inside the caller's write transaction.
#pragma once

#include <cstdint>
#include <initializer_list>
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
                           std::initializer_list<std::pair<std::string, RateLimit>> buckets, int64_t now_ms);

}  // namespace carecity::db
