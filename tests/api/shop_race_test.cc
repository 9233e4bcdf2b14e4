// The shop's stock under a crowd: on PostgreSQL through two Apps on one
// database (two servers at READ COMMITTED), on SQLite through the one
// writer. Each test fails against a check-then-act version (read the stock,
// decide in C++, write).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>

#include "core/run_sync.h"
#include "domains/fund/ledger.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

using accounts::Principal;
using accounts::Role;
using accounts::RoleGrant;

constexpr int kBuyers = 40;
constexpr int64_t kLastItems = 7;

class ShopRaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    second_ = SecondApp(server_);
    db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      org_ = tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ('博睿社工', "
                      "'52440605MJL1001X2A', '5A', 0) RETURNING id")
                 .front()
                 .Int(0);
      venue_ = tx.Query("INSERT INTO venues (name, address, map_url, org_id, created_at_ms) VALUES "
                        "('关爱桂城企业创享家', '桂城街道', '', NULL, 0) RETURNING id")
                   .front()
                   .Int(0);
      return true;
    });
    staff_ = Person("13900000000", {RoleGrant{Role::kOrgStaff, org_}});
    admin_ = Person("13900000001", {RoleGrant{Role::kFundAdmin}});
    for (int i = 0; i < kBuyers; ++i) {
      buyers_.push_back(Person("1390001" + std::to_string(1000 + i), {}));
    }
  }
  void TearDown() override { second_.reset(); }

  Principal Person(const std::string& phone, std::vector<RoleGrant> roles) {
    auto& accounts = server_.app().accounts();
    Principal p;
    p.display_name = "买家" + phone.substr(7);
    p.roles = roles;
    p.user_id = *db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return accounts.EnsureUserTx(tx, {accounts::Login::Kind::kPhone, phone}, p.display_name, "x", roles, "");
    });
    return p;
  }
  shop::ShopService& Shop(size_t i) { return (second_ && i % 2 == 1) ? second_->shop() : server_.app().shop(); }
  // An approved listing with `stock` left.
  shop::Product Listing(int64_t stock, Fen price = 5000, shop::Donation d = {"percent", 40}) {
    shop::ProductInput in{org_, "长者手工香囊", "", "handmade", price, stock, d};
    auto p = RunSync(server_.app().shop().CreateProduct(staff_, in));
    EXPECT_TRUE(p.ok());
    auto approved = RunSync(server_.app().shop().Review(admin_, p->public_id, true, std::nullopt));
    EXPECT_TRUE(approved.ok());
    return *approved;
  }
  shop::CheckoutInput Checkout(const shop::Product& p, int64_t quantity) {
    shop::CheckoutInput in;
    in.items = {{p.public_id, quantity}};
    in.fulfilment = "pickup";
    in.venue_id = venue_;
    return in;
  }
  int64_t Stock(const shop::Product& p) {
    return Count(server_, "SELECT stock FROM shop_products WHERE id = " + std::to_string(p.id));
  }

  TestServer server_;
  std::unique_ptr<app::App> second_;
  int64_t org_ = 0;
  int64_t venue_ = 0;
  Principal staff_;
  Principal admin_;
  std::vector<Principal> buyers_;
};

