#include "domains/payments/wechatpay_protocol.h"

#include <fmt/format.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <cctype>
#include <ctime>

namespace carecity::payments::wechatpay {
namespace {

namespace json = boost::json;

constexpr int64_t kChinaOffsetS = 8 * 3600;

Error Unsigned(std::string detail) {
  return Error{ErrorCode::kUnauthenticated, "invalid_signature", {}, std::move(detail)};
}

Error BadNotice(std::string detail) { return Error::Invalid("invalid_notification", "", std::move(detail)); }

// The string at `key`, or nullptr when absent or not a string.
const json::string* Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr ? v->if_string() : nullptr;
}

std::string Text(const json::object& o, std::string_view key) {
  const json::string* s = Str(o, key);
  return s != nullptr ? std::string(*s) : std::string();
}

// A whole number at `key` (WeChat sends amounts as JSON integers).
std::optional<int64_t> Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (const auto* i = v->if_int64()) {
    return *i;
  }
  if (const auto* u = v->if_uint64(); u != nullptr && *u <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(*u);
  }
  return std::nullopt;
}

}  // namespace

std::string NewNonce() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out(32, '0');
  for (char& c : out) {
    c = kAlphabet[randombytes_uniform(62)];
  }
  return out;
}

std::string RequestMessage(std::string_view method, std::string_view target, int64_t timestamp_s,
                           std::string_view nonce, std::string_view body) {
  return fmt::format("{}\n{}\n{}\n{}\n{}\n", method, target, timestamp_s, nonce, body);
}

Result<std::string> Authorization(const pk::RsaKey& merchant_key, std::string_view mchid, std::string_view serial,
                                  std::string_view method, std::string_view target, std::string_view body,
                                  int64_t timestamp_s, std::string_view nonce) {
  auto signature = pk::SignSha256(merchant_key, RequestMessage(method, target, timestamp_s, nonce, body));
  if (!signature.ok()) {
    return std::move(signature).error();
  }
  return fmt::format(
      "WECHATPAY2-SHA256-RSA2048 mchid=\"{}\",nonce_str=\"{}\",timestamp=\"{}\",serial_no=\"{}\",signature=\"{}\"",
      mchid, nonce, timestamp_s, serial, *signature);
}

void PlatformKeys::Add(std::string id, pk::RsaKey key) { keys_.insert_or_assign(pk::CanonicalSerial(id), std::move(key)); }

const pk::RsaKey* PlatformKeys::Find(std::string_view id) const {
  auto it = keys_.find(pk::CanonicalSerial(id));
  return it == keys_.end() ? nullptr : &it->second;
}

Status VerifySigned(const PlatformKeys& keys, const SignedHeaders& h, std::string_view body, int64_t now_ms) {
  if (h.timestamp.empty() || h.nonce.empty() || h.signature.empty() || h.serial.empty()) {
    return Unsigned("a Wechatpay-Timestamp, -Nonce, -Signature or -Serial header is missing");
  }
  const pk::RsaKey* key = keys.Find(h.serial);
  if (key == nullptr) {
    return Unsigned("unknown Wechatpay-Serial " + std::string(h.serial));
  }
  if (h.timestamp.size() > 12 || h.timestamp.find_first_not_of("0123456789") != std::string_view::npos) {
    return Unsigned("malformed Wechatpay-Timestamp");
  }
  const std::string message = fmt::format("{}\n{}\n{}\n", h.timestamp, h.nonce, body);
  if (!pk::VerifySha256(*key, message, h.signature)) {
    return Unsigned("the signature does not verify");
  }
  // After the signature: an unsigned stale message is not worth a reason.
  const int64_t ts_ms = std::stoll(std::string(h.timestamp)) * 1000;
  if (ts_ms <= now_ms - kSignatureWindowMs || ts_ms >= now_ms + kSignatureWindowMs) {
    return Error{ErrorCode::kUnauthenticated, "stale_notification", {}, "Wechatpay-Timestamp is 5 minutes or more off"};
  }
  return {};
}

Result<std::string> OpenResource(std::string_view apiv3_key, const json::object& resource) {
  if (Text(resource, "algorithm") != "AEAD_AES_256_GCM") {
    return BadNotice("resource.algorithm is not AEAD_AES_256_GCM");
  }
  const json::string* ciphertext = Str(resource, "ciphertext");
  const json::string* nonce = Str(resource, "nonce");
  if (ciphertext == nullptr || nonce == nullptr) {
    return BadNotice("resource.ciphertext or resource.nonce is missing");
  }
  auto sealed = pk::FromBase64(std::string_view(*ciphertext));
  if (!sealed) {
    return BadNotice("resource.ciphertext is not base64");
  }
  auto opened = pk::AesGcmOpen(apiv3_key, std::string_view(*nonce), Text(resource, "associated_data"), *sealed);
  if (!opened.ok()) {
    return BadNotice("undecryptable resource (wrong APIv3 key, or altered)");
  }
  return opened;
}

