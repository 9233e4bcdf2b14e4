#include "domains/accounts/routes.h"

#include <boost/json/parse.hpp>
#include <boost/json/array.hpp>
#include <charconv>

#include "core/text.h"
#include "http/json.h"

namespace carecity::accounts {
namespace {

namespace json = boost::json;
using boost::asio::awaitable;
using http::Fields;
using http::Request;
using http::Err;
using http::Opt;
using http::Response;

std::string CookieHeader(const Config& cfg, const std::string& token, int64_t max_age_s) {
  std::string c = std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                  std::to_string(max_age_s);
  if (cfg.public_origin.rfind("https://", 0) == 0) {
    c += "; Secure";
  }
  return c;
}


json::object SessionJson(const Session& s, int64_t current_id) {
  return json::object{{"id", s.id},
                      {"created_at_ms", s.created_at_ms},
                      {"last_seen_at_ms", s.last_seen_at_ms},
                      {"expires_at_ms", s.expires_at_ms},
                      {"user_agent", s.user_agent},
                      {"ip", s.ip},
                      {"current", s.id == current_id}};
}

json::object OrgJson(const Org& o) {
  return json::object{{"id", o.id},
                      {"name", o.name},
                      {"credit_code", o.credit_code},
                      {"rating", Opt(o.rating)},
                      {"created_at_ms", o.created_at_ms}};
}

json::object VillageJson(const Village& v) {
  return json::object{{"id", v.id},
                      {"name", v.name},
                      {"kind", v.kind},
                      {"rural", v.rural},
                      {"collective_economy", v.collective_economy},
                      {"created_at_ms", v.created_at_ms}};
}


#define CC_AUTH(var, service, req) CC_REQUIRE_PRINCIPAL(var, service, req)

Response SignedInResponse(int status, const SignedIn& s, const Config& cfg) {
  json::object user = UserJson(s.user);
  Response r = http::JsonResponse(status, json::object{{"user", user}});
  r.Set("Set-Cookie", CookieHeader(cfg, s.token, cfg.session_ttl_s));
  return r;
}

awaitable<Response> Register(AccountsService& svc, Request& req) {
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto phone = f.String("phone", {.required = false, .max = 20});
  auto email = f.String("email", {.required = false, .max = 254});
  auto password = f.String("password", {.max = 1000, .trim = false});
  auto name = f.String("display_name", {.min = 1, .max = 32});
  auto consent = f.String("consent_version", {.max = 32});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  if (phone.has_value() == email.has_value()) {
    co_return Err(Error::Invalid("phone_or_email", phone ? "email" : "phone"), req);
  }
  RegisterInput in;
  if (phone) {
    auto login = ParseLogin(*phone);
    if (!login || login->kind != Login::Kind::kPhone) {
      co_return Err(Error::Invalid("invalid_phone", "phone"), req);
    }
    in.login = *login;
  } else {
    auto login = ParseLogin(*email);
    if (!login || login->kind != Login::Kind::kEmail) {
      co_return Err(Error::Invalid("invalid_email", "email"), req);
    }
    in.login = *login;
  }
  in.password = *password;
  in.display_name = *name;
  in.consent_version = *consent;
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto r = co_await svc.Register(std::move(in), client);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return SignedInResponse(201, *r, svc.config());
}

awaitable<Response> SignIn(AccountsService& svc, Request& req) {
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto login = f.String("login", {.max = 254});
  auto password = f.String("password", {.max = 1000, .trim = false});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto r = co_await svc.SignIn(*login, *password, client);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return SignedInResponse(200, *r, svc.config());
}

awaitable<Response> Logout(AccountsService& svc, Request& req) {
  auto p = co_await RequirePrincipal(svc, req);
  if (p.ok()) {
    auto s = co_await svc.RevokeSession(*p, p->session_id);
    (void)s;  // already gone is as good as revoked
  }
  Response r = http::NoContent();
  r.Set("Set-Cookie", CookieHeader(svc.config(), "", 0));
  co_return r;
}

awaitable<Response> GetHomeVillage(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  auto r = co_await svc.HomeVillage(p.user_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::value village = nullptr;
  if (*r) {
    village = json::object{{"id", (*r)->id}, {"name", (*r)->name}};
  }
  co_return http::JsonResponse(200, json::object{{"village", village}});
}

awaitable<Response> PutHomeVillage(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  CC_PARSE_BODY(body, req);
  http::Fields f(body);
  auto village = f.Int("village_id", {.min = 1});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  auto r = co_await svc.SetHomeVillage(p.user_id, *village);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(200, json::object{{"village", json::object{{"id", r->id}, {"name", r->name}}}});
}

awaitable<Response> Me(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  auto u = co_await svc.Me(p.user_id);
  if (!u.ok()) {
    co_return Err(u.error(), req);
  }
  json::object user = UserJson(*u);
  json::object out{{"id", u->id}, {"roles", user["roles"]}, {"user", user}};
  co_return http::JsonResponse(200, out);
}

awaitable<Response> ListSessions(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  auto r = co_await svc.ListSessions(p.user_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Session& s : *r) {
    list.push_back(SessionJson(s, p.session_id));
  }
  co_return http::JsonResponse(200, json::object{{"sessions", list}});
}

awaitable<Response> RevokeSession(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  auto id = http::ParseId(req.Param("id"));
  if (!id) {
    co_return Err(Error::NotFound("session_not_found"), req);
  }
  auto s = co_await svc.RevokeSession(p, *id);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  Response r = http::NoContent();
  if (*id == p.session_id) {
    r.Set("Set-Cookie", CookieHeader(svc.config(), "", 0));
  }
  co_return r;
}

awaitable<Response> Export(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  auto r = co_await svc.Export(p.user_id);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  // The owner's own export: phone and e-mail unmasked.
  json::object user = UserJson(r->user);
  user["phone"] = Opt(r->user.phone);
  user["email"] = Opt(r->user.email);
  json::array consents;
  for (const Consent& c : r->consents) {
    consents.push_back(
        json::object{{"policy_version", c.policy_version}, {"accepted_at_ms", c.accepted_at_ms}, {"ip", c.ip}});
  }
  json::array sessions;
  for (const Session& s : r->sessions) {
    sessions.push_back(SessionJson(s, p.session_id));
  }
  json::array actions;
  for (const audit::Entry& e : r->actions) {
    actions.push_back(json::object{{"id", e.id},
                                   {"at_ms", e.at_ms},
                                   {"action", e.action},
                                   {"target_type", e.target_type},
                                   {"target_id", e.target_id},
                                   {"detail", e.detail_json}});
  }
  json::object out{{"format", "carecity-export/1"},
                   {"user", user},
                   {"consents", consents},
                   {"sessions", sessions},
                   {"audit_actions", actions}};
  for (const auto& [section, text] : r->sections) {
    out[section] = json::parse(text);
  }
  Response res = http::JsonResponse(200, out);
  res.Set("Content-Disposition", "attachment; filename=\"carecity-export.json\"");
  co_return res;
}

// {"password": …}: the password given again. A missing body is a missing password.
Result<std::string> ParsePasswordAgain(const Request& req) {
  auto parsed = http::ParseJsonObject(req.body.empty() ? std::string_view("{}") : std::string_view(req.body));
  if (!parsed.ok()) {
    return std::move(parsed).error();
  }
  Fields f(*parsed);
  auto password = f.String("password", {.max = 1000, .trim = false});
  CC_TRY(f.Finish());
  return *password;
}

awaitable<Response> DeleteMe(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  auto password = ParsePasswordAgain(req);
  if (!password.ok()) {
    co_return Err(password.error(), req);
  }
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto s = co_await svc.DeleteAccount(p, std::move(password).value(), client);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  Response r = http::NoContent();
  r.Set("Set-Cookie", CookieHeader(svc.config(), "", 0));
  co_return r;
}

awaitable<Response> Reauth(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  auto password = ParsePasswordAgain(req);
  if (!password.ok()) {
    co_return Err(password.error(), req);
  }
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto s = co_await svc.Reauthenticate(p, std::move(password).value(), client);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  co_return http::NoContent();
}

awaitable<Response> RecoverRequest(AccountsService& svc, Request& req) {
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto login = f.String("login", {.max = 254});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto s = co_await svc.RequestRecovery(*login, client);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  co_return http::JsonResponse(202, json::object{{"status", "queued"}});
}

awaitable<Response> RecoverConfirm(AccountsService& svc, Request& req) {
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto login = f.String("login", {.max = 254});
  auto code = f.String("code", {.max = 16});
  auto password = f.String("new_password", {.max = 1000, .trim = false});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto s = co_await svc.ConfirmRecovery(*login, *code, *password, client);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  co_return http::NoContent();
}

awaitable<Response> CreateOrg(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Err(Error::Forbidden(), req);  // before validation: reveal nothing
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  NewOrg in;
  auto name = f.String("name", {.min = 2, .max = 100});
  auto code = f.String("credit_code", {.max = 18});
  auto rating = f.String("rating", {.required = false, .max = 2});
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  in.name = *name;
  in.credit_code = *code;
  in.rating = rating;
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto r = co_await svc.CreateOrg(p, std::move(in), client);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"org", OrgJson(*r)}});
}

