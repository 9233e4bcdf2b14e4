// Ledger invariants under random operation sequences (fixed seed): every
// entry sums to zero, balances equal the sums of their lines, the chain
// holds — and tampering is caught.
#include <gtest/gtest.h>

#include <random>

#include "domains/fund/ledger.h"
#include "support/test_server.h"

namespace carecity::fund {
namespace {

using carecity::testing::TestServer;

class LedgerTest : public ::testing::Test {
 protected:
  VerifyReport Verify() {
    return db::ReadSync(server_.app().store(), [](db::Tx& tx) { return ledger::Verify(tx); });
  }
  int64_t Scalar(const std::string& sql) {
    return db::ReadSync(server_.app().store(), [&](db::Tx& tx) { return tx.Query(sql).front().Int(0); });
  }
  TestServer server_;
};

TEST_F(LedgerTest, RandomOperationsKeepTheBooksBalanced) {
  auto& fund = server_.app().fund();
  std::mt19937_64 rng(20120302);
  const int64_t org = db::WriteSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("INSERT INTO orgs (name, credit_code, created_at_ms) VALUES ('博睿社工', '52440605MJL1001X2A', 0) "
                    "RETURNING id")
        .front()
        .Int(0);
  });
  auto purpose = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return fund.CreatePurposeTx(tx, std::nullopt, {"p", "关爱长者计划", "", true, "X1"}, 1);
  });
  ASSERT_TRUE(purpose.ok());
  std::vector<int64_t> commitments;
  std::vector<int64_t> donation_entries;
  int64_t now = 1'000'000;
  int done = 0;
  for (int step = 0; step < 400; ++step) {
    now += 1000;
    const auto pick_purpose = [&]() -> std::optional<int64_t> {
      return rng() % 2 ? std::optional<int64_t>(purpose->id) : std::nullopt;
    };
    const int op = static_cast<int>(rng() % 5);
    auto r = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Status {
      switch (op) {
        case 0: {
          auto a = fund.RecordAllocationTx(tx, 1, {static_cast<Fen>(rng() % 1'000'000 + 1), "ref", pick_purpose(), "", true}, now);
          return a.ok() ? Status{} : Status(a.error());
        }
        case 1: {
          auto d = fund.RecordOfflineDonationTx(tx, "陈阿姨", rng() % 2, pick_purpose(), static_cast<Fen>(rng() % 100'000 + 1), now);
          if (d.ok()) {
            donation_entries.push_back(tx.Query("SELECT entry_id FROM fund_donations WHERE id = $1", {*d}).front().Int(0));
          }
          return d.ok() ? Status{} : Status(d.error());
        }
        case 2: {
          auto c = fund.CreateCommitmentTx(tx, 1, {org, pick_purpose(), static_cast<Fen>(rng() % 300'000 + 1), "项目"}, now);
          if (c.ok()) {
            commitments.push_back(*c);
          }
          return c.ok() || c.error().key == "insufficient_funds" ? Status{} : Status(c.error());
        }
        case 3: {
          if (commitments.empty()) {
            return {};
          }
          const int64_t c = commitments[rng() % commitments.size()];
          auto d = fund.ProposeDisbursementTx(tx, 1, c, static_cast<Fen>(rng() % 100'000 + 1), "", now);
          if (!d.ok()) {
            return d.error().key == "exceeds_commitment" ? Status{} : Status(d.error());
          }
          auto ok = fund.ApproveDisbursementTx(tx, 2, d->id, now);
          return ok.ok() ? Status{} : Status(ok.error());
        }
        default: {
          if (donation_entries.empty()) {
            return {};
          }
          const int64_t e = donation_entries[rng() % donation_entries.size()];
          auto rev = ledger::Reverse(tx, e, "reversal", "更正", 1, now);
          return rev.ok() || rev.error().key == "already_reversed" ? Status{} : Status(rev.error());
        }
      }
    });
    ASSERT_TRUE(r.ok()) << "step " << step << " op " << op << ": " << r.error().key << " " << r.error().detail;
    ++done;
    if (step % 50 == 0) {
      const VerifyReport v = Verify();
      ASSERT_TRUE(v.ok) << "step " << step << ": " << (v.problems.empty() ? "" : v.problems.front());
    }
  }
  const VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems.front());
  EXPECT_GT(v.entries, 100);
  // All accounts together sum to zero, and no fund or payable went negative.
  EXPECT_EQ(Scalar("SELECT COALESCE(SUM(balance_fen), 0) FROM fund_accounts"), 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM fund_accounts WHERE type = 'liability' AND balance_fen > 0"), 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM fund_commitments WHERE disbursed_fen > amount_fen"), 0);
  EXPECT_EQ(done, 400);
}

TEST_F(LedgerTest, UnbalancedEntriesAreRefused) {
  auto r = db::WriteSync(server_.app().store(), [](db::Tx& tx) -> Result<int64_t> {
    EntryInput e;
    e.kind = "allocation";
    e.memo = "bad";
    e.lines = {{kBank, 100}, {kGeneralFund, -99}};
    return ledger::RecordEntry(tx, e, 1);
  });
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM fund_entries"), 0);
  EXPECT_EQ(Scalar("SELECT balance_fen FROM fund_accounts WHERE code = 'bank'"), 0);
}

TEST_F(LedgerTest, TamperingWithAnEntryOrABalanceIsDetected) {
  auto& fund = server_.app().fund();
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Status {
    for (int i = 0; i < 5; ++i) {
      auto d = fund.RecordOfflineDonationTx(tx, "李伯", false, std::nullopt, 1000 + i, 10 + i);
      if (!d.ok()) {
        return d.error();
      }
    }
    return {};
  });
  ASSERT_TRUE(Verify().ok);
  db::WriteSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Exec("UPDATE fund_lines SET amount_fen = amount_fen + 1 WHERE id = 3") == 1;
  });
  VerifyReport v = Verify();
  EXPECT_FALSE(v.ok);
  db::WriteSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Exec("UPDATE fund_lines SET amount_fen = amount_fen - 1 WHERE id = 3") == 1;
  });
  ASSERT_TRUE(Verify().ok);
  db::WriteSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Exec("UPDATE fund_accounts SET balance_fen = balance_fen + 5 WHERE code = 'bank'") == 1;
  });
  EXPECT_FALSE(Verify().ok);
  db::WriteSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Exec("UPDATE fund_accounts SET balance_fen = balance_fen - 5 WHERE code = 'bank'") == 1;
  });
  db::WriteSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Exec("UPDATE fund_entries SET memo = '改过的' WHERE id = 2") == 1;
  });
  EXPECT_FALSE(Verify().ok);
}

}  // namespace
}  // namespace carecity::fund
