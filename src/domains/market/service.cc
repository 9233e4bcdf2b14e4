#include "domains/market/service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/crypto.h"
#include "db/await.h"
#include "db/idempotency.h"
#include "domains/audit/service.h"
#include "domains/market/access.h"
#include "domains/market/contracts_repo.h"

namespace carecity::market {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using boost::asio::awaitable;

constexpr int kListLimit = 200;
constexpr int kMatchPool = 1000;  // approved projects (or open needs) scored per request
constexpr size_t kMaxMatches = 50;

Error ProjectNotFound() { return Error::NotFound("market.project_not_found"); }
Error NeedNotFound() { return Error::NotFound("market.need_not_found"); }
Error RoundNotFound() { return Error::NotFound("market.round_not_found"); }

void Audit(db::Tx& tx, int64_t actor, const std::string& action, const std::string& type, const std::string& id,
           const json::object& detail, const std::string& ip, int64_t now_ms) {
  audit::Record(tx, {actor, action, type, id, json::serialize(detail), ip}, now_ms);
}

// Who may see a listing at all: everyone once approved, else its org's
// staff and the admins.
bool MaySee(const std::optional<Principal>& p, const Project& x) {
  return x.status == "approved" || IsOrgStaff(p, x.org_id) || IsAdmin(p);
}

ProjectView ViewOf(const std::optional<Principal>& p, Project x) {
  ProjectView v;
  v.full = IsOrgStaff(p, x.org_id) || IsAdmin(p);
  v.can_edit = IsOrgStaff(p, x.org_id) && x.status != "withdrawn";
  v.can_review = IsAdmin(p) && x.status == "pending_approval";
  v.project = std::move(x);
  return v;
}

// The listing `id` as `p` may see it, else market.project_not_found.
Result<Project> VisibleProject(db::Tx& tx, const std::optional<Principal>& p, const std::string& id) {
  const auto pid = IsPublicId(id) ? repo::ProjectIdByPublicId(tx, id) : std::nullopt;
  auto x = pid ? repo::FindProject(tx, *pid) : std::nullopt;
  if (!x || !MaySee(p, *x)) {
    return ProjectNotFound();
  }
  return std::move(*x);
}

// The listing `id` for its org's staff to change: not found for those who
// may not see it, forbidden for those who only may see it.
Result<Project> OwnProject(db::Tx& tx, const Principal& p, const std::string& id) {
  CC_ASSIGN_OR_RETURN(Project x, VisibleProject(tx, p, id));
  if (!IsOrgStaff(p, x.org_id)) {
    return Error::Forbidden();
  }
  return x;
}

Result<Need> FindNeedByPublicId(db::Tx& tx, const std::string& id) {
  const auto nid = IsPublicId(id) ? repo::NeedIdByPublicId(tx, id) : std::nullopt;
  auto n = nid ? repo::FindNeed(tx, *nid) : std::nullopt;
  if (!n) {
    return NeedNotFound();
  }
  return std::move(*n);
}

MatchNeed MatchNeedOf(const Need& n) {
  return {n.draft.project_type, n.draft.target_group, n.draft.budget_min_fen, n.draft.budget_max_fen};
}

// The matching's view of a listing, before the village-relative inputs.
MatchProject MatchProjectOf(const Project& x) {
  MatchProject m;
  m.id = x.id;
  m.project_type = x.draft.project_type;
  m.target_group = x.draft.target_group;
  m.price_min_fen = x.draft.price_min_fen;
  m.price_max_fen = x.draft.price_max_fen;
  m.org_rating = x.org_rating;
  return m;
}

// The matching's view of a listing for one village's need: evaluations of
// the project by other villages, and whether its organisation already has a
// contract in this village (from the contracts' tables).
struct VillageInputs {
  std::map<int64_t, Evaluations> evaluations;
  std::set<int64_t> serving_orgs;
};
VillageInputs VillageInputsOf(db::Tx& tx, int64_t village_id) {
  return {repo::EvaluationsExcept(tx, village_id), repo::OrgsServing(tx, village_id)};
}
MatchProject MatchProjectFor(const Project& x, const VillageInputs& in) {
  MatchProject m = MatchProjectOf(x);
  if (const auto e = in.evaluations.find(x.id); e != in.evaluations.end()) {
    m.evaluations = e->second;
  }
  m.serves_village = in.serving_orgs.count(x.org_id) > 0;
  return m;
}

Status CheckPrice(const ProjectDraft& d) {
  if (d.price_max_fen < d.price_min_fen || (d.price_kind == "fixed" && d.price_max_fen != d.price_min_fen)) {
    return Error::Unprocessable("market.price_range", "price.max_fen");
  }
  return {};
}

std::string ProjectHash(int64_t org_id, const ProjectDraft& d) {
  json::array team;
  for (const TeamMember& m : d.team) {
    team.push_back(json::array{json::string(m.name), json::string(m.role), json::string(m.level), m.party_member});
  }
  json::array indicators;
  for (const std::string& s : d.indicators) {
    indicators.emplace_back(s);
  }
  return json::serialize(json::array{org_id, json::string(d.title), json::string(d.project_type),
                                     json::string(d.target_group), json::string(d.price_kind), d.price_min_fen,
                                     d.price_max_fen, d.duration_days, d.sessions, d.service_hours, d.beneficiaries,
                                     json::string(d.description), indicators, team});
}

std::string NeedHash(const NeedDraft& d) {
  return json::serialize(json::array{d.village_id, json::string(d.title), json::string(d.project_type),
                                     json::string(d.target_group), d.beneficiaries, json::string(d.story),
                                     d.budget_min_fen, d.budget_max_fen, d.period_from_ms, d.period_to_ms,
                                     json::string(d.source), json::string(d.survey_round_public_id.value_or(""))});
}

// Runs `create` once per (scope, key): a retry with the same request answers
// the first object's id; without a key, every call creates.
template <class F>
Result<int64_t> CreateOnce(db::Tx& tx, const std::string& scope, const std::string& key, const std::string& hash,
                           int64_t now_ms, F create) {
  if (key.empty()) {
    return create();
  }
  const auto claim = db::ClaimIdempotencyKey(tx, scope, key, hash, now_ms);
  if (claim.kind == db::IdempotencyClaim::Kind::kMismatch) {
    return Error::Conflict("idempotency_key_reused");
  }
  if (claim.kind == db::IdempotencyClaim::Kind::kReplay) {
    return claim.ref_id;
  }
  CC_ASSIGN_OR_RETURN(const int64_t id, create());
  db::SetIdempotencyRef(tx, scope, key, id);
  return id;
}

RoundView RoundViewOf(db::Tx& tx, const Principal& p, SurveyRound r) {
  RoundView v;
  v.answered = repo::HasAnswered(tx, r.id, p.user_id);
  v.can_manage = IsVillageStaff(p, r.village_id);
  v.round = std::move(r);
  return v;
}

// The round `id` for its village's staff and residents, else not found.
Result<SurveyRound> VisibleRound(db::Tx& tx, const Principal& p, const std::string& id) {
  const auto rid = IsPublicId(id) ? repo::RoundIdByPublicId(tx, id) : std::nullopt;
  auto r = rid ? repo::FindRound(tx, *rid) : std::nullopt;
  if (!r || (!IsVillageStaff(p, r->village_id) && repo::HomeVillageOf(tx, p.user_id) != r->village_id)) {
    return RoundNotFound();
  }
  return std::move(*r);
}

}  // namespace

