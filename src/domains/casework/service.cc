#include "domains/casework/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/crypto.h"
#include "db/await.h"
#include "domains/audit/service.h"
#include "domains/casework/repo.h"
#include "domains/notify/service.h"

namespace carecity::casework {
namespace {

namespace json = boost::json;
using accounts::Role;

Error NotFoundApplication() { return Error::NotFound("application_not_found"); }
Error BadTransition() { return Error::Conflict("invalid_transition"); }

void Audit(db::Tx& tx, std::optional<int64_t> actor, const std::string& action, const std::string& type, int64_t id,
           const json::object& detail, const std::string& ip, int64_t now_ms) {
  audit::Record(tx, {actor, action, type, std::to_string(id), json::serialize(detail), ip}, now_ms);
}

// What a sealed value is bound to: its table, column and row.
std::string SensitiveContext(int64_t application_id) {
  return "casework_applications.sensitive_box." + std::to_string(application_id);
}

constexpr int kResealBatch = 200;

}  // namespace

CaseworkService::CaseworkService(db::Store& store, accounts::AccountsService& accounts, const Clock& clock,
                                 const CaseworkConfig& config, std::string data_key)
    : store_(store), accounts_(accounts), clock_(clock), config_(config), key_(std::move(data_key)) {}

bool CaseworkService::IsStaff(const Principal& p, int64_t org_id) { return p.HasOrgRole(Role::kOrgStaff, org_id); }

// ---- Catalogue ----

Result<Service> CaseworkService::CreateServiceTx(db::Tx& tx, std::optional<int64_t> actor, const NewService& in,
                                                 int64_t now_ms, const std::string& ip) {
  if (in.response_days < 1 || in.response_days > 60) {
    return Error::Invalid("out_of_range", "response_days");
  }
  if (!accounts_.FindOrgTx(tx, in.org_id)) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  for (int64_t v : in.village_ids) {
    if (!accounts_.FindVillageTx(tx, v)) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_ids", {}};
    }
  }
  Service s;
  s.org_id = in.org_id;
  s.name = in.name;
  s.description = in.description;
  s.eligibility = in.eligibility;
  s.response_days = in.response_days;
  s.created_at_ms = now_ms;
  const auto id = repo::InsertService(tx, s, actor);
  if (!id) {
    return Error::Conflict("service_exists", "name");
  }
  s.id = *id;
  for (int64_t v : in.village_ids) {
    repo::InsertServiceVillage(tx, s.id, v);
  }
  Audit(tx, actor, "casework.service.created", "casework_service", s.id, {{"name", s.name}, {"org_id", s.org_id}}, ip,
        now_ms);
  return *repo::FindService(tx, s.id);
}

Task<Service> CaseworkService::CreateService(const Principal& p, NewService in, std::string ip) {
  if (!IsStaff(p, in.org_id)) {
    co_return Error::Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_,
                                 [&](db::Tx& tx) { return CreateServiceTx(tx, actor, in, clock_.NowMs(), ip); });
}

Task<std::vector<Service>> CaseworkService::Services(std::optional<int64_t> village_id, std::optional<int64_t> org_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Service>> {
    auto all = repo::ListServices(tx, org_id);
    if (village_id) {
      std::erase_if(all, [&](const Service& s) { return !s.Covers(*village_id); });
    }
    return all;
  });
}

Task<Service> CaseworkService::GetService(int64_t id) {
  co_return co_await db::ReadTx(store_, [id](db::Tx& tx) -> Result<Service> {
    auto s = repo::FindService(tx, id);
    if (!s || !s->active) {
      return Error::NotFound("service_not_found");
    }
    return *s;
  });
}

// ---- Viewing ----

std::string CaseworkService::SealSensitive(int64_t application_id, const Sensitive& s) const {
  return SealBound(key_, SensitiveJson(s), SensitiveContext(application_id));
}

