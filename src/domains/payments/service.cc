#include "domains/payments/service.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <variant>

#include "core/crypto.h"
#include "db/await.h"
#include "domains/payments/repo.h"

namespace carecity::payments {
namespace {

constexpr const char* kNotifyPath = "/api/v1/payments/notify/";
constexpr int kReconcilePage = 200;
// Of a rejected notification's body, this much is kept for whoever debugs.
constexpr size_t kRejectedBodyBytes = 512;

Error NotPayable() { return Error::Conflict("payment_not_payable"); }

}  // namespace

PaymentsService::PaymentsService(db::Store& store, const Clock& clock, const AccessTokens& tokens)
    : store_(store), clock_(clock), tokens_(tokens) {}

void PaymentsService::AddProvider(std::unique_ptr<PaymentProvider> provider) {
  const std::string name = provider->name();
  if (!providers_.emplace(name, std::move(provider)).second) {
    throw std::logic_error("payment provider registered twice: " + name);
  }
  if (default_provider_.empty()) {
    default_provider_ = name;
  }
}

void PaymentsService::AddSandbox(std::unique_ptr<SandboxProvider> sandbox) {
  SandboxProvider* raw = sandbox.get();
  AddProvider(std::move(sandbox));
  sandbox_ = raw;
  sandbox_->set_notify_base_url(notify_base_url_);
}

void PaymentsService::set_default_provider(const std::string& name) {
  if (providers_.count(name) == 0) {
    throw std::logic_error("no payment provider " + name + " to make the default");
  }
  default_provider_ = name;
}

std::string PaymentsService::NotifyPath(std::string_view provider) { return kNotifyPath + std::string(provider); }

PaymentProvider* PaymentsService::Provider(std::string_view name) const {
  auto it = providers_.find(name.empty() ? std::string_view(default_provider_) : name);
  return it == providers_.end() ? nullptr : it->second.get();
}

Result<PaymentProvider*> PaymentsService::ProviderOf(const Payment& p) const {
  if (PaymentProvider* provider = Provider(p.provider)) {
    return provider;
  }
  return Error::Internal("no payment provider " + p.provider);  // removed from the configuration
}

void PaymentsService::Handle(const std::string& purpose, PaymentHandlers handlers) {
  handlers_[purpose] = std::move(handlers);
}

const PaymentHandlers* PaymentsService::HandlersOf(const std::string& purpose) const {
  auto it = handlers_.find(purpose);
  return it == handlers_.end() ? nullptr : &it->second;
}

void PaymentsService::set_notify_base_url(std::string url) {
  if (sandbox_ != nullptr) {
    sandbox_->set_notify_base_url(url);
  }
  notify_base_url_ = std::move(url);
}

Result<Payment> PaymentsService::CreateTx(db::Tx& tx, const NewPayment& in, int64_t now_ms) {
  const PaymentProvider* pp = Provider(in.provider);
  if (!pp) {
    if (providers_.empty()) {
      return Error{ErrorCode::kUnavailable, "payments_unavailable", {}, "no payment provider is configured"};
    }
    return Error::Internal("no payment provider " + in.provider);
  }
  Payment p;
  p.public_id = NewPublicId();
  p.payer_user_id = in.payer_user_id;
  p.provider = pp->name();
  p.purpose = in.purpose;
  p.ref_id = in.ref_id;
  p.amount_fen = in.amount_fen;
  p.description = in.description;
  p.status = "created";
  p.return_url = in.return_url;
  p.created_at_ms = now_ms;
  // Unique per (purpose, ref): one payment per donation.
  p.out_trade_no = "CC" + in.purpose.substr(0, 1) + std::to_string(in.ref_id) + "T" + std::to_string(now_ms);
  p.id = repo::Insert(tx, p);
  return p;
}

namespace {
constexpr std::string_view kPaymentKind = "payment";

// `url` with the guest's token appended as the `token` query parameter.
std::string WithToken(const std::string& url, const std::string& token) {
  return url + (url.find('?') == std::string::npos ? "?token=" : "&token=") + token;
}
}  // namespace

std::string PaymentsService::PayUrl(const Payment& p) const {
  const std::string url = "/pay/" + p.provider + "/" + p.public_id;
  return p.payer_user_id ? url : WithToken(url, tokens_.Issue(kPaymentKind, p.public_id));
}

std::string PaymentsService::ReturnUrl(const Payment& p) const {
  if (p.payer_user_id || p.return_url.empty()) {
    return p.return_url;
  }
  return WithToken(p.return_url, tokens_.Issue(kPaymentKind, p.public_id));
}

bool PaymentsService::GuestMayReach(const Payment& p, const Caller& caller) const {
  return !p.payer_user_id && tokens_.Allows(kPaymentKind, p.public_id, std::nullopt, caller);
}

Task<PayAction> PaymentsService::OpenOrder(const Payment& p, std::string payer_ip, Scene scene,
                                           std::string payer_openid) {
  auto provider = ProviderOf(p);
  if (!provider.ok()) {
    co_return std::move(provider).error();
  }
  OrderRequest order;
  order.out_trade_no = p.out_trade_no;
  order.amount_fen = p.amount_fen;
  order.description = p.description;
  order.notify_url = notify_base_url_ + NotifyPath(p.provider);
  // Fixed at creation: opening again (another scene, a fresh link) is the
  // same order to the provider, which refuses a changed time_expire.
  order.expires_at_ms = p.created_at_ms + kOrderExpiryMs;
  order.payer_ip = std::move(payer_ip);
  order.pay_page = PayUrl(p);
  order.scene = scene;
  order.payer_openid = std::move(payer_openid);
  const std::string& origin = public_origin_.empty() ? notify_base_url_ : public_origin_;
  if (const std::string back = ReturnUrl(p); !back.empty()) {
    order.return_url = origin + back;
  }
  order.quit_url = origin + order.pay_page;
  co_return co_await (*provider)->CreateOrder(order);
}

Task<std::string> PaymentsService::Open(const Payment& p, std::string payer_ip) {
  auto action = co_await OpenOrder(p, std::move(payer_ip), Scene::kNone, std::string());
  if (!action.ok()) {
    co_return std::move(action).error();
  }
  if (action->kind != PayAction::Kind::kRedirect) {
    co_return Error::Internal(p.provider + " answered an order without a scene with a payment sheet");
  }
  co_return std::move(action->url);
}

Task<PayAction> PaymentsService::Checkout(std::string public_id, Caller caller, CheckoutAsk ask) {
  Scene scene = Scene::kNone;
  if (ask.scene == "jsapi") {
    scene = Scene::kJsapi;
  } else if (ask.scene == "h5") {
    scene = Scene::kH5;
  } else if (!ask.scene.empty()) {
    co_return Error::Invalid("invalid_choice", "scene", "\"jsapi\", \"h5\" or \"\"");
  }
  auto p = co_await GetForPayer(public_id, caller);
  if (!p.ok()) {
    co_return std::move(p).error();
  }
  // A minute's margin: a sheet opened now must not outlive the order.
  if (p->status != "created" || clock_.NowMs() >= p->created_at_ms + kOrderExpiryMs - kMinuteMs) {
    co_return NotPayable();
  }
  co_return co_await OpenOrder(*p, std::move(ask.payer_ip), scene, std::move(ask.payer_openid));
}

Task<void> PaymentsService::OpenIfCreated(const Payment& p, std::string payer_ip) {
  if (p.status != "created") {
    co_return Result<void>{};
  }
  auto opened = co_await Open(p, std::move(payer_ip));
  if (!opened.ok()) {
    co_return std::move(opened).error();
  }
  co_return Result<void>{};
}

std::optional<Payment> PaymentsService::FindTx(db::Tx& tx, int64_t id) { return repo::Find(tx, id); }

Task<Payment> PaymentsService::GetById(int64_t id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Payment> {
    auto p = repo::Find(tx, id);
    if (!p) {
      return Error::NotFound("payment_not_found");
    }
    return *p;
  });
}

