// Reviewer assignment as two independent min-cost flows (assign.h,
// docs/design-grants.md §3). The solver is the primal–dual form of
// successive shortest paths: potentials start feasible (Bellman–Ford, which
// absorbs the negative village bonus), each phase runs one Dijkstra on
// reduced costs that stops at the sink, raises every potential by
// min(dist, dist(sink)) — which keeps all reduced costs non-negative and makes
// every shortest path zero-cost — and then pushes a Dinic blocking flow over
// the zero-reduced-cost arcs, so one phase moves many units.
#include "domains/grants/assign.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <exception>
#include <functional>
#include <limits>
#include <queue>
#include <thread>
#include <tuple>
#include <utility>

namespace carecity::grants {
namespace {

constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
constexpr int kSourceNode = 0;
constexpr int kSinkNode = 1;
constexpr int kFirstInnerNode = 2;
// Below this many candidate (reviewer, application) pairs a second thread
// costs more than it saves.
constexpr int64_t kParallelPairThreshold = 20'000;

int KindIndex(ReviewerKind k) { return static_cast<int>(k); }

uint8_t ExclusionBit(Exclusion why) { return static_cast<uint8_t>(1U << static_cast<unsigned>(why)); }

// Where a reviewer of the right kind stands towards one application; the
// order is the precedence used to count shortfalls (assign.h, Shortfall).
enum class Standing { kSeated, kConflicted, kDeclined, kUnavailable, kUntagged, kEligible };

// The input, sorted by id and indexed, with project types as small ints.
struct Pool {
  std::vector<const AssignApplication*> apps;      // sorted by id
  std::vector<const AssignReviewer*> reviewers;    // sorted by id
  std::vector<int> app_type;                       // per app: type id
  std::vector<std::vector<int>> reviewer_types;    // per reviewer: sorted, unique type ids
  std::vector<std::vector<std::pair<int, uint8_t>>> excluded;  // per reviewer: (app index, reason bits), sorted
  AssignOptions options;
};

Pool MakePool(const AssignInput& in) {
  Pool p;
  p.options = in.options;
  p.apps.reserve(in.applications.size());
  for (const AssignApplication& a : in.applications) {
    p.apps.push_back(&a);
  }
  std::sort(p.apps.begin(), p.apps.end(), [](const auto* x, const auto* y) { return x->id < y->id; });
  p.reviewers.reserve(in.reviewers.size());
  for (const AssignReviewer& r : in.reviewers) {
    p.reviewers.push_back(&r);
  }
  std::sort(p.reviewers.begin(), p.reviewers.end(), [](const auto* x, const auto* y) { return x->id < y->id; });

  std::vector<std::string> types;
  types.reserve(p.apps.size());
  for (const AssignApplication* a : p.apps) {
    types.push_back(a->project_type);
  }
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  auto type_of = [&types](const std::string& t) {
    auto it = std::lower_bound(types.begin(), types.end(), t);
    return (it != types.end() && *it == t) ? static_cast<int>(it - types.begin()) : -1;
  };
  p.app_type.reserve(p.apps.size());
  for (const AssignApplication* a : p.apps) {
    p.app_type.push_back(type_of(a->project_type));
  }
  p.reviewer_types.resize(p.reviewers.size());
  for (size_t r = 0; r < p.reviewers.size(); ++r) {
    for (const std::string& tag : p.reviewers[r]->tags) {
      if (int t = type_of(tag); t >= 0) {
        p.reviewer_types[r].push_back(t);
      }
    }
    std::sort(p.reviewer_types[r].begin(), p.reviewer_types[r].end());
    p.reviewer_types[r].erase(std::unique(p.reviewer_types[r].begin(), p.reviewer_types[r].end()),
                              p.reviewer_types[r].end());
  }

  auto app_index = [&p](int64_t id) {
    auto it = std::lower_bound(p.apps.begin(), p.apps.end(), id, [](const auto* a, int64_t v) { return a->id < v; });
    return (it != p.apps.end() && (*it)->id == id) ? static_cast<int>(it - p.apps.begin()) : -1;
  };
  auto reviewer_index = [&p](int64_t id) {
    auto it = std::lower_bound(p.reviewers.begin(), p.reviewers.end(), id,
                               [](const auto* r, int64_t v) { return r->id < v; });
    return (it != p.reviewers.end() && (*it)->id == id) ? static_cast<int>(it - p.reviewers.begin()) : -1;
  };
  p.excluded.resize(p.reviewers.size());
  for (const AssignExclusion& x : in.exclusions) {
    const int r = reviewer_index(x.reviewer_id);
    const int a = app_index(x.application_id);
    if (r >= 0 && a >= 0) {
      p.excluded[static_cast<size_t>(r)].emplace_back(a, ExclusionBit(x.why));
    }
  }
  for (auto& list : p.excluded) {
    std::sort(list.begin(), list.end());
    // Merge the reason bits of repeated pairs.
    std::vector<std::pair<int, uint8_t>> merged;
    for (const auto& [a, bits] : list) {
      if (!merged.empty() && merged.back().first == a) {
        merged.back().second = static_cast<uint8_t>(merged.back().second | bits);
      } else {
        merged.emplace_back(a, bits);
      }
    }
    list = std::move(merged);
  }
  return p;
}

bool HasTag(const Pool& p, size_t r, size_t a) {
  const int t = p.app_type[a];
  return t >= 0 && std::binary_search(p.reviewer_types[r].begin(), p.reviewer_types[r].end(), t);
}

bool VillageMatch(const Pool& p, size_t r, size_t a) {
  const AssignReviewer& rev = *p.reviewers[r];
  const AssignApplication& app = *p.apps[a];
  return rev.kind == ReviewerKind::kCitizen && rev.rural.has_value() && app.rural.has_value() &&
         *rev.rural == *app.rural;
}

// `bits`: the reason bits of the exclusions naming (r, a).
Standing StandingOf(const Pool& p, size_t r, size_t a, uint8_t bits) {
  if ((bits & ExclusionBit(Exclusion::kSeated)) != 0) {
    return Standing::kSeated;
  }
  if ((bits & ExclusionBit(Exclusion::kConflict)) != 0) {
    return Standing::kConflicted;
  }
  if ((bits & ExclusionBit(Exclusion::kDeclined)) != 0) {
    return Standing::kDeclined;
  }
  if (!p.reviewers[r]->available) {
    return Standing::kUnavailable;
  }
  if (p.options.strict_tags[KindIndex(p.reviewers[r]->kind)] && !HasTag(p, r, a)) {
    return Standing::kUntagged;
  }
  return Standing::kEligible;
}

int Need(const Pool& p, size_t a, ReviewerKind k) { return std::max(0, p.apps[a]->need[KindIndex(k)]); }

int Spare(const AssignReviewer& r) { return std::max(0, r.load_cap - std::max(0, r.load)); }

int64_t SeatCost(bool tag_match, bool village_match) {
  return (tag_match ? 0 : kTagMismatchCost) - (village_match ? kVillageBonus : 0);
}

enum class ArcRole : uint8_t { kLoad, kSeat, kDemand, kShortfall };

// One kind's network and what each arc means.
struct KindProblem {
  ReviewerKind kind = ReviewerKind::kExpert;
  FlowNetwork net;
  std::vector<ArcRole> role;   // per arc
  std::vector<int> reviewer;   // per arc: reviewer index or -1
  std::vector<int> app;        // per arc: application index or -1
};

KindProblem BuildKind(const Pool& p, ReviewerKind kind) {
  KindProblem kp;
  kp.kind = kind;
  const bool strict = p.options.strict_tags[KindIndex(kind)];
  const size_t n_apps = p.apps.size();

  std::vector<int> app_node(n_apps, -1);
  // Reviewer nodes first (only those that can take a seat), then apps.
  struct Seats {
    size_t reviewer;
    std::vector<int> apps;
  };
  std::vector<Seats> seats;
  std::vector<uint8_t> bits(n_apps, 0);
  for (size_t r = 0; r < p.reviewers.size(); ++r) {
    const AssignReviewer& rev = *p.reviewers[r];
    if (rev.kind != kind || !rev.available || Spare(rev) == 0) {
      continue;
    }
    for (const auto& [a, b] : p.excluded[r]) {
      bits[static_cast<size_t>(a)] = b;
    }
    Seats s{r, {}};
    for (size_t a = 0; a < n_apps; ++a) {
      if (Need(p, a, kind) == 0 || bits[a] != 0) {
        continue;
      }
      if (strict && !HasTag(p, r, a)) {
        continue;
      }
      s.apps.push_back(static_cast<int>(a));
    }
    for (const auto& [a, b] : p.excluded[r]) {
      bits[static_cast<size_t>(a)] = 0;
    }
    if (!s.apps.empty()) {
      seats.push_back(std::move(s));
    }
  }
  int next = kFirstInnerNode + static_cast<int>(seats.size());
  for (size_t a = 0; a < n_apps; ++a) {
    if (Need(p, a, kind) > 0) {
      app_node[a] = next++;
    }
  }
  FlowNetwork& net = kp.net;
  net.nodes = next;
  net.source = kSourceNode;
  net.sink = kSinkNode;
  auto add = [&kp](FlowArc arc, ArcRole role, int r, int a) {
    kp.net.arcs.push_back(arc);
    kp.role.push_back(role);
    kp.reviewer.push_back(r);
    kp.app.push_back(a);
  };
  for (size_t i = 0; i < seats.size(); ++i) {
    const AssignReviewer& rev = *p.reviewers[seats[i].reviewer];
    const int64_t load = std::max(0, rev.load);
    // Unit j costs L·(2·(load + j) − 1): the total is L·(final² − load²).
    add(FlowArc{kSourceNode, kFirstInnerNode + static_cast<int>(i), Spare(rev), kLoadCostUnit * (2 * load + 1),
                2 * kLoadCostUnit},
        ArcRole::kLoad, static_cast<int>(seats[i].reviewer), -1);
  }
  for (size_t i = 0; i < seats.size(); ++i) {
    const size_t r = seats[i].reviewer;
    for (int a : seats[i].apps) {
      const auto ua = static_cast<size_t>(a);
      add(FlowArc{kFirstInnerNode + static_cast<int>(i), app_node[ua], 1,
                  SeatCost(HasTag(p, r, ua), VillageMatch(p, r, ua)), 0},
          ArcRole::kSeat, static_cast<int>(r), a);
    }
  }
  for (size_t a = 0; a < n_apps; ++a) {
    if (app_node[a] >= 0) {
      const int need = Need(p, a, kind);
      net.demand += need;
      add(FlowArc{app_node[a], kSinkNode, need, 0, 0}, ArcRole::kDemand, -1, static_cast<int>(a));
    }
  }
  for (size_t a = 0; a < n_apps; ++a) {
    if (app_node[a] >= 0) {
      add(FlowArc{kSourceNode, app_node[a], Need(p, a, kind), kEmptySeatCost, 0}, ArcRole::kShortfall, -1,
          static_cast<int>(a));
    }
  }
  return kp;
}

// Primal–dual min-cost flow over the residual graph. Residual edge e is arc
// e/2 forward (e even) or backward (e odd).
class Solver {
 public:
  explicit Solver(const FlowNetwork& net) : net_(net) {
    const size_t n = static_cast<size_t>(net.nodes);
    const size_t m = net.arcs.size();
    flow_.assign(m, 0);
    pi_.assign(n, 0);
    dist_.assign(n, kInf);
    level_.assign(n, -1);
    adj_start_.assign(n + 1, 0);
    edge_to_.resize(2 * m);
    edge_from_.resize(2 * m);
    for (size_t i = 0; i < m; ++i) {
      const FlowArc& arc = net.arcs[i];
      assert(arc.cost_step >= 0 && arc.cap >= 0);
      edge_from_[2 * i] = arc.from;
      edge_to_[2 * i] = arc.to;
      edge_from_[2 * i + 1] = arc.to;
      edge_to_[2 * i + 1] = arc.from;
      ++adj_start_[static_cast<size_t>(arc.from) + 1];
      ++adj_start_[static_cast<size_t>(arc.to) + 1];
    }
    for (size_t v = 0; v < n; ++v) {
      adj_start_[v + 1] += adj_start_[v];
    }
    adj_.resize(2 * m);
    std::vector<int> fill(adj_start_.begin(), adj_start_.end() - 1);
    for (size_t e = 0; e < 2 * m; ++e) {
      adj_[static_cast<size_t>(fill[static_cast<size_t>(edge_from_[e])]++)] = static_cast<int>(e);
    }
    it_.assign(n, 0);
  }

