// Where checkpoints (chain.h) are kept: the chain_checkpoints table, which
// the API publishes, and an append-only log file of JSON lines outside the
// database. Table functions run in the caller's transaction; the log
// functions do file I/O on the calling thread. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "db/tx.h"
#include "domains/audit/chain.h"

namespace carecity::audit {

// Stores `c` unless a checkpoint of its chain at its seq exists already
// (another server got there first). Returns true if this one was stored.
// Needs a write transaction.
bool InsertCheckpoint(db::Tx& tx, const Checkpoint& c);

// Checkpoints of `chain`, newest first: those with seq < `before_seq` (0: no
// bound), at most `limit`.
std::vector<Checkpoint> ListCheckpoints(db::Tx& tx, std::string_view chain, int64_t before_seq, int limit);

// Every stored checkpoint of every chain, by chain and seq.
std::vector<Checkpoint> AllCheckpoints(db::Tx& tx);

// True if the database has the chain_checkpoints table (a database not yet
// migrated to 0008 has none; `verify` does not migrate).
bool CheckpointTableExists(db::Tx& tx);

// Appends `c` as one JSON line to the log at `path` (created 0644 when
// missing, written with O_APPEND and fsynced, so concurrent writers never
// interleave a line). Errors: checkpoint_log_failed (path and errno text).
Status AppendCheckpointLog(const std::string& path, const Checkpoint& c);

// The log at `path`: its checkpoints, and the 1-based numbers of non-empty
// lines that are not checkpoints. A missing file is `exists = false`, not an
// error; an unreadable one is checkpoint_log_failed.
struct CheckpointLog {
  bool exists = false;
  std::vector<Checkpoint> checkpoints;
  std::vector<int64_t> bad_lines;
};
Result<CheckpointLog> ReadCheckpointLog(const std::string& path);

}  // namespace carecity::audit
