// HTTP routes for the Care Fund (public views, donations, receipts, admin).
#pragma once

#include "domains/accounts/service.h"
#include "domains/fund/service.h"
#include "http/router.h"

namespace carecity::fund {

void RegisterRoutes(http::Router& router, FundService& fund, accounts::AccountsService& accounts);

}  // namespace carecity::fund
