#include "domains/casework/repo.h"

#include <fmt/format.h>

#include <map>

#include "db/lock.h"

namespace carecity::casework::repo {
namespace {

constexpr const char* kAppColumns =
    "a.id, a.service_id, s.name, a.org_id, o.name, a.applicant_id, u.display_name, a.for_whom, a.beneficiary_name, "
    "a.relationship, a.description, a.preferred_times, a.contact_phone, a.village_id, v.name, a.status, a.worker_id, "
    "w.display_name, a.submitted_at_ms, a.received_at_ms, a.due_at_ms, a.first_response_at_ms, a.closed_at_ms, "
    "a.outcome, a.rating, a.rating_comment, a.sensitive_box, a.sensitive_purged_at_ms, a.updated_at_ms";
constexpr const char* kAppFrom =
    " FROM casework_applications a JOIN casework_services s ON s.id = a.service_id "
    "JOIN orgs o ON o.id = a.org_id JOIN users u ON u.id = a.applicant_id "
    "LEFT JOIN villages v ON v.id = a.village_id LEFT JOIN users w ON w.id = a.worker_id";

Application ReadApplication(const db::Row& r) {
  Application a;
  a.id = r.Int(0);
  a.service_id = r.Int(1);
  a.service_name = r.Text(2);
  a.org_id = r.Int(3);
  a.org_name = r.Text(4);
  a.applicant_id = r.Int(5);
  a.applicant_name = r.Text(6);
  a.for_whom = r.Text(7);
  a.beneficiary_name = r.Text(8);
  a.relationship = r.Text(9);
  a.description = r.Text(10);
  a.preferred_times = r.Text(11);
  a.contact_phone = r.Text(12);
  if (!r.IsNull(13)) {
    a.village = Ref{r.Int(13), r.Text(14)};
  }
  a.status = r.Text(15);
  a.worker_id = r.OptInt(16);
  a.worker_name = r.Text(17);
  a.submitted_at_ms = r.Int(18);
  a.received_at_ms = r.Int(19);
  a.due_at_ms = r.Int(20);
  a.first_response_at_ms = r.OptInt(21);
  a.closed_at_ms = r.OptInt(22);
  a.outcome = r.OptText(23);
  a.rating = r.OptInt(24);
  a.rating_comment = r.OptText(25);
  a.sensitive_box = r.OptText(26);
  a.sensitive_purged_at_ms = r.OptInt(27);
  a.updated_at_ms = r.Int(28);
  return a;
}

std::vector<Application> ReadApplications(const db::Rows& rows) {
  std::vector<Application> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadApplication(rows[i]));
  }
  return out;
}

Service ReadService(db::Tx& tx, const db::Row& r) {
  Service s;
  s.id = r.Int(0);
  s.org_id = r.Int(1);
  s.org_name = r.Text(2);
  s.name = r.Text(3);
  s.description = r.Text(4);
  s.eligibility = r.Text(5);
  s.response_days = r.Int(6);
  s.active = r.Bool(7);
  s.created_at_ms = r.Int(8);
  const auto villages = tx.Query(
      "SELECT v.id, v.name FROM casework_service_villages sv JOIN villages v ON v.id = sv.village_id "
      "WHERE sv.service_id = $1 ORDER BY v.id",
      {s.id});
  for (size_t i = 0; i < villages.size(); ++i) {
    s.villages.push_back({villages[i].Int(0), villages[i].Text(1)});
  }
  return s;
}

constexpr const char* kServiceSelect =
    "SELECT s.id, s.org_id, o.name, s.name, s.description, s.eligibility, s.response_days, s.active, "
    "s.created_at_ms FROM casework_services s JOIN orgs o ON o.id = s.org_id";

}  // namespace

std::optional<int64_t> InsertService(db::Tx& tx, const Service& s, std::optional<int64_t> created_by) {
  auto rows = tx.Query(
      "INSERT INTO casework_services (org_id, name, description, eligibility, response_days, active, created_by, "
      "created_at_ms) VALUES ($1, $2, $3, $4, $5, 1, $6, $7) ON CONFLICT (org_id, name) DO NOTHING RETURNING id",
      {s.org_id, s.name, s.description, s.eligibility, s.response_days, created_by, s.created_at_ms});
  return rows.empty() ? std::nullopt : std::optional<int64_t>(rows.front().Int(0));
}

