#include "domains/accounts/service.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "core/crypto.h"
#include "core/text.h"
#include "db/await.h"
#include "db/rate_limit.h"
#include "domains/accounts/repo.h"
#include "domains/audit/service.h"
#include "domains/notify/service.h"

namespace carecity::accounts {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;

// Sessions are touched at most this often, so reads stay reads.
constexpr int64_t kTouchIntervalMs = 5 * kMinuteMs;
constexpr size_t kSessionCacheCapacity = 100'000;  // about 300 bytes each
constexpr const char* kDeletedName = "已注销用户";

Error RateLimitedError(const db::RateDecision& d) { return Error::RateLimited(d.retry_after_s); }

std::string CodeHash(int64_t user_id, const std::string& code) {
  return Sha256Hex(std::to_string(user_id) + ":" + code);
}

std::string Detail(const json::object& o) { return json::serialize(o); }

Error Forbidden() { return Error::Forbidden(); }

}  // namespace

Status ValidatePassword(const std::string& password, const char* field) {
  const size_t n = CodePointCount(password);
  if (n < kMinPasswordLength) {
    return Error::Invalid("weak_password", field);
  }
  if (n > kMaxPasswordLength) {
    return Error::Invalid("too_long", field);
  }
  return {};
}

Status ValidateCreditCode(const std::string& code) {
  // 统一社会信用代码: 18 characters from digits and capital letters
  // (GB 32100-2015 excludes I, O, Z, S and V).
  if (code.size() != 18) {
    return Error::Invalid("invalid_credit_code", "credit_code");
  }
  for (char c : code) {
    const bool digit = c >= '0' && c <= '9';
    const bool upper = c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Z' && c != 'S' && c != 'V';
    if (!digit && !upper) {
      return Error::Invalid("invalid_credit_code", "credit_code");
    }
  }
  return {};
}

AccountsService::AccountsService(db::Store& store, boost::asio::thread_pool& cpu, const Clock& clock,
                                 const Config& config)
    : store_(store),
      cpu_(cpu),
      clock_(clock),
      config_(config),
      sessions_(config.session_cache_s * 1000, kSessionCacheCapacity) {
  dummy_hash_ = HashPassword(RandomToken(), config_.password_cost);
}

std::string AccountsService::HashPasswordNow(const std::string& password) const {
  return HashPassword(password, config_.password_cost);
}

Task<std::string> AccountsService::Hash(std::string password) {
  std::string hash = co_await db::OnPool(cpu_, [this, &password] { return HashPassword(password, config_.password_cost); });
  if (hash.empty()) {
    co_return Error::Internal("password hashing ran out of memory");
  }
  co_return hash;
}

Task<SignedIn> AccountsService::StartSession(int64_t user_id, ClientInfo client) {
  SignedIn out;
  out.token = RandomToken();
  const std::string token_hash = Sha256Hex(out.token);
  const int64_t now = clock_.NowMs();
  auto r = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<SignedIn> {
    auto user = repo::FindUser(tx, user_id);
    if (!user || user->status != "active") {
      return Error::Unauthenticated("invalid_credentials");
    }
    const int64_t expires = now + config_.session_ttl_s * 1000;
    const int64_t sid = repo::InsertSession(tx, user_id, token_hash, now, expires, client);
    SignedIn s;
    s.user = std::move(*user);
    s.session = Session{sid, user_id, now, expires, now, client.user_agent, client.ip};
    return s;
  });
  if (!r.ok()) {
    co_return std::move(r).error();
  }
  r->token = std::move(out.token);
  co_return std::move(r).value();
}

