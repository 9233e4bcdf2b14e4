#include "domains/market/contracts_service.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "db/await.h"
#include "domains/accounts/repo.h"
#include "domains/audit/service.h"
#include "domains/market/access.h"
#include "domains/market/repo.h"
#include "domains/villagebook/ledger.h"

namespace carecity::market {
namespace {

namespace json = boost::json;
using accounts::Principal;

constexpr int kListLimit = 200;

Error RequestNotFound() { return Error::NotFound("market.request_not_found"); }
Error QuoteNotFound() { return Error::NotFound("market.quote_not_found"); }
Error ContractNotFound() { return Error::NotFound("market.contract_not_found"); }

void Audit(db::Tx& tx, int64_t actor, const std::string& action, const std::string& type, const std::string& id,
           const json::object& detail, const std::string& ip, int64_t now_ms) {
  audit::Record(tx, {actor, action, type, id, json::serialize(detail), ip}, now_ms);
}

template <class F>
std::optional<int64_t> IdOf(const std::string& public_id, F lookup) {
  return IsPublicId(public_id) ? lookup(public_id) : std::nullopt;
}

bool IsParty(const Principal& p, int64_t village_id, int64_t org_id) {
  return IsVillageStaff(p, village_id) || IsOrgStaff(p, org_id) || IsAdmin(p);
}

ContractView ContractViewOf(const Principal& p, Contract c) {
  ContractView v;
  v.can_manage = IsVillageStaff(p, c.village_id);
  v.can_report = IsOrgStaff(p, c.org_id);
  v.contract = std::move(c);
  return v;
}

// The request `id` for either party's staff (or an admin), else not found.
Result<QuoteRequest> VisibleRequest(db::Tx& tx, const Principal& p, const std::string& id) {
  const auto rid = IdOf(id, [&](const std::string& s) { return repo::QuoteRequestIdByPublicId(tx, s); });
  auto r = rid ? repo::FindQuoteRequest(tx, *rid) : std::nullopt;
  if (!r || !IsParty(p, r->village_id, r->org_id)) {
    return RequestNotFound();
  }
  return std::move(*r);
}

// The contract `id` for either party's staff (or an admin), else not found;
// a contract whose notice has run out is stored as active first (writes
// only: reads derive it).
Result<Contract> VisibleContract(db::Tx& tx, const Principal& p, const std::string& id, int64_t now_ms,
                                 bool write) {
  const auto cid = IdOf(id, [&](const std::string& s) { return repo::ContractIdByPublicId(tx, s); });
  if (cid && write) {
    repo::ActivateIfDue(tx, *cid, now_ms);
  }
  auto c = cid ? repo::FindContract(tx, *cid, now_ms) : std::nullopt;
  if (!c || !IsParty(p, c->village_id, c->org_id)) {
    return ContractNotFound();
  }
  return std::move(*c);
}

// A list for a village (its staff) or an organisation (its staff).
Status CheckScope(const Principal& p, std::optional<int64_t> village_id, std::optional<int64_t> org_id) {
  if (!village_id && !org_id) {
    return Error::Invalid("missing_field", "village_id");
  }
  if ((village_id && !IsVillageStaff(p, *village_id)) || (org_id && !IsOrgStaff(p, *org_id))) {
    return Error::Forbidden();
  }
  return {};
}

// The village's side (its staff) or the organisation's, else forbidden.
Status RequireVillage(const Principal& p, const Contract& c) {
  return IsVillageStaff(p, c.village_id) ? Status{} : Status(Error::Forbidden());
}
Status RequireOrg(const Principal& p, const Contract& c) {
  return IsOrgStaff(p, c.org_id) ? Status{} : Status(Error::Forbidden());
}

const Milestone* MilestoneOf(const Contract& c, int64_t n) {
  for (const Milestone& m : c.milestones) {
    if (m.n == n) {
      return &m;
    }
  }
  return nullptr;
}

json::object PlansAudit(Fen amount_fen, const std::vector<MilestonePlan>& plans) {
  json::array a;
  for (const MilestonePlan& m : plans) {
    a.push_back(json::array{json::string(m.title), m.due_ms, m.amount_fen});
  }
  return json::object{{"amount_fen", amount_fen}, {"milestones", a}};
}

}  // namespace

QuoteRequestView RequestViewOf(const Principal& p, QuoteRequest r) {
  QuoteRequestView v;
  v.can_quote = IsOrgStaff(p, r.org_id) && r.status == "open";
  v.can_accept = IsVillageStaff(p, r.village_id) && r.status == "open";
  v.request = std::move(r);
  return v;
}

ContractsService::ContractsService(db::Store& store, const Clock& clock, const MarketConfig& config)
    : store_(store), clock_(clock), config_(config) {}

// ---- Quote requests and quotes

Result<int64_t> ContractsService::RequestQuoteTx(db::Tx& tx, int64_t actor, int64_t village_id, int64_t project_id,
                                                 std::optional<int64_t> need_id, const std::string& message,
                                                 const std::string& ip, int64_t now_ms) {
  const std::string public_id = NewPublicId();
  const auto id = repo::InsertQuoteRequest(tx, public_id, village_id, project_id, need_id, message, actor, now_ms);
  if (!id) {
    // The statement decided; these reads only choose the words.
    const auto village = accounts::repo::FindVillage(tx, village_id);
    if (!village) {
      return Error::NotFound("village_not_found");
    }
    if (!village->collective_economy) {
      return Error::Unprocessable("market.not_rural", "village_id");
    }
    if (repo::HasOpenQuoteRequest(tx, village_id, project_id)) {
      return Error::Conflict("market.request_exists");
    }
    return Error::NotFound("market.project_not_found");
  }
  Audit(tx, actor, "market.quote_request.created", "market_quote_request", public_id,
        {{"village_id", village_id}, {"project_id", project_id}}, ip, now_ms);
  return *id;
}

Task<QuoteRequestView> ContractsService::RequestQuote(const Principal& p, int64_t village_id, std::string project_id,
                                                      std::optional<std::string> need_id, std::string message,
                                                      std::string ip) {
  if (!IsVillageStaff(p, village_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<QuoteRequestView> {
    const auto pid = IdOf(project_id, [&](const std::string& s) { return repo::ProjectIdByPublicId(tx, s); });
    if (!pid) {
      return Error::NotFound("market.project_not_found");
    }
    std::optional<int64_t> nid;
    if (need_id) {
      nid = IdOf(*need_id, [&](const std::string& s) { return repo::NeedIdByPublicId(tx, s); });
      const auto need = nid ? repo::FindNeed(tx, *nid) : std::nullopt;
      if (!need || need->village_id != village_id) {
        return Error::Unprocessable("market.need_not_found", "need_id");
      }
    }
    CC_ASSIGN_OR_RETURN(const int64_t id,
                        RequestQuoteTx(tx, p.user_id, village_id, *pid, nid, message, ip, clock_.NowMs()));
    return RequestViewOf(p, *repo::FindQuoteRequest(tx, id));
  });
}

Task<std::vector<QuoteRequestView>> ContractsService::ListRequests(const Principal& p,
                                                                   std::optional<int64_t> village_id,
                                                                   std::optional<int64_t> org_id) {
  CC_CO_TRY(CheckScope(p, village_id, org_id));
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<QuoteRequestView>> {
    std::vector<QuoteRequestView> out;
    for (QuoteRequest& r : repo::ListQuoteRequests(tx, village_id, org_id, kListLimit)) {
      out.push_back(RequestViewOf(p, std::move(r)));
    }
    return out;
  });
}

Task<QuoteRequestView> ContractsService::GetRequest(const Principal& p, std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<QuoteRequestView> {
    CC_ASSIGN_OR_RETURN(QuoteRequest r, VisibleRequest(tx, p, id));
    return RequestViewOf(p, std::move(r));
  });
}

