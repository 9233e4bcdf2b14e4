#include "domains/events/repo.h"

#include <fmt/format.h>

#include "db/lock.h"

namespace carecity::events::repo {
namespace {

constexpr const char* kEventColumns =
    "e.id, e.org_id, o.name, e.organiser, e.title, e.description, e.cover_url, e.type, "
    "v.id, v.name, v.address, v.map_url, e.starts_at_ms, e.ends_at_ms, e.signup_opens_at_ms, "
    "e.signup_closes_at_ms, e.capacity, e.confirmed_seats, e.waitlisted_seats, e.audience, e.per_person_limit, "
    "e.questions_json, e.records_hours, e.volunteer_minutes, e.confirm_within_hours, e.status, e.cancel_reason, "
    "e.created_at_ms, e.waitlisted_count, e.next_seq, e.roster_only";
constexpr const char* kEventFrom = " FROM events e JOIN orgs o ON o.id = e.org_id JOIN venues v ON v.id = e.venue_id";

Event ReadEvent(const db::Row& r) {
  Event e;
  e.id = r.Int(0);
  e.org_id = r.Int(1);
  e.org_name = r.Text(2);
  e.organiser = r.Text(3);
  e.title = r.Text(4);
  e.description = r.Text(5);
  e.cover_url = r.Text(6);
  e.type = r.Text(7);
  e.venue = {r.Int(8), r.Text(9), r.Text(10), r.Text(11)};
  e.starts_at_ms = r.Int(12);
  e.ends_at_ms = r.Int(13);
  e.signup_opens_at_ms = r.Int(14);
  e.signup_closes_at_ms = r.Int(15);
  e.capacity = r.Int(16);
  e.confirmed_seats = r.Int(17);
  e.waitlisted_seats = r.Int(18);
  e.audience = r.Text(19);
  e.per_person_limit = r.Int(20);
  e.questions = ParseQuestions(r.Text(21));
  e.records_hours = r.Bool(22);
  e.volunteer_minutes = r.Int(23);
  e.confirm_within_hours = r.Int(24);
  e.status = r.Text(25);
  e.cancel_reason = r.OptText(26);
  e.created_at_ms = r.Int(27);
  e.waitlisted_count = r.Int(28);
  e.next_seq = r.Int(29);
  e.roster_only = r.Bool(30);
  return e;
}

void LoadVillages(db::Tx& tx, Event& e) {
  const auto rows = tx.Query(
      "SELECT v.id, v.name FROM event_villages ev JOIN villages v ON v.id = ev.village_id WHERE ev.event_id = $1 "
      "ORDER BY v.id",
      {e.id});
  for (size_t i = 0; i < rows.size(); ++i) {
    e.villages.push_back({rows[i].Int(0), rows[i].Text(1)});
  }
}

constexpr const char* kRegColumns =
    "r.id, r.event_id, r.user_id, u.display_name, r.seats, r.seq, r.status, r.ticket_code, r.answers_json, "
    "r.offer_expires_at_ms, c.checked_in_at_ms, r.created_at_ms, r.updated_at_ms, r.public_id";
constexpr const char* kRegFrom =
    " FROM event_registrations r JOIN users u ON u.id = r.user_id "
    "LEFT JOIN event_checkins c ON c.registration_id = r.id";

Registration ReadRegistration(const db::Row& row) {
  Registration r;
  r.id = row.Int(0);
  r.event_id = row.Int(1);
  r.user_id = row.Int(2);
  r.user_name = row.Text(3);
  r.seats = row.Int(4);
  r.seq = row.Int(5);
  r.status = row.Text(6);
  r.ticket_code = row.Text(7);
  r.answers_json = row.Text(8);
  r.offer_expires_at_ms = row.OptInt(9);
  r.checked_in_at_ms = row.OptInt(10);
  r.created_at_ms = row.Int(11);
  r.updated_at_ms = row.Int(12);
  r.public_id = row.Text(13);
  return r;
}

std::vector<Registration> ReadRegistrations(const db::Rows& rows) { return rows.Map(ReadRegistration); }

std::optional<Registration> OneRegistration(const db::Rows& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadRegistration(rows.front());
}

}  // namespace

std::vector<Venue> ListVenues(db::Tx& tx) {
  const auto rows = tx.Query("SELECT id, name, address, map_url FROM venues ORDER BY id");
  std::vector<Venue> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Int(0), rows[i].Text(1), rows[i].Text(2), rows[i].Text(3)});
  }
  return out;
}

