// Each village's collective book (村集体账): the ledger's rules, the public
// page and the funding route, a property test over random sequences across
// several villages (every book verifies, balances are their own lines, the
// Care Fund's tables never change), servers racing into one village, and
// tampering caught against signed checkpoints. On SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <random>
#include <thread>

#include <boost/json.hpp>

#include "app/chains.h"
#include "core/run_sync.h"
#include "domains/audit/chain_store.h"
#include "domains/fund/ledger.h"
#include "domains/villagebook/ledger.h"
#include "domains/villagebook/repo.h"
#include "support/test_server.h"

namespace carecity::testing {
namespace {

namespace json = boost::json;
namespace vb = villagebook;
using accounts::Role;
using accounts::RoleGrant;

class VillageBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    diejiao_ = InsertVillage("叠滘村", true, true);
    pingdong_ = InsertVillage("平东村", true, true);
    sanshan_ = InsertVillage("三山村", true, true);
    xiabei_ = InsertVillage("夏北社区", false, false);
    borui_ = InsertOrg(server_, "博睿社工", "52440605MJL1001X2A");
    qichuang_ = InsertOrg(server_, "启创社工", "52440605MJL1002Y3B");
  }

  int64_t InsertVillage(const std::string& name, bool rural, bool collective) {
    return db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      return tx.Query("INSERT INTO villages (name, kind, rural, collective_economy, created_at_ms) "
                      "VALUES ($1, $2, $3, $4, 0) RETURNING id",
                      {name, rural ? "village" : "community", rural, collective})
          .front()
          .Int(0);
    });
  }
  template <class F>
  auto Write(F fn) {
    return db::WriteSync(server_.app().store(), fn);
  }
  template <class F>
  auto Read(F fn) {
    return db::ReadSync(server_.app().store(), fn);
  }
  Result<vb::Entry> Fund(int64_t village, Fen amount, const std::string& voucher) {
    return Write([&](db::Tx& tx) {
      return vb::ledger::RecordFundingTx(tx, village, amount, voucher, "", std::nullopt, server_.clock().NowMs());
    });
  }
  Result<vb::PaymentBooked> Pay(int64_t village, int64_t org, Fen amount, const std::string& voucher,
                                int64_t payment_id = 1) {
    return Write([&](db::Tx& tx) {
      return vb::ledger::BookContractPaymentTx(tx, village, org, payment_id, amount, voucher, "合同付款",
                                               std::nullopt, server_.clock().NowMs());
    });
  }
  std::map<std::string, Fen> Balances(int64_t village) {
    return Read([&](db::Tx& tx) {
      std::map<std::string, Fen> out;
      auto book = vb::ledger::ReadBook(tx, village, 0, 1);
      for (const vb::Account& a : book->accounts) {
        out[a.code] = a.balance_fen;
      }
      return out;
    });
  }
  vb::VerifyReport VerifyAll() {
    return Read([](db::Tx& tx) { return vb::ledger::VerifyAll(tx, {}); });
  }
  int64_t Scalar(const std::string& sql) { return Count(server_, sql); }

  TestServer server_;
  int64_t diejiao_ = 0;
  int64_t pingdong_ = 0;
  int64_t sanshan_ = 0;
  int64_t xiabei_ = 0;
  int64_t borui_ = 0;
  int64_t qichuang_ = 0;
};

TEST_F(VillageBookTest, FundingIsOneBalancedEntryOnTheVillagesOwnAccounts) {
  auto e = Fund(diejiao_, 30'000'000, "叠集记001");
  ASSERT_TRUE(e.ok()) << e.error().key;
  EXPECT_EQ(e->seq, 1);
  EXPECT_EQ(e->prev_hash, "");
  ASSERT_EQ(e->lines.size(), 2U);
  EXPECT_EQ(e->lines[0].amount_fen + e->lines[1].amount_fen, 0);
  auto b = Balances(diejiao_);
  EXPECT_EQ(b["bank"], 30'000'000);
  EXPECT_EQ(b["funding"], -30'000'000);
  EXPECT_EQ(b["expense:service"], 0);
  // Another village's book is its own: nothing there.
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_books WHERE village_id = " + std::to_string(pingdong_)), 0);
  auto second = Fund(diejiao_, 5'000'000, "叠集记002");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(second->prev_hash, e->hash);
  EXPECT_TRUE(VerifyAll().ok);
}

