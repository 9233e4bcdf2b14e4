// Organisations, villages and roles: platform_admin only, audited.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domains/accounts/service.h"
#include "domains/audit/service.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Bootstrap an admin the way an operator does (create-admin).
    auto& accounts = server_.app().accounts();
    const std::string hash = accounts.HashPasswordNow("admin-password");
    auto uid = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return accounts.EnsureUserTx(tx, {accounts::Login::Kind::kPhone, "13800000007"}, "管理员", hash,
                                   {accounts::RoleGrant{accounts::Role::kPlatformAdmin}}, "accounts.admin.created");
    });
    ASSERT_TRUE(uid.ok());
    ASSERT_EQ(admin_.Login("13800000007", "admin-password").status, 200);
    auto r = resident_.Register("13912345678");
    ASSERT_EQ(r.status, 201);
    resident_id_ = r.json.at("user").at("id").as_int64();
  }

  int64_t CreateOrg(const std::string& code = "52440605MJL1001X2A") {
    auto r = admin_.Post("/api/v1/admin/orgs", json::value{{"name", "博睿社工"}, {"credit_code", code}, {"rating", "5A"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("org").at("id").as_int64();
  }
  int64_t CreateVillage(const std::string& name = "叠滘村") {
    auto r = admin_.Post("/api/v1/admin/villages",
                         json::value{{"name", name}, {"kind", "village"}, {"rural", true}, {"collective_economy", true}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("village").at("id").as_int64();
  }

  TestServer server_;
  Client admin_{server_};
  Client resident_{server_};
  int64_t resident_id_ = 0;
};

TEST_F(AdminApiTest, AdminCreatesAnOrganisation) {
  auto r = admin_.Post("/api/v1/admin/orgs",
                       json::value{{"name", "博睿社工"}, {"credit_code", "52440605MJL1001X2A"}, {"rating", "5A"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_GT(r.json.at("org").at("id").as_int64(), 0);
  EXPECT_EQ(r.json.at("org").at("rating").as_string(), "5A");
  auto dup = admin_.Post("/api/v1/admin/orgs", json::value{{"name", "另一个"}, {"credit_code", "52440605MJL1001X2A"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.error_code(), "org_exists");
  auto list = Client(server_).Get("/api/v1/orgs");
  EXPECT_EQ(list.json.at("orgs").as_array().size(), 1u);
}

TEST_F(AdminApiTest, OrganisationInputIsValidated) {
  auto bad_code = admin_.Post("/api/v1/admin/orgs", json::value{{"name", "博睿社工"}, {"credit_code", "123"}});
  EXPECT_EQ(bad_code.error_code(), "invalid_credit_code");
  auto bad_rating = admin_.Post(
      "/api/v1/admin/orgs", json::value{{"name", "博睿社工"}, {"credit_code", "52440605MJL1001X2A"}, {"rating", "6A"}});
  EXPECT_EQ(bad_rating.error_code(), "invalid_rating");
  EXPECT_EQ(Client(server_).Get("/api/v1/orgs").json.at("orgs").as_array().size(), 0u);
}

TEST_F(AdminApiTest, AdminCreatesVillagesAndOnlyRuralOnesHaveCollectiveEconomies) {
  auto urban = admin_.Post("/api/v1/admin/villages",
                           json::value{{"name", "夏北社区"}, {"kind", "community"}, {"rural", false}, {"collective_economy", false}});
  ASSERT_EQ(urban.status, 201) << urban.body;
  EXPECT_FALSE(urban.json.at("village").at("rural").as_bool());
  auto wrong = admin_.Post("/api/v1/admin/villages",
                           json::value{{"name", "东二社区"}, {"kind", "community"}, {"rural", false}, {"collective_economy", true}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.error_code(), "collective_requires_rural");
  EXPECT_EQ(wrong.error_field(), "collective_economy");
  auto bad_kind = admin_.Post("/api/v1/admin/villages", json::value{{"name", "某地"}, {"kind", "city"}, {"rural", false}});
  EXPECT_EQ(bad_kind.error_field(), "kind");
  auto dup = admin_.Post("/api/v1/admin/villages", json::value{{"name", "夏北社区"}, {"kind", "community"}, {"rural", false}});
  EXPECT_EQ(dup.status, 409);
}

TEST_F(AdminApiTest, GrantedRolesShowTheirScopeInMe) {
  const int64_t org = CreateOrg();
  auto g = admin_.Post("/api/v1/admin/roles", json::value{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}});
  ASSERT_EQ(g.status, 201) << g.body;
  auto me = resident_.Get("/api/v1/me");
  bool found = false;
  for (const auto& r : me.json.at("roles").as_array()) {
    if (r.at("role").as_string() == "org_staff") {
      found = true;
      EXPECT_EQ(r.at("org_id").as_int64(), org);
      EXPECT_EQ(r.at("org_name").as_string(), "博睿社工");
    }
  }
  EXPECT_TRUE(found) << me.body;
  auto dup = admin_.Post("/api/v1/admin/roles", json::value{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}});
  EXPECT_EQ(dup.status, 409);

  auto revoke =
      admin_.Delete("/api/v1/admin/roles", json::serialize(json::value{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}}));
  EXPECT_EQ(revoke.status, 204);
  EXPECT_EQ(resident_.Get("/api/v1/me").json.at("roles").as_array().size(), 1u);
  auto again =
      admin_.Delete("/api/v1/admin/roles", json::serialize(json::value{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}}));
  EXPECT_EQ(again.status, 404);
}

TEST_F(AdminApiTest, ARevokedRoleStopsWorkingAtOnce) {
  const int64_t org = CreateOrg();
  const json::value grant{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}};
  ASSERT_EQ(admin_.Post("/api/v1/admin/roles", grant).status, 201);
  const std::string stats = "/api/v1/orgs/" + std::to_string(org) + "/events/stats";
  ASSERT_EQ(resident_.Get(stats).status, 200);  // staff of the org, and the server has just checked so
  ASSERT_EQ(admin_.Delete("/api/v1/admin/roles", json::serialize(grant)).status, 204);
  EXPECT_EQ(resident_.Get(stats).status, 403);
  ASSERT_EQ(admin_.Post("/api/v1/admin/roles", grant).status, 201);
  EXPECT_EQ(resident_.Get(stats).status, 200);  // and a new grant works at once too
}

TEST_F(AdminApiTest, RoleScopesAreEnforced) {
  const int64_t org = CreateOrg();
  const int64_t village = CreateVillage();
  struct Case {
    json::value body;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {{{"user_id", resident_id_}, {"role", "org_staff"}}, 400, "role_scope_required"},
      {{{"user_id", resident_id_}, {"role", "village_staff"}}, 400, "role_scope_required"},
      {{{"user_id", resident_id_}, {"role", "fund_admin"}, {"org_id", org}}, 400, "role_scope_not_allowed"},
      {{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}, {"village_id", village}}, 400,
       "role_scope_not_allowed"},
      {{{"user_id", resident_id_}, {"role", "king"}}, 400, "invalid_role"},
      {{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", 999}}, 404, "org_not_found"},
      {{{"user_id", 999999}, {"role", "reviewer"}}, 404, "user_not_found"},
      {{{"user_id", "1"}, {"role", "reviewer"}}, 400, "invalid_type"},
  };
  for (const Case& k : cases) {
    auto r = admin_.Post("/api/v1/admin/roles", k.body);
    EXPECT_EQ(r.status, k.status) << json::serialize(k.body) << " -> " << r.body;
    EXPECT_EQ(r.error_code(), k.code) << json::serialize(k.body);
  }
  auto ok = admin_.Post("/api/v1/admin/roles", json::value{{"user_id", resident_id_}, {"role", "village_staff"}, {"village_id", village}});
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(ok.json.at("role").at("village_name").as_string(), "叠滘村");
}

TEST_F(AdminApiTest, EveryAdminRouteRefusesNonAdminsAndStrangers) {
  const int64_t org = CreateOrg();
  // Give the resident every role except platform_admin: still refused.
  for (const char* role : {"fund_admin", "reviewer", "trainer"}) {
    ASSERT_EQ(admin_.Post("/api/v1/admin/roles", json::value{{"user_id", resident_id_}, {"role", role}}).status, 201);
  }
  ASSERT_EQ(admin_.Post("/api/v1/admin/roles", json::value{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}}).status,
            201);
  Client stranger(server_);
  struct Route {
    std::string method;
    std::string path;
    std::string body;
  };
  const std::vector<Route> routes = {
      {"POST", "/api/v1/admin/orgs", R"({"name":"x机构","credit_code":"52440605MJL1009X2A"})"},
      {"POST", "/api/v1/admin/villages", R"({"name":"x村","kind":"village","rural":true})"},
      {"POST", "/api/v1/admin/roles", R"({"user_id":1,"role":"platform_admin"})"},
      {"DELETE", "/api/v1/admin/roles", R"({"user_id":1,"role":"platform_admin"})"},
      {"GET", "/api/v1/admin/users?q=1", ""},
  };
  for (const Route& r : routes) {
    const std::map<std::string, std::string> h =
        r.body.empty() ? std::map<std::string, std::string>{} : std::map<std::string, std::string>{{"Content-Type", "application/json"}};
    auto as_staff = resident_.Send(r.method, r.path, r.body, h);
    EXPECT_EQ(as_staff.status, 403) << r.method << " " << r.path;
    EXPECT_EQ(as_staff.error_code(), "forbidden");
    auto anon = stranger.Send(r.method, r.path, r.body, h);
    EXPECT_EQ(anon.status, 401) << r.method << " " << r.path;
  }
  // Nothing was created by the refused calls.
  EXPECT_EQ(Client(server_).Get("/api/v1/orgs").json.at("orgs").as_array().size(), 1u);
  EXPECT_EQ(Client(server_).Get("/api/v1/villages").json.at("villages").as_array().size(), 0u);
}

TEST_F(AdminApiTest, AdminsCanFindUsersToGrantRoles) {
  auto r = admin_.Get("/api/v1/admin/users?q=1391234");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json.at("users").as_array().size(), 1u);
  EXPECT_EQ(r.json.at("users").at(0).at("id").as_int64(), resident_id_);
  EXPECT_EQ(r.json.at("users").at(0).at("phone").as_string(), "139****5678");
}

TEST_F(AdminApiTest, PrivilegedActionsAreAuditedInAnIntactChain) {
  const int64_t org = CreateOrg();
  CreateVillage();
  ASSERT_EQ(admin_.Post("/api/v1/admin/roles", json::value{{"user_id", resident_id_}, {"role", "org_staff"}, {"org_id", org}}).status,
            201);
  auto actions = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    std::vector<std::string> out;
    auto rows = tx.Query("SELECT action FROM audit_log ORDER BY id");
    for (size_t i = 0; i < rows.size(); ++i) {
      out.push_back(rows[i].Text(0));
    }
    return out;
  });
  const std::vector<std::string> expected = {"accounts.admin.created", "accounts.org.created", "accounts.village.created",
                                             "accounts.role.granted"};
  EXPECT_EQ(actions, expected);
  auto report = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return audit::Verify(tx); });
  EXPECT_TRUE(report.ok) << report.reason;
  EXPECT_EQ(report.checked, 4);
}

