// /api/v1/training/qualifications and /api/v1/talent/...: the social-worker
// qualification and 人才库. The contract: docs/api-talent.md.
#pragma once

#include "domains/accounts/service.h"
#include "domains/talent/service.h"
#include "http/router.h"

namespace carecity::talent {

void RegisterRoutes(http::Router& router, TalentService& talent, accounts::AccountsService& accounts);

}  // namespace carecity::talent
