// Reviewer assignment for a grant review meeting as a min-cost flow
// (docs/design-grants.md §3). Pure: no database, no I/O, no clock. The
// service loads the pool (applications with their open seats, the reviewers
// available for the meeting, the pairs the conflict predicate and the decline
// history exclude), calls Assign, and writes the proposed seats with the
// guarded INSERT…SELECT of §1.
//
// HARD RULES (a solution that breaks one is never returned):
//  1. a seat of kind k goes to a reviewer of kind k;
//  2. only `available` reviewers get seats;
//  3. no seat on an (reviewer, application) pair named in `exclusions`
//     (any reason: kConflict, kDeclined, kSeated);
//  4. a reviewer holds at most one new seat per application;
//  5. a reviewer's load never exceeds load_cap: load + new seats <= load_cap
//     (a reviewer already at or over the cap gets nothing);
//  6. for a kind with options.strict_tags[k], only reviewers whose tags contain
//     the application's project_type;
//  7. an application gets at most need[k] new seats of kind k.
//
// OBJECTIVE (minimised; "the cost"). Over the new seats S of a solution:
//   cost = M·empty + T·mismatch + L·Σ_r (final_r² − load_r²) − v·village
// where
//   empty    = Σ_a Σ_k need[k] − |S|                    (open seats left empty)
//   mismatch = #seats whose reviewer lacks the project_type tag (only possible
//              for kinds with strict_tags off)
//   final_r  = load_r + #seats of r in S, summed over every reviewer (so the
//              j-th extra seat of a reviewer costs L·(2j−1) on top of load_r,
//              i.e. L·(2·(load_r + j) − 1)): the most even load under the caps
//   village  = #seats held by a citizen (kind kCitizen) whose `rural` and the
//              application's `rural` are both set and equal
// and M = kEmptySeatCost, T = kTagMismatchCost, L = kLoadCostUnit,
// v = kVillageBonus. Within the bounds below the tiers are strict, so the
// optimum is lexicographic: fewest empty seats, then fewest tag mismatches,
// then the least L·Σ(final² − load²) − v·village (load evenness and the
// village preference share the last tier; v < 2L, so one village match never
// outweighs moving a seat to a reviewer one seat less loaded).
// AssignResult::cost is this value for the returned seats, exactly.
//
// BOUNDS guaranteed (checked by CheckAssignInput; Assign asserts them in
// debug builds; outside them the result still obeys every hard rule but the
// tiers may no longer be strict): ≤ kMaxApplications applications,
// ≤ kMaxReviewers reviewers, 0 ≤ need[k] ≤ kMaxNeedPerKind,
// 0 ≤ load, 0 ≤ load_cap ≤ kMaxLoadCap, unique application ids, unique
// reviewer ids.
//
// DETERMINISM: the result depends only on the set of applications, reviewers
// and exclusions (they are sorted by id first; tags and duplicate exclusions
// are normalised), never on vector order or on thread timing, so the same
// pool gives a byte-identical result. Among equally cheap optima the solver
// picks one deterministically; which one is not part of the contract.
//
// THREADS: every function here is pure and safe to call concurrently. Assign
// solves the two kinds (independent problems: a reviewer has one kind) in
// parallel, on the calling thread and one std::jthread, once there are at
// least 20,000 (reviewer, application) pairs; link with -pthread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domains/grants/kind.h"

