// Payments: one service over the providers (provider.h). Owning domains
// create a payment inside their own transaction, then ask the service to
// open its order at the provider; the provider's signed notification (or an
// active query, or reconciliation) confirms it.
//
// A payment is confirmed at most once, whatever arrives: duplicate, delayed
// or out-of-order notifications and active queries all go through one
// conditional UPDATE (created -> paid) in the same transaction as the
// owning domain's listener (the fund posts its ledger entry there).
//
// Every payment answers its payer only (core/access.h): their session, or
// for a guest the token the pay link carries; anyone else gets 404.
//
// Thread-safety: configure (AddProvider, AddSandbox, Handle,
// set_notify_base_url) before serving; afterwards all methods are safe to
// call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <string_view>

#include "core/access.h"
#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/payments/model.h"
#include "domains/payments/provider.h"
#include "domains/payments/sandbox_provider.h"

namespace carecity::payments {

// What an owning domain does when its payments change state. Each runs
// inside the transaction that makes the change, so the domain's books move
// with the payment or not at all; an error rolls the change back.
struct PaymentHandlers {
  // created -> paid (the provider's notification, a query, reconciliation).
  std::function<Status(db::Tx&, const Payment&, int64_t now_ms)> paid;
  // created -> closed (the payer cancelled, or the order expired).
  std::function<Status(db::Tx&, const Payment&, int64_t now_ms)> closed;
  // A refund is about to be asked of the provider: may refuse it (an error
  // here and nothing is written or asked). Optional.
  std::function<Status(db::Tx&, const Payment&, const PaymentRefund&, int64_t now_ms)> refund_requested;
  // The provider refused a requested refund: the request is withdrawn.
  // Optional.
  std::function<Status(db::Tx&, const Payment&, const PaymentRefund&, int64_t now_ms)> refund_withdrawn;
  // The provider returned the money (booked: the payment is `refunded` once
  // all of it went back, else still `paid` with refunded_fen raised).
  std::function<Status(db::Tx&, const Payment&, const PaymentRefund&, int64_t now_ms)> refunded;
};

class PaymentsService {
 public:
  // Unpaid orders are closed (at the provider and here) this long after
  // they were created, as WeChat Pay's time_expire does by default.
  static constexpr int64_t kOrderExpiryMs = 2 * 60 * 60 * 1000;

  // `tokens` gives guests their access tokens (core/access.h) and must
  // outlive the service.
  PaymentsService(db::Store& store, const Clock& clock, const AccessTokens& tokens);

  // A provider (its name() must be new). The first one added is the default
  // for new payments. Before serving.
  void AddProvider(std::unique_ptr<PaymentProvider> provider);
  // The built-in sandbox, when configured ([payments] sandbox = true).
  void AddSandbox(std::unique_ptr<SandboxProvider> sandbox);
  // New payments use this provider (added before) instead of the first.
  void set_default_provider(const std::string& name);
  const std::string& default_provider() const { return default_provider_; }
  // "/api/v1/payments/notify/{provider}": where each provider posts its
  // notifications (a real one at the site's public origin).
  static std::string NotifyPath(std::string_view provider);
  // What happens to payments of `purpose` ("donation"). Before serving.
  void Handle(const std::string& purpose, PaymentHandlers handlers);
  // "http://127.0.0.1:8080": our notify URLs are this + /api/v1/payments/notify/{provider}.
  void set_notify_base_url(std::string url);
  // "https://care.example.cn": where a provider's page sends the payer back
  // (absolute return URLs). Empty: the notify base.
  void set_public_origin(std::string origin) { public_origin_ = std::move(origin); }

  // The sandbox provider, or nullptr when it is not configured.
  SandboxProvider* sandbox() { return sandbox_; }
  bool has_provider() const { return !providers_.empty(); }

