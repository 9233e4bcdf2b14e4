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
using payments::RefundState;
template <class T>
using Task = payments::Task<T>;

// A provider kept in memory. Its "signature" is the body prefixed with ok:;
// the body is the out_trade_no (and x-fake-amount, for orders it never saw).
class FakeProvider final : public payments::PaymentProvider {
 public:
  const std::string& name() const override { return name_; }

  Task<payments::PayAction> CreateOrder(const OrderRequest& order) override {
    std::lock_guard lock(mu_);
    expires_[order.out_trade_no] = order.expires_at_ms;
    auto [it, added] = orders_.try_emplace(order.out_trade_no, ProviderOrder{order.out_trade_no, "NOTPAY",
                                                                             order.amount_fen, 0, {}, {}});
    notify_urls_[order.out_trade_no] = order.notify_url;
    if (!added && it->second.amount_fen != order.amount_fen) {
      co_return Error::Conflict("provider_refused");
    }
    co_return payments::PayAction{payments::PayAction::Kind::kRedirect, "https://fakepay.example/h5/" + order.out_trade_no,
                                  {}};
  }
  Task<ProviderOrder> QueryOrder(const std::string& out_trade_no) override {
    std::lock_guard lock(mu_);
    ++order_queries_[out_trade_no];
    auto it = orders_.find(out_trade_no);
    if (it == orders_.end()) {
      co_return Error::NotFound("provider_order_not_found");
    }
    co_return it->second;
  }
  Task<bool> CloseOrder(const std::string& out_trade_no) override {
    std::lock_guard lock(mu_);
    auto it = orders_.find(out_trade_no);
    if (it == orders_.end()) {
      co_return Error::NotFound("provider_order_not_found");
    }
    if (it->second.state == "SUCCESS" || it->second.state == "REFUND") {
      co_return false;
    }
    it->second.state = "CLOSED";
    co_return true;
  }
  Task<RefundState> Refund(const std::string& out_trade_no, const std::string& out_refund_no, int64_t amount,
                           int64_t total) override {
    std::lock_guard lock(mu_);
    ++refund_calls_;
    auto it = orders_.find(out_trade_no);
    if (it == orders_.end()) {
      co_return Error::NotFound("provider_order_not_found");
    }
    auto& o = it->second;
    if (auto seen = refunds_.find(out_refund_no); seen != refunds_.end()) {
      // The same refund, asked again (a number is never reused for another order).
      if (seen->second != out_trade_no) {
        co_return Error::Conflict("provider_refused");
      }
      co_return StateOf(out_refund_no);
    }
    int64_t& refunded = refunded_[out_trade_no];
    if (o.state != "SUCCESS" || amount <= 0 || total != o.amount_fen || refunded + amount > o.amount_fen) {
      co_return Error::Conflict("provider_refused");
    }
    refunds_[out_refund_no] = out_trade_no;
    refunded += amount;
    if (refunded == o.amount_fen) {
      o.state = "REFUND";
    }
    returned_fen_ += amount;
    pending_[out_refund_no] = {processing_queries_, final_state_};
    if (lose_refund_answers_) {
      // The money went back, but the answer never reached us.
      co_return Error{ErrorCode::kUnavailable, "provider_unavailable", {}, "timed out"};
    }
    co_return StateOf(out_refund_no);
  }
  Task<RefundState> QueryRefund(const std::string& out_trade_no, const std::string& out_refund_no) override {
    std::lock_guard lock(mu_);
    ++refund_queries_;
    auto seen = refunds_.find(out_refund_no);
    if (seen == refunds_.end() || seen->second != out_trade_no) {
      co_return Error::NotFound("provider_refund_not_found");
    }
    const RefundState now_is = StateOf(out_refund_no);
    if (auto& pending = pending_[out_refund_no]; pending.first > 0) {
      --pending.first;
    }
    co_return now_is;
  }
  payments::NotifyReply Acknowledge(ConfirmOutcome) const override {
    return payments::NotifyReply{200, "text/plain", "success"};  // as Alipay expects it
  }
  Result<payments::ProviderNotice> VerifyNotification(std::string_view body, const HeaderLookup& header,
                                                      int64_t now_ms) const override {
    if (header("x-fake-signature") != "ok:" + std::string(body)) {
      return Error{ErrorCode::kUnauthenticated, "invalid_signature", {}, "bad fake signature"};
    }
    if (const std::string_view event = header("x-fake-event"); !event.empty()) {
      return payments::ProviderNotice{payments::IgnoredNotice{std::string(event)}};
    }
    std::lock_guard lock(mu_);
    if (const std::string_view refund_no = header("x-fake-refund"); !refund_no.empty()) {
      // A refund notice: body is the order, the header the refund number, and
      // x-fake-refund-state what it says (SUCCESS unless told).
      const std::string state(header("x-fake-refund-state"));
      RefundState rs{state == "CLOSED"       ? RefundState::Kind::kClosed
                     : state == "PROCESSING" ? RefundState::Kind::kProcessing
                     : state == "ABNORMAL"   ? RefundState::Kind::kAbnormal
                                             : RefundState::Kind::kSucceeded,
                     "FAKE-" + std::string(refund_no), now_ms};
      return payments::ProviderNotice{payments::RefundNotice{std::string(body), std::string(refund_no), rs, 0}};
    }
    auto it = orders_.find(std::string(body));
    if (it == orders_.end()) {
      // An order this provider never had: says it was paid all the same.
      return payments::ProviderNotice{
          PaidNotice{std::string(body), "FAKE", std::stoll(std::string(header("x-fake-amount"))), 0, now_ms}};
    }
    return payments::ProviderNotice{it->second.Notice(now_ms)};
  }

