// Tencent Cloud SMS, API 3.0 SendSms (version 2021-01-11), signed with
// TC3-HMAC-SHA256 (docs/design-channels.md 5.1; Tencent's 签名方法 v3,
// cloud.tencent.com/document/api/382/52072, and SendSms, …/382/55981).
//
// One POST to [sms] base_url + "/" per message, with X-TC-Action, -Version,
// -Timestamp and -Region, signed over content-type and host as sent
// (lower-cased, as the signing guide says). Tencent answers HTTP 200 with
// either Response.Error or one SendStatusSet entry per number; each code is
// classified (ClassifyTencentCode) into sent, retry later, or failed, and
// the codes that mean our configuration or account is wrong raise an alert.
// Nothing is logged here (the dispatcher logs the outcome); a Delivery's
// error holds Tencent's code and message, never the parameters or the key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/channels_config.h"
#include "core/clock.h"
#include "domains/notify/sms_sender.h"
#include "http/outbound.h"

namespace carecity::notify {

namespace tc3 {
// Step 1, for a POST to `path` signing content-type and host:
// "POST\n<path>\n\ncontent-type:<ct>\nhost:<host>\n\ncontent-type;host\n" +
// hex(SHA-256(body)); the header values trimmed and lower-cased.
std::string CanonicalRequest(std::string_view path, std::string_view content_type, std::string_view host,
                             std::string_view body);
// "YYYY-MM-DD" of a Unix time, in UTC (the guide insists: not local time).
std::string UtcDate(int64_t timestamp_s);
// Step 2: "TC3-HMAC-SHA256\n<ts>\n<date>/<service>/tc3_request\n" + hex(SHA-256(canonical)).
std::string StringToSign(std::string_view canonical_request, int64_t timestamp_s, std::string_view service);
// Step 3: hex(HMAC(kSigning, string_to_sign)), kSigning = HMAC(HMAC(HMAC("TC3" + key, date), service),
// "tc3_request").
std::string Signature(std::string_view secret_key, std::string_view date, std::string_view service,
                      std::string_view string_to_sign);
// Step 4: "TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
// SignedHeaders=content-type;host, Signature=<hex>".
std::string Authorization(std::string_view secret_id, std::string_view date, std::string_view service,
                          std::string_view signature);
}  // namespace tc3

// What a Tencent error code (whole call or one number's) means for the
// message: retry later (InternalError.*, RequestLimitExceeded, the 30-second
// and one-hour limits of a number, an expired signature time), or failed;
// `alert` when our credentials, signature, template, app or balance are at
// fault.
Delivery::Outcome ClassifyTencentCode(std::string_view code, bool& alert);

class TencentSmsSender final : public SmsSender {
 public:
  TencentSmsSender(SmsConfig config, std::string secret_key, http::OutboundClient& client, const Clock& clock);

  boost::asio::awaitable<Delivery> Send(std::string phone, SmsTemplate tpl, std::vector<std::string> params) override;

 private:
  SmsConfig config_;
  std::string secret_key_;
  http::OutboundClient& client_;
  const Clock& clock_;
};

}  // namespace carecity::notify
