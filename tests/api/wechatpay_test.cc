// WeChat Pay v3 end to end against its double (tests/support/doubles/
// wechatpay_double.h, written from WeChat's documentation by other hands):
// orders in both scenes, payment and refund notifications and every way one
// can be forged or lost, refunds that are slow or whose answer is lost,
// expiry, and both of WeChat's ways of signing (public key, certificate).
#include "api/provider_fixture.h"
#include "doubles/client.h"
#include "doubles/wechatpay_double.h"
#include "domains/payments/wechatpay_provider.h"

namespace carecity::testing {
namespace {

using payments::ConfirmOutcome;
using payments::Payment;
using payments::PayAction;
using Ask = payments::PaymentsService::CheckoutAsk;

constexpr char kApiV3Key[] = "0123456789abcdefghijklmnopqrstuv";
constexpr char kOpenid[] = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

class WechatPayTest : public ProviderFixture {
 protected:
  WechatPayTest()
      : ProviderFixture("wechatpay"),
        merchant_(doubles::NewRsaKeyPair()),
        wechat_(doubles::WechatPayDouble::Options{.merchant_public_key_pem = merchant_.public_pem,
                                                  .apiv3_key = kApiV3Key}) {
    // One clock for both sides: signatures carry its time.
    wechat_.server().SetClock([this] { return server_.clock().NowMs(); });
    wechat_.AddOpenid(kOpenid);
    AddProvider(/*certificates=*/true);
  }

  // The provider as App would make it; `certificates`: verify with the
  // platform certificate as well (WeChat's switchover).
  void AddProvider(bool certificates) {
    WechatPayConfig cfg;
    cfg.mchid = "1900000001";
    cfg.appid = "wxd678efh567hg6787";
    cfg.cert_serial = "3775B6A45ACD588826D15E583A95F5DD2AB3B1F0";
    cfg.platform_public_key_id = wechat_.platform_public_key_id();
    cfg.base_url = wechat_.base_url();
    WechatPayKeys keys{*pk::LoadPrivateKey(merchant_.private_pem), kApiV3Key,
                       *pk::LoadPublicKey(wechat_.platform_public_key_pem()), {}};
    if (certificates) {
      keys.platform_certificates.push_back(*pk::LoadCertificate(wechat_.platform_certificate_pem()));
    }
    svc_.AddProvider(
        std::make_unique<payments::WechatPayProvider>(cfg, std::move(keys), NotifyUrl(), *client_, server_.clock()));
  }

  // Opened as H5 (another mobile browser): the order now exists at WeChat.
  void OpenH5(const Payment& p) {
    auto action = RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"h5", "203.0.113.9", ""}));
    ASSERT_TRUE(action.ok()) << action.error().key << " " << action.error().detail;
    ASSERT_EQ(action->kind, PayAction::Kind::kRedirect);
  }
  Payment PaidPayment(int64_t ref, int64_t amount) {
    Payment p = NewPayment(ref, amount);
    OpenH5(p);
    EXPECT_TRUE(wechat_.Pay(p.out_trade_no));
    EXPECT_EQ(StateOf(p), "paid");
    return p;
  }

  doubles::KeyPair merchant_;
  doubles::WechatPayDouble wechat_;
};

TEST_F(WechatPayTest, InsideWeChatTheJsapiSheetPaysAndTheNotificationCreditsOnce) {
  const Payment p = NewPayment(1, 2000);
  EXPECT_FALSE(wechat_.order(p.out_trade_no).has_value());  // lazy: nothing opened at WeChat yet
  // No openid: no sheet.
  EXPECT_EQ(RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"jsapi", "203.0.113.9", ""})).error().key,
            "openid_required");
  auto action = RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"jsapi", "203.0.113.9", kOpenid}));
  ASSERT_TRUE(action.ok()) << action.error().key << " " << action.error().detail;
  ASSERT_EQ(action->kind, PayAction::Kind::kJsapi);
  auto order = wechat_.order(p.out_trade_no);
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(order->kind, "jsapi");
  EXPECT_EQ(order->openid, kOpenid);
  EXPECT_EQ(order->total, 2000);
  EXPECT_EQ(order->description, "关爱基金捐赠");
  EXPECT_EQ(action->jsapi.at("package"), "prepay_id=" + order->prepay_id);

  // The payer confirms in the sheet: WeChat checks our paySign, pays, notifies.
  std::string sheet = "{";
  for (const auto& [k, v] : action->jsapi) {
    sheet += (sheet.size() > 1 ? ",\"" : "\"") + k + "\":\"" + v + "\"";
  }
  sheet += "}";
  auto paid = doubles::Send("POST", wechat_.base_url() + "/double/jsapi/pay", sheet,
                            {{"Content-Type", "application/json"}});
  ASSERT_EQ(paid.status, 200) << paid.body << paid.error;
  wechat_.WaitForDeliveries();
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(credits_.load(), 1);
  const auto deliveries = wechat_.deliveries();
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].status, 200);
  EXPECT_EQ(deliveries[0].answer, R"({"code":"SUCCESS","message":"成功"})");
  // The same notification again (WeChat retries until it hears 200): no second credit.
  EXPECT_EQ(wechat_.Redeliver(p.out_trade_no).status, 200);
  EXPECT_EQ(credits_.load(), 1);
  // A paid payment gets no new sheet.
  EXPECT_EQ(RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"jsapi", "", kOpenid})).error().key,
            "payment_not_payable");
}

