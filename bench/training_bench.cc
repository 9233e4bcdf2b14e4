// Times 党员社工培育's read paths at a district's scale, through the same
// services the routes call: a big class's progress table (GET
// /training/classes/{id}/progress: every trainee's attendance, practice,
// volunteer time and assessment), the outcomes dashboard (GET
// /training/dashboard), the reception rooms' month (GET /reception/stats and
// a village's visit log) and a talent-pool search (GET /talent).
// The App on SQLite synchronous=FULL in a temp directory.
//
//   carecity_training_bench [--villages N] [--members N] [--trainees N] [--visits N] [--repeat K]
//
// --members is per village; --trainees sit in one class of 8 sessions, all
// checked in, with practice, a passed quiz and a certificate; half of them
// join the talent pool. Prints each path's median and 99th percentile in ms.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/run_sync.h"
#include "db/await.h"
#include "domains/reception/repo.h"
#include "domains/training/outcomes.h"
#include "writer_bench_app.h"

namespace {

using namespace carecity;  // NOLINT

constexpr const char* kCategories[] = {"elderly", "medical", "housing", "employment",
                                       "dispute", "environment", "policy", "other"};
constexpr const char* kSkills[] = {"长者探访", "个案工作", "小组工作", "社区活动", "需求评估", "儿童青少年"};

struct Flags {
  int villages = 20;
  int members = 30;
  int trainees = 200;
  int visits = 3000;
  int repeat = 100;
};

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view name = argv[i];
    const int v = std::max(1, std::atoi(argv[i + 1]));
    if (name == "--villages") {
      f.villages = v;
    } else if (name == "--members") {
      f.members = v;
    } else if (name == "--trainees") {
      f.trainees = v;
    } else if (name == "--visits") {
      f.visits = v;
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
  fmt::print("{:<46} median {:7.2f} ms   p99 {:7.2f} ms   ({} results, {} runs)\n", what, ms[ms.size() / 2],
             ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], size, repeat);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags = ParseFlags(argc, argv);
  flags.trainees = std::min(flags.trainees, std::min(500, flags.villages * flags.members));
  bench::WriterBenchApp wb([](Config&) {});
  app::App* app = wb.app();
  if (app == nullptr) {
    return 1;
  }
  const int64_t now = wb.clock().NowMs();
  accounts::Principal admin;
  int64_t class_id = 0;
  std::vector<int64_t> villages;
  const auto t_seed = std::chrono::steady_clock::now();
  auto seeded = db::WriteSync(app->store(), [&](db::Tx& tx) -> Result<bool> {
    const auto user = [&](const std::string& name, const std::string& phone) {
      return tx.Query("INSERT INTO users (display_name, phone, password_hash, created_at_ms, updated_at_ms) "
                      "VALUES ($1, $2, 'x', 0, 0) RETURNING id",
                      {name, phone})
          .front()
          .Int(0);
    };
    const int64_t trainer = user("培训师", "13700000000");
    admin.user_id = trainer;
    admin.roles.push_back(accounts::RoleGrant{accounts::Role::kPlatformAdmin});
    const int64_t org = tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ('启创', "
                                 "'91440605MA00000001', '5A', 0) RETURNING id")
                            .front()
                            .Int(0);
    const int64_t venue =
        tx.Query("INSERT INTO venues (name, address, created_at_ms) VALUES ('党群服务中心', '桂城', 0) RETURNING id")
            .front()
            .Int(0);
    std::vector<int64_t> members;
    for (int v = 0; v < flags.villages; ++v) {
      villages.push_back(tx.Query("INSERT INTO villages (name, kind, rural, collective_economy, created_at_ms) "
                                  "VALUES ($1, 'village', 1, 1, 0) RETURNING id",
                                  {fmt::format("村{:02}", v)})
                             .front()
                             .Int(0));
      for (int m = 0; m < flags.members; ++m) {
        const int64_t id = user(fmt::format("党员{}-{}", v, m), fmt::format("139{:08}", v * 1000 + m));
        training::repo::UpsertMember(tx, id, villages.back(), m == 0, trainer, now - 400 * kDayMs);
        members.push_back(id);
      }
    }
    auto& training = app->training();
    training::Programme prog;
    prog.title = "党员社工基础班";
    prog.modules = {"居民需求挖掘", "个案工作方法"};
    prog.rules = {75, 16, 60};
    prog.certificate_level = "党员社工（初级）";
    prog.valid_years = 3;
    CC_ASSIGN_OR_RETURN(prog.id, training.CreateProgrammeTx(tx, trainer, prog, "bench", now - 200 * kDayMs));
    training::ClassDraft c;
    c.programme_id = prog.id;
    c.title = "全街道党员社工基础班";
    c.org_id = org;
    c.venue_id = venue;
    c.capacity = 500;
    c.village_ids = villages;
    for (int s = 0; s < 8; ++s) {
      const int64_t start = now - (90 - 7 * s) * kDayMs;
      c.sessions.push_back(training::SessionDraft{start, start + 2 * 3600 * 1000, prog.modules[s % 2]});
    }
    c.quiz = {training::Question{"个案工作的第一步是？", {"接案", "结案"}, {0}, false}};
    CC_ASSIGN_OR_RETURN(class_id, training.CreateClassTx(tx, trainer, c, "bench", now - 120 * kDayMs));
    std::vector<int64_t> trainees(members.begin(), members.begin() + flags.trainees);
    for (const int64_t t : trainees) {
      CC_TRY(training.EnrolTx(tx, class_id, t, trainer, now - 100 * kDayMs));
    }
    const auto sessions = tx.Query("SELECT s.event_id, e.starts_at_ms FROM training_sessions s JOIN events e ON "
                                   "e.id = s.event_id WHERE s.class_id = $1 ORDER BY s.seq",
                                   {class_id});
    for (size_t s = 0; s < sessions.size(); ++s) {
      const auto tickets = tx.Query("SELECT ticket_code FROM event_registrations WHERE event_id = $1",
                                    {sessions[s].Int(0)});
      for (size_t k = 0; k < tickets.size(); ++k) {
        CC_TRY(app->events().CheckInTx(tx, trainer, sessions[s].Int(0), {tickets[k].Text(0), std::nullopt, std::nullopt},
                                       sessions[s].Int(1) + 600'000));
      }
    }
    for (const int64_t t : trainees) {
      for (int k = 0; k < 3; ++k) {
        training::PracticeDraft d{"home_visit", now - (80 - 10 * k) * kDayMs, 360, "村里", "casework", "探访", std::nullopt};
        CC_ASSIGN_OR_RETURN(training::Practice p, training.LogPracticeTx(tx, t, d, d.date_ms + 1000));
        training::repo::DecidePractice(tx, p.id, "confirmed", "", trainer, d.date_ms + kDayMs);
      }
      training::repo::InsertQuizAttempt(tx, class_id, t, 100, "[]", now - 50 * kDayMs);
    }
    CC_ASSIGN_OR_RETURN(const training::IssueResult issued,
                        training.IssueTx(tx, trainer, class_id, trainees, "bench", now - 30 * kDayMs));
    if (issued.issued.size() != trainees.size()) {
      return Error::Internal(fmt::format("only {} of {} certified", issued.issued.size(), trainees.size()));
    }
    for (size_t i = 0; i < trainees.size(); i += 2) {
      accounts::Principal p;
      p.user_id = trainees[i];
      CC_TRY(app->talent().JoinTx(tx, p,
                                  {{kSkills[i % std::size(kSkills)], kSkills[(i + 1) % std::size(kSkills)]},
                                   {villages[(i / static_cast<size_t>(flags.members)) % villages.size()]},
                                   "周末",
                                   ""},
                                  "bench", now - 20 * kDayMs));
    }
    // A reception room per village, its first two members on duty; visits
    // over the last 60 days.
    std::vector<int64_t> rooms;
    for (int v = 0; v < flags.villages; ++v) {
      reception::Room r;
      r.village_id = villages[static_cast<size_t>(v)];
      r.name = fmt::format("村{:02}党员接待室", v);
      rooms.push_back(reception::repo::InsertRoom(tx, r, trainer, now - 200 * kDayMs));
      for (int m = 0; m < 2; ++m) {
        reception::repo::AddDutyIfMember(tx, rooms.back(), members[static_cast<size_t>(v * flags.members + m)], m + 1);
      }
    }
    for (int i = 0; i < flags.visits; ++i) {
      const int v = i % flags.villages;
      accounts::Principal p;
      p.user_id = members[static_cast<size_t>(v * flags.members + i % 2)];
      reception::VisitDraft d;
      d.room_id = rooms[static_cast<size_t>(v)];
      d.category = kCategories[i % std::size(kCategories)];
      d.summary = "居民反映的问题";
      d.consent_name_phone = i % 3 == 0;
      if (d.consent_name_phone) {
        d.resident_name = "陈伯";
        d.resident_phone = "13912345678";
      }
      const int64_t at = now - (i * 60LL * kDayMs) / flags.visits;
      d.visited_at_ms = at;
      CC_TRY(app->reception().RecordVisitTx(tx, p, d, at));
    }
    return true;
  });
  if (!seeded.ok()) {
    fmt::print(stderr, "seed: {} {}\n", seeded.error().key, seeded.error().detail);
    return 1;
  }
  fmt::print("{} villages × {} party members; one class of {} trainees × 8 sessions (all checked in, certified); "
             "{} in the talent pool; {} reception visits over 60 days (seeded in {:.1f} s, SQLite synchronous=FULL)\n",
             flags.villages, flags.members, flags.trainees, (flags.trainees + 1) / 2, flags.visits,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - t_seed).count());
  auto& training = app->training();
  Time("GET /training/classes/{id}/progress (all)", flags.repeat, [&](int) {
    auto r = RunSync(training.ProgressOf(admin, class_id));
    return r.ok() ? r->size() : 0;
  });
  Time("GET /training/dashboard", flags.repeat, [&](int) {
    auto r = RunSync(db::ReadTx(app->store(), [&](db::Tx& tx) -> Result<training::Outcomes> {
      return training::LoadOutcomesTx(tx, wb.clock().NowMs());
    }));
    return r.ok() ? r->villages.size() : 0;
  });
  const std::string month = reception::MonthOf(now);
  Time("GET /reception/stats?month= (every room)", flags.repeat, [&](int) {
    auto r = RunSync(app->reception().MonthStats(admin, month, std::nullopt));
    return r.ok() ? r->rooms.size() : 0;
  });
  Time("GET /reception/visits?village_id= (≤200)", flags.repeat, [&](int i) {
    auto r = RunSync(app->reception().Visits(admin, std::nullopt, villages[static_cast<size_t>(i) % villages.size()],
                                             std::nullopt));
    return r.ok() ? r->size() : 0;
  });
  Time("GET /talent (no filter, ≤100)", flags.repeat, [&](int) {
    auto r = RunSync(app->talent().Search(admin, {}));
    return r.ok() ? r->size() : 0;
  });
  Time("GET /talent?skill=", flags.repeat, [&](int i) {
    talent::SearchQuery q;
    q.skill = kSkills[static_cast<size_t>(i) % std::size(kSkills)];
    auto r = RunSync(app->talent().Search(admin, q));
    return r.ok() ? r->size() : 0;
  });
  return 0;
}
