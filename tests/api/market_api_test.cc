// The market over HTTP (issue 12): the catalogue and its approval, needs,
// needs surveys and matching. Permissions for every route (org staff of
// another organisation, village staff of another village, residents,
// anonymous), bad input naming the field with nothing written, and the
// matching's order on hand-built data.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/run_sync.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

class MarketApiTest : public ::testing::Test {
 protected:
  MarketApiTest()
      : admin_(UserWith(server_, "13800012001", {RoleGrant{Role::kFundAdmin}})),
        org_a_(InsertOrg(server_, "博睿社会工作服务中心", "91440605MA00012A01")),
        org_b_(InsertOrg(server_, "启创社工", "91440605MA00012B01")),
        staff_a_(UserWith(server_, "13800012002", {OrgStaff(org_a_)})),
        staff_b_(UserWith(server_, "13800012003", {OrgStaff(org_b_)})),
        village_1_(InsertVillage(server_, "叠滘村", true, true)),
        village_2_(InsertVillage(server_, "夏北社区", false)),
        vstaff_1_(UserWith(server_, "13800012004", {VillageStaff(village_1_)})),
        vstaff_2_(UserWith(server_, "13800012005", {VillageStaff(village_2_)})),
        resident_(UserWith(server_, "13800012006")),
        anon_(server_) {
    EXPECT_EQ(Put(resident_, "/api/v1/me/village", {{"village_id", village_1_}}).status, 200);
  }

  int64_t Now() { return server_.clock().NowMs(); }

  json::object ProjectBody(json::object extra = {}) {
    json::object b{{"org_id", org_a_},
                   {"title", "长者居家安全改造与探访"},
                   {"project_type", "长者服务"},
                   {"target_group", "独居长者"},
                   {"price", json::object{{"kind", "range"}, {"min_fen", 3000000}, {"max_fen", 5000000}}},
                   {"duration_days", 180},
                   {"description", "**每月探访**，<script>x</script>"},
                   {"indicators", json::array{"探访 600 人次", "满意度 90%"}},
                   {"team", json::array{json::object{{"name", "陈社工"}, {"role", "项目主管"}, {"level", "中级社工师"},
                                                     {"party_member", true}}}}};
    for (const auto& [k, v] : extra) {
      b[k] = v;
    }
    return b;
  }

  json::object NeedBody(json::object extra = {}) {
    json::object b{{"village_id", village_1_},
                   {"title", "独居长者的日常探访"},
                   {"project_type", "长者服务"},
                   {"target_group", "独居长者"},
                   {"beneficiaries", 60},
                   {"budget_min_fen", 2000000},
                   {"budget_max_fen", 6000000},
                   {"period", json::object{{"from_ms", Now() + kDay}, {"to_ms", Now() + 200 * kDay}}},
                   {"source", "visits"}};
    for (const auto& [k, v] : extra) {
      b[k] = v;
    }
    return b;
  }

  // A listing by `staff` (of `org`), approved by the admin unless told not to.
  std::string Listing(Client& staff, json::object body, bool approve = true) {
    auto r = staff.Post("/api/v1/market/projects", body);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = Str(r.json.at("project").at("id"));
    if (approve) {
      auto a = admin_.Post("/api/v1/market/projects/" + id + "/approve", json::object{});
      EXPECT_EQ(a.status, 200) << a.body;
    }
    return id;
  }

  // The edit's body: the listing's fields without org_id.
  json::object EditBody(json::object extra = {}) {
    json::object b = ProjectBody(std::move(extra));
    b.erase("org_id");
    return b;
  }

