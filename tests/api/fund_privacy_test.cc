// Payments, donations and receipts answer their owner only, and the public
// sees donors masked: what a stranger on the internet tries, refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/run_sync.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

Checkout Give(Client& c, int64_t amount, const std::string& key, bool anonymous = false) {
  auto r = c.Post("/api/v1/fund/donations", json::value{{"amount_fen", amount}, {"anonymous", anonymous}},
                  {{"Idempotency-Key", key}});
  EXPECT_EQ(r.status, 201) << r.body;
  return CheckoutOf(r);
}

class FundPrivacyTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(FundPrivacyTest, AStrangerCannotSeePayCancelOrQueryAGuestsPayment) {
  Client guest(server_);
  const Checkout k = Give(guest, 2000, "privacy-guest-1");
  ASSERT_FALSE(k.token.empty());
  Client stranger(server_);
  Client other = UserWith(server_, "13912000001");
  const std::string wrong = "?token=" + std::string(32, '0');
  for (Client* c : {&stranger, &other}) {
    for (const std::string& q : {std::string(), wrong}) {
      EXPECT_EQ(c->Get("/api/v1/payments/" + k.payment + q).status, 404);
      EXPECT_EQ(c->PostRaw("/api/v1/payments/" + k.payment + "/query" + q, "{}").status, 404);
      EXPECT_EQ(c->PostRaw("/api/v1/payments/sandbox/" + k.payment + "/pay" + q, "{}").status, 404);
      EXPECT_EQ(c->PostRaw("/api/v1/payments/sandbox/" + k.payment + "/cancel" + q, "{}").status, 404);
      EXPECT_EQ(c->Get("/api/v1/fund/donations/" + k.donation + q).status, 404);
      EXPECT_EQ(c->Get("/api/v1/fund/donations/" + k.donation + "/trace" + q).status, 404);
    }
  }
  // The payment's token opens nothing else: not another guest's payment.
  Client guest2(server_);
  const Checkout k2 = Give(guest2, 3000, "privacy-guest-2");
  EXPECT_EQ(guest.Get("/api/v1/payments/" + k2.payment + k.Q()).status, 404);
  // Nothing changed: still payable by its payer, nothing booked.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payments WHERE status = 'created'"), 2);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), 0);
  EXPECT_EQ(guest.Get("/api/v1/payments/" + k.payment + k.Q()).status, 200);
  EXPECT_EQ(guest.PostRaw("/api/v1/payments/sandbox/" + k.payment + "/pay" + k.Q(), "{}").status, 200);
  EXPECT_EQ(guest.Get("/api/v1/fund/donations/" + k.donation + k.Q()).json.at("donation").at("status").as_string(),
            "confirmed");
}

TEST_F(FundPrivacyTest, ASignedInDonorsPaymentAnswersTheirSessionOnlyNotAToken) {
  Client donor = UserWith(server_, "13912000002");
  const Checkout k = Give(donor, 2000, "privacy-user-1");
  EXPECT_TRUE(k.token.empty());  // their pay link carries no token: their session is the key
  EXPECT_EQ(donor.Get("/api/v1/payments/" + k.payment).status, 200);
  EXPECT_EQ(donor.Get("/api/v1/fund/donations/" + k.donation).status, 200);
  Client other = UserWith(server_, "13912000003");
  EXPECT_EQ(other.Get("/api/v1/payments/" + k.payment).status, 404);
  EXPECT_EQ(other.PostRaw("/api/v1/payments/sandbox/" + k.payment + "/pay", "{}").status, 404);
  EXPECT_EQ(other.Get("/api/v1/fund/donations/" + k.donation).status, 404);
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/donations/" + k.donation).status, 404);
}

TEST_F(FundPrivacyTest, PublicIdsAreNotSequencesAndNumbersFindNothing) {
  Client guest(server_);
  const Checkout a = Give(guest, 2000, "ids-00000001");
  const Checkout b = Give(guest, 2000, "ids-00000002");
  for (const std::string& id : {a.donation, a.payment, b.donation, b.payment}) {
    EXPECT_TRUE(IsPublicId(id)) << id;
  }
  EXPECT_NE(a.payment, b.payment);
  EXPECT_EQ(guest.Get("/api/v1/payments/1" + a.Q()).status, 404);
  EXPECT_EQ(guest.Get("/api/v1/fund/donations/1" + a.Q()).status, 404);
  EXPECT_EQ(guest.PostRaw("/api/v1/payments/sandbox/1/pay" + a.Q(), "{}").status, 404);
}

