// Registration, login, sessions, the data export and account deletion.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <optional>

#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

// Authenticate a token on a server's accounts service directly (a second App
// on the same database has no HTTP listener in these tests).
Result<accounts::Principal> AuthenticateOn(app::App& app, const std::string& token) {
  boost::asio::io_context io;
  std::optional<Result<accounts::Principal>> out;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await app.accounts().Authenticate(token)); },
      boost::asio::detached);
  io.run();
  return std::move(*out);
}

int64_t CountRows(TestServer& s, const std::string& sql) {
  return db::ReadSync(s.app().store(), [&](db::Tx& tx) { return tx.Query(sql).front().Int(0); });
}

class AccountsApiTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(AccountsApiTest, RegisterReturnsTheMaskedUserAndASessionCookie) {
  Client c(server_);
  auto r = c.Register("13912345678", "password123", "张三");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto& u = r.json.at("user");
  EXPECT_EQ(u.at("phone").as_string(), "139****5678");
  EXPECT_EQ(u.at("display_name").as_string(), "张三");
  EXPECT_EQ(u.at("roles").at(0).at("role").as_string(), "resident");
  const std::string cookie = r.header("set-cookie");
  EXPECT_NE(cookie.find("cc_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // http origin
  EXPECT_EQ(r.body.find("13912345678"), std::string::npos);

  auto me = c.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json.at("id").as_int64(), u.at("id").as_int64());
  EXPECT_EQ(me.json.at("user").at("id").as_int64(), u.at("id").as_int64());
  EXPECT_EQ(me.json.at("roles").as_array().size(), 1u);
}

TEST_F(AccountsApiTest, PasswordsAreStoredAsArgon2idNeverPlain) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678", "s3cret-password").status, 201);
  auto hash = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("SELECT password_hash FROM users").front().Text(0);
  });
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash.find("s3cret"), std::string::npos);
  auto token = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("SELECT token_hash FROM auth_sessions").front().Text(0);
  });
  EXPECT_NE(token, c.session());  // only the hash is stored
}

TEST_F(AccountsApiTest, RegisteringWithEmailWorksAndIsCaseInsensitive) {
  Client c(server_);
  auto r = c.Post("/api/v1/auth/register", json::value{{"email", "Alice@Example.CN"},
                                                       {"password", "password123"},
                                                       {"display_name", "Alice"},
                                                       {"consent_version", TestConfig().consent_version}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("user").at("email").as_string(), "a***@example.cn");
  Client other(server_);
  EXPECT_EQ(other.Login("alice@example.cn", "password123").status, 200);
}

TEST_F(AccountsApiTest, ASecondRegistrationOfTheSamePhoneIsAConflict) {
  Client a(server_);
  ASSERT_EQ(a.Register("13912345678").status, 201);
  Client b(server_);
  auto r = b.Register("139 1234 5678");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "account_exists");
  EXPECT_EQ(CountRows(server_, "SELECT COUNT(*) FROM users"), 1);
}

TEST_F(AccountsApiTest, RegistrationInputIsValidatedAndNothingIsWritten) {
  Client c(server_);
  struct Case {
    json::value body;
    std::string code;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"phone", "12345"}, {"password", "password123"}, {"display_name", "x"}, {"consent_version", TestConfig().consent_version}},
       "invalid_phone",
       "phone"},
      {{{"email", "not-an-email"}, {"password", "password123"}, {"display_name", "x"}, {"consent_version", TestConfig().consent_version}},
       "invalid_email",
       "email"},
      {{{"phone", "13912345678"}, {"password", "short"}, {"display_name", "x"}, {"consent_version", TestConfig().consent_version}},
       "weak_password",
       "password"},
      {{{"phone", "13912345678"}, {"password", "password123"}, {"display_name", "x"}, {"consent_version", "2020-01"}},
       "consent_required",
       "consent_version"},
      {{{"phone", "13912345678"}, {"password", "password123"}, {"display_name", "x"}}, "missing_field",
       "consent_version"},
      {{{"password", "password123"}, {"display_name", "x"}, {"consent_version", TestConfig().consent_version}}, "phone_or_email",
       "phone"},
      {{{"phone", "13912345678"},
        {"email", "a@b.cn"},
        {"password", "password123"},
        {"display_name", "x"},
        {"consent_version", TestConfig().consent_version}},
       "phone_or_email",
       "email"},
      {{{"phone", "13912345678"}, {"password", "password123"}, {"display_name", "  "}, {"consent_version", TestConfig().consent_version}},
       "missing_field",
       "display_name"},
      {{{"phone", "13912345678"},
        {"password", "password123"},
        {"display_name", "a\u0007b"},
        {"consent_version", TestConfig().consent_version}},
       "invalid_characters",
       "display_name"},
  };
  for (const Case& k : cases) {
    auto r = c.Post("/api/v1/auth/register", k.body);
    EXPECT_EQ(r.status, 400) << json::serialize(k.body) << " -> " << r.body;
    EXPECT_EQ(r.error_code(), k.code) << json::serialize(k.body);
    EXPECT_EQ(r.error_field(), k.field) << json::serialize(k.body);
  }
  EXPECT_EQ(CountRows(server_, "SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(CountRows(server_, "SELECT COUNT(*) FROM auth_sessions"), 0);
}

TEST_F(AccountsApiTest, ConsentIsRecordedWithItsVersion) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678").status, 201);
  auto v = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("SELECT policy_version, accepted_at_ms FROM user_consents");
  });
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v.front().Text(0), TestConfig().consent_version);
  EXPECT_EQ(v.front().Int(1), server_.clock().NowMs());
}

