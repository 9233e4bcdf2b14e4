// 关爱基金 grant calls over HTTP: calls, applications (draft, amend,
// submit, withdraw, the deadline), eligibility and public support votes,
// the reviewer pool and its conflicts of interest, and review meetings whose
// panels the assigner fills. Permissions for every route.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>
#include <set>

#include "core/run_sync.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

int64_t UserIdOf(Client& c) {
  auto me = c.Get("/api/v1/me");
  EXPECT_EQ(me.status, 200) << me.body;
  return me.json.at("id").as_int64();
}

class GrantsApiTest : public ::testing::Test {
 protected:
  GrantsApiTest()
      : admin_(UserWith(server_, "13800005001", {RoleGrant{Role::kFundAdmin}})),
        org_a_(InsertOrg(server_, "南海区长者服务中心", "91440605MA00000A01")),
        org_b_(InsertOrg(server_, "桂城青少年社工站", "91440605MA00000B01")),
        staff_a_(UserWith(server_, "13800005002", {OrgStaff(org_a_)})),
        staff_b_(UserWith(server_, "13800005003", {OrgStaff(org_b_)})),
        resident_(UserWith(server_, "13800005004")),
        village_1_(InsertVillage(server_, "夏北社区", false)),
        village_2_(InsertVillage(server_, "平洲村", true)) {}

  int64_t Now() { return server_.clock().NowMs(); }

