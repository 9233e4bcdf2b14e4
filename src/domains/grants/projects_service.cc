#include "domains/grants/projects_service.h"

#include <boost/json.hpp>

#include <algorithm>

#include "core/crypto.h"
#include "db/await.h"
#include "db/idempotency.h"
#include "db/lock.h"
#include "domains/audit/service.h"
#include "domains/grants/repo.h"

namespace carecity::grants {
namespace {

namespace json = boost::json;
using accounts::Principal;
using accounts::Role;
using boost::asio::awaitable;

constexpr int kListLimit = 200;
constexpr int64_t kLongProjectMs = 183 * kDayMs;
constexpr int64_t kProgressEveryMs = 92 * kDayMs;
constexpr int64_t kFinalWithinMs = 90 * kDayMs;

Error ProjectNotFound() { return Error::NotFound("grants.project_not_found"); }
Error ReportNotFound() { return Error::NotFound("grants.report_not_found"); }

bool IsAdmin(const std::optional<Principal>& p) { return p && p->Has(Role::kFundAdmin); }

// ---- SQL (the projects' own tables; fund_* only read)

std::optional<int64_t> IdByPublicId(db::Tx& tx, const char* sql, const std::string& public_id) {
  const auto rows = tx.Query(sql, {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

std::optional<int64_t> ProjectIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_projects WHERE public_id = $1", public_id);
}

std::optional<int64_t> ReportIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_reports WHERE public_id = $1", public_id);
}

std::vector<UseOfFunds> FundsOf(db::Tx& tx, int64_t report_id) {
  std::vector<UseOfFunds> out;
  const auto rows =
      tx.Query("SELECT item, amount_fen FROM grants_report_funds WHERE report_id = $1 ORDER BY seq", {report_id});
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Text(0), rows[i].Int(1)});
  }
  return out;
}

constexpr const char* kReportColumns =
    "SELECT r.id, r.public_id, r.project_id, p.public_id, r.kind, r.period_end_ms, r.body, r.milestone_seq, "
    "r.used_fen, r.status, r.review_note, r.submitted_at_ms, r.reviewed_at_ms, r.disbursement_id "
    "FROM grants_reports r JOIN grants_projects p ON p.id = r.project_id ";

std::vector<ProjectReport> ReportRows(db::Tx& tx, fund::FundService& fund, const db::Rows& rows) {
  std::vector<ProjectReport> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    ProjectReport x;
    x.id = r.Int(0);
    x.public_id = r.Text(1);
    x.project_id = r.Int(2);
    x.project_public_id = r.Text(3);
    x.kind = r.Text(4);
    x.period_end_ms = r.Int(5);
    x.body = r.Text(6);
    x.milestone_seq = r.OptInt(7);
    x.used_fen = r.Int(8);
    x.status = r.Text(9);
    x.review_note = r.Text(10);
    x.submitted_at_ms = r.Int(11);
    x.reviewed_at_ms = r.OptInt(12);
    if (const auto d = r.OptInt(13)) {
      x.disbursement = fund.FindDisbursementTx(tx, *d);
    }
    x.use_of_funds = FundsOf(tx, x.id);
    out.push_back(std::move(x));
  }
  return out;
}

std::optional<ProjectReport> FindReport(db::Tx& tx, fund::FundService& fund, int64_t id) {
  const auto rows = tx.Query(std::string(kReportColumns) + "WHERE r.id = $1", {id});
  auto v = ReportRows(tx, fund, rows);
  if (v.empty()) {
    return std::nullopt;
  }
  return std::move(v.front());
}

bool IsOrgStaff(db::Tx& tx, int64_t user_id, int64_t org_id) {
  return !tx.Query("SELECT 1 FROM user_roles WHERE user_id = $1 AND role = 'org_staff' AND org_id = $2",
                   {user_id, org_id})
              .empty();
}

bool IsObserver(db::Tx& tx, int64_t project_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM grants_observers WHERE project_id = $1 AND user_id = $2", {project_id, user_id})
              .empty();
}

