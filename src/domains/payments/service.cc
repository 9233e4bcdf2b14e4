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

Result<PaymentProvider*> PaymentsService::ProviderOf(const Payment& p) const {
  if (PaymentProvider* provider = Provider(p.provider)) {
    return provider;
  }
  return Error::Internal("no payment provider " + p.provider);  // removed from the configuration
}

void PaymentsService::OnPaid(const std::string& purpose, PaidListener listener) {
  listeners_[purpose] = std::move(listener);
}

void PaymentsService::OnClosed(const std::string& purpose, PaidListener listener) {
  close_listeners_[purpose] = std::move(listener);
}

void PaymentsService::OnRefunded(const std::string& purpose, RefundListener listener) {
  refund_listeners_[purpose] = std::move(listener);
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

Task<std::string> PaymentsService::Open(const Payment& p, std::string payer_ip) {
  auto provider = ProviderOf(p);
  if (!provider.ok()) {
    co_return std::move(provider).error();
  }
  const OrderRequest order{p.out_trade_no, p.amount_fen, p.description, notify_base_url_ + kNotifyPath + p.provider,
                           p.created_at_ms + kOrderExpiryMs, std::move(payer_ip), p.id};
  co_return co_await (*provider)->CreateOrder(order);
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
  co_return co_await CloseThereAndHere(*p);
}

Task<Payment> PaymentsService::CloseThereAndHere(const Payment& p) {
  // Open before closing: if the donation's own request (or its replay) has
  // not opened the order yet, its later (idempotent) open finds it closed,
  // not new and payable.
  auto opened = co_await Open(p);  // fails if the payment's provider is unknown
  if (!opened.ok()) {
    co_return std::move(opened).error();
  }
  auto closed = co_await Provider(p.provider)->CloseOrder(p.out_trade_no);
  if (!closed.ok()) {
    co_return std::move(closed).error();
  }
  if (!*closed) {
    co_return NotPayable();  // the payer paid first: the notification (or a query) confirms it
  }
  co_return co_await CloseHere(p.id);
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

Result<ConfirmOutcome> PaymentsService::ConfirmTx(db::Tx& tx, const std::string& provider, const PaidNotice& n,
                                                  int64_t now_ms) {
  if (auto p = repo::MarkPaid(tx, provider, n)) {
    auto it = listeners_.find(p->purpose);
    if (it == listeners_.end()) {
      return Error::Internal("no listener for payments of purpose " + p->purpose);
    }
    CC_TRY(it->second(tx, *p, now_ms));
    return ConfirmOutcome::kCredited;
  }
  auto p = repo::FindByTradeNo(tx, n.out_trade_no);
  if (!p || p->provider != provider || p->amount_fen != n.amount_fen) {
    return ConfirmOutcome::kRejected;  // not ours, another provider's, or the wrong amount
  }
  if (p->status == "paid" || p->status == "refunded") {
    return ConfirmOutcome::kDuplicate;
  }
  // Paid at the provider after we closed it: the payer's money must go back.
  spdlog::error("payments: {} order {} was paid after it was closed here; refund it at the provider", provider,
                n.out_trade_no);
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
    auto outcome = ConfirmTx(tx, name, n, now);
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

Task<void> PaymentsService::ConfirmFromOrder(const Payment& p, const ProviderOrder& order, const char* how) {
  if (!order.paid()) {
    if (order.state == "REFUND") {
      spdlog::error("payments: {} order {} is open here but refunded at the provider", p.provider, p.out_trade_no);
    }
    co_return Status{};
  }
  const int64_t now = clock_.NowMs();
  const PaidNotice n = order.Notice(now);
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    CC_ASSIGN_OR_RETURN(auto outcome, ConfirmTx(tx, p.provider, n, now));
    if (outcome == ConfirmOutcome::kCredited) {
      repo::LogNotification(tx, p.provider, n.out_trade_no, true, std::string("credited:") + how, "", now);
    }
    return {};
  });
}

Task<Payment> PaymentsService::Query(int64_t id) {
  auto p = co_await Get(id);
  if (!p.ok() || p->status != "created") {
    co_return p;
  }
  auto provider = ProviderOf(*p);
  if (!provider.ok()) {
    co_return std::move(provider).error();
  }
  auto order = co_await (*provider)->QueryOrder(p->out_trade_no);
  if (!order.ok()) {
    if (order.error().key == "provider_order_not_found") {
      co_return p;  // not opened at the provider (yet): nothing to confirm
    }
    co_return std::move(order).error();
  }
  auto confirmed = co_await ConfirmFromOrder(*p, *order, "queried");
  if (!confirmed.ok()) {
    co_return std::move(confirmed).error();
  }
  co_return co_await Get(id);
}

Task<int64_t> PaymentsService::Reconcile(int64_t older_than_ms) {
  const int64_t before_ms = clock_.NowMs() - older_than_ms;
  auto confirmed = co_await ReconcileOpenPayments(before_ms);
  if (!confirmed.ok()) {
    co_return confirmed;
  }
  auto finished = co_await FinishRequestedRefunds(before_ms);
  if (!finished.ok()) {
    co_return std::move(finished).error();
  }
  co_return confirmed;
}

Task<int64_t> PaymentsService::ReconcileOpenPayments(int64_t before_ms) {
  const int64_t now = clock_.NowMs();
  int64_t confirmed = 0;
  int64_t after = 0;
  for (;;) {
    auto page = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Payment>> {
      return repo::ListOpen(tx, after, before_ms, kReconcilePage);
    });
    if (!page.ok()) {
      co_return std::move(page).error();
    }
    for (const Payment& p : *page) {
      after = p.id;
      auto provider = ProviderOf(p);
      if (!provider.ok()) {
        continue;
      }
      auto order = co_await (*provider)->QueryOrder(p.out_trade_no);
      if (order.ok() && order->paid()) {
        auto done = co_await ConfirmFromOrder(p, *order, "reconciled");
        if (!done.ok()) {
          spdlog::error("payments: reconciling {} failed: {}", p.out_trade_no, done.error().key);
          continue;
        }
        ++confirmed;
        continue;
      }
      const bool expired = p.created_at_ms + kOrderExpiryMs <= now;
      if (expired && (order.ok() || order.error().key == "provider_order_not_found")) {
        // Unpaid past its expiry (or never opened): close it there and here.
        auto closed = co_await CloseThereAndHere(p);
        (void)closed;  // paid meanwhile: the next run confirms it
      }
    }
    if (static_cast<int>(page->size()) < kReconcilePage) {
      co_return confirmed;
    }
  }
}

