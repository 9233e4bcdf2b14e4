// Purchase in the market over HTTP (issue 12): only rural villages buy; the
// contract's state machine (no signing above the threshold without a
// recorded decision, no effect before the notice ends, objections answered);
// milestones, payments booked in the village's own book; amendments that
// need both sides; ratings and evaluations feeding the matching; every
// route's permissions with nothing changed when refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <atomic>
#include <map>
#include <random>

#include "core/run_sync.h"
#include "domains/villagebook/ledger.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
using accounts::Role;
using accounts::RoleGrant;

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

class MarketContractsTest : public ::testing::Test {
 protected:
  MarketContractsTest()
      : admin_(UserWith(server_, "13800013001", {RoleGrant{Role::kFundAdmin}})),
        org_a_(InsertOrg(server_, "博睿社会工作服务中心", "91440605MA00013A01")),
        org_b_(InsertOrg(server_, "启创社工", "91440605MA00013B01")),
        staff_a_(UserWith(server_, "13800013002", {OrgStaff(org_a_)})),
        staff_b_(UserWith(server_, "13800013003", {OrgStaff(org_b_)})),
        rural_(InsertVillage(server_, "叠滘村", true, true)),
        rural_2_(InsertVillage(server_, "平东村", true, true)),
        urban_(InsertVillage(server_, "夏北社区", false)),
        vstaff_(UserWith(server_, "13800013004", {VillageStaff(rural_)})),
        vstaff_2_(UserWith(server_, "13800013005", {VillageStaff(rural_2_)})),
        ustaff_(UserWith(server_, "13800013006", {VillageStaff(urban_)})),
        resident_(UserWith(server_, "13800013007")),
        outsider_(UserWith(server_, "13800013008")),
        anon_(server_) {
    EXPECT_EQ(Put(resident_, "/api/v1/me/village", {{"village_id", rural_}}).status, 200);
    auto r = staff_a_.Post("/api/v1/market/projects",
                           json::object{{"org_id", org_a_},
                                        {"title", "长者居家探访"},
                                        {"project_type", "长者服务"},
                                        {"target_group", "独居长者"},
                                        {"price", json::object{{"kind", "range"}, {"min_fen", 3000000}, {"max_fen", 9000000}}},
                                        {"duration_days", 365},
                                        {"indicators", json::array{"探访 600 人次"}}});
    EXPECT_EQ(r.status, 201) << r.body;
    project_ = Str(r.json.at("project").at("id"));
    EXPECT_EQ(admin_.Post("/api/v1/market/projects/" + project_ + "/approve", json::object{}).status, 200);
  }

  int64_t Now() { return server_.clock().NowMs(); }

  json::array Plans(std::vector<int64_t> amounts) {
    json::array a;
    int64_t n = 0;
    for (int64_t x : amounts) {
      ++n;
      a.push_back(json::object{{"title", "第" + std::to_string(n) + "阶段"},
                               {"due_ms", Now() + n * 30 * kDay},
                               {"amount_fen", x},
                               {"deliverables", "服务记录"}});
    }
    return a;
  }

