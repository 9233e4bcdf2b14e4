// /api/v1/market/meetings: the 供需见面会. Parsing and JSON only;
// MeetingsService decides every permission. Contract: docs/api-market.md.
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
  MeetingsService& meetings;
  AccountsService& accounts;
};

json::object BoothJson(const Booth& b) {
  return json::object{{"id", b.public_id},
                      {"org_id", b.org_id},
                      {"org_name", b.org_name},
                      {"project_id", b.project_public_id},
                      {"project_title", b.project_title},
                      {"project_type", b.project_type},
                      {"starts_at_ms", b.starts_at_ms},
                      {"ends_at_ms", b.ends_at_ms},
                      {"table_no", b.table_no},
                      {"shortlisted_by", b.shortlisted_by}};
}

json::array NamedJson(const std::vector<NamedId>& v) {
  json::array a;
  for (const NamedId& x : v) {
    a.push_back(json::object{{"id", x.id}, {"name", x.name}});
  }
  return a;
}

json::object MeetingJson(const Meeting& m) {
  json::array booths;
  for (const Booth& b : m.booths) {
    booths.push_back(BoothJson(b));
  }
  const MeetingReport& r = m.report;
  return json::object{{"id", m.public_id},
                      {"event_id", m.event_id},
                      {"title", m.title},
                      {"description", m.description},
                      {"host_org_id", m.host_org_id},
                      {"host_org_name", m.host_org_name},
                      {"venue", json::object{{"name", m.venue_name}, {"address", m.venue_address}}},
                      {"starts_at_ms", m.starts_at_ms},
                      {"ends_at_ms", m.ends_at_ms},
                      {"seats_per_village", m.seats_per_village},
                      {"seats_per_org", m.seats_per_org},
                      {"villages", NamedJson(m.villages)},
                      {"orgs", NamedJson(m.orgs)},
                      {"booths", booths},
                      {"report", json::object{{"projects_presented", r.projects_presented},
                                              {"villages_invited", r.villages_invited},
                                              {"villages_shortlisting", r.villages_shortlisting},
                                              {"intentions", r.intentions},
                                              {"quote_requests", r.quote_requests},
                                              {"contracts", r.contracts},
                                              {"contracts_fen", r.contracts_fen},
                                              {"attendees_checked_in", r.attendees_checked_in}}}};
}

json::object ShortlistJson(const ShortlistItem& s) {
  return json::object{{"village_id", s.village_id},
                      {"village_name", s.village_name},
                      {"booth", BoothJson(s.booth)},
                      {"quote_request_id", Opt(s.request_public_id)},
                      {"quote_request_status", Opt(s.request_status)},
                      {"created_at_ms", s.created_at_ms}};
}

Result<std::vector<int64_t>> Ids(Fields& f, const char* name) {
  std::vector<int64_t> out;
  const json::value* v = f.Raw(name);
  if (v == nullptr || !v->is_array()) {
    return Error::Invalid("missing_field", name);
  }
  const json::array& a = v->as_array();
  if (a.size() > 200) {
    return Error::Invalid("out_of_range", name);
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_int64() || a[i].as_int64() < 1) {
      return Error::Invalid("invalid_value", std::string(name) + "[" + std::to_string(i) + "]");
    }
    out.push_back(a[i].as_int64());
  }
  if (out.empty()) {
    return Error::Invalid("missing_field", name);
  }
  return out;
}

