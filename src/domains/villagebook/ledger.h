// Each village's collective book (村集体账): the only code that writes the
// villagebook_* tables. Everything here runs in the caller's write (or
// snapshot read) transaction; other domains — the market's contracts — book
// through these functions, never the tables. Stateless; thread-safe.
//
// The per-village lock: every write to a book first locks its
// villagebook_books row (db::LockRow), which is also its chain head. So two
// servers booking into one village serialise there (the chain never forks,
// a balance read after the lock is the one this job's entry moves), while
// different villages never wait for each other — nor for the Care Fund,
// whose fund_head this code never touches.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "db/tx.h"
#include "domains/villagebook/model.h"

namespace carecity::villagebook::ledger {

// The village's book, creating it (with the standard chart: bank, funding,
// expense:service) if missing. Only a village with a collective economy has
// one: the INSERT itself reads the flag. Idempotent.
// Errors: village_not_found (404), villagebook.no_book (422: the village
// has no collective economic organisation — an urban community).
Result<Book> EnsureBook(db::Tx& tx, int64_t village_id, int64_t now_ms);

// Locks the book's row for the rest of the write job (see above); false if
// the book does not exist.
bool LockBook(db::Tx& tx, const Book& book);

// Posts one balanced entry into the village's book: two or more non-zero
// lines summing to zero, on accounts of that book only; takes the book's
// lock, refuses to take the collective's bank account below zero, updates
// the balances and extends the book's chain. Returns the entry as stored.
// Errors: villagebook.no_book (the village has no book: EnsureBook first),
// villagebook.voucher_taken (409, field voucher_no: that voucher already
// names an entry of this kind), villagebook.insufficient_funds (422, field
// amount_fen), and Internal for an unbalanced entry or an account the book
// does not have (bugs in the caller).
Result<Entry> RecordEntry(db::Tx& tx, int64_t village_id, const EntryInput& in, int64_t now_ms);

// Posts the exact negation of the book's entry `seq` under `voucher_no`.
// Errors: villagebook.entry_not_found (404), villagebook.already_reversed
// (409), and RecordEntry's (a reversal that would overdraw the bank).
Result<Entry> Reverse(db::Tx& tx, int64_t village_id, int64_t seq, const std::string& voucher_no,
                      const std::string& memo, std::optional<int64_t> created_by, int64_t now_ms);

// 集体资金拨入: the collective puts `amount_fen` into its service budget:
//   Dr bank +amount / Cr funding -amount   (kind "funding")
// Creates the book if missing. Errors: EnsureBook's and RecordEntry's.
Result<Entry> RecordFundingTx(db::Tx& tx, int64_t village_id, Fen amount_fen, const std::string& voucher_no,
                              const std::string& memo, std::optional<int64_t> created_by, int64_t now_ms);

// A contract payment, for the market's contracts code: two entries under one
// voucher number, referring to the payment (`ref_kind` "contract_payment",
// `ref_id` its id):
//   1. accrual  Dr expense:service +amount / Cr payable:org:N -amount  (kind "service_accrual")
//   2. payment  Dr payable:org:N  +amount / Cr bank          -amount  (kind "service_payment")
// so the payable to the organisation nets to zero once paid and the
// expense shows what the village bought. Creates the book and the payable
// account if missing. Errors: EnsureBook's, org_not_found (404),
// RecordEntry's (insufficient_funds: nothing is posted).
Result<PaymentBooked> BookContractPaymentTx(db::Tx& tx, int64_t village_id, int64_t org_id, int64_t contract_payment_id,
                                            Fen amount_fen, const std::string& voucher_no, const std::string& memo,
                                            std::optional<int64_t> created_by, int64_t now_ms);

// The book's chain head (seq 0, "" when the village has no book).
audit::ChainHead Head(db::Tx& tx, int64_t village_id);

// The book's chain against `anchors` (its checkpoints; only the entries
// after `start` when given). Read-only: run it as a snapshot read.
audit::ChainReport CheckChain(db::Tx& tx, int64_t village_id, const std::vector<audit::Checkpoint>& anchors,
                              const audit::Checkpoint* start = nullptr);

// One book: every entry balances, the chain is intact against `anchors`,
// every account's balance equals the sum of its lines, no line sits on
// another village's account, and the village still has a collective
// economy. Read-only (snapshot read).
BookReport VerifyBook(db::Tx& tx, const Book& book, const std::vector<audit::Checkpoint>& anchors);

// Every book, each against its own chain's checkpoints among `checkpoints`
// (already judged trusted; other chains' are ignored).
VerifyReport VerifyAll(db::Tx& tx, const std::vector<audit::Checkpoint>& checkpoints);

// The book as the public page shows it: accounts with balances and a page
// of entries, newest first, before `before_seq` (0: the newest).
// Errors: village_not_found (404), villagebook.no_book (404).
Result<BookView> ReadBook(db::Tx& tx, int64_t village_id, int64_t before_seq, int limit);

// The chained hash of an entry (content, lines, previous hash).
std::string EntryHash(const Entry& e);

}  // namespace carecity::villagebook::ledger
