#include "domains/market/repo.h"

#include <boost/json.hpp>

#include "db/json_text.h"
#include "media/search.h"

namespace carecity::market::repo {
namespace {

namespace json = boost::json;

const media::SearchSpec kProjectSearch{"market_projects", {"title", "target_group", "description"}};

std::string TeamJson(const std::vector<TeamMember>& team) {
  json::array a;
  for (const TeamMember& m : team) {
    a.push_back(json::object{
        {"name", m.name}, {"role", m.role}, {"level", m.level}, {"party_member", m.party_member}});
  }
  return json::serialize(a);
}

std::vector<TeamMember> TeamOf(const std::string& text) {
  std::vector<TeamMember> out;
  const json::value v = json::parse(text);
  for (const json::value& x : v.as_array()) {
    const json::object& o = x.as_object();
    out.push_back({std::string(o.at("name").as_string()), std::string(o.at("role").as_string()),
                   std::string(o.at("level").as_string()), o.at("party_member").as_bool()});
  }
  return out;
}

std::optional<int64_t> IdOf(db::Tx& tx, const char* sql, const std::string& public_id) {
  const auto rows = tx.Query(sql, {public_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return rows.front().Int(0);
}

constexpr const char* kProjectColumns =
    "SELECT p.id, p.public_id, p.org_id, o.name, o.rating, p.title, p.project_type, p.target_group, p.price_kind, "
    "p.price_min_fen, p.price_max_fen, p.duration_days, p.sessions, p.service_hours, p.beneficiaries, "
    "p.description, p.indicators, p.team, p.status, p.review_note, p.reviewed_at_ms, p.created_at_ms, "
    "p.updated_at_ms, p.revision FROM market_projects p JOIN orgs o ON o.id = p.org_id ";

std::vector<Project> ProjectRows(const db::Rows& rows) {
  std::vector<Project> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    Project p;
    p.id = r.Int(0);
    p.public_id = r.Text(1);
    p.org_id = r.Int(2);
    p.org_name = r.Text(3);
    p.org_rating = r.OptText(4);
    ProjectDraft& d = p.draft;
    d.title = r.Text(5);
    d.project_type = r.Text(6);
    d.target_group = r.Text(7);
    d.price_kind = r.Text(8);
    d.price_min_fen = r.Int(9);
    d.price_max_fen = r.Int(10);
    d.duration_days = r.Int(11);
    d.sessions = r.Int(12);
    d.service_hours = r.Int(13);
    d.beneficiaries = r.Int(14);
    d.description = r.Text(15);
    d.indicators = db::StringListOf(r.Text(16));
    d.team = TeamOf(r.Text(17));
    p.status = r.Text(18);
    p.review_note = r.Text(19);
    p.reviewed_at_ms = r.OptInt(20);
    p.created_at_ms = r.Int(21);
    p.updated_at_ms = r.Int(22);
    p.revision = r.Int(23);
    out.push_back(std::move(p));
  }
  return out;
}

constexpr const char* kNeedColumns =
    "SELECT n.id, n.public_id, n.village_id, v.name, v.rural, n.title, n.project_type, n.target_group, "
    "n.beneficiaries, n.story, n.budget_min_fen, n.budget_max_fen, n.period_from_ms, n.period_to_ms, n.source, "
    "n.survey_round_id, s.public_id, n.status, n.created_at_ms, n.updated_at_ms FROM market_needs n "
    "JOIN villages v ON v.id = n.village_id LEFT JOIN market_survey_rounds s ON s.id = n.survey_round_id ";

std::vector<Need> NeedRows(const db::Rows& rows) {
  std::vector<Need> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    Need n;
    n.id = r.Int(0);
    n.public_id = r.Text(1);
    n.village_id = r.Int(2);
    n.village_name = r.Text(3);
    n.village_rural = r.Bool(4);
    NeedDraft& d = n.draft;
    d.village_id = n.village_id;
    d.title = r.Text(5);
    d.project_type = r.Text(6);
    d.target_group = r.Text(7);
    d.beneficiaries = r.Int(8);
    d.story = r.Text(9);
    d.budget_min_fen = r.Int(10);
    d.budget_max_fen = r.Int(11);
    d.period_from_ms = r.Int(12);
    d.period_to_ms = r.Int(13);
    d.source = r.Text(14);
    n.survey_round_id = r.OptInt(15);
    d.survey_round_public_id = r.OptText(16);
    n.status = r.Text(17);
    n.created_at_ms = r.Int(18);
    n.updated_at_ms = r.Int(19);
    out.push_back(std::move(n));
  }
  return out;
}

constexpr const char* kRoundColumns =
    "SELECT r.id, r.public_id, r.village_id, v.name, r.title, r.options, r.opens_at_ms, r.closes_at_ms, "
    "r.created_at_ms FROM market_survey_rounds r JOIN villages v ON v.id = r.village_id ";

std::vector<SurveyRound> RoundRows(const db::Rows& rows) {
  std::vector<SurveyRound> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    out.push_back({r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Text(4), db::StringListOf(r.Text(5)), r.Int(6), r.Int(7),
                   r.Int(8)});
  }
  return out;
}

template <class T>
std::optional<T> First(std::vector<T> v) {
  if (v.empty()) {
    return std::nullopt;
  }
  return std::move(v.front());
}

}  // namespace

