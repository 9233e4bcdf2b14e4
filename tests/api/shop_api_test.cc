// 公益商城 over HTTP: listings approved by the fund, orders that reserve
// stock (and give it back exactly once), payment, pickup and delivery,
// refunds, and who may see what.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/run_sync.h"
#include "domains/fund/ledger.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

int64_t InsertVenue(TestServer& s) {
  return db::WriteSync(s.app().store(), [](db::Tx& tx) {
    return tx.Query("INSERT INTO venues (name, address, map_url, org_id, created_at_ms) VALUES "
                    "('关爱桂城企业创享家', '桂城街道南五路', '', NULL, 0) RETURNING id")
        .front()
        .Int(0);
  });
}

class ShopApiTest : public ::testing::Test {
 protected:
  json::object ProductBody(int64_t org, int64_t price, int64_t stock, const json::object& donation,
                           const std::string& title = "手工香囊", const std::string& category = "handmade") {
    return json::object{{"org_id", org},       {"title", title},     {"description", "**长者**手工制作"},
                        {"category", category}, {"price_fen", price}, {"stock", stock},
                        {"donation", donation}};
  }
  // A listing of org A (by staff_a_), approved unless told otherwise.
  std::string Product(int64_t price, int64_t stock, const json::object& donation = {{"kind", "all"}},
                      bool approve = true, const std::string& title = "手工香囊", Client* staff = nullptr,
                      int64_t org = 0) {
    auto r = (staff ? *staff : staff_a_).Post("/api/v1/shop/products",
                                              ProductBody(org ? org : org_a_, price, stock, donation, title));
    EXPECT_EQ(r.status, 201) << r.body;
    std::string id(r.json.at("product").at("id").as_string());
    if (approve) {
      EXPECT_EQ(admin_.PostRaw("/api/v1/shop/products/" + id + "/approve", "{}").status, 200);
    }
    return id;
  }
  int64_t Stock(const std::string& product) {
    return Count(server_, "SELECT stock FROM shop_products WHERE public_id = '" + product + "'");
  }
  json::object Pickup() const { return json::object{{"kind", "pickup"}, {"venue_id", venue_}}; }
  json::object Delivery() const {
    return json::object{{"kind", "delivery"}, {"name", "陈阿姨"}, {"phone", "13912345678"}, {"address", "桂城街道平洲路 8 号 301"}};
  }
  HttpResult Order(Client& c, const json::array& items, const std::string& key, const json::object& fulfilment) {
    return c.Post("/api/v1/shop/orders", json::object{{"items", items}, {"fulfilment", fulfilment}},
                  {{"Idempotency-Key", key}});
  }
  json::array Items(const std::string& product, int64_t quantity) {
    return json::array{json::object{{"product_id", product}, {"quantity", quantity}}};
  }
  // Places an order and returns {order id, payment id}.
  std::pair<std::string, std::string> Ordered(Client& c, const std::string& product, int64_t quantity,
                                              const std::string& key, const json::object& fulfilment) {
    auto r = Order(c, Items(product, quantity), key, fulfilment);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) {
      return {};
    }
    return {std::string(r.json.at("order").at("id").as_string()),
            std::string(r.json.at("payment").at("id").as_string())};
  }
  HttpResult Pay(Client& c, const std::string& payment) {
    return c.PostRaw("/api/v1/payments/sandbox/" + payment + "/pay", "{}");
  }
  json::value OrderOf(Client& c, const std::string& id) { return c.Get("/api/v1/shop/orders/" + id).json; }

  TestServer server_;
  int64_t org_a_ = InsertOrg(server_, "博睿社工", "52440605MJL1001X2A");
  int64_t org_b_ = InsertOrg(server_, "桂城义工联", "52440605MJL1002X2B");
  int64_t venue_ = InsertVenue(server_);
  Client staff_a_ = UserWith(server_, "13800000001", {OrgStaff(org_a_)});
  Client staff_b_ = UserWith(server_, "13800000002", {OrgStaff(org_b_)});
  Client admin_ = UserWith(server_, "13800000003", {RoleGrant{Role::kFundAdmin}});
  Client buyer_ = UserWith(server_, "13800000004");
  Client other_ = UserWith(server_, "13800000005");
};

TEST_F(ShopApiTest, AListingSellsOnlyOnceAFundAdminApprovesIt) {
  auto r = staff_a_.Post("/api/v1/shop/products", ProductBody(org_a_, 3800, 10, {{"kind", "percent"}, {"value", 50}}));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto& product = r.json.at("product");
  EXPECT_EQ(product.at("status").as_string(), "pending_approval");
  const std::string id(product.at("id").as_string());
  EXPECT_EQ(id.size(), 20u);  // a public id, not a sequence
  Client guest(server_);
  EXPECT_EQ(guest.Get("/api/v1/shop/products/" + id).status, 404);
  EXPECT_EQ(guest.Get("/api/v1/shop/products").json.at("products").as_array().size(), 0u);
  EXPECT_EQ(staff_a_.Get("/api/v1/shop/products/" + id).status, 200);  // its own staff see it
  EXPECT_EQ(staff_b_.Get("/api/v1/shop/products/" + id).status, 404);
  EXPECT_EQ(Order(buyer_, Items(id, 1), "key-00000001", Pickup()).error_code(), "shop.not_on_sale");

  EXPECT_EQ(staff_a_.PostRaw("/api/v1/shop/products/" + id + "/approve", "{}").status, 403);  // staff do not approve
  EXPECT_EQ(admin_.PostRaw("/api/v1/shop/products/" + id + "/approve", "{}").status, 200);
  EXPECT_EQ(admin_.PostRaw("/api/v1/shop/products/" + id + "/approve", "{}").error_code(), "shop.product_not_pending");

  auto page = guest.Get("/api/v1/shop/products/" + id);
  ASSERT_EQ(page.status, 200) << page.body;
  const auto& p = page.json.at("product");
  EXPECT_EQ(p.at("stock").as_int64(), 10);
  EXPECT_EQ(p.at("donation_fen").as_int64(), 1900);
  EXPECT_EQ(p.at("goods_value_fen").as_int64(), 1900);
  EXPECT_EQ(p.at("org").at("name").as_string(), "博睿社工");
  EXPECT_EQ(p.at("fundraiser").at("name").as_string(), server_.app().config().fund.fundraiser_name);
  EXPECT_EQ(p.at("fund_purpose").at("filing_no").as_string(), server_.app().config().fund.general_filing_no);
  EXPECT_EQ(guest.Get("/api/v1/shop/products").json.at("products").as_array().size(), 1u);
}

