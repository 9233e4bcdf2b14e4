// Service applications over HTTP: the catalogue, applying with and without
// consent to sensitive data, who may read what (and that the database holds
// only sealed bytes), triage, the deadline clock and escalation with a fake
// clock, messages, closing, rating, reopening, retention purge, statistics
// and every route's permissions.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr const char* kHealth = "高血压、轻度认知障碍";
constexpr const char* kIdNumber = "11010519491231002X";  // GB 11643 example number

std::string Id(int64_t id) { return std::to_string(id); }

class CaseworkApiTest : public ::testing::Test {
 protected:
  CaseworkApiTest() {
    auto setup = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<bool> {
      org_ = server_.app().accounts().CreateOrgTx(tx, std::nullopt, {"博睿社工", "52440605MJL1001X2A", "5A"}, "t")->id;
      other_org_ =
          server_.app().accounts().CreateOrgTx(tx, std::nullopt, {"启创社工", "52440605MJL1002Y3B", "4A"}, "t")->id;
      village_ = server_.app().accounts().CreateVillageTx(tx, std::nullopt, {"叠滘村", "village", true, true}, "t")->id;
      other_village_ =
          server_.app().accounts().CreateVillageTx(tx, std::nullopt, {"夏北社区", "community", false, false}, "t")->id;
      return true;
    });
    EXPECT_TRUE(setup.ok());
    staff_ = UserWith(server_, "13700000101", {RoleGrant{Role::kOrgStaff, org_}});
    worker_ = UserWith(server_, "13700000102", {RoleGrant{Role::kOrgStaff, org_}});
    other_staff_ = UserWith(server_, "13700000103", {RoleGrant{Role::kOrgStaff, other_org_}});
    resident_ = UserWith(server_, "13700000104");
    service_ = CreateService(staff_, org_, "长者探访", 3);
    other_service_ = CreateService(other_staff_, other_org_, "长者日间照料", 5);
  }

  int64_t CreateService(Client& c, int64_t org, const std::string& name, int64_t days, json::array villages = {}) {
    auto r = c.Post("/api/v1/casework/services", json::object{{"org_id", org},
                                                              {"name", name},
                                                              {"description", "上门探访独居长者"},
                                                              {"village_ids", villages},
                                                              {"response_days", days}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("service").at("id").as_int64();
  }

  json::object Application(bool with_sensitive = true) {
    json::object a{{"service_id", service_},
                   {"for_whom", "family"},
                   {"beneficiary_name", "陈伯"},
                   {"relationship", "丈夫"},
                   {"description", "老伴行动不便，希望社工上门探访"},
                   {"preferred_times", "周二上午"},
                   {"contact_phone", "139 1234 5678"}};
    if (with_sensitive) {
      a["sensitive"] = json::object{{"health_condition", kHealth}, {"id_number", kIdNumber}};
      a["sensitive_consent"] = true;
    }
    return a;
  }

  int64_t Apply(json::object body) {
    auto r = resident_.Post("/api/v1/casework/applications", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("application").at("id").as_int64();
  }

  HttpResult Get(Client& c, int64_t id) { return c.Get("/api/v1/casework/applications/" + Id(id)); }
  HttpResult Act(Client& c, int64_t id, const std::string& action, json::object body) {
    return c.Post("/api/v1/casework/applications/" + Id(id) + "/" + action, body);
  }
  int64_t Applications() { return Count(server_, "SELECT COUNT(*) FROM casework_applications"); }

  TestServer server_;
  int64_t org_ = 0, other_org_ = 0, village_ = 0, other_village_ = 0, service_ = 0, other_service_ = 0;
  Client staff_{server_}, worker_{server_}, other_staff_{server_}, resident_{server_};
};

TEST_F(CaseworkApiTest, OrganisationsPublishTheirOwnServices) {
  const json::object body{{"org_id", org_}, {"name", "心理辅导"}, {"description", "一对一情绪疏导"}, {"response_days", 5}};
  EXPECT_EQ(Client(server_).Post("/api/v1/casework/services", body).status, 401);
  EXPECT_EQ(resident_.Post("/api/v1/casework/services", body).status, 403);
  EXPECT_EQ(other_staff_.Post("/api/v1/casework/services", body).status, 403);
  json::object slow = body;
  slow["response_days"] = 90;
  EXPECT_EQ(staff_.Post("/api/v1/casework/services", slow).error_field(), "response_days");
  EXPECT_EQ(staff_.Post("/api/v1/casework/services", body).status, 201);
  EXPECT_EQ(staff_.Post("/api/v1/casework/services", body).error_code(), "service_exists");
  CreateService(staff_, org_, "叠滘村助浴", 3, json::array{village_});
  Client anyone(server_);
  EXPECT_EQ(anyone.Get("/api/v1/casework/services").json.at("services").as_array().size(), 4u);
  EXPECT_EQ(anyone.Get("/api/v1/casework/services?village_id=" + Id(other_village_)).json.at("services").as_array().size(),
            3u);
  EXPECT_EQ(anyone.Get("/api/v1/casework/services?org_id=" + Id(other_org_)).json.at("services").as_array().size(), 1u);
  EXPECT_EQ(anyone.Get("/api/v1/casework/services/" + Id(service_)).json.at("service").at("response_days").as_int64(),
            3);
}

TEST_F(CaseworkApiTest, SensitiveDataNeedsItsOwnConsentAndBadInputChangesNothing) {
  json::object no_consent = Application();
  no_consent.erase("sensitive_consent");
  auto r = resident_.Post("/api/v1/casework/applications", no_consent);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "sensitive_consent_required");
  EXPECT_EQ(r.error_field(), "sensitive_consent");
  json::object bad_id = Application();
  bad_id["sensitive"].as_object()["id_number"] = "110105194912310021";
  EXPECT_EQ(resident_.Post("/api/v1/casework/applications", bad_id).error_field(), "sensitive.id_number");
  json::object bad_phone = Application();
  bad_phone["contact_phone"] = "12345";
  EXPECT_EQ(resident_.Post("/api/v1/casework/applications", bad_phone).error_code(), "invalid_phone");
  json::object nameless = Application();
  nameless.erase("beneficiary_name");
  EXPECT_EQ(resident_.Post("/api/v1/casework/applications", nameless).error_code(), "beneficiary_required");
  json::object unknown = Application();
  unknown["service_id"] = 999;
  EXPECT_EQ(resident_.Post("/api/v1/casework/applications", unknown).status, 404);
  json::object extra = Application();
  extra["sensitive"].as_object()["blood_type"] = "A";
  EXPECT_EQ(resident_.Post("/api/v1/casework/applications", extra).error_field(), "sensitive.blood_type");
  EXPECT_EQ(Client(server_).Post("/api/v1/casework/applications", Application()).status, 401);
  EXPECT_EQ(Applications(), 0);

  const int64_t village_only = CreateService(staff_, org_, "叠滘村助浴", 3, json::array{village_});
  json::object elsewhere = Application(false);
  elsewhere["service_id"] = village_only;
  elsewhere["village_id"] = other_village_;
  EXPECT_EQ(resident_.Post("/api/v1/casework/applications", elsewhere).error_code(), "service_not_in_village");
  EXPECT_EQ(Applications(), 0);

  // Without sensitive data no consent is needed.
  auto plain = resident_.Post("/api/v1/casework/applications", Application(false));
  ASSERT_EQ(plain.status, 201) << plain.body;
  EXPECT_FALSE(plain.json.at("application").at("has_sensitive").as_bool());
  EXPECT_TRUE(plain.json.at("application").at("sensitive").is_null());
}

TEST_F(CaseworkApiTest, OnlyTheApplicantAndTheAssignedWorkerReadSensitiveDataAndTheDatabaseHoldsSealedBytes) {
  const int64_t id = Apply(Application());
  auto mine = Get(resident_, id).json.at("application");
  EXPECT_TRUE(mine.at("sensitive_visible").as_bool());
  EXPECT_EQ(mine.at("sensitive").at("health_condition").as_string(), kHealth);
  EXPECT_EQ(mine.at("sensitive").at("id_number").as_string(), kIdNumber);
  EXPECT_EQ(mine.at("contact_phone").as_string(), "13912345678");

  // Staff of the organisation, before anyone is assigned: masked.
  auto triage = Get(staff_, id).json.at("application");
  EXPECT_FALSE(triage.at("sensitive_visible").as_bool());
  EXPECT_EQ(triage.at("sensitive").at("health_condition").as_string(), "***");
  EXPECT_EQ(triage.at("sensitive").at("id_number").as_string(), "110***********002X");

  // Everyone else: not found at all.
  Client neighbour = UserWith(server_, "13700000105");
  Client reviewer = UserWith(server_, "13700000106", {RoleGrant{Role::kReviewer}});
  Client admin = UserWith(server_, "13700000107", {RoleGrant{Role::kFundAdmin}});
  for (Client* c : {&neighbour, &other_staff_, &reviewer, &admin}) {
    auto r = Get(*c, id);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find(kHealth), std::string::npos);
    EXPECT_EQ(c->Get("/api/v1/casework/applications/" + Id(id) + "/messages").status, 404);
  }

  auto accepted = Act(staff_, id, "accept", json::object{{"worker_user_id", Count(server_, "SELECT id FROM users WHERE phone = '13700000102'")}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json.at("application").at("sensitive").at("health_condition").as_string(), "***");
  auto assigned = Get(worker_, id).json.at("application");
  EXPECT_TRUE(assigned.at("sensitive_visible").as_bool());
  EXPECT_EQ(assigned.at("sensitive").at("health_condition").as_string(), kHealth);
  EXPECT_EQ(Get(staff_, id).json.at("application").at("sensitive").at("health_condition").as_string(), "***");

  // Not in the table, the outbox, the audit log or the database files in clear.
  for (const char* needle : {kHealth, kIdNumber, "认知障碍", "0519491231"}) {
    const std::string q = std::string("'%") + needle + "%'";
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE sensitive_box LIKE " + q +
                                 " OR description LIKE " + q),
              0);
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE params_json LIKE " + q), 0);
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE detail_json LIKE " + q), 0);
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_timeline WHERE note LIKE " + q), 0);
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE sensitive_box IS NOT NULL"), 1);
  if (!server_.db().path().empty()) {
    for (const std::string& file : {server_.db().path(), server_.db().path() + "-wal"}) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      EXPECT_EQ(bytes.str().find(kHealth), std::string::npos) << file;
      EXPECT_EQ(bytes.str().find(kIdNumber), std::string::npos) << file;
    }
  }
}

