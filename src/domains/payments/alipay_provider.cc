#include "domains/payments/alipay_provider.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace carecity::payments {
namespace {

namespace json = boost::json;



std::string Get(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

}  // namespace

AlipayProvider::AlipayProvider(AlipayConfig config, AlipayKeys keys, std::string notify_url,
                               http::OutboundClient& client, const Clock& clock)
    : config_(std::move(config)),
      keys_(std::move(keys)),
      notify_url_(std::move(notify_url)),
      client_(client),
      clock_(clock) {}

alipay::Params AlipayProvider::Common(const std::string& method) const {
  return alipay::Params{{"app_id", config_.app_id},  {"method", method},
                        {"format", "JSON"},          {"charset", "utf-8"},
                        {"sign_type", "RSA2"},       {"timestamp", alipay::ChinaTime(clock_.NowMs())},
                        {"version", "1.0"}};
}

Task<AlipayProvider::Answer> AlipayProvider::Call(std::string method, std::string biz_json) {
  alipay::Params params = Common(method);
  params["biz_content"] = std::move(biz_json);
  auto signed_params = alipay::Signed(keys_.app_key, std::move(params));
  if (!signed_params.ok()) {
    co_return Error::Internal("alipay: signing failed: " + signed_params.error().detail);
  }
  http::OutboundRequest req;
  req.method = "POST";
  req.url = config_.base_url + "/gateway.do";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded;charset=utf-8"}, {"Accept", "application/json"}};
  req.body = alipay::FormEncode(*signed_params);
  req.deadline = std::chrono::milliseconds(config_.timeout_ms);
  auto res = co_await client_.Send(std::move(req));
  if (!res.ok()) {
    co_return ProviderUnavailable(res.error().detail);
  }
  if (res->status != 200) {
    co_return ProviderUnavailable("Alipay answered HTTP " + std::to_string(res->status));
  }
  auto cut = alipay::CutAnswer(res->body, alipay::ResponseNode(method));
  if (!cut.ok() || cut->sign.empty() || !pk::VerifySha256(keys_.alipay_public_key, cut->response_text, cut->sign)) {
    spdlog::error("alipay: the answer to {} is unsigned or failed verification; not acted on", method);
    co_return ProviderUnavailable("answer signature invalid");
  }
  boost::system::error_code ec;
  json::value v = json::parse(cut->response_text, ec);
  if (ec || !v.is_object()) {
    co_return ProviderUnavailable("Alipay's answer is not a JSON object");
  }
  Answer answer;
  for (const auto& [k, val] : v.as_object()) {
    if (val.is_string()) {
      answer.fields.emplace(std::string(k), std::string(val.as_string()));
    }
  }
  answer.code = Get(answer.fields, "code");
  answer.sub_code = Get(answer.fields, "sub_code");
  if (answer.code == "20000") {
    co_return ProviderUnavailable("Alipay: service unavailable " + answer.sub_code);
  }
  if (answer.code == "40001" || answer.code == "40002" || answer.code == "40006") {
    spdlog::error("alipay: {} refused our request ({} {}): check app_id, the keys and the clock", method, answer.code,
                  answer.sub_code);
    co_return ProviderUnavailable("Alipay: " + answer.code + " " + answer.sub_code);
  }
  co_return answer;
}

Task<PayAction> AlipayProvider::CreateOrder(const OrderRequest& order) {
  if (order.scene == Scene::kNone) {
    co_return PayAction{PayAction::Kind::kRedirect, order.pay_page, {}};
  }
  if (order.scene == Scene::kJsapi) {
    // WeChat blocks Alipay: the page says to open it in a browser.
    co_return Error::Unprocessable("alipay_in_wechat", "scene");
  }
  // The pay link is signed here; the trade exists at Alipay once it is opened.
  const json::object biz{{"out_trade_no", order.out_trade_no},
                         {"total_amount", alipay::Yuan(order.amount_fen)},
                         {"subject", order.description},
                         {"product_code", "QUICK_WAP_WAY"},
                         {"quit_url", order.quit_url},
                         {"time_expire", alipay::ChinaTime(order.expires_at_ms)}};
  alipay::Params params = Common("alipay.trade.wap.pay");
  params["biz_content"] = json::serialize(biz);
  params["notify_url"] = notify_url_;
  if (!order.return_url.empty()) {
    params["return_url"] = order.return_url;
  }
  auto signed_params = alipay::Signed(keys_.app_key, std::move(params));
  if (!signed_params.ok()) {
    co_return Error::Internal("alipay: signing failed: " + signed_params.error().detail);
  }
  co_return PayAction{PayAction::Kind::kRedirect,
                      config_.base_url + "/gateway.do?" + alipay::FormEncode(*signed_params), {}};
}

Task<ProviderOrder> AlipayProvider::QueryOrder(const std::string& out_trade_no) {
  json::object biz;
  biz["out_trade_no"] = out_trade_no;
  auto answer = co_await Call(std::string("alipay.trade.query"), json::serialize(biz));
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->code != "10000") {
    if (answer->sub_code == "ACQ.TRADE_NOT_EXIST") {
      co_return Error::NotFound("provider_order_not_found");
    }
    co_return ProviderUnavailable("Alipay: " + answer->code + " " + answer->sub_code);
  }
  const auto& f = answer->fields;
  if (Get(f, "out_trade_no") != out_trade_no) {
    co_return ProviderUnavailable("Alipay answered about another trade");
  }
  ProviderOrder order;
  order.out_trade_no = out_trade_no;
  const std::string status = Get(f, "trade_status");
  const std::string paid_at = Get(f, "send_pay_date");
  if (status == "WAIT_BUYER_PAY") {
    order.state = "NOTPAY";
  } else if (status == "TRADE_SUCCESS" || status == "TRADE_FINISHED") {
    order.state = "SUCCESS";
  } else if (status == "TRADE_CLOSED") {
    order.state = paid_at.empty() ? "CLOSED" : "REFUND";  // closed by a full refund once paid
  } else {
    co_return ProviderUnavailable("Alipay: unknown trade_status " + status);
  }
  auto amount = alipay::FenFromYuan(Get(f, "total_amount"));
  if (!amount.ok()) {
    co_return ProviderUnavailable("Alipay: bad total_amount");
  }
  order.amount_fen = *amount;
  if (const std::string trade_no = Get(f, "trade_no"); !trade_no.empty()) {
    order.transaction_id = trade_no;
  }
  if (!paid_at.empty()) {
    if (auto at = alipay::ParseChinaTime(paid_at); at.ok()) {
      order.paid_at_ms = *at;
    }
  }
  co_return order;
}

