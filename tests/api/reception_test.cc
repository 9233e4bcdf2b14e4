// 党员接待室 over HTTP (issue 13): the village's staff open a room and put
// party members of the village on its duty roster; the member on duty
// records visits — the resident's name and phone only with their consent,
// sealed, in clear to the recorder alone; a visit is referred in one step
// to a casework service application, exactly once even when retried or
// raced; monthly counts per room and village carry no personal data.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <set>

#include "domains/reception/model.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }
std::string Id(int64_t v) { return std::to_string(v); }

class ReceptionTest : public ::testing::Test {
 protected:
  ReceptionTest()
      : village_a_(InsertVillage(server_, "叠滘村", true, true)),
        village_b_(InsertVillage(server_, "平东村", true, true)),
        org_(InsertOrg(server_, "博睿社工服务中心", "52440605MJ0017001A")),
        trainer_(UserWith(server_, "13800017001", {RoleGrant{Role::kTrainer}})),
        staff_a_(UserWith(server_, "13800017002", {VillageStaff(village_a_)})),
        staff_b_(UserWith(server_, "13800017003", {VillageStaff(village_b_)})),
        org_staff_(UserWith(server_, "13800017004", {OrgStaff(org_)})),
        member_(UserWith(server_, "13800017010")),
        member_2_(UserWith(server_, "13800017011")),
        member_b_(UserWith(server_, "13800017012")),
        outsider_(UserWith(server_, "13800017013")),
        anon_(server_) {
    Register("13800017010", village_a_);
    Register("13800017011", village_a_);
    Register("13800017012", village_b_);
    member_id_ = UserId("13800017010");
    member_2_id_ = UserId("13800017011");
    member_b_id_ = UserId("13800017012");
    auto s = org_staff_.Post("/api/v1/casework/services", json::object{{"org_id", org_},
                                                                      {"name", "长者个案服务"},
                                                                      {"description", "独居长者的个案跟进"},
                                                                      {"village_ids", json::array{}},
                                                                      {"response_days", 3}});
    EXPECT_EQ(s.status, 201) << s.body;
    service_ = s.json.at("service").at("id").as_int64();
    auto r = staff_a_.Post("/api/v1/reception/rooms", json::object{{"village_id", village_a_},
                                                                   {"name", "叠滘村党员接待室"},
                                                                   {"address", "叠滘村党群服务站一楼"},
                                                                   {"opening_hours", "周一至周五 9:00-12:00"}});
    EXPECT_EQ(r.status, 201) << r.body;
    room_ = r.json.at("room").at("id").as_int64();
    auto d = Put(staff_a_, R(room_, "/duty"),
                 json::object{{"duty", json::array{json::object{{"user_id", member_id_}, {"weekday", 1}},
                                                   json::object{{"user_id", member_2_id_}, {"weekday", 3}}}}});
    EXPECT_EQ(d.status, 200) << d.body;
  }