TEST_F(CaseworkApiTest, TriageAcceptsReferesAndDeclinesWithChecks) {
  const int64_t a = Apply(Application());
  const int64_t resident_id = Count(server_, "SELECT id FROM users WHERE phone = '13700000104'");
  EXPECT_EQ(Act(staff_, a, "accept", json::object{{"worker_user_id", resident_id}}).error_code(), "worker_not_staff");
  EXPECT_EQ(Act(resident_, a, "accept", json::object{{"worker_user_id", resident_id}}).status, 403);
  EXPECT_EQ(Act(other_staff_, a, "decline", json::object{{"reason", "不在服务范围"}}).status, 404);
  EXPECT_EQ(Act(staff_, a, "refer", json::object{{"service_id", service_}, {"reason", "转给自己"}}).error_code(),
            "refer_to_self");

  auto referred = Act(staff_, a, "refer", json::object{{"service_id", other_service_}, {"reason", "需要日间照料"}});
  ASSERT_EQ(referred.status, 200) << referred.body;
  EXPECT_EQ(Get(staff_, a).status, 404);  // gone from the referring organisation
  auto there = Get(other_staff_, a).json.at("application");
  EXPECT_EQ(there.at("status").as_string(), "submitted");
  EXPECT_EQ(there.at("org_id").as_int64(), other_org_);
  EXPECT_EQ(there.at("timeline").as_array().back().at("kind").as_string(), "referred");
  EXPECT_EQ(Get(resident_, a).json.at("application").at("org_name").as_string(), "启创社工");

  const int64_t b = Apply(Application(false));
  auto declined = Act(staff_, b, "decline", json::object{{"reason", "名额已满，建议申请日间照料"}});
  ASSERT_EQ(declined.status, 200);
  EXPECT_EQ(declined.json.at("application").at("status").as_string(), "declined");
  EXPECT_EQ(Act(staff_, b, "accept", json::object{{"worker_user_id", resident_id}}).error_code(), "invalid_transition");
  EXPECT_EQ(resident_.Post("/api/v1/casework/applications/" + Id(b) + "/messages", json::object{{"body", "为什么?"}})
                .error_code(),
            "application_closed");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'casework_update'"), 2);
}

