#include "domains/grants/routes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

#include "core/crypto.h"
#include "domains/accounts/routes.h"
#include "domains/grants/attachment_routes.h"
#include "http/json.h"

namespace carecity::grants {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::Opt;
using http::Request;
using http::Response;

constexpr size_t kLongText = 5000;
constexpr http::StringRule kTypeRule{.min = 1, .max = 20};

struct Deps {
  GrantsService& grants;
  AccountsService& accounts;
};

int64_t Now(const Deps& d) { return d.grants.clock().NowMs(); }

// The draft's fields, shared by create (POST) and amend (PUT).
ApplicationDraft ReadDraft(Fields& f) {
  ApplicationDraft d;
  const http::StringRule text{.required = false, .max = kLongText, .multiline = true};
  d.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  d.project_type = f.String("project_type", kTypeRule).value_or("");
  d.summary = f.String("summary", text).value_or("");
  d.beneficiaries = f.String("beneficiaries", text).value_or("");
  d.beneficiary_count = f.Int("beneficiary_count", {.required = false, .min = 0, .max = 10'000'000}).value_or(0);
  d.goals = f.String("goals", text).value_or("");
  d.indicators = f.String("indicators", text).value_or("");
  d.activities = f.String("activities", text).value_or("");
  d.starts_at_ms = f.Int("starts_at_ms", {.required = false, .min = 1});
  d.ends_at_ms = f.Int("ends_at_ms", {.required = false, .min = 1});
  if (auto v = http::IdArray(f.Raw("villages"), "villages", kMaxVillages); v.ok()) {
    d.village_ids = *v;
  } else {
    f.Fail(v.error());
  }
  f.Objects("budget_lines", kMaxBudgetLines, false, [&d](Fields& item, size_t) {
    auto name = item.String("item", {.min = 1, .max = 100});
    auto amount = item.Int("amount_fen", {.min = 1, .max = kMaxFen});
    if (name && amount) {
      d.budget_lines.push_back({*name, *amount});
    }
  });
  d.requested_fen = f.Int("requested_fen", {.min = 1, .max = kMaxFen}).value_or(0);
  d.funding_mode = f.String("funding_mode", {.min = 1, .max = 20}).value_or("");
  if (!d.funding_mode.empty() && !IsFundingMode(d.funding_mode)) {
    f.Fail(Error::Invalid("invalid_value", "funding_mode"));
  }
  f.Objects("co_funders", kMaxCoFunders, false, [&d](Fields& item, size_t) {
    auto name = item.String("name", {.min = 1, .max = 100});
    auto org = item.Int("org_id", {.required = false, .min = 1});
    auto share = item.Int("share_fen", {.min = 1, .max = kMaxFen});
    if (name && share) {
      d.co_funders.push_back({*name, org, *share});
    }
  });
  d.partner_name = f.String("partner_name", {.required = false, .max = 100}).value_or("");
  d.in_kind_note = f.String("in_kind_note", {.required = false, .max = 1000, .multiline = true}).value_or("");
  d.in_kind_fen = f.Int("in_kind_fen", {.required = false, .min = 0, .max = kMaxFen}).value_or(0);
  d.sponsorship_id = f.Int("sponsorship_id", {.required = false, .min = 1});
  return d;
}

Response AppAnswer(const Result<ViewedApplication>& r, const Deps& d, const Request& req, int status = 200) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(status, json::object{{"application", ApplicationJson(*r, Now(d))}});
}

// ---- Calls