TEST_F(ShopApiTest, FundAdminsListEveryOrganisationsListingsWaitingForReviewAndNobodyElseDoes) {
  const std::string a = Product(1000, 5, {{"kind", "all"}}, false, "香囊", &staff_a_, org_a_);
  const std::string b = Product(2000, 5, {{"kind", "all"}}, false, "徽章", &staff_b_, org_b_);
  const std::string on_sale = Product(3000, 5);
  auto r = admin_.Get("/api/v1/shop/products?status=pending_approval");
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> ids;
  for (const auto& p : r.json.at("products").as_array()) {
    ids.emplace_back(p.at("id").as_string());
    EXPECT_EQ(p.at("status").as_string(), "pending_approval");
  }
  EXPECT_EQ(ids, (std::vector<std::string>{b, a}));  // both organisations, newest first, not the approved one
  EXPECT_EQ(admin_.Get("/api/v1/shop/products?status=pending_approval&org_id=" + std::to_string(org_a_))
                .json.at("products").as_array().size(),
            1u);
  // Staff (even of a listing's own organisation), buyers and guests: forbidden.
  EXPECT_EQ(staff_a_.Get("/api/v1/shop/products?status=pending_approval").status, 403);
  EXPECT_EQ(buyer_.Get("/api/v1/shop/products?status=pending_approval").status, 403);
  EXPECT_EQ(Client(server_).Get("/api/v1/shop/products?status=pending_approval").status, 403);
  EXPECT_EQ(admin_.Get("/api/v1/shop/products?status=withdrawn").error_field(), "status");
  // The default stays the public list of approved listings.
  auto pub = Client(server_).Get("/api/v1/shop/products");
  ASSERT_EQ(pub.json.at("products").as_array().size(), 1u);
  EXPECT_EQ(pub.json.at("products").as_array()[0].at("id").as_string(), on_sale);
}