Task<Payment> PaymentsService::GetForPayer(const std::string& public_id, const Caller& caller) {
  if (!IsPublicId(public_id)) {
    co_return Error::NotFound("payment_not_found");
  }
  auto p = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Payment> {
    auto found = repo::FindByPublicId(tx, public_id);
    if (!found) {
      return Error::NotFound("payment_not_found");
    }
    return *found;
  });
  if (p.ok() && !tokens_.Allows(kPaymentKind, p->public_id, p->payer_user_id, caller)) {
    co_return Error::NotFound("payment_not_found");  // not the payer's: as if it did not exist
  }
  co_return p;
}

Task<Payment> PaymentsService::Get(std::string public_id, Caller caller) {
  co_return co_await GetForPayer(public_id, caller);
}

Task<Payment> PaymentsService::SandboxPay(std::string public_id, Caller caller) {
  auto p = co_await GetForPayer(public_id, caller);
  if (!p.ok() || sandbox_ == nullptr || p->provider != sandbox_->name()) {
    co_return Error::NotFound("payment_not_found");
  }
  auto paid = co_await sandbox_->PayOrder(p->out_trade_no);
  if (!paid.ok()) {
    // An order the sandbox never opened cannot be paid there.
    co_return paid.error().key == "provider_order_not_found" ? NotPayable() : std::move(paid).error();
  }
  co_return co_await GetById(p->id);
}

