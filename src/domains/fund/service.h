// The Care Fund service: the one way money moves. Donations through a
// payment provider (confirmed exactly once, with a receipt), government
// allocations, sponsorships (冠名), grant commitments and disbursements with
// maker–checker, refunds by reversing entries, and the public views.
//
// Methods named ...Tx run inside the caller's write transaction (the demo
// seeder and other domains use them); the coroutine methods own their
// transactions. Admin methods check the fund_admin role themselves.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/fund/model.h"
#include "domains/payments/service.h"

namespace carecity::fund {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

struct DonationInput {
  Fen amount_fen = 0;
  std::optional<int64_t> purpose_id;
  bool anonymous = false;
  std::string message;
  std::optional<std::string> donor_name;  // guests only
  std::string payer_ip;                   // for the payment provider ("" if unknown)
};

struct DonationCreated {
  Donation donation;
  payments::Payment payment;
};

struct NewPurpose {
  std::string code;
  std::string name;
  std::string description;
  bool restricted = true;
  std::string filing_no;
};

struct DisclosureCalendar {
  std::vector<DisclosureItem> due;      // due within the next 30 days, not yet published
  std::vector<DisclosureItem> overdue;  // past due, not published
  std::vector<PublishedDisclosure> published;
};

class FundService {
 public:
  FundService(db::Store& store, payments::PaymentsService& payments, const Clock& clock, const Config& config,
              std::string receipt_secret);

  // --- Public
  Task<std::vector<Purpose>> Purposes();
  Task<Summary> GetSummary();
  Task<std::vector<Entry>> Entries(int64_t before_id, int limit);
  // Idempotent on (user or guest, key): the same key and body return the
  // same donation; the same key with another body is 409 idempotency_key_reused.
  // Guests' keys are scoped by their address (in.payer_ip).
  Task<DonationCreated> Donate(std::optional<int64_t> user_id, std::string account_name, DonationInput in,
                               std::string idempotency_key);
  // The donor's own view (with the receipt's check code): their session, or
  // for a guest's donation the token of its checkout (its pay and return
  // links carry it). Anyone else: donation_not_found (404).
  Task<Donation> GetDonation(std::string public_id, Caller caller);
  Task<std::vector<Donation>> DonationsOf(int64_t user_id);
  // The whole receipt for the donor, the holder of its check code or a fund
  // admin; the public verification (donor masked, no check code) for anyone
  // else. Errors: receipt_not_found.
  Task<Receipt> GetReceipt(std::string receipt_no, ReceiptAccess access);
  // Where the donor's money went; the donor only, as GetDonation.
  Task<Trace> TraceDonation(std::string public_id, Caller caller);

  // --- fund_admin
  Task<Purpose> CreatePurpose(const accounts::Principal& p, NewPurpose in);
  Task<int64_t> RecordAllocation(const accounts::Principal& p, NewAllocation in);
  // Money in from an organisation's own fundraising (source `cofunding`);
  // returns the ledger entry's id. Errors: org_not_found, purpose_not_found.
  Task<int64_t> RecordCofunding(const accounts::Principal& p, NewCofunding in);
  Task<int64_t> CreateSponsorship(const accounts::Principal& p, NewSponsorship in);
  Task<int64_t> RecordInstalment(const accounts::Principal& p, int64_t sponsorship_id, Fen amount_fen,
                                 std::string reference);
  Task<std::vector<Sponsorship>> Sponsorships(const accounts::Principal& p);
  Task<int64_t> CreateCommitment(const accounts::Principal& p, NewCommitment in);
  Task<Disbursement> ProposeDisbursement(const accounts::Principal& p, int64_t commitment_id, Fen amount_fen,
                                         std::string memo);
  Task<Disbursement> ApproveDisbursement(const accounts::Principal& p, int64_t disbursement_id);
  Task<std::vector<Disbursement>> Disbursements(const accounts::Principal& p, std::string status);
  // Refunds a confirmed donation in full, by its public id or its receipt
  // number. The amount must still be in its fund (insufficient_funds once
  // granted out). Errors: donation_not_found, donation_not_refundable,
  // insufficient_funds, provider_unavailable.
  Task<Donation> RefundDonation(const accounts::Principal& p, std::string public_id, std::string reason);
  Task<Donation> RefundByReceipt(const accounts::Principal& p, std::string receipt_no, std::string reason);
  Task<DisclosureCalendar> Disclosures(const accounts::Principal& p);
  // Public: published reports, newest first. Errors: report_not_found.
  Task<std::vector<PublishedDisclosure>> Reports(std::optional<int64_t> purpose_id, int64_t before_id, int limit);
  Task<PublishedDisclosure> Report(int64_t id);
  Task<PublishedDisclosure> PublishDisclosure(const accounts::Principal& p, int64_t purpose_id, std::string period_label,
                                              std::string title, std::string body);
  Result<PublishedDisclosure> PublishDisclosureTx(db::Tx& tx, int64_t actor, int64_t purpose_id,
                                                  const std::string& period_label, const std::string& title,
                                                  const std::string& body, int64_t now_ms);
  // Every report a purpose owes up to `horizon_ms`, published or not.
  std::vector<DisclosureItem> DisclosureScheduleTx(db::Tx& tx, int64_t horizon_ms);