std::optional<Venue> FindVenue(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query("SELECT id, name, address, map_url FROM venues WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return Venue{rows.front().Int(0), rows.front().Text(1), rows.front().Text(2), rows.front().Text(3)};
}

std::optional<Venue> FindVenueByName(db::Tx& tx, const std::string& name) {
  const auto rows = tx.Query("SELECT id, name, address, map_url FROM venues WHERE name = $1", {name});
  if (rows.empty()) {
    return std::nullopt;
  }
  return Venue{rows.front().Int(0), rows.front().Text(1), rows.front().Text(2), rows.front().Text(3)};
}

std::optional<int64_t> InsertVenue(db::Tx& tx, const Venue& v, std::optional<int64_t> org_id, int64_t now_ms) {
  auto rows = tx.Query(
      "INSERT INTO venues (name, address, map_url, org_id, created_at_ms) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (name) DO NOTHING RETURNING id",
      {v.name, v.address, v.map_url, org_id, now_ms});
  return rows.empty() ? std::nullopt : std::optional<int64_t>(rows.front().Int(0));
}

int64_t InsertEvent(db::Tx& tx, const Event& e, int64_t created_by) {
  return tx.Insert(
      "INSERT INTO events (org_id, title, description, cover_url, type, organiser, venue_id, starts_at_ms, "
      "ends_at_ms, signup_opens_at_ms, signup_closes_at_ms, capacity, audience, per_person_limit, "
      "questions_json, records_hours, volunteer_minutes, confirm_within_hours, created_by, created_at_ms, "
      "roster_only) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
      {e.org_id, e.title, e.description, e.cover_url, e.type, e.organiser, e.venue.id, e.starts_at_ms,
       e.ends_at_ms, e.signup_opens_at_ms, e.signup_closes_at_ms, e.capacity, e.audience, e.per_person_limit,
       QuestionsJson(e.questions), e.records_hours, e.volunteer_minutes, e.confirm_within_hours, created_by,
       e.created_at_ms, e.roster_only});
}

void InsertEventVillage(db::Tx& tx, int64_t event_id, int64_t village_id) {
  tx.Exec("INSERT INTO event_villages (event_id, village_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          {event_id, village_id});
}

std::optional<Event> FindEvent(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(fmt::format("SELECT {}{} WHERE e.id = $1", kEventColumns, kEventFrom), {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  Event e = ReadEvent(rows.front());
  LoadVillages(tx, e);
  return e;
}

std::optional<Event> LockEvent(db::Tx& tx, int64_t id) {
  if (!db::LockRow(tx, "events", id)) {
    return std::nullopt;
  }
  return FindEvent(tx, id);
}

void AddArrival(db::Tx& tx, int64_t event_id, int64_t seq, int64_t confirmed_delta, int64_t waitlisted_delta,
                int64_t waiting_registrations_delta) {
  tx.Exec("UPDATE events SET next_seq = $2, confirmed_seats = confirmed_seats + $3, "
          "waitlisted_seats = waitlisted_seats + $4, waitlisted_count = waitlisted_count + $5 WHERE id = $1",
          {event_id, seq, confirmed_delta, waitlisted_delta, waiting_registrations_delta});
}

void AddSeats(db::Tx& tx, int64_t event_id, int64_t confirmed_delta, int64_t waitlisted_delta,
              int64_t waiting_registrations_delta) {
  tx.Exec("UPDATE events SET confirmed_seats = confirmed_seats + $2, waitlisted_seats = waitlisted_seats + $3, "
          "waitlisted_count = waitlisted_count + $4 WHERE id = $1",
          {event_id, confirmed_delta, waitlisted_delta, waiting_registrations_delta});
}

void SetCapacity(db::Tx& tx, int64_t event_id, int64_t capacity) {
  tx.Exec("UPDATE events SET capacity = $2 WHERE id = $1", {event_id, capacity});
}

void CancelEvent(db::Tx& tx, int64_t event_id, const std::string& reason) {
  tx.Exec("UPDATE events SET status = 'cancelled', cancel_reason = $2 WHERE id = $1", {event_id, reason});
}

std::vector<Event> ListEvents(db::Tx& tx, const EventFilter& f) {
  // A class session's sign-ups are its class's: it is listed with the class.
  std::string sql = fmt::format("SELECT {}{} WHERE e.roster_only = 0", kEventColumns, kEventFrom);
  std::vector<db::Value> params;
  const auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.from_ms) {
    sql += " AND e.ends_at_ms >= " + param(*f.from_ms);
  }
  if (f.to_ms) {
    sql += " AND e.starts_at_ms < " + param(*f.to_ms);
  }
  if (f.type) {
    sql += " AND e.type = " + param(*f.type);
  }
  if (f.org_id) {
    sql += " AND e.org_id = " + param(*f.org_id);
  }
  if (f.village_id) {
    sql += " AND (e.audience <> 'villages' OR EXISTS (SELECT 1 FROM event_villages ev WHERE ev.event_id = e.id "
           "AND ev.village_id = " +
           param(*f.village_id) + "))";
  }
  if (f.after) {
    const std::string s = param(f.after->first);
    const std::string i = param(f.after->second);
    sql += " AND (e.starts_at_ms > " + s + " OR (e.starts_at_ms = " + s + " AND e.id > " + i + "))";
  }
  sql += " ORDER BY e.starts_at_ms, e.id LIMIT " + param(f.limit);
  const auto rows = tx.Query(sql, params);
  std::vector<Event> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadEvent(rows[i]));
    LoadVillages(tx, out.back());
  }
  return out;
}

int64_t InsertRegistration(db::Tx& tx, const Registration& r) {
  return tx.Insert(
      "INSERT INTO event_registrations (event_id, user_id, seats, seq, status, ticket_code, answers_json, "
      "offer_expires_at_ms, created_at_ms, updated_at_ms, public_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, "
      "$10)",
      {r.event_id, r.user_id, r.seats, r.seq, r.status, r.ticket_code, r.answers_json, r.offer_expires_at_ms,
       r.created_at_ms, r.public_id});
}

std::optional<Registration> FindRegistration(db::Tx& tx, int64_t event_id, int64_t reg_id) {
  return OneRegistration(tx.Query(
      fmt::format("SELECT {}{} WHERE r.id = $1 AND r.event_id = $2", kRegColumns, kRegFrom), {reg_id, event_id}));
}

std::optional<Registration> FindRegistrationByPublicId(db::Tx& tx, int64_t event_id, const std::string& public_id) {
  return OneRegistration(
      tx.Query(fmt::format("SELECT {}{} WHERE r.public_id = $1 AND r.event_id = $2", kRegColumns, kRegFrom),
               {public_id, event_id}));
}

std::optional<Registration> FindByTicket(db::Tx& tx, int64_t event_id, const std::string& ticket_code) {
  return OneRegistration(
      tx.Query(fmt::format("SELECT {}{} WHERE r.ticket_code = $1 AND r.event_id = $2", kRegColumns, kRegFrom),
               {ticket_code, event_id}));
}

bool TicketTaken(db::Tx& tx, int64_t event_id, const std::string& ticket_code) {
  return !tx.Query("SELECT 1 FROM event_registrations WHERE event_id = $1 AND ticket_code = $2",
                   {event_id, ticket_code})
              .empty();
}

bool HasActiveRegistration(db::Tx& tx, int64_t event_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM event_registrations WHERE event_id = $1 AND user_id = $2 AND status IN "
                   "('confirmed', 'waitlisted', 'offered')",
                   {event_id, user_id})
              .empty();
}

