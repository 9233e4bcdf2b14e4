#include "domains/payments/service.h"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
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
const std::string kNoTradeNo;

}  // namespace

PaymentsService::PaymentsService(db::Store& store, const Clock& clock, SandboxConfig sandbox, std::string sandbox_secret)
    : store_(store), clock_(clock), sandbox_(sandbox), sandbox_secret_(std::move(sandbox_secret)) {}

void PaymentsService::OnPaid(const std::string& purpose, PaidListener listener) {
  listeners_[purpose] = std::move(listener);
}

void PaymentsService::OnClosed(const std::string& purpose, PaidListener listener) {
  close_listeners_[purpose] = std::move(listener);
}

std::string PaymentsService::SandboxSign(std::string_view timestamp, std::string_view nonce,
                                         std::string_view body) const {
  std::string msg;
  msg.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  msg.append(timestamp).append("\n").append(nonce).append("\n").append(body).append("\n");
  return HmacSha256Hex(sandbox_secret_, msg);
}

Payment PaymentsService::CreateTx(db::Tx& tx, const std::string& purpose, int64_t ref_id, int64_t amount_fen,
                                  const std::string& description, const std::string& return_url, int64_t now_ms) {
  Payment p;
  p.provider = "sandbox";
  p.purpose = purpose;
  p.ref_id = ref_id;
  p.amount_fen = amount_fen;
  p.description = description;
  p.status = "created";
  p.return_url = return_url;
  p.created_at_ms = now_ms;
  // Unique per (purpose, ref): one payment per donation.
  p.out_trade_no = "CC" + purpose.substr(0, 1) + std::to_string(ref_id) + "T" + std::to_string(now_ms);
  p.id = repo::Insert(tx, p);
  repo::SandboxInsert(tx,
                      {p.out_trade_no, amount_fen, description,
                       notify_base_url_ + "/api/v1/payments/notify/sandbox", "NOTPAY", std::nullopt, std::nullopt},
                      now_ms);
  return p;
}

std::optional<Payment> PaymentsService::FindTx(db::Tx& tx, int64_t id) { return repo::Find(tx, id); }

Task<Payment> PaymentsService::Get(int64_t id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Payment> {
    auto p = repo::Find(tx, id);
    if (!p) {
      return Error::NotFound("payment_not_found");
    }
    return *p;
  });
}

Task<Payment> PaymentsService::SandboxPay(int64_t id) {
  const int64_t now = clock_.NowMs();
  const std::string txn = "SBX" + std::to_string(now) + RandomDigits(8);
  auto paid = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<PaidOrder> {
    auto p = repo::Find(tx, id);
    if (!p || p->provider != "sandbox") {
      return Error::NotFound("payment_not_found");
    }
    repo::SandboxMarkPaid(tx, p->out_trade_no, txn, now);  // already paid: deliver again
    auto order = repo::SandboxFind(tx, p->out_trade_no);
    if (!order || order->status != "SUCCESS") {
      return Error::Conflict("payment_not_payable");  // closed or refunded at the provider
    }
    return PaidOrder{order->out_trade_no, order->transaction_id.value_or(""), order->amount_fen,
                     order->paid_at_ms.value_or(now)};
  });
  if (!paid.ok()) {
    co_return std::move(paid).error();
  }
  if (sandbox_.notify_delay_ms > 0 || sandbox_.reorder) {
    int delay = sandbox_.notify_delay_ms;
    if (sandbox_.reorder && delay > 0) {
      delay = static_cast<int>(std::stoi(RandomDigits(6)) % (delay + 1));
    }
    asio::co_spawn(co_await asio::this_coro::executor, Deliver(*paid, delay), asio::detached);
  } else {
    co_await Deliver(*paid, 0);
  }
  co_return co_await Get(id);
}

asio::awaitable<void> PaymentsService::Deliver(PaidOrder order, int delay_ms) {
  auto ex = co_await asio::this_coro::executor;
  if (delay_ms > 0) {
    asio::steady_timer timer(ex, std::chrono::milliseconds(delay_ms));
    co_await timer.async_wait(asio::use_awaitable);
  }
  // Duplicates are delivered concurrently, to race each other on purpose.
  for (int i = 0; i < sandbox_.duplicate_notifications; ++i) {
    asio::co_spawn(ex, DeliverOnce(order), asio::detached);
  }
  co_await DeliverOnce(order);
}

