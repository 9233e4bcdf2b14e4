// Queues notifications. Stateless; thread-safe; runs in the caller's
// transaction so a message is queued exactly when its cause commits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/notify/model.h"

namespace carecity::notify {

// Queues one message; returns its id.
int64_t Enqueue(db::Tx& tx, Channel channel, const std::string& recipient, std::optional<int64_t> user_id,
                const std::string& template_name, const std::string& params_json, int64_t now_ms);

// Messages after `after_id`, oldest first, at most `limit`.
std::vector<Message> List(db::Tx& tx, int64_t after_id, int limit);

// The person's in-app (site) messages, newest first, id < before_id (0:
// from the newest), at most `limit`: what GET /api/v1/me/notifications shows.
std::vector<Message> SiteMessagesOf(db::Tx& tx, int64_t user_id, int64_t before_id, int limit);

// How many of the person's in-app messages are unread (the badge).
int64_t UnreadSiteMessages(db::Tx& tx, int64_t user_id);
// Marks the person's in-app messages up to `up_to_id` (all: INT64_MAX) read.
void MarkSiteMessagesRead(db::Tx& tx, int64_t user_id, int64_t up_to_id, int64_t now_ms);

// Forgets a person's messages (they hold phone numbers and addresses).
void ForgetUser(db::Tx& tx, int64_t user_id);

}  // namespace carecity::notify
