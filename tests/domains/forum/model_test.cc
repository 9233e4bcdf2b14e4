// The forum's pure rules: pages of floors, @mentions, excerpts, levels.
#include "domains/forum/model.h"
#include "media/markdown.h"

#include <gtest/gtest.h>

namespace carecity::forum {
namespace {

TEST(ForumModelTest, PagesHoldTwentyFloorsAndClampToTheThread) {
  auto first = FloorsOfPage(1, 41);
  EXPECT_EQ(first.first, 1);
  EXPECT_EQ(first.last, 20);
  EXPECT_EQ(first.pages, 3);
  auto last = FloorsOfPage(99, 41);
  EXPECT_EQ(last.page, 3);
  EXPECT_EQ(last.first, 41);
  EXPECT_EQ(last.last, 41);
  EXPECT_EQ(FloorsOfPage(1, 1).pages, 1);
  EXPECT_EQ(FloorsOfPage(2, 40).last, 40);
}

TEST(ForumModelTest, MentionsRunToSpaceOrPunctuationAndSkipEmailAddresses) {
  EXPECT_EQ(Mentions("@桂城阿明 你好"), (std::vector<std::string>{"桂城阿明"}));
  EXPECT_EQ(Mentions("请@陈阿姨，还有@李社工。"), (std::vector<std::string>{"陈阿姨", "李社工"}));
  EXPECT_EQ(Mentions("@Ming_1!"), (std::vector<std::string>{"Ming_1"}));
  EXPECT_TRUE(Mentions("写信到 a@b.cn").empty());
  EXPECT_TRUE(Mentions("@ 空").empty());
  EXPECT_EQ(Mentions("@甲 @甲 @乙").size(), 2u);
  EXPECT_EQ(Mentions("@a @b @c @d @e @f @g").size(), kMaxMentions);
}

TEST(ForumModelTest, ExcerptsArePlainTextCutAtACharacter) {
  EXPECT_EQ(media::PlainExcerpt("## 标题\n\n**加粗** 文字", 100), "标题 加粗 文字");
  EXPECT_EQ(media::PlainExcerpt("一二三四五六", 3), "一二三…");
}

TEST(ForumModelTest, LevelsFollowCredits) {
  EXPECT_STREQ(LevelFor(0).name, "新手上路");
  EXPECT_STREQ(LevelFor(-30).name, "新手上路");
  EXPECT_STREQ(LevelFor(100).name, "热心居民");
  EXPECT_EQ(NextLevel(LevelFor(100))->credits, 300);
  EXPECT_EQ(NextLevel(LevelFor(5000)), nullptr);
  EXPECT_EQ(CreditsFor("report_upheld"), -10);
  EXPECT_EQ(CreditsFor("nonsense"), 0);
}

}  // namespace
}  // namespace carecity::forum
