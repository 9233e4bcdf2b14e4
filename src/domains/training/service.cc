#include "domains/training/service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <set>

#include "core/crypto.h"
#include "db/await.h"
#include "domains/accounts/repo.h"
#include "domains/audit/service.h"

namespace carecity::training {
namespace {

namespace json = boost::json;
using accounts::Role;

constexpr int kListLimit = 100;
constexpr int kMaxSessions = 40;

Error ClassNotFound() { return Error::NotFound("training.class_not_found"); }
Error PracticeNotFound() { return Error::NotFound("training.practice_not_found"); }
Error CertificateNotFound() { return Error::NotFound("training.certificate_not_found"); }

bool IsTrainer(const Principal& p) { return p.Has(Role::kTrainer) || p.Has(Role::kPlatformAdmin); }

// `ms` plus whole calendar years (29 February -> 28 February), in UTC+8.
int64_t AddYears(int64_t ms, int64_t years) {
  using namespace std::chrono;
  constexpr int64_t kOffsetMs = 8LL * 3600 * 1000;
  const sys_time<milliseconds> local{milliseconds(ms + kOffsetMs)};
  const sys_days day = floor<days>(local);
  const milliseconds rest = local - time_point_cast<milliseconds>(day);
  year_month_day ymd{day};
  ymd = ymd + std::chrono::years(years);
  if (!ymd.ok()) {
    ymd = ymd.year() / ymd.month() / last;
  }
  return (time_point_cast<milliseconds>(sys_days(ymd)) + rest).time_since_epoch().count() - kOffsetMs;
}

int YearOf(int64_t ms) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(ms + 8LL * 3600 * 1000)));
  return static_cast<int>(year_month_day{day}.year());
}

// The account a roster line names (by id, or by the phone of an active
// account).
std::optional<int64_t> FindPerson(db::Tx& tx, const RosterEntry& e) {
  if (e.user_id) {
    return accounts::repo::FindUser(tx, *e.user_id) ? e.user_id : std::nullopt;
  }
  const auto login = accounts::ParseLogin(e.phone);
  const auto cred = login ? accounts::repo::FindCredentials(tx, *login) : std::nullopt;
  return cred && cred->status == "active" ? std::optional(cred->user_id) : std::nullopt;
}

}  // namespace

TrainingService::TrainingService(db::Store& store, const Clock& clock, events::EventsService& events,
                                 market::MarketService& market, boost::asio::thread_pool& cpu, int64_t default_org_id)
    : store_(store), clock_(clock), events_(events), market_(market), cpu_(cpu), default_org_id_(default_org_id) {}

bool TrainingService::CanRun(db::Tx& tx, const Principal& p, int64_t class_id) const {
  return p.Has(Role::kPlatformAdmin) || repo::IsTrainerOf(tx, class_id, p.user_id);
}

bool TrainingService::RunsSessionTx(db::Tx& tx, const Principal& p, int64_t event_id) const {
  const auto class_id = repo::ClassOfSession(tx, event_id);
  return class_id && CanRun(tx, p, *class_id);
}

// ---- Register ----

Task<repo::Member> TrainingService::AddMember(const Principal& p, RosterEntry e, std::string ip) {
  if (!IsTrainer(p)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<repo::Member> {
    const int64_t now = clock_.NowMs();
    const std::optional<int64_t> user = FindPerson(tx, e);
    if (!user) {
      return Error{ErrorCode::kNotFound, "training.person_not_found", e.user_id ? "user_id" : "phone", {}};
    }
    if (!accounts::repo::FindVillage(tx, e.village_id)) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
    }
    repo::UpsertMember(tx, *user, e.village_id, e.secretary, p.user_id, now);
    audit::Record(tx, p.user_id, "training.member.registered", "user", std::to_string(*user),
          {{"village_id", e.village_id}, {"secretary", e.secretary}}, ip, now);
    return *repo::FindMember(tx, *user);
  });
}

Task<std::vector<repo::Member>> TrainingService::Members(const Principal& p, std::optional<int64_t> village_id) {
  const bool village_staff = village_id && p.HasVillageRole(Role::kVillageStaff, *village_id);
  if (!IsTrainer(p) && !village_staff) {
    co_return Error::Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<repo::Member>> {
    return repo::ListMembers(tx, village_id, 1000);
  });
}

// ---- Programmes ----

