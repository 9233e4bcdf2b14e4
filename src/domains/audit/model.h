// The audit log: an append-only, hash-chained record of privileged actions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domains/audit/chain.h"

namespace carecity::audit {

struct Entry {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::optional<int64_t> actor_user_id;  // null for the system / command line
  std::string action;                    // dotted: "accounts.role.granted"
  std::string target_type;               // "user", "org", ...
  std::string target_id;
  std::string detail_json;               // compact JSON object
  std::string ip;
  std::string prev_hash;
  std::string hash;
};

// What a caller supplies; the service fills id, time and hashes.
struct Action {
  std::optional<int64_t> actor_user_id;
  std::string action;
  std::string target_type;
  std::string target_id;
  std::string detail_json = "{}";
  std::string ip;
};

// What `Verify` found: ok, entries checked, the first broken entry and why.
using VerifyReport = ChainReport;

// SHA-256 over the row's content and the previous row's hash.
std::string ChainHash(const Entry& e);

}  // namespace carecity::audit
