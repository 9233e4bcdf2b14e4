// 社区论坛 over HTTP (issue 14): who may post (a verified phone, no running
// mute or ban, links only with trust, the word list, the rate limit),
// floors that stay unique and gap-free however many reply at once (two
// servers on one PostgreSQL), likes once per member, reports that reach
// the board's moderators only, moderation that keeps floors and tells the
// author why, credits within the daily cap, views counted without a write
// per read, and the unread badge.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "db/store.h"
#include "media/fixtures.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

std::string Id(int64_t v) { return std::to_string(v); }

Config ForumConfigWith(const std::string& word_list, bool rate_limits = true) {
  Config c = TestConfig();
  c.forum.word_list = word_list;
  c.rate_limits.enabled = rate_limits;
  return c;
}

// A word list in a temporary file, for the whole suite.
std::string WordListFile() {
  static const std::string path = [] {
    const auto p = std::filesystem::temp_directory_path() / ("carecity_forum_words_" + std::to_string(::getpid()));
    std::ofstream(p) << "# test list\n赌博 refuse\n代开发票 hold\n";
    return p.string();
  }();
  return path;
}

class ForumTest : public ::testing::Test {
 protected:
  explicit ForumTest(bool rate_limits = true)
      : server_(ForumConfigWith(WordListFile(), rate_limits)),
        org_(InsertOrg(server_, "博睿社工服务中心", "52440605MJ0014001A")),
        other_org_(InsertOrg(server_, "启创社工服务中心", "52440605MJ0014002B")),
        admin_(UserWith(server_, "13800014001", {RoleGrant{Role::kPlatformAdmin}})),
        mod_(UserWith(server_, "13800014002")),
        mod_other_(UserWith(server_, "13800014003")),
        staff_(UserWith(server_, "13800014004", {OrgStaff(org_)})),
        alice_(UserWith(server_, "13800014010")),
        bob_(UserWith(server_, "13800014011")),
        newbie_(UserWith(server_, "13800014012")),
        unverified_(UserWith(server_, "13800014013")),
        anon_(server_) {
    for (const char* phone : {"13800014001", "13800014002", "13800014003", "13800014004", "13800014010",
                              "13800014011", "13800014012"}) {
      Verify(phone);
    }
    // alice and bob are established members; newbie is not.
    Trust("13800014010");
    Trust("13800014011");
    board_ = NewBoard("居民议事");
    other_board_ = NewBoard("社工交流");
    SetMods(board_, {UserId("13800014002")});
    SetMods(other_board_, {UserId("13800014003")});
  }

  int64_t UserId(const std::string& phone) {
    return Count(server_, "SELECT id FROM users WHERE phone = '" + phone + "'");
  }
  void Exec(const std::string& sql) {
    db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      tx.Exec(sql);
      return true;
    });
  }
  void Verify(const std::string& phone) {
    Exec("UPDATE users SET phone_verified_at_ms = 1 WHERE phone = '" + phone + "'");
  }
  void Trust(const std::string& phone) {
    const int64_t id = UserId(phone);
    Exec("INSERT INTO forum_members (user_id, trusted_at_ms) VALUES (" + Id(id) + ", 1)");
  }
  int64_t NewBoard(const std::string& name) {
    auto r = admin_.Post("/api/v1/forum/boards", json::object{{"name", name}, {"description", "说明"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("board").at("id").as_int64();
  }
  void SetMods(int64_t board, std::vector<int64_t> users) {
    json::array ids;
    for (int64_t u : users) ids.push_back(u);
    auto r = Put(admin_, "/api/v1/forum/boards/" + Id(board) + "/moderators", json::object{{"user_ids", ids}});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  HttpResult NewThread(Client& c, int64_t board, const std::string& title, const std::string& body,
                       json::object extra = {}) {
    json::object o{{"title", title}, {"body_md", body}};
    for (auto& [k, v] : extra) o[k] = v;
    return c.Post("/api/v1/forum/boards/" + Id(board) + "/threads", o);
  }
  int64_t Thread(Client& c, const std::string& title = "小区加装电梯的意见征集", int64_t board = 0) {
    auto r = NewThread(c, board ? board : board_, title, "大家怎么看？");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("thread").at("id").as_int64();
  }
  HttpResult Reply(Client& c, int64_t thread, const std::string& body, json::object extra = {}) {
    json::object o{{"body_md", body}};
    for (auto& [k, v] : extra) o[k] = v;
    return c.Post("/api/v1/forum/threads/" + Id(thread) + "/posts", o);
  }
  HttpResult Read(Client& c, int64_t thread, const std::string& page = "") {
    return c.Get("/api/v1/forum/threads/" + Id(thread) + (page.empty() ? "" : "?page=" + page));
  }
  int64_t PostIdOfFloor(int64_t thread, int64_t floor) {
    return Count(server_, "SELECT id FROM forum_posts WHERE thread_id = " + Id(thread) + " AND floor = " + Id(floor));
  }
  HttpResult Edit(Client& c, int64_t post, const std::string& body, json::object extra = {}) {
    json::object o{{"body_md", body}};
    for (auto& [k, v] : extra) o[k] = v;
    return c.Send("PATCH", "/api/v1/forum/posts/" + Id(post), json::serialize(o), {{"Content-Type", "application/json"}});
  }
  std::string BodyOf(int64_t post) {
    return db::ReadSync(server_.app().store(), [&](db::Tx& tx) {
      return tx.Query("SELECT body_md FROM forum_posts WHERE id = $1", {post}).front().Text(0);
    });
  }
  int64_t Edited(int64_t post) {
    return Count(server_, "SELECT COALESCE(edited_at_ms, 0) FROM forum_posts WHERE id = " + Id(post));
  }
  int64_t Credits(const std::string& phone) {
    return Count(server_, "SELECT COALESCE(SUM(delta), 0) FROM forum_credits WHERE user_id = " + Id(UserId(phone)));
  }

  TestServer server_;
  int64_t org_, other_org_;
  Client admin_, mod_, mod_other_, staff_, alice_, bob_, newbie_, unverified_, anon_;
  int64_t board_ = 0, other_board_ = 0;
};

TEST_F(ForumTest, PostingNeedsAVerifiedPhoneAndShowsOnlyTheNickname) {
  const int64_t before = Count(server_, "SELECT COUNT(*) FROM forum_posts");
  auto refused = NewThread(unverified_, board_, "标题", "内容");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "forum.phone_not_verified");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM forum_posts"), before);
  EXPECT_EQ(anon_.Post("/api/v1/forum/boards/" + Id(board_) + "/threads", json::object{{"title", "t"}, {"body_md", "b"}})
                .status,
            401);

  const int64_t t = Thread(alice_);
  auto page = Read(anon_, t);
  ASSERT_EQ(page.status, 200) << page.body;
  const auto& first = page.json.at("posts").at(0);
  EXPECT_EQ(first.at("floor").as_int64(), 1);
  EXPECT_EQ(first.at("author").at("nickname").as_string(), "测试4010");
  EXPECT_EQ(page.body.find("13800014010"), std::string::npos);  // no phone anywhere
  EXPECT_EQ(page.body.find("\"user_id\""), std::string::npos);
  EXPECT_FALSE(page.json.at("thread").at("can").at("reply").as_bool());  // a guest cannot
}

TEST_F(ForumTest, RepliesGetConsecutiveFloorsQuotesAndTellTheThreadsAuthor) {
  const int64_t t = Thread(alice_);
  auto r2 = Reply(bob_, t, "支持！");
  ASSERT_EQ(r2.status, 201) << r2.body;
  EXPECT_EQ(r2.json.at("post").at("floor").as_int64(), 2);
  auto r3 = Reply(bob_, t, "补充一句", json::object{{"quote_post_id", PostIdOfFloor(t, 1)}});
  ASSERT_EQ(r3.status, 201) << r3.body;
  EXPECT_EQ(r3.json.at("post").at("floor").as_int64(), 3);

  auto page = Read(alice_, t);
  ASSERT_EQ(page.status, 200);
  const auto& posts = page.json.at("posts").as_array();
  ASSERT_EQ(posts.size(), 3u);
  EXPECT_EQ(posts[2].at("quote").at("floor").as_int64(), 1);
  EXPECT_EQ(posts[2].at("quote").at("excerpt").as_string(), "大家怎么看？");
  EXPECT_EQ(page.json.at("thread").at("replies").as_int64(), 2);

  // A quote of another thread's floor is refused and writes nothing.
  const int64_t other = Thread(bob_, "另一个帖子");
  auto bad = Reply(bob_, t, "引用", json::object{{"quote_post_id", PostIdOfFloor(other, 1)}});
  EXPECT_EQ(bad.status, 404);
  EXPECT_EQ(bad.error_field(), "quote_post_id");
  EXPECT_EQ(Count(server_, "SELECT last_floor FROM forum_threads WHERE id = " + Id(t)), 3);

  auto inbox = alice_.Get("/api/v1/me/notifications");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_EQ(inbox.json.at("unread").as_int64(), 2);
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("template").as_string(), "forum.reply");
  EXPECT_FALSE(inbox.json.at("notifications").at(0).at("read").as_bool());
  auto read = alice_.Post("/api/v1/me/notifications/read", json::object{});
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json.at("unread").as_int64(), 0);
  EXPECT_EQ(bob_.Get("/api/v1/me/notifications").json.at("unread").as_int64(), 0);  // bob's are his own
}

