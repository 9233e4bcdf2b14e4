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
// Thread-safety: configure (AddProvider, OnPaid, OnClosed,
// set_notify_base_url) before serving; afterwards all methods are safe to
// call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/payments/model.h"
#include "domains/payments/provider.h"
#include "domains/payments/sandbox_provider.h"

namespace carecity::payments {

class PaymentsService {
 public:
  // Runs inside the confirming transaction; an error rolls the confirmation back.
  using PaidListener = std::function<Status(db::Tx&, const Payment&, int64_t now_ms)>;
  // Runs inside the transaction that books a refund the provider has made.
  using RefundListener = std::function<Status(db::Tx&, const Payment&, const PaymentRefund&, int64_t now_ms)>;

  // Unpaid orders are closed (at the provider and here) this long after
  // they were created, as WeChat Pay's time_expire does by default.
  static constexpr int64_t kOrderExpiryMs = 2 * 60 * 60 * 1000;

  // `sandbox` is the built-in provider and the default for new payments.
  PaymentsService(db::Store& store, const Clock& clock, std::unique_ptr<SandboxProvider> sandbox);

  // Another provider (its name() must be new). Before serving.
  void AddProvider(std::unique_ptr<PaymentProvider> provider);
  void OnPaid(const std::string& purpose, PaidListener listener);
  // Runs in the transaction that closes an unpaid payment (payer cancelled,
  // or the order expired).
  void OnClosed(const std::string& purpose, PaidListener listener);
  void OnRefunded(const std::string& purpose, RefundListener listener);
  // "http://127.0.0.1:8080": our notify URLs are this + /api/v1/payments/notify/{provider}.
  void set_notify_base_url(std::string url);

  SandboxProvider& sandbox() { return *sandbox_; }

  // Inside the caller's transaction: a payment in state `created` with the
  // given provider ("" = the sandbox). Returns it with its id. Its order is
  // opened by Open() once this transaction has committed.
  Result<Payment> CreateTx(db::Tx& tx, const std::string& purpose, int64_t ref_id, int64_t amount_fen,
                           const std::string& description, const std::string& return_url, int64_t now_ms,
                           const std::string& provider = "");
  // Opens the payment's order at its provider (expiring kOrderExpiryMs after
  // the payment was created) and returns the provider's pay link. Idempotent:
  // safe to repeat (an Idempotency-Key replay does, and so does our pay page
  // when a provider's link has expired). Errors: provider_unavailable,
  // provider_refused.
  Task<std::string> Open(const Payment& p, std::string payer_ip = {});
  // The page the payer is sent to: ours, /pay/{provider}/{id}.
  static std::string PayUrl(const Payment& p) { return "/pay/" + p.provider + "/" + std::to_string(p.id); }

  Task<Payment> Get(int64_t id);
  // Inside the caller's transaction.
  std::optional<Payment> FindTx(db::Tx& tx, int64_t id);

  // The sandbox pay page's buttons. Pay has the sandbox mark its order paid
  // and deliver the notification; Cancel closes the order at the provider
  // (opening it first if the donation's own request has not yet, so a late
  // open cannot revive it) and then the payment here. Errors:
  // payment_not_found, payment_not_payable.
  Task<Payment> SandboxPay(int64_t id);
  Task<Payment> Cancel(int64_t id);

  // POST /api/v1/payments/notify/{provider}. Every notification, accepted or
  // not, is logged. Errors: provider_not_found (404) and the provider's
  // VerifyNotification errors.
  Task<ConfirmOutcome> HandleNotify(std::string_view provider, const std::string& body, const HeaderLookup& header);

  // Active query: asks the provider and confirms if it reports the order paid.
  Task<Payment> Query(int64_t id);

  // Asks the providers about payments still `created` at least
  // `older_than_ms` old and confirms those reported paid (notifications lost
  // to a crash or the network); closes those unpaid past kOrderExpiryMs; and
  // finishes refunds requested at least `older_than_ms` ago that were never
  // booked. A payment that fails is logged and left for the next run.
  // Returns how many payments were confirmed. `serve` runs it every 30 s for
  // payments older than a minute; `carecity payments reconcile` for all.
  Task<int64_t> Reconcile(int64_t older_than_ms);

  // Refunds a paid payment in full: the request is written first, then the
  // provider returns the money (idempotent on the refund number, so a retry
  // never refunds twice), then it is booked: the payment becomes `refunded`
  // and the purpose's OnRefunded listener runs in the same transaction. If
  // the provider cannot be reached, or the server stops, the request stays
  // and reconciliation finishes it. Errors: payment_not_found,
  // payment_not_refundable (not paid, or a refund already requested),
  // provider_unavailable.
  Task<void> Refund(int64_t payment_id, std::string reason, std::optional<int64_t> requested_by);

 private:
  PaymentProvider* Provider(std::string_view name) const;
  // The payment's provider; internal_error if it is no longer configured.
  Result<PaymentProvider*> ProviderOf(const Payment& p) const;
  // Reconcile's two halves: open payments created at or before `before_ms`,
  // and refund requests made by then that were never booked.
  Task<int64_t> ReconcileOpenPayments(int64_t before_ms);
  Task<void> FinishRequestedRefunds(int64_t before_ms);
  Result<ConfirmOutcome> ConfirmTx(db::Tx& tx, const std::string& provider, const PaidNotice& notice, int64_t now_ms);
  // Confirms `p` from the provider's answer to a query (no-op unless paid).
  Task<void> ConfirmFromOrder(const Payment& p, const ProviderOrder& order, const char* how);
  // Closes the order at the provider (opening it first if need be), then the
  // payment here. payment_not_payable if the payer paid first.
  Task<Payment> CloseThereAndHere(const Payment& p);
  // Closes the payment here once its provider order is closed.
  Task<Payment> CloseHere(int64_t id);
  // Has the provider return a requested refund, then books it.
  Task<void> FinishRefund(PaymentRefund r);
  boost::asio::awaitable<void> LogRejected(const std::string& provider, const std::string& body,
                                           const std::string& why);

  db::Store& store_;
  const Clock& clock_;
  SandboxProvider* sandbox_ = nullptr;  // also in providers_
  std::map<std::string, std::unique_ptr<PaymentProvider>, std::less<>> providers_;
  std::string notify_base_url_;
  std::map<std::string, PaidListener> listeners_;
  std::map<std::string, PaidListener> close_listeners_;
  std::map<std::string, RefundListener> refund_listeners_;
};

}  // namespace carecity::payments