  // The payer paid at the provider (its notification is up to the test).
  void SetState(const std::string& out_trade_no, const std::string& state, int64_t fee_fen = 0) {
    std::lock_guard lock(mu_);
    auto& o = orders_.at(out_trade_no);
    o.state = state;
    o.fee_fen = fee_fen;
    o.transaction_id = "FAKE-" + out_trade_no;
    o.paid_at_ms = 1;
  }
  void Pay(const std::string& out_trade_no, int64_t fee_fen) { SetState(out_trade_no, "SUCCESS", fee_fen); }
  std::optional<ProviderOrder> Order(const std::string& out_trade_no) const {
    std::lock_guard lock(mu_);
    auto it = orders_.find(out_trade_no);
    return it == orders_.end() ? std::nullopt : std::optional(it->second);
  }
  std::string NotifyUrl(const std::string& out_trade_no) const {
    std::lock_guard lock(mu_);
    return notify_urls_.at(out_trade_no);
  }
  int64_t ExpiresAt(const std::string& out_trade_no) const {
    std::lock_guard lock(mu_);
    return expires_.at(out_trade_no);
  }
  int refund_calls() const { return refund_calls_; }
  int refund_queries() const { return refund_queries_; }
  int order_queries(const std::string& out_trade_no) const {
    std::lock_guard lock(mu_);
    auto it = order_queries_.find(out_trade_no);
    return it == order_queries_.end() ? 0 : it->second;
  }
  // Refunds asked from now on answer PROCESSING to the request and to the
  // first `queries` queries, then `final_state`.
  void refunds_take(int queries, RefundState::Kind final_state) {
    std::lock_guard lock(mu_);
    processing_queries_ = queries;
    final_state_ = final_state;
  }
  int64_t returned_fen() const { return returned_fen_; }
  void lose_refund_answers(bool on) { lose_refund_answers_ = on; }

 private:
  const std::string name_ = "fakepay";
  mutable std::mutex mu_;
  std::map<std::string, ProviderOrder> orders_;
  std::map<std::string, std::string> notify_urls_;
  std::map<std::string, int64_t> expires_;
  std::map<std::string, std::string> refunds_;  // refund number -> order
  std::map<std::string, int64_t> refunded_;     // order -> returned so far
  std::map<std::string, int> order_queries_;
  int refund_calls_ = 0;
  int refund_queries_ = 0;
  int64_t returned_fen_ = 0;
  bool lose_refund_answers_ = false;
  int processing_queries_ = -1;  // -1: refunds succeed at once
  RefundState::Kind final_state_ = RefundState::Kind::kSucceeded;
  // Refund number -> (queries left answering PROCESSING, then the final state).
  std::map<std::string, std::pair<int, RefundState::Kind>> pending_;

  // Where a refund stands (mu_ held).
  RefundState StateOf(const std::string& out_refund_no) {
    const auto& [left, final_state] = pending_[out_refund_no];
    if (left >= 0 && (left > 0 || final_state == RefundState::Kind::kProcessing)) {
      return RefundState{RefundState::Kind::kProcessing, "FAKE-" + out_refund_no, std::nullopt};
    }
    return RefundState{left < 0 ? RefundState::Kind::kSucceeded : final_state, "FAKE-" + out_refund_no, 1};
  }
};

