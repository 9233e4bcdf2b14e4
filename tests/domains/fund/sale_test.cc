// Sales paid into the fund (公益商城 orders, 公益拍卖 lots): the gift goes to
// its fund with a 捐赠票据, the goods to the sellers' payables, and refunds,
// whole or in part, reverse exactly what they take back.
#include <gtest/gtest.h>

#include "domains/fund/ledger.h"
#include "domains/fund/service.h"
#include "support/test_server.h"

namespace carecity::fund {
namespace {

using carecity::testing::TestServer;

class SaleTest : public ::testing::Test {
 protected:
  SaleTest() {
    db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      auto& accounts = server_.app().accounts();
      org_a_ = accounts.CreateOrgTx(tx, std::nullopt, {"博睿社工", "52440605MJL1001X2A", "5A"}, "t")->id;
      org_b_ = accounts.CreateOrgTx(tx, std::nullopt, {"启创社工", "52440605MJL1002Y3B", "4A"}, "t")->id;
      return true;
    });
  }
  FundService& fund() { return server_.app().fund(); }
  // A payment of `amount` as the sale's owning domain creates it, paid with `fee`.
  payments::Payment Paid(Fen amount, Fen fee = 0) {
    auto p = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
      payments::NewPayment np;
      np.purpose = "shop_order";
      np.ref_id = ++ref_;
      np.amount_fen = amount;
      np.description = "公益商城订单";
      return server_.app().payments().CreateTx(tx, np, server_.clock().NowMs());
    });
    EXPECT_TRUE(p.ok());
    p->fee_fen = fee;
    return *p;
  }
  // 100 元 of goods from org A and 30 元 from org B, 20 元 of it a gift.
  Sale ShopSale(const payments::Payment& p) {
    Sale s;
    s.ref_type = "shop_order";
    s.ref_id = p.ref_id;
    s.buyer_name = "陈阿姨";
    s.fund_fen = 2000;
    s.receipt_fen = 2000;
    s.goods_value_fen = 11000;
    s.payables = {{org_a_, 8000}, {org_b_, 3000}};
    s.memo = "公益商城";
    return s;
  }
  Result<SaleBooked> Book(const payments::Payment& p, const Sale& s) {
    return db::WriteSync(server_.app().store(),
                         [&](db::Tx& tx) { return fund().BookSaleTx(tx, p, s, server_.clock().NowMs()); });
  }
  Result<SaleBooked> Refund(const SaleRefund& r, int64_t ref_id) {
    return db::WriteSync(server_.app().store(), [&](db::Tx& tx) -> Result<SaleBooked> {
      CC_TRY(fund().HoldSaleRefundTx(tx, "shop_order", ref_id, r, server_.clock().NowMs()));
      return fund().BookSaleRefundTx(tx, "shop_order", ref_id, r, 1, server_.clock().NowMs());
    });
  }
  Fen Balance(const std::string& code) {
    return db::ReadSync(server_.app().store(), [&](db::Tx& tx) {
      auto rows = tx.Query("SELECT balance_fen FROM fund_accounts WHERE code = $1", {code});
      return rows.empty() ? Fen{0} : rows.front().Int(0);
    });
  }
  int64_t Count(const std::string& sql) { return carecity::testing::Count(server_, sql); }
  VerifyReport Verify() {
    return db::ReadSync(server_.app().store(), [](db::Tx& tx) { return ledger::Verify(tx); });
  }
  TestServer server_;
  int64_t org_a_ = 0;
  int64_t org_b_ = 0;
  int64_t ref_ = 0;
};

TEST_F(SaleTest, APaidSaleCreditsTheGiftToTheFundAndTheGoodsToEachSeller) {
  const payments::Payment p = Paid(13000, 78);
  auto booked = Book(p, ShopSale(p));
  ASSERT_TRUE(booked.ok()) << booked.error().key;
  EXPECT_EQ(Balance(kGeneralFund), -2000);
  EXPECT_EQ(Balance(GoodsPayableAccount(org_a_)), -8000);
  EXPECT_EQ(Balance(GoodsPayableAccount(org_b_)), -3000);
  EXPECT_EQ(Balance(kFees), 78);  // the fund pays the provider, as for a donation
  EXPECT_EQ(Balance(kSandboxClearing), 13000 - 78);
  ASSERT_TRUE(booked->receipt.has_value());
  EXPECT_EQ(booked->receipt->amount_fen, 2000);  // the receipt covers the gift only
  EXPECT_EQ(booked->receipt->goods_value_fen, 11000);
  EXPECT_EQ(booked->receipt->status, "confirmed");
  EXPECT_TRUE(booked->receipt->receipt_no.has_value());
  const VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems.front());
  // Money raised counts the gift, not the goods owed to the sellers.
  EXPECT_EQ(Count("SELECT COALESCE(SUM(amount_fen), 0) FROM fund_entries WHERE source IS NOT NULL"), 2000);
}

