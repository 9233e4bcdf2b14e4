#include "domains/accounts/model.h"

#include <array>
#include <utility>

#include "core/text.h"

namespace carecity::accounts {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 8> kRoles = {{
    {Role::kResident, "resident"},
    {Role::kOrgStaff, "org_staff"},
    {Role::kVillageStaff, "village_staff"},
    {Role::kFundAdmin, "fund_admin"},
    {Role::kReviewer, "reviewer"},
    {Role::kTrainer, "trainer"},
    {Role::kEditor, "editor"},
    {Role::kPlatformAdmin, "platform_admin"},
}};

}  // namespace

std::string_view RoleName(Role r) {
  for (const auto& [role, name] : kRoles) {
    if (role == r) {
      return name;
    }
  }
  return "resident";
}

std::optional<Role> ParseRole(std::string_view s) {
  for (const auto& [role, name] : kRoles) {
    if (name == s) {
      return role;
    }
  }
  return std::nullopt;
}

std::string ScopeKey(const RoleGrant& g) {
  if (g.org_id) {
    return "org:" + std::to_string(*g.org_id);
  }
  if (g.village_id) {
    return "village:" + std::to_string(*g.village_id);
  }
  return {};
}

bool Principal::Has(Role r) const {
  for (const auto& g : roles) {
    if (g.role == r) {
      return true;
    }
  }
  return false;
}

bool Principal::HasOrgRole(Role r, int64_t org_id) const {
  for (const auto& g : roles) {
    if (g.role == r && g.org_id == org_id) {
      return true;
    }
  }
  return false;
}

bool Principal::HasVillageRole(Role r, int64_t village_id) const {
  for (const auto& g : roles) {
    if (g.role == r && g.village_id == village_id) {
      return true;
    }
  }
  return false;
}

std::optional<Login> ParseLogin(std::string_view raw) {
  std::string s = Trim(raw);
  if (s.find('@') != std::string::npos) {
    s = AsciiLower(s);
    if (IsEmail(s)) {
      return Login{Login::Kind::kEmail, s};
    }
    return std::nullopt;
  }
  std::string digits;
  for (char c : s) {
    if (c == ' ' || c == '-') {
      continue;
    }
    digits.push_back(c);
  }
  if (digits.rfind("+86", 0) == 0) {
    digits = digits.substr(3);
  }
  if (IsMainlandMobile(digits)) {
    return Login{Login::Kind::kPhone, digits};
  }
  return std::nullopt;
}

}  // namespace carecity::accounts