TEST_F(AdminApiTest, RoleChangesNeedALoginWithinTheRecentAuthWindow) {
  const json::value grant{{"user_id", resident_id_}, {"role", "reviewer"}};
  // Just logged in: allowed.
  ASSERT_EQ(admin_.Post("/api/v1/admin/roles", grant).status, 201);
  ASSERT_EQ(admin_.Delete("/api/v1/admin/roles", json::serialize(grant)).status, 204);

  // Past the window ([security] recent_auth_seconds, 15 minutes by default) the session still
  // works for everything else, but role changes ask for the password again and change nothing.
  server_.clock().Advance(15 * kMinuteMs + kSecondMs);
  EXPECT_EQ(admin_.Get("/api/v1/me").status, 200);
  auto stale = admin_.Post("/api/v1/admin/roles", grant);
  EXPECT_EQ(stale.status, 401) << stale.body;
  EXPECT_EQ(stale.error_code(), "reauth_required");
  auto stale_revoke = admin_.Delete("/api/v1/admin/roles", json::serialize(grant));
  EXPECT_EQ(stale_revoke.error_code(), "reauth_required");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM user_roles WHERE role = 'reviewer'"), 0);

  // A wrong password does not refresh it.
  auto wrong = admin_.Post("/api/v1/auth/reauth", json::value{{"password", "not-the-password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.error_code(), "wrong_password");
  EXPECT_EQ(wrong.error_field(), "password");
  EXPECT_EQ(admin_.Post("/api/v1/admin/roles", grant).error_code(), "reauth_required");

  // The password given again makes this session recent, without a new login.
  ASSERT_EQ(admin_.Post("/api/v1/auth/reauth", json::value{{"password", "admin-password"}}).status, 204);
  EXPECT_EQ(admin_.Post("/api/v1/admin/roles", grant).status, 201);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM user_roles WHERE role = 'reviewer'"), 1);
}

TEST_F(AdminApiTest, NonAdminsAreForbiddenBeforeAnyRecentAuthQuestion) {
  server_.clock().Advance(16 * kMinuteMs);
  auto r = resident_.Post("/api/v1/admin/roles", json::value{{"user_id", resident_id_}, {"role", "reviewer"}});
  EXPECT_EQ(r.status, 403);  // not "reauth_required": that would say the route is worth trying
}

TEST(AdminRecentAuthTest, TheRecentAuthWindowIsConfigurableAndANewLoginIsRecent) {
  Config cfg = TestConfig();
  cfg.recent_auth_s = 60;
  TestServer server(cfg);
  const std::string admin_phone = NextPhone();
  Client admin = UserWith(server, admin_phone, {accounts::RoleGrant{accounts::Role::kPlatformAdmin}});
  Client resident(server);
  auto reg = resident.Register(NextPhone());
  ASSERT_EQ(reg.status, 201);
  const json::value grant{{"user_id", reg.json.at("user").at("id").as_int64()}, {"role", "trainer"}};
  server.clock().Advance(61 * kSecondMs);
  EXPECT_EQ(admin.Post("/api/v1/admin/roles", grant).error_code(), "reauth_required");
  ASSERT_EQ(admin.Login(admin_phone, "password123").status, 200);
  EXPECT_EQ(admin.Post("/api/v1/admin/roles", grant).status, 201);
}

}  // namespace
}  // namespace carecity::testing
