// 党员接待室 (party members' reception rooms): rooms per village with a duty
// roster, the visits the member on duty records, their referral to a
// casework service application, and monthly counts. Plain data and the
// rules that need no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::reception {

// The problem categories a visit is filed under (codes; the web names them).
inline constexpr std::string_view kCategories[] = {"elderly",     "medical", "housing", "employment",
                                                   "dispute",     "environment", "policy", "other"};
bool IsCategory(std::string_view c);

struct DutySlot {
  int64_t user_id = 0;
  std::string name;
  std::string phone;  // the routes mask it
  int weekday = 0;    // 0 = Sunday … 6 = Saturday (China time)
};

struct Room {
  int64_t id = 0;
  int64_t village_id = 0;
  std::string village_name;
  std::string name;
  std::string address;
  std::string opening_hours;
  int64_t created_at_ms = 0;
  std::vector<DutySlot> duty;
};

// A visit as stored; the resident's name and phone sealed (only with consent).
struct Visit {
  int64_t id = 0;
  std::string public_id;
  int64_t room_id = 0;
  std::string room_name;
  int64_t village_id = 0;
  std::string village_name;
  int64_t recorded_by = 0;
  std::string recorder_name;
  int64_t visited_at_ms = 0;
  std::string category;
  std::string summary;
  std::string action_taken;
  std::optional<int64_t> follow_up_ms;
  bool consent_name_phone = false;
  std::optional<std::string> name_sealed;
  std::optional<std::string> phone_sealed;
  bool resolved = false;
  std::optional<int64_t> application_id;
  std::optional<int64_t> referred_at_ms;
  // The referred application as it is now (read with the visit).
  std::optional<std::string> application_status;
  std::optional<std::string> application_outcome;
  std::optional<std::string> referred_org_name;
  int64_t created_at_ms = 0;
};

// Counts for one room in one month; no personal data.
struct RoomMonth {
  int64_t room_id = 0;
  std::string room_name;
  int64_t village_id = 0;
  std::string village_name;
  int64_t visits = 0;
  int64_t referred = 0;
  int64_t resolved = 0;
  std::vector<std::pair<std::string, int64_t>> by_category;  // in kCategories order, zeros left out
};

// The rooms' counts summed per village, villages in the order their rooms
// come (rooms of one village adjacent); room_id 0 and no room name.
std::vector<RoomMonth> SumByVillage(const std::vector<RoomMonth>& rooms);

// "2026-11" -> [first instant, first instant of the next month) in China
// time (UTC+8); nullopt unless it is a real month between 2000 and 2100.
std::optional<std::pair<int64_t, int64_t>> MonthRange(std::string_view month);
// The China-time month of `ms`, as "2026-11".
std::string MonthOf(int64_t ms);
// 0 = Sunday … 6 = Saturday, China time.
int WeekdayOf(int64_t ms);

}  // namespace carecity::reception
