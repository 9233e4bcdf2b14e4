#include "domains/grants/repo.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "db/lock.h"

namespace carecity::grants::repo {
namespace {

// Live seats hold a place on a panel and count towards a reviewer's load.
constexpr const char* kLive = "('proposed', 'accepted')";

// True when reviewer `r` has a conflict of interest with application `a`
// (both aliases in the enclosing query): a declared conflict with the
// applicant organisation or a village the project serves; staff of the
// applicant (org_staff) or of a served village (village_staff); or living in
// a served village (a citizen's registered village, anyone's home village).
// The one definition: the assigner's loader, the seat insert and the
// single-pair check all use it. Never NULL (the seat insert says NOT of it).
constexpr const char* kConflict =
    "(EXISTS (SELECT 1 FROM grants_conflicts cf WHERE cf.reviewer_id = r.id AND (cf.org_id = a.org_id OR "
    "cf.village_id IN (SELECT sv.village_id FROM grants_app_villages sv WHERE sv.application_id = a.id))) "
    "OR EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = r.user_id AND ((ur.role = 'org_staff' AND "
    "ur.org_id = a.org_id) OR (ur.role = 'village_staff' AND ur.village_id IN (SELECT sv.village_id FROM "
    "grants_app_villages sv WHERE sv.application_id = a.id)))) "
    "OR (r.village_id IS NOT NULL AND r.village_id IN (SELECT sv.village_id FROM grants_app_villages sv WHERE "
    "sv.application_id = a.id)) "
    "OR EXISTS (SELECT 1 FROM users hu WHERE hu.id = r.user_id AND hu.home_village_id IN (SELECT sv.village_id "
    "FROM grants_app_villages sv WHERE sv.application_id = a.id)))";

constexpr const char* kCallColumns =
    "id, public_id, title, description, purpose_id, budget_fen, cap_fen, awarded_fen, opens_at_ms, closes_at_ms, "
    "support_closes_at_ms, review_at_ms, notice_at_ms, objection_days, min_cofunding_pct, min_org_rating, "
    "panel_experts, panel_citizens, expert_weight_pct, normalise, status, created_by, created_at_ms";

Call ReadCall(const db::Row& r) {
  Call c;
  c.id = r.Int(0);
  c.public_id = r.Text(1);
  c.title = r.Text(2);
  c.description = r.Text(3);
  c.purpose_id = r.OptInt(4);
  c.budget_fen = r.Int(5);
  c.cap_fen = r.Int(6);
  c.awarded_fen = r.Int(7);
  c.opens_at_ms = r.Int(8);
  c.closes_at_ms = r.Int(9);
  c.support_closes_at_ms = r.OptInt(10);
  c.review_at_ms = r.OptInt(11);
  c.notice_at_ms = r.OptInt(12);
  c.objection_days = r.Int(13);
  c.min_cofunding_pct = r.Int(14);
  c.min_org_rating = r.OptText(15);
  c.panel_experts = r.Int(16);
  c.panel_citizens = r.Int(17);
  c.expert_weight_pct = r.OptInt(18);
  c.normalise = r.Bool(19);
  c.status = r.Text(20);
  c.created_by = r.Int(21);
  c.created_at_ms = r.Int(22);
  return c;
}

void LoadCallChildren(db::Tx& tx, Call& c) {
  const auto types = tx.Query("SELECT project_type FROM grants_call_types WHERE call_id = $1 ORDER BY ord", {c.id});
  for (size_t i = 0; i < types.size(); ++i) {
    c.project_types.push_back(types[i].Text(0));
  }
  const auto modes = tx.Query(
      "SELECT mode FROM grants_call_modes WHERE call_id = $1 ORDER BY CASE mode WHEN 'full' THEN 1 WHEN 'joint' "
      "THEN 2 ELSE 3 END",
      {c.id});
  for (size_t i = 0; i < modes.size(); ++i) {
    c.funding_modes.push_back(modes[i].Text(0));
  }
  const auto rubric = tx.Query("SELECT criterion, weight FROM grants_rubric WHERE call_id = $1 ORDER BY ord", {c.id});
  for (size_t i = 0; i < rubric.size(); ++i) {
    c.rubric.push_back({rubric[i].Text(0), rubric[i].Int(1)});
  }
}

constexpr const char* kAppColumns =
    "a.id, a.public_id, a.call_id, c.public_id, a.org_id, o.name, a.title, a.project_type, a.summary, "
    "a.beneficiaries, a.beneficiary_count, a.goals, a.indicators, a.activities, a.starts_at_ms, a.ends_at_ms, "
    "a.total_fen, a.requested_fen, a.funding_mode, a.partner_name, a.in_kind_note, a.in_kind_fen, "
    "a.sponsorship_id, a.status, a.auto_checks, a.eligibility_note, a.decision, a.awarded_fen, a.decision_reason, "
    "a.support_count, a.version, a.submitted_at_ms, a.created_by, a.created_at_ms, a.updated_at_ms";
constexpr const char* kAppFrom =
    " FROM grants_applications a JOIN grants_calls c ON c.id = a.call_id JOIN orgs o ON o.id = a.org_id";

Application ReadApplication(const db::Row& r) {
  Application a;
  a.id = r.Int(0);
  a.public_id = r.Text(1);
  a.call_id = r.Int(2);
  a.call_public_id = r.Text(3);
  a.org_id = r.Int(4);
  a.org_name = r.Text(5);
  a.d.title = r.Text(6);
  a.d.project_type = r.Text(7);
  a.d.summary = r.Text(8);
  a.d.beneficiaries = r.Text(9);
  a.d.beneficiary_count = r.Int(10);
  a.d.goals = r.Text(11);
  a.d.indicators = r.Text(12);
  a.d.activities = r.Text(13);
  a.d.starts_at_ms = r.OptInt(14);
  a.d.ends_at_ms = r.OptInt(15);
  a.total_fen = r.Int(16);
  a.d.requested_fen = r.Int(17);
  a.d.funding_mode = r.Text(18);
  a.d.partner_name = r.Text(19);
  a.d.in_kind_note = r.Text(20);
  a.d.in_kind_fen = r.Int(21);
  a.d.sponsorship_id = r.OptInt(22);
  a.status = r.Text(23);
  a.auto_checks = r.Text(24);
  a.eligibility_note = r.Text(25);
  a.decision = r.OptText(26);
  a.awarded_fen = r.Int(27);
  a.decision_reason = r.Text(28);
  a.support_count = r.Int(29);
  a.version = r.Int(30);
  a.submitted_at_ms = r.OptInt(31);
  a.created_by = r.Int(32);
  a.created_at_ms = r.Int(33);
  a.updated_at_ms = r.Int(34);
  return a;
}

constexpr const char* kReviewerColumns =
    "r.id, r.public_id, r.user_id, u.display_name, r.kind, r.status, r.village_id, COALESCE(v.name, ''), r.title, "
    "r.statement, r.declarations, r.load_cap, r.created_at_ms";
constexpr const char* kReviewerFrom =
    " FROM grants_reviewers r JOIN users u ON u.id = r.user_id LEFT JOIN villages v ON v.id = r.village_id";

Reviewer ReadReviewer(const db::Row& row) {
  Reviewer r;
  r.id = row.Int(0);
  r.public_id = row.Text(1);
  r.user_id = row.Int(2);
  r.display_name = row.Text(3);
  r.kind = ParseKind(row.Text(4)).value_or(ReviewerKind::kExpert);
  r.status = row.Text(5);
  r.village_id = row.OptInt(6);
  r.village_name = row.Text(7);
  r.title = row.Text(8);
  r.statement = row.Text(9);
  r.declarations = row.Text(10);
  r.load_cap = row.Int(11);
  r.created_at_ms = row.Int(12);
  return r;
}

void LoadTags(db::Tx& tx, Reviewer& r) {
  const auto rows =
      tx.Query("SELECT project_type FROM grants_reviewer_tags WHERE reviewer_id = $1 ORDER BY project_type", {r.id});
  for (size_t i = 0; i < rows.size(); ++i) {
    r.project_types.push_back(rows[i].Text(0));
  }
}

constexpr const char* kMeetingColumns =
    "m.id, m.public_id, m.call_id, c.public_id, m.title, m.held_at_ms, m.venue, m.scores_due_ms, m.status, "
    "m.last_cost, m.created_at_ms";

Meeting ReadMeeting(const db::Row& r) {
  Meeting m;
  m.id = r.Int(0);
  m.public_id = r.Text(1);
  m.call_id = r.Int(2);
  m.call_public_id = r.Text(3);
  m.title = r.Text(4);
  m.held_at_ms = r.Int(5);
  m.venue = r.Text(6);
  m.scores_due_ms = r.Int(7);
  m.status = r.Text(8);
  m.last_cost = r.OptInt(9);
  m.created_at_ms = r.Int(10);
  return m;
}

constexpr const char* kSeatColumns =
    "s.id, s.public_id, s.meeting_id, s.application_id, a.public_id, a.title, a.project_type, s.reviewer_id, "
    "r.public_id, u.display_name, s.kind, s.seat_no, s.status, s.cost, s.reason, s.created_at_ms";
constexpr const char* kSeatFrom =
    " FROM grants_assignments s JOIN grants_applications a ON a.id = s.application_id JOIN grants_reviewers r ON "
    "r.id = s.reviewer_id JOIN users u ON u.id = r.user_id";

Assignment ReadSeat(const db::Row& r) {
  Assignment s;
  s.id = r.Int(0);
  s.public_id = r.Text(1);
  s.meeting_id = r.Int(2);
  s.application_id = r.Int(3);
  s.application_public_id = r.Text(4);
  s.application_title = r.Text(5);
  s.project_type = r.Text(6);
  s.reviewer_id = r.Int(7);
  s.reviewer_public_id = r.Text(8);
  s.reviewer_name = r.Text(9);
  s.kind = ParseKind(r.Text(10)).value_or(ReviewerKind::kExpert);
  s.seat_no = r.Int(11);
  s.status = r.Text(12);
  s.cost = r.Int(13);
  s.reason = r.Text(14);
  s.created_at_ms = r.Int(15);
  return s;
}

std::optional<int64_t> IdByPublicId(db::Tx& tx, const char* sql, const std::string& public_id) {
  const auto rows = tx.Query(sql, {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

// "$k, $k+1, ..." for n parameters starting at k.
std::string Placeholders(size_t first, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += "$" + std::to_string(first + i);
  }
  return out;
}

}  // namespace

// ---- Calls

int64_t InsertCall(db::Tx& tx, const Call& c) {
  const int64_t id = tx.Insert(
      "INSERT INTO grants_calls (public_id, title, description, purpose_id, budget_fen, cap_fen, opens_at_ms, "
      "closes_at_ms, support_closes_at_ms, review_at_ms, notice_at_ms, objection_days, min_cofunding_pct, "
      "min_org_rating, panel_experts, panel_citizens, expert_weight_pct, normalise, status, created_by, "
      "created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
      "'published', $19, $20)",
      {c.public_id, c.title, c.description, c.purpose_id, c.budget_fen, c.cap_fen, c.opens_at_ms, c.closes_at_ms,
       c.support_closes_at_ms, c.review_at_ms, c.notice_at_ms, c.objection_days, c.min_cofunding_pct,
       c.min_org_rating, c.panel_experts, c.panel_citizens, c.expert_weight_pct, c.normalise, c.created_by,
       c.created_at_ms});
  for (size_t i = 0; i < c.project_types.size(); ++i) {
    tx.Exec("INSERT INTO grants_call_types (call_id, project_type, ord) VALUES ($1, $2, $3)",
            {id, c.project_types[i], static_cast<int64_t>(i)});
  }
  for (const std::string& m : c.funding_modes) {
    tx.Exec("INSERT INTO grants_call_modes (call_id, mode) VALUES ($1, $2)", {id, m});
  }
  for (size_t i = 0; i < c.rubric.size(); ++i) {
    tx.Exec("INSERT INTO grants_rubric (call_id, criterion, weight, ord) VALUES ($1, $2, $3, $4)",
            {id, c.rubric[i].criterion, c.rubric[i].weight, static_cast<int64_t>(i)});
  }
  return id;
}

bool ExtendCall(db::Tx& tx, int64_t id, int64_t closes_at_ms, int64_t now_ms) {
  return tx.Exec("UPDATE grants_calls SET closes_at_ms = $2 WHERE id = $1 AND status = 'published' AND "
                 "$3 < closes_at_ms AND closes_at_ms < $2 AND (review_at_ms IS NULL OR $2 <= review_at_ms) AND "
                 "(support_closes_at_ms IS NULL OR $2 < support_closes_at_ms)",
                 {id, closes_at_ms, now_ms}) == 1;
}

std::optional<Call> FindCall(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string("SELECT ") + kCallColumns + " FROM grants_calls WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  Call c = ReadCall(rows.front());
  LoadCallChildren(tx, c);
  return c;
}

std::optional<int64_t> CallIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_calls WHERE public_id = $1", public_id);
}

std::vector<Call> ListCalls(db::Tx& tx, bool with_cancelled, int limit) {
  const auto rows = tx.Query(std::string("SELECT ") + kCallColumns + " FROM grants_calls" +
                                 (with_cancelled ? "" : " WHERE status = 'published'") +
                                 " ORDER BY opens_at_ms DESC, id DESC LIMIT $1",
                             {limit});
  std::vector<Call> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadCall(rows[i]));
    LoadCallChildren(tx, out.back());
  }
  return out;
}

