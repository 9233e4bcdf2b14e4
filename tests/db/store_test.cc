#include "db/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "app/app.h"
#include "db/migrations.h"
#include "db/rate_limit.h"
#include "support/test_db.h"

namespace carecity::db {
namespace {

using carecity::testing::TestDb;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.read_connections = 2;
    o.sqlite_synchronous = "NORMAL";
    auto s = OpenStore(db_.url(), o);
    ASSERT_TRUE(s.ok()) << s.error().detail;
    store_ = std::move(s).value();
    Migrate(*store_, 1);
    WriteSync(*store_, [](Tx& tx) {
      tx.ExecScript("CREATE TABLE t_counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL CHECK (n >= 0))");
      tx.Exec("INSERT INTO t_counter (id, n) VALUES (1, 0)");
      return true;
    });
  }
  void TearDown() override {
    if (store_) {
      store_->Close();
    }
  }

  int64_t Counter() {
    return ReadSync(*store_, [](Tx& tx) { return tx.Query("SELECT n FROM t_counter WHERE id = 1").front().Int(0); });
  }

  TestDb db_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, WriteIsVisibleToLaterReads) {
  WriteSync(*store_, [](Tx& tx) { return tx.Exec("UPDATE t_counter SET n = 7 WHERE id = 1") == 1; });
  EXPECT_EQ(Counter(), 7);
}

TEST_F(StoreTest, AFailedJobRollsBackOnlyItself) {
  // Submit many jobs at once so SQLite batches them into one transaction;
  // every third one fails, and must leave no trace.
  constexpr int kJobs = 300;
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kJobs; i += 6) {
        auto r = WriteSync(*store_, [i](Tx& tx) -> Status {
          tx.Exec("UPDATE t_counter SET n = n + 1 WHERE id = 1");
          if (i % 3 == 0) {
            return Error::Conflict("test_failure");
          }
          return {};
        });
        EXPECT_EQ(r.ok(), i % 3 != 0);
        ++done;
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(done.load(), kJobs);
  EXPECT_EQ(Counter(), kJobs - kJobs / 3);
}

TEST_F(StoreTest, AThrowingJobRollsBackAndTheErrorReachesTheCaller) {
  EXPECT_THROW(WriteSync(*store_,
                         [](Tx& tx) -> bool {
                           tx.Exec("UPDATE t_counter SET n = 100 WHERE id = 1");
                           tx.Exec("UPDATE t_counter SET n = -1 WHERE id = 1");  // CHECK fails
                           return true;
                         }),
               DbError);
  EXPECT_EQ(Counter(), 0);
  // The store keeps working afterwards.
  WriteSync(*store_, [](Tx& tx) { return tx.Exec("UPDATE t_counter SET n = 1 WHERE id = 1") == 1; });
  EXPECT_EQ(Counter(), 1);
}

TEST_F(StoreTest, ConstraintViolationsAreClassified) {
  try {
    WriteSync(*store_, [](Tx& tx) { return tx.Exec("INSERT INTO t_counter (id, n) VALUES (1, 0)") == 1; });
    FAIL() << "expected a unique violation";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbError::Kind::kUnique);
  }
}

TEST_F(StoreTest, ConcurrentIncrementsAreNeverLost) {
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        WriteSync(*store_, [](Tx& tx) {
          // Read-modify-write: only safe because write jobs are serialised
          // (SQLite) or the row is locked by the UPDATE (PostgreSQL).
          return tx.Exec("UPDATE t_counter SET n = n + 1 WHERE id = 1") == 1;
        });
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(Counter(), kThreads * kEach);
}

TEST_F(StoreTest, MigratingTwiceAppliesNothingNew) {
  // The set-up applied every embedded migration, each recorded once.
  const auto& all = MigrationsFor(store_->dialect());
  ASSERT_FALSE(all.empty());
  const int64_t v = CurrentVersion(*store_);
  EXPECT_EQ(v, all.back().version);
  EXPECT_EQ(ReadSync(*store_, [](Tx& tx) { return tx.Query("SELECT COUNT(*) FROM schema_migrations").front().Int(0); }),
            static_cast<int64_t>(all.size()));
  EXPECT_TRUE(Migrate(*store_, 2).empty());
  EXPECT_EQ(CurrentVersion(*store_), v);
}

TEST_F(StoreTest, ParametersBindByNumberInAnyOrder) {
  auto rows = ReadSync(*store_, [](Tx& tx) { return tx.Query("SELECT $2 || '-' || $1, $1", {"a", "b"}); });
  EXPECT_EQ(rows.front().Text(0), "b-a");
  EXPECT_EQ(rows.front().Text(1), "a");
}

