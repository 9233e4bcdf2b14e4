// SQL for accounts. Every function runs in the caller's transaction and
// throws db::DbError on database failure; none of them checks rules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/tx.h"
#include "domains/accounts/model.h"

namespace carecity::accounts::repo {

struct Credentials {
  int64_t user_id = 0;
  std::string password_hash;
  std::string status;
};

std::optional<User> FindUser(db::Tx& tx, int64_t user_id);
std::optional<Credentials> FindCredentials(db::Tx& tx, const Login& login);
std::optional<Credentials> FindCredentialsById(db::Tx& tx, int64_t user_id);
bool LoginTaken(db::Tx& tx, const Login& login);
int64_t InsertUser(db::Tx& tx, const std::string& display_name, const Login& login, const std::string& password_hash,
                   int64_t now_ms);
void UpdatePassword(db::Tx& tx, int64_t user_id, const std::string& password_hash, int64_t now_ms);
void UpdateDisplayName(db::Tx& tx, int64_t user_id, const std::string& display_name, int64_t now_ms);
// Drops name, phone, e-mail and password; keeps the row for the books.
void Anonymise(db::Tx& tx, int64_t user_id, const std::string& placeholder_name, int64_t now_ms);

void InsertConsent(db::Tx& tx, int64_t user_id, const std::string& version, int64_t now_ms, const std::string& ip);
std::vector<Consent> ListConsents(db::Tx& tx, int64_t user_id);

std::vector<RoleGrant> ListRoles(db::Tx& tx, int64_t user_id);
bool HasRole(db::Tx& tx, int64_t user_id, const RoleGrant& g);
bool InsertRole(db::Tx& tx, int64_t user_id, const RoleGrant& g, std::optional<int64_t> granted_by, int64_t now_ms);
int64_t DeleteRole(db::Tx& tx, int64_t user_id, const RoleGrant& g);
void DeleteAllRoles(db::Tx& tx, int64_t user_id);

int64_t InsertSession(db::Tx& tx, int64_t user_id, const std::string& token_hash, int64_t now_ms,
                      int64_t expires_at_ms, const ClientInfo& client);
struct SessionLookup {
  Session session;
  std::string display_name;
  std::string user_status;
  int64_t authenticated_at_ms = 0;
};
// A live session by token hash (not revoked, not expired at now_ms).
std::optional<SessionLookup> FindLiveSession(db::Tx& tx, const std::string& token_hash, int64_t now_ms);
// Records that the session's owner proved the password at now_ms. False if
// the session was revoked meanwhile.
bool MarkSessionAuthenticated(db::Tx& tx, int64_t session_id, int64_t now_ms);
void TouchSession(db::Tx& tx, int64_t session_id, int64_t now_ms);
std::vector<Session> ListLiveSessions(db::Tx& tx, int64_t user_id, int64_t now_ms);
// Returns rows changed (0 if no such live session of that user).
int64_t RevokeSession(db::Tx& tx, int64_t user_id, int64_t session_id, int64_t now_ms);
int64_t RevokeAllSessions(db::Tx& tx, int64_t user_id, int64_t now_ms);

int64_t InsertRecoveryCode(db::Tx& tx, int64_t user_id, const std::string& code_hash, int64_t now_ms,
                           int64_t expires_at_ms);
struct RecoveryCode {
  int64_t id = 0;
  std::string code_hash;
  int64_t attempts = 0;
};
// The newest unused, unexpired code of the user.
std::optional<RecoveryCode> FindActiveRecoveryCode(db::Tx& tx, int64_t user_id, int64_t now_ms);
// Counts one guess against the code, unless it has had `max_attempts`
// already (then false: the guess is not even compared). The database
// decides, so guesses racing on several servers never exceed the limit.
bool TakeRecoveryAttempt(db::Tx& tx, int64_t code_id, int64_t max_attempts);
// Marks the code used; returns false if it was used meanwhile.
bool UseRecoveryCode(db::Tx& tx, int64_t code_id, int64_t now_ms);
// Invalidates every unused code of the user.
void ExpireRecoveryCodes(db::Tx& tx, int64_t user_id, int64_t now_ms);

std::optional<Org> FindOrg(db::Tx& tx, int64_t id);
// nullopt if the credit code is taken (decided by its unique index).
std::optional<int64_t> InsertOrg(db::Tx& tx, const Org& org);
std::vector<Org> ListOrgs(db::Tx& tx);

std::optional<Village> FindVillage(db::Tx& tx, int64_t id);
// The village of that name (names are unique), for seeds and tools.
std::optional<int64_t> FindVillageIdByName(db::Tx& tx, const std::string& name);
// nullopt if the name is taken (decided by its unique index).
std::optional<int64_t> InsertVillage(db::Tx& tx, const Village& v);
std::vector<Village> ListVillages(db::Tx& tx);
// A resident's declared home village (who may join village-only events and
// services).
std::optional<int64_t> HomeVillageId(db::Tx& tx, int64_t user_id);
void SetHomeVillage(db::Tx& tx, int64_t user_id, int64_t village_id, int64_t now_ms);

// Users whose name, phone or e-mail contains `q` (admin search).
std::vector<User> SearchUsers(db::Tx& tx, const std::string& q, int limit);

}  // namespace carecity::accounts::repo
