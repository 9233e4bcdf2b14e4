// 公益拍卖 over HTTP: lots and maker–checker approval, proxy bids and their
// errors, soft close, the close, the winner's payment, the runner-up's
// consent flow, permissions and input errors.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/run_sync.h"
#include "domains/fund/ledger.h"
#include "support/test_server.h"
#include "support/ws_client.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

fund::VerifyReport VerifyBooks(TestServer& s) {
  return db::ReadSync(s.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
}

class AuctionApiTest : public ::testing::Test {
 protected:
  explicit AuctionApiTest(Config cfg = TestConfig())
      : server_(cfg),
        maker_(UserWith(server_, "13800001001", {RoleGrant{Role::kFundAdmin}})),
        checker_(UserWith(server_, "13800001002", {RoleGrant{Role::kFundAdmin}})),
        alice_(UserWith(server_, "13800002001")),
        bob_(UserWith(server_, "13800002002")),
        carol_(UserWith(server_, "13800002003")) {}

  int64_t Now() { return server_.clock().NowMs(); }

  json::object LotBody(json::object extra = {}) {
    json::object b{{"title", "岭南山水（书法）"},
                   {"description", "桂城书法家协会会长捐赠"},
                   {"donor_name", "陈先生"},
                   {"starts_at_ms", Now() + kMinute},
                   {"ends_at_ms", Now() + kHour},
                   {"start_price_fen", 10000}};
    for (const auto& [k, v] : extra) {
      b[k] = v;
    }
    return b;
  }
  // A lot created by maker_, approved by checker_, and open for bids.
  std::string LiveLot(json::object extra = {}) {
    auto created = maker_.Post("/api/v1/auction/lots", LotBody(std::move(extra)));
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id(created.json.at("lot").at("id").as_string());
    auto approved = checker_.PostRaw("/api/v1/auction/lots/" + id + "/approve", "{}");
    EXPECT_EQ(approved.status, 200) << approved.body;
    server_.clock().Advance(kMinute);
    return id;
  }
  HttpResult Bid(Client& c, const std::string& lot, int64_t max_fen, std::string key = "") {
    if (key.empty()) {
      key = "bid-key-" + std::to_string(++keys_);
    }
    return c.Post("/api/v1/auction/lots/" + lot + "/bids", json::object{{"max_fen", max_fen}},
                  {{"Idempotency-Key", key}});
  }
  json::object Lot(const std::string& id, Client* c = nullptr) {
    Client anon(server_);
    auto r = (c ? *c : anon).Get("/api/v1/auction/lots/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.at("lot").as_object();
  }
  int64_t RunDue() {
    auto n = RunSync(server_.app().auction().RunDue());
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }
  // Ends the lot (past its end) and closes it.
  void CloseLot(const std::string& id) {
    server_.clock().Set(Lot(id).at("ends_at_ms").as_int64());
    EXPECT_GE(RunDue(), 1);
  }

  TestServer server_;
  Client maker_;
  Client checker_;
  Client alice_;
  Client bob_;
  Client carol_;
  int keys_ = 0;
};

TEST_F(AuctionApiTest, ALotNeedsASecondFundAdminBeforeAnyoneSeesIt) {
  auto created = maker_.Post("/api/v1/auction/lots", LotBody({{"reserve_fen", 50000}, {"market_value_fen", 30000}}));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.json.at("lot").at("id").as_string());
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(created.json.at("lot").at("status"), "pending_approval");
  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots/" + id).status, 404);
  EXPECT_EQ(alice_.Get("/api/v1/auction/lots/" + id).status, 404);
  EXPECT_EQ(Bid(alice_, id, 10000).status, 404);
  EXPECT_EQ(alice_.Get("/api/v1/auction/lots?status=pending_approval").status, 403);
  auto pending = checker_.Get("/api/v1/auction/lots?status=pending_approval");
  ASSERT_EQ(pending.status, 200);
  EXPECT_EQ(pending.json.at("lots").as_array().size(), 1u);

  auto self = maker_.PostRaw("/api/v1/auction/lots/" + id + "/approve", "{}");
  EXPECT_EQ(self.status, 409);
  EXPECT_EQ(self.error_code(), "auction.self_approval");
  EXPECT_EQ(alice_.PostRaw("/api/v1/auction/lots/" + id + "/approve", "{}").status, 403);
  auto ok = checker_.PostRaw("/api/v1/auction/lots/" + id + "/approve", "{}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("lot").at("reserve_fen"), 50000);  // fund admins see it
  EXPECT_EQ(checker_.PostRaw("/api/v1/auction/lots/" + id + "/approve", "{}").error_code(), "auction.not_pending");

  json::object lot = Lot(id);
  EXPECT_EQ(lot.at("status"), "upcoming");
  EXPECT_EQ(lot.at("has_reserve"), true);
  EXPECT_EQ(lot.at("reserve_met"), false);
  EXPECT_FALSE(lot.contains("reserve_fen"));  // never in public
  EXPECT_EQ(lot.at("market_value_fen"), 30000);
  EXPECT_EQ(lot.at("price_fen"), nullptr);
  auto upcoming = Client(server_).Get("/api/v1/auction/lots?status=upcoming");
  ASSERT_EQ(upcoming.json.at("lots").as_array().size(), 1u);
  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots?status=live").json.at("lots").as_array().size(), 0u);
  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots?status=soon").error_field(), "status");
  // Audit trail of both admins' actions.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'auction.lot.%'"), 2);
}

TEST_F(AuctionApiTest, ProxyBidsLeadAtTheSecondMaximumPlusOneIncrementAndTellTheOutbid) {
  auto created = maker_.Post("/api/v1/auction/lots", LotBody());
  const std::string id(created.json.at("lot").at("id").as_string());
  ASSERT_EQ(checker_.PostRaw("/api/v1/auction/lots/" + id + "/approve", "{}").status, 200);
  auto early = Bid(alice_, id, 10000);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "auction.not_started");
  server_.clock().Advance(kMinute);

  auto first = Bid(alice_, id, 30000);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json.at("bid").at("accepted"), true);
  EXPECT_EQ(first.json.at("leading"), true);
  EXPECT_EQ(first.json.at("lot").at("price_fen"), 10000);
  EXPECT_EQ(first.json.at("lot").at("leader"), "测*****");

  auto second = Bid(bob_, id, 50000);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.json.at("leading"), true);
  EXPECT_EQ(second.json.at("lot").at("price_fen"), 32000);  // ¥300 + ¥20
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'auction_outbid' AND user_id = "
                           "(SELECT id FROM users WHERE phone = '13800002001')"),
            1);

  auto under = Bid(carol_, id, 40000);  // below the leader's maximum: accepted, raises the price
  ASSERT_EQ(under.status, 201) << under.body;
  EXPECT_EQ(under.json.at("leading"), false);
  EXPECT_EQ(under.json.at("lot").at("price_fen"), 42000);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'auction_outbid'"), 1);

  json::object lot = Lot(id);
  EXPECT_EQ(lot.at("status"), "live");
  EXPECT_EQ(lot.at("bid_count"), 3);
  EXPECT_EQ(lot.at("min_bid_fen"), 44000);
  auto bids = Client(server_).Get("/api/v1/auction/lots/" + id + "/bids");
  ASSERT_EQ(bids.status, 200);
  const auto& list = bids.json.at("bids").as_array();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].at("price_fen"), 42000);  // newest first
  EXPECT_EQ(list[0].at("bidder"), "测*****");
  EXPECT_EQ(bids.body.find("13800002"), std::string::npos);
  EXPECT_EQ(bids.body.find("max_fen"), std::string::npos);  // maxima stay private

  auto mine = bob_.Get("/api/v1/auction/my/bids");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json.at("bids").as_array().size(), 1u);
  EXPECT_EQ(mine.json.at("bids").at(0).at("max_fen"), 50000);
  EXPECT_EQ(mine.json.at("bids").at(0).at("lot").at("id"), json::value(id));
  EXPECT_EQ(Lot(id, &bob_).at("leading"), true);
  EXPECT_EQ(Lot(id, &alice_).at("leading"), false);

  // The outbid bidder reads it in-app; nobody else sees it.
  auto inbox = alice_.Get("/api/v1/me/notifications");
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  ASSERT_EQ(inbox.json.at("notifications").as_array().size(), 1u);
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("template"), "auction_outbid");
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("params").at("lot_id"), json::value(id));
  EXPECT_EQ(inbox.json.at("notifications").at(0).at("params").at("price_fen"), 32000);
  EXPECT_EQ(bob_.Get("/api/v1/me/notifications").json.at("notifications").as_array().size(), 0u);
  EXPECT_EQ(Client(server_).Get("/api/v1/me/notifications").status, 401);
}

