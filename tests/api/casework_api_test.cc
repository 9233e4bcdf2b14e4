// Service applications over HTTP: the catalogue, applying with and without
// consent to sensitive data, who may read what (and that the database holds
// only sealed bytes), triage, the deadline clock and escalation with a fake
// clock, messages, closing, rating, reopening, retention purge, statistics
// and every route's permissions.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/crypto.h"
#include "domains/casework/model.h"
#include "domains/casework/repo.h"
#include "http/json.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;
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
  // Writes straight to the database, as someone with access to it would (not through the service).
  void Tamper(const std::function<void(db::Tx&)>& fn) {
    auto r = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<bool> {
      fn(tx);
      return true;
    });
    ASSERT_TRUE(r.ok());
  }

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
  const int64_t t0 = server_.clock().NowMs();
  const int64_t a = Apply(Application(false));  // 长者探访: a response owed within 3 days
  const int64_t worker_id = Count(server_, "SELECT id FROM users WHERE phone = '13700000102'");
  Client admin = UserWith(server_, "13700000107", {RoleGrant{Role::kFundAdmin}});
  const auto escalated = [&] { return admin.Get("/api/v1/casework/escalations").json.at("applications").as_array().size(); };
  const std::string overdue_inbox = "/api/v1/casework/inbox?overdue=true&org_id=" + Id(org_);
  EXPECT_EQ(Get(resident_, a).json.at("application").at("due_at_ms").as_int64(), t0 + 3 * kDayMs);

  server_.clock().Advance(kDayMs);
  ASSERT_EQ(Act(staff_, a, "accept", json::object{{"worker_user_id", worker_id}}).status, 200);
  server_.clock().Advance(kDayMs);
  ASSERT_EQ(Act(worker_, a, "close", json::object{{"outcome", "已完成"}}).status, 200);
  // Reopened five days later, past the first due time: that one was met and does not count.
  server_.clock().Advance(5 * kDayMs);
  const int64_t reopened_at = server_.clock().NowMs();
  auto reopened = Act(resident_, a, "reopen", json::object{{"reason", "问题又出现了"}});
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  const auto& app = reopened.json.at("application");
  EXPECT_EQ(app.at("status").as_string(), "accepted");
  EXPECT_EQ(app.at("due_at_ms").as_int64(), reopened_at + 3 * kDayMs);
  EXPECT_TRUE(app.at("first_response_at_ms").is_null());
  EXPECT_FALSE(app.at("overdue").as_bool());
  EXPECT_EQ(escalated(), 0u);

  // A minute before the new due time: still in time.
  server_.clock().Advance(3 * kDayMs - kMinuteMs);
  EXPECT_FALSE(Get(resident_, a).json.at("application").at("overdue").as_bool());
  EXPECT_TRUE(staff_.Get(overdue_inbox).json.at("applications").as_array().empty());
  EXPECT_EQ(escalated(), 0u);

  // Two minutes later the response is late: flagged, in the overdue inbox and escalated.
  server_.clock().Advance(2 * kMinuteMs);
  EXPECT_TRUE(Get(resident_, a).json.at("application").at("overdue").as_bool());
  auto late = staff_.Get(overdue_inbox).json.at("applications").as_array();
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].at("id").as_int64(), a);
  EXPECT_EQ(escalated(), 1u);

  // The worker's message is the response owed: no longer overdue, and it counts from now.
  const int64_t answered_at = server_.clock().NowMs();
  auto msg = worker_.Post("/api/v1/casework/applications/" + Id(a) + "/messages", json::object{{"body", "明天再来看您"}});
  ASSERT_EQ(msg.status, 201) << msg.body;
  const auto after = Get(resident_, a).json.at("application");
  EXPECT_FALSE(after.at("overdue").as_bool());
  EXPECT_EQ(after.at("first_response_at_ms").as_int64(), answered_at);
  EXPECT_TRUE(staff_.Get(overdue_inbox).json.at("applications").as_array().empty());
  EXPECT_EQ(escalated(), 0u);
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

// ---- Sensitive fields: reads audited, values bound to their row ----

