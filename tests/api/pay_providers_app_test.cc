// The real providers as `serve` runs them: configured by their tables and key
// files (as an operator writes them), added by App, called back at the
// public origin through our own notify route. A guest donates ¥20 over HTTP,
// the pay page checks out for a phone browser, the payer pays on the
// double's H5 cashier, WeChat's signed notification reaches App's route, and
// the donation is confirmed with one ledger entry. Both backends.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.h"
#include "core/run_sync.h"
#include "doubles/client.h"
#include "doubles/test_pki.h"
#include "doubles/wechatpay_double.h"
#include "http/message.h"
#include "support/test_db.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

constexpr char kApiV3Key[] = "appTestApiV3Key0123456789abcdefg";

// A port free now, for a server whose public origin must be known before it starts.
int FreePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return probe.local_endpoint().port();
}

// Where the operator's key files go: the test PKI's 0700 directory, removed at exit.
std::string Dir() { return doubles::SharedPki().dir; }

// The value of query parameter `name` in `url` (percent-decoded), or "".
std::string QueryParam(const std::string& url, const std::string& name) {
  const size_t at = url.find(name + "=");
  if (at == std::string::npos) {
    return "";
  }
  const size_t start = at + name.size() + 1;
  return http::PercentDecode(url.substr(start, url.find('&', start) - start), false).value_or("");
}

class PayProvidersAppTest : public ::testing::Test {
 protected:
  PayProvidersAppTest()
      : merchant_(doubles::NewRsaKeyPair()),
        wechat_(doubles::WechatPayDouble::Options{.merchant_public_key_pem = merchant_.public_pem,
                                                  .apiv3_key = kApiV3Key}),
        port_(FreePort()),
        server_(WithWechatPay()) {
    wechat_.server().SetClock([this] { return server_.clock().NowMs(); });
  }

  // The configuration an operator writes: key files (0600) and the double's base URL.
  Config WithWechatPay() {
    doubles::WriteFile(Dir() + "/apiclient_key.pem", merchant_.private_pem);
    doubles::WriteFile(Dir() + "/apiv3.key", kApiV3Key);
    doubles::WriteFile(Dir() + "/pub_key.pem", wechat_.platform_public_key_pem());
    Config c = TestConfig();
    c.listen = "127.0.0.1:" + std::to_string(port_);
    c.public_origin = "http://127.0.0.1:" + std::to_string(port_);
    c.channels.tls.extra_ca_file = doubles::SharedPki().ca_cert_path;
    WechatPayConfig w;
    w.mchid = "1900000001";
    w.appid = "wxd678efh567hg6787";
    w.private_key_file = Dir() + "/apiclient_key.pem";
    w.cert_serial = "3775B6A45ACD588826D15E583A95F5DD2AB3B1F0";
    w.apiv3_key_file = Dir() + "/apiv3.key";
    w.platform_public_key_file = Dir() + "/pub_key.pem";
    w.platform_public_key_id = wechat_.platform_public_key_id();
    w.base_url = wechat_.base_url();
    c.channels.wechatpay = w;
    return c;  // the sandbox stays on, as in the demo: WeChat Pay still comes first
  }

  Checkout DonateTwenty(Client& guest) {
    auto r = guest.Post("/api/v1/fund/donations", json::value{{"amount_fen", 2000}, {"anonymous", false}},
                        {{"Idempotency-Key", "pay-app-" + std::to_string(++donations_)}});
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(std::string(r.json.at("payment").at("provider").as_string()), "wechatpay");
    EXPECT_EQ(std::string(r.json.at("payment").at("pay_url").as_string()).rfind("/pay/wechatpay/", 0), 0u);
    return CheckoutOf(r);
  }
  std::string OutTradeNo(const Checkout& c) {
    return RunSync(server_.app().payments().Get(c.payment, Caller{std::nullopt, c.token}))->out_trade_no;
  }
  std::string DonationStatus(Client& guest, const Checkout& c) {
    return std::string(
        guest.Get("/api/v1/fund/donations/" + c.donation + c.Q()).json.at("donation").at("status").as_string());
  }

  doubles::KeyPair merchant_;
  doubles::WechatPayDouble wechat_;
  int port_;
  TestServer server_;
  int donations_ = 0;
};

