// The Care Fund over HTTP: donations through the sandbox provider, exactly
// one credit whatever the notifications do, idempotency, receipts, the public
// views, maker–checker and permissions.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "core/crypto.h"
#include "core/run_sync.h"
#include "domains/fund/ledger.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;

fund::VerifyReport VerifyBooks(TestServer& s) {
  return db::ReadSync(s.app().store(), [](db::Tx& tx) { return fund::ledger::Verify(tx); });
}

class FundApiTest : public ::testing::Test {
 protected:
  explicit FundApiTest(Config cfg = TestConfig()) : server_(cfg) {}

  HttpResult Donate(Client& c, const json::value& body, const std::string& key) {
    return c.Post("/api/v1/fund/donations", body, {{"Idempotency-Key", key}});
  }
  // A donation as its donor holds it, from the 201 answer: public ids and,
  // for a guest, the access token the pay link carries.
  struct Gift : Checkout {
    int64_t row = 0;  // the internal id, for SQL checks
  };
  Gift GiftOf(const HttpResult& r) {
    Gift g;
    static_cast<Checkout&>(g) = CheckoutOf(r);
    g.row = Count(server_, "SELECT id FROM fund_donations WHERE public_id = '" + g.donation + "'");
    return g;
  }
  HttpResult Pay(Client& c, const Gift& g) {
    return c.PostRaw("/api/v1/payments/sandbox/" + g.payment + "/pay" + g.Q(), "{}");
  }
  // Donates and pays.
  Gift DonateAndPay(Client& c, int64_t amount, const std::string& key, std::optional<int64_t> purpose = {}) {
    json::object body{{"amount_fen", amount}, {"anonymous", false}};
    if (purpose) {
      body["purpose_id"] = *purpose;
    }
    auto r = Donate(c, body, key);
    EXPECT_EQ(r.status, 201) << r.body;
    const Gift g = GiftOf(r);
    auto paid = Pay(c, g);
    EXPECT_EQ(paid.status, 200) << paid.body;
    return g;
  }
  // The donor's view: a guest's with its token, a signed-in donor's with their session.
  json::value Donation(const Gift& g, Client* donor = nullptr) {
    Client guest(server_);
    return (donor != nullptr ? *donor : guest).Get("/api/v1/fund/donations/" + g.donation + g.Q()).json.at("donation");
  }
  int64_t CreditsFor(const Gift& g) {
    return Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'donation' AND ref_id = " +
                              std::to_string(g.row));
  }

  TestServer server_;
};

TEST_F(FundApiTest, ADonationIsPaidConfirmedAndReceipted) {
  Client donor(server_);
  auto r = Donate(donor, json::value{{"amount_fen", 2000}, {"anonymous", true}, {"message", "加油"}}, "key-0000001");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json.at("donation").at("status").as_string(), "pending");
  const std::string pay_url(r.json.at("payment").at("pay_url").as_string());
  EXPECT_EQ(pay_url.rfind("/pay/sandbox/", 0), 0u);
  const Gift g = GiftOf(r);
  EXPECT_TRUE(IsPublicId(g.donation) && IsPublicId(g.payment)) << g.donation << " " << g.payment;
  EXPECT_EQ(g.token.size(), 32u);  // a guest reaches their checkout by the token in the pay link
  EXPECT_EQ(std::string(r.json.at("payment").at("return_url").as_string()),
            "/fund/donations/" + g.donation + "?token=" + g.token);

  auto paid = Pay(donor, g);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json.at("payment").at("status").as_string(), "paid");

  const auto d = Donation(g);
  EXPECT_EQ(d.at("status").as_string(), "confirmed");
  EXPECT_EQ(d.at("donor").as_string(), "匿名");
  const std::string receipt_no(d.at("receipt_no").as_string());
  const std::string code(d.at("receipt_check").as_string());
  auto receipt = Client(server_).Get("/api/v1/fund/receipts/" + receipt_no + "?code=" + code);
  ASSERT_EQ(receipt.status, 200);
  const auto& rc = receipt.json.at("receipt");
  EXPECT_EQ(rc.at("status").as_string(), "valid");
  EXPECT_TRUE(rc.at("full").as_bool());
  EXPECT_EQ(rc.at("amount_fen").as_int64(), 2000);
  EXPECT_EQ(rc.at("amount_in_words").as_string(), "贰拾元整");
  EXPECT_EQ(rc.at("donor").as_string(), "匿名");
  EXPECT_EQ(rc.at("check_code").as_string(), code);
  EXPECT_FALSE(rc.at("fundraiser").at("credit_code").as_string().empty());
  EXPECT_NE(std::string(rc.at("verify_url").as_string()).find("/r/" + receipt_no + "?code=" + code), std::string::npos);
  auto qr = Client(server_).Get("/api/v1/fund/receipts/" + receipt_no + "/qr.svg?code=" + code);
  EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
  EXPECT_EQ(qr.body.rfind("<svg", 0), 0u);
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/receipts/GC2099-999999").status, 404);

  EXPECT_EQ(CreditsFor(g), 1);
  auto books = VerifyBooks(server_);
  EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
}

