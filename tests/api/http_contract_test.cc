// The HTTP contract every route shares: error shape, limits, CSRF rules,
// health endpoints, static files.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

class HttpContractTest : public ::testing::Test {
 protected:
  TestServer server_;
};

void ExpectErrorShape(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  const auto& e = r.json.at("error");
  EXPECT_EQ(e.at("code").as_string(), code) << r.body;
  EXPECT_TRUE(e.at("message").is_string());
  EXPECT_FALSE(std::string(e.at("message").as_string()).empty());
  EXPECT_TRUE(e.as_object().contains("field"));
  EXPECT_EQ(r.header("content-type").rfind("application/json", 0), 0u);
}

TEST_F(HttpContractTest, HealthReadinessAndMetricsAnswer) {
  Client c(server_);
  auto h = c.Get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(c.Get("/readyz").status, 200);
  auto m = c.Get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("carecity_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("carecity_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("carecity_db_queue_depth{queue=\"write\"}"), std::string::npos);
  EXPECT_NE(m.body.find("carecity_db_commit_batch_size_count"), std::string::npos);
}

TEST_F(HttpContractTest, RequestIdIsEchoedOrMinted) {
  Client c(server_);
  EXPECT_EQ(c.Get("/healthz", {{"X-Request-Id", "abc-123"}}).header("x-request-id"), "abc-123");
  const std::string minted = c.Get("/healthz", {{"X-Request-Id", "bad id with spaces"}}).header("x-request-id");
  EXPECT_FALSE(minted.empty());
  EXPECT_EQ(minted.find(' '), std::string::npos);
}

TEST_F(HttpContractTest, UnknownApiRouteIsAJson404AndWrongMethodA405) {
  Client c(server_);
  ExpectErrorShape(c.Get("/api/v1/nothing-here"), 404, "route_not_found");
  ExpectErrorShape(c.PostRaw("/api/v1/me", "{}"), 405, "method_not_allowed");
}

TEST_F(HttpContractTest, ErrorsSpeakTheRequestedLanguage) {
  Client c(server_);
  auto zh = c.Get("/api/v1/me");
  auto en = c.Get("/api/v1/me", {{"Accept-Language", "en-GB,en;q=0.9"}});
  ExpectErrorShape(zh, 401, "unauthenticated");
  ExpectErrorShape(en, 401, "unauthenticated");
  EXPECT_EQ(zh.json.at("error").at("message").as_string(), "请先登录");
  EXPECT_EQ(en.json.at("error").at("message").as_string(), "Please log in");
}

TEST_F(HttpContractTest, MalformedJsonIsA400AndWritesNothing) {
  Client c(server_);
  for (const std::string body : {"{", "[]", "\"x\"", "{\"phone\":\"13900000000\",}", "{} trailing"}) {
    ExpectErrorShape(c.PostRaw("/api/v1/auth/register", body), 400, "invalid_json");
  }
  auto count = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("SELECT COUNT(*) FROM users").front().Int(0);
  });
  EXPECT_EQ(count, 0);
}

TEST_F(HttpContractTest, InvalidUtf8IsRefused) {
  Client c(server_);
  auto r = c.PostRaw("/api/v1/auth/login", std::string("{\"login\":\"\xff\xfe\",\"password\":\"12345678\"}"));
  ExpectErrorShape(r, 400, "invalid_utf8");
}

TEST_F(HttpContractTest, WrongTypesAndUnknownFieldsNameTheField) {
  Client c(server_);
  auto r = c.Post("/api/v1/auth/login", json::value{{"login", 13800000000LL}, {"password", "x"}});
  ExpectErrorShape(r, 400, "invalid_type");
  EXPECT_EQ(r.error_field(), "login");
  auto u = c.Post("/api/v1/auth/login", json::value{{"login", "13800000000"}, {"password", "x"}, {"admin", true}});
  ExpectErrorShape(u, 400, "unknown_field");
  EXPECT_EQ(u.error_field(), "admin");
}

TEST_F(HttpContractTest, OverlongStringsAreRefused) {
  Client c(server_);
  auto r = c.Register(NextPhone(), "password123", std::string(33, 'x'));
  ExpectErrorShape(r, 400, "too_long");
  EXPECT_EQ(r.error_field(), "display_name");
}

TEST_F(HttpContractTest, BodiesOverTheLimitGet413) {
  Client c(server_);
  const std::string big = "{\"login\":\"" + std::string(1024 * 1024 + 10, 'a') + "\"}";
  auto r = c.PostRaw("/api/v1/auth/login", big);
  ExpectErrorShape(r, 413, "body_too_large");
  // The server is still up.
  EXPECT_EQ(Client(server_).Get("/healthz").status, 200);
}

