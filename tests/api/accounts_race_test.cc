// Names that must be unique (an organisation's credit code, a village's
// name) are claimed by the insert itself: platform admins creating the same
// one at once get one success and conflicts, never a 500. On PostgreSQL
// through two Apps on one database.
#include <gtest/gtest.h>

#include <atomic>

#include "support/test_server.h"

namespace carecity::testing {
namespace {

using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

TEST(AccountsRaceTest, OneOrganisationPerCreditCodeAndOneVillagePerNameWhoeverAsksAtOnce) {
  TestServer server;
  auto second = SecondApp(server);
  UserWith(server, "13800070001", {RoleGrant{Role::kPlatformAdmin}});
  Principal admin;
  admin.user_id = Count(server, "SELECT id FROM users WHERE phone = '13800070001'");
  admin.roles = {RoleGrant{Role::kPlatformAdmin}};
  const auto accounts_of = [&](size_t i) -> accounts::AccountsService& {
    return (second && i % 2 == 1) ? second->accounts() : server.app().accounts();
  };
  constexpr int kRacers = 10;
  std::atomic<int> orgs{0}, org_conflicts{0}, villages{0}, village_conflicts{0};
  RunAtOnce(kRacers, [&](size_t i) -> boost::asio::awaitable<void> {
    // Named arguments, never temporaries, inside co_await (the g++ 12 trap).
    accounts::NewOrg o{"博睿社工", "52440605MJL1001X2A", std::string("5A")};
    accounts::ClientInfo client{"127.0.0.1", "test"};
    auto r = co_await accounts_of(i).CreateOrg(admin, o, client);
    orgs += r.ok() ? 1 : 0;
    org_conflicts += !r.ok() && r.error().key == "org_exists" ? 1 : 0;
    accounts::NewVillage v{"叠滘村", "village", true, true};
    auto w = co_await accounts_of(i).CreateVillage(admin, v, client);
    villages += w.ok() ? 1 : 0;
    village_conflicts += !w.ok() && w.error().key == "village_exists" ? 1 : 0;
  });
  EXPECT_EQ(orgs.load(), 1);
  EXPECT_EQ(org_conflicts.load(), kRacers - 1);
  EXPECT_EQ(villages.load(), 1);
  EXPECT_EQ(village_conflicts.load(), kRacers - 1);
  EXPECT_EQ(Count(server, "SELECT COUNT(*) FROM orgs"), 1);
  EXPECT_EQ(Count(server, "SELECT COUNT(*) FROM villages"), 1);
  second.reset();
}

}  // namespace
}  // namespace carecity::testing
