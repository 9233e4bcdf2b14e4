#include "domains/fund/service.h"


#include <algorithm>
#include <boost/json.hpp>
#include <ctime>
#include <fmt/format.h>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "db/idempotency.h"
#include "db/lock.h"
#include "db/rate_limit.h"
#include "domains/audit/service.h"
#include "domains/fund/ledger.h"
#include "domains/fund/repo.h"

namespace carecity::fund {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;

Error Forbidden() { return Error::Forbidden(); }

int64_t ChinaYear(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>((ms + 8 * 3600 * 1000LL) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

std::string MaskName(const std::string& name) {
  return name.empty() ? "爱心人士" : MaskPersonName(name);
}

void Audit(db::Tx& tx, std::optional<int64_t> actor, const std::string& action, const std::string& type, int64_t id,
           const json::object& detail, int64_t now_ms) {
  audit::Record(tx, {actor, action, type, std::to_string(id), json::serialize(detail), ""}, now_ms);
}

// A donation can be refunded once it is confirmed and booked.
// (A sale's gift part goes back with its order or lot, through the sale.)
Status Refundable(const Donation& d) {
  if (d.status != "confirmed" || !d.entry_id || d.sale_id) {
    return Error::Conflict("donation_not_refundable");
  }
  return {};
}

Error PurposeNotFound() { return Error{ErrorCode::kNotFound, "purpose_not_found", "purpose_id", {}}; }

// An optional purpose, when given, must exist.
Status CheckPurpose(db::Tx& tx, std::optional<int64_t> purpose_id) {
  if (purpose_id && !repo::FindPurpose(tx, *purpose_id)) {
    return PurposeNotFound();
  }
  return {};
}

// Money received into the fund's bank account, credited to the entry's
// purpose (the general fund without one): every source of money in.
Result<int64_t> RecordMoneyInTx(db::Tx& tx, EntryInput e, Fen amount_fen, int64_t now_ms) {
  e.lines = {{kBank, amount_fen}, {FundAccountFor(e.purpose_id), -amount_fen}};
  return ledger::RecordEntry(tx, e, now_ms);
}

}  // namespace

std::string Donation::PublicDonor() const { return anonymous || donor_forgotten ? "匿名" : MaskName(donor_name); }

FundService::FundService(db::Store& store, payments::PaymentsService& payments, const Clock& clock,
                         const Config& config, std::string receipt_secret)
    : store_(store), payments_(payments), clock_(clock), config_(config), receipt_secret_(std::move(receipt_secret)) {
  payments::PaymentHandlers h;
  h.paid = [this](db::Tx& tx, const payments::Payment& p, int64_t now) { return OnDonationPaidTx(tx, p, now); };
  h.closed = [](db::Tx& tx, const payments::Payment& p, int64_t) -> Status {
    repo::CloseDonation(tx, p.ref_id);
    return {};
  };
  h.refund_requested = [this](db::Tx& tx, const payments::Payment& p, const payments::PaymentRefund&,
                              int64_t now) { return HoldRefundTx(tx, p.ref_id, now); };
  h.refund_withdrawn = [](db::Tx& tx, const payments::Payment& p, const payments::PaymentRefund&,
                          int64_t) -> Status {
    repo::ReleaseRefundHold(tx, p.ref_id);
    return {};
  };
  h.refunded = [this](db::Tx& tx, const payments::Payment& p, const payments::PaymentRefund& r, int64_t now) {
    return BookRefundTx(tx, p.ref_id, r.reason, r.requested_by, now);
  };
  payments_.Handle("donation", std::move(h));
}

Result<Fen> FundService::AvailableTx(db::Tx& tx, std::optional<int64_t> purpose_id) {
  auto account = repo::FindAccount(tx, FundAccountFor(purpose_id));
  if (!account) {
    return PurposeNotFound();
  }
  // Net-asset accounts are credit-normal: the money held is -balance, less
  // what refunds under way will take out.
  return -account->balance_fen - repo::RefundHolds(tx, purpose_id);
}

void FundService::EnsureAccountsTx(db::Tx& tx, int64_t now_ms) { ledger::EnsureStandardAccounts(tx, now_ms); }

std::string FundService::CheckCode(const std::string& receipt_no, Fen amount_fen, int64_t issued_at_ms) const {
  std::string code = HmacSha256Hex(receipt_secret_, fmt::format("{}|{}|{}", receipt_no, amount_fen, issued_at_ms))
                         .substr(0, 10);
  for (char& c : code) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return code;
}

Result<std::pair<std::string, std::string>> FundService::IssueReceiptTx(db::Tx& tx, Fen amount_fen, int64_t now_ms) {
  const int64_t year = ChinaYear(now_ms);
  const int64_t seq = repo::NextReceiptSeq(tx, year);
  std::string no = fmt::format("{}{}-{:06}", config_.fund.receipt_prefix, year, seq);
  std::string check = CheckCode(no, amount_fen, now_ms);
  return std::pair{std::move(no), std::move(check)};
}

Status FundService::OnDonationPaidTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms) {
  auto d = repo::FindDonation(tx, payment.ref_id);
  if (!d) {
    return Error::Internal("paid payment for a missing donation");
  }
  if (d->status != "pending" && d->status != "closed") {
    return Error::Internal("donation " + std::to_string(d->id) + " confirmed twice");
  }
  EntryInput e;
  e.kind = "donation";
  e.source = "public";
  e.purpose_id = d->purpose_id;
  e.memo = d->purpose_name ? "网络捐赠·" + *d->purpose_name : "网络捐赠";
  e.ref_type = "donation";
  e.ref_id = d->id;
  e.donor_display = d->PublicDonor();
  const Fen fee = payment.fee_fen;
  e.lines.push_back({kSandboxClearing, d->amount_fen - fee});
  if (fee > 0) {
    e.lines.push_back({kFees, fee});
  }
  e.lines.push_back({FundAccountFor(d->purpose_id), -d->amount_fen});
  CC_ASSIGN_OR_RETURN(const int64_t entry_id, ledger::RecordEntry(tx, e, now_ms));
  CC_ASSIGN_OR_RETURN(auto receipt, IssueReceiptTx(tx, d->amount_fen, now_ms));
  if (!repo::ConfirmDonation(tx, d->id, entry_id, receipt.first, receipt.second, now_ms)) {
    return Error::Internal("donation changed while confirming");
  }
  return {};
}

Result<int64_t> FundService::RecordOfflineDonationTx(db::Tx& tx, const std::string& donor_name, bool anonymous,
                                                     std::optional<int64_t> purpose_id, Fen amount_fen,
                                                     int64_t now_ms) {
  Donation d;
  d.public_id = NewPublicId();
  d.donor_name = donor_name;
  d.anonymous = anonymous;
  d.purpose_id = purpose_id;
  d.amount_fen = amount_fen;
  d.created_at_ms = now_ms;
  d.id = repo::InsertDonation(tx, d);
  EntryInput e;
  e.kind = "donation";
  e.source = "public";
  e.purpose_id = purpose_id;
  e.memo = "银行转账捐赠";
  e.ref_type = "donation";
  e.ref_id = d.id;
  e.donor_display = d.PublicDonor();
  CC_ASSIGN_OR_RETURN(const int64_t entry_id, RecordMoneyInTx(tx, e, amount_fen, now_ms));
  CC_ASSIGN_OR_RETURN(auto receipt, IssueReceiptTx(tx, amount_fen, now_ms));
  repo::ConfirmDonation(tx, d.id, entry_id, receipt.first, receipt.second, now_ms);
  return d.id;
}

std::optional<Purpose> FundService::FindPurposeTx(db::Tx& tx, int64_t id) { return repo::FindPurpose(tx, id); }

std::optional<Sponsorship> FundService::FindSponsorshipTx(db::Tx& tx, int64_t id) {
  const auto st = repo::FindSponsorshipState(tx, id);
  if (!st) {
    return std::nullopt;
  }
  Sponsorship s;
  s.id = id;
  s.sponsor_name = st->sponsor_name;
  s.committed_fen = st->committed_fen;
  s.received_fen = st->received_fen;
  s.purpose_id = st->purpose_id;
  s.naming_text = st->naming_text;
  s.project_type = st->project_type;
  return s;
}

std::optional<Purpose> FundService::FindPurposeByCodeTx(db::Tx& tx, const std::string& code) {
  for (Purpose& p : repo::ListPurposes(tx)) {  // a handful of rows
    if (p.code == code) {
      return std::move(p);
    }
  }
  return std::nullopt;
}

Task<std::vector<Purpose>> FundService::Purposes() {
  co_return co_await db::ReadTx(store_, [](db::Tx& tx) -> Result<std::vector<Purpose>> {
    return repo::ListPurposes(tx);
  });
}

Task<DonationCreated> FundService::Donate(std::optional<int64_t> user_id, std::string account_name, DonationInput in,
                                          std::string idempotency_key) {
  const auto& cfg = config_.fund;
  if (in.amount_fen < cfg.donation_min_fen || in.amount_fen > cfg.donation_max_fen) {
    co_return Error::Invalid("amount_out_of_range", "amount_fen",
                             fmt::format("{} to {} fen", cfg.donation_min_fen, cfg.donation_max_fen));
  }
  const std::string donor = user_id ? account_name : in.donor_name.value_or("爱心人士");
  // Guests share no scope: each client (address) has its own keys.
  const std::string scope =
      user_id ? "donation:user:" + std::to_string(*user_id) : "donation:guest:" + in.payer_ip;
  const std::string request_hash = Sha256Hex(fmt::format("{}|{}|{}|{}|{}", in.amount_fen,
                                                         in.purpose_id ? *in.purpose_id : 0, in.anonymous,
                                                         in.message, donor));
  const int64_t now = clock_.NowMs();
  // Each donation opens an order at the provider: bounded per donor. The
  // count is its own job, committed even when it refuses.
  if (config_.rate_limits.enabled) {
    const std::string bucket = user_id ? "donate:user:" + std::to_string(*user_id) : "donate:ip:" + in.payer_ip;
    const RateLimit& limit = user_id ? config_.rate_limits.donate_per_account : config_.rate_limits.donate_per_ip;
    auto decision = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<db::RateDecision> {
      return db::HitRateLimits(tx, config_.rate_limits, {{bucket, limit}}, now);
    });
    if (!decision.ok()) {
      co_return std::move(decision).error();
    }
    if (!decision->allowed) {
      Error limited = Error::RateLimited(decision->retry_after_s);
      co_return limited;
    }
  }
  auto created = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<DonationCreated> {
    const db::IdempotencyClaim claim = db::ClaimIdempotencyKey(tx, scope, idempotency_key, request_hash, now);
    if (claim.kind == db::IdempotencyClaim::Kind::kMismatch) {
      return Error::Conflict("idempotency_key_reused");
    }
    if (claim.kind == db::IdempotencyClaim::Kind::kReplay) {
      auto d = repo::FindDonation(tx, claim.ref_id);
      auto p = d ? payments_.FindTx(tx, d->payment_id.value_or(0)) : std::nullopt;
      if (!d || !p) {
        return Error::Internal("idempotency key points at a missing donation");
      }
      return DonationCreated{*d, *p};
    }
    std::optional<Purpose> purpose;
    if (in.purpose_id) {
      purpose = repo::FindPurpose(tx, *in.purpose_id);
      if (!purpose || !purpose->active) {
        return PurposeNotFound();
      }
    }
    Donation d;
    d.public_id = NewPublicId();
    d.user_id = user_id;
    d.donor_name = donor;
    d.anonymous = in.anonymous;
    d.purpose_id = in.purpose_id;
    d.amount_fen = in.amount_fen;
    d.message = in.message;
    d.created_at_ms = now;
    d.id = repo::InsertDonation(tx, d);
    const std::string description =
        config_.fund.fund_name + (purpose ? "·" + purpose->name : std::string()) + " 捐赠";
    payments::NewPayment np;
    np.purpose = "donation";
    np.ref_id = d.id;
    np.amount_fen = d.amount_fen;
    np.description = description;
    np.return_url = "/fund/donations/" + d.public_id;
    np.payer_user_id = user_id;
    CC_ASSIGN_OR_RETURN(payments::Payment payment, payments_.CreateTx(tx, np, now));
    repo::SetDonationPayment(tx, d.id, payment.id);
    db::SetIdempotencyRef(tx, scope, idempotency_key, d.id);
    return DonationCreated{*repo::FindDonation(tx, d.id), payment};
  });
  if (!created.ok()) {
    co_return created;
  }
  // The order is opened at the provider once this is committed.
  auto opened = co_await payments_.OpenIfCreated(created->payment, in.payer_ip);
  if (!opened.ok()) {
    co_return std::move(opened).error();
  }
  co_return created;
}

