#include "domains/grants/service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "db/idempotency.h"
#include "db/lock.h"
#include "domains/audit/service.h"
#include "domains/grants/attachment_repo.h"
#include "domains/grants/repo.h"
#include "http/json.h"

namespace carecity::grants {
namespace {

namespace json = boost::json;
using accounts::Role;
using http::Opt;

constexpr int kListLimit = 500;
constexpr int64_t kDefaultExpertCap = 8;
constexpr int64_t kDefaultCitizenCap = 5;
constexpr int64_t kMaxBeneficiaries = 10'000'000;
// A call runs for at most a year and is planned at most two years ahead.
constexpr int64_t kMaxCallSpanMs = 366 * kDayMs;

Error CallNotFound() { return Error::NotFound("grants.call_not_found"); }
Error AppNotFound() { return Error::NotFound("grants.application_not_found"); }
Error ReviewerNotFound() { return Error::NotFound("grants.reviewer_not_found"); }
Error MeetingNotFound() { return Error::NotFound("grants.meeting_not_found"); }
Error SeatNotFound() { return Error::NotFound("grants.seat_not_found"); }

bool IsAdmin(const std::optional<Principal>& p) { return p && p->Has(Role::kFundAdmin); }

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const std::string& s : v) {
    a.push_back(json::value(s));
  }
  return a;
}

// A list of names (project types, funding modes, rubric criteria): each
// 1..20 code points, no duplicates.
Status CheckNames(const std::vector<std::string>& v, const std::string& field, size_t max_items, bool required) {
  if (required && v.empty()) {
    return Error::Invalid("missing_field", field);
  }
  if (v.size() > max_items) {
    return Error::Invalid("too_many_items", field);
  }
  std::set<std::string> seen;
  for (const std::string& s : v) {
    if (s.empty() || CodePointCount(s) > 20 || HasControlChars(s, false)) {
      return Error::Invalid("invalid_value", field);
    }
    if (!seen.insert(s).second) {
      return Error::Invalid("duplicate_value", field);
    }
  }
  return Status();
}

Status ValidateCall(const NewCall& in) {
  CC_TRY(CheckNames(in.project_types, "project_types", kMaxProjectTypes, true));
  if (in.budget_fen < 1 || in.budget_fen > kMaxFen) {
    return Error::Invalid("out_of_range", "budget_fen");
  }
  if (in.cap_fen < 1 || in.cap_fen > in.budget_fen) {
    return Error::Invalid("out_of_range", "cap_fen");
  }
  if (in.opens_at_ms < 1) {
    return Error::Invalid("out_of_range", "opens_at_ms");
  }
  if (in.closes_at_ms <= in.opens_at_ms || in.closes_at_ms - in.opens_at_ms > kMaxCallSpanMs) {
    return Error::Invalid("invalid_time_range", "closes_at_ms");
  }
  if (in.support_closes_at_ms && (*in.support_closes_at_ms <= in.closes_at_ms ||
                                  *in.support_closes_at_ms - in.closes_at_ms > kMaxCallSpanMs)) {
    return Error::Invalid("invalid_time_range", "support_closes_at_ms");
  }
  if (in.review_at_ms && *in.review_at_ms < in.closes_at_ms) {
    return Error::Invalid("invalid_time_range", "review_at_ms");
  }
  if (in.notice_at_ms && in.review_at_ms && *in.notice_at_ms < *in.review_at_ms) {
    return Error::Invalid("invalid_time_range", "notice_at_ms");
  }
  CC_TRY(CheckNames(in.funding_modes, "funding_modes", 3, true));
  for (const std::string& m : in.funding_modes) {
    if (!IsFundingMode(m)) {
      return Error::Invalid("invalid_value", "funding_modes");
    }
  }
  if (in.min_cofunding_pct < 0 || in.min_cofunding_pct > 100) {
    return Error::Invalid("out_of_range", "min_cofunding_pct");
  }
  if (in.min_org_rating && *in.min_org_rating != "3A" && *in.min_org_rating != "4A" && *in.min_org_rating != "5A") {
    return Error::Invalid("invalid_rating", "min_org_rating");
  }
  if (in.panel_experts < 0 || in.panel_experts > 9) {
    return Error::Invalid("out_of_range", "panel.experts");
  }
  if (in.panel_citizens < 0 || in.panel_citizens > 9 || in.panel_experts + in.panel_citizens == 0) {
    return Error::Invalid("out_of_range", "panel.citizens");
  }
  std::vector<std::string> criteria;
  for (const RubricLine& r : in.rubric) {
    criteria.push_back(r.criterion);
    if (r.weight < 1 || r.weight > 100) {
      return Error::Invalid("out_of_range", "rubric");
    }
  }
  CC_TRY(CheckNames(criteria, "rubric", kMaxRubric, true));
  if (in.expert_weight_pct && (*in.expert_weight_pct < 0 || *in.expert_weight_pct > 100)) {
    return Error::Invalid("out_of_range", "expert_weight_pct");
  }
  if (in.objection_days < 0 || in.objection_days > 60) {
    return Error::Invalid("out_of_range", "objection_days");
  }
  return Status();
}

// What a draft may hold, whatever the call (the call's own rules are
// CheckApplication's, at submission).
Status ValidateDraft(const ApplicationDraft& d) {
  if (d.title.empty()) {
    return Error::Invalid("missing_field", "title");
  }
  if (d.project_type.empty() || CodePointCount(d.project_type) > 20) {
    return Error::Invalid("invalid_value", "project_type");
  }
  if (d.beneficiary_count < 0 || d.beneficiary_count > kMaxBeneficiaries) {
    return Error::Invalid("out_of_range", "beneficiary_count");
  }
  if (d.starts_at_ms && d.ends_at_ms && *d.ends_at_ms <= *d.starts_at_ms) {
    return Error::Invalid("invalid_time_range", "ends_at_ms");
  }
  if (d.village_ids.size() > kMaxVillages) {
    return Error::Invalid("too_many_items", "villages");
  }
  if (std::set<int64_t>(d.village_ids.begin(), d.village_ids.end()).size() != d.village_ids.size()) {
    return Error::Invalid("duplicate_value", "villages");
  }
  if (d.budget_lines.size() > kMaxBudgetLines) {
    return Error::Invalid("too_many_items", "budget_lines");
  }
  Fen total = 0;
  for (size_t i = 0; i < d.budget_lines.size(); ++i) {
    const BudgetLine& l = d.budget_lines[i];
    const std::string at = "budget_lines[" + std::to_string(i) + "]";
    if (l.item.empty()) {
      return Error::Invalid("missing_field", at + ".item");
    }
    if (l.amount_fen < 1 || l.amount_fen > kMaxFen) {
      return Error::Invalid("out_of_range", at + ".amount_fen");
    }
    total += l.amount_fen;
  }
  if (total > kMaxFen) {
    return Error::Invalid("out_of_range", "budget_lines");
  }
  if (d.requested_fen < 1 || d.requested_fen > kMaxFen) {
    return Error::Invalid("out_of_range", "requested_fen");
  }
  if (!IsFundingMode(d.funding_mode)) {
    return Error::Invalid("invalid_value", "funding_mode");
  }
  if (d.co_funders.size() > kMaxCoFunders) {
    return Error::Invalid("too_many_items", "co_funders");
  }
  for (size_t i = 0; i < d.co_funders.size(); ++i) {
    const CoFunder& c = d.co_funders[i];
    const std::string at = "co_funders[" + std::to_string(i) + "]";
    if (c.name.empty()) {
      return Error::Invalid("missing_field", at + ".name");
    }
    if (c.share_fen < 1 || c.share_fen > kMaxFen) {
      return Error::Invalid("out_of_range", at + ".share_fen");
    }
  }
  if (d.funding_mode != "joint" && !d.co_funders.empty()) {
    return Error::Invalid("not_allowed_for_mode", "co_funders");
  }
  if (d.in_kind_fen < 0 || d.in_kind_fen > kMaxFen) {
    return Error::Invalid("out_of_range", "in_kind_fen");
  }
  return Status();
}

Status ValidateReviewer(const NewReviewer& in) {
  CC_TRY(CheckNames(in.project_types, "project_types", kMaxProjectTypes, true));
  if (in.load_cap < 0 || in.load_cap > 50) {
    return Error::Invalid("out_of_range", "load_cap");
  }
  return Status();
}

// The shape of most calls here: the public id's form is checked before any
// lookup, the id is resolved inside the job (`missing` when it names
// nothing), then `fn(tx, id)` decides. A write job when `write`.
template <class T, class Fn>
Task<T> ById(db::Store& store, bool write, std::string public_id,
             std::optional<int64_t> (*lookup)(db::Tx&, const std::string&), Error missing, Fn fn) {
  if (!IsPublicId(public_id)) {
    co_return missing;
  }
  auto job = [&](db::Tx& tx) -> Result<T> {
    const auto id = lookup(tx, public_id);
    if (!id) {
      return missing;
    }
    return fn(tx, *id);
  };
  if (write) {
    co_return co_await db::WriteTx(store, job);
  }
  co_return co_await db::ReadTx(store, job);
}

json::object CostReason(const Placement& pl) {
  return json::object{{"tag_match", pl.tag_match},
                      {"village_match", pl.village_match},
                      {"load_after", pl.load_after},
                      {"cost", pl.cost}};
}

}  // namespace

// ---- JSON

json::object CallJson(const Call& c, int64_t now_ms) {
  json::array rubric;
  for (const RubricLine& r : c.rubric) {
    rubric.push_back(json::object{{"criterion", r.criterion}, {"weight", r.weight}});
  }
  return json::object{{"id", c.public_id},
                      {"title", c.title},
                      {"description", c.description},
                      {"project_types", Strings(c.project_types)},
                      {"budget_fen", c.budget_fen},
                      {"cap_fen", c.cap_fen},
                      {"awarded_fen", c.awarded_fen},
                      {"opens_at_ms", c.opens_at_ms},
                      {"closes_at_ms", c.closes_at_ms},
                      {"support_closes_at_ms", Opt(c.support_closes_at_ms)},
                      {"review_at_ms", Opt(c.review_at_ms)},
                      {"notice_at_ms", Opt(c.notice_at_ms)},
                      {"objection_days", c.objection_days},
                      {"funding_modes", Strings(c.funding_modes)},
                      {"min_cofunding_pct", c.min_cofunding_pct},
                      {"min_org_rating", Opt(c.min_org_rating)},
                      {"panel", json::object{{"experts", c.panel_experts}, {"citizens", c.panel_citizens}}},
                      {"rubric", rubric},
                      {"expert_weight_pct", Opt(c.expert_weight_pct)},
                      {"normalise", c.normalise},
                      {"purpose_id", Opt(c.purpose_id)},
                      {"status", c.status},
                      {"phase", c.Phase(now_ms)}};
}