TEST_F(ForumTest, AnAtMentionNotifiesTheOneMemberWithThatNickname) {
  Exec("UPDATE users SET display_name = '桂城阿明' WHERE phone = '13800014012'");
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "@桂城阿明 你怎么看？").status, 201);
  auto inbox = newbie_.Get("/api/v1/me/notifications");
  ASSERT_EQ(inbox.json.at("unread").as_int64(), 1);
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("template").as_string(), "forum.mention");
}

class ForumWithoutRateLimitsTest : public ForumTest {
 protected:
  ForumWithoutRateLimitsTest() : ForumTest(false) {}
};

// (CARECITY_RATE_LIMITS=off, as the reply-storm benchmark runs.)
TEST_F(ForumWithoutRateLimitsTest, FloorsStayUniqueAndGapFreeUnderConcurrentReplies) {
  auto second = SecondApp(server_);  // another server on the same PostgreSQL; null on SQLite
  const int64_t t = Thread(alice_);
  Principal p;
  p.user_id = UserId("13800014011");
  p.display_name = "测试4011";
  constexpr size_t kReplies = 40;
  std::atomic<int> ok{0};
  RunAtOnce(kReplies, [&](size_t i) -> boost::asio::awaitable<void> {
    forum::ForumService& f = (second && i % 2 == 1) ? second->forum() : server_.app().forum();
    forum::Draft d;
    d.body_md = "第" + std::to_string(i) + "条回复";
    auto r = co_await f.Reply(p, t, d);
    if (r.ok()) ++ok;
  });
  EXPECT_EQ(ok.load(), static_cast<int>(kReplies));
  EXPECT_EQ(Count(server_, "SELECT COUNT(DISTINCT floor) FROM forum_posts WHERE thread_id = " + Id(t)), 41);
  EXPECT_EQ(Count(server_, "SELECT MAX(floor) FROM forum_posts WHERE thread_id = " + Id(t)), 41);
  EXPECT_EQ(Count(server_, "SELECT last_floor FROM forum_threads WHERE id = " + Id(t)), 41);
  EXPECT_EQ(Count(server_, "SELECT replies FROM forum_threads WHERE id = " + Id(t)), 40);
  // Pages of 20 by floor: the third page holds floor 41 alone.
  auto last = Read(anon_, t, "last");
  ASSERT_EQ(last.status, 200);
  EXPECT_EQ(last.json.at("thread").at("page").as_int64(), 3);
  ASSERT_EQ(last.json.at("posts").as_array().size(), 1u);
  EXPECT_EQ(last.json.at("posts").at(0).at("floor").as_int64(), 41);
}

TEST_F(ForumTest, NewMembersPostNoLinksOrImagesUntilTheyHaveEarnedTrust) {
  auto link = NewThread(newbie_, board_, "推荐一个网站", "看这里 https://example.com 很有用");
  EXPECT_EQ(link.status, 403);
  EXPECT_EQ(link.error_code(), "forum.links_need_trust");
  EXPECT_EQ(link.error_field(), "body_md");
  auto image = NewThread(newbie_, board_, "图片", "![x](/media/images/abcdefghijklmnopqrst/full.webp)");
  EXPECT_EQ(image.error_code(), "forum.links_need_trust");
  EXPECT_EQ(NewThread(newbie_, board_, "纯文字", "没有链接的帖子").status, 201);
  EXPECT_EQ(NewThread(alice_, board_, "推荐一个网站", "看这里 https://example.com").status, 201);

  // Trust level 1: a day old, two days visited, thirty floors read.
  const int64_t t = Thread(alice_, "长帖");
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Reply(alice_, t, "楼" + std::to_string(i)).status, 201);
  server_.clock().Advance(kDay + 1);
  for (int day = 0; day < 2; ++day) {
    for (int i = 0; i < 8; ++i) ASSERT_EQ(Read(newbie_, t).status, 200);
    server_.app().forum().FlushActivity();
    server_.clock().Advance(kDay);
  }
  EXPECT_EQ(newbie_.Get("/api/v1/forum/me").json.at("member").at("trust_level").as_int64(), 0);  // 4 floors read
  Exec("UPDATE forum_reads SET last_floor = 30 WHERE user_id = " + Id(UserId("13800014012")));
  auto me = newbie_.Get("/api/v1/forum/me");
  EXPECT_EQ(me.json.at("member").at("trust_level").as_int64(), 1) << me.body;
  EXPECT_EQ(me.json.at("member").at("progress").at("days_visited").as_int64(), 2);
  EXPECT_EQ(NewThread(newbie_, board_, "推荐一个网站", "看这里 https://example.com").status, 201);
}