TEST_F(ShopApiTest, RejectionNeedsAReasonAndKeepsTheListingOffSale) {
  const std::string id = Product(1000, 5, {{"kind", "all"}}, false);
  EXPECT_EQ(admin_.PostRaw("/api/v1/shop/products/" + id + "/reject", "{}").error_field(), "reason");
  auto r = admin_.Post("/api/v1/shop/products/" + id + "/reject", json::object{{"reason", "图片不清晰"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("product").at("status").as_string(), "rejected");
  EXPECT_EQ(Client(server_).Get("/api/v1/shop/products/" + id).status, 404);
  // An edit sends it back to review.
  auto edited = staff_a_.Send("PATCH", "/api/v1/shop/products/" + id, R"({"title":"手工香囊（新图）"})",
                              {{"Content-Type", "application/json"}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json.at("product").at("status").as_string(), "pending_approval");
}

TEST_F(ShopApiTest, OnlyTheOrganisationsStaffManageItsListingsAndBadInputChangesNothing) {
  EXPECT_EQ(staff_b_.Post("/api/v1/shop/products", ProductBody(org_a_, 1000, 1, {{"kind", "all"}})).status, 403);
  EXPECT_EQ(buyer_.Post("/api/v1/shop/products", ProductBody(org_a_, 1000, 1, {{"kind", "all"}})).status, 403);
  EXPECT_EQ(Client(server_).Post("/api/v1/shop/products", ProductBody(org_a_, 1000, 1, {{"kind", "all"}})).status, 401);
  struct Bad {
    json::object body;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {ProductBody(org_a_, 1000, 1, {{"kind", "all"}}, "手工", "food"), "category"},
      {ProductBody(org_a_, 0, 1, {{"kind", "all"}}), "price_fen"},
      {ProductBody(org_a_, 1000, -1, {{"kind", "all"}}), "stock"},
      {ProductBody(org_a_, 1000, 1, {{"kind", "fixed"}, {"value", 1001}}), "donation.value"},
      {ProductBody(org_a_, 1000, 1, {{"kind", "percent"}, {"value", 0}}), "donation.value"},
      {ProductBody(org_a_, 1000, 1, {{"kind", "percent"}, {"value", 101}}), "donation.value"},
      {ProductBody(org_a_, 1000, 1, {{"kind", "half"}}), "donation.kind"},
      {ProductBody(org_a_, 1000, 1, {{"kind", "all"}}, "x"), "title"},
  };
  for (const Bad& b : bad) {
    auto r = staff_a_.Post("/api/v1/shop/products", b.body);
    EXPECT_EQ(r.status, 400) << json::serialize(b.body);
    EXPECT_EQ(r.error_field(), b.field) << r.body;
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_products"), 0);

  const std::string pending = Product(1000, 3, {{"kind", "all"}}, false);
  const std::string approved = Product(1000, 3);
  const auto restock = [&](Client& c, const std::string& id) {
    return c.Post("/api/v1/shop/products/" + id + "/restock", json::object{{"quantity", 2}});
  };
  EXPECT_EQ(restock(staff_b_, pending).status, 404);   // not theirs and not public: as if absent
  EXPECT_EQ(restock(staff_b_, approved).status, 403);  // public, but not theirs
  EXPECT_EQ(restock(buyer_, approved).status, 403);
  EXPECT_EQ(staff_a_.Post("/api/v1/shop/products/" + approved + "/restock", json::object{{"quantity", 0}}).error_field(),
            "quantity");
  EXPECT_EQ(Stock(approved), 3);
  auto r = restock(staff_a_, approved);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("product").at("stock").as_int64(), 5);
  EXPECT_EQ(staff_b_.PostRaw("/api/v1/shop/products/" + approved + "/withdraw", "{}").status, 403);
  EXPECT_EQ(staff_a_.PostRaw("/api/v1/shop/products/" + approved + "/withdraw", "{}").status, 200);
  EXPECT_EQ(staff_a_.PostRaw("/api/v1/shop/products/" + approved + "/withdraw", "{}").error_code(),
            "shop.product_withdrawn");
  EXPECT_EQ(Client(server_).Get("/api/v1/shop/products/" + approved).status, 404);
  // Staff list every state of their own organisation's listings only.
  EXPECT_EQ(staff_a_.Get("/api/v1/shop/orgs/" + std::to_string(org_a_) + "/products").json.at("products").as_array().size(), 2u);
  EXPECT_EQ(staff_b_.Get("/api/v1/shop/orgs/" + std::to_string(org_a_) + "/products").status, 403);
}

TEST_F(ShopApiTest, TheListFiltersSearchesLiterallyAndPages) {
  Product(1000, 1, {{"kind", "all"}}, true, "手工香囊");
  Product(5000, 1, {{"kind", "all"}}, true, "100%纯棉布袋");
  Product(8000, 1, {{"kind", "all"}}, true, "桂城纪念册", &staff_b_, org_b_);
  Client guest(server_);
  const auto n = [&](const std::string& q) {
    auto r = guest.Get("/api/v1/shop/products" + q);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.at("products").as_array().size();
  };
  EXPECT_EQ(n(""), 3u);
  EXPECT_EQ(n("?org_id=" + std::to_string(org_b_)), 1u);
  EXPECT_EQ(n("?min_price_fen=2000&max_price_fen=6000"), 1u);
  EXPECT_EQ(n("?category=handmade"), 3u);
  EXPECT_EQ(n("?category=books"), 0u);
  EXPECT_EQ(n("?q=%E9%A6%99%E5%9B%8A"), 1u);  // 香囊
  EXPECT_EQ(n("?q=100%25"), 1u);               // "100%": the % is a character, not a wildcard
  EXPECT_EQ(n("?q=%25"), 1u);
  EXPECT_EQ(n("?q=_"), 0u);
  EXPECT_EQ(guest.Get("/api/v1/shop/products?category=food").error_field(), "category");
  EXPECT_EQ(guest.Get("/api/v1/shop/products?before=1").error_field(), "before");
  auto first = guest.Get("/api/v1/shop/products?limit=2");
  ASSERT_EQ(first.json.at("products").as_array().size(), 2u);
  const std::string cursor(first.json.at("next_cursor").as_string());
  auto second = guest.Get("/api/v1/shop/products?limit=2&before=" + cursor);
  ASSERT_EQ(second.json.at("products").as_array().size(), 1u);
  EXPECT_TRUE(second.json.at("next_cursor").is_null());
}

TEST_F(ShopApiTest, AnOrderReservesStockAndItsKeyReplaysTheSameOrder) {
  const std::string a = Product(3000, 5, {{"kind", "fixed"}, {"value", 1000}});
  const std::string b = Product(2000, 5, {{"kind", "percent"}, {"value", 25}}, true, "书签", &staff_b_, org_b_);
  const json::array items{json::object{{"product_id", a}, {"quantity", 2}},
                          json::object{{"product_id", b}, {"quantity", 1}}};
  EXPECT_EQ(Client(server_).Post("/api/v1/shop/orders", json::object{{"items", items}, {"fulfilment", Pickup()}},
                                 {{"Idempotency-Key", "key-00000001"}})
                .status,
            401);
  EXPECT_EQ(buyer_.Post("/api/v1/shop/orders", json::object{{"items", items}, {"fulfilment", Pickup()}}).error_field(),
            "Idempotency-Key");
  auto r = Order(buyer_, items, "key-00000001", Pickup());
  ASSERT_EQ(r.status, 201) << r.body;
  const auto& order = r.json.at("order");
  EXPECT_EQ(order.at("status").as_string(), "pending_payment");
  EXPECT_EQ(order.at("total_fen").as_int64(), 8000);
  EXPECT_EQ(order.at("donation_fen").as_int64(), 2500);  // 2 × 1000 + 25% of 2000
  EXPECT_EQ(std::string(r.json.at("payment").at("pay_url").as_string()).rfind("/pay/sandbox/", 0), 0u);
  EXPECT_EQ(Stock(a), 3);
  EXPECT_EQ(Stock(b), 4);

  auto replay = Order(buyer_, items, "key-00000001", Pickup());
  ASSERT_EQ(replay.status, 201) << replay.body;
  EXPECT_EQ(replay.json.at("order").at("id"), order.at("id"));
  EXPECT_EQ(replay.json.at("payment").at("id"), r.json.at("payment").at("id"));
  EXPECT_EQ(Stock(a), 3);
  EXPECT_EQ(Order(buyer_, Items(a, 1), "key-00000001", Pickup()).error_code(), "idempotency_key_reused");
  // Keys are per buyer: another buyer's same key is their own order.
  EXPECT_EQ(Order(other_, Items(a, 1), "key-00000001", Pickup()).status, 201);
  EXPECT_EQ(Stock(a), 2);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders"), 2);
}

TEST_F(ShopApiTest, CheckoutsPerBuyerAreRateLimitedAndTheRefusedOneReservesNothing) {
  const int64_t limit = server_.app().config().rate_limits.checkout_per_account.max;
  const std::string a = Product(1000, 2 * limit);
  for (int64_t i = 0; i < limit; ++i) {
    const auto placed = Ordered(buyer_, a, 1, "rl-key-" + std::to_string(i), Pickup());
    ASSERT_EQ(buyer_.PostRaw("/api/v1/shop/orders/" + placed.first + "/cancel", "{}").status, 200);
  }
  auto refused = Order(buyer_, Items(a, 1), "rl-key-over", Pickup());
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_EQ(Stock(a), 2 * limit);  // every cancelled order's item came back; the refused one took none
  // Another buyer is not held up; the window passes and the buyer may order again.
  EXPECT_EQ(Order(other_, Items(a, 1), "rl-other", Pickup()).status, 201);
  server_.clock().Advance(server_.app().config().rate_limits.checkout_per_account.window_s * 1000 + 1);
  EXPECT_EQ(Order(buyer_, Items(a, 1), "rl-key-over", Pickup()).status, 201);
}

TEST_F(ShopApiTest, ABuyerHoldsAtMostThreeUnpaidOrdersAndTheFourthReservesNothing) {
  const std::string a = Product(1000, 10);
  std::vector<std::pair<std::string, std::string>> orders;
  for (int i = 1; i <= 3; ++i) {
    orders.push_back(Ordered(buyer_, a, 1, "unpaid-key-" + std::to_string(i), Pickup()));
  }
  auto fourth = Order(buyer_, Items(a, 1), "unpaid-key-4", Pickup());
  EXPECT_EQ(fourth.status, 409);
  EXPECT_EQ(fourth.error_code(), "shop.too_many_unpaid");
  EXPECT_EQ(Stock(a), 7);
  // A retry of one of the three is still answered; another buyer is not held up.
  EXPECT_EQ(Order(buyer_, Items(a, 1), "unpaid-key-1", Pickup()).status, 201);
  EXPECT_EQ(Order(other_, Items(a, 1), "other-key-1", Pickup()).status, 201);
  // Paying one or cancelling one makes room.
  ASSERT_EQ(Pay(buyer_, orders[0].second).status, 200);
  EXPECT_EQ(Order(buyer_, Items(a, 1), "unpaid-key-4", Pickup()).status, 201);
  EXPECT_EQ(Order(buyer_, Items(a, 1), "unpaid-key-5", Pickup()).error_code(), "shop.too_many_unpaid");
  ASSERT_EQ(buyer_.PostRaw("/api/v1/shop/orders/" + orders[1].first + "/cancel", "{}").status, 200);
  EXPECT_EQ(Order(buyer_, Items(a, 1), "unpaid-key-5", Pickup()).status, 201);
}

TEST_F(ShopApiTest, SoldOutNamesTheProductAndReservesNothing) {
  const std::string a = Product(1000, 5);
  const std::string b = Product(1000, 1, {{"kind", "all"}}, true, "书签");
  const json::array items{json::object{{"product_id", a}, {"quantity", 2}},
                          json::object{{"product_id", b}, {"quantity", 2}}};
  auto r = Order(buyer_, items, "key-00000001", Pickup());
  ASSERT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.error_code(), "shop.sold_out");
  EXPECT_EQ(r.json.at("error").at("product_id").as_string(), b);
  EXPECT_EQ(Stock(a), 5);  // the first line's reservation went back with the rest
  EXPECT_EQ(Stock(b), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payments"), 0);
  // The same key can be used again once the stock allows it.
  EXPECT_EQ(Order(buyer_, items, "key-00000001", Pickup()).status, 409);
  EXPECT_EQ(Order(buyer_, Items(a, 1), "key-00000001", Pickup()).status, 201);
}

TEST_F(ShopApiTest, BadOrdersAreRefusedNamingTheFieldAndChangeNothing) {
  const std::string a = Product(1000, 5);
  struct Bad {
    json::object body;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {{{"items", json::array{}}, {"fulfilment", Pickup()}}, "items"},
      {{{"items", Items(a, 0)}, {"fulfilment", Pickup()}}, "items[0].quantity"},
      {{{"items", Items(a, 100)}, {"fulfilment", Pickup()}}, "items[0].quantity"},
      {{{"items", json::array{json::object{{"product_id", a}, {"quantity", 1}}, json::object{{"product_id", a}, {"quantity", 1}}}},
        {"fulfilment", Pickup()}},
       "items[1].product_id"},
      {{{"items", Items(a, 1)}, {"fulfilment", json::object{{"kind", "drone"}}}}, "fulfilment.kind"},
      {{{"items", Items(a, 1)}, {"fulfilment", json::object{{"kind", "pickup"}}}}, "fulfilment.venue_id"},
      {{{"items", Items(a, 1)},
        {"fulfilment", json::object{{"kind", "delivery"}, {"name", "陈"}, {"phone", "123"}, {"address", "桂城街道平洲路"}}}},
       "fulfilment.phone"},
      {{{"items", Items(a, 1)}}, "fulfilment"},
  };
  int i = 0;
  for (const Bad& b : bad) {
    auto r = buyer_.Post("/api/v1/shop/orders", b.body, {{"Idempotency-Key", "key-bad-" + std::to_string(i++)}});
    EXPECT_EQ(r.status, 400) << json::serialize(b.body) << r.body;
    EXPECT_EQ(r.error_field(), b.field) << r.body;
  }
  auto unknown = Order(buyer_, Items("AAAAAAAAAAAAAAAAAAAA", 1), "key-00000009", Pickup());
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_field(), "items[0].product_id");
  auto venue = Order(buyer_, Items(a, 1), "key-00000010", json::object{{"kind", "pickup"}, {"venue_id", 999}});
  EXPECT_EQ(venue.status, 404);
  EXPECT_EQ(venue.error_field(), "fulfilment.venue_id");
  EXPECT_EQ(Stock(a), 5);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders"), 0);
}

TEST_F(ShopApiTest, AnOrderAnswersItsBuyerItsSellersAndFundAdminsOnlyAndMasksTheAddress) {
  const std::string a = Product(1000, 5);
  auto [order, payment] = Ordered(buyer_, a, 1, "key-00000001", Delivery());
  const auto mine = OrderOf(buyer_, order);
  ASSERT_TRUE(mine.is_object());
  EXPECT_EQ(mine.at("order").at("fulfilment").at("delivery").at("phone").as_string(), "13912345678");
  const auto seller = OrderOf(staff_a_, order);
  EXPECT_EQ(seller.at("order").at("fulfilment").at("delivery").at("address").as_string(), "桂城街道平洲路 8 号 301");
  EXPECT_EQ(seller.at("order").at("buyer").as_string(), "测*****");  // 测试0004, masked
  const auto admin = OrderOf(admin_, order);
  EXPECT_EQ(admin.at("order").at("fulfilment").at("delivery").at("phone").as_string(), "139****5678");
  EXPECT_EQ(admin.at("order").at("fulfilment").at("delivery").at("name").as_string(), "陈**");
  EXPECT_TRUE(admin.at("order").at("fulfilment").at("delivery_masked").as_bool());
  EXPECT_EQ(staff_b_.Get("/api/v1/shop/orders/" + order).status, 404);
  EXPECT_EQ(other_.Get("/api/v1/shop/orders/" + order).status, 404);
  EXPECT_EQ(Client(server_).Get("/api/v1/shop/orders/" + order).status, 401);
  EXPECT_EQ(buyer_.Get("/api/v1/shop/orders/1").status, 404);
  // Sealed at rest: the database holds no address in clear.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE delivery_box LIKE '%13912345678%' OR "
                           "delivery_box LIKE '%平洲路%'"),
            0);
  EXPECT_EQ(buyer_.Get("/api/v1/shop/orders").json.at("orders").as_array().size(), 1u);
  EXPECT_EQ(other_.Get("/api/v1/shop/orders").json.at("orders").as_array().size(), 0u);
  EXPECT_EQ(staff_a_.Get("/api/v1/shop/orgs/" + std::to_string(org_a_) + "/orders").json.at("orders").as_array().size(), 1u);
  EXPECT_EQ(staff_b_.Get("/api/v1/shop/orgs/" + std::to_string(org_b_) + "/orders").json.at("orders").as_array().size(), 0u);
  EXPECT_EQ(staff_b_.Get("/api/v1/shop/orgs/" + std::to_string(org_a_) + "/orders").status, 403);
}