Result<int64_t> TrainingService::CreateProgrammeTx(db::Tx& tx, int64_t actor, const Programme& in,
                                                   const std::string& ip, int64_t now_ms) {
  const int64_t id = repo::InsertProgramme(tx, in, actor, now_ms);
  audit::Record(tx, actor, "training.programme.created", "training_programme", std::to_string(id),
                {{"title", in.title}}, ip, now_ms);
  return id;
}

Task<Programme> TrainingService::CreateProgramme(const Principal& p, Programme in, std::string ip) {
  if (!p.Has(Role::kTrainer) && !p.Has(Role::kPlatformAdmin)) {
    co_return Error::Forbidden();
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Programme> {
    const int64_t now = clock_.NowMs();
    CC_ASSIGN_OR_RETURN(const int64_t id, CreateProgrammeTx(tx, p.user_id, in, ip, now));
    return *repo::FindProgramme(tx, id);
  });
}

Task<std::vector<Programme>> TrainingService::Programmes() {
  co_return co_await db::ReadTx(store_,
                                [&](db::Tx& tx) -> Result<std::vector<Programme>> { return repo::ListProgrammes(tx); });
}

// ---- Classes ----

Result<int64_t> TrainingService::CreateClassTx(db::Tx& tx, int64_t actor, const ClassDraft& in, const std::string& ip,
                                               int64_t now_ms) {
  const auto prog = repo::FindProgramme(tx, in.programme_id);
  if (!prog) {
    return Error{ErrorCode::kNotFound, "training.programme_not_found", "programme_id", {}};
  }
  // The issuer: the class's own, else [training] org_id, else the one that
  // ran the latest class (the demo's and most subdistricts' one provider).
  int64_t org_id = in.org_id.value_or(default_org_id_);
  if (org_id <= 0) {
    org_id = repo::LatestClassOrg(tx).value_or(0);
  }
  if (org_id <= 0) {
    return Error::Invalid("missing_field", "org_id");
  }
  if (!accounts::repo::FindOrg(tx, org_id)) {
    return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
  }
  if (in.sessions.empty() || in.sessions.size() > kMaxSessions) {
    return Error::Invalid(in.sessions.empty() ? "missing_field" : "too_many_items", "sessions");
  }
  for (size_t i = 0; i < in.village_ids.size(); ++i) {
    if (!accounts::repo::FindVillage(tx, in.village_ids[i])) {
      return Error{ErrorCode::kNotFound, "village_not_found", "eligible.village_ids[" + std::to_string(i) + "]", {}};
    }
  }
  for (size_t i = 0; i < in.trainer_ids.size(); ++i) {
    if (!accounts::repo::HasRole(tx, in.trainer_ids[i], accounts::RoleGrant{Role::kTrainer})) {
      return Error{ErrorCode::kUnprocessable, "training.not_a_trainer", "trainer_ids[" + std::to_string(i) + "]",
                   {}};
    }
  }
  Class c;
  c.programme_id = in.programme_id;
  c.title = in.title;
  c.org_id = org_id;
  c.venue_id = in.venue_id;
  c.capacity = in.capacity;
  c.secretaries_only = in.secretaries_only;
  c.refresher = in.refresher;
  c.quiz = in.quiz;
  c.assignment = in.assignment;
  c.starts_at_ms = in.sessions.front().starts_at_ms;
  c.ends_at_ms = in.sessions.front().ends_at_ms;
  for (size_t i = 0; i < in.sessions.size(); ++i) {
    const SessionDraft& s = in.sessions[i];
    const std::string at = "sessions[" + std::to_string(i) + "]";
    if (!prog->modules.empty() && std::find(prog->modules.begin(), prog->modules.end(), s.module) == prog->modules.end()) {
      return Error::Invalid("invalid_value", at + ".module");
    }
    if (s.ends_at_ms <= s.starts_at_ms) {
      return Error::Invalid("out_of_range", at + ".ends_at_ms");
    }
    c.starts_at_ms = std::min(c.starts_at_ms, s.starts_at_ms);
    c.ends_at_ms = std::max(c.ends_at_ms, s.ends_at_ms);
  }
  if (!events_.FindVenueTx(tx, in.venue_id)) {
    return Error{ErrorCode::kNotFound, "venue_not_found", "venue_id", {}};
  }
  const int64_t id = repo::InsertClass(tx, c, actor, now_ms);
  for (const int64_t v : in.village_ids) {
    repo::InsertClassVillage(tx, id, v);
  }
  repo::InsertClassTrainer(tx, id, actor);
  for (const int64_t t : in.trainer_ids) {
    repo::InsertClassTrainer(tx, id, t);
  }
  for (size_t i = 0; i < in.sessions.size(); ++i) {
    const SessionDraft& s = in.sessions[i];
    events::NewEvent e;
    e.org_id = org_id;
    e.title = in.title + " · 第" + std::to_string(i + 1) + "讲 " + s.module;
    e.description = prog->title + " · " + s.module;
    e.type = "training";
    e.venue_id = in.venue_id;
    e.starts_at_ms = s.starts_at_ms;
    e.ends_at_ms = s.ends_at_ms;
    e.signup_opens_at_ms = std::min(now_ms, s.starts_at_ms - 1);
    e.signup_closes_at_ms = s.starts_at_ms;
    e.capacity = in.capacity;
    e.roster_only = true;
    CC_ASSIGN_OR_RETURN(const events::Event event, events_.CreateTx(tx, actor, e, now_ms, ip));
    repo::InsertSession(tx, id, event.id, static_cast<int64_t>(i + 1), s.module);
  }
  audit::Record(tx, actor, "training.class.created", "training_class", std::to_string(id),
        {{"programme_id", in.programme_id}, {"sessions", in.sessions.size()}, {"capacity", in.capacity}}, ip,
        now_ms);
  return id;
}