TEST_F(CaseworkApiTest, ReadingSensitiveFieldsInClearIsAuditedWithWhoWhichApplicationAndAddressButNoValue) {
  const int64_t id = Apply(Application());
  const int64_t worker_id = Count(server_, "SELECT id FROM users WHERE phone = '13700000102'");
  const auto reads = [&] {
    return Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'casework.sensitive.read'");
  };
  // The applicant reading their own data, staff seeing masks: not a reading to log.
  EXPECT_TRUE(Get(resident_, id).json.at("application").at("sensitive_visible").as_bool());
  EXPECT_FALSE(Get(staff_, id).json.at("application").at("sensitive_visible").as_bool());
  ASSERT_EQ(Act(staff_, id, "accept", json::object{{"worker_user_id", worker_id}}).status, 200);
  EXPECT_EQ(reads(), 0);

  // The assigned worker opens it: one entry per reading.
  server_.clock().Advance(kMinuteMs);
  auto seen = Get(worker_, id);
  ASSERT_EQ(seen.json.at("application").at("sensitive").at("health_condition").as_string(), kHealth);
  EXPECT_EQ(reads(), 1);
  EXPECT_EQ(Count(server_, "SELECT actor_user_id FROM audit_log WHERE action = 'casework.sensitive.read'"), worker_id);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'casework.sensitive.read' AND "
                           "target_type = 'casework_application' AND target_id = '" + Id(id) +
                               "' AND ip = '127.0.0.1' AND at_ms = " + Id(server_.clock().NowMs())),
            1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'casework.sensitive.read' AND "
                           "detail_json = '{\"fields\":[\"health_condition\",\"id_number\"]}'"),
            1);
  Get(worker_, id);
  EXPECT_EQ(reads(), 2);

  // Lists never carry the fields in clear, to anyone but the applicant, so they log nothing.
  auto inbox = worker_.Get("/api/v1/casework/inbox?org_id=" + Id(org_)).json.at("applications").as_array();
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_FALSE(inbox[0].at("sensitive_visible").as_bool());
  EXPECT_EQ(inbox[0].at("sensitive").at("health_condition").as_string(), "***");
  EXPECT_EQ(reads(), 2);

  // The worker's own action answers in clear: logged in the same transaction.
  auto closed = Act(worker_, id, "close", json::object{{"outcome", "已完成"}});
  ASSERT_EQ(closed.status, 200);
  EXPECT_TRUE(closed.json.at("application").at("sensitive_visible").as_bool());
  EXPECT_EQ(reads(), 3);
  for (const char* needle : {kHealth, kIdNumber, "0519491231"}) {
    EXPECT_EQ(Count(server_, std::string("SELECT COUNT(*) FROM audit_log WHERE detail_json LIKE '%") + needle + "%'"),
              0);
  }
}

TEST_F(CaseworkApiTest, AuditEntriesOfCaseworkCarryTheClientAddress) {
  const int64_t a = Apply(Application(false));
  ASSERT_EQ(Act(staff_, a, "refer", json::object{{"service_id", other_service_}, {"reason", "需要日间照料"}}).status, 200);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'casework.%' AND ip <> '127.0.0.1'"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'casework.service.created'"), 2);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'casework.application.referred'"), 1);
}

TEST_F(CaseworkApiTest, SwappingTwoApplicationsSealedValuesInTheDatabaseOpensNeither) {
  const int64_t mine = Apply(Application());
  json::object second = Application();
  second["sensitive"].as_object()["health_condition"] = "糖尿病";
  Client neighbour = UserWith(server_, "13700000109");
  auto theirs_r = neighbour.Post("/api/v1/casework/applications", second);
  ASSERT_EQ(theirs_r.status, 201) << theirs_r.body;
  const int64_t theirs = theirs_r.json.at("application").at("id").as_int64();
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE sensitive_box LIKE 'v2:%'"), 2);

  // Someone with write access to the database swaps the two sealed values.
  Tamper([&](db::Tx& tx) {
    const std::string a = tx.Query("SELECT sensitive_box FROM casework_applications WHERE id = $1", {mine}).front().Text(0);
    const std::string b =
        tx.Query("SELECT sensitive_box FROM casework_applications WHERE id = $1", {theirs}).front().Text(0);
    tx.Exec("UPDATE casework_applications SET sensitive_box = $2 WHERE id = $1", {mine, b});
    tx.Exec("UPDATE casework_applications SET sensitive_box = $2 WHERE id = $1", {theirs, a});
  });
  for (auto [client, id, other] : {std::tuple{&resident_, mine, "糖尿病"}, std::tuple{&neighbour, theirs, kHealth}}) {
    auto r = Get(*client, id);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto& app = r.json.at("application");
    EXPECT_TRUE(app.at("has_sensitive").as_bool());
    EXPECT_TRUE(app.at("sensitive_unreadable").as_bool());
    EXPECT_FALSE(app.at("sensitive_visible").as_bool());
    EXPECT_TRUE(app.at("sensitive").is_null());
    EXPECT_EQ(r.body.find(other), std::string::npos) << "the other person's data";
    EXPECT_EQ(r.body.find(kIdNumber), std::string::npos);
  }
  // Nor for staff (masks come from the opened value), nor in the applicant's export.
  auto staff_view = Get(staff_, mine).json.at("application");
  EXPECT_TRUE(staff_view.at("sensitive").is_null());
  EXPECT_TRUE(staff_view.at("sensitive_unreadable").as_bool());
  auto exported = resident_.Get("/api/v1/me/export");
  EXPECT_TRUE(exported.json.at("casework").at("applications").as_array()[0].at("sensitive").is_null());
  EXPECT_EQ(exported.body.find("糖尿病"), std::string::npos);
}