Task<void> PaymentsService::FinishRequestedRefunds(int64_t before_ms) {
  int64_t after = 0;
  for (;;) {
    auto page = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<PaymentRefund>> {
      return repo::ListRequestedRefunds(tx, after, before_ms, kReconcilePage);
    });
    if (!page.ok()) {
      co_return std::move(page).error();
    }
    for (PaymentRefund& r : *page) {
      after = r.id;
      const std::string no = r.out_refund_no;
      auto done = co_await FinishRefund(std::move(r));
      if (!done.ok()) {
        spdlog::error("payments: finishing refund {} failed: {}", no, done.error().key);
      }
    }
    if (static_cast<int>(page->size()) < kReconcilePage) {
      co_return Status{};
    }
  }
}

Task<void> PaymentsService::Refund(int64_t payment_id, std::string reason, std::optional<int64_t> requested_by) {
  const int64_t now = clock_.NowMs();
  auto requested = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<PaymentRefund> {
    auto p = repo::Find(tx, payment_id);
    if (!p) {
      return Error::NotFound("payment_not_found");
    }
    if (p->status != "paid") {
      return Error::Conflict("payment_not_refundable");
    }
    // One full refund per payment, under one number: a retry is the same refund.
    PaymentRefund r{0, p->id, p->out_trade_no + "R", p->amount_fen, reason, requested_by, "requested", now};
    auto id = repo::InsertRefundRequest(tx, r);
    if (!id) {
      return Error::Conflict("payment_not_refundable");  // already requested
    }
    r.id = *id;
    return r;
  });
  if (!requested.ok()) {
    co_return std::move(requested).error();
  }
  co_return co_await FinishRefund(std::move(requested).value());
}

Task<void> PaymentsService::FinishRefund(PaymentRefund r) {
  auto p = co_await Get(r.payment_id);
  if (!p.ok()) {
    co_return std::move(p).error();
  }
  auto provider = ProviderOf(*p);
  if (!provider.ok()) {
    co_return std::move(provider).error();
  }
  const std::string trade_no = p->out_trade_no;
  const std::string refund_no = r.out_refund_no;
  auto returned = co_await (*provider)->Refund(trade_no, refund_no, r.amount_fen);
  if (!returned.ok()) {
    const std::string key = returned.error().key;
    if (key == "provider_refused" || key == "provider_order_not_found") {
      // Nothing went back: withdraw the request so the books stay as they are.
      const int64_t id = r.id;
      auto withdrawn = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
        repo::DeleteRefundRequest(tx, id);
        return {};
      });
      (void)withdrawn;
      spdlog::error("payments: {} refused refund {} for {}: {}", p->provider, refund_no, trade_no, key);
      co_return Error::Conflict("payment_not_refundable");
    }
    co_return std::move(returned).error();  // provider_unavailable: reconciliation retries
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    if (!repo::MarkRefundSucceeded(tx, r.id)) {
      // Booked already (a reconciliation raced this request) — or withdrawn.
      auto now_is = repo::FindRefund(tx, r.id);
      if (now_is && now_is->status == "succeeded") {
        return {};
      }
      return Error::Conflict("payment_not_refundable");
    }
    if (!repo::MarkRefunded(tx, r.payment_id)) {
      return Error::Internal("refund " + refund_no + " is for a payment that is not paid");
    }
    auto refunded = repo::Find(tx, r.payment_id);
    if (auto it = refund_listeners_.find(refunded->purpose); it != refund_listeners_.end()) {
      CC_TRY(it->second(tx, *refunded, r, now));
    }
    return {};
  });
}

}  // namespace carecity::payments