Task<ClassView> TrainingService::CreateClass(const Principal& p, ClassDraft in, std::string ip) {
  if (!p.Has(Role::kTrainer) && !p.Has(Role::kPlatformAdmin)) {
    co_return Error::Forbidden();
  }
  for (size_t i = 0; i < in.sessions.size(); ++i) {
    if (in.sessions[i].starts_at_ms <= clock_.NowMs()) {
      co_return Error::Invalid("in_the_past", "sessions[" + std::to_string(i) + "].starts_at_ms");
    }
  }
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ClassView> {
    CC_ASSIGN_OR_RETURN(const int64_t id, CreateClassTx(tx, p.user_id, in, ip, clock_.NowMs()));
    return ViewTx(tx, p, id);
  });
}

Result<ClassView> TrainingService::ViewTx(db::Tx& tx, const Principal& p, int64_t class_id) const {
  auto c = repo::FindClass(tx, class_id);
  if (!c) {
    return ClassNotFound();
  }
  ClassView v;
  v.trainer = CanRun(tx, p, class_id);
  v.my_enrolment = repo::EnrolmentStatus(tx, class_id, p.user_id);
  if (v.my_enrolment != "enrolled" && c->enrolled < c->capacity && clock_.NowMs() < c->ends_at_ms) {
    const auto m = repo::FindMember(tx, p.user_id);
    v.eligible = m && (!c->secretaries_only || m->secretary) &&
                 std::any_of(c->villages.begin(), c->villages.end(), [&](const NamedId& x) { return x.id == m->village_id; });
  }
  if (SeesMaterials(v.trainer, v.my_enrolment)) {
    v.materials = repo::ListMaterials(tx, class_id);
  }
  v.klass = std::move(*c);
  return v;
}

Task<ClassView> TrainingService::GetClass(const Principal& p, int64_t class_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) { return ViewTx(tx, p, class_id); });
}

Task<std::vector<ClassView>> TrainingService::ListClasses(const Principal& p, std::string scope) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<ClassView>> {
    repo::ClassFilter f;
    if (scope == "mine") {
      f.trainee_id = p.user_id;
    } else if (scope == "teaching") {
      f.trainer_id = p.user_id;
    } else if (scope == "open") {
      const auto m = repo::FindMember(tx, p.user_id);
      if (!m) {
        return std::vector<ClassView>{};
      }
      f.village_id = m->village_id;
    } else if (scope == "all") {
      if (!IsTrainer(p) && !p.Has(Role::kFundAdmin)) {
        return Error::Forbidden();
      }
    } else {
      return Error::Invalid("invalid_value", "scope");
    }
    std::vector<ClassView> out;
    for (const int64_t id : repo::ListClassIds(tx, f, kListLimit)) {
      CC_ASSIGN_OR_RETURN(ClassView v, ViewTx(tx, p, id));
      if (scope == "open" && !v.eligible && v.my_enrolment != "enrolled") {
        continue;
      }
      out.push_back(std::move(v));
    }
    return out;
  });
}

// ---- Enrolment ----

