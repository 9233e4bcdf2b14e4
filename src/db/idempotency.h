// Idempotency-Key for POSTs that move money or create orders (STYLE.md):
// the same key with the same request answers the first request's result,
// never a second one; the same key with another request is refused.
//
// The key is claimed first, in the request's own write job, with an insert
// the database serialises (ON CONFLICT DO NOTHING on the (scope, key)
// primary key): of two requests racing with one key, the second waits for
// the first's transaction and then sees its claim — a replay, never a
// second object and never a 500.
//
// Keys are kept kIdempotencyRetentionMs (7 days) and then pruned.
#pragma once

#include <cstdint>
#include <string>

#include "db/tx.h"

namespace carecity::db {

constexpr int64_t kIdempotencyRetentionMs = 7LL * 24 * 60 * 60 * 1000;

struct IdempotencyClaim {
  enum class Kind {
    kNew,       // first use: go ahead, then SetIdempotencyRef
    kReplay,    // seen with the same request: answer what ref_id names
    kMismatch,  // seen with another request: 409 idempotency_key_reused
  };
  Kind kind = Kind::kNew;
  int64_t ref_id = 0;  // for kReplay
};

// `scope` keeps callers apart ("donation:user:7", "donation:guest:<ip>");
// `request_hash` identifies the request's content. In a write job.
IdempotencyClaim ClaimIdempotencyKey(Tx& tx, const std::string& scope, const std::string& key,
                                     const std::string& request_hash, int64_t now_ms);
// Records what a kNew claim created, in the same job.
void SetIdempotencyRef(Tx& tx, const std::string& scope, const std::string& key, int64_t ref_id);
// Deletes up to `limit` keys created before `before_ms`; returns how many.
int64_t PruneIdempotencyKeys(Tx& tx, int64_t before_ms, int limit);

}  // namespace carecity::db
