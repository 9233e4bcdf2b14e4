// The sensitive-word filter finds a listed word however it is disguised
// (width, case, spacing, punctuation, zero-width characters), names where
// it is, and lets each entry decide between refusing and holding.
#include "media/wordfilter.h"

#include <gtest/gtest.h>

#include <string>

namespace carecity::media {
namespace {

WordFilter Filter(std::string_view list) {
  auto f = WordFilter::Parse(list);
  EXPECT_TRUE(f.ok()) << (f.ok() ? "" : f.error().detail);
  return std::move(f).value();
}

std::string Span(std::string_view text, const WordHit& hit) {
  return std::string(text.substr(hit.begin, hit.end - hit.begin));
}

TEST(WordFilterTest, FindsAListedWordAndNamesItsBytes) {
  const auto f = Filter("赌博 refuse\n");
  const std::string text = "周末一起去赌博吗";
  const auto v = f.Decide(text);
  ASSERT_TRUE(v.matched);
  EXPECT_EQ(v.action, WordAction::kRefuse);
  EXPECT_EQ(v.word, "赌博");
  EXPECT_EQ(Span(text, v.hit), "赌博");
  EXPECT_EQ(v.hit.begin, std::string("周末一起去").size());
}

TEST(WordFilterTest, SeesThroughWidthCaseSpacingPunctuationAndZeroWidth) {
  const auto f = Filter("赌博\nqq群 hold\n");
  for (const std::string text : {"赌 博", "赌-博", "赌、博", "赌\u200b博", "赌　博", "赌。。。博", "赌*_*博",
                                 "赌\U0001F600博", "赌\t\n博"}) {
    const auto v = f.Decide(text);
    ASSERT_TRUE(v.matched) << text;
    EXPECT_EQ(v.word, "赌博") << text;
    EXPECT_EQ(Span(text, v.hit).substr(0, 3), "赌") << text;  // the span runs from the first character...
    EXPECT_EQ(Span(text, v.hit).substr(Span(text, v.hit).size() - 3), "博") << text;  // ...to the last
  }
  for (const std::string text : {"加QQ群", "加ＱＱ群", "加ｑ ｑ 群", "加Q.Q.群", "加 Ｑｑ－群"}) {
    const auto v = f.Decide(text);
    ASSERT_TRUE(v.matched) << text;
    EXPECT_EQ(v.action, WordAction::kHold) << text;
  }
}

TEST(WordFilterTest, AnEntryWrittenInAnyWidthMatchesEveryWidth) {
  const auto f = Filter("ＶＸ号\n");
  EXPECT_TRUE(f.Decide("加vx号").matched);
  EXPECT_TRUE(f.Decide("加 V X 号").matched);
}

TEST(WordFilterTest, LeavesInnocentTextAlone) {
  const auto f = Filter("赌博\n代开发票 hold\nqq群 hold\n");
  for (const std::string text : {"", "周末义工日，欢迎报名", "赌", "博物馆", "开发票据", "qq", "群聊",
                                 "\xff\xfe invalid bytes"}) {
    EXPECT_FALSE(f.Decide(text).matched) << text;
  }
  EXPECT_TRUE(f.Scan("博物馆 赌").empty());
}

TEST(WordFilterTest, RefuseOutranksHoldAndEveryOccurrenceIsFound) {
  const auto f = Filter("代开 hold\n代开发票 refuse\n发票\n");
  const std::string text = "可代开发票，代开";
  const auto hits = f.Scan(text);
  ASSERT_EQ(hits.size(), 4u);  // 代开, 代开发票, 发票 (overlapping), 代开
  const auto v = f.Decide(text);
  EXPECT_EQ(v.action, WordAction::kRefuse);
  EXPECT_EQ(v.word, "代开发票");
  EXPECT_TRUE(Filter("代开 hold\n").Decide(text).action == WordAction::kHold);
}

TEST(WordFilterTest, OverlappingEntriesSharingSuffixesAreAllFound) {
  // The classic Aho–Corasick case: he, she, his, hers in "ushers".
  const auto f = Filter("he\nshe\nhis\nhers\n");
  const auto hits = f.Scan("ushers");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(f.entries()[hits[0].entry].word, "she");
  EXPECT_EQ(f.entries()[hits[1].entry].word, "he");
  EXPECT_EQ(f.entries()[hits[2].entry].word, "hers");
  EXPECT_EQ(Span("ushers", hits[2]), "hers");
}

TEST(WordFilterTest, TheListFileHasCommentsBlankLinesAndPhrases) {
  const auto f = Filter("# 敏感词表\n\n  赌博   refuse  # 赌\nbuy followers\nfake invoice HOLD\n");
  ASSERT_EQ(f.entries().size(), 3u);
  EXPECT_EQ(f.entries()[0].word, "赌博");
  EXPECT_EQ(f.entries()[1].word, "buy followers");
  EXPECT_EQ(f.entries()[1].action, WordAction::kRefuse);
  EXPECT_EQ(f.entries()[2].action, WordAction::kHold);
  EXPECT_TRUE(f.Decide("BUY-FOLLOWERS now").matched);
}

TEST(WordFilterTest, ABadListIsRefusedNamingTheLine) {
  auto empty_entry = WordFilter::Parse("赌博\n、、、 hold\n");
  ASSERT_FALSE(empty_entry.ok());
  EXPECT_EQ(empty_entry.error().key, "invalid_config");
  EXPECT_NE(empty_entry.error().detail.find("line 2"), std::string::npos);
  EXPECT_FALSE(WordFilter::Parse("ok\n\xff\xfe\n").ok());
  auto missing = WordFilter::Load("/nonexistent/words.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().detail.find("/nonexistent/words.txt"), std::string::npos);
}

TEST(WordFilterTest, AnEmptyFilterMatchesNothing) {
  WordFilter f;
  EXPECT_TRUE(f.empty());
  EXPECT_FALSE(f.Decide("赌博").matched);
}

TEST(WordFilterTest, FoldingRules) {
  EXPECT_EQ(FoldForMatch(U'Ａ'), U'a');
  EXPECT_EQ(FoldForMatch(U'１'), U'1');
  EXPECT_EQ(FoldForMatch(U'，'), 0u);
  EXPECT_EQ(FoldForMatch(U'\u200b'), 0u);
  EXPECT_EQ(FoldForMatch(U'·'), 0u);
  EXPECT_EQ(FoldForMatch(U'字'), U'字');
}

}  // namespace
}  // namespace carecity::media