Result<bool> TrainingService::EnrolTx(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t actor, int64_t now_ms) {
  const auto c = repo::FindClass(tx, class_id);
  if (!c) {
    return ClassNotFound();
  }
  if (now_ms >= c->ends_at_ms) {
    return Error::Conflict("training.class_over");
  }
  CC_TRY(EnrolInTx(tx, *c, user_id, actor, now_ms));
  return true;
}

// The seat first (the conditional UPDATE decides), then the enrolment's own
// INSERT … SELECT (it decides eligibility); a refusal gives the seat back,
// so a refused person leaves nothing written and a roster goes on.
Status TrainingService::EnrolInTx(db::Tx& tx, const Class& c, int64_t user_id, int64_t actor, int64_t now_ms) {
  if (repo::EnrolmentStatus(tx, c.id, user_id) == "enrolled") {
    return Error::Conflict("training.already_enrolled");
  }
  if (!repo::TakeSeat(tx, c.id)) {
    return Error::Conflict("training.class_full");
  }
  if (!repo::EnrolIfEligible(tx, c.id, user_id, actor, now_ms)) {
    repo::FreeSeat(tx, c.id);
    if (repo::EnrolmentStatus(tx, c.id, user_id) == "enrolled") {
      return Error::Conflict("training.already_enrolled");  // enrolled meanwhile
    }
    return Error::Forbidden("training.not_eligible");
  }
  return SignUpForSessionsTx(tx, c, user_id, now_ms);
}

// A seat at every session still to come: the class's capacity is each
// session's, so these always fit.
Status TrainingService::SignUpForSessionsTx(db::Tx& tx, const Class& c, int64_t user_id, int64_t now_ms) {
  for (const Session& s : c.sessions) {
    if (s.status != "published" || s.starts_at_ms <= now_ms) {
      continue;
    }
    auto r = events_.RegisterTx(tx, user_id, s.event_id, 1, {}, now_ms);
    if (!r.ok() && r.error().key != "already_registered") {
      return r.error();
    }
  }
  return {};
}

Task<ClassView> TrainingService::Enrol(const Principal& p, int64_t class_id) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ClassView> {
    const int64_t now = clock_.NowMs();
    CC_TRY(EnrolTx(tx, class_id, p.user_id, p.user_id, now));
    audit::Record(tx, p.user_id, "training.enrolled", "training_class", std::to_string(class_id), {}, "", now);
    return ViewTx(tx, p, class_id);
  });
}

Task<RosterResult> TrainingService::AddRoster(const Principal& p, int64_t class_id, std::vector<RosterEntry> entries,
                                              std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<RosterResult> {
    const int64_t now = clock_.NowMs();
    const auto klass = repo::FindClass(tx, class_id);
    if (!klass) {
      return ClassNotFound();
    }
    if (!CanRun(tx, p, class_id)) {
      return Error::Forbidden();
    }
    if (now >= klass->ends_at_ms) {
      return Error::Conflict("training.class_over");
    }
    RosterResult out;
    for (const RosterEntry& e : entries) {
      const std::string who = e.user_id ? std::to_string(*e.user_id) : e.phone;
      const std::optional<int64_t> user = FindPerson(tx, e);
      if (!user) {
        out.refused.emplace_back(who, "training.person_not_found");
        continue;
      }
      if (e.village_id > 0) {
        if (!accounts::repo::FindVillage(tx, e.village_id)) {
          out.refused.emplace_back(who, "village_not_found");
          continue;
        }
        repo::UpsertMember(tx, *user, e.village_id, e.secretary, p.user_id, now);
      }
      // One person's refusal does not undo the others (EnrolInTx writes
      // nothing when it refuses).
      if (const Status s = EnrolInTx(tx, *klass, *user, p.user_id, now); !s.ok()) {
        const std::string& key = s.error().key;
        if (key != "training.already_enrolled" && key != "training.class_full" && key != "training.not_eligible") {
          return s.error();
        }
        out.refused.emplace_back(who, key);
        continue;
      }
      out.enrolled.push_back(*user);
    }
    audit::Record(tx, p.user_id, "training.roster.added", "training_class", std::to_string(class_id),
          {{"enrolled", out.enrolled.size()}, {"refused", out.refused.size()}}, ip, now);
    return out;
  });
}