TEST_F(FundPrivacyTest, TheReceiptsPublicPageMasksTheDonorAndTheCheckCodeOpensTheWholeReceipt) {
  Client donor = UserWith(server_, "13912000004");  // display name 测试0004
  const Checkout k = Give(donor, 2000, "receipt-mask-1");
  ASSERT_EQ(donor.PostRaw("/api/v1/payments/sandbox/" + k.payment + "/pay", "{}").status, 200);
  const auto mine = donor.Get("/api/v1/fund/donations/" + k.donation).json.at("donation");
  const std::string no(mine.at("receipt_no").as_string());
  const std::string code(mine.at("receipt_check").as_string());

  const auto pub = Client(server_).Get("/api/v1/fund/receipts/" + no);
  ASSERT_EQ(pub.status, 200);
  EXPECT_EQ(pub.json.at("receipt").at("donor").as_string(), "测*****");
  EXPECT_FALSE(pub.json.at("receipt").at("full").as_bool());
  EXPECT_TRUE(pub.json.at("receipt").at("check_code").is_null());
  EXPECT_TRUE(pub.json.at("receipt").at("verify_url").is_null());
  EXPECT_EQ(pub.json.at("receipt").at("amount_fen").as_int64(), 2000);
  EXPECT_EQ(pub.json.at("receipt").at("status").as_string(), "valid");
  EXPECT_EQ(pub.body.find("测试0004"), std::string::npos);
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/receipts/" + no + "?code=0000000000").json.at("receipt").at("donor").as_string(),
            "测*****");
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/receipts/" + no + "/qr.svg").status, 404);

  const auto with_code = Client(server_).Get("/api/v1/fund/receipts/" + no + "?code=" + code);
  EXPECT_EQ(with_code.json.at("receipt").at("donor").as_string(), "测试0004");
  EXPECT_TRUE(with_code.json.at("receipt").at("full").as_bool());
  EXPECT_EQ(donor.Get("/api/v1/fund/receipts/" + no).json.at("receipt").at("donor").as_string(), "测试0004");
  Client admin = UserWith(server_, "13912000005", {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  EXPECT_EQ(admin.Get("/api/v1/fund/receipts/" + no).json.at("receipt").at("donor").as_string(), "测试0004");
}

TEST_F(FundPrivacyTest, ADeletedDonorIsAnonymousInPublicAndNamedOnlyToFundAdmins) {
  Client donor = UserWith(server_, "13912000006");
  const Checkout k = Give(donor, 2000, "forget-me-01");
  ASSERT_EQ(donor.PostRaw("/api/v1/payments/sandbox/" + k.payment + "/pay", "{}").status, 200);
  const auto mine = donor.Get("/api/v1/fund/donations/" + k.donation).json.at("donation");
  const std::string no(mine.at("receipt_no").as_string());
  const std::string code(mine.at("receipt_check").as_string());
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/entries?limit=1").json.at("entries").at(0).at("donor").as_string(),
            "测*****");

  accounts::Principal p;
  p.user_id = Count(server_, "SELECT id FROM users WHERE phone = '13912000006'");
  ASSERT_TRUE(RunSync(server_.app().accounts().DeleteAccount(p, "password123", accounts::ClientInfo{"127.0.0.1", "test"})).ok());

  EXPECT_EQ(Client(server_).Get("/api/v1/fund/entries?limit=1").json.at("entries").at(0).at("donor").as_string(),
            "匿名");
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/receipts/" + no).json.at("receipt").at("donor").as_string(), "匿名");
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/receipts/" + no + "?code=" + code).json.at("receipt").at("donor").as_string(),
            "匿名");
  Client admin = UserWith(server_, "13912000007", {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  EXPECT_EQ(admin.Get("/api/v1/fund/receipts/" + no).json.at("receipt").at("donor").as_string(), "测试0006");
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/entries.csv").body.find("测"), std::string::npos);
}

TEST_F(FundPrivacyTest, RejectedNotificationsAreStoredAtMostThirtyAMinuteAndShort) {
  Client attacker(server_);
  const std::string junk(4000, 'x');
  for (int i = 0; i < 45; ++i) {
    auto r = attacker.Send("POST", "/api/v1/payments/notify/sandbox", junk,
                           {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 401);  // reached the provider's check, not refused as a browser form (415)
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications"),
            payments::PaymentsService::kRejectedLoggedPerMinute);
  EXPECT_LE(Count(server_, "SELECT MAX(LENGTH(body)) FROM payment_notifications"), 512);
  server_.clock().Advance(61'000);
  EXPECT_EQ(attacker.Send("POST", "/api/v1/payments/notify/sandbox", junk, {{"Content-Type", "text/plain"}}).status, 401);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications"),
            payments::PaymentsService::kRejectedLoggedPerMinute + 1);
}

TEST_F(FundPrivacyTest, GuestsGiveAtMostTwentyTimesInTenMinutesFromOneAddress) {
  Client guest(server_);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(guest.Post("/api/v1/fund/donations", json::value{{"amount_fen", 1000}},
                         {{"Idempotency-Key", "limit-key-" + std::to_string(100 + i)}})
                  .status,
              201);
  }
  auto limited = guest.Post("/api/v1/fund/donations", json::value{{"amount_fen", 1000}}, {{"Idempotency-Key", "limit-key-999"}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "rate_limited");
  EXPECT_FALSE(limited.header("retry-after").empty());
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_donations"), 20);
  server_.clock().Advance(10 * 60 * 1000 + 1000);
  EXPECT_EQ(guest.Post("/api/v1/fund/donations", json::value{{"amount_fen", 1000}}, {{"Idempotency-Key", "limit-key-998"}})
                .status,
            201);
}

TEST_F(FundPrivacyTest, TheJournalCsvIsStreamedPageByPageAndComplete) {
  // 2,500 entries: three pages of the journal, sent as they are read.
  ASSERT_TRUE(db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Status {
                for (int i = 0; i < 2500; ++i) {
                  auto d = server_.app().fund().RecordOfflineDonationTx(tx, "李伯", false, std::nullopt, 100 + i, 1 + i);
                  if (!d.ok()) {
                    return d.error();
                  }
                }
                return {};
              }).ok());
  auto csv = Client(server_).Get("/api/v1/fund/entries.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.header("transfer-encoding"), "chunked");
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  size_t lines = 0;
  for (char ch : csv.body) {
    lines += ch == '\n' ? 1 : 0;
  }
  EXPECT_EQ(lines, 1u + 2500u * 2u);  // the header, then two lines per entry
  EXPECT_NE(csv.body.find("\r\n1,"), std::string::npos);     // the oldest entry, last
  EXPECT_NE(csv.body.find("\r\n2500,"), std::string::npos);  // the newest
  EXPECT_EQ(csv.body.find("李伯"), std::string::npos);          // masked: 李*
}

TEST_F(FundPrivacyTest, OldIdempotencyKeysAndRejectedNotificationsArePruned) {
  const int64_t now = server_.clock().NowMs();
  const int64_t day = 24LL * 3600 * 1000;
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    for (int i = 0; i < 3; ++i) {
      tx.Exec("INSERT INTO idempotency_keys (scope, key, request_hash, ref_id, created_at_ms) VALUES ('t', $1, 'h', 1, $2)",
              {"old" + std::to_string(i), now - 8 * day});
    }
    tx.Exec("INSERT INTO idempotency_keys (scope, key, request_hash, ref_id, created_at_ms) VALUES ('t', 'new', 'h', 1, $1)",
            {now - day});
    for (int valid = 0; valid < 2; ++valid) {
      tx.Exec("INSERT INTO payment_notifications (provider, out_trade_no, valid, outcome, body, received_at_ms) "
              "VALUES ('sandbox', '', $1, 'x', '', $2)",
              {valid, now - 31 * day});
    }
    tx.Exec("INSERT INTO payment_notifications (provider, out_trade_no, valid, outcome, body, received_at_ms) "
            "VALUES ('sandbox', '', 0, 'x', '', $1)",
            {now - day});
    return true;
  });
  server_.app().RunMaintenance();
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM idempotency_keys"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM idempotency_keys WHERE key = 'new'"), 1);
  // Accepted notifications are the evidence of payments: kept. Rejected ones go after 30 days.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE valid = 1"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE valid = 0"), 1);
}