  std::string Need(json::object extra = {}) {
    auto r = vstaff_1_.Post("/api/v1/market/needs", NeedBody(std::move(extra)));
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.json.at("need").at("id"));
  }

  std::string Round(int64_t village, Client& staff) {
    auto r = staff.Post("/api/v1/market/surveys",
                        json::object{{"village_id", village},
                                     {"title", "2026年村民需求调查"},
                                     {"options", json::array{"长者探访", "青少年托管", "家庭教育"}},
                                     {"opens_at_ms", Now() - kDay},
                                     {"closes_at_ms", Now() + 10 * kDay}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Str(r.json.at("round").at("id"));
  }

  TestServer server_;
  Client admin_;
  int64_t org_a_;
  int64_t org_b_;
  Client staff_a_;
  Client staff_b_;
  int64_t village_1_;
  int64_t village_2_;
  Client vstaff_1_;
  Client vstaff_2_;
  Client resident_;
  Client anon_;
};

// ---- Catalogue

TEST_F(MarketApiTest, AListingIsPendingUntilApprovedAndOnlyItsOwnersAndAdminsSeeItMeanwhile) {
  auto r = staff_a_.Post("/api/v1/market/projects", ProjectBody({{"sessions", 24}, {"beneficiaries", 60}}));
  ASSERT_EQ(r.status, 201) << r.body;
  const json::object& p = r.json.at("project").as_object();
  EXPECT_EQ(Str(p.at("status")), "pending_approval");
  EXPECT_EQ(p.at("sessions").as_int64(), 24);
  EXPECT_EQ(Str(p.at("description_html")).find("<script>"), std::string::npos);
  EXPECT_TRUE(p.at("team").as_array()[0].at("party_member").as_bool());
  const std::string id = Str(p.at("id"));
  const std::string url = "/api/v1/market/projects/" + id;

  for (Client* c : {&anon_, &staff_b_, &resident_, &vstaff_1_}) {
    EXPECT_EQ(c->Get(url).status, 404);
  }
  EXPECT_EQ(staff_a_.Get(url).status, 200);
  EXPECT_EQ(admin_.Get(url).status, 200);
  EXPECT_EQ(anon_.Get("/api/v1/market/projects").json.at("projects").as_array().size(), 0U);

  // Approval: admins only, and a conditional update (the second is refused).
  EXPECT_EQ(anon_.Post(url + "/approve", json::object{}).status, 401);
  for (Client* c : {&staff_a_, &staff_b_, &vstaff_1_, &resident_}) {
    EXPECT_EQ(c->Post(url + "/approve", json::object{}).status, 403);
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_projects WHERE status = 'pending_approval'"), 1);
  auto a = admin_.Post(url + "/approve", json::object{});
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Str(a.json.at("project").at("status")), "approved");
  auto again = admin_.Post(url + "/approve", json::object{});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "market.project_not_pending");
  EXPECT_EQ(admin_.Post(url + "/reject", json::object{{"note", "重复"}}).status, 409);

  auto pub = anon_.Get(url);
  ASSERT_EQ(pub.status, 200);
  EXPECT_EQ(Str(pub.json.at("project").at("org_name")), "博睿社会工作服务中心");
  EXPECT_EQ(Str(pub.json.at("project").at("org_rating")), "5A");
  EXPECT_FALSE(pub.json.at("project").as_object().contains("review_note"));
  // The team's names are masked for the public, not for the org's staff.
  EXPECT_EQ(Str(pub.json.at("project").at("team").at(0).at("name")), "陈**");
  EXPECT_EQ(Str(anon_.Get("/api/v1/market/projects").json.at("projects").at(0).at("team").at(0).at("name")), "陈**");
  EXPECT_EQ(Str(staff_a_.Get(url).json.at("project").at("team").at(0).at("name")), "陈社工");
  EXPECT_EQ(anon_.Get("/api/v1/market/projects").json.at("projects").as_array().size(), 1U);
}

