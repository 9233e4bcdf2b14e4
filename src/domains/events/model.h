// Events (活动报名): activities that organisations publish, registrations
// with a waitlist and tickets, check-ins and volunteer-service records.
// Plain data and the rules that need no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::events {

struct Venue {
  int64_t id = 0;
  std::string name;
  std::string address;
  std::string map_url;
};

struct Question {
  std::string id;      // "q1"
  std::string label;
  std::string kind;    // text | choice
  std::vector<std::string> options;
  bool required = false;
};

struct VillageRef {
  int64_t id = 0;
  std::string name;
};

struct Event {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string organiser;
  std::string title;
  std::string description;
  std::string cover_url;
  std::string type;
  Venue venue;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  int64_t signup_opens_at_ms = 0;
  int64_t signup_closes_at_ms = 0;
  int64_t capacity = 0;
  int64_t confirmed_seats = 0;  // confirmed + offered
  int64_t waitlisted_seats = 0;
  int64_t waitlisted_count = 0;  // registrations on the waitlist
  int64_t next_seq = 0;          // arrival number of the latest registration
  std::string audience;          // everyone | villages | volunteers
  std::vector<VillageRef> villages;
  int64_t per_person_limit = 1;
  std::vector<Question> questions;
  bool records_hours = false;
  int64_t volunteer_minutes = 0;
  int64_t confirm_within_hours = 0;
  std::string status;            // published | cancelled
  std::optional<std::string> cancel_reason;
  int64_t created_at_ms = 0;
  // Sign-ups belong to another domain (a training class's session): the
  // events API refuses them and public lists leave the event out.
  bool roster_only = false;

  // not_open | open | closed | cancelled, at `now_ms`.
  std::string SignupState(int64_t now_ms) const;
};

struct Registration {
  int64_t id = 0;          // internal; never leaves the server
  std::string public_id;   // in URLs and JSON (NewPublicId)
  int64_t event_id = 0;
  int64_t user_id = 0;
  std::string user_name;
  int64_t seats = 0;
  int64_t seq = 0;
  std::string status;  // confirmed | waitlisted | offered | cancelled | expired
  std::string ticket_code;
  std::string answers_json;
  std::optional<int64_t> offer_expires_at_ms;
  std::optional<int64_t> checked_in_at_ms;
  std::optional<int64_t> position;  // filled for waitlisted ones
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;

  // Holds seats: counted against the capacity.
  bool HoldsSeats() const { return status == "confirmed" || status == "offered"; }
  bool Active() const { return HoldsSeats() || status == "waitlisted"; }
};

struct Checkin {
  std::string registration_id;  // the registration's public id
  std::string ticket_code;
  std::string name;
  int64_t seats = 0;
  int64_t checked_in_at_ms = 0;
  int64_t by_user_id = 0;
  std::optional<std::string> client_id;
};

struct EventStats {
  int64_t registrations = 0;      // active ones
  int64_t seats_confirmed = 0;
  int64_t seats_waitlisted = 0;
  int64_t confirmed_registrations = 0;
  int64_t checked_in = 0;         // registrations
  int64_t checked_in_seats = 0;
  int64_t no_shows = 0;           // after the end only
  double attendance_rate = 0;     // checked_in / confirmed_registrations
};

struct OrgEventStats {
  int64_t event_id = 0;
  std::string title;
  int64_t starts_at_ms = 0;
  int64_t capacity = 0;
  EventStats stats;
};

struct Volunteer {
  int64_t user_id = 0;
  std::string real_name;
  int64_t registered_at_ms = 0;
  int64_t total_minutes = 0;
};

struct VolunteerRecord {
  int64_t id = 0;
  int64_t event_id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string title;
  int64_t service_date_ms = 0;
  int64_t minutes = 0;
  int64_t recorded_at_ms = 0;
};

inline constexpr std::string_view kEventTypes[] = {"community", "volunteer", "culture", "health", "elderly",
                                                   "youth",     "family",    "training", "other"};
bool IsEventType(std::string_view t);
bool IsAudience(std::string_view a);

// Ticket codes: 8 characters of Crockford's base-32 alphabet (no I, L, O,
// U), about 40 bits. Typing is forgiving: lower case, spaces and dashes are
// dropped and O/I/L read as 0/1/1.
std::string NewTicketCode();
std::string NormaliseTicketCode(std::string_view typed);

// Questions as stored (a JSON array); ParseQuestions returns {} for text it
// did not write.
std::string QuestionsJson(const std::vector<Question>& questions);
std::vector<Question> ParseQuestions(std::string_view json);

// Check-in opens this long before the start.
inline constexpr int64_t kCheckinLeadMs = 4LL * 3600 * 1000;

}  // namespace carecity::events