awaitable<Response> CreateCall(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewCall in;
  in.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  in.description = f.String("description", {.required = false, .max = kLongText, .multiline = true}).value_or("");
  in.project_types = f.Strings("project_types", kTypeRule, kMaxProjectTypes).value_or(std::vector<std::string>{});
  in.budget_fen = f.Int("budget_fen", {.min = 1, .max = kMaxFen}).value_or(0);
  in.cap_fen = f.Int("cap_fen", {.min = 1, .max = kMaxFen}).value_or(0);
  in.opens_at_ms = f.Int("opens_at_ms", {.min = 1}).value_or(0);
  in.closes_at_ms = f.Int("closes_at_ms", {.min = 1}).value_or(0);
  in.support_closes_at_ms = f.Int("support_closes_at_ms", {.required = false, .min = 1});
  in.review_at_ms = f.Int("review_at_ms", {.required = false, .min = 1});
  in.notice_at_ms = f.Int("notice_at_ms", {.required = false, .min = 1});
  in.funding_modes = f.Strings("funding_modes", {.min = 1, .max = 20}, 3).value_or(std::vector<std::string>{});
  in.min_cofunding_pct = f.Int("min_cofunding_pct", {.required = false, .min = 0, .max = 100}).value_or(0);
  in.min_org_rating = f.String("min_org_rating", {.required = false, .max = 2});
  f.Object("panel", true, [&in](Fields& panel) {
    in.panel_experts = panel.Int("experts", {.min = 0, .max = 9}).value_or(0);
    in.panel_citizens = panel.Int("citizens", {.min = 0, .max = 9}).value_or(0);
  });
  f.Objects("rubric", kMaxRubric, true, [&in](Fields& item, size_t) {
    auto criterion = item.String("criterion", {.min = 1, .max = 20});
    auto weight = item.Int("weight", {.min = 1, .max = 100});
    if (criterion && weight) {
      in.rubric.push_back({*criterion, *weight});
    }
  });
  in.expert_weight_pct = f.Int("expert_weight_pct", {.required = false, .min = 0, .max = 100});
  in.normalise = f.Bool("normalise", false).value_or(false);
  in.purpose_id = f.Int("purpose_id", {.required = false, .min = 1});
  in.objection_days = f.Int("objection_days", {.required = false, .min = 0, .max = 60}).value_or(7);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.CreateCall(p, std::move(in), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"call", CallJson(*r, Now(d))}});
}

awaitable<Response> ListCalls(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  auto r = co_await d.grants.ListCalls(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array calls;
  for (const Call& c : *r) {
    calls.push_back(CallJson(c, Now(d)));
  }
  co_return http::JsonResponse(200, json::object{{"calls", calls}, {"now_ms", Now(d)}});
}

awaitable<Response> GetCall(Deps d, Request& req) {
  std::string id(req.Param("id"));
  auto r = co_await d.grants.GetCall(std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"call", CallJson(*r, Now(d))}, {"now_ms", Now(d)}});
}

awaitable<Response> ExtendCall(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto closes = f.Int("closes_at_ms", {.min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.ExtendCall(p, std::move(id), *closes, std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"call", CallJson(*r, Now(d))}});
}

awaitable<Response> CallApplications(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  std::string status = req.Query("status").value_or("");
  auto r = co_await d.grants.CallApplications(p, std::move(id), std::move(status));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array apps;
  for (const Application& a : *r) {
    apps.push_back(ApplicationSummaryJson(a));
  }
  co_return http::JsonResponse(200, json::object{{"applications", apps}});
}

// ---- Applications