asio::awaitable<void> PaymentsService::DeliverOnce(const PaidOrder& order) {
  const int64_t fee = order.amount_fen * sandbox_.fee_bps / 10000;
  const std::string body = json::serialize(json::object{{"out_trade_no", order.out_trade_no},
                                                        {"transaction_id", order.transaction_id},
                                                        {"trade_state", "SUCCESS"},
                                                        {"amount_fen", order.amount_fen},
                                                        {"fee_fen", fee},
                                                        {"paid_at_ms", order.paid_at_ms}});
  for (int attempt = 0; attempt < kDeliveryAttempts; ++attempt) {
    const std::string ts = std::to_string(clock_.NowMs());
    const std::string nonce = RandomToken().substr(0, 16);
    const std::map<std::string, std::string> headers = {
        {"X-Sandbox-Timestamp", ts}, {"X-Sandbox-Nonce", nonce}, {"X-Sandbox-Signature", SandboxSign(ts, nonce, body)}};
    // Deliver to where we listen now (a restarted server may listen elsewhere).
    const std::string url = notify_base_url_ + "/api/v1/payments/notify/sandbox";
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

Task<Payment> PaymentsService::SandboxCancel(int64_t id) {
  const int64_t now = clock_.NowMs();
  auto r = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Payment> {
    auto p = repo::Find(tx, id);
    if (!p || p->provider != "sandbox") {
      return Error::NotFound("payment_not_found");
    }
    if (!repo::SandboxClose(tx, p->out_trade_no)) {
      return Error::Conflict("payment_not_payable");  // paid (or closed) already
    }
    repo::MarkClosed(tx, id, now);
    auto closed = repo::Find(tx, id);
    if (auto it = close_listeners_.find(closed->purpose); it != close_listeners_.end()) {
      CC_TRY(it->second(tx, *closed, now));
    }
    return *closed;
  });
  co_return r;
}

Result<ConfirmOutcome> PaymentsService::ConfirmTx(db::Tx& tx, const PaidNotice& n, int64_t now_ms) {
  if (auto p = repo::MarkPaid(tx, n)) {
    auto it = listeners_.find(p->purpose);
    if (it == listeners_.end()) {
      return Error::Internal("no listener for payments of purpose " + p->purpose);
    }
    CC_TRY(it->second(tx, *p, now_ms));
    return ConfirmOutcome::kCredited;
  }
  auto p = repo::FindByTradeNo(tx, n.out_trade_no);
  if (p && (p->status == "paid" || p->status == "refunded") && p->amount_fen == n.amount_fen) {
    return ConfirmOutcome::kDuplicate;
  }
  return ConfirmOutcome::kRejected;
}

Task<ConfirmOutcome> PaymentsService::HandleSandboxNotify(const std::string& body, std::string_view timestamp,
                                                          std::string_view nonce, std::string_view signature) {
  const int64_t now = clock_.NowMs();
  if (signature.empty() || !ConstantTimeEquals(SandboxSign(timestamp, nonce, body), signature)) {
    const std::string why = "bad signature";
    co_await LogRejected(body, why, kNoTradeNo, now);
    co_return Error{ErrorCode::kUnauthenticated, "invalid_signature", {}, {}};
  }
  int64_t ts = 0;
  try {
    ts = std::stoll(std::string(timestamp));
  } catch (const std::exception&) {
    ts = 0;
  }
  if (ts < now - kNotifyWindowMs || ts > now + kNotifyWindowMs) {
    const std::string why = "stale timestamp";
    co_await LogRejected(body, why, kNoTradeNo, now);
    co_return Error{ErrorCode::kUnauthenticated, "stale_notification", {}, {}};
  }
  PaidNotice n;
  std::string state;
  std::string malformed;
  try {
    const json::object o = json::parse(body).as_object();
    n.out_trade_no = std::string(o.at("out_trade_no").as_string());
    n.transaction_id = std::string(o.at("transaction_id").as_string());
    n.amount_fen = o.at("amount_fen").to_number<int64_t>();
    n.fee_fen = o.at("fee_fen").to_number<int64_t>();
    n.paid_at_ms = o.at("paid_at_ms").to_number<int64_t>();
    state = std::string(o.at("trade_state").as_string());
  } catch (const std::exception& e) {
    malformed = std::string("malformed: ") + e.what();
  }
  if (!malformed.empty()) {
    co_await LogRejected(body, malformed, kNoTradeNo, now);
    co_return Error::Invalid("invalid_notification", "");
  }
  if (state != "SUCCESS" || n.fee_fen < 0 || n.fee_fen > n.amount_fen) {
    const std::string why = "not a success notice";
    co_await LogRejected(body, why, n.out_trade_no, now);
    co_return Error::Invalid("invalid_notification", "");
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ConfirmOutcome> {
    auto outcome = ConfirmTx(tx, n, now);
    if (!outcome.ok()) {
      return outcome;
    }
    const char* label = *outcome == ConfirmOutcome::kCredited    ? "credited"
                        : *outcome == ConfirmOutcome::kDuplicate ? "duplicate"
                                                                 : "rejected:unknown order or amount mismatch";
    repo::LogNotification(tx, "sandbox", n.out_trade_no, true, label, body, now);
    return outcome;
  });
}

boost::asio::awaitable<void> PaymentsService::LogRejected(const std::string& body, const std::string& why,
                                                          const std::string& out_trade_no, int64_t now_ms) {
  auto logged = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    repo::LogNotification(tx, "sandbox", out_trade_no, false, "rejected:" + why, body, now_ms);
    return {};
  });
  (void)logged;
  spdlog::warn("sandbox notification rejected: {}", why);
}

