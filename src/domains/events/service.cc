#include "domains/events/service.h"

#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "domains/audit/service.h"
#include "domains/notify/service.h"

namespace carecity::events {
namespace {

namespace json = boost::json;
using accounts::Role;


void Audit(db::Tx& tx, int64_t actor, const std::string& action, int64_t event_id, const json::object& detail,
           const std::string& ip, int64_t now_ms) {
  audit::Record(tx, {actor, action, "event", std::to_string(event_id), json::serialize(detail), ip}, now_ms);
}

void Notify(db::Tx& tx, int64_t user_id, const std::string& template_name, const Event& e, int64_t now_ms,
            json::object extra = {}) {
  extra["event_id"] = e.id;
  extra["title"] = e.title;
  extra["starts_at_ms"] = e.starts_at_ms;
  extra["venue"] = e.venue.name;
  notify::Enqueue(tx, notify::Channel::kSite, std::to_string(user_id), user_id, template_name,
                  json::serialize(extra), now_ms);
}

Error NotFoundEvent() { return Error::NotFound("event_not_found"); }
Error NotFoundRegistration() { return Error::NotFound("registration_not_found"); }

// The registration with public id `reg_id` (checked for shape before any
// lookup) of event `event_id`.
std::optional<Registration> FindByPublicIdTx(db::Tx& tx, int64_t event_id, const std::string& reg_id) {
  if (!IsPublicId(reg_id)) {
    return std::nullopt;
  }
  return repo::FindRegistrationByPublicId(tx, event_id, reg_id);
}

Status ValidateAnswers(const Event& e, const std::map<std::string, std::string>& answers) {
  for (const auto& [id, value] : answers) {
    const auto q = std::find_if(e.questions.begin(), e.questions.end(), [&](const Question& x) { return x.id == id; });
    if (q == e.questions.end()) {
      return Error::Invalid("unknown_field", "answers." + id);
    }
    if (q->kind == "choice" && !value.empty() &&
        std::find(q->options.begin(), q->options.end(), value) == q->options.end()) {
      return Error::Invalid("invalid_choice", "answers." + id);
    }
  }
  for (const Question& q : e.questions) {
    const auto it = answers.find(q.id);
    if (q.required && (it == answers.end() || Trim(it->second).empty())) {
      return Error::Invalid("answer_required", "answers." + q.id);
    }
  }
  return Status();
}

std::string AnswersJson(const std::map<std::string, std::string>& answers) {
  json::object o;
  for (const auto& [k, v] : answers) {
    o[k] = v;
  }
  return json::serialize(o);
}

}  // namespace

EventsService::EventsService(db::Store& store, accounts::AccountsService& accounts, const Clock& clock)
    : store_(store), accounts_(accounts), clock_(clock) {}

bool EventsService::IsStaff(const Principal& p, int64_t org_id) {
  return p.HasOrgRole(Role::kOrgStaff, org_id) || p.Has(Role::kPlatformAdmin);
}

// ---- Publishing ----

static Status ValidateNewEvent(const NewEvent& in) {
  if (!IsEventType(in.type)) {
    return Error::Invalid("invalid_value", "type");
  }
  if (!IsAudience(in.audience)) {
    return Error::Invalid("invalid_value", "audience");
  }
  if (in.audience == "villages" && in.village_ids.empty()) {
    return Error::Invalid("villages_required", "village_ids");
  }
  if (in.ends_at_ms <= in.starts_at_ms) {
    return Error::Invalid("invalid_time_range", "ends_at_ms");
  }
  if (in.signup_closes_at_ms <= in.signup_opens_at_ms || in.signup_closes_at_ms > in.starts_at_ms) {
    return Error::Invalid("invalid_signup_window", "signup_closes_at_ms");
  }
  if (in.capacity < 1 || in.capacity > 100000) {
    return Error::Invalid("out_of_range", "capacity");
  }
  if (in.per_person_limit < 1 || in.per_person_limit > 10) {
    return Error::Invalid("out_of_range", "per_person_limit");
  }
  return Status();
}

Result<Event> EventsService::CreateTx(db::Tx& tx, int64_t actor, const NewEvent& in, int64_t now_ms,
                                      const std::string& ip) {
  CC_TRY(ValidateNewEvent(in));
  const auto org = accounts_.FindOrgTx(tx, in.org_id);
  if (!org) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  Event e;
  e.org_id = in.org_id;
  e.org_name = org->name;
  e.title = in.title;
  e.description = in.description;
  e.cover_url = in.cover_url;
  e.type = in.type;
  e.organiser = in.organiser.empty() ? org->name : in.organiser;
  if (in.venue_id) {
    auto v = repo::FindVenue(tx, *in.venue_id);
    if (!v) {
      return Error{ErrorCode::kNotFound, "venue_not_found", "venue_id", {}};
    }
    e.venue = *v;
  } else if (in.venue) {
    if (auto v = repo::FindVenueByName(tx, in.venue->name)) {
      e.venue = *v;
    } else if (auto id = repo::InsertVenue(tx, *in.venue, in.org_id, now_ms)) {
      e.venue = *in.venue;
      e.venue.id = *id;
    } else {
      e.venue = *repo::FindVenueByName(tx, in.venue->name);  // another request added it just now
    }
  } else {
    return Error::Invalid("missing_field", "venue_id");
  }
  e.starts_at_ms = in.starts_at_ms;
  e.ends_at_ms = in.ends_at_ms;
  e.signup_opens_at_ms = in.signup_opens_at_ms;
  e.signup_closes_at_ms = in.signup_closes_at_ms;
  e.capacity = in.capacity;
  e.audience = in.audience;
  e.per_person_limit = in.per_person_limit;
  e.questions = in.questions;
  e.records_hours = in.records_hours;
  // Default: the event's length, at most one day's service.
  e.volunteer_minutes = in.volunteer_minutes.value_or(std::min<int64_t>((in.ends_at_ms - in.starts_at_ms) / 60000, 24 * 60));
  e.confirm_within_hours = in.confirm_within_hours;
  e.roster_only = in.roster_only;
  e.status = "published";
  e.created_at_ms = now_ms;
  for (int64_t v : in.village_ids) {
    if (!accounts_.FindVillageTx(tx, v)) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_ids", {}};
    }
  }
  e.id = repo::InsertEvent(tx, e, actor);
  for (int64_t v : in.village_ids) {
    repo::InsertEventVillage(tx, e.id, v);
  }
  Audit(tx, actor, "events.event.created", e.id,
        {{"title", e.title}, {"org_id", e.org_id}, {"capacity", e.capacity}, {"starts_at_ms", e.starts_at_ms}}, ip,
        now_ms);
  return *repo::FindEvent(tx, e.id);
}