  // Inside the caller's transaction: a payment in state `created` with a new
  // public id. Its order is opened by Open() once this transaction has
  // committed. Errors: payments_unavailable (no provider configured, 503).
  Result<Payment> CreateTx(db::Tx& tx, const NewPayment& in, int64_t now_ms);
  // Opens the payment's order at its provider (expiring kOrderExpiryMs after
  // the payment was created) and returns the provider's pay link. Idempotent:
  // safe to repeat (an Idempotency-Key replay does, and so does our pay page
  // when a provider's link has expired). Errors: provider_unavailable,
  // provider_refused.
  // (No default for `payer_ip`: a default argument is a temporary inside
  // the caller's co_await, the g++ 12 trap.)
  Task<std::string> Open(const Payment& p, std::string payer_ip);
  // The pay page, in the scene it finds itself in ("jsapi" inside WeChat
  // with the payer's openid, "h5" in another mobile browser, "" where the
  // provider's page is ours): opens the order at the provider for that
  // scene and says what the browser does next. For the payer only (as
  // Get); refused (payment_not_payable) once the payment is not `created`
  // or within a minute of its expiry, so no pay sheet outlives the order.
  // Errors: payment_not_found, payment_not_payable, invalid scene,
  // openid_required, provider_unavailable, provider_refused.
  struct CheckoutAsk {
    std::string scene;         // "", "h5" or "jsapi"
    std::string payer_ip;
    std::string payer_openid;  // jsapi
  };
  Task<PayAction> Checkout(std::string public_id, Caller caller, CheckoutAsk ask);
  // After the owning domain committed a new payment (a donation, an order):
  // opens its order if it is still `created`. A replay of that domain's
  // Idempotency-Key calls this again, which opens an order whose first open
  // failed and leaves a paid or closed payment as it is.
  Task<void> OpenIfCreated(const Payment& p, std::string payer_ip);
  // The page the payer is sent to: ours, /pay/{provider}/{public_id}, with
  // the access token for a guest's payment.
  std::string PayUrl(const Payment& p) const;
  // Where the payer goes afterwards: the payment's return_url, with the same
  // token for a guest (the owning domain accepts it: GuestMayReach).
  std::string ReturnUrl(const Payment& p) const;
  // Whether `caller` holds the guest token of payment `p` (the owning
  // domain's guest pages use this: one token per guest checkout).
  bool GuestMayReach(const Payment& p, const Caller& caller) const;

  // The payer's view: their session, or for a guest's payment the token its
  // pay link carries. Anyone else: payment_not_found (404), as if it did not
  // exist.
  Task<Payment> Get(std::string public_id, Caller caller);
  // Inside the caller's transaction.
  std::optional<Payment> FindTx(db::Tx& tx, int64_t id);

  // The sandbox pay page's buttons, for the payer only (as Get), and only
  // for the sandbox's payments. Pay has the sandbox mark its order paid and
  // deliver the notification; SandboxCancel is Cancel. Errors:
  // payment_not_found, payment_not_payable.
  Task<Payment> SandboxPay(std::string public_id, Caller caller);
  Task<Payment> SandboxCancel(std::string public_id, Caller caller);
  // The payer gives up, at any provider: the order is closed there (opened
  // first if the owning domain's own request has not yet, so a late open
  // cannot revive it) and then here. Errors: payment_not_found,
  // payment_not_payable (not `created`, or the payer paid first: the
  // notification or a query confirms it), the provider's.
  Task<Payment> Cancel(std::string public_id, Caller caller);
  // The owning domain closes its unpaid payment (the buyer cancelled its
  // order, or the order expired): at the provider first, then here, where
  // the purpose's `closed` handler runs. Errors: payment_not_found,
  // payment_not_payable (paid first, or already closed), the provider's.
  Task<Payment> Close(int64_t payment_id);

  // POST /api/v1/payments/notify/{provider} with the raw body. Rejected
  // notifications are logged (at most kRejectedLoggedPerMinute a minute per
  // provider; beyond that only counted), accepted ones always. Errors:
  // provider_not_found (404) and the provider's VerifyNotification errors.
  Task<ConfirmOutcome> HandleNotify(std::string_view provider, const std::string& body, const HeaderLookup& header);
  // The provider's reply to a handled notification.
  NotifyReply Acknowledge(std::string_view provider, ConfirmOutcome outcome) const;
  static constexpr int kRejectedLoggedPerMinute = 30;

  // Rejected notifications are kept this long (for whoever investigates an
  // attack), then pruned; accepted ones are the evidence of each payment and
  // stay.
  static constexpr int64_t kRejectedRetentionMs = 30LL * 24 * 60 * 60 * 1000;
  // Deletes up to `limit` rejected notifications past their retention.
  int64_t PruneTx(db::Tx& tx, int64_t now_ms, int limit);

  // Active query (the payer's "I paid" button): asks the provider and
  // confirms if it reports the order paid. For the payer only (as Get).
  Task<Payment> Query(std::string public_id, Caller caller);

  // Asks the providers about payments still `created` at least
  // `older_than_ms` old and confirms those reported paid (notifications lost
  // to a crash or the network); one found unpaid is asked about again only
  // NextQueryDelayMs(its age) later (with older_than_ms 0, as the command
  // runs it, every open payment is asked about now); closes those unpaid
  // past kOrderExpiryMs;
  // finishes refunds requested at least `older_than_ms` ago that were never
  // booked; and refunds money paid for payments closed here (orphans). A
  // payment that fails is logged and left for the next run. Returns how
  // many payments were confirmed. `serve` runs it every 30 s for payments
  // older than a minute; `carecity payments reconcile` for all.
  Task<int64_t> Reconcile(int64_t older_than_ms);
  // How long reconciliation waits before asking again about an open payment
  // of this age: a quarter of its age, from 30 s to 10 minutes.
  static int64_t NextQueryDelayMs(int64_t age_ms);
  static constexpr int64_t kMinQueryDelayMs = 30 * 1000;
  static constexpr int64_t kMaxQueryDelayMs = 10 * 60 * 1000;

