#include "domains/payments/service.h"

#include <spdlog/spdlog.h>

#include "db/await.h"
#include "domains/payments/repo.h"

namespace carecity::payments {
namespace {

constexpr const char* kNotifyPath = "/api/v1/payments/notify/";
constexpr int kReconcilePage = 200;

Error NotPayable() { return Error::Conflict("payment_not_payable"); }

}  // namespace

PaymentsService::PaymentsService(db::Store& store, const Clock& clock, std::unique_ptr<SandboxProvider> sandbox)
    : store_(store), clock_(clock), sandbox_(sandbox.get()) {
  AddProvider(std::move(sandbox));
}

void PaymentsService::AddProvider(std::unique_ptr<PaymentProvider> provider) {
  const std::string name = provider->name();
  if (!providers_.emplace(name, std::move(provider)).second) {
    throw std::logic_error("payment provider registered twice: " + name);
  }
}

PaymentProvider* PaymentsService::Provider(std::string_view name) const {
  auto it = providers_.find(name.empty() ? std::string_view(sandbox_->name()) : name);
  return it == providers_.end() ? nullptr : it->second.get();
}

void PaymentsService::OnPaid(const std::string& purpose, PaidListener listener) {
  listeners_[purpose] = std::move(listener);
}

void PaymentsService::OnClosed(const std::string& purpose, PaidListener listener) {
  close_listeners_[purpose] = std::move(listener);
}

void PaymentsService::set_notify_base_url(std::string url) {
  sandbox_->set_notify_base_url(url);
  notify_base_url_ = std::move(url);
}

Result<Payment> PaymentsService::CreateTx(db::Tx& tx, const std::string& purpose, int64_t ref_id, int64_t amount_fen,
                                          const std::string& description, const std::string& return_url,
                                          int64_t now_ms, const std::string& provider) {
  const PaymentProvider* pp = Provider(provider);
  if (!pp) {
    return Error::Internal("no payment provider " + provider);
  }
  Payment p;
  p.provider = pp->name();
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
  return p;
}

Task<void> PaymentsService::Open(const Payment& p) {
  PaymentProvider* provider = Provider(p.provider);
  if (!provider) {
    co_return Error::Internal("no payment provider " + p.provider);
  }
  const OrderRequest order{p.out_trade_no, p.amount_fen, p.description,
                           notify_base_url_ + kNotifyPath + provider->name()};
  co_return co_await provider->CreateOrder(order);
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
  auto p = co_await Get(id);
  if (!p.ok() || p->provider != sandbox_->name()) {
    co_return Error::NotFound("payment_not_found");
  }
  auto paid = co_await sandbox_->PayOrder(p->out_trade_no);
  if (!paid.ok()) {
    // An order the sandbox never opened cannot be paid there.
    co_return paid.error().key == "provider_order_not_found" ? NotPayable() : std::move(paid).error();
  }
  co_return co_await Get(id);
}

Task<Payment> PaymentsService::Cancel(int64_t id) {
  auto p = co_await Get(id);
  if (!p.ok() || p->provider != sandbox_->name()) {
    co_return Error::NotFound("payment_not_found");
  }
  if (p->status != "created") {
    co_return NotPayable();
  }
  auto closed = co_await Provider(p->provider)->CloseOrder(p->out_trade_no);
  if (!closed.ok() && closed.error().key != "provider_order_not_found") {
    co_return std::move(closed).error();
  }
  if (closed.ok() && !*closed) {
    co_return NotPayable();  // the payer paid first
  }
  co_return co_await CloseHere(id);
}

Task<Payment> PaymentsService::CloseHere(int64_t id) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Payment> {
    if (!repo::MarkClosed(tx, id, now)) {
      return NotPayable();  // confirmed meanwhile (a notification raced the cancel)
    }
    auto closed = repo::Find(tx, id);
    if (auto it = close_listeners_.find(closed->purpose); it != close_listeners_.end()) {
      CC_TRY(it->second(tx, *closed, now));
    }
    return *closed;
  });
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

Task<ConfirmOutcome> PaymentsService::HandleNotify(std::string_view provider_name, const std::string& body,
                                                   const HeaderLookup& header) {
  const PaymentProvider* provider = Provider(provider_name);
  if (!provider || provider_name.empty()) {
    co_return Error::NotFound("provider_not_found");
  }
  const std::string name = provider->name();
  const int64_t now = clock_.NowMs();
  auto notice = provider->VerifyNotification(body, header, now);
  if (!notice.ok()) {
    const std::string why = notice.error().detail.empty() ? notice.error().key : notice.error().detail;
    co_await LogRejected(name, body, why);
    co_return std::move(notice).error();
  }
  const PaidNotice& n = *notice;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ConfirmOutcome> {
    auto outcome = ConfirmTx(tx, n, now);
    if (!outcome.ok()) {
      return outcome;
    }
    const char* label = *outcome == ConfirmOutcome::kCredited    ? "credited"
                        : *outcome == ConfirmOutcome::kDuplicate ? "duplicate"
                                                                 : "rejected:unknown order or amount mismatch";
    repo::LogNotification(tx, name, n.out_trade_no, true, label, body, now);
    return outcome;
  });
}

