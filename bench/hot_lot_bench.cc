// The hot lot: BIDDERS bidders bidding on one lot for SECONDS seconds through
// the same service call the HTTP route makes (AuctionService::PlaceBid: the
// Idempotency-Key claim, the lot's row lock, the rules, the conditional
// update, the stored bid and the outbid notification), against a fresh
// SQLite store with synchronous=FULL, with no HTTP and no load client
// sharing the cores. Each bidder bids the minimum it last heard of (a
// refusal tells it the new one) plus a random 0..SPREAD-1 fen: with a small
// spread nearly every bid races for the same price and is refused; with a
// wide one most bids still clear the minimum when their turn comes (proxy
// bidding accepts a bid below the leader's maximum). Increments are 1 fen.
// Prints accepted and refused bids per second.
//   carecity_hot_lot_bench [BIDDERS] [SECONDS] [SPREAD]
#include <fmt/format.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <random>

#include "core/run_sync.h"
#include "writer_bench_app.h"

using namespace carecity;
namespace asio = boost::asio;

namespace {

struct Totals {
  std::atomic<int64_t> accepted{0};
  std::atomic<int64_t> refused{0};
  std::atomic<int64_t> failed{0};
  std::atomic<int> running{0};
  std::atomic<bool> stop{false};
};

asio::awaitable<void> Bidder(app::App& a, const accounts::Principal& p, std::string lot, int index, int spread,
                             Totals& t, asio::io_context& ctx) {
  std::mt19937 rng(static_cast<unsigned>(index));
  auction::Fen next_min = 1;
  for (int k = 0; !t.stop.load(); ++k) {
    const auction::Fen max = next_min + static_cast<auction::Fen>(rng() % static_cast<unsigned>(spread));
    std::string key = fmt::format("hot-{}-{}", index, k);
    std::string id = lot;
    auto r = co_await a.auction().PlaceBid(p, id, max, key);
    if (!r.ok()) {
      ++t.failed;
      continue;
    }
    if (r->accepted) {
      ++t.accepted;
      next_min = auction::MinimumBid(r->lot.rules, r->lot.state, p.user_id);
    } else {
      ++t.refused;
      next_min = r->min_fen;
    }
  }
  if (--t.running == 0) {
    ctx.stop();
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int bidders = argc > 1 ? std::atoi(argv[1]) : 200;
  const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
  const int spread = argc > 3 ? std::max(1, std::atoi(argv[3])) : 1000;
  bench::WriterBenchApp env([&](Config& c) {
    c.write_queue_limit = bidders * 4 + 100;
    c.rate_limits.enabled = false;
    c.auction.increments = "0:1";  // one fen a step: the price stays far from the bound for any run length
  });
  if (!env.app()) {
    return 1;
  }
  auto& a = *env.app();
  const int64_t now = env.clock().NowMs();
  // Two fund admins (maker and checker) and the bidders, straight into the database.
  std::vector<accounts::Principal> people;
  db::WriteSync(a.store(), [&](db::Tx& tx) {
    for (int i = 0; i < bidders + 2; ++i) {
      const std::string phone = fmt::format("139{:08}", i);
      std::vector<accounts::RoleGrant> roles;
      if (i < 2) {
        roles.push_back({accounts::Role::kFundAdmin});
      }
      auto id = a.accounts().EnsureUserTx(tx, accounts::Login{accounts::Login::Kind::kPhone, phone}, fmt::format("竞买人{}", i), "", roles,
                                          "bench.user");
      accounts::Principal p;
      p.user_id = id.ok() ? *id : 0;
      p.display_name = fmt::format("竞买人{}", i);
      p.roles = roles;
      people.push_back(p);
    }
    return true;
  });
  auction::NewLot in;
  in.title = "热门拍品";
  in.donor_name = "基准测试";
  in.starts_at_ms = now;
  in.ends_at_ms = now + 24 * kHourMs;
  in.start_price_fen = 1;
  auto lot = RunSync(a.auction().CreateLot(people[0], in, "bench"));
  if (!lot.ok() || !RunSync(a.auction().ApproveLot(people[1], lot->public_id, "bench")).ok()) {
    fmt::print(stderr, "could not create the lot\n");
    return 1;
  }
  asio::io_context ctx;
  Totals t;
  t.running = bidders;
  asio::steady_timer timer(ctx, std::chrono::seconds(seconds));
  timer.async_wait([&t](const boost::system::error_code&) { t.stop = true; });
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < bidders; ++i) {
    asio::co_spawn(ctx, Bidder(a, people[2 + i], lot->public_id, i, spread, t, ctx), asio::detached);
  }
  ctx.run();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto final_lot = RunSync(a.auction().GetLot(std::nullopt, lot->public_id));
  fmt::print("hot lot: {} bidders (spread {} fen) for {:.1f} s: {:.0f} accepted bids/s, {:.0f} refused/s ({} accepted, "
             "{} refused, {} failed; final price {} fen, bid_count {}), SQLite synchronous=FULL, no HTTP\n",
             bidders, spread, secs, t.accepted.load() / secs, t.refused.load() / secs, t.accepted.load(), t.refused.load(),
             t.failed.load(), final_lot.ok() ? final_lot->state.price_fen.value_or(0) : 0,
             final_lot.ok() ? final_lot->state.bid_count : 0);
  return t.failed.load() == 0 ? 0 : 1;
}
