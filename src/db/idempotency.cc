#include "db/idempotency.h"

namespace carecity::db {

IdempotencyClaim ClaimIdempotencyKey(Tx& tx, const std::string& scope, const std::string& key,
                                     const std::string& request_hash, int64_t now_ms) {
  if (tx.Exec("INSERT INTO idempotency_keys (scope, key, request_hash, ref_id, created_at_ms) "
              "VALUES ($1, $2, $3, 0, $4) ON CONFLICT (scope, key) DO NOTHING",
              {scope, key, request_hash, now_ms}) == 1) {
    return {IdempotencyClaim::Kind::kNew, 0};
  }
  auto rows = tx.Query("SELECT request_hash, ref_id FROM idempotency_keys WHERE scope = $1 AND key = $2", {scope, key});
  if (rows.empty()) {
    throw DbError(DbError::Kind::kSerialization, "idempotency key vanished while claimed");  // pruned meanwhile: retry
  }
  if (rows.front().Text(0) != request_hash) {
    return {IdempotencyClaim::Kind::kMismatch, 0};
  }
  return {IdempotencyClaim::Kind::kReplay, rows.front().Int(1)};
}

void SetIdempotencyRef(Tx& tx, const std::string& scope, const std::string& key, int64_t ref_id) {
  tx.Exec("UPDATE idempotency_keys SET ref_id = $3 WHERE scope = $1 AND key = $2", {scope, key, ref_id});
}

int64_t PruneIdempotencyKeys(Tx& tx, int64_t before_ms, int limit) {
  return tx.Exec(
      "DELETE FROM idempotency_keys WHERE (scope, key) IN "
      "(SELECT scope, key FROM idempotency_keys WHERE created_at_ms < $1 LIMIT $2)",
      {before_ms, limit});
}

}  // namespace carecity::db
