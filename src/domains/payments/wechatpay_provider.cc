#include "domains/payments/wechatpay_provider.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "http/message.h"

namespace carecity::payments {
namespace {

namespace json = boost::json;

// WeChat's description is string[1,127]; whether it counts bytes or
// characters is not written down, so we keep to 127 bytes of whole UTF-8
// characters, which satisfies either reading.
constexpr size_t kMaxDescriptionBytes = 127;

// At most `n` bytes of `s`, cut before a character, not inside one.
std::string FirstBytes(std::string_view s, size_t n) {
  if (s.size() <= n) {
    return std::string(s);
  }
  size_t end = n;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    --end;
  }
  return std::string(s.substr(0, end));
}

std::optional<json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return std::nullopt;
  }
  return std::move(v.as_object());
}

std::string TextOf(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

WechatPayProvider::WechatPayProvider(WechatPayConfig config, WechatPayKeys keys, std::string notify_url,
                                     http::OutboundClient& client, const Clock& clock)
    : config_(std::move(config)),
      keys_(std::move(keys)),
      notify_url_(std::move(notify_url)),
      client_(client),
      clock_(clock) {
  if (keys_.platform_public_key) {
    platform_.Add(config_.platform_public_key_id, *keys_.platform_public_key);
  }
  for (const pk::Certificate& cert : keys_.platform_certificates) {
    platform_.Add(cert.serial_hex, cert.public_key);
  }
}

Task<WechatPayProvider::Answer> WechatPayProvider::Call(std::string method, std::string target, std::string body) {
  const int64_t now = clock_.NowMs();
  auto url = http::ParseUrl(config_.base_url + target);
  if (!url.ok()) {
    co_return Error::Internal("wechatpay: " + url.error().detail);
  }
  // Signed over the target exactly as the client sends it.
  const std::string nonce = wechatpay::NewNonce();
  auto authorization = wechatpay::Authorization(keys_.merchant_key, config_.mchid, config_.cert_serial, method,
                                                url->target, body, now / 1000, nonce);
  if (!authorization.ok()) {
    co_return Error::Internal("wechatpay: signing failed: " + authorization.error().detail);
  }
  http::OutboundRequest req;
  req.method = method;
  req.url = config_.base_url + target;
  req.headers = {{"Authorization", *authorization}, {"Accept", "application/json"}};
  if (!body.empty()) {
    req.headers.emplace_back("Content-Type", "application/json");
  }
  if (keys_.platform_public_key) {
    // Public-key mode: answers are then signed with the public key's pair.
    req.headers.emplace_back("Wechatpay-Serial", config_.platform_public_key_id);
  }
  req.body = std::move(body);
  req.deadline = std::chrono::milliseconds(config_.timeout_ms);
  auto res = co_await client_.Send(std::move(req));
  if (!res.ok()) {
    co_return ProviderUnavailable(res.error().detail);
  }
  Answer answer{res->status, std::move(res->body), {}};
  if (answer.status >= 200 && answer.status < 300) {
    const wechatpay::SignedHeaders signed_headers{res->header("wechatpay-timestamp"), res->header("wechatpay-nonce"),
                                                  res->header("wechatpay-signature"), res->header("wechatpay-serial")};
    if (auto verified = wechatpay::VerifySigned(platform_, signed_headers, answer.body, clock_.NowMs());
        !verified.ok()) {
      spdlog::error("wechatpay: the answer to {} {} failed verification ({}); not acted on", method,
                    target.substr(0, target.find('?')), verified.error().detail);
      co_return ProviderUnavailable("response signature invalid");
    }
    co_return answer;
  }
  if (auto err = ParseObject(answer.body)) {
    answer.code = TextOf(*err, "code");
  }
  if (answer.status == 401) {
    // Our signature, serial or clock: a configuration matter, loudly.
    spdlog::error("wechatpay: {} {} refused our signature ({}): check mchid, cert_serial, the key and the clock",
                  method, target.substr(0, target.find('?')), answer.code);
  }
  co_return answer;
}

Task<PayAction> WechatPayProvider::CreateOrder(const OrderRequest& order) {
  if (order.scene == Scene::kNone) {
    // Nothing at WeChat yet: our pay page opens it with the scene it is in.
    co_return PayAction{PayAction::Kind::kRedirect, order.pay_page, {}};
  }
  co_return co_await Open(order);
}

Task<PayAction> WechatPayProvider::Open(const OrderRequest& order) {
  const bool jsapi = order.scene == Scene::kJsapi;
  json::object body{{"appid", config_.appid},
                    {"mchid", config_.mchid},
                    {"description", FirstBytes(order.description, kMaxDescriptionBytes)},
                    {"out_trade_no", order.out_trade_no},
                    {"time_expire", wechatpay::Rfc3339(order.expires_at_ms)},
                    {"notify_url", notify_url_},
                    {"amount", json::object{{"total", order.amount_fen}, {"currency", "CNY"}}}};
  if (jsapi) {
    if (order.payer_openid.empty()) {
      co_return Error::Unprocessable("openid_required", "scene");
    }
    body["payer"] = json::object{{"openid", order.payer_openid}};
  } else {
    body["scene_info"] =
        json::object{{"payer_client_ip", order.payer_ip}, {"h5_info", json::object{{"type", "Wap"}}}};
  }
  auto answer = co_await Call(std::string("POST"), jsapi ? "/v3/pay/transactions/jsapi" : "/v3/pay/transactions/h5",
                              json::serialize(body));
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->status != 200) {
    if (answer->status == 429 || answer->status >= 500 || answer->status == 401) {
      co_return ProviderUnavailable("WeChat Pay answered " + std::to_string(answer->status) + " " + answer->code);
    }
    co_return ProviderRefused(answer->code);
  }
  auto o = ParseObject(answer->body);
  if (jsapi) {
    const std::string prepay_id = o ? TextOf(*o, "prepay_id") : std::string();
    if (prepay_id.empty()) {
      co_return ProviderUnavailable("no prepay_id in WeChat Pay's answer");
    }
    auto params = wechatpay::JsapiParams(keys_.merchant_key, config_.appid, prepay_id, clock_.NowMs() / 1000,
                                         wechatpay::NewNonce());
    if (!params.ok()) {
      co_return std::move(params).error();
    }
    co_return PayAction{PayAction::Kind::kJsapi, {}, std::move(*params)};
  }
  std::string h5_url = o ? TextOf(*o, "h5_url") : std::string();
  if (h5_url.rfind("https://", 0) != 0 && h5_url.rfind("http://", 0) != 0) {
    co_return ProviderUnavailable("no h5_url in WeChat Pay's answer");
  }
  if (!order.return_url.empty()) {
    h5_url += (h5_url.find('?') == std::string::npos ? "?" : "&") + std::string("redirect_url=") +
              http::PercentEncode(order.return_url);
  }
  co_return PayAction{PayAction::Kind::kRedirect, std::move(h5_url), {}};
}

