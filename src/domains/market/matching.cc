#include "domains/market/matching.h"

#include <algorithm>

namespace carecity::market {
namespace {

int64_t RatingPoints(const std::optional<std::string>& rating) {
  if (!rating) {
    return 0;
  }
  if (*rating == "5A") {
    return kRating5APoints;
  }
  if (*rating == "4A") {
    return kRating4APoints;
  }
  return *rating == "3A" ? kRating3APoints : 0;
}

bool Contains(const std::string& a, const std::string& b) { return !b.empty() && a.find(b) != std::string::npos; }

}  // namespace

std::optional<Match> ScoreProject(const MatchNeed& need, const MatchProject& project) {
  Match m;
  m.project_id = project.id;
  const bool type = !need.project_type.empty() && project.project_type == need.project_type;
  if (type) {
    m.reasons.push_back({"type_match", kTypePoints, {}, {}});
  }
  const bool target_exact = !need.target_group.empty() && project.target_group == need.target_group;
  const bool target_partial =
      !target_exact && (Contains(project.target_group, need.target_group) || Contains(need.target_group, project.target_group));
  if (target_exact || target_partial) {
    m.reasons.push_back({"target_group_match", target_exact ? kTargetPoints : kTargetPartialPoints,
                         {{"partial", target_partial ? 1 : 0}}, {}});
  }
  if (!type && !target_exact && !target_partial) {
    return std::nullopt;
  }
  const bool inside = project.price_min_fen >= need.budget_min_fen && project.price_max_fen <= need.budget_max_fen;
  const bool overlap = project.price_min_fen <= need.budget_max_fen && project.price_max_fen >= need.budget_min_fen;
  if (inside || overlap) {
    m.reasons.push_back({"budget_fit", inside ? kBudgetInsidePoints : kBudgetOverlapPoints,
                         {{"partial", inside ? 0 : 1},
                          {"price_min_fen", project.price_min_fen},
                          {"price_max_fen", project.price_max_fen}},
                         {}});
  }
  if (const int64_t points = RatingPoints(project.org_rating); points > 0) {
    m.reasons.push_back({"org_rating", points, {}, *project.org_rating});
  }
  if (project.evaluations.count > 0) {
    const int64_t avg = std::clamp<int64_t>(project.evaluations.average_x10, 0, 50);
    m.reasons.push_back({"evaluations", avg / 10,
                         {{"count", project.evaluations.count}, {"average_x10", avg}}, {}});
  }
  if (project.serves_village) {
    m.reasons.push_back({"serves_village", kServesVillagePoints, {}, {}});
  }
  for (const Reason& r : m.reasons) {
    m.score += r.points;
  }
  return m;
}

std::vector<Match> RankProjects(const MatchNeed& need, const std::vector<MatchProject>& projects) {
  std::vector<Match> out;
  for (const MatchProject& p : projects) {
    if (auto m = ScoreProject(need, p)) {
      out.push_back(std::move(*m));
    }
  }
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.score != b.score ? a.score > b.score : a.project_id < b.project_id;
  });
  return out;
}

}  // namespace carecity::market