Result<Donation> FundService::DonationForDonorTx(db::Tx& tx, const std::string& public_id, const Caller& caller) {
  const Error not_found = Error::NotFound("donation_not_found");
  auto d = IsPublicId(public_id) ? repo::FindDonationByPublicId(tx, public_id) : std::nullopt;
  if (!d) {
    return not_found;
  }
  if (d->user_id) {
    if (caller.user_id != d->user_id) {
      return not_found;  // someone else's: as if it did not exist
    }
    return *d;
  }
  // A guest's: whoever holds their checkout's token (the pay and return links carry it).
  auto payment = d->payment_id ? payments_.FindTx(tx, *d->payment_id) : std::nullopt;
  if (!payment || !payments_.GuestMayReach(*payment, caller)) {
    return not_found;
  }
  return *d;
}

Task<Donation> FundService::GetDonation(std::string public_id, Caller caller) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Donation> {
    CC_ASSIGN_OR_RETURN(Donation d, DonationForDonorTx(tx, public_id, caller));
    if (d.receipt_no) {
      auto receipt = repo::FindReceipt(tx, *d.receipt_no);
      d.receipt_check = receipt ? std::optional<std::string>(receipt->check_code) : std::nullopt;
    }
    return d;
  });
}

Task<std::vector<Donation>> FundService::DonationsOf(int64_t user_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Donation>> {
    return repo::ListDonationsOf(tx, user_id, 200);
  });
}