Task<ClassView> TrainingService::Withdraw(const Principal& p, int64_t class_id, int64_t user_id) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<ClassView> {
    const int64_t now = clock_.NowMs();
    const auto c = repo::FindClass(tx, class_id);
    if (!c) {
      return ClassNotFound();
    }
    if (user_id != p.user_id && !CanRun(tx, p, class_id)) {
      return Error::Forbidden();
    }
    if (!repo::Withdraw(tx, class_id, user_id)) {
      return Error::Conflict("training.not_enrolled");
    }
    repo::FreeSeat(tx, class_id);
    for (const Session& s : c->sessions) {
      events_.CancelUpcomingTx(tx, user_id, s.event_id, now);
    }
    audit::Record(tx, p.user_id, "training.withdrawn", "training_class", std::to_string(class_id), {{"user_id", user_id}}, "",
          now);
    return ViewTx(tx, p, class_id);
  });
}

Task<std::vector<repo::Trainee>> TrainingService::Roster(const Principal& p, int64_t class_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<repo::Trainee>> {
    if (!repo::FindClass(tx, class_id)) {
      return ClassNotFound();
    }
    if (!CanRun(tx, p, class_id)) {
      return Error::Forbidden();
    }
    return repo::ListTrainees(tx, class_id);
  });
}

// ---- Materials and assessment ----

bool TrainingService::SeesMaterialsTx(db::Tx& tx, const Principal& p, int64_t class_id) const {
  return SeesMaterials(CanRun(tx, p, class_id), repo::EnrolmentStatus(tx, class_id, p.user_id));
}

Status TrainingService::SessionOfClassTx(db::Tx& tx, const Principal& p, int64_t class_id, int64_t event_id) const {
  const auto c = repo::FindClass(tx, class_id);
  if (!c) {
    return ClassNotFound();
  }
  if (!CanRun(tx, p, class_id)) {
    return Error::Forbidden();
  }
  if (std::none_of(c->sessions.begin(), c->sessions.end(), [&](const Session& s) { return s.event_id == event_id; })) {
    return Error{ErrorCode::kNotFound, "training.session_not_found", "event_id", {}};
  }
  return {};
}

Task<Material> TrainingService::AddMaterial(const Principal& p, int64_t class_id, Material m) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Material> {
    CC_TRY(SessionOfClassTx(tx, p, class_id, m.event_id));
    m.public_id = NewPublicId();
    m.created_at_ms = clock_.NowMs();
    repo::InsertMaterial(tx, m, p.user_id);
    return m;
  });
}

Task<QuizResult> TrainingService::SubmitQuiz(const Principal& p, int64_t class_id,
                                             std::vector<std::vector<int64_t>> answers) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<QuizResult> {
    const auto c = repo::FindClass(tx, class_id);
    if (!c) {
      return ClassNotFound();
    }
    if (repo::EnrolmentStatus(tx, class_id, p.user_id) != "enrolled") {
      return Error::Forbidden("training.not_enrolled");
    }
    if (c->quiz.empty()) {
      return Error::Conflict("training.no_quiz");
    }
    if (answers.size() != c->quiz.size()) {
      return Error::Invalid("invalid_value", "answers");
    }
    for (size_t i = 0; i < answers.size(); ++i) {
      const auto& q = c->quiz[i];
      for (const int64_t a : answers[i]) {
        if (a < 0 || a >= static_cast<int64_t>(q.options.size())) {
          return Error::Invalid("out_of_range", "answers[" + std::to_string(i) + "]");
        }
      }
      if (!q.multiple && answers[i].size() > 1) {
        return Error::Invalid("invalid_value", "answers[" + std::to_string(i) + "]");
      }
    }
    const auto prog = repo::FindProgramme(tx, c->programme_id);
    json::array saved;
    for (const auto& a : answers) {
      saved.push_back(json::array(a.begin(), a.end()));
    }
    QuizResult r;
    r.score = ScoreQuiz(c->quiz, answers);
    repo::InsertQuizAttempt(tx, class_id, p.user_id, r.score, json::serialize(saved), clock_.NowMs());
    r.best = repo::BestQuizScore(tx, class_id, p.user_id).value_or(r.score);
    r.passed = r.best >= prog->rules.pass_mark;
    return r;
  });
}

Task<repo::Assignment> TrainingService::SubmitAssignment(const Principal& p, int64_t class_id, std::string body) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<repo::Assignment> {
    const auto c = repo::FindClass(tx, class_id);
    if (!c) {
      return ClassNotFound();
    }
    if (repo::EnrolmentStatus(tx, class_id, p.user_id) != "enrolled") {
      return Error::Forbidden("training.not_enrolled");
    }
    if (c->assignment.empty()) {
      return Error::Conflict("training.no_assignment");
    }
    if (!repo::SubmitAssignment(tx, class_id, p.user_id, body, clock_.NowMs())) {
      return Error::Conflict("training.already_graded");
    }
    return *repo::FindAssignment(tx, class_id, p.user_id);
  });
}

