#include "domains/fund/repo.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <unordered_map>

namespace carecity::fund::repo {
namespace {

// "2026-11": the calendar month in China time (UTC+8, no daylight saving).
std::string ChinaMonth(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>((ms + 8 * 3600 * 1000LL) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  return buf;
}

constexpr const char* kEntryColumns =
    "e.id, e.kind, e.source, e.purpose_id, p.name, e.org_id, e.memo, e.ref_type, e.ref_id, e.donor_display, "
    "e.amount_fen, e.reverses_entry_id, e.created_by, e.created_at_ms, e.prev_hash, e.hash, "
    "(SELECT d.donor_forgotten FROM fund_donations d WHERE e.ref_type = 'donation' AND d.id = e.ref_id)";

Entry EntryFromRow(const db::Row& r) {
  Entry e;
  e.id = r.Int(0);
  e.kind = r.Text(1);
  e.source = r.OptText(2);
  e.purpose_id = r.OptInt(3);
  e.purpose_name = r.OptText(4);
  e.org_id = r.OptInt(5);
  e.memo = r.Text(6);
  e.ref_type = r.Text(7);
  e.ref_id = r.OptInt(8);
  e.donor_display = r.OptText(9);
  e.amount_fen = r.Int(10);
  e.reverses_entry_id = r.OptInt(11);
  e.created_by = r.OptInt(12);
  e.created_at_ms = r.Int(13);
  e.prev_hash = r.Text(14);
  e.hash = r.Text(15);
  e.donor_forgotten = r.Bool(16);
  return e;
}

// Attaches lines to entries [first, last] in one query.
void LoadLines(db::Tx& tx, std::vector<Entry>& entries) {
  if (entries.empty()) {
    return;
  }
  int64_t lo = entries.front().id;
  int64_t hi = entries.front().id;
  for (const Entry& e : entries) {
    lo = std::min(lo, e.id);
    hi = std::max(hi, e.id);
  }
  auto rows = tx.Query(
      "SELECT l.entry_id, a.code, a.name, l.amount_fen FROM fund_lines l JOIN fund_accounts a ON a.id = l.account_id "
      "WHERE l.entry_id BETWEEN $1 AND $2 ORDER BY l.entry_id, l.id",
      {lo, hi});
  // One pass: each line goes to its entry by id (the page may be in either order).
  std::unordered_map<int64_t, Entry*> by_id;
  by_id.reserve(entries.size());
  for (Entry& e : entries) {
    by_id.emplace(e.id, &e);
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    if (auto it = by_id.find(rows[i].Int(0)); it != by_id.end()) {
      it->second->lines.push_back(EntryLine{rows[i].Text(1), rows[i].Text(2), rows[i].Int(3)});
    }
  }
}

constexpr const char* kDonationColumns =
    "d.id, d.user_id, d.donor_name, d.anonymous, d.purpose_id, p.name, d.amount_fen, d.message, d.status, "
    "d.payment_id, d.entry_id, d.receipt_no, d.created_at_ms, d.confirmed_at_ms, d.public_id, "
    "d.refund_requested_at_ms, d.donor_forgotten, d.sale_id, d.goods_value_fen";

Donation DonationFromRow(const db::Row& r) {
  Donation d;
  d.id = r.Int(0);
  d.user_id = r.OptInt(1);
  d.donor_name = r.Text(2);
  d.anonymous = r.Bool(3);
  d.purpose_id = r.OptInt(4);
  d.purpose_name = r.OptText(5);
  d.amount_fen = r.Int(6);
  d.message = r.Text(7);
  d.status = r.Text(8);
  d.payment_id = r.OptInt(9);
  d.entry_id = r.OptInt(10);
  d.receipt_no = r.OptText(11);
  d.created_at_ms = r.Int(12);
  d.confirmed_at_ms = r.OptInt(13);
  d.public_id = r.Text(14);
  d.refund_requested_at_ms = r.OptInt(15);
  d.donor_forgotten = r.Bool(16);
  d.sale_id = r.OptInt(17);
  d.goods_value_fen = r.Int(18);
  return d;
}

constexpr const char* kPurposeColumns =
    "p.id, p.code, p.name, p.description, p.restricted, p.filing_no, p.active, p.starts_at_ms, p.ends_at_ms, "
    "(SELECT s.naming_text FROM fund_sponsorships s WHERE s.purpose_id = p.id ORDER BY s.id DESC LIMIT 1)";

Purpose PurposeFromRow(const db::Row& r) {
  Purpose p;
  p.id = r.Int(0);
  p.code = r.Text(1);
  p.name = r.Text(2);
  p.description = r.Text(3);
  p.restricted = r.Bool(4);
  p.filing_no = r.Text(5);
  p.active = r.Bool(6);
  p.starts_at_ms = r.Int(7);
  p.ends_at_ms = r.OptInt(8);
  p.naming = r.OptText(9);
  return p;
}

// Signed amount of an entry for totals: a reversal subtracts.
constexpr const char* kSigned = "CASE WHEN reverses_entry_id IS NULL THEN amount_fen ELSE -amount_fen END";

// The first column of the first row: an id from INSERT ... RETURNING, or an
// aggregate. The statement must return a row.
int64_t ScalarInt(db::Tx& tx, std::string_view sql, std::initializer_list<db::Value> params = {}) {
  return tx.Query(sql, params).front().Int(0);
}

// Rows of (int, int) as pairs.
std::vector<std::pair<int64_t, int64_t>> IntPairs(const db::Rows& rows) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.emplace_back(rows[i].Int(0), rows[i].Int(1));
  }
  return out;
}

}  // namespace