Task<Event> EventsService::Create(const Principal& p, NewEvent in, std::string ip) {
  if (!IsStaff(p, in.org_id)) {
    co_return Error::Forbidden();
  }
  if (in.starts_at_ms <= clock_.NowMs()) {
    co_return Error::Invalid("in_the_past", "starts_at_ms");
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return CreateTx(tx, actor, in, clock_.NowMs(), ip); });
}

Task<Event> EventsService::Get(int64_t id) {
  co_return co_await db::ReadTx(store_, [id](db::Tx& tx) -> Result<Event> {
    auto e = repo::FindEvent(tx, id);
    if (!e) {
      return NotFoundEvent();
    }
    return *e;
  });
}

Task<std::vector<Event>> EventsService::List(repo::EventFilter filter) {
  co_return co_await db::ReadTx(store_, [&filter](db::Tx& tx) -> Result<std::vector<Event>> {
    return repo::ListEvents(tx, filter);
  });
}

std::optional<Venue> EventsService::FindVenueTx(db::Tx& tx, int64_t id) const { return repo::FindVenue(tx, id); }

std::optional<Event> EventsService::FindTx(db::Tx& tx, int64_t id) const { return repo::FindEvent(tx, id); }

int64_t EventsService::CheckedInTx(db::Tx& tx, int64_t event_id) const { return repo::CountCheckins(tx, event_id); }

Task<std::vector<Venue>> EventsService::Venues() {
  co_return co_await db::ReadTx(store_, [](db::Tx& tx) -> Result<std::vector<Venue>> { return repo::ListVenues(tx); });
}

