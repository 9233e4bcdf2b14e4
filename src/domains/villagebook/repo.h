// The SQL of the village books (villagebook_* tables), given a transaction.
// Only ledger.cc calls the writers. Stateless; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "db/tx.h"
#include "domains/villagebook/model.h"

namespace carecity::villagebook::repo {

// Creates the village's book row if the village has a collective economy
// (decided in the INSERT itself) and it has none yet.
void InsertBookIfCollective(db::Tx& tx, int64_t village_id, int64_t now_ms);
std::optional<Book> FindBook(db::Tx& tx, int64_t village_id);
std::vector<Book> ListBooks(db::Tx& tx);

// The village's (name, collective_economy), or nullopt if there is none.
std::optional<std::pair<std::string, bool>> FindVillage(db::Tx& tx, int64_t village_id);
std::optional<std::string> FindOrgName(db::Tx& tx, int64_t org_id);

// Inserts the account unless the book has that code already.
void EnsureAccount(db::Tx& tx, int64_t book_id, std::string_view code, const std::string& name,
                   std::string_view type, std::optional<int64_t> org_id, int64_t now_ms);
std::optional<Account> FindAccount(db::Tx& tx, int64_t book_id, std::string_view code);
std::vector<Account> ListAccounts(db::Tx& tx, int64_t book_id);
void AddToBalance(db::Tx& tx, int64_t account_id, Fen delta);

// Advances the book's head: returns (the new seq, the previous hash).
std::pair<int64_t, std::string> NextEntry(db::Tx& tx, int64_t book_id);
void SetHead(db::Tx& tx, int64_t book_id, const std::string& hash);
// Inserts the entry (e.id ignored); returns its row id.
int64_t InsertEntry(db::Tx& tx, const Entry& e);
void InsertLine(db::Tx& tx, int64_t book_id, int64_t entry_id, int64_t account_id, Fen amount);

std::optional<Entry> FindEntryBySeq(db::Tx& tx, int64_t book_id, int64_t seq);
bool IsReversed(db::Tx& tx, int64_t entry_id);
bool VoucherTaken(db::Tx& tx, int64_t book_id, const std::string& voucher_no, std::string_view kind);
// Entries with seq > after_seq, oldest first; and with seq < before_seq
// (0: no bound), newest first. With their lines.
std::vector<Entry> EntriesAfter(db::Tx& tx, int64_t book_id, int64_t after_seq, int limit);
std::vector<Entry> EntriesBefore(db::Tx& tx, int64_t book_id, int64_t before_seq, int limit);

// account id → sum of the lines on it, for the book's accounts.
std::map<int64_t, Fen> LineSumsByAccount(db::Tx& tx, int64_t book_id);
// Lines of this book's entries that sit on another book's account, or that
// name another book than their entry's (impossible through the keys; a
// tampered database is what verification is for). Their ids, at most 20.
std::vector<int64_t> ForeignLines(db::Tx& tx, int64_t book_id);

}  // namespace carecity::villagebook::repo