  json::object CallBody(json::object extra = {}) {
    json::object b{{"title", "2026年关爱基金社区服务项目"},
                   {"project_types", json::array{"长者服务", "青少年", "社区营造"}},
                   {"budget_fen", 350000000},
                   {"cap_fen", 20000000},
                   {"opens_at_ms", Now() - kDay},
                   {"closes_at_ms", Now() + 10 * kDay},
                   {"support_closes_at_ms", Now() + 15 * kDay},
                   {"funding_modes", json::array{"full", "joint", "cooperative"}},
                   {"min_cofunding_pct", 30},
                   {"panel", json::object{{"experts", 1}, {"citizens", 1}}},
                   {"rubric", json::array{json::object{{"criterion", "需求"}, {"weight", 40}},
                                          json::object{{"criterion", "可行性"}, {"weight", 30}},
                                          json::object{{"criterion", "成效"}, {"weight", 30}}}}};
    for (const auto& [k, v] : extra) {
      b[k] = v;
    }
    return b;
  }
  std::string NewCall(json::object extra = {}) {
    auto r = admin_.Post("/api/v1/grants/calls", CallBody(std::move(extra)));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("call").at("id")) : "";
  }
  json::object AppBody(const std::string& call, int64_t org, json::object extra = {}) {
    json::object b{{"call_id", call},
                   {"org_id", org},
                   {"title", "长者助餐与探访"},
                   {"project_type", "长者服务"},
                   {"villages", json::array{village_1_}},
                   {"beneficiaries", "独居及高龄长者"},
                   {"beneficiary_count", 120},
                   {"goals", "每周探访，助餐 3 次"},
                   {"budget_lines", json::array{json::object{{"item", "食材"}, {"amount_fen", 6000000}},
                                                json::object{{"item", "社工人力"}, {"amount_fen", 4000000}}}},
                   {"requested_fen", 10000000},
                   {"funding_mode", "full"}};
    for (const auto& [k, v] : extra) {
      b[k] = v;
    }
    return b;
  }
  std::string NewApp(Client& c, const std::string& call, int64_t org, json::object extra = {}) {
    auto r = c.Post("/api/v1/grants/applications", AppBody(call, org, std::move(extra)));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("application").at("id")) : "";
  }
  HttpResult Do(Client& c, const std::string& app, const std::string& action, json::object body = {}) {
    return c.Post("/api/v1/grants/applications/" + app + "/" + action, body);
  }
  json::object App(Client& c, const std::string& id) {
    auto r = c.Get("/api/v1/grants/applications/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json.at("application").as_object() : json::object{};
  }
  // An expert added by the fund admin; returns the reviewer id.
  std::string Expert(Client& who, std::vector<std::string> tags, int64_t cap = 8) {
    json::array t;
    for (const auto& s : tags) {
      t.push_back(json::value(s));
    }
    auto r = admin_.Post("/api/v1/grants/reviewers", json::object{{"user_id", UserIdOf(who)},
                                                                  {"kind", "expert"},
                                                                  {"project_types", t},
                                                                  {"load_cap", cap}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("reviewer").at("id")) : "";
  }
  // A citizen who applied and was approved.
  std::string Citizen(Client& who, int64_t village, std::vector<std::string> tags) {
    json::array t;
    for (const auto& s : tags) {
      t.push_back(json::value(s));
    }
    auto r = who.Post("/api/v1/grants/reviewers/apply",
                      json::object{{"statement", "在社区居住十年，参与过居民议事会"}, {"project_types", t},
                                   {"village_id", village}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = r.status == 201 ? Str(r.json.at("reviewer").at("id")) : "";
    auto ok = admin_.PostRaw("/api/v1/grants/reviewers/" + id + "/approve", "{}");
    EXPECT_EQ(ok.status, 200) << ok.body;
    return id;
  }
  // A call closed for submissions with these applications eligible.
  void CloseAndMakeEligible(const std::string& call, const std::vector<std::string>& apps) {
    auto c = admin_.Get("/api/v1/grants/calls/" + call);
    server_.clock().Set(c.json.at("call").at("closes_at_ms").as_int64());
    for (const auto& a : apps) {
      auto r = Do(admin_, a, "eligibility", {{"eligible", true}, {"note", "材料齐全"}});
      EXPECT_EQ(r.status, 200) << r.body;
    }
  }
  std::string Meeting(const std::string& call) {
    auto r = admin_.Post("/api/v1/grants/meetings", json::object{{"call_id", call},
                                                                 {"held_at_ms", Now() + 2 * kDay},
                                                                 {"venue", "桂城街道办三楼会议室"},
                                                                 {"scores_due_ms", Now() + 3 * kDay}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("meeting").at("id")) : "";
  }

  TestServer server_;
  Client admin_;
  int64_t org_a_;
  int64_t org_b_;
  Client staff_a_;
  Client staff_b_;
  Client resident_;
  int64_t village_1_;
  int64_t village_2_;
};

TEST_F(GrantsApiTest, AFundAdminOpensACallThatEveryoneCanRead) {
  auto created = admin_.Post("/api/v1/grants/calls", CallBody());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Str(created.json.at("call").at("id"));
  EXPECT_EQ(id.size(), 20u);

  auto got = Client(server_).Get("/api/v1/grants/calls/" + id);
  ASSERT_EQ(got.status, 200) << got.body;
  const auto& call = got.json.at("call");
  EXPECT_EQ(call.at("budget_fen"), 350000000);
  EXPECT_EQ(call.at("phase"), "open");
  EXPECT_EQ(call.at("panel").at("experts"), 1);
  EXPECT_EQ(call.at("rubric").as_array().size(), 3u);
  EXPECT_EQ(call.at("project_types").as_array().at(0), "长者服务");
  auto list = Client(server_).Get("/api/v1/grants/calls");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json.at("calls").as_array().size(), 1u);

  EXPECT_EQ(Client(server_).Post("/api/v1/grants/calls", CallBody()).status, 401);
  EXPECT_EQ(staff_a_.Post("/api/v1/grants/calls", CallBody()).status, 403);
  EXPECT_EQ(Client(server_).Get("/api/v1/grants/calls/AAAAAAAAAAAAAAAAAAAA").status, 404);
  EXPECT_EQ(Client(server_).Get("/api/v1/grants/calls/1").status, 404);
}

TEST_F(GrantsApiTest, ABadCallIsRefusedNamingTheFieldAndNothingIsStored) {
  struct Case {
    json::object extra;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"cap_fen", 400000000}}, "cap_fen"},
      {{{"closes_at_ms", Now() - 2 * kDay}}, "closes_at_ms"},
      {{{"funding_modes", json::array{"gift"}}}, "funding_modes"},
      {{{"project_types", json::array{}}}, "project_types"},
      {{{"project_types", json::array{"长者服务", "长者服务"}}}, "project_types"},
      {{{"panel", json::object{{"experts", 0}, {"citizens", 0}}}}, "panel.citizens"},
      {{{"panel", json::object{{"experts", 12}, {"citizens", 0}}}}, "panel.experts"},
      {{{"rubric", json::array{json::object{{"criterion", "需求"}, {"weight", 0}}}}}, "rubric[0].weight"},
      {{{"min_cofunding_pct", 101}}, "min_cofunding_pct"},
      {{{"surprise", 1}}, "surprise"},
  };
  for (const Case& c : cases) {
    auto r = admin_.Post("/api/v1/grants/calls", CallBody(c.extra));
    EXPECT_EQ(r.status, 400) << json::serialize(c.extra) << " " << r.body;
    EXPECT_EQ(r.error_field(), c.field) << r.body;
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_calls"), 0);
}

TEST_F(GrantsApiTest, AnOrganisationDraftsSubmitsAndAmendsUntilTheDeadline) {
  const std::string call = NewCall();
  auto created = staff_a_.Post("/api/v1/grants/applications", AppBody(call, org_a_));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Str(created.json.at("application").at("id"));
  EXPECT_EQ(created.json.at("application").at("status"), "draft");
  EXPECT_EQ(created.json.at("application").at("total_fen"), 10000000);

  // Only the applicant's staff see a draft.
  EXPECT_EQ(staff_b_.Get("/api/v1/grants/applications/" + id).status, 404);
  EXPECT_EQ(admin_.Get("/api/v1/grants/applications/" + id).status, 404);
  EXPECT_EQ(Client(server_).Get("/api/v1/grants/applications/" + id).status, 404);
  EXPECT_EQ(Do(staff_b_, id, "submit").status, 404);
  EXPECT_EQ(Put(staff_b_, "/api/v1/grants/applications/" + id, AppBody(call, org_a_)).status, 400);  // call_id: not a PUT field
  json::object amend = AppBody(call, org_a_);
  amend.erase("call_id");
  amend.erase("org_id");
  EXPECT_EQ(Put(staff_b_, "/api/v1/grants/applications/" + id, amend).status, 404);
  // Another organisation's staff cannot apply in its name.
  EXPECT_EQ(staff_b_.Post("/api/v1/grants/applications", AppBody(call, org_a_)).status, 403);
  EXPECT_EQ(resident_.Post("/api/v1/grants/applications", AppBody(call, org_a_)).status, 403);

  // Asking for more than the budget: refused at submission, still a draft.
  amend["requested_fen"] = 12000000;
  ASSERT_EQ(Put(staff_a_, "/api/v1/grants/applications/" + id, amend).status, 200);
  auto over = Do(staff_a_, id, "submit");
  EXPECT_EQ(over.status, 422) << over.body;
  EXPECT_EQ(over.error_code(), "grants.requested_over_budget");
  EXPECT_EQ(App(staff_a_, id).at("status"), "draft");

  amend["requested_fen"] = 9000000;
  ASSERT_EQ(Put(staff_a_, "/api/v1/grants/applications/" + id, amend).status, 200);
  auto submitted = Do(staff_a_, id, "submit");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.json.at("application").at("status"), "submitted");
  EXPECT_EQ(Do(staff_a_, id, "submit").error_code(), "grants.not_amendable");

  // Amending a submission before the close: a new version.
  amend["title"] = "长者助餐、探访与健康讲座";
  auto v3 = Put(staff_a_, "/api/v1/grants/applications/" + id, amend);
  ASSERT_EQ(v3.status, 200) << v3.body;
  EXPECT_EQ(v3.json.at("application").at("version"), 4);
  EXPECT_EQ(v3.json.at("application").at("status"), "submitted");

  // At the deadline: nothing changes any more.
  server_.clock().Set(admin_.Get("/api/v1/grants/calls/" + call).json.at("call").at("closes_at_ms").as_int64());
  amend["title"] = "迟到的修改";
  auto late = Put(staff_a_, "/api/v1/grants/applications/" + id, amend);
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "grants.deadline_passed");
  EXPECT_EQ(Do(staff_a_, id, "withdraw").error_code(), "grants.deadline_passed");
  const auto now = App(staff_a_, id);
  EXPECT_EQ(now.at("title"), "长者助餐、探访与健康讲座");
  EXPECT_EQ(now.at("status"), "submitted");
  // Nor can a new application start.
  EXPECT_EQ(staff_a_.Post("/api/v1/grants/applications", AppBody(call, org_a_)).error_code(), "grants.call_not_open");
}

