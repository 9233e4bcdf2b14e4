// The outbox delivers text messages for real (issue 16): with [sms]
// configured, a password-recovery code reaches the phone through Tencent
// Cloud SMS (its double here), is redacted once sent, and resets the
// password; Tencent's passing trouble is retried with back-off, a number's
// own failure is final, a stale code is not sent, and several servers never
// claim the same message. Both backends.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <mutex>
#include <set>

#include "core/clock.h"
#include "core/run_sync.h"
#include "db/await.h"
#include "domains/notify/repo.h"
#include "domains/notify/service.h"
#include "doubles/tencent_sms_double.h"
#include "doubles/test_pki.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

constexpr const char* kPhone = "13912345678";

struct Row {
  std::string status, params_json, last_error, provider_ref;
  int64_t attempts = 0;
};

class SmsDeliveryTest : public ::testing::Test {
 protected:
  SmsDeliveryTest() : server_(WithSms()) { sms_.server().SetClock([this] { return server_.clock().NowMs(); }); }

  Config WithSms() {
    const auto dir = std::filesystem::temp_directory_path() / ("carecity-sms-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    doubles::WriteFile((dir / "sms.key").string(), sms_.options().secret_key);
    Config c = TestConfig();
    c.channels.tls.extra_ca_file = doubles::SharedPki().ca_cert_path;
    SmsConfig s;
    s.secret_id = sms_.options().secret_id;
    s.secret_key_file = (dir / "sms.key").string();
    s.sdk_app_id = sms_.options().sdk_app_id;
    s.sign_name = "关爱桂城";
    s.base_url = sms_.base_url();
    s.timeout_ms = 3000;
    s.templates["recover_code"] = SmsTemplate{"123456", {"code", "ttl_minutes"}};
    c.channels.sms = s;
    return c;
  }

  int Deliver() { return RunSync(server_.app().sms_dispatcher()->RunDue()); }
  void AskForCode() {
    Client c(server_);
    ASSERT_EQ(c.Post("/api/v1/auth/recover/request", json::value{{"login", kPhone}}).status, 202);
  }
  Row Latest() {
    return db::ReadSync(server_.app().store(), [](db::Tx& tx) {
      auto rows = tx.Query(
          "SELECT status, params_json, last_error, provider_ref, attempts FROM notify_outbox "
          "WHERE template = 'recover_code' ORDER BY id DESC LIMIT 1");
      return Row{rows[0].Text(0), rows[0].Text(1), rows[0].Text(2), rows[0].Text(3), rows[0].Int(4)};
    });
  }

  doubles::TencentSmsDouble sms_;  // before the server: its address is in the configuration
  TestServer server_;
  Client owner_{server_};
};

TEST_F(SmsDeliveryTest, ARecoveryCodeArrivesByTextIsRedactedOnceSentAndResetsThePassword) {
  ASSERT_NE(server_.app().sms_dispatcher(), nullptr);
  ASSERT_EQ(owner_.Register(kPhone, "old-password").status, 201);
  AskForCode();
  EXPECT_EQ(Deliver(), 1);
  auto got = sms_.LastMessageTo("+8613912345678");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->template_id, "123456");
  EXPECT_EQ(got->sign_name, "关爱桂城");
  ASSERT_EQ(got->params.size(), 2u);
  const std::string code = got->params[0];
  EXPECT_EQ(code.size(), 6u);
  const Row row = Latest();
  EXPECT_EQ(row.status, "sent");
  EXPECT_EQ(row.provider_ref, got->serial_no);
  EXPECT_EQ(row.params_json, R"({"redacted":true})");  // the code is no longer kept
  EXPECT_EQ(row.params_json.find(code), std::string::npos);
  EXPECT_EQ(Deliver(), 0);  // sent once
  EXPECT_EQ(sms_.messages().size(), 1u);

  Client c(server_);
  EXPECT_EQ(c.Post("/api/v1/auth/recover/confirm",
                   json::value{{"login", kPhone}, {"code", code}, {"new_password", "new-password"}})
                .status,
            204);
  EXPECT_EQ(Client(server_).Login(kPhone, "new-password").status, 200);
}

