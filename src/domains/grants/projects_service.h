// Funded projects (资助项目, docs/design-grants.md §1 and §5): an approved
// application whose notice's objection window has closed becomes a project
// with milestones; its commitment, disbursements and the leftover's release
// move money only through fund::FundService's ...Tx methods, inside the
// project's own write jobs. Progress and final reports (进度/结项报告),
// citizen observers (观察员) and their visit notes.
//
// Who may do what (checked here, for every route):
// - fund_admin: create projects, review reports, close, manage observers.
// - org_staff of the project's organisation: file reports, see every report.
// - an observer of the project: write visit notes.
// - anyone: the project page (approved reports only, people masked).
//
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/fund/service.h"
#include "domains/grants/model.h"

namespace carecity::grants {

struct NewMilestone {
  std::string label;
  Fen amount_fen = 0;
  int64_t due_ms = 0;
};

struct NewProject {
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::vector<NewMilestone> milestones;
  std::optional<int64_t> sponsorship_id;  // default: the application's
  Fen sponsor_fen = 0;
  std::string note;
};

struct Milestone {
  int64_t seq = 0;
  std::string label;
  Fen amount_fen = 0;
  int64_t due_ms = 0;
  std::string status;  // planned | reported | proposed | paid (read from the disbursement)
  std::optional<int64_t> disbursement_id;
};

struct UseOfFunds {
  std::string item;
  Fen amount_fen = 0;
};

struct NewReport {
  std::string kind;  // progress | final
  int64_t period_end_ms = 0;
  std::string body;
  std::optional<int64_t> milestone_seq;
  std::vector<UseOfFunds> use_of_funds;
};

struct ProjectReport {
  int64_t id = 0;
  std::string public_id;
  int64_t project_id = 0;
  std::string project_public_id;
  std::string kind;
  int64_t period_end_ms = 0;
  std::string body;
  std::optional<int64_t> milestone_seq;
  std::vector<UseOfFunds> use_of_funds;
  Fen used_fen = 0;
  std::string status;  // submitted | approved | returned
  std::string review_note;
  int64_t submitted_at_ms = 0;
  std::optional<int64_t> reviewed_at_ms;
  std::optional<fund::Disbursement> disbursement;
};

struct Visit {
  std::string public_id;
  int64_t user_id = 0;
  std::string by;  // the observer's display name (masked in public)
  int64_t visited_at_ms = 0;
  std::string body;
  int64_t created_at_ms = 0;
};

struct Observer {
  int64_t user_id = 0;
  std::string name;
};

struct Reporting {
  bool long_project = false;
  std::optional<int64_t> next_due_ms;
  bool overdue = false;
  int64_t final_due_ms = 0;
};

struct Project {
  int64_t id = 0;
  std::string public_id;
  int64_t application_id = 0;
  std::string application_public_id;
  int64_t call_id = 0;
  std::string call_public_id;
  std::string call_title;
  std::string title;
  int64_t org_id = 0;
  std::string org_name;
  std::string project_type;
  std::string funding_mode;
  std::vector<std::pair<int64_t, std::string>> villages;
  Fen awarded_fen = 0;
  std::vector<CoFunder> co_funders;
  std::string partner_name;
  std::string in_kind_note;
  std::optional<int64_t> sponsorship_id;
  std::string sponsor_name;
  std::string sponsor_naming;
  Fen sponsor_fen = 0;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::string status;  // active | closing | closed
  int64_t commitment_id = 0;
  Fen disbursed_fen = 0;
  Fen released_fen = 0;
  std::string leftover_note;
  int64_t created_at_ms = 0;
  std::vector<Milestone> milestones;
  std::vector<ProjectReport> reports;  // every status; the routes hide unapproved ones in public
  std::vector<Visit> visits;
  std::vector<Observer> observers;
};

// What the caller may see and do.
struct ProjectView {
  Project project;
  bool full = false;  // the org's staff or a fund admin: every report, names unmasked
  bool can_report = false;
  bool can_manage = false;
};

// The reporting rule (资助项目公开): projects over 183 days report progress
// every 92 days; the final report is due 90 days after the end.
Reporting ReportingOf(const Project& p, int64_t now_ms);

class ProjectsService {
 public:
  ProjectsService(db::Store& store, fund::FundService& fund, const Clock& clock);