TEST_F(CaseworkApiTest, TheDeadlineClockFlagsOverdueApplicationsAndEscalatesThem) {
  const int64_t a = Apply(Application(false));
  const int64_t b = Apply(Application(false));
  const std::string inbox = "/api/v1/casework/inbox?org_id=" + Id(org_);
  EXPECT_FALSE(staff_.Get(inbox).json.at("applications").as_array()[0].at("overdue").as_bool());
  EXPECT_EQ(other_staff_.Get(inbox).status, 403);
  EXPECT_EQ(resident_.Get(inbox).status, 403);

  server_.clock().Advance(3 * kDayMs + kMinuteMs);
  auto list = staff_.Get(inbox + "&overdue=true").json.at("applications").as_array();
  EXPECT_EQ(list.size(), 2u);
  Client admin = UserWith(server_, "13700000107", {RoleGrant{Role::kFundAdmin}});
  Client platform = UserWith(server_, "13700000108", {RoleGrant{Role::kPlatformAdmin}});
  EXPECT_EQ(resident_.Get("/api/v1/casework/escalations").status, 403);
  EXPECT_EQ(staff_.Get("/api/v1/casework/escalations").status, 403);
  EXPECT_EQ(admin.Get("/api/v1/casework/escalations").json.at("applications").as_array().size(), 2u);

  // A staff message is a response: no longer overdue.
  auto msg = staff_.Post("/api/v1/casework/applications/" + Id(a) + "/messages", json::object{{"body", "您好，我们明天联系您"}});
  ASSERT_EQ(msg.status, 201) << msg.body;
  EXPECT_TRUE(msg.json.at("message").at("from_staff").as_bool());
  auto esc = platform.Get("/api/v1/casework/escalations").json.at("applications").as_array();
  ASSERT_EQ(esc.size(), 1u);
  EXPECT_EQ(esc[0].at("id").as_int64(), b);
  EXPECT_TRUE(esc[0].at("overdue").as_bool());
  EXPECT_TRUE(esc[0].at("sensitive").is_null());
  EXPECT_EQ(esc[0].at("description").as_string(), "");
  EXPECT_FALSE(Get(resident_, a).json.at("application").at("overdue").as_bool());

  auto stats = admin.Get("/api/v1/casework/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(staff_.Get("/api/v1/casework/stats").status, 403);
  const auto& ours = stats.json.at("orgs").as_array()[0];
  EXPECT_EQ(ours.at("org_id").as_int64(), org_);
  EXPECT_EQ(ours.at("applications").as_int64(), 2);
  EXPECT_EQ(ours.at("overdue").as_int64(), 1);
  EXPECT_EQ(ours.at("median_first_response_ms").as_int64(), 3 * kDayMs + kMinuteMs);
}

TEST_F(CaseworkApiTest, MessagesCloseRateAndReopenFollowTheRules) {
  const int64_t a = Apply(Application());
  const int64_t worker_id = Count(server_, "SELECT id FROM users WHERE phone = '13700000102'");
  Act(staff_, a, "accept", json::object{{"worker_user_id", worker_id}});
  const std::string messages = "/api/v1/casework/applications/" + Id(a) + "/messages";
  EXPECT_EQ(resident_.Post(messages, json::object{{"body", "周二上午方便"}}).status, 201);
  EXPECT_EQ(worker_.Post(messages, json::object{{"body", "好的，周二见"}}).status, 201);
  auto thread = resident_.Get(messages).json.at("messages").as_array();
  ASSERT_EQ(thread.size(), 2u);
  EXPECT_FALSE(thread[0].at("from_staff").as_bool());
  EXPECT_TRUE(thread[1].at("from_staff").as_bool());

  EXPECT_EQ(Act(resident_, a, "rate", json::object{{"score", 5}}).error_code(), "invalid_transition");
  EXPECT_EQ(Act(staff_, a, "close", json::object{{"outcome", "已探访"}}).status, 403);  // not the worker
  auto closed = Act(worker_, a, "close", json::object{{"outcome", "已上门探访并链接助餐服务"}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json.at("application").at("reopen_until_ms").as_int64(),
            server_.clock().NowMs() + 14 * kDayMs);
  EXPECT_EQ(Act(worker_, a, "rate", json::object{{"score", 5}}).status, 403);
  EXPECT_EQ(Act(resident_, a, "rate", json::object{{"score", 6}}).error_field(), "score");
  EXPECT_EQ(Act(resident_, a, "rate", json::object{{"score", 4}, {"comment", "很耐心"}}).status, 200);
  EXPECT_EQ(Act(resident_, a, "rate", json::object{{"score", 5}}).error_code(), "already_rated");

  server_.clock().Advance(10 * kDayMs);
  auto reopened = Act(resident_, a, "reopen", json::object{{"reason", "助餐没有落实"}});
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_EQ(reopened.json.at("application").at("status").as_string(), "accepted");
  EXPECT_EQ(reopened.json.at("application").at("worker").at("user_id").as_int64(), worker_id);
  Act(worker_, a, "close", json::object{{"outcome", "助餐已落实"}});
  server_.clock().Advance(15 * kDayMs);
  EXPECT_EQ(Act(resident_, a, "reopen", json::object{{"reason", "再看看"}}).error_code(), "reopen_window_passed");

  auto stats = UserWith(server_, "13700000108", {RoleGrant{Role::kPlatformAdmin}}).Get("/api/v1/casework/stats");
  EXPECT_EQ(stats.json.at("orgs").as_array()[0].at("rated").as_int64(), 0);  // the rating went with the reopening
}

TEST_F(CaseworkApiTest, SensitiveDataIsPurgedAfterTheRetentionPeriod) {
  const int64_t a = Apply(Application());
  const int64_t worker_id = Count(server_, "SELECT id FROM users WHERE phone = '13700000102'");
  Act(staff_, a, "accept", json::object{{"worker_user_id", worker_id}});
  Act(worker_, a, "close", json::object{{"outcome", "已完成"}});
  server_.clock().Advance(179 * kDayMs);
  server_.app().RunMaintenance();
  ASSERT_EQ(resident_.Login("13700000104", "password123").status, 200);  // sessions last 30 days
  EXPECT_TRUE(Get(resident_, a).json.at("application").at("has_sensitive").as_bool());
  server_.clock().Advance(2 * kDayMs);
  server_.app().RunMaintenance();
  auto after = Get(resident_, a).json.at("application");
  EXPECT_FALSE(after.at("has_sensitive").as_bool());
  EXPECT_TRUE(after.at("sensitive").is_null());
  EXPECT_EQ(after.at("timeline").as_array().back().at("kind").as_string(), "sensitive_purged");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE sensitive_box IS NOT NULL"), 0);
  EXPECT_EQ(Get(resident_, a).json.at("application").at("description").as_string(), "老伴行动不便，希望社工上门探访");
}

TEST_F(CaseworkApiTest, MyDataExportHoldsMyApplicationsInClearAndNobodyElses) {
  const int64_t a = Apply(Application());
  resident_.Post("/api/v1/casework/applications/" + Id(a) + "/messages", json::object{{"body", "周二上午方便"}});
  auto mine = resident_.Get("/api/v1/me/export");
  ASSERT_EQ(mine.status, 200);
  const auto& apps = mine.json.at("casework").at("applications").as_array();
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].at("sensitive").at("health_condition").as_string(), kHealth);
  EXPECT_EQ(apps[0].at("messages").as_array().size(), 1u);
  EXPECT_TRUE(mine.json.at("events").at("registrations").as_array().empty());
  auto staff_export = staff_.Get("/api/v1/me/export");
  EXPECT_TRUE(staff_export.json.at("casework").at("applications").as_array().empty());
  EXPECT_EQ(staff_export.body.find(kHealth), std::string::npos);
}