TEST_F(FundApiTest, ReceiptNumbersRunWithoutGapsWithinTheYear) {
  // Receipt books are audited by number: each confirmed donation takes the next one.
  Client donor(server_);
  std::vector<std::string> numbers;
  for (int i = 0; i < 3; ++i) {
    auto r = Donate(donor, json::value{{"amount_fen", 1000 + i}, {"anonymous", false}}, "receipt-seq-" + std::to_string(i));
    ASSERT_EQ(r.status, 201) << r.body;
    const Gift g = GiftOf(r);
    ASSERT_EQ(Pay(donor, g).status, 200);
    numbers.emplace_back(Donation(g).at("receipt_no").as_string());
  }
  for (size_t i = 1; i < numbers.size(); ++i) {
    const auto dash = numbers[i].rfind('-');
    ASSERT_NE(dash, std::string::npos) << numbers[i];
    EXPECT_EQ(numbers[i].substr(0, dash), numbers[0].substr(0, dash));
    EXPECT_EQ(std::stoll(numbers[i].substr(dash + 1)), std::stoll(numbers[i - 1].substr(numbers[i - 1].rfind('-') + 1)) + 1)
        << numbers[i - 1] << " then " << numbers[i];
  }
}

TEST_F(FundApiTest, TheSameIdempotencyKeyNeverMakesTwoDonations) {
  Client donor(server_);
  const json::value body{{"amount_fen", 5000}, {"anonymous", false}};
  auto first = Donate(donor, body, "same-key-123");
  auto again = Donate(donor, body, "same-key-123");
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(first.json.at("donation").at("id"), again.json.at("donation").at("id"));
  EXPECT_EQ(first.json.at("payment").at("id"), again.json.at("payment").at("id"));
  auto other = Donate(donor, json::value{{"amount_fen", 6000}, {"anonymous", false}}, "same-key-123");
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.error_code(), "idempotency_key_reused");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_donations"), 1);
  auto missing = donor.Post("/api/v1/fund/donations", body);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.error_code(), "missing_idempotency_key");
  EXPECT_EQ(Donate(donor, body, "short").error_code(), "invalid_idempotency_key");
}

