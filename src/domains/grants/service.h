// 关爱基金 project calls and review (docs/design-grants.md): calls, the
// organisations' applications, public support votes, the reviewer pool
// with its conflicts of interest, and review meetings whose panels the
// min-cost-flow assigner (assign.h) fills. The only place these rules live.
//
// Who may do what (checked here, for every route):
// - fund_admin: calls, eligibility, experts, approving citizen reviewers,
//   meetings, assignment, anyone's conflicts.
// - org_staff of the applicant organisation: its applications (anyone else
//   gets 404 for a draft, as if it did not exist).
// - a signed-in resident: apply as a citizen reviewer, one support vote per
//   application.
// - a reviewer: their own record, conflicts and seats; an application's
//   full text only while they hold a live seat on it and are not conflicted.
// Objects leave the server by their public ids; people are masked in
// public.
//
// Thread-safety: every method is safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/accounts/service.h"
#include "domains/fund/service.h"
#include "domains/grants/assign.h"
#include "domains/grants/attachments.h"
#include "domains/grants/model.h"
#include "domains/grants/scoring.h"

namespace carecity::grants {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;
using accounts::Principal;

struct NewCall {
  std::string title;
  std::string description;
  std::vector<std::string> project_types;
  Fen budget_fen = 0;
  Fen cap_fen = 0;
  int64_t opens_at_ms = 0;
  int64_t closes_at_ms = 0;
  std::optional<int64_t> support_closes_at_ms;
  std::optional<int64_t> review_at_ms;
  std::optional<int64_t> notice_at_ms;
  std::vector<std::string> funding_modes;
  int64_t min_cofunding_pct = 0;
  std::optional<std::string> min_org_rating;
  int64_t panel_experts = 0;
  int64_t panel_citizens = 0;
  std::vector<RubricLine> rubric;
  std::optional<int64_t> expert_weight_pct;
  bool normalise = false;
  std::optional<int64_t> purpose_id;
  int64_t objection_days = 7;
};

struct NewReviewer {
  std::optional<int64_t> user_id;  // experts: the account added (citizens: the caller)
  ReviewerKind kind = ReviewerKind::kExpert;
  std::vector<std::string> project_types;
  int64_t load_cap = 0;            // 0: the default (experts 8, citizens 5)
  std::optional<int64_t> village_id;
  std::string title;
  std::string statement;
  std::string declarations;
};

struct NewConflict {
  std::optional<int64_t> org_id;
  std::optional<int64_t> village_id;
  std::string note;
};

struct NewMeeting {
  std::string title;
  int64_t held_at_ms = 0;
  std::string venue;
  int64_t scores_due_ms = 0;
};

// An application and what the viewer may do with it.
struct ViewedApplication {
  Application app;
  Call call;
  bool owner = false;     // org_staff of the applicant
  bool admin = false;
  bool reviewer = false;  // holds a live seat and is not conflicted
  bool voted = false;
  std::vector<Attachment> attachments;  // for the owner, admins and reviewers only
};

// An attachment's metadata and bytes (GrantsService::GetAttachment).
struct AttachmentFile {
  Attachment meta;
  std::string bytes;
};

struct SupportVote {
  Application app;
  bool counted = false;  // false: this account had voted already
};

struct MeetingView {
  Meeting meeting;
  Call call;
  std::vector<Assignment> seats;  // every seat ever written (all statuses)
  std::vector<OpenSeats> open_seats;
};

// What one assignment run did. `seats` are the placements written (or, for
// a dry run, that would be), with the reviewers' ids and names.
struct AssignOutcome {
  Meeting meeting;
  AssignResult result;
  std::vector<Assignment> seats;
  std::map<int64_t, Label> apps;  // by internal id, for shortfalls
  int64_t elapsed_us = 0;
  bool dry_run = false;
};

// A manual swap: the new seat and the one it replaced (now removed).
struct SeatSwap {
  Assignment seat;
  Assignment replaced;
};

struct ReviewerHome {
  Reviewer reviewer;
  std::vector<Conflict> conflicts;
  std::vector<Assignment> seats;
};

// A reviewer's scoring sheet: the application, the call's rubric and their
// review (status "none" before anything is saved).
struct ReviewSheet {
  ViewedApplication app;
  Review review;
  std::optional<double> score;  // the weighted score of the saved scores (all criteria given)
  int64_t scores_due_ms = 0;
};

// What a fund admin sees of an application's review: the aggregate and each review.
struct ScoreSheet {
  Application app;
  Call call;
  AppScore score;
  std::vector<Review> reviews;
};

// A meeting's call ranked, with the budget-fill proposal (a proposal only:
// decisions are separate).
struct RankingView {
  Meeting meeting;
  Call call;
  std::vector<AppScore> ranked;
  std::vector<FillLine> fill;
  std::map<int64_t, Application> apps;
};

// A call's public notice (公示): the decided applications with their scores,
// and the objections (bodies for fund admins and each objector only).
struct NoticeView {
  Call call;
  Notice notice;
  RankingView results;  // `ranked` holds the decided applications only
  std::vector<Objection> objections;
};

// JSON of the objects (routes and the CLI).
boost::json::object CallJson(const Call& c, int64_t now_ms);
boost::json::object ApplicationJson(const ViewedApplication& v, int64_t now_ms);
// A row in a list: no budget lines, villages or co-funders.
boost::json::object ApplicationSummaryJson(const Application& a);
// `full`: with user and statement (fund admins, the reviewer themself).
boost::json::object ReviewerJson(const Reviewer& r, bool full);
boost::json::object MeetingJson(const Meeting& m);
boost::json::object SeatJson(const Assignment& s);
boost::json::object ReviewJson(const Review& r, const std::vector<RubricLine>& rubric);
boost::json::object ScoreJson(const AppScore& s);
boost::json::object RankingJson(const RankingView& v);
// `viewer`: who asks (bodies of objections for fund admins and their authors).
boost::json::object NoticeJson(const NoticeView& v, const std::optional<Principal>& viewer);
boost::json::object ObjectionJson(const Objection& o, bool full);
// {assignments, shortfalls, cost, ...}: POST .../assign's answer.
boost::json::object AssignOutcomeJson(const AssignOutcome& o);
// The panels as text, one application per block (`carecity grants assign`).
std::string PanelsText(const AssignOutcome& o);

class GrantsService {
 public:
  // All references must outlive the service; `cpu` runs the assigner.
  GrantsService(db::Store& store, fund::FundService& fund, accounts::AccountsService& accounts,
                boost::asio::thread_pool& cpu, const Clock& clock);