json::object ApplicationSummaryJson(const Application& a) {
  return json::object{{"id", a.public_id},
                      {"call_id", a.call_public_id},
                      {"org", json::object{{"id", a.org_id}, {"name", a.org_name}}},
                      {"title", a.d.title},
                      {"project_type", a.d.project_type},
                      {"requested_fen", a.d.requested_fen},
                      {"total_fen", a.total_fen},
                      {"funding_mode", a.d.funding_mode},
                      {"status", a.status},
                      {"decision", Opt(a.decision)},
                      {"awarded_fen", a.awarded_fen},
                      {"support_count", a.support_count},
                      {"submitted_at_ms", Opt(a.submitted_at_ms)},
                      {"updated_at_ms", a.updated_at_ms}};
}

json::object ApplicationJson(const ViewedApplication& v, int64_t now_ms) {
  const Application& a = v.app;
  json::object o = ApplicationSummaryJson(a);
  json::array lines;
  for (const BudgetLine& l : a.d.budget_lines) {
    lines.push_back(json::object{{"item", l.item}, {"amount_fen", l.amount_fen}});
  }
  json::array villages;
  for (int64_t vid : a.d.village_ids) {
    villages.push_back(vid);
  }
  json::array cofunders;
  for (const CoFunder& c : a.d.co_funders) {
    cofunders.push_back(json::object{{"name", c.name}, {"org_id", Opt(c.org_id)}, {"share_fen", c.share_fen}});
  }
  o["summary"] = a.d.summary;
  o["beneficiaries"] = a.d.beneficiaries;
  o["beneficiary_count"] = a.d.beneficiary_count;
  o["goals"] = a.d.goals;
  o["indicators"] = a.d.indicators;
  o["activities"] = a.d.activities;
  o["starts_at_ms"] = Opt(a.d.starts_at_ms);
  o["ends_at_ms"] = Opt(a.d.ends_at_ms);
  o["villages"] = villages;
  o["budget_lines"] = lines;
  o["co_funders"] = cofunders;
  o["partner_name"] = a.d.partner_name;
  o["in_kind_note"] = a.d.in_kind_note;
  o["in_kind_fen"] = a.d.in_kind_fen;
  o["sponsorship_id"] = Opt(a.d.sponsorship_id);
  o["call"] = json::object{{"id", v.call.public_id},
                           {"title", v.call.title},
                           {"phase", v.call.Phase(now_ms)},
                           {"closes_at_ms", v.call.closes_at_ms},
                           {"support_closes_at_ms", Opt(v.call.support_closes_at_ms)}};
  if (v.owner || v.admin) {
    o["auto_checks"] = json::parse(a.auto_checks.empty() ? "[]" : a.auto_checks);
    o["eligibility_note"] = a.eligibility_note;
    o["version"] = a.version;
    o["decision_reason"] = a.decision_reason;
  }
  if (v.owner || v.admin || v.reviewer) {
    o["attachments"] = AttachmentsJson(a.public_id, v.attachments);
  }
  // What the viewer may do now.
  const bool open = now_ms < v.call.closes_at_ms && v.call.status == "published";
  const bool editable = v.owner && open && (a.status == "draft" || a.status == "submitted");
  o["viewer"] = json::object{{"owner", v.owner},
                             {"admin", v.admin},
                             {"reviewer", v.reviewer},
                             {"voted", v.voted},
                             {"can_amend", editable},
                             {"can_submit", editable && a.status == "draft"},
                             {"can_withdraw", editable}};
  return o;
}

json::object ReviewerJson(const Reviewer& r, bool full) {
  json::object o{{"id", r.public_id},
                 {"kind", std::string(KindText(r.kind))},
                 {"status", r.status},
                 {"name", full ? r.display_name : MaskPersonName(r.display_name)},
                 {"title", r.title},
                 {"project_types", Strings(r.project_types)},
                 {"load_cap", r.load_cap}};
  if (full) {
    o["user_id"] = r.user_id;
    o["village"] = r.village_id ? json::value(json::object{{"id", *r.village_id}, {"name", r.village_name}})
                                : json::value(nullptr);
    o["statement"] = r.statement;
    o["declarations"] = r.declarations;
    o["created_at_ms"] = r.created_at_ms;
  }
  return o;
}

json::object MeetingJson(const Meeting& m) {
  return json::object{{"id", m.public_id},  {"call_id", m.call_public_id},     {"title", m.title},
                      {"held_at_ms", m.held_at_ms}, {"venue", m.venue}, {"scores_due_ms", m.scores_due_ms},
                      {"status", m.status}, {"cost", Opt(m.last_cost)}};
}

json::object SeatJson(const Assignment& s) {
  json::value reason = json::parse(s.reason.empty() ? "{}" : s.reason);
  return json::object{{"id", s.public_id},
                      {"application_id", s.application_public_id},
                      {"application_title", s.application_title},
                      {"project_type", s.project_type},
                      {"reviewer_id", s.reviewer_public_id},
                      {"reviewer_name", s.reviewer_name},
                      {"kind", std::string(KindText(s.kind))},
                      {"seat_no", s.seat_no},
                      {"status", s.status},
                      {"cost", s.cost},
                      {"reason", reason}};
}

json::object AssignOutcomeJson(const AssignOutcome& o) {
  json::array seats;
  for (const Assignment& s : o.seats) {
    seats.push_back(SeatJson(s));
  }
  json::array shortfalls;
  for (const Shortfall& s : o.result.shortfalls) {
    const auto it = o.apps.find(s.application_id);
    const Label app = it != o.apps.end() ? it->second : Label{};
    shortfalls.push_back(json::object{{"application_id", app.public_id},
                                      {"application_title", app.name},
                                      {"kind", std::string(KindText(s.kind))},
                                      {"missing", s.missing},
                                      {"reason", s.reason},
                                      {"eligible", s.eligible},
                                      {"conflicted", s.conflicted},
                                      {"unavailable", s.unavailable},
                                      {"untagged", s.untagged},
                                      {"declined", s.declined},
                                      {"at_cap", s.at_cap}});
  }
  return json::object{{"meeting", MeetingJson(o.meeting)},
                      {"assignments", seats},
                      {"shortfalls", shortfalls},
                      {"cost", o.result.cost},
                      {"phases", o.result.phases},
                      {"elapsed_us", o.elapsed_us},
                      {"dry_run", o.dry_run}};
}

namespace {

std::vector<Criterion> Criteria(const std::vector<RubricLine>& rubric) {
  std::vector<Criterion> out;
  for (const RubricLine& r : rubric) {
    out.push_back({r.criterion, static_cast<int>(r.weight)});
  }
  return out;
}

json::value OptDouble(const std::optional<double>& v) {
  // Two decimals are what anyone reads; ranking uses the full value.
  return v ? json::value(std::round(*v * 100) / 100) : json::value(nullptr);
}

// The weighted score of a review whose every criterion is scored.
std::optional<double> WeightedScore(const std::vector<RubricLine>& rubric, const std::map<std::string, int>& scores) {
  const auto criteria = Criteria(rubric);
  if (scores.empty() || !ValidateScores(criteria, scores).ok()) {
    return std::nullopt;
  }
  return ReviewScore(criteria, scores);
}

ScoreOptions OptionsOf(const Call& c) {
  ScoreOptions o;
  o.normalise = c.normalise;
  o.expert_weight_pct = c.expert_weight_pct ? static_cast<int>(*c.expert_weight_pct) : kExpertWeightFromSeats;
  o.panel_experts = static_cast<int>(c.panel_experts);
  o.panel_citizens = static_cast<int>(c.panel_citizens);
  return o;
}

ReviewState StateOf(const std::string& s) {
  if (s == "submitted") {
    return ReviewState::kSubmitted;
  }
  if (s == "abstained") {
    return ReviewState::kAbstained;
  }
  if (s == "recused") {
    return ReviewState::kRecused;
  }
  return ReviewState::kDraft;
}

// The scoring module's input for the call's reviewed applications.
std::vector<AppReviews> ScoringInput(const Call& c, const std::vector<Application>& apps,
                                     const std::vector<Review>& reviews) {
  std::map<int64_t, size_t> index;
  std::vector<AppReviews> out;
  for (const Application& a : apps) {
    AppReviews r;
    r.application_id = a.id;
    r.public_id = a.public_id;
    r.submitted_at_ms = a.submitted_at_ms.value_or(a.created_at_ms);
    r.requested_fen = a.d.requested_fen;
    r.seats = static_cast<int>(c.panel_experts + c.panel_citizens);
    r.eligible = a.status == "eligible" || a.status == "under_review" || a.status == "decided";
    index[a.id] = out.size();
    out.push_back(std::move(r));
  }
  for (const Review& v : reviews) {
    if (auto it = index.find(v.application_id); it != index.end()) {
      out[it->second].reviews.push_back({v.reviewer_id, v.kind, StateOf(v.status), v.scores});
    }
  }
  return out;
}

// The call's reviewed applications scored and ranked, with the budget-fill
// proposal for what is left of the budget (v.call set).
void FillRanking(db::Tx& tx, RankingView& v) {
  repo::AppFilter f;
  f.call_id = v.call.id;
  f.statuses = {"eligible", "under_review", "decided"};
  f.limit = 5000;
  const std::vector<Application> apps = repo::ListApplications(tx, f);
  for (const Application& a : apps) {
    v.apps[a.id] = a;
  }
  const auto input = ScoringInput(v.call, apps, repo::ReviewsOfCall(tx, v.call.id));
  v.ranked = ScoreAll(Criteria(v.call.rubric), input, OptionsOf(v.call));
  Rank(v.ranked, input);
  FillOptions fo;
  fo.budget_fen = v.call.budget_fen;
  fo.already_awarded_fen = v.call.awarded_fen;
  fo.cap_fen = v.call.cap_fen;
  v.fill = FillBudget(v.ranked, input, fo);
}

}  // namespace

json::object ObjectionJson(const Objection& o, bool full) {
  json::object j{{"id", o.public_id},
                 {"application_id", o.application_public_id},
                 {"application_title", o.application_title},
                 {"by", full ? o.user_name : MaskPersonName(o.user_name)},
                 {"status", o.status},
                 {"answer", o.answer},
                 {"created_at_ms", o.created_at_ms},
                 {"answered_at_ms", Opt(o.answered_at_ms)}};
  if (full) {
    j["body"] = o.body;
  }
  return j;
}

