#include "domains/payments/sandbox_provider.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "core/crypto.h"
#include "db/await.h"
#include "domains/payments/repo.h"
#include "http/client.h"

namespace carecity::payments {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr int64_t kNotifyWindowMs = 15 * kMinuteMs;  // older signed notifications are replays
constexpr int kDeliveryAttempts = 4;
constexpr const char* kNotifyPath = "/api/v1/payments/notify/sandbox";

Error Unauthenticated(const char* key, const char* why) {
  return Error{ErrorCode::kUnauthenticated, key, {}, why};
}

}  // namespace

SandboxProvider::SandboxProvider(db::Store& store, const Clock& clock, SandboxConfig config, std::string secret)
    : store_(store), clock_(clock), config_(config), secret_(std::move(secret)) {}

std::string SandboxProvider::Sign(std::string_view timestamp, std::string_view nonce, std::string_view body) const {
  std::string msg;
  msg.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  msg.append(timestamp).append("\n").append(nonce).append("\n").append(body).append("\n");
  return HmacSha256Hex(secret_, msg);
}

Task<PayAction> SandboxProvider::CreateOrder(const OrderRequest& order) {
  const int64_t now = clock_.NowMs();
  auto opened = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    if (auto existing = repo::SandboxFind(tx, order.out_trade_no)) {
      if (existing->amount_fen != order.amount_fen) {
        return Error::Conflict("provider_refused");  // one order number, one amount
      }
      return {};
    }
    repo::SandboxOrder o{order.out_trade_no, order.amount_fen, order.description, order.notify_url, "NOTPAY",
                         std::nullopt, std::nullopt, std::nullopt, std::nullopt};
    if (order.expires_at_ms > 0) {
      o.expires_at_ms = order.expires_at_ms;
    }
    repo::SandboxInsert(tx, o, now);
    return {};
  });
  if (!opened.ok()) {
    co_return std::move(opened).error();
  }
  co_return PayAction{PayAction::Kind::kRedirect, order.pay_page, {}};
}

NotifyReply SandboxProvider::Acknowledge(ConfirmOutcome outcome) const {
  const char* what = outcome == ConfirmOutcome::kCredited    ? "credited"
                     : outcome == ConfirmOutcome::kDuplicate ? "duplicate"
                     : outcome == ConfirmOutcome::kIgnored   ? "ignored"
                     : outcome == ConfirmOutcome::kOrphan    ? "orphan"
                                                             : "rejected";
  return NotifyReply{200, "application/json", json::serialize(json::object{{"code", "SUCCESS"}, {"outcome", what}})};
}

Task<ProviderOrder> SandboxProvider::QueryOrder(const std::string& out_trade_no) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ProviderOrder> {
    auto o = repo::SandboxFind(tx, out_trade_no);
    if (!o) {
      return Error::NotFound("provider_order_not_found");
    }
    return ProviderOrder{o->out_trade_no, o->status,        o->amount_fen, FeeOf(o->amount_fen),
                         o->transaction_id, o->paid_at_ms};
  });
}

Task<bool> SandboxProvider::CloseOrder(const std::string& out_trade_no) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<bool> {
    auto o = repo::SandboxFind(tx, out_trade_no);
    if (!o) {
      return Error::NotFound("provider_order_not_found");
    }
    if (o->status == "CLOSED") {
      return true;
    }
    return repo::SandboxClose(tx, out_trade_no);  // false: paid first
  });
}

// The sandbox returns money at once: every refund it made has succeeded.
Task<RefundState> SandboxProvider::Refund(const std::string& out_trade_no, const std::string& out_refund_no,
                                          int64_t amount_fen, int64_t total_fen) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RefundState> {
    auto o = repo::SandboxFind(tx, out_trade_no);
    if (!o) {
      return Error::NotFound("provider_order_not_found");
    }
    if (auto used_for = repo::SandboxRefundTradeNo(tx, out_refund_no)) {
      // Asked again under the same number: the same refund, not a second one.
      if (*used_for != out_trade_no) {
        return Error::Conflict("provider_refused");
      }
      return RefundState{RefundState::Kind::kSucceeded, out_refund_no, std::nullopt};
    }
    if (o->status != "SUCCESS" || amount_fen <= 0 || total_fen != o->amount_fen ||
        !repo::SandboxRefund(tx, out_trade_no, out_refund_no, amount_fen, now)) {
      return Error::Conflict("provider_refused");  // more than is left: the job rolls back
    }
    return RefundState{RefundState::Kind::kSucceeded, out_refund_no, now};
  });
}

Task<RefundState> SandboxProvider::QueryRefund(const std::string& out_trade_no, const std::string& out_refund_no) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<RefundState> {
    auto used_for = repo::SandboxRefundTradeNo(tx, out_refund_no);
    if (!used_for || *used_for != out_trade_no) {
      return Error::NotFound("provider_refund_not_found");
    }
    return RefundState{RefundState::Kind::kSucceeded, out_refund_no, std::nullopt};
  });
}

