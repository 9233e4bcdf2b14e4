#include "domains/audit/service.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/crypto.h"

namespace carecity::audit {

std::string ChainHash(const Entry& e) {
  // Length-prefixed fields, so no field boundary can be shifted unnoticed.
  std::string buf;
  const auto add = [&buf](std::string_view s) { buf += fmt::format("{}:{}|", s.size(), s); };
  add(std::to_string(e.id));
  add(std::to_string(e.at_ms));
  add(e.actor_user_id ? std::to_string(*e.actor_user_id) : "");
  add(e.action);
  add(e.target_type);
  add(e.target_id);
  add(e.detail_json);
  add(e.ip);
  add(e.prev_hash);
  return Sha256Hex(buf);
}

int64_t Record(db::Tx& tx, const Action& action, int64_t now_ms) {
  // The UPDATE takes the head's row lock (PostgreSQL) so concurrent appends
  // queue here instead of forking the chain; SQLite has one writer anyway.
  auto head = tx.Query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash");
  Entry e;
  e.id = head.front().Int(0);
  e.prev_hash = head.front().Text(1);
  e.at_ms = now_ms;
  e.actor_user_id = action.actor_user_id;
  e.action = action.action;
  e.target_type = action.target_type;
  e.target_id = action.target_id;
  e.detail_json = action.detail_json;
  e.ip = action.ip;
  e.hash = ChainHash(e);
  tx.Exec(
      "INSERT INTO audit_log (id, at_ms, actor_user_id, action, target_type, target_id, detail_json, ip, "
      "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {e.id, e.at_ms, e.actor_user_id, e.action, e.target_type, e.target_id, e.detail_json, e.ip, e.prev_hash,
       e.hash});
  tx.Exec("UPDATE audit_head SET last_hash = $1 WHERE id = 1", {e.hash});
  return e.id;
}

namespace {

constexpr const char* kSelect =
    "SELECT id, at_ms, actor_user_id, action, target_type, target_id, detail_json, ip, prev_hash, hash "
    "FROM audit_log ";

Entry FromRow(const db::Row& r) {
  Entry e;
  e.id = r.Int(0);
  e.at_ms = r.Int(1);
  e.actor_user_id = r.OptInt(2);
  e.action = r.Text(3);
  e.target_type = r.Text(4);
  e.target_id = r.Text(5);
  e.detail_json = r.Text(6);
  e.ip = r.Text(7);
  e.prev_hash = r.Text(8);
  e.hash = r.Text(9);
  return e;
}

}  // namespace

ChainHead Head(db::Tx& tx) {
  auto head = tx.Query("SELECT seq, last_hash FROM audit_head WHERE id = 1");
  return head.empty() ? ChainHead{} : ChainHead{head.front().Int(0), head.front().Text(1)};
}

ChainReport CheckChain(db::Tx& tx, const std::vector<Checkpoint>& anchors, const Checkpoint* start) {
  // The head first: in one snapshot, entries added after it would be a break.
  const ChainHead head = Head(tx);
  ChainChecker checker(anchors, start);
  int64_t after = checker.after_id();
  constexpr int kPage = 1000;
  for (;;) {
    auto rows = tx.Query(std::string(kSelect) + "WHERE id > $1 ORDER BY id LIMIT $2", {after, kPage});
    for (size_t i = 0; i < rows.size(); ++i) {
      const Entry e = FromRow(rows[i]);
      checker.Add(e.id, e.prev_hash, e.hash, ChainHash(e));
      after = e.id;
    }
    if (rows.size() < static_cast<size_t>(kPage)) {
      break;
    }
  }
  checker.Finish(head.seq, head.hash);
  return checker.report();
}

VerifyReport Verify(db::Tx& tx, const std::vector<Checkpoint>& anchors) { return CheckChain(tx, anchors); }

std::vector<Entry> ListByActor(db::Tx& tx, int64_t user_id, int limit) {
  auto rows = tx.Query(std::string(kSelect) + "WHERE actor_user_id = $1 ORDER BY id DESC LIMIT $2", {user_id, limit});
  std::vector<Entry> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(FromRow(rows[i]));
  }
  return out;
}

int64_t Record(db::Tx& tx, std::optional<int64_t> actor, const std::string& action, const std::string& type,
               const std::string& id, const boost::json::object& detail, const std::string& ip, int64_t now_ms) {
  return Record(tx, Action{actor, action, type, id, boost::json::serialize(detail), ip}, now_ms);
}

}  // namespace carecity::audit