// ---- Seats ----

void EventsService::PromoteTx(db::Tx& tx, const Event& locked, int64_t now_ms) {
  if (locked.status != "published" || now_ms >= locked.starts_at_ms) {
    return;  // nobody is promoted into an event that is over or off
  }
  int64_t free = locked.capacity - locked.confirmed_seats;
  while (free > 0) {
    auto next = repo::FirstWaitingThatFits(tx, locked.id, free);
    if (!next) {
      break;
    }
    if (locked.confirm_within_hours > 0) {
      const int64_t expires = now_ms + locked.confirm_within_hours * kHourMs;
      repo::SetRegistrationStatus(tx, next->id, "offered", expires, now_ms);
      Notify(tx, next->user_id, "event_offered", locked, now_ms,
             {{"registration_id", next->public_id}, {"offer_expires_at_ms", expires}});
    } else {
      repo::SetRegistrationStatus(tx, next->id, "confirmed", std::nullopt, now_ms);
      Notify(tx, next->user_id, "event_promoted", locked, now_ms, {{"registration_id", next->public_id}});
    }
    repo::AddSeats(tx, locked.id, next->seats, -next->seats, -1);
    free -= next->seats;
  }
}

int64_t EventsService::ExpireOffersTx(db::Tx& tx, std::optional<int64_t> event_id, int64_t now_ms) {
  int64_t expired = 0;
  for (const Registration& found : repo::ExpiredOffers(tx, event_id, now_ms, 500)) {
    // Found before the lock: another server may have expired, cancelled or
    // confirmed it since. Only a transition made under the lock counts.
    auto e = repo::LockEvent(tx, found.event_id);
    if (!repo::ExpireOffer(tx, found.id, now_ms)) {
      continue;
    }
    repo::AddSeats(tx, found.event_id, -found.seats, 0);
    ++expired;
    e->confirmed_seats -= found.seats;
    PromoteTx(tx, *e, now_ms);
  }
  return expired;
}

Result<Registration> EventsService::RegisterTx(db::Tx& tx, int64_t user_id, int64_t event_id, int64_t seats,
                                               const std::map<std::string, std::string>& answers, int64_t now_ms) {
  auto e = repo::LockEvent(tx, event_id);
  if (!e) {
    return NotFoundEvent();
  }
  if (ExpireOffersTx(tx, event_id, now_ms) > 0) {
    e = repo::FindEvent(tx, event_id);
  }
  const std::string state = e->SignupState(now_ms);
  if (state == "cancelled") {
    return Error::Conflict("event_cancelled");
  }
  if (state == "not_open") {
    return Error::Conflict("signup_not_open");
  }
  if (state == "closed") {
    return Error::Conflict("signup_closed");
  }
  if (seats < 1 || seats > e->per_person_limit) {
    return Error::Invalid("out_of_range", "seats");
  }
  CC_TRY(ValidateAnswers(*e, answers));
  if (e->audience == "villages") {
    const auto home = accounts_.HomeVillageIdTx(tx, user_id);
    if (!home) {
      return Error::Unprocessable("village_required");
    }
    const bool allowed =
        std::any_of(e->villages.begin(), e->villages.end(), [&](const VillageRef& v) { return v.id == *home; });
    if (!allowed) {
      return Error::Forbidden("audience_villages");
    }
  } else if (e->audience == "volunteers" && !repo::FindVolunteer(tx, user_id)) {
    return Error::Forbidden("audience_volunteers");
  }
  if (repo::HasActiveRegistration(tx, event_id, user_id)) {
    return Error::Conflict("already_registered");
  }
  Registration r;
  r.event_id = event_id;
  r.user_id = user_id;
  r.seats = seats;
  r.seq = e->next_seq + 1;  // we hold the event's lock: nobody else takes this number
  // Waitlisted people are never passed over: after every change the
  // waitlist holds nobody who fits, so fitting now means no one is owed.
  r.status = e->confirmed_seats + seats <= e->capacity ? "confirmed" : "waitlisted";
  do {
    r.ticket_code = NewTicketCode();  // unique per event; we hold the event's lock
  } while (repo::TicketTaken(tx, event_id, r.ticket_code));
  r.answers_json = AnswersJson(answers);
  r.public_id = NewPublicId();
  r.created_at_ms = now_ms;
  r.updated_at_ms = now_ms;
  try {
    r.id = repo::InsertRegistration(tx, r);
  } catch (const db::DbError& err) {
    if (err.kind() == db::DbError::Kind::kUnique) {
      return Error::Conflict("already_registered");  // a race with the same person on another connection
    }
    throw;
  }
  if (r.status == "confirmed") {
    repo::AddArrival(tx, event_id, r.seq, seats, 0, 0);
  } else {
    repo::AddArrival(tx, event_id, r.seq, 0, seats, 1);
    r.position = e->waitlisted_count + 1;  // the newest arrival waits behind everyone waiting
  }
  return r;
}