Task<SignedIn> AccountsService::Register(RegisterInput in, ClientInfo client) {
  if (in.consent_version != config_.consent_version) {
    co_return Error::Invalid("consent_required", "consent_version");
  }
  CC_CO_TRY(ValidatePassword(in.password, "password"));
  const int64_t now = clock_.NowMs();
  // Count the attempt and fail fast on a taken login before paying for argon2.
  auto pre = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<std::pair<db::RateDecision, bool>> {
    auto d = db::HitRateLimits(tx, config_.rate_limits, {{"register:ip:" + client.ip, config_.rate_limits.register_per_ip}}, now);
    return std::pair{d, repo::LoginTaken(tx, in.login)};
  });
  if (!pre.ok()) {
    co_return std::move(pre).error();
  }
  if (!pre->first.allowed) {
    co_return RateLimitedError(pre->first);
  }
  if (pre->second) {
    co_return Error::Conflict("account_exists", in.login.kind == Login::Kind::kPhone ? "phone" : "email");
  }
  auto hash = co_await Hash(in.password);
  if (!hash.ok()) {
    co_return std::move(hash).error();
  }
  const std::string token = RandomToken();
  const std::string token_hash = Sha256Hex(token);
  auto r = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<SignedIn> {
    const int64_t t = clock_.NowMs();
    // Re-check inside the transaction; the UNIQUE constraint is the last guard.
    if (repo::LoginTaken(tx, in.login)) {
      return Error::Conflict("account_exists", in.login.kind == Login::Kind::kPhone ? "phone" : "email");
    }
    int64_t uid = 0;
    try {
      uid = repo::InsertUser(tx, in.display_name, in.login, *hash, t);
    } catch (const db::DbError& e) {
      if (e.kind() == db::DbError::Kind::kUnique) {
        return Error::Conflict("account_exists", in.login.kind == Login::Kind::kPhone ? "phone" : "email");
      }
      throw;
    }
    repo::InsertConsent(tx, uid, in.consent_version, t, client.ip);
    repo::InsertRole(tx, uid, RoleGrant{Role::kResident}, std::nullopt, t);
    const int64_t expires = t + config_.session_ttl_s * 1000;
    const int64_t sid = repo::InsertSession(tx, uid, token_hash, t, expires, client);
    SignedIn s;
    s.user = *repo::FindUser(tx, uid);
    s.session = Session{sid, uid, t, expires, t, client.user_agent, client.ip};
    return s;
  });
  if (!r.ok()) {
    co_return std::move(r).error();
  }
  r->token = token;
  co_return std::move(r).value();
}

Task<SignedIn> AccountsService::SignIn(std::string login_raw, std::string password, ClientInfo client) {
  auto login = ParseLogin(login_raw);
  const std::string account_key = login ? login->value : AsciiLower(Trim(login_raw));
  const std::vector<std::pair<std::string, RateLimit>> buckets{
      {"login:acct:" + account_key, config_.rate_limits.login_per_account},
      {"login:ip:" + client.ip, config_.rate_limits.login_per_ip}};
  // Named, not a temporary, inside co_await (the g++ 12 trap, docs/architecture.md).
  const std::function<std::optional<repo::Credentials>(db::Tx&)> find = [&](db::Tx& tx) {
    return login ? repo::FindCredentials(tx, *login) : std::nullopt;
  };
  auto checked = co_await CheckAttempt(buckets, password, find);
  if (!checked.ok()) {
    co_return std::move(checked).error();
  }
  if (!*checked) {
    co_return Error::Unauthenticated("invalid_credentials");
  }
  co_return co_await StartSession(**checked, std::move(client));
}

Task<Principal> AccountsService::Authenticate(std::string token) {
  if (token.empty() || token.size() > 128) {
    co_return Error::Unauthenticated();
  }
  const std::string token_hash = Sha256Hex(token);
  const int64_t now = clock_.NowMs();
  if (auto hit = sessions_.Get(token_hash, now)) {
    if (now - hit->last_seen_at_ms > kTouchIntervalMs) {
      co_await Touch(token_hash, hit->principal.session_id, now);
    }
    co_return std::move(hit->principal);
  }
  struct Found {
    Principal principal;
    int64_t expires_at_ms = 0;
    int64_t last_seen_at_ms = 0;
  };
  const uint64_t epoch = sessions_.epoch();
  auto r = co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<Found> {
    auto found = repo::FindLiveSession(tx, token_hash, now);
    if (!found || found->user_status != "active") {
      return Error::Unauthenticated();
    }
    Found f;
    f.principal.user_id = found->session.user_id;
    f.principal.session_id = found->session.id;
    f.principal.display_name = found->display_name;
    f.principal.roles = repo::ListRoles(tx, f.principal.user_id);
    f.principal.authenticated_at_ms = found->authenticated_at_ms;
    f.expires_at_ms = found->session.expires_at_ms;
    f.last_seen_at_ms = found->session.last_seen_at_ms;
    return f;
  });
  if (!r.ok()) {
    co_return std::move(r).error();
  }
  sessions_.Put(token_hash, r->principal, r->expires_at_ms, r->last_seen_at_ms, now, epoch);
  if (now - r->last_seen_at_ms > kTouchIntervalMs) {
    co_await Touch(token_hash, r->principal.session_id, now);
  }
  co_return std::move(r->principal);
}

