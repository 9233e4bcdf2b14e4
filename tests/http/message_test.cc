#include "http/message.h"

#include <gtest/gtest.h>

namespace carecity::http {
namespace {

TEST(RequestTest, HeadersAreCaseInsensitive) {
  Request r;
  r.headers = {{"content-type", "application/json"}};
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("x-missing"), "");
}

TEST(RequestTest, CookiesAreFoundAmongOthers) {
  Request r;
  r.headers = {{"cookie", "theme=dark; cc_session=abc123; lang=zh"}};
  EXPECT_EQ(r.Cookie("cc_session"), "abc123");
  EXPECT_EQ(r.Cookie("lang"), "zh");
  EXPECT_EQ(r.Cookie("none"), "");
}

TEST(RequestTest, QueryParametersAreDecoded) {
  Request r;
  r.query = "q=%E5%8D%9A%E7%9D%BF+%E7%A4%BE%E5%B7%A5&empty&x=1";
  EXPECT_EQ(r.Query("q").value(), "博睿 社工");
  EXPECT_EQ(r.Query("empty").value(), "");
  EXPECT_FALSE(r.Query("missing").has_value());
}

TEST(MessageTest, PercentDecodingRejectsBadEscapes) {
  EXPECT_EQ(PercentDecode("/a%20b", false).value(), "/a b");
  EXPECT_FALSE(PercentDecode("/a%2", false).has_value());
  EXPECT_FALSE(PercentDecode("/a%zz", false).has_value());
  EXPECT_EQ(PercentDecode("a+b", false).value(), "a+b");
}

TEST(MessageTest, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.2"};
  EXPECT_EQ(ClientIp("203.0.113.9", "1.2.3.4", proxies), "203.0.113.9");  // untrusted peer: ignored
  EXPECT_EQ(ClientIp("127.0.0.1", "", proxies), "127.0.0.1");
  EXPECT_EQ(ClientIp("127.0.0.1", "198.51.100.7", proxies), "198.51.100.7");
  // A client cannot spoof by prepending: the rightmost untrusted entry wins.
  EXPECT_EQ(ClientIp("127.0.0.1", "6.6.6.6, 198.51.100.7", proxies), "198.51.100.7");
  EXPECT_EQ(ClientIp("127.0.0.1", "198.51.100.7, 10.0.0.2", proxies), "198.51.100.7");
  EXPECT_EQ(ClientIp("127.0.0.1", "<script>", proxies), "127.0.0.1");
}

TEST(MessageTest, LanguageFollowsAcceptLanguage) {
  EXPECT_EQ(NegotiateLang(""), Lang::kZh);
  EXPECT_EQ(NegotiateLang("zh-CN,zh;q=0.9,en;q=0.8"), Lang::kZh);
  EXPECT_EQ(NegotiateLang("en-US,en;q=0.9"), Lang::kEn);
}

TEST(RedactSecretsTest, GuestTokensAndCheckCodesNeverReachTheAccessLog) {
  EXPECT_EQ(RedactSecrets("/api/v1/payments/abc/pay?token=0123456789abcdef"), "/api/v1/payments/abc/pay?token=REDACTED");
  EXPECT_EQ(RedactSecrets("/api/v1/fund/receipts/GC2026-000001?code=ABCDEF1234&lang=en"),
            "/api/v1/fund/receipts/GC2026-000001?code=REDACTED&lang=en");
  EXPECT_EQ(RedactSecrets("/x?a=1&token=t&b=2"), "/x?a=1&token=REDACTED&b=2");
  EXPECT_EQ(RedactSecrets("/x?tokens=1&encode=2"), "/x?tokens=1&encode=2");  // only those names
  EXPECT_EQ(RedactSecrets("/api/v1/fund/summary"), "/api/v1/fund/summary");
  EXPECT_EQ(RedactSecrets("/x?token"), "/x?token");
}

}  // namespace
}  // namespace carecity::http
