#include "domains/events/routes.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <ctime>

#include "core/qr.h"
#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/json.h"

namespace carecity::events {
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
  EventsService& events;
  AccountsService& accounts;
  const Clock& clock;
};



json::object VenueJson(const Venue& v) {
  return json::object{{"id", v.id}, {"name", v.name}, {"address", v.address}, {"map_url", v.map_url}};
}

json::object EventJson(const Event& e, int64_t now_ms) {
  json::array villages;
  for (const VillageRef& v : e.villages) {
    villages.push_back(json::object{{"id", v.id}, {"name", v.name}});
  }
  json::array questions;
  for (const Question& q : e.questions) {
    json::array options;
    for (const std::string& o : q.options) {
      options.emplace_back(o);
    }
    questions.push_back(json::object{
        {"id", q.id}, {"label", q.label}, {"kind", q.kind}, {"options", options}, {"required", q.required}});
  }
  return json::object{{"id", e.id},
                      {"org_id", e.org_id},
                      {"org_name", e.org_name},
                      {"organiser", e.organiser},
                      {"title", e.title},
                      {"description", e.description},
                      {"cover_url", e.cover_url},
                      {"type", e.type},
                      {"venue", VenueJson(e.venue)},
                      {"starts_at_ms", e.starts_at_ms},
                      {"ends_at_ms", e.ends_at_ms},
                      {"signup_opens_at_ms", e.signup_opens_at_ms},
                      {"signup_closes_at_ms", e.signup_closes_at_ms},
                      {"capacity", e.capacity},
                      {"confirmed", e.confirmed_seats},
                      {"waitlisted", e.waitlisted_seats},
                      {"remaining", std::max<int64_t>(0, e.capacity - e.confirmed_seats)},
                      {"audience", e.audience},
                      {"villages", villages},
                      {"per_person_limit", e.per_person_limit},
                      {"questions", questions},
                      {"records_hours", e.records_hours},
                      {"volunteer_minutes", e.volunteer_minutes},
                      {"confirm_within_hours", e.confirm_within_hours},
                      {"status", e.status},
                      {"cancel_reason", Opt(e.cancel_reason)},
                      {"signup_state", e.SignupState(now_ms)},
                      {"created_at_ms", e.created_at_ms}};
}

// `full`: the registrant or the event's staff see the name and answers.
json::object RegistrationJson(const Registration& r, bool full) {
  json::value answers = json::object{};
  if (full) {
    boost::system::error_code ec;
    answers = json::parse(r.answers_json, ec);
    if (ec) {
      answers = json::object{};
    }
  }
  return json::object{{"id", r.public_id},
                      {"event_id", r.event_id},
                      {"user_id", r.user_id},
                      {"name", full ? r.user_name : MaskPersonName(r.user_name)},
                      {"seats", r.seats},
                      {"status", r.status},
                      {"position", Opt(r.position)},
                      {"ticket_code", r.status == "confirmed" ? json::value(r.ticket_code) : json::value(nullptr)},
                      {"answers", answers},
                      {"offer_expires_at_ms", Opt(r.offer_expires_at_ms)},
                      {"checked_in_at_ms", Opt(r.checked_in_at_ms)},
                      {"created_at_ms", r.created_at_ms},
                      {"updated_at_ms", r.updated_at_ms}};
}

json::object CheckinJson(const Checkin& c) {
  return json::object{{"registration_id", c.registration_id},
                      {"ticket_code", c.ticket_code},
                      {"name", c.name},
                      {"seats", c.seats},
                      {"checked_in_at_ms", c.checked_in_at_ms},
                      {"by_user_id", c.by_user_id},
                      {"client_id", Opt(c.client_id)}};
}

