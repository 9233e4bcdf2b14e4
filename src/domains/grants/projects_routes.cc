// /api/v1/grants/projects...: funded projects, their reports, observers and
// visit notes (ProjectsService decides every permission). The contract:
// docs/api-grants.md "Funded projects".
#include "domains/grants/projects_routes.h"

#include <boost/json.hpp>

#include <charconv>

#include "core/text.h"
#include "domains/accounts/routes.h"
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

struct Deps {
  ProjectsService& projects;
  AccountsService& accounts;
};

json::object DisbursementJson(const fund::Disbursement& d) {
  return json::object{{"id", d.id}, {"status", d.status}, {"amount_fen", d.amount_fen}};
}

json::object ReportJson(const ProjectReport& r) {
  json::array funds;
  for (const UseOfFunds& u : r.use_of_funds) {
    funds.push_back(json::object{{"item", u.item}, {"amount_fen", u.amount_fen}});
  }
  return json::object{{"id", r.public_id},
                      {"project_id", r.project_public_id},
                      {"kind", r.kind},
                      {"period_end_ms", r.period_end_ms},
                      {"body", r.body},
                      {"milestone_seq", Opt(r.milestone_seq)},
                      {"use_of_funds", funds},
                      {"used_fen", r.used_fen},
                      {"status", r.status},
                      {"review_note", r.review_note},
                      {"submitted_at_ms", r.submitted_at_ms},
                      {"reviewed_at_ms", Opt(r.reviewed_at_ms)},
                      {"disbursement", r.disbursement ? json::value(DisbursementJson(*r.disbursement)) : nullptr}};
}

json::object VisitJson(const Visit& v, bool full) {
  return json::object{{"id", v.public_id},
                      {"by", full ? v.by : MaskPersonName(v.by)},
                      {"visited_at_ms", v.visited_at_ms},
                      {"body", v.body},
                      {"created_at_ms", v.created_at_ms}};
}

json::object ObserverJson(const Observer& o, bool full) {
  json::object j{{"name", full ? o.name : MaskPersonName(o.name)}};
  if (full) {
    j["user_id"] = o.user_id;
  }
  return j;
}

json::object ReportingJson(const Project& p, int64_t now_ms) {
  const Reporting r = ReportingOf(p, now_ms);
  return json::object{{"long_project", r.long_project},
                      {"next_due_ms", Opt(r.next_due_ms)},
                      {"overdue", r.overdue},
                      {"final_due_ms", r.final_due_ms}};
}

json::value SponsorJson(const Project& p) {
  if (!p.sponsorship_id) {
    return nullptr;
  }
  return json::object{{"name", p.sponsor_name}, {"naming_text", p.sponsor_naming}, {"amount_fen", p.sponsor_fen}};
}

json::object SummaryJson(const Project& p, int64_t now_ms) {
  return json::object{{"id", p.public_id},
                      {"title", p.title},
                      {"org_name", p.org_name},
                      {"project_type", p.project_type},
                      {"funding_mode", p.funding_mode},
                      {"awarded_fen", p.awarded_fen},
                      {"disbursed_fen", p.disbursed_fen},
                      {"sponsor", SponsorJson(p)},
                      {"status", p.status},
                      {"starts_at_ms", p.starts_at_ms},
                      {"ends_at_ms", p.ends_at_ms},
                      {"call_id", p.call_public_id},
                      {"call_title", p.call_title},
                      {"reporting", ReportingJson(p, now_ms)}};
}