class PaymentProvidersTest : public ::testing::Test {
 protected:
  PaymentProvidersTest()
      : svc_(server_.app().store(), server_.clock(), tokens_) {
    svc_.AddSandbox(std::make_unique<payments::SandboxProvider>(server_.app().store(), server_.clock(),
                                                                SandboxConfig{}, "test-secret"));
    auto fake = std::make_unique<FakeProvider>();
    fake_ = fake.get();
    svc_.AddProvider(std::move(fake));
    svc_.set_notify_base_url("http://127.0.0.1:9");
    // The owning domain's handlers: count what they are told.
    payments::PaymentHandlers h;
    h.paid = [this](db::Tx&, const Payment& p, int64_t) -> Status {
      credits_ += 1;
      credited_fen_ += p.amount_fen;
      return {};
    };
    h.closed = [this](db::Tx&, const Payment&, int64_t) -> Status {
      closes_ += 1;
      return {};
    };
    h.refunded = [this](db::Tx&, const Payment&, const payments::PaymentRefund& r, int64_t) -> Status {
      refunds_booked_ += 1;
      last_refund_reason_ = r.reason;
      return {};
    };
    svc_.Handle("gift", std::move(h));
  }

  // A payment with `provider` ("" = the sandbox), opened there unless told not to.
  Payment NewPayment(int64_t ref, int64_t amount, const std::string& provider = "fakepay", bool open = true) {
    auto p = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      payments::NewPayment np;
      np.purpose = "gift";
      np.ref_id = ref;
      np.amount_fen = amount;
      np.description = "测试";
      np.return_url = "/";
      np.provider = provider;
      return svc_.CreateTx(tx, np, server_.clock().NowMs());
    });
    EXPECT_TRUE(p.ok());
    if (open) {
      auto opened = RunSync(svc_.Open(*p, ""));
      EXPECT_TRUE(opened.ok()) << opened.error().key;
    }
    return *p;
  }
  Payment NewPaidPayment(int64_t ref, int64_t amount) {
    const Payment p = NewPayment(ref, amount);
    fake_->Pay(p.out_trade_no, 0);
    EXPECT_EQ(*Notify(p.out_trade_no, "ok:" + p.out_trade_no), ConfirmOutcome::kCredited);
    return p;
  }
  Result<ConfirmOutcome> Notify(const std::string& body, const std::string& signature, const std::string& amount = "") {
    const HeaderLookup header = [&](std::string_view name) -> std::string_view {
      if (name == "x-fake-amount") {
        return amount;
      }
      return name == "x-fake-signature" ? std::string_view(signature) : std::string_view();
    };
    return RunSync(svc_.HandleNotify("fakepay", body, header));
  }
  // A guest's payment: its payer holds the token of its pay link.
  Caller PayerOf(const Payment& p) const { return Caller{std::nullopt, tokens_.Issue("payment", p.public_id)}; }
  std::string StateOf(const Payment& p) { return RunSync(svc_.Get(p.public_id, PayerOf(p)))->status; }
  int64_t RefundRows(int64_t payment_id, const std::string& status) {
    return Count(server_, "SELECT COUNT(*) FROM payment_refunds WHERE payment_id = " + std::to_string(payment_id) +
                              " AND status = '" + status + "'");
  }

  TestServer server_;
  AccessTokens tokens_{"a test secret of at least thirty-two bytes"};
  payments::PaymentsService svc_;
  FakeProvider* fake_ = nullptr;
  std::atomic<int> credits_{0};
  std::atomic<int64_t> credited_fen_{0};
  std::atomic<int> closes_{0};
  std::atomic<int> refunds_booked_{0};
  std::string last_refund_reason_;
};

