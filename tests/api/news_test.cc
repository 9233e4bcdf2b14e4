// 公益宣传 over HTTP (issue 14): editors publish, organisations' articles
// wait for an editor (two deciding at once on two servers decide once), a
// scheduled article is invisible until its time, edits keep revisions and
// corrections are marked, related items must exist and be public and come
// back as cards, Markdown never renders active content, covers are the
// writer's own images, views are counted without a write per read, and the
// feeds, search and 首页 carry published articles only.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "db/store.h"
#include "media/fixtures.h"
#include "media/image.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kHour = 3600LL * 1000;

class NewsTest : public ::testing::Test {
 protected:
  NewsTest()
      : org_(InsertOrg(server_, "博睿社工服务中心", "52440605MJ0015001A")),
        other_org_(InsertOrg(server_, "启创社工服务中心", "52440605MJ0015002B")),
        admin_(UserWith(server_, "13800015001", {RoleGrant{Role::kPlatformAdmin}})),
        editor_(UserWith(server_, "13800015002", {RoleGrant{Role::kEditor}})),
        editor2_(UserWith(server_, "13800015003", {RoleGrant{Role::kEditor}})),
        staff_(UserWith(server_, "13800015004", {OrgStaff(org_)})),
        other_staff_(UserWith(server_, "13800015005", {OrgStaff(other_org_)})),
        resident_(UserWith(server_, "13800015010")),
        anon_(server_) {
    auto v = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return server_.app().accounts().CreateVillageTx(tx, std::nullopt, {"叠滘村", "village", true, true}, "t");
    });
    village_ = v->id;
  }

  json::object Body(const std::string& title, json::object extra = {}) {
    json::object o{{"title", title}, {"body_md", "## 标题\n\n正文内容，欢迎大家参加。"}, {"category", "notice"},
                   {"related", json::array{}}};
    for (auto& [k, v] : extra) o[k] = v;
    return o;
  }
  HttpResult Create(Client& c, const std::string& title, json::object extra = {}) {
    return c.Post("/api/v1/news/articles", Body(title, std::move(extra)));
  }
  std::string Article(Client& c, const std::string& title, json::object extra = {}) {
    auto r = Create(c, title, std::move(extra));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json.at("article").at("id").as_string());
  }
  HttpResult Read(Client& c, const std::string& id) { return c.Get("/api/v1/news/articles/" + id); }
  std::set<std::string> ListedTitles(const std::string& query = "") {
    std::set<std::string> titles;
    auto r = anon_.Get("/api/v1/news/articles" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& a : r.json.at("articles").as_array()) titles.insert(std::string(a.at("title").as_string()));
    return titles;
  }
  HttpResult Decide(Client& c, const std::string& id, const std::string& decision, const std::string& note = "") {
    json::object o{{"decision", decision}};
    if (!note.empty()) o["note"] = note;
    return c.Post("/api/v1/news/articles/" + id + "/review", o);
  }
  int64_t Articles() { return Count(server_, "SELECT COUNT(*) FROM news_articles"); }

  TestServer server_;
  int64_t org_, other_org_;
  Client admin_, editor_, editor2_, staff_, other_staff_, resident_, anon_;
  int64_t village_ = 0;
};

