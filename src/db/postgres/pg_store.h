// PostgreSQL backend over libpq: a fixed pool of threads, each owning one
// connection; every job is one transaction (read jobs READ ONLY). Jobs that
// hit a serialization failure or deadlock are retried a few times. See store.h.
#pragma once

#include <memory>
#include <string>

#include "db/store.h"

namespace carecity::db {

// Connects `pool_size` connections to `conninfo` (a postgresql:// URL).
// Throws DbError if the first connection fails.
std::unique_ptr<Store> OpenPostgresStore(const std::string& conninfo, int pool_size, const StoreOptions& options);

}  // namespace carecity::db
