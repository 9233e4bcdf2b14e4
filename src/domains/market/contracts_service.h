// Purchase in the market (rural villages only): quote requests, quotes,
// contracts with the collective decision, public notice and objections,
// milestones, payments booked in the village's own collective book,
// amendments, residents' ratings and the village's evaluation
// (docs/design-market.md "Purchase"; the contract: docs/api-market.md).
// The only place these rules live.
//
// Who may do what (checked here, for every method):
// - village_staff of the village: request quotes, accept or decline them,
//   record the decision, answer objections, accept or return milestones,
//   record payments, evaluate; propose or accept amendments as "village".
// - org_staff of the project's organisation: quote, report milestones;
//   propose or accept amendments as "org".
// - both parties' staff and the admins see a request or a contract; anyone
//   else gets its not_found. Any signed-in account may object during the
//   notice; a resident of the village may rate once. The village's public
//   page is public and names no person.
//
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/market/contracts_model.h"
#include "domains/market/contracts_repo.h"
#include "domains/market/model.h"
#include "domains/market/service.h"

namespace carecity::market {

struct QuoteRequestView {
  QuoteRequest request;
  bool can_quote = false;   // the project's org staff, while open
  bool can_accept = false;  // the village's staff, while open
};

// The request with what `p` may do with it.
QuoteRequestView RequestViewOf(const accounts::Principal& p, QuoteRequest r);

struct ContractView {
  Contract contract;
  bool can_manage = false;  // the village's staff
  bool can_report = false;  // the organisation's staff
};

struct PaymentRecorded {
  int64_t milestone = 0;
  MilestonePayment payment;
  ContractView contract;
};

struct PublicEvaluation {
  std::string contract_public_id;
  std::string project_title;
  std::string org_name;
  Evaluation evaluation;
};

// GET /api/v1/villages/{id}/public (村务公开).
struct VillagePublicView {
  accounts::Village village;
  std::vector<Need> needs;
  std::vector<Contract> in_notice;
  std::vector<Contract> contracts;  // signed: active and completed
  std::vector<PublicPayment> payments;
  std::vector<PublicEvaluation> evaluations;
  Fen contracted_fen = 0;
  Fen paid_fen = 0;
};

class ContractsService {
 public:
  ContractsService(db::Store& store, const Clock& clock, const MarketConfig& config);

  // ---- Quote requests and quotes
  // village_staff of `village_id`. Errors: market.project_not_found (not
  // approved), market.need_not_found (naming need_id: not this village's),
  // market.not_rural (422), market.request_exists (409).
  Task<QuoteRequestView> RequestQuote(const accounts::Principal& p, int64_t village_id, std::string project_id,
                                      std::optional<std::string> need_id, std::string message, std::string ip);
  Result<int64_t> RequestQuoteTx(db::Tx& tx, int64_t actor, int64_t village_id, int64_t project_id,
                                 std::optional<int64_t> need_id, const std::string& message, const std::string& ip,
                                 int64_t now_ms);
  // village_staff of `village_id`, or org_staff of `org_id`.
  Task<std::vector<QuoteRequestView>> ListRequests(const accounts::Principal& p, std::optional<int64_t> village_id,
                                                   std::optional<int64_t> org_id);
  Task<QuoteRequestView> GetRequest(const accounts::Principal& p, std::string id);
  Task<QuoteRequestView> WithdrawRequest(const accounts::Principal& p, std::string id, std::string ip);
  // org_staff of the project's organisation. Errors: CheckSchedule's,
  // market.request_not_open.
  Task<Quote> SubmitQuote(const accounts::Principal& p, std::string request_id, Fen amount_fen, std::string note,
                          std::vector<MilestonePlan> milestones, std::string ip);
  Result<int64_t> SubmitQuoteTx(db::Tx& tx, int64_t actor, int64_t request_id, Fen amount_fen, const std::string& note,
                                const std::vector<MilestonePlan>& milestones, const std::string& ip, int64_t now_ms);
  // village_staff of the request's village. The contract is
  // awaiting_decision at or above the threshold, else active. Errors:
  // market.quote_not_found, market.not_rural, market.quote_not_open.
  Task<ContractView> AcceptQuote(const accounts::Principal& p, std::string quote_id, std::string ip);
  Result<int64_t> AcceptQuoteTx(db::Tx& tx, int64_t actor, int64_t quote_id, const std::string& ip, int64_t now_ms);
  Task<Quote> DeclineQuote(const accounts::Principal& p, std::string quote_id, std::string ip);

