#include "db/lock.h"

#include <string>

namespace carecity::db {
namespace {

bool IsIdentifier(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool LockRow(Tx& tx, std::string_view table, int64_t id) {
  if (!IsIdentifier(table)) {
    throw DbError(DbError::Kind::kOther, "LockRow: not a table name");
  }
  if (!tx.writable()) {
    throw DbError(DbError::Kind::kOther, "LockRow outside a write job");
  }
  const std::string sql = tx.dialect() == Dialect::kPostgres
                              ? "SELECT 1 FROM " + std::string(table) + " WHERE id = $1 FOR UPDATE"
                              : "SELECT 1 FROM " + std::string(table) + " WHERE id = $1";
  return !tx.Query(sql, {id}).empty();
}

}  // namespace carecity::db