awaitable<Response> CreateApplication(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  // Optional here: with one, a retried create answers the first draft.
  auto k = http::OptionalIdempotencyKey(req);
  if (!k.ok()) {
    co_return Err(k.error(), req);
  }
  std::string key = *k;
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto call_id = f.String("call_id", {.min = 1, .max = 40});
  auto org_id = f.Int("org_id", {.min = 1});
  ApplicationDraft draft = ReadDraft(f);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.CreateApplication(p, *call_id, *org_id, std::move(draft), std::move(key), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  std::string app_id = r->public_id;
  const std::optional<Principal> viewer = p;
  auto v = co_await d.grants.View(viewer, std::move(app_id));
  co_return AppAnswer(v, d, req, 201);
}

awaitable<Response> GetApplication(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.View(p, std::move(id));
  co_return AppAnswer(r, d, req);
}

awaitable<Response> AmendApplication(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  ApplicationDraft draft = ReadDraft(f);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.Amend(p, std::move(id), std::move(draft), std::move(ip));
  co_return AppAnswer(r, d, req);
}

awaitable<Response> SubmitApplication(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.Submit(p, std::move(id), std::move(ip));
  co_return AppAnswer(r, d, req);
}

awaitable<Response> WithdrawApplication(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.Withdraw(p, std::move(id), std::move(ip));
  co_return AppAnswer(r, d, req);
}

awaitable<Response> SetEligibility(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto eligible = f.Bool("eligible");
  auto note = f.String("note", {.required = false, .max = 1000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.SetEligibility(p, std::move(id), *eligible, note.value_or(""), std::move(ip));
  co_return AppAnswer(r, d, req);
}

awaitable<Response> Support(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.Support(p, std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"support_count", r->app.support_count},
                                                 {"counted", r->counted},
                                                 {"already_voted", !r->counted}});
}

awaitable<Response> MyApplications(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.grants.MyApplications(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array apps;
  for (const Application& a : *r) {
    apps.push_back(ApplicationSummaryJson(a));
  }
  co_return http::JsonResponse(200, json::object{{"applications", apps}});
}

// ---- Reviewers

Response ReviewerAnswer(const Result<Reviewer>& r, const Request& req, int status) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(status, json::object{{"reviewer", ReviewerJson(*r, true)}});
}

awaitable<Response> AddReviewer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewReviewer in;
  in.user_id = f.Int("user_id", {.min = 1});
  auto kind = f.String("kind", {.required = false, .max = 10});
  in.project_types = f.Strings("project_types", kTypeRule, kMaxProjectTypes).value_or(std::vector<std::string>{});
  in.load_cap = f.Int("load_cap", {.required = false, .min = 1, .max = 50}).value_or(0);
  in.title = f.String("title", {.required = false, .max = 100}).value_or("");
  in.statement = f.String("statement", {.required = false, .max = 2000, .multiline = true}).value_or("");
  if (kind && *kind != "expert") {
    f.Fail(Error::Invalid("invalid_value", "kind"));
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.AddExpert(p, std::move(in), std::move(ip));
  co_return ReviewerAnswer(r, req, 201);
}

awaitable<Response> ApplyReviewer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewReviewer in;
  in.statement = f.String("statement", {.min = 1, .max = 2000, .multiline = true}).value_or("");
  in.project_types = f.Strings("project_types", kTypeRule, kMaxProjectTypes).value_or(std::vector<std::string>{});
  in.village_id = f.Int("village_id", {.required = false, .min = 1});
  in.declarations = f.String("declarations", {.required = false, .max = 2000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.ApplyCitizen(p, std::move(in), std::move(ip));
  co_return ReviewerAnswer(r, req, 201);
}

awaitable<Response> DecideReviewer(Deps d, Request& req, bool approve) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.DecideReviewer(p, std::move(id), approve, std::move(ip));
  co_return ReviewerAnswer(r, req, 200);
}
awaitable<Response> ApproveReviewer(Deps d, Request& req) { return DecideReviewer(d, req, true); }
awaitable<Response> RejectReviewer(Deps d, Request& req) { return DecideReviewer(d, req, false); }

awaitable<Response> DeclareConflict(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewConflict in;
  in.org_id = f.Int("org_id", {.required = false, .min = 1});
  in.village_id = f.Int("village_id", {.required = false, .min = 1});
  in.note = f.String("note", {.required = false, .max = 500, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.DeclareConflict(p, std::move(id), std::move(in), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"conflict", json::object{{"org_id", Opt(r->org_id)},
                                                                           {"village_id", Opt(r->village_id)},
                                                                           {"note", r->note},
                                                                           {"created_at_ms", r->created_at_ms}}}});
}

awaitable<Response> ListReviewers(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string status = req.Query("status").value_or("");
  auto r = co_await d.grants.ListReviewers(p, std::move(status));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array out;
  for (const Reviewer& x : *r) {
    out.push_back(ReviewerJson(x, true));
  }
  co_return http::JsonResponse(200, json::object{{"reviewers", out}});
}

awaitable<Response> MyReviewer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.grants.MyReviewer(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array conflicts;
  for (const Conflict& c : r->conflicts) {
    conflicts.push_back(json::object{{"org_id", Opt(c.org_id)}, {"village_id", Opt(c.village_id)}, {"note", c.note}});
  }
  json::array seats;
  for (const Assignment& s : r->seats) {
    seats.push_back(SeatJson(s));
  }
  co_return http::JsonResponse(
      200, json::object{{"reviewer", ReviewerJson(r->reviewer, true)}, {"conflicts", conflicts}, {"seats", seats}});
}

// ---- Meetings and seats

awaitable<Response> CreateMeeting(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto call_id = f.String("call_id", {.min = 1, .max = 40});
  NewMeeting in;
  in.title = f.String("title", {.required = false, .max = 100}).value_or("");
  in.held_at_ms = f.Int("held_at_ms", {.min = 1}).value_or(0);
  in.venue = f.String("venue", {.required = false, .max = 100}).value_or("");
  in.scores_due_ms = f.Int("scores_due_ms", {.min = 1}).value_or(0);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.CreateMeeting(p, *call_id, std::move(in), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"meeting", MeetingJson(*r)}});
}

