// HTTP routes for accounts, and the authentication helper every other
// domain's routes use.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "core/access.h"
#include "domains/accounts/service.h"
#include "http/json.h"
#include "http/message.h"
#include "http/router.h"

namespace carecity::accounts {

// The caller's principal from the cc_session cookie (or an
// "Authorization: Bearer" token), or unauthenticated.
Task<Principal> RequirePrincipal(AccountsService& service, const http::Request& req);

// The caller's principal if the request carries a valid session, else
// nullopt (a guest): for routes open to guests.
boost::asio::awaitable<std::optional<Principal>> OptionalPrincipal(AccountsService& service,
                                                                   const http::Request& req);

// Who asks for an owner-only object (core/access.h): the signed-in user, if
// any, and the `token` query parameter a guest's link carries.
boost::asio::awaitable<Caller> CallerOf(AccountsService& service, const http::Request& req);
// The same, for a principal already at hand.
Caller CallerOf(const std::optional<Principal>& principal, const http::Request& req);

ClientInfo ClientOf(const http::Request& req);

// In a handler coroutine: binds `const Principal& var` to the caller, or
// answers with the authentication error (401).
#define CC_REQUIRE_PRINCIPAL(var, service, req)                                          \
  auto var##_auth = co_await ::carecity::accounts::RequirePrincipal((service), (req));  \
  if (!var##_auth.ok()) {                                                               \
    co_return ::carecity::http::ErrorResponse(var##_auth.error(), (req).lang);          \
  }                                                                                     \
  const ::carecity::accounts::Principal& var = var##_auth.value()

// {"id","display_name","phone"(masked),"email"(masked),"roles":[...],...}
boost::json::object UserJson(const User& u);
boost::json::value RoleJson(const RoleGrant& g);

// Registers every /api/v1/auth, /me, /admin (accounts) and public list route.
void RegisterRoutes(http::Router& router, AccountsService& service);

constexpr const char* kSessionCookie = "cc_session";

}  // namespace carecity::accounts
