#include "support/test_server.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <atomic>
#include <chrono>
#include <stdexcept>

#include "core/crypto.h"

namespace carecity::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;

std::string HttpResult::error_code() const {
  if (json.is_object() && json.as_object().contains("error")) {
    return std::string(json.at("error").at("code").as_string());
  }
  return {};
}

std::string HttpResult::error_field() const {
  if (json.is_object() && json.as_object().contains("error")) {
    const auto& f = json.at("error").at("field");
    return f.is_string() ? std::string(f.as_string()) : std::string();
  }
  return {};
}

std::string HttpResult::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

Config TestConfig() {
  Config c;
  c.listen = "127.0.0.1:0";
  c.web_dir = "";
  c.threads = 2;
  c.read_connections = 2;
  c.access_log = "off";
  c.log_level = "warn";
  // libsodium's minimum: tests need speed, not strength, and say so explicitly.
  c.password_cost = PasswordCost{1, 8 * 1024};
  c.allow_test_password_cost = true;
  c.casework.data_key = NewDataKeyHex();
  c.checkpoints.signing_key = NewDataKeyHex();
  c.shutdown_grace_s = 5;
  c.sqlite_synchronous = "NORMAL";
  c.sandbox.enabled = true;
  return c;
}

TestServer::TestServer(Config config) : clock_(1'800'000'000'000) {
  InitCrypto();
  config.db_url = db_.url();
  if (config.checkpoints.log_file.empty()) {
    config.checkpoints.log_file = db_.dir() + "/checkpoints.jsonl";  // not the working directory (PostgreSQL)
  }
  auto app = app::App::Open(config, clock_);
  if (!app.ok()) {
    throw std::runtime_error("test server failed to open: " + app.error().key + " " + app.error().detail);
  }
  app_ = std::move(app).value();
  base_url_ = app_->Listen();
  port_ = std::stoi(base_url_.substr(base_url_.rfind(':') + 1));
  thread_ = std::thread([this] { app_->Run(false, false); });  // tests sign checkpoints when they choose
}

TestServer::~TestServer() {
  app_->Stop();
  thread_.join();
  app_.reset();
}

HttpResult Client::Send(const std::string& method, const std::string& target, const std::string& body,
                        const std::map<std::string, std::string>& headers) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)));
  stream.expires_after(std::chrono::seconds(30));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
  if (!session_.empty()) {
    req.set(bhttp::field::cookie, "cc_session=" + session_);
  }
  for (const auto& [k, v] : headers) {
    req.set(k, v);
  }
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req.prepare_payload();
  }
  // The server may answer (413) and stop reading before we finish writing:
  // a failed write still leaves its response to be read.
  beast::error_code write_ec;
  bhttp::write(stream, req, write_ec);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") {
    parser.skip(true);
  }
  bhttp::read(stream, buffer, parser);
  auto& res = parser.get();
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& ch : name) {
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
    if (name == "set-cookie") {
      const std::string v(f.value());
      if (v.rfind("cc_session=", 0) == 0) {
        session_ = v.substr(11, v.find(';') - 11);
      }
    }
    out.headers[name] = std::string(f.value());
  }
  out.body = res.body();
  std::error_code ec;
  out.json = json::parse(out.body, ec);
  if (ec) {
    out.json = nullptr;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

HttpResult Client::Get(const std::string& target, const std::map<std::string, std::string>& headers) {
  return Send("GET", target, "", headers);
}

HttpResult Client::PostRaw(const std::string& target, const std::string& body,
                           const std::map<std::string, std::string>& headers) {
  auto h = headers;
  h.emplace("Content-Type", "application/json");
  return Send("POST", target, body, h);
}

HttpResult Client::Post(const std::string& target, const json::value& body,
                        const std::map<std::string, std::string>& headers) {
  return PostRaw(target, json::serialize(body), headers);
}

HttpResult Client::Delete(const std::string& target, const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  auto h = headers;
  if (!body.empty()) {
    h.emplace("Content-Type", "application/json");
  }
  return Send("DELETE", target, body, h);
}

HttpResult Client::Register(const std::string& phone, const std::string& password, const std::string& name) {
  return Post("/api/v1/auth/register", json::value{{"phone", phone},
                                                   {"password", password},
                                                   {"display_name", name},
                                                   {"consent_version", TestConfig().consent_version}});
}

HttpResult Client::Login(const std::string& login, const std::string& password) {
  return Post("/api/v1/auth/login", json::value{{"login", login}, {"password", password}});
}

HttpResult Client::DeleteAccount(const std::string& password) {
  return Delete("/api/v1/me", json::serialize(json::value{{"password", password}}));
}

std::string RawExchange(int port, const std::string& bytes) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  asio::write(s, asio::buffer(bytes));
  s.shutdown(tcp::socket::shutdown_send);
  std::string out;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    const size_t n = s.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) {
      break;
    }
  }
  return out;
}

