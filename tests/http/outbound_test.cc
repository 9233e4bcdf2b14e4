// http::OutboundClient against the tests' HTTPS doubles: what reaches the
// provider byte for byte, and every way a call can fail (certificate, host
// name, deadline, size, a lost answer) ending as the error it should.
#include "http/outbound.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/run_sync.h"
#include "doubles/double_server.h"
#include "doubles/test_pki.h"

namespace carecity::http {
namespace {

namespace asio = boost::asio;

Result<OutboundResponse> Call(OutboundClient& client, OutboundRequest request) {
  return RunSync(client.Send(std::move(request)));
}

std::unique_ptr<OutboundClient> TrustingTheDoubles() {
  auto client = OutboundClient::Create({doubles::SharedPki().ca_cert_path});
  EXPECT_TRUE(client.ok());
  return std::move(*client);
}

doubles::Response Json(std::string body) {
  doubles::Response r;
  r.body = std::move(body);
  return r;
}

TEST(Outbound, SendsTheRequestAsGivenAndReadsTheAnswer) {
  doubles::DoubleServer provider;
  provider.Route("POST", "/v3/pay/transactions/jsapi", [](const doubles::Request&) {
    doubles::Response r = Json(R"({"prepay_id":"wx201410272009395522657a690389285100"})");
    r.headers.push_back({"Wechatpay-Serial", "PUB_KEY_ID_01"});
    return r;
  });
  auto client = TrustingTheDoubles();
  OutboundRequest req;
  req.method = "POST";
  // The target is sent exactly as written: a signer signs this same string.
  req.url = provider.base_url() + "/v3/pay/transactions/jsapi?x=%E4%B8%AD&y=1";
  req.headers = {{"Authorization", "WECHATPAY2-SHA256-RSA2048 mchid=\"1\""}, {"Accept", "application/json"}};
  req.body = R"({"appid":"wx1"})";
  auto res = Call(*client, req);
  ASSERT_TRUE(res.ok()) << res.error().key << ": " << res.error().detail;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"prepay_id":"wx201410272009395522657a690389285100"})");
  EXPECT_EQ(res->header("wechatpay-serial"), "PUB_KEY_ID_01");
  EXPECT_EQ(res->header("no-such-header"), "");

  const auto seen = provider.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/v3/pay/transactions/jsapi?x=%E4%B8%AD&y=1");
  EXPECT_EQ(seen[0].headers.at("host"), "localhost:" + std::to_string(provider.port()));
  EXPECT_EQ(seen[0].headers.at("authorization"), "WECHATPAY2-SHA256-RSA2048 mchid=\"1\"");
  EXPECT_FALSE(seen[0].headers.at("user-agent").empty());  // WeChat Pay refuses requests without one
  EXPECT_EQ(seen[0].body, R"({"appid":"wx1"})");

  auto parsed = ParseUrl(req.url);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->target, seen[0].target);
  EXPECT_EQ(parsed->host_header, seen[0].headers.at("host"));
}

TEST(Outbound, AnIpLiteralIsCheckedAgainstTheCertificatesAddresses) {
  doubles::DoubleServer provider;
  provider.Route("GET", "/ok", [](const doubles::Request&) { return Json("{}"); });
  auto client = TrustingTheDoubles();
  auto res = Call(*client, {.url = "https://127.0.0.1:" + std::to_string(provider.port()) + "/ok"});
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res->status, 200);
}

TEST(Outbound, AnUntrustedCertificateOrTheWrongNameIsATlsError) {
  doubles::DoubleServer untrusted(doubles::DoubleServer::Options{
      .cert_pem = doubles::UntrustedPki().server_cert_pem, .key_pem = doubles::UntrustedPki().server_key_pem});
  doubles::DoubleServer wrong_name(doubles::DoubleServer::Options{
      .cert_pem = doubles::WrongHostCert().cert_pem, .key_pem = doubles::WrongHostCert().key_pem});
  doubles::DoubleServer genuine;
  for (auto* s : {&untrusted, &wrong_name, &genuine}) {
    s->Route("GET", "/v3/certificates", [](const doubles::Request&) { return Json("{}"); });
  }
  auto client = TrustingTheDoubles();
  for (auto* s : {&untrusted, &wrong_name}) {
    auto res = Call(*client, {.url = s->base_url() + "/v3/certificates"});
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().key, "upstream_tls_error") << res.error().detail;
    EXPECT_EQ(res.error().code, ErrorCode::kUnavailable);
    EXPECT_TRUE(s->requests().empty());  // nothing was sent to it
  }
  // The system's store alone does not trust the tests' CA either.
  auto system_only = OutboundClient::Create({});
  ASSERT_TRUE(system_only.ok());
  auto res = Call(**system_only, {.url = genuine.base_url() + "/v3/certificates"});
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().key, "upstream_tls_error");
  EXPECT_TRUE(Call(*client, {.url = genuine.base_url() + "/v3/certificates"}).ok());
}