TEST_F(MarketApiTest, AnApprovalNamingTheRevisionReadIsRefusedWhenTheOrgEditedInBetween) {
  const std::string id = Listing(staff_a_, ProjectBody(), false);
  const std::string url = "/api/v1/market/projects/" + id;
  auto seen = admin_.Get(url);
  ASSERT_EQ(seen.status, 200) << seen.body;
  const int64_t read = seen.json.at("project").at("revision").as_int64();
  EXPECT_EQ(read, 1);
  // The organisation edits while the admin is reading: the admin's approval of
  // the text they read is refused, and the listing stays pending with the new text.
  auto e = Put(staff_a_, url, EditBody({{"title", "长者居家安全改造（改后文本）"}}));
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.json.at("project").at("revision").as_int64(), 2);
  auto stale = admin_.Post(url + "/approve", json::object{{"revision", read}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(stale.error_code(), "market.project_changed");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_projects WHERE status = 'pending_approval' AND revision = 2"), 1);
  EXPECT_EQ(admin_.Post(url + "/reject", json::object{{"note", "旧文本"}, {"revision", read}}).error_code(),
            "market.project_changed");
  EXPECT_EQ(admin_.Post(url + "/approve", json::object{{"revision", "2"}}).status, 400);
  // Approving the revision now shown works once.
  auto ok = admin_.Post(url + "/approve", json::object{{"revision", 2}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Str(ok.json.at("project").at("title")), "长者居家安全改造（改后文本）");
  EXPECT_EQ(admin_.Post(url + "/approve", json::object{{"revision", 2}}).error_code(), "market.project_not_pending");
}

TEST_F(MarketApiTest, EditingAnApprovedListingSendsItBackForApprovalAndOnlyItsOrgMayEditOrWithdraw) {
  const std::string id = Listing(staff_a_, ProjectBody());
  const std::string url = "/api/v1/market/projects/" + id;
  // Someone else's public listing: forbidden; nothing changes.
  EXPECT_EQ(Put(staff_b_, url, EditBody({{"title", "改名"}})).status, 403);
  EXPECT_EQ(Put(vstaff_1_, url, EditBody({{"title", "改名"}})).status, 403);
  EXPECT_EQ(Put(anon_, url, EditBody({{"title", "改名"}})).status, 401);
  EXPECT_EQ(staff_b_.Post(url + "/withdraw", json::object{}).status, 403);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_projects WHERE status = 'approved' AND title = '长者居家安全改造与探访'"), 1);

  auto e = Put(staff_a_, url, EditBody({{"title", "长者居家安全改造（第二期）"}}));
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(Str(e.json.at("project").at("status")), "pending_approval");
  EXPECT_EQ(anon_.Get(url).status, 404);
  EXPECT_EQ(anon_.Get("/api/v1/market/projects").json.at("projects").as_array().size(), 0U);

  // A rejection needs a note, and a pending listing of another org is not found.
  auto no_note = admin_.Post(url + "/reject", json::object{});
  EXPECT_EQ(no_note.status, 400);
  EXPECT_EQ(no_note.error_field(), "note");
  EXPECT_EQ(staff_b_.Post(url + "/withdraw", json::object{}).status, 404);
  auto rej = admin_.Post(url + "/reject", json::object{{"note", "请补充服务指标"}});
  ASSERT_EQ(rej.status, 200) << rej.body;
  EXPECT_EQ(Str(rej.json.at("project").at("review_note")), "请补充服务指标");

  auto w = staff_a_.Post(url + "/withdraw", json::object{});
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(Str(w.json.at("project").at("status")), "withdrawn");
  EXPECT_EQ(staff_a_.Post(url + "/withdraw", json::object{}).error_code(), "market.project_withdrawn");
  EXPECT_EQ(Put(staff_a_, url, EditBody()).error_code(), "market.project_withdrawn");
}

TEST_F(MarketApiTest, OnlyTheOrgsStaffListAndBadInputNamesTheFieldWithNothingWritten) {
  EXPECT_EQ(anon_.Post("/api/v1/market/projects", ProjectBody()).status, 401);
  for (Client* c : {&staff_b_, &resident_, &vstaff_1_, &admin_}) {
    EXPECT_EQ(c->Post("/api/v1/market/projects", ProjectBody()).status, 403);
  }
  const std::vector<std::pair<json::object, std::string>> bad = {
      {ProjectBody({{"title", ""}}), "title"},
      {ProjectBody({{"duration_days", 0}}), "duration_days"},
      {ProjectBody({{"price", json::object{{"kind", "auction"}, {"min_fen", 1}, {"max_fen", 1}}}}), "price.kind"},
      {ProjectBody({{"price", json::object{{"kind", "fixed"}, {"min_fen", 100}}}}), "price.max_fen"},
      {ProjectBody({{"indicators", json::array{}}}), "indicators"},
      {ProjectBody({{"team", json::array{json::object{{"role", "社工"}}}}}), "team[0].name"},
      {ProjectBody({{"photo", "x"}}), "photo"},
  };
  for (const auto& [body, field] : bad) {
    auto r = staff_a_.Post("/api/v1/market/projects", body);
    EXPECT_EQ(r.status, 400) << field << " " << r.body;
    EXPECT_EQ(r.error_field(), field) << r.body;
  }
  for (const json::object& price : {json::object{{"kind", "fixed"}, {"min_fen", 100}, {"max_fen", 200}},
                                    json::object{{"kind", "range"}, {"min_fen", 300}, {"max_fen", 200}}}) {
    auto r = staff_a_.Post("/api/v1/market/projects", ProjectBody({{"price", price}}));
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.error_code(), "market.price_range");
    EXPECT_EQ(r.error_field(), "price.max_fen");
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_projects"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'market.%'"), 0);

  // The org's own list and the admins' queue.
  Listing(staff_a_, ProjectBody(), false);
  EXPECT_EQ(anon_.Get("/api/v1/market/projects/mine?org_id=" + std::to_string(org_a_)).status, 401);
  EXPECT_EQ(staff_b_.Get("/api/v1/market/projects/mine?org_id=" + std::to_string(org_a_)).status, 403);
  EXPECT_EQ(staff_a_.Get("/api/v1/market/projects/mine").error_field(), "org_id");
  auto mine = staff_a_.Get("/api/v1/market/projects/mine?org_id=" + std::to_string(org_a_));
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json.at("projects").as_array().size(), 1U);
  for (Client* c : {&staff_a_, &vstaff_1_, &resident_}) {
    EXPECT_EQ(c->Get("/api/v1/market/projects/pending").status, 403);
  }
  EXPECT_EQ(anon_.Get("/api/v1/market/projects/pending").status, 401);
  EXPECT_EQ(admin_.Get("/api/v1/market/projects/pending").json.at("projects").as_array().size(), 1U);
}

