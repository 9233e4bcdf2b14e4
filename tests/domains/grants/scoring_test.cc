// Grant review scoring, ranking and budget fill (pure): hand-computed
// numbers for the weighted means, the expert/citizen split and the
// normalisation, the total tie-break order, and a fixed-seed property test
// that the budget fill never over-fills.
#include "domains/grants/scoring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace carecity::grants {
namespace {

constexpr double kEps = 1e-9;
constexpr ReviewerKind kExpert = ReviewerKind::kExpert;
constexpr ReviewerKind kCitizen = ReviewerKind::kCitizen;

// The rubric of the weighted-mean tests: weights 40/30/30.
const std::vector<Criterion>& Rubric() {
  static const std::vector<Criterion> rubric = {{"impact", 40}, {"feasibility", 30}, {"budget", 30}};
  return rubric;
}

// One criterion of weight 1, so a review's score is its single mark.
const std::vector<Criterion>& MeritRubric() {
  static const std::vector<Criterion> rubric = {{"merit", 1}};
  return rubric;
}

ReviewScores Review(int64_t reviewer, ReviewerKind kind, ReviewState state, int impact, int feasibility,
                    int budget) {
  ReviewScores r;
  r.reviewer_id = reviewer;
  r.kind = kind;
  r.state = state;
  r.scores = {{"impact", impact}, {"feasibility", feasibility}, {"budget", budget}};
  return r;
}

ReviewScores Submitted(int64_t reviewer, ReviewerKind kind, int impact, int feasibility, int budget) {
  return Review(reviewer, kind, ReviewState::kSubmitted, impact, feasibility, budget);
}

ReviewScores Merit(int64_t reviewer, ReviewerKind kind, int merit) {
  ReviewScores r;
  r.reviewer_id = reviewer;
  r.kind = kind;
  r.state = ReviewState::kSubmitted;
  r.scores = {{"merit", merit}};
  return r;
}

AppReviews App(int64_t id, std::vector<ReviewScores> reviews, int seats = 0) {
  AppReviews a;
  a.application_id = id;
  char buf[32];
  std::snprintf(buf, sizeof buf, "G-%03lld", static_cast<long long>(id));
  a.public_id = buf;
  a.submitted_at_ms = 1'000 * id;
  a.requested_fen = 10'000;
  a.seats = seats;
  a.reviews = std::move(reviews);
  return a;
}

std::vector<int64_t> Ids(const std::vector<AppScore>& scores) {
  std::vector<int64_t> ids;
  for (const AppScore& s : scores) {
    ids.push_back(s.application_id);
  }
  return ids;
}

// ---------------------------------------------------------------- validation

TEST(ScoringValidateTest, AcceptsAFullReviewWithinRangeIncludingTheBounds) {
  EXPECT_TRUE(ValidateScores(Rubric(), {{"impact", 8}, {"feasibility", 6}, {"budget", 5}}).ok());
  EXPECT_TRUE(ValidateScores(Rubric(), {{"impact", 0}, {"feasibility", 10}, {"budget", 0}}).ok());
}

TEST(ScoringValidateTest, AMissingCriterionIsMissingScoreOnItsField) {
  const Status s = ValidateScores(Rubric(), {{"impact", 8}, {"budget", 5}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(s.error().key, "missing_score");
  EXPECT_EQ(s.error().field, "scores.feasibility");
}

TEST(ScoringValidateTest, ScoresOutsideZeroToTenAreOutOfRange) {
  for (const int bad : {-1, 11}) {
    const Status s = ValidateScores(Rubric(), {{"impact", 8}, {"feasibility", bad}, {"budget", 5}});
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().key, "score_out_of_range");
    EXPECT_EQ(s.error().field, "scores.feasibility");
  }
}

TEST(ScoringValidateTest, ANameOutsideTheRubricIsUnknownCriterionEvenWhenOthersAreMissing) {
  const Status s = ValidateScores(Rubric(), {{"impct", 8}, {"feasibility", 6}, {"budget", 5}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().key, "unknown_criterion");
  EXPECT_EQ(s.error().field, "scores.impct");
}

TEST(ScoringValidateTest, RubricNeedsCriteriaWithPositiveWeightsAndUniqueNames) {
  EXPECT_TRUE(ValidateRubric(Rubric()).ok());
  EXPECT_EQ(ValidateRubric({}).error().key, "empty_rubric");
  EXPECT_EQ(ValidateRubric({{"", 1}}).error().key, "invalid_criterion");
  const Status zero = ValidateRubric({{"impact", 40}, {"budget", 0}});
  EXPECT_EQ(zero.error().key, "invalid_weight");
  EXPECT_EQ(zero.error().field, "rubric.budget");
  const Status dup = ValidateRubric({{"impact", 40}, {"impact", 60}});
  EXPECT_EQ(dup.error().key, "duplicate_criterion");
  EXPECT_EQ(dup.error().field, "rubric.impact");
}

// ------------------------------------------------------------ weighted means

TEST(ScoringReviewScoreTest, IsTheWeightedMeanOverTheRubric) {
  // (40·8 + 30·6 + 30·5) / 100 = (320 + 180 + 150) / 100 = 6.5
  EXPECT_DOUBLE_EQ(ReviewScore(Rubric(), {{"impact", 8}, {"feasibility", 6}, {"budget", 5}}), 6.5);
  // (40·10) / 100 = 4.0: the heavier criterion alone
  EXPECT_DOUBLE_EQ(ReviewScore(Rubric(), {{"impact", 10}, {"feasibility", 0}, {"budget", 0}}), 4.0);
  // (40·9 + 30·8 + 30·10) / 100 = (360 + 240 + 300) / 100 = 9.0
  EXPECT_DOUBLE_EQ(ReviewScore(Rubric(), {{"impact", 9}, {"feasibility", 8}, {"budget", 10}}), 9.0);
}

// A panel of 3 experts + 2 citizens (seats 5) where one expert abstained,
// one citizen was recused and their replacement has only a draft:
//   E1 submitted 8/6/5   -> 6.5          E3 abstained (scores ignored)
//   E2 submitted 7/7/7   -> 7.0          C2 recused   (scores ignored)
//   C1 submitted 9/8/10  -> 9.0          C3 draft     (pending)
// expert = (6.5 + 7.0)/2 = 6.75, citizen = 9.0,
// overall = 0.6·6.75 + 0.4·9.0 = 4.05 + 3.6 = 7.65 (α = seat share 3/5).
AppReviews PanelWithEveryState() {
  return App(1,
             {Submitted(11, kExpert, 8, 6, 5), Submitted(12, kExpert, 7, 7, 7),
              Review(13, kExpert, ReviewState::kAbstained, 0, 0, 0), Submitted(21, kCitizen, 9, 8, 10),
              Review(22, kCitizen, ReviewState::kRecused, 0, 0, 0),
              Review(23, kCitizen, ReviewState::kDraft, 1, 1, 1)},
             5);
}

TEST(ScoringScoreAllTest, AbstainedRecusedAndDraftReviewsAreCountedButNotAveraged) {
  const std::vector<AppScore> out = ScoreAll(Rubric(), {PanelWithEveryState()}, ScoreOptions{});
  ASSERT_EQ(out.size(), 1u);
  const AppScore& s = out[0];
  EXPECT_EQ(s.application_id, 1);
  EXPECT_EQ(s.public_id, "G-001");
  EXPECT_EQ(s.valid, 3);
  EXPECT_EQ(s.abstained, 1);
  EXPECT_EQ(s.recused, 1);
  EXPECT_EQ(s.pending, 1);
  EXPECT_EQ(s.invalid, 0);
  EXPECT_NEAR(*s.expert, 6.75, kEps);
  EXPECT_NEAR(*s.citizen, 9.0, kEps);
  EXPECT_NEAR(*s.overall, 7.65, kEps);
  EXPECT_FALSE(s.insufficient_reviews);  // 3 valid >= ⌈5/2⌉ = 3, both kinds present
  EXPECT_EQ(s.rank, 0);
  EXPECT_FALSE(s.expert_norm.has_value());
  EXPECT_FALSE(s.citizen_norm.has_value());
  EXPECT_FALSE(s.overall_norm.has_value());
}

TEST(ScoringScoreAllTest, CriteriaAreRawMeansOverValidReviewsInRubricOrder) {
  const AppScore s = ScoreAll(Rubric(), {PanelWithEveryState()}, ScoreOptions{})[0];
  ASSERT_EQ(s.criteria.size(), 3u);
  EXPECT_EQ(s.criteria[0].first, "impact");
  EXPECT_NEAR(s.criteria[0].second, (8 + 7 + 9) / 3.0, kEps);  // 8
  EXPECT_EQ(s.criteria[1].first, "feasibility");
  EXPECT_NEAR(s.criteria[1].second, (6 + 7 + 8) / 3.0, kEps);  // 7
  EXPECT_EQ(s.criteria[2].first, "budget");
  EXPECT_NEAR(s.criteria[2].second, (5 + 7 + 10) / 3.0, kEps);  // 7.333…
}

TEST(ScoringScoreAllTest, ACustomExpertWeightReplacesTheSeatShare) {
  ScoreOptions opt;
  opt.expert_weight_pct = 50;  // 0.5·6.75 + 0.5·9.0 = 7.875
  EXPECT_NEAR(*ScoreAll(Rubric(), {PanelWithEveryState()}, opt)[0].overall, 7.875, kEps);
  opt.expert_weight_pct = 100;  // experts only
  EXPECT_NEAR(*ScoreAll(Rubric(), {PanelWithEveryState()}, opt)[0].overall, 6.75, kEps);
  opt.expert_weight_pct = 0;  // citizens only
  EXPECT_NEAR(*ScoreAll(Rubric(), {PanelWithEveryState()}, opt)[0].overall, 9.0, kEps);
}

TEST(ScoringScoreAllTest, TheDefaultWeightIsTheSeatShareOfExperts) {
  ScoreOptions opt;
  opt.panel_experts = 4;
  opt.panel_citizens = 1;  // α = 4/5: 0.8·6.75 + 0.2·9.0 = 5.4 + 1.8 = 7.2
  EXPECT_NEAR(*ScoreAll(Rubric(), {PanelWithEveryState()}, opt)[0].overall, 7.2, kEps);
}

TEST(ScoringScoreAllTest, ExpertWeightClampsAndFallsBackToAnEvenSplit) {
  EXPECT_DOUBLE_EQ(ExpertWeight(ScoreOptions{}), 0.6);
  ScoreOptions opt;
  opt.expert_weight_pct = 150;
  EXPECT_DOUBLE_EQ(ExpertWeight(opt), 1.0);
  opt.expert_weight_pct = kExpertWeightFromSeats;
  opt.panel_experts = 0;
  opt.panel_citizens = 0;
  EXPECT_DOUBLE_EQ(ExpertWeight(opt), 0.5);
}

TEST(ScoringScoreAllTest, WithoutCitizenReviewsTheExpertMeanAloneCountsAndIsFlagged) {
  const AppReviews app = App(2, {Submitted(11, kExpert, 8, 6, 5), Submitted(12, kExpert, 7, 7, 7)}, 5);
  const AppScore s = ScoreAll(Rubric(), {app}, ScoreOptions{})[0];
  EXPECT_NEAR(*s.expert, 6.75, kEps);
  EXPECT_FALSE(s.citizen.has_value());
  EXPECT_NEAR(*s.overall, 6.75, kEps);
  EXPECT_TRUE(s.insufficient_reviews);
}

TEST(ScoringScoreAllTest, AKindWithoutPanelSeatsIsNotMissing) {
  ScoreOptions opt;
  opt.panel_experts = 3;
  opt.panel_citizens = 0;
  const AppReviews app = App(2, {Submitted(11, kExpert, 8, 6, 5), Submitted(12, kExpert, 7, 7, 7)}, 3);
  const AppScore s = ScoreAll(Rubric(), {app}, opt)[0];
  EXPECT_NEAR(*s.overall, 6.75, kEps);
  EXPECT_FALSE(s.insufficient_reviews);  // 2 valid >= ⌈3/2⌉ = 2
}

TEST(ScoringScoreAllTest, FewerValidReviewsThanHalfTheSeatsIsFlaggedButStillScored) {
  // E 6.5, C 9.0: 2 valid < ⌈5/2⌉ = 3. overall = 0.6·6.5 + 0.4·9 = 3.9 + 3.6 = 7.5
  const AppReviews app = App(3, {Submitted(11, kExpert, 8, 6, 5), Submitted(21, kCitizen, 9, 8, 10)}, 5);
  const AppScore s = ScoreAll(Rubric(), {app}, ScoreOptions{})[0];
  EXPECT_TRUE(s.insufficient_reviews);
  EXPECT_NEAR(*s.overall, 7.5, kEps);
}

TEST(ScoringScoreAllTest, NoValidReviewMeansNoScoresAndNoCriteria) {
  const AppReviews app = App(4, {Review(11, kExpert, ReviewState::kAbstained, 5, 5, 5)}, 5);
  ScoreOptions opt;
  opt.normalise = true;
  const AppScore s = ScoreAll(Rubric(), {app}, opt)[0];
  EXPECT_FALSE(s.overall.has_value());
  EXPECT_FALSE(s.overall_norm.has_value());
  EXPECT_TRUE(s.criteria.empty());
  EXPECT_TRUE(s.insufficient_reviews);
  EXPECT_EQ(s.abstained, 1);
}

TEST(ScoringScoreAllTest, ASubmittedReviewFailingValidationIsCountedAsInvalidAndExcluded) {
  ReviewScores broken = Submitted(12, kExpert, 0, 0, 0);
  broken.scores.erase("budget");  // the rubric gained "budget" after this review
  const AppReviews app = App(5, {Submitted(11, kExpert, 8, 6, 5), broken, Submitted(21, kCitizen, 9, 8, 10)}, 3);
  const AppScore s = ScoreAll(Rubric(), {app}, ScoreOptions{})[0];
  EXPECT_EQ(s.valid, 2);
  EXPECT_EQ(s.invalid, 1);
  EXPECT_NEAR(*s.expert, 6.5, kEps);
}

// ------------------------------------------------------------- normalisation

// A harsh expert (E2) marks everything 4 points below E1; a citizen (C1) saw
// only two applications. Rubric "merit" weight 1, so s = the mark.
//          E1   E2   C1
//   A       8    4    9
//   B       6    2    7
//   C       7    3    -
// All valid scores 8,6,7,4,2,3,9,7: n = 8, μ = 46/8 = 5.75,
//   Σ(s−μ)² = 5.0625+0.0625+1.5625+3.0625+14.0625+7.5625+10.5625+1.5625 = 43.5,
//   σ² = 43.5/8 = 5.4375, σ = 2.331845.
// E1: μ = 7, σ_r = √(2/3) = 0.816497 (n = 3, σ_r ≥ 0.5: scaled).
// E2: μ = 3, σ_r = √(2/3) (scaled). E1's and E2's z are +1.224745, −1.224745, 0.
//   s' = 5.75 + σ·z = 5.75 ± √(5.4375·1.5) = 5.75 ± 2.855915, or 5.75.
//   So the harsh 4 on A becomes 8.605915, the same as E1's 8.
// C1: n = 2, centred only: s' = 5.75 + (s − 8): A 6.75, B 4.75.
// Sub-scores (normalised):
//   A: expert 8.605915, citizen 6.75, overall 0.6·8.605915 + 0.4·6.75 = 7.863549
//   B: expert 2.894085, citizen 4.75, overall 0.6·2.894085 + 0.4·4.75 = 3.636451
//   C: expert 5.75, no citizen review, overall 5.75
// Raw: A 0.6·6 + 0.4·9 = 7.2, B 0.6·4 + 0.4·7 = 5.2, C 5 (experts only).
std::vector<AppReviews> HarshReviewerMeeting() {
  return {App(1, {Merit(1, kExpert, 8), Merit(2, kExpert, 4), Merit(3, kCitizen, 9)}, 3),
          App(2, {Merit(1, kExpert, 6), Merit(2, kExpert, 2), Merit(3, kCitizen, 7)}, 3),
          App(3, {Merit(1, kExpert, 7), Merit(2, kExpert, 3)}, 3)};
}

TEST(ScoringNormaliseTest, AHarshReviewerIsScaledOntoTheMeetingsScale) {
  ScoreOptions opt;
  opt.normalise = true;
  const std::vector<AppScore> out = ScoreAll(MeritRubric(), HarshReviewerMeeting(), opt);
  ASSERT_EQ(out.size(), 3u);
  const double spread = std::sqrt(5.4375 * 1.5);  // σ/σ_r = 2.855915
  const AppScore& a = out[0];
  const AppScore& b = out[1];
  const AppScore& c = out[2];

  EXPECT_NEAR(*a.expert_norm, 5.75 + spread, kEps);
  EXPECT_NEAR(*a.expert_norm, 8.605915, 1e-6);
  EXPECT_NEAR(*a.citizen_norm, 6.75, kEps);
  EXPECT_NEAR(*a.overall_norm, 0.6 * (5.75 + spread) + 0.4 * 6.75, kEps);
  EXPECT_NEAR(*a.overall_norm, 7.863549, 1e-6);

  EXPECT_NEAR(*b.expert_norm, 5.75 - spread, kEps);
  EXPECT_NEAR(*b.citizen_norm, 4.75, kEps);
  EXPECT_NEAR(*b.overall_norm, 3.636451, 1e-6);

  EXPECT_NEAR(*c.expert_norm, 5.75, kEps);
  EXPECT_FALSE(c.citizen_norm.has_value());
  EXPECT_NEAR(*c.overall_norm, 5.75, kEps);
  EXPECT_TRUE(c.insufficient_reviews);

  // Raw values are kept side by side.
  EXPECT_NEAR(*a.overall, 7.2, kEps);
  EXPECT_NEAR(*b.overall, 5.2, kEps);
  EXPECT_NEAR(*c.overall, 5.0, kEps);
}

TEST(ScoringNormaliseTest, RankingUsesTheNormalisedOverallWhenPresent) {
  ScoreOptions opt;
  opt.normalise = true;
  const std::vector<AppReviews> apps = HarshReviewerMeeting();
  std::vector<AppScore> normalised = ScoreAll(MeritRubric(), apps, opt);
  Rank(normalised, apps);
  EXPECT_EQ(Ids(normalised), (std::vector<int64_t>{1, 3, 2}));  // 7.86, 5.75, 3.64

  std::vector<AppScore> raw = ScoreAll(MeritRubric(), apps, ScoreOptions{});
  Rank(raw, apps);
  EXPECT_EQ(Ids(raw), (std::vector<int64_t>{1, 2, 3}));  // 7.2, 5.2, 5.0
}

// R marks all three applications 5 (σ_r = 0 < 0.5: centred, no division by
// zero); S marks 2, 8, 5 (μ 5, σ_r = √6 = 2.449: scaled).
// All: 5,5,5,2,8,5: μ = 5, σ² = (9 + 9)/6 = 3, σ = √3.
// R: 5 + (5 − 5) = 5. S: 5 ± √3·3/√6 = 5 ± 3/√2 = 5 ± 2.121320, or 5.
// expert_norm X = (5 + 2.878680)/2 = 3.939340, Y = 6.060660, Z = 5.
TEST(ScoringNormaliseTest, AReviewerWithoutSpreadIsOnlyCentred) {
  const std::vector<AppReviews> apps = {App(1, {Merit(1, kExpert, 5), Merit(2, kExpert, 2)}),
                                        App(2, {Merit(1, kExpert, 5), Merit(2, kExpert, 8)}),
                                        App(3, {Merit(1, kExpert, 5), Merit(2, kExpert, 5)})};
  ScoreOptions opt;
  opt.normalise = true;
  const std::vector<AppScore> out = ScoreAll(MeritRubric(), apps, opt);
  const double step = 3.0 / std::sqrt(2.0);
  EXPECT_NEAR(*out[0].expert_norm, (5.0 + 5.0 - step) / 2, kEps);
  EXPECT_NEAR(*out[0].expert_norm, 3.939340, 1e-6);
  EXPECT_NEAR(*out[1].expert_norm, (5.0 + 5.0 + step) / 2, kEps);
  EXPECT_NEAR(*out[2].expert_norm, 5.0, kEps);
}

// R has two reviews, 10 and 0 (n < 3: centred, μ_r = 5); S marks four others
// 10 (σ_r = 0: centred, μ_r = 10). All: 10,0,10,10,10,10: μ = 50/6 = 8.3333.
// R's 10 -> 8.3333 + 5 = 13.33, clamped to 10; R's 0 -> 3.3333; S's -> 8.3333.
TEST(ScoringNormaliseTest, NormalisedScoresAreClampedToTheScale) {
  std::vector<AppReviews> apps = {App(1, {Merit(1, kExpert, 10)}), App(2, {Merit(1, kExpert, 0)})};
  for (int64_t id = 3; id <= 6; ++id) {
    apps.push_back(App(id, {Merit(2, kExpert, 10)}));
  }
  ScoreOptions opt;
  opt.normalise = true;
  opt.panel_citizens = 0;
  const std::vector<AppScore> out = ScoreAll(MeritRubric(), apps, opt);
  EXPECT_DOUBLE_EQ(*out[0].expert_norm, 10.0);
  EXPECT_NEAR(*out[1].expert_norm, 50.0 / 6 - 5, kEps);
  EXPECT_NEAR(*out[2].expert_norm, 50.0 / 6, kEps);
}

// A meeting of `n` applications with random panels (fixed seed).
std::vector<AppReviews> RandomMeeting(uint32_t seed, int n) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> mark(kMinCriterionScore, kMaxCriterionScore);
  std::uniform_int_distribution<int> state(0, 9);
  std::uniform_int_distribution<int64_t> reviewer(1, 8);
  std::vector<AppReviews> apps;
  for (int i = 1; i <= n; ++i) {
    std::vector<ReviewScores> reviews;
    std::vector<int64_t> used;
    for (int seat = 0; seat < 5; ++seat) {
      int64_t id = reviewer(rng);
      while (std::find(used.begin(), used.end(), id) != used.end()) {
        id = reviewer(rng);
      }
      used.push_back(id);
      const int st = state(rng);
      const ReviewState rs = st == 0 ? ReviewState::kAbstained
                             : st == 1 ? ReviewState::kRecused
                             : st == 2 ? ReviewState::kDraft
                                       : ReviewState::kSubmitted;
      reviews.push_back(Review(id, id <= 5 ? kExpert : kCitizen, rs, mark(rng), mark(rng), mark(rng)));
    }
    apps.push_back(App(i, std::move(reviews), 5));
  }
  return apps;
}

TEST(ScoringDeterminismTest, ScoresAndRanksDoNotDependOnInputOrder) {
  constexpr uint32_t kSeed = 20240611;
  const std::vector<AppReviews> apps = RandomMeeting(kSeed, 40);
  ScoreOptions opt;
  opt.normalise = true;
  std::vector<AppScore> first = ScoreAll(Rubric(), apps, opt);
  Rank(first, apps);

  std::mt19937 rng(kSeed + 1);
  for (int round = 0; round < 20; ++round) {
    std::vector<AppReviews> shuffled = apps;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    for (AppReviews& a : shuffled) {
      std::shuffle(a.reviews.begin(), a.reviews.end(), rng);
    }
    std::vector<AppScore> again = ScoreAll(Rubric(), shuffled, opt);
    Rank(again, shuffled);
    ASSERT_EQ(Ids(again), Ids(first)) << round;
    for (size_t i = 0; i < first.size(); ++i) {
      // Bit-identical, not merely close.
      EXPECT_EQ(again[i].overall, first[i].overall);
      EXPECT_EQ(again[i].expert_norm, first[i].expert_norm);
      EXPECT_EQ(again[i].citizen_norm, first[i].citizen_norm);
      EXPECT_EQ(again[i].overall_norm, first[i].overall_norm);
      EXPECT_EQ(again[i].criteria, first[i].criteria);
      EXPECT_EQ(again[i].rank, first[i].rank);
    }
  }
}

// ------------------------------------------------------------------- ranking

AppScore Scored(int64_t id, std::optional<double> overall, std::optional<double> expert = std::nullopt) {
  AppScore s;
  s.application_id = id;
  char buf[32];
  std::snprintf(buf, sizeof buf, "G-%03lld", static_cast<long long>(id));
  s.public_id = buf;
  s.overall = overall;
  s.expert = expert;
  return s;
}

TEST(ScoringRankTest, HigherOverallFirstAndAppsWithoutOneLast) {
  std::vector<AppScore> scores = {Scored(1, 7.0), Scored(2, 9.0), Scored(3, std::nullopt), Scored(4, 8.0)};
  const std::vector<AppReviews> apps = {App(1, {}), App(2, {}), App(3, {}), App(4, {})};
  Rank(scores, apps);
  EXPECT_EQ(Ids(scores), (std::vector<int64_t>{2, 4, 1, 3}));
  for (size_t i = 0; i < scores.size(); ++i) {
    EXPECT_EQ(scores[i].rank, static_cast<int>(i) + 1);
  }
}

TEST(ScoringRankTest, AnEqualOverallGoesToTheHigherExpertSubScoreDespiteFloatingPointNoise) {
  // App 1: E 7.0, C 8.5 -> 0.6·7 + 0.4·8.5 = 7.6; app 2: E 8.0, C 7.0 -> 4.8 + 2.8 = 7.6.
  // App 1 was submitted first, but app 2's experts rated it higher.
  const std::vector<AppReviews> apps = {
      App(1, {Merit(1, kExpert, 7), Merit(3, kCitizen, 8), Merit(4, kCitizen, 9)}),
      App(2, {Merit(1, kExpert, 8), Merit(3, kCitizen, 7)})};
  std::vector<AppScore> scores = ScoreAll(MeritRubric(), apps, ScoreOptions{});
  EXPECT_NEAR(*scores[0].overall, 7.6, kEps);
  EXPECT_NEAR(*scores[1].overall, 7.6, kEps);
  Rank(scores, apps);
  EXPECT_EQ(Ids(scores), (std::vector<int64_t>{2, 1}));
}

TEST(ScoringRankTest, AMissingExpertSubScoreLosesTheTie) {
  std::vector<AppScore> scores = {Scored(1, 7.0, std::nullopt), Scored(2, 7.0, 6.0)};
  const std::vector<AppReviews> apps = {App(1, {}), App(2, {})};
  Rank(scores, apps);
  EXPECT_EQ(Ids(scores), (std::vector<int64_t>{2, 1}));
}

TEST(ScoringRankTest, ThenTheEarlierSubmissionThenThePublicId) {
  std::vector<AppReviews> apps = {App(1, {}), App(2, {}), App(3, {}), App(4, {})};
  apps[0].submitted_at_ms = 5'000;
  apps[1].submitted_at_ms = 3'000;
  apps[2].submitted_at_ms = 3'000;
  apps[3].submitted_at_ms = 3'000;
  std::vector<AppScore> scores = {Scored(1, 7.0, 7.0), Scored(2, 7.0, 7.0), Scored(3, 7.0, 7.0),
                                  Scored(4, 7.0, 7.0)};
  scores[1].public_id = "G-2024-009";
  scores[2].public_id = "G-2024-002";
  scores[3].public_id = "G-2024-005";
  Rank(scores, apps);
  // 2, 3, 4 were submitted together and order by public_id; 1 came later.
  EXPECT_EQ(Ids(scores), (std::vector<int64_t>{3, 4, 2, 1}));
}

TEST(ScoringRankTest, TheNormalisedScoreAndExpertSubScoreRankWhenPresent) {
  AppScore a = Scored(1, 9.0, 9.0);
  a.overall_norm = 6.0;
  a.expert_norm = 5.0;
  AppScore b = Scored(2, 5.0, 5.0);
  b.overall_norm = 6.0;
  b.expert_norm = 7.0;
  AppScore c = Scored(3, 4.0, 4.0);
  c.overall_norm = 8.0;
  c.expert_norm = 8.0;
  std::vector<AppScore> scores = {a, b, c};
  Rank(scores, {App(1, {}), App(2, {}), App(3, {})});
  EXPECT_EQ(Ids(scores), (std::vector<int64_t>{3, 2, 1}));
}

TEST(ScoringRankTest, TheOrderIsTheSameWhateverTheInputOrder) {
  std::vector<AppReviews> apps;
  std::vector<AppScore> scores;
  for (int64_t id = 1; id <= 12; ++id) {
    apps.push_back(App(id, {}));
    apps.back().submitted_at_ms = 1'000 * (id % 3);
    // Many ties on overall and expert, and two without any score.
    scores.push_back(Scored(id, id > 10 ? std::nullopt : std::optional<double>(id % 3), (id % 2) * 1.0));
  }
  std::vector<AppScore> reference = scores;
  Rank(reference, apps);
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::shuffle(scores.begin(), scores.end(), rng);
    std::shuffle(apps.begin(), apps.end(), rng);
    std::vector<AppScore> again = scores;
    Rank(again, apps);
    ASSERT_EQ(Ids(again), Ids(reference)) << round;
  }
}

// --------------------------------------------------------------- budget fill

struct Candidate {
  int64_t id = 0;
  std::optional<double> overall;
  int64_t requested_fen = 0;
  bool eligible = true;
  bool insufficient = false;
};

// The candidates in the given (ranked) order, ranks 1, 2, …
struct Board {
  std::vector<AppScore> ranked;
  std::vector<AppReviews> apps;
};

Board MakeBoard(const std::vector<Candidate>& candidates) {
  Board b;
  int rank = 0;
  for (const Candidate& c : candidates) {
    AppScore s = Scored(c.id, c.overall, c.overall);
    s.insufficient_reviews = c.insufficient;
    s.rank = ++rank;
    b.ranked.push_back(s);
    AppReviews a = App(c.id, {});
    a.requested_fen = c.requested_fen;
    a.eligible = c.eligible;
    b.apps.push_back(a);
  }
  return b;
}

std::vector<std::string> Notes(const std::vector<FillLine>& lines) {
  std::vector<std::string> notes;
  for (const FillLine& l : lines) {
    notes.push_back(l.note);
  }
  return notes;
}

std::vector<int64_t> Proposed(const std::vector<FillLine>& lines) {
  std::vector<int64_t> out;
  for (const FillLine& l : lines) {
    out.push_back(l.proposed_fen);
  }
  return out;
}

TEST(ScoringFillTest, WalksTheRankingSkippingWhatCannotBeFundedAndLettingSmallerProjectsUseTheRest) {
  const Board b = MakeBoard({
      {1, 9.0, 40'000},                  // full: remaining 60,000
      {2, 8.5, 30'000, false},           // ineligible
      {3, 8.0, 50'000},                  // full: remaining 10,000
      {4, 7.5, 30'000},                  // 10,000 < 70% of 30,000 = 21,000: budget_exhausted
      {5, 7.0, 5'000, true, true},       // insufficient_reviews, though it would fit
      {6, 6.5, 8'000},                   // full: remaining 2,000
      {7, 5.0, 1'000},                   // below_min_score, though it would fit
      {8, std::nullopt, 1'000},          // no score at all
      {9, 6.0, 2'000},                   // full at exactly min_score: remaining 0
  });
  FillOptions opt;
  opt.budget_fen = 100'000;
  opt.min_score = 6.0;
  const std::vector<FillLine> lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"full", "ineligible", "full", "budget_exhausted",
                                                    "insufficient_reviews", "full", "below_min_score",
                                                    "insufficient_reviews", "full"}));
  EXPECT_EQ(Proposed(lines), (std::vector<int64_t>{40'000, 0, 50'000, 0, 0, 8'000, 0, 0, 2'000}));
  EXPECT_EQ(lines[5].running_total_fen, 98'000);
  EXPECT_EQ(lines.back().running_total_fen, 100'000);
  EXPECT_EQ(lines[3].requested_fen, 30'000);
  EXPECT_EQ(lines[3].rank, 4);
  EXPECT_EQ(lines[3].public_id, "G-004");
  EXPECT_NEAR(*lines[3].overall, 7.5, kEps);
}

TEST(ScoringFillTest, APartialGrantNeedsAtLeastTheMinimumShareOfTheAsk) {
  FillOptions opt;
  opt.budget_fen = 51'000;  // after the first, 21,000 = exactly 70% of 30,000
  Board b = MakeBoard({{1, 9.0, 30'000}, {2, 8.0, 30'000}});
  std::vector<FillLine> lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"full", "partial"}));
  EXPECT_EQ(Proposed(lines), (std::vector<int64_t>{30'000, 21'000}));
  EXPECT_EQ(lines[1].running_total_fen, 51'000);

  opt.budget_fen = 50'999;  // 20,999 < 21,000
  lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"full", "budget_exhausted"}));
  EXPECT_EQ(lines[1].running_total_fen, 30'000);

  opt.budget_fen = 51'000;
  opt.allow_partial = false;
  lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"full", "budget_exhausted"}));

  opt.allow_partial = true;
  opt.min_partial_pct = 50;
  opt.budget_fen = 45'000;  // 15,000 = 50% of 30,000
  lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Proposed(lines), (std::vector<int64_t>{30'000, 15'000}));
}

TEST(ScoringFillTest, TheCapLimitsEachOfferAndThePartialRuleAppliesToTheCappedAsk) {
  FillOptions opt;
  opt.cap_fen = 25'000;
  opt.budget_fen = 45'000;
  const Board b = MakeBoard({{1, 9.0, 40'000}, {2, 8.0, 100'000}, {3, 7.0, 1}});
  const std::vector<FillLine> lines = FillBudget(b.ranked, b.apps, opt);
  // 1: capped ask 25,000 offered whole; 2: 20,000 >= 70% of the capped 25,000.
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"full", "partial", "budget_exhausted"}));
  EXPECT_EQ(Proposed(lines), (std::vector<int64_t>{25'000, 20'000, 0}));
  EXPECT_EQ(lines[1].requested_fen, 100'000);
}