Task<Payment> PaymentsService::SandboxCancel(std::string public_id, Caller caller) {
  auto p = co_await GetForPayer(public_id, caller);
  if (!p.ok() || sandbox_ == nullptr || p->provider != sandbox_->name()) {
    co_return Error::NotFound("payment_not_found");
  }
  co_return co_await CancelCreated(*p);
}

Task<Payment> PaymentsService::Cancel(std::string public_id, Caller caller) {
  auto p = co_await GetForPayer(public_id, caller);
  if (!p.ok()) {
    co_return std::move(p).error();
  }
  co_return co_await CancelCreated(*p);
}

Task<Payment> PaymentsService::CancelCreated(const Payment& p) {
  if (p.status != "created") {
    co_return NotPayable();
  }
  co_return co_await CloseThereAndHere(p);
}

Task<Payment> PaymentsService::Close(int64_t payment_id) {
  auto p = co_await GetById(payment_id);
  if (!p.ok()) {
    co_return p;
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
  std::string no_payer_ip;  // named: no temporary (a default argument) inside co_await
  auto opened = co_await Open(p, no_payer_ip);  // fails if the payment's provider is unknown
  // (A provider that opens lazily has nothing there yet; its close finds no
  // order, which is closed enough.)
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
    if (const PaymentHandlers* h = HandlersOf(closed->purpose); h != nullptr && h->closed) {
      CC_TRY(h->closed(tx, *closed, now));
    }
    return *closed;
  });
}

