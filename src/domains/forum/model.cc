#include "domains/forum/model.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/text.h"

namespace carecity::forum {

int64_t CreditsFor(std::string_view reason) {
  for (const CreditRule& r : kCreditRules) {
    if (reason == r.reason) {
      return r.delta;
    }
  }
  return 0;
}

const Level& LevelFor(int64_t credits) {
  const Level* best = &kLevels[0];
  for (const Level& l : kLevels) {
    if (credits >= l.credits) {
      best = &l;
    }
  }
  return *best;
}

const Level* NextLevel(const Level& l) {
  for (const Level& next : kLevels) {
    if (next.level == l.level + 1) {
      return &next;
    }
  }
  return nullptr;
}

FloorRange FloorsOfPage(int64_t page, int64_t last_floor) {
  FloorRange r;
  r.pages = std::max<int64_t>(1, (last_floor + kPageSize - 1) / kPageSize);
  r.page = std::clamp<int64_t>(page, 1, r.pages);
  r.first = (r.page - 1) * kPageSize + 1;
  r.last = std::min(last_floor, r.page * kPageSize);
  return r;
}

namespace {

// True for a byte that ends an @name: ASCII space or punctuation, or the
// lead byte of full-width punctuation (U+3000–U+303F, U+FF00–U+FF20 …).
size_t NameEnd(std::string_view s, size_t i) {
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (!(std::isalnum(c) || c == '_' || c == '-')) {
        return i;
      }
      ++i;
      continue;
    }
    // Three-byte sequences E3 80 xx (CJK punctuation, ideographic space)
    // and EF BC xx / EF BD xx below the letters (full-width punctuation).
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
      return i;
    }
    if (c == 0xEF && i + 2 < s.size()) {
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      const auto c2 = static_cast<unsigned char>(s[i + 2]);
      const bool fullwidth_punct = (c1 == 0xBC && (c2 < 0x90 || (c2 >= 0x9A && c2 <= 0xA0))) ||
                                   (c1 == 0xBD && c2 >= 0x9B);
      if (fullwidth_punct) {
        return i;
      }
    }
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
      return i;  // general punctuation: — ‘ ’ “ ” … and zero-width spaces
    }
    ++i;
  }
  return i;
}

}  // namespace

std::vector<std::string> Mentions(std::string_view body_md) {
  std::vector<std::string> out;
  for (size_t i = 0; i < body_md.size() && out.size() < kMaxMentions; ++i) {
    if (body_md[i] != '@') {
      continue;
    }
    // Not an e-mail address: '@' after a letter or digit is one.
    if (i > 0 && std::isalnum(static_cast<unsigned char>(body_md[i - 1]))) {
      continue;
    }
    const size_t end = NameEnd(body_md, i + 1);
    std::string name(body_md.substr(i + 1, end - i - 1));
    if (!name.empty() && CodePointCount(name) <= 20 && IsValidUtf8(name) &&
        std::find(out.begin(), out.end(), name) == out.end()) {
      out.push_back(std::move(name));
    }
    i = end > i ? end - 1 : i;
  }
  return out;
}

int64_t LocalDay(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  return (tm.tm_year + 1900) * 10000LL + (tm.tm_mon + 1) * 100LL + tm.tm_mday;
}

}  // namespace carecity::forum