Task<QuoteRequestView> ContractsService::WithdrawRequest(const Principal& p, std::string id, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<QuoteRequestView> {
    CC_ASSIGN_OR_RETURN(const QuoteRequest r, VisibleRequest(tx, p, id));
    if (!IsVillageStaff(p, r.village_id)) {
      return Error::Forbidden();
    }
    const int64_t now = clock_.NowMs();
    if (!repo::WithdrawQuoteRequest(tx, r.id, now)) {
      return Error::Conflict("market.request_not_open");
    }
    Audit(tx, p.user_id, "market.quote_request.withdrawn", "market_quote_request", r.public_id, {}, ip, now);
    return RequestViewOf(p, *repo::FindQuoteRequest(tx, r.id));
  });
}

Result<int64_t> ContractsService::SubmitQuoteTx(db::Tx& tx, int64_t actor, int64_t request_id, Fen amount_fen,
                                                const std::string& note, const std::vector<MilestonePlan>& milestones,
                                                const std::string& ip, int64_t now_ms) {
  CC_TRY(CheckSchedule(amount_fen, milestones));
  const std::string public_id = NewPublicId();
  const auto id = repo::InsertQuote(tx, public_id, request_id, amount_fen, note, milestones, actor, now_ms);
  if (!id) {
    return Error::Conflict("market.request_not_open");
  }
  json::object detail = PlansAudit(amount_fen, milestones);
  detail["request_id"] = request_id;
  Audit(tx, actor, "market.quote.submitted", "market_quote", public_id, detail, ip, now_ms);
  return *id;
}