TEST_F(CaseworkApiTest, ValuesSealedInTheOldFormatAreResealedBoundAtStartUpAndStillReadable) {
  const int64_t a = Apply(Application());
  const int64_t b = Apply(Application());
  const int64_t plain = Apply(Application(false));
  const std::string key = *ParseDataKey(server_.app().config().casework.data_key);
  // As a server before this release left them: secretbox, bound to nothing.
  const std::string legacy_a = Seal(key, casework::SensitiveJson({kHealth, kIdNumber}));
  const std::string legacy_b = Seal(key, casework::SensitiveJson({"糖尿病", ""}));
  Tamper([&](db::Tx& tx) {
    tx.Exec("UPDATE casework_applications SET sensitive_box = $2 WHERE id = $1", {a, legacy_a});
    tx.Exec("UPDATE casework_applications SET sensitive_box = $2 WHERE id = $1", {b, legacy_b});
    tx.Exec("DELETE FROM platform_settings WHERE key = 'casework.sensitive_box_format'");
  });
  // A value in the old format is not opened by a running server (after the
  // re-sealing none remain, so one found later was copied in from elsewhere).
  EXPECT_TRUE(Get(resident_, a).json.at("application").at("sensitive_unreadable").as_bool());

  // The next start re-seals them, bound to their rows, before answering anyone.
  {
    auto restarted = app::App::Open(server_.app().config(), server_.clock());
    ASSERT_TRUE(restarted.ok()) << restarted.error().key;
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE sensitive_box LIKE 'v2:%'"), 2);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE id = " + Id(plain) +
                               " AND sensitive_box IS NULL"),
            1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM platform_settings WHERE key = 'casework.sensitive_box_format' AND "
                           "value = 'bound'"),
            1);
  auto ra = Get(resident_, a).json.at("application");
  EXPECT_FALSE(ra.at("sensitive_unreadable").as_bool());
  EXPECT_EQ(ra.at("sensitive").at("health_condition").as_string(), kHealth);
  EXPECT_EQ(ra.at("sensitive").at("id_number").as_string(), kIdNumber);
  EXPECT_EQ(Get(resident_, b).json.at("application").at("sensitive").at("health_condition").as_string(), "糖尿病");

  // Idempotent: another pass (the mark removed again) finds nothing to do.
  Tamper([&](db::Tx& tx) {
    tx.Exec("DELETE FROM platform_settings WHERE key = 'casework.sensitive_box_format'");
  });
  const std::string before = db::ReadSync(server_.app().store(), [&](db::Tx& tx) -> Result<std::string> {
                               return tx.Query("SELECT sensitive_box FROM casework_applications WHERE id = $1", {a})
                                   .front()
                                   .Text(0);
                             }).value();
  auto again = server_.app().casework().ResealUnbound();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(db::ReadSync(server_.app().store(), [&](db::Tx& tx) -> Result<std::string> {
              return tx.Query("SELECT sensitive_box FROM casework_applications WHERE id = $1", {a}).front().Text(0);
            }).value(),
            before);
}

// ---- Races: every transition decided once, on PostgreSQL across two servers ----

class CaseworkRaceTest : public CaseworkApiTest {
 protected:
  // This server's casework service, and on PostgreSQL a second server's.
  std::vector<casework::CaseworkService*> Servers() {
    std::vector<casework::CaseworkService*> out{&server_.app().casework()};
    if (!second_) {
      second_ = SecondApp(server_);
    }
    if (second_) {
      out.push_back(&second_->casework());
    }
    return out;
  }

  accounts::Principal As(const std::string& phone, std::optional<int64_t> staff_of) {
    accounts::Principal p;
    p.user_id = Count(server_, "SELECT id FROM users WHERE phone = '" + phone + "'");
    if (staff_of) {
      p.roles.push_back(RoleGrant{Role::kOrgStaff, *staff_of});
    }
    return p;
  }

  int64_t Timeline(int64_t id, const std::string& kind) {
    return Count(server_, "SELECT COUNT(*) FROM casework_timeline WHERE application_id = " + Id(id) + " AND kind = '" +
                              kind + "'");
  }

