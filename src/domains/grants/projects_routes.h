// /api/v1/grants/projects..., reports, observers and visits (funded
// projects; ProjectsService decides every permission).
#pragma once

#include "domains/accounts/service.h"
#include "domains/grants/projects_service.h"
#include "http/router.h"

namespace carecity::grants {

void RegisterProjectRoutes(http::Router& router, ProjectsService& projects, accounts::AccountsService& accounts);

}  // namespace carecity::grants