Task<bool> AlipayProvider::CloseOrder(const std::string& out_trade_no) {
  json::object biz;
  biz["out_trade_no"] = out_trade_no;
  auto answer = co_await Call(std::string("alipay.trade.close"), json::serialize(biz));
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->code == "10000" || answer->sub_code == "ACQ.TRADE_NOT_EXIST") {
    co_return true;  // closed, or never opened (a stale link may still open it: orphans)
  }
  auto order = co_await QueryOrder(out_trade_no);
  if (!order.ok()) {
    co_return std::move(order).error();
  }
  if (order->state == "SUCCESS" || order->state == "REFUND") {
    co_return false;
  }
  if (order->state == "CLOSED") {
    co_return true;
  }
  co_return ProviderUnavailable("Alipay refused to close an unpaid trade: " + answer->sub_code);
}

Task<RefundState> AlipayProvider::Refund(const std::string& out_trade_no, const std::string& out_refund_no,
                                         int64_t amount_fen, int64_t /*total_fen*/) {
  json::object biz;
  biz["out_trade_no"] = out_trade_no;
  biz["refund_amount"] = alipay::Yuan(amount_fen);
  biz["out_request_no"] = out_refund_no;
  auto answer = co_await Call(std::string("alipay.trade.refund"), json::serialize(biz));
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->code != "10000") {
    const std::string& sub = answer->sub_code;
    if (sub == "ACQ.TRADE_NOT_EXIST") {
      co_return Error::NotFound("provider_order_not_found");
    }
    if (sub == "ACQ.SYSTEM_ERROR") {
      co_return ProviderUnavailable("Alipay: " + sub);  // try again under the same number
    }
    if (sub == "ACQ.SELLER_BALANCE_NOT_ENOUGH") {
      spdlog::error("alipay: refund {} waits: the seller's balance is not enough", out_refund_no);
      co_return ProviderUnavailable("Alipay: " + sub);
    }
    co_return ProviderRefused(answer->code + " " + sub);
  }
  RefundState state;
  state.provider_refund_id = Get(answer->fields, "trade_no");
  // "Y": money moved now. "N": nothing moved by this call (asked before, or
  // still under way): the refund query says where it stands.
  state.kind = Get(answer->fields, "fund_change") == "Y" ? RefundState::Kind::kSucceeded
                                                         : RefundState::Kind::kProcessing;
  co_return state;
}

