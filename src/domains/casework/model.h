// Service applications (服务申请): the services organisations offer and
// residents' applications, with their timeline and messages. Plain data and
// the rules that need no database.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace carecity::casework {

struct Ref {
  int64_t id = 0;
  std::string name;
};

struct Service {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string org_name;
  std::string name;
  std::string description;
  std::string eligibility;
  std::vector<Ref> villages;  // empty: every village
  int64_t response_days = 0;
  bool active = true;
  int64_t created_at_ms = 0;

  bool Covers(int64_t village_id) const;
};

// Health condition and ID number: sealed at rest, never logged.
struct Sensitive {
  std::string health_condition;
  std::string id_number;
  bool empty() const { return health_condition.empty() && id_number.empty(); }
};
std::string SensitiveJson(const Sensitive& s);
std::optional<Sensitive> ParseSensitive(std::string_view json);
// What people who may see the application but not the data are shown.
Sensitive MaskSensitive(const Sensitive& s);

struct TimelineItem {
  int64_t at_ms = 0;
  std::string kind;  // submitted accepted referred declined message closed rated reopened sensitive_purged
  std::optional<int64_t> actor_id;
  std::string actor_name;
  std::string note;
};

struct Message {
  int64_t id = 0;
  int64_t author_id = 0;
  std::string author_name;
  bool from_staff = false;
  std::string body;
  int64_t created_at_ms = 0;
};

struct Application {
  int64_t id = 0;
  int64_t service_id = 0;
  std::string service_name;
  int64_t org_id = 0;
  std::string org_name;
  int64_t applicant_id = 0;
  std::string applicant_name;
  std::string for_whom;  // self | family
  std::string beneficiary_name;
  std::string relationship;
  std::string description;
  std::string preferred_times;
  std::string contact_phone;
  std::optional<Ref> village;
  std::string status;  // submitted | accepted | declined | closed
  std::optional<int64_t> worker_id;
  std::string worker_name;
  int64_t submitted_at_ms = 0;
  int64_t received_at_ms = 0;
  int64_t due_at_ms = 0;
  std::optional<int64_t> first_response_at_ms;
  std::optional<int64_t> closed_at_ms;
  std::optional<std::string> outcome;
  std::optional<int64_t> rating;
  std::optional<std::string> rating_comment;
  std::optional<std::string> sensitive_box;  // sealed; the service opens it for those allowed
  std::optional<int64_t> sensitive_purged_at_ms;
  int64_t updated_at_ms = 0;
  std::vector<TimelineItem> timeline;

  // Not answered (accepted, referred, declined or a staff message; after a
  // reopening, a staff message) by its due time.
  bool Overdue(int64_t now_ms) const {
    return (status == "submitted" || status == "accepted") && !first_response_at_ms && now_ms > due_at_ms;
  }
  bool Finished() const { return status == "closed" || status == "declined"; }
};

// 18-character 居民身份证号码 with a valid ISO 7064 MOD 11-2 check digit.
bool IsValidIdNumber(std::string_view id);

}  // namespace carecity::casework