json::object NoticeJson(const NoticeView& v, const std::optional<Principal>& viewer) {
  json::array results;
  for (const AppScore& s : v.results.ranked) {
    const Application& a = v.results.apps.at(s.application_id);
    json::object row = ScoreJson(s);
    row["application_id"] = a.public_id;
    row["title"] = a.d.title;
    row["org_name"] = a.org_name;
    row["project_type"] = a.d.project_type;
    row["funding_mode"] = a.d.funding_mode;
    row["requested_fen"] = a.d.requested_fen;
    row["decision"] = Opt(a.decision);
    row["awarded_fen"] = a.awarded_fen;
    row["reason"] = a.decision_reason;
    results.push_back(std::move(row));
  }
  const bool admin = viewer && viewer->Has(Role::kFundAdmin);
  json::array objections;
  for (const Objection& o : v.objections) {
    objections.push_back(ObjectionJson(o, admin || (viewer && viewer->user_id == o.user_id)));
  }
  return json::object{{"notice", json::object{{"id", v.notice.public_id},
                                              {"call_id", v.call.public_id},
                                              {"call_title", v.call.title},
                                              {"note", v.notice.note},
                                              {"published_at_ms", v.notice.published_at_ms},
                                              {"objections_close_ms", v.notice.objections_close_ms}}},
                      {"budget_fen", v.call.budget_fen},
                      {"awarded_fen", v.call.awarded_fen},
                      {"results", results},
                      {"objections", objections}};
}

json::object ReviewJson(const Review& r, const std::vector<RubricLine>& rubric) {
  json::object scores;
  for (const auto& [criterion, score] : r.scores) {
    scores[criterion] = score;
  }
  return json::object{{"reviewer", json::object{{"id", r.reviewer_public_id},
                                                {"name", r.reviewer_name},
                                                {"kind", std::string(KindText(r.kind))}}},
                      {"status", r.status},
                      {"scores", scores},
                      {"comment", r.comment},
                      {"score", OptDouble(r.status == "submitted" ? WeightedScore(rubric, r.scores) : std::nullopt)},
                      {"submitted_at_ms", Opt(r.submitted_at_ms)},
                      {"updated_at_ms", r.updated_at_ms}};
}

json::object ScoreJson(const AppScore& s) {
  json::array criteria;
  for (const auto& [name, mean] : s.criteria) {
    criteria.push_back(json::object{{"criterion", name}, {"mean", std::round(mean * 100) / 100}});
  }
  return json::object{{"overall", OptDouble(s.overall)},
                      {"expert", OptDouble(s.expert)},
                      {"citizen", OptDouble(s.citizen)},
                      {"overall_norm", OptDouble(s.overall_norm)},
                      {"expert_norm", OptDouble(s.expert_norm)},
                      {"citizen_norm", OptDouble(s.citizen_norm)},
                      {"valid", s.valid},
                      {"abstained", s.abstained},
                      {"recused", s.recused},
                      {"pending", s.pending},
                      {"insufficient_reviews", s.insufficient_reviews},
                      {"rank", s.rank},
                      {"criteria", criteria}};
}

json::object RankingJson(const RankingView& v) {
  std::map<int64_t, const FillLine*> fill;
  for (const FillLine& l : v.fill) {
    fill[l.application_id] = &l;
  }
  json::array rows;
  for (const AppScore& s : v.ranked) {
    const Application& a = v.apps.at(s.application_id);
    json::object row = ScoreJson(s);
    row["application_id"] = a.public_id;
    row["title"] = a.d.title;
    row["org_name"] = a.org_name;
    row["project_type"] = a.d.project_type;
    row["requested_fen"] = a.d.requested_fen;
    row["status"] = a.status;
    if (auto it = fill.find(s.application_id); it != fill.end()) {
      row["proposed_fen"] = it->second->proposed_fen;
      row["running_total_fen"] = it->second->running_total_fen;
      row["note"] = it->second->note;
    }
    rows.push_back(std::move(row));
  }
  return json::object{{"meeting", MeetingJson(v.meeting)},
                      {"ranking", rows},
                      {"budget_fen", v.call.budget_fen},
                      {"awarded_fen", v.call.awarded_fen},
                      {"cap_fen", v.call.cap_fen},
                      {"normalised", v.call.normalise}};
}

std::string PanelsText(const AssignOutcome& o) {
  std::string out = o.meeting.title + " (" + o.meeting.public_id + ")" + (o.dry_run ? "  [dry run]" : "") +
                    "\n  seats " + std::to_string(o.seats.size()) + ", shortfalls " +
                    std::to_string(o.result.shortfalls.size()) + ", cost " + std::to_string(o.result.cost) + ", " +
                    std::to_string(o.elapsed_us / 1000) + " ms\n";
  int64_t app = 0;
  for (const Assignment& s : o.seats) {
    if (s.application_id != app) {
      app = s.application_id;
      out += "\n" + s.application_public_id + "  " + s.application_title + "\n";
    }
    const json::value reason = json::parse(s.reason.empty() ? "{}" : s.reason);
    const bool tag = reason.is_object() && reason.as_object().contains("tag_match") &&
                     reason.as_object().at("tag_match").as_bool();
    out += "  " + std::string(KindText(s.kind)) + "  " + s.reviewer_name + " (" + s.reviewer_public_id + ")" +
           (tag ? "" : "  [no matching tag]") + "\n";
  }
  if (!o.result.shortfalls.empty()) {
    out += "\nshortfalls:\n";
    for (const Shortfall& s : o.result.shortfalls) {
      const auto it = o.apps.find(s.application_id);
      const Label app = it != o.apps.end() ? it->second : Label{"?", ""};
      out += "  " + app.public_id + "  " + app.name + ": " + std::to_string(s.missing) + " " +
             std::string(KindText(s.kind)) + " seat(s) empty, " + s.reason + " (eligible " +
             std::to_string(s.eligible) + ", conflicted " + std::to_string(s.conflicted) + ", unavailable " +
             std::to_string(s.unavailable) + ", untagged " + std::to_string(s.untagged) + ", declined " +
             std::to_string(s.declined) + ", at cap " + std::to_string(s.at_cap) + ")\n";
    }
  }
  return out;
}

// ---- Service

GrantsService::GrantsService(db::Store& store, fund::FundService& fund, accounts::AccountsService& accounts,
                             boost::asio::thread_pool& cpu, const Clock& clock)
    : store_(store), fund_(fund), accounts_(accounts), cpu_(cpu), clock_(clock) {}

// ---- Calls

Task<Call> GrantsService::CreateCall(const Principal& p, NewCall in, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  const int64_t now = clock_.NowMs();
  if (in.closes_at_ms <= now) {
    co_return Error::Invalid("in_the_past", "closes_at_ms");
  }
  if (in.opens_at_ms > now + 2 * kMaxCallSpanMs) {
    co_return Error::Invalid("out_of_range", "opens_at_ms");
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return CreateCallTx(tx, actor, in, ip, clock_.NowMs()); });
}

Result<Call> GrantsService::CreateCallTx(db::Tx& tx, int64_t actor, const NewCall& in, const std::string& ip,
                                         int64_t now_ms) {
  CC_TRY(ValidateCall(in));
  if (in.purpose_id) {
    const auto purpose = fund_.FindPurposeTx(tx, *in.purpose_id);
    if (!purpose || !purpose->active) {
      return Error{ErrorCode::kNotFound, "purpose_not_found", "purpose_id", {}};
    }
  }
  Call c;
  c.public_id = NewPublicId();
  c.title = in.title;
  c.description = in.description;
  c.purpose_id = in.purpose_id;
  c.budget_fen = in.budget_fen;
  c.cap_fen = in.cap_fen;
  c.opens_at_ms = in.opens_at_ms;
  c.closes_at_ms = in.closes_at_ms;
  c.support_closes_at_ms = in.support_closes_at_ms;
  c.review_at_ms = in.review_at_ms;
  c.notice_at_ms = in.notice_at_ms;
  c.objection_days = in.objection_days;
  c.min_cofunding_pct = in.min_cofunding_pct;
  c.min_org_rating = in.min_org_rating;
  c.panel_experts = in.panel_experts;
  c.panel_citizens = in.panel_citizens;
  c.expert_weight_pct = in.expert_weight_pct;
  c.normalise = in.normalise;
  c.project_types = in.project_types;
  c.funding_modes = in.funding_modes;
  c.rubric = in.rubric;
  c.created_by = actor;
  c.created_at_ms = now_ms;
  c.id = repo::InsertCall(tx, c);
  audit::Record(tx, actor, "grants.call.created", "grants_call", c.public_id,
        {{"title", c.title}, {"budget_fen", c.budget_fen}, {"cap_fen", c.cap_fen}}, ip, now_ms);
  return *repo::FindCall(tx, c.id);
}

Task<Call> GrantsService::GetCall(std::string call_id) {
  return ById<Call>(store_, false, std::move(call_id), repo::CallIdByPublicId, CallNotFound(),
                    [](db::Tx& tx, int64_t id) -> Result<Call> { return *repo::FindCall(tx, id); });
}

Task<Call> GrantsService::ExtendCall(const Principal& p, std::string call_id, int64_t closes_at_ms, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<Call>(
      store_, true, std::move(call_id), repo::CallIdByPublicId, CallNotFound(),
      [&](db::Tx& tx, int64_t id) -> Result<Call> {
        const int64_t now = clock_.NowMs();
        if (!repo::ExtendCall(tx, id, closes_at_ms, now)) {
          // Refused by the UPDATE itself; the row only picks the message.
          const Call c = *repo::FindCall(tx, id);
          if (c.status != "published" || now >= c.closes_at_ms) {
            return Error::Conflict("grants.call_not_open");
          }
          if (closes_at_ms <= c.closes_at_ms) {
            return Error::Unprocessable("grants.not_an_extension", "closes_at_ms");
          }
          return Error::Unprocessable("grants.extension_too_late", "closes_at_ms");
        }
        Call c = *repo::FindCall(tx, id);
        audit::Record(tx, p.user_id, "grants.call.extended", "grants_call", c.public_id, {{"closes_at_ms", closes_at_ms}}, ip,
              now);
        return c;
      });
}