  // ---- Calls
  // fund_admin. Errors: forbidden, invalid fields (400 naming the field),
  // purpose_not_found.
  Task<Call> CreateCall(const Principal& p, NewCall in, std::string ip);
  Result<Call> CreateCallTx(db::Tx& tx, int64_t actor, const NewCall& in, const std::string& ip, int64_t now_ms);
  // Public. Errors: grants.call_not_found.
  Task<Call> GetCall(std::string call_id);
  // fund_admin: the call closes later (an extension only, while it is open:
  // a deadline never moves earlier, so no amendment the committed state
  // refuses can slip through). Errors: grants.call_not_found,
  // grants.call_not_open (409: closed already or not published),
  // grants.not_an_extension, grants.extension_too_late (422, closes_at_ms).
  Task<Call> ExtendCall(const Principal& p, std::string call_id, int64_t closes_at_ms, std::string ip);
  // Published calls newest first (fund admins also see cancelled ones).
  Task<std::vector<Call>> ListCalls(std::optional<Principal> p);

  // ---- Applications
  // org_staff of `org_id`: a draft in an open call. With an Idempotency-Key
  // (optional), a replay answers the first draft. Errors: forbidden,
  // grants.call_not_found, grants.call_not_open (409), invalid fields,
  // org_not_found, village_not_found, sponsorship_not_found,
  // idempotency_key_reused.
  Task<Application> CreateApplication(const Principal& p, std::string call_id, int64_t org_id, ApplicationDraft d,
                                      std::string idempotency_key, std::string ip);
  Result<Application> CreateApplicationTx(db::Tx& tx, int64_t actor, int64_t call_id, int64_t org_id,
                                          const ApplicationDraft& d, const std::string& ip, int64_t now_ms);
  // The owner replaces the draft's fields while draft or submitted and
  // before the close. Errors: grants.application_not_found (anyone but the
  // owner's staff), grants.deadline_passed (409), grants.not_amendable (409).
  Task<ViewedApplication> Amend(const Principal& p, std::string app_id, ApplicationDraft d, std::string ip);
  // draft -> submitted after the automatic checks. Errors: as Amend, and
  // the first failed check (422 naming the field: CheckApplication).
  Task<ViewedApplication> Submit(const Principal& p, std::string app_id, std::string ip);
  Result<Application> SubmitTx(db::Tx& tx, int64_t actor, int64_t app_id, const std::string& ip, int64_t now_ms);
  // draft | submitted -> withdrawn, before the close.
  Task<ViewedApplication> Withdraw(const Principal& p, std::string app_id, std::string ip);
  // The owner's staff, fund admins and seated non-conflicted reviewers see
  // it whole; anyone may see an application that passed eligibility (for
  // support votes), without the review. Errors: grants.application_not_found.
  Task<ViewedApplication> View(std::optional<Principal> p, std::string app_id);
  // Applications of the organisations the caller staffs, newest first.
  Task<std::vector<Application>> MyApplications(const Principal& p);
  // A call's applications: fund admins every one that was submitted (and
  // `status` filters); others those open for public support or beyond
  // (eligible, under_review, decided).
  Task<std::vector<Application>> CallApplications(std::optional<Principal> p, std::string call_id,
                                                  std::string status);
  // fund_admin, after the close: submitted -> eligible | ineligible (again,
  // until a seat is assigned). Errors: grants.call_still_open, grants.not_checkable.
  Task<ViewedApplication> SetEligibility(const Principal& p, std::string app_id, bool eligible, std::string note,
                                         std::string ip);
  Result<Application> SetEligibilityTx(db::Tx& tx, int64_t actor, int64_t app_id, bool eligible,
                                       const std::string& note, const std::string& ip, int64_t now_ms);
  // A signed-in resident's support vote (one per account). Errors:
  // grants.application_not_found, grants.support_closed (409).
  Task<SupportVote> Support(const Principal& p, std::string app_id);

