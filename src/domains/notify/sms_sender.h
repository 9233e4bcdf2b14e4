// Sending one text message through a cloud SMS provider
// (docs/design-channels.md 5): the outbox's dispatcher hands each queued SMS
// to a sender and records what became of it. Tencent Cloud SMS is one
// sender (tencent_sms.h); Alibaba Cloud SMS would be another.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "core/channels_config.h"

namespace carecity::notify {

// What became of one message at the provider. Never holds a secret or the
// message's parameters (a code is a secret).
struct Delivery {
  enum class Outcome {
    kSent,    // the provider accepted it for the handset
    kRetry,   // try again later (the network, the provider busy, a rate limit)
    kFailed,  // it will not go: a wrong number, a blacklisted one, the daily cap, our configuration
  };
  Outcome outcome = Outcome::kFailed;
  std::string provider_ref;  // the provider's serial number, when sent
  std::string error;         // the provider's code and message, or the transport's error
  // Our configuration or account is wrong (credentials, signature, template,
  // balance, clock): every message will fail until the operator fixes it.
  bool alert = false;
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // `phone`: a mainland mobile number, 11 digits ("13912345678"; sent as
  // +86…), or E.164 with its "+". `params`: the template's parameters in
  // its order. Never throws; transport errors are a kRetry Delivery.
  virtual boost::asio::awaitable<Delivery> Send(std::string phone, SmsTemplate tpl,
                                                std::vector<std::string> params) = 0;
};

}  // namespace carecity::notify
