// Alipay end to end against its double (tests/support/doubles/
// alipay_double.h, written from Alipay's documentation by other hands): the
// signed wap.pay link, notifications forged or lost, slow refunds and lost
// answers, expiry, and money paid on a stale link after we closed.
#include "api/provider_fixture.h"
#include "doubles/alipay_double.h"
#include "domains/payments/alipay_provider.h"

namespace carecity::testing {
namespace {

using payments::ConfirmOutcome;
using payments::Payment;
using payments::PayAction;
using Ask = payments::PaymentsService::CheckoutAsk;

class AlipayTest : public ProviderFixture {
 protected:
  AlipayTest()
      : ProviderFixture("alipay"),
        app_(doubles::NewRsaKeyPair()),
        alipay_(doubles::AlipayDouble::Options{.app_public_key_pem = app_.public_pem}) {
    alipay_.server().SetClock([this] { return server_.clock().NowMs(); });
    AlipayConfig cfg;
    cfg.app_id = "2021000000000000";
    cfg.seller_id = "2088102146225135";
    cfg.base_url = alipay_.base_url();
    // Alipay's console shows its key as bare base64: loaded as such.
    AlipayKeys keys{*pk::LoadPrivateKey(app_.private_pem), *pk::LoadPublicKey(alipay_.alipay_public_key_bare())};
    svc_.AddProvider(
        std::make_unique<payments::AlipayProvider>(cfg, std::move(keys), NotifyUrl(), *client_, server_.clock()));
  }

  // The pay page in a mobile browser: our signed link, opened by the payer.
  std::string Link(const Payment& p) {
    auto action = RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"h5", "203.0.113.9", ""}));
    EXPECT_TRUE(action.ok()) << action.error().key << " " << action.error().detail;
    return action.ok() ? action->url : std::string();
  }
  Payment PaidPayment(int64_t ref, int64_t amount) {
    Payment p = NewPayment(ref, amount);
    EXPECT_EQ(alipay_.OpenLink(Link(p)), 200);
    EXPECT_TRUE(alipay_.Pay(p.out_trade_no));
    EXPECT_EQ(StateOf(p), "paid");
    return p;
  }

  doubles::KeyPair app_;
  doubles::AlipayDouble alipay_;
};

TEST_F(AlipayTest, TheSignedLinkOpensTheTradeAndTheNotificationCreditsOnce) {
  const Payment p = NewPayment(1, 2000);
  const std::string link = Link(p);
  EXPECT_EQ(link.rfind(alipay_.base_url() + "/gateway.do?", 0), 0u) << link;
  EXPECT_FALSE(alipay_.trade(p.out_trade_no).has_value());  // exists once the payer opens it
  ASSERT_EQ(alipay_.OpenLink(link), 200);
  auto trade = alipay_.trade(p.out_trade_no);
  ASSERT_TRUE(trade.has_value());
  EXPECT_EQ(trade->total_amount, "20.00");
  EXPECT_EQ(trade->subject, "关爱基金捐赠");
  EXPECT_EQ(trade->return_url.rfind("https://care.example.cn/fund/donations/1?token=", 0), 0u) << trade->return_url;
  EXPECT_EQ(trade->quit_url.rfind("https://care.example.cn/pay/alipay/" + p.public_id, 0), 0u) << trade->quit_url;
  ASSERT_TRUE(alipay_.Pay(p.out_trade_no));
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(credits_.load(), 1);
  const auto deliveries = alipay_.deliveries();
  ASSERT_EQ(deliveries.size(), 1u);  // "success" at the first attempt
  EXPECT_EQ(deliveries[0].answer, "success");
  EXPECT_EQ(alipay_.Redeliver(p.out_trade_no).answer, "success");
  EXPECT_EQ(credits_.load(), 1);
  // Inside WeChat, Alipay cannot open: the page is told so.
  const Payment q = NewPayment(2, 100);
  EXPECT_EQ(RunSync(svc_.Checkout(q.public_id, PayerOf(q), Ask{"jsapi", "", "openid"})).error().key,
            "alipay_in_wechat");
}

TEST_F(AlipayTest, ForgedOrForeignNotificationsAreRetriedByAlipayAndCreditNothing) {
  using Faults = doubles::AlipayDouble::NotifyFaults;
  int ref = 10;
  std::vector<Payment> refused;
  for (const Faults& fault : {Faults{.tamper_signature = true}, Faults{.wrong_app_id = true}}) {
    const Payment p = NewPayment(++ref, 3000);
    refused.push_back(p);
    ASSERT_EQ(alipay_.OpenLink(Link(p)), 200);
    alipay_.SetNotifyFaults(fault);
    const size_t before = alipay_.deliveries().size();
    ASSERT_TRUE(alipay_.Pay(p.out_trade_no));
    const auto all = alipay_.deliveries();
    ASSERT_EQ(all.size(), before + 3);  // refused each time, so Alipay tried again
    for (size_t i = before; i < all.size(); ++i) {
      EXPECT_NE(all[i].answer, "success");
    }
    EXPECT_EQ(StateOf(p), "created");
  }
  EXPECT_EQ(credits_.load(), 0);
  // The forged one's genuine retry is credited; another app's notice never
  // is, and the trade is confirmed by asking Alipay instead.
  EXPECT_EQ(alipay_.Redeliver(refused[0].out_trade_no).answer, "success");
  EXPECT_EQ(credits_.load(), 1);
  EXPECT_NE(alipay_.Redeliver(refused[1].out_trade_no).answer, "success");
  EXPECT_EQ(credits_.load(), 1);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(credits_.load(), 2);
  // Duplicates at once: one credit.
  const Payment p = NewPayment(++ref, 3000);
  ASSERT_EQ(alipay_.OpenLink(Link(p)), 200);
  alipay_.SetNotifyFaults({.duplicates = 3});
  ASSERT_TRUE(alipay_.Pay(p.out_trade_no));
  alipay_.WaitForDeliveries();
  EXPECT_EQ(credits_.load(), 3);
}

