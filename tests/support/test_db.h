// Throwaway databases for tests, on the backend chosen by the environment:
//   CARECITY_TEST_BACKEND = sqlite (default) | postgres
//   CARECITY_TEST_PG_URL  = postgresql://postgres@127.0.0.1:PORT/postgres
// `make test` starts a private PostgreSQL cluster and runs every suite once
// per backend.
#pragma once

#include <string>

namespace carecity::testing {

bool UsePostgres();
// The admin URL of the test cluster, or "" when none is configured.
std::string PostgresAdminUrl();

// A fresh database that is dropped (or deleted) on destruction: empty, or
// (`migrated`) on PostgreSQL a copy of a template holding every migration,
// made once per test process: CREATE DATABASE … TEMPLATE copies it in a
// tenth of a second where applying the migrations takes half a second, for
// each of the PostgreSQL run's ~500 servers. SQLite stays empty (migrating a
// new file takes milliseconds); App::Open migrates whatever is missing.
class TestDb {
 public:
  // Backend from the environment; `force_sqlite` ignores it.
  explicit TestDb(bool force_sqlite = false, bool migrated = false);
  ~TestDb();
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  const std::string& url() const { return url_; }
  bool postgres() const { return postgres_; }
  // SQLite file path ("" for PostgreSQL).
  const std::string& path() const { return path_; }
  // A private temporary directory, removed with the database (the SQLite
  // file lives in it): for files that belong beside a database.
  const std::string& dir() const { return dir_; }

 private:
  bool postgres_ = false;
  std::string url_;
  std::string path_;
  std::string dir_;
  std::string pg_name_;
};

}  // namespace carecity::testing