TEST_F(PaymentProvidersTest, ASecondProviderIsOpenedNotifiedAndCreditedOnce) {
  const Payment p = NewPayment(1, 5000);
  EXPECT_EQ(p.provider, "fakepay");
  EXPECT_EQ(svc_.PayUrl(p), "/pay/fakepay/" + p.public_id + "?token=" + PayerOf(p).token);
  ASSERT_TRUE(fake_->Order(p.out_trade_no));
  EXPECT_EQ(fake_->Order(p.out_trade_no)->amount_fen, 5000);
  EXPECT_EQ(fake_->NotifyUrl(p.out_trade_no), "http://127.0.0.1:9/api/v1/payments/notify/fakepay");
  EXPECT_EQ(fake_->ExpiresAt(p.out_trade_no), p.created_at_ms + payments::PaymentsService::kOrderExpiryMs);
  // Opening again (an Idempotency-Key replay) is not a second order, and
  // hands back the provider's link.
  auto link = RunSync(svc_.Open(p, ""));
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(*link, "https://fakepay.example/h5/" + p.out_trade_no);

  // A forged notification changes nothing and is logged as rejected.
  fake_->Pay(p.out_trade_no, 30);
  auto forged = Notify(p.out_trade_no, "forged");
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().key, "invalid_signature");
  EXPECT_EQ(StateOf(p), "created");
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
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(Count(server_, "SELECT fee_fen FROM payments WHERE id = " + std::to_string(p.id)), 30);
}

TEST_F(PaymentProvidersTest, ANotificationFromOneProviderCannotConfirmAnothersPayment) {
  // A sandbox payment; fakepay (validly signed by fakepay) claims it was paid.
  const Payment p = NewPayment(1, 2500, "");
  EXPECT_EQ(p.provider, "sandbox");
  auto claimed = Notify(p.out_trade_no, "ok:" + p.out_trade_no, "2500");
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(*claimed, ConfirmOutcome::kRejected);
  EXPECT_EQ(StateOf(p), "created");
  EXPECT_EQ(credits_.load(), 0);
}

TEST_F(PaymentProvidersTest, QueriesAndReconciliationAskTheProvider) {
  const Payment paid = NewPayment(1, 1000);
  const Payment unpaid = NewPayment(2, 2000);
  const Payment given_back = NewPayment(3, 3000);
  fake_->Pay(paid.out_trade_no, 0);
  fake_->SetState(given_back.out_trade_no, "REFUND");
  // Asking about an unpaid order confirms nothing.
  EXPECT_EQ(RunSync(svc_.Query(unpaid.public_id, PayerOf(unpaid)))->status, "created");
  // The notification for `paid` was lost: reconciliation finds it, once. An
  // order the provider has already refunded is not money we hold.
  auto n = RunSync(svc_.Reconcile(0));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(*RunSync(svc_.Reconcile(0)), 0);
  EXPECT_EQ(RunSync(svc_.Query(paid.public_id, PayerOf(paid)))->status, "paid");
  EXPECT_EQ(RunSync(svc_.Query(given_back.public_id, PayerOf(given_back)))->status, "created");
  EXPECT_EQ(StateOf(unpaid), "created");
  EXPECT_EQ(credits_.load(), 1);
  // The periodic run leaves payments younger than its threshold alone.
  const Payment fresh = NewPayment(4, 4000);
  fake_->Pay(fresh.out_trade_no, 0);
  EXPECT_EQ(*RunSync(svc_.Reconcile(60 * kSecondMs)), 0);
  EXPECT_EQ(StateOf(fresh), "created");
  server_.clock().Advance(61 * kSecondMs);
  EXPECT_EQ(*RunSync(svc_.Reconcile(60 * kSecondMs)), 1);
  EXPECT_EQ(credits_.load(), 2);
}