Result<ConfirmOutcome> PaymentsService::ConfirmTx(db::Tx& tx, const std::string& provider, const PaidNotice& n,
                                                  int64_t now_ms) {
  if (auto p = repo::MarkPaid(tx, provider, n)) {
    const PaymentHandlers* h = HandlersOf(p->purpose);
    if (h == nullptr || !h->paid) {
      return Error::Internal("no handler for payments of purpose " + p->purpose);
    }
    CC_TRY(h->paid(tx, *p, now_ms));
    return ConfirmOutcome::kCredited;
  }
  auto p = repo::FindByTradeNo(tx, n.out_trade_no);
  if (!p || p->provider != provider || p->amount_fen != n.amount_fen) {
    return ConfirmOutcome::kRejected;  // not ours, another provider's, or the wrong amount
  }
  if (p->status == "paid" || p->status == "refunded") {
    return ConfirmOutcome::kDuplicate;
  }
  // Paid at the provider after we closed it: the money never entered our
  // books and goes back in full (RefundOrphans).
  PaymentOrphan orphan{0, p->id, provider, n.out_trade_no, n.transaction_id, n.amount_fen, now_ms,
                       n.out_trade_no + "X", "owed", "", std::nullopt};
  if (repo::InsertOrphan(tx, orphan)) {
    spdlog::warn("payments: {} order {} was paid after it was closed here; it will be refunded in full", provider,
                 n.out_trade_no);
  }
  return ConfirmOutcome::kOrphan;
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
  if (const auto* ignored = std::get_if<IgnoredNotice>(&*notice)) {
    const std::string label = "ignored:" + ignored->event;
    co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ConfirmOutcome> {
      repo::LogNotification(tx, name, "", true, label, body, now);
      return ConfirmOutcome::kIgnored;
    });
  }
  if (const auto* refund = std::get_if<RefundNotice>(&*notice)) {
    const RefundNotice& rn = *refund;
    co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ConfirmOutcome> {
      auto r = repo::FindRefundByNo(tx, rn.out_refund_no);
      auto p = r ? repo::Find(tx, r->payment_id) : std::nullopt;
      if (!r || !p || p->provider != name || p->out_trade_no != rn.out_trade_no ||
          (rn.amount_fen != 0 && rn.amount_fen != r->amount_fen)) {
        repo::LogNotification(tx, name, rn.out_trade_no, true, "rejected:unknown refund or amount mismatch", body, now);
        return ConfirmOutcome::kRejected;
      }
      CC_ASSIGN_OR_RETURN(const RefundApplied applied, ApplyRefundStateTx(tx, *r, rn.state, now));
      repo::LogNotification(tx, name, rn.out_trade_no, true, "refund:" + std::string(NameOf(applied)), body, now);
      return applied == RefundApplied::kRefunded || applied == RefundApplied::kWithdrawn ? ConfirmOutcome::kCredited
                                                                                          : ConfirmOutcome::kDuplicate;
    });
  }
  const PaidNotice& n = std::get<PaidNotice>(*notice);
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ConfirmOutcome> {
    auto outcome = ConfirmTx(tx, name, n, now);
    if (!outcome.ok()) {
      return outcome;
    }
    const char* label = *outcome == ConfirmOutcome::kCredited    ? "credited"
                        : *outcome == ConfirmOutcome::kDuplicate ? "duplicate"
                        : *outcome == ConfirmOutcome::kOrphan    ? "orphan:paid after it was closed; to be refunded"
                                                                 : "rejected:unknown order or amount mismatch";
    repo::LogNotification(tx, name, n.out_trade_no, true, label, body, now);
    return outcome;
  });
}

int64_t PaymentsService::PruneTx(db::Tx& tx, int64_t now_ms, int limit) {
  return repo::PruneRejectedNotifications(tx, now_ms - kRejectedRetentionMs, limit);
}

NotifyReply PaymentsService::Acknowledge(std::string_view provider, ConfirmOutcome outcome) const {
  if (const PaymentProvider* p = Provider(provider); p != nullptr && !provider.empty()) {
    return p->Acknowledge(outcome);
  }
  return NotifyReply{};
}

bool PaymentsService::TakeRejectLogSlot(const std::string& provider) {
  const int64_t minute = clock_.NowMs() / kMinuteMs;
  std::lock_guard lock(reject_mu_);
  if (minute != reject_minute_) {
    if (rejects_dropped_ > 0) {
      spdlog::warn("payments: {} more rejected notification(s) in the last minute were not stored", rejects_dropped_);
    }
    reject_minute_ = minute;
    rejects_logged_.clear();
    rejects_dropped_ = 0;
  }
  if (rejects_logged_[provider] >= kRejectedLoggedPerMinute) {
    ++rejects_dropped_;
    return false;
  }
  ++rejects_logged_[provider];
  return true;
}