awaitable<void> AccountsService::Touch(const std::string& token_hash, int64_t session_id, int64_t now_ms) {
  auto touched = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    repo::TouchSession(tx, session_id, now_ms);
    return {};
  });
  (void)touched;  // a failed touch only delays the last-seen time
  sessions_.Touched(token_hash, now_ms);
}

Task<User> AccountsService::Me(int64_t user_id) {
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<User> {
    auto u = repo::FindUser(tx, user_id);
    if (!u) {
      return Error::NotFound("user_not_found");
    }
    return std::move(*u);
  });
}

Task<std::vector<Session>> AccountsService::ListSessions(int64_t user_id) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<Session>> {
    return repo::ListLiveSessions(tx, user_id, now);
  });
}

awaitable<Status> AccountsService::RevokeSession(const Principal& p, int64_t session_id) {
  const int64_t now = clock_.NowMs();
  const int64_t uid = p.user_id;
  auto r = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    if (repo::RevokeSession(tx, uid, session_id, now) == 0) {
      return Error::NotFound("session_not_found");
    }
    return {};
  });
  sessions_.DropSession(session_id);
  co_return r;
}

awaitable<Status> AccountsService::RequestRecovery(std::string login_raw, ClientInfo client) {
  auto login = ParseLogin(login_raw);
  const int64_t now = clock_.NowMs();
  const std::string account_key = login ? login->value : AsciiLower(Trim(login_raw));
  const std::string code = RandomDigits(kRecoveryCodeDigits);
  auto r = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<db::RateDecision> {
    const RateLimitConfig& limits = config_.rate_limits;
    // The code buckets hold for every kind of code sent to this address. A
    // request refused for coming too soon does not use up the day's codes.
    auto d = db::HitRateLimits(tx, limits,
                    {{"recover:acct:" + account_key, limits.recover_request_per_account},
                     {"recover:ip:" + client.ip, limits.recover_request_per_ip},
                     {"code:to:" + account_key + ":gap", limits.code_gap_per_recipient}},
                    now);
    if (d.allowed) {
      d = db::HitRateLimits(tx, limits,
                            {{"code:to:" + account_key + ":day", limits.code_per_recipient_day},
                             {"code:ip:" + client.ip + ":day", limits.code_per_ip_day}},
                            now);
    }
    if (!d.allowed || !login) {
      return d;
    }
    auto creds = repo::FindCredentials(tx, *login);
    if (!creds || creds->status != "active") {
      return d;  // same answer as for a real account
    }
    // A new code replaces any earlier one.
    repo::ExpireRecoveryCodes(tx, creds->user_id, now);
    repo::InsertRecoveryCode(tx, creds->user_id, CodeHash(creds->user_id, code), now,
                             now + config_.recovery_code_ttl_s * 1000);
    const auto channel = login->kind == Login::Kind::kPhone ? notify::Channel::kSms : notify::Channel::kEmail;
    notify::Enqueue(tx, channel, login->value, creds->user_id, "recover_code",
                    json::serialize(json::object{{"code", code}, {"ttl_minutes", config_.recovery_code_ttl_s / 60}}),
                    now);
    return d;
  });
  if (!r.ok()) {
    co_return std::move(r).error();
  }
  if (!r->allowed) {
    co_return RateLimitedError(*r);
  }
  co_return Status{};
}

