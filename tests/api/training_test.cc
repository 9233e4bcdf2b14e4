// 党员社工培育 over HTTP (issue 13): a trainer sets up a programme and a
// class whose sessions are roster-only events; party members of the class's
// villages enrol (the database decides eligibility and the last seat);
// attendance comes from the events domain's QR check-in, run by the class's
// trainer; practice needs someone else's confirmation; the quiz is scored
// on the server; a certificate is issued only to a trainee who meets every
// rule, and anyone can check it — valid, expired or revoked — with the
// holder's name masked.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>

#include "core/run_sync.h"
#include "support/files.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr int64_t kHour = 60LL * 60 * 1000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }
std::string Id(int64_t v) { return std::to_string(v); }

class TrainingTest : public ::testing::Test {
 protected:
  TrainingTest()
      : trainer_(UserWith(server_, "13800016001", {RoleGrant{Role::kTrainer}})),
        other_trainer_(UserWith(server_, "13800016002", {RoleGrant{Role::kTrainer}})),
        org_(InsertOrg(server_, "桂城街道党建工作办公室", "11440605MB0016001A")),
        village_a_(InsertVillage(server_, "叠滘村", true, true)),
        village_b_(InsertVillage(server_, "平东村", true, true)),
        member_(UserWith(server_, "13800016010")),
        member_2_(UserWith(server_, "13800016011")),
        outsider_(UserWith(server_, "13800016012")),
        anon_(server_) {
    venue_ = db::WriteSync(server_.app().store(), [](db::Tx& tx) {
      return tx.Query("INSERT INTO venues (name, address, created_at_ms) VALUES ('桂城街道党群服务中心', "
                      "'佛山市南海区桂城街道', 0) RETURNING id")
          .front()
          .Int(0);
    });
    Register("13800016010", village_a_);
    Register("13800016011", village_a_);
    auto p = trainer_.Post("/api/v1/training/programmes", ProgrammeBody());
    EXPECT_EQ(p.status, 201) << p.body;
    programme_ = p.json.at("programme").at("id").as_int64();
    start_ = server_.clock().NowMs() + kDay;
  }

  static json::object ProgrammeBody() {
    return json::object{{"title", "党员社工基础班"},
                        {"modules", json::array{"居民需求挖掘", "个案工作方法"}},
                        {"rules", json::object{{"min_attendance_pct", 50}, {"practice_hours", 2}, {"pass_mark", 60}}},
                        {"certificate", json::object{{"level", "党员社工（初级）"}, {"valid_years", 1}}}};
  }

  json::object ClassBody(int64_t capacity = 30, bool secretaries_only = false) {
    return json::object{
        {"programme_id", programme_},
        {"title", "2026 秋季班"},
        {"org_id", org_},
        {"venue_id", venue_},
        {"capacity", capacity},
        {"eligible", json::object{{"village_ids", json::array{village_a_}}, {"secretaries_only", secretaries_only}}},
        {"sessions", json::array{json::object{{"starts_at_ms", start_},
                                              {"ends_at_ms", start_ + 2 * kHour},
                                              {"module", "居民需求挖掘"}},
                                 json::object{{"starts_at_ms", start_ + kDay},
                                              {"ends_at_ms", start_ + kDay + 2 * kHour},
                                              {"module", "个案工作方法"}}}},
        {"quiz", json::array{json::object{{"text", "个案工作的第一步是？"},
                                          {"options", json::array{"接案", "结案", "评估"}},
                                          {"answer", json::array{0}}},
                             json::object{{"text", "哪些属于社会工作方法？"},
                                          {"options", json::array{"个案工作", "小组工作", "行政命令"}},
                                          {"answer", json::array{0, 1}},
                                          {"multiple", true}}}}};
  }

