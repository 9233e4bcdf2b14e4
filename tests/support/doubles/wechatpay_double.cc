#include "doubles/wechatpay_double.h"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "doubles/client.h"
#include "doubles/common.h"
#include "doubles/test_pki.h"

namespace doubles {
namespace {

namespace json = boost::json;

// Request signatures and notification timestamps (W3: the SDK allows 5 minutes either way).
constexpr int64_t kSignatureWindowS = 300;
// NotifyFaults::stale_timestamp: just outside the window.
constexpr int64_t kStaleNotificationS = 360;
// time_expire must leave the payer at least this long (W7: "最短失效时间间隔大于1分钟").
constexpr int64_t kMinExpireAheadMs = 60'000;
// Partial refunds of one order at least a minute apart, at most 50 of them (W9).
constexpr int64_t kRefundSpacingMs = 60'000;
constexpr int kMaxRefundsPerOrder = 50;
constexpr int64_t kBeijingOffsetS = 8 * 3600;
constexpr int64_t kMsPerS = 1000;
constexpr int64_t kSecondsPerDay = 86400;

constexpr std::string_view kAuthScheme = "WECHATPAY2-SHA256-RSA2048";
constexpr size_t kApiV3KeyBytes = 32;
constexpr size_t kGcmNonceChars = 12;
constexpr size_t kGcmTagBytes = 16;
constexpr size_t kAnswerNonceChars = 32;
constexpr size_t kRequestIdChars = 32;

// Field limits from the order and refund pages (W7, W9), in bytes of UTF-8.
constexpr size_t kDescriptionMaxBytes = 127;
constexpr size_t kAttachMaxBytes = 128;
constexpr size_t kNotifyUrlMaxBytes = 255;
constexpr size_t kOutTradeNoMin = 6;
constexpr size_t kOutTradeNoMax = 32;
constexpr size_t kOutRefundNoMax = 64;
constexpr size_t kReasonMaxBytes = 80;

constexpr std::string_view kOrderPrefix = "/v3/pay/transactions/out-trade-no/";
constexpr std::string_view kRefundsPath = "/v3/refund/domestic/refunds";
constexpr std::string_view kRefundPrefix = "/v3/refund/domestic/refunds/";
constexpr std::string_view kH5Prefix = "/double/h5/";
constexpr std::string_view kClosePathSuffix = "/close";
constexpr std::string_view kH5PaySuffix = "/pay";

// ---------------------------------------------------------------------------------------------
// OpenSSL, on its own: the doubles share no crypto with the product (design 7.2); the helpers
// shared with the other doubles are in doubles/common.h.

// Starts the message of what the shared helpers throw.
constexpr std::string_view kWho = "wechatpay_double";

using common::Base64;
using common::BioPtr;
using common::BnPtr;
using common::BreakSignature;
using common::HtmlEscape;
using common::LoadPrivateKey;
using common::LoadRsaPublicKey;
using common::MemBio;
using common::PercentDecode;
using common::PkeyPtr;
using common::RandomDigits;
using common::RandomFrom;
using common::RsaSign;
using common::RsaVerify;
using common::ThrowOpenSsl;
using common::Trim;
using common::X509Ptr;

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, common::Deleter<EVP_CIPHER_CTX_free>>;

// base64(ciphertext ‖ 16-byte tag) under AES-256-GCM, as WeChat encrypts notification resources.
std::string AesGcmSeal(std::string_view key, std::string_view nonce, std::string_view aad, std::string_view plaintext) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
  const auto* iv = reinterpret_cast<const unsigned char*>(nonce.data());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_bytes, iv) != 1) {
    ThrowOpenSsl(kWho, "AES-256-GCM init");
  }
  int n = 0;
  if (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()),
                                        static_cast<int>(aad.size())) != 1) {
    ThrowOpenSsl(kWho, "AES-256-GCM aad");
  }
  std::string out(plaintext.size() + kGcmTagBytes, '\0');
  auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_EncryptUpdate(ctx.get(), out_bytes, &n, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1) {
    ThrowOpenSsl(kWho, "AES-256-GCM update");
  }
  int tail = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), out_bytes + n, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes),
                          out_bytes + plaintext.size()) != 1) {
    ThrowOpenSsl(kWho, "AES-256-GCM final");
  }
  return Base64(out);
}

std::string RandomAlnum(size_t n) {
  return RandomFrom(kWho, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", n);
}
std::string RandomHexUpper(size_t n) { return RandomFrom(kWho, "0123456789ABCDEF", n); }
std::string RandomHexLower(size_t n) { return RandomFrom(kWho, "0123456789abcdef", n); }

// The serial as OpenSSL's BN_bn2hex prints it: upper-case hex of whole bytes, so it may start
// with one '0'.
std::string CertificateSerialBn2Hex(const std::string& pem) {
  BioPtr bio = MemBio(kWho, pem);
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ThrowOpenSsl(kWho, "PEM_read_bio_X509");
  }
  BnPtr bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr));
  if (!bn) {
    ThrowOpenSsl(kWho, "ASN1_INTEGER_to_BN");
  }
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) {
    ThrowOpenSsl(kWho, "BN_bn2hex");
  }
  std::string serial(hex);
  OPENSSL_free(hex);
  return serial;
}

// Upper-case hex without leading zeros: how WeChat's SDKs print serials (W14, Go's %X of the
// big integer).
std::string WeChatSerial(const std::string& bn2hex) {
  size_t first = bn2hex.find_first_not_of('0');
  return first == std::string::npos ? "0" : bn2hex.substr(first);
}

// ---------------------------------------------------------------------------------------------
// Time: WeChat writes RFC 3339 in Beijing time (+08:00).

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2 ? 1 : 0;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0); }

// "2026-01-01T10:00:00+08:00"
std::string BeijingTime(int64_t ms) {
  const int64_t s = FloorDiv(ms, kMsPerS) + kBeijingOffsetS;
  const int64_t days = FloorDiv(s, kSecondsPerDay);
  const int64_t secs = s - days * kSecondsPerDay;
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  CivilFromDays(days, y, m, d);
  const auto hms = static_cast<unsigned>(secs);  // 0 <= secs < 86400
  char out[64];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02uT%02u:%02u:%02u+08:00", static_cast<long long>(y), m, d, hms / 3600,
                hms / 60 % 60, hms % 60);
  return out;
}

// yyyyMMddHHmmss in Beijing time (inside prepay ids, as WeChat's carry one).
std::string BeijingCompact(int64_t ms) {
  std::string t = BeijingTime(ms);
  std::string out;
  for (char c : t.substr(0, 19)) {
    if (c >= '0' && c <= '9') {
      out += c;
    }
  }
  return out;
}

