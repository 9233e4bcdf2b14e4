// /api/v1/reception/...: parsing and JSON only; ReceptionService decides
// every permission. The contract: docs/api-reception.md.
#include "domains/reception/routes.h"

#include <boost/json.hpp>

#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/answer.h"
#include "http/json.h"

namespace carecity::reception {
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
  ReceptionService& reception;
  AccountsService& accounts;
};

json::object RoomJson(const RoomView& v) {
  const Room& r = v.room;
  json::array duty;
  for (const DutySlot& s : r.duty) {
    duty.push_back(
        json::object{{"user_id", s.user_id}, {"name", s.name}, {"phone", MaskPhone(s.phone)}, {"weekday", s.weekday}});
  }
  return json::object{{"id", r.id},
                      {"village_id", r.village_id},
                      {"village_name", r.village_name},
                      {"name", r.name},
                      {"address", r.address},
                      {"opening_hours", r.opening_hours},
                      {"duty", duty},
                      {"manage", v.manage},
                      {"on_duty", v.on_duty},
                      {"created_at_ms", r.created_at_ms}};
}

json::object VisitJson(const VisitView& view) {
  const Visit& v = view.visit;
  json::value resident = nullptr;
  if (view.resident_name || view.resident_phone) {
    resident = json::object{{"name", Opt(view.resident_name)}, {"phone", Opt(view.resident_phone)}};
  }
  json::value referral = nullptr;
  if (v.application_id) {
    referral = json::object{{"application_id", *v.application_id},
                            {"referred_at_ms", Opt(v.referred_at_ms)},
                            {"status", Opt(v.application_status)},
                            {"outcome", Opt(v.application_outcome)},
                            {"org_name", Opt(v.referred_org_name)}};
  }
  return json::object{{"id", v.public_id},
                      {"room_id", v.room_id},
                      {"room_name", v.room_name},
                      {"village_id", v.village_id},
                      {"village_name", v.village_name},
                      {"recorded_by", json::object{{"user_id", v.recorded_by}, {"name", v.recorder_name}}},
                      {"visited_at_ms", v.visited_at_ms},
                      {"category", v.category},
                      {"summary", v.summary},
                      {"action_taken", v.action_taken},
                      {"follow_up_ms", Opt(v.follow_up_ms)},
                      {"consent", json::object{{"name_phone", v.consent_name_phone}}},
                      {"resident", resident},
                      {"resident_visible", view.resident_visible},
                      {"resolved", v.resolved},
                      {"referral", referral},
                      {"can_refer", view.can_refer},
                      {"created_at_ms", v.created_at_ms}};
}

json::object CountsJson(const std::vector<std::pair<std::string, int64_t>>& by_category) {
  json::object o;
  for (const auto& [c, n] : by_category) {
    o[c] = n;
  }
  return o;
}

json::object RoomMonthJson(const RoomMonth& m) {
  json::object o{{"village_id", m.village_id},
                 {"village_name", m.village_name},
                 {"visits", m.visits},
                 {"referred", m.referred},
                 {"resolved", m.resolved},
                 {"by_category", CountsJson(m.by_category)}};
  if (m.room_id != 0) {
    o["room_id"] = m.room_id;
    o["room_name"] = m.room_name;
  }
  return o;
}

json::object StatsJson(const Stats& s) {
  json::array rooms;
  for (const RoomMonth& m : s.rooms) {
    rooms.push_back(RoomMonthJson(m));
  }
  json::array villages;
  for (const RoomMonth& v : s.villages) {
    villages.push_back(RoomMonthJson(v));
  }
  return json::object{{"month", s.month}, {"rooms", rooms}, {"villages", villages}};
}

// ---- Rooms ----