std::vector<int64_t> ProjectIds(db::Tx& tx, const std::string& where, std::initializer_list<db::Value> params) {
  const auto rows = tx.Query("SELECT p.id FROM grants_projects p " + where + " ORDER BY p.id DESC LIMIT " +
                                 std::to_string(kListLimit),
                             params);
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

std::vector<int64_t> OrgsOf(const Principal& p) {
  std::vector<int64_t> out;
  for (const accounts::RoleGrant& g : p.roles) {
    if (g.role == Role::kOrgStaff && g.org_id) {
      out.push_back(*g.org_id);
    }
  }
  return out;
}

std::string ProjectHash(const std::string& app_id, const NewProject& in) {
  std::string h = app_id + "|" + std::to_string(in.starts_at_ms) + "|" + std::to_string(in.ends_at_ms) + "|" +
                  std::to_string(in.sponsorship_id.value_or(0)) + "|" + std::to_string(in.sponsor_fen);
  for (const NewMilestone& m : in.milestones) {
    h += "|" + m.label + ":" + std::to_string(m.amount_fen) + ":" + std::to_string(m.due_ms);
  }
  return h;
}

}  // namespace

Reporting ReportingOf(const Project& p, int64_t now_ms) {
  Reporting r;
  r.long_project = p.ends_at_ms - p.starts_at_ms > kLongProjectMs;
  r.final_due_ms = p.ends_at_ms + kFinalWithinMs;
  bool final_filed = false;
  int64_t last = p.starts_at_ms;
  for (const ProjectReport& x : p.reports) {
    if (x.status == "returned") {
      continue;
    }
    if (x.kind == "final") {
      final_filed = true;
    } else {
      last = std::max(last, x.period_end_ms);
    }
  }
  if (r.long_project && p.status == "active" && last + kProgressEveryMs < p.ends_at_ms) {
    r.next_due_ms = last + kProgressEveryMs;
  }
  r.overdue = (r.next_due_ms && now_ms > *r.next_due_ms) ||
              (p.status == "active" && !final_filed && now_ms > r.final_due_ms);
  return r;
}

ProjectsService::ProjectsService(db::Store& store, fund::FundService& fund, const Clock& clock)
    : store_(store), fund_(fund), clock_(clock) {}

