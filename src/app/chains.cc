#include "app/chains.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <set>

#include "app/keys.h"
#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "domains/audit/chain_store.h"
#include "domains/audit/service.h"
#include "domains/fund/ledger.h"
#include "domains/villagebook/ledger.h"
#include "domains/villagebook/repo.h"
#include "http/json.h"

namespace carecity::app {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::Request;
using http::Response;

// The newest stored checkpoints a round looks through for one it signed.
constexpr int kLatestScan = 20;
constexpr int64_t kDefaultPage = 20;
constexpr int64_t kMaxPage = 200;

// A fixed chain, or a village book's (which may not exist yet: its list is empty).
bool IsChain(std::string_view name) {
  return std::find(std::begin(kChains), std::end(kChains), name) != std::end(kChains) ||
         villagebook::VillageOfChain(name).has_value();
}

audit::ChainHead HeadOf(db::Tx& tx, std::string_view chain) {
  if (auto village = villagebook::VillageOfChain(chain)) {
    return villagebook::ledger::Head(tx, *village);
  }
  return chain == kAuditChain ? audit::Head(tx) : fund::ledger::Head(tx);
}

audit::ChainReport CheckOf(db::Tx& tx, std::string_view chain, const audit::Checkpoint* start) {
  if (auto village = villagebook::VillageOfChain(chain)) {
    return villagebook::ledger::CheckChain(tx, *village, {}, start);
  }
  return chain == kAuditChain ? audit::CheckChain(tx, {}, start) : fund::ledger::CheckChain(tx, {}, start);
}

// The newest checkpoint of `chain` signed by `public_key` (junk rows without
// a valid signature are passed over, however many there are).
std::optional<audit::Checkpoint> LatestSigned(db::Tx& tx, std::string_view chain, const std::string& public_key) {
  int64_t before = 0;
  for (;;) {
    auto page = audit::ListCheckpoints(tx, chain, before, kLatestScan);
    for (audit::Checkpoint& c : page) {
      if (audit::SignedBy(c, public_key)) {
        return std::move(c);
      }
    }
    if (static_cast<int>(page.size()) < kLatestScan) {
      return std::nullopt;
    }
    before = page.back().seq;
  }
}

json::value LatestJson(db::Tx& tx, std::string_view chain, const std::string& public_key) {
  const auto latest = LatestSigned(tx, chain, public_key);
  return latest ? json::value(audit::CheckpointObject(*latest)) : json::value(nullptr);
}

json::object ProblemJson(const audit::CheckpointProblem& p) {
  return json::object{{"seq", p.seq}, {"source", p.source}, {"problem", p.key}, {"message", p.message}};
}

// The public keys verify trusts: given on the command line, else in a file,
// else the configured signing key's.
Result<std::vector<std::string>> TrustedKeys(const Config& config, const VerifyOptions& options) {
  std::vector<std::string> keys = options.public_keys;
  if (keys.empty() && !options.public_key_file.empty()) {
    std::ifstream in(options.public_key_file);
    if (!in) {
      return Error::Invalid("invalid_value", "public-key-file", "cannot read " + options.public_key_file);
    }
    for (std::string line; std::getline(in, line);) {
      if (std::string key = Trim(line); !key.empty()) {
        keys.push_back(std::move(key));
      }
    }
  }
  for (const std::string& k : keys) {
    if (!ParseDataKey(k)) {
      return Error::Invalid("invalid_value", "public-key", "an Ed25519 public key is 64 hex characters: " + k);
    }
  }
  if (keys.empty()) {
    auto seed = LoadCheckpointKey(config, false);
    if (!seed.ok()) {
      return std::move(seed).error();
    }
    if (*seed) {
      keys.push_back(SigningPublicKeyHex(**seed));
    }
  }
  return keys;
}

}  // namespace

std::vector<std::string> ChainNames(db::Tx& tx) {
  std::vector<std::string> names(std::begin(kChains), std::end(kChains));
  for (const villagebook::Book& b : villagebook::repo::ListBooks(tx)) {
    names.push_back(villagebook::ChainName(b.village_id));
  }
  return names;
}

