#include "domains/audit/chain.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <tuple>

#include "core/crypto.h"

namespace carecity::audit {
namespace {

namespace json = boost::json;

constexpr std::string_view kMessageVersion = "carecity.checkpoint.v1";
constexpr size_t kFingerprintBytes = 8;

std::string Utc(int64_t at_ms) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", std::chrono::sys_seconds(std::chrono::seconds(at_ms / 1000)));
}

// Identity of a checkpoint as written: two copies of one checkpoint agree on all of it.
auto Identity(const Checkpoint& c) { return std::tie(c.seq, c.head_hash, c.at_ms, c.signature); }

}  // namespace

std::string CheckpointMessage(const Checkpoint& c) {
  std::string buf;
  const auto add = [&buf](std::string_view s) { buf += fmt::format("{}:{}|", s.size(), s); };
  add(kMessageVersion);
  add(c.chain);
  add(std::to_string(c.seq));
  add(c.head_hash);
  add(std::to_string(c.at_ms));
  return buf;
}

Checkpoint SignCheckpoint(std::string chain, int64_t seq, std::string head_hash, int64_t at_ms,
                          const std::string& seed) {
  Checkpoint c;
  c.chain = std::move(chain);
  c.seq = seq;
  c.head_hash = std::move(head_hash);
  c.at_ms = at_ms;
  c.public_key = SigningPublicKeyHex(seed);
  c.signature = SignHex(seed, CheckpointMessage(c));
  return c;
}

bool SignedBy(const Checkpoint& c, std::string_view public_key_hex) {
  return VerifySignatureHex(public_key_hex, CheckpointMessage(c), c.signature);
}

std::string KeyFingerprint(std::string_view public_key_hex) {
  const auto raw = ParseDataKey(public_key_hex);  // an Ed25519 public key is 32 bytes too
  if (!raw) {
    return {};
  }
  const std::string digest = Sha256Hex(*raw);
  std::string out;
  for (size_t i = 0; i < 2 * kFingerprintBytes; i += 4) {
    if (!out.empty()) {
      out += ' ';
    }
    out += digest.substr(i, 4);
  }
  return out;
}

json::object CheckpointObject(const Checkpoint& c) {
  return json::object{{"chain", c.chain},       {"seq", c.seq},
                      {"head_hash", c.head_hash}, {"at_ms", c.at_ms},
                      {"public_key", c.public_key}, {"signature", c.signature}};
}

std::string CheckpointJson(const Checkpoint& c) { return json::serialize(CheckpointObject(c)); }

std::optional<Checkpoint> ParseCheckpoint(std::string_view text) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return std::nullopt;
  }
  const json::object& o = v.get_object();
  const auto str = [&o](const char* key) -> const json::string* {
    const json::value* f = o.if_contains(key);
    return f != nullptr ? f->if_string() : nullptr;
  };
  const auto num = [&o](const char* key) -> std::optional<int64_t> {
    const json::value* f = o.if_contains(key);
    if (f != nullptr && f->is_int64()) {
      return f->get_int64();
    }
    if (f != nullptr && f->is_uint64() && f->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
      return static_cast<int64_t>(f->get_uint64());
    }
    return std::nullopt;
  };
  const auto* chain = str("chain");
  const auto* head = str("head_hash");
  const auto* key = str("public_key");
  const auto* sig = str("signature");
  const auto seq = num("seq");
  const auto at = num("at_ms");
  if (chain == nullptr || head == nullptr || key == nullptr || sig == nullptr || !seq || !at || *seq <= 0) {
    return std::nullopt;
  }
  return Checkpoint{std::string(*chain), *seq, std::string(*head), *at, std::string(*key), std::string(*sig)};
}

Anchors GatherAnchors(std::string_view chain, const std::vector<Checkpoint>& table,
                      const std::vector<Checkpoint>& log, const std::vector<std::string>& public_keys) {
  Anchors a;
  using Ids = std::set<std::tuple<int64_t, std::string, int64_t, std::string>>;
  const auto ids_of = [chain](const std::vector<Checkpoint>& list) {
    Ids ids;
    for (const Checkpoint& c : list) {
      if (c.chain == chain) {
        ids.insert(Identity(c));
      }
    }
    return ids;
  };
  const Ids in_table = ids_of(table);
  const Ids in_log = ids_of(log);
  std::set<std::pair<int64_t, std::string>> kept;
  // Judges the checkpoints of one source; returns those whose signature holds.
  const auto judge = [&](const std::vector<Checkpoint>& list, const char* source, const char* where) {
    std::vector<const Checkpoint*> good;
    for (const Checkpoint& c : list) {
      if (c.chain != chain || public_keys.empty()) {
        continue;
      }
      const bool signed_by_trusted_key =
          std::any_of(public_keys.begin(), public_keys.end(), [&c](const std::string& k) { return SignedBy(c, k); });
      if (!signed_by_trusted_key) {
        a.problems.push_back({c.seq, source, "bad_signature",
                              fmt::format("the checkpoint at seq {} in {} does not carry a valid signature of a "
                                          "trusted key (forged or altered)",
                                          c.seq, where)});
        continue;
      }
      if (kept.emplace(c.seq, c.head_hash).second) {
        a.trusted.push_back(c);
      }
      good.push_back(&c);
    }
    return good;
  };
  for (const Checkpoint* c : judge(table, "table", "the table")) {
    a.only_in_table += in_log.contains(Identity(*c)) ? 0 : 1;
  }
  for (const Checkpoint* c : judge(log, "log", "the log file")) {
    if (!in_table.contains(Identity(*c))) {
      a.problems.push_back({c->seq, "log", "missing_from_table",
                            fmt::format("the checkpoint at seq {} signed {} is in the log file but not in the "
                                        "database (deleted from chain_checkpoints?)",
                                        c->seq, Utc(c->at_ms))});
    }
  }
  const auto of_chain = [chain](const Checkpoint& c) { return c.chain == chain; };
  a.in_table = std::count_if(table.begin(), table.end(), of_chain);
  a.in_log = std::count_if(log.begin(), log.end(), of_chain);
  if (public_keys.empty() && a.in_table + a.in_log > 0) {
    a.problems.push_back({0, "", "no_public_key",
                          fmt::format("{} checkpoint(s) cannot be checked without the public key: configure the "
                                      "signing key ([checkpoints] signing_key or signing_key_file, or "
                                      "CARECITY_CHECKPOINT_KEY) or give --public-key",
                                      a.in_table + a.in_log)});
  }
  return a;
}