Task<std::vector<repo::Assignment>> TrainingService::Assignments(const Principal& p, int64_t class_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<repo::Assignment>> {
    if (!repo::FindClass(tx, class_id)) {
      return ClassNotFound();
    }
    std::vector<repo::Assignment> out;
    if (CanRun(tx, p, class_id)) {
      for (const repo::Trainee& t : repo::ListTrainees(tx, class_id)) {
        if (auto a = repo::FindAssignment(tx, class_id, t.user_id)) {
          out.push_back(std::move(*a));
        }
      }
    } else if (auto a = repo::FindAssignment(tx, class_id, p.user_id)) {
      out.push_back(std::move(*a));
    }
    return out;
  });
}

Task<repo::Assignment> TrainingService::Grade(const Principal& p, int64_t class_id, int64_t user_id, int64_t grade,
                                              std::string feedback, std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<repo::Assignment> {
    const int64_t now = clock_.NowMs();
    if (!repo::FindClass(tx, class_id)) {
      return ClassNotFound();
    }
    if (!CanRun(tx, p, class_id)) {
      return Error::Forbidden();
    }
    if (!repo::GradeAssignment(tx, class_id, user_id, grade, feedback, p.user_id, now)) {
      return Error::NotFound("training.assignment_not_found");
    }
    audit::Record(tx, p.user_id, "training.assignment.graded", "training_class", std::to_string(class_id),
          {{"user_id", user_id}, {"grade", grade}}, ip, now);
    return *repo::FindAssignment(tx, class_id, user_id);
  });
}

// ---- Practice ----

Result<Practice> TrainingService::LogPracticeTx(db::Tx& tx, int64_t user_id, const PracticeDraft& d, int64_t now_ms) {
  if (!IsPracticeKind(d.kind)) {
    return Error::Invalid("invalid_value", "kind");
  }
  if (!IsMethod(d.method)) {
    return Error::Invalid("invalid_value", "method");
  }
  if (d.date_ms > now_ms) {
    return Error::Invalid("in_the_future", "date_ms");
  }
  if (d.kind == "reception") {
    if (!d.room_id) {
      return Error::Invalid("missing_field", "room_id");
    }
    if (!repo::RoomVillage(tx, *d.room_id)) {
      return Error{ErrorCode::kNotFound, "training.room_not_found", "room_id", {}};
    }
  }
  Practice p;
  p.public_id = NewPublicId();
  p.user_id = user_id;
  p.kind = d.kind;
  p.date_ms = d.date_ms;
  p.minutes = d.minutes;
  p.place = d.place;
  p.method = d.method;
  p.note = d.note;
  p.room_id = d.kind == "reception" ? d.room_id : std::nullopt;
  p.status = "pending";
  p.created_at_ms = now_ms;
  p.id = repo::InsertPractice(tx, p);
  return *repo::FindPracticeByPublicId(tx, p.public_id);
}

Task<Practice> TrainingService::LogPractice(const Principal& p, PracticeDraft d) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return LogPracticeTx(tx, p.user_id, d, clock_.NowMs()); });
}

Task<Practice> TrainingService::DecidePractice(const Principal& p, std::string id, bool confirm, std::string reason,
                                               std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Practice> {
    const int64_t now = clock_.NowMs();
    const auto rec = IsPublicId(id) ? repo::FindPracticeByPublicId(tx, id) : std::nullopt;
    if (!rec) {
      return PracticeNotFound();
    }
    bool allowed = IsTrainer(p);
    if (!allowed && rec->kind == "reception" && rec->room_id) {
      const auto village = repo::RoomVillage(tx, *rec->room_id);
      allowed = village && p.HasVillageRole(Role::kVillageStaff, *village);
    }
    if (!allowed) {
      return PracticeNotFound();  // what others may not decide, they do not see
    }
    if (rec->user_id == p.user_id) {
      return Error::Forbidden("training.own_practice");
    }
    if (!repo::DecidePractice(tx, rec->id, confirm ? "confirmed" : "rejected", reason, p.user_id, now)) {
      return Error::Conflict("training.practice_decided");
    }
    audit::Record(tx, p.user_id, confirm ? "training.practice.confirmed" : "training.practice.rejected", "training_practice",
          rec->public_id, {{"minutes", rec->minutes}}, ip, now);
    return *repo::FindPracticeByPublicId(tx, id);
  });
}