Task<std::vector<Call>> GrantsService::ListCalls(std::optional<Principal> p) {
  const bool all = IsAdmin(p);
  co_return co_await db::ReadTx(store_, [all](db::Tx& tx) -> Result<std::vector<Call>> {
    return repo::ListCalls(tx, all, kListLimit);
  });
}

// ---- Applications

namespace {

// The references a draft makes exist (villages, co-funding organisations,
// the sponsorship).
Status CheckReferences(db::Tx& tx, const accounts::AccountsService& accounts, fund::FundService& fund,
                       const ApplicationDraft& d) {
  for (int64_t v : d.village_ids) {
    if (!accounts.FindVillageTx(tx, v)) {
      return Error{ErrorCode::kNotFound, "village_not_found", "villages", {}};
    }
  }
  for (size_t i = 0; i < d.co_funders.size(); ++i) {
    if (d.co_funders[i].org_id && !accounts.FindOrgTx(tx, *d.co_funders[i].org_id)) {
      return Error{ErrorCode::kNotFound, "org_not_found", "co_funders[" + std::to_string(i) + "].org_id", {}};
    }
  }
  if (d.sponsorship_id && !fund.FindSponsorshipTx(tx, *d.sponsorship_id)) {
    return Error{ErrorCode::kNotFound, "sponsorship_not_found", "sponsorship_id", {}};
  }
  return Status();
}

std::string RequestHash(const std::string& call_id, int64_t org_id, const ApplicationDraft& d) {
  return call_id + "|" + std::to_string(org_id) + "|" + d.title + "|" + d.project_type + "|" +
         std::to_string(d.requested_fen) + "|" + d.funding_mode + "|" + std::to_string(d.budget_lines.size());
}

}  // namespace

Task<Application> GrantsService::CreateApplication(const Principal& p, std::string call_id, int64_t org_id,
                                                   ApplicationDraft d, std::string idempotency_key, std::string ip) {
  if (!p.HasOrgRole(Role::kOrgStaff, org_id)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(call_id)) {
    co_return Error{ErrorCode::kNotFound, "grants.call_not_found", "call_id", {}};
  }
  CC_CO_TRY(ValidateDraft(d));
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Application> {
    const int64_t now = clock_.NowMs();
    const std::string scope = "grants.app:user:" + std::to_string(actor);
    if (!idempotency_key.empty()) {
      const auto claim =
          db::ClaimIdempotencyKey(tx, scope, idempotency_key, RequestHash(call_id, org_id, d), now);
      if (claim.kind == db::IdempotencyClaim::Kind::kMismatch) {
        return Error::Conflict("idempotency_key_reused");
      }
      if (claim.kind == db::IdempotencyClaim::Kind::kReplay) {
        return *repo::FindApplication(tx, claim.ref_id);
      }
    }
    const auto cid = repo::CallIdByPublicId(tx, call_id);
    if (!cid) {
      return Error{ErrorCode::kNotFound, "grants.call_not_found", "call_id", {}};
    }
    auto a = CreateApplicationTx(tx, actor, *cid, org_id, d, ip, now);
    if (a.ok() && !idempotency_key.empty()) {
      db::SetIdempotencyRef(tx, scope, idempotency_key, a->id);
    }
    return a;
  });
}

Result<Application> GrantsService::CreateApplicationTx(db::Tx& tx, int64_t actor, int64_t call_id, int64_t org_id,
                                                       const ApplicationDraft& d, const std::string& ip,
                                                       int64_t now_ms) {
  CC_TRY(ValidateDraft(d));
  const auto call = repo::FindCall(tx, call_id);
  if (!call) {
    return CallNotFound();
  }
  if (call->Phase(now_ms) != "open") {
    return Error::Conflict("grants.call_not_open", "call_id");
  }
  if (!accounts_.FindOrgTx(tx, org_id)) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  CC_TRY(CheckReferences(tx, accounts_, fund_, d));
  Application a;
  a.public_id = NewPublicId();
  a.call_id = call_id;
  a.org_id = org_id;
  a.d = d;
  a.total_fen = SumLines(d.budget_lines);
  a.created_by = actor;
  a.created_at_ms = now_ms;
  a.id = repo::InsertApplication(tx, a);
  repo::ReplaceChildren(tx, a.id, d);
  audit::Record(tx, actor, "grants.application.created", "grants_application", a.public_id,
        {{"call_id", call->public_id}, {"org_id", org_id}, {"requested_fen", d.requested_fen}}, ip, now_ms);
  return *repo::FindApplication(tx, a.id);
}

bool GrantsService::SeatedReviewerTx(db::Tx& tx, int64_t user_id, int64_t app_id) {
  const auto rid = repo::ReviewerIdByUser(tx, user_id);
  if (!rid) {
    return false;
  }
  return repo::LiveSeatMeeting(tx, app_id, *rid).has_value() && !repo::Conflicted(tx, *rid, app_id);
}

Result<ViewedApplication> GrantsService::ViewTx(db::Tx& tx, const std::optional<Principal>& p, int64_t app_id) {
  auto a = repo::FindApplication(tx, app_id);
  if (!a) {
    return AppNotFound();
  }
  ViewedApplication v;
  v.owner = p && p->HasOrgRole(Role::kOrgStaff, a->org_id);
  v.admin = IsAdmin(p) && a->status != "draft";
  v.reviewer = p && SeatedReviewerTx(tx, p->user_id, app_id);
  const bool in_public = a->status == "eligible" || a->status == "under_review" || a->status == "decided";
  if (!v.owner && !v.admin && !v.reviewer && !in_public) {
    return AppNotFound();
  }
  v.voted = p && repo::HasVoted(tx, app_id, p->user_id);
  if (v.owner || v.admin || v.reviewer) {
    v.attachments = repo::ListAttachments(tx, app_id);
  }
  v.call = *repo::FindCall(tx, a->call_id);
  v.app = std::move(*a);
  return v;
}

Task<ViewedApplication> GrantsService::View(std::optional<Principal> p, std::string app_id) {
  return ById<ViewedApplication>(store_, false, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
                                 [this, p](db::Tx& tx, int64_t id) { return ViewTx(tx, p, id); });
}

Task<ViewedApplication> GrantsService::Amend(const Principal& p, std::string app_id, ApplicationDraft d,
                                             std::string ip) {
  if (!IsPublicId(app_id)) {
    co_return AppNotFound();
  }
  CC_CO_TRY(ValidateDraft(d));
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ViewedApplication> {
    const int64_t now = clock_.NowMs();
    const auto id = repo::ApplicationIdByPublicId(tx, app_id);
    if (!id) {
      return AppNotFound();
    }
    const auto before = repo::FindApplication(tx, *id);
    if (!before || !p.HasOrgRole(Role::kOrgStaff, before->org_id)) {
      return AppNotFound();
    }
    CC_TRY(CheckReferences(tx, accounts_, fund_, d));
    // The deadline and the state are decided by the UPDATE itself.
    if (!repo::Amend(tx, *id, before->org_id, d, SumLines(d.budget_lines), now)) {
      const auto call = repo::FindCall(tx, before->call_id);
      const auto now_row = repo::FindApplication(tx, *id);
      if (now_row && now_row->status != "draft" && now_row->status != "submitted") {
        return Error::Conflict("grants.not_amendable");
      }
      if (call && now >= call->closes_at_ms) {
        return Error::Conflict("grants.deadline_passed");
      }
      return Error::Conflict("grants.not_amendable");
    }
    repo::ReplaceChildren(tx, *id, d);
    // An amended submission is checked again (its auto_checks refreshed).
    auto after = repo::FindApplication(tx, *id);
    if (after->status == "submitted") {
      const auto call = repo::FindCall(tx, after->call_id);
      const auto org = accounts_.FindOrgTx(tx, after->org_id);
      if (auto s = CheckApplication(*call, after->d, org ? org->rating : std::nullopt); !s.ok()) {
        return s.error();
      }
    }
    audit::Record(tx, p.user_id, "grants.application.amended", "grants_application", after->public_id,
          {{"version", after->version}, {"requested_fen", after->d.requested_fen}}, ip, now);
    return ViewTx(tx, p, *id);
  });
}

Result<Application> GrantsService::SubmitTx(db::Tx& tx, int64_t actor, int64_t app_id, const std::string& ip,
                                             int64_t now_ms) {
  // Lock, then decide: the checks read the budget lines and co-funders,
  // which only change under this row's lock (Amend's UPDATE takes it).
  db::LockRow(tx, "grants_applications", app_id);
  const auto a = repo::FindApplication(tx, app_id);
  if (!a) {
    return AppNotFound();
  }
  const auto call = repo::FindCall(tx, a->call_id);
  if (a->status != "draft") {
    return Error::Conflict("grants.not_amendable");
  }
  if (now_ms >= call->closes_at_ms || call->status != "published") {
    return Error::Conflict("grants.deadline_passed");
  }
  const auto org = accounts_.FindOrgTx(tx, a->org_id);
  CC_TRY(CheckApplication(*call, a->d, org ? org->rating : std::nullopt));
  if (!repo::Submit(tx, app_id, "[]", now_ms)) {
    return Error::Conflict("grants.deadline_passed");
  }
  audit::Record(tx, actor, "grants.application.submitted", "grants_application", a->public_id,
        {{"requested_fen", a->d.requested_fen}, {"total_fen", a->total_fen}}, ip, now_ms);
  return *repo::FindApplication(tx, app_id);
}

Task<ViewedApplication> GrantsService::Submit(const Principal& p, std::string app_id, std::string ip) {
  return ById<ViewedApplication>(
      store_, true, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
      [this, &p, ip = std::move(ip)](db::Tx& tx, int64_t id) -> Result<ViewedApplication> {
        if (!p.HasOrgRole(Role::kOrgStaff, repo::FindApplication(tx, id)->org_id)) {
          return AppNotFound();
        }
        CC_TRY(SubmitTx(tx, p.user_id, id, ip, clock_.NowMs()));
        return ViewTx(tx, p, id);
      });
}

Task<ViewedApplication> GrantsService::Withdraw(const Principal& p, std::string app_id, std::string ip) {
  return ById<ViewedApplication>(
      store_, true, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
      [this, &p, ip = std::move(ip)](db::Tx& tx, int64_t id) -> Result<ViewedApplication> {
        const int64_t now = clock_.NowMs();
        const auto a = repo::FindApplication(tx, id);
        if (!p.HasOrgRole(Role::kOrgStaff, a->org_id)) {
          return AppNotFound();
        }
        if (!repo::Withdraw(tx, id, now)) {  // the state and the deadline, in one statement
          const auto again = repo::FindApplication(tx, id);
          if (again->status != "draft" && again->status != "submitted") {
            return Error::Conflict("grants.not_amendable");
          }
          return Error::Conflict("grants.deadline_passed");
        }
        audit::Record(tx, p.user_id, "grants.application.withdrawn", "grants_application", a->public_id, {}, ip, now);
        return ViewTx(tx, p, id);
      });
}

