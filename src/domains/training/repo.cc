#include "domains/training/repo.h"

#include "db/json_text.h"

namespace carecity::training::repo {
namespace {

Member ReadMember(const db::Row& r) {
  return Member{r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Text(4), r.Bool(5)};
}

constexpr const char* kMemberSelect =
    "SELECT m.user_id, u.display_name, COALESCE(u.phone, ''), m.village_id, v.name, m.secretary "
    "FROM training_members m JOIN users u ON u.id = m.user_id JOIN villages v ON v.id = m.village_id";

Programme ReadProgramme(const db::Row& r) {
  Programme p;
  p.id = r.Int(0);
  p.title = r.Text(1);
  p.description = r.Text(2);
  p.modules = db::StringListOf(r.Text(3));
  p.rules = {r.Int(4), r.Int(5), r.Int(6)};
  p.certificate_level = r.Text(7);
  p.valid_years = r.Int(8);
  p.created_at_ms = r.Int(9);
  return p;
}

constexpr const char* kProgrammeSelect =
    "SELECT id, title, description, modules_json, min_attendance_pct, practice_hours, pass_mark, "
    "certificate_level, valid_years, created_at_ms FROM training_programmes";

constexpr const char* kPracticeSelect =
    "SELECT p.id, p.public_id, p.user_id, u.display_name, p.kind, p.date_ms, p.minutes, p.place, p.method, p.note, "
    "p.room_id, p.status, p.reason, p.decided_at_ms, p.created_at_ms FROM training_practice p "
    "JOIN users u ON u.id = p.user_id";

Practice ReadPractice(const db::Row& r) {
  Practice p;
  p.id = r.Int(0);
  p.public_id = r.Text(1);
  p.user_id = r.Int(2);
  p.user_name = r.Text(3);
  p.kind = r.Text(4);
  p.date_ms = r.Int(5);
  p.minutes = r.Int(6);
  p.place = r.Text(7);
  p.method = r.Text(8);
  p.note = r.Text(9);
  p.room_id = r.OptInt(10);
  p.status = r.Text(11);
  p.reason = r.Text(12);
  p.decided_at_ms = r.OptInt(13);
  p.created_at_ms = r.Int(14);
  return p;
}

std::vector<Practice> ReadPractices(const db::Rows& rows) {
  std::vector<Practice> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadPractice(rows[i]));
  }
  return out;
}

constexpr const char* kCertificateSelect =
    "SELECT id, cert_no, check_code, user_id, class_id, programme_id, holder_name, programme_title, level, hours, "
    "issuer, issued_at_ms, expires_at_ms, renews_id, status, revoked_reason, revoked_at_ms "
    "FROM training_certificates";

Certificate ReadCertificate(const db::Row& r) {
  Certificate c;
  c.id = r.Int(0);
  c.cert_no = r.Text(1);
  c.check_code = r.Text(2);
  c.user_id = r.Int(3);
  c.class_id = r.Int(4);
  c.programme_id = r.Int(5);
  c.holder_name = r.Text(6);
  c.programme_title = r.Text(7);
  c.level = r.Text(8);
  c.hours = r.Int(9);
  c.issuer = r.Text(10);
  c.issued_at_ms = r.Int(11);
  c.expires_at_ms = r.Int(12);
  c.renews_id = r.OptInt(13);
  c.status = r.Text(14);
  c.revoked_reason = r.OptText(15);
  c.revoked_at_ms = r.OptInt(16);
  return c;
}

std::vector<Certificate> ReadCertificates(const db::Rows& rows) {
  std::vector<Certificate> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadCertificate(rows[i]));
  }
  return out;
}

}  // namespace

// ---- The party-member register ----

void UpsertMember(db::Tx& tx, int64_t user_id, int64_t village_id, bool secretary, int64_t by, int64_t now_ms) {
  tx.Exec(
      "INSERT INTO training_members (user_id, village_id, secretary, added_by, added_at_ms) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET village_id = excluded.village_id, "
      "secretary = excluded.secretary, added_by = excluded.added_by, added_at_ms = excluded.added_at_ms",
      {user_id, village_id, secretary, by, now_ms});
}

std::optional<Member> FindMember(db::Tx& tx, int64_t user_id) {
  const auto rows = tx.Query(std::string(kMemberSelect) + " WHERE m.user_id = $1", {user_id});
  return rows.empty() ? std::nullopt : std::optional(ReadMember(rows.front()));
}

