#include "domains/reception/model.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace carecity::reception {
namespace {

constexpr int64_t kOffsetMs = 8LL * 3600 * 1000;

std::chrono::sys_days ChinaDay(int64_t ms) {
  using namespace std::chrono;
  return floor<days>(sys_time<milliseconds>(milliseconds(ms + kOffsetMs)));
}

int64_t StartMs(std::chrono::year_month_day ymd) {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days(ymd)).time_since_epoch().count() - kOffsetMs;
}

}  // namespace

bool IsCategory(std::string_view c) {
  return std::find(std::begin(kCategories), std::end(kCategories), c) != std::end(kCategories);
}

std::vector<RoomMonth> SumByVillage(const std::vector<RoomMonth>& rooms) {
  std::vector<RoomMonth> out;
  for (const RoomMonth& m : rooms) {
    if (out.empty() || out.back().village_id != m.village_id) {
      out.push_back(RoomMonth{0, "", m.village_id, m.village_name, 0, 0, 0, {}});
    }
    RoomMonth& v = out.back();
    v.visits += m.visits;
    v.referred += m.referred;
    v.resolved += m.resolved;
    for (const auto& [c, n] : m.by_category) {
      auto it = std::find_if(v.by_category.begin(), v.by_category.end(), [&](const auto& x) { return x.first == c; });
      if (it == v.by_category.end()) {
        v.by_category.emplace_back(c, n);
      } else {
        it->second += n;
      }
    }
  }
  // Categories in kCategories order, as each room lists them.
  for (RoomMonth& v : out) {
    std::sort(v.by_category.begin(), v.by_category.end(), [](const auto& a, const auto& b) {
      return std::find(std::begin(kCategories), std::end(kCategories), a.first) <
             std::find(std::begin(kCategories), std::end(kCategories), b.first);
    });
  }
  return out;
}

std::optional<std::pair<int64_t, int64_t>> MonthRange(std::string_view month) {
  using namespace std::chrono;
  if (month.size() != 7 || month[4] != '-') {
    return std::nullopt;
  }
  int y = 0;
  unsigned m = 0;
  for (size_t i = 0; i < 7; ++i) {
    if (i == 4) {
      continue;
    }
    if (month[i] < '0' || month[i] > '9') {
      return std::nullopt;
    }
    if (i < 4) {
      y = y * 10 + (month[i] - '0');
    } else {
      m = m * 10 + static_cast<unsigned>(month[i] - '0');
    }
  }
  if (y < 2000 || y > 2100 || m < 1 || m > 12) {
    return std::nullopt;
  }
  const year_month first{year{y}, std::chrono::month{m}};
  const year_month next = first + months{1};
  return std::pair{StartMs(first / 1), StartMs(next / 1)};
}

std::string MonthOf(int64_t ms) {
  const std::chrono::year_month_day ymd{ChinaDay(ms)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  return buf;
}

int WeekdayOf(int64_t ms) { return static_cast<int>(std::chrono::weekday{ChinaDay(ms)}.c_encoding()); }

}  // namespace carecity::reception