  std::string Request(Client& staff, int64_t village) {
    auto r = staff.Post("/api/v1/market/quote-requests", json::object{{"village_id", village}, {"project_id", project_}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("quote_request").at("id")) : "";
  }

  std::string QuoteOn(const std::string& request, std::vector<int64_t> amounts) {
    int64_t total = 0;
    for (int64_t x : amounts) {
      total += x;
    }
    auto r = staff_a_.Post("/api/v1/market/quotes", json::object{{"quote_request_id", request},
                                                                  {"amount_fen", total},
                                                                  {"milestones", Plans(amounts)}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Str(r.json.at("quote").at("id")) : "";
  }

  // A contract of `rural_` for the amounts; its status as answered.
  std::pair<std::string, std::string> Contract(std::vector<int64_t> amounts) {
    const std::string quote = QuoteOn(Request(vstaff_, rural_), std::move(amounts));
    auto r = vstaff_.Post("/api/v1/market/quotes/" + quote + "/accept", json::object{});
    EXPECT_EQ(r.status, 201) << r.body;
    return {Str(r.json.at("contract").at("id")), Str(r.json.at("contract").at("status"))};
  }

  std::string C(const std::string& id, const std::string& tail = "") { return "/api/v1/market/contracts/" + id + tail; }

  json::object Decision(int64_t yes, int64_t no) {
    return json::object{{"meeting_kind", "村民代表会议"}, {"held_on_ms", Now() - kDay},     {"votes_for", yes},
                        {"votes_against", no},           {"votes_abstain", 1},             {"minutes_text", "同意购买"}};
  }

  void Fund(int64_t amount) {
    auto r = vstaff_.Post("/api/v1/villages/" + std::to_string(rural_) + "/book/fundings",
                          json::object{{"amount_fen", amount}, {"voucher_no", "叠集记〔2012〕" + std::to_string(++vouchers_) + "号"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Reports and accepts milestone n.
  void Deliver(const std::string& id, int n) {
    const std::string m = "/milestones/" + std::to_string(n);
    auto rep = staff_a_.Post(C(id, m + "/report"), json::object{{"text", "完成建档"}, {"beneficiaries", 60}});
    ASSERT_EQ(rep.status, 200) << rep.body;
    auto acc = vstaff_.Post(C(id, m + "/accept"), json::object{});
    ASSERT_EQ(acc.status, 200) << acc.body;
  }

  TestServer server_;
  Client admin_;
  int64_t org_a_;
  int64_t org_b_;
  Client staff_a_;
  Client staff_b_;
  int64_t rural_;
  int64_t rural_2_;
  int64_t urban_;
  Client vstaff_;
  Client vstaff_2_;
  Client ustaff_;
  Client resident_;
  Client outsider_;
  Client anon_;
  std::string project_;
  int vouchers_ = 0;
};

TEST_F(MarketContractsTest, AnUrbanCommunityCanNeverBuyAndNothingIsWritten) {
  auto r = ustaff_.Post("/api/v1/market/quote-requests", json::object{{"village_id", urban_}, {"project_id", project_}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.error_code(), "market.not_rural");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_quote_requests"), 0);

  // A village that loses its collective economy between quote and accept:
  // the contract's INSERT reads the flag, and the acceptance is undone too.
  const std::string quote = QuoteOn(Request(vstaff_, rural_), {3000000});
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return tx.Exec("UPDATE villages SET collective_economy = 0 WHERE id = $1", {rural_});
  });
  auto a = vstaff_.Post("/api/v1/market/quotes/" + quote + "/accept", json::object{});
  EXPECT_EQ(a.status, 422) << a.body;
  EXPECT_EQ(a.error_code(), "market.not_rural");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contracts"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_quotes WHERE status = 'open'"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_quote_requests WHERE status = 'open'"), 1);
}

TEST_F(MarketContractsTest, BelowTheThresholdAContractIsActiveAndPaymentsBookInTheVillagesBook) {
  auto [id, status] = Contract({1000000, 2000000});
  EXPECT_EQ(status, "active");

  // Not accepted yet: no payment.
  auto early = vstaff_.Post(C(id, "/payments"), json::object{{"milestone", 1}, {"amount_fen", 1000000}, {"voucher_no", "V1"}});
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.error_code(), "market.milestone_not_accepted");

  Deliver(id, 1);
  // The book has no money yet: refused, nothing written anywhere.
  auto broke = vstaff_.Post(C(id, "/payments"), json::object{{"milestone", 1}, {"amount_fen", 1000000}, {"voucher_no", "V1"}});
  EXPECT_EQ(broke.status, 422) << broke.body;
  EXPECT_EQ(broke.error_code(), "villagebook.insufficient_funds");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contract_payments"), 0);

  Fund(5000000);
  auto wrong = vstaff_.Post(C(id, "/payments"), json::object{{"milestone", 1}, {"amount_fen", 999999}, {"voucher_no", "V1"}});
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(wrong.error_code(), "market.payment_amount");

  auto paid = vstaff_.Post(C(id, "/payments"), json::object{{"milestone", 1}, {"amount_fen", 1000000}, {"voucher_no", "V1"}});
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(paid.json.at("contract").at("paid_fen").as_int64(), 1000000);
  EXPECT_EQ(paid.json.at("payment").at("book_seq").as_int64(), 3);  // funding 1, accrual 2, payment 3

  auto again = vstaff_.Post(C(id, "/payments"), json::object{{"milestone", 1}, {"amount_fen", 1000000}, {"voucher_no", "V2"}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.error_code(), "market.already_paid");

  // The public page lists the payment and its totals equal the book.
  auto pub = anon_.Get("/api/v1/villages/" + std::to_string(rural_) + "/public");
  ASSERT_EQ(pub.status, 200) << pub.body;
  ASSERT_EQ(pub.json.at("payments").as_array().size(), 1u);
  EXPECT_EQ(Str(pub.json.at("payments").at(0).at("voucher_no")), "V1");
  EXPECT_EQ(pub.json.at("totals").at("paid_fen").as_int64(), 1000000);
  auto book = anon_.Get("/api/v1/villages/" + std::to_string(rural_) + "/book");
  ASSERT_EQ(book.status, 200);
  for (const auto& a : book.json.at("accounts").as_array()) {
    if (Str(a.at("code")) == "expense:service") {
      EXPECT_EQ(a.at("balance_fen").as_int64(), pub.json.at("totals").at("paid_fen").as_int64());
    }
    if (Str(a.at("code")) == "bank") {
      EXPECT_EQ(a.at("balance_fen").as_int64(), 4000000);
    }
  }
  EXPECT_EQ(pub.body.find("13800013004"), std::string::npos);
  // The Care Fund's books are untouched.
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), 0);

  // The last payment completes the contract.
  Deliver(id, 2);
  auto last = vstaff_.Post(C(id, "/payments"), json::object{{"milestone", 2}, {"amount_fen", 2000000}, {"voucher_no", "V2"}});
  ASSERT_EQ(last.status, 201) << last.body;
  EXPECT_EQ(Str(last.json.at("contract").at("status")), "completed");
}

TEST_F(MarketContractsTest, AboveTheThresholdNothingIsSignedWithoutADecisionNorActiveBeforeTheNoticeEnds) {
  auto [id, status] = Contract({3000000, 3000000});
  EXPECT_EQ(status, "awaiting_decision");
  auto report = staff_a_.Post(C(id, "/milestones/1/report"), json::object{{"text", "x"}});
  EXPECT_EQ(report.status, 409) << report.body;
  EXPECT_EQ(report.error_code(), "market.contract_not_active");
  // The database refuses it too.
  EXPECT_THROW(db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
                 return tx.Exec("UPDATE market_contracts SET status = 'active', activated_at_ms = 1");
               }),
               db::DbError);

  auto no_minutes = vstaff_.Post(C(id, "/decision"), json::object{{"meeting_kind", "村民代表会议"}, {"held_on_ms", Now()},
                                                                  {"votes_for", 30}, {"votes_against", 0}, {"votes_abstain", 0}});
  EXPECT_EQ(no_minutes.status, 422);
  EXPECT_EQ(no_minutes.error_code(), "market.minutes_required");

  auto d = vstaff_.Post(C(id, "/decision"), Decision(30, 2));
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(Str(d.json.at("contract").at("status")), "in_notice");
  EXPECT_EQ(d.json.at("contract").at("notice").at("ends_at_ms").as_int64(), Now() + 5 * kDay);
  auto twice = vstaff_.Post(C(id, "/decision"), Decision(30, 2));
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "market.contract_not_awaiting_decision");

  // An objection during the notice holds it until answered.
  auto o = resident_.Post(C(id, "/objections"), json::object{{"text", "价格是否偏高？"}});
  ASSERT_EQ(o.status, 201) << o.body;
  const std::string oid = Str(o.json.at("objection").at("id"));
  server_.clock().Advance(4 * kDay);
  EXPECT_EQ(Str(vstaff_.Get(C(id)).json.at("contract").at("status")), "in_notice");
  server_.clock().Advance(2 * kDay);
  EXPECT_EQ(Str(vstaff_.Get(C(id)).json.at("contract").at("status")), "in_notice");
  auto late = outsider_.Post(C(id, "/objections"), json::object{{"text", "迟到的异议"}});
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "market.not_in_notice");
  auto answer = vstaff_.Post(C(id, "/objections/" + oid + "/answer"), json::object{{"answer", "价格经三家比价"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(Str(answer.json.at("contract").at("status")), "active");
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contracts WHERE status = 'active'"), 1);
  auto pub = anon_.Get("/api/v1/villages/" + std::to_string(rural_) + "/public");
  EXPECT_EQ(pub.json.at("contracts").as_array().size(), 1u);
  EXPECT_EQ(Str(pub.json.at("contracts").at(0).at("objections").at(0).at("answer")), "价格经三家比价");
  EXPECT_EQ(pub.body.find("13800013007"), std::string::npos);
}

TEST_F(MarketContractsTest, AFailedDecisionEndsTheContract) {
  auto [id, status] = Contract({6000000});
  auto d = vstaff_.Post(C(id, "/decision"), Decision(10, 20));
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(Str(d.json.at("contract").at("status")), "decision_failed");
  server_.clock().Advance(10 * kDay);
  EXPECT_EQ(Str(vstaff_.Get(C(id)).json.at("contract").at("status")), "decision_failed");
}

TEST_F(MarketContractsTest, EveryRouteChecksWhoIsAsking) {
  const std::string request = Request(vstaff_, rural_);
  // Another organisation's staff, and another village's, cannot see it.
  EXPECT_EQ(staff_b_.Get("/api/v1/market/quote-requests/" + request).status, 404);
  EXPECT_EQ(vstaff_2_.Get("/api/v1/market/quote-requests/" + request).status, 404);
  auto foreign_quote = staff_b_.Post("/api/v1/market/quotes", json::object{{"quote_request_id", request},
                                                                           {"amount_fen", 100},
                                                                           {"milestones", Plans({100})}});
  EXPECT_EQ(foreign_quote.status, 404);
  auto own_village_quotes = vstaff_.Post("/api/v1/market/quotes", json::object{{"quote_request_id", request},
                                                                              {"amount_fen", 100},
                                                                              {"milestones", Plans({100})}});
  EXPECT_EQ(own_village_quotes.status, 403);
  EXPECT_EQ(vstaff_2_.Post("/api/v1/market/quote-requests", json::object{{"village_id", rural_}, {"project_id", project_}}).status,
            403);
  EXPECT_EQ(anon_.Post("/api/v1/market/quote-requests", json::object{{"village_id", rural_}, {"project_id", project_}}).status,
            401);
  EXPECT_EQ(staff_b_.Get("/api/v1/market/quote-requests?org_id=" + std::to_string(org_a_)).status, 403);

  const std::string quote = QuoteOn(request, {1000000});
  EXPECT_EQ(staff_a_.Post("/api/v1/market/quotes/" + quote + "/accept", json::object{}).status, 403);
  EXPECT_EQ(vstaff_2_.Post("/api/v1/market/quotes/" + quote + "/accept", json::object{}).status, 404);
  auto acc = vstaff_.Post("/api/v1/market/quotes/" + quote + "/accept", json::object{});
  ASSERT_EQ(acc.status, 201) << acc.body;
  const std::string id = Str(acc.json.at("contract").at("id"));
  EXPECT_EQ(vstaff_.Post("/api/v1/market/quotes/" + quote + "/accept", json::object{}).error_code(), "market.quote_not_open");

  EXPECT_EQ(vstaff_2_.Get(C(id)).status, 404);
  EXPECT_EQ(staff_b_.Get(C(id)).status, 404);
  EXPECT_EQ(resident_.Get(C(id)).status, 404);
  EXPECT_EQ(anon_.Get(C(id)).status, 401);
  EXPECT_EQ(admin_.Get(C(id)).status, 200);
  EXPECT_EQ(vstaff_.Post(C(id, "/milestones/1/report"), json::object{{"text", "x"}}).status, 403);
  EXPECT_EQ(staff_a_.Post(C(id, "/milestones/1/report"), json::object{{"text", "已完成"}}).status, 200);
  EXPECT_EQ(staff_a_.Post(C(id, "/milestones/1/accept"), json::object{}).status, 403);
  EXPECT_EQ(resident_.Post(C(id, "/milestones/1/accept"), json::object{}).status, 404);
  EXPECT_EQ(vstaff_.Post(C(id, "/milestones/9/accept"), json::object{}).error_code(), "market.milestone_not_found");
  auto ret = vstaff_.Post(C(id, "/milestones/1/return"), json::object{{"reason", "缺少签到表"}});
  ASSERT_EQ(ret.status, 200);
  EXPECT_EQ(Str(ret.json.at("contract").at("milestones").at(0).at("status")), "returned");
  EXPECT_EQ(staff_a_.Post(C(id, "/payments"), json::object{{"milestone", 1}, {"amount_fen", 1000000}, {"voucher_no", "V"}}).status,
            403);
  EXPECT_EQ(staff_a_.Post(C(id, "/decision"), Decision(3, 0)).status, 403);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contract_payments"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contracts WHERE decision_recorded_at_ms IS NOT NULL"), 0);
}

TEST_F(MarketContractsTest, BadInputNamesTheFieldAndWritesNothing) {
  const std::string request = Request(vstaff_, rural_);
  auto sum = staff_a_.Post("/api/v1/market/quotes", json::object{{"quote_request_id", request},
                                                                 {"amount_fen", 5000},
                                                                 {"milestones", Plans({1000, 2000})}});
  EXPECT_EQ(sum.status, 422);
  EXPECT_EQ(sum.error_code(), "market.milestones_sum");
  EXPECT_EQ(sum.error_field(), "milestones");
  auto none = staff_a_.Post("/api/v1/market/quotes", json::object{{"quote_request_id", request}, {"amount_fen", 5000},
                                                                  {"milestones", json::array{}}});
  EXPECT_EQ(none.status, 400) << none.body;
  auto kind = vstaff_.Post("/api/v1/market/quote-requests", json::object{{"village_id", rural_}, {"project_id", project_}});
  EXPECT_EQ(kind.status, 409);
  EXPECT_EQ(kind.error_code(), "market.request_exists");
  auto stranger = vstaff_.Post("/api/v1/market/quote-requests",
                               json::object{{"village_id", rural_}, {"project_id", "AAAAAAAAAAAAAAAAAAAA"}});
  EXPECT_EQ(stranger.status, 404);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_quotes"), 0);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_quote_requests"), 1);
}