TEST_F(GrantsApiTest, AnAdminExtendsAnOpenCallButNeverShortensOrReopensIt) {
  const std::string call = NewCall();
  const std::string app = NewApp(staff_a_, call, org_a_);
  const int64_t closes = Now() + 10 * kDay;
  const std::string extend = "/api/v1/grants/calls/" + call + "/extend";
  EXPECT_EQ(staff_a_.Post(extend, json::object{{"closes_at_ms", closes + kDay}}).status, 403);
  EXPECT_EQ(admin_.Post(extend, json::object{{"closes_at_ms", "tomorrow"}}).error_field(), "closes_at_ms");
  auto earlier = admin_.Post(extend, json::object{{"closes_at_ms", closes - kDay}});
  EXPECT_EQ(earlier.status, 422);
  EXPECT_EQ(earlier.error_code(), "grants.not_an_extension");
  // Public support starts at the close: the close cannot run into it.
  EXPECT_EQ(admin_.Post(extend, json::object{{"closes_at_ms", closes + 6 * kDay}}).error_code(),
            "grants.extension_too_late");
  auto later = admin_.Post(extend, json::object{{"closes_at_ms", closes + 2 * kDay}});
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(later.json.at("call").at("closes_at_ms").as_int64(), closes + 2 * kDay);
  // Past the old close the organisation can still amend...
  json::object amend = AppBody(call, org_a_, {{"title", "长者助餐（修订）"}});
  amend.erase("call_id");
  amend.erase("org_id");
  server_.clock().Set(closes + kDay);
  auto amended = Put(staff_a_, "/api/v1/grants/applications/" + app, amend);
  EXPECT_EQ(amended.status, 200) << amended.body;
  // ...and after the new one nobody can, and the call cannot be reopened.
  server_.clock().Set(closes + 2 * kDay);
  EXPECT_EQ(Put(staff_a_, "/api/v1/grants/applications/" + app, amend).error_code(), "grants.deadline_passed");
  EXPECT_EQ(admin_.Post(extend, json::object{{"closes_at_ms", closes + 3 * kDay}}).error_code(),
            "grants.call_not_open");
  EXPECT_EQ(App(staff_a_, app).at("title"), "长者助餐（修订）");
}

TEST_F(GrantsApiTest, SubmissionChecksTheCallsRules) {
  const std::string call = NewCall({{"funding_modes", json::array{"full", "joint"}}});
  struct Case {
    json::object extra;
    std::string code;
  };
  const std::vector<Case> cases = {
      {{{"requested_fen", 30000000},
        {"budget_lines", json::array{json::object{{"item", "全部"}, {"amount_fen", 40000000}}}}},
       "grants.over_cap"},
      {{{"project_type", "残障支持"}}, "grants.type_not_in_call"},
      {{{"funding_mode", "cooperative"}, {"partner_name", "某企业"}}, "grants.mode_not_allowed"},
      // 合资: co-funders must bring 30 % of the total (¥30,000 of ¥100,000).
      {{{"funding_mode", "joint"},
        {"requested_fen", 7000000},
        {"co_funders", json::array{json::object{{"name", "夏北股份合作社"}, {"share_fen", 2000000}}}}},
       "grants.cofunding_too_low"},
  };
  for (const Case& c : cases) {
    const std::string id = NewApp(staff_a_, call, org_a_, c.extra);
    auto r = Do(staff_a_, id, "submit");
    EXPECT_EQ(r.status, 422) << json::serialize(c.extra) << r.body;
    EXPECT_EQ(r.error_code(), c.code) << r.body;
  }
  const std::string joint =
      NewApp(staff_a_, call, org_a_,
             {{"funding_mode", "joint"},
              {"requested_fen", 7000000},
              {"co_funders", json::array{json::object{{"name", "夏北股份合作社"}, {"share_fen", 3000000}}}}});
  auto ok = Do(staff_a_, joint, "submit");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("application").at("co_funders").as_array().size(), 1u);

  // Malformed drafts are refused before anything is stored.
  const int64_t before = Count(server_, "SELECT COUNT(*) FROM grants_applications");
  auto bad_line = staff_a_.Post(
      "/api/v1/grants/applications",
      AppBody(call, org_a_, {{"budget_lines", json::array{json::object{{"item", "食材"}, {"amount_fen", -5}}}}}));
  EXPECT_EQ(bad_line.status, 400);
  EXPECT_EQ(bad_line.error_field(), "budget_lines[0].amount_fen");
  auto bad_village = staff_a_.Post("/api/v1/grants/applications", AppBody(call, org_a_, {{"villages", json::array{999}}}));
  EXPECT_EQ(bad_village.status, 404);
  EXPECT_EQ(bad_village.error_code(), "village_not_found");
  auto co_on_full = staff_a_.Post(
      "/api/v1/grants/applications",
      AppBody(call, org_a_, {{"co_funders", json::array{json::object{{"name", "X"}, {"share_fen", 1}}}}}));
  EXPECT_EQ(co_on_full.status, 400);
  EXPECT_EQ(co_on_full.error_field(), "co_funders");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_applications"), before);
}

TEST_F(GrantsApiTest, ARetriedCreateWithItsKeyMakesOneDraft) {
  const std::string call = NewCall();
  const std::map<std::string, std::string> key{{"Idempotency-Key", "grant-draft-0001"}};
  auto a = staff_a_.Post("/api/v1/grants/applications", AppBody(call, org_a_), key);
  auto b = staff_a_.Post("/api/v1/grants/applications", AppBody(call, org_a_), key);
  ASSERT_EQ(a.status, 201) << a.body;
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(a.json.at("application").at("id"), b.json.at("application").at("id"));
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_applications"), 1);
  auto other = staff_a_.Post("/api/v1/grants/applications", AppBody(call, org_a_, {{"title", "另一个项目"}}), key);
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.error_code(), "idempotency_key_reused");
}