std::optional<int64_t> ProjectsService::ProjectIdByApplicationTx(db::Tx& tx, int64_t app_id) {
  const auto rows = tx.Query("SELECT id FROM grants_projects WHERE application_id = $1", {app_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

std::optional<Project> ProjectsService::LoadProjectTx(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(
      "SELECT p.id, p.public_id, p.application_id, p.call_id, c.public_id, c.title, p.org_id, p.awarded_fen, "
      "p.sponsorship_id, p.sponsor_fen, p.starts_at_ms, p.ends_at_ms, p.status, p.commitment_id, fc.disbursed_fen, "
      "p.released_fen, p.leftover_note, p.created_at_ms FROM grants_projects p "
      "JOIN grants_calls c ON c.id = p.call_id JOIN fund_commitments fc ON fc.id = p.commitment_id WHERE p.id = $1",
      {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  Project p;
  p.id = r.Int(0);
  p.public_id = r.Text(1);
  p.application_id = r.Int(2);
  p.call_id = r.Int(3);
  p.call_public_id = r.Text(4);
  p.call_title = r.Text(5);
  p.org_id = r.Int(6);
  p.awarded_fen = r.Int(7);
  p.sponsorship_id = r.OptInt(8);
  p.sponsor_fen = r.Int(9);
  p.starts_at_ms = r.Int(10);
  p.ends_at_ms = r.Int(11);
  p.status = r.Text(12);
  p.commitment_id = r.Int(13);
  p.disbursed_fen = r.Int(14);
  p.released_fen = r.Int(15);
  p.leftover_note = r.Text(16);
  p.created_at_ms = r.Int(17);
  const auto a = repo::FindApplication(tx, p.application_id);
  p.application_public_id = a->public_id;
  p.title = a->d.title;
  p.org_name = a->org_name;
  p.project_type = a->d.project_type;
  p.funding_mode = a->d.funding_mode;
  p.co_funders = a->d.co_funders;
  p.partner_name = a->d.partner_name;
  p.in_kind_note = a->d.in_kind_note;
  for (const int64_t v : a->d.village_ids) {
    const auto n = tx.Query("SELECT name FROM villages WHERE id = $1", {v});
    p.villages.emplace_back(v, n.empty() ? std::string() : n.front().Text(0));
  }
  if (p.sponsorship_id) {
    if (const auto s = fund_.FindSponsorshipTx(tx, *p.sponsorship_id)) {
      p.sponsor_name = s->sponsor_name;
      p.sponsor_naming = s->naming_text;
    }
  }
  const auto ms = tx.Query(
      "SELECT m.seq, m.label, m.amount_fen, m.due_ms, m.status, m.disbursement_id, d.status FROM grants_milestones m "
      "LEFT JOIN fund_disbursements d ON d.id = m.disbursement_id WHERE m.project_id = $1 ORDER BY m.seq",
      {id});
  for (size_t i = 0; i < ms.size(); ++i) {
    const db::Row m = ms[i];
    const auto paid = m.OptText(6);
    p.milestones.push_back(
        {m.Int(0), m.Text(1), m.Int(2), m.Int(3), paid && *paid == "paid" ? "paid" : m.Text(4), m.OptInt(5)});
  }
  p.reports = ReportRows(tx, fund_, tx.Query(std::string(kReportColumns) + "WHERE r.project_id = $1 ORDER BY r.id",
                                             {id}));
  const auto vs = tx.Query(
      "SELECT v.public_id, v.user_id, u.display_name, v.visited_at_ms, v.body, v.created_at_ms FROM grants_visits v "
      "JOIN users u ON u.id = v.user_id WHERE v.project_id = $1 ORDER BY v.visited_at_ms DESC, v.id DESC",
      {id});
  for (size_t i = 0; i < vs.size(); ++i) {
    const db::Row v = vs[i];
    p.visits.push_back({v.Text(0), v.Int(1), v.Text(2), v.Int(3), v.Text(4), v.Int(5)});
  }
  const auto os = tx.Query(
      "SELECT o.user_id, u.display_name FROM grants_observers o JOIN users u ON u.id = o.user_id "
      "WHERE o.project_id = $1 ORDER BY o.added_at_ms, o.user_id",
      {id});
  for (size_t i = 0; i < os.size(); ++i) {
    p.observers.push_back({os[i].Int(0), os[i].Text(1)});
  }
  return p;
}

// ---- Creating a project

Result<int64_t> ProjectsService::CreateProjectTx(db::Tx& tx, int64_t actor, int64_t app_id, const NewProject& in,
                                                 const std::string& ip, int64_t now_ms) {
  // Locked first: two creations for one application are decided one after
  // the other; the UNIQUE index on application_id is the last guard.
  if (!db::LockRow(tx, "grants_applications", app_id)) {
    return Error::NotFound("grants.application_not_found");
  }
  const auto a = repo::FindApplication(tx, app_id);
  if (!a->decision || *a->decision != "approved") {
    return Error::Conflict("grants.not_approved");
  }
  const auto notice = repo::NoticeOfCall(tx, a->call_id);
  if (!notice || now_ms < notice->objections_close_ms) {
    return Error::Conflict("grants.objection_window_open");
  }
  if (!tx.Query("SELECT 1 FROM grants_objections WHERE application_id = $1 AND status IN ('open', 'upheld')",
                {app_id})
           .empty()) {
    return Error::Conflict("grants.objection_pending");
  }
  if (in.ends_at_ms <= in.starts_at_ms) {
    return Error::Unprocessable("invalid_time_range", "ends_at_ms");
  }
  if (in.milestones.empty()) {
    return Error::Invalid("missing_field", "milestones");
  }
  Fen sum = 0;
  for (const NewMilestone& m : in.milestones) {
    if (m.amount_fen <= 0 || m.due_ms < in.starts_at_ms || m.due_ms > in.ends_at_ms + kFinalWithinMs) {
      return Error::Unprocessable("grants.milestones_sum", "milestones");
    }
    sum += m.amount_fen;
  }
  if (sum != a->awarded_fen) {
    return Error::Unprocessable("grants.milestones_sum", "milestones");
  }
  if (ProjectIdByApplicationTx(tx, app_id)) {
    return Error::Conflict("grants.project_exists");
  }
  const std::optional<int64_t> sponsorship = in.sponsorship_id ? in.sponsorship_id : a->d.sponsorship_id;
  if (in.sponsor_fen < 0 || (in.sponsor_fen > 0 && !sponsorship)) {
    return Error::Invalid("invalid_value", "sponsor_fen");
  }
  if (sponsorship) {
    const Error missing{ErrorCode::kNotFound, "sponsorship_not_found", "sponsorship_id", {}};
    // Under the sponsorship's lock: projects named at once are summed one
    // after the other.
    if (!db::LockRow(tx, "fund_sponsorships", *sponsorship)) {
      return missing;
    }
    const auto s = fund_.FindSponsorshipTx(tx, *sponsorship);
    if (!s) {
      return missing;
    }
    if (s->project_type && *s->project_type != a->d.project_type) {
      return Error::Unprocessable("grants.sponsorship_type_mismatch", "sponsorship_id");
    }
    const auto used = tx.Query("SELECT COALESCE(SUM(sponsor_fen), 0) FROM grants_projects WHERE sponsorship_id = $1",
                               {*sponsorship});
    if (used.front().Int(0) + in.sponsor_fen > s->committed_fen) {
      return Error::Conflict("grants.sponsorship_exhausted", "sponsor_fen");
    }
  }
  const auto call = repo::FindCall(tx, a->call_id);
  fund::NewCommitment nc{a->org_id, call->purpose_id, a->awarded_fen, a->d.title};
  CC_ASSIGN_OR_RETURN(const int64_t commitment_id, fund_.CreateCommitmentTx(tx, actor, nc, now_ms));
  const std::string public_id = NewPublicId();
  const int64_t inserted = tx.Exec(
      "INSERT INTO grants_projects (public_id, application_id, call_id, org_id, commitment_id, awarded_fen, "
      "sponsorship_id, sponsor_fen, starts_at_ms, ends_at_ms, note, created_by, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (application_id) DO NOTHING",
      {public_id, app_id, a->call_id, a->org_id, commitment_id, a->awarded_fen, sponsorship, in.sponsor_fen,
       in.starts_at_ms, in.ends_at_ms, in.note, actor, now_ms});
  if (inserted != 1) {
    return Error::Conflict("grants.project_exists");  // the job rolls back, the commitment included
  }
  const int64_t id = *ProjectIdByPublicId(tx, public_id);
  for (size_t i = 0; i < in.milestones.size(); ++i) {
    const NewMilestone& m = in.milestones[i];
    tx.Exec("INSERT INTO grants_milestones (project_id, seq, label, amount_fen, due_ms) VALUES ($1, $2, $3, $4, $5)",
            {id, static_cast<int64_t>(i + 1), m.label, m.amount_fen, m.due_ms});
  }
  audit::Record(tx, actor, "grants.project.created", "grants_project", public_id,
        {{"application", a->public_id}, {"commitment_id", commitment_id}, {"awarded_fen", a->awarded_fen}}, ip,
        now_ms);
  return id;
}

awaitable<Result<ProjectView>> ProjectsService::CreateProject(const Principal& p, std::string app_id, NewProject in,
                                                              std::string idempotency_key, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(app_id)) {
    co_return Error::NotFound("grants.application_not_found");
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    const int64_t now = clock_.NowMs();
    const std::string scope = "grants.project:user:" + std::to_string(actor);
    const auto claim = db::ClaimIdempotencyKey(tx, scope, idempotency_key, ProjectHash(app_id, in), now);
    if (claim.kind == db::IdempotencyClaim::Kind::kMismatch) {
      return Error::Conflict("idempotency_key_reused");
    }
    int64_t id = claim.ref_id;
    if (claim.kind != db::IdempotencyClaim::Kind::kReplay) {
      const auto aid = repo::ApplicationIdByPublicId(tx, app_id);
      if (!aid) {
        return Error::NotFound("grants.application_not_found");
      }
      CC_ASSIGN_OR_RETURN(id, CreateProjectTx(tx, actor, *aid, in, ip, now));
      db::SetIdempotencyRef(tx, scope, idempotency_key, id);
    }
    return ProjectView{*LoadProjectTx(tx, id), true, false, true};
  });
}

// ---- Reading

awaitable<Result<std::vector<Project>>> ProjectsService::ListProjects(std::optional<std::string> call_id,
                                                                      std::optional<int64_t> org_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Project>> {
    std::optional<int64_t> cid;
    if (call_id) {
      cid = IsPublicId(*call_id) ? repo::CallIdByPublicId(tx, *call_id) : std::nullopt;
      if (!cid) {
        return std::vector<Project>{};
      }
    }
    std::vector<Project> out;
    for (const int64_t id : ProjectIds(tx, "WHERE (CAST($1 AS BIGINT) IS NULL OR p.call_id = $1) AND (CAST($2 AS BIGINT) IS NULL OR p.org_id = $2)",
                                       {cid, org_id})) {
      out.push_back(*LoadProjectTx(tx, id));
    }
    return out;
  });
}

awaitable<Result<ProjectView>> ProjectsService::GetProject(std::optional<Principal> p, std::string project_id) {
  if (!IsPublicId(project_id)) {
    co_return ProjectNotFound();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    const auto id = ProjectIdByPublicId(tx, project_id);
    if (!id) {
      return ProjectNotFound();
    }
    ProjectView v;
    v.project = *LoadProjectTx(tx, *id);
    const bool staff = p && p->HasOrgRole(Role::kOrgStaff, v.project.org_id);
    v.can_manage = IsAdmin(p);
    v.can_report = staff && v.project.status != "closed";
    v.full = staff || v.can_manage;
    return v;
  });
}

awaitable<Result<std::vector<Project>>> ProjectsService::MyProjects(const Principal& p) {
  const std::vector<int64_t> orgs = OrgsOf(p);
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Project>> {
    std::vector<Project> out;
    for (const int64_t org : orgs) {
      for (const int64_t id : ProjectIds(tx, "WHERE p.org_id = $1", {org})) {
        out.push_back(*LoadProjectTx(tx, id));
      }
    }
    std::sort(out.begin(), out.end(), [](const Project& a, const Project& b) { return a.id > b.id; });
    return out;
  });
}