TEST_F(MarketApiTest, TheCatalogueFiltersByTypeOrgSearchAndAVillagesOpenNeeds) {
  Listing(staff_a_, ProjectBody());
  Listing(staff_b_, ProjectBody({{"org_id", org_b_}, {"title", "青少年四点半课堂"}, {"project_type", "青少年"},
                                 {"target_group", "在校学生"}}));
  Listing(staff_b_, ProjectBody({{"org_id", org_b_}, {"title", "未审核的项目"}}), false);
  const auto titles = [this](const std::string& query) {
    std::vector<std::string> out;
    auto r = anon_.Get("/api/v1/market/projects" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const json::value& p : r.json.at("projects").as_array()) {
      out.push_back(Str(p.at("title")));
    }
    return out;
  };
  EXPECT_EQ(titles("").size(), 2U);
  EXPECT_EQ(titles("?type=%E9%9D%92%E5%B0%91%E5%B9%B4"), std::vector<std::string>{"青少年四点半课堂"});
  EXPECT_EQ(titles("?org_id=" + std::to_string(org_a_)), std::vector<std::string>{"长者居家安全改造与探访"});
  EXPECT_EQ(titles("?q=%E5%9B%9B%E7%82%B9%E5%8D%8A%E8%AF%BE%E5%A0%82"), std::vector<std::string>{"青少年四点半课堂"});
  EXPECT_EQ(titles("?village_id=" + std::to_string(village_1_)).size(), 0U);
  Need();
  EXPECT_EQ(titles("?village_id=" + std::to_string(village_1_)), std::vector<std::string>{"长者居家安全改造与探访"});
  EXPECT_EQ(anon_.Get("/api/v1/market/projects?org_id=x").error_field(), "org_id");
}

TEST_F(MarketApiTest, EverySignedInRouteAnswersAnonymousCallers401AndChangesNothing) {
  const std::string project = Listing(staff_a_, ProjectBody());
  const std::string need = Need();
  const std::string round = Round(village_1_, vstaff_1_);
  const std::string p = "/api/v1/market/projects/" + project;
  const std::string s = "/api/v1/market/surveys/" + round;
  for (const std::string& url : {"/api/v1/market/projects/mine?org_id=" + std::to_string(org_a_),
                                 std::string("/api/v1/market/projects/pending"), std::string("/api/v1/market/surveys"), s,
                                 s + "/results"}) {
    EXPECT_EQ(anon_.Get(url).status, 401) << url;
  }
  for (const std::string& url : {p + "/withdraw", p + "/approve", p + "/reject", "/api/v1/market/needs/" + need + "/close",
                                 s + "/answers", std::string("/api/v1/market/projects"), std::string("/api/v1/market/needs"),
                                 std::string("/api/v1/market/surveys")}) {
    EXPECT_EQ(anon_.Post(url, json::object{}).status, 401) << url;
  }
  EXPECT_EQ(Put(anon_, p, EditBody()).status, 401);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_projects WHERE status = 'approved'"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_needs WHERE status = 'open'"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_survey_answers"), 0);
}