std::optional<Account> FindAccount(db::Tx& tx, const std::string& code) {
  auto rows = tx.Query("SELECT id, code, name, type, balance_fen FROM fund_accounts WHERE code = $1", {code});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return Account{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)};
}

void InsertAccount(db::Tx& tx, const std::string& code, const std::string& name, const std::string& type,
                   std::optional<int64_t> purpose_id, std::optional<int64_t> org_id, int64_t now_ms) {
  // Several servers starting on an empty database all ensure the standard
  // accounts: the unique code decides, the others change nothing.
  tx.Exec(
      "INSERT INTO fund_accounts (code, name, type, purpose_id, org_id, balance_fen, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (code) DO NOTHING",
      {code, name, type, purpose_id, org_id, now_ms});
}

void AddToBalance(db::Tx& tx, int64_t account_id, Fen delta) {
  tx.Exec("UPDATE fund_accounts SET balance_fen = balance_fen + $2 WHERE id = $1", {account_id, delta});
}

std::pair<int64_t, std::string> NextEntry(db::Tx& tx) {
  auto rows = tx.Query("UPDATE fund_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash");
  return {rows.front().Int(0), rows.front().Text(1)};
}

void SetHead(db::Tx& tx, const std::string& hash) {
  tx.Exec("UPDATE fund_head SET last_hash = $1 WHERE id = 1", {hash});
}

void InsertEntry(db::Tx& tx, const Entry& e) {
  tx.Exec(
      "INSERT INTO fund_entries (id, kind, source, purpose_id, org_id, memo, ref_type, ref_id, donor_display, "
      "amount_fen, reverses_entry_id, created_by, created_at_ms, period, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
      {e.id, e.kind, e.source, e.purpose_id, e.org_id, e.memo, e.ref_type, e.ref_id, e.donor_display, e.amount_fen,
       e.reverses_entry_id, e.created_by, e.created_at_ms, ChinaMonth(e.created_at_ms), e.prev_hash, e.hash});
}

void InsertLine(db::Tx& tx, int64_t entry_id, int64_t account_id, Fen amount) {
  tx.Exec("INSERT INTO fund_lines (entry_id, account_id, amount_fen) VALUES ($1, $2, $3)",
          {entry_id, account_id, amount});
}

std::optional<Entry> FindEntry(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                           " FROM fund_entries e LEFT JOIN fund_purposes p ON p.id = e.purpose_id WHERE e.id = $1",
                       {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  std::vector<Entry> v{EntryFromRow(rows.front())};
  LoadLines(tx, v);
  return v.front();
}

bool IsReversed(db::Tx& tx, int64_t entry_id) {
  return !tx.Query("SELECT 1 FROM fund_entries WHERE reverses_entry_id = $1", {entry_id}).empty();
}

std::vector<Entry> ListEntries(db::Tx& tx, int64_t before_id, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                           " FROM fund_entries e LEFT JOIN fund_purposes p ON p.id = e.purpose_id "
                           "WHERE e.id < $1 ORDER BY e.id DESC LIMIT $2",
                       {before_id > 0 ? before_id : INT64_MAX, limit});
  std::vector<Entry> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(EntryFromRow(rows[i]));
  }
  LoadLines(tx, out);
  return out;
}

std::vector<Entry> EntriesAfter(db::Tx& tx, int64_t after_id, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                           " FROM fund_entries e LEFT JOIN fund_purposes p ON p.id = e.purpose_id "
                           "WHERE e.id > $1 ORDER BY e.id LIMIT $2",
                       {after_id, limit});
  std::vector<Entry> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(EntryFromRow(rows[i]));
  }
  LoadLines(tx, out);
  return out;
}

std::vector<Account> ListAccounts(db::Tx& tx) {
  auto rows = tx.Query("SELECT id, code, name, type, balance_fen FROM fund_accounts ORDER BY id");
  std::vector<Account> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(Account{rows[i].Int(0), rows[i].Text(1), rows[i].Text(2), rows[i].Text(3), rows[i].Int(4)});
  }
  return out;
}