  void Register(const std::string& phone, int64_t village) {
    auto r = trainer_.Post("/api/v1/training/members", json::object{{"phone", phone}, {"village_id", village}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  int64_t UserId(const std::string& phone) {
    return Count(server_, "SELECT id FROM users WHERE phone = '" + phone + "'");
  }

  static std::string R(int64_t room, const std::string& tail = "") {
    return "/api/v1/reception/rooms/" + Id(room) + tail;
  }
  static std::string V(const std::string& visit, const std::string& tail = "") {
    return "/api/v1/reception/visits/" + visit + tail;
  }

  json::object VisitBody(bool consent = true, const std::string& category = "elderly") {
    json::object b{{"room_id", room_},
                   {"category", category},
                   {"summary", "独居老人腿脚不便，希望有人定期上门探访"},
                   {"action_taken", "登记情况，联系了网格员"},
                   {"consent", json::object{{"name_phone", consent}}}};
    if (consent) {
      b["resident"] = json::object{{"name", "陈桂英"}, {"phone", "139 1234 5678"}};
    }
    return b;
  }

  std::string Record(Client& c, json::object body) {
    auto r = c.Post("/api/v1/reception/visits", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("visit").at("id")) : "";
  }

  json::object ReferBody() { return json::object{{"service_id", service_}, {"consent", true}, {"note", "需要社工上门评估"}}; }

  int64_t Visits() { return Count(server_, "SELECT COUNT(*) FROM reception_visits"); }
  int64_t Applications() { return Count(server_, "SELECT COUNT(*) FROM casework_applications"); }

  TestServer server_;
  int64_t village_a_;
  int64_t village_b_;
  int64_t org_;
  Client trainer_;
  Client staff_a_;
  Client staff_b_;
  Client org_staff_;
  Client member_;
  Client member_2_;
  Client member_b_;
  Client outsider_;
  Client anon_;
  int64_t member_id_ = 0;
  int64_t member_2_id_ = 0;
  int64_t member_b_id_ = 0;
  int64_t service_ = 0;
  int64_t room_ = 0;
};

TEST_F(ReceptionTest, OnlyTheVillagesStaffOpenARoomAndTheRosterTakesOnlyItsPartyMembers) {
  const json::object body{{"village_id", village_a_}, {"name", "第二接待点"}};
  EXPECT_EQ(anon_.Post("/api/v1/reception/rooms", body).status, 401);
  EXPECT_EQ(member_.Post("/api/v1/reception/rooms", body).status, 403);
  EXPECT_EQ(staff_b_.Post("/api/v1/reception/rooms", body).status, 403);
  auto bad = staff_a_.Post("/api/v1/reception/rooms", json::object{{"village_id", village_a_}, {"name", ""}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "name");
  EXPECT_EQ(staff_a_.Post("/api/v1/reception/rooms", json::object{{"village_id", 999999}, {"name", "x"}}).status, 403);
  EXPECT_EQ(trainer_.Post("/api/v1/reception/rooms", json::object{{"village_id", 999999}, {"name", "x"}})
                .error_code(),
            "village_not_found");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM reception_rooms"), 1);

  // A member of another village (or no party member at all) refuses the whole roster.
  const json::object roster{{"duty", json::array{json::object{{"user_id", member_id_}, {"weekday", 2}},
                                                 json::object{{"user_id", member_b_id_}, {"weekday", 4}}}}};
  auto refused = Put(staff_a_, R(room_, "/duty"), roster);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "reception.not_party_member");
  EXPECT_EQ(refused.error_field(), "duty[1].user_id");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM reception_duty"), 2);  // the old roster stands
  EXPECT_EQ(Put(staff_b_, R(room_, "/duty"), json::object{{"duty", json::array{}}}).status, 403);
  EXPECT_EQ(Put(member_, R(room_, "/duty"), json::object{{"duty", json::array{}}}).status, 403);
  // The same slot twice is one slot, not a refusal.
  auto twice = Put(staff_a_, R(room_, "/duty"),
                   json::object{{"duty", json::array{json::object{{"user_id", member_id_}, {"weekday", 1}},
                                                     json::object{{"user_id", member_id_}, {"weekday", 1}},
                                                     json::object{{"user_id", member_2_id_}, {"weekday", 3}}}}});
  EXPECT_EQ(twice.status, 200) << twice.body;
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM reception_duty"), 2);
  auto weekday = Put(staff_a_, R(room_, "/duty"),
                     json::object{{"duty", json::array{json::object{{"user_id", member_id_}, {"weekday", 7}}}}});
  EXPECT_EQ(weekday.status, 400);
  EXPECT_EQ(weekday.error_field(), "duty[0].weekday");

  // Who serves when: the staff and the members on duty see it (phones masked); others do not.
  auto seen = staff_a_.Get(R(room_));
  ASSERT_EQ(seen.status, 200);
  const json::array& duty = seen.json.at("room").at("duty").as_array();
  ASSERT_EQ(duty.size(), 2u);
  EXPECT_EQ(Str(duty[0].at("phone")), "138****7010");
  EXPECT_TRUE(member_.Get(R(room_)).json.at("room").at("on_duty").as_bool());
  EXPECT_TRUE(outsider_.Get(R(room_)).json.at("room").at("duty").as_array().empty());
  EXPECT_EQ(anon_.Get("/api/v1/reception/rooms").status, 401);
  EXPECT_EQ(outsider_.Get(R(99999)).error_code(), "training.room_not_found");
}

TEST_F(ReceptionTest, TheResidentsNameAndPhoneAreKeptOnlyWithConsentAndShownOnlyToTheRecorder) {
  // Without consent a name or phone is refused, and nothing is written.
  json::object no_consent = VisitBody(false);
  no_consent["resident"] = json::object{{"name", "陈桂英"}};
  auto refused = member_.Post("/api/v1/reception/visits", no_consent);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.error_code(), "reception.consent_required");
  EXPECT_EQ(Visits(), 0);
  // Not on the roster, another village's staff, signed out: refused.
  EXPECT_EQ(member_b_.Post("/api/v1/reception/visits", VisitBody()).status, 403);
  EXPECT_EQ(staff_b_.Post("/api/v1/reception/visits", VisitBody()).status, 403);
  EXPECT_EQ(anon_.Post("/api/v1/reception/visits", VisitBody()).status, 401);
  EXPECT_EQ(member_.Post("/api/v1/reception/visits", VisitBody(true, "gossip")).error_field(), "category");
  json::object future = VisitBody();
  future["visited_at_ms"] = server_.clock().NowMs() + kDay;
  EXPECT_EQ(member_.Post("/api/v1/reception/visits", future).error_field(), "visited_at_ms");
  json::object bad_phone = VisitBody();
  bad_phone["resident"] = json::object{{"name", "陈桂英"}, {"phone", "12345"}};
  EXPECT_EQ(member_.Post("/api/v1/reception/visits", bad_phone).error_field(), "resident.phone");
  EXPECT_EQ(Visits(), 0);

  // An anonymous visit keeps no name or phone at all.
  const std::string anonymous = Record(member_, VisitBody(false, "dispute"));
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM reception_visits WHERE resident_name_sealed IS NOT NULL OR "
                           "resident_phone_sealed IS NOT NULL"),
            0);
  EXPECT_TRUE(member_.Get(V(anonymous)).json.at("visit").at("resident").is_null());