TEST_F(StoreTest, RateLimitCountsWithinAWindowAndResetsAfter) {
  const RateLimit limit{3, 60};
  const auto hit = [&](int64_t now) {
    return WriteSync(*store_, [&](Tx& tx) { return HitRateLimit(tx, "k", limit, now); });
  };
  const int64_t t0 = 1'000'000;
  EXPECT_TRUE(hit(t0).allowed);
  EXPECT_TRUE(hit(t0 + 1).allowed);
  EXPECT_TRUE(hit(t0 + 2).allowed);
  const RateDecision fourth = hit(t0 + 3);
  EXPECT_FALSE(fourth.allowed);
  EXPECT_GE(fourth.retry_after_s, 59);
  EXPECT_LE(fourth.retry_after_s, 60);
  EXPECT_TRUE(hit(t0 + 60'001).allowed);  // a new window
}

TEST_F(StoreTest, AReadOnlyStoreReadsButRefusesWritesAndLeavesNoFilesBehind) {
  StoreOptions o;
  o.read_connections = 1;
  o.read_only = true;
  if (!db_.postgres()) {
    store_.reset();  // every connection closed: the -wal and -shm files are gone
    ASSERT_FALSE(OpenStore("sqlite:" + db_.dir() + "/missing/none.db", o).ok());
    EXPECT_FALSE(std::filesystem::exists(db_.dir() + "/missing"));  // neither the file nor its directory
  }
  const auto files = [this] {
    std::vector<std::string> names;
    for (const auto& f : std::filesystem::directory_iterator(db_.dir())) {
      names.push_back(f.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  const auto before = files();
  auto s = OpenStore(db_.url(), o);
  ASSERT_TRUE(s.ok()) << s.error().detail;
  Store& reader = **s;
  EXPECT_EQ(SnapshotReadSync(reader, [](Tx& tx) { return tx.Query("SELECT n FROM t_counter").front().Int(0); }), 0);
  EXPECT_FALSE(reader.SubmitWrite(Job{[](Tx&) { return true; }, [](std::exception_ptr) {}}));
  auto refused = WriteSync(reader, [](Tx&) -> Status { return {}; });
  EXPECT_EQ(refused.error().key, "overloaded");
  s->reset();  // closes its connections
  EXPECT_EQ(files(), before);
}

TEST_F(StoreTest, PruningRateLimitsDropsOnlyOldWindowsOldestFirstInBoundedBatches) {
  const int64_t now = 10 * 24 * 3600 * 1000LL;
  const int64_t cutoff = now - kRateLimitRetentionS * 1000;
  WriteSync(*store_, [&](Tx& tx) {
    for (int i = 0; i < 5; ++i) {  // five windows older than a day: 0 is the oldest
      HitRateLimit(tx, "old:" + std::to_string(i), RateLimit{10, 60}, cutoff - 1000 * (5 - i));
    }
    HitRateLimit(tx, "edge", RateLimit{10, 60}, cutoff);  // exactly a day old: kept
    HitRateLimit(tx, "fresh", RateLimit{10, 60}, now - 1000);
    return true;
  });
  const auto prune = [&](int64_t limit) {
    return WriteSync(*store_, [&](Tx& tx) { return PruneRateLimits(tx, cutoff, limit); });
  };
  const auto buckets = [&] {
    return ReadSync(*store_, [](Tx& tx) {
      std::vector<std::string> out;
      auto rows = tx.Query("SELECT bucket FROM rate_limits ORDER BY bucket");
      for (size_t i = 0; i < rows.size(); ++i) {
        out.push_back(rows[i].Text(0));
      }
      return out;
    });
  };
  EXPECT_EQ(prune(3), 3);  // bounded: no more than asked for
  EXPECT_EQ(buckets(), (std::vector<std::string>{"edge", "fresh", "old:3", "old:4"}));  // oldest went first
  EXPECT_EQ(prune(3), 2);
  EXPECT_EQ(prune(3), 0);
  EXPECT_EQ(buckets(), (std::vector<std::string>{"edge", "fresh"}));
}

TEST_F(StoreTest, AFullQueueRefusesInsteadOfGrowing) {
  StoreOptions o;
  o.read_connections = 1;
  o.write_queue_limit = 1;
  TestDb other;
  auto s = OpenStore(other.url(), o);
  ASSERT_TRUE(s.ok());
  auto& store = **s;
  std::atomic<bool> release{false};
  std::atomic<int> finished{0};
  const auto blocker = [&]() {
    return Job{[&](Tx&) {
                 while (!release) {
                   std::this_thread::sleep_for(std::chrono::milliseconds(1));
                 }
                 return true;
               },
               [&](std::exception_ptr) { ++finished; }};
  };
  // Occupy every worker (one SQLite writer, a pool of PostgreSQL connections)
  // until a job has to wait in the queue; the queue then holds its limit.
  int submitted = 0;
  for (int i = 0; i < 64 && store.Stats().write_queue_depth == 0; ++i) {
    ASSERT_TRUE(store.SubmitWrite(blocker()));
    ++submitted;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  ASSERT_EQ(store.Stats().write_queue_depth, 1);
  EXPECT_FALSE(store.SubmitWrite(blocker()));
  release = true;
  store.Close();
  EXPECT_EQ(finished.load(), submitted);  // every accepted job ran; the refused one never did
}

TEST_F(StoreTest, AfterABurstTheWalIsFoldedIntoTheDatabaseWithoutAnyoneAsking) {
  // The writer never checkpoints on its commits (a stall for everyone in the
  // batch); a background connection does, once the writer has gone quiet.
  if (db_.postgres()) {
    GTEST_SKIP() << "SQLite's write-ahead log";
  }
  const auto db_file = std::filesystem::path(db_.path());
  const auto before = std::filesystem::file_size(db_file);
  WriteSync(*store_, [](Tx& tx) {
    tx.ExecScript("CREATE TABLE t_burst (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    return true;
  });
  const std::string body(1000, 'x');
  for (int batch = 0; batch < 10; ++batch) {  // ~6 MB of rows: more than 1,000 pages of WAL
    WriteSync(*store_, [&](Tx& tx) {
      for (int i = 0; i < 600; ++i) {
        tx.Exec("INSERT INTO t_burst (body) VALUES ($1)", {body});
      }
      return true;
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(db_file) < before + (5u << 20) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(db_file), before + (5u << 20));
  EXPECT_EQ(ReadSync(*store_, [](Tx& tx) { return tx.Query("SELECT COUNT(*) FROM t_burst").front().Int(0); }), 6000);
}

}  // namespace
}  // namespace carecity::db
