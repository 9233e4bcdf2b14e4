// The load generator of the crowd benchmarks: registers accounts over HTTP
// (each registration logs the account in), has each open the page it is
// about to act on, then has every account act at once over CONNS keep-alive
// connections and prints the rate and latency percentiles of that last
// phase. wrk cannot stop after a fixed number of distinct requests, nor keep
// per-account state, hence this small Beast client. Scenarios:
//   carecity_flash_crowd HOST PORT signup EVENT_ID N CONNS
//     events flash crowd: N accounts sign up for one event at once
//   carecity_flash_crowd HOST PORT shop PRODUCT_ID N CONNS VENUE_ID
//     shop flash sale: N accounts check out one unit of one product (with an
//     Idempotency-Key, pickup at VENUE_ID); a 409 shop.sold_out is an answer
//   carecity_flash_crowd HOST PORT bid LOT_ID BIDDERS SECONDS [SPREAD]
//     hot lot: BIDDERS accounts, one connection each, bid on one lot for
//     SECONDS; each bids the minimum it last heard of plus 0..SPREAD-1 fen
// Exit status 0 when every request of the last phase got an expected answer.
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
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/memory.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using HttpRequest = bhttp::request<bhttp::string_body>;
using HttpResponse = bhttp::response<bhttp::string_body>;

