// /api/v1/reception/...: 党员接待室 rooms, duty, visits, referral and
// monthly statistics. The contract: docs/api-reception.md.
#pragma once

#include "domains/accounts/service.h"
#include "domains/reception/service.h"
#include "http/router.h"

namespace carecity::reception {

void RegisterRoutes(http::Router& router, ReceptionService& reception, accounts::AccountsService& accounts);

}  // namespace carecity::reception
