// Times grants::Assign (src/domains/grants/assign.h) on a realistic random
// reviewer pool: 6 project types, reviewers with 1–3 tags, ~60% experts,
// load caps giving each kind 1.2–1.5× its seats, ~3% conflicted pairs, ~90%
// of reviewers available. Prints one line per run and the min / median.
//
//   grants_assign_bench [--apps N] [--reviewers N] [--experts-seats N]
//                       [--citizen-seats N] [--seed S] [--repeat K]
//
// Gate (docs/design-grants.md §7): under 1000 ms for 500 × 300 × (3+2).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "domains/grants/assign.h"

namespace {

namespace grants = carecity::grants;

constexpr double kExpertShare = 0.6;
constexpr double kAvailableShare = 0.9;
constexpr double kConflictShare = 0.03;
constexpr double kDeclinedShare = 0.005;
constexpr double kMinCapacityFactor = 1.2;
constexpr double kMaxCapacityFactor = 1.5;
constexpr double kCarriedLoadShare = 0.2;  // reviewers with seats from an earlier meeting
constexpr int kMaxTags = 3;
constexpr int kMaxCap = 50;  // the schema's CHECK

struct Flags {
  int apps = 500;
  int reviewers = 300;
  int expert_seats = 3;
  int citizen_seats = 2;
  uint64_t seed = 1;
  int repeat = 5;
};

void Usage() {
  std::fprintf(stderr,
               "usage: grants_assign_bench [--apps N] [--reviewers N] [--experts-seats N] "
               "[--citizen-seats N] [--seed S] [--repeat K]\n");
  std::exit(2);
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) {
      Usage();
    }
    const long long v = std::strtoll(argv[++i], nullptr, 10);
    if (v < 0) {
      Usage();
    }
    if (name == "--apps") {
      f.apps = static_cast<int>(v);
    } else if (name == "--reviewers") {
      f.reviewers = static_cast<int>(v);
    } else if (name == "--experts-seats") {
      f.expert_seats = static_cast<int>(v);
    } else if (name == "--citizen-seats") {
      f.citizen_seats = static_cast<int>(v);
    } else if (name == "--seed") {
      f.seed = static_cast<uint64_t>(v);
    } else if (name == "--repeat") {
      f.repeat = std::max(1, static_cast<int>(v));
    } else {
      Usage();
    }
  }
  return f;
}

grants::AssignInput MakePool(const Flags& f, uint64_t seed) {
  static const std::vector<std::string> kTypes = {"长者服务", "青少年", "残障支持", "家庭综合", "社区营造", "外来务工融入"};
  std::mt19937_64 rng(seed);
  auto chance = [&rng](double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p; };
  auto pick = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto rural = [&]() -> std::optional<bool> {
    const int x = pick(0, 19);
    if (x < 10) {
      return true;
    }
    if (x < 17) {
      return false;
    }
    return std::nullopt;
  };

  grants::AssignInput in;
  for (int a = 0; a < f.apps; ++a) {
    grants::AssignApplication app;
    app.id = 1000 + a;
    app.project_type = kTypes[static_cast<size_t>(pick(0, static_cast<int>(kTypes.size()) - 1))];
    app.need[0] = f.expert_seats;
    app.need[1] = f.citizen_seats;
    app.rural = rural();
    in.applications.push_back(app);
  }
  int count[grants::kReviewerKinds] = {0, 0};
  for (int r = 0; r < f.reviewers; ++r) {
    grants::AssignReviewer rev;
    rev.id = 50'000 + r;
    rev.kind = chance(kExpertShare) ? grants::ReviewerKind::kExpert : grants::ReviewerKind::kCitizen;
    ++count[static_cast<int>(rev.kind)];
    std::vector<std::string> types = kTypes;
    std::shuffle(types.begin(), types.end(), rng);
    types.resize(static_cast<size_t>(pick(1, kMaxTags)));
    rev.tags = types;
    rev.available = chance(kAvailableShare);
    if (rev.kind == grants::ReviewerKind::kCitizen) {
      rev.rural = chance(0.55);
    }
    in.reviewers.push_back(rev);
  }
  // Caps: each kind's capacity is factor × its seats, spread ±50% around the mean.
  for (int k = 0; k < grants::kReviewerKinds; ++k) {
    const int seats = f.apps * (k == 0 ? f.expert_seats : f.citizen_seats);
    const double factor = std::uniform_real_distribution<double>(kMinCapacityFactor, kMaxCapacityFactor)(rng);
    const double mean = count[k] > 0 ? factor * seats / count[k] : 0.0;
    for (grants::AssignReviewer& rev : in.reviewers) {
      if (static_cast<int>(rev.kind) != k) {
        continue;
      }
      const double cap = std::uniform_real_distribution<double>(0.5 * mean, 1.5 * mean)(rng);
      rev.load_cap = std::clamp(static_cast<int>(cap + 0.5), 1, kMaxCap);
      if (chance(kCarriedLoadShare)) {
        rev.load = pick(0, std::min(2, rev.load_cap));
      }
    }
  }
  for (const grants::AssignReviewer& rev : in.reviewers) {
    for (const grants::AssignApplication& app : in.applications) {
      if (chance(kConflictShare)) {
        in.exclusions.push_back({rev.id, app.id, grants::Exclusion::kConflict});
      } else if (chance(kDeclinedShare)) {
        in.exclusions.push_back({rev.id, app.id, grants::Exclusion::kDeclined});
      }
    }
  }
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  const Flags f = ParseFlags(argc, argv);
  std::vector<double> times;
  for (int run = 0; run < f.repeat; ++run) {
    const grants::AssignInput in = MakePool(f, f.seed);
    const auto start = std::chrono::steady_clock::now();
    const grants::AssignResult res = grants::Assign(in);
    const auto stop = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(stop - start).count();
    times.push_back(ms);
    int missing = 0;
    for (const grants::Shortfall& s : res.shortfalls) {
      missing += s.missing;
    }
    std::printf("apps=%d reviewers=%d seats=%d ms=%.1f cost=%lld shortfall=%d phases=%d\n", f.apps, f.reviewers,
                f.apps * (f.expert_seats + f.citizen_seats), ms, static_cast<long long>(res.cost), missing,
                res.phases);
  }
  std::sort(times.begin(), times.end());
  std::printf("min_ms=%.1f median_ms=%.1f runs=%d\n", times.front(), times[times.size() / 2], f.repeat);
  return 0;
}
