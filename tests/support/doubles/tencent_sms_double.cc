#include "doubles/tencent_sms_double.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "doubles/common.h"

namespace doubles {
namespace {

namespace json = boost::json;

constexpr std::string_view kAlgorithm = "TC3-HMAC-SHA256";
constexpr std::string_view kService = "sms";
constexpr std::string_view kTerminator = "tc3_request";
constexpr std::string_view kAction = "SendSms";
constexpr std::string_view kVersion = "2021-01-11";
// "Timestamp 和服务器时间相差不得超过五分钟" (common error codes, AuthFailure.SignatureExpire).
constexpr int64_t kTimestampWindowS = 300;
constexpr int64_t kMsPerS = 1000;
// SendSms: "单次请求最多支持200个手机号"; SessionContext "长度需小于512字节".
constexpr size_t kMaxNumbers = 200;
constexpr size_t kSessionContextLimit = 512;
constexpr size_t kSha256HexSize = 64;
constexpr size_t kMainlandDigits = 11;

// ---------------------------------------------------------------------------------------------
// OpenSSL, on its own: the doubles share no crypto with the product (design 7.2).

std::string Hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xF]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), md, &n, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("tencent_sms_double: EVP_Digest failed");
  }
  return Hex(md, n);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), md, &n) == nullptr) {
    throw std::runtime_error("tencent_sms_double: HMAC failed");
  }
  return std::string(reinterpret_cast<const char*>(md), n);
}

using common::ToLower;
using common::Trim;

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsLowerHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) {
      return out;
    }
    start = at + 1;
  }
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("tencent_sms_double: RAND_bytes failed");
  }
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

