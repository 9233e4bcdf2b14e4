// Transport-independent HTTP request and response. Handlers see only these,
// never sockets or Beast types, so they are pure functions of the request.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace carecity::http {

enum class Lang { kZh, kEn };

struct Request {
  std::string method;   // "GET", "POST", ...
  std::string target;   // raw request target, "/api/v1/x?y=1"
  std::string path;     // percent-decoded path without the query
  std::string query;    // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::vector<std::pair<std::string, std::string>> path_params;  // filled by the router
  std::string remote_ip;
  std::string request_id;
  std::string route;  // the matched route pattern, for metrics
  Lang lang = Lang::kZh;

  // Header value or "" (names are compared case-insensitively).
  std::string_view Header(std::string_view name) const;
  // Path parameter from the route pattern ("{id}") or "".
  std::string_view Param(std::string_view name) const;
  // Decoded query parameter, or nullopt if absent.
  std::optional<std::string> Query(std::string_view name) const;
  // Cookie value, or "".
  std::string Cookie(std::string_view name) const;
  std::string_view UserAgent() const { return Header("user-agent"); }
};

// The next piece of a streamed body, or nullopt at its end. Throws to
// abort: the client then sees the transfer cut off, never a complete-looking
// but partial document.
using BodyChunks = std::function<boost::asio::awaitable<std::optional<std::string>>()>;

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set instead of `body` for a body produced piece by piece (a long CSV):
  // sent with chunked transfer encoding as the pieces come, so the whole
  // never sits in memory.
  BodyChunks chunks;

  Response& Set(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // First header with that name (case-insensitive) or "".
  std::string_view Header(std::string_view name) const;
};

// Language from Accept-Language: English only when it prefers "en" over "zh".
Lang NegotiateLang(std::string_view accept_language);

// The client's address: `peer`, unless `peer` is a trusted proxy, in which
// case the rightmost X-Forwarded-For entry that is not itself a trusted proxy.
std::string ClientIp(const std::string& peer, std::string_view forwarded_for,
                     const std::vector<std::string>& trusted_proxies);

// `target` with the values of query parameters that are secrets — a guest's
// access token (`token`) and a receipt's check code (`code`) — replaced by
// "REDACTED", for the access log (which must not become a list of keys).
std::string RedactSecrets(std::string_view target);

// A positive decimal id from a path segment ("42"), or nullopt.
std::optional<int64_t> ParseId(std::string_view s);

// Percent-decodes `s` ('+' as space when `plus_is_space`). Returns nullopt on
// a bad escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space);
// Percent-encodes every byte of `s` but RFC 3986's unreserved characters,
// for a query parameter's value.
std::string PercentEncode(std::string_view s);

}  // namespace carecity::http