Result<std::optional<std::string>> LoadCheckpointKey(const Config& config, bool create) {
  const CheckpointConfig& c = config.checkpoints;
  return LoadKey({c.signing_key,
                  c.signing_key_file.empty()
                      ? BesideDatabase(config.db_url, ".checkpoint.key", "carecity-checkpoint.key")
                      : c.signing_key_file,
                  "checkpoints.signing_key", "checkpoints.signing_key_file", "checkpoint signing key"},
                 create);
}

std::string CheckpointLogPath(const Config& config) {
  return config.checkpoints.log_file.empty()
             ? BesideDatabase(config.db_url, ".checkpoints.jsonl", "carecity-checkpoints.jsonl")
             : config.checkpoints.log_file;
}

Checkpointer::Checkpointer(db::Store& store, const Clock& clock, std::string seed, std::string log_path,
                           int64_t interval_ms)
    : store_(store),
      clock_(clock),
      seed_(std::move(seed)),
      public_key_(SigningPublicKeyHex(seed_)),
      log_path_(std::move(log_path)),
      interval_ms_(interval_ms) {
  // What this server signed before it restarted: its own log file.
  auto log = audit::ReadCheckpointLog(log_path_);
  if (log.ok()) {
    for (audit::Checkpoint& c : log->checkpoints) {
      auto it = known_.find(c.chain);
      if (audit::SignedBy(c, public_key_) && (it == known_.end() || it->second.seq < c.seq)) {
        known_[c.chain] = std::move(c);
      }
    }
  }
}

CheckpointRound Checkpointer::Run(bool force) {
  CheckpointRound round;
  const int64_t now = clock_.NowMs();
  const std::vector<std::string> chains = db::ReadSync(store_, [](db::Tx& tx) { return ChainNames(tx); });
  for (std::string_view chain : chains) {
    struct Plan {
      bool due = false;
      audit::ChainHead head;
      audit::ChainReport check;
    };
    // One snapshot: the head and the entries since the last checkpoint agree.
    std::optional<audit::Checkpoint> known;
    {
      std::lock_guard lock(mu_);
      if (auto it = known_.find(chain); it != known_.end()) {
        known = it->second;
      }
    }
    const Plan plan = db::SnapshotReadSync(store_, [&](db::Tx& tx) {
      Plan p;
      std::optional<audit::Checkpoint> latest = LatestSigned(tx, chain, public_key_);
      if (known && (!latest || latest->seq < known->seq)) {
        latest = known;  // the table lost (or never had) what this server signed: trust what it knows
      }
      p.head = HeadOf(tx, chain);
      const int64_t covered = latest ? latest->seq : 0;
      if (p.head.seq == covered || (!force && latest && p.head.seq > covered && now - latest->at_ms < interval_ms_)) {
        return p;
      }
      p.due = true;
      p.check = CheckOf(tx, chain, latest ? &*latest : nullptr);
      return p;
    });
    if (!plan.due) {
      continue;
    }
    if (!plan.check.ok) {
      round.errors.push_back(Error{ErrorCode::kConflict, "chain_broken", std::string(chain), plan.check.reason});
      continue;
    }
    const audit::Checkpoint c = audit::SignCheckpoint(std::string(chain), plan.head.seq, plan.head.hash, now, seed_);
    if (!db::WriteSync(store_, [&c](db::Tx& tx) { return audit::InsertCheckpoint(tx, c); })) {
      // Another server signed this seq first — or a row that is not ours
      // sits there. Ours is genuine either way: keep it in the log.
      const auto there = db::ReadSync(store_, [&](db::Tx& tx) {
        auto rows = audit::ListCheckpoints(tx, chain, c.seq + 1, 1);
        return rows.empty() || rows.front().seq != c.seq ? std::optional<audit::Checkpoint>() : rows.front();
      });
      if (there && audit::SignedBy(*there, public_key_) && there->head_hash == c.head_hash) {
        Remember(*there);
        continue;
      }
      round.errors.push_back(Error{ErrorCode::kConflict, "checkpoint_conflict", std::string(chain),
                                   fmt::format("the stored checkpoint at seq {} is not signed by this key", c.seq)});
      if (auto logged = audit::AppendCheckpointLog(log_path_, c); !logged.ok()) {
        round.errors.push_back(logged.error());
      }
      Remember(c);
      continue;
    }
    if (auto logged = audit::AppendCheckpointLog(log_path_, c); !logged.ok()) {
      round.errors.push_back(logged.error());
    }
    Remember(c);
    round.written.push_back(c);
  }
  return round;
}