TEST_F(ShopRaceTest, FortyBuyersForTheLastSevenItemsMakeExactlySevenOrders) {
  const shop::Product p = Listing(kLastItems);
  std::atomic<int> ordered{0}, sold_out{0}, other{0};
  std::vector<std::string> payments(kBuyers);
  RunAtOnce(kBuyers, [&](size_t i) -> boost::asio::awaitable<void> {
    shop::CheckoutInput in = Checkout(p, 1);
    std::string key = "race-key-" + std::to_string(i);  // named: no temporary inside co_await (g++ 12)
    auto r = co_await Shop(i).PlaceOrder(buyers_[i], std::move(in), std::move(key));
    if (r.ok()) {
      ++ordered;
      payments[i] = r->payment.public_id;
    } else if (r.error().key == "shop.sold_out") {
      ++sold_out;
    } else {
      ++other;
    }
  });
  EXPECT_EQ(ordered.load(), kLastItems);
  EXPECT_EQ(sold_out.load(), kBuyers - kLastItems);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Stock(p), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders"), kLastItems);
  EXPECT_EQ(Count(server_, "SELECT COALESCE(SUM(quantity), 0) FROM shop_order_lines"), kLastItems);
  // Paying them all leaves the stock at 0 and the books balanced.
  for (size_t i = 0; i < payments.size(); ++i) {
    if (payments[i].empty()) {
      continue;
    }
    Caller caller;
    caller.user_id = buyers_[i].user_id;
    auto paid = RunSync(server_.app().payments().SandboxPay(payments[i], caller));
    EXPECT_TRUE(paid.ok()) << paid.error().key;
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE status = 'ready_for_pickup'"), kLastItems);
  EXPECT_EQ(Stock(p), 0);
  auto books = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
  EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
}

TEST_F(ShopRaceTest, ExpiryRunOnTwoServersAtOnceReleasesEachOrderOnce) {
  const shop::Product p = Listing(10);
  for (int i = 0; i < 5; ++i) {
    auto r = RunSync(server_.app().shop().PlaceOrder(buyers_[i], Checkout(p, 2), "exp-key-" + std::to_string(i)));
    ASSERT_TRUE(r.ok()) << r.error().key;
  }
  EXPECT_EQ(Stock(p), 0);
  server_.clock().Advance(16 * kMinuteMs);
  RunAtOnce(4, [&](size_t i) -> boost::asio::awaitable<void> {
    auto r = co_await Shop(i).ExpireDueOrders();
    EXPECT_TRUE(r.ok());
  });
  EXPECT_EQ(Stock(p), 10);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE status = 'expired'"), 5);
}

TEST_F(ShopRaceTest, CancelAgainstPayEndsEitherPaidOrCancelledNeverBoth) {
  const shop::Product p = Listing(kBuyers);
  std::vector<shop::OrderCreated> orders;
  for (int i = 0; i < 10; ++i) {
    auto r = RunSync(server_.app().shop().PlaceOrder(buyers_[i], Checkout(p, 1), "cvp-key-" + std::to_string(i)));
    ASSERT_TRUE(r.ok()) << r.error().key;
    orders.push_back(*r);
  }
  RunAtOnce(20, [&](size_t i) -> boost::asio::awaitable<void> {
    const size_t n = i / 2;
    if (i % 2 == 0) {
      std::string id = orders[n].order.public_id;
      auto r = co_await Shop(i).CancelOrder(buyers_[n], std::move(id));
      (void)r;
    } else {
      Caller caller;
      caller.user_id = buyers_[n].user_id;
      std::string id = orders[n].payment.public_id;
      auto r = co_await server_.app().payments().SandboxPay(std::move(id), std::move(caller));
      (void)r;
    }
  });
  const int64_t paid = Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE status = 'ready_for_pickup'");
  const int64_t cancelled = Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE status = 'cancelled'");
  EXPECT_EQ(paid + cancelled, 10);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payments WHERE purpose = 'shop_order' AND status = 'paid'"), paid);
  EXPECT_EQ(Stock(p), kBuyers - paid);  // each cancelled order's item came back once
}

TEST_F(ShopRaceTest, OneBuyerCheckingOutTenTimesAtOnceHoldsAtMostThreeUnpaidOrders) {
  const shop::Product p = Listing(20);
  RunAtOnce(10, [&](size_t i) -> boost::asio::awaitable<void> {
    shop::CheckoutInput in = Checkout(p, 1);
    std::string key = "hoard-key-" + std::to_string(i);
    auto r = co_await Shop(i).PlaceOrder(buyers_[0], std::move(in), std::move(key));
    (void)r;
  });
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE status = 'pending_payment'"), 3);
  EXPECT_EQ(Stock(p), 17);  // the refused ones reserved nothing
}

TEST_F(ShopRaceTest, LineRefundsAtOnceNeverGiveBackMoreThanWasBought) {
  const shop::Product p = Listing(20, 3000, {"fixed", 1000});
  auto placed = RunSync(server_.app().shop().PlaceOrder(buyers_[0], Checkout(p, 10), "refund-race-order"));
  ASSERT_TRUE(placed.ok()) << placed.error().key;
  Caller payer;
  payer.user_id = buyers_[0].user_id;
  ASSERT_TRUE(RunSync(server_.app().payments().SandboxPay(placed->payment.public_id, payer)).ok());
  ASSERT_EQ(Stock(p), 10);
  const std::string order = placed->order.public_id;
  // Two servers, fourteen refunds of one item each and six of all that is
  // left, all at once: whichever get through, never more than ten go back.
  RunAtOnce(20, [&](size_t i) -> boost::asio::awaitable<void> {
    std::vector<shop::OrderItem> items;
    if (i % 10 >= 3) {
      items.push_back({p.public_id, 1});
    }
    std::string id = order;
    std::string why = "买家退货";
    std::string key = "race-refund-" + std::to_string(i);
    auto r = co_await Shop(i).RefundOrder(admin_, std::move(id), std::move(why), std::move(items), std::move(key));
    (void)r;
  });
  const auto refunded = [&] {
    return Count(server_, "SELECT refunded_quantity FROM shop_order_lines WHERE product_id = " + std::to_string(p.id));
  };
  const int64_t first = refunded();
  EXPECT_LE(first, 10);
  EXPECT_GE(first, 1);
  EXPECT_EQ(Stock(p), 10 + first);
  EXPECT_EQ(Count(server_, "SELECT refunded_fen FROM payments WHERE purpose = 'shop_order'"), first * 3000);
  EXPECT_EQ(Count(server_, "SELECT COALESCE(SUM(amount_fen), 0) FROM sandbox_refunds"), first * 3000);
  // What is left goes back one by one, then nothing more.
  for (int64_t n = first; n < 10; ++n) {
    auto r = RunSync(server_.app().shop().RefundOrder(admin_, order, "买家退货", {{p.public_id, 1}},
                                                      "after-race-" + std::to_string(n)));
    ASSERT_TRUE(r.ok()) << r.error().key;
  }
  auto more = RunSync(server_.app().shop().RefundOrder(admin_, order, "买家退货", {{p.public_id, 1}}, "one-too-many"));
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().key, "shop.order_not_refundable");  // refunded: nothing is left
  EXPECT_EQ(refunded(), 10);
  EXPECT_EQ(Stock(p), 20);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE status = 'refunded'"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payments WHERE purpose = 'shop_order' AND status = 'refunded'"), 1);
  EXPECT_EQ(Count(server_, "SELECT COALESCE(SUM(amount_fen), 0) FROM sandbox_refunds"), 30000);
  auto books = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
  EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
  EXPECT_EQ(Count(server_, "SELECT COALESCE(SUM(balance_fen), 0) FROM fund_accounts WHERE code = 'fund:general'"), 0);
}

}  // namespace
}  // namespace carecity::testing