awaitable<Status> AccountsService::ConfirmRecovery(std::string login_raw, std::string code, std::string new_password,
                                                   ClientInfo client) {
  CC_CO_TRY(ValidatePassword(new_password, "new_password"));
  auto login = ParseLogin(login_raw);
  const int64_t now = clock_.NowMs();
  const std::string account_key = login ? login->value : AsciiLower(Trim(login_raw));
  struct Checked {
    db::RateDecision decision;
    std::optional<int64_t> user_id;
    std::optional<int64_t> code_id;
  };
  // Step 1: count the attempt and check the code; a wrong guess is recorded
  // (and committed) against the code, which dies after kMaxRecoveryAttempts.
  auto checked = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Result<Checked> {
    Checked c;
    c.decision = db::HitRateLimits(tx, config_.rate_limits,
                        {{"confirm:acct:" + account_key, config_.rate_limits.recover_confirm_per_account},
                         {"confirm:ip:" + client.ip, config_.rate_limits.recover_confirm_per_ip}},
                        now);
    if (!c.decision.allowed || !login) {
      return c;
    }
    auto creds = repo::FindCredentials(tx, *login);
    if (!creds || creds->status != "active") {
      return c;
    }
    auto active = repo::FindActiveRecoveryCode(tx, creds->user_id, now);
    // Every guess is counted before it is compared, by a conditional update:
    // the limit holds however many guesses arrive at once.
    if (!active || !repo::TakeRecoveryAttempt(tx, active->id, kMaxRecoveryAttempts)) {
      return c;
    }
    if (!ConstantTimeEquals(active->code_hash, CodeHash(creds->user_id, code))) {
      return c;
    }
    c.user_id = creds->user_id;
    c.code_id = active->id;
    return c;
  });
  if (!checked.ok()) {
    co_return std::move(checked).error();
  }
  if (!checked->decision.allowed) {
    co_return RateLimitedError(checked->decision);
  }
  if (!checked->code_id) {
    co_return Error::Invalid("invalid_code", "code");
  }
  auto hash = co_await Hash(new_password);
  if (!hash.ok()) {
    co_return std::move(hash).error();
  }
  const int64_t uid = *checked->user_id;
  const int64_t code_id = *checked->code_id;
  // Step 2: use the code exactly once, set the password, end every session.
  auto reset = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    const int64_t t = clock_.NowMs();
    if (!repo::UseRecoveryCode(tx, code_id, t)) {
      return Error::Invalid("invalid_code", "code");
    }
    repo::UpdatePassword(tx, uid, *hash, t);
    const int64_t revoked = repo::RevokeAllSessions(tx, uid, t);
    audit::Record(tx,
                  {uid, "accounts.password.reset", "user", std::to_string(uid),
                   Detail({{"sessions_revoked", revoked}}), client.ip},
                  t);
    return {};
  });
  sessions_.DropUser(uid);
  co_return reset;
}

Task<ExportData> AccountsService::Export(int64_t user_id) {
  const int64_t now = clock_.NowMs();
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<ExportData> {
    auto u = repo::FindUser(tx, user_id);
    if (!u) {
      return Error::NotFound("user_not_found");
    }
    ExportData d;
    d.user = std::move(*u);
    d.consents = repo::ListConsents(tx, user_id);
    d.sessions = repo::ListLiveSessions(tx, user_id, now);
    d.actions = audit::ListByActor(tx, user_id, 1000);
    for (const auto& [section, contribute] : exporters_) {
      d.sections.emplace_back(section, contribute(tx, user_id));
    }
    return d;
  });
}

Task<std::optional<int64_t>> AccountsService::CheckAttempt(
    const std::vector<std::pair<std::string, RateLimit>>& buckets, const std::string& password,
    const std::function<std::optional<repo::Credentials>(db::Tx&)>& find) {
  const int64_t now = clock_.NowMs();
  auto pre = co_await db::WriteTx(
      store_, [&](db::Tx& tx) -> Result<std::pair<db::RateDecision, std::optional<repo::Credentials>>> {
        auto d = db::HitRateLimits(tx, config_.rate_limits, buckets, now);
        std::optional<repo::Credentials> creds;
        if (d.allowed) {
          creds = find(tx);
        }
        return std::pair{d, creds};
      });
  if (!pre.ok()) {
    co_return std::move(pre).error();
  }
  if (!pre->first.allowed) {
    co_return RateLimitedError(pre->first);
  }
  const auto& creds = pre->second;
  const bool usable = creds && creds->status == "active";
  // Verify against a dummy hash for unknown logins so timing tells nothing.
  const std::string& hash = usable ? creds->password_hash : dummy_hash_;
  const bool match = co_await db::OnPool(cpu_, [&] { return VerifyPassword(password, hash); });
  if (!usable || !match) {
    co_return std::optional<int64_t>();
  }
  co_return std::optional<int64_t>(creds->user_id);
}