Task<Receipt> FundService::GetReceipt(std::string receipt_no, ReceiptAccess access) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Receipt> {
    auto r = repo::FindReceipt(tx, receipt_no);
    if (!r) {
      return Error::NotFound("receipt_not_found");
    }
    const bool donor = r->donor_user_id && access.caller.user_id == r->donor_user_id;
    const bool holds_code = !access.check_code.empty() && ConstantTimeEquals(access.check_code, r->check_code);
    if (access.fund_admin) {
      r->full = true;
      r->donor = r->anonymous ? "匿名（" + r->donor_name + "）" : r->donor_name;
    } else if (donor || holds_code) {
      r->full = true;
      r->donor = r->anonymous || r->forgotten ? "匿名" : r->donor_name;
    } else {
      // The public verification: as the public journal shows it.
      r->full = false;
      r->donor = r->anonymous || r->forgotten || r->donor_name.empty() ? "匿名" : MaskName(r->donor_name);
      r->check_code.clear();
    }
    r->donor_name.clear();
    return *r;
  });
}

Task<std::vector<Entry>> FundService::Entries(int64_t before_id, int limit) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Entry>> {
    return repo::ListEntries(tx, before_id, limit);
  });
}

Task<Summary> FundService::GetSummary() {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Summary> {
    Summary s;
    s.by_source = repo::SumsBySource(tx);
    for (const SourceTotal& t : s.by_source) {
      s.raised_fen += t.amount_fen;
    }
    s.granted_fen = repo::SumOfRefType(tx, "commitment");
    s.disbursed_fen = repo::SumOfRefType(tx, "disbursement");
    s.pending_fen = repo::PendingAllocationsTotal(tx);
    s.fees_fen = repo::AccountBalance(tx, kFees);
    s.balance_fen = -repo::NetAssetsBalanceTotal(tx);
    s.monthly = repo::MonthlySumsBySource(tx);
    // Per purpose (0 = the unrestricted general fund).
    std::map<int64_t, PurposeTotal> purposes;
    purposes[0] = PurposeTotal{0, "关爱基金（非限定）", std::nullopt, 0, 0, 0};
    for (const Purpose& p : repo::ListPurposes(tx)) {
      purposes[p.id] = PurposeTotal{p.id, p.name, p.naming, 0, 0, 0};
    }
    for (const auto& [purpose_id, raised] : repo::RaisedByPurpose(tx)) {
      purposes[purpose_id].raised_fen = raised;
    }
    for (const auto& [purpose_id, granted] : repo::GrantedByPurpose(tx)) {
      purposes[purpose_id].granted_fen = granted;
    }
    for (const auto& [purpose_id, balance] : repo::NetAssetsBalanceByPurpose(tx)) {
      purposes[purpose_id].balance_fen = -balance;
    }
    for (auto& [id, p] : purposes) {
      s.by_purpose.push_back(p);
    }
    s.granted_to = repo::GrantTotalsByOrg(tx);
    return s;
  });
}

Task<Trace> FundService::TraceDonation(std::string public_id, Caller caller) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Trace> {
    auto d = DonationForDonorTx(tx, public_id, caller);
    if (!d.ok()) {
      return std::move(d).error();
    }
    Trace t;
    t.donation = *d;
    if (d->status != "confirmed" || !d->entry_id) {
      return t;
    }
    // Money into the donation's fund account, oldest first, skipping
    // reversed entries and reversals: the donation is one interval of it.
    const std::string account = FundAccountFor(d->purpose_id);
    Fen start = -1;
    Fen cumulative = 0;
    for (const auto& [entry_id, amount] : repo::UnreversedCreditsTo(tx, account)) {
      if (entry_id == *d->entry_id) {
        start = cumulative;
      }
      cumulative += amount;
    }
    if (start < 0) {
      return t;
    }
    const Fen end = start + d->amount_fen;
    // Grants out of the same account, oldest first (FIFO).
    Fen granted_before = 0;
    Fen allocated = 0;
    for (const repo::Grant& g : repo::GrantsOfPurpose(tx, d->purpose_id.value_or(0))) {
      const Fen gs = granted_before;
      const Fen ge = gs + g.amount_fen;
      granted_before = ge;
      const Fen lo = std::max(start, gs);
      const Fen hi = std::min(end, ge);
      if (hi <= lo) {
        continue;
      }
      TraceAllocation a{g.commitment_id, g.org_name, g.project_name, hi - lo, g.created_at_ms, {}};
      // The donation's slice of this grant, in the grant's own coordinates,
      // against its paid disbursements in order.
      Fen paid_before = 0;
      for (const repo::PaidDisbursement& paid : repo::PaidDisbursementsOf(tx, a.commitment_id)) {
        const Fen ds = paid_before;
        const Fen de = ds + paid.amount_fen;
        paid_before = de;
        const Fen plo = std::max(lo - gs, ds);
        const Fen phi = std::min(hi - gs, de);
        if (phi > plo) {
          a.disbursements.push_back({paid.id, phi - plo, paid.paid_at_ms});
        }
      }
      allocated += a.amount_fen;
      t.allocations.push_back(std::move(a));
    }
    t.unallocated_fen = d->amount_fen - allocated;
    return t;
  });
}

// ---- administration ----

Result<Purpose> FundService::CreatePurposeTx(db::Tx& tx, std::optional<int64_t> actor, const NewPurpose& in,
                                             int64_t now_ms) {
  Purpose p;
  p.code = in.code;
  p.name = in.name;
  p.description = in.description;
  p.restricted = in.restricted;
  p.filing_no = in.filing_no;
  p.starts_at_ms = now_ms;
  const auto id = repo::InsertPurpose(tx, p, now_ms);
  if (!id) {
    return Error::Conflict("purpose_exists", "code");
  }
  p.id = *id;
  ledger::EnsurePurposeAccount(tx, p.id, p.name, now_ms);
  Audit(tx, actor, "fund.purpose.created", "fund_purpose", p.id, {{"code", p.code}, {"name", p.name}}, now_ms);
  return *repo::FindPurpose(tx, p.id);
}

Result<int64_t> FundService::RecordAllocationTx(db::Tx& tx, std::optional<int64_t> actor, const NewAllocation& in,
                                                int64_t now_ms) {
  CC_TRY(CheckPurpose(tx, in.purpose_id));
  const int64_t id = repo::InsertAllocation(tx, in, actor.value_or(0), now_ms);
  if (in.received) {
    EntryInput e;
    e.kind = "allocation";
    e.source = "government";
    e.purpose_id = in.purpose_id;
    e.memo = "街道财政拨款·" + in.budget_ref + (in.memo.empty() ? "" : "·" + in.memo);
    e.ref_type = "allocation";
    e.ref_id = id;
    e.created_by = actor;
    CC_ASSIGN_OR_RETURN(const int64_t entry_id, RecordMoneyInTx(tx, e, in.amount_fen, now_ms));
    repo::SetAllocationEntry(tx, id, entry_id);
  }
  Audit(tx, actor, "fund.allocation.recorded", "fund_allocation", id,
        {{"amount_fen", in.amount_fen}, {"budget_ref", in.budget_ref}, {"received", in.received}}, now_ms);
  return id;
}

