// A WebSocket client for tests: a real Beast client on its own thread that
// reads in the background and queues what it receives.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace carecity::testing {

class WsClient {
 public:
  // Connects to ws://127.0.0.1:`port``target` with extra request headers
  // (Origin, Cookie). Reads at once unless `read` is false (a watcher that
  // reads nothing until StartReading: a slow consumer). Throws
  // std::runtime_error if the upgrade is refused.
  WsClient(int port, const std::string& target, const std::map<std::string, std::string>& headers = {},
           bool read = true);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  void StartReading();
  // The next message received, or nullopt after `timeout` or once closed and drained.
  std::optional<std::string> Next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Skips messages until one equals `want`; false on timeout or close.
  bool WaitFor(const std::string& want, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Waits for the connection's end; the server's close code (0 if it closed
  // without one), or nullopt if still open after `timeout`.
  std::optional<int> WaitClosed(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Sends a text message.
  void Send(const std::string& text);
  // Messages received so far (read or not).
  size_t received() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace carecity::testing