MarketService::MarketService(db::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

// ---- Catalogue

Result<int64_t> MarketService::CreateProjectTx(db::Tx& tx, int64_t actor, int64_t org_id, const ProjectDraft& d,
                                               const std::string& ip, int64_t now_ms) {
  CC_TRY(CheckPrice(d));
  const std::string public_id = NewPublicId();
  const int64_t id = repo::InsertProject(tx, public_id, org_id, d, actor, now_ms);
  Audit(tx, actor, "market.project.created", "market_project", public_id,
        {{"org_id", org_id}, {"title", d.title}, {"price_min_fen", d.price_min_fen}, {"price_max_fen", d.price_max_fen}},
        ip, now_ms);
  return id;
}

Task<ProjectView> MarketService::CreateProject(const Principal& p, int64_t org_id, ProjectDraft d, std::string key,
                                               std::string ip) {
  if (!p.HasOrgRole(Role::kOrgStaff, org_id)) {
    co_return Error::Forbidden();
  }
  CC_CO_TRY(CheckPrice(d));
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    const int64_t now = clock_.NowMs();
    const std::string scope = "market.project:user:" + std::to_string(p.user_id);
    CC_ASSIGN_OR_RETURN(const int64_t id, CreateOnce(tx, scope, key, ProjectHash(org_id, d), now, [&] {
                          return CreateProjectTx(tx, p.user_id, org_id, d, ip, now);
                        }));
    return ViewOf(p, *repo::FindProject(tx, id));
  });
}

