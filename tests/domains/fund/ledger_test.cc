// Ledger invariants under random operation sequences (fixed seed): every
// entry sums to zero, balances equal the sums of their lines, the chain
// holds — and tampering is caught.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <random>
#include <thread>

#include "app/chains.h"
#include "domains/audit/chain_store.h"
#include "domains/fund/ledger.h"
#include "support/chain_forger.h"
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
  // An allocation of `amount` into the general fund: an entry nothing else refers to.
  void Post(Fen amount) {
    auto r = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<int64_t> {
      EntryInput e;
      e.kind = "allocation";
      e.source = "government";
      e.memo = "区财政拨款";
      e.lines = {{kBank, amount}, {kGeneralFund, -amount}};
      return ledger::RecordEntry(tx, e, server_.clock().NowMs());
    });
    ASSERT_TRUE(r.ok()) << r.error().key;
  }
  // Signs a checkpoint of the books as they are now (and of the audit log).
  void SignCheckpointsNow() {
    server_.clock().Advance(kMinuteMs);
    const app::CheckpointRound round = server_.app().WriteCheckpoints(true);
    ASSERT_TRUE(round.errors.empty()) << round.errors.front().detail;
  }
  // `fund verify` as the command runs it: against the checkpoints in the
  // table and the log file, trusting the server's key.
  app::ChainVerification VerifyAnchored() {
    auto& app = server_.app();
    auto log = audit::ReadCheckpointLog(app.checkpointer().log_path());
    EXPECT_TRUE(log.ok());
    return app::VerifyChain(app.store(), app::kFundChain, log->checkpoints, {app.checkpointer().public_key()});
  }
  // A forger with write access: `change` in one transaction.
  void Tamper(const std::function<void(db::Tx&)>& change) {
    db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      change(tx);
      return true;
    });
  }
  // Makes every balance the sum of its lines again, as a careful forger would.
  static void RebalanceAccounts(db::Tx& tx) {
    tx.Exec("UPDATE fund_accounts SET balance_fen = "
            "(SELECT COALESCE(SUM(amount_fen), 0) FROM fund_lines WHERE account_id = fund_accounts.id)");
  }
  // Three entries with a checkpoint signed at 2; then `forge` runs on the
  // checkpoint table and entry 2 is rewritten with every later hash and the
  // head recomputed: the chain checks out on its own but no longer extends
  // the checkpoint at 2. Returns the signing round an hour later.
  app::CheckpointRound RewriteSignedBooks(const std::function<void(db::Tx&)>& forge) {
    Post(100);
    Post(200);
    SignCheckpointsNow();
    Post(300);
    Tamper(forge);
    carecity::testing::RewriteFundChainFrom(server_.app().store(), 2, [](Entry& e) { e.memo = "改过的"; });
    EXPECT_TRUE(Verify().ok);
    server_.clock().Advance(kHourMs);
    return server_.app().WriteCheckpoints(false);
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
  // All accounts together sum to zero, and no fund or payable went negative
  // (both are credit-normal: a positive balance is a fund below zero, or a
  // grant paid beyond what was committed).
  EXPECT_EQ(Scalar("SELECT COALESCE(SUM(balance_fen), 0) FROM fund_accounts"), 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM fund_accounts WHERE type = 'liability' AND balance_fen > 0"), 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM fund_accounts WHERE type = 'net_assets' AND balance_fen > 0"), 0);
  EXPECT_GT(Scalar("SELECT COUNT(*) FROM fund_accounts WHERE type = 'net_assets' AND balance_fen < 0"), 0);
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
  const Status seeded = db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Status {
    for (int i = 0; i < 5; ++i) {
      auto d = fund.RecordOfflineDonationTx(tx, "李伯", false, std::nullopt, 1000 + i, 10 + i);
      if (!d.ok()) {
        return d.error();
      }
    }
    return {};
  });
  ASSERT_TRUE(seeded.ok());
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