  // ---- Reviewer pool
  // fund_admin adds an expert (approved at once). Errors: forbidden,
  // user_not_found, grants.already_reviewer (409), invalid fields.
  Task<Reviewer> AddExpert(const Principal& p, NewReviewer in, std::string ip);
  // The caller applies as a citizen reviewer (status applied); the village
  // defaults to their home village. Errors: grants.already_reviewer,
  // grants.village_required, village_not_found.
  Task<Reviewer> ApplyCitizen(const Principal& p, NewReviewer in, std::string ip);
  Result<Reviewer> AddReviewerTx(db::Tx& tx, std::optional<int64_t> actor, const NewReviewer& in,
                                 const std::string& status, const std::string& ip, int64_t now_ms);
  // fund_admin: applied -> approved (and the `reviewer` role) | rejected.
  // Errors: grants.reviewer_not_found, grants.not_applied (409).
  Task<Reviewer> DecideReviewer(const Principal& p, std::string reviewer_id, bool approve, std::string ip);
  Result<Reviewer> DecideReviewerTx(db::Tx& tx, std::optional<int64_t> actor, int64_t reviewer_id, bool approve,
                                    const std::string& ip, int64_t now_ms);
  // The reviewer (their own) or a fund admin declares a conflict; any live
  // seat it now conflicts with is removed (the seat opens for reassignment).
  // Errors: grants.reviewer_not_found, org_not_found, village_not_found,
  // invalid (neither org nor village).
  Task<Conflict> DeclareConflict(const Principal& p, std::string reviewer_id, NewConflict in, std::string ip);
  Result<Conflict> DeclareConflictTx(db::Tx& tx, int64_t actor, int64_t reviewer_id, const NewConflict& in,
                                     const std::string& ip, int64_t now_ms);
  // fund_admin: the pool (status filters: applied | approved | rejected).
  Task<std::vector<Reviewer>> ListReviewers(const Principal& p, std::string status);
  // The caller's reviewer record, conflicts and seats. Errors:
  // grants.reviewer_not_found (not a reviewer).
  Task<ReviewerHome> MyReviewer(const Principal& p);

