// The flash crowd's load generator: registers N accounts over HTTP (each
// registration logs the account in), has each open the event's page, then
// has every account sign up for one event at once, over CONNS keep-alive connections, and prints
// sign-ups/s and latency percentiles. wrk cannot stop after a fixed number
// of distinct requests, hence this small Beast client.
//   carecity_flash_crowd HOST PORT EVENT_ID N CONNS
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/memory.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Phase {
  int n = 0;
  int conns = 0;
  std::function<bhttp::request<bhttp::string_body>(int)> make;
  std::function<void(int, const bhttp::response<bhttp::string_body>&)> on_response;
  std::vector<double> latency_ms;
  std::atomic<int> errors{0};
};

asio::awaitable<void> Worker(tcp::endpoint ep, Phase& phase, int first) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  bool connected = false;
  beast::flat_buffer buffer;
  for (int i = first; i < phase.n; i += phase.conns) {
    try {
      if (!connected) {
        co_await stream.async_connect(ep, asio::use_awaitable);
        connected = true;
      }
      auto req = phase.make(i);
      const auto t0 = Clock::now();
      co_await bhttp::async_write(stream, req, asio::use_awaitable);
      bhttp::response<bhttp::string_body> res;
      co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
      phase.latency_ms[i] = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      phase.on_response(i, res);
      if (!res.keep_alive()) {
        stream.close();
        connected = false;
      }
    } catch (const std::exception&) {
      ++phase.errors;
      stream.close();
      connected = false;
    }
  }
}

double Run(tcp::endpoint ep, Phase& phase, int threads) {
  phase.latency_ms.assign(phase.n, 0);
  asio::io_context io;
  for (int c = 0; c < phase.conns; ++c) {
    asio::co_spawn(io, Worker(ep, phase, c), asio::detached);
  }
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&io] { io.run(); });
  }
  for (auto& t : pool) {
    t.join();
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

int main(int argc, char** argv) {
  carecity::TuneAllocator();  // the load generator shares the 2 cores: keep it cheap too
  if (argc != 6) {
    fmt::print(stderr, "usage: carecity_flash_crowd HOST PORT EVENT_ID N CONNS\n");
    return 2;
  }
  const std::string host = argv[1];
  const tcp::endpoint ep(asio::ip::make_address(host), static_cast<unsigned short>(std::stoi(argv[2])));
  const std::string event = argv[3];
  const int n = std::stoi(argv[4]);
  const int conns = std::stoi(argv[5]);
  std::vector<std::string> tokens(n);

  Phase reg;
  reg.n = n;
  reg.conns = 64;
  reg.make = [&](int i) {
    bhttp::request<bhttp::string_body> r{bhttp::verb::post, "/api/v1/auth/register", 11};
    r.set(bhttp::field::host, host);
    r.set(bhttp::field::content_type, "application/json");
    r.body() = fmt::format(
        R"({{"phone":"152{:08}","password":"password123","display_name":"居民{}","consent_version":"2026-12"}})", i, i);
    r.prepare_payload();
    return r;
  };
  std::atomic<int> registered{0};
  reg.on_response = [&](int i, const bhttp::response<bhttp::string_body>& res) {
    for (const auto& h : res) {
      if (h.name() == bhttp::field::set_cookie) {
        const std::string v(h.value());
        const auto start = v.find("cc_session=");
        if (start != std::string::npos) {
          tokens[i] = v.substr(start + 11, v.find(';', start) - start - 11);
          ++registered;
        }
      }
    }
  };
  const double reg_secs = Run(ep, reg, 2);
  fmt::print("accounts: {} registered (and logged in) in {:.1f} s\n", registered.load(), reg_secs);
  if (registered.load() != n) {
    return 1;
  }

  // Everyone has the event open on their phone (the page asks for the event
  // and their own registration, with their session) before sign-up opens.
  Phase look;
  look.n = n;
  look.conns = 64;
  look.make = [&](int i) {
    bhttp::request<bhttp::string_body> r{bhttp::verb::get, "/api/v1/events/" + event, 11};
    r.set(bhttp::field::host, host);
    r.set(bhttp::field::cookie, "cc_session=" + tokens[i]);
    return r;
  };
  std::atomic<int> looked{0};
  look.on_response = [&](int, const bhttp::response<bhttp::string_body>& res) { looked += res.result_int() == 200; };
  const double look_secs = Run(ep, look, 2);
  fmt::print("event page: opened by {} accounts in {:.1f} s\n", looked.load(), look_secs);
  if (looked.load() != n) {
    return 1;
  }

  Phase crowd;
  crowd.n = n;
  crowd.conns = conns;
  crowd.make = [&](int i) {
    bhttp::request<bhttp::string_body> r{bhttp::verb::post, "/api/v1/events/" + event + "/registrations", 11};
    r.set(bhttp::field::host, host);
    r.set(bhttp::field::content_type, "application/json");
    r.set(bhttp::field::cookie, "cc_session=" + tokens[i]);
    r.body() = R"({"seats":1})";
    r.prepare_payload();
    return r;
  };
  std::atomic<int> created{0}, refused{0};
  crowd.on_response = [&](int, const bhttp::response<bhttp::string_body>& res) {
    (res.result_int() == 201 ? created : refused)++;
  };
  const double secs = Run(ep, crowd, 2);
  fmt::print("http: {:.0f} sign-ups/s ({} answered 201, {} refused, {} transport errors, in {:.2f} s on {} connections); "
             "p50 {:.2f} ms p99 {:.2f} ms\n",
             created.load() / secs, created.load(), refused.load(), crowd.errors.load(), secs, conns,
             Percentile(crowd.latency_ms, 50), Percentile(crowd.latency_ms, 99));
  return created.load() == n ? 0 : 1;
}
