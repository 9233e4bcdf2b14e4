// /api/v1/grants/...: calls, applications, the reviewer pool, meetings and
// seats (GrantsService decides every permission).
#pragma once

#include "domains/accounts/service.h"
#include "domains/grants/service.h"
#include "http/router.h"

namespace carecity::grants {

void RegisterRoutes(http::Router& router, GrantsService& grants, accounts::AccountsService& accounts);

}  // namespace carecity::grants