Task<Quote> ContractsService::SubmitQuote(const Principal& p, std::string request_id, Fen amount_fen, std::string note,
                                          std::vector<MilestonePlan> milestones, std::string ip) {
  CC_CO_TRY(CheckSchedule(amount_fen, milestones));
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Quote> {
    CC_ASSIGN_OR_RETURN(const QuoteRequest r, VisibleRequest(tx, p, request_id));
    if (!IsOrgStaff(p, r.org_id)) {
      return Error::Forbidden();
    }
    CC_ASSIGN_OR_RETURN(const int64_t id,
                        SubmitQuoteTx(tx, p.user_id, r.id, amount_fen, note, milestones, ip, clock_.NowMs()));
    return *repo::FindQuote(tx, id);
  });
}

Result<int64_t> ContractsService::AcceptQuoteTx(db::Tx& tx, int64_t actor, int64_t quote_id, const std::string& ip,
                                                int64_t now_ms) {
  const auto quote = repo::FindQuote(tx, quote_id);
  if (!quote) {
    return QuoteNotFound();
  }
  if (!repo::AcceptQuote(tx, quote_id, quote->request_id, now_ms)) {
    return Error::Conflict("market.quote_not_open");
  }
  const bool needs_decision = quote->amount_fen >= config_.decision_threshold_fen;
  const std::string status = needs_decision ? "awaiting_decision" : "active";
  const std::string public_id = NewPublicId();
  // The INSERT reads the village's collective economy: an urban community
  // gets nothing, and the transaction (the quote's acceptance too) is undone.
  const auto id = repo::InsertContract(tx, public_id, quote_id, status, needs_decision,
                                       config_.decision_threshold_fen, actor, now_ms);
  if (!id) {
    return Error::Unprocessable("market.not_rural", "village_id");
  }
  Audit(tx, actor, "market.contract.created", "market_contract", public_id,
        {{"quote_id", quote->public_id}, {"amount_fen", quote->amount_fen}, {"status", status}}, ip, now_ms);
  return *id;
}

Task<ContractView> ContractsService::AcceptQuote(const Principal& p, std::string quote_id, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const auto qid = IdOf(quote_id, [&](const std::string& s) { return repo::QuoteIdByPublicId(tx, s); });
    const auto quote = qid ? repo::FindQuote(tx, *qid) : std::nullopt;
    const auto request = quote ? repo::FindQuoteRequest(tx, quote->request_id) : std::nullopt;
    if (!request || !IsParty(p, request->village_id, request->org_id)) {
      return QuoteNotFound();
    }
    if (!IsVillageStaff(p, request->village_id)) {
      return Error::Forbidden();
    }
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const int64_t id, AcceptQuoteTx(tx, p.user_id, *qid, ip, now));
    return ContractViewOf(p, *repo::FindContract(tx, id, now));
  });
}

