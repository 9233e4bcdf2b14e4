// The PaymentProvider interface: a second provider plugs into
// PaymentsService without the service knowing anything about it, and the
// service's guarantees (one credit per payment whatever arrives, refunds
// that never return money twice, reconciliation by query) hold for it too.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "core/run_sync.h"
#include "domains/payments/service.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

using payments::ConfirmOutcome;
using payments::HeaderLookup;
using payments::OrderRequest;
using payments::PaidNotice;
using payments::Payment;
using payments::ProviderOrder;
template <class T>
using Task = payments::Task<T>;

// A provider kept in memory. Its "signature" is the body prefixed with ok:.
class FakeProvider final : public payments::PaymentProvider {
 public:
  const std::string& name() const override { return name_; }

  Task<void> CreateOrder(const OrderRequest& order) override {
    std::lock_guard lock(mu_);
    auto [it, added] = orders_.try_emplace(order.out_trade_no, ProviderOrder{order.out_trade_no, "NOTPAY",
                                                                             order.amount_fen, 0, {}, {}});
    notify_urls_[order.out_trade_no] = order.notify_url;
    if (!added && it->second.amount_fen != order.amount_fen) {
      co_return Error::Conflict("provider_refused");
    }
    co_return Status{};
  }
  Task<ProviderOrder> QueryOrder(const std::string& out_trade_no) override {
    std::lock_guard lock(mu_);
    auto it = orders_.find(out_trade_no);
    if (it == orders_.end()) {
      co_return Error::NotFound("provider_order_not_found");
    }
    co_return it->second;
  }
  Task<bool> CloseOrder(const std::string& out_trade_no) override {
    std::lock_guard lock(mu_);
    auto& o = orders_.at(out_trade_no);
    if (o.state == "SUCCESS") {
      co_return false;
    }
    o.state = "CLOSED";
    co_return true;
  }
  Task<void> Refund(const std::string& out_trade_no, const std::string& out_refund_no, int64_t amount) override {
    std::lock_guard lock(mu_);
    ++refund_calls_;
    auto& o = orders_.at(out_trade_no);
    if (o.state == "REFUND" && refund_no_[out_trade_no] == out_refund_no) {
      co_return Status{};  // the same refund, asked again
    }
    if (o.state != "SUCCESS" || amount != o.amount_fen) {
      co_return Error::Conflict("provider_refused");
    }
    o.state = "REFUND";
    refund_no_[out_trade_no] = out_refund_no;
    returned_fen_ += amount;
    co_return Status{};
  }
  Result<PaidNotice> VerifyNotification(std::string_view body, const HeaderLookup& header,
                                        int64_t) const override {
    if (header("x-fake-signature") != "ok:" + std::string(body)) {
      return Error{ErrorCode::kUnauthenticated, "invalid_signature", {}, "bad fake signature"};
    }
    std::lock_guard lock(mu_);
    auto it = orders_.find(std::string(body));
    if (it == orders_.end()) {
      return Error::Invalid("invalid_notification", "", "unknown order");
    }
    return it->second.Notice();
  }

  // The payer paid at the provider (its notification is up to the test).
  void Pay(const std::string& out_trade_no, int64_t fee_fen) {
    std::lock_guard lock(mu_);
    auto& o = orders_.at(out_trade_no);
    o.state = "SUCCESS";
    o.fee_fen = fee_fen;
    o.transaction_id = "FAKE-" + out_trade_no;
    o.paid_at_ms = 1;
  }
  std::optional<ProviderOrder> Order(const std::string& out_trade_no) const {
    std::lock_guard lock(mu_);
    auto it = orders_.find(out_trade_no);
    return it == orders_.end() ? std::nullopt : std::optional(it->second);
  }
  std::string NotifyUrl(const std::string& out_trade_no) const {
    std::lock_guard lock(mu_);
    return notify_urls_.at(out_trade_no);
  }
  int refund_calls() const { return refund_calls_; }
  int64_t returned_fen() const { return returned_fen_; }

 private:
  const std::string name_ = "fakepay";
  mutable std::mutex mu_;
  std::map<std::string, ProviderOrder> orders_;
  std::map<std::string, std::string> notify_urls_;
  std::map<std::string, std::string> refund_no_;
  int refund_calls_ = 0;
  int64_t returned_fen_ = 0;
};

class PaymentProvidersTest : public ::testing::Test {
 protected:
  PaymentProvidersTest()
      : svc_(server_.app().store(), server_.clock(),
             std::make_unique<payments::SandboxProvider>(server_.app().store(), server_.clock(), SandboxConfig{},
                                                         "test-secret")) {
    auto fake = std::make_unique<FakeProvider>();
    fake_ = fake.get();
    svc_.AddProvider(std::move(fake));
    svc_.set_notify_base_url("http://127.0.0.1:9");
    // The owning domain's listener: counts what it is told was paid.
    svc_.OnPaid("gift", [this](db::Tx&, const Payment& p, int64_t) -> Status {
      credits_ += 1;
      credited_fen_ += p.amount_fen;
      return {};
    });
  }

  Payment NewPayment(int64_t ref, int64_t amount) {
    auto p = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return svc_.CreateTx(tx, "gift", ref, amount, "测试", "/", server_.clock().NowMs(), "fakepay");
    });
    EXPECT_TRUE(p.ok());
    auto opened = RunSync(svc_.Open(*p));
    EXPECT_TRUE(opened.ok()) << opened.error().key;
    return *p;
  }
  Result<ConfirmOutcome> Notify(const std::string& body, const std::string& signature) {
    const HeaderLookup header = [&signature](std::string_view name) -> std::string_view {
      return name == "x-fake-signature" ? std::string_view(signature) : std::string_view();
    };
    return RunSync(svc_.HandleNotify("fakepay", body, header));
  }
  std::string StateOf(int64_t id) { return RunSync(svc_.Get(id))->status; }

  TestServer server_;
  payments::PaymentsService svc_;
  FakeProvider* fake_ = nullptr;
  std::atomic<int> credits_{0};
  std::atomic<int64_t> credited_fen_{0};
};