Task<void> SandboxProvider::PayOrder(const std::string& out_trade_no) {
  const int64_t now = clock_.NowMs();
  const std::string txn = "SBX" + std::to_string(now) + RandomDigits(8);
  auto paid = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProviderOrder> {
    repo::SandboxMarkPaid(tx, out_trade_no, txn, now);  // already paid: deliver again; expired: refused below
    auto o = repo::SandboxFind(tx, out_trade_no);
    if (!o) {
      return Error::NotFound("provider_order_not_found");
    }
    if (o->status != "SUCCESS") {
      return Error::Conflict("payment_not_payable");  // closed or refunded
    }
    return ProviderOrder{o->out_trade_no,    o->status,         o->amount_fen, FeeOf(o->amount_fen),
                         o->transaction_id, o->paid_at_ms.value_or(now)};
  });
  if (!paid.ok()) {
    co_return std::move(paid).error();
  }
  if (config_.notify_delay_ms > 0 || config_.reorder) {
    int delay = config_.notify_delay_ms;
    if (config_.reorder && delay > 0) {
      delay = static_cast<int>(std::stoi(RandomDigits(6)) % (delay + 1));
    }
    asio::co_spawn(co_await asio::this_coro::executor, Deliver(*paid, delay), asio::detached);
  } else {
    co_await Deliver(*paid, 0);
  }
  co_return Status{};
}

asio::awaitable<void> SandboxProvider::Deliver(ProviderOrder order, int delay_ms) {
  auto ex = co_await asio::this_coro::executor;
  if (delay_ms > 0) {
    asio::steady_timer timer(ex, std::chrono::milliseconds(delay_ms));
    co_await timer.async_wait(asio::use_awaitable);
  }
  // Duplicates are delivered concurrently, to race each other on purpose.
  for (int i = 0; i < config_.duplicate_notifications; ++i) {
    asio::co_spawn(ex, DeliverOnce(order), asio::detached);
  }
  co_await DeliverOnce(order);
}

asio::awaitable<void> SandboxProvider::DeliverOnce(ProviderOrder order) {
  const std::string body = json::serialize(json::object{{"out_trade_no", order.out_trade_no},
                                                        {"transaction_id", order.transaction_id.value_or("")},
                                                        {"trade_state", "SUCCESS"},
                                                        {"amount_fen", order.amount_fen},
                                                        {"fee_fen", order.fee_fen},
                                                        {"paid_at_ms", order.paid_at_ms.value_or(0)}});
  for (int attempt = 0; attempt < kDeliveryAttempts; ++attempt) {
    const std::string ts = std::to_string(clock_.NowMs());
    const std::string nonce = RandomToken().substr(0, 16);
    const std::map<std::string, std::string> headers = {
        {"X-Sandbox-Timestamp", ts}, {"X-Sandbox-Nonce", nonce}, {"X-Sandbox-Signature", Sign(ts, nonce, body)}};
    // Deliver to where we listen now (a restarted server may listen elsewhere).
    const std::string url = notify_base_url_ + kNotifyPath;  // named: no temporary inside co_await
    auto res = co_await http::PostJson(url, body, headers);
    if (res.ok() && res->status >= 200 && res->status < 300) {
      co_return;
    }
    spdlog::warn("sandbox: notify for {} failed (attempt {}): {}", order.out_trade_no, attempt + 1,
                 res.ok() ? std::to_string(res->status) : res.error().detail);
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(100 << (2 * attempt)));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

Result<ProviderNotice> SandboxProvider::VerifyNotification(std::string_view body, const HeaderLookup& header,
                                                           int64_t now_ms) const {
  const std::string_view timestamp = header("x-sandbox-timestamp");
  const std::string_view nonce = header("x-sandbox-nonce");
  const std::string_view signature = header("x-sandbox-signature");
  if (signature.empty() || !ConstantTimeEquals(Sign(timestamp, nonce, body), signature)) {
    return Unauthenticated("invalid_signature", "bad signature");
  }
  int64_t ts = 0;
  try {
    ts = std::stoll(std::string(timestamp));
  } catch (const std::exception&) {
    ts = 0;
  }
  if (ts < now_ms - kNotifyWindowMs || ts > now_ms + kNotifyWindowMs) {
    return Unauthenticated("stale_notification", "stale timestamp");
  }
  PaidNotice n;
  std::string state;
  try {
    const json::object o = json::parse(body).as_object();
    n.out_trade_no = std::string(o.at("out_trade_no").as_string());
    n.transaction_id = std::string(o.at("transaction_id").as_string());
    n.amount_fen = o.at("amount_fen").to_number<int64_t>();
    n.fee_fen = o.at("fee_fen").to_number<int64_t>();
    n.paid_at_ms = o.at("paid_at_ms").to_number<int64_t>();
    state = std::string(o.at("trade_state").as_string());
  } catch (const std::exception& e) {
    return Error::Invalid("invalid_notification", "", std::string("malformed: ") + e.what());
  }
  if (state != "SUCCESS" || n.fee_fen < 0 || n.fee_fen > n.amount_fen) {
    return Error::Invalid("invalid_notification", "", "not a success notice");
  }
  return ProviderNotice{std::move(n)};
}

}  // namespace carecity::payments
