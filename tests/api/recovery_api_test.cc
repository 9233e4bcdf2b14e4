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
  server_.clock().Advance(61 * kSecondMs);  // past the minute between two codes
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
    server_.clock().Advance(61 * kSecondMs);  // past the minute between two codes
  }
  auto r = Request(c, kPhone);
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
  EXPECT_EQ(static_cast<int64_t>(Outbox().size()), limit);  // no message for the refused one
}

// Codes cost the subdistrict money and can pester a number: one a minute to
// an address, ten a day, and fifty a day from one client address whatever
// accounts it names — refused alike for real and unknown accounts.
TEST_F(RecoveryApiTest, CodesAreCappedPerMinuteAndPerDayPerNumberAndPerClientAddress) {
  Client c(server_);
  ASSERT_EQ(Request(c, kPhone).status, 202);
  auto soon = Request(c, kPhone);
  EXPECT_EQ(soon.status, 429);
  const int retry_after = std::stoi(soon.header("retry-after"));
  EXPECT_GT(retry_after, 0);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(Outbox().size(), 1u);

  // Ten a day, spread so the hourly limit (5 an hour, the refused one
  // included) never bites: one every 16 minutes.
  for (int i = 1; i < 10; ++i) {
    server_.clock().Advance(16 * kMinuteMs);
    ASSERT_EQ(Request(c, kPhone).status, 202) << i;
  }
  server_.clock().Advance(16 * kMinuteMs);
  auto eleventh = Request(c, kPhone);
  EXPECT_EQ(eleventh.status, 429);
  EXPECT_GT(std::stoll(eleventh.header("retry-after")), 60 * 60);  // tomorrow, not in a minute
  EXPECT_EQ(Outbox().size(), 10u);
  server_.clock().Advance(24 * kHourMs);
  EXPECT_EQ(Request(c, kPhone).status, 202);

  // Fifty a day from one client address (the test client's) over many
  // numbers, known or not: a day later, so every window is new.
  server_.clock().Advance(25 * kHourMs);
  const int64_t per_ip = server_.app().config().rate_limits.code_per_ip_day.max;
  for (int64_t i = 0; i < per_ip; ++i) {
    if (i % 15 == 14) {
      server_.clock().Advance(61 * kMinuteMs);  // under the hourly per-address limit (20)
    }
    ASSERT_EQ(Request(c, "137" + std::to_string(20000000 + i)).status, 202) << i;
  }
  EXPECT_EQ(Request(c, "13700009999").status, 429);
  EXPECT_EQ(Request(c, kPhone).status, 429);  // a real account's number alike
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