namespace carecity::grants {

// ---- Objective constants (see the header comment) ----
inline constexpr int64_t kEmptySeatCost = 10'000'000'000'000;  // M = 1e13
inline constexpr int64_t kTagMismatchCost = 100'000'000;       // T = 1e8
inline constexpr int64_t kLoadCostUnit = 2;                    // L
inline constexpr int64_t kVillageBonus = 1;                    // v

// ---- Instance bounds for which the tiers are strict ----
inline constexpr int kMaxApplications = 4'000;
inline constexpr int kMaxReviewers = 2'000;
inline constexpr int kMaxNeedPerKind = 10;
inline constexpr int kMaxLoadCap = 100;  // the schema allows 1..50
inline constexpr int64_t kMaxTotalSeats =
    int64_t{kMaxApplications} * kMaxNeedPerKind * kReviewerKinds;  // 80,000

// The last tier per seat lies in [−v, L·(2·kMaxLoadCap − 1)], so over all
// seats it spans less than kMaxLastTierSpan; one tag mismatch must outweigh
// it, and one empty seat must outweigh every mismatch plus that span.
inline constexpr int64_t kMaxLastTierSpan =
    kMaxTotalSeats * (kLoadCostUnit * (2 * kMaxLoadCap - 1) + kVillageBonus) + 1;
static_assert(kVillageBonus < 2 * kLoadCostUnit, "village bonus must stay below one step of load evenness");
static_assert(kTagMismatchCost > kMaxLastTierSpan, "tag tier must dominate the load/village tier");
static_assert(kEmptySeatCost > kTagMismatchCost * kMaxTotalSeats + kMaxLastTierSpan,
              "empty-seat tier must dominate the lower tiers");
static_assert(kEmptySeatCost <= INT64_MAX / (2 * kMaxTotalSeats), "total cost and potentials must fit in int64");

struct AssignApplication {
  int64_t id = 0;  // internal id
  std::string project_type;
  int need[kReviewerKinds] = {0, 0};  // open seats per kind still to fill (index = int(ReviewerKind))
  std::optional<bool> rural;          // served villages' kind (true rural / false urban) when all alike; else nullopt
};

struct AssignReviewer {
  int64_t id = 0;
  ReviewerKind kind = ReviewerKind::kExpert;
  std::vector<std::string> tags;  // project types this reviewer covers
  int load_cap = 0;               // max live seats in this call
  int load = 0;                   // live seats already held in this call (fixed, counted in the load cost)
  bool available = true;          // available for this meeting; unavailable reviewers get no seat
  std::optional<bool> rural;      // citizen's own village kind
};

// kSeated: the reviewer already holds a live seat on that application.
enum class Exclusion { kConflict, kDeclined, kSeated };

struct AssignExclusion {
  int64_t reviewer_id = 0;
  int64_t application_id = 0;
  Exclusion why = Exclusion::kConflict;
};

struct AssignOptions {
  // strict: a reviewer without the project type's tag gets no seat;
  // soft: allowed at cost T per seat.
  bool strict_tags[kReviewerKinds] = {true, false};
};

struct AssignInput {
  std::vector<AssignApplication> applications;
  std::vector<AssignReviewer> reviewers;
  std::vector<AssignExclusion> exclusions;
  AssignOptions options;
};

struct Placement {
  int64_t application_id = 0;
  int64_t reviewer_id = 0;
  ReviewerKind kind = ReviewerKind::kExpert;
  bool tag_match = true;
  bool village_match = false;
  int load_after = 0;  // reviewer's load after the whole solution
  int64_t cost = 0;    // arc cost of this seat: T·[!tag_match] − v·[village_match]

  bool operator==(const Placement&) const = default;
};

// Shortfall reason codes (stable; the service turns them into text).
inline constexpr const char* kReasonNoEligible = "no_eligible_reviewers";
inline constexpr const char* kReasonNotEnoughEligible = "not_enough_eligible";
inline constexpr const char* kReasonAtLoadCap = "at_load_cap";

// One (application, kind) with empty seats. Every reviewer of that kind that
// does not already sit on the application (kSeated) is counted in exactly one
// of conflicted / declined / unavailable / untagged / eligible, the first that
// applies in that order; untagged only for a strict kind. at_cap counts the
// eligible reviewers whose load_after >= load_cap.
// reason: eligible == 0 → no_eligible_reviewers; eligible < need[kind] →
// not_enough_eligible; otherwise at_load_cap.
struct Shortfall {
  int64_t application_id = 0;
  ReviewerKind kind = ReviewerKind::kExpert;
  int missing = 0;
  std::string reason;
  int eligible = 0, conflicted = 0, unavailable = 0, untagged = 0, declined = 0, at_cap = 0;

