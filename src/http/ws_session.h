// Internal to carecity_http (server.cc and ws_session.cc): the WebSocket side
// of a connection once a WebSocket route accepted the upgrade. Includes Beast;
// never include it outside src/http.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>

#include "http/metrics.h"
#include "http/websocket.h"

namespace carecity::http::detail {

struct WebSocketLimits {
  size_t max_message_bytes = 4096;  // a larger incoming message closes the socket (1009)
  int idle_timeout_s = 60;          // a ping after half of it without a frame; closed after all of it
  int handshake_timeout_s = 10;     // the opening and closing handshakes
  size_t send_queue = 4;            // queued messages per socket; the oldest is dropped beyond it
};

// True if `req` asks to upgrade to a WebSocket.
bool IsWebSocketUpgrade(const boost::beast::http::request<boost::beast::http::string_body>& req);

// Answers the upgrade on `stream` (taken over: do not use it afterwards), runs
// `run` and returns once the socket is closed. `on_open` is called on the
// stream's strand once the socket is open, with a function that begins a
// "going away" close (1001) and must be called on that strand; it stays valid
// until this coroutine returns. Counts the open socket in `metrics`.
boost::asio::awaitable<void> ServeWebSocket(
    boost::beast::tcp_stream& stream, boost::beast::http::request<boost::beast::http::string_body> req,
    WebSocketLimits limits, std::function<boost::asio::awaitable<void>(std::shared_ptr<WebSocket>)> run,
    Metrics& metrics, const std::function<void(std::function<void()>)>& on_open);

}  // namespace carecity::http::detail