std::vector<std::pair<int64_t, Fen>> LineSumsByAccount(db::Tx& tx) {
  return IntPairs(tx.Query("SELECT account_id, SUM(amount_fen) FROM fund_lines GROUP BY account_id"));
}

std::vector<Purpose> ListPurposes(db::Tx& tx) {
  auto rows = tx.Query(std::string("SELECT ") + kPurposeColumns + " FROM fund_purposes p ORDER BY p.id");
  std::vector<Purpose> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(PurposeFromRow(rows[i]));
  }
  return out;
}

std::optional<Purpose> FindPurpose(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(std::string("SELECT ") + kPurposeColumns + " FROM fund_purposes p WHERE p.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return PurposeFromRow(rows.front());
}

std::optional<int64_t> InsertPurpose(db::Tx& tx, const Purpose& p, int64_t now_ms) {
  auto rows = tx.Query(
      "INSERT INTO fund_purposes (code, name, description, restricted, filing_no, starts_at_ms, ends_at_ms, "
      "active, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) ON CONFLICT (code) DO NOTHING RETURNING id",
      {p.code, p.name, p.description, p.restricted, p.filing_no, p.starts_at_ms, p.ends_at_ms, now_ms});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

int64_t InsertDonation(db::Tx& tx, const Donation& d) {
  return tx.Insert(
      "INSERT INTO fund_donations (public_id, user_id, donor_name, anonymous, purpose_id, amount_fen, message, "
      "status, created_at_ms, payment_id, sale_id, goods_value_fen) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $10, $11)",
      {d.public_id, d.user_id, d.donor_name, d.anonymous, d.purpose_id, d.amount_fen, d.message, d.created_at_ms,
       d.payment_id, d.sale_id, d.goods_value_fen});
}

void SetDonationPayment(db::Tx& tx, int64_t donation_id, int64_t payment_id) {
  tx.Exec("UPDATE fund_donations SET payment_id = $2 WHERE id = $1", {donation_id, payment_id});
}

namespace {
// The one donation matching `where` (a condition on d.* with $1).
std::optional<Donation> FindDonationWhere(db::Tx& tx, const char* where, const db::Value& key) {
  auto rows = tx.Query(std::string("SELECT ") + kDonationColumns +
                           " FROM fund_donations d LEFT JOIN fund_purposes p ON p.id = d.purpose_id WHERE " + where,
                       {key});
  if (rows.empty()) {
    return std::nullopt;
  }
  return DonationFromRow(rows.front());
}
}  // namespace

std::optional<Donation> FindDonation(db::Tx& tx, int64_t id) { return FindDonationWhere(tx, "d.id = $1", id); }

std::optional<Donation> FindDonationByReceipt(db::Tx& tx, const std::string& receipt_no) {
  return FindDonationWhere(tx, "d.receipt_no = $1", receipt_no);
}

std::optional<Donation> FindDonationByPublicId(db::Tx& tx, const std::string& public_id) {
  return FindDonationWhere(tx, "d.public_id = $1", public_id);
}

std::vector<Donation> ListDonationsOf(db::Tx& tx, int64_t user_id, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kDonationColumns +
                           " FROM fund_donations d LEFT JOIN fund_purposes p ON p.id = d.purpose_id "
                           "WHERE d.user_id = $1 ORDER BY d.id DESC LIMIT $2",
                       {user_id, limit});
  std::vector<Donation> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(DonationFromRow(rows[i]));
  }
  return out;
}

bool ConfirmDonation(db::Tx& tx, int64_t id, int64_t entry_id, const std::string& receipt_no,
                     const std::string& check, int64_t now_ms) {
  return tx.Exec(
             "UPDATE fund_donations SET status = 'confirmed', entry_id = $2, receipt_no = $3, receipt_check = $4, "
             "confirmed_at_ms = $5 WHERE id = $1 AND status IN ('pending', 'closed')",
             {id, entry_id, receipt_no, check, now_ms}) == 1;
}

bool CloseDonation(db::Tx& tx, int64_t id) {
  return tx.Exec("UPDATE fund_donations SET status = 'closed' WHERE id = $1 AND status = 'pending'", {id}) == 1;
}

bool HoldRefund(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec(
             "UPDATE fund_donations SET refund_requested_at_ms = $2 "
             "WHERE id = $1 AND status = 'confirmed' AND refund_requested_at_ms IS NULL",
             {id, now_ms}) == 1;
}

void ReleaseRefundHold(db::Tx& tx, int64_t id) {
  tx.Exec("UPDATE fund_donations SET refund_requested_at_ms = NULL WHERE id = $1 AND status = 'confirmed'", {id});
}