TEST_F(MarketContractsTest, AnAmendmentNeedsTheOtherSideAndKeepsWhatIsDone) {
  auto [id, status] = Contract({1000000, 2000000});
  Deliver(id, 1);
  auto changes_done = staff_a_.Post(C(id, "/amendments"), json::object{{"reason", "调整"}, {"amount_fen", 3000000},
                                                                       {"milestones", Plans({1500000, 1500000})}});
  EXPECT_EQ(changes_done.status, 422);
  EXPECT_EQ(changes_done.error_code(), "market.amendment_changes_done");

  json::array plans = Plans({1000000, 1000000, 1500000});
  auto p = staff_a_.Post(C(id, "/amendments"), json::object{{"reason", "增加暑期活动"}, {"amount_fen", 3500000}, {"milestones", plans}});
  ASSERT_EQ(p.status, 201) << p.body;
  const std::string aid = Str(p.json.at("contract").at("amendments").at(0).at("id"));
  auto second = vstaff_.Post(C(id, "/amendments"), json::object{{"reason", "另一个"}, {"amount_fen", 3500000}, {"milestones", plans}});
  EXPECT_EQ(second.error_code(), "market.amendment_open");
  EXPECT_EQ(staff_a_.Post(C(id, "/amendments/" + aid + "/accept"), json::object{}).status, 403);
  auto ok = vstaff_.Post(C(id, "/amendments/" + aid + "/accept"), json::object{});
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto& c = ok.json.at("contract");
  EXPECT_EQ(c.at("version").as_int64(), 2);
  EXPECT_EQ(c.at("amount_fen").as_int64(), 3500000);
  EXPECT_EQ(c.at("milestones").as_array().size(), 3u);
  EXPECT_EQ(Str(c.at("milestones").at(0).at("status")), "accepted");
  EXPECT_EQ(vstaff_.Post(C(id, "/amendments/" + aid + "/accept"), json::object{}).error_code(), "market.amendment_not_open");
}