Task<Registration> EventsService::Register(const Principal& p, int64_t event_id, int64_t seats,
                                           std::map<std::string, std::string> answers) {
  const int64_t user_id = p.user_id;
  auto r = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Registration> {
    const auto e = repo::FindEvent(tx, event_id);
    if (e && e->roster_only) {
      return Error::Forbidden("roster_only");  // the class enrols (training::TrainingService)
    }
    return RegisterTx(tx, user_id, event_id, seats, answers, clock_.NowMs());
  });
  if (r.ok()) {
    r->user_name = p.display_name;
  }
  co_return r;
}

boost::asio::awaitable<Status> EventsService::Cancel(const Principal& p, int64_t event_id, std::string reg_id) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    const int64_t now = clock_.NowMs();
    auto e = repo::LockEvent(tx, event_id);
    if (!e) {
      return NotFoundEvent();
    }
    ExpireOffersTx(tx, event_id, now);
    e = repo::FindEvent(tx, event_id);
    auto r = FindByPublicIdTx(tx, event_id, reg_id);
    if (!r || (r->user_id != p.user_id && !IsStaff(p, e->org_id))) {
      return NotFoundRegistration();
    }
    if (e->roster_only && !IsStaff(p, e->org_id)) {
      return Error::Forbidden("roster_only");  // leaving the class cancels it
    }
    return CancelLockedTx(tx, *e, *r, now);
  });
}

std::set<int64_t> EventsService::CheckedInAtTx(db::Tx& tx, int64_t user_id,
                                               const std::vector<int64_t>& event_ids) const {
  return repo::CheckedInAt(tx, user_id, event_ids);
}

int64_t EventsService::VolunteerMinutesBetweenTx(db::Tx& tx, int64_t user_id, int64_t from_ms, int64_t to_ms) const {
  return repo::VolunteerMinutesBetween(tx, user_id, from_ms, to_ms);
}

Status EventsService::CancelLockedTx(db::Tx& tx, Event& e, const Registration& r, int64_t now_ms) {
  if (!r.Active()) {
    return Error::Conflict("registration_not_active");
  }
  if (now_ms >= e.starts_at_ms) {
    return Error::Conflict("event_started");
  }
  if (r.checked_in_at_ms) {
    return Error::Conflict("already_checked_in");
  }
  repo::SetRegistrationStatus(tx, r.id, "cancelled", std::nullopt, now_ms);
  if (r.HoldsSeats()) {
    repo::AddSeats(tx, e.id, -r.seats, 0);
    e.confirmed_seats -= r.seats;
    PromoteTx(tx, e, now_ms);
  } else {
    repo::AddSeats(tx, e.id, 0, -r.seats, -1);
  }
  return Status();
}

bool EventsService::CancelUpcomingTx(db::Tx& tx, int64_t user_id, int64_t event_id, int64_t now_ms) {
  auto e = repo::LockEvent(tx, event_id);
  if (!e || now_ms >= e->starts_at_ms) {
    return false;
  }
  ExpireOffersTx(tx, event_id, now_ms);
  e = repo::FindEvent(tx, event_id);
  const auto r = repo::ActiveRegistrationOf(tx, event_id, user_id);
  return r && CancelLockedTx(tx, *e, *r, now_ms).ok();
}

