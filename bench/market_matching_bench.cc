// Times the market's read paths on a full-size catalogue: a need's ranked
// matches (GET /needs/{id}/matches: the newest 1000 approved listings scored
// with the village's evaluations and contracts), a project's "where it is
// wanted" (GET /projects/{id}/wanted: one listing over every open need, each
// village's inputs read once), and a village's public page (GET
// /villages/{id}/public: needs, contracts with their parts, payments).
// The App the routes call, on SQLite synchronous=FULL in a temp directory.
//
//   carecity_market_matching_bench [--projects N] [--needs N] [--repeat K]
//
// Prints each path's median and 99th percentile in ms, and the results' sizes.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "writer_bench_app.h"
#include "core/run_sync.h"
#include "domains/market/service.h"

namespace {

using namespace carecity;  // NOLINT

constexpr const char* kTypes[] = {"长者服务", "青少年", "残障支持", "家庭综合", "社区营造", "外来务工融入"};
constexpr const char* kGroups[] = {"独居长者", "高龄长者", "青少年", "残障人士", "家庭", "全体居民", "外来务工人员"};

struct Flags {
  int projects = 1000;
  int needs = 300;
  int repeat = 200;
};

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view name = argv[i];
    const int v = std::max(1, std::atoi(argv[i + 1]));
    if (name == "--projects") {
      f.projects = v;
    } else if (name == "--needs") {
      f.needs = v;
    } else if (name == "--repeat") {
      f.repeat = v;
    }
  }
  return f;
}

template <class F>
void Time(const char* what, int repeat, F run) {
  std::vector<double> ms;
  size_t size = 0;
  for (int i = 0; i < repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    size = run(i);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  fmt::print("{:<44} median {:7.2f} ms   p99 {:7.2f} ms   ({} results, {} runs)\n", what, ms[ms.size() / 2],
             ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], size, repeat);
}

}  // namespace

int main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  bench::WriterBenchApp wb([](Config&) {});
  app::App* app = wb.app();
  if (app == nullptr) {
    return 1;
  }
  market::MarketService& market = app->market();
  const int64_t now = wb.clock().NowMs();
  std::vector<std::string> need_ids;
  std::vector<std::string> project_ids;
  std::vector<int64_t> villages;
  auto seeded = db::WriteSync(app->store(), [&](db::Tx& tx) -> Result<bool> {
    std::vector<int64_t> orgs;
    constexpr const char* kRatings[] = {"5A", "4A", "3A"};
    for (int i = 0; i < 30; ++i) {
      orgs.push_back(tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ($1, $2, $3, 0) "
                              "RETURNING id",
                              {fmt::format("机构{}", i), fmt::format("91440605MA{:08}", i), kRatings[i % 3]})
                         .front()
                         .Int(0));
    }
    for (int i = 0; i < 12; ++i) {
      villages.push_back(tx.Query("INSERT INTO villages (name, kind, rural, collective_economy, created_at_ms) "
                                  "VALUES ($1, 'village', 1, 1, 0) RETURNING id",
                                  {fmt::format("村{}", i)})
                             .front()
                             .Int(0));
    }
    const int64_t actor = tx.Query("INSERT INTO users (display_name, phone, password_hash, created_at_ms, updated_at_ms) "
                                   "VALUES ('bench', '13900000000', 'x', 0, 0) RETURNING id")
                              .front()
                              .Int(0);
    for (int i = 0; i < flags.projects; ++i) {
      market::ProjectDraft d;
      d.title = fmt::format("服务项目{}", i);
      d.project_type = kTypes[i % std::size(kTypes)];
      d.target_group = kGroups[(i / 3) % std::size(kGroups)];
      d.price_kind = "range";
      d.price_min_fen = (10 + i % 80) * 100'000;
      d.price_max_fen = d.price_min_fen + (i % 5) * 500'000;
      d.duration_days = 180;
      d.description = "## 服务内容\n\n每月入户探访，建立台账。";
      d.indicators = {"满意度不低于 90%"};
      CC_ASSIGN_OR_RETURN(const int64_t id, market.CreateProjectTx(tx, actor, orgs[static_cast<size_t>(i) % orgs.size()],
                                                                    d, "bench", now - i));
      CC_TRY(market.ReviewProjectTx(tx, actor, id, true, "", "bench", now));
      project_ids.push_back(tx.Query("SELECT public_id FROM market_projects WHERE id = $1", {id}).front().Text(0));
    }
    for (int i = 0; i < flags.needs; ++i) {
      market::NeedDraft d;
      d.village_id = villages[static_cast<size_t>(i) % villages.size()];
      d.title = fmt::format("需求{}", i);
      d.project_type = kTypes[(i * 7) % std::size(kTypes)];
      d.target_group = kGroups[i % std::size(kGroups)];
      d.beneficiaries = 50;
      d.budget_min_fen = (20 + i % 40) * 100'000;
      d.budget_max_fen = d.budget_min_fen + 3'000'000;
      d.period_from_ms = now + 1;
      d.period_to_ms = now + 1000;
      d.source = "visits";
      CC_ASSIGN_OR_RETURN(const int64_t id, market.CreateNeedTx(tx, actor, d, "bench", now));
      need_ids.push_back(tx.Query("SELECT public_id FROM market_needs WHERE id = $1", {id}).front().Text(0));
    }
    return true;
  });
  if (!seeded.ok()) {
    fmt::print(stderr, "seed: {}\n", seeded.error().key);
    return 1;
  }
  fmt::print("catalogue: {} approved listings, {} open needs in {} villages (SQLite synchronous=FULL)\n",
             flags.projects, flags.needs, villages.size());
  Time("GET /needs/{id}/matches (rank the pool)", flags.repeat, [&](int i) {
    auto r = RunSync(market.Matches(need_ids[static_cast<size_t>(i) % need_ids.size()]));
    return r.ok() ? r->size() : 0;
  });
  Time("GET /projects/{id}/wanted (every open need)", flags.repeat, [&](int i) {
    auto r = RunSync(market.Wanted(std::nullopt, project_ids[static_cast<size_t>(i) % project_ids.size()]));
    return r.ok() ? r->size() : 0;
  });
  Time("GET /villages/{id}/public", flags.repeat, [&](int i) {
    auto r = RunSync(app->contracts().VillagePublic(villages[static_cast<size_t>(i) % villages.size()]));
    return r.ok() ? r->needs.size() : 0;
  });
  return 0;
}