Task<ProjectView> MarketService::UpdateProject(const Principal& p, std::string id, ProjectDraft d, std::string ip) {
  CC_CO_TRY(CheckPrice(d));
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    CC_ASSIGN_OR_RETURN(const Project x, OwnProject(tx, p, id));
    const int64_t now = clock_.NowMs();
    if (!repo::UpdateProject(tx, x.id, d, now)) {
      return Error::Conflict("market.project_withdrawn");
    }
    Audit(tx, p.user_id, "market.project.updated", "market_project", x.public_id,
          {{"was", x.status}, {"title", d.title}}, ip, now);
    return ViewOf(p, *repo::FindProject(tx, x.id));
  });
}

Task<ProjectView> MarketService::WithdrawProject(const Principal& p, std::string id, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    CC_ASSIGN_OR_RETURN(const Project x, OwnProject(tx, p, id));
    const int64_t now = clock_.NowMs();
    if (!repo::WithdrawProject(tx, x.id, now)) {
      return Error::Conflict("market.project_withdrawn");
    }
    Audit(tx, p.user_id, "market.project.withdrawn", "market_project", x.public_id, {{"was", x.status}}, ip, now);
    return ViewOf(p, *repo::FindProject(tx, x.id));
  });
}

Result<bool> MarketService::ReviewProjectTx(db::Tx& tx, int64_t actor, int64_t id, bool approve,
                                            const std::string& note, const std::string& ip, int64_t now_ms,
                                            std::optional<int64_t> revision) {
  // The conditional UPDATE decides: of two reviews at once, one wins; the read
  // after a refusal only chooses the words.
  if (!repo::ReviewProject(tx, id, approve, note, actor, now_ms, revision)) {
    const auto now = repo::FindProject(tx, id);
    if (revision && now && now->status == "pending_approval" && now->revision != *revision) {
      return Error::Conflict("market.project_changed");
    }
    return Error::Conflict("market.project_not_pending");
  }
  const auto x = repo::FindProject(tx, id);
  Audit(tx, actor, approve ? "market.project.approved" : "market.project.rejected", "market_project", x->public_id,
        {{"note", note}}, ip, now_ms);
  return true;
}

Task<ProjectView> MarketService::ReviewProject(const Principal& p, std::string id, bool approve, std::string note,
                                               std::string ip, std::optional<int64_t> revision) {
  if (!IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    CC_ASSIGN_OR_RETURN(const Project x, VisibleProject(tx, p, id));
    CC_TRY(ReviewProjectTx(tx, p.user_id, x.id, approve, note, ip, clock_.NowMs(), revision));
    return ViewOf(p, *repo::FindProject(tx, x.id));
  });
}