  // With consent: sealed at rest, clear to the recorder only.
  auto made = member_.Post("/api/v1/reception/visits", VisitBody());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string visit = Str(made.json.at("visit").at("id"));
  EXPECT_EQ(Str(made.json.at("visit").at("resident").at("name")), "陈桂英");
  EXPECT_EQ(Str(made.json.at("visit").at("resident").at("phone")), "13912345678");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM reception_visits WHERE resident_phone_sealed LIKE '%13912345678%' "
                           "OR resident_name_sealed LIKE '%陈桂英%'"),
            0);
  for (Client* c : {&staff_a_, &member_2_}) {
    auto r = c->Get(V(visit));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(Str(r.json.at("visit").at("resident").at("phone")), "139****5678");
    EXPECT_EQ(r.body.find("陈桂英"), std::string::npos);
    EXPECT_EQ(r.body.find("13912345678"), std::string::npos);
    EXPECT_FALSE(r.json.at("visit").at("resident_visible").as_bool());
  }
  auto listed = staff_a_.Get("/api/v1/reception/visits?village_id=" + Id(village_a_));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json.at("visits").as_array().size(), 2u);
  EXPECT_EQ(listed.body.find("13912345678"), std::string::npos);
  // Anyone else: the visit does not exist for them.
  EXPECT_EQ(outsider_.Get(V(visit)).error_code(), "reception.visit_not_found");
  EXPECT_EQ(staff_b_.Get(V(visit)).status, 404);
  EXPECT_EQ(member_b_.Get(V(visit)).status, 404);
  EXPECT_EQ(trainer_.Get(V(visit)).status, 404);
  EXPECT_EQ(anon_.Get(V(visit)).status, 401);
  EXPECT_EQ(outsider_.Get(V("1")).status, 404);
  EXPECT_EQ(staff_b_.Get("/api/v1/reception/visits?village_id=" + Id(village_a_)).status, 403);
  EXPECT_EQ(outsider_.Get("/api/v1/reception/visits?room_id=" + Id(room_)).status, 403);
  EXPECT_TRUE(outsider_.Get("/api/v1/reception/visits").json.at("visits").as_array().empty());
  EXPECT_EQ(member_2_.Get("/api/v1/reception/visits").json.at("visits").as_array().size(), 2u);

  // Resolving: those who see it; others 404.
  EXPECT_EQ(outsider_.Post(V(visit, "/resolve"), json::object{}).status, 404);
  auto resolved = member_2_.Post(V(visit, "/resolve"), json::object{});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_TRUE(resolved.json.at("visit").at("resolved").as_bool());
}