TEST_F(GrantsApiTest, EligibilityAfterTheCloseThenOneSupportVotePerResident) {
  const std::string call = NewCall();
  const std::string id = NewApp(staff_a_, call, org_a_);
  ASSERT_EQ(Do(staff_a_, id, "submit").status, 200);
  auto early = Do(admin_, id, "eligibility", {{"eligible", true}});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "grants.call_still_open");
  EXPECT_EQ(Do(staff_a_, id, "eligibility", {{"eligible", true}}).status, 403);

  CloseAndMakeEligible(call, {id});
  const auto seen = App(staff_a_, id);
  EXPECT_EQ(seen.at("status"), "eligible");
  EXPECT_EQ(seen.at("eligibility_note"), "材料齐全");
  // Now public (for support votes), without the admin's notes.
  auto pub = Client(server_).Get("/api/v1/grants/applications/" + id);
  ASSERT_EQ(pub.status, 200);
  EXPECT_FALSE(pub.json.at("application").as_object().contains("eligibility_note"));
  auto listed = Client(server_).Get("/api/v1/grants/calls/" + call + "/applications");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json.at("applications").as_array().size(), 1u);
  EXPECT_EQ(Client(server_).Get("/api/v1/grants/calls/" + call + "/applications?status=submitted").status, 403);

  EXPECT_EQ(Client(server_).PostRaw("/api/v1/grants/applications/" + id + "/support", "{}").status, 401);
  auto first = resident_.PostRaw("/api/v1/grants/applications/" + id + "/support", "{}");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json.at("support_count"), 1);
  EXPECT_EQ(first.json.at("counted"), true);
  auto again = resident_.PostRaw("/api/v1/grants/applications/" + id + "/support", "{}");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.json.at("already_voted"), true);
  EXPECT_EQ(again.json.at("support_count"), 1);
  auto own = staff_a_.PostRaw("/api/v1/grants/applications/" + id + "/support", "{}");
  EXPECT_EQ(own.status, 403);
  EXPECT_EQ(own.error_code(), "grants.own_application");
  EXPECT_EQ(App(resident_, id).at("viewer").at("voted"), true);

  server_.clock().Advance(6 * kDay);  // past support_closes_at_ms
  auto late = staff_b_.PostRaw("/api/v1/grants/applications/" + id + "/support", "{}");
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "grants.support_closed");
  EXPECT_EQ(Count(server_, "SELECT support_count FROM grants_applications"), 1);
}

TEST_F(GrantsApiTest, TheReviewerPoolTakesExpertsAndApprovedCitizens) {
  Client expert = UserWith(server_, "13800005101");
  auto added = admin_.Post("/api/v1/grants/reviewers",
                           json::object{{"user_id", UserIdOf(expert)}, {"kind", "expert"},
                                        {"project_types", json::array{"长者服务"}}, {"load_cap", 6}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json.at("reviewer").at("kind"), "expert");
  EXPECT_EQ(added.json.at("reviewer").at("status"), "approved");
  EXPECT_EQ(staff_a_.Post("/api/v1/grants/reviewers",
                          json::object{{"user_id", UserIdOf(resident_)}, {"kind", "expert"},
                                       {"project_types", json::array{"长者服务"}}})
                .status,
            403);
  auto twice = admin_.Post("/api/v1/grants/reviewers",
                           json::object{{"user_id", UserIdOf(expert)}, {"project_types", json::array{"青少年"}}});
  EXPECT_EQ(twice.error_code(), "grants.already_reviewer");

  // A resident with no village given or registered must name one.
  auto no_village = resident_.Post("/api/v1/grants/reviewers/apply",
                                   json::object{{"statement", "愿意参与"}, {"project_types", json::array{"青少年"}}});
  EXPECT_EQ(no_village.status, 422);
  EXPECT_EQ(no_village.error_code(), "grants.village_required");
  auto applied = resident_.Post("/api/v1/grants/reviewers/apply",
                                json::object{{"statement", "愿意参与"}, {"project_types", json::array{"青少年"}},
                                             {"village_id", village_2_}});
  ASSERT_EQ(applied.status, 201) << applied.body;
  const std::string rid = Str(applied.json.at("reviewer").at("id"));
  EXPECT_EQ(applied.json.at("reviewer").at("kind"), "citizen");
  EXPECT_EQ(applied.json.at("reviewer").at("status"), "applied");
  EXPECT_EQ(resident_.PostRaw("/api/v1/grants/reviewers/" + rid + "/approve", "{}").status, 403);
  auto pending = admin_.Get("/api/v1/grants/reviewers?status=applied");
  ASSERT_EQ(pending.status, 200);
  EXPECT_EQ(pending.json.at("reviewers").as_array().size(), 1u);
  EXPECT_EQ(resident_.Get("/api/v1/grants/reviewers").status, 403);
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/reviewers/" + rid + "/approve", "{}").status, 200);
  EXPECT_EQ(admin_.PostRaw("/api/v1/grants/reviewers/" + rid + "/approve", "{}").error_code(), "grants.not_applied");
  auto mine = resident_.Get("/api/v1/grants/me/reviewer");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.json.at("reviewer").at("status"), "approved");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM user_roles WHERE role = 'reviewer'"), 2);
  EXPECT_EQ(staff_a_.Get("/api/v1/grants/me/reviewer").status, 404);
  // Someone else's record cannot take a conflict.
  EXPECT_EQ(staff_a_.Post("/api/v1/grants/reviewers/" + rid + "/conflicts", json::object{{"org_id", org_a_}}).status,
            404);
}

// Three applications, a panel of one expert and one citizen each.
class GrantsPanelTest : public GrantsApiTest {
 protected:
  void SetUp() override {
    call_ = NewCall();
    elder_ = NewApp(staff_a_, call_, org_a_, {{"villages", json::array{village_1_}}});
    youth_ = NewApp(staff_b_, call_, org_b_,
                    {{"title", "青少年四点半课堂"}, {"project_type", "青少年"}, {"villages", json::array{village_2_}}});
    place_ = NewApp(staff_b_, call_, org_b_,
                    {{"title", "社区花园共建"}, {"project_type", "社区营造"}, {"villages", json::array{village_2_}}});
    for (const auto& a : {elder_, youth_, place_}) {
      ASSERT_EQ(Do(a == elder_ ? staff_a_ : staff_b_, a, "submit").status, 200);
    }
    // Experts: one per type, and one on org A's staff (automatically conflicted with elder_).
    e_elder_ = Expert(expert_elder_, {"长者服务"});
    e_youth_ = Expert(expert_youth_, {"青少年", "社区营造"});
    e_staff_ = Expert(staff_a_, {"长者服务"});
    // Citizens: one living in village 1 (conflicted with elder_), one in village 2
    // (conflicted with youth_ and place_), one in a third village.
    c_v1_ = Citizen(citizen_v1_, village_1_, {"长者服务"});
    c_v2_ = Citizen(citizen_v2_, village_2_, {"青少年"});
    const int64_t village_3 = InsertVillage(server_, "东二社区", false);
    c_v3_ = Citizen(citizen_v3_, village_3, {"长者服务", "青少年", "社区营造"});
    CloseAndMakeEligible(call_, {elder_, youth_, place_});
    meeting_ = Meeting(call_);
  }
  // application id -> reviewer ids with live seats.
  std::map<std::string, std::set<std::string>> Panels(const json::value& assignments) {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& s : assignments.as_array()) {
      const std::string status = Str(s.at("status"));
      if (status == "proposed" || status == "accepted") {
        out[Str(s.at("application_id"))].insert(Str(s.at("reviewer_id")));
      }
    }
    return out;
  }
  json::object MeetingNow() {
    auto r = admin_.Get("/api/v1/grants/meetings/" + meeting_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.as_object();
  }

  Client expert_elder_ = UserWith(server_, "13800005201");
  Client expert_youth_ = UserWith(server_, "13800005202");
  Client citizen_v1_ = UserWith(server_, "13800005301");
  Client citizen_v2_ = UserWith(server_, "13800005302");
  Client citizen_v3_ = UserWith(server_, "13800005303");
  std::string call_, elder_, youth_, place_, meeting_;
  std::string e_elder_, e_youth_, e_staff_, c_v1_, c_v2_, c_v3_;
};