awaitable<Status> AccountsService::CheckPassword(int64_t user_id, const std::string& password,
                                                const ClientInfo& client) {
  const std::vector<std::pair<std::string, RateLimit>> buckets{
      {"reauth:acct:" + std::to_string(user_id), config_.rate_limits.login_per_account},
      {"reauth:ip:" + client.ip, config_.rate_limits.login_per_ip}};
  const std::function<std::optional<repo::Credentials>(db::Tx&)> find = [user_id](db::Tx& tx) {
    return repo::FindCredentialsById(tx, user_id);
  };
  auto checked = co_await CheckAttempt(buckets, password, find);
  if (!checked.ok()) {
    co_return std::move(checked).error();
  }
  if (!*checked) {
    co_return Error{ErrorCode::kUnauthenticated, "wrong_password", "password", {}};
  }
  co_return Status{};
}

awaitable<Status> AccountsService::Reauthenticate(const Principal& p, std::string password, ClientInfo client) {
  Status checked = co_await CheckPassword(p.user_id, password, client);
  if (!checked.ok()) {
    co_return checked;
  }
  const int64_t now = clock_.NowMs();
  const int64_t sid = p.session_id;
  auto marked = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    if (!repo::MarkSessionAuthenticated(tx, sid, now)) {
      return Error::Unauthenticated();
    }
    return {};
  });
  sessions_.DropSession(sid);  // the next request reads the new time
  co_return marked;
}

Status AccountsService::RequireRecentAuth(const Principal& p) const {
  if (clock_.NowMs() - p.authenticated_at_ms > config_.recent_auth_s * 1000) {
    return Error::Unauthenticated("reauth_required");
  }
  return {};
}

awaitable<Status> AccountsService::DeleteAccount(const Principal& p, std::string password, ClientInfo client) {
  const int64_t uid = p.user_id;
  Status checked = co_await CheckPassword(uid, password, client);
  if (!checked.ok()) {
    co_return checked;  // nothing deleted
  }
  auto deleted = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    const int64_t t = clock_.NowMs();
    repo::RevokeAllSessions(tx, uid, t);
    repo::ExpireRecoveryCodes(tx, uid, t);
    repo::DeleteAllRoles(tx, uid);
    notify::ForgetUser(tx, uid);
    repo::Anonymise(tx, uid, kDeletedName, t);
    for (const DeletedListener& forget : deleted_listeners_) {
      forget(tx, uid, t);
    }
    audit::Record(tx, {uid, "accounts.user.anonymised", "user", std::to_string(uid), "{}", ""}, t);
    (void)client;  // the person's IP is exactly what we are dropping
    return {};
  });
  sessions_.DropUser(uid);
  co_return deleted;
}

Result<Org> AccountsService::CreateOrgTx(db::Tx& tx, std::optional<int64_t> actor, const NewOrg& in,
                                         const std::string& ip) {
  CC_TRY(ValidateCreditCode(in.credit_code));
  if (in.rating && *in.rating != "3A" && *in.rating != "4A" && *in.rating != "5A") {
    return Error::Invalid("invalid_rating", "rating");
  }
  Org org{0, in.name, in.credit_code, in.rating, clock_.NowMs()};
  const auto org_id = repo::InsertOrg(tx, org);  // the unique index decides, even for two admins at once
  if (!org_id) {
    return Error::Conflict("org_exists", "credit_code");
  }
  org.id = *org_id;
  audit::Record(tx,
                {actor, "accounts.org.created", "org", std::to_string(org.id),
                 Detail({{"name", org.name}, {"credit_code", org.credit_code}}), ip},
                org.created_at_ms);
  return org;
}

Result<Village> AccountsService::CreateVillageTx(db::Tx& tx, std::optional<int64_t> actor, const NewVillage& in,
                                                 const std::string& ip) {
  if (in.kind != "village" && in.kind != "community") {
    return Error::Invalid("invalid_value", "kind");
  }
  if (in.collective_economy && !in.rural) {
    return Error::Invalid("collective_requires_rural", "collective_economy");
  }
  Village v{0, in.name, in.kind, in.rural, in.collective_economy, clock_.NowMs()};
  const auto village_id = repo::InsertVillage(tx, v);  // the unique index decides
  if (!village_id) {
    return Error::Conflict("village_exists", "name");
  }
  v.id = *village_id;
  audit::Record(tx,
                {actor, "accounts.village.created", "village", std::to_string(v.id),
                 Detail({{"name", v.name}, {"rural", v.rural}, {"collective_economy", v.collective_economy}}), ip},
                v.created_at_ms);
  return v;
}