Fen RefundHolds(db::Tx& tx, std::optional<int64_t> purpose_id) {
  return ScalarInt(tx,
                   "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_donations WHERE status = 'confirmed' "
                   "AND refund_requested_at_ms IS NOT NULL AND sale_id IS NULL AND COALESCE(purpose_id, 0) = $1",
                   {purpose_id.value_or(0)}) +
         ScalarInt(tx,
                   "SELECT COALESCE(SUM(refund_hold_fen), 0) FROM fund_sales WHERE refund_hold_fen > 0 "
                   "AND COALESCE(purpose_id, 0) = $1",
                   {purpose_id.value_or(0)});
}

// --- Sales
namespace {
constexpr const char* kSaleColumns =
    "id, ref_type, ref_id, payment_id, purpose_id, buyer_user_id, buyer_name, anonymous, memo, fee_fen, "
    "goods_value_fen, fund_fen, receipt_fen, goods_fen, gift_entry_id, goods_entry_id, refund_hold_fen";
}  // namespace

std::optional<int64_t> InsertSale(db::Tx& tx, const SaleRow& s, int64_t now_ms) {
  auto rows = tx.Query(
      "INSERT INTO fund_sales (ref_type, ref_id, payment_id, purpose_id, buyer_user_id, buyer_name, anonymous, memo, "
      "fee_fen, goods_value_fen, fund_fen, receipt_fen, goods_fen, gift_entry_id, goods_entry_id, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
      "ON CONFLICT (ref_type, ref_id) DO NOTHING RETURNING id",
      {s.ref_type, s.ref_id, s.payment_id, s.purpose_id, s.buyer_user_id, s.buyer_name, s.anonymous, s.memo,
       s.fee_fen, s.goods_value_fen, s.fund_fen, s.receipt_fen, s.goods_fen, s.gift_entry_id, s.goods_entry_id,
       now_ms});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

void InsertSalePayable(db::Tx& tx, int64_t sale_id, int64_t org_id, Fen amount_fen) {
  tx.Exec("INSERT INTO fund_sale_payables (sale_id, org_id, amount_fen) VALUES ($1, $2, $3)",
          {sale_id, org_id, amount_fen});
}

std::optional<SaleRow> FindSale(db::Tx& tx, std::string_view ref_type, int64_t ref_id) {
  auto rows = tx.Query(std::string("SELECT ") + kSaleColumns + " FROM fund_sales WHERE ref_type = $1 AND ref_id = $2",
                       {std::string(ref_type), ref_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  SaleRow s;
  s.id = r.Int(0);
  s.ref_type = r.Text(1);
  s.ref_id = r.Int(2);
  s.payment_id = r.Int(3);
  s.purpose_id = r.OptInt(4);
  s.buyer_user_id = r.OptInt(5);
  s.buyer_name = r.Text(6);
  s.anonymous = r.Bool(7);
  s.memo = r.Text(8);
  s.fee_fen = r.Int(9);
  s.goods_value_fen = r.Int(10);
  s.fund_fen = r.Int(11);
  s.receipt_fen = r.Int(12);
  s.goods_fen = r.Int(13);
  s.gift_entry_id = r.OptInt(14);
  s.goods_entry_id = r.OptInt(15);
  s.refund_hold_fen = r.Int(16);
  auto payables = tx.Query("SELECT org_id, amount_fen FROM fund_sale_payables WHERE sale_id = $1 ORDER BY org_id",
                           {s.id});
  for (size_t i = 0; i < payables.size(); ++i) {
    s.payables.push_back(SalePayable{payables[i].Int(0), payables[i].Int(1)});
  }
  return s;
}

bool HoldSaleRefund(db::Tx& tx, int64_t sale_id, Fen fund_fen, int64_t now_ms) {
  return tx.Exec(
             "UPDATE fund_sales SET refund_hold_fen = $2, refund_requested_at_ms = $3 "
             "WHERE id = $1 AND refund_requested_at_ms IS NULL AND $2 <= fund_fen",
             {sale_id, fund_fen, now_ms}) == 1;
}

void ReleaseSaleRefundHold(db::Tx& tx, int64_t sale_id) {
  tx.Exec("UPDATE fund_sales SET refund_hold_fen = 0, refund_requested_at_ms = NULL WHERE id = $1", {sale_id});
}

bool ApplySaleRefund(db::Tx& tx, int64_t sale_id, const SaleRefund& r, Fen goods_fen,
                     std::optional<int64_t> gift_entry_id, std::optional<int64_t> goods_entry_id) {
  return tx.Exec(
             "UPDATE fund_sales SET fund_fen = fund_fen - $2, receipt_fen = receipt_fen - $3, "
             "goods_fen = goods_fen - $4, gift_entry_id = $5, goods_entry_id = $6, refund_hold_fen = 0, "
             "refund_requested_at_ms = NULL "
             "WHERE id = $1 AND fund_fen >= $2 AND receipt_fen >= $3 AND goods_fen >= $4",
             {sale_id, r.fund_fen, r.receipt_fen, goods_fen, gift_entry_id, goods_entry_id}) == 1;
}

bool ReduceSalePayable(db::Tx& tx, int64_t sale_id, int64_t org_id, Fen amount_fen) {
  return tx.Exec(
             "UPDATE fund_sale_payables SET amount_fen = amount_fen - $3 "
             "WHERE sale_id = $1 AND org_id = $2 AND amount_fen >= $3",
             {sale_id, org_id, amount_fen}) == 1;
}

std::optional<Donation> FindSaleReceipt(db::Tx& tx, int64_t sale_id) {
  return FindDonationWhere(tx, "d.sale_id = $1 AND d.status = 'confirmed'", sale_id);
}

int64_t ForgetDonor(db::Tx& tx, int64_t user_id) {
  // A sale booked again after a refund shows its buyer as the journal does now.
  tx.Exec("UPDATE fund_sales SET anonymous = 1 WHERE buyer_user_id = $1 AND anonymous = 0", {user_id});
  return tx.Exec("UPDATE fund_donations SET donor_forgotten = 1 WHERE user_id = $1 AND donor_forgotten = 0",
                 {user_id});
}

bool RefundDonation(db::Tx& tx, int64_t id, int64_t refund_entry_id, int64_t now_ms) {
  return tx.Exec(
             "UPDATE fund_donations SET status = 'refunded', refund_entry_id = $2, refunded_at_ms = $3 "
             "WHERE id = $1 AND status = 'confirmed'",
             {id, refund_entry_id, now_ms}) == 1;
}

std::optional<Receipt> FindReceipt(db::Tx& tx, const std::string& receipt_no) {
  auto rows = tx.Query(
      "SELECT d.receipt_no, d.status, d.donor_name, d.anonymous, d.amount_fen, p.name, p.filing_no, "
      "d.confirmed_at_ms, d.receipt_check, d.user_id, d.donor_forgotten, s.ref_type, d.goods_value_fen "
      "FROM fund_donations d LEFT JOIN fund_purposes p ON p.id = d.purpose_id "
      "LEFT JOIN fund_sales s ON s.id = d.sale_id WHERE d.receipt_no = $1",
      {receipt_no});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  Receipt out;
  out.receipt_no = r.Text(0);
  out.status = r.Text(1) == "confirmed" ? "valid" : "void";
  out.donor_name = r.Text(2);
  out.anonymous = r.Bool(3);
  out.donor = out.anonymous ? "匿名" : out.donor_name;
  out.amount_fen = r.Int(4);
  out.purpose = r.OptText(5);
  out.filing_no = r.Text(6);
  out.issued_at_ms = r.Int(7);
  out.check_code = r.Text(8);
  out.donor_user_id = r.OptInt(9);
  out.forgotten = r.Bool(10);
  out.sale_kind = r.OptText(11);
  out.goods_value_fen = r.Int(12);
  return out;
}

int64_t NextReceiptSeq(db::Tx& tx, int64_t year) {
  return ScalarInt(
      tx,
      "INSERT INTO fund_receipt_seq (year, last) VALUES ($1, 1) "
      "ON CONFLICT (year) DO UPDATE SET last = fund_receipt_seq.last + 1 RETURNING last",
      {year});
}

std::optional<std::string> Setting(db::Tx& tx, const std::string& key) {
  auto rows = tx.Query("SELECT value FROM platform_settings WHERE key = $1", {key});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Text(0);
}

void PutSettingIfAbsent(db::Tx& tx, const std::string& key, const std::string& value) {
  tx.Exec("INSERT INTO platform_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", {key, value});
}

// ---- summary ----

std::vector<SourceTotal> SumsBySource(db::Tx& tx) {
  auto rows = tx.Query(std::string("SELECT source, SUM(") + kSigned +
                       ") FROM fund_entries WHERE source IS NOT NULL GROUP BY source ORDER BY source");
  std::vector<SourceTotal> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Text(0), rows[i].Int(1)});
  }
  return out;
}