TEST_F(PaymentProvidersTest, ReconciliationAsksLessOftenAboutOlderOpenOrdersButConfirmsAndClosesOnTime) {
  using payments::PaymentsService;
  EXPECT_EQ(PaymentsService::NextQueryDelayMs(0), 30 * kSecondMs);
  EXPECT_EQ(PaymentsService::NextQueryDelayMs(20 * kMinuteMs), 5 * kMinuteMs);
  EXPECT_EQ(PaymentsService::NextQueryDelayMs(PaymentsService::kOrderExpiryMs), 10 * kMinuteMs);
  const Payment p = NewPayment(1, 1000);
  const auto round = [&] { return *RunSync(svc_.Reconcile(60 * kSecondMs)); };
  server_.clock().Advance(20 * kMinuteMs);
  EXPECT_EQ(round(), 0);
  EXPECT_EQ(fake_->order_queries(p.out_trade_no), 1);
  // Unpaid at 20 minutes old: not asked again for a quarter of that, 5 minutes.
  for (int i = 0; i < 9; ++i) {
    server_.clock().Advance(30 * kSecondMs);
    EXPECT_EQ(round(), 0);
  }
  EXPECT_EQ(fake_->order_queries(p.out_trade_no), 1);
  // Paid meanwhile, its notification lost: the next due round confirms it.
  fake_->Pay(p.out_trade_no, 0);
  server_.clock().Advance(30 * kSecondMs);
  EXPECT_EQ(round(), 1);
  EXPECT_EQ(fake_->order_queries(p.out_trade_no), 2);
  EXPECT_EQ(credits_.load(), 1);
  // The operator's command asks about every open payment, backed off or not.
  const Payment q = NewPayment(2, 2000);
  server_.clock().Advance(20 * kMinuteMs);
  EXPECT_EQ(round(), 0);
  EXPECT_EQ(*RunSync(svc_.Reconcile(0)), 0);
  EXPECT_EQ(fake_->order_queries(q.out_trade_no), 2);
  // Backed off or not, an order past its expiry is closed on the next round.
  server_.clock().Advance(PaymentsService::kOrderExpiryMs - 20 * kMinuteMs);
  EXPECT_EQ(round(), 0);
  EXPECT_EQ(StateOf(q), "closed");
}

TEST_F(PaymentProvidersTest, UnpaidOrdersExpireAndAreClosedThereAndHere) {
  const Payment unpaid = NewPayment(1, 1000);
  const Payment never_opened = NewPayment(2, 2000, "fakepay", false);
  const Payment at_sandbox = NewPayment(3, 3000, "");
  server_.clock().Advance(payments::PaymentsService::kOrderExpiryMs - kMinuteMs);
  EXPECT_EQ(*RunSync(svc_.Reconcile(60 * kSecondMs)), 0);
  EXPECT_EQ(StateOf(unpaid), "created");  // not expired yet
  server_.clock().Advance(2 * kMinuteMs);
  // The provider itself refuses to take money for an expired order.
  auto late = RunSync(svc_.sandbox()->PayOrder(at_sandbox.out_trade_no));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().key, "payment_not_payable");
  EXPECT_EQ(*RunSync(svc_.Reconcile(60 * kSecondMs)), 0);
  EXPECT_EQ(StateOf(unpaid), "closed");
  EXPECT_EQ(fake_->Order(unpaid.out_trade_no)->state, "CLOSED");
  EXPECT_EQ(StateOf(never_opened), "closed");
  // Closed at the provider too, so a late open (a replay) cannot revive it.
  EXPECT_EQ(fake_->Order(never_opened.out_trade_no)->state, "CLOSED");
  EXPECT_EQ(StateOf(at_sandbox), "closed");
  EXPECT_EQ(closes_.load(), 3);
  // A late payment attempt at the provider is refused there, so nothing is owed.
  EXPECT_EQ(credits_.load(), 0);
}

TEST_F(PaymentProvidersTest, ARefundReturnsTheMoneyOnceAndIsBookedOnce) {
  const Payment p = NewPaidPayment(1, 8800);
  // Refunding an unpaid payment is refused before the provider is asked.
  const Payment open = NewPayment(2, 100);
  auto refused = RunSync(svc_.Refund(open.id, {.reason = "x", .requested_by = std::nullopt}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().key, "payment_not_refundable");
  EXPECT_EQ(fake_->refund_calls(), 0);

  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.reason = "捐错了", .requested_by = 7})).ok());
  EXPECT_EQ(StateOf(p), "refunded");
  EXPECT_EQ(refunds_booked_.load(), 1);
  EXPECT_EQ(last_refund_reason_, "捐错了");
  EXPECT_EQ(fake_->returned_fen(), 8800);
  EXPECT_EQ(RefundRows(p.id, "succeeded"), 1);
  // Asked again: refused here, the provider is not asked again.
  auto twice = RunSync(svc_.Refund(p.id, {.reason = "再退一次", .requested_by = 7}));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().key, "payment_not_refundable");
  EXPECT_EQ(fake_->refund_calls(), 1);
  EXPECT_EQ(refunds_booked_.load(), 1);
}