TEST_F(ForumTest, TheWordListRefusesOrHoldsWhateverTheSpacingAndWidth) {
  const int64_t before = Count(server_, "SELECT COUNT(*) FROM forum_posts");
  const std::string body = "周末一起去 赌－博 吗";
  auto refused = NewThread(alice_, board_, "周末活动", body);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "forum.sensitive_word");
  EXPECT_EQ(refused.error_field(), "body_md");
  const auto& err = refused.json.at("error");
  EXPECT_EQ(err.at("word").as_string(), "赌博");
  const auto b = static_cast<size_t>(err.at("span").at("begin").as_int64());
  const auto e = static_cast<size_t>(err.at("span").at("end").as_int64());
  EXPECT_EQ(body.substr(b, e - b), "赌－博");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM forum_posts"), before);
  EXPECT_EQ(NewThread(alice_, board_, "ＦＵ 赌 博", "正文").error_field(), "title");

  // A hold: stored, seen by its author and the board's moderators only.
  auto held = NewThread(alice_, board_, "可以代 开 发 票", "联系我");
  ASSERT_EQ(held.status, 201) << held.body;
  EXPECT_EQ(held.json.at("thread").at("status").as_string(), "held");
  const int64_t t = held.json.at("thread").at("id").as_int64();
  EXPECT_EQ(Read(bob_, t).status, 404);
  EXPECT_EQ(Read(alice_, t).status, 200);
  auto queue = mod_.Get("/api/v1/forum/moderation/queue");
  ASSERT_EQ(queue.status, 200) << queue.body;
  ASSERT_EQ(queue.json.at("held").as_array().size(), 1u);
  EXPECT_EQ(mod_other_.Get("/api/v1/forum/moderation/queue").json.at("held").as_array().size(), 0u);
  auto approve = mod_.Post("/api/v1/forum/posts/" + Id(PostIdOfFloor(t, 1)) + "/moderate",
                           json::object{{"action", "approve"}});
  ASSERT_EQ(approve.status, 200) << approve.body;
  EXPECT_EQ(Read(bob_, t).status, 200);
}

TEST_F(ForumTest, TrustedMembersUploadPicturesForTheirPostsAndNobodyElseDoes) {
  const auto upload = [](Client& c) {
    return c.Send("POST", "/api/v1/forum/images", TestJpeg(64, 48), {{"Content-Type", "image/jpeg"}});
  };
  const int64_t before = Count(server_, "SELECT COUNT(*) FROM media_images");
  EXPECT_EQ(upload(anon_).status, 401);
  auto unverified = upload(unverified_);
  EXPECT_EQ(unverified.status, 403);
  EXPECT_EQ(unverified.error_code(), "forum.phone_not_verified");
  auto newbie = upload(newbie_);
  EXPECT_EQ(newbie.status, 403);
  EXPECT_EQ(newbie.error_code(), "forum.links_need_trust");
  EXPECT_EQ(newbie.error_field(), "image");
  // The general upload route stays staff-only: a resident's way is the forum's.
  EXPECT_EQ(alice_.Send("POST", "/api/v1/media/images", TestJpeg(64, 48), {{"Content-Type", "image/jpeg"}}).status,
            403);
  auto text = alice_.Send("POST", "/api/v1/forum/images", "not an image", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(text.status, 415);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM media_images"), before);

  auto ok = upload(alice_);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const std::string url(ok.json.at("image").at("url").as_string());
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM media_images"), before + 1);
  EXPECT_EQ(anon_.Get(url).status, 200);
  const int64_t t = Thread(alice_, "院子里的花开了");
  ASSERT_EQ(Reply(alice_, t, "![花](" + url + ")").status, 201);
  auto page = Read(anon_, t);
  ASSERT_EQ(page.status, 200);
  const std::string html(page.json.at("posts").at(1).at("body_html").as_string());
  EXPECT_NE(html.find("<img src=\"" + url + "\""), std::string::npos) << html;

  // A muted member uploads nothing until the mute ends.
  auto mute = mod_.Post("/api/v1/forum/sanctions",
                        json::object{{"post_id", PostIdOfFloor(t, 2)}, {"kind", "mute"}, {"reason", "刷屏"},
                                     {"ends_at_ms", server_.clock().NowMs() + 3600 * 1000}});
  ASSERT_EQ(mute.status, 201) << mute.body;
  EXPECT_EQ(upload(alice_).error_code(), "forum.muted");
}

TEST_F(ForumTest, ANewMembersPostsAreRateLimited) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(NewThread(newbie_, board_, "帖子" + std::to_string(i), "内容").status, 201);
  }
  const int64_t before = Count(server_, "SELECT COUNT(*) FROM forum_posts");
  auto limited = NewThread(newbie_, board_, "再来一帖", "内容");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "forum.rate_limited");
  EXPECT_FALSE(limited.header("retry-after").empty());
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM forum_posts"), before);
  EXPECT_EQ(NewThread(alice_, board_, "老成员", "不受新人限制").status, 201);
}

TEST_F(ForumWithoutRateLimitsTest, TheLoadTestSwitchLiftsTheLimitButNotTheGates) {
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(NewThread(newbie_, board_, "帖子" + std::to_string(i), "内容").status, 201);
  }
  EXPECT_EQ(NewThread(newbie_, board_, "链接", "https://example.com").error_code(), "forum.links_need_trust");
  EXPECT_EQ(NewThread(unverified_, board_, "标题", "内容").error_code(), "forum.phone_not_verified");
}

