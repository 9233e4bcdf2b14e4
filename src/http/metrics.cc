#include "http/metrics.h"

#include <fmt/format.h>

namespace carecity::http {
namespace {

const std::vector<double>& LatencyBounds() {
  static const std::vector<double> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  return kBounds;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void RenderHistogram(std::string& out, const std::string& name, const std::string& labels, const Histogram& h) {
  uint64_t cumulative = 0;
  const std::string sep = labels.empty() ? "" : ",";
  for (size_t i = 0; i < h.bounds().size(); ++i) {
    cumulative += h.bucket(i);
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, h.bounds()[i], cumulative);
  }
  cumulative += h.bucket(h.bounds().size());
  out += fmt::format("{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, sep, cumulative);
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, braces, h.sum(), name, braces, h.count());
}

}  // namespace

void Metrics::Observe(const std::string& route, const std::string& method, int status, double seconds) {
  Histogram* h = nullptr;
  {
    std::lock_guard lock(mu_);
    ++requests_[{route, method, status}];
    auto& slot = latency_[route];
    if (!slot) {
      slot = std::make_unique<Histogram>(LatencyBounds());
    }
    h = slot.get();
  }
  h->Observe(seconds);  // histograms are never removed, so the pointer stays valid
}

std::string Metrics::Render(const db::Store* store) const {
  std::string out;
  out += "# HELP carecity_http_requests_total HTTP requests by route pattern, method and status.\n";
  out += "# TYPE carecity_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("carecity_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       Escape(route), method, status, n);
  }
  out += "# HELP carecity_http_request_duration_seconds Request latency by route pattern.\n";
  out += "# TYPE carecity_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    RenderHistogram(out, "carecity_http_request_duration_seconds", fmt::format("route=\"{}\"", Escape(route)), *h);
  }
  out += "# HELP carecity_http_connections Open client connections.\n# TYPE carecity_http_connections gauge\n";
  out += fmt::format("carecity_http_connections {}\n", connections_.load());
  out += "# HELP carecity_websockets_open Open WebSockets.\n# TYPE carecity_websockets_open gauge\n";
  out += fmt::format("carecity_websockets_open {}\n", websockets_.load());
  out += "# HELP carecity_websocket_messages_dropped_total Messages replaced by a newer one in a slow socket's queue.\n";
  out += "# TYPE carecity_websocket_messages_dropped_total counter\n";
  out += fmt::format("carecity_websocket_messages_dropped_total {}\n", ws_dropped_.load());
  if (store != nullptr) {
    const db::StoreStats s = store->Stats();
    out += "# HELP carecity_db_queue_depth Jobs waiting for a database connection.\n";
    out += "# TYPE carecity_db_queue_depth gauge\n";
    out += fmt::format("carecity_db_queue_depth{{queue=\"read\"}} {}\n", s.read_queue_depth);
    out += fmt::format("carecity_db_queue_depth{{queue=\"write\"}} {}\n", s.write_queue_depth);
    out += "# HELP carecity_db_commit_batch_size Write jobs committed per transaction (group commit).\n";
    out += "# TYPE carecity_db_commit_batch_size histogram\n";
    RenderHistogram(out, "carecity_db_commit_batch_size", "", store->batch_sizes());
  }
  return out;
}

}  // namespace carecity::http
