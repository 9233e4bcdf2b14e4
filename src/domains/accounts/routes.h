// HTTP routes for accounts, and the authentication helper every other
// domain's routes use.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "domains/accounts/service.h"
#include "http/message.h"
#include "http/router.h"

namespace carecity::accounts {

// The caller's principal from the cc_session cookie (or an
// "Authorization: Bearer" token), or unauthenticated.
Task<Principal> RequirePrincipal(AccountsService& service, const http::Request& req);

ClientInfo ClientOf(const http::Request& req);

// {"id","display_name","phone"(masked),"email"(masked),"roles":[...],...}
boost::json::object UserJson(const User& u);
boost::json::value RoleJson(const RoleGrant& g);

// Registers every /api/v1/auth, /me, /admin (accounts) and public list route.
void RegisterRoutes(http::Router& router, AccountsService& service);

constexpr const char* kSessionCookie = "cc_session";

}  // namespace carecity::accounts
