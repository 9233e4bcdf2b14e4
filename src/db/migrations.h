// Forward-only schema migrations, one list per dialect, embedded in the
// binary from migrations/<dialect>/NNNN_name.sql. Applied versions are
// recorded in schema_migrations.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "db/store.h"

namespace carecity::db {

struct Migration {
  int64_t version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& Embedded_sqlite();
const std::vector<Migration>& Embedded_postgres();
const std::vector<Migration>& MigrationsFor(Dialect dialect);

// Applies every migration newer than the recorded version, each in its own
// write job (its own transaction), calling `progress` before each. Returns
// the versions applied. Throws DbError if a migration fails (that migration
// is rolled back; earlier ones stay).
std::vector<int64_t> Migrate(Store& store, int64_t now_ms,
                             const std::function<void(const Migration&)>& progress = {});

// Highest applied version, 0 for an empty database.
int64_t CurrentVersion(Store& store);

}  // namespace carecity::db