TEST_F(MarketContractsTest, ResidentsRateOnceAndEvaluationsFeedOtherVillagesMatches) {
  auto [id, status] = Contract({1000000});
  ASSERT_EQ(resident_.Post(C(id, "/ratings"), json::object{{"stars", 5}, {"comment", "很好"}}).status, 201);
  EXPECT_EQ(resident_.Post(C(id, "/ratings"), json::object{{"stars", 1}}).error_code(), "market.already_rated");
  EXPECT_EQ(outsider_.Post(C(id, "/ratings"), json::object{{"stars", 1}}).status, 404);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contract_ratings"), 1);

  EXPECT_EQ(vstaff_.Post(C(id, "/evaluation"), json::object{{"stars", 4}}).error_code(), "market.evaluation_too_early");
  Deliver(id, 1);
  ASSERT_EQ(vstaff_.Post(C(id, "/evaluation"), json::object{{"stars", 4}, {"comment", "服务细致"}}).status, 201);
  EXPECT_EQ(vstaff_.Post(C(id, "/evaluation"), json::object{{"stars", 4}}).error_code(), "market.already_evaluated");

  // 平东村's need sees 叠滘村's evaluation; 叠滘村's own need sees that the
  // organisation already serves it.
  auto need = [&](Client& staff, int64_t village) {
    auto r = staff.Post("/api/v1/market/needs", json::object{{"village_id", village},
                                                              {"title", "长者探访"},
                                                              {"project_type", "长者服务"},
                                                              {"target_group", "独居长者"},
                                                              {"beneficiaries", 40},
                                                              {"budget_min_fen", 1000000},
                                                              {"budget_max_fen", 9000000},
                                                              {"period", json::object{{"from_ms", Now() + kDay}, {"to_ms", Now() + 90 * kDay}}},
                                                              {"source", "visits"}});
    EXPECT_EQ(r.status, 201) << r.body;
    return anon_.Get("/api/v1/market/needs/" + Str(r.json.at("need").at("id")) + "/matches");
  };
  auto has = [](const HttpResult& m, const std::string& code) {
    for (const auto& r : m.json.at("matches").at(0).at("reasons").as_array()) {
      if (Str(r.at("code")) == code) {
        return true;
      }
    }
    return false;
  };
  const auto other = need(vstaff_2_, rural_2_);
  EXPECT_TRUE(has(other, "evaluations")) << other.body;
  EXPECT_FALSE(has(other, "serves_village"));
  const auto own = need(vstaff_, rural_);
  EXPECT_TRUE(has(own, "serves_village")) << own.body;
  EXPECT_FALSE(has(own, "evaluations"));
}

