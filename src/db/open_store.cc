#include <algorithm>

#include "db/postgres/pg_store.h"
#include "db/sqlite/sqlite_store.h"
#include "db/store.h"

namespace carecity::db {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  try {
    if (url.rfind("sqlite:", 0) == 0) {
      std::string path = url.substr(7);
      if (path.rfind("//", 0) == 0) {
        path = path.substr(2);  // tolerate sqlite://path
      }
      if (path.empty()) {
        return Error::Invalid("invalid_database_url", "db", "sqlite: needs a file path");
      }
      return OpenSqliteStore(path, options);
    }
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
      return OpenPostgresStore(url, std::max(2, options.read_connections * 2), options);
    }
  } catch (const DbError& e) {
    return Error{ErrorCode::kUnavailable, "database_unavailable", "db", e.what()};
  }
  return Error::Invalid("invalid_database_url", "db", "expected sqlite:PATH or postgresql://...");
}

}  // namespace carecity::db