  std::unique_ptr<app::App> second_;
};

TEST_F(CaseworkRaceTest, TwoStaffAcceptingOneApplicationAtOnceGiveOneAcceptanceAndOneConflict) {
  const auto servers = Servers();
  const accounts::Principal staff = As("13700000101", org_), worker = As("13700000102", org_);
  for (int round = 0; round < 10; ++round) {
    const int64_t id = Apply(Application());
    std::vector<Result<casework::View>> results(2, Error::Internal("not run"));
    RunAtOnce(2, [&](size_t i) -> asio::awaitable<void> {
      // Each assigns someone else: the winner's choice is the one kept.
      const accounts::Principal& who = i == 0 ? staff : worker;
      std::string ip = "203.0.113.7";  // named inside co_await (g++ 12 trap)
      results[i] = co_await servers[i % servers.size()]->Accept(who, id, i == 0 ? worker.user_id : staff.user_id,
                                                                std::move(ip));
    });
    ASSERT_EQ(results[0].ok() + results[1].ok(), 1) << "round " << round;
    const size_t winner = results[0].ok() ? 0 : 1;
    EXPECT_EQ(results[1 - winner].error().key, "invalid_transition");
    EXPECT_EQ(http::StatusFor(results[1 - winner].error().code), 409);
    EXPECT_EQ(Count(server_, "SELECT worker_id FROM casework_applications WHERE id = " + Id(id)),
              winner == 0 ? worker.user_id : staff.user_id);
    EXPECT_EQ(Timeline(id, "accepted"), 1);
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'casework_update' AND "
                             "params_json LIKE '%\"application_id\":" + Id(id) + ",%'"),
              1);
  }
}

TEST_F(CaseworkRaceTest, ClosingRacingAReferralEndsInExactlyOneOfThem) {
  const auto servers = Servers();
  const accounts::Principal staff = As("13700000101", org_), worker = As("13700000102", org_);
  for (int round = 0; round < 10; ++round) {
    const int64_t id = Apply(Application());
    ASSERT_EQ(Act(staff_, id, "accept", json::object{{"worker_user_id", worker.user_id}}).status, 200);
    Result<casework::View> closed = Error::Internal("not run"), referred = Error::Internal("not run");
    RunAtOnce(2, [&](size_t i) -> asio::awaitable<void> {
      casework::CaseworkService& svc = *servers[i % servers.size()];
      if (i == 0) {
        std::string outcome = "已完成", ip = "203.0.113.7";  // named inside co_await (g++ 12 trap)
        closed = co_await svc.Close(worker, id, std::move(outcome), std::move(ip));
      } else {
        std::string reason = "需要日间照料", ip = "203.0.113.8";
        referred = co_await svc.Refer(staff, id, other_service_, std::move(reason), std::move(ip));
      }
    });
    ASSERT_EQ(closed.ok() + referred.ok(), 1) << "round " << round;
    const std::string status = Get(resident_, id).json.at("application").at("status").as_string().c_str();
    if (closed.ok()) {
      EXPECT_EQ(referred.error().key, "invalid_transition");
      EXPECT_EQ(status, "closed");
      EXPECT_EQ(Timeline(id, "referred"), 0);
    } else {
      EXPECT_EQ(closed.error().key, "application_not_found");  // no longer theirs
      EXPECT_EQ(status, "submitted");
      EXPECT_EQ(Count(server_, "SELECT org_id FROM casework_applications WHERE id = " + Id(id)), other_org_);
      EXPECT_EQ(Timeline(id, "closed"), 0);
    }
  }
}

TEST_F(CaseworkRaceTest, AMessageRacingTheCloseNeverLandsOnAClosedApplication) {
  const auto servers = Servers();
  const accounts::Principal worker = As("13700000102", org_), applicant = As("13700000104", std::nullopt);
  for (int round = 0; round < 10; ++round) {
    const int64_t id = Apply(Application(false));
    ASSERT_EQ(Act(staff_, id, "accept", json::object{{"worker_user_id", worker.user_id}}).status, 200);
    Result<casework::View> closed = Error::Internal("not run");
    Result<casework::Message> posted = Error::Internal("not run");
    RunAtOnce(2, [&](size_t i) -> asio::awaitable<void> {
      casework::CaseworkService& svc = *servers[i % servers.size()];
      if (i == 0) {
        std::string outcome = "已完成", ip = "203.0.113.7";  // named inside co_await (g++ 12 trap)
        closed = co_await svc.Close(worker, id, std::move(outcome), std::move(ip));
      } else {
        std::string body = "还有一件事";
        posted = co_await svc.PostMessage(applicant, id, std::move(body));
      }
    });
    ASSERT_TRUE(closed.ok());
    if (!posted.ok()) {
      EXPECT_EQ(posted.error().key, "application_closed");
    }
    // Whatever the order, the timeline ends with the closing.
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_timeline WHERE application_id = " + Id(id) +
                                 " AND id > (SELECT id FROM casework_timeline WHERE application_id = " + Id(id) +
                                 " AND kind = 'closed')"),
              0)
        << "round " << round;
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_messages WHERE application_id = " + Id(id)),
              posted.ok() ? 1 : 0);
  }
}

