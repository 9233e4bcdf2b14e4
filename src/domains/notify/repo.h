// SQL for the notification outbox. Functions run in the caller's transaction.
#pragma once

#include <optional>
#include <vector>

#include "db/tx.h"
#include "domains/notify/model.h"

namespace carecity::notify::repo {

int64_t Insert(db::Tx& tx, const Message& m);
// Messages with id > after_id, oldest first.
std::vector<Message> ListAfter(db::Tx& tx, int64_t after_id, int limit);
// The person's messages on `channel`, newest first, with id < before_id
// (0: from the newest).
std::vector<Message> ListForUser(db::Tx& tx, int64_t user_id, const std::string& channel, int64_t before_id,
                                 int limit);
// The operator's view: messages of `channel` with `status`, newest first,
// id < before_id (0: from the newest).
std::vector<Message> ListByStatus(db::Tx& tx, const std::string& channel, const std::string& status,
                                  int64_t before_id, int limit);
int64_t CountByStatus(db::Tx& tx, const std::string& channel, const std::string& status);
std::optional<Message> Find(db::Tx& tx, int64_t id);
// A failed message queued again, due now (false: it is not failed, or no
// longer). Its attempts stay: the claim identity never repeats.
bool Requeue(db::Tx& tx, int64_t id, int64_t now_ms);
int64_t CountUnread(db::Tx& tx, int64_t user_id, const std::string& channel);
// Marks the person's messages on `channel` with id <= up_to_id read.
void MarkRead(db::Tx& tx, int64_t user_id, const std::string& channel, int64_t up_to_id, int64_t now_ms);
// Removes the person's messages (account anonymisation).
void DeleteForUser(db::Tx& tx, int64_t user_id);

// ---- Delivery (dispatcher.h) ----
// A message a dispatcher holds: its claim is (id, attempts).
struct Claimed {
  int64_t id = 0;
  std::string recipient;
  std::string template_name;
  std::string params_json;
  int64_t created_at_ms = 0;
  int attempts = 0;  // claims so far, this one included
};
// Claims up to `limit` queued messages of `channel` that are due at now_ms
// and not held by another claim, oldest first, until claimed_until_ms: one
// statement (and SKIP LOCKED on PostgreSQL), so two servers never hold the
// same message.
std::vector<Claimed> ClaimDue(db::Tx& tx, const std::string& channel, int64_t now_ms, int64_t claimed_until_ms,
                              int limit);
// Whether ClaimDue would find anything now (a read, for idle polls).
bool AnyDue(db::Tx& tx, const std::string& channel, int64_t now_ms);
// What became of a claimed message; each changes it only while the claim
// is still this one (false otherwise). `params_json`: what to keep of its
// parameters (a code is redacted once it has left).
bool MarkSent(db::Tx& tx, const Claimed& c, const std::string& provider_ref, const std::string& params_json,
              int64_t now_ms);
bool MarkRetry(db::Tx& tx, const Claimed& c, int64_t next_attempt_at_ms, const std::string& error);
bool MarkFailed(db::Tx& tx, const Claimed& c, const std::string& error, const std::string& params_json);

}  // namespace carecity::notify::repo