Task<Registration> EventsService::ConfirmOffer(const Principal& p, int64_t event_id, std::string reg_id) {
  const int64_t user_id = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Registration> {
    const int64_t now = clock_.NowMs();
    auto e = repo::LockEvent(tx, event_id);
    if (!e) {
      return NotFoundEvent();
    }
    auto r = FindByPublicIdTx(tx, event_id, reg_id);
    if (!r || r->user_id != user_id) {
      return NotFoundRegistration();
    }
    // An offer past its deadline is expired by maintenance (or the next
    // change to the event); answering here must not undo that work.
    if (r->status == "expired" || (r->status == "offered" && r->offer_expires_at_ms <= now)) {
      return Error::Conflict("offer_expired");
    }
    if (e->status == "cancelled") {
      return Error::Conflict("event_cancelled");
    }
    if (now >= e->starts_at_ms) {
      return Error::Conflict("event_started");
    }
    if (r->status != "offered") {
      return Error::Conflict("registration_not_offered");
    }
    repo::SetRegistrationStatus(tx, r->id, "confirmed", std::nullopt, now);
    return *repo::FindRegistration(tx, event_id, r->id);
  });
}

Task<std::optional<Registration>> EventsService::RegistrationOf(int64_t user_id, int64_t event_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::optional<Registration>> {
    auto r = repo::ActiveRegistrationOf(tx, event_id, user_id);
    if (r && r->status == "waitlisted") {
      r->position = repo::WaitlistPosition(tx, event_id, r->seq);
    }
    return r;
  });
}

Task<Registration> EventsService::Ticket(const Principal& p, int64_t event_id, std::string reg_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Registration> {
    auto e = repo::FindEvent(tx, event_id);
    auto r = e ? FindByPublicIdTx(tx, event_id, reg_id) : std::nullopt;
    if (!r || (r->user_id != p.user_id && !IsStaff(p, e->org_id)) || r->status != "confirmed") {
      return NotFoundRegistration();
    }
    return *r;
  });
}

Task<std::vector<MyRegistration>> EventsService::MyRegistrations(int64_t user_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<MyRegistration>> {
    std::vector<MyRegistration> out;
    for (Registration& r : repo::RegistrationsOf(tx, user_id, 200)) {
      if (r.status == "waitlisted") {
        r.position = repo::WaitlistPosition(tx, r.event_id, r.seq);
      }
      auto e = repo::FindEvent(tx, r.event_id);
      out.push_back({std::move(r), std::move(*e)});
    }
    return out;
  });
}

// ---- Staff ----

Result<Event> EventsService::StaffEventTx(db::Tx& tx, const Principal& p, int64_t event_id, bool lock) {
  auto e = lock ? repo::LockEvent(tx, event_id) : repo::FindEvent(tx, event_id);
  if (!e) {
    return NotFoundEvent();
  }
  if (!IsStaff(p, e->org_id) && !(co_staff_ && co_staff_(tx, p, *e))) {
    return Error::Forbidden();
  }
  return *e;
}

Task<Event> EventsService::SetCapacity(const Principal& p, int64_t event_id, int64_t capacity, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Event> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Event e, StaffEventTx(tx, p, event_id, true));
    if (capacity < e.confirmed_seats) {
      return Error::Conflict("capacity_below_confirmed", "capacity");
    }
    repo::SetCapacity(tx, event_id, capacity);
    Audit(tx, p.user_id, "events.event.capacity", event_id, {{"from", e.capacity}, {"to", capacity}}, ip, now);
    e.capacity = capacity;
    PromoteTx(tx, e, now);
    return *repo::FindEvent(tx, event_id);
  });
}

Task<Event> EventsService::CancelEvent(const Principal& p, int64_t event_id, std::string reason, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Event> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Event e, StaffEventTx(tx, p, event_id, true));
    if (e.status == "cancelled") {
      return Error::Conflict("event_cancelled");
    }
    repo::CancelEvent(tx, event_id, reason);
    for (const auto& [reg_id, user_id] : repo::ActiveRegistrants(tx, event_id, false)) {
      Notify(tx, user_id, "event_cancelled", e, now, {{"reason", reason}});
    }
    Audit(tx, p.user_id, "events.event.cancelled", event_id, {{"reason", reason}}, ip, now);
    return *repo::FindEvent(tx, event_id);
  });
}