ChainChecker::ChainChecker(const std::vector<Checkpoint>& anchors, const Checkpoint* start) {
  for (const Checkpoint& c : anchors) {
    anchors_.emplace(c.seq, Anchor{c.head_hash, c.at_ms});
  }
  if (start != nullptr) {
    start_seq_ = start->seq;
    expected_ = start->seq + 1;
    matched_seq_ = start->seq;
    prev_ = start->head_hash;
    report_.anchored_seq = start->seq;
  }
}

void ChainChecker::Break(int64_t at_id, std::string reason) {
  if (report_.ok) {
    report_.ok = false;
    report_.broken_at_id = at_id;
    report_.reason = reason;
  }
  if (report_.problems.size() < kMaxProblems) {
    report_.problems.push_back(std::move(reason));
  }
}

void ChainChecker::Add(int64_t id, std::string_view prev_hash, std::string_view hash, std::string_view recomputed) {
  if (id != expected_) {
    Break(expected_, id > expected_ ? fmt::format("entry {} is missing (found {} next)", expected_, id)
                                    : fmt::format("entry {} appears out of order", id));
  }
  if (prev_hash != prev_) {
    Break(id, fmt::format("entry {}: prev_hash does not match the previous entry's hash", id));
  }
  if (recomputed != hash) {
    Break(id, fmt::format("entry {}: content does not match its hash", id));
  }
  for (auto [it, end] = anchors_.equal_range(id); it != end; ++it) {
    ++report_.checkpoints_checked;
    if (it->second.head_hash != hash) {
      Break(matched_seq_ + 1,
            fmt::format("entries {}..{} differ from the checkpoint at seq {} signed {}: rewritten after it was "
                        "signed (the hashes were recomputed, so the first changed entry is in this range)",
                        matched_seq_ + 1, id, id, Utc(it->second.at_ms)));
    } else if (report_.ok) {
      matched_seq_ = id;
      report_.anchored_seq = id;
    }
  }
  prev_ = std::string(hash);
  expected_ = id + 1;
  ++report_.checked;
}

void ChainChecker::Finish(int64_t head_seq, std::string_view head_hash) {
  const int64_t last = expected_ - 1;
  if (head_seq != last || head_hash != prev_) {
    Break(std::min(head_seq, last) + 1,
          head_seq > last ? fmt::format("the chain head counts {} entries but the chain ends at {} (entries removed "
                                        "from the end?)",
                                        head_seq, last)
                          : fmt::format("the chain head does not match entry {} (entries added or changed at the "
                                        "end without the head?)",
                                        last));
  }
  // Checkpoints past the end: entries they covered are gone, whatever the head says.
  for (auto it = anchors_.upper_bound(last); it != anchors_.end(); ++it) {
    ++report_.checkpoints_checked;
    Break(last + 1, fmt::format("entry {} is missing: the checkpoint at seq {} signed {} covers {} entries but the "
                                "chain has {} (truncated?)",
                                last + 1, it->first, Utc(it->second.at_ms), it->first, last));
  }
}

void WalkChainPages(ChainChecker& checker, const ChainHead& head, int page_size,
                    const std::function<std::vector<ChainLink>(int64_t after_id, int limit)>& next_page) {
  int64_t after = checker.after_id();
  for (;;) {
    const std::vector<ChainLink> page = next_page(after, page_size);
    for (const ChainLink& l : page) {
      checker.Add(l.id, l.prev_hash, l.hash, l.recomputed);
      after = l.id;
    }
    if (page.size() < static_cast<size_t>(page_size)) {
      break;
    }
  }
  checker.Finish(head.seq, head.hash);
}

std::string FieldsHash(const std::vector<std::string>& fields) {
  std::string buf;
  for (const std::string& f : fields) {
    buf += fmt::format("{}:{}|", f.size(), f);
  }
  return Sha256Hex(buf);
}

}  // namespace carecity::audit