awaitable<Response> ListEvents(Deps d, Request& req) {
  repo::EventFilter f;
  auto from = http::QueryId(req, "from_ms");
  auto to = http::QueryId(req, "to_ms");
  auto village = http::QueryId(req, "village_id");
  auto org = http::QueryId(req, "org_id");
  auto limit = http::QueryId(req, "limit");
  for (const auto* r : {&from, &to, &village, &org, &limit}) {
    if (!r->ok()) {
      co_return Err(r->error(), req);
    }
  }
  const int64_t now = d.clock.NowMs();
  f.from_ms = from->value_or(now);
  f.to_ms = *to;
  f.village_id = *village;
  f.org_id = *org;
  f.limit = static_cast<int>(std::clamp<int64_t>(limit->value_or(20), 1, 100));
  if (auto t = req.Query("type"); t && !t->empty()) {
    if (!IsEventType(*t)) {
      co_return Err(Error::Invalid("invalid_value", "type"), req);
    }
    f.type = *t;
  }
  if (auto c = req.Query("cursor"); c && !c->empty()) {
    const auto colon = c->find(':');
    auto s = colon == std::string::npos ? std::nullopt : http::ParseId(c->substr(0, colon));
    auto i = colon == std::string::npos ? std::nullopt : http::ParseId(c->substr(colon + 1));
    if (!s || !i) {
      co_return Err(Error::Invalid("invalid_value", "cursor"), req);
    }
    f.after = std::pair{*s, *i};
  }
  auto r = co_await d.events.List(f);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Event& e : *r) {
    list.push_back(EventJson(e, now));
  }
  json::value next = nullptr;
  if (static_cast<int>(r->size()) == f.limit) {
    next = fmt::format("{}:{}", r->back().starts_at_ms, r->back().id);
  }
  co_return http::JsonResponse(200, json::object{{"events", list}, {"next_cursor", next}});
}

awaitable<Response> GetEvent(Deps d, Request& req) {
  CC_PATH_ID(id, req, "id", "event_not_found");
  auto r = co_await d.events.Get(id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::object out{{"event", EventJson(*r, d.clock.NowMs())}};
  auto p = co_await accounts::RequirePrincipal(d.accounts, req);
  if (p.ok()) {
    auto mine = co_await d.events.RegistrationOf(p->user_id, id);
    out["my_registration"] = mine.ok() && *mine ? json::value(RegistrationJson(**mine, true)) : json::value(nullptr);
  }
  co_return http::JsonResponse(200, out);
}

std::string IcsTime(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

// RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped; lines
// folded at 75 octets without splitting a UTF-8 character.
std::string IcsLine(const std::string& name, const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == ';' || c == ',') {
      escaped += '\\';
      escaped += c;
    } else if (c == '\n') {
      escaped += "\\n";
    } else if (c != '\r') {
      escaped += c;
    }
  }
  const std::string line = name + ":" + escaped;
  std::string out;
  size_t width = 0;
  for (size_t i = 0; i < line.size();) {
    size_t len = 1;
    const auto b = static_cast<unsigned char>(line[i]);
    if (b >= 0xF0) {
      len = 4;
    } else if (b >= 0xE0) {
      len = 3;
    } else if (b >= 0xC0) {
      len = 2;
    }
    if (width + len > 74) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line, i, len);
    width += len;
    i += len;
  }
  return out + "\r\n";
}

awaitable<Response> EventIcs(Deps d, Request& req) {
  CC_PATH_ID(id, req, "id", "event_not_found");
  auto r = co_await d.events.Get(id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const Event& e = *r;
  std::string body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CareCity//关爱城市//ZH\r\nMETHOD:PUBLISH\r\n";
  body += "BEGIN:VEVENT\r\n";
  body += IcsLine("UID", fmt::format("event-{}@carecity", e.id));
  body += IcsLine("DTSTAMP", IcsTime(d.clock.NowMs()));
  body += IcsLine("DTSTART", IcsTime(e.starts_at_ms));
  body += IcsLine("DTEND", IcsTime(e.ends_at_ms));
  body += IcsLine("SUMMARY", e.title);
  body += IcsLine("LOCATION", e.venue.name + (e.venue.address.empty() ? "" : " " + e.venue.address));
  body += IcsLine("DESCRIPTION", e.description);
  std::string cn = e.organiser;  // a quoted parameter value may not hold a quote
  std::erase(cn, '"');
  body += IcsLine("ORGANIZER;CN=\"" + cn + "\"", "mailto:noreply@carecity.invalid");
  if (e.status == "cancelled") {
    body += "STATUS:CANCELLED\r\n";
  }
  body += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  Response res;
  res.status = 200;
  res.body = std::move(body);
  res.Set("Content-Type", "text/calendar; charset=utf-8");
  res.Set("Content-Disposition", fmt::format("attachment; filename=\"event-{}.ics\"", e.id));
  co_return res;
}

awaitable<Response> ListVenues(Deps d, Request& req) {
  auto r = co_await d.events.Venues();
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Venue& v : *r) {
    list.push_back(VenueJson(v));
  }
  co_return http::JsonResponse(200, json::object{{"venues", list}});
}

