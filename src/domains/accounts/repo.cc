#include "domains/accounts/repo.h"

#include "core/text.h"

namespace carecity::accounts::repo {
namespace {

const char* LoginColumn(const Login& login) { return login.kind == Login::Kind::kPhone ? "phone" : "email"; }

User UserFromRow(const db::Row& r) {
  User u;
  u.id = r.Int(0);
  u.display_name = r.Text(1);
  u.phone = r.OptText(2);
  u.email = r.OptText(3);
  u.status = r.Text(4);
  u.created_at_ms = r.Int(5);
  return u;
}

constexpr const char* kUserColumns = "id, display_name, phone, email, status, created_at_ms";

Session SessionFromRow(const db::Row& r) {
  return Session{r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Text(5), r.Text(6)};
}

constexpr const char* kSessionColumns =
    "s.id, s.user_id, s.created_at_ms, s.expires_at_ms, s.last_seen_at_ms, s.user_agent, s.ip";

Org OrgFromRow(const db::Row& r) { return Org{r.Int(0), r.Text(1), r.Text(2), r.OptText(3), r.Int(4)}; }

Village VillageFromRow(const db::Row& r) {
  return Village{r.Int(0), r.Text(1), r.Text(2), r.Bool(3), r.Bool(4), r.Int(5)};
}

}  // namespace

std::optional<User> FindUser(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  User u = UserFromRow(rows.front());
  u.roles = ListRoles(tx, user_id);
  return u;
}

std::optional<Credentials> FindCredentials(db::Tx& tx, const Login& login) {
  auto rows = tx.Query(std::string("SELECT id, password_hash, status FROM users WHERE ") + LoginColumn(login) + " = $1",
                       {login.value});
  if (rows.empty()) {
    return std::nullopt;
  }
  return Credentials{rows.front().Int(0), rows.front().Text(1), rows.front().Text(2)};
}

std::optional<Credentials> FindCredentialsById(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query("SELECT id, password_hash, status FROM users WHERE id = $1", {user_id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return Credentials{rows.front().Int(0), rows.front().Text(1), rows.front().Text(2)};
}

bool LoginTaken(db::Tx& tx, const Login& login) {
  return !tx.Query(std::string("SELECT 1 FROM users WHERE ") + LoginColumn(login) + " = $1", {login.value}).empty();
}

int64_t InsertUser(db::Tx& tx, const std::string& display_name, const Login& login, const std::string& password_hash,
                   int64_t now_ms) {
  return tx.Insert(
      "INSERT INTO users (display_name, phone, email, password_hash, status, created_at_ms, updated_at_ms) "
      "VALUES ($1, $2, $3, $4, 'active', $5, $5)",
      {display_name, login.kind == Login::Kind::kPhone ? db::Value(login.value) : db::Value(nullptr),
       login.kind == Login::Kind::kEmail ? db::Value(login.value) : db::Value(nullptr), password_hash, now_ms});
}

void UpdatePassword(db::Tx& tx, int64_t user_id, const std::string& password_hash, int64_t now_ms) {
  tx.Exec("UPDATE users SET password_hash = $2, updated_at_ms = $3 WHERE id = $1", {user_id, password_hash, now_ms});
}

void UpdateDisplayName(db::Tx& tx, int64_t user_id, const std::string& display_name, int64_t now_ms) {
  tx.Exec("UPDATE users SET display_name = $2, updated_at_ms = $3 WHERE id = $1", {user_id, display_name, now_ms});
}

void Anonymise(db::Tx& tx, int64_t user_id, const std::string& placeholder_name, int64_t now_ms) {
  tx.Exec(
      "UPDATE users SET display_name = $2, phone = NULL, email = NULL, password_hash = '', status = 'deleted', "
      "updated_at_ms = $3, deleted_at_ms = $3 WHERE id = $1",
      {user_id, placeholder_name, now_ms});
  tx.Exec("UPDATE user_consents SET ip = '' WHERE user_id = $1", {user_id});
  tx.Exec("UPDATE auth_sessions SET user_agent = '', ip = '' WHERE user_id = $1", {user_id});
}

void InsertConsent(db::Tx& tx, int64_t user_id, const std::string& version, int64_t now_ms, const std::string& ip) {
  tx.Exec("INSERT INTO user_consents (user_id, policy_version, accepted_at_ms, ip) VALUES ($1, $2, $3, $4)",
          {user_id, version, now_ms, ip});
}

std::vector<Consent> ListConsents(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query(
      "SELECT policy_version, accepted_at_ms, ip FROM user_consents WHERE user_id = $1 ORDER BY id", {user_id});
  std::vector<Consent> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(Consent{rows[i].Text(0), rows[i].Int(1), rows[i].Text(2)});
  }
  return out;
}

std::vector<RoleGrant> ListRoles(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query(
      "SELECT r.role, r.org_id, o.name, r.village_id, v.name FROM user_roles r "
      "LEFT JOIN orgs o ON o.id = r.org_id LEFT JOIN villages v ON v.id = r.village_id "
      "WHERE r.user_id = $1 ORDER BY r.id",
      {user_id});
  std::vector<RoleGrant> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::Row r = rows[i];
    auto role = ParseRole(r.Text(0));
    if (!role) {
      continue;  // a CHECK constraint makes this unreachable
    }
    out.push_back(RoleGrant{*role, r.OptInt(1), r.OptText(2), r.OptInt(3), r.OptText(4)});
  }
  return out;
}

bool HasRole(db::Tx& tx, int64_t user_id, const RoleGrant& g) {
  return !tx.Query("SELECT 1 FROM user_roles WHERE user_id = $1 AND role = $2 AND scope_key = $3",
                   {user_id, RoleName(g.role), ScopeKey(g)})
              .empty();
}

bool InsertRole(db::Tx& tx, int64_t user_id, const RoleGrant& g, std::optional<int64_t> granted_by, int64_t now_ms) {
  return tx.Exec(
             "INSERT INTO user_roles (user_id, role, org_id, village_id, scope_key, granted_by, granted_at_ms) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, role, scope_key) DO NOTHING",
             {user_id, RoleName(g.role), g.org_id, g.village_id, ScopeKey(g), granted_by, now_ms}) == 1;
}

int64_t DeleteRole(db::Tx& tx, int64_t user_id, const RoleGrant& g) {
  return tx.Exec("DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND scope_key = $3",
                 {user_id, RoleName(g.role), ScopeKey(g)});
}

void DeleteAllRoles(db::Tx& tx, int64_t user_id) { tx.Exec("DELETE FROM user_roles WHERE user_id = $1", {user_id}); }

int64_t InsertSession(db::Tx& tx, int64_t user_id, const std::string& token_hash, int64_t now_ms,
                      int64_t expires_at_ms, const ClientInfo& client) {
  return tx.Insert(
      "INSERT INTO auth_sessions (user_id, token_hash, created_at_ms, expires_at_ms, last_seen_at_ms, user_agent, ip, "
      "authenticated_at_ms) VALUES ($1, $2, $3, $4, $3, $5, $6, $3)",
      {user_id, token_hash, now_ms, expires_at_ms, client.user_agent, client.ip});
}

std::optional<SessionLookup> FindLiveSession(db::Tx& tx, const std::string& token_hash, int64_t now_ms) {
  auto rows = tx.Query(std::string("SELECT ") + kSessionColumns +
                           ", u.display_name, u.status, s.authenticated_at_ms "
                           "FROM auth_sessions s JOIN users u ON u.id = s.user_id "
                           "WHERE s.token_hash = $1 AND s.revoked_at_ms IS NULL AND s.expires_at_ms > $2",
                       {token_hash, now_ms});
  if (rows.empty()) {
    return std::nullopt;
  }
  return SessionLookup{SessionFromRow(rows.front()), rows.front().Text(7), rows.front().Text(8), rows.front().Int(9)};
}

bool MarkSessionAuthenticated(db::Tx& tx, int64_t session_id, int64_t now_ms) {
  return tx.Exec("UPDATE auth_sessions SET authenticated_at_ms = $2 WHERE id = $1 AND revoked_at_ms IS NULL",
                 {session_id, now_ms}) == 1;
}

void TouchSession(db::Tx& tx, int64_t session_id, int64_t now_ms) {
  tx.Exec("UPDATE auth_sessions SET last_seen_at_ms = $2 WHERE id = $1", {session_id, now_ms});
}

std::vector<Session> ListLiveSessions(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  auto rows = tx.Query(std::string("SELECT ") + kSessionColumns +
                           " FROM auth_sessions s WHERE s.user_id = $1 AND s.revoked_at_ms IS NULL "
                           "AND s.expires_at_ms > $2 ORDER BY s.last_seen_at_ms DESC, s.id DESC",
                       {user_id, now_ms});
  std::vector<Session> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(SessionFromRow(rows[i]));
  }
  return out;
}

