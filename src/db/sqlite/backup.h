// Online backup of a live SQLite database (readers and the writer keep
// running) using SQLite's backup API.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"

namespace carecity::db {

// Copies `source_path` to `dest_path` page by page; `progress(done, total)`
// is called between steps. Errors: backup_failed with SQLite's message.
Status BackupSqlite(const std::string& source_path, const std::string& dest_path,
                    const std::function<void(int done, int total)>& progress);

}  // namespace carecity::db
