// The market's matching function on hand-built cases: each factor's points,
// who is no match, and the stable order of equal scores.
#include "domains/market/matching.h"

#include <gtest/gtest.h>

namespace carecity::market {
namespace {

MatchNeed ElderNeed() { return {"长者服务", "独居长者", 3'000'000, 6'000'000}; }

MatchProject Project(int64_t id, std::string type, std::string target, Fen min, Fen max,
                     std::optional<std::string> rating = std::nullopt) {
  MatchProject p;
  p.id = id;
  p.project_type = std::move(type);
  p.target_group = std::move(target);
  p.price_min_fen = min;
  p.price_max_fen = max;
  p.org_rating = std::move(rating);
  return p;
}

std::vector<std::string> Codes(const Match& m) {
  std::vector<std::string> out;
  for (const Reason& r : m.reasons) {
    out.push_back(r.code);
  }
  return out;
}

TEST(MarketMatchingTest, AFullMatchScoresEveryFactorWithItsReason) {
  const auto m = ScoreProject(ElderNeed(), Project(1, "长者服务", "独居长者", 4'000'000, 5'000'000, "5A"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->score, 40 + 20 + 20 + 10);
  EXPECT_EQ(Codes(*m), (std::vector<std::string>{"type_match", "target_group_match", "budget_fit", "org_rating"}));
  EXPECT_EQ(m->reasons[3].level, "5A");
}

TEST(MarketMatchingTest, APartialTargetAndAnOverlappingPriceScoreHalf) {
  const auto m = ScoreProject(ElderNeed(), Project(1, "长者服务", "长者", 5'000'000, 8'000'000, "3A"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->score, 40 + 10 + 10 + 3);
  EXPECT_EQ(m->reasons[1].numbers.front(), (std::pair<std::string, int64_t>{"partial", 1}));
}

TEST(MarketMatchingTest, APriceOutsideTheBudgetGivesNoBudgetReason) {
  const auto m = ScoreProject(ElderNeed(), Project(1, "长者服务", "青少年", 7'000'000, 9'000'000));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->score, 40);
  EXPECT_EQ(Codes(*m), std::vector<std::string>{"type_match"});
}

TEST(MarketMatchingTest, NeitherTypeNorTargetIsNoMatchWhateverThePrice) {
  EXPECT_FALSE(ScoreProject(ElderNeed(), Project(1, "青少年", "在校学生", 4'000'000, 4'000'000, "5A")));
}

TEST(MarketMatchingTest, TheTargetGroupAloneIsAMatch) {
  const auto m = ScoreProject(ElderNeed(), Project(1, "社区营造", "独居长者", 4'000'000, 4'000'000, "4A"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->score, 20 + 20 + 6);
}

TEST(MarketMatchingTest, EvaluationsAndServingTheVillageCountWhenFed) {
  MatchProject p = Project(1, "长者服务", "独居长者", 4'000'000, 4'000'000);
  p.evaluations = {3, 45};
  p.serves_village = true;
  const auto m = ScoreProject(ElderNeed(), p);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->score, 40 + 20 + 20 + 4 + 5);
  EXPECT_EQ(Codes(*m).back(), "serves_village");
}

TEST(MarketMatchingTest, EqualScoresKeepTheOlderProjectFirstInAnyInputOrder) {
  std::vector<MatchProject> ps = {
      Project(9, "长者服务", "独居长者", 4'000'000, 4'000'000, "4A"),
      Project(3, "长者服务", "独居长者", 4'000'000, 4'000'000, "4A"),
      Project(5, "长者服务", "独居长者", 4'000'000, 4'000'000, "5A"),
      Project(1, "青少年", "在校学生", 4'000'000, 4'000'000, "5A"),
      Project(7, "长者服务", "长者", 4'000'000, 4'000'000, "5A"),
  };
  std::vector<int64_t> first;
  for (int round = 0; round < 2; ++round) {
    std::vector<int64_t> ids;
    for (const Match& m : RankProjects(ElderNeed(), ps)) {
      ids.push_back(m.project_id);
    }
    EXPECT_EQ(ids, (std::vector<int64_t>{5, 3, 9, 7}));
    std::reverse(ps.begin(), ps.end());
  }
}

}  // namespace
}  // namespace carecity::market