awaitable<Response> GetMeeting(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.GetMeeting(p, std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array seats;
  for (const Assignment& s : r->seats) {
    seats.push_back(SeatJson(s));
  }
  json::array open;
  for (const OpenSeats& o : r->open_seats) {
    open.push_back(json::object{{"application_id", o.application.public_id},
                                {"application_title", o.application.name},
                                {"kind", std::string(KindText(o.kind))},
                                {"missing", o.missing}});
  }
  co_return http::JsonResponse(200, json::object{{"meeting", MeetingJson(r->meeting)},
                                                 {"call", CallJson(r->call, Now(d))},
                                                 {"assignments", seats},
                                                 {"open_seats", open}});
}

awaitable<Response> Assign(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  const std::string dry = req.Query("dry_run").value_or("");
  if (!dry.empty() && dry != "0" && dry != "1" && dry != "true" && dry != "false") {
    co_return Err(Error::Invalid("invalid_value", "dry_run"), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.Assign(p, std::move(id), dry == "1" || dry == "true", std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, AssignOutcomeJson(*r));
}

awaitable<Response> Availability(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto available = f.Bool("available");
  auto reviewer = f.String("reviewer_id", {.required = false, .max = 40});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.grants.SetAvailability(p, std::move(id), reviewer, *available);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"available", *r}});
}

awaitable<Response> AnswerSeat(Deps d, Request& req, bool accept) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.AnswerSeat(p, std::move(id), accept);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"seat", SeatJson(*r)}});
}
// The {reviewer_id} body of a recusal or a seat swap.
Result<std::string> ReviewerIdBody(const json::object& body) {
  Fields f(body);
  auto reviewer = f.String("reviewer_id", {.min = 1, .max = 40});
  CC_TRY(f.Finish());
  return *reviewer;
}

awaitable<Response> SwapSeat(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  auto reviewer = ReviewerIdBody(body);
  if (!reviewer.ok()) {
    co_return Err(reviewer.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.SwapSeat(p, std::move(id), *reviewer, std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"seat", SeatJson(r->seat)}, {"replaced", SeatJson(r->replaced)}});
}

awaitable<Response> AcceptSeat(Deps d, Request& req) { return AnswerSeat(d, req, true); }
awaitable<Response> DeclineSeat(Deps d, Request& req) { return AnswerSeat(d, req, false); }

// ---- Reviews and scores

json::object SheetJson(const ReviewSheet& s, const Deps& d) {
  json::array rubric;
  for (const RubricLine& r : s.app.call.rubric) {
    rubric.push_back(json::object{{"criterion", r.criterion}, {"weight", r.weight}});
  }
  json::object review = ReviewJson(s.review, s.app.call.rubric);
  review["application_id"] = s.app.app.public_id;
  review["score"] = s.score ? json::value(std::round(*s.score * 100) / 100) : json::value(nullptr);
  return json::object{{"review", review},
                      {"application", ApplicationJson(s.app, Now(d))},
                      {"rubric", rubric},
                      {"scores_due_ms", s.scores_due_ms}};
}

