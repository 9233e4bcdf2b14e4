// WebSocket routes as handlers see them: no Beast, no sockets. The server
// (server.cc, ws_session.cc) upgrades a GET on a route added with
// Router::AddWebSocket once its handler accepts, and then runs the handler's
// `run` coroutine with a WebSocket until either side closes.
//
// Every message the server sends is a text frame. Incoming messages are read
// (so pings, pongs and closes are answered) but not given to the handler; one
// larger than ServerOptions::ws_max_message_bytes closes the socket.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"

namespace carecity::http {

// One open WebSocket.
//
// Thread-safety: Send, Wake and Close may be called from any thread, at any
// time (after the socket closed they do nothing). Wait is called only by the
// handler's `run` coroutine, one call at a time.
class WebSocket {
 public:
  virtual ~WebSocket() = default;

  // Queues a text message and returns at once; never blocks the caller. The
  // queue is bounded (ServerOptions::ws_send_queue): when it is full the
  // oldest queued message is dropped, so a watcher that reads slowly gets the
  // newest message, not every one. Use it for full states, not for deltas.
  virtual void Send(std::string text) = 0;

  // Wakes the coroutine suspended in Wait (or makes its next Wait return at
  // once). Several wakes before a Wait count as one.
  virtual void Wake() = 0;

  // Suspends until Wake() or the socket's close. Returns true when woken,
  // false once the socket is closed (for good: the handler should return).
  virtual boost::asio::awaitable<bool> Wait() = 0;

  // Begins a normal close (code 1000) after the queued messages. Idempotent.
  virtual void Close() = 0;
};

// A WebSocket route's answer to an upgrade request, given before upgrading.
struct WebSocketUpgrade {
  // Set: the upgrade is refused with this plain HTTP response (a 404 JSON
  // error for an unknown id, 401 for a caller who must log in first).
  std::optional<Response> refuse;
  // Otherwise: runs on the open socket; the socket is closed when it returns
  // (or throws). It may outlive the request: copy what it needs.
  std::function<boost::asio::awaitable<void>(std::shared_ptr<WebSocket>)> run;
};

// Decides on the upgrade from the request (path parameters, session cookie).
using WebSocketHandler = std::function<boost::asio::awaitable<WebSocketUpgrade>(Request&)>;

}  // namespace carecity::http
