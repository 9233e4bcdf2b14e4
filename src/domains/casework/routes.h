// HTTP routes for service applications (docs/api-casework.md).
#pragma once

#include "domains/accounts/service.h"
#include "domains/casework/service.h"
#include "http/router.h"

namespace carecity::casework {

void RegisterRoutes(http::Router& router, CaseworkService& casework, accounts::AccountsService& accounts,
                    const Clock& clock);

}  // namespace carecity::casework
