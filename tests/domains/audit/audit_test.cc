#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/crypto.h"
#include "db/migrations.h"
#include "db/store.h"
#include "domains/audit/chain_store.h"
#include "domains/audit/service.h"
#include "support/chain_forger.h"
#include "support/test_db.h"

namespace carecity::audit {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    db::StoreOptions o;
    o.read_connections = 1;
    auto s = db::OpenStore(db_.url(), o);
    ASSERT_TRUE(s.ok());
    store_ = std::move(s).value();
    db::Migrate(*store_, 1);
  }
  void TearDown() override { store_->Close(); }

  void RecordSome(int n) {
    for (int i = 0; i < n; ++i) {
      db::WriteSync(*store_, [&](db::Tx& tx) {
        Record(tx, {int64_t{1}, "test.action", "thing", std::to_string(i), "{\"i\":" + std::to_string(i) + "}", "1.2.3.4"},
               1000 + i);
        return true;
      });
    }
  }
  VerifyReport Check(const std::vector<Checkpoint>& anchors = {}) {
    return db::SnapshotReadSync(*store_, [&](db::Tx& tx) { return Verify(tx, anchors); });
  }
  void Tamper(const std::string& sql) {
    db::WriteSync(*store_, [&](db::Tx& tx) {
      tx.ExecScript(sql);
      return true;
    });
  }
  // Every entry, in order (RecordSome's are all by user 1).
  std::vector<Entry> Entries() {
    auto newest_first = db::ReadSync(*store_, [](db::Tx& tx) { return ListByActor(tx, 1, 1000); });
    return {newest_first.rbegin(), newest_first.rend()};
  }
  // A checkpoint of the chain as it is now, signed with `seed_`.
  Checkpoint SignNow(int64_t at_ms = 5000) {
    const ChainHead head = db::ReadSync(*store_, [](db::Tx& tx) { return Head(tx); });
    return SignCheckpoint("audit", head.seq, head.hash, at_ms, seed_);
  }

  carecity::testing::TestDb db_;
  std::unique_ptr<db::Store> store_;
  const std::string seed_ = *ParseDataKey(NewDataKeyHex());
};

TEST_F(AuditTest, AnIntactChainVerifies) {
  RecordSome(5);
  const VerifyReport r = Check();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.checked, 5);
}

TEST_F(AuditTest, AnEditedRowIsReportedAsTheFirstBrokenLink) {
  RecordSome(5);
  Tamper("UPDATE audit_log SET detail_json = '{\"i\":99}' WHERE id = 3");
  const VerifyReport r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at_id, 3);
}

TEST_F(AuditTest, ARowEditedWithItsHashRecomputedStillBreaksTheNextLink) {
  RecordSome(5);
  // A forger edits row 2 and recomputes its hash from the new content, so
  // row 2 checks out on its own; row 3's prev_hash still names the old hash.
  Entry row2 = Entries()[1];
  row2.detail_json = "{\"i\":99}";
  row2.hash = ChainHash(row2);
  db::WriteSync(*store_, [&](db::Tx& tx) {
    return tx.Exec("UPDATE audit_log SET detail_json = $2, hash = $3 WHERE id = $1",
                   {row2.id, row2.detail_json, row2.hash}) == 1;
  });
  ASSERT_EQ(ChainHash(Entries()[1]), Entries()[1].hash);  // the forged row is self-consistent
  const VerifyReport r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at_id, 3) << r.reason;
  EXPECT_NE(r.reason.find("prev_hash"), std::string::npos) << r.reason;
}

TEST_F(AuditTest, ADeletedRowIsDetected) {
  RecordSome(5);
  Tamper("DELETE FROM audit_log WHERE id = 4");
  EXPECT_EQ(Check().broken_at_id, 4);
  Tamper("DELETE FROM audit_log WHERE id = 5");
  const VerifyReport tail = Check();
  EXPECT_FALSE(tail.ok);  // truncation is caught by the head
}