void InsertServiceVillage(db::Tx& tx, int64_t service_id, int64_t village_id) {
  tx.Exec("INSERT INTO casework_service_villages (service_id, village_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          {service_id, village_id});
}

std::optional<Service> FindService(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string(kServiceSelect) + " WHERE s.id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadService(tx, rows.front());
}

std::vector<Service> ListServices(db::Tx& tx, std::optional<int64_t> org_id) {
  const auto rows = org_id ? tx.Query(std::string(kServiceSelect) + " WHERE s.active = 1 AND s.org_id = $1 ORDER BY "
                                                                    "s.org_id, s.id",
                                      {*org_id})
                           : tx.Query(std::string(kServiceSelect) + " WHERE s.active = 1 ORDER BY s.org_id, s.id");
  std::vector<Service> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadService(tx, rows[i]));
  }
  return out;
}

int64_t InsertApplication(db::Tx& tx, const Application& a, std::optional<int64_t> consent_at_ms) {
  std::optional<int64_t> village;
  if (a.village) {
    village = a.village->id;
  }
  return tx.Insert(
      "INSERT INTO casework_applications (service_id, org_id, applicant_id, for_whom, beneficiary_name, "
      "relationship, description, preferred_times, contact_phone, village_id, status, submitted_at_ms, "
      "received_at_ms, due_at_ms, sensitive_box, sensitive_consent_at_ms, updated_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, $11, $12, $13, $14, $11)",
      {a.service_id, a.org_id, a.applicant_id, a.for_whom, a.beneficiary_name, a.relationship, a.description,
       a.preferred_times, a.contact_phone, village, a.submitted_at_ms, a.due_at_ms, a.sensitive_box,
       consent_at_ms});
}

std::optional<Application> FindApplication(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(fmt::format("SELECT {}{} WHERE a.id = $1", kAppColumns, kAppFrom), {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadApplication(rows.front());
}

std::optional<Application> LockApplication(db::Tx& tx, int64_t id) {
  if (!db::LockRow(tx, "casework_applications", id)) {
    return std::nullopt;
  }
  return FindApplication(tx, id);
}

void SetSensitiveBox(db::Tx& tx, int64_t id, const std::string& box) {
  tx.Exec("UPDATE casework_applications SET sensitive_box = $2 WHERE id = $1", {id, box});
}

std::vector<TimelineItem> Timeline(db::Tx& tx, int64_t application_id) {
  const auto rows = tx.Query(
      "SELECT t.at_ms, t.kind, t.actor_id, u.display_name, t.note FROM casework_timeline t "
      "LEFT JOIN users u ON u.id = t.actor_id WHERE t.application_id = $1 ORDER BY t.id",
      {application_id});
  std::vector<TimelineItem> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Int(0), rows[i].Text(1), rows[i].OptInt(2), rows[i].Text(3), rows[i].Text(4)});
  }
  return out;
}

std::vector<Application> ApplicationsOf(db::Tx& tx, int64_t applicant_id) {
  return ReadApplications(tx.Query(
      fmt::format("SELECT {}{} WHERE a.applicant_id = $1 ORDER BY a.id DESC LIMIT 200", kAppColumns, kAppFrom),
      {applicant_id}));
}

std::vector<Application> ListApplications(db::Tx& tx, const InboxFilter& f) {
  std::string sql = fmt::format("SELECT {}{} WHERE 1 = 1", kAppColumns, kAppFrom);
  std::vector<db::Value> params;
  const auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.org_id) {
    sql += " AND a.org_id = " + param(*f.org_id);
  }
  if (f.status) {
    sql += " AND a.status = " + param(*f.status);
  }
  const std::string now = param(f.now_ms);
  if (f.overdue_only) {
    sql += " AND a.status IN ('submitted', 'accepted') AND a.first_response_at_ms IS NULL AND a.due_at_ms < " + now;
  }
  sql += " ORDER BY CASE WHEN a.status IN ('submitted', 'accepted') AND a.first_response_at_ms IS NULL AND "
         "a.due_at_ms < " + now +
         " THEN 0 ELSE 1 END, CASE WHEN a.status IN ('submitted', 'accepted') THEN 0 ELSE 1 END, a.due_at_ms, a.id "
         "LIMIT 500";
  return ReadApplications(tx.Query(sql, params));
}