TEST(ScoringFillTest, WhatIsAlreadyAwardedIsNotOfferedAgain) {
  FillOptions opt;
  opt.budget_fen = 100'000;
  opt.already_awarded_fen = 90'000;
  const Board b = MakeBoard({{1, 9.0, 10'000}, {2, 8.0, 1}});
  std::vector<FillLine> lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"full", "budget_exhausted"}));
  EXPECT_EQ(lines[0].running_total_fen, 10'000);

  opt.already_awarded_fen = 120'000;  // over-awarded: nothing left, never negative
  lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Proposed(lines), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"budget_exhausted", "budget_exhausted"}));
}

TEST(ScoringFillTest, AnAppMissingFromTheInputOrAskingForNothingIsIneligible) {
  Board b = MakeBoard({{1, 9.0, 10'000}, {2, 8.0, 0}});
  b.apps.erase(b.apps.begin());
  FillOptions opt;
  opt.budget_fen = 100'000;
  const std::vector<FillLine> lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(Notes(lines), (std::vector<std::string>{"ineligible", "ineligible"}));
  EXPECT_EQ(lines.back().running_total_fen, 0);
}

TEST(ScoringFillTest, TheNormalisedScoreIsShownAndComparedWithTheMinimum) {
  Board b = MakeBoard({{1, 9.0, 10'000}});
  b.ranked[0].overall_norm = 5.5;
  FillOptions opt;
  opt.budget_fen = 100'000;
  opt.min_score = 6.0;
  const std::vector<FillLine> lines = FillBudget(b.ranked, b.apps, opt);
  EXPECT_EQ(lines[0].note, "below_min_score");
  EXPECT_NEAR(*lines[0].overall, 5.5, kEps);
}

// 1000 random boards (fixed seed): the fill never proposes more than what is
// left of the budget, never more than the cap or the ask, keeps an exact
// running total, and follows its rules line by line.
TEST(ScoringFillTest, RandomBoardsNeverOverFillAndFollowTheRules) {
  constexpr uint32_t kSeed = 424242;
  constexpr int kCases = 1000;
  std::mt19937 rng(kSeed);
  std::uniform_int_distribution<int> count(0, 30);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int64_t> amount(0, 200'000);
  std::uniform_real_distribution<double> score(0.0, 10.0);
  std::uniform_int_distribution<int> pct(0, 100);

  for (int c = 0; c < kCases; ++c) {
    std::vector<Candidate> candidates;
    const int n = count(rng);
    for (int i = 1; i <= n; ++i) {
      Candidate cand;
      cand.id = i;
      // Scores from a coarse grid too, so ties are common.
      cand.overall = percent(rng) < 5    ? std::nullopt
                     : percent(rng) < 50 ? std::optional<double>(percent(rng) % 11)
                                         : std::optional<double>(score(rng));
      cand.requested_fen = percent(rng) < 3 ? 0 : amount(rng);
      cand.eligible = percent(rng) >= 10;
      cand.insufficient = percent(rng) < 10;
      candidates.push_back(cand);
    }
    Board b = MakeBoard(candidates);
    Rank(b.ranked, b.apps);
    FillOptions opt;
    opt.budget_fen = amount(rng) * 5;
    opt.already_awarded_fen = percent(rng) < 30 ? amount(rng) * 3 : 0;
    opt.cap_fen = percent(rng) < 50 ? amount(rng) : 0;
    opt.min_score = percent(rng) < 50 ? score(rng) : 0.0;
    opt.min_partial_pct = pct(rng);
    opt.allow_partial = percent(rng) < 70;

    const std::vector<FillLine> lines = FillBudget(b.ranked, b.apps, opt);
    ASSERT_EQ(lines.size(), b.ranked.size());
    const int64_t start = std::max<int64_t>(0, opt.budget_fen - opt.already_awarded_fen);
    int64_t total = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
      const FillLine& l = lines[i];
      SCOPED_TRACE("case " + std::to_string(c) + " line " + std::to_string(i) + " " + l.note);
      ASSERT_EQ(l.application_id, b.ranked[i].application_id);
      ASSERT_EQ(l.rank, b.ranked[i].rank);
      const int64_t ask = opt.cap_fen > 0 ? std::min(l.requested_fen, opt.cap_fen) : l.requested_fen;
      const int64_t before = start - total;
      total += l.proposed_fen;
      ASSERT_EQ(l.running_total_fen, total);
      ASSERT_GE(l.proposed_fen, 0);
      ASSERT_LE(l.proposed_fen, l.requested_fen);
      if (opt.cap_fen > 0) {
        ASSERT_LE(l.proposed_fen, opt.cap_fen);
      }
      const bool partial_ok = opt.allow_partial && before > 0 && before * 100 >= ask * opt.min_partial_pct;
      if (l.note == "full") {
        ASSERT_EQ(l.proposed_fen, ask);
        ASSERT_LE(ask, before);
      } else if (l.note == "partial") {
        ASSERT_EQ(l.proposed_fen, before);
        ASSERT_LT(before, ask);
        ASSERT_TRUE(partial_ok);
      } else {
        ASSERT_EQ(l.proposed_fen, 0);
      }
      if (l.note == "budget_exhausted") {
        ASSERT_GT(ask, before);
        ASSERT_FALSE(partial_ok);
      }
      if (l.note == "full" || l.note == "partial") {
        ASSERT_TRUE(b.apps[static_cast<size_t>(l.application_id - 1)].eligible);
        ASSERT_FALSE(b.ranked[i].insufficient_reviews);
        ASSERT_GE(*l.overall + kEps, opt.min_score);
      }
    }
    ASSERT_LE(total, start);
    // Anything skipped for budget could not be funded whole from what is left.
    for (const FillLine& l : lines) {
      if (l.note == "budget_exhausted") {
        const int64_t ask = opt.cap_fen > 0 ? std::min(l.requested_fen, opt.cap_fen) : l.requested_fen;
        ASSERT_GT(ask, start - total);
      }
    }
    // Deterministic.
    const std::vector<FillLine> again = FillBudget(b.ranked, b.apps, opt);
    ASSERT_EQ(Notes(again), Notes(lines));
    ASSERT_EQ(Proposed(again), Proposed(lines));
  }
}

}  // namespace
}  // namespace carecity::grants