TEST_F(WechatPayTest, ElsewhereTheH5LinkReturnsToOurPageAndReopeningIsTheSameOrder) {
  const Payment p = NewPayment(2, 1000);
  auto action = RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"h5", "203.0.113.9", ""}));
  ASSERT_TRUE(action.ok()) << action.error().key << " " << action.error().detail;
  ASSERT_EQ(action->kind, PayAction::Kind::kRedirect);
  const std::string back = "https%3A%2F%2Fcare.example.cn%2Ffund%2Fdonations%2F2%3Ftoken%3D";
  EXPECT_NE(action->url.find("&redirect_url=" + back), std::string::npos) << action->url;
  EXPECT_EQ(action->url.rfind(wechat_.base_url(), 0), 0u) << action->url;
  // The page asked again (the link expired): the same order, a fresh link.
  ASSERT_TRUE(RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"h5", "203.0.113.9", ""})).ok());
  EXPECT_EQ(wechat_.order(p.out_trade_no)->times_ordered, 2);
  EXPECT_EQ(wechat_.order(p.out_trade_no)->kind, "h5");
  ASSERT_TRUE(wechat_.Pay(p.out_trade_no));
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(credits_.load(), 1);
}

TEST_F(WechatPayTest, ForgedStaleWrongKeyAndUndecryptableNotificationsCreditNothingUntilTheGenuineOne) {
  using Faults = doubles::WechatPayDouble::NotifyFaults;
  int ref = 10;
  for (const Faults& fault : {Faults{.tamper_signature = true}, Faults{.wrong_serial = true},
                              Faults{.stale_timestamp = true}, Faults{.undecryptable = true}}) {
    const Payment p = NewPayment(++ref, 3000);
    OpenH5(p);
    wechat_.SetNotifyFaults(fault);
    ASSERT_TRUE(wechat_.Pay(p.out_trade_no));
    const auto refused = wechat_.deliveries().back();
    EXPECT_GE(refused.status, 400) << refused.answer;  // refused, so WeChat sends it again
    EXPECT_EQ(StateOf(p), "created");
    // WeChat's genuine retry is credited.
    const auto genuine = wechat_.Redeliver(p.out_trade_no);
    EXPECT_EQ(genuine.status, 200) << genuine.answer << genuine.error;
    EXPECT_EQ(StateOf(p), "paid");
  }
  EXPECT_EQ(credits_.load(), 4);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE provider = 'wechatpay' AND valid = 0"),
            4);
  // One notification delivered four times at once: one credit.
  const Payment p = NewPayment(++ref, 3000);
  OpenH5(p);
  wechat_.SetNotifyFaults({.duplicates = 3});
  const size_t before = wechat_.deliveries().size();
  ASSERT_TRUE(wechat_.Pay(p.out_trade_no));
  wechat_.WaitForDeliveries();
  const auto all = wechat_.deliveries();
  ASSERT_EQ(all.size(), before + 4);
  for (size_t i = before; i < all.size(); ++i) {
    EXPECT_EQ(all[i].status, 200) << all[i].answer;
  }
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(credits_.load(), 5);
}

TEST_F(WechatPayTest, ALostNotificationIsCreditedByReconciliationAndATamperedAnswerIsNeverBelieved) {
  const Payment p = NewPayment(4, 1500);
  OpenH5(p);
  wechat_.SetNotifyFaults({.lose = true});
  ASSERT_TRUE(wechat_.Pay(p.out_trade_no));
  EXPECT_EQ(StateOf(p), "created");
  // The payer's "I paid" asks WeChat, whose answer's signature is broken: nothing changes.
  wechat_.TamperNextAnswers(1);
  auto tampered = RunSync(svc_.Query(p.public_id, PayerOf(p)));
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().key, "provider_unavailable");
  EXPECT_EQ(StateOf(p), "created");
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(credits_.load(), 1);
}