// Tencent's RequestIds look like UUIDs ("ed93f3cb-f35e-473f-b9f3-0d451b8b79c6").
std::string NewRequestId() {
  std::string h = RandomHex(16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

// Stock messages for the codes this double answers (from the error code pages; informative only).
std::string StockMessage(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> kMessages = {
      {"MissingParameter", "The parameter is missing."},
      {"InvalidAction", "The API does not exist."},
      {"NoSuchVersion", "The API version does not exist."},
      {"UnsupportedRegion", "API does not support the requested region."},
      {"InvalidParameter", "Incorrect parameter."},
      {"InvalidParameterValue", "Invalid parameter value."},
      {"UnknownParameter", "Unknown parameter."},
      {"AuthFailure.InvalidAuthorization", "Authorization in the request header is invalid."},
      {"AuthFailure.SignatureExpire",
       "Signature expired. Timestamp and server time cannot differ by more than five minutes."},
      {"AuthFailure.SecretIdNotFound", "Key does not exist."},
      {"AuthFailure.SignatureFailure",
       "The provided credentials could not be validated. Please check your signature is correct."},
      {"InvalidParameterValue.SdkAppIdNotExist", "The SdkAppId does not exist."},
      {"LimitExceeded.PhoneNumberCountLimit", "The number of phone numbers in one request exceeds 200."},
      {"InvalidParameterValue.IncorrectPhoneNumber", "Incorrect phone number format."},
      {"FailedOperation.SignatureIncorrectOrUnapproved", "The signature is unapproved or incorrect."},
      {"FailedOperation.TemplateIncorrectOrUnapproved", "The template is unapproved or does not match."},
      {"FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
       "The template parameters do not match the approved template."},
      {"LimitExceeded.PhoneNumberDailyLimit", "The number of messages to this number today exceeds the limit."},
      {"LimitExceeded.PhoneNumberThirtySecondLimit", "Messages to this number within 30 seconds exceed the limit."},
      {"LimitExceeded.PhoneNumberOneHourLimit", "Messages to this number within one hour exceed the limit."},
      {"FailedOperation.PhoneNumberInBlacklist", "The phone number is in the blocklist."},
      {"FailedOperation.InsufficientBalanceInSmsPackage", "The SMS package balance is insufficient."},
      {"InternalError.Timeout", "The request to send the SMS timed out."},
      {"InternalError.OtherError", "Other error."},
      {"RequestLimitExceeded", "The number of requests exceeds the frequency limit."},
  };
  auto it = kMessages.find(code);
  return it == kMessages.end() ? std::string(code) : it->second;
}

struct Refusal {
  std::string code, message;
};

Refusal Refuse(std::string code, std::string detail = {}) {
  std::string message = StockMessage(code);
  if (!detail.empty()) {
    message += " (" + detail + ")";
  }
  return Refusal{std::move(code), std::move(message)};
}

// A mainland mobile in one of the forms SendSms accepts ("+86…"; and, per the page, "0086", "86"
// or no prefix before the 11 digits) → "+86" + 11 digits; nullopt for anything else.
std::optional<std::string> MainlandE164(std::string_view n) {
  for (std::string_view prefix : {"+86", "0086", "86"}) {
    if (n.size() == prefix.size() + kMainlandDigits && n.substr(0, prefix.size()) == prefix) {
      n.remove_prefix(prefix.size());
      break;
    }
  }
  if (n.size() != kMainlandDigits || !AllDigits(n) || n[0] != '1' || n[1] < '3' || n[1] > '9') {
    return std::nullopt;
  }
  return "+86" + std::string(n);
}

// Authorization: TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
//                SignedHeaders=<a;b>, Signature=<hex>
struct Authorization {
  std::string secret_id, date, service;
  std::vector<std::string> signed_headers;
  std::string signature;
};

std::optional<Authorization> ParseAuthorization(std::string_view value) {
  value = Trim(value);
  if (value.size() <= kAlgorithm.size() || value.substr(0, kAlgorithm.size()) != kAlgorithm ||
      value[kAlgorithm.size()] != ' ') {
    return std::nullopt;
  }
  std::map<std::string, std::string> parts;
  for (const std::string& item : Split(value.substr(kAlgorithm.size() + 1), ',')) {
    std::string_view kv = Trim(item);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || !parts.emplace(std::string(kv.substr(0, eq)), kv.substr(eq + 1)).second) {
      return std::nullopt;
    }
  }
  if (parts.size() != 3 || parts.count("Credential") == 0 || parts.count("SignedHeaders") == 0 ||
      parts.count("Signature") == 0) {
    return std::nullopt;
  }
  Authorization a;
  std::vector<std::string> credential = Split(parts["Credential"], '/');
  if (credential.size() != 4 || credential[0].empty() || credential[3] != kTerminator) {
    return std::nullopt;
  }
  a.secret_id = credential[0];
  a.date = credential[1];
  a.service = credential[2];
  a.signed_headers = Split(parts["SignedHeaders"], ';');
  a.signature = parts["Signature"];
  if (a.signature.size() != kSha256HexSize || !IsLowerHex(a.signature)) {
    return std::nullopt;
  }
  return a;
}

}  // namespace

// ---- TC3-HMAC-SHA256 ---------------------------------------------------------------------------

std::string Tc3CanonicalRequest(std::vector<std::pair<std::string, std::string>> headers, std::string_view body) {
  for (auto& [name, value] : headers) {
    name = ToLower(Trim(name));
    value = ToLower(Trim(value));
  }
  std::sort(headers.begin(), headers.end());
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : headers) {
    canonical_headers += name + ":" + value + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + name;
  }
  // For POST the canonical URI is always "/" and the canonical query string always empty.
  return "POST\n/\n\n" + canonical_headers + "\n" + signed_headers + "\n" + Sha256Hex(body);
}