void AddTimeline(db::Tx& tx, int64_t application_id, const std::string& kind, std::optional<int64_t> actor_id,
                 const std::string& note, int64_t now_ms) {
  tx.Exec("INSERT INTO casework_timeline (application_id, at_ms, kind, actor_id, note) VALUES ($1, $2, $3, $4, $5)",
          {application_id, now_ms, kind, actor_id, note});
}

bool Accept(db::Tx& tx, int64_t id, int64_t worker_id, int64_t now_ms) {
  return tx.Exec("UPDATE casework_applications SET status = 'accepted', worker_id = $2, updated_at_ms = $3 "
                 "WHERE id = $1 AND status = 'submitted'",
                 {id, worker_id, now_ms}) == 1;
}

bool Refer(db::Tx& tx, int64_t id, const std::string& from_status, int64_t service_id, int64_t org_id,
           int64_t due_at_ms, int64_t now_ms) {
  return tx.Exec(
             "UPDATE casework_applications SET service_id = $2, org_id = $3, status = 'submitted', worker_id = NULL, "
             "received_at_ms = $5, due_at_ms = $4, first_response_at_ms = NULL, updated_at_ms = $5 "
             "WHERE id = $1 AND status = $6",
             {id, service_id, org_id, due_at_ms, now_ms, from_status}) == 1;
}

bool Finish(db::Tx& tx, int64_t id, const std::string& from_status, const std::string& status,
            const std::string& outcome, int64_t now_ms) {
  return tx.Exec("UPDATE casework_applications SET status = $2, outcome = $3, closed_at_ms = $4, updated_at_ms = $4 "
                 "WHERE id = $1 AND status = $5",
                 {id, status, outcome, now_ms, from_status}) == 1;
}

void MarkFirstResponse(db::Tx& tx, int64_t id, int64_t now_ms) {
  tx.Exec("UPDATE casework_applications SET first_response_at_ms = $2 WHERE id = $1 AND first_response_at_ms IS NULL",
          {id, now_ms});
}

bool Rate(db::Tx& tx, int64_t id, int64_t score, const std::string& comment, int64_t now_ms) {
  return tx.Exec("UPDATE casework_applications SET rating = $2, rating_comment = $3, updated_at_ms = $4 "
                 "WHERE id = $1 AND status = 'closed' AND rating IS NULL",
                 {id, score, comment, now_ms}) == 1;
}

bool Reopen(db::Tx& tx, int64_t id, int64_t due_at_ms, int64_t now_ms) {
  // The worker owes a new response by the new due time.
  return tx.Exec(
             "UPDATE casework_applications SET status = 'accepted', closed_at_ms = NULL, outcome = NULL, "
             "rating = NULL, rating_comment = NULL, first_response_at_ms = NULL, due_at_ms = $2, "
             "updated_at_ms = $3 WHERE id = $1 AND status = 'closed'",
             {id, due_at_ms, now_ms}) == 1;
}

int64_t InsertMessage(db::Tx& tx, int64_t application_id, int64_t author_id, bool from_staff, const std::string& body,
                      int64_t now_ms) {
  return tx.Insert("INSERT INTO casework_messages (application_id, author_id, from_staff, body, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5)",
      {application_id, author_id, from_staff, body, now_ms});
}

std::vector<Message> Messages(db::Tx& tx, int64_t application_id) {
  const auto rows = tx.Query(
      "SELECT m.id, m.author_id, u.display_name, m.from_staff, m.body, m.created_at_ms FROM casework_messages m "
      "JOIN users u ON u.id = m.author_id WHERE m.application_id = $1 ORDER BY m.id",
      {application_id});
  std::vector<Message> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({rows[i].Int(0), rows[i].Int(1), rows[i].Text(2), rows[i].Bool(3), rows[i].Text(4), rows[i].Int(5)});
  }
  return out;
}