TEST_F(AlipayTest, ALostNotificationIsCreditedByReconciliationAndAForgedAnswerIsNeverBelieved) {
  const Payment p = NewPayment(3, 1500);
  ASSERT_EQ(alipay_.OpenLink(Link(p)), 200);
  alipay_.SetNotifyFaults({.lose = true});
  ASSERT_TRUE(alipay_.Pay(p.out_trade_no));
  EXPECT_EQ(StateOf(p), "created");
  alipay_.TamperNextAnswers(1);
  auto tampered = RunSync(svc_.Query(p.public_id, PayerOf(p)));
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().key, "provider_unavailable");
  EXPECT_EQ(StateOf(p), "created");
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(credits_.load(), 1);
}

TEST_F(AlipayTest, RefundsAreBookedOnceEvenWhenTheAnswerIsLostOrTheRefundIsSlow) {
  const Payment p = PaidPayment(4, 5000);
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.amount_fen = 2000, .reason = "部分退款", .requested_by = 7, .key = "k1"})).ok());
  EXPECT_EQ(refunds_booked_.load(), 1);
  EXPECT_EQ(alipay_.refunds_executed(p.out_trade_no), 1);

  alipay_.server().DropAfterCommit("/gateway.do", 1);
  auto lost = RunSync(svc_.Refund(p.id, {.amount_fen = 1000, .reason = "再退", .requested_by = 7, .key = "k2"}));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().key, "provider_unavailable");
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(refunds_booked_.load(), 2);
  EXPECT_EQ(alipay_.refunds_executed(p.out_trade_no), 2);

  const std::string rest_no = p.out_trade_no + "R";
  alipay_.SetRefundOutcome(rest_no, 2);
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.reason = "退完", .requested_by = 7})).ok());
  EXPECT_EQ(refunds_booked_.load(), 2);  // fund_change N: not booked yet
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  }
  EXPECT_EQ(refunds_booked_.load(), 3);
  EXPECT_EQ(StateOf(p), "refunded");
  EXPECT_EQ(alipay_.refunds_executed(p.out_trade_no), 3);
  EXPECT_EQ(alipay_.trade(p.out_trade_no)->refunded_amount, "50.00");
}

TEST_F(AlipayTest, ExpiryClosesTheTradeAndMoneyPaidOnAStaleLinkGoesBackInFull) {
  const Payment opened = NewPayment(5, 800);
  ASSERT_EQ(alipay_.OpenLink(Link(opened)), 200);
  const Payment stale = NewPayment(6, 900);
  const std::string stale_link = Link(stale);  // handed out, not opened yet
  server_.clock().Advance(payments::PaymentsService::kOrderExpiryMs + 1000);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(StateOf(opened), "closed");
  EXPECT_EQ(alipay_.trade(opened.out_trade_no)->trade_status, "TRADE_CLOSED");  // past time_expire, closed there
  EXPECT_EQ(StateOf(stale), "closed");  // nothing at Alipay to close
  EXPECT_EQ(closes_.load(), 2);

  // Were the stale link still payable (its time_expire is what stops it at
  // Alipay), money paid on it is refunded in full, never booked.
  alipay_.server().SetClock([this] { return server_.clock().NowMs() - payments::PaymentsService::kOrderExpiryMs; });
  ASSERT_EQ(alipay_.OpenLink(stale_link), 200);
  ASSERT_TRUE(alipay_.Pay(stale.out_trade_no));
  alipay_.server().SetClock([this] { return server_.clock().NowMs(); });
  EXPECT_EQ(StateOf(stale), "closed");
  EXPECT_EQ(credits_.load(), 0);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  auto orphans = RunSync(svc_.Orphans());
  ASSERT_TRUE(orphans.ok());
  ASSERT_EQ(orphans->size(), 1u);
  EXPECT_EQ((*orphans)[0].status, "refunded");
  EXPECT_EQ(alipay_.trade(stale.out_trade_no)->refunded_amount, "9.00");
  EXPECT_EQ(refunds_booked_.load(), 0);
}

}  // namespace
}  // namespace carecity::testing