TEST_F(GrantsPanelTest, EveryPanelIsFilledWithoutAConflictAndPrefersMatchingTags) {
  EXPECT_EQ(staff_a_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 403);
  auto dry = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign?dry_run=1", "{}");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments"), 0);  // a dry run writes nothing

  auto r = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("cost"), dry.json.at("cost"));
  const auto panels = Panels(r.json.at("assignments"));
  // Expert seats: the tagged expert for each type; the org-A staff expert never on elder_.
  EXPECT_TRUE(panels.at(elder_).contains(e_elder_));
  EXPECT_FALSE(panels.at(elder_).contains(e_staff_));
  EXPECT_TRUE(panels.at(youth_).contains(e_youth_));
  EXPECT_TRUE(panels.at(place_).contains(e_youth_));
  // Citizen seats: never someone living in a served village.
  EXPECT_FALSE(panels.at(elder_).contains(c_v1_));
  EXPECT_FALSE(panels.at(youth_).contains(c_v2_));
  EXPECT_FALSE(panels.at(place_).contains(c_v2_));
  EXPECT_TRUE(panels.at(youth_).contains(c_v3_));
  EXPECT_TRUE(panels.at(place_).contains(c_v3_));
  for (const auto& [app, seats] : panels) {
    EXPECT_EQ(seats.size(), 2u) << app;
  }
  EXPECT_TRUE(r.json.at("shortfalls").as_array().empty()) << r.body;
  for (const auto& s : r.json.at("assignments").as_array()) {
    EXPECT_TRUE(s.at("reason").as_object().contains("tag_match"));
  }
  EXPECT_EQ(App(staff_a_, elder_).at("status"), "under_review");
  EXPECT_EQ(MeetingNow().at("meeting").at("status"), "assigned");

  // Running it again gives the same panels (deterministic), replacing the proposed seats.
  auto again = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Panels(again.json.at("assignments")), panels);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE status IN ('proposed', 'accepted')"), 6);
}

TEST_F(GrantsPanelTest, AShortPoolNamesTheApplicationsAndWhy) {
  // Only the village-2 citizen may sit on elder_: mark the others unavailable.
  ASSERT_EQ(admin_.Post("/api/v1/grants/meetings/" + meeting_ + "/availability",
                        json::object{{"available", false}, {"reviewer_id", c_v3_}})
                .status,
            200);
  auto r = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  // youth_ and place_ are served by village 2; c_v1_ is their only citizen (cap 5: fine),
  // elder_ gets c_v2_. Nobody is short yet.
  EXPECT_TRUE(r.json.at("shortfalls").as_array().empty()) << r.body;
  // c_v1_ declares a conflict with org B: now youth_ and place_ have no citizen.
  auto declared = citizen_v1_.Post("/api/v1/grants/reviewers/" + c_v1_ + "/conflicts",
                                   json::object{{"org_id", org_b_}, {"note", "亲属在该机构任职"}});
  ASSERT_EQ(declared.status, 201) << declared.body;
  auto short_run = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}");
  ASSERT_EQ(short_run.status, 200) << short_run.body;
  std::set<std::string> short_apps;
  for (const auto& s : short_run.json.at("shortfalls").as_array()) {
    EXPECT_EQ(s.at("kind"), "citizen");
    EXPECT_EQ(s.at("reason"), "no_eligible_reviewers");
    EXPECT_EQ(s.at("conflicted"), 2);   // c_v2_ lives there, c_v1_ declared
    EXPECT_EQ(s.at("unavailable"), 1);  // c_v3_
    short_apps.insert(Str(s.at("application_id")));
  }
  EXPECT_EQ(short_apps, (std::set<std::string>{youth_, place_}));
  // The meeting page lists the same empty seats after a reload.
  const json::object after = MeetingNow();
  std::set<std::string> open_apps;
  for (const auto& o : after.at("open_seats").as_array()) {
    EXPECT_EQ(o.at("kind"), "citizen");
    EXPECT_EQ(o.at("missing"), 1);
    EXPECT_FALSE(Str(o.at("application_title")).empty());
    open_apps.insert(Str(o.at("application_id")));
  }
  EXPECT_EQ(open_apps, short_apps);
}

TEST_F(GrantsPanelTest, AConflictDeclaredAfterAssignmentOpensTheSeatAndHidesTheApplication) {
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 200);
  // The seated expert reads the application in full.
  const auto seen = App(expert_youth_, youth_);
  EXPECT_EQ(seen.at("viewer").at("reviewer"), true);
  // They declare a conflict with org B: the seats go, the review data with them.
  auto declared = expert_youth_.Post("/api/v1/grants/reviewers/" + e_youth_ + "/conflicts",
                                     json::object{{"org_id", org_b_}, {"note", "曾为该机构提供督导"}});
  ASSERT_EQ(declared.status, 201) << declared.body;
  EXPECT_EQ(App(expert_youth_, youth_).at("viewer").at("reviewer"), false);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE status = 'removed'"), 2);
  // Reassigning never puts them back.
  auto r = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto panels = Panels(r.json.at("assignments"));
  EXPECT_FALSE(panels.contains(youth_) && panels.at(youth_).contains(e_youth_));
  EXPECT_FALSE(panels.contains(place_) && panels.at(place_).contains(e_youth_));
}

