// Appends to and verifies the audit chain. Stateless; thread-safe. Every
// function runs inside the caller's transaction (the action and its audit
// row commit or roll back together).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/audit/model.h"

namespace boost::json {
class object;
}

namespace carecity::audit {

// Appends `action` at `now_ms`. Needs a write transaction; serialises with
// other appends by locking the chain head. Returns the new entry's id.
int64_t Record(db::Tx& tx, const Action& action, int64_t now_ms);
// The same with the detail as a JSON object (what the domains' services write).
int64_t Record(db::Tx& tx, std::optional<int64_t> actor, const std::string& action, const std::string& type,
               const std::string& id, const boost::json::object& detail, const std::string& ip, int64_t now_ms);

// The head row: entries in the chain and the last one's hash.
ChainHead Head(db::Tx& tx);

// Reads the head, then re-computes every hash in id order (only the entries
// after `start` when given: a trusted checkpoint they must extend), checking
// links, the head and the chain's hash at each of `anchors` (trusted
// checkpoints, chain.h). Reports the first entry that is missing or differs.
// Read-only; run it as a snapshot read (db::SnapshotReadSync) so that a chain
// growing meanwhile is read as one state.
ChainReport CheckChain(db::Tx& tx, const std::vector<Checkpoint>& anchors, const Checkpoint* start = nullptr);

// The whole chain against `anchors` (CheckChain from the first entry).
VerifyReport Verify(db::Tx& tx, const std::vector<Checkpoint>& anchors = {});

// Entries whose actor is `user_id`, newest first (for the data export).
std::vector<Entry> ListByActor(db::Tx& tx, int64_t user_id, int limit);

}  // namespace carecity::audit