Result<int64_t> FundService::RecordCofundingTx(db::Tx& tx, std::optional<int64_t> actor, const NewCofunding& in,
                                               int64_t now_ms) {
  const auto org_name = repo::FindOrgName(tx, in.org_id);
  if (!org_name) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  CC_TRY(CheckPurpose(tx, in.purpose_id));
  EntryInput e;
  e.kind = "cofunding";
  e.source = "cofunding";
  e.purpose_id = in.purpose_id;
  e.org_id = in.org_id;
  e.memo = "合作出资·" + *org_name + "·" + in.reference + (in.memo.empty() ? "" : "·" + in.memo);
  e.ref_type = "cofunding";
  e.created_by = actor;
  CC_ASSIGN_OR_RETURN(const int64_t entry_id, RecordMoneyInTx(tx, e, in.amount_fen, now_ms));
  Audit(tx, actor, "fund.cofunding.recorded", "fund_entry", entry_id,
        {{"org_id", in.org_id}, {"amount_fen", in.amount_fen}, {"reference", in.reference}}, now_ms);
  return entry_id;
}

Result<int64_t> FundService::CreateSponsorshipTx(db::Tx& tx, std::optional<int64_t> actor, const NewSponsorship& in,
                                                 int64_t now_ms) {
  if (in.sponsor_kind != "enterprise" && in.sponsor_kind != "foundation") {
    return Error::Invalid("invalid_value", "sponsor_kind");
  }
  if (in.term_end_ms <= in.term_start_ms) {
    return Error::Invalid("invalid_value", "term_end_ms");
  }
  if (in.project_type && (in.project_type->empty() || in.project_type->size() > 40)) {
    return Error::Invalid("invalid_value", "project_type");
  }
  CC_TRY(CheckPurpose(tx, in.purpose_id));
  const int64_t id = repo::InsertSponsorship(tx, in, actor.value_or(0), now_ms);
  Audit(tx, actor, "fund.sponsorship.created", "fund_sponsorship", id,
        {{"sponsor", in.sponsor_name}, {"committed_fen", in.committed_fen}, {"naming", in.naming_text}}, now_ms);
  return id;
}

Result<int64_t> FundService::RecordInstalmentTx(db::Tx& tx, std::optional<int64_t> actor, int64_t sponsorship_id,
                                                Fen amount_fen, const std::string& reference, int64_t now_ms) {
  // Locked first: instalments recorded at the same moment are summed one
  // after the other, never both against the same total.
  if (!db::LockRow(tx, "fund_sponsorships", sponsorship_id)) {
    return Error::NotFound("sponsorship_not_found");
  }
  auto s = repo::FindSponsorshipState(tx, sponsorship_id);
  if (!s) {
    return Error::NotFound("sponsorship_not_found");
  }
  if (s->received_fen + amount_fen > s->committed_fen) {
    return Error::Unprocessable("instalments_exceed_commitment", "amount_fen");
  }
  EntryInput e;
  e.kind = "sponsorship";
  e.source = "sponsor";
  e.purpose_id = s->purpose_id;
  e.memo = "冠名赞助·" + s->naming_text + "·" + reference;
  e.ref_type = "sponsorship";
  e.ref_id = sponsorship_id;
  e.donor_display = s->sponsor_name;  // organisations are named, not masked
  e.created_by = actor;
  CC_ASSIGN_OR_RETURN(const int64_t entry_id, RecordMoneyInTx(tx, e, amount_fen, now_ms));
  const int64_t id =
      repo::InsertInstalment(tx, sponsorship_id, amount_fen, reference, entry_id, actor.value_or(0), now_ms);
  Audit(tx, actor, "fund.sponsorship.instalment", "fund_sponsorship", sponsorship_id,
        {{"amount_fen", amount_fen}, {"reference", reference}}, now_ms);
  return id;
}

Result<int64_t> FundService::CreateCommitmentTx(db::Tx& tx, std::optional<int64_t> actor, const NewCommitment& in,
                                                int64_t now_ms) {
  const auto org_name = repo::FindOrgName(tx, in.org_id);
  if (!org_name) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  const std::string account = FundAccountFor(in.purpose_id);
  // The balance is read under the books' lock: two grants at once are
  // decided one after the other, never both against the same balance.
  ledger::LockBooks(tx);
  CC_ASSIGN_OR_RETURN(const Fen available, AvailableTx(tx, in.purpose_id));
  if (available < in.amount_fen) {
    return Error::Conflict("insufficient_funds", "amount_fen");
  }
  ledger::EnsureOrgPayable(tx, in.org_id, *org_name, now_ms);
  const int64_t id = repo::InsertCommitment(tx, in, actor.value_or(0), now_ms);
  EntryInput e;
  e.kind = "grant";
  e.purpose_id = in.purpose_id;
  e.org_id = in.org_id;
  e.memo = "资助·" + *org_name + "·" + in.project_name;
  e.ref_type = "commitment";
  e.ref_id = id;
  e.created_by = actor;
  e.lines = {{account, in.amount_fen}, {OrgPayableAccount(in.org_id), -in.amount_fen}};
  CC_ASSIGN_OR_RETURN(const int64_t entry_id, ledger::RecordEntry(tx, e, now_ms));
  repo::SetCommitmentEntry(tx, id, entry_id);
  Audit(tx, actor, "fund.grant.committed", "fund_commitment", id,
        {{"org_id", in.org_id}, {"amount_fen", in.amount_fen}, {"project", in.project_name}}, now_ms);
  return id;
}

namespace {
// The commitment, locked for the rest of the write job: its proposals and
// its release are decided one after the other.
Result<repo::CommitmentTotals> LockCommitment(db::Tx& tx, int64_t commitment_id) {
  const Error not_found{ErrorCode::kNotFound, "commitment_not_found", "commitment_id", {}};
  if (!db::LockRow(tx, "fund_commitments", commitment_id)) {
    return not_found;
  }
  auto c = repo::FindCommitmentTotals(tx, commitment_id);
  if (!c) {
    return not_found;
  }
  return *c;
}
}  // namespace

Result<Disbursement> FundService::LoadDisbursement(db::Tx& tx, int64_t id) {
  auto d = repo::FindDisbursement(tx, id);
  if (!d) {
    return Error::NotFound("disbursement_not_found");
  }
  return *d;
}

Result<Disbursement> FundService::ProposeDisbursementTx(db::Tx& tx, int64_t actor, int64_t commitment_id,
                                                        Fen amount_fen, const std::string& memo, int64_t now_ms) {
  // Locked first: proposals at the same moment are summed one after the other.
  CC_ASSIGN_OR_RETURN(const repo::CommitmentTotals c, LockCommitment(tx, commitment_id));
  if (c.released_at_ms || c.disbursed_fen + c.proposed_fen + amount_fen > c.amount_fen) {
    return Error::Unprocessable("exceeds_commitment", "amount_fen");
  }
  const int64_t needed = amount_fen > config_.fund.two_approvals_above_fen ? 2 : 1;
  const int64_t id = repo::InsertDisbursement(tx, commitment_id, amount_fen, memo, needed, actor, now_ms);
  Audit(tx, actor, "fund.disbursement.proposed", "fund_disbursement", id,
        {{"commitment_id", commitment_id}, {"amount_fen", amount_fen}}, now_ms);
  return LoadDisbursement(tx, id);
}