Result<RoleGrant> AccountsService::GrantRoleTx(db::Tx& tx, std::optional<int64_t> actor, const RoleChange& in,
                                               const std::string& ip) {
  RoleGrant g = in.grant;
  auto user = repo::FindUser(tx, in.user_id);
  if (!user || user->status != "active") {
    return Error{ErrorCode::kNotFound, "user_not_found", "user_id", {}};
  }
  if (g.org_id) {
    auto org = repo::FindOrg(tx, *g.org_id);
    if (!org) {
      return Error{ErrorCode::kNotFound, "org_not_found", "org_id", {}};
    }
    g.org_name = org->name;
  }
  if (g.village_id) {
    auto v = repo::FindVillage(tx, *g.village_id);
    if (!v) {
      return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
    }
    g.village_name = v->name;
  }
  const int64_t t = clock_.NowMs();
  if (!repo::InsertRole(tx, in.user_id, g, actor, t)) {  // the unique (user, role, scope) decides
    return Error::Conflict("role_exists", "role");
  }
  audit::Record(tx,
                {actor, "accounts.role.granted", "user", std::to_string(in.user_id),
                 Detail({{"role", std::string(RoleName(g.role))}, {"scope", ScopeKey(g)}}), ip},
                t);
  return g;
}

Status AccountsService::EnsureRoleTx(db::Tx& tx, std::optional<int64_t> actor, int64_t user_id, Role role,
                                    const std::string& ip) {
  RoleChange change;
  change.user_id = user_id;
  change.grant.role = role;
  if (HasRoleTx(tx, user_id, change.grant)) {
    return Status();
  }
  auto g = GrantRoleTx(tx, actor, change, ip);
  if (!g.ok()) {
    return g.error();
  }
  return Status();
}

namespace {

// Scope rules for a role change, checked before touching the database.
Status CheckScope(const RoleGrant& g) {
  if (NeedsOrg(g.role) && !g.org_id) {
    return Error::Invalid("role_scope_required", "org_id");
  }
  if (!NeedsOrg(g.role) && g.org_id) {
    return Error::Invalid("role_scope_not_allowed", "org_id");
  }
  if (NeedsVillage(g.role) && !g.village_id) {
    return Error::Invalid("role_scope_required", "village_id");
  }
  if (!NeedsVillage(g.role) && g.village_id) {
    return Error::Invalid("role_scope_not_allowed", "village_id");
  }
  return {};
}

}  // namespace

Task<Org> AccountsService::CreateOrg(const Principal& p, NewOrg in, ClientInfo client) {
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return CreateOrgTx(tx, actor, in, client.ip); });
}

Task<Village> AccountsService::CreateVillage(const Principal& p, NewVillage in, ClientInfo client) {
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Forbidden();
  }
  const int64_t actor = p.user_id;
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return CreateVillageTx(tx, actor, in, client.ip); });
}

Task<RoleGrant> AccountsService::GrantRole(const Principal& p, RoleChange in, ClientInfo client) {
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Forbidden();
  }
  CC_CO_TRY(RequireRecentAuth(p));
  CC_CO_TRY(CheckScope(in.grant));
  const int64_t actor = p.user_id;
  auto granted = co_await db::WriteTx(store_, [&](db::Tx& tx) { return GrantRoleTx(tx, actor, in, client.ip); });
  sessions_.DropUser(in.user_id);
  co_return granted;
}

