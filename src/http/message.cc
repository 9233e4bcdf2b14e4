#include "http/message.h"

#include <algorithm>
#include <charconv>
#include <cctype>

namespace carecity::http {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) {
      return v;
    }
  }
  return {};
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [k, v] : path_params) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

std::optional<std::string> Request::Query(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = PercentDecode(pair.substr(0, eq), true);
    if (key && *key == name) {
      if (eq == std::string_view::npos) {
        return std::string();
      }
      return PercentDecode(pair.substr(eq + 1), true);
    }
  }
  return std::nullopt;
}

std::string Request::Cookie(std::string_view name) const {
  std::string_view all = Header("cookie");
  while (!all.empty()) {
    const auto semi = all.find(';');
    std::string_view part = all.substr(0, semi);
    all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') {
      part.remove_prefix(1);
    }
    const auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
  }
  return {};
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) {
      return v;
    }
  }
  return {};
}

std::string ClientIp(const std::string& peer, std::string_view forwarded_for,
                     const std::vector<std::string>& trusted_proxies) {
  const auto trusted = [&](std::string_view ip) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), ip) != trusted_proxies.end();
  };
  if (!trusted(peer) || forwarded_for.empty()) {
    return peer;
  }
  // Walk from the right: each proxy appends the address it received from.
  std::string_view rest = forwarded_for;
  std::string last = peer;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    std::string_view item = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    if (item.empty() || item.size() > 45 ||
        item.find_first_not_of("0123456789abcdefABCDEF.:") != std::string_view::npos) {
      break;  // not an address: stop believing the header here
    }
    last = std::string(item);
    if (!trusted(item)) {
      return last;
    }
  }
  return last;
}

std::optional<int64_t> ParseId(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) {
    return std::nullopt;
  }
  return v;
}

Lang NegotiateLang(std::string_view accept_language) {
  // The first tag decides; q-values beyond that are rarely meaningful here.
  while (!accept_language.empty() && accept_language.front() == ' ') {
    accept_language.remove_prefix(1);
  }
  if (accept_language.size() >= 2 && std::tolower(static_cast<unsigned char>(accept_language[0])) == 'e' &&
      std::tolower(static_cast<unsigned char>(accept_language[1])) == 'n') {
    return Lang::kEn;
  }
  return Lang::kZh;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) {
        return std::nullopt;
      }
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string RedactSecrets(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) {
    return std::string(target);
  }
  std::string out(target.substr(0, q + 1));
  std::string_view rest = target.substr(q + 1);
  bool first = true;
  while (true) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (!first) {
      out += '&';
    }
    first = false;
    const std::string_view name = pair.substr(0, pair.find('='));
    if ((name == "token" || name == "code") && pair.size() > name.size()) {
      out.append(name).append("=REDACTED");
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) {
      break;
    }
    rest = rest.substr(amp + 1);
  }
  return out;
}

}  // namespace carecity::http
