#include "domains/training/outcomes.h"

#include <boost/json.hpp>
#include <map>

#include "db/await.h"
#include "domains/accounts/routes.h"
#include "http/csv.h"
#include "http/json.h"

namespace carecity::training {
namespace {

namespace json = boost::json;
using accounts::Role;
using boost::asio::awaitable;
using http::Request;
using http::Response;

// id -> count from a two-column query.
std::map<int64_t, int64_t> Counts(db::Tx& tx, const std::string& sql, std::initializer_list<db::Value> params) {
  std::map<int64_t, int64_t> out;
  const db::Rows rows = tx.Query(sql, params);
  for (size_t i = 0; i < rows.size(); ++i) {
    out[rows[i].Int(0)] = rows[i].Int(1);
  }
  return out;
}

int64_t At(const std::map<int64_t, int64_t>& m, int64_t id) {
  const auto it = m.find(id);
  return it == m.end() ? 0 : it->second;
}

std::string Hours(int64_t minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(minutes) / 60.0);
  return buf;
}

}  // namespace

Outcomes LoadOutcomesTx(db::Tx& tx, int64_t now_ms) {
  Outcomes o;
  o.generated_at_ms = now_ms;

  // ---- Classes ----
  const auto enrolled = Counts(
      tx, "SELECT class_id, COUNT(*) FROM training_enrolments WHERE status = 'enrolled' GROUP BY class_id", {});
  const auto completed = Counts(tx, "SELECT class_id, COUNT(*) FROM training_certificates GROUP BY class_id", {});
  const auto valid = Counts(tx,
                            "SELECT class_id, COUNT(*) FROM training_certificates WHERE status = 'valid' AND "
                            "expires_at_ms > $1 GROUP BY class_id",
                            {now_ms});
  const auto practice = Counts(
      tx,
      "SELECT e.class_id, COALESCE(SUM(p.minutes), 0) FROM training_enrolments e JOIN training_classes c ON "
      "c.id = e.class_id JOIN training_practice p ON p.user_id = e.user_id AND p.status = 'confirmed' AND "
      "p.date_ms >= c.starts_at_ms AND p.date_ms <= $1 WHERE e.status = 'enrolled' GROUP BY e.class_id",
      {now_ms});
  // The villages of a secretaries' class's trainees, and what they posted
  // and bought since the class began.
  const auto needs = Counts(
      tx,
      "SELECT c.id, COUNT(DISTINCT n.id) FROM training_classes c JOIN training_enrolments e ON e.class_id = c.id "
      "AND e.status = 'enrolled' JOIN training_members m ON m.user_id = e.user_id JOIN market_needs n ON "
      "n.village_id = m.village_id AND n.created_at_ms >= c.starts_at_ms WHERE c.secretaries_only = 1 GROUP BY c.id",
      {});
  const auto bought = Counts(
      tx,
      "SELECT c.id, COUNT(DISTINCT k.id) FROM training_classes c JOIN training_enrolments e ON e.class_id = c.id "
      "AND e.status = 'enrolled' JOIN training_members m ON m.user_id = e.user_id JOIN market_contracts k ON "
      "k.village_id = m.village_id AND k.status IN ('active', 'completed') AND k.activated_at_ms >= c.starts_at_ms "
      "WHERE c.secretaries_only = 1 GROUP BY c.id",
      {});
  const db::Rows classes = tx.Query(
      "SELECT c.id, c.title, p.title, c.secretaries_only, c.starts_at_ms, c.ends_at_ms, c.programme_id "
      "FROM training_classes c JOIN training_programmes p ON p.id = c.programme_id ORDER BY c.starts_at_ms, c.id");
  std::map<int64_t, ProgrammeOutcome*> by_programme;
  const db::Rows programmes = tx.Query("SELECT id, title FROM training_programmes ORDER BY id");
  o.programmes.reserve(programmes.size());
  for (size_t i = 0; i < programmes.size(); ++i) {
    o.programmes.push_back(ProgrammeOutcome{programmes[i].Int(0), programmes[i].Text(1)});
    by_programme[programmes[i].Int(0)] = &o.programmes.back();
  }
  for (size_t i = 0; i < classes.size(); ++i) {
    const db::Row r = classes[i];
    ClassOutcome c;
    c.class_id = r.Int(0);
    c.title = r.Text(1);
    c.programme_title = r.Text(2);
    c.secretaries_only = r.Int(3) != 0;
    c.starts_at_ms = r.Int(4);
    c.ends_at_ms = r.Int(5);
    c.enrolled = At(enrolled, c.class_id);
    c.completed = At(completed, c.class_id);
    c.certificates_valid = At(valid, c.class_id);
    c.practice_minutes = At(practice, c.class_id);
    if (c.secretaries_only) {
      c.needs_posted = At(needs, c.class_id);
      c.projects_bought = At(bought, c.class_id);
    }
    ProgrammeOutcome& p = *by_programme.at(r.Int(6));
    p.classes += 1;
    p.enrolled += c.enrolled;
    p.completed += c.completed;
    p.certificates_valid += c.certificates_valid;
    p.practice_minutes += c.practice_minutes;
    o.classes.push_back(std::move(c));
  }

  // ---- Villages ----
  const auto members = Counts(tx, "SELECT village_id, COUNT(*) FROM training_members GROUP BY village_id", {});
  const auto v_enrolled = Counts(
      tx,
      "SELECT m.village_id, COUNT(DISTINCT m.user_id) FROM training_members m JOIN training_enrolments e ON "
      "e.user_id = m.user_id AND e.status = 'enrolled' GROUP BY m.village_id",
      {});
  const auto v_completed = Counts(
      tx,
      "SELECT m.village_id, COUNT(DISTINCT m.user_id) FROM training_members m JOIN training_certificates c ON "
      "c.user_id = m.user_id GROUP BY m.village_id",
      {});
  const auto v_valid = Counts(
      tx,
      "SELECT m.village_id, COUNT(*) FROM training_members m JOIN training_certificates c ON c.user_id = m.user_id "
      "AND c.status = 'valid' AND c.expires_at_ms > $1 GROUP BY m.village_id",
      {now_ms});
  const auto v_practice = Counts(
      tx,
      "SELECT m.village_id, COALESCE(SUM(p.minutes), 0) FROM training_members m JOIN training_practice p ON "
      "p.user_id = m.user_id AND p.status = 'confirmed' AND p.date_ms <= $1 GROUP BY m.village_id",
      {now_ms});
  const auto visits = Counts(tx, "SELECT village_id, COUNT(*) FROM reception_visits GROUP BY village_id", {});
  const auto referrals = Counts(
      tx, "SELECT village_id, COUNT(*) FROM reception_visits WHERE application_id IS NOT NULL GROUP BY village_id",
      {});
  const auto pool = Counts(
      tx,
      "SELECT m.village_id, COUNT(*) FROM training_members m JOIN talent_pool t ON t.user_id = m.user_id AND "
      "t.withdrawn_at_ms IS NULL GROUP BY m.village_id",
      {});
  const auto placed = Counts(
      tx,
      "SELECT m.village_id, COUNT(DISTINCT i.user_id) FROM training_members m JOIN talent_invitations i ON "
      "i.user_id = m.user_id AND i.status = 'accepted' GROUP BY m.village_id",
      {});
  const db::Rows villages = tx.Query(
      "SELECT id, name FROM villages WHERE id IN (SELECT village_id FROM training_members) OR id IN "
      "(SELECT village_id FROM reception_rooms) ORDER BY name");
  for (size_t i = 0; i < villages.size(); ++i) {
    const int64_t id = villages[i].Int(0);
    o.villages.push_back(VillageOutcome{id, villages[i].Text(1), At(members, id), At(v_enrolled, id),
                                        At(v_completed, id), At(v_valid, id), At(v_practice, id), At(visits, id),
                                        At(referrals, id), At(pool, id), At(placed, id)});
  }
  return o;
}