// Property: over a random sequence of fundings and contract payments in two
// villages (some refused for want of money), each village's bank is what was
// put in less what was paid, its expense:service and its public page's paid
// total are what was paid, the books verify, and the Care Fund's tables are
// never written.
TEST_F(MarketContractsTest, RandomPurchasesKeepEachVillagesBookApartFromTheCareFund) {
  std::mt19937 rng(20121206);
  const int64_t fund_entries = Count(server_, "SELECT COUNT(*) FROM fund_entries");
  const int64_t fund_lines = Count(server_, "SELECT COUNT(*) FROM fund_lines");
  std::map<int64_t, int64_t> funded;
  std::map<int64_t, int64_t> paid;
  int vouchers = 0;
  int refused = 0;
  for (int round = 0; round < 14; ++round) {
    const bool second = rng() % 2 == 1;
    const int64_t village = second ? rural_2_ : rural_;
    Client& staff = second ? vstaff_2_ : vstaff_;
    const std::string book = "/api/v1/villages/" + std::to_string(village);
    if (rng() % 3 == 0) {
      const int64_t amount = 100'000 + static_cast<int64_t>(rng() % 3'000'000);
      auto r = staff.Post(book + "/book/fundings",
                          json::object{{"amount_fen", amount}, {"voucher_no", "F" + std::to_string(++vouchers)}});
      ASSERT_EQ(r.status, 201) << r.body;
      funded[village] += amount;
      continue;
    }
    std::vector<int64_t> amounts(1 + rng() % 3);
    for (int64_t& x : amounts) {
      x = 100'000 + static_cast<int64_t>(rng() % 1'500'000);
    }
    const std::string quote = QuoteOn(Request(staff, village), amounts);
    auto accepted = staff.Post("/api/v1/market/quotes/" + quote + "/accept", json::object{});
    ASSERT_EQ(accepted.status, 201) << accepted.body;
    const std::string id = Str(accepted.json.at("contract").at("id"));
    for (size_t n = 1; n <= amounts.size(); ++n) {
      const std::string m = "/milestones/" + std::to_string(n);
      ASSERT_EQ(staff_a_.Post(C(id, m + "/report"), json::object{{"text", "完成"}}).status, 200);
      ASSERT_EQ(staff.Post(C(id, m + "/accept"), json::object{}).status, 200);
      const int64_t amount = amounts[n - 1];
      auto pay = staff.Post(C(id, "/payments"), json::object{{"milestone", static_cast<int64_t>(n)},
                                                              {"amount_fen", amount},
                                                              {"voucher_no", "P" + std::to_string(++vouchers)}});
      if (funded[village] - paid[village] >= amount) {
        ASSERT_EQ(pay.status, 201) << pay.body;
        paid[village] += amount;
      } else {
        ASSERT_EQ(pay.error_code(), "villagebook.insufficient_funds") << pay.body;
        ++refused;
      }
    }
  }
  for (const int64_t village : {rural_, rural_2_}) {
    const std::string base = "/api/v1/villages/" + std::to_string(village);
    auto book = anon_.Get(base + "/book");
    if (funded[village] == 0 && paid[village] == 0) {
      continue;  // never funded: no book opened (payments were all refused)
    }
    ASSERT_EQ(book.status, 200) << book.body;
    for (const auto& a : book.json.at("accounts").as_array()) {
      if (Str(a.at("code")) == "bank") {
        EXPECT_EQ(a.at("balance_fen").as_int64(), funded[village] - paid[village]);
      }
      if (Str(a.at("code")) == "expense:service") {
        EXPECT_EQ(a.at("balance_fen").as_int64(), paid[village]);
      }
    }
    EXPECT_EQ(anon_.Get(base + "/public").json.at("totals").at("paid_fen").as_int64(), paid[village]);
  }
  EXPECT_GT(refused, 0);  // the sequence does exercise a refusal
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_entries"), fund_entries);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM fund_lines"), fund_lines);
  const auto report = db::SnapshotReadSync(server_.app().store(), [](db::Tx& tx) {
    return villagebook::ledger::VerifyAll(tx, {});
  });
  EXPECT_TRUE(report.ok) << report.problems.size();
}

