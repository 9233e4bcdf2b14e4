// The command line as an operator uses it: the real binary, a real database.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include <boost/json/parse.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "core/crypto.h"
#include "db/store.h"
#include "domains/audit/service.h"
#include "domains/notify/service.h"
#include "support/chain_forger.h"
#include "support/test_db.h"

namespace carecity::testing {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// One checkpoint signing key for every command of this process, as one
// installation has.
const std::string& CheckpointKeyHex() {
  static const std::string hex = NewDataKeyHex();
  return hex;
}

// `with_keys`: the environment carries the data and checkpoint keys, as an
// installation's does (and no key file is left in the working directory);
// without, the command sees neither.
Run Exec(const std::string& args, const std::string& stdin_text = "", bool with_keys = true) {
  // One data key for every command of this process, as one installation has.
  static const std::string keyed =
      "CARECITY_DATA_KEY=" + NewDataKeyHex() + " CARECITY_CHECKPOINT_KEY=" + CheckpointKeyHex() + " " + CARECITY_BIN;
  static const std::string bare = std::string("env -u CARECITY_DATA_KEY -u CARECITY_CHECKPOINT_KEY ") + CARECITY_BIN;
  const std::string& bin = with_keys ? keyed : bare;
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
  // --db and a configuration whose checkpoint log is in the test's directory
  // (the default for PostgreSQL is the working directory).
  std::string DbAndConfig() {
    const std::string path = db_.dir() + "/carecity.toml";
    std::ofstream(path) << "[checkpoints]\nlog_file = \"" << LogPath() << "\"\n";
    return Db() + " --config " + path;
  }
  std::string LogPath() const { return db_.dir() + "/checkpoints.jsonl"; }
  // Runs `write` on a store of the test database (what an intruder with
  // database access can do).
  void Write(const std::function<void(db::Store&)>& write) {
    db::StoreOptions o;
    o.read_connections = 1;
    auto store = db::OpenStore(db_.url(), o);
    ASSERT_TRUE(store.ok());
    write(**store);
    (*store)->Close();
  }
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
  // 党员接待室 and 人才库 (issue 13): a room per rural village, two visits
  // referred as service applications; three members in the pool, one placed.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM reception_rooms"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM reception_visits WHERE application_id IS NOT NULL"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM reception_visits WHERE consent_name_phone = 0 AND "
                  "(resident_name_sealed IS NOT NULL OR resident_phone_sealed IS NOT NULL)"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM talent_pool WHERE withdrawn_at_ms IS NULL"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM talent_invitations WHERE status = 'accepted'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM training_qualifications WHERE status = 'verified'"), 1);
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

TEST_F(CliTest, GrantsAssignFillsOpenSeatsAndPrintsThePanels) {
  ASSERT_EQ(Exec("seed-demo" + Db()).exit_code, 0);
  // The demo's 2012 meeting was assigned by seed-demo (the route's code path)
  // and every seat's reviewer scored (which accepts the seat).
  const int64_t seats = Count("SELECT COUNT(*) FROM grants_assignments WHERE status = 'accepted'");
  EXPECT_EQ(seats, 30 * 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grants_reviews WHERE status = 'submitted'"), seats);
  db::StoreOptions o;
  o.read_connections = 1;
  auto store = db::OpenStore(db_.url(), o);
  ASSERT_TRUE(store.ok());
  const std::string meeting = db::ReadSync(**store, [](db::Tx& tx) {
    return tx.Query("SELECT public_id FROM grants_meetings ORDER BY id LIMIT 1").front().Text(0);
  });
  (*store)->Close();

  auto dry = Exec("grants assign --dry-run --json --meeting " + meeting + Db());
  ASSERT_EQ(dry.exit_code, 0) << dry.out;
  const auto answer = boost::json::parse(dry.out.substr(dry.out.find('{')));
  // Accepted seats stay: every panel is full, nothing to place, nobody short.
  EXPECT_TRUE(answer.at("assignments").as_array().empty()) << dry.out;
  EXPECT_TRUE(answer.at("shortfalls").as_array().empty()) << dry.out;
  EXPECT_EQ(answer.at("dry_run"), true);
  // seed-demo also decided the 2012 call (its projects are funded): with a
  // seat withdrawn, the command prints the meeting and places nobody on a
  // decided application. (Refilling a seat is covered by the route's tests.)
  Write([](db::Store& s) {
    db::WriteSync(s, [](db::Tx& tx) {
      return tx.Exec("UPDATE grants_assignments SET status = 'removed' WHERE id = (SELECT MIN(id) FROM "
                     "grants_assignments WHERE kind = 'expert')");
    });
  });
  auto text = Exec("grants assign --meeting " + meeting + Db());
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_NE(text.out.find("2012年关爱基金项目评审会"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("seats 0, shortfalls 0"), std::string::npos) << text.out;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grants_assignments WHERE status IN ('proposed', 'accepted')"), seats - 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM grants_projects"), Count("SELECT COUNT(*) FROM grants_applications "
                                                                 "WHERE decision = 'approved'"));

  auto missing = Exec("grants assign --meeting AAAAAAAAAAAAAAAAAAAA" + Db());
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.out.find("No such review meeting"), std::string::npos) << missing.out;
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

