// 人才库 (the talent pool) and the social-worker qualification: party
// members who hold a training certificate opt in (consent recorded,
// withdrawable) with skills, villages and availability; organisations search
// the pool and invite members onto a catalogue project's team. Plain data
// and the rules that need no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::talent {

// 社会工作者职业水平证书: 助理社会工作师, 社会工作师, 高级社会工作师.
inline constexpr std::string_view kLevels[] = {"assistant", "social_worker", "senior"};
// 1, 2, 3 in that order; 0 for anything else.
int LevelRank(std::string_view level);
// Holders of 社会工作师 or above may be taken into professional projects.
inline bool Professional(std::string_view level) { return LevelRank(level) >= 2; }

struct Ref {
  int64_t id = 0;
  std::string name;
};

struct Qualification {
  int64_t id = 0;
  std::string public_id;
  int64_t user_id = 0;
  std::string holder_name;
  std::string holder_phone;  // the routes mask it
  std::string level;
  std::string number;
  std::string status;  // pending | verified | rejected
  std::string reason;  // why it was rejected
  std::string scan_sha256;        // the certificate's scan (stored_files), or empty
  std::string scan_content_type;
  int64_t scan_size_bytes = 0;
  std::optional<int64_t> decided_at_ms;
  int64_t created_at_ms = 0;
};

struct CertificateBrief {
  std::string cert_no;
  std::string level;
  std::string programme_title;
  int64_t expires_at_ms = 0;
  std::string state;  // valid | expired | revoked
};

struct Entry {
  int64_t user_id = 0;
  std::string name;
  std::string phone;  // the routes mask it
  std::string availability;
  std::string intro;
  int64_t consent_at_ms = 0;
  std::optional<int64_t> withdrawn_at_ms;
  int64_t updated_at_ms = 0;
  std::vector<std::string> skills;
  std::vector<Ref> villages;
  std::optional<std::string> qualification;  // the highest verified level
  std::vector<CertificateBrief> certificates;
  bool professional = false;  // a verified 社会工作师 or above
  int64_t placed = 0;         // accepted invitations
};

struct Invitation {
  int64_t id = 0;
  std::string public_id;
  int64_t user_id = 0;
  std::string member_name;
  int64_t org_id = 0;
  std::string org_name;
  std::string project_id;  // the catalogue project's public id
  std::string project_title;
  std::string role;
  std::string message;
  std::string status;  // invited | accepted | declined | withdrawn
  int64_t created_at_ms = 0;
  std::optional<int64_t> decided_at_ms;
};

}  // namespace carecity::talent