namespace {

json::object OutcomesJson(const Outcomes& o) {
  json::array programmes;
  for (const ProgrammeOutcome& p : o.programmes) {
    programmes.push_back(json::object{{"programme_id", p.programme_id},
                                      {"title", p.title},
                                      {"classes", p.classes},
                                      {"enrolled", p.enrolled},
                                      {"completed", p.completed},
                                      {"certificates_valid", p.certificates_valid},
                                      {"practice_minutes", p.practice_minutes}});
  }
  json::array classes;
  for (const ClassOutcome& c : o.classes) {
    classes.push_back(json::object{{"class_id", c.class_id},
                                   {"title", c.title},
                                   {"programme_title", c.programme_title},
                                   {"secretaries_only", c.secretaries_only},
                                   {"starts_at_ms", c.starts_at_ms},
                                   {"ends_at_ms", c.ends_at_ms},
                                   {"enrolled", c.enrolled},
                                   {"completed", c.completed},
                                   {"certificates_valid", c.certificates_valid},
                                   {"practice_minutes", c.practice_minutes},
                                   {"needs_posted", http::Opt(c.needs_posted)},
                                   {"projects_bought", http::Opt(c.projects_bought)}});
  }
  json::array villages;
  for (const VillageOutcome& v : o.villages) {
    villages.push_back(json::object{{"village_id", v.village_id},
                                    {"village_name", v.village_name},
                                    {"members", v.members},
                                    {"enrolled", v.enrolled},
                                    {"completed", v.completed},
                                    {"certificates_valid", v.certificates_valid},
                                    {"practice_minutes", v.practice_minutes},
                                    {"reception_visits", v.reception_visits},
                                    {"referrals", v.referrals},
                                    {"talent_members", v.talent_members},
                                    {"placed", v.placed}});
  }
  return json::object{{"generated_at_ms", o.generated_at_ms},
                      {"programmes", programmes},
                      {"classes", classes},
                      {"villages", villages}};
}

std::string OutcomesCsv(const Outcomes& o, const std::string& table) {
  using http::CsvField;
  std::string out = "\xEF\xBB\xBF";  // Excel reads UTF-8 with the mark
  const auto n = [](int64_t v) { return std::to_string(v); };
  if (table == "programmes") {
    out += "培训项目,班数,报名,结业,有效证书,实践小时\r\n";
    for (const ProgrammeOutcome& p : o.programmes) {
      out += CsvField(p.title) + "," + n(p.classes) + "," + n(p.enrolled) + "," + n(p.completed) + "," +
             n(p.certificates_valid) + "," + Hours(p.practice_minutes) + "\r\n";
    }
  } else if (table == "classes") {
    out += "培训班,培训项目,书记班,报名,结业,有效证书,实践小时,发布需求,购买项目\r\n";
    for (const ClassOutcome& c : o.classes) {
      out += CsvField(c.title) + "," + CsvField(c.programme_title) + "," + (c.secretaries_only ? "是" : "否") + "," +
             n(c.enrolled) + "," + n(c.completed) + "," + n(c.certificates_valid) + "," + Hours(c.practice_minutes) +
             "," + (c.needs_posted ? n(*c.needs_posted) : "") + "," +
             (c.projects_bought ? n(*c.projects_bought) : "") + "\r\n";
    }
  } else {
    out += "村居,在册党员,报名,结业,有效证书,实践小时,接待来访,转介,人才库,入选项目团队\r\n";
    for (const VillageOutcome& v : o.villages) {
      out += CsvField(v.village_name) + "," + n(v.members) + "," + n(v.enrolled) + "," + n(v.completed) + "," +
             n(v.certificates_valid) + "," + Hours(v.practice_minutes) + "," + n(v.reception_visits) + "," +
             n(v.referrals) + "," + n(v.talent_members) + "," + n(v.placed) + "\r\n";
    }
  }
  return out;
}

}  // namespace

