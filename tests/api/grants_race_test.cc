// Grant review's scarce things under concurrency: panel seats and load caps
// when several assignment runs and conflict declarations meet, and one
// support vote per account. On PostgreSQL through two Apps on one database
// (two servers at READ COMMITTED), on SQLite through the one writer. Each
// test fails against a check-then-act version (count the seats in C++, then
// insert).
#include <gtest/gtest.h>

#include <atomic>

#include "core/run_sync.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;
using grants::ReviewerKind;

constexpr int kApps = 6;
constexpr int kExperts = 5;
constexpr int kCitizens = 3;
constexpr int64_t kCap = 2;
constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

class GrantsRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    second_ = SecondApp(server_);
    auto& g = server_.app().grants();
    const int64_t now = server_.clock().NowMs();
    admin_ = Person("13900050000", {RoleGrant{Role::kFundAdmin}});
    auto seeded = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<bool> {
      for (int i = 0; i < 2; ++i) {
        orgs_.push_back(tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ($1, $2, '4A', 0) "
                                 "RETURNING id",
                                 {"机构" + std::to_string(i), "52440605MJL200" + std::to_string(i) + "X2A"})
                            .front()
                            .Int(0));
      }
      village_ = tx.Query("INSERT INTO villages (name, kind, rural, collective_economy, created_at_ms) VALUES "
                          "('石𬒔社区', 'community', 0, 0, 0) RETURNING id")
                     .front()
                     .Int(0);
      grants::NewCall c;
      c.title = "并发评审";
      c.project_types = {"长者服务"};
      c.budget_fen = 12'000'000;  // room for two ¥50,000 grants, not three
      c.cap_fen = 10'000'000;
      c.opens_at_ms = now - kDay;
      c.closes_at_ms = now + kDay;
      c.support_closes_at_ms = now + 5 * kDay;
      c.funding_modes = {"full"};
      c.panel_experts = 2;
      c.panel_citizens = 1;
      c.rubric = {{"需求", 1}};
      auto call = g.CreateCallTx(tx, admin_.user_id, c, "", now);
      CC_TRY(call);
      call_ = call->id;
      for (int i = 0; i < kApps; ++i) {
        grants::ApplicationDraft d;
        d.title = "项目" + std::to_string(i);
        d.project_type = "长者服务";
        d.budget_lines = {{"人力", 5'000'000}};
        d.requested_fen = 5'000'000;
        d.funding_mode = "full";
        auto a = g.CreateApplicationTx(tx, admin_.user_id, call_, orgs_[i % 2], d, "", now);
        CC_TRY(a);
        CC_TRY(g.SubmitTx(tx, admin_.user_id, a->id, "", now));
        apps_.push_back(*a);
      }
      return true;
    });
    ASSERT_TRUE(seeded.ok()) << seeded.error().key;
    for (int i = 0; i < kExperts + kCitizens; ++i) {
      const bool expert = i < kExperts;
      Principal p = Person("1390006" + std::to_string(1000 + i), {});
      grants::NewReviewer r;
      r.user_id = p.user_id;
      r.kind = expert ? ReviewerKind::kExpert : ReviewerKind::kCitizen;
      r.project_types = {"长者服务"};
      r.load_cap = kCap;
      if (!expert) {
        r.village_id = village_;
      }
      auto added = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
        return g.AddReviewerTx(tx, admin_.user_id, r, "approved", "", server_.clock().NowMs());
      });
      ASSERT_TRUE(added.ok()) << added.error().key;
      reviewers_.push_back(*added);
    }
    server_.clock().Advance(kDay);  // the call closes
    for (const auto& a : apps_) {
      auto ok = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
        return g.SetEligibilityTx(tx, admin_.user_id, a.id, true, "", "", server_.clock().NowMs());
      });
      ASSERT_TRUE(ok.ok()) << ok.error().key;
    }
    auto m = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      grants::NewMeeting in;
      in.held_at_ms = server_.clock().NowMs() + kDay;
      in.scores_due_ms = server_.clock().NowMs() + 2 * kDay;
      return g.CreateMeetingTx(tx, admin_.user_id, call_, in, "", server_.clock().NowMs());
    });
    ASSERT_TRUE(m.ok());
    meeting_ = m->public_id;
  }
  void TearDown() override { second_.reset(); }

  Principal Person(const std::string& phone, std::vector<RoleGrant> roles) {
    Principal p;
    p.display_name = "评审" + phone.substr(7);
    p.roles = roles;
    p.user_id = *db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return server_.app().accounts().EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone}, p.display_name, "x",
                                                   roles, "");
    });
    return p;
  }
  grants::GrantsService& Grants(size_t i) {
    return (second_ && i % 2 == 1) ? second_->grants() : server_.app().grants();
  }
  // The hard rules on the live seats as stored: panel sizes, load caps, no pair twice.
  void ExpectSeatsWithinRules() {
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM (SELECT application_id FROM grants_assignments WHERE kind = "
                             "'expert' AND status IN ('proposed', 'accepted') GROUP BY application_id HAVING "
                             "COUNT(*) > 2) x"),
              0);
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM (SELECT application_id FROM grants_assignments WHERE kind = "
                             "'citizen' AND status IN ('proposed', 'accepted') GROUP BY application_id HAVING "
                             "COUNT(*) > 1) x"),
              0);
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM (SELECT reviewer_id FROM grants_assignments WHERE status IN "
                             "('proposed', 'accepted') GROUP BY reviewer_id HAVING COUNT(*) > 2) x"),
              0);
  }

  TestServer server_;
  std::unique_ptr<app::App> second_;
  Principal admin_;
  std::vector<int64_t> orgs_;
  int64_t village_ = 0;
  int64_t call_ = 0;
  std::vector<grants::Application> apps_;
  std::vector<grants::Reviewer> reviewers_;
  std::string meeting_;
};