json::object ProjectJson(const ProjectView& v, int64_t now_ms) {
  const Project& p = v.project;
  json::object j = SummaryJson(p, now_ms);
  json::array villages;
  for (const auto& [id, name] : p.villages) {
    villages.push_back(json::object{{"id", id}, {"name", name}});
  }
  json::array co_funders;
  for (const CoFunder& c : p.co_funders) {
    co_funders.push_back(json::object{{"name", c.name}, {"share_fen", c.share_fen}});
  }
  json::array milestones;
  for (const Milestone& m : p.milestones) {
    milestones.push_back(json::object{{"seq", m.seq},
                                      {"label", m.label},
                                      {"amount_fen", m.amount_fen},
                                      {"due_ms", m.due_ms},
                                      {"status", m.status},
                                      {"disbursement_id", Opt(m.disbursement_id)}});
  }
  json::array reports;
  for (const ProjectReport& r : p.reports) {
    if (v.full || r.status == "approved") {
      reports.push_back(ReportJson(r));
    }
  }
  json::array visits;
  for (const Visit& x : p.visits) {
    visits.push_back(VisitJson(x, v.full));
  }
  json::array observers;
  for (const Observer& o : p.observers) {
    observers.push_back(ObserverJson(o, v.full));
  }
  j["application_id"] = p.application_public_id;
  j["org_id"] = p.org_id;
  j["villages"] = villages;
  j["co_funders"] = co_funders;
  j["partner_name"] = p.partner_name.empty() ? json::value(nullptr) : json::value(p.partner_name);
  j["in_kind_note"] = p.in_kind_note.empty() ? json::value(nullptr) : json::value(p.in_kind_note);
  j["released_fen"] = p.released_fen;
  j["leftover_fen"] = p.awarded_fen - p.disbursed_fen;
  j["leftover_note"] = p.leftover_note;
  j["milestones"] = milestones;
  j["reports"] = reports;
  j["visits"] = visits;
  j["observers"] = observers;
  j["created_at_ms"] = p.created_at_ms;
  j["can_report"] = v.can_report;
  j["can_manage"] = v.can_manage;
  return j;
}

Response ProjectAnswer(const Result<ProjectView>& r, const Deps& d, const Request& req, int status = 200) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(status, json::object{{"project", ProjectJson(*r, d.projects.clock().NowMs())}});
}

Response ListAnswer(const Result<std::vector<Project>>& r, const Deps& d, const Request& req) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  json::array list;
  for (const Project& p : *r) {
    list.push_back(SummaryJson(p, d.projects.clock().NowMs()));
  }
  return http::JsonResponse(200, json::object{{"projects", list}});
}

Response ReportAnswer(const Result<ProjectReport>& r, const Request& req, int status = 200) {
  if (!r.ok()) {
    return Err(r.error(), req);
  }
  return http::JsonResponse(status, json::object{{"report", ReportJson(*r)}});
}

std::optional<int64_t> ParseId(std::string_view s) {
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 1) {
    return std::nullopt;
  }
  return v;
}

