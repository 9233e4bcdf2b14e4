// Attachments (附件) of 关爱基金 applications over HTTP: the applicant's
// staff upload PDFs and images (the type from the bytes, 10 MB each, 10 per
// application, only while the application may be amended), the full
// viewers download them (owner, fund admins, seated unconflicted
// reviewers), everyone else gets 404; the public view lists none.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fmt/format.h>

#include <cctype>

#include "core/crypto.h"
#include "core/text.h"
#include "core/run_sync.h"
#include "domains/grants/attachment_routes.h"
#include "domains/grants/attachments.h"
#include "media/files.h"
#include "support/files.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;
using grants::kMaxAttachmentBytes;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;


// Percent-encodes a query value (every byte but unreserved ASCII).
std::string Q(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

class GrantsAttachmentsTest : public ::testing::Test {
 protected:
  GrantsAttachmentsTest()
      : admin_(UserWith(server_, "13800006001", {RoleGrant{Role::kFundAdmin}})),
        org_a_(InsertOrg(server_, "桂城长者服务中心", "91440605MA00000A61")),
        org_b_(InsertOrg(server_, "平洲社工站", "91440605MA00000B61")),
        staff_a_(UserWith(server_, "13800006002", {OrgStaff(org_a_)})),
        staff_b_(UserWith(server_, "13800006003", {OrgStaff(org_b_)})),
        resident_(UserWith(server_, "13800006004")) {
    const int64_t now = server_.clock().NowMs();
    auto call = admin_.Post(
        "/api/v1/grants/calls",
        json::object{{"title", "2026年关爱基金"},
                     {"project_types", json::array{"长者服务"}},
                     {"budget_fen", 100000000},
                     {"cap_fen", 20000000},
                     {"opens_at_ms", now - kDay},
                     {"closes_at_ms", now + 10 * kDay},
                     {"support_closes_at_ms", now + 15 * kDay},
                     {"funding_modes", json::array{"full"}},
                     {"panel", json::object{{"experts", 2}, {"citizens", 0}}},
                     {"rubric", json::array{json::object{{"criterion", "需求"}, {"weight", 100}}}}});
    EXPECT_EQ(call.status, 201) << call.body;
    call_ = call.json.at("call").at("id").as_string().c_str();
    closes_at_ = call.json.at("call").at("closes_at_ms").as_int64();
    app_ = NewApp();
  }

  std::string NewApp() {
    auto r = staff_a_.Post("/api/v1/grants/applications",
                           json::object{{"call_id", call_},
                                        {"org_id", org_a_},
                                        {"title", "长者助餐"},
                                        {"project_type", "长者服务"},
                                        {"budget_lines", json::array{json::object{{"item", "食材"}, {"amount_fen", 5000000}}}},
                                        {"requested_fen", 5000000},
                                        {"funding_mode", "full"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json.at("application").at("id").as_string()) : "";
  }
  std::string Files(const std::string& app) { return "/api/v1/grants/applications/" + app + "/attachments"; }
  HttpResult Upload(Client& c, const std::string& bytes, const std::string& type = "application/pdf",
                    const std::string& name = "项目书.pdf", const std::string& label = "项目计划书",
                    const std::string& app = "") {
    return c.Send("POST", Files(app.empty() ? app_ : app) + "?label=" + Q(label) + "&name=" + Q(name), bytes,
                  {{"Content-Type", type}});
  }
  std::string UploadedId(Client& c, const std::string& bytes, const std::string& type = "application/pdf") {
    auto r = Upload(c, bytes, type);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json.at("attachment").at("id").as_string()) : "";
  }
  HttpResult Download(Client& c, const std::string& file) { return c.Get(Files(app_) + "/" + file); }
  json::object App(Client& c) {
    auto r = c.Get("/api/v1/grants/applications/" + app_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json.at("application").as_object() : json::object{};
  }
  int64_t Stored() { return Count(server_, "SELECT COUNT(*) FROM grants_attachments"); }
  void CloseAndMakeEligible() {
    ASSERT_EQ(staff_a_.PostRaw("/api/v1/grants/applications/" + app_ + "/submit", "{}").status, 200);
    server_.clock().Set(closes_at_);
    auto r = admin_.Post("/api/v1/grants/applications/" + app_ + "/eligibility",
                         json::object{{"eligible", true}, {"note", "材料齐全"}});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  TestServer server_;
  Client admin_;
  int64_t org_a_;
  int64_t org_b_;
  Client staff_a_;
  Client staff_b_;
  Client resident_;
  std::string call_;
  int64_t closes_at_ = 0;
  std::string app_;
};

TEST_F(GrantsAttachmentsTest, TheApplicantUploadsAPdfAndAPngThatItsApplicationLists) {
  const std::string pdf = Pdf();
  auto r = Upload(staff_a_, pdf, "application/pdf", "C:\\fakepath\\..\\项目书\x01 终稿.PDF");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto& a = r.json.at("attachment");
  EXPECT_EQ(a.at("name"), "项目书 终稿.PDF");
  EXPECT_EQ(a.at("label"), "项目计划书");
  EXPECT_EQ(a.at("content_type"), "application/pdf");
  EXPECT_EQ(a.at("size_bytes"), static_cast<int64_t>(pdf.size()));
  EXPECT_EQ(std::string(a.at("sha256").as_string()), Sha256Hex(pdf));
  EXPECT_EQ(a.at("id").as_string().size(), 20u);

  // The header says PDF; the bytes are a PNG and decide. A name claiming
  // another type gets the real type's extension.
  const std::string png = Png();
  auto p = Upload(staff_a_, png, "application/octet-stream", "场地照片.html", "");
  ASSERT_EQ(p.status, 201) << p.body;
  EXPECT_EQ(p.json.at("attachment").at("content_type"), "image/png");
  EXPECT_EQ(p.json.at("attachment").at("name"), "场地照片.html.png");

  const auto app = App(staff_a_);
  ASSERT_TRUE(app.contains("attachments"));
  const auto& list = app.at("attachments").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.at(0).at("id"), a.at("id"));
  EXPECT_EQ(list.at(1).at("content_type"), "image/png");
  EXPECT_FALSE(list.at(0).as_object().contains("bytes"));
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'grants.attachment.uploaded'"), 2);

  auto got = Download(staff_a_, std::string(a.at("id").as_string()));
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, pdf);
  EXPECT_EQ(got.header("content-type"), "application/pdf");
  EXPECT_EQ(got.header("x-content-type-options"), "nosniff");
  EXPECT_NE(got.header("cache-control").find("private"), std::string::npos) << got.header("cache-control");
  EXPECT_EQ(got.header("content-disposition"),
            "attachment; filename=\"___ __.PDF\"; "
            "filename*=UTF-8''%E9%A1%B9%E7%9B%AE%E4%B9%A6%20%E7%BB%88%E7%A8%BF.PDF");
  auto img = Download(staff_a_, std::string(p.json.at("attachment").at("id").as_string()));
  ASSERT_EQ(img.status, 200);
  EXPECT_EQ(img.body, png);
  EXPECT_EQ(img.header("content-type"), "image/png");
}

TEST_F(GrantsAttachmentsTest, RefusedFilesAreNamedAndNothingIsStored) {
  auto fake = Upload(staff_a_, "<html><script>alert(1)</script></html>", "application/pdf");
  EXPECT_EQ(fake.status, 422) << fake.body;
  EXPECT_EQ(fake.error_code(), "grants.attachment_type");
  EXPECT_EQ(fake.error_field(), "file");
  // A GIF is an image, but not one we take.
  EXPECT_EQ(Upload(staff_a_, "GIF89a" + Binary(100), "image/png").error_code(), "grants.attachment_type");
  auto empty = Upload(staff_a_, "", "application/pdf");
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_EQ(empty.error_code(), "grants.attachment_empty");

  std::string big = Pdf(kMaxAttachmentBytes);
  big.resize(kMaxAttachmentBytes + 1);
  auto over = Upload(staff_a_, big);
  EXPECT_EQ(over.status, 413) << over.body.substr(0, 200);
  EXPECT_EQ(over.error_code(), "grants.attachment_too_large");
  EXPECT_EQ(over.error_field(), "file");
  std::string exact = big.substr(0, kMaxAttachmentBytes);
  big.append(100000, 'x');
  EXPECT_EQ(Upload(staff_a_, big).status, 413);  // refused unread (body_too_large)

  auto label = Upload(staff_a_, Pdf(), "application/pdf", "a.pdf", std::string(41, 'x'));
  EXPECT_EQ(label.status, 400);
  EXPECT_EQ(label.error_field(), "label");
  EXPECT_EQ(Upload(staff_a_, Pdf(), "text/plain").status, 415);
  EXPECT_EQ(Stored(), 0);

  // Anyone but the applicant's staff: 404 (401 without a session).
  EXPECT_EQ(Upload(staff_b_, Pdf()).status, 404);
  EXPECT_EQ(Upload(resident_, Pdf()).status, 404);
  EXPECT_EQ(Upload(admin_, Pdf()).status, 404);
  Client anonymous(server_);
  EXPECT_EQ(Upload(anonymous, Pdf()).status, 401);
  EXPECT_EQ(Upload(staff_a_, Pdf(), "application/pdf", "a.pdf", "x", "AAAAAAAAAAAAAAAAAAAA").status, 404);
  EXPECT_EQ(Stored(), 0);

  // Exactly 10 MiB is allowed.
  auto at_limit = Upload(staff_a_, exact);
  EXPECT_EQ(at_limit.status, 201) << at_limit.body;
  EXPECT_EQ(Stored(), 1);
}

TEST_F(GrantsAttachmentsTest, TheEleventhFileIsRefusedUntilOneIsRemoved) {
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(UploadedId(staff_a_, Png(100 + i), "image/png"));
  }
  auto eleventh = Upload(staff_a_, Pdf());
  EXPECT_EQ(eleventh.status, 409) << eleventh.body;
  EXPECT_EQ(eleventh.error_code(), "grants.too_many_attachments");
  EXPECT_EQ(Stored(), 10);

  EXPECT_EQ(staff_b_.Delete(Files(app_) + "/" + ids[0]).status, 404);
  EXPECT_EQ(resident_.Delete(Files(app_) + "/" + ids[0]).status, 404);
  EXPECT_EQ(staff_a_.Delete(Files(app_) + "/" + ids[0]).status, 204);
  EXPECT_EQ(staff_a_.Delete(Files(app_) + "/" + ids[0]).status, 404);
  EXPECT_EQ(Download(staff_a_, ids[0]).error_code(), "grants.attachment_not_found");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'grants.attachment.deleted'"), 1);
  EXPECT_EQ(Upload(staff_a_, Pdf()).status, 201);
  EXPECT_EQ(Upload(staff_a_, Pdf()).status, 409);
  EXPECT_EQ(App(staff_a_).at("attachments").as_array().size(), 10u);
}

TEST_F(GrantsAttachmentsTest, AfterTheDeadlineNothingIsAddedOrRemoved) {
  const std::string kept = UploadedId(staff_a_, Pdf());
  ASSERT_EQ(staff_a_.PostRaw("/api/v1/grants/applications/" + app_ + "/submit", "{}").status, 200);
  EXPECT_EQ(Upload(staff_a_, Png(), "image/png").status, 201);  // a submitted application still takes files
  server_.clock().Set(closes_at_);
  auto late = Upload(staff_a_, Pdf());
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "grants.deadline_passed");
  auto del = staff_a_.Delete(Files(app_) + "/" + kept);
  EXPECT_EQ(del.status, 409);
  EXPECT_EQ(del.error_code(), "grants.deadline_passed");
  EXPECT_EQ(Stored(), 2);
  EXPECT_EQ(Download(staff_a_, kept).status, 200);
}