TEST_F(VillageBookTest, AContractPaymentPostsTheAccrualAndThePaymentUnderOneVoucher) {
  ASSERT_TRUE(Fund(diejiao_, 10'000'000, "V1").ok());
  auto p = Pay(diejiao_, borui_, 4'000'000, "V2", 77);
  ASSERT_TRUE(p.ok()) << p.error().key;
  EXPECT_EQ(p->accrual.kind, "service_accrual");
  EXPECT_EQ(p->payment.kind, "service_payment");
  EXPECT_EQ(p->accrual.voucher_no, "V2");
  EXPECT_EQ(p->payment.ref_kind, "contract_payment");
  EXPECT_EQ(p->payment.ref_id, 77);
  EXPECT_EQ(p->payment.org_name, "博睿社工");
  auto b = Balances(diejiao_);
  EXPECT_EQ(b["bank"], 6'000'000);
  EXPECT_EQ(b["expense:service"], 4'000'000);
  EXPECT_EQ(b["payable:org:" + std::to_string(borui_)], 0);
  // The same voucher again is refused, and nothing is posted.
  auto again = Pay(diejiao_, borui_, 1'000, "V2");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().key, "villagebook.voucher_taken");
  // More than the bank holds: neither entry.
  const int64_t entries = Scalar("SELECT COUNT(*) FROM villagebook_entries");
  auto over = Pay(diejiao_, qichuang_, 6'000'001, "V3");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().key, "villagebook.insufficient_funds");
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_entries"), entries);
  EXPECT_EQ(Balances(diejiao_)["bank"], 6'000'000);
  EXPECT_TRUE(VerifyAll().ok);
}

TEST_F(VillageBookTest, AnUrbanCommunityHasNoBookAndNothingCanBeBookedForIt) {
  auto ensure = Write([&](db::Tx& tx) { return vb::ledger::EnsureBook(tx, xiabei_, 0); });
  ASSERT_FALSE(ensure.ok());
  EXPECT_EQ(ensure.error().key, "villagebook.no_book");
  auto f = Fund(xiabei_, 100, "X1");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().key, "villagebook.no_book");
  auto p = Pay(xiabei_, borui_, 100, "X2");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().key, "villagebook.no_book");
  // Even RecordEntry itself, with lines that would balance.
  auto raw = Write([&](db::Tx& tx) {
    vb::EntryInput in;
    in.kind = "funding";
    in.voucher_no = "X3";
    in.lines = {{"bank", 100}, {"funding", -100}};
    return vb::ledger::RecordEntry(tx, xiabei_, in, 0);
  });
  ASSERT_FALSE(raw.ok());
  // The database decides too: a book row for it is never inserted.
  Write([&](db::Tx& tx) {
    tx.Exec("INSERT INTO villagebook_books (village_id, seq, last_hash, created_at_ms) "
            "SELECT id, 0, '', 0 FROM villages WHERE id = $1 AND collective_economy = 1",
            {xiabei_});
    return true;
  });
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_books"), 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_entries"), 0);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_accounts"), 0);
  // And the API: 404 to read, 422 to fund, nothing written.
  Client admin = UserWith(server_, NextPhone(), {RoleGrant{Role::kPlatformAdmin}});
  const std::string url = "/api/v1/villages/" + std::to_string(xiabei_) + "/book";
  auto got = Client(server_).Get(url);
  EXPECT_EQ(got.status, 404);
  EXPECT_EQ(got.error_code(), "villagebook.no_book");
  auto posted = admin.Post(url + "/fundings", json::object{{"amount_fen", 100}, {"voucher_no", "X4"}});
  EXPECT_EQ(posted.status, 422) << posted.body;
  EXPECT_EQ(posted.error_code(), "villagebook.no_book");
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_books"), 0);
}

