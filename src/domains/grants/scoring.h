// 关爱基金 review: scoring, ranking and the budget-fill proposal as pure
// functions (no database, no I/O, no clock). The service reads a meeting's
// rubric and reviews, calls ScoreAll, Rank and FillBudget, and shows the
// result; the admin's decisions are separate guarded writes
// (docs/design-grants.md §4).
//
// The rules:
// - Only submitted reviews whose scores pass ValidateScores are valid.
//   Abstained and recused reviews are excluded from every average and
//   counted; drafts are counted as pending; a submitted review that fails
//   validation (say, the rubric changed under it) is excluded and counted
//   as invalid rather than silently dropped.
// - Review score s = Σ w_c·x_c / Σ w_c over the rubric.
// - Sub-scores: the expert mean and the citizen mean of s over valid
//   reviews. Overall = α·expert + (1−α)·citizen, α = expert_weight_pct/100
//   or the seat share panel_experts/(panel_experts+panel_citizens). When a
//   kind has no valid review the other alone counts.
// - Normalisation (ScoreOptions::normalise): per reviewer over the valid
//   reviews in the whole input, z = (s − μ_r)/σ_r. A reviewer with fewer
//   than kMinReviewsToScale reviews or σ_r < kMinReviewerSd is only
//   centred, with the pooled σ (σ of all valid review scores). z is mapped
//   back to 0..10 with μ and σ of all valid raw review scores and clamped:
//     scaled:  s' = μ + σ·(s − μ_r)/σ_r
//     centred: s' = μ + σ·(s − μ_r)/σ = μ + (s − μ_r)
//   Sub-scores and overall are then formed from s' exactly as from s.
//   All σ are population standard deviations (divide by n).
// - Ranking and the fill use the normalised overall when present, else the
//   raw one. Values that agree to within kScoreTieQuantum are tied.
//
// Scores do not depend on the order of `apps` or of their reviews (sums
// are taken over sorted values), so the same data always ranks the same.
// Thread-safety: every function here is pure and safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domains/grants/kind.h"

