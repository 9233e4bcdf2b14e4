// A real CareCity server in the test process: fresh database, migrations,
// an ephemeral port, a fake clock, and a blocking HTTP client to talk to it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "core/clock.h"
#include "core/config.h"
#include "support/test_db.h"

namespace carecity::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  boost::json::value json;  // null if the body is not JSON

  // error.code of an error body, or "".
  std::string error_code() const;
  std::string error_field() const;
  std::string header(const std::string& name) const;
};

// Test defaults: the cheapest argon2 cost (through the explicit test switch
// `allow_test_password_cost`), no access log, two I/O threads.
Config TestConfig();

class TestServer {
 public:
  explicit TestServer(Config config = TestConfig());
  ~TestServer();

  FakeClock& clock() { return clock_; }
  app::App& app() { return *app_; }
  const std::string& base_url() const { return base_url_; }
  int port() const { return port_; }
  const TestDb& db() const { return db_; }

 private:
  TestDb db_{/*force_sqlite=*/false, /*migrated=*/true};
  FakeClock clock_;
  std::unique_ptr<app::App> app_;
  std::thread thread_;
  std::string base_url_;
  int port_ = 0;
};

// One client = one cookie jar (like one browser).
class Client {
 public:
  explicit Client(const TestServer& server) : port_(server.port()) {}
  explicit Client(int port) : port_(port) {}

  HttpResult Get(const std::string& target, const std::map<std::string, std::string>& headers = {});
  // A raw body with Content-Type: application/json.
  HttpResult PostRaw(const std::string& target, const std::string& body,
                     const std::map<std::string, std::string>& headers = {});
  HttpResult Post(const std::string& target, const boost::json::value& body,
                  const std::map<std::string, std::string>& headers = {});
  HttpResult Delete(const std::string& target, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});
  // Full control: no default Content-Type is added.
  HttpResult Send(const std::string& method, const std::string& target, const std::string& body,
                  const std::map<std::string, std::string>& headers);

  // Registers a phone account and keeps its session. Returns the response.
  HttpResult Register(const std::string& phone, const std::string& password = "password123",
                      const std::string& name = "测试用户");
  HttpResult Login(const std::string& login, const std::string& password);
  // DELETE /api/v1/me, giving the password again as the route requires.
  HttpResult DeleteAccount(const std::string& password = "password123");

  const std::string& session() const { return session_; }
  void set_session(std::string s) { session_ = std::move(s); }
  void clear_session() { session_.clear(); }

 private:
  int port_;
  std::string session_;
};

// Sends raw bytes and returns the raw response (for malformed-request tests).
std::string RawExchange(int port, const std::string& bytes);

// The demo password and a fresh mainland phone number per call.
std::string NextPhone();

// Makes a user (display name "测试" + the last four digits) with the given
// roles, directly in the database, and returns a client logged in as them.
Client UserWith(TestServer& s, const std::string& phone, std::vector<accounts::RoleGrant> roles = {});

// An organisation (rating 5A) made directly in the database; its id.
int64_t InsertOrg(TestServer& s, const std::string& name, const std::string& credit_code);
// The org_staff role of `org_id`.
accounts::RoleGrant OrgStaff(int64_t org_id);
// A village (rural: kind village, else community) made directly in the
// database; its id. `collective`: it has a collective economic organisation
// (only a rural one may).
int64_t InsertVillage(TestServer& s, const std::string& name, bool rural, bool collective = false);
// The village_staff role of `village_id`.
accounts::RoleGrant VillageStaff(int64_t village_id);
// PUT with a JSON body.
HttpResult Put(Client& c, const std::string& target, const boost::json::object& body);

// The first column of the first row of a read-only query.
int64_t Count(TestServer& s, const std::string& sql);

// What POST /api/v1/fund/donations answered, as its donor holds it: the
// donation's and payment's public ids and, for a guest, the access token
// the pay link carries.
struct Checkout {
  std::string donation;  // public id
  std::string payment;   // public id
  std::string token;     // "" for a signed-in donor
  // "?token=…" for a guest's URLs, "" for a signed-in donor's.
  std::string Q() const { return token.empty() ? "" : "?token=" + token; }
};
Checkout CheckoutOf(const HttpResult& created);

// On PostgreSQL, a second App on the server's database: another server
// sharing the database, for races between servers. nullptr on SQLite (one
// process owns a SQLite database). Close it before the TestServer goes.
std::unique_ptr<app::App> SecondApp(TestServer& s);

// Runs task(0) … task(n-1) as coroutines all at once on `threads` threads
// and returns when every one has finished.
void RunAtOnce(size_t n, const std::function<boost::asio::awaitable<void>(size_t)>& task, int threads = 4);

}  // namespace carecity::testing
