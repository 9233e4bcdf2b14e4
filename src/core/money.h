// Money is int64 fen (1 yuan = 100 fen), never floating point.
#pragma once

#include <cstdint>
#include <string>

namespace carecity {

using Fen = int64_t;
constexpr Fen kFenPerYuan = 100;

// "1234.50" style, with a leading '-' for negative amounts.
std::string FormatYuan(Fen amount);

// The amount in Chinese capital numerals as written on receipts (大写):
// 2000 -> "贰拾元整", 100501 -> "壹仟零伍元零壹分", 5 -> "伍分".
std::string AmountInWords(Fen amount);

}  // namespace carecity
