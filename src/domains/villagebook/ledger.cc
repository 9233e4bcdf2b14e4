#include "domains/villagebook/ledger.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "db/lock.h"
#include "domains/villagebook/repo.h"

namespace carecity::villagebook {

std::string OrgPayableAccount(int64_t org_id) { return "payable:org:" + std::to_string(org_id); }

std::string ChainName(int64_t village_id) { return std::string(kChainPrefix) + std::to_string(village_id); }

std::optional<int64_t> VillageOfChain(std::string_view chain) {
  if (chain.substr(0, kChainPrefix.size()) != kChainPrefix) {
    return std::nullopt;
  }
  const std::string_view digits = chain.substr(kChainPrefix.size());
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size() || id <= 0 || digits.front() == '0') {
    return std::nullopt;
  }
  return id;
}

namespace ledger {
namespace {

constexpr int kChainPage = 2000;
constexpr size_t kMaxProblems = 20;

Error NoBook() { return Error{ErrorCode::kUnprocessable, "villagebook.no_book", "village_id", {}}; }

// The book, or village_not_found / no_book.
Result<Book> ExistingBook(db::Tx& tx, int64_t village_id) {
  if (auto book = repo::FindBook(tx, village_id)) {
    return *book;
  }
  if (!repo::FindVillage(tx, village_id)) {
    return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
  }
  return NoBook();
}

}  // namespace

std::string EntryHash(const Entry& e) {
  std::vector<std::string> f{std::to_string(e.village_id),
                             std::to_string(e.seq),
                             e.kind,
                             e.voucher_no,
                             e.org_id ? std::to_string(*e.org_id) : "",
                             e.memo,
                             e.ref_kind,
                             e.ref_id ? std::to_string(*e.ref_id) : "",
                             std::to_string(e.amount_fen),
                             e.reverses_seq ? std::to_string(*e.reverses_seq) : "",
                             e.created_by ? std::to_string(*e.created_by) : "",
                             std::to_string(e.created_at_ms)};
  for (const EntryLine& l : e.lines) {
    f.push_back(l.account_code);
    f.push_back(std::to_string(l.amount_fen));
  }
  f.push_back(e.prev_hash);
  return audit::FieldsHash(f);
}

Result<Book> EnsureBook(db::Tx& tx, int64_t village_id, int64_t now_ms) {
  repo::InsertBookIfCollective(tx, village_id, now_ms);
  CC_ASSIGN_OR_RETURN(Book book, ExistingBook(tx, village_id));
  repo::EnsureAccount(tx, book.id, kBank, "集体银行存款", "asset", std::nullopt, now_ms);
  repo::EnsureAccount(tx, book.id, kFunding, "集体资金拨入", "net_assets", std::nullopt, now_ms);
  repo::EnsureAccount(tx, book.id, kServiceExpense, "服务采购支出", "expense", std::nullopt, now_ms);
  return book;
}

bool LockBook(db::Tx& tx, const Book& book) { return db::LockRow(tx, "villagebook_books", book.id); }

Result<Entry> RecordEntry(db::Tx& tx, int64_t village_id, const EntryInput& in, int64_t now_ms) {
  auto found = repo::FindBook(tx, village_id);
  if (!found || !LockBook(tx, *found)) {
    return NoBook();
  }
  const Book& book = *found;
  if (in.lines.size() < 2) {
    return Error::Internal("unbalanced_entry: an entry needs two or more lines");
  }
  Fen sum = 0;
  Fen debits = 0;
  Fen bank_delta = 0;
  std::vector<Account> accounts;
  for (const LineInput& l : in.lines) {
    if (l.amount_fen == 0) {
      return Error::Internal("unbalanced_entry: zero line on " + l.account_code);
    }
    if (__builtin_add_overflow(sum, l.amount_fen, &sum) ||
        (l.amount_fen > 0 && __builtin_add_overflow(debits, l.amount_fen, &debits))) {
      return Error::Internal("unbalanced_entry: overflow");
    }
    // Looked up in this book only: another village's account is unknown here.
    auto acct = repo::FindAccount(tx, book.id, l.account_code);
    if (!acct) {
      return Error::Internal("unknown_account: " + l.account_code + " in the book of village " +
                             std::to_string(village_id));
    }
    if (acct->code == kBank) {
      bank_delta += l.amount_fen;
      if (acct->balance_fen + bank_delta < 0) {
        return Error{ErrorCode::kUnprocessable, "villagebook.insufficient_funds", "amount_fen", {}};
      }
    }
    accounts.push_back(*acct);
  }
  if (sum != 0) {
    return Error::Internal(fmt::format("unbalanced_entry: lines sum to {}", sum));
  }
  // Decided under the book's lock; the unique index is the last guard.
  if (in.kind != kKindReversal && repo::VoucherTaken(tx, book.id, in.voucher_no, in.kind)) {
    return Error::Conflict("villagebook.voucher_taken", "voucher_no");
  }
  Entry e;
  e.book_id = book.id;
  e.village_id = village_id;
  e.kind = in.kind;
  e.voucher_no = in.voucher_no;
  e.org_id = in.org_id;
  e.memo = in.memo;
  e.ref_kind = in.ref_kind;
  e.ref_id = in.ref_id;
  e.amount_fen = debits;
  e.reverses_entry_id = in.reverses_entry_id;
  if (in.reverses_entry_id) {
    auto rows = tx.Query("SELECT seq FROM villagebook_entries WHERE id = $1 AND book_id = $2",
                         {*in.reverses_entry_id, book.id});
    if (rows.empty()) {
      return Error::Internal("reversal of an entry outside the book");
    }
    e.reverses_seq = rows.front().Int(0);
  }
  e.created_by = in.created_by;
  e.created_at_ms = now_ms;
  if (in.org_id) {
    e.org_name = repo::FindOrgName(tx, *in.org_id);
  }
  for (size_t i = 0; i < in.lines.size(); ++i) {
    e.lines.push_back(EntryLine{accounts[i].code, accounts[i].name, in.lines[i].amount_fen});
  }
  std::tie(e.seq, e.prev_hash) = repo::NextEntry(tx, book.id);
  e.hash = EntryHash(e);
  e.id = repo::InsertEntry(tx, e);
  for (size_t i = 0; i < in.lines.size(); ++i) {
    repo::InsertLine(tx, book.id, e.id, accounts[i].id, in.lines[i].amount_fen);
    repo::AddToBalance(tx, accounts[i].id, in.lines[i].amount_fen);
  }
  repo::SetHead(tx, book.id, e.hash);
  return e;
}

Result<Entry> Reverse(db::Tx& tx, int64_t village_id, int64_t seq, const std::string& voucher_no,
                      const std::string& memo, std::optional<int64_t> created_by, int64_t now_ms) {
  CC_ASSIGN_OR_RETURN(const Book book, ExistingBook(tx, village_id));
  if (!LockBook(tx, book)) {
    return NoBook();
  }
  auto original = repo::FindEntryBySeq(tx, book.id, seq);
  if (!original) {
    return Error{ErrorCode::kNotFound, "villagebook.entry_not_found", "seq", {}};
  }
  if (original->kind == kKindReversal || repo::IsReversed(tx, original->id)) {
    return Error::Conflict("villagebook.already_reversed", "seq");
  }
  EntryInput in;
  in.kind = std::string(kKindReversal);
  in.voucher_no = voucher_no;
  in.org_id = original->org_id;
  in.memo = memo;
  in.ref_kind = original->ref_kind;
  in.ref_id = original->ref_id;
  in.reverses_entry_id = original->id;
  in.created_by = created_by;
  for (const EntryLine& l : original->lines) {
    in.lines.push_back(LineInput{l.account_code, -l.amount_fen});
  }
  return RecordEntry(tx, village_id, in, now_ms);
}

Result<Entry> RecordFundingTx(db::Tx& tx, int64_t village_id, Fen amount_fen, const std::string& voucher_no,
                              const std::string& memo, std::optional<int64_t> created_by, int64_t now_ms) {
  CC_TRY(EnsureBook(tx, village_id, now_ms));
  EntryInput in;
  in.kind = std::string(kKindFunding);
  in.voucher_no = voucher_no;
  in.memo = memo.empty() ? "集体资金拨入" : memo;
  in.created_by = created_by;
  in.lines = {{std::string(kBank), amount_fen}, {std::string(kFunding), -amount_fen}};
  return RecordEntry(tx, village_id, in, now_ms);
}

Result<PaymentBooked> BookContractPaymentTx(db::Tx& tx, int64_t village_id, int64_t org_id, int64_t contract_payment_id,
                                            Fen amount_fen, const std::string& voucher_no, const std::string& memo,
                                            std::optional<int64_t> created_by, int64_t now_ms) {
  CC_ASSIGN_OR_RETURN(const Book book, EnsureBook(tx, village_id, now_ms));
  const auto org_name = repo::FindOrgName(tx, org_id);
  if (!org_name) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  // The lock before the payable account is made: one village's writes in order.
  if (!LockBook(tx, book)) {
    return NoBook();
  }
  const std::string payable = OrgPayableAccount(org_id);
  repo::EnsureAccount(tx, book.id, payable, "应付服务款·" + *org_name, "liability", org_id, now_ms);
  // The bank is checked before either entry is posted: both or neither.
  const auto bank = repo::FindAccount(tx, book.id, kBank);
  if (!bank || bank->balance_fen < amount_fen) {
    return Error{ErrorCode::kUnprocessable, "villagebook.insufficient_funds", "amount_fen", {}};
  }
  EntryInput in;
  in.voucher_no = voucher_no;
  in.org_id = org_id;
  in.memo = memo;
  in.ref_kind = std::string(kRefContractPayment);
  in.ref_id = contract_payment_id;
  in.created_by = created_by;
  in.kind = std::string(kKindAccrual);
  in.lines = {{std::string(kServiceExpense), amount_fen}, {payable, -amount_fen}};
  CC_ASSIGN_OR_RETURN(Entry accrual, RecordEntry(tx, village_id, in, now_ms));
  in.kind = std::string(kKindPayment);
  in.lines = {{payable, amount_fen}, {std::string(kBank), -amount_fen}};
  CC_ASSIGN_OR_RETURN(Entry payment, RecordEntry(tx, village_id, in, now_ms));
  return PaymentBooked{std::move(accrual), std::move(payment)};
}

audit::ChainHead Head(db::Tx& tx, int64_t village_id) {
  auto book = repo::FindBook(tx, village_id);
  return book ? audit::ChainHead{book->seq, book->last_hash} : audit::ChainHead{};
}

namespace {

// Walks the book's chain once: CheckChain's checks, and `each` for every entry.
audit::ChainReport WalkBook(db::Tx& tx, const Book& book, const std::vector<audit::Checkpoint>& anchors,
                            const audit::Checkpoint* start, const std::function<void(const Entry&)>& each) {
  audit::ChainChecker checker(anchors, start);
  audit::WalkChainPages(checker, audit::ChainHead{book.seq, book.last_hash}, kChainPage,
                        [&](int64_t after, int limit) {
                          std::vector<audit::ChainLink> links;
                          for (const Entry& e : repo::EntriesAfter(tx, book.id, after, limit)) {
                            links.push_back({e.seq, e.prev_hash, e.hash, EntryHash(e)});
                            if (each) {
                              each(e);
                            }
                          }
                          return links;
                        });
  return checker.report();
}

}  // namespace

audit::ChainReport CheckChain(db::Tx& tx, int64_t village_id, const std::vector<audit::Checkpoint>& anchors,
                              const audit::Checkpoint* start) {
  // The head (the book row) first: in one snapshot, later entries would be a break.
  auto book = repo::FindBook(tx, village_id);
  if (!book) {
    Book empty;
    empty.village_id = village_id;
    return WalkBook(tx, empty, anchors, start, {});
  }
  return WalkBook(tx, *book, anchors, start, {});
}

BookReport VerifyBook(db::Tx& tx, const Book& book, const std::vector<audit::Checkpoint>& anchors) {
  BookReport r;
  r.village_id = book.village_id;
  r.village_name = book.village_name;
  const auto problem = [&r](std::string p) {
    r.ok = false;
    if (r.problems.size() < kMaxProblems) {
      r.problems.push_back(std::move(p));
    }
  };
  std::vector<std::string> unbalanced;
  r.chain = WalkBook(tx, book, anchors, nullptr, [&unbalanced](const Entry& e) {
    Fen sum = 0;
    for (const EntryLine& l : e.lines) {
      sum += l.amount_fen;
    }
    if ((e.lines.size() < 2 || sum != 0) && unbalanced.size() < kMaxProblems) {
      unbalanced.push_back(fmt::format("entry {} does not balance ({} lines, sum {})", e.seq, e.lines.size(), sum));
    }
  });
  r.entries = r.chain.checked;
  for (const std::string& p : r.chain.problems) {
    problem(p);
  }
  for (std::string& p : unbalanced) {
    problem(std::move(p));
  }
  const std::map<int64_t, Fen> sums = repo::LineSumsByAccount(tx, book.id);
  for (const Account& a : repo::ListAccounts(tx, book.id)) {
    ++r.accounts;
    const auto it = sums.find(a.id);
    const Fen expected = it == sums.end() ? 0 : it->second;
    if (a.balance_fen != expected) {
      problem(fmt::format("account {} balance {} != sum of lines {}", a.code, a.balance_fen, expected));
    }
  }
  for (int64_t line : repo::ForeignLines(tx, book.id)) {
    problem(fmt::format("line {} is on another village's account", line));
  }
  if (auto village = repo::FindVillage(tx, book.village_id); !village || !village->second) {
    problem("the village has no collective economy but has a book");
  }
  r.ok = r.ok && r.chain.ok;
  return r;
}

VerifyReport VerifyAll(db::Tx& tx, const std::vector<audit::Checkpoint>& checkpoints) {
  VerifyReport out;
  for (const Book& book : repo::ListBooks(tx)) {
    const std::string chain = ChainName(book.village_id);
    std::vector<audit::Checkpoint> anchors;
    std::copy_if(checkpoints.begin(), checkpoints.end(), std::back_inserter(anchors),
                 [&chain](const audit::Checkpoint& c) { return c.chain == chain; });
    BookReport r = VerifyBook(tx, book, anchors);
    ++out.books;
    out.entries += r.entries;
    out.accounts += r.accounts;
    if (!r.ok) {
      out.ok = false;
      for (const std::string& p : r.problems) {
        if (out.problems.size() < kMaxProblems) {
          out.problems.push_back(fmt::format("{} (village {}): {}", r.village_name, r.village_id, p));
        }
      }
    }
    out.reports.push_back(std::move(r));
  }
  return out;
}

Result<BookView> ReadBook(db::Tx& tx, int64_t village_id, int64_t before_seq, int limit) {
  const auto village = repo::FindVillage(tx, village_id);
  if (!village) {
    return Error{ErrorCode::kNotFound, "village_not_found", "id", {}};
  }
  if (!village->second) {
    return Error{ErrorCode::kNotFound, "villagebook.no_book", "id", {}};
  }
  BookView v;
  v.village_id = village_id;
  v.village_name = village->first;
  const auto book = repo::FindBook(tx, village_id);
  if (!book) {
    return v;
  }
  v.opened = true;
  v.entries_total = book->seq;
  v.accounts = repo::ListAccounts(tx, book->id);
  v.entries = repo::EntriesBefore(tx, book->id, before_seq, limit + 1);
  if (static_cast<int>(v.entries.size()) > limit) {
    v.entries.pop_back();
    v.next_before_seq = v.entries.back().seq;
  }
  return v;
}

}  // namespace ledger
}  // namespace carecity::villagebook
