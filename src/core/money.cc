#include "core/money.h"

#include <fmt/format.h>

namespace carecity {

std::string FormatYuan(Fen amount) {
  // Work in unsigned so INT64_MIN does not overflow on negation.
  const bool negative = amount < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  return fmt::format("{}{}.{:02}", negative ? "-" : "", magnitude / kFenPerYuan, magnitude % kFenPerYuan);
}

}  // namespace carecity