TEST_F(ReceptionTest, AReferralCreatesExactlyOneApplicationAndIsSafeToReplay) {
  const std::string anonymous = Record(member_, VisitBody(false));
  const std::string visit = Record(member_, VisitBody());
  const std::map<std::string, std::string> key{{"Idempotency-Key", "refer-visit-0001"}};

  json::object no_consent = ReferBody();
  no_consent["consent"] = false;
  EXPECT_EQ(member_.Post(V(visit, "/refer"), no_consent, key).error_code(), "reception.referral_consent_required");
  EXPECT_EQ(member_.Post(V(anonymous, "/refer"), ReferBody()).error_code(), "reception.contact_required");
  EXPECT_EQ(outsider_.Post(V(visit, "/refer"), ReferBody()).status, 404);
  EXPECT_EQ(staff_b_.Post(V(visit, "/refer"), ReferBody()).status, 404);
  EXPECT_EQ(anon_.Post(V(visit, "/refer"), ReferBody()).status, 401);
  json::object no_service = ReferBody();
  no_service["service_id"] = 999999;
  EXPECT_EQ(member_.Post(V(visit, "/refer"), no_service).error_code(), "service_not_found");
  EXPECT_EQ(Applications(), 0);

  auto first = member_.Post(V(visit, "/refer"), ReferBody(), key);
  ASSERT_EQ(first.status, 201) << first.body;
  const int64_t application = first.json.at("application_id").as_int64();
  // The same request again (a retry after a lost answer): the same application.
  auto again = member_.Post(V(visit, "/refer"), ReferBody(), key);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json.at("application_id").as_int64(), application);
  // The same key for another request; another key for the same visit: refused.
  json::object other = ReferBody();
  other["note"] = "另一份说明";
  EXPECT_EQ(member_.Post(V(visit, "/refer"), other, key).error_code(), "idempotency_key_reused");
  EXPECT_EQ(member_2_.Post(V(visit, "/refer"), ReferBody(), {{"Idempotency-Key", "refer-visit-0002"}}).error_code(),
            "reception.already_referred");
  EXPECT_EQ(Applications(), 1);

  // The organisation receives it: the resident as the beneficiary with the
  // phone to call (its staff handle it), the member as the applicant.
  const std::string app_url = "/api/v1/casework/applications/" + Id(application);
  auto inbox = org_staff_.Get(app_url);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  EXPECT_EQ(Str(inbox.json.at("application").at("service").at("name")), "长者个案服务");
  EXPECT_EQ(Str(inbox.json.at("application").at("beneficiary_name")), "陈桂英");
  EXPECT_EQ(Str(inbox.json.at("application").at("contact_phone")), "13912345678");
  // Another organisation's staff do not see it at all.
  EXPECT_EQ(UserWith(server_, "13800017020", {OrgStaff(InsertOrg(server_, "启创社工", "52440605MJ0017002B"))})
                .Get(app_url)
                .status,
            404);
  EXPECT_EQ(Count(server_, "SELECT applicant_id FROM casework_applications"), member_id_);
  EXPECT_EQ(Count(server_, "SELECT village_id FROM casework_applications"), village_a_);

  // The log shows the outcome later.
  const int64_t worker = Count(server_, "SELECT id FROM users WHERE phone = '13800017004'");
  ASSERT_EQ(org_staff_.Post(app_url + "/accept", json::object{{"worker_user_id", worker}}).status, 200);
  ASSERT_EQ(org_staff_.Post(app_url + "/close", json::object{{"outcome", "已安排每周上门探访"}}).status, 200);
  auto log = staff_a_.Get(V(visit));
  ASSERT_EQ(log.status, 200);
  const json::value& referral = log.json.at("visit").at("referral");
  EXPECT_EQ(referral.at("application_id").as_int64(), application);
  EXPECT_EQ(Str(referral.at("status")), "closed");
  EXPECT_EQ(Str(referral.at("outcome")), "已安排每周上门探访");
  EXPECT_EQ(Str(referral.at("org_name")), "博睿社工服务中心");
  EXPECT_FALSE(log.json.at("visit").at("can_refer").as_bool());
}