TEST_F(ForumTest, AMutedMemberCannotPostUntilTheMuteEnds) {
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "说话很冲的一楼").status, 201);
  const int64_t floor2 = PostIdOfFloor(t, 2);
  const int64_t until = server_.clock().NowMs() + 3600 * 1000;
  // Another board's moderator may not; nor may they ban.
  EXPECT_EQ(mod_other_.Post("/api/v1/forum/sanctions", json::object{{"post_id", floor2}, {"kind", "mute"},
                                                                   {"reason", "辱骂"}, {"ends_at_ms", until}})
                .status,
            404);
  EXPECT_EQ(mod_.Post("/api/v1/forum/sanctions", json::object{{"post_id", floor2}, {"kind", "ban"}, {"reason", "辱骂"}})
                .error_code(),
            "forum.ban_needs_admin");
  auto mute = mod_.Post("/api/v1/forum/sanctions",
                        json::object{{"post_id", floor2}, {"kind", "mute"}, {"reason", "辱骂他人"}, {"ends_at_ms", until}});
  ASSERT_EQ(mute.status, 201) << mute.body;
  auto refused = Reply(bob_, t, "我还想说");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.error_code(), "forum.muted");
  EXPECT_EQ(refused.json.at("error").at("ends_at_ms").as_int64(), until);
  auto me = bob_.Get("/api/v1/forum/me");
  EXPECT_EQ(me.json.at("member").at("sanction").at("kind").as_string(), "mute");
  auto inbox = bob_.Get("/api/v1/me/notifications");
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("template").as_string(), "forum.sanctioned");
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("params").at("reason").as_string(), "辱骂他人");
  EXPECT_GE(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'forum.sanction.mute'"), 1);
  server_.clock().Advance(3600 * 1000 + 1);
  EXPECT_EQ(Reply(bob_, t, "我冷静了").status, 201);
}

TEST_F(ForumTest, APlatformAdminsBanStandsUntilLiftedAndOnlyItsMakerOrAnAdminLiftsIt) {
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "广告：加微信").status, 201);
  auto ban = admin_.Post("/api/v1/forum/sanctions",
                         json::object{{"post_id", PostIdOfFloor(t, 2)}, {"kind", "ban"}, {"reason", "发布广告"}});
  ASSERT_EQ(ban.status, 201) << ban.body;
  EXPECT_TRUE(ban.json.at("sanction").at("ends_at_ms").is_null());  // for good
  EXPECT_EQ(Reply(bob_, t, "再发").error_code(), "forum.banned");
  EXPECT_EQ(NewThread(bob_, board_, "新帖", "内容").error_code(), "forum.banned");
  server_.clock().Advance(20 * kDay);  // (sessions last 30 days)
  EXPECT_EQ(Reply(bob_, t, "二十天后").error_code(), "forum.banned");
  const std::string lift = "/api/v1/forum/sanctions/" + Id(ban.json.at("sanction").at("id").as_int64());
  EXPECT_EQ(mod_.Delete(lift).status, 404);   // not theirs to lift
  EXPECT_EQ(bob_.Delete(lift).status, 404);
  ASSERT_EQ(admin_.Delete(lift).status, 200);
  EXPECT_EQ(admin_.Delete(lift).error_code(), "forum.sanction_lifted");
  EXPECT_EQ(Reply(bob_, t, "我改了").status, 201);
}

TEST_F(ForumTest, AReportReachesTheBoardsModeratorsAndUpholdingHidesTheFloorButKeepsItsNumber) {
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "难听的话").status, 201);
  ASSERT_EQ(Reply(alice_, t, "三楼").status, 201);
  const int64_t floor2 = PostIdOfFloor(t, 2);
  const int64_t bob_credits = Credits("13800014011");
  auto report = alice_.Post("/api/v1/forum/reports",
                            json::object{{"target", json::object{{"kind", "post"}, {"id", floor2}}}, {"reason", "人身攻击"}});
  ASSERT_EQ(report.status, 201) << report.body;
  EXPECT_EQ(alice_.Post("/api/v1/forum/reports", json::object{{"target", json::object{{"kind", "post"}, {"id", floor2}}},
                                                              {"reason", "再报"}})
                .error_code(),
            "forum.already_reported");
  EXPECT_EQ(bob_.Post("/api/v1/forum/reports", json::object{{"target", json::object{{"kind", "post"}, {"id", floor2}}},
                                                            {"reason", "自己"}})
                .error_code(),
            "forum.own_post");
  const int64_t report_id = report.json.at("report").at("id").as_int64();
  EXPECT_EQ(alice_.Get("/api/v1/forum/moderation/queue").status, 403);
  EXPECT_EQ(mod_other_.Get("/api/v1/forum/moderation/queue").json.at("reports").as_array().size(), 0u);
  EXPECT_EQ(mod_other_.Post("/api/v1/forum/moderation/reports/" + Id(report_id), json::object{{"decision", "uphold"}})
                .status,
            404);
  auto queue = mod_.Get("/api/v1/forum/moderation/queue");
  ASSERT_EQ(queue.json.at("reports").as_array().size(), 1u);
  EXPECT_EQ(queue.json.at("reports").at(0).at("post").at("floor").as_int64(), 2);

  auto upheld = mod_.Post("/api/v1/forum/moderation/reports/" + Id(report_id),
                          json::object{{"decision", "uphold"}, {"note", "不文明用语"}});
  ASSERT_EQ(upheld.status, 200) << upheld.body;
  EXPECT_EQ(upheld.json.at("report").at("status").as_string(), "upheld");
  EXPECT_EQ(mod_.Post("/api/v1/forum/moderation/reports/" + Id(report_id), json::object{{"decision", "dismiss"}})
                .error_code(),
            "forum.report_decided");
  auto page = Read(anon_, t);
  const auto& floor = page.json.at("posts").at(1);
  EXPECT_EQ(floor.at("floor").as_int64(), 2);
  EXPECT_EQ(floor.at("status").as_string(), "hidden");
  EXPECT_EQ(floor.at("body_html").as_string(), "");
  EXPECT_EQ(floor.at("status_reason").as_string(), "不文明用语");
  EXPECT_EQ(page.json.at("posts").at(2).at("floor").as_int64(), 3);  // the next floor keeps its number
  EXPECT_EQ(page.json.at("thread").at("replies").as_int64(), 1);
  EXPECT_EQ(Credits("13800014011"), bob_credits - 10);
  EXPECT_EQ(bob_.Get("/api/v1/me/notifications").json.at("notifications").at(0).at("template").as_string(),
            "forum.moderated");
  EXPECT_GE(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'forum.report.upheld'"), 1);
}

TEST_F(ForumTest, AKeptPageNeverShowsAHiddenFloorToAGuestNorHidesItFromItsAuthorOrTheModerator) {
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "要屏蔽的话").status, 201);
  ASSERT_EQ(Read(anon_, t).status, 200);  // the page is kept now
  ASSERT_EQ(mod_.Post("/api/v1/forum/posts/" + Id(PostIdOfFloor(t, 2)) + "/moderate",
                      json::object{{"action", "hide"}, {"reason", "不文明"}})
                .status,
            200);
  auto body_of_floor2 = [&](Client& c) {
    return std::string(Read(c, t).json.at("posts").at(1).at("body_html").as_string());
  };
  EXPECT_EQ(body_of_floor2(anon_), "");
  EXPECT_EQ(body_of_floor2(alice_), "");
  EXPECT_NE(body_of_floor2(bob_).find("要屏蔽的话"), std::string::npos);  // its author
  EXPECT_NE(body_of_floor2(mod_).find("要屏蔽的话"), std::string::npos);  // the board's moderator
  EXPECT_TRUE(Read(mod_, t).json.at("thread").at("can").at("moderate").as_bool());
  EXPECT_FALSE(Read(alice_, t).json.at("thread").at("can").at("moderate").as_bool());
  EXPECT_TRUE(Read(alice_, t).json.at("thread").at("can").at("reply").as_bool());
}