TEST_F(ShopApiTest, CancellingReleasesTheStockOnce) {
  const std::string a = Product(1000, 5);
  auto [order, payment] = Ordered(buyer_, a, 3, "key-00000001", Pickup());
  EXPECT_EQ(Stock(a), 2);
  EXPECT_EQ(other_.PostRaw("/api/v1/shop/orders/" + order + "/cancel", "{}").status, 404);
  EXPECT_EQ(staff_a_.PostRaw("/api/v1/shop/orders/" + order + "/cancel", "{}").status, 404);  // the buyer's to cancel
  auto r = buyer_.PostRaw("/api/v1/shop/orders/" + order + "/cancel", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("order").at("status").as_string(), "cancelled");
  EXPECT_EQ(Stock(a), 5);
  EXPECT_EQ(buyer_.PostRaw("/api/v1/shop/orders/" + order + "/cancel", "{}").error_code(), "shop.order_not_cancellable");
  EXPECT_EQ(Pay(buyer_, payment).status, 409);  // the payment closed with it
  EXPECT_EQ(Stock(a), 5);
}

TEST_F(ShopApiTest, AnUnpaidOrderExpiresAndReleasesItsStockExactlyOnce) {
  const std::string a = Product(1000, 5);
  auto [late, late_payment] = Ordered(buyer_, a, 2, "key-00000001", Pickup());
  auto [paid, paid_payment] = Ordered(other_, a, 1, "key-00000002", Pickup());
  ASSERT_EQ(Pay(other_, paid_payment).status, 200);
  EXPECT_EQ(Stock(a), 2);
  server_.clock().Advance(14 * kMinuteMs);
  EXPECT_EQ(*RunSync(server_.app().shop().ExpireDueOrders()), 0);
  EXPECT_EQ(Stock(a), 2);
  server_.clock().Advance(2 * kMinuteMs);
  EXPECT_EQ(*RunSync(server_.app().shop().ExpireDueOrders()), 1);
  EXPECT_EQ(*RunSync(server_.app().shop().ExpireDueOrders()), 0);
  server_.app().RunMaintenance();
  EXPECT_EQ(Stock(a), 4);
  EXPECT_EQ(OrderOf(buyer_, late).at("order").at("status").as_string(), "expired");
  EXPECT_EQ(OrderOf(other_, paid).at("order").at("status").as_string(), "ready_for_pickup");
  EXPECT_EQ(Pay(buyer_, late_payment).status, 409);
  EXPECT_EQ(buyer_.PostRaw("/api/v1/shop/orders/" + late + "/cancel", "{}").error_code(), "shop.order_not_cancellable");
  EXPECT_EQ(Stock(a), 4);
}

