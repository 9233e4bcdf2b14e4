// What the group-commit writer alone can do with event sign-ups: N sign-up
// transactions (the same EventsService::RegisterTx the HTTP route runs)
// submitted at once to a fresh SQLite store with synchronous=FULL, no HTTP.
// bench/flash_crowd.sh prints this next to the HTTP flash crowd's rate.
//   carecity_signup_writer_bench [N] [CAPACITY]
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>

#include "writer_bench_app.h"

using namespace carecity;

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int capacity = argc > 2 ? std::atoi(argv[2]) : 500;
  bench::WriterBenchApp env([&](Config& c) {
    c.write_queue_limit = n + 100;
    c.password_cost = PasswordCost{1, 8 * 1024};  // 20,000 sign-ups, not a password-cost benchmark
    c.allow_test_password_cost = true;
  });
  if (!env.app()) {
    return 1;
  }
  auto& a = *env.app();
  const Clock& clock = env.clock();
  std::vector<int64_t> users;
  int64_t event_id = 0;
  auto setup = db::WriteSync(a.store(), [&](db::Tx& tx) -> Status {
    const int64_t now = clock.NowMs();
    CC_ASSIGN_OR_RETURN(auto org, a.accounts().CreateOrgTx(tx, std::nullopt, {"博睿社工", "52440605MJL1001X2A", "5A"}, ""));
    const std::string hash = a.accounts().HashPasswordNow("password123");
    CC_ASSIGN_OR_RETURN(int64_t staff, a.accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, "13800000002"}, "社工", hash,
                                                          {accounts::RoleGrant{accounts::Role::kOrgStaff, org.id}}, ""));
    for (int i = 0; i < n; ++i) {
      CC_ASSIGN_OR_RETURN(int64_t u, a.accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, fmt::format("150{:08}", i)},
                                                                fmt::format("居民{}", i), hash, {}, ""));
      users.push_back(u);
    }
    events::NewEvent e;
    e.org_id = org.id;
    e.title = "抢位";
    e.type = "community";
    e.venue = events::Venue{0, "关爱桂城企业创享家", "桂城", ""};
    e.starts_at_ms = now + kDayMs;
    e.ends_at_ms = now + kDayMs + kHourMs;
    e.signup_opens_at_ms = now - kHourMs;
    e.signup_closes_at_ms = now + kDayMs - kHourMs;
    e.capacity = capacity;
    CC_ASSIGN_OR_RETURN(auto ev, a.events().CreateTx(tx, staff, e, now));
    event_id = ev.id;
    return {};
  });
  if (!setup.ok()) {
    fmt::print(stderr, "setup: {}\n", setup.error().key);
    return 1;
  }
  std::atomic<int> done{0}, confirmed{0}, failed{0};
  std::promise<void> all;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    const int64_t user = users[i];
    db::Job job{[&, user](db::Tx& tx) {
                  auto r = a.events().RegisterTx(tx, user, event_id, 1, {}, clock.NowMs());
                  if (r.ok() && r->status == "confirmed") {
                    ++confirmed;
                  }
                  if (!r.ok()) {
                    ++failed;
                  }
                  return r.ok();
                },
                [&](std::exception_ptr e) {
                  if (e) {
                    ++failed;
                  }
                  if (++done == n) {
                    all.set_value();
                  }
                }};
    if (!a.store().SubmitWrite(std::move(job))) {
      fmt::print(stderr, "queue full at {}\n", i);
      return 1;
    }
  }
  all.get_future().wait();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("writer: {} sign-up transactions in {:.2f} s = {:.0f}/s ({} confirmed, {} failed), SQLite synchronous=FULL\n", n,
             secs, n / secs, confirmed.load(), failed.load());
  return failed.load() == 0 && confirmed.load() == capacity ? 0 : 1;
}
