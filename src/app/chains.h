// The platform's hash chains — the audit log ("audit") and the fund's
// ledger ("fund") — and their signed checkpoints (domains/audit/chain.h):
// signing them (`serve` every few minutes, `carecity checkpoint`), publishing
// them (GET /api/v1/transparency/checkpoints) and checking a chain against
// them (`carecity audit verify`, `carecity fund verify`).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/audit/chain.h"
#include "domains/fund/model.h"
#include "domains/villagebook/model.h"
#include "http/router.h"

namespace carecity::app {

// The chains, in the order they are checkpointed and listed.
inline constexpr std::string_view kAuditChain = "audit";
inline constexpr std::string_view kFundChain = "fund";
inline constexpr std::string_view kChains[] = {kAuditChain, kFundChain};

// kChains, then each village book's chain ("villagebook:<village id>",
// domains/villagebook/model.h), by village: every chain checkpoints cover.
std::vector<std::string> ChainNames(db::Tx& tx);

// The checkpoint signing key's 32-byte seed: [checkpoints] signing_key (or
// CARECITY_CHECKPOINT_KEY), else the key file. A missing file is created
// with a new key when `create`, else the answer is nullopt.
Result<std::optional<std::string>> LoadCheckpointKey(const Config& config, bool create);

// [checkpoints] log_file, or its default beside the database.
std::string CheckpointLogPath(const Config& config);

// What one round of checkpointing did.
struct CheckpointRound {
  std::vector<audit::Checkpoint> written;  // stored (and logged) by this round
  std::vector<Error> errors;               // chain_broken, checkpoint_log_failed
};

// Signs and records checkpoints. Thread-safe: holds only the key and its
// settings; concurrent rounds (here or on another server sharing a
// PostgreSQL database) store at most one checkpoint per chain and seq.
class Checkpointer {
 public:
  // `seed`: the signing key (LoadCheckpointKey). `store` and `clock` must
  // outlive this.
  Checkpointer(db::Store& store, const Clock& clock, std::string seed, std::string log_path, int64_t interval_ms);

  // For each chain that grew past its latest checkpoint (and, unless
  // `force`, whose latest is at least the interval old): checks that the
  // chain still extends that checkpoint, signs the head, stores the
  // checkpoint unless another server stored one for that seq first, and
  // appends what it signed to the log file. A chain that does not extend its
  // latest checkpoint is not signed (error chain_broken, naming the entry):
  // signing it would vouch for the rewrite.
  //
  // The latest checkpoint is never taken on the database's word alone: it is
  // the newest one signed by this key, from the table or from what this
  // server itself signed (remembered, and read back from its own log file
  // at start). So an intruder who deletes the table's checkpoints, or buries
  // them under junk rows, and then rewrites a chain gets chain_broken, not a
  // fresh signature over the forgery. A row at the seq this server meant to
  // sign that does not verify under its key is reported
  // (checkpoint_conflict) and the genuine checkpoint still goes to the log.
  CheckpointRound Run(bool force);

  const std::string& public_key() const { return public_key_; }
  const std::string& log_path() const { return log_path_; }

 private:
  void Remember(const audit::Checkpoint& c);

  db::Store& store_;
  const Clock& clock_;
  std::string seed_;
  std::string public_key_;
  std::string log_path_;
  int64_t interval_ms_;
  // The newest checkpoint of each chain this key is known to have signed,
  // whatever the table now says. Guarded by mu_.
  std::mutex mu_;
  std::map<std::string, audit::Checkpoint, std::less<>> known_;
};

// GET /api/v1/transparency/checkpoints (public): the latest checkpoint of
// each chain and a page of one chain's (or every chain's) checkpoints,
// newest first, with the public key that verifies them.
// Only checkpoints that verify under `public_key` are shown as `latest`.
void RegisterCheckpointRoutes(http::Router& router, db::Store& store, std::string public_key);

// What checking one chain found.
struct ChainVerification {
  audit::Anchors anchors;    // the checkpoints trusted, and problems with them
  audit::ChainReport chain;  // the chain checked against the trusted ones
  fund::VerifyReport fund;   // the books (the fund chain only)
};

// Checks `chain` (kAuditChain, kFundChain) in one snapshot of `store`
// against its checkpoints in the table and in `logged` (read from log
// files), trusting those signed by one of `public_keys` (hex). Read-only.
// Throws db::DbError (a database without the schema, say).
ChainVerification VerifyChain(db::Store& store, std::string_view chain, const std::vector<audit::Checkpoint>& logged,
                              const std::vector<std::string>& public_keys);

// What `verify` trusts and reads.
struct VerifyOptions {
  // Hex Ed25519 public keys (--public-key). Empty: the keys in
  // public_key_file, else the one derived from the configured signing key.
  std::vector<std::string> public_keys;
  std::string public_key_file;            // one hex key per line
  std::vector<std::string> logs;          // checkpoint logs; empty: CheckpointLogPath
};

// `carecity audit verify` / `carecity fund verify`: opens the database read
// only (no migration, no writes, no data key, no files created), reads the
// chain, its head and its stored checkpoints in one snapshot, checks it
// against every trusted checkpoint from the table and the log file(s),
// prints one JSON object and returns the exit code: 0 intact, 1 broken or a
// checkpoint problem (bad signature, deleted from the table, no key to check
// it by). `chain` is kAuditChain or kFundChain. Errors (a bad key or URL, an
// unreadable log, a database without the schema) print nothing.
Result<int> RunVerify(const Config& config, std::string_view chain, const VerifyOptions& options);

// What checking every village book found (`carecity books verify`).
struct BooksVerification {
  audit::Anchors anchors;              // the village chains' checkpoints trusted (all chains together), and problems
  villagebook::VerifyReport books;     // each book against its own chain's trusted checkpoints
  std::vector<int64_t> missing_books;  // villages whose book is gone though trusted checkpoints cover it
};

// Checks every village book in one snapshot of `store` against its
// checkpoints in the table and in `logged`, trusting those signed by one of
// `public_keys`. Read-only. Throws db::DbError.
BooksVerification VerifyBooks(db::Store& store, const std::vector<audit::Checkpoint>& logged,
                              const std::vector<std::string>& public_keys);

// `carecity books verify`: RunVerify for every village's collective book —
// each entry balances, each balance equals its lines, no line on another
// village's account, each book's chain intact against its signed
// checkpoints. Prints one JSON object; returns 0 if all hold, else 1.
Result<int> RunBooksVerify(const Config& config, const VerifyOptions& options);

}  // namespace carecity::app
