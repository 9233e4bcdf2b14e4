// 人才库 and the social-worker qualification over HTTP (issue 13): a member
// records a qualification that a trainer verifies once; members holding a
// valid training certificate opt into the pool with their consent and may
// withdraw; organisations search it — withdrawn members and those who never
// opted in never appear — and invite members onto a catalogue project's
// team, which then lists those who accepted.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }
std::string Id(int64_t v) { return std::to_string(v); }

class TalentTest : public ::testing::Test {
 protected:
  TalentTest()
      : village_a_(InsertVillage(server_, "叠滘村", true, true)),
        village_b_(InsertVillage(server_, "平东村", true, true)),
        org_(InsertOrg(server_, "博睿社工服务中心", "52440605MJ0018001A")),
        other_org_(InsertOrg(server_, "启创社工服务中心", "52440605MJ0018002B")),
        trainer_(UserWith(server_, "13800018001", {RoleGrant{Role::kTrainer}})),
        admin_(UserWith(server_, "13800018002", {RoleGrant{Role::kPlatformAdmin}})),
        staff_(UserWith(server_, "13800018003", {OrgStaff(org_)})),
        other_staff_(UserWith(server_, "13800018004", {OrgStaff(other_org_)})),
        member_(UserWith(server_, "13800018010")),
        member_2_(UserWith(server_, "13800018011")),
        uncertified_(UserWith(server_, "13800018012")),
        resident_(UserWith(server_, "13800018013")),
        anon_(server_) {
    member_id_ = UserId("13800018010");
    member_2_id_ = UserId("13800018011");
    const int64_t now = server_.clock().NowMs();
    Certify(member_id_, now - 30 * kDay, now + 700 * kDay);
    Certify(member_2_id_, now - 30 * kDay, now + 700 * kDay);
    auto r = staff_.Post("/api/v1/market/projects",
                         json::object{{"org_id", org_},
                                      {"title", "长者居家安全改造与探访"},
                                      {"project_type", "长者服务"},
                                      {"target_group", "独居长者"},
                                      {"price", json::object{{"kind", "fixed"}, {"min_fen", 3000000}, {"max_fen", 3000000}}},
                                      {"duration_days", 180},
                                      {"description", "每月探访"},
                                      {"indicators", json::array{"探访 600 人次"}}});
    EXPECT_EQ(r.status, 201) << r.body;
    project_ = Str(r.json.at("project").at("id"));
    EXPECT_EQ(admin_.Post("/api/v1/market/projects/" + project_ + "/approve", json::object{}).status, 200);
  }

  int64_t UserId(const std::string& phone) {
    return Count(server_, "SELECT id FROM users WHERE phone = '" + phone + "'");
  }

