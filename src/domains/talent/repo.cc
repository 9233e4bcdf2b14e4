#include "domains/talent/repo.h"

namespace carecity::talent::repo {
namespace {

constexpr const char* kQualificationSelect =
    "SELECT q.id, q.public_id, q.user_id, u.display_name, COALESCE(u.phone, ''), q.level, q.number, q.status, "
    "q.reason, q.decided_at_ms, q.created_at_ms, COALESCE(q.scan_sha256, ''), COALESCE(q.scan_content_type, ''), "
    "COALESCE(f.size_bytes, 0) FROM training_qualifications q JOIN users u ON u.id = q.user_id "
    "LEFT JOIN stored_files f ON f.sha256 = q.scan_sha256";

Qualification ReadQualification(const db::Row& r) {
  Qualification q;
  q.id = r.Int(0);
  q.public_id = r.Text(1);
  q.user_id = r.Int(2);
  q.holder_name = r.Text(3);
  q.holder_phone = r.Text(4);
  q.level = r.Text(5);
  q.number = r.Text(6);
  q.status = r.Text(7);
  q.reason = r.Text(8);
  q.decided_at_ms = r.OptInt(9);
  q.created_at_ms = r.Int(10);
  q.scan_sha256 = r.Text(11);
  q.scan_content_type = r.Text(12);
  q.scan_size_bytes = r.Int(13);
  return q;
}

std::vector<Qualification> ReadQualifications(const db::Rows& rows) {
  std::vector<Qualification> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadQualification(rows[i]));
  }
  return out;
}

constexpr const char* kInvitationSelect =
    "SELECT i.id, i.public_id, i.user_id, u.display_name, i.org_id, o.name, p.public_id, p.title, i.role, "
    "i.message, i.status, i.created_at_ms, i.decided_at_ms FROM talent_invitations i "
    "JOIN users u ON u.id = i.user_id JOIN orgs o ON o.id = i.org_id JOIN market_projects p ON p.id = i.project_id";

