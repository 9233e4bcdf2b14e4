// GET /api/v1/home (issue 14): one answer with every section's first items
// — the same shapes the sections' own lists answer — built at most once per
// few seconds however many ask, plus the caller's own block.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "db/store.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

class HomeTest : public ::testing::Test {
 protected:
  HomeTest()
      : admin_(UserWith(server_, "13800015001", {RoleGrant{Role::kPlatformAdmin}})),
        resident_(UserWith(server_, "13800015002")),
        anon_(server_) {
    db::WriteSync(server_.app().store(), [](db::Tx& tx) {
      tx.Exec("UPDATE users SET phone_verified_at_ms = 1");
      return true;
    });
    auto b = admin_.Post("/api/v1/forum/boards", json::object{{"name", "居民议事"}});
    EXPECT_EQ(b.status, 201) << b.body;
    board_ = b.json.at("board").at("id").as_int64();
  }
  void NewThread(const std::string& title) {
    auto r = admin_.Post("/api/v1/forum/boards/" + std::to_string(board_) + "/threads",
                         json::object{{"title", title}, {"body_md", "内容"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  TestServer server_;
  Client admin_, resident_, anon_;
  int64_t board_ = 0;
};

TEST_F(HomeTest, EverySectionIsOneBlockAndAGuestHasNoPersonalBlock) {
  NewThread("关于小区加装电梯的意见征集");
  auto home = anon_.Get("/api/v1/home");
  ASSERT_EQ(home.status, 200) << home.body;
  for (const char* block : {"events", "services", "products", "lots", "calls", "meetings", "threads"}) {
    EXPECT_TRUE(home.json.at(block).is_array()) << block;
  }
  EXPECT_TRUE(home.json.at("fund").at("latest_grants").is_array());
  EXPECT_TRUE(home.json.at("fund").as_object().contains("raised_fen"));
  ASSERT_EQ(home.json.at("threads").as_array().size(), 1u);
  EXPECT_EQ(home.json.at("threads").at(0).at("title").as_string(), "关于小区加装电梯的意见征集");
  EXPECT_TRUE(home.json.at("me").is_null());
}

TEST_F(HomeTest, ASignedInResidentSeesTheirUnreadMessages) {
  NewThread("第一帖");
  const int64_t thread = Count(server_, "SELECT MAX(id) FROM forum_threads");
  ASSERT_EQ(resident_.Post("/api/v1/forum/threads/" + std::to_string(thread) + "/posts",
                           json::object{{"body_md", "支持"}})
                .status,
            201);
  auto mine = admin_.Get("/api/v1/home");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json.at("me").at("unread").as_int64(), 1);  // the reply to their thread
  EXPECT_TRUE(mine.json.at("me").at("next_activity").is_null());
  EXPECT_TRUE(mine.json.at("me").at("open_applications").is_array());
  Client expired(server_);
  expired.set_session("not-a-session");
  EXPECT_TRUE(expired.Get("/api/v1/home").json.at("me").is_null());
}

TEST_F(HomeTest, ASurgeOfVisitorsBuildsThePublicPartOncePerInterval) {
  NewThread("第一帖");
  auto& feed = server_.app().home();
  const int64_t before = feed.builds();
  ASSERT_EQ(anon_.Get("/api/v1/home").status, 200);
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ((i % 2 ? anon_ : resident_).Get("/api/v1/home").status, 200);
  }
  EXPECT_LE(feed.builds() - before, 1);
  // Within the interval a new thread is not there yet; after it, it is.
  NewThread("第二帖");
  EXPECT_EQ(anon_.Get("/api/v1/home").json.at("threads").as_array().size(), 1u);
  server_.clock().Advance(5001);
  anon_.Get("/api/v1/home");  // rebuilds (this one may still answer the stale copy)
  EXPECT_EQ(anon_.Get("/api/v1/home").json.at("threads").as_array().size(), 2u);
}

}  // namespace
}  // namespace carecity::testing
