#include "domains/shop/model.h"

#include <algorithm>

namespace carecity::shop {

bool IsCategory(std::string_view code) {
  return code == "handmade" || code == "souvenir" || code == "books" || code == "other";
}

bool IsDonationKind(std::string_view kind) { return kind == "fixed" || kind == "percent" || kind == "all"; }

Fen DonationPart(const Donation& d, Fen price_fen) {
  if (d.kind == "fixed") {
    return std::min(d.value, price_fen);
  }
  if (d.kind == "percent") {
    return price_fen * d.value / 100;
  }
  return price_fen;
}

bool Order::HasOrg(int64_t org_id) const {
  return std::any_of(lines.begin(), lines.end(), [org_id](const OrderLine& l) { return l.org_id == org_id; });
}

Fen Order::refunded_fen() const {
  Fen sum = 0;
  for (const OrderLine& l : lines) {
    sum += l.refunded_quantity * l.unit_price_fen;
  }
  return sum;
}

}  // namespace carecity::shop
