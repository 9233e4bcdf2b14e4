// 社工服务进村(居), the supply–demand market (docs/design-market.md): the
// service catalogue (服务项目库), village needs (需求) and the residents'
// needs surveys. Plain data and the invariants on it; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"

namespace carecity::market {

// The most a listed price or a need's budget may be (¥100,000,000).
inline constexpr Fen kMaxFen = 10'000'000'000;

struct TeamMember {
  std::string name;
  std::string role;   // 项目主管, 社工, ...
  std::string level;  // 助理社工师 | 社工师 | 高级社工师 | ... (free text)
  bool party_member = false;
};

// What an organisation writes; the same for create and edit.
struct ProjectDraft {
  std::string title;
  std::string project_type;
  std::string target_group;
  std::string price_kind;  // fixed | range
  Fen price_min_fen = 0;
  Fen price_max_fen = 0;
  int64_t duration_days = 0;
  int64_t sessions = 0;
  int64_t service_hours = 0;
  int64_t beneficiaries = 0;
  std::string description;  // Markdown, stored raw
  std::vector<std::string> indicators;
  std::vector<TeamMember> team;
};

struct Project {
  int64_t id = 0;
  std::string public_id;
  int64_t org_id = 0;
  std::string org_name;
  std::optional<std::string> org_rating;  // 3A | 4A | 5A
  ProjectDraft draft;
  std::string status;  // pending_approval | approved | rejected | withdrawn
  std::string review_note;
  std::optional<int64_t> reviewed_at_ms;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t revision = 1;  // +1 on every edit
};

struct NeedDraft {
  int64_t village_id = 0;
  std::string title;
  std::string project_type;
  std::string target_group;
  int64_t beneficiaries = 0;
  std::string story;
  Fen budget_min_fen = 0;
  Fen budget_max_fen = 0;
  int64_t period_from_ms = 0;
  int64_t period_to_ms = 0;
  std::string source;  // survey | visits | reception | other
  std::optional<std::string> survey_round_public_id;
};

struct Need {
  int64_t id = 0;
  std::string public_id;
  int64_t village_id = 0;
  std::string village_name;
  bool village_rural = false;
  NeedDraft draft;
  std::optional<int64_t> survey_round_id;
  std::string status;  // open | met | closed
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct SurveyRound {
  int64_t id = 0;
  std::string public_id;
  int64_t village_id = 0;
  std::string village_name;
  std::string title;
  std::vector<std::string> options;
  int64_t opens_at_ms = 0;
  int64_t closes_at_ms = 0;
  int64_t created_at_ms = 0;
};

struct SurveyAnswer {
  std::vector<std::string> picks;  // a subset of the round's options
  std::string other;               // a need written in
  std::string age_band;            // see IsAgeBand
};

struct Count {
  std::string key;
  int64_t count = 0;
};

// What the village staff see of a round: counts only, never an answer.
struct SurveyResults {
  SurveyRound round;
  int64_t answers = 0;
  std::vector<Count> by_option;    // every option, in the round's order
  int64_t written_in = 0;          // answers with a need written in
  std::vector<Count> by_age_band;  // every band, in kAgeBands order
  bool hidden = false;             // fewer than kMinAnswersForResults: only `answers` is told
};

// Below this many answers a round's counts are withheld (only the number of
// answers is shown): with two or three answers, counts by option and age band
// would tell the staff what a neighbour they can guess wrote.
inline constexpr int64_t kMinAnswersForResults = 5;

inline constexpr std::string_view kAgeBands[] = {"under18", "18to59", "60to79", "80plus", "unknown"};
bool IsAgeBand(std::string_view s);
bool IsNeedSource(std::string_view s);
bool IsPriceKind(std::string_view s);


}  // namespace carecity::market
