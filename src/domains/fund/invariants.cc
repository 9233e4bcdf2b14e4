#include "domains/fund/invariants.h"

#include <fmt/format.h>

#include <string_view>

namespace carecity::fund {
namespace {

struct Rule {
  std::string_view what;  // "{}" is the offending row's id
  std::string_view sql;   // rows that break it: (id)
};

// Each query lists the ids that break its rule (at most a few).
constexpr Rule kRules[] = {
    {"disbursement {} is booked more than once",
     "SELECT ref_id FROM fund_entries WHERE kind = 'disbursement' AND ref_type = 'disbursement' "
     "GROUP BY ref_id HAVING COUNT(*) > 1 LIMIT 5"},
    {"disbursement {} is paid but has no payment entry",
     "SELECT d.id FROM fund_disbursements d WHERE d.status = 'paid' AND NOT EXISTS (SELECT 1 FROM fund_entries e "
     "WHERE e.kind = 'disbursement' AND e.ref_type = 'disbursement' AND e.ref_id = d.id) LIMIT 5"},
    {"commitment {} disbursed more than it granted, or not what its paid disbursements add up to",
     "SELECT c.id FROM fund_commitments c WHERE c.disbursed_fen > c.amount_fen OR c.disbursed_fen <> "
     "(SELECT COALESCE(SUM(d.amount_fen), 0) FROM fund_disbursements d WHERE d.commitment_id = c.id "
     "AND d.status = 'paid') LIMIT 5"},
    {"commitment {} released more than it left unpaid",
     "SELECT id FROM fund_commitments WHERE released_fen > 0 AND disbursed_fen + released_fen <> amount_fen LIMIT 5"},
    {"fund account {} is below zero",
     "SELECT id FROM fund_accounts WHERE type = 'net_assets' AND balance_fen > 0 LIMIT 5"},
    {"organisation payable account {} was paid beyond its grants",
     "SELECT id FROM fund_accounts WHERE type = 'liability' AND balance_fen > 0 LIMIT 5"},
    {"sponsorship {} received more in instalments than it committed",
     "SELECT s.id FROM fund_sponsorships s WHERE s.committed_fen < (SELECT COALESCE(SUM(i.amount_fen), 0) "
     "FROM fund_sponsorship_instalments i WHERE i.sponsorship_id = s.id) LIMIT 5"},
    {"donation {} is booked more than once",
     "SELECT ref_id FROM fund_entries WHERE kind = 'donation' AND ref_type = 'donation' "
     "GROUP BY ref_id HAVING COUNT(*) > 1 LIMIT 5"},
    {"donation {} is confirmed or refunded without its entry",
     "SELECT d.id FROM fund_donations d WHERE d.status IN ('confirmed', 'refunded') AND d.sale_id IS NULL AND "
     "(d.entry_id IS NULL OR NOT EXISTS (SELECT 1 FROM fund_entries e WHERE e.id = d.entry_id "
     "AND e.kind = 'donation')) LIMIT 5"},
    {"donation {} is refunded but its entry was not reversed",
     "SELECT d.id FROM fund_donations d WHERE d.status = 'refunded' AND NOT EXISTS (SELECT 1 FROM fund_entries r "
     "WHERE r.reverses_entry_id = d.entry_id) LIMIT 5"},
    {"sale {} stands on a reversed entry",
     "SELECT s.id FROM fund_sales s WHERE EXISTS (SELECT 1 FROM fund_entries r WHERE "
     "r.reverses_entry_id = s.gift_entry_id OR r.reverses_entry_id = s.goods_entry_id) LIMIT 5"},
    {"sale {} is not what its entries book",
     "SELECT s.id FROM fund_sales s WHERE (s.fund_fen > 0) <> (s.gift_entry_id IS NOT NULL) "
     "OR (s.goods_fen > 0) <> (s.goods_entry_id IS NOT NULL) "
     "OR s.goods_fen <> (SELECT COALESCE(SUM(p.amount_fen), 0) FROM fund_sale_payables p WHERE p.sale_id = s.id) "
     "LIMIT 5"},
    {"sale {} has a receipt for another amount than its gift, or more than one",
     "SELECT s.id FROM fund_sales s WHERE s.receipt_fen <> (SELECT COALESCE(SUM(d.amount_fen), 0) "
     "FROM fund_donations d WHERE d.sale_id = s.id AND d.status = 'confirmed') OR 1 < (SELECT COUNT(*) "
     "FROM fund_donations d WHERE d.sale_id = s.id AND d.status = 'confirmed') LIMIT 5"},
};

}  // namespace

void CheckInvariants(db::Tx& tx, VerifyReport& report) {
  for (const Rule& rule : kRules) {
    auto rows = tx.Query(rule.sql);
    for (size_t i = 0; i < rows.size(); ++i) {
      report.ok = false;
      if (report.problems.size() < 20) {
        report.problems.push_back(fmt::format(fmt::runtime(rule.what), rows[i].Int(0)));
      }
    }
  }
}

}  // namespace carecity::fund