Task<ProviderOrder> WechatPayProvider::QueryOrder(const std::string& out_trade_no) {
  auto answer = co_await Call(std::string("GET"), "/v3/pay/transactions/out-trade-no/" + out_trade_no + "?mchid=" + config_.mchid,
                              std::string());
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->status == 404) {
    co_return Error::NotFound("provider_order_not_found");
  }
  if (answer->status != 200) {
    co_return ProviderUnavailable("WeChat Pay answered " + std::to_string(answer->status) + " " + answer->code);
  }
  auto o = ParseObject(answer->body);
  if (!o) {
    co_return ProviderUnavailable("WeChat Pay's transaction is not JSON");
  }
  auto order = wechatpay::ReadTransaction(*o, config_.mchid, config_.appid);
  if (!order.ok() || order->out_trade_no != out_trade_no) {
    co_return ProviderUnavailable("WeChat Pay answered about another transaction");
  }
  co_return order;
}

Task<bool> WechatPayProvider::CloseOrder(const std::string& out_trade_no) {
  // Built outside co_await: g++ 12 cannot keep an initializer list's array
  // in a coroutine's argument temporaries.
  json::object body;
  body["mchid"] = config_.mchid;
  auto answer = co_await Call(std::string("POST"), "/v3/pay/transactions/out-trade-no/" + out_trade_no + "/close",
                              json::serialize(body));
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->status == 204 || answer->status == 200) {
    co_return true;
  }
  if (answer->status == 429 || answer->status >= 500 || answer->status == 401) {
    co_return ProviderUnavailable("WeChat Pay answered " + std::to_string(answer->status) + " " + answer->code);
  }
  // Any other refusal: ask what the order is rather than trust an error code.
  auto order = co_await QueryOrder(out_trade_no);
  if (!order.ok()) {
    if (order.error().key == "provider_order_not_found") {
      co_return true;  // never opened at WeChat (the payer never reached the pay sheet)
    }
    co_return std::move(order).error();
  }
  if (order->state == "CLOSED") {
    co_return true;
  }
  if (order->state == "SUCCESS" || order->state == "REFUND") {
    co_return false;  // paid first
  }
  co_return ProviderUnavailable("WeChat Pay refused to close an unpaid order: " + answer->code);
}