awaitable<Response> GetReview(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.GetReview(p, std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, SheetJson(*r, d));
}

awaitable<Response> PutReview(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  std::map<std::string, int> scores;
  if (const json::value* raw = f.Raw("scores"); raw != nullptr) {
    if (!raw->is_object() || raw->as_object().size() > kMaxRubric) {
      f.Fail(Error::Invalid("invalid_type", "scores"));
    } else {
      for (const auto& [name, v] : raw->as_object()) {
        const std::string field = "scores." + std::string(name);
        if (!v.is_int64() && !v.is_uint64()) {
          Error e = Error::Invalid("invalid_type", field);
          e.label = "scores";
          f.Fail(e);
          break;
        }
        const int64_t n = v.is_int64() ? v.as_int64() : static_cast<int64_t>(std::min<uint64_t>(v.as_uint64(), 1000));
        scores[std::string(name)] = static_cast<int>(std::clamp<int64_t>(n, -1, 11));
      }
    }
  }
  auto comment = f.String("comment", {.required = false, .max = 2000, .multiline = true});
  auto status = f.String("status", {.required = false, .max = 20});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string st = status.value_or("submitted");
  std::string text = comment.value_or("");
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.PutReview(p, std::move(id), std::move(st), std::move(scores), std::move(text),
                                       std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, SheetJson(*r, d));
}

awaitable<Response> Scores(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.Scores(p, std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::object score = ScoreJson(r->score);
  score["application_id"] = r->app.public_id;
  json::array reviews;
  for (const Review& v : r->reviews) {
    reviews.push_back(ReviewJson(v, r->call.rubric));
  }
  co_return http::JsonResponse(200, json::object{{"scores", score}, {"reviews", reviews}});
}

awaitable<Response> Ranking(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.Ranking(p, std::move(id));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, RankingJson(*r));
}

awaitable<Response> Recuse(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  auto reviewer = ReviewerIdBody(body);
  if (!reviewer.ok()) {
    co_return Err(reviewer.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.Recuse(p, std::move(id), *reviewer, std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"review", ReviewJson(*r, {})}});
}

awaitable<Response> ListMeetings(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string call = req.Query("call_id").value_or("");
  auto r = co_await d.grants.ListMeetings(p, std::move(call));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array out;
  for (const Meeting& m : *r) {
    out.push_back(MeetingJson(m));
  }
  co_return http::JsonResponse(200, json::object{{"meetings", out}});
}

// ---- Decisions and the notice