awaitable<Response> CreateRoom(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  RoomDraft rd;
  rd.village_id = f.Int("village_id", {.min = 1}).value_or(0);
  rd.name = f.String("name", {.min = 1, .max = 60}).value_or("");
  rd.address = f.String("address", {.required = false, .max = 200}).value_or("");
  rd.opening_hours = f.String("opening_hours", {.required = false, .max = 100}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.reception.CreateRoom(p, std::move(rd), std::move(ip));
  co_return OneAnswer(r, req, "room", RoomJson, 201);
}

awaitable<Response> ListRooms(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(village, req, "village_id");
  auto r = co_await d.reception.Rooms(p, village);
  co_return ListAnswer(r, req, "rooms", RoomJson);
}

awaitable<Response> GetRoom(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.room_not_found");
  auto r = co_await d.reception.GetRoom(p, id);
  co_return OneAnswer(r, req, "room", RoomJson);
}

awaitable<Response> SetDuty(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.room_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  std::vector<DutyDraft> duty;
  f.Objects("duty", 70, true, [&](Fields& item, size_t) {
    DutyDraft slot;
    slot.user_id = item.Int("user_id", {.min = 1}).value_or(0);
    slot.weekday = static_cast<int>(item.Int("weekday", {.min = 0, .max = 6}).value_or(0));
    duty.push_back(slot);
  });
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.reception.SetDuty(p, id, std::move(duty), std::move(ip));
  co_return OneAnswer(r, req, "room", RoomJson);
}

// ---- Visits ----

awaitable<Response> RecordVisit(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  VisitDraft vd;
  vd.room_id = f.Int("room_id", {.min = 1}).value_or(0);
  vd.visited_at_ms = f.Int("visited_at_ms", {.required = false, .min = 1});
  vd.category = f.String("category", {.min = 1, .max = 20}).value_or("");
  vd.summary = f.String("summary", {.min = 1, .max = 2000, .multiline = true}).value_or("");
  vd.action_taken = f.String("action_taken", {.required = false, .max = 2000, .multiline = true}).value_or("");
  vd.follow_up_ms = f.Int("follow_up_ms", {.required = false, .min = 1});
  f.Object("consent", true, [&](Fields& inner) { vd.consent_name_phone = inner.Bool("name_phone").value_or(false); });
  std::optional<std::string> phone;
  f.Object("resident", false, [&](Fields& inner) {
    vd.resident_name = inner.String("name", {.required = false, .max = 40}).value_or("");
    phone = inner.String("phone", {.required = false, .max = 20});
  });
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  for (char c : phone.value_or("")) {
    if (c != ' ' && c != '-') {
      vd.resident_phone += c;
    }
  }
  auto r = co_await d.reception.RecordVisit(p, std::move(vd));
  co_return OneAnswer(r, req, "visit", VisitJson, 201);
}

awaitable<Response> ListVisits(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(room, req, "room_id");
  CC_QUERY_ID(village, req, "village_id");
  auto r = co_await d.reception.Visits(p, room, village, req.Query("month"));
  co_return ListAnswer(r, req, "visits", VisitJson);
}

awaitable<Response> GetVisit(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.reception.GetVisit(p, std::string(req.Param("id")));
  co_return OneAnswer(r, req, "visit", VisitJson);
}

awaitable<Response> Resolve(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_OPTIONAL_BODY(body, req);
  Fields f(body);
  const bool resolved = f.Bool("resolved", false).value_or(true);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.reception.SetResolved(p, std::string(req.Param("id")), resolved, std::move(ip));
  co_return OneAnswer(r, req, "visit", VisitJson);
}

awaitable<Response> Refer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto key = http::OptionalIdempotencyKey(req);
  if (!key.ok()) {
    co_return Err(key.error(), req);
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t service = f.Int("service_id", {.min = 1}).value_or(0);
  const bool consent = f.Bool("consent").value_or(false);
  std::string note = f.String("note", {.required = false, .max = 1000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (!consent) {
    co_return Err(Error::Invalid("reception.referral_consent_required", "consent"), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.reception.Refer(p, std::string(req.Param("id")), service, std::move(note), std::move(*key),
                                      std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"application_id", r->application_id}, {"visit", VisitJson(r->visit)}});
}

awaitable<Response> GetStats(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(village, req, "village_id");
  auto r = co_await d.reception.MonthStats(p, req.Query("month"), village);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, StatsJson(*r));
}

}  // namespace

void RegisterRoutes(http::Router& router, ReceptionService& reception, AccountsService& accounts) {
  const auto bind = [&reception, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&reception, &accounts, fn](Request& req) { return fn(Deps{reception, accounts}, req); };
  };
  router.Add("POST", "/api/v1/reception/rooms", bind(CreateRoom));
  router.Add("GET", "/api/v1/reception/rooms", bind(ListRooms));
  router.Add("GET", "/api/v1/reception/rooms/{id}", bind(GetRoom));
  router.Add("PUT", "/api/v1/reception/rooms/{id}/duty", bind(SetDuty));
  router.Add("POST", "/api/v1/reception/visits", bind(RecordVisit));
  router.Add("GET", "/api/v1/reception/visits", bind(ListVisits));
  router.Add("GET", "/api/v1/reception/visits/{id}", bind(GetVisit));
  router.Add("POST", "/api/v1/reception/visits/{id}/resolve", bind(Resolve));
  router.Add("POST", "/api/v1/reception/visits/{id}/refer", bind(Refer));
  router.Add("GET", "/api/v1/reception/stats", bind(GetStats));
}

}  // namespace carecity::reception