TEST_F(AuctionApiTest, ATooLowBidIsRefusedWithTheMinimumAndStoredAsRefused) {
  const std::string id = LiveLot();
  ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
  auto low = Bid(bob_, id, 10500);
  EXPECT_EQ(low.status, 422);
  EXPECT_EQ(low.error_code(), "auction.bid_too_low");
  EXPECT_EQ(low.error_field(), "max_fen");
  EXPECT_EQ(low.json.at("error").at("min_fen"), 11000);
  // The message states the minimum, so the bidder need not look it up.
  EXPECT_NE(std::string(low.json.at("error").at("message").as_string()).find("¥110.00"), std::string::npos) << low.body;
  auto own = Bid(alice_, id, 30000);  // the leader must exceed their own maximum
  EXPECT_EQ(own.json.at("error").at("min_fen"), 30001);
  EXPECT_EQ(Lot(id).at("bid_count"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM auction_bids WHERE accepted = 0"), 2);
  auto mine = bob_.Get("/api/v1/auction/my/bids");
  EXPECT_EQ(mine.json.at("bids").at(0).at("reject_reason"), "auction.bid_too_low");
}

TEST_F(AuctionApiTest, EqualMaximaTheEarlierBidderLeads) {
  const std::string id = LiveLot();
  ASSERT_EQ(Bid(alice_, id, 50000).status, 201);
  server_.clock().Advance(1000);
  auto tie = Bid(bob_, id, 50000);
  ASSERT_EQ(tie.status, 201);
  EXPECT_EQ(tie.json.at("leading"), false);
  EXPECT_EQ(tie.json.at("lot").at("price_fen"), 50000);
  EXPECT_EQ(Lot(id, &alice_).at("leading"), true);
}

TEST_F(AuctionApiTest, TheCreatorAndTheApproverMayNotBid) {
  const std::string id = LiveLot();
  EXPECT_EQ(Bid(maker_, id, 20000).error_code(), "auction.own_lot");
  auto approver = Bid(checker_, id, 20000);
  EXPECT_EQ(approver.status, 403);
  EXPECT_EQ(approver.error_code(), "auction.own_lot");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM auction_bids"), 0);
}

TEST_F(AuctionApiTest, AnIdempotencyKeyReplaysTheBidAndRefusesAnotherBody) {
  const std::string id = LiveLot();
  auto a = Bid(alice_, id, 20000, "same-key-123");
  auto b = Bid(alice_, id, 20000, "same-key-123");
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  EXPECT_EQ(a.json.at("bid").at("id"), b.json.at("bid").at("id"));
  EXPECT_EQ(Lot(id).at("bid_count"), 1);
  EXPECT_EQ(Bid(alice_, id, 30000, "same-key-123").error_code(), "idempotency_key_reused");
  auto low1 = Bid(bob_, id, 100, "low-key-1234");  // a refusal replays as the same refusal
  auto low2 = Bid(bob_, id, 100, "low-key-1234");
  EXPECT_EQ(low1.error_code(), "auction.bid_too_low");
  EXPECT_EQ(low2.error_code(), "auction.bid_too_low");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM auction_bids"), 2);
}

TEST_F(AuctionApiTest, BadInputIsRefusedNamingTheField) {
  struct Case {
    json::object body;
    std::string code;
    std::string field;
  };
  std::vector<Case> cases = {
      {json::object{{"title", "x"}}, "missing_field", "donor_name"},
      {LotBody({{"title", ""}}), "missing_field", "title"},
      {LotBody({{"start_price_fen", 0}}), "out_of_range", "start_price_fen"},
      {LotBody({{"ends_at_ms", Now()}}), "invalid_time_range", "ends_at_ms"},
      {LotBody({{"reserve_fen", 5000}}), "out_of_range", "reserve_fen"},
      {LotBody({{"market_value_fen", -1}}), "out_of_range", "market_value_fen"},
      {LotBody({{"purpose_id", 999}}), "purpose_not_found", "purpose_id"},
      {LotBody({{"colour", "red"}}), "unknown_field", "colour"},
      {LotBody({{"start_price_fen", "100"}}), "invalid_type", "start_price_fen"},
  };
  for (const Case& c : cases) {
    auto r = maker_.Post("/api/v1/auction/lots", c.body);
    EXPECT_EQ(r.error_code(), c.code) << r.body;
    EXPECT_EQ(r.error_field(), c.field) << r.body;
    EXPECT_NE(r.json.at("error").at("message").as_string(), "");
  }
  EXPECT_EQ(alice_.Post("/api/v1/auction/lots", LotBody()).status, 403);
  EXPECT_EQ(Client(server_).Post("/api/v1/auction/lots", LotBody()).status, 401);

  const std::string id = LiveLot();
  auto zero = Bid(alice_, id, 0);
  EXPECT_EQ(zero.status, 400);
  EXPECT_EQ(zero.error_field(), "max_fen");
  auto no_key = alice_.Post("/api/v1/auction/lots/" + id + "/bids", json::object{{"max_fen", 20000}});
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(no_key.error_field(), "Idempotency-Key");
  auto extra = alice_.Post("/api/v1/auction/lots/" + id + "/bids", json::object{{"max_fen", 20000}, {"x", 1}},
                           {{"Idempotency-Key", "extra-key-1"}});
  EXPECT_EQ(extra.error_code(), "unknown_field");
  EXPECT_EQ(Client(server_).Post("/api/v1/auction/lots/" + id + "/bids", json::object{{"max_fen", 20000}},
                                 {{"Idempotency-Key", "anon-key-12"}})
                .status,
            401);
  EXPECT_EQ(Bid(alice_, "not-a-lot", 20000).status, 404);
  EXPECT_EQ(Bid(alice_, "AAAAAAAAAAAAAAAAAAAA", 20000).status, 404);
  EXPECT_EQ(Client(server_).Get("/api/v1/auction/lots/12").status, 404);
}

TEST_F(AuctionApiTest, ABidAtEndMinusOneMillisecondExtendsAndARefusedOneDoesNot) {
  const std::string id = LiveLot();
  const int64_t end = Lot(id).at("ends_at_ms").as_int64();
  ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
  server_.clock().Set(end - 1);
  auto late = Bid(bob_, id, 20000);  // below alice's maximum: raises the price, so it extends
  ASSERT_EQ(late.status, 201) << late.body;
  EXPECT_EQ(late.json.at("bid").at("extended"), true);
  EXPECT_EQ(late.json.at("lot").at("ends_at_ms"), end - 1 + 5 * kMinute);
  EXPECT_EQ(late.json.at("lot").at("extensions"), 1);

  const int64_t new_end = end - 1 + 5 * kMinute;
  server_.clock().Set(new_end - 1000);
  auto refused = Bid(carol_, id, 20000);
  EXPECT_EQ(refused.error_code(), "auction.bid_too_low");
  auto raise = Bid(alice_, id, 90000);  // the leader's own raise: accepted, the price stays, no extension
  ASSERT_EQ(raise.status, 201);
  EXPECT_EQ(raise.json.at("bid").at("extended"), false);
  json::object lot = Lot(id);
  EXPECT_EQ(lot.at("ends_at_ms"), new_end);
  EXPECT_EQ(lot.at("extensions"), 1);

  server_.clock().Set(new_end);
  auto closed = Bid(carol_, id, 900000);
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(closed.error_code(), "auction.closed");
  EXPECT_EQ(Lot(id).at("status"), "ended");
}

class AuctionCapTest : public AuctionApiTest {
 protected:
  static Config Cfg() {
    Config c = TestConfig();
    c.auction.max_extensions = 2;
    c.auction.extend_minutes = 3;
    return c;
  }
  AuctionCapTest() : AuctionApiTest(Cfg()) {}
};

TEST_F(AuctionCapTest, ExtensionsStopAtTheConfiguredCap) {
  const std::string id = LiveLot();
  Client* bidders[] = {&alice_, &bob_};
  int64_t max = 20000;
  for (int i = 0; i < 3; ++i) {
    const int64_t end = Lot(id).at("ends_at_ms").as_int64();
    server_.clock().Set(end - 1);
    auto r = Bid(*bidders[i % 2], id, max);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json.at("bid").at("extended"), i < 2) << i;
    EXPECT_EQ(r.json.at("lot").at("ends_at_ms"), i < 2 ? end - 1 + 3 * kMinute : end) << i;
    max += 10000;
  }
  EXPECT_EQ(Lot(id).at("extensions"), 2);
}

TEST_F(AuctionApiTest, AReserveNotMetLeavesTheLotUnsold) {
  const std::string id = LiveLot({{"reserve_fen", 100000}});
  ASSERT_EQ(Bid(alice_, id, 60000).status, 201);
  ASSERT_EQ(Bid(bob_, id, 80000).status, 201);
  EXPECT_EQ(Lot(id).at("reserve_met"), false);
  CloseLot(id);
  json::object lot = Lot(id);
  EXPECT_EQ(lot.at("status"), "unsold");
  EXPECT_EQ(Lot(id, &maker_).at("unsold_reason"), "reserve_not_met");
  EXPECT_EQ(bob_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}").status, 404);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'auction_reserve_not_met'"), 1);
  EXPECT_EQ(RunDue(), 0);  // closed once
}