TEST_F(PaymentProvidersTest, PartRefundsGoBackUnderTheirOwnNumbersNeverBeyondThePayment) {
  const Payment p = NewPaidPayment(1, 8800);
  const payments::RefundAsk part{.amount_fen = 3000, .reason = "退一件", .requested_by = 7, .key = "refund-key-1"};
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, part)).ok());
  EXPECT_EQ(StateOf(p), "paid");  // still paid: 5,800 fen are left
  EXPECT_EQ(fake_->returned_fen(), 3000);
  EXPECT_EQ(refunds_booked_.load(), 1);
  // The same key again is the same refund: answered, not asked of the provider again.
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, part)).ok());
  EXPECT_EQ(fake_->refund_calls(), 1);
  EXPECT_EQ(refunds_booked_.load(), 1);
  // The key with another amount is refused.
  payments::RefundAsk other = part;
  other.amount_fen = 1000;
  auto reused = RunSync(svc_.Refund(p.id, other));
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().key, "idempotency_key_reused");
  // More than is left is refused before the provider is asked.
  auto too_much = RunSync(svc_.Refund(p.id, {.amount_fen = 5801, .reason = "多退", .requested_by = 7, .key = "refund-key-2"}));
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().key, "payment_not_refundable");
  EXPECT_EQ(fake_->refund_calls(), 1);
  // All that is left, under its own number: now the payment is refunded.
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.reason = "全退", .requested_by = 7})).ok());
  EXPECT_EQ(StateOf(p), "refunded");
  EXPECT_EQ(fake_->returned_fen(), 8800);
  EXPECT_EQ(RefundRows(p.id, "succeeded"), 2);
  EXPECT_EQ(refunds_booked_.load(), 2);
  auto after = RunSync(svc_.Refund(p.id, {.amount_fen = 1, .reason = "再退", .requested_by = 7, .key = "refund-key-3"}));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().key, "payment_not_refundable");
}

TEST_F(PaymentProvidersTest, ARefundWhoseAnswerWasLostIsFinishedByReconciliation) {
  const Payment p = NewPaidPayment(1, 8800);
  fake_->lose_refund_answers(true);
  auto lost = RunSync(svc_.Refund(p.id, {.reason = "捐错了", .requested_by = 7}));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().key, "provider_unavailable");
  // The money went back but nothing is booked yet; the request is kept.
  EXPECT_EQ(fake_->returned_fen(), 8800);
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(refunds_booked_.load(), 0);
  EXPECT_EQ(RefundRows(p.id, "requested"), 1);
  // A second request while one is pending is refused (it is the same refund).
  EXPECT_FALSE(RunSync(svc_.Refund(p.id, {.reason = "再退一次", .requested_by = 8})).ok());
  // Reconciliation asks again under the same refund number and books it once.
  fake_->lose_refund_answers(false);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(fake_->returned_fen(), 8800);
  // It asked where the refund stands rather than asking for it again.
  EXPECT_EQ(fake_->refund_calls(), 1);
  EXPECT_EQ(fake_->refund_queries(), 1);
  EXPECT_EQ(StateOf(p), "refunded");
  EXPECT_EQ(refunds_booked_.load(), 1);
  EXPECT_EQ(RefundRows(p.id, "succeeded"), 1);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(refunds_booked_.load(), 1);
}

TEST_F(PaymentProvidersTest, ARefundTheProviderRefusesIsWithdrawn) {
  const Payment p = NewPaidPayment(1, 500);
  fake_->SetState(p.out_trade_no, "CLOSED");  // the provider says it never kept the money
  auto refused = RunSync(svc_.Refund(p.id, {.reason = "x", .requested_by = 7}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().key, "payment_not_refundable");
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(RefundRows(p.id, "requested"), 0);
  EXPECT_EQ(refunds_booked_.load(), 0);
}

TEST_F(PaymentProvidersTest, ARefundStillProcessingIsBookedOnlyOnceTheProviderSaysItSucceeded) {
  const Payment p = NewPaidPayment(1, 6000);
  fake_->refunds_take(2, RefundState::Kind::kSucceeded);
  // The provider took the request: it is under way, nothing is booked.
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.reason = "活动取消", .requested_by = 7})).ok());
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(refunds_booked_.load(), 0);
  EXPECT_EQ(RefundRows(p.id, "requested"), 1);
  // Reconciliation asks where it stands (PROCESSING twice), never asks for it again.
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(refunds_booked_.load(), 0);
  EXPECT_EQ(StateOf(p), "paid");
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(StateOf(p), "refunded");
  EXPECT_EQ(refunds_booked_.load(), 1);
  EXPECT_EQ(fake_->refund_calls(), 1);
  EXPECT_EQ(fake_->refund_queries(), 3);
  EXPECT_EQ(fake_->returned_fen(), 6000);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(refunds_booked_.load(), 1);
  EXPECT_EQ(fake_->refund_queries(), 3);  // a booked refund is not asked about again
}