TEST_F(GrantsAttachmentsTest, AWithdrawnApplicationTakesNoFiles) {
  const std::string other = NewApp();
  const std::string kept = UploadedId(staff_a_, Pdf());
  ASSERT_EQ(staff_a_.PostRaw("/api/v1/grants/applications/" + app_ + "/withdraw", "{}").status, 200);
  auto r = Upload(staff_a_, Pdf());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "grants.not_amendable");
  EXPECT_EQ(staff_a_.Delete(Files(app_) + "/" + kept).error_code(), "grants.not_amendable");
  // A file of one application is not found through another.
  EXPECT_EQ(staff_a_.Get(Files(other) + "/" + kept).status, 404);
  EXPECT_EQ(staff_a_.Delete(Files(other) + "/" + kept).status, 404);
  EXPECT_EQ(Stored(), 1);
}

TEST_F(GrantsAttachmentsTest, FullViewersDownloadAndEveryoneElseGets404) {
  const std::string pdf = Pdf(5000);
  const std::string file = UploadedId(staff_a_, pdf);
  // A draft: only its organisation (not even a fund admin).
  EXPECT_EQ(Download(admin_, file).status, 404);
  EXPECT_EQ(Download(staff_b_, file).status, 404);

  Client seated = UserWith(server_, "13800006101");
  Client conflicted = UserWith(server_, "13800006102");
  for (Client* c : {&seated, &conflicted}) {
    auto r = admin_.Post("/api/v1/grants/reviewers",
                         json::object{{"user_id", c->Get("/api/v1/me").json.at("id")},
                                      {"kind", "expert"},
                                      {"project_types", json::array{"长者服务"}}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
  EXPECT_EQ(Download(seated, file).status, 404);  // no seat yet
  CloseAndMakeEligible();
  auto meeting = admin_.Post("/api/v1/grants/meetings",
                             json::object{{"call_id", call_},
                                          {"held_at_ms", closes_at_ + 2 * kDay},
                                          {"venue", "桂城街道办三楼会议室"},
                                          {"scores_due_ms", closes_at_ + 3 * kDay}});
  ASSERT_EQ(meeting.status, 201) << meeting.body;
  const std::string meeting_id(meeting.json.at("meeting").at("id").as_string());
  auto assigned = admin_.PostRaw("/api/v1/grants/meetings/" + meeting_id + "/assign", "{}");
  ASSERT_EQ(assigned.status, 200) << assigned.body;
  auto me = conflicted.Get("/api/v1/grants/me/reviewer");
  ASSERT_EQ(me.status, 200) << me.body;
  const std::string conflicted_id(me.json.at("reviewer").at("id").as_string());
  EXPECT_EQ(Download(conflicted, file).status, 200);  // seated, before the declaration
  auto declared = conflicted.Post("/api/v1/grants/reviewers/" + conflicted_id + "/conflicts",
                                  json::object{{"org_id", org_a_}, {"note", "曾在该机构任职"}});
  ASSERT_EQ(declared.status, 201) << declared.body;

  for (Client* c : {&staff_a_, &admin_, &seated}) {
    auto r = Download(*c, file);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body, pdf);
    EXPECT_EQ(r.header("content-type"), "application/pdf");
    EXPECT_NE(r.header("content-disposition").find("filename*=UTF-8''"), std::string::npos);
  }
  EXPECT_EQ(App(seated).at("attachments").as_array().size(), 1u);
  Client anonymous(server_);
  for (Client* c : {&conflicted, &staff_b_, &resident_, &anonymous}) {
    auto r = Download(*c, file);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(r.body, pdf);
  }
  // The public view of an eligible application (for support votes) lists no files.
  EXPECT_FALSE(App(resident_).contains("attachments"));
  EXPECT_FALSE(App(conflicted).contains("attachments"));
  // Not amendable any more, so the owner cannot remove it either.
  EXPECT_EQ(staff_a_.Delete(Files(app_) + "/" + file).status, 409);
}

TEST(FileNamesTest, NamesLoseTheirPathsControlsAndWrongExtensions) {
  using media::SanitiseFileName;
  EXPECT_EQ(SanitiseFileName("../../etc/passwd", "application/pdf"), "passwd.pdf");
  EXPECT_EQ(SanitiseFileName("scan.JPEG", "image/jpeg"), "scan.JPEG");
  EXPECT_EQ(SanitiseFileName("scan.png", "image/jpeg"), "scan.png.jpg");
  EXPECT_EQ(SanitiseFileName("", "image/webp"), "附件.webp");
  EXPECT_EQ(SanitiseFileName("...", "application/pdf"), "附件.pdf");
  EXPECT_EQ(SanitiseFileName("a\r\nb\t.pdf", "application/pdf"), "ab.pdf");
  // U+202E (right-to-left override) would show "report\u202Efdp.exe" as "reportexe.pdf".
  EXPECT_EQ(SanitiseFileName("report\xE2\x80\xAE" "fdp.exe", "application/pdf"), "reportfdp.exe.pdf");
  EXPECT_EQ(SanitiseFileName("a<b>:c|d?.pdf", "application/pdf"), "a_b__c_d_.pdf");
  const std::string long_name = SanitiseFileName(std::string(300, 'x') + ".pdf", "application/pdf");
  EXPECT_EQ(long_name.size(), 120u);
  EXPECT_EQ(long_name.substr(116), ".pdf");
  std::string many;
  for (int i = 0; i < 200; ++i) {
    many += "项";
  }
  const std::string han = SanitiseFileName(many, "application/pdf");
  EXPECT_EQ(CodePointCount(han), 120u);
  EXPECT_EQ(media::ContentDisposition("a\"b.pdf"), "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf");
  EXPECT_EQ(media::ContentDisposition("图.png", true), "inline; filename=\"_.png\"; filename*=UTF-8''%E5%9B%BE.png");
}

}  // namespace
}  // namespace carecity::testing