TEST_F(PaymentProvidersTest, ASecondProviderIsOpenedNotifiedAndCreditedOnce) {
  const Payment p = NewPayment(1, 5000);
  EXPECT_EQ(p.provider, "fakepay");
  EXPECT_EQ(payments::PaymentsService::PayUrl(p), "/pay/fakepay/" + std::to_string(p.id));
  ASSERT_TRUE(fake_->Order(p.out_trade_no));
  EXPECT_EQ(fake_->Order(p.out_trade_no)->amount_fen, 5000);
  EXPECT_EQ(fake_->NotifyUrl(p.out_trade_no), "http://127.0.0.1:9/api/v1/payments/notify/fakepay");
  // Opening again (an Idempotency-Key replay) is not a second order.
  EXPECT_TRUE(RunSync(svc_.Open(p)).ok());

  // A forged notification changes nothing and is logged as rejected.
  fake_->Pay(p.out_trade_no, 30);
  auto forged = Notify(p.out_trade_no, "forged");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().key, "invalid_signature");
  EXPECT_EQ(StateOf(p.id), "created");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE provider = 'fakepay' AND valid = 0"), 1);

  // The real one credits once; the provider's retries are duplicates.
  auto first = Notify(p.out_trade_no, "ok:" + p.out_trade_no);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, ConfirmOutcome::kCredited);
  for (int i = 0; i < 3; ++i) {
    auto again = Notify(p.out_trade_no, "ok:" + p.out_trade_no);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, ConfirmOutcome::kDuplicate);
  }
  EXPECT_EQ(credits_.load(), 1);
  EXPECT_EQ(credited_fen_.load(), 5000);
  EXPECT_EQ(StateOf(p.id), "paid");
  EXPECT_EQ(Count(server_, "SELECT fee_fen FROM payments WHERE id = " + std::to_string(p.id)), 30);
}

TEST_F(PaymentProvidersTest, QueriesAndReconciliationAskTheProvider) {
  const Payment paid = NewPayment(1, 1000);
  const Payment unpaid = NewPayment(2, 2000);
  fake_->Pay(paid.out_trade_no, 0);
  // Asking about an unpaid order confirms nothing.
  EXPECT_EQ(RunSync(svc_.Query(unpaid.id))->status, "created");
  // The notification for `paid` was lost: reconciliation finds it, once.
  auto n = RunSync(svc_.Reconcile(0, 0));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(*RunSync(svc_.Reconcile(0, 0)), 0);
  EXPECT_EQ(RunSync(svc_.Query(paid.id))->status, "paid");
  EXPECT_EQ(StateOf(unpaid.id), "created");
  EXPECT_EQ(credits_.load(), 1);
  // The periodic run leaves payments younger than its threshold alone.
  fake_->Pay(unpaid.out_trade_no, 0);
  EXPECT_EQ(*RunSync(svc_.Reconcile(60 * kSecondMs, 24 * kHourMs)), 0);
  EXPECT_EQ(StateOf(unpaid.id), "created");
  server_.clock().Advance(61 * kSecondMs);
  EXPECT_EQ(*RunSync(svc_.Reconcile(60 * kSecondMs, 24 * kHourMs)), 1);
  EXPECT_EQ(credits_.load(), 2);
}

TEST_F(PaymentProvidersTest, ARefundReturnsTheMoneyOnceHoweverOftenItIsAsked) {
  const Payment p = NewPayment(1, 8800);
  fake_->Pay(p.out_trade_no, 0);
  ASSERT_EQ(*Notify(p.out_trade_no, "ok:" + p.out_trade_no), ConfirmOutcome::kCredited);
  // Refunding an unpaid payment is refused before the provider is asked.
  const Payment open = NewPayment(2, 100);
  auto refused = RunSync(svc_.RefundAtProvider(open.id));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().key, "payment_not_refundable");
  EXPECT_EQ(fake_->refund_calls(), 0);

  // The first attempt reached the provider but the booking was lost (say the
  // server died): the retry asks again under the same refund number.
  ASSERT_TRUE(RunSync(svc_.RefundAtProvider(p.id)).ok());
  ASSERT_TRUE(RunSync(svc_.RefundAtProvider(p.id)).ok());
  EXPECT_EQ(fake_->refund_calls(), 2);
  EXPECT_EQ(fake_->returned_fen(), 8800);
  const auto book = [&] {
    return db::WriteSync(server_.app().store(),
                         [&](db::Tx& tx) { return svc_.RecordRefundTx(tx, p.id, "捐错了", server_.clock().NowMs()); });
  };
  EXPECT_TRUE(book().ok());
  auto twice = book();
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().key, "payment_not_refundable");
  EXPECT_EQ(StateOf(p.id), "refunded");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_refunds WHERE payment_id = " + std::to_string(p.id)), 1);
  // Once refunded, the service does not ask the provider again.
  EXPECT_FALSE(RunSync(svc_.RefundAtProvider(p.id)).ok());
  EXPECT_EQ(fake_->refund_calls(), 2);
}

TEST_F(PaymentProvidersTest, ANotificationForAnUnknownProviderIsNotFound) {
  Client c(server_);
  auto r = c.PostRaw("/api/v1/payments/notify/alipay", R"({"out_trade_no":"x"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json.at("error").at("code").as_string(), "provider_not_found");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications"), 0);
}

}  // namespace
}  // namespace carecity::testing