Result<Disbursement> FundService::ApproveDisbursementTx(db::Tx& tx, int64_t actor, int64_t disbursement_id,
                                                        int64_t now_ms) {
  // Locked before it is read: of two checkers approving at once, the second
  // sees the first's approval (and the payment it made), never `proposed`.
  if (!db::LockRow(tx, "fund_disbursements", disbursement_id)) {
    return Error::NotFound("disbursement_not_found");
  }
  CC_ASSIGN_OR_RETURN(Disbursement d, LoadDisbursement(tx, disbursement_id));
  if (d.status != "proposed") {
    return Error::Conflict("disbursement_not_pending");
  }
  if (d.proposed_by == actor) {
    return Error::Forbidden("self_approval");
  }
  if (repo::HasApproved(tx, disbursement_id, actor)) {
    return Error::Conflict("already_approved");
  }
  repo::InsertApproval(tx, disbursement_id, actor, now_ms);
  Audit(tx, actor, "fund.disbursement.approved", "fund_disbursement", disbursement_id, {{"amount_fen", d.amount_fen}},
        now_ms);
  if (d.approvals + 1 < d.approvals_needed) {
    return LoadDisbursement(tx, disbursement_id);
  }
  const repo::CommitmentTarget c = repo::CommitmentTargetOf(tx, d.commitment_id);
  // The guard in the WHERE clause is the last line against over-paying.
  if (!repo::AddDisbursed(tx, d.commitment_id, d.amount_fen)) {
    return Error::Unprocessable("exceeds_commitment", "amount_fen");
  }
  EntryInput e;
  e.kind = "disbursement";
  e.org_id = c.org_id;
  e.purpose_id = c.purpose_id;
  e.memo = "拨付·" + d.org_name + "·" + d.project_name + (d.memo.empty() ? "" : "·" + d.memo);
  e.ref_type = "disbursement";
  e.ref_id = d.id;
  e.created_by = actor;
  e.lines = {{OrgPayableAccount(*e.org_id), d.amount_fen}, {kBank, -d.amount_fen}};
  CC_ASSIGN_OR_RETURN(const int64_t entry_id, ledger::RecordEntry(tx, e, now_ms));
  if (!repo::MarkDisbursementPaid(tx, d.id, entry_id, now_ms)) {
    return Error::Conflict("disbursement_not_pending");  // the whole job rolls back, entry included
  }
  return LoadDisbursement(tx, disbursement_id);
}

std::optional<Disbursement> FundService::FindDisbursementTx(db::Tx& tx, int64_t id) {
  return repo::FindDisbursement(tx, id);
}

Result<Fen> FundService::ReleaseCommitmentTx(db::Tx& tx, int64_t actor, int64_t commitment_id,
                                             const std::string& reason, int64_t now_ms) {
  // Locked first, as proposals lock it: none can slip in between the check
  // for a pending proposal and the release.
  CC_ASSIGN_OR_RETURN(const repo::CommitmentTotals c, LockCommitment(tx, commitment_id));
  if (c.released_at_ms) {
    return Error::Conflict("commitment_released");
  }
  if (c.proposed_fen > 0) {
    return Error::Conflict("disbursement_pending");
  }
  const Fen leftover = c.amount_fen - c.disbursed_fen;
  if (!repo::MarkCommitmentReleased(tx, commitment_id, leftover, now_ms)) {
    return Error::Conflict("commitment_released");
  }
  if (leftover > 0) {
    EntryInput e;
    e.kind = "reversal";
    e.purpose_id = c.purpose_id;
    e.org_id = c.org_id;
    e.memo = "结余退回·" + c.project_name + (reason.empty() ? "" : "·" + reason);
    e.ref_type = "commitment";
    e.ref_id = commitment_id;
    e.created_by = actor;
    e.lines = {{FundAccountFor(c.purpose_id), -leftover}, {OrgPayableAccount(c.org_id), leftover}};
    CC_ASSIGN_OR_RETURN(const int64_t entry_id, ledger::RecordEntry(tx, e, now_ms));
    (void)entry_id;
  }
  Audit(tx, actor, "fund.grant.released", "fund_commitment", commitment_id,
        {{"released_fen", leftover}, {"reason", reason}}, now_ms);
  return leftover;
}

namespace {
bool IsFundAdmin(const Principal& p) { return p.Has(Role::kFundAdmin); }
}  // namespace

Task<Purpose> FundService::CreatePurpose(const Principal& p, NewPurpose in) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return CreatePurposeTx(tx, actor, in, clock_.NowMs()); });
}

Task<int64_t> FundService::RecordAllocation(const Principal& p, NewAllocation in) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_,
                                 [&](db::Tx& tx) { return RecordAllocationTx(tx, actor, in, clock_.NowMs()); });
}

Task<int64_t> FundService::RecordCofunding(const Principal& p, NewCofunding in) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_,
                                 [&](db::Tx& tx) { return RecordCofundingTx(tx, actor, in, clock_.NowMs()); });
}

Task<int64_t> FundService::CreateSponsorship(const Principal& p, NewSponsorship in) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_,
                                 [&](db::Tx& tx) { return CreateSponsorshipTx(tx, actor, in, clock_.NowMs()); });
}

Task<int64_t> FundService::RecordInstalment(const Principal& p, int64_t sponsorship_id, Fen amount_fen,
                                            std::string reference) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) {
    return RecordInstalmentTx(tx, actor, sponsorship_id, amount_fen, reference, clock_.NowMs());
  });
}

Task<std::vector<Sponsorship>> FundService::Sponsorships(const Principal& p) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  co_return co_await db::ReadTx(store_, [](db::Tx& tx) -> Result<std::vector<Sponsorship>> {
    return repo::ListSponsorships(tx);
  });
}

Task<int64_t> FundService::CreateCommitment(const Principal& p, NewCommitment in) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_,
                                 [&](db::Tx& tx) { return CreateCommitmentTx(tx, actor, in, clock_.NowMs()); });
}

Task<Disbursement> FundService::ProposeDisbursement(const Principal& p, int64_t commitment_id, Fen amount_fen,
                                                    std::string memo) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) {
    return ProposeDisbursementTx(tx, actor, commitment_id, amount_fen, memo, clock_.NowMs());
  });
}

Task<Disbursement> FundService::ApproveDisbursement(const Principal& p, int64_t disbursement_id) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(
      store_, [&](db::Tx& tx) { return ApproveDisbursementTx(tx, actor, disbursement_id, clock_.NowMs()); });
}

Task<std::vector<Disbursement>> FundService::Disbursements(const Principal& p, std::string status) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Disbursement>> {
    std::vector<Disbursement> out;
    for (const int64_t id : repo::ListDisbursementIds(tx, status)) {
      CC_ASSIGN_OR_RETURN(Disbursement d, LoadDisbursement(tx, id));
      out.push_back(std::move(d));
    }
    return out;
  });
}