std::vector<int64_t> DueForPurge(db::Tx& tx, int64_t before_ms, int limit) {
  const auto rows = tx.Query(
      "SELECT id FROM casework_applications WHERE status IN ('closed', 'declined') AND sensitive_box IS NOT NULL "
      "AND closed_at_ms < $1 ORDER BY id LIMIT $2",
      {before_ms, limit});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

void ForgetContact(db::Tx& tx, int64_t id, int64_t now_ms) {
  tx.Exec("UPDATE casework_applications SET contact_phone = '', updated_at_ms = $2 WHERE id = $1", {id, now_ms});
}

bool PurgeSensitive(db::Tx& tx, int64_t id, int64_t now_ms, std::optional<int64_t> finished_before) {
  if (finished_before) {
    return tx.Exec("UPDATE casework_applications SET sensitive_box = NULL, sensitive_purged_at_ms = $2 "
                   "WHERE id = $1 AND sensitive_box IS NOT NULL AND status IN ('closed', 'declined') "
                   "AND closed_at_ms < $3",
                   {id, now_ms, *finished_before}) == 1;
  }
  return tx.Exec("UPDATE casework_applications SET sensitive_box = NULL, sensitive_purged_at_ms = $2 "
                 "WHERE id = $1 AND sensitive_box IS NOT NULL",
                 {id, now_ms}) == 1;
}

std::vector<std::pair<int64_t, std::string>> UnboundBoxes(db::Tx& tx, int64_t after_id, int limit) {
  const auto rows = tx.Query(
      "SELECT id, sensitive_box FROM casework_applications WHERE id > $1 AND sensitive_box IS NOT NULL "
      "AND sensitive_box NOT LIKE 'v2:%' ORDER BY id LIMIT $2",
      {after_id, limit});
  std::vector<std::pair<int64_t, std::string>> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.emplace_back(rows[i].Int(0), rows[i].Text(1));
  }
  return out;
}

bool ReplaceBox(db::Tx& tx, int64_t id, const std::string& old_box, const std::string& new_box) {
  return tx.Exec("UPDATE casework_applications SET sensitive_box = $3 WHERE id = $1 AND sensitive_box = $2",
                 {id, old_box, new_box}) == 1;
}

constexpr const char* kBoxFormatKey = "casework.sensitive_box_format";

bool BoxesAllBound(db::Tx& tx) {
  return !tx.Query("SELECT 1 FROM platform_settings WHERE key = $1 AND value = 'bound'", {kBoxFormatKey}).empty();
}

void MarkBoxesAllBound(db::Tx& tx) {
  tx.Exec("INSERT INTO platform_settings (key, value) VALUES ($1, 'bound') ON CONFLICT (key) DO UPDATE SET value = "
          "'bound'",
          {kBoxFormatKey});
}

std::vector<OrgCounts> StatsByOrg(db::Tx& tx, int64_t now_ms) {
  std::map<int64_t, OrgCounts> by_org;
  const auto orgs = tx.Query(
      "SELECT DISTINCT o.id, o.name FROM orgs o WHERE EXISTS (SELECT 1 FROM casework_services s WHERE s.org_id = o.id) "
      "OR EXISTS (SELECT 1 FROM casework_applications a WHERE a.org_id = o.id) ORDER BY o.id");
  for (size_t i = 0; i < orgs.size(); ++i) {
    OrgCounts c;
    c.org_id = orgs[i].Int(0);
    c.org_name = orgs[i].Text(1);
    by_org.emplace(c.org_id, std::move(c));
  }
  const auto rows = tx.Query(
      "SELECT org_id, status, due_at_ms, received_at_ms, first_response_at_ms, rating FROM casework_applications");
  for (size_t i = 0; i < rows.size(); ++i) {
    OrgCounts& c = by_org[rows[i].Int(0)];
    const std::string status = rows[i].Text(1);
    ++c.applications;
    if (status == "submitted" || status == "accepted") {
      ++c.open;
    }
    if ((status == "submitted" || status == "accepted") && rows[i].IsNull(4) && now_ms > rows[i].Int(2)) {
      ++c.overdue;
    }
    if (!rows[i].IsNull(4)) {
      c.first_response_ms.push_back(rows[i].Int(4) - rows[i].Int(3));
    }
    if (!rows[i].IsNull(5)) {
      ++c.rated;
      c.satisfaction_sum += static_cast<double>(rows[i].Int(5));
    }
  }
  std::vector<OrgCounts> out;
  for (auto& [id, c] : by_org) {
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace carecity::casework::repo
