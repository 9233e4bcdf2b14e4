// The 供需见面会 over HTTP (issue 12): an admin creates the meeting as an
// event; invited organisations put their approved projects on the booth
// list; invited villages shortlist from their phones; organisations see who
// shortlisted them; a village turns its shortlist into quote requests in one
// tap (an urban community is refused and nothing is written); the public
// report counts what the meeting yielded.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr int64_t kHour = 60LL * 60 * 1000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

class MarketMeetingsTest : public ::testing::Test {
 protected:
  MarketMeetingsTest()
      : admin_(UserWith(server_, "13800014001", {RoleGrant{Role::kFundAdmin}})),
        org_a_(InsertOrg(server_, "博睿社会工作服务中心", "91440605MA00014A01")),
        org_b_(InsertOrg(server_, "启创社工", "91440605MA00014B01")),
        staff_a_(UserWith(server_, "13800014002", {OrgStaff(org_a_)})),
        staff_b_(UserWith(server_, "13800014003", {OrgStaff(org_b_)})),
        rural_(InsertVillage(server_, "叠滘村", true, true)),
        rural_2_(InsertVillage(server_, "平东村", true, true)),
        urban_(InsertVillage(server_, "夏北社区", false)),
        vstaff_(UserWith(server_, "13800014004", {VillageStaff(rural_)})),
        vstaff_2_(UserWith(server_, "13800014005", {VillageStaff(rural_2_)})),
        ustaff_(UserWith(server_, "13800014006", {VillageStaff(urban_)})),
        anon_(server_) {
    venue_ = db::WriteSync(server_.app().store(), [](db::Tx& tx) {
      return tx.Query("INSERT INTO venues (name, address, created_at_ms) VALUES ('关爱桂城企业创享家', "
                      "'佛山市南海区桂城街道', 0) RETURNING id")
          .front()
          .Int(0);
    });
    project_a_ = Listing(staff_a_, org_a_, "长者居家探访");
    project_a2_ = Listing(staff_a_, org_a_, "四点半课堂");
    project_b_ = Listing(staff_b_, org_b_, "社区花园共建");
    starts_ = server_.clock().NowMs() + 2 * kDay;
    auto m = admin_.Post("/api/v1/market/meetings", MeetingBody());
    EXPECT_EQ(m.status, 201) << m.body;
    meeting_ = Str(m.json.at("meeting").at("id"));
  }

  std::string Listing(Client& staff, int64_t org, const std::string& title) {
    auto r = staff.Post("/api/v1/market/projects",
                        json::object{{"org_id", org},
                                     {"title", title},
                                     {"project_type", "长者服务"},
                                     {"target_group", "独居长者"},
                                     {"price", json::object{{"kind", "fixed"}, {"min_fen", 2000000}, {"max_fen", 2000000}}},
                                     {"duration_days", 180},
                                     {"indicators", json::array{"满意度 90%"}}});
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string id = Str(r.json.at("project").at("id"));
    EXPECT_EQ(admin_.Post("/api/v1/market/projects/" + id + "/approve", json::object{}).status, 200);
    return id;
  }

  json::object MeetingBody() {
    return json::object{{"title", "2012年关爱桂城社会服务供需见面会"},
                        {"host_org_id", org_a_},
                        {"venue_id", venue_},
                        {"starts_at_ms", starts_},
                        {"ends_at_ms", starts_ + 6 * kHour},
                        {"capacity", 120},
                        {"seats_per_village", 3},
                        {"seats_per_org", 2},
                        {"village_ids", json::array{rural_, urban_}},
                        {"org_ids", json::array{org_a_}}};
  }

  std::string M(const std::string& tail = "") { return "/api/v1/market/meetings/" + meeting_ + tail; }

  HttpResult Booth(Client& staff, const std::string& project, int64_t from_h = 1) {
    return staff.Post(M("/booths"), json::object{{"project_id", project},
                                                 {"starts_at_ms", starts_ + from_h * kHour},
                                                 {"ends_at_ms", starts_ + (from_h + 1) * kHour},
                                                 {"table_no", "A1"}});
  }

  HttpResult Pick(Client& staff, int64_t village, const std::string& project) {
    return staff.Post(M("/shortlist"), json::object{{"village_id", village}, {"project_id", project}});
  }

  TestServer server_;
  Client admin_;
  int64_t org_a_;
  int64_t org_b_;
  Client staff_a_;
  Client staff_b_;
  int64_t rural_;
  int64_t rural_2_;
  int64_t urban_;
  Client vstaff_;
  Client vstaff_2_;
  Client ustaff_;
  Client anon_;
  int64_t venue_ = 0;
  std::string project_a_;
  std::string project_a2_;
  std::string project_b_;
  int64_t starts_ = 0;
  std::string meeting_;
};

TEST_F(MarketMeetingsTest, OnlyAnAdminCreatesAMeetingAndItIsAnEventForTheInvitedVillages) {
  EXPECT_EQ(staff_a_.Post("/api/v1/market/meetings", MeetingBody()).status, 403);
  EXPECT_EQ(anon_.Post("/api/v1/market/meetings", MeetingBody()).status, 401);
  json::object bad = MeetingBody();
  bad["village_ids"] = json::array{rural_, 9999};
  auto nf = admin_.Post("/api/v1/market/meetings", bad);
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(nf.error_field(), "village_ids[1]");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_meetings"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM events"), 1);

  auto m = anon_.Get(M());
  ASSERT_EQ(m.status, 200) << m.body;
  EXPECT_EQ(Str(m.json.at("meeting").at("venue").at("name")), "关爱桂城企业创享家");
  EXPECT_EQ(m.json.at("meeting").at("villages").as_array().size(), 2u);
  const int64_t event = m.json.at("meeting").at("event_id").as_int64();
  auto e = anon_.Get("/api/v1/events/" + std::to_string(event));
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(Str(e.json.at("event").at("audience")), "villages");
}

