// SQL for the notification outbox. Functions run in the caller's transaction.
#pragma once

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
int64_t CountUnread(db::Tx& tx, int64_t user_id, const std::string& channel);
// Marks the person's messages on `channel` with id <= up_to_id read.
void MarkRead(db::Tx& tx, int64_t user_id, const std::string& channel, int64_t up_to_id, int64_t now_ms);
// Removes the person's messages (account anonymisation).
void DeleteForUser(db::Tx& tx, int64_t user_id);

}  // namespace carecity::notify::repo
