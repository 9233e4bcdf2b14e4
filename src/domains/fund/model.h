// The Care Fund (关爱基金): double-entry books in integer fen, donations and
// their receipts, and the public summary. Plain data and invariants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/access.h"

#include "core/money.h"
#include "domains/audit/chain.h"

namespace carecity::fund {

// Account codes. Lines are signed: debits positive, credits negative; every
// entry's lines sum to zero.
inline constexpr const char* kBank = "bank";                     // 银行存款 (asset)
inline constexpr const char* kSandboxClearing = "clearing:sandbox";  // 待清算 (asset)
inline constexpr const char* kGeneralFund = "fund:general";      // 非限定性资金 (net assets)
inline constexpr const char* kFees = "expense:fees";             // 支付手续费 (expense)
std::string PurposeFundAccount(int64_t purpose_id);   // "fund:purpose:N" (net assets)
std::string OrgPayableAccount(int64_t org_id);        // "payable:org:N" (liability: grants)
std::string GoodsPayableAccount(int64_t org_id);      // "payable:goods:org:N" (liability: sales)
// The fund account money for `purpose_id` lives in (general when none).
std::string FundAccountFor(std::optional<int64_t> purpose_id);

struct LineInput {
  std::string account_code;
  Fen amount_fen = 0;
};

struct EntryInput {
  std::string kind;                   // donation, allocation, grant, ...
  std::optional<std::string> source;  // government, sponsor, public, ... (money in only)
  std::optional<int64_t> purpose_id;
  std::optional<int64_t> org_id;
  std::string memo;
  std::string ref_type;               // "donation", "allocation", ...
  std::optional<int64_t> ref_id;
  std::optional<std::string> donor_display;
  std::optional<int64_t> created_by;
  std::optional<int64_t> reverses_entry_id;
  std::vector<LineInput> lines;
};

struct EntryLine {
  std::string account_code;
  std::string account_name;
  Fen amount_fen = 0;
};

struct Entry {
  int64_t id = 0;
  std::string kind;
  std::optional<std::string> source;
  std::optional<int64_t> purpose_id;
  std::optional<std::string> purpose_name;
  std::optional<int64_t> org_id;
  std::string memo;
  std::string ref_type;
  std::optional<int64_t> ref_id;
  std::optional<std::string> donor_display;  // as written (and hashed) when posted
  Fen amount_fen = 0;
  std::optional<int64_t> reverses_entry_id;
  std::optional<int64_t> created_by;
  int64_t created_at_ms = 0;
  std::string prev_hash;
  std::string hash;
  std::vector<EntryLine> lines;
  // The donor of a donation entry has since deleted their account.
  bool donor_forgotten = false;

  // The donor as the public sees them now: 匿名 once forgotten (the entry
  // itself, and its hash, never change).
  std::optional<std::string> PublicDonor() const {
    return donor_forgotten ? std::optional<std::string>("匿名") : donor_display;
  }
};

struct Purpose {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string description;
  bool restricted = false;
  std::string filing_no;
  std::optional<std::string> naming;  // the active sponsorship's 冠名 text
  bool active = true;
  int64_t starts_at_ms = 0;
  std::optional<int64_t> ends_at_ms;
};

struct Donation {
  int64_t id = 0;            // internal; never leaves the server
  std::string public_id;     // in URLs and JSON (NewPublicId)
  std::optional<int64_t> user_id;
  std::string donor_name;
  bool anonymous = false;
  std::optional<int64_t> purpose_id;
  std::optional<std::string> purpose_name;
  Fen amount_fen = 0;
  std::string message;
  std::string status;  // pending | confirmed | closed | refunded
  std::optional<int64_t> payment_id;
  std::optional<int64_t> entry_id;
  std::optional<std::string> receipt_no;
  int64_t created_at_ms = 0;
  std::optional<int64_t> confirmed_at_ms;
  // A refund asked of the provider and not yet booked: its amount is held.
  std::optional<int64_t> refund_requested_at_ms;
  // The donor deleted their account: 匿名 in public from then on.
  bool donor_forgotten = false;
  // The receipt's check code, filled only for the donor's own view.
  std::optional<std::string> receipt_check;
  // The gift part of a sale (shop order, auction lot): its receipt shows
  // the goods or market value beside the gift. Refunded through the sale.
  std::optional<int64_t> sale_id;
  Fen goods_value_fen = 0;