  // ---- Meetings and panels
  // fund_admin. Errors: grants.call_not_found, invalid fields.
  Task<Meeting> CreateMeeting(const Principal& p, std::string call_id, NewMeeting in, std::string ip);
  Result<Meeting> CreateMeetingTx(db::Tx& tx, int64_t actor, int64_t call_id, const NewMeeting& in,
                                  const std::string& ip, int64_t now_ms);
  // fund_admin: the meeting and every seat. Errors: grants.meeting_not_found.
  Task<MeetingView> GetMeeting(const Principal& p, std::string meeting_id);
  // fund_admin (or the operator's command line: `actor` nullopt): solves
  // the meeting's panels (assign.h) and writes them as proposed seats,
  // replacing this meeting's unanswered ones; accepted seats stay. Every
  // seat is written through the guarded insert, so a pool that changed
  // meanwhile is re-solved once and then refused (grants.pool_changed, 409).
  // A dry run writes nothing. Errors: grants.meeting_not_found,
  // grants.meeting_closed.
  Task<AssignOutcome> Assign(const Principal& p, std::string meeting_id, bool dry_run, std::string ip);
  Task<AssignOutcome> AssignAs(std::optional<int64_t> actor, std::string meeting_id, bool dry_run, std::string ip);
  // A reviewer marks themself (or a fund admin marks `reviewer_id`)
  // unavailable for a meeting, or available again.
  Task<bool> SetAvailability(const Principal& p, std::string meeting_id, std::optional<std::string> reviewer_id,
                             bool available);
  // The seat's reviewer accepts (proposed -> accepted) or declines
  // (proposed | accepted -> declined; the seat reopens and the reviewer is
  // never placed on that application again). Errors: grants.seat_not_found
  // (anyone else), grants.seat_not_open (409).
  Task<Assignment> AnswerSeat(const Principal& p, std::string seat_id, bool accept);
  // fund_admin: a live seat goes to another reviewer of the same kind (the
  // old seat is removed, and with it the old reviewer's review). The seat
  // insert re-checks every rule, so a conflicted, unavailable, over-loaded
  // reviewer, or one who declined this application, is refused and nothing
  // changes. Errors: grants.seat_not_found, grants.reviewer_not_found,
  // grants.meeting_closed, grants.seat_not_open (409),
  // grants.reviewer_kind_mismatch, grants.same_reviewer (422), and the
  // refusal (409: grants.conflict_of_interest, grants.reviewer_unavailable,
  // grants.over_load_cap, grants.reviewer_declined,
  // grants.reviewer_not_approved).
  Task<SeatSwap> SwapSeat(const Principal& p, std::string seat_id, std::string reviewer_id, std::string ip);

