#include "domains/market/model.h"

#include <algorithm>
#include <iterator>

namespace carecity::market {

bool IsAgeBand(std::string_view s) { return std::find(std::begin(kAgeBands), std::end(kAgeBands), s) != std::end(kAgeBands); }

bool IsNeedSource(std::string_view s) { return s == "survey" || s == "visits" || s == "reception" || s == "other"; }

bool IsPriceKind(std::string_view s) { return s == "fixed" || s == "range"; }

}  // namespace carecity::market