TEST_F(ForumTest, TwoModeratorsActingAtOnceOnTwoServersMoveTheCountsAndCreditsOnce) {
  auto second = SecondApp(server_);  // another server on the same PostgreSQL; null on SQLite
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "要屏蔽的话").status, 201);
  const int64_t floor2 = PostIdOfFloor(t, 2);
  Principal admin;
  admin.user_id = UserId("13800014001");
  admin.display_name = "平台管理员";
  admin.roles.push_back(RoleGrant{Role::kPlatformAdmin});
  const int64_t credits = Credits("13800014010");
  std::atomic<int> hidden{0};
  std::atomic<int> refused{0};
  std::atomic<int> digested{0};
  RunAtOnce(8, [&](size_t i) -> boost::asio::awaitable<void> {
    forum::ForumService& f = (second && i % 2 == 1) ? second->forum() : server_.app().forum();
    if (i < 4) {
      auto r = co_await f.ModeratePost(admin, floor2, "hide", "不文明", "127.0.0.1");
      if (r.ok()) ++hidden;
      else if (r.error().key == "forum.post_state") ++refused;
    } else {
      auto r = co_await f.ModerateThread(admin, t, "digest", std::nullopt, "", "127.0.0.1");
      if (r.ok()) ++digested;
    }
  });
  EXPECT_EQ(hidden.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(digested.load(), 4);  // each answers the thread; one of them changed it
  EXPECT_EQ(Count(server_, "SELECT replies FROM forum_threads WHERE id = " + Id(t)), 0);
  EXPECT_EQ(Credits("13800014010"), credits + 10);  // the digest's credit, once
  // The first accepted answer earns its credit once, however often it is marked.
  auto q = NewThread(alice_, board_, "问题", "怎么办？", json::object{{"kind", "question"}});
  const int64_t qt = q.json.at("thread").at("id").as_int64();
  ASSERT_EQ(Reply(bob_, qt, "这样办").status, 201);
  const int64_t bob_credits = Credits("13800014011");
  const std::string solve = "/api/v1/forum/threads/" + Id(qt) + "/solve";
  ASSERT_EQ(alice_.Post(solve, json::object{{"post_id", PostIdOfFloor(qt, 2)}}).status, 200);
  ASSERT_EQ(alice_.Post(solve, json::object{{"post_id", PostIdOfFloor(qt, 2)}}).status, 200);
  EXPECT_EQ(Credits("13800014011"), bob_credits + 5);
}

TEST_F(ForumTest, ALikeCountsOnceAndNeverOnOnesOwnPost) {
  const int64_t t = Thread(alice_);
  const std::string like = "/api/v1/forum/posts/" + Id(PostIdOfFloor(t, 1)) + "/like";
  const int64_t credits = Credits("13800014010");
  ASSERT_EQ(bob_.Post(like, json::object{}).status, 200);
  auto twice = bob_.Post(like, json::object{});
  EXPECT_EQ(twice.json.at("post").at("likes").as_int64(), 1);
  EXPECT_EQ(alice_.Post(like, json::object{}).error_code(), "forum.own_post");
  EXPECT_EQ(anon_.Post(like, json::object{}).status, 401);
  EXPECT_EQ(bob_.Delete(like).json.at("post").at("likes").as_int64(), 0);
  ASSERT_EQ(bob_.Post(like, json::object{}).status, 200);  // again: no second credit
  EXPECT_EQ(Credits("13800014010"), credits + 1);
  EXPECT_TRUE(Read(bob_, t).json.at("posts").at(0).at("liked").as_bool());
}

TEST_F(ForumTest, ModeratorsActOnTheirOwnBoardsOnly) {
  const int64_t t = Thread(alice_);
  const std::string mod = "/api/v1/forum/threads/" + Id(t) + "/moderate";
  EXPECT_EQ(mod_other_.Post(mod, json::object{{"action", "sticky"}}).status, 403);
  EXPECT_EQ(alice_.Post(mod, json::object{{"action", "lock"}}).status, 403);
  EXPECT_EQ(anon_.Post(mod, json::object{{"action", "lock"}}).status, 401);
  EXPECT_EQ(mod_.Post(mod, json::object{{"action", "explode"}}).error_field(), "action");
  ASSERT_EQ(mod_.Post(mod, json::object{{"action", "lock"}}).status, 200);
  auto locked = Reply(bob_, t, "锁了还能回吗");
  EXPECT_EQ(locked.status, 409);
  EXPECT_EQ(locked.error_code(), "forum.thread_locked");
  EXPECT_EQ(Reply(mod_, t, "版主说明：本帖已锁定").status, 201);  // moderators still may
  // Moving needs both boards.
  EXPECT_EQ(mod_.Post(mod, json::object{{"action", "move"}, {"board_id", other_board_}}).status, 403);
  ASSERT_EQ(admin_.Post(mod, json::object{{"action", "move"}, {"board_id", other_board_}}).status, 200);
  EXPECT_EQ(Count(server_, "SELECT threads FROM forum_boards WHERE id = " + Id(other_board_)), 1);
  EXPECT_EQ(Count(server_, "SELECT threads FROM forum_boards WHERE id = " + Id(board_)), 0);
  // Digest earns its author credits once.
  const int64_t credits = Credits("13800014010");
  ASSERT_EQ(mod_other_.Post(mod, json::object{{"action", "digest"}}).status, 200);
  EXPECT_EQ(Credits("13800014010"), credits + 10);
  // Only a platform admin creates boards.
  EXPECT_EQ(mod_.Post("/api/v1/forum/boards", json::object{{"name", "新版块"}}).status, 403);
  EXPECT_EQ(admin_.Post("/api/v1/forum/boards", json::object{{"name", "居民议事"}}).error_code(), "forum.board_exists");
}