  FlowSolution Run() {
    FlowSolution sol;
    InitPotentials();
    int64_t value = 0;
    while (value < net_.demand) {
      if (!ShortestPaths()) {
        break;
      }
      ++sol.phases;
      const int64_t pushed = BlockingFlow(net_.demand - value);
      // A shortest path of zero reduced cost exists after ShortestPaths, so
      // this only fails on a broken precondition; stop rather than spin.
      assert(pushed > 0);
      if (pushed == 0) {
        break;
      }
      value += pushed;
    }
    sol.flow = flow_;
    sol.potential = pi_;
    sol.value = value;
    for (size_t i = 0; i < net_.arcs.size(); ++i) {
      const FlowArc& arc = net_.arcs[i];
      const int64_t f = flow_[i];
      sol.cost += f * arc.cost + arc.cost_step * (f * (f - 1) / 2);
    }
    return sol;
  }

 private:
  static size_t Arc(int e) { return static_cast<size_t>(e) >> 1U; }
  static bool Backward(int e) { return (e & 1) != 0; }

  int64_t ResidualCap(int e) const {
    const size_t a = Arc(e);
    return Backward(e) ? flow_[a] : net_.arcs[a].cap - flow_[a];
  }
  // The cost of moving one more unit along e (valid when ResidualCap(e) > 0).
  int64_t ResidualCost(int e) const {
    const size_t a = Arc(e);
    const FlowArc& arc = net_.arcs[a];
    const int64_t f = flow_[a];
    return Backward(e) ? -(arc.cost + arc.cost_step * (f - 1)) : arc.cost + arc.cost_step * f;
  }
  int64_t Reduced(int e) const {
    return ResidualCost(e) + pi_[static_cast<size_t>(edge_from_[static_cast<size_t>(e)])] -
           pi_[static_cast<size_t>(edge_to_[static_cast<size_t>(e)])];
  }
  // Units that can cross e at the same reduced cost: one on a convex arc,
  // whose next unit costs cost_step more.
  int64_t UnitCap(int e) const {
    const int64_t cap = ResidualCap(e);
    return net_.arcs[Arc(e)].cost_step > 0 ? std::min<int64_t>(cap, 1) : cap;
  }