  // A training certificate held by `user` (the training tests cover how one
  // is earned and issued).
  void Certify(int64_t user, int64_t issued, int64_t expires) {
    const int64_t trainer = UserId("13800018001");
    db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      if (tx.Query("SELECT 1 FROM training_programmes").empty()) {
        tx.Exec("INSERT INTO venues (name, address, created_at_ms) VALUES ('党群服务中心', '桂城', 0)");
        tx.Exec(
            "INSERT INTO training_programmes (title, modules_json, min_attendance_pct, practice_hours, pass_mark, "
            "certificate_level, valid_years, created_by, created_at_ms) VALUES ('党员社工基础班', '[]', 50, 2, 60, "
            "'党员社工（初级）', 3, $1, 0)",
            {trainer});
        tx.Exec(
            "INSERT INTO training_classes (programme_id, title, org_id, venue_id, capacity, secretaries_only, "
            "starts_at_ms, ends_at_ms, created_by, created_at_ms) SELECT p.id, '2026 春季班', $1, v.id, 30, 0, 1, 2, "
            "$2, 0 FROM training_programmes p, venues v",
            {org_, trainer});
      }
      tx.Exec(
          "INSERT INTO training_certificates (cert_no, check_code, user_id, class_id, programme_id, holder_name, "
          "programme_title, level, hours, issuer, issued_by, issued_at_ms, expires_at_ms) SELECT $1, '123456', $2, "
          "c.id, c.programme_id, '测试', '党员社工基础班', '党员社工（初级）', 24, '博睿', $3, $4, $5 "
          "FROM training_classes c",
          {"GC2026-" + std::to_string(user) + "ABCDEFG", user, trainer, issued, expires});
      return true;
    });
  }

  json::object JoinBody(json::array villages = {}) {
    if (villages.empty()) {
      villages.push_back(village_a_);
    }
    return json::object{{"consent", true},
                        {"skills", json::array{"长者探访", "个案工作"}},
                        {"village_ids", villages},
                        {"availability", "周末白天"},
                        {"intro", "退休教师，做过三年党员接待室值班。"}};
  }

  std::vector<int64_t> Found(Client& c, const std::string& query = "") {
    auto r = c.Get("/api/v1/talent" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<int64_t> ids;
    if (r.status == 200) {
      for (const json::value& m : r.json.at("members").as_array()) {
        ids.push_back(m.at("user_id").as_int64());
      }
    }
    return ids;
  }

  TestServer server_;
  int64_t village_a_;
  int64_t village_b_;
  int64_t org_;
  int64_t other_org_;
  Client trainer_;
  Client admin_;
  Client staff_;
  Client other_staff_;
  Client member_;
  Client member_2_;
  Client uncertified_;
  Client resident_;
  Client anon_;
  int64_t member_id_ = 0;
  int64_t member_2_id_ = 0;
  std::string project_;
};

