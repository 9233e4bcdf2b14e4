// The accounts service: registration, login and sessions, password recovery,
// the data export and anonymisation, and the platform admin's organisations,
// villages and roles. The only place account rules live.
//
// Every method is a coroutine that runs its database work as store jobs and
// its password hashing on the CPU pool, so the calling I/O thread never
// blocks. Each state change is one transaction with its audit entry.
//
// Thread-safety: immutable after construction; safe to call concurrently.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "db/store.h"
#include "domains/accounts/model.h"
#include "domains/accounts/session_cache.h"
#include "domains/audit/model.h"

namespace carecity::accounts {

namespace repo {
struct Credentials;
}

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

struct RegisterInput {
  Login login;
  std::string password;
  std::string display_name;
  std::string consent_version;
};

// A new session: the raw token goes into the cookie, never into storage.
struct SignedIn {
  User user;
  Session session;
  std::string token;
};

struct ExportData {
  User user;
  std::vector<Consent> consents;
  std::vector<Session> sessions;
  std::vector<audit::Entry> actions;
  // What other domains hold about the person: section name -> JSON text.
  std::vector<std::pair<std::string, std::string>> sections;
};

struct NewOrg {
  std::string name;
  std::string credit_code;
  std::optional<std::string> rating;
};

struct NewVillage {
  std::string name;
  std::string kind;
  bool rural = false;
  bool collective_economy = false;
};

struct RoleChange {
  int64_t user_id = 0;
  RoleGrant grant;
};

class AccountsService {
 public:
  // All references must outlive the service.
  AccountsService(db::Store& store, boost::asio::thread_pool& cpu, const Clock& clock, const Config& config);

  // Errors: consent_required, weak_password, account_exists, rate_limited.
  Task<SignedIn> Register(RegisterInput in, ClientInfo client);
  // Errors: invalid_credentials (wrong login or password alike), rate_limited.
  Task<SignedIn> SignIn(std::string login, std::string password, ClientInfo client);
  // The principal behind a session token; unauthenticated if none is live.
  Task<Principal> Authenticate(std::string token);
  Task<User> Me(int64_t user_id);

  Task<std::vector<Session>> ListSessions(int64_t user_id);
  // Errors: session_not_found (also for another user's session).
  boost::asio::awaitable<Status> RevokeSession(const Principal& p, int64_t session_id);

  // Always succeeds for unknown logins (no account enumeration) except when
  // rate-limited. Queues a 6-digit code valid for the configured TTL.
  boost::asio::awaitable<Status> RequestRecovery(std::string login, ClientInfo client);
  // Errors: invalid_code, weak_password, rate_limited. Revokes every session.
  boost::asio::awaitable<Status> ConfirmRecovery(std::string login, std::string code, std::string new_password,
                                                 ClientInfo client);

  Task<ExportData> Export(int64_t user_id);
  // Anonymises the account once the caller has given the password again:
  // keeps its rows for the books, drops the person. Listeners (other
  // domains forgetting what they hold about the person) run in the same
  // transaction. Errors: wrong_password (401; nothing changes),
  // rate_limited (counted like logins, per account and per IP).
  boost::asio::awaitable<Status> DeleteAccount(const Principal& p, std::string password, ClientInfo client);

  // The caller proves the password again; the session then counts as
  // freshly authenticated (see RequireRecentAuth). Errors: wrong_password,
  // rate_limited, unauthenticated (the session ended meanwhile).
  boost::asio::awaitable<Status> Reauthenticate(const Principal& p, std::string password, ClientInfo client);
  // For sensitive changes (granting and revoking roles here; approving
  // payouts in fund): ok when the caller's session proved the password
  // (signed in, or POST /api/v1/auth/reauth) within [security]
  // recent_auth_seconds, else 401 reauth_required. Pure; call it before the
  // change's transaction. Another server trusts its cached session for up
  // to session_cache_seconds, so a re-entry may take that long to count
  // there (never the other way round: a stale cache only refuses).
  Status RequireRecentAuth(const Principal& p) const;
  using DeletedListener = std::function<void(db::Tx&, int64_t user_id, int64_t now_ms)>;
  // Configure before serving.
  void OnAccountDeleted(DeletedListener listener) { deleted_listeners_.push_back(std::move(listener)); }
  // Adds a section to the person's data export (same read transaction).
  using ExportContributor = std::function<std::string(db::Tx&, int64_t user_id)>;
  void OnExport(std::string section, ExportContributor contributor) {
    exporters_.emplace_back(std::move(section), std::move(contributor));
  }