  // Johnson potentials from a virtual source joined to every node at cost 0;
  // the networks here are DAGs, so this settles in a few rounds.
  void InitPotentials() {
    const size_t n = static_cast<size_t>(net_.nodes);
    for (size_t round = 0; round <= n; ++round) {
      bool changed = false;
      for (const FlowArc& arc : net_.arcs) {
        if (arc.cap <= 0) {
          continue;
        }
        const size_t u = static_cast<size_t>(arc.from);
        const size_t v = static_cast<size_t>(arc.to);
        if (pi_[u] + arc.cost < pi_[v]) {
          pi_[v] = pi_[u] + arc.cost;
          changed = true;
        }
      }
      if (!changed) {
        return;
      }
    }
    assert(false && "negative cycle in the initial residual graph");
  }

  // Dijkstra on reduced costs from the source, stopped when the sink is
  // settled; then π += min(dist, dist(sink)). False if the sink is unreachable.
  bool ShortestPaths() {
    using Item = std::pair<int64_t, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
    std::fill(dist_.begin(), dist_.end(), kInf);
    const int s = net_.source;
    const int t = net_.sink;
    dist_[static_cast<size_t>(s)] = 0;
    heap.emplace(0, s);
    while (!heap.empty()) {
      const auto [d, u] = heap.top();
      heap.pop();
      if (d != dist_[static_cast<size_t>(u)]) {
        continue;
      }
      if (u == t) {
        break;
      }
      const size_t uu = static_cast<size_t>(u);
      for (int i = adj_start_[uu]; i < adj_start_[uu + 1]; ++i) {
        const int e = adj_[static_cast<size_t>(i)];
        if (ResidualCap(e) <= 0) {
          continue;
        }
        const int64_t rc = Reduced(e);
        assert(rc >= 0);
        const size_t v = static_cast<size_t>(edge_to_[static_cast<size_t>(e)]);
        if (d + rc < dist_[v]) {
          dist_[v] = d + rc;
          heap.emplace(d + rc, static_cast<int>(v));
        }
      }
    }
    const int64_t reach = dist_[static_cast<size_t>(t)];
    if (reach >= kInf) {
      return false;
    }
    for (size_t v = 0; v < pi_.size(); ++v) {
      pi_[v] += std::min(dist_[v], reach);
    }
    return true;
  }