std::string NextPhone() {
  static std::atomic<int> n{0};
  // 139 + 8 digits: unique within a process, varied across processes.
  static const int base = static_cast<int>(std::stoi(RandomDigits(4)));
  return "139" + std::to_string(10000000 + base * 1000 + n.fetch_add(1) % 1000).substr(0, 8);
}

Client UserWith(TestServer& s, const std::string& phone, std::vector<accounts::RoleGrant> roles) {
  auto& accounts = s.app().accounts();
  const std::string hash = accounts.HashPasswordNow("password123");
  auto r = db::WriteSync(s.app().store(), [&](db::Tx& tx) {
    return accounts.EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone}, "测试" + phone.substr(7), hash, roles, "");
  });
  EXPECT_TRUE(r.ok());
  Client c(s);
  EXPECT_EQ(c.Login(phone, "password123").status, 200);
  return c;
}

int64_t InsertOrg(TestServer& s, const std::string& name, const std::string& credit_code) {
  return db::WriteSync(s.app().store(), [&](db::Tx& tx) {
    return tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ($1, $2, '5A', 0) RETURNING id",
                    {name, credit_code})
        .front()
        .Int(0);
  });
}

accounts::RoleGrant OrgStaff(int64_t org_id) {
  accounts::RoleGrant g;
  g.role = accounts::Role::kOrgStaff;
  g.org_id = org_id;
  return g;
}

int64_t InsertVillage(TestServer& s, const std::string& name, bool rural, bool collective) {
  return db::WriteSync(s.app().store(), [&](db::Tx& tx) {
    return tx.Query("INSERT INTO villages (name, kind, rural, collective_economy, created_at_ms) "
                    "VALUES ($1, $2, $3, $4, 0) RETURNING id",
                    {name, rural ? "village" : "community", rural ? 1 : 0, collective ? 1 : 0})
        .front()
        .Int(0);
  });
}

accounts::RoleGrant VillageStaff(int64_t village_id) {
  accounts::RoleGrant g;
  g.role = accounts::Role::kVillageStaff;
  g.village_id = village_id;
  return g;
}

HttpResult Put(Client& c, const std::string& target, const boost::json::object& body) {
  return c.Send("PUT", target, boost::json::serialize(body), {{"Content-Type", "application/json"}});
}

int64_t Count(TestServer& s, const std::string& sql) {
  return db::ReadSync(s.app().store(), [&](db::Tx& tx) { return tx.Query(sql).front().Int(0); });
}

Checkout CheckoutOf(const HttpResult& created) {
  Checkout k;
  k.donation = std::string(created.json.at("donation").at("id").as_string());
  k.payment = std::string(created.json.at("payment").at("id").as_string());
  const std::string pay_url(created.json.at("payment").at("pay_url").as_string());
  if (const auto t = pay_url.find("?token="); t != std::string::npos) {
    k.token = pay_url.substr(t + 7);
  }
  return k;
}

std::unique_ptr<app::App> SecondApp(TestServer& s) {
  if (!s.db().postgres()) {
    return nullptr;
  }
  auto app = app::App::Open(s.app().config(), s.clock());
  if (!app.ok()) {
    throw std::runtime_error("second App: " + app.error().key);
  }
  return std::move(app).value();
}

void RunAtOnce(size_t n, const std::function<boost::asio::awaitable<void>(size_t)>& task, int threads) {
  boost::asio::io_context io;
  for (size_t i = 0; i < n; ++i) {
    boost::asio::co_spawn(io, task(i), boost::asio::detached);
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&io] { io.run(); });
  }
  for (auto& t : pool) {
    t.join();
  }
}

}  // namespace carecity::testing
