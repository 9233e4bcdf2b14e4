// Money is int64 fen (1 yuan = 100 fen), never floating point.
#pragma once

#include <cstdint>
#include <string>

namespace carecity {

using Fen = int64_t;
constexpr Fen kFenPerYuan = 100;

// "1234.50" style, with a leading '-' for negative amounts.
std::string FormatYuan(Fen amount);

}  // namespace carecity