TEST_F(PaymentProvidersTest, ARefundNoticeBooksAProcessingRefundOnceAndOnlyItsOwn) {
  const Payment p = NewPaidPayment(1, 4000);
  fake_->refunds_take(100, RefundState::Kind::kSucceeded);
  ASSERT_TRUE(RunSync(svc_.Refund(p.id, {.reason = "退款", .requested_by = 7})).ok());
  const std::string refund_no = p.out_trade_no + "R";
  const auto notice = [&](const std::string& trade_no, const std::string& no, const std::string& state) {
    const HeaderLookup header = [&](std::string_view name) -> std::string_view {
      if (name == "x-fake-signature") {
        static thread_local std::string sig;
        sig = "ok:" + trade_no;
        return sig;
      }
      if (name == "x-fake-refund") {
        return no;
      }
      return name == "x-fake-refund-state" ? std::string_view(state) : std::string_view();
    };
    return RunSync(svc_.HandleNotify("fakepay", trade_no, header));
  };
  // Still processing: acknowledged, nothing booked.
  auto processing = notice(p.out_trade_no, refund_no, "PROCESSING");
  ASSERT_TRUE(processing.ok());
  EXPECT_EQ(refunds_booked_.load(), 0);
  // A refund number that is not ours, or not this order's: refused.
  EXPECT_EQ(*notice(p.out_trade_no, refund_no + "X", "SUCCESS"), ConfirmOutcome::kRejected);
  const Payment other = NewPaidPayment(2, 4000);
  EXPECT_EQ(*notice(other.out_trade_no, refund_no, "SUCCESS"), ConfirmOutcome::kRejected);
  EXPECT_EQ(refunds_booked_.load(), 0);
  // Succeeded: booked once, however often it is said.
  EXPECT_EQ(*notice(p.out_trade_no, refund_no, "SUCCESS"), ConfirmOutcome::kCredited);
  EXPECT_EQ(*notice(p.out_trade_no, refund_no, "SUCCESS"), ConfirmOutcome::kDuplicate);
  EXPECT_EQ(StateOf(p), "refunded");
  EXPECT_EQ(refunds_booked_.load(), 1);
  // Reconciliation finds nothing left to ask.
  const int queries = fake_->refund_queries();
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(fake_->refund_queries(), queries);
  EXPECT_EQ(refunds_booked_.load(), 1);
}

TEST_F(PaymentProvidersTest, ARefundTheProviderClosesIsWithdrawnAndAnIgnoredEventIsAcknowledged) {
  const Payment p = NewPaidPayment(1, 3000);
  fake_->refunds_take(0, RefundState::Kind::kClosed);
  auto closed = RunSync(svc_.Refund(p.id, {.reason = "x", .requested_by = 7}));
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().key, "payment_not_refundable");
  EXPECT_EQ(RefundRows(p.id, "requested"), 0);
  EXPECT_EQ(StateOf(p), "paid");
  EXPECT_EQ(refunds_booked_.load(), 0);

  const HeaderLookup header = [](std::string_view name) -> std::string_view {
    if (name == "x-fake-signature") {
      return "ok:{}";
    }
    return name == "x-fake-event" ? "TRANSACTION.CLOSED" : std::string_view();
  };
  auto ignored = RunSync(svc_.HandleNotify("fakepay", "{}", header));
  ASSERT_TRUE(ignored.ok());
  EXPECT_EQ(*ignored, ConfirmOutcome::kIgnored);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE outcome = 'ignored:TRANSACTION.CLOSED'"),
            1);
}

