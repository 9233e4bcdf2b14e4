// Reviewer assignment (domains/grants/assign.h): hand-made cases, property
// tests against the brute force (assign_bruteforce.h) on 2,000 fixed seeds,
// and the optimality certificate on random 500 × 300 pools.
#include "domains/grants/assign.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "domains/grants/assign_bruteforce.h"

namespace carecity::grants {
namespace {

constexpr ReviewerKind kExpert = ReviewerKind::kExpert;
constexpr ReviewerKind kCitizen = ReviewerKind::kCitizen;
constexpr int kPropertySeeds = 2000;

AssignApplication App(int64_t id, std::string type, int experts, int citizens,
                      std::optional<bool> rural = std::nullopt) {
  AssignApplication a;
  a.id = id;
  a.project_type = std::move(type);
  a.need[0] = experts;
  a.need[1] = citizens;
  a.rural = rural;
  return a;
}

AssignReviewer Rev(int64_t id, ReviewerKind kind, std::vector<std::string> tags, int cap, int load = 0,
                   bool available = true, std::optional<bool> rural = std::nullopt) {
  AssignReviewer r;
  r.id = id;
  r.kind = kind;
  r.tags = std::move(tags);
  r.load_cap = cap;
  r.load = load;
  r.available = available;
  r.rural = rural;
  return r;
}

std::string Dump(const AssignResult& res) {
  std::ostringstream out;
  out << "cost=" << res.cost << " phases=" << res.phases << "\n";
  for (const Placement& p : res.assignments) {
    out << p.application_id << ' ' << p.reviewer_id << ' ' << KindText(p.kind) << ' ' << p.tag_match << ' '
        << p.village_match << ' ' << p.load_after << ' ' << p.cost << "\n";
  }
  for (const Shortfall& s : res.shortfalls) {
    out << "short " << s.application_id << ' ' << KindText(s.kind) << ' ' << s.missing << ' ' << s.reason << ' '
        << s.eligible << ' ' << s.conflicted << ' ' << s.unavailable << ' ' << s.untagged << ' ' << s.declined
        << ' ' << s.at_cap << "\n";
  }
  return out.str();
}

std::vector<int64_t> Reviewers(const AssignResult& res, int64_t app, ReviewerKind kind) {
  std::vector<int64_t> ids;
  for (const Placement& p : res.assignments) {
    if (p.application_id == app && p.kind == kind) {
      ids.push_back(p.reviewer_id);
    }
  }
  return ids;
}

// The reasons each (reviewer, application) pair is excluded for.
using ExclusionIndex = std::map<std::pair<int64_t, int64_t>, std::set<Exclusion>>;

// The shortfall of (app, kind) as the header defines it, counted naively.
// `seats_of`: new seats per reviewer id in the result.
Shortfall ExpectedShortfall(const AssignInput& in, const ExclusionIndex& excluded,
                            const std::map<int64_t, int>& seats_of, const AssignApplication& a, ReviewerKind kind,
                            int missing) {
  Shortfall s;
  s.application_id = a.id;
  s.kind = kind;
  s.missing = missing;
  for (const AssignReviewer& r : in.reviewers) {
    if (r.kind != kind) {
      continue;
    }
    auto has = [&](Exclusion why) {
      auto it = excluded.find({r.id, a.id});
      return it != excluded.end() && it->second.count(why) > 0;
    };
    if (has(Exclusion::kSeated)) {
      continue;
    }
    if (has(Exclusion::kConflict)) {
      ++s.conflicted;
    } else if (has(Exclusion::kDeclined)) {
      ++s.declined;
    } else if (!r.available) {
      ++s.unavailable;
    } else if (in.options.strict_tags[static_cast<int>(kind)] && !bruteforce::Tagged(r, a)) {
      ++s.untagged;
    } else {
      ++s.eligible;
      auto it = seats_of.find(r.id);
      const int seats = it == seats_of.end() ? 0 : it->second;
      if (r.load + seats >= r.load_cap) {
        ++s.at_cap;
      }
    }
  }
  if (s.eligible == 0) {
    s.reason = "no_eligible_reviewers";
  } else if (s.eligible < a.need[static_cast<int>(kind)]) {
    s.reason = "not_enough_eligible";
  } else {
    s.reason = "at_load_cap";
  }
  return s;
}

// Every hard rule, the per-seat fields, the ordering, the cost field and the
// shortfall list; returns "" when all hold.
std::string Violations(const AssignInput& in, const AssignResult& res) {
  std::ostringstream bad;
  ExclusionIndex excluded;
  for (const AssignExclusion& x : in.exclusions) {
    excluded[{x.reviewer_id, x.application_id}].insert(x.why);
  }
  std::map<int64_t, const AssignReviewer*> reviewer;
  for (const AssignReviewer& r : in.reviewers) {
    reviewer[r.id] = &r;
  }
  std::map<int64_t, const AssignApplication*> application;
  for (const AssignApplication& a : in.applications) {
    application[a.id] = &a;
  }
  std::map<int64_t, int> seats_of;
  std::map<std::pair<int64_t, int>, int> placed;
  std::set<std::pair<int64_t, int64_t>> pairs;
  for (const Placement& p : res.assignments) {
    if (reviewer.count(p.reviewer_id) == 0 || application.count(p.application_id) == 0) {
      bad << "unknown id in placement\n";
      continue;
    }
    const AssignReviewer* r = reviewer[p.reviewer_id];
    const AssignApplication* a = application[p.application_id];
    if (r->kind != p.kind) {
      bad << "wrong kind " << r->id << "\n";
    }
    if (!r->available) {
      bad << "unavailable reviewer " << r->id << " seated\n";
    }
    if (excluded.count({r->id, a->id}) > 0) {
      bad << "excluded pair " << r->id << "/" << a->id << " seated\n";
    }
    if (in.options.strict_tags[static_cast<int>(p.kind)] && !bruteforce::Tagged(*r, *a)) {
      bad << "untagged reviewer " << r->id << " seated on strict " << a->id << "\n";
    }
    if (!pairs.insert({r->id, a->id}).second) {
      bad << "reviewer " << r->id << " twice on " << a->id << "\n";
    }
    if (p.tag_match != bruteforce::Tagged(*r, *a) || p.village_match != bruteforce::Village(*r, *a)) {
      bad << "flags wrong on " << a->id << "/" << r->id << "\n";
    }
    const int64_t seat_cost =
        (p.tag_match ? 0 : kTagMismatchCost) - (p.village_match ? kVillageBonus : 0);
    if (p.cost != seat_cost) {
      bad << "seat cost wrong on " << a->id << "/" << r->id << "\n";
    }
    ++seats_of[r->id];
    ++placed[{a->id, static_cast<int>(p.kind)}];
  }
  for (const Placement& p : res.assignments) {
    const AssignReviewer* r = reviewer[p.reviewer_id];
    if (r != nullptr && p.load_after != r->load + seats_of[r->id]) {
      bad << "load_after wrong for " << r->id << "\n";
    }
  }
  for (const AssignReviewer& r : in.reviewers) {
    if (seats_of[r.id] > 0 && r.load + seats_of[r.id] > r.load_cap) {
      bad << "reviewer " << r.id << " over cap\n";
    }
  }
  if (!std::is_sorted(res.assignments.begin(), res.assignments.end(), [](const Placement& x, const Placement& y) {
        return std::tuple(x.application_id, static_cast<int>(x.kind), x.reviewer_id) <
               std::tuple(y.application_id, static_cast<int>(y.kind), y.reviewer_id);
      })) {
    bad << "assignments not sorted\n";
  }
  // Shortfalls: exactly the (application, kind) with empty seats, sorted.
  std::vector<Shortfall> want;
  std::vector<const AssignApplication*> apps;
  for (const AssignApplication& a : in.applications) {
    apps.push_back(&a);
  }
  std::sort(apps.begin(), apps.end(), [](const auto* x, const auto* y) { return x->id < y->id; });
  for (const AssignApplication* a : apps) {
    for (ReviewerKind k : {kExpert, kCitizen}) {
      const int got = placed[{a->id, static_cast<int>(k)}];
      if (got > a->need[static_cast<int>(k)]) {
        bad << "application " << a->id << " over need\n";
      }
      if (got < a->need[static_cast<int>(k)]) {
        want.push_back(ExpectedShortfall(in, excluded, seats_of, *a, k, a->need[static_cast<int>(k)] - got));
      }
    }
  }
  if (want != res.shortfalls) {
    bad << "shortfalls differ\n";
  }
  if (res.cost != bruteforce::Objective(in, res.assignments)) {
    bad << "cost field " << res.cost << " != objective " << bruteforce::Objective(in, res.assignments) << "\n";
  }
  return bad.str();
}

AssignInput Shuffled(AssignInput in, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::shuffle(in.applications.begin(), in.applications.end(), rng);
  std::shuffle(in.reviewers.begin(), in.reviewers.end(), rng);
  std::shuffle(in.exclusions.begin(), in.exclusions.end(), rng);
  for (AssignReviewer& r : in.reviewers) {
    std::shuffle(r.tags.begin(), r.tags.end(), rng);
  }
  return in;
}

// ---- Hand-made cases ----

TEST(AssignTest, EmptyPoolHasNothingToDo) {
  const AssignResult res = Assign(AssignInput{});
  EXPECT_TRUE(res.assignments.empty());
  EXPECT_TRUE(res.shortfalls.empty());
  EXPECT_EQ(res.cost, 0);
}

TEST(AssignTest, SoftTagKindPrefersTaggedReviewers) {
  AssignInput in;
  in.applications = {App(1, "长者服务", 0, 1)};
  in.reviewers = {Rev(10, kCitizen, {}, 5), Rev(11, kCitizen, {"长者服务"}, 5)};
  const AssignResult res = Assign(in);
  EXPECT_EQ(Reviewers(res, 1, kCitizen), std::vector<int64_t>{11});
  EXPECT_TRUE(res.assignments.at(0).tag_match);
  EXPECT_EQ(res.cost, kLoadCostUnit * 1);
  EXPECT_EQ(Violations(in, res), "");
}

TEST(AssignTest, SoftTagKindUsesAnUntaggedReviewerOnlyWhenNoTaggedOneCan) {
  AssignInput in;
  in.applications = {App(1, "青少年", 0, 1), App(2, "青少年", 0, 1)};
  in.reviewers = {Rev(10, kCitizen, {"青少年"}, 1), Rev(11, kCitizen, {"长者服务"}, 5)};
  const AssignResult res = Assign(in);
  ASSERT_EQ(res.assignments.size(), 2U);
  EXPECT_TRUE(res.shortfalls.empty());
  const int mismatches = static_cast<int>(std::count_if(res.assignments.begin(), res.assignments.end(),
                                                         [](const Placement& p) { return !p.tag_match; }));
  EXPECT_EQ(mismatches, 1);
  EXPECT_EQ(res.cost, kTagMismatchCost + 2 * kLoadCostUnit);
  EXPECT_EQ(Violations(in, res), "");
}

TEST(AssignTest, StrictTagKindLeavesTheSeatEmptyRatherThanSeatAnUntaggedExpert) {
  AssignInput in;
  in.applications = {App(1, "残障支持", 1, 0)};
  in.reviewers = {Rev(10, kExpert, {"青少年"}, 5), Rev(11, kExpert, {"家庭综合"}, 5)};
  const AssignResult res = Assign(in);
  EXPECT_TRUE(res.assignments.empty());
  ASSERT_EQ(res.shortfalls.size(), 1U);
  EXPECT_EQ(res.shortfalls[0].reason, "no_eligible_reviewers");
  EXPECT_EQ(res.shortfalls[0].untagged, 2);
  EXPECT_EQ(res.shortfalls[0].missing, 1);
  EXPECT_EQ(res.cost, kEmptySeatCost);

  in.options.strict_tags[0] = false;
  const AssignResult soft = Assign(in);
  EXPECT_EQ(soft.assignments.size(), 1U);
  EXPECT_TRUE(soft.shortfalls.empty());
  EXPECT_EQ(Violations(in, soft), "");
}

TEST(AssignTest, LoadIsSpreadEvenly) {
  AssignInput in;
  for (int64_t a = 1; a <= 6; ++a) {
    in.applications.push_back(App(a, "社区营造", 1, 0));
  }
  in.reviewers = {Rev(10, kExpert, {"社区营造"}, 10), Rev(11, kExpert, {"社区营造"}, 10),
                  Rev(12, kExpert, {"社区营造"}, 10)};
  const AssignResult res = Assign(in);
  std::map<int64_t, int> per;
  for (const Placement& p : res.assignments) {
    ++per[p.reviewer_id];
  }
  EXPECT_EQ(per, (std::map<int64_t, int>{{10, 2}, {11, 2}, {12, 2}}));
  EXPECT_EQ(res.cost, kLoadCostUnit * 3 * 4);
  EXPECT_EQ(Violations(in, res), "");
}

TEST(AssignTest, LoadFromEarlierMeetingsCountsTowardsEvenness) {
  AssignInput in;
  in.applications = {App(1, "社区营造", 1, 0), App(2, "社区营造", 1, 0)};
  in.reviewers = {Rev(10, kExpert, {"社区营造"}, 10, /*load=*/2), Rev(11, kExpert, {"社区营造"}, 10, /*load=*/0)};
  const AssignResult res = Assign(in);
  EXPECT_EQ(Reviewers(res, 1, kExpert), std::vector<int64_t>{11});
  EXPECT_EQ(Reviewers(res, 2, kExpert), std::vector<int64_t>{11});
  EXPECT_EQ(res.assignments.at(0).load_after, 2);
  EXPECT_EQ(res.cost, kLoadCostUnit * 4);  // 0 → 2 costs L·(4 − 0), cheaper than 2 → 3 plus 0 → 1
}

TEST(AssignTest, CapsAreNeverExceededAndFullReviewersExplainTheShortfall) {
  AssignInput in;
  in.applications = {App(1, "家庭综合", 2, 0), App(2, "家庭综合", 2, 0)};
  in.reviewers = {Rev(10, kExpert, {"家庭综合"}, 1), Rev(11, kExpert, {"家庭综合"}, 3, /*load=*/2)};
  const AssignResult res = Assign(in);
  EXPECT_EQ(res.assignments.size(), 2U);
  // Where the two empty seats fall is a tie the objective does not break.
  int missing = 0;
  for (const Shortfall& s : res.shortfalls) {
    missing += s.missing;
    EXPECT_EQ(s.reason, "at_load_cap");
    EXPECT_EQ(s.eligible, 2);
    EXPECT_EQ(s.at_cap, 2);
  }
  EXPECT_EQ(missing, 2);
  EXPECT_EQ(Violations(in, res), "");
}

TEST(AssignTest, ReviewerAlreadyOverCapGetsNothing) {
  AssignInput in;
  in.applications = {App(1, "家庭综合", 1, 0)};
  in.reviewers = {Rev(10, kExpert, {"家庭综合"}, 2, /*load=*/3)};
  const AssignResult res = Assign(in);
  EXPECT_TRUE(res.assignments.empty());
  ASSERT_EQ(res.shortfalls.size(), 1U);
  EXPECT_EQ(res.shortfalls[0].reason, "at_load_cap");
  EXPECT_EQ(res.shortfalls[0].at_cap, 1);
}

TEST(AssignTest, ExcludedPairsAndUnavailableReviewersGetNoSeat) {
  AssignInput in;
  in.applications = {App(1, "长者服务", 2, 1)};
  in.reviewers = {Rev(10, kExpert, {"长者服务"}, 5),        Rev(11, kExpert, {"长者服务"}, 5),
                  Rev(12, kExpert, {"长者服务"}, 5, 0, false), Rev(13, kExpert, {"长者服务"}, 5),
                  Rev(14, kCitizen, {"长者服务"}, 5),       Rev(15, kCitizen, {}, 5)};
  in.exclusions = {{10, 1, Exclusion::kConflict}, {11, 1, Exclusion::kDeclined}, {14, 1, Exclusion::kSeated}};
  const AssignResult res = Assign(in);
  EXPECT_EQ(Reviewers(res, 1, kExpert), std::vector<int64_t>{13});
  EXPECT_EQ(Reviewers(res, 1, kCitizen), std::vector<int64_t>{15});
  EXPECT_EQ(Violations(in, res), "");
}

TEST(AssignTest, ShortfallCountsEveryReviewerOnceByPrecedence) {
  AssignInput in;
  in.applications = {App(7, "残障支持", 3, 0)};
  in.reviewers = {
      Rev(1, kExpert, {"残障支持"}, 5),             // conflicted (and declined: conflict wins)
      Rev(2, kExpert, {"残障支持"}, 5),             // declined
      Rev(3, kExpert, {"残障支持"}, 5, 0, false),   // unavailable
      Rev(4, kExpert, {"青少年"}, 5),               // untagged (strict experts)
      Rev(5, kExpert, {"残障支持"}, 5),             // seated already: not counted
      Rev(6, kExpert, {"残障支持"}, 5),             // eligible, placed
      Rev(8, kCitizen, {"残障支持"}, 5),            // other kind: not counted
  };
  in.exclusions = {{1, 7, Exclusion::kConflict},
                   {1, 7, Exclusion::kDeclined},
                   {2, 7, Exclusion::kDeclined},
                   {5, 7, Exclusion::kSeated},
                   {99, 7, Exclusion::kConflict}};  // unknown reviewer: ignored
  const AssignResult res = Assign(in);
  EXPECT_EQ(Reviewers(res, 7, kExpert), std::vector<int64_t>{6});
  ASSERT_EQ(res.shortfalls.size(), 1U);
  const Shortfall& s = res.shortfalls[0];
  EXPECT_EQ(s.kind, kExpert);
  EXPECT_EQ(s.missing, 2);
  EXPECT_EQ(s.reason, "not_enough_eligible");
  EXPECT_EQ(s.eligible, 1);
  EXPECT_EQ(s.conflicted, 1);
  EXPECT_EQ(s.declined, 1);
  EXPECT_EQ(s.unavailable, 1);
  EXPECT_EQ(s.untagged, 1);
  EXPECT_EQ(s.at_cap, 0);
  EXPECT_EQ(Violations(in, res), "");
}

TEST(AssignTest, CitizenFromTheSameKindOfVillageIsPreferredOnATie) {
  AssignInput in;
  in.applications = {App(1, "外来务工融入", 0, 1, /*rural=*/true)};
  in.reviewers = {Rev(10, kCitizen, {"外来务工融入"}, 3, 0, true, /*rural=*/false),
                  Rev(11, kCitizen, {"外来务工融入"}, 3, 0, true, /*rural=*/true)};
  const AssignResult res = Assign(in);
  EXPECT_EQ(Reviewers(res, 1, kCitizen), std::vector<int64_t>{11});
  EXPECT_TRUE(res.assignments.at(0).village_match);
  EXPECT_EQ(res.cost, kLoadCostUnit - kVillageBonus);
}

TEST(AssignTest, VillageBonusNeverBeatsEvenLoad) {
  AssignInput in;
  in.applications = {App(1, "外来务工融入", 0, 1, /*rural=*/true)};
  in.reviewers = {Rev(10, kCitizen, {"外来务工融入"}, 3, /*load=*/0, true, /*rural=*/false),
                  Rev(11, kCitizen, {"外来务工融入"}, 3, /*load=*/1, true, /*rural=*/true)};
  const AssignResult res = Assign(in);
  EXPECT_EQ(Reviewers(res, 1, kCitizen), std::vector<int64_t>{10});
}

TEST(AssignTest, SameInputInAnyOrderGivesTheSameResult) {
  AssignInput in;
  for (int64_t a = 1; a <= 5; ++a) {
    in.applications.push_back(App(a * 3, a % 2 == 0 ? "青少年" : "长者服务", 2, 1, a % 3 == 0));
  }
  for (int64_t r = 1; r <= 8; ++r) {
    in.reviewers.push_back(Rev(100 + r, r % 3 == 0 ? kCitizen : kExpert, {"青少年", "长者服务"}, 2,
                               static_cast<int>(r % 2), true, r % 2 == 0));
  }
  in.exclusions = {{101, 3, Exclusion::kConflict}, {102, 6, Exclusion::kDeclined}};
  const AssignResult first = Assign(in);
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const AssignResult again = Assign(Shuffled(in, seed));
    EXPECT_EQ(Dump(again), Dump(first)) << "seed " << seed;
  }
  EXPECT_EQ(Violations(in, first), "");
}

TEST(AssignTest, InputOutsideTheBoundsIsNamed) {
  AssignInput in;
  in.applications = {App(1, "青少年", 1, 0), App(1, "青少年", 1, 0)};
  EXPECT_EQ(CheckAssignInput(in), "duplicate_application_id");
  in.applications = {App(1, "青少年", kMaxNeedPerKind + 1, 0)};
  EXPECT_EQ(CheckAssignInput(in), "need_out_of_range");
  in.applications = {App(1, "青少年", 1, 0)};
  in.reviewers = {Rev(1, kExpert, {}, kMaxLoadCap + 1)};
  EXPECT_EQ(CheckAssignInput(in), "load_cap_out_of_range");
  in.reviewers = {Rev(1, kExpert, {}, 3, -1)};
  EXPECT_EQ(CheckAssignInput(in), "load_out_of_range");
  in.reviewers = {Rev(1, kExpert, {}, 3), Rev(1, kCitizen, {}, 3)};
  EXPECT_EQ(CheckAssignInput(in), "duplicate_reviewer_id");
  in.reviewers = {Rev(1, kExpert, {}, 3)};
  EXPECT_EQ(CheckAssignInput(in), std::nullopt);
}

TEST(AssignTest, CertificateRejectsACostlierFlow) {
  // s=0 → 2 → t=1 costs 1, s → 3 → t costs 5; one unit.
  FlowNetwork net;
  net.nodes = 4;
  net.source = 0;
  net.sink = 1;
  net.demand = 1;
  net.arcs = {{0, 2, 1, 1, 0}, {2, 1, 1, 0, 0}, {0, 3, 1, 5, 0}, {3, 1, 1, 0, 0}};
  const FlowSolution best = SolveMinCostFlow(net);
  EXPECT_EQ(CertificateError(net, best), "");
  EXPECT_EQ(best.cost, 1);

  FlowSolution worse = best;
  worse.flow = {0, 0, 1, 1};
  worse.cost = 5;
  EXPECT_NE(CertificateError(net, worse), "");
  worse.potential = {0, 5, 1, 5};  // no potentials certify a non-optimal flow
  EXPECT_NE(CertificateError(net, worse), "");

  FlowSolution leaky = best;
  leaky.flow = {1, 0, 0, 0};
  EXPECT_NE(CertificateError(net, leaky), "");
}

TEST(AssignTest, ConvexArcChargesEachUnitMore) {
  // Two parallel routes s → 2 → t: a convex arc (1, 3, 5, …) and a flat one at 4.
  FlowNetwork net;
  net.nodes = 4;
  net.source = 0;
  net.sink = 1;
  net.demand = 4;
  net.arcs = {{0, 2, 4, 1, 2}, {2, 1, 4, 0, 0}, {0, 3, 4, 4, 0}, {3, 1, 4, 0, 0}};
  const FlowSolution sol = SolveMinCostFlow(net);
  EXPECT_EQ(CertificateError(net, sol), "");
  EXPECT_EQ(sol.cost, 1 + 3 + 4 + 4);
  EXPECT_EQ(sol.flow[0], 2);
}

// ---- Property tests against the brute force ----

// Up to 4 applications, 7 reviewers, 2 + 1 seats. `crowded`: one kind only,
// 2 seats of it per application and caps up to 4, to stress the load tier.
AssignInput RandomSmallPool(uint64_t seed, bool crowded) {
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto tri = [&]() -> std::optional<bool> {
    const int x = pick(0, 2);
    return x == 2 ? std::nullopt : std::optional<bool>(x == 1);
  };
  const std::vector<std::string> types = {"A", "B", "C", "D"};
  AssignInput in;
  in.options.strict_tags[0] = pick(0, 1) == 1;
  in.options.strict_tags[1] = pick(0, 1) == 1;
  std::vector<int64_t> ids(40);
  for (size_t i = 0; i < ids.size(); ++i) {
    ids[i] = static_cast<int64_t>(i) + 1;
  }
  std::shuffle(ids.begin(), ids.end(), rng);
  const int n_apps = pick(1, 4);
  const int n_reviewers = pick(1, 7);
  for (int a = 0; a < n_apps; ++a) {
    in.applications.push_back(App(ids[static_cast<size_t>(a)], types[static_cast<size_t>(pick(0, 2))],
                                  crowded ? 2 : pick(0, 2), crowded ? 0 : pick(0, 1), tri()));
  }
  for (int r = 0; r < n_reviewers; ++r) {
    std::vector<std::string> tags;
    for (const std::string& t : types) {
      if (pick(0, 2) == 0) {
        tags.push_back(t);
      }
    }
    const int cap = pick(0, crowded ? 4 : 3);
    const ReviewerKind kind = crowded || pick(0, 1) == 0 ? kExpert : kCitizen;
    in.reviewers.push_back(Rev(ids[static_cast<size_t>(20 + r)], kind, tags, cap, pick(0, 2), pick(0, 4) != 0, tri()));
  }
  for (const AssignReviewer& r : in.reviewers) {
    for (const AssignApplication& a : in.applications) {
      if (pick(0, 6) == 0) {
        in.exclusions.push_back({r.id, a.id, static_cast<Exclusion>(pick(0, 2))});
      }
    }
  }
  if (pick(0, 9) == 0) {
    in.exclusions.push_back({999, in.applications[0].id, Exclusion::kConflict});  // unknown reviewer
  }
  return in;
}

struct PropertyStats {
  int cases = 0;
  int with_shortfall = 0;
  int with_mismatch = 0;
};

// Every hard rule, the brute-force optimum, the cost field and order
// independence, for one pool under each of the four strict-tag settings.
void CheckAgainstBruteForce(AssignInput in, uint64_t seed, PropertyStats& stats) {
  ASSERT_EQ(CheckAssignInput(in), std::nullopt);
  for (int strict = 0; strict < 4; ++strict) {
    in.options.strict_tags[0] = (strict & 1) != 0;
    in.options.strict_tags[1] = (strict & 2) != 0;
    const AssignResult res = Assign(in);
    ASSERT_EQ(Violations(in, res), "") << "seed " << seed << " strict " << strict << "\n" << Dump(res);
    bruteforce::Search search(in);
    const int64_t best = search.Optimum();
    ASSERT_EQ(search.inconsistent_leaves(), 0) << "seed " << seed;
    ASSERT_EQ(res.cost, best) << "seed " << seed << " strict " << strict << "\n" << Dump(res);
    ASSERT_EQ(Dump(Assign(Shuffled(in, seed))), Dump(res)) << "seed " << seed << " strict " << strict;
    ++stats.cases;
    stats.with_shortfall += res.shortfalls.empty() ? 0 : 1;
    stats.with_mismatch += std::any_of(res.assignments.begin(), res.assignments.end(),
                                       [](const Placement& p) { return !p.tag_match; })
                               ? 1
                               : 0;
  }
}

TEST(AssignPropertyTest, MatchesTheBruteForceOptimumAndKeepsEveryRule) {
  PropertyStats stats;
  for (uint64_t seed = 1; seed <= kPropertySeeds; ++seed) {
    CheckAgainstBruteForce(RandomSmallPool(seed, /*crowded=*/false), seed, stats);
    if (HasFatalFailure()) {
      return;
    }
  }
  // The generator must exercise both the empty-seat and the mismatch tiers.
  EXPECT_GT(stats.with_shortfall, stats.cases / 10);
  EXPECT_GT(stats.with_mismatch, stats.cases / 20);
}

TEST(AssignPropertyTest, CrowdedSingleKindPoolsMatchTheBruteForce) {
  PropertyStats stats;
  for (uint64_t seed = 1; seed <= kPropertySeeds; ++seed) {
    CheckAgainstBruteForce(RandomSmallPool(seed, /*crowded=*/true), seed, stats);
    if (HasFatalFailure()) {
      return;
    }
  }
  EXPECT_GT(stats.with_shortfall, stats.cases / 10);
}

// ---- Big random pools: the optimality certificate ----

AssignInput RandomBigPool(uint64_t seed, int apps, int reviewers, int expert_seats, int citizen_seats) {
  const std::vector<std::string> types = {"长者服务", "青少年", "残障支持", "家庭综合", "社区营造", "外来务工融入"};
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  AssignInput in;
  for (int a = 0; a < apps; ++a) {
    in.applications.push_back(App(10'000 + a, types[static_cast<size_t>(pick(0, 5))], pick(0, expert_seats),
                                  pick(0, citizen_seats),
                                  pick(0, 2) == 2 ? std::nullopt : std::optional<bool>(pick(0, 1) == 1)));
  }
  for (int r = 0; r < reviewers; ++r) {
    std::vector<std::string> tags = types;
    std::shuffle(tags.begin(), tags.end(), rng);
    tags.resize(static_cast<size_t>(pick(1, 3)));
    const ReviewerKind kind = pick(0, 9) < 6 ? kExpert : kCitizen;
    // Tight caps so that some seats stay empty and reviewers saturate.
    in.reviewers.push_back(Rev(r + 1, kind, tags, pick(1, 10), pick(0, 2), pick(0, 9) != 0,
                               kind == kCitizen ? std::optional<bool>(pick(0, 1) == 1) : std::nullopt));
  }
  for (const AssignReviewer& r : in.reviewers) {
    for (const AssignApplication& a : in.applications) {
      if (pick(0, 99) < 3) {
        in.exclusions.push_back({r.id, a.id, static_cast<Exclusion>(pick(0, 2))});
      }
    }
  }
  return in;
}

void ExpectCertified(const AssignInput& in, uint64_t seed) {
  ASSERT_EQ(CheckAssignInput(in), std::nullopt);
  const AssignResult res = Assign(in);
  int64_t flow_cost = 0;
  for (ReviewerKind k : {kExpert, kCitizen}) {
    const FlowNetwork net = BuildNetwork(in, k);
    const FlowSolution sol = SolveMinCostFlow(net);
    EXPECT_EQ(CertificateError(net, sol), "") << "seed " << seed << " kind " << KindText(k);
    flow_cost += sol.cost;
  }
  EXPECT_EQ(res.cost, flow_cost) << "seed " << seed;
  EXPECT_EQ(Violations(in, res), "") << "seed " << seed;
  EXPECT_EQ(Dump(Assign(Shuffled(in, seed))), Dump(res)) << "seed " << seed;
}

TEST(AssignCertificateTest, RandomPoolsOf500By300AreCertifiedOptimal) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    ExpectCertified(RandomBigPool(seed, 500, 300, 3, 2), seed);
  }
}

TEST(AssignCertificateTest, PoolAtTheGuaranteedSizeIsCertifiedOptimal) {
  ExpectCertified(RandomBigPool(77, 2000, 1000, 6, 4), 77);
}

}  // namespace
}  // namespace carecity::grants
