// Hash chains anchored outside the database.
//
// The audit log and the fund's ledger are hash chains: entry n's hash covers
// its content and entry n-1's hash, and a head row holds (n, hash of n). On
// its own that only catches a careless edit: whoever can write to the
// database can change an entry, recompute every later hash and the head, and
// the chain checks out again. So the server signs checkpoints — (chain, seq,
// head hash, time) — with an Ed25519 key that is not in the database, keeps
// them in chain_checkpoints, appends them to a log file and publishes them;
// a chain is then checked against every checkpoint whose signature holds. A
// rewrite of anything a checkpoint covers changes the hash at that
// checkpoint's seq, and deleting the checkpoint rows does not hide it while
// the log file or a published copy remains.
//
// This header is the logic (no I/O); chain_store.h keeps checkpoints in the
// table and the log file. Everything here is thread-compatible plain data.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::audit {

// A signed statement "chain `chain` had `seq` entries and entry `seq`'s hash
// was `head_hash` at `at_ms`".
struct Checkpoint {
  std::string chain;       // "audit", "fund"
  int64_t seq = 0;         // entries covered: 1..seq
  std::string head_hash;   // the hash of entry `seq`
  int64_t at_ms = 0;
  std::string public_key;  // hex Ed25519 key that signed (informative: trust comes from the verifier's keys)
  std::string signature;   // hex Ed25519 signature of CheckpointMessage()
};

// A chain's head row: how many entries it has and the last one's hash.
struct ChainHead {
  int64_t seq = 0;
  std::string hash;
};

// The bytes a checkpoint's signature covers: a versioned, length-prefixed
// encoding of chain, seq, head hash and time.
std::string CheckpointMessage(const Checkpoint& c);

// A checkpoint of (chain, seq, head_hash, at_ms) signed with the Ed25519 key
// grown from `seed` (32 bytes).
Checkpoint SignCheckpoint(std::string chain, int64_t seq, std::string head_hash, int64_t at_ms,
                          const std::string& seed);

// True if `c`'s signature verifies under `public_key_hex`.
bool SignedBy(const Checkpoint& c, std::string_view public_key_hex);

// "1a2b 3c4d 5e6f 7a8b": the first 8 bytes of SHA-256 over the raw public
// key, for people to compare (the web page, the verify report). "" for a
// malformed key.
std::string KeyFingerprint(std::string_view public_key_hex);

// One JSON object: a line of the log file and an item of the API, so a
// saved copy of either can be handed to `verify --checkpoint-log`.
boost::json::object CheckpointObject(const Checkpoint& c);
// CheckpointObject serialised compactly (one line).
std::string CheckpointJson(const Checkpoint& c);
// The checkpoint in `json`, or nullopt if it is not one (missing or
// mistyped fields, not JSON).
std::optional<Checkpoint> ParseCheckpoint(std::string_view json);

// A problem with the checkpoints themselves (not with the chain).
struct CheckpointProblem {
  int64_t seq = 0;      // 0 when not about one checkpoint
  std::string source;   // "table", "log" or ""
  std::string key;      // bad_signature, missing_from_table, malformed_line, no_public_key
  std::string message;  // for people
};

// The checkpoints of one chain that verify can trust, gathered from the
// table and the log file(s).
struct Anchors {
  std::vector<Checkpoint> trusted;  // signature holds under a trusted key; each (seq, hash) once
  int64_t in_table = 0;
  int64_t in_log = 0;
  int64_t only_in_table = 0;        // normal: written by another server, or the log line was lost in a crash
  std::vector<CheckpointProblem> problems;
};

// Judges the checkpoints of `chain` among `table` and `log` (checkpoints of
// every chain, from the database and the log file(s)) under `public_keys`
// (hex). A checkpoint whose signature does not verify is a problem, as is
// one in the log but not in the table (rows deleted), and checkpoints with no
// key to check them by.
Anchors GatherAnchors(std::string_view chain, const std::vector<Checkpoint>& table,
                      const std::vector<Checkpoint>& log,
                      const std::vector<std::string>& public_keys);

// What checking one chain found.
struct ChainReport {
  bool ok = true;
  int64_t checked = 0;                  // entries walked
  std::optional<int64_t> broken_at_id;  // the first entry that is missing or differs
  std::string reason;                   // why, for that entry
  std::vector<std::string> problems;    // every break found (the first kMaxProblems)
  int64_t anchored_seq = 0;             // entries 1..anchored_seq match a signed checkpoint
  int64_t checkpoints_checked = 0;      // signed checkpoints compared with the chain
};

// Checks a chain fed entry by entry in id order: ids 1, 2, 3 … without
// gaps, each prev_hash the previous entry's hash, each stored hash equal to
// the one recomputed from the content, the head row equal to the last entry,
// and the hash at every anchor's seq equal to the anchor's. Records every
// break (the first one as broken_at_id) and carries on from the stored hash.
//
// A rewrite that recomputed the hashes is caught by the first anchor after
// it, and the entry that differs lies between the last anchor that still
// matches and that one: broken_at_id names the first entry of that span, the
// earliest the rewrite can have started (exact when checkpoints are taken
// after every entry).
class ChainChecker {
 public:
  static constexpr size_t kMaxProblems = 20;

  // `anchors`: trusted checkpoints of this chain, any order (copied). To
  // check only the entries after a trusted checkpoint, pass it as `start`:
  // entries are then expected from start->seq + 1 on, linking to
  // start->head_hash.
  explicit ChainChecker(const std::vector<Checkpoint>& anchors, const Checkpoint* start = nullptr);

  // The id after which entries are expected (0, or start.seq).
  int64_t after_id() const { return start_seq_; }

  // One entry: its id, stored prev_hash and hash, and the hash recomputed
  // from its content and stored prev_hash.
  void Add(int64_t id, std::string_view prev_hash, std::string_view hash, std::string_view recomputed);

  // After the last entry: the head row's (seq, hash) read before the walk,
  // in the same snapshot. Also reports anchors past the chain's end.
  void Finish(int64_t head_seq, std::string_view head_hash);

  // The hash of the last entry added ("" before any).
  const std::string& last_hash() const { return prev_; }
  int64_t last_id() const { return expected_ - 1; }
  const ChainReport& report() const { return report_; }

 private:
  void Break(int64_t at_id, std::string reason);

  struct Anchor {
    std::string head_hash;
    int64_t at_ms = 0;
  };
  std::multimap<int64_t, Anchor> anchors_;  // by seq
  int64_t start_seq_ = 0;
  int64_t expected_ = 1;
  int64_t matched_seq_ = 0;  // the last anchor that matched
  std::string prev_;
  ChainReport report_;
};

// One entry of a chain as ChainChecker::Add takes it.
struct ChainLink {
  int64_t id = 0;
  std::string prev_hash;
  std::string hash;
  std::string recomputed;  // the hash recomputed from the entry's content and stored prev_hash
};

// Feeds `checker` every entry after checker.after_id(), page by page in id
// order: `next_page(after_id, limit)` returns up to `limit` entries with ids
// above `after_id` (a shorter page is the last). Then Finish(head): pass
// the head read before the walk, in the same snapshot. Shared by the
// ledgers (the Care Fund's, each village's collective book).
void WalkChainPages(ChainChecker& checker, const ChainHead& head, int page_size,
                    const std::function<std::vector<ChainLink>(int64_t after_id, int limit)>& next_page);

// The SHA-256 (hex) of `fields`, each length-prefixed ("3:abc|"), so no two
// different lists of fields hash alike: the entry hash of a chained ledger.
std::string FieldsHash(const std::vector<std::string>& fields);

}  // namespace carecity::audit