Fen SumOfRefType(db::Tx& tx, const std::string& ref_type) {
  return ScalarInt(tx, std::string("SELECT COALESCE(SUM(") + kSigned + "), 0) FROM fund_entries WHERE ref_type = $1",
                   {ref_type});
}

Fen PendingAllocationsTotal(db::Tx& tx) {
  return ScalarInt(tx, "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_allocations WHERE status = 'pending'");
}

Fen AccountBalance(db::Tx& tx, const std::string& code) {
  return ScalarInt(tx, "SELECT balance_fen FROM fund_accounts WHERE code = $1", {code});
}

Fen NetAssetsBalanceTotal(db::Tx& tx) {
  return ScalarInt(tx, "SELECT COALESCE(SUM(balance_fen), 0) FROM fund_accounts WHERE type = 'net_assets'");
}

std::vector<MonthTotal> MonthlySumsBySource(db::Tx& tx) {
  auto rows = tx.Query(std::string("SELECT period, source, SUM(") + kSigned +
                       ") FROM fund_entries WHERE source IS NOT NULL GROUP BY period, source ORDER BY period, source");
  std::vector<MonthTotal> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Text(0), rows[i].Text(1), rows[i].Int(2)});
  }
  return out;
}

std::vector<std::pair<int64_t, Fen>> RaisedByPurpose(db::Tx& tx) {
  return IntPairs(tx.Query(std::string("SELECT COALESCE(purpose_id, 0), SUM(") + kSigned +
                           ") FROM fund_entries WHERE source IS NOT NULL GROUP BY COALESCE(purpose_id, 0)"));
}

