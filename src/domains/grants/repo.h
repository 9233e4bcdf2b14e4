// SQL for grant calls, applications, the reviewer pool and meetings. Runs in
// the caller's transaction. The rules on scarce or time-bound things are in
// the statements (the deadline in the amend's WHERE, a seat's panel size,
// load cap, availability and conflicts in the INSERT ... SELECT that writes
// it); everything else is decided by the service.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/grants/assign.h"
#include "domains/grants/model.h"

namespace carecity::grants::repo {

// ---- Calls
int64_t InsertCall(db::Tx& tx, const Call& c);
std::optional<Call> FindCall(db::Tx& tx, int64_t id);
std::optional<int64_t> CallIdByPublicId(db::Tx& tx, const std::string& public_id);
// Calls newest first (cancelled ones only when `with_cancelled`).
std::vector<Call> ListCalls(db::Tx& tx, bool with_cancelled, int limit);
// Moves a published call's close later, while it is still open and not
// past its review date or support phase. False if any of that fails.
bool ExtendCall(db::Tx& tx, int64_t id, int64_t closes_at_ms, int64_t now_ms);

// ---- Applications
int64_t InsertApplication(db::Tx& tx, const Application& a);
// Replaces the budget lines, villages and co-funders (under the
// application's row lock: after InsertApplication or a successful Amend).
void ReplaceChildren(db::Tx& tx, int64_t application_id, const ApplicationDraft& d);
std::optional<Application> FindApplication(db::Tx& tx, int64_t id);
std::optional<int64_t> ApplicationIdByPublicId(db::Tx& tx, const std::string& public_id);

// Writes the draft's fields, if the application is `org_id`'s, still draft
// or submitted, and its call has not closed at `now_ms`. The one statement
// that decides the deadline (and takes the row lock). False if not written.
bool Amend(db::Tx& tx, int64_t id, int64_t org_id, const ApplicationDraft& d, Fen total_fen, int64_t now_ms);
// draft -> submitted (with the automatic checks' result) before the close.
bool Submit(db::Tx& tx, int64_t id, const std::string& auto_checks, int64_t now_ms);
// draft | submitted -> withdrawn before the close.
bool Withdraw(db::Tx& tx, int64_t id, int64_t now_ms);
// submitted -> eligible | ineligible, once the call has closed.
bool SetEligibility(db::Tx& tx, int64_t id, bool eligible, const std::string& note, int64_t by, int64_t now_ms);

struct AppFilter {
  std::optional<int64_t> call_id;
  std::vector<int64_t> org_ids;        // any of (when not empty)
  std::vector<std::string> statuses;   // any of (when not empty)
  int limit = 200;
};
// Newest first, without children (budget lines etc. are empty).
std::vector<Application> ListApplications(db::Tx& tx, const AppFilter& f);

// One support vote by `user_id` while the application is eligible and the
// call's support phase runs: true if this call counted it (false: already
// voted, or not open for votes).
bool AddSupportVote(db::Tx& tx, int64_t application_id, int64_t user_id, int64_t now_ms);
bool HasVoted(db::Tx& tx, int64_t application_id, int64_t user_id);

// ---- Reviewers
int64_t InsertReviewer(db::Tx& tx, const Reviewer& r);
void ReplaceTags(db::Tx& tx, int64_t reviewer_id, const std::vector<std::string>& types);
std::optional<Reviewer> FindReviewer(db::Tx& tx, int64_t id);
std::optional<int64_t> ReviewerIdByPublicId(db::Tx& tx, const std::string& public_id);
std::optional<int64_t> ReviewerIdByUser(db::Tx& tx, int64_t user_id);
std::vector<Reviewer> ListReviewers(db::Tx& tx, const std::optional<std::string>& status, int limit);
// applied -> approved | rejected. False if not applied.
bool DecideReviewer(db::Tx& tx, int64_t id, bool approve, std::optional<int64_t> by, int64_t now_ms);
int64_t InsertConflict(db::Tx& tx, const Conflict& c, int64_t declared_by);
std::vector<Conflict> ConflictsOf(db::Tx& tx, int64_t reviewer_id);
// Whether the reviewer has a conflict (declared or automatic) with the
// application: the same predicate the seat insert uses.
bool Conflicted(db::Tx& tx, int64_t reviewer_id, int64_t application_id);
// Live seats of the reviewer that are now conflicted -> removed; how many.
int64_t RemoveConflictedSeats(db::Tx& tx, int64_t reviewer_id, int64_t now_ms);

// ---- Meetings and seats
int64_t InsertMeeting(db::Tx& tx, const Meeting& m);
std::optional<Meeting> FindMeeting(db::Tx& tx, int64_t id);
std::optional<int64_t> MeetingIdByPublicId(db::Tx& tx, const std::string& public_id);
void SetUnavailable(db::Tx& tx, int64_t meeting_id, int64_t reviewer_id, bool unavailable, int64_t now_ms);

// What the assigner needs for `meeting`'s call, read in one job and sorted
// by id: applications under review or eligible with their open seats per
// kind (the call's panel minus accepted seats, and minus proposed seats of
// other meetings), approved reviewers with their tags, load (live seats in
// the call, not counting this meeting's proposed ones) and availability,
// and the pairs excluded (conflicts, declines, seats already held).
AssignInput LoadAssignInput(db::Tx& tx, const Meeting& m, const Call& c);

// Deletes the meeting's proposed (unanswered) seats; how many.
int64_t DropProposed(db::Tx& tx, int64_t meeting_id);
// The lowest free seat numbers of an application for a kind, `n` of them.
std::vector<int64_t> FreeSeats(db::Tx& tx, int64_t application_id, ReviewerKind kind, int64_t panel, int n);
// Writes a proposed seat if every rule still holds (panel size, reviewer
// approved and of that kind, no conflict, available, under the load cap,
// never declined this application, application eligible or under review); takes the reviewer's row lock
// first. False if a rule refused it. Throws DbError kUnique on a seat or
// pair already live (the partial unique indexes).
bool InsertSeat(db::Tx& tx, const Assignment& a, std::optional<int64_t> by);
// eligible -> under_review for the call's applications with a live seat.
void MarkUnderReview(db::Tx& tx, int64_t call_id, int64_t now_ms);
void SetMeetingAssigned(db::Tx& tx, int64_t meeting_id, int64_t cost);
// The seat with that public id (any status), with its application and reviewer.
std::optional<Assignment> FindSeat(db::Tx& tx, const std::string& public_id);
// A live seat -> removed. False if it was no longer live.
bool RemoveSeat(db::Tx& tx, int64_t seat_id, int64_t now_ms);
// The seat's reviewer answers: proposed -> accepted, or proposed | accepted
// -> declined. False if the seat was not in such a state.
bool AnswerSeat(db::Tx& tx, int64_t seat_id, bool accept, int64_t now_ms);
// Public id and title (or name) by internal id, for answers that name them.
std::map<int64_t, Label> ApplicationLabels(db::Tx& tx, int64_t call_id);
std::map<int64_t, Label> ApprovedReviewerLabels(db::Tx& tx);
// Why InsertSeat refused reviewer `reviewer_id` on the application: an
// error key (grants.conflict_of_interest, grants.reviewer_not_approved,
// grants.reviewer_declined, grants.reviewer_unavailable,
// grants.over_load_cap; grants.pool_changed if none applies any more). For
// the message only: InsertSeat's own WHERE is what decides.
std::string SeatRefusal(db::Tx& tx, int64_t reviewer_id, int64_t application_id, int64_t meeting_id);
std::vector<Assignment> MeetingAssignments(db::Tx& tx, int64_t meeting_id, bool live_only);
// The call's eligible and under-review applications with seats nobody
// holds, by application then kind (experts first).
std::vector<OpenSeats> OpenSeatsOfCall(db::Tx& tx, int64_t call_id);
std::vector<Assignment> ReviewerAssignments(db::Tx& tx, int64_t reviewer_id);

// ---- Reviews
// Writes the reviewer's review (and replaces its scores) if they hold a live
// seat on the application without a conflict, the seat's meeting has not
// passed its scores_due_ms and the review was not recused: one INSERT ...
// SELECT ... ON CONFLICT DO UPDATE decides all of it. A proposed seat is
// accepted by it. False if refused.
bool UpsertReview(db::Tx& tx, int64_t application_id, int64_t reviewer_id, const std::string& status,
                  const std::string& comment, const std::map<std::string, int>& scores, int64_t now_ms);
// The review as stored, or nullopt.
std::optional<Review> FindReview(db::Tx& tx, int64_t application_id, int64_t reviewer_id);
// The call's reviews that count: those of reviewers still holding a live
// seat on the application, plus recused ones; by application then reviewer.
std::vector<Review> ReviewsOfCall(db::Tx& tx, int64_t call_id);
// The meeting of the reviewer's live seat on the application, or nullopt.
std::optional<int64_t> LiveSeatMeeting(db::Tx& tx, int64_t application_id, int64_t reviewer_id);
// Marks the review recused by `by` (creating it if need be) and removes its
// scores; the reviewer must hold or have held a seat on the application.
bool Recuse(db::Tx& tx, int64_t application_id, int64_t reviewer_id, int64_t meeting_id, int64_t by, int64_t now_ms);
std::vector<Meeting> MeetingsOfCall(db::Tx& tx, int64_t call_id);

// ---- Decisions, the notice and objections
// Moves the call's awarded total by `delta_fen` if it stays within 0 and
// the budget (the one statement that guards the budget). False if not.
bool AddAwarded(db::Tx& tx, int64_t call_id, Fen delta_fen);
// Records the decision if the application is under review or decided and
// its award is still `old_awarded_fen` (a concurrent decision changes it).
bool Decide(db::Tx& tx, int64_t application_id, const std::string& decision, Fen awarded_fen, Fen old_awarded_fen,
            const std::string& reason, int64_t by, int64_t now_ms);
int64_t CountUndecided(db::Tx& tx, int64_t call_id);
// The call's notice; throws DbError kUnique if it has one already.
int64_t InsertNotice(db::Tx& tx, const Notice& n, int64_t by);
std::optional<Notice> NoticeOfCall(db::Tx& tx, int64_t call_id);
std::optional<Notice> FindNotice(db::Tx& tx, int64_t id);
std::optional<int64_t> NoticeIdByPublicId(db::Tx& tx, const std::string& public_id);
// An objection to a decided application of the notice's call, while its
// window is open. False if the window closed or the application is not in it.
bool InsertObjection(db::Tx& tx, const Objection& o);
std::vector<Objection> ObjectionsOf(db::Tx& tx, int64_t notice_id);
std::optional<Objection> FindObjection(db::Tx& tx, int64_t id);
std::optional<int64_t> ObjectionIdByPublicId(db::Tx& tx, const std::string& public_id);
// open -> upheld | dismissed with the answer. False if already answered.
bool AnswerObjection(db::Tx& tx, int64_t id, bool upheld, const std::string& answer, int64_t by, int64_t now_ms);

}  // namespace carecity::grants::repo
