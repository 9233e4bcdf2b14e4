// A small blocking HTTP(S) client of the doubles' own: doubles post notifications to our server
// with it, and tests reach a double with it. It shares nothing with the product's outbound client
// (src/http/), so a mistake there cannot hide behind the same mistake here.
//
// Thread-safety: Send may be called from any number of threads at once (each call has its own
// connection and event loop).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace doubles {

struct ClientResult {
  int status = 0;                              // 0 when `error` is set
  std::map<std::string, std::string> headers;  // names lower-cased; a repeated field joined with ", "
  std::string body;
  std::string error;  // empty on success: which step failed and why (never a secret)
};

// Blocking HTTP(S) request with a 10 s timeout (for the whole exchange). url "http://host:port/path?x"
// or "https://..." (an IPv6 host in brackets). For https, verifies the peer against `ca_pem` (one or
// more PEM certificates; SharedPki's CA by default) with SNI and hostname check (an IP literal is
// checked against the IP SANs and sent without SNI, as RFC 6066 requires). Sends Host (the URL's
// authority), User-Agent and Connection: close unless `headers` gives them, then `headers` in
// order, and Content-Length for a body (and for an empty POST or PUT). One request per connection.
// Transport failures set `error` (status 0), never throw; any HTTP status is a success here.
ClientResult Send(const std::string& method, const std::string& url, const std::string& body = {},
                  const std::vector<std::pair<std::string, std::string>>& headers = {},
                  const std::string& ca_pem = {});

}  // namespace doubles