bool ReadDigits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) {
    return false;
  }
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// RFC 3339 as WeChat writes it (yyyy-MM-DDTHH:mm:ss then +hh:mm, -hh:mm or Z; no fractions).
std::optional<int64_t> ParseRfc3339(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 20 || !ReadDigits(s, 0, 4, y) || s[4] != '-' || !ReadDigits(s, 5, 2, mo) || s[7] != '-' ||
      !ReadDigits(s, 8, 2, d) || s[10] != 'T' || !ReadDigits(s, 11, 2, h) || s[13] != ':' ||
      !ReadDigits(s, 14, 2, mi) || s[16] != ':' || !ReadDigits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  int offset_s = 0;
  std::string_view zone = s.substr(19);
  if (zone == "Z") {
    offset_s = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (!ReadDigits(zone, 1, 2, oh) || !ReadDigits(zone, 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_s = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  static constexpr int kDaysIn[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > kDaysIn[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 ||
      sec > 59) {
    return std::nullopt;
  }
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return (days * kSecondsPerDay + h * 3600 + mi * 60 + sec - offset_s) * kMsPerS;
}

// ---------------------------------------------------------------------------------------------
// Text.

// a=b&c=d (query strings and form bodies); a repeated name keeps its first value.
std::map<std::string, std::string> ParseForm(std::string_view s) {
  std::map<std::string, std::string> out;
  while (!s.empty()) {
    size_t amp = s.find('&');
    std::string_view pair = s.substr(0, amp);
    size_t eq = pair.find('=');
    std::string name = PercentDecode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
    if (!name.empty()) {
      out.emplace(std::move(name), std::move(value));
    }
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
  }
  return out;
}

bool AllOf(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           extra.find(c) != std::string_view::npos;
  });
}

bool ValidOutTradeNo(std::string_view s) {
  return s.size() >= kOutTradeNoMin && s.size() <= kOutTradeNoMax && AllOf(s, "_-|*");
}

bool ValidOutRefundNo(std::string_view s) { return !s.empty() && s.size() <= kOutRefundNoMax && AllOf(s, "_-|*@"); }

// APIv3 accepts only UTF-8 characters of one to three bytes (basic rules, W11).
bool HasFourByteUtf8(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
}

// https:// anywhere, or http:// on loopback for tests (our test server is plain HTTP); never a
// query string ("不能携带参数", W7).
bool ValidNotifyUrl(std::string_view url) {
  if (url.size() > kNotifyUrlMaxBytes || url.find('?') != std::string_view::npos ||
      url.find('#') != std::string_view::npos) {
    return false;
  }
  bool https = url.rfind("https://", 0) == 0;
  bool http = url.rfind("http://", 0) == 0;
  if (!https && !http) {
    return false;
  }
  std::string_view rest = url.substr(https ? 8 : 7);
  std::string_view authority = rest.substr(0, rest.find('/'));
  std::string_view host = authority;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(0, host.find(']') + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host.empty()) {
    return false;
  }
  return https || host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

bool ValidIp(const std::string& ip) {
  unsigned char buffer[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, ip.c_str(), buffer) == 1 || inet_pton(AF_INET6, ip.c_str(), buffer) == 1;
}

// ---------------------------------------------------------------------------------------------
// Answers.

Response JsonResponse(int status, const json::value& body) {
  Response res;
  res.status = status;
  res.body = json::serialize(body);
  return res;
}

// WeChat's error body (basic rules, W11): {"code","message"}.
Response WxError(int status, std::string_view code, std::string_view message) {
  return JsonResponse(status, json::object{{"code", code}, {"message", message}});
}

// PARAM_ERROR with detail {field, value, issue, location}: `field` is a JSON pointer for body
// fields ("/amount/total"), the parameter's name for path and query ones.
Response ParamError(std::string_view field, std::string_view value, std::string_view issue,
                    std::string_view location = "body") {
  json::object detail{{"field", field}, {"value", value}, {"issue", issue}, {"location", location}};
  return JsonResponse(400, json::object{{"code", "PARAM_ERROR"},
                                        {"message", std::string("参数错误: ") + std::string(issue)},
                                        {"detail", std::move(detail)}});
}

// WeChat answers a path it does not serve with 404 and an empty body (W11, probed by others).
Response NoSuchPath() {
  Response res;
  res.status = 404;
  res.content_type.clear();
  return res;
}

Response HtmlResponse(int status, std::string body) {
  Response res;
  res.status = status;
  res.body = std::move(body);
  res.content_type = "text/html; charset=utf-8";
  return res;
}

// A field read from a JSON object: absent, present with the wrong type, or the value.
const json::value* Field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() || it->value().is_null() ? nullptr : &it->value();
}

std::string ValueText(const json::value* v) {
  if (v == nullptr) {
    return "";
  }
  return v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
}

// A required or optional string field; on failure, the PARAM_ERROR to answer.
struct StringField {
  std::optional<std::string> value;
  std::optional<Response> error;
};

StringField ReadString(const json::object& o, std::string_view key, std::string_view pointer, bool required) {
  const json::value* v = Field(o, key);
  if (v == nullptr) {
    if (required) {
      return {std::nullopt, ParamError(pointer, "", "缺少必填参数")};
    }
    return {};
  }
  if (!v->is_string()) {
    return {std::nullopt, ParamError(pointer, ValueText(v), "参数类型应为字符串")};
  }
  return {std::string(v->get_string()), std::nullopt};
}

// A positive integer (JSON integer, never a string or a fraction).
std::optional<int64_t> PositiveInteger(const json::value* v) {
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_int64() && v->get_int64() > 0) {
    return v->get_int64();
  }
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX) && v->get_uint64() > 0) {
    return static_cast<int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

std::optional<json::object> ParseObject(const std::string& body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return std::nullopt;
  }
  return std::move(v.as_object());
}

bool IsFinalRefundStatus(std::string_view s) { return s == "SUCCESS" || s == "CLOSED" || s == "ABNORMAL"; }

