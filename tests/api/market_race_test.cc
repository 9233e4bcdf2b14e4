// The market's guarded writes under concurrency: one survey answer per
// resident and round (the primary key decides), and one review per listing
// (the conditional update decides). On PostgreSQL through two Apps on one
// database (two servers at READ COMMITTED), on SQLite through the one
// writer. A check-then-act version (read "answered?", then insert) fails
// the first on PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>

#include "core/run_sync.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

class MarketRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    second_ = SecondApp(server_);
    auto seeded = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<bool> {
      org_ = tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ('机构', "
                      "'52440605MJL2000X9A', '4A', 0) RETURNING id")
                 .front()
                 .Int(0);
      village_ = tx.Query("INSERT INTO villages (name, kind, rural, collective_economy, created_at_ms) VALUES "
                          "('平东村', 'village', 1, 1, 0) RETURNING id")
                     .front()
                     .Int(0);
      return true;
    });
    ASSERT_TRUE(seeded.ok());
    RoleGrant vs{Role::kVillageStaff};
    vs.village_id = village_;
    staff_ = Person("13900120000", {vs});
    admin_ = Person("13900120001", {RoleGrant{Role::kFundAdmin}});
    RoleGrant os{Role::kOrgStaff};
    os.org_id = org_;
    org_staff_ = Person("13900120002", {os});
    resident_ = Person("13900120003", {});
    db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return tx.Exec("UPDATE users SET home_village_id = $1 WHERE id = $2", {village_, resident_.user_id});
    });
  }

  void TearDown() override { second_.reset(); }

  Principal Person(const std::string& phone, std::vector<RoleGrant> roles) {
    Principal p;
    p.display_name = "测试" + phone.substr(7);
    p.roles = roles;
    p.user_id = *db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return server_.app().accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone}, p.display_name, "x",
                                                   roles, "");
    });
    return p;
  }

  market::MarketService& Market(size_t i) {
    return (second_ && i % 2 == 1) ? second_->market() : server_.app().market();
  }

  TestServer server_;
  std::unique_ptr<app::App> second_;
  int64_t org_ = 0;
  int64_t village_ = 0;
  Principal staff_;
  Principal admin_;
  Principal org_staff_;
  Principal resident_;
};

TEST_F(MarketRaceTest, OneResidentAnsweringManyTimesAtOnceIsCountedOnce) {
  market::SurveyRound r;
  r.village_id = village_;
  r.title = "需求调查";
  r.options = {"长者探访", "青少年托管"};
  r.opens_at_ms = server_.clock().NowMs() - kDay;
  r.closes_at_ms = server_.clock().NowMs() + kDay;
  auto round = RunSync(server_.app().market().OpenRound(staff_, r, "race"));
  ASSERT_TRUE(round.ok()) << round.error().key;
  std::atomic<int> ok{0};
  std::atomic<int> repeated{0};
  std::atomic<int> other{0};
  RunAtOnce(12, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string id = round->round.public_id;
    market::SurveyAnswer a{{"长者探访"}, "", i % 2 == 0 ? "60to79" : "80plus"};
    auto res = co_await Market(i).Answer(resident_, std::move(id), std::move(a));
    if (res.ok()) {
      ++ok;
    } else if (res.error().key == "market.already_answered" || res.error().key == "busy") {
      ++repeated;
    } else {
      ++other;
    }
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(repeated.load(), 11);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_survey_answers"), 1);
}

TEST_F(MarketRaceTest, ManyAdminsApprovingOneListingAtOnceApproveItOnce) {
  market::ProjectDraft d;
  d.title = "长者探访";
  d.project_type = "长者服务";
  d.target_group = "独居长者";
  d.price_kind = "fixed";
  d.price_min_fen = d.price_max_fen = 3'000'000;
  d.duration_days = 90;
  d.indicators = {"探访 300 人次"};
  auto listing = RunSync(server_.app().market().CreateProject(org_staff_, org_, d, "", "race"));
  ASSERT_TRUE(listing.ok()) << listing.error().key;
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  RunAtOnce(10, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string id = listing->project.public_id;
    std::string note = i % 2 == 0 ? "" : "不符合要求";
    std::string ip = "race";
    auto res = co_await Market(i).ReviewProject(admin_, std::move(id), i % 2 == 0, std::move(note), std::move(ip));
    if (res.ok()) {
      ++ok;
    } else if (res.error().key == "market.project_not_pending" || res.error().key == "busy") {
      ++refused;
    }
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 9);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action IN ('market.project.approved', "
                           "'market.project.rejected')"),
            1);
}

}  // namespace
}  // namespace carecity::testing
