#include "domains/notify/service.h"

#include "domains/notify/repo.h"

namespace carecity::notify {

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kSms:
      return "sms";
    case Channel::kEmail:
      return "email";
    case Channel::kSite:
      return "site";
  }
  return "site";
}

bool IsCodeTemplate(std::string_view template_name) {
  return template_name == "recover_code" || template_name == "register_code" || template_name == "bind_code";
}

int64_t Enqueue(db::Tx& tx, Channel channel, const std::string& recipient, std::optional<int64_t> user_id,
                const std::string& template_name, const std::string& params_json, int64_t now_ms) {
  Message m;
  m.channel = std::string(ChannelName(channel));
  m.recipient = recipient;
  m.user_id = user_id;
  m.template_name = template_name;
  m.params_json = params_json;
  m.created_at_ms = now_ms;
  return repo::Insert(tx, m);
}

std::vector<Message> List(db::Tx& tx, int64_t after_id, int limit) { return repo::ListAfter(tx, after_id, limit); }

std::vector<Message> SiteMessagesOf(db::Tx& tx, int64_t user_id, int64_t before_id, int limit) {
  return repo::ListForUser(tx, user_id, std::string(ChannelName(Channel::kSite)), before_id, limit);
}

int64_t UnreadSiteMessages(db::Tx& tx, int64_t user_id) {
  return repo::CountUnread(tx, user_id, std::string(ChannelName(Channel::kSite)));
}

void MarkSiteMessagesRead(db::Tx& tx, int64_t user_id, int64_t up_to_id, int64_t now_ms) {
  repo::MarkRead(tx, user_id, std::string(ChannelName(Channel::kSite)), up_to_id, now_ms);
}

void ForgetUser(db::Tx& tx, int64_t user_id) { repo::DeleteForUser(tx, user_id); }

}  // namespace carecity::notify
