// 社区论坛: plain data and the published rules (credits, levels).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::forum {

constexpr int kPageSize = 20;          // threads a board page, floors a thread page
constexpr size_t kMaxTitleChars = 60;
constexpr size_t kMaxBodyChars = 10000;
constexpr size_t kMaxReasonChars = 200;
constexpr size_t kMaxMentions = 5;
constexpr size_t kMaxModerators = 20;

// 本版积分规则: credits per reason; a member earns at most the daily cap
// (config) of positive credits in any 24 hours, digest excepted.
struct CreditRule {
  const char* reason;
  int64_t delta;
};
inline constexpr CreditRule kCreditRules[] = {
    {"thread", 2},       {"reply", 1},  {"reply_received", 1}, {"like_received", 1},
    {"digest", 10},      {"answer_accepted", 5}, {"report_upheld", -10}};
int64_t CreditsFor(std::string_view reason);

struct Level {
  int level = 1;
  const char* name = "";
  int64_t credits = 0;  // from
};
inline constexpr Level kLevels[] = {{1, "新手上路", 0},   {2, "初来乍到", 20},   {3, "热心居民", 100},
                                    {4, "社区达人", 300}, {5, "邻里之星", 800},  {6, "关爱楷模", 2000}};
const Level& LevelFor(int64_t credits);
// The next level up, or nullptr at the top.
const Level* NextLevel(const Level& l);

// Who wrote something, as the public sees them.
struct Author {
  int64_t user_id = 0;  // never answered to the public
  std::string nickname;
  int64_t credits = 0;
  std::optional<int64_t> org_id;  // written in the organisation's capacity
  std::string org_name;
};

struct Board {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::optional<int64_t> org_id;
  std::string org_name;
  int64_t position = 0;
  std::string status;
  int64_t threads = 0;
  std::vector<std::pair<int64_t, std::string>> moderators;  // user id, nickname
  int64_t created_at_ms = 0;
};

struct Thread {
  int64_t id = 0;
  int64_t board_id = 0;
  std::string board_name;
  Author author;
  std::string title;
  std::string kind;    // discussion | question
  std::string status;  // visible | held | hidden | deleted
  std::optional<std::string> status_reason;
  bool sticky = false;
  bool digest = false;
  bool locked = false;
  int64_t last_floor = 1;
  int64_t replies = 0;
  int64_t views = 0;
  std::optional<int64_t> solved_post_id;
  int64_t last_post_at_ms = 0;
  int64_t created_at_ms = 0;
};

struct Quote {
  int64_t post_id = 0;
  int64_t floor = 0;
  std::string nickname;
  std::string excerpt;
  bool visible = true;
};

struct Post {
  int64_t id = 0;
  int64_t thread_id = 0;
  int64_t floor = 0;
  Author author;
  std::string body_md;
  std::string body_html;
  std::optional<Quote> quote;
  std::string status;
  std::optional<std::string> status_reason;
  int64_t likes = 0;
  bool liked = false;  // by the viewer
  int64_t created_at_ms = 0;
  std::optional<int64_t> edited_at_ms;
};

struct Sanction {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string kind;  // warn | mute | ban
  std::string reason;
  std::optional<int64_t> post_id;
  std::optional<int64_t> ends_at_ms;
  int64_t created_by = 0;
  int64_t created_at_ms = 0;
  std::optional<int64_t> lifted_at_ms;
};

struct Report {
  int64_t id = 0;
  int64_t post_id = 0;
  std::string reason;
  std::string status;  // open | upheld | dismissed
  std::string reporter_nickname;
  std::optional<std::string> outcome;
  int64_t created_at_ms = 0;
  std::optional<int64_t> handled_at_ms;
};

struct CreditEntry {
  int64_t id = 0;
  int64_t delta = 0;
  std::string reason;
  std::string ref;  // "thread:12"
  int64_t created_at_ms = 0;
};

// What trust level 1 is measured by (docs/design-forum.md "Trust").
struct Standing {
  int64_t user_id = 0;
  std::string nickname;
  int64_t account_created_at_ms = 0;
  std::optional<int64_t> phone_verified_at_ms;
  std::optional<int64_t> trusted_at_ms;
  int64_t credits = 0;
  int64_t likes_received = 0;
  int64_t days_visited = 0;
  int64_t posts_read = 0;
  int64_t posts = 0;
};

// `[a, b]`: the floors on `page` (1-based) of a thread whose last floor is
// `last_floor`, and the number of pages.
struct FloorRange {
  int64_t first = 1;
  int64_t last = 1;
  int64_t page = 1;
  int64_t pages = 1;
};
FloorRange FloorsOfPage(int64_t page, int64_t last_floor);

// The `@昵称` names in a post's Markdown, in order, without repeats, at most
// kMaxMentions. A name runs from '@' to whitespace or punctuation.
std::vector<std::string> Mentions(std::string_view body_md);


// yyyymmdd of `ms` in the process's time zone (serve sets it to the
// subdistrict's; docs/design-forum.md).
int64_t LocalDay(int64_t ms);

}  // namespace carecity::forum
