// Notifications queued for delivery (SMS, e-mail, in-site). Transports are
// pluggable; the built-in one only queues, and `carecity outbox` lists them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace carecity::notify {

enum class Channel { kSms, kEmail, kSite };

std::string_view ChannelName(Channel c);

struct Message {
  int64_t id = 0;
  std::string channel;
  std::string recipient;     // phone, e-mail address or user id
  std::optional<int64_t> user_id;
  std::string template_name; // "recover_code"
  std::string params_json;   // {"code":"123456"}
  std::string status;        // queued | sent | failed
  int64_t created_at_ms = 0;
  std::optional<int64_t> sent_at_ms;
  std::optional<int64_t> read_at_ms;  // in-app messages the person has read
};

}  // namespace carecity::notify
