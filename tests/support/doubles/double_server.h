// The HTTP(S) server every protocol double is built on (docs/design-channels.md section 7.2): it
// routes by method and path, records each request for assertions, and injects the faults a real
// provider shows (errors, slowness, lost answers, dropped connections).
//
// Thread-safety: a DoubleServer runs on its own thread. Every public member function may be called
// from any thread, including from inside a handler (handlers run on the server's thread, one at a
// time, so a handler must not block on work that needs this server to answer meanwhile).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace doubles {

// One request as received.
struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // exactly as on the request line: path + optional "?query"
  std::string path;    // target without the query
  std::string query;   // after '?', raw (may be empty)
  // Names lower-cased; values as received. A repeated field's values are joined with ", ".
  std::map<std::string, std::string> headers;
  std::string body;
  // Additions to the contract. The 1-based number of the connection the request came on (in
  // accept order), so a test can tell a reused keep-alive connection from a new one; and the
  // server name the client sent in the TLS handshake (SNI; empty without TLS or without SNI).
  int connection = 0;
  std::string tls_sni;
};

struct Response {
  int status = 200;
  // Sent as given, in order, repeats allowed. Content-Length is always set by the server; a
  // Content-Type here takes precedence over `content_type`.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string content_type = "application/json";  // empty: no Content-Type header
};

using Handler = std::function<Response(const Request&)>;

class DoubleServer {
 public:
  struct Options {
    bool tls = true;  // HTTPS with SharedPki's server certificate unless cert_pem/key_pem are given
    std::string cert_pem, key_pem;  // both or neither; cert_pem may hold a chain (leaf first)
    std::string host = "127.0.0.1";  // listen address; port 0 = any free port
    unsigned short port = 0;          // addition to the contract: the port to listen on
  };

  // Listens at once (the port is known when the constructor returns). Throws std::runtime_error
  // (boost::system::system_error) if the address cannot be bound or the certificate/key are
  // unusable or do not match; std::invalid_argument if only one of cert_pem/key_pem is given.
  DoubleServer();  // Options{} defaults
  explicit DoubleServer(Options options);
  // Stops and joins its thread; safe while clients are connected or requests are pending (open
  // connections are closed without an answer, SetDelay waits are cut short).
  ~DoubleServer();
  DoubleServer(const DoubleServer&) = delete;
  DoubleServer& operator=(const DoubleServer&) = delete;

  // Routes by exact method and path (no query); a second Route for the same pair replaces the
  // first. Unrouted requests answer 404 with a JSON body {"code":"NOT_FOUND","message":"..."}.
  // Handlers run on the server's own thread, one at a time. A handler that throws answers 500
  // with the exception's what() as a text/plain body.
  void Route(const std::string& method, const std::string& path, Handler handler);
  // Addition to the contract: routes every path that starts with `prefix` (for paths that carry
  // ids, e.g. "/v3/refund/domestic/refunds/"). An exact Route wins; among prefixes the longest
  // wins. A second RoutePrefix for the same pair replaces the first.
  void RoutePrefix(const std::string& method, const std::string& prefix, Handler handler);

  unsigned short port() const;
  // "https://localhost:<port>" (or "http://localhost:<port>" without TLS).
  std::string base_url() const;

  // Every request received, in order of arrival (a copy). Recorded before any fault is applied,
  // so dropped and failed requests are here too.
  std::vector<Request> requests() const;
  std::vector<Request> requests(const std::string& path) const;  // only those to `path`
  void clear_requests();
  // Addition to the contract: connections accepted so far (TCP accepts, before any TLS handshake).
  int connections() const;

  // Faults, per path (set before or during a test). When several are armed for one path, a request
  // takes the first that applies, in this order: DropBeforeCommit, FailNext, DropAfterCommit; each
  // request uses up at most one count. Counters are taken when the request has been read, so
  // concurrent requests consume them in order of arrival.
  //
  // The next n requests to `path` answer `status` with `body` (as application/json) instead of
  // running the handler; n replaces any count left from before.
  void FailNext(const std::string& path, int n, int status, std::string body);
  // Every request to `path` waits `ms` before being answered (the handler runs after the wait;
  // a FailNext answer also comes after it). Other connections are served meanwhile. 0 clears it.
  void SetDelay(const std::string& path, int ms);
  // The next n requests to `path` run the handler (its effect happens) and then the connection is
  // closed without any answer: the provider did it but the answer was lost.
  void DropAfterCommit(const std::string& path, int n);
  // The next n requests to `path` get the connection closed right after the request is read
  // (before any SetDelay wait), without running the handler.
  void DropBeforeCommit(const std::string& path, int n);

  // A clock for handlers that check timestamps; defaults to the system clock (ms since epoch).
  // `now_ms` is called outside the server's locks, from whichever thread calls now_ms().
  void SetClock(std::function<int64_t()> now_ms);
  int64_t now_ms() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace doubles