TEST_F(GrantsPanelTest, ADeclinedSeatIsFilledAgainByAnotherReviewer) {
  auto r = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  // A second expert on elderly care joins the pool after the assignment.
  Client second = UserWith(server_, "13800005203");
  const std::string e_second = Expert(second, {"长者服务"});
  auto mine = expert_elder_.Get("/api/v1/grants/me/reviewer");
  ASSERT_EQ(mine.status, 200);
  std::string seat;
  for (const auto& s : mine.json.at("seats").as_array()) {
    if (Str(s.at("application_id")) == elder_) {
      seat = Str(s.at("id"));
    }
  }
  ASSERT_FALSE(seat.empty()) << mine.body;
  EXPECT_EQ(expert_youth_.PostRaw("/api/v1/grants/seats/" + seat + "/decline", "{}").status, 404);
  auto declined = expert_elder_.PostRaw("/api/v1/grants/seats/" + seat + "/decline", "{}");
  ASSERT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(declined.json.at("seat").at("status"), "declined");
  EXPECT_EQ(expert_elder_.PostRaw("/api/v1/grants/seats/" + seat + "/accept", "{}").error_code(),
            "grants.seat_not_open");
  // The seat went to the other tagged expert at once; the decliner is never placed there again.
  auto panels = Panels(MeetingNow().at("assignments"));
  EXPECT_TRUE(panels.at(elder_).contains(e_second));
  EXPECT_FALSE(panels.at(elder_).contains(e_elder_));
  EXPECT_EQ(panels.at(elder_).size(), 2u);
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 200);
  panels = Panels(MeetingNow().at("assignments"));
  EXPECT_FALSE(panels.at(elder_).contains(e_elder_));
  // An accepted seat stays through a re-run.
  auto seats = second.Get("/api/v1/grants/me/reviewer");
  ASSERT_EQ(seats.status, 200);
  const std::string held = Str(seats.json.at("seats").as_array().at(0).at("id"));
  ASSERT_EQ(second.PostRaw("/api/v1/grants/seats/" + held + "/accept", "{}").status, 200);
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 200);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE status = 'accepted'"), 1);
  EXPECT_TRUE(Panels(MeetingNow().at("assignments")).at(elder_).contains(e_second));
}

// A manual swap re-checks every rule in the statement that writes the seat:
// a conflicted reviewer is refused even when an admin names them.
TEST_F(GrantsPanelTest, AnAdminSwapsASeatButNeverToAConflictedReviewer) {
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 200);
  std::string seat, holder;
  const json::object before = MeetingNow();
  for (const auto& s : before.at("assignments").as_array()) {
    if (Str(s.at("application_id")) == youth_ && s.at("kind") == "citizen" && s.at("status") == "proposed") {
      seat = Str(s.at("id"));
      holder = Str(s.at("reviewer_id"));
    }
  }
  ASSERT_FALSE(seat.empty());
  ASSERT_NE(holder, c_v2_);  // lives in the served village
  Client& holder_client = holder == c_v3_ ? citizen_v3_ : citizen_v1_;
  const std::string other = holder == c_v3_ ? c_v1_ : c_v3_;
  // The holder scores before the swap.
  const std::string sheet = "/api/v1/grants/reviews/" + youth_;
  ASSERT_EQ(Put(holder_client, sheet, json::object{{"scores", json::object{{"需求", 3}, {"可行性", 3}, {"成效", 3}}}})
                .status,
            200);
  const std::string swap = "/api/v1/grants/seats/" + seat + "/swap";
  EXPECT_EQ(staff_a_.Post(swap, json::object{{"reviewer_id", other}}).status, 403);
  EXPECT_EQ(admin_.Post(swap, json::object{}).status, 400);
  EXPECT_EQ(admin_.Post("/api/v1/grants/seats/AAAAAAAAAAAAAAAAAAAA/swap", json::object{{"reviewer_id", other}}).status,
            404);
  // The village-2 citizen lives where youth_ works: refused, and nothing changed.
  auto conflicted = admin_.Post(swap, json::object{{"reviewer_id", c_v2_}});
  EXPECT_EQ(conflicted.status, 409) << conflicted.body;
  EXPECT_EQ(conflicted.error_code(), "grants.conflict_of_interest");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE status = 'removed'"), 0);
  EXPECT_EQ(admin_.Post(swap, json::object{{"reviewer_id", e_elder_}}).error_code(), "grants.reviewer_kind_mismatch");
  EXPECT_EQ(admin_.Post(swap, json::object{{"reviewer_id", holder}}).error_code(), "grants.same_reviewer");

  auto swapped = admin_.Post(swap, json::object{{"reviewer_id", other}});
  ASSERT_EQ(swapped.status, 200) << swapped.body;
  EXPECT_EQ(Str(swapped.json.at("seat").at("reviewer_id")), other);
  EXPECT_EQ(swapped.json.at("seat").at("seat_no"), 1);
  EXPECT_EQ(swapped.json.at("replaced").at("status"), "removed");
  const auto panels = Panels(MeetingNow().at("assignments"));
  EXPECT_TRUE(panels.at(youth_).contains(other));
  EXPECT_FALSE(panels.at(youth_).contains(holder));
  // The swapped-out reviewer's scores no longer count, and their sheet is gone.
  auto scores = admin_.Get("/api/v1/grants/applications/" + youth_ + "/scores");
  ASSERT_EQ(scores.status, 200) << scores.body;
  EXPECT_EQ(scores.json.at("scores").at("valid"), 0);
  EXPECT_TRUE(scores.json.at("reviews").as_array().empty()) << scores.body;
  EXPECT_EQ(holder_client.Get(sheet).status, 404);
  EXPECT_EQ(admin_.Post(swap, json::object{{"reviewer_id", other}}).error_code(), "grants.seat_not_open");
  // Swapping back to someone marked unavailable is refused by name.
  ASSERT_EQ(admin_.Post("/api/v1/grants/meetings/" + meeting_ + "/availability",
                        json::object{{"available", false}, {"reviewer_id", holder}})
                .status,
            200);
  const std::string back = "/api/v1/grants/seats/" + Str(swapped.json.at("seat").at("id")) + "/swap";
  EXPECT_EQ(admin_.Post(back, json::object{{"reviewer_id", holder}}).error_code(), "grants.reviewer_unavailable");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE status IN ('proposed', 'accepted')"), 6);
}

