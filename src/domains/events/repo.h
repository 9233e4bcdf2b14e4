// SQL for events. Runs in the caller's transaction; checks no rules.
#pragma once

#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/events/model.h"

namespace carecity::events::repo {

std::vector<Venue> ListVenues(db::Tx& tx);
std::optional<Venue> FindVenue(db::Tx& tx, int64_t id);
std::optional<Venue> FindVenueByName(db::Tx& tx, const std::string& name);
// The new venue's id; nullopt if one by that name exists (added meanwhile
// by another request: read it with FindVenueByName).
std::optional<int64_t> InsertVenue(db::Tx& tx, const Venue& v, std::optional<int64_t> org_id, int64_t now_ms);

int64_t InsertEvent(db::Tx& tx, const Event& e, int64_t created_by);
void InsertEventVillage(db::Tx& tx, int64_t event_id, int64_t village_id);
std::optional<Event> FindEvent(db::Tx& tx, int64_t id);
// How many registrations of the event have checked in.
int64_t CountCheckins(db::Tx& tx, int64_t event_id);
// Takes the event's row lock for the rest of the transaction (every change
// to an event's seats goes through it) and returns the event as it is now.
std::optional<Event> LockEvent(db::Tx& tx, int64_t id);
// A new registration under the lock: records its arrival number `seq`
// (Event::next_seq + 1) and its seats, in one statement.
void AddArrival(db::Tx& tx, int64_t event_id, int64_t seq, int64_t confirmed_delta, int64_t waitlisted_delta,
                int64_t waiting_registrations_delta);
// Seat counters, and the number of registrations waiting.
void AddSeats(db::Tx& tx, int64_t event_id, int64_t confirmed_delta, int64_t waitlisted_delta,
              int64_t waiting_registrations_delta = 0);
void SetCapacity(db::Tx& tx, int64_t event_id, int64_t capacity);
void CancelEvent(db::Tx& tx, int64_t event_id, const std::string& reason);

struct EventFilter {
  std::optional<int64_t> from_ms;  // events ending at or after
  std::optional<int64_t> to_ms;    // events starting before
  std::optional<std::string> type;
  std::optional<int64_t> village_id;
  std::optional<int64_t> org_id;
  // Keyset cursor: (starts_at_ms, id) strictly after.
  std::optional<std::pair<int64_t, int64_t>> after;
  int limit = 20;
};
std::vector<Event> ListEvents(db::Tx& tx, const EventFilter& f);

int64_t InsertRegistration(db::Tx& tx, const Registration& r);
std::optional<Registration> FindRegistration(db::Tx& tx, int64_t event_id, int64_t reg_id);
// By the id in URLs; nullopt for an id of another event.
std::optional<Registration> FindRegistrationByPublicId(db::Tx& tx, int64_t event_id, const std::string& public_id);
std::optional<Registration> FindByTicket(db::Tx& tx, int64_t event_id, const std::string& ticket_code);
std::optional<Registration> ActiveRegistrationOf(db::Tx& tx, int64_t event_id, int64_t user_id);
// Index probes for the sign-up path, which needs only yes or no.
bool TicketTaken(db::Tx& tx, int64_t event_id, const std::string& ticket_code);
bool HasActiveRegistration(db::Tx& tx, int64_t event_id, int64_t user_id);
void SetRegistrationStatus(db::Tx& tx, int64_t reg_id, const std::string& status,
                           std::optional<int64_t> offer_expires_at_ms, int64_t now_ms);
// 1-based place among waiting registrations.
int64_t WaitlistPosition(db::Tx& tx, int64_t event_id, int64_t seq);
// The first waiting registration (arrival order) of at most `max_seats`.
std::optional<Registration> FirstWaitingThatFits(db::Tx& tx, int64_t event_id, int64_t max_seats);
// Offers past their deadline: (event_id, registration) pairs.
std::vector<Registration> ExpiredOffers(db::Tx& tx, std::optional<int64_t> event_id, int64_t now_ms, int limit);
// Every registration of the event, in arrival order.
std::vector<Registration> ListRegistrations(db::Tx& tx, int64_t event_id);
// A person's registrations with their events' ids, newest event first.
std::vector<Registration> RegistrationsOf(db::Tx& tx, int64_t user_id, int limit);
// (public id, user id) of active registrations (for notifications).
std::vector<std::pair<std::string, int64_t>> ActiveRegistrants(db::Tx& tx, int64_t event_id, bool confirmed_only);

std::optional<Checkin> FindCheckin(db::Tx& tx, int64_t registration_id);
// False if the ticket was already checked in (nothing written).
bool InsertCheckin(db::Tx& tx, int64_t registration_id, int64_t event_id, int64_t at_ms, int64_t by_user_id,
                   const std::optional<std::string>& client_id, int64_t now_ms);

EventStats Stats(db::Tx& tx, int64_t event_id, bool ended);
// Which of `event_ids` the person was checked in at (one query).
std::set<int64_t> CheckedInAt(db::Tx& tx, int64_t user_id, const std::vector<int64_t>& event_ids);
// Minutes of volunteer service dated within [from_ms, to_ms].
int64_t VolunteerMinutesBetween(db::Tx& tx, int64_t user_id, int64_t from_ms, int64_t to_ms);

// Events starting in (from_ms, to_ms] whose reminders are not queued yet.
std::vector<int64_t> EventsNeedingReminder(db::Tx& tx, int64_t from_ms, int64_t to_ms);
// Claims the event's reminders; false if they were queued already or the
// event was cancelled since it was found.
bool MarkReminded(db::Tx& tx, int64_t event_id, int64_t now_ms);
// offered -> expired if still offered and past its deadline; false otherwise.
bool ExpireOffer(db::Tx& tx, int64_t reg_id, int64_t now_ms);

std::optional<Volunteer> FindVolunteer(db::Tx& tx, int64_t user_id);
// False (nothing written) if the person is a volunteer already.
bool InsertVolunteer(db::Tx& tx, int64_t user_id, const std::string& real_name, int64_t now_ms);
std::vector<VolunteerRecord> VolunteerRecords(db::Tx& tx, int64_t user_id);
void ForgetVolunteerName(db::Tx& tx, int64_t user_id);
// False if a record for this person and event exists.
bool InsertVolunteerRecord(db::Tx& tx, int64_t user_id, const Event& e, int64_t service_date_ms,
                           int64_t recorded_by, int64_t now_ms);

}  // namespace carecity::events::repo
