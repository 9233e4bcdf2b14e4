// SQL for the fund. Runs in the caller's transaction; checks no rules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/fund/model.h"

namespace carecity::fund::repo {

struct Account {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string type;
  Fen balance_fen = 0;
};

std::optional<Account> FindAccount(db::Tx& tx, const std::string& code);
int64_t InsertAccount(db::Tx& tx, const std::string& code, const std::string& name, const std::string& type,
                      std::optional<int64_t> purpose_id, std::optional<int64_t> org_id, int64_t now_ms);
void AddToBalance(db::Tx& tx, int64_t account_id, Fen delta);

// Locks the chain head and takes the next entry id. Returns {id, prev_hash}.
std::pair<int64_t, std::string> NextEntry(db::Tx& tx);
void SetHead(db::Tx& tx, const std::string& hash);
void InsertEntry(db::Tx& tx, const Entry& e);
void InsertLine(db::Tx& tx, int64_t entry_id, int64_t account_id, Fen amount);
std::optional<Entry> FindEntry(db::Tx& tx, int64_t id);
bool IsReversed(db::Tx& tx, int64_t entry_id);
// Newest first, ids below `before_id` (0 = from the newest).
std::vector<Entry> ListEntries(db::Tx& tx, int64_t before_id, int limit);
// Oldest first, for verification.
std::vector<Entry> EntriesAfter(db::Tx& tx, int64_t after_id, int limit);
std::vector<Account> ListAccounts(db::Tx& tx);
// Sum of lines per account id.
std::vector<std::pair<int64_t, Fen>> LineSumsByAccount(db::Tx& tx);

std::vector<Purpose> ListPurposes(db::Tx& tx);
std::optional<Purpose> FindPurpose(db::Tx& tx, int64_t id);
bool PurposeCodeTaken(db::Tx& tx, const std::string& code);
int64_t InsertPurpose(db::Tx& tx, const Purpose& p, int64_t now_ms);

int64_t InsertDonation(db::Tx& tx, const Donation& d);
void SetDonationPayment(db::Tx& tx, int64_t donation_id, int64_t payment_id);
std::optional<Donation> FindDonation(db::Tx& tx, int64_t id);
std::vector<Donation> ListDonationsOf(db::Tx& tx, int64_t user_id, int limit);
// pending (or closed: paid after the payer gave up) -> confirmed with its
// entry and receipt; false otherwise.
bool ConfirmDonation(db::Tx& tx, int64_t id, int64_t entry_id, const std::string& receipt_no,
                     const std::string& check, int64_t now_ms);
bool CloseDonation(db::Tx& tx, int64_t id);
bool RefundDonation(db::Tx& tx, int64_t id, int64_t refund_entry_id, int64_t now_ms);
std::optional<Receipt> FindReceipt(db::Tx& tx, const std::string& receipt_no);
int64_t NextReceiptSeq(db::Tx& tx, int64_t year);

struct IdempotentRef {
  std::string request_hash;
  int64_t ref_id = 0;
};
std::optional<IdempotentRef> FindIdempotencyKey(db::Tx& tx, const std::string& scope, const std::string& key);
void InsertIdempotencyKey(db::Tx& tx, const std::string& scope, const std::string& key, const std::string& hash,
                          int64_t ref_id, int64_t now_ms);

std::optional<std::string> Setting(db::Tx& tx, const std::string& key);
void PutSettingIfAbsent(db::Tx& tx, const std::string& key, const std::string& value);

}  // namespace carecity::fund::repo