TEST_F(ShopApiTest, APaidPickupOrderIsCollectedOnceWithItsCode) {
  const std::string a = Product(1000, 5);
  auto [order, payment] = Ordered(buyer_, a, 1, "key-00000001", Pickup());
  EXPECT_TRUE(OrderOf(buyer_, order).at("order").at("pickup_code").is_null());
  ASSERT_EQ(Pay(buyer_, payment).status, 200);
  EXPECT_EQ(buyer_.PostRaw("/api/v1/shop/orders/" + order + "/cancel", "{}").error_code(), "shop.order_not_cancellable");
  const auto mine = OrderOf(buyer_, order).at("order");
  EXPECT_EQ(mine.at("status").as_string(), "ready_for_pickup");
  const std::string code(mine.at("pickup_code").as_string());
  EXPECT_EQ(code.size(), 20u);
  EXPECT_FALSE(OrderOf(staff_a_, order).at("order").as_object().contains("pickup_code"));
  auto qr = buyer_.Get("/api/v1/shop/orders/" + order + "/pickup-qr.svg");
  EXPECT_EQ(qr.status, 200);
  EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
  EXPECT_EQ(staff_a_.Get("/api/v1/shop/orders/" + order + "/pickup-qr.svg").status, 404);

  const auto scan = [&](Client& c, const std::string& code) {
    return c.Post("/api/v1/shop/pickups", json::object{{"code", code}});
  };
  EXPECT_EQ(scan(staff_a_, "AAAAAAAAAAAAAAAAAAAA").status, 404);
  EXPECT_EQ(scan(staff_b_, code).status, 404);  // not their organisation's order
  EXPECT_EQ(scan(buyer_, code).status, 404);
  auto done = scan(staff_a_, code);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json.at("order").at("status").as_string(), "completed");
  auto again = scan(staff_a_, code);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "shop.pickup_used");
  EXPECT_EQ(Stock(a), 4);
}