std::vector<Member> ListMembers(db::Tx& tx, std::optional<int64_t> village_id, int limit) {
  const auto rows = tx.Query(std::string(kMemberSelect) +
                                 " WHERE (CAST($1 AS BIGINT) IS NULL OR m.village_id = $1) "
                                 "ORDER BY m.village_id, m.secretary DESC, m.user_id LIMIT $2",
                             {village_id, limit});
  std::vector<Member> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadMember(rows[i]));
  }
  return out;
}

// ---- Programmes ----

int64_t InsertProgramme(db::Tx& tx, const Programme& p, int64_t by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO training_programmes (title, description, modules_json, min_attendance_pct, practice_hours, "
      "pass_mark, certificate_level, valid_years, created_by, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {p.title, p.description, db::StringListJson(p.modules), p.rules.min_attendance_pct, p.rules.practice_hours,
       p.rules.pass_mark, p.certificate_level, p.valid_years, by, now_ms});
}

std::optional<Programme> FindProgramme(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(std::string(kProgrammeSelect) + " WHERE id = $1", {id});
  return rows.empty() ? std::nullopt : std::optional(ReadProgramme(rows.front()));
}

std::vector<Programme> ListProgrammes(db::Tx& tx) {
  const auto rows = tx.Query(std::string(kProgrammeSelect) + " ORDER BY id DESC LIMIT 200");
  std::vector<Programme> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadProgramme(rows[i]));
  }
  return out;
}

// ---- Classes ----

int64_t InsertClass(db::Tx& tx, const Class& c, int64_t by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO training_classes (programme_id, title, org_id, venue_id, capacity, secretaries_only, refresher, "
      "starts_at_ms, ends_at_ms, quiz_json, assignment, created_by, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {c.programme_id, c.title, c.org_id, c.venue_id, c.capacity, c.secretaries_only, c.refresher, c.starts_at_ms,
       c.ends_at_ms, c.quiz.empty() ? db::Value() : db::Value(QuizJson(c.quiz)),
       c.assignment.empty() ? db::Value() : db::Value(c.assignment), by, now_ms});
}