TEST_F(AuctionApiTest, ALotWithoutBidsClosesUnsold) {
  const std::string id = LiveLot();
  CloseLot(id);
  EXPECT_EQ(Lot(id).at("status"), "unsold");
  EXPECT_EQ(Lot(id, &checker_).at("unsold_reason"), "no_bids");
}

TEST_F(AuctionApiTest, TheWinnerPaysThroughTheSandboxAndTheLotIsPaid) {
  const std::string id = LiveLot({{"market_value_fen", 20000}});
  ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
  ASSERT_EQ(Bid(bob_, id, 50000).status, 201);
  CloseLot(id);
  json::object seen = Lot(id, &bob_);
  EXPECT_EQ(seen.at("status"), "sold");
  EXPECT_EQ(seen.at("stage"), "awaiting_payment");
  EXPECT_EQ(seen.at("you_are_buyer"), true);
  EXPECT_EQ(seen.at("sale_price_fen"), 32000);
  EXPECT_EQ(seen.at("pay_by_ms"), Now() + 48 * kHour);
  EXPECT_FALSE(Lot(id, &alice_).contains("stage"));
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'auction_won'"), 1);

  EXPECT_EQ(alice_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}").status, 404);
  auto pay = bob_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}");
  ASSERT_EQ(pay.status, 200) << pay.body;
  const std::string payment(pay.json.at("payment").at("id").as_string());
  EXPECT_EQ(pay.json.at("payment").at("amount_fen"), 32000);
  EXPECT_NE(pay.json.at("payment").at("pay_url").as_string().find("/pay/sandbox/"), std::string::npos);
  auto again = bob_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}");  // the same open order
  EXPECT_EQ(again.json.at("payment").at("id"), json::value(payment));
  auto paid = bob_.PostRaw("/api/v1/payments/sandbox/" + payment + "/pay", "{}");
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(Lot(id, &bob_).at("stage"), "paid");
  // Into the Care Fund: ¥320 paid, ¥200 of it the stated market value, so a
  // 捐赠票据 for the ¥120 gift.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_sales WHERE ref_type = 'auction_lot' AND fund_fen = 32000 "
                           "AND receipt_fen = 12000 AND goods_value_fen = 20000"),
            1);
  EXPECT_EQ(Count(server_, "SELECT amount_fen FROM fund_donations WHERE sale_id IS NOT NULL"), 12000);
  EXPECT_TRUE(VerifyBooks(server_).ok);
  EXPECT_EQ(bob_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}").error_code(), "auction.not_payable");
  // Past the deadline nothing lapses any more.
  server_.clock().Advance(49 * kHour);
  RunDue();
  EXPECT_EQ(Lot(id, &bob_).at("stage"), "paid");
}