boost::asio::awaitable<void> PaymentsService::LogRejected(const std::string& provider, const std::string& body,
                                                          const std::string& why) {
  // Anyone can post here: store a bounded number a minute, a bounded
  // prefix of each, so a flood costs neither the writer nor the disk.
  if (!TakeRejectLogSlot(provider)) {
    co_return;
  }
  const int64_t now = clock_.NowMs();
  auto logged = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    repo::LogNotification(tx, provider, "", false, "rejected:" + why, body.substr(0, kRejectedBodyBytes), now);
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

Task<Payment> PaymentsService::Query(std::string public_id, Caller caller) {
  auto p = co_await GetForPayer(public_id, caller);
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
  co_return co_await GetById(p->id);
}

std::string_view PaymentsService::NameOf(RefundApplied applied) {
  switch (applied) {
    case RefundApplied::kRefunded:
      return "refunded";
    case RefundApplied::kWithdrawn:
      return "withdrawn";
    case RefundApplied::kProcessing:
      return "processing";
    case RefundApplied::kAbnormal:
      return "abnormal";
    case RefundApplied::kDuplicate:
      return "duplicate";
    case RefundApplied::kConflict:
      return "conflict";
  }
  return "unknown";
}

int64_t PaymentsService::NextQueryDelayMs(int64_t age_ms) {
  return std::clamp(age_ms / 4, kMinQueryDelayMs, kMaxQueryDelayMs);
}

Task<int64_t> PaymentsService::Reconcile(int64_t older_than_ms) {
  const int64_t before_ms = clock_.NowMs() - older_than_ms;
  auto confirmed = co_await ReconcileOpenPayments(before_ms, /*due_only=*/older_than_ms > 0);
  if (!confirmed.ok()) {
    co_return confirmed;
  }
  auto finished = co_await FinishRequestedRefunds(before_ms);
  if (!finished.ok()) {
    co_return std::move(finished).error();
  }
  auto orphans = co_await RefundOrphans();
  if (!orphans.ok()) {
    co_return std::move(orphans).error();
  }
  co_return confirmed;
}

Task<int64_t> PaymentsService::ReconcileOpenPayments(int64_t before_ms, bool due_only) {
  const int64_t now = clock_.NowMs();
  int64_t confirmed = 0;
  int64_t after = 0;
  for (;;) {
    auto page = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Payment>> {
      // Not due_only: every open payment (`carecity payments reconcile`).
      return repo::ListOpen(tx, after, before_ms, due_only ? now : INT64_MAX, now - kOrderExpiryMs, kReconcilePage);
    });
    if (!page.ok()) {
      co_return std::move(page).error();
    }
    for (const Payment& p : *page) {
      after = p.id;
      auto provider = ProviderOf(p);
      if (!provider.ok()) {
        // Its provider is no longer configured (the sandbox switched off?):
        // nobody can be asked, so it stays open; say so, never silently.
        spdlog::warn("payments: {} is open at provider {}, which is not configured; not reconciled", p.out_trade_no,
                     p.provider);
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
        continue;
      }
      // Unpaid, or the provider could not say: ask again later, the longer
      // the older the order (its payer has most likely gone), so a real
      // provider is not asked about every abandoned order every round.
      const int64_t next = now + NextQueryDelayMs(now - p.created_at_ms);
      auto noted = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
        repo::SetNextQuery(tx, p.id, next);
        return {};
      });
      (void)noted;  // not noted: it is simply asked about again next round
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
      auto done = co_await FinishRefund(std::move(r), /*query_first=*/true);
      if (!done.ok()) {
        spdlog::error("payments: finishing refund {} failed: {}", no, done.error().key);
      }
    }
    if (static_cast<int>(page->size()) < kReconcilePage) {
      co_return Status{};
    }
  }
}

