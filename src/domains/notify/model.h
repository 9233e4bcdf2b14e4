// Notifications queued for delivery (SMS, e-mail, in-site). Transports are
// pluggable; the built-in one only queues, and `carecity outbox` lists them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
  // Delivery (SMS): claims so far, when a queued one is next due, why the
  // last attempt failed, and the provider's serial number once sent.
  int attempts = 0;
  int64_t next_attempt_at_ms = 0;
  std::string last_error;
  std::string provider_ref;
};

// Templates whose parameters are a secret (a code): redacted once they
// leave the queue, and never sent again.
bool IsCodeTemplate(std::string_view template_name);
// Messages queued longer ago than this are not sent (yesterday's news).
inline constexpr int64_t kMaxSendAgeMs = 24LL * 60 * 60 * 1000;

}  // namespace carecity::notify
