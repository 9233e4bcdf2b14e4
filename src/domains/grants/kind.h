// The two kinds of reviewer in the 社会评审人员库: experts added by fund
// admins and citizen representatives approved from residents' applications.
// Seats, panels and sub-scores are kept per kind. Shared by the pure parts
// (assign.h, scoring.h) and the service.
#pragma once

#include <optional>
#include <string_view>

namespace carecity::grants {

enum class ReviewerKind { kExpert = 0, kCitizen = 1 };
inline constexpr int kReviewerKinds = 2;

constexpr std::string_view KindText(ReviewerKind k) {
  return k == ReviewerKind::kExpert ? "expert" : "citizen";
}

inline std::optional<ReviewerKind> ParseKind(std::string_view s) {
  if (s == "expert") {
    return ReviewerKind::kExpert;
  }
  if (s == "citizen") {
    return ReviewerKind::kCitizen;
  }
  return std::nullopt;
}

}  // namespace carecity::grants