Task<RefundState> WechatPayProvider::Refund(const std::string& out_trade_no, const std::string& out_refund_no,
                                            int64_t amount_fen, int64_t total_fen) {
  json::object body{{"out_trade_no", out_trade_no},
                          {"out_refund_no", out_refund_no},
                          {"notify_url", notify_url_},
                          {"amount", json::object{{"refund", amount_fen}, {"total", total_fen}, {"currency", "CNY"}}}};
  auto answer = co_await Call(std::string("POST"), std::string("/v3/refund/domestic/refunds"), json::serialize(body));
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->status == 404) {
    co_return Error::NotFound("provider_order_not_found");
  }
  if (answer->status == 400 && (answer->code == "PARAM_ERROR" || answer->code == "INVALID_REQUEST")) {
    co_return ProviderRefused(answer->code);
  }
  if (answer->status != 200) {
    if (answer->code == "NOT_ENOUGH") {
      spdlog::error("wechatpay: refund {} waits: the merchant account's balance is not enough", out_refund_no);
    }
    co_return ProviderUnavailable("WeChat Pay answered " + std::to_string(answer->status) + " " + answer->code);
  }
  auto o = ParseObject(answer->body);
  if (!o || TextOf(*o, "out_refund_no") != out_refund_no) {
    co_return ProviderUnavailable("WeChat Pay answered about another refund");
  }
  auto state = wechatpay::ReadRefund(*o);
  if (!state.ok()) {
    co_return ProviderUnavailable(state.error().detail);
  }
  co_return state;
}

Task<RefundState> WechatPayProvider::QueryRefund(const std::string& out_trade_no, const std::string& out_refund_no) {
  auto answer = co_await Call(std::string("GET"), "/v3/refund/domestic/refunds/" + out_refund_no, std::string());
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->status == 404) {
    co_return Error::NotFound("provider_refund_not_found");
  }
  if (answer->status != 200) {
    co_return ProviderUnavailable("WeChat Pay answered " + std::to_string(answer->status) + " " + answer->code);
  }
  auto o = ParseObject(answer->body);
  if (!o || TextOf(*o, "out_refund_no") != out_refund_no || TextOf(*o, "out_trade_no") != out_trade_no) {
    co_return ProviderUnavailable("WeChat Pay answered about another refund");
  }
  auto state = wechatpay::ReadRefund(*o);
  if (!state.ok()) {
    co_return ProviderUnavailable(state.error().detail);
  }
  co_return state;
}

Result<ProviderNotice> WechatPayProvider::VerifyNotification(std::string_view body, const HeaderLookup& header,
                                                             int64_t now_ms) const {
  const wechatpay::SignedHeaders signed_headers{header("wechatpay-timestamp"), header("wechatpay-nonce"),
                                                header("wechatpay-signature"), header("wechatpay-serial")};
  CC_TRY(wechatpay::VerifySigned(platform_, signed_headers, body, now_ms));
  auto envelope = ParseObject(body);
  const json::value* resource = envelope ? envelope->if_contains("resource") : nullptr;
  if (resource == nullptr || !resource->is_object()) {
    return Error::Invalid("invalid_notification", "", "no resource");
  }
  const std::string event = TextOf(*envelope, "event_type");
  auto plain = wechatpay::OpenResource(keys_.apiv3_key, resource->as_object());
  if (!plain.ok()) {
    return std::move(plain).error();
  }
  auto inner = ParseObject(*plain);
  if (!inner) {
    return Error::Invalid("invalid_notification", "", "the resource is not JSON");
  }
  const std::string type = TextOf(resource->as_object(), "original_type");
  if (type == "transaction") {
    auto order = wechatpay::ReadTransaction(*inner, config_.mchid, config_.appid);
    if (!order.ok()) {
      return std::move(order).error();
    }
    if (!order->paid()) {
      return ProviderNotice{IgnoredNotice{event + ":" + order->state}};
    }
    return ProviderNotice{order->Notice(now_ms)};
  }
  if (type == "refund") {
    if (TextOf(*inner, "mchid") != config_.mchid) {
      return Error::Invalid("invalid_notification", "", "the refund is not of this merchant");
    }
    auto state = wechatpay::ReadRefund(*inner);
    if (!state.ok()) {
      return std::move(state).error();
    }
    RefundNotice notice{TextOf(*inner, "out_trade_no"), TextOf(*inner, "out_refund_no"), *state, 0};
    if (const json::value* amount = inner->if_contains("amount"); amount != nullptr && amount->is_object()) {
      if (const json::value* refund = amount->as_object().if_contains("refund"); refund != nullptr && refund->is_int64()) {
        notice.amount_fen = refund->as_int64();
      }
    }
    if (notice.out_trade_no.empty() || notice.out_refund_no.empty()) {
      return Error::Invalid("invalid_notification", "", "out_trade_no or out_refund_no is missing");
    }
    return ProviderNotice{std::move(notice)};
  }
  return ProviderNotice{IgnoredNotice{event.empty() ? type : event}};
}

NotifyReply WechatPayProvider::Acknowledge(ConfirmOutcome) const {
  return NotifyReply{200, "application/json", R"({"code":"SUCCESS","message":"成功"})"};
}

}  // namespace carecity::payments
