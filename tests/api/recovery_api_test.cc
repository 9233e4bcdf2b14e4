// 找回密码: codes through the outbox, expiry, attempts, rate limits.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domains/notify/service.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

class RecoveryApiTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(owner_.Register(kPhone, "old-password").status, 201); }

  std::vector<notify::Message> Outbox() {
    return db::ReadSync(server_.app().store(), [](db::Tx& tx) { return notify::List(tx, 0, 1000); });
  }
  std::string LatestCode() {
    auto msgs = Outbox();
    for (auto it = msgs.rbegin(); it != msgs.rend(); ++it) {
      if (it->template_name == "recover_code" && it->recipient == kPhone) {
        return std::string(json::parse(it->params_json).at("code").as_string());
      }
    }
    return {};
  }
  HttpResult Request(Client& c, const std::string& login) {
    return c.Post("/api/v1/auth/recover/request", json::value{{"login", login}});
  }
  HttpResult Confirm(Client& c, const std::string& code, const std::string& password = "new-password") {
    return c.Post("/api/v1/auth/recover/confirm",
                  json::value{{"login", kPhone}, {"code", code}, {"new_password", password}});
  }

  static constexpr const char* kPhone = "13912345678";
  TestServer server_;
  Client owner_{server_};
};

TEST_F(RecoveryApiTest, TheCodeResetsThePasswordAndEndsEverySession) {
  ASSERT_EQ(owner_.Get("/api/v1/me").status, 200);  // the server has just checked the old session
  Client c(server_);
  ASSERT_EQ(Request(c, kPhone).status, 202);
  const std::string code = LatestCode();
  ASSERT_EQ(code.size(), 6u);
  EXPECT_EQ(Confirm(c, code).status, 204);
  EXPECT_EQ(owner_.Get("/api/v1/me").status, 401);  // old session revoked
  EXPECT_EQ(Client(server_).Login(kPhone, "old-password").status, 401);
  EXPECT_EQ(Client(server_).Login(kPhone, "new-password").status, 200);
  EXPECT_EQ(Confirm(c, code).status, 400);  // single use
}

TEST_F(RecoveryApiTest, UnknownAccountsGetTheSameAnswerAndNoMessage) {
  Client c(server_);
  const size_t before = Outbox().size();
  auto r = Request(c, "13700000000");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(Request(c, "nobody@example.cn").status, 202);
  EXPECT_EQ(Outbox().size(), before);
}

TEST_F(RecoveryApiTest, AWrongCodeIsRefusedAndChangesNothing) {
  Client c(server_);
  ASSERT_EQ(Request(c, kPhone).status, 202);
  const std::string code = LatestCode();
  const std::string wrong = code == "000000" ? "111111" : "000000";
  auto r = Confirm(c, wrong);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "invalid_code");
  EXPECT_EQ(r.error_field(), "code");
  EXPECT_EQ(owner_.Get("/api/v1/me").status, 200);
  EXPECT_EQ(Client(server_).Login(kPhone, "old-password").status, 200);
}

TEST_F(RecoveryApiTest, CodesExpireAfterTenMinutes) {
  Client c(server_);
  ASSERT_EQ(Request(c, kPhone).status, 202);
  const std::string code = LatestCode();
  server_.clock().Advance(10 * 60 * 1000 + 1);
  EXPECT_EQ(Confirm(c, code).status, 400);
}

TEST_F(RecoveryApiTest, FiveWrongGuessesKillTheCode) {
  Client c(server_);
  ASSERT_EQ(Request(c, kPhone).status, 202);
  const std::string code = LatestCode();
  for (int i = 0; i < 5; ++i) {
    std::string wrong = code;
    wrong[0] = static_cast<char>('0' + (code[0] - '0' + 1 + i % 9) % 10);
    ASSERT_NE(wrong, code);
    EXPECT_EQ(Confirm(c, wrong).status, 400);
  }
  EXPECT_EQ(Confirm(c, code).status, 400);
}

TEST_F(RecoveryApiTest, ANewCodeReplacesTheOldOne) {
  Client c(server_);
  ASSERT_EQ(Request(c, kPhone).status, 202);
  const std::string first = LatestCode();
  ASSERT_EQ(Request(c, kPhone).status, 202);
  const std::string second = LatestCode();
  if (first != second) {
    EXPECT_EQ(Confirm(c, first).status, 400);
  }
  EXPECT_EQ(Confirm(c, second).status, 204);
}

TEST_F(RecoveryApiTest, CodeRequestsAreRateLimited) {
  Client c(server_);
  const int64_t limit = server_.app().config().rate_limits.recover_request_per_account.max;
  for (int64_t i = 0; i < limit; ++i) {
    ASSERT_EQ(Request(c, kPhone).status, 202);
  }
  auto r = Request(c, kPhone);
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
  EXPECT_EQ(static_cast<int64_t>(Outbox().size()), limit);  // no message for the refused one
}

TEST_F(RecoveryApiTest, ConfirmAttemptsAreRateLimitedPerIp) {
  Client c(server_);
  const int64_t limit = server_.app().config().rate_limits.recover_confirm_per_ip.max;
  for (int64_t i = 0; i < limit; ++i) {
    // Different (unknown) accounts, same IP.
    c.Post("/api/v1/auth/recover/confirm",
           json::value{{"login", "137" + std::to_string(10000000 + i)}, {"code", "123456"}, {"new_password", "whatever12"}});
  }
  auto r = Confirm(c, "123456");
  EXPECT_EQ(r.status, 429);
}

TEST_F(RecoveryApiTest, TheNewPasswordMustBeStrongEnough) {
  Client c(server_);
  ASSERT_EQ(Request(c, kPhone).status, 202);
  auto r = Confirm(c, LatestCode(), "short");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "weak_password");
  EXPECT_EQ(r.error_field(), "new_password");
}

}  // namespace
}  // namespace carecity::testing
