// Photos, Markdown and search for 公益商城 products and 公益拍卖 lots, and the
// lot lists and "my bids": photos attached, replaced and released in the
// listing's own transaction, other people's and used images refused, the
// tenth photo refused, description_html sanitised, Chinese full-text search
// with the other filters, lots by status with a cursor, and where a bidder
// stands on each lot.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/run_sync.h"
#include "media/fixtures.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Uploads a small JPEG as `c` and returns its public id.
std::string UploadImage(Client& c, int width = 40, int height = 30) {
  auto r = c.Send("POST", "/api/v1/media/images", TestJpeg(width, height), {{"Content-Type", "image/jpeg"}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.status == 201 ? std::string(r.json.at("image").at("id").as_string()) : std::string();
}

std::string AttachedTo(TestServer& s, const std::string& image) {
  return db::ReadSync(s.app().store(), [&](db::Tx& tx) {
    auto rows = tx.Query("SELECT attached_to FROM media_images WHERE public_id = $1", {image});
    return rows.empty() ? std::string("<gone>") : rows.front().OptText(0).value_or("");
  });
}

std::vector<std::string> PhotoIdsOf(const json::value& object) {
  std::vector<std::string> ids;
  for (const auto& p : object.at("photos").as_array()) {
    ids.emplace_back(p.at("id").as_string());
  }
  return ids;
}

json::array Ids(const std::vector<std::string>& ids) {
  json::array out;
  for (const auto& id : ids) {
    out.emplace_back(id);
  }
  return out;
}

// `query` with its non-ASCII bytes percent-encoded (what a browser sends).
std::string Encoded(const std::string& query) {
  std::string out;
  for (unsigned char c : query) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

class ShopMediaTest : public ::testing::Test {
 protected:
  json::object Body(const std::string& title, const std::string& description, json::array photo_ids = {},
                    const std::string& category = "handmade") {
    return json::object{{"org_id", org_a_},       {"title", title},   {"description", description},
                        {"category", category},   {"price_fen", 3800}, {"stock", 10},
                        {"donation", json::object{{"kind", "all"}}}, {"photo_ids", std::move(photo_ids)}};
  }
  // Creates (and approves) a listing of org A; returns the 201's product.
  json::object Create(const json::object& body, bool approve = true) {
    auto r = staff_a_.Post("/api/v1/shop/products", body);
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status != 201) {
      return {};
    }
    json::object product = r.json.at("product").as_object();
    if (approve) {
      const std::string id(product.at("id").as_string());
      EXPECT_EQ(admin_.PostRaw("/api/v1/shop/products/" + id + "/approve", "{}").status, 200);
    }
    return product;
  }
  HttpResult Edit(Client& c, const std::string& id, const json::object& body) {
    return c.Send("PATCH", "/api/v1/shop/products/" + id, json::serialize(body),
                  {{"Content-Type", "application/json"}});
  }
  // Titles of GET /api/v1/shop/products?<query>, in order.
  std::vector<std::string> Search(const std::string& query) {
    auto r = Client(server_).Get("/api/v1/shop/products?" + Encoded(query));
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> titles;
    if (r.status == 200) {
      for (const auto& p : r.json.at("products").as_array()) {
        titles.emplace_back(p.at("title").as_string());
      }
    }
    return titles;
  }
  int64_t Products() { return Count(server_, "SELECT COUNT(*) FROM shop_products"); }

  TestServer server_;
  int64_t org_a_ = InsertOrg(server_, "博睿社工", "52440605MJL1001X2A");
  int64_t org_b_ = InsertOrg(server_, "桂城义工联", "52440605MJL1002X2B");
  Client staff_a_ = UserWith(server_, "13800000001", {OrgStaff(org_a_)});
  Client staff_a2_ = UserWith(server_, "13800000006", {OrgStaff(org_a_)});
  Client staff_b_ = UserWith(server_, "13800000002", {OrgStaff(org_b_)});
  Client admin_ = UserWith(server_, "13800000003", {RoleGrant{Role::kFundAdmin}});
};

TEST_F(ShopMediaTest, PhotosAreAttachedInOrderAndShownOnThePageAndInLists) {
  const std::string a = UploadImage(staff_a_, 40, 30);
  const std::string b = UploadImage(staff_a_, 20, 50);
  auto product = Create(Body("长者手工香囊", "手工缝制", Ids({b, a})));
  const std::string id(product.at("id").as_string());
  EXPECT_EQ(PhotoIdsOf(product), (std::vector<std::string>{b, a}));
  const auto& first = product.at("photos").as_array().at(0);
  EXPECT_EQ(first.at("url").as_string(), "/media/images/" + b + "/full.webp");
  EXPECT_EQ(first.at("thumb_url").as_string(), "/media/images/" + b + "/thumb.webp");
  EXPECT_EQ(first.at("width").as_int64(), 20);
  EXPECT_EQ(first.at("height").as_int64(), 50);

  auto page = Client(server_).Get("/api/v1/shop/products/" + id);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(PhotoIdsOf(page.json.at("product")), (std::vector<std::string>{b, a}));
  auto list = Client(server_).Get("/api/v1/shop/products");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(PhotoIdsOf(list.json.at("products").at(0)), (std::vector<std::string>{b, a}));
  auto org_list = staff_a_.Get("/api/v1/shop/orgs/" + std::to_string(org_a_) + "/products");
  EXPECT_EQ(PhotoIdsOf(org_list.json.at("products").at(0)), (std::vector<std::string>{b, a}));

  // Used by the listing, so its owner cannot delete it; a listing without
  // photos shows [].
  const std::string ref = "shop_product:" + std::to_string(Count(server_, "SELECT MAX(id) FROM shop_products"));
  EXPECT_EQ(AttachedTo(server_, a), ref);
  EXPECT_EQ(staff_a_.Delete("/api/v1/media/images/" + a).status, 409);
  auto bare = Create(Body("义工联徽章", "纪念徽章"));
  EXPECT_TRUE(bare.at("photos").as_array().empty());
}

TEST_F(ShopMediaTest, AnEditReplacesThePhotosAndReleasesTheRemovedOnes) {
  const std::string a = UploadImage(staff_a_);
  const std::string b = UploadImage(staff_a_);
  const std::string c = UploadImage(staff_a_);
  auto product = Create(Body("长者手工香囊", "手工缝制", Ids({a, b})));
  const std::string id(product.at("id").as_string());
  const std::string ref = AttachedTo(server_, a);

  // Another edit without photo_ids keeps them.
  auto retitled = Edit(staff_a_, id, {{"title", "长者手工香囊（艾草）"}});
  ASSERT_EQ(retitled.status, 200) << retitled.body;
  EXPECT_EQ(PhotoIdsOf(retitled.json.at("product")), (std::vector<std::string>{a, b}));

  auto edited = Edit(staff_a_, id, {{"photo_ids", Ids({c, b})}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(PhotoIdsOf(edited.json.at("product")), (std::vector<std::string>{c, b}));
  EXPECT_EQ(AttachedTo(server_, a), "");  // released: its owner may delete it again
  EXPECT_EQ(AttachedTo(server_, b), ref);
  EXPECT_EQ(AttachedTo(server_, c), ref);
  EXPECT_EQ(staff_a_.Delete("/api/v1/media/images/" + a).status, 204);

  // Another staff member of the organisation reorders, keeping the
  // images already on the listing, and adds one of their own.
  const std::string d = UploadImage(staff_a2_);
  auto reordered = Edit(staff_a2_, id, {{"photo_ids", Ids({b, d, c})}});
  ASSERT_EQ(reordered.status, 200) << reordered.body;
  EXPECT_EQ(PhotoIdsOf(reordered.json.at("product")), (std::vector<std::string>{b, d, c}));

  auto cleared = Edit(staff_a_, id, {{"photo_ids", json::array{}}});
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_TRUE(cleared.json.at("product").at("photos").as_array().empty());
  EXPECT_EQ(AttachedTo(server_, b), "");
  EXPECT_EQ(AttachedTo(server_, d), "");
}

TEST_F(ShopMediaTest, SomeoneElsesOrAUsedImageIsRefusedAndNothingIsWritten) {
  const std::string mine = UploadImage(staff_a_);
  const std::string theirs = UploadImage(staff_b_);
  auto r = staff_a_.Post("/api/v1/shop/products", Body("香囊", "手工", Ids({mine, theirs})));
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.error_code(), "image_not_found");
  EXPECT_EQ(r.json.at("error").at("field").as_string(), "photo_ids");
  EXPECT_EQ(Products(), 0);
  EXPECT_EQ(AttachedTo(server_, mine), "");  // the job rolled back whole
  EXPECT_EQ(AttachedTo(server_, theirs), "");

  auto first = Create(Body("香囊", "手工", Ids({mine})));
  auto again = staff_a_.Post("/api/v1/shop/products", Body("杯垫", "编织", Ids({mine})));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.error_code(), "image_in_use");
  EXPECT_EQ(Products(), 1);

  // An edit with a refused image changes nothing either.
  const std::string id(first.at("id").as_string());
  const std::string fresh = UploadImage(staff_a_);
  auto edit = Edit(staff_a_, id, {{"title", "新标题"}, {"photo_ids", Ids({fresh, theirs})}});
  EXPECT_EQ(edit.status, 404) << edit.body;
  EXPECT_EQ(AttachedTo(server_, fresh), "");
  auto page = staff_a_.Get("/api/v1/shop/products/" + id);
  EXPECT_EQ(page.json.at("product").at("title").as_string(), "香囊");
  EXPECT_EQ(PhotoIdsOf(page.json.at("product")), (std::vector<std::string>{mine}));
  EXPECT_EQ(Edit(staff_a_, id, {{"photo_ids", "not-a-list"}}).error_code(), "invalid_type");
  EXPECT_EQ(Edit(staff_a_, id, {{"photo_ids", json::array{"short"}}}).status, 404);
}

TEST_F(ShopMediaTest, TheTenthPhotoAndADuplicateAreRefused) {
  std::vector<std::string> ten;
  for (int i = 0; i < 10; ++i) {
    ten.push_back(UploadImage(staff_a_, 16, 16));
  }
  auto r = staff_a_.Post("/api/v1/shop/products", Body("香囊", "手工", Ids(ten)));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.error_code(), "too_many_photos");
  EXPECT_EQ(r.json.at("error").at("field").as_string(), "photo_ids");
  EXPECT_EQ(Products(), 0);

  const std::vector<std::string> nine(ten.begin(), ten.begin() + 9);
  auto ok = Create(Body("香囊", "手工", Ids(nine)));
  EXPECT_EQ(ok.at("photos").as_array().size(), 9u);
  const std::string id(ok.at("id").as_string());
  auto tenth = Edit(staff_a_, id, {{"photo_ids", Ids(ten)}});
  EXPECT_EQ(tenth.status, 400) << tenth.body;
  EXPECT_EQ(tenth.error_code(), "too_many_photos");
  EXPECT_EQ(AttachedTo(server_, ten[9]), "");

  auto dup = staff_a_.Post("/api/v1/shop/products", Body("杯垫", "编织", Ids({ten[9], ten[9]})));
  EXPECT_EQ(dup.status, 400) << dup.body;
  EXPECT_EQ(dup.error_code(), "duplicate_photo");
  EXPECT_EQ(dup.json.at("error").at("field").as_string(), "photo_ids");
}

TEST_F(ShopMediaTest, DescriptionHtmlIsSanitisedMarkdown) {
  const std::string md =
      "**长者**手工<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[链接](javascript:alert(3)) "
      "<b onclick=\"x\">粗</b>";
  auto product = Create(Body("香囊", md));
  const std::string html(product.at("description_html").as_string());
  EXPECT_NE(html.find("<strong>长者</strong>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("onerror"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(product.at("description").as_string(), md);  // the Markdown is kept as written
  auto list = Client(server_).Get("/api/v1/shop/products");
  EXPECT_EQ(list.json.at("products").at(0).at("description_html").as_string(), html);

  auto too_long = staff_a_.Post("/api/v1/shop/products", Body("香囊", std::string(30000, 'a')));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(too_long.json.at("error").at("field").as_string(), "description");
}

TEST_F(ShopMediaTest, ChineseSearchFindsTitleAndDescriptionWithTheOtherFilters) {
  Create(Body("长者手工香囊", "叠滘村长者缝制，内装艾草与薰衣草。"));
  Create(Body("博睿社工纪念帆布袋", "环保帆布袋，印有关爱桂城标志。", {}, "souvenir"));
  Create(Body("《桂城社区故事》", "社工与居民共同撰写的社区故事集。", {}, "books"));
  Create(Body("手工香囊（待审）", "尚未审核的艾草香囊"), false);

  using V = std::vector<std::string>;
  EXPECT_EQ(Search("q=手工香"), V{"长者手工香囊"});           // a trigram of the title
  EXPECT_EQ(Search("q=关爱桂城标志"), V{"博睿社工纪念帆布袋"});  // of the description
  EXPECT_EQ(Search("q=艾草"), V{"长者手工香囊"});             // two characters: the LIKE fallback
  EXPECT_EQ(Search("q=桂城"), (V{"《桂城社区故事》", "博睿社工纪念帆布袋"}));  // newest first
  EXPECT_EQ(Search("q=桂城&category=books"), V{"《桂城社区故事》"});
  EXPECT_EQ(Search("q=桂城&max_price_fen=100"), V{});
  EXPECT_EQ(Search("q=%E9%A6%99%E5%9B%8A%20%E8%96%B0%E8%A1%A3%E8%8D%89"), V{"长者手工香囊"});  // 香囊 薰衣草: both
  EXPECT_EQ(Search("q=%E9%A6%99%E5%9B%8A%20%E5%B8%86%E5%B8%83"), V{});                        // 香囊 帆布: none
  EXPECT_EQ(Search("q=%20%20"), Search(""));  // blank: no search
  // Nothing in q is SQL or query syntax.
  EXPECT_EQ(Search("q=%27%20OR%201%3D1%20--"), V{});
  EXPECT_EQ(Search("q=%25"), V{});
  EXPECT_EQ(Search("q=_"), V{});
  EXPECT_EQ(Search("q=%22%E9%A6%99%22%20OR%20%E6%A1%82"), V{});  // "香" OR 桂 (FTS5 syntax)
  EXPECT_EQ(Search("q=title%3A%E9%A6%99%E5%9B%8A"), V{});        // title:香囊
  EXPECT_EQ(Client(server_).Get("/api/v1/shop/products?q=" + std::string(101, 'a')).status, 400);

  // Pages by the cursor.
  auto first = Client(server_).Get("/api/v1/shop/products?q=%E6%A1%82%E5%9F%8E&limit=1");  // 桂城
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.json.at("products").as_array().size(), 1u);
  const std::string cursor(first.json.at("next_cursor").as_string());
  EXPECT_EQ(Search("q=%E6%A1%82%E5%9F%8E&limit=1&before=" + cursor), V{"博睿社工纪念帆布袋"});

  // An edit changes the index in its own transaction (and sends the listing
  // back to review: it leaves the public results until approved again).
  const std::string bag(Client(server_).Get("/api/v1/shop/products?q=%E5%B8%86%E5%B8%83%E8%A2%8B")  // 帆布袋
                            .json.at("products")
                            .at(0)
                            .at("id")
                            .as_string());
  ASSERT_EQ(Edit(staff_a_, bag, {{"title", "关爱桂城环保袋"}, {"description", "可重复使用"}}).status, 200);
  ASSERT_EQ(admin_.PostRaw("/api/v1/shop/products/" + bag + "/approve", "{}").status, 200);
  EXPECT_EQ(Search("q=帆布袋"), V{});
  EXPECT_EQ(Search("q=环保袋"), V{"关爱桂城环保袋"});
}

class AuctionMediaTest : public ::testing::Test {
 protected:
  int64_t Now() { return server_.clock().NowMs(); }
  json::object LotBody(int64_t starts_in, int64_t ends_in, json::array photo_ids = {},
                       const std::string& title = "国画《千灯湖春晓》") {
    return json::object{{"title", title},
                        {"description", "**写意山水**<script>alert(1)</script>"},
                        {"donor_name", "梁锦泉"},
                        {"starts_at_ms", Now() + starts_in},
                        {"ends_at_ms", Now() + ends_in},
                        {"start_price_fen", 10000},
                        {"photo_ids", std::move(photo_ids)}};
  }
  // Created by maker_, approved by checker_; its public id.
  std::string Approved(const json::object& body) {
    auto created = maker_.Post("/api/v1/auction/lots", body);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id(created.json.at("lot").at("id").as_string());
    EXPECT_EQ(checker_.PostRaw("/api/v1/auction/lots/" + id + "/approve", "{}").status, 200);
    return id;
  }
  HttpResult Bid(Client& c, const std::string& lot, int64_t max_fen) {
    return c.Post("/api/v1/auction/lots/" + lot + "/bids", json::object{{"max_fen", max_fen}},
                  {{"Idempotency-Key", "bid-key-" + std::to_string(++keys_)}});
  }
  std::vector<std::string> Listed(const std::string& query, std::string* next = nullptr) {
    auto r = Client(server_).Get("/api/v1/auction/lots?" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> ids;
    if (r.status != 200) {
      return ids;
    }
    for (const auto& l : r.json.at("lots").as_array()) {
      ids.emplace_back(l.at("id").as_string());
    }
    if (next) {
      *next = r.json.at("next_cursor").is_null() ? "" : std::string(r.json.at("next_cursor").as_string());
    }
    return ids;
  }
  // lot id -> {state, the whole entry} of GET /api/v1/me/auction/bids.
  std::map<std::string, json::object> MyBids(Client& c) {
    auto r = c.Get("/api/v1/me/auction/bids");
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, json::object> out;
    for (const auto& b : r.json.at("bids").as_array()) {
      out[std::string(b.at("lot").at("id").as_string())] = b.as_object();
    }
    return out;
  }

  TestServer server_;
  Client maker_ = UserWith(server_, "13800001001", {RoleGrant{Role::kFundAdmin}});
  Client checker_ = UserWith(server_, "13800001002", {RoleGrant{Role::kFundAdmin}});
  Client alice_ = UserWith(server_, "13800002001");
  Client bob_ = UserWith(server_, "13800002002");
  Client carol_ = UserWith(server_, "13800002003");
  int keys_ = 0;
};

TEST_F(AuctionMediaTest, ALotShowsItsPhotosInOrderAndSanitisedDescription) {
  const std::string a = UploadImage(maker_);
  const std::string b = UploadImage(maker_);
  const std::string id = Approved(LotBody(-kMinute, kDay, Ids({b, a})));
  EXPECT_EQ(AttachedTo(server_, a), "auction_lot:" + std::to_string(Count(server_, "SELECT MAX(id) FROM auction_lots")));
  auto lot = Client(server_).Get("/api/v1/auction/lots/" + id);
  ASSERT_EQ(lot.status, 200) << lot.body;
  EXPECT_EQ(PhotoIdsOf(lot.json.at("lot")), (std::vector<std::string>{b, a}));
  const std::string html(lot.json.at("lot").at("description_html").as_string());
  EXPECT_NE(html.find("<strong>写意山水</strong>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  auto list = Client(server_).Get("/api/v1/auction/lots?status=live");
  EXPECT_EQ(PhotoIdsOf(list.json.at("lots").at(0)), (std::vector<std::string>{b, a}));
  // A bid's answer (what the live channel pushes too) carries them.
  auto bid = Bid(alice_, id, 10000);
  ASSERT_EQ(bid.status, 201) << bid.body;
  EXPECT_EQ(PhotoIdsOf(bid.json.at("lot")), (std::vector<std::string>{b, a}));
  EXPECT_EQ(maker_.Delete("/api/v1/media/images/" + a).status, 409);
}

TEST_F(AuctionMediaTest, OtherPeoplesUsedOrTooManyPhotosAreRefusedAndNoLotIsMade) {
  const std::string theirs = UploadImage(checker_);
  auto r = maker_.Post("/api/v1/auction/lots", LotBody(kMinute, kDay, Ids({theirs})));
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.error_code(), "image_not_found");
  EXPECT_EQ(r.json.at("error").at("field").as_string(), "photo_ids");
  EXPECT_EQ(AttachedTo(server_, theirs), "");

  const std::string mine = UploadImage(maker_);
  Approved(LotBody(kMinute, kDay, Ids({mine})));
  auto used = maker_.Post("/api/v1/auction/lots", LotBody(kMinute, kDay, Ids({mine})));
  EXPECT_EQ(used.status, 409) << used.body;
  EXPECT_EQ(used.error_code(), "image_in_use");

  std::vector<std::string> ten;
  for (int i = 0; i < 10; ++i) {
    ten.push_back(UploadImage(maker_, 16, 16));
  }
  auto many = maker_.Post("/api/v1/auction/lots", LotBody(kMinute, kDay, Ids(ten)));
  EXPECT_EQ(many.status, 400) << many.body;
  EXPECT_EQ(many.error_code(), "too_many_photos");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM auction_lots"), 1);
  const std::vector<std::string> nine(ten.begin(), ten.begin() + 9);
  const std::string lot = Approved(LotBody(kMinute, kDay, Ids(nine)));
  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots/" + lot).json.at("lot").at("photos").as_array().size(), 9u);
}

TEST_F(AuctionMediaTest, LotListsByStatusPageWithACursor) {
  const std::string ends_soon = Approved(LotBody(-kMinute, 3 * kDay, {}, "书法《关爱桂城》"));
  const std::string ends_later = Approved(LotBody(-kMinute, 7 * kDay, {}, "国画《木棉》"));
  const std::string upcoming = Approved(LotBody(2 * kDay, 9 * kDay, {}, "硬笔书法长卷"));
  const std::string short_one = Approved(LotBody(-kMinute, kHour, {}, "小品一幅"));
  maker_.Post("/api/v1/auction/lots", LotBody(-kMinute, kDay, {}, "待审拍品"));  // pending: in no public list
  server_.clock().Advance(2 * kHour);  // short_one has ended (not yet closed)

  using V = std::vector<std::string>;
  EXPECT_EQ(Listed("status=live"), (V{ends_soon, ends_later}));
  EXPECT_EQ(Listed("status=upcoming"), V{upcoming});
  EXPECT_EQ(Listed("status=ended"), V{short_one});
  EXPECT_EQ(Listed(""), (V{short_one, ends_soon, ends_later, upcoming}));  // every approved lot, by end

  std::string next;
  EXPECT_EQ(Listed("status=live&limit=1", &next), V{ends_soon});
  ASSERT_EQ(next, ends_soon);
  EXPECT_EQ(Listed("status=live&limit=1&before=" + next, &next), V{ends_later});
  EXPECT_EQ(Listed("status=live&limit=1&before=" + next, &next), V{});
  EXPECT_EQ(next, "");
  EXPECT_EQ(Listed("limit=2&before=" + ends_soon), (V{ends_later, upcoming}));

  // Closed lots are "ended" too, newest end first.
  ASSERT_EQ(RunSync(server_.app().auction().RunDue()).ok(), true);
  server_.clock().Advance(3 * kDay);
  EXPECT_EQ(Listed("status=ended"), (V{ends_soon, short_one}));
  EXPECT_EQ(Listed("status=ended&before=" + ends_soon), V{short_one});

  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots?status=sold").status, 400);
  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots?before=nope").status, 400);
  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots?limit=abc").status, 400);
}

TEST_F(AuctionMediaTest, MyBidsSayWhereTheBidderStandsOnEachLot) {
  const std::string lot = Approved(LotBody(-kMinute, kHour));
  const std::string other = Approved(LotBody(-kMinute, 2 * kHour, {}, "国画《木棉》"));
  ASSERT_EQ(Bid(alice_, lot, 20000).status, 201);
  ASSERT_EQ(Bid(bob_, lot, 30000).status, 201);
  ASSERT_EQ(Bid(alice_, other, 10000).status, 201);
  EXPECT_EQ(Bid(carol_, lot, 100).status, 422);  // refused bids do not count

  auto alice = MyBids(alice_);
  ASSERT_EQ(alice.size(), 2u);
  EXPECT_EQ(alice[lot].at("state").as_string(), "outbid");
  EXPECT_EQ(alice[lot].at("my_max_fen").as_int64(), 20000);
  EXPECT_EQ(alice[other].at("state").as_string(), "leading");
  EXPECT_FALSE(alice[lot].contains("payment"));
  EXPECT_EQ(alice[lot].at("lot").at("leader").as_string().size() > 0, true);
  auto bob = MyBids(bob_);
  EXPECT_EQ(bob[lot].at("state").as_string(), "leading");
  EXPECT_EQ(bob[lot].at("my_max_fen").as_int64(), 30000);
  EXPECT_TRUE(MyBids(carol_).empty());
  EXPECT_EQ(Client(server_).Get("/api/v1/me/auction/bids").status, 401);
  // The last lot bid on comes first.
  auto r = alice_.Get("/api/v1/me/auction/bids");
  EXPECT_EQ(r.json.at("bids").at(0).at("lot").at("id").as_string(), other);

  server_.clock().Advance(kHour);
  ASSERT_TRUE(RunSync(server_.app().auction().RunDue()).ok());
  bob = MyBids(bob_);
  EXPECT_EQ(bob[lot].at("state").as_string(), "won");
  const auto& due = bob[lot].at("payment");
  EXPECT_TRUE(due.at("id").is_null());  // none opened yet: POST …/pay opens it
  EXPECT_TRUE(due.at("pay_url").is_null());
  EXPECT_EQ(due.at("pay_by_ms").as_int64(), bob[lot].at("lot").at("pay_by_ms").as_int64());
  EXPECT_EQ(MyBids(alice_)[lot].at("state").as_string(), "lost");
  EXPECT_EQ(MyBids(alice_)[other].at("state").as_string(), "leading");  // still open

  auto pay = bob_.PostRaw("/api/v1/auction/lots/" + lot + "/pay", "{}");
  ASSERT_EQ(pay.status, 200) << pay.body;
  bob = MyBids(bob_);
  EXPECT_EQ(bob[lot].at("payment").at("id").as_string(), pay.json.at("payment").at("id").as_string());
  const std::string pay_url(bob[lot].at("payment").at("pay_url").as_string());
  EXPECT_NE(pay_url.find(std::string(pay.json.at("payment").at("id").as_string())), std::string::npos) << pay_url;
  auto paid = bob_.PostRaw("/api/v1/payments/sandbox/" + std::string(pay.json.at("payment").at("id").as_string()) +
                               "/pay",
                           "{}");
  ASSERT_EQ(paid.status, 200) << paid.body;
  bob = MyBids(bob_);
  EXPECT_EQ(bob[lot].at("state").as_string(), "won");
  EXPECT_FALSE(bob[lot].contains("payment"));  // paid: nothing more to pay
}

}  // namespace
}  // namespace carecity::testing
