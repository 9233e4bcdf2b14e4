#include "domains/payments/alipay_protocol.h"

#include <fmt/format.h>

#include <cctype>
#include <ctime>
#include <optional>

#include "http/message.h"

namespace carecity::payments::alipay {
namespace {

constexpr int64_t kChinaOffsetS = 8 * 3600;
constexpr int64_t kMaxFen = 100'000'000'000'000LL;  // far beyond any order; keeps arithmetic in range

Error Bad(std::string field, std::string detail) {
  return Error::Invalid("invalid_value", std::move(field), std::move(detail));
}


// The index just past the JSON value that starts at `at` with '{', or npos.
size_t EndOfObject(std::string_view s, size_t at) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = at; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (--depth == 0) {
        return i + 1;
      }
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string Yuan(int64_t fen) {
  const char* sign = fen < 0 ? "-" : "";
  const int64_t abs = fen < 0 ? -fen : fen;
  return fmt::format("{}{}.{:02}", sign, abs / 100, abs % 100);
}

Result<int64_t> FenFromYuan(std::string_view yuan) {
  const size_t dot = yuan.find('.');
  const std::string_view whole = yuan.substr(0, dot);
  const std::string_view cents = dot == std::string_view::npos ? std::string_view() : yuan.substr(dot + 1);
  const auto digits = [](std::string_view d) {
    return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (!digits(whole) || whole.size() > 13 || (dot != std::string_view::npos && (!digits(cents) || cents.size() > 2))) {
    return Bad("amount", "not an amount in yuan with at most two decimals: " + std::string(yuan));
  }
  int64_t fen = std::stoll(std::string(whole)) * 100;
  if (!cents.empty()) {
    fen += std::stoll(std::string(cents)) * (cents.size() == 1 ? 10 : 1);
  }
  if (fen > kMaxFen) {
    return Bad("amount", "too large");
  }
  return fen;
}

std::string SignContent(const Params& params, bool drop_sign_type) {
  std::string out;
  for (const auto& [k, v] : params) {  // std::map: sorted by name, byte order
    if (v.empty() || k == "sign" || (drop_sign_type && k == "sign_type")) {
      continue;
    }
    if (!out.empty()) {
      out.push_back('&');
    }
    out.append(k).append("=").append(v);
  }
  return out;
}

Result<Params> Signed(const pk::RsaKey& app_key, Params params) {
  params.erase("sign");
  auto sign = pk::SignSha256(app_key, SignContent(params, false));
  if (!sign.ok()) {
    return std::move(sign).error();
  }
  params["sign"] = std::move(*sign);
  return params;
}

std::string FormEncode(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out.append(http::PercentEncode(k)).append("=").append(http::PercentEncode(v));
  }
  return out;
}

Result<Params> FormDecode(std::string_view body) {
  Params out;
  if (body.empty()) {
    return out;
  }
  for (size_t at = 0;;) {
    size_t amp = body.find('&', at);
    if (amp == std::string_view::npos) {
      amp = body.size();
    }
    if (const std::string_view pair = body.substr(at, amp - at); !pair.empty()) {
      const size_t eq = pair.find('=');
      auto name = http::PercentDecode(pair.substr(0, eq), true);
      auto value = http::PercentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
      if (!name || !value || name->empty()) {
        return Bad("body", "malformed form encoding");
      }
      if (!out.emplace(std::move(*name), std::move(*value)).second) {
        return Bad("body", "a parameter appears twice");
      }
    }
    if (amp == body.size()) {
      return out;
    }
    at = amp + 1;
  }
}

Status VerifyNotification(const pk::RsaKey& alipay_key, const Params& params) {
  const auto sign = params.find("sign");
  const auto sign_type = params.find("sign_type");
  if (sign == params.end() || sign->second.empty()) {
    return Error{ErrorCode::kUnauthenticated, "invalid_signature", {}, "no sign"};
  }
  if (sign_type == params.end() || sign_type->second != "RSA2") {
    return Error{ErrorCode::kUnauthenticated, "invalid_signature", {}, "sign_type is not RSA2"};
  }
  if (!pk::VerifySha256(alipay_key, SignContent(params, true), sign->second)) {
    return Error{ErrorCode::kUnauthenticated, "invalid_signature", {}, "the sign does not verify"};
  }
  return {};
}

std::string ResponseNode(std::string_view method) {
  std::string node(method);
  for (char& c : node) {
    if (c == '.') {
      c = '_';
    }
  }
  return node + "_response";
}

Result<SignedAnswer> CutAnswer(std::string_view body, std::string_view node) {
  const std::string key = "\"" + std::string(node) + "\"";
  const size_t found = body.find(key);
  if (found == std::string_view::npos) {
    return Bad("answer", "no " + std::string(node));
  }
  size_t at = found + key.size();
  while (at < body.size() && std::isspace(static_cast<unsigned char>(body[at]))) ++at;
  if (at >= body.size() || body[at] != ':') {
    return Bad("answer", "malformed answer");
  }
  ++at;
  while (at < body.size() && std::isspace(static_cast<unsigned char>(body[at]))) ++at;
  if (at >= body.size() || body[at] != '{') {
    return Bad("answer", "the response is not an object");
  }
  const size_t end = EndOfObject(body, at);
  if (end == std::string_view::npos) {
    return Bad("answer", "the response object is not closed");
  }
  if (body.find(key, end) != std::string_view::npos) {
    return Bad("answer", std::string(node) + " appears twice");
  }
  SignedAnswer out{std::string(body.substr(at, end - at)), {}};
  // The sign: a plain base64 string after the object.
  if (const size_t s = body.find("\"sign\"", end); s != std::string_view::npos) {
    const size_t open = body.find('"', body.find(':', s + 6));
    const size_t close = open == std::string_view::npos ? open : body.find('"', open + 1);
    if (open != std::string_view::npos && close != std::string_view::npos) {
      out.sign = std::string(body.substr(open + 1, close - open - 1));
    }
  }
  return out;
}

std::string ChinaTime(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000 + kChinaOffsetS);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

Result<int64_t> ParseChinaTime(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' ||
      text[16] != ':' ||
      std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6 || mo < 1 ||
      mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return Bad("time", "not yyyy-MM-dd HH:mm:ss: " + std::string(text));
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return (static_cast<int64_t>(timegm(&tm)) - kChinaOffsetS) * 1000;
}

}  // namespace carecity::payments::alipay