namespace carecity::grants {

// Each criterion is scored in whole points on this closed range.
inline constexpr int kMinCriterionScore = 0;
inline constexpr int kMaxCriterionScore = 10;
// ScoreOptions::expert_weight_pct value meaning "use the seat share".
inline constexpr int kExpertWeightFromSeats = -1;
// Normalisation: a reviewer needs at least this many valid reviews and at
// least this σ of their review scores to be scaled, not only centred.
inline constexpr int kMinReviewsToScale = 3;
inline constexpr double kMinReviewerSd = 0.5;
// Scores closer than this are equal for ranking and for min_score, so
// floating-point noise (0.6·8 + 0.4·7 vs 0.6·7 + 0.4·8.5) cannot break a tie.
inline constexpr double kScoreTieQuantum = 1e-9;
inline constexpr int kDefaultMinPartialPct = 70;

// One rubric line. weight > 0; names are unique within a rubric.
struct Criterion {
  std::string name;
  int weight = 1;
};

// Only kSubmitted counts toward scores.
enum class ReviewState { kDraft, kSubmitted, kAbstained, kRecused };

// One reviewer's review of one application.
struct ReviewScores {
  int64_t reviewer_id = 0;
  ReviewerKind kind = ReviewerKind::kExpert;
  ReviewState state = ReviewState::kDraft;
  std::map<std::string, int> scores;  // criterion -> kMinCriterionScore..kMaxCriterionScore
};

// An application with everything scoring needs.
struct AppReviews {
  int64_t application_id = 0;
  std::string public_id;
  int64_t submitted_at_ms = 0;
  int64_t requested_fen = 0;
  int seats = 0;  // panel size (experts + citizens)
  bool eligible = true;
  std::vector<ReviewScores> reviews;
};

struct ScoreOptions {
  bool normalise = false;
  // 0..100, or kExpertWeightFromSeats for experts/(experts+citizens).
  int expert_weight_pct = kExpertWeightFromSeats;
  int panel_experts = 3;
  int panel_citizens = 2;
};

struct AppScore {
  int64_t application_id = 0;
  std::string public_id;
  // Raw means (0..10); nullopt when there is no valid review of that kind
  // (expert, citizen) or none at all (overall).
  std::optional<double> expert, citizen, overall;
  // The same from normalised review scores; nullopt unless normalise.
  std::optional<double> expert_norm, citizen_norm, overall_norm;
  int valid = 0;      // submitted with valid scores
  int abstained = 0;
  int recused = 0;
  int pending = 0;    // drafts
  int invalid = 0;    // submitted but failing ValidateScores; excluded
  // A kind that has panel seats (ScoreOptions::panel_*) has no valid review,
  // or valid < ⌈seats/2⌉.
  bool insufficient_reviews = false;
  int rank = 0;  // 1-based after Rank(); 0 before
  // Per-criterion mean of the raw scores over valid reviews (both kinds), in
  // rubric order; empty when valid == 0.
  std::vector<std::pair<std::string, double>> criteria;
};

// Checks a rubric: at least one criterion, each with a non-empty unique name
// and weight > 0. The first problem as Error::Invalid: ("empty_rubric",
// "rubric"), ("invalid_criterion", "rubric"), ("invalid_weight",
// "rubric.<name>"), ("duplicate_criterion", "rubric.<name>").
Status ValidateRubric(const std::vector<Criterion>& rubric);

// Checks a submitted review's scores against `rubric` (assumed valid). The
// first problem as Error::Invalid, checked in this order: a name not in the
// rubric ("unknown_criterion", "scores.<name>", in name order); then in rubric
// order, a criterion without a score ("missing_score", "scores.<criterion>")
// or one outside kMinCriterionScore..kMaxCriterionScore ("score_out_of_range",
// "scores.<criterion>").
Status ValidateScores(const std::vector<Criterion>& rubric, const std::map<std::string, int>& scores);

// Σ w_c·x_c / Σ w_c over `rubric`. Precondition: ValidateScores(rubric,
// scores) is ok (otherwise a missing criterion counts as 0 and names outside
// the rubric are ignored). Returns 0 for a rubric whose weights sum to <= 0.
double ReviewScore(const std::vector<Criterion>& rubric, const std::map<std::string, int>& scores);

// α, the expert share of overall: expert_weight_pct/100 clamped to [0, 1];
// when negative (kExpertWeightFromSeats), the seat share of experts, or 0.5
// when the panel sizes are not positive.
double ExpertWeight(const ScoreOptions& opt);

// Scores every application, one AppScore per element of `apps`, in the same
// order, with rank 0. When opt.normalise, reviewers are normalised over all
// valid reviews in `apps` (pass a whole meeting). Precondition: `rubric`
// passes ValidateRubric.
std::vector<AppScore> ScoreAll(const std::vector<Criterion>& rubric, const std::vector<AppReviews>& apps,
                               const ScoreOptions& opt);

// The score that ranks: overall_norm when present, else overall (nullopt
// when there is neither).
std::optional<double> RankingScore(const AppScore& s);

// Sorts `scores` into ranking order and sets rank = 1, 2, … (a total order,
// so no two share a rank). Order: RankingScore descending, apps without one
// last; ties go to the higher expert sub-score (normalised when the ranking
// score is, missing lowest), then the earlier submitted_at_ms (looked up in
// `apps` by application_id; an id missing there counts as latest), then
// public_id, then application_id ascending.
void Rank(std::vector<AppScore>& scores, const std::vector<AppReviews>& apps);

struct FillOptions {
  int64_t budget_fen = 0;
  int64_t already_awarded_fen = 0;
  int64_t cap_fen = 0;   // per application; <= 0 means no cap
  double min_score = 0;  // compared with RankingScore
  int min_partial_pct = kDefaultMinPartialPct;  // clamped to 0..100
  bool allow_partial = true;
};

struct FillLine {
  int64_t application_id = 0;
  std::string public_id;
  int rank = 0;
  std::optional<double> overall;  // RankingScore of the app
  int64_t requested_fen = 0;
  int64_t proposed_fen = 0;
  int64_t running_total_fen = 0;  // Σ proposed_fen so far (excludes already_awarded_fen)
  // "full" | "partial" | "ineligible" | "insufficient_reviews" |
  // "below_min_score" | "budget_exhausted"
  std::string note;
};

// Stable values of FillLine::note.
inline constexpr const char* kFillFull = "full";
inline constexpr const char* kFillPartial = "partial";
inline constexpr const char* kFillIneligible = "ineligible";
inline constexpr const char* kFillInsufficientReviews = "insufficient_reviews";
inline constexpr const char* kFillBelowMinScore = "below_min_score";
inline constexpr const char* kFillBudgetExhausted = "budget_exhausted";

// A proposal only: walks `ranked` in its order (pass Rank()'s output), one
// line per element, with remaining = max(0, budget − already_awarded). Each
// app gets the first note that applies, proposed 0 unless full or partial:
//   1. ineligible: AppReviews::eligible is false, the app is missing from
//      `apps`, or requested_fen <= 0;
//   2. insufficient_reviews: flagged by ScoreAll or without any score. Such
//      apps are ranked and shown but never proposed: the panel must finish
//      (or the admin decide by hand) before money is proposed on thin
//      evidence;
//   3. below_min_score: RankingScore < min_score (within kScoreTieQuantum);
//   4. full: ask = min(requested, cap) <= remaining; proposed = ask. A
//      capped ask offered whole is "full";
//   5. partial: allow_partial and 0 < remaining and remaining >=
//      min_partial_pct% of ask; proposed = remaining;
//   6. budget_exhausted: otherwise; the walk continues so smaller projects
//      further down can use the rest.
// Guarantees: Σ proposed <= remaining at the start; each proposed <=
// requested and <= cap. Deterministic.
std::vector<FillLine> FillBudget(const std::vector<AppScore>& ranked, const std::vector<AppReviews>& apps,
                                 const FillOptions& opt);

}  // namespace carecity::grants