TEST_F(ShopApiTest, ADeliveryOrderIsShippedByTheSellerAndCompletedByTheBuyer) {
  const std::string a = Product(1000, 5);
  auto [order, payment] = Ordered(buyer_, a, 1, "key-00000001", Delivery());
  const json::object shipment{{"carrier", "顺丰速运"}, {"tracking_no", "SF1234567890"}};
  EXPECT_EQ(staff_a_.Post("/api/v1/shop/orders/" + order + "/ship", shipment).error_code(), "shop.order_not_shippable");
  ASSERT_EQ(Pay(buyer_, payment).status, 200);
  EXPECT_EQ(OrderOf(buyer_, order).at("order").at("status").as_string(), "paid");
  EXPECT_EQ(buyer_.PostRaw("/api/v1/shop/orders/" + order + "/complete", "{}").error_code(), "shop.order_not_shipped");
  EXPECT_EQ(buyer_.Post("/api/v1/shop/orders/" + order + "/ship", shipment).status, 403);
  EXPECT_EQ(staff_b_.Post("/api/v1/shop/orders/" + order + "/ship", shipment).status, 404);
  EXPECT_EQ(staff_a_.Post("/api/v1/shop/orders/" + order + "/ship", json::object{{"carrier", "顺丰速运"}}).error_field(),
            "tracking_no");
  auto shipped = staff_a_.Post("/api/v1/shop/orders/" + order + "/ship", shipment);
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  EXPECT_EQ(shipped.json.at("order").at("fulfilment").at("tracking_no").as_string(), "SF1234567890");
  EXPECT_EQ(other_.PostRaw("/api/v1/shop/orders/" + order + "/complete", "{}").status, 404);
  auto done = buyer_.PostRaw("/api/v1/shop/orders/" + order + "/complete", "{}");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json.at("order").at("status").as_string(), "completed");
  EXPECT_EQ(buyer_.PostRaw("/api/v1/shop/orders/" + order + "/complete", "{}").status, 409);
}