TEST_F(AccountsApiTest, LoginFailuresDoNotSayWhichPartWasWrong) {
  Client a(server_);
  ASSERT_EQ(a.Register("13912345678", "password123").status, 201);
  Client b(server_);
  auto wrong_password = b.Login("13912345678", "password124");
  auto unknown_user = b.Login("13987654321", "password123");
  EXPECT_EQ(wrong_password.status, 401);
  EXPECT_EQ(unknown_user.status, 401);
  EXPECT_EQ(wrong_password.error_code(), "invalid_credentials");
  EXPECT_EQ(wrong_password.body, unknown_user.body);
  EXPECT_TRUE(b.session().empty());
  auto ok = b.Login("13912345678", "password123");
  EXPECT_EQ(ok.status, 200);
  EXPECT_FALSE(b.session().empty());
  EXPECT_EQ(b.Get("/api/v1/me").status, 200);
}

TEST_F(AccountsApiTest, LogoutEndsTheSession) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678").status, 201);
  const std::string token = c.session();
  auto out = c.PostRaw("/api/v1/auth/logout", "{}");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  Client replay(server_);
  replay.set_session(token);
  EXPECT_EQ(replay.Get("/api/v1/me").status, 401);
}

TEST_F(AccountsApiTest, SessionsCanBeListedAndRevoked) {
  Client phone(server_);
  ASSERT_EQ(phone.Register("13912345678", "password123").status, 201);
  Client laptop(server_);
  ASSERT_EQ(laptop.Login("13912345678", "password123").status, 200);

  auto list = phone.Get("/api/v1/me/sessions");
  ASSERT_EQ(list.status, 200);
  const auto& sessions = list.json.at("sessions").as_array();
  ASSERT_EQ(sessions.size(), 2u);
  int64_t other_id = 0;
  int current = 0;
  for (const auto& s : sessions) {
    if (s.at("current").as_bool()) {
      ++current;
    } else {
      other_id = s.at("id").as_int64();
    }
  }
  EXPECT_EQ(current, 1);
  ASSERT_EQ(laptop.Get("/api/v1/me").status, 200);  // the server has just checked the laptop's session
  EXPECT_EQ(phone.Delete("/api/v1/me/sessions/" + std::to_string(other_id)).status, 204);
  EXPECT_EQ(laptop.Get("/api/v1/me").status, 401);
  EXPECT_EQ(phone.Get("/api/v1/me").status, 200);
  EXPECT_EQ(phone.Delete("/api/v1/me/sessions/" + std::to_string(other_id)).status, 404);
  EXPECT_EQ(phone.Delete("/api/v1/me/sessions/abc").status, 404);
}

TEST_F(AccountsApiTest, NobodyCanRevokeSomeoneElsesSession) {
  Client alice(server_);
  ASSERT_EQ(alice.Register("13912345678").status, 201);
  const int64_t alice_session =
      alice.Get("/api/v1/me/sessions").json.at("sessions").at(0).at("id").as_int64();
  Client mallory(server_);
  ASSERT_EQ(mallory.Register("13987654321").status, 201);
  auto r = mallory.Delete("/api/v1/me/sessions/" + std::to_string(alice_session));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(alice.Get("/api/v1/me").status, 200);
}

