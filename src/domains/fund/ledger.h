// The books: the only code that writes fund_entries, fund_lines and account
// balances. Every other domain moves money through FundService, which calls
// these inside its transactions.
#pragma once

#include "core/result.h"
#include "db/tx.h"
#include "domains/fund/model.h"

namespace carecity::fund::ledger {

// Creates the standard accounts (bank, sandbox clearing, general fund, fees)
// if missing. Idempotent.
void EnsureStandardAccounts(db::Tx& tx, int64_t now_ms);
// Creates the fund account of a purpose, or the payable account of an
// organisation, if missing.
void EnsurePurposeAccount(db::Tx& tx, int64_t purpose_id, const std::string& purpose_name, int64_t now_ms);
void EnsureOrgPayable(db::Tx& tx, int64_t org_id, const std::string& org_name, int64_t now_ms);
// What the fund owes an organisation for goods it sold (公益商城).
void EnsureGoodsPayable(db::Tx& tx, int64_t org_id, const std::string& org_name, int64_t now_ms);

// Locks the books for the rest of the write job (PostgreSQL: the chain
// head's row): every entry is posted under this lock anyway, so after it no
// other job changes a balance until this one ends, and balances read now
// are the ones the job's own entries will move. Take it before reading a
// balance a decision depends on (a grant against a fund, a refund out of
// it); db/lock.h explains the pattern.
void LockBooks(db::Tx& tx);

// Posts one balanced entry: at least two non-zero lines summing to zero, on
// existing accounts; updates each account's balance and extends the hash
// chain, all in the caller's transaction. Returns the entry id.
// Errors: unbalanced_entry, unknown_account (both bugs in the caller).
Result<int64_t> RecordEntry(db::Tx& tx, const EntryInput& in, int64_t now_ms);

// Posts the exact negation of `entry_id` (kind "refund" or "reversal").
// Errors: entry_not_found, already_reversed.
Result<int64_t> Reverse(db::Tx& tx, int64_t entry_id, const std::string& kind, const std::string& memo,
                        std::optional<int64_t> created_by, int64_t now_ms);

// The head row: entries in the chain and the last one's hash.
audit::ChainHead Head(db::Tx& tx);

// Reads the head, then re-computes every entry's hash in id order (only the
// entries after `start` when given: a trusted checkpoint they must extend),
// checking links, the head and the chain's hash at each of `anchors`
// (trusted checkpoints, audit/chain.h). Read-only; run it as a snapshot read
// (db::SnapshotReadSync) so that books growing meanwhile read as one state.
audit::ChainReport CheckChain(db::Tx& tx, const std::vector<audit::Checkpoint>& anchors,
                              const audit::Checkpoint* start = nullptr);

// Every entry balances, the chain is intact (CheckChain against `anchors`),
// every account's balance equals the sum of its lines, and the business
// rules hold (invariants.h: nothing paid twice, no fund below zero, ...).
VerifyReport Verify(db::Tx& tx, const std::vector<audit::Checkpoint>& anchors = {});

// The chained hash of an entry (content, lines and the previous hash).
std::string EntryHash(const Entry& e);

}  // namespace carecity::fund::ledger