// Two servers on one PostgreSQL refer one visit at once, with different keys
// and with one key: one application either way.
TEST_F(ReceptionTest, ReferralsRacingOnTwoServersMakeOneApplication) {
  auto second = SecondApp(server_);
  Principal member;
  member.user_id = member_id_;
  member.display_name = "测试7010";
  for (const bool same_key : {false, true}) {
    const std::string visit = Record(member_, VisitBody());
    std::atomic<int> ok{0}, refused{0}, other{0};
    std::mutex m;
    std::set<int64_t> ids;
    RunAtOnce(6, [&](size_t i) -> boost::asio::awaitable<void> {
      reception::ReceptionService& r = (second && i % 2 == 1) ? second->reception() : server_.app().reception();
      const std::string key = same_key ? "race-same-key-1" : "race-key-" + std::to_string(i) + "xyz";
      auto res = co_await r.Refer(member, visit, service_, "", key, "127.0.0.1");
      if (res.ok()) {
        ++ok;
        std::lock_guard lock(m);
        ids.insert(res->application_id);
      } else if (res.error().key == "reception.already_referred" || res.error().key == "busy") {
        ++refused;
      } else {
        ++other;
        ADD_FAILURE() << res.error().key;
      }
    });
    if (same_key) {
      EXPECT_GE(ok.load(), 1);
    } else {
      EXPECT_EQ(ok.load(), 1);
    }
    EXPECT_EQ(ids.size(), 1u);
    EXPECT_EQ(other.load(), 0);
  }
  second.reset();
  EXPECT_EQ(Applications(), 2);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM reception_visits WHERE application_id IS NOT NULL"), 2);
}