// Two servers on one database: one quote accepted many times at once makes
// one contract, and one milestone paid many times at once books one payment.
TEST_F(MarketContractsTest, RacingAcceptsAndPaymentsWriteOnce) {
  auto second = SecondApp(server_);
  const std::string quote = QuoteOn(Request(vstaff_, rural_), {1000000});
  const auto staff = *db::ReadSync(server_.app().store(), [&](db::Tx& tx) -> Result<accounts::Principal> {
    accounts::Principal p;
    p.user_id = tx.Query("SELECT id FROM users WHERE phone = '13800013004'").front().Int(0);
    p.roles = {VillageStaff(rural_)};
    return p;
  });
  auto svc = [&](size_t i) -> market::ContractsService& {
    return (second && i % 2 == 1) ? second->contracts() : server_.app().contracts();
  };
  std::atomic<int> ok{0};
  RunAtOnce(8, [&](size_t i) -> boost::asio::awaitable<void> {
    auto r = co_await svc(i).AcceptQuote(staff, quote, "race");
    ok += r.ok() ? 1 : 0;
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contracts"), 1);
  const std::string id = *db::ReadSync(server_.app().store(), [&](db::Tx& tx) -> Result<std::string> {
    return tx.Query("SELECT public_id FROM market_contracts").front().Text(0);
  });
  Fund(5000000);
  Deliver(id, 1);
  ok = 0;
  RunAtOnce(8, [&](size_t i) -> boost::asio::awaitable<void> {
    auto r = co_await svc(i).RecordPayment(staff, id, 1, 1000000, "V-" + std::to_string(i), "race");
    ok += r.ok() ? 1 : 0;
  });
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM market_contract_payments"), 1);
  EXPECT_EQ(Count(server_, "SELECT COUNT(*) FROM villagebook_entries WHERE kind = 'service_payment'"), 1);
  EXPECT_EQ(Count(server_, "SELECT balance_fen FROM villagebook_accounts WHERE code = 'bank'"), 4000000);
  second.reset();
}

}  // namespace
}  // namespace carecity::testing