TEST_F(MarketMeetingsTest, InvitedOrganisationsPutTheirApprovedProjectsOnTheBoothList) {
  auto ok = Booth(staff_a_, project_a_);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json.at("meeting").at("booths").as_array().size(), 1u);
  EXPECT_EQ(Booth(staff_a_, project_a_).error_code(), "market.booth_exists");
  EXPECT_EQ(Booth(staff_b_, project_b_).error_code(), "market.not_invited");  // org_b was not invited
  EXPECT_EQ(Booth(staff_b_, project_a2_).status, 403);                       // not its project
  EXPECT_EQ(Booth(staff_a_, project_a2_, 7).error_code(), "market.booth_time");  // after the meeting's hours
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_meeting_booths"), 1);
}

TEST_F(MarketMeetingsTest, VillagesShortlistOrganisationsSeeWhoAndOneTapMakesQuoteRequests) {
  ASSERT_EQ(Booth(staff_a_, project_a_).status, 201);
  ASSERT_EQ(Booth(staff_a_, project_a2_, 2).status, 201);
  EXPECT_EQ(Pick(vstaff_, rural_, project_b_).error_code(), "market.not_presented");
  EXPECT_EQ(Pick(vstaff_2_, rural_2_, project_a_).error_code(), "market.not_invited");
  EXPECT_EQ(Pick(vstaff_2_, rural_, project_a_).status, 403);
  auto picked = Pick(vstaff_, rural_, project_a_);
  ASSERT_EQ(picked.status, 200) << picked.body;
  ASSERT_EQ(Pick(vstaff_, rural_, project_a2_).status, 200);
  EXPECT_EQ(Pick(vstaff_, rural_, project_a2_).json.at("shortlist").as_array().size(), 2u);  // once each
  ASSERT_EQ(Pick(ustaff_, urban_, project_a_).status, 200);

  auto interest = staff_a_.Get(M("/shortlist?org_id=" + std::to_string(org_a_)));
  ASSERT_EQ(interest.status, 200) << interest.body;
  EXPECT_EQ(interest.json.at("shortlist").as_array().size(), 3u);
  EXPECT_EQ(staff_b_.Get(M("/shortlist?org_id=" + std::to_string(org_a_))).status, 403);
  EXPECT_EQ(vstaff_2_.Get(M("/shortlist?village_id=" + std::to_string(rural_))).status, 403);

  // An urban community: refused, nothing written.
  auto urban = ustaff_.Post(M("/shortlist/quote-requests"), json::object{{"village_id", urban_}});
  EXPECT_EQ(urban.status, 422);
  EXPECT_EQ(urban.error_code(), "market.not_rural");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_quote_requests"), 0);

  auto converted = vstaff_.Post(M("/shortlist/quote-requests"), json::object{{"village_id", rural_}});
  ASSERT_EQ(converted.status, 201) << converted.body;
  EXPECT_EQ(converted.json.at("quote_requests").as_array().size(), 2u);
  EXPECT_EQ(vstaff_.Post(M("/shortlist/quote-requests"), json::object{{"village_id", rural_}}).error_code(),
            "market.shortlist_empty");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_quote_requests WHERE village_id = " + std::to_string(rural_)), 2);
  // A requested entry stays on the list.
  auto del = vstaff_.Delete(M("/shortlist/" + project_a_ + "?village_id=" + std::to_string(rural_)));
  EXPECT_EQ(del.status, 409) << del.body;

  // The report: a contract from the meeting's request counts, with its value.
  const std::string request = Str(converted.json.at("quote_requests").at(0).at("id"));
  auto quote = staff_a_.Post("/api/v1/market/quotes",
                             json::object{{"quote_request_id", request},
                                          {"amount_fen", 2000000},
                                          {"milestones", json::array{json::object{{"title", "全程服务"},
                                                                                  {"due_ms", starts_ + 90 * kDay},
                                                                                  {"amount_fen", 2000000}}}}});
  ASSERT_EQ(quote.status, 201) << quote.body;
  ASSERT_EQ(vstaff_.Post("/api/v1/market/quotes/" + Str(quote.json.at("quote").at("id")) + "/accept", json::object{}).status,
            201);
  auto report = anon_.Get(M()).json.at("meeting").at("report");
  EXPECT_EQ(report.at("projects_presented").as_int64(), 2);
  EXPECT_EQ(report.at("villages_shortlisting").as_int64(), 2);
  EXPECT_EQ(report.at("intentions").as_int64(), 3);
  EXPECT_EQ(report.at("quote_requests").as_int64(), 2);
  EXPECT_EQ(report.at("contracts").as_int64(), 1);
  EXPECT_EQ(report.at("contracts_fen").as_int64(), 2000000);
}

TEST_F(MarketMeetingsTest, AfterTheMeetingTheShortlistAndBoothsClose) {
  ASSERT_EQ(Booth(staff_a_, project_a_).status, 201);
  server_.clock().Advance(2 * kDay + 6 * kHour + kDay);
  EXPECT_EQ(Pick(vstaff_, rural_, project_a_).error_code(), "market.meeting_over");
  EXPECT_EQ(Booth(staff_a_, project_a2_, 2).error_code(), "market.meeting_over");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_meeting_shortlists"), 0);
}

}  // namespace
}  // namespace carecity::testing