void InsertClassVillage(db::Tx& tx, int64_t class_id, int64_t village_id) {
  tx.Exec("INSERT INTO training_class_villages (class_id, village_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          {class_id, village_id});
}

void InsertClassTrainer(db::Tx& tx, int64_t class_id, int64_t user_id) {
  tx.Exec("INSERT INTO training_class_trainers (class_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
          {class_id, user_id});
}

void InsertSession(db::Tx& tx, int64_t class_id, int64_t event_id, int64_t seq, const std::string& module) {
  tx.Exec("INSERT INTO training_sessions (event_id, class_id, seq, module) VALUES ($1, $2, $3, $4)",
          {event_id, class_id, seq, module});
}

std::optional<Class> FindClass(db::Tx& tx, int64_t id) {
  const auto rows = tx.Query(
      "SELECT c.id, c.programme_id, p.title, c.title, c.org_id, o.name, c.venue_id, v.name, c.capacity, c.enrolled, "
      "c.secretaries_only, c.refresher, c.starts_at_ms, c.ends_at_ms, c.quiz_json, c.assignment, c.created_at_ms "
      "FROM training_classes c JOIN training_programmes p ON p.id = c.programme_id JOIN orgs o ON o.id = c.org_id "
      "JOIN venues v ON v.id = c.venue_id WHERE c.id = $1",
      {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  Class c;
  c.id = r.Int(0);
  c.programme_id = r.Int(1);
  c.programme_title = r.Text(2);
  c.title = r.Text(3);
  c.org_id = r.Int(4);
  c.org_name = r.Text(5);
  c.venue_id = r.Int(6);
  c.venue_name = r.Text(7);
  c.capacity = r.Int(8);
  c.enrolled = r.Int(9);
  c.secretaries_only = r.Bool(10);
  c.refresher = r.Bool(11);
  c.starts_at_ms = r.Int(12);
  c.ends_at_ms = r.Int(13);
  c.quiz = ParseQuiz(r.Text(14));
  c.assignment = r.Text(15);
  c.created_at_ms = r.Int(16);
  const auto villages = tx.Query(
      "SELECT v.id, v.name FROM training_class_villages cv JOIN villages v ON v.id = cv.village_id "
      "WHERE cv.class_id = $1 ORDER BY v.id",
      {id});
  for (size_t i = 0; i < villages.size(); ++i) {
    c.villages.push_back({villages[i].Int(0), villages[i].Text(1)});
  }
  const auto trainers = tx.Query(
      "SELECT u.id, u.display_name FROM training_class_trainers t JOIN users u ON u.id = t.user_id "
      "WHERE t.class_id = $1 ORDER BY u.id",
      {id});
  for (size_t i = 0; i < trainers.size(); ++i) {
    c.trainers.push_back({trainers[i].Int(0), trainers[i].Text(1)});
  }
  const auto sessions = tx.Query(
      "SELECT s.event_id, s.seq, s.module, e.starts_at_ms, e.ends_at_ms, e.status FROM training_sessions s "
      "JOIN events e ON e.id = s.event_id WHERE s.class_id = $1 ORDER BY s.seq",
      {id});
  for (size_t i = 0; i < sessions.size(); ++i) {
    const db::Row s = sessions[i];
    c.sessions.push_back({s.Int(0), s.Int(1), s.Text(2), s.Int(3), s.Int(4), s.Text(5)});
  }
  return c;
}

std::vector<int64_t> ListClassIds(db::Tx& tx, const ClassFilter& f, int limit) {
  const auto rows = tx.Query(
      "SELECT c.id FROM training_classes c WHERE (CAST($1 AS BIGINT) IS NULL OR c.programme_id = $1) "
      "AND (CAST($2 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM training_class_trainers t "
      "  WHERE t.class_id = c.id AND t.user_id = $2)) "
      "AND (CAST($3 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM training_enrolments e "
      "  WHERE e.class_id = c.id AND e.user_id = $3 AND e.status = 'enrolled')) "
      "AND (CAST($4 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM training_class_villages v "
      "  WHERE v.class_id = c.id AND v.village_id = $4)) "
      "ORDER BY c.starts_at_ms DESC, c.id DESC LIMIT $5",
      {f.programme_id, f.trainer_id, f.trainee_id, f.village_id, limit});
  std::vector<int64_t> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(rows[i].Int(0));
  }
  return out;
}

std::optional<int64_t> LatestClassOrg(db::Tx& tx) {
  const auto rows = tx.Query("SELECT org_id FROM training_classes ORDER BY id DESC LIMIT 1");
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

bool IsTrainerOf(db::Tx& tx, int64_t class_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM training_class_trainers WHERE class_id = $1 AND user_id = $2",
                   {class_id, user_id})
              .empty();
}

std::optional<int64_t> ClassOfSession(db::Tx& tx, int64_t event_id) {
  const auto rows = tx.Query("SELECT class_id FROM training_sessions WHERE event_id = $1", {event_id});
  return rows.empty() ? std::nullopt : std::optional(rows.front().Int(0));
}

// ---- Enrolments ----

bool EnrolIfEligible(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t by, int64_t now_ms) {
  return tx.Exec(
             "INSERT INTO training_enrolments (class_id, user_id, status, added_by, created_at_ms) "
             "SELECT c.id, m.user_id, 'enrolled', CAST($3 AS BIGINT), CAST($4 AS BIGINT) FROM training_classes c "
             "JOIN training_members m ON m.user_id = $2 "
             "JOIN training_class_villages cv ON cv.class_id = c.id AND cv.village_id = m.village_id "
             "WHERE c.id = $1 AND (c.secretaries_only = 0 OR m.secretary = 1) "
             "ON CONFLICT (class_id, user_id) DO UPDATE SET status = 'enrolled', added_by = excluded.added_by, "
             "created_at_ms = excluded.created_at_ms WHERE training_enrolments.status = 'withdrawn'",
             {class_id, user_id, by, now_ms}) > 0;
}

bool TakeSeat(db::Tx& tx, int64_t class_id) {
  return tx.Exec("UPDATE training_classes SET enrolled = enrolled + 1 WHERE id = $1 AND enrolled < capacity",
                 {class_id}) > 0;
}

void FreeSeat(db::Tx& tx, int64_t class_id) {
  tx.Exec("UPDATE training_classes SET enrolled = enrolled - 1 WHERE id = $1 AND enrolled > 0", {class_id});
}

std::optional<std::string> EnrolmentStatus(db::Tx& tx, int64_t class_id, int64_t user_id) {
  const auto rows =
      tx.Query("SELECT status FROM training_enrolments WHERE class_id = $1 AND user_id = $2", {class_id, user_id});
  return rows.empty() ? std::nullopt : std::optional(rows.front().Text(0));
}

bool Withdraw(db::Tx& tx, int64_t class_id, int64_t user_id) {
  return tx.Exec(
             "UPDATE training_enrolments SET status = 'withdrawn' WHERE class_id = $1 AND user_id = $2 "
             "AND status = 'enrolled'",
             {class_id, user_id}) > 0;
}

std::vector<Trainee> ListTrainees(db::Tx& tx, int64_t class_id) {
  const auto rows = tx.Query(
      "SELECT e.user_id, u.display_name, COALESCE(u.phone, ''), COALESCE(m.village_id, 0), COALESCE(v.name, ''), "
      "e.created_at_ms FROM training_enrolments e JOIN users u ON u.id = e.user_id "
      "LEFT JOIN training_members m ON m.user_id = e.user_id LEFT JOIN villages v ON v.id = m.village_id "
      "WHERE e.class_id = $1 AND e.status = 'enrolled' ORDER BY e.created_at_ms, e.user_id",
      {class_id});
  std::vector<Trainee> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Text(4), r.Int(5)});
  }
  return out;
}