std::optional<Sensitive> CaseworkService::OpenSensitive(const Application& a) const {
  if (!a.sensitive_box) {
    return std::nullopt;
  }
  // Only the bound format opens: a value in the old format is re-sealed at
  // start-up, so one found later was put there from elsewhere.
  auto plain = OpenBound(key_, *a.sensitive_box, SensitiveContext(a.id));
  auto s = plain ? ParseSensitive(*plain) : std::nullopt;
  if (!s) {
    spdlog::error("casework: the sensitive fields of application {} do not open for it (another data key, or a "
                  "value moved from another row)",
                  a.id);
  }
  return s;
}

View CaseworkService::ViewFor(db::Tx& tx, const Principal& p, Application a, Detail detail) const {
  View v;
  v.applicant = a.applicant_id == p.user_id;
  v.staff = IsStaff(p, a.org_id);
  const bool worker = a.worker_id && *a.worker_id == p.user_id;
  v.sensitive_visible = v.applicant || (worker && detail == Detail::kFull);
  if (a.sensitive_box && (v.applicant || v.staff)) {
    if (auto s = OpenSensitive(a)) {
      v.sensitive = v.sensitive_visible ? *s : MaskSensitive(*s);
    } else {
      v.sensitive_visible = false;
      v.sensitive_unreadable = true;
    }
  }
  if (a.status == "closed" && a.closed_at_ms) {
    v.reopen_until_ms = *a.closed_at_ms + config_.reopen_days * kDayMs;
  }
  a.timeline = repo::Timeline(tx, a.id);
  v.app = std::move(a);
  return v;
}

Result<Application> CaseworkService::VisibleTx(db::Tx& tx, const Principal& p, int64_t id, bool lock) {
  auto a = lock ? repo::LockApplication(tx, id) : repo::FindApplication(tx, id);
  if (!a || (a->applicant_id != p.user_id && !IsStaff(p, a->org_id))) {
    return NotFoundApplication();
  }
  return *a;
}

void CaseworkService::AuditDisclosureTx(db::Tx& tx, const Principal& p, const View& v, const std::string& ip,
                                        int64_t now_ms) const {
  if (!v.sensitive_visible || v.applicant || !v.sensitive) {
    return;  // nothing in clear, or the applicant reading their own data
  }
  json::array fields;  // which fields were shown, never their values
  if (!v.sensitive->health_condition.empty()) {
    fields.emplace_back("health_condition");
  }
  if (!v.sensitive->id_number.empty()) {
    fields.emplace_back("id_number");
  }
  Audit(tx, p.user_id, "casework.sensitive.read", "casework_application", v.app.id, {{"fields", fields}}, ip, now_ms);
}

Result<View> CaseworkService::RespondTx(db::Tx& tx, const Principal& p, int64_t id, const std::string& ip,
                                        int64_t now_ms) {
  View v = ViewFor(tx, p, *repo::FindApplication(tx, id), Detail::kFull);
  AuditDisclosureTx(tx, p, v, ip, now_ms);
  return v;
}

Task<View> CaseworkService::Get(const Principal& p, int64_t id, std::string ip) {
  auto v = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<View> {
    CC_ASSIGN_OR_RETURN(Application a, VisibleTx(tx, p, id, false));
    return ViewFor(tx, p, std::move(a), Detail::kFull);
  });
  if (v.ok() && v->sensitive_visible && !v->applicant) {
    // Written before the answer leaves: no record, no clear data.
    const View& shown = *v;
    auto recorded = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<bool> {
      AuditDisclosureTx(tx, p, shown, ip, clock_.NowMs());
      return true;
    });
    if (!recorded.ok()) {
      co_return std::move(recorded).error();
    }
  }
  co_return v;
}

Task<std::vector<View>> CaseworkService::Mine(const Principal& p) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<View>> {
    std::vector<View> out;
    for (Application& a : repo::ApplicationsOf(tx, p.user_id)) {
      out.push_back(ViewFor(tx, p, std::move(a), Detail::kList));
    }
    return out;
  });
}

Task<std::vector<View>> CaseworkService::Inbox(const Principal& p, int64_t org_id, std::optional<std::string> status,
                                               bool overdue_only) {
  if (!IsStaff(p, org_id)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<View>> {
    repo::InboxFilter f{org_id, status, overdue_only, clock_.NowMs()};
    std::vector<View> out;
    for (Application& a : repo::ListApplications(tx, f)) {
      out.push_back(ViewFor(tx, p, std::move(a), Detail::kList));
    }
    return out;
  });
}