awaitable<Response> CreateProject(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto key = http::IdempotencyKey(req);
  if (!key.ok()) {
    co_return Err(key.error(), req);
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewProject in;
  in.starts_at_ms = f.Int("starts_at_ms", {.min = 1}).value_or(0);
  in.ends_at_ms = f.Int("ends_at_ms", {.min = 1}).value_or(0);
  f.Objects("milestones", 24, true, [&in](Fields& item, size_t) {
    auto label = item.String("label", {.min = 1, .max = 100});
    auto amount = item.Int("amount_fen", {.min = 1, .max = kMaxFen});
    auto due = item.Int("due_ms", {.min = 1});
    if (label && amount && due) {
      in.milestones.push_back({*label, *amount, *due});
    }
  });
  in.sponsorship_id = f.Int("sponsorship_id", {.required = false, .min = 1});
  in.sponsor_fen = f.Int("sponsor_fen", {.required = false, .min = 0, .max = kMaxFen}).value_or(0);
  in.note = f.String("note", {.required = false, .max = 2000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.projects.CreateProject(p, std::move(id), std::move(in), *key, std::move(ip));
  co_return ProjectAnswer(r, d, req, 201);
}

awaitable<Response> ListProjects(Deps d, Request& req) {
  std::optional<std::string> call_id = req.Query("call_id");
  std::optional<int64_t> org_id;
  if (auto o = req.Query("org_id")) {
    org_id = ParseId(*o);
    if (!org_id) {
      co_return Err(Error::Invalid("invalid_value", "org_id"), req);
    }
  }
  auto r = co_await d.projects.ListProjects(std::move(call_id), org_id);
  co_return ListAnswer(r, d, req);
}

awaitable<Response> GetProject(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.projects.GetProject(p, std::move(id));
  co_return ProjectAnswer(r, d, req);
}

awaitable<Response> MyProjects(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.projects.MyProjects(p);
  co_return ListAnswer(r, d, req);
}

awaitable<Response> Observing(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.projects.Observing(p);
  co_return ListAnswer(r, d, req);
}

awaitable<Response> SubmitReport(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewReport in;
  in.kind = f.String("kind", {.min = 1, .max = 20}).value_or("");
  if (!in.kind.empty() && in.kind != "progress" && in.kind != "final") {
    f.Fail(Error::Invalid("invalid_value", "kind"));
  }
  in.period_end_ms = f.Int("period_end_ms", {.min = 1}).value_or(0);
  in.body = f.String("body", {.min = 1, .max = 5000, .multiline = true}).value_or("");
  in.milestone_seq = f.Int("milestone_seq", {.required = false, .min = 1, .max = 24});
  f.Objects("use_of_funds", 50, false, [&in](Fields& item, size_t) {
    auto name = item.String("item", {.min = 1, .max = 100});
    auto amount = item.Int("amount_fen", {.min = 1, .max = kMaxFen});
    if (name && amount) {
      in.use_of_funds.push_back({*name, *amount});
    }
  });
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.projects.SubmitReport(p, std::move(id), std::move(in));
  co_return ReportAnswer(r, req, 201);
}

awaitable<Response> Review(Deps d, Request& req, bool approve) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto note = f.String("note", {.required = !approve, .min = approve ? size_t{0} : size_t{1}, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  std::string text = note.value_or("");
  auto r = co_await d.projects.ReviewReport(p, std::move(id), approve, std::move(text), std::move(ip));
  co_return ReportAnswer(r, req);
}

awaitable<Response> ApproveReport(Deps d, Request& req) { co_return co_await Review(d, req, true); }
awaitable<Response> ReturnReport(Deps d, Request& req) { co_return co_await Review(d, req, false); }

awaitable<Response> CloseProject(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto note = f.String("leftover_note", {.required = false, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  std::string text = note.value_or("");
  auto r = co_await d.projects.CloseProject(p, std::move(id), std::move(text), std::move(ip));
  co_return ProjectAnswer(r, d, req);
}

awaitable<Response> AddObserver(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto user = f.Int("user_id", {.min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.projects.AddObserver(p, std::move(id), *user);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"observer", ObserverJson(*r, true)}});
}

awaitable<Response> RemoveObserver(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  const auto user = ParseId(req.Param("user_id"));
  if (!user) {
    co_return Err(Error::NotFound("grants.observer_not_found"), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.projects.RemoveObserver(p, std::move(id), *user);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::NoContent();
}

awaitable<Response> AddVisit(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto at = f.Int("visited_at_ms", {.min = 1});
  auto text = f.String("body", {.min = 1, .max = 5000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.projects.AddVisit(p, std::move(id), *at, *text);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"visit", VisitJson(*r, true)}});
}

}  // namespace

void RegisterProjectRoutes(http::Router& router, ProjectsService& projects, AccountsService& accounts) {
  const auto bind = [&projects, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&projects, &accounts, fn](Request& req) { return fn(Deps{projects, accounts}, req); };
  };
  router.Add("POST", "/api/v1/grants/applications/{id}/project", bind(CreateProject));
  router.Add("GET", "/api/v1/grants/projects", bind(ListProjects));
  router.Add("GET", "/api/v1/grants/projects/{id}", bind(GetProject));
  router.Add("GET", "/api/v1/grants/my/projects", bind(MyProjects));
  router.Add("GET", "/api/v1/grants/me/observing", bind(Observing));
  router.Add("POST", "/api/v1/grants/projects/{id}/reports", bind(SubmitReport));
  router.Add("POST", "/api/v1/grants/reports/{id}/approve", bind(ApproveReport));
  router.Add("POST", "/api/v1/grants/reports/{id}/return", bind(ReturnReport));
  router.Add("POST", "/api/v1/grants/projects/{id}/close", bind(CloseProject));
  router.Add("POST", "/api/v1/grants/projects/{id}/observers", bind(AddObserver));
  router.Add("DELETE", "/api/v1/grants/projects/{id}/observers/{user_id}", bind(RemoveObserver));
  router.Add("POST", "/api/v1/grants/projects/{id}/visits", bind(AddVisit));
}

}  // namespace carecity::grants