void RegisterOutcomeRoutes(http::Router& router, db::Store& store, const Clock& clock,
                           accounts::AccountsService& accounts) {
  router.Add("GET", "/api/v1/training/dashboard", [&store, &clock, &accounts](Request& req) -> awaitable<Response> {
    CC_REQUIRE_PRINCIPAL(p, accounts, req);
    if (!p.Has(Role::kTrainer) && !p.Has(Role::kFundAdmin) && !p.Has(Role::kPlatformAdmin)) {
      co_return http::Err(Error::Forbidden(), req);
    }
    const std::string format = req.Query("format").value_or("json");
    const std::string table = req.Query("table").value_or("villages");
    if (format != "json" && format != "csv") {
      co_return http::Err(Error::Invalid("invalid_value", "format"), req);
    }
    if (table != "villages" && table != "classes" && table != "programmes") {
      co_return http::Err(Error::Invalid("invalid_value", "table"), req);
    }
    const int64_t now = clock.NowMs();
    auto o = co_await db::ReadTx(store, [&](db::Tx& tx) -> Result<Outcomes> { return LoadOutcomesTx(tx, now); });
    if (!o.ok()) {
      co_return http::Err(o.error(), req);
    }
    if (format == "json") {
      co_return http::JsonResponse(200, OutcomesJson(*o));
    }
    Response r;
    r.status = 200;
    r.Set("Content-Type", "text/csv; charset=utf-8");
    r.Set("Content-Disposition", "attachment; filename=\"carecity-training-" + table + ".csv\"");
    r.body = OutcomesCsv(*o, table);
    co_return r;
  });
}

}  // namespace carecity::training