awaitable<Response> CreateVillage(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Err(Error::Forbidden(), req);  // before validation: reveal nothing
  }
  CC_PARSE_BODY(body, req);
  Fields f(body);
  auto name = f.String("name", {.min = 2, .max = 100});
  auto kind = f.String("kind", {.max = 16});
  auto rural = f.Bool("rural");
  auto collective = f.Bool("collective_economy", false);
  if (auto s = f.Finish(); !s.ok()) {
    co_return Err(s.error(), req);
  }
  NewVillage in{*name, *kind, *rural, collective.value_or(false)};
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto r = co_await svc.CreateVillage(p, std::move(in), client);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  co_return http::JsonResponse(201, json::object{{"village", VillageJson(*r)}});
}

Result<RoleChange> ParseRoleChange(const json::object& body) {
  Fields f(body);
  auto user_id = f.Int("user_id", {.min = 1});
  auto role = f.String("role", {.max = 32});
  auto org_id = f.Int("org_id", {.required = false, .min = 1});
  auto village_id = f.Int("village_id", {.required = false, .min = 1});
  CC_TRY(f.Finish());
  auto parsed = ParseRole(*role);
  if (!parsed) {
    return Error::Invalid("invalid_role", "role");
  }
  RoleChange c;
  c.user_id = *user_id;
  c.grant.role = *parsed;
  c.grant.org_id = org_id;
  c.grant.village_id = village_id;
  return c;
}