TEST_F(SmsDeliveryTest, PassingTroubleIsRetriedWithBackOffAndANumbersOwnFailureIsFinal) {
  ASSERT_EQ(owner_.Register(kPhone, "old-password").status, 201);
  sms_.FailNext(2, "InternalError.Timeout");
  AskForCode();
  EXPECT_EQ(Deliver(), 1);
  EXPECT_EQ(Latest().status, "queued");
  EXPECT_EQ(Latest().attempts, 1);
  EXPECT_NE(Latest().last_error.find("InternalError.Timeout"), std::string::npos);
  EXPECT_EQ(Deliver(), 0);  // not due yet: about 30 s later
  server_.clock().Advance(40 * kSecondMs);
  EXPECT_EQ(Deliver(), 1);
  EXPECT_EQ(Latest().attempts, 2);
  server_.clock().Advance(40 * kSecondMs);
  EXPECT_EQ(Deliver(), 0);  // the second wait is about 60 s
  server_.clock().Advance(40 * kSecondMs);
  EXPECT_EQ(Deliver(), 1);
  EXPECT_EQ(Latest().status, "sent");
  EXPECT_EQ(sms_.messages().size(), 1u);

  // Over this number's daily limit at Tencent: failed at once, code redacted, nothing retried.
  sms_.SetPhoneResult("+8613912345678", "LimitExceeded.PhoneNumberDailyLimit");
  server_.clock().Advance(2 * kMinuteMs);  // past the per-number request gap
  AskForCode();
  EXPECT_EQ(Deliver(), 1);
  const Row failed = Latest();
  EXPECT_EQ(failed.status, "failed");
  EXPECT_NE(failed.last_error.find("LimitExceeded.PhoneNumberDailyLimit"), std::string::npos);
  EXPECT_EQ(failed.params_json, R"({"redacted":true})");
  server_.clock().Advance(kHourMs);
  EXPECT_EQ(Deliver(), 0);
}

TEST_F(SmsDeliveryTest, ACodeTooOldToUseIsNotSentAndAKindWithoutATemplateWaitsForNone) {
  ASSERT_EQ(owner_.Register(kPhone, "old-password").status, 201);
  AskForCode();
  // The SMS service was unreachable (or [sms] was configured only now) until the code expired.
  server_.clock().Advance(31 * kMinuteMs);
  EXPECT_EQ(Deliver(), 1);
  EXPECT_EQ(Latest().status, "failed");
  EXPECT_NE(Latest().last_error.find("too old"), std::string::npos);
  EXPECT_EQ(sms_.messages().size(), 0u);
  // A kind the operator has no approved template for fails, saying which.
  const int64_t now = server_.clock().NowMs();
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return notify::Enqueue(tx, notify::Channel::kSms, kPhone, std::nullopt, "event_reminder", "{}", now);
  });
  EXPECT_EQ(Deliver(), 1);
  auto last = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    auto rows = tx.Query("SELECT status, last_error FROM notify_outbox WHERE template = 'event_reminder'");
    return std::make_pair(rows[0].Text(0), rows[0].Text(1));
  });
  EXPECT_EQ(last.first, "failed");
  EXPECT_NE(last.second.find("no [sms.templates] entry for event_reminder"), std::string::npos);
}

TEST_F(SmsDeliveryTest, ClaimersRacingForTheSameMessagesNeverHoldOneTwice) {
  const int64_t now = server_.clock().NowMs();
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    for (int i = 0; i < 6; ++i) {
      notify::Enqueue(tx, notify::Channel::kSms, "1391234560" + std::to_string(i), std::nullopt, "recover_code",
                      R"({"code":"123456","ttl_minutes":15})", now);
    }
    return 0;
  });
  std::mutex mu;
  std::multiset<int64_t> held;
  RunAtOnce(12, [&](size_t) -> boost::asio::awaitable<void> {
    auto claimed = co_await db::WriteTx(server_.app().store(), [&](db::Tx& tx) -> Result<std::vector<notify::repo::Claimed>> {
      return notify::repo::ClaimDue(tx, "sms", now, now + 60'000, 1);
    });
    EXPECT_TRUE(claimed.ok());
    if (!claimed.ok()) {
      co_return;
    }
    std::lock_guard lock(mu);
    for (const auto& c : *claimed) {
      held.insert(c.id);
    }
  });
  EXPECT_EQ(held.size(), 6u);  // each message once, every message claimed
  for (int64_t id : held) {
    EXPECT_EQ(held.count(id), 1u) << id;
  }
  // Held: a second round finds nothing until the claims run out.
  auto again = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return notify::repo::ClaimDue(tx, "sms", now + 1000, now + 61'000, 10);
  });
  EXPECT_TRUE(again.empty());
  auto expired = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return notify::repo::ClaimDue(tx, "sms", now + 60'001, now + 120'000, 10);
  });
  EXPECT_EQ(expired.size(), 6u);
  EXPECT_EQ(expired[0].attempts, 2);
}

TEST(SmsDeliveryRules, RetriesBackOffUpToHalfAnHourAndOnlyCodesAreSecret) {
  using notify::Dispatcher;
  EXPECT_EQ(Dispatcher::RetryDelayMs(1, 1.0), 30 * kSecondMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(2, 1.0), 60 * kSecondMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(4, 1.0), 4 * kMinuteMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(8, 1.0), 30 * kMinuteMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(40, 1.0), 30 * kMinuteMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(1, 0.8), 24 * kSecondMs);
  EXPECT_TRUE(Dispatcher::IsCode("recover_code"));
  EXPECT_TRUE(Dispatcher::IsCode("register_code"));
  EXPECT_FALSE(Dispatcher::IsCode("event_reminder"));
}

}  // namespace
}  // namespace carecity::testing