Task<Payment> PaymentsService::Query(int64_t id) {
  const int64_t now = clock_.NowMs();
  auto r = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Payment> {
    auto p = repo::Find(tx, id);
    if (!p) {
      return Error::NotFound("payment_not_found");
    }
    if (p->status == "created" && p->provider == "sandbox") {
      auto order = repo::SandboxFind(tx, p->out_trade_no);
      if (order && order->status == "SUCCESS") {
        PaidNotice n{order->out_trade_no, order->transaction_id.value_or(""), order->amount_fen,
                     order->amount_fen * sandbox_.fee_bps / 10000, order->paid_at_ms.value_or(now)};
        auto outcome = ConfirmTx(tx, n, now);
        if (!outcome.ok()) {
          return std::move(outcome).error();
        }
      }
    }
    return *repo::Find(tx, id);
  });
  co_return r;
}

Result<int64_t> PaymentsService::ReconcileTx(db::Tx& tx, int64_t older_than_ms, int limit, int64_t now_ms) {
  auto rows = tx.Query(
      "SELECT p.out_trade_no, o.transaction_id, o.amount_fen, o.paid_at_ms FROM payments p "
      "JOIN sandbox_orders o ON o.out_trade_no = p.out_trade_no "
      "WHERE p.status = 'created' AND p.provider = 'sandbox' AND o.status = 'SUCCESS' AND p.created_at_ms <= $1 "
      "ORDER BY p.id LIMIT $2",
      {now_ms - older_than_ms, limit});
  int64_t confirmed = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t amount = rows[i].Int(2);
    PaidNotice n{rows[i].Text(0), rows[i].Text(1), amount, amount * sandbox_.fee_bps / 10000, rows[i].Int(3)};
    CC_ASSIGN_OR_RETURN(auto outcome, ConfirmTx(tx, n, now_ms));
    if (outcome == ConfirmOutcome::kCredited) {
      repo::LogNotification(tx, "sandbox", n.out_trade_no, true, "credited:reconciled", "", now_ms);
      ++confirmed;
    }
  }
  return confirmed;
}

Status PaymentsService::RefundTx(db::Tx& tx, int64_t payment_id, const std::string& reason, int64_t now_ms) {
  auto p = repo::Find(tx, payment_id);
  if (!p || !repo::MarkRefunded(tx, payment_id)) {
    return Error::Conflict("payment_not_refundable");
  }
  repo::SandboxRefund(tx, p->out_trade_no);
  repo::InsertRefund(tx, payment_id, p->out_trade_no + "R", p->amount_fen, reason, now_ms);
  return {};
}

}  // namespace carecity::payments