Task<std::vector<Practice>> TrainingService::MyPractice(const Principal& p) {
  co_return co_await db::ReadTx(
      store_, [&](db::Tx& tx) -> Result<std::vector<Practice>> { return repo::ListPracticeOf(tx, p.user_id, 500); });
}

Task<std::vector<Practice>> TrainingService::PendingPractice(const Principal& p) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Practice>> {
    if (IsTrainer(p)) {
      return repo::ListPendingPractice(tx, std::nullopt, 500);
    }
    std::vector<int64_t> villages;
    for (const accounts::RoleGrant& g : p.roles) {
      if (g.role == Role::kVillageStaff && g.village_id) {
        villages.push_back(*g.village_id);
      }
    }
    if (villages.empty()) {
      return Error::Forbidden();
    }
    return repo::ListPendingPractice(tx, villages, 500);
  });
}

// ---- Progress and certificates ----

Result<Progress> TrainingService::ProgressTx(db::Tx& tx, const Class& c, const Programme& prog, int64_t user_id,
                                             int64_t now_ms) const {
  Progress p;
  p.user_id = user_id;
  if (const auto u = accounts::repo::FindUser(tx, user_id)) {
    p.name = u->display_name;
  }
  std::vector<int64_t> event_ids;
  for (const Session& s : c.sessions) {
    event_ids.push_back(s.event_id);
  }
  const std::set<int64_t> attended = events_.CheckedInAtTx(tx, user_id, event_ids);
  for (const Session& s : c.sessions) {
    if (s.status == "cancelled") {
      continue;
    }
    ++p.sessions;
    if (attended.contains(s.event_id)) {
      ++p.attended;
      p.attended_minutes += (s.ends_at_ms - s.starts_at_ms) / 60000;
    }
  }
  // What was done from the class's start until `now_ms` (a certificate
  // issued later counts nothing done after its issue).
  p.practice_minutes = repo::PracticeMinutesBetween(tx, user_id, c.starts_at_ms, now_ms, "confirmed");
  p.pending_practice_minutes = repo::PracticeMinutesBetween(tx, user_id, c.starts_at_ms, now_ms, "pending");
  p.volunteer_minutes = events_.VolunteerMinutesBetweenTx(tx, user_id, c.starts_at_ms, now_ms);
  if (!c.quiz.empty()) {
    p.quiz_best = repo::BestQuizScore(tx, c.id, user_id);
  }
  if (!c.assignment.empty()) {
    if (const auto a = repo::FindAssignment(tx, c.id, user_id)) {
      p.assignment_submitted = true;
      p.assignment_grade = a->grade;
    }
  }
  Judge(p, prog.rules, !c.quiz.empty(), !c.assignment.empty());
  if (const auto cert = repo::CertificateOfClass(tx, c.id, user_id)) {
    p.certificate_no = cert->cert_no;
  }
  return p;
}

Task<std::vector<Progress>> TrainingService::ProgressOf(const Principal& p, int64_t class_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Progress>> {
    const int64_t now = clock_.NowMs();
    const auto c = repo::FindClass(tx, class_id);
    if (!c) {
      return ClassNotFound();
    }
    const auto prog = repo::FindProgramme(tx, c->programme_id);
    std::vector<Progress> out;
    if (CanRun(tx, p, class_id)) {
      for (const repo::Trainee& t : repo::ListTrainees(tx, class_id)) {
        CC_ASSIGN_OR_RETURN(Progress one, ProgressTx(tx, *c, *prog, t.user_id, now));
        out.push_back(std::move(one));
      }
    } else if (repo::EnrolmentStatus(tx, class_id, p.user_id) == "enrolled") {
      CC_ASSIGN_OR_RETURN(Progress one, ProgressTx(tx, *c, *prog, p.user_id, now));
      out.push_back(std::move(one));
    } else {
      return Error::Forbidden();
    }
    return out;
  });
}