namespace {

// One phase of requests. With `seconds` 0 the connections share requests
// 0..n-1 (request i on connection i % conns); otherwise connection c sends
// requests for account c until the time is up. make(i, k) builds account i's
// k-th request of the phase; on_response sees it answered.
struct Phase {
  int n = 0;
  int conns = 0;
  double seconds = 0;
  std::function<HttpRequest(int i, int k)> make;
  std::function<void(int i, const HttpResponse&)> on_response;
  std::vector<std::vector<double>> latency_ms;  // per connection: no locking between I/O threads
  std::atomic<int> errors{0};
};

asio::awaitable<void> Worker(tcp::endpoint ep, Phase& phase, int first, Clock::time_point deadline) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  bool connected = false;
  beast::flat_buffer buffer;
  const bool timed = phase.seconds > 0;
  for (int i = first, k = 0; timed ? Clock::now() < deadline : i < phase.n; i += timed ? 0 : phase.conns, ++k) {
    try {
      if (!connected) {
        co_await stream.async_connect(ep, asio::use_awaitable);
        connected = true;
      }
      auto req = phase.make(i, k);
      const auto t0 = Clock::now();
      co_await bhttp::async_write(stream, req, asio::use_awaitable);
      HttpResponse res;
      co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
      phase.latency_ms[first].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
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
  phase.latency_ms.assign(phase.conns, {});
  asio::io_context io;
  const auto t0 = Clock::now();
  const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(phase.seconds));
  for (int c = 0; c < phase.conns; ++c) {
    asio::co_spawn(io, Worker(ep, phase, c, deadline), asio::detached);
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&io] { io.run(); });
  }
  for (auto& t : pool) {
    t.join();
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double Percentile(const Phase& phase, double p) {
  std::vector<double> v;
  for (const auto& c : phase.latency_ms) {
    v.insert(v.end(), c.begin(), c.end());
  }
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

std::string ErrorCode(const HttpResponse& res) {
  json::error_code ec;
  const json::value v = json::parse(res.body(), ec);
  const json::value* code = ec ? nullptr : v.find_pointer("/error/code", ec);
  return code != nullptr && code->is_string() ? std::string(code->get_string()) : "";
}

int64_t IntAt(const json::value& v, const char* pointer, int64_t fallback) {
  json::error_code ec;
  const json::value* x = v.find_pointer(pointer, ec);
  return x != nullptr && x->is_int64() ? x->get_int64() : fallback;
}

class Crowd {
 public:
  Crowd(std::string host, tcp::endpoint ep) : host_(std::move(host)), ep_(ep) {}

  // Registers n accounts (phones 152xxxxxxxx) and keeps their sessions.
  bool Register(int n) {
    tokens_.assign(n, "");
    Phase reg;
    reg.n = n;
    reg.conns = std::min(n, 64);
    reg.make = [&](int i, int) {
      return Post("/api/v1/auth/register",
                  fmt::format(R"({{"phone":"152{:08}","password":"password123","display_name":"居民{}",)"
                              R"("consent_version":"2026-12"}})",
                              i, i),
                  -1);
    };
    std::atomic<int> registered{0};
    reg.on_response = [&](int i, const HttpResponse& res) {
      for (const auto& h : res) {
        if (h.name() == bhttp::field::set_cookie) {
          const std::string v(h.value());
          const auto start = v.find("cc_session=");
          if (start != std::string::npos) {
            tokens_[i] = v.substr(start + 11, v.find(';', start) - start - 11);
            ++registered;
          }
        }
      }
    };
    const double secs = Run(ep_, reg, 2);
    fmt::print("accounts: {} registered (and logged in) in {:.1f} s\n", registered.load(), secs);
    return registered.load() == n;
  }

  // Every account opens `target` once with its session (as a phone has the
  // page open before the sale starts).
  bool Look(const std::string& target, const char* what) {
    const int n = static_cast<int>(tokens_.size());
    Phase look;
    look.n = n;
    look.conns = std::min(n, 64);
    look.make = [&](int i, int) {
      HttpRequest r{bhttp::verb::get, target, 11};
      r.set(bhttp::field::host, host_);
      r.set(bhttp::field::cookie, "cc_session=" + tokens_[i]);
      return r;
    };
    std::atomic<int> looked{0};
    look.on_response = [&](int, const HttpResponse& res) { looked += res.result_int() == 200; };
    const double secs = Run(ep_, look, 2);
    fmt::print("{}: opened by {} accounts in {:.1f} s\n", what, looked.load(), secs);
    return looked.load() == n;
  }

  // A JSON POST as account i (i < 0: no session).
  HttpRequest Post(const std::string& target, std::string body, int i) const {
    HttpRequest r{bhttp::verb::post, target, 11};
    r.set(bhttp::field::host, host_);
    r.set(bhttp::field::content_type, "application/json");
    if (i >= 0) {
      r.set(bhttp::field::cookie, "cc_session=" + tokens_[i]);
    }
    r.body() = std::move(body);
    r.prepare_payload();
    return r;
  }

  const tcp::endpoint& endpoint() const { return ep_; }

 private:
  std::string host_;
  tcp::endpoint ep_;
  std::vector<std::string> tokens_;
};

int Signup(Crowd& crowd, const std::string& event, int n, int conns) {
  if (!crowd.Register(n) || !crowd.Look("/api/v1/events/" + event, "event page")) {
    return 1;
  }
  Phase phase;
  phase.n = n;
  phase.conns = conns;
  const std::string target = "/api/v1/events/" + event + "/registrations";
  phase.make = [&](int i, int) { return crowd.Post(target, R"({"seats":1})", i); };
  std::atomic<int> created{0}, refused{0};
  phase.on_response = [&](int, const HttpResponse& res) { (res.result_int() == 201 ? created : refused)++; };
  const double secs = Run(crowd.endpoint(), phase, 2);
  fmt::print("http: {:.0f} sign-ups/s ({} answered 201, {} refused, {} transport errors, in {:.2f} s on {} connections); "
             "p50 {:.2f} ms p99 {:.2f} ms\n",
             created.load() / secs, created.load(), refused.load(), phase.errors.load(), secs, conns,
             Percentile(phase, 50), Percentile(phase, 99));
  return created.load() == n ? 0 : 1;
}

int Shop(Crowd& crowd, const std::string& product, int n, int conns, const std::string& venue) {
  if (!crowd.Register(n) || !crowd.Look("/api/v1/shop/products/" + product, "product page")) {
    return 1;
  }
  Phase phase;
  phase.n = n;
  phase.conns = conns;
  const std::string body = fmt::format(
      R"({{"items":[{{"product_id":"{}","quantity":1}}],"fulfilment":{{"kind":"pickup","venue_id":{}}}}})", product, venue);
  phase.make = [&](int i, int) {
    auto r = crowd.Post("/api/v1/shop/orders", body, i);
    r.set("Idempotency-Key", fmt::format("flash-sale-{:08}", i));
    return r;
  };
  std::atomic<int> ordered{0}, sold_out{0}, other{0};
  phase.on_response = [&](int, const HttpResponse& res) {
    if (res.result_int() == 201) {
      ++ordered;
    } else if (res.result_int() == 409 && ErrorCode(res) == "shop.sold_out") {
      ++sold_out;
    } else {
      ++other;
    }
  };
  const double secs = Run(crowd.endpoint(), phase, 2);
  fmt::print("http: {:.0f} checkouts answered/s, {:.0f} orders/s ({} orders 201, {} shop.sold_out 409, {} other answers, "
             "{} transport errors, in {:.2f} s on {} connections); p50 {:.2f} ms p99 {:.2f} ms\n",
             (ordered.load() + sold_out.load()) / secs, ordered.load() / secs, ordered.load(), sold_out.load(),
             other.load(), phase.errors.load(), secs, conns, Percentile(phase, 50), Percentile(phase, 99));
  return ordered.load() + sold_out.load() == n ? 0 : 1;
}

int Bid(Crowd& crowd, const std::string& lot, int bidders, double seconds, int spread) {
  if (!crowd.Register(bidders) || !crowd.Look("/api/v1/auction/lots/" + lot, "lot page")) {
    return 1;
  }
  // Per bidder (= per connection, so no locking): the minimum it last heard
  // of and its own last maximum.
  std::vector<int64_t> next_min(bidders, 1), last_max(bidders, 0);
  std::vector<std::mt19937> rng;
  for (int i = 0; i < bidders; ++i) {
    rng.emplace_back(static_cast<unsigned>(i));
  }
  Phase phase;
  phase.n = bidders;
  phase.conns = bidders;
  phase.seconds = seconds;
  const std::string target = "/api/v1/auction/lots/" + lot + "/bids";
  phase.make = [&](int i, int k) {
    last_max[i] = next_min[i] + static_cast<int64_t>(rng[i]() % static_cast<unsigned>(spread));
    auto r = crowd.Post(target, fmt::format(R"({{"max_fen":{}}})", last_max[i]), i);
    r.set("Idempotency-Key", fmt::format("hot-lot-{}-{}", i, k));
    return r;
  };
  std::atomic<int64_t> accepted{0}, refused{0}, other{0};
  phase.on_response = [&](int i, const HttpResponse& res) {
    json::error_code ec;
    const json::value v = json::parse(res.body(), ec);
    if (res.result_int() == 201 && !ec) {
      ++accepted;
      const json::value* lead = v.find_pointer("/leading", ec);
      const bool leading = lead != nullptr && lead->is_bool() && lead->get_bool();
      next_min[i] = leading ? last_max[i] + 1 : IntAt(v, "/lot/price_fen", last_max[i]) + 1;
    } else if ((res.result_int() == 422 || res.result_int() == 409) && !ec && v.find_pointer("/error/min_fen", ec)) {
      ++refused;
      next_min[i] = IntAt(v, "/error/min_fen", next_min[i] + 1);
    } else {
      ++other;
    }
  };
  const double secs = Run(crowd.endpoint(), phase, 2);
  const double decided = static_cast<double>(accepted.load() + refused.load());
  fmt::print("http: {} bidders (spread {} fen) for {:.1f} s: {:.0f} decided bids/s, {:.0f} accepted/s, {:.0f} refused/s "
             "({} accepted, {} refused, {} other answers, {} transport errors); p50 {:.2f} ms p99 {:.2f} ms\n",
             bidders, spread, secs, decided / secs, accepted.load() / secs, refused.load() / secs, accepted.load(),
             refused.load(), other.load(), phase.errors.load(), Percentile(phase, 50), Percentile(phase, 99));
  return other.load() == 0 && phase.errors.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  carecity::TuneAllocator();  // the load generator shares the 2 cores: keep it cheap too
  const std::string usage =
      "usage: carecity_flash_crowd HOST PORT signup EVENT_ID N CONNS\n"
      "       carecity_flash_crowd HOST PORT shop PRODUCT_ID N CONNS VENUE_ID\n"
      "       carecity_flash_crowd HOST PORT bid LOT_ID BIDDERS SECONDS [SPREAD]\n";
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 6) {
    fmt::print(stderr, "{}", usage);
    return 2;
  }
  const std::string& host = args[0];
  Crowd crowd(host, tcp::endpoint(asio::ip::make_address(host), static_cast<unsigned short>(std::stoi(args[1]))));
  const std::string& scenario = args[2];
  if (scenario == "signup" && args.size() == 6) {
    return Signup(crowd, args[3], std::stoi(args[4]), std::stoi(args[5]));
  }
  if (scenario == "shop" && args.size() == 7) {
    return Shop(crowd, args[3], std::stoi(args[4]), std::stoi(args[5]), args[6]);
  }
  if (scenario == "bid" && args.size() >= 6) {
    return Bid(crowd, args[3], std::stoi(args[4]), std::stod(args[5]), args.size() > 6 ? std::max(1, std::stoi(args[6])) : 1000);
  }
  fmt::print(stderr, "{}", usage);
  return 2;
}