  // Money paid at a provider for a payment we had closed (orphans): every
  // one, newest last, for fund admins; Reconcile refunds those owed.
  Task<std::vector<PaymentOrphan>> Orphans();

  // Refunds all or part of a paid payment: the request is written first
  // (the purpose's refund_requested handler may refuse it), then the
  // provider returns the money (idempotent on the refund number, so a retry
  // never refunds twice), then it is booked: refunded_fen rises (the payment
  // is `refunded` once all went back) and the purpose's refunded handler
  // runs in the same transaction. One request at a time per payment, never
  // beyond what is left. With ask.key, asking again with the same key and
  // the same amount and detail is the same refund (finished if it was not);
  // with the key and something else, idempotency_key_reused. If the
  // provider cannot be reached, or the server stops, the request stays and
  // reconciliation finishes it. Errors: payment_not_found,
  // payment_not_refundable (not paid, or more than is left),
  // refund_under_way (another request of this payment is not booked yet),
  // idempotency_key_reused, provider_unavailable, and the
  // refund_requested handler's errors.
  Task<void> Refund(int64_t payment_id, RefundAsk ask);

 private:
  PaymentProvider* Provider(std::string_view name) const;
  // Opens `p`'s order at its provider in `scene` (Open and Checkout).
  Task<PayAction> OpenOrder(const Payment& p, std::string payer_ip, Scene scene, std::string payer_openid);
  // The payment's provider; internal_error if it is no longer configured.
  Result<PaymentProvider*> ProviderOf(const Payment& p) const;
  const PaymentHandlers* HandlersOf(const std::string& purpose) const;
  Task<Payment> GetById(int64_t id);
  // The payment if `caller` is its payer, else payment_not_found.
  Task<Payment> GetForPayer(const std::string& public_id, const Caller& caller);
  // Reconcile's two halves: open payments created at or before `before_ms`,
  // and refund requests made by then that were never booked.
  Task<int64_t> ReconcileOpenPayments(int64_t before_ms, bool due_only);
  Task<void> FinishRequestedRefunds(int64_t before_ms);
  // Refunds in full, at their provider, the orphans still owed.
  Task<void> RefundOrphans();
  Result<ConfirmOutcome> ConfirmTx(db::Tx& tx, const std::string& provider, const PaidNotice& notice, int64_t now_ms);
  // Confirms `p` from the provider's answer to a query (no-op unless paid).
  Task<void> ConfirmFromOrder(const Payment& p, const ProviderOrder& order, const char* how);
  // Closes the order at the provider (opening it first if need be), then the
  // payment here. payment_not_payable if the payer paid first.
  Task<Payment> CloseThereAndHere(const Payment& p);
  // The payer's cancel of a payment they reached: payment_not_payable unless
  // it is `created`, else closed there and here.
  Task<Payment> CancelCreated(const Payment& p);
  // Closes the payment here once its provider order is closed.
  Task<Payment> CloseHere(int64_t id);
  // Has the provider return a requested refund, then books it as the
  // provider says it stands (ApplyRefundStateTx). `query_first`: the
  // request was made before, so ask where it stands before asking again.
  Task<void> FinishRefund(PaymentRefund r, bool query_first);
  // Books a refund request the provider reports succeeded (refunded_fen
  // rises, the purpose's `refunded` handler runs), withdraws one it closed,
  // leaves one processing or abnormal. Returns what it did.
  enum class RefundApplied {
    kRefunded,
    kWithdrawn,
    kProcessing,
    kAbnormal,
    kDuplicate,  // booked or withdrawn before
    kConflict,   // succeeded at the provider but withdrawn here
  };
  Result<RefundApplied> ApplyRefundStateTx(db::Tx& tx, const PaymentRefund& r, const RefundState& state,
                                           int64_t now_ms);
  // "refunded", "withdrawn", …: as the notification log records it.
  static std::string_view NameOf(RefundApplied applied);
  // Whether this rejected notification may still be stored this minute.
  bool TakeRejectLogSlot(const std::string& provider);
  boost::asio::awaitable<void> LogRejected(const std::string& provider, const std::string& body,
                                           const std::string& why);

  db::Store& store_;
  const Clock& clock_;
  const AccessTokens& tokens_;
  SandboxProvider* sandbox_ = nullptr;  // also in providers_; nullptr unless configured
  std::string default_provider_;
  std::map<std::string, std::unique_ptr<PaymentProvider>, std::less<>> providers_;
  std::string notify_base_url_;
  std::string public_origin_;
  std::map<std::string, PaymentHandlers> handlers_;

  // Rejected notifications stored per provider in the current minute; all
  // three guarded by reject_mu_.
  std::mutex reject_mu_;
  int64_t reject_minute_ = 0;
  std::map<std::string, int> rejects_logged_;
  int64_t rejects_dropped_ = 0;
};

}  // namespace carecity::payments