TEST_F(ShopApiTest, ARefundByTheFundOrTheSellerReturnsTheStockOnce) {
  const std::string a = Product(1000, 5);
  auto [order, payment] = Ordered(buyer_, a, 2, "key-00000001", Pickup());
  const json::object why{{"reason", "商品破损"}};
  EXPECT_EQ(admin_.Post("/api/v1/shop/orders/" + order + "/refund", why).error_code(), "shop.order_not_refundable");
  ASSERT_EQ(Pay(buyer_, payment).status, 200);
  EXPECT_EQ(Stock(a), 3);
  EXPECT_EQ(buyer_.Post("/api/v1/shop/orders/" + order + "/refund", why).status, 403);  // not the buyer's to refund
  EXPECT_EQ(other_.Post("/api/v1/shop/orders/" + order + "/refund", why).status, 404);
  EXPECT_EQ(staff_b_.Post("/api/v1/shop/orders/" + order + "/refund", why).status, 404);
  EXPECT_EQ(staff_a_.PostRaw("/api/v1/shop/orders/" + order + "/refund", "{}").error_field(), "reason");
  auto r = staff_a_.Post("/api/v1/shop/orders/" + order + "/refund", why);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("order").at("status").as_string(), "refunded");
  EXPECT_EQ(r.json.at("order").at("payment").at("status").as_string(), "refunded");
  EXPECT_EQ(Stock(a), 5);
  EXPECT_EQ(admin_.Post("/api/v1/shop/orders/" + order + "/refund", why).error_code(), "shop.order_not_refundable");
  EXPECT_EQ(Stock(a), 5);
  // The refunded order's pickup code no longer collects anything.
  const std::string code = Count(server_, "SELECT COUNT(*) FROM shop_orders WHERE pickup_code IS NOT NULL") == 1
                               ? std::string(OrderOf(buyer_, order).at("order").at("pickup_code").as_string())
                               : std::string();
  ASSERT_FALSE(code.empty());
  EXPECT_EQ(staff_a_.Post("/api/v1/shop/pickups", json::object{{"code", code}}).error_code(), "shop.order_not_ready");
}

TEST_F(ShopApiTest, ALineRefundGivesBackThatPartOnlyAndTheOrderIsRefundedWhenNothingIsLeft) {
  const std::string a = Product(3000, 5, {{"kind", "fixed"}, {"value", 1000}});
  const std::string b = Product(2000, 5, {{"kind", "percent"}, {"value", 25}}, true, "书签", &staff_b_, org_b_);
  const json::array items{json::object{{"product_id", a}, {"quantity", 2}},
                          json::object{{"product_id", b}, {"quantity", 1}}};
  auto placed = Order(buyer_, items, "key-00000001", Pickup());
  ASSERT_EQ(placed.status, 201) << placed.body;
  const std::string order(placed.json.at("order").at("id").as_string());
  ASSERT_EQ(Pay(buyer_, std::string(placed.json.at("payment").at("id").as_string())).status, 200);
  const std::string url = "/api/v1/shop/orders/" + order + "/refund";
  const auto line = [&](const std::string& product, int64_t n) {
    return json::object{{"reason", "买家退货"}, {"items", Items(product, n)}};
  };
  const auto key = [](const std::string& k) { return std::map<std::string, std::string>{{"Idempotency-Key", k}}; };
  const auto balance = [&](const std::string& code) {
    return Count(server_, "SELECT COALESCE(SUM(balance_fen), 0) FROM fund_accounts WHERE code = '" + code + "'");
  };
  const std::string receipt(OrderOf(buyer_, order).at("order").at("receipt_no").as_string());
  const int64_t entries = Count(server_, "SELECT COUNT(*) FROM fund_entries");

  // Refused, naming why, and nothing changes: no key; another seller's
  // line; more than was bought; a product not in the order.
  EXPECT_EQ(staff_b_.Post(url, line(b, 1)).error_code(), "missing_idempotency_key");
  EXPECT_EQ(staff_b_.Post(url, line(a, 1), key("refund-000001")).status, 403);
  auto too_many = staff_a_.Post(url, line(a, 3), key("refund-000002"));
  EXPECT_EQ(too_many.error_code(), "shop.refund_too_many");
  EXPECT_EQ(too_many.error_field(), "items[0].quantity");
  const std::string stranger = Product(500, 5);
  EXPECT_EQ(staff_a_.Post(url, line(stranger, 1), key("refund-000003")).error_field(), "items[0].product_id");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), entries);
  EXPECT_EQ(Stock(b), 4);

  // The seller of one line refunds it in an order it shares with another seller.
  auto r = staff_b_.Post(url, line(b, 1), key("refund-b-0001"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto after = r.json.at("order");
  EXPECT_EQ(after.at("status").as_string(), "ready_for_pickup");  // the rest is still to collect
  EXPECT_EQ(after.at("payment").at("status").as_string(), "paid");
  EXPECT_EQ(after.at("refunded_fen").as_int64(), 2000);
  EXPECT_EQ(after.at("items").at(1).at("refunded_quantity").as_int64(), 1);
  EXPECT_EQ(after.at("items").at(0).at("refunded_quantity").as_int64(), 0);
  EXPECT_EQ(Stock(b), 5);
  EXPECT_EQ(Stock(a), 3);
  EXPECT_EQ(balance(fund::GoodsPayableAccount(org_b_)), 0);
  EXPECT_EQ(-balance(fund::GoodsPayableAccount(org_a_)), 4000);
  EXPECT_EQ(-balance(fund::kGeneralFund), 2000);
  // The 捐赠票据 now covers the donation that stays: a new one for ¥20.
  ASSERT_TRUE(after.at("receipt_no").is_string());
  const std::string reissued(after.at("receipt_no").as_string());
  EXPECT_NE(reissued, receipt);
  auto shown = buyer_.Get("/api/v1/fund/receipts/" + reissued);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find("2000"), std::string::npos) << shown.body;

  // The same key again is the same refund; a new key finds nothing left of b.
  const int64_t booked = Count(server_, "SELECT COUNT(*) FROM fund_entries");
  EXPECT_EQ(staff_b_.Post(url, line(b, 1), key("refund-b-0001")).status, 200);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), booked);
  EXPECT_EQ(Stock(b), 5);
  EXPECT_EQ(staff_b_.Post(url, line(b, 1), key("refund-b-0002")).error_code(), "shop.refund_too_many");
  EXPECT_EQ(staff_b_.Post(url, line(b, 1), key("refund-b-0001")).status, 200);  // still the same refund

  // One of a's two, then all that is left: the order is refunded.
  ASSERT_EQ(staff_a_.Post(url, line(a, 1), key("refund-a-0001")).status, 200);
  EXPECT_EQ(Stock(a), 4);
  auto rest = admin_.Post(url, json::object{{"reason", "买家退货"}});
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(rest.json.at("order").at("status").as_string(), "refunded");
  EXPECT_EQ(rest.json.at("order").at("payment").at("status").as_string(), "refunded");
  EXPECT_EQ(rest.json.at("order").at("refunded_fen").as_int64(), 8000);
  EXPECT_EQ(Stock(a), 5);
  EXPECT_EQ(balance(fund::GoodsPayableAccount(org_a_)), 0);
  EXPECT_EQ(balance(fund::kGeneralFund), 0);
  EXPECT_EQ(Count(server_, "SELECT COALESCE(SUM(amount_fen), 0) FROM sandbox_refunds"), 8000);
  auto books = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
  EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
}