TEST_F(GrantsRaceTest, AssignmentRunsAtOnceNeverOverfillAPanelOrALoadCap) {
  std::atomic<int> ok{0}, changed{0}, other{0};
  RunAtOnce(8, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string meeting = meeting_;
    std::string ip = "race";
    auto r = co_await Grants(i).Assign(admin_, std::move(meeting), false, std::move(ip));
    if (r.ok()) {
      ++ok;
    } else if (r.error().key == "grants.pool_changed" || r.error().key == "busy") {
      ++changed;
    } else {
      ++other;
    }
  });
  EXPECT_GE(ok.load(), 1);
  EXPECT_EQ(other.load(), 0);
  ExpectSeatsWithinRules();
  // 5 experts × cap 2 = 10 expert seats for 12 wanted; 3 citizens × 2 = 6 for 6.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE kind = 'expert' AND status = 'proposed'"),
            10);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments WHERE kind = 'citizen' AND status = 'proposed'"),
            6);
}

TEST_F(GrantsRaceTest, AConflictDeclaredDuringAssignmentNeverLeavesAConflictedSeat) {
  // Expert 0 declares a conflict with org 0 while assignment runs go on.
  std::atomic<int> declared{0};
  RunAtOnce(6, [&](size_t i) -> boost::asio::awaitable<void> {
    if (i == 3) {
      grants::NewConflict c;
      c.org_id = orgs_[0];
      c.note = "前同事";
      std::string reviewer = reviewers_[0].public_id;
      std::string ip = "race";
      auto r = co_await Grants(i).DeclareConflict(admin_, std::move(reviewer), std::move(c), std::move(ip));
      if (r.ok()) {
        ++declared;
      }
      co_return;
    }
    std::string meeting = meeting_;
    std::string ip = "race";
    auto r = co_await Grants(i).Assign(admin_, std::move(meeting), false, std::move(ip));
    (void)r;
  });
  ASSERT_EQ(declared.load(), 1);
  // Whatever the order, expert 0 holds no live seat on org 0's applications.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_assignments s JOIN grants_applications a ON a.id = "
                           "s.application_id WHERE s.reviewer_id = " +
                               std::to_string(reviewers_[0].id) + " AND a.org_id = " + std::to_string(orgs_[0]) +
                               " AND s.status IN ('proposed', 'accepted')"),
            0);
  ExpectSeatsWithinRules();
}

TEST_F(GrantsRaceTest, OneAccountsVotesAtOnceCountOnce) {
  server_.clock().Advance(kDay / 2);  // inside the support phase
  const Principal voter = Person("13900070000", {});
  std::atomic<int> counted{0}, repeated{0};
  RunAtOnce(12, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string app = apps_[0].public_id;
    auto r = co_await Grants(i).Support(voter, std::move(app));
    if (r.ok() && r->counted) {
      ++counted;
    } else if (r.ok()) {
      ++repeated;
    }
  });
  EXPECT_EQ(counted.load(), 1);
  EXPECT_EQ(repeated.load(), 11);
  EXPECT_EQ(Count(server_, "SELECT support_count FROM grants_applications WHERE id = " + std::to_string(apps_[0].id)),
            1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM grants_support_votes"), 1);
}

TEST_F(GrantsRaceTest, DecisionsAtOnceNeverAwardMoreThanTheBudget) {
  auto assigned = RunSync(server_.app().grants().Assign(admin_, meeting_, false, "race"));
  ASSERT_TRUE(assigned.ok()) << assigned.error().key;
  // Six approvals of ¥50,000 against a ¥120,000 budget, at once, on two servers.
  std::atomic<int> approved{0}, over{0}, other{0};
  RunAtOnce(kApps, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string app = apps_[i].public_id;
    std::string decision = "approved";
    std::string reason = "排名靠前";
    std::string ip = "race";
    auto r = co_await Grants(i).Decide(admin_, std::move(app), std::move(decision), 5'000'000, std::move(reason),
                                       std::move(ip));
    if (r.ok()) {
      ++approved;
    } else if (r.error().key == "grants.over_budget") {
      ++over;
    } else {
      ++other;
    }
  });
  EXPECT_EQ(approved.load(), 2);
  EXPECT_EQ(over.load(), kApps - 2);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Count(server_, "SELECT awarded_fen FROM grants_calls"), 10'000'000);
  EXPECT_EQ(Count(server_, "SELECT SUM(awarded_fen) FROM grants_applications"), 10'000'000);
}

}  // namespace
}  // namespace carecity::testing