TEST_F(AuditTest, ATailRewrittenWithRecomputedHashesPassesTheChainButNotASignedCheckpoint) {
  RecordSome(2);
  const Checkpoint at2 = SignNow();
  RecordSome(3);
  const Checkpoint at5 = SignNow();
  ASSERT_TRUE(Check({at2, at5}).ok);
  carecity::testing::RewriteAuditChainFrom(*store_, 3, [](Entry& e) { e.detail_json = "{\"i\":\"forged\"}"; });
  // The weakness of an unanchored chain: every link and the head check out.
  EXPECT_TRUE(Check().ok);
  // Against the checkpoints: entries 1..2 still match, the one at 5 does
  // not, so the first changed entry is 3.
  const VerifyReport r = Check({at2, at5});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at_id, 3) << r.reason;
  EXPECT_EQ(r.anchored_seq, 2);
  EXPECT_NE(r.reason.find("checkpoint at seq 5"), std::string::npos) << r.reason;
}

TEST_F(AuditTest, ATruncatedChainWithItsHeadRewrittenFailsAgainstACheckpointPastItsEnd) {
  RecordSome(5);
  const Checkpoint at5 = SignNow();
  const std::string hash3 = Entries()[2].hash;
  db::WriteSync(*store_, [&](db::Tx& tx) {
    tx.Exec("DELETE FROM audit_log WHERE id > 3");
    return tx.Exec("UPDATE audit_head SET seq = 3, last_hash = $1 WHERE id = 1", {hash3}) == 1;
  });
  EXPECT_TRUE(Check().ok);  // the head alone cannot tell
  const VerifyReport r = Check({at5});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at_id, 4) << r.reason;
  EXPECT_NE(r.reason.find("entry 4 is missing"), std::string::npos) << r.reason;
}

TEST_F(AuditTest, CheckpointsWithABadSignatureAreReportedAndNotTrusted) {
  RecordSome(3);
  const std::string key = SigningPublicKeyHex(seed_);
  Checkpoint good = SignNow();
  Checkpoint altered = good;
  altered.seq = 2;  // a real signature over other numbers
  Checkpoint stranger = SignCheckpoint("audit", 3, good.head_hash, 5000, *ParseDataKey(NewDataKeyHex()));
  const Anchors a = GatherAnchors("audit", {altered, stranger}, {good}, {key});
  ASSERT_EQ(a.trusted.size(), 1u);
  EXPECT_EQ(a.trusted[0].seq, 3);
  std::vector<std::string> found;
  for (const CheckpointProblem& p : a.problems) {
    found.push_back(p.key + "@" + std::to_string(p.seq) + "/" + p.source);
  }
  EXPECT_EQ(found, (std::vector<std::string>{"bad_signature@2/table", "bad_signature@3/table",
                                             "missing_from_table@3/log"}));
  // Without a key nothing is trusted, and that is a problem too.
  const Anchors blind = GatherAnchors("audit", {good}, {}, {});
  EXPECT_TRUE(blind.trusted.empty());
  ASSERT_EQ(blind.problems.size(), 1u);
  EXPECT_EQ(blind.problems[0].key, "no_public_key");
}