TEST_F(AuctionApiTest, AnUnpaidWinnerLapsesAndTheRunnerUpMustConsentBeforePaying) {
  const std::string id = LiveLot();
  ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
  ASSERT_EQ(Bid(bob_, id, 50000).status, 201);
  CloseLot(id);
  EXPECT_EQ(checker_.PostRaw("/api/v1/auction/lots/" + id + "/offer-runner-up", "{}").error_code(),
            "auction.not_lapsed");
  server_.clock().Advance(48 * kHour);
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Lot(id, &maker_).at("stage"), "lapsed");
  EXPECT_EQ(bob_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}").error_code(), "auction.not_payable");

  EXPECT_EQ(alice_.PostRaw("/api/v1/auction/lots/" + id + "/offer-runner-up", "{}").status, 403);
  EXPECT_EQ(alice_.PostRaw("/api/v1/auction/lots/" + id + "/accept-offer", "{}").status, 404);  // nothing offered yet
  auto offered = checker_.PostRaw("/api/v1/auction/lots/" + id + "/offer-runner-up", "{}");
  ASSERT_EQ(offered.status, 200) << offered.body;
  EXPECT_EQ(offered.json.at("lot").at("stage"), "offered");
  EXPECT_EQ(offered.json.at("lot").at("offer_price_fen"), 30000);  // alice's own last maximum
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM notify_outbox WHERE template = 'auction_second_chance'"), 1);
  // Nothing is charged without consent: no payment until alice accepts.
  EXPECT_EQ(alice_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}").status, 404);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payments WHERE purpose = 'auction_lot'"), 0);
  EXPECT_EQ(carol_.PostRaw("/api/v1/auction/lots/" + id + "/accept-offer", "{}").status, 404);
  EXPECT_EQ(Lot(id, &alice_).at("you_are_offered"), true);

  auto accepted = alice_.PostRaw("/api/v1/auction/lots/" + id + "/accept-offer", "{}");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json.at("lot").at("stage"), "awaiting_payment");
  EXPECT_EQ(accepted.json.at("lot").at("you_are_buyer"), true);
  auto pay = alice_.PostRaw("/api/v1/auction/lots/" + id + "/pay", "{}");
  ASSERT_EQ(pay.status, 200) << pay.body;
  EXPECT_EQ(pay.json.at("payment").at("amount_fen"), 30000);
  const std::string payment(pay.json.at("payment").at("id").as_string());
  ASSERT_EQ(alice_.PostRaw("/api/v1/payments/sandbox/" + payment + "/pay", "{}").status, 200);
  EXPECT_EQ(Lot(id, &alice_).at("stage"), "paid");
  // No market value stated: the whole price is the gift.
  EXPECT_EQ(Count(server_, "SELECT receipt_fen FROM fund_sales WHERE ref_type = 'auction_lot'"), 30000);
  EXPECT_TRUE(VerifyBooks(server_).ok);
}