  // --- Inside a caller's transaction (seeder, other domains)
  Result<Purpose> CreatePurposeTx(db::Tx& tx, std::optional<int64_t> actor, const NewPurpose& in, int64_t now_ms);
  // The purpose with this code, inside the caller's transaction (other
  // domains configured to raise for one purpose), or nullopt.
  std::optional<Purpose> FindPurposeByCodeTx(db::Tx& tx, const std::string& code);
  // The purpose with this id, or nullopt.
  std::optional<Purpose> FindPurposeTx(db::Tx& tx, int64_t id);
  Result<int64_t> RecordCofundingTx(db::Tx& tx, std::optional<int64_t> actor, const NewCofunding& in,
                                    int64_t now_ms);
  Result<int64_t> RecordAllocationTx(db::Tx& tx, std::optional<int64_t> actor, const NewAllocation& in,
                                     int64_t now_ms);
  Result<int64_t> CreateSponsorshipTx(db::Tx& tx, std::optional<int64_t> actor, const NewSponsorship& in,
                                      int64_t now_ms);
  // A sponsorship (its 冠名 text and amounts) for other domains, or nullopt.
  std::optional<Sponsorship> FindSponsorshipTx(db::Tx& tx, int64_t id);
  Result<int64_t> RecordInstalmentTx(db::Tx& tx, std::optional<int64_t> actor, int64_t sponsorship_id,
                                     Fen amount_fen, const std::string& reference, int64_t now_ms);
  Result<int64_t> CreateCommitmentTx(db::Tx& tx, std::optional<int64_t> actor, const NewCommitment& in,
                                     int64_t now_ms);
  Result<Disbursement> ProposeDisbursementTx(db::Tx& tx, int64_t actor, int64_t commitment_id, Fen amount_fen,
                                             const std::string& memo, int64_t now_ms);
  Result<Disbursement> ApproveDisbursementTx(db::Tx& tx, int64_t actor, int64_t disbursement_id, int64_t now_ms);
  // The disbursement with this id, or nullopt.
  std::optional<Disbursement> FindDisbursementTx(db::Tx& tx, int64_t id);
  // Gives back what a commitment did not pay out (amount − disbursed) to its
  // fund by a reversing entry (none when nothing is left), audited; returns
  // the amount released. Errors: commitment_not_found, commitment_released
  // (twice), disbursement_pending (a disbursement still proposed).
  Result<Fen> ReleaseCommitmentTx(db::Tx& tx, int64_t actor, int64_t commitment_id, const std::string& reason,
                                  int64_t now_ms);
  // A donation confirmed without a provider (the demo history: bank transfers).
  Result<int64_t> RecordOfflineDonationTx(db::Tx& tx, const std::string& donor_name, bool anonymous,
                                          std::optional<int64_t> purpose_id, Fen amount_fen, int64_t now_ms);