Task<RefundState> AlipayProvider::QueryRefund(const std::string& out_trade_no, const std::string& out_refund_no) {
  json::object biz;
  biz["out_trade_no"] = out_trade_no;
  biz["out_request_no"] = out_refund_no;
  auto answer = co_await Call(std::string("alipay.trade.fastpay.refund.query"), json::serialize(biz));
  if (!answer.ok()) {
    co_return std::move(answer).error();
  }
  if (answer->code != "10000") {
    if (answer->sub_code == "ACQ.TRADE_NOT_EXIST") {
      co_return Error::NotFound("provider_refund_not_found");
    }
    co_return ProviderUnavailable("Alipay: " + answer->code + " " + answer->sub_code);
  }
  if (Get(answer->fields, "refund_status") != "REFUND_SUCCESS") {
    // No refund data: not received, or not through yet. Asking for it again
    // under the same number is safe either way.
    co_return Error::NotFound("provider_refund_not_found");
  }
  co_return RefundState{RefundState::Kind::kSucceeded, Get(answer->fields, "trade_no"), std::nullopt};
}

Result<ProviderNotice> AlipayProvider::VerifyNotification(std::string_view body, const HeaderLookup& /*header*/,
                                                          int64_t /*now_ms*/) const {
  auto params = alipay::FormDecode(body);
  if (!params.ok()) {
    return Error::Invalid("invalid_notification", "", params.error().detail);
  }
  // No freshness window: Alipay retries for 25 hours, and a replay is
  // harmless (confirming is idempotent and checks the amount).
  CC_TRY(alipay::VerifyNotification(keys_.alipay_public_key, *params));
  const auto& p = *params;
  if (Get(p, "app_id") != config_.app_id) {
    return Error::Invalid("invalid_notification", "", "app_id is not ours");
  }
  if (!config_.seller_id.empty() && Get(p, "seller_id") != config_.seller_id) {
    return Error::Invalid("invalid_notification", "", "seller_id is not ours");
  }
  const std::string status = Get(p, "trade_status");
  const std::string refund_fee = Get(p, "refund_fee");
  const auto refunded = alipay::FenFromYuan(refund_fee);
  const bool refund_in_it = refunded.ok() && *refunded > 0;
  if ((status != "TRADE_SUCCESS" && status != "TRADE_FINISHED") || refund_in_it) {
    // Refunds are booked from the refund call or its query.
    return ProviderNotice{IgnoredNotice{status.empty() ? "unknown" : status}};
  }
  auto amount = alipay::FenFromYuan(Get(p, "total_amount"));
  auto paid_at = alipay::ParseChinaTime(Get(p, "gmt_payment"));
  const std::string trade_no = Get(p, "trade_no");
  if (!amount.ok() || !paid_at.ok() || trade_no.empty() || Get(p, "out_trade_no").empty()) {
    return Error::Invalid("invalid_notification", "", "a paid notice without amount, time or trade numbers");
  }
  return ProviderNotice{PaidNotice{Get(p, "out_trade_no"), trade_no, *amount, 0, *paid_at}};
}

NotifyReply AlipayProvider::Acknowledge(ConfirmOutcome) const { return NotifyReply{200, "text/plain", "success"}; }

}  // namespace carecity::payments