TEST_F(GrantsPanelTest, RoutesOfMeetingsAndSeatsAnswerTheirOwnersOnly) {
  EXPECT_EQ(staff_a_.Get("/api/v1/grants/meetings/" + meeting_).status, 403);
  EXPECT_EQ(Client(server_).Get("/api/v1/grants/meetings/" + meeting_).status, 401);
  EXPECT_EQ(staff_a_.Post("/api/v1/grants/meetings", json::object{{"call_id", call_},
                                                                  {"held_at_ms", Now()},
                                                                  {"scores_due_ms", Now() + kDay}})
                .status,
            403);
  EXPECT_EQ(admin_.PostRaw("/api/v1/grants/meetings/AAAAAAAAAAAAAAAAAAAA/assign", "{}").status, 404);
  EXPECT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign?dry_run=maybe", "{}").status, 400);
  // A reviewer marks only themself unavailable; naming another is for admins.
  EXPECT_EQ(citizen_v3_.Post("/api/v1/grants/meetings/" + meeting_ + "/availability",
                             json::object{{"available", false}, {"reviewer_id", c_v1_}})
                .status,
            404);
  EXPECT_EQ(citizen_v3_.Post("/api/v1/grants/meetings/" + meeting_ + "/availability",
                             json::object{{"available", false}})
                .status,
            200);
  EXPECT_EQ(resident_.Post("/api/v1/grants/meetings/" + meeting_ + "/availability",
                           json::object{{"available", false}})
                .status,
            404);
}

// The seat's reviewer scores on the phone sheet; the admin reads the aggregate.
TEST_F(GrantsPanelTest, SeatedReviewersScoreAndTheAdminSeesExpertAndCitizenSideBySide) {
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 200);
  const std::string sheet = "/api/v1/grants/reviews/" + youth_;
  auto blank = expert_youth_.Get(sheet);
  ASSERT_EQ(blank.status, 200) << blank.body;
  EXPECT_EQ(blank.json.at("review").at("status"), "none");
  EXPECT_EQ(blank.json.at("rubric").as_array().size(), 3u);
  EXPECT_EQ(blank.json.at("application").at("title"), "青少年四点半课堂");
  // Not seated, or conflicted (lives in the served village): nothing to see or write.
  EXPECT_EQ(expert_elder_.Get(sheet).status, 404);
  EXPECT_EQ(citizen_v2_.Get(sheet).status, 404);
  EXPECT_EQ(Put(citizen_v2_, sheet, json::object{{"scores", json::object{{"需求", 9}, {"可行性", 9}, {"成效", 9}}}})
                .status,
            404);

  // A submission needs every criterion, each 0..10; nothing is stored otherwise.
  auto partial = Put(expert_youth_, sheet, json::object{{"scores", json::object{{"需求", 8}}}});
  EXPECT_EQ(partial.status, 400) << partial.body;
  EXPECT_EQ(partial.error_code(), "missing_score");
  EXPECT_EQ(partial.error_field(), "scores.可行性");
  auto high = Put(expert_youth_, sheet, json::object{{"scores", json::object{{"需求", 11}, {"可行性", 6}, {"成效", 7}}}});
  EXPECT_EQ(high.status, 400);
  EXPECT_EQ(high.error_field(), "scores.需求");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_reviews"), 0);
  // A draft may hold some criteria.
  auto draft = Put(expert_youth_, sheet, json::object{{"scores", json::object{{"需求", 8}}}, {"status", "draft"}});
  ASSERT_EQ(draft.status, 200) << draft.body;
  EXPECT_EQ(draft.json.at("review").at("status"), "draft");

  auto expert = Put(expert_youth_, sheet,
                    json::object{{"scores", json::object{{"需求", 8}, {"可行性", 6}, {"成效", 7}}},
                                 {"comment", "需求清晰，指标可量化"}});
  ASSERT_EQ(expert.status, 200) << expert.body;
  EXPECT_EQ(expert.json.at("review").at("status"), "submitted");
  EXPECT_EQ(expert.json.at("review").at("score").as_double(), 7.1);  // (8·40 + 6·30 + 7·30) / 100
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE status = 'accepted'"), 1);  // scoring accepts
  auto citizen = Put(citizen_v3_, sheet, json::object{{"scores", json::object{{"需求", 10}, {"可行性", 8}, {"成效", 9}}}});
  ASSERT_EQ(citizen.status, 200) << citizen.body;

  EXPECT_EQ(staff_b_.Get("/api/v1/grants/applications/" + youth_ + "/scores").status, 403);
  auto scores = admin_.Get("/api/v1/grants/applications/" + youth_ + "/scores");
  ASSERT_EQ(scores.status, 200) << scores.body;
  const auto& agg = scores.json.at("scores");
  EXPECT_EQ(agg.at("expert").as_double(), 7.1);
  EXPECT_EQ(agg.at("citizen").as_double(), 9.1);  // (400 + 240 + 270) / 100
  // Overall: experts weigh their seat share (1 of 2): 8.1.
  EXPECT_EQ(agg.at("overall").as_double(), 8.1);
  EXPECT_EQ(agg.at("valid"), 2);
  EXPECT_EQ(scores.json.at("reviews").as_array().size(), 2u);

  // The admin recuses the citizen: only the expert counts, and the citizen can no longer write.
  auto recused = admin_.Post("/api/v1/grants/applications/" + youth_ + "/recuse", json::object{{"reviewer_id", c_v3_}});
  ASSERT_EQ(recused.status, 200) << recused.body;
  auto again = admin_.Get("/api/v1/grants/applications/" + youth_ + "/scores");
  EXPECT_EQ(again.json.at("scores").at("recused"), 1);
  EXPECT_EQ(again.json.at("scores").at("overall").as_double(), 7.1);
  EXPECT_EQ(again.json.at("scores").at("insufficient_reviews"), true);
  EXPECT_EQ(Put(citizen_v3_, sheet, json::object{{"status", "abstained"}}).error_code(), "grants.review_recused");

  // The ranking proposes amounts within the budget.
  auto ranking = admin_.Get("/api/v1/grants/meetings/" + meeting_ + "/ranking");
  ASSERT_EQ(ranking.status, 200) << ranking.body;
  EXPECT_EQ(ranking.json.at("ranking").as_array().size(), 3u);
  EXPECT_EQ(Str(ranking.json.at("ranking").as_array().at(0).at("application_id")), youth_);
  EXPECT_EQ(staff_a_.Get("/api/v1/grants/meetings/" + meeting_ + "/ranking").status, 403);

  // After the meeting's scores are due, nothing more is written.
  server_.clock().Advance(4 * kDay);
  auto late = Put(expert_youth_, sheet, json::object{{"scores", json::object{{"需求", 2}, {"可行性", 2}, {"成效", 2}}}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "grants.scores_closed");
  EXPECT_EQ(Count(server_, "SELECT SUM(score) FROM grants_review_scores"), 8 + 6 + 7);
}