std::string Tc3UtcDate(int64_t timestamp_s) {
  std::time_t t = static_cast<std::time_t>(timestamp_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string Tc3StringToSign(std::string_view canonical_request, int64_t timestamp_s, std::string_view service) {
  return std::string(kAlgorithm) + "\n" + std::to_string(timestamp_s) + "\n" + Tc3UtcDate(timestamp_s) + "/" +
         std::string(service) + "/" + std::string(kTerminator) + "\n" + Sha256Hex(canonical_request);
}

std::string Tc3Signature(std::string_view secret_key, std::string_view date, std::string_view service,
                         std::string_view string_to_sign) {
  std::string secret_date = HmacSha256("TC3" + std::string(secret_key), date);
  std::string secret_service = HmacSha256(secret_date, service);
  std::string secret_signing = HmacSha256(secret_service, kTerminator);
  std::string signature = HmacSha256(secret_signing, string_to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
}

// ---------------------------------------------------------------------------------------------

class TencentSmsDouble::Impl {
 public:
  explicit Impl(Options options) : options_(std::move(options)) {
    server_ = std::make_unique<DoubleServer>();
    server_->Route("POST", "/", [this](const Request& r) { return Handle(r); });
  }
  ~Impl() { server_.reset(); }  // no handler runs after this

  std::string base_url() const { return server_->base_url(); }
  DoubleServer& server() { return *server_; }
  const Options& options() const { return options_; }

  void FailNext(int n, std::string code, std::string message) {
    std::lock_guard lock(mu_);
    fail_next_ = std::max(0, n);
    fail_code_ = std::move(code);
    fail_message_ = message.empty() ? StockMessage(fail_code_) : std::move(message);
  }
  void SetPhoneResult(const std::string& phone, std::string code, int times) {
    std::lock_guard lock(mu_);
    phone_results_[phone] = PhoneResult{std::move(code), times};
  }
  void ClearPhoneResults() {
    std::lock_guard lock(mu_);
    phone_results_.clear();
  }
  std::vector<Message> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  std::optional<Message> LastMessageTo(const std::string& phone) const {
    std::lock_guard lock(mu_);
    for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
      if (it->phone == phone) {
        return *it;
      }
    }
    return std::nullopt;
  }
  void clear_messages() {
    std::lock_guard lock(mu_);
    messages_.clear();
  }
  Counters counters() const {
    std::lock_guard lock(mu_);
    return counters_;
  }
  std::vector<std::string> error_codes() const {
    std::lock_guard lock(mu_);
    return error_codes_;
  }

 private:
  struct PhoneResult {
    std::string code;
    int times = -1;  // < 0: for ever
  };
  struct Call {
    std::vector<std::pair<std::string, std::string>> numbers;  // (as sent, E.164)
    std::string app_id, template_id, sign_name, session_context;
    std::vector<std::string> params;
  };

  Response Handle(const Request& req);
  std::optional<Refusal> CheckHeadersAndSignature(const Request& req) const;
  // Parses and checks the body into `call`; the first refusal, or nullopt when it may be sent.
  std::optional<Refusal> CheckBody(const std::string& body, Call& call) const;
  Response Answer(json::object response);
  Response ErrorAnswer(const Refusal& r, bool by_knob);
  std::string NextSerialNo();

  const Options options_;
  std::unique_ptr<DoubleServer> server_;

  mutable std::mutex mu_;
  int fail_next_ = 0;                                 // GUARDED_BY(mu_)
  std::string fail_code_, fail_message_;              // GUARDED_BY(mu_)
  std::map<std::string, PhoneResult> phone_results_;  // GUARDED_BY(mu_), by E.164 number
  std::vector<Message> messages_;                     // GUARDED_BY(mu_)
  std::vector<std::string> error_codes_;              // GUARDED_BY(mu_)
  Counters counters_;                                 // GUARDED_BY(mu_)
  uint64_t serial_ = 0;                               // GUARDED_BY(mu_)
};

Response TencentSmsDouble::Impl::Answer(json::object response) {
  response["RequestId"] = NewRequestId();
  Response res;
  res.body = json::serialize(json::object{{"Response", std::move(response)}});
  res.content_type = "application/json";
  return res;
}

Response TencentSmsDouble::Impl::ErrorAnswer(const Refusal& r, bool by_knob) {
  {
    std::lock_guard lock(mu_);
    ++(by_knob ? counters_.failed_by_knob : counters_.refused);
    error_codes_.push_back(r.code);
  }
  return Answer(json::object{{"Error", json::object{{"Code", r.code}, {"Message", r.message}}}});
}

std::string TencentSmsDouble::Impl::NextSerialNo() {
  // Shaped like the documentation's example ("5000:1045710669157053657849499619").
  std::string digits = std::to_string(++serial_);
  return "5000:" + std::string(28 - std::min<size_t>(digits.size(), 28), '0') + digits;
}

std::optional<Refusal> TencentSmsDouble::Impl::CheckHeadersAndSignature(const Request& req) const {
  auto header = [&](const std::string& name) -> std::optional<std::string> {
    auto it = req.headers.find(name);
    if (it == req.headers.end()) {
      return std::nullopt;
    }
    return it->second;
  };
  std::optional<std::string> action = header("x-tc-action");
  std::optional<std::string> version = header("x-tc-version");
  std::optional<std::string> region = header("x-tc-region");
  std::optional<std::string> timestamp = header("x-tc-timestamp");
  if (!action) {
    return Refuse("MissingParameter", "X-TC-Action");
  }
  if (Trim(*action) != kAction) {
    return Refuse("InvalidAction", std::string(Trim(*action)));
  }
  if (!version) {
    return Refuse("MissingParameter", "X-TC-Version");
  }
  if (Trim(*version) != kVersion) {
    return Refuse("NoSuchVersion", std::string(Trim(*version)));
  }
  if (!region || Trim(*region).empty()) {
    return Refuse("MissingParameter", "X-TC-Region");
  }
  if (std::find(options_.regions.begin(), options_.regions.end(), std::string(Trim(*region))) ==
      options_.regions.end()) {
    return Refuse("UnsupportedRegion", std::string(Trim(*region)));
  }
  std::optional<std::string> content_type = header("content-type");
  // "For the POST method, Content-Type: application/json and multipart/form-data are supported";
  // SendSms is called with JSON. Parameters (charset) are allowed, and signed as sent.
  if (!content_type || ToLower(Trim(Split(*content_type, ';')[0])) != "application/json") {
    return Refuse("InvalidParameter", "Content-Type must be application/json");
  }
  if (!timestamp) {
    return Refuse("MissingParameter", "X-TC-Timestamp");
  }
  std::string_view ts_text = Trim(*timestamp);
  if (!AllDigits(ts_text) || ts_text.size() > 12) {
    return Refuse("InvalidParameter", "X-TC-Timestamp");
  }
  int64_t ts = std::stoll(std::string(ts_text));

  std::optional<std::string> authorization = header("authorization");
  std::optional<Authorization> auth = authorization ? ParseAuthorization(*authorization) : std::nullopt;
  if (!auth) {
    return Refuse("AuthFailure.InvalidAuthorization");
  }
  // SignedHeaders must name content-type and host, and every named header must be present.
  std::set<std::string> named(auth->signed_headers.begin(), auth->signed_headers.end());
  if (named.count("content-type") == 0 || named.count("host") == 0 || named.size() != auth->signed_headers.size()) {
    return Refuse("AuthFailure.InvalidAuthorization", "SignedHeaders must include content-type and host");
  }
  std::vector<std::pair<std::string, std::string>> signed_values;
  for (const std::string& name : auth->signed_headers) {
    std::optional<std::string> v = header(ToLower(name));
    if (!v) {
      return Refuse("AuthFailure.InvalidAuthorization", "signed header " + name + " not sent");
    }
    signed_values.emplace_back(name, *v);
  }
  int64_t now_s = server_->now_ms() / kMsPerS;
  if (ts > now_s + kTimestampWindowS || ts < now_s - kTimestampWindowS) {
    return Refuse("AuthFailure.SignatureExpire");
  }
  if (auth->secret_id != options_.secret_id) {
    return Refuse("AuthFailure.SecretIdNotFound");
  }
  // The server signs with its own scope: the UTC date of X-TC-Timestamp and service "sms". A
  // Credential naming another date or service cannot match, and the SignedHeaders list is taken as
  // the server would build it (sorted), so a list in another order does not match either.
  std::string expected_list;
  {
    std::vector<std::string> sorted = auth->signed_headers;
    std::sort(sorted.begin(), sorted.end());
    for (const std::string& n : sorted) {
      expected_list += (expected_list.empty() ? "" : ";") + n;
    }
  }
  std::string sent_list;
  for (const std::string& n : auth->signed_headers) {
    sent_list += (sent_list.empty() ? "" : ";") + n;
  }
  std::string date = Tc3UtcDate(ts);
  std::string string_to_sign = Tc3StringToSign(Tc3CanonicalRequest(signed_values, req.body), ts, kService);
  std::string expected = Tc3Signature(options_.secret_key, date, kService, string_to_sign);
  bool ok = auth->date == date && auth->service == kService && sent_list == expected_list &&
            CRYPTO_memcmp(expected.data(), auth->signature.data(), kSha256HexSize) == 0;
  if (!ok) {
    return Refuse("AuthFailure.SignatureFailure");
  }
  return std::nullopt;
}

std::optional<Refusal> TencentSmsDouble::Impl::CheckBody(const std::string& body, Call& call) const {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return Refuse("InvalidParameter", "the body is not a JSON object");
  }
  const json::object& o = v.get_object();
  // SendSms 2021-01-11's request fields (the common parameters travel as X-TC-* headers).
  static const std::set<std::string, std::less<>> kFields = {
      "PhoneNumberSet",   "SmsSdkAppId", "TemplateId",     "SignName",
      "TemplateParamSet", "ExtendCode",  "SessionContext", "SenderId",
  };
  for (const auto& kv : o) {
    if (kFields.count(kv.key()) == 0) {
      return Refuse("UnknownParameter", std::string(kv.key()));
    }
  }
  auto string_field = [&](std::string_view key, std::string& out) -> std::optional<Refusal> {
    auto it = o.find(key);
    if (it == o.end()) {
      return std::nullopt;
    }
    if (!it->value().is_string()) {
      return Refuse("InvalidParameter", std::string(key) + " must be a string");
    }
    out = std::string(it->value().get_string());
    return std::nullopt;
  };
  auto string_array = [&](std::string_view key, std::vector<std::string>& out) -> std::optional<Refusal> {
    auto it = o.find(key);
    if (it == o.end()) {
      return std::nullopt;
    }
    if (!it->value().is_array()) {
      return Refuse("InvalidParameter", std::string(key) + " must be an array of strings");
    }
    for (const json::value& e : it->value().get_array()) {
      if (!e.is_string()) {
        return Refuse("InvalidParameter", std::string(key) + " must be an array of strings");
      }
      out.emplace_back(e.get_string());
    }
    return std::nullopt;
  };
  std::vector<std::string> numbers;
  std::string extend_code, sender_id;
  for (auto r : {string_array("PhoneNumberSet", numbers), string_field("SmsSdkAppId", call.app_id),
                 string_field("TemplateId", call.template_id), string_field("SignName", call.sign_name),
                 string_array("TemplateParamSet", call.params), string_field("ExtendCode", extend_code),
                 string_field("SessionContext", call.session_context), string_field("SenderId", sender_id)}) {
    if (r) {
      return r;
    }
  }
  for (const char* required : {"PhoneNumberSet", "SmsSdkAppId", "TemplateId"}) {
    if (!o.contains(required)) {
      return Refuse("MissingParameter", required);
    }
  }
  if (call.app_id != options_.sdk_app_id) {
    return Refuse("InvalidParameterValue.SdkAppIdNotExist");
  }
  if (numbers.empty()) {
    return Refuse("MissingParameter", "PhoneNumberSet is empty");
  }
  if (numbers.size() > kMaxNumbers) {
    return Refuse("LimitExceeded.PhoneNumberCountLimit");
  }
  for (const std::string& n : numbers) {
    std::optional<std::string> e164 = MainlandE164(n);
    if (!e164) {
      return Refuse("InvalidParameterValue.IncorrectPhoneNumber", n);
    }
    call.numbers.emplace_back(n, *e164);
  }
  // SignName is optional in the schema but required for mainland numbers (the only ones here).
  if (std::find(options_.sign_names.begin(), options_.sign_names.end(), call.sign_name) == options_.sign_names.end()) {
    return Refuse("FailedOperation.SignatureIncorrectOrUnapproved");
  }
  auto tpl = options_.templates.find(call.template_id);
  if (tpl == options_.templates.end()) {
    return Refuse("FailedOperation.TemplateIncorrectOrUnapproved");
  }
  if (call.params.size() != static_cast<size_t>(tpl->second)) {
    return Refuse("FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
                  "expected " + std::to_string(tpl->second) + ", got " + std::to_string(call.params.size()));
  }
  if (call.session_context.size() >= kSessionContextLimit) {
    return Refuse("InvalidParameterValue", "SessionContext must be shorter than 512 bytes");
  }
  return std::nullopt;
}

Response TencentSmsDouble::Impl::Handle(const Request& req) {
  {
    std::lock_guard lock(mu_);
    ++counters_.calls;
  }
  if (std::optional<Refusal> r = CheckHeadersAndSignature(req)) {
    return ErrorAnswer(*r, false);
  }
  std::optional<Refusal> knob;
  {
    std::lock_guard lock(mu_);
    if (fail_next_ > 0) {
      --fail_next_;
      knob = Refusal{fail_code_, fail_message_};
    }
  }
  if (knob) {
    return ErrorAnswer(*knob, true);
  }
  Call call;
  if (std::optional<Refusal> r = CheckBody(req.body, call)) {
    return ErrorAnswer(*r, false);
  }
  json::array statuses;
  std::string request_id = NewRequestId();
  {
    std::lock_guard lock(mu_);
    ++counters_.accepted;
    for (const auto& [as_sent, e164] : call.numbers) {
      json::object s;
      std::string code = "Ok";
      auto armed = phone_results_.find(e164);
      if (armed != phone_results_.end()) {
        code = armed->second.code;
        if (armed->second.times > 0 && --armed->second.times == 0) {
          phone_results_.erase(armed);
        }
      }
      bool ok = code == "Ok";
      std::string serial = ok ? NextSerialNo() : std::string{};
      s["SerialNo"] = serial;
      s["PhoneNumber"] = e164;
      s["Fee"] = ok ? 1 : 0;
      s["SessionContext"] = call.session_context;
      s["Code"] = code;
      s["Message"] = ok ? std::string("send success") : StockMessage(code);
      s["IsoCode"] = "CN";
      statuses.push_back(std::move(s));
      if (ok) {
        ++counters_.sent;
        messages_.push_back(Message{e164, as_sent, call.template_id, call.params, call.sign_name, call.session_context,
                                    serial, request_id});
      } else {
        ++counters_.number_failures;
      }
    }
  }
  Response res;
  res.body = json::serialize(
      json::object{{"Response", json::object{{"SendStatusSet", std::move(statuses)}, {"RequestId", request_id}}}});
  res.content_type = "application/json";
  return res;
}

// ---- The public face --------------------------------------------------------------------------

TencentSmsDouble::TencentSmsDouble() : TencentSmsDouble(Options{}) {}
TencentSmsDouble::TencentSmsDouble(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
TencentSmsDouble::~TencentSmsDouble() = default;
std::string TencentSmsDouble::base_url() const { return impl_->base_url(); }
DoubleServer& TencentSmsDouble::server() { return impl_->server(); }
const TencentSmsDouble::Options& TencentSmsDouble::options() const { return impl_->options(); }
void TencentSmsDouble::FailNext(int n, std::string code, std::string message) {
  impl_->FailNext(n, std::move(code), std::move(message));
}
void TencentSmsDouble::SetPhoneResult(const std::string& phone, std::string code, int times) {
  impl_->SetPhoneResult(phone, std::move(code), times);
}
void TencentSmsDouble::ClearPhoneResults() { impl_->ClearPhoneResults(); }
std::vector<TencentSmsDouble::Message> TencentSmsDouble::messages() const { return impl_->messages(); }
std::optional<TencentSmsDouble::Message> TencentSmsDouble::LastMessageTo(const std::string& phone) const {
  return impl_->LastMessageTo(phone);
}
void TencentSmsDouble::clear_messages() { impl_->clear_messages(); }
TencentSmsDouble::Counters TencentSmsDouble::counters() const { return impl_->counters(); }
std::vector<std::string> TencentSmsDouble::error_codes() const { return impl_->error_codes(); }

}  // namespace doubles
