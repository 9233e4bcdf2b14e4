// /api/v1/training/...: the party-member register, programmes, classes,
// enrolment, materials, the quiz and assignment, practice, progress and
// certificates. Parsing and JSON only; TrainingService decides every
// permission. The contract: docs/api-training.md.
#include "domains/training/routes.h"

#include <boost/json.hpp>

#include "core/qr.h"
#include "core/text.h"
#include "domains/accounts/routes.h"
#include "http/answer.h"
#include "http/json.h"
#include "domains/market/routes.h"
#include "media/files.h"
#include "media/markdown.h"

namespace carecity::training {
namespace {

namespace json = boost::json;
using accounts::AccountsService;
using boost::asio::awaitable;
using http::Err;
using http::Fields;
using http::JsonResponse;
using http::ListAnswer;
using http::OneAnswer;
using http::Opt;
using http::Request;
using http::Response;

struct Deps {
  TrainingService& training;
  AccountsService& accounts;
};

json::object MemberJson(const repo::Member& m) {
  return json::object{{"user_id", m.user_id},
                      {"name", m.name},
                      {"phone", MaskPhone(m.phone)},
                      {"village_id", m.village_id},
                      {"village_name", m.village_name},
                      {"secretary", m.secretary}};
}

json::object ProgrammeJson(const Programme& p) {
  return json::object{{"id", p.id},
                      {"title", p.title},
                      {"description", p.description},
                      {"description_html", media::RenderMarkdown(p.description)},
                      {"modules", json::array(p.modules.begin(), p.modules.end())},
                      {"rules", json::object{{"min_attendance_pct", p.rules.min_attendance_pct},
                                             {"practice_hours", p.rules.practice_hours},
                                             {"pass_mark", p.rules.pass_mark}}},
                      {"certificate", json::object{{"level", p.certificate_level}, {"valid_years", p.valid_years}}},
                      {"created_at_ms", p.created_at_ms}};
}

json::array NamedJson(const std::vector<NamedId>& v) {
  json::array a;
  for (const NamedId& x : v) {
    a.push_back(json::object{{"id", x.id}, {"name", x.name}});
  }
  return a;
}

json::object MaterialJson(const Material& m) {
  const bool file = m.kind != "markdown";
  return json::object{{"id", m.public_id},
                      {"event_id", m.event_id},
                      {"title", m.title},
                      {"kind", m.kind},
                      {"body", m.body},
                      {"body_html", file ? std::string() : media::RenderMarkdown(m.body)},
                      {"file_name", file ? json::value(m.file_name) : json::value(nullptr)},
                      {"content_type", file ? json::value(m.content_type) : json::value(nullptr)},
                      {"size_bytes", m.size_bytes},
                      {"url", file ? json::value("/api/v1/training/materials/" + m.public_id + "/file")
                                   : json::value(nullptr)},
                      {"created_at_ms", m.created_at_ms}};
}

json::object ClassJson(const ClassView& v) {
  const Class& c = v.klass;
  json::array sessions;
  json::array event_ids;
  for (const Session& s : c.sessions) {
    sessions.push_back(json::object{{"event_id", s.event_id},
                                    {"seq", s.seq},
                                    {"module", s.module},
                                    {"starts_at_ms", s.starts_at_ms},
                                    {"ends_at_ms", s.ends_at_ms},
                                    {"status", s.status}});
    event_ids.push_back(s.event_id);
  }
  // The answers stay with the trainers.
  json::array quiz;
  for (const Question& q : c.quiz) {
    json::object o{{"text", q.text}, {"options", json::array(q.options.begin(), q.options.end())},
                   {"multiple", q.multiple}};
    if (v.trainer) {
      o["answer"] = json::array(q.answer.begin(), q.answer.end());
    }
    quiz.push_back(std::move(o));
  }
  json::array materials;
  for (const Material& m : v.materials) {
    materials.push_back(MaterialJson(m));
  }
  return json::object{{"id", c.id},
                      {"programme_id", c.programme_id},
                      {"programme_title", c.programme_title},
                      {"title", c.title},
                      {"org_id", c.org_id},
                      {"org_name", c.org_name},
                      {"venue_id", c.venue_id},
                      {"venue_name", c.venue_name},
                      {"capacity", c.capacity},
                      {"enrolled", c.enrolled},
                      {"eligible", json::object{{"village_ids", [&] {
                                                   json::array a;
                                                   for (const NamedId& x : c.villages) {
                                                     a.push_back(x.id);
                                                   }
                                                   return a;
                                                 }()},
                                                {"secretaries_only", c.secretaries_only}}},
                      {"villages", NamedJson(c.villages)},
                      {"trainers", NamedJson(c.trainers)},
                      {"refresher", c.refresher},
                      {"starts_at_ms", c.starts_at_ms},
                      {"ends_at_ms", c.ends_at_ms},
                      {"sessions", sessions},
                      {"session_event_ids", event_ids},
                      {"quiz", quiz},
                      {"assignment", c.assignment.empty() ? json::value(nullptr) : json::value(c.assignment)},
                      {"materials", materials},
                      {"my_enrolment", Opt(v.my_enrolment)},
                      {"can_enrol", v.eligible},
                      {"is_trainer", v.trainer}};
}

json::object TraineeJson(const repo::Trainee& t) {
  return json::object{{"user_id", t.user_id},
                      {"name", t.name},
                      {"phone", MaskPhone(t.phone)},
                      {"village_id", t.village_id},
                      {"village_name", t.village_name},
                      {"enrolled_at_ms", t.enrolled_at_ms}};
}

json::object AssignmentJson(const repo::Assignment& a) {
  return json::object{{"user_id", a.user_id},
                      {"body", a.body},
                      {"submitted_at_ms", a.submitted_at_ms},
                      {"grade", Opt(a.grade)},
                      {"feedback", a.feedback},
                      {"passed", a.passed},
                      {"need_id", Opt(a.need_id)}};
}

json::object PracticeJson(const Practice& p) {
  return json::object{{"id", p.public_id},
                      {"user_id", p.user_id},
                      {"user_name", p.user_name},
                      {"kind", p.kind},
                      {"date_ms", p.date_ms},
                      {"minutes", p.minutes},
                      {"hours", static_cast<double>(p.minutes) / 60.0},
                      {"place", p.place},
                      {"method", p.method},
                      {"note", p.note},
                      {"room_id", Opt(p.room_id)},
                      {"status", p.status},
                      {"reason", p.reason},
                      {"decided_at_ms", Opt(p.decided_at_ms)},
                      {"created_at_ms", p.created_at_ms}};
}

json::object ProgressJson(const Progress& p) {
  return json::object{{"user_id", p.user_id},
                      {"name", p.name},
                      {"attendance", json::object{{"attended", p.attended}, {"sessions", p.sessions},
                                                  {"met", p.attendance_met}}},
                      {"hours", json::object{{"practice_minutes", p.practice_minutes},
                                             {"volunteer_minutes", p.volunteer_minutes},
                                             {"pending_minutes", p.pending_practice_minutes},
                                             {"met", p.practice_met}}},
                      {"assessment", json::object{{"status", p.assessment},
                                                  {"quiz_best", Opt(p.quiz_best)},
                                                  {"assignment_submitted", p.assignment_submitted},
                                                  {"assignment_grade", Opt(p.assignment_grade)}}},
                      {"complete", p.complete},
                      {"certificate_no", Opt(p.certificate_no)}};
}

// The holder's or a trainer's view: everything, with the check code.
json::object CertificateJson(const Certificate& c, int64_t now_ms) {
  return json::object{{"no", c.cert_no},
                      {"check_code", c.check_code},
                      {"user_id", c.user_id},
                      {"class_id", c.class_id},
                      {"programme_id", c.programme_id},
                      {"holder_name", c.holder_name},
                      {"programme_title", c.programme_title},
                      {"level", c.level},
                      {"hours", c.hours},
                      {"issuer", c.issuer},
                      {"issued_at_ms", c.issued_at_ms},
                      {"expires_at_ms", c.expires_at_ms},
                      {"renews", c.renews_id.has_value()},
                      {"state", c.StateAt(now_ms)},
                      {"revoked_reason", Opt(c.revoked_reason)},
                      {"revoked_at_ms", Opt(c.revoked_at_ms)},
                      {"verify_path", "/c/" + c.cert_no + "?code=" + c.check_code}};
}

// The public check: the name masked, no account, no reason.
json::object PublicCertificateJson(const CertificateCheck& k) {
  const Certificate& c = k.certificate;
  return json::object{{"no", c.cert_no},
                      {"holder_name", MaskPersonName(c.holder_name)},
                      {"programme_title", c.programme_title},
                      {"level", c.level},
                      {"hours", c.hours},
                      {"issuer", c.issuer},
                      {"issued_at_ms", c.issued_at_ms},
                      {"expires_at_ms", c.expires_at_ms},
                      {"state", k.state},
                      {"revoked_at_ms", Opt(c.revoked_at_ms)},
                      {"code_checked", k.code_ok}};
}

// ---- Register ----

awaitable<Response> AddMember(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  RosterEntry e;
  e.user_id = f.Int("user_id", {.required = false, .min = 1});
  e.phone = f.String("phone", {.required = !e.user_id, .min = 1, .max = 20}).value_or("");
  e.village_id = f.Int("village_id", {.min = 1}).value_or(0);
  e.secretary = f.Bool("secretary", false).value_or(false);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.AddMember(p, std::move(e), std::move(ip));
  co_return OneAnswer(r, req, "member", MemberJson, 201);
}

awaitable<Response> ListMembers(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_QUERY_ID(village, req, "village_id");
  auto r = co_await d.training.Members(p, village);
  co_return ListAnswer(r, req, "members", MemberJson);
}

// ---- Programmes ----

awaitable<Response> CreateProgramme(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  Programme g;
  g.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  g.description = f.String("description", {.required = false, .max = 5000, .multiline = true}).value_or("");
  g.modules = f.Strings("modules", {.min = 1, .max = 60}, 30, true).value_or(std::vector<std::string>{});
  f.Object("rules", true, [&](Fields& r) {
    g.rules.min_attendance_pct = r.Int("min_attendance_pct", {.min = 0, .max = 100}).value_or(0);
    g.rules.practice_hours = r.Int("practice_hours", {.min = 0, .max = 1000}).value_or(0);
    g.rules.pass_mark = r.Int("pass_mark", {.min = 0, .max = 100}).value_or(0);
  });
  f.Object("certificate", true, [&](Fields& c) {
    g.certificate_level = c.String("level", {.min = 1, .max = 40}).value_or("");
    g.valid_years = c.Int("valid_years", {.min = 1, .max = 10}).value_or(0);
  });
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.CreateProgramme(p, std::move(g), std::move(ip));
  co_return OneAnswer(r, req, "programme", ProgrammeJson, 201);
}

awaitable<Response> ListProgrammes(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  (void)p;
  auto r = co_await d.training.Programmes();
  co_return ListAnswer(r, req, "programmes", ProgrammeJson);
}

// ---- Classes ----

// quiz: [{text, options:[…], answer:[indexes], multiple?}]
void ReadQuiz(Fields& f, std::vector<Question>& quiz) {
  f.Objects("quiz", 30, false, [&](Fields& item, size_t) {
    Question q;
    q.text = item.String("text", {.min = 1, .max = 500, .multiline = true}).value_or("");
    q.options = item.Strings("options", {.min = 1, .max = 200}, 8, true).value_or(std::vector<std::string>{});
    q.multiple = item.Bool("multiple", false).value_or(false);
    const json::value* raw = item.Raw("answer");
    if (item.ok() && raw && raw->is_array()) {
      // Option indexes, from 0.
      std::vector<int64_t> idx;
      for (const json::value& v : raw->as_array()) {
        if (!v.is_int64() || v.as_int64() < 0 || v.as_int64() >= static_cast<int64_t>(q.options.size())) {
          item.Fail(Error::Invalid("out_of_range", "answer"));
          break;
        }
        idx.push_back(v.as_int64());
      }
      q.answer = idx;
    } else if (item.ok()) {
      item.Fail(Error::Invalid("missing_field", "answer"));
    }
    if (item.ok() && (q.options.size() < 2 || q.answer.empty() || (!q.multiple && q.answer.size() != 1))) {
      item.Fail(Error::Invalid("invalid_value", q.options.size() < 2 ? "options" : "answer"));
    }
    quiz.push_back(std::move(q));
  });
}

awaitable<Response> CreateClass(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  ClassDraft c;
  c.programme_id = f.Int("programme_id", {.min = 1}).value_or(0);
  c.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  c.org_id = f.Int("org_id", {.required = false, .min = 1});
  c.venue_id = f.Int("venue_id", {.min = 1}).value_or(0);
  c.capacity = f.Int("capacity", {.min = 1, .max = 500}).value_or(0);
  f.Object("eligible", true, [&](Fields& e) {
    auto ids = http::IdArray(e.Raw("village_ids"), "eligible.village_ids", 100);
    if (!ids.ok()) {
      e.Fail(ids.error());
    } else {
      c.village_ids = *ids;
    }
    c.secretaries_only = e.Bool("secretaries_only", false).value_or(false);
  });
  c.refresher = f.Bool("refresher", false).value_or(false);
  auto trainers = http::IdArray(f.Raw("trainer_ids"), "trainer_ids", 20);
  if (f.ok() && !trainers.ok()) {
    f.Fail(trainers.error());
  }
  f.Objects("sessions", 40, true, [&](Fields& s, size_t) {
    SessionDraft sd;
    sd.starts_at_ms = s.Int("starts_at_ms", {.min = 1}).value_or(0);
    sd.ends_at_ms = s.Int("ends_at_ms", {.min = 1}).value_or(0);
    sd.module = s.String("module", {.min = 1, .max = 60}).value_or("");
    c.sessions.push_back(std::move(sd));
  });
  ReadQuiz(f, c.quiz);
  c.assignment = f.String("assignment", {.required = false, .max = 2000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (f.ok() && c.village_ids.empty()) {
    co_return Err(Error::Invalid("missing_field", "eligible.village_ids"), req);
  }
  c.trainer_ids = trainers.ok() ? *trainers : std::vector<int64_t>{};
  std::string ip = req.remote_ip;
  auto r = co_await d.training.CreateClass(p, std::move(c), std::move(ip));
  co_return OneAnswer(r, req, "class", ClassJson, 201);
}

awaitable<Response> ListClasses(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  std::string scope = req.Query("scope").value_or("");
  if (scope.empty()) {
    scope = "mine";
  }
  auto r = co_await d.training.ListClasses(p, std::move(scope));
  co_return ListAnswer(r, req, "classes", ClassJson);
}

awaitable<Response> GetClass(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  auto r = co_await d.training.GetClass(p, id);
  co_return OneAnswer(r, req, "class", ClassJson);
}

// [{<who_key>: who, code, message}] for each person a batch refused.
template <class Who>
json::array RefusedJson(const std::vector<std::pair<Who, std::string>>& refused, const Request& req,
                        const char* who_key) {
  json::array a;
  for (const auto& [who, key] : refused) {
    a.push_back(json::object{{who_key, who},
                             {"code", key},
                             {"message", http::ErrorMessage(Error::Conflict(key), req.lang)}});
  }
  return a;
}

// {} enrols the caller; {members:[{phone|user_id, village_id?, secretary?}]}
// is a trainer's roster.
awaitable<Response> Enrol(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_PARSE_OPTIONAL_BODY(body, req);
  Fields f(body);
  std::vector<RosterEntry> entries;
  const bool roster = body.contains("members");
  if (roster) {
    f.Objects("members", 500, true, [&](Fields& m, size_t) {
      RosterEntry e;
      e.user_id = m.Int("user_id", {.required = false, .min = 1});
      e.phone = m.String("phone", {.required = !e.user_id, .min = 1, .max = 20}).value_or("");
      e.village_id = m.Int("village_id", {.required = false, .min = 1}).value_or(0);
      e.secretary = m.Bool("secretary", false).value_or(false);
      entries.push_back(std::move(e));
    });
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (roster && entries.empty()) {
    co_return Err(Error::Invalid("missing_field", "members"), req);
  }
  if (!roster) {
    auto r = co_await d.training.Enrol(p, id);
    co_return OneAnswer(r, req, "class", ClassJson, 201);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.AddRoster(p, id, std::move(entries), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return JsonResponse(201, json::object{{"enrolled", json::array(r->enrolled.begin(), r->enrolled.end())},
                                           {"refused", RefusedJson(r->refused, req, "member")}});
}

awaitable<Response> Withdraw(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  const std::string_view who = req.Param("user");
  int64_t user = p.user_id;
  if (who != "me") {
    const auto parsed = http::ParseId(who);
    if (!parsed) {
      co_return Err(Error::NotFound("training.not_enrolled"), req);
    }
    user = *parsed;
  }
  auto r = co_await d.training.Withdraw(p, id, user);
  co_return OneAnswer(r, req, "class", ClassJson);
}

awaitable<Response> Roster(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  auto r = co_await d.training.Roster(p, id);
  co_return ListAnswer(r, req, "trainees", TraineeJson);
}

// ---- Materials and assessment ----

awaitable<Response> AddMaterial(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  Material m;
  m.event_id = f.Int("event_id", {.min = 1}).value_or(0);
  m.title = f.String("title", {.min = 1, .max = 100}).value_or("");
  m.kind = "markdown";
  m.body = f.String("body", {.min = 1, .max = 50'000, .multiline = true}).value_or("");
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.training.AddMaterial(p, id, std::move(m));
  co_return OneAnswer(r, req, "material", MaterialJson, 201);
}

// The file's bytes are the body; event_id, title and name in the query.
awaitable<Response> AddMaterialFile(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_QUERY_ID(event_id, req, "event_id");
  if (!event_id) {
    co_return Err(Error::Invalid("missing_field", "event_id"), req);
  }
  auto title = http::QueryString(req, "title", {.min = 1, .max = 100});
  if (!title.ok()) {
    co_return Err(title.error(), req);
  }
  std::string name = req.Query("name").value_or("");
  std::string bytes = std::move(req.body);
  auto r = co_await d.training.AddMaterialFile(p, id, *event_id, std::move(*title), std::move(name),
                                               std::move(bytes));
  co_return OneAnswer(r, req, "material", MaterialJson, 201);
}

awaitable<Response> MaterialFile(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.training.MaterialFile(p, std::string(req.Param("id")));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return media::FileResponse(std::move(*r));
}

awaitable<Response> SubmitQuiz(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_PARSE_BODY(body, req);
  for (const auto& kv : body) {
    if (kv.key() != "answers") {
      co_return Err(Error::Invalid("unknown_field", std::string(kv.key())), req);
    }
  }
  const auto it = body.find("answers");
  if (it == body.end() || !it->value().is_array()) {
    co_return Err(Error::Invalid("missing_field", "answers"), req);
  }
  std::vector<std::vector<int64_t>> answers;
  const json::array& a = it->value().as_array();
  if (a.size() > 30) {
    co_return Err(Error::Invalid("too_many_items", "answers"), req);
  }
  for (size_t i = 0; i < a.size(); ++i) {
    std::vector<int64_t> chosen;
    const json::value& v = a[i];
    if (v.is_int64()) {
      chosen.push_back(v.as_int64());
    } else if (v.is_array() && v.as_array().size() <= 8) {
      for (const json::value& x : v.as_array()) {
        if (!x.is_int64()) {
          co_return Err(Error::Invalid("invalid_type", "answers[" + std::to_string(i) + "]"), req);
        }
        chosen.push_back(x.as_int64());
      }
    } else {
      co_return Err(Error::Invalid("invalid_type", "answers[" + std::to_string(i) + "]"), req);
    }
    answers.push_back(std::move(chosen));
  }
  auto r = co_await d.training.SubmitQuiz(p, id, std::move(answers));
  co_return OneAnswer(r, req, "result", [](const QuizResult& q) {
    return json::object{{"score", q.score}, {"best", q.best}, {"passed", q.passed}};
  }, 201);
}

awaitable<Response> SubmitAssignment(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto text = f.String("body", {.min = 1, .max = 20'000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await d.training.SubmitAssignment(p, id, std::move(*text));
  co_return OneAnswer(r, req, "assignment", AssignmentJson, 201);
}

// A secretary's passed needs assessment as a need of their village: the
// market's need body without village_id; source defaults to visits.
awaitable<Response> PostAssignmentNeed(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  market::NeedDraft n = market::ParseNeedDraft(f, false);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (n.source.empty()) {
    n.source = "visits";
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.PostAssignmentNeed(p, id, std::move(n), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return JsonResponse(201, json::object{{"need", market::NeedJson(r->first)},
                                           {"assignment", AssignmentJson(r->second)}});
}

awaitable<Response> ListAssignments(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  auto r = co_await d.training.Assignments(p, id);
  co_return ListAnswer(r, req, "assignments", AssignmentJson);
}

awaitable<Response> Grade(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_PATH_ID(user, req, "user", "training.assignment_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  const int64_t grade = f.Int("grade", {.min = 0, .max = 100}).value_or(0);
  auto feedback = f.String("feedback", {.required = false, .max = 2000, .multiline = true});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.Grade(p, id, user, grade, feedback.value_or(""), std::move(ip));
  co_return OneAnswer(r, req, "assignment", AssignmentJson);
}

// ---- Practice ----

awaitable<Response> LogPractice(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  PracticeDraft pd;
  pd.kind = f.String("kind", {.min = 1, .max = 20}).value_or("");
  // Hours in quarter steps from the form, or minutes.
  const json::value* hours = f.Raw("hours");
  auto minutes = f.Int("minutes", {.required = false, .min = 1, .max = 1440});
  if (hours && !hours->is_null()) {
    const double h = hours->is_double() ? hours->as_double() : hours->is_int64() ? double(hours->as_int64()) : -1;
    if (h <= 0 || h > 24) {
      f.Fail(Error::Invalid("out_of_range", "hours"));
    } else {
      pd.minutes = static_cast<int64_t>(h * 60 + 0.5);
    }
  } else if (minutes) {
    pd.minutes = *minutes;
  } else if (f.ok()) {
    f.Fail(Error::Invalid("missing_field", "hours"));
  }
  pd.date_ms = f.Int("date_ms", {.min = 1}).value_or(0);
  pd.place = f.String("place", {.min = 1, .max = 100}).value_or("");
  pd.method = f.String("method", {.min = 1, .max = 20}).value_or("");
  pd.note = f.String("note", {.required = false, .max = 2000, .multiline = true}).value_or("");
  pd.room_id = f.Int("room_id", {.required = false, .min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (pd.minutes < 1) {
    co_return Err(Error::Invalid("out_of_range", "hours"), req);
  }
  auto r = co_await d.training.LogPractice(p, std::move(pd));
  co_return OneAnswer(r, req, "practice", PracticeJson, 201);
}

awaitable<Response> MyPractice(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.training.MyPractice(p);
  co_return ListAnswer(r, req, "practice", PracticeJson);
}

awaitable<Response> PendingPractice(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.training.PendingPractice(p);
  co_return ListAnswer(r, req, "practice", PracticeJson);
}

awaitable<Response> DecidePractice(Deps d, Request& req, bool confirm) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto reason = http::DecisionReason(req, confirm);
  if (!reason.ok()) {
    co_return Err(reason.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.DecidePractice(p, std::string(req.Param("id")), confirm, std::move(*reason),
                                              std::move(ip));
  co_return OneAnswer(r, req, "practice", PracticeJson);
}

awaitable<Response> ConfirmPractice(Deps d, Request& req) { return DecidePractice(d, req, true); }
awaitable<Response> RejectPractice(Deps d, Request& req) { return DecidePractice(d, req, false); }

// ---- Progress and certificates ----

awaitable<Response> GetProgress(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  auto r = co_await d.training.ProgressOf(p, id);
  co_return ListAnswer(r, req, "progress", ProgressJson);
}

awaitable<Response> Issue(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto ids = http::IdArray(f.Raw("user_ids"), "user_ids", 500);
  if (f.ok() && !ids.ok()) {
    f.Fail(ids.error());
  }
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (ids->empty()) {
    co_return Err(Error::Invalid("missing_field", "user_ids"), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.Issue(p, id, std::move(*ids), std::move(ip));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  const int64_t now = d.training.clock().NowMs();
  json::array issued;
  for (const Certificate& c : r->issued) {
    issued.push_back(CertificateJson(c, now));
  }
  co_return JsonResponse(201, json::object{{"issued", issued}, {"refused", RefusedJson(r->refused, req, "user_id")}});
}

awaitable<Response> ClassCertificates(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PATH_ID(id, req, "id", "training.class_not_found");
  auto r = co_await d.training.ClassCertificates(p, id);
  const int64_t now = d.training.clock().NowMs();
  co_return ListAnswer(r, req, "certificates", [now](const Certificate& c) { return CertificateJson(c, now); });
}

awaitable<Response> MyCertificates(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.training.MyCertificates(p);
  const int64_t now = d.training.clock().NowMs();
  co_return ListAnswer(r, req, "certificates", [now](const Certificate& c) { return CertificateJson(c, now); });
}

awaitable<Response> CheckCertificate(Deps d, Request& req) {
  // Named locals, not temporaries, into the coroutine: g++ 12 destroys a
  // conditional expression's temporary passed to a coroutine twice.
  std::optional<std::string> code = req.Query("code");
  if (code && code->empty()) {
    code.reset();
  }
  std::string no(req.Param("no"));
  auto r = co_await d.training.Check(std::move(no), std::move(code));
  co_return OneAnswer(r, req, "certificate", PublicCertificateJson);
}

std::string Origin(const Deps& d, const Request& req) {
  return !d.accounts.config().public_origin.empty() ? d.accounts.config().public_origin
                                                    : "http://" + std::string(req.Header("host"));
}

awaitable<Response> CertificateQr(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  auto r = co_await d.training.MyCertificate(p, std::string(req.Param("no")));
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  Response res;
  res.body = QrSvg(Origin(d, req) + "/c/" + r->cert_no + "?code=" + r->check_code);
  res.Set("Content-Type", "image/svg+xml");
  res.Set("Cache-Control", "private, max-age=86400");
  co_return res;
}

awaitable<Response> Revoke(Deps d, Request& req) {
  CC_REQUIRE_PRINCIPAL(p, d.accounts, req);
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto reason = f.String("reason", {.min = 1, .max = 500});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  std::string ip = req.remote_ip;
  auto r = co_await d.training.Revoke(p, std::string(req.Param("no")), std::move(*reason), std::move(ip));
  const int64_t now = d.training.clock().NowMs();
  co_return OneAnswer(r, req, "certificate", [now](const Certificate& c) { return CertificateJson(c, now); });
}

}  // namespace

void RegisterRoutes(http::Router& router, TrainingService& training, AccountsService& accounts) {
  const auto bind = [&training, &accounts](awaitable<Response> (*fn)(Deps, Request&)) {
    return [&training, &accounts, fn](Request& req) { return fn(Deps{training, accounts}, req); };
  };
  router.Add("POST", "/api/v1/training/members", bind(AddMember));
  router.Add("GET", "/api/v1/training/members", bind(ListMembers));
  router.Add("POST", "/api/v1/training/programmes", bind(CreateProgramme));
  router.Add("GET", "/api/v1/training/programmes", bind(ListProgrammes));
  router.Add("POST", "/api/v1/training/classes", bind(CreateClass));
  router.Add("GET", "/api/v1/training/classes", bind(ListClasses));
  router.Add("GET", "/api/v1/training/classes/{id}", bind(GetClass));
  router.Add("POST", "/api/v1/training/classes/{id}/enrolments", bind(Enrol));
  router.Add("DELETE", "/api/v1/training/classes/{id}/enrolments/{user}", bind(Withdraw));
  router.Add("GET", "/api/v1/training/classes/{id}/roster", bind(Roster));
  router.Add("POST", "/api/v1/training/classes/{id}/materials", bind(AddMaterial));
  router.Add("POST", "/api/v1/training/classes/{id}/materials/files", bind(AddMaterialFile),
             media::UploadRoute());
  router.Add("GET", "/api/v1/training/materials/{id}/file", bind(MaterialFile));
  router.Add("POST", "/api/v1/training/classes/{id}/quiz", bind(SubmitQuiz));
  router.Add("POST", "/api/v1/training/classes/{id}/assignment", bind(SubmitAssignment));
  router.Add("POST", "/api/v1/training/classes/{id}/assignment/need", bind(PostAssignmentNeed));
  router.Add("GET", "/api/v1/training/classes/{id}/assignments", bind(ListAssignments));
  router.Add("POST", "/api/v1/training/classes/{id}/assignments/{user}/grade", bind(Grade));
  router.Add("GET", "/api/v1/training/classes/{id}/progress", bind(GetProgress));
  router.Add("POST", "/api/v1/training/classes/{id}/certificates", bind(Issue));
  router.Add("GET", "/api/v1/training/classes/{id}/certificates", bind(ClassCertificates));
  router.Add("POST", "/api/v1/training/practice", bind(LogPractice));
  router.Add("GET", "/api/v1/training/practice", bind(MyPractice));
  router.Add("GET", "/api/v1/training/practice/pending", bind(PendingPractice));
  router.Add("POST", "/api/v1/training/practice/{id}/confirm", bind(ConfirmPractice));
  router.Add("POST", "/api/v1/training/practice/{id}/reject", bind(RejectPractice));
  router.Add("GET", "/api/v1/training/certificates", bind(MyCertificates));
  router.Add("GET", "/api/v1/training/certificates/{no}", bind(CheckCertificate));
  router.Add("GET", "/api/v1/training/certificates/{no}/qr", bind(CertificateQr));
  router.Add("POST", "/api/v1/training/certificates/{no}/revoke", bind(Revoke));
}

}  // namespace carecity::training