TEST(PaymentsConfigTest, WithoutTheSandboxThereIsNoPayPageAndGivingSaysPaymentsAreUnavailable) {
  Config cfg = TestConfig();
  cfg.sandbox.enabled = false;
  TestServer server(cfg);
  Client c(server);
  auto r = c.Post("/api/v1/fund/donations", json::value{{"amount_fen", 2000}}, {{"Idempotency-Key", "no-sandbox-1"}});
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.error_code(), "payments_unavailable");
  EXPECT_EQ(r.json.at("error").at("message").as_string(), "在线捐赠暂不可用");  // not the generic 503 text
  EXPECT_EQ(Count(server, "SELECT COUNT(*) FROM fund_donations"), 0);
  EXPECT_EQ(c.PostRaw("/api/v1/payments/sandbox/abcdefghijklmnopqrst/pay", "{}").status, 404);
  EXPECT_EQ(c.PostRaw("/api/v1/payments/notify/sandbox", "{}").status, 404);
}

TEST(PaymentsConfigTest, TheSandboxRefusesToRunUnderAPublicHttpsOriginUnlessToldItIsStaging) {
  FakeClock clock(1'800'000'000'000);
  TestDb db;
  Config cfg = TestConfig();
  cfg.db_url = db.url();
  cfg.public_origin = "https://care.example.cn";
  auto refused = app::App::Open(cfg, clock);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "payments.sandbox");
  EXPECT_NE(refused.error().detail.find("https"), std::string::npos);
  cfg.sandbox.allow_on_https = true;
  auto staging = app::App::Open(cfg, clock);
  EXPECT_TRUE(staging.ok());
}

}  // namespace
}  // namespace carecity::testing