std::optional<Registration> ActiveRegistrationOf(db::Tx& tx, int64_t event_id, int64_t user_id) {
  return OneRegistration(tx.Query(
      fmt::format("SELECT {}{} WHERE r.event_id = $1 AND r.user_id = $2 AND r.status IN ('confirmed', "
                  "'waitlisted', 'offered')",
                  kRegColumns, kRegFrom),
      {event_id, user_id}));
}

void SetRegistrationStatus(db::Tx& tx, int64_t reg_id, const std::string& status,
                           std::optional<int64_t> offer_expires_at_ms, int64_t now_ms) {
  tx.Exec("UPDATE event_registrations SET status = $2, offer_expires_at_ms = $3, updated_at_ms = $4 WHERE id = $1",
          {reg_id, status, offer_expires_at_ms, now_ms});
}

int64_t WaitlistPosition(db::Tx& tx, int64_t event_id, int64_t seq) {
  return tx
             .Query("SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'waitlisted' AND "
                    "seq < $2",
                    {event_id, seq})
             .front()
             .Int(0) +
         1;
}

std::optional<Registration> FirstWaitingThatFits(db::Tx& tx, int64_t event_id, int64_t max_seats) {
  return OneRegistration(tx.Query(fmt::format("SELECT {}{} WHERE r.event_id = $1 AND r.status = 'waitlisted' AND "
                                              "r.seats <= $2 ORDER BY r.seq LIMIT 1",
                                              kRegColumns, kRegFrom),
                                  {event_id, max_seats}));
}

