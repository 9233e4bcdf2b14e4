#include "db/migrations.h"

namespace carecity::db {
namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at_ms BIGINT NOT NULL)";

}  // namespace

const std::vector<Migration>& MigrationsFor(Dialect dialect) {
  return dialect == Dialect::kSqlite ? Embedded_sqlite() : Embedded_postgres();
}

int64_t CurrentVersion(Store& store) {
  return WriteSync(store, [](Tx& tx) {
    tx.ExecScript(kCreateTable);
    auto rows = tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    return rows.front().Int(0);
  });
}

std::vector<int64_t> Migrate(Store& store, int64_t now_ms, const std::function<void(const Migration&)>& progress) {
  std::vector<int64_t> applied;
  const int64_t current = CurrentVersion(store);
  for (const Migration& m : MigrationsFor(store.dialect())) {
    if (m.version <= current) {
      continue;
    }
    if (progress) {
      progress(m);
    }
    WriteSync(store, [&](Tx& tx) {
      // Re-check inside the transaction: another server may have migrated.
      auto rows = tx.Query("SELECT 1 FROM schema_migrations WHERE version = $1", {m.version});
      if (!rows.empty()) {
        return false;
      }
      tx.ExecScript(m.sql);
      tx.Exec("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)",
              {m.version, m.name, now_ms});
      return true;
    });
    applied.push_back(m.version);
  }
  return applied;
}

}  // namespace carecity::db
