// The live channel's fan-out: one server (the real http::Server, hub and
// topic route), WATCHERS WebSocket clients on one topic, and a publisher
// sending RATE states a second for SECONDS. Each state carries its send time
// (steady clock, same process); every watcher records the delay to its
// arrival. Prints delivery latency p50/p99/max, deliveries/s and how many
// states slow sockets coalesced away. With DB_URL = postgresql://… the hub
// is PostgreSQL's (each state goes out as NOTIFY and comes back on LISTEN).
//   carecity_ws_fanout [WATCHERS=1000] [RATE=20] [SECONDS=10] [DB_URL]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "live/hub.h"
#include "live/topic_route.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch()).count();
}

struct Results {
  std::mutex mu;
  std::vector<double> latency_ms;  // GUARDED_BY(mu)
  std::atomic<int> connected{0};
  std::atomic<int> failed{0};
  std::atomic<int64_t> received{0};
};

// "seq t_us" → latency of one arrival.
asio::awaitable<void> Watcher(tcp::endpoint ep, Results& results, std::atomic<bool>& done) {
  websocket::stream<beast::tcp_stream> ws(co_await asio::this_coro::executor);
  try {
    co_await beast::get_lowest_layer(ws).async_connect(ep, asio::use_awaitable);
    beast::get_lowest_layer(ws).expires_never();
    const std::string host = "127.0.0.1:" + std::to_string(ep.port());
    const std::string target = "/ws/bench/lot";
    co_await ws.async_handshake(host, target, asio::use_awaitable);
  } catch (const std::exception&) {
    ++results.failed;
    co_return;
  }
  ++results.connected;
  beast::flat_buffer buffer;
  std::vector<double> mine;
  while (!done) {
    auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
    if (ec) {
      break;
    }
    const int64_t now = NowUs();
    const std::string msg = beast::buffers_to_string(buffer.data());
    buffer.consume(buffer.size());
    const auto space = msg.find(' ');
    if (space == std::string::npos) {
      continue;  // the snapshot
    }
    const int64_t sent = std::stoll(msg.substr(space + 1));
    mine.push_back(static_cast<double>(now - sent) / 1000.0);
    ++results.received;
  }
  std::lock_guard lock(results.mu);
  results.latency_ms.insert(results.latency_ms.end(), mine.begin(), mine.end());
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) {
    return 0;
  }
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  const int watchers = argc > 1 ? std::stoi(argv[1]) : 1000;
  const int rate = argc > 2 ? std::stoi(argv[2]) : 20;
  const int seconds = argc > 3 ? std::stoi(argv[3]) : 10;
  const std::string db_url = argc > 4 ? argv[4] : "sqlite:unused";

  // Each watcher is two descriptors here (client and server side).
  rlimit nofile{};
  getrlimit(RLIMIT_NOFILE, &nofile);
  nofile.rlim_cur = nofile.rlim_max;
  setrlimit(RLIMIT_NOFILE, &nofile);
  getrlimit(RLIMIT_NOFILE, &nofile);
  if (nofile.rlim_cur < static_cast<rlim_t>(2 * watchers + 100)) {
    fmt::print(stderr, "ulimit -n is {}: too low for {} watchers\n", nofile.rlim_cur, watchers);
    return 1;
  }

  auto hub = carecity::live::OpenHub(db_url);
  if (!hub.ok()) {
    fmt::print(stderr, "hub: {}\n", hub.error().detail);
    return 1;
  }
  carecity::http::Router router;
  carecity::live::AddTopicRoute(
      router, **hub, "/ws/bench/{id}", [](std::string_view id) { return "bench." + std::string(id); },
      [](std::string, const carecity::http::Request&) -> asio::awaitable<carecity::Result<std::string>> {
        co_return std::string("snapshot");
      });
  carecity::http::Metrics metrics;
  carecity::http::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 1;  // the other core runs the watchers
  options.access_log = "off";
  carecity::http::Server server(options, router, metrics, nullptr);
  const std::string url = server.Listen();
  std::thread server_thread([&server] { server.Run(false); });
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"),
                         static_cast<unsigned short>(std::stoi(url.substr(url.rfind(':') + 1))));

  Results results;
  std::atomic<bool> done{false};
  asio::io_context clients(1);
  for (int i = 0; i < watchers; ++i) {
    asio::co_spawn(clients, Watcher(ep, results, done), asio::detached);
  }
  std::thread client_thread([&clients] { clients.run(); });
  const auto connect_start = Clock::now();
  while (results.connected + results.failed < watchers && Clock::now() - connect_start < std::chrono::seconds(60)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Every watcher subscribed (the subscription precedes the snapshot).
  while ((*hub)->subscribers() < static_cast<size_t>(results.connected.load())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  fmt::print("watchers: {} connected ({} failed) in {:.2f} s; ulimit -n {}\n", results.connected.load(),
             results.failed.load(), std::chrono::duration<double>(Clock::now() - connect_start).count(),
             nofile.rlim_cur);

  const auto period = std::chrono::microseconds(1'000'000 / std::max(1, rate));
  const int total = rate * seconds;
  const auto start = Clock::now();
  for (int i = 0; i < total; ++i) {
    std::this_thread::sleep_until(start + period * i);
    (*hub)->Publish("bench.lot", fmt::format("{} {}", i, NowUs()));
  }
  const int64_t expected = static_cast<int64_t>(total) * results.connected.load();
  const auto drain_until = Clock::now() + std::chrono::seconds(5);
  while (results.received.load() < expected && Clock::now() < drain_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  done = true;
  server.Stop();
  server_thread.join();
  client_thread.join();

  std::vector<double> lat = std::move(results.latency_ms);
  const double p50 = Percentile(lat, 0.50);
  const double p99 = Percentile(lat, 0.99);
  const double max = lat.empty() ? 0 : *std::max_element(lat.begin(), lat.end());
  fmt::print("published {} states at {}/s for {} s on the {} hub\n", total, rate, seconds,
             db_url.rfind("postgres", 0) == 0 ? "PostgreSQL" : "in-process");
  fmt::print("delivered {} of {} ({} coalesced away by slow sockets), {:.0f} messages/s\n", lat.size(), expected,
             expected - static_cast<int64_t>(lat.size()), static_cast<double>(lat.size()) / elapsed);
  fmt::print("delivery latency ms: p50 {:.2f}  p99 {:.2f}  max {:.2f}  (target p99 < 100)\n", p50, p99, max);
  return p99 < 100.0 ? 0 : 2;
}