TEST_F(WechatPayTest, RefundsAreBookedOnceWhenWeChatSaysSoEvenWhenTheAnswerIsLostOrSlow) {
  const Payment p = PaidPayment(5, 5000);
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.amount_fen = 2000, .reason = "部分退款", .requested_by = 7, .key = "k1"})).ok());
  EXPECT_EQ(refunds_booked_.load(), 1);
  EXPECT_EQ(wechat_.refunds_executed(p.out_trade_no), 1);

  // The second part's answer is lost after WeChat made it (a minute later: WeChat's rule), and
  // so is its notification (which would otherwise book it first, racing the checks below).
  server_.clock().Advance(61'000);
  wechat_.server().DropAfterCommit("/v3/refund/domestic/refunds", 1);
  wechat_.SetNotifyFaults({.lose = true});
  auto lost = RunSync(svc_.Refund(p.id, {.amount_fen = 1000, .reason = "再退", .requested_by = 7, .key = "k2"}));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().key, "provider_unavailable");
  EXPECT_EQ(refunds_booked_.load(), 1);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  wechat_.WaitForDeliveries();
  EXPECT_EQ(refunds_booked_.load(), 2);
  EXPECT_EQ(wechat_.refunds_executed(p.out_trade_no), 2);  // asked about, never asked for twice

  // The rest stays PROCESSING for two queries, then succeeds; its notice may come first.
  server_.clock().Advance(61'000);
  const std::string rest_no = p.out_trade_no + "R";
  wechat_.SetRefundOutcome(rest_no, 2, "SUCCESS");
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.reason = "退完", .requested_by = 7})).ok());
  EXPECT_EQ(refunds_booked_.load(), 2);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  }
  wechat_.WaitForDeliveries();
  EXPECT_EQ(refunds_booked_.load(), 3);
  EXPECT_EQ(StateOf(p), "refunded");
  EXPECT_EQ(wechat_.refunds_executed(p.out_trade_no), 3);
  EXPECT_EQ(wechat_.order(p.out_trade_no)->refunded, 5000);
}

TEST_F(WechatPayTest, AnUnpaidOrderPastItsExpiryIsClosedAtWeChatAndHere) {
  const Payment p = NewPayment(6, 800);
  OpenH5(p);
  const Payment never_opened = NewPayment(7, 800);
  server_.clock().Advance(payments::PaymentsService::kOrderExpiryMs + 1000);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(StateOf(p), "closed");
  EXPECT_EQ(wechat_.order(p.out_trade_no)->trade_state, "CLOSED");
  EXPECT_TRUE(wechat_.order(p.out_trade_no)->closed_by_merchant);
  EXPECT_EQ(StateOf(never_opened), "closed");  // nothing at WeChat to close
  EXPECT_EQ(closes_.load(), 2);
  EXPECT_FALSE(wechat_.Pay(p.out_trade_no));
  EXPECT_EQ(credits_.load(), 0);
}

TEST_F(WechatPayTest, BothOfWeChatsWaysOfSigningVerifyDuringTheSwitchover) {
  // Configured with the public key and the platform certificate, as during
  // WeChat's move from certificates to public keys.
  wechat_.set_mode(doubles::WechatPayDouble::Options::Mode::kCertificate);
  const Payment by_certificate = PaidPayment(8, 600);
  wechat_.set_mode(doubles::WechatPayDouble::Options::Mode::kPublicKey);
  const Payment by_key = PaidPayment(9, 600);
  EXPECT_EQ(credits_.load(), 2);
  const auto deliveries = wechat_.deliveries();
  ASSERT_EQ(deliveries.size(), 2u);
  const auto serial_of = [](const doubles::WechatPayDouble::Delivery& d) {
    for (const auto& [k, v] : d.headers) {
      if (k == "Wechatpay-Serial" || k == "wechatpay-serial") {
        return v;
      }
    }
    return std::string();
  };
  EXPECT_EQ(serial_of(deliveries[0]), wechat_.platform_certificate_serial());
  EXPECT_EQ(serial_of(deliveries[1]), wechat_.platform_public_key_id());
}

}  // namespace
}  // namespace carecity::testing