namespace {

// Calendar months in China time.
int64_t AddMonths(int64_t ms, int months) {
  const std::time_t t = static_cast<std::time_t>((ms + 8 * kHourMs) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  tm.tm_mon += months;
  return static_cast<int64_t>(timegm(&tm)) * 1000 - 8 * kHourMs + (ms % 1000);
}

constexpr int64_t kSixMonthsMs = 182 * kDayMs;
constexpr int64_t kDueSoonMs = 30 * kDayMs;

}  // namespace

std::vector<DisclosureItem> FundService::DisclosureScheduleTx(db::Tx& tx, int64_t horizon_ms) {
  std::vector<DisclosureItem> out;
  for (const Purpose& p : repo::ListPurposes(tx)) {
    const int64_t end = p.ends_at_ms.value_or(horizon_ms);
    if (end - p.starts_at_ms > kSixMonthsMs) {
      int64_t period_start = p.starts_at_ms;
      for (int k = 1;; ++k) {
        const int64_t period_end = AddMonths(p.starts_at_ms, 3 * k);
        if (period_end > std::min(end, horizon_ms)) {
          break;
        }
        out.push_back({p.id, p.name, "progress-" + std::to_string(k), period_start, period_end, period_end});
        period_start = period_end;
      }
    }
    if (p.ends_at_ms && AddMonths(*p.ends_at_ms, 3) - kDueSoonMs <= horizon_ms) {
      out.push_back({p.id, p.name, "final", p.starts_at_ms, *p.ends_at_ms, AddMonths(*p.ends_at_ms, 3)});
    }
  }
  return out;
}

Result<PublishedDisclosure> FundService::PublishDisclosureTx(db::Tx& tx, int64_t actor, int64_t purpose_id,
                                                             const std::string& period_label, const std::string& title,
                                                             const std::string& body, int64_t now_ms) {
  auto purpose = repo::FindPurpose(tx, purpose_id);
  if (!purpose) {
    return PurposeNotFound();
  }
  const auto inserted = repo::InsertDisclosure(tx, purpose_id, period_label, title, body, actor, now_ms);
  if (!inserted) {
    return Error::Conflict("disclosure_exists", "period_label");
  }
  const int64_t id = *inserted;
  Audit(tx, actor, "fund.disclosure.published", "fund_disclosure", id,
        {{"purpose_id", purpose_id}, {"period", period_label}}, now_ms);
  return PublishedDisclosure{id, purpose_id, purpose->name, period_label, title, body, now_ms};
}

Task<std::vector<PublishedDisclosure>> FundService::Reports(std::optional<int64_t> purpose_id, int64_t before_id,
                                                            int limit) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<PublishedDisclosure>> {
    return repo::PublishedReports(tx, purpose_id, before_id, limit);
  });
}

Task<PublishedDisclosure> FundService::Report(int64_t id) {
  co_return co_await db::ReadTx(store_, [id](db::Tx& tx) -> Result<PublishedDisclosure> {
    auto r = repo::FindReport(tx, id);
    if (!r) {
      return Error::NotFound("report_not_found");
    }
    return *r;
  });
}

Task<DisclosureCalendar> FundService::Disclosures(const Principal& p) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Forbidden();
  }
  const int64_t now = clock_.NowMs();
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<DisclosureCalendar> {
    DisclosureCalendar cal;
    std::set<std::pair<int64_t, std::string>> done;
    for (PublishedDisclosure& d : repo::ListDisclosures(tx)) {
      done.emplace(d.purpose_id, d.period_label);
      if (cal.published.size() < 200) {
        cal.published.push_back(std::move(d));
      }
    }
    for (DisclosureItem& item : DisclosureScheduleTx(tx, now + kDueSoonMs)) {
      if (done.count({item.purpose_id, item.period_label})) {
        continue;
      }
      (item.due_at_ms < now ? cal.overdue : cal.due).push_back(std::move(item));
    }
    return cal;
  });
}

Task<PublishedDisclosure> FundService::PublishDisclosure(const Principal& p, int64_t purpose_id,
                                                         std::string period_label, std::string title,
                                                         std::string body) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) {
    return PublishDisclosureTx(tx, actor, purpose_id, period_label, title, body, clock_.NowMs());
  });
}

void FundService::ForgetDonorTx(db::Tx& tx, int64_t user_id) { repo::ForgetDonor(tx, user_id); }

Status FundService::HoldRefundTx(db::Tx& tx, int64_t donation_id, int64_t now_ms) {
  auto d = repo::FindDonation(tx, donation_id);
  if (!d) {
    return Error::NotFound("donation_not_found");
  }
  CC_TRY(Refundable(*d));
  // Under the books' lock: a grant decided at the same moment sees this
  // hold, or this sees the grant's entry; the fund never pays both.
  ledger::LockBooks(tx);
  CC_ASSIGN_OR_RETURN(const Fen available, AvailableTx(tx, d->purpose_id));
  if (available < d->amount_fen) {
    return Error::Conflict("insufficient_funds");  // already granted out: nothing to refund from
  }
  if (!repo::HoldRefund(tx, donation_id, now_ms)) {
    return Error::Conflict("donation_not_refundable");  // asked for already
  }
  return {};
}

Status FundService::BookRefundTx(db::Tx& tx, int64_t donation_id, const std::string& reason,
                                 std::optional<int64_t> actor, int64_t now_ms) {
  ledger::LockBooks(tx);
  auto d = repo::FindDonation(tx, donation_id);
  if (!d) {
    return Error::NotFound("donation_not_found");
  }
  CC_TRY(Refundable(*d));
  CC_ASSIGN_OR_RETURN(const int64_t refund_entry,
                      // The public journal says only 退款: the reason an admin typed may name
                      // the donor, and an entry can never be edited; it stays in the audit log.
                      ledger::Reverse(tx, *d->entry_id, "refund", "退款", actor, now_ms));
  if (!repo::RefundDonation(tx, donation_id, refund_entry, now_ms)) {
    return Error::Conflict("donation_not_refundable");  // the job rolls back, reversal included
  }
  Audit(tx, actor, "fund.donation.refunded", "fund_donation", donation_id,
        {{"amount_fen", d->amount_fen}, {"reason", reason}}, now_ms);
  return {};
}

// (Named arguments, never temporaries, go into these co_awaits: see the
// compiler trap in docs/architecture.md.)
Task<Donation> FundService::RefundDonation(const Principal& p, std::string public_id, std::string reason) {
  std::function<std::optional<Donation>(db::Tx&)> find = [public_id](db::Tx& tx) {
    return repo::FindDonationByPublicId(tx, public_id);
  };
  co_return co_await Refund(p, std::move(find), std::move(reason));
}

Task<Donation> FundService::RefundByReceipt(const Principal& p, std::string receipt_no, std::string reason) {
  std::function<std::optional<Donation>(db::Tx&)> find = [receipt_no](db::Tx& tx) {
    return repo::FindDonationByReceipt(tx, receipt_no);
  };
  co_return co_await Refund(p, std::move(find), std::move(reason));
}

Task<Donation> FundService::Refund(const Principal& p, std::function<std::optional<Donation>(db::Tx&)> find,
                                   std::string reason) {
  if (!IsFundAdmin(p)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  auto before = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Donation> {
    auto d = find(tx);
    if (!d) {
      return Error::NotFound("donation_not_found");
    }
    return *d;
  });
  if (!before.ok()) {
    co_return before;
  }
  if (auto refundable = Refundable(*before); !refundable.ok()) {
    co_return std::move(refundable).error();
  }
  const int64_t donation_id = before->id;
  if (before->payment_id) {
    // Through the provider: the request (holding the amount in its fund) is
    // written, the money goes back there, then the payments service books
    // it, calling BookRefundTx in that transaction.
    payments::RefundAsk ask{.reason = reason, .requested_by = actor};  // named: g++ 12 coroutine temporaries
    auto refunded = co_await payments_.Refund(*before->payment_id, std::move(ask));
    if (!refunded.ok()) {
      co_return refunded.error().key == "payment_not_refundable" ? Error::Conflict("donation_not_refundable")
                                                                   : std::move(refunded).error();
    }
  } else {
    // Recorded offline (no payment here): the books alone, in one job.
    auto booked = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
      const int64_t now = clock_.NowMs();
      CC_TRY(HoldRefundTx(tx, donation_id, now));
      return BookRefundTx(tx, donation_id, reason, actor, now);
    });
    if (!booked.ok()) {
      co_return std::move(booked).error();
    }
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Donation> {
    return *repo::FindDonation(tx, donation_id);
  });
}

}  // namespace carecity::fund

