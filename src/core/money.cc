#include "core/money.h"

#include <fmt/format.h>

#include <cstdint>
#include <vector>

namespace carecity {

std::string FormatYuan(Fen amount) {
  // Work in unsigned so INT64_MIN does not overflow on negation.
  const bool negative = amount < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  return fmt::format("{}{}.{:02}", negative ? "-" : "", magnitude / kFenPerYuan, magnitude % kFenPerYuan);
}

namespace {

constexpr const char* kDigits[] = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
constexpr const char* kSmallUnits[] = {"", "拾", "佰", "仟"};
constexpr const char* kGroupUnits[] = {"", "万", "亿", "万亿"};

// 1..9999 within one four-digit group: inner zeros collapse to one 零,
// trailing zeros are dropped.
std::string Group(int64_t g) {
  std::string out;
  bool zero = false;
  bool started = false;
  for (int pos = 3; pos >= 0; --pos) {
    int64_t p = 1;
    for (int i = 0; i < pos; ++i) {
      p *= 10;
    }
    const int64_t d = (g / p) % 10;
    if (d == 0) {
      zero = started;
      continue;
    }
    if (zero) {
      out += kDigits[0];
      zero = false;
    }
    out += kDigits[d];
    out += kSmallUnits[pos];
    started = true;
  }
  return out;
}

}  // namespace

std::string AmountInWords(Fen amount) {
  if (amount < 0) {
    if (amount == INT64_MIN) {
      return "负" + AmountInWords(-(amount + 1));  // off by one fen at the very limit; never a real amount
    }
    return "负" + AmountInWords(-amount);
  }
  const int64_t yuan = amount / kFenPerYuan;
  const int64_t jiao = (amount / 10) % 10;
  const int64_t fen = amount % 10;
  std::string out;
  if (yuan > 0) {
    std::vector<int64_t> groups;  // low to high
    for (int64_t y = yuan; y > 0; y /= 10000) {
      groups.push_back(y % 10000);
    }
    if (groups.size() > 4) {
      return FormatYuan(amount) + "元";  // beyond 万亿: not a charity's amount
    }
    bool any = false;
    bool pending_zero = false;
    for (size_t i = groups.size(); i-- > 0;) {
      const int64_t g = groups[i];
      if (g == 0) {
        pending_zero = any;
        continue;
      }
      if (any && (pending_zero || g < 1000)) {
        out += kDigits[0];
      }
      out += Group(g);
      out += kGroupUnits[i];
      any = true;
      pending_zero = false;
    }
    out += "元";
  }
  if (jiao == 0 && fen == 0) {
    return yuan == 0 ? "零元整" : out + "整";
  }
  if (jiao > 0) {
    out += kDigits[jiao];
    out += "角";
  } else if (yuan > 0) {
    out += kDigits[0];
  }
  if (fen > 0) {
    out += kDigits[fen];
    out += "分";
  }
  return out;
}

}  // namespace carecity