Task<Attendance> EventsService::GetAttendance(const Principal& p, int64_t event_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Attendance> {
    CC_ASSIGN_OR_RETURN(Event e, StaffEventTx(tx, p, event_id, false));
    auto regs = repo::ListRegistrations(tx, event_id);
    int64_t waiting = 0;
    for (Registration& r : regs) {
      if (r.status == "waitlisted") {
        r.position = ++waiting;
      }
    }
    return Attendance{std::move(e), std::move(regs)};
  });
}

Result<CheckinResult> EventsService::CheckInTx(db::Tx& tx, int64_t staff_id, int64_t event_id,
                                               const CheckinInput& in, int64_t now_ms) {
  // Under the event's lock, like every change to its registrations: a
  // cancellation (of the registration, the event or the account) and a
  // check-in of one ticket cannot both succeed.
  auto e = repo::LockEvent(tx, event_id);
  if (!e) {
    return NotFoundEvent();
  }
  auto r = repo::FindByTicket(tx, event_id, NormaliseTicketCode(in.ticket_code));
  if (!r) {
    return Error{ErrorCode::kNotFound, "ticket_not_found", "ticket_code", {}};
  }
  if (auto existing = repo::FindCheckin(tx, r->id)) {
    return CheckinResult{*existing, true};
  }
  if (e->status == "cancelled") {
    return Error::Conflict("event_cancelled");
  }
  if (r->status != "confirmed") {
    return Error::Conflict("ticket_not_valid", "ticket_code");
  }
  const int64_t opens = e->starts_at_ms - kCheckinLeadMs;
  if (now_ms < opens) {
    return Error::Conflict("checkin_not_open");
  }
  // An offline scan keeps the time it was made, if that time is plausible.
  const int64_t at = in.scanned_at_ms && *in.scanned_at_ms >= opens && *in.scanned_at_ms <= now_ms
                         ? *in.scanned_at_ms
                         : now_ms;
  if (!repo::InsertCheckin(tx, r->id, event_id, at, staff_id, in.client_id, now_ms)) {
    return CheckinResult{*repo::FindCheckin(tx, r->id), true};  // raced with another scanner
  }
  if (e->records_hours && repo::FindVolunteer(tx, r->user_id)) {
    repo::InsertVolunteerRecord(tx, r->user_id, *e, e->starts_at_ms, staff_id, now_ms);
  }
  return CheckinResult{*repo::FindCheckin(tx, r->id), false};
}

Task<CheckinResult> EventsService::CheckIn(const Principal& p, int64_t event_id, CheckinInput in) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<CheckinResult> {
    CC_TRY(StaffEventTx(tx, p, event_id, false));
    return CheckInTx(tx, p.user_id, event_id, in, clock_.NowMs());
  });
}

Task<EventStats> EventsService::Stats(const Principal& p, int64_t event_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<EventStats> {
    CC_ASSIGN_OR_RETURN(Event e, StaffEventTx(tx, p, event_id, false));
    return repo::Stats(tx, event_id, clock_.NowMs() >= e.ends_at_ms);
  });
}

Task<std::vector<OrgEventStats>> EventsService::OrgStats(const Principal& p, int64_t org_id) {
  if (!IsStaff(p, org_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<OrgEventStats>> {
    repo::EventFilter f;
    f.org_id = org_id;
    f.limit = 500;
    std::vector<OrgEventStats> out;
    const int64_t now = clock_.NowMs();
    for (const Event& e : repo::ListEvents(tx, f)) {
      out.push_back({e.id, e.title, e.starts_at_ms, e.capacity, repo::Stats(tx, e.id, now >= e.ends_at_ms)});
    }
    return out;
  });
}

// ---- Volunteers ----

Status EventsService::RegisterVolunteerTx(db::Tx& tx, int64_t user_id, const std::string& real_name,
                                          int64_t now_ms) {
  if (!repo::InsertVolunteer(tx, user_id, real_name, now_ms)) {
    return Error::Conflict("already_volunteer");  // also when racing themselves on another connection
  }
  return Status();
}

Task<Volunteer> EventsService::RegisterVolunteer(const Principal& p, std::string real_name) {
  const int64_t user_id = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Volunteer> {
    CC_TRY(RegisterVolunteerTx(tx, user_id, real_name, clock_.NowMs()));
    return *repo::FindVolunteer(tx, user_id);
  });
}

