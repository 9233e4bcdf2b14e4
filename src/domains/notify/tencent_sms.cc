#include "domains/notify/tencent_sms.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>
#include <boost/json.hpp>
#include <ctime>

#include "core/crypto.h"
#include "core/pkcrypto.h"
#include "core/text.h"

namespace carecity::notify {
namespace {

namespace json = boost::json;

constexpr std::string_view kService = "sms";
constexpr std::string_view kContentType = "application/json; charset=utf-8";

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The string at o[key], or "".
std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Delivery FromCode(std::string code, std::string message) {
  Delivery d;
  d.outcome = ClassifyTencentCode(code, d.alert);
  d.error = code + (message.empty() ? "" : ": " + message);
  return d;
}

Delivery Retry(std::string error) {
  Delivery d;
  d.outcome = Delivery::Outcome::kRetry;
  d.error = std::move(error);
  return d;
}

// Reads Tencent's answer: Response.Error, or the one number's SendStatusSet entry.
Delivery Read(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  const json::object* response = nullptr;
  if (!ec && v.is_object()) {
    if (const json::value* r = v.as_object().if_contains("Response"); r != nullptr && r->is_object()) {
      response = &r->as_object();
    }
  }
  if (response == nullptr) {
    // The call may have gone through: retrying risks a second message,
    // which is better than a code that never arrives.
    return Retry("an answer that is not Tencent's JSON");
  }
  if (const json::value* e = response->if_contains("Error"); e != nullptr && e->is_object()) {
    return FromCode(Text(e->as_object(), "Code"), Text(e->as_object(), "Message"));
  }
  const json::value* set = response->if_contains("SendStatusSet");
  if (set == nullptr || !set->is_array() || set->as_array().size() != 1 || !set->as_array()[0].is_object()) {
    return Retry("an answer without one SendStatusSet entry");
  }
  const json::object& status = set->as_array()[0].as_object();
  const std::string code = Text(status, "Code");
  if (code != "Ok") {
    return FromCode(code, Text(status, "Message"));
  }
  Delivery d;
  d.outcome = Delivery::Outcome::kSent;
  d.provider_ref = Text(status, "SerialNo");
  return d;
}

}  // namespace

namespace tc3 {

std::string CanonicalRequest(std::string_view path, std::string_view content_type, std::string_view host,
                             std::string_view body) {
  return fmt::format("POST\n{}\n\ncontent-type:{}\nhost:{}\n\ncontent-type;host\n{}", path.empty() ? "/" : path,
                     AsciiLower(Trim(content_type)), AsciiLower(Trim(host)), Sha256Hex(body));
}

std::string UtcDate(int64_t timestamp_s) {
  return fmt::format("{:%Y-%m-%d}", fmt::gmtime(static_cast<std::time_t>(timestamp_s)));
}

std::string StringToSign(std::string_view canonical_request, int64_t timestamp_s, std::string_view service) {
  return fmt::format("TC3-HMAC-SHA256\n{}\n{}/{}/tc3_request\n{}", timestamp_s, UtcDate(timestamp_s), service,
                     Sha256Hex(canonical_request));
}

std::string Signature(std::string_view secret_key, std::string_view date, std::string_view service,
                      std::string_view string_to_sign) {
  const std::string k_date = pk::HmacSha256("TC3" + std::string(secret_key), date);
  const std::string k_service = pk::HmacSha256(k_date, service);
  const std::string k_signing = pk::HmacSha256(k_service, "tc3_request");
  return BytesToHex(pk::HmacSha256(k_signing, string_to_sign));
}

std::string Authorization(std::string_view secret_id, std::string_view date, std::string_view service,
                          std::string_view signature) {
  return fmt::format("TC3-HMAC-SHA256 Credential={}/{}/{}/tc3_request, SignedHeaders=content-type;host, Signature={}",
                     secret_id, date, service, signature);
}

}  // namespace tc3

Delivery::Outcome ClassifyTencentCode(std::string_view code, bool& alert) {
  alert = false;
  if (code == "Ok") {
    return Delivery::Outcome::kSent;
  }
  // Passing: the provider, the network or a per-number rate limit.
  if (StartsWith(code, "InternalError") || StartsWith(code, "RequestLimitExceeded") ||
      code == "LimitExceeded.PhoneNumberThirtySecondLimit" || code == "LimitExceeded.PhoneNumberOneHourLimit" ||
      code == "LimitExceeded.AppGlobalDailyLimit" || StartsWith(code, "ResourceUnavailable")) {
    return Delivery::Outcome::kRetry;
  }
  // Our clock is off by more than five minutes: every call fails until NTP
  // fixes it, and then the message can still go.
  if (code == "AuthFailure.SignatureExpire") {
    alert = true;
    return Delivery::Outcome::kRetry;
  }
  // Our credentials, app, signature, template or balance: no retry helps.
  if (StartsWith(code, "AuthFailure") || StartsWith(code, "UnauthorizedOperation") ||
      code == "FailedOperation.SignatureIncorrectOrUnapproved" ||
      code == "FailedOperation.TemplateIncorrectOrUnapproved" ||
      code == "FailedOperation.TemplateParamSetNotMatchApprovedTemplate" ||
      code == "FailedOperation.InsufficientBalanceInSmsPackage" || code == "InvalidParameterValue.SdkAppIdNotExist" ||
      code == "FailedOperation.MissingSignature" || code == "FailedOperation.MissingTemplate") {
    alert = true;
    return Delivery::Outcome::kFailed;
  }
  // This number: wrong, blacklisted, over its daily cap; or anything we do
  // not know, which the operator's failures page shows with its code.
  return Delivery::Outcome::kFailed;
}

TencentSmsSender::TencentSmsSender(SmsConfig config, std::string secret_key, http::OutboundClient& client,
                                   const Clock& clock)
    : config_(std::move(config)), secret_key_(std::move(secret_key)), client_(client), clock_(clock) {}

boost::asio::awaitable<Delivery> TencentSmsSender::Send(std::string phone, SmsTemplate tpl,
                                                        std::vector<std::string> params) {
  auto url = http::ParseUrl(config_.base_url);
  if (!url.ok()) {
    Delivery d;
    d.alert = true;
    d.error = "sms.base_url: " + url.error().detail;
    co_return d;
  }
  const std::string e164 = StartsWith(phone, "+") ? phone : "+86" + phone;
  json::array param_set;
  for (std::string& p : params) {
    param_set.emplace_back(std::move(p));
  }
  const std::string body = json::serialize(json::object{{"PhoneNumberSet", json::array{json::value(e164)}},
                                                        {"SmsSdkAppId", config_.sdk_app_id},
                                                        {"SignName", config_.sign_name},
                                                        {"TemplateId", tpl.id},
                                                        {"TemplateParamSet", std::move(param_set)}});
  const int64_t now_s = clock_.NowMs() / 1000;
  const std::string path = url->target.substr(0, url->target.find('?'));
  const std::string date = tc3::UtcDate(now_s);
  const std::string signature = tc3::Signature(
      secret_key_, date, kService,
      tc3::StringToSign(tc3::CanonicalRequest(path, kContentType, url->host_header, body), now_s, kService));

  http::OutboundRequest req;
  req.method = "POST";
  req.url = config_.base_url + (path.empty() ? "/" : "");
  req.headers = {{"Content-Type", std::string(kContentType)},
                 {"X-TC-Action", "SendSms"},
                 {"X-TC-Version", "2021-01-11"},
                 {"X-TC-Timestamp", std::to_string(now_s)},
                 {"X-TC-Region", config_.region},
                 {"Authorization", tc3::Authorization(config_.secret_id, date, kService, signature)}};
  req.body = body;
  req.deadline = std::chrono::milliseconds(config_.timeout_ms);
  auto res = co_await client_.Send(std::move(req));
  if (!res.ok()) {
    co_return Retry(res.error().key + ": " + res.error().detail);
  }
  // What became of it is logged once, by the dispatcher, with its final outcome.
  Delivery d = res->status == 200 ? Read(res->body) : Retry(fmt::format("HTTP {}", res->status));
  co_return d;
}

}  // namespace carecity::notify
