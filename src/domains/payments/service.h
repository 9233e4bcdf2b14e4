// Payments: one service over the providers. The built-in `sandbox` provider
// keeps its own order book (sandbox_orders), has its own pay page, and calls
// back our notify URL over HTTP with an HMAC-signed notification, exactly as
// a real provider would — so the whole flow is tested end to end here.
//
// A payment is confirmed at most once, whatever arrives: duplicate, delayed
// or out-of-order notifications and active queries all go through one
// conditional UPDATE (created -> paid) in the same transaction as the
// owning domain's listener (the fund posts its ledger entry there).
//
// Thread-safety: configure (OnPaid, set_notify_base_url) before serving;
// afterwards all methods are safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/payments/model.h"

namespace carecity::payments {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

class PaymentsService {
 public:
  // Runs inside the confirming transaction; an error rolls the confirmation back.
  using PaidListener = std::function<Status(db::Tx&, const Payment&, int64_t now_ms)>;

  PaymentsService(db::Store& store, const Clock& clock, SandboxConfig sandbox, std::string sandbox_secret);

  void OnPaid(const std::string& purpose, PaidListener listener);
  // Runs in the transaction that closes an unpaid payment (payer cancelled).
  void OnClosed(const std::string& purpose, PaidListener listener);
  // "http://127.0.0.1:8080": where the sandbox delivers notifications.
  void set_notify_base_url(std::string url) { notify_base_url_ = std::move(url); }

  // Inside the caller's transaction: a payment in state `created`, with its
  // order opened at the provider (the sandbox's order book is local, so it
  // is opened in the same transaction). Returns the payment with its id.
  Payment CreateTx(db::Tx& tx, const std::string& purpose, int64_t ref_id, int64_t amount_fen,
                   const std::string& description, const std::string& return_url, int64_t now_ms);
  // The provider page the payer is sent to.
  static std::string PayUrl(const Payment& p) { return "/pay/" + p.provider + "/" + std::to_string(p.id); }

  Task<Payment> Get(int64_t id);
  // Inside the caller's transaction.
  std::optional<Payment> FindTx(db::Tx& tx, int64_t id);

  // The sandbox pay page's buttons. Pay marks the provider's order paid and
  // delivers the notification (before answering, unless a delay is set).
  // Errors: payment_not_found, payment_not_payable (closed/refunded).
  Task<Payment> SandboxPay(int64_t id);
  Task<Payment> SandboxCancel(int64_t id);

  // POST /api/v1/payments/notify/sandbox. Errors: invalid_signature (401),
  // stale_notification (401), invalid_notification (400).
  Task<ConfirmOutcome> HandleSandboxNotify(const std::string& body, std::string_view timestamp,
                                           std::string_view nonce, std::string_view signature);

  // Active query: asks the provider and confirms if it reports the order paid.
  Task<Payment> Query(int64_t id);

  // Confirms payments still `created` at least `older_than_ms` old that the
  // provider reports paid (a notification lost to a crash or a network
  // failure). Returns how many were confirmed. Run periodically by `serve`
  // and by `carecity payments reconcile`.
  Result<int64_t> ReconcileTx(db::Tx& tx, int64_t older_than_ms, int limit, int64_t now_ms);

  // Refunds a paid payment inside the caller's transaction (the sandbox
  // refunds at once). Errors: payment_not_refundable.
  Status RefundTx(db::Tx& tx, int64_t payment_id, const std::string& reason, int64_t now_ms);

  // The signature the sandbox puts on a notification (exposed for tests that
  // forge or replay notifications).
  std::string SandboxSign(std::string_view timestamp, std::string_view nonce, std::string_view body) const;

 private:
  Result<ConfirmOutcome> ConfirmTx(db::Tx& tx, const PaidNotice& notice, int64_t now_ms);
  boost::asio::awaitable<void> LogRejected(const std::string& body, const std::string& why,
                                           const std::string& out_trade_no, int64_t now_ms);
  struct PaidOrder {
    std::string out_trade_no;
    std::string transaction_id;
    int64_t amount_fen = 0;
    int64_t paid_at_ms = 0;
  };
  boost::asio::awaitable<void> Deliver(PaidOrder order, int delay_ms);
  boost::asio::awaitable<void> DeliverOnce(const PaidOrder& order);

  db::Store& store_;
  const Clock& clock_;
  SandboxConfig sandbox_;
  std::string sandbox_secret_;
  std::string notify_base_url_;
  std::map<std::string, PaidListener> listeners_;
  std::map<std::string, PaidListener> close_listeners_;
};

}  // namespace carecity::payments