Task<std::vector<Application>> GrantsService::MyApplications(const Principal& p) {
  repo::AppFilter f;
  for (const accounts::RoleGrant& g : p.roles) {
    if (g.role == Role::kOrgStaff && g.org_id) {
      f.org_ids.push_back(*g.org_id);
    }
  }
  if (f.org_ids.empty()) {
    co_return std::vector<Application>{};
  }
  f.limit = kListLimit;
  co_return co_await db::ReadTx(store_, [&f](db::Tx& tx) -> Result<std::vector<Application>> {
    return repo::ListApplications(tx, f);
  });
}

Task<std::vector<Application>> GrantsService::CallApplications(std::optional<Principal> p, std::string call_id,
                                                               std::string status) {
  if (!IsPublicId(call_id)) {
    co_return CallNotFound();
  }
  static const std::set<std::string> kStatuses = {"submitted", "withdrawn", "ineligible", "eligible",
                                                  "under_review", "decided"};
  if (!status.empty() && !kStatuses.contains(status)) {
    co_return Error::Invalid("invalid_value", "status");
  }
  repo::AppFilter f;
  f.limit = kListLimit;
  if (IsAdmin(p)) {
    f.statuses = status.empty() ? std::vector<std::string>(kStatuses.begin(), kStatuses.end())
                                : std::vector<std::string>{status};
  } else if (status.empty()) {
    f.statuses = {"eligible", "under_review", "decided"};
  } else if (status == "eligible" || status == "under_review" || status == "decided") {
    f.statuses = {status};
  } else {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Application>> {
    const auto id = repo::CallIdByPublicId(tx, call_id);
    if (!id) {
      return CallNotFound();
    }
    f.call_id = *id;
    return repo::ListApplications(tx, f);
  });
}

Result<Application> GrantsService::SetEligibilityTx(db::Tx& tx, int64_t actor, int64_t app_id, bool eligible,
                                                    const std::string& note, const std::string& ip, int64_t now_ms) {
  if (!repo::SetEligibility(tx, app_id, eligible, note, actor, now_ms)) {
    const auto a = repo::FindApplication(tx, app_id);
    if (!a || a->status == "draft") {
      return AppNotFound();
    }
    const auto call = repo::FindCall(tx, a->call_id);
    if (now_ms < call->closes_at_ms) {
      return Error::Conflict("grants.call_still_open");
    }
    return Error::Conflict("grants.not_checkable");
  }
  const auto a = repo::FindApplication(tx, app_id);
  audit::Record(tx, actor, eligible ? "grants.application.eligible" : "grants.application.ineligible",
        "grants_application", a->public_id, {{"note", note}}, ip, now_ms);
  return *a;
}

Task<ViewedApplication> GrantsService::SetEligibility(const Principal& p, std::string app_id, bool eligible,
                                                      std::string note, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<ViewedApplication>(
      store_, true, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
      [&](db::Tx& tx, int64_t id) -> Result<ViewedApplication> {
        CC_TRY(SetEligibilityTx(tx, p.user_id, id, eligible, note, ip, clock_.NowMs()));
        return ViewTx(tx, p, id);
      });
}

Task<SupportVote> GrantsService::Support(const Principal& p, std::string app_id) {
  return ById<SupportVote>(store_, true, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
                           [this, &p](db::Tx& tx, int64_t id) -> Result<SupportVote> {
                             auto v = ViewTx(tx, p, id);
                             CC_TRY(v);
                             if (p.HasOrgRole(Role::kOrgStaff, v->app.org_id)) {
                               return Error{ErrorCode::kForbidden, "grants.own_application", {}, {}};
                             }
                             SupportVote out;
                             // One statement decides: eligible, inside the support phase, first vote.
                             out.counted = repo::AddSupportVote(tx, id, p.user_id, clock_.NowMs());
                             if (!out.counted && !repo::HasVoted(tx, id, p.user_id)) {
                               return Error::Conflict("grants.support_closed");
                             }
                             out.app = *repo::FindApplication(tx, id);
                             return out;
                           });
}

// ---- Reviewer pool

Result<Reviewer> GrantsService::AddReviewerTx(db::Tx& tx, std::optional<int64_t> actor, const NewReviewer& in,
                                              const std::string& status, const std::string& ip, int64_t now_ms) {
  CC_TRY(ValidateReviewer(in));
  if (!in.user_id) {
    return Error::Invalid("missing_field", "user_id");
  }
  if (in.village_id && !accounts_.FindVillageTx(tx, *in.village_id)) {
    return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
  }
  if (in.kind == ReviewerKind::kCitizen && !in.village_id) {
    return Error::Unprocessable("grants.village_required", "village_id");
  }
  if (repo::ReviewerIdByUser(tx, *in.user_id)) {
    return Error::Conflict("grants.already_reviewer");
  }
  if (status == "approved") {
    CC_TRY(accounts_.EnsureRoleTx(tx, actor, *in.user_id, Role::kReviewer, ip));
  }
  Reviewer r;
  r.public_id = NewPublicId();
  r.user_id = *in.user_id;
  r.kind = in.kind;
  r.status = status;
  r.village_id = in.village_id;
  r.title = in.title;
  r.statement = in.statement;
  r.declarations = in.declarations;
  r.load_cap = in.load_cap > 0 ? in.load_cap
                               : (in.kind == ReviewerKind::kExpert ? kDefaultExpertCap : kDefaultCitizenCap);
  r.created_at_ms = now_ms;
  try {
    r.id = repo::InsertReviewer(tx, r);
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::kUnique) {  // two applications by one person raced
      return Error::Conflict("grants.already_reviewer");
    }
    if (e.kind() == db::DbError::Kind::kForeignKey) {
      return Error{ErrorCode::kNotFound, "user_not_found", "user_id", {}};
    }
    throw;
  }
  repo::ReplaceTags(tx, r.id, in.project_types);
  audit::Record(tx, actor, status == "approved" ? "grants.reviewer.added" : "grants.reviewer.applied", "grants_reviewer",
        r.public_id, {{"kind", std::string(KindText(r.kind))}, {"user_id", r.user_id}}, ip, now_ms);
  return *repo::FindReviewer(tx, r.id);
}

Task<Reviewer> GrantsService::AddExpert(const Principal& p, NewReviewer in, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (in.kind != ReviewerKind::kExpert) {
    co_return Error::Invalid("invalid_value", "kind");
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) {
    return AddReviewerTx(tx, actor, in, "approved", ip, clock_.NowMs());
  });
}

Task<Reviewer> GrantsService::ApplyCitizen(const Principal& p, NewReviewer in, std::string ip) {
  in.kind = ReviewerKind::kCitizen;
  in.user_id = p.user_id;
  in.load_cap = 0;
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Reviewer> {
    if (!in.village_id) {
      in.village_id = accounts_.HomeVillageIdTx(tx, actor);
    }
    return AddReviewerTx(tx, actor, in, "applied", ip, clock_.NowMs());
  });
}

Result<Reviewer> GrantsService::DecideReviewerTx(db::Tx& tx, std::optional<int64_t> actor, int64_t reviewer_id,
                                                 bool approve, const std::string& ip, int64_t now_ms) {
  if (!repo::DecideReviewer(tx, reviewer_id, approve, actor, now_ms)) {
    if (!repo::FindReviewer(tx, reviewer_id)) {
      return ReviewerNotFound();
    }
    return Error::Conflict("grants.not_applied");
  }
  auto r = repo::FindReviewer(tx, reviewer_id);
  if (approve) {
    CC_TRY(accounts_.EnsureRoleTx(tx, actor, r->user_id, Role::kReviewer, ip));
  }
  audit::Record(tx, actor, approve ? "grants.reviewer.approved" : "grants.reviewer.rejected", "grants_reviewer",
        r->public_id, {{"kind", std::string(KindText(r->kind))}}, ip, now_ms);
  return *r;
}

Task<Reviewer> GrantsService::DecideReviewer(const Principal& p, std::string reviewer_id, bool approve,
                                             std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<Reviewer>(store_, true, std::move(reviewer_id), repo::ReviewerIdByPublicId,
                                    ReviewerNotFound(), [&](db::Tx& tx, int64_t id) {
                                      return DecideReviewerTx(tx, p.user_id, id, approve, ip, clock_.NowMs());
                                    });
}

Result<Conflict> GrantsService::DeclareConflictTx(db::Tx& tx, int64_t actor, int64_t reviewer_id,
                                                  const NewConflict& in, const std::string& ip, int64_t now_ms) {
  if (!in.org_id && !in.village_id) {
    return Error::Invalid("missing_field", "org_id");
  }
  if (in.org_id && !accounts_.FindOrgTx(tx, *in.org_id)) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  if (in.village_id && !accounts_.FindVillageTx(tx, *in.village_id)) {
    return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
  }
  // The seat insert locks the same row, so a seat and a conflict declared
  // at once are decided one after the other.
  if (!db::LockRow(tx, "grants_reviewers", reviewer_id)) {
    return ReviewerNotFound();
  }
  Conflict c;
  c.reviewer_id = reviewer_id;
  c.org_id = in.org_id;
  c.village_id = in.village_id;
  c.note = in.note;
  c.created_at_ms = now_ms;
  c.id = repo::InsertConflict(tx, c, actor);
  const int64_t removed = repo::RemoveConflictedSeats(tx, reviewer_id, now_ms);
  const auto r = repo::FindReviewer(tx, reviewer_id);
  audit::Record(tx, actor, "grants.conflict.declared", "grants_reviewer", r->public_id,
        {{"org_id", Opt(c.org_id)}, {"village_id", Opt(c.village_id)}, {"seats_removed", removed}}, ip, now_ms);
  return c;
}

Task<Conflict> GrantsService::DeclareConflict(const Principal& p, std::string reviewer_id, NewConflict in,
                                              std::string ip) {
  co_return co_await ById<Conflict>(store_, true, std::move(reviewer_id), repo::ReviewerIdByPublicId,
                                    ReviewerNotFound(), [&](db::Tx& tx, int64_t id) -> Result<Conflict> {
                                      if (repo::FindReviewer(tx, id)->user_id != p.user_id &&
                                          !p.Has(Role::kFundAdmin)) {
                                        return ReviewerNotFound();
                                      }
                                      return DeclareConflictTx(tx, p.user_id, id, in, ip, clock_.NowMs());
                                    });
}