// ---- Catalogue

int64_t InsertProject(db::Tx& tx, const std::string& public_id, int64_t org_id, const ProjectDraft& d,
                      int64_t created_by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO market_projects (public_id, org_id, title, project_type, target_group, sessions, service_hours, "
      "beneficiaries, duration_days, price_kind, price_min_fen, price_max_fen, description, indicators, team, "
      "created_by, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17, $17)",
      {public_id, org_id, d.title, d.project_type, d.target_group, d.sessions, d.service_hours, d.beneficiaries,
       d.duration_days, d.price_kind, d.price_min_fen, d.price_max_fen, d.description, db::StringListJson(d.indicators),
       TeamJson(d.team), created_by, now_ms});
}

bool UpdateProject(db::Tx& tx, int64_t id, const ProjectDraft& d, int64_t now_ms) {
  return tx.Exec("UPDATE market_projects SET title = $2, project_type = $3, target_group = $4, sessions = $5, "
                 "service_hours = $6, beneficiaries = $7, duration_days = $8, price_kind = $9, price_min_fen = $10, "
                 "price_max_fen = $11, description = $12, indicators = $13, team = $14, updated_at_ms = $15, "
                 "status = 'pending_approval', reviewed_by = NULL, reviewed_at_ms = NULL, revision = revision + 1 "
                 "WHERE id = $1 AND status <> 'withdrawn'",
                 {id, d.title, d.project_type, d.target_group, d.sessions, d.service_hours, d.beneficiaries,
                  d.duration_days, d.price_kind, d.price_min_fen, d.price_max_fen, d.description,
                  db::StringListJson(d.indicators), TeamJson(d.team), now_ms}) == 1;
}

bool ReviewProject(db::Tx& tx, int64_t id, bool approve, const std::string& note, int64_t by, int64_t now_ms,
                   std::optional<int64_t> revision) {
  // $6 = 0: the caller named no revision; else the row must still be at revision $7.
  return tx.Exec("UPDATE market_projects SET status = $2, review_note = $3, reviewed_by = $4, reviewed_at_ms = $5, "
                 "updated_at_ms = $5 WHERE id = $1 AND status = 'pending_approval' AND ($6 = 0 OR revision = $7)",
                 {id, approve ? "approved" : "rejected", note, by, now_ms, int64_t{revision ? 1 : 0},
                  revision.value_or(0)}) == 1;
}

bool WithdrawProject(db::Tx& tx, int64_t id, int64_t now_ms) {
  return tx.Exec("UPDATE market_projects SET status = 'withdrawn', reviewed_by = NULL, reviewed_at_ms = NULL, "
                 "updated_at_ms = $2 WHERE id = $1 AND status <> 'withdrawn'",
                 {id, now_ms}) == 1;
}

