// /api/v1/market/quote-requests, quotes, contracts and
// /api/v1/villages/{id}/public: parsing and JSON only; ContractsService
// decides every permission. The contract: docs/api-market.md "Purchase".
#include <boost/json.hpp>

#include "domains/accounts/routes.h"
#include "domains/market/routes.h"
#include "http/answer.h"
#include "http/json.h"

namespace carecity::market {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::ListAnswer;
using http::OneAnswer;
using http::Opt;
using http::Request;
using http::Response;

struct Deps {
  ContractsService& contracts;
  AccountsService& accounts;
};

json::array PlansJson(const std::vector<MilestonePlan>& plans) {
  json::array a;
  int64_t n = 0;
  for (const MilestonePlan& m : plans) {
    a.push_back(json::object{{"n", ++n},
                             {"title", m.title},
                             {"due_ms", m.due_ms},
                             {"amount_fen", m.amount_fen},
                             {"deliverables", m.deliverables}});
  }
  return a;
}

json::object QuoteJson(const Quote& q) {
  return json::object{{"id", q.public_id},
                      {"quote_request_id", q.request_public_id},
                      {"amount_fen", q.amount_fen},
                      {"note", q.note},
                      {"milestones", PlansJson(q.milestones)},
                      {"status", q.status},
                      {"created_at_ms", q.created_at_ms}};
}

json::object RequestJson(const QuoteRequestView& v) {
  const QuoteRequest& r = v.request;
  json::array quotes;
  for (const Quote& q : r.quotes) {
    quotes.push_back(QuoteJson(q));
  }
  return json::object{{"id", r.public_id},
                      {"village_id", r.village_id},
                      {"village_name", r.village_name},
                      {"village_rural", r.village_rural},
                      {"project_id", r.project_public_id},
                      {"project_title", r.project_title},
                      {"org_id", r.org_id},
                      {"org_name", r.org_name},
                      {"need_id", Opt(r.need_public_id)},
                      {"need_title", Opt(r.need_title)},
                      {"message", r.message},
                      {"status", r.status},
                      {"created_at_ms", r.created_at_ms},
                      {"quotes", quotes},
                      {"can_quote", v.can_quote},
                      {"can_accept", v.can_accept}};
}

json::value DecisionJson(const std::optional<Decision>& d) {
  if (!d) {
    return nullptr;
  }
  return json::object{{"meeting_kind", d->meeting_kind},
                      {"held_on_ms", d->held_on_ms},
                      {"votes_for", d->votes_for},
                      {"votes_against", d->votes_against},
                      {"votes_abstain", d->votes_abstain},
                      {"minutes_file_id", d->minutes_image_id.empty() ? json::value(nullptr)
                                                                      : json::value(d->minutes_image_id)},
                      {"minutes_text", d->minutes_text},
                      {"passed", d->passed},
                      {"recorded_at_ms", d->recorded_at_ms}};
}

json::value NoticeJson(const Contract& c) {
  if (!c.notice_ends_at_ms) {
    return nullptr;
  }
  return json::object{{"starts_at_ms", Opt(c.notice_starts_at_ms)},
                      {"ends_at_ms", *c.notice_ends_at_ms},
                      {"days", Opt(c.notice_days)}};
}

json::object ObjectionJson(const Objection& o) {
  return json::object{{"id", o.public_id},
                      {"text", o.text},
                      {"answer", Opt(o.answer)},
                      {"created_at_ms", o.created_at_ms},
                      {"answered_at_ms", Opt(o.answered_at_ms)}};
}

json::array ObjectionsJson(const Contract& c) {
  json::array a;
  for (const Objection& o : c.objections) {
    a.push_back(ObjectionJson(o));
  }
  return a;
}

// `full`: the parties see the reports; the public sees the steps' state.
json::array MilestonesJson(const Contract& c, bool full) {
  json::array a;
  for (const Milestone& m : c.milestones) {
    json::object o{{"n", m.n},
                   {"title", m.plan.title},
                   {"due_ms", m.plan.due_ms},
                   {"amount_fen", m.plan.amount_fen},
                   {"status", m.status}};
    if (full) {
      o["deliverables"] = m.plan.deliverables;
      json::array photos;
      for (const std::string& id : m.report_photo_ids) {
        photos.emplace_back(id);
      }
      o["report"] = m.reported_at_ms ? json::value(json::object{{"text", m.report_text},
                                                               {"beneficiaries", m.report_beneficiaries},
                                                               {"photo_ids", photos},
                                                               {"event_id", Opt(m.report_event_id)},
                                                               {"reported_at_ms", *m.reported_at_ms}})
                                     : json::value(nullptr);
      o["return_reason"] = m.return_reason;
      o["accepted_at_ms"] = Opt(m.accepted_at_ms);
      o["payment"] = m.payment ? json::value(json::object{{"amount_fen", m.payment->amount_fen},
                                                          {"voucher_no", m.payment->voucher_no},
                                                          {"paid_at_ms", m.payment->paid_at_ms},
                                                          {"book_seq", Opt(m.payment->book_seq)}})
                               : json::value(nullptr);
    }
    a.push_back(std::move(o));
  }
  return a;
}

json::value EvaluationJson(const std::optional<Evaluation>& e) {
  if (!e) {
    return nullptr;
  }
  return json::object{{"stars", e->stars}, {"comment", e->comment}, {"created_at_ms", e->created_at_ms}};
}

// Residents' ratings: how many, and the average stars × 10.
json::object RatingJson(const Contract& c) {
  return json::object{{"count", c.rating_count},
                      {"average_x10", c.rating_count > 0 ? c.rating_sum * 10 / c.rating_count : 0}};
}

json::object ContractJson(const ContractView& v) {
  const Contract& c = v.contract;
  json::array amendments;
  for (const Amendment& a : c.amendments) {
    amendments.push_back(json::object{{"id", a.public_id},
                                      {"proposed_by", a.proposed_by},
                                      {"reason", a.reason},
                                      {"amount_fen", a.amount_fen},
                                      {"milestones", PlansJson(a.milestones)},
                                      {"status", a.status},
                                      {"created_at_ms", a.created_at_ms},
                                      {"decided_at_ms", Opt(a.decided_at_ms)}});
  }
  return json::object{
      {"id", c.public_id},
      {"version", c.version},
      {"village_id", c.village_id},
      {"village_name", c.village_name},
      {"org_id", c.org_id},
      {"org_name", c.org_name},
      {"project_id", c.project_public_id},
      {"project_title", c.project_title},
      {"quote_id", c.quote_public_id},
      {"amount_fen", c.amount_fen},
      {"paid_fen", c.paid_fen},
      {"status", c.status},
      {"needs_decision", c.needs_decision},
      {"threshold_fen", c.threshold_fen},
      {"decision", DecisionJson(c.decision)},
      {"notice", NoticeJson(c)},
      {"objections", ObjectionsJson(c)},
      {"milestones", MilestonesJson(c, true)},
      {"amendments", amendments},
      {"evaluation", EvaluationJson(c.evaluation)},
      {"rating", RatingJson(c)},
      {"created_at_ms", c.created_at_ms},
      {"activated_at_ms", Opt(c.activated_at_ms)},
      {"can_manage", v.can_manage},
      {"can_report", v.can_report}};
}

// What the village's public page shows of a contract: no person, no report text.
json::object PublicContractJson(const Contract& c) {
  return json::object{{"id", c.public_id},
                      {"project_id", c.project_public_id},
                      {"project_title", c.project_title},
                      {"org_name", c.org_name},
                      {"amount_fen", c.amount_fen},
                      {"paid_fen", c.paid_fen},
                      {"status", c.status},
                      {"decision", DecisionJson(c.decision)},
                      {"notice", NoticeJson(c)},
                      {"objections", ObjectionsJson(c)},
                      {"milestones", MilestonesJson(c, false)},
                      {"rating", RatingJson(c)},
                      {"created_at_ms", c.created_at_ms}};
}

std::vector<MilestonePlan> ReadPlans(Fields& f) {
  std::vector<MilestonePlan> plans;
  f.Objects("milestones", 12, true, [&plans](Fields& item, size_t) {
    MilestonePlan m;
    m.title = item.String("title", {.min = 1, .max = 100}).value_or("");
    m.due_ms = item.Int("due_ms", {.min = 1}).value_or(0);
    m.amount_fen = item.Int("amount_fen", {.min = 1, .max = kMaxFen}).value_or(0);
    m.deliverables = item.String("deliverables", {.required = false, .max = 500}).value_or("");
    plans.push_back(std::move(m));
  });
  return plans;
}

// Reads `village_id` or `org_id` from the query (at least one).
struct Scope {
  std::optional<int64_t> village_id;
  std::optional<int64_t> org_id;
};
Result<Scope> ReadScope(const Request& req) {
  CC_ASSIGN_OR_RETURN(const auto village, http::QueryId(req, "village_id"));
  CC_ASSIGN_OR_RETURN(const auto org, http::QueryId(req, "org_id"));
  if (!village && !org) {
    return Error::Invalid("missing_field", "village_id");
  }
  return Scope{village, org};
}

Result<int64_t> MilestoneParam(const Request& req) {
  const std::string_view s = req.Param("n");
  int64_t n = 0;
  for (const char ch : s) {
    if (ch < '0' || ch > '9' || n > 1000) {
      return Error::NotFound("market.milestone_not_found");
    }
    n = n * 10 + (ch - '0');
  }
  if (n < 1) {
    return Error::NotFound("market.milestone_not_found");
  }
  return n;
}

// ---- Quote requests and quotes

awaitable<Response> RequestQuote(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t village_id = f.Int("village_id", {.min = 1}).value_or(0);
  auto project_id = f.String("project_id", {.min = 1, .max = 40});
  auto need_id = f.String("need_id", {.required = false, .min = 1, .max = 40});
  auto message = f.String("message", {.required = false, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.RequestQuote(p, village_id, std::move(*project_id), std::move(need_id),
                                             message.value_or(""), std::move(ip));
  co_return OneAnswer(r, req, "quote_request", RequestJson, 201);
}

awaitable<Response> ListRequests(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto scope = ReadScope(req);
  if (!scope.ok()) {
    co_return Err(scope.error(), req);
  }
  auto r = co_await d.contracts.ListRequests(p, scope->village_id, scope->org_id);
  co_return ListAnswer(r, req, "quote_requests", RequestJson);
}

awaitable<Response> GetRequest(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.contracts.GetRequest(p, std::string(req.Param("id")));
  co_return OneAnswer(r, req, "quote_request", RequestJson);
}

awaitable<Response> WithdrawRequest(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.WithdrawRequest(p, std::string(req.Param("id")), std::move(ip));
  co_return OneAnswer(r, req, "quote_request", RequestJson);
}

awaitable<Response> SubmitQuote(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto request_id = f.String("quote_request_id", {.min = 1, .max = 40});
  const Fen amount = f.Int("amount_fen", {.min = 1, .max = kMaxFen}).value_or(0);
  auto note = f.String("note", {.required = false, .max = 2000, .multiline = true});
  std::vector<MilestonePlan> plans = ReadPlans(f);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.SubmitQuote(p, std::move(*request_id), amount, note.value_or(""), std::move(plans),
                                            std::move(ip));
  co_return OneAnswer(r, req, "quote", QuoteJson, 201);
}

awaitable<Response> AcceptQuote(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.AcceptQuote(p, std::string(req.Param("id")), std::move(ip));
  co_return OneAnswer(r, req, "contract", ContractJson, 201);
}

awaitable<Response> DeclineQuote(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.DeclineQuote(p, std::string(req.Param("id")), std::move(ip));
  co_return OneAnswer(r, req, "quote", QuoteJson);
}

// ---- Contracts

awaitable<Response> ListContracts(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto scope = ReadScope(req);
  if (!scope.ok()) {
    co_return Err(scope.error(), req);
  }
  auto r = co_await d.contracts.ListContracts(p, scope->village_id, scope->org_id);
  co_return ListAnswer(r, req, "contracts", ContractJson);
}

awaitable<Response> GetContract(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.contracts.GetContract(p, std::string(req.Param("id")));
  co_return OneAnswer(r, req, "contract", ContractJson);
}

awaitable<Response> RecordDecision(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  Decision dec;
  dec.meeting_kind = f.String("meeting_kind", {.min = 1, .max = 20}).value_or("");
  if (!dec.meeting_kind.empty() && !IsMeetingKind(dec.meeting_kind)) {
    f.Fail(Error::Invalid("invalid_value", "meeting_kind"));
  }
  dec.held_on_ms = f.Int("held_on_ms", {.min = 1}).value_or(0);
  dec.votes_for = f.Int("votes_for", {.min = 0, .max = 100'000}).value_or(0);
  dec.votes_against = f.Int("votes_against", {.min = 0, .max = 100'000}).value_or(0);
  dec.votes_abstain = f.Int("votes_abstain", {.min = 0, .max = 100'000}).value_or(0);
  dec.minutes_image_id = f.String("minutes_file_id", {.required = false, .min = 1, .max = 80}).value_or("");
  dec.minutes_text = f.String("minutes_text", {.required = false, .max = 5000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.RecordDecision(p, std::string(req.Param("id")), std::move(dec), std::move(ip));
  co_return OneAnswer(r, req, "contract", ContractJson);
}

awaitable<Response> FileObjection(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto text = f.String("text", {.min = 1, .max = 1000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.FileObjection(p, std::string(req.Param("id")), std::move(*text), std::move(ip));
  co_return OneAnswer(r, req, "objection", ObjectionJson, 201);
}

awaitable<Response> AnswerObjection(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto answer = f.String("answer", {.min = 1, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.AnswerObjection(p, std::string(req.Param("id")), std::string(req.Param("oid")),
                                                std::move(*answer), std::move(ip));
  co_return OneAnswer(r, req, "contract", ContractJson);
}

awaitable<Response> ReportMilestone(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto n = MilestoneParam(req);
  if (!n.ok()) {
    co_return Err(n.error(), req);
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  repo::MilestoneReport r;
  r.text = f.String("text", {.min = 1, .max = 5000, .multiline = true}).value_or("");
  r.beneficiaries = f.Int("beneficiaries", {.required = false, .min = 0, .max = 10'000'000}).value_or(0);
  r.photo_ids = f.Strings("photo_ids", {.min = 1, .max = 80}, 9, false).value_or(std::vector<std::string>{});
  r.event_id = f.String("event_id", {.required = false, .min = 1, .max = 40});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto c = co_await d.contracts.ReportMilestone(p, std::string(req.Param("id")), *n, std::move(r), std::move(ip));
  co_return OneAnswer(c, req, "contract", ContractJson);
}

awaitable<Response> ReviewMilestone(Deps d, Request& req, bool accept) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto n = MilestoneParam(req);
  if (!n.ok()) {
    co_return Err(n.error(), req);
  }
  std::string reason;
  if (!accept) {
    CC_PARSE_BODY(body, req);
    Fields f(body);
    reason = f.String("reason", {.min = 1, .max = 1000, .multiline = true}).value_or("");
    if (auto s = f.Finish(); !s.ok()) {
      co_return Err(s.error(), req);
    }
  }
  std::string ip = req.remote_ip;
  auto c = co_await d.contracts.ReviewMilestone(p, std::string(req.Param("id")), *n, accept, std::move(reason),
                                                std::move(ip));
  co_return OneAnswer(c, req, "contract", ContractJson);
}

awaitable<Response> AcceptMilestone(Deps d, Request& req) { co_return co_await ReviewMilestone(d, req, true); }
awaitable<Response> ReturnMilestone(Deps d, Request& req) { co_return co_await ReviewMilestone(d, req, false); }

awaitable<Response> RecordPayment(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t n = f.Int("milestone", {.min = 1, .max = 12}).value_or(0);
  const Fen amount = f.Int("amount_fen", {.min = 1, .max = kMaxFen}).value_or(0);
  auto voucher = f.String("voucher_no", {.min = 1, .max = 40});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.RecordPayment(p, std::string(req.Param("id")), n, amount, std::move(*voucher),
                                              std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(
      201, json::object{{"payment", json::object{{"milestone", r->milestone},
                                                 {"amount_fen", r->payment.amount_fen},
                                                 {"voucher_no", r->payment.voucher_no},
                                                 {"paid_at_ms", r->payment.paid_at_ms},
                                                 {"book_seq", Opt(r->payment.book_seq)}}},
                        {"contract", ContractJson(r->contract)}});
}

awaitable<Response> ProposeAmendment(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto reason = f.String("reason", {.min = 1, .max = 2000, .multiline = true});
  const Fen amount = f.Int("amount_fen", {.min = 1, .max = kMaxFen}).value_or(0);
  std::vector<MilestonePlan> plans = ReadPlans(f);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.ProposeAmendment(p, std::string(req.Param("id")), std::move(*reason), amount,
                                                 std::move(plans), std::move(ip));
  co_return OneAnswer(r, req, "contract", ContractJson, 201);
}

awaitable<Response> DecideAmendment(Deps d, Request& req, bool accept) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.DecideAmendment(p, std::string(req.Param("id")), std::string(req.Param("aid")), accept,
                                                std::move(ip));
  co_return OneAnswer(r, req, "contract", ContractJson);
}

awaitable<Response> AcceptAmendment(Deps d, Request& req) { co_return co_await DecideAmendment(d, req, true); }
awaitable<Response> DeclineAmendment(Deps d, Request& req) { co_return co_await DecideAmendment(d, req, false); }

struct Stars {
  int64_t stars = 0;
  std::string comment;
};
Result<Stars> ReadStars(const json::object& body) {
  Fields f(body);
  Stars s;
  s.stars = f.Int("stars", {.min = 1, .max = 5}).value_or(0);
  s.comment = f.String("comment", {.required = false, .max = 500, .multiline = true}).value_or("");
  CC_TRY(f.Finish());
  return s;
}

awaitable<Response> Rate(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  auto s = ReadStars(body);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.contracts.Rate(p, std::string(req.Param("id")), s->stars, std::move(s->comment));
  co_return OneAnswer(r, req, "rating", [](const Evaluation& e) { return EvaluationJson(e).as_object(); }, 201);
}

awaitable<Response> Evaluate(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  auto s = ReadStars(body);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.contracts.Evaluate(p, std::string(req.Param("id")), s->stars, std::move(s->comment),
                                         std::move(ip));
  co_return OneAnswer(r, req, "contract", ContractJson, 201);
}

// ---- The village's public page (村务公开)

awaitable<Response> VillagePublic(Deps d, Request& req) {
  int64_t village_id = 0;
  for (const char ch : req.Param("id")) {
    if (ch < '0' || ch > '9' || village_id > 1'000'000'000) {
      co_return Err(Error::NotFound("village_not_found"), req);
    }
    village_id = village_id * 10 + (ch - '0');
  }
  auto r = co_await d.contracts.VillagePublic(village_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array needs;
  for (const Need& n : r->needs) {
    needs.push_back(NeedJson(n));
  }
  json::array in_notice;
  for (const Contract& c : r->in_notice) {
    in_notice.push_back(PublicContractJson(c));
  }
  json::array contracts;
  for (const Contract& c : r->contracts) {
    contracts.push_back(PublicContractJson(c));
  }
  json::array payments;
  for (const PublicPayment& x : r->payments) {
    payments.push_back(json::object{{"contract_id", x.contract_public_id},
                                    {"project_title", x.project_title},
                                    {"org_name", x.org_name},
                                    {"milestone", x.milestone},
                                    {"milestone_title", x.milestone_title},
                                    {"amount_fen", x.amount_fen},
                                    {"voucher_no", x.voucher_no},
                                    {"paid_at_ms", x.paid_at_ms},
                                    {"book_seq", Opt(x.book_seq)}});
  }
  json::array evaluations;
  for (const PublicEvaluation& e : r->evaluations) {
    evaluations.push_back(json::object{{"contract_id", e.contract_public_id},
                                       {"project_title", e.project_title},
                                       {"org_name", e.org_name},
                                       {"stars", e.evaluation.stars},
                                       {"comment", e.evaluation.comment}});
  }
  const accounts::Village& v = r->village;
  co_return http::JsonResponse(
      200, json::object{{"village", json::object{{"id", v.id},
                                                 {"name", v.name},
                                                 {"rural", v.collective_economy},
                                                 {"kind", v.kind}}},
                        {"needs", needs},
                        {"in_notice", in_notice},
                        {"contracts", contracts},
                        {"payments", payments},
                        {"evaluations", evaluations},
                        {"totals", json::object{{"contracts", static_cast<int64_t>(r->contracts.size())},
                                                {"contracted_fen", r->contracted_fen},
                                                {"paid_fen", r->paid_fen}}}});
}

}  // namespace

void RegisterContractRoutes(http::Router& router, ContractsService& contracts, AccountsService& accounts) {
  const auto bind = [&contracts, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&contracts, &accounts, fn](Request& req) { return fn(Deps{contracts, accounts}, req); };
  };
  router.Add("POST", "/api/v1/market/quote-requests", bind(RequestQuote));
  router.Add("GET", "/api/v1/market/quote-requests", bind(ListRequests));
  router.Add("GET", "/api/v1/market/quote-requests/{id}", bind(GetRequest));
  router.Add("POST", "/api/v1/market/quote-requests/{id}/withdraw", bind(WithdrawRequest));
  router.Add("POST", "/api/v1/market/quotes", bind(SubmitQuote));
  router.Add("POST", "/api/v1/market/quotes/{id}/accept", bind(AcceptQuote));
  router.Add("POST", "/api/v1/market/quotes/{id}/decline", bind(DeclineQuote));
  router.Add("GET", "/api/v1/market/contracts", bind(ListContracts));
  router.Add("GET", "/api/v1/market/contracts/{id}", bind(GetContract));
  router.Add("POST", "/api/v1/market/contracts/{id}/decision", bind(RecordDecision));
  router.Add("POST", "/api/v1/market/contracts/{id}/objections", bind(FileObjection));
  router.Add("POST", "/api/v1/market/contracts/{id}/objections/{oid}/answer", bind(AnswerObjection));
  router.Add("POST", "/api/v1/market/contracts/{id}/milestones/{n}/report", bind(ReportMilestone));
  router.Add("POST", "/api/v1/market/contracts/{id}/milestones/{n}/accept", bind(AcceptMilestone));
  router.Add("POST", "/api/v1/market/contracts/{id}/milestones/{n}/return", bind(ReturnMilestone));
  router.Add("POST", "/api/v1/market/contracts/{id}/payments", bind(RecordPayment));
  router.Add("POST", "/api/v1/market/contracts/{id}/amendments", bind(ProposeAmendment));
  router.Add("POST", "/api/v1/market/contracts/{id}/amendments/{aid}/accept", bind(AcceptAmendment));
  router.Add("POST", "/api/v1/market/contracts/{id}/amendments/{aid}/decline", bind(DeclineAmendment));
  router.Add("POST", "/api/v1/market/contracts/{id}/ratings", bind(Rate));
  router.Add("POST", "/api/v1/market/contracts/{id}/evaluation", bind(Evaluate));
  router.Add("GET", "/api/v1/villages/{id}/public", bind(VillagePublic));
}

}  // namespace carecity::market