// ---- Applications

int64_t InsertApplication(db::Tx& tx, const Application& a) {
  const ApplicationDraft& d = a.d;
  return tx.Insert(
      "INSERT INTO grants_applications (public_id, call_id, org_id, title, project_type, summary, beneficiaries, "
      "beneficiary_count, goals, indicators, activities, starts_at_ms, ends_at_ms, total_fen, requested_fen, "
      "funding_mode, partner_name, in_kind_note, in_kind_fen, sponsorship_id, status, created_by, created_at_ms, "
      "updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
      "$20, 'draft', $21, $22, $22)",
      {a.public_id, a.call_id, a.org_id, d.title, d.project_type, d.summary, d.beneficiaries, d.beneficiary_count,
       d.goals, d.indicators, d.activities, d.starts_at_ms, d.ends_at_ms, a.total_fen, d.requested_fen,
       d.funding_mode, d.partner_name, d.in_kind_note, d.in_kind_fen, d.sponsorship_id, a.created_by,
       a.created_at_ms});
}

void ReplaceChildren(db::Tx& tx, int64_t id, const ApplicationDraft& d) {
  tx.Exec("DELETE FROM grants_budget_lines WHERE application_id = $1", {id});
  tx.Exec("DELETE FROM grants_app_villages WHERE application_id = $1", {id});
  tx.Exec("DELETE FROM grants_cofunders WHERE application_id = $1", {id});
  for (size_t i = 0; i < d.budget_lines.size(); ++i) {
    tx.Exec("INSERT INTO grants_budget_lines (application_id, ord, item, amount_fen) VALUES ($1, $2, $3, $4)",
            {id, static_cast<int64_t>(i), d.budget_lines[i].item, d.budget_lines[i].amount_fen});
  }
  for (int64_t v : d.village_ids) {
    tx.Exec("INSERT INTO grants_app_villages (application_id, village_id) VALUES ($1, $2)", {id, v});
  }
  for (size_t i = 0; i < d.co_funders.size(); ++i) {
    const CoFunder& c = d.co_funders[i];
    tx.Exec("INSERT INTO grants_cofunders (application_id, ord, name, org_id, share_fen) VALUES ($1, $2, $3, $4, $5)",
            {id, static_cast<int64_t>(i), c.name, c.org_id, c.share_fen});
  }
}