std::optional<Project> FindProject(db::Tx& tx, int64_t id) {
  return First(ProjectRows(tx.Query(std::string(kProjectColumns) + "WHERE p.id = $1", {id})));
}

std::optional<int64_t> ProjectIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdOf(tx, "SELECT id FROM market_projects WHERE public_id = $1", public_id);
}

Result<std::vector<Project>> ListProjects(db::Tx& tx, const ProjectFilter& f) {
  std::string where = "WHERE 1 = 1";
  std::vector<db::Value> params;
  const auto bind = [&params](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.status) {
    where += " AND p.status = " + bind(*f.status);
  }
  if (f.project_type) {
    where += " AND p.project_type = " + bind(*f.project_type);
  }
  if (f.org_id) {
    where += " AND p.org_id = " + bind(*f.org_id);
  }
  if (f.needs_of_village) {
    where += " AND p.project_type IN (SELECT n.project_type FROM market_needs n WHERE n.status = 'open' AND "
             "n.village_id = " +
             bind(*f.needs_of_village) + ")";
  }
  std::string join;
  std::string order = "p.id DESC";
  if (f.q) {
    CC_ASSIGN_OR_RETURN(media::SearchClause s, media::BuildSearch(tx.dialect(), kProjectSearch, "p", *f.q,
                                                                  static_cast<int>(params.size()) + 1));
    join = s.join;
    where += " AND " + s.where;
    order = s.order_by;
    params.insert(params.end(), s.params.begin(), s.params.end());
  }
  std::string sql = kProjectColumns;
  const std::string from = "JOIN orgs o ON o.id = p.org_id ";
  sql.insert(sql.find(from), join.empty() ? "" : join + " ");
  sql += where + " ORDER BY " + order + " LIMIT " + std::to_string(f.limit);
  return ProjectRows(tx.Query(sql, std::span<const db::Value>(params.data(), params.size())));
}

// ---- Needs

int64_t InsertNeed(db::Tx& tx, const std::string& public_id, const NeedDraft& d, std::optional<int64_t> round_id,
                   int64_t created_by, int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO market_needs (public_id, village_id, title, project_type, target_group, beneficiaries, story, "
      "budget_min_fen, budget_max_fen, period_from_ms, period_to_ms, source, survey_round_id, created_by, "
      "created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
      {public_id, d.village_id, d.title, d.project_type, d.target_group, d.beneficiaries, d.story, d.budget_min_fen,
       d.budget_max_fen, d.period_from_ms, d.period_to_ms, d.source, round_id, created_by, now_ms});
}

std::optional<Need> FindNeed(db::Tx& tx, int64_t id) {
  return First(NeedRows(tx.Query(std::string(kNeedColumns) + "WHERE n.id = $1", {id})));
}

std::optional<int64_t> NeedIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdOf(tx, "SELECT id FROM market_needs WHERE public_id = $1", public_id);
}

bool CloseNeed(db::Tx& tx, int64_t id, const std::string& status, int64_t now_ms) {
  return tx.Exec("UPDATE market_needs SET status = $2, updated_at_ms = $3 WHERE id = $1 AND status = 'open'",
                 {id, status, now_ms}) == 1;
}

std::vector<Need> ListNeeds(db::Tx& tx, std::optional<int64_t> village_id, std::optional<std::string> status,
                            int limit) {
  return NeedRows(tx.Query(std::string(kNeedColumns) +
                               "WHERE (CAST($1 AS BIGINT) = 0 OR n.village_id = $1) AND (CAST($2 AS TEXT) = '' OR n.status = $2) "
                               "ORDER BY n.id DESC LIMIT $3",
                           {village_id.value_or(0), status.value_or(""), limit}));
}

std::optional<int64_t> HomeVillageOf(db::Tx& tx, int64_t user_id) {
  const auto rows = tx.Query("SELECT home_village_id FROM users WHERE id = $1", {user_id});
  return rows.empty() ? std::nullopt : rows.front().OptInt(0);
}