boost::asio::awaitable<void> PaymentsService::LogRejected(const std::string& provider, const std::string& body,
                                                          const std::string& why) {
  const int64_t now = clock_.NowMs();
  auto logged = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    repo::LogNotification(tx, provider, "", false, "rejected:" + why, body, now);
    return {};
  });
  (void)logged;
  spdlog::warn("{} notification rejected: {}", provider, why);
}

Task<Payment> PaymentsService::Query(int64_t id) {
  auto p = co_await Get(id);
  if (!p.ok()) {
    co_return p;
  }
  if (p->status != "created") {
    co_return p;
  }
  PaymentProvider* provider = Provider(p->provider);
  if (!provider) {
    co_return Error::Internal("no payment provider " + p->provider);
  }
  auto order = co_await provider->QueryOrder(p->out_trade_no);
  if (!order.ok()) {
    // Not opened at the provider (yet): nothing to confirm.
    co_return order.error().key == "provider_order_not_found" ? std::move(p) : Result<Payment>(std::move(order).error());
  }
  if (order->paid()) {
    const int64_t now = clock_.NowMs();
    const PaidNotice n = order->Notice();
    auto confirmed = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
      CC_TRY(ConfirmTx(tx, n, now));
      return {};
    });
    if (!confirmed.ok()) {
      co_return std::move(confirmed).error();
    }
  }
  co_return co_await Get(id);
}

Task<int64_t> PaymentsService::Reconcile(int64_t older_than_ms, int64_t within_ms) {
  const int64_t now = clock_.NowMs();
  const int64_t to = now - older_than_ms;
  const int64_t from = within_ms > 0 ? now - within_ms : 0;
  int64_t after = 0;
  int64_t confirmed = 0;
  for (;;) {
    auto page = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Payment>> {
      return repo::ListOpen(tx, after, from, to, kReconcilePage);
    });
    if (!page.ok()) {
      co_return std::move(page).error();
    }
    for (const Payment& p : *page) {
      after = p.id;
      PaymentProvider* provider = Provider(p.provider);
      if (!provider) {
        continue;
      }
      auto order = co_await provider->QueryOrder(p.out_trade_no);
      if (!order.ok() || !order->paid()) {
        continue;  // unpaid, unknown there, or the provider is unreachable: next round
      }
      const PaidNotice n = order->Notice();
      auto outcome = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ConfirmOutcome> {
        CC_ASSIGN_OR_RETURN(auto o, ConfirmTx(tx, n, now));
        if (o == ConfirmOutcome::kCredited) {
          repo::LogNotification(tx, p.provider, n.out_trade_no, true, "credited:reconciled", "", now);
        }
        return o;
      });
      if (!outcome.ok()) {
        co_return std::move(outcome).error();
      }
      confirmed += *outcome == ConfirmOutcome::kCredited ? 1 : 0;
    }
    if (static_cast<int>(page->size()) < kReconcilePage) {
      co_return confirmed;
    }
  }
}

Task<void> PaymentsService::RefundAtProvider(int64_t payment_id) {
  auto p = co_await Get(payment_id);
  if (!p.ok()) {
    co_return std::move(p).error();
  }
  if (p->status != "paid") {
    co_return Error::Conflict("payment_not_refundable");
  }
  PaymentProvider* provider = Provider(p->provider);
  if (!provider) {
    co_return Error::Internal("no payment provider " + p->provider);
  }
  auto refunded = co_await provider->Refund(p->out_trade_no, RefundNo(*p), p->amount_fen);
  if (!refunded.ok() && refunded.error().key == "provider_refused") {
    co_return Error::Conflict("payment_not_refundable");
  }
  co_return refunded;
}

Status PaymentsService::RecordRefundTx(db::Tx& tx, int64_t payment_id, const std::string& reason, int64_t now_ms) {
  auto p = repo::Find(tx, payment_id);
  if (!p || !repo::MarkRefunded(tx, payment_id)) {
    return Error::Conflict("payment_not_refundable");
  }
  repo::InsertRefund(tx, payment_id, RefundNo(*p), p->amount_fen, reason, now_ms);
  return {};
}

}  // namespace carecity::payments