TEST_F(ReceptionTest, MonthlyStatisticsCountVisitsReferralsAndResolutionsWithoutPeople) {
  const int64_t now = server_.clock().NowMs();
  const std::string month = reception::MonthOf(now);
  const std::string a = Record(member_, VisitBody(true, "elderly"));
  Record(member_2_, VisitBody(false, "elderly"));
  const std::string c = Record(staff_a_, VisitBody(false, "dispute"));
  ASSERT_EQ(member_.Post(V(a, "/refer"), ReferBody()).status, 201);
  ASSERT_EQ(staff_a_.Post(V(c, "/resolve"), json::object{}).status, 200);
  // A visit in another month does not count in this one.
  json::object earlier = VisitBody(false, "housing");
  earlier["visited_at_ms"] = now - 29 * kDay;
  Record(member_, earlier);
  const bool same_month = reception::MonthOf(now - 29 * kDay) == month;

  auto s = staff_a_.Get("/api/v1/reception/stats?month=" + month);
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_EQ(Str(s.json.at("month")), month);
  const json::value& room = s.json.at("rooms").as_array().at(0);
  EXPECT_EQ(room.at("visits").as_int64(), same_month ? 4 : 3);
  EXPECT_EQ(room.at("referred").as_int64(), 1);
  EXPECT_EQ(room.at("resolved").as_int64(), 1);
  EXPECT_EQ(room.at("by_category").at("elderly").as_int64(), 2);
  EXPECT_EQ(room.at("by_category").at("dispute").as_int64(), 1);
  EXPECT_EQ(s.json.at("villages").as_array().at(0).at("visits").as_int64(), same_month ? 4 : 3);
  EXPECT_EQ(s.body.find("陈桂英"), std::string::npos);

  // Staff see their own village only; overseers see all; residents nothing.
  EXPECT_EQ(staff_b_.Get("/api/v1/reception/stats?village_id=" + Id(village_a_)).status, 403);
  EXPECT_TRUE(staff_b_.Get("/api/v1/reception/stats").json.at("rooms").as_array().empty());
  EXPECT_EQ(member_.Get("/api/v1/reception/stats").status, 403);
  EXPECT_EQ(anon_.Get("/api/v1/reception/stats").status, 401);
  EXPECT_EQ(trainer_.Get("/api/v1/reception/stats?month=" + month).json.at("rooms").as_array().size(), 1u);
  EXPECT_EQ(trainer_.Get("/api/v1/reception/stats?month=2026-13").error_field(), "month");
  EXPECT_EQ(trainer_.Get("/api/v1/reception/visits?month=26-1").status, 400);
}

// Replacing a roster is one step: two servers replacing it at once leave
// one of the two rosters, never both merged.
TEST_F(ReceptionTest, RosterReplacementsRacingOnTwoServersLeaveOneRoster) {
  auto second = SecondApp(server_);
  Principal staff;
  staff.user_id = Count(server_, "SELECT id FROM users WHERE phone = '13800017002'");
  staff.roles.push_back(VillageStaff(village_a_));
  for (int round = 0; round < 5; ++round) {
    std::atomic<int> ok{0};
    RunAtOnce(6, [&](size_t i) -> boost::asio::awaitable<void> {
      reception::ReceptionService& r = (second && i % 2 == 1) ? second->reception() : server_.app().reception();
      std::vector<reception::DutyDraft> roster;
      if (i % 2 == 0) {
        roster = {{member_id_, 1}, {member_id_, 3}};
      } else {
        roster = {{member_2_id_, 2}, {member_2_id_, 4}};
      }
      auto res = co_await r.SetDuty(staff, room_, roster, "127.0.0.1");
      if (res.ok()) {
        ++ok;
      } else {
        EXPECT_EQ(res.error().key, "busy");
      }
    });
    EXPECT_GE(ok.load(), 1);
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM reception_duty"), 2) << "round " << round;
    EXPECT_EQ(Count(server_, "SELECT COUNT(DISTINCT user_id) FROM reception_duty"), 1) << "round " << round;
  }
  second.reset();
}