std::optional<Application> FindApplication(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string("SELECT ") + kAppColumns + kAppFrom + " WHERE a.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  Application a = ReadApplication(rows.front());
  const auto lines =
      tx.Query("SELECT item, amount_fen FROM grants_budget_lines WHERE application_id = $1 ORDER BY ord", {id});
  for (size_t i = 0; i < lines.size(); ++i) {
    a.d.budget_lines.push_back({lines[i].Text(0), lines[i].Int(1)});
  }
  const auto villages =
      tx.Query("SELECT village_id FROM grants_app_villages WHERE application_id = $1 ORDER BY village_id", {id});
  for (size_t i = 0; i < villages.size(); ++i) {
    a.d.village_ids.push_back(villages[i].Int(0));
  }
  const auto cofunders = tx.Query(
      "SELECT name, org_id, share_fen FROM grants_cofunders WHERE application_id = $1 ORDER BY ord", {id});
  for (size_t i = 0; i < cofunders.size(); ++i) {
    a.d.co_funders.push_back({cofunders[i].Text(0), cofunders[i].OptInt(1), cofunders[i].Int(2)});
  }
  return a;
}

std::optional<int64_t> ApplicationIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_applications WHERE public_id = $1", public_id);
}

bool Amend(db::Tx& tx, int64_t id, int64_t org_id, const ApplicationDraft& d, Fen total_fen, int64_t now_ms) {
  return tx.Exec(
             "UPDATE grants_applications SET title = $3, project_type = $4, summary = $5, beneficiaries = $6, "
             "beneficiary_count = $7, goals = $8, indicators = $9, activities = $10, starts_at_ms = $11, "
             "ends_at_ms = $12, total_fen = $13, requested_fen = $14, funding_mode = $15, partner_name = $16, "
             "in_kind_note = $17, in_kind_fen = $18, sponsorship_id = $19, version = version + 1, "
             "updated_at_ms = $20 "
             "WHERE id = $1 AND org_id = $2 AND status IN ('draft', 'submitted') "
             "AND $20 < (SELECT cl.closes_at_ms FROM grants_calls cl WHERE cl.id = call_id)",
             {id, org_id, d.title, d.project_type, d.summary, d.beneficiaries, d.beneficiary_count, d.goals,
              d.indicators, d.activities, d.starts_at_ms, d.ends_at_ms, total_fen, d.requested_fen, d.funding_mode,
              d.partner_name, d.in_kind_note, d.in_kind_fen, d.sponsorship_id, now_ms}) == 1;
}

bool Submit(db::Tx& tx, int64_t id, const std::string& auto_checks, int64_t now_ms) {
  return tx.Exec(
             "UPDATE grants_applications SET status = 'submitted', auto_checks = $2, submitted_at_ms = $3, "
             "updated_at_ms = $3 WHERE id = $1 AND status = 'draft' "
             "AND $3 < (SELECT cl.closes_at_ms FROM grants_calls cl WHERE cl.id = call_id)",
             {id, auto_checks, now_ms}) == 1;
}

bool Withdraw(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec(
             "UPDATE grants_applications SET status = 'withdrawn', updated_at_ms = $2 "
             "WHERE id = $1 AND status IN ('draft', 'submitted') "
             "AND $2 < (SELECT cl.closes_at_ms FROM grants_calls cl WHERE cl.id = call_id)",
             {id, now_ms}) == 1;
}

bool SetEligibility(db::Tx& tx, int64_t id, bool eligible, const std::string& note, int64_t by, int64_t now_ms) {
  return tx.Exec(
             "UPDATE grants_applications SET status = $2, eligibility_note = $3, checked_by = $4, checked_at_ms = $5, "
             "updated_at_ms = $5 WHERE id = $1 AND status IN ('submitted', 'eligible', 'ineligible') "
             "AND $5 >= (SELECT cl.closes_at_ms FROM grants_calls cl WHERE cl.id = call_id) "
             "AND NOT EXISTS (SELECT 1 FROM grants_assignments s WHERE s.application_id = grants_applications.id "
             "AND s.status IN ('proposed', 'accepted'))",
             {id, eligible ? "eligible" : "ineligible", note, by, now_ms}) == 1;
}

std::vector<Application> ListApplications(db::Tx& tx, const AppFilter& f) {
  std::string sql = std::string("SELECT ") + kAppColumns + kAppFrom + " WHERE 1 = 1";
  std::vector<db::Value> params;
  if (f.call_id) {
    params.emplace_back(*f.call_id);
    sql += " AND a.call_id = $" + std::to_string(params.size());
  }
  if (!f.org_ids.empty()) {
    sql += " AND a.org_id IN (" + Placeholders(params.size() + 1, f.org_ids.size()) + ")";
    for (int64_t o : f.org_ids) {
      params.emplace_back(o);
    }
  }
  if (!f.statuses.empty()) {
    sql += " AND a.status IN (" + Placeholders(params.size() + 1, f.statuses.size()) + ")";
    for (const std::string& s : f.statuses) {
      params.emplace_back(s);
    }
  }
  params.emplace_back(static_cast<int64_t>(f.limit));
  sql += " ORDER BY a.id DESC LIMIT $" + std::to_string(params.size());
  const auto rows = tx.Query(sql, params);
  std::vector<Application> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadApplication(rows[i]));
  }
  return out;
}