// ---- Survey rounds and answers

int64_t InsertRound(db::Tx& tx, const std::string& public_id, const SurveyRound& r, int64_t created_by) {
  return tx.Insert(
      "INSERT INTO market_survey_rounds (public_id, village_id, title, options, opens_at_ms, closes_at_ms, "
      "created_by, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {public_id, r.village_id, r.title, db::StringListJson(r.options), r.opens_at_ms, r.closes_at_ms, created_by,
       r.created_at_ms});
}

std::optional<SurveyRound> FindRound(db::Tx& tx, int64_t id) {
  return First(RoundRows(tx.Query(std::string(kRoundColumns) + "WHERE r.id = $1", {id})));
}

std::optional<int64_t> RoundIdByPublicId(db::Tx& tx, const std::string& public_id) {
  return IdOf(tx, "SELECT id FROM market_survey_rounds WHERE public_id = $1", public_id);
}

std::vector<SurveyRound> ListRounds(db::Tx& tx, int64_t village_id, std::optional<int64_t> open_at_ms) {
  return RoundRows(tx.Query(std::string(kRoundColumns) +
                                "WHERE r.village_id = $1 AND (CAST($2 AS BIGINT) = 0 OR (r.opens_at_ms <= $2 AND r.closes_at_ms > $2)) "
                                "ORDER BY r.id DESC LIMIT 100",
                            {village_id, open_at_ms.value_or(0)}));
}

bool InsertAnswer(db::Tx& tx, int64_t round_id, int64_t user_id, const SurveyAnswer& a, int64_t now_ms) {
  return tx.Exec("INSERT INTO market_survey_answers (round_id, user_id, picks, other, age_band, answered_at_ms) "
                 "SELECT r.id, u.id, CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS BIGINT) FROM market_survey_rounds r JOIN users u ON u.id = $2 "
                 "WHERE r.id = $1 AND u.home_village_id = r.village_id AND r.opens_at_ms <= $6 "
                 "AND r.closes_at_ms > $6 ON CONFLICT (round_id, user_id) DO NOTHING",
                 {round_id, user_id, db::StringListJson(a.picks), a.other, a.age_band, now_ms}) == 1;
}

bool HasAnswered(db::Tx& tx, int64_t round_id, int64_t user_id) {
  return !tx.Query("SELECT 1 FROM market_survey_answers WHERE round_id = $1 AND user_id = $2", {round_id, user_id})
              .empty();
}

std::vector<SurveyAnswer> AnswersOf(db::Tx& tx, int64_t round_id) {
  const auto rows = tx.Query("SELECT picks, other, age_band FROM market_survey_answers WHERE round_id = $1",
                             {round_id});
  std::vector<SurveyAnswer> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back({db::StringListOf(rows[i].Text(0)), rows[i].Text(1), rows[i].Text(2)});
  }
  return out;
}

std::vector<TeamMember> PoolTeamOf(db::Tx& tx, int64_t project_id) {
  const auto rows = tx.Query(
      "SELECT u.display_name, i.role, COALESCE((SELECT MAX(CASE q.level WHEN 'senior' THEN 3 WHEN 'social_worker' "
      "THEN 2 ELSE 1 END) FROM training_qualifications q WHERE q.user_id = i.user_id AND q.status = 'verified'), 0) "
      "FROM talent_invitations i JOIN users u ON u.id = i.user_id WHERE i.project_id = $1 AND i.status = 'accepted' "
      "ORDER BY i.decided_at_ms, i.id",
      {project_id});
  static const char* const kLevelNames[] = {"", "助理社会工作师", "社会工作师", "高级社会工作师"};
  std::vector<TeamMember> team;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int64_t rank = rows[i].Int(2);
    team.push_back(TeamMember{rows[i].Text(0), rows[i].Text(1), kLevelNames[rank >= 0 && rank <= 3 ? rank : 0], true});
  }
  return team;
}

}  // namespace carecity::market::repo