  bool Admissible(int e) const { return ResidualCap(e) > 0 && Reduced(e) == 0; }

  // Levels over admissible edges; true if the sink is reached.
  bool Levels() {
    std::fill(level_.begin(), level_.end(), -1);
    queue_.clear();
    const size_t s = static_cast<size_t>(net_.source);
    const size_t t = static_cast<size_t>(net_.sink);
    level_[s] = 0;
    queue_.push_back(net_.source);
    for (size_t head = 0; head < queue_.size(); ++head) {
      const size_t u = static_cast<size_t>(queue_[head]);
      if (level_[t] >= 0 && level_[u] >= level_[t]) {
        break;  // nothing beyond the sink's level is needed
      }
      for (int i = adj_start_[u]; i < adj_start_[u + 1]; ++i) {
        const int e = adj_[static_cast<size_t>(i)];
        const size_t v = static_cast<size_t>(edge_to_[static_cast<size_t>(e)]);
        if (level_[v] < 0 && Admissible(e)) {
          level_[v] = level_[u] + 1;
          queue_.push_back(static_cast<int>(v));
        }
      }
    }
    return level_[t] >= 0;
  }

  // One augmenting path in the level graph with current-arc pointers;
  // returns the units pushed (0 when the level graph is blocked).
  int64_t Augment(int64_t limit) {
    path_.clear();
    const int s = net_.source;
    const int t = net_.sink;
    int u = s;
    while (u != t) {
      const size_t uu = static_cast<size_t>(u);
      bool advanced = false;
      for (; it_[uu] < adj_start_[uu + 1]; ++it_[uu]) {
        const int e = adj_[static_cast<size_t>(it_[uu])];
        const size_t v = static_cast<size_t>(edge_to_[static_cast<size_t>(e)]);
        if (level_[v] == level_[uu] + 1 && Admissible(e)) {
          path_.push_back(e);
          u = static_cast<int>(v);
          advanced = true;
          break;
        }
      }
      if (!advanced) {
        level_[uu] = -1;  // dead end for the rest of this level graph
        if (path_.empty()) {
          return 0;
        }
        const int e = path_.back();
        path_.pop_back();
        u = edge_from_[static_cast<size_t>(e)];
        ++it_[static_cast<size_t>(u)];
      }
    }
    int64_t push = limit;
    for (int e : path_) {
      push = std::min(push, UnitCap(e));
    }
    for (int e : path_) {
      const size_t a = Arc(e);
      flow_[a] += static_cast<int>(Backward(e) ? -push : push);
    }
    return push;
  }