  // platform_admin only (forbidden otherwise).
  Task<Org> CreateOrg(const Principal& p, NewOrg in, ClientInfo client);
  Task<Village> CreateVillage(const Principal& p, NewVillage in, ClientInfo client);
  Task<RoleGrant> GrantRole(const Principal& p, RoleChange in, ClientInfo client);
  boost::asio::awaitable<Status> RevokeRole(const Principal& p, RoleChange in, ClientInfo client);
  Task<std::vector<User>> SearchUsers(const Principal& p, std::string q);

  // Public lists.
  Task<std::vector<Org>> ListOrgs();
  Task<std::vector<Village>> ListVillages();

  // The caller's home village (nullopt if not set). Errors: village_not_found.
  Task<std::optional<Village>> HomeVillage(int64_t user_id);
  Task<Village> SetHomeVillage(int64_t user_id, int64_t village_id);
  std::optional<int64_t> HomeVillageIdTx(db::Tx& tx, int64_t user_id) const;
  Result<Village> SetHomeVillageTx(db::Tx& tx, int64_t user_id, int64_t village_id) const;
  // Whether `user_id` holds the grant now (inside the caller's transaction).
  bool HasRoleTx(db::Tx& tx, int64_t user_id, const RoleGrant& grant) const;
  // Grants the unscoped `role` unless `user_id` holds it already (another
  // domain's approval: grants makes an approved citizen a `reviewer`), with
  // the same audit record as GrantRole. Errors: user_not_found.
  Status EnsureRoleTx(db::Tx& tx, std::optional<int64_t> actor, int64_t user_id, Role role, const std::string& ip);
  // Organisations and villages for other domains, inside their transaction.
  std::optional<Org> FindOrgTx(db::Tx& tx, int64_t org_id) const;
  std::optional<Village> FindVillageTx(db::Tx& tx, int64_t village_id) const;

  // --- Synchronous helpers for the command line and the demo seeder. They
  // run inside the caller's write transaction and hash on the calling thread.

  // Creates an account (or, if the login exists, returns it) and grants
  // `roles`. Returns the user id.
  Result<int64_t> EnsureUserTx(db::Tx& tx, const Login& login, const std::string& display_name,
                               const std::string& password_hash, const std::vector<RoleGrant>& roles,
                               const std::string& audit_action);
  Result<Org> CreateOrgTx(db::Tx& tx, std::optional<int64_t> actor, const NewOrg& in, const std::string& ip);
  Result<Village> CreateVillageTx(db::Tx& tx, std::optional<int64_t> actor, const NewVillage& in,
                                  const std::string& ip);
  std::string HashPasswordNow(const std::string& password) const;

  const Config& config() const { return config_; }

 private:
  Result<RoleGrant> GrantRoleTx(db::Tx& tx, std::optional<int64_t> actor, const RoleChange& in,
                                const std::string& ip);
  Task<std::string> Hash(std::string password);
  Task<SignedIn> StartSession(int64_t user_id, ClientInfo client);
  // Counts a password attempt in every bucket, then checks `password`
  // against the credentials `find` reads (inside the same write; a dummy
  // hash when there are none, so timing says nothing). The user id on a
  // match, nullopt on a mismatch; rate_limited when over a limit.
  Task<std::optional<int64_t>> CheckAttempt(const std::vector<std::pair<std::string, RateLimit>>& buckets,
                                            const std::string& password,
                                            const std::function<std::optional<repo::Credentials>(db::Tx&)>& find);
  // Checks `password` against the user's hash, counting the attempt in the
  // reauth rate limits. Errors: wrong_password, rate_limited.
  boost::asio::awaitable<Status> CheckPassword(int64_t user_id, const std::string& password, const ClientInfo& client);
  // Records that a session was used (at most every few minutes per session).
  boost::asio::awaitable<void> Touch(const std::string& token_hash, int64_t session_id, int64_t now_ms);

  db::Store& store_;
  boost::asio::thread_pool& cpu_;
  const Clock& clock_;
  const Config& config_;
  std::string dummy_hash_;  // verified against when a login does not exist
  SessionCache sessions_;
  std::vector<DeletedListener> deleted_listeners_;
  std::vector<std::pair<std::string, ExportContributor>> exporters_;
};

// Validation shared by routes and the command line.
Status ValidatePassword(const std::string& password, const char* field);
Status ValidateCreditCode(const std::string& code);

}  // namespace carecity::accounts
