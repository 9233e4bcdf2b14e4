// The published checkpoints of the hash chains: anyone can fetch them, with
// the public key that verifies them, to keep a copy outside the platform.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domains/audit/chain.h"
#include "domains/audit/service.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

class TransparencyApiTest : public ::testing::Test {
 protected:
  void Audit(int n) {
    for (int i = 0; i < n; ++i) {
      db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
        return audit::Record(tx, {std::nullopt, "test.published", "thing", std::to_string(i), "{}", ""},
                             server_.clock().NowMs());
      });
    }
  }
  void Sign() {
    server_.clock().Advance(kMinuteMs);
    ASSERT_TRUE(server_.app().WriteCheckpoints(true).errors.empty());
  }
  TestServer server_;
};

TEST_F(TransparencyApiTest, CheckpointsArePublishedWithTheKeyThatVerifiesThem) {
  Client anyone(server_);
  auto empty = anyone.Get("/api/v1/transparency/checkpoints");
  ASSERT_EQ(empty.status, 200) << empty.body;
  const std::string key(empty.json.at("public_key").as_string());
  EXPECT_EQ(key, server_.app().checkpointer().public_key());
  EXPECT_EQ(empty.json.at("algorithm").as_string(), "ed25519");
  EXPECT_EQ(empty.json.at("public_key_fingerprint").as_string(), audit::KeyFingerprint(key));
  EXPECT_EQ(empty.json.at("public_key_fingerprint").as_string().size(), 19u);  // "1a2b 3c4d 5e6f 7a8b"
  EXPECT_TRUE(empty.json.at("latest").at("fund").is_null());
  EXPECT_TRUE(empty.json.at("checkpoints").as_array().empty());

  Audit(2);
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return server_.app().fund().RecordAllocationTx(tx, 1, {500'000, "桂财〔2026〕1号", std::nullopt, "拨款", true},
                                                   server_.clock().NowMs());
  });
  Sign();
  auto r = anyone.Get("/api/v1/transparency/checkpoints");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json.at("checkpoints").as_array().size(), 2u);
  for (const json::value& item : r.json.at("checkpoints").as_array()) {
    // What anyone can do with a saved copy: check it under the published key.
    const auto c = audit::ParseCheckpoint(json::serialize(item));
    ASSERT_TRUE(c.has_value()) << item;
    EXPECT_TRUE(audit::SignedBy(*c, key)) << item;
  }
  EXPECT_EQ(r.json.at("latest").at("audit").at("seq").as_int64(), Count(server_, "SELECT seq FROM audit_head"));
  EXPECT_EQ(r.json.at("latest").at("fund").at("seq").as_int64(), 1);
  EXPECT_EQ(r.json.at("latest").at("fund").at("head_hash").as_string(),
            db::ReadSync(server_.app().store(), [](db::Tx& tx) {
              return tx.Query("SELECT last_hash FROM fund_head").front().Text(0);
            }));
}

TEST_F(TransparencyApiTest, OneChainPagesNewestFirst) {
  for (int i = 0; i < 3; ++i) {
    Audit(1);
    Sign();
  }
  Client anyone(server_);
  auto first = anyone.Get("/api/v1/transparency/checkpoints?chain=audit&limit=2");
  ASSERT_EQ(first.status, 200) << first.body;
  const auto& items = first.json.at("checkpoints").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("seq").as_int64(), 3);
  EXPECT_EQ(items[1].at("seq").as_int64(), 2);
  ASSERT_EQ(first.json.at("next_cursor").as_string(), "2");
  auto rest = anyone.Get("/api/v1/transparency/checkpoints?chain=audit&limit=2&cursor=2");
  ASSERT_EQ(rest.status, 200) << rest.body;
  ASSERT_EQ(rest.json.at("checkpoints").as_array().size(), 1u);
  EXPECT_EQ(rest.json.at("checkpoints").as_array()[0].at("seq").as_int64(), 1);
  EXPECT_TRUE(rest.json.at("next_cursor").is_null());
  EXPECT_TRUE(anyone.Get("/api/v1/transparency/checkpoints?chain=fund").json.at("checkpoints").as_array().empty());
}

TEST_F(TransparencyApiTest, BadQueriesNameTheParameter) {
  Client anyone(server_);
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"chain=bank", "chain"}, {"limit=0", "limit"}, {"limit=201", "limit"}, {"cursor=3", "cursor"},
           {"chain=audit&cursor=x", "cursor"}}) {
    auto r = anyone.Get("/api/v1/transparency/checkpoints?" + query);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_EQ(r.error_field(), field) << query << ": " << r.body;
  }
}

}  // namespace
}  // namespace carecity::testing