TEST_F(AuditTest, CheckpointsSurviveTheTableAndTheLogFileAsJsonLines) {
  RecordSome(2);
  const Checkpoint c = SignNow(1'800'000'000'000);
  EXPECT_TRUE(SignedBy(c, SigningPublicKeyHex(seed_)));
  EXPECT_TRUE(db::WriteSync(*store_, [&](db::Tx& tx) { return InsertCheckpoint(tx, c); }));
  // A second server signing the same seq later stores nothing.
  const Checkpoint later = SignNow(1'800'000'060'000);
  EXPECT_FALSE(db::WriteSync(*store_, [&](db::Tx& tx) { return InsertCheckpoint(tx, later); }));
  const auto stored = db::ReadSync(*store_, [](db::Tx& tx) { return AllCheckpoints(tx); });
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(CheckpointJson(stored[0]), CheckpointJson(c));

  const std::string path = db_.dir() + "/checkpoints.jsonl";
  ASSERT_TRUE(AppendCheckpointLog(path, c).ok());
  { std::ofstream(path, std::ios::app) << "not json\n\n"; }
  ASSERT_TRUE(AppendCheckpointLog(path, later).ok());
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::others_write,
            std::filesystem::perms::none);
  auto log = ReadCheckpointLog(path);
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(log->exists);
  ASSERT_EQ(log->checkpoints.size(), 2u);
  EXPECT_EQ(CheckpointJson(log->checkpoints[1]), CheckpointJson(later));
  EXPECT_EQ(log->bad_lines, std::vector<int64_t>{2});
  auto missing = ReadCheckpointLog(db_.dir() + "/none.jsonl");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->exists);
  EXPECT_FALSE(std::filesystem::exists(db_.dir() + "/none.jsonl"));
}

// A Tx that runs `between` once, right after the first statement of the
// job it wraps: a live server committing while verify reads.
class InterleavingTx final : public db::Tx {
 public:
  InterleavingTx(db::Tx& inner, std::function<void()> between) : inner_(inner), between_(std::move(between)) {}
  db::Rows Query(std::string_view sql, std::span<const db::Value> params) override {
    db::Rows rows = inner_.Query(sql, params);
    if (between_) {
      std::exchange(between_, nullptr)();
    }
    return rows;
  }
  int64_t InsertRow(std::string_view sql, std::span<const db::Value> params) override {
    return inner_.InsertRow(sql, params);
  }
  void ExecScript(std::string_view sql) override { inner_.ExecScript(sql); }
  db::Dialect dialect() const override { return inner_.dialect(); }
  bool writable() const override { return inner_.writable(); }

 private:
  db::Tx& inner_;
  std::function<void()> between_;
};

TEST_F(AuditTest, VerifyReadsOneSnapshotWhileEntriesAreAppendedBetweenItsStatements) {
  RecordSome(5);
  const auto verify_with_append = [this](bool snapshot) {
    const auto job = [this](db::Tx& tx) {
      InterleavingTx live(tx, [this] { RecordSome(1); });  // commits on another connection, then goes on
      return Verify(live);
    };
    return snapshot ? db::SnapshotReadSync(*store_, job) : db::ReadSync(*store_, job);
  };
  const VerifyReport snapshot = verify_with_append(true);
  EXPECT_TRUE(snapshot.ok) << snapshot.reason;
  EXPECT_EQ(snapshot.checked, 5);  // the chain as it was when the job began
  const VerifyReport per_statement = verify_with_append(false);
  if (db_.postgres()) {
    // READ COMMITTED: the walk sees an entry the head read before it did
    // not: a false break on a live database.
    EXPECT_FALSE(per_statement.ok);
  } else {
    EXPECT_TRUE(per_statement.ok) << per_statement.reason;  // a SQLite read job is one snapshot anyway
  }
  EXPECT_TRUE(Check().ok);
}

TEST_F(AuditTest, VerifyPassesOnAChainThatKeepsGrowing) {
  RecordSome(20);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop) {
      RecordSome(1);
    }
  });
  int runs = 0;
  for (; runs < 30; ++runs) {
    const VerifyReport r = Check();
    ASSERT_TRUE(r.ok) << "run " << runs << ": " << r.reason;
  }
  stop = true;
  writer.join();
  EXPECT_TRUE(Check().ok);
}

TEST_F(AuditTest, ConcurrentAppendsKeepOneChain) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this] { RecordSome(10); });
  }
  for (auto& th : threads) {
    th.join();
  }
  const VerifyReport r = Check();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.checked, 40);
}

}  // namespace
}  // namespace carecity::audit