TEST_F(CliTest, AConfiguredProviderWhoseKeyCannotBeReadStopsTheServerNamingTheFile) {
  const std::string key = db_.dir() + "/apiclient_key.pem";
  const std::string path = db_.dir() + "/carecity.toml";
  std::ofstream(path) << "[server]\npublic_origin = \"https://care.example.cn\"\n"
                      << "[payments.wechatpay]\nmchid = \"1900000001\"\nappid = \"wx0123456789abcdef\"\n"
                      << "private_key_file = \"" << key << "\"\ncert_serial = \"3775B6A4\"\n"
                      << "apiv3_key_file = \"" << db_.dir() << "/apiv3.key\"\n"
                      << "platform_public_key_file = \"" << db_.dir() << "/pub_key.pem\"\n"
                      << "platform_public_key_id = \"PUB_KEY_ID_01\"\n";
  auto r = Exec("migrate" + Db() + " --config " + path);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("payments.wechatpay.private_key_file"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cannot read " + key + ": No such file or directory"), std::string::npos) << r.out;
  // Nothing was opened: the database was not even created or migrated.
  EXPECT_EQ(r.out.find("schema at version"), std::string::npos) << r.out;
}

// Every file in `dir` with a digest of its bytes.
std::map<std::string, std::string> FilesIn(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    out[f.path().filename().string()] = Sha256Hex(bytes.str());
  }
  return out;
}

int64_t JsonInt(const std::string& out, const char* key) {
  return boost::json::parse(out).as_object().at(key).as_int64();
}

TEST_F(CliTest, VerifyWritesNothingCreatesNoFileAndNeedsNoDataKey) {
  ASSERT_EQ(Exec("seed-demo" + DbAndConfig()).exit_code, 0);
  ASSERT_EQ(Exec("checkpoint" + DbAndConfig()).exit_code, 0);
  const int64_t version = Count("SELECT MAX(version) FROM schema_migrations");
  const auto files = FilesIn(db_.dir());
  // Where key and log files go by default for PostgreSQL.
  const std::vector<std::string> defaults{"carecity-data.key", "carecity-checkpoint.key", "carecity-checkpoints.jsonl"};
  std::map<std::string, bool> existed;
  for (const std::string& f : defaults) {
    existed[f] = std::filesystem::exists(f);
  }
  // No data key anywhere (the seeding had it from the environment), and the
  // auditor brings only the public key.
  const std::string pub = " --public-key " + SigningPublicKeyHex(*ParseDataKey(CheckpointKeyHex()));
  for (const char* cmd : {"audit verify", "fund verify"}) {
    auto r = Exec(std::string(cmd) + DbAndConfig() + pub, "", false);
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.out;
    EXPECT_NE(r.out.find("\"ok\":true"), std::string::npos) << r.out;
    EXPECT_GE(JsonInt(r.out, "anchored_seq"), 1) << r.out;
  }
  EXPECT_EQ(FilesIn(db_.dir()), files);  // byte for byte, and no key file, -wal or -shm left
  for (const std::string& f : defaults) {
    EXPECT_EQ(std::filesystem::exists(f), existed[f]) << f;
  }
  EXPECT_EQ(Count("SELECT MAX(version) FROM schema_migrations"), version);
}

TEST_F(CliTest, VerifyNeitherMigratesNorCreatesADatabase) {
  const std::string url = db_.postgres() ? db_.url() : "sqlite:" + db_.dir() + "/never.db";
  auto r = Exec("audit verify --db '" + url + "'", "", false);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.out.find("error:"), std::string::npos) << r.out;
  if (db_.postgres()) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"), 0);
  } else {
    EXPECT_TRUE(std::filesystem::is_empty(db_.dir()));
  }
}

