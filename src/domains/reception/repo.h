// SQL for the reception rooms, their duty rosters and visits. Every function
// runs in the caller's transaction and throws db::DbError on database
// failure; none decides a rule, except where a statement is the rule's
// enforcement (named below).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/reception/model.h"

namespace carecity::reception::repo {

// ---- Rooms and duty ----
int64_t InsertRoom(db::Tx& tx, const Room& r, int64_t by, int64_t now_ms);
// The room with its duty roster.
std::optional<Room> FindRoom(db::Tx& tx, int64_t id);
std::vector<Room> ListRooms(db::Tx& tx, std::optional<int64_t> village_id);
// The room under its row lock (PostgreSQL FOR UPDATE), for a write job that
// replaces its roster: two such jobs run one after the other.
std::optional<Room> LockRoom(db::Tx& tx, int64_t id);
void ClearDuty(db::Tx& tx, int64_t room_id);
// The duty rule, enforced by the INSERT itself: only a person on the
// party-member register of the room's village. False: not on it.
bool AddDutyIfMember(db::Tx& tx, int64_t room_id, int64_t user_id, int weekday);
bool OnDuty(db::Tx& tx, int64_t room_id, int64_t user_id);
// The rooms where `user_id` is on the duty roster.
std::vector<int64_t> DutyRoomsOf(db::Tx& tx, int64_t user_id);

// ---- Visits ----
int64_t InsertVisit(db::Tx& tx, const Visit& v);
std::optional<Visit> FindVisitByPublicId(db::Tx& tx, const std::string& public_id);
std::optional<Visit> FindVisit(db::Tx& tx, int64_t id);
struct VisitFilter {
  std::optional<int64_t> room_id;
  std::optional<int64_t> village_id;
  std::optional<int64_t> recorded_by;
  std::optional<int64_t> from_ms;  // visited_at_ms >= from
  std::optional<int64_t> to_ms;    // visited_at_ms < to
};
std::vector<Visit> ListVisits(db::Tx& tx, const VisitFilter& f, int limit);
bool SetResolved(db::Tx& tx, int64_t id, bool resolved);
// The referral rule: a visit refers once. The UPDATE takes only an
// unreferred visit (and application_id is UNIQUE). False: already referred.
bool SetReferral(db::Tx& tx, int64_t id, int64_t application_id, int64_t now_ms);
// The visit that referred application `application_id`, if any.
std::optional<int64_t> VisitOfApplication(db::Tx& tx, int64_t application_id);

// ---- Statistics ----
// Per room, visits in [from, to); `village_id` set: that village's rooms.
std::vector<RoomMonth> MonthStats(db::Tx& tx, int64_t from_ms, int64_t to_ms, std::optional<int64_t> village_id);

}  // namespace carecity::reception::repo