Result<IssueResult> TrainingService::IssueTx(db::Tx& tx, int64_t actor, int64_t class_id,
                                             const std::vector<int64_t>& user_ids, const std::string& ip,
                                             int64_t now_ms) {
  const auto c = repo::FindClass(tx, class_id);
  if (!c) {
    return ClassNotFound();
  }
  const auto prog = repo::FindProgramme(tx, c->programme_id);
  IssueResult out;
  for (const int64_t user_id : user_ids) {
    if (repo::EnrolmentStatus(tx, class_id, user_id) != "enrolled") {
      out.refused.emplace_back(user_id, "training.not_enrolled");
      continue;
    }
    CC_ASSIGN_OR_RETURN(const Progress progress, ProgressTx(tx, *c, *prog, user_id, now_ms));
    if (!progress.complete) {
      out.refused.emplace_back(user_id, "training.not_complete");
      continue;
    }
    Certificate cert;
    cert.cert_no = NewCertificateNo(YearOf(now_ms));
    cert.check_code = NewCheckCode();
    cert.user_id = user_id;
    cert.class_id = class_id;
    cert.programme_id = prog->id;
    cert.holder_name = progress.name;
    cert.programme_title = prog->title;
    cert.level = prog->certificate_level;
    cert.hours = (progress.attended_minutes + progress.practice_minutes + progress.volunteer_minutes) / 60;
    cert.issuer = c->org_name;
    cert.issued_at_ms = now_ms;
    cert.expires_at_ms = AddYears(now_ms, prog->valid_years);
    if (c->refresher) {
      if (const auto prev = repo::LatestOfProgramme(tx, user_id, prog->id)) {
        cert.renews_id = prev->id;
      }
    }
    if (!repo::InsertCertificate(tx, cert, actor)) {
      out.refused.emplace_back(user_id, "training.already_issued");
      continue;
    }
    audit::Record(tx, actor, "training.certificate.issued", "training_certificate", cert.cert_no,
          {{"class_id", class_id}, {"user_id", user_id}}, ip, now_ms);
    out.issued.push_back(std::move(cert));
  }
  return out;
}

Task<IssueResult> TrainingService::Issue(const Principal& p, int64_t class_id, std::vector<int64_t> user_ids,
                                         std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<IssueResult> {
    if (!repo::FindClass(tx, class_id)) {
      return ClassNotFound();
    }
    if (!CanRun(tx, p, class_id)) {
      return Error::Forbidden();
    }
    return IssueTx(tx, p.user_id, class_id, user_ids, ip, clock_.NowMs());
  });
}

Task<std::vector<Certificate>> TrainingService::MyCertificates(const Principal& p) {
  co_return co_await db::ReadTx(
      store_, [&](db::Tx& tx) -> Result<std::vector<Certificate>> { return repo::CertificatesOf(tx, p.user_id); });
}

Task<std::vector<Certificate>> TrainingService::ClassCertificates(const Principal& p, int64_t class_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Certificate>> {
    if (!repo::FindClass(tx, class_id)) {
      return ClassNotFound();
    }
    if (!CanRun(tx, p, class_id)) {
      return Error::Forbidden();
    }
    return repo::CertificatesOfClass(tx, class_id);
  });
}

Task<CertificateCheck> TrainingService::Check(std::string cert_no, std::optional<std::string> code) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<CertificateCheck> {
    if (cert_no.size() > 40) {
      return CertificateNotFound();
    }
    auto c = repo::FindCertificate(tx, cert_no);
    if (!c) {
      return CertificateNotFound();
    }
    CertificateCheck out;
    out.state = c->StateAt(clock_.NowMs());
    out.code_ok = code && *code == c->check_code;
    out.certificate = std::move(*c);
    return out;
  });
}

Task<Certificate> TrainingService::MyCertificate(const Principal& p, std::string cert_no) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Certificate> {
    auto c = cert_no.size() <= 40 ? repo::FindCertificate(tx, cert_no) : std::nullopt;
    if (!c || (c->user_id != p.user_id && !CanRun(tx, p, c->class_id))) {
      return CertificateNotFound();
    }
    return std::move(*c);
  });
}

Task<Certificate> TrainingService::Revoke(const Principal& p, std::string cert_no, std::string reason,
                                          std::string ip) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Certificate> {
    const int64_t now = clock_.NowMs();
    const auto c = cert_no.size() <= 40 ? repo::FindCertificate(tx, cert_no) : std::nullopt;
    if (!c) {
      return CertificateNotFound();
    }
    if (!CanRun(tx, p, c->class_id)) {
      return Error::Forbidden();
    }
    if (!repo::RevokeCertificate(tx, c->id, reason, p.user_id, now)) {
      return Error::Conflict("training.already_revoked");
    }
    audit::Record(tx, p.user_id, "training.certificate.revoked", "training_certificate", c->cert_no, {{"reason", reason}}, ip,
          now);
    return *repo::FindCertificate(tx, cert_no);
  });
}

}  // namespace carecity::training
