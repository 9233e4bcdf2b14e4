// The market's catalogue, needs, needs surveys and matching
// (docs/design-market.md; the contract: docs/api-market.md). The only place
// its rules live.
//
// Who may do what (checked here, for every method):
// - org_staff of a project's organisation: create, edit, withdraw it, see it
//   in any status; fund_admin / platform_admin: approve or reject, see any.
//   Anyone: approved projects. Anything else: market.project_not_found.
// - village_staff of a village: its needs (create, close), its survey
//   rounds (open, results). Anyone: needs and their matches (public village
//   information, no personal data).
// - a resident whose home village (users.home_village_id) is a round's
//   village: the round, one answer to it while it is open. Nobody else sees
//   a round (market.round_not_found); its results answer its village's staff
//   only, and only as counts.
//
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/market/matching.h"
#include "domains/market/model.h"
#include "domains/market/repo.h"

namespace carecity::market {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

// A project with what the caller may do with it.
struct ProjectView {
  Project project;
  bool full = false;        // its org's staff or an admin: the team's names unmasked
  bool can_edit = false;    // its org's staff
  bool can_review = false;  // an admin, while pending
  // Party members from 人才库 who accepted the organisation's invitation
  // onto this project's team (GetProject fills it).
  std::vector<TeamMember> pool_team;
};

// A project that matches a need, with the project.
struct ProjectMatch {
  Match match;
  Project project;
};

// A need a project matches, for GET .../projects/{id}/wanted.
struct NeedMatch {
  Match match;
  Need need;
};

struct RoundView {
  SurveyRound round;
  bool answered = false;  // by the caller
  bool can_manage = false;
};

class MarketService {
 public:
  MarketService(db::Store& store, const Clock& clock);

  // ---- Catalogue
  // org_staff of `org_id` (else forbidden). With an idempotency key, a
  // retry answers the first listing (idempotency_key_reused if the body
  // differs). Errors: market.price_range.
  Task<ProjectView> CreateProject(const accounts::Principal& p, int64_t org_id, ProjectDraft d, std::string key,
                                  std::string ip);
  Result<int64_t> CreateProjectTx(db::Tx& tx, int64_t actor, int64_t org_id, const ProjectDraft& d,
                                  const std::string& ip, int64_t now_ms);
  // The org's staff: replaces the listing's fields; an approved or rejected
  // listing goes back to pending_approval (the public sees only what an
  // admin approved). Errors: market.project_not_found, forbidden (someone
  // else's approved listing), market.project_withdrawn, market.price_range.
  Task<ProjectView> UpdateProject(const accounts::Principal& p, std::string id, ProjectDraft d, std::string ip);
  // The org's staff. Errors: market.project_not_found, forbidden,
  // market.project_withdrawn (already).
  Task<ProjectView> WithdrawProject(const accounts::Principal& p, std::string id, std::string ip);
  // fund_admin / platform_admin. The conditional update decides: of two
  // reviews at once one wins, the other gets market.project_not_pending.
  // With `revision` (the one the admin read), an edit in between answers
  // market.project_changed instead of approving text nobody reviewed.
  Task<ProjectView> ReviewProject(const accounts::Principal& p, std::string id, bool approve, std::string note,
                                  std::string ip, std::optional<int64_t> revision = std::nullopt);
  Result<bool> ReviewProjectTx(db::Tx& tx, int64_t actor, int64_t id, bool approve, const std::string& note,
                               const std::string& ip, int64_t now_ms, std::optional<int64_t> revision = std::nullopt);
  // Approved projects (public). Errors: the search's (naming q).
  Task<std::vector<Project>> ListProjects(repo::ProjectFilter f);
  Task<ProjectView> GetProject(std::optional<accounts::Principal> p, std::string id);
  // org_staff of `org_id`: every listing of it (forbidden otherwise).
  Task<std::vector<Project>> OrgProjects(const accounts::Principal& p, int64_t org_id);
  // fund_admin / platform_admin: the approval queue, oldest first.
  Task<std::vector<Project>> PendingProjects(const accounts::Principal& p);
  // The open needs a project matches, best first (as GetProject sees it).
  Task<std::vector<NeedMatch>> Wanted(std::optional<accounts::Principal> p, std::string id);

  // ---- Needs
  // village_staff of the need's village (else forbidden). A cited round
  // must be that village's (market.round_not_found naming survey_round_id).
  // Errors: market.budget_range, invalid_time_range.
  Task<Need> CreateNeed(const accounts::Principal& p, NeedDraft d, std::string key, std::string ip);
  // CreateNeed's rules and insert in the caller's transaction (the training
  // domain posts a secretary's needs assessment with it). Returns the id.
  Result<int64_t> CreateNeedCheckedTx(db::Tx& tx, const accounts::Principal& p, const NeedDraft& d,
                                      const std::string& ip, int64_t now_ms);
  Result<int64_t> CreateNeedTx(db::Tx& tx, int64_t actor, const NeedDraft& d, const std::string& ip,
                               int64_t now_ms);
  Task<std::vector<Need>> ListNeeds(std::optional<int64_t> village_id, std::optional<std::string> status);
  Task<Need> GetNeed(std::string id);
  // village_staff of the need's village: open -> met | closed. Errors:
  // market.need_not_found, forbidden, market.need_not_open.
  Task<Need> CloseNeed(const accounts::Principal& p, std::string id, std::string status, std::string ip);
  // Approved projects matching the need, best first (RankProjects).
  Task<std::vector<ProjectMatch>> Matches(std::string need_id);

  // ---- Needs surveys
  // village_staff of the round's village (else forbidden).
  Task<RoundView> OpenRound(const accounts::Principal& p, SurveyRound r, std::string ip);
  Result<int64_t> OpenRoundTx(db::Tx& tx, int64_t actor, SurveyRound r, const std::string& ip);
  // village_staff of `village_id`: every round of it.
  Task<std::vector<RoundView>> VillageRounds(const accounts::Principal& p, int64_t village_id);
  // The rounds of the caller's home village open now (none without one).
  Task<std::vector<RoundView>> OpenRoundsForMe(const accounts::Principal& p);
  Task<RoundView> GetRound(const accounts::Principal& p, std::string id);
  // A resident of the round's village, once, while it is open. Errors:
  // market.round_not_found, market.unknown_option (naming picks[i]),
  // market.answer_empty, market.already_answered, market.round_closed.
  Task<RoundView> Answer(const accounts::Principal& p, std::string id, SurveyAnswer a);
  Result<bool> AnswerTx(db::Tx& tx, int64_t user_id, int64_t round_id, const SurveyAnswer& a, int64_t now_ms);
  // village_staff of the round's village: counts only.
  Task<SurveyResults> Results(const accounts::Principal& p, std::string id);

  const Clock& clock() const { return clock_; }

 private:
  db::Store& store_;
  const Clock& clock_;
};

}  // namespace carecity::market
