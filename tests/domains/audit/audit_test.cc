#include <gtest/gtest.h>

#include "db/migrations.h"
#include "db/store.h"
#include "domains/audit/service.h"
#include "support/test_db.h"

namespace carecity::audit {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
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
  VerifyReport Check() {
    return db::ReadSync(*store_, [](db::Tx& tx) { return Verify(tx); });
  }
  void Tamper(const std::string& sql) {
    db::WriteSync(*store_, [&](db::Tx& tx) {
      tx.ExecScript(sql);
      return true;
    });
  }

  carecity::testing::TestDb db_;
  std::unique_ptr<db::Store> store_;
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

TEST_F(AuditTest, ARehashedRowStillBreaksTheNextLink) {
  RecordSome(5);
  // A forger who recomputes row 2's hash still breaks row 3's prev_hash.
  Tamper("UPDATE audit_log SET hash = 'forged' WHERE id = 2");
  const VerifyReport r = Check();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.broken_at_id, 2);
}

TEST_F(AuditTest, ADeletedRowIsDetected) {
  RecordSome(5);
  Tamper("DELETE FROM audit_log WHERE id = 4");
  EXPECT_EQ(Check().broken_at_id, 5);
  Tamper("DELETE FROM audit_log WHERE id = 5");
  const VerifyReport tail = Check();
  EXPECT_FALSE(tail.ok);  // truncation is caught by the head
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