Task<Quote> ContractsService::DeclineQuote(const Principal& p, std::string quote_id, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Quote> {
    const auto qid = IdOf(quote_id, [&](const std::string& s) { return repo::QuoteIdByPublicId(tx, s); });
    const auto quote = qid ? repo::FindQuote(tx, *qid) : std::nullopt;
    const auto request = quote ? repo::FindQuoteRequest(tx, quote->request_id) : std::nullopt;
    if (!request || !IsParty(p, request->village_id, request->org_id)) {
      return QuoteNotFound();
    }
    if (!IsVillageStaff(p, request->village_id)) {
      return Error::Forbidden();
    }
    const int64_t now = clock_.NowMs();
    if (!repo::DeclineQuote(tx, *qid, now)) {
      return Error::Conflict("market.quote_not_open");
    }
    Audit(tx, p.user_id, "market.quote.declined", "market_quote", quote->public_id, {}, ip, now);
    return *repo::FindQuote(tx, *qid);
  });
}

// ---- Contracts

Task<std::vector<ContractView>> ContractsService::ListContracts(const Principal& p, std::optional<int64_t> village_id,
                                                                std::optional<int64_t> org_id) {
  CC_CO_TRY(CheckScope(p, village_id, org_id));
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<ContractView>> {
    std::vector<ContractView> out;
    for (Contract& c : repo::ListContracts(tx, village_id, org_id, clock_.NowMs(), kListLimit)) {
      out.push_back(ContractViewOf(p, std::move(c)));
    }
    return out;
  });
}

Task<ContractView> ContractsService::GetContract(const Principal& p, std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    CC_ASSIGN_OR_RETURN(Contract c, VisibleContract(tx, p, id, clock_.NowMs(), false));
    return ContractViewOf(p, std::move(c));
  });
}

Result<bool> ContractsService::RecordDecisionTx(db::Tx& tx, int64_t actor, int64_t contract_id, Decision d,
                                                const std::string& ip, int64_t now_ms) {
  const int64_t cast = d.votes_for + d.votes_against + d.votes_abstain;
  if (cast <= 0) {
    return Error::Unprocessable("market.votes_required", "votes_for");
  }
  if (d.minutes_image_id.empty() && d.minutes_text.empty()) {
    return Error::Unprocessable("market.minutes_required", "minutes_file_id");
  }
  d.passed = d.votes_for * 2 > cast;
  d.recorded_at_ms = now_ms;
  if (!repo::RecordDecision(tx, contract_id, d, config_.notice_days, now_ms)) {
    return Error::Conflict("market.contract_not_awaiting_decision");
  }
  const auto c = repo::FindContract(tx, contract_id, now_ms);
  Audit(tx, actor, "market.contract.decision", "market_contract", c->public_id,
        {{"meeting_kind", d.meeting_kind},
         {"held_on_ms", d.held_on_ms},
         {"votes_for", d.votes_for},
         {"votes_against", d.votes_against},
         {"votes_abstain", d.votes_abstain},
         {"passed", d.passed}},
        ip, now_ms);
  return true;
}

Task<ContractView> ContractsService::RecordDecision(const Principal& p, std::string id, Decision d, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    CC_TRY(RequireVillage(p, c));
    CC_TRY(RecordDecisionTx(tx, p.user_id, c.id, d, ip, now));
    return ContractViewOf(p, *repo::FindContract(tx, c.id, now));
  });
}

Task<Objection> ContractsService::FileObjection(const Principal& p, std::string id, std::string text,
                                                std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Objection> {
    // Objections are public: anyone signed in may file one on a contract in
    // notice, which the village's public page shows.
    const auto cid = IdOf(id, [&](const std::string& s) { return repo::ContractIdByPublicId(tx, s); });
    if (!cid) {
      return ContractNotFound();
    }
    const int64_t now = clock_.NowMs();
    const std::string public_id = NewPublicId();
    if (!repo::InsertObjection(tx, public_id, *cid, text, p.user_id, now)) {
      const auto c = repo::FindContract(tx, *cid, now);
      if (!c || c->status == "awaiting_decision") {
        return ContractNotFound();
      }
      return Error::Conflict("market.not_in_notice");
    }
    const auto c = repo::FindContract(tx, *cid, now);
    Audit(tx, p.user_id, "market.objection.filed", "market_contract", c->public_id, {{"objection_id", public_id}},
          ip, now);
    return c->objections.back();
  });
}