TEST_F(TalentTest, AQualificationIsVerifiedOnceByATrainerAndARejectedOneMayBeSentAgain) {
  EXPECT_EQ(anon_.Post("/api/v1/training/qualifications", json::object{{"level", "assistant"}, {"number", "Z1"}})
                .status,
            401);
  auto bad = member_.Post("/api/v1/training/qualifications", json::object{{"level", "master"}, {"number", "Z2026001"}});
  EXPECT_EQ(bad.error_field(), "level");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_qualifications"), 0);

  auto made = member_.Post("/api/v1/training/qualifications",
                           json::object{{"level", "social_worker"}, {"number", "2026440605001"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = Str(made.json.at("qualification").at("id"));
  EXPECT_EQ(Str(made.json.at("qualification").at("status")), "pending");
  EXPECT_EQ(member_.Post("/api/v1/training/qualifications",
                         json::object{{"level", "social_worker"}, {"number", "2026440605009"}})
                .error_code(),
            "talent.qualification_exists");

  // Only a trainer lists and decides; a member sees their own.
  EXPECT_EQ(member_.Get("/api/v1/training/qualifications?status=pending").status, 403);
  EXPECT_EQ(trainer_.Get("/api/v1/training/qualifications?status=pending").json.at("qualifications").as_array().size(),
            1u);
  EXPECT_EQ(member_.Get("/api/v1/training/qualifications").json.at("qualifications").as_array().size(), 1u);
  EXPECT_EQ(member_2_.Get("/api/v1/training/qualifications").json.at("qualifications").as_array().size(), 0u);
  EXPECT_EQ(member_.Post("/api/v1/training/qualifications/" + id + "/verify", json::object{}).status, 403);
  EXPECT_EQ(staff_.Post("/api/v1/training/qualifications/" + id + "/verify", json::object{}).status, 404);
  EXPECT_EQ(trainer_.Post("/api/v1/training/qualifications/" + id + "/reject", json::object{}).error_field(),
            "reason");
  auto rejected = trainer_.Post("/api/v1/training/qualifications/" + id + "/reject",
                                json::object{{"reason", "证书编号与扫描件不符"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Str(rejected.json.at("qualification").at("reason")), "证书编号与扫描件不符");
  EXPECT_EQ(trainer_.Post("/api/v1/training/qualifications/" + id + "/verify", json::object{}).error_code(),
            "talent.already_decided");

  // Sent again with the right number, then verified: a professional.
  auto again = member_.Post("/api/v1/training/qualifications",
                            json::object{{"level", "social_worker"}, {"number", "2026440605002"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Str(again.json.at("qualification").at("id")), id);
  auto verified = trainer_.Post("/api/v1/training/qualifications/" + id + "/verify", json::object{});
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(Str(verified.json.at("qualification").at("status")), "verified");
  EXPECT_TRUE(verified.json.at("qualification").at("professional").as_bool());
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM training_qualifications"), 1);
}

// The certificate's scan: the holder attaches it while the qualification is
// pending; only the holder, trainers and platform admins read it.
TEST_F(TalentTest, AQualificationsScanIsTheHoldersAndTheTrainersOnly) {
  auto made = member_.Post("/api/v1/training/qualifications",
                           json::object{{"level", "assistant"}, {"number", "2026440605003"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string id = Str(made.json.at("qualification").at("id"));
  EXPECT_TRUE(made.json.at("qualification").at("scan").is_null());
  const std::string scan_path = "/api/v1/training/qualifications/" + id + "/scan";
  const auto put = [&](Client& c, const std::string& bytes, const std::string& type = "image/jpeg") {
    return c.Send("PUT", scan_path, bytes, {{"Content-Type", type}});
  };
  std::string jpeg("\xFF\xD8\xFF\xE0", 4);
  for (int i = 0; i < 3000; ++i) {
    jpeg += static_cast<char>(i % 251);
  }
  // Someone else's qualification is not found; bad files are named.
  EXPECT_EQ(put(member_2_, jpeg).error_code(), "talent.qualification_not_found");
  EXPECT_EQ(put(trainer_, jpeg).error_code(), "talent.qualification_not_found");
  EXPECT_EQ(put(anon_, jpeg).status, 401);
  EXPECT_EQ(put(member_, "MZ\x90\x00 not a scan", "application/octet-stream").error_code(), "file_type");
  EXPECT_EQ(put(member_, "").error_code(), "file_empty");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM stored_files"), 0);
  EXPECT_EQ(member_.Get(scan_path).error_code(), "talent.scan_not_found");

  auto up = put(member_, jpeg, "application/octet-stream");
  ASSERT_EQ(up.status, 200) << up.body;
  const json::object& scan = up.json.at("qualification").at("scan").as_object();
  EXPECT_EQ(Str(scan.at("content_type")), "image/jpeg");
  EXPECT_EQ(scan.at("size_bytes").as_int64(), static_cast<int64_t>(jpeg.size()));
  EXPECT_EQ(Str(scan.at("url")), scan_path);
  // The trainers' queue shows that a scan is there.
  const json::array pending =
      trainer_.Get("/api/v1/training/qualifications?status=pending").json.at("qualifications").as_array();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_FALSE(pending[0].at("scan").is_null());

  for (Client* c : {&member_, &trainer_, &admin_}) {
    auto got = c->Get(scan_path);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.body, jpeg);
    EXPECT_EQ(got.header("cache-control"), "private, no-store");
  }
  for (Client* c : {&member_2_, &staff_, &resident_}) {
    EXPECT_EQ(c->Get(scan_path).error_code(), "talent.scan_not_found");
  }
  EXPECT_EQ(anon_.Get(scan_path).status, 401);

  // A replacement while pending; none once decided.
  const std::string pdf = "%PDF-1.4\n" + std::string(500, 'x') + "\n%%EOF\n";
  ASSERT_EQ(put(member_, pdf, "application/pdf").status, 200);
  EXPECT_EQ(member_.Get(scan_path).body, pdf);
  ASSERT_EQ(trainer_.Post("/api/v1/training/qualifications/" + id + "/reject",
                          json::object{{"reason", "扫描件不清晰"}})
                .status,
            200);
  EXPECT_EQ(put(member_, jpeg).error_code(), "talent.already_decided");
  EXPECT_EQ(member_.Get(scan_path).body, pdf);
  // Sent again, it starts without the old scan.
  auto again = member_.Post("/api/v1/training/qualifications",
                            json::object{{"level", "assistant"}, {"number", "2026440605004"}});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_TRUE(again.json.at("qualification").at("scan").is_null());
  EXPECT_EQ(trainer_.Get(scan_path).error_code(), "talent.scan_not_found");
}

TEST_F(TalentTest, OnlyMembersWhoOptedInAppearAndAWithdrawnMemberNeverDoes) {
  // Consent is required, and a certificate valid now.
  json::object no_consent = JoinBody();
  no_consent["consent"] = false;
  EXPECT_EQ(Put(member_, "/api/v1/talent/me", no_consent).error_code(), "talent.consent_required");
  EXPECT_EQ(Put(uncertified_, "/api/v1/talent/me", JoinBody()).error_code(), "talent.certificate_required");
  EXPECT_EQ(Put(member_, "/api/v1/talent/me", JoinBody(json::array{999999})).error_code(), "village_not_found");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM talent_pool"), 0);
  EXPECT_EQ(member_.Get("/api/v1/talent/me").error_code(), "talent.not_in_pool");

  auto joined = Put(member_, "/api/v1/talent/me", JoinBody());
  ASSERT_EQ(joined.status, 200) << joined.body;
  EXPECT_TRUE(joined.json.at("entry").at("in_pool").as_bool());
  // member_2_ holds a certificate too but never opted in.

  // Who may search: organisations' staff and trainers; not residents.
  EXPECT_EQ(anon_.Get("/api/v1/talent").status, 401);
  EXPECT_EQ(resident_.Get("/api/v1/talent").status, 403);
  EXPECT_EQ(Found(staff_), std::vector<int64_t>{member_id_});
  EXPECT_EQ(Found(trainer_), std::vector<int64_t>{member_id_});
  EXPECT_EQ(Found(staff_, "?skill=长者探访&village_id=" + Id(village_a_)), std::vector<int64_t>{member_id_});
  EXPECT_TRUE(Found(staff_, "?skill=财务").empty());
  EXPECT_TRUE(Found(staff_, "?village_id=" + Id(village_b_)).empty());
  EXPECT_TRUE(Found(staff_, "?qualification=social_worker").empty());
  EXPECT_EQ(staff_.Get("/api/v1/talent?qualification=master").error_field(), "qualification");
  const std::string listed = staff_.Get("/api/v1/talent").body;
  EXPECT_EQ(listed.find("13800018010"), std::string::npos);  // phones masked

  // A verified 社会工作师 shows as eligible for professional projects.
  auto q = member_.Post("/api/v1/training/qualifications", json::object{{"level", "senior"}, {"number", "G2026001"}});
  ASSERT_EQ(trainer_.Post("/api/v1/training/qualifications/" + Str(q.json.at("qualification").at("id")) + "/verify",
                          json::object{})
                .status,
            200);
  EXPECT_EQ(Found(staff_, "?qualification=social_worker"), std::vector<int64_t>{member_id_});
  EXPECT_TRUE(staff_.Get("/api/v1/talent").json.at("members").as_array().at(0).at("professional").as_bool());

  // Withdrawn: gone from every search, cannot be invited.
  auto withdrawn = member_.Delete("/api/v1/talent/me");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_FALSE(withdrawn.json.at("entry").at("in_pool").as_bool());
  EXPECT_TRUE(Found(staff_).empty());
  EXPECT_TRUE(Found(staff_, "?include_expired=true").empty());
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM talent_skills"), 0);
  EXPECT_EQ(staff_.Post("/api/v1/talent/invitations",
                        json::object{{"user_id", member_id_}, {"project_id", project_}, {"role", "探访员"}})
                .error_code(),
            "talent.not_in_pool");
  // Back in with consent again.
  ASSERT_EQ(Put(member_, "/api/v1/talent/me", JoinBody()).status, 200);
  EXPECT_EQ(Found(staff_), std::vector<int64_t>{member_id_});
}

TEST_F(TalentTest, AnExpiredCertificateDropsAMemberFromTheDefaultSearch) {
  ASSERT_EQ(Put(member_, "/api/v1/talent/me", JoinBody()).status, 200);
  server_.clock().Advance(800 * kDay);
  Client staff = UserWith(server_, "13800018030", {OrgStaff(org_)});  // sessions lapse too
  EXPECT_TRUE(Found(staff).empty());
  EXPECT_EQ(Found(staff, "?include_expired=true"), std::vector<int64_t>{member_id_});
}

TEST_F(TalentTest, AnOrganisationInvitesOntoItsProjectAndTheTeamListsWhoAccepted) {
  ASSERT_EQ(Put(member_, "/api/v1/talent/me", JoinBody()).status, 200);
  ASSERT_EQ(Put(member_2_, "/api/v1/talent/me", JoinBody()).status, 200);
  const json::object body{{"user_id", member_id_}, {"project_id", project_}, {"role", "探访员"},
                          {"message", "欢迎加入长者探访项目"}};
  EXPECT_EQ(other_staff_.Post("/api/v1/talent/invitations", body).status, 403);  // not their project
  EXPECT_EQ(resident_.Post("/api/v1/talent/invitations", body).status, 403);
  EXPECT_EQ(anon_.Post("/api/v1/talent/invitations", body).status, 401);
  json::object no_project = body;
  no_project["project_id"] = "nope";
  EXPECT_EQ(staff_.Post("/api/v1/talent/invitations", no_project).error_code(), "market.project_not_found");
  json::object outsider = body;
  outsider["user_id"] = UserId("13800018012");
  EXPECT_EQ(staff_.Post("/api/v1/talent/invitations", outsider).error_code(), "talent.not_in_pool");

  auto invited = staff_.Post("/api/v1/talent/invitations", body);
  ASSERT_EQ(invited.status, 201) << invited.body;
  const std::string inv = Str(invited.json.at("invitation").at("id"));
  EXPECT_EQ(staff_.Post("/api/v1/talent/invitations", body).error_code(), "talent.already_invited");
  json::object second = body;
  second["user_id"] = member_2_id_;
  const std::string inv_2 = Str(staff_.Post("/api/v1/talent/invitations", second).json.at("invitation").at("id"));

  // Each member sees their own; the organisation its own; others nothing.
  EXPECT_EQ(member_.Get("/api/v1/talent/invitations").json.at("invitations").as_array().size(), 1u);
  EXPECT_EQ(staff_.Get("/api/v1/talent/invitations?org_id=" + Id(org_)).json.at("invitations").as_array().size(), 2u);
  EXPECT_EQ(other_staff_.Get("/api/v1/talent/invitations?org_id=" + Id(org_)).status, 403);
  EXPECT_EQ(member_2_.Post("/api/v1/talent/invitations/" + inv + "/accept", json::object{}).status, 404);
  EXPECT_EQ(staff_.Post("/api/v1/talent/invitations/" + inv + "/accept", json::object{}).status, 404);

  ASSERT_EQ(member_.Post("/api/v1/talent/invitations/" + inv + "/accept", json::object{}).status, 200);
  EXPECT_EQ(member_.Post("/api/v1/talent/invitations/" + inv + "/decline", json::object{}).error_code(),
            "talent.already_answered");
  ASSERT_EQ(member_2_.Post("/api/v1/talent/invitations/" + inv_2 + "/decline", json::object{}).status, 200);

  // The team: who accepted, names masked in public; the project page lists them too.
  auto team = anon_.Get("/api/v1/talent/projects/" + project_ + "/team");
  ASSERT_EQ(team.status, 200) << team.body;
  ASSERT_EQ(team.json.at("team").as_array().size(), 1u);
  EXPECT_EQ(Str(team.json.at("team").as_array()[0].at("role")), "探访员");
  EXPECT_EQ(team.body.find("测试8010"), std::string::npos);
  auto page = anon_.Get("/api/v1/market/projects/" + project_);
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(page.json.at("project").at("pool_team").as_array().size(), 1u);
  EXPECT_EQ(staff_.Get("/api/v1/market/projects/" + project_).json.at("project").at("pool_team").as_array()[0].at(
                "name"),
            "测试8010");
  EXPECT_EQ(staff_.Get("/api/v1/talent").json.at("members").as_array().size(), 2u);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM talent_invitations WHERE status = 'accepted'"), 1);
}

}  // namespace
}  // namespace carecity::testing