TEST_F(CaseworkRaceTest, RatingsAndReopeningsAtOnceCountOnce) {
  const auto servers = Servers();
  const accounts::Principal worker = As("13700000102", org_), applicant = As("13700000104", std::nullopt);
  const int64_t id = Apply(Application(false));
  ASSERT_EQ(Act(staff_, id, "accept", json::object{{"worker_user_id", worker.user_id}}).status, 200);
  ASSERT_EQ(Act(worker_, id, "close", json::object{{"outcome", "已完成"}}).status, 200);
  // Six of `action` at once: one succeeds, every other is told `loser_key`.
  const auto six_at_once = [&](const std::string& loser_key,
                               const std::function<asio::awaitable<Result<casework::View>>(casework::CaseworkService&,
                                                                                           size_t)>& action) {
    std::vector<Result<casework::View>> results(6, Error::Internal("not run"));
    RunAtOnce(results.size(), [&](size_t i) -> asio::awaitable<void> {
      results[i] = co_await action(*servers[i % servers.size()], i);
    });
    int ok = 0;
    for (const auto& r : results) {
      ok += r.ok();
      if (!r.ok()) {
        EXPECT_EQ(r.error().key, loser_key);
      }
    }
    return ok;
  };
  EXPECT_EQ(six_at_once("already_rated",
                        [&](casework::CaseworkService& svc, size_t i) {
                          return svc.Rate(applicant, id, static_cast<int64_t>(i % 5) + 1, "", "203.0.113.7");
                        }),
            1);
  EXPECT_EQ(Timeline(id, "rated"), 1);
  EXPECT_EQ(six_at_once("invalid_transition",
                        [&](casework::CaseworkService& svc, size_t) {
                          return svc.Reopen(applicant, id, "问题又出现了", "203.0.113.7");
                        }),
            1);
  EXPECT_EQ(Timeline(id, "reopened"), 1);
}

TEST_F(CaseworkApiTest, TheRetentionPurgeSkipsAnApplicationReopenedAfterItWasFound) {
  const int64_t id = Apply(Application());
  const int64_t worker_id = Count(server_, "SELECT id FROM users WHERE phone = '13700000102'");
  ASSERT_EQ(Act(staff_, id, "accept", json::object{{"worker_user_id", worker_id}}).status, 200);
  ASSERT_EQ(Act(worker_, id, "close", json::object{{"outcome", "已完成"}}).status, 200);
  server_.clock().Advance(kDayMs);
  const int64_t now = server_.clock().NowMs();
  // The purge finds it finished before its cut-off; meanwhile another server
  // reopens it; the purge's write must then leave it alone.
  auto purged = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<bool> {
    const auto due = casework::repo::DueForPurge(tx, now, 10);
    EXPECT_EQ(due, std::vector<int64_t>{id});
    EXPECT_TRUE(casework::repo::Reopen(tx, id, now + 3 * kDayMs, now));
    return casework::repo::PurgeSensitive(tx, id, now, now);
  });
  ASSERT_TRUE(purged.ok());
  EXPECT_FALSE(*purged);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE sensitive_box IS NOT NULL"), 1);
}

TEST_F(CaseworkApiTest, TheDatabaseRefusesAnAcceptedApplicationWithoutAWorkerOrARatingBeforeTheClose) {
  const int64_t id = Apply(Application(false));
  for (const char* sql : {"UPDATE casework_applications SET status = 'accepted' WHERE id = $1",
                          "UPDATE casework_applications SET rating = 5 WHERE id = $1",
                          "UPDATE casework_applications SET status = 'declined' WHERE id = $1"}) {
    EXPECT_THROW(db::WriteSync(server_.app().store(),
                               [&](db::Tx& tx) -> Result<bool> {
                                 tx.Exec(sql, {id});
                                 return true;
                               }),
                 db::DbError)
        << sql;
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM casework_applications WHERE status = 'submitted' AND rating IS NULL"),
            1);
}

}  // namespace
}  // namespace carecity::testing