int64_t RevokeSession(db::Tx& tx, int64_t user_id, int64_t session_id, int64_t now_ms) {
  return tx.Exec(
      "UPDATE auth_sessions SET revoked_at_ms = $3 WHERE id = $2 AND user_id = $1 AND revoked_at_ms IS NULL "
      "AND expires_at_ms > $3",
      {user_id, session_id, now_ms});
}

int64_t RevokeAllSessions(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  return tx.Exec("UPDATE auth_sessions SET revoked_at_ms = $2 WHERE user_id = $1 AND revoked_at_ms IS NULL",
                 {user_id, now_ms});
}

int64_t InsertRecoveryCode(db::Tx& tx, int64_t user_id, const std::string& code_hash, int64_t now_ms,
                           int64_t expires_at_ms) {
  return tx.Insert(
      "INSERT INTO auth_recovery_codes (user_id, code_hash, created_at_ms, expires_at_ms, attempts) "
      "VALUES ($1, $2, $3, $4, 0)",
      {user_id, code_hash, now_ms, expires_at_ms});
}

std::optional<RecoveryCode> FindActiveRecoveryCode(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  auto rows = tx.Query(
      "SELECT id, code_hash, attempts FROM auth_recovery_codes WHERE user_id = $1 AND used_at_ms IS NULL "
      "AND expires_at_ms > $2 ORDER BY id DESC LIMIT 1",
      {user_id, now_ms});
  if (rows.empty()) {
    return std::nullopt;
  }
  return RecoveryCode{rows.front().Int(0), rows.front().Text(1), rows.front().Int(2)};
}

