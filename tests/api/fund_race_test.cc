// The fund's rules on scarce things hold when many requests decide at the
// same moment: on PostgreSQL through two Apps on one database (two servers,
// each with its own connection pool at READ COMMITTED), on SQLite through the
// one writer's queue. Each test fails against a check-then-act version of
// the rule (read the row, decide in C++, write).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <boost/json.hpp>

#include "core/run_sync.h"
#include "domains/fund/ledger.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int kRacers = 12;

class FundRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    second_ = SecondApp(server_);
    org_ = db::WriteSync(server_.app().store(), [](db::Tx& tx) {
      return tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ('博睿社工', "
                      "'52440605MJL1001X2A', '5A', 0) RETURNING id")
          .front()
          .Int(0);
    });
    for (int i = 0; i < kRacers + 1; ++i) {
      admins_.push_back(Admin("1380009" + std::to_string(1000 + i)));
    }
  }
  void TearDown() override { second_.reset(); }

  // A fund admin (a real user, so the audit log names them).
  Principal Admin(const std::string& phone) {
    UserWith(server_, phone, {RoleGrant{Role::kFundAdmin}});
    Principal p;
    p.user_id = Count(server_, "SELECT id FROM users WHERE phone = '" + phone + "'");
    p.roles = {RoleGrant{Role::kFundAdmin}};
    return p;
  }
  // The i-th racer's server: alternately this one and the second.
  fund::FundService& Fund(size_t i) {
    return (second_ && i % 2 == 1) ? second_->fund() : server_.app().fund();
  }
  void Allocate(Fen amount, std::optional<int64_t> purpose = {}) {
    fund::NewAllocation a;
    a.amount_fen = amount;
    a.budget_ref = "桂财〔2012〕1号";
    a.purpose_id = purpose;
    ASSERT_TRUE(RunSync(server_.app().fund().RecordAllocation(admins_[0], a)).ok());
  }
  int64_t Commit(Fen amount) {
    fund::NewCommitment c{org_, std::nullopt, amount, "长者探访"};
    auto r = RunSync(server_.app().fund().CreateCommitment(admins_[0], c));
    EXPECT_TRUE(r.ok()) << r.error().key;
    return *r;
  }
  // A disbursement's payment, booked by hand (as an intruder or a bug would).
  fund::EntryInput PaymentEntry(int64_t disbursement_id, Fen amount) const {
    fund::EntryInput e;
    e.kind = "disbursement";
    e.ref_type = "disbursement";
    e.ref_id = disbursement_id;
    e.memo = "重复拨付";
    e.lines = {{fund::OrgPayableAccount(org_), amount}, {std::string(fund::kBank), -amount}};
    return e;
  }
  // No fund below zero, entries balanced, the chain intact.
  void ExpectBooksHold() {
    auto books = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
    EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
    EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_accounts WHERE type = 'net_assets' AND balance_fen > 0"), 0);
  }

  TestServer server_;
  std::unique_ptr<app::App> second_;
  int64_t org_ = 0;
  std::vector<Principal> admins_;
};