  // The payments listener: posts the donation's entry, confirms it and
  // issues its receipt, in the confirming transaction.
  Status OnDonationPaidTx(db::Tx& tx, const payments::Payment& payment, int64_t now_ms);
  // Before a refund is asked of the provider: holds the donation's amount
  // in its fund, if the fund still has it (insufficient_funds otherwise).
  Status HoldRefundTx(db::Tx& tx, int64_t donation_id, int64_t now_ms);
  // Reverses a confirmed donation's entry, marks it refunded and voids its
  // receipt (the payments handler for refunds, and offline donations).
  Status BookRefundTx(db::Tx& tx, int64_t donation_id, const std::string& reason, std::optional<int64_t> actor,
                      int64_t now_ms);
  // --- Sales (公益商城 orders, 公益拍卖 lots), inside the sale's payment
  // transactions: the owning domain's payment handlers call these.
  // On `paid`: posts the gift (fund_fen into the sale's fund, paying the
  // provider's fee) and the goods (owed to the sellers, payable:goods:org:N),
  // and issues a 捐赠票据 for receipt_fen. payment.amount_fen must equal
  // fund_fen + the payables. Errors: purpose_not_found, org_not_found,
  // internal_error (amounts that do not add up, or booked twice).
  Result<SaleBooked> BookSaleTx(db::Tx& tx, const payments::Payment& payment, const Sale& sale, int64_t now_ms);
  // On `refund_requested`: holds the refund's fund part in its fund until it
  // is booked. Errors: sale_not_found, sale_not_refundable (more than the
  // sale holds, or a refund already under way), insufficient_funds (granted
  // out meanwhile).
  Status HoldSaleRefundTx(db::Tx& tx, std::string_view ref_type, int64_t ref_id, const SaleRefund& r,
                          int64_t now_ms);
  // On `refund_withdrawn`: the hold is released.
  void ReleaseSaleRefundHoldTx(db::Tx& tx, std::string_view ref_type, int64_t ref_id);
  // On `refunded`: the sale's entries are reversed and what remains is
  // booked again; the receipt is voided and, when a gift remains, a new one
  // issued for it (returned in .receipt). Errors as HoldSaleRefundTx.
  Result<SaleBooked> BookSaleRefundTx(db::Tx& tx, std::string_view ref_type, int64_t ref_id, const SaleRefund& r,
                                      std::optional<int64_t> actor, int64_t now_ms);

  // The user deleted their account: their donations show as 匿名 in public.
  void ForgetDonorTx(db::Tx& tx, int64_t user_id);

  // Standard accounts; at start-up.
  void EnsureAccountsTx(db::Tx& tx, int64_t now_ms);

  // "GC2026-000123" check code: HMAC of the receipt's facts, 10 hex digits.
  std::string CheckCode(const std::string& receipt_no, Fen amount_fen, int64_t issued_at_ms) const;

  const FundConfig& config() const { return config_.fund; }
  const payments::PaymentsService& payments() const { return payments_; }

 private:
  Result<std::pair<std::string, std::string>> IssueReceiptTx(db::Tx& tx, Fen amount_fen, int64_t now_ms);
  // Inserts `gift` (a sale's gift part: buyer, purpose, amount, payment,
  // sale, goods value) confirmed with entry `entry_id` and a new receipt.
  Result<Donation> IssueSaleReceiptTx(db::Tx& tx, Donation gift, int64_t entry_id, int64_t now_ms);
  Result<Disbursement> LoadDisbursement(db::Tx& tx, int64_t id);
  // What a fund (purpose, or the general fund) can still grant or refund:
  // its balance less refunds under way. Call under ledger::LockBooks.
  Result<Fen> AvailableTx(db::Tx& tx, std::optional<int64_t> purpose_id);
  Result<Donation> DonationForDonorTx(db::Tx& tx, const std::string& public_id, const Caller& caller);
  Task<Donation> Refund(const accounts::Principal& p, std::function<std::optional<Donation>(db::Tx&)> find,
                        std::string reason);

  db::Store& store_;
  payments::PaymentsService& payments_;
  const Clock& clock_;
  const Config& config_;
  std::string receipt_secret_;
};

}  // namespace carecity::fund