TEST_F(ForumTest, OrganisationStaffAnswerInTheirOwnOrganisationsNameOnly) {
  const int64_t t = Thread(alice_);
  auto other = Reply(staff_, t, "答复", json::object{{"as_org_id", other_org_}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.error_field(), "as_org_id");
  ASSERT_EQ(Reply(staff_, t, "您好，可到服务中心咨询。", json::object{{"as_org_id", org_}}).status, 201);
  auto page = Read(anon_, t);
  const auto& badge = page.json.at("posts").at(1).at("author").at("badge");
  EXPECT_EQ(badge.at("kind").as_string(), "org");
  EXPECT_EQ(badge.at("org_name").as_string(), "博睿社工服务中心");
  EXPECT_TRUE(page.json.at("posts").at(0).at("author").at("badge").is_null());
}

TEST_F(ForumTest, AQuestionsAuthorMarksTheAnswerThatSolvedIt) {
  auto q = NewThread(alice_, board_, "长者饭堂补贴怎么申请？", "需要什么材料？", json::object{{"kind", "question"}});
  ASSERT_EQ(q.status, 201);
  const int64_t t = q.json.at("thread").at("id").as_int64();
  ASSERT_EQ(Reply(bob_, t, "带身份证到社区服务中心").status, 201);
  const std::string solve = "/api/v1/forum/threads/" + Id(t) + "/solve";
  EXPECT_EQ(bob_.Post(solve, json::object{{"post_id", PostIdOfFloor(t, 2)}}).status, 403);
  auto solved = alice_.Post(solve, json::object{{"post_id", PostIdOfFloor(t, 2)}});
  ASSERT_EQ(solved.status, 200) << solved.body;
  EXPECT_EQ(solved.json.at("thread").at("solved_post_id").as_int64(), PostIdOfFloor(t, 2));
}

TEST_F(ForumTest, ViewsAreCountedWithoutAWritePerReadAndExactAfterAFlush) {
  const int64_t t = Thread(alice_);
  server_.app().forum().FlushActivity();
  const int64_t before = Count(server_, "SELECT views FROM forum_threads WHERE id = " + Id(t));
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(Read(i % 2 ? anon_ : bob_, t).status, 200);
  }
  // Answered at once (this server's counts not yet written)…
  EXPECT_EQ(Read(anon_, t).json.at("thread").at("views").as_int64(), before + 26);
  // …and exact in the database after a flush.
  server_.app().forum().FlushActivity();
  EXPECT_EQ(Count(server_, "SELECT views FROM forum_threads WHERE id = " + Id(t)), before + 26);
  EXPECT_EQ(server_.app().forum().FlushActivity(), 0);  // nothing left to write
}

TEST_F(ForumTest, AGuestIsAnsweredTheKeptTextYetSeesEveryWriteAtOnceAndItsOwnView) {
  // A title that spells the answer's views mark stays a title.
  const std::string title = "\"views\":" + std::to_string(forum::ForumService::kViewsMark);
  const int64_t t = Thread(alice_, title);
  auto first = Read(anon_, t);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json.at("thread").at("title").as_string(), title);
  const int64_t views = first.json.at("thread").at("views").as_int64();
  EXPECT_EQ(Read(anon_, t).json.at("thread").at("views").as_int64(), views + 1);  // the same kept text, a new view

  ASSERT_EQ(Reply(bob_, t, "新的一楼").status, 201);
  auto replied = Read(anon_, t);
  ASSERT_EQ(replied.json.at("posts").as_array().size(), 2u);
  EXPECT_EQ(replied.json.at("thread").at("replies").as_int64(), 1);
  EXPECT_EQ(replied.json.at("thread").at("views").as_int64(), views + 2);
  ASSERT_EQ(Edit(bob_, PostIdOfFloor(t, 2), "改过的一楼").status, 200);
  EXPECT_NE(std::string(Read(anon_, t).json.at("posts").at(1).at("body_html").as_string()).find("改过的一楼"),
            std::string::npos);
  ASSERT_EQ(alice_.Post("/api/v1/forum/posts/" + Id(PostIdOfFloor(t, 2)) + "/like", json::object{}).status, 200);
  EXPECT_EQ(Read(anon_, t).json.at("posts").at(1).at("likes").as_int64(), 1);
  ASSERT_EQ(mod_.Post("/api/v1/forum/threads/" + Id(t) + "/moderate", json::object{{"action", "lock"}}).status, 200);
  EXPECT_TRUE(Read(anon_, t).json.at("thread").at("locked").as_bool());
  // Signed in, the same page says what is the reader's.
  auto bobs = Read(bob_, t);
  EXPECT_TRUE(bobs.json.at("posts").at(1).at("mine").as_bool());
  EXPECT_EQ(bobs.json.at("thread").at("views").as_int64(), views + 6);
  EXPECT_EQ(Read(anon_, t, "abc").error_field(), "page");
  EXPECT_EQ(Read(anon_, 999999).error_code(), "forum.thread_not_found");
}

TEST_F(ForumTest, AnotherServersWriteShowsOnceTheKeptPageIsASecondOld) {
  const int64_t t = Thread(alice_, "旧标题");
  const auto title = [&] { return std::string(Read(anon_, t).json.at("thread").at("title").as_string()); };
  ASSERT_EQ(title(), "旧标题");
  // Another server's write: straight to the database, past this server's kept pages.
  Exec("UPDATE forum_threads SET title = '新标题' WHERE id = " + Id(t));
  EXPECT_EQ(title(), "旧标题");
  server_.clock().Advance(999);
  EXPECT_EQ(title(), "旧标题");
  server_.clock().Advance(1);
  EXPECT_EQ(title(), "新标题");  // the reader who reads it again
  Exec("UPDATE forum_threads SET title = '再改' WHERE id = " + Id(t));
  EXPECT_EQ(title(), "新标题");  // and the page it read is the one kept for the next second
}

TEST_F(ForumTest, MarkdownIsSanitisedAndBadInputChangesNothing) {
  auto r = NewThread(alice_, board_, "测试",
                     "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)> "
                     "![a](data:image/svg+xml;base64,PHN2Zz4=)");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto html = std::string(Read(anon_, r.json.at("thread").at("id").as_int64()).json.at("posts").at(0).at(
      "body_html").as_string());
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(html.find("onerror"), std::string::npos);
  EXPECT_EQ(html.find("data:"), std::string::npos);

  const int64_t before = Count(server_, "SELECT COUNT(*) FROM forum_posts");
  EXPECT_EQ(NewThread(alice_, board_, "", "内容").error_field(), "title");
  EXPECT_EQ(NewThread(alice_, board_, std::string(61 * 3, 'x'), "内容").error_field(), "title");
  EXPECT_EQ(NewThread(alice_, board_, "标题", "").error_field(), "body_md");
  EXPECT_EQ(NewThread(alice_, board_, "标题", "内容", json::object{{"kind", "poll"}}).error_field(), "kind");
  EXPECT_EQ(NewThread(alice_, 99999, "标题", "内容").status, 404);
  EXPECT_EQ(alice_.PostRaw("/api/v1/forum/threads/1/posts", "{not json").status, 400);
  EXPECT_EQ(Read(anon_, 1, "abc").error_field(), "page");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM forum_posts"), before);
}