  // ---- Contracts
  Task<std::vector<ContractView>> ListContracts(const accounts::Principal& p, std::optional<int64_t> village_id,
                                                std::optional<int64_t> org_id);
  Task<ContractView> GetContract(const accounts::Principal& p, std::string id);
  // village_staff. Errors: market.contract_not_awaiting_decision.
  Task<ContractView> RecordDecision(const accounts::Principal& p, std::string id, Decision d, std::string ip);
  Result<bool> RecordDecisionTx(db::Tx& tx, int64_t actor, int64_t contract_id, Decision d, const std::string& ip,
                                int64_t now_ms);
  // Any signed-in account, during the notice. Errors: market.not_in_notice.
  Task<Objection> FileObjection(const accounts::Principal& p, std::string id, std::string text, std::string ip);
  Task<ContractView> AnswerObjection(const accounts::Principal& p, std::string id, std::string objection_id,
                                     std::string answer, std::string ip);
  // org_staff: report; village_staff: accept or return (with a reason).
  Task<ContractView> ReportMilestone(const accounts::Principal& p, std::string id, int64_t n, repo::MilestoneReport r,
                                     std::string ip);
  Task<ContractView> ReviewMilestone(const accounts::Principal& p, std::string id, int64_t n, bool accept,
                                     std::string reason, std::string ip);
  Result<bool> ReportMilestoneTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t n,
                                 const repo::MilestoneReport& r, const std::string& ip, int64_t now_ms);
  Result<bool> ReviewMilestoneTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t n, bool accept,
                                 const std::string& reason, const std::string& ip, int64_t now_ms);
  // village_staff: the payment of an accepted milestone, booked in the
  // village's book in the same transaction. Errors: market.milestone_not_found,
  // market.milestone_not_accepted, market.already_paid, market.payment_amount,
  // villagebook.insufficient_funds, villagebook.voucher_taken.
  Task<PaymentRecorded> RecordPayment(const accounts::Principal& p, std::string id, int64_t n, Fen amount_fen,
                                      std::string voucher_no, std::string ip);
  Result<MilestonePayment> RecordPaymentTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t n, Fen amount_fen,
                                           const std::string& voucher_no, const std::string& ip, int64_t now_ms);
  // Either party's staff while active; the other party decides.
  Task<ContractView> ProposeAmendment(const accounts::Principal& p, std::string id, std::string reason, Fen amount_fen,
                                      std::vector<MilestonePlan> milestones, std::string ip);
  Task<ContractView> DecideAmendment(const accounts::Principal& p, std::string id, std::string amendment_id,
                                     bool accept, std::string ip);
  // A resident of the contract's village, once.
  Task<Evaluation> Rate(const accounts::Principal& p, std::string id, int64_t stars, std::string comment);
  // village_staff, once, when completed or with a milestone accepted.
  Task<ContractView> Evaluate(const accounts::Principal& p, std::string id, int64_t stars, std::string comment,
                              std::string ip);
  Result<bool> EvaluateTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t stars, const std::string& comment,
                          const std::string& ip, int64_t now_ms);

  // ---- The village's public page
  Task<VillagePublicView> VillagePublic(int64_t village_id);

  const MarketConfig& config() const { return config_; }

 private:
  db::Store& store_;
  const Clock& clock_;
  MarketConfig config_;
};

}  // namespace carecity::market