TEST_F(LedgerTest, AnEntryDeletedFromTheMiddleIsReportedByItsId) {
  for (int i = 1; i <= 5; ++i) {
    Post(100 * i);
  }
  ASSERT_TRUE(Verify().ok);
  Tamper([](db::Tx& tx) {
    tx.Exec("DELETE FROM fund_lines WHERE entry_id = 3");
    tx.Exec("DELETE FROM fund_entries WHERE id = 3");
    RebalanceAccounts(tx);  // so only the chain can tell
  });
  const VerifyReport v = Verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.chain.broken_at_id, 3);
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems.front(), "entry 3 is missing (found 4 next)");
  EXPECT_EQ(v.entries, 4);
}

TEST_F(LedgerTest, ATruncatedTailWithItsHeadRewrittenIsCaughtByTheCheckpoint) {
  for (int i = 1; i <= 5; ++i) {
    Post(100 * i);
  }
  SignCheckpointsNow();
  ASSERT_TRUE(VerifyAnchored().fund.ok);
  Tamper([](db::Tx& tx) {
    tx.Exec("DELETE FROM fund_lines WHERE entry_id > 3");
    tx.Exec("DELETE FROM fund_entries WHERE id > 3");
    RebalanceAccounts(tx);
    tx.Exec("UPDATE fund_head SET seq = 3, last_hash = (SELECT hash FROM fund_entries WHERE id = 3) WHERE id = 1");
  });
  // Entries, lines, balances and head agree: the database alone cannot tell.
  const VerifyReport alone = Verify();
  EXPECT_TRUE(alone.ok) << (alone.problems.empty() ? "" : alone.problems.front());
  const app::ChainVerification v = VerifyAnchored();
  EXPECT_FALSE(v.fund.ok);
  EXPECT_EQ(v.chain.broken_at_id, 4) << v.chain.reason;
  EXPECT_NE(v.chain.reason.find("entry 4 is missing"), std::string::npos) << v.chain.reason;
}

TEST_F(LedgerTest, ATailRewrittenWithRecomputedHashesIsCaughtByTheCheckpointNamingTheFirstChangedEntry) {
  for (int i = 1; i <= 3; ++i) {
    Post(100 * i);
  }
  SignCheckpointsNow();
  Post(400);
  Post(500);
  SignCheckpointsNow();
  // Entry 4's memo changes; entries 4 and 5 get recomputed hashes and the head follows.
  carecity::testing::RewriteFundChainFrom(server_.app().store(), 4, [](Entry& e) { e.memo = "改过的用途"; });
  EXPECT_TRUE(Verify().ok);  // every link and the head check out
  const app::ChainVerification v = VerifyAnchored();
  EXPECT_FALSE(v.fund.ok);
  EXPECT_EQ(v.chain.broken_at_id, 4) << v.chain.reason;
  EXPECT_EQ(v.chain.anchored_seq, 3);
  EXPECT_TRUE(v.anchors.problems.empty());
}

TEST_F(LedgerTest, ACheckpointDeletedFromTheTableIsReportedFromTheLogFile) {
  Post(100);
  SignCheckpointsNow();
  Tamper([](db::Tx& tx) { tx.Exec("DELETE FROM chain_checkpoints"); });
  const app::ChainVerification v = VerifyAnchored();
  EXPECT_TRUE(v.fund.ok);  // the books themselves are intact
  ASSERT_EQ(v.anchors.problems.size(), 1u);
  EXPECT_EQ(v.anchors.problems[0].key, "missing_from_table");
  EXPECT_EQ(v.anchors.problems[0].seq, 1);
  EXPECT_EQ(v.anchors.trusted.size(), 1u);  // still checked against the logged copy
}

TEST_F(LedgerTest, VerifyPassesWhileEntriesAreBeingPosted) {
  for (int i = 1; i <= 20; ++i) {
    Post(i);
  }
  SignCheckpointsNow();
  std::atomic<bool> stop{false};
  std::thread poster([&] {
    for (Fen amount = 1000; !stop; ++amount) {
      Post(amount);
    }
  });
  for (int run = 0; run < 20; ++run) {
    const app::ChainVerification v = VerifyAnchored();
    ASSERT_TRUE(v.fund.ok) << "run " << run << ": " << (v.fund.problems.empty() ? "" : v.fund.problems.front());
  }
  stop = true;
  poster.join();
  EXPECT_TRUE(VerifyAnchored().fund.ok);
}

