// SQL for purchase: quote requests, quotes, contracts, decisions, notice,
// objections, milestones, payments, amendments, ratings and evaluations.
// Runs in the caller's transaction. Every state change is one conditional
// statement that decides (the status it leaves, the village's collective
// economy, the unique keys); false or nullopt means it did not write, and
// the caller's reads after that only choose the error.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/market/contracts_model.h"
#include "domains/market/matching.h"

namespace carecity::market::repo {

// ---- Quote requests
// Written only if the project is approved and the village has a collective
// economy, and the village has no open request for the project.
std::optional<int64_t> InsertQuoteRequest(db::Tx& tx, const std::string& public_id, int64_t village_id,
                                          int64_t project_id, std::optional<int64_t> need_id,
                                          const std::string& message, int64_t by, int64_t now_ms);
std::optional<QuoteRequest> FindQuoteRequest(db::Tx& tx, int64_t id);
std::optional<int64_t> QuoteRequestIdByPublicId(db::Tx& tx, const std::string& public_id);
bool HasOpenQuoteRequest(db::Tx& tx, int64_t village_id, int64_t project_id);
// Newest first, without their quotes.
std::vector<QuoteRequest> ListQuoteRequests(db::Tx& tx, std::optional<int64_t> village_id,
                                            std::optional<int64_t> org_id, int limit);
// open -> withdrawn.
bool WithdrawQuoteRequest(db::Tx& tx, int64_t id, int64_t now_ms);

// ---- Quotes
// Written only while the request is open; supersedes the request's earlier
// open quotes.
std::optional<int64_t> InsertQuote(db::Tx& tx, const std::string& public_id, int64_t request_id, Fen amount_fen,
                                   const std::string& note, const std::vector<MilestonePlan>& milestones, int64_t by,
                                   int64_t now_ms);
std::optional<Quote> FindQuote(db::Tx& tx, int64_t id);
std::optional<int64_t> QuoteIdByPublicId(db::Tx& tx, const std::string& public_id);
// open (its request open too) -> accepted; the request -> accepted; the
// request's other open quotes -> declined. False if the quote or the
// request was not open.
bool AcceptQuote(db::Tx& tx, int64_t quote_id, int64_t request_id, int64_t now_ms);
bool DeclineQuote(db::Tx& tx, int64_t quote_id, int64_t now_ms);

// ---- Contracts
// The contract for an accepted quote, with the quote's schedule as its
// milestones; written only if the request's village has a collective
// economy (the same statement reads the flag).
std::optional<int64_t> InsertContract(db::Tx& tx, const std::string& public_id, int64_t quote_id,
                                      const std::string& status, bool needs_decision, Fen threshold_fen, int64_t by,
                                      int64_t now_ms);
// Everything about the contract, its status as of `now_ms` (ActivationOf).
std::optional<Contract> FindContract(db::Tx& tx, int64_t id, int64_t now_ms);
std::optional<int64_t> ContractIdByPublicId(db::Tx& tx, const std::string& public_id);
// Newest first.
std::vector<Contract> ListContracts(db::Tx& tx, std::optional<int64_t> village_id, std::optional<int64_t> org_id,
                                    int64_t now_ms, int limit);
// in_notice -> active once the notice has ended and no objection waits for
// an answer, activated at the later of the notice's end and the last answer
// (the rule ActivationOf derives for reads).
bool ActivateIfDue(db::Tx& tx, int64_t id, int64_t now_ms);
// awaiting_decision -> in_notice (passed: the notice runs `notice_days`
// from now) | decision_failed.
bool RecordDecision(db::Tx& tx, int64_t id, const Decision& d, int64_t notice_days, int64_t now_ms);
// Written only while the contract is in notice and the notice runs.
bool InsertObjection(db::Tx& tx, const std::string& public_id, int64_t contract_id, const std::string& text,
                     int64_t by, int64_t now_ms);
// Unanswered -> answered. False if it is not this contract's or answered.
bool AnswerObjection(db::Tx& tx, int64_t contract_id, const std::string& objection_public_id,
                     const std::string& answer, int64_t by, int64_t now_ms);

struct MilestoneReport {
  std::string text;
  int64_t beneficiaries = 0;
  std::vector<std::string> photo_ids;
  std::optional<std::string> event_id;
};
// pending | returned -> reported, while the contract is active.
bool ReportMilestone(db::Tx& tx, int64_t contract_id, int64_t n, const MilestoneReport& r, int64_t now_ms);
// reported -> accepted | returned, while the contract is active.
bool AcceptMilestone(db::Tx& tx, int64_t contract_id, int64_t n, int64_t now_ms);
bool ReturnMilestone(db::Tx& tx, int64_t contract_id, int64_t n, const std::string& reason, int64_t now_ms);

// A payment of an accepted milestone of an active contract, for exactly its
// amount, once (the unique key): its id, else nullopt.
std::optional<int64_t> InsertPayment(db::Tx& tx, int64_t contract_id, int64_t n, Fen amount_fen,
                                     const std::string& voucher_no, int64_t by, int64_t now_ms);
// Records the book's entry, adds to the contract's paid total and completes
// it when every milestone is paid.
void SettlePayment(db::Tx& tx, int64_t payment_id, int64_t contract_id, Fen amount_fen, int64_t book_seq,
                   int64_t now_ms);

// ---- Amendments
// Written only if no other proposal is open for the contract.
bool InsertAmendment(db::Tx& tx, const std::string& public_id, int64_t contract_id, const std::string& side,
                     const std::string& reason, Fen amount_fen, const std::vector<MilestonePlan>& milestones,
                     int64_t by, int64_t now_ms);
// proposed -> accepted | declined.
bool DecideAmendment(db::Tx& tx, int64_t amendment_id, bool accept, int64_t by, int64_t now_ms);
// The contract's new schedule (the caller checked that done steps stay):
// changed steps go back to pending, steps past the end go, version + 1.
void ApplySchedule(db::Tx& tx, const Contract& c, Fen amount_fen, const std::vector<MilestonePlan>& plans,
                   int64_t now_ms);

// ---- Ratings and evaluations
// Written only if `user_id` lives in the contract's village, the contract is
// active or completed, and the account has not rated it (primary key).
bool InsertRating(db::Tx& tx, int64_t contract_id, int64_t user_id, int64_t stars, const std::string& comment,
                  int64_t now_ms);
bool HasRated(db::Tx& tx, int64_t contract_id, int64_t user_id);
bool InsertEvaluation(db::Tx& tx, int64_t contract_id, int64_t stars, const std::string& comment, int64_t by,
                      int64_t now_ms);

// ---- For the public page and the matching
std::vector<PublicPayment> VillagePayments(db::Tx& tx, int64_t village_id, int limit);
// Per project: the evaluations by villages other than `village_id`.
std::map<int64_t, Evaluations> EvaluationsExcept(db::Tx& tx, int64_t village_id);
// Organisations with a contract (signed or under way) in the village.
std::set<int64_t> OrgsServing(db::Tx& tx, int64_t village_id);

}  // namespace carecity::market::repo
