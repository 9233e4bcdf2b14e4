// What the group-commit writer alone can do with donations: N donations
// through the same service calls the HTTP routes make — FundService::Donate
// (the donation, then its order at the sandbox), the sandbox marking its
// order paid, and the signed notification confirmed by
// PaymentsService::HandleNotify (ledger entry, receipt) — from CONCURRENCY
// donors at once, against a fresh SQLite store with synchronous=FULL, with
// no HTTP and no load client sharing the cores. Four write transactions per
// donation, as over HTTP. bench/donation_surge.sh prints this next to the
// HTTP surge's rate: the ceiling the HTTP figure is measured against.
//   carecity_donation_writer_bench [N] [CONCURRENCY]
#include <fmt/format.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>

#include "writer_bench_app.h"

using namespace carecity;
namespace asio = boost::asio;

namespace {

struct Totals {
  std::atomic<int> next{0};
  std::atomic<int> confirmed{0};
  std::atomic<int> failed{0};
  std::atomic<int> running{0};
};

asio::awaitable<void> Donor(app::App& a, const Clock& clock, int n, Totals& t, asio::io_context& ctx) {
  for (int i = t.next++; i < n; i = t.next++) {
    fund::DonationInput in;
    in.amount_fen = 1000 + i % 50000;
    in.anonymous = i % 3 == 0;
    auto created = co_await a.fund().Donate(std::nullopt, "", in, fmt::format("bench-{:08}", i));
    if (!created.ok()) {
      ++t.failed;
      continue;
    }
    const std::string trade_no = created->payment.out_trade_no;
    auto paid = co_await a.payments().sandbox()->PayOrder(trade_no);
    if (!paid.ok()) {
      ++t.failed;
      continue;
    }
    // The notification the sandbox would post, handed over without HTTP.
    const std::string body = boost::json::serialize(boost::json::object{
        {"out_trade_no", trade_no}, {"transaction_id", "SBX" + trade_no}, {"trade_state", "SUCCESS"},
        {"amount_fen", in.amount_fen}, {"fee_fen", 0}, {"paid_at_ms", clock.NowMs()}});
    const std::string ts = std::to_string(clock.NowMs());
    const std::string sig = a.payments().sandbox()->Sign(ts, "bench", body);
    const payments::HeaderLookup header = [&](std::string_view name) -> std::string_view {
      if (name == "x-sandbox-timestamp") {
        return ts;
      }
      if (name == "x-sandbox-nonce") {
        return "bench";
      }
      return name == "x-sandbox-signature" ? std::string_view(sig) : std::string_view();
    };
    auto outcome = co_await a.payments().HandleNotify("sandbox", body, header);
    if (outcome.ok() && *outcome == payments::ConfirmOutcome::kCredited) {
      ++t.confirmed;
    } else {
      ++t.failed;
    }
  }
  if (--t.running == 0) {
    ctx.stop();  // the sandbox's own (deferred) deliveries are still waiting
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int concurrency = argc > 2 ? std::atoi(argv[2]) : 256;
  bench::WriterBenchApp env([&](Config& c) {
    c.write_queue_limit = concurrency * 4 + 100;
    // The bench posts each notification itself; the sandbox's own delivery
    // waits an hour, which is after the end.
    c.sandbox.enabled = true;
    c.sandbox.notify_delay_ms = 3600 * 1000;
    c.rate_limits.enabled = false;  // as the HTTP surge runs (CARECITY_RATE_LIMITS=off)
  });
  if (!env.app()) {
    return 1;
  }
  auto& a = *env.app();
  const Clock& clock = env.clock();
  asio::io_context ctx;
  Totals t;
  t.running = concurrency;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < concurrency; ++i) {
    asio::co_spawn(ctx, Donor(a, clock, n, t, ctx), asio::detached);
  }
  ctx.run();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("writer: {} donations in {:.2f} s = {:.0f} confirmed/s ({} confirmed, {} failed; {} donors at once), "
             "4 write transactions each, SQLite synchronous=FULL, no HTTP\n",
             n, secs, t.confirmed.load() / secs, t.confirmed.load(), t.failed.load(), concurrency);
  return t.failed.load() == 0 && t.confirmed.load() == n ? 0 : 1;
}