std::vector<Invitation> ReadInvitations(const db::Rows& rows) {
  std::vector<Invitation> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    Invitation v;
    v.id = r.Int(0);
    v.public_id = r.Text(1);
    v.user_id = r.Int(2);
    v.member_name = r.Text(3);
    v.org_id = r.Int(4);
    v.org_name = r.Text(5);
    v.project_id = r.Text(6);
    v.project_title = r.Text(7);
    v.role = r.Text(8);
    v.message = r.Text(9);
    v.status = r.Text(10);
    v.created_at_ms = r.Int(11);
    v.decided_at_ms = r.OptInt(12);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

// ---- Qualifications ----

bool SubmitQualification(db::Tx& tx, const Qualification& q) {
  return tx.Exec(
             "INSERT INTO training_qualifications (public_id, user_id, level, number, status, created_at_ms) "
             "VALUES ($1, $2, $3, $4, 'pending', $5) ON CONFLICT (user_id, level) DO UPDATE SET "
             "number = excluded.number, status = 'pending', reason = '', decided_by = NULL, decided_at_ms = NULL, "
             "scan_sha256 = NULL, scan_content_type = NULL, "
             "created_at_ms = excluded.created_at_ms WHERE training_qualifications.status = 'rejected'",
             {q.public_id, q.user_id, q.level, q.number, q.created_at_ms}) > 0;
}

std::optional<Qualification> FindQualification(db::Tx& tx, const std::string& public_id) {
  const auto rows = tx.Query(std::string(kQualificationSelect) + " WHERE q.public_id = $1", {public_id});
  return rows.empty() ? std::nullopt : std::optional(ReadQualification(rows.front()));
}

std::optional<Qualification> QualificationOf(db::Tx& tx, int64_t user_id, const std::string& level) {
  const auto rows =
      tx.Query(std::string(kQualificationSelect) + " WHERE q.user_id = $1 AND q.level = $2", {user_id, level});
  return rows.empty() ? std::nullopt : std::optional(ReadQualification(rows.front()));
}

std::vector<Qualification> QualificationsOf(db::Tx& tx, int64_t user_id) {
  return ReadQualifications(
      tx.Query(std::string(kQualificationSelect) + " WHERE q.user_id = $1 ORDER BY q.id", {user_id}));
}

bool SetQualificationScan(db::Tx& tx, int64_t id, int64_t user_id, const std::string& sha256,
                          const std::string& content_type) {
  return tx.Exec(
             "UPDATE training_qualifications SET scan_sha256 = $3, scan_content_type = $4 "
             "WHERE id = $1 AND user_id = $2 AND status = 'pending'",
             {id, user_id, sha256, content_type}) > 0;
}

std::vector<Qualification> QualificationsByStatus(db::Tx& tx, const std::string& status, int limit) {
  return ReadQualifications(tx.Query(
      std::string(kQualificationSelect) + " WHERE q.status = $1 ORDER BY q.created_at_ms, q.id LIMIT $2",
      {status, static_cast<int64_t>(limit)}));
}

bool DecideQualification(db::Tx& tx, int64_t id, const std::string& status, const std::string& reason, int64_t by,
                         int64_t now_ms) {
  return tx.Exec(
             "UPDATE training_qualifications SET status = $2, reason = $3, decided_by = $4, decided_at_ms = $5 "
             "WHERE id = $1 AND status = 'pending'",
             {id, status, reason, by, now_ms}) > 0;
}

// ---- The pool ----

void UpsertEntry(db::Tx& tx, int64_t user_id, const std::string& availability, const std::string& intro,
                 int64_t now_ms) {
  tx.Exec(
      "INSERT INTO talent_pool (user_id, availability, intro, consent_at_ms, withdrawn_at_ms, updated_at_ms) "
      "VALUES ($1, $2, $3, $4, NULL, $4) ON CONFLICT (user_id) DO UPDATE SET availability = excluded.availability, "
      "intro = excluded.intro, consent_at_ms = CASE WHEN talent_pool.withdrawn_at_ms IS NULL "
      "THEN talent_pool.consent_at_ms ELSE excluded.consent_at_ms END, withdrawn_at_ms = NULL, "
      "updated_at_ms = excluded.updated_at_ms",
      {user_id, availability, intro, now_ms});
}

void ReplaceSkills(db::Tx& tx, int64_t user_id, const std::vector<std::string>& skills) {
  tx.Exec("DELETE FROM talent_skills WHERE user_id = $1", {user_id});
  for (const std::string& s : skills) {
    tx.Exec("INSERT INTO talent_skills (user_id, skill) VALUES ($1, $2) ON CONFLICT DO NOTHING", {user_id, s});
  }
}

void ReplaceVillages(db::Tx& tx, int64_t user_id, const std::vector<int64_t>& village_ids) {
  tx.Exec("DELETE FROM talent_villages WHERE user_id = $1", {user_id});
  for (const int64_t v : village_ids) {
    tx.Exec("INSERT INTO talent_villages (user_id, village_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            {user_id, v});
  }
}

bool Withdraw(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  const bool changed = tx.Exec(
                           "UPDATE talent_pool SET withdrawn_at_ms = $2, updated_at_ms = $2 "
                           "WHERE user_id = $1 AND withdrawn_at_ms IS NULL",
                           {user_id, now_ms}) > 0;
  if (changed) {
    // Nothing searchable stays behind.
    tx.Exec("DELETE FROM talent_skills WHERE user_id = $1", {user_id});
    tx.Exec("DELETE FROM talent_villages WHERE user_id = $1", {user_id});
  }
  return changed;
}

std::optional<Entry> FindEntry(db::Tx& tx, int64_t user_id) {
  const auto rows = tx.Query(
      "SELECT p.user_id, u.display_name, COALESCE(u.phone, ''), p.availability, p.intro, p.consent_at_ms, "
      "p.withdrawn_at_ms, p.updated_at_ms FROM talent_pool p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1",
      {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  Entry e;
  e.user_id = r.Int(0);
  e.name = r.Text(1);
  e.phone = r.Text(2);
  e.availability = r.Text(3);
  e.intro = r.Text(4);
  e.consent_at_ms = r.Int(5);
  e.withdrawn_at_ms = r.OptInt(6);
  e.updated_at_ms = r.Int(7);
  const auto skills = tx.Query("SELECT skill FROM talent_skills WHERE user_id = $1 ORDER BY skill", {user_id});
  for (size_t i = 0; i < skills.size(); ++i) {
    e.skills.push_back(skills[i].Text(0));
  }
  const auto villages = tx.Query(
      "SELECT v.id, v.name FROM talent_villages t JOIN villages v ON v.id = t.village_id WHERE t.user_id = $1 "
      "ORDER BY v.name",
      {user_id});
  for (size_t i = 0; i < villages.size(); ++i) {
    e.villages.push_back(Ref{villages[i].Int(0), villages[i].Text(1)});
  }
  return e;
}

std::vector<int64_t> SearchIds(db::Tx& tx, const Search& s, int64_t now_ms, int limit) {
  std::string sql = "SELECT p.user_id FROM talent_pool p WHERE p.withdrawn_at_ms IS NULL";
  std::vector<db::Value> params;
  const auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (s.skill) {
    sql += " AND EXISTS (SELECT 1 FROM talent_skills k WHERE k.user_id = p.user_id AND k.skill = " +
           param(*s.skill) + ")";
  }
  if (s.village_id) {
    sql += " AND EXISTS (SELECT 1 FROM talent_villages tv WHERE tv.user_id = p.user_id AND tv.village_id = " +
           param(*s.village_id) + ")";
  }
  if (!s.qualification_levels.empty()) {
    sql += " AND EXISTS (SELECT 1 FROM training_qualifications q WHERE q.user_id = p.user_id AND "
           "q.status = 'verified' AND q.level IN (";
    for (size_t i = 0; i < s.qualification_levels.size(); ++i) {
      sql += (i ? ", " : "") + param(s.qualification_levels[i]);
    }
    sql += "))";
  }
  if (s.valid_certificate || s.certificate_level) {
    sql += " AND EXISTS (SELECT 1 FROM training_certificates c WHERE c.user_id = p.user_id";
    if (s.valid_certificate) {
      sql += " AND c.status = 'valid' AND c.expires_at_ms > " + param(now_ms);
    }
    if (s.certificate_level) {
      sql += " AND c.level = " + param(*s.certificate_level);
    }
    sql += ")";
  }
  sql += " ORDER BY p.updated_at_ms DESC, p.user_id LIMIT " + param(static_cast<int64_t>(limit));
  const auto rows = tx.Query(sql, params);
  std::vector<int64_t> ids;
  for (size_t i = 0; i < rows.size(); ++i) {
    ids.push_back(rows[i].Int(0));
  }
  return ids;
}

int64_t PlacedCount(db::Tx& tx, int64_t user_id) {
  return tx.Query("SELECT COUNT(*) FROM talent_invitations WHERE user_id = $1 AND status = 'accepted'", {user_id})
      .front()
      .Int(0);
}

// ---- Invitations ----

std::optional<ProjectRef> FindProject(db::Tx& tx, const std::string& public_id) {
  const auto rows = tx.Query("SELECT id, org_id, title FROM market_projects WHERE public_id = $1", {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ProjectRef{rows.front().Int(0), rows.front().Int(1), rows.front().Text(2)};
}

bool InsertInvitationIfInPool(db::Tx& tx, const Invitation& inv, int64_t project_id, int64_t by) {
  return tx.Exec(
             "INSERT INTO talent_invitations (public_id, user_id, org_id, project_id, role, message, status, "
             "created_by, created_at_ms) SELECT CAST($1 AS TEXT), p.user_id, CAST($3 AS BIGINT), "
             "CAST($4 AS BIGINT), CAST($5 AS TEXT), CAST($6 AS TEXT), 'invited', CAST($7 AS BIGINT), "
             "CAST($8 AS BIGINT) FROM talent_pool p WHERE p.user_id = CAST($2 AS BIGINT) AND "
             "p.withdrawn_at_ms IS NULL ON CONFLICT (project_id, user_id) DO NOTHING",
             {inv.public_id, inv.user_id, inv.org_id, project_id, inv.role, inv.message, by, inv.created_at_ms}) > 0;
}

std::optional<Invitation> FindInvitation(db::Tx& tx, const std::string& public_id) {
  auto v = ReadInvitations(tx.Query(std::string(kInvitationSelect) + " WHERE i.public_id = $1", {public_id}));
  return v.empty() ? std::nullopt : std::optional(std::move(v.front()));
}

std::vector<Invitation> InvitationsOf(db::Tx& tx, int64_t user_id) {
  return ReadInvitations(tx.Query(
      std::string(kInvitationSelect) + " WHERE i.user_id = $1 ORDER BY i.created_at_ms DESC, i.id DESC LIMIT 100",
      {user_id}));
}

std::vector<Invitation> InvitationsOfOrg(db::Tx& tx, int64_t org_id) {
  return ReadInvitations(tx.Query(
      std::string(kInvitationSelect) + " WHERE i.org_id = $1 ORDER BY i.created_at_ms DESC, i.id DESC LIMIT 200",
      {org_id}));
}

std::vector<Invitation> TeamOf(db::Tx& tx, int64_t project_id) {
  return ReadInvitations(tx.Query(
      std::string(kInvitationSelect) + " WHERE i.project_id = $1 AND i.status = 'accepted' ORDER BY i.decided_at_ms",
      {project_id}));
}

bool DecideInvitation(db::Tx& tx, int64_t id, const std::string& status, int64_t now_ms) {
  return tx.Exec("UPDATE talent_invitations SET status = $2, decided_at_ms = $3 WHERE id = $1 AND status = 'invited'",
                 {id, status, now_ms}) > 0;
}

}  // namespace carecity::talent::repo