std::vector<std::pair<int64_t, Fen>> GrantedByPurpose(db::Tx& tx) {
  return IntPairs(tx.Query(std::string("SELECT COALESCE(purpose_id, 0), SUM(") + kSigned +
                           ") FROM fund_entries WHERE ref_type = 'commitment' GROUP BY COALESCE(purpose_id, 0)"));
}

std::vector<std::pair<int64_t, Fen>> NetAssetsBalanceByPurpose(db::Tx& tx) {
  return IntPairs(
      tx.Query("SELECT COALESCE(purpose_id, 0), balance_fen FROM fund_accounts WHERE type = 'net_assets'"));
}

std::vector<OrgTotal> GrantTotalsByOrg(db::Tx& tx) {
  auto rows = tx.Query(
      "SELECT c.org_id, o.name, SUM(c.amount_fen), SUM(c.disbursed_fen) FROM fund_commitments c "
      "JOIN orgs o ON o.id = c.org_id GROUP BY c.org_id, o.name ORDER BY SUM(c.amount_fen) DESC");
  std::vector<OrgTotal> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Int(0), rows[i].Text(1), rows[i].Int(2), rows[i].Int(3)});
  }
  return out;
}

// ---- trace ----

std::vector<std::pair<int64_t, Fen>> UnreversedCreditsTo(db::Tx& tx, const std::string& account_code) {
  return IntPairs(tx.Query(
      "SELECT e.id, -l.amount_fen FROM fund_lines l JOIN fund_accounts a ON a.id = l.account_id "
      "JOIN fund_entries e ON e.id = l.entry_id WHERE a.code = $1 AND l.amount_fen < 0 "
      "AND e.reverses_entry_id IS NULL AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses_entry_id = e.id) "
      "ORDER BY e.id",
      {account_code}));
}

std::vector<Grant> GrantsOfPurpose(db::Tx& tx, int64_t purpose_id) {
  auto rows = tx.Query(
      "SELECT c.id, o.name, c.project_name, c.amount_fen, c.created_at_ms FROM fund_commitments c "
      "JOIN orgs o ON o.id = c.org_id JOIN fund_entries e ON e.id = c.entry_id "
      "WHERE COALESCE(c.purpose_id, 0) = $1 ORDER BY c.id",
      {purpose_id});
  std::vector<Grant> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(Grant{rows[i].Int(0), rows[i].Text(1), rows[i].Text(2), rows[i].Int(3), rows[i].Int(4)});
  }
  return out;
}

std::vector<PaidDisbursement> PaidDisbursementsOf(db::Tx& tx, int64_t commitment_id) {
  auto rows = tx.Query(
      "SELECT id, amount_fen, paid_at_ms FROM fund_disbursements WHERE commitment_id = $1 AND status = 'paid' "
      "ORDER BY id",
      {commitment_id});
  std::vector<PaidDisbursement> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(PaidDisbursement{rows[i].Int(0), rows[i].Int(1), rows[i].Int(2)});
  }
  return out;
}

// ---- allocations and sponsorships ----

int64_t InsertAllocation(db::Tx& tx, const NewAllocation& in, int64_t created_by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO fund_allocations (amount_fen, budget_ref, purpose_id, memo, status, created_by, "
      "created_at_ms, received_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {in.amount_fen, in.budget_ref, in.purpose_id, in.memo, in.received ? "received" : "pending", created_by,
       now_ms, in.received ? db::Value(now_ms) : db::Value(nullptr)});
}

void SetAllocationEntry(db::Tx& tx, int64_t allocation_id, int64_t entry_id) {
  tx.Exec("UPDATE fund_allocations SET entry_id = $2 WHERE id = $1", {allocation_id, entry_id});
}