// questions: [{id?, label, kind, options?, required?}]
Result<std::vector<Question>> ParseQuestionsField(const json::value* raw) {
  std::vector<Question> out;
  if (raw == nullptr || raw->is_null()) {
    return out;
  }
  const Error bad = Error::Invalid("invalid_question", "questions");
  if (!raw->is_array() || raw->get_array().size() > 10) {
    return bad;
  }
  for (const json::value& item : raw->get_array()) {
    if (!item.is_object()) {
      return bad;
    }
    Fields f(item.get_object());
    auto id = f.String("id", {.required = false, .min = 1, .max = 20});
    auto label = f.String("label", {.min = 1, .max = 100});
    auto kind = f.String("kind", {.max = 10});
    const json::value* options = f.Raw("options");
    auto required = f.Bool("required", false);
    if (!f.Finish().ok()) {
      return bad;
    }
    Question q;
    q.id = id.value_or("q" + std::to_string(out.size() + 1));
    q.label = *label;
    q.kind = *kind;
    q.required = required.value_or(false);
    if (q.kind != "text" && q.kind != "choice") {
      return bad;
    }
    if (q.kind == "choice") {
      if (options == nullptr || !options->is_array() || options->get_array().size() < 2 ||
          options->get_array().size() > 10) {
        return bad;
      }
      for (const json::value& o : options->get_array()) {
        if (!o.is_string()) {
          return bad;
        }
        const std::string text = Trim(std::string(o.get_string()));
        if (text.empty() || CodePointCount(text) > 40 || !IsValidUtf8(text) || HasControlChars(text, false)) {
          return bad;
        }
        q.options.push_back(text);
      }
    }
    for (char c : q.id) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
        return bad;
      }
    }
    for (const Question& other : out) {
      if (other.id == q.id) {
        return bad;
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

awaitable<Response> CreateEvent(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewEvent in;
  auto org = f.Int("org_id", {.min = 1});
  auto title = f.String("title", {.min = 2, .max = 60});
  auto desc = f.String("description", {.required = false, .max = 5000, .multiline = true});
  auto cover = f.String("cover_url", {.required = false, .max = 500});
  auto type = f.String("type", {.max = 20});
  auto organiser = f.String("organiser", {.required = false, .max = 60});
  auto venue_id = f.Int("venue_id", {.required = false, .min = 1});
  const json::value* venue = f.Raw("venue");
  constexpr int64_t kYear2100Ms = 4'102'444'800'000;
  auto starts = f.Int("starts_at_ms", {.min = 0, .max = kYear2100Ms});
  auto ends = f.Int("ends_at_ms", {.min = 0, .max = kYear2100Ms});
  auto opens = f.Int("signup_opens_at_ms", {.min = 0, .max = kYear2100Ms});
  auto closes = f.Int("signup_closes_at_ms", {.min = 0, .max = kYear2100Ms});
  auto capacity = f.Int("capacity", {.min = 1, .max = 100000});
  auto audience = f.String("audience", {.required = false, .max = 20});
  const json::value* village_ids = f.Raw("village_ids");
  auto per_person = f.Int("per_person_limit", {.required = false, .min = 1, .max = 10});
  const json::value* questions = f.Raw("questions");
  auto records = f.Bool("records_hours", false);
  auto minutes = f.Int("volunteer_minutes", {.required = false, .min = 0, .max = 7 * 24 * 60});
  auto confirm = f.Int("confirm_within_hours", {.required = false, .min = 0, .max = 168});
  if (venue != nullptr && !venue->is_null()) {
    if (!venue->is_object()) {
      f.Fail(Error::Invalid("invalid_type", "venue"));
    } else {
      Fields vf(venue->get_object());
      auto name = vf.String("name", {.min = 2, .max = 60});
      auto address = vf.String("address", {.min = 2, .max = 200});
      auto map_url = vf.String("map_url", {.required = false, .max = 500});
      if (auto s = vf.Finish(); !s.ok()) {
        Error e = s.error();
        e.field = "venue." + e.field;
        e.label = "venue";
        f.Fail(e);
      } else {
        in.venue = Venue{0, *name, *address, map_url.value_or("")};
      }
    }
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto qs = ParseQuestionsField(questions);
  if (!qs.ok()) {
    co_return Err(qs.error(), req);
  }
  auto villages = http::IdArray(village_ids, "village_ids");
  if (!villages.ok()) {
    co_return Err(villages.error(), req);
  }
  in.org_id = *org;
  in.title = *title;
  in.description = desc.value_or("");
  in.cover_url = cover.value_or("");
  in.type = *type;
  in.organiser = organiser.value_or("");
  in.venue_id = venue_id;
  in.starts_at_ms = *starts;
  in.ends_at_ms = *ends;
  in.signup_opens_at_ms = *opens;
  in.signup_closes_at_ms = *closes;
  in.capacity = *capacity;
  in.audience = audience.value_or("everyone");
  in.village_ids = std::move(*villages);
  in.per_person_limit = per_person.value_or(1);
  in.questions = std::move(*qs);
  in.records_hours = records.value_or(false);
  in.volunteer_minutes = minutes;
  in.confirm_within_hours = confirm.value_or(0);
  auto r = co_await d.events.Create(p, std::move(in), req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"event", EventJson(*r, d.clock.NowMs())}});
}

awaitable<Response> PatchEvent(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto capacity = f.Int("capacity", {.min = 1, .max = 100000});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.events.SetCapacity(p, id, *capacity, req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"event", EventJson(*r, d.clock.NowMs())}});
}

