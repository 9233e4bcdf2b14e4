// Matching a village's need with catalogue projects (docs/design-market.md
// "Matching"): a pure, deterministic score with its reasons, so the web can
// say in words why a project is offered.
//
// Score (0 to 100), the sum of:
//   type_match          40  the project's type is the need's type (exact words)
//   target_group_match  20  the same target group; 10 when one contains the other
//   budget_fit          20  the price range lies inside the budget;
//                       10  it only overlaps the budget (a quote may fit)
//   org_rating          10  5A, 6 for 4A, 3 for 3A, 0 unrated
//   evaluations         up to 5: 1 point a star of the average evaluation
//                           from other villages (input 0 until contracts
//                           and evaluations exist: the contracts branch
//                           fills MatchProject::evaluations)
//   serves_village       5  the organisation already serves the need's village
//                           (input false until contracts exist; same)
// A project is a match only with a type match or a target-group match.
// Order: score descending, then the project's integer id ascending (older
// listings first), so equal scores always come out in the same order.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/money.h"

namespace carecity::market {

struct MatchNeed {
  std::string project_type;
  std::string target_group;
  Fen budget_min_fen = 0;
  Fen budget_max_fen = 0;
};

struct Evaluations {
  int64_t count = 0;        // evaluations from villages other than the need's
  int64_t average_x10 = 0;  // their average stars × 10 (0 to 50)
};

struct MatchProject {
  int64_t id = 0;  // the tie-break
  std::string project_type;
  std::string target_group;
  Fen price_min_fen = 0;
  Fen price_max_fen = 0;
  std::optional<std::string> org_rating;
  Evaluations evaluations;
  bool serves_village = false;
};

// One reason: a stable code and the numbers behind it (points always; the
// others as the code needs: `level` for org_rating, `count` and
// `average_x10` for evaluations, `partial` 1/0 for target_group_match and
// budget_fit).
struct Reason {
  std::string code;
  int64_t points = 0;
  std::vector<std::pair<std::string, int64_t>> numbers;
  std::string level;  // org_rating only
};

struct Match {
  int64_t project_id = 0;
  int64_t score = 0;
  std::vector<Reason> reasons;  // in the order of the table above
};

inline constexpr int64_t kTypePoints = 40;
inline constexpr int64_t kTargetPoints = 20;
inline constexpr int64_t kTargetPartialPoints = 10;
inline constexpr int64_t kBudgetInsidePoints = 20;
inline constexpr int64_t kBudgetOverlapPoints = 10;
inline constexpr int64_t kRating5APoints = 10;
inline constexpr int64_t kRating4APoints = 6;
inline constexpr int64_t kRating3APoints = 3;
inline constexpr int64_t kServesVillagePoints = 5;

// The project's score for the need; nullopt if it is no match at all.
std::optional<Match> ScoreProject(const MatchNeed& need, const MatchProject& project);

// Every matching project, best first (see the order above).
std::vector<Match> RankProjects(const MatchNeed& need, const std::vector<MatchProject>& projects);

}  // namespace carecity::market
