// Both dialects' migrations must end with the same tables and columns.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "db/migrations.h"
#include "db/store.h"
#include "support/test_db.h"

namespace carecity::db {
namespace {

using Schema = std::map<std::string, std::set<std::string>>;

Schema SqliteSchema(Store& store) {
  return ReadSync(store, [](Tx& tx) {
    Schema s;
    auto tables = tx.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    for (size_t i = 0; i < tables.size(); ++i) {
      const std::string t = tables[i].Text(0);
      auto cols = tx.Query("SELECT name FROM pragma_table_info($1)", {t});
      for (size_t c = 0; c < cols.size(); ++c) {
        s[t].insert(cols[c].Text(0));
      }
    }
    return s;
  });
}

Schema PostgresSchema(Store& store) {
  return ReadSync(store, [](Tx& tx) {
    Schema s;
    auto cols = tx.Query(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'");
    for (size_t i = 0; i < cols.size(); ++i) {
      s[cols[i].Text(0)].insert(cols[i].Text(1));
    }
    return s;
  });
}

TEST(SchemaTest, SqliteAndPostgresHaveTheSameTablesAndColumns) {
  if (carecity::testing::PostgresAdminUrl().empty()) {
    GTEST_SKIP() << "needs CARECITY_TEST_PG_URL (make test provides it)";
  }
  StoreOptions o;
  o.read_connections = 1;
  carecity::testing::TestDb sqlite_db(/*force_sqlite=*/true);
  auto lite = OpenStore(sqlite_db.url(), o);
  ASSERT_TRUE(lite.ok());
  Migrate(**lite, 1);

  // A PostgreSQL database regardless of this pass's backend.
  const char* backend = std::getenv("CARECITY_TEST_BACKEND");
  const std::string saved = backend == nullptr ? "" : backend;
  setenv("CARECITY_TEST_BACKEND", "postgres", 1);
  carecity::testing::TestDb pg_db;
  setenv("CARECITY_TEST_BACKEND", saved.c_str(), 1);
  auto pg = OpenStore(pg_db.url(), o);
  ASSERT_TRUE(pg.ok()) << pg.error().detail;
  Migrate(**pg, 1);

  const Schema a = SqliteSchema(**lite);
  const Schema b = PostgresSchema(**pg);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(a.count("users") && a.count("audit_log") && a.count("schema_migrations"));
  (*lite)->Close();
  (*pg)->Close();
}

TEST(SchemaTest, EveryMigrationExistsForBothDialects) {
  const auto& lite = MigrationsFor(Dialect::kSqlite);
  const auto& pg = MigrationsFor(Dialect::kPostgres);
  ASSERT_EQ(lite.size(), pg.size());
  for (size_t i = 0; i < lite.size(); ++i) {
    EXPECT_EQ(lite[i].version, pg[i].version);
    EXPECT_STREQ(lite[i].name, pg[i].name);
  }
}

}  // namespace
}  // namespace carecity::db