void Checkpointer::Remember(const audit::Checkpoint& c) {
  std::lock_guard lock(mu_);
  auto it = known_.find(c.chain);
  if (it == known_.end() || it->second.seq < c.seq) {
    known_[c.chain] = c;
  }
}

void RegisterCheckpointRoutes(http::Router& router, db::Store& store, std::string public_key) {
  router.Add("GET", "/api/v1/transparency/checkpoints",
             [&store, key = std::move(public_key)](Request& req) -> awaitable<Response> {
               std::string chain;
               if (auto c = req.Query("chain"); c && !c->empty()) {
                 if (!IsChain(*c)) {
                   co_return http::Err(Error::Invalid("invalid_value", "chain", "audit, fund or villagebook:ID"), req);
                 }
                 chain = *c;
               }
               auto cursor = http::QueryId(req, "cursor");
               if (!cursor.ok()) {
                 co_return http::Err(cursor.error(), req);
               }
               if (*cursor && chain.empty()) {
                 co_return http::Err(Error::Invalid("invalid_value", "cursor", "a cursor pages one chain"), req);
               }
               auto limit = http::QueryId(req, "limit");
               if (!limit.ok()) {
                 co_return http::Err(limit.error(), req);
               }
               if (*limit && **limit > kMaxPage) {
                 co_return http::Err(Error::Invalid("out_of_range", "limit"), req);
               }
               const int page = static_cast<int>(limit->value_or(kDefaultPage));
               const int64_t before = cursor->value_or(0);
               auto r = co_await db::ReadTx(store, [&](db::Tx& tx) -> Result<json::object> {
                 json::object latest;
                 json::array items;
                 for (const std::string& name : ChainNames(tx)) {
                   latest[name] = LatestJson(tx, name, key);
                   if (chain.empty() || chain == name) {
                     for (const audit::Checkpoint& c : audit::ListCheckpoints(tx, name, before, page)) {
                       items.push_back(audit::CheckpointObject(c));
                     }
                   }
                 }
                 json::value next = nullptr;
                 if (!chain.empty() && static_cast<int>(items.size()) == page) {
                   next = std::to_string(items.back().as_object().at("seq").as_int64());
                 }
                 return json::object{{"latest", std::move(latest)}, {"checkpoints", std::move(items)},
                                     {"next_cursor", std::move(next)}};
               });
               if (!r.ok()) {
                 co_return http::Err(r.error(), req);
               }
               json::object body = std::move(r).value();
               body["algorithm"] = "ed25519";
               body["public_key"] = key;
               body["public_key_fingerprint"] = audit::KeyFingerprint(key);
               co_return http::JsonResponse(200, body);
             });
}

ChainVerification VerifyChain(db::Store& store, std::string_view chain, const std::vector<audit::Checkpoint>& logged,
                              const std::vector<std::string>& public_keys) {
  return db::SnapshotReadSync(store, [&](db::Tx& tx) {
    ChainVerification v;
    const auto table = audit::CheckpointTableExists(tx) ? audit::AllCheckpoints(tx) : std::vector<audit::Checkpoint>{};
    v.anchors = audit::GatherAnchors(chain, table, logged, public_keys);
    if (chain == kAuditChain) {
      v.chain = audit::Verify(tx, v.anchors.trusted);
    } else {
      v.fund = fund::ledger::Verify(tx, v.anchors.trusted);
      v.chain = v.fund.chain;
    }
    return v;
  });
}

