#include "domains/news/model.h"

#include <array>
#include <charconv>

#include "media/markdown.h"

namespace carecity::news {
namespace {

constexpr std::array<std::string_view, 5> kCategories = {"notice", "event_review", "story", "policy", "fund"};
constexpr std::array<std::string_view, 8> kKinds = {"event",   "service", "fund_purpose", "fund_report",
                                                    "product", "lot",     "grant_call",   "village"};

template <size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view s) {
  for (std::string_view x : set) {
    if (x == s) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool IsCategory(std::string_view s) { return In(kCategories, s); }
bool IsRelatedKind(std::string_view s) { return In(kKinds, s); }
bool HasIntegerId(std::string_view kind) { return kind != "product" && kind != "lot" && kind != "grant_call"; }

bool IsPublicAt(const Article& a, int64_t now_ms) {
  return (a.status == "published" || a.status == "scheduled") && a.publish_at_ms && *a.publish_at_ms <= now_ms;
}

std::string ShownStatus(const Article& a, int64_t now_ms) {
  return a.status == "scheduled" && IsPublicAt(a, now_ms) ? "published" : a.status;
}

std::string SummaryOf(const Article& a) {
  if (!a.summary.empty()) {
    return a.summary;
  }
  return media::PlainExcerpt(a.body_md, kSummaryFromBodyChars);
}

std::optional<std::pair<int64_t, int64_t>> ParseCursor(std::string_view s) {
  const size_t dot = s.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  int64_t at = 0;
  int64_t id = 0;
  const char* b = s.data();
  auto r1 = std::from_chars(b, b + dot, at);
  auto r2 = std::from_chars(b + dot + 1, b + s.size(), id);
  if (r1.ec != std::errc() || r1.ptr != b + dot || r2.ec != std::errc() || r2.ptr != b + s.size() || id <= 0 ||
      at < 0) {
    return std::nullopt;
  }
  return std::pair{at, id};
}

}  // namespace carecity::news