awaitable<Result<std::vector<Project>>> ProjectsService::Observing(const Principal& p) {
  const int64_t user = p.user_id;
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Project>> {
    std::vector<Project> out;
    for (const int64_t id :
         ProjectIds(tx, "JOIN grants_observers o ON o.project_id = p.id WHERE o.user_id = $1", {user})) {
      out.push_back(*LoadProjectTx(tx, id));
    }
    return out;
  });
}

// ---- Reports

Result<ProjectReport> ProjectsService::SubmitReportTx(db::Tx& tx, int64_t actor, int64_t project_id,
                                                      const NewReport& in, int64_t now_ms) {
  // Locked: reports on one project are filed one after the other (one final).
  if (!db::LockRow(tx, "grants_projects", project_id)) {
    return ProjectNotFound();
  }
  const auto st = tx.Query("SELECT status FROM grants_projects WHERE id = $1", {project_id});
  if (st.front().Text(0) == "closed") {
    return Error::Conflict("grants.project_closed");
  }
  if (in.kind != "progress" && in.kind != "final") {
    return Error::Invalid("invalid_value", "kind");
  }
  Fen used = 0;
  for (const UseOfFunds& u : in.use_of_funds) {
    used += u.amount_fen;
  }
  if (in.kind == "final") {
    if (in.use_of_funds.empty()) {
      return Error::Unprocessable("grants.use_of_funds_required", "use_of_funds");
    }
    if (in.milestone_seq) {
      return Error::Invalid("invalid_value", "milestone_seq");
    }
    if (!tx.Query("SELECT 1 FROM grants_reports WHERE project_id = $1 AND kind = 'final' AND status <> 'returned'",
                  {project_id})
             .empty()) {
      return Error::Conflict("grants.final_report_exists");
    }
  }
  if (in.milestone_seq &&
      tx.Exec("UPDATE grants_milestones SET status = 'reported' WHERE project_id = $1 AND seq = $2 "
              "AND status = 'planned'",
              {project_id, *in.milestone_seq}) != 1) {
    return Error::Conflict("grants.milestone_not_open", "milestone_seq");
  }
  const std::string public_id = NewPublicId();
  const int64_t id = tx.Insert(
      "INSERT INTO grants_reports (public_id, project_id, kind, period_end_ms, body, milestone_seq, used_fen, "
      "submitted_by, submitted_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {public_id, project_id, in.kind, in.period_end_ms, in.body, in.milestone_seq, used, actor, now_ms});
  for (size_t i = 0; i < in.use_of_funds.size(); ++i) {
    tx.Exec("INSERT INTO grants_report_funds (report_id, seq, item, amount_fen) VALUES ($1, $2, $3, $4)",
            {id, static_cast<int64_t>(i + 1), in.use_of_funds[i].item, in.use_of_funds[i].amount_fen});
  }
  audit::Record(tx, actor, "grants.report.submitted", "grants_report", public_id, {{"kind", in.kind}}, "", now_ms);
  return *FindReport(tx, fund_, id);
}

awaitable<Result<ProjectReport>> ProjectsService::SubmitReport(const Principal& p, std::string project_id,
                                                               NewReport in) {
  if (!IsPublicId(project_id)) {
    co_return ProjectNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectReport> {
    const auto id = ProjectIdByPublicId(tx, project_id);
    if (!id) {
      return ProjectNotFound();
    }
    const auto org = tx.Query("SELECT org_id FROM grants_projects WHERE id = $1", {*id});
    if (!p.HasOrgRole(Role::kOrgStaff, org.front().Int(0))) {
      return ProjectNotFound();
    }
    return SubmitReportTx(tx, p.user_id, *id, in, clock_.NowMs());
  });
}

Result<ProjectReport> ProjectsService::ReviewReportTx(db::Tx& tx, int64_t actor, int64_t report_id, bool approve,
                                                      const std::string& note, const std::string& ip,
                                                      int64_t now_ms) {
  const auto r = FindReport(tx, fund_, report_id);
  if (!r) {
    return ReportNotFound();
  }
  // The conditional UPDATE decides: of two reviews at once, one wins.
  if (tx.Exec("UPDATE grants_reports SET status = $2, review_note = $3, reviewed_by = $4, reviewed_at_ms = $5 "
              "WHERE id = $1 AND status = 'submitted'",
              {report_id, approve ? "approved" : "returned", note, actor, now_ms}) != 1) {
    return Error::Conflict("grants.report_not_pending");
  }
  if (r->milestone_seq && approve) {
    const auto m = tx.Query(
        "SELECT m.amount_fen, m.label, p.commitment_id FROM grants_milestones m JOIN grants_projects p "
        "ON p.id = m.project_id WHERE m.project_id = $1 AND m.seq = $2",
        {r->project_id, *r->milestone_seq});
    const std::string memo = "里程碑" + std::to_string(*r->milestone_seq) + "·" + m.front().Text(1);
    CC_ASSIGN_OR_RETURN(const fund::Disbursement d, fund_.ProposeDisbursementTx(tx, actor, m.front().Int(2),
                                                                                m.front().Int(0), memo, now_ms));
    if (tx.Exec("UPDATE grants_milestones SET status = 'proposed', disbursement_id = $3 WHERE project_id = $1 "
                "AND seq = $2 AND status = 'reported'",
                {r->project_id, *r->milestone_seq, d.id}) != 1) {
      return Error::Conflict("grants.milestone_not_open", "milestone_seq");
    }
    tx.Exec("UPDATE grants_reports SET disbursement_id = $2 WHERE id = $1", {report_id, d.id});
  } else if (r->milestone_seq) {
    tx.Exec("UPDATE grants_milestones SET status = 'planned' WHERE project_id = $1 AND seq = $2 "
            "AND status = 'reported'",
            {r->project_id, *r->milestone_seq});
  }
  if (approve && r->kind == "final") {
    tx.Exec("UPDATE grants_projects SET status = 'closing' WHERE id = $1 AND status = 'active'", {r->project_id});
  }
  audit::Record(tx, actor, approve ? "grants.report.approved" : "grants.report.returned", "grants_report", r->public_id,
        {{"note", note}}, ip, now_ms);
  return *FindReport(tx, fund_, report_id);
}

awaitable<Result<ProjectReport>> ProjectsService::ReviewReport(const Principal& p, std::string report_id,
                                                               bool approve, std::string note, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(report_id)) {
    co_return ReportNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectReport> {
    const auto id = ReportIdByPublicId(tx, report_id);
    if (!id) {
      return ReportNotFound();
    }
    return ReviewReportTx(tx, p.user_id, *id, approve, note, ip, clock_.NowMs());
  });
}

