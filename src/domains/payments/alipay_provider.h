// Alipay mobile-site payment as a PaymentProvider (docs/design-channels.md
// 4.4): a signed alipay.trade.wap.pay link (built here, no call), query,
// close, refund and refund query through the OpenAPI gateway, and the
// form-encoded asynchronous notification answered with `success`. Requests
// are signed with the app's key (RSA2); every answer and notification is
// verified with Alipay's public key before anything is believed.
//
// Like WeChat Pay, orders are lazy: without a scene CreateOrder is our pay
// page. An Alipay trade exists only once the payer opens the link, so a
// payment closed here may still be paid on a stale link; PaymentsService
// refunds such money in full (payment orphans).
//
// Thread-safety: immutable after construction; calls may run concurrently.
#pragma once

#include <string>

#include "core/channel_keys.h"
#include "core/channels_config.h"
#include "core/clock.h"
#include "domains/payments/alipay_protocol.h"
#include "domains/payments/provider.h"
#include "http/outbound.h"

namespace carecity::payments {

class AlipayProvider final : public PaymentProvider {
 public:
  // `notify_url`: the site's public origin + /api/v1/payments/notify/alipay.
  AlipayProvider(AlipayConfig config, AlipayKeys keys, std::string notify_url, http::OutboundClient& client,
                 const Clock& clock);

  const std::string& name() const override { return name_; }
  Task<PayAction> CreateOrder(const OrderRequest& order) override;
  Task<ProviderOrder> QueryOrder(const std::string& out_trade_no) override;
  Task<bool> CloseOrder(const std::string& out_trade_no) override;
  Task<RefundState> Refund(const std::string& out_trade_no, const std::string& out_refund_no, int64_t amount_fen,
                           int64_t total_fen) override;
  Task<RefundState> QueryRefund(const std::string& out_trade_no, const std::string& out_refund_no) override;
  Result<ProviderNotice> VerifyNotification(std::string_view body, const HeaderLookup& header,
                                            int64_t now_ms) const override;
  // HTTP 200, text/plain, exactly `success`: anything else is sent again.
  NotifyReply Acknowledge(ConfirmOutcome outcome) const override;

 private:
  // A verified answer's fields: code "10000" and the rest. Errors:
  // provider_unavailable (transport, unsigned or forged answer, 20000,
  // 40001/40002 configuration, which is also logged loudly).
  struct Answer {
    std::string code;
    std::string sub_code;
    std::map<std::string, std::string> fields;  // the response's string fields
  };
  Task<Answer> Call(std::string method, std::string biz_json);
  alipay::Params Common(const std::string& method) const;

  const std::string name_ = "alipay";
  AlipayConfig config_;
  AlipayKeys keys_;
  std::string notify_url_;
  http::OutboundClient& client_;
  const Clock& clock_;
};

}  // namespace carecity::payments