  // fund_admin: the application's project with its milestones, and its
  // fund commitment in the same job. Idempotent on (caller, key).
  // Errors: grants.application_not_found, grants.not_approved,
  // grants.objection_window_open, grants.objection_pending,
  // grants.milestones_sum, invalid_time_range, grants.project_exists,
  // sponsorship_not_found, grants.sponsorship_type_mismatch,
  // grants.sponsorship_exhausted, the fund's insufficient_funds.
  boost::asio::awaitable<Result<ProjectView>> CreateProject(const accounts::Principal& p, std::string app_id,
                                                            NewProject in, std::string idempotency_key,
                                                            std::string ip);
  Result<int64_t> CreateProjectTx(db::Tx& tx, int64_t actor, int64_t app_id, const NewProject& in,
                                  const std::string& ip, int64_t now_ms);
  // Public lists (newest first); filters by call (public id) and org.
  boost::asio::awaitable<Result<std::vector<Project>>> ListProjects(std::optional<std::string> call_id,
                                                                    std::optional<int64_t> org_id);
  boost::asio::awaitable<Result<ProjectView>> GetProject(std::optional<accounts::Principal> p,
                                                         std::string project_id);
  // org_staff: the projects of the caller's organisations.
  boost::asio::awaitable<Result<std::vector<Project>>> MyProjects(const accounts::Principal& p);
  // The projects the caller observes.
  boost::asio::awaitable<Result<std::vector<Project>>> Observing(const accounts::Principal& p);

  // org_staff of the project's org (others: grants.project_not_found).
  // Errors: grants.project_closed, grants.use_of_funds_required,
  // grants.final_report_exists, grants.milestone_not_open.
  boost::asio::awaitable<Result<ProjectReport>> SubmitReport(const accounts::Principal& p, std::string project_id,
                                                             NewReport in);
  Result<ProjectReport> SubmitReportTx(db::Tx& tx, int64_t actor, int64_t project_id, const NewReport& in,
                                       int64_t now_ms);
  // fund_admin: approve (a cited milestone's disbursement is proposed in
  // the same job; a final report moves the project to closing) or return.
  // Errors: grants.report_not_found, grants.report_not_pending.
  boost::asio::awaitable<Result<ProjectReport>> ReviewReport(const accounts::Principal& p, std::string report_id,
                                                             bool approve, std::string note, std::string ip);
  Result<ProjectReport> ReviewReportTx(db::Tx& tx, int64_t actor, int64_t report_id, bool approve,
                                       const std::string& note, const std::string& ip, int64_t now_ms);
  // fund_admin: closes the project, releasing awarded − disbursed to the
  // fund. Errors: grants.final_report_missing, grants.disbursement_pending,
  // grants.project_closed.
  boost::asio::awaitable<Result<ProjectView>> CloseProject(const accounts::Principal& p, std::string project_id,
                                                           std::string leftover_note, std::string ip);
  Result<Project> CloseProjectTx(db::Tx& tx, int64_t actor, int64_t project_id, const std::string& leftover_note,
                                 const std::string& ip, int64_t now_ms);

  // fund_admin. Errors: user_not_found, grants.already_observer,
  // grants.observer_conflict, grants.observer_not_found.
  boost::asio::awaitable<Result<Observer>> AddObserver(const accounts::Principal& p, std::string project_id,
                                                       int64_t user_id);
  Result<Observer> AddObserverTx(db::Tx& tx, int64_t actor, int64_t project_id, int64_t user_id, int64_t now_ms);
  boost::asio::awaitable<Result<bool>> RemoveObserver(const accounts::Principal& p, std::string project_id,
                                                      int64_t user_id);
  // An observer of the project (others: grants.project_not_found).
  boost::asio::awaitable<Result<Visit>> AddVisit(const accounts::Principal& p, std::string project_id,
                                                 int64_t visited_at_ms, std::string body);
  Result<Visit> AddVisitTx(db::Tx& tx, int64_t user_id, int64_t project_id, int64_t visited_at_ms,
                           const std::string& body, int64_t now_ms);

  std::optional<int64_t> ProjectIdByApplicationTx(db::Tx& tx, int64_t app_id);
  std::optional<Project> LoadProjectTx(db::Tx& tx, int64_t id);
  const Clock& clock() const { return clock_; }

 private:
  db::Store& store_;
  fund::FundService& fund_;
  const Clock& clock_;
};

}  // namespace carecity::grants