// ---- Closing

Result<Project> ProjectsService::CloseProjectTx(db::Tx& tx, int64_t actor, int64_t project_id,
                                                const std::string& leftover_note, const std::string& ip,
                                                int64_t now_ms) {
  if (!db::LockRow(tx, "grants_projects", project_id)) {
    return ProjectNotFound();
  }
  const auto p = LoadProjectTx(tx, project_id);
  if (p->status == "closed") {
    return Error::Conflict("grants.project_closed");
  }
  if (tx.Query("SELECT 1 FROM grants_reports WHERE project_id = $1 AND kind = 'final' AND status = 'approved'",
               {project_id})
          .empty()) {
    return Error::Conflict("grants.final_report_missing");
  }
  auto released = fund_.ReleaseCommitmentTx(tx, actor, p->commitment_id, "结项·" + p->title, now_ms);
  if (!released.ok()) {
    if (released.error().key == "disbursement_pending") {
      return Error::Conflict("grants.disbursement_pending");
    }
    return released.error();
  }
  if (tx.Exec("UPDATE grants_projects SET status = 'closed', released_fen = $2, leftover_note = $3, closed_by = $4, "
              "closed_at_ms = $5 WHERE id = $1 AND status <> 'closed'",
              {project_id, *released, leftover_note, actor, now_ms}) != 1) {
    return Error::Conflict("grants.project_closed");
  }
  audit::Record(tx, actor, "grants.project.closed", "grants_project", p->public_id,
        {{"released_fen", *released}, {"leftover_note", leftover_note}}, ip, now_ms);
  return *LoadProjectTx(tx, project_id);
}