bool AddSupportVote(db::Tx& tx, int64_t application_id, int64_t user_id, int64_t now_ms) {
  const int64_t added = tx.Exec(
      "INSERT INTO grants_support_votes (application_id, user_id, created_at_ms) "
      "SELECT a.id, CAST($2 AS BIGINT), CAST($3 AS BIGINT) FROM grants_applications a "
      "JOIN grants_calls c ON c.id = a.call_id WHERE a.id = $1 AND a.status = 'eligible' "
      "AND c.support_closes_at_ms IS NOT NULL AND $3 >= c.closes_at_ms AND $3 < c.support_closes_at_ms "
      "ON CONFLICT (application_id, user_id) DO NOTHING",
      {application_id, user_id, now_ms});
  if (added == 0) {
    return false;
  }
  tx.Exec("UPDATE grants_applications SET support_count = support_count + 1 WHERE id = $1", {application_id});
  return true;
}

bool HasVoted(db::Tx& tx, int64_t application_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM grants_support_votes WHERE application_id = $1 AND user_id = $2",
                   {application_id, user_id})
              .empty();
}

// ---- Reviewers

int64_t InsertReviewer(db::Tx& tx, const Reviewer& r) {
  return tx.Insert(
      "INSERT INTO grants_reviewers (public_id, user_id, kind, status, village_id, title, statement, declarations, "
      "load_cap, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {r.public_id, r.user_id, KindText(r.kind), r.status, r.village_id, r.title, r.statement, r.declarations,
       r.load_cap, r.created_at_ms});
}

void ReplaceTags(db::Tx& tx, int64_t reviewer_id, const std::vector<std::string>& types) {
  tx.Exec("DELETE FROM grants_reviewer_tags WHERE reviewer_id = $1", {reviewer_id});
  for (const std::string& t : types) {
    tx.Exec("INSERT INTO grants_reviewer_tags (reviewer_id, project_type) VALUES ($1, $2)", {reviewer_id, t});
  }
}

std::optional<Reviewer> FindReviewer(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string("SELECT ") + kReviewerColumns + kReviewerFrom + " WHERE r.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  Reviewer r = ReadReviewer(rows.front());
  LoadTags(tx, r);
  return r;
}

std::optional<int64_t> ReviewerIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_reviewers WHERE public_id = $1", public_id);
}

std::optional<int64_t> ReviewerIdByUser(db::Tx& tx, int64_t user_id) {
  const auto rows = tx.Query("SELECT id FROM grants_reviewers WHERE user_id = $1", {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

std::vector<Reviewer> ListReviewers(db::Tx& tx, const std::optional<std::string>& status, int limit) {
  const auto rows =
      status ? tx.Query(std::string("SELECT ") + kReviewerColumns + kReviewerFrom +
                            " WHERE r.status = $1 ORDER BY r.kind DESC, r.id LIMIT $2",
                        {*status, limit})
             : tx.Query(std::string("SELECT ") + kReviewerColumns + kReviewerFrom +
                            " ORDER BY r.kind DESC, r.id LIMIT $1",
                        {limit});
  std::vector<Reviewer> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadReviewer(rows[i]));
    LoadTags(tx, out.back());
  }
  return out;
}

bool DecideReviewer(db::Tx& tx, int64_t id, bool approve, std::optional<int64_t> by, int64_t now_ms) {
  return tx.Exec("UPDATE grants_reviewers SET status = $2, decided_by = $3, decided_at_ms = $4 "
                 "WHERE id = $1 AND status = 'applied'",
                 {id, approve ? "approved" : "rejected", by, now_ms}) == 1;
}

int64_t InsertConflict(db::Tx& tx, const Conflict& c, int64_t declared_by) {
  return tx.Insert(
      "INSERT INTO grants_conflicts (reviewer_id, org_id, village_id, note, declared_by, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {c.reviewer_id, c.org_id, c.village_id, c.note, declared_by, c.created_at_ms});
}

std::vector<Conflict> ConflictsOf(db::Tx& tx, int64_t reviewer_id) {
  const auto rows = tx.Query(
      "SELECT id, reviewer_id, org_id, village_id, note, created_at_ms FROM grants_conflicts WHERE reviewer_id = $1 "
      "ORDER BY id",
      {reviewer_id});
  std::vector<Conflict> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Int(0), rows[i].Int(1), rows[i].OptInt(2), rows[i].OptInt(3), rows[i].Text(4),
                   rows[i].Int(5)});
  }
  return out;
}

bool Conflicted(db::Tx& tx, int64_t reviewer_id, int64_t application_id) {
  return !tx.Query(std::string("SELECT 1 FROM grants_reviewers r JOIN grants_applications a ON a.id = $2 "
                               "WHERE r.id = $1 AND ") +
                       kConflict,
                   {reviewer_id, application_id})
              .empty();
}

int64_t RemoveConflictedSeats(db::Tx& tx, int64_t reviewer_id, int64_t now_ms) {
  return tx.Exec(std::string("UPDATE grants_assignments SET status = 'removed', answered_at_ms = $2 "
                             "WHERE reviewer_id = $1 AND status IN ") +
                     kLive +
                     " AND EXISTS (SELECT 1 FROM grants_reviewers r JOIN grants_applications a ON a.id = "
                     "grants_assignments.application_id WHERE r.id = $1 AND " +
                     kConflict + ")",
                 {reviewer_id, now_ms});
}

// ---- Meetings and seats

int64_t InsertMeeting(db::Tx& tx, const Meeting& m) {
  return tx.Insert(
      "INSERT INTO grants_meetings (public_id, call_id, title, held_at_ms, venue, scores_due_ms, status, created_by, "
      "created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7, $8)",
      {m.public_id, m.call_id, m.title, m.held_at_ms, m.venue, m.scores_due_ms, m.created_by, m.created_at_ms});
}

std::optional<Meeting> FindMeeting(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string("SELECT ") + kMeetingColumns +
                                 " FROM grants_meetings m JOIN grants_calls c ON c.id = m.call_id WHERE m.id = $1",
                             {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadMeeting(rows.front());
}

std::optional<int64_t> MeetingIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_meetings WHERE public_id = $1", public_id);
}

void SetUnavailable(db::Tx& tx, int64_t meeting_id, int64_t reviewer_id, bool unavailable, int64_t now_ms) {
  if (unavailable) {
    tx.Exec("INSERT INTO grants_unavailable (meeting_id, reviewer_id, created_at_ms) VALUES ($1, $2, $3) "
            "ON CONFLICT (meeting_id, reviewer_id) DO NOTHING",
            {meeting_id, reviewer_id, now_ms});
  } else {
    tx.Exec("DELETE FROM grants_unavailable WHERE meeting_id = $1 AND reviewer_id = $2", {meeting_id, reviewer_id});
  }
}