TEST_F(FundApiTest, BadDonationsAreRefusedAndWriteNothing) {
  Client donor(server_);
  EXPECT_EQ(Donate(donor, json::value{{"amount_fen", 0}}, "k-bad-00001").error_code(), "amount_out_of_range");
  EXPECT_EQ(Donate(donor, json::value{{"amount_fen", -5}}, "k-bad-00007").error_field(), "amount_fen");
  EXPECT_EQ(Donate(donor, json::value{{"amount_fen", 50}}, "k-bad-00002").error_code(), "amount_out_of_range");
  EXPECT_EQ(Donate(donor, json::value{{"amount_fen", 99'000'000'000LL}}, "k-bad-00003").error_code(), "amount_out_of_range");
  EXPECT_EQ(Donate(donor, json::value{{"amount_fen", 20.5}}, "k-bad-00004").error_code(), "invalid_type");
  EXPECT_EQ(Donate(donor, json::value{{"amount_fen", 2000}, {"purpose_id", 999}}, "k-bad-00005").status, 404);
  EXPECT_EQ(Donate(donor, json::value{{"amount_fen", 2000}, {"fee", 1}}, "k-bad-00006").error_code(), "unknown_field");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_donations"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payments"), 0);
}

TEST_F(FundApiTest, AForgedNotificationIsRejectedAndCreditsNothing) {
  Client donor(server_);
  auto r = Donate(donor, json::value{{"amount_fen", 2000}}, "forge-key-01");
  ASSERT_EQ(r.status, 201);
  const Gift donation = GiftOf(r);
  auto payment = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("SELECT out_trade_no FROM payments").front().Text(0);
  });
  const std::string body = json::serialize(json::object{{"out_trade_no", payment},
                                                        {"transaction_id", "FAKE"},
                                                        {"trade_state", "SUCCESS"},
                                                        {"amount_fen", 2000},
                                                        {"fee_fen", 0},
                                                        {"paid_at_ms", 1}});
  const std::string ts = std::to_string(server_.clock().NowMs());
  auto forged = Client(server_).PostRaw("/api/v1/payments/notify/sandbox", body,
                                        {{"X-Sandbox-Timestamp", ts}, {"X-Sandbox-Nonce", "n1"},
                                         {"X-Sandbox-Signature", std::string(64, 'a')}});
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(forged.error_code(), "invalid_signature");
  // A correctly signed but replayed-from-long-ago notification is refused too.
  const std::string old_ts = std::to_string(server_.clock().NowMs() - 3'600'000);
  auto stale = Client(server_).PostRaw(
      "/api/v1/payments/notify/sandbox", body,
      {{"X-Sandbox-Timestamp", old_ts}, {"X-Sandbox-Nonce", "n2"},
       {"X-Sandbox-Signature", server_.app().payments().sandbox()->Sign(old_ts, "n2", body)}});
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(Donation(donation).at("status").as_string(), "pending");
  EXPECT_EQ(CreditsFor(donation), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE valid = 0"), 2);
}

TEST_F(FundApiTest, AReplayedGenuineNotificationCreditsOnce) {
  Client donor(server_);
  const Gift donation = DonateAndPay(donor, 3000, "replay-key-1");
  auto order = db::ReadSync(server_.app().store(), [](db::Tx& tx) {
    return tx.Query("SELECT out_trade_no, transaction_id, paid_at_ms FROM sandbox_orders");
  });
  const std::string body = json::serialize(json::object{{"out_trade_no", order.front().Text(0)},
                                                        {"transaction_id", order.front().Text(1)},
                                                        {"trade_state", "SUCCESS"},
                                                        {"amount_fen", 3000},
                                                        {"fee_fen", 0},
                                                        {"paid_at_ms", order.front().Int(2)}});
  for (int i = 0; i < 5; ++i) {
    const std::string ts = std::to_string(server_.clock().NowMs());
    const std::string nonce = "replay" + std::to_string(i);
    auto r = Client(server_).PostRaw("/api/v1/payments/notify/sandbox", body,
                                     {{"X-Sandbox-Timestamp", ts}, {"X-Sandbox-Nonce", nonce},
                                      {"X-Sandbox-Signature", server_.app().payments().sandbox()->Sign(ts, nonce, body)}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json.at("outcome").as_string(), "duplicate");
  }
  EXPECT_EQ(CreditsFor(donation), 1);
}

TEST_F(FundApiTest, QueryConfirmRacingTheNotificationCreditsOnce) {
  Client donor(server_);
  auto r = Donate(donor, json::value{{"amount_fen", 2000}}, "race-key-001");
  const Gift donation = GiftOf(r);
  std::vector<std::thread> threads;
  threads.emplace_back([&] {
    Client c(server_);
    Pay(c, donation);
  });
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 5; ++k) {
        Client(server_).PostRaw("/api/v1/payments/" + donation.payment + "/query" + donation.Q(), "{}");
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(Donation(donation).at("status").as_string(), "confirmed");
  EXPECT_EQ(CreditsFor(donation), 1);
  EXPECT_TRUE(VerifyBooks(server_).ok);
}

TEST_F(FundApiTest, ACancelledPaymentCannotBePaid) {
  Client donor(server_);
  auto r = Donate(donor, json::value{{"amount_fen", 2000}}, "cancel-key-1");
  const Gift g = GiftOf(r);
  auto cancelled = donor.PostRaw("/api/v1/payments/sandbox/" + g.payment + "/cancel" + g.Q(), "{}");
  EXPECT_EQ(cancelled.status, 200);
  EXPECT_EQ(cancelled.json.at("payment").at("status").as_string(), "closed");
  auto pay = Pay(donor, g);
  EXPECT_EQ(pay.status, 409);
  EXPECT_EQ(Donation(g).at("status").as_string(), "closed");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), 0);
}