Task<std::vector<Project>> MarketService::ListProjects(repo::ProjectFilter f) {
  f.status = "approved";
  f.limit = kListLimit;
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) { return repo::ListProjects(tx, f); });
}

Task<ProjectView> MarketService::GetProject(std::optional<Principal> p, std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    CC_ASSIGN_OR_RETURN(Project x, VisibleProject(tx, p, id));
    const int64_t project_id = x.id;
    ProjectView v = ViewOf(p, std::move(x));
    v.pool_team = repo::PoolTeamOf(tx, project_id);
    return v;
  });
}

Task<std::vector<Project>> MarketService::OrgProjects(const Principal& p, int64_t org_id) {
  if (!p.HasOrgRole(Role::kOrgStaff, org_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) {
    return repo::ListProjects(tx, {.org_id = org_id, .limit = kListLimit});
  });
}

Task<std::vector<Project>> MarketService::PendingProjects(const Principal& p) {
  if (!IsAdmin(p)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Project>> {
    CC_ASSIGN_OR_RETURN(std::vector<Project> v,
                        repo::ListProjects(tx, {.status = "pending_approval", .limit = kListLimit}));
    std::reverse(v.begin(), v.end());
    return v;
  });
}

Task<std::vector<NeedMatch>> MarketService::Wanted(std::optional<Principal> p, std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<NeedMatch>> {
    CC_ASSIGN_OR_RETURN(const Project x, VisibleProject(tx, p, id));
    std::vector<NeedMatch> out;
    std::map<int64_t, VillageInputs> inputs;  // per village of the open needs
    for (Need& n : repo::ListNeeds(tx, std::nullopt, "open", kMatchPool)) {
      auto in = inputs.find(n.village_id);
      if (in == inputs.end()) {
        in = inputs.emplace(n.village_id, VillageInputsOf(tx, n.village_id)).first;
      }
      if (auto m = ScoreProject(MatchNeedOf(n), MatchProjectFor(x, in->second))) {
        out.push_back({std::move(*m), std::move(n)});
      }
    }
    // The same order as RankProjects, with the need's id as the tie-break.
    std::sort(out.begin(), out.end(), [](const NeedMatch& a, const NeedMatch& b) {
      return a.match.score != b.match.score ? a.match.score > b.match.score : a.need.id < b.need.id;
    });
    if (out.size() > kMaxMatches) {
      out.resize(kMaxMatches);
    }
    return out;
  });
}

// ---- Needs

Result<int64_t> MarketService::CreateNeedTx(db::Tx& tx, int64_t actor, const NeedDraft& d, const std::string& ip,
                                            int64_t now_ms) {
  std::optional<int64_t> round_id;
  if (d.survey_round_public_id) {
    round_id = IsPublicId(*d.survey_round_public_id) ? repo::RoundIdByPublicId(tx, *d.survey_round_public_id)
                                                     : std::nullopt;
    const auto r = round_id ? repo::FindRound(tx, *round_id) : std::nullopt;
    if (!r || r->village_id != d.village_id) {
      return Error{ErrorCode::kUnprocessable, "market.round_not_found", "survey_round_id", {}};
    }
  }
  const std::string public_id = NewPublicId();
  const int64_t id = repo::InsertNeed(tx, public_id, d, round_id, actor, now_ms);
  Audit(tx, actor, "market.need.created", "market_need", public_id,
        {{"village_id", d.village_id}, {"title", d.title}}, ip, now_ms);
  return id;
}

Result<int64_t> MarketService::CreateNeedCheckedTx(db::Tx& tx, const Principal& p, const NeedDraft& d,
                                                   const std::string& ip, int64_t now_ms) {
  if (!p.HasVillageRole(Role::kVillageStaff, d.village_id)) {
    return Error::Forbidden();
  }
  if (d.budget_max_fen < d.budget_min_fen) {
    return Error::Unprocessable("market.budget_range", "budget_max_fen");
  }
  if (d.period_to_ms <= d.period_from_ms) {
    return Error::Unprocessable("invalid_time_range", "period.to_ms");
  }
  if (d.survey_round_public_id && d.source != "survey") {
    return Error::Unprocessable("market.round_needs_survey", "survey_round_id");
  }
  return CreateNeedTx(tx, p.user_id, d, ip, now_ms);
}