TEST_F(CaseworkApiTest, ADeletedAccountTakesItsSensitiveDataAndPhoneWithIt) {
  const int64_t a = Apply(Application());
  ASSERT_EQ(resident_.DeleteAccount().status, 204);
  auto seen = Get(staff_, a).json.at("application");
  EXPECT_EQ(seen.at("status").as_string(), "closed");
  EXPECT_FALSE(seen.at("has_sensitive").as_bool());
  EXPECT_EQ(seen.at("contact_phone").as_string(), "");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE sensitive_box IS NOT NULL OR "
                           "contact_phone <> ''"),
            0);
}

TEST_F(CaseworkApiTest, AServerWithAnotherDataKeyRefusesToStart) {
  Apply(Application());
  Config other = server_.app().config();
  other.casework.data_key = NewDataKeyHex();
  auto app = app::App::Open(other, server_.clock());
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.error().field, "casework.data_key");
  auto same = app::App::Open(server_.app().config(), server_.clock());
  EXPECT_TRUE(same.ok());
}

TEST_F(CaseworkApiTest, AReopenedApplicationOwesANewResponseByItsNewDueTime) {
  const int64_t a = Apply(Application(false));
  const int64_t worker_id = Count(server_, "SELECT id FROM users WHERE phone = '13700000102'");
  Act(staff_, a, "accept", json::object{{"worker_user_id", worker_id}});
  Act(worker_, a, "close", json::object{{"outcome", "已完成"}});
  Act(resident_, a, "reopen", json::object{{"reason", "问题又出现了"}});
  server_.clock().Advance(3 * kDayMs + kMinuteMs);
  EXPECT_TRUE(Get(resident_, a).json.at("application").at("overdue").as_bool());
  worker_.Post("/api/v1/casework/applications/" + Id(a) + "/messages", json::object{{"body", "明天再来看您"}});
  EXPECT_FALSE(Get(resident_, a).json.at("application").at("overdue").as_bool());
}

TEST_F(CaseworkApiTest, EveryRouteNeedsASessionExceptTheCatalogue) {
  Client anon(server_);
  const int64_t a = Apply(Application(false));
  const std::string app = "/api/v1/casework/applications/" + Id(a);
  for (const std::string& path : {app, app + "/messages", std::string("/api/v1/me/casework/applications"),
                                  "/api/v1/casework/inbox?org_id=" + Id(org_), std::string("/api/v1/casework/escalations"),
                                  std::string("/api/v1/casework/stats")}) {
    EXPECT_EQ(anon.Get(path).status, 401) << path;
  }
  for (const std::string action : {"accept", "refer", "decline", "close", "rate", "reopen", "messages"}) {
    EXPECT_EQ(anon.Post(app + "/" + action, json::object{}).status, 401) << action;
  }
  EXPECT_EQ(anon.Get("/api/v1/casework/services").status, 200);
  EXPECT_EQ(resident_.Get("/api/v1/me/casework/applications").json.at("applications").as_array().size(), 1u);
}

}  // namespace
}  // namespace carecity::testing