TEST_F(ShopApiTest, APaidOrderBooksTheGiftToTheFundAndTheGoodsValueToEachSellerAndARefundReversesIt) {
  const std::string a = Product(3000, 5, {{"kind", "fixed"}, {"value", 1000}});
  const std::string b = Product(2000, 5, {{"kind", "percent"}, {"value", 25}}, true, "书签", &staff_b_, org_b_);
  const json::array items{json::object{{"product_id", a}, {"quantity", 2}},
                          json::object{{"product_id", b}, {"quantity", 1}}};
  auto r = Order(buyer_, items, "key-00000001", Pickup());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string order(r.json.at("order").at("id").as_string());
  ASSERT_EQ(Pay(buyer_, std::string(r.json.at("payment").at("id").as_string())).status, 200);
  const auto balance = [&](const std::string& code) {
    return Count(server_, "SELECT COALESCE(SUM(balance_fen), 0) FROM fund_accounts WHERE code = '" + code + "'");
  };
  // Credit-normal accounts: what is held or owed is -balance.
  EXPECT_EQ(-balance(fund::GoodsPayableAccount(org_a_)), 4000);  // 2 × (3000 − 1000)
  EXPECT_EQ(-balance(fund::GoodsPayableAccount(org_b_)), 1500);  // 2000 − 25%
  EXPECT_EQ(-balance(fund::kGeneralFund), 2500);               // no [shop] purpose here: the general fund
  auto books = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
  EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
  const auto mine = OrderOf(buyer_, order).at("order");
  EXPECT_EQ(mine.at("goods_value_fen").as_int64(), 5500);
  EXPECT_EQ(mine.at("donation_fen").as_int64(), 2500);
  ASSERT_TRUE(mine.at("receipt_no").is_string()) << json::serialize(mine);
  const std::string receipt(mine.at("receipt_no").as_string());
  auto shown = buyer_.Get("/api/v1/fund/receipts/" + receipt);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_NE(shown.body.find("2500"), std::string::npos) << shown.body;

  // One seller may neither refund nor ship an order that holds another's goods.
  const int64_t before = Count(server_, "SELECT COUNT(*) FROM fund_entries");
  EXPECT_EQ(staff_a_.Post("/api/v1/shop/orders/" + order + "/refund", json::object{{"reason", "买家退货"}}).status,
            403);
  EXPECT_EQ(staff_b_.Post("/api/v1/shop/orders/" + order + "/refund", json::object{{"reason", "买家退货"}}).status,
            403);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), before);
  EXPECT_EQ(-balance(fund::GoodsPayableAccount(org_b_)), 1500);

  auto refunded = admin_.Post("/api/v1/shop/orders/" + order + "/refund", json::object{{"reason", "买家退货"}});
  ASSERT_EQ(refunded.status, 200) << refunded.body;
  EXPECT_EQ(balance(fund::GoodsPayableAccount(org_a_)), 0);
  EXPECT_EQ(balance(fund::GoodsPayableAccount(org_b_)), 0);
  EXPECT_EQ(balance(fund::kGeneralFund), 0);
  books = db::ReadSync(server_.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
  EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
  EXPECT_EQ(Stock(a), 5);
  EXPECT_EQ(Stock(b), 5);
}

}  // namespace
}  // namespace carecity::testing