  bool operator==(const Shortfall&) const = default;
};

struct AssignResult {
  std::vector<Placement> assignments;  // sorted by (application_id, kind, reviewer_id)
  std::vector<Shortfall> shortfalls;   // sorted by (application_id, kind)
  int64_t cost = 0;                    // the objective of `assignments` (see the header comment)
  int phases = 0;                      // Dijkstra phases of the solver, both kinds added

  bool operator==(const AssignResult&) const = default;
};

// Returns nullopt when `in` is within the guaranteed bounds, else a stable
// code: "too_many_applications", "too_many_reviewers", "need_out_of_range",
// "load_out_of_range", "load_cap_out_of_range", "duplicate_application_id",
// "duplicate_reviewer_id".
std::optional<std::string> CheckAssignInput(const AssignInput& in);

// Returns an optimal solution of the objective above under the hard rules.
// Always succeeds (empty seats are shortfalls, not errors). Exclusions naming
// unknown ids are ignored. Precondition: CheckAssignInput(in) is nullopt
// (asserted in debug builds). Deterministic (see DETERMINISM).
AssignResult Assign(const AssignInput& in);

// ---------------------------------------------------------------------------
// The flow layer, exposed for the optimality certificate in tests.

// An arc whose j-th unit of flow (j = 1..cap) costs cost + cost_step·(j−1);
// cost_step >= 0 makes it convex (the s→reviewer load arc), 0 is linear.
struct FlowArc {
  int from = 0;
  int to = 0;
  int cap = 0;
  int64_t cost = 0;
  int64_t cost_step = 0;
};

struct FlowNetwork {
  int nodes = 0;
  int source = 0;
  int sink = 0;
  int64_t demand = 0;  // units to push from source to sink
  std::vector<FlowArc> arcs;
};

struct FlowSolution {
  std::vector<int> flow;           // per arc
  std::vector<int64_t> potential;  // per node: the dual certificate π
  int64_t value = 0;               // units pushed
  int64_t cost = 0;                // Σ over arcs of the cost of their flow
  int phases = 0;                  // Dijkstra runs
};

// Builds the network of one kind (docs §3): source → reviewer (convex, cap
// load_cap − load, unit j costs L·(2·(load + j) − 1)), reviewer → application
// (cap 1, cost T·mismatch − v·village, only for allowed pairs), application →
// sink (cap need), source → application (cap need, cost M: the shortfall
// arc). demand = Σ need of that kind, always feasible.
FlowNetwork BuildNetwork(const AssignInput& in, ReviewerKind kind);

// Min-cost flow of exactly `demand` units (or the max flow if less is
// possible), by primal–dual successive shortest paths: per phase one Dijkstra
// on reduced costs, then a Dinic blocking flow over zero-reduced-cost arcs.
// Precondition: the zero-flow residual graph has no negative cycle and every
// cost_step >= 0 (asserted). Returns flows, potentials and the cost.
FlowSolution SolveMinCostFlow(const FlowNetwork& net);

// Returns "" when `sol` is certified optimal for `net`: sizes match, every
// flow within [0, cap], flow conserved at every node but source and sink,
// value == demand pushed out of source into sink, cost equal to the flow's
// cost, and every residual arc has reduced cost c + π(u) − π(v) >= 0 (for a
// convex arc: the next unit forward and the last unit backward). Otherwise a
// description of the first violation. O(nodes + arcs).
std::string CertificateError(const FlowNetwork& net, const FlowSolution& sol);
inline bool CheckOptimal(const FlowNetwork& net, const FlowSolution& sol) { return CertificateError(net, sol).empty(); }

}  // namespace carecity::grants
