// SQL for the fund. Runs in the caller's transaction; checks no rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>
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
// Adds the account unless one with its code exists.
void InsertAccount(db::Tx& tx, const std::string& code, const std::string& name, const std::string& type,
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
// The new purpose's id; nullopt if its code is taken (decided by the unique index).
std::optional<int64_t> InsertPurpose(db::Tx& tx, const Purpose& p, int64_t now_ms);

int64_t InsertDonation(db::Tx& tx, const Donation& d);
void SetDonationPayment(db::Tx& tx, int64_t donation_id, int64_t payment_id);
std::optional<Donation> FindDonation(db::Tx& tx, int64_t id);
std::optional<Donation> FindDonationByReceipt(db::Tx& tx, const std::string& receipt_no);
std::optional<Donation> FindDonationByPublicId(db::Tx& tx, const std::string& public_id);
std::vector<Donation> ListDonationsOf(db::Tx& tx, int64_t user_id, int limit);
// Marks a confirmed donation's refund as asked for (its amount is then held
// in its fund); false if it is not confirmed or already asked for.
bool HoldRefund(db::Tx& tx, int64_t id, int64_t now_ms);
// The provider refused: the donation stays confirmed, its amount free again.
void ReleaseRefundHold(db::Tx& tx, int64_t id);
// Sum of held refunds out of a purpose's fund (nullopt = the general fund).
Fen RefundHolds(db::Tx& tx, std::optional<int64_t> purpose_id);

// --- Sales (model.h Sale): the row as it stands after refunds.
struct SaleRow {
  int64_t id = 0;
  std::string ref_type;
  int64_t ref_id = 0;
  int64_t payment_id = 0;
  std::optional<int64_t> purpose_id;
  std::optional<int64_t> buyer_user_id;
  std::string buyer_name;
  bool anonymous = false;
  std::string memo;
  Fen fee_fen = 0;
  Fen goods_value_fen = 0;
  Fen fund_fen = 0;
  Fen receipt_fen = 0;
  Fen goods_fen = 0;
  std::optional<int64_t> gift_entry_id;
  std::optional<int64_t> goods_entry_id;
  Fen refund_hold_fen = 0;
  std::vector<SalePayable> payables;  // by org id
};
// nullopt if this sale is booked already (the unique (ref_type, ref_id) decides).
std::optional<int64_t> InsertSale(db::Tx& tx, const SaleRow& s, int64_t now_ms);
void InsertSalePayable(db::Tx& tx, int64_t sale_id, int64_t org_id, Fen amount_fen);
std::optional<SaleRow> FindSale(db::Tx& tx, std::string_view ref_type, int64_t ref_id);
// Holds `fund_fen` of the sale for a refund under way; false if one is under
// way already or the sale holds less.
bool HoldSaleRefund(db::Tx& tx, int64_t sale_id, Fen fund_fen, int64_t now_ms);
void ReleaseSaleRefundHold(db::Tx& tx, int64_t sale_id);
// Takes a booked refund off the sale and points it at its new entries;
// false (nothing changed) if the sale holds less than the refund.
bool ApplySaleRefund(db::Tx& tx, int64_t sale_id, const SaleRefund& r, Fen goods_fen,
                     std::optional<int64_t> gift_entry_id, std::optional<int64_t> goods_entry_id);
// false if the organisation is owed less than `amount_fen` by this sale.
bool ReduceSalePayable(db::Tx& tx, int64_t sale_id, int64_t org_id, Fen amount_fen);
// The sale's valid receipt, if it has one.
std::optional<Donation> FindSaleReceipt(db::Tx& tx, int64_t sale_id);

// The user's donations show as 匿名 in public from now on. Returns how many.
int64_t ForgetDonor(db::Tx& tx, int64_t user_id);
// pending (or closed: paid after the payer gave up) -> confirmed with its
// entry and receipt; false otherwise.
bool ConfirmDonation(db::Tx& tx, int64_t id, int64_t entry_id, const std::string& receipt_no,
                     const std::string& check, int64_t now_ms);
bool CloseDonation(db::Tx& tx, int64_t id);
bool RefundDonation(db::Tx& tx, int64_t id, int64_t refund_entry_id, int64_t now_ms);
std::optional<Receipt> FindReceipt(db::Tx& tx, const std::string& receipt_no);
int64_t NextReceiptSeq(db::Tx& tx, int64_t year);

std::optional<std::string> Setting(db::Tx& tx, const std::string& key);
void PutSettingIfAbsent(db::Tx& tx, const std::string& key, const std::string& value);

// --- Summary. Entry sums are signed: a reversal subtracts.
// Money in per source, by source.
std::vector<SourceTotal> SumsBySource(db::Tx& tx);
// Signed sum of the entries with `ref_type` (0 when none).
Fen SumOfRefType(db::Tx& tx, const std::string& ref_type);
Fen PendingAllocationsTotal(db::Tx& tx);
// The account's balance; the account must exist.
Fen AccountBalance(db::Tx& tx, const std::string& code);
// Sum of the net-asset balances (credit-normal: negative when funds are held).
Fen NetAssetsBalanceTotal(db::Tx& tx);
// Money in per China-time month and source, oldest first.
std::vector<MonthTotal> MonthlySumsBySource(db::Tx& tx);
// {purpose id (0 = general), amount} for money in, grants, and net-asset balances.
std::vector<std::pair<int64_t, Fen>> RaisedByPurpose(db::Tx& tx);
std::vector<std::pair<int64_t, Fen>> GrantedByPurpose(db::Tx& tx);
std::vector<std::pair<int64_t, Fen>> NetAssetsBalanceByPurpose(db::Tx& tx);
// Committed and disbursed per organisation, largest first.
std::vector<OrgTotal> GrantTotalsByOrg(db::Tx& tx);

// --- Trace
// {entry id, amount} credited to `account_code`, oldest first, without
// reversed entries and reversals.
std::vector<std::pair<int64_t, Fen>> UnreversedCreditsTo(db::Tx& tx, const std::string& account_code);
struct Grant {
  int64_t commitment_id = 0;
  std::string org_name;
  std::string project_name;
  Fen amount_fen = 0;
  int64_t created_at_ms = 0;
};
// Grants out of purpose `purpose_id` (0 = general) that have an entry, oldest first.
std::vector<Grant> GrantsOfPurpose(db::Tx& tx, int64_t purpose_id);
struct PaidDisbursement {
  int64_t id = 0;
  Fen amount_fen = 0;
  int64_t paid_at_ms = 0;
};
// Paid disbursements of a commitment, oldest first.
std::vector<PaidDisbursement> PaidDisbursementsOf(db::Tx& tx, int64_t commitment_id);

// --- Allocations and sponsorships
int64_t InsertAllocation(db::Tx& tx, const NewAllocation& in, int64_t created_by, int64_t now_ms);
void SetAllocationEntry(db::Tx& tx, int64_t allocation_id, int64_t entry_id);
int64_t InsertSponsorship(db::Tx& tx, const NewSponsorship& in, int64_t created_by, int64_t now_ms);
struct SponsorshipState {
  std::string sponsor_name;
  Fen committed_fen = 0;
  std::optional<int64_t> purpose_id;
  std::string naming_text;
  Fen received_fen = 0;  // sum of its instalments
  std::optional<std::string> project_type;
};
std::optional<SponsorshipState> FindSponsorshipState(db::Tx& tx, int64_t sponsorship_id);
int64_t InsertInstalment(db::Tx& tx, int64_t sponsorship_id, Fen amount_fen, const std::string& reference,
                         int64_t entry_id, int64_t created_by, int64_t now_ms);
// Newest first.
std::vector<Sponsorship> ListSponsorships(db::Tx& tx);

// --- Commitments and disbursements
std::optional<std::string> FindOrgName(db::Tx& tx, int64_t org_id);
int64_t InsertCommitment(db::Tx& tx, const NewCommitment& in, int64_t created_by, int64_t now_ms);
void SetCommitmentEntry(db::Tx& tx, int64_t commitment_id, int64_t entry_id);
struct CommitmentTotals {
  Fen amount_fen = 0;
  Fen disbursed_fen = 0;
  Fen proposed_fen = 0;  // disbursements proposed, not yet paid
  Fen released_fen = 0;  // given back to the fund when the project closed
  std::optional<int64_t> released_at_ms;
  int64_t org_id = 0;
  std::optional<int64_t> purpose_id;
  std::string project_name;
};
std::optional<CommitmentTotals> FindCommitmentTotals(db::Tx& tx, int64_t commitment_id);
// Records the release once (released_at_ms still NULL, and amount = disbursed
// + released); false otherwise.
bool MarkCommitmentReleased(db::Tx& tx, int64_t commitment_id, Fen released_fen, int64_t now_ms);
struct CommitmentTarget {
  int64_t org_id = 0;
  std::optional<int64_t> purpose_id;
};
// The commitment must exist.
CommitmentTarget CommitmentTargetOf(db::Tx& tx, int64_t commitment_id);
// Adds `amount_fen` to the commitment's disbursed total unless that would
// exceed its amount; false when it would.
bool AddDisbursed(db::Tx& tx, int64_t commitment_id, Fen amount_fen);
std::optional<Disbursement> FindDisbursement(db::Tx& tx, int64_t id);
int64_t InsertDisbursement(db::Tx& tx, int64_t commitment_id, Fen amount_fen, const std::string& memo,
                           int64_t approvals_needed, int64_t proposed_by, int64_t now_ms);
bool HasApproved(db::Tx& tx, int64_t disbursement_id, int64_t user_id);
void InsertApproval(db::Tx& tx, int64_t disbursement_id, int64_t user_id, int64_t now_ms);
// proposed -> paid; false if it was not proposed (paid by someone else first).
bool MarkDisbursementPaid(db::Tx& tx, int64_t disbursement_id, int64_t entry_id, int64_t now_ms);
// Newest first, at most 200; `status` "" for all.
std::vector<int64_t> ListDisbursementIds(db::Tx& tx, const std::string& status);

// --- Disclosures
// The new disclosure's id; nullopt if that period is published already
// (decided by the unique index, so two publishers at once cannot both).
std::optional<int64_t> InsertDisclosure(db::Tx& tx, int64_t purpose_id, const std::string& period_label,
                                        const std::string& title, const std::string& body, int64_t published_by,
                                        int64_t now_ms);
// Newest first, all of them.
std::vector<PublishedDisclosure> ListDisclosures(db::Tx& tx);
// Published reports, newest first: ids below `before_id` (0 = from the newest).
std::vector<PublishedDisclosure> PublishedReports(db::Tx& tx, std::optional<int64_t> purpose_id, int64_t before_id,
                                                  int limit);
std::optional<PublishedDisclosure> FindReport(db::Tx& tx, int64_t id);

}  // namespace carecity::fund::repo
