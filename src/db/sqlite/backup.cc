#include "db/sqlite/backup.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace carecity::db {

Status BackupSqlite(const std::string& source_path, const std::string& dest_path,
                    const std::function<void(int, int)>& progress) {
  constexpr int kPagesPerStep = 1024;
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  const auto fail = [&](sqlite3* db) {
    Error e{ErrorCode::kInternal, "backup_failed", {}, db != nullptr ? sqlite3_errmsg(db) : "out of memory"};
    sqlite3_close(src);
    sqlite3_close(dst);
    return e;
  };
  if (sqlite3_open_v2(source_path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    return fail(src);
  }
  if (sqlite3_open_v2(dest_path.c_str(), &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return fail(dst);
  }
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) {
    return fail(dst);
  }
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(b, kPagesPerStep);
    if (progress) {
      const int total = sqlite3_backup_pagecount(b);
      progress(total - sqlite3_backup_remaining(b), total);
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    return fail(dst);
  }
  sqlite3_close(src);
  sqlite3_close(dst);
  return {};
}

}  // namespace carecity::db