namespace carecity::fund {
namespace {

bool IsSaleKind(std::string_view ref_type) { return ref_type == "shop_order" || ref_type == "auction_lot"; }

// Each entry of a sale must balance and its parts add up to what it holds:
// anything else is a bug in the calling domain, never the buyer's input.
Status CheckSaleParts(Fen fund_fen, Fen receipt_fen, const std::vector<SalePayable>& payables, Fen* goods_fen) {
  *goods_fen = 0;
  for (const SalePayable& p : payables) {
    if (p.amount_fen < 0) {
      return Error::Internal("a sale's payable below zero");
    }
    *goods_fen += p.amount_fen;
  }
  if (fund_fen < 0 || receipt_fen < 0 || receipt_fen > fund_fen) {
    return Error::Internal("a sale's gift is not within its fund part");
  }
  return {};
}

// The sale's entries for what it holds now: the gift (into its fund, paying
// the provider's fee as a donation does) and the goods (owed to the sellers;
// the fee falls there only past the gift). Either may be absent. The fee is
// split over the whole sale, and only the sides asked for are posted (a
// refund books again only the side it changed).
struct SaleEntries {
  std::optional<int64_t> gift;
  std::optional<int64_t> goods;
};
struct SaleSides {
  bool gift = true;
  bool goods = true;
};
// The provider's fee as the sale's two entries carry it: {gift, goods}.
std::pair<Fen, Fen> FeeSplit(const repo::SaleRow& s) {
  const Fen gift_fee = std::min(s.fee_fen, s.fund_fen);
  return {gift_fee, s.goods_fen > 0 ? s.fee_fen - gift_fee : 0};
}
Result<SaleEntries> PostSaleEntries(db::Tx& tx, const repo::SaleRow& s, SaleSides sides,
                                    std::optional<int64_t> actor, int64_t now_ms) {
  const bool auction = s.ref_type == "auction_lot";
  const auto [gift_fee, goods_fee] = FeeSplit(s);
  const auto add = [](EntryInput& e, const std::string& account, Fen amount) {
    if (amount != 0) {
      e.lines.push_back({account, amount});
    }
  };
  SaleEntries out;
  if (sides.gift && s.fund_fen > 0) {
    EntryInput e;
    e.kind = auction ? "auction_sale" : "shop_sale";
    e.source = auction ? "auction" : "shop";
    e.purpose_id = s.purpose_id;
    e.memo = s.memo;
    e.ref_type = s.ref_type;
    e.ref_id = s.ref_id;
    e.donor_display = s.anonymous ? "匿名" : MaskName(s.buyer_name);
    e.created_by = actor;
    add(e, kSandboxClearing, s.fund_fen - gift_fee);
    add(e, kFees, gift_fee);
    add(e, FundAccountFor(s.purpose_id), -s.fund_fen);
    CC_ASSIGN_OR_RETURN(out.gift, ledger::RecordEntry(tx, e, now_ms));
  }
  if (sides.goods && s.goods_fen > 0) {
    EntryInput e;
    e.kind = auction ? "auction_sale" : "shop_sale";
    e.memo = s.memo + "·货款";
    e.ref_type = s.ref_type;
    e.ref_id = s.ref_id;
    e.created_by = actor;
    add(e, kSandboxClearing, s.goods_fen - goods_fee);
    add(e, kFees, goods_fee);
    for (const SalePayable& p : s.payables) {
      add(e, GoodsPayableAccount(p.org_id), -p.amount_fen);
    }
    CC_ASSIGN_OR_RETURN(out.goods, ledger::RecordEntry(tx, e, now_ms));
  }
  return out;
}

Donation GiftOf(const repo::SaleRow& s) {
  Donation d;
  d.user_id = s.buyer_user_id;
  d.donor_name = s.buyer_name;
  d.anonymous = s.anonymous;
  d.purpose_id = s.purpose_id;
  d.amount_fen = s.receipt_fen;
  d.payment_id = s.payment_id;
  d.sale_id = s.id;
  d.goods_value_fen = s.goods_value_fen;
  return d;
}

}  // namespace

Result<Donation> FundService::IssueSaleReceiptTx(db::Tx& tx, Donation gift, int64_t entry_id, int64_t now_ms) {
  gift.public_id = NewPublicId();
  gift.created_at_ms = now_ms;
  gift.id = repo::InsertDonation(tx, gift);
  CC_ASSIGN_OR_RETURN(auto receipt, IssueReceiptTx(tx, gift.amount_fen, now_ms));
  if (!repo::ConfirmDonation(tx, gift.id, entry_id, receipt.first, receipt.second, now_ms)) {
    return Error::Internal("a sale's receipt changed while it was issued");
  }
  return *repo::FindDonation(tx, gift.id);
}

Result<SaleBooked> FundService::BookSaleTx(db::Tx& tx, const payments::Payment& payment, const Sale& sale,
                                           int64_t now_ms) {
  if (!IsSaleKind(sale.ref_type)) {
    return Error::Internal("unknown sale kind " + sale.ref_type);
  }
  repo::SaleRow s;
  CC_TRY(CheckSaleParts(sale.fund_fen, sale.receipt_fen, sale.payables, &s.goods_fen));
  if (sale.fund_fen + s.goods_fen != payment.amount_fen || payment.amount_fen <= 0) {
    return Error::Internal("a sale's parts do not add up to its payment");
  }
  CC_TRY(CheckPurpose(tx, sale.purpose_id));
  s.ref_type = sale.ref_type;
  s.ref_id = sale.ref_id;
  s.payment_id = payment.id;
  s.purpose_id = sale.purpose_id;
  s.buyer_user_id = sale.buyer_user_id;
  s.buyer_name = sale.buyer_name;
  s.anonymous = sale.anonymous;
  s.memo = sale.memo;
  s.fee_fen = payment.fee_fen;
  s.goods_value_fen = sale.goods_value_fen;
  s.fund_fen = sale.fund_fen;
  s.receipt_fen = sale.receipt_fen;
  std::map<int64_t, Fen> owed;  // one payable per organisation, by id
  for (const SalePayable& p : sale.payables) {
    if (p.amount_fen > 0) {
      owed[p.org_id] += p.amount_fen;
    }
  }
  for (const auto& [org_id, amount] : owed) {
    const auto org_name = repo::FindOrgName(tx, org_id);
    if (!org_name) {
      return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
    }
    ledger::EnsureGoodsPayable(tx, org_id, *org_name, now_ms);
    s.payables.push_back({org_id, amount});
  }
  CC_ASSIGN_OR_RETURN(const SaleEntries entries, PostSaleEntries(tx, s, SaleSides{}, std::nullopt, now_ms));
  s.gift_entry_id = entries.gift;
  s.goods_entry_id = entries.goods;
  const auto sale_id = repo::InsertSale(tx, s, now_ms);
  if (!sale_id) {
    return Error::Internal("sale " + sale.ref_type + " " + std::to_string(sale.ref_id) + " booked twice");
  }
  s.id = *sale_id;
  for (const SalePayable& p : s.payables) {
    repo::InsertSalePayable(tx, s.id, p.org_id, p.amount_fen);
  }
  SaleBooked out;
  out.sale_id = s.id;
  out.entry_id = entries.gift.value_or(entries.goods.value_or(0));
  if (s.receipt_fen > 0) {
    CC_ASSIGN_OR_RETURN(out.receipt, IssueSaleReceiptTx(tx, GiftOf(s), *entries.gift, now_ms));
  }
  return out;
}

namespace {

// The sale as it stands, and the refund checked against it: never more than
// it holds, per organisation too, and the gift left within the fund part.
Result<repo::SaleRow> RefundableSale(db::Tx& tx, std::string_view ref_type, int64_t ref_id, const SaleRefund& r,
                                     Fen* goods_fen) {
  auto s = repo::FindSale(tx, ref_type, ref_id);
  if (!s) {
    return Error::NotFound("sale_not_found");
  }
  CC_TRY(CheckSaleParts(r.fund_fen, r.receipt_fen, r.payables, goods_fen));
  const Error too_much = Error::Conflict("sale_not_refundable");
  if (r.fund_fen + *goods_fen <= 0 || r.fund_fen > s->fund_fen || *goods_fen > s->goods_fen ||
      r.receipt_fen > s->receipt_fen || s->receipt_fen - r.receipt_fen > s->fund_fen - r.fund_fen) {
    return too_much;
  }
  for (const SalePayable& p : r.payables) {
    const auto it = std::find_if(s->payables.begin(), s->payables.end(),
                                 [&](const SalePayable& q) { return q.org_id == p.org_id; });
    if (p.amount_fen > 0 && (it == s->payables.end() || it->amount_fen < p.amount_fen)) {
      return too_much;
    }
  }
  return std::move(*s);
}

}  // namespace

Status FundService::HoldSaleRefundTx(db::Tx& tx, std::string_view ref_type, int64_t ref_id, const SaleRefund& r,
                                     int64_t now_ms) {
  // Under the books' lock, as a donation's refund: a grant decided at the
  // same moment sees this hold, or this sees the grant.
  ledger::LockBooks(tx);
  Fen goods_fen = 0;
  CC_ASSIGN_OR_RETURN(const repo::SaleRow s, RefundableSale(tx, ref_type, ref_id, r, &goods_fen));
  CC_ASSIGN_OR_RETURN(const Fen available, AvailableTx(tx, s.purpose_id));
  if (available < r.fund_fen) {
    return Error::Conflict("insufficient_funds");
  }
  if (!repo::HoldSaleRefund(tx, s.id, r.fund_fen, now_ms)) {
    return Error::Conflict("sale_not_refundable");  // one is under way already
  }
  return {};
}

void FundService::ReleaseSaleRefundHoldTx(db::Tx& tx, std::string_view ref_type, int64_t ref_id) {
  if (auto s = repo::FindSale(tx, ref_type, ref_id)) {
    repo::ReleaseSaleRefundHold(tx, s->id);
  }
}

Result<SaleBooked> FundService::BookSaleRefundTx(db::Tx& tx, std::string_view ref_type, int64_t ref_id,
                                                 const SaleRefund& r, std::optional<int64_t> actor,
                                                 int64_t now_ms) {
  ledger::LockBooks(tx);
  Fen goods_fen = 0;
  CC_ASSIGN_OR_RETURN(repo::SaleRow s, RefundableSale(tx, ref_type, ref_id, r, &goods_fen));
  repo::SaleRow rest = s;
  rest.fund_fen -= r.fund_fen;
  rest.receipt_fen -= r.receipt_fen;
  rest.goods_fen -= goods_fen;
  for (SalePayable& p : rest.payables) {
    for (const SalePayable& q : r.payables) {
      if (q.org_id == p.org_id) {
        p.amount_fen -= q.amount_fen;
      }
    }
  }
  std::erase_if(rest.payables, [](const SalePayable& p) { return p.amount_fen == 0; });
  // Every entry is reversed at most once: a side whose amounts (or share of
  // the fee) change goes back whole (its public memo only 退款; the reason
  // stays in the audit log) and is booked again for what remains; the other
  // side keeps its entry.
  const auto fee_before = FeeSplit(s);
  const auto fee_after = FeeSplit(rest);
  const bool gift_changes = r.fund_fen > 0 || r.receipt_fen > 0 || fee_before.first != fee_after.first;
  const bool goods_change = goods_fen > 0 || fee_before.second != fee_after.second;
  std::optional<int64_t> gift_reversal;
  if (gift_changes && s.gift_entry_id) {
    CC_ASSIGN_OR_RETURN(gift_reversal, ledger::Reverse(tx, *s.gift_entry_id, "refund", "退款", actor, now_ms));
  }
  if (goods_change && s.goods_entry_id) {
    CC_TRY(ledger::Reverse(tx, *s.goods_entry_id, "refund", "退款", actor, now_ms));
  }
  CC_ASSIGN_OR_RETURN(const SaleEntries entries,
                      PostSaleEntries(tx, rest, SaleSides{gift_changes, goods_change}, actor, now_ms));
  const std::optional<int64_t> gift_entry = gift_changes ? entries.gift : s.gift_entry_id;
  const std::optional<int64_t> goods_entry = goods_change ? entries.goods : s.goods_entry_id;
  if (!repo::ApplySaleRefund(tx, s.id, r, goods_fen, gift_entry, goods_entry)) {
    return Error::Conflict("sale_not_refundable");  // the job rolls back, reversals included
  }
  for (const SalePayable& q : r.payables) {
    if (q.amount_fen > 0 && !repo::ReduceSalePayable(tx, s.id, q.org_id, q.amount_fen)) {
      return Error::Conflict("sale_not_refundable");
    }
  }
  SaleBooked out;
  out.sale_id = s.id;
  out.entry_id = gift_entry.value_or(goods_entry.value_or(0));
  if (gift_changes) {
    if (auto old = repo::FindSaleReceipt(tx, s.id)) {
      if (!repo::RefundDonation(tx, old->id, gift_reversal.value_or(*s.gift_entry_id), now_ms)) {
        return Error::Conflict("sale_not_refundable");
      }
    }
    if (rest.receipt_fen > 0) {
      CC_ASSIGN_OR_RETURN(out.receipt, IssueSaleReceiptTx(tx, GiftOf(rest), *entries.gift, now_ms));
    }
  } else {
    out.receipt = repo::FindSaleReceipt(tx, s.id);
  }
  Audit(tx, actor, "fund.sale.refunded", "fund_sale", s.id,
        {{"ref_type", s.ref_type},
         {"ref_id", s.ref_id},
         {"fund_fen", r.fund_fen},
         {"receipt_fen", r.receipt_fen},
         {"goods_fen", goods_fen},
         {"reason", r.reason}},
        now_ms);
  return out;
}

}  // namespace carecity::fund
