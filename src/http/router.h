// Maps (method, path) to a handler. Patterns are literal segments and
// "{name}" segments that match one non-empty path segment:
//   router.Add("DELETE", "/api/v1/me/sessions/{id}", handler);
//   router.AddWebSocket("/ws/auctions/{id}", ws_handler);
// Routes are added at start-up; Find is then thread-safe (read-only).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"
#include "http/websocket.h"

namespace carecity::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct RouteOptions {
  // Called by other servers, not browsers (a payment provider's signed
  // notification): the browser rules (JSON content type, Origin) do not
  // apply, and the handler authenticates the request itself.
  bool from_servers = false;
  // A larger (or smaller) body limit than the server's max_body_bytes for
  // this route (0: the server's). Applied after the request line and
  // headers are read, before the body is: an oversized body answers 413
  // without being read.
  int64_t max_body_bytes = 0;
  // Content types (lower-case, without parameters) this state-changing API
  // route accepts besides application/json: a raw image upload. None of
  // them may be a type a cross-site form can send (text/plain, form types),
  // so the browser still preflights them; the Origin check still applies.
  std::vector<std::string> body_types;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  // A GET route that upgrades to a WebSocket (http/websocket.h). The server
  // refuses a present Origin other than public_origin (or the Host) with
  // 403, and a GET without the upgrade headers with 426.
  void AddWebSocket(std::string pattern, WebSocketHandler handler);

  struct Match {
    const Handler* handler = nullptr;  // null if nothing matched
    const WebSocketHandler* websocket = nullptr;  // set instead of handler for a WebSocket route
    std::string route;                 // the pattern that matched
    bool path_matched = false;         // true if only the method differed
    bool from_servers = false;         // RouteOptions::from_servers of the match
    const RouteOptions* options = nullptr;  // the match's options (null if nothing matched)
    std::vector<std::pair<std::string, std::string>> params;
  };
  Match Find(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    RouteOptions options;
    WebSocketHandler websocket;  // set for AddWebSocket routes (handler is empty)
  };
  std::vector<Route> routes_;
};

}  // namespace carecity::http