Task<Need> MarketService::CreateNeed(const Principal& p, NeedDraft d, std::string key, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Need> {
    const int64_t now = clock_.NowMs();
    const std::string scope = "market.need:user:" + std::to_string(p.user_id);
    CC_ASSIGN_OR_RETURN(const int64_t id, CreateOnce(tx, scope, key, NeedHash(d), now, [&] {
                          return CreateNeedCheckedTx(tx, p, d, ip, now);
                        }));
    return *repo::FindNeed(tx, id);
  });
}

Task<std::vector<Need>> MarketService::ListNeeds(std::optional<int64_t> village_id, std::optional<std::string> status) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Need>> {
    return repo::ListNeeds(tx, village_id, status, kListLimit);
  });
}

Task<Need> MarketService::GetNeed(std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) { return FindNeedByPublicId(tx, id); });
}

Task<Need> MarketService::CloseNeed(const Principal& p, std::string id, std::string status, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Need> {
    CC_ASSIGN_OR_RETURN(const Need n, FindNeedByPublicId(tx, id));
    if (!IsVillageStaff(p, n.village_id)) {
      return Error::Forbidden();
    }
    const int64_t now = clock_.NowMs();
    if (!repo::CloseNeed(tx, n.id, status, now)) {
      return Error::Conflict("market.need_not_open");
    }
    Audit(tx, p.user_id, "market.need." + status, "market_need", n.public_id, {}, ip, now);
    return *repo::FindNeed(tx, n.id);
  });
}

Task<std::vector<ProjectMatch>> MarketService::Matches(std::string need_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<ProjectMatch>> {
    CC_ASSIGN_OR_RETURN(const Need n, FindNeedByPublicId(tx, need_id));
    CC_ASSIGN_OR_RETURN(std::vector<Project> pool,
                        repo::ListProjects(tx, {.status = "approved", .limit = kMatchPool}));
    std::vector<MatchProject> candidates;
    std::map<int64_t, Project*> by_id;
    const VillageInputs inputs = VillageInputsOf(tx, n.village_id);
    for (Project& x : pool) {
      candidates.push_back(MatchProjectFor(x, inputs));
      by_id[x.id] = &x;
    }
    std::vector<ProjectMatch> out;
    for (Match& m : RankProjects(MatchNeedOf(n), candidates)) {
      if (out.size() == kMaxMatches) {
        break;
      }
      Project& x = *by_id.at(m.project_id);
      out.push_back({std::move(m), std::move(x)});
    }
    return out;
  });
}

// ---- Needs surveys

Result<int64_t> MarketService::OpenRoundTx(db::Tx& tx, int64_t actor, SurveyRound r, const std::string& ip) {
  r.public_id = NewPublicId();
  const int64_t id = repo::InsertRound(tx, r.public_id, r, actor);
  Audit(tx, actor, "market.survey.opened", "market_survey_round", r.public_id,
        {{"village_id", r.village_id}, {"title", r.title}}, ip, r.created_at_ms);
  return id;
}

Task<RoundView> MarketService::OpenRound(const Principal& p, SurveyRound r, std::string ip) {
  if (!p.HasVillageRole(Role::kVillageStaff, r.village_id)) {
    co_return Error::Forbidden();
  }
  if (r.closes_at_ms <= r.opens_at_ms) {
    co_return Error::Unprocessable("invalid_time_range", "closes_at_ms");
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RoundView> {
    r.created_at_ms = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const int64_t id, OpenRoundTx(tx, p.user_id, r, ip));
    return RoundViewOf(tx, p, *repo::FindRound(tx, id));
  });
}