awaitable<Result<ProjectView>> ProjectsService::CloseProject(const Principal& p, std::string project_id,
                                                             std::string leftover_note, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(project_id)) {
    co_return ProjectNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ProjectView> {
    const auto id = ProjectIdByPublicId(tx, project_id);
    if (!id) {
      return ProjectNotFound();
    }
    CC_ASSIGN_OR_RETURN(Project pr, CloseProjectTx(tx, p.user_id, *id, leftover_note, ip, clock_.NowMs()));
    return ProjectView{std::move(pr), true, false, true};
  });
}

// ---- Observers and visits

Result<Observer> ProjectsService::AddObserverTx(db::Tx& tx, int64_t actor, int64_t project_id, int64_t user_id,
                                                int64_t now_ms) {
  const auto u = tx.Query("SELECT display_name FROM users WHERE id = $1", {user_id});
  if (u.empty()) {
    return Error{ErrorCode::kNotFound, "user_not_found", "user_id", {}};
  }
  const auto org = tx.Query("SELECT org_id, public_id FROM grants_projects WHERE id = $1", {project_id});
  if (IsOrgStaff(tx, user_id, org.front().Int(0))) {
    return Error::Unprocessable("grants.observer_conflict", "user_id");
  }
  if (tx.Exec("INSERT INTO grants_observers (project_id, user_id, added_by, added_at_ms) VALUES ($1, $2, $3, $4) "
              "ON CONFLICT (project_id, user_id) DO NOTHING",
              {project_id, user_id, actor, now_ms}) != 1) {
    return Error::Conflict("grants.already_observer", "user_id");
  }
  audit::Record(tx, actor, "grants.observer.added", "grants_project", org.front().Text(1), {{"user_id", user_id}}, "",
        now_ms);
  return Observer{user_id, u.front().Text(0)};
}