TEST_F(PaymentProvidersTest, CheckoutIsThePayersOnlyWhileThePaymentCanStillBePaid) {
  const Payment p = NewPayment(1, 2000, "", false);  // the sandbox: its page is ours
  using Ask = payments::PaymentsService::CheckoutAsk;
  auto action = RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"", "203.0.113.9", ""}));
  ASSERT_TRUE(action.ok()) << action.error().key;
  EXPECT_EQ(action->kind, payments::PayAction::Kind::kRedirect);
  EXPECT_EQ(action->url, svc_.PayUrl(p));
  // Someone else, an unknown scene, a paid payment: refused, nothing opened twice.
  EXPECT_EQ(RunSync(svc_.Checkout(p.public_id, Caller{}, Ask{})).error().key, "payment_not_found");
  EXPECT_EQ(RunSync(svc_.Checkout(p.public_id, PayerOf(p), Ask{"app"})).error().key, "invalid_choice");
  const Payment paid = NewPaidPayment(3, 2000);
  EXPECT_EQ(StateOf(paid), "paid");
  EXPECT_EQ(RunSync(svc_.Checkout(paid.public_id, PayerOf(paid), Ask{})).error().key, "payment_not_payable");
  // Within a minute of its expiry a payment is no longer handed to a pay sheet.
  const Payment late = NewPayment(2, 2000, "fakepay", false);
  server_.clock().Advance(payments::PaymentsService::kOrderExpiryMs - 60'000);
  EXPECT_EQ(RunSync(svc_.Checkout(late.public_id, PayerOf(late), Ask{"h5"})).error().key, "payment_not_payable");
  EXPECT_FALSE(fake_->Order(late.out_trade_no).has_value());
}

TEST_F(PaymentProvidersTest, MoneyPaidAfterThePaymentClosedIsRefundedInFullAndNeverBooked) {
  const Payment p = NewPayment(1, 2500);
  ASSERT_TRUE(RunSync(svc_.Close(p.id)).ok());
  EXPECT_EQ(StateOf(p), "closed");
  // The payer paid a stale link anyway (Alipay trades exist only once opened:
  // closing cannot prevent it). The notice is kept, not credited.
  fake_->Pay(p.out_trade_no, 0);
  EXPECT_EQ(*Notify(p.out_trade_no, "ok:" + p.out_trade_no), ConfirmOutcome::kOrphan);
  EXPECT_EQ(*Notify(p.out_trade_no, "ok:" + p.out_trade_no), ConfirmOutcome::kOrphan);  // retried: kept once
  EXPECT_EQ(credits_.load(), 0);
  EXPECT_EQ(StateOf(p), "closed");
  auto owed = RunSync(svc_.Orphans());
  ASSERT_TRUE(owed.ok());
  ASSERT_EQ(owed->size(), 1u);
  EXPECT_EQ((*owed)[0].status, "owed");
  EXPECT_EQ((*owed)[0].amount_fen, 2500);
  // Reconciliation gives it all back under its own number, once.
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(fake_->returned_fen(), 2500);
  EXPECT_EQ(fake_->refund_calls(), 1);
  ASSERT_TRUE(RunSync(svc_.Reconcile(0)).ok());
  EXPECT_EQ(fake_->refund_calls(), 1);
  auto settled = RunSync(svc_.Orphans());
  EXPECT_EQ((*settled)[0].status, "refunded");
  EXPECT_EQ((*settled)[0].out_refund_no, p.out_trade_no + "X");
  EXPECT_EQ(credits_.load(), 0);
  EXPECT_EQ(refunds_booked_.load(), 0);  // the books never saw it

  // Only fund admins see the list.
  Client anonymous(server_);
  EXPECT_EQ(anonymous.Get("/api/v1/payments/orphans").status, 401);
  Client resident = UserWith(server_, "13800000011", {});
  EXPECT_EQ(resident.Get("/api/v1/payments/orphans").status, 403);
  Client admin = UserWith(server_, "13800000012", {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  const auto listed = admin.Get("/api/v1/payments/orphans");
  EXPECT_EQ(listed.status, 200) << listed.body;
}

TEST_F(PaymentProvidersTest, ACancelBeforeTheOrderWasOpenedCannotBeRevived) {
  // The payer cancels in the instant between the donation's commit and its
  // order being opened at the sandbox; the late open must not make it payable.
  const Payment p = NewPayment(1, 1000, "", false);
  auto cancelled = RunSync(svc_.Cancel(p.public_id, PayerOf(p)));
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().key;
  EXPECT_EQ(cancelled->status, "closed");
  EXPECT_TRUE(RunSync(svc_.Open(p, "")).ok());
  auto paid = RunSync(svc_.sandbox()->PayOrder(p.out_trade_no));
  ASSERT_FALSE(paid.ok());
  EXPECT_EQ(paid.error().key, "payment_not_payable");
  EXPECT_EQ(StateOf(p), "closed");
  EXPECT_EQ(credits_.load(), 0);
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