// ---- Applying ----

Result<View> CaseworkService::ApplyTx(db::Tx& tx, const Principal& p, const NewApplication& in, int64_t now_ms) {
  if (!in.sensitive.empty() && !in.sensitive_consent) {
    return Error::Invalid("sensitive_consent_required", "sensitive_consent");
  }
  if (!in.sensitive.id_number.empty() && !IsValidIdNumber(in.sensitive.id_number)) {
    return Error::Invalid("invalid_id_number", "sensitive.id_number");
  }
  if (in.for_whom == "family" && in.beneficiary_name.empty()) {
    return Error::Invalid("beneficiary_required", "beneficiary_name");
  }
  auto s = repo::FindService(tx, in.service_id);
  if (!s || !s->active) {
    return Error{ErrorCode::kNotFound, "service_not_found", "service_id", {}};
  }
  Application a;
  a.service_id = s->id;
  a.org_id = s->org_id;
  a.applicant_id = p.user_id;
  a.for_whom = in.for_whom;
  a.beneficiary_name = in.beneficiary_name;
  a.relationship = in.relationship;
  a.description = in.description;
  a.preferred_times = in.preferred_times;
  a.contact_phone = in.contact_phone;
  const std::optional<int64_t> village = in.village_id ? in.village_id : accounts_.HomeVillageIdTx(tx, p.user_id);
  if (village) {
    auto found = accounts_.FindVillageTx(tx, *village);
    if (!found) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
    }
    if (!s->Covers(*village)) {
      return Error::Unprocessable("service_not_in_village", "village_id");
    }
    a.village = Ref{*village, found->name};
  }
  a.submitted_at_ms = now_ms;
  a.received_at_ms = now_ms;
  a.due_at_ms = now_ms + s->response_days * kDayMs;
  std::optional<int64_t> consent_at;
  if (!in.sensitive.empty()) {
    consent_at = now_ms;
  }
  a.id = repo::InsertApplication(tx, a, consent_at);
  if (!in.sensitive.empty()) {
    repo::SetSensitiveBox(tx, a.id, SealSensitive(a.id, in.sensitive));  // bound to the row: sealed once it has an id
  }
  repo::AddTimeline(tx, a.id, "submitted", p.user_id, "", now_ms);
  return ViewFor(tx, p, *repo::FindApplication(tx, a.id), Detail::kFull);
}

Task<View> CaseworkService::Apply(const Principal& p, NewApplication in) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return ApplyTx(tx, p, in, clock_.NowMs()); });
}

// ---- Triage and handling ----

void CaseworkService::NotifyApplicant(db::Tx& tx, const Application& a, const std::string& status, int64_t now_ms) {
  // Nothing sensitive and no message text: only that something changed.
  notify::Enqueue(tx, notify::Channel::kSite, std::to_string(a.applicant_id), a.applicant_id, "casework_update",
                  json::serialize(json::object{{"application_id", a.id}, {"service", a.service_name}, {"status", status}}),
                  now_ms);
}

Result<Application> CaseworkService::StaffActionTx(db::Tx& tx, const Principal& p, int64_t id,
                                                   std::initializer_list<const char*> allowed_states) {
  auto a = repo::LockApplication(tx, id);
  if (!a || (!IsStaff(p, a->org_id) && a->applicant_id != p.user_id)) {
    return NotFoundApplication();
  }
  if (!IsStaff(p, a->org_id)) {
    return Error::Forbidden();
  }
  if (std::none_of(allowed_states.begin(), allowed_states.end(), [&](const char* s) { return a->status == s; })) {
    return BadTransition();
  }
  return *a;
}