TEST_F(AuctionApiTest, ADeclinedOrExpiredOfferLeavesTheLotUnsold) {
  std::vector<std::string> ids = {LiveLot(), LiveLot()};
  for (const std::string& id : ids) {
    ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
    ASSERT_EQ(Bid(bob_, id, 50000).status, 201);
  }
  server_.clock().Set(Lot(ids[1]).at("ends_at_ms").as_int64());
  EXPECT_EQ(RunDue(), 2);
  server_.clock().Advance(48 * kHour);
  EXPECT_EQ(RunDue(), 2);
  for (const std::string& id : ids) {
    ASSERT_EQ(checker_.PostRaw("/api/v1/auction/lots/" + id + "/offer-runner-up", "{}").status, 200);
  }
  auto declined = alice_.PostRaw("/api/v1/auction/lots/" + ids[0] + "/decline-offer", "{}");
  ASSERT_EQ(declined.status, 200) << declined.body;
  EXPECT_EQ(declined.json.at("lot").at("stage"), "unsold");
  EXPECT_EQ(declined.json.at("lot").at("unsold_reason"), "offer_declined");
  server_.clock().Advance(24 * kHour);
  EXPECT_EQ(alice_.PostRaw("/api/v1/auction/lots/" + ids[1] + "/accept-offer", "{}").error_code(),
            "auction.offer_expired");
  EXPECT_EQ(RunDue(), 1);
  EXPECT_EQ(Lot(ids[1], &maker_).at("unsold_reason"), "offer_expired");
  EXPECT_EQ(Lot(ids[1]).at("status"), "unsold");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payments WHERE purpose = 'auction_lot'"), 0);
}

