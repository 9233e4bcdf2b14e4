#include "support/test_db.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <chrono>
#include <functional>
#include <thread>
#include <stdexcept>

#include "core/crypto.h"
#include "db/migrations.h"
#include "db/store.h"

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

// Whether the cluster has a database of that name.
bool DatabaseExists(const std::string& name) {
  PGconn* c = PQconnectdb(PostgresAdminUrl().c_str());
  const char* params[] = {name.c_str()};
  PGresult* r = PQexecParams(c, "SELECT 1 FROM pg_database WHERE datname = $1", 1, nullptr, params, nullptr,
                             nullptr, 0);
  const bool found = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
  PQclear(r);
  PQfinish(c);
  return found;
}

std::string ReplaceDbName(const std::string& url, const std::string& name) {
  const auto slash = url.rfind('/');
  const auto q = url.find('?', slash);
  return url.substr(0, slash + 1) + name + (q == std::string::npos ? "" : url.substr(q));
}

// The name of a database holding every migration, built by this process the
// first time it is asked (a few hundred milliseconds): under a temporary name,
// then renamed. Another process that renamed its copy first keeps its own;
// this one drops its copy. Named by a hash of the migrations, so a changed
// set never meets an old template on a cluster that outlived a build.
std::string MigratedTemplate() {
  static const std::string name = [] {
    std::string all;
    for (const db::Migration& m : db::MigrationsFor(db::Dialect::kPostgres)) {
      all += std::to_string(m.version) + m.sql;
    }
    const std::string tpl = "cc_tpl_" + std::to_string(std::hash<std::string>{}(all) % 1'000'000'000'000ULL);
    const std::string building = tpl + "_" + std::to_string(getpid()) + "_" + RandomDigits(6);
    AdminExec("CREATE DATABASE " + building + " TEMPLATE template0 ENCODING 'UTF8'");
    {
      auto store = db::OpenStore(ReplaceDbName(PostgresAdminUrl(), building), db::StoreOptions{});
      if (!store.ok()) {
        throw std::runtime_error("template database: " + store.error().detail);
      }
      db::Migrate(**store, 0);
    }  // closed: a template must have no connections when it is copied
    // The closed connections' server processes may take a moment to go.
    for (int attempt = 0;; ++attempt) {
      try {
        AdminExec("ALTER DATABASE " + building + " RENAME TO " + tpl);
        return tpl;
      } catch (const std::runtime_error&) {
        if (DatabaseExists(tpl)) {
          AdminExec("DROP DATABASE IF EXISTS " + building + " WITH (FORCE)");  // another process's is there
          return tpl;
        }
        if (attempt == 50) {
          throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }();
  return name;
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

TestDb::TestDb(bool force_sqlite, bool migrated) {
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
    // CARECITY_TEST_PG_TEMPLATE=off: every server migrates its own (to time it, or to debug a migration).
    const char* tpl_env = std::getenv("CARECITY_TEST_PG_TEMPLATE");
    const bool use_template = migrated && !(tpl_env != nullptr && std::string(tpl_env) == "off");
    AdminExec("CREATE DATABASE " + pg_name_ + " TEMPLATE " + (use_template ? MigratedTemplate() : "template0") +
              " ENCODING 'UTF8'");
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