TEST_F(GrantsPanelTest, AnAdminWithAConflictCannotReadTheScores) {
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 200);
  // The admin also sits in the pool, and declares a conflict with org A.
  const std::string own = Expert(admin_, {"青少年"});
  ASSERT_EQ(admin_.Post("/api/v1/grants/reviewers/" + own + "/conflicts", json::object{{"org_id", org_a_}}).status, 201);
  EXPECT_EQ(admin_.Get("/api/v1/grants/applications/" + elder_ + "/scores").status, 404);
  EXPECT_EQ(admin_.Get("/api/v1/grants/applications/" + youth_ + "/scores").status, 200);
}

TEST_F(GrantsPanelTest, TheAdminDecidesWithinTheBudgetThenPublishesTheResultsForObjections) {
  ASSERT_EQ(admin_.PostRaw("/api/v1/grants/meetings/" + meeting_ + "/assign", "{}").status, 200);
  const auto decide = [&](Client& c, const std::string& app, json::object body) {
    return c.Post("/api/v1/grants/applications/" + app + "/decision", body);
  };
  EXPECT_EQ(decide(staff_b_, youth_, {{"decision", "approved"}, {"awarded_fen", 5000000}, {"reason", "x"}}).status,
            403);
  auto over = decide(admin_, youth_, {{"decision", "approved"}, {"awarded_fen", 10000001}, {"reason", "超过申请额"}});
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(over.error_code(), "grants.award_out_of_range");
  auto ok = decide(admin_, youth_, {{"decision", "approved"}, {"awarded_fen", 9000000}, {"reason", "综合排名第一"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("application").at("status"), "decided");
  EXPECT_EQ(ok.json.at("application").at("awarded_fen"), 9000000);
  EXPECT_EQ(Count(server_, "SELECT awarded_fen FROM grants_calls"), 9000000);
  // A changed decision moves the call's total by the difference.
  ASSERT_EQ(decide(admin_, youth_, {{"decision", "rejected"}, {"reason", "复核后不予资助"}}).status, 200);
  EXPECT_EQ(Count(server_, "SELECT awarded_fen FROM grants_calls"), 0);
  ASSERT_EQ(decide(admin_, youth_, {{"decision", "approved"}, {"awarded_fen", 10000000}, {"reason", "全额资助"}}).status,
            200);
  EXPECT_EQ(decide(admin_, youth_, {{"decision", "rejected"}, {"awarded_fen", 5}, {"reason", "x"}}).status, 400);

  // Results are published only once everything under review is decided.
  auto early = admin_.Post("/api/v1/grants/calls/" + call_ + "/notice", json::object{});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "grants.undecided_applications");
  ASSERT_EQ(decide(admin_, elder_, {{"decision", "approved"}, {"awarded_fen", 8000000}, {"reason", "需求迫切"}}).status,
            200);
  ASSERT_EQ(decide(admin_, place_, {{"decision", "rejected"}, {"reason", "预算依据不足"}}).status, 200);
  EXPECT_EQ(staff_a_.Post("/api/v1/grants/calls/" + call_ + "/notice", json::object{}).status, 403);
  EXPECT_EQ(Client(server_).Get("/api/v1/grants/calls/" + call_ + "/notice").error_code(), "grants.notice_not_found");
  auto notice = admin_.Post("/api/v1/grants/calls/" + call_ + "/notice", json::object{{"note", "公示期 7 天"}});
  ASSERT_EQ(notice.status, 201) << notice.body;
  const std::string notice_id = Str(notice.json.at("notice").at("id"));
  EXPECT_EQ(admin_.Post("/api/v1/grants/calls/" + call_ + "/notice", json::object{}).error_code(),
            "grants.notice_published");
  EXPECT_EQ(decide(admin_, place_, {{"decision", "approved"}, {"awarded_fen", 100}, {"reason", "x"}}).error_code(),
            "grants.notice_published");

  auto pub = Client(server_).Get("/api/v1/grants/calls/" + call_ + "/notice");
  ASSERT_EQ(pub.status, 200) << pub.body;
  EXPECT_EQ(pub.json.at("results").as_array().size(), 3u);
  EXPECT_EQ(pub.json.at("awarded_fen"), 18000000);

  // A resident objects within the window; the admin answers once.
  const std::string objections = "/api/v1/grants/notices/" + notice_id + "/objections";
  EXPECT_EQ(Client(server_).Post(objections, json::object{{"application_id", elder_}, {"body", "该项目与已有服务重复"}})
                .status,
            401);
  auto objection = resident_.Post(objections, json::object{{"application_id", elder_}, {"body", "该项目与已有服务重复"}});
  ASSERT_EQ(objection.status, 201) << objection.body;
  const std::string oid = Str(objection.json.at("objection").at("id"));
  const auto seen = Client(server_).Get("/api/v1/grants/calls/" + call_ + "/notice").json.at("objections").at(0);
  EXPECT_FALSE(seen.as_object().contains("body"));  // the public sees that it was raised and the answer
  EXPECT_EQ(resident_.Get("/api/v1/grants/calls/" + call_ + "/notice").json.at("objections").at(0).at("body"),
            "该项目与已有服务重复");
  EXPECT_EQ(resident_.Post("/api/v1/grants/objections/" + oid + "/answer",
                           json::object{{"upheld", false}, {"answer", "x"}})
                .status,
            403);
  auto answered = admin_.Post("/api/v1/grants/objections/" + oid + "/answer",
                              json::object{{"upheld", false}, {"answer", "经核查，服务对象不重复"}});
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(answered.json.at("objection").at("status"), "dismissed");
  EXPECT_EQ(admin_.Post("/api/v1/grants/objections/" + oid + "/answer", json::object{{"upheld", true}, {"answer", "y"}})
                .error_code(),
            "grants.already_answered");
  server_.clock().Advance(8 * kDay);
  auto late = resident_.Post(objections, json::object{{"application_id", youth_}, {"body", "迟到的异议内容"}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "grants.objections_closed");
}

}  // namespace
}  // namespace carecity::testing
