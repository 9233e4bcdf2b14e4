// The command line as an operator uses it: the real binary, a real database.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "core/crypto.h"
#include "db/store.h"
#include "domains/notify/service.h"
#include "support/test_db.h"

namespace carecity::testing {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

Run Exec(const std::string& args, const std::string& stdin_text = "") {
  // One data key for every command of this process, as one installation
  // has (and no key file left in the working directory).
  static const std::string bin = "CARECITY_DATA_KEY=" + NewDataKeyHex() + " " + CARECITY_BIN;
  const std::string cmd = stdin_text.empty() ? bin + " " + args + " 2>&1"
                                             : "printf '%s\\n' '" + stdin_text + "' | " + bin + " " + args + " 2>&1";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (p != nullptr && fgets(buf.data(), buf.size(), p) != nullptr) {
    r.out += buf.data();
  }
  const int status = p != nullptr ? pclose(p) : -1;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  std::string Db() { return " --db '" + db_.url() + "'"; }
  int64_t Count(const std::string& sql) {
    db::StoreOptions o;
    o.read_connections = 1;
    auto store = db::OpenStore(db_.url(), o);
    EXPECT_TRUE(store.ok());
    const int64_t n = db::ReadSync(**store, [&](db::Tx& tx) { return tx.Query(sql).front().Int(0); });
    (*store)->Close();
    return n;
  }
  TestDb db_;
};

TEST_F(CliTest, VersionPrintsTheVersion) {
  auto r = Exec("version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("carecity 0.1.0"), std::string::npos);
}

TEST_F(CliTest, MigrateThenSeedDemoTwiceChangesNothingTheSecondTime) {
  ASSERT_EQ(Exec("migrate" + Db()).exit_code, 0);
  auto first = Exec("seed-demo" + Db());
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("seed-demo: done"), std::string::npos);
  const int64_t users = Count("SELECT COUNT(*) FROM users");
  const int64_t orgs = Count("SELECT COUNT(*) FROM orgs");
  EXPECT_GE(users, 8);
  EXPECT_GE(orgs, 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orgs WHERE name LIKE '%博睿社工%'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM venues WHERE name = '关爱桂城企业创享家'"), 1);
  EXPECT_GE(Count("SELECT COUNT(*) FROM villages WHERE rural = 1 AND collective_economy = 1"), 1);
  EXPECT_GE(Count("SELECT COUNT(*) FROM villages WHERE kind = 'community' AND rural = 0"), 1);
  for (const char* role : {"resident", "org_staff", "village_staff", "fund_admin", "reviewer", "trainer", "platform_admin"}) {
    EXPECT_GE(Count(std::string("SELECT COUNT(*) FROM user_roles WHERE role = '") + role + "'"), 1) << role;
  }
  ASSERT_EQ(Exec("seed-demo" + Db()).exit_code, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), users);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orgs"), orgs);
  auto verify = Exec("audit verify" + Db());
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_NE(verify.out.find("\"ok\":true"), std::string::npos);
}

TEST_F(CliTest, CreateAdminReadsThePasswordFromStdin) {
  auto r = Exec("create-admin --login 13700000001 --name 运维 --password-stdin" + Db(), "a-strong-password");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM user_roles r JOIN users u ON u.id = r.user_id "
                  "WHERE u.phone = '13700000001' AND r.role = 'platform_admin'"),
            1);
  // Promoting the same login again is fine and adds nothing.
  ASSERT_EQ(Exec("create-admin --login 13700000001 --name 运维 --password-stdin" + Db(), "a-strong-password").exit_code, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM user_roles WHERE role = 'platform_admin'"), 1);
  auto weak = Exec("create-admin --login 13700000002 --name x --password-stdin" + Db(), "short");
  EXPECT_NE(weak.exit_code, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE phone = '13700000002'"), 0);
}

TEST_F(CliTest, AuditVerifyFindsATamperedRow) {
  ASSERT_EQ(Exec("seed-demo" + Db()).exit_code, 0);
  db::StoreOptions o;
  o.read_connections = 1;
  auto store = db::OpenStore(db_.url(), o);
  ASSERT_TRUE(store.ok());
  db::WriteSync(**store, [](db::Tx& tx) {
    return tx.Exec("UPDATE audit_log SET detail_json = '{\"forged\":true}' WHERE id = 2") == 1;
  });
  (*store)->Close();
  auto r = Exec("audit verify" + Db());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("\"broken_at_id\":2"), std::string::npos) << r.out;
}

TEST_F(CliTest, OutboxListsQueuedMessagesAsJsonLines) {
  ASSERT_EQ(Exec("migrate" + Db()).exit_code, 0);
  db::StoreOptions o;
  o.read_connections = 1;
  auto store = db::OpenStore(db_.url(), o);
  ASSERT_TRUE(store.ok());
  db::WriteSync(**store, [](db::Tx& tx) {
    notify::Enqueue(tx, notify::Channel::kSms, "13912345678", std::nullopt, "recover_code", "{\"code\":\"123456\"}", 5);
    return true;
  });
  (*store)->Close();
  auto r = Exec("outbox" + Db());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"recipient\":\"13912345678\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"template\":\"recover_code\""), std::string::npos);
  EXPECT_NE(r.out.find("\"params\":{\"code\":\"123456\"}"), std::string::npos);
}

TEST_F(CliTest, BackupCopiesALiveSqliteDatabase) {
  if (db_.postgres()) {
    auto r = Exec("backup --out /tmp/x.dump" + Db());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("pg_dump"), std::string::npos);
    return;
  }
  ASSERT_EQ(Exec("seed-demo" + Db()).exit_code, 0);
  const std::string out = db_.path() + ".backup";
  auto r = Exec("backup --out " + out + Db());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("pages"), std::string::npos);  // progress
  db::StoreOptions o;
  o.read_connections = 1;
  auto copy = db::OpenStore("sqlite:" + out, o);
  ASSERT_TRUE(copy.ok());
  const int64_t users = db::ReadSync(**copy, [](db::Tx& tx) { return tx.Query("SELECT COUNT(*) FROM users").front().Int(0); });
  EXPECT_EQ(users, Count("SELECT COUNT(*) FROM users"));
  (*copy)->Close();
}

TEST_F(CliTest, ABadDatabaseUrlIsAClearError) {
  auto r = Exec("migrate --db mysql://nope");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("error:"), std::string::npos);
}

}  // namespace
}  // namespace carecity::testing