// ---- Materials ----

void InsertMaterial(db::Tx& tx, const Material& m, int64_t by) {
  tx.Exec(
      "INSERT INTO training_materials (public_id, event_id, title, kind, body, file_name, content_type, size_bytes, "
      "sha256, created_by, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {m.public_id, m.event_id, m.title, m.kind, m.body,
       m.file_name.empty() ? db::Value() : db::Value(m.file_name),
       m.content_type.empty() ? db::Value() : db::Value(m.content_type), m.size_bytes,
       m.sha256.empty() ? db::Value() : db::Value(m.sha256), by, m.created_at_ms});
}

namespace {

constexpr std::string_view kMaterialSelect =
    "SELECT m.public_id, m.event_id, m.title, m.kind, m.body, m.file_name, m.content_type, m.size_bytes, m.sha256, "
    "m.created_at_ms, s.class_id FROM training_materials m JOIN training_sessions s ON s.event_id = m.event_id ";

Material ReadMaterial(const db::Row& r) {
  return {r.Text(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Int(7), r.Text(8), r.Int(9)};
}

}  // namespace

std::vector<Material> ListMaterials(db::Tx& tx, int64_t class_id) {
  const auto rows = tx.Query(std::string(kMaterialSelect) + "WHERE s.class_id = $1 ORDER BY s.seq, m.id", {class_id});
  std::vector<Material> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(ReadMaterial(rows[i]));
  }
  return out;
}