// The subdistrict's outcomes dashboard counts the rooms' work per village.
TEST_F(ReceptionTest, TheOutcomesDashboardCountsVisitsAndReferralsPerVillage) {
  const std::string a = Record(member_, VisitBody(true, "elderly"));
  Record(member_2_, VisitBody(false, "dispute"));
  ASSERT_EQ(member_.Post(V(a, "/refer"), ReferBody()).status, 201);

  EXPECT_EQ(anon_.Get("/api/v1/training/dashboard").status, 401);
  EXPECT_EQ(member_.Get("/api/v1/training/dashboard").status, 403);
  EXPECT_EQ(staff_a_.Get("/api/v1/training/dashboard").status, 403);
  EXPECT_EQ(trainer_.Get("/api/v1/training/dashboard?format=xml").error_field(), "format");
  auto d = trainer_.Get("/api/v1/training/dashboard");
  ASSERT_EQ(d.status, 200) << d.body;
  std::map<std::string, json::value> villages;
  for (const json::value& v : d.json.at("villages").as_array()) {
    villages[Str(v.at("village_name"))] = v;
  }
  ASSERT_EQ(villages.size(), 2u);
  EXPECT_EQ(villages["叠滘村"].at("members").as_int64(), 2);
  EXPECT_EQ(villages["叠滘村"].at("reception_visits").as_int64(), 2);
  EXPECT_EQ(villages["叠滘村"].at("referrals").as_int64(), 1);
  EXPECT_EQ(villages["平东村"].at("members").as_int64(), 1);
  EXPECT_EQ(villages["平东村"].at("reception_visits").as_int64(), 0);
  EXPECT_EQ(d.body.find("陈桂英"), std::string::npos);

  auto csv = trainer_.Get("/api/v1/training/dashboard?format=csv&table=villages");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  EXPECT_NE(csv.body.find("\"叠滘村\",2,0,0,0,0.0,2,1,0,0"), std::string::npos) << csv.body;
}

// A shift at the room is practice the room's village staff confirm.
TEST_F(ReceptionTest, AShiftAtTheRoomIsPracticeTheVillagesStaffConfirm) {
  auto logged = member_.Post("/api/v1/training/practice", json::object{{"kind", "reception"},
                                                                       {"room_id", room_},
                                                                       {"hours", 3},
                                                                       {"date_ms", server_.clock().NowMs()},
                                                                       {"place", "叠滘村党员接待室"},
                                                                       {"method", "casework"},
                                                                       {"note", "值班接待三位居民"}});
  ASSERT_EQ(logged.status, 201) << logged.body;
  const std::string practice = Str(logged.json.at("practice").at("id"));
  EXPECT_TRUE(staff_b_.Get("/api/v1/training/practice/pending").json.at("practice").as_array().empty());
  EXPECT_EQ(staff_b_.Post("/api/v1/training/practice/" + practice + "/confirm", json::object{}).status, 404);
  ASSERT_EQ(staff_a_.Get("/api/v1/training/practice/pending").json.at("practice").as_array().size(), 1u);
  auto confirmed = staff_a_.Post("/api/v1/training/practice/" + practice + "/confirm", json::object{});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(Str(confirmed.json.at("practice").at("status")), "confirmed");
}

TEST(ReceptionModel, MonthsAreChinaCalendarMonths) {
  const auto nov = reception::MonthRange("2026-11");
  ASSERT_TRUE(nov);
  // 2026-11-01 00:00 in China is 2026-10-31 16:00 UTC.
  EXPECT_EQ(nov->first, 1793462400000LL);
  EXPECT_EQ(nov->second - nov->first, 30 * kDay);
  EXPECT_EQ(reception::MonthOf(nov->first), "2026-11");
  EXPECT_EQ(reception::MonthOf(nov->first - 1), "2026-10");
  EXPECT_EQ(reception::MonthRange("2026-12")->second - reception::MonthRange("2026-12")->first, 31 * kDay);
  EXPECT_EQ(reception::MonthRange("2024-02")->second - reception::MonthRange("2024-02")->first, 29 * kDay);
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "abcd-ef", "1999-12"}) {
    EXPECT_FALSE(reception::MonthRange(bad)) << bad;
  }
  EXPECT_EQ(reception::WeekdayOf(nov->first), 0);  // 1 November 2026 is a Sunday
}

}  // namespace
}  // namespace carecity::testing
