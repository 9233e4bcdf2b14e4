// Request metrics rendered as Prometheus text. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "core/histogram.h"
#include "db/store.h"

namespace carecity::http {

class Metrics {
 public:
  // Counts one request and its latency under its route pattern.
  void Observe(const std::string& route, const std::string& method, int status, double seconds);
  void ConnectionOpened() { ++connections_; }
  void ConnectionClosed() { --connections_; }
  int64_t connections() const { return connections_.load(); }
  // Open WebSockets (also counted as connections), and messages a slow
  // watcher never got because a newer one replaced them in its queue.
  void WebSocketOpened() { ++websockets_; }
  void WebSocketClosed() { --websockets_; }
  void WebSocketMessageDropped() { ++ws_dropped_; }
  int64_t websockets() const { return websockets_.load(); }

  // Prometheus text exposition; includes the store's queue depths and
  // group-commit batch sizes when `store` is given.
  std::string Render(const db::Store* store) const;

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // GUARDED_BY(mu_)
  std::map<std::string, std::unique_ptr<Histogram>> latency_;               // GUARDED_BY(mu_)
  std::atomic<int64_t> connections_{0};
  std::atomic<int64_t> websockets_{0};
  std::atomic<uint64_t> ws_dropped_{0};
};

}  // namespace carecity::http