awaitable<Response> Decide(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto decision = f.String("decision", {.min = 1, .max = 20});
  auto awarded = f.Int("awarded_fen", {.required = false, .min = 0, .max = kMaxFen});
  auto reason = f.String("reason", {.min = 1, .max = 1000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.Decide(p, std::move(id), *decision, awarded.value_or(0), *reason, std::move(ip));
  co_return AppAnswer(r, d, req);
}

Response NoticeAnswer(const Result<NoticeView>& r, const std::optional<Principal>& viewer, const Request& req,
                      int status) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(status, NoticeJson(*r, viewer));
}

awaitable<Response> PublishNotice(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto note = f.String("note", {.required = false, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.PublishNotice(p, std::move(id), note.value_or(""), std::move(ip));
  const std::optional<Principal> viewer = p;
  co_return NoticeAnswer(r, viewer, req, 201);
}

awaitable<Response> GetNotice(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.grants.GetNotice(p, std::move(id));
  co_return NoticeAnswer(r, p, req, 200);
}

awaitable<Response> Object(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto app = f.String("application_id", {.min = 1, .max = 40});
  auto text = f.String("body", {.min = 5, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.grants.Object(p, std::move(id), *app, *text);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"objection", ObjectionJson(*r, true)}});
}

awaitable<Response> AnswerObjection(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto upheld = f.Bool("upheld");
  auto answer = f.String("answer", {.min = 1, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.grants.AnswerObjection(p, std::move(id), *upheld, *answer, std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"objection", ObjectionJson(*r, true)}});
}

}  // namespace

void RegisterRoutes(http::Router& router, GrantsService& grants, AccountsService& accounts) {
  const auto bind = [&grants, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&grants, &accounts, fn](Request& req) { return fn(Deps{grants, accounts}, req); };
  };
  router.Add("POST", "/api/v1/grants/calls", bind(CreateCall));
  router.Add("GET", "/api/v1/grants/calls", bind(ListCalls));
  router.Add("GET", "/api/v1/grants/calls/{id}", bind(GetCall));
  router.Add("GET", "/api/v1/grants/calls/{id}/applications", bind(CallApplications));
  router.Add("POST", "/api/v1/grants/applications", bind(CreateApplication));
  router.Add("GET", "/api/v1/grants/applications/{id}", bind(GetApplication));
  router.Add("PUT", "/api/v1/grants/applications/{id}", bind(AmendApplication));
  router.Add("POST", "/api/v1/grants/applications/{id}/submit", bind(SubmitApplication));
  router.Add("POST", "/api/v1/grants/applications/{id}/withdraw", bind(WithdrawApplication));
  router.Add("POST", "/api/v1/grants/applications/{id}/eligibility", bind(SetEligibility));
  router.Add("POST", "/api/v1/grants/applications/{id}/support", bind(Support));
  router.Add("GET", "/api/v1/grants/my/applications", bind(MyApplications));
  router.Add("POST", "/api/v1/grants/reviewers", bind(AddReviewer));
  router.Add("GET", "/api/v1/grants/reviewers", bind(ListReviewers));
  router.Add("POST", "/api/v1/grants/reviewers/apply", bind(ApplyReviewer));
  router.Add("POST", "/api/v1/grants/reviewers/{id}/approve", bind(ApproveReviewer));
  router.Add("POST", "/api/v1/grants/reviewers/{id}/reject", bind(RejectReviewer));
  router.Add("POST", "/api/v1/grants/reviewers/{id}/conflicts", bind(DeclareConflict));
  router.Add("GET", "/api/v1/grants/me/reviewer", bind(MyReviewer));
  router.Add("POST", "/api/v1/grants/meetings", bind(CreateMeeting));
  router.Add("GET", "/api/v1/grants/meetings", bind(ListMeetings));
  router.Add("GET", "/api/v1/grants/meetings/{id}/ranking", bind(Ranking));
  router.Add("GET", "/api/v1/grants/reviews/{id}", bind(GetReview));
  router.Add("PUT", "/api/v1/grants/reviews/{id}", bind(PutReview));
  router.Add("GET", "/api/v1/grants/applications/{id}/scores", bind(Scores));
  router.Add("POST", "/api/v1/grants/applications/{id}/recuse", bind(Recuse));
  router.Add("POST", "/api/v1/grants/applications/{id}/decision", bind(Decide));
  router.Add("POST", "/api/v1/grants/calls/{id}/notice", bind(PublishNotice));
  router.Add("GET", "/api/v1/grants/calls/{id}/notice", bind(GetNotice));
  router.Add("POST", "/api/v1/grants/notices/{id}/objections", bind(Object));
  router.Add("POST", "/api/v1/grants/objections/{id}/answer", bind(AnswerObjection));
  router.Add("GET", "/api/v1/grants/meetings/{id}", bind(GetMeeting));
  router.Add("POST", "/api/v1/grants/meetings/{id}/assign", bind(Assign));
  router.Add("POST", "/api/v1/grants/meetings/{id}/availability", bind(Availability));
  router.Add("POST", "/api/v1/grants/seats/{id}/accept", bind(AcceptSeat));
  router.Add("POST", "/api/v1/grants/seats/{id}/decline", bind(DeclineSeat));
  router.Add("POST", "/api/v1/grants/seats/{id}/swap", bind(SwapSeat));
  router.Add("POST", "/api/v1/grants/calls/{id}/extend", bind(ExtendCall));
  RegisterAttachmentRoutes(router, grants, accounts);
}

}  // namespace carecity::grants