TEST_F(AccountsApiTest, AnotherServerSeesALogoutWithinTheSessionCacheTime) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678").status, 201);
  const std::string token = c.session();
  // A second server on the same database has checked this session.
  auto other = app::App::Open(server_.app().config(), server_.clock());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(AuthenticateOn(**other, token).ok());

  ASSERT_EQ(c.PostRaw("/api/v1/auth/logout", "{}").status, 204);
  Client replay(server_);
  replay.set_session(token);
  EXPECT_EQ(replay.Get("/api/v1/me").status, 401);  // this server: at once
  server_.clock().Advance(server_.app().config().session_cache_s * 1000 + 1);
  auto there = AuthenticateOn(**other, token);  // the other one: once its cache time has passed
  ASSERT_FALSE(there.ok());
  EXPECT_EQ(there.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AccountsApiTest, SessionsExpire) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678").status, 201);
  server_.clock().Advance(server_.app().config().session_ttl_s * 1000 + 1);
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
}

TEST_F(AccountsApiTest, LoginAttemptsAreRateLimitedPerAccount) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678", "password123").status, 201);
  const int64_t limit = server_.app().config().rate_limits.login_per_account.max;
  Client attacker(server_);
  for (int64_t i = 0; i < limit; ++i) {
    EXPECT_EQ(attacker.Login("13912345678", "guess" + std::to_string(i) + "xyz").status, 401);
  }
  auto blocked = attacker.Login("13912345678", "password123");  // even the right one
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(blocked.error_code(), "rate_limited");
  EXPECT_GT(std::stoi(blocked.header("retry-after")), 0);
  server_.clock().Advance(server_.app().config().rate_limits.login_per_account.window_s * 1000 + 1);
  EXPECT_EQ(attacker.Login("13912345678", "password123").status, 200);
}

TEST_F(AccountsApiTest, MaintenancePrunesRateLimitWindowsOlderThanADay) {
  Client c(server_);
  ASSERT_EQ(c.Login("13900000001", "wrong-password").status, 401);  // two buckets: account and IP
  ASSERT_EQ(CountRows(server_, "SELECT COUNT(*) FROM rate_limits"), 2);
  // A backlog larger than one batch (1,000) is worked off in one run.
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    for (int i = 0; i < 2500; ++i) {
      tx.Exec("INSERT INTO rate_limits (bucket, window_start_ms, count) VALUES ($1, $2, 1)",
              {"backlog:" + std::to_string(i), server_.clock().NowMs() - kDayMs - i});
    }
    return true;
  });
  server_.clock().Advance(kHourMs);
  server_.app().RunMaintenance();
  EXPECT_EQ(CountRows(server_, "SELECT COUNT(*) FROM rate_limits"), 2);  // the backlog went, the live windows stayed
  server_.clock().Advance(kDayMs - kHourMs);  // now exactly a day after the login
  server_.app().RunMaintenance();
  EXPECT_EQ(CountRows(server_, "SELECT COUNT(*) FROM rate_limits"), 2);
  server_.clock().Advance(1);
  server_.app().RunMaintenance();
  EXPECT_EQ(CountRows(server_, "SELECT COUNT(*) FROM rate_limits"), 0);
}

TEST(AccountsRateLimitSwitchTest, RateLimitsCanBeSwitchedOffForLoadTests) {
  Config cfg = TestConfig();
  cfg.rate_limits.enabled = false;
  TestServer server(cfg);
  Client c(server);
  ASSERT_EQ(c.Register("13912345678", "password123").status, 201);
  for (int i = 0; i < cfg.rate_limits.login_per_account.max + 5; ++i) {
    EXPECT_EQ(Client(server).Login("13912345678", "password123").status, 200);
  }
}

TEST_F(AccountsApiTest, ExportContainsMyDataUnmasked) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678", "password123", "张三").status, 201);
  auto r = c.Get("/api/v1/me/export");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(r.json.at("user").at("phone").as_string(), "13912345678");
  EXPECT_EQ(r.json.at("consents").at(0).at("policy_version").as_string(), TestConfig().consent_version);
  EXPECT_EQ(r.json.at("sessions").as_array().size(), 1u);
}

