#include "domains/notify/operator.h"

#include <boost/json/object.hpp>

#include "domains/audit/service.h"
#include "domains/notify/repo.h"

namespace carecity::notify {

std::string RetryRefusal(const Message& m, int64_t now_ms) {
  if (m.status != "failed") {
    return "notify.not_failed";
  }
  if (IsCodeTemplate(m.template_name)) {
    return "notify.code_not_sent";
  }
  if (now_ms - m.created_at_ms > kMaxSendAgeMs) {
    return "notify.too_old";
  }
  return "";
}

Result<Message> RetryTx(db::Tx& tx, int64_t message_id, int64_t actor_user_id, const std::string& ip,
                        int64_t now_ms) {
  std::optional<Message> m = repo::Find(tx, message_id);
  if (!m || m->channel == ChannelName(Channel::kSite)) {
    return Error::NotFound();
  }
  if (std::string refusal = RetryRefusal(*m, now_ms); !refusal.empty()) {
    return Error::Conflict(refusal);
  }
  // The status is checked again where it is written: of two operators
  // retrying at once, one queues it and the other is told it is not failed.
  if (!repo::Requeue(tx, message_id, now_ms)) {
    return Error::Conflict("notify.not_failed");
  }
  audit::Record(tx, actor_user_id, "notify.message.retried", "notify_message", std::to_string(message_id),
                boost::json::object{{"channel", m->channel}, {"template", m->template_name},
                                    {"last_error", m->last_error}, {"attempts", m->attempts}},
                ip, now_ms);
  m->status = "queued";
  m->next_attempt_at_ms = now_ms;
  return *m;
}

}  // namespace carecity::notify
