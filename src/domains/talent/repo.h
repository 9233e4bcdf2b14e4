// SQL for qualifications, the talent pool and invitations. Every function
// runs in the caller's transaction and throws db::DbError on database
// failure; none decides a rule, except where a statement is the rule's
// enforcement (named below).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/talent/model.h"

namespace carecity::talent::repo {

// ---- Qualifications ----
// One per person and level (UNIQUE): false if one is held already — except
// a rejected one, which this sends back to pending with the new number.
bool SubmitQualification(db::Tx& tx, const Qualification& q);
std::optional<Qualification> FindQualification(db::Tx& tx, const std::string& public_id);
std::optional<Qualification> QualificationOf(db::Tx& tx, int64_t user_id, const std::string& level);
std::vector<Qualification> QualificationsOf(db::Tx& tx, int64_t user_id);
// The holder's scan of a pending qualification (the UPDATE decides both);
// false if not written.
bool SetQualificationScan(db::Tx& tx, int64_t id, int64_t user_id, const std::string& sha256,
                          const std::string& content_type);
std::vector<Qualification> QualificationsByStatus(db::Tx& tx, const std::string& status, int limit);
// Decided once: `UPDATE … WHERE status = 'pending'`.
bool DecideQualification(db::Tx& tx, int64_t id, const std::string& status, const std::string& reason, int64_t by,
                         int64_t now_ms);

// ---- The pool ----
// Opts in (or updates, or comes back after withdrawing): consent recorded now.
void UpsertEntry(db::Tx& tx, int64_t user_id, const std::string& availability, const std::string& intro,
                 int64_t now_ms);
void ReplaceSkills(db::Tx& tx, int64_t user_id, const std::vector<std::string>& skills);
void ReplaceVillages(db::Tx& tx, int64_t user_id, const std::vector<int64_t>& village_ids);
// False if the person was not in the pool (or had withdrawn).
bool Withdraw(db::Tx& tx, int64_t user_id, int64_t now_ms);
// The entry with skills and villages (not certificates or qualification).
std::optional<Entry> FindEntry(db::Tx& tx, int64_t user_id);
struct Search {
  std::optional<std::string> skill;
  std::optional<int64_t> village_id;
  std::vector<std::string> qualification_levels;  // a verified one of these
  std::optional<std::string> certificate_level;
  bool valid_certificate = true;  // holds a certificate valid at now_ms
};
// Opted-in members only (withdrawn ones never), most recently updated first.
std::vector<int64_t> SearchIds(db::Tx& tx, const Search& s, int64_t now_ms, int limit);
int64_t PlacedCount(db::Tx& tx, int64_t user_id);

// ---- Invitations ----
struct ProjectRef {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string title;
};
std::optional<ProjectRef> FindProject(db::Tx& tx, const std::string& public_id);
// The pool rule, enforced by the INSERT itself: only a member in the pool
// (not withdrawn) is invited, once per project (UNIQUE). False otherwise.
bool InsertInvitationIfInPool(db::Tx& tx, const Invitation& inv, int64_t project_id, int64_t by);
std::optional<Invitation> FindInvitation(db::Tx& tx, const std::string& public_id);
std::vector<Invitation> InvitationsOf(db::Tx& tx, int64_t user_id);
std::vector<Invitation> InvitationsOfOrg(db::Tx& tx, int64_t org_id);
// Accepted invitations of a project: its team.
std::vector<Invitation> TeamOf(db::Tx& tx, int64_t project_id);
// Decided once by the member: `UPDATE … WHERE status = 'invited'`.
bool DecideInvitation(db::Tx& tx, int64_t id, const std::string& status, int64_t now_ms);

}  // namespace carecity::talent::repo
