// WeChat Pay API v3 as a PaymentProvider (docs/design-channels.md 4.3):
// JSAPI orders inside WeChat (the resident's openid), H5 orders in other
// mobile browsers, query, close, refund and refund query, and the payment
// and refund notifications. Every request is signed with the merchant's API
// key; every 2xx answer and every notification is verified against WeChat
// Pay's public key or platform certificates before anything is believed.
//
// Orders are opened lazily: without a scene, CreateOrder is our own pay page
// and nothing is asked of WeChat; the pay page asks again with the scene it
// is in (JSAPI or H5), which opens the order there. So a donation made from
// a desktop browser never leaves a WeChat order behind.
//
// Thread-safety: immutable after construction; calls may run concurrently.
#pragma once

#include <string>

#include "core/channel_keys.h"
#include "core/channels_config.h"
#include "core/clock.h"
#include "domains/payments/provider.h"
#include "domains/payments/wechatpay_protocol.h"
#include "http/outbound.h"

namespace carecity::payments {

class WechatPayProvider final : public PaymentProvider {
 public:
  // `notify_url`: where WeChat Pay posts payment and refund notifications
  // (the site's public origin + /api/v1/payments/notify/wechatpay).
  WechatPayProvider(WechatPayConfig config, WechatPayKeys keys, std::string notify_url, http::OutboundClient& client,
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
  // HTTP 200 {"code":"SUCCESS","message":"成功"}: received, stop retrying.
  NotifyReply Acknowledge(ConfirmOutcome outcome) const override;

 private:
  // A verified answer: its status, and its JSON (empty for 204).
  struct Answer {
    int status = 0;
    std::string body;
    std::string code;  // WeChat's error code for a 4xx/5xx ("ORDER_NOT_EXIST")
  };
  // Signs and sends; a 2xx whose signature does not verify is
  // provider_unavailable (never acted on). Transport failures:
  // provider_unavailable.
  Task<Answer> Call(std::string method, std::string target, std::string body);
  Task<PayAction> Open(const OrderRequest& order);

  const std::string name_ = "wechatpay";
  WechatPayConfig config_;
  WechatPayKeys keys_;
  wechatpay::PlatformKeys platform_;
  std::string notify_url_;
  http::OutboundClient& client_;
  const Clock& clock_;
};

}  // namespace carecity::payments
