// 关爱基金 project calls and review: the objects and the rules that need no
// database (docs/design-grants.md). A call (申报批次) takes applications
// from organisations until it closes; a pool of reviewers (experts and
// citizen representatives) sits on panels at a review meeting.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domains/grants/kind.h"

namespace carecity::grants {

using Fen = int64_t;

struct RubricLine {
  std::string criterion;
  int64_t weight = 1;
};

struct Call {
  int64_t id = 0;
  std::string public_id;
  std::string title;
  std::string description;
  std::optional<int64_t> purpose_id;
  Fen budget_fen = 0;
  Fen cap_fen = 0;
  Fen awarded_fen = 0;
  int64_t opens_at_ms = 0;
  int64_t closes_at_ms = 0;
  std::optional<int64_t> support_closes_at_ms;
  std::optional<int64_t> review_at_ms;
  std::optional<int64_t> notice_at_ms;
  int64_t objection_days = 7;
  int64_t min_cofunding_pct = 0;
  std::optional<std::string> min_org_rating;
  int64_t panel_experts = 0;
  int64_t panel_citizens = 0;
  std::optional<int64_t> expert_weight_pct;
  bool normalise = false;
  std::string status;  // published | cancelled
  int64_t created_by = 0;
  int64_t created_at_ms = 0;
  std::vector<std::string> project_types;
  std::vector<std::string> funding_modes;  // full | joint | cooperative
  std::vector<RubricLine> rubric;

  // upcoming | open | support | review | cancelled, from the clock.
  std::string Phase(int64_t now_ms) const;
  int64_t Panel(ReviewerKind k) const { return k == ReviewerKind::kExpert ? panel_experts : panel_citizens; }
};

struct BudgetLine {
  std::string item;
  Fen amount_fen = 0;
};

struct CoFunder {
  std::string name;
  std::optional<int64_t> org_id;
  Fen share_fen = 0;
};

// What an organisation writes (create and amend take the same fields).
struct ApplicationDraft {
  std::string title;
  std::string project_type;
  std::string summary;
  std::string beneficiaries;
  int64_t beneficiary_count = 0;
  std::string goals;
  std::string indicators;
  std::string activities;
  std::optional<int64_t> starts_at_ms;
  std::optional<int64_t> ends_at_ms;
  std::vector<int64_t> village_ids;
  std::vector<BudgetLine> budget_lines;
  Fen requested_fen = 0;
  std::string funding_mode;  // full | joint | cooperative
  std::vector<CoFunder> co_funders;
  std::string partner_name;
  std::string in_kind_note;
  Fen in_kind_fen = 0;
  std::optional<int64_t> sponsorship_id;
};

struct Application {
  int64_t id = 0;
  std::string public_id;
  int64_t call_id = 0;
  std::string call_public_id;
  int64_t org_id = 0;
  std::string org_name;
  ApplicationDraft d;
  Fen total_fen = 0;
  std::string status;  // draft | submitted | withdrawn | ineligible | eligible | under_review | decided
  std::string auto_checks;  // JSON array of problem keys found at submission
  std::string eligibility_note;
  std::optional<std::string> decision;  // approved | rejected
  Fen awarded_fen = 0;
  std::string decision_reason;
  int64_t support_count = 0;
  int64_t version = 1;
  std::optional<int64_t> submitted_at_ms;
  int64_t created_by = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct Reviewer {
  int64_t id = 0;
  std::string public_id;
  int64_t user_id = 0;
  std::string display_name;
  ReviewerKind kind = ReviewerKind::kExpert;
  std::string status;  // applied | approved | rejected | suspended
  std::optional<int64_t> village_id;
  std::string village_name;
  std::string title;
  std::string statement;
  std::string declarations;
  int64_t load_cap = 0;
  int64_t created_at_ms = 0;
  std::vector<std::string> project_types;
};

struct Conflict {
  int64_t id = 0;
  int64_t reviewer_id = 0;
  std::optional<int64_t> org_id;
  std::optional<int64_t> village_id;
  std::string note;
  int64_t created_at_ms = 0;
};

struct Meeting {
  int64_t id = 0;
  std::string public_id;
  int64_t call_id = 0;
  std::string call_public_id;
  std::string title;
  int64_t held_at_ms = 0;
  std::string venue;
  int64_t scores_due_ms = 0;
  std::string status;  // planned | assigned | closed
  std::optional<int64_t> last_cost;
  int64_t created_by = 0;
  int64_t created_at_ms = 0;
};

// How an answer names an object it holds by internal id.
struct Label {
  std::string public_id;
  std::string name;  // an application's title, a person's display name
};

// Seats of an application's panel nobody holds (no live seat).
struct OpenSeats {
  Label application;
  ReviewerKind kind = ReviewerKind::kExpert;
  int64_t missing = 0;
};

struct Assignment {
  int64_t id = 0;
  std::string public_id;
  int64_t meeting_id = 0;
  int64_t application_id = 0;
  std::string application_public_id;
  std::string application_title;
  std::string project_type;
  int64_t reviewer_id = 0;
  std::string reviewer_public_id;
  std::string reviewer_name;
  ReviewerKind kind = ReviewerKind::kExpert;
  int64_t seat_no = 0;
  std::string status;  // proposed | accepted | declined | removed
  int64_t cost = 0;
  std::string reason;  // JSON
  int64_t created_at_ms = 0;
};

// A reviewer's review of one application (scores by criterion, 0..10).
struct Review {
  int64_t application_id = 0;
  int64_t reviewer_id = 0;
  std::string reviewer_public_id;
  std::string reviewer_name;
  ReviewerKind kind = ReviewerKind::kExpert;
  int64_t meeting_id = 0;
  std::string status;  // none (nothing saved) | draft | submitted | abstained | recused
  std::string comment;
  std::optional<int64_t> submitted_at_ms;
  int64_t updated_at_ms = 0;
  std::map<std::string, int> scores;
};

// A call's results in public (公示) and the objections raised in its window.
struct Notice {
  int64_t id = 0;
  std::string public_id;
  int64_t call_id = 0;
  std::string note;
  int64_t published_at_ms = 0;
  int64_t objections_close_ms = 0;
};

struct Objection {
  int64_t id = 0;
  std::string public_id;
  int64_t notice_id = 0;
  int64_t application_id = 0;
  std::string application_public_id;
  std::string application_title;
  int64_t user_id = 0;
  std::string user_name;
  std::string body;
  int64_t created_at_ms = 0;
  std::string status;  // open | upheld | dismissed
  std::string answer;
  std::optional<int64_t> answered_at_ms;
};

// Limits on what one application may hold.
inline constexpr size_t kMaxBudgetLines = 50;
inline constexpr size_t kMaxCoFunders = 10;
inline constexpr size_t kMaxVillages = 30;
inline constexpr size_t kMaxProjectTypes = 12;
inline constexpr size_t kMaxRubric = 12;
// A sanity bound on any amount: ¥100,000,000.
inline constexpr Fen kMaxFen = 10'000'000'000;

bool IsFundingMode(const std::string& s);

// The automatic eligibility checks of a draft against its call, in the
// order they are reported: budget lines present and each positive; the
// requested amount within the total and the call's cap; the funding mode
// allowed; the project type one of the call's; for 合资, co-funders whose
// shares reach min_cofunding_pct of the total; for 合作, a partner named;
// the organisation's rating at least the call's minimum. The first problem
// as an Error naming the field (submission refuses it: 422).
Status CheckApplication(const Call& call, const ApplicationDraft& d, const std::optional<std::string>& org_rating);
Fen SumLines(const std::vector<BudgetLine>& lines);

}  // namespace carecity::grants
