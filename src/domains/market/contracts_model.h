// Purchase in the market (rural villages only): quote requests, quotes,
// contracts and what hangs off them. Plain data; the rules live in
// contracts_service.cc, the SQL in contracts_repo.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domains/market/model.h"

namespace carecity::market {

// One step of a schedule: in a quote, an amendment or a contract.
struct MilestonePlan {
  std::string title;
  int64_t due_ms = 0;
  Fen amount_fen = 0;
  std::string deliverables;
  bool operator==(const MilestonePlan&) const = default;
};

struct Quote {
  int64_t id = 0;
  std::string public_id;
  int64_t request_id = 0;
  std::string request_public_id;
  Fen amount_fen = 0;
  std::string note;
  std::vector<MilestonePlan> milestones;
  std::string status;  // open | accepted | superseded | declined
  int64_t created_at_ms = 0;
};

struct QuoteRequest {
  int64_t id = 0;
  std::string public_id;
  int64_t village_id = 0;
  std::string village_name;
  bool village_rural = false;
  int64_t project_id = 0;
  std::string project_public_id;
  std::string project_title;
  int64_t org_id = 0;
  std::string org_name;
  std::optional<std::string> need_public_id;
  std::optional<std::string> need_title;
  std::string message;
  std::string status;  // open | accepted | withdrawn
  int64_t created_at_ms = 0;
  std::vector<Quote> quotes;  // oldest first
};

// The collective decision (集体决策) as recorded.
struct Decision {
  std::string meeting_kind;
  int64_t held_on_ms = 0;
  int64_t votes_for = 0;
  int64_t votes_against = 0;
  int64_t votes_abstain = 0;
  std::string minutes_image_id;
  std::string minutes_text;
  bool passed = false;
  int64_t recorded_at_ms = 0;
};

struct Objection {
  int64_t id = 0;
  std::string public_id;
  std::string text;
  std::optional<std::string> answer;
  int64_t created_at_ms = 0;
  std::optional<int64_t> answered_at_ms;
};

struct MilestonePayment {
  Fen amount_fen = 0;
  std::string voucher_no;
  int64_t paid_at_ms = 0;
  std::optional<int64_t> book_seq;
};

struct Milestone {
  int64_t n = 0;
  MilestonePlan plan;
  std::string status;  // pending | reported | accepted | returned
  std::string report_text;
  int64_t report_beneficiaries = 0;
  std::vector<std::string> report_photo_ids;
  std::optional<std::string> report_event_id;
  std::optional<int64_t> reported_at_ms;
  std::string return_reason;
  std::optional<int64_t> accepted_at_ms;
  std::optional<MilestonePayment> payment;
};

struct Amendment {
  int64_t id = 0;
  std::string public_id;
  std::string proposed_by;  // village | org
  std::string reason;
  Fen amount_fen = 0;
  std::vector<MilestonePlan> milestones;
  std::string status;  // proposed | accepted | declined
  int64_t created_at_ms = 0;
  std::optional<int64_t> decided_at_ms;
};

struct Evaluation {
  int64_t stars = 0;
  std::string comment;
  int64_t created_at_ms = 0;
};

struct Contract {
  int64_t id = 0;
  std::string public_id;
  int64_t version = 1;
  int64_t village_id = 0;
  std::string village_name;
  int64_t org_id = 0;
  std::string org_name;
  int64_t project_id = 0;
  std::string project_public_id;
  std::string project_title;
  std::string quote_public_id;
  Fen amount_fen = 0;
  Fen paid_fen = 0;
  // As stored, except that a contract in notice whose notice has ended with
  // every objection answered reads as `active` (the next write stores it).
  std::string status;
  bool needs_decision = false;
  Fen threshold_fen = 0;
  std::optional<Decision> decision;
  std::optional<int64_t> notice_starts_at_ms;
  std::optional<int64_t> notice_ends_at_ms;
  std::optional<int64_t> notice_days;
  std::optional<int64_t> activated_at_ms;
  int64_t created_at_ms = 0;
  std::vector<Objection> objections;
  std::vector<Milestone> milestones;
  std::vector<Amendment> amendments;
  std::optional<Evaluation> evaluation;
  int64_t rating_count = 0;
  int64_t rating_sum = 0;
};

// A payment as the village's public page lists it.
struct PublicPayment {
  std::string contract_public_id;
  std::string project_title;
  std::string org_name;
  int64_t milestone = 0;
  std::string milestone_title;
  Fen amount_fen = 0;
  std::string voucher_no;
  int64_t paid_at_ms = 0;
  std::optional<int64_t> book_seq;
};

inline constexpr std::string_view kMeetingKinds[] = {"村民代表会议", "村民会议", "党总支会议", "村委会会议", "其他"};
bool IsMeetingKind(std::string_view s);

// Whether `plans` is a valid schedule for `amount`: 1–12 steps adding up to
// it, due dates not decreasing. The error names the rule.
Status CheckSchedule(Fen amount_fen, const std::vector<MilestonePlan>& plans);

// "active" once the notice has ended with every objection answered, else
// the stored status; and when it became active.
struct Activation {
  bool due = false;
  int64_t at_ms = 0;
};
Activation ActivationOf(const Contract& c, int64_t now_ms);

}  // namespace carecity::market