Task<ContractView> ContractsService::AnswerObjection(const Principal& p, std::string id, std::string objection_id,
                                                     std::string answer, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    CC_TRY(RequireVillage(p, c));
    if (!repo::AnswerObjection(tx, c.id, objection_id, answer, p.user_id, now)) {
      for (const Objection& o : c.objections) {
        if (o.public_id == objection_id) {
          return Error::Conflict("market.objection_answered");
        }
      }
      return Error::NotFound("market.objection_not_found");
    }
    Audit(tx, p.user_id, "market.objection.answered", "market_contract", c.public_id,
          {{"objection_id", objection_id}}, ip, now);
    repo::ActivateIfDue(tx, c.id, now);  // the last answer may end the wait
    return ContractViewOf(p, *repo::FindContract(tx, c.id, now));
  });
}

Result<bool> ContractsService::ReportMilestoneTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t n,
                                                 const repo::MilestoneReport& r, const std::string& ip,
                                                 int64_t now_ms) {
  if (!repo::ReportMilestone(tx, contract_id, n, r, now_ms)) {
    const auto c = repo::FindContract(tx, contract_id, now_ms);
    if (!MilestoneOf(*c, n)) {
      return Error::NotFound("market.milestone_not_found");
    }
    if (c->status != "active") {
      return Error::Conflict("market.contract_not_active");
    }
    return Error::Conflict("market.milestone_not_open");
  }
  const auto c = repo::FindContract(tx, contract_id, now_ms);
  Audit(tx, actor, "market.milestone.reported", "market_contract", c->public_id,
        {{"milestone", n}, {"beneficiaries", r.beneficiaries}}, ip, now_ms);
  return true;
}

Task<ContractView> ContractsService::ReportMilestone(const Principal& p, std::string id, int64_t n,
                                                     repo::MilestoneReport r, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    CC_TRY(RequireOrg(p, c));
    CC_TRY(ReportMilestoneTx(tx, p.user_id, c.id, n, r, ip, now));
    return ContractViewOf(p, *repo::FindContract(tx, c.id, now));
  });
}

Result<bool> ContractsService::ReviewMilestoneTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t n,
                                                 bool accept, const std::string& reason, const std::string& ip,
                                                 int64_t now_ms) {
  const bool done = accept ? repo::AcceptMilestone(tx, contract_id, n, now_ms)
                           : repo::ReturnMilestone(tx, contract_id, n, reason, now_ms);
  const auto c = repo::FindContract(tx, contract_id, now_ms);
  if (!done) {
    if (!MilestoneOf(*c, n)) {
      return Error::NotFound("market.milestone_not_found");
    }
    if (c->status != "active") {
      return Error::Conflict("market.contract_not_active");
    }
    return Error::Conflict("market.milestone_not_reported");
  }
  Audit(tx, actor, accept ? "market.milestone.accepted" : "market.milestone.returned", "market_contract",
        c->public_id, {{"milestone", n}, {"reason", reason}}, ip, now_ms);
  return true;
}

Task<ContractView> ContractsService::ReviewMilestone(const Principal& p, std::string id, int64_t n, bool accept,
                                                     std::string reason, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    CC_TRY(RequireVillage(p, c));
    CC_TRY(ReviewMilestoneTx(tx, p.user_id, c.id, n, accept, reason, ip, now));
    return ContractViewOf(p, *repo::FindContract(tx, c.id, now));
  });
}