std::string TradeStateDesc(std::string_view state) {
  if (state == "SUCCESS") {
    return "支付成功";
  }
  if (state == "REFUND") {
    return "转入退款";
  }
  if (state == "CLOSED") {
    return "订单已关闭";
  }
  return "订单未支付";
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string WechatPayRequestMessage(std::string_view method, std::string_view target, std::string_view timestamp,
                                    std::string_view nonce, std::string_view body) {
  std::string message;
  for (std::string_view line : {method, target, timestamp, nonce, body}) {
    message.append(line);
    message += '\n';
  }
  return message;
}

class WechatPayDouble::Impl {
 public:
  explicit Impl(Options options);
  ~Impl();

  std::string base_url() const { return server_->base_url(); }
  DoubleServer& server() { return *server_; }
  const std::string& platform_public_key_pem() const { return platform_key_pair_.public_pem; }
  const std::string& platform_public_key_id() const { return platform_key_id_; }
  const std::string& platform_certificate_pem() const { return platform_cert_.cert_pem; }
  const std::string& platform_certificate_serial() const { return platform_cert_serial_; }

  void set_mode(Options::Mode mode) {
    std::lock_guard lock(mu_);
    mode_ = mode;
  }

  void AddOpenid(const std::string& openid) {
    std::lock_guard lock(mu_);
    openids_.insert(openid);
  }

  bool Pay(const std::string& out_trade_no);
  void SetNotifyFaults(NotifyFaults faults) {
    std::lock_guard lock(mu_);
    faults_ = faults;
  }
  std::vector<Delivery> deliveries() const {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  Delivery Redeliver(const std::string& out_trade_no);
  void WaitForDeliveries();
  void SetRefundOutcome(const std::string& out_refund_no, int processing_queries, std::string final_status);
  std::optional<Order> order(const std::string& out_trade_no) const;
  std::optional<Refund> refund(const std::string& out_refund_no) const;
  int refunds_executed(const std::string& out_trade_no) const;
  void TamperNextAnswers(int n) {
    std::lock_guard lock(mu_);
    tamper_answers_ = n;
  }

 private:
  struct OrderState {
    Order pub;
    json::object params;  // the order's parameters as first sent, for the re-order check
    std::string attach;
    int64_t expire_ms = 0;  // 0: no time_expire
    int refund_count = 0;
    int64_t last_refund_ms = 0;
  };

  struct RefundOutcome {
    int processing_queries = 0;
    std::string final_status;
  };

  struct RefundState {
    Refund pub;
    std::string transaction_id, notify_url, create_time, success_time;
    int64_t total = 0;
    std::optional<RefundOutcome> outcome;  // set: PROCESSING until its queries are used up
  };

  // The key answers or notifications are signed with, and the serial that names it.
  struct Signer {
    EVP_PKEY* key = nullptr;
    std::string serial;
  };

  // A notification ready to go: what is sent now (faults applied) and how many copies.
  struct Outgoing {
    std::string url, body;
    std::vector<std::pair<std::string, std::string>> headers;
    int copies = 1;
    bool lose = false;
  };

  struct Answer {
    Response res;
    std::vector<Outgoing> notices;
  };

  struct LastNotification {
    std::string url, body;  // the body as WeChat built it, without faults
  };

  // Checks headers, Authorization and signature, then runs `handler` under the lock, signs a
  // 2xx answer, and starts the notifications the handler made.
  Response Api(const Request& req, const std::function<Answer()>& handler);
  std::optional<Response> Authenticate(const Request& req) const;
  void SignAnswerLocked(const Request& req, Response& res);
  Signer ModeSigner(Options::Mode mode, bool want_public_key);
  Signer NotifySignerLocked();

  Answer CreateOrderLocked(const Request& req, bool jsapi);
  Answer QueryOrderLocked(const Request& req, const std::string& out_trade_no);
  Answer CloseOrderLocked(const Request& req, const std::string& out_trade_no);
  Answer CreateRefundLocked(const Request& req);
  Answer QueryRefundLocked(const std::string& out_refund_no);
  Response JsapiPay(const Request& req);
  Response H5Page(const Request& req);
  Response H5Pay(const Request& req);

  std::optional<Outgoing> PayLocked(const std::string& out_trade_no);
  json::object TransactionJson(const OrderState& order) const;
  json::object RefundJson(const RefundState& refund) const;
  Outgoing BuildNotificationLocked(const std::string& out_trade_no, const std::string& url,
                                   const std::string& event_type, const std::string& summary,
                                   const std::string& original_type, const json::object& plaintext);
  std::vector<std::pair<std::string, std::string>> NotificationHeaders(const std::string& body, const Signer& signer,
                                                                       int64_t timestamp_s) const;
  void Dispatch(Outgoing outgoing, bool wait);
  Delivery Deliver(const std::string& url, const std::string& body,
                   const std::vector<std::pair<std::string, std::string>>& headers);
  std::string NewH5UrlLocked(const std::string& prepay_id);
  int64_t now_ms() const { return server_->now_ms(); }

  const Options options_;
  PkeyPtr merchant_key_;
  KeyPair platform_key_pair_;
  PkeyPtr platform_key_;
  std::string platform_key_id_;
  CertAndKey platform_cert_;
  PkeyPtr platform_cert_key_;
  std::string platform_cert_serial_;

  mutable std::mutex mu_;
  Options::Mode mode_;                                         // GUARDED_BY(mu_)
  std::set<std::string> openids_;                              // GUARDED_BY(mu_)
  std::map<std::string, OrderState> orders_;                   // GUARDED_BY(mu_)
  std::map<std::string, std::string> prepay_orders_;           // GUARDED_BY(mu_) prepay_id → out_trade_no
  std::map<std::string, RefundState> refunds_;                 // GUARDED_BY(mu_)
  std::map<std::string, RefundOutcome> refund_outcomes_;       // GUARDED_BY(mu_) for refunds not made yet
  std::map<std::string, int> refunds_executed_;                // GUARDED_BY(mu_)
  std::map<std::string, LastNotification> last_notification_;  // GUARDED_BY(mu_) by out_trade_no
  NotifyFaults faults_;                                        // GUARDED_BY(mu_)
  std::vector<Delivery> deliveries_;                           // GUARDED_BY(mu_)
  int tamper_answers_ = 0;                                     // GUARDED_BY(mu_)
  int switchover_notifications_ = 0;                           // GUARDED_BY(mu_)

  std::mutex threads_mu_;
  std::vector<std::thread> threads_;  // GUARDED_BY(threads_mu_)

  // Last, so it stops (and no handler runs) before anything above is destroyed.
  std::unique_ptr<DoubleServer> server_;
};

WechatPayDouble::Impl::Impl(Options options) : options_(std::move(options)), mode_(options_.mode) {
  merchant_key_ = LoadRsaPublicKey(kWho, options_.merchant_public_key_pem);
  if (!merchant_key_) {
    throw std::invalid_argument("WechatPayDouble: merchant_public_key_pem is not an RSA public key in PEM");
  }
  if (options_.apiv3_key.size() != kApiV3KeyBytes) {
    throw std::invalid_argument("WechatPayDouble: apiv3_key must be 32 bytes");
  }
  platform_key_pair_ = NewRsaKeyPair();
  platform_key_ = LoadPrivateKey(kWho, platform_key_pair_.private_pem);
  // Public key ids look like PUB_KEY_ID_0114232019112100000000000000000000 (W12).
  platform_key_id_ = "PUB_KEY_ID_01" + RandomDigits(kWho, 30);
  // About 1 serial in 17 has a leading zero nibble: issue until the serial is the kind asked for.
  constexpr int kMaxIssues = 500;
  for (int i = 0;; ++i) {
    if (i == kMaxIssues) {
      throw std::runtime_error("WechatPayDouble: no platform certificate serial of the asked form");
    }
    platform_cert_ = IssueCert(SharedPki(), "Tenpay.com platform " + options_.mchid, {}, {});
    std::string bn2hex = CertificateSerialBn2Hex(platform_cert_.cert_pem);
    if ((bn2hex[0] == '0') == options_.platform_serial_with_leading_zero) {
      platform_cert_serial_ = WeChatSerial(bn2hex);
      break;
    }
  }
  platform_cert_key_ = LoadPrivateKey(kWho, platform_cert_.key_pem);

  server_ = std::make_unique<DoubleServer>();
  server_->Route("POST", "/v3/pay/transactions/jsapi",
                 [this](const Request& r) { return Api(r, [&] { return CreateOrderLocked(r, true); }); });
  server_->Route("POST", "/v3/pay/transactions/h5",
                 [this](const Request& r) { return Api(r, [&] { return CreateOrderLocked(r, false); }); });
  server_->RoutePrefix("GET", std::string(kOrderPrefix), [this](const Request& r) {
    std::string no = r.path.substr(kOrderPrefix.size());
    if (no.empty() || no.find('/') != std::string::npos) {
      return NoSuchPath();
    }
    return Api(r, [&] { return QueryOrderLocked(r, PercentDecode(no, false)); });
  });
  server_->RoutePrefix("POST", std::string(kOrderPrefix), [this](const Request& r) {
    std::string rest = r.path.substr(kOrderPrefix.size());
    if (rest.size() <= kClosePathSuffix.size() ||
        rest.compare(rest.size() - kClosePathSuffix.size(), kClosePathSuffix.size(), kClosePathSuffix) != 0 ||
        rest.find('/') != rest.size() - kClosePathSuffix.size()) {
      return NoSuchPath();
    }
    std::string no = PercentDecode(rest.substr(0, rest.size() - kClosePathSuffix.size()), false);
    return Api(r, [&] { return CloseOrderLocked(r, no); });
  });
  server_->Route("POST", std::string(kRefundsPath),
                 [this](const Request& r) { return Api(r, [&] { return CreateRefundLocked(r); }); });
  server_->RoutePrefix("GET", std::string(kRefundPrefix), [this](const Request& r) {
    std::string no = r.path.substr(kRefundPrefix.size());
    if (no.empty() || no.find('/') != std::string::npos) {
      return NoSuchPath();
    }
    return Api(r, [&] { return QueryRefundLocked(PercentDecode(no, false)); });
  });
  server_->Route("POST", "/double/jsapi/pay", [this](const Request& r) { return JsapiPay(r); });
  server_->RoutePrefix("GET", std::string(kH5Prefix), [this](const Request& r) { return H5Page(r); });
  server_->RoutePrefix("POST", std::string(kH5Prefix), [this](const Request& r) { return H5Pay(r); });
}

WechatPayDouble::Impl::~Impl() {
  server_.reset();  // no handler runs, so no delivery thread starts, after this
  WaitForDeliveries();
}

// ---- Requests ---------------------------------------------------------------------------------

Response WechatPayDouble::Impl::Api(const Request& req, const std::function<Answer()>& handler) {
  Response res;
  std::vector<Outgoing> notices;
  if (std::optional<Response> refused = Authenticate(req)) {
    res = std::move(*refused);
  } else {
    std::lock_guard lock(mu_);
    Answer answer = handler();
    res = std::move(answer.res);
    notices = std::move(answer.notices);
    if (res.status >= 200 && res.status < 300) {
      SignAnswerLocked(req, res);
    }
  }
  // Every answer names the request (basic rules: Request-ID), errors too.
  res.headers.emplace_back("Request-ID", RandomHexUpper(kRequestIdChars));
  for (Outgoing& notice : notices) {
    Dispatch(std::move(notice), false);  // on the server's thread: never wait for our server
  }
  return res;
}

std::optional<Response> WechatPayDouble::Impl::Authenticate(const Request& req) const {
  auto header = [&](const std::string& name) -> std::string {
    auto it = req.headers.find(name);
    return it == req.headers.end() ? std::string() : std::string(Trim(it->second));
  };
  if (header("accept").empty() || header("user-agent").empty()) {
    return WxError(400, "INVALID_REQUEST", "Http头缺少Accept或User-Agent");
  }
  if (!req.body.empty() && header("content-type").rfind("application/json", 0) != 0) {
    return WxError(400, "INVALID_REQUEST", "Http头Content-Type值必须为application/json");
  }
  const std::string authorization = header("authorization");
  if (authorization.empty()) {
    return WxError(401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》");
  }
  if (authorization.size() <= kAuthScheme.size() || authorization.compare(0, kAuthScheme.size(), kAuthScheme) != 0 ||
      authorization[kAuthScheme.size()] != ' ') {
    return WxError(401, "SIGN_ERROR", "签名信息错误，验签失败");
  }
  // key="value" pairs separated by commas, in any order (W1).
  const Response malformed =
      WxError(401, "SIGN_ERROR", "Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》");
  std::map<std::string, std::string> params;
  std::string_view rest = std::string_view(authorization).substr(kAuthScheme.size() + 1);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string item(Trim(rest.substr(0, comma)));
    size_t eq = item.find('=');
    if (eq == std::string::npos || item.size() < eq + 3 || item[eq + 1] != '"' || item.back() != '"') {
      return malformed;
    }
    std::string value = item.substr(eq + 2, item.size() - eq - 3);
    if (value.find('"') != std::string::npos || !params.emplace(item.substr(0, eq), value).second) {
      return malformed;
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  for (const char* name : {"mchid", "nonce_str", "timestamp", "serial_no", "signature"}) {
    if (params[name].empty()) {
      return malformed;
    }
  }
  if (params["mchid"] != options_.mchid) {
    return WxError(401, "SIGN_ERROR", "Authorization中的商户号mchid有误");
  }
  if (params["serial_no"] != options_.merchant_cert_serial) {
    return WxError(401, "SIGN_ERROR", "商户证书序列号有误。请使用签名私钥匹配的证书序列号");
  }
  const std::string& ts = params["timestamp"];
  constexpr size_t kMaxTimestampDigits = 12;
  if (ts.size() > kMaxTimestampDigits || ts.find_first_not_of("0123456789") != std::string::npos) {
    return malformed;
  }
  const int64_t skew = std::stoll(ts) - FloorDiv(now_ms(), kMsPerS);
  if (skew > kSignatureWindowS || skew < -kSignatureWindowS) {
    return WxError(401, "SIGN_ERROR", "Http头Authorization中的timestamp与发起请求的时间不得超过5分钟");
  }
  // The message rebuilt from the raw request: the target exactly as on the request line (W1).
  const std::string message = WechatPayRequestMessage(req.method, req.target, ts, params["nonce_str"], req.body);
  if (!RsaVerify(kWho, merchant_key_.get(), message, params["signature"])) {
    return WxError(401, "SIGN_ERROR", "签名错误");
  }
  return std::nullopt;
}

WechatPayDouble::Impl::Signer WechatPayDouble::Impl::ModeSigner(Options::Mode mode, bool want_public_key) {
  bool public_key = mode == Options::Mode::kPublicKey || (mode == Options::Mode::kSwitchover && want_public_key);
  if (public_key) {
    return {platform_key_.get(), platform_key_id_};
  }
  return {platform_cert_key_.get(), platform_cert_serial_};
}

// Answers are signed over "<ts>\n<nonce>\n<body>\n" (W2; a 204 signs an empty body). During the
// switchover WeChat follows the request's Wechatpay-Serial (W12).
void WechatPayDouble::Impl::SignAnswerLocked(const Request& req, Response& res) {
  auto named = req.headers.find("wechatpay-serial");
  bool wants_public_key = named != req.headers.end() && Trim(named->second) == platform_key_id_;
  Signer signer = ModeSigner(mode_, wants_public_key);
  const std::string ts = std::to_string(FloorDiv(now_ms(), kMsPerS));
  const std::string nonce = RandomAlnum(kAnswerNonceChars);
  std::string signature = RsaSign(kWho, signer.key, ts + "\n" + nonce + "\n" + res.body + "\n");
  if (tamper_answers_ > 0) {
    --tamper_answers_;
    signature = BreakSignature(std::move(signature));
  }
  res.headers.emplace_back("Wechatpay-Nonce", nonce);
  res.headers.emplace_back("Wechatpay-Signature", signature);
  res.headers.emplace_back("Wechatpay-Timestamp", ts);
  res.headers.emplace_back("Wechatpay-Serial", signer.serial);
}

// In the switchover window WeChat signs notifications with either key (W12: randomly, the
// public key's share growing daily); here they alternate, certificate first, to stay repeatable.
WechatPayDouble::Impl::Signer WechatPayDouble::Impl::NotifySignerLocked() {
  bool public_key = mode_ == Options::Mode::kSwitchover && switchover_notifications_++ % 2 == 1;
  return ModeSigner(mode_, public_key);
}

// ---- Orders -----------------------------------------------------------------------------------

WechatPayDouble::Impl::Answer WechatPayDouble::Impl::CreateOrderLocked(const Request& req, bool jsapi) {
  std::optional<json::object> body = ParseObject(req.body);
  if (!body) {
    return {ParamError("", "", "请求体不是合法的JSON对象")};
  }
  const json::object& o = *body;

  StringField appid = ReadString(o, "appid", "/appid", true);
  if (appid.error) {
    return {*appid.error};
  }
  StringField mchid = ReadString(o, "mchid", "/mchid", true);
  if (mchid.error) {
    return {*mchid.error};
  }
  if (*mchid.value != options_.mchid) {
    return {ParamError("/mchid", *mchid.value, "商户号与请求签名的商户号不一致")};
  }
  if (*appid.value != options_.appid) {
    return {WxError(400, "APPID_MCHID_NOT_MATCH", "AppID和mch_id不匹配")};
  }
  StringField description = ReadString(o, "description", "/description", true);
  if (description.error) {
    return {*description.error};
  }
  if (description.value->empty() || description.value->size() > kDescriptionMaxBytes) {
    return {ParamError("/description", *description.value, "商品描述长度应为1到127字节")};
  }
  if (HasFourByteUtf8(*description.value)) {
    return {ParamError("/description", *description.value, "不支持四字节UTF-8字符")};
  }
  StringField out_trade_no = ReadString(o, "out_trade_no", "/out_trade_no", true);
  if (out_trade_no.error) {
    return {*out_trade_no.error};
  }
  if (!ValidOutTradeNo(*out_trade_no.value)) {
    return {ParamError("/out_trade_no", *out_trade_no.value, "商户订单号应为6到32个数字、大小写字母或_-|*")};
  }
  StringField time_expire = ReadString(o, "time_expire", "/time_expire", false);
  if (time_expire.error) {
    return {*time_expire.error};
  }
  int64_t expire_ms = 0;
  if (time_expire.value) {
    std::optional<int64_t> parsed = ParseRfc3339(*time_expire.value);
    if (!parsed) {
      return {ParamError("/time_expire", *time_expire.value, "应为RFC 3339格式，如2018-06-08T10:34:56+08:00")};
    }
    if (*parsed < now_ms() + kMinExpireAheadMs) {
      return {ParamError("/time_expire", *time_expire.value, "支付结束时间距当前应大于1分钟")};
    }
    expire_ms = *parsed;
  }
  StringField attach = ReadString(o, "attach", "/attach", false);
  if (attach.error) {
    return {*attach.error};
  }
  if (attach.value && attach.value->size() > kAttachMaxBytes) {
    return {ParamError("/attach", *attach.value, "附加数据长度不能超过128字节")};
  }
  StringField notify_url = ReadString(o, "notify_url", "/notify_url", true);
  if (notify_url.error) {
    return {*notify_url.error};
  }
  if (!ValidNotifyUrl(*notify_url.value)) {
    return {ParamError("/notify_url", *notify_url.value, "通知地址应为https地址且不能携带参数")};
  }
  const json::value* amount_value = Field(o, "amount");
  if (amount_value == nullptr || !amount_value->is_object()) {
    return {ParamError("/amount", ValueText(amount_value), "缺少必填参数amount")};
  }
  const json::object& amount = amount_value->get_object();
  std::optional<int64_t> total = PositiveInteger(Field(amount, "total"));
  if (!total) {
    return {ParamError("/amount/total", ValueText(Field(amount, "total")), "订单金额应为大于0的整数（分）")};
  }
  StringField currency = ReadString(amount, "currency", "/amount/currency", false);
  if (currency.error) {
    return {*currency.error};
  }
  if (currency.value && *currency.value != "CNY") {
    return {ParamError("/amount/currency", *currency.value, "境内商户号仅支持人民币CNY")};
  }
  std::string openid;
  json::object params = o;
  if (jsapi) {
    const json::value* payer = Field(o, "payer");
    if (payer == nullptr || !payer->is_object()) {
      return {ParamError("/payer", ValueText(payer), "缺少必填参数payer")};
    }
    StringField payer_openid = ReadString(payer->get_object(), "openid", "/payer/openid", true);
    if (payer_openid.error) {
      return {*payer_openid.error};
    }
    if (openids_.count(*payer_openid.value) == 0) {
      return {ParamError("/payer/openid", *payer_openid.value, "openid与appid不匹配")};
    }
    openid = *payer_openid.value;
  } else {
    const json::value* scene = Field(o, "scene_info");
    if (scene == nullptr || !scene->is_object()) {
      return {ParamError("/scene_info", ValueText(scene), "缺少必填参数scene_info")};
    }
    StringField ip = ReadString(scene->get_object(), "payer_client_ip", "/scene_info/payer_client_ip", true);
    if (ip.error) {
      return {*ip.error};
    }
    if (!ValidIp(*ip.value)) {
      return {ParamError("/scene_info/payer_client_ip", *ip.value, "用户终端IP应为IPv4或IPv6地址")};
    }
    const json::value* h5_info = Field(scene->get_object(), "h5_info");
    if (h5_info == nullptr || !h5_info->is_object()) {
      return {ParamError("/scene_info/h5_info", ValueText(h5_info), "缺少必填参数h5_info")};
    }
    StringField type = ReadString(h5_info->get_object(), "type", "/scene_info/h5_info/type", true);
    if (type.error) {
      return {*type.error};
    }
    if (*type.value != "Wap" && *type.value != "iOS" && *type.value != "Android") {
      return {ParamError("/scene_info/h5_info/type", *type.value, "场景类型应为iOS、Android或Wap")};
    }
    // A re-order may come from another IP: only the client IP may change (W7).
    params["scene_info"].as_object().erase("payer_client_ip");
  }

  const std::string kind = jsapi ? "jsapi" : "h5";
  auto existing = orders_.find(*out_trade_no.value);
  if (existing != orders_.end()) {
    OrderState& order = existing->second;
    // No v3 page names a code for this; ORDERPAID is WeChat's (v2) code for a paid order.
    if (order.pub.trade_state == "SUCCESS" || order.pub.trade_state == "REFUND") {
      return {WxError(400, "ORDERPAID", "该订单已支付")};
    }
    if (order.pub.trade_state == "CLOSED") {
      return {WxError(400, "ORDER_CLOSED", "订单已关闭")};
    }
    // The v3 order pages list 403 OUT_TRADE_NO_USED for a number reused with other parameters
    // or through another order API (the FAQ's "201 商户订单号重复" is v2 wording).
    if (order.pub.kind != kind || order.params != params) {
      return {WxError(403, "OUT_TRADE_NO_USED", "商户订单号重复")};
    }
    ++order.pub.times_ordered;
    if (jsapi) {
      return {JsonResponse(200, json::object{{"prepay_id", order.pub.prepay_id}})};
    }
    order.pub.h5_url = NewH5UrlLocked(order.pub.prepay_id);
    return {JsonResponse(200, json::object{{"h5_url", order.pub.h5_url}})};
  }

  OrderState order;
  order.pub.out_trade_no = *out_trade_no.value;
  order.pub.kind = kind;
  order.pub.trade_state = "NOTPAY";
  order.pub.openid = openid;
  order.pub.notify_url = *notify_url.value;
  order.pub.description = *description.value;
  order.pub.time_expire = time_expire.value.value_or("");
  order.pub.total = *total;
  order.pub.times_ordered = 1;
  order.pub.prepay_id = "wx" + BeijingCompact(now_ms()) + RandomHexLower(20);
  order.params = std::move(params);
  order.attach = attach.value.value_or("");
  order.expire_ms = expire_ms;
  prepay_orders_[order.pub.prepay_id] = order.pub.out_trade_no;
  Answer answer;
  if (jsapi) {
    answer.res = JsonResponse(200, json::object{{"prepay_id", order.pub.prepay_id}});
  } else {
    order.pub.h5_url = NewH5UrlLocked(order.pub.prepay_id);
    answer.res = JsonResponse(200, json::object{{"h5_url", order.pub.h5_url}});
  }
  orders_.emplace(order.pub.out_trade_no, std::move(order));
  return answer;
}

// A fresh cashier link for each (re-)order, as WeChat's h5_url lives about five minutes (W7).
std::string WechatPayDouble::Impl::NewH5UrlLocked(const std::string& prepay_id) {
  return server_->base_url() + std::string(kH5Prefix) + prepay_id + "?prepay_id=" + prepay_id +
         "&package=" + RandomDigits(kWho, 10);
}

WechatPayDouble::Impl::Answer WechatPayDouble::Impl::QueryOrderLocked(const Request& req,
                                                                      const std::string& out_trade_no) {
  std::map<std::string, std::string> query = ParseForm(req.query);
  auto mchid = query.find("mchid");
  if (mchid == query.end() || mchid->second.empty()) {
    return {ParamError("mchid", "", "缺少必填参数mchid", "query")};
  }
  if (mchid->second != options_.mchid) {
    return {ParamError("mchid", mchid->second, "商户号与请求签名的商户号不一致", "query")};
  }
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end()) {
    return {WxError(404, "ORDER_NOT_EXIST", "订单不存在")};
  }
  return {JsonResponse(200, TransactionJson(it->second))};
}

WechatPayDouble::Impl::Answer WechatPayDouble::Impl::CloseOrderLocked(const Request& req,
                                                                      const std::string& out_trade_no) {
  std::optional<json::object> body = ParseObject(req.body);
  if (!body) {
    return {ParamError("", "", "请求体不是合法的JSON对象")};
  }
  StringField mchid = ReadString(*body, "mchid", "/mchid", true);
  if (mchid.error) {
    return {*mchid.error};
  }
  if (*mchid.value != options_.mchid) {
    return {ParamError("/mchid", *mchid.value, "商户号与请求签名的商户号不一致")};
  }
  Response closed;
  closed.status = 204;
  closed.content_type.clear();
  auto it = orders_.find(out_trade_no);
  // WeChat answers 204 to a repeated close, and to a number it does not know (it only checks the
  // format): the merchant learns the state from a query.
  if (it == orders_.end()) {
    return {closed};
  }
  Order& order = it->second.pub;
  // As on re-order: ORDERPAID is the (v2) close page's code, the v3 page names none.
  if (order.trade_state == "SUCCESS" || order.trade_state == "REFUND") {
    return {WxError(400, "ORDERPAID", "订单已支付，不能发起关单")};
  }
  if (order.trade_state == "NOTPAY") {
    order.trade_state = "CLOSED";
    order.closed_by_merchant = true;
  }
  return {closed};
}

json::object WechatPayDouble::Impl::TransactionJson(const OrderState& state) const {
  const Order& order = state.pub;
  const bool paid = order.trade_state == "SUCCESS" || order.trade_state == "REFUND";
  json::object o;
  o["appid"] = options_.appid;
  o["mchid"] = options_.mchid;
  o["out_trade_no"] = order.out_trade_no;
  if (paid) {
    o["transaction_id"] = order.transaction_id;
    o["trade_type"] = order.kind == "jsapi" ? "JSAPI" : "MWEB";
  }
  o["trade_state"] = order.trade_state;
  o["trade_state_desc"] = TradeStateDesc(order.trade_state);
  if (paid) {
    o["bank_type"] = "OTHERS";
  }
  if (!state.attach.empty()) {
    o["attach"] = state.attach;
  }
  if (paid) {
    o["success_time"] = order.success_time;
    o["payer"] = json::object{{"openid", order.openid}};
  }
  json::object amount{{"total", order.total}};
  if (paid) {
    amount["payer_total"] = order.total;
  }
  amount["currency"] = "CNY";
  amount["payer_currency"] = "CNY";
  o["amount"] = std::move(amount);
  return o;
}

// ---- The payer --------------------------------------------------------------------------------

std::optional<WechatPayDouble::Impl::Outgoing> WechatPayDouble::Impl::PayLocked(const std::string& out_trade_no) {
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end()) {
    return std::nullopt;
  }
  OrderState& state = it->second;
  Order& order = state.pub;
  const int64_t now = now_ms();
  if (order.trade_state != "NOTPAY" || (state.expire_ms != 0 && now >= state.expire_ms)) {
    return std::nullopt;
  }
  order.trade_state = "SUCCESS";
  order.transaction_id = "4200" + RandomDigits(kWho, 24);
  order.success_time = BeijingTime(now);
  if (order.openid.empty()) {
    order.openid = "o" + RandomAlnum(27);  // an H5 payer: WeChat still names them under the appid
  }
  return BuildNotificationLocked(out_trade_no, order.notify_url, "TRANSACTION.SUCCESS", "支付成功", "transaction",
                                 TransactionJson(state));
}

bool WechatPayDouble::Impl::Pay(const std::string& out_trade_no) {
  std::optional<Outgoing> notice;
  {
    std::lock_guard lock(mu_);
    notice = PayLocked(out_trade_no);
  }
  if (!notice) {
    return false;
  }
  Dispatch(std::move(*notice), true);
  return true;
}

// The WeChat client's getBrandWCPayRequest: paySign = base64(RSA-SHA256(merchant key,
// appId\ntimeStamp\nnonceStr\npackage\n)) (W6).
Response WechatPayDouble::Impl::JsapiPay(const Request& req) {
  auto fail = [](const std::string& detail) {
    return JsonResponse(400, json::object{{"err_msg", "get_brand_wcpay_request:fail"}, {"detail", detail}});
  };
  std::optional<json::object> body = ParseObject(req.body);
  if (!body) {
    return fail("body is not a JSON object");
  }
  std::map<std::string, std::string> p;
  for (const char* name : {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}) {
    const json::value* v = Field(*body, name);
    if (v == nullptr || !v->is_string() || v->get_string().empty()) {
      return fail(std::string("missing ") + name);
    }
    p[name] = std::string(v->get_string());
  }
  if (p["signType"] != "RSA") {
    return fail("signType must be RSA");
  }
  if (p["appId"] != options_.appid) {
    return fail("appId is not the merchant's appid");
  }
  const std::string message = p["appId"] + "\n" + p["timeStamp"] + "\n" + p["nonceStr"] + "\n" + p["package"] + "\n";
  if (!RsaVerify(kWho, merchant_key_.get(), message, p["paySign"])) {
    return fail("paySign does not verify with the merchant key");
  }
  constexpr std::string_view kPackagePrefix = "prepay_id=";
  if (p["package"].rfind(kPackagePrefix, 0) != 0) {
    return fail("package must be prepay_id=...");
  }
  std::optional<Outgoing> notice;
  {
    std::lock_guard lock(mu_);
    auto order = prepay_orders_.find(p["package"].substr(kPackagePrefix.size()));
    if (order == prepay_orders_.end() || orders_.at(order->second).pub.kind != "jsapi") {
      return fail("unknown prepay_id");
    }
    notice = PayLocked(order->second);
  }
  if (!notice) {
    return fail("the order cannot be paid (paid, closed or expired)");
  }
  Dispatch(std::move(*notice), false);
  return JsonResponse(200, json::object{{"err_msg", "get_brand_wcpay_request:ok"}});
}

Response WechatPayDouble::Impl::H5Page(const Request& req) {
  const std::string prepay_id = req.path.substr(kH5Prefix.size());
  std::string description;
  int64_t total = 0;
  {
    std::lock_guard lock(mu_);
    auto order = prepay_orders_.find(prepay_id);
    if (prepay_id.find('/') != std::string::npos || order == prepay_orders_.end() ||
        orders_.at(order->second).pub.kind != "h5") {
      return HtmlResponse(404, "<!doctype html><meta charset=\"utf-8\"><p>订单不存在</p>");
    }
    description = orders_.at(order->second).pub.description;
    total = orders_.at(order->second).pub.total;
  }
  std::map<std::string, std::string> query = ParseForm(req.query);
  const std::string cents = std::to_string(100 + total % 100).substr(1);  // total > 0: two digits
  const std::string yuan = std::to_string(total / 100) + "." + cents;
  std::string page = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>微信支付</title></head>";
  page += "<body><p>" + HtmlEscape(description) + "</p><p>￥" + yuan + "</p>";
  page += "<form method=\"post\" action=\"" + std::string(kH5Prefix) + HtmlEscape(prepay_id) +
          std::string(kH5PaySuffix) + "\">";
  page += "<input type=\"hidden\" name=\"redirect_url\" value=\"" + HtmlEscape(query["redirect_url"]) + "\">";
  page += "<button type=\"submit\" name=\"action\" value=\"pay\">确认支付</button>";
  page += "<button type=\"submit\" name=\"action\" value=\"cancel\">取消</button></form></body></html>";
  return HtmlResponse(200, std::move(page));
}

// The cashier's form: 确认支付 pays and goes back to redirect_url (303); 取消 goes back unpaid.
Response WechatPayDouble::Impl::H5Pay(const Request& req) {
  std::string rest = req.path.substr(kH5Prefix.size());
  if (rest.size() <= kH5PaySuffix.size() ||
      rest.compare(rest.size() - kH5PaySuffix.size(), kH5PaySuffix.size(), kH5PaySuffix) != 0) {
    return HtmlResponse(404, "<!doctype html><meta charset=\"utf-8\"><p>页面不存在</p>");
  }
  const std::string prepay_id = rest.substr(0, rest.size() - kH5PaySuffix.size());
  std::map<std::string, std::string> form = ParseForm(req.body);
  std::map<std::string, std::string> query = ParseForm(req.query);
  std::string redirect = form.count("redirect_url") != 0 ? form["redirect_url"] : query["redirect_url"];
  auto back = [&](const std::string& text) {
    if (redirect.empty()) {
      return HtmlResponse(200, "<!doctype html><meta charset=\"utf-8\"><p>" + text + "</p>");
    }
    Response res = HtmlResponse(303, "");
    res.headers.emplace_back("Location", redirect);
    return res;
  };
  if (form["action"] == "cancel") {
    return back("已取消支付");
  }
  std::optional<Outgoing> notice;
  {
    std::lock_guard lock(mu_);
    auto order = prepay_orders_.find(prepay_id);
    if (order == prepay_orders_.end() || orders_.at(order->second).pub.kind != "h5") {
      return HtmlResponse(404, "<!doctype html><meta charset=\"utf-8\"><p>订单不存在</p>");
    }
    notice = PayLocked(order->second);
  }
  if (!notice) {
    return HtmlResponse(400, "<!doctype html><meta charset=\"utf-8\"><p>订单已支付、已关闭或已过期</p>");
  }
  Dispatch(std::move(*notice), false);
  return back("支付成功");
}

// ---- Refunds ----------------------------------------------------------------------------------

json::object WechatPayDouble::Impl::RefundJson(const RefundState& refund) const {
  json::object o;
  o["refund_id"] = refund.pub.refund_id;
  o["out_refund_no"] = refund.pub.out_refund_no;
  o["transaction_id"] = refund.transaction_id;
  o["out_trade_no"] = refund.pub.out_trade_no;
  o["channel"] = "ORIGINAL";
  o["user_received_account"] = "支付用户零钱";
  if (refund.pub.status == "SUCCESS") {
    o["success_time"] = refund.success_time;
  }
  o["create_time"] = refund.create_time;
  o["status"] = refund.pub.status;
  o["funds_account"] = "AVAILABLE";
  o["amount"] = json::object{{"total", refund.total},
                             {"refund", refund.pub.amount},
                             {"from", json::array{}},
                             {"payer_total", refund.total},
                             {"payer_refund", refund.pub.amount},
                             {"settlement_refund", refund.pub.amount},
                             {"settlement_total", refund.total},
                             {"discount_refund", 0},
                             {"currency", "CNY"}};
  o["promotion_detail"] = json::array{};
  return o;
}

WechatPayDouble::Impl::Answer WechatPayDouble::Impl::CreateRefundLocked(const Request& req) {
  std::optional<json::object> body = ParseObject(req.body);
  if (!body) {
    return {ParamError("", "", "请求体不是合法的JSON对象")};
  }
  const json::object& o = *body;
  StringField out_trade_no = ReadString(o, "out_trade_no", "/out_trade_no", false);
  StringField transaction_id = ReadString(o, "transaction_id", "/transaction_id", false);
  if (out_trade_no.error || transaction_id.error) {
    return {out_trade_no.error ? *out_trade_no.error : *transaction_id.error};
  }
  if (!out_trade_no.value && !transaction_id.value) {
    return {ParamError("/out_trade_no", "", "transaction_id和out_trade_no必须二选一")};
  }
  StringField out_refund_no = ReadString(o, "out_refund_no", "/out_refund_no", true);
  if (out_refund_no.error) {
    return {*out_refund_no.error};
  }
  if (!ValidOutRefundNo(*out_refund_no.value)) {
    return {ParamError("/out_refund_no", *out_refund_no.value, "商户退款单号应为1到64个数字、大小写字母或_-|*@")};
  }
  StringField reason = ReadString(o, "reason", "/reason", false);
  if (reason.error) {
    return {*reason.error};
  }
  if (reason.value && reason.value->size() > kReasonMaxBytes) {
    return {ParamError("/reason", *reason.value, "退款原因长度不能超过80字节")};
  }
  StringField notify_url = ReadString(o, "notify_url", "/notify_url", false);
  if (notify_url.error) {
    return {*notify_url.error};
  }
  if (notify_url.value && !ValidNotifyUrl(*notify_url.value)) {
    return {ParamError("/notify_url", *notify_url.value, "通知地址应为https地址且不能携带参数")};
  }
  const json::value* amount_value = Field(o, "amount");
  if (amount_value == nullptr || !amount_value->is_object()) {
    return {ParamError("/amount", ValueText(amount_value), "缺少必填参数amount")};
  }
  const json::object& amount = amount_value->get_object();
  std::optional<int64_t> refund_amount = PositiveInteger(Field(amount, "refund"));
  if (!refund_amount) {
    return {ParamError("/amount/refund", ValueText(Field(amount, "refund")), "退款金额应为大于0的整数（分）")};
  }
  std::optional<int64_t> total = PositiveInteger(Field(amount, "total"));
  if (!total) {
    return {ParamError("/amount/total", ValueText(Field(amount, "total")), "原订单金额应为大于0的整数（分）")};
  }
  StringField currency = ReadString(amount, "currency", "/amount/currency", true);
  if (currency.error) {
    return {*currency.error};
  }
  if (*currency.value != "CNY") {
    return {ParamError("/amount/currency", *currency.value, "境内商户号仅支持人民币CNY")};
  }

  OrderState* order = nullptr;
  for (auto& [no, state] : orders_) {
    if ((out_trade_no.value && no == *out_trade_no.value) ||
        (!out_trade_no.value && !state.pub.transaction_id.empty() &&
         state.pub.transaction_id == *transaction_id.value)) {
      order = &state;
      break;
    }
  }

  // The same out_refund_no again refunds once ("同一退款单号多次请求只退一笔", W9).
  auto existing = refunds_.find(*out_refund_no.value);
  if (existing != refunds_.end()) {
    RefundState& refund = existing->second;
    if (order == nullptr || refund.pub.out_trade_no != order->pub.out_trade_no || refund.pub.amount != *refund_amount ||
        refund.total != *total) {
      return {WxError(400, "INVALID_REQUEST", "同一商户退款单号的订单金额或退款金额与之前请求不一致")};
    }
    ++refund.pub.times_requested;
    return {JsonResponse(200, RefundJson(refund))};
  }

  // WeChat has no refundable transaction for an unpaid order (v2 said so: ORDERNOTEXIST).
  if (order == nullptr || (order->pub.trade_state != "SUCCESS" && order->pub.trade_state != "REFUND")) {
    return {WxError(404, "RESOURCE_NOT_EXISTS", "订单不存在")};
  }
  if (*total != order->pub.total) {
    return {WxError(400, "INVALID_REQUEST", "订单金额与原订单金额不一致")};
  }
  if (*refund_amount > order->pub.total - order->pub.refunded) {
    return {WxError(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")};
  }
  if (order->refund_count >= kMaxRefundsPerOrder) {
    return {WxError(400, "INVALID_REQUEST", "订单部分退款次数不能超过50次")};
  }
  const int64_t now = now_ms();
  if (order->refund_count > 0 && now - order->last_refund_ms < kRefundSpacingMs) {
    return {WxError(429, "FREQUENCY_LIMITED", "同一订单的部分退款间隔需大于1分钟")};
  }

  RefundState refund;
  refund.pub.out_refund_no = *out_refund_no.value;
  refund.pub.out_trade_no = order->pub.out_trade_no;
  refund.pub.refund_id = "50" + RandomDigits(kWho, 27);
  refund.pub.amount = *refund_amount;
  refund.pub.times_requested = 1;
  refund.transaction_id = order->pub.transaction_id;
  refund.notify_url = notify_url.value.value_or("");
  refund.create_time = BeijingTime(now);
  refund.total = order->pub.total;
  auto outcome = refund_outcomes_.find(refund.pub.out_refund_no);
  if (outcome != refund_outcomes_.end()) {
    refund.outcome = outcome->second;
    refund.pub.status = "PROCESSING";
    refund_outcomes_.erase(outcome);
  } else {
    refund.pub.status = "SUCCESS";
    refund.success_time = refund.create_time;
  }
  order->pub.refunded += refund.pub.amount;
  order->pub.trade_state = "REFUND";
  ++order->refund_count;
  order->last_refund_ms = now;
  ++refunds_executed_[order->pub.out_trade_no];

  Answer answer{JsonResponse(200, RefundJson(refund))};
  if (refund.pub.status == "SUCCESS" && !refund.notify_url.empty()) {
    json::object notice{{"mchid", options_.mchid},
                        {"transaction_id", refund.transaction_id},
                        {"out_trade_no", refund.pub.out_trade_no},
                        {"refund_id", refund.pub.refund_id},
                        {"out_refund_no", refund.pub.out_refund_no},
                        {"refund_status", refund.pub.status},
                        {"success_time", refund.success_time},
                        {"user_received_account", "支付用户零钱"},
                        {"amount", json::object{{"total", refund.total},
                                                {"refund", refund.pub.amount},
                                                {"payer_total", refund.total},
                                                {"payer_refund", refund.pub.amount}}}};
    answer.notices.push_back(BuildNotificationLocked(refund.pub.out_trade_no, refund.notify_url, "REFUND.SUCCESS",
                                                     "退款状态改变", "refund", notice));
  }
  refunds_.emplace(refund.pub.out_refund_no, std::move(refund));
  return answer;
}

WechatPayDouble::Impl::Answer WechatPayDouble::Impl::QueryRefundLocked(const std::string& out_refund_no) {
  auto it = refunds_.find(out_refund_no);
  if (it == refunds_.end()) {
    return {WxError(404, "RESOURCE_NOT_EXISTS", "退款单不存在")};
  }
  RefundState& refund = it->second;
  Answer answer;
  if (refund.outcome) {
    if (refund.outcome->processing_queries > 0) {
      --refund.outcome->processing_queries;
    } else {
      refund.pub.status = refund.outcome->final_status;
      refund.outcome.reset();
      if (refund.pub.status == "SUCCESS") {
        refund.success_time = BeijingTime(now_ms());
      }
      if (refund.pub.status == "CLOSED") {
        orders_.at(refund.pub.out_trade_no).pub.refunded -= refund.pub.amount;  // the money stays with the merchant
      }
      if (!refund.notify_url.empty()) {
        json::object notice{{"mchid", options_.mchid},
                            {"transaction_id", refund.transaction_id},
                            {"out_trade_no", refund.pub.out_trade_no},
                            {"refund_id", refund.pub.refund_id},
                            {"out_refund_no", refund.pub.out_refund_no},
                            {"refund_status", refund.pub.status}};
        if (refund.pub.status == "SUCCESS") {
          notice["success_time"] = refund.success_time;
        }
        notice["user_received_account"] = "支付用户零钱";
        notice["amount"] = json::object{{"total", refund.total},
                                        {"refund", refund.pub.amount},
                                        {"payer_total", refund.total},
                                        {"payer_refund", refund.pub.amount}};
        answer.notices.push_back(BuildNotificationLocked(refund.pub.out_trade_no, refund.notify_url,
                                                         "REFUND." + refund.pub.status, "退款状态改变", "refund",
                                                         notice));
      }
    }
  }
  answer.res = JsonResponse(200, RefundJson(refund));
  return answer;
}

void WechatPayDouble::Impl::SetRefundOutcome(const std::string& out_refund_no, int processing_queries,
                                             std::string final_status) {
  if (!IsFinalRefundStatus(final_status) || processing_queries < 0) {
    throw std::invalid_argument("SetRefundOutcome: final_status must be SUCCESS, CLOSED or ABNORMAL");
  }
  std::lock_guard lock(mu_);
  RefundOutcome outcome{processing_queries, std::move(final_status)};
  auto it = refunds_.find(out_refund_no);
  if (it != refunds_.end()) {
    if (it->second.pub.status == "PROCESSING") {
      it->second.outcome = std::move(outcome);
    }
    return;
  }
  refund_outcomes_[out_refund_no] = std::move(outcome);
}

// ---- Notifications ----------------------------------------------------------------------------

std::vector<std::pair<std::string, std::string>> WechatPayDouble::Impl::NotificationHeaders(const std::string& body,
                                                                                            const Signer& signer,
                                                                                            int64_t timestamp_s) const {
  const std::string ts = std::to_string(timestamp_s);
  const std::string nonce = RandomAlnum(kAnswerNonceChars);
  return {{"Content-Type", "application/json"},
          {"Wechatpay-Timestamp", ts},
          {"Wechatpay-Nonce", nonce},
          {"Wechatpay-Signature", RsaSign(kWho, signer.key, ts + "\n" + nonce + "\n" + body + "\n")},
          {"Wechatpay-Serial", signer.serial},
          {"Wechatpay-Signature-Type", std::string(kAuthScheme)}};
}

// {"id","create_time","event_type","resource_type","summary","resource":{...}} with the resource
// sealed under the APIv3 key (W5, W10). Takes (and resets) the armed faults.
WechatPayDouble::Impl::Outgoing WechatPayDouble::Impl::BuildNotificationLocked(
    const std::string& out_trade_no, const std::string& url, const std::string& event_type, const std::string& summary,
    const std::string& original_type, const json::object& plaintext) {
  NotifyFaults faults = std::exchange(faults_, NotifyFaults{});
  const int64_t now = now_ms();
  const std::string nonce = RandomAlnum(kGcmNonceChars);
  const std::string resource_text = json::serialize(plaintext);
  auto envelope = [&](const std::string& key) {
    json::object resource{{"original_type", original_type},
                          {"algorithm", "AEAD_AES_256_GCM"},
                          {"ciphertext", AesGcmSeal(key, nonce, original_type, resource_text)},
                          {"associated_data", original_type},
                          {"nonce", nonce}};
    return json::serialize(json::object{{"id", "EV-" + RandomDigits(kWho, 19)},
                                        {"create_time", BeijingTime(now)},
                                        {"resource_type", "encrypt-resource"},
                                        {"event_type", event_type},
                                        {"summary", summary},
                                        {"resource", std::move(resource)}});
  };
  Outgoing out;
  out.url = url;
  out.body = envelope(options_.apiv3_key);
  last_notification_[out_trade_no] = {url, out.body};
  if (faults.undecryptable) {
    out.body = envelope(RandomAlnum(kApiV3KeyBytes));
  }
  Signer signer = NotifySignerLocked();
  if (faults.wrong_serial) {
    signer.serial = signer.serial == platform_key_id_ ? "PUB_KEY_ID_01" + RandomDigits(kWho, 30) : RandomHexUpper(40);
  }
  int64_t ts = FloorDiv(now, kMsPerS) - (faults.stale_timestamp ? kStaleNotificationS : 0);
  out.headers = NotificationHeaders(out.body, signer, ts);
  if (faults.tamper_signature) {
    for (auto& [name, value] : out.headers) {
      if (name == "Wechatpay-Signature") {
        value = BreakSignature(value);
      }
    }
  }
  out.copies = 1 + std::max(0, faults.duplicates);
  out.lose = faults.lose;
  return out;
}

WechatPayDouble::Delivery WechatPayDouble::Impl::Deliver(
    const std::string& url, const std::string& body, const std::vector<std::pair<std::string, std::string>>& headers) {
  ClientResult result = Send("POST", url, body, headers);
  Delivery delivery{url, body, headers, result.status, result.body, result.error};
  std::lock_guard lock(mu_);
  deliveries_.push_back(delivery);
  return delivery;
}

void WechatPayDouble::Impl::Dispatch(Outgoing outgoing, bool wait) {
  if (outgoing.lose) {
    return;
  }
  auto shared = std::make_shared<const Outgoing>(std::move(outgoing));
  std::vector<std::thread> started;
  for (int i = 0; i < shared->copies; ++i) {
    started.emplace_back([this, shared] { Deliver(shared->url, shared->body, shared->headers); });
  }
  if (wait) {
    for (std::thread& t : started) {
      t.join();
    }
    return;
  }
  std::lock_guard lock(threads_mu_);
  for (std::thread& t : started) {
    threads_.push_back(std::move(t));
  }
}

WechatPayDouble::Delivery WechatPayDouble::Impl::Redeliver(const std::string& out_trade_no) {
  LastNotification last;
  std::vector<std::pair<std::string, std::string>> headers;
  {
    std::lock_guard lock(mu_);
    auto it = last_notification_.find(out_trade_no);
    if (it == last_notification_.end()) {
      Delivery none;
      none.error = "no notification was made for order " + out_trade_no;
      return none;
    }
    last = it->second;
    headers = NotificationHeaders(last.body, NotifySignerLocked(), FloorDiv(now_ms(), kMsPerS));
  }
  return Deliver(last.url, last.body, headers);
}

void WechatPayDouble::Impl::WaitForDeliveries() {
  for (;;) {
    std::vector<std::thread> running;
    {
      std::lock_guard lock(threads_mu_);
      running.swap(threads_);
    }
    if (running.empty()) {
      return;
    }
    for (std::thread& t : running) {
      t.join();
    }
  }
}

// ---- State ------------------------------------------------------------------------------------

std::optional<WechatPayDouble::Order> WechatPayDouble::Impl::order(const std::string& out_trade_no) const {
  std::lock_guard lock(mu_);
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end()) {
    return std::nullopt;
  }
  return it->second.pub;
}

std::optional<WechatPayDouble::Refund> WechatPayDouble::Impl::refund(const std::string& out_refund_no) const {
  std::lock_guard lock(mu_);
  auto it = refunds_.find(out_refund_no);
  if (it == refunds_.end()) {
    return std::nullopt;
  }
  return it->second.pub;
}

int WechatPayDouble::Impl::refunds_executed(const std::string& out_trade_no) const {
  std::lock_guard lock(mu_);
  auto it = refunds_executed_.find(out_trade_no);
  return it == refunds_executed_.end() ? 0 : it->second;
}

// ---- The public class forwards ----------------------------------------------------------------

WechatPayDouble::WechatPayDouble(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
WechatPayDouble::~WechatPayDouble() = default;
std::string WechatPayDouble::base_url() const { return impl_->base_url(); }
DoubleServer& WechatPayDouble::server() { return impl_->server(); }
const std::string& WechatPayDouble::platform_public_key_pem() const { return impl_->platform_public_key_pem(); }
const std::string& WechatPayDouble::platform_public_key_id() const { return impl_->platform_public_key_id(); }
const std::string& WechatPayDouble::platform_certificate_pem() const { return impl_->platform_certificate_pem(); }
const std::string& WechatPayDouble::platform_certificate_serial() const { return impl_->platform_certificate_serial(); }
void WechatPayDouble::set_mode(Options::Mode mode) { impl_->set_mode(mode); }
void WechatPayDouble::AddOpenid(const std::string& openid) { impl_->AddOpenid(openid); }
bool WechatPayDouble::Pay(const std::string& out_trade_no) { return impl_->Pay(out_trade_no); }
void WechatPayDouble::SetNotifyFaults(NotifyFaults faults) { impl_->SetNotifyFaults(faults); }
std::vector<WechatPayDouble::Delivery> WechatPayDouble::deliveries() const { return impl_->deliveries(); }
WechatPayDouble::Delivery WechatPayDouble::Redeliver(const std::string& out_trade_no) {
  return impl_->Redeliver(out_trade_no);
}
void WechatPayDouble::WaitForDeliveries() { impl_->WaitForDeliveries(); }
void WechatPayDouble::SetRefundOutcome(const std::string& out_refund_no, int processing_queries,
                                       std::string final_status) {
  impl_->SetRefundOutcome(out_refund_no, processing_queries, std::move(final_status));
}
std::optional<WechatPayDouble::Order> WechatPayDouble::order(const std::string& out_trade_no) const {
  return impl_->order(out_trade_no);
}
std::optional<WechatPayDouble::Refund> WechatPayDouble::refund(const std::string& out_refund_no) const {
  return impl_->refund(out_refund_no);
}
int WechatPayDouble::refunds_executed(const std::string& out_trade_no) const {
  return impl_->refunds_executed(out_trade_no);
}
void WechatPayDouble::TamperNextAnswers(int n) { impl_->TamperNextAnswers(n); }

}  // namespace doubles
