// Delivers the outbox's text messages (docs/design-channels.md 5): `serve`
// runs RunDue every couple of seconds while [sms] is configured. Each run
// claims the due messages (one statement; several servers never hold the
// same one), maps each to its provider template ([sms.templates]: the
// template id and our parameter names in its order), sends it, and records
// what became of it:
//   sent      the provider took it (its serial number kept);
//   retried   later, after 30 s · 2^(attempts−1) (at most 30 min) ± 20 %,
//             when the provider or the network failed for now;
//   failed    a wrong or capped number, our configuration (no template, a
//             parameter missing: logged as errors), too many attempts (a
//             code after 3, anything else after 8), or too old to be worth
//             sending (a code past its ttl_minutes, anything else after a
//             day: a server that was down, or [sms] configured only now,
//             must not send yesterday's codes).
// Codes (recover_code, register_code, bind_code) are redacted to
// {"redacted":true} once they leave the queue, sent or failed.
// An operator may queue a failed message again (operator.h): it keeps its
// attempts, so it is tried once more, and a retry that fails for now gives up.
// Thread-safety: RunDue may run on any thread, on several servers at once.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>

#include "core/channels_config.h"
#include "core/clock.h"
#include "db/store.h"
#include "domains/notify/repo.h"
#include "domains/notify/sms_sender.h"

namespace carecity::notify {

class Dispatcher {
 public:
  static constexpr int kBatch = 20;
  static constexpr int64_t kClaimMs = 60'000;  // longer than a send's deadline
  static constexpr int kMaxAttempts = 8;
  static constexpr int kMaxCodeAttempts = 3;

  // `sms` and `config` must outlive the dispatcher.
  Dispatcher(db::Store& store, const Clock& clock, SmsSender& sms, const SmsConfig& config);

  // Claims and sends the due text messages, a batch at a time, until none
  // is due; returns how many it handled (whatever became of them).
  boost::asio::awaitable<int> RunDue();

  // When a message that failed for now is tried again: 30 s · 2^(attempts−1),
  // at most 30 minutes, times `jitter` (0.8 to 1.2; 1 in tests).
  static int64_t RetryDelayMs(int attempts, double jitter);

 private:
  // Sends one claimed message and records the outcome.
  boost::asio::awaitable<void> Deliver(repo::Claimed m);
  boost::asio::awaitable<void> Record(const repo::Claimed& m, const Delivery& d, int64_t now_ms);

  db::Store& store_;
  const Clock& clock_;
  SmsSender& sms_;
  const SmsConfig& config_;
};

}  // namespace carecity::notify