TEST_F(AccountsApiTest, DeletingMyAccountDropsThePersonAndEndsEverySession) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678", "password123", "张三").status, 201);
  Client second(server_);
  ASSERT_EQ(second.Login("13912345678", "password123").status, 200);
  ASSERT_EQ(c.DeleteAccount("password123").status, 204);
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
  EXPECT_EQ(second.Get("/api/v1/me").status, 401);
  EXPECT_EQ(Client(server_).Login("13912345678", "password123").status, 401);
  auto row = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("SELECT display_name, phone, email, password_hash, status FROM users");
  });
  ASSERT_EQ(row.size(), 1u);  // the row stays for the books
  EXPECT_EQ(row.front().Text(0), "已注销用户");
  EXPECT_TRUE(row.front().IsNull(1));
  EXPECT_TRUE(row.front().IsNull(2));
  EXPECT_EQ(row.front().Text(3), "");
  EXPECT_EQ(row.front().Text(4), "deleted");
  // The number can be used again by a new person.
  EXPECT_EQ(Client(server_).Register("13912345678").status, 201);
}

TEST_F(AccountsApiTest, DeletingMyAccountNeedsThePasswordAgainAndAWrongOneDeletesNothing) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678", "password123", "张三").status, 201);
  const auto unchanged = [&] {
    EXPECT_EQ(c.Get("/api/v1/me").status, 200);
    EXPECT_EQ(CountRows(server_, "SELECT COUNT(*) FROM users WHERE status = 'active' AND display_name = '张三'"), 1);
  };
  auto none = c.Delete("/api/v1/me");  // no body at all
  EXPECT_EQ(none.status, 400) << none.body;
  EXPECT_EQ(none.error_code(), "missing_field");
  EXPECT_EQ(none.error_field(), "password");
  unchanged();
  auto empty = c.Delete("/api/v1/me", "{}");
  EXPECT_EQ(empty.error_code(), "missing_field");
  unchanged();
  auto wrong = c.DeleteAccount("password124");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_code(), "wrong_password");
  EXPECT_EQ(wrong.error_field(), "password");
  EXPECT_EQ(wrong.json.at("error").at("message").as_string(), "密码不正确，请重新输入");
  unchanged();
  auto typed = c.Delete("/api/v1/me", R"({"password":123})");
  EXPECT_EQ(typed.error_code(), "invalid_type");
  auto extra = c.Delete("/api/v1/me", R"({"password":"password123","confirm":true})");
  EXPECT_EQ(extra.error_code(), "unknown_field");
  unchanged();
  // Someone else's password is no better than a wrong one.
  ASSERT_EQ(Client(server_).Register("13912345679", "other-password").status, 201);
  EXPECT_EQ(c.DeleteAccount("other-password").error_code(), "wrong_password");
  unchanged();
  ASSERT_EQ(c.DeleteAccount("password123").status, 204);
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
}

TEST_F(AccountsApiTest, PasswordGuessesWhenDeletingAreRateLimitedLikeLogins) {
  Client c(server_);
  ASSERT_EQ(c.Register("13912345678", "password123", "张三").status, 201);
  // login_per_account is 10 per 15 minutes.
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(c.DeleteAccount("guess-" + std::to_string(i)).status, 401);
  }
  auto limited = c.DeleteAccount("password123");  // even the right one, once over the limit
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "rate_limited");
  EXPECT_FALSE(limited.header("retry-after").empty());
  EXPECT_EQ(c.Get("/api/v1/me").status, 200);
  server_.clock().Advance(15 * kMinuteMs + kSecondMs);
  EXPECT_EQ(c.DeleteAccount("password123").status, 204);
}

TEST_F(AccountsApiTest, PublicListsNeedNoLogin) {
  Client c(server_);
  EXPECT_EQ(c.Get("/api/v1/orgs").status, 200);
  EXPECT_EQ(c.Get("/api/v1/villages").status, 200);
  auto meta = c.Get("/api/v1/meta");
  EXPECT_EQ(meta.json.at("consent_version").as_string(), TestConfig().consent_version);
  EXPECT_EQ(meta.json.at("time_zone").as_string(), "Asia/Shanghai");  // the web shows every time in it
}

}  // namespace
}  // namespace carecity::testing
