#include "app/chains.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "app/keys.h"
#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "domains/audit/chain_store.h"
#include "domains/audit/service.h"
#include "domains/fund/ledger.h"
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

bool IsChain(std::string_view name) { return std::find(std::begin(kChains), std::end(kChains), name) != std::end(kChains); }

audit::ChainHead HeadOf(db::Tx& tx, std::string_view chain) {
  return chain == kAuditChain ? audit::Head(tx) : fund::ledger::Head(tx);
}

audit::ChainReport CheckOf(db::Tx& tx, std::string_view chain, const audit::Checkpoint* start) {
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
  for (std::string_view chain : kChains) {
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
                   co_return http::Err(Error::Invalid("invalid_value", "chain", "audit or fund"), req);
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
                 for (std::string_view name : kChains) {
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

Result<int> RunVerify(const Config& config, std::string_view chain, const VerifyOptions& options) {
  auto keys = TrustedKeys(config, options);
  if (!keys.ok()) {
    return std::move(keys).error();
  }
  // The log file(s): the anchor an intruder in the database cannot reach.
  std::vector<audit::Checkpoint> logged;
  std::vector<audit::CheckpointProblem> log_problems;
  json::array logs;
  for (const std::string& path : options.logs.empty() ? std::vector{CheckpointLogPath(config)} : options.logs) {
    auto log = audit::ReadCheckpointLog(path);
    if (!log.ok()) {
      return std::move(log).error();
    }
    for (int64_t line : log->bad_lines) {
      log_problems.push_back(
          {0, "log", "malformed_line", fmt::format("line {} of {} is not a checkpoint", line, path)});
    }
    logs.push_back(json::object{{"path", path}, {"exists", log->exists},
                                {"checkpoints", static_cast<int64_t>(log->checkpoints.size())}});
    logged.insert(logged.end(), log->checkpoints.begin(), log->checkpoints.end());
  }

  db::StoreOptions so;
  so.read_connections = 1;
  so.read_only = true;
  auto store = db::OpenStore(config.db_url, so);
  if (!store.ok()) {
    return std::move(store).error();
  }
  ChainVerification o;
  try {
    o = VerifyChain(**store, chain, logged, *keys);
  } catch (const db::DbError& e) {
    (*store)->Close();
    return Error{ErrorCode::kUnavailable, "database_unavailable", "db", e.what()};
  }
  (*store)->Close();

  const audit::ChainReport& r = o.chain;
  std::vector<audit::CheckpointProblem> problems = std::move(log_problems);
  problems.insert(problems.end(), o.anchors.problems.begin(), o.anchors.problems.end());
  json::object out;
  if (chain == kAuditChain) {
    json::array breaks;
    for (const std::string& p : r.problems) {
      breaks.emplace_back(p);
    }
    out = json::object{{"ok", r.ok && problems.empty()}, {"checked", r.checked}, {"problems", std::move(breaks)}};
  } else {
    json::array found;
    for (const std::string& p : o.fund.problems) {
      found.emplace_back(p);
    }
    out = json::object{{"ok", o.fund.ok && problems.empty()},
                       {"entries", o.fund.entries},
                       {"accounts", o.fund.accounts},
                       {"problems", std::move(found)}};
  }
  if (r.broken_at_id) {
    out["broken_at_id"] = *r.broken_at_id;
    out["reason"] = r.reason;
  }
  out["anchored_seq"] = r.anchored_seq;
  json::array trusted_keys;
  for (const std::string& k : *keys) {
    trusted_keys.push_back(json::object{{"public_key", k}, {"fingerprint", audit::KeyFingerprint(k)}});
  }
  json::array checkpoint_problems;
  for (const audit::CheckpointProblem& p : problems) {
    checkpoint_problems.push_back(ProblemJson(p));
  }
  out["checkpoints"] = json::object{{"checked", r.checkpoints_checked},
                                    {"trusted", static_cast<int64_t>(o.anchors.trusted.size())},
                                    {"in_table", o.anchors.in_table},
                                    {"in_log", o.anchors.in_log},
                                    {"only_in_table", o.anchors.only_in_table},
                                    {"public_keys", std::move(trusted_keys)},
                                    {"logs", std::move(logs)},
                                    {"problems", std::move(checkpoint_problems)}};
  std::printf("%s\n", json::serialize(out).c_str());
  return out.at("ok").as_bool() ? 0 : 1;
}

}  // namespace carecity::app