Task<std::vector<Reviewer>> GrantsService::ListReviewers(const Principal& p, std::string status) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!status.empty() && status != "applied" && status != "approved" && status != "rejected" &&
      status != "suspended") {
    co_return Error::Invalid("invalid_value", "status");
  }
  std::optional<std::string> filter;
  if (!status.empty()) {
    filter = status;
  }
  co_return co_await db::ReadTx(store_, [&filter](db::Tx& tx) -> Result<std::vector<Reviewer>> {
    return repo::ListReviewers(tx, filter, kListLimit);
  });
}

Task<ReviewerHome> GrantsService::MyReviewer(const Principal& p) {
  const int64_t user = p.user_id;
  co_return co_await db::ReadTx(store_, [user](db::Tx& tx) -> Result<ReviewerHome> {
    const auto id = repo::ReviewerIdByUser(tx, user);
    if (!id) {
      return ReviewerNotFound();
    }
    ReviewerHome h;
    h.reviewer = *repo::FindReviewer(tx, *id);
    h.conflicts = repo::ConflictsOf(tx, *id);
    h.seats = repo::ReviewerAssignments(tx, *id);
    return h;
  });
}

// ---- Meetings

Result<Meeting> GrantsService::CreateMeetingTx(db::Tx& tx, int64_t actor, int64_t call_id, const NewMeeting& in,
                                               const std::string& ip, int64_t now_ms) {
  if (in.held_at_ms < 1) {
    return Error::Invalid("out_of_range", "held_at_ms");
  }
  if (in.scores_due_ms < 1) {
    return Error::Invalid("out_of_range", "scores_due_ms");
  }
  const auto call = repo::FindCall(tx, call_id);
  if (!call) {
    return CallNotFound();
  }
  Meeting m;
  m.public_id = NewPublicId();
  m.call_id = call_id;
  m.title = in.title.empty() ? call->title + " 评审会" : in.title;
  m.held_at_ms = in.held_at_ms;
  m.venue = in.venue;
  m.scores_due_ms = in.scores_due_ms;
  m.created_by = actor;
  m.created_at_ms = now_ms;
  m.id = repo::InsertMeeting(tx, m);
  audit::Record(tx, actor, "grants.meeting.created", "grants_meeting", m.public_id,
        {{"call_id", call->public_id}, {"held_at_ms", m.held_at_ms}}, ip, now_ms);
  return *repo::FindMeeting(tx, m.id);
}

Task<Meeting> GrantsService::CreateMeeting(const Principal& p, std::string call_id, NewMeeting in, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(call_id)) {
    co_return Error{ErrorCode::kNotFound, "grants.call_not_found", "call_id", {}};
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Meeting> {
    const auto id = repo::CallIdByPublicId(tx, call_id);
    if (!id) {
      return Error{ErrorCode::kNotFound, "grants.call_not_found", "call_id", {}};
    }
    return CreateMeetingTx(tx, p.user_id, *id, in, ip, clock_.NowMs());
  });
}

Task<MeetingView> GrantsService::GetMeeting(const Principal& p, std::string meeting_id) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<MeetingView>(store_, false, std::move(meeting_id), repo::MeetingIdByPublicId,
                                       MeetingNotFound(), [](db::Tx& tx, int64_t id) -> Result<MeetingView> {
                                         MeetingView v;
                                         v.meeting = *repo::FindMeeting(tx, id);
                                         v.call = *repo::FindCall(tx, v.meeting.call_id);
                                         v.seats = repo::MeetingAssignments(tx, id, false);
                                         v.open_seats = repo::OpenSeatsOfCall(tx, v.call.id);
                                         return v;
                                       });
}

Result<std::vector<Assignment>> GrantsService::WriteSeats(db::Tx& tx, std::optional<int64_t> actor,
                                                          const Meeting& m, const Call& c, const AssignResult& r,
                                                          int64_t now_ms) {
  std::vector<Assignment> written;
  size_t i = 0;
  while (i < r.assignments.size()) {
    // One application and kind at a time: its free seat numbers.
    size_t j = i;
    while (j < r.assignments.size() && r.assignments[j].application_id == r.assignments[i].application_id &&
           r.assignments[j].kind == r.assignments[i].kind) {
      ++j;
    }
    const Placement& first = r.assignments[i];
    const auto seats = repo::FreeSeats(tx, first.application_id, first.kind, c.Panel(first.kind),
                                       static_cast<int>(j - i));
    if (seats.size() < j - i) {
      return Error::Conflict("grants.pool_changed");
    }
    for (size_t k = i; k < j; ++k) {
      const Placement& pl = r.assignments[k];
      Assignment s;
      s.public_id = NewPublicId();
      s.meeting_id = m.id;
      s.application_id = pl.application_id;
      s.reviewer_id = pl.reviewer_id;
      s.kind = pl.kind;
      s.seat_no = seats[k - i];
      s.cost = pl.cost;
      s.reason = json::serialize(CostReason(pl));
      s.created_at_ms = now_ms;
      bool ok = false;
      try {
        ok = repo::InsertSeat(tx, s, actor);
      } catch (const db::DbError& e) {
        if (e.kind() != db::DbError::Kind::kUnique) {
          throw;
        }
      }
      if (!ok) {
        return Error::Conflict("grants.pool_changed");
      }
      written.push_back(std::move(s));
    }
    i = j;
  }
  return written;
}

Task<AssignOutcome> GrantsService::Assign(const Principal& p, std::string meeting_id, bool dry_run, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  const std::optional<int64_t> actor = p.user_id;
  co_return co_await AssignAs(actor, std::move(meeting_id), dry_run, std::move(ip));
}

Task<AssignOutcome> GrantsService::AssignAs(std::optional<int64_t> actor, std::string meeting_id, bool dry_run,
                                            std::string ip) {
  if (!IsPublicId(meeting_id)) {
    co_return MeetingNotFound();
  }
  struct Loaded {
    Meeting meeting;
    Call call;
    AssignInput input;
    std::map<int64_t, Label> apps;
    std::map<int64_t, Label> reviewers;
  };
  constexpr int kAttempts = 2;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto loaded = co_await db::ReadTx(store_, [&meeting_id](db::Tx& tx) -> Result<Loaded> {
      const auto id = repo::MeetingIdByPublicId(tx, meeting_id);
      if (!id) {
        return MeetingNotFound();
      }
      Loaded l;
      l.meeting = *repo::FindMeeting(tx, *id);
      if (l.meeting.status == "closed") {
        return Error::Conflict("grants.meeting_closed");
      }
      l.call = *repo::FindCall(tx, l.meeting.call_id);
      l.input = repo::LoadAssignInput(tx, l.meeting, l.call);
      l.apps = repo::ApplicationLabels(tx, l.call.id);
      l.reviewers = repo::ApprovedReviewerLabels(tx);
      return l;
    });
    CC_CO_TRY(loaded);
    const auto started = std::chrono::steady_clock::now();
    const AssignInput& input = loaded->input;
    AssignResult solved = co_await db::OnPool(cpu_, [&input] { return grants::Assign(input); });
    const int64_t elapsed_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - started)
                                   .count();
    AssignOutcome out;
    out.meeting = loaded->meeting;
    out.apps = loaded->apps;
    out.elapsed_us = elapsed_us;
    out.dry_run = dry_run;
    const auto describe = [&loaded](Assignment& s) {
      const Label& app = loaded->apps[s.application_id];
      s.application_public_id = app.public_id;
      s.application_title = app.name;
      const Label& who = loaded->reviewers[s.reviewer_id];
      s.reviewer_public_id = who.public_id;
      s.reviewer_name = who.name;
    };
    if (dry_run) {
      for (const Placement& pl : solved.assignments) {
        Assignment s;
        s.application_id = pl.application_id;
        s.reviewer_id = pl.reviewer_id;
        s.kind = pl.kind;
        s.status = "proposed";
        s.cost = pl.cost;
        s.reason = json::serialize(CostReason(pl));
        describe(s);
        out.seats.push_back(std::move(s));
      }
      out.result = std::move(solved);
      co_return out;
    }
    const Loaded& l = *loaded;
    auto written = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<std::vector<Assignment>> {
      const int64_t now = clock_.NowMs();
      // One assignment run per call at a time (runs, swaps and declines
      // lock the call first, then reviewers).
      db::LockRow(tx, "grants_calls", l.call.id);
      repo::DropProposed(tx, l.meeting.id);
      auto seats = WriteSeats(tx, actor, l.meeting, l.call, solved, now);
      CC_TRY(seats);
      repo::MarkUnderReview(tx, l.call.id, now);
      repo::SetMeetingAssigned(tx, l.meeting.id, solved.cost);
      audit::Record(tx, actor, "grants.meeting.assigned", "grants_meeting", l.meeting.public_id,
            {{"seats", static_cast<int64_t>(seats->size())},
             {"shortfalls", static_cast<int64_t>(solved.shortfalls.size())},
             {"cost", solved.cost}},
            ip, now);
      return seats;
    });
    if (!written.ok() && written.error().key == "grants.pool_changed" && attempt + 1 < kAttempts) {
      continue;  // something changed between the read and the write: solve again
    }
    CC_CO_TRY(written);
    out.seats = std::move(*written);
    for (Assignment& s : out.seats) {
      s.status = "proposed";
      describe(s);
    }
    out.meeting.status = "assigned";
    out.meeting.last_cost = solved.cost;
    out.result = std::move(solved);
    co_return out;
  }
  co_return Error::Conflict("grants.pool_changed");
}

Task<bool> GrantsService::SetAvailability(const Principal& p, std::string meeting_id,
                                          std::optional<std::string> reviewer_id, bool available) {
  if (!IsPublicId(meeting_id)) {
    co_return MeetingNotFound();
  }
  if (reviewer_id && (!p.Has(Role::kFundAdmin) || !IsPublicId(*reviewer_id))) {
    co_return ReviewerNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<bool> {
    const auto mid = repo::MeetingIdByPublicId(tx, meeting_id);
    if (!mid) {
      return MeetingNotFound();
    }
    const auto rid = reviewer_id ? repo::ReviewerIdByPublicId(tx, *reviewer_id) : repo::ReviewerIdByUser(tx, p.user_id);
    if (!rid) {
      return ReviewerNotFound();
    }
    repo::SetUnavailable(tx, *mid, *rid, !available, clock_.NowMs());
    return available;
  });
}

