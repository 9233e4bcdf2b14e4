// WeChat Pay API v3, the protocol alone (docs/design-channels.md 4.3): how a
// request is signed, how an answer or a notification is verified and
// opened, how the JSAPI sheet's parameters are signed, and how WeChat's
// JSON reads as ours. Pure functions over core/pkcrypto, so each rule is
// tested against WeChat's documented examples without a network; the
// provider (wechatpay_provider.h) does the calls.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/pkcrypto.h"
#include "core/result.h"
#include "domains/payments/provider.h"

namespace carecity::payments::wechatpay {

// A nonce as WeChat's SDKs make them: 32 characters of [0-9A-Za-z].
std::string NewNonce();

// What a request's signature covers: five lines, each ending in "\n" —
// method, the request target exactly as sent (path and query), Unix
// seconds, nonce, body (empty for GET).
std::string RequestMessage(std::string_view method, std::string_view target, int64_t timestamp_s,
                           std::string_view nonce, std::string_view body);

// The Authorization header of a request: WECHATPAY2-SHA256-RSA2048 with the
// merchant id, nonce, timestamp, certificate serial and the signature of
// RequestMessage by the merchant's API key.
Result<std::string> Authorization(const pk::RsaKey& merchant_key, std::string_view mchid, std::string_view serial,
                                  std::string_view method, std::string_view target, std::string_view body,
                                  int64_t timestamp_s, std::string_view nonce);

// WeChat Pay's keys by the id its answers name in Wechatpay-Serial: the
// platform public key's id (public-key mode) and each platform
// certificate's serial (certificate mode), both during the switchover. Ids
// compare ignoring case, serials also ignoring leading zeros.
class PlatformKeys {
 public:
  void Add(std::string id, pk::RsaKey key);
  const pk::RsaKey* Find(std::string_view id) const;
  bool empty() const { return keys_.empty(); }

 private:
  std::map<std::string, pk::RsaKey, std::less<>> keys_;  // upper-case id
};

// Answers and notifications are signed over "<timestamp>\n<nonce>\n<body>\n"
// and refused at 300 s or more from our clock. Errors: invalid_signature
// (missing headers, unknown serial, a signature that does not verify) and
// stale_notification, both 401 with the reason in detail.
struct SignedHeaders {
  std::string_view timestamp, nonce, signature, serial;
};
Status VerifySigned(const PlatformKeys& keys, const SignedHeaders& headers, std::string_view body, int64_t now_ms);
constexpr int64_t kSignatureWindowMs = 300'000;

// A notification's `resource`, opened with the APIv3 key (AEAD_AES_256_GCM:
// nonce and associated_data as given, ciphertext base64 of data and tag).
// Errors: invalid_notification naming what was wrong.
Result<std::string> OpenResource(std::string_view apiv3_key, const boost::json::object& resource);

// A transaction (a query's answer, or a TRANSACTION.* notification's
// resource) as the order it says, after checking it is ours (mchid and
// appid). trade_state: SUCCESS, REFUND kept; NOTPAY, USERPAYING, PAYERROR
// are NOTPAY; CLOSED, REVOKED are CLOSED.
Result<ProviderOrder> ReadTransaction(const boost::json::object& t, std::string_view mchid, std::string_view appid);

// A refund (an answer to a refund or its query, or a REFUND.* resource):
// SUCCESS, PROCESSING, CLOSED, ABNORMAL (`status`, or `refund_status` in
// notifications).
Result<RefundState> ReadRefund(const boost::json::object& r);

// The parameters of the JSAPI payment sheet (WeixinJSBridge
// getBrandWCPayRequest): appId, timeStamp, nonceStr, package =
// "prepay_id=…", signType "RSA" and paySign, the merchant key's signature of
// "<appId>\n<timeStamp>\n<nonceStr>\n<package>\n".
Result<std::map<std::string, std::string>> JsapiParams(const pk::RsaKey& merchant_key, std::string_view appid,
                                                       std::string_view prepay_id, int64_t timestamp_s,
                                                       std::string_view nonce);

// time_expire and success_time: RFC 3339 with the offset, as WeChat writes
// them ("2026-01-01T10:00:00+08:00"; we write China time).
std::string Rfc3339(int64_t ms);
Result<int64_t> ParseRfc3339(std::string_view text);

}  // namespace carecity::payments::wechatpay