bool TakeRecoveryAttempt(db::Tx& tx, int64_t code_id, int64_t max_attempts) {
  return tx.Exec("UPDATE auth_recovery_codes SET attempts = attempts + 1 WHERE id = $1 AND attempts < $2",
                 {code_id, max_attempts}) == 1;
}

bool UseRecoveryCode(db::Tx& tx, int64_t code_id, int64_t now_ms) {
  return tx.Exec("UPDATE auth_recovery_codes SET used_at_ms = $2 WHERE id = $1 AND used_at_ms IS NULL",
                 {code_id, now_ms}) == 1;
}

void ExpireRecoveryCodes(db::Tx& tx, int64_t user_id, int64_t now_ms) {
  tx.Exec("UPDATE auth_recovery_codes SET used_at_ms = $2 WHERE user_id = $1 AND used_at_ms IS NULL",
          {user_id, now_ms});
}

std::optional<Org> FindOrg(db::Tx& tx, int64_t id) {
  auto rows = tx.Query("SELECT id, name, credit_code, rating, created_at_ms FROM orgs WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return OrgFromRow(rows.front());
}

std::optional<int64_t> InsertOrg(db::Tx& tx, const Org& org) {
  auto rows = tx.Query(
      "INSERT INTO orgs (name, credit_code, rating, created_at_ms) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (credit_code) DO NOTHING RETURNING id",
      {org.name, org.credit_code, org.rating, org.created_at_ms});
  return rows.empty() ? std::nullopt : std::optional<int64_t>(rows.front().Int(0));
}

std::vector<Org> ListOrgs(db::Tx& tx) {
  auto rows = tx.Query("SELECT id, name, credit_code, rating, created_at_ms FROM orgs ORDER BY id");
  std::vector<Org> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(OrgFromRow(rows[i]));
  }
  return out;
}

std::optional<Village> FindVillage(db::Tx& tx, int64_t id) {
  auto rows = tx.Query(
      "SELECT id, name, kind, rural, collective_economy, created_at_ms FROM villages WHERE id = $1", {id});
  if (rows.empty()) {
    return std::nullopt;
  }
  return VillageFromRow(rows.front());
}

std::optional<int64_t> FindVillageIdByName(db::Tx& tx, const std::string& name) {
  auto rows = tx.Query("SELECT id FROM villages WHERE name = $1", {name});
  return rows.empty() ? std::nullopt : std::optional<int64_t>(rows.front().Int(0));
}

std::optional<int64_t> InsertVillage(db::Tx& tx, const Village& v) {
  auto rows = tx.Query(
      "INSERT INTO villages (name, kind, rural, collective_economy, created_at_ms) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (name) DO NOTHING RETURNING id",
      {v.name, v.kind, v.rural, v.collective_economy, v.created_at_ms});
  return rows.empty() ? std::nullopt : std::optional<int64_t>(rows.front().Int(0));
}

std::vector<Village> ListVillages(db::Tx& tx) {
  auto rows = tx.Query("SELECT id, name, kind, rural, collective_economy, created_at_ms FROM villages ORDER BY id");
  std::vector<Village> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    out.push_back(VillageFromRow(rows[i]));
  }
  return out;
}

std::vector<User> SearchUsers(db::Tx& tx, const std::string& q, int limit) {
  const std::string pattern = LikeContains(q);
  auto rows = tx.Query(std::string("SELECT ") + kUserColumns +
                           " FROM users WHERE status = 'active' AND (display_name LIKE $1 ESCAPE '\\' OR "
                           "phone LIKE $1 ESCAPE '\\' OR email LIKE $1 ESCAPE '\\') ORDER BY id LIMIT $2",
                       {pattern, limit});
  std::vector<User> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    User u = UserFromRow(rows[i]);
    u.roles = ListRoles(tx, u.id);
    out.push_back(std::move(u));
  }
  return out;
}

std::optional<int64_t> HomeVillageId(db::Tx& tx, int64_t user_id) {
  auto rows = tx.Query("SELECT home_village_id FROM users WHERE id = $1", {user_id});
  return rows.empty() ? std::nullopt : rows.front().OptInt(0);
}

void SetHomeVillage(db::Tx& tx, int64_t user_id, int64_t village_id, int64_t now_ms) {
  tx.Exec("UPDATE users SET home_village_id = $2, updated_at_ms = $3 WHERE id = $1", {user_id, village_id, now_ms});
}

}  // namespace carecity::accounts::repo