Result<MilestonePayment> ContractsService::RecordPaymentTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t n,
                                                           Fen amount_fen, const std::string& voucher_no,
                                                           const std::string& ip, int64_t now_ms) {
  const auto payment_id = repo::InsertPayment(tx, contract_id, n, amount_fen, voucher_no, actor, now_ms);
  const auto c = repo::FindContract(tx, contract_id, now_ms);
  const Milestone* m = MilestoneOf(*c, n);
  if (!payment_id) {
    // The INSERT decided; the reads choose the words.
    if (!m) {
      return Error::NotFound("market.milestone_not_found");
    }
    if (m->payment) {
      return Error::Conflict("market.already_paid", "milestone");
    }
    if (m->status != "accepted") {
      return Error::Conflict("market.milestone_not_accepted", "milestone");
    }
    if (m->plan.amount_fen != amount_fen) {
      return Error::Unprocessable("market.payment_amount", "amount_fen");
    }
    return Error::Conflict("market.contract_not_active");
  }
  // In the same transaction: the village's own book (never the Care Fund's).
  // Its refusal (no funds, a voucher already used) undoes the payment too.
  const std::string memo = c->project_title + " · 第" + std::to_string(n) + "期 · " + m->plan.title;
  CC_ASSIGN_OR_RETURN(const villagebook::PaymentBooked booked,
                      villagebook::ledger::BookContractPaymentTx(tx, c->village_id, c->org_id, *payment_id, amount_fen,
                                                                 voucher_no, memo, actor, now_ms));
  repo::SettlePayment(tx, *payment_id, contract_id, amount_fen, booked.payment.seq, now_ms);
  Audit(tx, actor, "market.payment.recorded", "market_contract", c->public_id,
        {{"milestone", n}, {"amount_fen", amount_fen}, {"voucher_no", voucher_no}, {"book_seq", booked.payment.seq}},
        ip, now_ms);
  return MilestonePayment{amount_fen, voucher_no, now_ms, booked.payment.seq};
}

Task<PaymentRecorded> ContractsService::RecordPayment(const Principal& p, std::string id, int64_t n, Fen amount_fen,
                                                      std::string voucher_no, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<PaymentRecorded> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    CC_TRY(RequireVillage(p, c));
    CC_ASSIGN_OR_RETURN(MilestonePayment pay, RecordPaymentTx(tx, p.user_id, c.id, n, amount_fen, voucher_no, ip, now));
    return PaymentRecorded{n, std::move(pay), ContractViewOf(p, *repo::FindContract(tx, c.id, now))};
  });
}

Task<ContractView> ContractsService::ProposeAmendment(const Principal& p, std::string id, std::string reason,
                                                      Fen amount_fen, std::vector<MilestonePlan> milestones,
                                                      std::string ip) {
  CC_CO_TRY(CheckSchedule(amount_fen, milestones));
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    const bool village = IsVillageStaff(p, c.village_id);
    if (!village && !IsOrgStaff(p, c.org_id)) {
      return Error::Forbidden();
    }
    if (c.status != "active") {
      return Error::Conflict("market.contract_not_active");
    }
    // Steps already accepted (or paid) stay as they are, where they are.
    for (const Milestone& m : c.milestones) {
      const size_t i = static_cast<size_t>(m.n - 1);
      if (m.status == "accepted" && (i >= milestones.size() || !(milestones[i] == m.plan))) {
        return Error::Unprocessable("market.amendment_changes_done", "milestones[" + std::to_string(i) + "]");
      }
    }
    const std::string public_id = NewPublicId();
    if (!repo::InsertAmendment(tx, public_id, c.id, village ? "village" : "org", reason, amount_fen, milestones,
                               p.user_id, now)) {
      return Error::Conflict("market.amendment_open");
    }
    json::object detail = PlansAudit(amount_fen, milestones);
    detail["amendment_id"] = public_id;
    Audit(tx, p.user_id, "market.amendment.proposed", "market_contract", c.public_id, detail, ip, now);
    return ContractViewOf(p, *repo::FindContract(tx, c.id, now));
  });
}

Task<ContractView> ContractsService::DecideAmendment(const Principal& p, std::string id, std::string amendment_id,
                                                     bool accept, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    const Amendment* a = nullptr;
    for (const Amendment& x : c.amendments) {
      if (x.public_id == amendment_id) {
        a = &x;
      }
    }
    if (!a) {
      return Error::NotFound("market.amendment_not_found");
    }
    // The other side decides: the proposer cannot accept its own change.
    const bool other = a->proposed_by == "village" ? IsOrgStaff(p, c.org_id) : IsVillageStaff(p, c.village_id);
    if (!other) {
      return Error::Forbidden();
    }
    if (accept && c.status != "active") {
      return Error::Conflict("market.contract_not_active");
    }
    if (!repo::DecideAmendment(tx, a->id, accept, p.user_id, now)) {
      return Error::Conflict("market.amendment_not_open");
    }
    if (accept) {
      // Re-checked under this write: a step accepted since the proposal stays.
      for (const Milestone& m : c.milestones) {
        const size_t i = static_cast<size_t>(m.n - 1);
        if (m.status == "accepted" && (i >= a->milestones.size() || !(a->milestones[i] == m.plan))) {
          return Error::Unprocessable("market.amendment_changes_done", "milestones[" + std::to_string(i) + "]");
        }
      }
      repo::ApplySchedule(tx, c, a->amount_fen, a->milestones, now);
    }
    Audit(tx, p.user_id, accept ? "market.amendment.accepted" : "market.amendment.declined", "market_contract",
          c.public_id, {{"amendment_id", amendment_id}}, ip, now);
    return ContractViewOf(p, *repo::FindContract(tx, c.id, now));
  });
}