TEST_F(AuctionApiTest, SnapshotIsTheLotsPublicJsonAndEveryChangeIsPublishedWithoutItsContent) {
  std::vector<std::pair<std::string, std::string>> seen;
  std::mutex mu;
  server_.app().auction().set_change_hook([&](const std::string& lot, const std::string& snapshot) {
    std::lock_guard lock(mu);
    seen.emplace_back(lot, snapshot);
  });
  const std::string id = LiveLot();
  ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
  ASSERT_EQ(Bid(bob_, id, 10500).status, 422);  // refused: nothing published
  ASSERT_EQ(Bid(bob_, id, 50000).status, 201);
  CloseLot(id);
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].first, id);
  EXPECT_EQ(json::parse(seen[1].second).at("lot").at("price_fen"), 32000);
  EXPECT_EQ(json::parse(seen[2].second).at("lot").at("status"), "sold");
  auto snapshot = RunSync(server_.app().auction().Snapshot(id));
  ASSERT_TRUE(snapshot.ok());
  // The page's answer is the snapshot plus the server's time for the countdown.
  json::object page = json::parse(Client(server_).Get("/api/v1/auction/lots/" + id).body).as_object();
  EXPECT_TRUE(page.erase("now_ms"));
  EXPECT_EQ(json::parse(*snapshot), json::value(page));
  // The last change is the snapshot without what no bid changes.
  json::object whole = json::parse(*snapshot).at("lot").as_object();
  for (const char* key : {"description", "description_html", "photos"}) {
    EXPECT_TRUE(whole.erase(key)) << key;
  }
  EXPECT_EQ(json::value(json::object{{"lot", whole}}), json::parse(seen[2].second));
}