  void Register(const std::string& phone, int64_t village, bool secretary = false) {
    auto r = trainer_.Post("/api/v1/training/members",
                           json::object{{"phone", phone}, {"village_id", village}, {"secretary", secretary}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  int64_t NewClass(const json::object& body) {
    auto r = trainer_.Post("/api/v1/training/classes", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json.at("class").at("id").as_int64() : 0;
  }

  std::string C(int64_t id, const std::string& tail = "") { return "/api/v1/training/classes/" + Id(id) + tail; }

  std::vector<int64_t> Sessions(int64_t klass) {
    std::vector<int64_t> out;
    const json::value v = trainer_.Get(C(klass)).json;
    for (const json::value& id : v.at("class").at("session_event_ids").as_array()) {
      out.push_back(id.as_int64());
    }
    return out;
  }

  // The trainer checks `who` in at `event` through the events domain.
  HttpResult CheckIn(int64_t event, const std::string& name) {
    const json::value att = trainer_.Get("/api/v1/events/" + Id(event) + "/attendance").json;
    for (const json::value& r : att.at("registrations").as_array()) {
      if (Str(r.at("name")).find(name) != std::string::npos) {
        return trainer_.Post("/api/v1/events/" + Id(event) + "/checkins",
                             json::object{{"ticket_code", r.at("ticket_code")}});
      }
    }
    ADD_FAILURE() << "no registration for " << name << ": " << json::serialize(att);
    return {};
  }

  json::value Progress(Client& c, int64_t klass) {
    auto r = c.Get(C(klass, "/progress"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.at("progress").as_array().at(0);
  }

  TestServer server_;
  Client trainer_;
  Client other_trainer_;
  int64_t org_;
  int64_t village_a_;
  int64_t village_b_;
  Client member_;
  Client member_2_;
  Client outsider_;
  Client anon_;
  int64_t venue_ = 0;
  int64_t programme_ = 0;
  int64_t start_ = 0;
};

TEST_F(TrainingTest, ATraineeEarnsAVerifiableCertificateOnlyWhenEveryRuleIsMet) {
  const int64_t klass = NewClass(ClassBody());
  const auto sessions = Sessions(klass);
  ASSERT_EQ(sessions.size(), 2u);

  auto enrolled = member_.Post(C(klass, "/enrolments"), json::object{});
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  EXPECT_EQ(Str(enrolled.json.at("class").at("my_enrolment")), "enrolled");
  EXPECT_EQ(enrolled.json.at("class").at("enrolled").as_int64(), 1);
  // A seat at both sessions, through the events domain.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM event_registrations WHERE status = 'confirmed'"), 2);
  // The trainee does not see the quiz's answers; the trainer does.
  EXPECT_FALSE(enrolled.json.at("class").at("quiz").as_array()[0].as_object().contains("answer"));
  EXPECT_TRUE(trainer_.Get(C(klass)).json.at("class").at("quiz").as_array()[0].as_object().contains("answer"));

  // Nothing done yet: no certificate, and nothing written.
  json::value p = Progress(member_, klass);
  EXPECT_EQ(p.at("attendance").at("attended").as_int64(), 0);
  EXPECT_FALSE(p.at("complete").as_bool());
  const int64_t member_id = p.at("user_id").as_int64();
  auto early = trainer_.Post(C(klass, "/certificates"), json::object{{"user_ids", json::array{member_id}}});
  ASSERT_EQ(early.status, 201) << early.body;
  EXPECT_TRUE(early.json.at("issued").as_array().empty());
  EXPECT_EQ(Str(early.json.at("refused").as_array()[0].at("code")), "training.not_complete");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_certificates"), 0);

  // Session 1: the class's trainer checks the member in (check-in opens 4 h before).
  server_.clock().Advance(kDay - kHour);
  auto in = CheckIn(sessions[0], "6010");
  EXPECT_LT(in.status, 300) << in.body;
  EXPECT_EQ(other_trainer_.Post("/api/v1/events/" + Id(sessions[1]) + "/checkins",
                                json::object{{"ticket_code", "ZZZZZZZZ"}})
                .status,
            403);

  // Practice after the class began: logged by the member, confirmed by someone else, once.
  server_.clock().Advance(4 * kHour);
  auto logged = member_.Post("/api/v1/training/practice",
                             json::object{{"kind", "home_visit"},
                                          {"date_ms", server_.clock().NowMs() - kHour},
                                          {"hours", 2.5},
                                          {"place", "叠滘村三巷"},
                                          {"method", "casework"},
                                          {"note", "探访独居长者"}});
  ASSERT_EQ(logged.status, 201) << logged.body;
  const std::string practice = Str(logged.json.at("practice").at("id"));
  EXPECT_EQ(Str(logged.json.at("practice").at("status")), "pending");
  EXPECT_EQ(Progress(member_, klass).at("hours").at("pending_minutes").as_int64(), 150);
  EXPECT_FALSE(Progress(member_, klass).at("hours").at("met").as_bool());
  // The member cannot confirm it (not a trainer: not even seen); a trainer cannot confirm their own.
  EXPECT_EQ(member_.Post("/api/v1/training/practice/" + practice + "/confirm", json::object{}).status, 404);
  auto own = trainer_.Post("/api/v1/training/practice", json::object{{"kind", "other"},
                                                                     {"date_ms", server_.clock().NowMs()},
                                                                     {"minutes", 60},
                                                                     {"place", "党群服务中心"},
                                                                     {"method", "groupwork"}});
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(trainer_.Post("/api/v1/training/practice/" + Str(own.json.at("practice").at("id")) + "/confirm",
                          json::object{})
                .error_code(),
            "training.own_practice");
  EXPECT_EQ(trainer_.Post("/api/v1/training/practice/" + practice + "/confirm", json::object{}).status, 200);
  EXPECT_EQ(trainer_.Post("/api/v1/training/practice/" + practice + "/reject", json::object{{"reason", "x"}})
                .error_code(),
            "training.practice_decided");

  // The quiz: scored on the server, the best attempt counts.
  auto wrong = member_.Post(C(klass, "/quiz"), json::object{{"answers", json::array{json::array{0}, json::array{0}}}});
  ASSERT_EQ(wrong.status, 201) << wrong.body;
  EXPECT_EQ(wrong.json.at("result").at("score").as_int64(), 50);
  EXPECT_FALSE(wrong.json.at("result").at("passed").as_bool());
  EXPECT_FALSE(Progress(member_, klass).at("complete").as_bool());
  auto right =
      member_.Post(C(klass, "/quiz"), json::object{{"answers", json::array{json::array{0}, json::array{1, 0}}}});
  EXPECT_EQ(right.json.at("result").at("score").as_int64(), 100);
  EXPECT_TRUE(right.json.at("result").at("passed").as_bool());

  p = Progress(member_, klass);
  EXPECT_EQ(p.at("attendance").at("attended").as_int64(), 1);
  EXPECT_EQ(p.at("attendance").at("sessions").as_int64(), 2);
  EXPECT_TRUE(p.at("attendance").at("met").as_bool());
  EXPECT_EQ(p.at("hours").at("practice_minutes").as_int64(), 150);
  EXPECT_EQ(Str(p.at("assessment").at("status")), "passed");
  EXPECT_TRUE(p.at("complete").as_bool());

  // Only the class's trainer issues; the certificate counts session and practice hours.
  EXPECT_EQ(other_trainer_.Post(C(klass, "/certificates"), json::object{{"user_ids", json::array{member_id}}}).status,
            403);
  auto issued = trainer_.Post(C(klass, "/certificates"), json::object{{"user_ids", json::array{member_id}}});
  ASSERT_EQ(issued.status, 201) << issued.body;
  ASSERT_EQ(issued.json.at("issued").as_array().size(), 1u);
  const json::value cert = issued.json.at("issued").as_array()[0];
  const std::string no = Str(cert.at("no"));
  const std::string code = Str(cert.at("check_code"));
  EXPECT_EQ(no.rfind("GC", 0), 0u) << no;
  EXPECT_EQ(cert.at("hours").as_int64(), 4);  // (120 + 150) minutes
  EXPECT_EQ(Str(cert.at("level")), "党员社工（初级）");
  EXPECT_EQ(Str(cert.at("issuer")), "桂城街道党建工作办公室");
  EXPECT_EQ(Str(Progress(member_, klass).at("certificate_no")), no);
  auto twice = trainer_.Post(C(klass, "/certificates"), json::object{{"user_ids", json::array{member_id}}});
  EXPECT_EQ(Str(twice.json.at("refused").as_array()[0].at("code")), "training.already_issued");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_certificates"), 1);
  ASSERT_EQ(member_.Get("/api/v1/training/certificates").json.at("certificates").as_array().size(), 1u);

  // Anyone checks it: the name masked, the code confirmed or not.
  auto check = anon_.Get("/api/v1/training/certificates/" + no + "?code=" + code);
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(Str(check.json.at("certificate").at("state")), "valid");
  EXPECT_TRUE(check.json.at("certificate").at("code_checked").as_bool());
  EXPECT_EQ(check.body.find("6010"), std::string::npos);
  EXPECT_NE(Str(check.json.at("certificate").at("holder_name")), "测试6010");
  EXPECT_FALSE(anon_.Get("/api/v1/training/certificates/" + no + "?code=000000")
                   .json.at("certificate")
                   .at("code_checked")
                   .as_bool());
  EXPECT_EQ(anon_.Get("/api/v1/training/certificates/GC2026-AAAAAAAAAA").error_code(),
            "training.certificate_not_found");
  // The QR code is the holder's (and the trainer's) to show.
  auto qr = member_.Get("/api/v1/training/certificates/" + no + "/qr");
  EXPECT_EQ(qr.status, 200);
  EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
  EXPECT_EQ(outsider_.Get("/api/v1/training/certificates/" + no + "/qr").status, 404);

  // A year and a day later it has expired.
  server_.clock().Advance(367 * kDay);
  EXPECT_EQ(Str(anon_.Get("/api/v1/training/certificates/" + no).json.at("certificate").at("state")), "expired");
}

TEST_F(TrainingTest, ARevokedCertificateSaysSoWithoutTheReason) {
  const int64_t klass = NewClass(ClassBody());
  ASSERT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  const auto sessions = Sessions(klass);
  server_.clock().Advance(kDay - kHour);
  CheckIn(sessions[0], "6010");
  server_.clock().Advance(4 * kHour);
  auto logged = member_.Post("/api/v1/training/practice", json::object{{"kind", "volunteer"},
                                                                       {"date_ms", server_.clock().NowMs()},
                                                                       {"minutes", 120},
                                                                       {"place", "叠滘村"},
                                                                       {"method", "community"}});
  ASSERT_EQ(logged.status, 201) << logged.body;
  trainer_.Post("/api/v1/training/practice/" + Str(logged.json.at("practice").at("id")) + "/confirm", json::object{});
  member_.Post(C(klass, "/quiz"), json::object{{"answers", json::array{0, json::array{0, 1}}}});
  const int64_t me = Progress(member_, klass).at("user_id").as_int64();
  auto issued = trainer_.Post(C(klass, "/certificates"), json::object{{"user_ids", json::array{me}}});
  ASSERT_EQ(issued.json.at("issued").as_array().size(), 1u) << issued.body;
  const std::string no = Str(issued.json.at("issued").as_array()[0].at("no"));

  EXPECT_EQ(member_.Post("/api/v1/training/certificates/" + no + "/revoke", json::object{{"reason", "x"}}).status, 403);
  EXPECT_EQ(trainer_.Post("/api/v1/training/certificates/" + no + "/revoke", json::object{}).error_field(), "reason");
  auto revoked = trainer_.Post("/api/v1/training/certificates/" + no + "/revoke",
                               json::object{{"reason", "实践记录不实"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Str(revoked.json.at("certificate").at("state")), "revoked");
  EXPECT_EQ(trainer_.Post("/api/v1/training/certificates/" + no + "/revoke", json::object{{"reason", "again"}})
                .error_code(),
            "training.already_revoked");
  auto check = anon_.Get("/api/v1/training/certificates/" + no);
  EXPECT_EQ(Str(check.json.at("certificate").at("state")), "revoked");
  EXPECT_EQ(check.body.find("实践记录不实"), std::string::npos);
  EXPECT_EQ(Str(member_.Get("/api/v1/training/certificates").json.at("certificates").as_array()[0].at("revoked_reason")),
            "实践记录不实");
}

TEST_F(TrainingTest, AClassWithoutAnIssuerTakesTheLatestClasssOrganisation) {
  json::object body = ClassBody();
  body.erase("org_id");
  auto none = trainer_.Post("/api/v1/training/classes", body);
  EXPECT_EQ(none.status, 400);  // no [training] org_id and no class yet
  EXPECT_EQ(none.error_field(), "org_id");
  NewClass(ClassBody());
  auto r = trainer_.Post("/api/v1/training/classes", body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("class").at("org_id").as_int64(), org_);
  EXPECT_EQ(r.json.at("class").at("session_event_ids").as_array().size(), 2u);
}

TEST_F(TrainingTest, SessionsAreRosterOnlyEventsNotOpenToThePublic) {
  const int64_t klass = NewClass(ClassBody());
  const auto sessions = Sessions(klass);
  auto list = anon_.Get("/api/v1/events");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_TRUE(list.json.at("events").as_array().empty()) << list.body;
  auto r = outsider_.Post("/api/v1/events/" + Id(sessions[0]) + "/registrations", json::object{{"seats", 1}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "roster_only");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM event_registrations"), 0);
}

TEST_F(TrainingTest, OnlyPartyMembersOfTheClassesVillagesMayEnrolAndTheLastSeatIsTakenOnce) {
  const int64_t klass = NewClass(ClassBody(1));
  Client b = UserWith(server_, "13800016020");
  Register("13800016020", village_b_);
  EXPECT_EQ(outsider_.Post(C(klass, "/enrolments"), json::object{}).error_code(), "training.not_eligible");
  EXPECT_EQ(b.Post(C(klass, "/enrolments"), json::object{}).error_code(), "training.not_eligible");
  EXPECT_FALSE(b.Get(C(klass)).json.at("class").at("can_enrol").as_bool());
  EXPECT_TRUE(member_.Get(C(klass)).json.at("class").at("can_enrol").as_bool());
  ASSERT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  EXPECT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).error_code(), "training.already_enrolled");
  auto full = member_2_.Post(C(klass, "/enrolments"), json::object{});
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.error_code(), "training.class_full");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_enrolments WHERE status = 'enrolled'"), 1);
  EXPECT_EQ(Count(server_, "SELECT enrolled FROM training_classes"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM event_registrations WHERE status = 'confirmed'"), 2);

  // Withdrawing gives the seat and both session sign-ups back.
  auto gone = member_.Delete(C(klass, "/enrolments/me"));
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM event_registrations WHERE status = 'confirmed'"), 0);
  EXPECT_EQ(member_.Delete(C(klass, "/enrolments/me")).error_code(), "training.not_enrolled");
  ASSERT_EQ(member_2_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  // Someone else may not withdraw a trainee; the trainer may.
  const int64_t second = Progress(member_2_, klass).at("user_id").as_int64();
  EXPECT_EQ(member_.Delete(C(klass, "/enrolments/" + Id(second))).status, 403);
  EXPECT_EQ(trainer_.Delete(C(klass, "/enrolments/" + Id(second))).status, 200);
  // A withdrawn member may come back.
  EXPECT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
}

TEST_F(TrainingTest, TheSecretariesClassIsForBranchSecretariesOnly) {
  const int64_t klass = NewClass(ClassBody(30, true));
  EXPECT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).error_code(), "training.not_eligible");
  Register("13800016011", village_a_, true);
  EXPECT_EQ(member_2_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
}

TEST_F(TrainingTest, ATrainerImportsARosterAndEachRefusalIsNamed) {
  const int64_t klass = NewClass(ClassBody(2));
  UserWith(server_, "13800016030");
  UserWith(server_, "13800016031");
  auto r = trainer_.Post(C(klass, "/enrolments"),
                         json::object{{"members", json::array{json::object{{"phone", "13800016030"}, {"village_id", village_a_}},
                                                              json::object{{"phone", "13900000000"}},
                                                              json::object{{"phone", "13800016031"}, {"village_id", village_b_}},
                                                              json::object{{"phone", "13800016010"}},
                                                              json::object{{"phone", "13800016011"}}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("enrolled").as_array().size(), 2u);
  const auto& refused = r.json.at("refused").as_array();
  ASSERT_EQ(refused.size(), 3u) << r.body;
  EXPECT_EQ(Str(refused[0].at("code")), "training.person_not_found");
  EXPECT_EQ(Str(refused[1].at("code")), "training.not_eligible");
  EXPECT_EQ(Str(refused[2].at("code")), "training.class_full");
  EXPECT_FALSE(Str(refused[2].at("message")).empty());
  EXPECT_EQ(Count(server_, "SELECT enrolled FROM training_classes"), 2);
  // The register now knows the imported member's village.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_members"), 4);

  auto roster = trainer_.Get(C(klass, "/roster"));
  ASSERT_EQ(roster.status, 200);
  EXPECT_EQ(roster.json.at("trainees").as_array().size(), 2u);
  EXPECT_EQ(roster.body.find("13800016030"), std::string::npos);  // phones masked
  EXPECT_EQ(other_trainer_.Post(C(klass, "/enrolments"), json::object{{"members", json::array{}}}).status, 400);
  EXPECT_EQ(other_trainer_.Post(C(klass, "/enrolments"),
                                json::object{{"members", json::array{json::object{{"phone", "13800016010"}}}}})
                .status,
            403);
}

TEST_F(TrainingTest, EveryRouteChecksWhoIsAsking) {
  const int64_t klass = NewClass(ClassBody());
  ASSERT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  const int64_t session = Sessions(klass)[0];
  // Signed out: 401 everywhere but the public certificate check.
  EXPECT_EQ(anon_.Get("/api/v1/training/programmes").status, 401);
  EXPECT_EQ(anon_.Get("/api/v1/training/classes").status, 401);
  EXPECT_EQ(anon_.Get(C(klass)).status, 401);
  EXPECT_EQ(anon_.Post(C(klass, "/enrolments"), json::object{}).status, 401);
  EXPECT_EQ(anon_.Get("/api/v1/training/practice").status, 401);
  EXPECT_EQ(anon_.Get("/api/v1/training/certificates").status, 401);
  // A member is not a trainer.
  EXPECT_EQ(member_.Post("/api/v1/training/programmes", ProgrammeBody()).status, 403);
  EXPECT_EQ(member_.Post("/api/v1/training/classes", ClassBody()).status, 403);
  EXPECT_EQ(member_.Post("/api/v1/training/members", json::object{{"phone", "13800016012"}, {"village_id", village_a_}})
                .status,
            403);
  EXPECT_EQ(member_.Get("/api/v1/training/members").status, 403);
  EXPECT_EQ(member_.Get("/api/v1/training/classes?scope=all").status, 403);
  EXPECT_EQ(member_.Get("/api/v1/training/practice/pending").status, 403);
  EXPECT_EQ(member_.Get(C(klass, "/roster")).status, 403);
  // A trainee's list of assignments is their own.
  EXPECT_TRUE(member_.Get(C(klass, "/assignments")).json.at("assignments").as_array().empty());
  EXPECT_EQ(member_.Get(C(klass, "/certificates")).status, 403);
  EXPECT_EQ(member_.Post(C(klass, "/materials"), json::object{{"event_id", session}, {"title", "t"}, {"body", "b"}})
                .status,
            403);
  EXPECT_EQ(member_.Get("/api/v1/events/" + Id(session) + "/attendance").status, 403);
  // A trainer of another class runs nothing here.
  EXPECT_EQ(other_trainer_.Get(C(klass, "/roster")).status, 403);
  EXPECT_EQ(other_trainer_.Get(C(klass, "/progress")).status, 403);
  EXPECT_EQ(other_trainer_.Get("/api/v1/events/" + Id(session) + "/attendance").status, 403);
  EXPECT_EQ(other_trainer_.Post(C(klass, "/materials"), json::object{{"event_id", session}, {"title", "t"}, {"body", "b"}})
                .status,
            403);
  // Someone not enrolled neither sees the materials nor takes the quiz nor sees progress.
  ASSERT_EQ(trainer_.Post(C(klass, "/materials"), json::object{{"event_id", session}, {"title", "讲义"}, {"body", "# 需求挖掘"}})
                .status,
            201);
  EXPECT_EQ(member_.Get(C(klass)).json.at("class").at("materials").as_array().size(), 1u);
  EXPECT_TRUE(outsider_.Get(C(klass)).json.at("class").at("materials").as_array().empty());
  EXPECT_EQ(outsider_.Post(C(klass, "/quiz"), json::object{{"answers", json::array{0, 0}}}).error_code(),
            "training.not_enrolled");
  EXPECT_EQ(outsider_.Get(C(klass, "/progress")).status, 403);
  // Another person's practice record is not found by its id.
  auto logged = member_.Post("/api/v1/training/practice", json::object{{"kind", "other"},
                                                                       {"date_ms", server_.clock().NowMs()},
                                                                       {"minutes", 30},
                                                                       {"place", "叠滘村"},
                                                                       {"method", "other"}});
  ASSERT_EQ(logged.status, 201);
  const std::string pid = Str(logged.json.at("practice").at("id"));
  EXPECT_EQ(outsider_.Post("/api/v1/training/practice/" + pid + "/confirm", json::object{}).status, 404);
  EXPECT_TRUE(outsider_.Get("/api/v1/training/practice").json.at("practice").as_array().empty());
  EXPECT_EQ(trainer_.Post("/api/v1/training/practice/NOTANID/confirm", json::object{}).status, 404);
}

TEST_F(TrainingTest, BadInputGetsANamedErrorAndWritesNothing) {
  json::object past = ClassBody();
  past["sessions"].as_array()[1].as_object()["starts_at_ms"] = server_.clock().NowMs() - kHour;
  auto r = trainer_.Post("/api/v1/training/classes", past);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_field(), "sessions[1].starts_at_ms");
  json::object module = ClassBody();
  module["sessions"].as_array()[0].as_object()["module"] = "不存在的模块";
  EXPECT_EQ(trainer_.Post("/api/v1/training/classes", module).error_field(), "sessions[0].module");
  json::object quiz = ClassBody();
  quiz["quiz"].as_array()[0].as_object()["answer"] = json::array{7};
  EXPECT_EQ(trainer_.Post("/api/v1/training/classes", quiz).error_field(), "quiz[0].answer");
  json::object village = ClassBody();
  village["eligible"].as_object()["village_ids"] = json::array{village_a_, 9999};
  EXPECT_EQ(trainer_.Post("/api/v1/training/classes", village).error_field(), "eligible.village_ids[1]");
  json::object extra = ClassBody();
  extra["colour"] = "red";
  EXPECT_EQ(trainer_.Post("/api/v1/training/classes", extra).error_field(), "colour");
  EXPECT_EQ(trainer_.PostRaw("/api/v1/training/classes", "{not json").status, 400);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_classes"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM events"), 0);

  const json::object good{{"kind", "home_visit"}, {"date_ms", server_.clock().NowMs()}, {"hours", 2},
                          {"place", "叠滘村"},    {"method", "casework"}};
  json::object future = good;
  future["date_ms"] = server_.clock().NowMs() + kDay;
  EXPECT_EQ(member_.Post("/api/v1/training/practice", future).error_code(), "in_the_future");
  json::object long_day = good;
  long_day["hours"] = 30;
  EXPECT_EQ(member_.Post("/api/v1/training/practice", long_day).error_field(), "hours");
  json::object kind = good;
  kind["kind"] = "party";
  EXPECT_EQ(member_.Post("/api/v1/training/practice", kind).error_field(), "kind");
  json::object room = good;
  room["kind"] = "reception";
  EXPECT_EQ(member_.Post("/api/v1/training/practice", room).error_field(), "room_id");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_practice"), 0);

  const int64_t klass = NewClass(ClassBody());
  ASSERT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  EXPECT_EQ(member_.Post(C(klass, "/quiz"), json::object{{"answers", json::array{0}}}).error_field(), "answers");
  EXPECT_EQ(member_.Post(C(klass, "/quiz"), json::object{{"answers", json::array{"a", 0}}}).error_field(),
            "answers[0]");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_quiz_attempts"), 0);
  EXPECT_EQ(member_.Get("/api/v1/training/classes/abc").status, 404);
  EXPECT_EQ(member_.Get("/api/v1/training/classes?scope=everything").error_field(), "scope");
}

TEST_F(TrainingTest, TheAssignmentIsGradedOnceAndCountsTowardsTheAssessment) {
  json::object body = ClassBody();
  body.erase("quiz");
  body["assignment"] = "完成一份本村居民需求评估";
  const int64_t klass = NewClass(body);
  EXPECT_EQ(member_.Post(C(klass, "/assignment"), json::object{{"body", "x"}}).error_code(), "training.not_enrolled");
  ASSERT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  EXPECT_EQ(member_.Post(C(klass, "/quiz"), json::object{{"answers", json::array{}}}).error_code(), "training.no_quiz");
  ASSERT_EQ(member_.Post(C(klass, "/assignment"), json::object{{"body", "初稿"}}).status, 201);
  ASSERT_EQ(member_.Post(C(klass, "/assignment"), json::object{{"body", "叠滘村需求评估：独居长者 32 户……"}}).status, 201);
  EXPECT_EQ(Str(Progress(member_, klass).at("assessment").at("status")), "pending");
  auto list = trainer_.Get(C(klass, "/assignments"));
  ASSERT_EQ(list.json.at("assignments").as_array().size(), 1u);
  const int64_t user = list.json.at("assignments").as_array()[0].at("user_id").as_int64();
  EXPECT_EQ(Str(list.json.at("assignments").as_array()[0].at("body")), "叠滘村需求评估：独居长者 32 户……");
  EXPECT_EQ(trainer_.Post(C(klass, "/assignments/" + Id(user) + "/grade"), json::object{{"grade", 101}}).error_field(),
            "grade");
  auto graded = trainer_.Post(C(klass, "/assignments/" + Id(user) + "/grade"),
                              json::object{{"grade", 85}, {"feedback", "需求分析清楚"}});
  ASSERT_EQ(graded.status, 200) << graded.body;
  EXPECT_EQ(Str(Progress(member_, klass).at("assessment").at("status")), "passed");
  EXPECT_EQ(member_.Post(C(klass, "/assignment"), json::object{{"body", "改稿"}}).error_code(),
            "training.already_graded");
}

// The last seat under concurrency: on PostgreSQL two Apps (two servers at
// READ COMMITTED) enrol eight members into three seats at once.
TEST_F(TrainingTest, EightMembersRaceForThreeSeatsAndThreeGetThem) {
  const int64_t klass = NewClass(ClassBody(3));
  auto second = SecondApp(server_);
  std::vector<Principal> people;
  for (int i = 0; i < 8; ++i) {
    const std::string phone = "139000160" + std::to_string(10 + i);
    Principal p;
    p.display_name = "党员" + std::to_string(i);
    p.user_id = *db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return server_.app().accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone}, p.display_name, "x",
                                                   {}, "");
    });
    Register(phone, village_a_);
    people.push_back(p);
  }
  std::atomic<int> ok{0}, full{0}, other{0};
  RunAtOnce(8, [&](size_t i) -> boost::asio::awaitable<void> {
    training::TrainingService& t = (second && i % 2 == 1) ? second->training() : server_.app().training();
    auto r = co_await t.Enrol(people[i], klass);
    if (r.ok()) {
      ++ok;
    } else if (r.error().key == "training.class_full" || r.error().key == "busy") {
      ++full;
    } else {
      ++other;
    }
  });
  second.reset();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(full.load(), 5);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Count(server_, "SELECT enrolled FROM training_classes"), 3);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_enrolments WHERE status = 'enrolled'"), 3);
  EXPECT_EQ(Count(server_, "SELECT MAX(confirmed_seats) FROM events"), 3);
}

// ---- Session materials as files ----


// A material file sent as the request body; title and name percent-encoded
// by the caller where they need it.
HttpResult UploadMaterial(Client& c, int64_t klass, int64_t event, const std::string& bytes,
                          const std::string& type = "application/pdf", const std::string& title = "lecture",
                          const std::string& name = "notes.pdf") {
  return c.Send("POST",
                "/api/v1/training/classes/" + Id(klass) + "/materials/files?event_id=" + Id(event) +
                    "&title=" + title + "&name=" + name,
                bytes, {{"Content-Type", type}});
}

TEST_F(TrainingTest, SessionMaterialsArePdfsAndImagesByTheirBytesReadOnlyByTheClass) {
  const int64_t klass = NewClass(ClassBody());
  const auto sessions = Sessions(klass);
  const std::string pdf = Pdf();
  // "%E8%AE%B2%E4%B9%89" is 讲义.
  auto r = UploadMaterial(trainer_, klass, sessions[0], pdf, "application/pdf", "%E8%AE%B2%E4%B9%89", "a%2F..%2Fx.PDF");
  ASSERT_EQ(r.status, 201) << r.body;
  const json::object& m = r.json.at("material").as_object();
  EXPECT_EQ(Str(m.at("kind")), "pdf");
  EXPECT_EQ(Str(m.at("title")), "讲义");
  EXPECT_EQ(Str(m.at("file_name")), "x.PDF");
  EXPECT_EQ(m.at("size_bytes").as_int64(), static_cast<int64_t>(pdf.size()));
  const std::string pdf_url = Str(m.at("url"));
  // The claimed type is not believed: these bytes are a PNG, named .html.
  auto img = UploadMaterial(trainer_, klass, sessions[1], Png(), "application/octet-stream", "photo", "site.html");
  ASSERT_EQ(img.status, 201) << img.body;
  EXPECT_EQ(Str(img.json.at("material").at("kind")), "image");
  EXPECT_EQ(Str(img.json.at("material").at("content_type")), "image/png");
  EXPECT_EQ(Str(img.json.at("material").at("file_name")), "site.html.png");
  const std::string img_url = Str(img.json.at("material").at("url"));

  // Bad files and bad fields are named, and write nothing.
  EXPECT_EQ(UploadMaterial(trainer_, klass, sessions[0], "<html><script>alert(1)</script>").error_code(), "file_type");
  EXPECT_EQ(UploadMaterial(trainer_, klass, sessions[0], "").error_code(), "file_empty");
  std::string big = Pdf(10 * 1024 * 1024);
  big.resize(10 * 1024 * 1024 + 1);
  auto over = UploadMaterial(trainer_, klass, sessions[0], big);
  EXPECT_EQ(over.status, 413);
  EXPECT_EQ(over.error_code(), "file_too_large");
  EXPECT_EQ(UploadMaterial(trainer_, klass, sessions[0], pdf, "application/pdf", "").error_field(), "title");
  EXPECT_EQ(UploadMaterial(trainer_, klass, 999999, pdf).error_code(), "training.session_not_found");
  EXPECT_EQ(UploadMaterial(trainer_, klass, sessions[0], pdf, "text/plain").status, 415);
  // Only the class's trainers upload.
  EXPECT_EQ(UploadMaterial(other_trainer_, klass, sessions[0], pdf).status, 403);
  EXPECT_EQ(UploadMaterial(member_, klass, sessions[0], pdf).status, 403);
  EXPECT_EQ(UploadMaterial(anon_, klass, sessions[0], pdf).status, 401);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_materials"), 2);

  // The bytes come back as sent, to the class only.
  auto got = trainer_.Get(pdf_url);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, pdf);
  EXPECT_EQ(got.header("content-type"), "application/pdf");
  EXPECT_EQ(got.header("content-disposition").rfind("attachment;", 0), 0u);
  EXPECT_EQ(got.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(got.header("cache-control"), "private, no-store");
  EXPECT_EQ(trainer_.Get(img_url).header("content-disposition").rfind("inline;", 0), 0u);
  EXPECT_EQ(member_.Get(pdf_url).error_code(), "training.material_not_found");
  EXPECT_EQ(other_trainer_.Get(pdf_url).status, 404);
  EXPECT_EQ(anon_.Get(pdf_url).status, 401);
  ASSERT_EQ(member_.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  EXPECT_EQ(member_.Get(pdf_url).body, pdf);
  const json::array materials = member_.Get(C(klass)).json.at("class").at("materials").as_array();
  ASSERT_EQ(materials.size(), 2u);
  EXPECT_EQ(Str(materials[1].at("url")), img_url);
  EXPECT_EQ(outsider_.Get(img_url).status, 404);
  EXPECT_EQ(trainer_.Get("/api/v1/training/materials/not-an-id/file").status, 404);

  // The same file twice is stored once.
  ASSERT_EQ(UploadMaterial(trainer_, klass, sessions[1], pdf).status, 201);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM stored_files"), 2);
}

// ---- A secretary's needs assessment as a village need ----

TEST_F(TrainingTest, ASecretarysPassedNeedsAssessmentBecomesOneVillageNeed) {
  Client secretary(UserWith(server_, "13800016020", {VillageStaff(village_a_)}));
  Register("13800016020", village_a_, true);
  Register("13800016011", village_a_, true);  // a secretary, not the village's staff
  json::object body = ClassBody(30, true);
  body.erase("quiz");
  body["assignment"] = "完成一份本村居民需求评估";
  const int64_t klass = NewClass(body);
  const std::string text = "叠滘村需求评估：独居长者 32 户，缺少日间照料与探访……";
  for (Client* c : {&secretary, &member_2_}) {
    ASSERT_EQ(c->Post(C(klass, "/enrolments"), json::object{}).status, 201);
    ASSERT_EQ(c->Post(C(klass, "/assignment"), json::object{{"body", text}}).status, 201);
  }
  const int64_t now = server_.clock().NowMs();
  const json::object need{{"title", "叠滘村独居长者探访服务"},
                          {"project_type", "长者服务"},
                          {"target_group", "独居长者"},
                          {"beneficiaries", 32},
                          {"budget_min_fen", 2000000},
                          {"budget_max_fen", 5000000},
                          {"period", json::object{{"from_ms", now + 30 * kDay}, {"to_ms", now + 395 * kDay}}}};
  EXPECT_EQ(secretary.Post(C(klass, "/assignment/need"), need).error_code(), "training.assignment_not_passed");
  const auto grade = [&](const std::string& phone, int64_t g) {
    const int64_t user = Count(server_, "SELECT id FROM users WHERE phone = '" + phone + "'");
    auto r = trainer_.Post(C(klass, "/assignments/" + Id(user) + "/grade"), json::object{{"grade", g}});
    ASSERT_EQ(r.status, 200) << r.body;
  };
  grade("13800016020", 50);
  EXPECT_EQ(secretary.Post(C(klass, "/assignment/need"), need).error_code(), "training.assignment_not_passed");
  grade("13800016020", 85);
  grade("13800016011", 90);
  // Passed, but not the village's staff: the market's rule refuses it.
  EXPECT_EQ(member_2_.Post(C(klass, "/assignment/need"), need).status, 403);
  EXPECT_EQ(outsider_.Post(C(klass, "/assignment/need"), need).error_code(), "training.assignment_not_found");
  EXPECT_EQ(anon_.Post(C(klass, "/assignment/need"), need).status, 401);
  json::object bad = need;
  bad.erase("title");
  EXPECT_EQ(secretary.Post(C(klass, "/assignment/need"), bad).error_field(), "title");
  bad = need;
  bad["budget_max_fen"] = 1;
  EXPECT_EQ(secretary.Post(C(klass, "/assignment/need"), bad).error_code(), "market.budget_range");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_needs"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_assignments WHERE need_id IS NOT NULL"), 0);

  auto posted = secretary.Post(C(klass, "/assignment/need"), need);
  ASSERT_EQ(posted.status, 201) << posted.body;
  const std::string need_id = Str(posted.json.at("need").at("id"));
  EXPECT_EQ(posted.json.at("need").at("village_id").as_int64(), village_a_);
  EXPECT_EQ(Str(posted.json.at("need").at("story")), text);
  EXPECT_EQ(Str(posted.json.at("need").at("source")), "visits");
  EXPECT_EQ(Str(posted.json.at("assignment").at("need_id")), need_id);
  EXPECT_TRUE(posted.json.at("assignment").at("passed").as_bool());
  auto mine = secretary.Get(C(klass, "/assignments"));
  EXPECT_EQ(Str(mine.json.at("assignments").as_array().at(0).at("need_id")), need_id);
  EXPECT_EQ(Str(anon_.Get("/api/v1/market/needs/" + need_id).json.at("need").at("title")), "叠滘村独居长者探访服务");
  // Once.
  EXPECT_EQ(secretary.Post(C(klass, "/assignment/need"), need).error_code(), "training.need_already_posted");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_needs"), 1);

  // Not from an ordinary class.
  json::object plain = ClassBody();
  plain.erase("quiz");
  plain["assignment"] = "一次入户探访的记录";
  const int64_t ordinary = NewClass(plain);
  ASSERT_EQ(secretary.Post(C(ordinary, "/enrolments"), json::object{}).status, 201);
  ASSERT_EQ(secretary.Post(C(ordinary, "/assignment"), json::object{{"body", "探访记录"}}).status, 201);
  EXPECT_EQ(secretary.Post(C(ordinary, "/assignment/need"), need).error_code(), "training.not_secretaries_class");
}

// Posted from two servers at once (PostgreSQL, READ COMMITTED), the
// assessment still becomes one need.
TEST_F(TrainingTest, AnAssessmentPostedTwiceAtOnceBecomesOneNeed) {
  auto second = SecondApp(server_);
  Client secretary(UserWith(server_, "13800016020", {VillageStaff(village_a_)}));
  Register("13800016020", village_a_, true);
  json::object body = ClassBody(30, true);
  body.erase("quiz");
  body["assignment"] = "完成一份本村居民需求评估";
  const int64_t klass = NewClass(body);
  ASSERT_EQ(secretary.Post(C(klass, "/enrolments"), json::object{}).status, 201);
  ASSERT_EQ(secretary.Post(C(klass, "/assignment"), json::object{{"body", "评估"}}).status, 201);
  Principal p;
  p.user_id = Count(server_, "SELECT id FROM users WHERE phone = '13800016020'");
  p.roles.push_back(VillageStaff(village_a_));
  ASSERT_EQ(trainer_.Post(C(klass, "/assignments/" + Id(p.user_id) + "/grade"), json::object{{"grade", 80}}).status,
            200);
  const int64_t now = server_.clock().NowMs();
  market::NeedDraft d;
  d.title = "叠滘村长者探访";
  d.project_type = "长者服务";
  d.target_group = "独居长者";
  d.beneficiaries = 30;
  d.budget_min_fen = 100;
  d.budget_max_fen = 200;
  d.period_from_ms = now + kDay;
  d.period_to_ms = now + 100 * kDay;
  d.source = "visits";
  std::atomic<int> ok{0};
  std::atomic<int> already{0};
  RunAtOnce(6, [&](size_t i) -> boost::asio::awaitable<void> {
    training::TrainingService& t = (second && i % 2 == 1) ? second->training() : server_.app().training();
    auto r = co_await t.PostAssignmentNeed(p, klass, d, "127.0.0.1");
    if (r.ok()) {
      ++ok;
    } else if (r.error().key == "training.need_already_posted") {
      ++already;
    }
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(already.load(), 5);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_needs"), 1);
}

}  // namespace
}  // namespace carecity::testing