TEST_F(FundRaceTest, CheckersApprovingOneDisbursementAtOnceMakeExactlyOnePayment) {
  Allocate(1'000'000);
  const int64_t c = Commit(900'000);  // room for two payments of this size, were both to pass
  auto proposed = RunSync(server_.app().fund().ProposeDisbursement(admins_[0], c, 400'000, ""));
  ASSERT_TRUE(proposed.ok());
  const int64_t id = proposed->id;
  std::atomic<int> paid{0}, refused{0};
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    auto r = co_await Fund(i).ApproveDisbursement(admins_[i + 1], id);
    if (r.ok() && r->status == "paid") {
      ++paid;
    } else if (!r.ok() && r.error().key == "disbursement_not_pending") {
      ++refused;
    }
  });
  EXPECT_EQ(paid.load(), 1);
  EXPECT_EQ(refused.load(), kRacers - 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'disbursement'"), 1);
  EXPECT_EQ(Count(server_, "SELECT disbursed_fen FROM fund_commitments"), 400'000);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_disbursement_approvals"), 1);
  ExpectBooksHold();
}

TEST_F(FundRaceTest, GrantsMadeAtOnceNeverOverdrawTheFund) {
  Allocate(100'000);
  std::atomic<int> granted{0}, refused{0};
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    fund::NewCommitment c{org_, std::nullopt, 30'000, "项目" + std::to_string(i)};
    auto r = co_await Fund(i).CreateCommitment(admins_[i % admins_.size()], c);
    if (r.ok()) {
      ++granted;
    } else if (r.error().key == "insufficient_funds") {
      ++refused;
    }
  });
  EXPECT_EQ(granted.load(), 3);  // 3 × 30,000 ≤ 100,000 < 4 × 30,000
  EXPECT_EQ(refused.load(), kRacers - 3);
  EXPECT_EQ(Count(server_, "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_commitments"), 90'000);
  ExpectBooksHold();
}

TEST_F(FundRaceTest, InstalmentsRecordedAtOnceNeverExceedTheSponsorsCommitment) {
  fund::NewSponsorship s{"南海慈善基金会", "foundation", 100'000, std::nullopt, "南海慈善·关爱计划", 1, 2, 4};
  auto sid = RunSync(server_.app().fund().CreateSponsorship(admins_[0], s));
  ASSERT_TRUE(sid.ok());
  std::atomic<int> recorded{0};
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string reference = "第" + std::to_string(i) + "期";  // named arguments inside co_await (g++ 12 trap)
    auto r = co_await Fund(i).RecordInstalment(admins_[0], *sid, 30'000, std::move(reference));
    if (r.ok()) {
      ++recorded;
    }
  });
  EXPECT_EQ(recorded.load(), 3);
  EXPECT_EQ(Count(server_, "SELECT SUM(amount_fen) FROM fund_sponsorship_instalments"), 90'000);
  ExpectBooksHold();
}

TEST_F(FundRaceTest, DisbursementsProposedAtOnceNeverExceedTheGrant) {
  Allocate(1'000'000);
  const int64_t c = Commit(100'000);
  std::atomic<int> proposed{0};
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string memo;
    auto r = co_await Fund(i).ProposeDisbursement(admins_[0], c, 30'000, std::move(memo));
    if (r.ok()) {
      ++proposed;
    }
  });
  EXPECT_EQ(proposed.load(), 3);
  EXPECT_EQ(Count(server_, "SELECT SUM(amount_fen) FROM fund_disbursements WHERE status = 'proposed'"), 90'000);
}

TEST_F(FundRaceTest, ARefundAndAGrantRacingForTheSameMoneyNeverBothTakeIt) {
  // The fund holds exactly one donation's worth; a refund of that donation
  // and a grant of all of it race: one wins, and no fund goes below zero.
  Client donor(server_);
  auto created = donor.Post("/api/v1/fund/donations", json::value{{"amount_fen", 50'000}, {"anonymous", false}},
                            {{"Idempotency-Key", "race-refund-1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const Checkout k = CheckoutOf(created);
  ASSERT_EQ(donor.PostRaw("/api/v1/payments/sandbox/" + k.payment + "/pay" + k.Q(), "{}").status, 200);
  const std::string donation = k.donation;
  std::atomic<int> refunds{0}, grants{0};
  RunAtOnce(2, [&](size_t i) -> boost::asio::awaitable<void> {
    if (i == 0) {
      std::string reason = "捐赠人申请退款";
      auto r = co_await Fund(0).RefundDonation(admins_[1], donation, std::move(reason));
      refunds += r.ok() ? 1 : 0;
    } else {
      fund::NewCommitment c{org_, std::nullopt, 50'000, "长者探访"};
      auto r = co_await Fund(1).CreateCommitment(admins_[2], c);
      grants += r.ok() ? 1 : 0;
    }
  });
  EXPECT_EQ(refunds.load() + grants.load(), 1);
  ExpectBooksHold();
}

TEST_F(FundRaceTest, GuestsRacingWithOneIdempotencyKeyGetOneDonationAndNoError) {
  // Twelve requests from one guest address carry the same key: one donation,
  // every request answered with it (before: the losers hit the primary key
  // and got a 500).
  std::atomic<int> ok{0};
  std::mutex mu;
  std::set<std::string> ids;
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    fund::DonationInput in;
    in.amount_fen = 2000;
    in.payer_ip = "203.0.113.7";
    std::string name, key = "guest-same-key";
    auto r = co_await Fund(i).Donate(std::nullopt, std::move(name), in, std::move(key));
    if (r.ok()) {
      ++ok;
      std::lock_guard lock(mu);
      ids.insert(r->donation.public_id);
    }
  });
  EXPECT_EQ(ok.load(), kRacers);
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_donations"), 1);
  // Another guest (another address) with the same key is another donation.
  fund::DonationInput other;
  other.amount_fen = 2000;
  other.payer_ip = "198.51.100.9";
  auto r = RunSync(server_.app().fund().Donate(std::nullopt, "", other, "guest-same-key"));
  ASSERT_TRUE(r.ok()) << r.error().key;
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_donations"), 2);
}

TEST_F(FundRaceTest, TheDatabaseRefusesASecondPaymentOfADisbursementWhateverTheCode) {
  // The last guard under the row lock: one booking per disbursement is a
  // unique index, and a fund's balance crossing zero a constraint.
  Allocate(100'000);
  const int64_t c = Commit(50'000);
  auto proposed = RunSync(server_.app().fund().ProposeDisbursement(admins_[0], c, 20'000, ""));
  ASSERT_TRUE(RunSync(server_.app().fund().ApproveDisbursement(admins_[1], proposed->id)).ok());
  const auto second_booking = [&](db::Tx& tx) {
    return fund::ledger::RecordEntry(tx, PaymentEntry(proposed->id, 20'000), 1);
  };
  EXPECT_THROW(db::WriteSync(server_.app().store(), second_booking), db::DbError);
  const auto overdraw = [&](db::Tx& tx) {
    fund::EntryInput e;
    e.kind = "grant";
    e.ref_type = "test";
    e.memo = "超额";
    e.lines = {{std::string(fund::kGeneralFund), 60'000}, {fund::OrgPayableAccount(org_), -60'000}};
    return fund::ledger::RecordEntry(tx, e, 1);
  };
  EXPECT_THROW(db::WriteSync(server_.app().store(), overdraw), db::DbError);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'disbursement'"), 1);
  ExpectBooksHold();
}

TEST_F(FundRaceTest, OnePurposeCodeAndOneReportPerPeriodWhoeverAsksAtOnce) {
  std::atomic<int> created{0}, taken{0};
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    fund::NewPurpose np{"elderly", "关爱长者计划", "", true, "53440605X"};
    auto r = co_await Fund(i).CreatePurpose(admins_[i], np);
    created += r.ok() ? 1 : 0;
    taken += !r.ok() && r.error().key == "purpose_exists" ? 1 : 0;
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(taken.load(), kRacers - 1);
  const int64_t pid = Count(server_, "SELECT id FROM fund_purposes WHERE code = 'elderly'");
  std::atomic<int> published{0}, exists{0};
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    std::string period = "progress-1", title = "第一季度募捐进展", body = "本期……";
    auto r = co_await Fund(i).PublishDisclosure(admins_[i], pid, std::move(period), std::move(title), std::move(body));
    published += r.ok() ? 1 : 0;
    exists += !r.ok() && r.error().key == "disclosure_exists" ? 1 : 0;
  });
  EXPECT_EQ(published.load(), 1);
  EXPECT_EQ(exists.load(), kRacers - 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_disclosures"), 1);
}

TEST_F(FundRaceTest, VerifyFindsMoneyPaidTwiceEvenWhenEveryEntryBalances) {
  // Someone with write access to the database drops the guards and books a
  // disbursement twice, inflates a grant's paid total and an instalment:
  // each entry balances and the chain is recomputed, yet verify says which
  // business rule broke.
  Allocate(100'000);
  const int64_t c = Commit(50'000);
  auto proposed = RunSync(server_.app().fund().ProposeDisbursement(admins_[0], c, 20'000, ""));
  ASSERT_TRUE(RunSync(server_.app().fund().ApproveDisbursement(admins_[1], proposed->id)).ok());
  fund::NewSponsorship sp{"南海慈善基金会", "foundation", 10'000, std::nullopt, "冠名", 1, 2, 1};
  auto sid = RunSync(server_.app().fund().CreateSponsorship(admins_[0], sp));
  ASSERT_TRUE(sid.ok());
  ExpectBooksHold();
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Status {
    tx.ExecScript("DROP INDEX fund_entries_booked_once");
    auto booked = fund::ledger::RecordEntry(tx, PaymentEntry(proposed->id, 20'000), 2);
    if (!booked.ok()) {
      return booked.error();
    }
    tx.Exec("UPDATE fund_commitments SET disbursed_fen = 40000 WHERE id = $1", {c});
    tx.Exec("INSERT INTO fund_sponsorship_instalments (sponsorship_id, amount_fen, reference, entry_id, created_by, "
            "received_at_ms) VALUES ($1, 20000, 'x', 1, 1, 1)",
            {*sid});
    return {};
  });
  auto books = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
  EXPECT_FALSE(books.ok);
  std::string all;
  for (const auto& p : books.problems) {
    all += p + "\n";
  }
  EXPECT_NE(all.find("disbursement " + std::to_string(proposed->id) + " is booked more than once"), std::string::npos)
      << all;
  EXPECT_NE(all.find("commitment " + std::to_string(c)), std::string::npos) << all;
  EXPECT_NE(all.find("sponsorship " + std::to_string(*sid)), std::string::npos) << all;
}

}  // namespace
}  // namespace carecity::testing