  // ---- Reviews and scores
  // The caller's scoring sheet for an application they hold a live,
  // unconflicted seat on. Errors: grants.seat_not_found (404 for anyone else).
  Task<ReviewSheet> GetReview(const Principal& p, std::string app_id);
  // Saves the caller's review: `status` draft (any criteria so far),
  // submitted (every criterion, 0..10) or abstained (no scores). Accepts a
  // proposed seat. Errors: grants.seat_not_found, grants.scores_closed (409:
  // past the meeting's scores_due_ms), grants.review_recused (409),
  // invalid scores naming "scores.<criterion>" (missing_score,
  // score_out_of_range, unknown_criterion).
  Task<ReviewSheet> PutReview(const Principal& p, std::string app_id, std::string status,
                              std::map<std::string, int> scores, std::string comment, std::string ip);
  Result<Review> PutReviewTx(db::Tx& tx, int64_t reviewer_id, int64_t app_id, const std::string& status,
                             const std::map<std::string, int>& scores, const std::string& comment,
                             const std::string& ip, int64_t now_ms);
  // fund_admin, not conflicted with the application (else 404): the
  // aggregate (weighted means, expert and citizen side by side, normalised
  // when the call says so) and each review.
  Task<ScoreSheet> Scores(const Principal& p, std::string app_id);
  // fund_admin: the meeting's call ranked with the budget-fill proposal.
  Task<RankingView> Ranking(const Principal& p, std::string meeting_id);
  // fund_admin: a reviewer's review no longer counts (recused). Errors:
  // grants.reviewer_not_found, grants.seat_not_found.
  Task<Review> Recuse(const Principal& p, std::string app_id, std::string reviewer_id, std::string ip);
  // ---- Decisions and the notice
  // fund_admin: approve (with the amount: 1..min(requested, cap)) or reject
  // an application under review, with a reason; a decision may change until
  // the notice. The call's awarded total never passes its budget: one
  // conditional UPDATE moves it. Errors: grants.award_out_of_range (422),
  // grants.over_budget, grants.not_decidable, grants.notice_published,
  // grants.decision_changed (409: decided meanwhile).
  Task<ViewedApplication> Decide(const Principal& p, std::string app_id, std::string decision, Fen awarded_fen,
                                 std::string reason, std::string ip);
  Result<Application> DecideTx(db::Tx& tx, int64_t actor, int64_t app_id, const std::string& decision,
                               Fen awarded_fen, const std::string& reason, const std::string& ip, int64_t now_ms);
  // fund_admin: publishes the call's results once every application under
  // review is decided; objections are taken for the call's objection_days.
  // Errors: grants.undecided_applications, grants.notice_published.
  Task<NoticeView> PublishNotice(const Principal& p, std::string call_id, std::string note, std::string ip);
  Result<Notice> PublishNoticeTx(db::Tx& tx, int64_t actor, int64_t call_id, const std::string& note,
                                 const std::string& ip, int64_t now_ms);
  // Public. Errors: grants.notice_not_found.
  Task<NoticeView> GetNotice(std::optional<Principal> p, std::string call_id);
  // A signed-in resident objects to a decided application while the
  // window is open. Errors: grants.notice_not_found,
  // grants.application_not_found, grants.objections_closed (409).
  Task<Objection> Object(const Principal& p, std::string notice_id, std::string app_id, std::string body);
  // fund_admin answers an objection (upheld or dismissed), once.
  // Errors: grants.objection_not_found, grants.already_answered (409).
  Task<Objection> AnswerObjection(const Principal& p, std::string objection_id, bool upheld, std::string answer,
                                  std::string ip);

  // ---- Attachments (attachments.cc)
  // The applicant organisation's staff add a file while the application
  // may be amended (draft or submitted, before the close: decided by the
  // INSERT, with the count below kMaxAttachments). The type is the bytes'
  // (SniffAttachmentType); the name is sanitised (SanitiseFileName).
  // Errors: grants.application_not_found (anyone else), label / name
  // (400: invalid_utf8, invalid_characters, too_long),
  // grants.attachment_empty (400), grants.attachment_too_large (413),
  // grants.attachment_type (422), grants.too_many_attachments,
  // grants.deadline_passed, grants.not_amendable (409).
  Task<Attachment> AddAttachment(const Principal& p, std::string app_id, std::string label, std::string name,
                                 std::string bytes, std::string ip);
  // A file with its bytes, for whoever reads the application in full (the
  // owner's staff, fund admins, seated unconflicted reviewers: ViewTx).
  // Errors: grants.application_not_found (anyone else),
  // grants.attachment_not_found.
  Task<AttachmentFile> GetAttachment(std::optional<Principal> p, std::string app_id, std::string attachment_id);
  // The owner's staff remove a file, under AddAttachment's state and
  // deadline rule (in the DELETE). Returns what was removed. Errors:
  // grants.application_not_found, grants.attachment_not_found,
  // grants.deadline_passed, grants.not_amendable.
  Task<Attachment> DeleteAttachment(const Principal& p, std::string app_id, std::string attachment_id,
                                    std::string ip);

  // fund_admin: a call's meetings, newest first.
  Task<std::vector<Meeting>> ListMeetings(const Principal& p, std::string call_id);

  const Clock& clock() const { return clock_; }

 private:
  Result<ViewedApplication> ViewTx(db::Tx& tx, const std::optional<Principal>& p, int64_t app_id);
  // The reviewer record of `user_id` that holds a live seat on `app_id`
  // without a conflict.
  bool SeatedReviewerTx(db::Tx& tx, int64_t user_id, int64_t app_id);
  Result<std::vector<Assignment>> WriteSeats(db::Tx& tx, std::optional<int64_t> actor, const Meeting& m,
                                             const Call& c, const AssignResult& r, int64_t now_ms);

  db::Store& store_;
  fund::FundService& fund_;
  accounts::AccountsService& accounts_;
  boost::asio::thread_pool& cpu_;
  const Clock& clock_;
};

}  // namespace carecity::grants
