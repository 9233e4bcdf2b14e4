#include "support/ws_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace carecity::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

class WsClient::Impl {
 public:
  Impl(int port, const std::string& target, const std::map<std::string, std::string>& headers)
      : ws_(ioc_), work_(asio::make_work_guard(ioc_)) {
    beast::get_lowest_layer(ws_).connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [k, v] : headers) {
        req.set(k, v);
      }
    }));
    websocket::response_type res;
    beast::error_code ec;
    ws_.handshake(res, "127.0.0.1:" + std::to_string(port), target, ec);
    if (ec) {
      throw std::runtime_error("websocket upgrade refused: " + std::to_string(res.result_int()) + " " + ec.message());
    }
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~Impl() {
    asio::post(ioc_, [this] {
      beast::error_code ec;
      beast::get_lowest_layer(ws_).socket().close(ec);
    });
    work_.reset();
    thread_.join();
  }

  void StartReading() {
    asio::post(ioc_, [this] { ReadNext(); });
  }

  void ReadNext() {
    ws_.async_read(buffer_, [this](beast::error_code ec, size_t) {
      std::lock_guard lock(mu_);
      if (ec) {
        closed_ = true;
        close_code_ = static_cast<int>(ws_.reason().code);
        cv_.notify_all();
        return;
      }
      messages_.push_back(beast::buffers_to_string(buffer_.data()));
      ++received_;
      buffer_.consume(buffer_.size());
      cv_.notify_all();
      ReadNext();
    });
  }

  std::optional<std::string> Next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [this] { return !messages_.empty() || closed_; });
    if (messages_.empty()) {
      return std::nullopt;
    }
    std::string m = std::move(messages_.front());
    messages_.pop_front();
    return m;
  }

  std::optional<int> WaitClosed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [this] { return closed_; })) {
      return std::nullopt;
    }
    return close_code_;
  }

  void Send(const std::string& text) {
    std::promise<beast::error_code> done;
    asio::post(ioc_, [&] {
      ws_.text(true);
      ws_.async_write(asio::buffer(text), [&](beast::error_code ec, size_t) { done.set_value(ec); });
    });
    done.get_future().wait();
  }

  size_t received() const {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  beast::flat_buffer buffer_;
  std::thread thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> messages_;  // GUARDED_BY(mu_)
  size_t received_ = 0;               // GUARDED_BY(mu_)
  bool closed_ = false;               // GUARDED_BY(mu_)
  int close_code_ = 0;                // GUARDED_BY(mu_)
};

WsClient::WsClient(int port, const std::string& target, const std::map<std::string, std::string>& headers, bool read)
    : impl_(std::make_unique<Impl>(port, target, headers)) {
  if (read) {
    impl_->StartReading();
  }
}
WsClient::~WsClient() = default;
void WsClient::StartReading() { impl_->StartReading(); }
std::optional<std::string> WsClient::Next(std::chrono::milliseconds timeout) { return impl_->Next(timeout); }
bool WsClient::WaitFor(const std::string& want, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    auto m = impl_->Next(left);
    if (!m) {
      return false;
    }
    if (*m == want) {
      return true;
    }
  }
}
std::optional<int> WsClient::WaitClosed(std::chrono::milliseconds timeout) { return impl_->WaitClosed(timeout); }
void WsClient::Send(const std::string& text) { impl_->Send(text); }
size_t WsClient::received() const { return impl_->received(); }

}  // namespace carecity::testing