TEST_F(FundApiTest, TheSummaryAddsUpAndTheJournalMasksDonors) {
  Client alice = UserWith(server_, "13912340001", {});
  DonateAndPay(alice, 10000, "sum-key-0001");
  auto s = Client(server_).Get("/api/v1/fund/summary");
  ASSERT_EQ(s.status, 200);
  const auto& j = s.json;
  EXPECT_EQ(j.at("raised_fen").as_int64(), 10000);
  EXPECT_EQ(j.at("balance_fen").as_int64(),
            j.at("raised_fen").as_int64() - j.at("granted_fen").as_int64() - j.at("fees_fen").as_int64());
  auto entries = Client(server_).Get("/api/v1/fund/entries?limit=10");
  ASSERT_EQ(entries.status, 200);
  const auto& e = entries.json.at("entries").at(0);
  EXPECT_EQ(e.at("donor").as_string(), "测*****");  // "测试0001": all but the first character masked
  int64_t sum = 0;
  for (const auto& l : e.at("lines").as_array()) {
    sum += l.at("amount_fen").as_int64();
  }
  EXPECT_EQ(sum, 0);
  EXPECT_EQ(entries.body.find("13912340001"), std::string::npos);
  auto csv = Client(server_).Get("/api/v1/fund/entries.csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("100.00"), std::string::npos);
  auto mine = alice.Get("/api/v1/me/donations");
  EXPECT_EQ(mine.json.at("donations").as_array().size(), 1u);
  EXPECT_EQ(Client(server_).Get("/api/v1/me/donations").status, 401);
}

class FundAdminTest : public FundApiTest {
 protected:
  void SetUp() override {
    org_ = db::WriteSync(server_.app().store(), [](db::Tx& tx) {
      return tx.Query("INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ('博睿社工', "
                      "'52440605MJL1001X2A', '5A', 0) RETURNING id")
          .front()
          .Int(0);
    });
  }
  int64_t Allocate(Client& admin, int64_t amount, std::optional<int64_t> purpose = {}) {
    json::object body{{"amount_fen", amount}, {"budget_ref", "桂财〔2012〕1号"}};
    if (purpose) {
      body["purpose_id"] = *purpose;
    }
    auto r = admin.Post("/api/v1/fund/allocations", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("allocation").at("id").as_int64();
  }
  int64_t Commit(Client& admin, int64_t amount, std::optional<int64_t> purpose = {}) {
    json::object body{{"org_id", org_}, {"amount_fen", amount}, {"project_name", "长者探访"}};
    if (purpose) {
      body["purpose_id"] = *purpose;
    }
    auto r = admin.Post("/api/v1/fund/commitments", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.at("commitment").at("id").as_int64();
  }

  Client maker_ = UserWith(server_, "13800000004", {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  Client checker_ = UserWith(server_, "13800000008", {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  int64_t org_ = 0;
};

TEST_F(FundAdminTest, AnOrganisationsCoFundingIsBookedAsItsOwnSource) {
  const int64_t raised_before = Client(server_).Get("/api/v1/fund/summary").json.at("raised_fen").as_int64();
  const int64_t entries_before = Count(server_, "SELECT COUNT(*) FROM fund_entries");
  const json::object good{{"org_id", org_}, {"amount_fen", 5'000'000}, {"reference", "银行回单 2012-0315"},
                          {"memo", "长者探访配套资金"}};

  Client resident(server_);
  ASSERT_EQ(resident.Register("13912345678").status, 201);
  EXPECT_EQ(resident.Post("/api/v1/fund/cofundings", good).status, 403);
  EXPECT_EQ(Client(server_).Post("/api/v1/fund/cofundings", good).status, 401);
  json::object unknown = good;
  unknown["org_id"] = 9999;
  auto r = maker_.Post("/api/v1/fund/cofundings", unknown);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "org_not_found");
  json::object zero = good;
  zero["amount_fen"] = 0;
  EXPECT_EQ(maker_.Post("/api/v1/fund/cofundings", zero).error_field(), "amount_fen");
  json::object no_ref = good;
  no_ref.erase("reference");
  EXPECT_EQ(maker_.Post("/api/v1/fund/cofundings", no_ref).error_field(), "reference");
  json::object bad_purpose = good;
  bad_purpose["purpose_id"] = 9999;
  EXPECT_EQ(maker_.Post("/api/v1/fund/cofundings", bad_purpose).error_code(), "purpose_not_found");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), entries_before);  // refusals change nothing

  auto ok = maker_.Post("/api/v1/fund/cofundings", good);
  ASSERT_EQ(ok.status, 201) << ok.body;
  const int64_t entry = ok.json.at("cofunding").at("entry_id").as_int64();
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'cofunding' AND source = 'cofunding' AND "
                           "org_id = " + std::to_string(org_) + " AND id = " + std::to_string(entry)),
            1);
  auto summary = Client(server_).Get("/api/v1/fund/summary");
  EXPECT_EQ(summary.json.at("raised_fen").as_int64(), raised_before + 5'000'000);
  int64_t cofunded = 0;
  for (const auto& s : summary.json.at("by_source").as_array()) {
    if (s.at("source").as_string() == "cofunding") {
      cofunded = s.at("amount_fen").as_int64();
    }
  }
  EXPECT_EQ(cofunded, 5'000'000);
  auto books = VerifyBooks(server_);
  EXPECT_TRUE(books.ok) << (books.problems.empty() ? "" : books.problems.front());
}

TEST_F(FundAdminTest, DisbursementsNeedADifferentCheckerAndCannotOverpay) {
  Allocate(maker_, 1'000'000);
  const int64_t c = Commit(maker_, 600'000);
  auto proposed = maker_.Post("/api/v1/fund/disbursements", json::value{{"commitment_id", c}, {"amount_fen", 400'000}});
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const std::string id = std::to_string(proposed.json.at("disbursement").at("id").as_int64());
  auto self = maker_.PostRaw("/api/v1/fund/disbursements/" + id + "/approve", "{}");
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(self.error_code(), "self_approval");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'disbursement'"), 0);
  auto ok = checker_.PostRaw("/api/v1/fund/disbursements/" + id + "/approve", "{}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("disbursement").at("status").as_string(), "paid");
  EXPECT_EQ(checker_.PostRaw("/api/v1/fund/disbursements/" + id + "/approve", "{}").status, 409);
  auto over = maker_.Post("/api/v1/fund/disbursements", json::value{{"commitment_id", c}, {"amount_fen", 200'001}});
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(over.error_code(), "exceeds_commitment");
  auto summary = Client(server_).Get("/api/v1/fund/summary").json;
  EXPECT_EQ(summary.at("granted_fen").as_int64(), 600'000);
  EXPECT_EQ(summary.at("disbursed_fen").as_int64(), 400'000);
  EXPECT_TRUE(VerifyBooks(server_).ok);
}

TEST_F(FundAdminTest, ReleasingACommitmentGivesBackWhatWasNotPaidOnce) {
  Allocate(maker_, 1'000'000);
  const int64_t c = Commit(maker_, 600'000);
  const auto general = [this] {
    return -Count(server_, "SELECT balance_fen FROM fund_accounts WHERE code = 'fund:general'");
  };
  EXPECT_EQ(general(), 400'000);
  auto proposed = maker_.Post("/api/v1/fund/disbursements", json::value{{"commitment_id", c}, {"amount_fen", 250'000}});
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const int64_t d = proposed.json.at("disbursement").at("id").as_int64();
  auto& fund = server_.app().fund();
  const auto release = [&] {
    return db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return fund.ReleaseCommitmentTx(tx, 1, c, "项目结项", server_.clock().NowMs());
    });
  };
  auto pending = release();
  ASSERT_FALSE(pending.ok());
  EXPECT_EQ(pending.error().key, "disbursement_pending");
  auto found = db::ReadSync(server_.app().store(), [&](db::Tx& tx) { return fund.FindDisbursementTx(tx, d); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->status, "proposed");
  ASSERT_EQ(checker_.PostRaw("/api/v1/fund/disbursements/" + std::to_string(d) + "/approve", "{}").status, 200);
  auto released = release();
  ASSERT_TRUE(released.ok()) << released.error().key;
  EXPECT_EQ(*released, 350'000);
  EXPECT_EQ(general(), 750'000);  // back up by exactly the leftover
  EXPECT_EQ(Count(server_, "SELECT balance_fen FROM fund_accounts WHERE code LIKE 'payable:org:%'"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'fund.grant.released'"), 1);
  auto twice = release();
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().key, "commitment_released");
  auto more = maker_.Post("/api/v1/fund/disbursements", json::value{{"commitment_id", c}, {"amount_fen", 1}});
  EXPECT_EQ(more.error_code(), "exceeds_commitment");
  EXPECT_EQ(general(), 750'000);
  EXPECT_TRUE(VerifyBooks(server_).ok);
}

TEST_F(FundAdminTest, ApprovingAPayoutLongAfterSigningInWantsThePasswordAgain) {
  Allocate(maker_, 1'000'000);
  const int64_t c = Commit(maker_, 600'000);
  auto proposed = maker_.Post("/api/v1/fund/disbursements", json::value{{"commitment_id", c}, {"amount_fen", 100'000}});
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const std::string id = std::to_string(proposed.json.at("disbursement").at("id").as_int64());
  server_.clock().Advance((server_.app().config().recent_auth_s + 60) * 1000);
  auto stale = checker_.PostRaw("/api/v1/fund/disbursements/" + id + "/approve", "{}");
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(stale.error_code(), "reauth_required");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'disbursement'"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_disbursement_approvals"), 0);
  EXPECT_EQ(checker_.Post("/api/v1/auth/reauth", json::value{{"password", "wrong-password"}}).error_code(), "wrong_password");
  ASSERT_EQ(checker_.Post("/api/v1/auth/reauth", json::value{{"password", "password123"}}).status, 204);
  auto ok = checker_.PostRaw("/api/v1/fund/disbursements/" + id + "/approve", "{}");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("disbursement").at("status").as_string(), "paid");
}

TEST_F(FundAdminTest, LargeDisbursementsNeedTwoCheckers) {
  const int64_t big = server_.app().config().fund.two_approvals_above_fen + 100;
  Allocate(maker_, big * 2);
  const int64_t c = Commit(maker_, big);
  auto proposed = maker_.Post("/api/v1/fund/disbursements", json::value{{"commitment_id", c}, {"amount_fen", big}});
  const std::string id = std::to_string(proposed.json.at("disbursement").at("id").as_int64());
  EXPECT_EQ(proposed.json.at("disbursement").at("approvals_needed").as_int64(), 2);
  auto first = checker_.PostRaw("/api/v1/fund/disbursements/" + id + "/approve", "{}");
  EXPECT_EQ(first.json.at("disbursement").at("status").as_string(), "proposed");
  Client third = UserWith(server_, "13800000009", {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  auto second = third.PostRaw("/api/v1/fund/disbursements/" + id + "/approve", "{}");
  EXPECT_EQ(second.json.at("disbursement").at("status").as_string(), "paid");
}

TEST_F(FundAdminTest, GrantsCannotExceedWhatTheFundHolds) {
  Allocate(maker_, 100'000);
  auto r = maker_.Post("/api/v1/fund/commitments",
                       json::value{{"org_id", org_}, {"amount_fen", 100'001}, {"project_name", "超额"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.error_code(), "insufficient_funds");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_commitments"), 0);
}

TEST_F(FundAdminTest, TheTraceFollowsADonationIntoGrantsAndPayments) {
  auto purpose = maker_.Post("/api/v1/fund/purposes", json::value{{"code", "elderly"}, {"name", "关爱长者计划"},
                                                                  {"restricted", true}, {"filing_no", "53440605X"}});
  ASSERT_EQ(purpose.status, 201) << purpose.body;
  const int64_t pid = purpose.json.at("purpose").at("id").as_int64();
  Allocate(maker_, 5000, pid);  // older money is granted first (FIFO)
  Client donor(server_);
  const Gift donation = DonateAndPay(donor, 10000, "trace-key-01", pid);
  const int64_t c = Commit(maker_, 8000, pid);  // 5000 older money + 3000 of the donation
  auto proposed = maker_.Post("/api/v1/fund/disbursements", json::value{{"commitment_id", c}, {"amount_fen", 6000}});
  checker_.PostRaw("/api/v1/fund/disbursements/" +
                       std::to_string(proposed.json.at("disbursement").at("id").as_int64()) + "/approve",
                   "{}");
  auto trace = Client(server_).Get("/api/v1/fund/donations/" + donation.donation + "/trace" + donation.Q());
  ASSERT_EQ(trace.status, 200) << trace.body;
  const auto& allocations = trace.json.at("allocations").as_array();
  ASSERT_EQ(allocations.size(), 1u);
  EXPECT_EQ(allocations[0].at("amount_fen").as_int64(), 3000);
  EXPECT_EQ(allocations[0].at("org_name").as_string(), "博睿社工");
  // The grant's first 6000 are paid: 5000 older money, then 1000 of this donation.
  ASSERT_EQ(allocations[0].at("disbursements").as_array().size(), 1u);
  EXPECT_EQ(allocations[0].at("disbursements").at(0).at("amount_fen").as_int64(), 1000);
  EXPECT_EQ(trace.json.at("unallocated_fen").as_int64(), 7000);
}

TEST_F(FundAdminTest, ARefundReversesTheEntryAndVoidsTheReceipt) {
  Client donor(server_);
  const Gift donation = DonateAndPay(donor, 2000, "refund-key-1");
  const std::string receipt(Donation(donation).at("receipt_no").as_string());
  auto r = maker_.Post("/api/v1/fund/donations/" + donation.donation + "/refund",
                       json::value{{"reason", "捐赠人申请退款"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.at("donation").at("status").as_string(), "refunded");
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/receipts/" + receipt).json.at("receipt").at("status").as_string(), "void");
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/summary").json.at("raised_fen").as_int64(), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'refund'"), 1);
  // The public journal says 退款, never the reason typed (it may name the donor).
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/entries").body.find("捐赠人申请退款"), std::string::npos);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM audit_log WHERE action = 'fund.donation.refunded'"), 1);
  // The money went back at the provider, under our refund number.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM sandbox_orders o JOIN payments p ON p.out_trade_no = o.out_trade_no "
                           "WHERE o.status = 'REFUND' AND o.refund_no = p.out_trade_no || 'R'"),
            1);
  EXPECT_EQ(maker_.Post("/api/v1/fund/donations/" + donation.donation + "/refund",
                        json::value{{"reason", "再退一次"}})
                .status,
            409);
  EXPECT_EQ(maker_.Post("/api/v1/fund/receipts/" + receipt + "/refund", json::value{{"reason", "按票据号再退"}}).status,
            409);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries WHERE kind = 'refund'"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_refunds"), 1);
  EXPECT_TRUE(VerifyBooks(server_).ok);
}

TEST_F(FundAdminTest, EveryAdminRouteRefusesOthers) {
  Client resident = UserWith(server_, "13912349999", {});
  Client stranger(server_);
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"/api/v1/fund/purposes", R"({"code":"x1","name":"用途"})"},
      {"/api/v1/fund/allocations", R"({"amount_fen":100,"budget_ref":"x"})"},
      {"/api/v1/fund/sponsorships", R"({"sponsor_name":"xx","sponsor_kind":"enterprise","committed_fen":1,"naming_text":"xx","term_start_ms":1,"term_end_ms":2})"},
      {"/api/v1/fund/sponsorships/1/instalments", R"({"amount_fen":1,"reference":"x"})"},
      {"/api/v1/fund/commitments", R"({"org_id":1,"amount_fen":1,"project_name":"xx"})"},
      {"/api/v1/fund/disbursements", R"({"commitment_id":1,"amount_fen":1})"},
      {"/api/v1/fund/disbursements/1/approve", "{}"},
      {"/api/v1/fund/donations/1/refund", R"({"reason":"xx"})"},
      {"/api/v1/fund/receipts/GC2026-000001/refund", R"({"reason":"xx"})"},
  };
  for (const auto& [path, body] : routes) {
    EXPECT_EQ(resident.PostRaw(path, body).status, 403) << path;
    EXPECT_EQ(stranger.PostRaw(path, body).status, 401) << path;
  }
  EXPECT_EQ(resident.Get("/api/v1/fund/disbursements").status, 403);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_purposes"), 0);
}

TEST_F(FundAdminTest, TheDisclosureCalendarShowsWhatIsDueAndOverdue) {
  auto purpose = maker_.Post("/api/v1/fund/purposes", json::value{{"code", "elderly"}, {"name", "关爱长者计划"}});
  ASSERT_EQ(purpose.status, 201) << purpose.body;
  const int64_t pid = purpose.json.at("purpose").at("id").as_int64();
  auto fresh = maker_.Get("/api/v1/fund/disclosures");
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  ASSERT_TRUE(fresh.json.as_object().contains("overdue")) << fresh.body;
  EXPECT_EQ(fresh.json.at("overdue").as_array().size(), 0u);  // a new activity owes nothing yet
  server_.clock().Advance(int64_t{200} * 24 * 3600 * 1000);   // past six months: two quarters are due
  ASSERT_EQ(maker_.Login("13800000004", "password123").status, 200);  // sessions last 30 days
  auto cal = maker_.Get("/api/v1/fund/disclosures");
  ASSERT_EQ(cal.status, 200) << cal.body;
  const auto& overdue = cal.json.at("overdue").as_array();
  ASSERT_EQ(overdue.size(), 2u) << cal.body;
  EXPECT_EQ(overdue[0].at("period_label").as_string(), "progress-1");
  auto published = maker_.Post("/api/v1/fund/disclosures",
                               json::value{{"purpose_id", pid}, {"period_label", "progress-1"},
                                           {"title", "第一季度募捐进展"}, {"body", "本期收到捐赠……"}});
  ASSERT_EQ(published.status, 201) << published.body;
  auto after = maker_.Get("/api/v1/fund/disclosures");
  EXPECT_EQ(after.json.at("overdue").as_array().size(), 1u);
  EXPECT_EQ(after.json.at("published").as_array().size(), 1u);
  auto again = maker_.Post("/api/v1/fund/disclosures",
                           json::value{{"purpose_id", pid}, {"period_label", "progress-1"}, {"title", "重复"}, {"body", "重复"}});
  EXPECT_EQ(again.status, 409);
  Client resident = UserWith(server_, "13912348888", {});
  EXPECT_EQ(resident.Get("/api/v1/fund/disclosures").status, 403);

  // What is published is public, to anyone.
  maker_.Post("/api/v1/fund/disclosures", json::value{{"purpose_id", pid}, {"period_label", "progress-2"},
                                                      {"title", "第二季度募捐进展"}, {"body", "本期拨付……"}});
  Client anyone(server_);
  auto reports = anyone.Get("/api/v1/fund/reports?limit=1");
  ASSERT_EQ(reports.status, 200) << reports.body;
  ASSERT_EQ(reports.json.at("reports").as_array().size(), 1u);
  const auto& newest = reports.json.at("reports").as_array()[0];
  EXPECT_EQ(newest.at("title").as_string(), "第二季度募捐进展");
  EXPECT_EQ(newest.at("purpose_name").as_string(), "关爱长者计划");
  auto older = anyone.Get("/api/v1/fund/reports?limit=1&cursor=" + std::string(reports.json.at("next_cursor").as_string()));
  ASSERT_EQ(older.json.at("reports").as_array().size(), 1u);
  EXPECT_EQ(older.json.at("reports").as_array()[0].at("period_label").as_string(), "progress-1");
  EXPECT_EQ(anyone.Get("/api/v1/fund/reports?purpose_id=" + std::to_string(pid + 1)).json.at("reports").as_array().size(), 0u);
  auto one = anyone.Get("/api/v1/fund/reports/" + std::to_string(newest.at("id").as_int64()));
  EXPECT_EQ(one.json.at("report").at("body").as_string(), "本期拨付……");
  EXPECT_EQ(anyone.Get("/api/v1/fund/reports/9999").error_code(), "report_not_found");
  EXPECT_EQ(anyone.Get("/api/v1/fund/reports?purpose_id=x").error_field(), "purpose_id");
}

TEST_F(FundAdminTest, SponsorsNamePurposesAndInstalmentsStayWithinTheCommitment) {
  auto purpose = maker_.Post("/api/v1/fund/purposes", json::value{{"code", "youth"}, {"name", "青少年成长计划"}});
  const int64_t pid = purpose.json.at("purpose").at("id").as_int64();
  auto s = maker_.Post("/api/v1/fund/sponsorships",
                       json::value{{"sponsor_name", "南海慈善基金会"}, {"sponsor_kind", "foundation"},
                                   {"committed_fen", 100'000}, {"purpose_id", pid}, {"naming_text", "南海慈善·青少年成长计划"},
                                   {"term_start_ms", 1}, {"term_end_ms", 2}, {"instalments", 2}});
  ASSERT_EQ(s.status, 201) << s.body;
  const std::string sid = std::to_string(s.json.at("sponsorship").at("id").as_int64());
  EXPECT_EQ(maker_.Post("/api/v1/fund/sponsorships/" + sid + "/instalments",
                        json::value{{"amount_fen", 60'000}, {"reference", "第1期"}})
                .status,
            201);
  EXPECT_EQ(maker_.Post("/api/v1/fund/sponsorships/" + sid + "/instalments",
                        json::value{{"amount_fen", 40'001}, {"reference", "第2期"}})
                .status,
            422);
  auto list = maker_.Get("/api/v1/fund/sponsorships");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json.at("sponsorships").at(0).at("received_fen").as_int64(), 60'000);
  EXPECT_EQ(Client(server_).Get("/api/v1/fund/sponsorships").status, 401);
  auto purposes = Client(server_).Get("/api/v1/fund/purposes");
  EXPECT_EQ(purposes.json.at("purposes").at(0).at("naming").as_string(), "南海慈善·青少年成长计划");
  auto summary = Client(server_).Get("/api/v1/fund/summary").json;
  bool sponsor_seen = false;
  for (const auto& src : summary.at("by_source").as_array()) {
    if (src.at("source").as_string() == "sponsor") {
      sponsor_seen = true;
      EXPECT_EQ(src.at("amount_fen").as_int64(), 60'000);
    }
  }
  EXPECT_TRUE(sponsor_seen);
}

// The sandbox delivering every notification five times, concurrently.
Config DuplicatingSandbox() {
  Config c = TestConfig();
  c.sandbox.duplicate_notifications = 4;
  return c;
}

class FundDuplicateNotifyTest : public FundApiTest {
 protected:
  FundDuplicateNotifyTest() : FundApiTest(DuplicatingSandbox()) {}
};

TEST_F(FundDuplicateNotifyTest, FiveCopiesOfANotificationCreditOnce) {
  Client donor(server_);
  const Gift donation = DonateAndPay(donor, 2000, "dup-key-0001");
  // Copies race in the background; wait until all five were handled.
  for (int i = 0; i < 200 && Count(server_, "SELECT COUNT(*) FROM payment_notifications") < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE outcome = 'credited'"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM payment_notifications WHERE outcome = 'duplicate'"), 4);
  EXPECT_EQ(CreditsFor(donation), 1);
  EXPECT_TRUE(VerifyBooks(server_).ok);
}

Config ReorderingSandbox() {
  Config c = TestConfig();
  c.sandbox.notify_delay_ms = 300;
  c.sandbox.reorder = true;
  c.sandbox.duplicate_notifications = 1;
  return c;
}

class FundReorderTest : public FundApiTest {
 protected:
  FundReorderTest() : FundApiTest(ReorderingSandbox()) {}
};

TEST_F(FundReorderTest, DelayedAndReorderedNotificationsCreditEachDonationOnce) {
  Client donor(server_);
  std::vector<Gift> ids;
  for (int i = 0; i < 8; ++i) {
    ids.push_back(DonateAndPay(donor, 1000 + i, "reorder-key-" + std::to_string(i)));
  }
  // Pay answered before the (delayed) notification: the page shows pending.
  for (int i = 0; i < 300 && Count(server_, "SELECT COUNT(*) FROM fund_donations WHERE status = 'confirmed'") < 8; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (const Gift& id : ids) {
    EXPECT_EQ(Donation(id).at("status").as_string(), "confirmed");
    EXPECT_EQ(CreditsFor(id), 1);
  }
  EXPECT_TRUE(VerifyBooks(server_).ok);
}

}  // namespace
}  // namespace carecity::testing

namespace carecity::testing {
namespace {

Config LostNotificationSandbox() {
  Config c = TestConfig();
  c.sandbox.notify_delay_ms = 600'000;  // the notification never arrives during the test
  return c;
}

class FundLostNotifyTest : public FundApiTest {
 protected:
  FundLostNotifyTest() : FundApiTest(LostNotificationSandbox()) {}
};

TEST_F(FundLostNotifyTest, ReconciliationConfirmsWhatTheProviderTookExactlyOnce) {
  Client donor(server_);
  const Gift donation = DonateAndPay(donor, 2500, "lost-key-001");
  EXPECT_EQ(Donation(donation).at("status").as_string(), "pending");
  const auto reconcile = [&] { return RunSync(server_.app().payments().Reconcile(0)); };
  auto first = reconcile();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1);
  EXPECT_EQ(*reconcile(), 0);
  EXPECT_EQ(Donation(donation).at("status").as_string(), "confirmed");
  EXPECT_EQ(CreditsFor(donation), 1);
}

}  // namespace
}  // namespace carecity::testing