Task<std::vector<RoundView>> MarketService::VillageRounds(const Principal& p, int64_t village_id) {
  if (!p.HasVillageRole(Role::kVillageStaff, village_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<RoundView>> {
    std::vector<RoundView> out;
    for (SurveyRound& r : repo::ListRounds(tx, village_id, std::nullopt)) {
      out.push_back(RoundViewOf(tx, p, std::move(r)));
    }
    return out;
  });
}

Task<std::vector<RoundView>> MarketService::OpenRoundsForMe(const Principal& p) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<RoundView>> {
    std::vector<RoundView> out;
    const auto home = repo::HomeVillageOf(tx, p.user_id);
    if (!home) {
      return out;
    }
    for (SurveyRound& r : repo::ListRounds(tx, *home, clock_.NowMs())) {
      out.push_back(RoundViewOf(tx, p, std::move(r)));
    }
    return out;
  });
}

Task<RoundView> MarketService::GetRound(const Principal& p, std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<RoundView> {
    CC_ASSIGN_OR_RETURN(SurveyRound r, VisibleRound(tx, p, id));
    return RoundViewOf(tx, p, std::move(r));
  });
}

Result<bool> MarketService::AnswerTx(db::Tx& tx, int64_t user_id, int64_t round_id, const SurveyAnswer& a,
                                     int64_t now_ms) {
  // The statement decides (round open, resident of its village, first
  // answer); the reads after a refusal only choose the error.
  if (repo::InsertAnswer(tx, round_id, user_id, a, now_ms)) {
    return true;
  }
  if (repo::HasAnswered(tx, round_id, user_id)) {
    return Error::Conflict("market.already_answered");
  }
  const auto r = repo::FindRound(tx, round_id);
  if (r && repo::HomeVillageOf(tx, user_id) == r->village_id) {
    return Error::Conflict("market.round_closed");
  }
  return RoundNotFound();
}

Task<RoundView> MarketService::Answer(const Principal& p, std::string id, SurveyAnswer a) {
  if (a.picks.empty() && a.other.empty()) {
    co_return Error::Unprocessable("market.answer_empty", "picks");
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RoundView> {
    CC_ASSIGN_OR_RETURN(SurveyRound r, VisibleRound(tx, p, id));
    for (size_t i = 0; i < a.picks.size(); ++i) {
      if (std::find(r.options.begin(), r.options.end(), a.picks[i]) == r.options.end()) {
        return Error{ErrorCode::kUnprocessable, "market.unknown_option", "picks[" + std::to_string(i) + "]", {}};
      }
    }
    CC_TRY(AnswerTx(tx, p.user_id, r.id, a, clock_.NowMs()));
    return RoundViewOf(tx, p, std::move(r));
  });
}

Task<SurveyResults> MarketService::Results(const Principal& p, std::string id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<SurveyResults> {
    const auto rid = IsPublicId(id) ? repo::RoundIdByPublicId(tx, id) : std::nullopt;
    auto r = rid ? repo::FindRound(tx, *rid) : std::nullopt;
    if (!r || !IsVillageStaff(p, r->village_id)) {
      return RoundNotFound();
    }
    SurveyResults out;
    std::map<std::string, int64_t, std::less<>> options;
    std::map<std::string, int64_t, std::less<>> bands;
    for (const SurveyAnswer& a : repo::AnswersOf(tx, r->id)) {
      ++out.answers;
      for (const std::string& pick : a.picks) {
        ++options[pick];
      }
      out.written_in += a.other.empty() ? 0 : 1;
      ++bands[a.age_band];
    }
    out.round = std::move(*r);
    if (out.answers < kMinAnswersForResults) {
      out.hidden = true;
      out.written_in = 0;
      return out;
    }
    for (const std::string& o : out.round.options) {
      out.by_option.push_back({o, options[o]});
    }
    for (std::string_view b : kAgeBands) {
      out.by_age_band.push_back({std::string(b), bands[std::string(b)]});
    }
    return out;
  });
}

}  // namespace carecity::market