// ---- Needs

TEST_F(MarketApiTest, VillageStaffPostTheirVillagesNeedsWhichArePublic) {
  auto r = vstaff_1_.Post("/api/v1/market/needs", NeedBody({{"story", "村里有 60 位独居长者"}}));
  ASSERT_EQ(r.status, 201) << r.body;
  const json::object& n = r.json.at("need").as_object();
  EXPECT_EQ(Str(n.at("status")), "open");
  EXPECT_EQ(Str(n.at("village_name")), "叠滘村");
  EXPECT_EQ(n.at("period").at("to_ms").as_int64() - n.at("period").at("from_ms").as_int64(), 199 * kDay);
  const std::string url = "/api/v1/market/needs/" + Str(n.at("id"));

  EXPECT_EQ(anon_.Post("/api/v1/market/needs", NeedBody()).status, 401);
  for (Client* c : {&vstaff_2_, &staff_a_, &resident_, &admin_}) {
    EXPECT_EQ(c->Post("/api/v1/market/needs", NeedBody()).status, 403);
  }
  EXPECT_EQ(anon_.Get(url).status, 200);
  EXPECT_FALSE(anon_.Get(url).json.at("need").as_object().contains("created_by"));
  auto list = anon_.Get("/api/v1/market/needs?village_id=" + std::to_string(village_1_));
  EXPECT_EQ(list.json.at("needs").as_array().size(), 1U);
  EXPECT_EQ(anon_.Get("/api/v1/market/needs?village_id=" + std::to_string(village_2_)).json.at("needs").as_array().size(), 0U);
  EXPECT_EQ(anon_.Get("/api/v1/market/needs/nope").status, 404);

  // Closing: the village's staff only, once.
  EXPECT_EQ(anon_.Post(url + "/close", json::object{{"status", "met"}}).status, 401);
  for (Client* c : {&vstaff_2_, &staff_a_, &resident_}) {
    EXPECT_EQ(c->Post(url + "/close", json::object{{"status", "met"}}).status, 403);
  }
  EXPECT_EQ(vstaff_1_.Post(url + "/close", json::object{{"status", "done"}}).error_field(), "status");
  auto met = vstaff_1_.Post(url + "/close", json::object{{"status", "met"}});
  ASSERT_EQ(met.status, 200) << met.body;
  EXPECT_EQ(Str(met.json.at("need").at("status")), "met");
  auto again = vstaff_1_.Post(url + "/close", json::object{{"status", "closed"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "market.need_not_open");
  EXPECT_EQ(anon_.Get("/api/v1/market/needs?status=open").json.at("needs").as_array().size(), 0U);
}

TEST_F(MarketApiTest, ABadNeedNamesTheFieldAndWritesNothing) {
  const std::string other_round = Round(village_2_, vstaff_2_);
  const std::vector<std::tuple<json::object, int, std::string>> bad = {
      {NeedBody({{"beneficiaries", 0}}), 400, "beneficiaries"},
      {NeedBody({{"source", "rumour"}}), 400, "source"},
      {NeedBody({{"period", json::object{{"from_ms", 5}}}}), 400, "period.to_ms"},
      {NeedBody({{"budget_min_fen", 5000000}, {"budget_max_fen", 100}}), 422, "budget_max_fen"},
      {NeedBody({{"period", json::object{{"from_ms", Now() + 9 * kDay}, {"to_ms", Now() + kDay}}}}), 422, "period.to_ms"},
      {NeedBody({{"survey_round_id", other_round}}), 422, "survey_round_id"},
      {NeedBody({{"source", "survey"}, {"survey_round_id", other_round}}), 422, "survey_round_id"},
  };
  for (const auto& [body, status, field] : bad) {
    auto r = vstaff_1_.Post("/api/v1/market/needs", body);
    EXPECT_EQ(r.status, status) << field << " " << r.body;
    EXPECT_EQ(r.error_field(), field) << r.body;
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_needs"), 0);
  // Its own village's round may be cited.
  const std::string round = Round(village_1_, vstaff_1_);
  auto ok = vstaff_1_.Post("/api/v1/market/needs", NeedBody({{"source", "survey"}, {"survey_round_id", round}}));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Str(ok.json.at("need").at("survey_round_id")), round);
}

TEST_F(MarketApiTest, ARetriedNeedWithTheSameKeyIsCreatedOnce) {
  const std::map<std::string, std::string> key{{"Idempotency-Key", "need-key-0001"}};
  auto a = vstaff_1_.Post("/api/v1/market/needs", NeedBody(), key);
  auto b = vstaff_1_.Post("/api/v1/market/needs", NeedBody(), key);
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(a.json.at("need").at("id"), b.json.at("need").at("id"));
  EXPECT_EQ(vstaff_1_.Post("/api/v1/market/needs", NeedBody({{"title", "别的"}}), key).error_code(),
            "idempotency_key_reused");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_needs"), 1);
}

// ---- Matching

TEST_F(MarketApiTest, MatchesRankApprovedProjectsByTheDocumentedScoreWithStableTies) {
  // Org A is 5A (InsertOrg); org B becomes 3A.
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return tx.Exec("UPDATE orgs SET rating = '3A' WHERE id = $1", {org_b_});
  });
  const auto price = [](int64_t min, int64_t max) {
    return json::object{{"kind", min == max ? "fixed" : "range"}, {"min_fen", min}, {"max_fen", max}};
  };
  // 40 + 20 + 20 + 10 = 90
  const std::string best = Listing(staff_a_, ProjectBody({{"price", price(3000000, 5000000)}}));
  // 40 + 20 + 20 + 3 = 83, twice: the older first
  const std::string tie_1 = Listing(staff_b_, ProjectBody({{"org_id", org_b_}, {"price", price(4000000, 4000000)}}));
  const std::string tie_2 = Listing(staff_b_, ProjectBody({{"org_id", org_b_}, {"price", price(4000000, 4000000)}}));
  // 40 + 10 (partial target) + 10 (overlap) + 10 = 70
  const std::string partial =
      Listing(staff_a_, ProjectBody({{"target_group", "长者"}, {"price", price(5000000, 9000000)}}));
  // No type and no target group: no match. Pending: never.
  Listing(staff_a_, ProjectBody({{"project_type", "青少年"}, {"target_group", "在校学生"}}));
  Listing(staff_a_, ProjectBody(), false);
  const std::string need = Need();

  auto r = anon_.Get("/api/v1/market/needs/" + need + "/matches");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::array& m = r.json.at("matches").as_array();
  ASSERT_EQ(m.size(), 4U);
  std::vector<std::string> ids;
  std::vector<int64_t> scores;
  for (const json::value& x : m) {
    ids.push_back(Str(x.at("project_id")));
    scores.push_back(x.at("score").as_int64());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{best, tie_1, tie_2, partial}));
  EXPECT_EQ(scores, (std::vector<int64_t>{90, 83, 83, 70}));
  const json::array& reasons = m[0].at("reasons").as_array();
  ASSERT_EQ(reasons.size(), 4U);
  EXPECT_EQ(Str(reasons[0].at("code")), "type_match");
  EXPECT_EQ(reasons[0].at("points").as_int64(), 40);
  EXPECT_EQ(Str(reasons[2].at("code")), "budget_fit");
  EXPECT_EQ(reasons[2].at("partial").as_int64(), 0);
  EXPECT_EQ(Str(reasons[3].at("level")), "5A");
  EXPECT_EQ(anon_.Get("/api/v1/market/needs/" + need + "/matches").body, r.body);

  // Where the best project is wanted: the village's name and the need's title.
  auto w = anon_.Get("/api/v1/market/projects/" + best + "/wanted");
  ASSERT_EQ(w.status, 200) << w.body;
  ASSERT_EQ(w.json.at("wanted").as_array().size(), 1U);
  EXPECT_EQ(Str(w.json.at("wanted").at(0).at("village_name")), "叠滘村");
  EXPECT_EQ(Str(w.json.at("wanted").at(0).at("need_title")), "独居长者的日常探访");
  EXPECT_EQ(w.json.at("wanted").at(0).at("score").as_int64(), 90);
}

