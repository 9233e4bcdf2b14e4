#include "domains/grants/model.h"

#include <algorithm>

namespace carecity::grants {
namespace {

int RatingRank(const std::string& r) {
  if (r == "5A") {
    return 5;
  }
  if (r == "4A") {
    return 4;
  }
  if (r == "3A") {
    return 3;
  }
  return 0;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string Call::Phase(int64_t now_ms) const {
  if (status == "cancelled") {
    return "cancelled";
  }
  if (now_ms < opens_at_ms) {
    return "upcoming";
  }
  if (now_ms < closes_at_ms) {
    return "open";
  }
  if (support_closes_at_ms && now_ms < *support_closes_at_ms) {
    return "support";
  }
  return "review";
}

bool IsFundingMode(const std::string& s) { return s == "full" || s == "joint" || s == "cooperative"; }

Fen SumLines(const std::vector<BudgetLine>& lines) {
  Fen sum = 0;
  for (const BudgetLine& l : lines) {
    sum += l.amount_fen;
  }
  return sum;
}

Status CheckApplication(const Call& call, const ApplicationDraft& d, const std::optional<std::string>& org_rating) {
  if (d.budget_lines.empty()) {
    return Error::Unprocessable("grants.budget_required", "budget_lines");
  }
  const Fen total = SumLines(d.budget_lines);
  if (d.requested_fen > total) {
    return Error::Unprocessable("grants.requested_over_budget", "requested_fen");
  }
  if (d.requested_fen > call.cap_fen) {
    return Error::Unprocessable("grants.over_cap", "requested_fen");
  }
  if (!Contains(call.funding_modes, d.funding_mode)) {
    return Error::Unprocessable("grants.mode_not_allowed", "funding_mode");
  }
  if (!Contains(call.project_types, d.project_type)) {
    return Error::Unprocessable("grants.type_not_in_call", "project_type");
  }
  if (d.funding_mode == "joint") {
    Fen shares = 0;
    for (const CoFunder& c : d.co_funders) {
      shares += c.share_fen;
    }
    // shares / total >= pct / 100, in integers; a joint project needs a co-funder.
    if (d.co_funders.empty() || shares * 100 < call.min_cofunding_pct * total) {
      return Error::Unprocessable("grants.cofunding_too_low", "co_funders");
    }
    if (d.requested_fen + shares > total) {
      return Error::Unprocessable("grants.requested_over_budget", "requested_fen");
    }
  }
  if (d.funding_mode == "cooperative" && d.partner_name.empty()) {
    return Error::Unprocessable("grants.partner_required", "partner_name");
  }
  if (call.min_org_rating && RatingRank(org_rating.value_or("")) < RatingRank(*call.min_org_rating)) {
    return Error::Unprocessable("grants.org_rating_too_low", "org_id");
  }
  return Status();
}

}  // namespace carecity::grants
