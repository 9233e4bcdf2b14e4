// The operator's side of the outbox (docs/design-channels.md 9): what did
// not reach people, and sending it again once the cause is fixed.
// Stateless; runs in the caller's transaction.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "db/tx.h"
#include "domains/notify/model.h"

namespace carecity::notify {

// Why a message cannot be sent again, as an error key, or "" when it can:
//   notify.not_failed     it is queued or sent;
//   notify.code_not_sent  a code (redacted once it failed): the resident
//                         asks for a new one;
//   notify.too_old        queued more than a day ago (kMaxSendAgeMs).
std::string RetryRefusal(const Message& m, int64_t now_ms);

// Queues a failed SMS or e-mail message again, due now, and records who
// did it in the audit chain. Errors: not_found (no such message, or an
// in-app one), conflict with RetryRefusal's key (also when another
// operator's retry came first).
Result<Message> RetryTx(db::Tx& tx, int64_t message_id, int64_t actor_user_id, const std::string& ip,
                        int64_t now_ms);

}  // namespace carecity::notify