std::vector<Registration> ExpiredOffers(db::Tx& tx, std::optional<int64_t> event_id, int64_t now_ms, int limit) {
  if (event_id) {
    return ReadRegistrations(tx.Query(
        fmt::format("SELECT {}{} WHERE r.event_id = $1 AND r.status = 'offered' AND r.offer_expires_at_ms <= $2 "
                    "ORDER BY r.seq LIMIT $3",
                    kRegColumns, kRegFrom),
        {*event_id, now_ms, limit}));
  }
  return ReadRegistrations(tx.Query(fmt::format("SELECT {}{} WHERE r.status = 'offered' AND r.offer_expires_at_ms "
                                                "<= $1 ORDER BY r.event_id, r.seq LIMIT $2",
                                                kRegColumns, kRegFrom),
                                    {now_ms, limit}));
}

std::vector<Registration> ListRegistrations(db::Tx& tx, int64_t event_id) {
  return ReadRegistrations(
      tx.Query(fmt::format("SELECT {}{} WHERE r.event_id = $1 ORDER BY r.seq", kRegColumns, kRegFrom), {event_id}));
}

std::vector<Registration> RegistrationsOf(db::Tx& tx, int64_t user_id, int limit) {
  return ReadRegistrations(tx.Query(fmt::format("SELECT {}{} JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 "
                                                "ORDER BY e.starts_at_ms DESC, r.id DESC LIMIT $2",
                                                kRegColumns, kRegFrom),
                                    {user_id, limit}));
}

std::vector<std::pair<std::string, int64_t>> ActiveRegistrants(db::Tx& tx, int64_t event_id, bool confirmed_only) {
  const auto rows = tx.Query(
      confirmed_only
          ? "SELECT public_id, user_id FROM event_registrations WHERE event_id = $1 AND status = 'confirmed' "
            "ORDER BY seq"
          : "SELECT public_id, user_id FROM event_registrations WHERE event_id = $1 AND status IN ('confirmed', "
            "'waitlisted', 'offered') ORDER BY seq",
      {event_id});
  std::vector<std::pair<std::string, int64_t>> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.emplace_back(rows[i].Text(0), rows[i].Int(1));
  }
  return out;
}

