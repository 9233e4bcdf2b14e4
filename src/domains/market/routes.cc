#include "domains/market/routes.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/answer.h"
#include "http/json.h"
#include "media/markdown.h"

namespace carecity::market {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using accounts::Principal;
using boost::asio::awaitable;
using http::Err;
using http::ListAnswer;
using http::OneAnswer;
using http::Fields;
using http::Opt;
using http::Request;
using http::Response;

constexpr size_t kMaxDescriptionBytes = 20'000;

struct Deps {
  MarketService& market;
  AccountsService& accounts;
};

json::array StringsJson(const std::vector<std::string>& v) {
  json::array a;
  for (const std::string& s : v) {
    a.emplace_back(s);
  }
  return a;
}

// `full`: the listing's own staff and the admins; everyone else sees the
// team's names masked (public pages never show a person's name).
json::object ProjectJson(const Project& x, bool full) {
  const ProjectDraft& d = x.draft;
  json::array team;
  for (const TeamMember& m : d.team) {
    team.push_back(json::object{{"name", full ? m.name : MaskPersonName(m.name)},
                                {"role", m.role},
                                {"level", m.level},
                                {"party_member", m.party_member}});
  }
  return json::object{{"id", x.public_id},
                      {"org_id", x.org_id},
                      {"org_name", x.org_name},
                      {"org_rating", Opt(x.org_rating)},
                      {"title", d.title},
                      {"project_type", d.project_type},
                      {"target_group", d.target_group},
                      {"price", json::object{{"kind", d.price_kind}, {"min_fen", d.price_min_fen}, {"max_fen", d.price_max_fen}}},
                      {"duration_days", d.duration_days},
                      {"sessions", d.sessions},
                      {"service_hours", d.service_hours},
                      {"beneficiaries", d.beneficiaries},
                      {"description", d.description},
                      {"description_html", media::RenderMarkdown(d.description)},
                      {"indicators", StringsJson(d.indicators)},
                      {"team", team},
                      {"status", x.status},
                      {"created_at_ms", x.created_at_ms},
                      {"updated_at_ms", x.updated_at_ms},
                      {"revision", x.revision}};
}

json::object PublicProjectJson(const Project& x) { return ProjectJson(x, false); }
json::object FullProjectJson(const Project& x) { return ProjectJson(x, true); }

json::object ProjectViewJson(const ProjectView& v) {
  json::object j = ProjectJson(v.project, v.full);
  // The review's note is for the listing's owners and the admins.
  if (v.can_edit || v.can_review || v.project.status != "approved") {
    j["review_note"] = v.project.review_note;
    j["reviewed_at_ms"] = Opt(v.project.reviewed_at_ms);
  }
  j["can_edit"] = v.can_edit;
  j["can_review"] = v.can_review;
  json::array pool;
  for (const TeamMember& m : v.pool_team) {
    pool.push_back(json::object{{"name", v.full ? m.name : MaskPersonName(m.name)},
                                {"role", m.role},
                                {"level", m.level},
                                {"party_member", true}});
  }
  j["pool_team"] = pool;
  return j;
}


json::array ReasonsJson(const Match& m) {
  json::array out;
  for (const Reason& r : m.reasons) {
    json::object o{{"code", r.code}, {"points", r.points}};
    for (const auto& [k, v] : r.numbers) {
      o[k] = v;
    }
    if (!r.level.empty()) {
      o["level"] = r.level;
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::object RoundJson(const RoundView& v, int64_t now_ms) {
  const SurveyRound& r = v.round;
  return json::object{{"id", r.public_id},
                      {"village_id", r.village_id},
                      {"village_name", r.village_name},
                      {"title", r.title},
                      {"options", StringsJson(r.options)},
                      {"opens_at_ms", r.opens_at_ms},
                      {"closes_at_ms", r.closes_at_ms},
                      {"open", r.opens_at_ms <= now_ms && now_ms < r.closes_at_ms},
                      {"answered", v.answered},
                      {"can_manage", v.can_manage}};
}

// ---- Catalogue

ProjectDraft ReadProjectDraft(Fields& f) {
  ProjectDraft d;
  d.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  d.project_type = f.String("project_type", {.min = 1, .max = 40}).value_or("");
  d.target_group = f.String("target_group", {.min = 1, .max = 100}).value_or("");
  f.Object("price", true, [&d](Fields& price) {
    d.price_kind = price.String("kind", {.min = 1, .max = 10}).value_or("");
    if (!d.price_kind.empty() && !IsPriceKind(d.price_kind)) {
      price.Fail(Error::Invalid("invalid_value", "kind"));
    }
    d.price_min_fen = price.Int("min_fen", {.min = 1, .max = kMaxFen}).value_or(0);
    d.price_max_fen = price.Int("max_fen", {.min = 1, .max = kMaxFen}).value_or(0);
  });
  d.duration_days = f.Int("duration_days", {.min = 1, .max = 3660}).value_or(0);
  d.sessions = f.Int("sessions", {.required = false, .min = 0, .max = 100'000}).value_or(0);
  d.service_hours = f.Int("service_hours", {.required = false, .min = 0, .max = 1'000'000}).value_or(0);
  d.beneficiaries = f.Int("beneficiaries", {.required = false, .min = 0, .max = 10'000'000}).value_or(0);
  d.description = f.String("description", {.required = false, .max = kMaxDescriptionBytes, .multiline = true}).value_or("");
  if (auto s = media::CheckMarkdown(d.description, "description", kMaxDescriptionBytes); !s.ok()) {
    f.Fail(s.error());
  }
  d.indicators = f.Strings("indicators", {.min = 1, .max = 200}, 20, true).value_or(std::vector<std::string>{});
  f.Objects("team", 30, false, [&d](Fields& item, size_t) {
    auto name = item.String("name", {.min = 1, .max = 40});
    auto role = item.String("role", {.min = 1, .max = 40});
    auto level = item.String("level", {.required = false, .max = 40});
    auto party = item.Bool("party_member", false);
    if (name && role) {
      d.team.push_back({*name, *role, level.value_or(""), party.value_or(false)});
    }
  });
  return d;
}

awaitable<Response> CreateProject(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto key = http::OptionalIdempotencyKey(req);
  if (!key.ok()) {
    co_return Err(key.error(), req);
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto org_id = f.Int("org_id", {.min = 1});
  ProjectDraft draft = ReadProjectDraft(f);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.market.CreateProject(p, *org_id, std::move(draft), *key, std::move(ip));
  co_return OneAnswer(r, req, "project", ProjectViewJson, 201);
}

awaitable<Response> UpdateProject(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  ProjectDraft draft = ReadProjectDraft(f);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.market.UpdateProject(p, std::move(id), std::move(draft), std::move(ip));
  co_return OneAnswer(r, req, "project", ProjectViewJson);
}

awaitable<Response> WithdrawProject(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.market.WithdrawProject(p, std::move(id), std::move(ip));
  co_return OneAnswer(r, req, "project", ProjectViewJson);
}

awaitable<Response> Review(Deps d, Request& req, bool approve) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string note;
  std::optional<int64_t> revision;
  if (!approve || !req.body.empty()) {
    CC_PARSE_BODY(body, req);
    Fields f(body);
    auto n = f.String("note", {.required = !approve, .min = approve ? size_t{0} : size_t{1}, .max = 2000,
                               .multiline = true});
    revision = f.Int("revision", {.required = false, .min = 1, .max = int64_t{1} << 40});
    if (auto s = f.Finish(); !s.ok()) {
      co_return Err(s.error(), req);
    }
    note = n.value_or("");
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.market.ReviewProject(p, std::move(id), approve, std::move(note), std::move(ip), revision);
  co_return OneAnswer(r, req, "project", ProjectViewJson);
}

awaitable<Response> ApproveProject(Deps d, Request& req) { co_return co_await Review(d, req, true); }
awaitable<Response> RejectProject(Deps d, Request& req) { co_return co_await Review(d, req, false); }

awaitable<Response> ListProjects(Deps d, Request& req) {
  repo::ProjectFilter f;
  auto org = http::QueryId(req, "org_id");
  auto village = http::QueryId(req, "village_id");
  for (const auto* r : {&org, &village}) {
    if (!r->ok()) {
      co_return Err(r->error(), req);
    }
  }
  f.org_id = *org;
  f.needs_of_village = *village;
  if (auto t = req.Query("type"); t && !t->empty()) {
    f.project_type = std::string(*t);
  }
  if (auto q = req.Query("q"); q && !q->empty()) {
    f.q = std::string(*q);
  }
  auto r = co_await d.market.ListProjects(std::move(f));
  co_return ListAnswer(r, req, "projects", PublicProjectJson);
}

awaitable<Response> OrgProjects(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto org = http::QueryId(req, "org_id");
  if (!org.ok()) {
    co_return Err(org.error(), req);
  }
  if (!*org) {
    co_return Err(Error::Invalid("missing_field", "org_id"), req);
  }
  auto r = co_await d.market.OrgProjects(p, **org);
  co_return ListAnswer(r, req, "projects", FullProjectJson);
}

awaitable<Response> PendingProjects(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.market.PendingProjects(p);
  co_return ListAnswer(r, req, "projects", FullProjectJson);
}

awaitable<Response> GetProject(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.market.GetProject(std::move(p), std::move(id));
  co_return OneAnswer(r, req, "project", ProjectViewJson);
}

awaitable<Response> Wanted(Deps d, Request& req) {
  auto p = co_await accounts::OptionalPrincipal(d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.market.Wanted(std::move(p), std::move(id));
  // Public: the village and the need's title, type and score only.
  co_return ListAnswer(r, req, "wanted", [](const NeedMatch& m) {
    return json::object{{"village_id", m.need.village_id},
                        {"village_name", m.need.village_name},
                        {"need_id", m.need.public_id},
                        {"need_title", m.need.draft.title},
                        {"project_type", m.need.draft.project_type},
                        {"score", m.match.score},
                        {"reasons", ReasonsJson(m.match)}};
  });
}

// ---- Needs

awaitable<Response> CreateNeed(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto key = http::OptionalIdempotencyKey(req);
  if (!key.ok()) {
    co_return Err(key.error(), req);
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NeedDraft n = ParseNeedDraft(f, true);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.market.CreateNeed(p, std::move(n), *key, std::move(ip));
  co_return OneAnswer(r, req, "need", NeedJson, 201);
}

awaitable<Response> ListNeeds(Deps d, Request& req) {
  auto village = http::QueryId(req, "village_id");
  if (!village.ok()) {
    co_return Err(village.error(), req);
  }
  std::optional<std::string> status;
  if (auto s = req.Query("status"); s && !s->empty()) {
    if (*s != "open" && *s != "met" && *s != "closed") {
      co_return Err(Error::Invalid("invalid_value", "status"), req);
    }
    status = std::string(*s);
  }
  auto r = co_await d.market.ListNeeds(*village, std::move(status));
  co_return ListAnswer(r, req, "needs", NeedJson);
}

awaitable<Response> GetNeed(Deps d, Request& req) {
  std::string id(req.Param("id"));
  auto r = co_await d.market.GetNeed(std::move(id));
  co_return OneAnswer(r, req, "need", NeedJson);
}

awaitable<Response> CloseNeed(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto status = f.String("status", {.min = 1, .max = 10});
  if (status && *status != "met" && *status != "closed") {
    f.Fail(Error::Invalid("invalid_value", "status"));
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  std::string ip = req.remote_ip;
  auto r = co_await d.market.CloseNeed(p, std::move(id), *status, std::move(ip));
  co_return OneAnswer(r, req, "need", NeedJson);
}

awaitable<Response> Matches(Deps d, Request& req) {
  std::string id(req.Param("id"));
  auto r = co_await d.market.Matches(std::move(id));
  co_return ListAnswer(r, req, "matches", [](const ProjectMatch& m) {
    return json::object{{"project_id", m.project.public_id},
                        {"score", m.match.score},
                        {"reasons", ReasonsJson(m.match)},
                        {"project", PublicProjectJson(m.project)}};
  });
}

// ---- Needs surveys

awaitable<Response> OpenRound(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  SurveyRound r;
  r.village_id = f.Int("village_id", {.min = 1}).value_or(0);
  r.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  r.options = f.Strings("options", {.min = 1, .max = 40}, 20, true).value_or(std::vector<std::string>{});
  if (f.ok() && r.options.empty()) {
    f.Fail(Error::Invalid("missing_field", "options"));
  }
  for (size_t i = 0; f.ok() && i < r.options.size(); ++i) {
    if (std::find(r.options.begin(), r.options.begin() + static_cast<std::ptrdiff_t>(i), r.options[i]) !=
        r.options.begin() + static_cast<std::ptrdiff_t>(i)) {
      f.Fail(Error::Invalid("duplicate_value", "options[" + std::to_string(i) + "]", "options"));
    }
  }
  r.opens_at_ms = f.Int("opens_at_ms", {.min = 1}).value_or(0);
  r.closes_at_ms = f.Int("closes_at_ms", {.min = 1}).value_or(0);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto v = co_await d.market.OpenRound(p, std::move(r), std::move(ip));
  const int64_t now = d.market.clock().NowMs();
  co_return OneAnswer(v, req, "round", [now](const RoundView& x) { return RoundJson(x, now); }, 201);
}

awaitable<Response> VillageRounds(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto village = http::QueryId(req, "village_id");
  if (!village.ok()) {
    co_return Err(village.error(), req);
  }
  Result<std::vector<RoundView>> r = Error::Invalid("missing_field", "village_id");
  if (*village) {
    r = co_await d.market.VillageRounds(p, **village);
  } else {
    r = co_await d.market.OpenRoundsForMe(p);
  }
  const int64_t now = d.market.clock().NowMs();
  co_return ListAnswer(r, req, "rounds", [now](const RoundView& x) { return RoundJson(x, now); });
}

awaitable<Response> GetRound(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.market.GetRound(p, std::move(id));
  const int64_t now = d.market.clock().NowMs();
  co_return OneAnswer(r, req, "round", [now](const RoundView& x) { return RoundJson(x, now); });
}

awaitable<Response> AnswerRound(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  SurveyAnswer a;
  a.picks = f.Strings("picks", {.min = 1, .max = 40}, 20, false).value_or(std::vector<std::string>{});
  a.other = f.String("other", {.required = false, .max = 200}).value_or("");
  a.age_band = f.String("age_band", {.min = 1, .max = 10}).value_or("");
  if (!a.age_band.empty() && !IsAgeBand(a.age_band)) {
    f.Fail(Error::Invalid("invalid_value", "age_band"));
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string id(req.Param("id"));
  auto r = co_await d.market.Answer(p, std::move(id), std::move(a));
  const int64_t now = d.market.clock().NowMs();
  co_return OneAnswer(r, req, "round", [now](const RoundView& x) { return RoundJson(x, now); }, 201);
}

json::array CountsJson(const std::vector<Count>& v, const char* key) {
  json::array out;
  for (const Count& c : v) {
    out.push_back(json::object{{key, c.key}, {"count", c.count}});
  }
  return out;
}

awaitable<Response> RoundResults(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string id(req.Param("id"));
  auto r = co_await d.market.Results(p, std::move(id));
  const int64_t now = d.market.clock().NowMs();
  co_return OneAnswer(r, req, "results", [now](const SurveyResults& x) {
    return json::object{{"round", RoundJson(RoundView{x.round, false, true}, now)},
                        {"answers", x.answers},
                        {"by_option", CountsJson(x.by_option, "option")},
                        {"written_in", x.written_in},
                        {"by_age_band", CountsJson(x.by_age_band, "age_band")},
                        {"hidden", x.hidden},
                        {"min_answers", kMinAnswersForResults}};
  });
}

}  // namespace

NeedDraft ParseNeedDraft(http::Fields& f, bool with_village) {
  NeedDraft n;
  if (with_village) {
    n.village_id = f.Int("village_id", {.min = 1}).value_or(0);
  }
  n.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  n.project_type = f.String("project_type", {.min = 1, .max = 40}).value_or("");
  n.target_group = f.String("target_group", {.min = 1, .max = 100}).value_or("");
  n.beneficiaries = f.Int("beneficiaries", {.min = 1, .max = 10'000'000}).value_or(0);
  n.story = f.String("story", {.required = false, .max = 5000, .multiline = true}).value_or("");
  n.budget_min_fen = f.Int("budget_min_fen", {.min = 0, .max = kMaxFen}).value_or(0);
  n.budget_max_fen = f.Int("budget_max_fen", {.min = 0, .max = kMaxFen}).value_or(0);
  f.Object("period", true, [&n](Fields& period) {
    n.period_from_ms = period.Int("from_ms", {.min = 1}).value_or(0);
    n.period_to_ms = period.Int("to_ms", {.min = 1}).value_or(0);
  });
  n.source = f.String("source", {.required = with_village, .min = 1, .max = 20}).value_or("");
  if (!n.source.empty() && !IsNeedSource(n.source)) {
    f.Fail(Error::Invalid("invalid_value", "source"));
  }
  n.survey_round_public_id = f.String("survey_round_id", {.required = false, .min = 1, .max = 40});
  return n;
}

boost::json::object NeedJson(const Need& n) {
  const NeedDraft& d = n.draft;
  return json::object{{"id", n.public_id},
                      {"village_id", n.village_id},
                      {"village_name", n.village_name},
                      {"village_rural", n.village_rural},
                      {"title", d.title},
                      {"project_type", d.project_type},
                      {"target_group", d.target_group},
                      {"beneficiaries", d.beneficiaries},
                      {"story", d.story},
                      {"budget_min_fen", d.budget_min_fen},
                      {"budget_max_fen", d.budget_max_fen},
                      {"period", json::object{{"from_ms", d.period_from_ms}, {"to_ms", d.period_to_ms}}},
                      {"source", d.source},
                      {"survey_round_id", Opt(d.survey_round_public_id)},
                      {"status", n.status},
                      {"created_at_ms", n.created_at_ms},
                      {"updated_at_ms", n.updated_at_ms}};
}

void RegisterRoutes(http::Router& router, MarketService& market, AccountsService& accounts) {
  const auto bind = [&market, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&market, &accounts, fn](Request& req) { return fn(Deps{market, accounts}, req); };
  };
  // Literal segments before {id}: the router takes the first match.
  router.Add("POST", "/api/v1/market/projects", bind(CreateProject));
  router.Add("GET", "/api/v1/market/projects", bind(ListProjects));
  router.Add("GET", "/api/v1/market/projects/mine", bind(OrgProjects));
  router.Add("GET", "/api/v1/market/projects/pending", bind(PendingProjects));
  router.Add("GET", "/api/v1/market/projects/{id}", bind(GetProject));
  router.Add("PUT", "/api/v1/market/projects/{id}", bind(UpdateProject));
  router.Add("POST", "/api/v1/market/projects/{id}/withdraw", bind(WithdrawProject));
  router.Add("POST", "/api/v1/market/projects/{id}/approve", bind(ApproveProject));
  router.Add("POST", "/api/v1/market/projects/{id}/reject", bind(RejectProject));
  router.Add("GET", "/api/v1/market/projects/{id}/wanted", bind(Wanted));
  router.Add("POST", "/api/v1/market/needs", bind(CreateNeed));
  router.Add("GET", "/api/v1/market/needs", bind(ListNeeds));
  router.Add("GET", "/api/v1/market/needs/{id}", bind(GetNeed));
  router.Add("POST", "/api/v1/market/needs/{id}/close", bind(CloseNeed));
  router.Add("GET", "/api/v1/market/needs/{id}/matches", bind(Matches));
  router.Add("POST", "/api/v1/market/surveys", bind(OpenRound));
  router.Add("GET", "/api/v1/market/surveys", bind(VillageRounds));
  router.Add("GET", "/api/v1/market/surveys/{id}", bind(GetRound));
  router.Add("POST", "/api/v1/market/surveys/{id}/answers", bind(AnswerRound));
  router.Add("GET", "/api/v1/market/surveys/{id}/results", bind(RoundResults));
}

}  // namespace carecity::market