TEST_F(NewsTest, AnEditorPublishesAndEveryoneReadsIt) {
  auto r = Create(editor_, "桂城街道义工日报名开始", json::object{{"tags", json::array{"义工日"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("article").at("status").as_string(), "published");
  const std::string id(r.json.at("article").at("id").as_string());
  EXPECT_EQ(id.size(), 20u);  // an unguessable public id
  auto a = Read(anon_, id);
  ASSERT_EQ(a.status, 200) << a.body;
  const auto& art = a.json.at("article");
  EXPECT_EQ(art.at("title").as_string(), "桂城街道义工日报名开始");
  EXPECT_NE(art.at("body_html").as_string().find("<h2>标题</h2>"), std::string::npos);
  EXPECT_FALSE(art.as_object().contains("body_md"));  // the Markdown is for its writers
  EXPECT_FALSE(art.at("can_edit").as_bool());
  EXPECT_EQ(art.at("summary").as_string(), "标题 正文内容，欢迎大家参加。");
  EXPECT_TRUE(Read(editor_, id).json.at("article").at("can_edit").as_bool());
  EXPECT_EQ(ListedTitles("?tag=%E4%B9%89%E5%B7%A5%E6%97%A5").count("桂城街道义工日报名开始"), 1u);
  EXPECT_EQ(ListedTitles("?category=story").size(), 0u);
  // Residents, reviewers and trainers do not write news.
  EXPECT_EQ(Create(resident_, "居民的文章").status, 403);
  EXPECT_EQ(Create(anon_, "匿名的文章").status, 401);
  EXPECT_EQ(Articles(), 1);
}

TEST_F(NewsTest, ViewsAreCountedWithoutAWritePerReadAndAddUpAfterTheFlush) {
  const std::string id = Article(editor_, "一篇热门文章");
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Read(anon_, id).status, 200);
  EXPECT_EQ(Count(server_, "SELECT views FROM news_articles"), 0);  // nothing written yet
  EXPECT_EQ(Read(anon_, id).json.at("article").at("views").as_int64(), 6);  // but shown
  EXPECT_EQ(server_.app().news().FlushViews(), 6);
  EXPECT_EQ(Count(server_, "SELECT views FROM news_articles"), 6);
  EXPECT_EQ(Read(anon_, id).json.at("article").at("views").as_int64(), 7);
}

TEST_F(NewsTest, MarkdownNeverRendersActiveContent) {
  const std::vector<std::string> payloads = {
      "<script>alert(1)</script>",
      "[点我](javascript:alert(1))",
      "<img src=x onerror=alert(1)>",
      "<svg onload=alert(1)><circle/></svg>",
      "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
      "[x](data:text/html,<script>alert(1)</script>)",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<iframe src=\"https://evil.example\"></iframe>",
      "[x](JaVaScRiPt:alert(1))",
      "<div style=\"background:url(javascript:alert(1))\">x</div>",
  };
  for (const std::string& p : payloads) {
    const std::string id = Article(editor_, "测试", json::object{{"body_md", "正文 " + p}});
    const std::string html(Read(anon_, id).json.at("article").at("body_html").as_string());
    for (const char* bad : {"<script", "javascript:", "onerror", "onload", "<svg", "data:", "<iframe", "style="}) {
      EXPECT_EQ(html.find(bad), std::string::npos) << p << " → " << html;
    }
  }
}

TEST_F(NewsTest, AnOrganisationsArticleWaitsForAnEditorWhoApprovesOrReturnsIt) {
  auto r = Create(staff_, "博睿社工招募探访义工");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("article").at("status").as_string(), "pending_review");
  const std::string id(r.json.at("article").at("id").as_string());
  // Invisible to readers and to other organisations until approved.
  EXPECT_EQ(Read(anon_, id).status, 404);
  EXPECT_EQ(Read(resident_, id).status, 404);
  EXPECT_EQ(Read(other_staff_, id).status, 404);
  EXPECT_EQ(ListedTitles().count("博睿社工招募探访义工"), 0u);
  EXPECT_EQ(Read(staff_, id).status, 200);
  // Only editors decide; organisation staff cannot approve their own.
  EXPECT_EQ(Decide(staff_, id, "approve").status, 403);
  EXPECT_EQ(Decide(resident_, id, "approve").status, 404);
  EXPECT_TRUE(Read(editor_, id).json.at("article").at("can_review").as_bool());
  // Returning needs a reason, which reaches the writer.
  EXPECT_EQ(Decide(editor_, id, "return").error_field(), "note");
  auto back = Decide(editor_, id, "return", "请补充活动时间");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json.at("article").at("status").as_string(), "draft");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'news.returned' AND params_json LIKE "
                           "'%请补充活动时间%'"),
            1);
  EXPECT_EQ(Read(staff_, id).json.at("article").at("review_note").as_string(), "请补充活动时间");
  // The writer mends it and submits again; an editor approves.
  auto edit = Put(staff_, "/api/v1/news/articles/" + id, Body("博睿社工招募探访义工（每周二下午）"));
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(edit.json.at("article").at("revision").as_int64(), 0);  // not yet published: no revision kept
  ASSERT_EQ(staff_.Post("/api/v1/news/articles/" + id + "/submit", json::object{}).status, 200);
  auto ok = Decide(editor_, id, "approve");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("article").at("status").as_string(), "published");
  EXPECT_EQ(Read(anon_, id).status, 200);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'news.approved'"), 1);
  // Once published, the organisation no longer edits it; an editor does.
  EXPECT_EQ(Put(staff_, "/api/v1/news/articles/" + id, Body("改标题")).error_code(), "news.state");
  EXPECT_EQ(Decide(editor2_, id, "approve").error_code(), "news.state");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'news.article.%'"), 5);
}