Result<View> CaseworkService::AcceptTx(db::Tx& tx, const Principal& p, int64_t id, int64_t worker_id,
                                       const std::string& ip, int64_t now_ms) {
  CC_ASSIGN_OR_RETURN(Application a, StaffActionTx(tx, p, id, {"submitted"}));
  if (!accounts_.HasRoleTx(tx, worker_id, accounts::RoleGrant{Role::kOrgStaff, a.org_id})) {
    return Error::Invalid("worker_not_staff", "worker_user_id");
  }
  if (!repo::Accept(tx, id, worker_id, now_ms)) {
    return BadTransition();
  }
  repo::MarkFirstResponse(tx, id, now_ms);
  repo::AddTimeline(tx, id, "accepted", p.user_id, "", now_ms);
  NotifyApplicant(tx, a, "accepted", now_ms);
  return RespondTx(tx, p, id, ip, now_ms);
}

Task<View> CaseworkService::Accept(const Principal& p, int64_t id, int64_t worker_id, std::string ip) {
  co_return co_await db::WriteTx(store_,
                                 [&](db::Tx& tx) { return AcceptTx(tx, p, id, worker_id, ip, clock_.NowMs()); });
}

Task<View> CaseworkService::Refer(const Principal& p, int64_t id, int64_t service_id, std::string reason,
                                  std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<View> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Application a, StaffActionTx(tx, p, id, {"submitted", "accepted"}));
    auto target = repo::FindService(tx, service_id);
    if (!target || !target->active) {
      return Error{ErrorCode::kNotFound, "service_not_found", "service_id", {}};
    }
    if (target->org_id == a.org_id) {
      return Error::Invalid("refer_to_self", "service_id");
    }
    repo::AddTimeline(tx, id, "referred", p.user_id, a.org_name + " → " + target->org_name + "：" + reason, now);
    if (!repo::Refer(tx, id, a.status, target->id, target->org_id, now + target->response_days * kDayMs, now)) {
      return BadTransition();
    }
    Audit(tx, p.user_id, "casework.application.referred", "casework_application", id,
          {{"from_org", a.org_id}, {"to_org", target->org_id}}, ip, now);
    NotifyApplicant(tx, a, "referred", now);
    // The referring staff no longer see it; answer with what they did.
    View v = ViewFor(tx, p, *repo::FindApplication(tx, id), Detail::kList);
    v.sensitive.reset();
    v.sensitive_visible = false;
    return v;
  });
}

Task<View> CaseworkService::Decline(const Principal& p, int64_t id, std::string reason, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<View> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Application a, StaffActionTx(tx, p, id, {"submitted", "accepted"}));
    repo::MarkFirstResponse(tx, id, now);
    if (!repo::Finish(tx, id, a.status, "declined", reason, now)) {
      return BadTransition();
    }
    repo::AddTimeline(tx, id, "declined", p.user_id, reason, now);
    NotifyApplicant(tx, a, "declined", now);
    return RespondTx(tx, p, id, ip, now);
  });
}

Task<View> CaseworkService::Close(const Principal& p, int64_t id, std::string outcome, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<View> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Application a, StaffActionTx(tx, p, id, {"accepted"}));
    if (!a.worker_id || *a.worker_id != p.user_id) {
      return Error::Forbidden("not_assigned_worker");
    }
    if (!repo::Finish(tx, id, "accepted", "closed", outcome, now)) {
      return BadTransition();
    }
    repo::AddTimeline(tx, id, "closed", p.user_id, outcome, now);
    NotifyApplicant(tx, a, "closed", now);
    return RespondTx(tx, p, id, ip, now);
  });
}

Task<View> CaseworkService::Rate(const Principal& p, int64_t id, int64_t score, std::string comment,
                                 std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<View> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Application a, VisibleTx(tx, p, id, true));
    if (a.applicant_id != p.user_id) {
      return Error::Forbidden();
    }
    if (a.status != "closed") {
      return BadTransition();
    }
    if (a.rating) {
      return Error::Conflict("already_rated");
    }
    if (!repo::Rate(tx, id, score, comment, now)) {
      return Error::Conflict("already_rated");
    }
    repo::AddTimeline(tx, id, "rated", p.user_id, std::to_string(score), now);
    return RespondTx(tx, p, id, ip, now);
  });
}