awaitable<Response> GrantRole(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Err(Error::Forbidden(), req);  // before validation: reveal nothing
  }
  CC_PARSE_BODY(body, req);
  auto change = ParseRoleChange(body);
  if (!change.ok()) {
    co_return Err(change.error(), req);
  }
  const int64_t uid = change->user_id;
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto r = co_await svc.GrantRole(p, std::move(*change), client);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::object role = RoleJson(*r).as_object();
  role["user_id"] = uid;
  co_return http::JsonResponse(201, json::object{{"role", role}});
}

awaitable<Response> RevokeRole(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Err(Error::Forbidden(), req);
  }
  CC_PARSE_BODY(body, req);
  auto change = ParseRoleChange(body);
  if (!change.ok()) {
    co_return Err(change.error(), req);
  }
  ClientInfo client = ClientOf(req);  // named: no temporary inside co_await (g++ 12 trap)
  auto s = co_await svc.RevokeRole(p, std::move(*change), client);
  if (!s.ok()) {
    co_return Err(s.error(), req);
  }
  co_return http::NoContent();
}

awaitable<Response> SearchUsers(AccountsService& svc, Request& req) {
  CC_AUTH(p, svc, req);
  if (!p.Has(Role::kPlatformAdmin)) {
    co_return Err(Error::Forbidden(), req);  // before validation: reveal nothing
  }
  std::string q = Trim(req.Query("q").value_or(""));
  if (CodePointCount(q) > 64 || !IsValidUtf8(q)) {
    co_return Err(Error::Invalid("too_long", "q"), req);
  }
  auto r = co_await svc.SearchUsers(p, q);
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array users;
  for (const User& u : *r) {
    users.push_back(UserJson(u));
  }
  co_return http::JsonResponse(200, json::object{{"users", users}});
}

awaitable<Response> ListOrgs(AccountsService& svc, Request& req) {
  auto r = co_await svc.ListOrgs();
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Org& o : *r) {
    list.push_back(OrgJson(o));
  }
  co_return http::JsonResponse(200, json::object{{"orgs", list}});
}

awaitable<Response> ListVillages(AccountsService& svc, Request& req) {
  auto r = co_await svc.ListVillages();
  if (!r.ok()) {
    co_return Err(r.error(), req);
  }
  json::array list;
  for (const Village& v : *r) {
    list.push_back(VillageJson(v));
  }
  co_return http::JsonResponse(200, json::object{{"villages", list}});
}

}  // namespace