awaitable<Response> CancelEvent(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto reason = f.String("reason", {.min = 2, .max = 200});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.events.CancelEvent(p, id, *reason, req.remote_ip);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"event", EventJson(*r, d.clock.NowMs())}});
}

awaitable<Response> Register(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto seats = f.Int("seats", {.min = 1, .max = 10});
  const json::value* raw_answers = f.Raw("answers");
  std::map<std::string, std::string> answers;
  if (raw_answers != nullptr && !raw_answers->is_null()) {
    if (!raw_answers->is_object() || raw_answers->get_object().size() > 10) {
      f.Fail(Error::Invalid("invalid_type", "answers"));
    } else {
      for (const auto& [key, value] : raw_answers->get_object()) {
        const std::string field = "answers." + std::string(key);
        Error e = Error::Invalid("invalid_type", field);
        e.label = "answers";
        if (!value.is_string() || key.size() > 20) {
          f.Fail(e);
          continue;
        }
        std::string text = Trim(std::string(value.get_string()));
        if (!IsValidUtf8(text) || HasControlChars(text, true)) {
          e.key = "invalid_characters";
          f.Fail(e);
        } else if (CodePointCount(text) > 500) {
          e.key = "too_long";
          f.Fail(e);
        }
        answers.emplace(std::string(key), std::move(text));
      }
    }
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.events.Register(p, id, *seats, std::move(answers));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"registration", RegistrationJson(*r, true)}});
}

awaitable<Response> CancelRegistration(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  std::string reg(req.Param("reg_id"));  // a public id; the service checks its shape
  auto r = co_await d.events.Cancel(p, id, std::move(reg));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::NoContent();
}

awaitable<Response> ConfirmOffer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  std::string reg(req.Param("reg_id"));  // a public id; the service checks its shape
  auto r = co_await d.events.ConfirmOffer(p, id, std::move(reg));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"registration", RegistrationJson(*r, true)}});
}

awaitable<Response> TicketQr(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  std::string reg(req.Param("reg_id"));  // a public id; the service checks its shape
  auto r = co_await d.events.Ticket(p, id, std::move(reg));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  Response res;
  res.status = 200;
  res.body = QrSvg(r->ticket_code);
  res.Set("Content-Type", "image/svg+xml");
  res.Set("Cache-Control", "private, no-store");
  co_return res;
}