TEST_F(ForumTest, BoardsListThreadsNewestReplyFirstWithStickyOnPageOne) {
  const int64_t a = Thread(alice_, "第一帖");
  const int64_t b = Thread(alice_, "第二帖");
  server_.clock().Advance(1000);
  ASSERT_EQ(Reply(bob_, a, "顶").status, 201);
  ASSERT_EQ(mod_.Post("/api/v1/forum/threads/" + Id(b) + "/moderate", json::object{{"action", "sticky"}}).status, 200);
  auto list = anon_.Get("/api/v1/forum/boards/" + Id(board_) + "/threads");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json.at("sticky").as_array().size(), 1u);
  EXPECT_EQ(list.json.at("sticky").at(0).at("id").as_int64(), b);
  EXPECT_EQ(list.json.at("threads").at(0).at("id").as_int64(), a);
  EXPECT_EQ(list.json.at("threads").at(0).at("replies").as_int64(), 1);
  auto boards = anon_.Get("/api/v1/forum/boards");
  EXPECT_EQ(boards.json.at("boards").at(0).at("threads").as_int64(), 2);
  EXPECT_TRUE(mod_.Get("/api/v1/forum/boards").json.at("boards").at(0).at("moderate").as_bool());
  auto rules = anon_.Get("/api/v1/forum/rules");
  EXPECT_EQ(rules.json.at("credits").at("daily_cap").as_int64(), 50);
  EXPECT_EQ(rules.json.at("levels").at(0).at("name").as_string(), "新手上路");
}

TEST_F(ForumWithoutRateLimitsTest, CreditsStopAtTheDailyCap) {
  const int64_t t = Thread(alice_);  // +2
  for (int i = 0; i < 60; ++i) {
    ASSERT_EQ(Reply(alice_, t, "回复" + std::to_string(i)).status, 201);
  }
  EXPECT_EQ(Credits("13800014010"), 50);  // [forum] credits_daily_cap
  server_.clock().Advance(kDay + 1);
  ASSERT_EQ(Reply(alice_, t, "第二天").status, 201);
  EXPECT_EQ(Credits("13800014010"), 51);
  auto history = alice_.Get("/api/v1/forum/me/credits");
  EXPECT_EQ(history.json.at("credits").at(0).at("reason").as_string(), "reply");
}

TEST_F(ForumTest, SearchFindsTitlesAndTextsOfVisibleThreadsWithHighlights) {
  const int64_t t = Thread(alice_, "长者饭堂补贴怎么申请");
  ASSERT_EQ(Reply(bob_, t, "带上身份证去社区服务中心申请长者饭堂补贴").status, 201);
  auto held = NewThread(alice_, board_, "代开发票 饭堂", "饭堂");  // held: not searchable
  ASSERT_EQ(held.status, 201);
  auto r = anon_.Get("/api/v1/search?q=" + std::string("%E9%A5%AD%E5%A0%82"));  // 饭堂
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json.at("threads").as_array().size(), 1u);
  EXPECT_EQ(r.json.at("threads").at(0).at("title_html").as_string(), "长者<mark>饭堂</mark>补贴怎么申请");
  ASSERT_EQ(r.json.at("posts").as_array().size(), 1u);  // the reply (the opening post does not say it)
  bool reply_found = false;
  for (const auto& p : r.json.at("posts").as_array()) {
    if (p.at("floor").as_int64() == 2) {
      reply_found = true;
      EXPECT_NE(std::string(p.at("snippet_html").as_string()).find("<mark>饭堂</mark>"), std::string::npos);
    }
  }
  EXPECT_TRUE(reply_found);
  EXPECT_EQ(anon_.Get("/api/v1/search?q=").error_field(), "q");
}

// 编辑 (PATCH /api/v1/forum/posts/{id}).
TEST_F(ForumTest, AnAuthorEditsTheirPostWhichKeepsItsFloorAndSaysWhen) {
  const int64_t t = Thread(alice_, "长者饭堂几点开门");
  ASSERT_EQ(Reply(bob_, t, "好像是十一点").status, 201);
  const int64_t floor2 = PostIdOfFloor(t, 2);
  auto before = Read(anon_, t);  // a guest's page is kept now
  ASSERT_EQ(before.status, 200);
  EXPECT_TRUE(before.json.at("posts").at(1).at("edited_at_ms").is_null());

  server_.clock().Advance(60 * 1000);
  auto edited = Edit(bob_, floor2, "更正：十一点半开门");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json.at("post").at("floor").as_int64(), 2);
  EXPECT_EQ(edited.json.at("post").at("edited_at_ms").as_int64(), server_.clock().NowMs());
  EXPECT_EQ(edited.json.at("post").at("status").as_string(), "visible");
  EXPECT_TRUE(edited.json.at("post").at("mine").as_bool());
  EXPECT_EQ(edited.json.at("post").at("body_md").as_string(), "更正：十一点半开门");  // the author's own Markdown

  // A guest sees the new text at once, on the same floor.
  auto page = Read(anon_, t);
  const auto& floor = page.json.at("posts").at(1);
  EXPECT_EQ(floor.at("id").as_int64(), floor2);
  EXPECT_EQ(floor.at("floor").as_int64(), 2);
  EXPECT_NE(std::string(floor.at("body_html").as_string()).find("十一点半"), std::string::npos);
  EXPECT_EQ(floor.at("edited_at_ms").as_int64(), server_.clock().NowMs());
  EXPECT_EQ(page.json.at("thread").at("replies").as_int64(), 1);
  EXPECT_FALSE(floor.as_object().contains("body_md"));  // nobody else's

  // The opening post may change the thread's title too, and search follows.
  auto first = Edit(alice_, PostIdOfFloor(t, 1), "请问周末也开吗？", json::object{{"title", "长者饭堂周末开门时间"}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json.at("thread").at("title").as_string(), "长者饭堂周末开门时间");
  EXPECT_EQ(Read(anon_, t).json.at("thread").at("title").as_string(), "长者饭堂周末开门时间");
  auto found = anon_.Get("/api/v1/search?q=" + std::string("%E5%91%A8%E6%9C%AB"));  // 周末
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json.at("threads").as_array().size(), 1u);
  EXPECT_EQ(found.json.at("posts").as_array().size(), 1u);
  auto gone = anon_.Get("/api/v1/search?q=" + std::string("%E5%87%A0%E7%82%B9"));  // 几点: the old title
  EXPECT_EQ(gone.json.at("threads").as_array().size(), 0u);
  // A title on another floor, and bad input, change nothing.
  EXPECT_EQ(Edit(bob_, floor2, "再改", json::object{{"title", "新标题"}}).error_field(), "title");
  EXPECT_EQ(Edit(bob_, floor2, "").error_field(), "body_md");
  EXPECT_EQ(Edit(bob_, floor2, std::string(forum::kMaxBodyChars + 1, 'x')).error_field(), "body_md");
  EXPECT_EQ(Edit(alice_, PostIdOfFloor(t, 1), "正文", json::object{{"title", std::string(61 * 3, 'x')}}).error_field(),
            "title");
  EXPECT_EQ(Edit(bob_, 999999, "没有这一楼").status, 404);
  EXPECT_EQ(BodyOf(floor2), "更正：十一点半开门");
}