ClientInfo ClientOf(const Request& req) {
  std::string ua(req.UserAgent().substr(0, 255));
  if (!IsValidUtf8(ua)) {
    ua.clear();
  }
  return ClientInfo{req.remote_ip, ua};
}

Task<Principal> RequirePrincipal(AccountsService& service, const Request& req) {
  std::string token = req.Cookie(kSessionCookie);
  if (token.empty()) {
    const std::string_view auth = req.Header("authorization");
    if (auth.rfind("Bearer ", 0) == 0) {
      token = std::string(auth.substr(7));
    }
  }
  if (token.empty()) {
    co_return Error::Unauthenticated();
  }
  co_return co_await service.Authenticate(std::move(token));
}

awaitable<std::optional<Principal>> OptionalPrincipal(AccountsService& service, const Request& req) {
  auto p = co_await RequirePrincipal(service, req);
  if (!p.ok()) {
    co_return std::nullopt;
  }
  co_return std::move(p).value();
}

Caller CallerOf(const std::optional<Principal>& principal, const Request& req) {
  Caller c;
  if (principal) {
    c.user_id = principal->user_id;
  }
  c.token = req.Query("token").value_or("");
  return c;
}

awaitable<Caller> CallerOf(AccountsService& service, const Request& req) {
  auto principal = co_await OptionalPrincipal(service, req);
  co_return CallerOf(principal, req);
}

json::value RoleJson(const RoleGrant& g) {
  return json::object{{"role", RoleName(g.role)},
                      {"org_id", Opt(g.org_id)},
                      {"org_name", Opt(g.org_name)},
                      {"village_id", Opt(g.village_id)},
                      {"village_name", Opt(g.village_name)}};
}

json::object UserJson(const User& u) {
  json::array roles;
  for (const RoleGrant& g : u.roles) {
    roles.push_back(RoleJson(g));
  }
  return json::object{{"id", u.id},
                      {"display_name", u.display_name},
                      {"phone", u.phone ? json::value(MaskPhone(*u.phone)) : json::value(nullptr)},
                      {"email", u.email ? json::value(MaskEmail(*u.email)) : json::value(nullptr)},
                      {"status", u.status},
                      {"roles", roles},
                      {"created_at_ms", u.created_at_ms}};
}

void RegisterRoutes(http::Router& router, AccountsService& s) {
  const auto bind = [&s](awaitable<Response> (*fn)(AccountsService&, Request&)) {
    return [&s, fn](Request& req) { return fn(s, req); };
  };
  router.Add("POST", "/api/v1/auth/register", bind(Register));
  router.Add("POST", "/api/v1/auth/login", bind(SignIn));
  router.Add("POST", "/api/v1/auth/logout", bind(Logout));
  router.Add("POST", "/api/v1/auth/reauth", bind(Reauth));
  router.Add("POST", "/api/v1/auth/recover/request", bind(RecoverRequest));
  router.Add("POST", "/api/v1/auth/recover/confirm", bind(RecoverConfirm));
  router.Add("GET", "/api/v1/me", bind(Me));
  router.Add("DELETE", "/api/v1/me", bind(DeleteMe));
  router.Add("GET", "/api/v1/me/sessions", bind(ListSessions));
  router.Add("DELETE", "/api/v1/me/sessions/{id}", bind(RevokeSession));
  router.Add("GET", "/api/v1/me/export", bind(Export));
  router.Add("GET", "/api/v1/me/village", bind(GetHomeVillage));
  router.Add("PUT", "/api/v1/me/village", bind(PutHomeVillage));
  router.Add("POST", "/api/v1/admin/orgs", bind(CreateOrg));
  router.Add("POST", "/api/v1/admin/villages", bind(CreateVillage));
  router.Add("POST", "/api/v1/admin/roles", bind(GrantRole));
  router.Add("DELETE", "/api/v1/admin/roles", bind(RevokeRole));
  router.Add("GET", "/api/v1/admin/users", bind(SearchUsers));
  router.Add("GET", "/api/v1/orgs", bind(ListOrgs));
  router.Add("GET", "/api/v1/villages", bind(ListVillages));
}

}  // namespace carecity::accounts
