// SQLite backend: WAL, a pool of reader threads each owning a connection, and
// one writer thread that commits queued write jobs in groups. See store.h.
#pragma once

#include <memory>
#include <string>

#include "db/store.h"

namespace carecity::db {

// Opens (creating if needed) the database file at `path`. Throws DbError if
// the file cannot be opened.
std::unique_ptr<Store> OpenSqliteStore(const std::string& path, const StoreOptions& options);

}  // namespace carecity::db
