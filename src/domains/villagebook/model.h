// 村集体账: each rural village's own collective book. Plain data and the
// chart of accounts; no I/O. docs/design-market.md, "The village collective
// book".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "domains/audit/chain.h"

namespace carecity::villagebook {

// The chart every book gets (account codes are per book).
inline constexpr std::string_view kBank = "bank";                       // 集体银行存款 (asset)
inline constexpr std::string_view kFunding = "funding";                 // 集体资金拨入 (net assets)
inline constexpr std::string_view kServiceExpense = "expense:service";  // 服务采购支出 (expense)
// 应付服务款·<机构> (liability), one per organisation the village pays.
std::string OrgPayableAccount(int64_t org_id);

// Entry kinds (the CHECK in 0023_village_books.sql).
inline constexpr std::string_view kKindFunding = "funding";
inline constexpr std::string_view kKindAccrual = "service_accrual";
inline constexpr std::string_view kKindPayment = "service_payment";
inline constexpr std::string_view kKindReversal = "reversal";

// A reference the contracts code books a payment under.
inline constexpr std::string_view kRefContractPayment = "contract_payment";

// The name of a village book's hash chain in chain_checkpoints:
// "villagebook:<village id>".
inline constexpr std::string_view kChainPrefix = "villagebook:";
std::string ChainName(int64_t village_id);
// The village a chain name belongs to, or nullopt if it is not a book's.
std::optional<int64_t> VillageOfChain(std::string_view chain);

struct Book {
  int64_t id = 0;
  int64_t village_id = 0;
  std::string village_name;
  int64_t seq = 0;         // entries in the book
  std::string last_hash;
};

struct Account {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string type;  // asset | liability | net_assets | expense
  std::optional<int64_t> org_id;
  Fen balance_fen = 0;  // debits +, credits -
};

struct LineInput {
  std::string account_code;
  Fen amount_fen = 0;  // debit +, credit -
};

struct EntryInput {
  std::string kind;
  std::string voucher_no;
  std::optional<int64_t> org_id;  // the counterparty organisation
  std::string memo;
  std::string ref_kind;
  std::optional<int64_t> ref_id;
  std::optional<int64_t> reverses_entry_id;
  std::optional<int64_t> created_by;
  std::vector<LineInput> lines;
};

struct EntryLine {
  std::string account_code;
  std::string account_name;
  Fen amount_fen = 0;
};

struct Entry {
  int64_t id = 0;          // global row id (internal)
  int64_t book_id = 0;
  int64_t village_id = 0;
  int64_t seq = 0;         // 1, 2, 3 … within the book: its chain position
  std::string kind;
  std::string voucher_no;
  std::optional<int64_t> org_id;
  std::optional<std::string> org_name;
  std::string memo;
  std::string ref_kind;
  std::optional<int64_t> ref_id;
  Fen amount_fen = 0;      // the sum of the debits
  std::optional<int64_t> reverses_entry_id;
  std::optional<int64_t> reverses_seq;
  std::optional<int64_t> created_by;
  int64_t created_at_ms = 0;
  std::string prev_hash;
  std::string hash;
  std::vector<EntryLine> lines;
};

// What a contract payment posted: the accrual and the payment entries.
struct PaymentBooked {
  Entry accrual;
  Entry payment;
};

// A book as the public page shows it.
struct BookView {
  int64_t village_id = 0;
  std::string village_name;
  bool opened = false;  // false: a collective village whose book has no row yet
  int64_t entries_total = 0;
  std::vector<Account> accounts;
  std::vector<Entry> entries;  // newest first
  std::optional<int64_t> next_before_seq;
};

// What verifying one book found.
struct BookReport {
  int64_t village_id = 0;
  std::string village_name;
  bool ok = true;
  int64_t entries = 0;
  int64_t accounts = 0;
  std::vector<std::string> problems;  // first few, human-readable
  audit::ChainReport chain;
};

// What verifying every book found.
struct VerifyReport {
  bool ok = true;
  int64_t books = 0;
  int64_t entries = 0;
  int64_t accounts = 0;
  std::vector<std::string> problems;  // first few across the books, prefixed by the village
  std::vector<BookReport> reports;
};

}  // namespace carecity::villagebook
