// Appends to and verifies the audit chain. Stateless; thread-safe. Every
// function runs inside the caller's transaction (the action and its audit
// row commit or roll back together).
#pragma once

#include <vector>

#include "db/tx.h"
#include "domains/audit/model.h"

namespace carecity::audit {

// Appends `action` at `now_ms`. Needs a write transaction; serialises with
// other appends by locking the chain head. Returns the new entry's id.
int64_t Record(db::Tx& tx, const Action& action, int64_t now_ms);

// Re-computes every hash in id order and reports the first broken link.
VerifyReport Verify(db::Tx& tx);

// Entries whose actor is `user_id`, newest first (for the data export).
std::vector<Entry> ListByActor(db::Tx& tx, int64_t user_id, int limit);

}  // namespace carecity::audit
