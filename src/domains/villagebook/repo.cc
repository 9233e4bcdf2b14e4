#include "domains/villagebook/repo.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace carecity::villagebook::repo {
namespace {

constexpr const char* kEntryColumns =
    "e.id, e.book_id, b.village_id, e.seq, e.kind, e.voucher_no, e.org_id, o.name, e.memo, e.ref_kind, e.ref_id, "
    "e.amount_fen, e.reverses_entry_id, r.seq, e.created_by, e.created_at_ms, e.prev_hash, e.hash "
    "FROM villagebook_entries e JOIN villagebook_books b ON b.id = e.book_id "
    "LEFT JOIN orgs o ON o.id = e.org_id LEFT JOIN villagebook_entries r ON r.id = e.reverses_entry_id ";

Entry EntryFromRow(const db::Row& r) {
  Entry e;
  e.id = r.Int(0);
  e.book_id = r.Int(1);
  e.village_id = r.Int(2);
  e.seq = r.Int(3);
  e.kind = r.Text(4);
  e.voucher_no = r.Text(5);
  e.org_id = r.OptInt(6);
  e.org_name = r.OptText(7);
  e.memo = r.Text(8);
  e.ref_kind = r.Text(9);
  e.ref_id = r.OptInt(10);
  e.amount_fen = r.Int(11);
  e.reverses_entry_id = r.OptInt(12);
  e.reverses_seq = r.OptInt(13);
  e.created_by = r.OptInt(14);
  e.created_at_ms = r.Int(15);
  e.prev_hash = r.Text(16);
  e.hash = r.Text(17);
  return e;
}

// The entries of `rows` with their lines (one query for the page's seq span).
std::vector<Entry> WithLines(db::Tx& tx, int64_t book_id, const db::Rows& rows) {
  std::vector<Entry> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(EntryFromRow(rows[i]));
  }
  if (out.empty()) {
    return out;
  }
  int64_t lo = out.front().seq;
  int64_t hi = lo;
  std::unordered_map<int64_t, Entry*> by_id;
  for (Entry& e : out) {
    lo = std::min(lo, e.seq);
    hi = std::max(hi, e.seq);
    by_id.emplace(e.id, &e);
  }
  auto lines = tx.Query(
      "SELECT l.entry_id, a.code, a.name, l.amount_fen FROM villagebook_lines l "
      "JOIN villagebook_accounts a ON a.id = l.account_id "
      "WHERE l.entry_id IN (SELECT id FROM villagebook_entries WHERE book_id = $1 AND seq BETWEEN $2 AND $3) "
      "ORDER BY l.entry_id, l.id",
      {book_id, lo, hi});
  for (size_t i = 0; i < lines.size(); ++i) {
    if (auto it = by_id.find(lines[i].Int(0)); it != by_id.end()) {
      it->second->lines.push_back(EntryLine{lines[i].Text(1), lines[i].Text(2), lines[i].Int(3)});
    }
  }
  return out;
}

constexpr const char* kBookColumns =
    "b.id, b.village_id, v.name, b.seq, b.last_hash FROM villagebook_books b JOIN villages v ON v.id = b.village_id ";

Book BookFromRow(const db::Row& r) { return Book{r.Int(0), r.Int(1), r.Text(2), r.Int(3), r.Text(4)}; }

constexpr const char* kAccountColumns = "SELECT id, code, name, type, org_id, balance_fen FROM villagebook_accounts ";

Account AccountFromRow(const db::Row& r) {
  return Account{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.OptInt(4), r.Int(5)};
}

}  // namespace

void InsertBookIfCollective(db::Tx& tx, int64_t village_id, int64_t now_ms) {
  tx.Exec(
      "INSERT INTO villagebook_books (village_id, seq, last_hash, created_at_ms) "
      "SELECT id, 0, '', $2 FROM villages WHERE id = $1 AND collective_economy = 1 "
      "ON CONFLICT (village_id) DO NOTHING",
      {village_id, now_ms});
}