  // What the public sees: 匿名 (asked for, or the account is deleted), or
  // the name with all but its first character masked.
  std::string PublicDonor() const;
};

// A 捐赠票据. The public verification shows it as the public journal shows
// the donation (donor masked, no check code); the donor, whoever holds its
// check code (the QR link carries it) and fund administrators see it whole.
struct Receipt {
  std::string receipt_no;
  std::string status;  // valid | void
  std::string donor;   // as this viewer may see it: the name, 张**, or 匿名
  Fen amount_fen = 0;
  std::optional<std::string> purpose;
  std::string filing_no;
  int64_t issued_at_ms = 0;
  std::string check_code;  // "" unless full
  bool full = false;       // the whole receipt, not the public verification
  // For a sale's gift part: "shop_order" or "auction_lot", and the goods or
  // market value paid beside the gift (not part of the 捐赠票据's amount).
  std::optional<std::string> sale_kind;
  Fen goods_value_fen = 0;

  // From the record, for deciding what this viewer sees (never rendered).
  std::optional<int64_t> donor_user_id;
  std::string donor_name;
  bool anonymous = false;
  bool forgotten = false;
};

// Who asks for a receipt, and with what.
struct ReceiptAccess {
  Caller caller;            // the donor, signed in, sees their own whole
  std::string check_code;   // the check code the QR link carries
  bool fund_admin = false;  // sees the name even of a deleted account
};

// --- Sales paid into the fund (公益商城, 公益拍卖).
struct SalePayable {
  int64_t org_id = 0;
  Fen amount_fen = 0;  // goods value owed to the selling organisation
};
struct Sale {
  std::string ref_type;  // "shop_order" | "auction_lot"
  int64_t ref_id = 0;    // the owning row's internal id
  std::optional<int64_t> buyer_user_id;
  std::string buyer_name;  // on the receipt (masked in public)
  bool anonymous = false;
  std::optional<int64_t> purpose_id;  // the fund receiving fund_fen (general when none)
  Fen fund_fen = 0;                   // credited to that fund
  Fen receipt_fen = 0;                // of fund_fen, the gift: its 捐赠票据 (0 = no receipt)
  Fen goods_value_fen = 0;            // shown on the receipt beside the gift
  std::vector<SalePayable> payables;  // credited to payable:goods:org:N
  std::string memo;                   // the public journal's memo ("公益商城")
};
struct SaleBooked {
  int64_t sale_id = 0;
  int64_t entry_id = 0;              // the gift entry (or the goods entry when there is no gift)
  std::optional<Donation> receipt;   // the gift's receipt, when there is one
};
// Part (or all) of a sale going back to the buyer.
struct SaleRefund {
  Fen fund_fen = 0;
  Fen receipt_fen = 0;
  std::vector<SalePayable> payables;
  std::string reason;
};

struct SourceTotal {
  std::string source;
  Fen amount_fen = 0;
};
struct MonthTotal {
  std::string month;  // "2012-03" (UTC+8)
  std::string source;
  Fen amount_fen = 0;
};
struct PurposeTotal {
  int64_t purpose_id = 0;
  std::string name;
  std::optional<std::string> naming;
  Fen raised_fen = 0;
  Fen granted_fen = 0;
  Fen balance_fen = 0;
};
struct OrgTotal {
  int64_t org_id = 0;
  std::string org_name;
  Fen amount_fen = 0;
  Fen disbursed_fen = 0;
};

struct Summary {
  Fen raised_fen = 0;
  Fen granted_fen = 0;
  Fen disbursed_fen = 0;
  Fen pending_fen = 0;
  Fen fees_fen = 0;
  Fen balance_fen = 0;
  std::vector<SourceTotal> by_source;
  std::vector<PurposeTotal> by_purpose;
  std::vector<MonthTotal> monthly;
  std::vector<OrgTotal> granted_to;
};

struct VerifyReport {
  bool ok = true;
  int64_t entries = 0;
  int64_t accounts = 0;
  std::vector<std::string> problems;  // first few, human-readable
  audit::ChainReport chain;           // the hash chain and its checkpoints (its breaks are in problems too)
};

// Where one donation's money went (FIFO within its purpose).
struct TraceDisbursement {
  int64_t id = 0;
  Fen amount_fen = 0;
  int64_t paid_at_ms = 0;
};
struct TraceAllocation {
  int64_t commitment_id = 0;
  std::string org_name;
  std::string project_name;
  Fen amount_fen = 0;
  int64_t granted_at_ms = 0;
  std::vector<TraceDisbursement> disbursements;
};
struct Trace {
  Donation donation;
  std::vector<TraceAllocation> allocations;
  Fen unallocated_fen = 0;
};

struct NewAllocation {
  Fen amount_fen = 0;
  std::string budget_ref;
  std::optional<int64_t> purpose_id;
  std::string memo;
  bool received = true;
};

// An organisation's self-raised co-funding (自筹/合作出资) paid into the fund's account.
struct NewCofunding {
  int64_t org_id = 0;
  Fen amount_fen = 0;
  std::string reference;  // the bank slip or transfer number
  std::optional<int64_t> purpose_id;
  std::string memo;
};

struct NewSponsorship {
  std::string sponsor_name;
  std::string sponsor_kind;  // enterprise | foundation
  Fen committed_fen = 0;
  std::optional<int64_t> purpose_id;
  std::string naming_text;
  int64_t term_start_ms = 0;
  int64_t term_end_ms = 0;
  int64_t instalments = 1;
  std::optional<std::string> project_type;  // restricted to one grant project type (资助项目类型)
};

struct Sponsorship {
  int64_t id = 0;
  std::string sponsor_name;
  std::string sponsor_kind;
  Fen committed_fen = 0;
  Fen received_fen = 0;
  std::optional<int64_t> purpose_id;
  std::string naming_text;
  int64_t term_start_ms = 0;
  int64_t term_end_ms = 0;
  int64_t instalments = 1;
  int64_t instalments_received = 0;
  std::optional<std::string> project_type;
};

struct NewCommitment {
  int64_t org_id = 0;
  std::optional<int64_t> purpose_id;
  Fen amount_fen = 0;
  std::string project_name;
};

struct Disbursement {
  int64_t id = 0;
  int64_t commitment_id = 0;
  std::string org_name;
  std::string project_name;
  Fen amount_fen = 0;
  std::string memo;
  std::string status;  // proposed | paid
  int64_t approvals_needed = 1;
  int64_t approvals = 0;
  int64_t proposed_by = 0;
  int64_t created_at_ms = 0;
  std::optional<int64_t> paid_at_ms;
};

// 慈善组织信息公开办法: a fundraising activity lasting over six months
// publishes its progress at least every three months, and a full account
// within three months of its end.
struct DisclosureItem {
  int64_t purpose_id = 0;
  std::string purpose_name;
  std::string period_label;  // "progress-3" or "final"
  int64_t period_start_ms = 0;
  int64_t period_end_ms = 0;
  int64_t due_at_ms = 0;
};
struct PublishedDisclosure {
  int64_t id = 0;
  int64_t purpose_id = 0;
  std::string purpose_name;
  std::string period_label;
  std::string title;
  std::string body;
  int64_t published_at_ms = 0;
};

}  // namespace carecity::fund
