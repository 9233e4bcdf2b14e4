// The events service: publishing activities, sign-up with a waitlist that
// never overbooks, tickets and check-in, volunteer-service records,
// reminders, statistics. The only place event rules live.
//
// Seats: every change to an event's seats or registrations happens in one
// write transaction that first takes the event's row lock (repo::LockEvent),
// so sign-ups, cancellations, promotions, offer confirmations and expiries,
// capacity changes, check-ins and the event's cancellation are serialised —
// on SQLite by its single writer, on PostgreSQL (several servers) by the
// row lock — and a CHECK on events keeps confirmed seats within the capacity
// even if a rule here were wrong. Work found before the lock (expired
// offers, reminders) is applied by conditional writes.
//
// Registrations are addressed from outside by their public id (`reg_id`
// parameters: NewPublicId), never by the integer key. `ip` parameters are
// the client's address, kept in the audit entries the call writes.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/accounts/service.h"
#include "domains/events/model.h"
#include "domains/events/repo.h"

namespace carecity::events {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct NewEvent {
  int64_t org_id = 0;
  std::string title;
  std::string description;
  std::string cover_url;
  std::string type;
  std::string organiser;  // empty: the organisation's name
  std::optional<int64_t> venue_id;
  std::optional<Venue> venue;  // a new venue (or an existing one of that name)
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  int64_t signup_opens_at_ms = 0;
  int64_t signup_closes_at_ms = 0;
  int64_t capacity = 0;
  std::string audience = "everyone";
  std::vector<int64_t> village_ids;
  int64_t per_person_limit = 1;
  std::vector<Question> questions;
  bool records_hours = false;
  std::optional<int64_t> volunteer_minutes;  // default: the event's length
  int64_t confirm_within_hours = 0;
  bool roster_only = false;  // sign-ups by the owning domain only (Event::roster_only)
};

struct CheckinInput {
  std::string ticket_code;
  std::optional<std::string> client_id;
  std::optional<int64_t> scanned_at_ms;
};

struct CheckinResult {
  Checkin checkin;
  bool already = false;
};

struct Attendance {
  Event event;
  std::vector<Registration> registrations;
};

struct MyRegistration {
  Registration registration;
  Event event;
};

struct VolunteerProfile {
  std::optional<Volunteer> volunteer;
  std::vector<VolunteerRecord> records;
};

class EventsService {
 public:
  EventsService(db::Store& store, accounts::AccountsService& accounts, const Clock& clock);

  // org_staff of in.org_id (or platform_admin). Errors in docs/api-events.md.
  Task<Event> Create(const Principal& p, NewEvent in, std::string ip);
  Task<Event> Get(int64_t id);
  Task<std::vector<Event>> List(repo::EventFilter filter);
  Task<std::vector<Venue>> Venues();
  // A venue, inside the caller's transaction (the shop's pickup points).
  std::optional<Venue> FindVenueTx(db::Tx& tx, int64_t id) const;
  // For other domains built on events (the market's 供需见面会): the event
  // as stored, and how many registrations have checked in.
  std::optional<Event> FindTx(db::Tx& tx, int64_t id) const;
  int64_t CheckedInTx(db::Tx& tx, int64_t event_id) const;

  // Signs the caller up for `seats` seats (all or none): confirmed if they
  // fit, else waitlisted in arrival order.
  Task<Registration> Register(const Principal& p, int64_t event_id, int64_t seats,
                              std::map<std::string, std::string> answers);
  // The caller's own registration, or the event's staff. Frees the seats and
  // promotes the waitlist.
  boost::asio::awaitable<Status> Cancel(const Principal& p, int64_t event_id, std::string reg_id);
  // An offered seat (confirm_within_hours > 0) becomes confirmed.
  Task<Registration> ConfirmOffer(const Principal& p, int64_t event_id, std::string reg_id);
  // The caller's active registration for the event, if any.
  Task<std::optional<Registration>> RegistrationOf(int64_t user_id, int64_t event_id);
  // Owner or staff; only confirmed registrations have a usable ticket.
  Task<Registration> Ticket(const Principal& p, int64_t event_id, std::string reg_id);
  Task<std::vector<MyRegistration>> MyRegistrations(int64_t user_id);

