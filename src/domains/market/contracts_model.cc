#include "domains/market/contracts_model.h"

#include <algorithm>

namespace carecity::market {

bool IsMeetingKind(std::string_view s) {
  return std::find(std::begin(kMeetingKinds), std::end(kMeetingKinds), s) != std::end(kMeetingKinds);
}

Status CheckSchedule(Fen amount_fen, const std::vector<MilestonePlan>& plans) {
  if (plans.empty() || plans.size() > 12) {
    return Error::Invalid("out_of_range", "milestones");
  }
  Fen sum = 0;
  for (size_t i = 0; i < plans.size(); ++i) {
    sum += plans[i].amount_fen;
    if (i > 0 && plans[i].due_ms < plans[i - 1].due_ms) {
      return Error::Unprocessable("market.milestones_order", "milestones[" + std::to_string(i) + "].due_ms");
    }
  }
  if (sum != amount_fen) {
    return Error::Unprocessable("market.milestones_sum", "milestones");
  }
  return {};
}

Activation ActivationOf(const Contract& c, int64_t now_ms) {
  if (c.status != "in_notice" || !c.notice_ends_at_ms || *c.notice_ends_at_ms > now_ms) {
    return {};
  }
  int64_t at = *c.notice_ends_at_ms;
  for (const Objection& o : c.objections) {
    if (!o.answered_at_ms) {
      return {};
    }
    at = std::max(at, *o.answered_at_ms);
  }
  return {true, at};
}

}  // namespace carecity::market
