#include "domains/casework/routes.h"

#include <boost/json.hpp>

#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/json.h"

namespace carecity::casework {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Fields;
using http::Request;
using http::Err;
using http::Opt;
using http::Response;

struct Deps {
  CaseworkService& casework;
  AccountsService& accounts;
  const Clock& clock;
};



json::array RefsJson(const std::vector<Ref>& refs) {
  json::array out;
  for (const Ref& r : refs) {
    out.push_back(json::object{{"id", r.id}, {"name", r.name}});
  }
  return out;
}

json::object ServiceJson(const Service& s) {
  return json::object{{"id", s.id},
                      {"org_id", s.org_id},
                      {"org_name", s.org_name},
                      {"name", s.name},
                      {"description", s.description},
                      {"eligibility", s.eligibility},
                      {"villages", RefsJson(s.villages)},
                      {"response_days", s.response_days},
                      {"active", s.active},
                      {"created_at_ms", s.created_at_ms}};
}

json::object ApplicationJson(const View& v, int64_t now_ms) {
  const Application& a = v.app;
  const bool insider = v.applicant || v.staff;
  json::array timeline;
  for (const TimelineItem& t : a.timeline) {
    const bool by_applicant = t.actor_id && *t.actor_id == a.applicant_id;
    timeline.push_back(json::object{
        {"at_ms", t.at_ms},
        {"kind", t.kind},
        {"actor", !t.actor_id ? json::value("系统") : json::value(by_applicant && !insider ? MaskPersonName(t.actor_name) : t.actor_name)},
        {"note", t.note}});
  }
  json::value sensitive = nullptr;
  if (v.sensitive) {
    sensitive = json::object{
        {"health_condition", v.sensitive->health_condition.empty() ? json::value(nullptr) : json::value(v.sensitive->health_condition)},
        {"id_number", v.sensitive->id_number.empty() ? json::value(nullptr) : json::value(v.sensitive->id_number)}};
  }
  json::value worker = nullptr;
  if (a.worker_id) {
    worker = json::object{{"user_id", *a.worker_id}, {"name", a.worker_name}};
  }
  json::value village = nullptr;
  if (a.village) {
    village = json::object{{"id", a.village->id}, {"name", a.village->name}};
  }
  return json::object{
      {"id", a.id},
      {"service", json::object{{"id", a.service_id}, {"name", a.service_name}, {"org_id", a.org_id}, {"org_name", a.org_name}}},
      {"org_id", a.org_id},
      {"org_name", a.org_name},
      {"applicant", json::object{{"user_id", a.applicant_id},
                                 {"name", insider ? a.applicant_name : MaskPersonName(a.applicant_name)}}},
      {"for_whom", a.for_whom},
      {"beneficiary_name", insider ? a.beneficiary_name : MaskPersonName(a.beneficiary_name)},
      {"relationship", a.relationship},
      {"description", insider ? a.description : ""},
      {"preferred_times", a.preferred_times},
      {"contact_phone", insider ? a.contact_phone : MaskPhone(a.contact_phone)},
      {"village", village},
      {"status", a.status},
      {"worker", worker},
      {"submitted_at_ms", a.submitted_at_ms},
      {"due_at_ms", a.due_at_ms},
      {"first_response_at_ms", Opt(a.first_response_at_ms)},
      {"overdue", a.Overdue(now_ms)},
      {"closed_at_ms", Opt(a.closed_at_ms)},
      {"outcome", Opt(a.outcome)},
      {"rating", Opt(a.rating)},
      {"rating_comment", Opt(a.rating_comment)},
      {"reopen_until_ms", Opt(v.reopen_until_ms)},
      {"has_sensitive", a.sensitive_box.has_value()},
      {"sensitive", sensitive},
      {"sensitive_visible", v.sensitive_visible && v.sensitive.has_value()},
      {"sensitive_unreadable", v.sensitive_unreadable},
      {"timeline", timeline}};
}

json::object MessageJson(const Message& m) {
  return json::object{{"id", m.id},
                      {"author", json::object{{"user_id", m.author_id}, {"name", m.author_name}}},
                      {"from_staff", m.from_staff},
                      {"body", m.body},
                      {"created_at_ms", m.created_at_ms}};
}

Response One(int status, const View& v, const Deps& d) {
  return http::JsonResponse(status, json::object{{"application", ApplicationJson(v, d.clock.NowMs())}});
}

Response Many(const std::vector<View>& list, const Deps& d) {
  json::array out;
  for (const View& v : list) {
    out.push_back(ApplicationJson(v, d.clock.NowMs()));
  }
  return http::JsonResponse(200, json::object{{"applications", out}});
}

awaitable<Response> ListServices(Deps d, Request& req) {
  auto village = http::QueryId(req, "village_id");
  auto org = http::QueryId(req, "org_id");
  if (!village.ok()) {
    co_return Err(village.error(), req);
  }
  if (!org.ok()) {
    co_return Err(org.error(), req);
  }
  auto r = co_await d.casework.Services(*village, *org);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Service& s : *r) {
    list.push_back(ServiceJson(s));
  }
  co_return http::JsonResponse(200, json::object{{"services", list}});
}

