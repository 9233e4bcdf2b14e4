// Accounts: people, their sessions and roles, and the organisations and
// villages that scope roles. Plain data and the invariants on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::accounts {

enum class Role { kResident, kOrgStaff, kVillageStaff, kFundAdmin, kReviewer, kTrainer, kEditor, kPlatformAdmin };

std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view s);
// org_staff is scoped to an organisation, village_staff to a village; the
// others are unscoped.
inline bool NeedsOrg(Role r) { return r == Role::kOrgStaff; }
inline bool NeedsVillage(Role r) { return r == Role::kVillageStaff; }

struct RoleGrant {
  Role role = Role::kResident;
  std::optional<int64_t> org_id;
  std::optional<std::string> org_name;
  std::optional<int64_t> village_id;
  std::optional<std::string> village_name;
};

// "" for unscoped roles, "org:ID" or "village:ID".
std::string ScopeKey(const RoleGrant& g);

struct User {
  int64_t id = 0;
  std::string display_name;
  std::optional<std::string> phone;  // unmasked; routes mask it
  std::optional<std::string> email;
  std::string status;                // active | deleted
  int64_t created_at_ms = 0;
  std::vector<RoleGrant> roles;
};

// The authenticated caller of a request.
struct Principal {
  int64_t user_id = 0;
  int64_t session_id = 0;
  std::string display_name;
  std::vector<RoleGrant> roles;
  // When the password was last proved in this session (login or reauth).
  int64_t authenticated_at_ms = 0;

  bool Has(Role r) const;
  bool HasOrgRole(Role r, int64_t org_id) const;
  bool HasVillageRole(Role r, int64_t village_id) const;
};

struct Session {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
  int64_t last_seen_at_ms = 0;
  std::string user_agent;
  std::string ip;
};

struct Org {
  int64_t id = 0;
  std::string name;
  std::string credit_code;
  std::optional<std::string> rating;  // 3A | 4A | 5A
  int64_t created_at_ms = 0;
};

struct Village {
  int64_t id = 0;
  std::string name;
  std::string kind;  // village | community
  bool rural = false;
  bool collective_economy = false;  // only rural ones have it
  int64_t created_at_ms = 0;
};

struct Consent {
  std::string policy_version;
  int64_t accepted_at_ms = 0;
  std::string ip;
};

// Who is calling, for rate limits, sessions and the audit log.
struct ClientInfo {
  std::string ip;
  std::string user_agent;
};

// A login identifier, normalised: a mainland mobile number or an e-mail
// address in lower case.
struct Login {
  enum class Kind { kPhone, kEmail } kind;
  std::string value;
};
// Classifies raw input ("139 1234 5678", "A@B.cn"); nullopt if neither.
std::optional<Login> ParseLogin(std::string_view raw);

constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 128;
constexpr int kRecoveryCodeDigits = 6;
constexpr int kMaxRecoveryAttempts = 5;

}  // namespace carecity::accounts
