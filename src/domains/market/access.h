// Who the caller is to a market object: the predicates every market service
// checks its permissions with (docs/design-market.md "Shared rules").
#pragma once

#include <optional>

#include "domains/accounts/model.h"

namespace carecity::market {

inline bool IsAdmin(const std::optional<accounts::Principal>& p) {
  return p && (p->Has(accounts::Role::kFundAdmin) || p->Has(accounts::Role::kPlatformAdmin));
}

inline bool IsOrgStaff(const std::optional<accounts::Principal>& p, int64_t org_id) {
  return p && p->HasOrgRole(accounts::Role::kOrgStaff, org_id);
}

inline bool IsVillageStaff(const std::optional<accounts::Principal>& p, int64_t village_id) {
  return p && p->HasVillageRole(accounts::Role::kVillageStaff, village_id);
}

}  // namespace carecity::market
