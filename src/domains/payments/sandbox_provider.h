// The built-in `sandbox` payment provider. It behaves as a remote provider
// would, in this process: its own order book (sandbox_orders, written only
// here), its own pay page (/pay/sandbox/{public_id}, 确认支付 / 取消), and
// HMAC-signed notifications delivered over real HTTP to our notify URL.
//
// Test hooks (SandboxConfig): duplicate every notification, delay it, or
// give each a random delay so later ones overtake earlier ones.
//
// Thread-safety: set_notify_base_url before serving; afterwards all methods
// are safe to call concurrently.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/config.h"
#include "db/store.h"
#include "domains/payments/provider.h"

namespace carecity::payments {

class SandboxProvider final : public PaymentProvider {
 public:
  SandboxProvider(db::Store& store, const Clock& clock, SandboxConfig config, std::string secret);

  const std::string& name() const override { return name_; }
  // The sandbox's pay link is its page in our web app (OrderRequest::pay_page).
  Task<PayAction> CreateOrder(const OrderRequest& order) override;
  Task<ProviderOrder> QueryOrder(const std::string& out_trade_no) override;
  Task<bool> CloseOrder(const std::string& out_trade_no) override;
  Task<RefundState> Refund(const std::string& out_trade_no, const std::string& out_refund_no, int64_t amount_fen,
                           int64_t total_fen) override;
  Task<RefundState> QueryRefund(const std::string& out_trade_no, const std::string& out_refund_no) override;
  Result<ProviderNotice> VerifyNotification(std::string_view body, const HeaderLookup& header,
                                            int64_t now_ms) const override;
  // 200 {"code":"SUCCESS","outcome":"credited"|"duplicate"|"rejected"}, as
  // WeChat Pay expects ("rejected": verified but not ours to credit; a
  // retry would not change that).
  NotifyReply Acknowledge(ConfirmOutcome outcome) const override;

  // The payer pressed 确认支付: the order is marked paid and the notification
  // delivered (before this returns, unless a delay is configured). Paying a
  // paid order delivers the notification again, as providers retry.
  // Errors: provider_order_not_found, payment_not_payable (closed/refunded).
  Task<void> PayOrder(const std::string& out_trade_no);

  // The signature on a notification (for tests that forge or replay them).
  std::string Sign(std::string_view timestamp, std::string_view nonce, std::string_view body) const;

  // Where notifications go: "http://127.0.0.1:8080" (the address we bound).
  void set_notify_base_url(std::string url) { notify_base_url_ = std::move(url); }
  const std::string& notify_base_url() const { return notify_base_url_; }

 private:
  boost::asio::awaitable<void> Deliver(ProviderOrder order, int delay_ms);
  // By value: duplicates run detached and outlive Deliver's frame.
  boost::asio::awaitable<void> DeliverOnce(ProviderOrder order);
  int64_t FeeOf(int64_t amount_fen) const { return amount_fen * config_.fee_bps / 10000; }

  const std::string name_ = "sandbox";
  db::Store& store_;
  const Clock& clock_;
  SandboxConfig config_;
  std::string secret_;
  std::string notify_base_url_;
};

}  // namespace carecity::payments