Task<void> PaymentsService::RefundOrphans() {
  int64_t after = 0;
  for (;;) {
    auto page = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<PaymentOrphan>> {
      return repo::ListOrphans(tx, "owed", after, kReconcilePage);
    });
    if (!page.ok()) {
      co_return std::move(page).error();
    }
    for (const PaymentOrphan& o : *page) {
      after = o.id;
      PaymentProvider* provider = Provider(o.provider);
      if (provider == nullptr) {
        spdlog::warn("payments: orphan {} is at provider {}, which is not configured", o.out_trade_no, o.provider);
        continue;
      }
      // The same number every time: asking again can never refund twice.
      auto state = co_await provider->Refund(o.out_trade_no, o.out_refund_no, o.amount_fen, o.amount_fen);
      std::string status;
      std::string detail;
      if (!state.ok()) {
        if (state.error().key == "provider_unavailable") {
          continue;  // the next round asks again
        }
        status = "abnormal";
        detail = state.error().key + (state.error().detail.empty() ? "" : ": " + state.error().detail);
      } else if (state->kind == RefundState::Kind::kSucceeded) {
        status = "refunded";
      } else if (state->kind == RefundState::Kind::kProcessing) {
        continue;
      } else {
        status = "abnormal";
        detail = state->kind == RefundState::Kind::kClosed ? "refund closed" : "refund abnormal";
      }
      const int64_t now = clock_.NowMs();
      auto settled = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
        repo::SettleOrphan(tx, o.id, status, detail, now);
        return {};
      });
      if (!settled.ok()) {
        co_return std::move(settled).error();
      }
      if (status == "abnormal") {
        spdlog::error("payments: {} could not refund {} paid after it was closed ({}); a fund admin must settle it",
                      o.provider, o.out_trade_no, detail);
      }
    }
    if (static_cast<int>(page->size()) < kReconcilePage) {
      co_return Status{};
    }
  }
}

Task<std::vector<PaymentOrphan>> PaymentsService::Orphans() {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<PaymentOrphan>> {
    return repo::ListOrphans(tx, "", 0, 1000);
  });
}

Task<void> PaymentsService::Refund(int64_t payment_id, RefundAsk ask) {
  const int64_t now = clock_.NowMs();
  // Set when the key names a refund asked before: finished, not asked again.
  bool replay = false;
  auto requested = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<PaymentRefund> {
    auto p = repo::Find(tx, payment_id);
    if (!p) {
      return Error::NotFound("payment_not_found");
    }
    // The refund of all that is left has one number; a keyed one, the
    // number its key makes (a retry is the same refund, at the provider too).
    const std::string no =
        p->out_trade_no + "R" + (ask.key.empty() ? std::string() : Sha256Hex(ask.key).substr(0, 16));
    const int64_t left = p->amount_fen - p->refunded_fen;
    const int64_t amount = ask.amount_fen.value_or(left);
    if (!ask.key.empty()) {
      if (auto before = repo::FindRefundByNo(tx, no)) {
        if (before->amount_fen != amount && ask.amount_fen) {
          return Error::Conflict("idempotency_key_reused");
        }
        if (before->detail != ask.detail) {
          return Error::Conflict("idempotency_key_reused");
        }
        replay = true;
        return std::move(*before);
      }
    }
    if (p->status != "paid" || amount <= 0 || amount > left) {
      return Error::Conflict("payment_not_refundable");
    }
    PaymentRefund r{0, p->id, no, amount, ask.reason, ask.requested_by, "requested", now, ask.detail};
    // Refused by the database if the number is taken or another request is
    // under way (it waits for that one's transaction first): what is left
    // was read while nothing else could book against it.
    auto id = repo::InsertRefundRequest(tx, r);
    if (!id) {
      return Error::Conflict("refund_under_way");
    }
    r.id = *id;
    if (const PaymentHandlers* h = HandlersOf(p->purpose); h != nullptr && h->refund_requested) {
      CC_TRY(h->refund_requested(tx, *p, r, now));  // may refuse: then nothing was written
    }
    return r;
  });
  if (!requested.ok()) {
    co_return std::move(requested).error();
  }
  if (replay && requested->status == "succeeded") {
    co_return Status{};
  }
  co_return co_await FinishRefund(std::move(requested).value(), /*query_first=*/replay);
}

