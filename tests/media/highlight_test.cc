// Search snippets: escaped, every term marked, cut around the first match.
#include <gtest/gtest.h>

#include "media/search.h"

namespace carecity::media {
namespace {

TEST(HighlightTest, MarksEveryTermEscapedAndCaseInsensitively) {
  EXPECT_EQ(HighlightHtml("长者饭堂补贴怎么申请", "饭堂 申请"), "长者<mark>饭堂</mark>补贴怎么<mark>申请</mark>");
  EXPECT_EQ(HighlightHtml("Call the QQ group <b>now</b>", "qq"), "Call the <mark>QQ</mark> group &lt;b&gt;now&lt;/b&gt;");
  EXPECT_EQ(HighlightHtml("no match here", "饭堂"), "no match here");
  EXPECT_EQ(HighlightHtml("", "x"), "");
}

TEST(HighlightTest, CutsAroundTheFirstMatchOnCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "前";
  text += "电梯";
  for (int i = 0; i < 50; ++i) text += "后";
  const std::string s = HighlightHtml(text, "电梯", 20);
  EXPECT_EQ(s.rfind("…", 0), 0u);                        // cut before
  EXPECT_NE(s.find("<mark>电梯</mark>"), std::string::npos);
  EXPECT_EQ(s.substr(s.size() - 3), "…");                 // and after
  EXPECT_EQ(s.find("\xEF\xBF\xBD"), std::string::npos);  // no broken character
}

}  // namespace
}  // namespace carecity::media