// 村集体账: the demo funds each rural village's book and pays a milestone
// of its contract from it; `books verify` checks
// them all against their signed checkpoints and finds a line edited by SQL.
TEST_F(CliTest, BooksVerifyChecksEveryVillageBookAndFindsATamperedLine) {
  ASSERT_EQ(Exec("seed-demo" + DbAndConfig()).exit_code, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM villagebook_books b JOIN villages v ON v.id = b.village_id "
                  "WHERE v.name IN ('叠滘村', '平东村', '三山村') AND b.seq >= 1"),
            3);
  ASSERT_EQ(Exec("seed-demo" + DbAndConfig()).exit_code, 0);  // idempotent
  // Each book: its funding, and one paid milestone (accrual + payment).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM villagebook_entries"), 9);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM market_contract_payments"), 3);
  auto signed_round = Exec("checkpoint" + DbAndConfig());
  ASSERT_EQ(signed_round.exit_code, 0) << signed_round.out;
  EXPECT_NE(signed_round.out.find("\"chain\":\"villagebook:"), std::string::npos) << signed_round.out;
  auto clean = Exec("books verify" + DbAndConfig());
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_NE(clean.out.find("\"ok\":true"), std::string::npos) << clean.out;
  EXPECT_EQ(JsonInt(clean.out, "books"), 3) << clean.out;
  Write([](db::Store& store) {
    db::WriteSync(store, [](db::Tx& tx) {
      return tx.Exec("UPDATE villagebook_lines SET amount_fen = amount_fen + 100 WHERE id = "
                     "(SELECT MIN(id) FROM villagebook_lines)") == 1;
    });
  });
  auto r = Exec("books verify" + DbAndConfig());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("does not balance"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("balance"), std::string::npos) << r.out;
}

TEST_F(CliTest, CheckpointSignsEachChainThatGrewOnceAndLogsIt) {
  ASSERT_EQ(Exec("seed-demo" + DbAndConfig()).exit_code, 0);
  auto first = Exec("checkpoint" + DbAndConfig());
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("\"chain\":\"audit\""), std::string::npos) << first.out;
  auto again = Exec("checkpoint" + DbAndConfig());
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(again.out.find("\"chain\""), std::string::npos) << again.out;  // nothing grew
  std::ifstream log(LogPath());
  std::string line;
  int lines = 0;
  while (std::getline(log, line)) {
    EXPECT_NE(first.out.find(line), std::string::npos) << line;
    ++lines;
  }
  EXPECT_EQ(lines, Count("SELECT COUNT(*) FROM chain_checkpoints"));
  EXPECT_GE(lines, 1);
}

TEST_F(CliTest, AuditVerifyNamesTheFirstEntryOfATailRewrittenWithRecomputedHashes) {
  ASSERT_EQ(Exec("seed-demo" + DbAndConfig()).exit_code, 0);
  ASSERT_EQ(Exec("checkpoint" + DbAndConfig()).exit_code, 0);
  const int64_t anchored = Count("SELECT seq FROM audit_head");
  Write([](db::Store& store) {
    for (int i = 0; i < 3; ++i) {
      db::WriteSync(store, [i](db::Tx& tx) {
        return audit::Record(tx, {std::nullopt, "test.cli", "thing", std::to_string(i), "{}", ""}, 5000 + i);
      });
    }
  });
  ASSERT_EQ(Exec("checkpoint" + DbAndConfig()).exit_code, 0);
  ASSERT_EQ(Exec("audit verify" + DbAndConfig()).exit_code, 0);
  Write([anchored](db::Store& store) {
    RewriteAuditChainFrom(store, anchored + 1, [](audit::Entry& e) { e.action = "test.forged"; });
  });
  auto r = Exec("audit verify" + DbAndConfig());
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(JsonInt(r.out, "broken_at_id"), anchored + 1) << r.out;
  EXPECT_EQ(JsonInt(r.out, "anchored_seq"), anchored) << r.out;
}

TEST_F(CliTest, VerifyReportsForeignSignaturesAndCheckpointsDeletedFromTheDatabase) {
  ASSERT_EQ(Exec("seed-demo" + DbAndConfig()).exit_code, 0);
  ASSERT_EQ(Exec("checkpoint" + DbAndConfig()).exit_code, 0);
  const std::string stranger = SigningPublicKeyHex(*ParseDataKey(NewDataKeyHex()));
  auto foreign = Exec("audit verify" + DbAndConfig() + " --public-key " + stranger);
  EXPECT_EQ(foreign.exit_code, 1) << foreign.out;
  EXPECT_NE(foreign.out.find("\"problem\":\"bad_signature\""), std::string::npos) << foreign.out;
  Write([](db::Store& store) {
    db::WriteSync(store, [](db::Tx& tx) { return tx.Exec("DELETE FROM chain_checkpoints") > 0; });
  });
  auto deleted = Exec("audit verify" + DbAndConfig());
  EXPECT_EQ(deleted.exit_code, 1) << deleted.out;
  EXPECT_NE(deleted.out.find("\"problem\":\"missing_from_table\""), std::string::npos) << deleted.out;
  auto malformed = Exec("audit verify" + DbAndConfig() + " --public-key nothex");
  EXPECT_EQ(malformed.exit_code, 1);
  EXPECT_NE(malformed.out.find("error:"), std::string::npos) << malformed.out;
}

}  // namespace
}  // namespace carecity::testing
