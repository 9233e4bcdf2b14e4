// SQL for service applications. Runs in the caller's transaction; checks no
// rules and never sees plaintext sensitive data (only the sealed box).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/casework/model.h"

namespace carecity::casework::repo {

// The new service's id; nullopt if the organisation has one by that name
// (decided by the unique index, so two staff at once cannot both add it).
std::optional<int64_t> InsertService(db::Tx& tx, const Service& s, std::optional<int64_t> created_by);
void InsertServiceVillage(db::Tx& tx, int64_t service_id, int64_t village_id);
std::optional<Service> FindService(db::Tx& tx, int64_t id);
std::vector<Service> ListServices(db::Tx& tx, std::optional<int64_t> org_id);

int64_t InsertApplication(db::Tx& tx, const Application& a, std::optional<int64_t> consent_at_ms);
// Without the timeline; see Timeline().
std::optional<Application> FindApplication(db::Tx& tx, int64_t id);
// Takes the application's row lock for the rest of the write job (every
// change to an application goes through it, so its rules are decided on the
// row as it is, not as it was) and returns it as it is now.
std::optional<Application> LockApplication(db::Tx& tx, int64_t id);
void SetSensitiveBox(db::Tx& tx, int64_t id, const std::string& box);
std::vector<TimelineItem> Timeline(db::Tx& tx, int64_t application_id);
std::vector<Application> ApplicationsOf(db::Tx& tx, int64_t applicant_id);
struct InboxFilter {
  std::optional<int64_t> org_id;  // nullopt: every organisation
  std::optional<std::string> status;
  bool overdue_only = false;
  int64_t now_ms = 0;
};
// Overdue first, then by due time.
std::vector<Application> ListApplications(db::Tx& tx, const InboxFilter& f);

void AddTimeline(db::Tx& tx, int64_t application_id, const std::string& kind, std::optional<int64_t> actor_id,
                 const std::string& note, int64_t now_ms);

// State changes are compare-and-set on the status the caller checked: each
// returns false (and changes nothing) when a concurrent request got there
// first, so two servers cannot both accept, rate or close.
bool Accept(db::Tx& tx, int64_t id, int64_t worker_id, int64_t now_ms);
bool Refer(db::Tx& tx, int64_t id, const std::string& from_status, int64_t service_id, int64_t org_id,
           int64_t due_at_ms, int64_t now_ms);
bool Finish(db::Tx& tx, int64_t id, const std::string& from_status, const std::string& status,
            const std::string& outcome, int64_t now_ms);
void MarkFirstResponse(db::Tx& tx, int64_t id, int64_t now_ms);
bool Rate(db::Tx& tx, int64_t id, int64_t score, const std::string& comment, int64_t now_ms);
bool Reopen(db::Tx& tx, int64_t id, int64_t due_at_ms, int64_t now_ms);

int64_t InsertMessage(db::Tx& tx, int64_t application_id, int64_t author_id, bool from_staff, const std::string& body,
                      int64_t now_ms);
std::vector<Message> Messages(db::Tx& tx, int64_t application_id);

// Finished applications still holding sealed data and finished before
// `before_ms`.
std::vector<int64_t> DueForPurge(db::Tx& tx, int64_t before_ms, int limit);
void ForgetContact(db::Tx& tx, int64_t id, int64_t now_ms);
// Drops the sealed fields. With `finished_before`, only if the application
// is still finished (closed or declined) since before then, so one reopened
// after it was found for the retention purge keeps them. False if nothing
// was dropped (purged already, or no longer due).
bool PurgeSensitive(db::Tx& tx, int64_t id, int64_t now_ms, std::optional<int64_t> finished_before = std::nullopt);

// Sealed values not in SealBound's format (sealed before values were bound
// to their row), ids above `after_id` in ascending order: (id, box).
std::vector<std::pair<int64_t, std::string>> UnboundBoxes(db::Tx& tx, int64_t after_id, int limit);
// Replaces `old_box` by `new_box` if the row still holds `old_box`; false if
// it changed meanwhile (another server re-sealed or purged it).
bool ReplaceBox(db::Tx& tx, int64_t id, const std::string& old_box, const std::string& new_box);
// Whether every sealed value is in the bound format (marked in
// platform_settings once a re-sealing pass found none left).
bool BoxesAllBound(db::Tx& tx);
void MarkBoxesAllBound(db::Tx& tx);

struct OrgCounts {
  int64_t org_id = 0;
  std::string org_name;
  int64_t applications = 0;
  int64_t open = 0;
  int64_t overdue = 0;
  int64_t rated = 0;
  double satisfaction_sum = 0;
  std::vector<int64_t> first_response_ms;  // per application that had one
};
std::vector<OrgCounts> StatsByOrg(db::Tx& tx, int64_t now_ms);

}  // namespace carecity::casework::repo