std::optional<Book> FindBook(db::Tx& tx, int64_t village_id) {
  auto rows = tx.Query(std::string("SELECT ") + kBookColumns + "WHERE b.village_id = $1", {village_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return BookFromRow(rows.front());
}

std::vector<Book> ListBooks(db::Tx& tx) {
  auto rows = tx.Query(std::string("SELECT ") + kBookColumns + "ORDER BY b.village_id");
  std::vector<Book> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(BookFromRow(rows[i]));
  }
  return out;
}

std::optional<std::pair<std::string, bool>> FindVillage(db::Tx& tx, int64_t village_id) {
  auto rows = tx.Query("SELECT name, collective_economy FROM villages WHERE id = $1", {village_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::make_pair(rows.front().Text(0), rows.front().Bool(1));
}

std::optional<std::string> FindOrgName(db::Tx& tx, int64_t org_id) {
  auto rows = tx.Query("SELECT name FROM orgs WHERE id = $1", {org_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Text(0);
}

void EnsureAccount(db::Tx& tx, int64_t book_id, std::string_view code, const std::string& name,
                   std::string_view type, std::optional<int64_t> org_id, int64_t now_ms) {
  tx.Exec(
      "INSERT INTO villagebook_accounts (book_id, code, name, type, org_id, balance_fen, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, 0, $6) ON CONFLICT (book_id, code) DO NOTHING",
      {book_id, code, name, type, org_id, now_ms});
}

std::optional<Account> FindAccount(db::Tx& tx, int64_t book_id, std::string_view code) {
  auto rows = tx.Query(std::string(kAccountColumns) + "WHERE book_id = $1 AND code = $2", {book_id, code});
  if (rows.empty()) {
    return std::nullopt;
  }
  return AccountFromRow(rows.front());
}

std::vector<Account> ListAccounts(db::Tx& tx, int64_t book_id) {
  auto rows = tx.Query(std::string(kAccountColumns) + "WHERE book_id = $1 ORDER BY id", {book_id});
  std::vector<Account> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(AccountFromRow(rows[i]));
  }
  return out;
}

void AddToBalance(db::Tx& tx, int64_t account_id, Fen delta) {
  tx.Exec("UPDATE villagebook_accounts SET balance_fen = balance_fen + $2 WHERE id = $1", {account_id, delta});
}

std::pair<int64_t, std::string> NextEntry(db::Tx& tx, int64_t book_id) {
  auto rows = tx.Query("UPDATE villagebook_books SET seq = seq + 1 WHERE id = $1 RETURNING seq, last_hash", {book_id});
  return {rows.front().Int(0), rows.front().Text(1)};
}

void SetHead(db::Tx& tx, int64_t book_id, const std::string& hash) {
  tx.Exec("UPDATE villagebook_books SET last_hash = $2 WHERE id = $1", {book_id, hash});
}

int64_t InsertEntry(db::Tx& tx, const Entry& e) {
  return tx.Insert(
      "INSERT INTO villagebook_entries (book_id, seq, kind, voucher_no, org_id, memo, ref_kind, ref_id, amount_fen, "
      "reverses_entry_id, created_by, created_at_ms, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
      {e.book_id, e.seq, e.kind, e.voucher_no, e.org_id, e.memo, e.ref_kind, e.ref_id, e.amount_fen,
       e.reverses_entry_id, e.created_by, e.created_at_ms, e.prev_hash, e.hash});
}

void InsertLine(db::Tx& tx, int64_t book_id, int64_t entry_id, int64_t account_id, Fen amount) {
  tx.Exec("INSERT INTO villagebook_lines (book_id, entry_id, account_id, amount_fen) VALUES ($1, $2, $3, $4)",
          {book_id, entry_id, account_id, amount});
}

std::optional<Entry> FindEntryBySeq(db::Tx& tx, int64_t book_id, int64_t seq) {
  auto rows = tx.Query(std::string("SELECT ") + kEntryColumns + "WHERE e.book_id = $1 AND e.seq = $2", {book_id, seq});
  auto v = WithLines(tx, book_id, rows);
  if (v.empty()) {
    return std::nullopt;
  }
  return std::move(v.front());
}

bool IsReversed(db::Tx& tx, int64_t entry_id) {
  return !tx.Query("SELECT 1 FROM villagebook_entries WHERE reverses_entry_id = $1", {entry_id}).empty();
}

bool VoucherTaken(db::Tx& tx, int64_t book_id, const std::string& voucher_no, std::string_view kind) {
  return !tx.Query("SELECT 1 FROM villagebook_entries WHERE book_id = $1 AND voucher_no = $2 AND kind = $3",
                   {book_id, voucher_no, kind})
              .empty();
}

std::vector<Entry> EntriesAfter(db::Tx& tx, int64_t book_id, int64_t after_seq, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                           "WHERE e.book_id = $1 AND e.seq > $2 ORDER BY e.seq LIMIT $3",
                       {book_id, after_seq, limit});
  return WithLines(tx, book_id, rows);
}

std::vector<Entry> EntriesBefore(db::Tx& tx, int64_t book_id, int64_t before_seq, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                           "WHERE e.book_id = $1 AND e.seq < $2 ORDER BY e.seq DESC LIMIT $3",
                       {book_id, before_seq > 0 ? before_seq : INT64_MAX, limit});
  return WithLines(tx, book_id, rows);
}

std::map<int64_t, Fen> LineSumsByAccount(db::Tx& tx, int64_t book_id) {
  auto rows = tx.Query(
      "SELECT l.account_id, SUM(l.amount_fen) FROM villagebook_lines l "
      "JOIN villagebook_accounts a ON a.id = l.account_id WHERE a.book_id = $1 GROUP BY l.account_id",
      {book_id});
  std::map<int64_t, Fen> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out[rows[i].Int(0)] = rows[i].Int(1);
  }
  return out;
}

std::vector<int64_t> ForeignLines(db::Tx& tx, int64_t book_id) {
  auto rows = tx.Query(
      "SELECT l.id FROM villagebook_lines l JOIN villagebook_entries e ON e.id = l.entry_id "
      "LEFT JOIN villagebook_accounts a ON a.id = l.account_id "
      "WHERE e.book_id = $1 AND (l.book_id <> e.book_id OR a.book_id IS NULL OR a.book_id <> e.book_id) "
      "ORDER BY l.id LIMIT 20",
      {book_id});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

}  // namespace carecity::villagebook::repo