TEST_F(VillageBookTest, AnEntryMustBalanceAndStayOnItsOwnVillagesAccounts) {
  ASSERT_TRUE(Fund(diejiao_, 1'000, "A1").ok());
  ASSERT_TRUE(Fund(pingdong_, 1'000, "B1").ok());
  ASSERT_TRUE(Pay(pingdong_, borui_, 500, "B2").ok());
  const auto post = [&](int64_t village, std::vector<vb::LineInput> lines) {
    return Write([&](db::Tx& tx) {
      vb::EntryInput in;
      in.kind = "funding";
      in.voucher_no = "T" + std::to_string(lines.size());
      in.lines = std::move(lines);
      return vb::ledger::RecordEntry(tx, village, in, 0);
    });
  };
  EXPECT_FALSE(post(diejiao_, {{"bank", 100}, {"funding", -99}}).ok());
  EXPECT_FALSE(post(diejiao_, {{"bank", 100}}).ok());
  EXPECT_FALSE(post(diejiao_, {{"bank", 0}, {"funding", 0}}).ok());
  // 平东村 has a payable to 博睿; 叠滘村 has none: it is not an account of its book.
  EXPECT_FALSE(post(diejiao_, {{"expense:service", 100}, {"payable:org:" + std::to_string(borui_), -100}}).ok());
  EXPECT_EQ(Scalar("SELECT seq FROM villagebook_books WHERE village_id = " + std::to_string(diejiao_)), 1);
  // The keys refuse a line on another book's account outright.
  const int64_t other_account = Scalar("SELECT a.id FROM villagebook_accounts a JOIN villagebook_books b ON "
                                       "b.id = a.book_id WHERE a.code = 'bank' AND b.village_id = " +
                                       std::to_string(pingdong_));
  const int64_t entry = Scalar("SELECT e.id FROM villagebook_entries e JOIN villagebook_books b ON b.id = e.book_id "
                               "WHERE b.village_id = " + std::to_string(diejiao_));
  const int64_t book = Scalar("SELECT id FROM villagebook_books WHERE village_id = " + std::to_string(diejiao_));
  EXPECT_THROW(Write([&](db::Tx& tx) {
                 tx.Exec("INSERT INTO villagebook_lines (book_id, entry_id, account_id, amount_fen) VALUES ($1, $2, $3, 1)",
                         {book, entry, other_account});
                 return true;
               }),
               db::DbError);
  EXPECT_TRUE(VerifyAll().ok);
}

TEST_F(VillageBookTest, AReversalNegatesItsEntryOnceAndNeverOverdrawsTheBank) {
  ASSERT_TRUE(Fund(sanshan_, 8'000, "S1").ok());
  auto p = Pay(sanshan_, borui_, 3'000, "S2");
  ASSERT_TRUE(p.ok());
  const auto reverse = [&](int64_t seq, const std::string& voucher) {
    return Write([&](db::Tx& tx) {
      return vb::ledger::Reverse(tx, sanshan_, seq, voucher, "冲销", std::nullopt, 0);
    });
  };
  // Reversing the funding would leave the bank at -3000.
  auto bad = reverse(1, "S3");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().key, "villagebook.insufficient_funds");
  auto r = reverse(p->payment.seq, "S4");
  ASSERT_TRUE(r.ok()) << r.error().key;
  EXPECT_EQ(r->reverses_seq, p->payment.seq);
  EXPECT_EQ(r->kind, "reversal");
  auto again = reverse(p->payment.seq, "S5");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().key, "villagebook.already_reversed");
  EXPECT_EQ(reverse(99, "S6").error().key, "villagebook.entry_not_found");
  auto b = Balances(sanshan_);
  EXPECT_EQ(b["bank"], 8'000);
  EXPECT_EQ(b["payable:org:" + std::to_string(borui_)], -3'000);  // accrued, not paid any more
  EXPECT_TRUE(VerifyAll().ok);
}

TEST_F(VillageBookTest, ThePublicPageShowsVouchersAmountsAndOrganisationsButNoPeople) {
  Client staff = UserWith(server_, NextPhone(), {RoleGrant{Role::kVillageStaff, std::nullopt, std::nullopt, diejiao_}});
  const std::string url = "/api/v1/villages/" + std::to_string(diejiao_) + "/book";
  auto empty = Client(server_).Get(url);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_FALSE(empty.json.at("book").at("opened").as_bool());
  auto posted = staff.Post(url + "/fundings",
                           json::object{{"amount_fen", 30'000'000}, {"voucher_no", "叠集记〔2012〕001号"},
                                        {"memo", "2012年度社会服务专项资金"}});
  ASSERT_EQ(posted.status, 201) << posted.body;
  EXPECT_EQ(posted.json.at("entry").at("seq").as_int64(), 1);
  ASSERT_TRUE(Pay(diejiao_, borui_, 2'000'000, "叠集记〔2012〕002号").ok());
  auto page = Client(server_).Get(url);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.json.at("book").at("entries_total").as_int64(), 3);
  const auto& entries = page.json.at("entries").as_array();
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(entries[0].at("kind").as_string(), "service_payment");  // newest first
  EXPECT_EQ(entries[0].at("counterparty").at("name").as_string(), "博睿社工");
  EXPECT_EQ(entries[2].at("voucher_no").as_string(), "叠集记〔2012〕001号");
  EXPECT_EQ(page.body.find("created_by"), std::string::npos);
  EXPECT_EQ(page.body.find("测试"), std::string::npos);  // the staff member's name
  bool bank_seen = false;
  for (const auto& a : page.json.at("accounts").as_array()) {
    if (a.at("code").as_string() == "bank") {
      bank_seen = true;
      EXPECT_EQ(a.at("balance_fen").as_int64(), 28'000'000);
    }
  }
  EXPECT_TRUE(bank_seen);
  // Paging.
  auto first = Client(server_).Get(url + "?limit=2");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.json.at("entries").as_array().size(), 2U);
  auto rest = Client(server_).Get(url + "?limit=2&before=" +
                                  std::string(first.json.at("next_cursor").as_string()));
  ASSERT_EQ(rest.json.at("entries").as_array().size(), 1U);
  EXPECT_EQ(rest.json.at("entries").as_array()[0].at("seq").as_int64(), 1);
  EXPECT_EQ(Client(server_).Get("/api/v1/villages/999999/book").status, 404);
}

TEST_F(VillageBookTest, OnlyTheVillagesStaffOrAPlatformAdminRecordsItsFunding) {
  const std::string url = "/api/v1/villages/" + std::to_string(diejiao_) + "/book/fundings";
  const json::object body{{"amount_fen", 1'000}, {"voucher_no", "P1"}};
  EXPECT_EQ(Client(server_).Post(url, body).status, 401);
  Client resident = UserWith(server_, NextPhone(), {RoleGrant{Role::kResident}});
  EXPECT_EQ(resident.Post(url, body).status, 403);
  Client other = UserWith(server_, NextPhone(), {RoleGrant{Role::kVillageStaff, std::nullopt, std::nullopt, pingdong_}});
  EXPECT_EQ(other.Post(url, body).status, 403);
  Client fund_admin = UserWith(server_, NextPhone(), {RoleGrant{Role::kFundAdmin}});
  EXPECT_EQ(fund_admin.Post(url, body).status, 403);
  Client org = UserWith(server_, NextPhone(), {OrgStaff(borui_)});
  EXPECT_EQ(org.Post(url, body).status, 403);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_entries"), 0);
  // Bad input names the field; nothing written.
  Client staff = UserWith(server_, NextPhone(), {RoleGrant{Role::kVillageStaff, std::nullopt, std::nullopt, diejiao_}});
  auto bad = staff.Post(url, json::object{{"amount_fen", 0}, {"voucher_no", "P1"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field(), "amount_fen");
  auto no_voucher = staff.Post(url, json::object{{"amount_fen", 10}});
  EXPECT_EQ(no_voucher.status, 400);
  EXPECT_EQ(no_voucher.error_field(), "voucher_no");
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_books"), 0);
  EXPECT_EQ(staff.Post(url, body).status, 201);
  auto dup = staff.Post(url, body);
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.error_code(), "villagebook.voucher_taken");
  Client admin = UserWith(server_, NextPhone(), {RoleGrant{Role::kPlatformAdmin}});
  EXPECT_EQ(admin.Post(url, json::object{{"amount_fen", 1'000}, {"voucher_no", "P2"}}).status, 201);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'villagebook.funding.recorded'"), 2);
}

// The Care Fund's tables as text, to compare byte for byte.
std::string FundTables(TestServer& s) {
  return db::ReadSync(s.app().store(), [](db::Tx& tx) {
    const std::vector<std::pair<const char*, size_t>> queries{
        {"SELECT id, kind, memo, amount_fen, prev_hash, hash FROM fund_entries ORDER BY id", 6},
        {"SELECT id, entry_id, account_id, amount_fen FROM fund_lines ORDER BY id", 4},
        {"SELECT id, code, balance_fen FROM fund_accounts ORDER BY id", 3},
        {"SELECT id, seq, last_hash FROM fund_head", 3}};
    std::string out;
    for (const auto& [sql, columns] : queries) {
      auto rows = tx.Query(sql);
      for (size_t i = 0; i < rows.size(); ++i) {
        for (size_t c = 0; c < columns; ++c) {
          out += rows[i].Text(c) + "|";
        }
        out += "\n";
      }
    }
    return out;
  });
}

TEST_F(VillageBookTest, RandomSequencesKeepEveryBookRightAndNeverTouchTheCareFund) {
  // The Care Fund has books of its own already.
  Write([&](db::Tx& tx) {
    fund::ledger::EnsureStandardAccounts(tx, 0);
    fund::EntryInput e;
    e.kind = "allocation";
    e.source = "government";
    e.memo = "区财政拨款";
    e.lines = {{std::string(fund::kBank), 500'000}, {std::string(fund::kGeneralFund), -500'000}};
    return fund::ledger::RecordEntry(tx, e, 0);
  });
  const std::string fund_before = FundTables(server_);
  ASSERT_NE(fund_before.find("区财政拨款"), std::string::npos);
  const std::vector<int64_t> villages{diejiao_, pingdong_, sanshan_};
  const std::vector<int64_t> orgs{borui_, qichuang_};
  std::mt19937 rng(20121012);
  int voucher = 0;
  std::map<int64_t, Fen> bank;  // the model: each village's bank balance
  for (int step = 0; step < 120; ++step) {
    const int64_t v = villages[rng() % villages.size()];
    const int op = static_cast<int>(rng() % 10);
    const Fen amount = 1 + static_cast<Fen>(rng() % 50'000);
    const std::string no = "R" + std::to_string(++voucher);
    if (op < 4) {
      ASSERT_TRUE(Fund(v, amount, no).ok());
      bank[v] += amount;
    } else if (op < 8) {
      auto p = Pay(v, orgs[rng() % orgs.size()], amount, no);
      if (amount <= bank[v]) {
        ASSERT_TRUE(p.ok()) << p.error().key;
        bank[v] -= amount;
      } else {
        ASSERT_FALSE(p.ok());
        EXPECT_TRUE(p.error().key == "villagebook.insufficient_funds" || p.error().key == "villagebook.no_book")
            << p.error().key;
      }
    } else {
      const int64_t seqs = Scalar("SELECT COALESCE(MAX(seq), 0) FROM villagebook_books WHERE village_id = " +
                                  std::to_string(v));
      if (seqs == 0) {
        continue;
      }
      const int64_t seq = 1 + static_cast<int64_t>(rng() % seqs);
      auto r = Write([&](db::Tx& tx) { return vb::ledger::Reverse(tx, v, seq, no, "冲销", std::nullopt, 0); });
      if (r.ok()) {
        for (const vb::EntryLine& l : r->lines) {
          if (l.account_code == "bank") {
            bank[v] += l.amount_fen;
          }
        }
      }
    }
    const vb::VerifyReport report = VerifyAll();
    ASSERT_TRUE(report.ok) << "step " << step << ": " << (report.problems.empty() ? "" : report.problems.front());
    for (int64_t village : villages) {
      // Each village's balances are the sums of its own lines (checked by
      // VerifyAll), and its bank is the model's.
      const std::string id = std::to_string(village);
      EXPECT_EQ(Scalar("SELECT COALESCE(SUM(l.amount_fen), 0) FROM villagebook_lines l JOIN villagebook_accounts a "
                       "ON a.id = l.account_id JOIN villagebook_books b ON b.id = a.book_id WHERE a.code = 'bank' "
                       "AND b.village_id = " + id),
                bank[village]);
      EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_lines l JOIN villagebook_entries e ON e.id = l.entry_id "
                       "JOIN villagebook_accounts a ON a.id = l.account_id WHERE a.book_id <> e.book_id"),
                0);
    }
    ASSERT_EQ(FundTables(server_), fund_before) << "step " << step;
  }
  EXPECT_GE(Scalar("SELECT COUNT(*) FROM villagebook_entries"), 60);
  const vb::VerifyReport report = VerifyAll();
  EXPECT_EQ(report.books, 3);
  auto fund_report = Read([](db::Tx& tx) { return fund::ledger::Verify(tx); });
  EXPECT_TRUE(fund_report.ok);
}

TEST_F(VillageBookTest, ServersBookingIntoOneVillageAtOnceKeepOneChainAndRightBalances) {
  std::unique_ptr<app::App> second = SecondApp(server_);  // nullptr on SQLite: one writer, many threads
  ASSERT_TRUE(Fund(diejiao_, 1'000'000, "C0").ok());
  constexpr int kThreads = 8;
  constexpr int kEach = 6;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      app::App& a = (second && t % 2 == 1) ? *second : server_.app();
      for (int i = 0; i < kEach; ++i) {
        const std::string no = "C" + std::to_string(t) + "-" + std::to_string(i);
        auto r = db::WriteSync(a.store(), [&](db::Tx& tx) -> Result<int64_t> {
          if (i % 2 == 0) {
            CC_ASSIGN_OR_RETURN(auto e, vb::ledger::RecordFundingTx(tx, diejiao_, 100, no, "", std::nullopt, 0));
            return e.seq;
          }
          CC_ASSIGN_OR_RETURN(auto p, vb::ledger::BookContractPaymentTx(tx, diejiao_, t % 2 ? borui_ : qichuang_,
                                                                        t, 30, no, "", std::nullopt, 0));
          return p.payment.seq;
        });
        if (!r.ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  if (second) {
    second->store().Close();
    second.reset();
  }
  EXPECT_EQ(failures.load(), 0);
  // 1 opening + 24 fundings + 24 payments of two entries each.
  const int64_t expected = 1 + kThreads * kEach / 2 + kThreads * kEach / 2 * 2;
  EXPECT_EQ(Scalar("SELECT seq FROM villagebook_books WHERE village_id = " + std::to_string(diejiao_)), expected);
  EXPECT_EQ(Scalar("SELECT COUNT(*) FROM villagebook_entries"), expected);
  EXPECT_EQ(Scalar("SELECT COUNT(DISTINCT prev_hash) FROM villagebook_entries"), expected);  // no fork
  auto b = Balances(diejiao_);
  EXPECT_EQ(b["bank"], 1'000'000 + kThreads * kEach / 2 * 100 - kThreads * kEach / 2 * 30);
  EXPECT_EQ(b["expense:service"], kThreads * kEach / 2 * 30);
  const vb::VerifyReport report = VerifyAll();
  EXPECT_TRUE(report.ok) << (report.problems.empty() ? "" : report.problems.front());
}

TEST_F(VillageBookTest, CheckpointsCoverEachBookAndCatchARewrite) {
  ASSERT_TRUE(Fund(diejiao_, 1'000, "K1").ok());
  ASSERT_TRUE(Fund(diejiao_, 2'000, "K2").ok());
  ASSERT_TRUE(Fund(pingdong_, 3'000, "K3").ok());
  server_.clock().Advance(kMinuteMs);
  const app::CheckpointRound round = server_.app().WriteCheckpoints(true);
  ASSERT_TRUE(round.errors.empty());
  std::set<std::string> chains;
  for (const auto& c : round.written) {
    chains.insert(c.chain);
  }
  EXPECT_TRUE(chains.count(vb::ChainName(diejiao_)));
  EXPECT_TRUE(chains.count(vb::ChainName(pingdong_)));
  auto& app = server_.app();
  const auto verify = [&] {
    auto log = audit::ReadCheckpointLog(app.checkpointer().log_path());
    return app::VerifyBooks(app.store(), log->checkpoints, {app.checkpointer().public_key()});
  };
  auto clean = verify();
  EXPECT_TRUE(clean.books.ok);
  EXPECT_EQ(clean.books.reports.size(), 2U);
  EXPECT_GE(clean.books.reports[0].chain.anchored_seq, 2);
  // A forger rewrites entry 1 of 叠滘村 and recomputes every hash and the head.
  Write([&](db::Tx& tx) {
    const vb::Book book = *vb::repo::FindBook(tx, diejiao_);
    tx.Exec("UPDATE villagebook_entries SET memo = '改过的' WHERE seq = 1 AND book_id = $1", {book.id});
    std::string prev;
    for (vb::Entry e : vb::repo::EntriesAfter(tx, book.id, 0, 100)) {
      e.prev_hash = prev;
      e.hash = vb::ledger::EntryHash(e);
      tx.Exec("UPDATE villagebook_entries SET prev_hash = $2, hash = $3 WHERE id = $1", {e.id, e.prev_hash, e.hash});
      prev = e.hash;
    }
    vb::repo::SetHead(tx, book.id, prev);
    return true;
  });
  // On its own the book checks out again: only the checkpoint tells.
  EXPECT_TRUE(VerifyAll().ok);
  auto tampered = verify();
  EXPECT_FALSE(tampered.books.ok);
  // Refuse to sign a broken book.
  server_.clock().Advance(kHourMs);
  ASSERT_TRUE(Fund(diejiao_, 1, "K4").ok());
  const app::CheckpointRound later = app.WriteCheckpoints(true);
  EXPECT_FALSE(later.errors.empty());
}

}  // namespace
}  // namespace carecity::testing