awaitable<Response> Create(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  MeetingDraft m;
  m.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  m.description = f.String("description", {.required = false, .max = 5000, .multiline = true}).value_or("");
  m.host_org_id = f.Int("host_org_id", {.min = 1}).value_or(0);
  m.venue_id = f.Int("venue_id", {.min = 1}).value_or(0);
  m.starts_at_ms = f.Int("starts_at_ms", {.min = 1}).value_or(0);
  m.ends_at_ms = f.Int("ends_at_ms", {.min = 1}).value_or(0);
  m.signup_closes_at_ms = f.Int("signup_closes_at_ms", {.required = false, .min = 1}).value_or(0);
  m.capacity = f.Int("capacity", {.min = 1, .max = 100'000}).value_or(0);
  m.seats_per_village = f.Int("seats_per_village", {.required = false, .min = 1, .max = 50}).value_or(3);
  m.seats_per_org = f.Int("seats_per_org", {.required = false, .min = 1, .max = 50}).value_or(2);
  auto villages = Ids(f, "village_ids");
  auto orgs = Ids(f, "org_ids");
  if (f.ok() && !villages.ok()) {
    f.Fail(villages.error());
  }
  if (f.ok() && !orgs.ok()) {
    f.Fail(orgs.error());
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  m.village_ids = *villages;
  m.org_ids = *orgs;
  std::string ip = req.remote_ip;
  auto r = co_await d.meetings.Create(p, std::move(m), std::move(ip));
  co_return OneAnswer(r, req, "meeting", MeetingJson, 201);
}

awaitable<Response> List(Deps d, Request& req) {
  auto r = co_await d.meetings.List();
  co_return ListAnswer(r, req, "meetings", MeetingJson);
}

awaitable<Response> Get(Deps d, Request& req) {
  auto r = co_await d.meetings.Get(std::string(req.Param("id")));
  co_return OneAnswer(r, req, "meeting", MeetingJson);
}

awaitable<Response> AddBooth(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto project = f.String("project_id", {.min = 1, .max = 40});
  const int64_t starts = f.Int("starts_at_ms", {.min = 1}).value_or(0);
  const int64_t ends = f.Int("ends_at_ms", {.min = 1}).value_or(0);
  auto table = f.String("table_no", {.required = false, .max = 20});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.meetings.AddBooth(p, std::string(req.Param("id")), std::move(*project), starts, ends,
                                        table.value_or(""), std::move(ip));
  co_return OneAnswer(r, req, "meeting", MeetingJson, 201);
}

awaitable<Response> RemoveBooth(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string ip = req.remote_ip;
  auto r = co_await d.meetings.RemoveBooth(p, std::string(req.Param("id")), std::string(req.Param("booth")),
                                           std::move(ip));
  co_return OneAnswer(r, req, "meeting", MeetingJson);
}

// POST …/shortlist {village_id, project_id} adds; DELETE …/shortlist/{project}?village_id= removes.
awaitable<Response> AddShortlist(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t village = f.Int("village_id", {.min = 1}).value_or(0);
  auto project = f.String("project_id", {.min = 1, .max = 40});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.meetings.Shortlist(p, std::string(req.Param("id")), village, std::move(*project), true);
  co_return ListAnswer(r, req, "shortlist", ShortlistJson);
}

awaitable<Response> RemoveShortlist(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto village = http::QueryId(req, "village_id");
  if (!village.ok() || !*village) {
    co_return Err(village.ok() ? Error::Invalid("missing_field", "village_id") : village.error(), req);
  }
  auto r = co_await d.meetings.Shortlist(p, std::string(req.Param("id")), **village, std::string(req.Param("project")),
                                         false);
  co_return ListAnswer(r, req, "shortlist", ShortlistJson);
}

// GET …/shortlist?village_id= (that village's staff) or ?org_id= (the
// villages that shortlisted that organisation's projects).
awaitable<Response> GetShortlist(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto village = http::QueryId(req, "village_id");
  auto org = http::QueryId(req, "org_id");
  if (!village.ok() || !org.ok()) {
    co_return Err(!village.ok() ? village.error() : org.error(), req);
  }
  std::string id(req.Param("id"));
  Result<std::vector<ShortlistItem>> r = Error::Invalid("missing_field", "village_id");
  if (*village) {
    r = co_await d.meetings.VillageShortlist(p, std::move(id), **village);
  } else if (*org) {
    r = co_await d.meetings.OrgInterest(p, std::move(id), **org);
  }
  co_return ListAnswer(r, req, "shortlist", ShortlistJson);
}

awaitable<Response> Convert(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t village = f.Int("village_id", {.min = 1}).value_or(0);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.meetings.Convert(p, std::string(req.Param("id")), village, std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array created;
  for (const QuoteRequestView& v : r->created) {
    created.push_back(json::object{{"id", v.request.public_id},
                                   {"project_id", v.request.project_public_id},
                                   {"project_title", v.request.project_title},
                                   {"org_name", v.request.org_name},
                                   {"status", v.request.status}});
  }
  json::array skipped;
  for (const std::string& s : r->skipped) {
    skipped.emplace_back(s);
  }
  co_return http::JsonResponse(201, json::object{{"quote_requests", created}, {"skipped", skipped}});
}

}  // namespace

void RegisterMeetingRoutes(http::Router& router, MeetingsService& meetings, AccountsService& accounts) {
  const auto bind = [&meetings, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&meetings, &accounts, fn](Request& req) { return fn(Deps{meetings, accounts}, req); };
  };
  router.Add("POST", "/api/v1/market/meetings", bind(Create));
  router.Add("GET", "/api/v1/market/meetings", bind(List));
  router.Add("GET", "/api/v1/market/meetings/{id}", bind(Get));
  router.Add("POST", "/api/v1/market/meetings/{id}/booths", bind(AddBooth));
  router.Add("DELETE", "/api/v1/market/meetings/{id}/booths/{booth}", bind(RemoveBooth));
  router.Add("GET", "/api/v1/market/meetings/{id}/shortlist", bind(GetShortlist));
  router.Add("POST", "/api/v1/market/meetings/{id}/shortlist", bind(AddShortlist));
  router.Add("POST", "/api/v1/market/meetings/{id}/shortlist/quote-requests", bind(Convert));
  router.Add("DELETE", "/api/v1/market/meetings/{id}/shortlist/{project}", bind(RemoveShortlist));
}

}  // namespace carecity::market