awaitable<Result<Observer>> ProjectsService::AddObserver(const Principal& p, std::string project_id,
                                                         int64_t user_id) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(project_id)) {
    co_return ProjectNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Observer> {
    const auto id = ProjectIdByPublicId(tx, project_id);
    if (!id) {
      return ProjectNotFound();
    }
    return AddObserverTx(tx, p.user_id, *id, user_id, clock_.NowMs());
  });
}

awaitable<Result<bool>> ProjectsService::RemoveObserver(const Principal& p, std::string project_id,
                                                        int64_t user_id) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(project_id)) {
    co_return ProjectNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<bool> {
    const auto id = ProjectIdByPublicId(tx, project_id);
    if (!id) {
      return ProjectNotFound();
    }
    if (tx.Exec("DELETE FROM grants_observers WHERE project_id = $1 AND user_id = $2", {*id, user_id}) != 1) {
      return Error::NotFound("grants.observer_not_found");
    }
    audit::Record(tx, p.user_id, "grants.observer.removed", "grants_project", project_id, {{"user_id", user_id}}, "",
          clock_.NowMs());
    return true;
  });
}

Result<Visit> ProjectsService::AddVisitTx(db::Tx& tx, int64_t user_id, int64_t project_id, int64_t visited_at_ms,
                                          const std::string& body, int64_t now_ms) {
  if (visited_at_ms > now_ms) {
    return Error::Unprocessable("grants.visit_in_future", "visited_at_ms");
  }
  // The project's row lock orders this note after a close in progress; the INSERT then decides both
  // rules on the latest rows: the caller observes the project (an observer removed meanwhile adds
  // nothing), and a closed project takes notes of visits made before it closed, never after. The
  // read after a refusal only chooses the error.
  if (!db::LockRow(tx, "grants_projects", project_id)) {
    return ProjectNotFound();
  }
  const std::string public_id = NewPublicId();
  if (tx.Exec("INSERT INTO grants_visits (public_id, project_id, user_id, visited_at_ms, body, created_at_ms) "
              "SELECT $1, p.id, o.user_id, $4, $5, $6 FROM grants_projects p "
              "JOIN grants_observers o ON o.project_id = p.id AND o.user_id = $3 "
              "WHERE p.id = $2 AND (p.closed_at_ms IS NULL OR $4 <= p.closed_at_ms)",
              {public_id, project_id, user_id, visited_at_ms, body, now_ms}) == 0) {
    if (!IsObserver(tx, project_id, user_id)) {
      return ProjectNotFound();
    }
    return Error::Conflict("grants.project_closed");
  }
  const auto u = tx.Query("SELECT display_name FROM users WHERE id = $1", {user_id});
  return Visit{public_id, user_id, u.front().Text(0), visited_at_ms, body, now_ms};
}

awaitable<Result<Visit>> ProjectsService::AddVisit(const Principal& p, std::string project_id, int64_t visited_at_ms,
                                                   std::string body) {
  if (!IsPublicId(project_id)) {
    co_return ProjectNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Visit> {
    const auto id = ProjectIdByPublicId(tx, project_id);
    if (!id) {
      return ProjectNotFound();
    }
    return AddVisitTx(tx, p.user_id, *id, visited_at_ms, body, clock_.NowMs());
  });
}

}  // namespace carecity::grants