namespace {

// The checkpoint log file(s) verify reads: the anchor an intruder in the
// database cannot reach.
struct LoggedCheckpoints {
  std::vector<audit::Checkpoint> checkpoints;
  std::vector<audit::CheckpointProblem> problems;  // malformed lines
  json::array logs;                                // {path, exists, checkpoints} each
};

Result<LoggedCheckpoints> ReadLogs(const Config& config, const VerifyOptions& options) {
  LoggedCheckpoints out;
  for (const std::string& path : options.logs.empty() ? std::vector{CheckpointLogPath(config)} : options.logs) {
    auto log = audit::ReadCheckpointLog(path);
    if (!log.ok()) {
      return std::move(log).error();
    }
    for (int64_t line : log->bad_lines) {
      out.problems.push_back(
          {0, "log", "malformed_line", fmt::format("line {} of {} is not a checkpoint", line, path)});
    }
    out.logs.push_back(json::object{{"path", path}, {"exists", log->exists},
                                    {"checkpoints", static_cast<int64_t>(log->checkpoints.size())}});
    out.checkpoints.insert(out.checkpoints.end(), log->checkpoints.begin(), log->checkpoints.end());
  }
  return out;
}

// What a verify command gathered: the trusted keys, the log file(s) and what
// `verify` found in the database.
template <class T>
struct Gathered {
  std::vector<std::string> keys;
  LoggedCheckpoints logged;
  T found;
};

// The trusted keys and the logs, then `verify(store, logged checkpoints,
// keys)` on a read-only store of config.db_url (no migration, no writes),
// closed after. Errors: TrustedKeys', ReadLogs', the store's,
// database_unavailable.
template <class T>
Result<Gathered<T>> GatherReadOnly(
    const Config& config, const VerifyOptions& options,
    const std::function<T(db::Store&, const std::vector<audit::Checkpoint>&, const std::vector<std::string>&)>& verify) {
  Gathered<T> g;
  CC_ASSIGN_OR_RETURN(g.keys, TrustedKeys(config, options));
  CC_ASSIGN_OR_RETURN(g.logged, ReadLogs(config, options));
  db::StoreOptions so;
  so.read_connections = 1;
  so.read_only = true;
  auto store = db::OpenStore(config.db_url, so);
  if (!store.ok()) {
    return std::move(store).error();
  }
  try {
    g.found = verify(**store, g.logged.checkpoints, g.keys);
    (*store)->Close();
    return g;
  } catch (const db::DbError& e) {
    (*store)->Close();
    return Error{ErrorCode::kUnavailable, "database_unavailable", "db", e.what()};
  }
}

// The "checkpoints" object of verify's report.
json::object CheckpointsJson(int64_t checked, const audit::Anchors& anchors, const std::vector<std::string>& keys,
                             json::array logs, const std::vector<audit::CheckpointProblem>& problems) {
  json::array trusted_keys;
  for (const std::string& k : keys) {
    trusted_keys.push_back(json::object{{"public_key", k}, {"fingerprint", audit::KeyFingerprint(k)}});
  }
  json::array checkpoint_problems;
  for (const audit::CheckpointProblem& p : problems) {
    checkpoint_problems.push_back(ProblemJson(p));
  }
  return json::object{{"checked", checked},
                      {"trusted", static_cast<int64_t>(anchors.trusted.size())},
                      {"in_table", anchors.in_table},
                      {"in_log", anchors.in_log},
                      {"only_in_table", anchors.only_in_table},
                      {"public_keys", std::move(trusted_keys)},
                      {"logs", std::move(logs)},
                      {"problems", std::move(checkpoint_problems)}};
}

json::array StringsJson(const std::vector<std::string>& v) {
  json::array out;
  for (const std::string& s : v) {
    out.emplace_back(s);
  }
  return out;
}

}  // namespace

Result<int> RunVerify(const Config& config, std::string_view chain, const VerifyOptions& options) {
  CC_ASSIGN_OR_RETURN(Gathered<ChainVerification> g,
                      GatherReadOnly<ChainVerification>(config, options, [chain](db::Store& store, const auto& logged,
                                                                                 const auto& keys) {
                        return VerifyChain(store, chain, logged, keys);
                      }));
  const ChainVerification& o = g.found;
  const std::vector<std::string>& keys = g.keys;
  LoggedCheckpoints& logged = g.logged;
  const audit::ChainReport& r = o.chain;
  std::vector<audit::CheckpointProblem> problems = std::move(logged.problems);
  problems.insert(problems.end(), o.anchors.problems.begin(), o.anchors.problems.end());
  json::object out;
  if (chain == kAuditChain) {
    out = json::object{{"ok", r.ok && problems.empty()}, {"checked", r.checked}, {"problems", StringsJson(r.problems)}};
  } else {
    out = json::object{{"ok", o.fund.ok && problems.empty()},
                       {"entries", o.fund.entries},
                       {"accounts", o.fund.accounts},
                       {"problems", StringsJson(o.fund.problems)}};
  }
  if (r.broken_at_id) {
    out["broken_at_id"] = *r.broken_at_id;
    out["reason"] = r.reason;
  }
  out["anchored_seq"] = r.anchored_seq;
  out["checkpoints"] = CheckpointsJson(r.checkpoints_checked, o.anchors, keys, std::move(logged.logs), problems);
  std::printf("%s\n", json::serialize(out).c_str());
  return out.at("ok").as_bool() ? 0 : 1;
}