  int64_t BlockingFlow(int64_t limit) {
    int64_t pushed = 0;
    while (pushed < limit && Levels()) {
      std::copy(adj_start_.begin(), adj_start_.end() - 1, it_.begin());
      while (pushed < limit) {
        const int64_t got = Augment(limit - pushed);
        if (got == 0) {
          break;
        }
        pushed += got;
      }
    }
    return pushed;
  }

  const FlowNetwork& net_;
  std::vector<int> flow_;
  std::vector<int64_t> pi_;
  std::vector<int64_t> dist_;
  std::vector<int> level_;
  std::vector<int> adj_start_;  // CSR offsets into adj_, per node
  std::vector<int> adj_;        // residual edge ids
  std::vector<int> edge_from_;
  std::vector<int> edge_to_;
  std::vector<int> it_;  // current-arc pointers
  std::vector<int> queue_;
  std::vector<int> path_;
};

struct KindOutcome {
  std::vector<Placement> placements;
  std::vector<std::pair<size_t, int>> load_after;  // (reviewer index, load after) for reviewers in the network
  int64_t cost = 0;
  int phases = 0;
};

KindOutcome SolveKind(const Pool& p, ReviewerKind kind) {
  KindOutcome out;
  const KindProblem kp = BuildKind(p, kind);
  const FlowSolution sol = SolveMinCostFlow(kp.net);
  assert(CheckOptimal(kp.net, sol));
  out.cost = sol.cost;
  out.phases = sol.phases;
  std::vector<int> load_after(p.reviewers.size(), 0);
  for (size_t i = 0; i < kp.net.arcs.size(); ++i) {
    if (kp.role[i] == ArcRole::kLoad) {
      const auto r = static_cast<size_t>(kp.reviewer[i]);
      load_after[r] = std::max(0, p.reviewers[r]->load) + sol.flow[i];
      out.load_after.emplace_back(r, load_after[r]);
    }
  }
  for (size_t i = 0; i < kp.net.arcs.size(); ++i) {
    if (kp.role[i] != ArcRole::kSeat || sol.flow[i] == 0) {
      continue;
    }
    const auto r = static_cast<size_t>(kp.reviewer[i]);
    const auto a = static_cast<size_t>(kp.app[i]);
    Placement pl;
    pl.application_id = p.apps[a]->id;
    pl.reviewer_id = p.reviewers[r]->id;
    pl.kind = kind;
    pl.tag_match = HasTag(p, r, a);
    pl.village_match = VillageMatch(p, r, a);
    pl.load_after = load_after[r];
    pl.cost = kp.net.arcs[i].cost;
    out.placements.push_back(pl);
  }
  return out;
}

Shortfall Explain(const Pool& p, size_t a, ReviewerKind kind, int missing, const std::vector<int>& load_after) {
  Shortfall s;
  s.application_id = p.apps[a]->id;
  s.kind = kind;
  s.missing = missing;
  for (size_t r = 0; r < p.reviewers.size(); ++r) {
    const AssignReviewer& rev = *p.reviewers[r];
    if (rev.kind != kind) {
      continue;
    }
    uint8_t bits = 0;
    const auto& ex = p.excluded[r];
    auto it = std::lower_bound(ex.begin(), ex.end(), std::pair<int, uint8_t>{static_cast<int>(a), 0});
    if (it != ex.end() && it->first == static_cast<int>(a)) {
      bits = it->second;
    }
    switch (StandingOf(p, r, a, bits)) {
      case Standing::kSeated:
        break;
      case Standing::kConflicted:
        ++s.conflicted;
        break;
      case Standing::kDeclined:
        ++s.declined;
        break;
      case Standing::kUnavailable:
        ++s.unavailable;
        break;
      case Standing::kUntagged:
        ++s.untagged;
        break;
      case Standing::kEligible:
        ++s.eligible;
        if (load_after[r] >= rev.load_cap) {
          ++s.at_cap;
        }
        break;
    }
  }
  if (s.eligible == 0) {
    s.reason = kReasonNoEligible;
  } else if (s.eligible < Need(p, a, kind)) {
    s.reason = kReasonNotEnoughEligible;
  } else {
    s.reason = kReasonAtLoadCap;
  }
  return s;
}

}  // namespace

std::optional<std::string> CheckAssignInput(const AssignInput& in) {
  if (in.applications.size() > static_cast<size_t>(kMaxApplications)) {
    return "too_many_applications";
  }
  if (in.reviewers.size() > static_cast<size_t>(kMaxReviewers)) {
    return "too_many_reviewers";
  }
  std::vector<int64_t> ids;
  for (const AssignApplication& a : in.applications) {
    for (int n : a.need) {
      if (n < 0 || n > kMaxNeedPerKind) {
        return "need_out_of_range";
      }
    }
    ids.push_back(a.id);
  }
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    return "duplicate_application_id";
  }
  ids.clear();
  for (const AssignReviewer& r : in.reviewers) {
    if (r.load < 0) {
      return "load_out_of_range";
    }
    if (r.load_cap < 0 || r.load_cap > kMaxLoadCap) {
      return "load_cap_out_of_range";
    }
    ids.push_back(r.id);
  }
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    return "duplicate_reviewer_id";
  }
  return std::nullopt;
}