Task<View> CaseworkService::Reopen(const Principal& p, int64_t id, std::string reason, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<View> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(Application a, VisibleTx(tx, p, id, true));
    if (a.applicant_id != p.user_id) {
      return Error::Forbidden();
    }
    if (a.status != "closed") {
      return BadTransition();
    }
    if (now > *a.closed_at_ms + config_.reopen_days * kDayMs) {
      return Error::Conflict("reopen_window_passed");
    }
    auto s = repo::FindService(tx, a.service_id);
    if (!repo::Reopen(tx, id, now + s->response_days * kDayMs, now)) {
      return BadTransition();
    }
    repo::AddTimeline(tx, id, "reopened", p.user_id, reason, now);
    return RespondTx(tx, p, id, ip, now);
  });
}

// ---- Messages ----

Task<std::vector<Message>> CaseworkService::Messages(const Principal& p, int64_t id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Message>> {
    CC_TRY(VisibleTx(tx, p, id, false));
    return repo::Messages(tx, id);
  });
}

Result<Message> CaseworkService::PostMessageTx(db::Tx& tx, const Principal& p, int64_t id, const std::string& body,
                                               int64_t now_ms) {
  CC_ASSIGN_OR_RETURN(Application a, VisibleTx(tx, p, id, true));
  if (a.Finished()) {
    return Error::Conflict("application_closed");
  }
  const bool from_staff = a.applicant_id != p.user_id;
  const int64_t message_id = repo::InsertMessage(tx, id, p.user_id, from_staff, body, now_ms);
  repo::AddTimeline(tx, id, "message", p.user_id, "", now_ms);
  if (from_staff) {
    repo::MarkFirstResponse(tx, id, now_ms);
    NotifyApplicant(tx, a, "message", now_ms);
  }
  for (Message& m : repo::Messages(tx, id)) {
    if (m.id == message_id) {
      return m;
    }
  }
  return Error::Internal("message vanished");
}

Task<Message> CaseworkService::PostMessage(const Principal& p, int64_t id, std::string body) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return PostMessageTx(tx, p, id, body, clock_.NowMs()); });
}

// ---- Oversight ----

