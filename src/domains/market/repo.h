// SQL for the market's catalogue, needs and needs surveys. Runs in the
// caller's transaction. Every state change is one conditional statement
// (approve only what is pending, close only what is open, one survey answer
// per account and round by the primary key, inside the round's dates and
// only from a resident of its village): the statement decides, and false
// means it did not write.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "db/tx.h"
#include "domains/market/model.h"

namespace carecity::market::repo {

// ---- Catalogue
// A new listing, pending approval; returns its id.
int64_t InsertProject(db::Tx& tx, const std::string& public_id, int64_t org_id, const ProjectDraft& d,
                      int64_t created_by, int64_t now_ms);
// Writes the draft and sends the listing back to pending_approval (clearing
// the review), unless it is withdrawn. False if not written.
bool UpdateProject(db::Tx& tx, int64_t id, const ProjectDraft& d, int64_t now_ms);
// pending_approval -> approved | rejected. False if not pending.
// Decides a review in one conditional UPDATE: still pending, and (when `revision` is named) unedited since.
bool ReviewProject(db::Tx& tx, int64_t id, bool approve, const std::string& note, int64_t by, int64_t now_ms,
                   std::optional<int64_t> revision = std::nullopt);
// Anything but withdrawn -> withdrawn. False if already withdrawn.
bool WithdrawProject(db::Tx& tx, int64_t id, int64_t now_ms);
std::optional<Project> FindProject(db::Tx& tx, int64_t id);
std::optional<int64_t> ProjectIdByPublicId(db::Tx& tx, const std::string& public_id);

struct ProjectFilter {
  std::optional<std::string> status;
  std::optional<std::string> project_type;
  std::optional<int64_t> org_id;
  // Only projects whose type is the type of one of this village's open needs.
  std::optional<int64_t> needs_of_village;
  std::optional<std::string> q;  // every term in the title, target group or description
  int limit = 200;
};
// Newest first (best search match first with `q`). Errors: the search's
// (too_long naming q).
Result<std::vector<Project>> ListProjects(db::Tx& tx, const ProjectFilter& f);
// The members of 人才库 who accepted an invitation onto the project's team,
// with their highest verified social-worker level (talent_invitations).
std::vector<TeamMember> PoolTeamOf(db::Tx& tx, int64_t project_id);

// ---- Needs
int64_t InsertNeed(db::Tx& tx, const std::string& public_id, const NeedDraft& d, std::optional<int64_t> round_id,
                   int64_t created_by, int64_t now_ms);
std::optional<Need> FindNeed(db::Tx& tx, int64_t id);
std::optional<int64_t> NeedIdByPublicId(db::Tx& tx, const std::string& public_id);
// open -> met | closed. False if not open.
bool CloseNeed(db::Tx& tx, int64_t id, const std::string& status, int64_t now_ms);
// Newest first; any village when `village_id` is empty.
std::vector<Need> ListNeeds(db::Tx& tx, std::optional<int64_t> village_id, std::optional<std::string> status,
                            int limit);

// The account's home village (users.home_village_id), if it has one.
std::optional<int64_t> HomeVillageOf(db::Tx& tx, int64_t user_id);

// ---- Survey rounds and answers
int64_t InsertRound(db::Tx& tx, const std::string& public_id, const SurveyRound& r, int64_t created_by);
std::optional<SurveyRound> FindRound(db::Tx& tx, int64_t id);
std::optional<int64_t> RoundIdByPublicId(db::Tx& tx, const std::string& public_id);
// The village's rounds, newest first; only those open at `open_at_ms` when given.
std::vector<SurveyRound> ListRounds(db::Tx& tx, int64_t village_id, std::optional<int64_t> open_at_ms);
// The one statement that decides an answer: written only if the round is
// open at `now_ms`, `user_id`'s home village is the round's village, and
// the account has not answered this round (the primary key). False if not.
bool InsertAnswer(db::Tx& tx, int64_t round_id, int64_t user_id, const SurveyAnswer& a, int64_t now_ms);
bool HasAnswered(db::Tx& tx, int64_t round_id, int64_t user_id);
// Every answer's picks and age band, and whether a need was written in:
// for the counts, which are all that leaves the service.
std::vector<SurveyAnswer> AnswersOf(db::Tx& tx, int64_t round_id);

}  // namespace carecity::market::repo