awaitable<Response> GetService(Deps d, Request& req) {
  const auto id = http::ParseId(req.Param("id"));
  if (!id) {
    co_return Err(Error::NotFound("service_not_found"), req);
  }
  auto r = co_await d.casework.GetService(*id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"service", ServiceJson(*r)}});
}

awaitable<Response> CreateService(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto org = f.Int("org_id", {.min = 1});
  auto name = f.String("name", {.min = 2, .max = 40});
  auto desc = f.String("description", {.min = 2, .max = 2000, .multiline = true});
  auto elig = f.String("eligibility", {.required = false, .max = 500, .multiline = true});
  const json::value* villages = f.Raw("village_ids");
  auto days = f.Int("response_days");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto ids = http::IdArray(villages, "village_ids");
  if (!ids.ok()) {
    co_return Err(ids.error(), req);
  }
  NewService in{*org, *name, *desc, elig.value_or(""), std::move(*ids), *days};
  auto r = co_await d.casework.CreateService(p, std::move(in), req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"service", ServiceJson(*r)}});
}

awaitable<Response> Apply(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewApplication in;
  auto service = f.Int("service_id", {.min = 1});
  auto for_whom = f.String("for_whom", {.required = false, .max = 10});
  auto beneficiary = f.String("beneficiary_name", {.required = false, .max = 30});
  auto relationship = f.String("relationship", {.required = false, .max = 20});
  auto description = f.String("description", {.min = 5, .max = 2000, .multiline = true});
  auto times = f.String("preferred_times", {.required = false, .max = 200});
  auto phone = f.String("contact_phone", {.max = 20});
  auto village = f.Int("village_id", {.required = false, .min = 1});
  const json::value* sensitive = f.Raw("sensitive");
  auto consent = f.Bool("sensitive_consent", false);
  if (sensitive != nullptr && !sensitive->is_null()) {
    if (!sensitive->is_object()) {
      f.Fail(Error::Invalid("invalid_type", "sensitive"));
    } else {
      Fields sf(sensitive->get_object());
      auto health = sf.String("health_condition", {.required = false, .max = 500, .multiline = true});
      auto id_number = sf.String("id_number", {.required = false, .max = 18});
      if (auto s = sf.Finish(); !s.ok()) {
        Error e = s.error();
        e.field = "sensitive." + e.field;
        f.Fail(e);
      }
      in.sensitive.health_condition = health.value_or("");
      in.sensitive.id_number = id_number.value_or("");
    }
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  in.for_whom = for_whom.value_or("self");
  if (in.for_whom != "self" && in.for_whom != "family") {
    co_return Err(Error::Invalid("invalid_value", "for_whom"), req);
  }
  std::string digits;
  for (char c : *phone) {
    if (c != ' ' && c != '-') {
      digits += c;
    }
  }
  if (!IsMainlandMobile(digits)) {
    co_return Err(Error::Invalid("invalid_phone", "contact_phone"), req);
  }
  in.service_id = *service;
  in.beneficiary_name = beneficiary.value_or("");
  in.relationship = relationship.value_or("");
  in.description = *description;
  in.preferred_times = times.value_or("");
  in.contact_phone = digits;
  in.village_id = village;
  in.sensitive_consent = consent.value_or(false);
  auto r = co_await d.casework.Apply(p, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return One(201, *r, d);
}

awaitable<Response> GetApplication(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "application_not_found");
  auto r = co_await d.casework.Get(p, id, req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return One(200, *r, d);
}

awaitable<Response> MyApplications(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.casework.Mine(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return Many(*r, d);
}

awaitable<Response> Inbox(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto org = http::QueryId(req, "org_id");
  if (!org.ok()) {
    co_return Err(org.error(), req);
  }
  if (!*org) {
    co_return Err(Error::Invalid("missing_field", "org_id"), req);
  }
  std::optional<std::string> status;
  if (auto s = req.Query("status"); s && !s->empty()) {
    if (*s != "submitted" && *s != "accepted" && *s != "declined" && *s != "closed") {
      co_return Err(Error::Invalid("invalid_value", "status"), req);
    }
    status = *s;
  }
  const bool overdue = req.Query("overdue").value_or("") == "true";
  auto r = co_await d.casework.Inbox(p, **org, status, overdue);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return Many(*r, d);
}

awaitable<Response> Accept(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "application_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto worker = f.Int("worker_user_id", {.min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.casework.Accept(p, id, *worker, req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return One(200, *r, d);
}

awaitable<Response> Refer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "application_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto service = f.Int("service_id", {.min = 1});
  auto reason = f.String("reason", {.min = 2, .max = 500, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.casework.Refer(p, id, *service, *reason, req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return One(200, *r, d);
}

// decline {reason}, close {outcome}, reopen {reason}: one text field each.
awaitable<Response> TextAction(Deps d, Request& req, const char* field,
                               Task<View> (CaseworkService::*action)(const Principal&, int64_t, std::string,
                                                                     std::string)) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "application_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto text = f.String(field, {.min = 2, .max = 1000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await (d.casework.*action)(p, id, *text, req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return One(200, *r, d);
}

awaitable<Response> Decline(Deps d, Request& req) {
  co_return co_await TextAction(d, req, "reason", &CaseworkService::Decline);
}
awaitable<Response> Close(Deps d, Request& req) {
  co_return co_await TextAction(d, req, "outcome", &CaseworkService::Close);
}
awaitable<Response> Reopen(Deps d, Request& req) {
  co_return co_await TextAction(d, req, "reason", &CaseworkService::Reopen);
}

awaitable<Response> Rate(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "application_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto score = f.Int("score", {.min = 1, .max = 5});
  auto comment = f.String("comment", {.required = false, .max = 500, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string comment_text = comment.value_or("");  // named: no temporary inside co_await
  auto r = co_await d.casework.Rate(p, id, *score, std::move(comment_text), req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return One(200, *r, d);
}

awaitable<Response> ListMessages(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "application_not_found");
  auto r = co_await d.casework.Messages(p, id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Message& m : *r) {
    list.push_back(MessageJson(m));
  }
  co_return http::JsonResponse(200, json::object{{"messages", list}});
}

awaitable<Response> PostMessage(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "application_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto text = f.String("body", {.min = 1, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.casework.PostMessage(p, id, *text);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"message", MessageJson(*r)}});
}

awaitable<Response> Escalations(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.casework.Escalations(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return Many(*r, d);
}

awaitable<Response> Stats(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.casework.Stats(p);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const OrgStats& s : *r) {
    list.push_back(json::object{{"org_id", s.org_id},
                                {"org_name", s.org_name},
                                {"applications", s.applications},
                                {"open", s.open},
                                {"overdue", s.overdue},
                                {"median_first_response_ms", Opt(s.median_first_response_ms)},
                                {"satisfaction_avg", Opt(s.satisfaction_avg)},
                                {"rated", s.rated}});
  }
  co_return http::JsonResponse(200, json::object{{"orgs", list}});
}

}  // namespace

void RegisterRoutes(http::Router& router, CaseworkService& casework, AccountsService& accounts, const Clock& clock) {
  const auto bind = [&casework, &accounts, &clock](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&casework, &accounts, &clock, fn](Request& req) { return fn(Deps{casework, accounts, clock}, req); };
  };
  router.Add("GET", "/api/v1/casework/services", bind(ListServices));
  router.Add("POST", "/api/v1/casework/services", bind(CreateService));
  router.Add("GET", "/api/v1/casework/services/{id}", bind(GetService));
  router.Add("POST", "/api/v1/casework/applications", bind(Apply));
  router.Add("GET", "/api/v1/casework/applications/{id}", bind(GetApplication));
  router.Add("POST", "/api/v1/casework/applications/{id}/accept", bind(Accept));
  router.Add("POST", "/api/v1/casework/applications/{id}/refer", bind(Refer));
  router.Add("POST", "/api/v1/casework/applications/{id}/decline", bind(Decline));
  router.Add("POST", "/api/v1/casework/applications/{id}/close", bind(Close));
  router.Add("POST", "/api/v1/casework/applications/{id}/rate", bind(Rate));
  router.Add("POST", "/api/v1/casework/applications/{id}/reopen", bind(Reopen));
  router.Add("GET", "/api/v1/casework/applications/{id}/messages", bind(ListMessages));
  router.Add("POST", "/api/v1/casework/applications/{id}/messages", bind(PostMessage));
  router.Add("GET", "/api/v1/me/casework/applications", bind(MyApplications));
  router.Add("GET", "/api/v1/casework/inbox", bind(Inbox));
  router.Add("GET", "/api/v1/casework/escalations", bind(Escalations));
  router.Add("GET", "/api/v1/casework/stats", bind(Stats));
}

}  // namespace carecity::casework