std::optional<Checkin> FindCheckin(db::Tx& tx, int64_t registration_id) {
  const auto rows = tx.Query(
      "SELECT r.public_id, r.ticket_code, u.display_name, r.seats, c.checked_in_at_ms, c.by_user_id, "
      "c.client_id FROM event_checkins c JOIN event_registrations r ON r.id = c.registration_id "
      "JOIN users u ON u.id = r.user_id WHERE c.registration_id = $1",
      {registration_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return Checkin{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4), r.Int(5), r.OptText(6)};
}

bool InsertCheckin(db::Tx& tx, int64_t registration_id, int64_t event_id, int64_t at_ms, int64_t by_user_id,
                   const std::optional<std::string>& client_id, int64_t now_ms) {
  return tx.Exec("INSERT INTO event_checkins (registration_id, event_id, checked_in_at_ms, by_user_id, client_id, "
                 "received_at_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (registration_id) DO NOTHING",
                 {registration_id, event_id, at_ms, by_user_id, client_id, now_ms}) == 1;
}

EventStats Stats(db::Tx& tx, int64_t event_id, bool ended) {
  const db::Rows rows = tx.Query(
                       "SELECT "
                       "COALESCE(SUM(CASE WHEN r.status IN ('confirmed', 'waitlisted', 'offered') THEN 1 ELSE 0 END), 0), "
                       "COALESCE(SUM(CASE WHEN r.status IN ('confirmed', 'offered') THEN r.seats ELSE 0 END), 0), "
                       "COALESCE(SUM(CASE WHEN r.status = 'waitlisted' THEN r.seats ELSE 0 END), 0), "
                       "COALESCE(SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END), 0), "
                       "COALESCE(SUM(CASE WHEN r.status = 'confirmed' AND c.registration_id IS NOT NULL THEN 1 ELSE 0 END), 0), "
                       "COALESCE(SUM(CASE WHEN r.status = 'confirmed' AND c.registration_id IS NOT NULL THEN r.seats ELSE 0 END), 0), "
                       "COALESCE(SUM(CASE WHEN r.status = 'confirmed' AND c.registration_id IS NULL THEN 1 ELSE 0 "
                       "END), 0) "
                       "FROM event_registrations r LEFT JOIN event_checkins c ON c.registration_id = r.id "
                       "WHERE r.event_id = $1",
                       {event_id});
  const db::Row r = rows.front();
  EventStats s;
  s.registrations = r.Int(0);
  s.seats_confirmed = r.Int(1);
  s.seats_waitlisted = r.Int(2);
  s.confirmed_registrations = r.Int(3);
  s.checked_in = r.Int(4);
  s.checked_in_seats = r.Int(5);
  s.no_shows = ended ? r.Int(6) : 0;
  s.attendance_rate =
      s.confirmed_registrations > 0 ? static_cast<double>(s.checked_in) / static_cast<double>(s.confirmed_registrations)
                                    : 0.0;
  return s;
}

std::vector<int64_t> EventsNeedingReminder(db::Tx& tx, int64_t from_ms, int64_t to_ms) {
  const auto rows = tx.Query(
      "SELECT id FROM events WHERE status = 'published' AND reminder_sent_at_ms IS NULL AND starts_at_ms > $1 "
      "AND starts_at_ms <= $2 ORDER BY starts_at_ms LIMIT 200",
      {from_ms, to_ms});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

bool MarkReminded(db::Tx& tx, int64_t event_id, int64_t now_ms) {
  return tx.Exec("UPDATE events SET reminder_sent_at_ms = $2 WHERE id = $1 AND reminder_sent_at_ms IS NULL "
                 "AND status = 'published'",
                 {event_id, now_ms}) == 1;
}

bool ExpireOffer(db::Tx& tx, int64_t reg_id, int64_t now_ms) {
  return tx.Exec("UPDATE event_registrations SET status = 'expired', offer_expires_at_ms = NULL, updated_at_ms = $2 "
                 "WHERE id = $1 AND status = 'offered' AND offer_expires_at_ms <= $2",
                 {reg_id, now_ms}) == 1;
}

std::optional<Volunteer> FindVolunteer(db::Tx& tx, int64_t user_id) {
  const auto rows = tx.Query(
      "SELECT v.user_id, v.real_name, v.registered_at_ms, "
      "(SELECT COALESCE(SUM(minutes), 0) FROM volunteer_records WHERE user_id = v.user_id) "
      "FROM volunteers v WHERE v.user_id = $1",
      {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return Volunteer{rows.front().Int(0), rows.front().Text(1), rows.front().Int(2), rows.front().Int(3)};
}

bool InsertVolunteer(db::Tx& tx, int64_t user_id, const std::string& real_name, int64_t now_ms) {
  return tx.Exec("INSERT INTO volunteers (user_id, real_name, registered_at_ms) VALUES ($1, $2, $3) "
                 "ON CONFLICT (user_id) DO NOTHING",
                 {user_id, real_name, now_ms}) == 1;
}

void ForgetVolunteerName(db::Tx& tx, int64_t user_id) {
  tx.Exec("UPDATE volunteers SET real_name = '已注销' WHERE user_id = $1", {user_id});
}

std::vector<VolunteerRecord> VolunteerRecords(db::Tx& tx, int64_t user_id) {
  const auto rows = tx.Query(
      "SELECT r.id, r.event_id, r.org_id, o.name, r.title, r.service_date_ms, r.minutes, r.recorded_at_ms "
      "FROM volunteer_records r JOIN orgs o ON o.id = r.org_id WHERE r.user_id = $1 "
      "ORDER BY r.service_date_ms DESC, r.id DESC",
      {user_id});
  std::vector<VolunteerRecord> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6), r.Int(7)});
  }
  return out;
}