awaitable<Response> MyRegistrations(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.events.MyRegistrations(p.user_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const int64_t now = d.clock.NowMs();
  // Upcoming (soonest first), then past (latest first).
  std::stable_sort(r->begin(), r->end(), [now](const MyRegistration& a, const MyRegistration& b) {
    const bool a_up = a.event.ends_at_ms >= now;
    const bool b_up = b.event.ends_at_ms >= now;
    if (a_up != b_up) {
      return a_up;
    }
    return a_up ? a.event.starts_at_ms < b.event.starts_at_ms : a.event.starts_at_ms > b.event.starts_at_ms;
  });
  json::array list;
  for (const MyRegistration& m : *r) {
    json::object o = RegistrationJson(m.registration, true);
    o["event"] = EventJson(m.event, now);
    list.push_back(std::move(o));
  }
  co_return http::JsonResponse(200, json::object{{"registrations", list}});
}

awaitable<Response> GetAttendance(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  auto r = co_await d.events.GetAttendance(p, id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Registration& x : r->registrations) {
    json::object o = RegistrationJson(x, true);
    o["ticket_code"] = x.ticket_code;  // staff check tickets offline against this list
    list.push_back(std::move(o));
  }
  co_return http::JsonResponse(
      200, json::object{{"event", EventJson(r->event, d.clock.NowMs())}, {"registrations", list}});
}

awaitable<Response> CheckIn(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto code = f.String("ticket_code", {.min = 1, .max = 40});
  auto client = f.String("client_id", {.required = false, .min = 1, .max = 64});
  auto scanned = f.Int("scanned_at_ms", {.required = false, .min = 0, .max = 4'102'444'800'000});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  CheckinInput in{*code, client, scanned};  // a named value: see "g++ 12 and co_await" in docs/architecture.md
  auto r = co_await d.events.CheckIn(p, id, std::move(in));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"checkin", CheckinJson(r->checkin)}, {"already", r->already}});
}

json::object StatsJson(const EventStats& s) {
  return json::object{{"registrations", s.registrations},      {"seats_confirmed", s.seats_confirmed},
                      {"seats_waitlisted", s.seats_waitlisted}, {"checked_in", s.checked_in},
                      {"checked_in_seats", s.checked_in_seats}, {"no_shows", s.no_shows},
                      {"attendance_rate", s.attendance_rate}};
}

awaitable<Response> EventStatsRoute(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "event_not_found");
  auto r = co_await d.events.Stats(p, id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, StatsJson(*r));
}

awaitable<Response> OrgStats(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(org, req, "id", "org_not_found");
  auto r = co_await d.events.OrgStats(p, org);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const OrgEventStats& s : *r) {
    json::object o = StatsJson(s.stats);
    o["event_id"] = s.event_id;
    o["title"] = s.title;
    o["starts_at_ms"] = s.starts_at_ms;
    o["capacity"] = s.capacity;
    list.push_back(std::move(o));
  }
  co_return http::JsonResponse(200, json::object{{"events", list}});
}

json::object VolunteerJson(const Volunteer& v) {
  return json::object{{"user_id", v.user_id},
                      {"real_name", v.real_name},
                      {"registered_at_ms", v.registered_at_ms},
                      {"total_minutes", v.total_minutes}};
}

awaitable<Response> RegisterVolunteer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto name = f.String("real_name", {.min = 2, .max = 30});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.events.RegisterVolunteer(p, *name);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"volunteer", VolunteerJson(*r)}});
}

