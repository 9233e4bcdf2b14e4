// The Markdown renderer lets through only what it writes itself: XSS
// payloads of every usual kind come out inert.
#include "media/markdown.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace carecity::media {
namespace {

bool Has(const std::string& html, const std::string& needle) { return html.find(needle) != std::string::npos; }

// Every tag in the output is one the renderer writes, with no event
// handler and no URL but http(s), mailto, site-relative or our images.
// (Text is escaped, so every '<' left starts a tag we wrote.)
void ExpectInert(const std::string& html) {
  static const std::set<std::string> kTags{"p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code",
                                           "pre", "ul", "ol", "li", "blockquote", "hr", "br", "a", "img",
                                           "table", "thead", "tbody", "tr", "th", "td", "del", "input"};
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string::npos) {
    const size_t end = html.find('>', pos);
    ASSERT_NE(end, std::string::npos) << html;
    std::string tag;
    for (char c : html.substr(pos + 1, end - pos - 1)) {
      tag += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    pos = end;
    const std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" /", 1) - (tag[0] == '/' ? 1 : 0));
    EXPECT_TRUE(kTags.count(name) == 1) << "<" << tag << "> in: " << html;
    EXPECT_EQ(tag.find(" on"), std::string::npos) << "<" << tag << "> in: " << html;
    for (const char* attr : {"href=\"", "src=\""}) {
      const size_t at = tag.find(attr);
      if (at == std::string::npos) {
        continue;
      }
      const std::string url = tag.substr(at + std::string(attr).size());
      const bool ok = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0 || url.rfind("mailto:", 0) == 0 ||
                      url.rfind("#", 0) == 0 || (url.rfind("/", 0) == 0 && url.rfind("//", 0) != 0);
      EXPECT_TRUE(ok) << "<" << tag << "> in: " << html;
    }
  }
}

TEST(MarkdownTest, RendersTheCommonMarkBasics) {
  const std::string html = RenderMarkdown("# 标题\n\n**粗体** 和 *斜体* 与 `code`\n\n- 一\n- 二\n\n1. 甲\n2. 乙\n");
  EXPECT_TRUE(Has(html, "<h1>标题</h1>")) << html;
  EXPECT_TRUE(Has(html, "<strong>粗体</strong>")) << html;
  EXPECT_TRUE(Has(html, "<em>斜体</em>")) << html;
  EXPECT_TRUE(Has(html, "<code>code</code>")) << html;
  EXPECT_TRUE(Has(html, "<ul>\n<li>一</li>")) << html;
  EXPECT_TRUE(Has(html, "<ol>\n<li>甲</li>")) << html;
}

TEST(MarkdownTest, RendersGfmTablesStrikethroughAutolinksAndTaskLists) {
  const std::string html = RenderMarkdown(
      "| 品名 | 价格 |\n|:--|--:|\n| 剪纸 | ¥20 |\n\n~~旧价~~\n\n见 https://example.cn/a 或 www.example.cn\n\n"
      "- [x] 已完成\n- [ ] 未完成\n");
  EXPECT_TRUE(Has(html, "<table>")) << html;
  EXPECT_TRUE(Has(html, "<th align=\"left\">品名</th>")) << html;
  EXPECT_TRUE(Has(html, "<td align=\"right\">¥20</td>")) << html;
  EXPECT_TRUE(Has(html, "<del>旧价</del>")) << html;
  EXPECT_TRUE(Has(html, "<a href=\"https://example.cn/a\" rel=\"nofollow ugc noopener noreferrer\">")) << html;
  EXPECT_TRUE(Has(html, "<a href=\"http://www.example.cn\"")) << html;
  EXPECT_TRUE(Has(html, "<input type=\"checkbox\" disabled=\"\" checked=\"\" /> 已完成")) << html;
  EXPECT_TRUE(Has(html, "<input type=\"checkbox\" disabled=\"\" /> 未完成")) << html;
}

TEST(MarkdownTest, RawHtmlNeverPassesNotEvenAsAComment) {
  for (const std::string md : {"<script>alert(1)</script>", "hi <script>alert(1)</script> there",
                               "<img src=x onerror=alert(1)>", "a <img src=x onerror=alert(1)> b",
                               "<!-- secret --> text", "<div onclick=\"x()\">block</div>",
                               "<iframe src=\"https://evil.example\"></iframe>", "<svg><script>alert(1)</script></svg>",
                               "<style>body{display:none}</style>", "<a href=\"javascript:alert(1)\">x</a>",
                               "<form action=\"https://evil.example\"><input type=\"text\"></form>"}) {
    const std::string html = RenderMarkdown(md);
    ExpectInert(html);
    EXPECT_FALSE(Has(html, "<div")) << html;
    EXPECT_FALSE(Has(html, "<img")) << html;
    EXPECT_FALSE(Has(html, "<a ")) << html;
  }
}