AssignInput LoadAssignInput(db::Tx& tx, const Meeting& m, const Call& c) {
  AssignInput in;
  // Seats that stay: every live seat of the call except this meeting's
  // proposed ones (which a new run replaces).
  const std::string kept = std::string("s.status IN ") + kLive + " AND NOT (s.meeting_id = $2 AND s.status = 'proposed')";

  // Applications and how many seats of each kind they hold already.
  const auto apps = tx.Query(
      "SELECT a.id, a.project_type, "
      "(SELECT MIN(v.rural) FROM grants_app_villages av JOIN villages v ON v.id = av.village_id WHERE "
      "av.application_id = a.id), "
      "(SELECT MAX(v.rural) FROM grants_app_villages av JOIN villages v ON v.id = av.village_id WHERE "
      "av.application_id = a.id) "
      "FROM grants_applications a WHERE a.call_id = $1 AND a.status IN ('eligible', 'under_review') ORDER BY a.id",
      {c.id});
  std::map<int64_t, size_t> app_index;
  for (size_t i = 0; i < apps.size(); ++i) {
    AssignApplication a;
    a.id = apps[i].Int(0);
    a.project_type = apps[i].Text(1);
    if (!apps[i].IsNull(2) && apps[i].Int(2) == apps[i].Int(3)) {
      a.rural = apps[i].Int(2) == 1;
    }
    a.need[0] = static_cast<int>(c.panel_experts);
    a.need[1] = static_cast<int>(c.panel_citizens);
    app_index[a.id] = in.applications.size();
    in.applications.push_back(std::move(a));
  }
  const auto held = tx.Query(
      "SELECT s.application_id, s.kind, s.reviewer_id FROM grants_assignments s JOIN grants_meetings mm ON mm.id = "
      "s.meeting_id WHERE mm.call_id = $1 AND " + kept + " ORDER BY s.application_id, s.reviewer_id",
      {c.id, m.id});
  std::map<int64_t, int> load;
  for (size_t i = 0; i < held.size(); ++i) {
    const int64_t app = held[i].Int(0);
    const int kind = static_cast<int>(ParseKind(held[i].Text(1)).value_or(ReviewerKind::kExpert));
    const int64_t reviewer = held[i].Int(2);
    ++load[reviewer];
    if (auto it = app_index.find(app); it != app_index.end()) {
      int& need = in.applications[it->second].need[kind];
      need = std::max(0, need - 1);
      in.exclusions.push_back({reviewer, app, Exclusion::kSeated});
    }
  }

  // Approved reviewers, their tags and availability for this meeting.
  const auto reviewers = tx.Query(
      "SELECT r.id, r.kind, r.load_cap, v.rural, "
      "(SELECT COUNT(*) FROM grants_unavailable un WHERE un.meeting_id = $1 AND un.reviewer_id = r.id) "
      "FROM grants_reviewers r LEFT JOIN villages v ON v.id = r.village_id WHERE r.status = 'approved' ORDER BY r.id",
      {m.id});
  std::map<int64_t, size_t> reviewer_index;
  for (size_t i = 0; i < reviewers.size(); ++i) {
    AssignReviewer r;
    r.id = reviewers[i].Int(0);
    r.kind = ParseKind(reviewers[i].Text(1)).value_or(ReviewerKind::kExpert);
    r.load_cap = static_cast<int>(reviewers[i].Int(2));
    if (!reviewers[i].IsNull(3)) {
      r.rural = reviewers[i].Int(3) == 1;
    }
    r.available = reviewers[i].Int(4) == 0;
    r.load = load.contains(r.id) ? load[r.id] : 0;
    reviewer_index[r.id] = in.reviewers.size();
    in.reviewers.push_back(std::move(r));
  }
  const auto tags = tx.Query(
      "SELECT t.reviewer_id, t.project_type FROM grants_reviewer_tags t JOIN grants_reviewers r ON r.id = "
      "t.reviewer_id WHERE r.status = 'approved' ORDER BY t.reviewer_id, t.project_type");
  for (size_t i = 0; i < tags.size(); ++i) {
    if (auto it = reviewer_index.find(tags[i].Int(0)); it != reviewer_index.end()) {
      in.reviewers[it->second].tags.push_back(tags[i].Text(1));
    }
  }

  // Conflicted pairs (the one predicate) and earlier declines.
  const auto conflicts = tx.Query(
      std::string("SELECT r.id, a.id FROM grants_reviewers r JOIN grants_applications a ON a.call_id = $1 "
                  "WHERE r.status = 'approved' AND a.status IN ('eligible', 'under_review') AND ") +
          kConflict + " ORDER BY r.id, a.id",
      {c.id});
  for (size_t i = 0; i < conflicts.size(); ++i) {
    in.exclusions.push_back({conflicts[i].Int(0), conflicts[i].Int(1), Exclusion::kConflict});
  }
  const auto declined = tx.Query(
      "SELECT DISTINCT s.reviewer_id, s.application_id FROM grants_assignments s JOIN grants_meetings mm ON mm.id = "
      "s.meeting_id WHERE mm.call_id = $1 AND s.status = 'declined' ORDER BY s.reviewer_id, s.application_id",
      {c.id});
  for (size_t i = 0; i < declined.size(); ++i) {
    in.exclusions.push_back({declined[i].Int(0), declined[i].Int(1), Exclusion::kDeclined});
  }
  return in;
}

int64_t DropProposed(db::Tx& tx, int64_t meeting_id) {
  return tx.Exec("DELETE FROM grants_assignments WHERE meeting_id = $1 AND status = 'proposed'", {meeting_id});
}

std::vector<int64_t> FreeSeats(db::Tx& tx, int64_t application_id, ReviewerKind kind, int64_t panel, int n) {
  const auto rows = tx.Query(std::string("SELECT seat_no FROM grants_assignments WHERE application_id = $1 AND "
                                         "kind = $2 AND status IN ") +
                                 kLive,
                             {application_id, KindText(kind)});
  std::set<int64_t> taken;
  for (size_t i = 0; i < rows.size(); ++i) {
    taken.insert(rows[i].Int(0));
  }
  std::vector<int64_t> out;
  for (int64_t s = 1; s <= panel && static_cast<int>(out.size()) < n; ++s) {
    if (!taken.contains(s)) {
      out.push_back(s);
    }
  }
  return out;
}

