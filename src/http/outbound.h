// Outbound HTTPS to the payment, SMS and WeChat providers
// (docs/design-channels.md 3.1): one client per process, certificate checks
// always on (the system's CA store plus an optional extra file of trust
// anchors), SNI and host-name verification, one deadline per call.
//
// A provider signs the exact request target it sends (WeChat Pay v3 and
// TC3 both sign the path and query byte for byte), so ParseUrl gives the
// target and Host header the client will put on the wire, and callers sign
// those strings. Nothing here retries: a caller retries only calls that are
// safe to repeat. Logged: method, host, path, status and duration, never
// headers, query or bodies.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace carecity::http {

struct TlsOptions {
  // PEM trust anchors added to the system's store (a corporate proxy's CA;
  // the tests' doubles). Empty: the system's store alone.
  std::string extra_ca_file;
};

// A URL as the client will use it. `target` is the path and query exactly
// as sent; `host_header` is the Host header's value (with the port when it
// is not the scheme's default).
struct ParsedUrl {
  bool tls = true;
  std::string host;  // without brackets for IPv6
  std::string port;
  std::string host_header;
  std::string target;
};
// https:// anywhere; http:// only to a loopback host (127.0.0.0/8, ::1,
// localhost), for the built-in sandbox and tests. Invalid "bad_url" else.
Result<ParsedUrl> ParseUrl(std::string_view url);

struct OutboundRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given, after Host
  std::string body;
  std::chrono::milliseconds deadline{10000};  // for the whole call: connect, TLS, write, read
  size_t max_body = 4 << 20;                  // a longer answer is upstream_too_large
};

struct OutboundResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header's value, or empty.
  const std::string& header(const std::string& lower_name) const;
};

class OutboundClient {
 public:
  // invalid_config naming tls.extra_ca_file when that file is not a
  // readable PEM of certificates.
  static Result<std::unique_ptr<OutboundClient>> Create(const TlsOptions& options);
  ~OutboundClient();
  OutboundClient(const OutboundClient&) = delete;
  OutboundClient& operator=(const OutboundClient&) = delete;

  // Any status is a response; errors are transport failures, all 503:
  // upstream_unreachable (resolve, connect, reset, deadline),
  // upstream_tls_error (handshake, certificate or host name), and
  // upstream_too_large. The detail says what happened, never the body.
  boost::asio::awaitable<Result<OutboundResponse>> Send(OutboundRequest request);

 private:
  struct Impl;
  explicit OutboundClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace carecity::http
