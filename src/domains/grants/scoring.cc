#include "domains/grants/scoring.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <unordered_map>

namespace carecity::grants {
namespace {

constexpr double kPercent = 100.0;
constexpr int kMaxPct = 100;
constexpr double kEvenSplit = 0.5;
// TieKey clamps to ±this before quantising, so the key fits an int64_t
// (1e6 / 1e-9 = 1e15) whatever min_score a caller passes.
constexpr double kTieKeyBound = 1e6;

// Sum in ascending order: the result depends only on the multiset of
// values, not on the order reviews arrived in.
double StableSum(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return std::accumulate(values.begin(), values.end(), 0.0);
}

// Precondition: `values` is not empty.
double Mean(const std::vector<double>& values) {
  return StableSum(values) / static_cast<double>(values.size());
}

std::optional<double> MeanOrNone(const std::vector<double>& values) {
  if (values.empty()) {
    return std::nullopt;
  }
  return Mean(values);
}

// Population standard deviation around `mean`. Precondition: not empty.
double PopulationSd(const std::vector<double>& values, double mean) {
  std::vector<double> squares;
  squares.reserve(values.size());
  for (double v : values) {
    squares.push_back((v - mean) * (v - mean));
  }
  return std::sqrt(StableSum(std::move(squares)) / static_cast<double>(values.size()));
}

// α·expert + (1−α)·citizen, or the one kind present, or nullopt.
std::optional<double> Combine(double alpha, const std::optional<double>& expert,
                              const std::optional<double>& citizen) {
  if (expert && citizen) {
    return alpha * *expert + (1.0 - alpha) * *citizen;
  }
  if (expert) {
    return expert;
  }
  return citizen;
}

int64_t TieKey(double v) {
  return std::llround(std::clamp(v, -kTieKeyBound, kTieKeyBound) / kScoreTieQuantum);
}

std::optional<int64_t> TieKey(const std::optional<double>& v) {
  if (!v) {
    return std::nullopt;
  }
  return TieKey(*v);
}

// Higher first, nullopt last; -1 when a goes first, 1 when b does, 0 tied.
int CompareDesc(const std::optional<int64_t>& a, const std::optional<int64_t>& b) {
  if (a.has_value() != b.has_value()) {
    return a.has_value() ? -1 : 1;
  }
  if (!a || *a == *b) {
    return 0;
  }
  return *a > *b ? -1 : 1;
}

// part >= pct% of whole, for whole >= 0 and pct in 0..100, without
// overflowing: whole·pct/100 = q·pct + r·pct/100 with whole = 100q + r.
bool AtLeastPctOf(int64_t part, int64_t whole, int pct) {
  const int64_t q = whole / kMaxPct;
  const int64_t r = whole % kMaxPct;
  const int64_t threshold = q * pct + (r * pct + kMaxPct - 1) / kMaxPct;
  return part >= threshold;
}

// A valid review: the application it belongs to and its score.
struct ValidReview {
  size_t app_index = 0;
  int64_t reviewer_id = 0;
  ReviewerKind kind = ReviewerKind::kExpert;
  double raw = 0;
  double norm = 0;  // set when normalising
  const std::map<std::string, int>* scores = nullptr;
};

// How to normalise one reviewer's review scores.
struct ReviewerScale {
  double mean = 0;
  double sd = 0;
  bool scaled = false;  // false: centring only
};

// Sets `norm` on every review (see the header for the formulas).
void Normalise(std::vector<ValidReview>& reviews) {
  if (reviews.empty()) {
    return;
  }
  std::vector<double> all;
  std::map<int64_t, std::vector<double>> by_reviewer;
  for (const ValidReview& r : reviews) {
    all.push_back(r.raw);
    by_reviewer[r.reviewer_id].push_back(r.raw);
  }
  const double mu = Mean(all);
  const double sigma = PopulationSd(all, mu);
  std::map<int64_t, ReviewerScale> scales;
  for (const auto& [reviewer_id, raws] : by_reviewer) {
    ReviewerScale s;
    s.mean = Mean(raws);
    s.sd = PopulationSd(raws, s.mean);
    s.scaled = static_cast<int>(raws.size()) >= kMinReviewsToScale && s.sd >= kMinReviewerSd;
    scales.emplace(reviewer_id, s);
  }
  for (ValidReview& r : reviews) {
    const ReviewerScale& s = scales.at(r.reviewer_id);
    // Centring uses the pooled σ for z and the same σ to map back, so it
    // reduces to a shift; computing it that way avoids dividing by σ = 0.
    const double shift = s.scaled ? sigma * (r.raw - s.mean) / s.sd : r.raw - s.mean;
    r.norm = std::clamp(mu + shift, static_cast<double>(kMinCriterionScore),
                        static_cast<double>(kMaxCriterionScore));
  }
}

}  // namespace

Status ValidateRubric(const std::vector<Criterion>& rubric) {
  if (rubric.empty()) {
    return Error::Invalid("empty_rubric", "rubric");
  }
  std::set<std::string> seen;
  for (const Criterion& c : rubric) {
    if (c.name.empty()) {
      return Error::Invalid("invalid_criterion", "rubric");
    }
    if (c.weight <= 0) {
      return Error::Invalid("invalid_weight", "rubric." + c.name);
    }
    if (!seen.insert(c.name).second) {
      return Error::Invalid("duplicate_criterion", "rubric." + c.name);
    }
  }
  return {};
}

Status ValidateScores(const std::vector<Criterion>& rubric, const std::map<std::string, int>& scores) {
  for (const auto& entry : scores) {
    const std::string& name = entry.first;
    const bool known = std::any_of(rubric.begin(), rubric.end(), [&](const Criterion& c) { return c.name == name; });
    if (!known) {
      return Error::Invalid("unknown_criterion", "scores." + name);
    }
  }
  for (const Criterion& c : rubric) {
    const auto it = scores.find(c.name);
    if (it == scores.end()) {
      return Error::Invalid("missing_score", "scores." + c.name);
    }
    if (it->second < kMinCriterionScore || it->second > kMaxCriterionScore) {
      return Error::Invalid("score_out_of_range", "scores." + c.name);
    }
  }
  return {};
}

double ReviewScore(const std::vector<Criterion>& rubric, const std::map<std::string, int>& scores) {
  // Integer sums are exact, so equal reviews give bit-identical scores.
  int64_t weighted = 0;
  int64_t weights = 0;
  for (const Criterion& c : rubric) {
    weights += c.weight;
    const auto it = scores.find(c.name);
    if (it != scores.end()) {
      weighted += static_cast<int64_t>(c.weight) * it->second;
    }
  }
  if (weights <= 0) {
    return 0;
  }
  return static_cast<double>(weighted) / static_cast<double>(weights);
}

double ExpertWeight(const ScoreOptions& opt) {
  if (opt.expert_weight_pct >= 0) {
    return std::min(opt.expert_weight_pct, kMaxPct) / kPercent;
  }
  if (opt.panel_experts < 0 || opt.panel_citizens < 0 || opt.panel_experts + opt.panel_citizens <= 0) {
    return kEvenSplit;
  }
  return static_cast<double>(opt.panel_experts) / static_cast<double>(opt.panel_experts + opt.panel_citizens);
}

std::vector<AppScore> ScoreAll(const std::vector<Criterion>& rubric, const std::vector<AppReviews>& apps,
                               const ScoreOptions& opt) {
  std::vector<AppScore> out(apps.size());
  std::vector<ValidReview> valid;
  for (size_t i = 0; i < apps.size(); ++i) {
    AppScore& s = out[i];
    s.application_id = apps[i].application_id;
    s.public_id = apps[i].public_id;
    for (const ReviewScores& r : apps[i].reviews) {
      switch (r.state) {
        case ReviewState::kDraft:
          ++s.pending;
          break;
        case ReviewState::kAbstained:
          ++s.abstained;
          break;
        case ReviewState::kRecused:
          ++s.recused;
          break;
        case ReviewState::kSubmitted:
          if (!ValidateScores(rubric, r.scores).ok()) {
            ++s.invalid;
            break;
          }
          ++s.valid;
          valid.push_back({i, r.reviewer_id, r.kind, ReviewScore(rubric, r.scores), 0, &r.scores});
          break;
      }
    }
  }
  if (opt.normalise) {
    Normalise(valid);
  }

  // Per application and kind, the raw and normalised review scores.
  struct KindScores {
    std::vector<double> raw, norm;
  };
  std::vector<std::array<KindScores, kReviewerKinds>> by_app(apps.size());
  std::vector<std::vector<const std::map<std::string, int>*>> app_scores(apps.size());
  for (const ValidReview& r : valid) {
    KindScores& k = by_app[r.app_index][static_cast<size_t>(r.kind)];
    k.raw.push_back(r.raw);
    k.norm.push_back(r.norm);
    app_scores[r.app_index].push_back(r.scores);
  }

  const double alpha = ExpertWeight(opt);
  constexpr auto kExpertIndex = static_cast<size_t>(ReviewerKind::kExpert);
  constexpr auto kCitizenIndex = static_cast<size_t>(ReviewerKind::kCitizen);
  for (size_t i = 0; i < apps.size(); ++i) {
    AppScore& s = out[i];
    const KindScores& e = by_app[i][kExpertIndex];
    const KindScores& c = by_app[i][kCitizenIndex];
    s.expert = MeanOrNone(e.raw);
    s.citizen = MeanOrNone(c.raw);
    s.overall = Combine(alpha, s.expert, s.citizen);
    if (opt.normalise) {
      s.expert_norm = MeanOrNone(e.norm);
      s.citizen_norm = MeanOrNone(c.norm);
      s.overall_norm = Combine(alpha, s.expert_norm, s.citizen_norm);
    }

    const bool expert_missing = opt.panel_experts > 0 && e.raw.empty();
    const bool citizen_missing = opt.panel_citizens > 0 && c.raw.empty();
    const int needed = (std::max(apps[i].seats, 0) + 1) / 2;  // ⌈seats/2⌉
    s.insufficient_reviews = expert_missing || citizen_missing || s.valid < needed;

    if (s.valid > 0) {
      for (const Criterion& crit : rubric) {
        int64_t sum = 0;
        for (const auto* scores : app_scores[i]) {
          sum += scores->at(crit.name);
        }
        s.criteria.emplace_back(crit.name, static_cast<double>(sum) / s.valid);
      }
    }
  }
  return out;
}

std::optional<double> RankingScore(const AppScore& s) {
  if (s.overall_norm) {
    return s.overall_norm;
  }
  return s.overall;
}

void Rank(std::vector<AppScore>& scores, const std::vector<AppReviews>& apps) {
  std::unordered_map<int64_t, int64_t> submitted_at;
  for (const AppReviews& a : apps) {
    submitted_at.emplace(a.application_id, a.submitted_at_ms);
  }
  const auto submitted = [&](const AppScore& s) {
    const auto it = submitted_at.find(s.application_id);
    return it == submitted_at.end() ? std::numeric_limits<int64_t>::max() : it->second;
  };
  const auto expert = [](const AppScore& s) { return TieKey(s.overall_norm ? s.expert_norm : s.expert); };

  std::sort(scores.begin(), scores.end(), [&](const AppScore& a, const AppScore& b) {
    if (const int c = CompareDesc(TieKey(RankingScore(a)), TieKey(RankingScore(b))); c != 0) {
      return c < 0;
    }
    if (const int c = CompareDesc(expert(a), expert(b)); c != 0) {
      return c < 0;
    }
    if (const int64_t ta = submitted(a), tb = submitted(b); ta != tb) {
      return ta < tb;
    }
    if (a.public_id != b.public_id) {
      return a.public_id < b.public_id;
    }
    return a.application_id < b.application_id;
  });
  for (size_t i = 0; i < scores.size(); ++i) {
    scores[i].rank = static_cast<int>(i) + 1;
  }
}

std::vector<FillLine> FillBudget(const std::vector<AppScore>& ranked, const std::vector<AppReviews>& apps,
                                 const FillOptions& opt) {
  std::unordered_map<int64_t, const AppReviews*> by_id;
  for (const AppReviews& a : apps) {
    by_id.emplace(a.application_id, &a);
  }
  const int pct = std::clamp(opt.min_partial_pct, 0, kMaxPct);
  const int64_t awarded = std::max<int64_t>(0, opt.already_awarded_fen);
  // Compared before subtracting, so a negative budget cannot overflow.
  int64_t remaining = opt.budget_fen > awarded ? opt.budget_fen - awarded : 0;
  int64_t total = 0;

  std::vector<FillLine> lines;
  lines.reserve(ranked.size());
  for (const AppScore& s : ranked) {
    FillLine line;
    line.application_id = s.application_id;
    line.public_id = s.public_id;
    line.rank = s.rank;
    line.overall = RankingScore(s);
    const auto it = by_id.find(s.application_id);
    const AppReviews* app = it == by_id.end() ? nullptr : it->second;
    line.requested_fen = app ? app->requested_fen : 0;

    const int64_t ask = opt.cap_fen > 0 ? std::min(line.requested_fen, opt.cap_fen) : line.requested_fen;
    if (!app || !app->eligible || line.requested_fen <= 0) {
      line.note = kFillIneligible;
    } else if (s.insufficient_reviews || !line.overall) {
      line.note = kFillInsufficientReviews;
    } else if (TieKey(*line.overall) < TieKey(opt.min_score)) {
      line.note = kFillBelowMinScore;
    } else if (ask <= remaining) {
      line.note = kFillFull;
      line.proposed_fen = ask;
    } else if (opt.allow_partial && remaining > 0 && AtLeastPctOf(remaining, ask, pct)) {
      line.note = kFillPartial;
      line.proposed_fen = remaining;
    } else {
      line.note = kFillBudgetExhausted;
    }
    remaining -= line.proposed_fen;
    total += line.proposed_fen;
    line.running_total_fen = total;
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace carecity::grants