int64_t InsertSponsorship(db::Tx& tx, const NewSponsorship& in, int64_t created_by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO fund_sponsorships (sponsor_name, sponsor_kind, committed_fen, purpose_id, naming_text, "
      "term_start_ms, term_end_ms, instalments, created_by, created_at_ms, project_type) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {in.sponsor_name, in.sponsor_kind, in.committed_fen, in.purpose_id, in.naming_text, in.term_start_ms,
       in.term_end_ms, in.instalments, created_by, now_ms, in.project_type});
}

std::optional<SponsorshipState> FindSponsorshipState(db::Tx& tx, int64_t sponsorship_id) {
  auto rows = tx.Query(
      "SELECT sponsor_name, committed_fen, purpose_id, naming_text, "
      "(SELECT COALESCE(SUM(amount_fen), 0) FROM fund_sponsorship_instalments WHERE sponsorship_id = $1), "
      "project_type FROM fund_sponsorships WHERE id = $1",
      {sponsorship_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return SponsorshipState{r.Text(0), r.Int(1), r.OptInt(2), r.Text(3), r.Int(4), r.OptText(5)};
}

int64_t InsertInstalment(db::Tx& tx, int64_t sponsorship_id, Fen amount_fen, const std::string& reference,
                         int64_t entry_id, int64_t created_by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO fund_sponsorship_instalments (sponsorship_id, amount_fen, reference, entry_id, "
      "created_by, received_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
      {sponsorship_id, amount_fen, reference, entry_id, created_by, now_ms});
}

std::vector<Sponsorship> ListSponsorships(db::Tx& tx) {
  auto rows = tx.Query(
      "SELECT s.id, s.sponsor_name, s.sponsor_kind, s.committed_fen, "
      "(SELECT COALESCE(SUM(i.amount_fen), 0) FROM fund_sponsorship_instalments i WHERE i.sponsorship_id = s.id), "
      "s.purpose_id, s.naming_text, s.term_start_ms, s.term_end_ms, s.instalments, "
      "(SELECT COUNT(*) FROM fund_sponsorship_instalments i WHERE i.sponsorship_id = s.id), s.project_type "
      "FROM fund_sponsorships s ORDER BY s.id DESC");
  std::vector<Sponsorship> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back(Sponsorship{r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.OptInt(5), r.Text(6), r.Int(7),
                              r.Int(8), r.Int(9), r.Int(10), r.OptText(11)});
  }
  return out;
}

// ---- commitments and disbursements ----

std::optional<std::string> FindOrgName(db::Tx& tx, int64_t org_id) {
  auto rows = tx.Query("SELECT name FROM orgs WHERE id = $1", {org_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Text(0);
}

int64_t InsertCommitment(db::Tx& tx, const NewCommitment& in, int64_t created_by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO fund_commitments (org_id, purpose_id, amount_fen, disbursed_fen, project_name, "
      "created_by, created_at_ms) VALUES ($1, $2, $3, 0, $4, $5, $6)",
      {in.org_id, in.purpose_id, in.amount_fen, in.project_name, created_by, now_ms});
}

void SetCommitmentEntry(db::Tx& tx, int64_t commitment_id, int64_t entry_id) {
  tx.Exec("UPDATE fund_commitments SET entry_id = $2 WHERE id = $1", {commitment_id, entry_id});
}

std::optional<CommitmentTotals> FindCommitmentTotals(db::Tx& tx, int64_t commitment_id) {
  auto rows = tx.Query(
      "SELECT amount_fen, disbursed_fen, (SELECT COALESCE(SUM(amount_fen), 0) FROM fund_disbursements "
      "WHERE commitment_id = $1 AND status = 'proposed'), released_fen, released_at_ms, org_id, purpose_id, "
      "project_name FROM fund_commitments WHERE id = $1",
      {commitment_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return CommitmentTotals{r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.OptInt(4), r.Int(5), r.OptInt(6), r.Text(7)};
}

bool MarkCommitmentReleased(db::Tx& tx, int64_t commitment_id, Fen released_fen, int64_t now_ms) {
  return tx.Exec(
             "UPDATE fund_commitments SET released_fen = $2, released_at_ms = $3 WHERE id = $1 "
             "AND released_at_ms IS NULL AND disbursed_fen + $2 = amount_fen",
             {commitment_id, released_fen, now_ms}) == 1;
}

CommitmentTarget CommitmentTargetOf(db::Tx& tx, int64_t commitment_id) {
  auto rows = tx.Query("SELECT org_id, purpose_id FROM fund_commitments WHERE id = $1", {commitment_id});
  return CommitmentTarget{rows.front().Int(0), rows.front().OptInt(1)};
}

bool AddDisbursed(db::Tx& tx, int64_t commitment_id, Fen amount_fen) {
  return tx.Exec(
             "UPDATE fund_commitments SET disbursed_fen = disbursed_fen + $2 WHERE id = $1 "
             "AND disbursed_fen + $2 <= amount_fen - released_fen",
             {commitment_id, amount_fen}) == 1;
}

std::optional<Disbursement> FindDisbursement(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(
      "SELECT d.id, d.commitment_id, o.name, c.project_name, d.amount_fen, d.memo, d.status, d.approvals_needed, "
      "(SELECT COUNT(*) FROM fund_disbursement_approvals a WHERE a.disbursement_id = d.id), d.proposed_by, "
      "d.created_at_ms, d.paid_at_ms FROM fund_disbursements d JOIN fund_commitments c ON c.id = d.commitment_id "
      "JOIN orgs o ON o.id = c.org_id WHERE d.id = $1",
      {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row x = rows.front();
  return Disbursement{x.Int(0),  x.Int(1), x.Text(2), x.Text(3), x.Int(4),  x.Text(5),
                      x.Text(6), x.Int(7), x.Int(8),  x.Int(9),  x.Int(10), x.OptInt(11)};
}

int64_t InsertDisbursement(db::Tx& tx, int64_t commitment_id, Fen amount_fen, const std::string& memo,
                           int64_t approvals_needed, int64_t proposed_by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO fund_disbursements (commitment_id, amount_fen, memo, status, approvals_needed, "
      "proposed_by, created_at_ms) VALUES ($1, $2, $3, 'proposed', $4, $5, $6)",
      {commitment_id, amount_fen, memo, approvals_needed, proposed_by, now_ms});
}

bool HasApproved(db::Tx& tx, int64_t disbursement_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM fund_disbursement_approvals WHERE disbursement_id = $1 AND approved_by = $2",
                   {disbursement_id, user_id})
              .empty();
}

void InsertApproval(db::Tx& tx, int64_t disbursement_id, int64_t user_id, int64_t now_ms) {
  tx.Exec("INSERT INTO fund_disbursement_approvals (disbursement_id, approved_by, approved_at_ms) VALUES ($1, $2, $3)",
          {disbursement_id, user_id, now_ms});
}

bool MarkDisbursementPaid(db::Tx& tx, int64_t disbursement_id, int64_t entry_id, int64_t now_ms) {
  return tx.Exec(
             "UPDATE fund_disbursements SET status = 'paid', entry_id = $2, paid_at_ms = $3 "
             "WHERE id = $1 AND status = 'proposed'",
             {disbursement_id, entry_id, now_ms}) == 1;
}

std::vector<int64_t> ListDisbursementIds(db::Tx& tx, const std::string& status) {
  auto rows = tx.Query("SELECT id FROM fund_disbursements WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT 200",
                       {status});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

// ---- disclosures ----

std::optional<int64_t> InsertDisclosure(db::Tx& tx, int64_t purpose_id, const std::string& period_label,
                                        const std::string& title, const std::string& body, int64_t published_by,
                                        int64_t now_ms) {
  auto rows = tx.Query(
      "INSERT INTO fund_disclosures (purpose_id, period_label, title, body, published_by, published_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (purpose_id, period_label) DO NOTHING RETURNING id",
      {purpose_id, period_label, title, body, published_by, now_ms});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

namespace {

constexpr const char* kDisclosureSelect =
    "SELECT d.id, d.purpose_id, p.name, d.period_label, d.title, d.body, d.published_at_ms FROM fund_disclosures d "
    "JOIN fund_purposes p ON p.id = d.purpose_id";

std::vector<PublishedDisclosure> ReadDisclosures(const db::Rows& rows) {
  std::vector<PublishedDisclosure> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
  }
  return out;
}

}  // namespace

std::vector<PublishedDisclosure> ListDisclosures(db::Tx& tx) {
  return ReadDisclosures(tx.Query(std::string(kDisclosureSelect) + " ORDER BY d.published_at_ms DESC, d.id DESC"));
}

std::vector<PublishedDisclosure> PublishedReports(db::Tx& tx, std::optional<int64_t> purpose_id, int64_t before_id,
                                                  int limit) {
  return ReadDisclosures(tx.Query(std::string(kDisclosureSelect) +
                                      " WHERE (d.id < $1 OR $1 = 0) AND (d.purpose_id = $2 OR $2 = 0) "
                                      "ORDER BY d.id DESC LIMIT $3",
                                  {before_id, purpose_id.value_or(0), limit}));
}

std::optional<PublishedDisclosure> FindReport(db::Tx& tx, int64_t id) {
  auto list = ReadDisclosures(tx.Query(std::string(kDisclosureSelect) + " WHERE d.id = $1", {id}));
  if (list.empty()) {
    return std::nullopt;
  }
  return std::move(list.front());
}

}  // namespace carecity::fund::repo