BooksVerification VerifyBooks(db::Store& store, const std::vector<audit::Checkpoint>& logged,
                              const std::vector<std::string>& public_keys) {
  return db::SnapshotReadSync(store, [&](db::Tx& tx) {
    BooksVerification v;
    const auto table = audit::CheckpointTableExists(tx) ? audit::AllCheckpoints(tx) : std::vector<audit::Checkpoint>{};
    // Every book's chain, and every village chain a checkpoint names: a
    // checkpointed book that is gone is a fault, not nothing to check.
    std::set<int64_t> villages;
    for (const villagebook::Book& b : villagebook::repo::ListBooks(tx)) {
      villages.insert(b.village_id);
    }
    std::set<int64_t> books = villages;
    for (const auto* list : {&table, &logged}) {
      for (const audit::Checkpoint& c : *list) {
        if (auto village = villagebook::VillageOfChain(c.chain)) {
          villages.insert(*village);
        }
      }
    }
    for (int64_t village : villages) {
      const audit::Anchors a = audit::GatherAnchors(villagebook::ChainName(village), table, logged, public_keys);
      v.anchors.trusted.insert(v.anchors.trusted.end(), a.trusted.begin(), a.trusted.end());
      v.anchors.in_table += a.in_table;
      v.anchors.in_log += a.in_log;
      v.anchors.only_in_table += a.only_in_table;
      v.anchors.problems.insert(v.anchors.problems.end(), a.problems.begin(), a.problems.end());
      if (!books.count(village) && !a.trusted.empty()) {
        v.missing_books.push_back(village);
      }
    }
    v.books = villagebook::ledger::VerifyAll(tx, v.anchors.trusted);
    return v;
  });
}

Result<int> RunBooksVerify(const Config& config, const VerifyOptions& options) {
  CC_ASSIGN_OR_RETURN(Gathered<BooksVerification> g,
                      GatherReadOnly<BooksVerification>(config, options, [](db::Store& store, const auto& logged,
                                                                            const auto& keys) {
                        return VerifyBooks(store, logged, keys);
                      }));
  const BooksVerification& o = g.found;
  const std::vector<std::string>& keys = g.keys;
  LoggedCheckpoints& logged = g.logged;
  std::vector<audit::CheckpointProblem> problems = std::move(logged.problems);
  problems.insert(problems.end(), o.anchors.problems.begin(), o.anchors.problems.end());
  std::vector<std::string> found = o.books.problems;
  for (int64_t village : o.missing_books) {
    found.push_back(fmt::format("village {}: its book is gone but signed checkpoints cover it", village));
  }
  int64_t checked = 0;
  json::array villages;
  for (const villagebook::BookReport& b : o.books.reports) {
    checked += b.chain.checkpoints_checked;
    json::object one{{"village_id", b.village_id}, {"village_name", b.village_name}, {"ok", b.ok},
                     {"entries", b.entries},       {"accounts", b.accounts},         {"anchored_seq", b.chain.anchored_seq}};
    if (b.chain.broken_at_id) {
      one["broken_at_seq"] = *b.chain.broken_at_id;
      one["reason"] = b.chain.reason;
    }
    villages.push_back(std::move(one));
  }
  json::object out{{"ok", o.books.ok && o.missing_books.empty() && problems.empty()},
                   {"books", o.books.books},
                   {"entries", o.books.entries},
                   {"accounts", o.books.accounts},
                   {"problems", StringsJson(found)},
                   {"villages", std::move(villages)}};
  out["checkpoints"] = CheckpointsJson(checked, o.anchors, keys, std::move(logged.logs), problems);
  std::printf("%s\n", json::serialize(out).c_str());
  return out.at("ok").as_bool() ? 0 : 1;
}

}  // namespace carecity::app