Task<std::vector<View>> CaseworkService::Escalations(const Principal& p) {
  if (!p.Has(Role::kFundAdmin) && !p.Has(Role::kPlatformAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<View>> {
    repo::InboxFilter f{std::nullopt, std::nullopt, true, clock_.NowMs()};
    std::vector<View> out;
    for (Application& a : repo::ListApplications(tx, f)) {
      out.push_back(ViewFor(tx, p, std::move(a), Detail::kList));  // not applicant or staff: no sensitive data
    }
    return out;
  });
}

Task<std::vector<OrgStats>> CaseworkService::Stats(const Principal& p) {
  if (!p.Has(Role::kFundAdmin) && !p.Has(Role::kPlatformAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<OrgStats>> {
    std::vector<OrgStats> out;
    for (repo::OrgCounts& c : repo::StatsByOrg(tx, clock_.NowMs())) {
      OrgStats s{c.org_id, c.org_name, c.applications, c.open, c.overdue, std::nullopt, std::nullopt, c.rated};
      if (!c.first_response_ms.empty()) {
        auto& v = c.first_response_ms;
        std::sort(v.begin(), v.end());
        const size_t n = v.size();
        s.median_first_response_ms = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
      }
      if (c.rated > 0) {
        s.satisfaction_avg = c.satisfaction_sum / static_cast<double>(c.rated);
      }
      out.push_back(std::move(s));
    }
    return out;
  });
}

void CaseworkService::ForgetApplicantTx(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  std::vector<int64_t> ids;
  for (const Application& found : repo::ApplicationsOf(tx, user_id)) {
    ids.push_back(found.id);
  }
  std::sort(ids.begin(), ids.end());  // several rows of one table: locked in ascending order
  for (int64_t id : ids) {
    const auto a = repo::LockApplication(tx, id);  // found before the lock: decide on it as it is now
    if (repo::PurgeSensitive(tx, id, now_ms)) {
      repo::AddTimeline(tx, id, "sensitive_purged", std::nullopt, "", now_ms);
    }
    repo::ForgetContact(tx, id, now_ms);
    if (!a->Finished() && repo::Finish(tx, id, a->status, "closed", "申请人已注销账号", now_ms)) {
      repo::AddTimeline(tx, id, "closed", std::nullopt, "申请人已注销账号", now_ms);
    }
  }
}

std::string CaseworkService::ExportJsonTx(db::Tx& tx, int64_t user_id) {
  json::array out;
  for (const Application& a : repo::ApplicationsOf(tx, user_id)) {
    json::value sensitive = nullptr;
    if (auto s = OpenSensitive(a)) {
      sensitive = json::parse(SensitiveJson(*s));
    }
    json::array timeline;
    for (const TimelineItem& t : repo::Timeline(tx, a.id)) {
      timeline.push_back(json::object{{"at_ms", t.at_ms}, {"kind", t.kind}, {"note", t.note}});
    }
    json::array messages;
    for (const Message& m : repo::Messages(tx, a.id)) {
      messages.push_back(json::object{{"from_staff", m.from_staff}, {"author", m.author_name}, {"body", m.body},
                                      {"created_at_ms", m.created_at_ms}});
    }
    out.push_back(json::object{{"id", a.id},
                               {"service", a.service_name},
                               {"org_name", a.org_name},
                               {"for_whom", a.for_whom},
                               {"beneficiary_name", a.beneficiary_name},
                               {"relationship", a.relationship},
                               {"description", a.description},
                               {"preferred_times", a.preferred_times},
                               {"contact_phone", a.contact_phone},
                               {"status", a.status},
                               {"submitted_at_ms", a.submitted_at_ms},
                               {"outcome", a.outcome ? json::value(*a.outcome) : nullptr},
                               {"rating", a.rating ? json::value(*a.rating) : nullptr},
                               {"sensitive", sensitive},
                               {"timeline", timeline},
                               {"messages", messages}});
  }
  return json::serialize(json::object{{"applications", out}});
}

int64_t CaseworkService::PurgeTx(db::Tx& tx, int64_t now_ms) {
  const int64_t finished_before = now_ms - config_.retention_days * kDayMs;
  const auto ids = repo::DueForPurge(tx, finished_before, 500);
  int64_t purged = 0;
  for (int64_t id : ids) {
    // Found before any lock: only purged if still due (not reopened since).
    if (repo::PurgeSensitive(tx, id, now_ms, finished_before)) {
      repo::AddTimeline(tx, id, "sensitive_purged", std::nullopt, "", now_ms);
      ++purged;
    }
  }
  return purged;
}

Result<int64_t> CaseworkService::ResealUnbound() {
  auto done = db::ReadSync(store_, [](db::Tx& tx) -> Result<bool> { return repo::BoxesAllBound(tx); });
  CC_TRY(done);
  if (*done) {
    return int64_t{0};
  }
  int64_t resealed = 0;
  int64_t unreadable = 0;
  int64_t after = 0;
  for (;;) {
    auto batch = db::WriteSync(store_, [&](db::Tx& tx) -> Result<size_t> {
      const auto boxes = repo::UnboundBoxes(tx, after, kResealBatch);
      for (const auto& [id, box] : boxes) {
        after = id;
        const auto plain = Open(key_, box);
        const auto s = plain ? ParseSensitive(*plain) : std::nullopt;
        if (!s) {
          ++unreadable;
          continue;
        }
        if (repo::ReplaceBox(tx, id, box, SealSensitive(id, *s))) {
          ++resealed;
        }
      }
      if (boxes.empty()) {
        repo::MarkBoxesAllBound(tx);
      }
      return boxes.size();
    });
    CC_TRY(batch);
    if (*batch == 0) {
      break;
    }
  }
  if (resealed > 0 || unreadable > 0) {
    spdlog::info("casework: re-sealed {} sensitive value(s) bound to their application; {} did not open with the "
                 "data key and stay unreadable",
                 resealed, unreadable);
  }
  return resealed;
}

}  // namespace carecity::casework