TEST_F(MarketApiTest, AnUnapprovedProjectsWantedListAnswersItsOwnersOnly) {
  const std::string pending = Listing(staff_a_, ProjectBody(), false);
  Need();
  EXPECT_EQ(anon_.Get("/api/v1/market/projects/" + pending + "/wanted").status, 404);
  EXPECT_EQ(staff_b_.Get("/api/v1/market/projects/" + pending + "/wanted").status, 404);
  auto own = staff_a_.Get("/api/v1/market/projects/" + pending + "/wanted");
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.json.at("wanted").as_array().size(), 1U);
  EXPECT_EQ(anon_.Get("/api/v1/market/needs/nope/matches").status, 404);
}

// ---- Needs surveys

TEST_F(MarketApiTest, AResidentAnswersTheirVillagesSurveyOnceAndStaffSeeOnlyCounts) {
  EXPECT_EQ(anon_.Post("/api/v1/market/surveys", json::object{}).status, 401);
  for (Client* c : {&vstaff_2_, &staff_a_, &resident_, &admin_}) {
    auto r = c->Post("/api/v1/market/surveys", json::object{{"village_id", village_1_},
                                                            {"title", "调查"},
                                                            {"options", json::array{"长者探访"}},
                                                            {"opens_at_ms", Now()},
                                                            {"closes_at_ms", Now() + kDay}});
    EXPECT_EQ(r.status, 403) << r.body;
  }
  auto dup = vstaff_1_.Post("/api/v1/market/surveys", json::object{{"village_id", village_1_},
                                                                    {"title", "调查"},
                                                                    {"options", json::array{"长者探访", "长者探访"}},
                                                                    {"opens_at_ms", Now()},
                                                                    {"closes_at_ms", Now() + kDay}});
  EXPECT_EQ(dup.error_field(), "options[1]");
  auto times = vstaff_1_.Post("/api/v1/market/surveys", json::object{{"village_id", village_1_},
                                                                      {"title", "调查"},
                                                                      {"options", json::array{"长者探访"}},
                                                                      {"opens_at_ms", Now()},
                                                                      {"closes_at_ms", Now()}});
  EXPECT_EQ(times.status, 422);
  EXPECT_EQ(times.error_field(), "closes_at_ms");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_survey_rounds"), 0);

  const std::string round = Round(village_1_, vstaff_1_);
  const std::string url = "/api/v1/market/surveys/" + round;
  // The resident of 叠滘村 sees it among their village's open rounds.
  auto open = resident_.Get("/api/v1/market/surveys");
  ASSERT_EQ(open.status, 200) << open.body;
  ASSERT_EQ(open.json.at("rounds").as_array().size(), 1U);
  EXPECT_FALSE(open.json.at("rounds").at(0).at("answered").as_bool());
  // Someone from elsewhere does not.
  Client outsider = UserWith(server_, "13800012007");
  EXPECT_EQ(Put(outsider, "/api/v1/me/village", {{"village_id", village_2_}}).status, 200);
  EXPECT_EQ(outsider.Get("/api/v1/market/surveys").json.at("rounds").as_array().size(), 0U);
  EXPECT_EQ(outsider.Get(url).status, 404);
  EXPECT_EQ(anon_.Get(url).status, 401);
  const json::object answer{{"picks", json::array{"长者探访"}}, {"other", "希望有助餐"}, {"age_band", "60to79"}};
  EXPECT_EQ(outsider.Post(url + "/answers", answer).status, 404);
  EXPECT_EQ(staff_a_.Post(url + "/answers", answer).status, 404);
  EXPECT_EQ(vstaff_2_.Get("/api/v1/market/surveys?village_id=" + std::to_string(village_1_)).status, 403);

  // Bad answers: nothing written.
  EXPECT_EQ(resident_.Post(url + "/answers", json::object{{"picks", json::array{"长者探访"}}, {"age_band", "old"}})
                .error_field(),
            "age_band");
  auto unknown = resident_.Post(url + "/answers", json::object{{"picks", json::array{"长者探访", "修路"}}, {"age_band", "60to79"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.error_field(), "picks[1]");
  auto empty = resident_.Post(url + "/answers", json::object{{"picks", json::array{}}, {"age_band", "60to79"}});
  EXPECT_EQ(empty.error_code(), "market.answer_empty");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_survey_answers"), 0);

  auto first = resident_.Post(url + "/answers", answer);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_TRUE(first.json.at("round").at("answered").as_bool());
  auto second = resident_.Post(url + "/answers", answer);
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(second.error_code(), "market.already_answered");
  Client neighbour = UserWith(server_, "13800012008");
  EXPECT_EQ(Put(neighbour, "/api/v1/me/village", {{"village_id", village_1_}}).status, 200);
  EXPECT_EQ(neighbour.Post(url + "/answers", json::object{{"picks", json::array{"长者探访", "家庭教育"}},
                                                          {"age_band", "18to59"}})
                .status,
            201);

  // Results: the village's staff, counts only — and none at all below five answers.
  for (Client* c : {&resident_, &vstaff_2_, &staff_a_, &admin_}) {
    EXPECT_EQ(c->Get(url + "/results").status, 404);
  }
  auto few = vstaff_1_.Get(url + "/results");
  ASSERT_EQ(few.status, 200) << few.body;
  EXPECT_TRUE(few.json.at("results").at("hidden").as_bool());
  EXPECT_EQ(few.json.at("results").at("answers").as_int64(), 2);
  EXPECT_EQ(few.json.at("results").at("by_option").as_array().size(), 0U);
  EXPECT_EQ(few.json.at("results").at("written_in").as_int64(), 0);
  for (const char* phone : {"13800012020", "13800012021", "13800012022"}) {
    Client more = UserWith(server_, phone);
    EXPECT_EQ(Put(more, "/api/v1/me/village", {{"village_id", village_1_}}).status, 200);
    EXPECT_EQ(more.Post(url + "/answers", json::object{{"picks", json::array{"家庭教育"}}, {"age_band", "unknown"}})
                  .status,
              201);
  }
  auto res = vstaff_1_.Get(url + "/results");
  ASSERT_EQ(res.status, 200) << res.body;
  const json::object& x = res.json.at("results").as_object();
  EXPECT_FALSE(x.at("hidden").as_bool());
  EXPECT_EQ(x.at("answers").as_int64(), 5);
  EXPECT_EQ(x.at("written_in").as_int64(), 1);
  EXPECT_EQ(x.at("by_option").at(0).at("count").as_int64(), 2);
  EXPECT_EQ(x.at("by_option").at(1).at("count").as_int64(), 0);
  EXPECT_EQ(x.at("by_option").at(2).at("count").as_int64(), 4);
  EXPECT_EQ(x.at("by_age_band").at(1).at("count").as_int64(), 1);
  EXPECT_EQ(x.at("by_age_band").at(2).at("count").as_int64(), 1);
  EXPECT_EQ(x.at("by_age_band").at(4).at("count").as_int64(), 3);
  EXPECT_EQ(res.body.find("希望有助餐"), std::string::npos);
  EXPECT_EQ(res.body.find("user"), std::string::npos);

  // After the close, no more answers.
  server_.clock().Advance(11 * kDay);
  Client late = UserWith(server_, "13800012009");
  EXPECT_EQ(Put(late, "/api/v1/me/village", {{"village_id", village_1_}}).status, 200);
  auto closed = late.Post(url + "/answers", answer);
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(closed.error_code(), "market.round_closed");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_survey_answers"), 5);
  auto rounds = vstaff_1_.Get("/api/v1/market/surveys?village_id=" + std::to_string(village_1_));
  ASSERT_EQ(rounds.status, 200);
  EXPECT_FALSE(rounds.json.at("rounds").at(0).at("open").as_bool());
}

}  // namespace
}  // namespace carecity::testing