awaitable<Response> MyVolunteer(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.events.VolunteerOf(p.user_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array records;
  for (const VolunteerRecord& x : r->records) {
    records.push_back(json::object{{"id", x.id},
                                   {"event_id", x.event_id},
                                   {"org_id", x.org_id},
                                   {"org_name", x.org_name},
                                   {"title", x.title},
                                   {"service_date_ms", x.service_date_ms},
                                   {"minutes", x.minutes},
                                   {"recorded_at_ms", x.recorded_at_ms}});
  }
  co_return http::JsonResponse(
      200, json::object{{"volunteer", r->volunteer ? json::value(VolunteerJson(*r->volunteer)) : json::value(nullptr)},
                        {"records", records}});
}

std::string ChinaDate(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000 + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}年{}月{}日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

awaitable<Response> VolunteerCertificate(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.events.VolunteerOf(p.user_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  if (!r->volunteer) {
    co_return Err(Error::NotFound("not_volunteer"), req);
  }
  const Volunteer& v = *r->volunteer;
  std::string rows;
  for (const VolunteerRecord& x : r->records) {
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.1f}</td></tr>", ChinaDate(x.service_date_ms),
                        HtmlEscape(x.title), HtmlEscape(x.org_name), static_cast<double>(x.minutes) / 60.0);
  }
  const int64_t now = d.clock.NowMs();
  std::string html = fmt::format(
      "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>志愿服务证明</title>"
      "<style>body{{font-family:sans-serif;max-width:720px;margin:2em auto;font-size:18px;line-height:1.6}}"
      "h1{{text-align:center}}table{{width:100%;border-collapse:collapse}}td,th{{border:1px solid #333;"
      "padding:6px}}</style></head><body><h1>志愿服务证明</h1>"
      "<p>兹证明 <strong>{}</strong> 自 {} 注册为关爱城市志愿者，累计参加志愿服务 <strong>{:.1f}</strong> 小时，"
      "明细如下（由组织活动的机构记录并出具）。</p>"
      "<table><thead><tr><th>日期</th><th>服务内容</th><th>记录机构</th><th>时长（小时）</th></tr></thead>"
      "<tbody>{}</tbody></table><p>证明编号：CC-V-{}-{}　出具日期：{}</p>"
      "<p>Volunteer service certificate: {:.1f} hours in total.</p></body></html>",
      HtmlEscape(v.real_name), ChinaDate(v.registered_at_ms), static_cast<double>(v.total_minutes) / 60.0, rows,
      v.user_id, now / 1000, ChinaDate(now), static_cast<double>(v.total_minutes) / 60.0);
  Response res;
  res.status = 200;
  res.body = std::move(html);
  res.Set("Content-Type", "text/html; charset=utf-8");
  res.Set("Content-Disposition", "attachment; filename=\"volunteer-certificate.html\"");
  res.Set("Cache-Control", "private, no-store");
  co_return res;
}

}  // namespace

void RegisterRoutes(http::Router& router, EventsService& events, AccountsService& accounts) {
  const auto bind = [&events, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&events, &accounts, fn](Request& req) { return fn(Deps{events, accounts, events.clock()}, req); };
  };
  router.Add("GET", "/api/v1/events", bind(ListEvents));
  router.Add("POST", "/api/v1/events", bind(CreateEvent));
  router.Add("GET", "/api/v1/events/{id}", bind(GetEvent));
  router.Add("PATCH", "/api/v1/events/{id}", bind(PatchEvent));
  router.Add("GET", "/api/v1/events/{id}/event.ics", bind(EventIcs));
  router.Add("POST", "/api/v1/events/{id}/cancel", bind(CancelEvent));
  router.Add("POST", "/api/v1/events/{id}/registrations", bind(Register));
  router.Add("DELETE", "/api/v1/events/{id}/registrations/{reg_id}", bind(CancelRegistration));
  router.Add("POST", "/api/v1/events/{id}/registrations/{reg_id}/confirm", bind(ConfirmOffer));
  router.Add("GET", "/api/v1/events/{id}/registrations/{reg_id}/qr.svg", bind(TicketQr));
  router.Add("GET", "/api/v1/events/{id}/attendance", bind(GetAttendance));
  router.Add("POST", "/api/v1/events/{id}/checkins", bind(CheckIn));
  router.Add("GET", "/api/v1/events/{id}/stats", bind(EventStatsRoute));
  router.Add("GET", "/api/v1/orgs/{id}/events/stats", bind(OrgStats));
  router.Add("GET", "/api/v1/me/registrations", bind(MyRegistrations));
  router.Add("GET", "/api/v1/venues", bind(ListVenues));
  router.Add("POST", "/api/v1/volunteers/me", bind(RegisterVolunteer));
  router.Add("GET", "/api/v1/volunteers/me", bind(MyVolunteer));
  router.Add("GET", "/api/v1/volunteers/me/certificate.html", bind(VolunteerCertificate));
}

}  // namespace carecity::events