TEST(MarkdownTest, LinksOnlyToWebMailOrThisSite) {
  EXPECT_TRUE(Has(RenderMarkdown("[a](https://x.cn)"), "href=\"https://x.cn\""));
  EXPECT_TRUE(Has(RenderMarkdown("[a](HTTP://x.cn)"), "href=\"HTTP://x.cn\""));
  EXPECT_TRUE(Has(RenderMarkdown("[a](mailto:a@x.cn)"), "href=\"mailto:a@x.cn\""));
  EXPECT_TRUE(Has(RenderMarkdown("[a](/shop/items/1)"), "<a href=\"/shop/items/1\">a</a>"));
  EXPECT_TRUE(Has(RenderMarkdown("[a](#top)"), "<a href=\"#top\">a</a>"));
  for (const std::string md :
       {"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](jav&#x61;script:alert(1))",
        "[x](&#106;avascript:alert(1))", "[x](javascript&colon;alert(1))", "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox)", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](//evil.example/a)", "[x](/\\evil.example)", "[x](java%0ascript:alert(1))", "[x](file:///etc/passwd)",
        "<javascript:alert(1)>", "[x]: javascript:alert(1)\n\n[y][x]", "[x](relative/path)",
        "[x](\tjavascript:alert(1))"}) {
    const std::string html = RenderMarkdown(md);
    EXPECT_FALSE(Has(html, "<a ")) << md << " -> " << html;
    ExpectInert(html);
  }
}

TEST(MarkdownTest, ImagesOnlyFromOurOwnMedia) {
  const std::string own = "![剪纸](/media/images/abcdefghijklmnopqrst/full.webp)";
  const std::string html = RenderMarkdown(own);
  EXPECT_TRUE(Has(html, "<img src=\"/media/images/abcdefghijklmnopqrst/full.webp\" alt=\"剪纸\"")) << html;
  for (const std::string md : {"![x](https://evil.example/a.png)", "![x](data:image/png;base64,iVBORw0KGgo=)",
                               "![x](/media/images/abcdefghijklmnopqrst/full.webp?x=1)",
                               "![x](/media/images/../../etc/full.webp)", "![x](/media/images/short/full.webp)",
                               "![x](/media/images/abcdefghijklmnopqrst/orig.png)",
                               "![x\" onerror=\"alert(1)](https://evil.example/a.png)"}) {
    const std::string out = RenderMarkdown(md);
    EXPECT_FALSE(Has(out, "<img")) << md << " -> " << out;
    ExpectInert(out);
  }
  // Alt text is escaped, not trusted.
  const std::string tricky = RenderMarkdown("![\"><script>x</script>](/media/images/abcdefghijklmnopqrst/thumb.webp)");
  EXPECT_TRUE(Has(tricky, "alt=\"&quot;&gt;x\"")) << tricky;
  ExpectInert(tricky);
}

TEST(MarkdownTest, HtmlInsideTablesAndNestedStructuresStaysOut) {
  const std::string html = RenderMarkdown(
      "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |\n"
      "| [x](javascript:alert(1)) | ![y](data:image/svg+xml,<svg onload=alert(1)>) |\n\n"
      "> - <b onmouseover=alert(1)>quote</b>\n>   ```html\n>   <script>alert(2)</script>\n>   ```\n");
  ExpectInert(html);
  EXPECT_FALSE(Has(html, "<b ")) << html;
  // Code blocks show the text, escaped.
  EXPECT_TRUE(Has(html, "&lt;script&gt;alert(2)&lt;/script&gt;")) << html;
  EXPECT_TRUE(Has(html, "class=\"language-html\"")) << html;
}

TEST(MarkdownTest, EntitiesAndQuotesAreEscapedInTextAndAttributes) {
  const std::string html = RenderMarkdown("&lt;script&gt; &amp; \"q\" 'a' [l](https://x.cn/?a=1&b=\"2\")");
  EXPECT_TRUE(Has(html, "&lt;script&gt; &amp; &quot;q&quot; &#39;a&#39;")) << html;
  EXPECT_TRUE(Has(html, "href=\"https://x.cn/?a=1&amp;b=%222%22\"")) << html;
  ExpectInert(html);
  // A code span's language cannot break out of its attribute.
  const std::string code = RenderMarkdown("```js\" onmouseover=\"alert(1)\nx\n```");
  EXPECT_TRUE(Has(code, "class=\"language-js\"")) << code;
  ExpectInert(code);
}

TEST(MarkdownTest, InputIsBoundedAndCheckedBySize) {
  EXPECT_TRUE(CheckMarkdown("短文", "description").ok());
  const std::string big(kMaxMarkdownBytes + 1, 'a');
  const auto refused = CheckMarkdown(big, "description");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().key, "too_long");
  EXPECT_EQ(refused.error().field, "description");
  // Rendering is bounded too, and deep nesting does not recurse.
  EXPECT_LE(RenderMarkdown(big).size(), kMaxMarkdownBytes + 16);
  const std::string deep(50'000, '>');
  EXPECT_FALSE(RenderMarkdown(deep + " x").empty());
  // Invalid UTF-8 and NUL bytes become U+FFFD.
  const std::string junk = RenderMarkdown(std::string("a\xFF\x00z", 4));
  EXPECT_TRUE(Has(junk, "\xEF\xBF\xBD")) << junk;
}

}  // namespace
}  // namespace carecity::media
