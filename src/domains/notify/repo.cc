#include "domains/notify/repo.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace carecity::notify::repo {
namespace {

constexpr const char* kColumns =
    "SELECT id, channel, recipient, user_id, template, params_json, status, created_at_ms, sent_at_ms, read_at_ms, "
    "attempts, next_attempt_at_ms, last_error, provider_ref FROM notify_outbox ";

std::vector<Message> ReadMessages(const db::Rows& rows) {
  std::vector<Message> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    Message m{r.Int(0), r.Text(1), r.Text(2), r.OptInt(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7),
              r.OptInt(8), r.OptInt(9)};
    m.attempts = static_cast<int>(r.Int(10));
    m.next_attempt_at_ms = r.Int(11);
    m.last_error = r.Text(12);
    m.provider_ref = r.Text(13);
    out.push_back(std::move(m));
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

std::vector<Message> ListByStatus(db::Tx& tx, const std::string& channel, const std::string& status,
                                  int64_t before_id, int limit) {
  auto rows = tx.Query(
      std::string(kColumns) + "WHERE channel = $1 AND status = $2 AND id < $3 ORDER BY id DESC LIMIT $4",
      {channel, status, before_id > 0 ? before_id : INT64_MAX, limit});
  return ReadMessages(rows);
}

int64_t CountByStatus(db::Tx& tx, const std::string& channel, const std::string& status) {
  return tx.Query("SELECT COUNT(*) FROM notify_outbox WHERE channel = $1 AND status = $2", {channel, status})
      .front()
      .Int(0);
}

std::optional<Message> Find(db::Tx& tx, int64_t id) {
  auto found = ReadMessages(tx.Query(std::string(kColumns) + "WHERE id = $1", {id}));
  if (found.empty()) {
    return std::nullopt;
  }
  return std::move(found.front());
}

bool Requeue(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec("UPDATE notify_outbox SET status = 'queued', next_attempt_at_ms = $1, claimed_until_ms = 0 "
                 "WHERE id = $2 AND status = 'failed'",
                 {now_ms, id}) == 1;
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

// Queued on channel $1, due at $2, and held by no claim.
constexpr const char* kDue =
    "channel = $1 AND status = 'queued' AND next_attempt_at_ms <= $2 AND claimed_until_ms <= $2";

std::vector<Claimed> ClaimDue(db::Tx& tx, const std::string& channel, int64_t now_ms, int64_t claimed_until_ms,
                              int limit) {
  const char* lock = tx.dialect() == db::Dialect::kPostgres ? " FOR UPDATE SKIP LOCKED" : "";
  auto rows = tx.Query(std::string("UPDATE notify_outbox SET claimed_until_ms = $3, attempts = attempts + 1 "
                                   "WHERE id IN (SELECT id FROM notify_outbox WHERE ") +
                           kDue + " ORDER BY id LIMIT $4" + lock +
                           ") RETURNING id, recipient, template, params_json, created_at_ms, attempts",
                       {channel, now_ms, claimed_until_ms, limit});
  std::vector<Claimed> out = rows.Map([](const db::Row& r) {
    return Claimed{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), static_cast<int>(r.Int(5))};
  });
  std::sort(out.begin(), out.end(), [](const Claimed& a, const Claimed& b) { return a.id < b.id; });
  return out;
}

bool AnyDue(db::Tx& tx, const std::string& channel, int64_t now_ms) {
  return !tx.Query(std::string("SELECT id FROM notify_outbox WHERE ") + kDue + " LIMIT 1", {channel, now_ms}).empty();
}

bool MarkSent(db::Tx& tx, const Claimed& c, const std::string& provider_ref, const std::string& params_json,
              int64_t now_ms) {
  return tx.Exec("UPDATE notify_outbox SET status = 'sent', sent_at_ms = $1, provider_ref = $2, params_json = $3, "
                 "claimed_until_ms = 0, last_error = '' WHERE id = $4 AND attempts = $5 AND status = 'queued'",
                 {now_ms, provider_ref, params_json, c.id, c.attempts}) == 1;
}

bool MarkRetry(db::Tx& tx, const Claimed& c, int64_t next_attempt_at_ms, const std::string& error) {
  return tx.Exec("UPDATE notify_outbox SET next_attempt_at_ms = $1, last_error = $2, claimed_until_ms = 0 "
                 "WHERE id = $3 AND attempts = $4 AND status = 'queued'",
                 {next_attempt_at_ms, error, c.id, c.attempts}) == 1;
}

bool MarkFailed(db::Tx& tx, const Claimed& c, const std::string& error, const std::string& params_json) {
  return tx.Exec("UPDATE notify_outbox SET status = 'failed', last_error = $1, params_json = $2, claimed_until_ms = 0 "
                 "WHERE id = $3 AND attempts = $4 AND status = 'queued'",
                 {error, params_json, c.id, c.attempts}) == 1;
}

}  // namespace carecity::notify::repo