bool InsertSeat(db::Tx& tx, const Assignment& s, std::optional<int64_t> by) {
  if (!db::LockRow(tx, "grants_reviewers", s.reviewer_id)) {
    return false;
  }
  return tx.Exec(
             std::string(
                 "INSERT INTO grants_assignments (public_id, meeting_id, application_id, reviewer_id, kind, seat_no, "
                 "status, cost, reason, created_by, created_at_ms) "
                 "SELECT CAST($1 AS TEXT), m.id, a.id, r.id, r.kind, CAST($5 AS BIGINT), 'proposed', "
                 "CAST($6 AS BIGINT), CAST($7 AS TEXT), CAST($8 AS BIGINT), CAST($9 AS BIGINT) "
                 "FROM grants_meetings m JOIN grants_applications a ON a.call_id = m.call_id "
                 "JOIN grants_calls c ON c.id = m.call_id JOIN grants_reviewers r ON r.id = $4 "
                 "WHERE m.id = $2 AND a.id = $3 AND a.status IN ('eligible', 'under_review') "
                 "AND r.status = 'approved' AND r.kind = $10 "
                 "AND $5 <= (CASE WHEN r.kind = 'expert' THEN c.panel_experts ELSE c.panel_citizens END) "
                 "AND NOT EXISTS (SELECT 1 FROM grants_unavailable un WHERE un.meeting_id = m.id AND "
                 "un.reviewer_id = r.id) "
                 "AND NOT EXISTS (SELECT 1 FROM grants_assignments d WHERE d.application_id = a.id AND "
                 "d.reviewer_id = r.id AND d.status = 'declined') "
                 "AND (SELECT COUNT(*) FROM grants_assignments x JOIN grants_meetings xm ON xm.id = x.meeting_id "
                 "WHERE x.reviewer_id = r.id AND xm.call_id = c.id AND x.status IN ") +
                 kLive + ") < r.load_cap AND NOT " + kConflict,
             {s.public_id, s.meeting_id, s.application_id, s.reviewer_id, s.seat_no, s.cost, s.reason, by,
              s.created_at_ms, KindText(s.kind)}) == 1;
}

void MarkUnderReview(db::Tx& tx, int64_t call_id, int64_t now_ms) {
  tx.Exec(std::string("UPDATE grants_applications SET status = 'under_review', updated_at_ms = $2 "
                      "WHERE call_id = $1 AND status = 'eligible' AND EXISTS (SELECT 1 FROM grants_assignments s "
                      "WHERE s.application_id = grants_applications.id AND s.status IN ") +
              kLive + ")",
          {call_id, now_ms});
}

void SetMeetingAssigned(db::Tx& tx, int64_t meeting_id, int64_t cost) {
  tx.Exec("UPDATE grants_meetings SET status = 'assigned', last_cost = $2 WHERE id = $1 AND status <> 'closed'",
          {meeting_id, cost});
}

std::vector<OpenSeats> OpenSeatsOfCall(db::Tx& tx, int64_t call_id) {
  const std::string live = std::string(" AND s.status IN ") + kLive + ")";
  const auto rows = tx.Query(
      "SELECT a.id, a.public_id, a.title, c.panel_experts - (SELECT COUNT(*) FROM grants_assignments s WHERE "
      "s.application_id = a.id AND s.kind = 'expert'" +
          live +
          ", c.panel_citizens - (SELECT COUNT(*) FROM grants_assignments s WHERE s.application_id = a.id AND "
          "s.kind = 'citizen'" +
          live +
          " FROM grants_applications a JOIN grants_calls c ON c.id = a.call_id WHERE a.call_id = $1 AND "
          "a.status IN ('eligible', 'under_review') ORDER BY a.id",
      {call_id});
  std::vector<OpenSeats> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Label app{rows[i].Text(1), rows[i].Text(2)};
    if (rows[i].Int(3) > 0) {
      out.push_back({app, ReviewerKind::kExpert, rows[i].Int(3)});
    }
    if (rows[i].Int(4) > 0) {
      out.push_back({app, ReviewerKind::kCitizen, rows[i].Int(4)});
    }
  }
  return out;
}

std::optional<Assignment> FindSeat(db::Tx& tx, const std::string& public_id) {
  const auto rows =
      tx.Query(std::string("SELECT ") + kSeatColumns + kSeatFrom + " WHERE s.public_id = $1", {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadSeat(rows.front());
}

bool RemoveSeat(db::Tx& tx, int64_t seat_id, int64_t now_ms) {
  return tx.Exec(std::string("UPDATE grants_assignments SET status = 'removed', answered_at_ms = $2 WHERE id = $1 "
                             "AND status IN ") +
                     kLive,
                 {seat_id, now_ms}) == 1;
}

bool AnswerSeat(db::Tx& tx, int64_t seat_id, bool accept, int64_t now_ms) {
  return tx.Exec(accept ? "UPDATE grants_assignments SET status = 'accepted', answered_at_ms = $2 WHERE id = $1 AND "
                          "status = 'proposed'"
                        : "UPDATE grants_assignments SET status = 'declined', answered_at_ms = $2 WHERE id = $1 AND "
                          "status IN ('proposed', 'accepted')",
                 {seat_id, now_ms}) == 1;
}

std::map<int64_t, Label> ApplicationLabels(db::Tx& tx, int64_t call_id) {
  std::map<int64_t, Label> out;
  const auto rows = tx.Query("SELECT id, public_id, title FROM grants_applications WHERE call_id = $1", {call_id});
  for (size_t i = 0; i < rows.size(); ++i) {
    out[rows[i].Int(0)] = {rows[i].Text(1), rows[i].Text(2)};
  }
  return out;
}

std::map<int64_t, Label> ApprovedReviewerLabels(db::Tx& tx) {
  std::map<int64_t, Label> out;
  const auto rows = tx.Query(
      "SELECT r.id, r.public_id, u.display_name FROM grants_reviewers r JOIN users u ON u.id = r.user_id "
      "WHERE r.status = 'approved'");
  for (size_t i = 0; i < rows.size(); ++i) {
    out[rows[i].Int(0)] = {rows[i].Text(1), rows[i].Text(2)};
  }
  return out;
}

std::string SeatRefusal(db::Tx& tx, int64_t reviewer_id, int64_t application_id, int64_t meeting_id) {
  const auto rows = tx.Query(
      std::string("SELECT r.status, (SELECT COUNT(*) FROM grants_unavailable un WHERE un.meeting_id = $3 AND "
                  "un.reviewer_id = r.id), (SELECT COUNT(*) FROM grants_assignments d WHERE d.application_id = a.id "
                  "AND d.reviewer_id = r.id AND d.status = 'declined'), (SELECT COUNT(*) FROM grants_assignments x "
                  "JOIN grants_meetings xm ON xm.id = x.meeting_id WHERE x.reviewer_id = r.id AND xm.call_id = "
                  "a.call_id AND x.status IN ") +
          kLive + "), r.load_cap, CASE WHEN " + kConflict +
          " THEN 1 ELSE 0 END FROM grants_reviewers r JOIN grants_applications a ON a.id = $2 WHERE r.id = $1",
      {reviewer_id, application_id, meeting_id});
  if (rows.empty()) {
    return "grants.reviewer_not_found";
  }
  const db::Row& r = rows.front();
  if (r.Int(5) != 0) {
    return "grants.conflict_of_interest";
  }
  if (r.Text(0) != "approved") {
    return "grants.reviewer_not_approved";
  }
  if (r.Int(2) > 0) {
    return "grants.reviewer_declined";
  }
  if (r.Int(1) > 0) {
    return "grants.reviewer_unavailable";
  }
  if (r.Int(3) >= r.Int(4)) {
    return "grants.over_load_cap";
  }
  return "grants.pool_changed";
}

std::vector<Assignment> MeetingAssignments(db::Tx& tx, int64_t meeting_id, bool live_only) {
  const auto rows = tx.Query(std::string("SELECT ") + kSeatColumns + kSeatFrom + " WHERE s.meeting_id = $1" +
                                 (live_only ? std::string(" AND s.status IN ") + kLive : std::string()) +
                                 " ORDER BY s.application_id, s.kind DESC, s.seat_no, s.id",
                             {meeting_id});
  std::vector<Assignment> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadSeat(rows[i]));
  }
  return out;
}

