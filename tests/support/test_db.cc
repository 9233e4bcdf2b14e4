#include "support/test_db.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "core/crypto.h"

namespace carecity::testing {
namespace {

void AdminExec(const std::string& sql) {
  PGconn* c = PQconnectdb(PostgresAdminUrl().c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("test cluster unreachable: " + msg);
  }
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (!ok) {
    throw std::runtime_error(sql + ": " + msg);
  }
}

std::string ReplaceDbName(const std::string& url, const std::string& name) {
  const auto slash = url.rfind('/');
  const auto q = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (q == std::string::npos ? "" : url.substr(q));
}

}  // namespace

bool UsePostgres() {
  const char* b = std::getenv("CARECITY_TEST_BACKEND");
  return b != nullptr && std::string(b) == "postgres";
}

std::string PostgresAdminUrl() {
  const char* u = std::getenv("CARECITY_TEST_PG_URL");
  return u == nullptr ? "" : u;
}

TestDb::TestDb(bool force_sqlite) {
  InitCrypto();
  static std::atomic<int> counter{0};
  const std::string unique = std::to_string(getpid()) + "_" + std::to_string(counter.fetch_add(1)) + "_" +
                             RandomDigits(6);
  dir_ = (std::filesystem::temp_directory_path() / ("carecity_test_" + unique)).string();
  std::filesystem::create_directories(dir_);
  if (!force_sqlite && UsePostgres()) {
    if (PostgresAdminUrl().empty()) {
      throw std::runtime_error("CARECITY_TEST_BACKEND=postgres needs CARECITY_TEST_PG_URL");
    }
    postgres_ = true;
    pg_name_ = "cc_test_" + unique;
    AdminExec("CREATE DATABASE " + pg_name_ + " TEMPLATE template0 ENCODING 'UTF8'");
    url_ = ReplaceDbName(PostgresAdminUrl(), pg_name_);
    return;
  }
  path_ = dir_ + "/test.db";
  url_ = "sqlite:" + path_;
}

TestDb::~TestDb() {
  try {
    std::filesystem::remove_all(dir_);
    if (postgres_) {
      AdminExec("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
    }
  } catch (const std::exception&) {
    // Best effort: the cluster itself is thrown away after the run.
  }
}

}  // namespace carecity::testing