std::optional<std::pair<int64_t, Material>> FindMaterial(db::Tx& tx, const std::string& public_id) {
  const auto rows = tx.Query(std::string(kMaterialSelect) + "WHERE m.public_id = $1", {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::pair(rows.front().Int(10), ReadMaterial(rows.front()));
}

// ---- Assessment ----

void InsertQuizAttempt(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t score, const std::string& answers_json,
                       int64_t now_ms) {
  tx.Exec(
      "INSERT INTO training_quiz_attempts (class_id, user_id, score, answers_json, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5)",
      {class_id, user_id, score, answers_json, now_ms});
}

std::optional<int64_t> BestQuizScore(db::Tx& tx, int64_t class_id, int64_t user_id) {
  const auto rows = tx.Query("SELECT MAX(score) FROM training_quiz_attempts WHERE class_id = $1 AND user_id = $2",
                             {class_id, user_id});
  return rows.front().OptInt(0);
}

bool SubmitAssignment(db::Tx& tx, int64_t class_id, int64_t user_id, const std::string& body, int64_t now_ms) {
  return tx.Exec(
             "INSERT INTO training_assignments (class_id, user_id, body, submitted_at_ms) VALUES ($1, $2, $3, $4) "
             "ON CONFLICT (class_id, user_id) DO UPDATE SET body = excluded.body, "
             "submitted_at_ms = excluded.submitted_at_ms WHERE training_assignments.grade IS NULL",
             {class_id, user_id, body, now_ms}) > 0;
}

// The assignment with whether it passed (graded at the programme's pass
// mark or above) and the public id of the need it became.
constexpr std::string_view kAssignmentSelect =
    "SELECT a.user_id, a.body, a.submitted_at_ms, a.grade, a.feedback, "
    "CASE WHEN a.grade IS NOT NULL AND a.grade >= p.pass_mark THEN 1 ELSE 0 END, n.public_id "
    "FROM training_assignments a JOIN training_classes c ON c.id = a.class_id "
    "JOIN training_programmes p ON p.id = c.programme_id LEFT JOIN market_needs n ON n.id = a.need_id ";

std::optional<Assignment> FindAssignment(db::Tx& tx, int64_t class_id, int64_t user_id) {
  const auto rows =
      tx.Query(std::string(kAssignmentSelect) + "WHERE a.class_id = $1 AND a.user_id = $2", {class_id, user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  const db::Row r = rows.front();
  return Assignment{r.Int(0), r.Text(1), r.Int(2), r.OptInt(3), r.Text(4), r.Bool(5), r.OptText(6)};
}

bool ClaimAssignmentForNeed(db::Tx& tx, int64_t class_id, int64_t user_id) {
  // need_id = need_id writes nothing new but takes the row's lock; the
  // WHERE is evaluated again after a concurrent claim commits.
  return tx.Exec(
             "UPDATE training_assignments SET need_id = need_id WHERE class_id = $1 AND user_id = $2 "
             "AND need_id IS NULL AND grade IS NOT NULL AND grade >= (SELECT p.pass_mark FROM training_classes c "
             "JOIN training_programmes p ON p.id = c.programme_id WHERE c.id = $1)",
             {class_id, user_id}) > 0;
}

void SetAssignmentNeed(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t need_id) {
  tx.Exec("UPDATE training_assignments SET need_id = $3 WHERE class_id = $1 AND user_id = $2 AND need_id IS NULL",
          {class_id, user_id, need_id});
}

bool GradeAssignment(db::Tx& tx, int64_t class_id, int64_t user_id, int64_t grade, const std::string& feedback,
                     int64_t by, int64_t now_ms) {
  return tx.Exec(
             "UPDATE training_assignments SET grade = $3, feedback = $4, graded_by = $5, graded_at_ms = $6 "
             "WHERE class_id = $1 AND user_id = $2",
             {class_id, user_id, grade, feedback, by, now_ms}) > 0;
}

// ---- Practice ----

int64_t InsertPractice(db::Tx& tx, const Practice& p) {
  return tx.Insert(
      "INSERT INTO training_practice (public_id, user_id, kind, date_ms, minutes, place, method, note, room_id, "
      "status, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {p.public_id, p.user_id, p.kind, p.date_ms, p.minutes, p.place, p.method, p.note, p.room_id, p.status,
       p.created_at_ms});
}

std::optional<Practice> FindPracticeByPublicId(db::Tx& tx, const std::string& public_id) {
  const auto rows = tx.Query(std::string(kPracticeSelect) + " WHERE p.public_id = $1", {public_id});
  return rows.empty() ? std::nullopt : std::optional(ReadPractice(rows.front()));
}

bool DecidePractice(db::Tx& tx, int64_t id, const std::string& status, const std::string& reason, int64_t by,
                    int64_t now_ms) {
  return tx.Exec(
             "UPDATE training_practice SET status = $2, reason = $3, decided_by = $4, decided_at_ms = $5 "
             "WHERE id = $1 AND status = 'pending'",
             {id, status, reason, by, now_ms}) > 0;
}

std::vector<Practice> ListPracticeOf(db::Tx& tx, int64_t user_id, int limit) {
  return ReadPractices(tx.Query(
      std::string(kPracticeSelect) + " WHERE p.user_id = $1 ORDER BY p.date_ms DESC, p.id DESC LIMIT $2",
      {user_id, limit}));
}

std::vector<Practice> ListPendingPractice(db::Tx& tx, const std::optional<std::vector<int64_t>>& village_ids,
                                          int limit) {
  std::string sql = std::string(kPracticeSelect) + " WHERE p.status = 'pending'";
  std::vector<db::Value> params{limit};
  if (village_ids) {
    if (village_ids->empty()) {
      return {};
    }
    sql += " AND p.kind = 'reception' AND p.room_id IN (SELECT id FROM reception_rooms WHERE village_id IN (";
    for (size_t i = 0; i < village_ids->size(); ++i) {
      sql += (i ? ", $" : "$") + std::to_string(i + 2);
      params.emplace_back((*village_ids)[i]);
    }
    sql += "))";
  }
  return ReadPractices(tx.Query(sql + " ORDER BY p.created_at_ms, p.id LIMIT $1", params));
}

int64_t PracticeMinutesBetween(db::Tx& tx, int64_t user_id, int64_t from_ms, int64_t to_ms,
                               const std::string& status) {
  return tx.Query(
             "SELECT COALESCE(SUM(minutes), 0) FROM training_practice WHERE user_id = $1 AND date_ms >= $2 "
             "AND date_ms <= $3 AND status = $4",
             {user_id, from_ms, to_ms, status})
      .front()
      .Int(0);
}

std::optional<int64_t> RoomVillage(db::Tx& tx, int64_t room_id) {
  const auto rows = tx.Query("SELECT village_id FROM reception_rooms WHERE id = $1", {room_id});
  return rows.empty() ? std::nullopt : std::optional(rows.front().Int(0));
}

// ---- Certificates ----

bool InsertCertificate(db::Tx& tx, Certificate& c, int64_t by) {
  const auto rows = tx.Query(
      "INSERT INTO training_certificates (cert_no, check_code, user_id, class_id, programme_id, holder_name, "
      "programme_title, level, hours, issuer, issued_by, issued_at_ms, expires_at_ms, renews_id) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
      "ON CONFLICT (class_id, user_id) DO NOTHING RETURNING id",
      {c.cert_no, c.check_code, c.user_id, c.class_id, c.programme_id, c.holder_name, c.programme_title, c.level,
       c.hours, c.issuer, by, c.issued_at_ms, c.expires_at_ms, c.renews_id});
  if (rows.empty()) {
    return false;
  }
  c.id = rows.front().Int(0);
  c.status = "valid";
  return true;
}

std::optional<Certificate> FindCertificate(db::Tx& tx, const std::string& cert_no) {
  const auto rows = tx.Query(std::string(kCertificateSelect) + " WHERE cert_no = $1", {cert_no});
  return rows.empty() ? std::nullopt : std::optional(ReadCertificate(rows.front()));
}

std::optional<Certificate> CertificateOfClass(db::Tx& tx, int64_t class_id, int64_t user_id) {
  const auto rows =
      tx.Query(std::string(kCertificateSelect) + " WHERE class_id = $1 AND user_id = $2", {class_id, user_id});
  return rows.empty() ? std::nullopt : std::optional(ReadCertificate(rows.front()));
}

std::optional<Certificate> LatestOfProgramme(db::Tx& tx, int64_t user_id, int64_t programme_id) {
  const auto rows = tx.Query(std::string(kCertificateSelect) +
                                 " WHERE user_id = $1 AND programme_id = $2 AND status = 'valid' "
                                 "ORDER BY issued_at_ms DESC, id DESC LIMIT 1",
                             {user_id, programme_id});
  return rows.empty() ? std::nullopt : std::optional(ReadCertificate(rows.front()));
}

std::vector<Certificate> CertificatesOf(db::Tx& tx, int64_t user_id) {
  return ReadCertificates(tx.Query(
      std::string(kCertificateSelect) + " WHERE user_id = $1 ORDER BY issued_at_ms DESC, id DESC", {user_id}));
}

std::vector<Certificate> CertificatesOfClass(db::Tx& tx, int64_t class_id) {
  return ReadCertificates(
      tx.Query(std::string(kCertificateSelect) + " WHERE class_id = $1 ORDER BY id", {class_id}));
}

bool RevokeCertificate(db::Tx& tx, int64_t id, const std::string& reason, int64_t by, int64_t now_ms) {
  return tx.Exec(
             "UPDATE training_certificates SET status = 'revoked', revoked_reason = $2, revoked_by = $3, "
             "revoked_at_ms = $4 WHERE id = $1 AND status = 'valid'",
             {id, reason, by, now_ms}) > 0;
}

}  // namespace carecity::training::repo