FlowNetwork BuildNetwork(const AssignInput& in, ReviewerKind kind) { return BuildKind(MakePool(in), kind).net; }

FlowSolution SolveMinCostFlow(const FlowNetwork& net) { return Solver(net).Run(); }

std::string CertificateError(const FlowNetwork& net, const FlowSolution& sol) {
  const size_t n = static_cast<size_t>(net.nodes);
  if (sol.flow.size() != net.arcs.size() || sol.potential.size() != n) {
    return "size mismatch";
  }
  if (net.source < 0 || net.sink < 0 || static_cast<size_t>(net.source) >= n ||
      static_cast<size_t>(net.sink) >= n) {
    return "source or sink out of range";
  }
  std::vector<int64_t> excess(n, 0);
  int64_t cost = 0;
  for (size_t i = 0; i < net.arcs.size(); ++i) {
    const FlowArc& arc = net.arcs[i];
    const int64_t f = sol.flow[i];
    if (f < 0 || f > arc.cap) {
      return "arc " + std::to_string(i) + " flow out of [0, cap]";
    }
    const size_t u = static_cast<size_t>(arc.from);
    const size_t v = static_cast<size_t>(arc.to);
    excess[u] -= f;
    excess[v] += f;
    cost += f * arc.cost + arc.cost_step * (f * (f - 1) / 2);
    const int64_t pu = sol.potential[u];
    const int64_t pv = sol.potential[v];
    if (f < arc.cap && arc.cost + arc.cost_step * f + pu - pv < 0) {
      return "arc " + std::to_string(i) + " forward residual has negative reduced cost";
    }
    if (f > 0 && -(arc.cost + arc.cost_step * (f - 1)) - pu + pv < 0) {
      return "arc " + std::to_string(i) + " backward residual has negative reduced cost";
    }
  }
  for (size_t v = 0; v < n; ++v) {
    int64_t want = 0;
    if (v == static_cast<size_t>(net.source)) {
      want = -net.demand;
    } else if (v == static_cast<size_t>(net.sink)) {
      want = net.demand;
    }
    if (excess[v] != want) {
      return "flow not conserved at node " + std::to_string(v);
    }
  }
  if (sol.value != net.demand) {
    return "value differs from demand";
  }
  if (sol.cost != cost) {
    return "cost differs from the flow's cost";
  }
  return "";
}