std::vector<Assignment> ReviewerAssignments(db::Tx& tx, int64_t reviewer_id) {
  const auto rows = tx.Query(std::string("SELECT ") + kSeatColumns + kSeatFrom +
                                 " WHERE s.reviewer_id = $1 ORDER BY s.id DESC LIMIT 500",
                             {reviewer_id});
  std::vector<Assignment> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadSeat(rows[i]));
  }
  return out;
}

// ---- Reviews

bool UpsertReview(db::Tx& tx, int64_t application_id, int64_t reviewer_id, const std::string& status,
                  const std::string& comment, const std::map<std::string, int>& scores, int64_t now_ms) {
  const std::optional<int64_t> submitted_at =
      status == "submitted" ? std::optional<int64_t>(now_ms) : std::nullopt;
  const int64_t written = tx.Exec(
      std::string("INSERT INTO grants_reviews (application_id, reviewer_id, meeting_id, status, comment, "
                  "submitted_at_ms, updated_at_ms) "
                  "SELECT s.application_id, s.reviewer_id, s.meeting_id, CAST($3 AS TEXT), CAST($4 AS TEXT), "
                  "CAST($5 AS BIGINT), CAST($6 AS BIGINT) "
                  "FROM grants_assignments s JOIN grants_meetings m ON m.id = s.meeting_id "
                  "JOIN grants_reviewers r ON r.id = s.reviewer_id JOIN grants_applications a ON a.id = "
                  "s.application_id "
                  "WHERE s.application_id = $1 AND s.reviewer_id = $2 AND s.status IN ") +
          kLive + " AND $6 < m.scores_due_ms AND a.status IN ('under_review', 'eligible') AND NOT " + kConflict +
          " ON CONFLICT (application_id, reviewer_id) DO UPDATE SET status = excluded.status, "
          "comment = excluded.comment, submitted_at_ms = excluded.submitted_at_ms, "
          "updated_at_ms = excluded.updated_at_ms, meeting_id = excluded.meeting_id "
          "WHERE grants_reviews.status <> 'recused'",
      {application_id, reviewer_id, status, comment, submitted_at, now_ms});
  if (written != 1) {
    return false;
  }
  tx.Exec("UPDATE grants_assignments SET status = 'accepted', answered_at_ms = $3 WHERE application_id = $1 AND "
          "reviewer_id = $2 AND status = 'proposed'",
          {application_id, reviewer_id, now_ms});
  tx.Exec("DELETE FROM grants_review_scores WHERE application_id = $1 AND reviewer_id = $2",
          {application_id, reviewer_id});
  for (const auto& [criterion, score] : scores) {
    tx.Exec("INSERT INTO grants_review_scores (application_id, reviewer_id, criterion, score) VALUES ($1, $2, $3, $4)",
            {application_id, reviewer_id, criterion, score});
  }
  return true;
}

namespace {

constexpr const char* kReviewColumns =
    "v.application_id, v.reviewer_id, r.public_id, u.display_name, r.kind, v.meeting_id, v.status, v.comment, "
    "v.submitted_at_ms, v.updated_at_ms";
constexpr const char* kReviewFrom =
    " FROM grants_reviews v JOIN grants_reviewers r ON r.id = v.reviewer_id JOIN users u ON u.id = r.user_id";

std::vector<Review> ReadReviews(db::Tx& tx, const db::Rows& rows) {
  std::vector<Review> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    Review v;
    v.application_id = rows[i].Int(0);
    v.reviewer_id = rows[i].Int(1);
    v.reviewer_public_id = rows[i].Text(2);
    v.reviewer_name = rows[i].Text(3);
    v.kind = ParseKind(rows[i].Text(4)).value_or(ReviewerKind::kExpert);
    v.meeting_id = rows[i].Int(5);
    v.status = rows[i].Text(6);
    v.comment = rows[i].Text(7);
    v.submitted_at_ms = rows[i].OptInt(8);
    v.updated_at_ms = rows[i].Int(9);
    out.push_back(std::move(v));
  }
  if (out.empty()) {
    return out;
  }
  // Their scores, in one query per call of this function.
  std::map<std::pair<int64_t, int64_t>, Review*> by_pair;
  for (Review& v : out) {
    by_pair[{v.application_id, v.reviewer_id}] = &v;
  }
  std::string in;
  std::vector<db::Value> params;
  for (const Review& v : out) {
    if (params.size() > 0) {
      in += ", ";
    }
    params.emplace_back(v.application_id);
    in += "$" + std::to_string(params.size());
  }
  const auto scores = tx.Query("SELECT application_id, reviewer_id, criterion, score FROM grants_review_scores "
                               "WHERE application_id IN (" + in + ")",
                               params);
  for (size_t i = 0; i < scores.size(); ++i) {
    if (auto it = by_pair.find({scores[i].Int(0), scores[i].Int(1)}); it != by_pair.end()) {
      it->second->scores[scores[i].Text(2)] = static_cast<int>(scores[i].Int(3));
    }
  }
  return out;
}

}  // namespace

std::optional<Review> FindReview(db::Tx& tx, int64_t application_id, int64_t reviewer_id) {
  auto rows = ReadReviews(tx, tx.Query(std::string("SELECT ") + kReviewColumns + kReviewFrom +
                                           " WHERE v.application_id = $1 AND v.reviewer_id = $2",
                                       {application_id, reviewer_id}));
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::move(rows.front());
}

std::vector<Review> ReviewsOfCall(db::Tx& tx, int64_t call_id) {
  // A review counts while its reviewer sits on the panel: a seat declined,
  // swapped away or removed by a conflict takes its review out with it.
  return ReadReviews(tx, tx.Query(std::string("SELECT ") + kReviewColumns + kReviewFrom +
                                      " JOIN grants_applications a ON a.id = v.application_id WHERE a.call_id = $1 "
                                      "AND (v.status = 'recused' OR EXISTS (SELECT 1 FROM grants_assignments s "
                                      "WHERE s.application_id = v.application_id AND s.reviewer_id = v.reviewer_id "
                                      "AND s.status IN " +
                                      kLive + ")) ORDER BY v.application_id, v.reviewer_id",
                                  {call_id}));
}