// The wiring the lot page relies on: GET /ws/auctions/{id} opens with the
// lot's state and then carries every accepted bid, to every watcher.
// Public pages mask people: the donor too, for the public and on the live
// channel; fund admins see the name.
TEST_F(AuctionApiTest, TheLotPageTellsEachSignedInBidderTheirOwnMaximumAndNobodyElse) {
  const std::string id = LiveLot();
  ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
  ASSERT_EQ(Bid(alice_, id, 36000).status, 201);  // she raised her own maximum
  ASSERT_EQ(Bid(bob_, id, 10500).status, 422);     // refused: not a maximum of his
  ASSERT_EQ(Bid(bob_, id, 50000).status, 201);
  EXPECT_EQ(Lot(id, &alice_).at("my_max_fen"), 36000);
  EXPECT_EQ(Lot(id, &bob_).at("my_max_fen"), 50000);
  EXPECT_TRUE(Lot(id, &carol_).at("my_max_fen").is_null());  // signed in, never bid
  EXPECT_FALSE(Lot(id).contains("my_max_fen"));              // a guest
  // Lists carry no one's maximum. Both answers state the server's time, for the countdowns.
  auto list = alice_.Get("/api/v1/auction/lots?status=live");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json.at("now_ms"), server_.clock().NowMs());
  EXPECT_EQ(alice_.Get("/api/v1/auction/lots/" + id).json.at("now_ms"), server_.clock().NowMs());
  for (const auto& l : list.json.at("lots").as_array()) {
    EXPECT_FALSE(l.as_object().contains("my_max_fen"));
  }
}