Task<Assignment> GrantsService::AnswerSeat(const Principal& p, std::string seat_id, bool accept) {
  if (!IsPublicId(seat_id)) {
    co_return SeatNotFound();
  }
  std::string meeting_public_id;
  auto seat = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Assignment> {
    const int64_t now = clock_.NowMs();
    auto s = repo::FindSeat(tx, seat_id);
    const auto reviewer = s ? repo::FindReviewer(tx, s->reviewer_id) : std::nullopt;
    if (!s || !reviewer || reviewer->user_id != p.user_id) {
      return SeatNotFound();
    }
    const auto meeting = repo::FindMeeting(tx, s->meeting_id);
    db::LockRow(tx, "grants_calls", meeting->call_id);
    if (!repo::AnswerSeat(tx, s->id, accept, now)) {
      return Error::Conflict("grants.seat_not_open");
    }
    meeting_public_id = meeting->public_id;
    s->status = accept ? "accepted" : "declined";
    audit::Record(tx, p.user_id, accept ? "grants.seat.accepted" : "grants.seat.declined", "grants_assignment", s->public_id,
          {{"application_id", s->application_public_id}}, "", now);
    return *s;
  });
  CC_CO_TRY(seat);
  if (!accept) {
    // The declined seat is filled again by the same solver: this meeting's
    // other unanswered seats are re-solved with it, accepted ones stay.
    auto refill = co_await AssignAs(std::nullopt, meeting_public_id, false, "");
    if (!refill.ok()) {
      // The decline stands; the admin's next run fills the seat.
      (void)refill;
    }
  }
  co_return seat;
}

Task<SeatSwap> GrantsService::SwapSeat(const Principal& p, std::string seat_id, std::string reviewer_id,
                                       std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(seat_id)) {
    co_return SeatNotFound();
  }
  if (!IsPublicId(reviewer_id)) {
    co_return ReviewerNotFound();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<SeatSwap> {
    const int64_t now = clock_.NowMs();
    auto old = repo::FindSeat(tx, seat_id);
    if (!old) {
      return SeatNotFound();
    }
    const auto rid = repo::ReviewerIdByPublicId(tx, reviewer_id);
    if (!rid) {
      return ReviewerNotFound();
    }
    const auto meeting = repo::FindMeeting(tx, old->meeting_id);
    if (meeting->status == "closed") {
      return Error::Conflict("grants.meeting_closed");
    }
    const auto app = repo::FindApplication(tx, old->application_id);
    if (app->status != "eligible" && app->status != "under_review") {
      return Error::Conflict("grants.not_under_review");
    }
    const auto incoming = repo::FindReviewer(tx, *rid);
    if (incoming->kind != old->kind) {
      return Error::Unprocessable("grants.reviewer_kind_mismatch", "reviewer_id");
    }
    if (*rid == old->reviewer_id) {
      return Error::Unprocessable("grants.same_reviewer", "reviewer_id");
    }
    // The same lock as an assignment run and a seat answer: one at a time per call.
    db::LockRow(tx, "grants_calls", meeting->call_id);
    if (!repo::RemoveSeat(tx, old->id, now)) {
      return Error::Conflict("grants.seat_not_open");
    }
    Assignment s;
    s.public_id = NewPublicId();
    s.meeting_id = old->meeting_id;
    s.application_id = old->application_id;
    s.reviewer_id = *rid;
    s.kind = old->kind;
    s.seat_no = old->seat_no;
    s.reason = json::serialize(json::object{{"swap", true}, {"replaced", old->reviewer_public_id}});
    s.created_at_ms = now;
    bool placed = false;
    try {
      // The guarded insert decides: conflicts, availability, load cap and
      // earlier declines are checked by the statement that writes the seat.
      placed = repo::InsertSeat(tx, s, p.user_id);
    } catch (const db::DbError& e) {
      if (e.kind() != db::DbError::Kind::kUnique) {
        throw;
      }
    }
    if (!placed) {
      // The error rolls the removal back too.
      return Error::Conflict(repo::SeatRefusal(tx, *rid, old->application_id, old->meeting_id), "reviewer_id");
    }
    old->status = "removed";
    audit::Record(tx, p.user_id, "grants.seat.swapped", "grants_assignment", old->public_id,
          {{"application_id", old->application_public_id},
           {"from", old->reviewer_public_id},
           {"to", reviewer_id},
           {"seat", s.public_id}},
          ip, now);
    return SeatSwap{*repo::FindSeat(tx, s.public_id), std::move(*old)};
  });
}

// ---- Reviews and scores

Result<Review> GrantsService::PutReviewTx(db::Tx& tx, int64_t reviewer_id, int64_t app_id, const std::string& status,
                                          const std::map<std::string, int>& scores, const std::string& comment,
                                          const std::string& ip, int64_t now_ms) {
  const auto app = repo::FindApplication(tx, app_id);
  if (!app) {
    return SeatNotFound();
  }
  const auto call = repo::FindCall(tx, app->call_id);
  const auto criteria = Criteria(call->rubric);
  std::map<std::string, int> kept = scores;
  // The messages name the criterion ("请为“需求”打分"): it is the field after "scores.".
  const auto named = [](Error e) {
    e.detail = e.field.size() > 7 ? e.field.substr(7) : e.field;
    return e;
  };
  if (status == "submitted") {
    if (auto s = ValidateScores(criteria, scores); !s.ok()) {
      return named(s.error());
    }
  } else if (status == "draft") {
    for (const auto& [name, score] : scores) {
      std::map<std::string, int> one{{name, score}};
      if (auto s = ValidateScores(criteria, one); !s.ok() && s.error().key != "missing_score") {
        return named(s.error());
      }
    }
  } else {
    kept.clear();  // abstained: no scores
  }
  // One statement decides the seat, the conflict, the deadline and a recusal.
  if (!repo::UpsertReview(tx, app_id, reviewer_id, status, comment, kept, now_ms)) {
    const auto meeting = repo::LiveSeatMeeting(tx, app_id, reviewer_id);
    if (!meeting || repo::Conflicted(tx, reviewer_id, app_id)) {
      return SeatNotFound();
    }
    if (const auto v = repo::FindReview(tx, app_id, reviewer_id); v && v->status == "recused") {
      return Error::Conflict("grants.review_recused");
    }
    const auto m = repo::FindMeeting(tx, *meeting);
    if (now_ms >= m->scores_due_ms) {
      return Error::Conflict("grants.scores_closed");
    }
    return Error::Conflict("grants.not_under_review");
  }
  auto saved = repo::FindReview(tx, app_id, reviewer_id);
  const auto r = repo::FindReviewer(tx, reviewer_id);
  audit::Record(tx, r->user_id, "grants.review." + status, "grants_application", app->public_id,
        {{"reviewer_id", r->public_id}}, ip, now_ms);
  return *saved;
}

Task<ReviewSheet> GrantsService::PutReview(const Principal& p, std::string app_id, std::string status,
                                           std::map<std::string, int> scores, std::string comment, std::string ip) {
  if (status != "draft" && status != "submitted" && status != "abstained") {
    co_return Error::Invalid("invalid_value", "status");
  }
  co_return co_await ById<ReviewSheet>(
      store_, true, std::move(app_id), repo::ApplicationIdByPublicId, SeatNotFound(),
      [&](db::Tx& tx, int64_t id) -> Result<ReviewSheet> {
        const auto reviewer = repo::ReviewerIdByUser(tx, p.user_id);
        if (!reviewer) {
          return SeatNotFound();
        }
        CC_ASSIGN_OR_RETURN(Review saved, PutReviewTx(tx, *reviewer, id, status, scores, comment, ip, clock_.NowMs()));
        ReviewSheet sheet;
        CC_ASSIGN_OR_RETURN(sheet.app, ViewTx(tx, p, id));
        sheet.score = WeightedScore(sheet.app.call.rubric, saved.scores);
        sheet.review = std::move(saved);
        sheet.scores_due_ms = repo::FindMeeting(tx, sheet.review.meeting_id)->scores_due_ms;
        return sheet;
      });
}

Task<ReviewSheet> GrantsService::GetReview(const Principal& p, std::string app_id) {
  return ById<ReviewSheet>(
      store_, false, std::move(app_id), repo::ApplicationIdByPublicId, SeatNotFound(),
      [this, &p](db::Tx& tx, int64_t id) -> Result<ReviewSheet> {
        const auto reviewer = repo::ReviewerIdByUser(tx, p.user_id);
        if (!reviewer) {
          return SeatNotFound();
        }
        const auto meeting = repo::LiveSeatMeeting(tx, id, *reviewer);
        if (!meeting || repo::Conflicted(tx, *reviewer, id)) {
          return SeatNotFound();
        }
        ReviewSheet sheet;
        CC_ASSIGN_OR_RETURN(sheet.app, ViewTx(tx, p, id));
        if (auto v = repo::FindReview(tx, id, *reviewer)) {
          sheet.review = std::move(*v);
        } else {
          const auto r = repo::FindReviewer(tx, *reviewer);
          sheet.review.application_id = id;
          sheet.review.reviewer_id = r->id;
          sheet.review.reviewer_public_id = r->public_id;
          sheet.review.reviewer_name = r->display_name;
          sheet.review.kind = r->kind;
          sheet.review.meeting_id = *meeting;
          sheet.review.status = "none";
        }
        sheet.score = WeightedScore(sheet.app.call.rubric, sheet.review.scores);
        sheet.scores_due_ms = repo::FindMeeting(tx, *meeting)->scores_due_ms;
        return sheet;
      });
}

Task<ScoreSheet> GrantsService::Scores(const Principal& p, std::string app_id) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<ScoreSheet>(
      store_, false, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
      [&p](db::Tx& tx, int64_t id) -> Result<ScoreSheet> {
        // An admin who also sits in the pool with a conflict on it sees nothing of it.
        if (const auto own = repo::ReviewerIdByUser(tx, p.user_id); own && repo::Conflicted(tx, *own, id)) {
          return AppNotFound();
        }
        ScoreSheet sheet;
        sheet.app = *repo::FindApplication(tx, id);
        if (sheet.app.status == "draft") {
          return AppNotFound();
        }
        sheet.call = *repo::FindCall(tx, sheet.app.call_id);
        repo::AppFilter f;
        f.call_id = sheet.call.id;
        f.statuses = {"eligible", "under_review", "decided"};
        f.limit = 5000;
        std::vector<Application> apps = repo::ListApplications(tx, f);
        const std::vector<Review> reviews = repo::ReviewsOfCall(tx, sheet.call.id);
        // Normalisation reads every review of the call; this application's row is then picked.
        if (std::none_of(apps.begin(), apps.end(), [id](const Application& a) { return a.id == id; })) {
          apps.push_back(sheet.app);
        }
        const auto input = ScoringInput(sheet.call, apps, reviews);
        auto scored = ScoreAll(Criteria(sheet.call.rubric), input, OptionsOf(sheet.call));
        Rank(scored, input);
        for (AppScore& s : scored) {
          if (s.application_id == id) {
            sheet.score = std::move(s);
          }
        }
        for (const Review& v : reviews) {
          if (v.application_id == id) {
            sheet.reviews.push_back(v);
          }
        }
        return sheet;
      });
}