TEST_F(ForumTest, OnlyTheAuthorEditsAPostNotAnotherMemberNorAModerator) {
  const int64_t t = Thread(alice_);
  const int64_t post = PostIdOfFloor(t, 1);
  for (Client* c : {&bob_, &mod_, &admin_}) {
    auto refused = Edit(*c, post, "改别人的话");
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(refused.error_code(), "forum.not_author");
  }
  EXPECT_EQ(Edit(anon_, post, "游客").status, 401);
  EXPECT_EQ(BodyOf(post), "大家怎么看？");
  EXPECT_EQ(Edited(post), 0);

  // Nor the author of a hidden floor, nor a muted one.
  ASSERT_EQ(Reply(bob_, t, "说话很冲的一楼").status, 201);
  const int64_t floor2 = PostIdOfFloor(t, 2);
  ASSERT_EQ(mod_.Post("/api/v1/forum/posts/" + Id(floor2) + "/moderate",
                      json::object{{"action", "hide"}, {"reason", "不文明"}})
                .status,
            200);
  EXPECT_EQ(Edit(bob_, floor2, "我改好了").error_code(), "forum.post_state");
  EXPECT_EQ(Edit(mod_, floor2, "版主改").status, 404);
  const int64_t until = server_.clock().NowMs() + 3600 * 1000;
  ASSERT_EQ(mod_.Post("/api/v1/forum/sanctions", json::object{{"post_id", floor2}, {"kind", "mute"},
                                                             {"reason", "辱骂他人"}, {"ends_at_ms", until}})
                .status,
            201);
  ASSERT_EQ(Reply(alice_, t, "三楼").status, 201);
  Exec("UPDATE forum_posts SET author_id = " + Id(UserId("13800014011")) + " WHERE id = " + Id(PostIdOfFloor(t, 3)));
  EXPECT_EQ(Edit(bob_, PostIdOfFloor(t, 3), "禁言中改帖").error_code(), "forum.muted");
  EXPECT_EQ(BodyOf(floor2), "说话很冲的一楼");
}

TEST_F(ForumTest, ALockedThreadsPostsCannotBeEdited) {
  const int64_t t = Thread(alice_);
  ASSERT_EQ(mod_.Post("/api/v1/forum/threads/" + Id(t) + "/moderate", json::object{{"action", "lock"}}).status, 200);
  auto refused = Edit(alice_, PostIdOfFloor(t, 1), "锁了还想改");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.error_code(), "forum.thread_locked");
  EXPECT_EQ(BodyOf(PostIdOfFloor(t, 1)), "大家怎么看？");
  EXPECT_EQ(Edited(PostIdOfFloor(t, 1)), 0);
}

TEST_F(ForumTest, AnEditMeetsTheWordListAndTheLinkGateAsAPostDoes) {
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "周末一起去打球").status, 201);
  const int64_t floor2 = PostIdOfFloor(t, 2);
  const int64_t bob_credits = Credits("13800014011");

  // A refusing word: refused with the word, nothing changed.
  auto refused = Edit(bob_, floor2, "周末一起去 赌－博");
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "forum.sensitive_word");
  EXPECT_EQ(refused.error_field(), "body_md");
  EXPECT_EQ(refused.json.at("error").at("word").as_string(), "赌博");
  EXPECT_EQ(Edit(alice_, PostIdOfFloor(t, 1), "正文", json::object{{"title", "一起赌博"}}).error_field(), "title");
  EXPECT_EQ(BodyOf(floor2), "周末一起去打球");
  EXPECT_EQ(Edited(floor2), 0);

  // A holding word: back to moderation like a new post, floor kept.
  ASSERT_EQ(Read(anon_, t).status, 200);  // kept
  auto held = Edit(bob_, floor2, "可以代开发票");
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(held.json.at("post").at("status").as_string(), "held");
  auto page = Read(anon_, t);
  EXPECT_EQ(page.json.at("posts").at(1).at("status").as_string(), "held");
  EXPECT_EQ(page.json.at("posts").at(1).at("body_html").as_string(), "");
  EXPECT_EQ(page.json.at("thread").at("replies").as_int64(), 0);
  auto queue = mod_.Get("/api/v1/forum/moderation/queue");
  ASSERT_EQ(queue.json.at("held").as_array().size(), 1u);
  EXPECT_EQ(queue.json.at("held").at(0).at("post").at("id").as_int64(), floor2);
  // Clean words do not let it out; the moderator does, without a second credit.
  ASSERT_EQ(Edit(bob_, floor2, "改好了").json.at("post").at("status").as_string(), "held");
  ASSERT_EQ(mod_.Post("/api/v1/forum/posts/" + Id(floor2) + "/moderate", json::object{{"action", "approve"}}).status,
            200);
  EXPECT_EQ(Read(anon_, t).json.at("thread").at("replies").as_int64(), 1);
  EXPECT_EQ(Credits("13800014011"), bob_credits);

  // A new member's edit may not add a link.
  auto plain = NewThread(newbie_, board_, "纯文字", "没有链接的帖子");
  ASSERT_EQ(plain.status, 201);
  const int64_t np = plain.json.at("post").at("id").as_int64();
  auto link = Edit(newbie_, np, "看这里 https://example.com");
  EXPECT_EQ(link.status, 403);
  EXPECT_EQ(link.error_code(), "forum.links_need_trust");
  EXPECT_EQ(BodyOf(np), "没有链接的帖子");
  EXPECT_EQ(Edit(alice_, PostIdOfFloor(t, 1), "看这里 https://example.com").status, 200);
}

TEST_F(ForumTest, AnEditTellsOnlyTheMembersItNewlyMentions) {
  Exec("UPDATE users SET display_name = '桂城阿明' WHERE phone = '13800014012'");
  Exec("UPDATE users SET display_name = '桂城阿芳' WHERE phone = '13800014003'");
  const int64_t t = Thread(alice_);
  ASSERT_EQ(Reply(bob_, t, "@桂城阿明 你怎么看？").status, 201);
  const int64_t floor2 = PostIdOfFloor(t, 2);
  ASSERT_EQ(Edit(bob_, floor2, "@桂城阿明 @桂城阿芳 你们怎么看？").status, 200);
  ASSERT_EQ(Edit(bob_, floor2, "@桂城阿明 @桂城阿芳 你们俩怎么看？").status, 200);
  EXPECT_EQ(newbie_.Get("/api/v1/me/notifications").json.at("unread").as_int64(), 1);  // from the reply only
  auto inbox = mod_other_.Get("/api/v1/me/notifications");
  ASSERT_EQ(inbox.json.at("unread").as_int64(), 1);
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("template").as_string(), "forum.mention");
}

}  // namespace
}  // namespace carecity::testing
