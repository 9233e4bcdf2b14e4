// Funded projects (资助项目) over HTTP: an approved application whose notice's
// objection window closed becomes a project with a fund commitment;
// progress reports release milestones through the fund's maker–checker;
// a final report and the close release the leftover. Every refusal of the
// contract, permissions and masking, and the scarce rules under
// concurrency (two Apps on one PostgreSQL when the backend is postgres).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>

#include "core/run_sync.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr int64_t kAwardA = 5'000'000;
constexpr int64_t kAwardB = 4'000'000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

int64_t UserIdOf(Client& c) {
  auto me = c.Get("/api/v1/me");
  EXPECT_EQ(me.status, 200) << me.body;
  return me.json.at("id").as_int64();
}

class GrantsProjectsTest : public ::testing::Test {
 protected:
  GrantsProjectsTest()
      : admin_(UserWith(server_, "13800007001", {RoleGrant{Role::kFundAdmin}})),
        checker_(UserWith(server_, "13800007002", {RoleGrant{Role::kFundAdmin}})),
        org_a_(InsertOrg(server_, "南海区长者服务中心", "91440605MA00000P01")),
        org_b_(InsertOrg(server_, "桂城青少年社工站", "91440605MA00000P02")),
        staff_a_(UserWith(server_, "13800007003", {OrgStaff(org_a_)})),
        staff_b_(UserWith(server_, "13800007004", {OrgStaff(org_b_)})),
        resident_(UserWith(server_, "13800007005")),
        anonymous_(server_) {}

  void SetUp() override {
    admin_id_ = UserIdOf(admin_);
    auto& g = server_.app().grants();
    const int64_t now = server_.clock().NowMs();
    auto seeded = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<bool> {
      grants::NewCall c;
      c.title = "2026年关爱基金项目";
      c.project_types = {"长者服务", "青少年"};
      c.budget_fen = 20'000'000;
      c.cap_fen = 10'000'000;
      c.opens_at_ms = now - kDay;
      c.closes_at_ms = now + kDay;
      c.funding_modes = {"full"};
      c.panel_experts = 1;
      c.panel_citizens = 0;
      c.rubric = {{"需求", 1}};
      auto call = g.CreateCallTx(tx, admin_id_, c, "", now);
      CC_TRY(call);
      call_ = *call;
      const std::vector<std::pair<int64_t, std::string>> apps = {
          {org_a_, "长者服务"}, {org_b_, "青少年"}, {org_a_, "长者服务"}};
      for (const auto& [org, type] : apps) {
        grants::ApplicationDraft d;
        d.title = "项目·" + type;
        d.project_type = type;
        d.budget_lines = {{"人力", 6'000'000}};
        d.requested_fen = 6'000'000;
        d.funding_mode = "full";
        auto a = g.CreateApplicationTx(tx, admin_id_, call_.id, org, d, "", now);
        CC_TRY(a);
        CC_TRY(g.SubmitTx(tx, admin_id_, a->id, "", now));
        apps_.push_back(*a);
      }
      fund::NewAllocation alloc{20'000'000, "南财〔2026〕1号", std::nullopt, "区财政拨款", true};
      CC_TRY(server_.app().fund().RecordAllocationTx(tx, admin_id_, alloc, now));
      return true;
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().key;
    server_.clock().Advance(2 * kDay);  // the call closes
    auto decided = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<bool> {
      const int64_t t = server_.clock().NowMs();
      for (const auto& a : apps_) {
        CC_TRY(g.SetEligibilityTx(tx, admin_id_, a.id, true, "", "", t));
      }
      // Test setup: the panels are not what is under test here.
      tx.Exec("UPDATE grants_applications SET status = 'under_review' WHERE call_id = $1", {call_.id});
      CC_TRY(g.DecideTx(tx, admin_id_, apps_[0].id, "approved", kAwardA, "评分第一", "", t));
      CC_TRY(g.DecideTx(tx, admin_id_, apps_[1].id, "approved", kAwardB, "评分第二", "", t));
      CC_TRY(g.DecideTx(tx, admin_id_, apps_[2].id, "rejected", 0, "超出预算", "", t));
      auto n = g.PublishNoticeTx(tx, admin_id_, call_.id, "", "", t);
      CC_TRY(n);
      notice_ = n->public_id;
      return true;
    });
    ASSERT_TRUE(decided.ok()) << decided.error().key;
  }