Task<RankingView> GrantsService::Ranking(const Principal& p, std::string meeting_id) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<RankingView>(
      store_, false, std::move(meeting_id), repo::MeetingIdByPublicId, MeetingNotFound(),
      [](db::Tx& tx, int64_t id) -> Result<RankingView> {
        RankingView v;
        v.meeting = *repo::FindMeeting(tx, id);
        v.call = *repo::FindCall(tx, v.meeting.call_id);
        FillRanking(tx, v);
        return v;
      });
}

Task<Review> GrantsService::Recuse(const Principal& p, std::string app_id, std::string reviewer_id, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (!IsPublicId(reviewer_id)) {
    co_return ReviewerNotFound();
  }
  co_return co_await ById<Review>(
      store_, true, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
      [&](db::Tx& tx, int64_t id) -> Result<Review> {
        const auto reviewer = repo::ReviewerIdByPublicId(tx, reviewer_id);
        if (!reviewer) {
          return ReviewerNotFound();
        }
        const int64_t now = clock_.NowMs();
        auto meeting = repo::LiveSeatMeeting(tx, id, *reviewer);
        if (!meeting) {
          if (const auto v = repo::FindReview(tx, id, *reviewer)) {
            meeting = v->meeting_id;
          }
        }
        if (!meeting) {
          return SeatNotFound();
        }
        repo::Recuse(tx, id, *reviewer, *meeting, p.user_id, now);
        const auto app = repo::FindApplication(tx, id);
        audit::Record(tx, p.user_id, "grants.review.recused", "grants_application", app->public_id,
              {{"reviewer_id", reviewer_id}}, ip, now);
        return *repo::FindReview(tx, id, *reviewer);
      });
}

Task<std::vector<Meeting>> GrantsService::ListMeetings(const Principal& p, std::string call_id) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<std::vector<Meeting>>(
      store_, false, std::move(call_id), repo::CallIdByPublicId, CallNotFound(),
      [](db::Tx& tx, int64_t id) -> Result<std::vector<Meeting>> { return repo::MeetingsOfCall(tx, id); });
}

// ---- Decisions and the notice

Result<Application> GrantsService::DecideTx(db::Tx& tx, int64_t actor, int64_t app_id, const std::string& decision,
                                            Fen awarded_fen, const std::string& reason, const std::string& ip,
                                            int64_t now_ms) {
  const auto a = repo::FindApplication(tx, app_id);
  if (!a || a->status == "draft") {
    return AppNotFound();
  }
  const auto call = repo::FindCall(tx, a->call_id);
  if (a->status != "under_review" && a->status != "decided") {
    return Error::Conflict("grants.not_decidable");
  }
  if (repo::NoticeOfCall(tx, call->id)) {
    return Error::Conflict("grants.notice_published");
  }
  const bool approve = decision == "approved";
  const Fen award = approve ? awarded_fen : 0;
  if (approve && (award < 1 || award > std::min(a->d.requested_fen, call->cap_fen))) {
    return Error::Unprocessable("grants.award_out_of_range", "awarded_fen");
  }
  if (!approve && awarded_fen != 0) {
    return Error::Invalid("not_allowed_for_mode", "awarded_fen");
  }
  // The budget: one statement moves the call's total, within 0..budget.
  if (!repo::AddAwarded(tx, call->id, award - a->awarded_fen)) {
    return Error::Conflict("grants.over_budget", "awarded_fen");
  }
  // The award read above must still be the row's: a concurrent decision on
  // the same application makes this write nothing, and the job rolls back.
  if (!repo::Decide(tx, app_id, decision, award, a->awarded_fen, reason, actor, now_ms)) {
    return Error::Conflict("grants.decision_changed");
  }
  audit::Record(tx, actor, "grants.application." + decision, "grants_application", a->public_id,
        {{"awarded_fen", award}, {"previous_fen", a->awarded_fen}, {"reason", reason}}, ip, now_ms);
  return *repo::FindApplication(tx, app_id);
}

Task<ViewedApplication> GrantsService::Decide(const Principal& p, std::string app_id, std::string decision,
                                              Fen awarded_fen, std::string reason, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  if (decision != "approved" && decision != "rejected") {
    co_return Error::Invalid("invalid_value", "decision");
  }
  co_return co_await ById<ViewedApplication>(
      store_, true, std::move(app_id), repo::ApplicationIdByPublicId, AppNotFound(),
      [&](db::Tx& tx, int64_t id) -> Result<ViewedApplication> {
        CC_TRY(DecideTx(tx, p.user_id, id, decision, awarded_fen, reason, ip, clock_.NowMs()));
        return ViewTx(tx, p, id);
      });
}

Result<Notice> GrantsService::PublishNoticeTx(db::Tx& tx, int64_t actor, int64_t call_id, const std::string& note,
                                              const std::string& ip, int64_t now_ms) {
  // Lock the call: no decision lands between the count and the notice.
  if (!db::LockRow(tx, "grants_calls", call_id)) {
    return CallNotFound();
  }
  if (repo::NoticeOfCall(tx, call_id)) {
    return Error::Conflict("grants.notice_published");
  }
  if (repo::CountUndecided(tx, call_id) > 0) {
    return Error::Conflict("grants.undecided_applications");
  }
  const auto call = repo::FindCall(tx, call_id);
  Notice n;
  n.public_id = NewPublicId();
  n.call_id = call_id;
  n.note = note;
  n.published_at_ms = now_ms;
  n.objections_close_ms = now_ms + call->objection_days * kDayMs;
  try {
    n.id = repo::InsertNotice(tx, n, actor);
  } catch (const db::DbError& e) {
    if (e.kind() == db::DbError::Kind::kUnique) {
      return Error::Conflict("grants.notice_published");
    }
    throw;
  }
  audit::Record(tx, actor, "grants.notice.published", "grants_call", call->public_id,
        {{"awarded_fen", call->awarded_fen}, {"objections_close_ms", n.objections_close_ms}}, ip, now_ms);
  return n;
}

namespace {

// The notice with the decided applications ranked, and its objections.
NoticeView LoadNotice(db::Tx& tx, const Notice& n) {
  NoticeView v;
  v.notice = n;
  v.call = *repo::FindCall(tx, n.call_id);
  v.results.call = v.call;
  FillRanking(tx, v.results);
  std::erase_if(v.results.ranked, [&v](const AppScore& s) { return v.results.apps.at(s.application_id).status != "decided"; });
  v.objections = repo::ObjectionsOf(tx, n.id);
  return v;
}

}  // namespace

Task<NoticeView> GrantsService::PublishNotice(const Principal& p, std::string call_id, std::string note,
                                              std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<NoticeView>(store_, true, std::move(call_id), repo::CallIdByPublicId, CallNotFound(),
                                      [&](db::Tx& tx, int64_t id) -> Result<NoticeView> {
                                        CC_ASSIGN_OR_RETURN(Notice n,
                                                            PublishNoticeTx(tx, p.user_id, id, note, ip,
                                                                            clock_.NowMs()));
                                        return LoadNotice(tx, n);
                                      });
}

Task<NoticeView> GrantsService::GetNotice(std::optional<Principal> p, std::string call_id) {
  (void)p;
  return ById<NoticeView>(store_, false, std::move(call_id), repo::CallIdByPublicId, CallNotFound(),
                          [](db::Tx& tx, int64_t id) -> Result<NoticeView> {
                            const auto n = repo::NoticeOfCall(tx, id);
                            if (!n) {
                              return Error::NotFound("grants.notice_not_found");
                            }
                            return LoadNotice(tx, *n);
                          });
}

Task<Objection> GrantsService::Object(const Principal& p, std::string notice_id, std::string app_id,
                                      std::string body) {
  if (!IsPublicId(app_id)) {
    co_return AppNotFound();
  }
  co_return co_await ById<Objection>(
      store_, true, std::move(notice_id), repo::NoticeIdByPublicId, Error::NotFound("grants.notice_not_found"),
      [&](db::Tx& tx, int64_t nid) -> Result<Objection> {
        const auto app = repo::ApplicationIdByPublicId(tx, app_id);
        if (!app) {
          return AppNotFound();
        }
        Objection o;
        o.public_id = NewPublicId();
        o.notice_id = nid;
        o.application_id = *app;
        o.user_id = p.user_id;
        o.body = body;
        o.created_at_ms = clock_.NowMs();
        // The window and the application's place in the notice, in the INSERT.
        if (!repo::InsertObjection(tx, o)) {
          const auto n = repo::FindNotice(tx, nid);
          if (o.created_at_ms >= n->objections_close_ms) {
            return Error::Conflict("grants.objections_closed");
          }
          return AppNotFound();
        }
        for (const Objection& x : repo::ObjectionsOf(tx, nid)) {
          if (x.public_id == o.public_id) {
            return x;
          }
        }
        return Error::Internal("objection not found after insert");
      });
}

Task<Objection> GrantsService::AnswerObjection(const Principal& p, std::string objection_id, bool upheld,
                                               std::string answer, std::string ip) {
  if (!p.Has(Role::kFundAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await ById<Objection>(
      store_, true, std::move(objection_id), repo::ObjectionIdByPublicId,
      Error::NotFound("grants.objection_not_found"), [&](db::Tx& tx, int64_t id) -> Result<Objection> {
        const int64_t now = clock_.NowMs();
        if (!repo::AnswerObjection(tx, id, upheld, answer, p.user_id, now)) {
          return Error::Conflict("grants.already_answered");
        }
        auto x = repo::FindObjection(tx, id);
        audit::Record(tx, p.user_id, upheld ? "grants.objection.upheld" : "grants.objection.dismissed", "grants_objection",
              x->public_id, {{"application_id", x->application_public_id}}, ip, now);
        return std::move(*x);
      });
}

}  // namespace carecity::grants
