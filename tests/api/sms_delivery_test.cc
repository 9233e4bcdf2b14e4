// The outbox delivers text messages for real (issue 16): with [sms]
// configured, a password-recovery code reaches the phone through Tencent
// Cloud SMS (its double here), is redacted once sent, and resets the
// password; Tencent's passing trouble is retried with back-off, a number's
// own failure is final, a stale code is not sent, and several servers never
// claim the same message. Both backends.
#include <gtest/gtest.h>

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
    // The test PKI's 0700 directory, removed at exit.
    const std::filesystem::path dir = doubles::SharedPki().dir;
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
    s.templates["event_cancelled"] = SmsTemplate{"654321", {"title"}};
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

  static doubles::TencentSmsDouble::Options Approved() {
    doubles::TencentSmsDouble::Options o;
    o.templates["654321"] = 1;
    return o;
  }

  doubles::TencentSmsDouble sms_{Approved()};  // before the server: its address is in the configuration
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

// The operator's failures page: what did not arrive, and why; a message
// sent again once the cause is gone; a code, an old message or a sent one
// refused; administrators only.
TEST_F(SmsDeliveryTest, AnOperatorSeesFailuresAndSendsOneAgainOnceTheCauseIsGone) {
  ASSERT_EQ(owner_.Register(kPhone, "old-password").status, 201);
  constexpr const char* kNumber = "13912340000";
  const int64_t queued_at = server_.clock().NowMs();
  const int64_t reminder = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return notify::Enqueue(tx, notify::Channel::kSms, kNumber, std::nullopt, "event_cancelled",
                           R"({"title":"重阳敬老活动"})", queued_at);
  });
  sms_.SetPhoneResult("+86" + std::string(kNumber), "InvalidParameterValue.IncorrectPhoneNumber");
  sms_.SetPhoneResult("+8613912345678", "LimitExceeded.PhoneNumberDailyLimit");
  AskForCode();
  EXPECT_EQ(Deliver(), 2);

  Client admin = UserWith(server_, "13800070011", {accounts::RoleGrant{accounts::Role::kPlatformAdmin}});
  Client staff = UserWith(server_, "13800070012", {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  const std::string list = "/api/v1/admin/notify/messages?status=failed";
  EXPECT_EQ(Client(server_).Get(list).status, 401);
  EXPECT_EQ(staff.Get(list).status, 403);
  EXPECT_EQ(owner_.Get(list).status, 403);
  const std::string retry = "/api/v1/admin/notify/messages/" + std::to_string(reminder) + "/retry";
  EXPECT_EQ(staff.Post(retry, json::object{}).status, 403);
  EXPECT_EQ(admin.Get(list + "&channel=fax").status, 400);
  EXPECT_EQ(admin.Get(list + "&before=abc").status, 400);

  auto page = admin.Get(list);
  ASSERT_EQ(page.status, 200) << page.body;
  const json::object body = json::parse(page.body).as_object();
  EXPECT_EQ(body.at("counts").at("failed").as_int64(), 2);
  const json::array& failed = body.at("messages").as_array();
  ASSERT_EQ(failed.size(), 2u);
  const json::object& code = failed[0].as_object();  // newest first
  EXPECT_EQ(code.at("template").as_string(), "recover_code");
  EXPECT_EQ(code.at("recipient").as_string(), "139****5678");  // masked
  EXPECT_FALSE(code.contains("params"));
  EXPECT_FALSE(code.at("retryable").as_bool());
  EXPECT_EQ(code.at("not_retryable_because").as_string(), "notify.code_not_sent");
  const json::object& note = failed[1].as_object();
  EXPECT_EQ(note.at("id").as_int64(), reminder);
  EXPECT_EQ(note.at("recipient").as_string(), "139****0000");
  EXPECT_NE(std::string(note.at("last_error").as_string()).find("IncorrectPhoneNumber"), std::string::npos);
  EXPECT_EQ(note.at("attempts").as_int64(), 1);
  EXPECT_TRUE(note.at("retryable").as_bool());
  EXPECT_EQ(page.body.find("13912345678"), std::string::npos);

  // A code is not sent again: the resident asks for a new one.
  auto refused = admin.Post("/api/v1/admin/notify/messages/" + std::to_string(code.at("id").as_int64()) + "/retry",
                            json::object{});
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.find("notify.code_not_sent"), std::string::npos);
  EXPECT_EQ(admin.Post("/api/v1/admin/notify/messages/999999/retry", json::object{}).status, 404);

  // The number was corrected at the provider's side: sent again, and it arrives.
  sms_.ClearPhoneResults();
  auto again = admin.Post(retry, json::object{});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(json::parse(again.body).at("message").at("status").as_string(), "queued");
  EXPECT_EQ(admin.Post(retry, json::object{}).status, 409);  // queued: nothing to retry
  EXPECT_EQ(Deliver(), 1);
  auto got = sms_.LastMessageTo("+86" + std::string(kNumber));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->template_id, "654321");
  EXPECT_EQ(got->params, std::vector<std::string>{"重阳敬老活动"});
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE status = 'sent' AND template = 'event_cancelled'"),
            1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'notify.message.retried' AND target_id = '" +
                               std::to_string(reminder) + "'"),
            1);
  auto sent = admin.Get("/api/v1/admin/notify/messages?status=sent");
  ASSERT_EQ(sent.status, 200);
  EXPECT_EQ(json::parse(sent.body).at("messages").as_array().size(), 1u);
  EXPECT_EQ(admin.Post(retry, json::object{}).status, 409);  // sent

  // A day later a failure is history: not sent again.
  const int64_t later = server_.clock().NowMs();
  const int64_t old = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return notify::Enqueue(tx, notify::Channel::kSms, kNumber, std::nullopt, "no_such_template", "{}", later);
  });
  EXPECT_EQ(Deliver(), 1);
  server_.clock().Advance(25 * kHourMs);
  auto stale = admin.Post("/api/v1/admin/notify/messages/" + std::to_string(old) + "/retry", json::object{});
  EXPECT_EQ(stale.status, 409);
  EXPECT_NE(stale.body.find("notify.too_old"), std::string::npos);
}

TEST(SmsDeliveryRules, RetriesBackOffUpToHalfAnHourAndOnlyCodesAreSecret) {
  using notify::Dispatcher;
  EXPECT_EQ(Dispatcher::RetryDelayMs(1, 1.0), 30 * kSecondMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(2, 1.0), 60 * kSecondMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(4, 1.0), 4 * kMinuteMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(8, 1.0), 30 * kMinuteMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(40, 1.0), 30 * kMinuteMs);
  EXPECT_EQ(Dispatcher::RetryDelayMs(1, 0.8), 24 * kSecondMs);
  EXPECT_TRUE(notify::IsCodeTemplate("recover_code"));
  EXPECT_TRUE(notify::IsCodeTemplate("register_code"));
  EXPECT_FALSE(notify::IsCodeTemplate("event_cancelled"));
}

}  // namespace
}  // namespace carecity::testing