Task<VolunteerProfile> EventsService::VolunteerOf(int64_t user_id) {
  co_return co_await db::ReadTx(store_, [user_id](db::Tx& tx) -> Result<VolunteerProfile> {
    VolunteerProfile v;
    v.volunteer = repo::FindVolunteer(tx, user_id);
    if (v.volunteer) {
      v.records = repo::VolunteerRecords(tx, user_id);
    }
    return v;
  });
}

void EventsService::ForgetUserTx(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  for (const Registration& found : repo::RegistrationsOf(tx, user_id, 1000)) {
    if (!found.Active()) {
      continue;
    }
    auto e = repo::LockEvent(tx, found.event_id);
    auto r = repo::FindRegistration(tx, found.event_id, found.id);
    if (!e || !r || !r->Active() || now_ms >= e->starts_at_ms) {
      continue;  // the past stays as it happened
    }
    repo::SetRegistrationStatus(tx, r->id, "cancelled", std::nullopt, now_ms);
    if (r->HoldsSeats()) {
      repo::AddSeats(tx, e->id, -r->seats, 0);
      e->confirmed_seats -= r->seats;
      PromoteTx(tx, *e, now_ms);
    } else {
      repo::AddSeats(tx, e->id, 0, -r->seats, -1);
    }
  }
  repo::ForgetVolunteerName(tx, user_id);
}

std::string EventsService::ExportJsonTx(db::Tx& tx, int64_t user_id) {
  json::array registrations;
  for (const Registration& r : repo::RegistrationsOf(tx, user_id, 10000)) {
    auto e = repo::FindEvent(tx, r.event_id);
    boost::system::error_code ec;
    json::value answers = json::parse(r.answers_json, ec);
    registrations.push_back(json::object{{"id", r.public_id},
                                         {"event_id", r.event_id},
                                         {"event_title", e ? e->title : ""},
                                         {"starts_at_ms", e ? e->starts_at_ms : 0},
                                         {"seats", r.seats},
                                         {"status", r.status},
                                         {"ticket_code", r.ticket_code},
                                         {"answers", ec ? json::value(json::object{}) : answers},
                                         {"checked_in_at_ms", r.checked_in_at_ms ? json::value(*r.checked_in_at_ms) : nullptr},
                                         {"created_at_ms", r.created_at_ms}});
  }
  json::value volunteer = nullptr;
  json::array records;
  if (auto v = repo::FindVolunteer(tx, user_id)) {
    volunteer = json::object{{"real_name", v->real_name}, {"registered_at_ms", v->registered_at_ms},
                             {"total_minutes", v->total_minutes}};
    for (const VolunteerRecord& x : repo::VolunteerRecords(tx, user_id)) {
      records.push_back(json::object{{"event_id", x.event_id}, {"org_name", x.org_name}, {"title", x.title},
                                     {"service_date_ms", x.service_date_ms}, {"minutes", x.minutes}});
    }
  }
  return json::serialize(
      json::object{{"registrations", registrations}, {"volunteer", volunteer}, {"volunteer_records", records}});
}

// ---- Maintenance ----

std::pair<int64_t, int64_t> EventsService::MaintainTx(db::Tx& tx, int64_t now_ms) {
  const int64_t expired = ExpireOffersTx(tx, std::nullopt, now_ms);
  int64_t reminders = 0;
  for (int64_t event_id : repo::EventsNeedingReminder(tx, now_ms, now_ms + kDayMs)) {
    if (!repo::MarkReminded(tx, event_id, now_ms)) {
      continue;  // another server queued them
    }
    auto e = repo::FindEvent(tx, event_id);
    for (const auto& [reg_id, user_id] : repo::ActiveRegistrants(tx, event_id, true)) {
      Notify(tx, user_id, "event_reminder", *e, now_ms, {{"registration_id", reg_id}});
      ++reminders;
    }
  }
  return {expired, reminders};
}

}  // namespace carecity::events