awaitable<Status> AccountsService::RevokeRole(const Principal& p, RoleChange in, ClientInfo client) {
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Forbidden();
  }
  CC_CO_TRY(RequireRecentAuth(p));
  CC_CO_TRY(CheckScope(in.grant));
  const int64_t actor = p.user_id;
  auto revoked = co_await db::WriteTx(store_, [&](db::Tx& tx) -> Status {
    if (repo::DeleteRole(tx, in.user_id, in.grant) == 0) {
      return Error::NotFound("role_not_found");
    }
    audit::Record(tx,
                  {actor, "accounts.role.revoked", "user", std::to_string(in.user_id),
                   Detail({{"role", std::string(RoleName(in.grant.role))}, {"scope", ScopeKey(in.grant)}}),
                   client.ip},
                  clock_.NowMs());
    return {};
  });
  sessions_.DropUser(in.user_id);
  co_return revoked;
}

Task<std::vector<User>> AccountsService::SearchUsers(const Principal& p, std::string q) {
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Forbidden();
  }
  co_return co_await db::ReadTx(store_, [&](db::Tx& tx) -> Result<std::vector<User>> {
    return repo::SearchUsers(tx, q, 50);
  });
}

Task<std::vector<Org>> AccountsService::ListOrgs() {
  co_return co_await db::ReadTx(store_, [](db::Tx& tx) -> Result<std::vector<Org>> { return repo::ListOrgs(tx); });
}

Task<std::vector<Village>> AccountsService::ListVillages() {
  co_return co_await db::ReadTx(store_,
                                [](db::Tx& tx) -> Result<std::vector<Village>> { return repo::ListVillages(tx); });
}

Task<std::optional<Village>> AccountsService::HomeVillage(int64_t user_id) {
  co_return co_await db::ReadTx(store_, [user_id](db::Tx& tx) -> Result<std::optional<Village>> {
    const auto id = repo::HomeVillageId(tx, user_id);
    return id ? repo::FindVillage(tx, *id) : std::nullopt;
  });
}

Task<Village> AccountsService::SetHomeVillage(int64_t user_id, int64_t village_id) {
  co_return co_await db::WriteTx(store_, [&](db::Tx& tx) { return SetHomeVillageTx(tx, user_id, village_id); });
}

Result<Village> AccountsService::SetHomeVillageTx(db::Tx& tx, int64_t user_id, int64_t village_id) const {
  auto v = repo::FindVillage(tx, village_id);
  if (!v) {
    return Error{ErrorCode::kNotFound, "village_not_found", "village_id", {}};
  }
  repo::SetHomeVillage(tx, user_id, village_id, clock_.NowMs());
  return *v;
}

std::optional<Org> AccountsService::FindOrgTx(db::Tx& tx, int64_t org_id) const { return repo::FindOrg(tx, org_id); }

std::optional<Village> AccountsService::FindVillageTx(db::Tx& tx, int64_t village_id) const {
  return repo::FindVillage(tx, village_id);
}

bool AccountsService::HasRoleTx(db::Tx& tx, int64_t user_id, const RoleGrant& grant) const {
  return repo::HasRole(tx, user_id, grant);
}

std::optional<int64_t> AccountsService::HomeVillageIdTx(db::Tx& tx, int64_t user_id) const {
  return repo::HomeVillageId(tx, user_id);
}

Result<int64_t> AccountsService::EnsureUserTx(db::Tx& tx, const Login& login, const std::string& display_name,
                                              const std::string& password_hash, const std::vector<RoleGrant>& roles,
                                              const std::string& audit_action) {
  const int64_t t = clock_.NowMs();
  int64_t uid = 0;
  if (auto creds = repo::FindCredentials(tx, login)) {
    uid = creds->user_id;
    if (creds->status != "active") {
      return Error::Conflict("account_deleted");
    }
  } else {
    uid = repo::InsertUser(tx, display_name, login, password_hash, t);
    repo::InsertConsent(tx, uid, config_.consent_version, t, "");
    repo::InsertRole(tx, uid, RoleGrant{Role::kResident}, std::nullopt, t);
  }
  for (const RoleGrant& g : roles) {
    CC_TRY(CheckScope(g));
    if (!repo::HasRole(tx, uid, g)) {
      repo::InsertRole(tx, uid, g, std::nullopt, t);
    }
  }
  if (!audit_action.empty()) {
    json::array names;
    for (const RoleGrant& g : roles) {
      names.emplace_back(RoleName(g.role));
    }
    audit::Record(tx, {std::nullopt, audit_action, "user", std::to_string(uid), Detail({{"roles", names}}), "cli"},
                  t);
  }
  return uid;
}

}  // namespace carecity::accounts