TEST_F(AuctionApiTest, TheDonorIsMaskedInPublicAndWholeForFundAdmins) {
  const std::string id = LiveLot();
  EXPECT_EQ(Lot(id).at("donor_name"), "陈**");
  EXPECT_EQ(Lot(id, &alice_).at("donor_name"), "陈**");
  EXPECT_EQ(Lot(id, &maker_).at("donor_name"), "陈先生");
  auto snapshot = RunSync(server_.app().auction().Snapshot(id));
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->find("陈先生"), std::string::npos) << *snapshot;
}

TEST_F(AuctionApiTest, WatchersOfALotSeeEveryAcceptedBidLive) {
  const std::string id = LiveLot();
  WsClient first(server_.port(), "/ws/auctions/" + id);
  WsClient second(server_.port(), "/ws/auctions/" + id);
  for (WsClient* w : {&first, &second}) {
    auto opening = w->Next();
    ASSERT_TRUE(opening.has_value());
    const json::object lot = json::parse(*opening).at("lot").as_object();
    EXPECT_EQ(lot.at("bid_count"), 0);
    EXPECT_TRUE(lot.contains("description_html") && lot.contains("photos"));  // the whole lot first
  }
  ASSERT_EQ(Bid(alice_, id, 30000).status, 201);
  ASSERT_EQ(Bid(bob_, id, 10500).status, 422);  // refused: nothing sent
  ASSERT_EQ(Bid(bob_, id, 50000).status, 201);
  for (WsClient* w : {&first, &second}) {
    auto one = w->Next();
    auto two = w->Next();
    ASSERT_TRUE(one.has_value() && two.has_value());
    EXPECT_EQ(json::parse(*one).at("lot").at("bid_count"), 1);
    EXPECT_EQ(json::parse(*two).at("lot").at("price_fen"), 32000);
    EXPECT_EQ(json::parse(*two).at("lot").at("bid_count"), 2);
    // A change carries what a bid changes, not the description or the photos.
    EXPECT_FALSE(json::parse(*two).at("lot").as_object().contains("description_html"));
    EXPECT_FALSE(json::parse(*two).at("lot").as_object().contains("photos"));
    EXPECT_FALSE(w->Next(std::chrono::milliseconds(300)).has_value());
  }
  EXPECT_THROW(WsClient(server_.port(), "/ws/auctions/nosuchlot"), std::runtime_error);
}

}  // namespace
}  // namespace carecity::testing