TEST_F(LedgerTest, CheckpointsAreSignedOnlyWhenTheBooksGrewAndTheIntervalPassed) {
  auto& app = server_.app();
  Post(100);
  EXPECT_EQ(app.WriteCheckpoints(false).written.size(), 1u);  // the first one is due at once
  EXPECT_TRUE(app.WriteCheckpoints(true).written.empty());   // nothing new
  Post(200);
  EXPECT_TRUE(app.WriteCheckpoints(false).written.empty());  // too soon
  server_.clock().Advance(app.config().checkpoints.interval_s * kSecondMs);
  const app::CheckpointRound round = app.WriteCheckpoints(false);
  ASSERT_EQ(round.written.size(), 1u);
  EXPECT_EQ(round.written[0].chain, "fund");
  EXPECT_EQ(round.written[0].seq, 2);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM chain_checkpoints WHERE chain = 'fund'"), 2);
  auto log = audit::ReadCheckpointLog(app.checkpointer().log_path());
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->checkpoints.size(), 2u);
}

TEST_F(LedgerTest, BooksRewrittenSinceTheLastCheckpointAreNotSigned) {
  const app::CheckpointRound round = RewriteSignedBooks([](db::Tx&) {});
  EXPECT_TRUE(round.written.empty());
  ASSERT_EQ(round.errors.size(), 1u);
  EXPECT_EQ(round.errors[0].key, "chain_broken");
  EXPECT_EQ(round.errors[0].field, "fund");
  EXPECT_EQ(Scalar("SELECT MAX(seq) FROM chain_checkpoints WHERE chain = 'fund'"), 2);
}

// A forger who deletes the checkpoints before rewriting still cannot get the
// rewrite signed: the signer remembers what it signed (its log file), not only
// what the table says.
TEST_F(LedgerTest, BooksRewrittenAfterTheCheckpointsWereDeletedAreNotSigned) {
  const app::CheckpointRound round =
      RewriteSignedBooks([](db::Tx& tx) { tx.Exec("DELETE FROM chain_checkpoints"); });
  EXPECT_TRUE(round.written.empty());
  ASSERT_EQ(round.errors.size(), 1u);
  EXPECT_EQ(round.errors[0].key, "chain_broken");
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM chain_checkpoints WHERE chain = 'fund'"), 0);
}

// Rows nobody signed (a forger's, or another key's) neither hide the real
// checkpoint from the signer nor become the public page's latest.
TEST_F(LedgerTest, UnsignedCheckpointRowsAreIgnoredBySignerAndPublicPage) {
  const app::CheckpointRound round = RewriteSignedBooks([](db::Tx& tx) {
    for (int seq = 3; seq <= 40; ++seq) {
      tx.Exec("INSERT INTO chain_checkpoints (chain, seq, head_hash, at_ms, public_key, signature) "
              "VALUES ('fund', $1, 'junk', 1, 'junk', 'junk')",
              {int64_t{seq}});
    }
  });
  EXPECT_TRUE(round.written.empty());
  ASSERT_EQ(round.errors.size(), 1u);
  EXPECT_EQ(round.errors[0].key, "chain_broken");
  auto r = carecity::testing::Client(server_).Get("/api/v1/transparency/checkpoints");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("latest").at("fund").at("seq").as_int64(), 2) << r.body;
}

TEST_F(LedgerTest, TwoServersSigningAtOnceStoreOneCheckpointPerSeq) {
  auto second = carecity::testing::SecondApp(server_);
  if (second == nullptr) {
    GTEST_SKIP() << "two servers share a PostgreSQL database";
  }
  Post(100);
  std::atomic<int> written{0};
  carecity::testing::RunAtOnce(8, [&](size_t i) -> boost::asio::awaitable<void> {
    app::App& app = i % 2 == 0 ? server_.app() : *second;
    written += static_cast<int>(app.WriteCheckpoints(true).written.size());
    co_return;
  });
  EXPECT_EQ(written.load(), 1);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM chain_checkpoints WHERE chain = 'fund' AND seq = 1"), 1);
  second.reset();
}

}  // namespace
}  // namespace carecity::fund
