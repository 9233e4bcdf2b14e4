// The HTTP server: Beast over Asio, one coroutine per connection, bounded
// reads (header and body limits, read timeouts), a connection cap, WebSocket
// upgrades on WebSocket routes (ws_session.cc), and a graceful stop (stop
// accepting, close idle connections and WebSockets (1001 going away), let
// in-flight requests finish, then return from Run()).
//
// Thread-safety: Listen() and Run() are called once from one thread; Stop()
// may be called from any thread (and from a signal via Run's handler).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"

namespace carecity::db {
class Store;
}

namespace carecity::http {

class StaticFiles;

// The Content-Security-Policy of every response. The web app loads only its
// own files: no inline or evaluated script, fonts and images from the app or
// data: URLs (Vant's icon font is inlined), no framing, no plugins. Inline
// style *attributes* are allowed (style-src-attr) because ECharts writes
// its tooltips as HTML with style attributes; Vue and Vant set styles
// through the CSSOM, which CSP does not restrict, and no <style> element
// or foreign stylesheet is allowed.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; "
    "manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The headers every response carries, errors and static files included:
// the CSP above, X-Frame-Options DENY (for browsers without frame-ancestors),
// nosniff, Referrer-Policy same-origin (payment and donation URLs carry
// access tokens in their query; "no-referrer" would also make browsers send
// "Origin: null" on our own POSTs, which the CSRF check refuses), and HSTS
// when `public_origin` is https.
std::vector<std::pair<std::string, std::string>> SecurityHeaders(const std::string& public_origin);

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 picks a free one
  int threads = 0;                        // 0 = hardware concurrency
  int64_t max_body_bytes = 1024 * 1024;
  int64_t max_header_bytes = 16 * 1024;
  int max_connections = 10000;
  int read_timeout_s = 30;
  int idle_timeout_s = 75;
  int shutdown_grace_s = 15;
  std::string public_origin;  // empty: Origin must match the Host header
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
  std::string access_log = "stdout";  // "stdout", "off" or a file path
  // WebSockets (http/websocket.h): the largest incoming message (larger
  // closes the socket with 1009), the idle time after which a silent peer is
  // dropped (a ping goes out at half of it), and the messages queued per
  // socket before the oldest is dropped.
  int64_t ws_max_message_bytes = 4096;
  int ws_idle_timeout_s = 60;
  int ws_send_queue = 4;
};

class Server {
 public:
  // `router`, `metrics` and `static_files` (may be null) must outlive the server.
  Server(ServerOptions options, const Router& router, Metrics& metrics, const StaticFiles* static_files);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket. Returns "http://HOST:PORT" with the real
  // port. Throws std::runtime_error if the address cannot be bound.
  std::string Listen();

  // Serves until Stop() (or SIGINT/SIGTERM when `handle_signals`), then
  // drains and returns. Blocks the calling thread, which becomes one of the
  // I/O threads.
  void Run(bool handle_signals);

  // Begins the graceful stop. Thread-safe, idempotent.
  void Stop();

  // Handles one request end to end (routing, CSRF, errors, metrics, log);
  // exposed for tests that want to skip the socket.
  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace carecity::http