Result<ProviderOrder> ReadTransaction(const json::object& t, std::string_view mchid, std::string_view appid) {
  if (Text(t, "mchid") != mchid || Text(t, "appid") != appid) {
    return BadNotice("the transaction is not of this merchant and app");
  }
  ProviderOrder order;
  order.out_trade_no = Text(t, "out_trade_no");
  const std::string state = Text(t, "trade_state");
  if (order.out_trade_no.empty() || state.empty()) {
    return BadNotice("out_trade_no or trade_state is missing");
  }
  if (state == "SUCCESS" || state == "REFUND") {
    order.state = state;
  } else if (state == "NOTPAY" || state == "USERPAYING" || state == "PAYERROR") {
    order.state = "NOTPAY";
  } else if (state == "CLOSED" || state == "REVOKED") {
    order.state = "CLOSED";
  } else {
    return BadNotice("unknown trade_state " + state);
  }
  const json::value* amount = t.if_contains("amount");
  const json::object* a = amount != nullptr ? amount->if_object() : nullptr;
  auto total = a != nullptr ? Int(*a, "total") : std::nullopt;
  if (!total || *total <= 0) {
    return BadNotice("amount.total is missing");
  }
  order.amount_fen = *total;
  order.fee_fen = 0;  // WeChat states fees in the daily bill, not per transaction
  if (auto id = Text(t, "transaction_id"); !id.empty()) {
    order.transaction_id = id;
  }
  if (order.state == "SUCCESS" || order.state == "REFUND") {
    auto paid_at = ParseRfc3339(Text(t, "success_time"));
    if (!paid_at.ok() || !order.transaction_id) {
      return BadNotice("a paid transaction without transaction_id or success_time");
    }
    order.paid_at_ms = *paid_at;
  }
  return order;
}

Result<RefundState> ReadRefund(const json::object& r) {
  std::string status = Text(r, "status");
  if (status.empty()) {
    status = Text(r, "refund_status");  // the notification's name for it
  }
  RefundState state;
  if (status == "SUCCESS") {
    state.kind = RefundState::Kind::kSucceeded;
  } else if (status == "PROCESSING") {
    state.kind = RefundState::Kind::kProcessing;
  } else if (status == "CLOSED") {
    state.kind = RefundState::Kind::kClosed;
  } else if (status == "ABNORMAL") {
    state.kind = RefundState::Kind::kAbnormal;
  } else {
    return BadNotice("unknown refund status " + status);
  }
  state.provider_refund_id = Text(r, "refund_id");
  if (state.kind == RefundState::Kind::kSucceeded) {
    if (auto at = ParseRfc3339(Text(r, "success_time")); at.ok()) {
      state.succeeded_at_ms = *at;
    }
  }
  return state;
}

Result<std::map<std::string, std::string>> JsapiParams(const pk::RsaKey& merchant_key, std::string_view appid,
                                                       std::string_view prepay_id, int64_t timestamp_s,
                                                       std::string_view nonce) {
  const std::string package = "prepay_id=" + std::string(prepay_id);
  const std::string ts = std::to_string(timestamp_s);
  auto signature = pk::SignSha256(merchant_key, fmt::format("{}\n{}\n{}\n{}\n", appid, ts, nonce, package));
  if (!signature.ok()) {
    return std::move(signature).error();
  }
  return std::map<std::string, std::string>{{"appId", std::string(appid)}, {"timeStamp", ts},
                                            {"nonceStr", std::string(nonce)}, {"package", package},
                                            {"signType", "RSA"}, {"paySign", std::move(*signature)}};
}

std::string Rfc3339(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000 + kChinaOffsetS);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<int64_t> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS, optional fraction, then Z or ±HH:MM.
  const auto bad = [&] { return Error::Invalid("invalid_notification", "", "not an RFC 3339 time: " + std::string(text)); };
  if (text.size() < 20) {
    return bad();
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(std::string(text.substr(0, 19)).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6 ||
      text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') {
    return bad();
  }
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
      ++at;
    }
  }
  int64_t offset_s = 0;
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") {
    offset_s = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(std::string(zone.substr(1)).c_str(), "%2d:%2d", &oh, &om) != 2) {
      return bad();
    }
    offset_s = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return bad();
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return (static_cast<int64_t>(timegm(&tm)) - offset_s) * 1000;
}

}  // namespace carecity::payments::wechatpay