AssignResult Assign(const AssignInput& in) {
  assert(!CheckAssignInput(in).has_value());
  const Pool pool = MakePool(in);
  std::array<KindOutcome, kReviewerKinds> outcome;
  constexpr std::array<ReviewerKind, kReviewerKinds> kKinds = {ReviewerKind::kExpert, ReviewerKind::kCitizen};
  const int64_t pairs = static_cast<int64_t>(pool.apps.size()) * static_cast<int64_t>(pool.reviewers.size());
  if (pairs >= kParallelPairThreshold) {
    std::exception_ptr failure;
    {
      std::jthread citizens([&] {
        try {
          outcome[1] = SolveKind(pool, kKinds[1]);
        } catch (...) {
          failure = std::current_exception();
        }
      });
      outcome[0] = SolveKind(pool, kKinds[0]);
    }  // joins
    if (failure) {
      std::rethrow_exception(failure);
    }
  } else {
    for (size_t k = 0; k < kKinds.size(); ++k) {
      outcome[k] = SolveKind(pool, kKinds[k]);
    }
  }

  AssignResult result;
  std::vector<int> load_after(pool.reviewers.size(), 0);
  for (size_t r = 0; r < pool.reviewers.size(); ++r) {
    load_after[r] = std::max(0, pool.reviewers[r]->load);
  }
  for (KindOutcome& o : outcome) {
    for (const auto& [r, l] : o.load_after) {
      load_after[r] = l;
    }
    result.cost += o.cost;
    result.phases += o.phases;
    result.assignments.insert(result.assignments.end(), o.placements.begin(), o.placements.end());
  }
  std::sort(result.assignments.begin(), result.assignments.end(), [](const Placement& x, const Placement& y) {
    return std::tuple(x.application_id, KindIndex(x.kind), x.reviewer_id) <
           std::tuple(y.application_id, KindIndex(y.kind), y.reviewer_id);
  });

  // Placed seats per (application index, kind), then the shortfalls.
  std::vector<std::array<int, kReviewerKinds>> placed(pool.apps.size(), {0, 0});
  for (const Placement& pl : result.assignments) {
    auto it = std::lower_bound(pool.apps.begin(), pool.apps.end(), pl.application_id,
                               [](const auto* a, int64_t v) { return a->id < v; });
    ++placed[static_cast<size_t>(it - pool.apps.begin())][static_cast<size_t>(KindIndex(pl.kind))];
  }
  for (size_t a = 0; a < pool.apps.size(); ++a) {
    for (ReviewerKind kind : kKinds) {
      const int missing = Need(pool, a, kind) - placed[a][static_cast<size_t>(KindIndex(kind))];
      if (missing > 0) {
        result.shortfalls.push_back(Explain(pool, a, kind, missing, load_after));
      }
    }
  }
  return result;
}

}  // namespace carecity::grants
