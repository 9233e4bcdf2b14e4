#include "domains/notify/repo.h"

#include <cstdint>
#include <string>

namespace carecity::notify::repo {
namespace {

constexpr const char* kColumns =
    "SELECT id, channel, recipient, user_id, template, params_json, status, created_at_ms, sent_at_ms, read_at_ms "
    "FROM notify_outbox ";

std::vector<Message> ReadMessages(const db::Rows& rows) {
  std::vector<Message> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back(Message{r.Int(0), r.Text(1), r.Text(2), r.OptInt(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7),
                          r.OptInt(8), r.OptInt(9)});
  }
  return out;
}

}  // namespace

int64_t Insert(db::Tx& tx, const Message& m) {
  return tx.Insert(
      "INSERT INTO notify_outbox (channel, recipient, user_id, template, params_json, status, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, 'queued', $6)",
      {m.channel, m.recipient, m.user_id, m.template_name, m.params_json, m.created_at_ms});
}

std::vector<Message> ListAfter(db::Tx& tx, int64_t after_id, int limit) {
  auto rows = tx.Query(std::string(kColumns) + "WHERE id > $1 ORDER BY id LIMIT $2",
      {after_id, limit});
  return ReadMessages(rows);
}

std::vector<Message> ListForUser(db::Tx& tx, int64_t user_id, const std::string& channel, int64_t before_id,
                                 int limit) {
  auto rows = tx.Query(
      std::string(kColumns) + "WHERE user_id = $1 AND channel = $2 AND id < $3 ORDER BY id DESC LIMIT $4",
      {user_id, channel, before_id > 0 ? before_id : INT64_MAX, limit});
  return ReadMessages(rows);
}

int64_t CountUnread(db::Tx& tx, int64_t user_id, const std::string& channel) {
  return tx
      .Query("SELECT COUNT(*) FROM notify_outbox WHERE user_id = $1 AND channel = $2 AND read_at_ms IS NULL",
             {user_id, channel})
      .front()
      .Int(0);
}

void MarkRead(db::Tx& tx, int64_t user_id, const std::string& channel, int64_t up_to_id, int64_t now_ms) {
  tx.Exec(
      "UPDATE notify_outbox SET read_at_ms = $1 WHERE user_id = $2 AND channel = $3 AND id <= $4 "
      "AND read_at_ms IS NULL",
      {now_ms, user_id, channel, up_to_id});
}

void DeleteForUser(db::Tx& tx, int64_t user_id) {
  tx.Exec("DELETE FROM notify_outbox WHERE user_id = $1", {user_id});
}

}  // namespace carecity::notify::repo