bool InsertVolunteerRecord(db::Tx& tx, int64_t user_id, const Event& e, int64_t service_date_ms,
                           int64_t recorded_by, int64_t now_ms) {
  return tx.Exec("INSERT INTO volunteer_records (user_id, event_id, org_id, title, service_date_ms, minutes, "
                 "recorded_by, recorded_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                 "ON CONFLICT (user_id, event_id) DO NOTHING",
                 {user_id, e.id, e.org_id, e.title, service_date_ms, e.volunteer_minutes, recorded_by, now_ms}) ==
         1;
}

int64_t CountCheckins(db::Tx& tx, int64_t event_id) {
  return tx.Query("SELECT COUNT(*) FROM event_checkins WHERE event_id = $1", {event_id}).front().Int(0);
}

std::set<int64_t> CheckedInAt(db::Tx& tx, int64_t user_id, const std::vector<int64_t>& event_ids) {
  std::set<int64_t> out;
  if (event_ids.empty()) {
    return out;
  }
  std::string sql =
      "SELECT DISTINCT c.event_id FROM event_checkins c JOIN event_registrations r ON r.id = c.registration_id "
      "WHERE r.user_id = $1 AND c.event_id IN (";
  std::vector<db::Value> params{user_id};
  for (size_t i = 0; i < event_ids.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 2);
    params.emplace_back(event_ids[i]);
  }
  const auto rows = tx.Query(sql + ")", params);
  for (size_t i = 0; i < rows.size(); ++i) {
    out.insert(rows[i].Int(0));
  }
  return out;
}

int64_t VolunteerMinutesBetween(db::Tx& tx, int64_t user_id, int64_t from_ms, int64_t to_ms) {
  return tx.Query("SELECT COALESCE(SUM(minutes), 0) FROM volunteer_records WHERE user_id = $1 "
                  "AND service_date_ms >= $2 AND service_date_ms <= $3",
                  {user_id, from_ms, to_ms})
      .front()
      .Int(0);
}

}  // namespace carecity::events::repo
