// What a forger with write access to the database does to a hash chain:
// changes one entry, then recomputes its hash, every later entry's
// prev_hash and hash, and the head, so that every link and the head check
// out again. Tests use it to show that only a signed checkpoint catches it.
#pragma once

#include <cstdint>
#include <functional>

#include "db/store.h"
#include "domains/audit/model.h"
#include "domains/fund/model.h"

namespace carecity::testing {

// Rewrites the audit chain from entry `from` on, applying `edit` to that entry.
void RewriteAuditChainFrom(db::Store& store, int64_t from, const std::function<void(audit::Entry&)>& edit);

// The same for the fund's ledger (entry content only; lines are left alone).
void RewriteFundChainFrom(db::Store& store, int64_t from, const std::function<void(fund::Entry&)>& edit);

}  // namespace carecity::testing
