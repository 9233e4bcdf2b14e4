#include "domains/notify/dispatcher.h"

#include <fmt/format.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <optional>

#include "core/text.h"
#include "db/await.h"

namespace carecity::notify {
namespace {

namespace json = boost::json;

constexpr const char* kRedacted = R"({"redacted":true})";
constexpr int64_t kFirstRetryMs = 30'000;
constexpr int64_t kMaxRetryMs = 30 * 60 * 1000;

// 0.8 to 1.2, so many messages that failed together do not retry together.
double Jitter() { return 0.8 + 0.4 * (static_cast<double>(randombytes_uniform(1'000'001)) / 1'000'000.0); }

// A parameter as the template gets it: text as is, a number in decimal.
std::optional<std::string> ParamText(const json::object& params, const std::string& name) {
  const json::value* v = params.if_contains(name);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_string()) {
    return std::string(v->as_string());
  }
  if (v->is_int64()) {
    return std::to_string(v->as_int64());
  }
  if (v->is_uint64()) {
    return std::to_string(v->as_uint64());
  }
  return std::nullopt;
}

}  // namespace

Dispatcher::Dispatcher(db::Store& store, const Clock& clock, SmsSender& sms, const SmsConfig& config)
    : store_(store), clock_(clock), sms_(sms), config_(config) {}

int64_t Dispatcher::RetryDelayMs(int attempts, double jitter) {
  const int doublings = std::clamp(attempts - 1, 0, 20);
  const int64_t base = std::min(kMaxRetryMs, kFirstRetryMs << doublings);
  return static_cast<int64_t>(std::llround(static_cast<double>(base) * jitter));
}

boost::asio::awaitable<int> Dispatcher::RunDue() {
  int handled = 0;
  for (;;) {
    const int64_t now = clock_.NowMs();
    // Most runs find nothing: a read answers that without a turn in the
    // write queue. The claim below decides, whatever this read saw.
    auto due = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<bool> { return repo::AnyDue(tx, "sms", now); });
    if (due.ok() && !*due) {
      co_return handled;
    }
    auto batch = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<std::vector<repo::Claimed>> {
      return repo::ClaimDue(tx, "sms", now, now + kClaimMs, kBatch);
    });
    if (!batch.ok()) {
      spdlog::error("sms: claiming due messages failed: {}", batch.error().detail);
      co_return handled;
    }
    for (repo::Claimed& m : *batch) {
      co_await Deliver(std::move(m));
      ++handled;
    }
    if (static_cast<int>(batch->size()) < kBatch) {
      co_return handled;
    }
  }
}

boost::asio::awaitable<void> Dispatcher::Deliver(repo::Claimed m) {
  const int64_t now = clock_.NowMs();
  const auto failed = [](std::string why, bool config_error) {
    Delivery d;
    d.outcome = Delivery::Outcome::kFailed;
    d.error = std::move(why);
    d.alert = config_error;
    return d;
  };
  auto tpl = config_.templates.find(m.template_name);
  if (tpl == config_.templates.end()) {
    const Delivery d = failed("no [sms.templates] entry for " + m.template_name, true);
    co_await Record(m, d, now);
    co_return;
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(m.params_json, ec);
  if (ec || !parsed.is_object()) {
    const Delivery d = failed("parameters are not a JSON object", true);
    co_await Record(m, d, now);
    co_return;
  }
  const json::object& params = parsed.as_object();
  // A code is worth sending only while it can still be used.
  int64_t max_age_ms = kMaxSendAgeMs;
  if (const json::value* ttl = params.if_contains("ttl_minutes");
      IsCodeTemplate(m.template_name) && ttl != nullptr && ttl->is_int64() && ttl->as_int64() > 0) {
    max_age_ms = ttl->as_int64() * 60 * 1000;
  }
  if (now - m.created_at_ms > max_age_ms) {
    const Delivery d =
        failed("too old to send (queued " + std::to_string((now - m.created_at_ms) / 60'000) + " min ago)", false);
    co_await Record(m, d, now);
    co_return;
  }
  std::vector<std::string> values;
  for (const std::string& name : tpl->second.params) {
    auto value = ParamText(params, name);
    if (!value) {
      const Delivery d = failed("the message has no parameter " + name + " for template " + tpl->second.id, true);
      co_await Record(m, d, now);
      co_return;
    }
    values.push_back(std::move(*value));
  }
  const Delivery d = co_await sms_.Send(m.recipient, tpl->second, std::move(values));
  co_await Record(m, d, clock_.NowMs());
}

boost::asio::awaitable<void> Dispatcher::Record(const repo::Claimed& m, const Delivery& d, int64_t now_ms) {
  const std::string kept = IsCodeTemplate(m.template_name) ? std::string(kRedacted) : m.params_json;
  const int max_attempts = IsCodeTemplate(m.template_name) ? kMaxCodeAttempts : kMaxAttempts;
  Delivery::Outcome outcome = d.outcome;
  std::string error = d.error;
  if (outcome == Delivery::Outcome::kRetry && m.attempts >= max_attempts) {
    outcome = Delivery::Outcome::kFailed;
    error = fmt::format("gave up after {} attempts: {}", m.attempts, d.error);
  }
  if (d.alert) {
    spdlog::error("sms: message {} ({}): {} — check [sms] secret_id, the key, sdk_app_id, sign_name, "
                  "[sms.templates] and the clock",
                  m.id, m.template_name, error);
  } else if (outcome != Delivery::Outcome::kSent) {
    spdlog::warn("sms: message {} ({}) to {} {}: {}", m.id, m.template_name, MaskPhone(m.recipient),
                 outcome == Delivery::Outcome::kRetry ? "will be retried" : "failed", error);
  }
  auto recorded = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<bool> {
    switch (outcome) {
      case Delivery::Outcome::kSent:
        return repo::MarkSent(tx, m, d.provider_ref, kept, now_ms);
      case Delivery::Outcome::kRetry:
        return repo::MarkRetry(tx, m, now_ms + RetryDelayMs(m.attempts, Jitter()), error);
      case Delivery::Outcome::kFailed:
        return repo::MarkFailed(tx, m, error, kept);
    }
    return false;
  });
  if (!recorded.ok()) {
    // Left claimed: claimed again once the claim runs out (a duplicate
    // text is possible, a lost one is not).
    spdlog::error("sms: recording message {} failed: {}", m.id, recorded.error().detail);
  } else if (!*recorded) {
    // The claim ran out while sending and another server holds it now.
    spdlog::warn("sms: message {} was claimed again while being sent; its new holder records it", m.id);
  }
}

}  // namespace carecity::notify