TEST_F(SaleTest, ASaleIsBookedOnceAndItsPartsMustAddUpToThePayment) {
  const payments::Payment p = Paid(13000);
  ASSERT_TRUE(Book(p, ShopSale(p)).ok());
  auto again = Book(p, ShopSale(p));
  ASSERT_FALSE(again.ok());
  Sale wrong = ShopSale(Paid(12000));
  wrong.ref_id = ref_;
  EXPECT_FALSE(Book(Paid(12000), wrong).ok());  // 13000 of parts for 12000 paid
  Sale gift_too_big = ShopSale(p);
  gift_too_big.ref_id = 999;
  gift_too_big.receipt_fen = 2001;
  EXPECT_FALSE(Book(p, gift_too_big).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fund_sales"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fund_donations"), 1);
  EXPECT_TRUE(Verify().ok);
}

TEST_F(SaleTest, ARefundOfOneLineTakesBackItsPartsAndReissuesTheReceiptForWhatRemains) {
  const payments::Payment p = Paid(13000);
  auto booked = Book(p, ShopSale(p));
  ASSERT_TRUE(booked.ok());
  // Org B's line (30 元 of goods, 5 元 of it gift) goes back.
  SaleRefund r{500, 500, {{org_b_, 2500}}, "尺寸不合适"};
  auto refunded = Refund(r, p.ref_id);
  ASSERT_TRUE(refunded.ok()) << refunded.error().key;
  EXPECT_EQ(Balance(kGeneralFund), -1500);
  EXPECT_EQ(Balance(GoodsPayableAccount(org_a_)), -8000);
  EXPECT_EQ(Balance(GoodsPayableAccount(org_b_)), -500);
  EXPECT_EQ(Balance(kSandboxClearing), 13000 - 3000);
  ASSERT_TRUE(refunded->receipt.has_value());
  EXPECT_EQ(refunded->receipt->amount_fen, 1500);
  EXPECT_NE(refunded->receipt->receipt_no, booked->receipt->receipt_no);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fund_donations WHERE status = 'refunded'"), 1);  // the old one is void
  // The public journal says only 退款; the reason stays in the audit log.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fund_entries WHERE memo LIKE '%尺寸%'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'fund.sale.refunded'"), 1);
  EXPECT_EQ(Count("SELECT COALESCE(SUM(CASE WHEN reverses_entry_id IS NULL THEN amount_fen ELSE -amount_fen END), 0) "
                  "FROM fund_entries WHERE source IS NOT NULL"),
            1500);
  const VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems.front());
  // Then the rest: nothing remains anywhere.
  auto rest = Refund(SaleRefund{1500, 1500, {{org_a_, 8000}, {org_b_, 500}}, "取消"}, p.ref_id);
  ASSERT_TRUE(rest.ok()) << rest.error().key;
  EXPECT_FALSE(rest->receipt.has_value());
  EXPECT_EQ(Balance(kGeneralFund), 0);
  EXPECT_EQ(Balance(GoodsPayableAccount(org_a_)), 0);
  EXPECT_EQ(Balance(GoodsPayableAccount(org_b_)), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fund_donations WHERE status = 'confirmed'"), 0);
  EXPECT_TRUE(Verify().ok);
}

// The provider's fee is paid once, whichever side a refund changes: a refund
// of goods alone must not book the fee again on the goods entry, and a gift
// left smaller than the fee moves the rest of the fee to the goods.
TEST_F(SaleTest, TheFeeIsBookedOnceWhateverSideARefundChanges) {
  const payments::Payment p = Paid(13000, 78);
  ASSERT_TRUE(Book(p, ShopSale(p)).ok());
  auto goods_only = Refund(SaleRefund{0, 0, {{org_b_, 3000}}, "退货"}, p.ref_id);
  ASSERT_TRUE(goods_only.ok()) << goods_only.error().key;
  EXPECT_EQ(Balance(kFees), 78);
  EXPECT_EQ(Balance(kGeneralFund), -2000);
  EXPECT_EQ(Balance(kSandboxClearing), 13000 - 78 - 3000);
  auto most_of_gift = Refund(SaleRefund{1950, 1950, {}, "退款"}, p.ref_id);
  ASSERT_TRUE(most_of_gift.ok()) << most_of_gift.error().key;
  EXPECT_EQ(Balance(kFees), 78);
  EXPECT_EQ(Balance(kGeneralFund), -50);
  EXPECT_EQ(Balance(GoodsPayableAccount(org_a_)), -8000);
  EXPECT_EQ(Balance(kSandboxClearing), 13000 - 78 - 3000 - 1950);
  const VerifyReport v = Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems.front());
}