TEST(Outbound, TheDeadlineCoversTheWholeCall) {
  doubles::DoubleServer provider;
  provider.Route("GET", "/slow", [](const doubles::Request&) { return Json("{}"); });
  provider.SetDelay("/slow", 3000);
  auto client = TrustingTheDoubles();
  const auto started = std::chrono::steady_clock::now();
  auto res = Call(*client, {.url = provider.base_url() + "/slow", .deadline = std::chrono::milliseconds(300)});
  const auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().key, "upstream_unreachable") << res.error().detail;
  EXPECT_LT(took, std::chrono::milliseconds(2000));
}

TEST(Outbound, ALostAnswerARefusedConnectionAndAnOversizedAnswerAreErrors) {
  doubles::DoubleServer provider;
  int refunds = 0;
  provider.Route("POST", "/v3/refund/domestic/refunds", [&refunds](const doubles::Request&) {
    ++refunds;
    return Json(R"({"status":"PROCESSING"})");
  });
  provider.Route("GET", "/big", [](const doubles::Request&) { return Json(std::string(5000, 'x')); });
  auto client = TrustingTheDoubles();

  provider.DropAfterCommit("/v3/refund/domestic/refunds", 1);
  auto lost = Call(*client, {.method = "POST", .url = provider.base_url() + "/v3/refund/domestic/refunds"});
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().key, "upstream_unreachable");
  EXPECT_EQ(refunds, 1);  // the provider did it; only the answer was lost

  auto big = Call(*client, {.url = provider.base_url() + "/big", .max_body = 1000});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().key, "upstream_too_large");
  EXPECT_TRUE(Call(*client, {.url = provider.base_url() + "/big", .max_body = 5000}).ok());

  // A port nobody listens on (bound and closed again).
  unsigned short closed_port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    closed_port = a.local_endpoint().port();
  }
  auto refused = Call(*client, {.url = "https://localhost:" + std::to_string(closed_port) + "/"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().key, "upstream_unreachable");
}

TEST(Outbound, PlainHttpOnlyToThisMachine) {
  doubles::DoubleServer local(doubles::DoubleServer::Options{.tls = false});
  local.Route("POST", "/notify", [](const doubles::Request&) { return Json("{}"); });
  auto client = TrustingTheDoubles();
  auto res = Call(*client, {.method = "POST", .url = local.base_url() + "/notify", .body = "{}"});
  ASSERT_TRUE(res.ok()) << res.error().detail;
  EXPECT_EQ(res->status, 200);

  for (const char* bad : {"http://api.mch.weixin.qq.com/v3/x", "ftp://localhost/x", "https://user@host/x",
                          "https:///nohost", "not a url", "https://host:99999/x"}) {
    auto parsed = ParseUrl(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    auto sent = Call(*client, {.url = bad});
    ASSERT_FALSE(sent.ok()) << bad;
    EXPECT_EQ(sent.error().key, "bad_url") << bad;
  }
  auto parsed = ParseUrl("https://sms.tencentcloudapi.com:443");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->host_header, "sms.tencentcloudapi.com");  // TC3 signs the Host header
  EXPECT_EQ(parsed->target, "/");
  EXPECT_EQ(parsed->port, "443");
  EXPECT_TRUE(ParseUrl("http://[::1]:8080/n").ok());
}

TEST(Outbound, AnExtraCaFileThatCannotBeUsedNamesTheSetting) {
  auto missing = OutboundClient::Create({"/no/such/ca.pem"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "tls.extra_ca_file");
  const auto garbage = std::filesystem::temp_directory_path() / "carecity_outbound_garbage_ca.pem";
  std::ofstream(garbage) << "not a certificate\n";
  auto bad = OutboundClient::Create({garbage.string()});
  std::filesystem::remove(garbage);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "tls.extra_ca_file");
}

}  // namespace
}  // namespace carecity::http