TEST_F(NewsTest, TwoEditorsDecidingAtOnceOnTwoServersDecideOnce) {
  auto second = SecondApp(server_);  // another server on the same PostgreSQL; null on SQLite
  const std::string id = Article(staff_, "待审核的文章");
  Principal editor;
  editor.user_id = Count(server_, "SELECT id FROM users WHERE phone = '13800015002'");
  editor.roles.push_back(RoleGrant{Role::kEditor});
  std::atomic<int> decided{0};
  std::atomic<int> refused{0};
  RunAtOnce(8, [&](size_t i) -> boost::asio::awaitable<void> {
    news::NewsService& n = (second && i % 2 == 1) ? second->news() : server_.app().news();
    auto r = co_await n.Review(editor, id, i % 3 != 0, i % 3 == 0 ? "退回" : "", "127.0.0.1");
    if (r.ok()) ++decided;
    else if (r.error().key == "news.state") ++refused;
  });
  EXPECT_EQ(decided.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template LIKE 'news.%'"), 1);
}

TEST_F(NewsTest, AScheduledArticleIsInvisibleUntilItsTimeWithNoJob) {
  const int64_t at = server_.clock().NowMs() + kHour;
  auto r = Create(editor_, "元旦开放时间调整", json::object{{"publish_at_ms", at}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("article").at("status").as_string(), "scheduled");
  const std::string id(r.json.at("article").at("id").as_string());
  EXPECT_EQ(Read(anon_, id).status, 404);
  EXPECT_EQ(ListedTitles().count("元旦开放时间调整"), 0u);
  EXPECT_EQ(Read(editor_, id).json.at("article").at("status").as_string(), "scheduled");
  server_.clock().Advance(kHour);
  EXPECT_EQ(Read(anon_, id).json.at("article").at("status").as_string(), "published");
  EXPECT_EQ(ListedTitles().count("元旦开放时间调整"), 1u);
  EXPECT_EQ(ListedTitles("?category=notice").count("元旦开放时间调整"), 1u);
}

TEST_F(NewsTest, EditsKeepRevisionsAndACorrectionIsMarked) {
  const std::string id = Article(editor_, "关爱基金收支公示");
  const std::string url = "/api/v1/news/articles/" + id;
  auto e1 = Put(editor_, url, Body("关爱基金收支公示（第三季度）"));
  ASSERT_EQ(e1.status, 200) << e1.body;
  EXPECT_EQ(e1.json.at("article").at("revision").as_int64(), 1);
  EXPECT_FALSE(e1.json.at("article").at("corrected").as_bool());
  auto e2 = Put(editor_, url, Body("关爱基金收支公示（第三季度）", json::object{{"body_md", "支出 12,000 元"},
                                                                      {"correction_note", "支出金额有误，已更正"}}));
  ASSERT_EQ(e2.status, 200) << e2.body;
  const auto read = Read(anon_, id);
  const auto& a = read.json.at("article");
  EXPECT_TRUE(a.at("corrected").as_bool());
  EXPECT_EQ(a.at("correction_note").as_string(), "支出金额有误，已更正");
  ASSERT_EQ(a.at("corrections").as_array().size(), 1u);
  EXPECT_EQ(a.at("corrections").at(0).at("note").as_string(), "支出金额有误，已更正");
  auto revs = editor_.Get(url + "/revisions");
  ASSERT_EQ(revs.status, 200) << revs.body;
  ASSERT_EQ(revs.json.at("revisions").as_array().size(), 2u);
  EXPECT_EQ(revs.json.at("revisions").at(1).at("title").as_string(), "关爱基金收支公示");  // the first text, kept
  EXPECT_TRUE(revs.json.at("revisions").at(0).at("is_correction").as_bool());
  EXPECT_EQ(anon_.Get(url + "/revisions").status, 401);
  EXPECT_EQ(resident_.Get(url + "/revisions").status, 404);
  // Withdrawn: readers get 404 from then on.
  ASSERT_EQ(editor_.Post(url + "/withdraw", json::object{{"reason", "内容过时"}}).status, 200);
  EXPECT_EQ(Read(anon_, id).status, 404);
}

TEST_F(NewsTest, RelatedItemsMustBePublicAndComeBackAsCards) {
  const int64_t before = Articles();
  auto bad_kind = Create(editor_, "x", json::object{{"related", json::array{json::object{{"kind", "forum"}, {"id", 1}}}}});
  EXPECT_EQ(bad_kind.status, 400);
  EXPECT_EQ(bad_kind.error_field(), "related[0].kind");
  auto missing = Create(editor_, "x", json::object{{"related", json::array{
      json::object{{"kind", "village"}, {"id", village_}}, json::object{{"kind", "event"}, {"id", 999999}}}}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.error_code(), "news.related_not_found");
  EXPECT_EQ(missing.error_field(), "related[1].id");
  auto bad_lot = Create(editor_, "x", json::object{{"related", json::array{json::object{{"kind", "lot"}, {"id", 5}}}}});
  EXPECT_EQ(bad_lot.error_field(), "related[0].id");
  EXPECT_EQ(Articles(), before);  // nothing written on any error
  const std::string id = Article(editor_, "叠滘村的变化", json::object{{"related", json::array{
      json::object{{"kind", "village"}, {"id", village_}}}}});
  const auto read = Read(anon_, id);
  const auto& cards = read.json.at("article").at("related").as_array();
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(cards[0].at("title").as_string(), "叠滘村");
  EXPECT_EQ(cards[0].at("href").as_string(), "/market/villages/" + std::to_string(village_));
  EXPECT_EQ(cards[0].at("action").as_string(), "view");
  EXPECT_EQ(cards[0].at("item").at("name").as_string(), "叠滘村");  // the section's own shape
}

TEST_F(NewsTest, ACoverIsTheWritersOwnImage) {
  auto up = editor_.Send("POST", "/api/v1/media/images", TestJpeg(64, 48), {{"Content-Type", "image/jpeg"}});
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string image(up.json.at("image").at("id").as_string());
  auto stolen = Create(editor2_, "封面", json::object{{"cover_file_id", image}});
  EXPECT_EQ(stolen.status, 404);
  EXPECT_EQ(stolen.error_field(), "cover_file_id");
  const std::string id = Article(editor_, "封面", json::object{{"cover_file_id", image}});
  const auto read = Read(anon_, id);
  const auto& cover = read.json.at("article").at("cover");
  EXPECT_EQ(cover.at("thumb_url").as_string(), "/media/images/" + image + "/thumb.webp");
  // In use: its owner cannot delete it, and it covers one article only.
  EXPECT_EQ(editor_.Delete("/api/v1/media/images/" + image).status, 409);
  EXPECT_EQ(Create(editor_, "再用", json::object{{"cover_file_id", image}}).status, 409);
}

TEST_F(NewsTest, TheDeskShowsEachWriterTheirOwn) {
  Article(staff_, "博睿的稿件");
  Article(other_staff_, "启创的稿件");
  Article(editor_, "街道的稿件", json::object{{"draft", true}});
  auto mine = staff_.Get("/api/v1/news/desk");
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_EQ(mine.json.at("articles").as_array().size(), 1u);
  EXPECT_EQ(mine.json.at("articles").at(0).at("title").as_string(), "博睿的稿件");
  EXPECT_EQ(editor2_.Get("/api/v1/news/desk").json.at("articles").as_array().size(), 3u);
  EXPECT_EQ(editor2_.Get("/api/v1/news/desk?status=pending_review").json.at("articles").as_array().size(), 2u);
  EXPECT_EQ(resident_.Get("/api/v1/news/desk").status, 403);
  EXPECT_EQ(editor_.Get("/api/v1/news/desk?status=nonsense").error_field(), "status");
}

TEST_F(NewsTest, ListsPageByCursorWithoutRepeats) {
  for (int i = 0; i < 5; ++i) {
    Article(editor_, "文章" + std::to_string(i));
    server_.clock().Advance(1000);
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto r = anon_.Get("/api/v1/news/articles?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& a : r.json.at("articles").as_array()) {
      EXPECT_TRUE(seen.insert(std::string(a.at("title").as_string())).second);
    }
    cursor = r.json.at("next_cursor").is_null() ? "" : std::string(r.json.at("next_cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(anon_.Get("/api/v1/news/articles?cursor=abc").error_field(), "cursor");
  EXPECT_EQ(anon_.Get("/api/v1/news/articles?category=gossip").error_field(), "category");
}

TEST_F(NewsTest, FeedsSearchAndHomeCarryPublishedArticlesOnly) {
  Article(editor_, "义卖 & 拍卖 <公告>");
  Article(staff_, "未审核的公告");
  auto rss = anon_.Get("/news/rss.xml");
  ASSERT_EQ(rss.status, 200);
  EXPECT_NE(rss.headers["content-type"].find("application/rss+xml"), std::string::npos);
  EXPECT_NE(rss.body.find("<title>义卖 &amp; 拍卖 &lt;公告&gt;</title>"), std::string::npos);
  EXPECT_EQ(rss.body.find("未审核"), std::string::npos);
  auto atom = anon_.Get("/news/atom.xml");
  ASSERT_EQ(atom.status, 200);
  EXPECT_NE(atom.body.find("<entry><title>义卖 &amp; 拍卖 &lt;公告&gt;</title>"), std::string::npos);
  auto found = anon_.Get("/api/v1/search?q=%E6%8B%8D%E5%8D%96");  // 拍卖
  ASSERT_EQ(found.status, 200) << found.body;
  ASSERT_EQ(found.json.at("articles").as_array().size(), 1u);
  EXPECT_NE(found.json.at("articles").at(0).at("title_html").as_string().find("<mark>拍卖</mark>"), std::string::npos);
  EXPECT_TRUE(found.json.at("threads").is_array());
  EXPECT_EQ(anon_.Get("/api/v1/search?q=").status, 400);
  auto home = anon_.Get("/api/v1/home");
  ASSERT_EQ(home.status, 200);
  ASSERT_EQ(home.json.at("notices").as_array().size(), 1u);
  EXPECT_EQ(home.json.at("notices").at(0).at("title").as_string(), "义卖 & 拍卖 <公告>");
}

}  // namespace
}  // namespace carecity::testing

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

TEST_F(NewsTest, ASharePosterIsDrawnForPublicItemsOnly) {
  const std::string id = Article(editor_, "分享海报 <测试> & 标题");
  const std::string pending = Article(staff_, "待审核的文章");
  auto png = anon_.Get("/share/article/" + id + ".png");
  ASSERT_EQ(png.status, 200) << png.body;
  EXPECT_EQ(png.headers["content-type"], "image/png");
  auto header = media::ReadImageHeader(png.body);
  ASSERT_TRUE(header.has_value());
  EXPECT_EQ(header->width, 750);
  EXPECT_EQ(header->height, 1334);
  auto again = anon_.Get("/share/article/" + id + ".png", {{"If-None-Match", png.headers["etag"]}});
  EXPECT_EQ(again.status, 304);
  auto english = anon_.Get("/share/article/" + id + ".png", {{"Accept-Language", "en"}});
  EXPECT_EQ(english.status, 200);
  // Drawing a poster is nobody reading the article: no view counted.
  server_.app().news().FlushViews();
  EXPECT_EQ(Count(server_, "SELECT views FROM news_articles WHERE public_id = '" + id + "'"), 0);
  EXPECT_EQ(anon_.Get("/share/article/" + pending + ".png").status, 404);  // not public: no poster
  EXPECT_EQ(anon_.Get("/share/forum/1.png").status, 404);
  EXPECT_EQ(anon_.Get("/share/article/" + id).status, 404);
  EXPECT_EQ(anon_.Get("/share/event/999.png").status, 404);
}

TEST(NewsPageMetaTest, AnArticlesPageCarriesItsEscapedShareTags) {
  const auto dir = std::filesystem::temp_directory_path() / ("carecity_news_web_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "index.html") << "<!doctype html><html><head><meta name=\"description\" content=\"关爱城市\" />"
                                       "<title>关爱城市</title></head><body><div id=\"app\"></div></body></html>";
  Config c = TestConfig();
  c.web_dir = dir.string();
  TestServer server(c);
  Client editor = UserWith(server, "13800015002", {RoleGrant{Role::kEditor}});
  auto r = editor.Post("/api/v1/news/articles", json::object{{"title", "义卖 <b>\"公告\"</b>"},
                                                             {"body_md", "正文"},
                                                             {"category", "notice"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id(r.json.at("article").at("id").as_string());
  Client anon(server);
  auto page = anon.Get("/news/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<meta property=\"og:title\" content=\"义卖 &lt;b&gt;&quot;公告&quot;&lt;/b&gt; · 关爱桂城\">"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("<title>义卖 &lt;b&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("og:url\" content=\"http://"), std::string::npos);
  EXPECT_EQ(page.body.find("<b>"), std::string::npos);
  // Other pages are the app's page as it is; the view was not counted.
  EXPECT_EQ(anon.Get("/news/desk").body.find("og:title"), std::string::npos);
  EXPECT_EQ(anon.Get("/events/999").body.find("og:title"), std::string::npos);
  EXPECT_EQ(server.app().news().FlushViews(), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace carecity::testing
