#include "http/router.h"

#include <gtest/gtest.h>

namespace carecity::http {
namespace {

Handler Dummy() {
  return [](Request&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

TEST(RouterTest, MatchesLiteralAndParameterSegments) {
  Router r;
  r.Add("GET", "/api/v1/me", Dummy());
  r.Add("DELETE", "/api/v1/me/sessions/{id}", Dummy());
  auto m = r.Find("DELETE", "/api/v1/me/sessions/42");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.route, "/api/v1/me/sessions/{id}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].first, "id");
  EXPECT_EQ(m.params[0].second, "42");
  EXPECT_NE(r.Find("GET", "/api/v1/me").handler, nullptr);
  EXPECT_NE(r.Find("GET", "/api/v1/me/").handler, nullptr);  // trailing slash tolerated
}

TEST(RouterTest, WrongMethodIsToldApartFromNoRoute) {
  Router r;
  r.Add("GET", "/api/v1/me", Dummy());
  auto m = r.Find("POST", "/api/v1/me");
  EXPECT_EQ(m.handler, nullptr);
  EXPECT_TRUE(m.path_matched);
  auto none = r.Find("GET", "/api/v1/nothing");
  EXPECT_EQ(none.handler, nullptr);
  EXPECT_FALSE(none.path_matched);
  EXPECT_EQ(r.Find("GET", "/api/v1/me/sessions/1").handler, nullptr);
}

TEST(RouterTest, WebSocketRouteMatchesGetOnlyAndIsToldApart) {
  Router r;
  r.AddWebSocket("/ws/auctions/{id}", [](Request&) -> boost::asio::awaitable<WebSocketUpgrade> {
    co_return WebSocketUpgrade{};
  });
  auto m = r.Find("GET", "/ws/auctions/AB12");
  EXPECT_EQ(m.handler, nullptr);
  ASSERT_NE(m.websocket, nullptr);
  EXPECT_EQ(m.route, "/ws/auctions/{id}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0].second, "AB12");
  auto post = r.Find("POST", "/ws/auctions/AB12");
  EXPECT_EQ(post.websocket, nullptr);
  EXPECT_TRUE(post.path_matched);
}

}  // namespace
}  // namespace carecity::http