Task<Evaluation> ContractsService::Rate(const Principal& p, std::string id, int64_t stars, std::string comment) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Evaluation> {
    const auto cid = IdOf(id, [&](const std::string& s) { return repo::ContractIdByPublicId(tx, s); });
    if (!cid) {
      return ContractNotFound();
    }
    const int64_t now = clock_.NowMs();
    repo::ActivateIfDue(tx, *cid, now);
    // One statement decides: a resident of the village, a contract under
    // way or done, once per account (the primary key). Not audited, like
    // survey answers: the log does not say who rated.
    if (!repo::InsertRating(tx, *cid, p.user_id, stars, comment, now)) {
      if (repo::HasRated(tx, *cid, p.user_id)) {
        return Error::Conflict("market.already_rated");
      }
      const auto c = repo::FindContract(tx, *cid, now);
      if (!c || repo::HomeVillageOf(tx, p.user_id) != c->village_id) {
        return ContractNotFound();
      }
      return Error::Conflict("market.contract_not_active");
    }
    return Evaluation{stars, comment, now};
  });
}

Result<bool> ContractsService::EvaluateTx(db::Tx& tx, int64_t actor, int64_t contract_id, int64_t stars,
                                          const std::string& comment, const std::string& ip, int64_t now_ms) {
  const auto c = repo::FindContract(tx, contract_id, now_ms);
  bool any_accepted = false;
  for (const Milestone& m : c->milestones) {
    any_accepted = any_accepted || m.status == "accepted";
  }
  if (c->status != "completed" && !(c->status == "active" && any_accepted)) {
    return Error::Conflict("market.evaluation_too_early");
  }
  if (!repo::InsertEvaluation(tx, contract_id, stars, comment, actor, now_ms)) {
    return Error::Conflict("market.already_evaluated");
  }
  Audit(tx, actor, "market.evaluation.filed", "market_contract", c->public_id, {{"stars", stars}}, ip, now_ms);
  return true;
}

Task<ContractView> ContractsService::Evaluate(const Principal& p, std::string id, int64_t stars, std::string comment,
                                              std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ContractView> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const Contract c, VisibleContract(tx, p, id, now, true));
    CC_TRY(RequireVillage(p, c));
    CC_TRY(EvaluateTx(tx, p.user_id, c.id, stars, comment, ip, now));
    return ContractViewOf(p, *repo::FindContract(tx, c.id, now));
  });
}

// ---- The village's public page

Task<VillagePublicView> ContractsService::VillagePublic(int64_t village_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<VillagePublicView> {
    auto village = accounts::repo::FindVillage(tx, village_id);
    if (!village) {
      return Error::NotFound("village_not_found");
    }
    VillagePublicView v;
    v.village = std::move(*village);
    v.needs = repo::ListNeeds(tx, village_id, "open", kListLimit);
    for (Contract& c : repo::ListContracts(tx, village_id, std::nullopt, clock_.NowMs(), kListLimit)) {
      if (c.status == "in_notice") {
        v.in_notice.push_back(std::move(c));
      } else if (c.status == "active" || c.status == "completed") {
        v.contracted_fen += c.amount_fen;
        v.paid_fen += c.paid_fen;
        if (c.evaluation) {
          v.evaluations.push_back({c.public_id, c.project_title, c.org_name, *c.evaluation});
        }
        v.contracts.push_back(std::move(c));
      }
    }
    v.payments = repo::VillagePayments(tx, village_id, kListLimit);
    return v;
  });
}

}  // namespace carecity::market