Task<void> PaymentsService::FinishRefund(PaymentRefund r, bool query_first) {
  auto p = co_await GetById(r.payment_id);
  if (!p.ok()) {
    co_return std::move(p).error();
  }
  auto provider = ProviderOf(*p);
  if (!provider.ok()) {
    co_return std::move(provider).error();
  }
  const std::string trade_no = p->out_trade_no;
  const std::string refund_no = r.out_refund_no;
  // A request asked before (its answer lost, or still processing): where it
  // stands, and only if the provider never had it, asked again (under the
  // same number, so asking twice cannot refund twice either).
  std::optional<Result<RefundState>> state;
  if (query_first) {
    state.emplace(co_await (*provider)->QueryRefund(trade_no, refund_no));
    if (!state->ok() && state->error().key == "provider_refund_not_found") {
      state.reset();
    }
  }
  if (!state) {
    state.emplace(co_await (*provider)->Refund(trade_no, refund_no, r.amount_fen, p->amount_fen));
  }
  const int64_t now = clock_.NowMs();
  if (!state->ok()) {
    const std::string key = state->error().key;
    if (key == "provider_refused" || key == "provider_order_not_found") {
      // Nothing went back: withdraw the request so the books stay as they are.
      auto withdrawn = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RefundApplied> {
        return ApplyRefundStateTx(tx, r, RefundState{RefundState::Kind::kClosed, {}, std::nullopt}, now);
      });
      (void)withdrawn;
      spdlog::error("payments: {} refused refund {} for {}: {}", p->provider, refund_no, trade_no, key);
      co_return Error::Conflict("payment_not_refundable");
    }
    co_return std::move(*state).error();  // provider_unavailable: reconciliation retries
  }
  const RefundState& answer = **state;
  auto applied = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RefundApplied> {
    return ApplyRefundStateTx(tx, r, answer, now);
  });
  if (!applied.ok()) {
    co_return std::move(applied).error();
  }
  if (*applied == RefundApplied::kConflict || *applied == RefundApplied::kWithdrawn) {
    co_return Error::Conflict("payment_not_refundable");
  }
  co_return Status{};
}

Result<PaymentsService::RefundApplied> PaymentsService::ApplyRefundStateTx(db::Tx& tx, const PaymentRefund& r,
                                                                          const RefundState& state, int64_t now_ms) {
  switch (state.kind) {
    case RefundState::Kind::kSucceeded: {
      if (!repo::MarkRefundSucceeded(tx, r.id)) {
        auto now_is = repo::FindRefund(tx, r.id);
        if (now_is && now_is->status == "succeeded") {
          return RefundApplied::kDuplicate;  // booked already (a notification or reconciliation raced this)
        }
        // Withdrawn here, yet the provider returned the money: no automatic
        // way back; whoever keeps the books must see it.
        spdlog::error("payments: refund {} succeeded at the provider but was withdrawn here", r.out_refund_no);
        return RefundApplied::kConflict;
      }
      if (!repo::AddRefunded(tx, r.payment_id, r.amount_fen)) {
        return Error::Internal("refund " + r.out_refund_no + " is for a payment that is not paid, or beyond its amount");
      }
      auto refunded = repo::Find(tx, r.payment_id);
      if (const PaymentHandlers* h = HandlersOf(refunded->purpose); h != nullptr && h->refunded) {
        CC_TRY(h->refunded(tx, *refunded, r, now_ms));
      }
      return RefundApplied::kRefunded;
    }
    case RefundState::Kind::kClosed: {
      if (!repo::DeleteRefundRequest(tx, r.id)) {
        return RefundApplied::kDuplicate;  // booked or withdrawn meanwhile
      }
      auto payment = repo::Find(tx, r.payment_id);
      if (const PaymentHandlers* h = HandlersOf(payment->purpose); h != nullptr && h->refund_withdrawn) {
        CC_TRY(h->refund_withdrawn(tx, *payment, r, now_ms));
      }
      return RefundApplied::kWithdrawn;
    }
    case RefundState::Kind::kProcessing:
      return RefundApplied::kProcessing;  // asked about again by reconciliation
    case RefundState::Kind::kAbnormal:
      spdlog::error("payments: refund {} is stuck at the provider (abnormal): settle it in the provider's console",
                    r.out_refund_no);
      return RefundApplied::kAbnormal;
  }
  return Error::Internal("unknown refund state");
}

}  // namespace carecity::payments