  // Staff of the event's organisation.
  Task<Event> SetCapacity(const Principal& p, int64_t event_id, int64_t capacity, std::string ip);
  Task<Event> CancelEvent(const Principal& p, int64_t event_id, std::string reason, std::string ip);
  Task<Attendance> GetAttendance(const Principal& p, int64_t event_id);
  Task<CheckinResult> CheckIn(const Principal& p, int64_t event_id, CheckinInput in);
  Task<EventStats> Stats(const Principal& p, int64_t event_id);
  Task<std::vector<OrgEventStats>> OrgStats(const Principal& p, int64_t org_id);

  Task<Volunteer> RegisterVolunteer(const Principal& p, std::string real_name);
  Task<VolunteerProfile> VolunteerOf(int64_t user_id);

  // Periodic work (`serve` runs it every 30 s): expires unconfirmed offers
  // (promoting the next in line) and queues the day-before reminders.
  // Returns how many offers expired and reminders were queued.
  std::pair<int64_t, int64_t> MaintainTx(db::Tx& tx, int64_t now_ms);

  // A deleted account: its sign-ups for events not yet started are cancelled
  // (the seats go to the waitlist) and its volunteer profile loses the name.
  void ForgetUserTx(db::Tx& tx, int64_t user_id, int64_t now_ms);
  // The person's sign-ups and volunteer records, for their data export (JSON).
  std::string ExportJsonTx(db::Tx& tx, int64_t user_id);

  // For the demo seeder, inside its transaction.
  Result<Event> CreateTx(db::Tx& tx, int64_t actor, const NewEvent& in, int64_t now_ms, const std::string& ip = {});
  Result<Registration> RegisterTx(db::Tx& tx, int64_t user_id, int64_t event_id, int64_t seats,
                                  const std::map<std::string, std::string>& answers, int64_t now_ms);
  Result<CheckinResult> CheckInTx(db::Tx& tx, int64_t staff_id, int64_t event_id, const CheckinInput& in,
                                  int64_t now_ms);
  // For a domain that owns an event's sign-ups (training classes): the
  // person's active registration for an event that has not started is
  // cancelled and the seats go to the waitlist. False if there was none.
  bool CancelUpcomingTx(db::Tx& tx, int64_t user_id, int64_t event_id, int64_t now_ms);
  // Which of `event_ids` the person was checked in at.
  std::set<int64_t> CheckedInAtTx(db::Tx& tx, int64_t user_id, const std::vector<int64_t>& event_ids) const;
  // Minutes of volunteer service recorded for the person within [from_ms, to_ms].
  int64_t VolunteerMinutesBetweenTx(db::Tx& tx, int64_t user_id, int64_t from_ms, int64_t to_ms) const;
  Status RegisterVolunteerTx(db::Tx& tx, int64_t user_id, const std::string& real_name, int64_t now_ms);

  static bool IsStaff(const Principal& p, int64_t org_id);
  const Clock& clock() const { return clock_; }

  // Who else runs an event besides its organisation's staff (a training
  // class's trainers run its sessions: attendance, check-in, statistics).
  // Set once by App before the server answers anyone.
  using CoStaff = std::function<bool(db::Tx&, const Principal&, const Event&)>;
  void SetCoStaff(CoStaff f) { co_staff_ = std::move(f); }

 private:
  // Frees nothing itself: walks the waitlist in order and promotes every
  // registration that fits the free seats. Needs the event's lock.
  void PromoteTx(db::Tx& tx, const Event& locked, int64_t now_ms);
  // Expires this event's (or every event's) offers past their deadline.
  int64_t ExpireOffersTx(db::Tx& tx, std::optional<int64_t> event_id, int64_t now_ms);
  // Cancels `r` on the event locked as `e` (its seats to the waitlist).
  Status CancelLockedTx(db::Tx& tx, Event& e, const Registration& r, int64_t now_ms);
  Result<Event> StaffEventTx(db::Tx& tx, const Principal& p, int64_t event_id, bool lock);

  db::Store& store_;
  accounts::AccountsService& accounts_;
  const Clock& clock_;
  CoStaff co_staff_;
};

}  // namespace carecity::events