std::optional<int64_t> LiveSeatMeeting(db::Tx& tx, int64_t application_id, int64_t reviewer_id) {
  const auto rows = tx.Query(std::string("SELECT meeting_id FROM grants_assignments WHERE application_id = $1 AND "
                                         "reviewer_id = $2 AND status IN ") +
                                 kLive,
                             {application_id, reviewer_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

bool Recuse(db::Tx& tx, int64_t application_id, int64_t reviewer_id, int64_t meeting_id, int64_t by,
            int64_t now_ms) {
  const int64_t n = tx.Exec(
      "INSERT INTO grants_reviews (application_id, reviewer_id, meeting_id, status, comment, updated_at_ms, "
      "recused_by) VALUES ($1, $2, $3, 'recused', '', $4, $5) ON CONFLICT (application_id, reviewer_id) DO UPDATE "
      "SET status = 'recused', recused_by = excluded.recused_by, updated_at_ms = excluded.updated_at_ms, "
      "submitted_at_ms = NULL",
      {application_id, reviewer_id, meeting_id, now_ms, by});
  tx.Exec("DELETE FROM grants_review_scores WHERE application_id = $1 AND reviewer_id = $2",
          {application_id, reviewer_id});
  return n == 1;
}

std::vector<Meeting> MeetingsOfCall(db::Tx& tx, int64_t call_id) {
  const auto rows = tx.Query(std::string("SELECT ") + kMeetingColumns +
                                 " FROM grants_meetings m JOIN grants_calls c ON c.id = m.call_id WHERE m.call_id = "
                                 "$1 ORDER BY m.held_at_ms DESC, m.id DESC",
                             {call_id});
  std::vector<Meeting> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadMeeting(rows[i]));
  }
  return out;
}

// ---- Decisions, the notice and objections

bool AddAwarded(db::Tx& tx, int64_t call_id, Fen delta_fen) {
  return tx.Exec("UPDATE grants_calls SET awarded_fen = awarded_fen + $2 WHERE id = $1 AND awarded_fen + $2 >= 0 "
                 "AND awarded_fen + $2 <= budget_fen",
                 {call_id, delta_fen}) == 1;
}

bool Decide(db::Tx& tx, int64_t application_id, const std::string& decision, Fen awarded_fen, Fen old_awarded_fen,
            const std::string& reason, int64_t by, int64_t now_ms) {
  return tx.Exec("UPDATE grants_applications SET status = 'decided', decision = $2, awarded_fen = $3, "
                 "decision_reason = $4, decided_by = $5, decided_at_ms = $6, updated_at_ms = $6 "
                 "WHERE id = $1 AND status IN ('under_review', 'decided') AND awarded_fen = $7",
                 {application_id, decision, awarded_fen, reason, by, now_ms, old_awarded_fen}) == 1;
}

int64_t CountUndecided(db::Tx& tx, int64_t call_id) {
  return tx.Query("SELECT COUNT(*) FROM grants_applications WHERE call_id = $1 AND status = 'under_review'",
                  {call_id})
      .front()
      .Int(0);
}

namespace {

constexpr const char* kNoticeColumns =
    "id, public_id, call_id, note, published_at_ms, objections_close_ms FROM grants_notices";

std::optional<Notice> OneNotice(const db::Rows& rows) {
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return Notice{r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4), r.Int(5)};
}

}  // namespace

int64_t InsertNotice(db::Tx& tx, const Notice& n, int64_t by) {
  return tx.Insert(
      "INSERT INTO grants_notices (public_id, call_id, note, published_by, published_at_ms, objections_close_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {n.public_id, n.call_id, n.note, by, n.published_at_ms, n.objections_close_ms});
}

std::optional<Notice> NoticeOfCall(db::Tx& tx, int64_t call_id) {
  return OneNotice(tx.Query(std::string("SELECT ") + kNoticeColumns + " WHERE call_id = $1", {call_id}));
}

std::optional<Notice> FindNotice(db::Tx& tx, int64_t id) {
  return OneNotice(tx.Query(std::string("SELECT ") + kNoticeColumns + " WHERE id = $1", {id}));
}

std::optional<int64_t> NoticeIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_notices WHERE public_id = $1", public_id);
}

bool InsertObjection(db::Tx& tx, const Objection& o) {
  return tx.Exec("INSERT INTO grants_objections (public_id, notice_id, application_id, user_id, body, "
                 "created_at_ms) SELECT CAST($1 AS TEXT), n.id, a.id, CAST($4 AS BIGINT), CAST($5 AS TEXT), "
                 "CAST($6 AS BIGINT) FROM grants_notices n JOIN grants_applications a ON a.call_id = n.call_id "
                 "WHERE n.id = $2 AND a.id = $3 AND a.status = 'decided' AND $6 < n.objections_close_ms",
                 {o.public_id, o.notice_id, o.application_id, o.user_id, o.body, o.created_at_ms}) == 1;
}

namespace {

std::vector<Objection> QueryObjections(db::Tx& tx, const std::string& where, int64_t id) {
  const auto rows = tx.Query(
      "SELECT o.id, o.public_id, o.notice_id, o.application_id, a.public_id, a.title, o.user_id, u.display_name, "
      "o.body, o.created_at_ms, o.status, o.answer, o.answered_at_ms FROM grants_objections o "
      "JOIN grants_applications a ON a.id = o.application_id JOIN users u ON u.id = o.user_id WHERE " +
          where + " ORDER BY o.id",
      {id});
  std::vector<Objection> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Int(0), r.Text(1), r.Int(2), r.Int(3), r.Text(4), r.Text(5), r.Int(6), r.Text(7), r.Text(8),
                   r.Int(9), r.Text(10), r.Text(11), r.OptInt(12)});
  }
  return out;
}

}  // namespace

std::vector<Objection> ObjectionsOf(db::Tx& tx, int64_t notice_id) {
  return QueryObjections(tx, "o.notice_id = $1", notice_id);
}

std::optional<Objection> FindObjection(db::Tx& tx, int64_t id) {
  auto found = QueryObjections(tx, "o.id = $1", id);
  if (found.empty()) {
    return std::nullopt;
  }
  return std::move(found.front());
}

std::optional<int64_t> ObjectionIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdByPublicId(tx, "SELECT id FROM grants_objections WHERE public_id = $1", public_id);
}

bool AnswerObjection(db::Tx& tx, int64_t id, bool upheld, const std::string& answer, int64_t by, int64_t now_ms) {
  return tx.Exec("UPDATE grants_objections SET status = $2, answer = $3, answered_by = $4, answered_at_ms = $5 "
                 "WHERE id = $1 AND status = 'open'",
                 {id, upheld ? "upheld" : "dismissed", answer, by, now_ms}) == 1;
}

}  // namespace carecity::grants::repo