TEST_F(PayProvidersAppTest, AGuestPaysOnWeChatPaysH5PageAndTheNotificationThroughOurRouteConfirmsOnce) {
  ASSERT_EQ(server_.base_url(), "http://127.0.0.1:" + std::to_string(port_));
  Client guest(server_);
  const Checkout c = DonateTwenty(guest);
  const std::string out_trade_no = OutTradeNo(c);
  EXPECT_FALSE(wechat_.order(out_trade_no).has_value());  // nothing at WeChat until the pay page opens it

  auto checkout = guest.Post("/api/v1/payments/" + c.payment + "/checkout" + c.Q(), json::value{{"scene", "h5"}});
  ASSERT_EQ(checkout.status, 200) << checkout.body;
  const std::string h5(checkout.json.at("action").at("url").as_string());
  ASSERT_EQ(h5.rfind(wechat_.base_url() + "/double/h5/", 0), 0u) << h5;
  // WeChat brings the payer back to their donation, token and all, at our public address.
  EXPECT_EQ(QueryParam(h5, "redirect_url"), server_.base_url() + "/fund/donations/" + c.donation + c.Q());
  auto order = wechat_.order(out_trade_no);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->notify_url, server_.base_url() + "/api/v1/payments/notify/wechatpay");

  // The payer's browser on WeChat's cashier: 确认支付.
  const std::string form_action = h5.substr(0, h5.find('?')) + "/pay";
  auto paid = doubles::Send("POST", form_action, "action=pay&redirect_url=" + http::PercentEncode(QueryParam(h5, "redirect_url")),
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_TRUE(paid.error.empty()) << paid.error;
  EXPECT_EQ(paid.status, 303) << paid.body;
  wechat_.WaitForDeliveries();
  ASSERT_EQ(wechat_.deliveries().size(), 1u);
  EXPECT_EQ(wechat_.deliveries()[0].status, 200) << wechat_.deliveries()[0].answer;

  EXPECT_EQ(DonationStatus(guest, c), "confirmed");
  const int64_t row = Count(server_, "SELECT id FROM fund_donations WHERE public_id = '" + c.donation + "'");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'donation' AND ref_id = " +
                               std::to_string(row)),
            1);
  // WeChat's retry of the same notification credits nothing more.
  auto again = wechat_.Redeliver(out_trade_no);
  EXPECT_EQ(again.status, 200) << again.answer;
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'donation' AND ref_id = " +
                               std::to_string(row)),
            1);
}

TEST_F(PayProvidersAppTest, ThePayerCancelsAtWeChatThroughTheirOwnRouteAndNoOneElseCan) {
  Client guest(server_);
  const Checkout c = DonateTwenty(guest);
  ASSERT_EQ(guest.Post("/api/v1/payments/" + c.payment + "/checkout" + c.Q(), json::value{{"scene", "h5"}}).status,
            200);
  // The sandbox's own cancel route does not reach another provider's payment.
  EXPECT_EQ(guest.PostRaw("/api/v1/payments/sandbox/" + c.payment + "/cancel" + c.Q(), "{}").status, 404);
  // Nor does anyone without the payer's token.
  Client stranger(server_);
  auto refused = stranger.PostRaw("/api/v1/payments/" + c.payment + "/cancel", "{}");
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(refused.error_code(), "payment_not_found");

  auto cancelled = guest.PostRaw("/api/v1/payments/" + c.payment + "/cancel" + c.Q(), "{}");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(std::string(cancelled.json.at("payment").at("status").as_string()), "closed");
  EXPECT_EQ(wechat_.order(OutTradeNo(c))->trade_state, "CLOSED");  // closed at WeChat first
  EXPECT_EQ(DonationStatus(guest, c), "closed");
  // Cancelling again changes nothing and says why.
  auto twice = guest.PostRaw("/api/v1/payments/" + c.payment + "/cancel" + c.Q(), "{}");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "payment_not_payable");
}

TEST(PayProvidersConfigTest, TheChosenProviderMustBeConfigured) {
  Config c = TestConfig();
  TestDb db;
  c.db_url = db.url();
  c.channels.payment_provider = "alipay";
  FakeClock clock(1'800'000'000'000);
  auto app = app::App::Open(c, clock);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.error().field, "payments.provider");
  EXPECT_NE(app.error().detail.find("[payments.alipay]"), std::string::npos) << app.error().detail;
  c.channels.payment_provider = "sandbox";  // configured in the tests
  EXPECT_TRUE(app::App::Open(c, clock).ok());
}

}  // namespace
}  // namespace carecity::testing