TEST_F(HttpContractTest, OversizedHeadersGet431) {
  Client c(server_);
  auto r = c.Get("/healthz", {{"X-Big", std::string(20 * 1024, 'h')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(Client(server_).Get("/healthz").status, 200);
}

TEST_F(HttpContractTest, GarbageOnTheWireGetsA400AndTheServerLives) {
  const std::string raw = RawExchange(server_.port(), "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_NE(raw.find("400"), std::string::npos) << raw;
  const std::string bad_target = RawExchange(server_.port(), "GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(bad_target.find("400 Bad Request"), std::string::npos) << bad_target;
  EXPECT_EQ(Client(server_).Get("/healthz").status, 200);
}

TEST_F(HttpContractTest, StateChangingRequestsMustBeJson) {
  Client c(server_);
  auto form = c.Send("POST", "/api/v1/auth/login", "login=a&password=b",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  ExpectErrorShape(form, 415, "unsupported_media_type");
  auto none = c.Send("POST", "/api/v1/auth/login", "{}", {});
  ExpectErrorShape(none, 415, "unsupported_media_type");
  auto charset = c.Send("POST", "/api/v1/auth/login", "{\"login\":\"13800000000\",\"password\":\"whatever1\"}",
                        {{"Content-Type", "application/json; charset=utf-8"}});
  EXPECT_EQ(charset.status, 401);  // accepted as JSON, then wrong credentials
}

TEST_F(HttpContractTest, CrossOriginWritesAreRefused) {
  Client c(server_);
  auto evil = c.Post("/api/v1/auth/login", json::value{{"login", "13800000000"}, {"password", "whatever1"}},
                     {{"Origin", "https://evil.example"}});
  ExpectErrorShape(evil, 403, "origin_mismatch");
  auto same = c.Post("/api/v1/auth/login", json::value{{"login", "13800000000"}, {"password", "whatever1"}},
                     {{"Origin", "http://127.0.0.1:" + std::to_string(server_.port())}});
  EXPECT_EQ(same.status, 401);
}

TEST(HttpConfiguredOriginTest, OnlyThePublicOriginMayWrite) {
  Config cfg = TestConfig();
  cfg.public_origin = "https://care.example.cn";
  cfg.sandbox.enabled = false;  // refused under https (see PaymentsConfigTest)
  TestServer server(cfg);
  Client c(server);
  auto good = c.Register(NextPhone());
  EXPECT_EQ(good.status, 201);  // no Origin header: not a browser cross-site request
  EXPECT_NE(good.header("set-cookie").find("Secure"), std::string::npos);
  auto bad = c.PostRaw("/api/v1/auth/logout", "{}", {{"Origin", "http://127.0.0.1:" + std::to_string(server.port())}});
  EXPECT_EQ(bad.status, 403);
  auto ok = c.PostRaw("/api/v1/auth/logout", "{}", {{"Origin", "https://care.example.cn"}});
  EXPECT_EQ(ok.status, 204);
}

TEST(HttpProxyTest, ClientAddressComesFromForwardedForOnlyBehindATrustedProxy) {
  Config cfg = TestConfig();
  cfg.trusted_proxies = {"127.0.0.1"};
  TestServer server(cfg);
  Client c(server);
  ASSERT_EQ(c.Post("/api/v1/auth/register",
                   json::value{{"phone", "13912345678"},
                               {"password", "password123"},
                               {"display_name", "x"},
                               {"consent_version", TestConfig().consent_version}},
                   {{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}})
                .status,
            201);
  auto sessions = c.Get("/api/v1/me/sessions");
  EXPECT_EQ(sessions.json.at("sessions").at(0).at("ip").as_string(), "198.51.100.7");

  TestServer direct;  // no trusted proxies: the header is ignored
  Client d(direct);
  ASSERT_EQ(d.Post("/api/v1/auth/register",
                   json::value{{"phone", "13912345678"},
                               {"password", "password123"},
                               {"display_name", "x"},
                               {"consent_version", TestConfig().consent_version}},
                   {{"X-Forwarded-For", "198.51.100.7"}})
                .status,
            201);
  EXPECT_EQ(d.Get("/api/v1/me/sessions").json.at("sessions").at(0).at("ip").as_string(), "127.0.0.1");
}

TEST(HttpStaticTest, ServesTheAppShellAssetsAndPrecompressedFiles) {
  const auto dir = std::filesystem::temp_directory_path() / ("carecity_web_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html><title>关爱城市</title>";
  std::ofstream(dir / "assets" / "app-abc123.js") << "console.log('plain')";
  std::ofstream(dir / "assets" / "app-abc123.js.gz") << "GZIPPED";
  Config cfg = TestConfig();
  cfg.web_dir = dir.string();
  {
    TestServer server(cfg);
    Client c(server);
    auto index = c.Get("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_NE(index.body.find("关爱城市"), std::string::npos);
    EXPECT_EQ(index.header("cache-control"), "no-cache");
    auto deep = c.Get("/me/sessions");  // history-mode route
    EXPECT_EQ(deep.status, 200);
    EXPECT_EQ(deep.body, index.body);
    auto asset = c.Get("/assets/app-abc123.js");
    EXPECT_EQ(asset.body, "console.log('plain')");
    EXPECT_NE(asset.header("cache-control").find("immutable"), std::string::npos);
    auto gz = c.Get("/assets/app-abc123.js", {{"Accept-Encoding", "gzip, deflate"}});
    EXPECT_EQ(gz.header("content-encoding"), "gzip");
    EXPECT_EQ(gz.body, "GZIPPED");
    EXPECT_EQ(c.Get("/assets/missing.js").status, 404);
    EXPECT_EQ(c.Get("/../../etc/passwd").body, index.body);  // never escapes the root
    EXPECT_EQ(c.Get("/api/v1/unknown").status, 404);          // API paths never fall back
  }
  std::filesystem::remove_all(dir);
}

// The security headers every response must carry (HSTS is checked apart).
void ExpectSecurityHeaders(const HttpResult& r, const std::string& what) {
  SCOPED_TRACE(what);
  const std::string csp = r.header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;  // no inline or evaluated script
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("object-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(r.header("x-frame-options"), "DENY");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("referrer-policy"), "same-origin");
}

TEST(HttpSecurityHeadersTest, EveryKindOfResponseCarriesTheSecurityHeaders) {
  const auto dir = std::filesystem::temp_directory_path() / ("carecity_web_sec_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "assets");
  std::ofstream(dir / "index.html") << "<!doctype html><title>关爱城市</title>";
  std::ofstream(dir / "assets" / "app-abc123.js") << "console.log('plain')";
  Config cfg = TestConfig();
  cfg.web_dir = dir.string();
  {
    TestServer server(cfg);
    Client c(server);
    ExpectSecurityHeaders(c.Get("/healthz"), "health");
    ExpectSecurityHeaders(c.Get("/api/v1/meta"), "API answer");
    ExpectSecurityHeaders(c.Get("/api/v1/me"), "API error (401)");
    ExpectSecurityHeaders(c.Get("/api/v1/nothing-here"), "unknown API route (404)");
    ExpectSecurityHeaders(c.PostRaw("/api/v1/me", "{}"), "wrong method (405)");
    ExpectSecurityHeaders(c.Send("POST", "/api/v1/auth/login", "x=1", {{"Content-Type", "text/plain"}}),
                          "refused content type (415)");
    ExpectSecurityHeaders(c.PostRaw("/api/v1/auth/login", std::string(1024 * 1024 + 10, 'a')),
                          "body too large (413, answered while reading)");
    ExpectSecurityHeaders(c.Get("/healthz", {{"X-Big", std::string(20 * 1024, 'h')}}), "headers too large (431)");
    ExpectSecurityHeaders(c.Get("/"), "app shell");
    ExpectSecurityHeaders(c.Get("/me/sessions"), "history-mode fallback");
    ExpectSecurityHeaders(c.Get("/assets/app-abc123.js"), "static asset");
    ExpectSecurityHeaders(c.Get("/assets/missing.js"), "missing asset (404)");
    ExpectSecurityHeaders(c.Send("HEAD", "/", "", {}), "HEAD");
    EXPECT_EQ(c.Get("/").header("strict-transport-security"), "");  // no https origin: no HSTS
    const std::string raw = RawExchange(server.port(), "NOT HTTP AT ALL\r\n\r\n");
    EXPECT_NE(raw.find("Content-Security-Policy: default-src 'self'"), std::string::npos) << raw;
    EXPECT_NE(raw.find("X-Frame-Options: DENY"), std::string::npos) << raw;
  }
  std::filesystem::remove_all(dir);
  TestServer no_web;  // the plain-text 404 when the web app is not built
  auto missing = Client(no_web).Get("/some/page");
  EXPECT_EQ(missing.status, 404);
  ExpectSecurityHeaders(missing, "plain 404 without a web app");
}

TEST(HttpSecurityHeadersTest, StrictTransportSecurityOnlyUnderAnHttpsOrigin) {
  Config https = TestConfig();
  https.public_origin = "https://care.example.cn";
  https.sandbox.enabled = false;  // refused under https (PaymentsConfigTest)
  TestServer secure(https);
  Client c(secure);
  EXPECT_EQ(c.Get("/healthz").header("strict-transport-security"), "max-age=31536000");
  EXPECT_EQ(c.Get("/api/v1/me").header("strict-transport-security"), "max-age=31536000");
  EXPECT_EQ(c.Get("/nowhere").header("strict-transport-security"), "max-age=31536000");

  Config http = TestConfig();
  http.public_origin = "http://care.example.cn";
  TestServer plain(http);
  auto r = Client(plain).Get("/healthz");
  EXPECT_EQ(r.header("strict-transport-security"), "");
  ExpectSecurityHeaders(r, "http origin");
}

TEST(HttpShutdownTest, StopFinishesAndRefusesNewConnections) {
  auto server = std::make_unique<TestServer>();
  const int port = server->port();
  Client c(port);
  EXPECT_EQ(c.Register(NextPhone()).status, 201);
  server.reset();  // Stop(): drains, flushes the writer, joins
  EXPECT_THROW(Client(port).Get("/healthz"), std::exception);
}

}  // namespace
}  // namespace carecity::testing