TEST_F(SaleTest, ARefundOfMoreThanTheSaleHoldsChangesNothing) {
  const payments::Payment p = Paid(13000);
  ASSERT_TRUE(Book(p, ShopSale(p)).ok());
  const int64_t entries = Count("SELECT COUNT(*) FROM fund_entries");
  for (const SaleRefund& r : {SaleRefund{2001, 0, {}, "x"}, SaleRefund{0, 0, {{org_b_, 3001}}, "x"},
                              SaleRefund{0, 0, {{999, 1}}, "x"}, SaleRefund{0, 0, {}, "x"},
                              SaleRefund{1000, 0, {}, "x"} /* leaves a 20 元 receipt on 10 元 */}) {
    auto refunded = Refund(r, p.ref_id);
    ASSERT_FALSE(refunded.ok());
    EXPECT_EQ(refunded.error().key, "sale_not_refundable");
  }
  EXPECT_EQ(Refund(SaleRefund{100, 100, {}, "x"}, 12345).error().key, "sale_not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fund_entries"), entries);
  EXPECT_EQ(Balance(kGeneralFund), -2000);
}

TEST_F(SaleTest, AGiftAlreadyGrantedOutCannotBeRefundedAndAHeldRefundCannotBeGranted) {
  const payments::Payment p = Paid(13000);
  ASSERT_TRUE(Book(p, ShopSale(p)).ok());
  // A refund under way holds the gift: a grant of the whole fund is refused.
  SaleRefund all{2000, 2000, {{org_a_, 8000}, {org_b_, 3000}}, "x"};
  ASSERT_TRUE(db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
                return fund().HoldSaleRefundTx(tx, "shop_order", p.ref_id, all, server_.clock().NowMs());
              }).ok());
  auto grant = db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    return fund().CreateCommitmentTx(tx, 1, {org_a_, std::nullopt, 2000, "项目"}, server_.clock().NowMs());
  });
  ASSERT_FALSE(grant.ok());
  EXPECT_EQ(grant.error().key, "insufficient_funds");
  // The provider refused: the hold goes, and the grant can take the money.
  db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
    fund().ReleaseSaleRefundHoldTx(tx, "shop_order", p.ref_id);
    return true;
  });
  ASSERT_TRUE(db::WriteSync(server_.app().store(), [&](db::Tx& tx) {
                return fund().CreateCommitmentTx(tx, 1, {org_a_, std::nullopt, 2000, "项目"},
                                                 server_.clock().NowMs());
              }).ok());
  auto late = Refund(all, p.ref_id);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().key, "insufficient_funds");
  EXPECT_TRUE(Verify().ok);
}

TEST_F(SaleTest, AnAuctionReceiptCoversThePriceAboveTheMarketValue) {
  const payments::Payment p = Paid(50000);
  Sale s;
  s.ref_type = "auction_lot";
  s.ref_id = 7;
  s.buyer_name = "李先生";
  s.fund_fen = 50000;
  s.receipt_fen = 30000;  // 500 元 paid for a painting worth 200 元
  s.goods_value_fen = 20000;
  s.memo = "公益拍卖";
  auto booked = Book(p, s);
  ASSERT_TRUE(booked.ok()) << booked.error().key;
  EXPECT_EQ(Balance(kGeneralFund), -50000);  // the whole price goes to the fund
  ASSERT_TRUE(booked->receipt.has_value());
  EXPECT_EQ(booked->receipt->amount_fen, 30000);
  auto receipt = carecity::testing::Client(server_).Get("/api/v1/fund/receipts/" + *booked->receipt->receipt_no);
  ASSERT_EQ(receipt.status, 200) << receipt.body;
  EXPECT_EQ(receipt.json.at("receipt").at("amount_fen").as_int64(), 30000);
  EXPECT_EQ(receipt.json.at("receipt").at("sale").at("kind").as_string(), "auction_lot");
  EXPECT_EQ(receipt.json.at("receipt").at("sale").at("goods_value_fen").as_int64(), 20000);
  EXPECT_EQ(receipt.json.at("receipt").at("donor").as_string(), "李**");  // the public verification masks
  EXPECT_TRUE(Verify().ok);
}

TEST_F(SaleTest, ASaleReceiptIsNotRefundedAsADonation) {
  const payments::Payment p = Paid(13000);
  auto booked = Book(p, ShopSale(p));
  ASSERT_TRUE(booked.ok());
  auto admin = carecity::testing::UserWith(server_, carecity::testing::NextPhone(),
                                           {accounts::RoleGrant{accounts::Role::kFundAdmin}});
  auto r = admin.Post("/api/v1/fund/receipts/" + *booked->receipt->receipt_no + "/refund", {{"reason", "买家要求退款"}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(Balance(kGeneralFund), -2000);
}

}  // namespace
}  // namespace carecity::fund
