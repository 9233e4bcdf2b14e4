#include "http/ws_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace carecity::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

bool IsWebSocketUpgrade(const bhttp::request<bhttp::string_body>& req) { return websocket::is_upgrade(req); }

namespace {

// The socket, its bounded send queue and the two signals (the writer's and
// the handler's Wait), as timers that never expire and are cancelled to wake
// their waiter. Timers and the stream are touched only on the stream's strand;
// the queue and flags under mu_.
class Connection final : public WebSocket, public std::enable_shared_from_this<Connection> {
 public:
  Connection(beast::tcp_stream&& stream, size_t send_queue, Metrics& metrics)
      : ws_(std::move(stream)),
        executor_(ws_.get_executor()),
        send_queue_(std::max<size_t>(1, send_queue)),
        metrics_(metrics),
        write_signal_(executor_),
        wake_signal_(executor_) {}

  websocket::stream<beast::tcp_stream>& ws() { return ws_; }
  const asio::any_io_executor& executor() const { return executor_; }

  void Send(std::string text) override {
    {
      std::lock_guard lock(mu_);
      if (closed_ || close_code_) {
        return;
      }
      if (queue_.size() >= send_queue_) {
        queue_.pop_front();  // a newer full state supersedes it
        metrics_.WebSocketMessageDropped();
      }
      queue_.push_back(std::move(text));
      if (write_signalled_) {
        return;
      }
      write_signalled_ = true;
    }
    SignalWriter();
  }

  void Wake() override {
    {
      std::lock_guard lock(mu_);
      if (closed_ || woken_) {
        woken_ = true;
        return;
      }
      woken_ = true;
    }
    asio::post(executor_, [self = shared_from_this()] { self->wake_signal_.cancel(); });
  }

  asio::awaitable<bool> Wait() override {
    for (;;) {
      bool woken = false;
      bool closed = false;
      {
        std::lock_guard lock(mu_);
        woken = std::exchange(woken_, false);
        closed = closed_;
      }
      if (closed) {
        co_return false;
      }
      if (woken) {
        co_return true;
      }
      // No suspension between the check and the wait, and Wake's cancel is
      // posted to this strand: a wake in between cancels this wait.
      wake_signal_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_signal_.async_wait(kTuple);
    }
  }

  void Close() override { CloseWith(websocket::close_code::normal); }

  // Asks the writer to send what is queued, then the close frame. Idempotent
  // (the first code wins).
  void CloseWith(websocket::close_code code) {
    {
      std::lock_guard lock(mu_);
      if (closed_ || close_code_) {
        return;
      }
      close_code_ = code;
    }
    SignalWriter();
  }

  // Called by the reader on the strand when the socket is gone.
  void MarkClosed() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      queue_.clear();
    }
    write_signal_.cancel();
    wake_signal_.cancel();
  }

  // Writes queued messages one at a time, then the close frame if asked.
  static asio::awaitable<void> WriteLoop(std::shared_ptr<Connection> self) {
    self->ws_.text(true);
    for (;;) {
      std::optional<std::string> next;
      std::optional<websocket::close_code> close;
      bool closed = false;
      {
        std::lock_guard lock(self->mu_);
        closed = self->closed_;
        if (!self->queue_.empty()) {
          next = std::move(self->queue_.front());
          self->queue_.pop_front();
        } else {
          self->write_signalled_ = false;
          close = self->close_code_;
        }
      }
      if (closed) {
        co_return;
      }
      if (next) {
        auto [ec, n] = co_await self->ws_.async_write(asio::buffer(*next), kTuple);
        if (ec) {
          co_return;  // the reader sees the broken socket and ends the session
        }
        continue;
      }
      if (close) {
        const websocket::close_reason reason(*close);
        // Its outcome does not matter: the reader ends either way.
        co_await self->ws_.async_close(reason, kTuple);
        co_return;
      }
      self->write_signal_.expires_at(asio::steady_timer::time_point::max());
      co_await self->write_signal_.async_wait(kTuple);
    }
  }

  // The route's coroutine; the socket closes when it ends.
  static asio::awaitable<void> RunHandler(std::shared_ptr<Connection> self,
                                          std::function<asio::awaitable<void>(std::shared_ptr<WebSocket>)> run) {
    try {
      co_await run(self);
    } catch (const std::exception& e) {
      spdlog::error("websocket handler failed: {}", e.what());
    }
    self->Close();
  }

 private:
  void SignalWriter() {
    asio::post(executor_, [self = shared_from_this()] { self->write_signal_.cancel(); });
  }

  websocket::stream<beast::tcp_stream> ws_;
  asio::any_io_executor executor_;
  const size_t send_queue_;
  Metrics& metrics_;
  asio::steady_timer write_signal_;
  asio::steady_timer wake_signal_;
  std::mutex mu_;
  std::deque<std::string> queue_;                   // GUARDED_BY(mu_)
  bool write_signalled_ = false;                    // GUARDED_BY(mu_): a wake-up of the writer is posted
  bool woken_ = false;                              // GUARDED_BY(mu_)
  bool closed_ = false;                             // GUARDED_BY(mu_)
  std::optional<websocket::close_code> close_code_;  // GUARDED_BY(mu_)
};

}  // namespace

asio::awaitable<void> ServeWebSocket(beast::tcp_stream& stream, bhttp::request<bhttp::string_body> req,
                                     WebSocketLimits limits,
                                     std::function<asio::awaitable<void>(std::shared_ptr<WebSocket>)> run,
                                     Metrics& metrics, const std::function<void(std::function<void()>)>& on_open) {
  stream.expires_never();  // the WebSocket's own timeouts take over
  auto conn = std::make_shared<Connection>(std::move(stream), limits.send_queue, metrics);
  auto& ws = conn->ws();
  ws.read_message_max(limits.max_message_bytes);
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(limits.handshake_timeout_s);
  timeouts.idle_timeout = std::chrono::seconds(limits.idle_timeout_s);
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(bhttp::field::server, "carecity"); }));
  auto [aec] = co_await ws.async_accept(req, kTuple);
  if (aec) {
    co_return;
  }
  metrics.WebSocketOpened();
  std::weak_ptr<Connection> weak = conn;
  on_open([weak] {
    if (auto c = weak.lock()) {
      c->CloseWith(websocket::close_code::going_away);
    }
  });
  asio::co_spawn(conn->executor(), Connection::WriteLoop(conn), asio::detached);
  asio::co_spawn(conn->executor(), Connection::RunHandler(conn, std::move(run)), asio::detached);
  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws.async_read(buffer, kTuple);
    if (ec) {
      break;
    }
    buffer.consume(buffer.size());  // incoming messages are not for the handler
  }
  conn->MarkClosed();
  metrics.WebSocketClosed();
}

}  // namespace carecity::http::detail