  void CloseWindow() { server_.clock().Advance(8 * kDay); }
  int64_t Now() { return server_.clock().NowMs(); }

  // What the general fund can still grant (its balance is a credit).
  int64_t General() {
    return -Count(server_, "SELECT balance_fen FROM fund_accounts WHERE code = 'fund:general'");
  }

  json::object Body(int64_t awarded, json::object extra = {}) {
    json::object b{{"starts_at_ms", Now()},
                   {"ends_at_ms", Now() + 365 * kDay},
                   {"milestones", json::array{json::object{{"label", "首期"}, {"amount_fen", awarded / 2},
                                                           {"due_ms", Now() + 30 * kDay}},
                                              json::object{{"label", "尾期"}, {"amount_fen", awarded - awarded / 2},
                                                           {"due_ms", Now() + 300 * kDay}}}}};
    for (const auto& [k, v] : extra) {
      b[k] = v;
    }
    return b;
  }
  HttpResult Create(Client& c, size_t app, const json::object& body, const std::string& key) {
    return c.Post("/api/v1/grants/applications/" + apps_[app].public_id + "/project", body,
                  {{"Idempotency-Key", key}});
  }
  std::string NewProject(size_t app, int64_t awarded) {
    auto r = Create(admin_, app, Body(awarded), "project-key-" + std::to_string(app));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("project").at("id")) : "";
  }
  json::object Get(Client& c, const std::string& id) {
    auto r = c.Get("/api/v1/grants/projects/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json.at("project").as_object() : json::object{};
  }
  HttpResult Report(Client& c, const std::string& project, json::object body) {
    return c.Post("/api/v1/grants/projects/" + project + "/reports", body);
  }
  json::object Progress(int64_t seq) {
    return json::object{{"kind", "progress"},
                        {"period_end_ms", Now()},
                        {"body", "本季度完成助餐 600 人次"},
                        {"milestone_seq", seq},
                        {"use_of_funds", json::array{json::object{{"item", "食材"}, {"amount_fen", 1'000'000}}}}};
  }
  json::object Final() {
    return json::object{{"kind", "final"},
                        {"period_end_ms", Now()},
                        {"body", "项目完成"},
                        {"use_of_funds", json::array{json::object{{"item", "食材"}, {"amount_fen", 2'000'000}},
                                                     json::object{{"item", "人力"}, {"amount_fen", 500'000}}}}};
  }
  Principal Admin() {
    Principal p;
    p.user_id = admin_id_;
    p.roles = {RoleGrant{Role::kFundAdmin}};
    return p;
  }

  TestServer server_;
  Client admin_;
  Client checker_;
  int64_t org_a_;
  int64_t org_b_;
  Client staff_a_;
  Client staff_b_;
  Client resident_;
  Client anonymous_;
  int64_t admin_id_ = 0;
  grants::Call call_;
  std::vector<grants::Application> apps_;
  std::string notice_;
};

TEST_F(GrantsProjectsTest, WholePathFromAgreementToLeftover) {
  CloseWindow();
  const int64_t before = General();
  auto no_key = admin_.Post("/api/v1/grants/applications/" + apps_[0].public_id + "/project", Body(kAwardA));
  EXPECT_NE(no_key.status, 201);
  auto created = Create(admin_, 0, Body(kAwardA), "whole-key-1");
  ASSERT_EQ(created.status, 201) << created.body;
  const json::object p = created.json.at("project").as_object();
  const std::string id = Str(p.at("id"));
  EXPECT_EQ(Str(p.at("status")), "active");
  EXPECT_EQ(p.at("awarded_fen").as_int64(), kAwardA);
  EXPECT_EQ(p.at("milestones").as_array().size(), 2u);
  EXPECT_EQ(Str(p.at("milestones").as_array()[0].at("status")), "planned");
  EXPECT_TRUE(p.at("reporting").at("long_project").as_bool());
  EXPECT_EQ(p.at("reporting").at("next_due_ms").as_int64(), p.at("starts_at_ms").as_int64() + 92 * kDay);
  EXPECT_EQ(General(), before - kAwardA);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_commitments"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'grant'"), 1);
  // The same key answers the same project; another key is refused.
  auto replay = Create(admin_, 0, Body(kAwardA), "whole-key-1");
  EXPECT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(Str(replay.json.at("project").at("id")), id);
  auto again = Create(admin_, 0, Body(kAwardA), "whole-key-2");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "grants.project_exists");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_commitments"), 1);

  // A progress report citing the first milestone.
  EXPECT_EQ(Report(staff_b_, id, Progress(1)).status, 404);
  EXPECT_EQ(Report(resident_, id, Progress(1)).status, 404);
  auto rep = Report(staff_a_, id, Progress(1));
  ASSERT_EQ(rep.status, 201) << rep.body;
  const std::string report = Str(rep.json.at("report").at("id"));
  EXPECT_EQ(Str(rep.json.at("report").at("status")), "submitted");
  EXPECT_EQ(rep.json.at("report").at("used_fen").as_int64(), 1'000'000);
  EXPECT_EQ(Report(staff_a_, id, Progress(1)).error_code(), "grants.milestone_not_open");
  EXPECT_EQ(Get(anonymous_, id).at("reports").as_array().size(), 0u);  // unapproved: hidden in public
  const json::object own = Get(staff_a_, id);
  EXPECT_EQ(own.at("reports").as_array().size(), 1u);
  EXPECT_TRUE(own.at("can_report").as_bool());
  EXPECT_FALSE(own.at("can_manage").as_bool());
  EXPECT_EQ(Str(own.at("milestones").as_array()[0].at("status")), "reported");

  EXPECT_EQ(staff_a_.Post("/api/v1/grants/reports/" + report + "/approve", json::object{}).status, 403);
  auto approved = admin_.Post("/api/v1/grants/reports/" + report + "/approve", json::object{{"note", "属实"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  const json::object d = approved.json.at("report").at("disbursement").as_object();
  EXPECT_EQ(Str(d.at("status")), "proposed");
  EXPECT_EQ(d.at("amount_fen").as_int64(), kAwardA / 2);
  auto twice = admin_.Post("/api/v1/grants/reports/" + report + "/approve", json::object{});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "grants.report_not_pending");
  EXPECT_EQ(Str(Get(admin_, id).at("milestones").as_array()[0].at("status")), "proposed");

  // Closing waits for the final report (and for no proposal pending).
  auto early = admin_.Post("/api/v1/grants/projects/" + id + "/close", json::object{{"leftover_note", "x"}});
  EXPECT_EQ(early.error_code(), "grants.final_report_missing");

  // The checker pays it (maker–checker in the fund).
  const std::string target = "/api/v1/fund/disbursements/" + std::to_string(d.at("id").as_int64()) + "/approve";
  for (Client* c : {&admin_, &checker_}) {
    ASSERT_EQ(c->Post("/api/v1/auth/reauth", json::value{{"password", "password123"}}).status, 204);
  }
  EXPECT_EQ(admin_.Post(target, json::object{}).status, 403);
  auto paid = checker_.Post(target, json::object{});
  ASSERT_EQ(paid.status, 200) << paid.body;
  json::object after = Get(anonymous_, id);
  EXPECT_EQ(Str(after.at("milestones").as_array()[0].at("status")), "paid");
  EXPECT_EQ(after.at("disbursed_fen").as_int64(), kAwardA / 2);
  EXPECT_EQ(after.at("reports").as_array().size(), 1u);
  EXPECT_EQ(General(), before - kAwardA);

  // The final report, once.
  auto no_funds = Report(staff_a_, id, json::object{{"kind", "final"}, {"period_end_ms", Now()}, {"body", "完成"}});
  EXPECT_EQ(no_funds.status, 422);
  EXPECT_EQ(no_funds.error_code(), "grants.use_of_funds_required");
  auto fin = Report(staff_a_, id, Final());
  ASSERT_EQ(fin.status, 201) << fin.body;
  EXPECT_EQ(Report(staff_a_, id, Final()).error_code(), "grants.final_report_exists");
  const std::string final_id = Str(fin.json.at("report").at("id"));
  ASSERT_EQ(admin_.Post("/api/v1/grants/reports/" + final_id + "/approve", json::object{}).status, 200);
  EXPECT_EQ(Str(Get(admin_, id).at("status")), "closing");

  auto closed = admin_.Post("/api/v1/grants/projects/" + id + "/close", json::object{{"leftover_note", "尾期未拨付"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Str(closed.json.at("project").at("status")), "closed");
  EXPECT_EQ(closed.json.at("project").at("released_fen").as_int64(), kAwardA - kAwardA / 2);
  EXPECT_EQ(General(), before - kAwardA / 2);  // back up by exactly the leftover
  EXPECT_EQ(Count(server_, "SELECT released_fen FROM fund_commitments"), kAwardA - kAwardA / 2);
  EXPECT_EQ(admin_.Post("/api/v1/grants/projects/" + id + "/close", json::object{}).error_code(),
            "grants.project_closed");
  EXPECT_EQ(Report(staff_a_, id, Progress(2)).error_code(), "grants.project_closed");
  // An observer may still note a visit made before the close, never one after it.
  const int64_t closed_at = Now();
  ASSERT_EQ(admin_.Post("/api/v1/grants/projects/" + id + "/observers", json::object{{"user_id", UserIdOf(resident_)}})
                .status,
            201);
  server_.clock().Set(closed_at + 3'600'000);
  const std::string visits = "/api/v1/grants/projects/" + id + "/visits";
  auto late = resident_.Post(visits, json::object{{"visited_at_ms", closed_at + 60'000}, {"body", "结项后回访"}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "grants.project_closed");
  auto before_close = resident_.Post(visits, json::object{{"visited_at_ms", closed_at - 60'000}, {"body", "结项前探访"}});
  EXPECT_EQ(before_close.status, 201) << before_close.body;
  EXPECT_EQ(Get(anonymous_, id).at("visits").as_array().size(), 1u);
  // The fund refuses a second release, and any new proposal, itself.
  auto second = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    const int64_t c = tx.Query("SELECT id FROM fund_commitments").front().Int(0);
    return server_.app().fund().ReleaseCommitmentTx(tx, admin_id_, c, "again", Now());
  });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().key, "commitment_released");
  auto audit = Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'fund.grant.released'");
  EXPECT_EQ(audit, 1);
}

TEST_F(GrantsProjectsTest, ReturnedReportReopensTheMilestoneAndListsWork) {
  CloseWindow();
  const std::string id = NewProject(0, kAwardA);
  auto rep = Report(staff_a_, id, Progress(1));
  ASSERT_EQ(rep.status, 201) << rep.body;
  const std::string report = Str(rep.json.at("report").at("id"));
  auto no_note = admin_.Post("/api/v1/grants/reports/" + report + "/return", json::object{});
  EXPECT_EQ(no_note.status, 400);
  EXPECT_EQ(no_note.error_field(), "note");
  auto returned = admin_.Post("/api/v1/grants/reports/" + report + "/return", json::object{{"note", "请补充照片"}});
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(Str(returned.json.at("report").at("status")), "returned");
  EXPECT_EQ(Str(Get(admin_, id).at("milestones").as_array()[0].at("status")), "planned");
  EXPECT_EQ(Report(staff_a_, id, Progress(1)).status, 201);

  auto all = anonymous_.Get("/api/v1/grants/projects?call_id=" + call_.public_id);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json.at("projects").as_array().size(), 1u);
  EXPECT_EQ(anonymous_.Get("/api/v1/grants/projects?org_id=" + std::to_string(org_b_)).json.at("projects").as_array().size(),
            0u);
  EXPECT_EQ(staff_a_.Get("/api/v1/grants/my/projects").json.at("projects").as_array().size(), 1u);
  EXPECT_EQ(staff_b_.Get("/api/v1/grants/my/projects").json.at("projects").as_array().size(), 0u);
  EXPECT_EQ(anonymous_.Get("/api/v1/grants/projects/AAAAAAAAAAAAAAAAAAAA").status, 404);
}

TEST_F(GrantsProjectsTest, ClosingWaitsForAProposedDisbursement) {
  CloseWindow();
  const std::string id = NewProject(0, kAwardA);
  auto rep = Report(staff_a_, id, Progress(1));
  ASSERT_EQ(rep.status, 201) << rep.body;
  ASSERT_EQ(admin_.Post("/api/v1/grants/reports/" + Str(rep.json.at("report").at("id")) + "/approve", json::object{})
                .status,
            200);
  auto fin = Report(staff_a_, id, Final());
  ASSERT_EQ(fin.status, 201) << fin.body;
  ASSERT_EQ(admin_.Post("/api/v1/grants/reports/" + Str(fin.json.at("report").at("id")) + "/approve", json::object{})
                .status,
            200);
  const int64_t before = General();
  auto pending = admin_.Post("/api/v1/grants/projects/" + id + "/close", json::object{{"leftover_note", "x"}});
  EXPECT_EQ(pending.status, 409);
  EXPECT_EQ(pending.error_code(), "grants.disbursement_pending");
  EXPECT_EQ(Str(Get(admin_, id).at("status")), "closing");
  EXPECT_EQ(General(), before);
  EXPECT_EQ(staff_a_.Post("/api/v1/grants/projects/" + id + "/close", json::object{}).status, 403);
}

TEST_F(GrantsProjectsTest, CreationRefusals) {
  // The window is still open.
  auto open = Create(admin_, 0, Body(kAwardA), "refusal-key-1");
  EXPECT_EQ(open.status, 409);
  EXPECT_EQ(open.error_code(), "grants.objection_window_open");
  auto objected = resident_.Post("/api/v1/grants/notices/" + notice_ + "/objections",
                                 json::object{{"application_id", apps_[1].public_id}, {"body", "该机构去年项目未结项"}});
  ASSERT_EQ(objected.status, 201) << objected.body;
  CloseWindow();
  EXPECT_EQ(Create(staff_a_, 0, Body(kAwardA), "refusal-key-2").status, 403);
  EXPECT_EQ(Create(admin_, 2, Body(kAwardA), "refusal-key-3").error_code(), "grants.not_approved");
  auto pending = Create(admin_, 1, Body(kAwardB), "refusal-key-4");
  EXPECT_EQ(pending.status, 409);
  EXPECT_EQ(pending.error_code(), "grants.objection_pending");
  auto answered = admin_.Post("/api/v1/grants/objections/" + Str(objected.json.at("objection").at("id")) + "/answer",
                              json::object{{"upheld", false}, {"answer", "已核实，该项目已结项"}});
  ASSERT_EQ(answered.status, 200) << answered.body;

  auto sum = Create(admin_, 0, Body(kAwardA - 1), "refusal-key-5");
  EXPECT_EQ(sum.status, 422);
  EXPECT_EQ(sum.error_code(), "grants.milestones_sum");
  EXPECT_EQ(sum.error_field(), "milestones");
  json::object late = Body(kAwardA);
  late["milestones"].as_array()[1].as_object()["due_ms"] = Now() + 500 * kDay;
  EXPECT_EQ(Create(admin_, 0, late, "refusal-key-6").error_code(), "grants.milestones_sum");
  EXPECT_EQ(Create(admin_, 0, Body(kAwardA, {{"milestones", json::array{}}}), "refusal-key-7").status / 100, 4);
  auto backwards = Create(admin_, 0, Body(kAwardA, {{"ends_at_ms", Now() - kDay}}), "refusal-key-8");
  EXPECT_EQ(backwards.status, 422);
  EXPECT_EQ(backwards.error_field(), "ends_at_ms");

  // Sponsorships: restricted by type, and never named beyond their amount.
  auto bad_type = admin_.Post("/api/v1/fund/sponsorships",
                              json::object{{"sponsor_name", "某集团"}, {"sponsor_kind", "enterprise"},
                                           {"committed_fen", 1'000'000}, {"naming_text", "某集团·关爱青少年"},
                                           {"term_start_ms", Now()}, {"term_end_ms", Now() + 365 * kDay},
                                           {"project_type", ""}});
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_EQ(bad_type.error_field(), "project_type");
  auto youth = admin_.Post("/api/v1/fund/sponsorships",
                           json::object{{"sponsor_name", "某集团"}, {"sponsor_kind", "enterprise"},
                                        {"committed_fen", 1'000'000}, {"naming_text", "某集团·关爱青少年"},
                                        {"term_start_ms", Now()}, {"term_end_ms", Now() + 365 * kDay},
                                        {"project_type", "青少年"}});
  ASSERT_EQ(youth.status, 201) << youth.body;
  const int64_t youth_id = youth.json.at("sponsorship").at("id").as_int64();
  auto listed = admin_.Get("/api/v1/fund/sponsorships");
  EXPECT_EQ(Str(listed.json.at("sponsorships").as_array()[0].at("project_type")), "青少年");
  auto mismatch = Create(admin_, 0, Body(kAwardA, {{"sponsorship_id", youth_id}, {"sponsor_fen", 100}}), "refusal-key-9");
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_EQ(mismatch.error_code(), "grants.sponsorship_type_mismatch");
  auto exhausted = Create(admin_, 1, Body(kAwardB, {{"sponsorship_id", youth_id}, {"sponsor_fen", 1'000'001}}), "refusal-key-10");
  EXPECT_EQ(exhausted.status, 409);
  EXPECT_EQ(exhausted.error_code(), "grants.sponsorship_exhausted");
  auto named = Create(admin_, 1, Body(kAwardB, {{"sponsorship_id", youth_id}, {"sponsor_fen", 600'000}}), "refusal-key-11");
  ASSERT_EQ(named.status, 201) << named.body;
  EXPECT_EQ(Str(named.json.at("project").at("sponsor").at("naming_text")), "某集团·关爱青少年");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_commitments"), 1);  // only the one that was created
  EXPECT_EQ(Create(admin_, 0, Body(kAwardA), "refusal-key-12").status, 201);
}

TEST_F(GrantsProjectsTest, ObserversAndVisits) {
  CloseWindow();
  const std::string id = NewProject(0, kAwardA);
  const std::string base = "/api/v1/grants/projects/" + id + "/observers";
  const int64_t resident = UserIdOf(resident_);
  EXPECT_EQ(staff_a_.Post(base, json::object{{"user_id", resident}}).status, 403);
  auto added = admin_.Post(base, json::object{{"user_id", resident}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(admin_.Post(base, json::object{{"user_id", resident}}).error_code(), "grants.already_observer");
  auto conflict = admin_.Post(base, json::object{{"user_id", UserIdOf(staff_a_)}});
  EXPECT_EQ(conflict.status, 422);
  EXPECT_EQ(conflict.error_code(), "grants.observer_conflict");
  EXPECT_EQ(admin_.Post(base, json::object{{"user_id", 999999}}).status, 404);

  const std::string visits = "/api/v1/grants/projects/" + id + "/visits";
  const json::object note{{"visited_at_ms", Now()}, {"body", "探访助餐点，长者反映饭菜可口"}};
  EXPECT_EQ(staff_b_.Post(visits, note).status, 404);
  auto v = resident_.Post(visits, note);
  ASSERT_EQ(v.status, 201) << v.body;
  const json::object pub = Get(anonymous_, id);
  ASSERT_EQ(pub.at("visits").as_array().size(), 1u);
  const std::string by = Str(pub.at("visits").as_array()[0].at("by"));
  EXPECT_NE(by.find("*"), std::string::npos) << by;
  EXPECT_EQ(pub.at("observers").as_array()[0].as_object().count("user_id"), 0u);
  EXPECT_EQ(resident_.Get("/api/v1/grants/me/observing").json.at("projects").as_array().size(), 1u);
  auto future = resident_.Post(visits, json::object{{"visited_at_ms", Now() + 86'400'000}, {"body", "明天去"}});
  EXPECT_EQ(future.status, 422);
  EXPECT_EQ(future.error_field(), "visited_at_ms");
  EXPECT_EQ(Get(anonymous_, id).at("visits").as_array().size(), 1u);
  EXPECT_EQ(admin_.Delete(base + "/" + std::to_string(resident)).status, 204);
  EXPECT_EQ(admin_.Delete(base + "/" + std::to_string(resident)).status, 404);
  EXPECT_EQ(resident_.Post(visits, note).status, 404);
}

TEST_F(GrantsProjectsTest, ConcurrentCreationsMakeOneProjectAndOneCommitment) {
  CloseWindow();
  auto second = SecondApp(server_);
  std::atomic<int> ok{0};
  std::atomic<int> exists{0};
  RunAtOnce(6, [&](size_t i) -> boost::asio::awaitable<void> {
    grants::ProjectsService& s = (second && i % 2 == 1) ? second->projects() : server_.app().projects();
    grants::NewProject in;
    in.starts_at_ms = Now();
    in.ends_at_ms = Now() + 100 * kDay;
    in.milestones = {{"全额", kAwardA, Now() + 50 * kDay}};
    const Principal p = Admin();
    std::string app = apps_[0].public_id;
    std::string key = "race-key-" + std::to_string(i);
    std::string ip = "race";
    auto r = co_await s.CreateProject(p, std::move(app), std::move(in), std::move(key), std::move(ip));
    if (r.ok()) {
      ++ok;
    } else if (r.error().key == "grants.project_exists") {
      ++exists;
    }
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(exists.load(), 5);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_projects"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_commitments"), 1);
}

TEST_F(GrantsProjectsTest, ConcurrentApprovalsProposeOneDisbursement) {
  CloseWindow();
  const std::string id = NewProject(0, kAwardA);
  auto rep = Report(staff_a_, id, Progress(1));
  ASSERT_EQ(rep.status, 201) << rep.body;
  const std::string report = Str(rep.json.at("report").at("id"));
  auto second = SecondApp(server_);
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  RunAtOnce(6, [&](size_t i) -> boost::asio::awaitable<void> {
    grants::ProjectsService& s = (second && i % 2 == 1) ? second->projects() : server_.app().projects();
    const Principal p = Admin();
    std::string id = report;
    std::string note;
    std::string ip = "race";
    auto r = co_await s.ReviewReport(p, std::move(id), true, std::move(note), std::move(ip));
    if (r.ok()) {
      ++ok;
    } else if (r.error().key == "grants.report_not_pending") {
      ++refused;
    }
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 5);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_disbursements"), 1);
}

}  // namespace
}  // namespace carecity::testing
